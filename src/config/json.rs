//! A JSON reader (RFC 8259) that records where every value starts, so that charters
//! written as JSON get the same located errors as TOML ones. Duplicate keys are refused:
//! in a hand-edited file the second one is almost always a mistake.

use super::{join_index, join_key, SyntaxError};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

type Spans = BTreeMap<String, usize>;

/// Deepest nesting accepted: a hostile file cannot exhaust the stack.
const MAX_DEPTH: usize = 128;

/// Parses `source` into a value tree and the offset of every value by path.
pub fn parse(source: &str) -> Result<(Value, Spans), SyntaxError> {
    let mut p = Parser {
        src: source,
        pos: 0,
        spans: Spans::new(),
    };
    p.space();
    let value = p.value("", 0)?;
    p.space();
    if p.pos != source.len() {
        return p.err("unexpected text after the end of the JSON value");
    }
    Ok((value, p.spans))
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    spans: Spans,
}

impl Parser<'_> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError::new(self.pos, message))
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        if found {
            self.pos += 1;
        }
        found
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, path: &str, depth: usize) -> Result<Value, SyntaxError> {
        if depth > MAX_DEPTH {
            return self.err(format!("nested more than {MAX_DEPTH} levels deep"));
        }
        self.spans.insert(path.to_string(), self.pos);
        match self.peek() {
            Some(b'{') => self.object(path, depth),
            Some(b'[') => self.array(path, depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'n') => self.word("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            None => self.err("expected a value, found the end of the file"),
            Some(_) => self.err("expected a value (string, number, true, false, null, [ or {)"),
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.src[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            self.err(format!("expected `{word}`"))
        }
    }

    fn object(&mut self, path: &str, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut map = Map::new();
        self.space();
        if self.eat(b'}') {
            return Ok(Value::Object(map));
        }
        loop {
            self.space();
            let key_at = self.pos;
            if self.peek() != Some(b'"') {
                return self.err("expected a \"key\" in quotes");
            }
            let key = self.string()?;
            self.space();
            if !self.eat(b':') {
                return self.err(format!("expected `:` after the key \"{key}\""));
            }
            self.space();
            let inner = join_key(path, &key);
            if map.contains_key(&key) {
                return Err(SyntaxError::new(
                    key_at,
                    format!("duplicate key \"{key}\"; keep one"),
                ));
            }
            let value = self.value(&inner, depth + 1)?;
            map.insert(key, value);
            self.space();
            if self.eat(b'}') {
                return Ok(Value::Object(map));
            }
            if !self.eat(b',') {
                return self.err("expected `,` or `}` in this object");
            }
        }
    }

    fn array(&mut self, path: &str, depth: usize) -> Result<Value, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.space();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            self.space();
            let item = join_index(path, items.len());
            items.push(self.value(&item, depth + 1)?);
            self.space();
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            if !self.eat(b',') {
                return self.err("expected `,` or `]` in this array");
            }
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = &self.src[self.pos..];
            let Some(c) = rest.chars().next() else {
                self.pos = open;
                return self.err("this string is not closed: add the closing `\"`");
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    let c = self.escape()?;
                    out.push(c);
                }
                c if (c as u32) < 0x20 => {
                    return self
                        .err("control character in a string; write it as an escape like \\n")
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, SyntaxError> {
        let at = self.pos;
        self.pos += 2;
        let simple = match self.src.as_bytes().get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at),
            _ => {
                self.pos = at;
                return self.err("unknown escape; use \\n, \\t, \\\", \\\\ or \\uXXXX");
            }
        };
        Ok(simple)
    }

    /// `\uXXXX`, joining a UTF-16 surrogate pair written as two escapes.
    fn unicode_escape(&mut self, at: usize) -> Result<char, SyntaxError> {
        let hex4 = |p: &mut Self| -> Option<u32> {
            let hex = p.src.get(p.pos..p.pos + 4)?;
            let n = u32::from_str_radix(hex, 16).ok()?;
            p.pos += 4;
            Some(n)
        };
        let bad = |p: &mut Self| {
            p.pos = at;
            p.err("expected \\u and 4 hex digits naming a Unicode character")
        };
        let Some(high) = hex4(self) else {
            return bad(self);
        };
        let code = if (0xD800..0xDC00).contains(&high) {
            if !self.src[self.pos..].starts_with("\\u") {
                return bad(self);
            }
            self.pos += 2;
            match hex4(self) {
                Some(low) if (0xDC00..0xE000).contains(&low) => {
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                }
                _ => return bad(self),
            }
        } else {
            high
        };
        match char::from_u32(code) {
            Some(c) => Ok(c),
            None => bad(self),
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let len = self.src[start..]
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(self.src.len() - start);
        let token = &self.src[start..start + len];
        let digits = token.strip_prefix('-').unwrap_or(token);
        let well_formed = digits.starts_with(|c: char| c.is_ascii_digit())
            && !(digits.len() > 1
                && digits.starts_with('0')
                && digits.as_bytes()[1].is_ascii_digit());
        let value = if !well_formed {
            None
        } else if let Ok(n) = token.parse::<i64>() {
            Some(Value::from(n))
        } else if let Ok(n) = token.parse::<u64>() {
            Some(Value::from(n))
        } else {
            token
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
        };
        match value {
            Some(v) => {
                self.pos += len;
                Ok(v)
            }
            None => self.err(format!("`{token}` is not a JSON number")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads() {
        let src =
            r#" {"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "é\n\u00e9\ud83d\ude00"}} "#;
        let (v, spans) = parse(src).expect("valid JSON");
        let reference: Value = serde_json::from_str(src).expect("valid JSON");
        assert_eq!(v, reference);
        assert_eq!(v["b"]["c"], json!("é\né😀"));
        assert_eq!(&src[spans["a[2]"]..][..3], "3e2");
        assert_eq!(&src[spans["b.c"]..][..1], "\"");
    }

    #[test]
    fn refuses_malformed_input_with_an_offset() {
        for (src, needle) in [
            ("{\"a\": 1,}", "expected a \"key\""),
            ("{\"a\": 1 \"b\": 2}", "expected `,` or `}`"),
            ("{\"a\" 1}", "expected `:`"),
            ("[1, 2", "expected `,` or `]`"),
            ("\"open", "not closed"),
            ("\"\\x\"", "unknown escape"),
            ("\"\\ud800\"", "4 hex digits"),
            ("01", "not a JSON number"),
            ("{\"a\": 1, \"a\": 2}", "duplicate key"),
            ("[1] 2", "after the end"),
            ("tru", "expected `true`"),
        ] {
            let e = parse(src).expect_err(src);
            assert!(e.message.contains(needle), "{src:?}: {}", e.message);
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let src = "[".repeat(100_000);
        assert!(parse(&src)
            .expect_err("too deep")
            .message
            .contains("nested"));
    }
}
