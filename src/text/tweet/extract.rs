//! Mentions, lists, replies, hashtags and cashtags with twitter-text's rules, on UTF-16.
//!
//! Each scanner walks the text the way the reference's global regular expression does:
//! try each start position from the end of the previous match, take the first way the
//! pattern matches there, then apply the reference's after-match checks.

use super::chars::*;

/// The first match of `try_at` at a position from `from` on, trying only positions at
/// most `lead` units before a unit that satisfies `anchor` (the sign every match holds).
/// Equivalent to trying every position, since the others cannot match.
fn first_match<T>(
    s: &[u16],
    from: usize,
    anchor: impl Fn(u16) -> bool,
    lead: usize,
    mut try_at: impl FnMut(usize) -> Option<T>,
) -> Option<T> {
    let mut next = from;
    for a in (from..s.len()).filter(|&a| anchor(s[a])) {
        for i in next.max(a.saturating_sub(lead))..=a {
            if let Some(hit) = try_at(i) {
                return Some(hit);
            }
        }
        next = a + 1;
    }
    None
}

/// A raw match: `(start, end)` of the entity (sign included) in UTF-16 units, and the span
/// of its value (name, tag or symbol, sign excluded).
pub(super) type Span = (usize, usize);

/// `validMentionPrecedingChars`: where an `@` may follow, tried in the pattern's order.
/// Returns the positions where the at sign may then be.
fn mention_starts(s: &[u16], i: usize) -> impl Iterator<Item = usize> + '_ {
    let plain = |u: u16| {
        !(is_screen_name_char(u) || is_at(u) || b"!#$%&*".iter().any(|&b| u == u16::from(b)))
    };
    let before_rt =
        |u: u16| !(is_screen_name_char(u) || b"+~.-".iter().any(|&b| u == u16::from(b)));
    let rt = move |at: usize| -> [Option<usize>; 2] {
        if starts_with_ignore_case(s, at, b"rt") {
            let colon = (s.get(at + 2) == Some(&u16::from(b':'))).then_some(at + 3);
            [colon, Some(at + 2)]
        } else {
            [None, None]
        }
    };
    let first = (i == 0).then_some(i);
    let second = s.get(i).filter(|&&u| plain(u)).map(|_| i + 1);
    let third = if i == 0 { rt(i) } else { [None, None] };
    let fourth = if s.get(i).is_some_and(|&u| before_rt(u)) {
        rt(i + 1)
    } else {
        [None, None]
    };
    [first, second]
        .into_iter()
        .chain(third)
        .chain(fourth)
        .flatten()
}

/// `endMentionMatch`: what may not follow a mention (another at sign, an accented letter,
/// or `://`, as in "@http://…").
fn ends_mention_badly(s: &[u16], i: usize) -> bool {
    s.get(i).is_some_and(|&u| is_at(u) || is_latin_accent(u))
        || s.get(i..i + 3) == Some(&[0x3A, 0x2F, 0x2F][..])
}

/// A mention or list: entity span, screen-name span, and list slug span (`/slug`, may be
/// empty).
pub(super) struct MentionMatch {
    pub entity: Span,
    pub name: Span,
    pub slug: Span,
}

/// `extractMentionsOrListsWithIndices`.
pub(super) fn mentions_or_lists(s: &[u16]) -> Vec<MentionMatch> {
    let mut found = Vec::new();
    if !s.iter().any(|&u| is_at(u)) {
        return found;
    }
    let mut from = 0;
    while from < s.len() {
        // The at sign is at most 4 units after the start ("xRT:@").
        let hit = first_match(s, from, is_at, 4, |i| {
            mention_starts(s, i).find_map(|at| screen_name_after(s, at).map(|name| (at, name)))
        });
        let Some((at, name)) = hit else { break };
        let name_end = at + 1 + name;
        let mut slug_end = name_end;
        if s.get(name_end) == Some(&u16::from(b'/'))
            && s.get(name_end + 1).is_some_and(|&u| is_ascii_alpha(u))
        {
            slug_end = name_end + 2;
            let more = s[slug_end..]
                .iter()
                .take(24)
                .take_while(|&&u| is_screen_name_char(u) || u == u16::from(b'-'))
                .count();
            slug_end += more;
        }
        from = slug_end;
        if !ends_mention_badly(s, slug_end) {
            found.push(MentionMatch {
                entity: (at, slug_end),
                name: (at + 1, name_end),
                slug: (name_end, slug_end),
            });
        }
    }
    found
}

