//! Site packs: everything Tact knows about a site's markup, as data.
//!
//! When X or Facebook change their markup, a pack in `extension/sites/*.json` changes, not
//! the code. Packs are validated here, natively, so a broken pack fails the test suite with
//! a message naming the file, the field and the fix rather than failing silently in a page.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// The packs shipped with the extension, embedded at build time (no fetch at start-up).
pub const BUILT_IN: &[(&str, &str)] = &[
    ("x.json", include_str!("../extension/sites/x.json")),
    (
        "facebook.json",
        include_str!("../extension/sites/facebook.json"),
    ),
];

/// How a site's editor holds its text, which decides how it is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditorKind {
    Draft,
    Lexical,
    Prosemirror,
    Quill,
    Textarea,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditorRule {
    pub selector: String,
    pub kind: EditorKind,
}

/// A key that sends the draft. `None` modifiers are "don't care"; `Some(b)` must equal `b`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitKey {
    pub key: String,
    #[serde(default)]
    pub ctrl: Option<bool>,
    #[serde(default)]
    pub meta: Option<bool>,
    #[serde(default)]
    pub shift: Option<bool>,
    #[serde(default)]
    pub alt: Option<bool>,
}

/// Modifier state of a key press, as the page layer reads it from a `KeyboardEvent`.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyPress<'a> {
    pub key: &'a str,
    pub ctrl: bool,
    pub meta: bool,
    pub shift: bool,
    pub alt: bool,
}

impl SubmitKey {
    pub fn matches(&self, press: &KeyPress) -> bool {
        let want = |rule: Option<bool>, actual: bool| rule.is_none_or(|r| r == actual);
        self.key == press.key
            && want(self.ctrl, press.ctrl)
            && want(self.meta, press.meta)
            && want(self.shift, press.shift)
            && want(self.alt, press.alt)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    pub buttons: Vec<String>,
    pub keys: Vec<SubmitKey>,
}

/// The parts of the comment being answered, read to suggest replies. Each list holds
/// selectors tried inside the reply-context container; the first element with text wins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyParts {
    /// The commenter's display name.
    #[serde(default)]
    pub author: Vec<String>,
    /// The commenter's handle (`@name`); empty on sites without handles.
    #[serde(default)]
    pub handle: Vec<String>,
    /// The comment's text.
    pub text: Vec<String>,
    /// Containers the search for the context never leaves (a new-post dialog answers
    /// nothing on the page behind it).
    #[serde(default)]
    pub bounds: Vec<String>,
}

/// One site's pack.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitePack {
    pub name: String,
    /// The network findings and captures are reported under (`x`, `facebook`, `linkedin`).
    pub network: String,
    pub hosts: Vec<String>,
    pub editors: Vec<EditorRule>,
    pub submit: Submit,
    /// Containers that scope an editor with its own submit button (modals, inline replies).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The comment or post being answered: the nearest match enclosing the editor or
    /// before it in the page (see [`ReplyParts`]).
    #[serde(default)]
    pub reply_context: Vec<String>,
    /// Where the commenter and the comment sit inside a `reply_context` match.
    #[serde(default)]
    pub reply: Option<ReplyParts>,
    #[serde(default)]
    pub active_account: Vec<String>,
    /// Localised aria-label texts by language, then by purpose.
    #[serde(default)]
    pub aria_labels: BTreeMap<String, BTreeMap<String, String>>,
    /// How posts and comments are found and read, for the quick-tag capture.
    #[serde(default)]
    pub posts: Option<PostRules>,
}

/// Where a post's parts are, as selector lists tried in order. Every field lookup skips
/// matches inside a `nested` container (a quoted tweet, a comment inside a post), so the
/// outer post's author is never confused with the quoted one's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostRules {
    /// Posts and comments that get a tag button.
    pub article: Vec<String>,
    /// Ancestors under which an article is not the CM's business (dialogs, banners).
    #[serde(default)]
    pub ignore_inside: Vec<String>,
    /// Containers inside an article that belong to another post.
    #[serde(default)]
    pub nested: Vec<String>,
    /// The post's own link.
    pub permalink: Vec<String>,
    /// The link whose text is the author's display name and whose address names them.
    pub author: Vec<String>,
    /// An element whose text is `@handle` (X); otherwise the handle comes from the author link.
    #[serde(default)]
    pub handle: Vec<String>,
    /// Prefixes of an article's aria-label before the author's name (Facebook comments:
    /// "Commentaire de ", "Comment by ").
    #[serde(default)]
    pub author_label_prefixes: Vec<String>,
    pub text: Vec<String>,
    /// An element with a `datetime` attribute.
    #[serde(default)]
    pub time: Vec<String>,
    /// Where the tag button goes (first match not nested); the article itself otherwise.
    #[serde(default)]
    pub button_anchor: Vec<String>,
    /// An ancestor saying the post sits in an advert slot. Repost markers ("X reposted")
    /// need no rule: the author is read from the post's own author block, never from them.
    #[serde(default)]
    pub promoted: Vec<String>,
}

