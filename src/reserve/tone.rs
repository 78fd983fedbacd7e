//! Tone packs: `shouting` (words or the whole draft in capitals) and `punctuation`
//! (`!!!`, `?!?!`). Both scan the original text once; no regex.

use std::ops::Range;

/// Capitalised words that are names or acronyms, not shouting.
const ACRONYMS: &[&str] = &[
    "SAV", "FAQ", "CEO", "TVA", "SNCF", "RATP", "EDF", "IBAN", "RIB", "SMS", "URL", "HTTP",
    "HTTPS", "PDF", "USB", "WIFI", "GPS", "TTC", "HT", "CGV", "RGPD", "GDPR", "ASAP", "FYI",
    "NASA", "USA", "UK", "EU", "UE", "PS", "NB", "OK", "DM", "MP", "TV", "API", "APP", "IOS", "PC",
    "MAC", "LOL", "MDR", "ETA", "RSVP", "PIN", "CB", "VISA", "AMEX", "PME", "SARL", "SAS",
];

/// Runs of two or more shouted words, or the whole draft when most of it is in capitals.
/// `skip` is a word never counted (the reply target's name or handle).
pub fn shouting(text: &str, skip: Option<&str>) -> Vec<Range<usize>> {
    let words = words(text);
    let skip = skip.map(|s| s.trim_start_matches('@'));
    // Cheapest test first: most words have a lower-case letter early on.
    let is_shouted = |w: &str| {
        w.chars().all(|c| !c.is_lowercase())
            && w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some()
            && !ACRONYMS.contains(&w)
            && skip.is_none_or(|s| !s.eq_ignore_ascii_case(w))
    };
    let shouted: Vec<bool> = words.iter().map(|w| is_shouted(w.1)).collect();
    let mut letters = 0;
    let mut upper = 0;
    for (w, &loud) in words.iter().zip(&shouted) {
        let n = w.1.chars().count();
        letters += n;
        upper += if loud { n } else { 0 };
    }
    if letters >= 12 && upper * 10 >= letters * 6 {
        let mut loud = words
            .iter()
            .zip(&shouted)
            .filter(|(_, &l)| l)
            .map(|(w, _)| &w.0);
        let first = loud.next().map_or(0..0, Range::clone);
        let last = loud.next_back().map_or(first.end, |r| r.end);
        let whole: Range<usize> = first.start..last;
        return vec![whole];
    }
    let mut out = Vec::new();
    let mut run: Option<(Range<usize>, usize, bool)> = None;
    for (word, &loud) in words.iter().zip(&shouted) {
        if loud {
            let long = word.1.chars().count() >= 4;
            run = Some(match run {
                Some((r, n, l)) => (r.start..word.0.end, n + 1, l || long),
                None => (word.0.clone(), 1, long),
            });
        } else if let Some((r, n, long)) = run.take() {
            if n >= 2 && long {
                out.push(r);
            }
        }
    }
    if let Some((r, n, long)) = run {
        if n >= 2 && long {
            out.push(r);
        }
    }
    out
}

/// Runs of three or more `!`/`?` (or two or more mixed: `?!`).
pub fn punctuation(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() {
        let mark = bytes.get(i).is_some_and(|b| matches!(b, b'!' | b'?'));
        match (mark, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let run = &text[s..i];
                let mixed = run.contains('!') && run.contains('?');
                if run.len() >= 3 || (mixed && run.len() >= 2 && run != "?!") {
                    out.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn words(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let part = c.is_alphanumeric();
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s..i, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shouting_needs_more_than_an_acronym() {
        assert!(shouting("Contactez le SAV ou lisez la FAQ", None).is_empty());
        let text = "Merci, C'EST TOTALEMENT FAUX !";
        let found = shouting(text, None);
        assert_eq!(&text[found[0].clone()], "EST TOTALEMENT FAUX");
        let all = "VOUS NE LISEZ JAMAIS RIEN";
        assert_eq!(shouting(all, None), vec![0..all.len()]);
        assert!(shouting("Bonjour @MARIE LEROY", Some("@MARIE")).is_empty());
    }

    #[test]
    fn punctuation_flags_runs() {
        assert_eq!(punctuation("Quoi ?!?! Non!!!"), vec![5..9, 13..16]);
        assert!(punctuation("Vraiment ?! Merci !").is_empty());
    }
}
