//! Character classes of twitter-text, over UTF-16 code units.
//!
//! twitter-text's JavaScript regular expressions run without the `u` flag, so they see code
//! units, not characters: a class like `[^a-z]` matches half of a surrogate pair. The
//! scanners in this module tree work on `&[u16]` for that reason, and their indices are the
//! UTF-16 indices twitter-text reports. The large tables are measured from twitter-text
//! itself (see `data/regenerate.mjs`).

#[path = "data/classes.rs"]
#[rustfmt::skip]
mod table;

/// Whether `c` lies in one of the sorted inclusive `ranges`.
fn in_ranges<T: Ord + Copy>(ranges: &[(T, T)], c: T) -> bool {
    let i = ranges.partition_point(|&(_, hi)| hi < c);
    i < ranges.len() && ranges[i].0 <= c
}

/// The code point at `i` and how many units it takes; a lone surrogate stands for itself.
pub(super) fn code_point_at(s: &[u16], i: usize) -> (u32, usize) {
    let hi = s[i];
    if (0xD800..0xDC00).contains(&hi) {
        if let Some(&lo) = s.get(i + 1) {
            if (0xDC00..0xE000).contains(&lo) {
                let cp = 0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                return (cp, 2);
            }
        }
    }
    (u32::from(hi), 1)
}

/// Whether `s[i]` starts a whole character (a BMP unit or a complete surrogate pair).
pub(super) fn is_whole_char_at(s: &[u16], i: usize) -> bool {
    let (cp, _) = code_point_at(s, i);
    !(0xD800..0xE000).contains(&cp)
}

/// A set of ASCII units as two 64-bit masks, so membership is one shift whatever the
/// set's size (a 128-bit shift would be a library call in wasm).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct AsciiSet([u64; 2]);

impl AsciiSet {
    const fn of(chars: &[u8]) -> AsciiSet {
        let mut set = AsciiSet([0; 2]);
        let mut i = 0;
        while i < chars.len() {
            set = set.with(chars[i]);
            i += 1;
        }
        set
    }

    /// The set with `b` added (`b` < 128).
    pub(super) const fn with(self, b: u8) -> AsciiSet {
        let mut words = self.0;
        words[(b as usize >> 6) & 1] |= 1 << (b & 63);
        AsciiSet(words)
    }

    #[inline(always)]
    pub(super) fn contains(self, u: u16) -> bool {
        u < 0x80 && (self.0[usize::from(u >> 6)] >> (u & 63)) & 1 == 1
    }
}

const PUNCT: AsciiSet = AsciiSet::of(b"!'#%&()*+,\\-./:;<=>?@[]^_{|}~$");
const PATH: AsciiSet = AsciiSet::of(b"!*';:=+,.$/%#[]-_~@|&");
const PATH_END: AsciiSet = AsciiSet::of(b"+-=_#/");
const QUERY: AsciiSet = AsciiSet::of(b"!?*'@();:&=+$/%#[]-_.,~|");
const QUERY_END: AsciiSet = AsciiSet::of(b"-_&=#/");

#[inline(always)]
pub(super) fn is_ascii_alnum(u: u16) -> bool {
    u < 0x80 && (u as u8).is_ascii_alphanumeric()
}

pub(super) fn is_ascii_alpha(u: u16) -> bool {
    u < 0x80 && (u as u8).is_ascii_alphabetic()
}

/// Letters, digits and `_`, the characters of a screen name.
pub(super) fn is_screen_name_char(u: u16) -> bool {
    is_ascii_alnum(u) || u == u16::from(b'_')
}

/// twitter-text's `spaces`: Unicode white space, plus U+180E and U+0085.
pub(super) fn is_space(u: u16) -> bool {
    matches!(u, 0x09..=0x0D | 0x20 | 0x85 | 0xA0 | 0x1680 | 0x180E | 0x2000..=0x200A
        | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000)
}

/// JavaScript's `\s`.
pub(super) fn is_js_space(u: u16) -> bool {
    matches!(u, 0x09..=0x0D | 0x20 | 0xA0 | 0x1680 | 0x2000..=0x200A
        | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000 | 0xFEFF)
}

/// twitter-text's `punct` (ASCII punctuation without `"` and the backquote).
pub(super) fn is_punct(u: u16) -> bool {
    PUNCT.contains(u)
}

/// Characters a tweet may not contain at all.
pub(super) fn is_invalid(u: u16) -> bool {
    matches!(u, 0xFFFE | 0xFEFF | 0xFFFF)
}

/// Bidirectional formatting characters, which may surround a URL.
pub(super) fn is_directional(u: u16) -> bool {
    matches!(u, 0x202A..=0x202E | 0x061C | 0x200E | 0x200F | 0x2066..=0x2069)
}

