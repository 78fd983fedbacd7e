//! Team sync for the background worker: thin wasm functions over
//! [`crate::sync::client::SyncClient`]. The worker keeps the client's state as a JSON
//! string in `chrome.storage.local` and passes it in and out of every call, so the queue,
//! cursor, backoff and config ETag survive restarts. `fetch`, timers and storage stay in
//! `extension/sync.js`; every decision is the client's.

use super::inbox_api::with_service;
use crate::inbox::service::{Service, Writes};
use crate::sync::client::{HttpAnswer, SyncClient};
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

fn answer(text: &str) -> Result<HttpAnswer, JsError> {
    serde_json::from_str(text).map_err(|e| JsError::new(&format!("HTTP answer: {e}")))
}

fn millis(ms: f64) -> u64 {
    if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    }
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

/// Moves outbox entries (a JSON array) into the client's queue: `{ state, skipped }`, the
/// messages naming entries that could never be sent (they are dropped, not retried).
#[wasm_bindgen]
pub fn sync_enqueue(state: &str, outbox: &str) -> Result<String, JsError> {
    let mut client = load(state)?;
    let entries: Vec<Value> =
        serde_json::from_str(outbox).map_err(|e| JsError::new(&format!("inbox outbox: {e}")))?;
    let mut skipped = Vec::new();
    for (n, entry) in entries.into_iter().enumerate() {
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
    Ok(json!({ "state": save(&client)?, "skipped": skipped }).to_string())
}

/// The body of the push to send now (`POST /v1/push`), or "" when none is due.
#[wasm_bindgen]
pub fn sync_push(state: &str, now_ms: f64) -> Result<String, JsError> {
    let client = load(state)?;
    match client.push_due(millis(now_ms)) {
        Some(request) => serde_json::to_string(&request).map_err(|e| JsError::new(&e.to_string())),
        None => Ok(String::new()),
    }
}

/// The cursor to pull from now, or -1 while failures are waited out.
#[wasm_bindgen]
pub fn sync_pull_cursor(state: &str, now_ms: f64) -> Result<f64, JsError> {
    Ok(load(state)?
        .pull_due(millis(now_ms))
        .map_or(-1.0, |cursor| cursor as f64))
}

/// Runs `change` on the inbox service (loaded: the worker calls inside the inbox's request
/// queue) and answers `fields` with `state`, `writes` (inbox storage writes to apply as
/// for any inbox request) and `problems`.
fn into_inbox(
    client: &SyncClient,
    change: impl FnOnce(&mut Service) -> (Writes, Vec<String>),
    mut fields: Value,
) -> Result<String, JsError> {
    let (writes, problems) =
        with_service(change).ok_or_else(|| JsError::new("the inbox is not loaded yet"))?;
    fields["state"] = Value::String(save(client)?);
    fields["writes"] = json!(writes);
    fields["problems"] = json!(problems);
    Ok(fields.to_string())
}

/// `If-None-Match` for `GET /v1/config`, or "" before the first config.
#[wasm_bindgen]
pub fn sync_config_etag(state: &str) -> Result<String, JsError> {
    Ok(load(state)?.config_if_none_match().unwrap_or_default())
}

/// Takes the store's answer (`{ status, body, retry_after_s }`, status 0 when fetch
/// threw) to the request of `kind`:
/// - `"push"`: `{ state }`;
/// - `"pull"`: the items it touched go into the inbox service: `{ state, more, writes,
///   problems }`;
/// - `"config"` (`GET /v1/config`): a changed tag vocabulary goes into the inbox service:
///   `{ state, config, writes, problems }`, `config` the team config when it changed (else
///   null) for the worker to put its charter and templates in the settings.
#[wasm_bindgen]
pub fn sync_answer(
    kind: &str,
    state: &str,
    http: &str,
    now_ms: f64,
    jitter: f64,
) -> Result<String, JsError> {
    let mut client = load(state)?;
    let (http, now) = (answer(http)?, millis(now_ms));
    match kind {
        "push" => {
            client.push_answered(&http, now, jitter);
            Ok(json!({ "state": save(&client)? }).to_string())
        }
        "pull" => {
            let pulled = client.pull_answered(&http, now, jitter);
            into_inbox(
                &client,
                |service| service.apply_remote(&pulled.items),
                json!({ "more": pulled.more }),
            )
        }
        "config" => {
            let config = client.config_answered(&http, now, jitter);
            let tags = |service: &mut Service| match &config {
                Some(config) => service.apply_team_tags(&config.tags),
                None => Default::default(),
            };
            into_inbox(&client, tags, json!({ "config": config }))
        }
        other => Err(JsError::new(&format!(
            "sync answer kind {other:?}: expected push, pull or config"
        ))),
    }
}

/// What the inbox page shows: `{ last_sync_ms, pending, error, next_push_ms }`.
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
