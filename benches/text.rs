//! Text-core speed on realistic French CM drafts (280 and 2,000 characters): twitter-text
//! `parseTweet` semantics, entity extraction, tokens and language guess.
//!
//! Budgets: parsing a 280-character draft under 10 µs, a 2,000-character one under 50 µs.
//! After criterion's report, prints one machine-readable line per draft with the median and
//! 99th percentile of `parse_tweet`, in the format of `benches/node/twitter_text.mjs`, so
//! the two can be compared:
//!   tact parseTweet draft_fr_280 median_us=… p99_us=… budget_us=10 ok

use criterion::{BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Instant;
use tact::text::tweet::{self, Config, Version};
use tact::text::{lang, tokens};

const DRAFTS: [(&str, &str, f64); 2] = [
    ("draft_fr_280", include_str!("data/draft_fr_280.txt"), 10.0),
    (
        "draft_fr_2000",
        include_str!("data/draft_fr_2000.txt"),
        50.0,
    ),
];

fn criterion_benches(c: &mut Criterion) {
    let v3 = Config::get(Version::V3);
    let mut group = c.benchmark_group("text");
    for (name, text, _) in DRAFTS {
        group.bench_with_input(BenchmarkId::new("parse_tweet", name), text, |b, t| {
            b.iter(|| tweet::parse_tweet(black_box(t), v3))
        });
        group.bench_with_input(BenchmarkId::new("extract_entities", name), text, |b, t| {
            b.iter(|| tweet::extract_entities(black_box(t)))
        });
        group.bench_with_input(BenchmarkId::new("tokens", name), text, |b, t| {
            b.iter(|| tokens::tokens(black_box(t)).len())
        });
        group.bench_with_input(BenchmarkId::new("lang_guess", name), text, |b, t| {
            b.iter(|| lang::guess(black_box(t)))
        });
    }
    group.finish();
}

/// Median and 99th percentile, in µs per call, of 400 timed batches after a warm-up.
fn median_p99(mut f: impl FnMut()) -> (f64, f64) {
    let warm = Instant::now();
    let mut calls = 0u32;
    while warm.elapsed().as_millis() < 200 {
        f();
        calls += 1;
    }
    // Batches of about 50 µs, so the clock's resolution does not matter.
    let per_call = warm.elapsed().as_secs_f64() / f64::from(calls.max(1));
    let batch = ((50e-6 / per_call).ceil() as u32).max(1);
    let mut samples: Vec<f64> = (0..400)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / f64::from(batch)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    (
        samples[samples.len() / 2],
        samples[samples.len() * 99 / 100],
    )
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c);
    c.final_summary();
    let v3 = Config::get(Version::V3);
    for (name, text, budget) in DRAFTS {
        let (median, p99) = median_p99(|| {
            black_box(tweet::parse_tweet(black_box(text), v3));
        });
        let verdict = if median < budget { "ok" } else { "OVER" };
        println!(
            "tact parseTweet {name} median_us={median:.2} p99_us={p99:.2} budget_us={budget} {verdict}"
        );
    }
}
