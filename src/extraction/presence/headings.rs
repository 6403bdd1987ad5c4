//! Dates in column headings: a session column is headed by a real date, a text date
//! (`14/11/2026`, `lun. 14/11`, `14 nov.`), or a day number under a month row (« novembre
//! 2026 » over its days, merged or written once); dates without a year take the school year's.

use super::{cell, width};
use crate::document::{Cell, Table};
use crate::text::fold;
use crate::values::{Date, month_of, parse_date};

/// What a session column's heading says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Heading {
    Date(Date),
    /// Day and month, the year to infer from the school year.
    DayMonth(u32, u32),
    /// A day number: the month comes from the month row.
    Day(u32),
    /// A month (and year): a month row, or a month heading over day numbers.
    Month(Option<i32>, u32),
    Other,
}

const WEEKDAYS: [&str; 14] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lun", "mar", "mer",
    "jeu", "ven", "sam", "dim",
];

/// Reads a column heading.
pub(super) fn heading(cell: &Cell) -> Heading {
    match cell {
        Cell::Date(d) => Heading::Date(*d),
        Cell::Number(n) if n.fract() == 0.0 && (1.0..=31.0).contains(n) => Heading::Day(*n as u32),
        // A date that lost its format: an Excel serial number (1955 to 2064).
        Cell::Number(n) if n.fract() == 0.0 && (20_000.0..60_000.0).contains(n) => {
            Heading::Date(Date::from_days(*n as i64 - 25_569))
        }
        Cell::Text(t) => text_heading(t),
        _ => Heading::Other,
    }
}

fn text_heading(t: &str) -> Heading {
    let folded = fold(t);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // Weekday names (« lun. », « mardi ») say nothing more than the date; « mar » would
    // otherwise read as « mars ».
    let words: Vec<&str> = words
        .into_iter()
        .filter(|w| !WEEKDAYS.contains(w))
        .collect();
    if words.is_empty() || words.len() > 4 {
        return Heading::Other;
    }
    let rest = words.join(" ");
    if let Some(d) = parse_date(&rest) {
        return Heading::Date(d);
    }
    let nums: Vec<u32> = words
        .iter()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 4)
        .filter_map(|w| w.parse().ok())
        .collect();
    let alpha: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let month_word = match alpha.as_slice() {
        [] => None,
        [w] => match month_of(w) {
            Some(m) => Some(m),
            None => {
                // « 1er » is a day; anything else is not a date heading.
                if *w == "1er" {
                    return Heading::Day(1);
                }
                return Heading::Other;
            }
        },
        _ => return Heading::Other,
    };
    match (nums.as_slice(), month_word) {
        ([d, m], None) if (1..=31).contains(d) && (1..=12).contains(m) => Heading::DayMonth(*d, *m),
        ([d], None) if (1..=31).contains(d) => Heading::Day(*d),
        ([d], Some(m)) if (1..=31).contains(d) => Heading::DayMonth(*d, m),
        ([y], Some(m)) if *y >= 1000 => Heading::Month(Some(*y as i32), m),
        ([], Some(m)) => Heading::Month(None, m),
        _ => Heading::Other,
    }
}

/// The calendar year of a month in school year N (September to August).
pub(super) fn year_of(month: u32, school_year: i32) -> i32 {
    if month >= 9 {
        school_year
    } else {
        school_year + 1
    }
}

/// « 2026-2027 », « 2026/2027 », « 2026 - 2027 »: the school year N.
pub(super) fn school_year_in(text: &str) -> Option<i32> {
    let digits: Vec<(usize, i32)> = {
        let mut out = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start == 4 {
                    let s: String = chars[start..i].iter().collect();
                    if let Ok(y) = s.parse() {
                        out.push((start, y));
                    }
                }
            } else {
                i += 1;
            }
        }
        out
    };
    digits
        .windows(2)
        .find(|w| w[1].1 == w[0].1 + 1 && w[1].0 - w[0].0 <= 8)
        .map(|w| w[0].1)
}

