//! Whole-word matching of many terms at once on normalised text.
//!
//! Terms are normalised like drafts and searched padded with spaces (`" connard "`) in
//! the padded normalised draft, so one aho-corasick pass finds whole-word matches in
//! linear time whatever the number of terms, accented text included. A trailing `*`
//! makes a prefix term (`rembours*`). Each term is also added with doubled letters
//! squeezed, so elongated spellings ("connnnard" normalises to "conard") still match,
//! unless the squeezed form is an ordinary word ("ass" → "as").

use crate::text::normalize::{normalize_term, squeeze_doubles, Normalized};
use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;

/// Squeezed spellings that are ordinary words and must not stand for their term.
const SQUEEZE_STOP: &[&str] = &[
    "as", "but", "cone", "cones", "bal", "bale", "pas", "pase", "sale", "poul", "bite", "mal",
    "sel", "fil", "fol", "bel", "fes", "tet", "bon", "bone", "cul", "pis", "tes", "kil",
];

/// Builds a [`TermMatcher`]; each term belongs to an owner (a rule or lexicon entry).
#[derive(Debug, Default)]
pub struct TermMatcherBuilder {
    patterns: Vec<String>,
    owners: Vec<(u32, bool)>,
}

impl TermMatcherBuilder {
    /// Adds `term` for `owner`. Returns false when the term has nothing to match.
    pub fn add(&mut self, term: &str, owner: u32) -> bool {
        let trimmed = term.trim();
        let prefix = trimmed.ends_with('*');
        let word = normalize_term(trimmed.trim_end_matches('*'));
        if word.is_empty() {
            return false;
        }
        let squeezed = squeeze_doubles(&word);
        let tail = if prefix { "" } else { " " };
        self.patterns.push(format!(" {word}{tail}"));
        self.owners.push((owner, prefix));
        if squeezed != word && !SQUEEZE_STOP.contains(&squeezed.as_str()) {
            self.patterns.push(format!(" {squeezed}{tail}"));
            self.owners.push((owner, prefix));
        }
        true
    }

    /// Adds an already normalised whole word for `owner`, without its squeezed spelling
    /// (for generated misspellings, whose squeezed forms would be too loose).
    pub fn add_exact(&mut self, word: &str, owner: u32) {
        self.patterns.push(format!(" {word} "));
        self.owners.push((owner, false));
    }

    pub fn build(self) -> TermMatcher {
        let ac = if self.patterns.is_empty() {
            None
        } else {
            // Standard semantics: overlapping search needs it, and two matches may share
            // the space between them.
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&self.patterns)
                .ok()
        };
        TermMatcher {
            ac,
            owners: self.owners,
        }
    }
}

/// A term found in a draft: its owner and the normalised byte range of the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermHit {
    pub owner: u32,
    pub range: Range<usize>,
}

/// Many terms compiled into one automaton.
#[derive(Debug, Clone)]
pub struct TermMatcher {
    ac: Option<AhoCorasick>,
    owners: Vec<(u32, bool)>,
}

impl TermMatcher {
    /// Every whole-word occurrence of every term in `text`, in text order, each
    /// (owner, range) once.
    pub fn find(&self, text: &Normalized) -> Vec<TermHit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let haystack = text.as_str();
        let mut hits: Vec<TermHit> = ac
            .find_overlapping_iter(haystack)
            .filter_map(|m| {
                let (owner, prefix) = *self.owners.get(m.pattern().as_usize())?;
                let start = m.start() + 1;
                let end = if prefix {
                    haystack[m.end()..]
                        .find(' ')
                        .map_or(haystack.len(), |i| m.end() + i)
                } else {
                    m.end() - 1
                };
                Some(TermHit {
                    owner,
                    range: start..end,
                })
            })
            .collect();
        hits.sort_by_key(|h| (h.range.start, h.range.end, h.owner));
        hits.dedup();
        hits
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
    fn rejects_terms_without_letters() {
        assert!(!TermMatcherBuilder::default().add("!!", 0));
        assert!(matcher(&[]).find(&Normalized::new("x")).is_empty());
    }
}
