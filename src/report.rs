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

impl Severity {
    /// The serialised name: `info`, `warn` or `block`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Block => "block",
        }
    }
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

impl Report {
    /// The report as JSON, in ASCII: byte for byte what `serde_json` writes once its
    /// non-ASCII characters are `\uXXXX` escapes (a test compares them). Written by hand:
    /// the page module returns one per keystroke, and in the size-optimised wasm the
    /// generic serializer took a sixth of a check's time. ASCII because the JS side
    /// decodes it about ten times faster than accented text (V8's `TextDecoder`: 1 µs
    /// against 10 µs for 8 KB of French).
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.findings.len() * 256);
        out.push_str("{\"verdict\":\"");
        out.push_str(self.verdict.as_str());
        out.push_str("\",\"findings\":[");
        for (i, f) in self.findings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let field = |out: &mut String, name: &str, value: &str| {
                out.push_str(name);
                push_json_string(out, value);
            };
            let number = |out: &mut String, name: &str, value: usize| {
                out.push_str(name);
                push_number(out, value);
            };
            field(&mut out, "{\"rule\":", &f.rule);
            field(&mut out, ",\"category\":", &f.category);
            field(&mut out, ",\"severity\":", f.severity.as_str());
            number(&mut out, ",\"start\":", f.start);
            number(&mut out, ",\"end\":", f.end);
            number(&mut out, ",\"byte_start\":", f.byte_start);
            number(&mut out, ",\"byte_end\":", f.byte_end);
            field(&mut out, ",\"excerpt\":", &f.excerpt);
            field(&mut out, ",\"message\":", &f.message);
            match &f.suggestion {
                Some(s) => field(&mut out, ",\"suggestion\":", s),
                None => out.push_str(",\"suggestion\":null"),
            }
            if f.replaces {
                out.push_str(",\"replaces\":true");
            }
            out.push('}');
        }
        out.push_str("]}");
        out
    }
}

/// `value` in decimal, without the formatting machinery (four per finding add up).
fn push_number(out: &mut String, mut value: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// `value` as a JSON string, escaped as `serde_json` does (quotes, backslashes, control
/// characters), and every non-ASCII character as `\uXXXX`; the runs between escapes are
/// copied at once.
#[cfg_attr(tact_speed, optimize(speed))]
fn push_json_string(out: &mut String, value: &str) {
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push('"');
    let mut copied = 0;
    while let Some(k) = bytes[copied..]
        .iter()
        .position(|&b| !(0x20..0x80).contains(&b) || b == b'"' || b == b'\\')
    {
        let i = copied + k;
        out.push_str(&value[copied..i]);
        let b = bytes[i];
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            _ => "",
        };
        copied = i + 1;
        if !short.is_empty() {
            out.push_str(short);
        } else if b < 0x80 {
            push_unit_escape(out, u16::from(b));
        } else {
            // `i` starts a character: everything before it was whole characters.
            let c = value[i..].chars().next().unwrap_or('\u{FFFD}');
            for &unit in c.encode_utf16(&mut [0; 2]).iter() {
                push_unit_escape(out, unit);
            }
            copied = i + c.len_utf8();
        }
    }
    out.push_str(&value[copied..]);
    out.push('"');
}

/// `\uXXXX` for one UTF-16 unit, in lower-case hex like `serde_json`.
#[cfg_attr(tact_speed, optimize(speed))]
fn push_unit_escape(out: &mut String, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hex = |shift: u16| HEX[usize::from((unit >> shift) & 15)];
    // Pushed as one ASCII string: char by char costs a UTF-8 encoding and a capacity
    // check for each of the six.
    let escape = [b'\\', b'u', hex(12), hex(8), hex(4), hex(0)];
    out.push_str(std::str::from_utf8(&escape).unwrap_or_default());
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

    /// JSON with its non-ASCII characters (only ever inside strings) escaped.
    fn ascii(json: &str) -> String {
        json.chars()
            .map(|c| match c.is_ascii() {
                true => c.to_string(),
                false => c
                    .encode_utf16(&mut [0; 2])
                    .iter()
                    .map(|u| format!("\\u{u:04x}"))
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn hand_written_json_is_serde_json_byte_for_byte() {
        let mut report = Report::from_findings(vec![
            finding(
                0,
                3,
                "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é😀</",
                "x",
                true,
            ),
            finding(4, 9, "", "", false),
            finding(10, 1_234_567_890, "x", "y", false),
        ]);
        report.findings[1].suggestion = None;
        report.findings[1].severity = Severity::Block;
        report.verdict = Verdict::Block;
        let serde = ascii(&serde_json::to_string(&report).expect("serialisable"));
        assert_eq!(report.to_json(), serde);
        assert!(serde.contains("\\u00e9\\ud83d\\ude00"), "{serde}");
        let empty = Report::from_findings(Vec::new());
        assert_eq!(
            empty.to_json(),
            serde_json::to_string(&empty).expect("serialisable")
        );
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
