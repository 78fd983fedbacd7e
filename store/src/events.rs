//! Audit events ("sent anyway despite rule X"): stored with the member's token and the UTC
//! day, for the report. The wire type has no text field, so no draft can be stored.

use crate::db::{utc_day, values_list, Db};
use crate::error::ApiError;
use crate::server::MAX_CLOCK_AHEAD_MS;
use crate::tokens::Caller;
use axum::http::StatusCode;
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
    for (i, event) in request.events.iter().enumerate() {
        let at = |field: &str| format!("events[{i}].{field}");
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

pub async fn store(db: &Db, caller: &Caller, events: &[Event]) -> Result<u64, ApiError> {
    if events.is_empty() {
        return Ok(0);
    }
    const COLS: usize = 8;
    let sql = format!(
        "INSERT INTO events (team_id, token_id, kind, rule, severity, network, at, day) VALUES {}",
        values_list(events.len(), COLS)
    );
    let mut query = sqlx::query(&sql);
    for event in events {
        query = query
            .bind(caller.team_id)
            .bind(caller.token_id)
            .bind(kind_name(event.kind))
            .bind(event.rule.clone())
            .bind(event.severity.map(severity_name))
            .bind(event.network.clone())
            .bind(event.at)
            .bind(utc_day(event.at));
    }
    let _turn = db.write_turn().await;
    Ok(query.execute(&db.pool).await?.rows_affected())
}
