//! The pattern syntax a charter may use — the common part of the `regex` crate's syntax —
//! parsed into a small tree. What is refused gets a message naming the column and a way
//! around it, never a different meaning.

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Empty,
    /// A character; `fold` when it matches regardless of case.
    Char {
        c: char,
        fold: bool,
    },
    Class {
        class: Class,
        fold: bool,
    },
    /// `.`: any character, `\n` too when `dotall`.
    Any {
        dotall: bool,
    },
    Look(Look),
    /// A parenthesised group (kept so that `(a*)+` is not taken for `a*+`).
    Group(Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
}

/// Zero-width assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    Start,
    End,
    LineStart,
    LineEnd,
    WordBoundary,
    NotWordBoundary,
}

/// A bracketed class or a Perl class (`\w`).
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub items: Vec<Item>,
    pub negated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Range(char, char),
    /// A named set, possibly negated (`\W` inside a class).
    Set(Set, bool),
}

/// The named sets, decided with the standard library's Unicode tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Digit,
    Word,
    Space,
    Letter,
    Upper,
    Lower,
}

impl Set {
    pub fn contains(self, c: char) -> bool {
        match self {
            Set::Digit => c.is_numeric(),
            Set::Word => is_word(c),
            Set::Space => c.is_whitespace(),
            Set::Letter => c.is_alphabetic(),
            Set::Upper => c.is_uppercase(),
            Set::Lower => c.is_lowercase(),
        }
    }
}

/// `\w`: letters, digits, `_`, combining marks and joiners.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}' | '\u{200C}' | '\u{200D}')
}

impl Class {
    /// Whether `c` is in the class; with `fold`, whether any case variant of it is (the
    /// class is folded before it is negated, as in the `regex` crate).
    pub fn contains(&self, c: char, fold: bool) -> bool {
        let has = |c: char| {
            self.items.iter().any(|item| match *item {
                Item::Range(a, b) => a <= c && c <= b,
                Item::Set(set, negated) => set.contains(c) != negated,
            })
        };
        let inside = has(c) || (fold && case_variants(c).into_iter().flatten().any(has));
        inside != self.negated
    }
}

/// The single-character lower, upper and folded forms of `c`.
fn case_variants(c: char) -> [Option<char>; 3] {
    [
        single(c.to_lowercase()),
        single(c.to_uppercase()),
        Some(fold(c)),
    ]
}

fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// Simple case folding from the standard library's case tables: `K`, `k` and the Kelvin
/// sign all fold to `k`, `ſ` to `s`, `ς` to `σ`.
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let upper = single(c.to_uppercase()).unwrap_or(c);
    single(upper.to_lowercase()).unwrap_or(c)
}

/// Whether `c` has other case forms that `(?i)` must accept.
pub fn has_case(c: char) -> bool {
    case_variants(c).into_iter().flatten().any(|v| v != c)
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    fold: bool,
    multi_line: bool,
    dotall: bool,
    verbose: bool,
}

/// Deepest group nesting accepted.
const MAX_DEPTH: usize = 64;

