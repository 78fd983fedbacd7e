//! Charter regexes (`pattern` rules, order numbers, the signature) that stay cheap on
//! every keystroke.
//!
//! Each pattern keeps the literals every one of its matches starts with (folded to ASCII
//! lower case); one pass over the draft finds where any of them occurs, and the regex runs
//! *anchored* at those places only, where it stops after a few characters. A pattern
//! without such literals (one starting with `\w` or `.`) is searched in full.

use super::regex::Regex;
use std::ops::Range;

/// One compiled regex and the literals its matches start with.
#[derive(Debug, Clone)]
pub struct Pattern {
    re: Regex,
    /// ASCII-lowercased prefixes, or `None` when a match may start anywhere.
    prefixes: Option<Vec<Box<[u8]>>>,
    /// The bytes the prefixes start with.
    first: FirstBytes,
}

impl Pattern {
    /// Compiles `pattern` (the common syntax of the `regex` crate) into at most
    /// `size_limit` instructions.
    pub fn new(pattern: &str, size_limit: usize) -> Result<Pattern, String> {
        let re = Regex::new(pattern, size_limit)?;
        let prefixes = re.prefixes().and_then(lowercased);
        let first = FirstBytes::of(prefixes.iter().flatten().map(|p| &**p));
        Ok(Pattern {
            re,
            prefixes,
            first,
        })
    }

    /// Whether the pattern matches anywhere in `text`.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn is_match(&self, text: &str) -> bool {
        let Some(prefixes) = &self.prefixes else {
            return self.re.find_at(text, 0, false).is_some();
        };
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(at) = self.first.next(bytes, from) {
            let here = prefixes.iter().any(|p| starts_with_folded(bytes, at, p));
            if here && self.re.find_at(text, at, true).is_some() {
                return true;
            }
            from = at + 1;
        }
        false
    }

    /// Heap memory the compiled regex holds.
    pub fn memory_usage(&self) -> usize {
        self.re.memory_usage()
    }
}

/// The distinct ASCII-lowercased literals, or `None` when one is empty.
fn lowercased(literals: &[String]) -> Option<Vec<Box<[u8]>>> {
    if literals.is_empty() || literals.iter().any(String::is_empty) {
        return None;
    }
    let mut out: Vec<Box<[u8]>> = literals
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase().into_boxed_slice())
        .collect();
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// Whether `bytes[at..]` starts with the lowercased `literal`, ignoring ASCII case.
#[inline(always)]
fn starts_with_folded(bytes: &[u8], at: usize, literal: &[u8]) -> bool {
    bytes
        .get(at..at + literal.len())
        .is_some_and(|here| here.eq_ignore_ascii_case(literal))
}

/// The bytes some literal starts with, in both ASCII cases: the scan for candidates
/// skips every other byte with one table lookup, or, when there are at most
/// [`FEW_BYTES`] of them (one literal's first letter in both cases, a signature's dash),
/// eight bytes at a time.
#[derive(Debug, Clone)]
struct FirstBytes {
    table: [bool; 256],
    /// The distinct bytes of `table` when they are few, each repeated in all eight
    /// bytes of a word.
    few: Option<Vec<u64>>,
}

/// The most first bytes scanned a word at a time.
const FEW_BYTES: usize = 3;
const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

impl Default for FirstBytes {
    fn default() -> FirstBytes {
        FirstBytes::of(std::iter::empty())
    }
}

