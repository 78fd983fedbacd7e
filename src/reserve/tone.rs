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
#[cfg_attr(tact_speed, optimize(speed))]
pub fn shouting(text: &str, skip: Option<&str>) -> Vec<Range<usize>> {
    let skip = skip.map(|s| s.trim_start_matches('@'));
    let exempt = |w: &str| ACRONYMS.contains(&w) || skip.is_some_and(|s| s.eq_ignore_ascii_case(w));
    // One pass: the share of letters in shouted words, the span from the first shouted
    // word to the last, and the runs of consecutive shouted words.
    let mut letters = 0;
    let mut upper = 0;
    let mut loud_span: Option<Range<usize>> = None;
    let mut runs = Vec::new();
    let mut run = Run::default();
    for_each_word(text, |word| {
        letters += word.chars;
        let loud = !word.has_lower && word.alphabetic >= 2 && !exempt(&text[word.range.clone()]);
        if !loud {
            run.close(&mut runs);
            return;
        }
        upper += word.chars;
        loud_span = Some(match loud_span.take() {
            Some(span) => span.start..word.range.end,
            None => word.range.clone(),
        });
        run.extend(&word);
    });
    run.close(&mut runs);
    if letters >= 12 && upper * 10 >= letters * 6 {
        return loud_span.into_iter().collect();
    }
    runs
}

/// Consecutive shouted words: reported when two or more and one has four letters or more.
#[derive(Default)]
struct Run {
    range: Option<Range<usize>>,
    words: usize,
    long: bool,
}

impl Run {
    fn extend(&mut self, word: &WordShape) {
        self.range = Some(match self.range.take() {
            Some(r) => r.start..word.range.end,
            None => word.range.clone(),
        });
        self.words += 1;
        self.long |= word.chars >= 4;
    }

    fn close(&mut self, out: &mut Vec<Range<usize>>) {
        let run = std::mem::take(self);
        if let Some(range) = run.range.filter(|_| run.words >= 2 && run.long) {
            out.push(range);
        }
    }
}

/// Runs of three or more `!`/`?` (or two or more mixed: `?!`).
#[cfg_attr(tact_speed, optimize(speed))]
pub fn punctuation(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mark = |b: &u8| matches!(b, b'!' | b'?');
    let mut from = 0;
    while let Some(s) = bytes[from..].iter().position(mark).map(|i| from + i) {
        let i = bytes[s..]
            .iter()
            .position(|b| !mark(b))
            .map_or(bytes.len(), |n| s + n);
        let run = &text[s..i];
        let mixed = run.contains('!') && run.contains('?');
        if run.len() >= 3 || (mixed && run.len() >= 2 && run != "?!") {
            out.push(s..i);
        }
        from = i;
    }
    out
}

/// A word (a run of alphanumeric characters) and what shouting needs to know of it.
struct WordShape {
    range: Range<usize>,
    chars: usize,
    alphabetic: usize,
    has_lower: bool,
}

impl WordShape {
    /// An empty word starting at byte `start`.
    fn at(start: usize) -> WordShape {
        WordShape {
            range: start..start,
            chars: 0,
            alphabetic: 0,
            has_lower: false,
        }
    }
}

/// For every byte: 0 when not an ASCII letter or digit, [`DIGIT`], [`UPPER`] or
/// [`LOWER`] (letters have bit 1 set, lower case is the only class with bit 0 and 1 set).
const ASCII_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'0'..=b'9' => DIGIT,
            b'A'..=b'Z' => UPPER,
            b'a'..=b'z' => LOWER,
            _ => 0,
        };
        b += 1;
    }
    table
};
const DIGIT: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 3;

/// Calls `f` for every word of `text`, in order. Runs of ASCII letters and digits, most
/// of any draft, are taken in a tight loop without decoding characters.
#[cfg_attr(tact_speed, optimize(speed))]
fn for_each_word(text: &str, mut f: impl FnMut(WordShape)) {
    let bytes = text.as_bytes();
    let mut word: Option<WordShape> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            let w = word.get_or_insert(WordShape::at(i));
            let from = i;
            let mut alphabetic = 0;
            let mut lower = 0;
            while let Some(&class) = bytes.get(i).map(|&b| &ASCII_CLASS[usize::from(b)]) {
                if class == 0 {
                    break;
                }
                alphabetic += usize::from(class >> 1);
                lower |= u8::from(class == LOWER);
                i += 1;
            }
            w.alphabetic += alphabetic;
            w.has_lower |= lower != 0;
            w.chars += i - from;
            w.range.end = i;
            continue;
        }
        if b.is_ascii() {
            if let Some(w) = word.take() {
                f(w);
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if let Some((alphabetic, lower)) = letter_case(c) {
            let w = word.get_or_insert(WordShape::at(i));
            w.range.end = i + c.len_utf8();
            w.chars += 1;
            w.alphabetic += usize::from(alphabetic);
            w.has_lower |= lower;
        } else if let Some(w) = word.take() {
            f(w);
        }
        i += c.len_utf8();
    }
    if let Some(w) = word {
        f(w);
    }
}

/// For an alphanumeric character: whether it is alphabetic and whether lower case; `None`
/// for anything else. The Latin-1 letters (French accents) are answered without the
/// Unicode tables, which were most of the time shouting took on a French draft.
fn letter_case(c: char) -> Option<(bool, bool)> {
    if ('\u{C0}'..='\u{FF}').contains(&c) {
        return (c != '×' && c != '÷').then_some((true, c >= 'ß'));
    }
    c.is_alphanumeric()
        .then(|| (c.is_alphabetic(), c.is_lowercase()))
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
    fn latin_letters_are_classed_as_unicode_does() {
        for c in ('\u{80}'..='\u{2FF}').chain(['œ', 'Œ', 'ǅ', '٣', '👋']) {
            let unicode = c
                .is_alphanumeric()
                .then(|| (c.is_alphabetic(), c.is_lowercase()));
            assert_eq!(letter_case(c), unicode, "{c:?}");
        }
    }

    #[test]
    fn punctuation_flags_runs() {
        assert_eq!(punctuation("Quoi ?!?! Non!!!"), vec![5..9, 13..16]);
        assert!(punctuation("Vraiment ?! Merci !").is_empty());
    }
}
