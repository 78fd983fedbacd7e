//! The intent model: learned at load time from a handful of examples per class, small
//! enough to rebuild on every settings change and fast enough to run on every focus.
//!
//! Each text becomes a sparse TF-IDF vector (sublinear counts, IDF over the example pool,
//! one weight per feature kind). A class is scored by blending two views: the cosine with
//! the class centroid (robust when examples agree) and the similarity of the nearest
//! examples (right when a class has several distinct phrasings). Centroids are then
//! sharpened by a few leave-one-out perceptron passes: each example is scored against the
//! centroids without itself, and when another class beats or nearly ties its own, the
//! centroids move apart along that example's features — discriminative weighting bought
//! at the cost of a few milliseconds, with no dense weight matrix.

use super::features::{self, Kind};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Tuned on development data (BANKING77 and CLINC150 few-shot, the brand comment set).
#[derive(Clone, Debug)]
pub(crate) struct Tuning {
    pub word: f32,
    pub concept: f32,
    pub bigram: f32,
    pub gram: f32,
    pub centroid: f32,
    pub knn: usize,
    pub epochs: usize,
    pub rate: f32,
    pub margin: f32,
}

impl Default for Tuning {
    fn default() -> Self {
        let env = |k: &str, d: f32| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
        let t = Tuning {
            word: 1.0,
            concept: 1.0,
            bigram: 0.6,
            gram: 0.5,
            centroid: 0.5,
            knn: 2,
            epochs: 0,
            rate: 0.3,
            margin: 0.05,
        };
        Tuning { concept: env("TCO", t.concept), word: env("TW", t.word), bigram: env("TB", t.bigram), gram: env("TG", t.gram), centroid: env("TC", t.centroid), knn: env("TK", t.knn as f32) as usize, epochs: env("TE", t.epochs as f32) as usize, rate: env("TR", t.rate), margin: env("TM", t.margin) }
    }
}

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

type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// A normalised sparse vector, sorted by feature id.
type Sparse = Vec<(u32, f32)>;

/// Adds `delta` to one class weight, keeping that class's squared norm current.
fn add(weights: &mut IdMap<Vec<(u16, f32)>>, norms: &mut [f32], id: u32, class: u16, delta: f32) {
    let postings = weights.entry(id).or_default();
    let slot = match postings.iter().position(|&(c, _)| c == class) {
        Some(i) => &mut postings[i].1,
        None => {
            postings.push((class, 0.0));
            &mut postings.last_mut().map(|p| &mut p.1).unwrap_or_else(|| unreachable!())
        }
    };
    norms[class as usize] += 2.0 * *slot * delta + delta * delta;
    *slot += delta;
}

/// A learned model over `classes` classes.
pub(crate) struct Model {
    tuning: Tuning,
    classes: usize,
    idf: IdMap<f32>,
    /// IDF given to features the examples never showed (they only lower similarity).
    idf_unseen: f32,
    /// feature -> (class, weight) of the normalised centroids.
    centroids: IdMap<Vec<(u16, f32)>>,
    /// feature -> (example, weight) of the normalised examples.
    examples: IdMap<Vec<(u32, f32)>>,
    example_class: Vec<u16>,
}

impl Model {
    /// Learns from `(text, class)` pairs; classes are `0..classes`.
    pub(crate) fn learn<'a>(
        data: impl IntoIterator<Item = (&'a str, usize)>,
        classes: usize,
        tuning: Tuning,
    ) -> Model {
        let raw: Vec<(features::Counts, u16)> = data
            .into_iter()
            .map(|(text, class)| (features::extract(text), class as u16))
            .collect();
        let mut df: IdMap<f32> = IdMap::default();
        let class_idf = std::env::var("TI").is_ok();
        let mut seen: std::collections::HashSet<(u32, u16)> = Default::default();
        for (counts, c) in &raw {
            for &(id, _) in counts {
                if class_idf && !seen.insert((id, *c)) { continue; }
                *df.entry(id).or_default() += 1.0;
            }
        }
        let n = if class_idf { classes as f32 } else { raw.len() as f32 };
        let idf: IdMap<f32> = df
            .into_iter()
            .map(|(id, d)| (id, ((n + 1.0) / (d + 1.0)).ln() + 1.0))
            .collect();
        let mut model = Model {
            idf_unseen: ((n + 1.0) / 1.0).ln() + 1.0,
            idf,
            tuning,
            classes,
            centroids: IdMap::default(),
            examples: IdMap::default(),
            example_class: Vec::with_capacity(raw.len()),
        };
        let vectors: Vec<(Sparse, u16)> = raw
            .iter()
            .map(|(counts, class)| (model.weigh(counts), *class))
            .collect();
        // feature -> (class, weight): the class sums, sharpened, then normalised.
        let mut weights: IdMap<Vec<(u16, f32)>> = IdMap::default();
        let mut norms = vec![0.0f32; classes];
        for (i, (vector, class)) in vectors.iter().enumerate() {
            model.example_class.push(*class);
            for &(id, w) in vector {
                model.examples.entry(id).or_default().push((i as u32, w));
                add(&mut weights, &mut norms, id, *class, w);
            }
        }
        model.refine(&vectors, &mut weights, &mut norms);
        for postings in weights.values_mut() {
            for (c, w) in postings.iter_mut() {
                let norm = norms[*c as usize].sqrt();
                *w = if norm > 0.0 { *w / norm } else { 0.0 };
            }
        }
        model.centroids = weights;
        if let Ok(ep) = std::env::var("TLR") { model.lr(&vectors, ep.parse().unwrap_or(10)); }
        model
    }

