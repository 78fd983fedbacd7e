//! Language guess for short texts: French, English, or unknown, with a confidence.
//!
//! Comments under a brand's post are short ("trop cher pour ce que c'est", "still no
//! refund??"), so a model needing a paragraph is no use. The guess adds up three kinds of
//! evidence, each a small embedded table: function words (the few hundred words every
//! sentence uses, which differ sharply between French and English), character n-grams
//! typical of each spelling ("eau", "oi", "qu" vs "th", "wh", "ck"), and accented letters.
//! A third column collects Spanish, Italian, German, Portuguese and Dutch evidence, so a
//! comment in those languages is reported as unknown rather than forced into fr or en.
//! Mentions, URLs and digits carry no evidence and are skipped.

use super::tokens::{tokens, TokenKind};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
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

/// Words found almost only in French, weight 1.0 (lower case, accents kept).
const FR_WORDS: &str = "le les un une des du et est sont je tu il elle nous vous ils elles \
    ce cette ces mon ma mes ton ta tes sa ses notre nos votre vos leur leurs qui quoi dont où \
    pas ne plus très bien avec pour par sur dans sans sous chez mais ou donc car au aux été \
    être avoir ai avons avez ont suis sommes êtes fait faire dit peut tout tous toute toutes \
    rien aussi encore jamais toujours déjà comme quand alors merci bonjour bonsoir salut oui \
    trop vraiment beaucoup peu ça ici là voilà chose fois même autre après avant depuis \
    pendant contre entre vers moi toi lui eux quel quelle quels quelles pourquoi comment \
    combien était avait sera serait va vais vont allez fais font veux voulez pouvez faut \
    cest jai jsuis chui ya vs svp stp mdr ptdr bcp pcq parce cet ces ceux celle celui \
    aujourd'hui c' d' j' l' m' n' s' t' qu' jusqu' lorsqu' puisqu' quelqu'un personne \
    madame monsieur commande livraison remboursement colis service client clients magasin \
    produit produits prix cher gratuit problème retour depuis semaine mois jour heures \
    sinon mieux parle jte jsp tkt wsh frère avoir déçu déçue nul nulle";

/// Words French shares with other Romance languages, weight 0.4.
const FR_WEAK: &str = "de la en que si y se te";

/// Words found almost only in English, weight 1.0.
const EN_WORDS: &str = "the and or but is are was were be been being am i you he she it we \
    they him her us them my your his its our their this that these those what which who \
    whom whose where when why how not yes do does did have has had will would can could \
    should shall may might must of to in for with from by at about into like through after \
    over between out against during without before under around among up down off than then \
    so just also very too only all any some each every both few more most other such own \
    same there here now ever never always again still yet don't doesn't didn't isn't aren't \
    wasn't can't won't i'm you're it's that's there's let's i've i'll thanks thank please \
    hello hi hey get got go going want need know think people good great really dont cant \
    im ive thats youre lol omg pls thx order delivery refund package customer store product \
    price expensive free problem return week month day hours \
    u ur ya yo ima gonna wanna aint yall bye love stupid dumb happy";

/// Spanish, Italian, German, Portuguese and Dutch function words, weight 1.0.
const OTHER_WORDS: &str = "el los las del por para con una está pero muy también qué como \
    más yo él ella nosotros ellos hola gracias gli della delle che non sono anche ciao grazie \
    molto questo questa der das und ist nicht ich du er sie wir ein eine mit für auf dem den \
    zu von sich auch danke bitte não você uma obrigado obrigada muito het een van niet ik je \
    dat op voor zijn estoy tengo porque pero cuando donde aber oder sehr wie jetzt";

