//! Which field a serde decoding error is about, found from the key or value its message
//! quotes.

use super::{join_index, join_key};
use serde_json::Value;

pub enum Culprit {
    /// An unknown key: point at the key.
    Key(String),
    /// A bad value, or a table missing a field.
    Value(String),
}

/// The culprit of `message` in `root`, preferring the earliest in the source (`offset`
/// gives a path's position).
pub fn find(
    root: &Value,
    message: &str,
    offset: impl Fn(&str) -> Option<usize>,
) -> Option<Culprit> {
    let mut paths = Vec::new();
    let culprit: fn(String) -> Culprit;
    if let Some(key) = quoted(message, "unknown field `", "`") {
        walk(root, "", &mut |path, _| {
            if path.rsplit('.').next() == Some(key) {
                paths.push(path.to_string());
            }
        });
        culprit = Culprit::Key;
    } else if let Some(field) = quoted(message, "missing field `", "`") {
        // A table without the field, shaped like one that has it (the n-th rule).
        let mut with = Vec::new();
        let mut without = Vec::new();
        walk(root, "", &mut |path, value| {
            if let Value::Object(map) = value {
                let list = if map.contains_key(field) {
                    &mut with
                } else {
                    &mut without
                };
                list.push(path.to_string());
            }
        });
        let shape = |p: &str| strip_indices(p);
        paths = without
            .into_iter()
            .filter(|p| with.iter().any(|w| shape(w) == shape(p)) || is_array_item(p))
            .collect();
        culprit = Culprit::Value;
    } else {
        let wanted = quoted_value(message)?;
        walk(root, "", &mut |path, value| {
            if wanted.matches(value) {
                paths.push(path.to_string());
            }
        });
        culprit = Culprit::Value;
    }
    paths
        .into_iter()
        .min_by_key(|p| offset(p).unwrap_or(usize::MAX))
        .map(culprit)
}

/// Calls `visit` on every value below `value` with its path (the root is not visited).
fn walk(value: &Value, path: &str, visit: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let inner_path = join_key(path, key);
                visit(&inner_path, inner);
                walk(inner, &inner_path, visit);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                let inner_path = join_index(path, i);
                visit(&inner_path, inner);
                walk(inner, &inner_path, visit);
            }
        }
        _ => {}
    }
}

fn strip_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn is_array_item(path: &str) -> bool {
    path.ends_with(']')
}

fn quoted<'m>(message: &'m str, open: &str, close: &str) -> Option<&'m str> {
    let rest = &message[message.find(open)? + open.len()..];
    Some(&rest[..rest.find(close)?])
}

/// The value an "invalid type" / "invalid value" / "unknown variant" message quotes.
enum Quoted<'m> {
    Str(&'m str),
    Number(f64),
    Bool(bool),
}

impl Quoted<'_> {
    fn matches(&self, value: &Value) -> bool {
        match (self, value) {
            (Quoted::Str(s), Value::String(v)) => v == s,
            (Quoted::Number(n), Value::Number(v)) => v.as_f64() == Some(*n),
            (Quoted::Bool(b), Value::Bool(v)) => v == b,
            _ => false,
        }
    }
}

fn quoted_value(message: &str) -> Option<Quoted<'_>> {
    if let Some(variant) = quoted(message, "unknown variant `", "`") {
        return Some(Quoted::Str(variant));
    }
    let detail = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .or_else(|| message.strip_prefix("invalid length "))?;
    if let Some(s) = quoted(detail, "string \"", "\"") {
        return Some(Quoted::Str(s));
    }
    for kind in ["integer `", "floating point `"] {
        if let Some(n) = quoted(detail, kind, "`") {
            return n.parse().ok().map(Quoted::Number);
        }
    }
    quoted(detail, "boolean `", "`")
        .and_then(|b| b.parse().ok())
        .map(Quoted::Bool)
}
