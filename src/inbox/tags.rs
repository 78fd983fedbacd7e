//! The team's tag vocabulary: stable ids, French and English names, colours, shortcut
//! digits, display order.
//!
//! Items hold tag ids, so renaming or recolouring a tag changes every item at once and
//! loses none. Digits 1–9 are the `Alt+digit` shortcuts; each digit belongs to at most one
//! tag.

use super::fold::fold;
use crate::text::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A tag's names; a team tag created in one language gets the same name in both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagNames {
    pub en: String,
    pub fr: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// `[a-z0-9-]{1,32}`, never changes.
    pub id: String,
    pub names: TagNames,
    /// `#rrggbb`, readable with white text (contrast ≥ 4.5:1) for the defaults.
    pub color: String,
    /// Shortcut digit 1–9, if any.
    #[serde(default)]
    pub digit: Option<u8>,
}

impl Tag {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.names.fr,
            Lang::En | Lang::Unknown => &self.names.en,
        }
    }
}

/// What went wrong editing the vocabulary, in words a CM can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagError {
    UnknownTag(String),
    BadName(String),
    DuplicateName(String),
    BadColor(String),
    BadDigit(u8),
    BadId(String),
    DuplicateId(String),
    NotAPermutation,
}

impl fmt::Display for TagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TagError::UnknownTag(id) => write!(f, "no tag with id {id:?}"),
            TagError::BadName(n) => {
                write!(
                    f,
                    "tag name {n:?} must be 1 to 40 characters, not only spaces"
                )
            }
            TagError::DuplicateName(n) => write!(f, "a tag is already named {n:?}"),
            TagError::BadColor(c) => write!(f, "colour {c:?} must be written #rrggbb"),
            TagError::BadDigit(d) => write!(f, "shortcut digit {d} must be between 1 and 9"),
            TagError::BadId(id) => write!(f, "tag id {id:?} must match [a-z0-9-]{{1,32}}"),
            TagError::DuplicateId(id) => write!(f, "two tags have the id {id:?}"),
            TagError::NotAPermutation => {
                write!(f, "the new order must list every tag exactly once")
            }
        }
    }
}

impl std::error::Error for TagError {}

/// Default tags: (id, English, French, colour). Colours are distinct in hue and all
/// reach 4.5:1 contrast with white text (WCAG AA), checked by a test.
const DEFAULTS: &[(&str, &str, &str, &str)] = &[
    ("complaint", "Complaint", "Réclamation", "#C62828"),
    ("question", "Question", "Question", "#1565C0"),
    ("lead", "Lead", "Prospect", "#2E7D32"),
    ("influencer", "Influencer", "Influenceur", "#7B1FA2"),
    ("crisis", "Crisis", "Crise", "#B34700"),
    ("praise", "Praise", "Compliment", "#AD1457"),
    ("bug", "Bug", "Bug", "#5D4037"),
    ("press", "Press", "Presse", "#00796B"),
];

/// Colours offered to new tags once the defaults' are taken (also ≥ 4.5:1 with white).
const EXTRA_COLORS: &[&str] = &["#283593", "#455A64", "#827717", "#004D40", "#3E2723"];

pub fn is_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn is_tag_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn clean_name(name: &str) -> Result<String, TagError> {
    let n = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if n.is_empty() || n.chars().count() > 40 {
        return Err(TagError::BadName(name.to_string()));
    }
    Ok(n)
}

/// The ordered list of the team's tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Vocabulary {
    tags: Vec<Tag>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::defaults()
    }
}

impl Vocabulary {
    /// complaint, question, lead, influencer, crisis, praise, bug, press on digits 1–8.
    pub fn defaults() -> Vocabulary {
        let tags = DEFAULTS
            .iter()
            .zip(1u8..)
            .map(|(&(id, en, fr, color), digit)| Tag {
                id: id.into(),
                names: TagNames {
                    en: en.into(),
                    fr: fr.into(),
                },
                color: color.into(),
                digit: Some(digit),
            })
            .collect();
        Vocabulary { tags }
    }

    /// No tags at all (a stored inbox brings its own).
    pub fn empty() -> Vocabulary {
        Vocabulary { tags: Vec::new() }
    }

