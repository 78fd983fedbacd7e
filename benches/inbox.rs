//! Inbox speed over 50,000 captured items: listing, filtering and searching (target:
//! ≤ 50 ms in wasm, so ≤ 10 ms native), plus stats, export and loading for scale.
//!
//! Criterion measures; the median of 31 plain runs per case is printed at the end as a
//! one-line summary for `build.sh bench`.

use criterion::{criterion_group, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};
use tact::inbox::{
    compute_stats, Author, Capture, CsvOptions, Filter, Inbox, Network, StatsRequest, Status,
    Timestamp, Vocabulary,
};
use tact::text::lang::Lang;

const N: u64 = 50_000;

/// A small deterministic generator (xorshift64*), so every run benches the same inbox.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    /// Half common words, half a long tail of ~64,000 made-up words (skewed towards the
    /// first ones), so the search index has a realistic number of distinct tokens.
    fn word(&mut self) -> String {
        if self.next() % 2 == 0 {
            return self.pick(WORDS).to_string();
        }
        let r = self.next() % 64_000;
        let k = (r * r / 64_000) as usize;
        [k % 40, k / 40 % 40, k / 1600 % 40]
            .iter()
            .map(|&s| SYLLABLES[s])
            .collect()
    }
}

const SYLLABLES: &[&str] = &[
    "ba", "bé", "co", "da", "de", "fi", "ga", "gu", "jo", "ka", "la", "lé", "li", "ma", "mè", "mo",
    "na", "ni", "no", "pa", "pi", "po", "ra", "ré", "ri", "ro", "sa", "se", "si", "so", "ta", "té",
    "ti", "to", "va", "vi", "vo", "za", "zo", "zu",
];

const WORDS: &[&str] = &[
    "commande",
    "livraison",
    "retard",
    "remboursement",
    "café",
    "délicieux",
    "équipe",
    "merci",
    "problème",
    "boutique",
    "order",
    "delivery",
    "late",
    "refund",
    "great",
    "service",
    "question",
    "horaires",
    "ouverture",
    "Noël",
    "prix",
    "qualité",
    "été",
    "crème",
    "brûlée",
    "@CafeLumiere",
    "#café",
    "vraiment",
    "pourquoi",
    "toujours",
    "jamais",
    "bravo",
    "thanks",
];

fn inbox() -> Inbox {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut inbox = Inbox::new(Vocabulary::defaults());
    let tag_ids: Vec<String> = inbox
        .vocabulary()
        .tags()
        .iter()
        .map(|t| t.id.clone())
        .collect();
    let start = Timestamp::parse("2024-01-01T00:00:00Z").map_or(0, |t| t.0);
    for n in 0..N {
        let words = 15 + rng.next() % 30;
        let text: Vec<String> = (0..words).map(|_| rng.word()).collect();
        let author = rng.next() % 4000;
        let fb = rng.next() % 3 == 0;
        let permalink = if fb {
            format!("https://www.facebook.com/page{author}/posts/{n}?__tn__=R")
        } else {
            format!(
                "https://x.com/user{author}/status/{}",
                1_800_000_000_000_000_000 + n
            )
        };
        let tags = (0..rng.next() % 3)
            .map(|_| tag_ids[(rng.next() % tag_ids.len() as u64) as usize].clone())
            .collect();
        let capture = Capture {
            permalink,
            page_url: String::new(),
            author: Author {
                handle: format!("user{author}"),
                name: format!("Utilisatrice n°{author}"),
            },
            text: text.join(" "),
            posted_at: None,
            captured_at: Timestamp(start + (n as i64) * 600_000 + (rng.next() % 600_000) as i64),
            captured_by: "Léa".into(),
            tags: Some(tags),
            status: Some(if rng.next() % 4 == 0 {
                Status::Done
            } else {
                Status::Open
            }),
            note: (rng.next() % 10 == 0).then(|| "rappeler demain".to_string()),
        };
        if inbox.capture(capture).is_err() {
            panic!("bench data must capture");
        }
    }
    inbox
}

