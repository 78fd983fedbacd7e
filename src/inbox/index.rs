//! Search indexes: distinct folded keys → the items holding them.
//!
//! A search word (never containing whitespace) occurs in an item's folded text exactly
//! when it occurs inside one of the item's whitespace-separated tokens. So instead of
//! scanning 50,000 texts, a search scans the distinct tokens — kept end to end in one
//! string, so one substring search covers them all — and unions their postings into a
//! bit set: the same results as `text.contains(word)`, with accents and case folded once
//! at capture time. Authors use the same structure (key: folded handle and name).

use super::filter::searchable;
use super::hash::FnvBuild;
use super::model::Item;
use std::collections::HashMap;

/// One bit per item index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BitSet(Vec<u64>);

impl BitSet {
    fn new(len: usize) -> BitSet {
        BitSet(vec![0; len.div_ceil(64)])
    }

    fn insert(&mut self, i: u32) {
        if let Some(w) = self.0.get_mut(i as usize / 64) {
            *w |= 1 << (i % 64);
        }
    }

    pub(crate) fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn intersect(&mut self, other: &BitSet) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }
}

/// Separates keys in [`Dictionary::text`]; folded user text never matches across it
/// because needles holding it are refused.
const SEP: char = '\u{0}';

/// Distinct keys, their concatenation for substring search, and their postings.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dictionary {
    /// `SEP key SEP key …`
    text: String,
    /// Byte offset of each key in `text`.
    starts: Vec<u32>,
    lookup: HashMap<String, u32, FnvBuild>,
    /// Per key, the items holding it (each once, in no particular order).
    postings: Vec<Vec<u32>>,
}

impl Dictionary {
    /// Records that item `item_index` holds `key`; returns the key's number.
    pub(crate) fn add(&mut self, key: &str, item_index: usize) -> u32 {
        let k = match self.lookup.get(key) {
            Some(&k) => k,
            None => {
                let k = self.starts.len() as u32;
                self.text.push(SEP);
                self.starts.push(self.text.len() as u32);
                self.text.push_str(&key.replace(SEP, ""));
                self.lookup.insert(key.to_string(), k);
                self.postings.push(Vec::new());
                k
            }
        };
        self.postings[k as usize].push(item_index as u32);
        k
    }

    /// Forgets that item `item_index` holds `key`. An emptied key stays with no
    /// postings: cheap, and rebuilt away when items are deleted.
    pub(crate) fn remove(&mut self, key: &str, item_index: usize) {
        if let Some(&k) = self.lookup.get(key) {
            let list = &mut self.postings[k as usize];
            if let Some(p) = list.iter().position(|&i| i as usize == item_index) {
                list.swap_remove(p);
            }
        }
    }

    pub(crate) fn key(&self, k: u32) -> &str {
        let start = self.starts.get(k as usize).map_or(0, |&s| s as usize);
        let end = self
            .starts
            .get(k as usize + 1)
            .map_or(self.text.len(), |&s| s as usize - SEP.len_utf8());
        self.text.get(start..end).unwrap_or_default()
    }

    /// Items holding a key that contains `needle`.
    pub(crate) fn items_containing(&self, needle: &str, n_items: usize) -> BitSet {
        let mut set = BitSet::new(n_items);
        if needle.contains(SEP) {
            return set;
        }
        let mut last = None;
        for (pos, _) in self.text.match_indices(needle) {
            let k = self
                .starts
                .partition_point(|&s| s as usize <= pos)
                .saturating_sub(1);
            if last != Some(k) {
                last = Some(k);
                for &i in &self.postings[k] {
                    set.insert(i);
                }
            }
        }
        set
    }
}

/// Items containing every word (already folded), or `None` when there are no words.
pub(crate) fn all_words(dict: &Dictionary, words: &[String], n_items: usize) -> Option<BitSet> {
    let mut result: Option<BitSet> = None;
    for w in words {
        let set = dict.items_containing(w, n_items);
        match &mut result {
            Some(r) => r.intersect(&set),
            None => result = Some(set),
        }
    }
    result
}

/// Calls `f` with each distinct folded token of an item's searchable text (one
/// allocation for the folded text, none per token: loading 50,000 items adds millions).
pub(crate) fn for_each_token(item: &Item, mut f: impl FnMut(&str)) {
    let text = searchable(item);
    let mut toks: Vec<&str> = text.split_whitespace().collect();
    toks.sort_unstable();
    toks.dedup();
    for t in toks {
        f(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbox::fold::fold;
    use crate::inbox::{Author, Network, Status, Timestamp};

    fn item(text: &str, note: &str) -> Item {
        Item {
            id: "x:1".into(),
            network: Network::X,
            permalink: "https://x.com/a/status/1".into(),
            author: Author {
                handle: "Ana_B".into(),
                name: "Anaïs Bé".into(),
            },
            text: text.into(),
            posted_at: None,
            captured_at: Timestamp(0),
            captured_by: String::new(),
            tags: vec![],
            status: Status::Open,
            note: note.into(),
        }
    }

    #[test]
    fn same_answers_as_scanning_the_folded_text() {
        let items = [
            item("Où est ma COMMANDE ?? #retard", ""),
            item("Crème brûlée délicieuse", "rappeler l’équipe"),
            item("commande-livrée, merci", ""),
        ];
        let mut dict = Dictionary::default();
        for (i, it) in items.iter().enumerate() {
            for_each_token(it, |t| {
                dict.add(t, i);
            });
        }
        for query in [
            "commande",
            "creme brulee",
            "ana",
            "anais be",
            "l'equipe",
            "e d",
            "mande-li",
            "#ret",
            "zzz",
            "a",
            "e\u{0}d",
        ] {
            let words: Vec<String> = fold(query).split_whitespace().map(String::from).collect();
            let set = all_words(&dict, &words, items.len()).unwrap();
            for (i, it) in items.iter().enumerate() {
                let scan = words.iter().all(|w| searchable(it).contains(w.as_str()));
                assert_eq!(set.contains(i), scan, "{query:?} on item {i}");
            }
        }
        assert!(all_words(&dict, &[], 3).is_none());
        for_each_token(&items[1], |t| dict.remove(t, 1));
        assert!(!dict.items_containing("creme", 3).contains(1));
        let k = dict.add("last key", 2);
        assert_eq!((dict.key(0), dict.key(k)), ("#retard", "last key"));
    }
}
