//! URL extraction with twitter-text's rules (`extractUrlsWithIndices`).
//!
//! A URL is an optional `http://` or `https://`, a domain whose last label is a known TLD,
//! then an optional port, path and query. Without a protocol only ASCII domains count, and
//! "file.tar.gz"-like names do not; `t.co` links stop at their slug. Everything runs on
//! UTF-16 units and follows the reference's matching order, so the spans are the ones X
//! uses when it replaces each URL by a 23-character t.co link.

use super::chars::*;
use super::pattern::Node;
use super::{punycode, tld};
use crate::text::scratch;
use std::cell::Cell;
use std::sync::OnceLock;

/// Longest URL (protocol included) twitter-text accepts.
const MAX_URL_LENGTH: usize = 4096;
/// Longest t.co slug.
const MAX_TCO_SLUG_LENGTH: usize = 40;
/// Longest DNS label once punycode-encoded.
const MAX_LABEL_LENGTH: usize = 63;

/// A URL found in the text: its UTF-16 span and its text. The text is the span's content
/// except in one corner of the reference (a protocol-less URL whose last ASCII domain is
/// followed by a non-ASCII TLD), where it is that domain plus the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub text: Vec<u16>,
}

/// What the URL pattern matched at one position.
struct Match {
    /// Start of the URL (after the preceding character).
    start: usize,
    protocol: usize,
    domain: (usize, usize),
    has_path: bool,
    end: usize,
}

/// All URLs in `s`, left to right.
#[cfg_attr(tact_speed, optimize(speed))]
pub(super) fn extract(s: &[u16]) -> Vec<Found> {
    let kept_len = |(labels, _): &(Labels, Vec<Window>)| labels.sub.capacity();
    scratch::reuse(&SCRATCH, kept_len, |(labels, windows)| {
        extract_with(s, labels, windows)
    })
}

#[inline(always)]
fn extract_with(s: &[u16], labels: &mut Labels, windows: &mut Vec<Window>) -> Vec<Found> {
    let mut found = Vec::new();
    find_windows(s, windows);
    let mut from = 0;
    for window in windows.iter() {
        labels.fill(s, window.lo, window.region_end);
        let mut i = from.max(window.lo);
        while i <= window.hi {
            match match_at(s, labels, i) {
                Some(m) => {
                    from = m.end;
                    i = m.end;
                    accept(s, &m, &mut found);
                }
                None => i += 1,
            }
        }
    }
    found
}

thread_local! {
    /// The label runs and windows of [`extract`], kept from one call to the next (see
    /// [`scratch`]).
    static SCRATCH: scratch::Slot<(Labels, Vec<Window>)> = const { Cell::new(None) };
}

/// A range of positions where a match may start, and the end of the run of label
/// characters and dots it leads into.
struct Window {
    lo: usize,
    hi: usize,
    region_end: usize,
}

/// A subdomain label character, or the dot between labels.
#[inline(always)]
fn is_region_char(u: u16) -> bool {
    is_domain_char(u) || u == 0x2D || u == 0x5F || u == 0x2E
}

/// Where matches may start. A domain ends with a TLD right after a dot, and everything
/// between the domain's start and that dot is label characters and dots; the match itself
/// starts at most a preceding character and `https://` earlier. So only the positions
/// shortly before such runs are tried, which keeps ordinary prose almost free to scan.
fn find_windows(s: &[u16], out: &mut Vec<Window>) {
    out.clear();
    let dots = s.iter().enumerate().filter(|&(_, &u)| u == 0x2E);
    for dot in dots.map(|(d, _)| d) {
        if tld::match_at(s, dot + 1).is_none() {
            continue;
        }
        let mut region_start = dot;
        while region_start > 0 && is_region_char(s[region_start - 1]) {
            region_start -= 1;
        }
        let mut region_end = dot + 1;
        while region_end < s.len() && is_region_char(s[region_end]) {
            region_end += 1;
        }
        let lo = region_start.saturating_sub(1 + "https://".len());
        match out.last_mut() {
            Some(last) if lo <= last.hi + 1 => {
                last.hi = dot;
                last.region_end = last.region_end.max(region_end);
            }
            _ => out.push(Window {
                lo,
                hi: dot,
                region_end,
            }),
        }
    }
}

