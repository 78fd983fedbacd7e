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
use std::collections::{BTreeMap, HashMap};
use tact::sync::wire::{PullResponse, MAX_TAGS_PER_ITEM};
use tact::sync::{
    latest_per_register, plan_push, Change, ClientId, ItemId, Mutation, Stamp, Write,
};

/// One validated push waiting in the group commit.
pub struct Push {
    pub caller: Caller,
    pub client: ClientId,
    pub mutations: Vec<Mutation>,
}

/// Applies pushes in order inside `tx` (the caller commits); returns each push's last
/// applied mutation id. The pushes of one team are planned in Rust (a later push of the
/// same client sees the earlier one's last id), then written with one statement per table
/// and chunk: the same result as one transaction per push, in a handful of round trips.
pub async fn apply_pushes(tx: &mut Tx<'_>, pushes: &[Push]) -> Result<Vec<u64>, ApiError> {
    let mut teams: Vec<i64> = pushes.iter().map(|p| p.caller.team_id).collect();
    // Teams locked in id order, so two writers never wait on each other in a cycle.
    teams.sort_unstable();
    teams.dedup();
    let mut lasts = vec![0; pushes.len()];
    for team_id in teams {
        let mine: Vec<usize> = (0..pushes.len())
            .filter(|&i| pushes[i].caller.team_id == team_id)
            .collect();
        apply_team(tx, team_id, pushes, &mine, &mut lasts).await?;
    }
    Ok(lasts)
}

/// What one team's share of a group writes.
struct TeamPlan<'a> {
    /// The client's new last id, for clients that moved on.
    clients: BTreeMap<&'a str, u64>,
    /// Applied mutations with their push, for the audit log.
    applied: Vec<(&'a Push, &'a Mutation)>,
    /// Token of each applied write, for the register row.
    token_of: HashMap<Stamp, i64>,
}

fn plan_team<'a>(
    pushes: &'a [Push],
    mine: &[usize],
    mut known: BTreeMap<&'a str, u64>,
    lasts: &mut [u64],
) -> TeamPlan<'a> {
    let mut plan = TeamPlan {
        clients: BTreeMap::new(),
        applied: Vec::new(),
        token_of: HashMap::new(),
    };
    for &i in mine {
        let push = &pushes[i];
        let client = push.client.as_str();
        let last = known.get(client).copied().unwrap_or(0);
        let (range, new_last) = plan_push(last, &push.mutations);
        lasts[i] = new_last;
        if !range.is_empty() {
            known.insert(client, new_last);
            plan.clients.insert(client, new_last);
        }
        plan.applied
            .extend(push.mutations[range].iter().map(|m| (push, m)));
    }
    plan
}

