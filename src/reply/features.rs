//! From a comment to a sparse bag of hashed features: folded words, light stems, word
//! bigrams and character n-grams inside words.
//!
//! Few-shot intent matching without pretrained embeddings lives or dies by how well two
//! differently worded comments overlap. Folding (case, accents, elisions, numbers) and
//! light stemming make "Commandes" meet "commande"; character n-grams catch typos and
//! morphology the stemmer misses ("refunded" / "refund", "livraison" / "livré"); bigrams
//! keep the few phrases whose words mean little alone ("top up", "en retard").

/// What kind of unit a feature comes from; kept in the hash so a word never collides with
/// an n-gram that spells the same letters.
#[derive(Clone, Copy)]
#[repr(u8)]
pub(crate) enum Kind {
    Concept = 0,
    Word = 1,
    Bigram = 2,
    Gram = 3,
}

/// A hashed feature and its raw count in one text.
pub(crate) type Counts = Vec<(u32, f32)>;

/// Shortest and longest character n-gram taken inside a word (with boundary marks).
const GRAM_MIN: usize = 3;
const GRAM_MAX: usize = 4;

/// Extracts features with their raw counts, sorted by feature id: per word its folded
/// stem, its concept group, the next-word bigram and its character n-grams; then the
/// pairs of concept groups, the marks (question, emoji, link…) and the opening two words.
pub(crate) fn extract(text: &str) -> Counts {
    let words = words(text);
    let mut out: Vec<u32> = Vec::with_capacity(words.len() * 12);
    let mut groups: Vec<u32> = Vec::new();
    let (mut marked, mut bounds) = (Vec::new(), Vec::new());
    for (i, word) in words.iter().enumerate() {
        let id = word_id(word);
        out.push(id);
        if let Some(group) = super::concepts::concept(id) {
            out.push(hash(Kind::Concept, &group.to_le_bytes()));
            groups.push(group);
        }
        if let Some(next) = words.get(i + 1) {
            out.push(hash_parts(
                Kind::Bigram,
                &[word.as_bytes(), b" ", next.as_bytes()],
            ));
        }
        grams(word, &mut marked, &mut bounds, &mut out);
    }
    // Pairs of concepts anywhere in the comment: intents are often combinations ("card"
    // with "arrive", "transfer" with "pending") that a linear score cannot form alone.
    groups.sort_unstable();
    groups.dedup();
    for (i, &a) in groups.iter().enumerate() {
        for &b in &groups[i + 1..] {
            out.push(hash_parts(
                Kind::Concept,
                &[&a.to_le_bytes(), &b.to_le_bytes()],
            ));
        }
    }
    for mark in marks(text) {
        out.push(hash(Kind::Word, mark.as_bytes()));
    }
    // How a comment opens ("why do", "where is", "can i") often says what it asks.
    if let [first, second, ..] = words.as_slice() {
        out.push(hash_parts(
            Kind::Bigram,
            &[b"^", first.as_bytes(), b" ", second.as_bytes()],
        ));
    }
    out.sort_unstable();
    let mut counts: Counts = Vec::with_capacity(out.len());
    for id in out {
        match counts.last_mut() {
            Some((last, n)) if *last == id => *n += 1.0,
            _ => counts.push((id, 1.0)),
        }
    }
    counts
}

/// Character n-grams of `<word>` (the marks make prefixes and suffixes distinct), hashed
/// straight from the word's bytes; `marked` and `bounds` are scratch buffers reused from
/// word to word.
fn grams(word: &str, marked: &mut Vec<u8>, bounds: &mut Vec<usize>, out: &mut Vec<u32>) {
    marked.clear();
    marked.push(b'<');
    marked.extend_from_slice(word.as_bytes());
    marked.push(b'>');
    // Byte offset of every char boundary of "<word>".
    bounds.clear();
    bounds.push(0);
    bounds.extend((1..marked.len()).filter(|&i| (marked[i] as i8) >= -0x40));
    bounds.push(marked.len());
    let chars = bounds.len() - 1;
    for n in GRAM_MIN..=GRAM_MAX.min(chars) {
        for start in 0..=chars - n {
            out.push(hash(Kind::Gram, &marked[bounds[start]..bounds[start + n]]));
        }
    }
}

