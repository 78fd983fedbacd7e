//! Reading the files a team writes by hand — charters, template libraries — in TOML or
//! JSON, keeping where every value sits so that an error names the file, line, column and
//! field.
//!
//! Both readers produce the same [`Document`]: a `serde_json::Value` tree plus the byte
//! offset of every value, keyed by its path (`rule[2].pattern`). Decoding that tree into a
//! typed model goes through `serde_path_to_error`, so even a type error ("expected a
//! string") names its field and position. Owning the readers (instead of the `toml`
//! crate) keeps the shipped wasm small and the error wording in our hands.

mod culprit;
mod json;
mod toml;

use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The two spellings a configuration file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// JSON when the name ends in `.json` or the text starts with `{`, TOML otherwise.
    pub fn guess(file: &str, source: &str) -> Format {
        if file.to_ascii_lowercase().ends_with(".json") || source.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

/// A syntax error: where reading stopped and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl SyntaxError {
    fn new(offset: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            offset,
            message: message.into(),
        }
    }
}

/// What went wrong in a file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    /// 1-based line and column (in characters), when the position is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The field at fault, such as `rule[2].pattern` (empty for syntax errors).
    pub field: String,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        if !self.field.is_empty() {
            write!(f, ": field `{}`", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LoadError {}

/// Parses JSON text and decodes it into `T`, through the same small reader as files (one
/// JSON parser in the wasm instead of one per decoded type).
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let (value, _) =
        json::parse(text).map_err(|e| format!("{} (at byte {})", e.message, e.offset))?;
    T::deserialize(&value).map_err(|e| e.to_string())
}

/// A parsed file: its values and where each one starts.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub value: Value,
    source: &'a str,
    file: &'a str,
    /// Path (`rule[0].id`, `charter`) → byte offset of the value (of the header for
    /// tables).
    spans: BTreeMap<String, usize>,
}

impl<'a> Document<'a> {
    /// Reads `source` in the format its name or first character says; `file` only names
    /// it in errors.
    pub fn parse(source: &'a str, file: &'a str) -> Result<Document<'a>, LoadError> {
        let parsed = match Format::guess(file, source) {
            Format::Toml => toml::parse(source),
            Format::Json => json::parse(source),
        };
        let (value, spans) = parsed.map_err(|e| LoadError {
            file: file.to_string(),
            line: Some(line_column(source, e.offset).0),
            column: Some(line_column(source, e.offset).1),
            field: String::new(),
            message: e.message,
        })?;
        Ok(Document {
            value,
            source,
            file,
            spans,
        })
    }

    /// Byte offset where the value at `path` starts.
    pub fn offset(&self, path: &str) -> Option<usize> {
        self.spans.get(path).copied()
    }

    /// 1-based line of the value at `path` (0 when the path is absent).
    pub fn line(&self, path: &str) -> usize {
        self.offset(path)
            .map_or(0, |o| line_column(self.source, o).0)
    }

    /// An error on the value at `path`, located when the path exists in the source (else
    /// at its closest enclosing value).
    pub fn error(&self, path: &str, message: impl Into<String>) -> LoadError {
        self.error_at(path, self.nearest_offset(path), message)
    }

    /// An error on `path` at an explicit byte offset (inside a string, say).
    pub fn error_at(
        &self,
        path: &str,
        offset: Option<usize>,
        message: impl Into<String>,
    ) -> LoadError {
        let at = offset.map(|o| line_column(self.source, o));
        LoadError {
            file: self.file.to_string(),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            field: path.to_string(),
            message: message.into(),
        }
    }

    fn nearest_offset(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(o) = self.offset(path) {
                return Some(o);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }

    /// Decodes the whole document into `T`; a type error names the field at fault.
    ///
    /// serde's messages quote the offending key or value ("unknown field `severty`",
    /// "invalid type: string \"high\"", "missing field `id`"); the field is the first
    /// place in the source that fits the quote. Tracking the path during decoding instead
    /// would double the decoding code in the wasm.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, LoadError> {
        T::deserialize(&self.value).map_err(|e| {
            let message = e.to_string();
            match culprit::find(&self.value, &message, |p| self.offset(p)) {
                Some(culprit::Culprit::Key(path)) => {
                    let offset = self.key_offset(&path);
                    self.error_at(&path, offset, message)
                }
                Some(culprit::Culprit::Value(path)) => self.error(&path, message),
                None => self.error_at("", None, message),
            }
        })
    }

    /// Offset of the key of `path` (just before `=`), falling back to its value.
    fn key_offset(&self, path: &str) -> Option<usize> {
        let value = self.offset(path)?;
        let key = path.rsplit(['.', '[']).next().unwrap_or(path);
        let line_start = self.source[..value].rfind('\n').map_or(0, |n| n + 1);
        Some(
            self.source[line_start..value]
                .find(key)
                .map_or(value, |k| line_start + k),
        )
    }
}

/// 1-based line and column (in characters) of byte `offset`.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(source.len());
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let before = &source[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Appends a path segment: `key` after a dot (none at the root), an index in brackets.
fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn join_index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Rule {
        #[allow(dead_code)]
        id: String,
        level: u8,
    }

    #[derive(serde::Deserialize, Debug)]
    struct File {
        #[allow(dead_code)]
        rule: Vec<Rule>,
    }

    #[test]
    fn type_errors_name_the_field_and_its_position() {
        let src = "[[rule]]\nid = \"a\"\nlevel = 1\n\n[[rule]]\nid = \"b\"\nlevel = \"high\"\n";
        let doc = Document::parse(src, "f.toml").expect("valid TOML");
        let e = doc.decode::<File>().expect_err("level is a string");
        assert_eq!(e.field, "rule[1].level");
        assert_eq!((e.line, e.column), (Some(7), Some(9)), "{e}");
    }

    #[test]
    fn unknown_keys_point_at_the_key() {
        let src = "[[rule]]\nid = \"a\"\n  levle = 1\n";
        let e = Document::parse(src, "f.toml")
            .expect("valid TOML")
            .decode::<File>()
            .expect_err("unknown key");
        assert_eq!(e.field, "rule[0].levle");
        assert_eq!((e.line, e.column), (Some(3), Some(3)), "{e}");
    }

    #[test]
    fn a_missing_field_points_at_the_table_without_it() {
        let src = "[[rule]]\nid = \"a\"\nlevel = 1\n\n[[rule]]\nlevel = 2\n";
        let e = Document::parse(src, "f.toml")
            .expect("valid TOML")
            .decode::<File>()
            .expect_err("second rule has no id");
        assert_eq!(e.field, "rule[1]");
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.message.contains("missing field `id`"), "{e}");
    }

    #[test]
    fn from_json_reads_typed_values() {
        let rule: Rule = from_json(r#"{"id": "a", "level": 3}"#).expect("valid");
        assert_eq!(rule.level, 3);
        assert!(from_json::<Rule>(r#"{"id": "a", "level": 300}"#).is_err());
        assert!(from_json::<Rule>(r#"{"id": "a""#)
            .expect_err("cut")
            .contains("at byte"));
    }

    #[test]
    fn json_errors_are_located_the_same_way() {
        let src = "{\"rule\": [\n  {\"id\": \"a\", \"level\": -1}\n]}";
        let e = Document::parse(src, "f.json")
            .expect("valid JSON")
            .decode::<File>()
            .expect_err("negative level");
        assert_eq!(e.field, "rule[0].level");
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let e = Document::parse("a = 1\nb = \n", "f.toml").expect_err("no value");
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.to_string().starts_with("f.toml:2:"), "{e}");
    }
}
