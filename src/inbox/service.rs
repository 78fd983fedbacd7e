//! The inbox as the background worker serves it: one JSON request in, one reply out, plus
//! the storage writes and sync-queue entries the request caused.
//!
//! The worker owns storage (one key per item, one for the vocabulary) and applies
//! [`Writes`] as told; the pages (in-page tagging, the inbox page, the options page) only
//! send [`Request`]s. Every change is also expressed as the sync protocol's register
//! writes ([`crate::sync::ops::Change`]) so the team store can be fed from the same queue.

use super::chart::{render_svg, Period};
use super::export::CsvOptions;
use super::filter::Filter;
use super::model::{Item, Status};
use super::schema::{migrate, parse_import, FORMAT, SCHEMA_VERSION};
use super::sighting::Sighting;
use super::state::{Capture, Inbox, InboxError};
use super::stats::{compute, StatsRequest};
use super::tags::{Tag, Vocabulary};
use super::time::Timestamp;
use crate::sync::ids::TagId;
use crate::sync::ops::{self, Change};
use crate::sync::wire::TagDef;
use crate::text::lang::Lang;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A tag vocabulary edit from the options page.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TagEdit {
    Add {
        name: String,
        color: Option<String>,
    },
    Rename {
        id: String,
        name: String,
        lang: Option<String>,
    },
    Recolor {
        id: String,
        color: String,
    },
    Digit {
        id: String,
        digit: Option<u8>,
    },
    Reorder {
        ids: Vec<String>,
    },
    Delete {
        id: String,
    },
}

impl TagEdit {
    /// Whether the edit changes the team's vocabulary (names, colours, which tags exist);
    /// shortcut digits and the order are each CM's own.
    pub fn is_team_vocabulary(&self) -> bool {
        !matches!(self, TagEdit::Digit { .. } | TagEdit::Reorder { .. })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// The vocabulary and the tags of every tagged item, for the page's buttons.
    Tagged,
    /// Captures the post (or refreshes it) and toggles one tag on it.
    Toggle {
        sighting: Sighting,
        tag: String,
    },
    Query {
        #[serde(default)]
        filter: Filter,
        #[serde(default)]
        offset: usize,
        #[serde(default = "page_size")]
        limit: usize,
    },
    SetStatus {
        ids: Vec<String>,
        status: Status,
    },
    SetTag {
        ids: Vec<String>,
        tag: String,
        on: bool,
    },
    SetNote {
        id: String,
        note: String,
    },
    Remove {
        ids: Vec<String>,
    },
    ExportCsv {
        #[serde(default)]
        filter: Filter,
        #[serde(default)]
        semicolon: bool,
        #[serde(default)]
        lang: String,
    },
    ExportJson {
        #[serde(default)]
        filter: Filter,
    },
    Import {
        text: String,
    },
    Stats {
        #[serde(default)]
        request: StatsRequest,
        #[serde(default)]
        weekly: bool,
        #[serde(default)]
        lang: String,
    },
    Tags,
    EditTags {
        edit: TagEdit,
    },
}

fn page_size() -> usize {
    100
}

/// One register write waiting for the team store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Queued {
    pub item: String,
    pub change: Change,
    /// When the CM made the change (epoch ms), for the sync client's clock.
    pub at: i64,
}

/// What storage must do after a request.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Writes {
    pub put: Vec<Item>,
    pub delete: Vec<String>,
    /// The stored vocabulary document (`{ format, version, tags }`), when it changed.
    pub meta: Option<Value>,
    pub queue: Vec<Queued>,
}

impl Writes {
    pub fn is_empty(&self) -> bool {
        self.put.is_empty() && self.delete.is_empty() && self.meta.is_none()
    }
}

/// A reply (always `{ ok, … }`) and the writes behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub reply: Value,
    pub writes: Writes,
}

fn lang_of(s: &str) -> Lang {
    if s.to_ascii_lowercase().starts_with("fr") {
        Lang::Fr
    } else {
        Lang::En
    }
}

fn sync_status(s: Status) -> ops::Status {
    match s {
        Status::Open => ops::Status::Open,
        Status::Done => ops::Status::Done,
    }
}

