//! Working vectors kept from one call to the next.
//!
//! A draft is normalised and weighed on every keystroke, and allocating the same working
//! vectors each time was a measurable part of a check in wasm. A thread-local [`Slot`]
//! keeps them between calls. They are taken out while in use, so a nested call simply
//! starts with fresh ones.

use std::cell::Cell;
use std::thread::LocalKey;

/// Where a function keeps its working vectors between calls.
pub type Slot<T> = Cell<Option<T>>;

/// Vectors longer than this many elements (a draft of tens of KB) are freed, not kept.
const KEPT: usize = 4096;

/// Runs `work` on the vectors kept in `slot` (or new ones), then keeps them unless
/// `len` says they grew past [`KEPT`]. `work` finds them as the last call left them:
/// it clears what it needs empty.
#[inline(always)]
pub fn reuse<T: Default, R>(
    slot: &'static LocalKey<Slot<T>>,
    len: impl Fn(&T) -> usize,
    work: impl FnOnce(&mut T) -> R,
) -> R {
    let mut scratch = slot.with(Cell::take).unwrap_or_default();
    let out = work(&mut scratch);
    if len(&scratch) <= KEPT {
        slot.with(|s| s.set(Some(scratch)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SLOT: Slot<Vec<u8>> = const { Cell::new(None) };
    }

    #[test]
    fn small_vectors_are_kept_and_large_ones_freed() {
        reuse(&SLOT, Vec::capacity, |v| v.extend_from_slice(b"abc"));
        let kept = reuse(&SLOT, Vec::capacity, |v| v.clone());
        assert_eq!(kept, b"abc", "the second call finds what the first left");
        reuse(&SLOT, Vec::capacity, |v| v.resize(KEPT + 1, 0));
        let fresh = reuse(&SLOT, Vec::capacity, |v| v.capacity());
        assert_eq!(fresh, 0, "a vector past the limit is not kept");
    }
}
