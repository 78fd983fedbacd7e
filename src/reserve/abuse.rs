//! The `reserve` pack: insults, contempt, threats, slurs, swearing and dismissal.
//!
//! One pass of the lexicon automaton over the normalised draft yields *cues*. Some are
//! findings on their own (swearing, slurs, name-calling, dismissal); the rest (contempt,
//! hostile feelings, violence) only count when aimed at people: "you", a person, a group,
//! or a pronoun next to a sentence naming people. So "je déteste la pizza" and "kills
//! 99 % of germs" pass while "je déteste les serveurs" and "I will kill you" do not.
//! A negator just before a cue ("je ne déteste pas"), words that report or denounce what
//! someone else said ("dire que vous détestez…", "calling women trash") and listed
//! harmless uses ("une offre qui tue", "killer deal") switch a cue off. Swearing stays a
//! finding even then: a brand never swears.

use super::lexicon::{Cue, Entry, Lexicon};
use crate::text::lang::Lang;
use crate::text::normalize::Normalized;
use std::ops::Range;

/// How far (in words) a target may sit from the cue it makes hostile.
const NAMED_WINDOW: usize = 8;
const YOU_WINDOW: usize = 6;
/// How far before a cue a negator still negates it.
const NEG_WINDOW: usize = 8;
const INSULT_NEG_WINDOW: usize = 3;

/// What kind of reserve problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Insult,
    Contempt,
    Threat,
    Slur,
    IdentityAttack,
    Swearing,
    Dismissal,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Insult => "insult",
            Category::Contempt => "contempt",
            Category::Threat => "threat",
            Category::Slur => "slur",
            Category::IdentityAttack => "identity-attack",
            Category::Swearing => "swearing",
            Category::Dismissal => "dismissal",
        }
    }

    /// Why the words cannot be posted, in French and English.
    pub fn message(self) -> (&'static str, &'static str) {
        match self {
            Category::Insult => (
                "Insulte : une marque ne traite jamais quelqu'un de noms.",
                "Insult: a brand never calls anyone names.",
            ),
            Category::Contempt => (
                "Mépris visant une personne ou un groupe.",
                "Contempt aimed at a person or a group.",
            ),
            Category::Threat => (
                "Menace ou violence visant des personnes.",
                "Threat or violence aimed at people.",
            ),
            Category::Slur => (
                "Terme injurieux visant une identité.",
                "Slur: an identity used as an insult.",
            ),
            Category::IdentityAttack => (
                "Attaque contre un groupe de personnes (origine, religion, genre, handicap…).",
                "Attack on a group of people (origin, religion, gender, disability…).",
            ),
            Category::Swearing => (
                "Grossièreté : même sans viser personne, une marque ne jure pas.",
                "Swearing: even aimed at no one, a brand does not swear.",
            ),
            Category::Dismissal => (
                "Réponse qui congédie le client.",
                "This brushes the customer off.",
            ),
        }
    }

    /// A rewrite hint, in French and English.
    pub fn hint(self) -> (&'static str, &'static str) {
        match self {
            Category::Swearing => (
                "Retirez le juron ou remplacez-le par un mot neutre.",
                "Remove the swear word or use a neutral one.",
            ),
            Category::Dismissal => (
                "Proposez une solution : « Écrivez-nous en message privé, nous regardons cela ensemble. »",
                "Offer a way forward: \"Send us a private message and we'll look into it together.\"",
            ),
            _ => (
                "Décrivez le problème, pas la personne ; restez factuel et courtois.",
                "Describe the problem, not the person; stay factual and courteous.",
            ),
        }
    }
}

/// One reserve problem: where in the original text and what kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbuseHit {
    pub range: Range<usize>,
    pub category: Category,
}

/// The compiled reserve pack.
#[derive(Debug, Clone)]
pub struct Abuse {
    lexicon: &'static Lexicon,
}

impl Default for Abuse {
    fn default() -> Self {
        Abuse {
            lexicon: Lexicon::shared(),
        }
    }
}

