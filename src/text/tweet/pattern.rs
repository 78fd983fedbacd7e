//! A small backtracking matcher with JavaScript's priorities, over UTF-16 code units.
//!
//! twitter-text's results depend on the order in which its regular expressions try their
//! alternatives (first alternative that leads to a match wins, greedy loops try the most
//! repetitions first). The few places where that order matters (emoji sequences, URL paths)
//! use this matcher, which follows the same order, instead of a regex engine with Unicode
//! tables: it costs a few kilobytes of wasm, not hundreds.

/// A pattern node. Classes are code-unit ranges or predicates.
#[derive(Debug)]
pub(super) enum Node {
    Unit(u16),
    Ranges(Vec<(u16, u16)>),
    Pred(fn(u16) -> bool),
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    Opt(Box<Node>),
    Star(Box<Node>),
    Plus(Box<Node>),
    NotAhead(Box<Node>),
}

impl Node {
    /// The unit test of a one-unit node, so loops over it can run without recursion.
    fn single(&self, u: u16) -> Option<bool> {
        match self {
            Node::Unit(x) => Some(*x == u),
            Node::Ranges(r) => Some(r.iter().any(|&(lo, hi)| lo <= u && u <= hi)),
            Node::Pred(f) => Some(f(u)),
            _ => None,
        }
    }

    fn is_single(&self) -> bool {
        matches!(self, Node::Unit(_) | Node::Ranges(_) | Node::Pred(_))
    }

    /// Tries the node at `i`; for each way it matches, in priority order, calls `k` with
    /// the end, and stops at the first `k` that accepts.
    fn at(&self, s: &[u16], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        if self.is_single() {
            return i < s.len() && self.single(s[i]) == Some(true) && k(i + 1);
        }
        match self {
            Node::Seq(nodes) => seq(nodes, s, i, k),
            Node::Alt(nodes) => nodes.iter().any(|n| n.at(s, i, k)),
            Node::Opt(n) => n.at(s, i, k) || k(i),
            Node::Star(n) => star(n, s, i, 0, k),
            Node::Plus(n) => star(n, s, i, 1, k),
            Node::NotAhead(n) => !n.at(s, i, &mut |_| true) && k(i),
            Node::Unit(_) | Node::Ranges(_) | Node::Pred(_) => false,
        }
    }

    /// The end of the first match at `i`, in priority order.
    pub(super) fn match_at(&self, s: &[u16], i: usize) -> Option<usize> {
        let mut end = None;
        self.at(s, i, &mut |e| {
            end = Some(e);
            true
        });
        end
    }

    /// Marks in `set` (one bit per unit) every unit a match can start with; returns
    /// whether the node can match the empty string.
    fn first_units(&self, set: &mut [u64]) -> bool {
        let mut mark = |u: u32| set[(u / 64) as usize] |= 1 << (u % 64);
        match self {
            Node::Unit(u) => mark(u32::from(*u)),
            Node::Ranges(r) => r
                .iter()
                .for_each(|&(lo, hi)| (u32::from(lo)..=u32::from(hi)).for_each(&mut mark)),
            Node::Pred(f) => (0..=u16::MAX)
                .filter(|&u| f(u))
                .for_each(|u| mark(u.into())),
            Node::Seq(nodes) => return nodes.iter().all(|n| n.first_units(set)),
            Node::Alt(nodes) => {
                return nodes
                    .iter()
                    .fold(false, |empty, n| n.first_units(set) | empty)
            }
            Node::Opt(n) | Node::Star(n) => {
                n.first_units(set);
                return true;
            }
            Node::Plus(n) => return n.first_units(set),
            Node::NotAhead(_) => return true,
        }
        false
    }
}

fn seq(nodes: &[Node], s: &[u16], i: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    match nodes.split_first() {
        None => k(i),
        Some((head, tail)) => head.at(s, i, &mut |j| seq(tail, s, j, k)),
    }
}

/// Greedy repetition, at least `min` times. Like JavaScript, an iteration that matches
/// nothing ends the loop.
fn star(n: &Node, s: &[u16], i: usize, min: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    if n.is_single() {
        let mut end = i;
        while end < s.len() && n.single(s[end]) == Some(true) {
            end += 1;
        }
        return (i + min..=end).rev().any(&mut *k);
    }
    n.at(s, i, &mut |j| {
        j > i && star(n, s, j, min.saturating_sub(1), k)
    }) || (min == 0 && k(i))
}

