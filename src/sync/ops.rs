//! What a client can change, and how each change maps onto one last-writer-wins register.
//!
//! An item is a set of registers: its captured fields, its status, its note, and one
//! present/absent register per tag. Every mutation writes exactly one register, so "add a
//! tag" on one device and "remove it" on another resolve per (item, tag), and a note edited
//! offline never clobbers a status changed elsewhere.

use super::hlc::{Hlc, Stamp};
use super::ids::{check_field, ClientId, Invalid, ItemId, TagId};
use serde::{Deserialize, Serialize};

/// Largest capture text, note and permalink the store keeps (bytes).
pub const MAX_TEXT: usize = 20_000;
pub const MAX_NOTE: usize = 4_000;
pub const MAX_PERMALINK: usize = 2_048;
pub const MAX_NAME: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Open,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Author {
    #[cfg_attr(feature = "openapi", schema(max_length = 256))]
    pub handle: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 256))]
    pub name: String,
}

/// The captured post or comment itself. Times are milliseconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Capture {
    /// Lowercase network name: `x`, `facebook`, `linkedin`…
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9]{1,32}$"))]
    pub network: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub permalink: String,
    pub author: Author,
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub text: String,
    #[serde(default)]
    pub posted_at: Option<i64>,
    pub captured_at: i64,
    #[cfg_attr(feature = "openapi", schema(max_length = 256))]
    pub captured_by: String,
}

/// Checks a network name: short, lowercase, ASCII (it ends up in reports and file names).
pub fn check_network(network: &str) -> Result<(), Invalid> {
    let ok = !network.is_empty()
        && network.len() <= 32
        && network
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(Invalid(
            "network must be 1 to 32 lowercase letters or digits".into(),
        ))
    }
}

impl Capture {
    /// Refuses what serde's types cannot: sizes, control characters, negative times.
    pub fn validate(&self) -> Result<(), (&'static str, Invalid)> {
        check_network(&self.network).map_err(|e| ("network", e))?;
        check_field("permalink", &self.permalink, MAX_PERMALINK).map_err(|e| ("permalink", e))?;
        check_field("author handle", &self.author.handle, MAX_NAME)
            .map_err(|e| ("author.handle", e))?;
        check_field("author name", &self.author.name, MAX_NAME).map_err(|e| ("author.name", e))?;
        check_field("text", &self.text, MAX_TEXT).map_err(|e| ("text", e))?;
        check_field("captured_by", &self.captured_by, MAX_NAME).map_err(|e| ("captured_by", e))?;
        if self.captured_at < 0 || self.posted_at.is_some_and(|t| t < 0) {
            return Err(("captured_at", Invalid("times must not be negative".into())));
        }
        Ok(())
    }
}

/// One change to one register of an item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "field", rename_all = "lowercase", deny_unknown_fields)]
pub enum Change {
    /// Captures the item, or replaces its captured fields (capturing twice is one item).
    Capture {
        capture: Capture,
    },
    /// Adds (`present: true`) or removes a tag.
    Tag {
        tag: TagId,
        present: bool,
    },
    Status {
        status: Status,
    },
    Note {
        #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
        note: String,
    },
}

/// Which register of an item a change writes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Capture,
    Status,
    Note,
    Tag(TagId),
}

const TAG_PREFIX: &str = "tag:";

impl Key {
    /// The register's name in storage: `capture`, `status`, `note` or `tag:<tag>`.
    pub fn name(&self) -> String {
        match self {
            Key::Capture => "capture".into(),
            Key::Status => "status".into(),
            Key::Note => "note".into(),
            Key::Tag(tag) => format!("{TAG_PREFIX}{}", tag.as_str()),
        }
    }

    pub fn parse(name: &str) -> Result<Key, Invalid> {
        match name {
            "capture" => Ok(Key::Capture),
            "status" => Ok(Key::Status),
            "note" => Ok(Key::Note),
            _ => match name.strip_prefix(TAG_PREFIX) {
                Some(tag) => Ok(Key::Tag(TagId::try_from(tag.to_string())?)),
                None => Err(Invalid(format!("unknown register {name:?}"))),
            },
        }
    }
}

