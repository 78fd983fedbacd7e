//! Hybrid logical clock: wall-clock milliseconds plus a counter, so stamps follow real time
//! when clocks agree and still grow monotonically when they do not (a laptop whose clock is
//! behind still writes "after" what it has already seen).
//!
//! The core never reads the time itself (it runs in wasm and in tests): callers pass `now_ms`.

use super::ids::{ClientId, Invalid};
use serde::{Deserialize, Serialize};

/// The largest wall time a stamp may carry: 12 hex digits of milliseconds (year 10889), the
/// width of the stamp's text encoding.
pub const MAX_WALL: u64 = (1 << 48) - 1;

/// A clock reading: milliseconds since the Unix epoch, then a counter for events within the
/// same millisecond (or while the wall clock lags behind what was observed).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Hlc {
    pub wall: u64,
    pub counter: u32,
}

/// The clock one client keeps: `tick` for each local mutation, `observe` for each stamp
/// pulled from the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Clock {
    last: Hlc,
}

impl Clock {
    pub fn new() -> Clock {
        Clock::default()
    }

    /// A reading strictly greater than every reading this clock has produced or observed.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        let now = now_ms.min(MAX_WALL);
        self.last = if now > self.last.wall {
            Hlc {
                wall: now,
                counter: 0,
            }
        } else if self.last.counter == u32::MAX {
            // The counter is spent: borrow the next millisecond rather than wrap around.
            Hlc {
                wall: (self.last.wall + 1).min(MAX_WALL),
                counter: 0,
            }
        } else {
            Hlc {
                wall: self.last.wall,
                counter: self.last.counter + 1,
            }
        };
        self.last
    }

    /// Moves the clock past a reading seen elsewhere, so the next local write wins over it.
    pub fn observe(&mut self, remote: Hlc) {
        if remote > self.last {
            self.last = remote;
        }
    }

    pub fn last(&self) -> Hlc {
        self.last
    }
}

/// A reading tagged with the client that made it: the total order last-writer-wins uses
/// (time first, client id on ties). No two mutations share a stamp, because each client's
/// own readings strictly increase.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Stamp {
    pub hlc: Hlc,
    pub client: ClientId,
}

impl Stamp {
    /// Fixed-width text whose byte order is the stamp order, so a database can keep the
    /// newest write with a plain string comparison (binary collation): 12 hex digits of wall
    /// time, 8 of counter, then the client id.
    pub fn encode(&self) -> String {
        format!(
            "{:012x}.{:08x}.{}",
            self.hlc.wall.min(MAX_WALL),
            self.hlc.counter,
            self.client.as_str()
        )
    }

    pub fn decode(text: &str) -> Result<Stamp, Invalid> {
        let bad = || Invalid(format!("stamp {text:?} is not WALL.COUNTER.CLIENT in hex"));
        let mut parts = text.splitn(3, '.');
        let (wall, counter, client) = match (parts.next(), parts.next(), parts.next()) {
            (Some(w), Some(c), Some(id)) if w.len() == 12 && c.len() == 8 => (w, c, id),
            _ => return Err(bad()),
        };
        let wall = u64::from_str_radix(wall, 16).map_err(|_| bad())?;
        let counter = u32::from_str_radix(counter, 16).map_err(|_| bad())?;
        Ok(Stamp {
            hlc: Hlc { wall, counter },
            client: ClientId::try_from(client.to_string())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn client(id: &str) -> ClientId {
        ClientId::try_from(id.to_string()).unwrap()
    }

    #[test]
    fn ticks_grow_even_when_the_wall_clock_goes_back() {
        let mut clock = Clock::new();
        let a = clock.tick(1_000);
        let b = clock.tick(1_000);
        let c = clock.tick(500);
        assert!(a < b && b < c, "{a:?} {b:?} {c:?}");
        assert_eq!(
            clock.tick(2_000),
            Hlc {
                wall: 2_000,
                counter: 0
            }
        );
    }

    #[test]
    fn observing_a_later_reading_makes_the_next_tick_later_still() {
        let mut clock = Clock::new();
        clock.tick(1_000);
        let remote = Hlc {
            wall: 9_000,
            counter: 7,
        };
        clock.observe(remote);
        assert!(clock.tick(1_001) > remote);
    }

    #[test]
    fn a_spent_counter_borrows_the_next_millisecond() {
        let mut clock = Clock::new();
        clock.observe(Hlc {
            wall: 5,
            counter: u32::MAX,
        });
        assert_eq!(
            clock.tick(0),
            Hlc {
                wall: 6,
                counter: 0
            }
        );
    }

    #[test]
    fn decoding_refuses_malformed_stamps() {
        for bad in [
            "",
            "1.2.c",
            "00000000000g.00000000.c",
            "000000000001.00000000.a b",
        ] {
            assert!(Stamp::decode(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn encoding_preserves_the_stamp_order(
            w1 in 0..MAX_WALL, c1 in any::<u32>(), id1 in "[A-Za-z0-9_-]{1,12}",
            w2 in 0..MAX_WALL, c2 in any::<u32>(), id2 in "[A-Za-z0-9_-]{1,12}",
        ) {
            let a = Stamp { hlc: Hlc { wall: w1, counter: c1 }, client: client(&id1) };
            let b = Stamp { hlc: Hlc { wall: w2, counter: c2 }, client: client(&id2) };
            prop_assert_eq!(a.cmp(&b), a.encode().cmp(&b.encode()));
            prop_assert_eq!(Stamp::decode(&a.encode()), Ok(a));
        }
    }
}
