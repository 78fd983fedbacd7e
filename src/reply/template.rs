//! Reply templates and their TOML library, loaded with errors a CM can fix: file, line,
//! column, field, what was found and what was expected — never a panic, never a silently
//! skipped template.
//!
//! ```toml
//! [library]                      # optional
//! name = "Café Lumière"
//!
//! [[template]]
//! id = "order-late-fr"
//! intents = ["order_status"]
//! lang = "fr"                    # fr | en | any
//! text = "{greeting} {author}, désolés pour l'attente…"
//! examples = ["ma commande n'est toujours pas arrivée", "…"]
//!
//! [[template]]
//! id = "spam-hide"
//! intents = ["spam"]
//! lang = "any"
//! action = "hide"                # hide | ignore | escalate: what the CM should do
//! examples = ["gagnez 1000 € par jour, cliquez ici"]
//! ```

use super::placeholder::{self, Placeholder};
use crate::charter::{Context, Engine};
use crate::config::{line_column, Document};
use crate::report::Report;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The language a template is written in; `any` suits every comment (actions, emoji).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateLang {
    Fr,
    En,
    Any,
}

/// What the CM should do instead of, or besides, replying in public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Hide the comment (spam, scams): no reply.
    Hide,
    /// Leave it unanswered (trolls): no reply.
    Ignore,
    /// Hand over to whoever handles crises; any public text only moves the talk to
    /// private messages.
    Escalate,
}

/// One reply the team keeps ready.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub id: String,
    pub intents: Vec<String>,
    pub lang: TemplateLang,
    /// The reply with its placeholders; absent for `hide` and `ignore` actions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// Comments this template answers: what the classifier learns from.
    pub examples: Vec<String>,
    /// 1-based line of the template's `id`, for lints that point back to the file.
    #[serde(skip)]
    pub line: usize,
}

/// A team's templates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Library {
    pub name: Option<String>,
    pub templates: Vec<Template>,
}

/// One problem in a library file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// Dotted path of the field, e.g. `template[2].text`.
    pub field: String,
    pub message: String,
    /// What would have been accepted.
    pub expected: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        write!(f, "{}", self.message)?;
        if !self.expected.is_empty() {
            write!(f, " (expected {})", self.expected)?;
        }
        Ok(())
    }
}

/// Every error found in a file (loading does not stop at the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for LoadErrors {}

/// A template that loads but may not serve well, or breaks the charter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lint {
    pub template: String,
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    library: Option<RawHeader>,
    #[serde(default)]
    template: Vec<RawTemplate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    id: String,
    intents: Vec<String>,
    lang: TemplateLang,
    text: Option<String>,
    action: Option<Action>,
    #[serde(default)]
    examples: Vec<String>,
}

