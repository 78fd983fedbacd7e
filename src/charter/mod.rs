//! The brand's charter: model, loading with clear errors, compilation into an [`Engine`].
//!
//! The API the browser layer and the CLI use is small:
//! - [`Engine::default()`]: built-in packs only, `reserve` at `warn`;
//! - [`Engine::from_source(text, file_name)`](Engine::from_source): a TOML or JSON charter;
//! - [`Engine::check(draft, &Context)`](Engine::check) → [`crate::report::Report`].

pub mod engine;
pub mod load;
pub mod model;
pub mod pattern;
pub mod regex;
pub mod terms;
mod word_table;

pub use engine::{Context, Engine, Mode};
pub use load::{load, LoadError};
pub use model::{Charter, Network};