/// A cue found in the draft, placed in words and sentences.
#[derive(Debug, Clone)]
struct Placed {
    entry: Entry,
    norm: Range<usize>,
    /// First and last word index.
    first: usize,
    last: usize,
    sentence: usize,
}

impl Abuse {
    /// The reserve problems in `text` (whose normalised form is `norm`), in text order.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub fn find(&self, text: &str, norm: &Normalized, lang: Lang) -> Vec<AbuseHit> {
        let hits = self.lexicon.matcher.find(norm);
        // Most drafts meet only pronouns and negators: nothing to judge, no layout.
        let judged = hits.iter().any(|h| {
            let entry = self.lexicon.entries.get(h.owner as usize);
            entry.is_some_and(|e| e.cue.may_be_finding() && counts_in(e, lang))
        });
        if !judged {
            return Vec::new();
        }
        let layout = Layout::new(text, norm);
        let mut cues: Vec<Placed> = hits
            .into_iter()
            .filter_map(|h| {
                let entry = *self.lexicon.entries.get(h.owner as usize)?;
                counts_in(&entry, lang).then(|| layout.place(norm, entry, h.range))
            })
            .collect();
        let masks: Vec<Range<usize>> = cues
            .iter()
            .filter(|c| c.entry.cue == Cue::Harmless)
            .map(|c| c.norm.clone())
            .collect();
        cues.retain(|c| !masks.iter().any(|m| overlaps(m, &c.norm)));

        let mut found: Vec<AbuseHit> = cues
            .iter()
            .filter_map(|cue| {
                let category = judge(cue, &cues, &layout)?;
                Some(AbuseHit {
                    range: norm.original_range(cue.norm.clone()),
                    category,
                })
            })
            .collect();
        keep_outermost(&mut found);
        found
    }
}

/// Whether an entry applies to a draft in `lang`. Entries of the other language still
/// count for swearing, slurs and insults (code-switching: "quel fucking retard"), unless
/// marked as own-language only.
fn counts_in(entry: &Entry, lang: Lang) -> bool {
    if entry.lang == lang {
        return true;
    }
    let always = matches!(entry.cue, Cue::Swear | Cue::Slur | Cue::Insult);
    match lang {
        Lang::Unknown => !(always && entry.own_language_only),
        _ => always && !entry.own_language_only,
    }
}

/// The category of a cue when it is a finding, `None` when it is not.
#[cfg_attr(tact_speed, optimize(speed))]
fn judge(cue: &Placed, all: &[Placed], layout: &Layout) -> Option<Category> {
    let reported = || {
        all.iter()
            .any(|o| o.entry.cue == Cue::Report && o.sentence == cue.sentence && o.last < cue.first)
    };
    // Threats are negated anywhere earlier in their clause ("no woman ought to be
    // executed"); other cues only by a negator close before them. A clause boundary
    // ("que", "but", "parce que") ends the negation's reach.
    let window = |w: usize| match cue.entry.cue {
        Cue::Threat => usize::MAX,
        _ => w,
    };
    // French negation brackets the verb: "je ne déteste pas", "je ne les hais plus".
    let bracketed = || {
        (1..=2).any(|d| cue.first.checked_sub(d).is_some_and(|w| layout.is_ne(w)))
            && all.iter().any(|o| {
                o.entry.cue == Cue::Neg
                    && o.entry.lang == Lang::Fr
                    && o.sentence == cue.sentence
                    && o.first == cue.last + 1
            })
    };
    let negated = |w: usize| {
        !cue.entry.has_negation
            && (bracketed()
                || all.iter().any(|o| {
                    o.entry.cue == Cue::Neg
                        && o.sentence == cue.sentence
                        && o.last < cue.first
                        && cue.first - o.last <= window(w)
                        && !layout.boundary_between(o.last, cue.first)
                }))
    };
    match cue.entry.cue {
        Cue::Swear => Some(Category::Swearing),
        Cue::Dismiss => Some(Category::Dismissal),
        Cue::Slur | Cue::Insult if reported() || negated(INSULT_NEG_WINDOW) => None,
        Cue::Slur => Some(Category::Slur),
        Cue::Insult => Some(Category::Insult),
        Cue::Contempt | Cue::Hate | Cue::Threat => {
            let target = target(cue, all)?;
            if reported() || negated(NEG_WINDOW) {
                return None;
            }
            Some(match (cue.entry.cue, target) {
                (Cue::Threat, _) => Category::Threat,
                (_, Cue::Group) => Category::IdentityAttack,
                _ => Category::Contempt,
            })
        }
        // Targets, negators, reports and harmless uses (see `Cue::may_be_finding`).
        _ => None,
    }
}

