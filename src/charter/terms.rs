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

/// Where a key points before the tables are built: one-word prefixes (`rembours*`) go to
/// [`TermMatcher::prefixes`], every other key to [`TermMatcher::exact`].
#[derive(Debug, Clone, Copy)]
struct Key {
    /// Byte range in [`TermMatcherBuilder::key_text`].
    text: (u32, u32),
    one_word_prefix: bool,
    pattern: u32,
}

/// Builds a [`TermMatcher`]; each term belongs to an owner (a rule or lexicon entry).
/// Keys and tails are kept in two flat strings: the lexicons add tens of thousands.
#[derive(Debug, Default)]
pub struct TermMatcherBuilder {
    keys: Vec<Key>,
    key_text: String,
    patterns: Vec<Pattern>,
    /// Byte ranges of single words in `tail_text`.
    tails: Vec<(u32, u32)>,
    tail_text: String,
}

impl TermMatcherBuilder {
    /// A builder with room for about `terms` spellings of `bytes` bytes in all, so that
    /// the lexicons' tens of thousands do not regrow the lists as they are added.
    pub fn with_capacity(terms: usize, bytes: usize) -> TermMatcherBuilder {
        TermMatcherBuilder {
            keys: Vec::with_capacity(terms),
            key_text: String::with_capacity(bytes),
            patterns: Vec::with_capacity(terms),
            tails: Vec::new(),
            tail_text: String::new(),
        }
    }

    /// Adds `term` for `owner`. Returns false when the term has nothing to match.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn add(&mut self, term: &str, owner: u32) -> bool {
        let trimmed = term.trim();
        let prefix = trimmed.ends_with('*');
        let words = normalize_term(trimmed.trim_end_matches('*'));
        // Digits are decoded as leetspeak ("mot442" reads "motaa2"), so squeezing a term
        // written with digits would merge distinct codes ("mot42" and "mot442").
        let has_digits = trimmed.bytes().any(|b| b.is_ascii_digit());
        self.add_normalized(&words, prefix, has_digits, owner)
    }

    /// [`TermMatcherBuilder::add`] for a term already normalised (`words`), its last
    /// word a prefix or not, and whether the term was written with digits (then it is
    /// not added squeezed). Returns false when there is nothing to match.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn add_normalized(
        &mut self,
        words: &str,
        prefix: bool,
        has_digits: bool,
        owner: u32,
    ) -> bool {
        if words.is_empty() {
            return false;
        }
        self.push(words, owner, prefix);
        if !has_digits {
            let squeezed = squeeze_doubles(words);
            if squeezed != words && !SQUEEZE_STOP.contains(&squeezed.as_str()) {
                self.push(&squeezed, owner, prefix);
            }
        }
        true
    }

    /// Adds an already normalised whole word for `owner`, without its squeezed spelling
    /// (for generated misspellings, whose squeezed forms would be too loose).
    pub fn add_exact(&mut self, word: &str, owner: u32) {
        self.push(word, owner, false);
    }

    /// Adds normalised `words` (single spaces between them). Terms of several words are
    /// keyed by their first two (unless the second is a prefix), so a common first word
    /// ("livraison …") does not make every draft word try them all.
    #[cfg_attr(tact_speed, optimize(speed))]
    fn push(&mut self, words: &str, owner: u32, prefix: bool) {
        let bytes = words.as_bytes();
        let count = 1 + bytes.iter().filter(|&&b| b == b' ').count();
        let key_words = match (count, prefix) {
            (1, _) | (2, true) => 1,
            _ => 2,
        };
        // The key is the first one or two words: a prefix of `words`.
        let key_end = (0..bytes.len())
            .filter(|&i| bytes[i] == b' ')
            .nth(key_words - 1)
            .unwrap_or(words.len());
        let start = self.key_text.len() as u32;
        self.key_text.push_str(&words[..key_end]);
        let tail_start = self.tails.len() as u32;
        for word in words[key_end..].split(' ').filter(|w| !w.is_empty()) {
            let from = self.tail_text.len() as u32;
            self.tail_text.push_str(word);
            self.tails.push((from, self.tail_text.len() as u32));
        }
        let index = self.patterns.len() as u32;
        self.patterns.push(Pattern {
            owner,
            prefix,
            key_words: key_words as u32,
            tail: (tail_start, self.tails.len() as u32),
        });
        self.keys.push(Key {
            text: (start, self.key_text.len() as u32),
            one_word_prefix: prefix && count == 1,
            pattern: index,
        });
    }

    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn build(self) -> TermMatcher {
        let key = |k: &Key| &self.key_text.as_bytes()[k.text.0 as usize..k.text.1 as usize];
        let (stems, keys): (Vec<Key>, Vec<Key>) = self.keys.iter().partition(|k| k.one_word_prefix);
        let (mut exact, starts) = group(keys.iter().map(|k| (key(k), k.pattern)));
        let mut heads = Shapes::default();
        // A word that starts two-word keys gets an entry (maybe empty), so a draft word
        // with no entry skips the second lookup.
        for k in &keys {
            let head = key(k).split(|&b| b == b' ').next().unwrap_or_default();
            heads.add(head);
            if head.len() < key(k).len() {
                exact.insert(head, (0, 0));
            }
        }
        // One-word prefixes are grouped by their first `stem_key` bytes, so a draft word
        // costs one lookup whatever the prefixes' lengths.
        let stem_key = stems.iter().map(|k| key(k).len()).min().unwrap_or(0);
        let mut stem_heads = Shapes::default();
        for k in &stems {
            stem_heads.add_longer(key(k));
        }
        let (prefixes, stem_starts) = group(
            stems
                .iter()
                .enumerate()
                .map(|(i, k)| (&key(k)[..stem_key], i as u32)),
        );
        let mut stem_text = String::new();
        let mut stem_ranges = Vec::with_capacity(stems.len());
        for &i in &stem_starts {
            let k = &stems[i as usize];
            let from = stem_text.len() as u32;
            stem_text.push_str(&self.key_text[k.text.0 as usize..k.text.1 as usize]);
            stem_ranges.push((from, stem_text.len() as u32, k.pattern));
        }
        TermMatcher {
            exact,
            heads,
            prefixes,
            stem_heads,
            stem_key,
            stem_text,
            stems: stem_ranges,
            starts,
            patterns: self.patterns,
            tails: self.tails,
            tail_text: self.tail_text,
        }
    }
}