/// A pattern ready for searching: for each unit a match can start with, the top-level
/// alternatives (in order) that can start with it, so a search skips most positions with
/// one lookup and tries only the few alternatives that may match there. Each of those
/// also knows, when it can tell, which units may come second: hundreds of emoji start
/// with the same high surrogate, and the low surrogate after it rules out all but a few.
pub(super) struct Searcher {
    branches: Vec<Node>,
    /// One bit per unit: whether any branch can start with it.
    first: Vec<u64>,
    /// Sorted by unit: the branches to try at a position holding it.
    by_first: Vec<(u16, Vec<Candidate>)>,
}

/// A branch to try, and the ranges the next unit must fall in (`None`: no condition
/// known).
type Candidate = (u16, Option<Vec<(u16, u16)>>);

impl Searcher {
    /// Indexes `node`'s top-level alternatives by first unit. A pattern that can match the
    /// empty string has no first unit to index by and is refused.
    pub(super) fn new(node: Node) -> Result<Self, String> {
        let branches = match node {
            Node::Alt(branches) => branches,
            other => vec![other],
        };
        let mut table: std::collections::BTreeMap<u16, Vec<Candidate>> = Default::default();
        let mut union = vec![0u64; 1024];
        for (index, branch) in branches.iter().enumerate() {
            let mut first = vec![0u64; 1024];
            if branch.first_units(&mut first) {
                return Err(format!("alternative {index} can match the empty string"));
            }
            union.iter_mut().zip(&first).for_each(|(u, f)| *u |= f);
            for (word, bits) in first.iter().enumerate() {
                for bit in (0..64).filter(|b| bits & (1 << b) != 0) {
                    let unit = (word * 64 + bit) as u16;
                    let second = second_units(branch, unit);
                    table.entry(unit).or_default().push((index as u16, second));
                }
            }
        }
        Ok(Searcher {
            branches,
            first: union,
            by_first: table.into_iter().collect(),
        })
    }

    /// Non-overlapping matches, left to right, as a global `exec` loop finds them.
    #[cfg_attr(tact_speed, optimize(speed))]
    pub(super) fn find_all(&self, s: &[u16]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let u = usize::from(s[i]);
            if self.first[u / 64] & (1 << (u % 64)) == 0 {
                i += 1;
                continue;
            }
            if let Ok(slot) = self.by_first.binary_search_by_key(&s[i], |e| e.0) {
                let next = s.get(i + 1).copied();
                let end = self.by_first[slot].1.iter().find_map(|(b, second)| {
                    if let Some(ranges) = second {
                        let fits = |u: u16| ranges.iter().any(|&(lo, hi)| lo <= u && u <= hi);
                        if !next.is_some_and(fits) {
                            return None;
                        }
                    }
                    self.branches[usize::from(*b)]
                        .match_at(s, i)
                        .filter(|&e| e > i)
                });
                if let Some(end) = end {
                    found.push((i, end));
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        found
    }
}

#[cfg(test)]
impl Searcher {
    /// [`Searcher::find_all`] trying every branch that may start at a position, without
    /// the second-unit conditions: the reference the conditions are tested against.
    pub(super) fn find_all_unfiltered(&self, s: &[u16]) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let end = self
                .by_first
                .binary_search_by_key(&s[i], |e| e.0)
                .ok()
                .and_then(|slot| {
                    self.by_first[slot].1.iter().find_map(|(b, _)| {
                        self.branches[usize::from(*b)]
                            .match_at(s, i)
                            .filter(|&e| e > i)
                    })
                });
            match end {
                Some(end) => {
                    found.push((i, end));
                    i = end;
                }
                None => i += 1,
            }
        }
        found
    }
}

#[cfg(test)]
impl Searcher {
    pub(super) fn branches(&self) -> &[Node] {
        &self.branches
    }
}

