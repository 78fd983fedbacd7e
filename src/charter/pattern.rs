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
/// skips every other byte with one table lookup.
#[derive(Debug, Clone)]
struct FirstBytes([bool; 256]);

impl Default for FirstBytes {
    fn default() -> FirstBytes {
        FirstBytes([false; 256])
    }
}

impl FirstBytes {
    fn of<'a>(literals: impl Iterator<Item = &'a [u8]>) -> FirstBytes {
        let mut table = [false; 256];
        for first in literals.filter_map(|l| l.first()) {
            table[usize::from(first.to_ascii_lowercase())] = true;
            table[usize::from(first.to_ascii_uppercase())] = true;
        }
        FirstBytes(table)
    }

    /// The first position at or after `from` where a literal may start.
    fn next(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let rest = bytes.get(from..)?;
        rest.iter()
            .position(|&b| self.0[usize::from(b)])
            .map(|i| from + i)
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

    #[test]
    fn errors_say_what_is_wrong() {
        let e = Pattern::new("(unclosed", 1 << 20).expect_err("bad regex");
        assert!(e.starts_with("invalid regex"), "{e}");
        let e = Pattern::new(r"(\w{100}){100}", 4096).expect_err("too big");
        assert!(e.contains("compiles to more than"), "{e}");
    }
}