async fn apply_team(
    tx: &mut Tx<'_>,
    team_id: i64,
    pushes: &[Push],
    mine: &[usize],
    lasts: &mut [u64],
) -> Result<(), ApiError> {
    // Writing the team row first takes the team's write lock (row lock in PostgreSQL, the
    // database lock in SQLite): versions are then handed out in commit order.
    let base: i64 = sqlx::query(
        "UPDATE teams SET last_version = last_version WHERE id = $1 RETURNING last_version",
    )
    .bind(team_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let mut clients: Vec<&str> = mine.iter().map(|&i| pushes[i].client.as_str()).collect();
    clients.sort_unstable();
    clients.dedup();
    let known = last_ids(tx, team_id, &clients).await?;
    let mut plan = plan_team(pushes, mine, known, lasts);
    if plan.applied.is_empty() {
        return Ok(());
    }
    let writes = latest_per_register(plan.applied.iter().map(|(push, m)| {
        let write = m.write(&push.client);
        plan.token_of
            .insert(write.stamp.clone(), push.caller.token_id);
        write
    }));
    upsert_registers(tx, team_id, base, &writes, &plan.token_of).await?;
    check_tag_counts(tx, team_id, &writes).await?;
    log_mutations(tx, team_id, &plan.applied).await?;
    save_last_ids(tx, team_id, &plan.clients).await?;
    sqlx::query("UPDATE teams SET last_version = $1 WHERE id = $2")
        .bind(base + to_i64(writes.len() as u64))
        .bind(team_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Rows per multi-row statement: well under both databases' parameter limits (SQLite
/// 32,766, PostgreSQL 65,535) with 8 columns.
const CHUNK: usize = 500;

/// `$first, $first+1, …` for an `IN (…)` list of `n` values.
fn in_list(first: usize, n: usize) -> String {
    let placeholders: Vec<String> = (first..first + n).map(|i| format!("${i}")).collect();
    placeholders.join(", ")
}

/// The last applied mutation id of each of these clients that the store knows.
async fn last_ids<'a>(
    tx: &mut Tx<'_>,
    team_id: i64,
    clients: &[&'a str],
) -> Result<BTreeMap<&'a str, u64>, ApiError> {
    let mut known = BTreeMap::new();
    for chunk in clients.chunks(CHUNK) {
        let sql = format!(
            "SELECT client_id, last_mutation_id FROM clients
             WHERE team_id = $1 AND client_id IN ({})",
            in_list(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(team_id);
        for client in chunk {
            query = query.bind(client.to_string());
        }
        for row in query.fetch_all(&mut **tx).await? {
            let client: String = row.try_get(0)?;
            let last: i64 = row.try_get(1)?;
            if let Some(&name) = chunk.iter().find(|c| **c == client) {
                known.insert(name, u64::try_from(last).unwrap_or(0));
            }
        }
    }
    Ok(known)
}

async fn save_last_ids(
    tx: &mut Tx<'_>,
    team_id: i64,
    clients: &BTreeMap<&str, u64>,
) -> Result<(), sqlx::Error> {
    let clients: Vec<(&str, u64)> = clients.iter().map(|(c, l)| (*c, *l)).collect();
    for chunk in clients.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO clients (team_id, client_id, last_mutation_id) VALUES {}
             ON CONFLICT (team_id, client_id)
             DO UPDATE SET last_mutation_id = excluded.last_mutation_id",
            values_list(chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for (client, last) in chunk {
            query = query
                .bind(team_id)
                .bind(client.to_string())
                .bind(to_i64(*last));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn upsert_registers(
    tx: &mut Tx<'_>,
    team_id: i64,
    base: i64,
    writes: &[Write],
    token_of: &HashMap<Stamp, i64>,
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
                .bind(team_id)
                .bind(write.item.as_str().to_string())
                .bind(write.change.key().name())
                .bind(write.change.payload().to_string())
                .bind(write.stamp.encode())
                .bind(version)
                .bind(token_of.get(&write.stamp).copied().unwrap_or(0))
                .bind(day);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Refuses the group (rolling it back) if it leaves an item with too many tags.
async fn check_tag_counts(tx: &mut Tx<'_>, team_id: i64, writes: &[Write]) -> Result<(), ApiError> {
    let mut tagged: Vec<&ItemId> = writes
        .iter()
        .filter(|w| matches!(w.change, Change::Tag { present: true, .. }))
        .map(|w| &w.item)
        .collect();
    tagged.sort();
    tagged.dedup();
    for chunk in tagged.chunks(CHUNK) {
        let sql = format!(
            "SELECT item_id FROM registers WHERE team_id = $1 AND name LIKE 'tag:%'
               AND payload = 'true' AND item_id IN ({})
             GROUP BY item_id HAVING COUNT(*) > {MAX_TAGS_PER_ITEM} LIMIT 1",
            in_list(2, chunk.len())
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
    team_id: i64,
    applied: &[(&Push, &Mutation)],
) -> Result<(), sqlx::Error> {
    const COLS: usize = 6;
    let day = utc_day(now_ms());
    for chunk in applied.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO mutations (team_id, client_id, mutation_id, token_id, kind, day) VALUES {}",
            values_list(chunk.len(), COLS)
        );
        let mut query = sqlx::query(&sql);
        for (push, m) in chunk {
            let kind = match m.change {
                Change::Capture { .. } => "capture",
                Change::Tag { .. } => "tag",
                Change::Status { .. } => "status",
                Change::Note { .. } => "note",
            };
            query = query
                .bind(team_id)
                .bind(push.client.as_str().to_string())
                .bind(to_i64(m.id))
                .bind(push.caller.token_id)
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