#[cfg(test)]
impl Node {
    /// The least sum of `weight` over the units of any match (loops and options may
    /// match nothing).
    pub(super) fn min_weight(&self, weight: &dyn Fn(u16) -> u32) -> u32 {
        let class = |test: &dyn Fn(u16) -> bool| {
            (0..=u16::MAX)
                .filter(|&u| test(u))
                .map(weight)
                .min()
                .unwrap_or(u32::MAX)
        };
        match self {
            Node::Unit(u) => weight(*u),
            Node::Ranges(r) => class(&|u| r.iter().any(|&(lo, hi)| lo <= u && u <= hi)),
            Node::Pred(f) => class(f),
            Node::Seq(nodes) => nodes
                .iter()
                .map(|n| n.min_weight(weight))
                .fold(0, u32::saturating_add),
            Node::Alt(nodes) => nodes
                .iter()
                .map(|n| n.min_weight(weight))
                .min()
                .unwrap_or(u32::MAX),
            Node::Opt(_) | Node::Star(_) | Node::NotAhead(_) => 0,
            Node::Plus(n) => n.min_weight(weight),
        }
    }

    /// Marks in `set` every unit a match may hold, or with `inner`, every unit it may
    /// hold past its first (over-approximated: a sequence's later parts count whole).
    pub(super) fn mark_units(&self, inner: bool, set: &mut [bool]) {
        let mut mark = |test: &dyn Fn(u16) -> bool| {
            (0..=u16::MAX)
                .filter(|&u| test(u))
                .for_each(|u| set[usize::from(u)] = true);
        };
        match self {
            Node::Unit(_) | Node::Ranges(_) | Node::Pred(_) if !inner => {
                mark(&|u| self.single(u) == Some(true));
            }
            Node::Unit(_) | Node::Ranges(_) | Node::Pred(_) | Node::NotAhead(_) => {}
            Node::Seq(nodes) => {
                for (k, n) in nodes.iter().enumerate() {
                    n.mark_units(inner && k == 0, set);
                }
            }
            Node::Alt(nodes) => nodes.iter().for_each(|n| n.mark_units(inner, set)),
            Node::Opt(n) => n.mark_units(inner, set),
            Node::Star(n) | Node::Plus(n) => n.mark_units(false, set),
        }
    }
}

/// What still has to match after a node: the rest of the enclosing sequences.
#[derive(Clone, Copy)]
enum Rest<'a> {
    End,
    Then(&'a [Node], &'a Rest<'a>),
}

/// The units that may follow `first` in a match of `branch` starting with it, as
/// ranges, or `None` when that cannot be told (the match may end after `first`, or a
/// loop, lookahead or predicate comes first).
fn second_units(branch: &Node, first: u16) -> Option<Vec<(u16, u16)>> {
    let mut out = Vec::new();
    next_units(branch, Rest::End, Some(first), &mut out).then_some(out)
}

/// Adds to `out` the units that can come next in a match of `node` then `rest`: the
/// first unit, or with `first`, the unit after it. False when that cannot be told.
fn next_units(node: &Node, rest: Rest, first: Option<u16>, out: &mut Vec<(u16, u16)>) -> bool {
    match (node, first) {
        (Node::Unit(_) | Node::Ranges(_) | Node::Pred(_), Some(u)) => {
            // A first unit this node refuses: no match down this path.
            node.single(u) != Some(true) || rest_units(rest, None, out)
        }
        (Node::Unit(u), None) => {
            out.push((*u, *u));
            true
        }
        (Node::Ranges(r), None) => {
            out.extend_from_slice(r);
            true
        }
        (Node::Seq(nodes), _) => rest_units(Rest::Then(nodes, &rest), first, out),
        (Node::Alt(alts), _) => alts.iter().all(|a| next_units(a, rest, first, out)),
        (Node::Opt(n), _) => next_units(n, rest, first, out) && rest_units(rest, first, out),
        _ => false,
    }
}

/// [`next_units`] for what remains of the enclosing sequences.
fn rest_units(rest: Rest, first: Option<u16>, out: &mut Vec<(u16, u16)>) -> bool {
    match rest {
        Rest::End => false,
        Rest::Then([], outer) => rest_units(*outer, first, out),
        Rest::Then([head, tail @ ..], outer) => {
            next_units(head, Rest::Then(tail, outer), first, out)
        }
    }
}

/// Parses the subset of JavaScript regular-expression syntax that generated emoji patterns
/// use: groups `(…)`, `(?:…)`, `(?!…)`, `|`, classes `[…]` with ranges, `?`, `*`, `+`,
/// `\uXXXX` escapes and literal characters of the Basic Multilingual Plane.
pub(super) fn parse(source: &str) -> Result<Node, String> {
    let units: Vec<u16> = source.encode_utf16().collect();
    let mut parser = Parser { s: &units, i: 0 };
    let node = parser.alternation()?;
    match parser.peek() {
        None => Ok(node),
        Some(u) => Err(format!("unexpected unit {u:#06x} at {}", parser.i)),
    }
}

