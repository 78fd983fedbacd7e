//! The merge rule and the client-side replica built on it.
//!
//! One rule: a register keeps the write with the greatest stamp. Because stamps are totally
//! ordered and unique, merging is commutative, associative and idempotent, so every replica
//! that has seen the same writes holds the same state whatever the order or repetition.
//! The store applies the same rule (via the order-preserving `Stamp::encode`).

use super::hlc::{Clock, Hlc, Stamp};
use super::ids::{ClientId, ItemId, TagId};
use super::ops::{Capture, Change, Key, Mutation, Status, Write};
use super::wire::{PullResponse, PushRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Does `incoming` replace the register currently stamped `current`?
pub fn wins(incoming: &Stamp, current: &Stamp) -> bool {
    incoming > current
}

/// Keeps, per (item, register), only the winning write: what a batch leaves behind.
pub fn latest_per_register(writes: impl IntoIterator<Item = Write>) -> Vec<Write> {
    let mut best: BTreeMap<(ItemId, Key), Write> = BTreeMap::new();
    for write in writes {
        let slot = (write.item.clone(), write.change.key());
        match best.get(&slot) {
            Some(current) if !wins(&write.stamp, &current.stamp) => {}
            _ => {
                best.insert(slot, write);
            }
        }
    }
    best.into_values().collect()
}

/// Every register of every item, keyed by item id then register name (string keys so the
/// whole state serialises to JSON for extension storage).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    items: BTreeMap<ItemId, BTreeMap<String, Register>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Register {
    stamp: Stamp,
    change: Change,
}

/// An item as the inbox shows it: the merged registers, with defaults for those never set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemView {
    pub id: ItemId,
    pub capture: Option<Capture>,
    pub tags: Vec<TagId>,
    pub status: Status,
    pub note: String,
}

impl State {
    /// Merges one write; true when it changed the state.
    pub fn merge(&mut self, write: Write) -> bool {
        let registers = self.items.entry(write.item).or_default();
        let name = write.change.key().name();
        match registers.get(&name) {
            Some(current) if !wins(&write.stamp, &current.stamp) => false,
            _ => {
                registers.insert(
                    name,
                    Register {
                        stamp: write.stamp,
                        change: write.change,
                    },
                );
                true
            }
        }
    }

    pub fn item(&self, id: &ItemId) -> Option<ItemView> {
        self.items.get(id).map(|registers| view(id, registers))
    }

    pub fn items(&self) -> impl Iterator<Item = ItemView> + '_ {
        self.items.iter().map(|(id, registers)| view(id, registers))
    }

    /// The greatest stamp held, so a restored replica's clock never runs behind its data.
    pub fn latest_hlc(&self) -> Option<Hlc> {
        self.items
            .values()
            .flat_map(|registers| registers.values().map(|r| r.stamp.hlc))
            .max()
    }
}

fn view(id: &ItemId, registers: &BTreeMap<String, Register>) -> ItemView {
    let mut item = ItemView {
        id: id.clone(),
        capture: None,
        tags: Vec::new(),
        status: Status::Open,
        note: String::new(),
    };
    for register in registers.values() {
        match &register.change {
            Change::Capture { capture } => item.capture = Some(capture.clone()),
            Change::Tag { tag, present: true } => item.tags.push(tag.clone()),
            Change::Tag { present: false, .. } => {}
            Change::Status { status } => item.status = *status,
            Change::Note { note } => item.note = note.clone(),
        }
    }
    item
}

/// Which mutations of a push the store applies, given the last id it applied for that
/// client: ids already applied are skipped (retries are harmless), then ids are taken while
/// they follow on without a gap. Returns the range to apply and the new last id.
pub fn plan_push(last_applied: u64, mutations: &[Mutation]) -> (std::ops::Range<usize>, u64) {
    let start = mutations
        .iter()
        .position(|m| m.id > last_applied)
        .unwrap_or(mutations.len());
    let mut last = last_applied;
    let mut end = start;
    while end < mutations.len() && mutations[end].id == last + 1 {
        last += 1;
        end += 1;
    }
    (start..end, last)
}

/// One client's copy of the team's items plus its queue of mutations not yet acknowledged.
/// The extension keeps it (serialised) in storage, so the queue survives restarts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replica {
    client: ClientId,
    clock: Clock,
    next_id: u64,
    pending: Vec<Mutation>,
    state: State,
    cursor: u64,
}

impl Replica {
    pub fn new(client: ClientId) -> Replica {
        Replica {
            client,
            clock: Clock::new(),
            next_id: 1,
            pending: Vec::new(),
            state: State::default(),
            cursor: 0,
        }
    }

    /// Records a local change: applied at once (the UI shows it) and queued for the store.
    pub fn mutate(&mut self, item: ItemId, change: Change, now_ms: u64) -> &Mutation {
        let mutation = Mutation {
            id: self.next_id,
            hlc: self.clock.tick(now_ms),
            item,
            change,
        };
        self.next_id += 1;
        self.state.merge(mutation.write(&self.client));
        self.pending.push(mutation);
        &self.pending[self.pending.len() - 1]
    }

    /// The next push: up to `max` queued mutations, oldest first.
    pub fn push_request(&self, max: usize) -> PushRequest {
        PushRequest {
            client_id: self.client.clone(),
            mutations: self.pending.iter().take(max).cloned().collect(),
        }
    }