/// The month over a column, and its year when the month row writes it.
pub(super) type ColumnMonth = Option<(Option<i32>, u32)>;

/// The row of each session's day and, per column, the month it falls in: month headings in
/// the header row put the days on the next row; otherwise the month row, if any, is one of the
/// two rows above the header row. A month written once runs over the blank (or merged) cells
/// to its right, up to the next cell written.
pub(super) fn day_and_month_rows(
    t: &Table,
    header_row: usize,
    last_identity: usize,
) -> (usize, Vec<ColumnMonth>) {
    let w = width(t);
    // Month headings in the header row itself: the days are on the next row.
    let in_header = (last_identity + 1..w)
        .filter(|c| matches!(heading(cell(t, header_row, *c)), Heading::Month(..)))
        .count();
    let day_row = if in_header > 0 {
        header_row + 1
    } else {
        header_row
    };
    // The month row: the header row (when it holds them) or one of the two rows above.
    let month_row = if in_header > 0 {
        Some(header_row)
    } else {
        (header_row.saturating_sub(2)..header_row).rev().find(|r| {
            (last_identity + 1..w).any(|c| matches!(heading(cell(t, *r, c)), Heading::Month(..)))
        })
    };
    let mut months = vec![None; w];
    if let Some(mr) = month_row {
        let mut current = None;
        for (c, slot) in months.iter_mut().enumerate().skip(last_identity + 1) {
            match heading(cell(t, mr, c)) {
                Heading::Month(y, m) => current = Some((y, m)),
                Heading::Date(d) => current = Some((Some(d.year), d.month)),
                _ if *cell(t, mr, c) != Cell::Empty => current = None,
                _ => {}
            }
            *slot = current;
        }
    }
    (day_row, months)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extraction::presence::tests::{d, n, t};

    #[test]
    fn dates_in_every_form() {
        assert_eq!(heading(&t("14/11/2026")), Heading::Date(d(2026, 11, 14)));
        assert_eq!(
            heading(&t("lun. 16/11/2026")),
            Heading::Date(d(2026, 11, 16))
        );
        // « mar. » is Tuesday, not March.
        assert_eq!(
            heading(&t("mar. 17/11/2026")),
            Heading::Date(d(2026, 11, 17))
        );
        assert_eq!(
            heading(&t("Mardi 17 novembre 2026")),
            Heading::Date(d(2026, 11, 17))
        );
        assert_eq!(heading(&t("17.11.26")), Heading::Date(d(2026, 11, 17)));
        assert_eq!(heading(&t("14/11")), Heading::DayMonth(14, 11));
        assert_eq!(heading(&t("jeu. 14/01")), Heading::DayMonth(14, 1));
        assert_eq!(heading(&t("14 nov.")), Heading::DayMonth(14, 11));
        assert_eq!(heading(&t("novembre 2026")), Heading::Month(Some(2026), 11));
        assert_eq!(heading(&t("Décembre")), Heading::Month(None, 12));
        assert_eq!(heading(&t("3")), Heading::Day(3));
        assert_eq!(heading(&n(3.0)), Heading::Day(3));
        assert_eq!(heading(&t("1er")), Heading::Day(1));
        assert_eq!(
            heading(&Cell::Date(d(2026, 11, 2))),
            Heading::Date(d(2026, 11, 2))
        );
        // An Excel serial number that lost its date format.
        assert_eq!(heading(&n(46328.0)), Heading::Date(d(2026, 11, 2)));
        for other in ["Total", "Total P", "Séance 1", "%", "Observations", ""] {
            assert_eq!(heading(&t(other)), Heading::Other, "{other}");
        }
        assert_eq!(year_of(11, 2026), 2026);
        assert_eq!(year_of(1, 2026), 2027);
        assert_eq!(school_year_in("Cahier de présence 2026-2027"), Some(2026));
        assert_eq!(school_year_in("année 2026 / 2027"), Some(2026));
        assert_eq!(school_year_in("2026"), None);
    }
}
