//! The inbox service for the background worker, the one writer of the inbox's storage.
//! `extension/inbox-store.js` loads what is stored, hands requests over and applies the
//! writes each answer carries; every rule lives in [`crate::inbox::service`].

use crate::inbox::service::{Outcome, Request, Service};
use crate::inbox::Timestamp;
use serde_json::{json, Value};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static SERVICE: RefCell<Option<Service>> = const { RefCell::new(None) };
}

/// Runs `f` on the loaded service (`None` before [`inbox_open`]): for the sync functions,
/// which bring the team's changes in.
pub(super) fn with_service<R>(f: impl FnOnce(&mut Service) -> R) -> Option<R> {
    SERVICE.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Loads the stored vocabulary document (`meta`, empty on a fresh install) and items (a
/// JSON array). Returns the writes that bring storage to the current schema as JSON.
#[wasm_bindgen]
pub fn inbox_open(meta: &str, items: &str) -> Result<String, JsError> {
    let meta: Option<Value> = if meta.trim().is_empty() {
        None
    } else {
        Some(
            serde_json::from_str(meta)
                .map_err(|e| JsError::new(&format!("stored inbox meta: {e}")))?,
        )
    };
    let items: Vec<Value> = serde_json::from_str(items)
        .map_err(|e| JsError::new(&format!("stored inbox items: {e}")))?;
    let (service, writes) = Service::open(meta, items).map_err(|e| JsError::new(&e))?;
    SERVICE.with(|s| s.replace(Some(service)));
    serde_json::to_string(&writes).map_err(|e| JsError::new(&e.to_string()))
}

/// Answers one request (JSON) made at `now_ms` by `captured_by`: `{ reply, writes }`.
#[wasm_bindgen]
pub fn inbox_request(request: &str, now_ms: f64, captured_by: &str) -> String {
    let outcome = match serde_json::from_str::<Request>(request) {
        Err(e) => Outcome {
            reply: json!({ "ok": false, "error": format!("bad inbox request: {e}") }),
            writes: Default::default(),
        },
        Ok(request) => SERVICE.with(|s| match s.borrow_mut().as_mut() {
            Some(service) => service.handle(request, Timestamp(now_ms as i64), captured_by),
            None => Outcome {
                reply: json!({ "ok": false, "error": "the inbox is not loaded yet" }),
                writes: Default::default(),
            },
        }),
    };
    serde_json::to_string(&outcome).unwrap_or_else(|e| {
        json!({ "reply": { "ok": false, "error": e.to_string() }, "writes": {} }).to_string()
    })
}
