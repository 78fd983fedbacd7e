//! A TOML 1.0 reader for hand-written team files.
//!
//! It covers the whole syntax a person writes — comments, bare, quoted and dotted keys,
//! `[tables]` and `[[arrays of tables]]`, the four string kinds, integers (decimal, hex,
//! octal, binary), floats, booleans, arrays and inline tables — and refuses what would
//! silently change meaning: duplicate keys, a table defined twice, a value where a table
//! is expected. Dates and times are refused with a hint (no Tact file uses them).

use super::{join_index, join_key, SyntaxError};
use serde_json::{Map, Number, Value};
use std::collections::{BTreeMap, BTreeSet};

type Spans = BTreeMap<String, usize>;

/// Parses `source` into a value tree and the offset of every value by path.
pub fn parse(source: &str) -> Result<(Value, Spans), SyntaxError> {
    let mut p = Parser {
        src: source,
        pos: 0,
        root: Map::new(),
        spans: Spans::new(),
        table: Vec::new(),
        headers: BTreeSet::new(),
        sealed: BTreeSet::new(),
        depth: 0,
    };
    p.document()?;
    Ok((Value::Object(p.root), p.spans))
}

/// One step down the tree: a key, or the index of an element of an array of tables.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_of(steps: &[Step]) -> String {
    steps.iter().fold(String::new(), |path, step| match step {
        Step::Key(k) => join_key(&path, k),
        Step::Index(i) => join_index(&path, *i),
    })
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    root: Map<String, Value>,
    spans: Spans,
    /// The table the following `key = value` lines go into.
    table: Vec<Step>,
    /// Tables opened by a `[header]`, which may not be opened again.
    headers: BTreeSet<String>,
    /// Inline tables and arrays written as values, which later lines may not extend.
    sealed: BTreeSet<String>,
    /// Nesting of arrays and inline tables, capped so a hostile file cannot exhaust the
    /// stack.
    depth: usize,
}

/// Deepest nesting of arrays and inline tables accepted.
const MAX_DEPTH: usize = 128;

