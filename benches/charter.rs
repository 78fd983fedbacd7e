//! Charter engine speed: building an engine (built-in packs + a 200-rule charter) and
//! checking a 2,000-character French draft that contains matches.
//! Budgets (native): build ≤ 20 ms, check median ≤ 50 µs.

use criterion::Criterion;
use std::hint::black_box;
use tact::charter::{Context, Engine, Network};
use tact::text::lang::Lang;

const DRAFT: &str = include_str!("data/draft_fr_2000_matches.txt");

/// A charter with 200 rules (shared with the wasm benchmark in `benches/node/`).
const CHARTER_200: &str = include_str!("data/charter_200.toml");

/// The engine of the 200-rule charter.
fn bench_engine() -> Engine {
    match Engine::from_source(CHARTER_200, "bench.toml") {
        Ok(engine) => engine,
        Err(e) => panic!("bench charter: {e}"),
    }
}

/// A French reply on X, as the wasm benchmark checks it: the length pack counts like X.
fn x_reply() -> Context {
    Context {
        lang: Some(Lang::Fr),
        network: Some(Network::X),
        ..Context::default()
    }
}

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
    let engine = bench_engine();
    let ctx = x_reply();
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

#[path = "common/timing.rs"]
mod timing;

/// A named measure, its budget in µs, and the call to time.
type Measure<'a> = (&'static str, f64, Box<dyn FnMut() + 'a>);

/// After criterion's report, one machine-readable line per measure (median and p99 of
/// single calls, as the budgets are stated), read by `build.sh bench`.
fn summary() {
    let engine = bench_engine();
    let ctx = x_reply();
    let lines: [Measure; 3] = [
        (
            "check fr-2000-matches",
            50.0,
            Box::new(|| {
                black_box(engine.check(black_box(DRAFT), &ctx));
            }),
        ),
        (
            "engine build (packs + 200 rules)",
            20_000.0,
            Box::new(|| {
                black_box(Engine::from_source(black_box(CHARTER_200), "bench.toml").ok());
            }),
        ),
        (
            "reserve lexicons (first engine only)",
            20_000.0,
            Box::new(|| {
                black_box(tact::reserve::lexicon::Lexicon::embedded());
            }),
        ),
    ];
    for (name, budget, mut f) in lines {
        let (median, p99) = timing::median_p99(&mut f);
        let verdict = if median <= budget { "ok" } else { "OVER" };
        println!("tact {name} median_us={median:.1} p99_us={p99:.1} budget_us={budget} {verdict}");
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    summary();
}