    /// Drops the queued mutations the store has acknowledged (`last_mutation_id`).
    pub fn acknowledge(&mut self, last_mutation_id: u64) {
        self.pending.retain(|m| m.id > last_mutation_id);
    }

    /// Merges a pull page and advances the cursor and the clock past what it held.
    pub fn apply_pull(&mut self, page: PullResponse) {
        for write in page.changes {
            self.clock.observe(write.stamp.hlc);
            self.state.merge(write);
        }
        self.cursor = self.cursor.max(page.cursor);
    }

    pub fn client(&self) -> &ClientId {
        &self.client
    }

    pub fn pending(&self) -> &[Mutation] {
        &self.pending
    }

    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    pub fn state(&self) -> &State {
        &self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn client(n: u8) -> ClientId {
        ClientId::try_from(format!("c{n}")).unwrap()
    }

    fn item(n: u8) -> ItemId {
        ItemId::try_from(format!("x:{n}")).unwrap()
    }

    fn tag(n: u8) -> TagId {
        TagId::try_from(format!("t{n}")).unwrap()
    }

    fn write(wall: u64, who: u8, it: u8, change: Change) -> Write {
        Write {
            item: item(it),
            change,
            stamp: Stamp {
                hlc: Hlc { wall, counter: 0 },
                client: client(who),
            },
        }
    }

    fn arb_write() -> impl Strategy<Value = Write> {
        let change = prop_oneof![
            (0u8..3, any::<bool>()).prop_map(|(t, present)| Change::Tag {
                tag: tag(t),
                present
            }),
            any::<bool>().prop_map(|done| Change::Status {
                status: if done { Status::Done } else { Status::Open }
            }),
            "[a-z]{0,3}".prop_map(|note| Change::Note { note }),
        ];
        (0u64..4, 0u8..3, 0u8..3, change).prop_map(|(w, c, i, ch)| write(w, c, i, ch))
    }

    #[test]
    fn the_later_stamp_wins_and_ties_go_to_the_greater_client() {
        let mut state = State::default();
        let done = Change::Status {
            status: Status::Done,
        };
        let open = Change::Status {
            status: Status::Open,
        };
        assert!(state.merge(write(5, 1, 0, done.clone())));
        assert!(!state.merge(write(4, 9, 0, open.clone())));
        assert!(state.merge(write(5, 2, 0, open)));
        assert!(!state.merge(write(5, 1, 0, done)));
        assert_eq!(state.item(&item(0)).unwrap().status, Status::Open);
    }

    #[test]
    fn add_and_remove_resolve_per_tag() {
        let mut state = State::default();
        state.merge(write(
            1,
            1,
            0,
            Change::Tag {
                tag: tag(1),
                present: true,
            },
        ));
        state.merge(write(
            1,
            1,
            0,
            Change::Tag {
                tag: tag(2),
                present: true,
            },
        ));
        state.merge(write(
            2,
            2,
            0,
            Change::Tag {
                tag: tag(1),
                present: false,
            },
        ));
        assert_eq!(state.item(&item(0)).unwrap().tags, vec![tag(2)]);
    }

    #[test]
    fn a_push_skips_applied_ids_and_stops_at_a_gap() {
        let muts: Vec<Mutation> = [2, 3, 4, 6, 7]
            .iter()
            .map(|&id| Mutation {
                id,
                hlc: Hlc::default(),
                item: item(0),
                change: Change::Note {
                    note: String::new(),
                },
            })
            .collect();
        assert_eq!(plan_push(2, &muts), (1..3, 4));
        assert_eq!(plan_push(7, &muts), (5..5, 7));
        assert_eq!(plan_push(0, &muts), (0..0, 0));
    }

    #[test]
    fn a_replica_queues_until_acknowledged_and_survives_serialisation() {
        let mut replica = Replica::new(client(1));
        replica.mutate(
            item(0),
            Change::Status {
                status: Status::Done,
            },
            10,
        );
        replica.mutate(item(0), Change::Note { note: "n".into() }, 10);
        assert_eq!(replica.push_request(1).mutations[0].id, 1);
        replica.acknowledge(1);
        assert_eq!(replica.pending().len(), 1);
        let json = serde_json::to_string(&replica).unwrap();
        let back: Replica = serde_json::from_str(&json).unwrap();
        assert_eq!(back, replica);
        assert_eq!(back.state().item(&item(0)).unwrap().note, "n");
    }

    proptest! {
        #[test]
        fn merging_converges_whatever_the_order_and_repetition(
            mut writes in proptest::collection::vec(arb_write(), 0..30),
            seed in any::<u64>(),
        ) {
            // Stamps are unique in real life (each client's clock strictly increases).
            for (i, w) in writes.iter_mut().enumerate() { w.stamp.hlc.counter = i as u32; }
            let mut forward = State::default();
            for w in &writes { forward.merge(w.clone()); }
            // A shuffled, duplicated delivery.
            let mut shuffled: Vec<Write> = writes.iter().chain(writes.iter()).cloned().collect();
            let mut s = seed | 1;
            for i in (1..shuffled.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                shuffled.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let mut other = State::default();
            for w in shuffled { other.merge(w); }
            prop_assert_eq!(&forward, &other);
            let mut reduced = State::default();
            for w in latest_per_register(writes) { reduced.merge(w); }
            prop_assert_eq!(forward, reduced);
        }
    }
}