fn capture_change(it: &Item) -> Change {
    Change::Capture {
        capture: ops::Capture {
            network: it.network.as_str().into(),
            permalink: it.permalink.clone(),
            author: ops::Author {
                handle: it.author.handle.clone(),
                name: it.author.name.clone(),
            },
            text: it.text.clone(),
            posted_at: it.posted_at.map(|t| t.0),
            captured_at: it.captured_at.0,
            captured_by: it.captured_by.clone(),
        },
    }
}

/// The register writes that turn `before` (absent for a new item) into `after`.
fn changes(before: Option<&Item>, after: &Item) -> Vec<Change> {
    let mut out = Vec::new();
    let same_post = before.is_some_and(|b| {
        b.permalink == after.permalink
            && b.author == after.author
            && b.text == after.text
            && b.posted_at == after.posted_at
    });
    if !same_post {
        out.push(capture_change(after));
    }
    if before.map_or(after.status != Status::Open, |b| b.status != after.status) {
        out.push(Change::Status {
            status: sync_status(after.status),
        });
    }
    if before.map_or(!after.note.is_empty(), |b| b.note != after.note) {
        out.push(Change::Note {
            note: after.note.clone(),
        });
    }
    let had = |t: &String| before.is_some_and(|b| b.tags.contains(t));
    let added = after.tags.iter().filter(|t| !had(t)).map(|t| (t, true));
    let removed = before
        .map(|b| {
            b.tags
                .iter()
                .filter(|t| !after.tags.contains(t))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t, false));
    for (tag, present) in added.chain(removed) {
        if let Ok(tag) = TagId::try_from(tag.clone()) {
            out.push(Change::Tag { tag, present });
        }
    }
    out
}

fn error(e: impl std::fmt::Display) -> Outcome {
    Outcome {
        reply: json!({ "ok": false, "error": e.to_string() }),
        writes: Writes::default(),
    }
}

fn ok(mut reply: Value) -> Value {
    if let Some(map) = reply.as_object_mut() {
        map.insert("ok".into(), Value::Bool(true));
    }
    reply
}

/// The inbox loaded from storage, answering requests.
pub struct Service {
    inbox: Inbox,
}

impl Service {
    /// Loads the stored vocabulary document (`{ format, version, tags }`, or nothing on a
    /// fresh install) and items. Returns the writes that bring storage to the current
    /// schema (everything, after a migration; nothing otherwise).
    pub fn open(meta: Option<Value>, items: Vec<Value>) -> Result<(Service, Writes), String> {
        let Some(meta) = meta else {
            let inbox = Inbox::new(Vocabulary::defaults());
            let writes = Writes {
                meta: Some(Service::meta(inbox.vocabulary().tags())),
                ..Writes::default()
            };
            return Ok((Service { inbox }, writes));
        };
        let version = meta.get("version").and_then(Value::as_u64);
        let mut doc = meta;
        if let Some(map) = doc.as_object_mut() {
            map.insert("items".into(), Value::Array(items));
        }
        let store = migrate(doc).map_err(|e| format!("stored inbox: {e}"))?;
        let mut inbox = Inbox::new(Vocabulary::empty());
        inbox.import(store);
        let writes = if version == Some(SCHEMA_VERSION) {
            Writes::default()
        } else {
            Writes {
                put: inbox.iter().cloned().collect(),
                meta: Some(Service::meta(inbox.vocabulary().tags())),
                ..Writes::default()
            }
        };
        Ok((Service { inbox }, writes))
    }

    /// The stored vocabulary document for `tags`.
    pub fn meta(tags: &[Tag]) -> Value {
        json!({ "format": FORMAT, "version": SCHEMA_VERSION, "tags": tags })
    }

    pub fn inbox(&self) -> &Inbox {
        &self.inbox
    }

    /// Makes the inbox agree with the team's items as the sync replica merged them (see
    /// [`super::remote`]): the writes store what changed and queue nothing; the messages
    /// name items that could not be taken.
    pub fn apply_remote(&mut self, items: &[crate::sync::ItemView]) -> (Writes, Vec<String>) {
        let (put, problems) = super::remote::merge(&mut self.inbox, items);
        (
            Writes {
                put,
                ..Writes::default()
            },
            problems,
        )
    }

