//! Unicode NFC, which `parseTweet` applies before counting ("e" + U+0301 is one "é").
//!
//! Natively this uses the `unicode-normalization` tables. In the browser the same answer
//! comes from `String.prototype.normalize`, which is what twitter-text itself calls there,
//! so the wasm build carries no normalisation tables (they would cost about 60 KB
//! gzipped of the extension's budget).

/// The NFC form of `text`, or `None` when `text` is already in NFC.
pub(super) fn recompose(text: &str) -> Option<String> {
    // Below U+0300 (UTF-8 lead bytes under 0xCC) every text is already NFC.
    if text.bytes().all(|b| b < 0xCC) {
        return None;
    }
    imp::recompose(text)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

    pub(super) fn recompose(text: &str) -> Option<String> {
        if is_nfc_quick(text.chars()) == IsNormalized::Yes {
            return None;
        }
        let normalized: String = text.nfc().collect();
        (normalized != text).then_some(normalized)
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    pub(super) fn recompose(text: &str) -> Option<String> {
        let normalized: String = js_sys::JsString::from(text).normalize("NFC").into();
        (normalized != text).then_some(normalized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_only_when_needed() {
        assert_eq!(recompose("café"), None);
        assert_eq!(recompose("👋🏽 déjà"), None);
        assert_eq!(recompose("cafe\u{301}").as_deref(), Some("café"));
        assert_eq!(
            recompose("\u{212B}").as_deref(),
            Some("\u{C5}"),
            "Ångström sign"
        );
    }
}
