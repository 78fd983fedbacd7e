//! The intent model: learned at load time from a handful of examples per class, small
//! enough to rebuild on every settings change and fast enough to run on every focus.
//!
//! Each text becomes a sparse TF-IDF vector (sublinear counts; IDF counted over classes,
//! so a word every intent uses weighs little; one weight per feature kind). A class is
//! scored by blending two views: the cosine with the class centroid (robust when
//! examples agree) and the mean similarity of its two nearest examples (right when a
//! class has distinct phrasings). Centroids are sharpened by a few leave-one-out
//! perceptron passes: each example is scored against the centroids without itself, and
//! every class (among its nearest few) that beats or nearly ties its own pulls away along
//! that example's features — discriminative weighting for a few milliseconds (the sums
//! are a dense matrix only while learning; examples already clear of every rival drop
//! out of the later passes).
//! Finally the model measures how well examples match their own class when left out,
//! which sets its "nothing fits" floor: a library of terse, varied examples gets a lower
//! floor than one of long, uniform ones.

use super::features::{self, Kind};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

// Tuned on development data (BANKING77 and CLINC150 few-shot, the brand comment set).
const WEIGHT_WORD: f32 = 1.0;
const WEIGHT_CONCEPT: f32 = 1.5;
const WEIGHT_BIGRAM: f32 = 0.6;
const WEIGHT_GRAM: f32 = 0.5;
/// Share of the centroid view in a class score (the rest: nearest examples).
const CENTROID: f32 = 0.8;
/// Nearest examples averaged per class.
const KNN: usize = 2;
const EPOCHS: usize = 5;
const RATE: f32 = 0.3;
/// At most this many rivals (the strongest) are pushed away per example.
const RIVALS: usize = 3;
/// Closest rivals of each example, found in the first pass, that the later passes compare
/// it with.
const CANDIDATES: usize = 8;
/// A rival within this cosine of the example's own class counts as a mistake.
const MARGIN: f32 = 0.1;
/// "Nothing fits" below this share of the median left-out score of the examples.
const FLOOR: f32 = 0.4;

/// Feature ids are already well-mixed hashes: hash them by identity.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

pub(crate) type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// Class sums while learning, as a dense feature-major matrix (`features × classes`):
/// the rival search touches every class for every feature of an example, and contiguous
/// rows make that a tight loop; updates are O(1).
/// A 77-intent library of 770 examples needs a few MB for the few milliseconds of
/// learning; the kept centroids are sparse again.
struct Sums {
    classes: usize,
    weights: Vec<f32>,
    /// Squared norm of each class sum.
    norms: Vec<f32>,
}

impl Sums {
    fn new(features: usize, classes: usize) -> Sums {
        Sums {
            classes,
            weights: vec![0.0; features * classes],
            norms: vec![0.0; classes],
        }
    }

    /// The weights of every class for one feature.
    fn row(&self, feature: u32) -> &[f32] {
        let at = feature as usize * self.classes;
        &self.weights[at..at + self.classes]
    }

    /// Adds `delta` to one class weight, keeping that class's squared norm current.
    fn add(&mut self, feature: u32, class: u16, delta: f32) {
        let slot = &mut self.weights[feature as usize * self.classes + class as usize];
        self.norms[class as usize] += 2.0 * *slot * delta + delta * delta;
        *slot += delta;
    }
}

/// Rows of `(key, weight)` in one flat array (row `n` is `items[starts[n]..starts[n + 1]]`):
/// one allocation instead of one per feature, which is most of the learning time otherwise.
struct Postings<K> {
    starts: Vec<u32>,
    items: Vec<(K, f32)>,
}

impl<K> Postings<K> {
    fn row(&self, n: u32) -> &[(K, f32)] {
        let n = n as usize;
        &self.items[self.starts[n] as usize..self.starts[n + 1] as usize]
    }
}

/// An example during learning: densely numbered features and its class.
type Dense = (Vec<(u32, f32)>, u16);

