//! Form packs driven by the charter: `links` (domains outside the allow-list), `length`
//! (per network), `register` (tu or vous, French) and `signature` (required sign-off).

use crate::charter::model::{Network, Register};
use crate::charter::pattern::Pattern;
use crate::text::normalize::Normalized;
use crate::text::offsets::utf16_to_byte;
use crate::text::tweet::{overflow_at, parse_tweet, Config, Version};
use std::borrow::Cow;
use std::ops::Range;

/// X's weighted length of `text` (twitter-text's `parseTweet`, config v3).
pub fn weighted_length(text: &str) -> usize {
    let config = Config::get(Version::V3);
    parse_tweet(text, config).weighted_length as usize
}

/// The default longest reply per network (X weighted; Facebook and LinkedIn comments).
pub fn default_max_length(network: Network) -> usize {
    match network {
        Network::X => 280,
        Network::Facebook => 8000,
        Network::Linkedin => 1250,
    }
}

/// The part of `text` past `max` (X counts weighted, and the overflow starts where X
/// highlights it), or `None` when it fits.
#[cfg_attr(tact_speed, optimize(speed))]
pub fn overflow(text: &str, network: Network, max: usize) -> Option<Range<usize>> {
    let cut = match network {
        Network::X => {
            let v3 = Config::get(Version::V3);
            let max = u32::try_from(max).unwrap_or(u32::MAX);
            // The default limit needs no copy of the configuration on every check.
            let config = if max == v3.max_weighted_tweet_length {
                Cow::Borrowed(v3)
            } else {
                Cow::Owned(Config {
                    max_weighted_tweet_length: max,
                    ..v3.clone()
                })
            };
            utf16_to_byte(text, overflow_at(text, &config)?)
        }
        _ => text.char_indices().nth(max)?.0,
    };
    Some(cut..text.len())
}

/// Links (`http…`, `www.…` or bare `name.tld/…`) whose host is not allowed, with the host.
#[cfg_attr(tact_speed, optimize(speed))]
pub fn foreign_links(text: &str, allow: &[String]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut done = 0;
    // Every link has a dot: look only at the whitespace-separated words around dots.
    for (dot, _) in text.match_indices('.') {
        if dot < done {
            continue;
        }
        let start = text[..dot]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[dot..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| dot + i);
        done = end;
        let trimmed = text[start..end].trim_end_matches(['.', ',', ')', '!', '?', ';', ':']);
        if !trimmed.contains('.') {
            continue;
        }
        let Some(host) = host(trimmed) else { continue };
        let allowed = allow
            .iter()
            .any(|d| within(host, d.trim().trim_start_matches("www.")));
        if !allowed {
            out.push(start..start + trimmed.len());
        }
    }
    out
}

/// Whether `host` (ASCII) is `domain` or one of its subdomains, ignoring ASCII case.
fn within(host: &str, domain: &str) -> bool {
    let Some(cut) = host.len().checked_sub(domain.len()) else {
        return false;
    };
    // `host` is ASCII, so any offset is a character boundary.
    host[cut..].eq_ignore_ascii_case(domain) && (cut == 0 || host.as_bytes()[cut - 1] == b'.')
}

const TLDS: &[&str] = &[
    "com", "fr", "net", "org", "io", "co", "be", "ch", "ca", "uk", "de", "eu", "info", "biz", "ly",
    "gl", "me", "app", "shop", "store", "xyz", "online", "site", "link", "es", "it",
];

/// The host of a link-shaped word, as written (any ASCII case), or `None` when the word
/// is not a link.
fn host(word: &str) -> Option<&str> {
    let rest = strip_prefix_ignore_case(word, "https://")
        .or_else(|| strip_prefix_ignore_case(word, "http://"));
    let explicit = rest.is_some() || strip_prefix_ignore_case(word, "www.").is_some();
    let mut host = rest.unwrap_or(word).split(['/', '?', '#']).next()?;
    while let Some(rest) = strip_prefix_ignore_case(host, "www.") {
        host = rest;
    }
    let host = host.split(':').next()?;
    let tld = host.rsplit('.').next()?;
    let shaped = host.contains('.')
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let known = || TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld));
    (shaped && (explicit || known())).then_some(host)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Second-person forms that break the brand's register, with the replacement to suggest.
#[cfg_attr(tact_speed, optimize(speed))]
pub fn register_breaks(
    text: &str,
    norm: &Normalized,
    register: Register,
) -> Vec<(Range<usize>, Option<&'static str>)> {
    const TU: &[(&str, Option<&str>)] = &[
        ("tu", None),
        ("toi", Some("vous")),
        ("te", None),
        ("ton", Some("votre")),
        ("ta", Some("votre")),
        ("tes", Some("vos")),
        ("t", None),
    ];
    const VOUS: &[(&str, Option<&str>)] = &[
        ("vous", None),
        ("votre", Some("ton/ta")),
        ("vos", Some("tes")),
    ];
    let forms = match register {
        Register::Vous => TU,
        Register::Tu => VOUS,
        Register::Any => return Vec::new(),
    };
    let all = norm.as_str();
    let words = norm.word_ranges();
    let mut out = Vec::new();
    for (k, normalized) in words.iter().enumerate() {
        if normalized.len() > 5 {
            continue; // longer than any form: skip the comparisons
        }
        let word = &all[normalized.clone()];
        let Some((_, suggestion)) = forms.iter().find(|(f, _)| *f == word) else {
            continue;
        };
        let previous = k.checked_sub(1).map(|p| &all[words[p].clone()]);
        let range = norm.original_range(normalized.clone());
        // "le ton", "un ton": the noun; "va-t-il": the euphonic t.
        if word == "ton"
            && previous.is_some_and(|p| ["le", "un", "du", "de", "ce", "bon", "meme"].contains(&p))
        {
            continue;
        }
        if word == "t" && !text[range.end..].starts_with(['\'', '’']) {
            continue;
        }
        out.push((range, *suggestion));
    }
    out
}