impl Parser<'_> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError::new(self.pos, message))
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        if found {
            self.pos += s.len();
        }
        found
    }

    /// Skips spaces and tabs.
    fn blank(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    /// Skips a comment up to (not including) the end of the line.
    fn comment(&mut self) -> Result<(), SyntaxError> {
        if self.peek() == Some('#') {
            let end = self
                .rest()
                .find('\n')
                .map_or(self.src.len(), |n| self.pos + n);
            let text = &self.src[self.pos..end];
            if let Some(bad) = text.find(|c: char| c.is_control() && c != '\t' && c != '\r') {
                self.pos += bad;
                return self.err("control character in a comment");
            }
            self.pos = end;
        }
        Ok(())
    }

    /// Skips blanks, comments and line breaks (inside arrays and between lines).
    fn space(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.blank();
            self.comment()?;
            if !(self.eat("\n") || self.eat("\r\n")) {
                return Ok(());
            }
        }
    }

    /// Requires the end of a line (after optional blanks and a comment).
    fn end_of_line(&mut self) -> Result<(), SyntaxError> {
        self.blank();
        self.comment()?;
        if self.pos == self.src.len() || self.eat("\n") || self.eat("\r\n") {
            Ok(())
        } else {
            self.err("expected the end of the line here (one `key = value` per line)")
        }
    }

    fn document(&mut self) -> Result<(), SyntaxError> {
        loop {
            self.space()?;
            if self.pos == self.src.len() {
                return Ok(());
            }
            if self.rest().starts_with('[') {
                self.header()?;
            } else {
                let table = self.table.clone();
                self.key_value(&table)?;
            }
            self.end_of_line()?;
        }
    }

    /// `[a.b]` or `[[a.b]]`.
    fn header(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        let array = self.eat("[[");
        if !array {
            self.eat("[");
        }
        self.blank();
        let keys = self.key()?;
        self.blank();
        if !self.eat(if array { "]]" } else { "]" }) {
            return self.err(if array {
                "expected `]]` to close the array-of-tables header"
            } else {
                "expected `]` to close the table header"
            });
        }
        let Some((last, parents)) = keys.split_last() else {
            return self.err("expected a table name");
        };
        let mut steps = open_tables(&mut self.root, &[], parents, &self.sealed)
            .map_err(|m| SyntaxError::new(start, m))?;
        let parent = descend(&mut self.root, &steps).ok_or_else(|| internal(start))?;
        steps.push(Step::Key(last.clone()));
        let path = path_of(&steps);
        let taken = |what: &str| Err(SyntaxError::new(start, format!("`{path}` {what}")));
        match (parent.get_mut(last), array) {
            (None, false) => {
                parent.insert(last.clone(), Value::Object(Map::new()));
            }
            (Some(Value::Object(_)), false) if self.sealed.contains(&path) => {
                return taken("is an inline table above; it cannot be extended")
            }
            (Some(Value::Object(_)), false) if self.headers.contains(&path) => {
                return taken("is defined twice; merge the two tables")
            }
            (Some(Value::Object(_)), false) => {}
            (None, true) => {
                parent.insert(last.clone(), Value::Array(vec![Value::Object(Map::new())]));
                steps.push(Step::Index(0));
            }
            (Some(Value::Array(items)), true) if !self.sealed.contains(&path) => {
                items.push(Value::Object(Map::new()));
                steps.push(Step::Index(items.len() - 1));
            }
            _ => return taken("is already set to a value above; it cannot also be a table"),
        }
        let path = path_of(&steps);
        self.headers.insert(path.clone());
        self.spans.insert(path, start);
        self.table = steps;
        Ok(())
    }

    /// `a.b = value` into the table at `base`.
    fn key_value(&mut self, base: &[Step]) -> Result<(), SyntaxError> {
        let start = self.pos;
        let keys = self.key_and_equals()?;
        let Some((last, parents)) = keys.split_last() else {
            return self.err("expected a key");
        };
        let mut steps = open_tables(&mut self.root, base, parents, &self.sealed)
            .map_err(|m| SyntaxError::new(start, m))?;
        steps.push(Step::Key(last.clone()));
        let path = path_of(&steps);
        let value_at = self.pos;
        let value = self.value(&path)?;
        steps.pop();
        let table = descend(&mut self.root, &steps).ok_or_else(|| internal(start))?;
        if table.contains_key(last) {
            let first = self.spans.get(&path).copied().unwrap_or(0);
            let line = self.src[..first].matches('\n').count() + 1;
            return Err(SyntaxError::new(
                start,
                format!("duplicate key `{path}` (first set on line {line}); keep one"),
            ));
        }
        if value.is_object() || value.is_array() {
            self.sealed.insert(path.clone());
        }
        table.insert(last.clone(), value);
        self.spans.insert(path, value_at);
        Ok(())
    }

    /// `key =` with the blanks around the `=`: the dotted key.
    fn key_and_equals(&mut self) -> Result<Vec<String>, SyntaxError> {
        let keys = self.key()?;
        self.blank();
        if !self.eat("=") {
            return self.err(format!("expected `=` after the key `{}`", keys.join(".")));
        }
        self.blank();
        Ok(keys)
    }

    /// A dotted key: `name`, `"quoted key"`, `networks.x`.
    fn key(&mut self) -> Result<Vec<String>, SyntaxError> {
        let mut keys = Vec::new();
        loop {
            self.blank();
            let part = match self.peek() {
                Some('"') => self.basic_string()?,
                Some('\'') => self.literal_string()?,
                _ => {
                    let len = self
                        .rest()
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                        .unwrap_or(self.rest().len());
                    if len == 0 {
                        return self.err(match self.peek() {
                            None => "expected a key, found the end of the file".to_string(),
                            Some(c) => format!(
                                "expected a key (letters, digits, `_`, `-`, or a quoted name), found `{c}`"
                            ),
                        });
                    }
                    let part = self.rest()[..len].to_string();
                    self.pos += len;
                    part
                }
            };
            keys.push(part);
            self.blank();
            if !self.eat(".") {
                return Ok(keys);
            }
        }
    }

    fn value(&mut self, path: &str) -> Result<Value, SyntaxError> {
        if self.depth > MAX_DEPTH {
            return self.err(format!("nested more than {MAX_DEPTH} levels deep"));
        }
        self.depth += 1;
        let value = self.nested_value(path);
        self.depth -= 1;
        value
    }

    fn nested_value(&mut self, path: &str) -> Result<Value, SyntaxError> {
        match self.peek() {
            Some('"') if self.rest().starts_with("\"\"\"") => {
                self.multiline_basic_string().map(Value::String)
            }
            Some('"') => self.basic_string().map(Value::String),
            Some('\'') if self.rest().starts_with("'''") => {
                self.multiline_literal_string().map(Value::String)
            }
            Some('\'') => self.literal_string().map(Value::String),
            Some('[') => self.array(path),
            Some('{') => self.inline_table(path),
            Some(c) if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => self.scalar(),
            None => self.err("expected a value, found the end of the file"),
            Some('\n' | '\r') => self.err("expected a value after `=`"),
            Some(c) => self.err(format!(
                "expected a value (a \"string\", number, true/false, [array] or {{table}}), found `{c}`"
            )),
        }
    }

    fn array(&mut self, path: &str) -> Result<Value, SyntaxError> {
        self.eat("[");
        let mut items = Vec::new();
        loop {
            self.space()?;
            if self.eat("]") {
                return Ok(Value::Array(items));
            }
            let item = join_index(path, items.len());
            self.spans.insert(item.clone(), self.pos);
            items.push(self.value(&item)?);
            self.space()?;
            if !self.eat(",") {
                self.space()?;
                if self.eat("]") {
                    return Ok(Value::Array(items));
                }
                return self.err("expected `,` or `]` in this array");
            }
        }
    }

    /// `{ a = 1, b.c = "x" }`: read into its own map (the whole table is sealed by the
    /// key that holds it).
    fn inline_table(&mut self, path: &str) -> Result<Value, SyntaxError> {
        self.eat("{");
        let mut table = Map::new();
        loop {
            self.space()?;
            if self.eat("}") {
                return Ok(Value::Object(table));
            }
            if !table.is_empty() {
                if !self.eat(",") {
                    return self.err("expected `,` or `}` in this inline table");
                }
                self.space()?;
            }
            let start = self.pos;
            let keys = self.key_and_equals()?;
            let inner = keys.iter().fold(path.to_string(), |p, k| join_key(&p, k));
            let value_at = self.pos;
            let value = self.value(&inner)?;
            insert_dotted(&mut table, &keys, value)
                .map_err(|m| SyntaxError::new(start, format!("`{inner}` {m}")))?;
            self.spans.insert(inner, value_at);
        }
    }

    /// Numbers, booleans, and the dates we refuse.
    fn scalar(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let len = self
            .rest()
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-' | '.' | ':'))
            })
            .unwrap_or(self.rest().len());
        let token = &self.src[start..start + len];
        let value = match token {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => number(token),
        };
        match value {
            Some(v) => {
                self.pos += len;
                Ok(v)
            }
            None if looks_like_date(token) => {
                self.err("dates and times are not used in Tact files; write it as a \"string\"")
            }
            None => self.err(format!(
                "`{token}` is not a value; put text in quotes (\"{token}\")"
            )),
        }
    }

    fn basic_string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.eat("\"");
        let mut out = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => {
                    self.pos = open;
                    return self.err("this string is not closed: add the closing `\"` on the same line (or use \"\"\" for several lines)");
                }
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => self.escape(&mut out)?,
                Some(c) => self.string_char(c, &mut out, false)?,
            }
        }
    }

    fn multiline_basic_string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.eat("\"\"\"");
        self.skip_first_newline();
        let mut out = String::new();
        loop {
            if self.rest().starts_with("\"\"\"") {
                self.close_multiline('"', &mut out);
                return Ok(out);
            }
            match self.peek() {
                None => {
                    self.pos = open;
                    return self.err("this string is not closed: add the closing `\"\"\"`");
                }
                Some('\\') => {
                    let after = self.rest()[1..].trim_start_matches([' ', '\t']);
                    if after.starts_with('\n') || after.starts_with("\r\n") {
                        // Line-ending backslash: drop the break and the next line's indent.
                        let trimmed = self.rest()[1..]
                            .trim_start_matches([' ', '\t', '\n', '\r'])
                            .len();
                        self.pos = self.src.len() - trimmed;
                    } else {
                        self.escape(&mut out)?;
                    }
                }
                Some('\r') if self.rest().starts_with("\r\n") => {
                    out.push('\n');
                    self.pos += 2;
                }
                Some(c) => self.string_char(c, &mut out, true)?,
            }
        }
    }

    /// Takes one ordinary character of a basic string, refusing control characters other
    /// than tab (and line breaks in a multi-line string).
    fn string_char(
        &mut self,
        c: char,
        out: &mut String,
        multiline: bool,
    ) -> Result<(), SyntaxError> {
        if c.is_control() && c != '\t' && !(multiline && c == '\n') {
            return self.err("control character in a string; write it as an escape like \\n");
        }
        out.push(c);
        self.pos += c.len_utf8();
        Ok(())
    }

    fn literal_string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.eat("'");
        let Some(len) = self.rest().find(['\'', '\n']) else {
            self.pos = open;
            return self.err("this string is not closed: add the closing `'` on the same line");
        };
        if self.rest()[len..].starts_with('\n') {
            self.pos = open;
            return self.err("this string is not closed: add the closing `'` on the same line");
        }
        let text = self.rest()[..len].to_string();
        self.pos += len + 1;
        Ok(text)
    }

    fn multiline_literal_string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.eat("'''");
        self.skip_first_newline();
        let Some(len) = self.rest().find("'''") else {
            self.pos = open;
            return self.err("this string is not closed: add the closing `'''`");
        };
        let mut out = self.rest()[..len].replace("\r\n", "\n");
        self.pos += len;
        self.close_multiline('\'', &mut out);
        Ok(out)
    }

    fn skip_first_newline(&mut self) {
        if !self.eat("\n") {
            self.eat("\r\n");
        }
    }

    /// At a closing triple quote: up to two more quotes belong to the string.
    fn close_multiline(&mut self, quote: char, out: &mut String) {
        let run = self
            .rest()
            .chars()
            .take_while(|&c| c == quote)
            .count()
            .min(5);
        out.extend(std::iter::repeat_n(quote, run - 3));
        self.pos += run;
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let at = self.pos;
        self.pos += 1;
        let simple = match self.peek() {
            Some('b') => Some('\u{8}'),
            Some('t') => Some('\t'),
            Some('n') => Some('\n'),
            Some('f') => Some('\u{c}'),
            Some('r') => Some('\r'),
            Some('e') => Some('\u{1b}'),
            Some('"') => Some('"'),
            Some('\\') => Some('\\'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            self.pos += 1;
            return Ok(());
        }
        let digits = match self.peek() {
            Some('x') => 2,
            Some('u') => 4,
            Some('U') => 8,
            _ => {
                self.pos = at;
                return self.err("unknown escape; use \\n, \\t, \\\", \\\\ or \\uXXXX (or a 'literal string' for backslashes)");
            }
        };
        let hex = self.rest().get(1..1 + digits).unwrap_or("");
        match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
            Some(c) if hex.len() == digits => {
                out.push(c);
                self.pos += 1 + digits;
                Ok(())
            }
            _ => {
                self.pos = at;
                self.err(format!(
                    "expected {digits} hex digits naming a Unicode character after this escape"
                ))
            }
        }
    }
}

