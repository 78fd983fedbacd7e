//! Top-level domains twitter-text recognises, from `data/tlds.txt` (its `tld_lib.yml`).
//!
//! A domain ends in a generic TLD, else a country TLD, else a punycode label, each tried in
//! the order of the list, and a TLD only counts when no letter, digit, `@`, `+` or `-`
//! follows it ("example.com" but not "example.community"). Since the end condition
//! leaves one ASCII candidate per position (the whole run of letters and digits there),
//! a position costs one binary search rather than a scan of 1,500 names.

use super::chars::{fold, starts_with_ignore_case, AsciiSet};
use std::collections::HashMap;
use std::sync::OnceLock;

const LIST: &str = include_str!("data/tlds.txt");

/// The list split for lookup: plain ASCII TLDs (most of them) sorted for a binary search of
/// the one candidate a position allows, and the rest (IDN TLDs) grouped by first unit.
struct Table {
    /// Upper-case ASCII TLDs, sorted.
    ascii: Vec<Box<[u8]>>,
    /// The longest of them.
    ascii_longest: usize,
    /// TLDs with any other character (case-folded units) by first unit, in list order.
    other: HashMap<u16, Vec<Vec<u16>>>,
    /// The ASCII first units of `other` ("vermögensberater"), one bit each: the unit after
    /// most dots (a space, a letter) is answered without hashing.
    other_ascii_first: AsciiSet,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut ascii = Vec::new();
        let mut other: HashMap<u16, Vec<Vec<u16>>> = HashMap::new();
        for line in LIST
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            if line.bytes().all(|b| b.is_ascii_alphanumeric()) {
                ascii.push(line.to_ascii_uppercase().into_bytes().into_boxed_slice());
            } else {
                let folded: Vec<u16> = line.encode_utf16().map(fold).collect();
                other.entry(folded[0]).or_default().push(folded);
            }
        }
        ascii.sort_unstable();
        let ascii_longest = ascii.iter().map(|t| t.len()).max().unwrap_or(0);
        let other_ascii_first = other
            .keys()
            .filter(|&&u| u < 0x80)
            .fold(AsciiSet::default(), |set, &u| set.with(u as u8));
        Table {
            ascii,
            ascii_longest,
            other,
            other_ascii_first,
        }
    })
}

/// Whether a TLD ending at `end` is complete (`(?=[^0-9a-zA-Z@+-]|$)`).
fn ends_cleanly(s: &[u16], end: usize) -> bool {
    s.get(end).is_none_or(|&u| {
        !(super::chars::is_ascii_alnum(u) || b"@+-".iter().any(|&b| u == u16::from(b)))
    })
}

impl Table {
    /// Whether `word` (upper-case ASCII) is a listed ASCII TLD.
    fn has_ascii(&self, word: &[u8]) -> bool {
        self.ascii.binary_search_by(|t| (**t).cmp(word)).is_ok()
    }
}

/// The ASCII TLD at `i`: only the whole run of letters and digits there can end cleanly,
/// so that run is the one candidate.
fn ascii_at(table: &Table, s: &[u16], i: usize) -> Option<usize> {
    let mut word = [0u8; 32];
    let mut len = 0;
    for &u in &s[i..] {
        if !super::chars::is_ascii_alnum(u) {
            break;
        }
        if len == table.ascii_longest.min(word.len()) {
            return None;
        }
        word[len] = (u as u8).to_ascii_uppercase();
        len += 1;
    }
    (len > 0 && ends_cleanly(s, i + len) && table.has_ascii(&word[..len])).then_some(len)
}

/// The length of the TLD that twitter-text matches at `i`, if any.
#[cfg_attr(tact_speed, optimize(speed))]
pub(super) fn match_at(s: &[u16], i: usize) -> Option<usize> {
    let table = table();
    let first = fold(*s.get(i)?);
    if let Some(len) = ascii_at(table, s, i) {
        return Some(len);
    }
    let may_be_other = first >= 0x80 || table.other_ascii_first.contains(first);
    if let Some(group) = may_be_other.then(|| table.other.get(&first)).flatten() {
        for tld in group {
            let end = i + tld.len();
            if end <= s.len()
                && s[i..end].iter().zip(tld).all(|(&u, &t)| fold(u) == t)
                && ends_cleanly(s, end)
            {
                return Some(tld.len());
            }
        }
    }
    // validPunycode: xn--[-0-9a-z]+, no end condition.
    if starts_with_ignore_case(s, i, b"xn--") {
        let body = s[i + 4..]
            .iter()
            .take_while(|&&u| super::chars::is_ascii_alnum(u) || u == u16::from(b'-'))
            .count();
        if body > 0 {
            return Some(4 + body);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tld(text: &str) -> Option<usize> {
        match_at(&text.encode_utf16().collect::<Vec<_>>(), 0)
    }

    #[test]
    fn matches_whole_tlds_in_any_case() {
        assert_eq!(tld("com"), Some(3));
        assert_eq!(tld("COM/path"), Some(3));
        assert_eq!(tld("fr "), Some(2));
        assert_eq!(tld("community"), Some(9));
        assert_eq!(tld("comx"), None);
        assert_eq!(
            tld("Vermögensberater/x"),
            Some(16),
            "an IDN TLD starting in ASCII"
        );
        assert_eq!(tld("рф"), Some(2));
        assert_eq!(tld("com-x"), None);
        assert_eq!(tld("みんな"), Some(3));
        assert_eq!(tld("xn--p1ai."), Some(8));
    }

    #[test]
    fn generic_and_country_lists_are_both_loaded() {
        let table = table();
        let other: usize = table.other.values().map(Vec::len).sum();
        let listed: Vec<&str> = LIST
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert_eq!(table.ascii.len() + other, listed.len());
        assert!(listed.len() > 1500);
        assert_eq!(tld("vermögensberatung"), Some(17));
        assert_eq!(tld("VERMÖGENSBERATER."), Some(16));
    }

    /// The ASCII table is searched before the list's other TLDs, which only keeps the
    /// list's order if no ASCII TLD is the ASCII start of another one (as "verm" would be
    /// of "vermögensberatung").
    #[test]
    fn the_ascii_lookup_keeps_the_list_order() {
        let table = table();
        for group in table.other.values() {
            for tld in group {
                let start: Vec<u8> = tld
                    .iter()
                    .take_while(|&&u| u < 0x80)
                    .map(|&u| u as u8)
                    .collect();
                assert!(
                    start.is_empty() || !table.has_ascii(&start),
                    "{}",
                    String::from_utf16_lossy(tld)
                );
            }
        }
    }
}
