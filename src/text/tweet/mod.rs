//! Tweet length and entities exactly as X counts them (twitter-text 3.1 `parseTweet` and
//! `extract*` semantics).
//!
//! A CM drafting on x.com needs the count X will apply, not a character count: URLs weigh
//! 23, CJK and most emoji weigh 2, an emoji sequence (family, flag, skin tone) weighs 2 in
//! v3. All indices are UTF-16 code units, as in twitter-text and the DOM. The conformance
//! suite of twitter-text runs against this module in `tests/twitter_text_conformance.rs`.

mod chars;
mod config;
mod emoji;
mod extract;
mod nfc;
mod pattern;
mod punycode;
mod tld;
mod url;

pub use config::{Config, Version, WeightRange};

use serde::Serialize;

/// What `parseTweet` reports. Ranges are inclusive UTF-16 indices into the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TweetParse {
    /// Length as X counts it against `max_weighted_tweet_length`.
    pub weighted_length: u32,
    /// Within the limit, not empty, and free of U+FFFE, U+FEFF, U+FFFF.
    pub valid: bool,
    /// Weighted length per thousand of the limit (1000 = exactly full).
    pub permillage: u32,
    pub valid_range_start: usize,
    /// Last unit that still fits (inclusive).
    pub valid_range_end: usize,
    pub display_range_start: usize,
    /// Last unit of the text (inclusive; 0 for an empty text).
    pub display_range_end: usize,
}

/// The kind of an extracted entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Mention,
    List,
    Hashtag,
    Url,
    Cashtag,
}

/// An entity with its UTF-16 span, sign included (`@name`, `#tag`, `$SYM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    #[serde(skip)]
    pub kind: EntityKind,
    /// The value as twitter-text gives it: screen name, tag or symbol without its sign,
    /// or the URL.
    pub text: String,
    /// For a list, its slug with the leading `/` (`"/clients"`).
    #[serde(rename = "listSlug", skip_serializing_if = "Option::is_none")]
    pub list_slug: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// All entities of a text by kind, without overlaps (`extractEntitiesWithIndices`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    /// Mentions and lists.
    pub mentions: Vec<Entity>,
    pub hashtags: Vec<Entity>,
    pub urls: Vec<Entity>,
    pub cashtags: Vec<Entity>,
}

/// `text` in UTF-16, runs of ASCII copied a byte a unit.
#[cfg_attr(tact_speed, optimize(speed))]
fn units(text: &str) -> Vec<u16> {
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| b >= 0x80).unwrap_or(rest.len());
        out.extend(rest.as_bytes()[..ascii].iter().map(|&b| u16::from(b)));
        rest = &rest[ascii..];
        if let Some(ch) = rest.chars().next() {
            out.extend_from_slice(ch.encode_utf16(&mut [0; 2]));
            rest = &rest[ch.len_utf8()..];
        }
    }
    out
}

fn entity(s: &[u16], kind: EntityKind, value: (usize, usize), span: (usize, usize)) -> Entity {
    Entity {
        kind,
        text: String::from_utf16_lossy(&s[value.0..value.1]),
        list_slug: None,
        start: span.0,
        end: span.1,
    }
}

/// Weighs `text` under `config` as X does (`parseTweet`): NFC first, each URL counts
/// `transformed_url_length`, each emoji sequence (v3) `default_weight`, every other code
/// unit by its range.
pub fn parse_tweet(text: &str, config: &Config) -> TweetParse {
    let w = weigh(text, config);
    let weighted_length = w.weighted_length;
    let max = config.max_weighted_tweet_length;
    let permillage = (f64::from(weighted_length) / f64::from(max) * 1000.0).floor() as u32;
    TweetParse {
        weighted_length,
        valid: w.valid && weighted_length > 0 && weighted_length <= max,
        permillage,
        valid_range_start: 0,
        valid_range_end: w.on_original(w.valid_end.unwrap_or(0)),
        display_range_start: 0,
        display_range_end: w.original_len.saturating_sub(1),
    }
}

/// Where `text` stops fitting `config`'s limit: the UTF-16 offset of the first unit past
/// it, as X highlights an overlong draft (the limit counted as [`parse_tweet`] does, but
/// not stopped by invalid characters), or `None` when the whole text fits.
///
/// Only the start of a long draft decides where it stops fitting, so a prefix is weighed
/// first: one ending at a space or line break (no URL, emoji sequence or composed
/// character spans one, so the prefix weighs its items exactly as the whole text does)
/// and already over the limit. A prefix that still fits is doubled, up to the whole text.
/// A whole text is first weighed without looking for emoji sequences, which cannot make
/// it lighter: most drafts fit, and that says so at a fraction of the cost.
#[cfg_attr(tact_speed, optimize(speed))]
pub fn overflow_at(text: &str, config: &Config) -> Option<usize> {
    let max = config.max_weighted_tweet_length;
    let mut reach = usize::try_from(max)
        .unwrap_or(usize::MAX)
        .saturating_add(64);
    loop {
        let end = break_after(text, reach);
        if end == text.len() && surely_fits(text, config) {
            return None;
        }
        let w = weigh(&text[..end], config);
        if w.weighted_length > max {
            return Some(w.fit_end.map_or(0, |last| w.on_original(last) + 1));
        }
        if end == text.len() {
            return None;
        }
        reach = reach.saturating_mul(2);
    }
}