/// Character n-grams typical of each spelling, searched in " word " (space-padded), with
/// their weight. French first, then English, then the other languages.
const FR_GRAMS: &[(&str, f32)] = &[
    ("eau", 1.0),
    ("aux ", 0.8),
    ("oi", 0.5),
    ("qu", 0.5),
    ("ou", 0.3),
    ("ai", 0.3),
    ("eux", 0.8),
    ("euse", 0.8),
    ("ette ", 0.6),
    ("ille", 0.4),
    ("gn", 0.4),
    ("aient ", 1.0),
    ("ait ", 0.6),
    ("ais ", 0.6),
    ("ez ", 0.8),
    ("ier ", 0.4),
    ("er ", 0.2),
    ("ent ", 0.3),
    ("ment ", 0.3),
    ("tion", 0.1),
    (" dé", 0.6),
    (" ré", 0.6),
    (" pr", 0.2),
    ("onn", 0.4),
    ("ouv", 0.5),
    ("oir", 0.6),
    ("ux ", 0.5),
    ("é", 1.2),
    ("è", 1.2),
    ("ê", 1.2),
    ("à", 1.0),
    ("ç", 1.2),
    ("ù", 1.2),
    ("œ", 1.5),
    ("û", 1.0),
    ("î", 1.0),
    ("ô", 0.8),
    ("â", 0.8),
    ("ë", 0.8),
    ("ï", 1.0),
];
const EN_GRAMS: &[(&str, f32)] = &[
    ("th", 0.8),
    ("wh", 1.0),
    ("sh", 0.5),
    ("ght", 1.0),
    ("ing ", 1.0),
    ("ck", 0.6),
    ("w", 0.5),
    ("k", 0.3),
    ("ly ", 0.8),
    ("y ", 0.4),
    ("ee", 0.5),
    ("oo", 0.5),
    ("ea", 0.4),
    ("ed ", 0.6),
    ("ay", 0.5),
    ("ow", 0.5),
    ("'s ", 0.6),
    ("n't ", 1.0),
    ("ss ", 0.3),
    ("ful ", 0.8),
    ("ness ", 0.8),
    (" un", 0.2),
    ("ey ", 0.5),
    ("ould ", 1.0),
];
const OTHER_GRAMS: &[(&str, f32)] = &[
    ("ñ", 2.0),
    ("¿", 2.0),
    ("¡", 2.0),
    ("ß", 2.0),
    ("ä", 1.5),
    ("ö", 1.5),
    ("ü", 1.2),
    ("ã", 2.0),
    ("õ", 2.0),
    ("á", 1.2),
    ("í", 1.2),
    ("ó", 1.2),
    ("ú", 1.2),
    ("ción", 1.5),
    ("sch", 1.2),
    ("ij", 0.8),
    ("zione", 1.5),
    ("cht", 1.0),
    ("oo ", 0.3),
];

/// Less evidence than this and the text is unknown (a name, an emoji, "ok").
const MIN_EVIDENCE: f32 = 1.0;
/// Share of the French+English evidence the winner needs; below it the text is mixed.
const MIN_SHARE: f32 = 0.62;

/// Guesses the language of `text`.
pub fn guess(text: &str) -> LangGuess {
    let [fr, en, other] = evidence(text);
    let total = fr + en + other;
    if total < MIN_EVIDENCE {
        return LangGuess {
            lang: Lang::Unknown,
            confidence: 0.0,
        };
    }
    // Saturates with the amount of evidence: one weak cue is not certainty.
    let strength = 1.0 - (-total / 2.5).exp();
    if other > fr.max(en) {
        return LangGuess {
            lang: Lang::Unknown,
            confidence: strength * other / total,
        };
    }
    let (lang, best) = if fr >= en {
        (Lang::Fr, fr)
    } else {
        (Lang::En, en)
    };
    let share = best / (fr + en);
    if share < MIN_SHARE {
        return LangGuess {
            lang: Lang::Unknown,
            confidence: strength * (1.0 - share),
        };
    }
    LangGuess {
        lang,
        confidence: (strength * best / total).clamp(0.0, 1.0),
    }
}

/// Evidence past which more text changes nothing: long texts stop being read there.
const ENOUGH_EVIDENCE: f32 = 40.0;

/// Function-word weights per language (French, English, other), built once.
fn word_table() -> &'static HashMap<&'static str, [f32; 3]> {
    static TABLE: OnceLock<HashMap<&'static str, [f32; 3]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<&'static str, [f32; 3]> = HashMap::new();
        for (list, column, weight) in [
            (FR_WORDS, 0, 1.0),
            (FR_WEAK, 0, 0.4),
            (EN_WORDS, 1, 1.0),
            (OTHER_WORDS, 2, 1.0),
        ] {
            for word in list.split_whitespace() {
                table.entry(word).or_default()[column] = weight;
            }
        }
        table
    })
}

