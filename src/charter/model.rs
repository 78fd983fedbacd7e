//! The charter as a brand writes it (TOML or JSON), before compilation.
//!
//! Every struct refuses unknown keys: a misspelt `severty` must be an error that names
//! it, not a rule that silently never fires.

use crate::report::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole charter file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charter {
    #[serde(default)]
    pub charter: Meta,
    #[serde(default)]
    pub rule: Vec<Rule>,
    #[serde(default)]
    pub networks: BTreeMap<Network, NetworkLimits>,
    #[serde(default)]
    pub links: LinkSettings,
    #[serde(default)]
    pub pii: PiiSettings,
}

/// `[charter]`: who the brand is and which built-in packs run how strictly.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub languages: Vec<LangCode>,
    #[serde(default)]
    pub register: Register,
    /// A regex the last non-empty line of every reply must match.
    pub signature: Option<String>,
    /// Pack name → level; packs left out keep their default level.
    #[serde(default)]
    pub packs: BTreeMap<Pack, Level>,
}

/// French form of address the brand uses with its public.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Register {
    Tu,
    Vous,
    #[default]
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LangCode {
    Fr,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    X,
    Facebook,
    Linkedin,
}

impl Network {
    /// The network a site pack names (`x`, `facebook`, `linkedin`).
    pub fn parse(name: &str) -> Option<Network> {
        [Network::X, Network::Facebook, Network::Linkedin]
            .into_iter()
            .find(|n| n.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::Facebook => "facebook",
            Network::Linkedin => "linkedin",
        }
    }
}

/// The built-in packs a charter can switch on, off, or set a severity for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pack {
    Reserve,
    Shouting,
    Punctuation,
    Pii,
    Links,
    Length,
    Register,
    Signature,
}

impl Pack {
    pub const ALL: [Pack; 8] = [
        Pack::Reserve,
        Pack::Shouting,
        Pack::Punctuation,
        Pack::Pii,
        Pack::Links,
        Pack::Length,
        Pack::Register,
        Pack::Signature,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Pack::Reserve => "reserve",
            Pack::Shouting => "shouting",
            Pack::Punctuation => "punctuation",
            Pack::Pii => "pii",
            Pack::Links => "links",
            Pack::Length => "length",
            Pack::Register => "register",
            Pack::Signature => "signature",
        }
    }
}

/// How strictly a pack runs: `off`, a severity, or `strict` (= `block`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warn,
    Block,
    Strict,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warn => Some(Severity::Warn),
            Level::Block | Level::Strict => Some(Severity::Block),
        }
    }
}

/// `[[rule]]`: one thing the brand never writes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    /// Words or phrases, matched after normalisation at word boundaries; a trailing `*`
    /// also matches longer words (`rembours*`).
    pub terms: Option<Vec<String>>,
    /// A `regex` for what terms cannot say.
    pub pattern: Option<String>,
    /// The name of a built-in pack, to run it under this rule's id, severity and scope.
    pub builtin: Option<Pack>,
    #[serde(default)]
    pub message: Message,
    /// Replacement text for the matched words, or a rewrite hint.
    pub suggest: Option<String>,
    /// Only on these networks (all when absent).
    pub networks: Option<Vec<Network>>,
    /// Only for drafts in these languages (all when absent).
    pub languages: Option<Vec<LangCode>>,
}

/// A message in one or both languages; a plain string serves both.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
pub enum Message {
    #[default]
    None,
    Both(String),
    ByLang {
        #[serde(default)]
        fr: Option<String>,
        #[serde(default)]
        en: Option<String>,
    },
}

/// `[networks.x]` and friends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkLimits {
    /// Longest reply allowed; on X counted with X's weighting.
    pub max_length: Option<usize>,
}

/// `[links]`: the domains a reply may link to (and their subdomains).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSettings {
    #[serde(default)]
    pub allow: Vec<String>,
}

/// `[pii]`: the brand's own identifiers that belong in a private message.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiiSettings {
    /// Regexes for order, ticket or customer numbers (`'CMD-\d{6}'`).
    #[serde(default)]
    pub order_numbers: Vec<String>,
}
