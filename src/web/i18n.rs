//! Interface strings from the extension's `_locales/` through `chrome.i18n`, in the
//! browser's language. Outside an extension (wasm-bindgen tests) the key itself is shown.

use crate::text::lang::Lang;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "i18n"], js_name = getMessage)]
    fn get_message(name: &str, substitutions: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "i18n"], js_name = getUILanguage)]
    fn get_ui_language() -> Result<JsValue, JsValue>;
}

/// The message `key`, with `$1`, `$2`… replaced by `args`.
pub fn text(key: &str, args: &[&str]) -> String {
    let subs: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    get_message(key, &subs)
        .ok()
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| key.to_string())
}

/// French when the browser's interface is French, English otherwise.
pub fn ui_lang() -> Lang {
    let tag = get_ui_language()
        .ok()
        .and_then(|v| v.as_string())
        .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
        .unwrap_or_default();
    if tag.to_ascii_lowercase().starts_with("fr") {
        Lang::Fr
    } else {
        Lang::En
    }
}
