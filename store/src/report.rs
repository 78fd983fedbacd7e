//! The team report behind the dashboard: captures per tag and day, open vs done, overrides
//! per rule, and activity per member, for a period of UTC days.

use crate::db::Db;
use crate::error::ApiError;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;
use tact::inbox::time::{Day, Timestamp};
use tact::sync::wire::{MemberActivity, RuleCount, StatusCounts, TagDay, TeamReport};

/// Longest period one report covers.
const MAX_DAYS: i64 = 366;

/// Resolves the `from`/`to` query (defaults: the 30 days up to today) to `YYYY-MM-DD`
/// texts, the form the tables keep days in.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    now_ms: i64,
) -> Result<(String, String), ApiError> {
    let day = |field: &str, text: &str| {
        Day::parse(text).map_err(|e| {
            ApiError::invalid(
                field,
                format!("expected a date as YYYY-MM-DD ({})", e.reason),
            )
        })
    };
    let to = match to {
        Some(text) => day("to", text)?,
        None => Day::of(Timestamp(now_ms), 0),
    };
    let from = match from {
        Some(text) => day("from", text)?,
        None => Day(to.0 - 29),
    };
    let span = to.0 - from.0;
    if span < 0 {
        return Err(ApiError::invalid("from", "from must not be after to"));
    }
    if span >= MAX_DAYS {
        return Err(ApiError::invalid(
            "from",
            format!("a report covers at most {MAX_DAYS} days"),
        ));
    }
    Ok((from.to_string(), to.to_string()))
}

/// Runs a report query whose parameters are the team, the first and the last day.
async fn period_rows(
    db: &Db,
    sql: &str,
    team_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<AnyRow>, sqlx::Error> {
    sqlx::query(sql)
        .bind(team_id)
        .bind(from)
        .bind(to)
        .fetch_all(&db.pool)
        .await
}

fn count(row: &AnyRow, index: usize) -> Result<u64, sqlx::Error> {
    Ok(u64::try_from(row.try_get::<i64, _>(index)?).unwrap_or(0))
}

pub async fn build(
    db: &Db,
    team_id: i64,
    from: String,
    to: String,
) -> Result<TeamReport, ApiError> {
    let per_tag = period_rows(
        db,
        "SELECT c.day, t.name, COUNT(*) FROM registers c
         JOIN registers t ON t.team_id = c.team_id AND t.item_id = c.item_id
         WHERE c.team_id = $1 AND c.name = 'capture' AND c.day >= $2 AND c.day <= $3
           AND t.name LIKE 'tag:%' AND t.payload = 'true'
         GROUP BY c.day, t.name ORDER BY c.day, t.name",
        team_id,
        &from,
        &to,
    )
    .await?
    .iter()
    .map(|row| {
        let name: String = row.try_get(1)?;
        Ok(TagDay {
            day: row.try_get(0)?,
            tag: name.strip_prefix("tag:").unwrap_or(&name).to_string(),
            count: count(row, 2)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let mut status = StatusCounts { open: 0, done: 0 };
    let rows = period_rows(
        db,
        "SELECT COALESCE(s.payload, '\"open\"'), COUNT(*) FROM registers c
         LEFT JOIN registers s ON s.team_id = c.team_id AND s.item_id = c.item_id AND s.name = 'status'
         WHERE c.team_id = $1 AND c.name = 'capture' AND c.day >= $2 AND c.day <= $3
         GROUP BY COALESCE(s.payload, '\"open\"')",
        team_id,
        &from,
        &to,
    )
    .await?;
    for row in &rows {
        let value: String = row.try_get(0)?;
        if value == "\"done\"" {
            status.done += count(row, 1)?;
        } else {
            status.open += count(row, 1)?;
        }
    }

    let overrides_per_rule = period_rows(
        db,
        "SELECT COALESCE(rule, '(none)'), COUNT(*) FROM events
         WHERE team_id = $1 AND kind = 'override' AND day >= $2 AND day <= $3
         GROUP BY COALESCE(rule, '(none)') ORDER BY COUNT(*) DESC, COALESCE(rule, '(none)')",
        team_id,
        &from,
        &to,
    )
    .await?
    .iter()
    .map(|row| {
        Ok(RuleCount {
            rule: row.try_get(0)?,
            count: count(row, 1)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let members = members(db, team_id, &from, &to).await?;
    Ok(TeamReport {
        from,
        to,
        captures_per_tag_per_day: per_tag,
        status,
        overrides_per_rule,
        members,
    })
}

/// Activity per member name (a member with several tokens counts once).
async fn members(
    db: &Db,
    team_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<MemberActivity>, ApiError> {
    let mut by_name: BTreeMap<String, MemberActivity> = BTreeMap::new();
    let mutation_rows = period_rows(
        db,
        "SELECT k.name, COUNT(*), SUM(CASE WHEN m.kind = 'capture' THEN 1 ELSE 0 END)
         FROM mutations m JOIN tokens k ON k.id = m.token_id
         WHERE m.team_id = $1 AND m.day >= $2 AND m.day <= $3 GROUP BY k.name",
        team_id,
        from,
        to,
    )
    .await?;
    for row in &mutation_rows {
        let entry = member(&mut by_name, row.try_get(0)?);
        entry.mutations += count(row, 1)?;
        entry.captures += count(row, 2)?;
    }
    let override_rows = period_rows(
        db,
        "SELECT k.name, COUNT(*) FROM events e JOIN tokens k ON k.id = e.token_id
         WHERE e.team_id = $1 AND e.kind = 'override' AND e.day >= $2 AND e.day <= $3
         GROUP BY k.name",
        team_id,
        from,
        to,
    )
    .await?;
    for row in &override_rows {
        member(&mut by_name, row.try_get(0)?).overrides += count(row, 1)?;
    }
    Ok(by_name.into_values().collect())
}

fn member(by_name: &mut BTreeMap<String, MemberActivity>, name: String) -> &mut MemberActivity {
    by_name.entry(name.clone()).or_insert(MemberActivity {
        member: name,
        captures: 0,
        mutations: 0,
        overrides: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_period_is_the_last_thirty_days() {
        let now = 1_700_000_000_000; // 2023-11-14
        assert_eq!(
            period(None, None, now).unwrap(),
            ("2023-10-16".to_string(), "2023-11-14".to_string())
        );
    }

    #[test]
    fn bad_periods_name_the_field() {
        assert_eq!(
            period(Some("2024-02-30"), None, 0)
                .unwrap_err()
                .field
                .as_deref(),
            Some("from")
        );
        assert!(period(Some("2024-03-02"), Some("2024-03-01"), 0).is_err());
        assert!(period(Some("2020-01-01"), Some("2024-01-01"), 0).is_err());
    }
}