fn cases() -> Vec<(&'static str, Filter)> {
    vec![
        ("list all (page of 50)", Filter::default()),
        (
            "search one word",
            Filter {
                query: Some("LIVRAISON".into()),
                ..Filter::default()
            },
        ),
        (
            "search two accented words",
            Filter {
                query: Some("creme brulee".into()),
                ..Filter::default()
            },
        ),
        (
            "tag + status + network + dates + search",
            Filter {
                tags: vec!["complaint".into(), "crisis".into()],
                status: Some(Status::Open),
                network: Some(Network::X),
                since: Timestamp::parse("2024-02-01T00:00:00Z").ok(),
                until: Timestamp::parse("2024-06-01T00:00:00Z").ok(),
                query: Some("remboursement retard".into()),
                ..Filter::default()
            },
        ),
        (
            "author",
            Filter {
                author: Some("@user12".into()),
                ..Filter::default()
            },
        ),
    ]
}

/// CPU time this thread has used: on a shared, loaded machine wall time overstates the
/// work, so the summary reports both.
fn thread_cpu() -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
}

/// Median wall and CPU time of 31 runs.
fn median(mut f: impl FnMut()) -> (Duration, Option<Duration>) {
    let mut wall = Vec::with_capacity(31);
    let mut cpu = Vec::with_capacity(31);
    for _ in 0..31 {
        let (t, c) = (Instant::now(), thread_cpu());
        f();
        wall.push(t.elapsed());
        if let (Some(c0), Some(c1)) = (c, thread_cpu()) {
            cpu.push(c1.saturating_sub(c0));
        }
    }
    wall.sort();
    cpu.sort();
    (wall[wall.len() / 2], cpu.get(cpu.len() / 2).copied())
}

fn bench(c: &mut Criterion) {
    let inbox = inbox();
    let mut summary = Vec::new();
    for (name, filter) in cases() {
        c.bench_function(&format!("inbox 50k: {name}"), |b| {
            b.iter(|| black_box(inbox.page(black_box(&filter), 0, 50).total))
        });
        let total = inbox.page(&filter, 0, 50).total;
        summary.push((
            format!("{name} ({total} hits)"),
            median(|| {
                black_box(inbox.page(&filter, 0, 50));
            }),
        ));
    }
    let req = StatsRequest::default();
    c.bench_function("inbox 50k: stats (per day/week, top authors)", |b| {
        b.iter(|| black_box(compute_stats(&inbox, &req, Lang::Fr).map(|s| s.total)))
    });
    summary.push((
        "stats".into(),
        median(|| {
            let _ = black_box(compute_stats(&inbox, &req, Lang::Fr));
        }),
    ));
    summary.push((
        "export CSV (all)".into(),
        median(|| {
            black_box(inbox.export_csv(&Filter::default(), CsvOptions::default()));
        }),
    ));
    let json = inbox.export_json(&Filter::default());
    summary.push((
        "load JSON (parse, check, merge, order)".into(),
        median(|| {
            let mut fresh = Inbox::new(Vocabulary::empty());
            if let Ok(store) = tact::inbox::parse_import(&json) {
                black_box(fresh.import(store));
            }
        }),
    ));
    summary.push((
        "load JSON, then a first search (builds the word index)".into(),
        median(|| {
            let mut fresh = Inbox::new(Vocabulary::empty());
            if let Ok(store) = tact::inbox::parse_import(&json) {
                fresh.import(store);
            }
            black_box(fresh.page(&cases()[1].1, 0, 50).total);
        }),
    ));
    println!("\ninbox medians over {N} items (native): wall ms, CPU ms");
    for (name, (wall, cpu)) in summary {
        let cpu = cpu.map_or("-".to_string(), |c| format!("{:.3}", c.as_secs_f64() * 1e3));
        println!("  {:>9.3} {cpu:>9}  {name}", wall.as_secs_f64() * 1e3);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(2));
    targets = bench
}

fn main() {
    benches();
    Criterion::default().final_summary();
}