/// Walks (creating as needed) the tables named by `keys` below `base`; inside an array of
/// tables it goes to its last element, as TOML says.
fn open_tables(
    root: &mut Map<String, Value>,
    base: &[Step],
    keys: &[String],
    sealed: &BTreeSet<String>,
) -> Result<Vec<Step>, String> {
    let mut steps = base.to_vec();
    for key in keys {
        let table =
            descend(root, &steps).ok_or_else(|| "internal error: lost table".to_string())?;
        let entry = table
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        steps.push(Step::Key(key.clone()));
        if sealed.contains(&path_of(&steps)) {
            return Err(format!(
                "`{}` is written inline above; it cannot be extended here",
                path_of(&steps)
            ));
        }
        match entry {
            Value::Object(_) => {}
            Value::Array(items) if items.last().is_some_and(Value::is_object) => {
                steps.push(Step::Index(items.len() - 1));
            }
            _ => {
                return Err(format!(
                    "`{}` is already set to a value; it cannot also hold keys",
                    path_of(&steps)
                ))
            }
        }
    }
    Ok(steps)
}

/// The table at `steps` (each `Key` followed by an `Index` when it names an array).
fn descend<'m>(
    root: &'m mut Map<String, Value>,
    steps: &[Step],
) -> Option<&'m mut Map<String, Value>> {
    let mut table = root;
    let mut steps = steps.iter().peekable();
    while let Some(step) = steps.next() {
        let Step::Key(key) = step else { return None };
        table = match table.get_mut(key)? {
            Value::Object(t) => t,
            Value::Array(items) => match steps.next() {
                Some(Step::Index(i)) => items.get_mut(*i)?.as_object_mut()?,
                _ => return None,
            },
            _ => return None,
        };
    }
    Some(table)
}

