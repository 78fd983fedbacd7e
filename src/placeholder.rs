//! A stand-in check for the walking skeleton: a handful of words that must never leave a
//! brand account. The real engine (charter + reserve packs) replaces it.

use crate::report::{Finding, Report, Severity};
use crate::text::offsets::byte_to_utf16;

const WORDS: &[&str] = &[
    "idiot",
    "idiots",
    "imbécile",
    "imbéciles",
    "stupid",
    "connard",
];

/// Flags each listed word, whole and case-insensitive, at `warn`.
pub fn check(draft: &str) -> Report {
    let mut findings = Vec::new();
    let mut start = None;
    for (i, ch) in draft
        .char_indices()
        .chain(std::iter::once((draft.len(), ' ')))
    {
        match (ch.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word = &draft[s..i];
                if WORDS
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(word) || word.to_lowercase() == *w)
                {
                    findings.push(Finding {
                        rule: "reserve".into(),
                        category: "insult".into(),
                        severity: Severity::Warn,
                        start: byte_to_utf16(draft, s),
                        end: byte_to_utf16(draft, i),
                        byte_start: s,
                        byte_end: i,
                        excerpt: word.to_string(),
                        message: "Insult: a brand never posts this.".into(),
                        suggestion: None,
                        replaces: false,
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    Report::from_findings(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Verdict;

    #[test]
    fn flags_listed_words_with_utf16_spans() {
        let report = check("😀 Vous êtes des Imbéciles.");
        assert_eq!(report.verdict, Verdict::Warn);
        assert_eq!(report.findings[0].excerpt, "Imbéciles");
        assert_eq!(report.findings[0].start, 17);
        assert_eq!(check("Merci beaucoup !").verdict, Verdict::Pass);
    }
}
