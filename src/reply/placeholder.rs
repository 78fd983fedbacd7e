//! The placeholders a template may use, and splitting a template text into literal parts
//! and placeholders. Kept apart from loading and filling so both agree on the syntax.

use serde::Serialize;

/// A value the page context fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Placeholder {
    /// Display name of the commenter.
    Author,
    /// The commenter's handle, written with its `@`.
    Handle,
    /// The brand's name, from settings.
    Brand,
    /// The CM's signature or initials, from settings.
    Agent,
    /// "Bonjour"/"Bonsoir", "Hello"/"Good evening" by the local hour.
    Greeting,
    /// A link from settings (help page, contact form).
    Link,
}

impl Placeholder {
    pub const ALL: [Placeholder; 6] = [
        Placeholder::Author,
        Placeholder::Handle,
        Placeholder::Brand,
        Placeholder::Agent,
        Placeholder::Greeting,
        Placeholder::Link,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Author => "author",
            Placeholder::Handle => "handle",
            Placeholder::Brand => "brand",
            Placeholder::Agent => "agent",
            Placeholder::Greeting => "greeting",
            Placeholder::Link => "link",
        }
    }

    fn from_name(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }

    /// "{author}, {handle}, …" for error messages.
    pub fn expected() -> String {
        Placeholder::ALL
            .iter()
            .map(|p| format!("{{{}}}", p.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A piece of a template text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<'a> {
    Literal(&'a str),
    Value(Placeholder),
}

/// What is wrong with a template text, and where (byte offset in the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Splits `text` into literals and placeholders. Braces only ever delimit placeholders:
/// an unknown name, an unclosed `{` or a stray `}` is an error, so a filled reply can
/// never show a raw `{…}`.
pub fn parse(text: &str) -> Result<Vec<Part<'_>>, SyntaxError> {
    let mut parts = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find(['{', '}']).map(|i| i + rest) {
        if text[open..].starts_with('}') {
            return Err(SyntaxError {
                offset: open,
                message: "a `}` closes no placeholder".into(),
            });
        }
        let after = &text[open + 1..];
        let close = match after.find(['}', '{', '\n']) {
            Some(i) if after[i..].starts_with('}') => open + 1 + i,
            _ => {
                return Err(SyntaxError {
                    offset: open,
                    message: "a `{` is not closed on the same line".into(),
                })
            }
        };
        let name = &text[open + 1..close];
        let value = Placeholder::from_name(name).ok_or_else(|| SyntaxError {
            offset: open,
            message: format!("unknown placeholder {{{name}}}"),
        })?;
        if open > rest {
            parts.push(Part::Literal(&text[rest..open]));
        }
        parts.push(Part::Value(value));
        rest = close + 1;
    }
    if rest < text.len() {
        parts.push(Part::Literal(&text[rest..]));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_literals_and_values() {
        assert_eq!(
            parse("Hi {author}, {greeting}!").ok(),
            Some(vec![
                Part::Literal("Hi "),
                Part::Value(Placeholder::Author),
                Part::Literal(", "),
                Part::Value(Placeholder::Greeting),
                Part::Literal("!"),
            ])
        );
    }

    #[test]
    fn rejects_unknown_unclosed_and_stray_braces() {
        let err = |t: &str| parse(t).err().map(|e| (e.offset, e.message));
        assert_eq!(
            err("Hi {autor}"),
            Some((3, "unknown placeholder {autor}".to_string()))
        );
        assert_eq!(err("Hi {author").map(|e| e.0), Some(3));
        assert_eq!(err("Hi {author\n}").map(|e| e.0), Some(3));
        assert_eq!(err("Hi {{author}}").map(|e| e.0), Some(3));
        assert_eq!(err("Hi }").map(|e| e.0), Some(3));
    }
}