/// The target that makes a conditional cue hostile: `Group`, `Human`, `You`, or `None`.
#[cfg_attr(tact_speed, optimize(speed))]
fn target(cue: &Placed, all: &[Placed]) -> Option<Cue> {
    let distance = |o: &Placed| {
        if o.last < cue.first {
            cue.first - o.last
        } else {
            o.first.saturating_sub(cue.last)
        }
    };
    let near = |o: &&Placed, window: usize| o.sentence == cue.sentence && distance(o) <= window;
    let mut best: Option<Cue> = None;
    for other in all {
        let found = match other.entry.cue {
            Cue::Group if near(&other, NAMED_WINDOW) => Cue::Group,
            Cue::Human if near(&other, NAMED_WINDOW) => Cue::Human,
            Cue::You if near(&other, YOU_WINDOW) && !cue.entry.needs_named_target => Cue::You,
            Cue::Pronoun if near(&other, NAMED_WINDOW) && names_people_nearby(cue, all) => {
                Cue::Human
            }
            _ => continue,
        };
        best = match (best, found) {
            (Some(Cue::Group), _) | (_, Cue::Group) => Some(Cue::Group),
            (Some(Cue::Human), _) | (_, Cue::Human) => Some(Cue::Human),
            _ => Some(found),
        };
    }
    best
}

/// Whether the cue's sentence, or the one before or after it, names people ("Those women won't
/// change. Let's just eradicate them.").
fn names_people_nearby(cue: &Placed, all: &[Placed]) -> bool {
    all.iter().any(|o| {
        matches!(o.entry.cue, Cue::Group | Cue::Human)
            && o.sentence + 1 >= cue.sentence
            && o.sentence <= cue.sentence + 1
    })
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Drops hits inside a longer hit ("pute" inside "fils de pute"), keeping text order.
#[cfg_attr(tact_speed, optimize(speed))]
fn keep_outermost(hits: &mut Vec<AbuseHit>) {
    crate::sort::nearly_sorted_by_key(hits, |h| {
        (h.range.start, std::cmp::Reverse(h.range.end), h.category)
    });
    let mut kept: Vec<AbuseHit> = Vec::with_capacity(hits.len());
    for hit in hits.drain(..) {
        match kept.last() {
            Some(last) if hit.range.end <= last.range.end => {}
            _ => kept.push(hit),
        }
    }
    *hits = kept;
}

/// Word and sentence positions of the normalised text.
struct Layout<'a> {
    /// Normalised byte range of each word.
    words: &'a [Range<usize>],
    /// Original byte offsets of sentence ends.
    sentence_ends: Vec<usize>,
    /// Indices of words that open a new clause.
    boundaries: Vec<usize>,
    /// Indices of the words "ne" and "n" (first half of a French negation).
    ne: Vec<usize>,
}

/// Whether a word opens a clause, beyond which a negation does not reach.
fn opens_clause(word: &str) -> bool {
    matches!(
        word,
        "que"
            | "qu"
            | "qui"
            | "mais"
            | "pourquoi"
            | "parce"
            | "car"
            | "that"
            | "but"
            | "because"
            | "who"
            | "which"
            | "why"
    )
}

