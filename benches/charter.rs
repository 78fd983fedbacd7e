//! Charter engine speed: building an engine (built-in packs + a 200-rule charter) and
//! checking a 2,000-character French draft that contains matches.
//! Budgets (native): build ≤ 20 ms, check median ≤ 50 µs.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tact::charter::{Context, Engine, Network};
use tact::text::lang::Lang;

const DRAFT: &str = include_str!("data/draft_fr_2000_matches.txt");

/// A charter with 200 rules (shared with the wasm benchmark in `benches/node/`).
const CHARTER_200: &str = include_str!("data/charter_200.toml");

fn bench(c: &mut Criterion) {
    // What the first engine of a page pays on top: reading the embedded lexicons (shared
    // by every later engine).
    c.bench_function("reserve lexicons (first engine only)", |b| {
        b.iter(tact::reserve::lexicon::Lexicon::embedded)
    });
    let source = CHARTER_200;
    c.bench_function("engine build (packs + 200 rules)", |b| {
        b.iter(|| Engine::from_source(black_box(source), "bench.toml"))
    });
    let engine = match Engine::from_source(source, "bench.toml") {
        Ok(engine) => engine,
        Err(e) => panic!("bench charter: {e}"),
    };
    // A reply on X, as the wasm benchmark checks it: the length pack counts like X.
    let ctx = Context {
        lang: Some(Lang::Fr),
        network: Some(Network::X),
        ..Context::default()
    };
    let findings = engine.check(DRAFT, &ctx).findings.len();
    assert!(findings > 0, "the bench draft must contain matches");
    println!(
        "draft: {} chars, {findings} findings",
        DRAFT.chars().count()
    );
    c.bench_function("check 2,000-char French draft", |b| {
        b.iter(|| engine.check(black_box(DRAFT), &ctx))
    });
    let auto = Context {
        lang: None,
        ..ctx.clone()
    };
    c.bench_function("check 2,000-char French draft (language guessed)", |b| {
        b.iter(|| engine.check(black_box(DRAFT), &auto))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
