//! Team sync for the background worker: thin wasm functions over
//! [`crate::sync::client::SyncClient`]. The worker keeps the client's state as a JSON
//! string in `chrome.storage.local` and passes it in and out of every call, so the queue,
//! cursor, backoff, config ETag, role, audit events and an admin's kept edit survive
//! restarts. `fetch`, timers and storage stay in `extension/sync.js`; every decision (what
//! to send, when, whether an edit is allowed, what an answer changes) is the client's.

use super::inbox_api::with_service;
use crate::inbox::service::{Request, Service, Writes};
use crate::sync::admin::ConfigEdit;
use crate::sync::audit::from_page;
use crate::sync::client::{Answered, ConfigChange, Exchange, HttpAnswer, SyncClient};
use crate::sync::{Change, ClientId, ItemId};
use serde::Deserialize;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

fn load(state: &str) -> Result<SyncClient, JsError> {
    serde_json::from_str(state).map_err(|e| JsError::new(&format!("stored sync state: {e}")))
}

fn save(client: &SyncClient) -> Result<String, JsError> {
    serde_json::to_string(client).map_err(|e| JsError::new(&e.to_string()))
}

fn millis(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    }
}

fn exchange(kind: &str) -> Result<Exchange, JsError> {
    Exchange::parse(kind).ok_or_else(|| {
        JsError::new(&format!(
            "sync exchange {kind:?}: expected push, events, me, config_put, config or pull"
        ))
    })
}

/// A fresh client state for this browser profile (`client_id`: `[A-Za-z0-9_-]{1,64}`).
#[wasm_bindgen]
pub fn sync_new(client_id: &str) -> Result<String, JsError> {
    let id = ClientId::try_from(client_id.to_string())
        .map_err(|e| JsError::new(&format!("sync client id: {e}")))?;
    save(&SyncClient::new(id))
}

/// One entry of the inbox's outbox (`inbox:outbox`), as `src/inbox/service.rs` queues it.
#[derive(Deserialize)]
struct Queued {
    item: String,
    change: Change,
    at: i64,
}

/// Takes what the worker queued (`{ outbox, events, edits }`: the inbox's changes, the
/// pages' audit events, the options page's team configuration edits) into the client.
/// Answers `{ state, skipped, config, writes, problems }`: `skipped` names entries that
/// could never be sent or made (dropped, not retried); `config` the team configuration
/// to apply again after a discarded edit (else null), its tags already in `writes`.
#[wasm_bindgen]
pub fn sync_enqueue(state: &str, queues: &str) -> Result<String, JsError> {
    let mut client = load(state)?;
    let mut queues: Value =
        serde_json::from_str(queues).map_err(|e| JsError::new(&format!("sync queues: {e}")))?;
    // Each list read as JSON values, so one bad entry is skipped alone.
    let mut list = |name: &str| match queues.get_mut(name).map(Value::take) {
        Some(Value::Array(entries)) => entries,
        _ => Vec::new(),
    };
    let (outbox, events, edits) = (list("outbox"), list("events"), list("edits"));
    let mut skipped = Vec::new();
    for (n, entry) in outbox.into_iter().enumerate() {
        let queued = serde_json::from_value::<Queued>(entry)
            .map_err(|e| e.to_string())
            .and_then(|q| match ItemId::try_from(q.item) {
                Ok(item) => Ok((item, q.change, q.at)),
                Err(e) => Err(e.to_string()),
            });
        match queued {
            Ok((item, change, at)) => {
                client.record(item, change, u64::try_from(at).unwrap_or(0));
            }
            Err(e) => skipped.push(format!("outbox entry {n}: {e}")),
        }
    }
    for (n, entry) in events.into_iter().enumerate() {
        match from_page(entry) {
            Ok(events) => events.into_iter().for_each(|e| client.record_event(e)),
            Err(e) => skipped.push(format!("events entry {n}: {e}")),
        }
    }
    let mut reapply = None;
    for (n, entry) in edits.into_iter().enumerate() {
        let text = |field: &str| entry[field].as_str().map(str::to_string);
        let edit = match entry["kind"].as_str() {
            // The admin's vocabulary, read from the inbox, labelled in `lang`.
            Some("tags") => {
                let lang = entry["lang"].as_str().unwrap_or_default();
                let held = client.config().map(|c| c.config.tags.clone());
                let defs = with_service(|s| s.team_tag_defs(lang, &held.unwrap_or_default()))
                    .ok_or_else(|| JsError::new("the inbox is not loaded yet"))?;
                ConfigEdit::Tags(defs)
            }
            Some("texts") => match (text("charter"), text("templates")) {
                (Some(charter), Some(templates)) => ConfigEdit::Texts {
                    charter,
                    templates,
                    base_version: entry["base_version"].as_u64(),
                },
                _ => {
                    skipped.push(format!(
                        "team configuration edit {n}: charter and templates must be texts"
                    ));
                    continue;
                }
            },
            Some("reapply") => ConfigEdit::Reapply,
            Some("discard") => ConfigEdit::Discard,
            _ => {
                skipped.push(format!(
                    "team configuration edit {n}: kind must be tags, texts, reapply or discard"
                ));
                continue;
            }
        };
        match client.edit_config(edit) {
            Ok(change) => reapply = change.or(reapply),
            Err(refusal) => skipped.push(format!(
                "team configuration edit {n}: {}",
                refusal.message()
            )),
        }
    }
    let answered = Answered {
        config: reapply,
        ..Answered::default()
    };
    into_inbox(&client, &answered, json!({ "skipped": skipped }))
}