/// A pack that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct PackError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "site pack {}: {}", self.file, self.message)
    }
}

impl std::error::Error for PackError {}

impl SitePack {
    /// Parses and validates one pack; `file` names it in errors.
    pub fn parse(file: &str, json: &str) -> Result<SitePack, PackError> {
        let error = |message: String| PackError {
            file: file.to_string(),
            message,
        };
        let pack: SitePack = crate::config::Document::parse(json, file)
            .and_then(|doc| doc.decode())
            .map_err(|e| {
                let at = match (e.line, e.column) {
                    (Some(line), Some(column)) => format!("line {line}, column {column}: "),
                    _ => String::new(),
                };
                let field = match e.field.as_str() {
                    "" => String::new(),
                    field => format!("field `{field}`: "),
                };
                error(format!("{at}{field}{}", e.message))
            })?;
        let mut empty = Vec::new();
        for (field, is_empty) in [
            ("name", pack.name.trim().is_empty()),
            ("network", pack.network.trim().is_empty()),
            ("hosts", pack.hosts.is_empty()),
            ("editors", pack.editors.is_empty()),
            ("submit.buttons", pack.submit.buttons.is_empty()),
            ("submit.keys", pack.submit.keys.is_empty()),
        ] {
            if is_empty {
                empty.push(field);
            }
        }
        if !empty.is_empty() {
            return Err(error(format!("{} must not be empty", empty.join(", "))));
        }
        let selectors = pack
            .editors
            .iter()
            .map(|e| ("editors[].selector", &e.selector));
        let buttons = pack.submit.buttons.iter().map(|s| ("submit.buttons[]", s));
        let reply = pack.reply.iter().flat_map(|r| {
            let parts = [
                ("reply.author[]", &r.author),
                ("reply.handle[]", &r.handle),
                ("reply.text[]", &r.text),
                ("reply.bounds[]", &r.bounds),
            ];
            parts
                .into_iter()
                .flat_map(|(field, list)| list.iter().map(move |s| (field, s)))
        });
        let contexts = pack.reply_context.iter().map(|s| ("reply_context[]", s));
        if let Some(reply) = &pack.reply {
            if reply.text.is_empty() || pack.reply_context.is_empty() {
                return Err(error(
                    "reply needs reply_context and reply.text selectors: suggestions classify \
                     the text of the comment being answered"
                        .to_string(),
                ));
            }
        }
        for (field, selector) in selectors.chain(buttons).chain(contexts).chain(reply) {
            if selector.trim().is_empty() {
                return Err(error(format!(
                    "{field} holds an empty selector; remove it or fill it in"
                )));
            }
        }
        if let Some(posts) = &pack.posts {
            posts.check().map_err(error)?;
        }
        Ok(pack)
    }