    /// Takes the team's tag vocabulary (see [`super::remote::team_tags`]): the writes
    /// store the new vocabulary when it changed, and the items that lost a removed tag.
    pub fn apply_team_tags(&mut self, tags: &[TagDef], removed: &[TagId]) -> (Writes, Vec<String>) {
        let taken = super::remote::team_tags(&mut self.inbox, tags, removed);
        let meta = taken
            .vocabulary
            .then(|| Service::meta(self.inbox.vocabulary().tags()));
        (
            Writes {
                put: taken.items,
                meta,
                ..Writes::default()
            },
            taken.problems,
        )
    }

    /// This inbox's vocabulary as the team's tags (an admin publishing it), labelled in
    /// the language `lang` names (`fr…` or else English); `held` the team's tags now.
    pub fn team_tag_defs(&self, lang: &str, held: &[TagDef]) -> Vec<TagDef> {
        super::remote::team_defs(&self.inbox, lang_of(lang), held)
    }

    /// Answers one request made at `now` by `captured_by` (the CM's configured name).
    pub fn handle(&mut self, request: Request, now: Timestamp, captured_by: &str) -> Outcome {
        match self.apply(request, now, captured_by) {
            Ok(outcome) => outcome,
            Err(e) => error(e),
        }
    }

    fn apply(
        &mut self,
        request: Request,
        now: Timestamp,
        captured_by: &str,
    ) -> Result<Outcome, InboxError> {
        let read = |reply: Value| Outcome {
            reply: ok(reply),
            writes: Writes::default(),
        };
        Ok(match request {
            Request::Tagged => read(self.tagged()),
            Request::Tags => read(json!({ "tags": self.inbox.vocabulary().tags() })),
            Request::Query {
                filter,
                offset,
                limit,
            } => {
                let page = self.inbox.page(&filter, offset, limit);
                read(json!({ "total": page.total, "items": page.items }))
            }
            Request::Toggle { sighting, tag } => self.toggle(&sighting, &tag, now, captured_by)?,
            Request::SetStatus { ids, status } => {
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                self.edit(&ids, now, |inbox| inbox.set_status(&ids, status))?
            }
            Request::SetTag { ids, tag, on } => {
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                self.edit(&ids, now, |inbox| inbox.set_tag(&ids, &tag, on))?
            }
            Request::SetNote { id, note } => self.edit(&[id.as_str()], now, |inbox| {
                inbox.set_note(&id, &note).map(|()| 1)
            })?,
            Request::Remove { ids } => {
                let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                let existing: Vec<String> = ids
                    .iter()
                    .filter(|id| self.inbox.get(id).is_some())
                    .cloned()
                    .collect();
                let removed = self.inbox.remove(&refs);
                Outcome {
                    reply: ok(json!({ "changed": removed })),
                    writes: Writes {
                        delete: existing,
                        ..Writes::default()
                    },
                }
            }
            Request::ExportCsv {
                filter,
                semicolon,
                lang,
            } => {
                let opts = CsvOptions {
                    delimiter: if semicolon { ';' } else { ',' },
                    lang: lang_of(&lang),
                };
                read(json!({ "text": self.inbox.export_csv(&filter, opts) }))
            }
            Request::ExportJson { filter } => {
                read(json!({ "text": self.inbox.export_json(&filter) }))
            }
            Request::Import { text } => match parse_import(&text) {
                Err(e) => error(e),
                Ok(store) => {
                    let before: Vec<Option<Item>> = store
                        .items
                        .iter()
                        .map(|it| self.inbox.get(&it.id).cloned())
                        .collect();
                    let ids: Vec<String> = store.items.iter().map(|it| it.id.clone()).collect();
                    let report = self.inbox.import(store);
                    let mut writes = Writes {
                        meta: Some(Service::meta(self.inbox.vocabulary().tags())),
                        ..Writes::default()
                    };
                    for (id, before) in ids.iter().zip(before) {
                        self.record(id, before.as_ref(), now, &mut writes);
                    }
                    Outcome {
                        reply: ok(json!({ "report": report })),
                        writes,
                    }
                }
            },
            Request::Stats {
                request,
                weekly,
                lang,
            } => {
                let lang = lang_of(&lang);
                match compute(&self.inbox, &request, lang) {
                    Err(e) => error(e),
                    Ok(stats) => {
                        let period = if weekly { Period::Week } else { Period::Day };
                        let svg = render_svg(&stats.chart(period, lang));
                        read(json!({ "stats": stats, "svg": svg }))
                    }
                }
            }
            Request::EditTags { edit } => self.edit_tags(edit)?,
        })
    }

