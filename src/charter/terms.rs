//! Whole-word matching of many terms at once on normalised text.
//!
//! The normalised draft is words separated by single spaces, so a term (normalised the
//! same way) matches where its words equal consecutive words of the draft. Terms are
//! indexed by their first word in a hash table: a check costs one lookup per word of the
//! draft, whatever the number of terms, and building costs one insertion per term — no
//! automaton to compile, so even the lexicons' tens of thousands of generated spellings
//! build in a few milliseconds. A trailing `*` makes the last word a prefix
//! (`rembours*`). Each term is also added with doubled letters squeezed, so elongated
//! spellings ("connnnard" normalises to "conard") still match, unless the squeezed form is
//! an ordinary word ("ass" → "as").

use super::word_table::WordTable;
use crate::text::normalize::{normalize_term, squeeze_doubles, Normalized};
use std::ops::Range;

/// Squeezed spellings that are ordinary words and must not stand for their term.
const SQUEEZE_STOP: &[&str] = &[
    "as", "but", "cone", "cones", "bal", "bale", "pas", "pase", "sale", "poul", "bite", "mal",
    "sel", "fil", "fol", "bel", "fes", "tet", "bon", "bone", "cul", "pis", "tes", "kil",
];

/// One spelling of a term: the owner, the words after its key, whether the last word is
/// a prefix.
#[derive(Debug, Clone)]
struct Pattern {
    owner: u32,
    prefix: bool,
    /// How many words the key in [`TermMatcher::exact`] holds (1 or 2).
    key_words: u32,
    /// Range of the following words in [`TermMatcher::tails`].
    tail: (u32, u32),
}

/// Builds a [`TermMatcher`]; each term belongs to an owner (a rule or lexicon entry).
#[derive(Debug, Default)]
pub struct TermMatcherBuilder {
    /// `(first word, is a one-word prefix, pattern index)`.
    keys: Vec<(String, bool, u32)>,
    patterns: Vec<Pattern>,
    tails: Vec<Box<str>>,
}

impl TermMatcherBuilder {
    /// Adds `term` for `owner`. Returns false when the term has nothing to match.
    pub fn add(&mut self, term: &str, owner: u32) -> bool {
        let trimmed = term.trim();
        let prefix = trimmed.ends_with('*');
        let words = normalize_term(trimmed.trim_end_matches('*'));
        if words.is_empty() {
            return false;
        }
        let squeezed = squeeze_doubles(&words);
        self.push(&words, owner, prefix);
        // Digits are decoded as leetspeak ("mot442" reads "motaa2"), so squeezing a term
        // written with digits would merge distinct codes ("mot42" and "mot442").
        let has_digits = trimmed.bytes().any(|b| b.is_ascii_digit());
        if squeezed != words && !has_digits && !SQUEEZE_STOP.contains(&squeezed.as_str()) {
            self.push(&squeezed, owner, prefix);
        }
        true
    }

    /// Adds an already normalised whole word for `owner`, without its squeezed spelling
    /// (for generated misspellings, whose squeezed forms would be too loose).
    pub fn add_exact(&mut self, word: &str, owner: u32) {
        self.push(word, owner, false);
    }

    /// Adds normalised `words` (single spaces between them).
    /// Adds normalised `words` (single spaces between them). Terms of several words are
    /// keyed by their first two (unless the second is a prefix), so a common first word
    /// ("livraison …") does not make every draft word try them all.
    fn push(&mut self, words: &str, owner: u32, prefix: bool) {
        let count = words.split(' ').count();
        let key_words = match (count, prefix) {
            (1, _) => 1,
            (2, true) => 1,
            _ => 2,
        };
        let mut parts = words.splitn(key_words + 1, ' ');
        let key = match key_words {
            1 => parts.next().unwrap_or_default().to_string(),
            _ => {
                let first = parts.next().unwrap_or_default();
                format!("{first} {}", parts.next().unwrap_or_default())
            }
        };
        let start = self.tails.len() as u32;
        self.tails
            .extend(parts.flat_map(|rest| rest.split(' ')).map(Box::from));
        let tail = (start, self.tails.len() as u32);
        let index = self.patterns.len() as u32;
        self.patterns.push(Pattern {
            owner,
            prefix,
            key_words: key_words as u32,
            tail,
        });
        let one_word_prefix = prefix && count == 1;
        self.keys.push((key, one_word_prefix, index));
    }

