//! The store's JSON API v1 as types, shared by the store (which serves them and derives its
//! OpenAPI document from them) and the extension (which sends them). Every request type
//! refuses unknown fields, so a typo is an error rather than silently ignored data.

use super::ids::{ClientId, TagId};
use super::ops::{Mutation, Write};
use serde::{Deserialize, Serialize};

/// Most mutations one push may carry; larger queues push in several requests.
pub const MAX_MUTATIONS_PER_PUSH: usize = 500;
/// Most distinct tags one item may carry (in one push and in the store).
pub const MAX_TAGS_PER_ITEM: usize = 64;
/// Most events one request may carry.
pub const MAX_EVENTS_PER_REQUEST: usize = 500;
/// Most writes one pull page returns.
pub const MAX_PULL_LIMIT: u32 = 1_000;
/// Largest charter or template library (bytes of TOML text).
pub const MAX_CONFIG_TEXT: usize = 256 * 1024;
/// Most tags in the team vocabulary.
pub const MAX_VOCABULARY: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub client_id: ClientId,
    /// In increasing id order; at most 500.
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    /// The last mutation id of this client the store has applied: the client drops its
    /// queued mutations up to it and pushes the rest again.
    pub last_mutation_id: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PullResponse {
    /// Pass it as `cursor` to the next pull.
    pub cursor: u64,
    /// True when more changes wait beyond this page: pull again at once.
    pub more: bool,
    pub changes: Vec<Write>,
}

/// One tag of the team vocabulary, as the tag menu shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TagDef {
    pub id: TagId,
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub label: String,
    /// `#rrggbb`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^#[0-9a-fA-F]{6}$"))]
    pub color: Option<String>,
}

/// The team's shared configuration: charter and templates as TOML text, and the tag
/// vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamConfig {
    #[cfg_attr(feature = "openapi", schema(max_length = 262144))]
    pub charter: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 262144))]
    pub templates: String,
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub tags: Vec<TagDef>,
}

/// The configuration with its version (also sent as the ETag `"<version>"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfigDocument {
    /// 0 before the first PUT.
    pub version: u64,
    /// Milliseconds since the Unix epoch; 0 before the first PUT.
    pub updated_at: i64,
    pub config: TeamConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The CM sent a draft despite a finding ("sent anyway").
    Override,
    /// The send guard held a draft back.
    Held,
    /// A reply template was inserted.
    TemplateUsed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EventSeverity {
    Info,
    Warn,
    Block,
}

/// An audit event. It carries rule ids, never the draft's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The sending client's number for this event (1, 2, 3…, with `client_id` in the
    /// request): the store keeps an id once, so a retried request counts nothing twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub id: Option<u64>,
    pub kind: EventKind,
    /// The charter or reserve rule (or template) id concerned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_.:-]{1,64}$"))]
    pub rule: Option<String>,
    #[serde(default)]
    pub severity: Option<EventSeverity>,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9]{1,32}$"))]
    pub network: String,
    /// Milliseconds since the Unix epoch.
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventsRequest {
    /// Needed when the events carry ids: the ids are this client's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<ClientId>,
    #[cfg_attr(feature = "openapi", schema(max_items = 500))]
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventsResponse {
    /// Events newly stored (an id already held is not stored again).
    pub accepted: u64,
    /// The highest event id of `client_id` the store holds: the client drops its queued
    /// events up to it. Absent without `client_id`.
    #[serde(default)]
    pub last_event_id: Option<u64>,
}

/// A token's role in its team: admins may replace the team configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            _ => None,
        }
    }
}

/// Who a token belongs to (`GET /v1/me`): the extension learns from it whether the
/// options page may edit the team configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Me {
    /// The team's name.
    pub team: String,
    /// The token's member name (as reports show it).
    pub member: String,
    pub role: Role,
}

/// Items captured on `day` (UTC, `YYYY-MM-DD`) that carry `tag` now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagDay {
    pub day: String,
    pub tag: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCounts {
    pub open: u64,
    pub done: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleCount {
    pub rule: String,
    pub count: u64,
}

/// What one member (token name) did in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberActivity {
    pub member: String,
    /// Capture mutations applied.
    pub captures: u64,
    /// Mutations of any kind applied.
    pub mutations: u64,
    /// "Sent anyway" events.
    pub overrides: u64,
}

/// The team report for the days `from` to `to` inclusive (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamReport {
    pub from: String,
    pub to: String,
    pub captures_per_tag_per_day: Vec<TagDay>,
    /// Items captured in the period, by current status.
    pub status: StatusCounts,
    pub overrides_per_rule: Vec<RuleCount>,
    pub members: Vec<MemberActivity>,
}

/// Every error the API returns: `{ "error": { "code", "message", "field" } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable machine-readable code (`unauthorized`, `invalid_field`, `body_too_large`…).
    pub code: String,
    /// What went wrong and how to fix it, for a person.
    pub message: String,
    /// The JSON path of the offending field, when there is one.
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_with_a_stray_field_is_refused() {
        let ok = r#"{"client_id":"c1","mutations":[{"id":1,"hlc":{"wall":5,"counter":0},
            "item":"x:1","change":{"field":"tag","tag":"vip","present":true}}]}"#;
        assert!(serde_json::from_str::<PushRequest>(ok).is_ok());
        let stray = ok.replace("\"present\":true", "\"present\":true,\"text\":\"draft\"");
        assert!(serde_json::from_str::<PushRequest>(&stray).is_err());
    }

    #[test]
    fn events_carry_no_text_field() {
        let json = r#"{"kind":"override","rule":"r","network":"x","at":1,"draft":"secret"}"#;
        assert!(serde_json::from_str::<Event>(json).is_err());
    }
}
