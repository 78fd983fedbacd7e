//! Figures for the stats view and reports: captures per tag per day and per week (every
//! day of the range present, zeros included, so charts have no gaps), top authors, open
//! versus done. Computed here so the inbox page, the exports and the store agree.

use super::filter::Filter;
use super::hash::FnvBuild;
use super::model::{Item, Network};
use super::state::Inbox;
use super::time::{Day, TimeError};
use crate::text::lang::Lang;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;

/// Longest range computed per day (ten years): bounds the work a hostile request causes.
pub const MAX_DAYS: i64 = 3660;

/// Colour of the "untagged" series.
pub const UNTAGGED_COLOR: &str = "#757575";

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Day::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn default_top() -> usize {
    10
}

/// What to count: the items the filter shows, on the days `from..=to` as seen
/// `offset_minutes` east of UTC (default: the days of the first and last match).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsRequest {
    #[serde(default)]
    pub filter: Filter,
    #[serde(default)]
    pub from: Option<Day>,
    #[serde(default)]
    pub to: Option<Day>,
    #[serde(default)]
    pub offset_minutes: i32,
    /// How many authors to rank.
    #[serde(default = "default_top")]
    pub top_authors: usize,
}

impl Default for StatsRequest {
    fn default() -> Self {
        StatsRequest {
            filter: Filter::default(),
            from: None,
            to: None,
            offset_minutes: 0,
            top_authors: default_top(),
        }
    }
}

/// Counts for one tag over the periods of [`Stats::days`] or [`Stats::weeks`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    /// Tag id, or `""` for items without tags.
    pub tag: String,
    pub name: String,
    pub color: String,
    pub counts: Vec<u32>,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorCount {
    pub network: Network,
    pub handle: String,
    pub name: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub days: Vec<Day>,
    /// Mondays of the weeks touching the range (ISO weeks, Monday to Sunday).
    pub weeks: Vec<Day>,
    /// One series per tag in vocabulary order (tags with no capture included, so the
    /// legend is stable), then "untagged" when some items have no tag.
    pub per_day: Vec<Series>,
    pub per_week: Vec<Series>,
    pub top_authors: Vec<AuthorCount>,
    pub total: u32,
    pub open: u32,
    pub done: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsError {
    Day(TimeError),
    Backwards { from: Day, to: Day },
    TooLong { days: i64 },
}

impl fmt::Display for StatsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatsError::Day(e) => e.fmt(f),
            StatsError::Backwards { from, to } => {
                write!(f, "the range starts ({from}) after it ends ({to})")
            }
            StatsError::TooLong { days } => write!(
                f,
                "a range of {days} days is too long to chart per day (at most {MAX_DAYS}); narrow the dates"
            ),
        }
    }
}

impl std::error::Error for StatsError {}

/// Counts per tag (vocabulary order, untagged last) into `periods` buckets.
struct Counter {
    index: HashMap<String, usize, FnvBuild>,
    counts: Vec<Vec<u32>>,
}

impl Counter {
    fn new(inbox: &Inbox, periods: usize) -> Counter {
        let tags = inbox.vocabulary().tags();
        Counter {
            index: tags
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id.clone(), i))
                .collect(),
            counts: vec![vec![0; periods]; tags.len() + 1],
        }
    }

    fn add(&mut self, item: &Item, period: usize) {
        let untagged = self.counts.len() - 1;
        let mut any = false;
        for t in &item.tags {
            if let Some(&i) = self.index.get(t) {
                self.counts[i][period] += 1;
                any = true;
            }
        }
        if !any {
            self.counts[untagged][period] += 1;
        }
    }

    fn into_series(self, inbox: &Inbox, lang: Lang) -> Vec<Series> {
        let untagged_name = match lang {
            Lang::Fr => "Sans tag",
            _ => "Untagged",
        };
        let mut out = Vec::with_capacity(self.counts.len());
        let mut meta = inbox
            .vocabulary()
            .tags()
            .iter()
            .map(|t| (t.id.clone(), t.name(lang).to_string(), t.color.clone()));
        for counts in self.counts {
            let (tag, name, color) = meta.next().unwrap_or_else(|| {
                (
                    String::new(),
                    untagged_name.to_string(),
                    UNTAGGED_COLOR.to_string(),
                )
            });
            let total = counts.iter().sum();
            if !tag.is_empty() || total > 0 {
                out.push(Series {
                    tag,
                    name,
                    color,
                    counts,
                    total,
                });
            }
        }
        out
    }
}