    pub fn build(self) -> TermMatcher {
        let (mut stems, mut keys): (Vec<_>, Vec<_>) = self
            .keys
            .into_iter()
            .partition(|(_, one_word_prefix, _)| *one_word_prefix);
        keys.sort_unstable();
        let mut starts = Vec::with_capacity(keys.len());
        let mut exact = group(&keys, |(word, _, _)| word.as_bytes(), &mut starts);
        // A word that starts two-word keys gets an entry (maybe empty), so a draft word
        // with no entry skips the second lookup.
        for (key, _, _) in &keys {
            if let Some((head, _)) = key.split_once(' ') {
                exact.insert(head.as_bytes(), (0, 0));
            }
        }
        // One-word prefixes are grouped by their first `stem_key` bytes, so a draft word
        // costs one lookup whatever the prefixes' lengths.
        let stem_key = stems
            .iter()
            .map(|(stem, _, _)| stem.len())
            .min()
            .unwrap_or(0);
        stems.sort_unstable();
        let mut stem_starts = Vec::with_capacity(stems.len());
        let prefixes = group(
            &stems,
            |(stem, _, _)| &stem.as_bytes()[..stem_key],
            &mut stem_starts,
        );
        let stem_text = stems
            .iter()
            .map(|(stem, _, _)| stem.as_str().into())
            .collect();
        TermMatcher {
            exact,
            prefixes,
            stem_key,
            stem_text,
            starts,
            stem_starts,
            patterns: self.patterns,
            tails: self.tails,
        }
    }
}

/// Indexes sorted `keys` by `key_of`: each distinct key maps to the range of its
/// entries' pattern indices, pushed to `starts` in key order.
fn group(
    keys: &[(String, bool, u32)],
    key_of: impl Fn(&(String, bool, u32)) -> &[u8],
    starts: &mut Vec<u32>,
) -> WordTable {
    let mut table = WordTable::default();
    let mut i = 0;
    while i < keys.len() {
        let key = key_of(&keys[i]);
        let from = starts.len() as u32;
        while i < keys.len() && key_of(&keys[i]) == key {
            starts.push(keys[i].2);
            i += 1;
        }
        table.insert(key, (from, starts.len() as u32));
    }
    table
}

/// A term found in a draft: its owner and the normalised byte range of the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit {
    pub owner: u32,
    pub range: Range<usize>,
}

/// Many terms indexed by their first word.
#[derive(Debug, Clone, Default)]
pub struct TermMatcher {
    /// First word (or first two) → range of pattern indices in `starts`.
    exact: WordTable,
    /// The first `stem_key` bytes of one-word prefix terms (`rembours*`) → range in
    /// `stem_starts` and `stem_text`.
    prefixes: WordTable,
    stem_key: usize,
    stem_text: Vec<Box<str>>,
    starts: Vec<u32>,
    stem_starts: Vec<u32>,
    patterns: Vec<Pattern>,
    tails: Vec<Box<str>>,
}

impl TermMatcher {
    /// Every whole-word occurrence of every term in `text`, in text order, each
    /// (owner, range) once.
    pub fn find(&self, text: &Normalized) -> Vec<TermHit> {
        let mut hits = Vec::new();
        if self.patterns.is_empty() {
            return hits;
        }
        let words: Vec<Word> = text
            .words()
            .map(|(range, text)| Word { text, range })
            .collect();
        let text = text.as_str();
        for (i, word) in words.iter().enumerate() {
            if let Some(single) = self.exact.get(word.text.as_bytes()) {
                let pair = words
                    .get(i + 1)
                    .map(|next| &text.as_bytes()[word.range.start..next.range.end])
                    .and_then(|key| self.exact.get(key));
                for (from, to) in std::iter::once(single).chain(pair) {
                    for &p in &self.starts[from as usize..to as usize] {
                        self.extend(p, &words[i..], &mut hits);
                    }
                }
            }
            let key = word.text.as_bytes().get(..self.stem_key);
            if let Some((from, to)) = key.and_then(|k| self.prefixes.get(k)) {
                for k in from as usize..to as usize {
                    if word.text.starts_with(&*self.stem_text[k]) {
                        if let Some(pattern) = self.patterns.get(self.stem_starts[k] as usize) {
                            hits.push(TermHit {
                                owner: pattern.owner,
                                range: word.range.clone(),
                            });
                        }
                    }
                }
            }
        }
        hits.sort_by_key(|h| (h.range.start, h.range.end, h.owner));
        hits.dedup();
        hits
    }

