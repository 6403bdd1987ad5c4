//! The moment a synthesis is made, as the agent reads it (local time, to the second): shown in
//! the workbook, set in its properties, and naming the dated copy written when the target is
//! locked. Also reads the reception dates of the store, which come with or without a time.

use std::fmt;

use crate::values::Date;

/// A local date and time, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Stamp {
    pub fn new(date: Date, hour: u32, minute: u32, second: u32) -> Option<Stamp> {
        (hour < 24 && minute < 60 && second < 60).then_some(Stamp {
            date,
            hour,
            minute,
            second,
        })
    }

    /// From seconds since 1970-01-01 00:00 UTC, shifted by `offset_seconds` (local time).
    #[cfg(test)]
    pub(crate) fn from_unix(seconds: i64, offset_seconds: i64) -> Stamp {
        let t = seconds + offset_seconds;
        let day = t.div_euclid(86_400);
        let s = t.rem_euclid(86_400) as u32;
        Stamp {
            date: Date::from_days(day),
            hour: s / 3600,
            minute: s / 60 % 60,
            second: s % 60,
        }
    }

    /// Now, on this computer's clock (local time, as agents read it).
    pub(crate) fn now() -> Stamp {
        use chrono::{Datelike, Timelike};
        let t = chrono::Local::now().naive_local();
        Stamp {
            date: Date::new(t.year(), t.month(), t.day()).unwrap_or(Date::from_days(0)),
            hour: t.hour(),
            minute: t.minute(),
            second: t.second(),
        }
    }

    /// `2026-01-15`, `2026-01-15T10:32`, `2026-01-15 10:32:07`, with or without fractions of
    /// a second and zone (ignored: the time is taken as written).
    pub fn parse(s: &str) -> Option<Stamp> {
        let s = s.trim();
        let date_part = s.get(..10)?;
        let mut d = date_part.split('-');
        let (y, m, dd) = (d.next()?, d.next()?, d.next()?);
        if y.len() != 4 || m.len() != 2 || dd.len() != 2 {
            return None;
        }
        let date = Date::new(y.parse().ok()?, m.parse().ok()?, dd.parse().ok()?)?;
        let rest = &s[10..];
        if rest.is_empty() {
            return Stamp::new(date, 0, 0, 0);
        }
        let rest = rest.strip_prefix(['T', ' '])?;
        let time: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ':')
            .collect();
        let mut t = time.split(':');
        let h = t.next()?.parse().ok()?;
        let mi = t.next()?.parse().ok()?;
        let sec = t.next().map(|x| x.parse().ok()).unwrap_or(Some(0))?;
        Stamp::new(date, h, mi, sec)
    }

    /// Whether a time of day was given (not midnight exactly).
    pub(crate) fn has_time(self) -> bool {
        (self.hour, self.minute, self.second) != (0, 0, 0)
    }

    /// `20260115-103207`, for file names.
    pub(crate) fn compact(self) -> String {
        format!(
            "{:04}{:02}{:02}-{:02}{:02}{:02}",
            self.date.year, self.date.month, self.date.day, self.hour, self.minute, self.second
        )
    }
}

impl fmt::Display for Stamp {
    /// `15/01/2026 à 10:32`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} à {:02}:{:02}",
            self.date.french(),
            self.hour,
            self.minute
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps() {
        let s = Stamp::parse("2026-01-15T10:32:07.123+01:00").unwrap();
        assert_eq!(s.compact(), "20260115-103207");
        assert_eq!(
            Stamp::parse("2026-01-15").unwrap().compact(),
            "20260115-000000"
        );
        assert_eq!(
            Stamp::parse("2026-01-15 08:05").unwrap().compact(),
            "20260115-080500"
        );
        assert_eq!(Stamp::parse("15/01/2026"), None);
        assert_eq!(Stamp::parse("2026-02-30"), None);
        assert_eq!(Stamp::from_unix(0, 3600).compact(), "19700101-010000");
        assert_eq!(
            Stamp::from_unix(1_768_473_127, 0).compact(),
            "20260115-103207"
        );
        assert_eq!(s.to_string(), "15/01/2026 à 10:32");
    }
}
