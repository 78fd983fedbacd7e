//! Language guess for short texts: French, English, or unknown, with a confidence.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
    Unknown,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::Unknown => "unknown",
        }
    }
}

/// A guess and how sure it is, in `0.0..=1.0`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LangGuess {
    pub lang: Lang,
    pub confidence: f32,
}

const FR: &[&str] = &[
    "le", "la", "les", "des", "est", "et", "je", "vous", "pour", "pas", "une", "merci", "bonjour",
];
const EN: &[&str] = &[
    "the", "is", "and", "you", "for", "not", "a", "to", "of", "thanks", "hello", "my", "it",
];

/// Stand-in guess by function words; the text core replaces it with a real model.
pub fn guess(text: &str) -> LangGuess {
    let (mut fr, mut en) = (0usize, 0usize);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase();
        fr += FR.contains(&word.as_str()) as usize;
        en += EN.contains(&word.as_str()) as usize;
    }
    let total = fr + en;
    if total == 0 || fr == en {
        return LangGuess {
            lang: Lang::Unknown,
            confidence: 0.0,
        };
    }
    let (lang, hits) = if fr > en {
        (Lang::Fr, fr)
    } else {
        (Lang::En, en)
    };
    LangGuess {
        lang,
        confidence: hits as f32 / total as f32,
    }
}