    /// Pushes pattern `p` when the words after its key match those after the key's
    /// words at the start of `words`.
    fn extend(&self, p: u32, words: &[Word], hits: &mut Vec<TermHit>) {
        let Some(pattern) = self.patterns.get(p as usize) else {
            return;
        };
        let tail = &self.tails[pattern.tail.0 as usize..pattern.tail.1 as usize];
        let keyed = pattern.key_words as usize;
        let Some(rest) = words.get(keyed..keyed + tail.len()) else {
            return;
        };
        let matched = tail
            .iter()
            .zip(rest)
            .enumerate()
            .all(
                |(k, (expected, word))| match pattern.prefix && k + 1 == tail.len() {
                    true => word.text.starts_with(&**expected),
                    false => word.text == &**expected,
                },
            );
        if matched {
            let last = keyed + tail.len() - 1;
            hits.push(TermHit {
                owner: pattern.owner,
                range: words[0].range.start..words[last].range.end,
            });
        }
    }
}

/// A word of the normalised text and its byte range there.
struct Word<'a> {
    text: &'a str,
    range: Range<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(terms: &[&str]) -> TermMatcher {
        let mut b = TermMatcherBuilder::default();
        for (i, t) in terms.iter().enumerate() {
            assert!(b.add(t, i as u32));
        }
        b.build()
    }

    fn found<'a>(m: &TermMatcher, text: &'a str) -> Vec<(u32, &'a str)> {
        let n = Normalized::new(text);
        m.find(&n)
            .into_iter()
            .map(|h| (h.owner, &text[n.original_range(h.range)]))
            .collect()
    }

    #[test]
    fn matches_whole_words_only() {
        let m = matcher(&["con", "Starbucks"]);
        assert_eq!(found(&m, "Quel con, pas content"), vec![(0, "con")]);
        assert_eq!(found(&m, "STARBUCKS!"), vec![(1, "STARBUCKS")]);
    }

    #[test]
    fn prefix_terms_extend_to_the_end_of_the_word() {
        let m = matcher(&["rembours*"]);
        assert_eq!(
            found(&m, "Remboursement garanti"),
            vec![(0, "Remboursement")]
        );
    }

    #[test]
    fn adjacent_and_repeated_matches_are_all_found() {
        let m = matcher(&["con", "idiot"]);
        assert_eq!(
            found(&m, "con con idiot"),
            vec![(0, "con"), (0, "con"), (1, "idiot")]
        );
    }

    #[test]
    fn multi_word_and_elongated_terms() {
        let m = matcher(&["fils de pute", "connard", "ass"]);
        assert_eq!(found(&m, "FILS-DE-PUTE"), vec![(0, "FILS-DE-PUTE")]);
        assert_eq!(found(&m, "connnnnard"), vec![(1, "connnnnard")]);
        assert!(found(&m, "as well as").is_empty());
    }

    #[test]
    fn codes_with_digits_stay_distinct() {
        let m = matcher(&["mot42", "mot442", "livraison express 1*", "marque p*"]);
        assert_eq!(found(&m, "un mot42 ici"), vec![(0, "mot42")]);
        assert_eq!(found(&m, "un mot442"), vec![(1, "mot442")]);
        assert_eq!(
            found(&m, "Livraison express 12, marque Pixel"),
            vec![(2, "Livraison express 12"), (3, "marque Pixel")]
        );
    }

    #[test]
    fn rejects_terms_without_letters() {
        assert!(!TermMatcherBuilder::default().add("!!", 0));
        assert!(matcher(&[]).find(&Normalized::new("x")).is_empty());
    }
}