/// Computes the figures for `req`; tag names in `lang`.
pub fn compute(inbox: &Inbox, req: &StatsRequest, lang: Lang) -> Result<Stats, StatsError> {
    let matched = inbox.matching(&req.filter);
    let day_of = |it: &Item| Day::of(it.captured_at, req.offset_minutes);
    // `matched` is newest first: its ends give the default range.
    let from = req
        .from
        .or_else(|| matched.last().map(|(it, _)| day_of(it)))
        .unwrap_or(Day(0));
    let to = req
        .to
        .unwrap_or_else(|| matched.first().map_or(from, |(it, _)| day_of(it).max(from)));
    if to < from {
        return Err(StatsError::Backwards { from, to });
    }
    let n_days = to.0 - from.0 + 1;
    if n_days > MAX_DAYS {
        return Err(StatsError::TooLong { days: n_days });
    }
    let first_week = from.week_start();
    let n_weeks = (to.week_start().0 - first_week.0) / 7 + 1;
    let mut per_day = Counter::new(inbox, n_days as usize);
    let mut per_week = Counter::new(inbox, n_weeks as usize);
    let mut authors: HashMap<(Network, &str), AuthorCount, FnvBuild> = HashMap::default();
    let (mut total, mut done) = (0u32, 0u32);
    let empty = req.from.is_none() && matched.is_empty();
    for &(it, author_key) in &matched {
        let day = day_of(it);
        if day < from || day > to {
            continue;
        }
        per_day.add(it, (day.0 - from.0) as usize);
        per_week.add(it, ((day.week_start().0 - first_week.0) / 7) as usize);
        total += 1;
        done += u32::from(it.status == super::model::Status::Done);
        // The folded handle (before the newline), or the name when there is no handle.
        let key = match author_key.split_once('\n') {
            Some(("", name)) => name,
            Some((handle, _)) => handle,
            None => author_key,
        };
        if !key.is_empty() {
            // Newest first: the first sighting holds the author's current name.
            authors
                .entry((it.network, key))
                .or_insert_with(|| AuthorCount {
                    network: it.network,
                    handle: it.author.handle.clone(),
                    name: it.author.name.clone(),
                    count: 0,
                })
                .count += 1;
        }
    }
    let mut top: Vec<AuthorCount> = authors.into_values().collect();
    top.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.handle.cmp(&b.handle))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.network.cmp(&b.network))
    });
    top.truncate(req.top_authors);
    let (days, weeks) = if empty {
        (vec![], vec![])
    } else {
        (
            (from.0..=to.0).map(Day).collect(),
            (0..n_weeks).map(|w| Day(first_week.0 + 7 * w)).collect(),
        )
    };
    let series = |c: Counter, len: usize| {
        let mut s = c.into_series(inbox, lang);
        s.iter_mut().for_each(|s| s.counts.truncate(len));
        s
    };
    Ok(Stats {
        per_day: series(per_day, days.len()),
        per_week: series(per_week, weeks.len()),
        days,
        weeks,
        top_authors: top,
        total,
        open: total - done,
        done,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbox::state::tests::capture;
    use crate::inbox::{Status, Vocabulary};

    fn inbox() -> Inbox {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let rows: &[(&str, &str, &[&str])] = &[
            ("2024-04-28T23:30:00Z", "ana", &["complaint"]), // Monday 29 in Paris
            ("2024-04-30T09:00:00Z", "ana", &["complaint", "lead"]),
            ("2024-05-02T09:00:00Z", "bob", &[]),
            ("2024-05-06T09:00:00Z", "ANA", &["lead"]),
        ];
        for (n, (at, who, tags)) in rows.iter().enumerate() {
            let mut c = capture(&format!("https://x.com/{who}/status/{n}"), who, "t", at);
            c.tags = Some(tags.iter().map(|t| t.to_string()).collect());
            inbox.capture(c).unwrap();
        }
        inbox.set_status(&["x:2"], Status::Done).unwrap();
        inbox
    }

    #[test]
    fn counts_per_tag_per_day_and_week_with_zero_days() {
        let req = StatsRequest {
            offset_minutes: 120,
            ..StatsRequest::default()
        };
        let s = compute(&inbox(), &req, Lang::Fr).unwrap();
        assert_eq!(s.days.first().unwrap().to_string(), "2024-04-29");
        assert_eq!(s.days.len(), 8, "29 Apr ..= 6 May");
        let complaint = &s.per_day[0];
        assert_eq!(
            (complaint.name.as_str(), complaint.total),
            ("Réclamation", 2)
        );
        assert_eq!(complaint.counts, [1, 1, 0, 0, 0, 0, 0, 0]);
        let lead = s.per_day.iter().find(|s| s.tag == "lead").unwrap();
        assert_eq!(lead.counts, [0, 1, 0, 0, 0, 0, 0, 1]);
        let untagged = s.per_day.last().unwrap();
        assert_eq!(
            (
                untagged.tag.as_str(),
                untagged.name.as_str(),
                untagged.total
            ),
            ("", "Sans tag", 1)
        );
        assert_eq!(s.per_day.len(), 9, "all 8 tags, then untagged");
        assert_eq!(
            s.weeks.iter().map(Day::to_string).collect::<Vec<_>>(),
            ["2024-04-29", "2024-05-06"]
        );
        assert_eq!(s.per_week[0].counts, [2, 0]);
        assert_eq!(
            s.per_week.iter().find(|s| s.tag == "lead").unwrap().counts,
            [1, 1]
        );
        assert_eq!((s.total, s.open, s.done), (4, 3, 1));
        assert_eq!(s.top_authors[0].count, 3, "handles compare without case");
        assert_eq!(s.top_authors[0].handle, "ANA", "newest spelling");
        assert_eq!(s.top_authors[1].handle, "bob");
    }

    #[test]
    fn explicit_ranges_clip_and_bad_ranges_are_refused() {
        let inbox = inbox();
        let req = StatsRequest {
            from: Day::parse("2024-04-30").ok(),
            to: Day::parse("2024-05-01").ok(),
            ..StatsRequest::default()
        };
        let s = compute(&inbox, &req, Lang::En).unwrap();
        assert_eq!((s.days.len(), s.total), (2, 1));
        let backwards = StatsRequest {
            from: req.to,
            to: req.from,
            ..req.clone()
        };
        assert!(matches!(
            compute(&inbox, &backwards, Lang::En),
            Err(StatsError::Backwards { .. })
        ));
        let long = StatsRequest {
            from: Day::parse("1990-01-01").ok(),
            ..req
        };
        assert!(compute(&inbox, &long, Lang::En)
            .unwrap_err()
            .to_string()
            .contains("too long"));
        let none = compute(
            &Inbox::new(Vocabulary::defaults()),
            &StatsRequest::default(),
            Lang::En,
        )
        .unwrap();
        assert!(none.days.is_empty() && none.per_day.iter().all(|s| s.counts.is_empty()));
        let req: StatsRequest =
            serde_json::from_str(r#"{"from": "2024-05-01", "filter": {"tags": ["lead"]}}"#)
                .unwrap();
        assert_eq!(compute(&inbox, &req, Lang::En).unwrap().total, 1);
    }
}
