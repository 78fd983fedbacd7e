//! Audit events ("sent anyway despite rule X"): stored with the member's token and the UTC
//! day, for the report. The wire type has no text field, so no draft can be stored.

use crate::db::{utc_day, values_list, Db};
use crate::error::ApiError;
use crate::server::MAX_CLOCK_AHEAD_MS;
use crate::tokens::Caller;
use axum::http::StatusCode;
use sqlx::Row;
use tact::sync::ops::check_network;
use tact::sync::wire::{Event, EventKind, EventSeverity, EventsRequest, MAX_EVENTS_PER_REQUEST};

pub fn validate(request: &EventsRequest, now: i64) -> Result<(), ApiError> {
    if request.events.len() > MAX_EVENTS_PER_REQUEST {
        return Err(ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            ..ApiError::invalid(
                "events",
                format!("at most {MAX_EVENTS_PER_REQUEST} events per request"),
            )
        });
    }
    let mut previous_id = 0;
    for (i, event) in request.events.iter().enumerate() {
        let at = |field: &str| format!("events[{i}].{field}");
        if let Some(id) = event.id {
            if request.client_id.is_none() {
                return Err(ApiError::invalid(
                    "client_id",
                    "events with ids need the client_id that numbered them",
                ));
            }
            if id <= previous_id || id > i64::MAX as u64 {
                return Err(ApiError::invalid(
                    at("id"),
                    "event ids start at 1 and must increase within a request",
                ));
            }
            previous_id = id;
        }
        check_network(&event.network)
            .map_err(|e| ApiError::invalid(at("network"), e.to_string()))?;
        if let Some(rule) = &event.rule {
            let ok = !rule.is_empty()
                && rule.len() <= 64
                && rule
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b));
            if !ok {
                return Err(ApiError::invalid(
                    at("rule"),
                    "a rule id is 1 to 64 letters, digits or _ . : -",
                ));
            }
        }
        if event.at < 0 || event.at > now + MAX_CLOCK_AHEAD_MS {
            return Err(ApiError::invalid(
                at("at"),
                "the time is in the future or negative",
            ));
        }
    }
    Ok(())
}

fn kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Override => "override",
        EventKind::Held => "held",
        EventKind::TemplateUsed => "template_used",
    }
}

fn severity_name(severity: EventSeverity) -> &'static str {
    match severity {
        EventSeverity::Info => "info",
        EventSeverity::Warn => "warn",
        EventSeverity::Block => "block",
    }
}

/// Stores the events the store does not hold yet; returns how many were new and, for a
/// client that numbers its events, the highest id of that client now held.
pub async fn store(
    db: &Db,
    caller: &Caller,
    request: &EventsRequest,
) -> Result<(u64, Option<u64>), ApiError> {
    let client = request.client_id.as_ref().map(|c| c.as_str());
    let accepted = if request.events.is_empty() {
        0
    } else {
        insert(db, caller, client, &request.events).await?
    };
    let Some(client) = client else {
        return Ok((accepted, None));
    };
    let last: Option<i64> =
        sqlx::query("SELECT MAX(event_id) FROM events WHERE team_id = $1 AND client_id = $2")
            .bind(caller.team_id)
            .bind(client)
            .fetch_one(&db.pool)
            .await?
            .try_get(0)?;
    Ok((accepted, last.and_then(|id| u64::try_from(id).ok())))
}

async fn insert(
    db: &Db,
    caller: &Caller,
    client: Option<&str>,
    events: &[Event],
) -> Result<u64, ApiError> {
    const COLS: usize = 10;
    // An id already held (a retried request) is skipped, not an error.
    let sql = format!(
        "INSERT INTO events (team_id, token_id, kind, rule, severity, network, at, day, client_id, event_id)
         VALUES {} ON CONFLICT DO NOTHING",
        values_list(events.len(), COLS)
    );
    let mut query = sqlx::query(&sql);
    for event in events {
        let id = event.id.and_then(|id| i64::try_from(id).ok());
        query = query
            .bind(caller.team_id)
            .bind(caller.token_id)
            .bind(kind_name(event.kind))
            .bind(event.rule.clone())
            .bind(event.severity.map(severity_name))
            .bind(event.network.clone())
            .bind(event.at)
            .bind(utc_day(event.at))
            .bind(id.and(client).map(str::to_string))
            .bind(id);
    }
    let _turn = db.write_turn().await;
    Ok(query.execute(&db.pool).await?.rows_affected())
}
