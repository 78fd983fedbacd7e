//! The term matcher's index: short byte strings (a word, two words, a stem) → a range of
//! pattern numbers.
//!
//! A check looks up every word of the draft once or twice, so the lookup is what a check
//! costs: the key is hashed eight bytes at a time (most words fit in one or two steps,
//! where a byte-at-a-time hash such as FNV takes one step per byte), and the table is
//! open-addressed over one flat array of keys. A collision only costs a comparison, so
//! the hash needs no resistance to chosen keys.

/// A map from byte strings to `(u32, u32)` ranges.
#[derive(Debug, Clone, Default)]
pub struct WordTable {
    /// Index + 1 into `entries`; 0 is an empty slot. The length is a power of two.
    slots: Vec<u32>,
    entries: Vec<Entry>,
    /// Every key's bytes, back to back.
    keys: Vec<u8>,
}

#[derive(Debug, Clone)]
struct Entry {
    hash: u64,
    key: (u32, u32),
    value: (u32, u32),
}

impl WordTable {
    /// The value of `key`, if any.
    #[inline]
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn get(&self, key: &[u8]) -> Option<(u32, u32)> {
        let id = self.find(hash(key), key)?;
        self.entries.get(id).map(|e| e.value)
    }

    /// Adds `key` → `value` unless `key` is there already; returns whether it was added.
    pub fn insert(&mut self, key: &[u8], value: (u32, u32)) -> bool {
        let count = self.entries.len();
        let id = self.intern(key);
        if id == count {
            self.set(id, value);
        }
        id == count
    }

    /// The number of `key`'s entry, adding it (with the value `(0, 0)`) when missing:
    /// entries are numbered 0, 1, 2… in the order they were added.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn intern(&mut self, key: &[u8]) -> usize {
        let hash = hash(key);
        if let Some(id) = self.find(hash, key) {
            return id;
        }
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let start = self.keys.len() as u32;
        self.keys.extend_from_slice(key);
        self.entries.push(Entry {
            hash,
            key: (start, key.len() as u32),
            value: (0, 0),
        });
        self.place(self.entries.len() - 1);
        self.entries.len() - 1
    }

    /// Sets the value of entry number `id` (from [`WordTable::intern`]).
    pub fn set(&mut self, id: usize, value: (u32, u32)) {
        if let Some(entry) = self.entries.get_mut(id) {
            entry.value = value;
        }
    }

    #[cfg_attr(tact_speed, optimize(speed))]
    fn find(&self, hash: u64, key: &[u8]) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.start(hash);
        loop {
            let id = self.slots[i].checked_sub(1)? as usize;
            let entry = self.entries.get(id)?;
            if entry.hash == hash && self.key(entry) == key {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }

    fn key(&self, entry: &Entry) -> &[u8] {
        let (start, len) = (entry.key.0 as usize, entry.key.1 as usize);
        self.keys.get(start..start + len).unwrap_or_default()
    }

    /// Doubles the slots (at most half of them are ever used) and places every entry again.
    #[cfg_attr(tact_speed, optimize(speed))]
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        self.slots = vec![0; size];
        for e in 0..self.entries.len() {
            self.place(e);
        }
    }

    /// The first slot to probe: the hash's top bits, the best mixed by its last multiply.
    fn start(&self, hash: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (hash >> (64 - bits)) as usize
    }

    #[cfg_attr(tact_speed, optimize(speed))]
    fn place(&mut self, e: usize) {
        let mask = self.slots.len() - 1;
        let mut i = self.start(self.entries[e].hash);
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = e as u32 + 1;
    }
}

/// Multiply-rotate over little-endian 8-byte words read straight from the key (the
/// last one overlapping when the length is not a multiple of eight; keys shorter than
/// eight are read as two overlapping halves or three bytes). No loop for keys up to 16
/// bytes.
#[inline]
#[cfg_attr(tact_speed, optimize(speed))]
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let step = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
    let at8 = |i: usize| {
        bytes
            .get(i..i + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes)
    };
    let at4 = |i: usize| {
        bytes
            .get(i..i + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
    };
    let len = bytes.len();
    let mut h = (len as u64).wrapping_mul(K);
    match len {
        0 => {}
        1..=3 => {
            let three = u64::from(bytes[0]) << 16
                | u64::from(bytes[len / 2]) << 8
                | u64::from(bytes[len - 1]);
            h = step(h, three);
        }
        4..=7 => h = step(h, at4(0) << 32 | at4(len - 4)),
        _ => {
            let mut i = 0;
            while i + 8 < len {
                h = step(h, at8(i));
                i += 8;
            }
            h = step(h, at8(len - 8));
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_and_nothing_else() {
        let mut t = WordTable::default();
        assert_eq!(t.get(b"x"), None);
        let words: Vec<String> = (0..5000).map(|i| format!("mot{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            assert!(t.insert(w.as_bytes(), (i as u32, 0)));
        }
        assert!(!t.insert(b"mot7", (99, 99)), "an existing key is kept");
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.get(w.as_bytes()), Some((i as u32, 0)), "{w}");
        }
        for miss in ["mot", "mot5000", "", "mot12 mot13", "mot0\0"] {
            assert_eq!(t.get(miss.as_bytes()), None, "{miss:?}");
        }
        assert!(t.insert(b"", (1, 2)));
        assert_eq!(t.get(b""), Some((1, 2)));
    }

    #[test]
    fn keys_differing_only_in_padding_or_length_stay_apart() {
        assert_ne!(hash(b"ab"), hash(b"ab\0"));
        assert_ne!(hash(b"abcdefgh"), hash(b"abcdefgh\0"));
    }
}
