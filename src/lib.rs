//! Tact's core: every decision the extension, the CLI and the store make lives here.
//!
//! The modules below know nothing of the browser; they compile and are tested natively and
//! are compiled unchanged to `wasm32`. The browser layer (`web`, wasm32 only) observes pages,
//! draws overlays and forwards events to this core. See `ARCHITECTURE.md`.
//!
//! The shipped wasm is built for size (`opt-level = "z"`), which keeps even tiny helpers
//! out of line; the few functions every keystroke runs (normalisation, the term and
//! pattern matchers, the reserve and form packs) are marked
//! `#[cfg_attr(tact_speed, optimize(speed))]` so that, when `build.sh` builds with the
//! nightly toolchain (`--cfg tact_speed`), they alone are optimised for speed: about twice
//! as fast for a few kilobytes.
#![cfg_attr(tact_speed, feature(optimize_attribute))]

pub mod account;
pub mod charter;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod config;
pub mod inbox;
pub mod reply;
pub mod report;
pub mod reserve;
pub mod settings;
pub mod sites;
pub mod sort;
pub mod sync;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod web;
