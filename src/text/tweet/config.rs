//! Weighting configurations of twitter-text (`config/v2.json`, `config/v3.json`), embedded
//! as published so a change of X's rules is a data change.

use serde::Deserialize;
use std::sync::OnceLock;

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
    pub ranges: Vec<WeightRange>,
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

impl Config {
    /// The embedded configuration `version` (v3 is what X uses today).
    pub fn get(version: Version) -> &'static Config {
        static V2: OnceLock<Config> = OnceLock::new();
        static V3: OnceLock<Config> = OnceLock::new();
        match version {
            Version::V2 => V2.get_or_init(|| embedded(include_str!("data/v2.json"), "v2")),
            Version::V3 => V3.get_or_init(|| embedded(include_str!("data/v3.json"), "v3")),
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

fn embedded(json: &str, name: &str) -> Config {
    serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("embedded twitter-text config {name} is invalid: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