    fn tagged(&self) -> Value {
        let items: serde_json::Map<String, Value> = self
            .inbox
            .iter()
            .filter(|it| !it.tags.is_empty())
            .map(|it| (it.id.clone(), json!(it.tags)))
            .collect();
        json!({ "tags": self.inbox.vocabulary().tags(), "items": items })
    }

    /// Queues the changes of item `id` since `before` and stores it.
    fn record(&self, id: &str, before: Option<&Item>, now: Timestamp, writes: &mut Writes) {
        let Some(after) = self.inbox.get(id) else {
            return;
        };
        let changes = changes(before, after);
        if changes.is_empty() {
            return;
        }
        writes
            .queue
            .extend(changes.into_iter().map(|change| Queued {
                item: id.to_string(),
                change,
                at: now.0,
            }));
        writes.put.push(after.clone());
    }

    fn toggle(
        &mut self,
        sighting: &Sighting,
        tag: &str,
        now: Timestamp,
        captured_by: &str,
    ) -> Result<Outcome, InboxError> {
        if self.inbox.vocabulary().get(tag).is_none() {
            return Err(InboxError::UnknownTag(tag.to_string()));
        }
        let capture: Capture = sighting.capture(now, captured_by);
        // The same rules on an empty inbox give the item id without touching this one.
        let mut probe = Inbox::new(Vocabulary::empty());
        let id = probe.capture(capture.clone())?.id;
        let before = self.inbox.get(&id).cloned();
        let captured = self.inbox.capture(capture)?;
        let on = self.inbox.toggle_tag(&captured.id, tag)?;
        let mut warnings = captured.warnings;
        if sighting.promoted {
            warnings.push("this is a promoted post (an advert)".into());
        }
        let mut writes = Writes::default();
        self.record(&captured.id, before.as_ref(), now, &mut writes);
        let tags = self
            .inbox
            .get(&captured.id)
            .map(|it| it.tags.clone())
            .unwrap_or_default();
        Ok(Outcome {
            reply: ok(json!({
                "id": captured.id,
                "created": captured.created,
                "on": on,
                "tags": tags,
                "warnings": warnings,
            })),
            writes,
        })
    }

    /// Runs a change on existing items and records what it changed.
    fn edit(
        &mut self,
        ids: &[&str],
        now: Timestamp,
        change: impl FnOnce(&mut Inbox) -> Result<usize, InboxError>,
    ) -> Result<Outcome, InboxError> {
        let before: Vec<Option<Item>> = ids.iter().map(|id| self.inbox.get(id).cloned()).collect();
        let changed = change(&mut self.inbox)?;
        let mut writes = Writes::default();
        for (id, before) in ids.iter().zip(before) {
            self.record(id, before.as_ref(), now, &mut writes);
        }
        Ok(Outcome {
            reply: ok(json!({ "changed": changed })),
            writes,
        })
    }

