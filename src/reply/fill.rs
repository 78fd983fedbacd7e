//! Filling a template from the page context. There is no clock here: the page passes the
//! local hour. A missing value never shows as `{author}`: the sentence is reworded around
//! it (a dropped name takes its stray comma or `@` with it; a missing link drops the
//! sentence that offered it; a missing brand becomes "our team").

use super::placeholder::{self, Part, Placeholder};
use super::template::TemplateLang;
use crate::text::lang::Lang;
use serde::{Deserialize, Serialize};

/// What the page and the settings know when a reply box opens. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FillContext {
    /// Display name of the commenter.
    pub author: Option<String>,
    /// The commenter's handle, with or without its `@`.
    pub handle: Option<String>,
    pub brand: Option<String>,
    /// The CM's signature or initials.
    pub agent: Option<String>,
    pub link: Option<String>,
    /// Local hour, 0–23, for the greeting.
    pub hour: Option<u8>,
}

/// "Bonjour"/"Bonsoir", "Good morning"/"Hello"/"Good evening" by the local hour; the
/// daytime form when the hour is unknown.
pub fn greeting(lang: Lang, hour: Option<u8>) -> &'static str {
    let evening = matches!(hour, Some(h) if !(5..18).contains(&h));
    let morning = matches!(hour, Some(h) if (5..12).contains(&h));
    match (lang, evening, morning) {
        (Lang::Fr, true, _) => "Bonsoir",
        (Lang::Fr, false, _) => "Bonjour",
        (_, true, _) => "Good evening",
        (_, false, true) => "Good morning",
        (_, false, false) => "Hello",
    }
}

/// Fills `text` for a reply in `lang` (the template's language, or the comment's when
/// the template suits any). A text that does not parse is returned with its braces
/// removed — the loader rejects such texts, so this only guards hand-built templates.
pub fn fill(text: &str, lang: Lang, ctx: &FillContext) -> String {
    let parts = match placeholder::parse(text) {
        Ok(parts) => parts,
        Err(_) => return text.replace(['{', '}'], ""),
    };
    let present = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut out = String::with_capacity(text.len() + 32);
    // Where each dropped link sentence starts and ends, in `out` byte offsets.
    let mut dropped_links: Vec<usize> = Vec::new();
    for part in parts {
        match part {
            Part::Literal(s) => out.push_str(s),
            Part::Value(p) => {
                let value = match p {
                    Placeholder::Author => present(&ctx.author),
                    Placeholder::Handle => present(&ctx.handle).map(|h| {
                        let h = h.trim_start_matches('@');
                        if out.ends_with('@') {
                            h.to_string()
                        } else {
                            format!("@{h}")
                        }
                    }),
                    Placeholder::Brand => present(&ctx.brand).or_else(|| {
                        let fallback = match lang {
                            Lang::Fr => "notre équipe",
                            _ => "our team",
                        };
                        Some(fallback.to_string())
                    }),
                    Placeholder::Agent => present(&ctx.agent),
                    Placeholder::Greeting => Some(greeting(lang, ctx.hour).to_string()),
                    Placeholder::Link => present(&ctx.link),
                };
                match value {
                    Some(v) => out.push_str(&v),
                    None if p == Placeholder::Link => dropped_links.push(out.len()),
                    None => {
                        if out.ends_with('@') {
                            out.pop();
                            // A link dropped right after that `@` now starts where it was.
                            for at in &mut dropped_links {
                                *at = (*at).min(out.len());
                            }
                        }
                    }
                }
            }
        }
    }
    let mut kept = String::with_capacity(out.len());
    let mut from = 0;
    for (start, end) in dropped_links.iter().map(|&at| sentence_around(&out, at)) {
        if start >= from {
            kept.push_str(&out[from..start]);
        }
        from = from.max(end);
    }
    kept.push_str(&out[from..]);
    tidy(&kept, lang)
}

/// The byte range of the sentence around byte `at`: from the previous sentence end (or
/// line start) through its own end; a line break that ends it is left out.
fn sentence_around(text: &str, at: usize) -> (usize, usize) {
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let start = text[..at].rfind(is_end).map_or(0, |i| i + 1);
    let end = match text[at..].find(is_end) {
        Some(i) if text[at + i..].starts_with('\n') => at + i,
        Some(i) => at + i + 1,
        None => text.len(),
    };
    (start, end)
}