fn internal(at: usize) -> SyntaxError {
    SyntaxError::new(
        at,
        "internal error: a table vanished while reading (please report)",
    )
}

/// An integer (decimal with `_` separators, `0x`, `0o`, `0b`) or a finite float.
fn number(token: &str) -> Option<Value> {
    let (negative, digits) = match token.as_bytes().first()? {
        b'-' => (true, &token[1..]),
        b'+' => (false, &token[1..]),
        _ => (false, token),
    };
    if !underscores_ok(digits) {
        return None;
    }
    let clean = digits.replace('_', "");
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(body) = clean.strip_prefix(prefix) {
            let signed = digits.len() != token.len();
            return (!signed)
                .then(|| i64::from_str_radix(body, radix).ok())
                .flatten()
                .map(Value::from);
        }
    }
    if clean.len() > 1 && clean.starts_with('0') && clean.as_bytes()[1].is_ascii_digit() {
        return None; // leading zeros are not TOML
    }
    if !clean.is_empty() && clean.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = clean.parse().ok()?;
        return Some(Value::from(if negative { -n } else { n }));
    }
    let float_like = clean.starts_with(|c: char| c.is_ascii_digit())
        && clean
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && !clean.ends_with('.')
        && !clean.contains(".e")
        && !clean.contains(".E");
    if !float_like {
        return None; // also refuses inf and nan, which JSON cannot hold
    }
    let x: f64 = clean.parse().ok()?;
    Number::from_f64(if negative { -x } else { x }).map(Value::Number)
}

