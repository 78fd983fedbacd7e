//! The store is SIGKILLed in the middle of a stream of pushes and restarted: every
//! acknowledged mutation is still there, and none is applied twice.

use crate::common::{now_ms, Api, Backend, Team};
use crate::contract::report_mutations;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tact::sync::wire::PushRequest;
use tact::sync::{Change, ClientId, ItemId, ItemView, Replica, State, Status, TagId};

const MUTATIONS: u64 = 3_000;
const KILLS: usize = 3;

/// A deterministic stream of mutations over 400 items, ids 1..=MUTATIONS.
fn stream(now: u64) -> Replica {
    let mut replica = Replica::new(ClientId::try_from("crashy".to_string()).unwrap());
    for n in 0..MUTATIONS {
        let change = match n % 3 {
            0 => Change::Tag {
                tag: TagId::try_from(format!("t{}", n % 7)).unwrap(),
                present: n % 2 == 0,
            },
            1 => Change::Status {
                status: if n % 2 == 0 {
                    Status::Done
                } else {
                    Status::Open
                },
            },
            _ => Change::Note {
                note: format!("note {n}"),
            },
        };
        replica.mutate(
            ItemId::try_from(format!("x:{}", n % 400)).unwrap(),
            change,
            now,
        );
    }
    replica
}

/// The state after mutations 1..=last exactly.
fn prefix_state(all: &Replica, last: u64) -> Vec<ItemView> {
    let mut state = State::default();
    for m in all.pending().iter().filter(|m| m.id <= last) {
        state.merge(m.write(all.client()));
    }
    state.items().collect()
}

async fn store_state(api: &Api) -> Vec<ItemView> {
    let mut state = State::default();
    for w in api.pull_all().await {
        state.merge(w);
    }
    state.items().collect()
}

/// Pushes the queue in batches until it is empty or the store stops answering; publishes
/// and returns the highest id acknowledged.
async fn push_until_error(api: &Api, replica: &mut Replica, progress: &AtomicU64) -> u64 {
    let mut acked = 0;
    while !replica.pending().is_empty() {
        match api.push(&replica.push_request(100)).await {
            Ok(answer) => {
                replica.acknowledge(answer.last_mutation_id);
                acked = answer.last_mutation_id;
                progress.store(acked, Ordering::SeqCst);
            }
            Err(_) => break,
        }
    }
    acked
}

pub async fn run(backend: &Backend) {
    let mut team = Team::new(backend, "crash", &["--rate-limit", "0"]);
    let mut rng = StdRng::seed_from_u64(7);
    let all = stream(now_ms());
    let mut replica = all.clone();
    let mut api = team.member.clone();
    let mut acked = 0;
    for kill in 0..KILLS {
        let progress = Arc::new(AtomicU64::new(0));
        let pusher = {
            let api = api.clone();
            let mut replica = replica.clone();
            let progress = progress.clone();
            tokio::spawn(async move {
                let acked = push_until_error(&api, &mut replica, &progress).await;
                (replica, acked)
            })
        };
        // Kill once the stream is a quarter, a half, three quarters through, a random few
        // milliseconds after an acknowledgement: in the middle of the next push.
        let target = MUTATIONS * (kill as u64 + 1) / (KILLS as u64 + 1);
        while progress.load(Ordering::SeqCst) < target {
            assert!(
                !pusher.is_finished(),
                "kill {kill}: the pusher stopped before {target}"
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tokio::time::sleep(Duration::from_micros(rng.gen_range(0..4_000))).await;
        team.store.kill();
        let (after, acked_now) = pusher.await.expect("pusher task");
        assert!(
            !after.pending().is_empty(),
            "kill {kill}: the stream ended before the kill: raise MUTATIONS"
        );
        acked = acked.max(acked_now);
        replica = after;
        team.store.restart();
        api = api.at(&team.store.base);
        // The store holds exactly a prefix of the stream (pushes are atomic), at least as
        // long as what it acknowledged. An empty push asks for the last applied id.
        let last = api
            .push(&PushRequest {
                client_id: all.client().clone(),
                mutations: vec![],
            })
            .await
            .expect("empty push")
            .last_mutation_id;
        assert!(
            last >= acked,
            "kill {kill}: acknowledged up to {acked}, store has {last}"
        );
        println!(
            "{} kill {kill}: acknowledged {acked}, store had applied {last}",
            backend.name()
        );
        assert_eq!(
            store_state(&api).await,
            prefix_state(&all, last),
            "kill {kill}: state is not the prefix 1..={last}"
        );
    }
    // Resume: the store skips what it applied but could not acknowledge before dying.
    while !replica.pending().is_empty() {
        let answer = api
            .push(&replica.push_request(100))
            .await
            .expect("push after restart");
        replica.acknowledge(answer.last_mutation_id);
    }
    assert_eq!(
        store_state(&api).await,
        prefix_state(&all, MUTATIONS),
        "{}: final state",
        backend.name()
    );
    // Applied once: one audit row per mutation id, and replaying the whole stream from id 1
    // applies nothing.
    let admin = team.admin.at(&team.store.base);
    assert_eq!(report_mutations(&admin).await, MUTATIONS);
    let mut replay = all.clone();
    while !replay.pending().is_empty() {
        let answer = api.push(&replay.push_request(500)).await.expect("replay");
        assert_eq!(answer.last_mutation_id, MUTATIONS);
        replay.acknowledge(answer.last_mutation_id);
    }
    assert_eq!(report_mutations(&admin).await, MUTATIONS);
}
