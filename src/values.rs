//! Reading values the way French respondents write them: `1 250`, `312,5`, `24 enfants`,
//! `17/11/2025`, `17.11.25`, `lundi 1er décembre 2021`.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::text::fold;

/// A calendar date (proleptic Gregorian), without time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (1000..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn days(self) -> i64 {
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date {
            year: (y + if m <= 2 { 1 } else { 0 }) as i32,
            month: m,
            day: d,
        }
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u32 {
        ((self.days() + 3).rem_euclid(7)) as u32
    }

    /// The Monday of this date's week, as days: two dates share a week when this is equal.
    pub(crate) fn week_start(self) -> i64 {
        self.days() - self.weekday() as i64
    }

    /// The school year (1 September – 31 August) holding this date, as its first year N.
    pub(crate) fn school_year(self) -> i32 {
        if self.month >= 9 {
            self.year
        } else {
            self.year - 1
        }
    }

    /// Today on this computer's calendar (local time, as the agent's own clock says). The
    /// one clock of clas: a run reads it once, into [`crate::config::Config::today`].
    pub(crate) fn today() -> Date {
        use chrono::Datelike;
        let d = chrono::Local::now().date_naive();
        Date::new(d.year(), d.month(), d.day()).unwrap_or(Date {
            year: d.year(),
            month: d.month(),
            day: d.day(),
        })
    }

    /// `17/11/2025`, as agents write dates.
    pub fn french(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

/// Reads a date written in any usual French way. `None` when it is not a date.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let folded = fold(s);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // Numeric forms: 17/11/2025, 17.11.25, 17-11-2025, 2025-11-17.
    let nums: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let month_word = words.iter().position(|w| month_of(w).is_some());
    if let Some(mi) = month_word {
        let month = month_of(words[mi])?;
        let day = words[..mi].iter().rev().find_map(|w| day_number(w))?;
        let year = words[mi + 1..].iter().find_map(|w| w.parse::<i32>().ok())?;
        return Date::new(full_year(year), month, day);
    }
    if nums.len() == 3
        && nums.len()
            == words
                .iter()
                .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
                .count()
    {
        let (a, b, c) = (nums[0], nums[1], nums[2]);
        if a.len() == 4 {
            return Date::new(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
        }
        return Date::new(full_year(c.parse().ok()?), b.parse().ok()?, a.parse().ok()?);
    }
    None
}

/// The month (1 to 12) a folded word names (lower case, no accents): its full name, or an
/// abbreviation of three letters or more that begins one month only. Dates in text and the
/// column headings of attendance workbooks are read with this one table.
pub(crate) fn month_of(w: &str) -> Option<u32> {
    if w.len() < 3 {
        return None;
    }
    // « nov. », « sept », « déc. »: an abbreviation is a prefix of one month only.
    let hits: Vec<usize> = MONTHS
        .iter()
        .enumerate()
        .filter(|(_, m)| m.starts_with(w) || *m == &w)
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [i] => Some(*i as u32 + 1),
        _ if w == "juil" => Some(7),
        // « juin » and « juillet » share « jui ».
        _ => None,
    }
}

fn day_number(w: &str) -> Option<u32> {
    let digits = w.strip_suffix("er").unwrap_or(w);
    digits.parse::<u32>().ok().filter(|d| (1..=31).contains(d))
}

fn full_year(y: i32) -> i32 {
    if y < 100 { 2000 + y } else { y }
}

/// A number read the French way; `Err` carries what was written when it is not one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    Integer(i64),
    Decimal(f64),
}

/// Reads `1 250`, `1.250`, `312,5`, `24 enfants`: the first number written.
/// Returns `None` when no number is written at all.
pub(crate) fn parse_number(s: &str) -> Option<Number> {
    let s = s.trim();
    let mut digits = String::new();
    let mut seen_digit = false;
    let mut decimal = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    // Skip leading text up to the first digit only when it is short (« environ 24 »).
    while i < chars.len() && !chars[i].is_ascii_digit() {
        if chars[i] == '-' && i + 1 < chars.len() && chars[i + 1].is_ascii_digit() {
            digits.push('-');
        }
        i += 1;
    }
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            digits.push(c);
            seen_digit = true;
        } else if (c == ',' || c == '.')
            && !decimal
            && i + 1 < chars.len()
            && chars[i + 1].is_ascii_digit()
        {
            // `1.250` (three digits after a dot, no other separator) is a thousands mark.
            let rest: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if c == '.' && rest.len() == 3 && !s.contains(',') {
                i += 1;
                continue;
            }
            digits.push('.');
            decimal = true;
        } else if matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’')
            && seen_digit
            && !decimal
            && chars.len() >= i + 4
            && chars[i + 1..i + 4].iter().all(|c| c.is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
        {
            // Thousands separator: a space followed by exactly three digits.
        } else {
            break;
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if decimal {
        digits.parse::<f64>().ok().map(Number::Decimal)
    } else {
        digits.parse::<i64>().ok().map(Number::Integer)
    }
}

/// `1 250,5` — how agents expect numbers printed.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}").replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<Date> {
        Date::new(y, m, dd)
    }

    #[test]
    fn french_dates() {
        assert_eq!(parse_date("17/11/2025"), d(2025, 11, 17));
        assert_eq!(parse_date("17.11.25"), d(2025, 11, 17));
        assert_eq!(parse_date("17 novembre 2025"), d(2025, 11, 17));
        assert_eq!(parse_date("lundi 17 novembre 2025"), d(2025, 11, 17));
        assert_eq!(parse_date("lundi 1er décembre 2021"), d(2021, 12, 1));
        assert_eq!(parse_date("1er Déc. 2021"), d(2021, 12, 1));
        assert_eq!(parse_date("2021-12-01"), d(2021, 12, 1));
        assert_eq!(parse_date("31/02/2025"), None);
        assert_eq!(parse_date("début novembre"), None);
        assert_eq!(parse_date("une quinzaine"), None);
    }

    #[test]
    fn french_numbers() {
        assert_eq!(parse_number("1 250"), Some(Number::Integer(1250)));
        assert_eq!(parse_number("1\u{a0}250"), Some(Number::Integer(1250)));
        assert_eq!(parse_number("312,5"), Some(Number::Decimal(312.5)));
        assert_eq!(parse_number("24 enfants"), Some(Number::Integer(24)));
        assert_eq!(parse_number("2 collectifs"), Some(Number::Integer(2)));
        assert_eq!(parse_number("12 15"), Some(Number::Integer(12)));
        assert_eq!(parse_number("1.250"), Some(Number::Integer(1250)));
        assert_eq!(parse_number("7.5"), Some(Number::Decimal(7.5)));
        assert_eq!(parse_number("une quinzaine"), None);
    }

    #[test]
    fn calendar_arithmetic() {
        let x = Date::new(2025, 11, 3).unwrap();
        assert_eq!(x.weekday(), 0);
        assert_eq!(Date::from_days(x.days()), x);
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(x.school_year(), 2025);
        assert_eq!(Date::new(2026, 6, 15).unwrap().school_year(), 2025);
    }
}
