//! Attendance marks: what a respondent writes in a child's row under a session (`P`, `X`,
//! `1`, `✓`, `A`, `abs`, `E`, `excusé`… in any case, with or without dots and spaces), read
//! as present, absent or excused; anything else is reported, never guessed.

use crate::document::Cell;
use crate::text::fold;

/// An attendance mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Present,
    Absent,
    Excuse,
}

/// A cell that holds something other than a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAMark;

/// Reads a mark: `Ok(None)` for an empty cell (not registered), `Err` for anything that is
/// not a mark.
pub fn parse_mark(cell: &Cell) -> Result<Option<Mark>, NotAMark> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) if *n == 1.0 => Ok(Some(Mark::Present)),
        Cell::Number(n) if *n == 0.0 => Ok(Some(Mark::Absent)),
        Cell::Bool(true) => Ok(Some(Mark::Present)),
        Cell::Bool(false) => Ok(Some(Mark::Absent)),
        Cell::Text(t) => {
            let f: String = fold(t)
                .chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '(' | ')' | '-' | '_'))
                .collect();
            match f.as_str() {
                "" => Ok(None),
                "p" | "x" | "1" | "✓" | "✔" | "✅" | "☑" | "present" | "presente" => {
                    Ok(Some(Mark::Present))
                }
                "a" | "0" | "abs" | "absent" | "absente" => Ok(Some(Mark::Absent)),
                "e" | "exc" | "excuse" | "excusee" | "ae" | "absexc" | "absexcuse"
                | "absentexcuse" | "absenteexcusee" | "absenceexcusee" => Ok(Some(Mark::Excuse)),
                _ => Err(NotAMark),
            }
        }
        _ => Err(NotAMark),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extraction::presence::tests::{d, n, t};

    #[test]
    fn marks_in_every_spelling() {
        for s in [
            "P",
            "p",
            "X",
            "x",
            "1",
            "✓",
            "✔",
            "présent",
            " P ",
            "Présente",
        ] {
            assert_eq!(parse_mark(&t(s)), Ok(Some(Mark::Present)), "{s}");
        }
        for s in ["A", "a", "0", "abs", "ABS", "Abs.", "absent", "Absente"] {
            assert_eq!(parse_mark(&t(s)), Ok(Some(Mark::Absent)), "{s}");
        }
        for s in ["E", "e", "excusé", "Excusée", "AE", "abs. exc."] {
            assert_eq!(parse_mark(&t(s)), Ok(Some(Mark::Excuse)), "{s}");
        }
        assert_eq!(parse_mark(&n(1.0)), Ok(Some(Mark::Present)));
        assert_eq!(parse_mark(&n(0.0)), Ok(Some(Mark::Absent)));
        assert_eq!(parse_mark(&Cell::Bool(true)), Ok(Some(Mark::Present)));
        assert_eq!(parse_mark(&Cell::Empty), Ok(None));
        for bad in [
            t("?"),
            t("R"),
            t("malade"),
            n(2.0),
            n(0.5),
            Cell::Date(d(2026, 11, 2)),
        ] {
            assert_eq!(parse_mark(&bad), Err(NotAMark), "{bad:?}");
        }
    }
}
