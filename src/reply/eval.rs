//! The few-shot protocol: take `shots` examples per intent as the template examples, learn
//! from them exactly as a library is learned at load, and classify every other row.
//! Shared by `tact eval intents` and the quality tests so both report the same figures.

use super::classify::IntentModel;
use serde::Serialize;

/// What one run of the protocol measured.
#[derive(Debug, Clone, Serialize)]
pub struct FewShotReport {
    pub shots: usize,
    pub seed: u64,
    pub intents: usize,
    /// In-scope rows classified (all rows of an intent but its shots).
    pub tested: usize,
    pub top1: f64,
    pub top3: f64,
    /// Present when the data has out-of-scope rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<OutOfScope>,
}

/// How the "nothing fits" floor behaves on rows that belong to no intent.
#[derive(Debug, Clone, Serialize)]
pub struct OutOfScope {
    pub rows: usize,
    /// Share of out-of-scope rows for which nothing fits.
    pub rejected: f64,
    /// In-scope top-1 when a "nothing fits" answer counts as wrong.
    pub top1_with_floor: f64,
}

/// Runs the protocol over `(text, label)` rows. Rows labelled `out_of_scope` (if given)
/// are never used as shots and are only scored for rejection. Intents with no row left
/// after the shots are learned but contribute no test row.
pub fn few_shot(
    rows: &[(String, String)],
    shots: usize,
    seed: u64,
    out_of_scope: Option<&str>,
) -> FewShotReport {
    let mut by_label: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut oos: Vec<&str> = Vec::new();
    for (text, label) in rows {
        if Some(label.as_str()) == out_of_scope {
            oos.push(text);
            continue;
        }
        match by_label.iter_mut().find(|(l, _)| l == label) {
            Some((_, texts)) => texts.push(text),
            None => by_label.push((label, vec![text])),
        }
    }
    let mut rng = SplitMix(seed);
    let mut train: Vec<(&str, &str)> = Vec::new();
    let mut test: Vec<(&str, &str)> = Vec::new();
    for (label, texts) in &mut by_label {
        rng.shuffle(texts);
        let cut = shots.min(texts.len());
        train.extend(texts[..cut].iter().map(|t| (*t, *label)));
        test.extend(texts[cut..].iter().map(|t| (*t, *label)));
    }
    let model = IntentModel::learn(train);
    let labels = model.labels();
    let floor = model.nothing_fits();
    let (mut top1, mut top3, mut floored) = (0usize, 0usize, 0usize);
    for (text, label) in &test {
        let ranking = model.rank(text);
        let rank = ranking
            .intents
            .iter()
            .position(|&(i, _)| labels[i] == *label);
        top1 += (rank == Some(0)) as usize;
        top3 += matches!(rank, Some(r) if r < 3) as usize;
        floored += (rank == Some(0) && ranking.intents[0].1 >= floor) as usize;
    }
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let out_of_scope = (!oos.is_empty()).then(|| {
        let rejected = oos
            .iter()
            .filter(|text| {
                let ranking = model.rank(text);
                ranking.intents.first().is_none_or(|&(_, s)| s < floor)
            })
            .count();
        OutOfScope {
            rows: oos.len(),
            rejected: share(rejected, oos.len()),
            top1_with_floor: share(floored, test.len()),
        }
    });
    FewShotReport {
        shots,
        seed,
        intents: by_label.len(),
        tested: test.len(),
        top1: share(top1, test.len()),
        top3: share(top3, test.len()),
        out_of_scope,
    }
}

/// A tiny seeded generator (SplitMix64): the protocol must give the same split for the
/// same seed on every machine, with no dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Fisher–Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}
