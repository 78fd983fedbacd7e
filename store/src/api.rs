//! The API v1 handlers: each checks its input beyond what the types say, then calls the
//! storage layer with the caller's team, which scopes every query.

use crate::db::now_ms;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::server::{Shared, MAX_CLOCK_AHEAD_MS};
use crate::tokens::{self, Caller, Role};
use crate::{config, events, registers, report as team_report};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use tact::sync::hlc::MAX_WALL;
use tact::sync::wire::{
    ConfigDocument, ErrorResponse, EventsRequest, EventsResponse, Me, PullResponse, PushRequest,
    PushResponse, TeamConfig, TeamReport, MAX_MUTATIONS_PER_PUSH, MAX_PULL_LIMIT,
    MAX_TAGS_PER_ITEM,
};
use tact::sync::Change;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
}

/// Liveness and database reachability (no token needed).
#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses((status = 200, body = Health), (status = 500, body = ErrorResponse)))]
pub async fn healthz(State(state): State<Shared>) -> Result<Json<Health>, ApiError> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(Json(Health { status: "ok" }))
}

/// Applies a client's mutations in id order, skipping ids already applied, and answers the
/// last applied id.
#[utoipa::path(post, path = "/v1/push", tag = "sync", request_body = PushRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = PushResponse),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 413, body = ErrorResponse), (status = 415, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse)))]
pub async fn push(
    State(state): State<Shared>,
    caller: Caller,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    validate_push(&request, now_ms())?;
    let last = state
        .pushes
        .push(caller, request.client_id, request.mutations)
        .await?;
    Ok(Json(PushResponse {
        last_mutation_id: last,
    }))
}

fn validate_push(request: &PushRequest, now: i64) -> Result<(), ApiError> {
    if request.mutations.len() > MAX_MUTATIONS_PER_PUSH {
        return Err(ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            ..ApiError::invalid(
                "mutations",
                format!("at most {MAX_MUTATIONS_PER_PUSH} mutations per push: send the rest in the next push"),
            )
        });
    }
    let latest = u64::try_from(now + MAX_CLOCK_AHEAD_MS)
        .unwrap_or(0)
        .min(MAX_WALL);
    let mut previous = 0;
    let mut tags: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (i, m) in request.mutations.iter().enumerate() {
        let at = |field: &str| format!("mutations[{i}].{field}");
        if m.id <= previous {
            return Err(ApiError::invalid(
                at("id"),
                "mutation ids start at 1 and must increase within a push",
            ));
        }
        previous = m.id;
        if m.hlc.wall > latest {
            return Err(ApiError::invalid(
                at("hlc.wall"),
                "the stamp is more than 10 minutes ahead of the store's clock: fix the device clock",
            ));
        }
        m.change.validate().map_err(|(field, e)| {
            ApiError::invalid(at(&format!("change.{field}")), e.to_string())
        })?;
        if let Change::Tag { tag, present: true } = &m.change {
            let set = tags.entry(m.item.as_str()).or_default();
            set.insert(tag.as_str());
            if set.len() > MAX_TAGS_PER_ITEM {
                return Err(ApiError::invalid(
                    at("change.tag"),
                    format!("an item carries at most {MAX_TAGS_PER_ITEM} tags"),
                ));
            }
        }
    }
    Ok(())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The cursor of the previous pull (0 or absent: from the start).
    #[param(minimum = 0)]
    cursor: Option<u64>,
    /// Most changes to return (1 to 1000, default 500).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// The team's changes since a cursor, oldest first.
#[utoipa::path(get, path = "/v1/pull", tag = "sync", params(PullQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = PullResponse),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse)))]
pub async fn pull(
    State(state): State<Shared>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let limit = query.limit.unwrap_or(500);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "limit must be between 1 and 1000",
        ));
    }
    let cursor = query.cursor.unwrap_or(0);
    if cursor > i64::MAX as u64 {
        return Err(ApiError::invalid("cursor", "cursor is out of range"));
    }
    Ok(Json(
        registers::pull(&state.db, caller.team_id, cursor, limit).await?,
    ))
}

fn etag(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Who the token belongs to: team, member name and role (the extension offers team
/// configuration edits to admins only; the store enforces it on `PUT /v1/config`).
#[utoipa::path(get, path = "/v1/me", tag = "config",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, body = ErrorResponse), (status = 429, body = ErrorResponse)))]
pub async fn me(State(state): State<Shared>, caller: Caller) -> Result<Json<Me>, ApiError> {
    Ok(Json(tokens::describe(&state.db, &caller).await?))
}

/// The team configuration (charter, templates, tags) with its version as ETag.
#[utoipa::path(get, path = "/v1/config", tag = "config",
    params(("If-None-Match" = Option<String>, Header, description = "ETag of the copy held")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ConfigDocument, headers(("ETag" = String))),
        (status = 304, description = "The copy held is current"),
        (status = 401, body = ErrorResponse), (status = 429, body = ErrorResponse)))]
