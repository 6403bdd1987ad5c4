//! Cell values: what calamine reads becomes a [`Cell`] of the same type in every format.
//! Dates become [`Cell::Date`] whatever the format stored them as (a serial number with a date
//! format in .xlsx and .xls, ISO text in .ods), times and durations the text `01:30`, errors
//! and blank text nothing.

use calamine::{Data, DataRef, ExcelDateTime};

use crate::document::Cell;
use crate::values::Date;

pub(super) fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => number(*f),
        Data::String(s) => text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => from_excel_datetime(dt),
        Data::DateTimeIso(s) => from_iso(s),
        Data::DurationIso(s) => from_iso_duration(s),
        Data::Error(_) | Data::Empty => Cell::Empty,
    }
}

pub(super) fn from_data_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => from_excel_datetime(dt),
        DataRef::DateTimeIso(s) => from_iso(s),
        DataRef::DurationIso(s) => from_iso_duration(s),
        DataRef::Error(_) | DataRef::Empty => Cell::Empty,
    }
}

fn number(f: f64) -> Cell {
    if f.is_finite() {
        Cell::Number(f)
    } else {
        Cell::Empty
    }
}

fn text(s: &str) -> Cell {
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

/// `01:30` for a time of day or a duration.
fn hours_minutes(fraction_of_day: f64) -> Cell {
    let minutes = (fraction_of_day * 24.0 * 60.0).round() as i64;
    Cell::Text(format!("{:02}:{:02}", minutes / 60, minutes % 60))
}

fn from_excel_datetime(dt: &ExcelDateTime) -> Cell {
    let v = dt.as_f64();
    if !v.is_finite() {
        return Cell::Empty;
    }
    if dt.is_duration() || (0.0..1.0).contains(&v) {
        return hours_minutes(v.max(0.0));
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    match Date::new(y as i32, m as u32, d as u32) {
        Some(date) => Cell::Date(date),
        None => Cell::Number(v),
    }
}

/// `2026-11-14`, `2026-11-14T00:00:00` (an .ods date), `PT01H30M00S` or `10:00:00` (a time).
fn from_iso(s: &str) -> Cell {
    let s = s.trim();
    let date_part = s.split('T').next().unwrap_or("");
    let mut parts = date_part.splitn(3, '-');
    let ymd = (
        parts.next().and_then(|p| p.parse::<i32>().ok()),
        parts.next().and_then(|p| p.parse::<u32>().ok()),
        parts.next().and_then(|p| p.parse::<u32>().ok()),
    );
    if let (Some(y), Some(m), Some(d)) = ymd
        && let Some(date) = Date::new(y, m, d)
    {
        return Cell::Date(date);
    }
    if s.starts_with("PT") || s.starts_with('P') {
        return from_iso_duration(s);
    }
    let hms: Vec<f64> = s
        .trim_start_matches('T')
        .split(':')
        .map_while(|p| p.parse::<f64>().ok())
        .collect();
    if hms.len() >= 2 {
        return hours_minutes((hms[0] * 60.0 + hms[1]) / (24.0 * 60.0));
    }
    text(s)
}

/// `PT01H30M00S` → `01:30`.
fn from_iso_duration(s: &str) -> Cell {
    let Some(rest) = s.trim().strip_prefix("PT") else {
        return text(s);
    };
    let mut minutes = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            'H' | 'M' | 'S' => {
                let n: f64 = number.parse().unwrap_or(0.0);
                minutes += match c {
                    'H' => n * 60.0,
                    'M' => n,
                    _ => n / 60.0,
                };
                number.clear();
            }
            _ => return text(s),
        }
    }
    hours_minutes(minutes / (24.0 * 60.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_values() {
        assert_eq!(
            from_iso("2026-11-14"),
            Cell::Date(Date::new(2026, 11, 14).unwrap())
        );
        assert_eq!(
            from_iso("2026-11-14T00:00:00"),
            Cell::Date(Date::new(2026, 11, 14).unwrap())
        );
        assert_eq!(from_iso_duration("PT01H30M00S"), Cell::Text("01:30".into()));
        assert_eq!(from_iso("PT2H"), Cell::Text("02:00".into()));
    }
}