/// Indexes `(key, value)` pairs by key: each distinct key maps to the range of its values
/// in the returned list, where they keep their order. Two passes (count, then place)
/// instead of a sort of tens of thousands of strings.
#[cfg_attr(tact_speed, optimize(speed))]
fn group<'k>(items: impl Iterator<Item = (&'k [u8], u32)> + Clone) -> (WordTable, Vec<u32>) {
    let mut table = WordTable::default();
    let mut counts: Vec<u32> = Vec::new();
    let ids: Vec<usize> = items
        .clone()
        .map(|(key, _)| {
            let id = table.intern(key);
            if id == counts.len() {
                counts.push(0);
            }
            counts[id] += 1;
            id
        })
        .collect();
    let mut next = Vec::with_capacity(counts.len());
    let mut total = 0;
    for (id, &count) in counts.iter().enumerate() {
        table.set(id, (total, total + count));
        next.push(total);
        total += count;
    }
    let mut values = vec![0; total as usize];
    for ((_, value), id) in items.zip(ids) {
        values[next[id] as usize] = value;
        next[id] += 1;
    }
    (table, values)
}

/// Which (first byte, length) shapes some words have: a draft word of another shape
/// cannot begin a key, and skips the hash lookup (most words, against a charter's terms).
#[derive(Debug, Clone)]
struct Shapes(Box<[u32; 256]>);

impl Default for Shapes {
    fn default() -> Shapes {
        Shapes(Box::new([0; 256]))
    }
}

