//! The departmental synthesis workbook (issue 6): what the agent hands to the departmental
//! committee, one `.xlsx` that says, for every action of the department, what was declared,
//! whether it conforms, and what the department achieved as a whole.
//!
//! The input is plain data ([`Input`]): the caller (the store) picks the current version of
//! each action and lists every document received. [`write`] builds the workbook with
//! rust_xlsxwriter and puts it in place safely (temporary file in the same folder, then
//! renamed; a dated copy beside it when the target is locked, e.g. open in Excel on a share).
//!
//! Memory: every sheet but Totaux is written row by row in rust_xlsxwriter's constant memory
//! mode (rows flushed to a temporary file as they are written, strings inline rather than
//! shared), and each action is kept compact ([`Bilan`], [`Attendance`]): a store of 10 000
//! documents is synthesised in well under 200 MB.
//!
//! Sheets, in this order ([`SHEETS`]): Synthèse, Anomalies, Conformité, Totaux, Activités et
//! parents, Assiduité, Dispositifs, Réponses, Sources. What holds for all of them:
//! - every table is an Excel table (autofilter, banded rows) whose header is frozen, with
//!   widths set per kind of column and formats in Excel's invariant syntax (`#,##0`, `0.0%`,
//!   `dd/mm/yyyy`), which Excel and LibreOffice show the French way;
//! - columns holding a canonical field are headed by the field's label from the dictionary,
//!   in a fixed order that does not depend on the form version (a column says which form
//!   version each row came from);
//! - text read from forms is always written as a string: `=…`, `+…`, `-…`, `@…` stay text;
//! - totals and shares are formulas over the data sheets, each written with its computed
//!   result, so that calamine, viewers and LibreOffice without recalculation read the right
//!   figure and draw the charts;
//! - no child's name: attendance workbooks give counts and rates only, and any finding
//!   message that would quote a child of the action has the name masked.

mod attendance;
mod book;
mod compact;
mod output;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::extraction::Extraction;
use crate::findings::{Finding, Severity};
use crate::values::Date;

pub use attendance::Figures;
pub use compact::{Attendance, Bilan, CollectifFigures};

/// The sheets of the workbook, in order.
pub const SHEETS: [&str; 9] = [
    "Synthèse",
    "Anomalies",
    "Conformité",
    "Totaux",
    "Activités et parents",
    "Assiduité",
    "Dispositifs",
    "Réponses",
    "Sources",
];

/// Everything the synthesis is built from.
#[derive(Debug, Clone)]
pub struct Input {
    /// Workbook title, e.g. « Synthèse départementale CLAS 2025-2026 ».
    pub title: String,
    /// When the synthesis is made (local time): shown in the workbook and its properties, and
    /// names the dated copy written when the target is locked.
    pub generated: Stamp,
    /// The current version of each action (the caller leaves replaced versions out).
    pub actions: Vec<Action>,
    /// Notes stratégiques (one per territory), current versions.
    pub notes: Vec<Note>,
    /// Every document received, current or replaced, archived or rejected.
    pub sources: Vec<SourceDoc>,
}

/// One action: its bilan, its attendance workbook when there is one, and what the rules said
/// about them together. The bilan and the workbook are kept compact ([`Bilan`] and
/// [`Attendance`], both `From<Extraction>`): a département has thousands of them.
#[derive(Debug, Clone)]
pub struct Action {
    pub bilan: Bilan,
    pub presence: Option<Attendance>,
    /// Shared: the findings of a département's actions say the same few hundred things
    /// again and again (60 000 findings, 600 different, for 9 000 bilans).
    pub findings: Vec<Arc<Finding>>,
    /// File name of the bilan as received.
    pub source_file: String,
    /// When it was received: ISO date (`2026-01-15`) or date and time (`2026-01-15T10:32:00`).
    pub received: String,
    /// The form version (mapping id) the bilan was read with; the bilan's `mapping` when empty.
    pub form_version: String,
}

/// One note stratégique and what the rules said about it.
#[derive(Debug, Clone)]
pub struct Note {
    pub extraction: Extraction,
    pub findings: Vec<Finding>,
    pub source_file: String,
}