/// A learned model over `classes` classes.
pub(crate) struct Model {
    classes: usize,
    /// Inverse class frequency of each numbered feature.
    idf: Vec<f32>,
    /// IDF given to features the examples never showed (they only lower similarity).
    idf_unseen: f32,
    /// Feature id -> its dense number, the row of both posting tables.
    number: IdMap<u32>,
    /// Per feature: (class, weight) of the normalised centroids.
    centroids: Postings<u16>,
    /// Per feature: (example, weight) of the normalised examples.
    examples: Postings<u32>,
    example_class: Vec<u16>,
    /// Scores below this mean that nothing fits.
    floor: f32,
}

impl Model {
    /// Learns from `(text, class)` pairs; classes are `0..classes`.
    pub(crate) fn learn<'a>(
        data: impl IntoIterator<Item = (&'a str, usize)>,
        classes: usize,
    ) -> Model {
        let raw: Vec<(features::Counts, u16)> = data
            .into_iter()
            .map(|(text, class)| (features::extract(text), class as u16))
            .collect();
        // Features numbered densely, and their document frequency counted once per class
        // that uses them: examples visited class by class, each feature remembering the
        // last class that counted it.
        let mut by_class: Vec<&(features::Counts, u16)> = raw.iter().collect();
        by_class.sort_by_key(|(_, class)| *class);
        let mut number: IdMap<u32> = IdMap::default();
        // Whole words and concepts, which the first pass's rival search uses alone.
        let mut coarse: Vec<bool> = Vec::new();
        let mut df: Vec<f32> = Vec::new();
        let mut counted_by: Vec<u16> = Vec::new();
        for (counts, class) in by_class {
            for &(id, _) in counts {
                let n = *number.entry(id).or_insert_with(|| {
                    df.push(0.0);
                    counted_by.push(u16::MAX);
                    coarse.push(matches!(features::kind_of(id), Kind::Word | Kind::Concept));
                    df.len() as u32 - 1
                }) as usize;
                if counted_by[n] != *class {
                    counted_by[n] = *class;
                    df[n] += 1.0;
                }
            }
        }
        let n = classes as f32;
        let idf: Vec<f32> = df
            .into_iter()
            .map(|d| ((n + 1.0) / (d + 1.0)).ln() + 1.0)
            .collect();
        let features_seen = idf.len() as u32;
        let mut model = Model {
            idf_unseen: (n + 1.0).ln() + 1.0,
            idf,
            classes,
            number,
            centroids: Postings {
                starts: Vec::new(),
                items: Vec::new(),
            },
            examples: Postings {
                starts: Vec::new(),
                items: Vec::new(),
            },
            example_class: Vec::new(),
            floor: 0.0,
        };
        // The class sums, sharpened, then normalised into centroids.
        let dense: Vec<Dense> = raw
            .iter()
            .map(|(counts, class)| (model.weigh(counts), *class))
            .collect();
        model.example_class = dense.iter().map(|(_, class)| *class).collect();
        model.examples = index_examples(&dense, features_seen as usize);
        let mut sums = Sums::new(features_seen as usize, classes);
        for (features, class) in &dense {
            for &(n, w) in features {
                sums.add(n, *class, w);
            }
        }
        model.refine(&dense, &coarse, &mut sums);
        model.floor = FLOOR * model.left_out_median(&dense, &sums);
        let norms: Vec<f32> = sums.norms.iter().map(|n| n.sqrt()).collect();
        let centroids = &mut model.centroids;
        centroids.starts.push(0);
        for n in 0..features_seen {
            centroids.items.extend(
                sums.row(n)
                    .iter()
                    .zip(&norms)
                    .enumerate()
                    .filter(|&(_, (&w, &norm))| w != 0.0 && norm > 0.0)
                    .map(|(c, (&w, &norm))| (c as u16, w / norm)),
            );
            centroids.starts.push(centroids.items.len() as u32);
        }
        model
    }

    /// The "nothing fits" floor learned from the examples.
    pub(crate) fn floor(&self) -> f32 {
        self.floor
    }

