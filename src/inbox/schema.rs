//! The persisted and exported form of the inbox, its schema version and migrations, and
//! JSON import.
//!
//! One document shape serves the extension's storage, the JSON export and the import:
//! `{ "format": "tact-inbox", "version": 1, "tags": [Tag…], "items": [Item…] }`.
//! [`migrate`] brings any older shape to the current one; every check runs before the
//! inbox is touched, so a corrupt file changes nothing.
//!
//! Versions:
//! - 0 — a bare JSON array of items, or an object with `items` and no `version` (lists
//!   written by hand or by other tools): ids and networks are derived from permalinks.
//! - 1 — the current shape.

use super::model::Item;
use super::permalink::canonicalize;
use super::state::Inbox;
use super::tags::{is_tag_id, Tag, TagNames, Vocabulary};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

pub const FORMAT: &str = "tact-inbox";
pub const SCHEMA_VERSION: u64 = 1;

/// The inbox as stored and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    pub format: String,
    pub version: u64,
    pub tags: Vec<Tag>,
    pub items: Vec<Item>,
}

impl Store {
    pub fn new(tags: Vec<Tag>, items: Vec<Item>) -> Store {
        Store {
            format: FORMAT.into(),
            version: SCHEMA_VERSION,
            tags,
            items,
        }
    }

    /// Pretty JSON, so an import error's line number points somewhere useful.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Why a document cannot be loaded: where (a line and column, or an item and field)
/// and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub location: String,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}; nothing was imported",
            self.location, self.message
        )
    }
}

impl std::error::Error for ImportError {}

fn err(location: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError {
        location: location.into(),
        message: message.into(),
    }
}

/// Parses an import file or stored document. JSON syntax errors name the line and
/// column; content errors name the item (and the line and column when they can).
pub fn parse_import(text: &str) -> Result<Store, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        err(
            format!("line {}, column {}", e.line(), e.column()),
            format!("not valid JSON ({e})"),
        )
    })?;
    migrate(value).map_err(|mut e| {
        // A type error inside an item: the direct parse knows the exact position.
        if let Err(direct) = serde_json::from_str::<Store>(text) {
            if direct.is_data() {
                e.location = format!(
                    "{} (line {}, column {})",
                    e.location,
                    direct.line(),
                    direct.column()
                );
            }
        }
        e
    })
}

/// Brings a stored or imported document of any known version to the current [`Store`],
/// checking everything: tags valid, items complete, ids matching their permalinks.
pub fn migrate(value: Value) -> Result<Store, ImportError> {
    let (version, mut doc) = match value {
        Value::Array(items) => (
            0,
            Map::from_iter([("items".to_string(), Value::Array(items))]),
        ),
        Value::Object(doc) => {
            if let Some(f) = doc.get("format").filter(|f| f.as_str() != Some(FORMAT)) {
                return Err(err(
                    "format",
                    format!("{f} is not a Tact inbox file (expected \"{FORMAT}\")"),
                ));
            }
            let version = match doc.get("version") {
                None => 0,
                Some(v) => v
                    .as_u64()
                    .ok_or_else(|| err("version", format!("{v} is not a schema version number")))?,
            };
            (version, doc)
        }
        _ => {
            return Err(err(
                "document",
                "expected an object with \"items\" (a Tact inbox export)",
            ))
        }
    };
    if version > SCHEMA_VERSION {
        return Err(err(
            "version",
            format!("schema {version} was written by a newer Tact (this one reads up to {SCHEMA_VERSION}); update the extension"),
        ));
    }
    if version == 0 {
        doc = from_v0(doc)?;
    }
    read_current(doc)
}

/// Version 0 → 1: derive missing ids and networks from permalinks, add format, version
/// and an empty vocabulary (tags the items use are created on import).
fn from_v0(mut doc: Map<String, Value>) -> Result<Map<String, Value>, ImportError> {
    let Some(Value::Array(items)) = doc.get_mut("items") else {
        return Err(err("items", "missing: expected a list of captured items"));
    };
    for (i, item) in items.iter_mut().enumerate() {
        let Value::Object(obj) = item else {
            return Err(err(format!("items[{i}]"), "expected an object"));
        };
        let permalink = obj
            .get("permalink")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let canonical = canonicalize(permalink)
            .map_err(|e| err(format!("items[{i}].permalink"), e.to_string()))?;
        obj.entry("id")
            .or_insert_with(|| canonical.id.clone().into());
        obj.entry("network")
            .or_insert_with(|| canonical.network.as_str().into());
    }
    doc.entry("tags")
        .or_insert_with(|| Value::Array(Vec::new()));
    doc.insert("format".into(), FORMAT.into());
    doc.insert("version".into(), SCHEMA_VERSION.into());
    Ok(doc)
}

