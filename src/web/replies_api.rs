//! The reply-suggestion module (feature `replies`, `extension/pkg/tact_replies.js`): the
//! team's library learned once, then the best replies for a comment. Pages load it when
//! they go idle, so the guard every page needs stays small; the options page lints the
//! team's templates with it.

use crate::charter::Engine;
use crate::reply::{FillContext, Library, Suggester};
use crate::text::lang::Lang;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static SUGGESTER: RefCell<Option<Suggester>> = const { RefCell::new(None) };
}

/// Learns the team's library (`templates`, TOML; empty for the built-in one). A library
/// that does not load is replaced by the built-in one and the located error returned.
#[wasm_bindgen]
pub fn replies_learn(templates: &str, file: &str) -> Option<String> {
    let (library, error) = if templates.trim().is_empty() {
        (Library::default_library(), None)
    } else {
        match Library::from_toml(templates, file) {
            Ok(library) => (library, None),
            Err(error) => (Library::default_library(), Some(error.to_string())),
        }
    };
    SUGGESTER.with_borrow_mut(|s| *s = Some(Suggester::new(library)));
    error
}

/// The `top` best replies for `comment` as JSON ([`crate::reply::Suggestions`]), filled
/// with the given context (`hour` below 0 when unknown; `lang` `fr`, `en` or empty to
/// guess). Learns the built-in library first if nothing was learned.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn replies_suggest(
    comment: &str,
    lang: &str,
    author: &str,
    handle: &str,
    brand: &str,
    agent: &str,
    hour: i32,
    top: u32,
) -> String {
    let given = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    let fill = FillContext {
        author: given(author),
        handle: given(handle),
        brand: given(brand),
        agent: given(agent),
        link: None,
        hour: u8::try_from(hour).ok(),
    };
    let lang = match lang {
        "fr" => Some(Lang::Fr),
        "en" => Some(Lang::En),
        _ => None,
    };
    let found = SUGGESTER.with_borrow_mut(|s| {
        s.get_or_insert_with(|| Suggester::new(Library::default_library()))
            .suggest_in(comment, lang, &fill, top as usize)
    });
    serde_json::to_string(&found).unwrap_or_else(|_| "null".into())
}

/// Lints a template library for the options page: `{ ok: true, templates, lints }`
/// (`lints`: located texts for templates that load but will not serve well or break
/// `charter`, which may be empty) or `{ ok: false, error }` with every load error, located.
#[wasm_bindgen]
pub fn lint_templates(source: &str, file: &str, charter: &str) -> String {
    let value = match Library::from_toml(source, file) {
        Ok(library) => {
            let engine = match charter.trim() {
                "" => Ok(Engine::default()),
                _ => Engine::from_source(charter, "charter.toml"),
            };
            let lints: Vec<String> = match &engine {
                Ok(engine) => library
                    .lint_charter(engine)
                    .iter()
                    .map(|l| format!("{file}:{}: {}: {}", l.line, l.template, l.message))
                    .collect(),
                Err(error) => vec![format!(
                    "the charter does not load, so templates were not checked against it: {error}"
                )],
            };
            serde_json::json!({ "ok": true, "templates": library.templates.len(), "lints": lints })
        }
        Err(errors) => serde_json::json!({ "ok": false, "error": errors.to_string() }),
    };
    value.to_string()
}
