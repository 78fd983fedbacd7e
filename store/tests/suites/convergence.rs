//! Eight clients edit offline, then sync in random order with duplicated and reordered
//! pushes and interleaved pulls. Every client and the store must end in the same state,
//! equal to a reference model that simply keeps, per register, the write with the
//! greatest (time, counter, client) stamp.

use crate::common::{now_ms, Api, Backend, Team};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use tact::sync::wire::PushRequest;
use tact::sync::{Change, ClientId, ItemId, ItemView, Replica, State, Status, TagId, Write};

const CLIENTS: usize = 8;
const ROUNDS: usize = 4;

fn random_change(rng: &mut StdRng) -> Change {
    match rng.gen_range(0..10) {
        0..=4 => Change::Tag {
            tag: TagId::try_from(format!("tag-{}", rng.gen_range(0..5))).unwrap(),
            present: rng.gen_bool(0.6),
        },
        5..=7 => Change::Status {
            status: if rng.gen_bool(0.5) {
                Status::Done
            } else {
                Status::Open
            },
        },
        _ => Change::Note {
            note: format!("note {}", rng.gen_range(0..1000)),
        },
    }
}

/// The reference: per (item, register) the write with the greatest stamp, written
/// independently of `State::merge`.
fn reference(writes: &[Write]) -> Vec<ItemView> {
    let mut best: BTreeMap<(String, String), &Write> = BTreeMap::new();
    for w in writes {
        let key = (w.item.as_str().to_string(), w.change.key().name());
        let keep = best.get(&key).is_some_and(|b| b.stamp >= w.stamp);
        if !keep {
            best.insert(key, w);
        }
    }
    let mut state = State::default();
    for w in best.into_values() {
        state.merge(w.clone());
    }
    state.items().collect()
}

async fn push_chunks(api: &Api, replica: &mut Replica, rng: &mut StdRng) {
    let pending = replica.push_request(usize::MAX);
    if pending.mutations.is_empty() {
        return;
    }
    // Random chunks, shuffled, some sent twice: the store must skip, stop at gaps and
    // answer the last applied id each time.
    let mut chunks: Vec<PushRequest> = pending
        .mutations
        .chunks(rng.gen_range(1..=6))
        .map(|m| PushRequest {
            client_id: pending.client_id.clone(),
            mutations: m.to_vec(),
        })
        .collect();
    let duplicates: Vec<PushRequest> = chunks
        .iter()
        .filter(|_| rng.gen_bool(0.3))
        .cloned()
        .collect();
    chunks.extend(duplicates);
    chunks.shuffle(rng);
    for chunk in chunks {
        let answer = api.push(&chunk).await.expect("push");
        replica.acknowledge(answer.last_mutation_id);
    }
}

async fn pull_into(api: &Api, replica: &mut Replica) {
    loop {
        let page = api.pull(replica.cursor(), 7).await.expect("pull");
        let more = page.more;
        replica.apply_pull(page);
        if !more {
            return;
        }
    }
}

pub async fn run(backend: &Backend, seed: u64) {
    let team = Team::new(backend, &format!("converge{seed}"), &["--rate-limit", "0"]);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut replicas: Vec<Replica> = (0..CLIENTS)
        .map(|i| Replica::new(ClientId::try_from(format!("client-{i}")).unwrap()))
        .collect();
    let apis: Vec<Api> = (0..CLIENTS)
        .map(|i| {
            if i % 2 == 0 {
                team.member.clone()
            } else {
                team.admin.clone()
            }
        })
        .collect();
    // Skewed clocks (up to an hour behind, a minute ahead) and shared milliseconds, so
    // time ties between clients happen and the client id must break them.
    let skews: Vec<i64> = (0..CLIENTS)
        .map(|_| rng.gen_range(-3_600_000..60_000))
        .collect();
    let mut all_writes: Vec<Write> = Vec::new();
    let base = now_ms() as i64 - 120_000;
    for round in 0..ROUNDS {
        for (i, replica) in replicas.iter_mut().enumerate() {
            for _ in 0..rng.gen_range(5..25) {
                let item = ItemId::try_from(format!("x:{}", rng.gen_range(0..10))).unwrap();
                let shared = base + round as i64 * 10 + rng.gen_range(0..3);
                let now = if rng.gen_bool(0.5) {
                    shared
                } else {
                    shared + skews[i]
                } as u64;
                let m = replica.mutate(item, random_change(&mut rng), now).clone();
                all_writes.push(m.write(replica.client()));
            }
        }
        let mut order: Vec<usize> = (0..CLIENTS).collect();
        order.shuffle(&mut rng);
        for &i in &order {
            if rng.gen_bool(0.5) {
                pull_into(&apis[i], &mut replicas[i]).await;
            }
            // Some clients stay offline this round.
            if rng.gen_bool(0.7) {
                push_chunks(&apis[i], &mut replicas[i], &mut rng).await;
            }
        }
    }
    // Everyone comes back online: push until acknowledged, then pull.
    let mut order: Vec<usize> = (0..CLIENTS).collect();
    order.shuffle(&mut rng);
    for &i in &order {
        while !replicas[i].pending().is_empty() {
            push_chunks(&apis[i], &mut replicas[i], &mut rng).await;
        }
    }
    for i in 0..CLIENTS {
        pull_into(&apis[i], &mut replicas[i]).await;
    }
    let expected = reference(&all_writes);
    assert!(
        expected.len() >= 5,
        "the scenario touched too few items: {}",
        expected.len()
    );
    let mut store_view = Replica::new(ClientId::try_from("observer".to_string()).unwrap());
    pull_into(&team.admin, &mut store_view).await;
    let store_items: Vec<ItemView> = store_view.state().items().collect();
    assert_eq!(
        store_items,
        expected,
        "{}: store differs from the reference (seed {seed})",
        backend.name()
    );
    for replica in &replicas {
        let items: Vec<ItemView> = replica.state().items().collect();
        assert_eq!(
            items,
            expected,
            "{}: {} differs (seed {seed})",
            backend.name(),
            replica.client().as_str()
        );
    }
}