pub fn parse(pattern: &str) -> Result<Node, String> {
    let mut p = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let node = p.alternation(&mut Flags::default())?;
    match p.peek() {
        None => Ok(node),
        Some(')') => p.fail("this `)` closes no group; remove it or escape it as `\\)`"),
        Some(c) => p.fail(&format!("unexpected `{c}`")),
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn fail<T>(&self, message: &str) -> Result<T, String> {
        Err(format!("{message} (at character {})", self.pos + 1))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.pos += 1;
        }
        found
    }

    fn skip_verbose(&mut self, flags: &Flags) {
        if !flags.verbose {
            return;
        }
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += 1;
            } else if c == '#' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
            } else {
                return;
            }
        }
    }

    /// `a|b|c` up to a `)` or the end; flags set by `(?i)` last to the end of the group.
    fn alternation(&mut self, flags: &mut Flags) -> Result<Node, String> {
        let mut branches = vec![self.concat(flags)?];
        while self.eat('|') {
            branches.push(self.concat(flags)?);
        }
        Ok(match branches.len() {
            1 => branches.pop().unwrap_or(Node::Empty),
            _ => Node::Alt(branches),
        })
    }

    fn concat(&mut self, flags: &mut Flags) -> Result<Node, String> {
        let mut items = Vec::new();
        loop {
            self.skip_verbose(flags);
            match self.peek() {
                None | Some('|' | ')') => break,
                _ => {}
            }
            let Some(atom) = self.atom(flags)? else {
                continue; // a flag group like (?i) changes flags and matches nothing
            };
            let atom = self.repetition(atom, flags)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    fn repetition(&mut self, mut atom: Node, flags: &Flags) -> Result<Node, String> {
        loop {
            self.skip_verbose(flags);
            let start = self.pos;
            let (min, max) = match self.peek() {
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('?') => (0, Some(1)),
                Some('{') => self.counted()?,
                _ => return Ok(atom),
            };
            if self.pos == start {
                self.pos += 1;
            }
            if matches!(atom, Node::Empty | Node::Look(_)) {
                self.pos = start;
                return self.fail("a repetition needs something to repeat before it");
            }
            if matches!(atom, Node::Repeat { .. }) {
                self.pos = start;
                return self.fail("two repetitions in a row; wrap the first in (?:…)");
            }
            let greedy = !self.eat('?');
            atom = Node::Repeat {
                node: Box::new(atom),
                min,
                max,
                greedy,
            };
        }
    }

    /// `{n}`, `{n,}`, `{n,m}`.
    fn counted(&mut self) -> Result<(u32, Option<u32>), String> {
        let start = self.pos;
        self.pos += 1;
        let number = |p: &mut Parser| -> Option<u32> {
            let from = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            let digits: String = p.chars[from..p.pos].iter().collect();
            digits.parse().ok()
        };
        let Some(min) = number(self) else {
            self.pos = start;
            return self.fail("expected a number after `{` (write `\\{` for a brace)");
        };
        let max = if self.eat(',') {
            if self.peek() == Some('}') {
                None
            } else {
                match number(self) {
                    Some(max) => Some(max),
                    None => return self.fail("expected a number or `}` in this repetition"),
                }
            }
        } else {
            Some(min)
        };
        if !self.eat('}') {
            return self.fail("expected `}` to close this repetition");
        }
        if max.is_some_and(|max| max < min) {
            self.pos = start;
            return self.fail("this repetition's maximum is below its minimum");
        }
        Ok((min, max))
    }

    fn atom(&mut self, flags: &mut Flags) -> Result<Option<Node>, String> {
        let Some(c) = self.peek() else {
            return Ok(Some(Node::Empty));
        };
        self.pos += 1;
        let node = match c {
            '(' => return self.group(flags),
            '[' => Node::Class {
                class: self.class(flags)?,
                fold: flags.fold,
            },
            '.' => Node::Any {
                dotall: flags.dotall,
            },
            '^' => Node::Look(if flags.multi_line {
                Look::LineStart
            } else {
                Look::Start
            }),
            '$' => Node::Look(if flags.multi_line {
                Look::LineEnd
            } else {
                Look::End
            }),
            '\\' => self.escape(flags)?,
            '*' | '+' | '?' => {
                self.pos -= 1;
                return self.fail("a repetition needs something to repeat before it");
            }
            c => Node::Char {
                c,
                fold: flags.fold,
            },
        };
        Ok(Some(node))
    }

    /// After `(`: a group, a non-capturing or named group, or a flag setting.
    fn group(&mut self, flags: &mut Flags) -> Result<Option<Node>, String> {
        let open = self.pos - 1;
        let mut inner = *flags;
        if self.eat('?') {
            if self.eat('P') || self.peek() == Some('<') {
                self.named_group_name()?;
            } else {
                let set = self.flag_letters(&mut inner)?;
                if self.eat(')') {
                    *flags = set; // (?i): for the rest of the enclosing group
                    return Ok(None);
                }
                if !self.eat(':') {
                    return self.fail("expected `:` or `)` after the flags");
                }
            }
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail(&format!("groups nested more than {MAX_DEPTH} deep"));
        }
        let node = self.alternation(&mut inner)?;
        self.depth -= 1;
        if !self.eat(')') {
            self.pos = open;
            return self.fail("this group is not closed: add `)`");
        }
        Ok(Some(Node::Group(Box::new(node))))
    }

    fn named_group_name(&mut self) -> Result<(), String> {
        if !self.eat('<') {
            return self.fail("expected `<name>` after `(?P`");
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        if self.pos == start || !self.eat('>') {
            return self.fail("expected a group name then `>`");
        }
        Ok(())
    }

    /// `i`, `m`, `s`, `x`, with `-` turning the following ones off.
    fn flag_letters(&mut self, flags: &mut Flags) -> Result<Flags, String> {
        let mut on = true;
        while let Some(c) = self.peek() {
            let slot = match c {
                'i' => &mut flags.fold,
                'm' => &mut flags.multi_line,
                's' => &mut flags.dotall,
                'x' => &mut flags.verbose,
                'u' => {
                    self.pos += 1;
                    continue; // Unicode is always on
                }
                '-' => {
                    on = false;
                    self.pos += 1;
                    continue;
                }
                ':' | ')' => return Ok(*flags),
                _ => {
                    return self.fail(&format!(
                        "unknown flag `{c}` (Tact patterns know i, m, s, x)"
                    ))
                }
            };
            *slot = on;
            self.pos += 1;
        }
        self.fail("this group is not closed: add `)`")
    }

    fn escape(&mut self, flags: &Flags) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return self.fail("a pattern cannot end with `\\`");
        };
        self.pos += 1;
        let set = |set, negated| Node::Class {
            class: Class {
                items: vec![Item::Set(set, false)],
                negated,
            },
            fold: false,
        };
        Ok(match c {
            'd' => set(Set::Digit, false),
            'D' => set(Set::Digit, true),
            'w' => set(Set::Word, false),
            'W' => set(Set::Word, true),
            's' => set(Set::Space, false),
            'S' => set(Set::Space, true),
            'p' | 'P' => {
                let s = self.property()?;
                set(s, c == 'P')
            }
            'b' => Node::Look(Look::WordBoundary),
            'B' => Node::Look(Look::NotWordBoundary),
            'A' => Node::Look(Look::Start),
            'z' => Node::Look(Look::End),
            _ => Node::Char {
                c: self.escaped_char(c)?,
                fold: flags.fold,
            },
        })
    }

    /// The character an escape stands for (`\n`, `\.`, `\x41`, `\u{e9}`).
    fn escaped_char(&mut self, c: char) -> Result<char, String> {
        Ok(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\u{c}',
            'v' => '\u{b}',
            'a' => '\u{7}',
            '0' => '\0',
            'x' => self.hex(2)?,
            'u' => self.hex(4)?,
            'U' => self.hex(8)?,
            c if c.is_ascii_punctuation() || c == ' ' => c,
            c => {
                self.pos -= 1;
                return self.fail(&format!(
                    "`\\{c}` is not a known escape (Tact patterns know \\d \\w \\s \\b \\p{{L}} \\n \\t \\x…)"
                ));
            }
        })
    }

    /// `\x41` / `\x{41}` style: `digits` hex digits, or any number in braces.
    fn hex(&mut self, digits: usize) -> Result<char, String> {
        let start = self.pos;
        let text: String = if self.eat('{') {
            let from = self.pos;
            while self.peek().is_some_and(|c| c != '}') {
                self.pos += 1;
            }
            let t = self.chars[from..self.pos].iter().collect();
            self.eat('}');
            t
        } else {
            let end = (self.pos + digits).min(self.chars.len());
            let t = self.chars[self.pos..end].iter().collect();
            self.pos = end;
            t
        };
        match u32::from_str_radix(&text, 16).ok().and_then(char::from_u32) {
            Some(c) if !text.is_empty() => Ok(c),
            _ => {
                self.pos = start;
                self.fail("expected hex digits naming a Unicode character")
            }
        }
    }

    /// `\pL`, `\p{L}`, `\p{Lu}`, `\p{Letter}`…: the general categories Tact supports.
    fn property(&mut self) -> Result<Set, String> {
        let name: String = if self.eat('{') {
            let from = self.pos;
            while self.peek().is_some_and(|c| c != '}') {
                self.pos += 1;
            }
            let name = self.chars[from..self.pos].iter().collect();
            if !self.eat('}') {
                return self.fail("expected `}` after the property name");
            }
            name
        } else {
            match self.peek() {
                Some(c) => {
                    self.pos += 1;
                    c.to_string()
                }
                None => return self.fail("expected a property name after \\p"),
            }
        };
        Ok(match name.as_str() {
            "L" | "Letter" | "Alphabetic" | "Alpha" => Set::Letter,
            "Lu" | "Uppercase_Letter" | "Uppercase" => Set::Upper,
            "Ll" | "Lowercase_Letter" | "Lowercase" => Set::Lower,
            "N" | "Nd" | "Number" | "Decimal_Number" | "Digit" => Set::Digit,
            "White_Space" | "Whitespace" => Set::Space,
            _ => {
                return self.fail(&format!(
                    "\\p{{{name}}} is not supported; Tact patterns know \\p{{L}}, \\p{{Lu}}, \\p{{Ll}}, \\p{{N}}"
                ))
            }
        })
    }

    /// After `[`: items up to the closing `]`.
    fn class(&mut self, flags: &Flags) -> Result<Class, String> {
        let open = self.pos - 1;
        let negated = self.eat('^');
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                self.pos = open;
                return self.fail("this class is not closed: add `]`");
            };
            self.pos += 1;
            if c == ']' && !first {
                return Ok(Class { items, negated });
            }
            first = false;
            if c == '[' {
                if self.peek() == Some(':') {
                    items.push(self.ascii_class()?);
                    continue;
                }
                self.pos -= 1;
                return self
                    .fail("nested classes are not supported; list the characters in one class");
            }
            if (c == '&' || c == '~') && self.peek() == Some(c) {
                self.pos -= 1;
                return self.fail("class operations (&&, ~~) are not supported");
            }
            let low = match c {
                '\\' => match self.class_escape(flags)? {
                    ClassPart::Char(c) => c,
                    ClassPart::Item(item) => {
                        items.push(item);
                        continue;
                    }
                },
                c => c,
            };
            let is_range =
                self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']');
            if !is_range {
                items.push(Item::Range(low, low));
                continue;
            }
            self.pos += 1;
            let high = match self.peek() {
                Some('\\') => {
                    self.pos += 1;
                    match self.class_escape(flags)? {
                        ClassPart::Char(c) => c,
                        ClassPart::Item(_) => {
                            return self.fail("a range cannot end with a class like \\w")
                        }
                    }
                }
                Some(c) => {
                    self.pos += 1;
                    c
                }
                None => return self.fail("this class is not closed: add `]`"),
            };
            if high < low {
                return self.fail(&format!("the range {low}-{high} is backwards"));
            }
            items.push(Item::Range(low, high));
        }
    }

    fn class_escape(&mut self, flags: &Flags) -> Result<ClassPart, String> {
        match self.escape(flags)? {
            Node::Char { c, .. } => Ok(ClassPart::Char(c)),
            Node::Class { class, .. } => match class.items.first() {
                Some(&Item::Set(set, _)) => Ok(ClassPart::Item(Item::Set(set, class.negated))),
                _ => self.fail("unexpected escape in a class"),
            },
            _ => self.fail("\\b, \\A and \\z mean nothing inside a class"),
        }
    }

    /// `[:alpha:]` inside a class (ASCII, as in the `regex` crate).
    fn ascii_class(&mut self) -> Result<Item, String> {
        let start = self.pos;
        self.pos += 1;
        let negated = self.eat('^');
        let from = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_lowercase()) {
            self.pos += 1;
        }
        let name: String = self.chars[from..self.pos].iter().collect();
        if !(self.eat(':') && self.eat(']')) {
            self.pos = start;
            return self.fail("expected `[:name:]`");
        }
        let (a, b) = match name.as_str() {
            "digit" => ('0', '9'),
            "lower" => ('a', 'z'),
            "upper" => ('A', 'Z'),
            "alpha" | "alnum" | "word" | "space" | "punct" => {
                self.pos = start;
                return self.fail(&format!(
                    "[:{name}:] is not supported; use \\w, \\s or a range"
                ));
            }
            _ => {
                self.pos = start;
                return self.fail(&format!("unknown class [:{name}:]"));
            }
        };
        if negated {
            self.pos = start;
            return self.fail("negated [:^name:] classes are not supported; use [^…]");
        }
        Ok(Item::Range(a, b))
    }
}

