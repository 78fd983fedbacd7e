//! What the page layer read off one post, turned into a [`Capture`].
//!
//! The page layer only copies strings out of the DOM (a link's address, an element's text
//! with emoji `<img alt>` kept, a `datetime` attribute, an aria-label); every decision about
//! them — which handle, which name, which time — is made here, where it can be tested
//! against the real captured markup's values.

use super::model::Author;
use super::state::Capture;
use super::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Raw strings read from one post. Empty means "not found".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sighting {
    /// The post's own link, absolute.
    pub permalink: String,
    pub page_url: String,
    /// Text of the author link (the display name on X and Facebook).
    pub author_name: String,
    /// Address of the author link (`https://x.com/handle`, a Facebook profile).
    pub author_href: String,
    /// Text of the element holding `@handle`, when the site has one.
    pub handle_text: String,
    /// The article's aria-label, and the prefixes before the author's name in it.
    pub label: String,
    pub label_prefixes: Vec<String>,
    pub text: String,
    /// A `datetime` attribute.
    pub datetime: String,
    /// The post sits in an advert slot.
    pub promoted: bool,
}

/// Tails of Facebook's comment labels after the name ("… il y a 1 heure", "… 2 h ago").
const LABEL_TAILS: &[&str] = &[" il y a ", " · ", " ago"];

/// Collapses runs of spaces and tabs, keeps line breaks (at most one blank line), trims.
pub fn clean_text(s: &str) -> String {
    let mut lines: Vec<String> = s
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
    lines.join("\n").trim().to_string()
}

/// The handle: `@name` text when present, otherwise the author link's first path
/// segment (`profile.php?id=N` gives `N`).
fn handle(text: &str, href: &str) -> String {
    let text = text.trim();
    if let Some(h) = text.strip_prefix('@').filter(|h| !h.is_empty()) {
        return h.to_string();
    }
    let rest = href.split_once("://").map_or(href, |(_, r)| r);
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let first = path.split('/').find(|s| !s.is_empty()).unwrap_or("");
    if first == "profile.php" {
        return query
            .split('&')
            .find_map(|kv| kv.strip_prefix("id="))
            .unwrap_or("")
            .to_string();
    }
    first.to_string()
}

/// The name from an aria-label such as "Commentaire de Julie Moreau il y a 1 heure".
fn name_from_label(label: &str, prefixes: &[String]) -> Option<String> {
    let rest = prefixes
        .iter()
        .find_map(|p| label.strip_prefix(p.as_str()))?;
    let end = LABEL_TAILS
        .iter()
        .filter_map(|t| rest.find(t))
        .min()
        .unwrap_or(rest.len());
    Some(clean_text(&rest[..end])).filter(|n| !n.is_empty())
}

impl Sighting {
    /// The capture this sighting makes at `captured_at` by `captured_by`; tags, status
    /// and note are left to the inbox (an existing item keeps its own).
    pub fn capture(&self, captured_at: Timestamp, captured_by: &str) -> Capture {
        let link_name = clean_text(&self.author_name);
        let name = match name_from_label(&self.label, &self.label_prefixes) {
            Some(n) if link_name.is_empty() => n,
            _ => link_name,
        };
        Capture {
            permalink: self.permalink.trim().to_string(),
            page_url: self.page_url.trim().to_string(),
            author: Author {
                handle: handle(&self.handle_text, &self.author_href),
                name,
            },
            text: clean_text(&self.text),
            posted_at: Timestamp::parse(self.datetime.trim()).ok(),
            captured_at,
            captured_by: captured_by.trim().to_string(),
            tags: None,
            status: None,
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_tweet_fields_become_a_capture() {
        let s = Sighting {
            permalink: "https://x.com/birdman46049238/status/1852311426666537322".into(),
            page_url: "https://x.com/home".into(),
            author_name: " birdman🦊\n  ".into(),
            author_href: "https://x.com/birdman46049238".into(),
            handle_text: "@birdman46049238".into(),
            text: "  🦊🦊 \n".into(),
            datetime: "2024-11-01T11:27:13.000Z".into(),
            ..Sighting::default()
        };
        let c = s.capture(Timestamp(1_000), " Léa ");
        assert_eq!(c.author.handle, "birdman46049238");
        assert_eq!(c.author.name, "birdman🦊");
        assert_eq!(c.text, "🦊🦊");
        assert_eq!(
            c.posted_at.map(|t| t.to_string()).as_deref(),
            Some("2024-11-01T11:27:13.000Z")
        );
        assert_eq!(c.captured_by, "Léa");
        assert_eq!(c.tags, None, "a capture never resets an item's tags");
    }

    #[test]
    fn handle_falls_back_to_the_author_link() {
        assert_eq!(handle("", "https://x.com/TestUser123"), "TestUser123");
        assert_eq!(
            handle(
                "Julie",
                "https://www.facebook.com/julie.moreau.52?__cft__=1"
            ),
            "julie.moreau.52"
        );
        assert_eq!(
            handle("", "https://www.facebook.com/profile.php?id=1000&__tn__=R"),
            "1000"
        );
        assert_eq!(handle("@", ""), "");
    }

    #[test]
    fn facebook_comment_name_comes_from_the_french_label_when_the_link_has_none() {
        let prefixes = vec!["Commentaire de ".to_string(), "Comment by ".to_string()];
        let s = Sighting {
            label: "Commentaire de Julie Moreau il y a 1 heure".into(),
            label_prefixes: prefixes.clone(),
            ..Sighting::default()
        };
        assert_eq!(s.capture(Timestamp(0), "").author.name, "Julie Moreau");
        let s = Sighting {
            label: "Comment by Sam Lee 2 hours ago".into(),
            label_prefixes: prefixes,
            author_name: "Samuel Lee".into(),
            ..Sighting::default()
        };
        assert_eq!(s.capture(Timestamp(0), "").author.name, "Samuel Lee");
    }

    #[test]
    fn text_keeps_lines_but_not_runs_of_blanks_and_bad_times_are_dropped() {
        assert_eq!(clean_text("a  b\n\n\n\nc\t d "), "a b\n\nc d");
        let s = Sighting {
            datetime: "Nov 1".into(),
            ..Sighting::default()
        };
        assert_eq!(s.capture(Timestamp(0), "").posted_at, None);
    }
}
