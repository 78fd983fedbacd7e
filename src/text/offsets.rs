//! Offsets between the three ways of counting a position in a string.
//!
//! Rust slices by UTF-8 bytes, the DOM counts UTF-16 code units, and people count
//! characters. Findings are computed on bytes and reported in UTF-16 for the page.

/// UTF-16 code-unit offset of byte offset `byte` in `text`.
///
/// `byte` is clamped to the text and rounded down to a character boundary, so a stale
/// offset never panics.
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    let mut end = byte.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // One unit per character (every byte but UTF-8 continuation bytes), two for the
    // four-byte ones: counting bytes is several times faster than decoding characters.
    text.as_bytes()[..end]
        .iter()
        .map(|&b| usize::from((b as i8) >= -0x40) + usize::from(b >= 0xF0))
        .sum()
}

/// Byte offset of UTF-16 offset `unit` in `text`. A unit inside a surrogate pair rounds
/// down to the start of that character; past the end gives `text.len()`.
pub fn utf16_to_byte(text: &str, unit: usize) -> usize {
    let mut seen = 0;
    for (byte, ch) in text.char_indices() {
        let next = seen + ch.len_utf16();
        if next > unit {
            return byte;
        }
        seen = next;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn astral_characters_count_two_units() {
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
    }
}
