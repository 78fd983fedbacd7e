//! The inbox in memory: items, the tag vocabulary, and the indexes that keep listing and
//! searching 50,000 items within a frame (newest-first order, folded search text).
//!
//! Every change goes through here so the indexes never go stale.

use super::filter::{author_key, Filter, Matcher};
use super::index::{all_words, for_each_token, Dictionary};
use super::model::{Author, Item, Network, Status};
use super::permalink::{canonicalize, is_x_handle, x_status_url, PermalinkError};
use super::tags::{TagError, Vocabulary};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::cell::OnceCell;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::fmt;

/// What the page layer sends when the CM tags a post.
/// Only `captured_at` is required (the core has no clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// The post's own link as found in the page (may be empty when the pack found none).
    #[serde(default)]
    pub permalink: String,
    /// The page's address: the fallback when the post has no permalink.
    #[serde(default)]
    pub page_url: String,
    #[serde(default)]
    pub author: Author,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub posted_at: Option<Timestamp>,
    pub captured_at: Timestamp,
    #[serde(default)]
    pub captured_by: String,
    /// `None` keeps an existing item's tags (a new item gets none).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The result of a capture: which item, whether it is new, and what the CM should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Captured {
    pub id: String,
    pub created: bool,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboxError {
    UnknownItem(String),
    UnknownTag(String),
    /// Neither the permalink nor the page address could be used.
    NoAddress(PermalinkError),
    Tag(TagError),
}

impl fmt::Display for InboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InboxError::UnknownItem(id) => write!(f, "no inbox item with id {id:?}"),
            InboxError::UnknownTag(id) => {
                write!(f, "no tag with id {id:?}: reload the tag list")
            }
            InboxError::NoAddress(e) => write!(f, "cannot capture: {e}"),
            InboxError::Tag(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for InboxError {}

impl From<TagError> for InboxError {
    fn from(e: TagError) -> Self {
        InboxError::Tag(e)
    }
}

/// One page of results, newest first, with the total the filter matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<'a> {
    pub total: usize,
    pub items: Vec<&'a Item>,
}

#[derive(Debug, Clone, Default)]
pub struct Inbox {
    vocabulary: Vocabulary,
    items: Vec<Item>,
    by_id: HashMap<String, usize>,
    /// Folded search tokens → items, built by the first search: loading 50,000 items
    /// to capture one more (the background worker's usual job) need not pay for it.
    words: OnceCell<Dictionary>,
    /// Folded author handle and name → items.
    authors: Dictionary,
    /// Each item's key number in `authors`, parallel to `items`.
    author_of: Vec<u32>,
    /// Indexes into `items`, newest capture first, then by id.
    order: Vec<usize>,
}

fn newest_first(item: &Item) -> (Reverse<Timestamp>, &str) {
    (Reverse(item.captured_at), item.id.as_str())
}

impl Inbox {
    /// An empty inbox with the given vocabulary.
    pub fn new(vocabulary: Vocabulary) -> Inbox {
        Inbox {
            vocabulary,
            ..Inbox::default()
        }
    }