/// A character that may appear in a domain label (`validDomainChars`).
#[inline(always)]
pub(super) fn is_domain_char(u: u16) -> bool {
    if u < 0x80 {
        return !(PUNCT.contains(u) || is_space(u));
    }
    !(is_space(u) || is_invalid(u) || is_directional(u))
}

/// Letters and combining marks that end a mention (`latinAccentChars`, case-sensitive).
pub(super) fn is_latin_accent(u: u16) -> bool {
    in_ranges(table::ACCENT, u)
}

/// A character of an ASCII-only domain label (`[-a-z0-9latinAccentChars]`, any case).
pub(super) fn is_ascii_domain_char(u: u16) -> bool {
    is_ascii_alnum(u) || u == u16::from(b'-') || in_ranges(table::ACCENT_I, u)
}

/// Cyrillic and accented Latin letters, which URL paths accept (any case).
fn is_path_letter(u: u16) -> bool {
    is_ascii_alnum(u) || (u >= 0x80 && in_ranges(table::CYRILLIC_ACCENT_I, u))
}

/// `validGeneralUrlPathChars`.
pub(super) fn is_path_char(u: u16) -> bool {
    is_path_letter(u) || u == 0x2013 || PATH.contains(u)
}

/// The character class of `validUrlPathEndingChars` (the balanced-parentheses case aside).
pub(super) fn is_path_end_char(u: u16) -> bool {
    is_path_letter(u) || PATH_END.contains(u)
}

/// `validUrlQueryChars`.
pub(super) fn is_query_char(u: u16) -> bool {
    is_ascii_alnum(u) || QUERY.contains(u)
}

/// `validUrlQueryEndingChars`.
pub(super) fn is_query_end_char(u: u16) -> bool {
    is_ascii_alnum(u) || QUERY_END.contains(u)
}

/// A letter or mark that a hashtag needs at least one of (`hashtagAlpha`).
pub(super) fn is_hashtag_alpha(cp: u32) -> bool {
    in_ranges(table::HASHTAG_ALPHA, cp)
}

/// A character a hashtag may contain (`hashtagAlphaNumeric`).
pub(super) fn is_hashtag_alnum(cp: u32) -> bool {
    in_ranges(table::HASHTAG_ALPHA, cp) || in_ranges(table::HASHTAG_ALNUM_EXTRA, cp)
}

/// The hash signs `#` and `＃`.
pub(super) fn is_hash(u: u16) -> bool {
    u == u16::from(b'#') || u == 0xFF03
}

/// The at signs `@` and `＠`.
pub(super) fn is_at(u: u16) -> bool {
    u == u16::from(b'@') || u == 0xFF20
}

/// Case-insensitive key of a unit, as JavaScript's `i` flag compares them: upper case,
/// except that no non-ASCII letter folds onto an ASCII one.
pub(super) fn fold(u: u16) -> u16 {
    if u < 0x80 {
        return u16::from((u as u8).to_ascii_uppercase());
    }
    let Some(c) = char::from_u32(u32::from(u)) else {
        return u;
    };
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(up), None) if (0x80..0x10000).contains(&(up as u32)) => up as u16,
        _ => u,
    }
}

/// Whether `s` at `i` starts with the ASCII `word`, ignoring case.
pub(super) fn starts_with_ignore_case(s: &[u16], i: usize, word: &[u8]) -> bool {
    s.len() >= i + word.len()
        && s[i..i + word.len()]
            .iter()
            .zip(word)
            .all(|(&u, &b)| u < 0x80 && (u as u8).eq_ignore_ascii_case(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_answer_membership() {
        assert!(is_hashtag_alpha('é' as u32));
        assert!(is_hashtag_alpha(0x20021), "astral ideograph is a letter");
        assert!(!is_hashtag_alpha('1' as u32));
        assert!(is_hashtag_alnum('1' as u32));
        assert!(!is_hashtag_alnum('!' as u32));
        assert!(is_latin_accent(0xE9) && !is_latin_accent(u16::from(b'e')));
        assert!(is_path_char(0x0436) && !is_path_char(u16::from(b'(')));
    }

    #[test]
    fn code_points_and_surrogates() {
        let s: Vec<u16> = "a😀".encode_utf16().collect();
        assert_eq!(code_point_at(&s, 1), (0x1F600, 2));
        assert!(is_whole_char_at(&s, 1));
        assert!(
            !is_whole_char_at(&s, 2),
            "a lone low surrogate is not a character"
        );
    }

    #[test]
    fn folding_keeps_non_ascii_apart_from_ascii() {
        assert_eq!(fold(u16::from(b'q')), u16::from(b'Q'));
        assert_eq!(fold(0x0441), 0x0421, "Cyrillic folds within Cyrillic");
        assert_eq!(fold(0x017F), 0x017F, "long s does not fold onto S");
    }
}