/// Applies the checks the reference runs on each pattern match, pushing what survives.
fn accept(s: &[u16], m: &Match, found: &mut Vec<Found>) {
    let url = &s[m.start..m.end];
    let domain = &s[m.domain.0..m.domain.1];
    let protocol_len = if m.protocol > 0 { m.protocol } else { 8 };
    if !domain_is_encodable(domain) || protocol_len + url.len() > MAX_URL_LENGTH {
        return;
    }
    if m.protocol > 0 {
        let end = match tco_end(url) {
            Some(None) => return,
            Some(Some(len)) => m.start + len,
            None => m.end,
        };
        found.push(Found {
            start: m.start,
            end,
            text: s[m.start..end].to_vec(),
        });
        return;
    }
    let before = m.start.checked_sub(1).map(|i| s[i]);
    if before.is_some_and(|u| u < 0x80 && b"-_./".contains(&(u as u8))) {
        return;
    }
    let first_new = found.len();
    let mut search_from = 0;
    for (a, b) in ascii_domains(domain) {
        let text = &domain[a..b];
        // The reference locates each match again with indexOf from the previous end.
        let at = find_from(domain, text, search_from).unwrap_or(a);
        search_from = at + text.len();
        found.push(Found {
            start: m.domain.0 + at,
            end: m.domain.0 + search_from,
            text: text.to_vec(),
        });
    }
    if m.has_path && found.len() > first_new {
        if let Some(last) = found.last_mut() {
            last.text.extend_from_slice(&s[m.domain.1..m.end]);
            last.end = m.end;
        }
    }
}

/// `idna.toAscii`: every label must encode to 1–63 characters, and a domain spelled in
/// punycode must be ASCII.
fn domain_is_encodable(domain: &[u16]) -> bool {
    if domain.starts_with(&[0x78, 0x6E, 0x2D, 0x2D]) && ascii_domains(domain).is_empty() {
        return false;
    }
    domain
        .split(|&u| u == u16::from(b'.'))
        .all(|label| punycode::label_fits(label, MAX_LABEL_LENGTH))
}

fn find_from(hay: &[u16], needle: &[u16], from: usize) -> Option<usize> {
    (from..=hay.len().checked_sub(needle.len())?).find(|&i| hay[i..].starts_with(needle))
}

/// For a `t.co` URL: `Some(Some(len))` to keep only its first `len` units (slug and
/// query), `Some(None)` when its slug is too long, `None` when it is not a t.co URL.
fn tco_end(url: &[u16]) -> Option<Option<usize>> {
    let proto = if starts_with_ignore_case(url, 0, b"https://") {
        8
    } else if starts_with_ignore_case(url, 0, b"http://") {
        7
    } else {
        return None;
    };
    if !starts_with_ignore_case(url, proto, b"t.co/") {
        return None;
    }
    let slug_start = proto + 5;
    let slug = url[slug_start..]
        .iter()
        .take_while(|&&u| is_ascii_alnum(u))
        .count();
    if slug == 0 {
        return None;
    }
    if slug > MAX_TCO_SLUG_LENGTH {
        return Some(None);
    }
    let end = slug_start + slug;
    Some(Some(end + query_len(url, end)))
}

/// The pattern at position `i`: preceding character, protocol, domain, port, path, query.
fn match_at(s: &[u16], labels: &mut Labels, i: usize) -> Option<Match> {
    let preceding = s
        .get(i)
        .filter(|&&u| {
            !(is_ascii_alnum(u) || is_at(u) || is_hash(u) || u == u16::from(b'$') || is_invalid(u))
                || is_directional(u)
        })
        .map(|_| i + 1);
    let at_start = (i == 0).then_some(0);
    for start in [preceding, at_start].into_iter().flatten() {
        let with_protocol = if starts_with_ignore_case(s, start, b"https://") {
            Some(8)
        } else if starts_with_ignore_case(s, start, b"http://") {
            Some(7)
        } else {
            None
        };
        for protocol in [with_protocol, Some(0)].into_iter().flatten() {
            let domain_start = start + protocol;
            if let Some(domain_end) = labels.domain_end(s, domain_start) {
                let (end, has_path) = tail(s, domain_end);
                return Some(Match {
                    start,
                    protocol,
                    domain: (domain_start, domain_end),
                    has_path,
                    end,
                });
            }
        }
    }
    None
}

