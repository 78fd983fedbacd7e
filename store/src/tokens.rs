//! Teams and bearer tokens. A token is 256 random bits shown once; the store keeps only its
//! SHA-256, finds it by that hash and confirms the match in constant time, so neither the
//! database nor response timing gives a usable token away.

use crate::db::{now_ms, Db};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;
use subtle::ConstantTimeEq;
use tact::sync::wire::Me;

const PREFIX: &str = "tact_";

/// The roles are the API's own (`GET /v1/me` answers them).
pub use tact::sync::wire::Role;

/// Who is calling: resolved from the bearer token, scoping every query.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
    pub team_id: i64,
    pub role: Role,
}

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Revoked,
}

fn random_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| format!("the system random generator failed: {e}"))?;
    Ok(format!("{PREFIX}{}", hex(&bytes)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The caller's team and member name, for `GET /v1/me`.
pub async fn describe(db: &Db, caller: &Caller) -> Result<Me, sqlx::Error> {
    let row = sqlx::query(
        "SELECT t.name, k.name FROM tokens k JOIN teams t ON t.id = k.team_id
         WHERE k.id = $1 AND k.team_id = $2",
    )
    .bind(caller.token_id)
    .bind(caller.team_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(Me {
        team: row.try_get(0)?,
        member: row.try_get(1)?,
        role: caller.role,
    })
}

/// Resolves a bearer token to its caller.
pub async fn authenticate(db: &Db, token: &str) -> Result<Result<Caller, Refusal>, sqlx::Error> {
    let hash = hash_token(token);
    let row: Option<AnyRow> =
        sqlx::query("SELECT id, team_id, role, hash, revoked_at FROM tokens WHERE hash = $1")
            .bind(&hash)
            .fetch_optional(&db.pool)
            .await?;
    let Some(row) = row else {
        return Ok(Err(Refusal::Unknown));
    };
    let stored: String = row.try_get("hash")?;
    if !bool::from(stored.as_bytes().ct_eq(hash.as_bytes())) {
        return Ok(Err(Refusal::Unknown));
    }
    if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
        return Ok(Err(Refusal::Revoked));
    }
    let role: String = row.try_get("role")?;
    Ok(Ok(Caller {
        token_id: row.try_get("id")?,
        team_id: row.try_get("team_id")?,
        role: Role::parse(&role).unwrap_or(Role::Member),
    }))
}

fn check_name(what: &str, name: &str) -> Result<(), String> {
    if name.trim().is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
        return Err(format!(
            "{what} {name:?} must be 1 to 100 bytes of text without control characters"
        ));
    }
    Ok(())
}

/// Creates a team and its first admin token; returns the token (shown once).
pub async fn create_team(db: &Db, name: &str) -> Result<String, String> {
    check_name("team name", name)?;
    let fail = |e: sqlx::Error| format!("creating team {name:?} failed: {e}");
    let mut tx = db.pool.begin().await.map_err(fail)?;
    let exists = sqlx::query("SELECT id FROM teams WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail)?;
    if exists.is_some() {
        return Err(format!("team {name:?} already exists"));
    }
    let team_id: i64 =
        sqlx::query("INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(now_ms())
            .fetch_one(&mut *tx)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(fail)?;
    let token = insert_token(&mut tx, team_id, Role::Admin, "admin")
        .await
        .map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    Ok(token)
}

async fn insert_token(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    team_id: i64,
    role: Role,
    name: &str,
) -> Result<String, sqlx::Error> {
    let token = random_token().map_err(sqlx::Error::Protocol)?;
    sqlx::query(
        "INSERT INTO tokens (team_id, name, role, hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(team_id)
    .bind(name)
    .bind(role.as_str())
    .bind(hash_token(&token))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

async fn team_id(db: &Db, team: &str) -> Result<i64, String> {
    sqlx::query("SELECT id FROM teams WHERE name = $1")
        .bind(team)
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| format!("looking up team {team:?} failed: {e}"))?
        .map(|row| row.try_get::<i64, _>(0))
        .transpose()
        .map_err(|e| format!("looking up team {team:?} failed: {e}"))?
        .ok_or_else(|| format!("no team named {team:?}: create it with `tact-store team create`"))
}

/// Creates a token for a member of an existing team; returns it (shown once).
pub async fn create_token(db: &Db, team: &str, role: Role, name: &str) -> Result<String, String> {
    check_name("member name", name)?;
    let team_id = team_id(db, team).await?;
    let fail = |e: sqlx::Error| format!("creating a token for {name:?} failed: {e}");
    let mut tx = db.pool.begin().await.map_err(fail)?;
    let token = insert_token(&mut tx, team_id, role, name)
        .await
        .map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    Ok(token)
}

/// Revokes every live token of a member; returns how many.
pub async fn revoke_tokens(db: &Db, team: &str, name: &str) -> Result<u64, String> {
    let team_id = team_id(db, team).await?;
    let done = sqlx::query(
        "UPDATE tokens SET revoked_at = $1 WHERE team_id = $2 AND name = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(team_id)
    .bind(name)
    .execute(&db.pool)
    .await
    .map_err(|e| format!("revoking the tokens of {name:?} failed: {e}"))?;
    Ok(done.rows_affected())
}

/// One line per token of a team: name, role, created and revoked times.
pub async fn list_tokens(
    db: &Db,
    team: &str,
) -> Result<Vec<(String, String, i64, Option<i64>)>, String> {
    let team_id = team_id(db, team).await?;
    let rows = sqlx::query(
        "SELECT name, role, created_at, revoked_at FROM tokens WHERE team_id = $1 ORDER BY id",
    )
    .bind(team_id)
    .fetch_all(&db.pool)
    .await
    .map_err(|e| format!("listing tokens failed: {e}"))?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
            ))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(|e| format!("listing tokens failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_random_bits_and_hash_to_hex() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), PREFIX.len() + 64);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }
}