/// `extractReplies`: the screen name a tweet replies to, when it starts (after spaces)
/// with a mention.
pub(super) fn reply(s: &[u16]) -> Option<Span> {
    let at = s.iter().take_while(|&&u| is_space(u)).count();
    let end = at + 1 + screen_name_after(s, at)?;
    (!ends_mention_badly(s, end)).then_some((at + 1, end))
}

/// When `s[at]` is an at sign followed by a screen name (up to 20 of `[A-Za-z0-9_]`),
/// the name's length.
fn screen_name_after(s: &[u16], at: usize) -> Option<usize> {
    if !s.get(at).is_some_and(|&u| is_at(u)) {
        return None;
    }
    let name = s[at + 1..]
        .iter()
        .take(20)
        .take_while(|&&u| is_screen_name_char(u))
        .count();
    (name > 0).then_some(name)
}

/// `extractHashtagsWithIndices` before the URL-overlap check: entity and tag spans.
pub(super) fn hashtags(s: &[u16]) -> Vec<(Span, Span)> {
    let mut found = Vec::new();
    if !s.iter().any(|&u| is_hash(u)) {
        return found;
    }
    let mut from = 0;
    // The hash sign follows a boundary of at most 2 units.
    while let Some((hash, end)) = first_match(s, from, is_hash, 2, |i| hashtag_at(s, i)) {
        from = end;
        let after_bad = s.get(end).is_some_and(|&u| is_hash(u))
            || s.get(end..end + 3) == Some(&[0x3A, 0x2F, 0x2F][..]);
        if !after_bad {
            found.push(((hash, end), (hash + 1, end)));
        }
    }
    found
}

/// The hashtag pattern at `i`: a boundary (start, variation selector, end, or a character
/// that is not part of a tag nor `&`), a hash sign not followed by U+FE0F or U+20E3, then
/// tag characters including at least one letter. Returns the hash position and the end.
fn hashtag_at(s: &[u16], i: usize) -> Option<(usize, usize)> {
    let boundary_char = (i < s.len() && is_whole_char_at(s, i)).then(|| code_point_at(s, i));
    let boundaries = [
        (i == 0).then_some(i),
        (s.get(i) == Some(&0xFE0E)).then_some(i + 1),
        (s.get(i) == Some(&0xFE0F)).then_some(i + 1),
        boundary_char
            .filter(|&(cp, _)| !is_hashtag_alnum(cp) && cp != u32::from(b'&'))
            .map(|(_, len)| i + len),
    ];
    boundaries.into_iter().flatten().find_map(|hash| {
        if !s.get(hash).is_some_and(|&u| is_hash(u))
            || matches!(s.get(hash + 1), Some(&0xFE0F | &0x20E3))
        {
            return None;
        }
        let (mut j, mut letter) = (hash + 1, false);
        while j < s.len() {
            let (cp, len) = code_point_at(s, j);
            if !is_hashtag_alnum(cp) {
                break;
            }
            letter |= is_hashtag_alpha(cp);
            j += len;
        }
        letter.then_some((hash, j))
    })
}

