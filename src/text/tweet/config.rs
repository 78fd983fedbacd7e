//! Weighting configurations of twitter-text (`config/v2.json`, `config/v3.json`).
//!
//! The published files are kept in `data/`; the values are written out below as constants
//! (a JSON parser in the extension would cost more than the data), and a test checks that
//! the two agree, so a change of X's rules is a change of those files first.

use serde::Deserialize;
use std::borrow::Cow;

/// How characters are weighed against the limit. Field names follow the JSON files.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    pub version: u32,
    pub max_weighted_tweet_length: u32,
    /// Weights are in hundredths: a weight of `scale` is one character.
    pub scale: u32,
    pub default_weight: u32,
    /// v3: every emoji sequence weighs `default_weight`, however many code points.
    #[serde(default)]
    pub emoji_parsing_enabled: bool,
    /// Every URL counts as this many characters (the length of a t.co link).
    #[serde(rename = "transformedURLLength")]
    pub transformed_url_length: u32,
    pub ranges: Cow<'static, [WeightRange]>,
}

/// Code units `start..=end` weigh `weight`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightRange {
    pub start: u32,
    pub end: u32,
    pub weight: u32,
}

/// The configurations X has published that Tact knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    V2,
    #[default]
    V3,
}

impl Version {
    pub fn parse(name: &str) -> Option<Version> {
        match name {
            "v2" | "2" => Some(Version::V2),
            "v3" | "3" => Some(Version::V3),
            _ => None,
        }
    }
}

/// Code points weighing one character in v2 and v3 (Latin, Greek, Cyrillic, Hebrew,
/// Arabic… up to U+10FF, and general punctuation); everything else weighs two.
const LIGHT: &[WeightRange] = &[
    WeightRange {
        start: 0,
        end: 4351,
        weight: 100,
    },
    WeightRange {
        start: 8192,
        end: 8205,
        weight: 100,
    },
    WeightRange {
        start: 8208,
        end: 8223,
        weight: 100,
    },
    WeightRange {
        start: 8242,
        end: 8247,
        weight: 100,
    },
];

static V2: Config = V2_FIELDS;

static V3: Config = Config {
    version: 3,
    emoji_parsing_enabled: true,
    ..V2_FIELDS
};

/// V2's values as a constant, so V3 can be written as "v2 plus emoji parsing".
const V2_FIELDS: Config = Config {
    version: 2,
    max_weighted_tweet_length: 280,
    scale: 100,
    default_weight: 200,
    emoji_parsing_enabled: false,
    transformed_url_length: 23,
    ranges: Cow::Borrowed(LIGHT),
};

impl Config {
    /// The configuration `version` (v3 is what X uses today).
    pub fn get(version: Version) -> &'static Config {
        match version {
            Version::V2 => &V2,
            Version::V3 => &V3,
        }
    }

    /// The weight of one UTF-16 code unit.
    pub(super) fn weight(&self, unit: u16) -> u32 {
        let unit = u32::from(unit);
        self.ranges
            .iter()
            .find(|r| r.start <= unit && unit <= r.end)
            .map_or(self.default_weight, |r| r.weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_the_published_files() {
        for (version, json) in [
            (Version::V2, include_str!("data/v2.json")),
            (Version::V3, include_str!("data/v3.json")),
        ] {
            let published: Config = serde_json::from_str(json).unwrap();
            assert_eq!(Config::get(version), &published);
        }
    }

    #[test]
    fn embedded_configs_load() {
        let v2 = Config::get(Version::V2);
        let v3 = Config::get(Version::V3);
        assert!(!v2.emoji_parsing_enabled && v3.emoji_parsing_enabled);
        assert_eq!((v3.max_weighted_tweet_length, v3.scale), (280, 100));
        assert_eq!(v3.weight(u16::from(b'a')), 100);
        assert_eq!(v3.weight(0x3042), 200, "CJK weighs two");
        assert_eq!(v3.weight(0x2014), 100, "em dash is in a light range");
    }

    #[test]
    fn versions_parse_by_name() {
        assert_eq!(Version::parse("v2"), Some(Version::V2));
        assert_eq!(Version::parse("3"), Some(Version::V3));
        assert_eq!(Version::parse("v9"), None);
    }
}
