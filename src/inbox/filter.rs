//! What the inbox page asks for: tags, status, network, a date range, an author and
//! search words. The core does all matching so the page, the exports and the charts
//! agree on what "the current filter" holds.

use super::fold::fold;
use super::model::{Item, Network, Status};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Every field is optional; an empty filter matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// Items carrying any of these tag ids.
    pub tags: Vec<String>,
    /// Only items without any tag.
    pub untagged: bool,
    pub status: Option<Status>,
    pub network: Option<Network>,
    /// Captured at or after this instant.
    pub since: Option<Timestamp>,
    /// Captured strictly before this instant (pass the next midnight for "up to a day").
    pub until: Option<Timestamp>,
    /// Part of the author's handle (a leading `@` is ignored) or display name.
    pub author: Option<String>,
    /// Words that must all appear in the text, author or note; accents and case ignored.
    pub query: Option<String>,
}

/// A filter prepared once per query: folded words and author.
pub(crate) struct Matcher<'f> {
    filter: &'f Filter,
    /// Folded search words, for [`super::index::SearchIndex::candidates`].
    pub(crate) words: Vec<String>,
    /// Folded author filter, for the author index.
    pub(crate) author: Option<String>,
}

impl<'f> Matcher<'f> {
    pub(crate) fn new(filter: &'f Filter) -> Matcher<'f> {
        let words = filter
            .query
            .as_deref()
            .map(|q| fold(q).split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        let author = filter
            .author
            .as_deref()
            .map(|a| fold(a.trim().trim_start_matches('@')))
            .filter(|a| !a.is_empty());
        Matcher {
            filter,
            words,
            author,
        }
    }

    /// Whether `item` passes everything but the search words and the author (the
    /// indexes answer those, so no query folds 50,000 texts).
    pub(crate) fn matches(&self, item: &Item) -> bool {
        let f = self.filter;
        f.status.is_none_or(|s| item.status == s)
            && f.network.is_none_or(|n| item.network == n)
            && f.since.is_none_or(|t| item.captured_at >= t)
            && f.until.is_none_or(|t| item.captured_at < t)
            && (!f.untagged || item.tags.is_empty())
            && (f.tags.is_empty() || item.tags.iter().any(|t| f.tags.contains(t)))
    }
}

/// The folded handle and display name an author filter looks in.
pub(crate) fn author_key(item: &Item) -> String {
    let mut key = fold(&item.author.handle);
    key.push('\n');
    key.push_str(&fold(&item.author.name));
    key
}

/// The folded text a search looks in: post text, author name and handle, note.
pub(crate) fn searchable(item: &Item) -> String {
    let mut s = fold(&item.text);
    for part in [&item.author.name, &item.author.handle, &item.note] {
        s.push('\n');
        s.push_str(&fold(part));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbox::state::tests::capture;
    use crate::inbox::{Inbox, Vocabulary};

    fn inbox() -> Inbox {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let rows: &[(&str, &str, &str, &[&str])] = &[
            (
                "https://x.com/anais/status/1",
                "Anaïs",
                "Où est ma COMMANDE ?",
                &["complaint"],
            ),
            (
                "https://x.com/bob/status/2",
                "Bob",
                "Crème brûlée délicieuse",
                &["praise", "lead"],
            ),
            (
                "https://www.facebook.com/cafe/posts/3",
                "Chloé",
                "commande livrée, merci",
                &[],
            ),
        ];
        for (n, (url, name, text, tags)) in rows.iter().enumerate() {
            let mut c = capture(
                url,
                &name.to_lowercase(),
                text,
                &format!("2024-05-0{}T12:00:00Z", n + 1),
            );
            c.author.name = name.to_string();
            c.tags = Some(tags.iter().map(|t| t.to_string()).collect());
            inbox.capture(c).unwrap();
        }
        inbox
    }

    fn ids(inbox: &Inbox, f: Filter) -> Vec<String> {
        inbox.query(&f).iter().map(|it| it.id.clone()).collect()
    }

    #[test]
    fn each_criterion_narrows_and_they_combine() {
        let mut inbox = inbox();
        let fb = inbox
            .iter()
            .find(|it| it.network == Network::Facebook)
            .unwrap()
            .id
            .clone();
        assert_eq!(
            ids(&inbox, Filter::default()),
            [fb.as_str(), "x:2", "x:1"],
            "newest first"
        );
        let q = |s: &str| Filter {
            query: Some(s.into()),
            ..Filter::default()
        };
        assert_eq!(ids(&inbox, q("commande")), [fb.as_str(), "x:1"]);
        assert_eq!(ids(&inbox, q("CREME Brulée")), ["x:2"]);
        assert_eq!(ids(&inbox, q("commande où")), ["x:1"]);
        assert_eq!(
            ids(&inbox, q("anais")),
            ["x:1"],
            "author names are searched"
        );
        assert!(ids(&inbox, q("commande brulee")).is_empty());
        let tags = Filter {
            tags: vec!["lead".into(), "complaint".into()],
            ..Filter::default()
        };
        assert_eq!(ids(&inbox, tags), ["x:2", "x:1"]);
        assert_eq!(
            ids(
                &inbox,
                Filter {
                    untagged: true,
                    ..Filter::default()
                }
            ),
            [fb.as_str()]
        );
        let net = Filter {
            network: Some(Network::X),
            query: Some("commande".into()),
            ..Filter::default()
        };
        assert_eq!(ids(&inbox, net), ["x:1"]);
        let dates = Filter {
            since: Timestamp::parse("2024-05-02").ok(),
            until: Timestamp::parse("2024-05-03").ok(),
            ..Filter::default()
        };
        assert_eq!(ids(&inbox, dates), ["x:2"]);
        let by = |a: &str| Filter {
            author: Some(a.into()),
            ..Filter::default()
        };
        assert_eq!(ids(&inbox, by("@ANAIS")), ["x:1"]);
        assert_eq!(ids(&inbox, by("chloe")), [fb.as_str()]);
        assert_eq!(
            ids(&inbox, by("  ")).len(),
            3,
            "a blank author filter is no filter"
        );
        inbox.set_status(&["x:1"], Status::Done).unwrap();
        let open = Filter {
            status: Some(Status::Open),
            ..Filter::default()
        };
        assert_eq!(ids(&inbox, open), [fb.as_str(), "x:2"]);
        // Edits reach the index: notes become searchable, old words disappear.
        inbox.set_note("x:2", "Rappeler Léa").unwrap();
        assert_eq!(ids(&inbox, q("lea")), ["x:2"]);
        inbox.set_note("x:2", "").unwrap();
        assert!(ids(&inbox, q("lea")).is_empty());
        // Captures after the index exists are indexed too.
        inbox
            .capture(capture(
                "https://x.com/dan/status/9",
                "dan",
                "Zèbre",
                "2024-05-09T00:00:00Z",
            ))
            .unwrap();
        assert_eq!(ids(&inbox, q("zebre")), ["x:9"]);
        inbox.remove(&["x:9"]);
        assert!(ids(&inbox, q("zebre")).is_empty());
        let page = inbox.page(&Filter::default(), 1, 1);
        assert_eq!((page.total, page.items[0].id.as_str()), (3, "x:2"));
    }
}
