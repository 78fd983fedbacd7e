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
    author: Option<String>,
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

    /// Whether `item` passes everything but the search words (the index answers those);
    /// `author_key` is its [`author_key`], precomputed so no query folds 50,000 names.
    pub(crate) fn matches(&self, item: &Item, author_key: &str) -> bool {
        let f = self.filter;
        f.status.map_or(true, |s| item.status == s)
            && f.network.map_or(true, |n| item.network == n)
            && f.since.map_or(true, |t| item.captured_at >= t)
            && f.until.map_or(true, |t| item.captured_at < t)
            && (!f.untagged || item.tags.is_empty())
            && (f.tags.is_empty() || item.tags.iter().any(|t| f.tags.contains(t)))
            && self
                .author
                .as_deref()
                .map_or(true, |a| author_key.contains(a))
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
