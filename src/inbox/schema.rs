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
    // Fast path: a current, well-typed document parses in one pass.
    if let Ok(store) = serde_json::from_str::<Store>(text) {
        if store.format == FORMAT && store.version == SCHEMA_VERSION {
            return check(store);
        }
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        err(
            format!("line {}, column {}", e.line(), e.column()),
            format!("not valid JSON ({e})"),
        )
    })?;
    let current = value.get("version").and_then(Value::as_u64) == Some(SCHEMA_VERSION);
    migrate(value).map_err(|mut e| {
        // A type error inside a current item or tag: the direct parse knows the position.
        let in_list = e.location.starts_with("items[") || e.location.starts_with("tags[");
        if let (true, true, Err(direct)) = (current, in_list, serde_json::from_str::<Store>(text)) {
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
        obj.insert("permalink".into(), canonical.url.into());
        obj.entry("id").or_insert_with(|| canonical.id.into());
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
        let item = Item::deserialize(v)
            .map_err(|e| err(format!("items[{i}] (id {id:?})"), e.to_string()))?;
        items.push(item);
    }
    check(Store::new(tags, items))
}

/// The checks serde cannot make: a valid vocabulary, and items whose ids match their
/// permalinks (what keeps imports free of duplicates) and whose tags are tag ids.
fn check(store: Store) -> Result<Store, ImportError> {
    let tags = Vocabulary::from_tags(store.tags)
        .map_err(|e| err("tags", e.to_string()))?
        .tags()
        .to_vec();
    for (i, item) in store.items.iter().enumerate() {
        let at = || format!("items[{i}] (id {:?})", item.id);
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
    }
    Ok(Store::new(tags, store.items))
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
    it.update_post(new.permalink, new.text, new.author, new.posted_at);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbox::state::tests::capture;
    use crate::inbox::{Filter, Status};
    use proptest::prelude::*;

    fn sample() -> Inbox {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let mut c = capture(
            "https://x.com/ana/status/1",
            "ana",
            "Où est ma commande ?",
            "2024-05-01T10:00:00Z",
        );
        c.tags = Some(vec!["complaint".into()]);
        inbox.capture(c).unwrap();
        inbox
            .capture(capture(
                "https://www.facebook.com/cafe/posts/9?comment_id=3",
                "",
                "Bravo",
                "2024-05-02T10:00:00Z",
            ))
            .unwrap();
        inbox
    }

    fn import_text(inbox: &mut Inbox, text: &str) -> Result<ImportReport, ImportError> {
        parse_import(text).map(|store| inbox.import(store))
    }

    #[test]
    fn corrupt_files_say_where_and_change_nothing() {
        let mut inbox = sample();
        let before = inbox.to_store();
        let good = inbox.export_json(&Filter::default());
        let cases = [
            ("{\"items\": [", "line 1, column 11"),
            ("[1, 2", "line 1"),
            ("\"just a string\"", "document"),
            ("{\"format\": \"other-app\", \"items\": []}", "format"),
            (
                "{\"format\": \"tact-inbox\", \"version\": 99, \"items\": []}",
                "newer Tact",
            ),
            ("{\"format\": \"tact-inbox\", \"version\": 1}", "items"),
        ];
        for (text, expected) in cases {
            let e = import_text(&mut inbox, text).unwrap_err();
            assert!(e.to_string().contains(expected), "{text}: {e}");
        }
        let bad_time = good.replacen("\"2024-05-01T10:00:00.000Z\"", "\"le 1er mai\"", 1);
        let e = import_text(&mut inbox, &bad_time).unwrap_err();
        assert!(
            e.location.starts_with("items[1] (id \"x:1\") (line "),
            "{e}"
        );
        assert!(e.message.contains("le 1er mai"), "{e}");
        let bad_id = good.replacen("\"x:1\"", "\"x:2\"", 1);
        let e = import_text(&mut inbox, &bad_id).unwrap_err();
        assert!(
            e.location.ends_with(".id") && e.message.contains("x:1"),
            "{e}"
        );
        let bad_tag = good.replacen("\"#C62828\"", "\"red\\\" onload=\\\"x\"", 1);
        let e = import_text(&mut inbox, &bad_tag).unwrap_err();
        assert_eq!(e.location, "tags");
        let bad_status = good.replacen("\"open\"", "\"maybe\"", 1);
        assert!(import_text(&mut inbox, &bad_status).is_err());
        assert_eq!(inbox.to_store(), before, "nothing changed");
    }

    #[test]
    fn version_0_lists_are_migrated_and_unknown_tags_created() {
        let v0 = r#"[{"permalink": "https://twitter.com/Bob/status/5?s=20", "text": "hello",
                      "captured_at": 1714557600000, "tags": ["vip"], "status": "done"}]"#;
        let mut inbox = sample();
        let report = import_text(&mut inbox, v0).unwrap();
        assert_eq!((report.added, report.tags_added), (1, 1));
        let it = inbox.get("x:5").unwrap();
        assert_eq!(
            (it.status, it.tags.as_slice()),
            (Status::Done, &["vip".to_string()][..])
        );
        assert_eq!(it.permalink, "https://x.com/Bob/status/5");
        assert_eq!(
            inbox.vocabulary().get("vip").unwrap().color,
            UNKNOWN_TAG_COLOR
        );
        let e = import_text(&mut inbox, r#"[{"text": "no link", "captured_at": 0}]"#).unwrap_err();
        assert_eq!(e.location, "items[0].permalink");
    }

    #[test]
    fn merging_unions_tags_keeps_both_notes_and_takes_the_files_status() {
        let mut inbox = sample();
        let mut theirs = sample();
        theirs.set_tag(&["x:1"], "lead", true).unwrap();
        theirs.set_status(&["x:1"], Status::Done).unwrap();
        theirs.set_note("x:1", "rappeler").unwrap();
        inbox.set_note("x:1", "VIP").unwrap();
        let report = inbox.import(theirs.to_store());
        assert_eq!((report.added, report.updated, report.unchanged), (0, 1, 1));
        let it = inbox.get("x:1").unwrap();
        assert_eq!(it.tags, ["complaint", "lead"]);
        assert_eq!(
            (it.status, it.note.as_str()),
            (Status::Done, "VIP\n---\nrappeler")
        );
        let again = inbox.import(theirs.to_store());
        assert_eq!(again.updated, 0, "a repeated import changes nothing");
    }

    #[test]
    fn load_reads_a_stored_document() {
        let inbox = sample();
        let value = serde_json::to_value(inbox.to_store()).unwrap();
        let loaded = Inbox::load(value).unwrap();
        assert_eq!(loaded.to_store(), inbox.to_store());
        assert!(Inbox::load(serde_json::json!({"version": "1"})).is_err());
    }

    const WORDS: &[&str] = &[
        "", "=1+1", "\"q\"", "a,b", "<script>", "é\r\nà", "@x", " ", "😀", "-",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(WORDS).prop_map(String::from),
            "\\PC{0,12}",
            prop::collection::vec(prop::sample::select(WORDS), 0..4).prop_map(|w| w.join(" ")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn import_of_export_is_identity(
            posts in prop::collection::vec(
                (0u64..40, text(), text(), text(), prop::collection::vec(0usize..8, 0..3), any::<bool>(), 0i64..4_000_000_000_000, prop::option::of(0i64..4_000_000_000_000)),
                0..30),
            fb in any::<bool>(),
        ) {
            let mut inbox = Inbox::new(Vocabulary::defaults());
            let ids: Vec<String> = inbox.vocabulary().tags().iter().map(|t| t.id.clone()).collect();
            for (n, body, name, note, tags, done, at, posted) in posts {
                let url = if fb && n % 2 == 0 {
                    format!("https://m.facebook.com/p{n}/posts/{n}?__tn__=R")
                } else {
                    format!("https://twitter.com/h{n}/status/{n}")
                };
                let mut c = capture(&url, &format!("h{n}"), &body, "2024-01-01T00:00:00Z");
                c.author.name = name;
                c.captured_at = crate::inbox::Timestamp(at);
                c.posted_at = posted.map(crate::inbox::Timestamp);
                c.note = Some(note);
                c.tags = Some(tags.iter().map(|&i| ids[i].clone()).collect());
                c.status = Some(if done { Status::Done } else { Status::Open });
                inbox.capture(c).unwrap();
            }
            let json = inbox.export_json(&Filter::default());
            let mut back = Inbox::new(Vocabulary::empty());
            back.import(parse_import(&json).unwrap());
            prop_assert_eq!(back.to_store(), inbox.to_store());
        }
    }
}