/// A document received, for the Sources sheet.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    pub file: String,
    /// SHA-256, hexadecimal.
    pub hash: String,
    /// ISO date, or date and time.
    pub received: String,
    /// `bilan`, `note-strategique`, `presence` (shown with its French name), or free text.
    pub form: String,
    pub form_version: String,
    /// `archivé`, `rejeté`…
    pub status: String,
    /// Whether this is the version in force of its action (false: replaced by a later one).
    pub current: bool,
}

/// Where the workbook went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file written: the target, or the dated copy beside it.
    pub path: PathBuf,
    /// The file asked for.
    pub target: PathBuf,
    /// The target could not be replaced (open in Excel, read-only…): `path` is a dated copy.
    pub dated_copy: bool,
}

impl Written {
    /// What to tell the agent, in French.
    pub fn message(&self) -> String {
        if self.dated_copy {
            format!(
                "{} n'a pas pu être remplacé (ouvert dans Excel ou LibreOffice, ou en lecture seule ?) : la synthèse a été écrite dans {}. Fermez le fichier puis relancez la synthèse pour mettre {} à jour.",
                self.target.display(),
                self.path.display(),
                self.target.display()
            )
        } else {
            format!("Synthèse écrite dans {}.", self.path.display())
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SynthesisError {
    #[error("la synthèse n'a pas pu être construite : {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("la synthèse n'a pas pu être écrite dans {} : {}", path.display(), crate::files::io_french(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Builds the workbook and writes it to `path` (its folder is created when missing): first to
/// a temporary file in the same folder, then renamed over the target. When the target cannot
/// be replaced (open in Excel or LibreOffice, read-only), the workbook is kept as
/// `<nom>-AAAAMMJJ-HHMMSS.xlsx` beside it (from [`Input::generated`]) and [`Written`] says so.
pub fn write(input: &Input, path: &Path) -> Result<Written, SynthesisError> {
    let mut workbook = book::build(input)?;
    output::put_in_place(path, input.generated, |file| {
        workbook.save_to_writer(file)?;
        Ok(())
    })
}

/// The workbook as bytes (tests, previews).
pub fn to_bytes(input: &Input) -> Result<Vec<u8>, SynthesisError> {
    Ok(book::build(input)?.save_to_buffer()?)
}

/// An action's conformity, from its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Conformity {
    Conforme,
    AVerifier,
    NonConforme,
}

impl Conformity {
    /// « non conforme » with any error, « à vérifier » with any warning, else « conforme »
    /// (information findings do not count).
    pub fn of<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Conformity {
        match findings.into_iter().map(|f| f.severity).max() {
            Some(Severity::Error) => Conformity::NonConforme,
            Some(Severity::Warning) => Conformity::AVerifier,
            _ => Conformity::Conforme,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Conformity::Conforme => "conforme",
            Conformity::AVerifier => "à vérifier",
            Conformity::NonConforme => "non conforme",
        }
    }
    pub const ALL: [Conformity; 3] = [
        Conformity::Conforme,
        Conformity::AVerifier,
        Conformity::NonConforme,
    ];
}

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
    pub fn from_unix(seconds: i64, offset_seconds: i64) -> Stamp {
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

    /// Now, in UTC (the caller shifts it to local time when it knows the offset).
    pub fn now_utc() -> Stamp {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Stamp::from_unix(secs, 0)
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
    pub fn has_time(self) -> bool {
        (self.hour, self.minute, self.second) != (0, 0, 0)
    }

    /// `20260115-103207`, for file names.
    pub fn compact(self) -> String {
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

    #[test]
    fn conformity() {
        let f = |severity| Finding {
            rule: "x".into(),
            severity,
            fields: vec![],
            message: String::new(),
        };
        assert_eq!(Conformity::of(&[]), Conformity::Conforme);
        assert_eq!(Conformity::of(&[f(Severity::Info)]), Conformity::Conforme);
        assert_eq!(
            Conformity::of(&[f(Severity::Info), f(Severity::Warning)]),
            Conformity::AVerifier
        );
        assert_eq!(
            Conformity::of(&[f(Severity::Error), f(Severity::Warning)]),
            Conformity::NonConforme
        );
    }
}
