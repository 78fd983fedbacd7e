//! Unicode NFC, which `parseTweet` applies before counting ("e" + U+0301 is one "é").
//!
//! Natively this uses the `unicode-normalization` tables. In the browser the same answer
//! comes from `String.prototype.normalize`, which is what twitter-text itself calls there,
//! so the wasm build carries no normalisation tables (they would cost about 60 KB
//! gzipped of the extension's budget).

/// The NFC form of `text`, or `None` when `text` is already in NFC.
pub(super) fn recompose(text: &str) -> Option<String> {
    if all_stay_in_nfc(text) {
        return None;
    }
    imp::recompose(text)
}

/// Whether every code point of `text` is one of [`STAYS_IN_NFC`]'s. Everything below
/// U+0300 is, and is written with bytes below 0xCC: only the characters that start with
/// a higher byte are decoded.
#[cfg_attr(tact_speed, optimize(speed))]
fn all_stay_in_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(k) = bytes[i..].iter().position(|&b| b >= 0xCC) {
        // A byte from 0xCC up leads a character, so `i + k` is a character boundary.
        let Some(c) = text.get(i + k..).and_then(|rest| rest.chars().next()) else {
            return false;
        };
        if !stays_in_nfc(c) {
            return false;
        }
        i += k + c.len_utf8();
    }
    true
}

/// Code points that never change a text's NFC form: combining class 0 and NFC quick
/// check "yes" (none composes with what precedes it). What brand replies hold beyond
/// Latin-1 — curly quotes, dashes, €, Vietnamese letters, CJK, emoji with their
/// selectors and joiners — so in the browser most drafts skip the round trip through
/// JavaScript's `normalize`. Checked against the Unicode tables in the tests.
const STAYS_IN_NFC: [(u32, u32); 14] = [
    (0x0000, 0x02FF), // below U+0300 every text is already NFC
    (0x0400, 0x0482),
    (0x048A, 0x04FF),
    (0x1E00, 0x1EFF),
    (0x2002, 0x20CF),
    (0x2100, 0x2125),
    (0x2190, 0x2328),
    (0x232B, 0x2ADB),
    (0x2ADD, 0x2BFF),
    (0x3000, 0x3029),
    (0x3030, 0x3098),
    (0x309B, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xFE00, 0xFE0F),
];

/// Emoji and symbols (U+1F000–U+1FAFF) and tag characters, the astral part of the set.
const STAYS_IN_NFC_ASTRAL: [(u32, u32); 2] = [(0x1F000, 0x1FAFF), (0xE0000, 0xE007F)];

fn stays_in_nfc(c: char) -> bool {
    let c = u32::from(c);
    if c < 0x300 {
        return true;
    }
    let table: &[(u32, u32)] = if c < 0x10000 {
        &STAYS_IN_NFC
    } else {
        &STAYS_IN_NFC_ASTRAL
    };
    table.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
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
    fn the_fast_set_holds_only_code_points_nfc_leaves_alone() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{is_nfc_quick, IsNormalized};
        for &(lo, hi) in STAYS_IN_NFC.iter().chain(&STAYS_IN_NFC_ASTRAL) {
            for c in (lo..=hi).filter_map(char::from_u32) {
                assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", u32::from(c));
                assert_eq!(
                    is_nfc_quick(std::iter::once(c)),
                    IsNormalized::Yes,
                    "U+{:04X}",
                    u32::from(c)
                );
            }
        }
        assert!(stays_in_nfc('\u{2019}') && stays_in_nfc('✨') && stays_in_nfc('🏽'));
        assert!(!stays_in_nfc('\u{301}') && !stays_in_nfc('\u{212B}'));
    }

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
