//! Search index: folded whitespace-separated tokens → the items holding them.
//!
//! A search word (never containing whitespace) occurs in an item's folded text exactly
//! when it occurs inside one of the item's whitespace-separated tokens. So instead of
//! scanning 50,000 texts, a search scans the distinct tokens once per word and unions
//! their postings into a bit set: the same results as `text.contains(word)`, several
//! times faster, with accents and case folded once at capture time.

use super::filter::searchable;
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

#[derive(Debug, Clone, Default)]
pub(crate) struct SearchIndex {
    tokens: Vec<String>,
    lookup: HashMap<String, u32>,
    /// Per token, the items holding it (each once, in no particular order).
    postings: Vec<Vec<u32>>,
}

/// The distinct folded tokens of an item's searchable text.
fn tokens(item: &Item) -> Vec<String> {
    let text = searchable(item);
    let mut toks: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    toks.sort_unstable();
    toks.dedup();
    toks
}

impl SearchIndex {
    pub(crate) fn add(&mut self, item_index: usize, item: &Item) {
        for tok in tokens(item) {
            let t = match self.lookup.get(&tok) {
                Some(&t) => t,
                None => {
                    let t = self.tokens.len() as u32;
                    self.tokens.push(tok.clone());
                    self.lookup.insert(tok, t);
                    self.postings.push(Vec::new());
                    t
                }
            };
            self.postings[t as usize].push(item_index as u32);
        }
    }

    /// Forgets `item` (as it was when added) at `item_index`. Emptied tokens stay in the
    /// dictionary with no postings: cheap, and rebuilt away when items are deleted.
    pub(crate) fn remove(&mut self, item_index: usize, item: &Item) {
        for tok in tokens(item) {
            if let Some(&t) = self.lookup.get(&tok) {
                let list = &mut self.postings[t as usize];
                if let Some(p) = list.iter().position(|&i| i as usize == item_index) {
                    list.swap_remove(p);
                }
            }
        }
    }

    /// Items containing every word (already folded), or `None` when there are no words.
    pub(crate) fn candidates(&self, words: &[String], n_items: usize) -> Option<BitSet> {
        let mut result: Option<BitSet> = None;
        for w in words {
            let mut set = BitSet::new(n_items);
            for (t, tok) in self.tokens.iter().enumerate() {
                if tok.contains(w.as_str()) {
                    for &i in &self.postings[t] {
                        set.insert(i);
                    }
                }
            }
            match &mut result {
                Some(r) => r.intersect(&set),
                None => result = Some(set),
            }
        }
        result
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
        let mut index = SearchIndex::default();
        for (i, it) in items.iter().enumerate() {
            index.add(i, it);
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
        ] {
            let words: Vec<String> = fold(query).split_whitespace().map(String::from).collect();
            let set = index.candidates(&words, items.len()).unwrap();
            for (i, it) in items.iter().enumerate() {
                let scan = words.iter().all(|w| searchable(it).contains(w.as_str()));
                assert_eq!(set.contains(i), scan, "{query:?} on item {i}");
            }
        }
        assert!(index.candidates(&[], 3).is_none());
        index.remove(1, &items[1]);
        let set = index.candidates(&["creme".into()], 3).unwrap();
        assert!(!set.contains(1));
    }
}