/// Line by line: single spaces, no space before `,` or `.` (nor before `!?:;` outside
/// French typography), no separator or comma left dangling where a value was dropped,
/// no line made only of punctuation, no run of blank lines. Blank lines the template had
/// between paragraphs are kept.
fn tidy(text: &str, lang: Lang) -> String {
    let tight: &[&str] = match lang {
        Lang::Fr => &[",", "."],
        _ => &[",", ".", "!", "?", ":", ";"],
    };
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let mut l = line.split_whitespace().collect::<Vec<_>>().join(" ");
        for mark in tight {
            l = l.replace(&format!(" {mark}"), mark);
        }
        while l.contains(",,") {
            l = l.replace(",,", ",");
        }
        let trimmed = l.trim_start_matches([',', ' ']);
        let mut l = if trimmed.len() < l.len() {
            capitalise(trimmed)
        } else {
            l.clone()
        };
        l.truncate(l.trim_end_matches([' ', '—', '–', '-', '^']).len());
        if !line.trim().is_empty() && !l.chars().any(char::is_alphanumeric) {
            continue;
        }
        if l.is_empty() && lines.last().is_some_and(String::is_empty) {
            continue;
        }
        lines.push(l);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    lines[first..].join("\n")
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The text filled with neutral sample values, for checking templates against the charter.
pub(crate) fn sample(text: &str, lang: TemplateLang) -> String {
    let ctx = FillContext {
        author: Some("Alex".into()),
        handle: Some("alex".into()),
        brand: Some("Brand".into()),
        agent: Some("AB".into()),
        link: Some("https://example.com".into()),
        hour: Some(10),
    };
    let lang = match lang {
        TemplateLang::Fr => Lang::Fr,
        _ => Lang::En,
    };
    fill(text, lang, &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> FillContext {
        FillContext {
            author: Some("Marie".into()),
            handle: Some("@marie_l".into()),
            brand: Some("Café Lumière".into()),
            agent: Some("JD".into()),
            link: Some("https://cafe.example/aide".into()),
            hour: Some(20),
        }
    }

    #[test]
    fn fills_every_value_and_greets_by_hour() {
        let text =
            "{greeting} {author} ({handle}), merci de suivre {brand} ! Voir {link}.\n— {agent}";
        assert_eq!(
            fill(text, Lang::Fr, &ctx()),
            "Bonsoir Marie (@marie_l), merci de suivre Café Lumière ! Voir https://cafe.example/aide.\n— JD"
        );
        let morning = FillContext {
            hour: Some(9),
            ..ctx()
        };
        assert_eq!(fill("{greeting}", Lang::En, &morning), "Good morning");
        assert_eq!(
            fill("{greeting}", Lang::En, &FillContext::default()),
            "Hello"
        );
        assert_eq!(
            fill("{greeting}", Lang::Fr, &FillContext::default()),
            "Bonjour"
        );
    }

    #[test]
    fn rewords_around_missing_values() {
        let empty = FillContext::default();
        assert_eq!(
            fill("Hello {author}, thanks!", Lang::En, &empty),
            "Hello, thanks!"
        );
        assert_eq!(fill("Merci @{handle} !", Lang::Fr, &empty), "Merci !");
        assert_eq!(
            fill("Thanks for choosing {brand}.", Lang::En, &empty),
            "Thanks for choosing our team."
        );
        assert_eq!(
            fill(
                "Sorry. Details here: {link}. We reply fast.\n\n— {agent}",
                Lang::En,
                &empty
            ),
            "Sorry. We reply fast."
        );
        assert_eq!(
            fill("Hi {author}!\n\nSee {link}\nBye", Lang::En, &empty),
            "Hi!\n\nBye"
        );
    }

    #[test]
    fn a_link_dropped_after_a_dropped_mention_does_not_cut_a_letter() {
        // The `@` goes with the missing author, after the link's place was noted.
        let out = fill(
            "Merci !\nVoir @{link}{author}é ici.\nÀ bientôt",
            Lang::Fr,
            &FillContext::default(),
        );
        let lines: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, ["Merci !", "À bientôt"]);
    }

    #[test]
    fn keeps_blank_lines_between_paragraphs() {
        assert_eq!(
            fill(
                "{greeting} {author},\n\nWe are on it.\n\n{agent}",
                Lang::En,
                &ctx()
            ),
            "Good evening Marie,\n\nWe are on it.\n\nJD"
        );
    }
}

#[cfg(test)]
mod never_leaves_a_placeholder {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            Just(Some(String::new())),
            "[A-Za-zé @._-]{1,12}".prop_map(Some)
        ]
    }

    proptest! {
        #[test]
        fn whatever_is_missing(
            author in value(), handle in value(), brand in value(), agent in value(),
            link in value(), hour in proptest::option::of(0u8..24), fr in any::<bool>(),
            picks in proptest::collection::vec((0usize..6, "[a-z ,.!?\n—@]{0,6}"), 0..8),
        ) {
            let mut text = String::new();
            for (p, lit) in &picks {
                text.push_str(lit);
                text.push_str(&format!("{{{}}}", Placeholder::ALL[*p].name()));
            }
            let ctx = FillContext { author, handle, brand, agent, link, hour };
            let lang = if fr { Lang::Fr } else { Lang::En };
            let out = fill(&text, lang, &ctx);
            prop_assert!(!out.contains('{') && !out.contains('}'), "{text:?} -> {out:?}");
        }
    }
}
