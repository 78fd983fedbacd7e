//! The parsed tree turned into a Pike VM program, and the literals its matches start
//! with (for the prefilter in `charter::pattern`).

use super::parse::{fold, has_case, Class, Look, Node};

#[derive(Debug, Clone)]
pub enum Inst {
    Char(char),
    /// A character compared after case folding.
    Fold(char),
    Class(Box<Class>, bool),
    Any,
    AnyButNewline,
    Look(Look),
    /// Try the first branch before the second.
    Split(u32, u32),
    Jump(u32),
    Match,
}

impl Inst {
    /// Whether this instruction consumes `c`.
    pub fn accepts(&self, c: char) -> bool {
        match self {
            Inst::Char(x) => c == *x,
            Inst::Fold(x) => fold(c) == *x,
            Inst::Class(class, folded) => class.contains(c, *folded),
            Inst::Any => true,
            Inst::AnyButNewline => c != '\n',
            Inst::Look(_) | Inst::Split(..) | Inst::Jump(_) | Inst::Match => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Program {
    pub insts: Vec<Inst>,
    /// Literals every match starts with, or `None` when a match may start anywhere.
    pub prefixes: Option<Vec<String>>,
}

impl Program {
    pub fn memory_usage(&self) -> usize {
        let classes: usize = self
            .insts
            .iter()
            .map(|i| match i {
                Inst::Class(c, _) => std::mem::size_of::<Class>() + c.items.len() * 12,
                _ => 0,
            })
            .sum();
        self.insts.len() * std::mem::size_of::<Inst>() + classes
    }
}

/// Most literals kept for the prefilter; beyond, the pattern is searched in full.
const MAX_PREFIXES: usize = 32;

pub fn compile(node: &Node, max_insts: usize) -> Result<Program, String> {
    let mut c = Compiler {
        insts: Vec::new(),
        max_insts,
    };
    c.node(node)?;
    c.push(Inst::Match)?;
    Ok(Program {
        insts: c.insts,
        prefixes: prefixes(node).filter(|p| p.len() <= MAX_PREFIXES),
    })
}

struct Compiler {
    insts: Vec<Inst>,
    max_insts: usize,
}

impl Compiler {
    fn here(&self) -> u32 {
        self.insts.len() as u32
    }

    fn push(&mut self, inst: Inst) -> Result<u32, String> {
        if self.insts.len() >= self.max_insts {
            return Err(format!(
                "this regex compiles to more than {} steps once its repetitions are expanded; split it or use `terms`",
                self.max_insts
            ));
        }
        self.insts.push(inst);
        Ok(self.here() - 1)
    }

    fn patch(&mut self, at: u32, inst: Inst) {
        self.insts[at as usize] = inst;
    }

    fn node(&mut self, node: &Node) -> Result<(), String> {
        match node {
            Node::Empty => {}
            Node::Char { c, fold: true } if has_case(*c) => {
                self.push(Inst::Fold(fold(*c)))?;
            }
            Node::Char { c, .. } => {
                self.push(Inst::Char(*c))?;
            }
            Node::Class { class, fold } => {
                self.push(Inst::Class(Box::new(class.clone()), *fold))?;
            }
            Node::Any { dotall: true } => {
                self.push(Inst::Any)?;
            }
            Node::Any { dotall: false } => {
                self.push(Inst::AnyButNewline)?;
            }
            Node::Look(look) => {
                self.push(Inst::Look(*look))?;
            }
            Node::Group(inner) => self.node(inner)?,
            Node::Concat(items) => {
                for item in items {
                    self.node(item)?;
                }
            }
            Node::Alt(branches) => {
                let mut exits = Vec::new();
                for (i, branch) in branches.iter().enumerate() {
                    if i + 1 == branches.len() {
                        self.node(branch)?;
                        break;
                    }
                    let split = self.push(Inst::Match)?; // placeholder
                    self.node(branch)?;
                    exits.push(self.push(Inst::Match)?); // placeholder jump
                    let next = self.here();
                    self.patch(split, Inst::Split(split + 1, next));
                }
                let end = self.here();
                for exit in exits {
                    self.patch(exit, Inst::Jump(end));
                }
            }
            Node::Repeat {
                node,
                min,
                max,
                greedy,
            } => self.repeat(node, *min, *max, *greedy)?,
        }
        Ok(())
    }

    /// `x+`: one copy of `x`, then a split back to its start.
    fn plus(&mut self, node: &Node, greedy: bool) -> Result<(), String> {
        let start = self.here();
        self.node(node)?;
        let exit = self.here() + 1;
        self.push(if greedy {
            Inst::Split(start, exit)
        } else {
            Inst::Split(exit, start)
        })?;
        Ok(())
    }

    fn repeat(
        &mut self,
        node: &Node,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    ) -> Result<(), String> {
        let split = |body: u32, exit: u32| match greedy {
            true => Inst::Split(body, exit),
            false => Inst::Split(exit, body),
        };
        match max {
            // As in the `regex` crate: `x+` loops back into its one copy of `x`, and `x*`
            // is `(x+)?` when `x` can match nothing, so an empty pass ends the loop with
            // the priority a backtracking engine would give it.
            None if min == 0 && can_be_empty(node) => {
                let skip = self.push(Inst::Match)?;
                self.plus(node, greedy)?;
                let exit = self.here();
                self.patch(skip, split(skip + 1, exit));
            }
            None if min == 0 => {
                let top = self.push(Inst::Match)?;
                self.node(node)?;
                self.push(Inst::Jump(top))?;
                let exit = self.here();
                self.patch(top, split(top + 1, exit));
            }
            None => {
                for _ in 1..min {
                    self.node(node)?;
                }
                self.plus(node, greedy)?;
            }
            Some(max) => {
                for _ in 0..min {
                    self.node(node)?;
                }
                let mut holes = Vec::new();
                for _ in min..max {
                    holes.push(self.push(Inst::Match)?);
                    self.node(node)?;
                }
                let exit = self.here();
                for hole in holes {
                    self.patch(hole, split(hole + 1, exit));
                }
            }
        }
        Ok(())
    }
}

/// Whether `node` can match the empty string.
fn can_be_empty(node: &Node) -> bool {
    match node {
        Node::Empty | Node::Look(_) => true,
        Node::Char { .. } | Node::Class { .. } | Node::Any { .. } => false,
        Node::Group(inner) => can_be_empty(inner),
        Node::Concat(items) => items.iter().all(can_be_empty),
        Node::Alt(branches) => branches.iter().any(can_be_empty),
        Node::Repeat { node, min, .. } => *min == 0 || can_be_empty(node),
    }
}

/// Literals every match of `node` starts with. A case-insensitive letter ends a literal
/// unless its case forms are all ASCII (the prefilter compares ASCII case-insensitively).
pub fn prefixes(node: &Node) -> Option<Vec<String>> {
    let literal = |c: char, folded: bool| {
        (!folded || !has_case(c) || (c.is_ascii() && !matches!(c.to_ascii_lowercase(), 'k' | 's')))
            .then_some(c)
    };
    match node {
        Node::Char { c, fold } => literal(*c, *fold).map(|c| vec![c.to_string()]),
        Node::Concat(items) => {
            let mut run = String::new();
            for item in items {
                match item {
                    Node::Char { c, fold } => match literal(*c, *fold) {
                        Some(c) => run.push(c),
                        None => break,
                    },
                    Node::Look(_) if run.is_empty() => continue,
                    _ if run.is_empty() => return prefixes(item),
                    _ => break,
                }
            }
            (!run.is_empty()).then(|| vec![run])
        }
        Node::Alt(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(prefixes(branch)?);
                if all.len() > MAX_PREFIXES {
                    return None;
                }
            }
            Some(all)
        }
        Node::Group(inner) => prefixes(inner),
        Node::Repeat { node, min, .. } if *min > 0 => prefixes(node),
        _ => None,
    }
}
