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

#[path = "common/timing.rs"]
mod timing;
use timing::median_p99;

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