    /// An inbox holding `items` (ids assumed unique, as a [`super::schema::Store`] checks).
    pub fn with_items(vocabulary: Vocabulary, items: Vec<Item>) -> Inbox {
        let mut inbox = Inbox::new(vocabulary);
        inbox.by_id = items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.id.clone(), i))
            .collect();
        inbox.items = items;
        inbox.author_of = vec![0; inbox.items.len()];
        for i in 0..inbox.items.len() {
            inbox.index_item(i);
        }
        inbox.order = (0..inbox.items.len()).collect();
        let items = &inbox.items;
        inbox
            .order
            .sort_by(|&a, &b| newest_first(&items[a]).cmp(&newest_first(&items[b])));
        inbox
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// For renaming, recolouring, reordering and adding tags; to delete one use
    /// [`Inbox::delete_tag`], which also strips it from items.
    pub fn vocabulary_mut(&mut self) -> &mut Vocabulary {
        &mut self.vocabulary
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Item> {
        self.by_id.get(id).map(|&i| &self.items[i])
    }

    /// All items newest first.
    pub fn iter(&self) -> impl Iterator<Item = &Item> {
        self.order.iter().map(|&i| &self.items[i])
    }

    /// Items matching `filter`, newest first.
    pub fn query(&self, filter: &Filter) -> Vec<&Item> {
        self.matching(filter)
            .into_iter()
            .map(|(it, _)| it)
            .collect()
    }

    /// Items matching `filter`, newest first, with their folded author keys.
    pub(crate) fn matching(&self, filter: &Filter) -> Vec<(&Item, &str)> {
        let m = Matcher::new(filter);
        let n = self.items.len();
        let words = all_words(self.words(), &m.words, n);
        let authors = m
            .author
            .as_deref()
            .map(|a| self.authors.items_containing(a, n));
        self.order
            .iter()
            .filter(|&&i| words.as_ref().is_none_or(|w| w.contains(i)))
            .filter(|&&i| authors.as_ref().is_none_or(|a| a.contains(i)))
            .filter(|&&i| m.matches(&self.items[i]))
            .map(|&i| (&self.items[i], self.authors.key(self.author_of[i])))
            .collect()
    }

    /// `limit` items from `offset` of the filtered list, and the filter's total.
    pub fn page(&self, filter: &Filter, offset: usize, limit: usize) -> Page<'_> {
        let all = self.query(filter);
        Page {
            total: all.len(),
            items: all.into_iter().skip(offset).take(limit).collect(),
        }
    }

    fn check_tags(&self, tags: &[String]) -> Result<(), InboxError> {
        match tags.iter().find(|t| self.vocabulary.get(t).is_none()) {
            Some(t) => Err(InboxError::UnknownTag(t.clone())),
            None => Ok(()),
        }
    }

    /// Captures a post: a new item, or an update of the item with the same canonical
    /// permalink. An update refreshes text, author, post time and permalink (when the new
    /// capture has them) and keeps tags, status and note unless the capture gives them;
    /// the first capture time and capturer stay.
    pub fn capture(&mut self, c: Capture) -> Result<Captured, InboxError> {
        if let Some(tags) = &c.tags {
            self.check_tags(tags)?;
        }
        let mut warnings = Vec::new();
        let canonical = match canonicalize(&c.permalink) {
            Ok(p) if p.is_post => p,
            first => {
                let why = match &first {
                    Err(e) => e.to_string(),
                    Ok(p) => format!("{} is not a post's address", p.url),
                };
                let fallback = canonicalize(&c.page_url)
                    .or(first)
                    .map_err(InboxError::NoAddress)?;
                warnings.push(format!(
                    "no permalink for this post ({why}): captured with the page address {}",
                    fallback.url
                ));
                fallback
            }
        };
        let mut url = canonical.url;
        if canonical.network == Network::X && url.starts_with("https://x.com/i/status/") {
            let handle = c.author.handle.trim_start_matches('@');
            if is_x_handle(handle) {
                url = x_status_url(handle, &canonical.id["x:".len()..]);
            }
        }
        let id = canonical.id;
        let given_tags = c.tags.is_some();
        let mut tags = c.tags.unwrap_or_default();
        dedup_in_order(&mut tags);
        let created = match self.by_id.get(&id) {
            Some(_) => {
                self.edit(&id, |it| {
                    it.update_post(url, c.text, c.author, c.posted_at);
                    if given_tags {
                        it.tags = tags;
                    }
                    it.status = c.status.unwrap_or(it.status);
                    if let Some(note) = c.note {
                        it.note = note;
                    }
                })?;
                false
            }
            None => {
                self.insert(Item {
                    id: id.clone(),
                    network: canonical.network,
                    permalink: url,
                    author: c.author,
                    text: c.text,
                    posted_at: c.posted_at,
                    captured_at: c.captured_at,
                    captured_by: c.captured_by,
                    tags,
                    status: c.status.unwrap_or_default(),
                    note: c.note.unwrap_or_default(),
                });
                true
            }
        };
        Ok(Captured {
            id,
            created,
            warnings,
        })
    }

    /// Adds an item whose id is not yet present, keeping the indexes in order.
    pub(crate) fn insert(&mut self, item: Item) {
        let i = self.items.len();
        let key = newest_first(&item);
        let at = self
            .order
            .partition_point(|&j| newest_first(&self.items[j]) < key);
        self.by_id.insert(item.id.clone(), i);
        self.items.push(item);
        self.author_of.push(0);
        self.index_item(i);
        self.order.insert(at, i);
    }

    /// Changes an existing item in place; `edit` must not change `id` or `captured_at`.
    pub(crate) fn edit(
        &mut self,
        id: &str,
        edit: impl FnOnce(&mut Item),
    ) -> Result<(), InboxError> {
        let &i = self
            .by_id
            .get(id)
            .ok_or_else(|| InboxError::UnknownItem(id.to_string()))?;
        self.unindex_item(i);
        edit(&mut self.items[i]);
        self.index_item(i);
        Ok(())
    }

    fn words(&self) -> &Dictionary {
        self.words.get_or_init(|| {
            let mut words = Dictionary::default();
            for (i, it) in self.items.iter().enumerate() {
                for_each_token(it, |t| {
                    words.add(t, i);
                });
            }
            words
        })
    }

    fn index_item(&mut self, i: usize) {
        if let Some(words) = self.words.get_mut() {
            for_each_token(&self.items[i], |t| {
                words.add(t, i);
            });
        }
        self.author_of[i] = self.authors.add(&author_key(&self.items[i]), i);
    }

    fn unindex_item(&mut self, i: usize) {
        if let Some(words) = self.words.get_mut() {
            for_each_token(&self.items[i], |t| words.remove(t, i));
        }
        let key = self.authors.key(self.author_of[i]).to_string();
        self.authors.remove(&key, i);
    }

    /// Adds or removes one tag (the `Alt+digit` toggle); returns whether it is now on.
    pub fn toggle_tag(&mut self, id: &str, tag: &str) -> Result<bool, InboxError> {
        self.check_tags(&[tag.to_string()])?;
        let mut on = false;
        self.edit(id, |it| match it.tags.iter().position(|t| t == tag) {
            Some(p) => {
                it.tags.remove(p);
            }
            None => {
                it.tags.push(tag.to_string());
                on = true;
            }
        })?;
        Ok(on)
    }

    /// Bulk: adds (`on`) or removes a tag on each listed item; returns how many changed.
    pub fn set_tag(&mut self, ids: &[&str], tag: &str, on: bool) -> Result<usize, InboxError> {
        self.check_tags(&[tag.to_string()])?;
        self.bulk(ids, |it| {
            let has = it.tags.iter().any(|t| t == tag);
            match (has, on) {
                (false, true) => it.tags.push(tag.to_string()),
                (true, false) => it.tags.retain(|t| t != tag),
                _ => return false,
            }
            true
        })
    }

    /// Bulk: marks items open or done; returns how many changed.
    pub fn set_status(&mut self, ids: &[&str], status: Status) -> Result<usize, InboxError> {
        self.bulk(ids, |it| {
            std::mem::replace(&mut it.status, status) != status
        })
    }

    pub fn set_note(&mut self, id: &str, note: &str) -> Result<(), InboxError> {
        self.edit(id, |it| it.note = note.to_string())
    }

    /// Checks every id first, so a bulk action with a stale id changes nothing.
    fn bulk(
        &mut self,
        ids: &[&str],
        mut change: impl FnMut(&mut Item) -> bool,
    ) -> Result<usize, InboxError> {
        if let Some(missing) = ids.iter().find(|id| !self.by_id.contains_key(**id)) {
            return Err(InboxError::UnknownItem(missing.to_string()));
        }
        let mut changed = 0;
        for id in ids {
            self.edit(id, |it| changed += usize::from(change(it)))?;
        }
        Ok(changed)
    }

    /// Deletes items; returns how many existed.
    pub fn remove(&mut self, ids: &[&str]) -> usize {
        let before = self.items.len();
        let mut items = std::mem::take(&mut self.items);
        items.retain(|it| !ids.contains(&it.id.as_str()));
        *self = Inbox::with_items(std::mem::take(&mut self.vocabulary), items);
        before - self.items.len()
    }

    /// Removes a tag from the vocabulary and from every item.
    pub fn delete_tag(&mut self, tag: &str) -> Result<(), InboxError> {
        self.vocabulary.remove(tag)?;
        for it in &mut self.items {
            it.tags.retain(|t| t != tag);
        }
        Ok(())
    }

    /// Consumes the inbox into its parts (vocabulary, items in newest-first order).
    pub fn into_parts(self) -> (Vocabulary, Vec<Item>) {
        let mut slots: Vec<Option<Item>> = self.items.into_iter().map(Some).collect();
        let items = self.order.iter().filter_map(|&i| slots[i].take()).collect();
        (self.vocabulary, items)
    }
}

