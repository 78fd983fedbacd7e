//! Reply suggestions: what a comment is about, which of the team's templates answer it,
//! and the chosen one filled in for the page.
//!
//! ```
//! use tact::reply::{FillContext, Library, Suggester};
//! let suggester = Suggester::new(Library::default_library());
//! let ctx = FillContext { author: Some("Marie".into()), ..FillContext::default() };
//! let out = suggester.suggest("Où est mon colis ? Toujours rien reçu", &ctx, 3);
//! assert_eq!(out.intent.as_deref(), Some("order_status"));
//! assert!(out.suggestions[0].text.contains("Marie"));
//! ```

pub mod classify;
mod concepts;
pub mod eval;
mod features;
pub mod fill;
mod model;
pub mod placeholder;
pub mod suggest;
pub mod template;

pub use fill::FillContext;
pub use suggest::{Suggester, Suggestion, Suggestions};
pub use template::{Action, Library, LoadError, LoadErrors, Template, TemplateLang};
