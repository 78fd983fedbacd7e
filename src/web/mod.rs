//! The browser layer (wasm32 only): the `#[wasm_bindgen]` facades.
//!
//! Nothing here decides anything: it reads drafts and posts out of the page, asks the core,
//! and draws what the core answered. It is built as two modules so that what every page
//! loads stays small: feature `page` (content script and options page: guard, suggestions,
//! quick-tag; `extension/pkg/tact.js`), feature `replies` (the reply model and the team's
//! library, loaded by pages when idle and by the options page; `pkg/tact_replies.js`) and
//! feature `worker` (the background worker's inbox service with its exports, stats and
//! charts, and team sync; `extension/pkg/tact_worker.js`).

#[cfg(feature = "page")]
mod context;
#[cfg(feature = "page")]
mod draft;
#[cfg(feature = "page")]
mod engine;
#[cfg(feature = "page")]
mod events;
#[cfg(feature = "page")]
mod facade;
#[cfg(feature = "page")]
mod guard;
#[cfg(feature = "page")]
mod highlight;
#[cfg(feature = "page")]
mod i18n;
#[cfg(feature = "worker")]
mod inbox_api;
#[cfg(feature = "page")]
mod insert;
#[cfg(feature = "page")]
mod overlay;
#[cfg(feature = "page")]
mod page;
#[cfg(feature = "page")]
mod panel;
#[cfg(feature = "replies")]
mod replies_api;
#[cfg(feature = "page")]
mod suggest;
#[cfg(feature = "page")]
mod suggest_view;
#[cfg(feature = "worker")]
mod sync_api;
#[cfg(feature = "page")]
mod tagging;

#[cfg(feature = "page")]
pub use facade::*;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn init() {
    console_error_panic_hook::set_once();
}