    fn lr(&mut self, vectors: &[(Sparse, u16)], epochs: usize) {
        let mut index: IdMap<usize> = IdMap::default();
        for (v, _) in vectors { for &(id, _) in v { let n = index.len(); index.entry(id).or_insert(n); } }
        let c = self.classes; let v = index.len();
        let mut w = vec![0.0f32; v * c];
        // init from centroids
        let init: f32 = std::env::var("TLI").ok().and_then(|x| x.parse().ok()).unwrap_or(0.0);
        for (id, posts) in &self.centroids { if let Some(&i) = index.get(id) { for &(cl, x) in posts { w[i * c + cl as usize] = init * x; } } }
        let l2: f32 = std::env::var("TL2").ok().and_then(|x| x.parse().ok()).unwrap_or(1e-4);
        let eta0: f32 = std::env::var("TETA").ok().and_then(|x| x.parse().ok()).unwrap_or(1.0);
        let scale: f32 = std::env::var("TSC").ok().and_then(|x| x.parse().ok()).unwrap_or(1.0);
        let mut order: Vec<usize> = (0..vectors.len()).collect();
        let mut rng = 12345u64;
        for ep in 0..epochs {
            for i in (1..order.len()).rev() { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; order.swap(i, (rng % (i as u64 + 1)) as usize); }
            let eta = eta0 / (1.0 + ep as f32);
            for &k in &order {
                let (x, y) = &vectors[k];
                let mut z = vec![0.0f32; c];
                for &(id, xv) in x { let i = index[&id]; for cl in 0..c { z[cl] += w[i*c+cl] * xv * scale; } }
                let m = z.iter().cloned().fold(f32::MIN, f32::max);
                let mut sum = 0.0; for zz in z.iter_mut() { *zz = (*zz - m).exp(); sum += *zz; }
                for cl in 0..c { z[cl] /= sum; }
                z[*y as usize] -= 1.0;
                for &(id, xv) in x { let i = index[&id]; for cl in 0..c { let g = z[cl] * xv * scale + l2 * w[i*c+cl]; w[i*c+cl] -= eta * g; } }
            }
        }
        let mut cent: IdMap<Vec<(u16, f32)>> = IdMap::default();
        for (id, &i) in &index { cent.insert(*id, (0..c).map(|cl| (cl as u16, w[i*c+cl])).collect()); }
        self.centroids = cent;
    }

    /// Leave-one-out perceptron passes over the class sums (see the module comment).
    fn refine(
        &self,
        vectors: &[(Sparse, u16)],
        weights: &mut IdMap<Vec<(u16, f32)>>,
        norms: &mut [f32],
    ) {
        let multi = std::env::var("TMR").is_ok();
        let mut dots = vec![0.0f32; self.classes];
        for _ in 0..self.tuning.epochs {
            for (vector, class) in vectors {
                let own = *class as usize;
                dots.iter_mut().for_each(|d| *d = 0.0);
                for &(id, w) in vector {
                    if let Some(postings) = weights.get(&id) {
                        for &(c, v) in postings {
                            dots[c as usize] += w * v;
                        }
                    }
                }
                // Without this example: s.(x) - |x|^2 and |s - x|^2 = |s|^2 - 2 s.x + |x|^2.
                let own_dot = dots[own] - 1.0;
                let own_norm = (norms[own] - 2.0 * dots[own] + 1.0).max(1e-6);
                let own_cos = own_dot / own_norm.sqrt();
                let cos = |c: usize| {
                    if norms[c] > 0.0 {
                        dots[c] / norms[c].sqrt()
                    } else {
                        0.0
                    }
                };
                let margin = self.tuning.margin;
                let rivals: Vec<usize> = if multi {
                    (0..self.classes)
                        .filter(|&c| c != own && cos(c) + margin > own_cos)
                        .collect()
                } else {
                    (0..self.classes)
                        .filter(|&c| c != own)
                        .max_by(|&a, &b| cos(a).total_cmp(&cos(b)))
                        .filter(|&c| cos(c) + margin > own_cos)
                        .into_iter()
                        .collect()
                };
                if rivals.is_empty() {
                    continue;
                }
                let rate = self.tuning.rate;
                let share = rate / rivals.len() as f32;
                for &(id, w) in vector {
                    add(weights, norms, id, *class, rate * w);
                    for &rival in &rivals {
                        add(weights, norms, id, rival as u16, -share * w);
                    }
                }
            }
        }
    }