impl<'a> Layout<'a> {
    #[cfg_attr(tact_speed, optimize(speed))]
    fn new(text: &str, norm: &'a Normalized) -> Layout<'a> {
        // Sentence ends are ASCII except "…" (E2 80 A6): found without decoding.
        let bytes = text.as_bytes();
        let sentence_ends = bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| match b {
                b'.' | b'!' | b'?' | b';' | b'\n' => true,
                0xE2 => bytes.get(i + 1..i + 3) == Some(&[0x80, 0xA6]),
                _ => false,
            })
            .map(|(i, _)| i)
            .collect();
        let mut boundaries = Vec::new();
        let mut ne = Vec::new();
        let all = norm.as_str();
        for (i, range) in norm.word_ranges().iter().enumerate() {
            let w = &all[range.clone()];
            if matches!(w, "ne" | "n") {
                ne.push(i);
            } else if opens_clause(w) {
                boundaries.push(i);
            }
        }
        Layout {
            words: norm.word_ranges(),
            sentence_ends,
            boundaries,
            ne,
        }
    }

    fn is_ne(&self, word: usize) -> bool {
        self.ne.binary_search(&word).is_ok()
    }

    /// Whether a clause opens strictly between words `a` and `b`.
    fn boundary_between(&self, a: usize, b: usize) -> bool {
        let i = self.boundaries.partition_point(|&w| w <= a);
        self.boundaries.get(i).is_some_and(|&w| w < b)
    }

    fn word_at(&self, offset: usize) -> usize {
        self.words
            .partition_point(|w| w.start <= offset)
            .saturating_sub(1)
    }

    #[cfg_attr(tact_speed, optimize(speed))]
    fn place(&self, norm: &Normalized, entry: Entry, norm_range: Range<usize>) -> Placed {
        let first = self.word_at(norm_range.start);
        let last = self.word_at(norm_range.end.saturating_sub(1)).max(first);
        let at = norm.original_range(norm_range.clone()).start;
        Placed {
            entry,
            norm: norm_range,
            first,
            last,
            sentence: self.sentence_ends.partition_point(|&end| end < at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories(text: &str, lang: Lang) -> Vec<(String, &'static str)> {
        let abuse = Abuse::default();
        let norm = Normalized::new(text);
        abuse
            .find(text, &norm, lang)
            .into_iter()
            .map(|h| (text[h.range].to_string(), h.category.as_str()))
            .collect()
    }

    #[test]
    fn insults_aimed_at_you_are_found_with_their_words() {
        assert_eq!(
            categories("Vous êtes des c0nnards.", Lang::Fr),
            vec![("c0nnards".to_string(), "insult")]
        );
        let found = categories("You people are pathetic", Lang::En);
        assert_eq!(found, vec![("pathetic".to_string(), "contempt")]);
    }

    #[test]
    fn objects_homonyms_and_negations_pass() {
        for (text, lang) in [
            ("Ce produit tue 99 % des bactéries.", Lang::Fr),
            ("Je déteste la pizza.", Lang::Fr),
            ("Je ne déteste pas les serveurs.", Lang::Fr),
            ("This deal is a killer!", Lang::En),
            ("Our spray kills germs on contact.", Lang::En),
            ("I don't hate women.", Lang::En),
            (
                "Dire que vous détestez les femmes montre à quel point vous vous fourvoyez.",
                Lang::Fr,
            ),
        ] {
            assert!(
                categories(text, lang).is_empty(),
                "{text}: {:?}",
                categories(text, lang)
            );
        }
    }

    #[test]
    fn people_targets_make_hate_and_threats_findings() {
        assert_eq!(
            categories("Je déteste les serveurs.", Lang::Fr),
            vec![("déteste".to_string(), "contempt")]
        );
        assert_eq!(
            categories("I will kill you.", Lang::En),
            vec![("I will kill".to_string(), "threat")]
        );
        assert_eq!(
            categories("Les réfugiés sont dégueulasses.", Lang::Fr),
            vec![("dégueulasses".to_string(), "identity-attack")]
        );
    }

    #[test]
    fn swearing_counts_even_when_aimed_at_no_one() {
        assert_eq!(
            categories("Putain, quelle journée", Lang::Fr),
            vec![("Putain".to_string(), "swearing")]
        );
        assert_eq!(
            categories("Nobody cares, go away.", Lang::En)
                .iter()
                .map(|c| c.1)
                .collect::<Vec<_>>(),
            vec!["dismissal", "dismissal"]
        );
    }
}
