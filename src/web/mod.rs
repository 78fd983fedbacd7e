//! The browser layer (wasm32 only): the `#[wasm_bindgen]` facade and the page layer.
//!
//! Nothing here decides anything: it reads drafts out of the page, asks the core, and draws
//! what the core answered. The content script (`extension/content.js`) only loads this module
//! and calls [`start`].

mod draft;
mod overlay;
mod page;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn init() {
    console_error_panic_hook::set_once();
}

/// Checks `text` and returns the report (`{ verdict, findings }`) as a plain JS object.
#[wasm_bindgen]
pub fn check(text: &str) -> Result<JsValue, JsError> {
    let report = crate::placeholder::check(text);
    serde_wasm_bindgen::to_value(&report).map_err(|e| JsError::new(&e.to_string()))
}

/// Starts the page layer on the current page if a site pack serves its host.
/// Returns the pack's name, or `undefined` when Tact has nothing to do here.
#[wasm_bindgen]
pub fn start() -> Result<Option<String>, JsError> {
    page::start().map_err(|e| JsError::new(&e))
}
