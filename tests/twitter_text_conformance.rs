//! twitter-text's conformance suite is the specification of `tact::text::tweet`: every case
//! of the sections below must pass, and none may be skipped. Run with `-- --nocapture` to
//! see how many cases each section ran.

use serde::Deserialize;
use serde_yaml::Value;
use std::collections::BTreeMap;
use tact::text::tweet::{self, Config, Entity, Version};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/twitter-text/conformance"
);

#[derive(Deserialize)]
struct Suite {
    tests: BTreeMap<String, Vec<Case>>,
}

#[derive(Deserialize)]
struct Case {
    description: String,
    text: String,
    expected: Value,
}

fn load(file: &str) -> Suite {
    let path = format!("{DIR}/{file}");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {path}: {e} (is ../shared beside the repo?)"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs every case of `sections`, prints the count per section, fails on any mismatch.
fn run(file: &str, sections: &[&str], check: impl Fn(&str, &Case) -> Result<(), String>) {
    let suite = load(file);
    let mut failures = Vec::new();
    for &section in sections {
        let cases = suite
            .tests
            .get(section)
            .unwrap_or_else(|| panic!("{file} has no section {section}"));
        assert!(!cases.is_empty(), "{file}: section {section} is empty");
        for case in cases {
            if let Err(why) = check(section, case) {
                failures.push(format!(
                    "{section}: {} ({:?}): {why}",
                    case.description, case.text
                ));
            }
        }
        println!("{file} {section}: {} cases ran", cases.len());
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn same<T: PartialEq + std::fmt::Debug>(got: T, want: T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("got {got:?}, expected {want:?}"))
    }
}

fn int(v: &Value, key: &str) -> Result<u64, String> {
    v.get(key)
        .and_then(Value::as_u64)
        .ok_or(format!("expected.{key} is not an integer"))
}

fn string_list(v: &Value) -> Result<Vec<String>, String> {
    serde_yaml::from_value(v.clone()).map_err(|e| format!("expected is not a list of strings: {e}"))
}

/// `[(value, start, end)]` from `expected` entries with `value_key` and `indices`.
fn indexed(v: &Value, value_key: &str) -> Result<Vec<(String, usize, usize)>, String> {
    let items = v.as_sequence().ok_or("expected is not a list")?;
    items
        .iter()
        .map(|item| {
            let value = item
                .get(value_key)
                .and_then(Value::as_str)
                .ok_or(format!("no {value_key}"))?;
            let indices: Vec<usize> = item
                .get("indices")
                .cloned()
                .map(serde_yaml::from_value)
                .transpose()
                .map_err(|e| e.to_string())?
                .ok_or("no indices")?;
            match indices[..] {
                [start, end] => Ok((value.to_string(), start, end)),
                _ => Err(format!("indices {indices:?} are not a pair")),
            }
        })
        .collect()
}

fn triples(entities: &[Entity]) -> Vec<(String, usize, usize)> {
    entities
        .iter()
        .map(|e| (e.text.clone(), e.start, e.end))
        .collect()
}

fn texts(entities: &[Entity]) -> Vec<String> {
    entities.iter().map(|e| e.text.clone()).collect()
}

#[test]
fn weighted_length_sections_of_validate_yml() {
    let sections = [
        "WeightedTweetsCounterTest",
        "WeightedTweetsWithDiscountedEmojiCounterTest",
        "UnicodeDirectionalMarkerCounterTest",
    ];
    run("validate.yml", &sections, |section, case| {
        let version = if section == "WeightedTweetsCounterTest" {
            Version::V2
        } else {
            Version::V3
        };
        let got = tweet::parse_tweet(&case.text, Config::get(version));
        let e = &case.expected;
        let want_valid = e
            .get("valid")
            .and_then(Value::as_bool)
            .ok_or("expected.valid")?;
        same(
            [
                u64::from(got.weighted_length),
                u64::from(got.permillage),
                got.display_range_start as u64,
                got.display_range_end as u64,
                got.valid_range_start as u64,
                got.valid_range_end as u64,
            ],
            [
                int(e, "weightedLength")?,
                int(e, "permillage")?,
                int(e, "displayRangeStart")?,
                int(e, "displayRangeEnd")?,
                int(e, "validRangeStart")?,
                int(e, "validRangeEnd")?,
            ],
        )?;
        same(got.valid, want_valid)
    });
}

#[test]
fn extraction_sections_of_extract_yml() {
    let sections = [
        "mentions",
        "mentions_with_indices",
        "mentions_or_lists_with_indices",
        "replies",
        "hashtags",
        "hashtags_from_astral",
        "hashtags_with_indices",
        "urls",
        "urls_with_indices",
        "urls_with_directional_markers",
        "tco_urls_with_params",
        "cashtags",
        "cashtags_with_indices",
    ];
    run("extract.yml", &sections, |section, case| {
        let (text, e) = (case.text.as_str(), &case.expected);
        match section {
            "mentions" => same(texts(&tweet::extract_mentions(text)), string_list(e)?),
            "mentions_with_indices" => same(
                triples(&tweet::extract_mentions(text)),
                indexed(e, "screen_name")?,
            ),
            "mentions_or_lists_with_indices" => {
                let got: Vec<_> = tweet::extract_mentions_or_lists(text)
                    .into_iter()
                    .map(|m| (m.text, m.list_slug.unwrap_or_default(), m.start, m.end))
                    .collect();
                let items = e.as_sequence().ok_or("expected is not a list")?;
                let slugs = items.iter().map(|i| {
                    i.get("list_slug")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or("no list_slug")
                });
                let want: Vec<_> = indexed(e, "screen_name")?
                    .into_iter()
                    .zip(slugs)
                    .map(|((name, a, b), slug)| slug.map(|s| (name, s, a, b)))
                    .collect::<Result<_, _>>()?;
                same(got, want)
            }
            "replies" => same(tweet::extract_reply(text), e.as_str().map(str::to_string)),
            "hashtags" | "hashtags_from_astral" => {
                same(texts(&tweet::extract_hashtags(text)), string_list(e)?)
            }
            "hashtags_with_indices" => same(
                triples(&tweet::extract_hashtags(text)),
                indexed(e, "hashtag")?,
            ),
            "urls" | "tco_urls_with_params" => {
                same(texts(&tweet::extract_urls(text)), string_list(e)?)
            }
            "urls_with_indices" | "urls_with_directional_markers" => {
                same(triples(&tweet::extract_urls(text)), indexed(e, "url")?)
            }
            "cashtags" => same(texts(&tweet::extract_cashtags(text)), string_list(e)?),
            "cashtags_with_indices" => same(
                triples(&tweet::extract_cashtags(text)),
                indexed(e, "cashtag")?,
            ),
            other => Err(format!("no runner for section {other}")),
        }
    });
}