    pub fn serves(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
}

impl PostRules {
    /// Required lists are non-empty and no selector is blank; the message names the field.
    fn check(&self) -> Result<(), String> {
        let lists: [(&str, &Vec<String>, bool); 10] = [
            ("posts.article", &self.article, true),
            ("posts.permalink", &self.permalink, true),
            ("posts.author", &self.author, true),
            ("posts.text", &self.text, true),
            ("posts.ignore_inside", &self.ignore_inside, false),
            ("posts.nested", &self.nested, false),
            ("posts.handle", &self.handle, false),
            ("posts.time", &self.time, false),
            ("posts.button_anchor", &self.button_anchor, false),
            ("posts.promoted", &self.promoted, false),
        ];
        for (field, list, required) in lists {
            if required && list.is_empty() {
                return Err(format!("{field} must list at least one selector"));
            }
            if list.iter().any(|s| s.trim().is_empty()) {
                return Err(format!(
                    "{field}[] holds an empty selector; remove it or fill it in"
                ));
            }
        }
        Ok(())
    }
}

/// The built-in pack for `host`, if any. Errors in built-in packs are reported, not hidden.
pub fn for_host(host: &str) -> Option<Result<SitePack, PackError>> {
    BUILT_IN
        .iter()
        .map(|(file, json)| SitePack::parse(file, json))
        .find(|pack| match pack {
            Ok(pack) => pack.serves(host),
            Err(_) => true,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_packs_are_valid_and_serve_their_hosts() {
        for (file, json) in BUILT_IN {
            let pack = SitePack::parse(file, json).unwrap_or_else(|e| panic!("{e}"));
            assert!(!pack.editors.is_empty());
        }
        assert_eq!(
            for_host("x.com").and_then(Result::ok).map(|p| p.network),
            Some("x".into())
        );
        assert_eq!(
            for_host("www.facebook.com")
                .and_then(Result::ok)
                .map(|p| p.network),
            Some("facebook".into())
        );
        assert!(for_host("example.com").is_none());
    }

    #[test]
    fn submit_keys_follow_each_site() {
        let x = SitePack::parse("x.json", BUILT_IN[0].1).unwrap();
        let fb = SitePack::parse("facebook.json", BUILT_IN[1].1).unwrap();
        let sends =
            |pack: &SitePack, press: KeyPress| pack.submit.keys.iter().any(|k| k.matches(&press));
        let enter = KeyPress {
            key: "Enter",
            ..KeyPress::default()
        };
        assert!(!sends(&x, enter), "plain Enter is a newline on X");
        assert!(sends(
            &x,
            KeyPress {
                ctrl: true,
                ..enter
            }
        ));
        assert!(sends(
            &x,
            KeyPress {
                meta: true,
                ..enter
            }
        ));
        assert!(sends(&fb, enter));
        assert!(
            !sends(
                &fb,
                KeyPress {
                    shift: true,
                    ..enter
                }
            ),
            "Shift+Enter is a newline on Facebook"
        );
    }

    #[test]
    fn built_in_packs_read_posts_and_comments() {
        for (file, json) in BUILT_IN {
            let pack = SitePack::parse(file, json).unwrap_or_else(|e| panic!("{e}"));
            let posts = pack
                .posts
                .unwrap_or_else(|| panic!("{file} has no posts rules"));
            assert!(!posts.nested.is_empty(), "{file}: quoted or inner posts");
        }
        let fb = SitePack::parse("facebook.json", BUILT_IN[1].1).unwrap();
        let prefixes = fb
            .posts
            .map(|p| p.author_label_prefixes)
            .unwrap_or_default();
        assert!(
            prefixes.iter().any(|p| p == "Commentaire de "),
            "French comments"
        );
    }

    #[test]
    fn post_rules_errors_name_the_field() {
        let pack = |posts: &str| {
            format!(
                r#"{{"name":"x","network":"x","hosts":["x.com"],"editors":[{{"selector":"textarea","kind":"textarea"}}],"submit":{{"buttons":["b"],"keys":[{{"key":"Enter"}}]}},"posts":{posts}}}"#
            )
        };
        let err = SitePack::parse(
            "p.json",
            &pack(r#"{"article":["article"],"permalink":[],"author":["a"],"text":["p"]}"#),
        )
        .unwrap_err();
        assert!(err.message.contains("posts.permalink must list"), "{err}");
        let err = SitePack::parse(
            "p.json",
            &pack(r#"{"article":["article"],"permalink":["a"],"author":["a"],"text":["p"],"time":[" "]}"#),
        )
        .unwrap_err();
        assert!(
            err.message.contains("posts.time[] holds an empty selector"),
            "{err}"
        );
    }

    #[test]
    fn errors_name_the_file_place_and_field() {
        let err = SitePack::parse("bad.json", "{\"name\": \"x\",\n \"colour\": 1}").unwrap_err();
        assert!(
            err.to_string().starts_with("site pack bad.json: line 2"),
            "{err}"
        );
        assert!(err.message.contains("colour"), "{err}");
        let empty = r#"{"name":"x","network":"x","hosts":[],"editors":[],"submit":{"buttons":[],"keys":[]}}"#;
        let err = SitePack::parse("empty.json", empty).unwrap_err();
        assert!(
            err.message
                .contains("hosts, editors, submit.buttons, submit.keys must not be empty"),
            "{err}"
        );
    }

    #[test]
    fn reply_parts_need_a_context_and_name_empty_selectors() {
        for (file, json) in BUILT_IN {
            let pack = SitePack::parse(file, json).unwrap_or_else(|e| panic!("{e}"));
            let reply = pack
                .reply
                .unwrap_or_else(|| panic!("{file} has no reply parts"));
            assert!(!reply.text.is_empty() && !reply.author.is_empty(), "{file}");
        }
        let base = r#""name":"x","network":"x","hosts":["x.com"],"editors":[{"selector":"div","kind":"draft"}],"submit":{"buttons":["b"],"keys":[{"key":"Enter"}]}"#;
        let no_context = format!(r#"{{{base},"reply":{{"text":["p"]}}}}"#);
        let err = SitePack::parse("a.json", &no_context).unwrap_err();
        assert!(err.message.contains("reply needs reply_context"), "{err}");
        let blank = format!(
            r#"{{{base},"reply_context":["article"],"reply":{{"text":["p"],"handle":[" "]}}}}"#
        );
        let err = SitePack::parse("b.json", &blank).unwrap_err();
        assert!(
            err.message
                .starts_with("reply.handle[] holds an empty selector"),
            "{err}"
        );
        let typo = format!(
            r#"{{{base},"reply_context":["article"],"reply":{{"text":["p"],"autor":["a"]}}}}"#
        );
        let err = SitePack::parse("c.json", &typo).unwrap_err();
        assert!(err.message.contains("autor"), "{err}");
    }
}
