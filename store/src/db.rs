//! The database: one connection pool over SQLite or PostgreSQL (chosen by the URL) and the
//! versioned migrations for each. Queries are written once in the SQL both understand
//! (`$1` placeholders, `ON CONFLICT … DO UPDATE`, `RETURNING`).

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tact::inbox::time::{Day, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Cloning shares the pool and the write gate (the push writer task holds a clone).
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite takes one writer at a time: queuing writers here rather than in SQLite's busy
    /// loop keeps latency even under many concurrent pushes.
    write_gate: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// Versioned migrations: (version, name, SQLite script, PostgreSQL script). Append only.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "event ids",
        include_str!("../migrations/sqlite/0002_event_ids.sql"),
        include_str!("../migrations/postgres/0002_event_ids.sql"),
    ),
];

impl Db {
    /// Connects (creating a SQLite file if needed) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Db, String> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            let url = if url.contains("mode=") {
                url.to_string()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(format!(
                "--db {url:?}: expected sqlite://FILE or postgres://USER@HOST/DB"
            ));
        };
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets pulls read while a push writes; FULL makes every
                        // acknowledged push durable, not only those before a checkpoint.
                        // NORMAL would pass the SIGKILL crash test too (it only loses
                        // commits on an OS crash or power cut), but the group commit
                        // (commit.rs) shares one fsync among many pushes, so FULL stays.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            });
        let pool = options
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open the database {}: {e}", redact(&url)))?;
        let db = Db {
            pool,
            backend,
            write_gate: (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(()))),
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Waits for the right to write (SQLite only; PostgreSQL locks rows itself).
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.write_gate {
            Some(gate) => Some(gate.lock().await),
            None => None,
        }
    }

    async fn migrate(&self) -> Result<(), String> {
        let fail = |e: sqlx::Error| format!("migrating the database schema failed: {e}");
        let mut tx = self.pool.begin().await.map_err(fail)?;
        if self.backend == Backend::Postgres {
            // Several stores starting together migrate one at a time.
            sqlx::query("SELECT pg_advisory_xact_lock(726784)")
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
        }
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
        let current: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            .fetch_one(&mut *tx)
            .await
            .and_then(|row: AnyRow| row.try_get(0))
            .map_err(fail)?;
        let newest = MIGRATIONS.last().map_or(0, |m| m.0);
        if current > newest {
            return Err(format!(
                "the database schema is at version {current}, newer than this tact-store \
                 knows ({newest}): run a newer tact-store"
            ));
        }
        for &(version, name, sqlite, postgres) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            let script = match self.backend {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            sqlx::raw_sql(script)
                .execute(&mut *tx)
                .await
                .map_err(|e| format!("migration {version} ({name}) failed: {e}"))?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(version)
            .bind(name)
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
        }
        tx.commit().await.map_err(fail)
    }
}

/// Hides a password in a database URL before it reaches a message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Milliseconds since the Unix epoch (the unit of every time in the API).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The UTC day (`YYYY-MM-DD`) of a time in milliseconds: reports group by this text, which
/// both databases sort and compare the same way.
pub fn utc_day(ms: i64) -> String {
    Day::of(Timestamp(ms), 0).to_string()
}

/// `$n, $n+1, …` placeholders for a multi-row `VALUES` list of `rows` rows of `cols`.
pub fn values_list(rows: usize, cols: usize) -> String {
    let mut sql = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(r * cols + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://tact:s3cret@db:5432/tact"),
            "postgres://tact:***@db:5432/tact"
        );
        assert_eq!(redact("sqlite://tact.db"), "sqlite://tact.db");
    }

    #[test]
    fn days_are_utc_calendar_days() {
        assert_eq!(utc_day(0), "1970-01-01");
        assert_eq!(utc_day(951_782_400_000), "2000-02-29");
        assert_eq!(utc_day(-1), "1969-12-31");
    }

    #[test]
    fn values_lists_number_placeholders_row_by_row() {
        assert_eq!(values_list(2, 2), "($1, $2), ($3, $4)");
    }
}
