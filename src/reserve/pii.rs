//! The `pii` pack: personal data that belongs in a private message, not a public reply.
//! E-mail addresses, phone numbers (French and international), IBANs (checked mod 97),
//! card numbers (checked with Luhn), and the brand's own order or ticket numbers.

use crate::charter::pattern::PatternSet;
use std::ops::Range;

/// What kind of personal data a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Email,
    Phone,
    Iban,
    Card,
    Order,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Iban => "iban",
            Kind::Card => "card",
            Kind::Order => "order-number",
        }
    }
}

/// Every piece of personal data in `text`, in text order.
#[cfg_attr(tact_speed, optimize(speed))]
pub fn find(text: &str, orders: &PatternSet) -> Vec<(Range<usize>, Kind)> {
    let mut out = emails(text);
    out.extend(numbers(text));
    out.extend(ibans(text));
    out.extend(orders.find(text).into_iter().map(|(_, r)| (r, Kind::Order)));
    crate::sort::nearly_sorted_by_key(&mut out, |(r, _)| (r.start, r.end));
    out.dedup_by(|b, a| b.0.start < a.0.end);
    out
}

#[cfg_attr(tact_speed, optimize(speed))]
fn emails(text: &str) -> Vec<(Range<usize>, Kind)> {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let domain = |b: u8| b.is_ascii_alphanumeric() || b".-".contains(&b);
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = (0..at).rev().take_while(|&i| local(bytes[i])).last();
        let mut end = at + 1;
        while end < bytes.len() && domain(bytes[end]) {
            end += 1;
        }
        let host = text[at + 1..end].trim_end_matches(['.', '-']);
        let tld = host.rsplit('.').next().unwrap_or("");
        if let Some(start) = start {
            if host.contains('.') && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
            {
                out.push((start..at + 1 + host.len(), Kind::Email));
            }
        }
    }
    out
}

/// Phone and card numbers: digit runs with single spaces, dots, dashes or brackets.
#[cfg_attr(tact_speed, optimize(speed))]
fn numbers(text: &str) -> Vec<(Range<usize>, Kind)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = next_where(bytes, i, |b| b == b'+' || b.is_ascii_digit()) {
        i = at;
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let (end, digits) = digit_run(bytes, i);
        let plus = bytes[i] == b'+';
        let kind = if (13..=19).contains(&digits.len()) && !plus && luhn(&digits) {
            Some(Kind::Card)
        } else if (plus && (10..=15).contains(&digits.len()))
            || (digits.len() == 10 && digits[0] == 0 && digits[1] != 0)
        {
            Some(Kind::Phone)
        } else {
            None
        };
        if let Some(kind) = kind {
            out.push((i..end, kind));
        }
        i = end.max(i + 1);
    }
    out
}

/// End of the number starting at `start` and its digits.
fn digit_run(bytes: &[u8], start: usize) -> (usize, Vec<u8>) {
    let mut digits = Vec::new();
    let mut end = start + usize::from(bytes[start] == b'+');
    let mut i = end;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits.push(b - b'0');
            i += 1;
            end = i;
        } else if b" .-()".contains(&b)
            && bytes
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == b'(')
        {
            i += 1;
        } else {
            break;
        }
    }
    (end, digits)
}

/// The first position at or after `from` whose byte satisfies `wanted`.
fn next_where(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| wanted(b)).map(|i| from + i)
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// IBANs: two letters, two check digits, then up to 30 letters or digits, optionally in
/// groups separated by single spaces; valid only if the mod-97 check passes.
#[cfg_attr(tact_speed, optimize(speed))]
fn ibans(text: &str) -> Vec<(Range<usize>, Kind)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = next_where(bytes, i, |b| b.is_ascii_uppercase()) {
        i = at;
        if i + 4 > bytes.len() {
            break;
        }
        let head = bytes[i].is_ascii_uppercase()
            && bytes[i + 1].is_ascii_uppercase()
            && bytes[i + 2].is_ascii_digit()
            && bytes[i + 3].is_ascii_digit()
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !head {
            i += 1;
            continue;
        }
        let mut chars = Vec::new();
        let mut ends = Vec::new();
        let mut j = i;
        while j < bytes.len() && chars.len() < 34 {
            if bytes[j].is_ascii_alphanumeric() {
                chars.push(bytes[j].to_ascii_uppercase());
                j += 1;
                ends.push(j);
            } else if bytes[j] == b' ' && bytes.get(j + 1).is_some_and(u8::is_ascii_alphanumeric) {
                j += 1;
            } else {
                break;
            }
        }
        let valid = (15..=chars.len()).rev().find(|&n| iban_valid(&chars[..n]));
        match valid {
            Some(n) => {
                out.push((i..ends[n - 1], Kind::Iban));
                i = ends[n - 1];
            }
            None => i += 1,
        }
    }
    out
}

fn iban_valid(chars: &[u8]) -> bool {
    let mut rem: u32 = 0;
    for &c in chars[4..].iter().chain(&chars[..4]) {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charter::pattern::Pattern;

    fn kinds(text: &str) -> Vec<(&str, Kind)> {
        find(text, &PatternSet::default())
            .into_iter()
            .map(|(r, k)| (&text[r], k))
            .collect()
    }

    #[test]
    fn finds_emails_phones_cards_and_ibans() {
        assert_eq!(
            kinds("Écrivez à marie.l@exemple.fr."),
            vec![("marie.l@exemple.fr", Kind::Email)]
        );
        assert_eq!(
            kinds("Appelez le 06 12 34 56 78"),
            vec![("06 12 34 56 78", Kind::Phone)]
        );
        assert_eq!(
            kinds("or +33 6 12 34 56 78"),
            vec![("+33 6 12 34 56 78", Kind::Phone)]
        );
        assert_eq!(
            kinds("carte 4539 1488 0343 6467"),
            vec![("4539 1488 0343 6467", Kind::Card)]
        );
        assert_eq!(
            kinds("IBAN FR76 3000 6000 0112 3456 7890 189 merci"),
            vec![("FR76 3000 6000 0112 3456 7890 189", Kind::Iban)]
        );
    }

    #[test]
    fn ordinary_numbers_and_mentions_pass() {
        assert!(kinds("Bonjour @marie, 10 000 clients, le 12/03/2024, 99,9 %").is_empty());
        assert!(kinds("carte 4539 1488 0343 6468").is_empty(), "fails Luhn");
        assert!(
            kinds("FR76 3000 6000 0112 3456 7890 188").is_empty(),
            "fails mod 97"
        );
    }

    #[test]
    fn configured_order_numbers() {
        let re = Pattern::new(r"CMD-\d{6}", 1 << 20).expect("test regex");
        let orders = PatternSet::new(vec![re]);
        assert_eq!(
            find("votre CMD-123456", &orders),
            vec![(6..16, Kind::Order)]
        );
    }
}