/// Puts `value` at the dotted `keys` inside `table`, creating the tables between.
fn insert_dotted(
    table: &mut Map<String, Value>,
    keys: &[String],
    value: Value,
) -> Result<(), String> {
    let Some((last, parents)) = keys.split_last() else {
        return Err("has no key".into());
    };
    let mut table = table;
    for key in parents {
        table = match table
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(t) => t,
            _ => return Err("is already set to a value; it cannot also hold keys".into()),
        };
    }
    if table.contains_key(last) {
        return Err("is set twice; keep one".into());
    }
    table.insert(last.clone(), value);
    Ok(())
}

/// Every `_` sits between two digits.
fn underscores_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c != b'_'
            || (i > 0
                && i + 1 < b.len()
                && b[i - 1].is_ascii_alphanumeric()
                && b[i + 1].is_ascii_alphanumeric())
    })
}

fn looks_like_date(token: &str) -> bool {
    let b = token.as_bytes();
    (b.len() >= 10 && b[4] == b'-' && b[7] == b'-') || (b.len() >= 5 && b[2] == b':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(src: &str) -> Value {
        parse(src)
            .map(|(v, _)| v)
            .unwrap_or_else(|e| panic!("{src:?}: {e:?}"))
    }

    fn fails(src: &str) -> SyntaxError {
        parse(src).expect_err(src)
    }

    #[test]
    fn reads_every_value_kind() {
        let v = read(concat!(
            "# comment\n",
            "a = \"tab\\there \\u00e9\\U0001F600\" # trailing\n",
            "b = 'C:\\raw'\n",
            "c = \"\"\"\nline one\n  line two \\\n    joined\"\"\"\n",
            "d = '''\nkeep \\n as is'''\n",
            "e = [1, -2, +3, 1_000, 0xff, 0o17, 0b101]\n",
            "f = [1.5, -0.25, 6e2, 1E-2]\n",
            "g = [true, false, [\"nested\"], ]\n",
            "h = { x = 1, y.z = \"deep\" }\n",
            "\"quoted key\" = 1\n",
            "dotted.key = 2\n",
        ));
        assert_eq!(
            v,
            json!({
                "a": "tab\there é😀", "b": "C:\\raw", "c": "line one\n  line two joined",
                "d": "keep \\n as is", "e": [1, -2, 3, 1000, 255, 15, 5],
                "f": [1.5, -0.25, 600.0, 0.01], "g": [true, false, ["nested"]],
                "h": {"x": 1, "y": {"z": "deep"}}, "quoted key": 1, "dotted": {"key": 2}
            })
        );
    }

    #[test]
    fn tables_and_arrays_of_tables_nest() {
        let v = read(concat!(
            "[charter]\nname = \"x\"\n",
            "[[rule]]\nid = \"a\"\n[rule.extra]\nk = 1\n",
            "[[rule]]\nid = \"b\"\n",
            "[networks.x]\nmax_length = 280\n",
        ));
        assert_eq!(
            v,
            json!({
                "charter": {"name": "x"},
                "rule": [{"id": "a", "extra": {"k": 1}}, {"id": "b"}],
                "networks": {"x": {"max_length": 280}}
            })
        );
    }

    #[test]
    fn spans_point_at_values_and_headers() {
        let src = "[[rule]]\nid = \"a\"\nterms = [\"x\", \"y\"]\n";
        let (_, spans) = parse(src).expect("valid");
        assert_eq!(spans["rule[0]"], 0);
        assert_eq!(&src[spans["rule[0].id"]..][..3], "\"a\"");
        assert_eq!(&src[spans["rule[0].terms[1]"]..][..3], "\"y\"");
    }

    #[test]
    fn refuses_what_would_change_meaning() {
        for (src, needle) in [
            ("a = 1\na = 2\n", "duplicate key `a`"),
            ("[t]\n[t]\n", "defined twice"),
            ("a = 1\n[a]\n", "already set"),
            ("a = {x = 1}\na.y = 2\n", "inline"),
            ("a = [1]\n[[a]]\n", "already set"),
            ("a = \"open\n", "not closed"),
            ("a = 'open\n", "not closed"),
            ("a = \"\"\"never", "not closed"),
            ("a = \"\\q\"\n", "unknown escape"),
            ("a = 1979-05-27\n", "dates"),
            ("a = hello\n", "put text in quotes"),
            ("a = 01\n", "not a value"),
            ("a = 1__0\n", "not a value"),
            ("a 1\n", "expected `=`"),
            ("a = 1 b = 2\n", "end of the line"),
            ("[t\n", "expected `]`"),
            ("a = [1 2]\n", "expected `,` or `]`"),
            ("= 1\n", "expected a key"),
            ("a =\n", "expected a value"),
        ] {
            let e = fails(src);
            assert!(e.message.contains(needle), "{src:?}: {}", e.message);
        }
    }

    #[test]
    fn errors_have_offsets_in_the_source() {
        let e = fails("x = 1\ny = \"\\q\"\n");
        assert_eq!(e.offset, 11);
    }

    #[test]
    fn arbitrary_input_never_panics() {
        assert!(fails(&format!("a = {}", "[".repeat(100_000)))
            .message
            .contains("nested"));
        let samples = [
            "[[",
            "[a.]",
            "a.b.=1",
            "{",
            "a={",
            "a=[",
            "a=\"\"\"\\",
            "a='''''''",
            "\u{0}",
        ];
        for s in samples {
            let _ = parse(s);
        }
    }
}
