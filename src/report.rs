//! What a check says about a draft: the verdict and the findings behind it.
//!
//! These types are the contract between the engines (charter, reserve), the page layer
//! and the CLI's JSON output, so their serialised names are stable.

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered so the verdict is the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Block,
}

/// The outcome for the whole draft: `pass` when nothing is above `info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Block,
}

impl Verdict {
    /// The verdict that the most severe of `severities` deserves.
    pub fn from_severities(severities: impl IntoIterator<Item = Severity>) -> Verdict {
        match severities.into_iter().max() {
            Some(Severity::Block) => Verdict::Block,
            Some(Severity::Warn) => Verdict::Warn,
            _ => Verdict::Pass,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Block => "block",
        }
    }
}

/// One reason the draft should not go out as it is, pointing at the exact words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub category: String,
    pub severity: Severity,
    /// UTF-16 code units, as the DOM counts.
    pub start: usize,
    pub end: usize,
    /// UTF-8 bytes, for native tools.
    pub byte_start: usize,
    pub byte_end: usize,
    pub excerpt: String,
    pub message: String,
    pub suggestion: Option<String>,
    /// Whether `suggestion` is a drop-in replacement for the excerpt (the guard offers to
    /// apply it) rather than a hint for rewriting the sentence.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replaces: bool,
}

impl Finding {
    /// `text` with this finding's words replaced by its suggestion, when it is a replacement.
    pub fn apply(&self, text: &str) -> Option<String> {
        let replacement = self.suggestion.as_deref().filter(|_| self.replaces)?;
        let span = text.get(self.byte_start..self.byte_end)?;
        (span == self.excerpt).then(|| {
            format!(
                "{}{}{}",
                &text[..self.byte_start],
                replacement,
                &text[self.byte_end..]
            )
        })
    }
}

/// Verdict plus findings in text order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
}

impl Report {
    /// Builds a report whose verdict follows from its findings, sorted by position.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn from_findings(mut findings: Vec<Finding>) -> Report {
        findings.sort_by(|a, b| {
            (a.byte_start, a.byte_end, &a.rule).cmp(&(b.byte_start, b.byte_end, &b.rule))
        });
        let verdict = Verdict::from_severities(findings.iter().map(|f| f.severity));
        Report { verdict, findings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(
        start: usize,
        end: usize,
        excerpt: &str,
        suggestion: &str,
        replaces: bool,
    ) -> Finding {
        Finding {
            rule: "r".into(),
            category: "c".into(),
            severity: Severity::Warn,
            start,
            end,
            byte_start: start,
            byte_end: end,
            excerpt: excerpt.into(),
            message: "m".into(),
            suggestion: Some(suggestion.into()),
            replaces,
        }
    }

    #[test]
    fn applying_a_replacement_changes_only_its_words() {
        let text = "Allez chez Starbucks !";
        let f = finding(11, 20, "Starbucks", "un autre café", true);
        assert_eq!(f.apply(text).as_deref(), Some("Allez chez un autre café !"));
        assert_eq!(
            finding(11, 20, "Starbucks", "hint", false).apply(text),
            None,
            "hints are not applied"
        );
        assert_eq!(
            f.apply("Allez chez Nespresso !"),
            None,
            "a stale finding does not apply"
        );
    }

    #[test]
    fn verdict_is_the_highest_severity() {
        let mut block = finding(0, 1, "a", "b", false);
        block.severity = Severity::Block;
        let report = Report::from_findings(vec![finding(2, 3, "c", "d", false), block]);
        assert_eq!(report.verdict, Verdict::Block);
        assert_eq!(report.findings[0].start, 0, "sorted by position");
    }
}
