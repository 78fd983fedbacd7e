//! Word tokens with byte spans, aware of French elision and hyphenation.
//!
//! "l'équipe" is two words (`l'` + `équipe`) but "aujourd'hui" and "don't" are one;
//! "peut-être" and "grand-mère" are one word but "dis-moi", "va-t'en" and "a-t-il" are a
//! verb followed by pronouns, which the reply and reserve engines need to see apart (who
//! is addressed matters). Spans are byte offsets into the original text, so a token maps
//! back exactly (see [`super::offsets`] for UTF-16).

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and possibly digits), with inner apostrophes or hyphens.
    Word,
    /// Digits, possibly with an inner `.` or `,` ("12,5").
    Number,
}

/// A token and its byte span in the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// Particles that French elides before a vowel: "l'", "qu'", "jusqu'"…
const ELIDED: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "ç", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Pronouns (and the euphonic "t") that follow a verb after a hyphen: "dis-moi", "a-t-il".
const CLITICS: &[&str] = &[
    "moi", "toi", "lui", "nous", "vous", "leur", "le", "la", "les", "en", "y", "ce", "on", "je",
    "tu", "il", "ils", "elle", "elles", "t",
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Combining marks of the common blocks, so "e\u{301}" stays one word.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn in_list(list: &[&str], word: &str) -> bool {
    list.iter()
        .any(|w| w.chars().eq(word.chars().flat_map(char::to_lowercase)))
}

/// The tokens of `text`, in order.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        // A run of word characters joined by single apostrophes, hyphens, or (between
        // digits) decimal separators.
        let mut end = start + c.len_utf8();
        let mut last = c;
        while let Some(&(i, next)) = chars.peek() {
            if is_word_char(next) {
                end = i + next.len_utf8();
                last = next;
                chars.next();
                continue;
            }
            let joiner = is_apostrophe(next)
                || is_hyphen(next)
                || (matches!(next, '.' | ',') && last.is_ascii_digit());
            let after = text[i + next.len_utf8()..].chars().next();
            let continues = match after {
                Some(a) if matches!(next, '.' | ',') => a.is_ascii_digit(),
                Some(a) => is_word_char(a),
                None => false,
            };
            if !(joiner && continues) {
                break;
            }
            chars.next();
        }
        split_run(text, start, end, &mut out);
    }
    out
}

/// Splits one joined run at elisions and verb–pronoun hyphens, pushing its tokens.
fn split_run<'a>(text: &'a str, start: usize, end: usize, out: &mut Vec<Token<'a>>) {
    let run = &text[start..end];
    let mut token_start = start;
    for (offset, c) in run.char_indices() {
        let at = start + offset;
        if at < token_start {
            continue;
        }
        let after = at + c.len_utf8();
        let current = &text[token_start..at];
        if is_apostrophe(c) && in_list(ELIDED, current) {
            push(text, token_start, after, out);
            token_start = after;
        } else if is_hyphen(c) {
            let next_end = text[after..end]
                .char_indices()
                .find(|&(_, x)| is_hyphen(x) || is_apostrophe(x))
                .map_or(end, |(i, _)| after + i);
            if in_list(CLITICS, &text[after..next_end]) {
                push(text, token_start, at, out);
                token_start = after;
            }
        }
    }
    push(text, token_start, end, out);
}

fn push<'a>(text: &'a str, start: usize, end: usize, out: &mut Vec<Token<'a>>) {
    if start >= end {
        return;
    }
    let word = &text[start..end];
    let kind = if word
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    out.push(Token {
        text: word,
        start,
        end,
        kind,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokens(text).iter().map(|t| t.text).collect()
    }

    #[test]
    fn french_elision_splits_the_particle() {
        assert_eq!(
            words("L'équipe s'en occupe, qu'il attende"),
            vec!["L'", "équipe", "s'", "en", "occupe", "qu'", "il", "attende"]
        );
        assert_eq!(words("jusqu’au bout"), vec!["jusqu’", "au", "bout"]);
    }

    #[test]
    fn lexical_apostrophes_stay_inside() {
        assert_eq!(
            words("aujourd'hui, don't, it's"),
            vec!["aujourd'hui", "don't", "it's"]
        );
    }

    #[test]
    fn hyphens_join_compounds_but_not_pronouns() {
        assert_eq!(
            words("peut-être ma grand-mère"),
            vec!["peut-être", "ma", "grand-mère"]
        );
        assert_eq!(
            words("Dis-moi, va-t'en ! A-t-il fini ?"),
            vec!["Dis", "moi", "va", "t'", "en", "A", "t", "il", "fini"]
        );
    }

    #[test]
    fn numbers_emoji_and_spans() {
        let t = tokens("Prix : 12,5 € 👋🏽 café-crème.");
        let kinds: Vec<_> = t.iter().map(|t| (t.text, t.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("Prix", TokenKind::Word),
                ("12,5", TokenKind::Number),
                ("café-crème", TokenKind::Word),
            ]
        );
        let text = "Prix : 12,5 € 👋🏽 café-crème.";
        assert!(t.iter().all(|tok| &text[tok.start..tok.end] == tok.text));
    }

    #[test]
    fn trailing_joiners_are_not_part_of_words() {
        assert_eq!(words("l' ok- 'quoted' 3."), vec!["l", "ok", "quoted", "3"]);
        assert_eq!(words("e\u{301}te\u{301}"), vec!["e\u{301}te\u{301}"]);
    }
}
