//! Offsets between the three ways of counting a position in a string.
//!
//! Rust slices by UTF-8 bytes, the DOM counts UTF-16 code units, and people (and Python,
//! and most data sets) count characters (code points). Findings are computed on bytes and
//! reported in UTF-16 for the page and in bytes for the CLI.
//!
//! Every conversion is total: an offset past the end gives the end, and an offset inside a
//! character (a byte inside a multi-byte sequence, a unit between two surrogates) rounds
//! down to the start of that character, so a stale offset never panics and never splits a
//! character.

/// UTF-16 code-unit offset of byte offset `byte` in `text`.
#[cfg_attr(tact_speed, optimize(speed))]
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    // Counted on bytes: every character starts with one non-continuation byte, and
    // those of four bytes (outside the BMP) take two units. Eight bytes at a time: in a
    // word, a byte's bit 7 shifted left by k holds its bit 7 - k.
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = &text.as_bytes()[..floor_boundary(text, byte)];
    let mut chunks = bytes.chunks_exact(8);
    let mut units = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let continuation = x & !(x << 1) & HIGH;
        let four_byte_lead = x & (x << 1) & (x << 2) & (x << 3) & HIGH;
        units += 8 - continuation.count_ones() as usize + four_byte_lead.count_ones() as usize;
    }
    let rest = chunks.remainder().iter();
    units
        + rest
            .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
            .sum::<usize>()
}

/// Byte offset of UTF-16 offset `unit` in `text`.
#[cfg_attr(tact_speed, optimize(speed))]
pub fn utf16_to_byte(text: &str, unit: usize) -> usize {
    let mut seen = 0;
    for (byte, &b) in text.as_bytes().iter().enumerate() {
        if b & 0xC0 == 0x80 {
            continue; // inside a character
        }
        seen += 1 + usize::from(b >= 0xF0);
        if seen > unit {
            return byte;
        }
    }
    text.len()
}

/// Character (code point) offset of byte offset `byte` in `text`.
pub fn byte_to_char(text: &str, byte: usize) -> usize {
    text[..floor_boundary(text, byte)].chars().count()
}

/// Byte offset of character offset `ch` in `text`.
pub fn char_to_byte(text: &str, ch: usize) -> usize {
    text.char_indices().nth(ch).map_or(text.len(), |(b, _)| b)
}

/// UTF-16 offset of character offset `ch` in `text`.
pub fn char_to_utf16(text: &str, ch: usize) -> usize {
    text.chars().take(ch).map(char::len_utf16).sum()
}

/// Character offset of UTF-16 offset `unit` in `text`.
pub fn utf16_to_char(text: &str, unit: usize) -> usize {
    let mut seen = 0;
    for (i, ch) in text.chars().enumerate() {
        seen += ch.len_utf16();
        if seen > unit {
            return i;
        }
    }
    text.chars().count()
}

/// `byte` clamped to the text and rounded down to a character boundary.
fn floor_boundary(text: &str, byte: usize) -> usize {
    let mut end = byte.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn astral_characters_count_two_units_and_one_char() {
        let text = "a𝕏é!";
        assert_eq!(byte_to_utf16(text, 1), 1);
        assert_eq!(byte_to_utf16(text, 5), 3);
        assert_eq!(byte_to_utf16(text, 7), 4);
        assert_eq!(utf16_to_byte(text, 3), 5);
        assert_eq!(
            utf16_to_byte(text, 2),
            1,
            "inside a surrogate pair rounds down"
        );
        assert_eq!(utf16_to_byte(text, 99), text.len());
        assert_eq!(byte_to_char(text, 5), 2);
        assert_eq!(byte_to_char(text, 3), 1, "inside a character rounds down");
        assert_eq!(char_to_byte(text, 3), 7);
        assert_eq!(char_to_utf16(text, 2), 3);
        assert_eq!(utf16_to_char(text, 3), 2);
        assert_eq!(utf16_to_char(text, 2), 1);
    }

    #[test]
    fn combining_sequences_are_several_characters() {
        let text = "e\u{301}👋🏽";
        assert_eq!(byte_to_char(text, text.len()), 4);
        assert_eq!(byte_to_utf16(text, text.len()), 6);
        assert_eq!(char_to_byte(text, 1), 1, "the accent is its own character");
    }

    /// Text mixing ASCII, accents, combining marks, CJK, astral letters and emoji
    /// sequences, plus arbitrary code points.
    fn unicode_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            any::<char>().prop_map(String::from),
            Just("e\u{301}\u{327}".to_string()),
            Just("👨‍👩‍👧‍👦".to_string()),
            Just("👋🏽".to_string()),
            Just("𝕏".to_string()),
            Just("ç".to_string()),
            Just("日本".to_string()),
            "[a-z ]{1,4}",
        ];
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn every_boundary_round_trips(text in unicode_text()) {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect();
            for (ch, &byte) in boundaries.iter().enumerate() {
                let unit = byte_to_utf16(&text, byte);
                prop_assert_eq!(unit, text[..byte].encode_utf16().count());
                prop_assert_eq!(utf16_to_byte(&text, unit), byte);
                prop_assert_eq!(byte_to_char(&text, byte), ch);
                prop_assert_eq!(char_to_byte(&text, ch), byte);
                prop_assert_eq!(char_to_utf16(&text, ch), unit);
                prop_assert_eq!(utf16_to_char(&text, unit), ch);
            }
            prop_assert_eq!(byte_to_utf16(&text, text.len()), text.encode_utf16().count());
        }

        #[test]
        fn offsets_inside_a_character_round_down(text in unicode_text(), pick in any::<prop::sample::Index>()) {
            prop_assume!(!text.is_empty());
            let byte = pick.index(text.len() + 3);
            let floor = (0..=byte.min(text.len())).rev().find(|&b| text.is_char_boundary(b)).unwrap_or(0);
            prop_assert_eq!(byte_to_utf16(&text, byte), byte_to_utf16(&text, floor));
            prop_assert_eq!(byte_to_char(&text, byte), byte_to_char(&text, floor));
            let units: Vec<u16> = text.encode_utf16().collect();
            let unit = pick.index(units.len() + 3);
            let back = utf16_to_byte(&text, unit);
            prop_assert!(text.is_char_boundary(back));
            prop_assert!(byte_to_utf16(&text, back) <= unit);
            let prefix = String::from_utf16_lossy(&units[..unit.min(units.len())]);
            prop_assert!(back <= prefix.len());
        }
    }
}
