//! The captured item, as stored, exported and synced.
//!
//! Field names are `snake_case` in JSON (as in DESIGN.md and the sync wire types); times
//! are ISO 8601 UTC strings with milliseconds (see [`Timestamp`]).

use super::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a post lives. `other` keeps any site the page layer learns later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    X,
    Facebook,
    Other,
}

impl Network {
    pub fn as_str(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::Facebook => "facebook",
            Network::Other => "other",
        }
    }
}

/// Whether someone still has to act on the item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Open,
    Done,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
        }
    }
}

/// Who wrote the post: `handle` without `@` (X) or the profile name in the URL
/// (Facebook, may be empty), `name` as displayed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    #[serde(default)]
    pub handle: String,
    #[serde(default)]
    pub name: String,
}

/// One captured post or comment. `id` derives from the canonical permalink
/// ([`super::permalink::canonicalize`]), so capturing it again updates this item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub network: Network,
    pub permalink: String,
    #[serde(default)]
    pub author: Author,
    #[serde(default)]
    pub text: String,
    /// When the post was published, if the page said so.
    #[serde(default)]
    pub posted_at: Option<Timestamp>,
    pub captured_at: Timestamp,
    /// The CM's configured name.
    #[serde(default)]
    pub captured_by: String,
    /// Tag ids (never names: renaming a tag must not lose it), in the order added.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub note: String,
}

impl Item {
    /// Takes what a newer sighting of the post says about it: its address, and its text,
    /// author and post time when known (an empty capture never erases them).
    pub fn update_post(
        &mut self,
        permalink: String,
        text: String,
        author: Author,
        posted_at: Option<Timestamp>,
    ) {
        self.permalink = permalink;
        if !text.is_empty() {
            self.text = text;
        }
        if !author.handle.is_empty() || !author.name.is_empty() {
            self.author = author;
        }
        self.posted_at = posted_at.or(self.posted_at);
    }
}