/// `extractCashtagsWithIndices`: `$` after the start or a space, 1–6 letters, optionally
/// `.` or `_` and 1–2 letters, then the end, white space or punctuation.
pub(super) fn cashtags(s: &[u16]) -> Vec<(Span, Span)> {
    let mut found = Vec::new();
    if !s.contains(&u16::from(b'$')) {
        return found;
    }
    let mut from = 0;
    let is_dollar = |u: u16| u == u16::from(b'$');
    while let Some((dollar, end)) = first_match(s, from, is_dollar, 1, |i| cashtag_at(s, i)) {
        from = end;
        found.push(((dollar, end), (dollar + 1, end)));
    }
    found
}

fn cashtag_at(s: &[u16], i: usize) -> Option<(usize, usize)> {
    let starts = [
        (i == 0).then_some(i),
        s.get(i).filter(|&&u| is_space(u)).map(|_| i + 1),
    ];
    let letters = |from: usize, max: usize| {
        s[from.min(s.len())..]
            .iter()
            .take(max)
            .take_while(|&&u| is_ascii_alpha(u))
            .count()
    };
    let clean_end = |e: usize| s.get(e).is_none_or(|&u| is_js_space(u) || is_punct(u));
    starts.into_iter().flatten().find_map(|dollar| {
        if s.get(dollar) != Some(&u16::from(b'$')) {
            return None;
        }
        let body = dollar + 1;
        (1..=letters(body, 6)).rev().find_map(|n| {
            let word_end = body + n;
            let suffix = s
                .get(word_end)
                .filter(|&&u| u == u16::from(b'.') || u == u16::from(b'_'));
            let with_suffix = suffix.and_then(|_| {
                (1..=letters(word_end + 1, 2))
                    .rev()
                    .map(|m| word_end + 1 + m)
                    .find(|&e| clean_end(e))
            });
            with_suffix
                .or_else(|| clean_end(word_end).then_some(word_end))
                .map(|e| (dollar, e))
        })
    })
}

/// `removeOverlappingEntities`: sort by start (stable), then drop every entity that starts
/// before the previous kept one ends.
pub(super) fn remove_overlaps<T>(items: &mut Vec<T>, span: impl Fn(&T) -> Span) {
    items.sort_by_key(|t| span(t).0);
    let mut kept_end = None;
    items.retain(|t| {
        let (start, end) = span(t);
        if kept_end.is_some_and(|e| e > start) {
            return false;
        }
        kept_end = Some(end);
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn mentions_need_a_clean_boundary() {
        let s = units("RT @marie: merci @Paul_75 ! mail@exemple.fr @été");
        let names: Vec<Span> = mentions_or_lists(&s).iter().map(|m| m.name).collect();
        assert_eq!(names, vec![(4, 9), (18, 25)]);
    }

    #[test]
    fn lists_carry_their_slug() {
        let s = units("voir @cafe/clients-vip.");
        let m = &mentions_or_lists(&s)[0];
        assert_eq!((m.entity, m.slug), ((5, 22), (10, 22)));
    }

    #[test]
    fn replies_start_the_text() {
        assert_eq!(reply(&units("  @marie bonjour")), Some((3, 8)));
        assert_eq!(reply(&units("a @marie")), None);
    }

    #[test]
    fn hashtags_need_a_letter_and_a_boundary() {
        assert_eq!(
            hashtags(&units("#2024 #été2024 a#b")),
            vec![((6, 14), (7, 14))]
        );
        assert!(hashtags(&units("#️⃣")).is_empty(), "keycap is not a hashtag");
    }

    #[test]
    fn cashtags_backtrack_to_a_clean_end() {
        let spans: Vec<Span> = cashtags(&units("$EUR. $AB_cd $abc1 x$Y"))
            .iter()
            .map(|c| c.1)
            .collect();
        assert_eq!(spans, vec![(1, 4), (7, 12)]);
    }

    #[test]
    fn overlaps_keep_the_earliest() {
        let mut v = vec![(5, 9), (0, 6), (6, 8)];
        remove_overlaps(&mut v, |&s| s);
        assert_eq!(v, vec![(0, 6), (6, 8)]);
    }
}