impl Library {
    /// Parses a library; `file` names the source in errors.
    pub fn from_toml(source: &str, file: &str) -> Result<Library, LoadErrors> {
        let at = |offset: usize, field: String, message: String, expected: &str| {
            let (line, column) = line_column(source, offset);
            LoadError {
                file: file.to_string(),
                line,
                column,
                field,
                message,
                expected: expected.to_string(),
            }
        };
        let whole = |e: crate::config::LoadError| {
            LoadErrors(vec![LoadError {
                file: e.file,
                line: e.line.unwrap_or(1),
                column: e.column.unwrap_or(1),
                field: e.field,
                message: e.message,
                expected: String::new(),
            }])
        };
        let doc = Document::parse(source, file).map_err(whole)?;
        let raw: RawFile = doc.decode().map_err(whole)?;
        let span = |path: String| doc.offset(&path).unwrap_or(0);
        let mut errors = Vec::new();
        let mut templates: Vec<Template> = Vec::new();
        for (i, t) in raw.template.into_iter().enumerate() {
            let field = |name: &str| format!("template[{i}].{name}");
            let id_at = span(field("id"));
            let id = t.id;
            if id.trim().is_empty() {
                errors.push(at(id_at, field("id"), "is empty".into(), "a short name"));
            } else if let Some(first) = templates.iter().find(|o| o.id == id) {
                errors.push(at(
                    id_at,
                    field("id"),
                    format!("{id:?} is already used on line {}", first.line),
                    "a unique id",
                ));
            }
            let intents_at = span(field("intents"));
            let intents: Vec<String> = t
                .intents
                .into_iter()
                .enumerate()
                .filter_map(|(n, name)| {
                    let name_at = span(format!("template[{i}].intents[{n}]"));
                    let ok = !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                    if !ok {
                        errors.push(at(
                            name_at,
                            field("intents"),
                            format!("{name:?} is not an intent name"),
                            "lowercase letters, digits and _ (e.g. \"order_status\")",
                        ));
                    }
                    ok.then_some(name)
                })
                .collect();
            if intents.is_empty() {
                errors.push(at(
                    intents_at,
                    field("intents"),
                    "names no intent".into(),
                    "at least one intent, e.g. [\"question\"]",
                ));
            }
            let action = t.action;
            let text = match t.text {
                Some(value) => {
                    let start = span(field("text"));
                    if let Err(e) = placeholder::parse(&value) {
                        // Point inside the string: past the opening quote(s).
                        let quote = quote_len(source, start);
                        errors.push(at(
                            start + quote + e.offset,
                            field("text"),
                            e.message,
                            &Placeholder::expected(),
                        ));
                    }
                    if value.trim().is_empty() {
                        errors.push(at(start, field("text"), "is empty".into(), "a reply"));
                    }
                    if matches!(action, Some(Action::Hide | Action::Ignore)) {
                        errors.push(at(
                            start,
                            field("text"),
                            "a template whose action is hide or ignore has no reply".into(),
                            "no text, or action = \"escalate\"",
                        ));
                    }
                    Some(value)
                }
                None if action.is_none() => {
                    errors.push(at(
                        id_at,
                        field("text"),
                        "is missing".into(),
                        "a reply text, or an action (hide, ignore, escalate)",
                    ));
                    None
                }
                None => None,
            };
            templates.push(Template {
                line: line_column(source, id_at).0,
                id,
                intents,
                lang: t.lang,
                text,
                action,
                examples: t.examples,
            });
        }
        if !errors.is_empty() {
            return Err(LoadErrors(errors));
        }
        Ok(Library {
            name: raw.library.and_then(|h| h.name),
            templates,
        })
    }

    /// The built-in French and English library.
    pub fn default_library() -> Library {
        Library::from_toml(DEFAULT, "default_templates.toml").unwrap_or_else(|e| {
            // The file is embedded and tested; reaching this is a build defect.
            panic!("the embedded default library does not load:\n{e}")
        })
    }

    /// Problems that do not stop loading: intents nobody taught, templates without
    /// examples of their own, and templates that `check` (the team charter) flags.
    pub fn lint(&self, check: impl Fn(&str) -> Report) -> Vec<Lint> {
        let mut lints = Vec::new();
        let lint = |t: &Template, message: String| Lint {
            template: t.id.clone(),
            line: t.line,
            message,
        };
        for t in &self.templates {
            for intent in &t.intents {
                let taught = self
                    .templates
                    .iter()
                    .any(|o| o.intents.contains(intent) && !o.examples.is_empty());
                if !taught {
                    lints.push(lint(
                        t,
                        format!("no template gives examples of intent {intent:?}: it is never suggested"),
                    ));
                }
            }
            if t.examples.is_empty() {
                lints.push(lint(
                    t,
                    "no examples: ranked only by its intent, after templates that have some".into(),
                ));
            }
            if let Some(text) = &t.text {
                let sample = super::fill::sample(text, t.lang);
                for finding in check(&sample).findings {
                    lints.push(lint(
                        t,
                        format!(
                            "breaks the charter ({}: {:?}): {}",
                            finding.rule, finding.excerpt, finding.message
                        ),
                    ));
                }
            }
        }
        lints
    }