    fn edit_tags(&mut self, edit: TagEdit) -> Result<Outcome, InboxError> {
        let mut put = Vec::new();
        let mut reply = json!({});
        let vocabulary = self.inbox.vocabulary_mut();
        match edit {
            TagEdit::Add { name, color } => {
                let id = vocabulary.add(&name, color.as_deref())?;
                reply = json!({ "id": id });
            }
            TagEdit::Rename { id, name, lang } => {
                vocabulary.rename(&id, lang.as_deref().map(lang_of), &name)?
            }
            TagEdit::Recolor { id, color } => vocabulary.recolor(&id, &color)?,
            TagEdit::Digit { id, digit } => vocabulary.set_digit(&id, digit)?,
            TagEdit::Reorder { ids } => {
                vocabulary.reorder(&ids.iter().map(String::as_str).collect::<Vec<_>>())?
            }
            TagEdit::Delete { id } => {
                self.inbox.delete_tag(&id)?;
                // Items lose the tag locally; the store keeps its history (no queue entry:
                // deleting a vocabulary entry is the team's choice, not an item edit).
                put = self.inbox.iter().cloned().collect();
            }
        }
        let tags = self.inbox.vocabulary().tags();
        reply["tags"] = json!(tags);
        Ok(Outcome {
            reply: ok(reply),
            writes: Writes {
                put,
                meta: Some(Service::meta(tags)),
                ..Writes::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Service {
        Service::open(None, vec![]).unwrap().0
    }

    fn req(json: Value) -> Request {
        serde_json::from_value(json).unwrap()
    }

    fn tweet(id: &str) -> Value {
        json!({
            "permalink": format!("https://x.com/TestUser123/status/{id}?s=20"),
            "page_url": "https://x.com/home",
            "author_name": "Test User Account",
            "author_href": "https://x.com/TestUser123",
            "handle_text": "@TestUser123",
            "text": "Democrat Shutdown Jeopardizes America's Skies",
            "datetime": "2025-10-23T16:34:09.000Z",
        })
    }

    #[test]
    fn a_fresh_install_stores_the_default_tags() {
        let (s, writes) = Service::open(None, vec![]).unwrap();
        assert_eq!(s.inbox().vocabulary().tags().len(), 8);
        let stored = writes.meta.unwrap();
        assert_eq!(stored["tags"].as_array().map(Vec::len), Some(8));
        assert_eq!(stored["version"], SCHEMA_VERSION);
    }

    #[test]
    fn toggling_twice_is_one_item_and_every_change_is_queued() {
        let mut s = service();
        let at = Timestamp(1_700_000_000_000);
        let out = s.handle(
            req(json!({"op":"toggle","sighting":tweet("1"),"tag":"lead"})),
            at,
            "Léa",
        );
        assert_eq!(out.reply["ok"], true, "{}", out.reply);
        assert_eq!(out.reply["id"], "x:1");
        assert_eq!(out.reply["tags"], json!(["lead"]));
        assert_eq!(out.writes.put.len(), 1);
        assert_eq!(out.writes.put[0].captured_by, "Léa");
        assert_eq!(
            out.writes.put[0].permalink,
            "https://x.com/TestUser123/status/1"
        );
        let fields: Vec<String> = out
            .writes
            .queue
            .iter()
            .map(|q| serde_json::to_value(&q.change).unwrap()["field"].to_string())
            .collect();
        assert_eq!(fields, ["\"capture\"", "\"tag\""]);
        let out = s.handle(
            req(json!({"op":"toggle","sighting":tweet("1"),"tag":"crisis"})),
            at,
            "Léa",
        );
        assert_eq!(out.reply["tags"], json!(["lead", "crisis"]));
        assert_eq!(
            out.writes.queue.len(),
            1,
            "the post did not change: only the tag"
        );
        let out = s.handle(
            req(json!({"op":"toggle","sighting":tweet("1"),"tag":"lead"})),
            at,
            "",
        );
        assert_eq!(out.reply["on"], false);
        assert_eq!(s.inbox().len(), 1);
        let tagged = s.handle(req(json!({"op":"tagged"})), at, "").reply;
        assert_eq!(tagged["items"]["x:1"], json!(["crisis"]));
    }

    #[test]
    fn unknown_tags_and_stale_ids_change_nothing() {
        let mut s = service();
        let at = Timestamp(0);
        let out = s.handle(
            req(json!({"op":"toggle","sighting":tweet("1"),"tag":"nope"})),
            at,
            "",
        );
        assert_eq!(out.reply["ok"], false);
        assert!(out.writes.is_empty());
        assert!(s.inbox().is_empty());
        let out = s.handle(
            req(json!({"op":"set_status","ids":["x:9"],"status":"done"})),
            at,
            "",
        );
        assert_eq!(out.reply["ok"], false);
        assert!(out.reply["error"].as_str().unwrap().contains("x:9"));
    }

    #[test]
    fn export_then_import_round_trips_and_corrupt_files_change_nothing() {
        let mut s = service();
        let at = Timestamp(1_700_000_000_000);
        for id in ["1", "2"] {
            s.handle(
                req(json!({"op":"toggle","sighting":tweet(id),"tag":"bug"})),
                at,
                "",
            );
        }
        s.handle(
            req(json!({"op":"set_note","id":"x:2","note":"rappeler"})),
            at,
            "",
        );
        let csv = s.handle(req(json!({"op":"export_csv"})), at, "").reply;
        assert!(csv["text"].as_str().unwrap().starts_with('\u{feff}'));
        let json_text = s.handle(req(json!({"op":"export_json"})), at, "").reply["text"].clone();
        let mut other = service();
        let bad = other.handle(req(json!({"op":"import","text":"{\"items\": [1,"})), at, "");
        assert_eq!(bad.reply["ok"], false);
        assert!(
            bad.reply["error"].as_str().unwrap().contains("line 1"),
            "{}",
            bad.reply
        );
        assert!(other.inbox().is_empty() && bad.writes.is_empty());
        let out = other.handle(req(json!({"op":"import","text":json_text})), at, "");
        assert_eq!(out.reply["report"]["added"], 2, "{}", out.reply);
        assert_eq!(out.writes.put.len(), 2);
        assert_eq!(
            other.inbox().get("x:2").map(|i| i.note.as_str()),
            Some("rappeler")
        );
        let again = other.handle(req(json!({"op":"import","text":json_text})), at, "");
        assert_eq!(again.reply["report"]["unchanged"], 2);
        assert!(again.writes.put.is_empty() && again.writes.queue.is_empty());
    }

    #[test]
    fn stored_items_reload_and_old_schemas_are_rewritten() {
        let mut s = service();
        let out = s.handle(
            req(json!({"op":"toggle","sighting":tweet("5"),"tag":"press"})),
            Timestamp(0),
            "",
        );
        let items: Vec<Value> = out
            .writes
            .put
            .iter()
            .map(|i| serde_json::to_value(i).unwrap())
            .collect();
        let meta = Service::meta(s.inbox().vocabulary().tags());
        let (again, writes) = Service::open(Some(meta.clone()), items.clone()).unwrap();
        assert_eq!(
            again.inbox().get("x:5").map(|i| i.tags.clone()),
            Some(vec!["press".into()])
        );
        assert!(writes.is_empty());
        let mut old = meta;
        old.as_object_mut().unwrap().remove("version");
        old.as_object_mut().unwrap().remove("format");
        let (_, writes) = Service::open(Some(old), items).unwrap();
        assert_eq!(
            writes.put.len(),
            1,
            "a migrated store is written back whole"
        );
    }

    #[test]
    fn stats_come_with_a_chart_and_tag_edits_keep_items() {
        let mut s = service();
        let at = Timestamp(1_700_000_000_000);
        s.handle(
            req(json!({"op":"toggle","sighting":tweet("1"),"tag":"praise"})),
            at,
            "",
        );
        let out = s.handle(req(json!({"op":"stats","lang":"fr"})), at, "");
        assert_eq!(out.reply["stats"]["total"], 1);
        assert!(out.reply["svg"].as_str().unwrap().starts_with("<svg"));
        let out = s.handle(
            req(json!({"op":"edit_tags","edit":{"action":"rename","id":"praise","name":"Bravo"}})),
            at,
            "",
        );
        assert_eq!(out.reply["ok"], true, "{}", out.reply);
        assert!(out.writes.meta.is_some());
        assert_eq!(
            s.inbox().get("x:1").map(|i| i.tags.clone()),
            Some(vec!["praise".into()])
        );
    }
}