struct Parser<'a> {
    s: &'a [u16],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u16> {
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(u16::from(c));
        self.i += usize::from(hit);
        hit
    }

    fn alternation(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.sequence()?];
        while self.eat(b'|') {
            branches.push(self.sequence()?);
        }
        Ok(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Node::Alt(branches)
        })
    }

    fn sequence(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(u) = self.peek() {
            if u == u16::from(b'|') || u == u16::from(b')') {
                break;
            }
            let atom = self.atom()?;
            items.push(match self.peek().map(|q| q as u8) {
                Some(b'?') => Node::Opt(Box::new(atom)),
                Some(b'*') => Node::Star(Box::new(atom)),
                Some(b'+') => Node::Plus(Box::new(atom)),
                _ => {
                    items.push(atom);
                    continue;
                }
            });
            self.i += 1;
        }
        Ok(Node::Seq(items))
    }

    fn atom(&mut self) -> Result<Node, String> {
        let at = self.i;
        if self.eat(b'(') {
            let negative = if self.eat(b'?') {
                if self.eat(b'!') {
                    true
                } else if self.eat(b':') {
                    false
                } else {
                    return Err(format!("unsupported group at {at}"));
                }
            } else {
                false
            };
            let inner = self.alternation()?;
            if !self.eat(b')') {
                return Err(format!("unclosed group opened at {at}"));
            }
            return Ok(if negative {
                Node::NotAhead(Box::new(inner))
            } else {
                inner
            });
        }
        if self.eat(b'[') {
            let mut ranges = Vec::new();
            while !self.eat(b']') {
                let lo = self.unit()?;
                let hi = if self.eat(b'-') { self.unit()? } else { lo };
                ranges.push((lo, hi));
            }
            return Ok(Node::Ranges(ranges));
        }
        Ok(Node::Unit(self.unit()?))
    }

    fn unit(&mut self) -> Result<u16, String> {
        let at = self.i;
        let u = self.peek().ok_or("pattern ends early")?;
        self.i += 1;
        if u != u16::from(b'\\') {
            return Ok(u);
        }
        if !self.eat(b'u') {
            return Err(format!("unsupported escape at {at}"));
        }
        let hex = self.s.get(self.i..self.i + 4).ok_or("short \\u escape")?;
        self.i += 4;
        let text = String::from_utf16(hex).map_err(|_| format!("bad escape at {at}"))?;
        u16::from_str_radix(&text, 16).map_err(|_| format!("bad escape at {at}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn alternatives_are_tried_in_order_not_by_length() {
        let p = parse("a|ab").unwrap();
        assert_eq!(p.match_at(&units("ab"), 0), Some(1));
        let p = parse("(?:a|ab)c").unwrap();
        assert_eq!(
            p.match_at(&units("abc"), 0),
            Some(3),
            "backtracks into the group"
        );
    }

    #[test]
    fn loops_are_greedy_and_give_back() {
        let p = parse("[a-c]*c").unwrap();
        assert_eq!(p.match_at(&units("abcbcx"), 0), Some(5));
        let p = parse("x\\u0041+").unwrap();
        assert_eq!(p.match_at(&units("xAAA"), 0), Some(4));
        assert_eq!(p.match_at(&units("x"), 0), None);
    }

    #[test]
    fn negative_lookahead_consumes_nothing() {
        let p = parse("a(?:b|(?!c))").unwrap();
        assert_eq!(p.match_at(&units("ab"), 0), Some(2));
        assert_eq!(p.match_at(&units("ad"), 0), Some(1));
        assert_eq!(p.match_at(&units("ac"), 0), None);
    }

    #[test]
    fn searcher_skips_to_possible_starts() {
        let s = Searcher::new(parse("\\u00e9+|x[yz]").unwrap()).unwrap();
        assert_eq!(
            s.find_all(&units("café ééé xz")),
            vec![(3, 4), (5, 8), (9, 11)]
        );
        assert!(
            Searcher::new(parse("a|b?").unwrap()).is_err(),
            "empty matches refused"
        );
    }

    #[test]
    fn malformed_patterns_are_errors() {
        assert!(parse("(a").is_err());
        assert!(parse("\\d").is_err());
        assert!(parse("a)").is_err());
    }
}
