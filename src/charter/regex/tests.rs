//! The engine against the `regex` crate: same matches on the syntax both accept.

use super::Regex;
use proptest::prelude::*;

fn ours(pattern: &str, text: &str) -> Vec<(usize, usize)> {
    let re = Regex::new(pattern, 10_000).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    re.find_iter(text).map(|m| (m.start, m.end)).collect()
}

fn theirs(pattern: &str, text: &str) -> Vec<(usize, usize)> {
    let re = regex::Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    re.find_iter(text).map(|m| (m.start(), m.end())).collect()
}

#[test]
fn agrees_with_the_regex_crate_on_charter_like_patterns() {
    let text = "REMBOURSEMENT IMMÉDIAT ! Remboursé   garanti, CMD-123456 et CMD-12 ;\n\
                10 € puis 5€. L'ÉTÉ, l'étéologie, Été. kilo \u{212A}ILO ſtop STOP\n\
                appelez le 06 12 34 56 78 — JD\nfin";
    for pattern in [
        r"(?i)rembours\w*\s+(garanti|immédiat)",
        r"CMD-\d{6}",
        r"\d+ ?€",
        r"(?i)été\b",
        r"(?i)\bété\b",
        r"(?i)kilo",
        r"(?i)stop",
        r"— [A-Z]{2}$",
        r"(?m)— [A-Z]{2}$",
        r"(?m)^\w+",
        r"^\w+",
        r"\bCMD\b",
        r"\B\d",
        r"[^\s\d]+",
        r"(?i)[a-e]+",
        r"(?i)[^a-e\s]+",
        r"a*",
        r"\w*?é",
        r"(?:ab|a)(?:bc|c)?",
        r"x{0}y?",
        r"\d{2}(?: \d{2}){4}",
        r"(?s).{3}\n",
        r".{3}\n",
        r"[[:digit:]]+[[:upper:]]",
        r"\x41|\u{e9}|\x{20AC}",
        r"(?x) C M D  - \d+ # order",
        r"\p{Lu}\p{Ll}+",
        r"[\w&&]*",
        r"(a|ab)(c|bcd)(d*)",
        r"",
        r"$",
    ] {
        if pattern == r"[\w&&]*" {
            continue; // class operations are refused on purpose (see parse tests)
        }
        assert_eq!(ours(pattern, text), theirs(pattern, text), "{pattern}");
    }
}

#[test]
fn anchored_search_starts_exactly_there() {
    let re = Regex::new(r"CMD-\d+", 100).expect("valid");
    let text = "x CMD-12";
    assert_eq!(re.find_at(text, 0, true), None);
    assert_eq!(re.find_at(text, 2, true), Some(2..8));
    assert_eq!(re.find_at(text, 0, false), Some(2..8));
}

#[test]
fn size_limit_is_reported() {
    let e = Regex::new(r"(\w{100}){100}", 4096).expect_err("too big");
    assert!(e.contains("compiles to more than 4096"), "{e}");
    assert!(Regex::new(r"a{1000000000}", 4096).is_err());
}

#[test]
fn pathological_patterns_stay_linear() {
    // (a*)*b against a's: exponential for backtracking engines, linear here.
    let re = Regex::new(r"(a*)*b", 4096).expect("valid");
    let text = "a".repeat(20_000);
    assert_eq!(re.find_at(&text, 0, false), None);
}

#[test]
fn prefixes_are_what_every_match_starts_with() {
    let p = |pattern: &str| {
        Regex::new(pattern, 4096)
            .expect("valid")
            .prefixes()
            .map(<[String]>::to_vec)
    };
    assert_eq!(p(r"CMD-\d{6}"), Some(vec!["CMD-".to_string()]));
    // `s` stops a case-insensitive literal: the long s `ſ` folds to it.
    assert_eq!(p(r"(?i)\brembours\w*"), Some(vec!["rembour".to_string()]));
    assert_eq!(
        p(r"(garanti|immédiat)"),
        Some(vec!["garanti".into(), "immédiat".into()])
    );
    assert_eq!(p(r"(?i)kilo"), None, "the Kelvin sign is a K too");
    assert_eq!(p(r"(?i)été"), None);
    assert_eq!(p(r"\d+"), None);
    assert_eq!(p(r"a*b"), None);
}

/// Patterns from a small grammar over a small alphabet, where the two engines' Unicode
/// tables agree.
fn pattern() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        "[abcé]".prop_map(String::from),
        Just(r"\w".to_string()),
        Just(r"\d".to_string()),
        Just(r"\s".to_string()),
        Just(".".to_string()),
        Just("[a-c]".to_string()),
        Just("[^b ]".to_string()),
        Just(r"\b".to_string()),
        Just("^".to_string()),
        Just("$".to_string()),
    ];
    let piece = (
        atom,
        prop_oneof![
            Just(""),
            Just("*"),
            Just("+"),
            Just("?"),
            Just("{2}"),
            Just("{1,3}"),
            Just("*?"),
            Just("+?")
        ],
    )
        .prop_map(|(a, r)| {
            if (a == r"\b" || a == "^" || a == "$") && !r.is_empty() {
                a
            } else {
                format!("{a}{r}")
            }
        });
    let seq = proptest::collection::vec(piece, 1..5).prop_map(|v| v.concat());
    (
        proptest::collection::vec(seq, 1..3),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(alts, fold, group)| {
            let body = alts.join("|");
            let body = if group { format!("(?:{body})+") } else { body };
            if fold {
                format!("(?i){body}")
            } else {
                body
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    #[test]
    fn matches_like_the_regex_crate(pattern in pattern(), text in "[abcéAÉ1 \n]{0,24}") {
        prop_assert_eq!(ours(&pattern, &text), theirs(&pattern, &text), "{}", pattern);
    }
}

#[test]
fn empty_iterations_end_a_loop_like_the_regex_crate() {
    for (p, t) in [
        ("(?:a?|b)+", "bab"),
        ("(?:a*|b)+", "xbab"),
        ("(?:|b)+", "b"),
        ("(?:\\b|\\s{1,3})+", "a  b"),
        ("(?:a*)+b", "aab"),
    ] {
        assert_eq!(ours(p, t), theirs(p, t), "{p} {t}");
    }
}