/// The byte offset of the first space or line break at or after character `chars` of
/// `text`, or its end.
#[cfg_attr(tact_speed, optimize(speed))]
fn break_after(text: &str, chars: usize) -> usize {
    let bytes = text.as_bytes();
    // Character `chars` starts at the (chars + 1)th byte that is not a continuation byte.
    let mut seen = 0;
    let Some(from) = bytes.iter().position(|&b| {
        let starts = (b as i8) >= -0x40;
        seen += usize::from(starts);
        starts && seen > chars
    }) else {
        return text.len();
    };
    bytes[from..]
        .iter()
        .position(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
        .map_or(text.len(), |i| from + i)
}

/// Whether `text` is within the limit when weighed with emoji parsing off, which is
/// never lighter than X's count when [`emoji::plain_weight_bounds`] vouches for the
/// weights and every URL starts with an ASCII unit (so none starts inside a sequence,
/// where the reference would skip it).
#[cfg_attr(tact_speed, optimize(speed))]
fn surely_fits(text: &str, config: &Config) -> bool {
    if !config.emoji_parsing_enabled || !emoji::plain_weight_bounds(config) {
        return false;
    }
    let s = match nfc::recompose(text) {
        None => units(text),
        Some(normalized) => units(&normalized),
    };
    let urls = url::extract(&s);
    if urls
        .iter()
        .any(|u| s.get(u.start).is_some_and(|&c| c >= 0x80))
    {
        return false;
    }
    let limit = u64::from(config.max_weighted_tweet_length) * u64::from(config.scale);
    let url_weight = u64::from(config.transformed_url_length) * u64::from(config.scale);
    let mut weighted = 0;
    let mut i = 0;
    // Entities starting inside a URL already counted are skipped, as in `weigh`.
    for u in &urls {
        if u.start < i {
            continue;
        }
        weighted += plain_weight(&s[i..u.start], config) + url_weight;
        i = u.start + u.text.len().max(1);
    }
    weighted += plain_weight(s.get(i..).unwrap_or_default(), config);
    weighted <= limit
}

/// The weight of units counted one by one (a surrogate pair as its low unit, as `weigh`
/// counts it).
#[cfg_attr(tact_speed, optimize(speed))]
fn plain_weight(s: &[u16], config: &Config) -> u64 {
    // The first range (Latin and most scripts of a brand's replies) is tried inline,
    // surrogates left to the pair rule.
    let first = config
        .ranges
        .first()
        .map_or((1, 0, 0), |r| (r.start, r.end.min(0xD7FF), r.weight));
    let mut weighted = 0;
    let mut i = 0;
    while i < s.len() {
        let unit = u32::from(s[i]);
        if first.0 <= unit && unit <= first.1 {
            weighted += u64::from(first.2);
            i += 1;
            continue;
        }
        i += usize::from(pair_at(s, i));
        weighted += u64::from(config.weight(s[i]));
        i += 1;
    }
    weighted
}

/// Whether a surrogate pair starts at `i`.
fn pair_at(s: &[u16], i: usize) -> bool {
    i + 1 < s.len() && (0xD800..0xDC00).contains(&s[i]) && (0xDC00..0xE000).contains(&s[i + 1])
}

/// One pass of X's weighing over a text.
struct Weighing {
    weighted_length: u32,
    /// No invalid character (U+FFFE, U+FEFF, U+FFFF) was met.
    valid: bool,
    /// The last unit counted within the limit while the text was still valid.
    valid_end: Option<usize>,
    /// The last unit counted within the limit, whatever the characters.
    fit_end: Option<usize>,
    /// Lengths in UTF-16 units of the text and of its NFC form.
    original_len: usize,
    normalized_len: usize,
}

impl Weighing {
    /// A unit offset of the NFC form moved back onto the original text (shifted by the
    /// difference of lengths, as the reference does).
    fn on_original(&self, unit: usize) -> usize {
        (unit + self.original_len).saturating_sub(self.normalized_len)
    }
}

#[cfg_attr(tact_speed, optimize(speed))]
fn weigh(text: &str, config: &Config) -> Weighing {
    let (s, original_len) = match nfc::recompose(text) {
        None => {
            let s = units(text);
            let len = s.len();
            (s, len)
        }
        Some(normalized) => (units(&normalized), text.encode_utf16().count()),
    };
    let urls = url::extract(&s);
    let emoji = if config.emoji_parsing_enabled {
        emoji::find(&s)
    } else {
        Vec::new()
    };
    let limit = u64::from(config.max_weighted_tweet_length) * u64::from(config.scale);
    let (mut weighted, mut valid) = (0u64, true);
    let (mut valid_end, mut fit_end) = (None, None);
    // Validity is judged on the last unit of each counted item, as the reference does.
    let mut account = |last: usize, weighted: u64| {
        valid = valid && !chars::is_invalid(s[last]);
        if weighted <= limit {
            fit_end = Some(last);
            if valid {
                valid_end = Some(last);
            }
        }
    };
    let (mut next_url, mut next_emoji) = (0, 0);
    let mut i = 0;
    while i < s.len() {
        // Entities starting inside an item already counted are skipped, as in the reference.
        while urls.get(next_url).is_some_and(|u| u.start < i) {
            next_url += 1;
        }
        while emoji.get(next_emoji).is_some_and(|e| e.0 < i) {
            next_emoji += 1;
        }
        let url_at = urls.get(next_url).map_or(s.len(), |u| u.start);
        let emoji_at = emoji.get(next_emoji).map_or(s.len(), |e| e.0);
        if url_at == i {
            weighted += u64::from(config.transformed_url_length) * u64::from(config.scale);
            i += urls[next_url].text.len().max(1) - 1;
        } else if emoji_at == i {
            weighted += u64::from(config.default_weight);
            i = emoji[next_emoji].1 - 1;
        } else {
            // A run of plain units up to the next entity.
            let stop = url_at.min(emoji_at);
            while i < stop {
                i += usize::from(pair_at(&s, i));
                weighted += u64::from(config.weight(s[i]));
                account(i, weighted);
                i += 1;
            }
            continue;
        }
        account(i, weighted);
        i += 1;
    }
    Weighing {
        weighted_length: (weighted / u64::from(config.scale.max(1))) as u32,
        valid,
        valid_end,
        fit_end,
        original_len,
        normalized_len: s.len(),
    }
}

fn urls_of(s: &[u16]) -> Vec<Entity> {
    url::extract(s)
        .into_iter()
        .map(|f| Entity {
            kind: EntityKind::Url,
            text: String::from_utf16_lossy(&f.text),
            list_slug: None,
            start: f.start,
            end: f.end,
        })
        .collect()
}

fn mentions_or_lists_of(s: &[u16]) -> Vec<Entity> {
    extract::mentions_or_lists(s)
        .into_iter()
        .map(|m| {
            let list = m.slug.1 > m.slug.0;
            let kind = if list {
                EntityKind::List
            } else {
                EntityKind::Mention
            };
            Entity {
                list_slug: list.then(|| String::from_utf16_lossy(&s[m.slug.0..m.slug.1])),
                ..entity(s, kind, m.name, m.entity)
            }
        })
        .collect()
}

fn hashtags_of(s: &[u16]) -> Vec<Entity> {
    extract::hashtags(s)
        .into_iter()
        .map(|(span, tag)| entity(s, EntityKind::Hashtag, tag, span))
        .collect()
}

fn cashtags_of(s: &[u16]) -> Vec<Entity> {
    extract::cashtags(s)
        .into_iter()
        .map(|(span, sym)| entity(s, EntityKind::Cashtag, sym, span))
        .collect()
}

/// URLs with their spans (`extractUrlsWithIndices`, protocol-less URLs included).
pub fn extract_urls(text: &str) -> Vec<Entity> {
    urls_of(&units(text))
}

/// Mentions and lists (`extractMentionsOrListsWithIndices`).
pub fn extract_mentions_or_lists(text: &str) -> Vec<Entity> {
    mentions_or_lists_of(&units(text))
}

/// Mentions of users only, lists left out (`extractMentionsWithIndices`).
pub fn extract_mentions(text: &str) -> Vec<Entity> {
    let mut all = extract_mentions_or_lists(text);
    all.retain(|e| e.kind == EntityKind::Mention);
    all
}

/// The screen name a tweet replies to (`extractReplies`).
pub fn extract_reply(text: &str) -> Option<String> {
    let s = units(text);
    extract::reply(&s).map(|(a, b)| String::from_utf16_lossy(&s[a..b]))
}

/// Hashtags, those inside a URL left out (`extractHashtagsWithIndices`).
pub fn extract_hashtags(text: &str) -> Vec<Entity> {
    let s = units(text);
    let tags = hashtags_of(&s);
    if tags.is_empty() {
        return tags;
    }
    let urls = urls_of(&s);
    if urls.is_empty() {
        return tags;
    }
    let mut all: Vec<Entity> = tags.into_iter().chain(urls).collect();
    extract::remove_overlaps(&mut all, |e| (e.start, e.end));
    all.retain(|e| e.kind == EntityKind::Hashtag);
    all
}

/// Cashtags (`extractCashtagsWithIndices`).
pub fn extract_cashtags(text: &str) -> Vec<Entity> {
    cashtags_of(&units(text))
}

/// Every entity, an entity overlapping an earlier one dropped
/// (`extractEntitiesWithIndices`).
pub fn extract_entities(text: &str) -> Entities {
    let s = units(text);
    let mut all = urls_of(&s);
    all.extend(mentions_or_lists_of(&s));
    all.extend(hashtags_of(&s));
    all.extend(cashtags_of(&s));
    extract::remove_overlaps(&mut all, |e| (e.start, e.end));
    let mut out = Entities::default();
    for e in all {
        match e.kind {
            EntityKind::Mention | EntityKind::List => out.mentions.push(e),
            EntityKind::Hashtag => out.hashtags.push(e),
            EntityKind::Url => out.urls.push(e),
            EntityKind::Cashtag => out.cashtags.push(e),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v3(text: &str) -> TweetParse {
        parse_tweet(text, Config::get(Version::V3))
    }

    #[test]
    fn the_issue_example_weighs_48() {
        let text = "Bonjour @marie 👋🏽 #merci https://example.com";
        let p = v3(text);
        assert_eq!(p.weighted_length, 48);
        assert!(p.valid);
        assert_eq!(p.permillage, 171);
        let e = extract_entities(text);
        assert_eq!(
            (
                e.mentions[0].text.as_str(),
                e.mentions[0].start,
                e.mentions[0].end
            ),
            ("marie", 8, 14)
        );
        assert_eq!(
            (e.hashtags[0].text.as_str(), e.hashtags[0].start),
            ("merci", 20)
        );
        assert_eq!((e.urls[0].start, e.urls[0].end), (27, 46));
    }

    #[test]
    fn v2_counts_code_points_of_emoji() {
        let p = parse_tweet("👋🏽", Config::get(Version::V2));
        assert_eq!(p.weighted_length, 4);
        assert_eq!(v3("👋🏽").weighted_length, 2);
    }

    #[test]
    fn long_text_is_invalid_past_the_limit() {
        let p = v3(&"é".repeat(281));
        assert_eq!(
            (p.weighted_length, p.valid, p.valid_range_end),
            (281, false, 279)
        );
        assert_eq!(p.display_range_end, 280);
        assert!(!v3("").valid, "an empty tweet is not valid");
    }

    #[test]
    fn overflow_on_a_prefix_agrees_with_the_whole_text() {
        let config = Config::get(Version::V3);
        let whole = |text: &str| {
            let w = weigh(text, config);
            (w.weighted_length > config.max_weighted_tweet_length)
                .then(|| w.fit_end.map_or(0, |last| w.on_original(last) + 1))
        };
        let pieces = [
            "Bonjour ",
            "https://example.com/une/page ",
            "exemple.fr ",
            "👨‍👩‍👧‍👦 ",
            "🇫🇷",
            "漢字",
            "\n",
            "@marie ",
            "#promo ",
            "1⃣ ",
            "www.cafe-lumiere.fr/offre?x=1 ",
            "mot ",
            "très ",
            "\u{FEFF}",
            "a.co ",
            "x.fr",
            "© ",
            "®\u{FE0F}",
            "✨",
            "#\u{FE0F}\u{20E3}",
            "‼",
        ];
        let mut seed: u64 = 7;
        for round in 0..6000 {
            let mut text = String::new();
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            // Half the texts around the limit, where the no-emoji bound decides.
            let len = if round % 2 == 0 {
                20 + (seed >> 40) as usize % 220
            } else {
                20 + (seed >> 40) as usize % 60
            };
            for _ in 0..len {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(overflow_at(&text, config), whole(&text), "{text:?}");
        }
        // Decomposed accents: offsets on the NFC form are moved back by the length
        // difference of what was weighed. 290 decomposed "é" (580 units) then a space: the
        // 281st is past the limit, at unit 560 exactly; the ten accents between the cut and
        // the prefix's end shift it to 570 (weighing the whole text, as the reference
        // does, would shift it by all 690, to 970).
        let text = format!("{} {}", "e\u{301}".repeat(290), "e\u{301}".repeat(400));
        assert_eq!(overflow_at(&text, config), Some(570));
        assert_eq!(whole(&text), Some(970));
    }

    #[test]
    fn decomposed_accents_count_once() {
        assert_eq!(v3("cafe\u{301}").weighted_length, 4);
        assert_eq!(
            v3("cafe\u{301}").display_range_end,
            4,
            "ranges stay on the original"
        );
    }
}
