//! Reading a charter file: TOML or JSON in, a validated [`Charter`] or an error that
//! names the file, line, column and field, and says what was expected.
//!
//! Validation is complete here (ids, terms, every regex compiled once), so compiling a
//! loaded charter into an engine cannot fail on the brand's input.

use super::model::{Charter, Message, Rule};
use super::pattern::Pattern;
use crate::config::Document;
use std::collections::BTreeMap;

/// Most instructions one charter regex may compile to (repetitions expanded); beyond it
/// the charter is refused rather than slowing every keystroke.
pub const REGEX_SIZE_LIMIT: usize = 4096;

pub use crate::config::{Format, LoadError};

/// Parses and validates a charter. `file` only names the source in errors.
pub fn load(source: &str, file: &str) -> Result<Charter, LoadError> {
    load_compiled(source, file).map(|(charter, _)| charter)
}

/// A charter's regexes, compiled while it is validated so an engine built from the same
/// source does not compile them a second time.
#[derive(Debug, Clone, Default)]
pub struct Regexes {
    /// `(rule index, regex)` for every `pattern` rule, in rule order.
    pub patterns: Vec<(usize, Pattern)>,
    pub signature: Option<Pattern>,
    pub orders: Vec<Pattern>,
}

impl Regexes {
    /// Compiles the regexes of a charter that was not loaded from a source (so has not
    /// been validated); the error names the rule or setting.
    pub fn compile(charter: &Charter) -> Result<Regexes, String> {
        let signature = charter
            .charter
            .signature
            .as_deref()
            .map(|s| compile_regex(s).map_err(|e| format!("charter.signature: {e}")))
            .transpose()?;
        let orders = charter
            .pii
            .order_numbers
            .iter()
            .map(|p| compile_regex(p).map_err(|e| format!("pii.order_numbers: {e}")))
            .collect::<Result<_, _>>()?;
        let mut patterns = Vec::new();
        for (i, rule) in charter.rule.iter().enumerate() {
            if let Some(pattern) = &rule.pattern {
                let re =
                    compile_regex(pattern).map_err(|e| format!("rule \"{}\": {e}", rule.id))?;
                patterns.push((i, re));
            }
        }
        Ok(Regexes {
            patterns,
            signature,
            orders,
        })
    }
}

/// [`load`], also handing back the regexes compiled while validating.
pub fn load_compiled(source: &str, file: &str) -> Result<(Charter, Regexes), LoadError> {
    let doc = Document::parse(source, file)?;
    let charter: Charter = doc.decode().map_err(|mut e| {
        e.message = explain(&e.message);
        e
    })?;
    let regexes = validate(&charter, &doc)?;
    Ok((charter, regexes))
}

/// Compiles a charter regex with the size cap, naming the limit when it is hit.
pub fn compile_regex(pattern: &str) -> Result<Pattern, String> {
    Pattern::new(pattern, REGEX_SIZE_LIMIT)
}

/// Rewrites serde's generic wording where it would puzzle a CM.
fn explain(message: &str) -> String {
    let message = message.trim().to_string();
    if message.contains("untagged enum Message") {
        return "expected message = \"…\" or message = { fr = \"…\", en = \"…\" }".into();
    }
    message
}

fn validate(charter: &Charter, at: &Document) -> Result<Regexes, LoadError> {
    let mut regexes = Regexes::default();
    if let Some(signature) = &charter.charter.signature {
        regexes.signature =
            Some(compile_regex(signature).map_err(|e| at.error("charter.signature", e))?);
    }
    for (i, pattern) in charter.pii.order_numbers.iter().enumerate() {
        regexes.orders.push(
            compile_regex(pattern).map_err(|e| at.error(&format!("pii.order_numbers[{i}]"), e))?,
        );
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, rule) in charter.rule.iter().enumerate() {
        if let Some(re) = validate_rule(rule, i, at)? {
            regexes.patterns.push((i, re));
        }
        if let Some(first) = seen.insert(rule.id.as_str(), i) {
            return Err(at.error(
                &format!("rule[{i}].id"),
                format!(
                    "duplicate rule id \"{}\" (already used by rule {}); ids must be unique",
                    rule.id,
                    first + 1
                ),
            ));
        }
    }
    Ok(regexes)
}

