//! Validated identifiers of the sync protocol. Each one checks its shape when it is built or
//! deserialised, so nothing downstream (merge rules, SQL, CSV) ever sees an empty, oversized
//! or control-character identifier.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an identifier or a field was refused: a message that names the rule broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

fn check_len(what: &str, value: &str, max: usize) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid(format!("{what} must not be empty")));
    }
    if value.len() > max {
        return Err(Invalid(format!("{what} is longer than {max} bytes")));
    }
    Ok(())
}

/// Identifies one browser profile running the extension. Only `[A-Za-z0-9_-]`, so its byte
/// order is the order the last-writer-wins tie-break uses, in Rust and in SQL alike.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[A-Za-z0-9_-]{1,64}$"))]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    pub const MAX_LEN: usize = 64;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClientId {
    type Error = Invalid;

    fn try_from(value: String) -> Result<Self, Invalid> {
        check_len("client id", &value, Self::MAX_LEN)?;
        if !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(Invalid(
                "client id may only hold letters, digits, '_' and '-'".into(),
            ));
        }
        Ok(ClientId(value))
    }
}

impl From<ClientId> for String {
    fn from(id: ClientId) -> String {
        id.0
    }
}

/// Identifies one captured post or comment (derived from its canonical permalink by the
/// inbox). Printable ASCII without spaces, so it is safe in URLs, logs and CSV.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[!-~]{1,200}$"))]
#[serde(try_from = "String", into = "String")]
pub struct ItemId(String);

impl ItemId {
    pub const MAX_LEN: usize = 200;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ItemId {
    type Error = Invalid;

    fn try_from(value: String) -> Result<Self, Invalid> {
        check_len("item id", &value, Self::MAX_LEN)?;
        if !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Invalid(
                "item id may only hold printable ASCII without spaces".into(),
            ));
        }
        Ok(ItemId(value))
    }
}

impl From<ItemId> for String {
    fn from(id: ItemId) -> String {
        id.0
    }
}

/// A tag of the team's vocabulary ("complaint", "à-rappeler"…): any text without control
/// characters or surrounding spaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^\\S(.{0,62}\\S)?$"))]
#[serde(try_from = "String", into = "String")]
pub struct TagId(String);

impl TagId {
    pub const MAX_LEN: usize = 64;

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TagId {
    type Error = Invalid;

    fn try_from(value: String) -> Result<Self, Invalid> {
        check_len("tag", &value, Self::MAX_LEN)?;
        check_text("tag", &value)?;
        if value.trim() != value {
            return Err(Invalid("tag must not start or end with spaces".into()));
        }
        Ok(TagId(value))
    }
}

impl From<TagId> for String {
    fn from(id: TagId) -> String {
        id.0
    }
}

/// Refuses control characters (other than line breaks and tabs, which notes may hold).
pub fn check_text(what: &str, value: &str) -> Result<(), Invalid> {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Invalid(format!("{what} must not hold control characters")));
    }
    Ok(())
}

/// Checks a free-text field's size (in bytes, what storage pays) and characters.
pub fn check_field(what: &str, value: &str, max: usize) -> Result<(), Invalid> {
    if value.len() > max {
        return Err(Invalid(format!("{what} is longer than {max} bytes")));
    }
    check_text(what, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_refuse_what_would_break_the_byte_order() {
        assert!(ClientId::try_from("tab-1_A".to_string()).is_ok());
        for bad in ["", "a b", "é", "a/b", &"x".repeat(65)] {
            assert!(ClientId::try_from(bad.to_string()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn item_ids_and_tags_refuse_control_characters_and_empties() {
        assert!(ItemId::try_from("x:1790000000000000000".to_string()).is_ok());
        assert!(ItemId::try_from("x 1".to_string()).is_err());
        assert!(TagId::try_from("à rappeler".to_string()).is_ok());
        for bad in ["", " pad", "a\u{0}b", &"t".repeat(65)] {
            assert!(TagId::try_from(bad.to_string()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn deserialising_validates_too() {
        let err = serde_json::from_str::<TagId>("\"\\u0007\"").unwrap_err();
        assert!(err.to_string().contains("control"), "{err}");
    }
}
