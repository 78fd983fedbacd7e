//! The page module's exports: the content script's `start`, the options page's linters,
//! and checks for tests and benchmarks.

use super::{engine, page};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Checks `text` with the built-in packs and returns the report (`{ verdict, findings }`)
/// as a plain JS object.
#[wasm_bindgen]
pub fn check(text: &str) -> Result<JsValue, JsError> {
    let settings = crate::settings::Settings::default();
    let report = engine::Checker::new(&settings)
        .0
        .check(text, "x", crate::text::lang::Lang::En);
    js_sys::JSON::parse(&report.to_json()).map_err(|_| JsError::new("the report is not JSON"))
}

/// A value as a plain JS object, through JSON: one serializer in the module (serde_json)
/// instead of two.
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let json = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("the report is not JSON"))
}

/// A compiled charter kept across checks: for the Node and Chromium benchmarks and any
/// page that checks many texts with one charter.
#[wasm_bindgen]
pub struct CompiledCharter(crate::charter::Engine);

#[wasm_bindgen]
impl CompiledCharter {
    /// Compiles `source` (TOML or JSON; empty for the built-in packs alone). A charter that
    /// does not load throws the located error.
    #[wasm_bindgen(constructor)]
    pub fn new(source: &str, file: &str) -> Result<CompiledCharter, JsError> {
        if source.trim().is_empty() {
            return Ok(CompiledCharter(crate::charter::Engine::default()));
        }
        crate::charter::Engine::from_source(source, file)
            .map(CompiledCharter)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The report for `text` as JSON; `lang` is `fr`, `en` or empty to guess it.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn check(&self, text: &str, network: &str, lang: &str) -> String {
        let context = crate::charter::Context {
            network: crate::charter::Network::parse(network),
            lang: match lang {
                "fr" => Some(crate::text::lang::Lang::Fr),
                "en" => Some(crate::text::lang::Lang::En),
                _ => None,
            },
            ..crate::charter::Context::default()
        };
        self.0.check(text, &context).to_json()
    }
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
    to_js(&value)
}