/// Signs that words miss but that tell what a comment is: a question, an exclamation,
/// emoji, a link, a mention. Each counts once; none can collide with a word (words are
/// letters and digits only).
fn marks(text: &str) -> impl Iterator<Item = &'static str> + '_ {
    let emoji = |c: char| (c as u32) >= 0x2190 && !c.is_alphanumeric();
    let lower = text.to_lowercase();
    [
        ("?", text.contains('?')),
        ("!", text.contains('!')),
        ("<emoji>", text.chars().any(emoji)),
        (
            "<link>",
            lower.contains("http") || lower.contains("www.") || lower.contains(".ly/"),
        ),
        (
            "<mention>",
            text.split('@')
                .skip(1)
                .any(|s| s.starts_with(|c: char| c.is_alphanumeric())),
        ),
    ]
    .into_iter()
    .filter_map(|(mark, present)| present.then_some(mark))
}

/// Folded, stemmed words. Numbers become one token: their value rarely tells the intent.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        if current.is_empty() {
            return;
        }
        if current.bytes().all(|b| b.is_ascii_digit()) {
            current.clear();
            current.push('0');
        } else {
            stem(current);
        }
        if !current.is_empty() {
            words.push(std::mem::take(current));
        }
    };
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            current.push(ch.to_ascii_lowercase());
        } else if ch.is_alphanumeric() {
            for lower in ch.to_lowercase() {
                current.push_str(fold(lower));
            }
        } else {
            flush(&mut current);
        }
    }
    flush(&mut current);
    words
}

/// Strips accents and ligatures from one lowercase letter (French and common Latin).
fn fold(ch: char) -> &'static str {
    match ch {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'ç' => "c",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ÿ' => "y",
        'ñ' => "n",
        'œ' => "oe",
        'æ' => "ae",
        _ => leak_char(ch),
    }
}

/// One char as a string slice without allocating for the ASCII letters and digits that make
/// up nearly all input; other scripts fall back to a small set of static strings.
fn leak_char(ch: char) -> &'static str {
    const ASCII: &str = "0123456789abcdefghijklmnopqrstuvwxyz";
    let at = match ch {
        '0'..='9' => ch as usize - '0' as usize,
        'a'..='z' => 10 + ch as usize - 'a' as usize,
        _ => return "#",
    };
    &ASCII[at..at + 1]
}

/// A light stemmer shared by French and English: plural and the most frequent verb and
/// adverb endings. Deliberately timid: a wrong merge costs more than a missed one, and
/// the character n-grams already cover what it leaves.
fn stem(w: &mut String) {
    if w.len() <= 3 {
        return;
    }
    for (suffix, replacement) in [
        ("ies", "y"),
        ("sses", "ss"),
        ("ements", "ement"),
        ("aux", "al"),
    ] {
        if w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            w.push_str(replacement);
            break;
        }
    }
    if w.len() > 3 && (w.ends_with('s') || w.ends_with('x')) && !w.ends_with("ss") {
        w.pop();
    }
    for suffix in ["ing", "ed", "ly", "ee", "e"] {
        if w.len() > suffix.len() + 3 && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            break;
        }
    }
}

/// FNV-1a over the kind tag and the bytes; the two low bits carry the kind so that
/// weights can differ per kind without a side table.
fn hash(kind: Kind, bytes: &[u8]) -> u32 {
    hash_parts(kind, &[bytes])
}

/// [`hash`] of the concatenated parts, without building the concatenation.
fn hash_parts(kind: Kind, parts: &[&[u8]]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in std::iter::once(&(kind as u8)).chain(parts.iter().copied().flatten()) {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    (h & !3) | kind as u32
}

/// The feature id of a folded, stemmed word.
pub(crate) fn word_id(word: &str) -> u32 {
    hash(Kind::Word, word.as_bytes())
}

/// The kind a feature id was made from.
pub(crate) fn kind_of(id: u32) -> Kind {
    match id & 3 {
        0 => Kind::Concept,
        1 => Kind::Word,
        2 => Kind::Bigram,
        _ => Kind::Gram,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_numbers() {
        assert_eq!(
            words("Où est ma COMMANDE n°12345 ?"),
            ["ou", "est", "ma", "command", "n", "0"]
        );
    }

    #[test]
    fn stems_plurals_and_common_endings() {
        assert_eq!(words("refunds refunded"), ["refund", "refund"]);
        assert_eq!(words("commandes commande"), ["command", "command"]);
        assert_eq!(words("delivery deliveries"), ["delivery", "delivery"]);
    }

    #[test]
    fn counts_repeated_features() {
        let counts = extract("late late");
        let word = hash(Kind::Word, b"late");
        assert!(counts.iter().any(|&(id, n)| id == word && n == 2.0));
        assert!(counts.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
