//! The length of a domain label once punycode-encoded (RFC 3492), which twitter-text
//! limits to 63 characters: "http://あいう….com" is a URL only while its host fits DNS.

/// Separators punycode treats like a dot inside a label (ideographic and full-width).
fn is_separator(c: u16) -> bool {
    matches!(c, 0x2E | 0x3002 | 0xFF0E | 0xFF61)
}

/// Whether `punycode.toASCII(label)` is 1 to `max` characters long, as twitter-text
/// requires of every label. Like `toASCII`, the label is split on punycode's separators,
/// each part encoded on its own (`xn--` prefix for non-ASCII parts) and joined with dots.
pub(super) fn label_fits(label: &[u16], max: usize) -> bool {
    let mut total = 0;
    for (i, part) in label.split(|&u| is_separator(u)).enumerate() {
        match encoded_len(part) {
            Some(n) => total += n + usize::from(i > 0),
            None => return false,
        }
    }
    (1..=max).contains(&total)
}

/// Length of `toASCII(part)`: the part itself when it is printable ASCII, else
/// `"xn--" + encode(part)`.
fn encoded_len(part: &[u16]) -> Option<usize> {
    if part.iter().all(|&u| (0x20..0x7F).contains(&u)) {
        return Some(part.len());
    }
    let points = decode(part);
    let basic = points.iter().filter(|&&c| c < 0x80).count();
    let mut len = 4 + basic + usize::from(basic > 0);
    let (mut n, mut delta, mut bias, mut handled) = (0x80u64, 0u64, 72u64, basic as u64);
    while (handled as usize) < points.len() {
        let m = points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = 36;
                loop {
                    let t = if k <= bias { 1 } else { (k - bias).min(26) };
                    if q < t {
                        break;
                    }
                    len += 1;
                    q = (q - t) / (36 - t);
                    k += 36;
                }
                len += 1;
                bias = adapt(delta, handled + 1, handled == basic as u64);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(len)
}

fn adapt(delta: u64, points: u64, first: bool) -> u64 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > 455 {
        delta /= 35;
        k += 36;
    }
    k + 36 * delta / (delta + 38)
}

/// Code points of UTF-16 units, lone surrogates kept as they are (like `ucs2decode`).
fn decode(s: &[u16]) -> Vec<u64> {
    char::decode_utf16(s.iter().copied())
        .map(|r| {
            r.map_or_else(
                |e| u64::from(e.unpaired_surrogate()),
                |c| u64::from(c as u32),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len(s: &str) -> Option<usize> {
        encoded_len(&s.encode_utf16().collect::<Vec<_>>())
    }

    #[test]
    fn known_encodings() {
        assert_eq!(len("example"), Some(7));
        assert_eq!(len("münchen"), Some("xn--mnchen-3ya".len()));
        assert_eq!(len("中国"), Some("xn--fiqs8s".len()));
        assert_eq!(len("☃-⌘"), Some("xn----dqo34k".len()));
    }

    #[test]
    fn labels_are_limited() {
        let ok: Vec<u16> = "a".repeat(63).encode_utf16().collect();
        let long: Vec<u16> = "a".repeat(64).encode_utf16().collect();
        assert!(label_fits(&ok, 63));
        assert!(!label_fits(&long, 63));
        assert!(!label_fits(&[], 63));
    }
}
