//! The embedded reserve lexicons (`lexicon/fr.txt`, `lexicon/en.txt`) and their parser.
//!
//! The files are plain text compiled into the binary with `include_str!`: compact once
//! gzipped, reviewable in a diff, and parsed in well under a millisecond when an engine
//! is built. Their syntax is documented at the top of `fr.txt`.

use crate::charter::terms::{TermMatcher, TermMatcherBuilder};
use crate::text::lang::Lang;
use std::sync::OnceLock;

const FR: &str = include_str!("lexicon/fr.txt");
const EN: &str = include_str!("lexicon/en.txt");

/// What a lexicon entry tells the reserve check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// Swearing: a finding wherever it is.
    Swear,
    /// Slurs and identity insults: a finding wherever it is.
    Slur,
    /// Name-calling that is an insult on its own.
    Insult,
    /// Contempt, dehumanising words: a finding only when aimed at people.
    Contempt,
    /// Hostile feelings ("je hais", "can't stand"): a finding only when aimed at people.
    Hate,
    /// Violence: a finding only when aimed at people.
    Threat,
    /// Brushing the customer off ("allez voir ailleurs", "nobody cares").
    Dismiss,
    /// The reader: "you", "vous", "tu".
    You,
    /// Third-person pronouns: a target only next to a sentence naming people.
    Pronoun,
    /// People in general or by role.
    Human,
    /// Protected groups (identity).
    Group,
    /// Negators.
    Neg,
    /// Reporting or denouncing someone else's words (counter-speech).
    Report,
    /// Harmless uses that mask any cue they overlap ("tue 99 %", "killer deal").
    Harmless,
}

impl Cue {
    fn parse(section: &str) -> Option<Cue> {
        Some(match section {
            "swear" => Cue::Swear,
            "slur" => Cue::Slur,
            "insult" => Cue::Insult,
            "contempt" => Cue::Contempt,
            "hate" => Cue::Hate,
            "threat" => Cue::Threat,
            "dismiss" => Cue::Dismiss,
            "you" => Cue::You,
            "pronoun" => Cue::Pronoun,
            "human" => Cue::Human,
            "group" => Cue::Group,
            "neg" => Cue::Neg,
            "report" => Cue::Report,
            "harmless" => Cue::Harmless,
            _ => return None,
        })
    }

    /// Whether a cue of this kind can be a finding; the others (targets, negators,
    /// reports, harmless uses) only decide whether one is.
    pub fn may_be_finding(self) -> bool {
        matches!(
            self,
            Cue::Swear
                | Cue::Slur
                | Cue::Insult
                | Cue::Contempt
                | Cue::Hate
                | Cue::Threat
                | Cue::Dismiss
        )
    }
}

/// One lexicon entry as the matcher's owner table keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub cue: Cue,
    pub lang: Lang,
    /// Counts only in drafts of its own language (`=word`).
    pub own_language_only: bool,
    /// Needs people named as target, "you" alone is not enough (`>word`).
    pub needs_named_target: bool,
    /// The entry itself contains a negator, so a negator before it is part of it.
    pub has_negation: bool,
}

/// Both lexicons compiled into one matcher.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub matcher: TermMatcher,
    pub entries: Vec<Entry>,
}

impl Lexicon {
    /// The embedded lexicons, parsed on first use and shared by every engine: a charter
    /// engine then only compiles the charter's own rules.
    pub fn shared() -> &'static Lexicon {
        static SHARED: OnceLock<Lexicon> = OnceLock::new();
        SHARED.get_or_init(Lexicon::embedded)
    }

    /// Parses the embedded files. They are part of the build, so a malformed line is a
    /// bug caught by the tests, not a user error; such a line is skipped.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn embedded() -> Lexicon {
        // Each entry line makes about a dozen spellings (squeezed, plural, typos).
        let count = FR.lines().count() + EN.lines().count();
        let mut builder = TermMatcherBuilder::with_capacity(count * 12, count * 12 * 8);
        let mut entries = Vec::with_capacity(count);
        for (lang, source) in [(Lang::Fr, FR), (Lang::En, EN)] {
            for (cue, line) in lines(source) {
                add_line(&mut builder, &mut entries, cue, lang, line);
            }
        }
        Lexicon {
            matcher: builder.build(),
            entries,
        }
    }
}