    /// [`Library::lint`] against a compiled charter: each template is filled with sample
    /// values and checked as the CM would send it, so a template
    /// with an insult, a banned term or no required signature is flagged when the library
    /// loads rather than when a reply is about to be posted.
    pub fn lint_charter(&self, engine: &Engine) -> Vec<Lint> {
        self.lint(|text| engine.check(text, &Context::default()))
    }
}

/// The embedded default library.
pub const DEFAULT: &str = include_str!("default_templates.toml");

/// Length of the string opening at `offset`: 3 for `"""`/`'''`, 1 for `"`/`'`.
fn quote_len(source: &str, offset: usize) -> usize {
    let rest = source.get(offset..).unwrap_or("");
    let len = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
        3
    } else {
        1
    };
    // A multi-line string drops the newline right after its opening quotes.
    len + usize::from(len == 3 && rest[len..].starts_with('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Finding, Severity};

    fn errors(source: &str) -> Vec<LoadError> {
        Library::from_toml(source, "team.toml")
            .err()
            .map(|e| e.0)
            .unwrap_or_default()
    }

    #[test]
    fn default_library_covers_every_default_intent_in_both_languages() {
        let library = Library::default_library();
        for intent in [
            "question",
            "order_status",
            "complaint",
            "praise",
            "purchase_intent",
            "crisis",
            "spam",
        ] {
            let of: Vec<&Template> = library
                .templates
                .iter()
                .filter(|t| t.intents.iter().any(|i| i == intent))
                .collect();
            assert!(of.len() >= 2, "{intent}: {} templates", of.len());
            assert!(
                of.iter().all(|t| t.examples.len() >= 10),
                "{intent}: few examples"
            );
            if intent != "spam" {
                for lang in [TemplateLang::Fr, TemplateLang::En] {
                    assert!(of.iter().any(|t| t.lang == lang), "{intent}: no {lang:?}");
                }
            }
        }
        for t in &library.templates {
            match t.intents[0].as_str() {
                "crisis" => assert_eq!(t.action, Some(Action::Escalate), "{}", t.id),
                "spam" => assert!(t.text.is_none() && t.action.is_some(), "{}", t.id),
                _ => assert!(t.text.is_some() && t.action.is_none(), "{}", t.id),
            }
        }
        assert_eq!(
            library.lint(|_| Report::from_findings(Vec::new())),
            Vec::new()
        );
    }

    #[test]
    fn unknown_placeholder_is_located_in_the_text() {
        let e = errors(
            "[[template]]\nid = \"a\"\nintents = [\"praise\"]\nlang = \"en\"\ntext = \"Thanks {autor}!\"\n",
        );
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (5, 16));
        assert_eq!(e[0].field, "template[0].text");
        assert!(e[0].message.contains("{autor}"));
        assert!(e[0].expected.contains("{author}"));
        assert!(e[0]
            .to_string()
            .starts_with("team.toml:5:16: template[0].text: unknown"));
    }

    #[test]
    fn multi_line_text_errors_point_inside_the_string() {
        let e = errors(
            "[[template]]\nid = \"a\"\nintents = [\"praise\"]\nlang = \"en\"\ntext = \"\"\"\nHi {author\nthere\"\"\"\n",
        );
        assert_eq!((e[0].line, e[0].column), (6, 4));
    }

    #[test]
    fn typos_bad_values_and_missing_fields_are_errors_with_lines() {
        let e = errors(
            "[[template]]\nid = \"a\"\nintents = [\"praise\"]\nlang = \"en\"\ntxt = \"Hi\"\n",
        );
        assert_eq!(e[0].line, 5);
        assert!(
            e[0].message.contains("unknown field `txt`"),
            "{}",
            e[0].message
        );
        let e = errors(
            "[[template]]\nid = \"a\"\nintents = [\"praise\"]\nlang = \"de\"\ntext = \"Hi\"\n",
        );
        assert_eq!(e[0].line, 4);
        assert!(e[0].message.contains("fr"), "{}", e[0].message);
        let e = errors("[[template]]\nid = \"a\"\nintents = [\"praise\"]\nlang = \"en\"\n");
        assert_eq!((e[0].field.as_str(), e[0].line), ("template[0].text", 2));
    }

    #[test]
    fn every_error_of_a_file_is_reported() {
        let source = "\
[[template]]
id = \"a\"
intents = [\"Praise!\"]
lang = \"en\"
text = \"Hi\"

[[template]]
id = \"a\"
intents = [\"spam\"]
lang = \"any\"
action = \"hide\"
text = \"Go away\"
";
        let e = errors(source);
        let fields: Vec<(&str, usize)> = e.iter().map(|e| (e.field.as_str(), e.line)).collect();
        assert_eq!(
            fields,
            [
                ("template[0].intents", 3),
                ("template[0].intents", 3),
                ("template[1].id", 8),
                ("template[1].text", 12)
            ]
        );
        assert!(e[2].message.contains("line 2"));
    }

    #[test]
    fn lint_flags_untaught_intents_and_charter_breaks() {
        let library = Library::from_toml(
            "[[template]]\nid = \"promise\"\nintents = [\"complaint\"]\nlang = \"en\"\ntext = \"Refund guaranteed, {author}!\"\n",
            "team.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let charter = |text: &str| {
            let findings = text
                .find("guaranteed")
                .map(|at| Finding {
                    rule: "refund-promise".into(),
                    category: "promise".into(),
                    severity: Severity::Block,
                    start: at,
                    end: at + 10,
                    byte_start: at,
                    byte_end: at + 10,
                    excerpt: "guaranteed".into(),
                    message: "No promises in public.".into(),
                    suggestion: None,
                    replaces: false,
                })
                .into_iter()
                .collect();
            Report::from_findings(findings)
        };
        let lints = library.lint(charter);
        let messages: Vec<&str> = lints.iter().map(|l| l.message.as_str()).collect();
        assert_eq!(lints.len(), 3, "{messages:?}");
        assert!(messages[0].contains("\"complaint\""));
        assert!(messages[2].contains("refund-promise"));
        assert!(lints.iter().all(|l| l.line == 2 && l.template == "promise"));
    }

    #[test]
    fn the_real_charter_flags_insults_and_missing_signatures_at_load() {
        let library = Library::from_toml(
            "[[template]]\nid = \"rude\"\nintents = [\"complaint\"]\nlang = \"fr\"\n\
             text = \"{greeting} {author}, vous êtes des imbéciles.\\n— {agent}\"\n\
             examples = [\"c'est nul\"]\n\n\
             [[template]]\nid = \"unsigned\"\nintents = [\"complaint\"]\nlang = \"en\"\n\
             text = \"{greeting} {author}, sorry about that.\"\nexamples = [\"this is bad\"]\n\n\
             [[template]]\nid = \"fine\"\nintents = [\"complaint\"]\nlang = \"en\"\n\
             text = \"{greeting} {author}, sorry about that.\\n— {agent}\"\nexamples = [\"awful\"]\n",
            "team.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let engine = Engine::from_source(
            "[charter]\nsignature = \"^— [A-Z]{2}$\"\npacks = { reserve = \"block\" }\n",
            "brand.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let lints = library.lint_charter(&engine);
        let found: Vec<(&str, &str)> = lints
            .iter()
            .map(|l| (l.template.as_str(), l.message.as_str()))
            .collect();
        assert_eq!(lints.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "rude");
        assert!(found[0].1.contains("imbéciles"), "{found:?}");
        assert_eq!(found[1].0, "unsigned");
        assert!(found[1].1.contains("signature"), "{found:?}");
    }

    #[test]
    fn the_default_library_keeps_the_default_charter() {
        let lints = Library::default_library().lint_charter(&Engine::default());
        assert_eq!(lints, Vec::new());
    }
}