    /// Cosine of `features` (an example of class `own`) with every class sum, treating
    /// the own sum as if the example were left out (see [`Model::left_out`]); only over
    /// the features `keep` accepts.
    fn left_out_cosines(
        &self,
        features: &[(u32, f32)],
        keep: impl Fn(u32) -> bool,
        own: usize,
        sums: &Sums,
        dots: &mut Vec<f32>,
    ) {
        dots.clear();
        dots.resize(self.classes, 0.0);
        for &(n, w) in features.iter().filter(|&&(n, _)| keep(n)) {
            for (d, &v) in dots.iter_mut().zip(sums.row(n)) {
                *d += w * v;
            }
        }
        for (c, d) in dots.iter_mut().enumerate() {
            *d = Self::left_out(*d, c, own, sums);
        }
    }

    /// The cosine of an example of class `own` with the sum of class `class`, from their
    /// dot product; the own sum as if the example were left out: s.x - |x|^2 over |s - x|,
    /// with |s - x|^2 = |s|^2 - 2 s.x + |x|^2 and |x| = 1.
    fn left_out(dot: f32, class: usize, own: usize, sums: &Sums) -> f32 {
        let norm = sums.norms[class];
        if class == own {
            (dot - 1.0) / (norm - 2.0 * dot + 1.0).max(1e-6).sqrt()
        } else if norm > 0.0 {
            dot / norm.sqrt()
        } else {
            0.0
        }
    }

    /// Dot product of an example with one class sum (one column of the matrix).
    fn dot(features: &[(u32, f32)], class: usize, sums: &Sums) -> f32 {
        features.iter().map(|&(n, w)| w * sums.row(n)[class]).sum()
    }

    /// Leave-one-out perceptron passes over the class sums (see the module comment). Each
    /// example is compared with a few candidate rivals only: the classes closest to it on
    /// whole words and concepts (`coarse` features), found once before the passes. The
    /// passes only push rivals away, so a class far from an example at the start does not
    /// come near it later, and the passes cost a few classes per example instead of all.
    fn refine(&self, examples: &[Dense], coarse: &[bool], sums: &mut Sums) {
        let mut cos = Vec::with_capacity(self.classes);
        let mut rivals: Vec<(usize, f32)> = Vec::new();
        let near = CANDIDATES.min(self.classes.saturating_sub(1));
        let mut candidates: Vec<u16> = Vec::with_capacity(examples.len() * near);
        for (features, class) in examples {
            let own = *class as usize;
            self.left_out_cosines(features, |n| coarse[n as usize], own, sums, &mut cos);
            rivals.clear();
            rivals.extend((0..self.classes).filter(|&c| c != own).map(|c| (c, cos[c])));
            if near > 0 && near < rivals.len() {
                rivals.select_nth_unstable_by(near - 1, |a, b| b.1.total_cmp(&a.1));
            }
            candidates.extend(rivals.iter().take(near).map(|&(c, _)| c as u16));
        }
        // Examples that were clear of every rival are not revisited: the passes only
        // sharpen, so those seldom fall back, and skipping them halves the learning time.
        let mut active = vec![true; examples.len()];
        for _ in 0..EPOCHS {
            for (e, ((features, class), active)) in examples.iter().zip(&mut active).enumerate() {
                if !*active {
                    continue;
                }
                let own = *class as usize;
                let mine = Self::left_out(Self::dot(features, own, sums), own, own, sums);
                rivals.clear();
                rivals.extend(
                    candidates[e * near..(e + 1) * near]
                        .iter()
                        .map(|&c| {
                            let c = c as usize;
                            (
                                c,
                                Self::left_out(Self::dot(features, c, sums), c, own, sums),
                            )
                        })
                        .filter(|&(_, cos)| cos + MARGIN > mine),
                );
                if rivals.is_empty() {
                    *active = false;
                    continue;
                }
                rivals.sort_by(|a, b| b.1.total_cmp(&a.1));
                rivals.truncate(RIVALS);
                let share = RATE / rivals.len() as f32;
                for &(n, w) in features {
                    sums.add(n, *class, RATE * w);
                    for &(rival, _) in &rivals {
                        sums.add(n, rival as u16, -share * w);
                    }
                }
            }
        }
    }

