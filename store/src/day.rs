//! UTC calendar days (`YYYY-MM-DD`) from epoch milliseconds and back, for reports: the
//! store groups by day in plain text so both databases sort and compare them the same way.

/// The UTC day of a time in milliseconds since the epoch.
pub fn day_of_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Checks `YYYY-MM-DD` (a real date), returning it unchanged.
pub fn parse_day(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let y: i64 = text[0..4].parse().ok()?;
    let m: u32 = text[5..7].parse().ok()?;
    let d: u32 = text[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (d >= 1 && d <= days_in_month && text[0..4].bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.to_string())
}

/// Whole days between two valid `YYYY-MM-DD` days (`to - from`).
pub fn days_between(from: &str, to: &str) -> i64 {
    days_from_civil(to) - days_from_civil(from)
}

fn days_from_civil(day: &str) -> i64 {
    let y: i64 = day[0..4].parse().unwrap_or(1970);
    let m: i64 = day[5..7].parse().unwrap_or(1);
    let d: i64 = day[8..10].parse().unwrap_or(1);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_match_known_dates() {
        assert_eq!(day_of_ms(0), "1970-01-01");
        assert_eq!(day_of_ms(951_782_400_000), "2000-02-29");
        assert_eq!(day_of_ms(1_700_000_000_000), "2023-11-14");
        assert_eq!(day_of_ms(-1), "1969-12-31");
    }

    #[test]
    fn only_real_dates_parse() {
        assert!(parse_day("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01x",
            "2024-04-31",
        ] {
            assert!(parse_day(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn day_arithmetic_round_trips() {
        assert_eq!(days_between("2024-02-28", "2024-03-01"), 2);
        assert_eq!(
            days_between("1970-01-01", &day_of_ms(1_700_000_000_000)),
            19_675
        );
    }
}
