//! Push and pull over the register table. A push takes the team row as its lock, skips
//! the client's already-applied mutation ids, keeps per register the newest write
//! (`tact::sync` rules; SQL compares the order-preserving stamp text), numbers the writes
//! with fresh team versions and records the client's last id, all in the transaction the
//! group commit (`commit.rs`) opens: a push is applied entirely or not at all, and only
//! acknowledged once that transaction is durable.

use crate::db::{now_ms, utc_day, values_list, Db};
use crate::error::ApiError;
use crate::tokens::Caller;
use sqlx::any::AnyRow;
use sqlx::Row;
use tact::sync::wire::{PullResponse, MAX_TAGS_PER_ITEM};
use tact::sync::{
    latest_per_register, plan_push, Change, ClientId, ItemId, Mutation, Stamp, Write,
};

/// Applies a validated push inside `tx` (the caller commits); returns the client's last
/// applied mutation id. Pushes applied one after another in one transaction see each
/// other's writes, so a group of pushes gets the same result as separate transactions.
pub async fn apply_push(
    tx: &mut Tx<'_>,
    caller: &Caller,
    client: &ClientId,
    mutations: &[Mutation],
) -> Result<u64, ApiError> {
    // Writing the team row first takes the team's write lock (row lock in PostgreSQL, the
    // database lock in SQLite): versions are then handed out in commit order.
    let base: i64 = sqlx::query(
        "UPDATE teams SET last_version = last_version WHERE id = $1 RETURNING last_version",
    )
    .bind(caller.team_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let last: Option<i64> =
        sqlx::query("SELECT last_mutation_id FROM clients WHERE team_id = $1 AND client_id = $2")
            .bind(caller.team_id)
            .bind(client.as_str())
            .fetch_optional(&mut **tx)
            .await?
            .map(|row: AnyRow| row.try_get(0))
            .transpose()?;
    let last = u64::try_from(last.unwrap_or(0)).unwrap_or(0);
    let (range, new_last) = plan_push(last, mutations);
    let applied = &mutations[range];
    if applied.is_empty() {
        return Ok(last);
    }
    let writes = latest_per_register(applied.iter().map(|m| m.write(client)));
    upsert_registers(tx, caller, base, &writes).await?;
    check_tag_counts(tx, caller.team_id, &writes).await?;
    log_mutations(tx, caller, client, applied).await?;
    sqlx::query(
        "INSERT INTO clients (team_id, client_id, last_mutation_id) VALUES ($1, $2, $3)
         ON CONFLICT (team_id, client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id",
    )
    .bind(caller.team_id)
    .bind(client.as_str())
    .bind(to_i64(new_last))
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE teams SET last_version = $1 WHERE id = $2")
        .bind(base + to_i64(writes.len() as u64))
        .bind(caller.team_id)
        .execute(&mut **tx)
        .await?;
    Ok(new_last)
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Rows per multi-row statement: well under both databases' parameter limits.
const CHUNK: usize = 200;

async fn upsert_registers(
    tx: &mut Tx<'_>,
    caller: &Caller,
    base: i64,
    writes: &[Write],
) -> Result<(), sqlx::Error> {
    const COLS: usize = 8;
    for (chunk_no, chunk) in writes.chunks(CHUNK).enumerate() {
        let sql = format!(
            "INSERT INTO registers (team_id, item_id, name, payload, stamp, version, token_id, day)
             VALUES {}
             ON CONFLICT (team_id, item_id, name) DO UPDATE SET payload = excluded.payload,
               stamp = excluded.stamp, version = excluded.version,
               token_id = excluded.token_id, day = excluded.day
             WHERE excluded.stamp > registers.stamp",
            values_list(chunk.len(), COLS)
        );
        let mut query = sqlx::query(&sql);
        for (i, write) in chunk.iter().enumerate() {
            let version = base + 1 + (chunk_no * CHUNK + i) as i64;
            let day = match &write.change {
                Change::Capture { capture } => Some(utc_day(capture.captured_at)),
                _ => None,
            };
            query = query
                .bind(caller.team_id)
                .bind(write.item.as_str().to_string())
                .bind(write.change.key().name())
                .bind(write.change.payload().to_string())
                .bind(write.stamp.encode())
                .bind(version)
                .bind(caller.token_id)
                .bind(day);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Refuses the push (rolling it back) if it leaves an item with too many tags.
async fn check_tag_counts(tx: &mut Tx<'_>, team_id: i64, writes: &[Write]) -> Result<(), ApiError> {
    let mut tagged: Vec<&ItemId> = writes
        .iter()
        .filter(|w| matches!(w.change, Change::Tag { present: true, .. }))
        .map(|w| &w.item)
        .collect();
    tagged.sort();
    tagged.dedup();
    for chunk in tagged.chunks(CHUNK) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT item_id FROM registers WHERE team_id = $1 AND name LIKE 'tag:%'
               AND payload = 'true' AND item_id IN ({})
             GROUP BY item_id HAVING COUNT(*) > {MAX_TAGS_PER_ITEM} LIMIT 1",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(&sql).bind(team_id);
        for item in chunk {
            query = query.bind(item.as_str().to_string());
        }
        if let Some(row) = query.fetch_optional(&mut **tx).await? {
            let item: String = row.try_get(0)?;
            return Err(ApiError::invalid(
                "mutations",
                format!("item {item:?} would carry more than {MAX_TAGS_PER_ITEM} tags: remove some first"),
            ));
        }
    }
    Ok(())
}

async fn log_mutations(
    tx: &mut Tx<'_>,
    caller: &Caller,
    client: &ClientId,
    applied: &[Mutation],
) -> Result<(), sqlx::Error> {
    const COLS: usize = 6;
    let day = utc_day(now_ms());
    for chunk in applied.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO mutations (team_id, client_id, mutation_id, token_id, kind, day) VALUES {}",
            values_list(chunk.len(), COLS)
        );
        let mut query = sqlx::query(&sql);
        for m in chunk {
            let kind = match m.change {
                Change::Capture { .. } => "capture",
                Change::Tag { .. } => "tag",
                Change::Status { .. } => "status",
                Change::Note { .. } => "note",
            };
            query = query
                .bind(caller.team_id)
                .bind(client.as_str().to_string())
                .bind(to_i64(m.id))
                .bind(caller.token_id)
                .bind(kind)
                .bind(day.clone());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The team's register writes after `cursor`, oldest first, at most `limit`.
pub async fn pull(
    db: &Db,
    team_id: i64,
    cursor: u64,
    limit: u32,
) -> Result<PullResponse, ApiError> {
    let rows = sqlx::query(
        "SELECT item_id, name, payload, stamp, version FROM registers
         WHERE team_id = $1 AND version > $2 ORDER BY version LIMIT $3",
    )
    .bind(team_id)
    .bind(to_i64(cursor))
    .bind(i64::from(limit) + 1)
    .fetch_all(&db.pool)
    .await?;
    let more = rows.len() > limit as usize;
    let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
    let mut next = cursor;
    for row in rows.iter().take(limit as usize) {
        changes.push(decode_row(row)?);
        next = u64::try_from(row.try_get::<i64, _>(4)?).unwrap_or(next);
    }
    Ok(PullResponse {
        cursor: next,
        more,
        changes,
    })
}

fn decode_row(row: &AnyRow) -> Result<Write, ApiError> {
    let item: String = row.try_get(0)?;
    let name: String = row.try_get(1)?;
    let payload: String = row.try_get(2)?;
    let stamp: String = row.try_get(3)?;
    let corrupt = |e: tact::sync::Invalid| {
        sqlx::Error::Decode(format!("register {item:?}/{name:?} is corrupt: {e}").into())
    };
    Ok(Write {
        item: ItemId::try_from(item.clone()).map_err(corrupt)?,
        change: Change::from_parts(&name, &payload).map_err(corrupt)?,
        stamp: Stamp::decode(&stamp).map_err(corrupt)?,
    })
}