impl FirstBytes {
    fn of<'a>(literals: impl Iterator<Item = &'a [u8]>) -> FirstBytes {
        let mut table = [false; 256];
        for first in literals.filter_map(|l| l.first()) {
            table[usize::from(first.to_ascii_lowercase())] = true;
            table[usize::from(first.to_ascii_uppercase())] = true;
        }
        let bytes: Vec<u64> = (0..=255u8)
            .filter(|&b| table[usize::from(b)])
            .map(|b| u64::from(b) * LOW_BITS)
            .collect();
        FirstBytes {
            table,
            few: (bytes.len() <= FEW_BYTES).then_some(bytes),
        }
    }

    /// The first position at or after `from` where a literal may start.
    #[cfg_attr(tact_speed, optimize(speed))]
    fn next(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let rest = bytes.get(from..)?;
        let mut skipped = 0;
        if let Some(few) = &self.few {
            // A word holds a wanted byte when one of its bytes XOR that byte is zero.
            let holds = |word: u64| {
                few.iter().any(|&wanted| {
                    let x = word ^ wanted;
                    x.wrapping_sub(LOW_BITS) & !x & HIGH_BITS != 0
                })
            };
            skipped = rest
                .chunks_exact(8)
                .position(|chunk| {
                    let mut word = [0; 8];
                    word.copy_from_slice(chunk);
                    holds(u64::from_le_bytes(word))
                })
                .map_or(rest.len() / 8 * 8, |words| words * 8);
        }
        rest[skipped..]
            .iter()
            .position(|&b| self.table[usize::from(b)])
            .map(|i| from + skipped + i)
    }
}

fn common_prefix<'a>(a: &'a [u8], b: &[u8]) -> &'a [u8] {
    let n = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    &a[..n]
}

/// Several patterns searched together with one prefilter pass.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
    /// Lowercased first byte → the prefix all its literals share, and indices into
    /// `literals`.
    by_first_byte: Vec<(Box<[u8]>, Vec<u32>)>,
    /// `(pattern index, literal)` for every prefix of every pattern that has some.
    literals: Vec<(u32, Box<[u8]>)>,
    /// The first bytes of all `literals`.
    first: FirstBytes,
    /// Patterns searched over the whole text.
    unfiltered: Vec<u32>,
}

