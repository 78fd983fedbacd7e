//! The browser layer (wasm32 only): the `#[wasm_bindgen]` facade and the page layer.
//!
//! Nothing here decides anything: it reads drafts out of the page, asks the core, and draws
//! what the core answered. The content script (`extension/content.js`) only loads this module
//! and calls [`start`].

mod draft;
mod engine;
mod guard;
mod highlight;
mod i18n;
mod inbox_api;
mod insert;
mod overlay;
mod page;
mod panel;
mod tagging;

use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn init() {
    console_error_panic_hook::set_once();
}

/// Checks `text` with the built-in packs and returns the report (`{ verdict, findings }`)
/// as a plain JS object.
#[wasm_bindgen]
pub fn check(text: &str) -> Result<JsValue, JsError> {
    let settings = crate::settings::Settings::default();
    let report = engine::Checker::new(&settings)
        .0
        .check(text, "x", crate::text::lang::Lang::En);
    serde_wasm_bindgen::to_value(&report).map_err(|e| JsError::new(&e.to_string()))
}

/// Starts the page layer on the current page if a site pack serves its host and the CM has
/// not switched that site off. `settings` is the stored settings JSON (or empty); `host` is
/// `{ emit(json) }`, which forwards audit events to the background worker. Returns the
/// pack's name, or `undefined` when Tact has nothing to do here.
#[wasm_bindgen]
pub fn start(settings: &str, host: JsValue) -> Result<Option<String>, JsError> {
    page::start(crate::settings::Settings::from_json(settings), host).map_err(|e| JsError::new(&e))
}

/// Lints a charter for the options page: `{ ok, name, rules }` or `{ ok: false, error:
/// { line, column, field, message, text } }`, where `text` is the full located message.
#[wasm_bindgen]
pub fn lint_charter(source: &str, file: &str) -> Result<JsValue, JsError> {
    let value = match crate::charter::load(source, file) {
        Ok(charter) => serde_json::json!({
            "ok": true,
            "name": charter.charter.name,
            "rules": charter.rule.len(),
        }),
        Err(error) => serde_json::json!({
            "ok": false,
            "error": {
                "line": error.line,
                "column": error.column,
                "field": error.field,
                "message": error.message,
                "text": error.to_string(),
            },
        }),
    };
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}