/// Whether an options-page request may change what it asks: `request` is an inbox
/// request (JSON) or `{"op":"edit_config"}`; `connected` whether a store is set. Answers
/// `{ refused, publish }`: `refused` null, `"member"` or `"unknown"` (the role is not
/// known yet); `publish` whether the change goes to the team (an admin's).
#[wasm_bindgen]
pub fn sync_gate(state: &str, connected: bool, request: &str) -> Result<String, JsError> {
    let client = load(state)?;
    // Read from the text, as `inbox_request` reads it (one decoder in the module).
    let team_edit = match serde_json::from_str::<Request>(request) {
        Ok(Request::EditTags { edit }) => edit.is_team_vocabulary(),
        Ok(_) => false,
        Err(_) => serde_json::from_str::<Value>(request).is_ok_and(|r| r["op"] == "edit_config"),
    };
    if !connected || !team_edit {
        return Ok(json!({ "refused": null, "publish": false }).to_string());
    }
    Ok(match client.may_edit_config() {
        Ok(()) => json!({ "refused": null, "publish": true }),
        Err(refusal) => json!({ "refused": refusal, "publish": false }),
    }
    .to_string())
}

/// The request of `kind` (push, events, me, config_put, config, pull) to send now, or ""
/// when none is due: `{ method, path, body?, if_match?, if_none_match? }`. `pulling`:
/// this round also brings the team's changes.
#[wasm_bindgen]
pub fn sync_request(
    kind: &str,
    state: &str,
    now_ms: f64,
    pulling: bool,
) -> Result<String, JsError> {
    let client = load(state)?;
    match client.request(exchange(kind)?, millis(now_ms), pulling) {
        Some(request) => serde_json::to_string(&request).map_err(|e| JsError::new(&e.to_string())),
        None => Ok(String::new()),
    }
}

/// Runs the inbox side of an answer (the items a pull touched, a changed tag vocabulary)
/// on the loaded inbox service and answers `fields` with `state`, `config` (the team
/// configuration to apply, or null), `writes` (inbox storage writes, applied as for any
/// inbox request) and `problems`.
fn into_inbox(
    client: &SyncClient,
    answered: &Answered,
    mut fields: Value,
) -> Result<String, JsError> {
    let config: Option<&ConfigChange> = answered.config.as_ref();
    let (writes, problems) = with_service(|service: &mut Service| {
        let (mut writes, mut problems) = service.apply_remote(&answered.items);
        if let Some(change) = config {
            let (tags, more) = service.apply_team_tags(&change.config.tags, &change.removed_tags);
            writes = Writes {
                put: writes.put.into_iter().chain(tags.put).collect(),
                meta: tags.meta,
                ..writes
            };
            problems.extend(more);
        }
        (writes, problems)
    })
    .ok_or_else(|| JsError::new("the inbox is not loaded yet"))?;
    fields["state"] = Value::String(save(client)?);
    fields["config"] = json!(config.map(|c| &c.config));
    fields["writes"] = json!(writes);
    fields["problems"] = json!(problems);
    Ok(fields.to_string())
}

/// Takes the store's answer (`{ status, body, retry_after_s }`, status 0 when fetch
/// threw) to the request of `kind`: `{ state, again, config, writes, problems }`, `again`
/// true when the next request of that kind should go at once (more to push or pull).
#[wasm_bindgen]
pub fn sync_answer(
    kind: &str,
    state: &str,
    http: &str,
    now_ms: f64,
    jitter: f64,
) -> Result<String, JsError> {
    let mut client = load(state)?;
    let http: HttpAnswer =
        serde_json::from_str(http).map_err(|e| JsError::new(&format!("HTTP answer: {e}")))?;
    let answered = client.answered(exchange(kind)?, &http, millis(now_ms), jitter);
    into_inbox(&client, &answered, json!({ "again": answered.again }))
}

/// What the inbox and options pages show: see [`crate::sync::client::SyncStatus`].
#[wasm_bindgen]
pub fn sync_status(state: &str) -> Result<String, JsError> {
    serde_json::to_string(&load(state)?.status()).map_err(|e| JsError::new(&e.to_string()))
}

/// New store URL or token: failures forgotten, requests resume at once.
#[wasm_bindgen]
pub fn sync_credentials_changed(state: &str) -> Result<String, JsError> {
    let mut client = load(state)?;
    client.set_credentials_changed();
    save(&client)
}