    /// Median over the examples of their own class's centroid cosine with the example
    /// left out. (The nearest-example view is left aside: measuring it would compare
    /// every pair of examples, too slow at load for what it would change.)
    fn left_out_median(&self, examples: &[Dense], sums: &Sums) -> f32 {
        let mut scores: Vec<f32> = examples
            .iter()
            .map(|(features, class)| {
                let own = *class as usize;
                Self::left_out(Self::dot(features, own, sums), own, own, sums)
            })
            .collect();
        scores.sort_by(f32::total_cmp);
        scores.get(scores.len() / 2).copied().unwrap_or(0.0)
    }

    /// Sublinear, IDF- and kind-weighted, L2-normalised vector of raw counts, keeping only
    /// the features the examples showed (by their dense number); the others still count in
    /// the norm, so a comment mostly made of unknown words scores low everywhere.
    fn weigh(&self, counts: &features::Counts) -> Vec<(u32, f32)> {
        let mut norm = 0.0f32;
        let mut vector = Vec::with_capacity(counts.len());
        for &(id, n) in counts {
            let kind = match features::kind_of(id) {
                Kind::Word => WEIGHT_WORD,
                Kind::Concept => WEIGHT_CONCEPT,
                Kind::Bigram => WEIGHT_BIGRAM,
                Kind::Gram => WEIGHT_GRAM,
            };
            let number = self.number.get(&id).copied();
            let idf = number.map_or(self.idf_unseen, |n| self.idf[n as usize]);
            let w = kind * (1.0 + n.ln()) * idf;
            norm += w * w;
            if let Some(number) = number {
                vector.push((number, w));
            }
        }
        let norm = norm.sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        vector
    }

    /// One score per class in `0..=1`-ish (cosine blend; higher is better), and the cosine
    /// with each example.
    pub(crate) fn scores(&self, text: &str) -> (Vec<f32>, Vec<f32>) {
        let query = self.weigh(&features::extract(text));
        let mut centroid = vec![0.0f32; self.classes];
        let mut example = vec![0.0f32; self.example_class.len()];
        for &(n, w) in &query {
            for &(c, v) in self.centroids.row(n) {
                centroid[c as usize] += w * v;
            }
            for &(e, v) in self.examples.row(n) {
                example[e as usize] += w * v;
            }
        }
        // The k best example similarities of each class, averaged.
        let k = KNN;
        let mut best: Vec<Vec<f32>> = vec![Vec::with_capacity(k + 1); self.classes];
        for (e, &sim) in example.iter().enumerate() {
            let top = &mut best[self.example_class[e] as usize];
            let at = top.partition_point(|&s| s >= sim);
            if at < k {
                top.insert(at, sim);
                top.truncate(k);
            }
        }
        let a = CENTROID;
        let scores = centroid
            .iter()
            .zip(&best)
            .map(|(c, top)| {
                let knn = top.iter().sum::<f32>() / k as f32;
                a * c + (1.0 - a) * knn
            })
            .collect();
        (scores, example)
    }
}

/// The examples' weights by feature (counted, then placed: no per-feature vectors).
fn index_examples(examples: &[Dense], features: usize) -> Postings<u32> {
    let mut starts = vec![0u32; features + 1];
    for (vector, _) in examples {
        for &(n, _) in vector {
            starts[n as usize + 1] += 1;
        }
    }
    for n in 0..features {
        starts[n + 1] += starts[n];
    }
    let mut next = starts.clone();
    let mut items = vec![(0u32, 0.0f32); starts[features] as usize];
    for (e, (vector, _)) in examples.iter().enumerate() {
        for &(n, w) in vector {
            let at = &mut next[n as usize];
            items[*at as usize] = (e as u32, w);
            *at += 1;
        }
    }
    Postings { starts, items }
}