pub async fn get_config(
    State(state): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let document = config::load(&state.db, caller.team_id).await?;
    let tag = etag(document.version);
    if headers.get(header::IF_NONE_MATCH) == Some(&tag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    }
    Ok(([(header::ETAG, tag)], Json(document)).into_response())
}

/// Replaces the team configuration (admins only). `If-Match` must carry the current ETag,
/// so two admins never overwrite each other's edits unknowingly.
#[utoipa::path(put, path = "/v1/config", tag = "config", request_body = TeamConfig,
    params(("If-Match" = String, Header, pattern = r#"^"[0-9]{1,18}"$"#,
        description = "ETag of the version being replaced")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = ConfigDocument, headers(("ETag" = String))),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 412, body = ErrorResponse),
        (status = 413, body = ErrorResponse), (status = 415, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 428, body = ErrorResponse),
        (status = 429, body = ErrorResponse)))]
pub async fn put_config(
    State(state): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<TeamConfig>,
) -> Result<Response, ApiError> {
    if caller.role != Role::Admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only a team admin may change the team configuration",
        ));
    }
    let expected = match headers.get(header::IF_MATCH) {
        None => {
            return Err(ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "send If-Match with the ETag of the configuration you edited",
            ))
        }
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|v| v.trim().trim_matches('"').parse::<u64>().ok())
            .filter(|v| *v <= i64::MAX as u64)
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_header",
                    "If-Match must be an ETag like \"3\"",
                )
                .with_field("If-Match")
            })?,
    };
    config::validate(&body)?;
    let document = config::store(&state.db, &caller, expected, body).await?;
    Ok(([(header::ETAG, etag(document.version))], Json(document)).into_response())
}

/// Records audit events: rule ids, severities, network and time — never draft text.
/// Events numbered by their client are stored once, however often the request is retried.
#[utoipa::path(post, path = "/v1/events", tag = "audit", request_body = EventsRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, body = EventsResponse),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 413, body = ErrorResponse), (status = 415, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse)))]
pub async fn post_events(
    State(state): State<Shared>,
    caller: Caller,
    ApiJson(body): ApiJson<EventsRequest>,
) -> Result<Json<EventsResponse>, ApiError> {
    events::validate(&body, now_ms())?;
    let (accepted, last_event_id) = events::store(&state.db, &caller, &body).await?;
    Ok(Json(EventsResponse {
        accepted,
        last_event_id,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day, `YYYY-MM-DD` (UTC); default 29 days before `to`.
    #[param(format = Date)]
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (UTC); default today.
    #[param(format = Date)]
    to: Option<String>,
}

/// Captures per tag and day, open vs done, overrides per rule, activity per member.
#[utoipa::path(get, path = "/v1/report", tag = "report", params(ReportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = TeamReport),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse)))]
pub async fn report(
    State(state): State<Shared>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<TeamReport>, ApiError> {
    let (from, to) = team_report::period(query.from.as_deref(), query.to.as_deref(), now_ms())?;
    Ok(Json(
        team_report::build(&state.db, caller.team_id, from, to).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tact::sync::{ClientId, Hlc, ItemId, Mutation, TagId};

    fn push_of(changes: Vec<(u64, u64, Change)>) -> PushRequest {
        PushRequest {
            client_id: ClientId::try_from("c1".to_string()).unwrap(),
            mutations: changes
                .into_iter()
                .map(|(id, wall, change)| Mutation {
                    id,
                    hlc: Hlc { wall, counter: 0 },
                    item: ItemId::try_from("x:1".to_string()).unwrap(),
                    change,
                })
                .collect(),
        }
    }

    fn tag(n: usize) -> Change {
        Change::Tag {
            tag: TagId::try_from(format!("t{n}")).unwrap(),
            present: true,
        }
    }

    #[test]
    fn ids_must_increase_and_stamps_must_not_run_ahead() {
        let err = validate_push(&push_of(vec![(2, 1, tag(1)), (2, 1, tag(2))]), 1000).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("mutations[1].id"));
        let far = 1000 + MAX_CLOCK_AHEAD_MS as u64 + 1;
        let err = validate_push(&push_of(vec![(1, far, tag(1))]), 1000).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("mutations[0].hlc.wall"));
    }

    #[test]
    fn too_many_tags_on_one_item_are_refused() {
        let many = (0..=MAX_TAGS_PER_ITEM)
            .map(|n| (n as u64 + 1, 1, tag(n)))
            .collect();
        let err = validate_push(&push_of(many), 1000).unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.field.as_deref(), Some("mutations[64].change.tag"));
    }
}
