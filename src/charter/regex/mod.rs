//! Tact's own regex engine for charter patterns: the common syntax of the `regex` crate
//! (classes, `\w \d \s \b`, `\p{L}`, flags `i m s x`, groups, alternation, greedy and lazy
//! repetition), run by a Pike VM over characters — linear in the text, whatever the
//! pattern, with leftmost-first matches like the `regex` crate.
//!
//! Why not the `regex` crates: their parser, compiler and Unicode tables were a third of
//! the shipped wasm, for patterns a CM writes in a few characters. Unicode classes and case
//! folding here use the standard library's tables, which the module carries anyway. The
//! differences (documented in README, "Charter patterns"): `\d` is any Unicode number, case folding
//! is simple folding derived from upper/lower case, and a few rarely used features
//! (nested classes, most `\p{…}` names) are refused with a message.

mod compile;
mod parse;

use compile::{Inst, Program};
use std::ops::Range;

pub use parse::is_word;

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Regex {
    program: Program,
}

impl Regex {
    /// Compiles `pattern`; at most `max_insts` instructions once repetitions are
    /// expanded.
    pub fn new(pattern: &str, max_insts: usize) -> Result<Regex, String> {
        let node = parse::parse(pattern).map_err(|e| format!("invalid regex: {e}"))?;
        let program = compile::compile(&node, max_insts)?;
        Ok(Regex { program })
    }

    /// Literal strings every match starts with (see [`compile::prefixes`]).
    pub fn prefixes(&self) -> Option<&[String]> {
        self.program.prefixes.as_deref()
    }

    /// Approximate heap bytes of the program.
    pub fn memory_usage(&self) -> usize {
        self.program.memory_usage()
    }

    /// The leftmost-first match starting at or after byte `from` (exactly at `from` when
    /// `anchored`).
    pub fn find_at(&self, text: &str, from: usize, anchored: bool) -> Option<Range<usize>> {
        Vm::new(&self.program).run(text, from, anchored)
    }

    /// Every non-overlapping match, empty ones included, as the `regex` crate finds them.
    pub fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Range<usize>> + 't {
        let mut at = 0;
        let mut last_end = None;
        std::iter::from_fn(move || loop {
            if at > text.len() {
                return None;
            }
            let m = self.find_at(text, at, false)?;
            if m.is_empty() {
                if last_end == Some(m.end) {
                    // An empty match right after the previous match is skipped.
                    at = next_boundary(text, m.end)?;
                    continue;
                }
                at = next_boundary(text, m.end).unwrap_or(text.len() + 1);
            } else {
                at = m.end;
            }
            last_end = Some(m.end);
            return Some(m);
        })
    }
}

fn next_boundary(text: &str, at: usize) -> Option<usize> {
    text[at..].chars().next().map(|c| at + c.len_utf8())
}

/// What the assertions need to know about one position.
#[derive(Clone, Copy)]
struct Here {
    at_start: bool,
    at_end: bool,
    before: Option<char>,
    after: Option<char>,
}

impl Here {
    fn new(text: &str, at: usize) -> Here {
        Here {
            at_start: at == 0,
            at_end: at == text.len(),
            before: text[..at].chars().next_back(),
            after: text[at..].chars().next(),
        }
    }

    fn holds(&self, look: parse::Look) -> bool {
        use parse::Look::*;
        let word = |c: Option<char>| c.is_some_and(is_word);
        match look {
            Start => self.at_start,
            End => self.at_end,
            LineStart => self.at_start || self.before == Some('\n'),
            LineEnd => self.at_end || self.after == Some('\n'),
            WordBoundary => word(self.before) != word(self.after),
            NotWordBoundary => word(self.before) == word(self.after),
        }
    }
}

/// Threads of one step, in priority order, each with the byte where its match began.
struct Threads {
    list: Vec<(u32, usize)>,
    /// `seen[pc] == generation` when `pc` is already in `list`.
    seen: Vec<u32>,
    generation: u32,
}

impl Threads {
    fn new(len: usize) -> Threads {
        Threads {
            list: Vec::new(),
            seen: vec![0; len],
            generation: 1,
        }
    }

    fn clear(&mut self) {
        self.list.clear();
        self.generation += 1;
    }
}

struct Vm<'p> {
    program: &'p Program,
    stack: Vec<u32>,
}

impl<'p> Vm<'p> {
    fn new(program: &'p Program) -> Vm<'p> {
        Vm {
            program,
            stack: Vec::new(),
        }
    }

    fn run(&mut self, text: &str, from: usize, anchored: bool) -> Option<Range<usize>> {
        let len = self.program.insts.len();
        let (mut now, mut next) = (Threads::new(len), Threads::new(len));
        let mut found = None;
        let mut at = from;
        loop {
            let here = Here::new(text, at);
            if found.is_none() && (!anchored || at == from) {
                self.add(&mut now, 0, at, &here);
            }
            if now.list.is_empty() && (found.is_some() || anchored) {
                break;
            }
            let c = here.after;
            let after = at + c.map_or(0, char::len_utf8);
            let next_here = c.map(|_| Here::new(text, after));
            for i in 0..now.list.len() {
                let (pc, start) = now.list[i];
                let inst = &self.program.insts[pc as usize];
                if let Inst::Match = inst {
                    found = Some(start..at);
                    break; // lower-priority threads lose to this match
                }
                if let (Some(c), Some(next_here)) = (c, &next_here) {
                    if inst.accepts(c) {
                        self.add(&mut next, pc + 1, start, next_here);
                    }
                }
            }
            if c.is_none() {
                break;
            }
            std::mem::swap(&mut now, &mut next);
            next.clear();
            at = after;
        }
        found
    }

    /// Adds the thread at `pc` and everything it reaches without consuming a character,
    /// depth first so that priorities follow the pattern's order.
    fn add(&mut self, threads: &mut Threads, pc: u32, start: usize, here: &Here) {
        self.stack.push(pc);
        while let Some(pc) = self.stack.pop() {
            let slot = &mut threads.seen[pc as usize];
            if *slot == threads.generation {
                continue;
            }
            *slot = threads.generation;
            match &self.program.insts[pc as usize] {
                Inst::Jump(to) => self.stack.push(*to),
                Inst::Split(first, second) => {
                    self.stack.push(*second);
                    self.stack.push(*first);
                }
                Inst::Look(look) => {
                    if here.holds(*look) {
                        self.stack.push(pc + 1);
                    }
                }
                _ => threads.list.push((pc, start)),
            }
        }
    }
}

#[cfg(test)]
mod tests;