/// For positions in the current window, where the run of label characters starting there
/// ends, with `_` allowed (subdomains) and without (the domain name), so trying a domain
/// at each position costs O(1) instead of a rescan of the label. Runs are stored from the
/// window's first position (`base`): a window is a few dozen units of a long draft.
#[derive(Default)]
struct Labels {
    base: usize,
    sub: Vec<u32>,
    name: Vec<u32>,
    /// Label starts of the domain being tried (kept to reuse its allocation).
    starts: Vec<usize>,
}

impl Labels {
    /// Computes the runs for positions `lo..=end`; `end` must be a position where no run
    /// continues (the end of the text, or a character that is neither label nor dot).
    fn fill(&mut self, s: &[u16], lo: usize, end: usize) {
        self.base = lo;
        let len = end - lo + 1;
        if self.sub.len() < len {
            self.sub.resize(len, 0);
            self.name.resize(len, 0);
        }
        self.sub[len - 1] = end as u32;
        self.name[len - 1] = end as u32;
        for i in (lo..end).rev() {
            let (u, k) = (s[i], i - lo);
            let inner = is_domain_char(u) || u == 0x2D;
            self.sub[k] = if inner || u == 0x5F {
                self.sub[k + 1]
            } else {
                i as u32
            };
            self.name[k] = if inner { self.name[k + 1] } else { i as u32 };
        }
    }

    /// Where a label starting at `i` ends (just after its dot): domain characters, with
    /// inner `-` (and `_` for subdomains), ending in a domain character then `.`.
    /// `i` lies in the filled positions: a label character is never past their end.
    fn label_end(&self, s: &[u16], i: usize, underscore: bool) -> Option<usize> {
        if !s.get(i).is_some_and(|&u| is_domain_char(u)) {
            return None;
        }
        let runs = if underscore { &self.sub } else { &self.name };
        let j = runs[i - self.base] as usize;
        (s.get(j) == Some(&u16::from(b'.')) && is_domain_char(s[j - 1])).then_some(j + 1)
    }

    /// `validDomain`: subdomains, a domain name, a TLD. The subdomain loop is greedy, so
    /// the most labels are tried first and given back one at a time.
    fn domain_end(&mut self, s: &[u16], start: usize) -> Option<usize> {
        // Without a first label there is neither a subdomain nor a domain name.
        let mut next = self.label_end(s, start, true)?;
        let mut starts = std::mem::take(&mut self.starts);
        starts.clear();
        starts.push(start);
        loop {
            starts.push(next);
            match self.label_end(s, next, true) {
                Some(n) => next = n,
                None => break,
            }
        }
        let end = starts.iter().rev().find_map(|&name| {
            let tld_start = self.label_end(s, name, false)?;
            tld::match_at(s, tld_start).map(|len| tld_start + len)
        });
        self.starts = starts;
        end
    }
}

/// Port, path and query after a domain ending at `i`: the end and whether a path was seen.
fn tail(s: &[u16], mut i: usize) -> (usize, bool) {
    if s.get(i) == Some(&u16::from(b':')) {
        let digits = s[i + 1..]
            .iter()
            .take_while(|u| (0x30..0x3A).contains(*u))
            .count();
        if digits > 0 {
            i += 1 + digits;
        }
    }
    let has_path = s.get(i) == Some(&u16::from(b'/'));
    if has_path {
        i += 1;
        while let Some(end) = path_segment_end(s, i).filter(|&e| e > i) {
            i = end;
        }
    }
    if s.get(i) == Some(&u16::from(b'?')) {
        i += query_len(s, i);
    }
    (i, has_path)
}

/// Length of `\?[query chars]*[query ending char]` at `i`, or 0.
fn query_len(s: &[u16], i: usize) -> usize {
    if s.get(i) != Some(&u16::from(b'?')) {
        return 0;
    }
    let run = s[i + 1..].iter().take_while(|&&u| is_query_char(u)).count();
    (0..run)
        .rev()
        .find(|&k| is_query_end_char(s[i + 1 + k]))
        .map_or(0, |k| k + 2)
}

