//! Load benchmark of the real `tact-store` binary (release build) on SQLite and on a
//! durable PostgreSQL cluster started for the run:
//! - push throughput: 20 concurrent clients, each with its own member token, pushing
//!   batches of 50 mutations (target ≥ 5,000 mutations/s);
//! - pull latency with 100,000 items in the team: p50/p99 of pull pages of 500 at random
//!   cursors (target p99 ≤ 50 ms).
//!
//! The clients run in this process on the same 2 cores as the server. The store runs with
//! `--rate-limit 0` so the figure is the store's capacity, not the per-token budget.
//!
//!   cargo bench -p tact-store --bench load            (BENCH_BACKENDS=sqlite to pick one)

#[path = "../tests/common/mod.rs"]
mod common;

use common::{admin, now_ms, Api, Backend, Pg, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};
use tact::sync::{Author, Capture, Change, ClientId, ItemId, Replica, Status, TagId};

const CLIENTS: usize = 20;
const BATCH: usize = 50;
const BATCHES_PER_CLIENT: usize = 60;
const ITEMS: usize = 100_000;
const PULLS: usize = 1_000;

fn capture(n: usize, now: u64) -> Change {
    Change::Capture {
        capture: Capture {
            network: "x".into(),
            permalink: format!(
                "https://x.com/user{n}/status/{}",
                1_790_000_000_000_000_000u64 + n as u64
            ),
            author: Author {
                handle: format!("@user{n}"),
                name: format!("User {n}"),
            },
            text: "Bonjour, ma commande n'est toujours pas arrivée, pouvez-vous vérifier ?".into(),
            posted_at: Some(now as i64 - 3_600_000),
            captured_at: now as i64,
            captured_by: "bench".into(),
        },
    }
}

fn random_change(rng: &mut StdRng, n: usize, now: u64) -> Change {
    match rng.gen_range(0..20) {
        0..=3 => capture(n, now),
        4..=13 => Change::Tag {
            tag: TagId::try_from(format!("tag-{}", rng.gen_range(0..12))).unwrap(),
            present: rng.gen_bool(0.8),
        },
        14..=16 => Change::Status {
            status: if rng.gen_bool(0.5) {
                Status::Done
            } else {
                Status::Open
            },
        },
        _ => Change::Note {
            note: format!("rappeler le client, dossier {n}"),
        },
    }
}

async fn push_throughput(apis: &[Api]) -> (usize, Duration) {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (c, api) in apis.iter().enumerate() {
        let api = api.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(c as u64);
            let mut replica = Replica::new(ClientId::try_from(format!("bench-{c}")).unwrap());
            let now = now_ms();
            let mut pushed = 0;
            for b in 0..BATCHES_PER_CLIENT {
                for _ in 0..BATCH {
                    let item = rng.gen_range(0..2_000);
                    let change = random_change(&mut rng, item, now);
                    replica.mutate(
                        ItemId::try_from(format!("x:{c}-{item}")).unwrap(),
                        change,
                        now,
                    );
                }
                let answer = api
                    .push(&replica.push_request(BATCH))
                    .await
                    .unwrap_or_else(|e| panic!("client {c} batch {b}: {e}"));
                replica.acknowledge(answer.last_mutation_id);
                assert!(
                    replica.pending().is_empty(),
                    "client {c}: push not fully applied"
                );
                pushed += BATCH;
            }
            pushed
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.expect("client task");
    }
    (total, start.elapsed())
}

/// Brings the team to `ITEMS` captured items (pushes of 500 captures).
async fn seed_items(api: &Api) {
    let mut replica = Replica::new(ClientId::try_from("seeder".to_string()).unwrap());
    let now = now_ms();
    for n in 0..ITEMS {
        replica.mutate(
            ItemId::try_from(format!("x:seed-{n}")).unwrap(),
            capture(n, now),
            now,
        );
        if replica.pending().len() == 500 || n + 1 == ITEMS {
            let answer = api
                .push(&replica.push_request(500))
                .await
                .expect("seed push");
            replica.acknowledge(answer.last_mutation_id);
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn pull_latency(api: &Api) -> (Duration, Duration, Duration, u64) {
    // The newest cursor: walk the whole change feed once (also warms the caches, as a
    // long-running store's would be).
    let last = {
        let mut cursor = 0;
        loop {
            let page = api.pull(cursor, 1000).await.expect("pull");
            cursor = page.cursor;
            if !page.more {
                break cursor;
            }
        }
    };
    let mut rng = StdRng::seed_from_u64(99);
    let mut times = Vec::with_capacity(PULLS);
    for _ in 0..PULLS {
        let cursor = rng.gen_range(0..last);
        let start = Instant::now();
        let page = api.pull(cursor, 500).await.expect("pull");
        times.push(start.elapsed());
        assert!(!page.changes.is_empty() || cursor >= last);
    }
    times.sort();
    (
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1],
        last,
    )
}

async fn bench(backend: &Backend) {
    let db = backend.fresh_db("bench");
    admin(&db, &["team", "create", "bench"]);
    let tokens: Vec<String> = (0..CLIENTS)
        .map(|i| {
            admin(
                &db,
                &[
                    "token",
                    "create",
                    "--team",
                    "bench",
                    "--role",
                    "member",
                    "--name",
                    &format!("member{i}"),
                ],
            )
        })
        .collect();
    let store = Store::start(&db, &["--rate-limit", "0"]);
    let apis: Vec<Api> = tokens.iter().map(|t| Api::new(&store.base, t)).collect();

    let (mutations, elapsed) = push_throughput(&apis).await;
    let rate = mutations as f64 / elapsed.as_secs_f64();
    println!(
        "{:<8} push: {CLIENTS} clients x {BATCHES_PER_CLIENT} batches of {BATCH}: {mutations} mutations in {:.2} s = {:.0} mutations/s (target >= 5000) {}",
        backend.name(), elapsed.as_secs_f64(), rate, if rate >= 5000.0 { "OK" } else { "MISSED" }
    );

    let start = Instant::now();
    seed_items(&apis[0]).await;
    println!(
        "{:<8} seed: {ITEMS} captured items in {:.1} s",
        backend.name(),
        start.elapsed().as_secs_f64()
    );
    let (p50, p99, max, versions) = pull_latency(&apis[1]).await;
    println!(
        "{:<8} pull: {PULLS} pages of 500 at random cursors over {versions} writes (>= {ITEMS} items): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (target p99 <= 50 ms) {}",
        backend.name(), ms(p50), ms(p99), ms(max), if ms(p99) <= 50.0 { "OK" } else { "MISSED" }
    );
    drop(store);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes --bench; a test run (`cargo test --benches`) passes nothing and
    // should not spend minutes here.
    if !std::env::args().any(|a| a == "--bench") {
        println!("load: run with `cargo bench -p tact-store --bench load`");
        return;
    }
    let wanted = std::env::var("BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        if wanted.contains("sqlite") {
            bench(&Backend::sqlite()).await;
        }
        if wanted.contains("postgres") {
            bench(&Backend::Postgres(Pg::start(true))).await;
        }
    });
}
