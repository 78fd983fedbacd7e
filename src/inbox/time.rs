//! Instants and calendar days without a clock.
//!
//! The core never reads the time (wasm has no reliable clock and tests must be
//! deterministic): callers pass instants in, as ISO 8601 strings or epoch milliseconds.
//! Every instant is kept as UTC milliseconds and written back as
//! `YYYY-MM-DDTHH:MM:SS.sssZ`, so stored strings sort in time order.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

const MS_PER_DAY: i64 = 86_400_000;

/// An instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// Why a time could not be read; the message says what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    pub input: String,
    pub reason: &'static str,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an ISO 8601 time ({}); expected e.g. 2024-05-01T09:30:00Z",
            self.input, self.reason
        )
    }
}

impl std::error::Error for TimeError {}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's civil algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(year, month, day)` of a day number from [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A calendar day as a day number; written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// The day an instant falls on for a user `offset_minutes` east of UTC
    /// (Paris in summer: 120), so "per day" means the CM's days, not UTC's.
    pub fn of(t: Timestamp, offset_minutes: i32) -> Day {
        Day((t.0 + i64::from(offset_minutes) * 60_000).div_euclid(MS_PER_DAY))
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Day, TimeError> {
        let b = s.as_bytes();
        let err = |reason| TimeError {
            input: s.to_string(),
            reason,
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err("a day is written YYYY-MM-DD"));
        }
        let (y, m, d) = (
            digits(&b[0..4]).ok_or_else(|| err("year is not 4 digits"))?,
            digits(&b[5..7]).ok_or_else(|| err("month is not 2 digits"))?,
            digits(&b[8..10]).ok_or_else(|| err("day is not 2 digits"))?,
        );
        check_date(y, m as u32, d as u32).map_err(err)?;
        Ok(Day(days_from_civil(y, m as u32, d as u32)))
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    pub fn weekday(self) -> i64 {
        (self.0 + 3).rem_euclid(7)
    }

    /// The Monday starting this day's week (weeks run Monday to Sunday, as in ISO 8601).
    pub fn week_start(self) -> Day {
        Day(self.0 - self.weekday())
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn check_date(y: i64, m: u32, d: u32) -> Result<(), &'static str> {
    if !(1..=12).contains(&m) {
        return Err("month out of 01..12");
    }
    if d == 0 || d > days_in_month(y, m) {
        return Err("no such day in that month");
    }
    Ok(())
}

impl Timestamp {
    /// Reads `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH[:MM])`.
    /// A time without a zone is refused: guessing it would shift items by hours.
    pub fn parse(s: &str) -> Result<Timestamp, TimeError> {
        let err = |reason| TimeError {
            input: s.to_string(),
            reason,
        };
        let trimmed = s.trim();
        if trimmed.len() < 10 || !trimmed.is_char_boundary(10) {
            return Err(err("too short for a date"));
        }
        let day = Day::parse(&trimmed[..10]).map_err(|e| err(e.reason))?;
        let rest = &trimmed.as_bytes()[10..];
        if rest.is_empty() {
            return Ok(Timestamp(day.0 * MS_PER_DAY));
        }
        if !matches!(rest[0], b'T' | b't' | b' ') || rest.len() < 6 || rest[3] != b':' {
            return Err(err("the time is written THH:MM"));
        }
        let hh = digits(&rest[1..3]).ok_or_else(|| err("hour is not 2 digits"))?;
        let mm = digits(&rest[4..6]).ok_or_else(|| err("minute is not 2 digits"))?;
        let mut i = 6;
        let mut ss = 0;
        let mut ms = 0;
        if rest.get(i) == Some(&b':') {
            ss = rest
                .get(i + 1..i + 3)
                .and_then(digits)
                .ok_or_else(|| err("second is not 2 digits"))?;
            i += 3;
            if matches!(rest.get(i), Some(b'.') | Some(b',')) {
                i += 1;
                let start = i;
                while rest.get(i).is_some_and(u8::is_ascii_digit) {
                    if i - start < 3 {
                        ms = ms * 10 + i64::from(rest[i] - b'0');
                    }
                    i += 1;
                }
                if i == start {
                    return Err(err("a fraction needs digits"));
                }
                for _ in (i - start)..3 {
                    ms *= 10;
                }
            }
        }
        if hh > 23 || mm > 59 || ss > 60 {
            return Err(err("hour, minute or second out of range"));
        }
        let offset_min = match rest.get(i) {
            Some(b'Z') | Some(b'z') if i + 1 == rest.len() => 0,
            Some(&sign @ (b'+' | b'-')) => {
                let zone = &rest[i + 1..];
                let (oh, om) = match zone.len() {
                    2 => (digits(zone), Some(0)),
                    4 => (digits(&zone[..2]), digits(&zone[2..])),
                    5 if zone[2] == b':' => (digits(&zone[..2]), digits(&zone[3..])),
                    _ => (None, None),
                };
                match (oh, om) {
                    (Some(h), Some(m)) if h <= 23 && m <= 59 => {
                        (h * 60 + m) * if sign == b'-' { -1 } else { 1 }
                    }
                    _ => return Err(err("the offset is written ±HH:MM")),
                }
            }
            None => return Err(err("no time zone: add Z or an offset like +02:00")),
            _ => return Err(err("unexpected text after the time")),
        };
        let secs = hh * 3600 + mm * 60 + ss - offset_min * 60;
        Ok(Timestamp(day.0 * MS_PER_DAY + secs * 1000 + ms))
    }

    pub fn day(self) -> Day {
        Day::of(self, 0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = Day(self.0.div_euclid(MS_PER_DAY));
        let ms_of_day = self.0.rem_euclid(MS_PER_DAY);
        let (h, rem) = (ms_of_day / 3_600_000, ms_of_day % 3_600_000);
        let (m, rem) = (rem / 60_000, rem % 60_000);
        write!(
            f,
            "{day}T{h:02}:{m:02}:{:02}.{:03}Z",
            rem / 1000,
            rem % 1000
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Accepts an ISO 8601 string or a number of epoch milliseconds (what `Date.now()` gives).
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Millis(i64),
            Iso(String),
        }
        match Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom("expected an ISO 8601 time string or epoch milliseconds")
        })? {
            Raw::Millis(ms) => Ok(Timestamp(ms)),
            Raw::Iso(s) => Timestamp::parse(&s).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_iso_in_utc() {
        let t = Timestamp::parse("2024-11-01T14:05:09.5+02:00").unwrap();
        assert_eq!(t.to_string(), "2024-11-01T12:05:09.500Z");
        assert_eq!(Timestamp::parse("1970-01-01").unwrap(), Timestamp(0));
        assert_eq!(
            Timestamp::parse("2000-02-29T00:00Z").unwrap().to_string(),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn refuses_bad_times_with_a_reason() {
        for bad in [
            "yesterday",
            "2023-02-29T00:00:00Z",
            "2024-13-01",
            "2024-05-01T10:00:00",
            "2024-05-01T25:00:00Z",
            "2024-05-01T10:00:00Zjunk",
            "2024-05-01T10:00:00.Z",
            "2024-05-01T10:00+2",
            "é024-05-01",
        ] {
            let e = Timestamp::parse(bad).unwrap_err();
            assert!(e.to_string().contains("ISO 8601"), "{bad}: {e}");
        }
    }

    #[test]
    fn days_follow_the_users_offset_and_weeks_start_monday() {
        let t = Timestamp::parse("2024-05-05T23:30:00Z").unwrap();
        assert_eq!(Day::of(t, 0).to_string(), "2024-05-05");
        assert_eq!(Day::of(t, 120).to_string(), "2024-05-06");
        let sunday = Day::parse("2024-05-05").unwrap();
        assert_eq!(sunday.weekday(), 6);
        assert_eq!(sunday.week_start().to_string(), "2024-04-29");
    }

    #[test]
    fn civil_round_trip_over_centuries() {
        for d in (-800_000..800_000).step_by(997) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn deserialises_strings_and_millis() {
        let a: Timestamp = serde_json::from_str("\"2024-05-01T00:00:00Z\"").unwrap();
        let b: Timestamp = serde_json::from_str("1714521600000").unwrap();
        assert_eq!(a, b);
        assert!(serde_json::from_str::<Timestamp>("true").is_err());
    }
}