/// Checks one rule; its compiled regex when it is a `pattern` rule.
fn validate_rule(rule: &Rule, i: usize, at: &Document) -> Result<Option<Pattern>, LoadError> {
    let fail = |field: &str, message: &str| at.error(&format!("rule[{i}].{field}"), message);
    if rule.id.trim().is_empty() {
        return Err(fail(
            "id",
            "expected a non-empty id such as \"competitors\"",
        ));
    }
    let kinds = [
        rule.terms.is_some(),
        rule.pattern.is_some(),
        rule.builtin.is_some(),
    ];
    match kinds.iter().filter(|k| **k).count() {
        1 => {}
        0 => {
            return Err(fail(
                "id",
                "expected exactly one of `terms`, `pattern` or `builtin` in this rule",
            ))
        }
        _ => {
            return Err(fail(
                "id",
                "this rule has more than one of `terms`, `pattern`, `builtin`; split it in two",
            ))
        }
    }
    if let Some(terms) = &rule.terms {
        if terms.is_empty() {
            return Err(fail("terms", "expected at least one term"));
        }
        if let Some(bad) = terms
            .iter()
            .position(|t| crate::text::normalize::normalize_term(t).is_empty())
        {
            return Err(fail(
                "terms",
                &format!(
                    "term {} (\"{}\") has no letters or digits to match",
                    bad + 1,
                    terms[bad]
                ),
            ));
        }
    }
    let regex = match &rule.pattern {
        Some(pattern) => Some(compile_regex(pattern).map_err(|e| fail("pattern", &e))?),
        None => None,
    };
    let has_message = match &rule.message {
        Message::None => false,
        Message::Both(text) => !text.trim().is_empty(),
        Message::ByLang { fr, en } => fr.is_some() || en.is_some(),
    };
    if !has_message && rule.builtin.is_none() {
        return Err(fail(
            "message",
            "expected message = { fr = \"…\", en = \"…\" } saying why this is not posted",
        ));
    }
    Ok(regex)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(source: &str) -> LoadError {
        load(source, "brand.toml").expect_err("charter should be refused")
    }

    const OK: &str = r#"
[charter]
name = "Café Lumière"
languages = ["fr", "en"]
register = "vous"
packs = { reserve = "strict", pii = "block" }

[[rule]]
id = "competitors"
severity = "warn"
terms = ["Starbucks", "Nespresso"]
message = { fr = "Ne citez pas de concurrents.", en = "Do not name competitors." }

[networks.x]
max_length = 280
"#;

    #[test]
    fn loads_a_valid_charter() {
        let charter = load(OK, "brand.toml").expect("valid charter");
        assert_eq!(charter.rule.len(), 1);
        assert_eq!(charter.charter.name, "Café Lumière");
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let e = err("[[rule]]\nid = \"a\"\nseverty = \"warn\"\n");
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("severty"), "{e}");
    }

    #[test]
    fn unknown_severity_is_refused() {
        let e = err("[[rule]]\nid = \"a\"\nseverity = \"high\"\nterms=[\"x\"]\nmessage=\"m\"\n");
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("high"), "{e}");
    }

    #[test]
    fn duplicate_id_points_at_the_second_rule() {
        let rule = "[[rule]]\nid = \"a\"\nseverity = \"warn\"\nterms = [\"x\"]\nmessage = \"m\"\n";
        let e = err(&format!("{rule}{rule}"));
        assert_eq!(e.field, "rule[1].id");
        assert_eq!(e.line, Some(7), "{e}");
        assert!(e.message.contains("duplicate"), "{e}");
    }

    #[test]
    fn bad_regex_quotes_the_regex_error() {
        let e = err(
            "[[rule]]\nid = \"a\"\nseverity = \"warn\"\npattern = '(unclosed'\nmessage = \"m\"\n",
        );
        assert_eq!(e.field, "rule[0].pattern");
        assert_eq!((e.line, e.column), (Some(4), Some(11)), "{e}");
        assert!(e.message.contains("invalid regex"), "{e}");
    }

    #[test]
    fn oversized_regex_is_refused_with_the_limit() {
        let e = err("[[rule]]\nid = \"a\"\nseverity = \"warn\"\npattern = '(\\w{100}){100}'\nmessage = \"m\"\n");
        assert!(e.message.contains("compiles to more than"), "{e}");
    }

    #[test]
    fn empty_terms_and_missing_kind_are_refused() {
        let e = err("[[rule]]\nid = \"a\"\nseverity = \"warn\"\nterms = []\nmessage = \"m\"\n");
        assert_eq!(e.field, "rule[0].terms");
        let e =
            err("[[rule]]\nid = \"a\"\nseverity = \"warn\"\nterms = [\"!!\"]\nmessage = \"m\"\n");
        assert!(e.message.contains("no letters"), "{e}");
        let e = err("[[rule]]\nid = \"a\"\nseverity = \"warn\"\nmessage = \"m\"\n");
        assert!(e.message.contains("exactly one"), "{e}");
    }

    #[test]
    fn json_charters_load_and_locate_errors() {
        let json = r#"{"rule": [{"id": "a", "severity": "warn", "pattern": "(", "message": "m"}]}"#;
        let e = load(json, "brand.json").expect_err("bad regex");
        assert_eq!(e.field, "rule[0].pattern");
        assert_eq!(e.line, Some(1));
        let e = load("{\"rule\": [{\"id\": 3}]}", "brand.json").expect_err("bad id");
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn toml_syntax_errors_have_a_position() {
        let e = err("[charter\nname = 1");
        assert_eq!(e.line, Some(1), "{e}");
        assert!(e.to_string().starts_with("brand.toml:1:"), "{e}");
    }
}