/// Every n-gram with its language column and weight, sorted by first character so the
/// grams that can start at a position are found by binary search.
fn gram_table() -> &'static [(char, &'static str, usize, f32)] {
    static TABLE: OnceLock<Vec<(char, &'static str, usize, f32)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(char, &'static str, usize, f32)> = [FR_GRAMS, EN_GRAMS, OTHER_GRAMS]
            .iter()
            .enumerate()
            .flat_map(|(column, grams)| {
                grams
                    .iter()
                    .filter_map(move |&(g, w)| g.chars().next().map(|first| (first, g, column, w)))
            })
            .collect();
        table.sort_by_key(|e| e.0);
        table
    })
}

/// N-gram evidence of one space-padded, lower-case word.
fn gram_evidence(padded: &str, score: &mut [f32; 3]) {
    let grams = gram_table();
    for (at, c) in padded.char_indices() {
        let from = grams.partition_point(|e| e.0 < c);
        for &(_, gram, column, weight) in grams[from..].iter().take_while(|e| e.0 == c) {
            if padded[at..].starts_with(gram) {
                // Supporting evidence: a word's spelling counts less than a function word.
                score[column] += 0.35 * weight;
            }
        }
    }
}

/// French, English and other-language evidence in `text`.
fn evidence(text: &str) -> [f32; 3] {
    let words = word_table();
    let mut score = [0.0f32; 3];
    let mut padded = String::new();
    for chunk in text.split_whitespace() {
        if chunk.starts_with('@') || chunk.contains("://") || chunk.starts_with("www.") {
            continue;
        }
        for token in tokens(chunk) {
            if token.kind == TokenKind::Number {
                continue;
            }
            padded.clear();
            padded.push(' ');
            padded.extend(token.text.chars().flat_map(char::to_lowercase));
            padded.push(' ');
            let padded = padded.replace('\u{2019}', "'");
            if let Some(w) = words.get(padded.trim()) {
                score.iter_mut().zip(w).for_each(|(s, w)| *s += w);
            }
            gram_evidence(&padded, &mut score);
        }
        if score.iter().sum::<f32>() > ENOUGH_EVIDENCE {
            break;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(text: &str) -> Lang {
        guess(text).lang
    }

    #[test]
    fn five_word_comments() {
        for fr in [
            "Toujours pas reçu ma commande",
            "Merci pour votre réponse rapide",
            "c'est vraiment trop cher franchement",
            "Le service client ne répond jamais",
            "Vous êtes au top, bravo",
            "jsuis dégoûté du produit",
        ] {
            assert_eq!(lang(fr), Lang::Fr, "{fr}");
        }
        for en in [
            "Still waiting for my refund",
            "Thanks for the quick reply",
            "This is way too expensive",
            "Nobody answers the phone here",
            "You guys are the best",
            "why is my order late",
        ] {
            assert_eq!(lang(en), Lang::En, "{en}");
        }
    }

    #[test]
    fn other_languages_and_noise_are_unknown() {
        for text in [
            "Hola, ¿cómo estás? Muy bien gracias",
            "Ich bin nicht zufrieden mit dem Produkt",
            "👍👍👍",
            "@marie https://example.com",
            "OK",
            "",
        ] {
            assert_eq!(lang(text), Lang::Unknown, "{text}");
        }
    }

    #[test]
    fn mixed_text_is_unknown_or_less_sure() {
        let mixed = guess("Merci beaucoup, thanks a lot");
        let clear = guess("Merci beaucoup pour tout, vraiment");
        assert!(mixed.lang == Lang::Unknown || mixed.confidence < clear.confidence);
        assert_eq!(clear.lang, Lang::Fr);
        assert!(clear.confidence > 0.5, "{clear:?}");
    }

    #[test]
    fn confidence_grows_with_evidence() {
        let short = guess("merci");
        let long = guess("merci beaucoup pour votre aide, c'est très gentil de votre part");
        assert_eq!((short.lang, long.lang), (Lang::Fr, Lang::Fr));
        assert!(long.confidence > short.confidence);
        assert!((0.0..=1.0).contains(&long.confidence));
    }
}
