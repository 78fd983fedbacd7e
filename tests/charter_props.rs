//! Property tests: the charter loader and `check` never panic on arbitrary input, and
//! every finding's spans are valid and map to its excerpt.

use proptest::prelude::*;
use tact::charter::{load, Context, Engine};
use tact::text::normalize::Normalized;
use tact::text::offsets::byte_to_utf16;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn loader_never_panics(source in "\\PC{0,300}") {
        let _ = load(&source, "fuzz.toml");
        let _ = load(&source, "fuzz.json");
    }

    #[test]
    fn loader_never_panics_on_charter_shaped_input(
        id in "[a-z\\-]{0,8}",
        severity in "(info|warn|block|high)",
        body in "(terms = \\[\"[^\"\\\\]{0,12}\"\\]|pattern = '[^'\\n]{0,16}'|builtin = \"reserve\")",
    ) {
        let source = format!("[[rule]]\nid = \"{id}\"\nseverity = \"{severity}\"\n{body}\nmessage = \"m\"\n");
        let _ = Engine::from_source(&source, "fuzz.toml");
    }

    #[test]
    fn normalised_words_map_back_inside_the_original(text in "\\PC{0,120}") {
        let norm = Normalized::new(&text);
        let s = norm.as_str();
        prop_assert!(s.starts_with(' ') && s.ends_with(' '));
        let mut at = 0;
        for word in s.split(' ') {
            if !word.is_empty() {
                let r = norm.original_range(at..at + word.len());
                prop_assert!(r.start <= r.end && r.end <= text.len());
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                prop_assert!(r.start < r.end, "a word comes from some original text");
            }
            at += word.len() + 1;
        }
    }

    #[test]
    fn findings_have_valid_spans(text in "\\PC{0,200}") {
        let engine = Engine::default();
        let report = engine.check(&text, &Context::default());
        for f in &report.findings {
            prop_assert!(f.byte_start <= f.byte_end && f.byte_end <= text.len());
            prop_assert!(text.is_char_boundary(f.byte_start) && text.is_char_boundary(f.byte_end));
            prop_assert_eq!(&text[f.byte_start..f.byte_end], f.excerpt.as_str());
            prop_assert_eq!(f.start, byte_to_utf16(&text, f.byte_start));
            prop_assert_eq!(f.end, byte_to_utf16(&text, f.byte_end));
        }
    }
}

#[test]
fn ten_thousand_rules_load_and_check() {
    let mut source = String::new();
    for i in 0..10_000 {
        source.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\nseverity = \"warn\"\nterms = [\"mot{i}\"]\nmessage = \"m\"\n"
        ));
    }
    let engine = Engine::from_source(&source, "big.toml").expect("10,000 rules load");
    let report = engine.check("un mot42 ici", &Context::default());
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].rule, "r42");
}