    /// A vocabulary from stored tags, checked: ids, colours and digits valid, ids unique,
    /// each digit on one tag at most.
    pub fn from_tags(tags: Vec<Tag>) -> Result<Vocabulary, TagError> {
        let mut v = Vocabulary::empty();
        for tag in tags {
            v.insert(tag)?;
        }
        Ok(v)
    }

    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    pub fn get(&self, id: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.id == id)
    }

    fn get_mut(&mut self, id: &str) -> Result<&mut Tag, TagError> {
        self.tags
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or_else(|| TagError::UnknownTag(id.to_string()))
    }

    /// The tag on shortcut `digit`, for `Alt+digit`.
    pub fn by_digit(&self, digit: u8) -> Option<&Tag> {
        self.tags.iter().find(|t| t.digit == Some(digit))
    }

    /// The display name of `id` in `lang`, or the id itself for a tag since removed.
    pub fn name<'a>(&'a self, id: &'a str, lang: Lang) -> &'a str {
        self.get(id).map_or(id, |t| t.name(lang))
    }

    fn name_taken(&self, name: &str, except: Option<&str>) -> bool {
        let folded = fold(name);
        self.tags.iter().any(|t| {
            Some(t.id.as_str()) != except
                && (fold(&t.names.en) == folded || fold(&t.names.fr) == folded)
        })
    }

    /// Adds a stored tag as is (import, sync); a digit already in use is dropped rather
    /// than stolen, so the local shortcuts stay as the CM knows them.
    pub fn insert(&mut self, mut tag: Tag) -> Result<(), TagError> {
        if !is_tag_id(&tag.id) {
            return Err(TagError::BadId(tag.id));
        }
        if self.get(&tag.id).is_some() {
            return Err(TagError::DuplicateId(tag.id));
        }
        if !is_color(&tag.color) {
            return Err(TagError::BadColor(tag.color));
        }
        tag.names.en = clean_name(&tag.names.en)?;
        tag.names.fr = clean_name(&tag.names.fr)?;
        if let Some(d) = tag.digit {
            if !(1..=9).contains(&d) {
                return Err(TagError::BadDigit(d));
            }
            if self.by_digit(d).is_some() {
                tag.digit = None;
            }
        }
        self.tags.push(tag);
        Ok(())
    }

    /// Creates a tag named `name` (both languages), with the next unused colour unless
    /// `color` is given and the next free digit; returns its new id (a slug of the name).
    pub fn add(&mut self, name: &str, color: Option<&str>) -> Result<String, TagError> {
        let name = clean_name(name)?;
        if self.name_taken(&name, None) {
            return Err(TagError::DuplicateName(name));
        }
        let color = match color {
            Some(c) if is_color(c) => c.to_string(),
            Some(c) => return Err(TagError::BadColor(c.to_string())),
            None => self.next_color(),
        };
        let id = self.new_id(&name);
        let digit = (1..=9u8).find(|&d| self.by_digit(d).is_none());
        self.tags.push(Tag {
            id: id.clone(),
            names: TagNames {
                en: name.clone(),
                fr: name,
            },
            color,
            digit,
        });
        Ok(id)
    }

    fn next_color(&self) -> String {
        let palette = DEFAULTS
            .iter()
            .map(|d| d.3)
            .chain(EXTRA_COLORS.iter().copied());
        let unused = palette
            .clone()
            .find(|c| !self.tags.iter().any(|t| t.color.eq_ignore_ascii_case(c)));
        let n = DEFAULTS.len() + EXTRA_COLORS.len();
        unused
            .or_else(|| palette.clone().nth(self.tags.len() % n))
            .unwrap_or("#455A64")
            .to_string()
    }

    fn new_id(&self, name: &str) -> String {
        let mut slug = String::new();
        for c in fold(name).chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        slug.truncate(28);
        let slug = slug.trim_end_matches('-');
        let base = if slug.is_empty() { "tag" } else { slug };
        let mut id = base.to_string();
        let mut n = 2;
        while self.get(&id).is_some() {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// Renames a tag in one language, or in both when `lang` is `None`.
    pub fn rename(&mut self, id: &str, lang: Option<Lang>, name: &str) -> Result<(), TagError> {
        let name = clean_name(name)?;
        if self.name_taken(&name, Some(id)) {
            return Err(TagError::DuplicateName(name));
        }
        let tag = self.get_mut(id)?;
        match lang {
            Some(Lang::Fr) => tag.names.fr = name,
            Some(_) => tag.names.en = name,
            None => {
                tag.names.fr = name.clone();
                tag.names.en = name;
            }
        }
        Ok(())
    }

    pub fn recolor(&mut self, id: &str, color: &str) -> Result<(), TagError> {
        if !is_color(color) {
            return Err(TagError::BadColor(color.to_string()));
        }
        self.get_mut(id)?.color = color.to_string();
        Ok(())
    }

    /// Gives `id` the shortcut `digit` (taking it from any other tag), or none.
    pub fn set_digit(&mut self, id: &str, digit: Option<u8>) -> Result<(), TagError> {
        if let Some(d) = digit.filter(|d| !(1..=9).contains(d)) {
            return Err(TagError::BadDigit(d));
        }
        self.get_mut(id)?;
        for t in &mut self.tags {
            if t.id == id {
                t.digit = digit;
            } else if digit.is_some() && t.digit == digit {
                t.digit = None;
            }
        }
        Ok(())
    }

    /// Puts the tags in the order of `ids`, which must name every tag once.
    pub fn reorder(&mut self, ids: &[&str]) -> Result<(), TagError> {
        if ids.len() != self.tags.len() {
            return Err(TagError::NotAPermutation);
        }
        let mut sorted = Vec::with_capacity(ids.len());
        for id in ids {
            let i = self
                .tags
                .iter()
                .position(|t| t.id == *id)
                .ok_or(TagError::NotAPermutation)?;
            if sorted.contains(&i) {
                return Err(TagError::NotAPermutation);
            }
            sorted.push(i);
        }
        self.tags = sorted.into_iter().map(|i| self.tags[i].clone()).collect();
        Ok(())
    }

    /// Removes a tag from the vocabulary (the inbox also strips it from items).
    pub fn remove(&mut self, id: &str) -> Result<Tag, TagError> {
        let i = self
            .tags
            .iter()
            .position(|t| t.id == id)
            .ok_or_else(|| TagError::UnknownTag(id.to_string()))?;
        Ok(self.tags.remove(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let ch = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5)
    }

    #[test]
    fn default_colours_are_readable_with_white_and_distinct() {
        let v = Vocabulary::defaults();
        assert_eq!(v.tags().len(), 8);
        let colours: Vec<&str> = v
            .tags()
            .iter()
            .map(|t| t.color.as_str())
            .chain(EXTRA_COLORS.iter().copied())
            .collect();
        for c in &colours {
            let contrast = 1.05 / (luminance(c) + 0.05);
            assert!(contrast >= 4.5, "{c}: {contrast:.2}");
        }
        // Distinct: pairwise, channels differ by a visible amount.
        for (i, a) in colours.iter().enumerate() {
            for b in &colours[i + 1..] {
                let d: i32 = (1..7)
                    .step_by(2)
                    .map(|k| {
                        let x = i32::from(u8::from_str_radix(&a[k..k + 2], 16).unwrap());
                        let y = i32::from(u8::from_str_radix(&b[k..k + 2], 16).unwrap());
                        (x - y).abs()
                    })
                    .sum();
                assert!(d >= 60, "{a} vs {b} too close ({d})");
            }
        }
        assert_eq!(v.by_digit(5).unwrap().id, "crisis");
        assert_eq!(v.get("complaint").unwrap().name(Lang::Fr), "Réclamation");
    }

    #[test]
    fn add_rename_recolor_reorder_keep_ids() {
        let mut v = Vocabulary::defaults();
        let id = v.add("  Service   après-vente ", None).unwrap();
        assert_eq!(id, "service-apres-vente");
        let tag = v.get(&id).unwrap();
        assert_eq!(
            (tag.names.fr.as_str(), tag.digit),
            ("Service après-vente", Some(9))
        );
        assert!(!v.tags()[..8].iter().any(|t| t.color == tag.color));
        assert_eq!(
            v.add("service APRÈS-vente", None),
            Err(TagError::DuplicateName("service APRÈS-vente".into()))
        );
        v.rename(&id, Some(Lang::En), "After-sales").unwrap();
        assert_eq!(v.name(&id, Lang::En), "After-sales");
        assert_eq!(v.name(&id, Lang::Fr), "Service après-vente");
        assert!(v.rename("complaint", None, "Question").is_err());
        assert!(v.recolor(&id, "red\"><script>").is_err());
        v.recolor(&id, "#112233").unwrap();
        v.set_digit(&id, Some(1)).unwrap();
        assert_eq!(v.by_digit(1).unwrap().id, id);
        assert_eq!(v.get("complaint").unwrap().digit, None);
        assert_eq!(v.set_digit(&id, Some(0)), Err(TagError::BadDigit(0)));
        let mut order: Vec<&str> = v.tags().iter().map(|t| t.id.as_str()).collect();
        order.reverse();
        let order: Vec<String> = order.into_iter().map(String::from).collect();
        let refs: Vec<&str> = order.iter().map(String::as_str).collect();
        v.reorder(&refs).unwrap();
        assert_eq!(v.tags()[0].id, id);
        assert_eq!(
            v.reorder(&["press", "press"]),
            Err(TagError::NotAPermutation)
        );
        assert_eq!(
            v.add("Bug", None),
            Err(TagError::DuplicateName("Bug".into()))
        );
        assert_eq!(v.add("!!!", None).unwrap(), "tag");
    }

    #[test]
    fn stored_tags_are_validated() {
        let mut t = Vocabulary::defaults().tags()[0].clone();
        t.id = "Bad Id".into();
        assert_eq!(
            Vocabulary::from_tags(vec![t]),
            Err(TagError::BadId("Bad Id".into()))
        );
        let mut a = Vocabulary::defaults().tags()[0].clone();
        let mut b = Vocabulary::defaults().tags()[1].clone();
        a.digit = Some(3);
        b.digit = Some(3);
        let v = Vocabulary::from_tags(vec![a, b]).unwrap();
        assert_eq!(v.by_digit(3).unwrap().id, "complaint");
        assert_eq!(v.tags()[1].digit, None);
    }
}