/// Longest last line pointed at as a whole when the signature is missing: a sign-off
/// line ("Bonne journée, Marie") is shorter than this.
const SIGN_OFF_LINE: usize = 40;

/// Whether the last non-empty line matches the signature regex; the range to point at
/// when it does not: where the sign-off belongs. That is the last line when it is short
/// enough to be a (malformed) sign-off, else its last word, so a one-line
/// reply is not underlined and quoted whole for what is missing after it.
#[cfg_attr(tact_speed, optimize(speed))]
pub fn missing_signature(text: &str, signature: &Pattern) -> Option<Range<usize>> {
    let trimmed = text.trim_end();
    let start = trimmed.rfind('\n').map_or(0, |i| i + 1);
    let last = trimmed[start..].trim();
    if signature.is_match(last) {
        return None;
    }
    let line_start = trimmed.len() - last.len();
    if last.chars().nth(SIGN_OFF_LINE).is_none() {
        return Some(line_start..trimmed.len());
    }
    // The last word with a letter or digit, and the punctuation after it ("journée !").
    let word_start = last
        .split_whitespace()
        .rfind(|word| word.chars().any(char::is_alphanumeric))
        .map_or(0, |word| word.as_ptr() as usize - last.as_ptr() as usize);
    Some(line_start + word_start..trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_points_at_what_is_past_the_limit() {
        assert_eq!(overflow("abcdef", Network::Facebook, 4), Some(4..6));
        assert_eq!(overflow("abc", Network::X, 280), None);
        // "voir " (5) + the link as 23 + " ok" (3), as X counts it.
        assert_eq!(
            weighted_length("voir https://example.com/a/very/long/path ok"),
            31,
            "\"voir \" + a URL counted as 23 + \" ok\""
        );
        // The link would take the count to 293: X highlights from the link on.
        let long = format!("{}https://example.com fin", "é".repeat(270));
        let cut = overflow(&long, Network::X, 280).expect("over 280");
        assert_eq!(&long[cut], "https://example.com fin");
        let plain = "é".repeat(300);
        assert_eq!(overflow(&plain, Network::X, 280), Some(560..600));
        // CJK weighs two: the 141st character is past 280.
        let cjk = "漢".repeat(150);
        assert_eq!(overflow(&cjk, Network::X, 280), Some(140 * 3..150 * 3));
        // A charter's own limit, and text that fits exactly.
        assert_eq!(overflow("abcdef", Network::X, 4), Some(4..6));
        assert_eq!(overflow(&"a".repeat(280), Network::X, 280), None);
        assert_eq!(overflow("abcd", Network::Facebook, 4), None);
    }

    #[test]
    fn links_outside_the_allow_list() {
        let allow = vec!["cafe-lumiere.fr".to_string()];
        let text = "Voir https://www.cafe-lumiere.fr/faq ou shop.cafe-lumiere.fr, pas bit.ly/x.";
        assert_eq!(
            foreign_links(text, &allow)
                .iter()
                .map(|r| &text[r.clone()])
                .collect::<Vec<_>>(),
            vec!["bit.ly/x"]
        );
        assert!(foreign_links("Merci. A bientôt.", &allow).is_empty());
        let upper = vec![" www.Cafe-Lumiere.FR ".to_string()];
        let text =
            "HTTPS://WWW.CAFE-LUMIERE.FR/a x.cafe-lumiere.fr/b faux-cafe-lumiere.fr/c Ex.COM";
        let foreign: Vec<&str> = foreign_links(text, &upper)
            .iter()
            .map(|r| &text[r.clone()])
            .collect();
        assert_eq!(
            foreign,
            vec!["faux-cafe-lumiere.fr/c", "Ex.COM"],
            "a subdomain needs its dot"
        );
    }

    #[test]
    fn register_flags_tutoiement_for_a_vous_brand() {
        let text = "Merci, ton colis arrive. Le ton est bon, va-t-il arriver ? T'inquiète";
        let norm = Normalized::new(text);
        let found: Vec<&str> = register_breaks(text, &norm, Register::Vous)
            .into_iter()
            .map(|(r, _)| &text[r])
            .collect();
        assert_eq!(found, vec!["ton", "T"]);
    }

    #[test]
    fn signature_checks_the_last_line() {
        let re = Pattern::new("— [A-Z]{2}$", 1 << 20).expect("test regex");
        assert_eq!(missing_signature("Merci !\n— AB\n", &re), None);
        assert_eq!(missing_signature("Merci !", &re), Some(0..7));
        assert_eq!(
            missing_signature("Bonjour,\n  Marie ", &re),
            Some(11..16),
            "a short last line, without its indent"
        );
        let long = "Votre colis est parti ce matin, vous le recevrez jeudi. Belle journée !";
        let at = missing_signature(long, &re).expect("no signature");
        assert_eq!(&long[at], "journée !", "a long line: its last word");
        let tag = "Votre colis est parti ce matin, vous le recevrez jeudi.\u{3000}#Café";
        let at = missing_signature(tag, &re).expect("no signature");
        assert_eq!(&tag[at], "#Café", "after a multi-byte space");
    }
}