impl Change {
    pub fn key(&self) -> Key {
        match self {
            Change::Capture { .. } => Key::Capture,
            Change::Status { .. } => Key::Status,
            Change::Note { .. } => Key::Note,
            Change::Tag { tag, .. } => Key::Tag(tag.clone()),
        }
    }

    /// The register's value alone, as JSON (`true`, `"done"`, a capture object…), which is
    /// what storage keeps beside the register's name.
    pub fn payload(&self) -> serde_json::Value {
        match self {
            Change::Capture { capture } => serde_json::to_value(capture).unwrap_or_default(),
            Change::Tag { present, .. } => serde_json::Value::Bool(*present),
            Change::Status { status } => serde_json::to_value(status).unwrap_or_default(),
            Change::Note { note } => serde_json::Value::String(note.clone()),
        }
    }

    /// Rebuilds a change from a register name and its JSON payload (the inverse of
    /// `key().name()` and `payload()`).
    pub fn from_parts(name: &str, payload: &str) -> Result<Change, Invalid> {
        let bad = |e: serde_json::Error| Invalid(format!("register {name:?}: {e}"));
        Ok(match Key::parse(name)? {
            Key::Capture => Change::Capture {
                capture: serde_json::from_str(payload).map_err(bad)?,
            },
            Key::Status => Change::Status {
                status: serde_json::from_str(payload).map_err(bad)?,
            },
            Key::Note => Change::Note {
                note: serde_json::from_str(payload).map_err(bad)?,
            },
            Key::Tag(tag) => Change::Tag {
                tag,
                present: serde_json::from_str(payload).map_err(bad)?,
            },
        })
    }

    /// Field-level checks beyond types; the error names the field under `change`.
    pub fn validate(&self) -> Result<(), (String, Invalid)> {
        match self {
            Change::Capture { capture } => capture
                .validate()
                .map_err(|(field, e)| (format!("capture.{field}"), e)),
            Change::Note { note } => {
                check_field("note", note, MAX_NOTE).map_err(|e| ("note".to_string(), e))
            }
            Change::Tag { .. } | Change::Status { .. } => Ok(()),
        }
    }
}

/// A change as a client records it: numbered 1, 2, 3… per client and stamped by its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub id: u64,
    pub hlc: Hlc,
    pub item: ItemId,
    pub change: Change,
}

impl Mutation {
    /// The register write this mutation makes, stamped with its client.
    pub fn write(&self, client: &ClientId) -> Write {
        Write {
            item: self.item.clone(),
            change: self.change.clone(),
            stamp: Stamp {
                hlc: self.hlc,
                client: client.clone(),
            },
        }
    }
}

/// A stamped value of one register: what pulls return and what replicas merge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Write {
    pub item: ItemId,
    pub change: Change,
    pub stamp: Stamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_round_trips_through_its_register_name_and_payload() {
        let capture = Capture {
            network: "x".into(),
            permalink: "https://x.com/a/status/1".into(),
            author: Author {
                handle: "@a".into(),
                name: "A".into(),
            },
            text: "Bonjour".into(),
            posted_at: None,
            captured_at: 1_700_000_000_000,
            captured_by: "Camille".into(),
        };
        let changes = [
            Change::Capture { capture },
            Change::Tag {
                tag: TagId::try_from("plainte".to_string()).unwrap(),
                present: false,
            },
            Change::Status {
                status: Status::Done,
            },
            Change::Note {
                note: "rappeler \"lundi\"".into(),
            },
        ];
        for change in changes {
            let back =
                Change::from_parts(&change.key().name(), &change.payload().to_string()).unwrap();
            assert_eq!(back, change);
        }
    }

    #[test]
    fn unknown_fields_and_registers_are_refused() {
        let json = r#"{"field":"status","status":"done","extra":1}"#;
        assert!(serde_json::from_str::<Change>(json).is_err());
        assert!(Key::parse("owner").is_err());
        assert!(Change::from_parts("status", "\"archived\"").is_err());
    }

    #[test]
    fn validation_names_the_offending_field() {
        let change = Change::Note {
            note: "x".repeat(MAX_NOTE + 1),
        };
        assert_eq!(change.validate().unwrap_err().0, "note");
    }
}