/// `(cue, term line)` for every entry of a lexicon source, in order.
fn lines(source: &str) -> impl Iterator<Item = (Cue, &str)> {
    let mut cue = None;
    source.lines().filter_map(move |line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        if let Some(section) = line.strip_prefix('@') {
            cue = Cue::parse(section.trim());
            return None;
        }
        cue.map(|c| (c, line))
    })
}

const NEGATORS: &[&str] = &[
    "ne", "n", "pas", "jamais", "aucun", "aucune", "rien", "sans", "not", "no", "never", "t",
    "without",
];

#[cfg_attr(tact_speed, optimize(speed))]
fn add_line(
    builder: &mut TermMatcherBuilder,
    entries: &mut Vec<Entry>,
    cue: Cue,
    lang: Lang,
    line: &str,
) {
    let own_language_only = line.starts_with('=');
    let needs_named_target = line.starts_with('>');
    let term = line.trim_start_matches(['=', '>']);
    let (term, plural) = match term.strip_suffix('+') {
        Some(stem) => (stem, true),
        None => (term, false),
    };
    let normalized = crate::text::normalize::normalize_term(term);
    let entry = Entry {
        cue,
        lang,
        own_language_only,
        needs_named_target,
        has_negation: normalized.split(' ').any(|w| NEGATORS.contains(&w)),
    };
    let owner = entries.len() as u32;
    entries.push(entry);
    let has_digits = term.bytes().any(|b| b.is_ascii_digit());
    builder.add_normalized(&normalized, term.ends_with('*'), has_digits, owner);
    if plural {
        builder.add(&format!("{term}s"), owner);
    }
    let varied = matches!(
        cue,
        Cue::Swear | Cue::Slur | Cue::Insult | Cue::Contempt | Cue::Hate | Cue::Threat | Cue::Group
    );
    if varied && !term.ends_with('*') && !normalized.contains(' ') {
        for_each_typo(&normalized, |variant| builder.add_exact(variant, owner));
    }
}

/// The length of the longest word of [`TYPO_STOP`]: longer spellings skip the search.
const TYPO_STOP_LONGEST: usize = 7;

/// Typo spellings that are real words, never to stand for the word they misspell
/// (sorted, for binary search).
const TYPO_STOP: &[&str] = &[
    "back", "backs", "batch", "bees", "bobs", "boos", "borde", "card", "carp", "chant", "chat",
    "cher", "chin", "chins", "cone", "depot", "dido", "ding", "garage", "gare", "gros", "haie",
    "hats", "heat", "hopes", "lars", "lose", "mere", "mode", "moon", "nero", "niger", "null",
    "ordre", "ordres", "pets", "pick", "plage", "putin", "puts", "rash", "rice", "sage", "salad",
    "shot", "sick", "site", "sitting", "slope", "soot", "tans", "tard", "trad", "travel", "treat",
    "tree", "true", "uses", "vile", "violet", "voir", "vole", "voler", "volez", "weird", "wore",
];