impl PatternSet {
    pub fn new(patterns: Vec<Pattern>) -> PatternSet {
        let mut set = PatternSet {
            by_first_byte: vec![(Box::default(), Vec::new()); 256],
            ..PatternSet::default()
        };
        set.first = FirstBytes::of(
            patterns
                .iter()
                .flat_map(|p| p.prefixes.iter().flatten())
                .map(|l| &**l),
        );
        for (p, pattern) in patterns.iter().enumerate() {
            match &pattern.prefixes {
                None => set.unfiltered.push(p as u32),
                Some(prefixes) => {
                    for literal in prefixes {
                        let (shared, bucket) = &mut set.by_first_byte[usize::from(literal[0])];
                        *shared = match bucket.is_empty() {
                            true => literal.clone(),
                            false => common_prefix(shared, literal).into(),
                        };
                        bucket.push(set.literals.len() as u32);
                        set.literals.push((p as u32, literal.clone()));
                    }
                }
            }
        }
        set.patterns = patterns;
        set
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Heap memory the compiled regexes hold together.
    pub fn memory_usage(&self) -> usize {
        self.patterns.iter().map(Pattern::memory_usage).sum()
    }

    /// Every non-empty, non-overlapping (leftmost-first) match of every pattern, as
    /// `(pattern index, byte range)`, grouped by pattern in pattern order.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn find(&self, text: &str) -> Vec<(usize, Range<usize>)> {
        let mut out = Vec::new();
        if self.patterns.is_empty() {
            return out;
        }
        let mut starts: Vec<(u32, usize)> = Vec::new();
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(at) = self.first.next(bytes, from) {
            from = at + 1;
            let (shared, bucket) = &self.by_first_byte[usize::from(bytes[at].to_ascii_lowercase())];
            if bucket.is_empty() || !starts_with_folded(bytes, at, shared) {
                continue;
            }
            for &k in bucket {
                let (p, literal) = &self.literals[k as usize];
                if starts_with_folded(bytes, at, literal) {
                    starts.push((*p, at));
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let mut next = starts.iter().peekable();
        for (p, pattern) in self.patterns.iter().enumerate() {
            if self.unfiltered.contains(&(p as u32)) {
                out.extend(
                    pattern
                        .re
                        .find_iter(text)
                        .filter(|m| !m.is_empty())
                        .map(|m| (p, m)),
                );
                continue;
            }
            let mut end = 0;
            while let Some(&&(q, at)) = next.peek() {
                if q as usize != p {
                    break;
                }
                next.next();
                if at < end {
                    continue;
                }
                if let Some(m) = pattern.re.find_at(text, at, true).filter(|m| !m.is_empty()) {
                    end = m.end;
                    out.push((p, m));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> PatternSet {
        PatternSet::new(
            patterns
                .iter()
                .map(|p| Pattern::new(p, 1 << 20).expect("test pattern"))
                .collect(),
        )
    }

    fn found<'a>(s: &PatternSet, text: &'a str) -> Vec<(usize, &'a str)> {
        s.find(text)
            .into_iter()
            .map(|(p, r)| (p, &text[r]))
            .collect()
    }

    #[test]
    fn prefiltered_matches_equal_a_full_search() {
        let patterns = [
            r"(?i)rembours\w*\s+(garanti|immédiat)",
            r"CMD-\d{6}",
            r"\d+ ?€",
            r"(?i)été\b",
        ];
        let s = set(&patterns);
        assert!(s.unfiltered.contains(&2), "\\d+ has no literal prefix");
        let text = "REMBOURSEMENT IMMÉDIAT ! Remboursé   garanti, CMD-123456 et CMD-12 ; \
                    10 € puis 5€. L'ÉTÉ, l'étéologie, Été.";
        for (p, pattern) in patterns.iter().enumerate() {
            let full = regex::Regex::new(pattern).expect("test pattern");
            let expected: Vec<(usize, &str)> =
                full.find_iter(text).map(|m| (p, m.as_str())).collect();
            let got: Vec<(usize, &str)> = found(&s, text)
                .into_iter()
                .filter(|(q, _)| *q == p)
                .collect();
            assert_eq!(got, expected, "{pattern}");
            assert!(!expected.is_empty(), "{pattern} should match the test text");
        }
    }

    #[test]
    fn case_folding_outside_ascii_is_not_lost() {
        // (?i)k also matches the Kelvin sign, whose bytes are not ASCII.
        let s = set(&["(?i)kilo"]);
        assert_eq!(
            found(&s, "1 \u{212A}ILO, 2 kilos"),
            vec![(0, "\u{212A}ILO"), (0, "kilo")]
        );
    }

    #[test]
    fn is_match_agrees_with_find() {
        for (pattern, text, expected) in [
            ("— [A-Z]{2}$", "Merci !\n— AB", true),
            ("— [A-Z]{2}$", "Merci — AB.", false),
            (r"^\w+$", "été", true),
            ("(?i)ÉTÉ", "l'été", true),
        ] {
            let p = Pattern::new(pattern, 1 << 20).expect("test pattern");
            assert_eq!(p.is_match(text), expected, "{pattern} on {text:?}");
        }
    }

    proptest::proptest! {
        /// The word-at-a-time scan finds the same candidates as the table, for sets of
        /// first bytes small and large.
        #[test]
        fn first_bytes_scan_agrees_with_the_table(
            firsts in proptest::collection::vec(proptest::sample::select(b"pPc#-\xE2\x80aZ".to_vec()), 1..6),
            text in proptest::collection::vec(proptest::sample::select(b"pPcC#- a\xE2\x80zZ".to_vec()), 0..40),
            from in 0usize..42,
        ) {
            let literals: Vec<[u8; 1]> = firsts.iter().map(|&b| [b]).collect();
            let first = FirstBytes::of(literals.iter().map(|l| &l[..]));
            let expected = text
                .get(from..)
                .and_then(|rest| rest.iter().position(|&b| first.table[usize::from(b)]))
                .map(|i| from + i);
            proptest::prop_assert_eq!(first.next(&text, from), expected);
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = Pattern::new("(unclosed", 1 << 20).expect_err("bad regex");
        assert!(e.starts_with("invalid regex"), "{e}");
        let e = Pattern::new(r"(\w{100}){100}", 4096).expect_err("too big");
        assert!(e.contains("compiles to more than"), "{e}");
    }
}
