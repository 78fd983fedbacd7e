//! Emoji as parseTweet (config v3) counts them: one default-weight character per sequence.
//!
//! The pattern is twemoji-parser's (the package twitter-text uses), kept as data in
//! `data/twemoji.txt` and run by [`super::pattern`], so a family emoji of eleven code
//! units, a flag or a skin-toned hand each count once, exactly as X counts them.

use super::config::{Config, Version};
use super::pattern::{self, Searcher};
use std::sync::OnceLock;

const SOURCE: &str = include_str!("data/twemoji.txt");

fn build() -> Result<Searcher, String> {
    Searcher::new(pattern::parse(SOURCE.trim_end())?)
}

fn searcher() -> &'static Searcher {
    static SEARCHER: OnceLock<Searcher> = OnceLock::new();
    // The pattern is part of the build, and `the_embedded_pattern_builds` checks it.
    SEARCHER.get_or_init(|| {
        build().unwrap_or_else(|e| panic!("data/twemoji.txt is not a supported pattern: {e}"))
    })
}

/// The emoji sequences in `s`, as `(start, end)` UTF-16 indices, left to right.
pub(super) fn find(s: &[u16]) -> Vec<(usize, usize)> {
    searcher().find_all(s)
}

/// Whether, under `config`'s weights, no emoji sequence weighs more than its units
/// weighed one by one, and no sequence holds an ASCII unit past its first: then a text
/// weighed with emoji parsing off (its URLs, which start with ASCII, still counted as
/// URLs) weighs at least what X counts. Proved for the published v3 weights by
/// `no_sequence_outweighs_its_units`; other weights are not vouched for.
pub(super) fn plain_weight_bounds(config: &Config) -> bool {
    let v3 = Config::get(Version::V3);
    config.default_weight == v3.default_weight && config.ranges == v3.ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(usize, usize)> {
        find(&text.encode_utf16().collect::<Vec<_>>())
    }

    #[test]
    fn the_embedded_pattern_builds() {
        assert!(build().is_ok(), "{:?}", build().err());
    }

    #[test]
    fn second_unit_conditions_change_no_match() {
        // Every unit the pattern names, plus a few it does not.
        let mut alphabet: Vec<u16> = SOURCE
            .split("\\u")
            .skip(1)
            .filter_map(|hex| hex.get(..4).and_then(|h| u16::from_str_radix(h, 16).ok()))
            .collect();
        alphabet.extend("#*09a é©®™".encode_utf16());
        alphabet.sort_unstable();
        alphabet.dedup();
        let searcher = searcher();
        let mut seed: u64 = 3;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        for _ in 0..100_000 {
            let len = 1 + next() % 10;
            let s: Vec<u16> = (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            assert_eq!(
                searcher.find_all(&s),
                searcher.find_all_unfiltered(&s),
                "{s:04x?}"
            );
        }
        let samples = ["👋🏽 👨‍👩‍👧‍👦 🇫🇷 1️⃣ #️⃣ ©️ ✨ 🏳️‍🌈 👩🏽‍💻 ❤️‍🔥"];
        for text in samples {
            let s: Vec<u16> = text.encode_utf16().collect();
            assert_eq!(searcher.find_all(&s), searcher.find_all_unfiltered(&s));
        }
    }

    #[test]
    fn no_sequence_outweighs_its_units() {
        let v3 = Config::get(Version::V3);
        assert!(plain_weight_bounds(v3));
        assert!(!plain_weight_bounds(&Config {
            default_weight: 300,
            ..v3.clone()
        }));
        // Weighed unit by unit, a high surrogate adds nothing: its pair weighs as the low one.
        let plain = |u: u16| {
            if (0xD800..0xDC00).contains(&u) {
                0
            } else {
                v3.weight(u)
            }
        };
        let branches = searcher().branches();
        let lightest = branches.iter().map(|b| b.min_weight(&plain)).min();
        assert!(lightest >= Some(v3.default_weight), "{lightest:?}");
        let mut inner = vec![false; 1 << 16];
        branches.iter().for_each(|b| b.mark_units(true, &mut inner));
        let ascii: Vec<usize> = (0..128).filter(|&u| inner[u]).collect();
        assert!(ascii.is_empty(), "ASCII past a first unit: {ascii:?}");
        assert!(
            inner[0x200D] && inner[0xFE0F],
            "the walk sees joiners and selectors"
        );
    }

    #[test]
    fn sequences_are_single_emoji() {
        assert_eq!(spans("👋🏽"), vec![(0, 4)], "skin tone joins the hand");
        assert_eq!(spans("a 👨‍👩‍👧‍👦 b"), vec![(2, 13)], "family is one");
        assert_eq!(spans("🇫🇷"), vec![(0, 4)], "flag is one");
        assert_eq!(spans("1⃣ #️⃣"), vec![(0, 2), (3, 6)], "keycaps");
        assert_eq!(spans("Bonjour, ça va ? 123"), vec![], "text has none");
    }
}