enum ClassPart {
    Char(char),
    Item(Item),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_shapes() {
        assert!(matches!(
            parse(r"(?i)rembours\w*\s+(garanti|immédiat)"),
            Ok(Node::Concat(_))
        ));
        assert!(matches!(parse("CMD-\\d{6}"), Ok(Node::Concat(_))));
        assert!(matches!(
            parse("a{2,}?"),
            Ok(Node::Repeat {
                min: 2,
                max: None,
                greedy: false,
                ..
            })
        ));
        assert!(parse("(?P<n>x)(?<m>y)(?:z)[^a-z\\d_]").is_ok());
        assert!(parse("(?x) a b # comment\n c").is_ok());
    }

    #[test]
    fn errors_name_the_place() {
        for (pattern, needle) in [
            ("(unclosed", "not closed"),
            ("[abc", "not closed"),
            ("a)", "closes no group"),
            ("*a", "needs something to repeat"),
            ("a**", "two repetitions"),
            ("a{3,1}", "below its minimum"),
            ("\\q", "not a known escape"),
            ("\\p{Greek}", "not supported"),
            ("[z-a]", "backwards"),
            ("(?q)", "unknown flag"),
            ("[a[b]]", "nested classes"),
        ] {
            let e = parse(pattern).expect_err(pattern);
            assert!(e.contains(needle), "{pattern}: {e}");
            assert!(e.contains("at character"), "{pattern}: {e}");
        }
    }
}