fn read_current(mut doc: Map<String, Value>) -> Result<Store, ImportError> {
    let tags = match doc.remove("tags") {
        None => Vec::new(),
        Some(Value::Array(tags)) => tags
            .into_iter()
            .enumerate()
            .map(|(i, t)| Tag::deserialize(t).map_err(|e| err(format!("tags[{i}]"), e.to_string())))
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(err("tags", "expected a list of tags")),
    };
    let tags = Vocabulary::from_tags(tags)
        .map_err(|e| err("tags", e.to_string()))?
        .tags()
        .to_vec();
    let Some(Value::Array(raw)) = doc.remove("items") else {
        return Err(err("items", "missing: expected a list of captured items"));
    };
    let mut items = Vec::with_capacity(raw.len());
    for (i, v) in raw.into_iter().enumerate() {
        let id = v
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let at = || format!("items[{i}] (id {id:?})");
        let item = Item::deserialize(v).map_err(|e| err(at(), e.to_string()))?;
        let canonical = canonicalize(&item.permalink)
            .map_err(|e| err(format!("{}.permalink", at()), e.to_string()))?;
        if canonical.id != item.id || canonical.network != item.network {
            return Err(err(
                format!("{}.id", at()),
                format!(
                    "does not match its permalink (expected id {:?}, network {:?})",
                    canonical.id,
                    canonical.network.as_str()
                ),
            ));
        }
        if let Some(bad) = item.tags.iter().find(|t| !is_tag_id(t)) {
            return Err(err(
                format!("{}.tags", at()),
                format!("{bad:?} is not a tag id"),
            ));
        }
        items.push(item);
    }
    Ok(Store::new(tags, items))
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub tags_added: usize,
}

/// Grey for tags that items use but no vocabulary describes.
const UNKNOWN_TAG_COLOR: &str = "#616161";

impl Inbox {
    /// An inbox from a stored document of any known version.
    pub fn load(value: Value) -> Result<Inbox, ImportError> {
        let store = migrate(value)?;
        let mut inbox = Inbox::new(Vocabulary::empty());
        inbox.import(store);
        Ok(inbox)
    }

    /// Everything, for storage or a full export.
    pub fn to_store(&self) -> Store {
        Store::new(
            self.vocabulary().tags().to_vec(),
            self.iter().cloned().collect(),
        )
    }

    /// Merges a checked document into the inbox with no duplicates. Tags: unknown ids are
    /// added (local names, colours and digits win). Items: new ones are added; for an
    /// existing id, text, author, permalink and post time come from the file when it has
    /// them, tags are the union, status is the file's, and notes are kept both (one
    /// containing the other keeps the longer).
    pub fn import(&mut self, store: Store) -> ImportReport {
        let mut report = ImportReport::default();
        for tag in store.tags {
            if self.vocabulary().get(&tag.id).is_none() && self.vocabulary_mut().insert(tag).is_ok()
            {
                report.tags_added += 1;
            }
        }
        for item in store.items {
            for t in &item.tags {
                if self.vocabulary().get(t).is_none() {
                    let placeholder = Tag {
                        id: t.clone(),
                        names: TagNames {
                            en: t.clone(),
                            fr: t.clone(),
                        },
                        color: UNKNOWN_TAG_COLOR.into(),
                        digit: None,
                    };
                    if self.vocabulary_mut().insert(placeholder).is_ok() {
                        report.tags_added += 1;
                    }
                }
            }
            if self.get(&item.id).is_none() {
                self.insert(item);
                report.added += 1;
                continue;
            }
            let mut changed = false;
            let id = item.id.clone();
            // The id exists (checked above), so `edit` cannot fail.
            let _ = self.edit(&id, |it| {
                let before = it.clone();
                merge_item(it, item);
                changed = *it != before;
            });
            if changed {
                report.updated += 1;
            } else {
                report.unchanged += 1;
            }
        }
        report
    }
}

fn merge_item(it: &mut Item, new: Item) {
    it.permalink = new.permalink;
    if !new.text.is_empty() {
        it.text = new.text;
    }
    if !new.author.handle.is_empty() || !new.author.name.is_empty() {
        it.author = new.author;
    }
    it.posted_at = new.posted_at.or(it.posted_at);
    for t in new.tags {
        if !it.tags.contains(&t) {
            it.tags.push(t);
        }
    }
    it.status = new.status;
    if new.note.contains(it.note.as_str()) {
        it.note = new.note;
    } else if !it.note.contains(new.note.as_str()) {
        it.note = format!("{}\n---\n{}", it.note, new.note);
    }
}