    fn prf(&self, query: Sparse, beta: f32) -> Sparse {
        let k: usize = std::env::var("TPK").ok().and_then(|x| x.parse().ok()).unwrap_or(3);
        let mut example = vec![0.0f32; self.example_class.len()];
        for &(id, w) in &query { if let Some(p) = self.examples.get(&id) { for &(e, v) in p { example[e as usize] += w * v; } } }
        let mut idx: Vec<usize> = (0..example.len()).collect();
        idx.sort_by(|&a, &b| example[b].total_cmp(&example[a]));
        let top: std::collections::HashSet<u32> = idx[..k.min(idx.len())].iter().map(|&i| i as u32).collect();
        let mut acc: IdMap<f32> = IdMap::default();
        for &(id, w) in &query { *acc.entry(id).or_default() += w; }
        for (id, p) in &self.examples { for &(e, v) in p { if top.contains(&e) { *acc.entry(*id).or_default() += beta * example[e as usize] * v / k as f32; } } }
        let mut out: Sparse = acc.into_iter().collect();
        let norm = out.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        out.iter_mut().for_each(|(_, w)| *w /= norm);
        out
    }

    /// Sublinear, IDF- and kind-weighted, L2-normalised vector of raw counts.
    fn weigh(&self, counts: &features::Counts) -> Sparse {
        let t = &self.tuning;
        let mut vector: Sparse = counts
            .iter()
            .map(|&(id, n)| {
                let kind = match features::kind_of(id) {
                    Kind::Word => t.word,
                    Kind::Concept => t.concept,
                    Kind::Bigram => t.bigram,
                    Kind::Gram => t.gram,
                };
                let idf = self.idf.get(&id).copied().unwrap_or(self.idf_unseen);
                let p: f32 = std::env::var("TIP").ok().and_then(|x| x.parse().ok()).unwrap_or(1.0);
                (id, kind * (1.0 + n.ln()) * idf.powf(p))
            })
            .collect();
        if std::env::var("TSEP").is_ok() {
            let is_gram = |id: u32| matches!(features::kind_of(id), Kind::Gram);
            let ng = vector.iter().filter(|(id, _)| is_gram(*id)).map(|(_, w)| w * w).sum::<f32>().sqrt();
            let nw = vector.iter().filter(|(id, _)| !is_gram(*id)).map(|(_, w)| w * w).sum::<f32>().sqrt();
            let gw: f32 = std::env::var("TSEP").ok().and_then(|x| x.parse().ok()).unwrap_or(1.0);
            vector.iter_mut().for_each(|(id, w)| { if is_gram(*id) { if ng > 0.0 { *w *= gw / ng } } else if nw > 0.0 { *w /= nw } });
        }
        let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        vector
    }

    /// One score per class in `0..=1`-ish (cosine blend; higher is better), and the cosine
    /// with each example.
    pub(crate) fn scores(&self, text: &str) -> (Vec<f32>, Vec<f32>) {
        let mut query = self.weigh(&features::extract(text));
        if let Ok(b) = std::env::var("TPRF") { query = self.prf(query, b.parse().unwrap_or(0.3)); }
        let mut centroid = vec![0.0f32; self.classes];
        let mut example = vec![0.0f32; self.example_class.len()];
        for &(id, w) in &query {
            if let Some(postings) = self.centroids.get(&id) {
                for &(c, v) in postings {
                    centroid[c as usize] += w * v;
                }
            }
            if let Some(postings) = self.examples.get(&id) {
                for &(e, v) in postings {
                    example[e as usize] += w * v;
                }
            }
        }
        // The k best example similarities of each class, averaged.
        let k = self.tuning.knn.max(1);
        let mut best: Vec<Vec<f32>> = vec![Vec::with_capacity(k + 1); self.classes];
        for (e, &sim) in example.iter().enumerate() {
            let top = &mut best[self.example_class[e] as usize];
            let at = top.partition_point(|&s| s >= sim);
            if at < k {
                top.insert(at, sim);
                top.truncate(k);
            }
        }
        let a = self.tuning.centroid;
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