/// Misspellings people type, or type on purpose to slip past a list: one letter dropped
/// (words of five letters or more) or two neighbours swapped (four or more). The first
/// letter is kept, which is what readers need to still recognise the word. Each distinct
/// spelling is passed to `f` once, built in one reused buffer (the lexicons make tens of
/// thousands when the first engine is built).
#[cfg_attr(tact_speed, optimize(speed))]
fn for_each_typo(word: &str, mut f: impl FnMut(&str)) {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let end = |i: usize| chars.get(i).map_or(word.len(), |&(b, _)| b);
    let mut buffer = String::with_capacity(word.len());
    let mut offer = |buffer: &str| {
        let stop = buffer.len() <= TYPO_STOP_LONGEST && TYPO_STOP.binary_search(&buffer).is_ok();
        if buffer.len() >= 4 && !stop {
            f(buffer);
        }
    };
    if chars.len() >= 5 {
        for i in 1..chars.len() {
            // Dropping either of two equal neighbours gives the same spelling.
            if i >= 2 && chars[i].1 == chars[i - 1].1 {
                continue;
            }
            buffer.clear();
            buffer.push_str(&word[..chars[i].0]);
            buffer.push_str(&word[end(i + 1)..]);
            offer(&buffer);
        }
    }
    if chars.len() >= 4 {
        for i in 1..chars.len() - 1 {
            if chars[i].1 != chars[i + 1].1 {
                buffer.clear();
                buffer.push_str(&word[..chars[i].0]);
                buffer.push(chars[i + 1].1);
                buffer.push(chars[i].1);
                buffer.push_str(&word[end(i + 2)..]);
                offer(&buffer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::Normalized;

    #[test]
    fn every_section_and_line_parses() {
        for source in [FR, EN] {
            let mut section = None;
            for line in source.lines().map(str::trim) {
                if let Some(name) = line.strip_prefix('@') {
                    assert!(Cue::parse(name).is_some(), "unknown section {name}");
                    section = Some(name);
                } else if !line.is_empty() && !line.starts_with('#') {
                    assert!(section.is_some(), "entry before any section: {line}");
                    let term = line
                        .trim_start_matches(['=', '>'])
                        .trim_end_matches(['+', '*']);
                    assert!(
                        !crate::text::normalize::normalize_term(term).is_empty(),
                        "entry with nothing to match: {line}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_entry_normalises_as_the_full_normaliser_does() {
        for source in [FR, EN] {
            for (_, line) in lines(source) {
                let term = line.trim_start_matches(['=', '>']).trim_end_matches('+');
                let full = Normalized::new(term).as_str().trim().to_string();
                assert_eq!(crate::text::normalize::normalize_term(term), full, "{line}");
            }
        }
    }

    #[test]
    fn typo_stop_list_is_sorted() {
        assert!(TYPO_STOP.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            TYPO_STOP.iter().map(|w| w.len()).max(),
            Some(TYPO_STOP_LONGEST)
        );
    }

    fn typos(word: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_typo(word, |v| out.push(v.to_string()));
        out
    }

    #[test]
    fn typos_are_distinct_and_match_the_plain_definition() {
        for word in [
            "murder", "connard", "aabbcc", "salope", "fdp", "encule", "ßtraße",
        ] {
            let got = typos(word);
            let mut unique = got.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), got.len(), "{word}: {got:?}");
            // The definition, spelled out: every deletion and swap, deduplicated.
            let chars: Vec<char> = word.chars().collect();
            let mut expected = Vec::new();
            for i in 1..chars.len() {
                if chars.len() >= 5 {
                    let mut v = chars.clone();
                    v.remove(i);
                    expected.push(v.into_iter().collect::<String>());
                }
                if chars.len() >= 4 && i + 1 < chars.len() && chars[i] != chars[i + 1] {
                    let mut v = chars.clone();
                    v.swap(i, i + 1);
                    expected.push(v.into_iter().collect::<String>());
                }
            }
            expected.sort();
            expected.dedup();
            expected.retain(|v| v != word && v.len() >= 4 && !TYPO_STOP.contains(&v.as_str()));
            assert_eq!(unique, expected, "{word}");
        }
    }

    #[test]
    fn typos_keep_the_first_letter_and_skip_real_words() {
        let t = typos("murder");
        assert!(t.contains(&"murdr".to_string()) && t.contains(&"mudrer".to_string()));
        assert!(!t.iter().any(|v| !v.starts_with('m')));
        assert!(!typos("merde").contains(&"mere".to_string()));
        assert!(typos("con").is_empty());
    }

    #[test]
    fn finds_cues_with_their_kind() {
        let lexicon = Lexicon::embedded();
        let text = Normalized::new("Vous êtes des c0nnards");
        let cues: Vec<Cue> = lexicon
            .matcher
            .find(&text)
            .iter()
            .map(|h| lexicon.entries[h.owner as usize].cue)
            .collect();
        assert!(cues.contains(&Cue::You), "{cues:?}");
        assert!(cues.contains(&Cue::Insult), "{cues:?}");
    }
}