fn dedup_in_order(tags: &mut Vec<String>) {
    let mut seen = Vec::with_capacity(tags.len());
    tags.retain(|t| {
        let fresh = !seen.contains(t);
        if fresh {
            seen.push(t.clone());
        }
        fresh
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn capture(url: &str, handle: &str, text: &str, at: &str) -> Capture {
        Capture {
            permalink: url.into(),
            page_url: "https://x.com/home".into(),
            author: Author {
                handle: handle.into(),
                name: format!("{handle} Name"),
            },
            text: text.into(),
            posted_at: None,
            captured_at: Timestamp::parse(at).unwrap(),
            captured_by: "Léa".into(),
            tags: None,
            status: None,
            note: None,
        }
    }

    #[test]
    fn capturing_twice_updates_one_item_and_keeps_the_cms_work() {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let mut c = capture(
            "https://twitter.com/ana/status/7?s=20",
            "ana",
            "v1",
            "2024-05-01T10:00:00Z",
        );
        c.tags = Some(vec!["complaint".into(), "complaint".into()]);
        let first = inbox.capture(c).unwrap();
        assert!(first.created && first.warnings.is_empty());
        inbox.set_note(&first.id, "call back").unwrap();
        inbox.set_status(&[&first.id], Status::Done).unwrap();
        let again = capture(
            "https://x.com/ana/status/7/photo/1",
            "ana",
            "v2 edited",
            "2024-05-02T10:00:00Z",
        );
        let second = inbox.capture(again).unwrap();
        assert_eq!((second.id.as_str(), second.created), ("x:7", false));
        assert_eq!(inbox.len(), 1);
        let it = inbox.get("x:7").unwrap();
        assert_eq!(it.text, "v2 edited");
        assert_eq!(it.tags, vec!["complaint"]);
        assert_eq!((it.status, it.note.as_str()), (Status::Done, "call back"));
        assert_eq!(it.captured_at.to_string(), "2024-05-01T10:00:00.000Z");
        let mut with_tags = capture(
            "https://x.com/ana/status/7",
            "ana",
            "",
            "2024-05-03T00:00:00Z",
        );
        with_tags.tags = Some(vec![]);
        with_tags.status = Some(Status::Open);
        inbox.capture(with_tags).unwrap();
        let it = inbox.get("x:7").unwrap();
        assert_eq!(
            (it.tags.len(), it.status, it.text.as_str()),
            (0, Status::Open, "v2 edited")
        );
    }

    #[test]
    fn missing_permalink_falls_back_to_the_page_with_a_warning() {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let mut c = capture("", "ana", "no link", "2024-05-01T10:00:00Z");
        c.page_url = "https://x.com/ana?utm_source=x".into();
        let got = inbox.capture(c.clone()).unwrap();
        assert!(
            got.warnings[0].contains("https://x.com/ana"),
            "{:?}",
            got.warnings
        );
        assert_eq!(inbox.get(&got.id).unwrap().permalink, "https://x.com/ana");
        c.page_url = "javascript:alert(1)".into();
        assert!(matches!(inbox.capture(c), Err(InboxError::NoAddress(_))));
    }

    #[test]
    fn web_status_links_take_the_authors_handle_and_unknown_tags_are_refused() {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let got = inbox
            .capture(capture(
                "https://x.com/i/web/status/99",
                "@Bob_1",
                "hi",
                "2024-05-01T10:00:00Z",
            ))
            .unwrap();
        assert_eq!(
            inbox.get(&got.id).unwrap().permalink,
            "https://x.com/Bob_1/status/99"
        );
        let mut bad = capture("https://x.com/b/status/1", "b", "", "2024-05-01T10:00:00Z");
        bad.tags = Some(vec!["nope".into()]);
        assert_eq!(
            inbox.capture(bad),
            Err(InboxError::UnknownTag("nope".into()))
        );
        assert_eq!(inbox.len(), 1);
    }

    #[test]
    fn toggles_bulk_actions_removal_and_tag_deletion() {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        for n in 1..=3 {
            inbox
                .capture(capture(
                    &format!("https://x.com/a/status/{n}"),
                    "a",
                    "t",
                    &format!("2024-05-0{n}T00:00:00Z"),
                ))
                .unwrap();
        }
        assert!(inbox.toggle_tag("x:1", "lead").unwrap());
        assert!(!inbox.toggle_tag("x:1", "lead").unwrap());
        assert_eq!(inbox.set_tag(&["x:1", "x:2"], "bug", true).unwrap(), 2);
        assert_eq!(inbox.set_tag(&["x:1", "x:2"], "bug", true).unwrap(), 0);
        assert!(inbox.set_status(&["x:1", "x:404"], Status::Done).is_err());
        assert_eq!(
            inbox.get("x:1").unwrap().status,
            Status::Open,
            "nothing changed"
        );
        inbox.delete_tag("bug").unwrap();
        assert!(inbox.get("x:1").unwrap().tags.is_empty());
        assert_eq!(inbox.remove(&["x:2", "x:404"]), 1);
        let ids: Vec<&str> = inbox.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["x:3", "x:1"]);
    }
}
