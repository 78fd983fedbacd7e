//! `tact tweet`: weighted length, validity and entities of a tweet, as X counts them.
//!
//! Exit status: 0 when X would accept the text, 2 when it would refuse it (too long, empty
//! or holding a forbidden character), 3 on a usage or input error.

use super::{read_text, CliError};
use crate::text::tweet::{self, Config, Entities, Entity, TweetParse, Version};
use serde::Serialize;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The tweet; read from standard input when absent (one final newline is dropped).
    text: Option<String>,
    /// twitter-text weighting configuration: v3 counts an emoji sequence as one emoji.
    #[arg(long, value_enum, default_value_t = ConfigName::V3)]
    config: ConfigName,
    /// Output: a readable summary, or JSON with twitter-text's parseTweet field names.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ConfigName {
    V2,
    V3,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// The JSON document: parseTweet's fields plus the entities.
#[derive(Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    parse: &'a TweetParse,
    entities: &'a Entities,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let from_stdin = args.text.is_none();
    let mut text = read_text(args.text)?;
    if from_stdin {
        let trimmed = text
            .strip_suffix('\n')
            .map(|t| t.strip_suffix('\r').unwrap_or(t));
        text = trimmed.unwrap_or(&text).to_string();
    }
    let version = match args.config {
        ConfigName::V2 => Version::V2,
        ConfigName::V3 => Version::V3,
    };
    let config = Config::get(version);
    let parse = tweet::parse_tweet(&text, config);
    let entities = tweet::extract_entities(&text);
    let out = match args.format {
        Format::Json => {
            let output = Output {
                parse: &parse,
                entities: &entities,
            };
            let json = serde_json::to_string_pretty(&output)
                .map_err(|e| CliError(format!("cannot write JSON: {e}")))?;
            json + "\n"
        }
        Format::Text => summary(&parse, &entities, config),
    };
    out!("{out}")?;
    Ok(ExitCode::from(if parse.valid { 0 } else { 2 }))
}

fn summary(p: &TweetParse, e: &Entities, config: &Config) -> String {
    let max = config.max_weighted_tweet_length;
    let verdict = if p.valid {
        "fits".to_string()
    } else if p.weighted_length > max {
        format!("too long by {}", p.weighted_length - max)
    } else if p.weighted_length == 0 {
        "empty".to_string()
    } else {
        "holds a character X refuses (U+FFFE, U+FEFF or U+FFFF)".to_string()
    };
    let mut out = format!(
        "weighted length {}/{} ({}‰): {}\nvalid range {}..={}, display range {}..={} (UTF-16)\n",
        p.weighted_length,
        max,
        p.permillage,
        verdict,
        p.valid_range_start,
        p.valid_range_end,
        p.display_range_start,
        p.display_range_end
    );
    for (label, sign, list) in [
        ("mentions", "@", &e.mentions),
        ("hashtags", "#", &e.hashtags),
        ("urls", "", &e.urls),
        ("cashtags", "$", &e.cashtags),
    ] {
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(|x| item(sign, x)).collect();
            out += &format!("{label}: {}\n", items.join(", "));
        }
    }
    out
}

fn item(sign: &str, e: &Entity) -> String {
    let slug = e.list_slug.as_deref().unwrap_or("");
    format!("{sign}{}{slug} [{}..{}]", e.text, e.start, e.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_the_problem_and_the_entities() {
        let config = Config::get(Version::V3);
        let text = "Merci @marie ! #café https://exemple.fr";
        let s = summary(
            &tweet::parse_tweet(text, config),
            &tweet::extract_entities(text),
            config,
        );
        assert!(s.starts_with("weighted length 44/280 (157‰): fits"), "{s}");
        assert!(s.contains("mentions: @marie [6..12]"), "{s}");
        assert!(s.contains("hashtags: #café [15..20]"), "{s}");
        let long = "a".repeat(290);
        let s = summary(
            &tweet::parse_tweet(&long, config),
            &Entities::default(),
            config,
        );
        assert!(s.contains("too long by 10"), "{s}");
    }
}
