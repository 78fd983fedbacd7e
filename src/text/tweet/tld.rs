//! Top-level domains twitter-text recognises, from `data/tlds.txt` (its `tld_lib.yml`).
//!
//! A domain ends in a generic TLD, else a country TLD, else a punycode label, each tried in
//! the order of the list, and a TLD only counts when no letter, digit, `@`, `+` or `-`
//! follows it ("example.com" but not "example.community"). Lookup is by first unit, so a
//! candidate position costs a handful of comparisons rather than a scan of 1,500 names.

use super::chars::{fold, starts_with_ignore_case};
use std::collections::HashMap;
use std::sync::OnceLock;

const LIST: &str = include_str!("data/tlds.txt");

/// TLDs (case-folded units) grouped by first unit, each group in list order.
struct Table {
    by_first: HashMap<u16, Vec<Vec<u16>>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_first: HashMap<u16, Vec<Vec<u16>>> = HashMap::new();
        for line in LIST
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let folded: Vec<u16> = line.encode_utf16().map(fold).collect();
            by_first.entry(folded[0]).or_default().push(folded);
        }
        Table { by_first }
    })
}

/// Whether a TLD ending at `end` is complete (`(?=[^0-9a-zA-Z@+-]|$)`).
fn ends_cleanly(s: &[u16], end: usize) -> bool {
    s.get(end).is_none_or(|&u| {
        !(super::chars::is_ascii_alnum(u) || b"@+-".iter().any(|&b| u == u16::from(b)))
    })
}

/// The length of the TLD that twitter-text matches at `i`, if any.
#[cfg_attr(tact_speed, optimize(speed))]
pub(super) fn match_at(s: &[u16], i: usize) -> Option<usize> {
    let first = fold(*s.get(i)?);
    if let Some(group) = table().by_first.get(&first) {
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
        assert_eq!(tld("com-x"), None);
        assert_eq!(tld("みんな"), Some(3));
        assert_eq!(tld("xn--p1ai."), Some(8));
    }

    #[test]
    fn generic_and_country_lists_are_both_loaded() {
        let groups: usize = table().by_first.values().map(Vec::len).sum();
        assert_eq!(
            groups,
            LIST.lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .count()
        );
        assert!(groups > 1500);
    }
}