impl Shapes {
    /// Adds the shape of `word` (lengths of 31 bytes and more share one bit).
    fn add(&mut self, word: &[u8]) {
        if let Some(&first) = word.first() {
            self.0[usize::from(first)] |= 1 << word.len().min(31);
        }
    }

    /// Adds the shapes of every word starting like `stem` and at least as long.
    fn add_longer(&mut self, stem: &[u8]) {
        if let Some(&first) = stem.first() {
            self.0[usize::from(first)] |= u32::MAX << stem.len().min(31);
        }
    }

    #[inline(always)]
    fn may_hold(&self, word: &[u8]) -> bool {
        word.first()
            .is_some_and(|&b| self.0[usize::from(b)] >> word.len().min(31) & 1 == 1)
    }
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
    /// The shapes of the words that begin the keys of `exact`.
    heads: Shapes,
    /// The first `stem_key` bytes of one-word prefix terms (`rembours*`) → range in
    /// `stems`.
    prefixes: WordTable,
    /// The shapes of the draft words a stem may begin.
    stem_heads: Shapes,
    stem_key: usize,
    /// Every one-word prefix: its byte range in `stem_text` and its pattern.
    stems: Vec<(u32, u32, u32)>,
    stem_text: String,
    starts: Vec<u32>,
    patterns: Vec<Pattern>,
    /// Byte ranges of the words after the keys, in `tail_text`.
    tails: Vec<(u32, u32)>,
    tail_text: String,
}

impl TermMatcher {
    /// Every whole-word occurrence of every term in `text`, in text order, each
    /// (owner, range) once.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn find(&self, text: &Normalized) -> Vec<TermHit> {
        let mut hits = Vec::new();
        if self.patterns.is_empty() {
            return hits;
        }
        let ranges = text.word_ranges();
        let text = text.as_str();
        for (i, range) in ranges.iter().enumerate() {
            let word = &text[range.clone()];
            let bytes = word.as_bytes();
            let single = match self.heads.may_hold(bytes) {
                true => self.exact.get(bytes),
                false => None,
            };
            if let Some(single) = single {
                let pair = ranges
                    .get(i + 1)
                    .map(|next| &text.as_bytes()[range.start..next.end])
                    .and_then(|key| self.exact.get(key));
                for (from, to) in std::iter::once(single).chain(pair) {
                    for &p in &self.starts[from as usize..to as usize] {
                        self.extend(p, text, &ranges[i..], &mut hits);
                    }
                }
            }
            let key = bytes
                .get(..self.stem_key)
                .filter(|_| self.stem_heads.may_hold(bytes));
            if let Some((from, to)) = key.and_then(|k| self.prefixes.get(k)) {
                for &(a, b, p) in &self.stems[from as usize..to as usize] {
                    if word.starts_with(&self.stem_text[a as usize..b as usize]) {
                        if let Some(pattern) = self.patterns.get(p as usize) {
                            hits.push(TermHit {
                                owner: pattern.owner,
                                range: range.clone(),
                            });
                        }
                    }
                }
            }
        }
        crate::sort::nearly_sorted_by_key(&mut hits, |h| (h.range.start, h.range.end, h.owner));
        hits.dedup();
        hits
    }

    /// Pushes pattern `p` when the words after its key match those after the key's
    /// words at the start of `words` (byte ranges of `text`).
    #[cfg_attr(tact_speed, optimize(speed))]
    fn extend(&self, p: u32, text: &str, words: &[Range<usize>], hits: &mut Vec<TermHit>) {
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
            .all(|(k, (&(a, b), word))| {
                let expected = &self.tail_text[a as usize..b as usize];
                let word = &text[word.clone()];
                match pattern.prefix && k + 1 == tail.len() {
                    true => word.starts_with(expected),
                    false => word == expected,
                }
            });
        if matched {
            let last = keyed + tail.len() - 1;
            hits.push(TermHit {
                owner: pattern.owner,
                range: words[0].start..words[last].end,
            });
        }
    }
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