/// Where the path segment at `i` ends, as [`path_segment`] matches it. Parentheses are not
/// path characters, so unless a `(` follows the run of path characters no group can
/// match: the first match is then the run up to its last ending character (and `@name/`
/// has its `/` in the run). Most URLs take this way, without the pattern.
fn path_segment_end(s: &[u16], i: usize) -> Option<usize> {
    let run = s[i..].iter().take_while(|&&u| is_path_char(u)).count();
    if s.get(i + run) == Some(&0x28) {
        return path_segment().match_at(s, i);
    }
    s[i..i + run]
        .iter()
        .rposition(|&u| is_path_end_char(u))
        .map(|k| i + k + 1)
}

/// One unit of `validUrlPath`: general path characters with up to two levels of balanced
/// parentheses, ending in a letter, digit or `+-=_#/` (or a parenthesised group); or
/// `@name/`.
fn path_segment() -> &'static Node {
    static NODE: OnceLock<Node> = OnceLock::new();
    NODE.get_or_init(|| {
        use Node::*;
        let g = || Pred(is_path_char);
        let parens = || {
            Seq(vec![
                Unit(0x28),
                Alt(vec![
                    Plus(Box::new(g())),
                    Seq(vec![
                        Star(Box::new(g())),
                        Unit(0x28),
                        Plus(Box::new(g())),
                        Unit(0x29),
                        Star(Box::new(g())),
                    ]),
                ]),
                Unit(0x29),
            ])
        };
        Alt(vec![
            Seq(vec![
                Star(Box::new(g())),
                Star(Box::new(Seq(vec![parens(), Star(Box::new(g()))]))),
                Alt(vec![Pred(is_path_end_char), parens()]),
            ]),
            Seq(vec![Unit(0x40), Plus(Box::new(g())), Unit(0x2F)]),
        ])
    })
}

/// `validAsciiDomain` matches inside a domain (global search): ASCII labels, then a TLD.
fn ascii_domains(domain: &[u16]) -> Vec<(usize, usize)> {
    let label = |i: usize| -> Option<usize> {
        let run = domain[i..]
            .iter()
            .take_while(|&&u| is_ascii_domain_char(u))
            .count();
        (run > 0 && domain.get(i + run) == Some(&u16::from(b'.'))).then_some(i + run + 1)
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < domain.len() {
        let mut labels = Vec::new();
        let mut at = i;
        while let Some(next) = label(at) {
            labels.push(next);
            at = next;
        }
        let hit = labels
            .iter()
            .rev()
            .find_map(|&t| tld::match_at(domain, t).map(|len| t + len));
        match hit {
            Some(end) => {
                found.push((i, end));
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<(String, usize, usize)> {
        let s: Vec<u16> = text.encode_utf16().collect();
        extract(&s)
            .into_iter()
            .map(|f| (String::from_utf16_lossy(&f.text), f.start, f.end))
            .collect()
    }

    #[test]
    fn finds_urls_with_and_without_protocol() {
        assert_eq!(
            urls("Voir https://example.com/a?b=1 et cafe.fr."),
            vec![
                ("https://example.com/a?b=1".into(), 5, 30),
                ("cafe.fr".into(), 34, 41)
            ]
        );
    }

    #[test]
    fn file_names_and_addresses_are_not_urls() {
        assert!(urls("archive.tar.gz").is_empty());
        assert!(urls("john.doe.gov@mail.com").is_empty());
        assert!(urls("pas d'url ici.").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn path_segments_end_where_the_pattern_ends(
            picks in proptest::collection::vec(0usize..12, 0..14)
        ) {
            const UNITS: [u16; 12] = [
                0x61, 0x28, 0x29, 0x40, 0x2F, 0x2E, 0x2D, 0x3F, 0xE9, 0x2013, 0x430, 0x20,
            ];
            let s: Vec<u16> = picks.iter().map(|&p| UNITS[p]).collect();
            for i in 0..s.len() {
                proptest::prop_assert_eq!(path_segment_end(&s, i), path_segment().match_at(&s, i));
            }
        }
    }

    #[test]
    fn paths_keep_balanced_parentheses_and_drop_trailing_punctuation() {
        assert_eq!(
            urls("(https://fr.wikipedia.org/wiki/Caf%C3%A9_(boisson)).")[0].0,
            "https://fr.wikipedia.org/wiki/Caf%C3%A9_(boisson)"
        );
        assert_eq!(urls("https://t.co/abc123's")[0].0, "https://t.co/abc123");
    }
}
