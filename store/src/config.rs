//! The team configuration: one versioned JSON document per team. Replacing it is a
//! compare-and-set on the version, so concurrent admin edits never silently overwrite.

use crate::db::{now_ms, Db};
use crate::error::ApiError;
use crate::tokens::Caller;
use axum::http::StatusCode;
use sqlx::Row;
use std::collections::HashSet;
use tact::sync::ids::check_field;
use tact::sync::wire::{ConfigDocument, TeamConfig, MAX_CONFIG_TEXT, MAX_VOCABULARY};

pub fn validate(config: &TeamConfig) -> Result<(), ApiError> {
    check_field("charter", &config.charter, MAX_CONFIG_TEXT)
        .map_err(|e| ApiError::invalid("charter", e.to_string()))?;
    check_field("templates", &config.templates, MAX_CONFIG_TEXT)
        .map_err(|e| ApiError::invalid("templates", e.to_string()))?;
    if config.tags.len() > MAX_VOCABULARY {
        return Err(ApiError::invalid(
            "tags",
            format!("the vocabulary holds at most {MAX_VOCABULARY} tags"),
        ));
    }
    let mut seen = HashSet::new();
    for (i, tag) in config.tags.iter().enumerate() {
        if !seen.insert(tag.id.as_str()) {
            return Err(ApiError::invalid(
                format!("tags[{i}].id"),
                format!("tag {:?} appears twice", tag.id.as_str()),
            ));
        }
        if tag.label.trim().is_empty() {
            return Err(ApiError::invalid(
                format!("tags[{i}].label"),
                "label must not be empty",
            ));
        }
        check_field("label", &tag.label, 64)
            .map_err(|e| ApiError::invalid(format!("tags[{i}].label"), e.to_string()))?;
        let color_ok = tag.color.as_deref().is_none_or(|c| {
            c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !color_ok {
            return Err(ApiError::invalid(
                format!("tags[{i}].color"),
                "color must be #rrggbb",
            ));
        }
    }
    Ok(())
}

pub async fn load(db: &Db, team_id: i64) -> Result<ConfigDocument, ApiError> {
    let row = sqlx::query("SELECT version, body, updated_at FROM config WHERE team_id = $1")
        .bind(team_id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else {
        return Ok(ConfigDocument {
            version: 0,
            updated_at: 0,
            config: TeamConfig::default(),
        });
    };
    let body: String = row.try_get(1)?;
    let config = serde_json::from_str(&body).map_err(|e| {
        sqlx::Error::Decode(format!("team {team_id}'s stored config is corrupt: {e}").into())
    })?;
    Ok(ConfigDocument {
        version: u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0),
        updated_at: row.try_get(2)?,
        config,
    })
}

/// Stores `config` as version `expected + 1` if the team is still at `expected`.
pub async fn store(
    db: &Db,
    caller: &Caller,
    expected: u64,
    config: TeamConfig,
) -> Result<ConfigDocument, ApiError> {
    let body = serde_json::to_string(&config).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let now = now_ms();
    let next = expected as i64 + 1;
    let _turn = db.write_turn().await;
    let done = if expected == 0 {
        sqlx::query(
            "INSERT INTO config (team_id, version, body, updated_at, updated_by)
             VALUES ($1, 1, $2, $3, $4) ON CONFLICT (team_id) DO NOTHING",
        )
        .bind(caller.team_id)
        .bind(&body)
        .bind(now)
        .bind(caller.token_id)
        .execute(&db.pool)
        .await?
    } else {
        sqlx::query(
            "UPDATE config SET version = $1, body = $2, updated_at = $3, updated_by = $4
             WHERE team_id = $5 AND version = $6",
        )
        .bind(next)
        .bind(&body)
        .bind(now)
        .bind(caller.token_id)
        .bind(caller.team_id)
        .bind(expected as i64)
        .execute(&db.pool)
        .await?
    };
    if done.rows_affected() != 1 {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "version_mismatch",
            "the configuration changed since you fetched it: fetch it again and reapply your edit",
        )
        .with_field("If-Match"));
    }
    Ok(ConfigDocument {
        version: next as u64,
        updated_at: now,
        config,
    })
}
