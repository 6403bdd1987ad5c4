//! What the pages show, read from the store at each request: plain data, no HTML. One page,
//! one file: `dashboard`, `queue`, `action`, `attendance`; here what they share (the state of
//! a document, dates as agents read them).

pub(crate) mod action;
pub(crate) mod attendance;
pub(crate) mod dashboard;
pub(crate) mod queue;

use crate::findings::Severity;
use crate::store::{Status, StoredDocument};
use crate::values::Date;

/// What became of a document, as the dashboard counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum State {
    /// Read, no error and nothing to check.
    Conforme,
    /// Read, with points to check (warnings) or a correction to look at again.
    ARevoir,
    /// Read, with at least one error.
    Anomalie,
    /// Refused (not a form, unreadable, scanned…).
    Refuse,
}

impl State {
    pub(crate) fn of(d: &StoredDocument) -> State {
        match d.status {
            Status::Rejected { .. } => State::Refuse,
            _ if d.findings.iter().any(|f| f.severity == Severity::Error) => State::Anomalie,
            _ if d.findings.iter().any(|f| f.severity == Severity::Warning) => State::ARevoir,
            _ => State::Conforme,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            State::Conforme => "conforme",
            State::ARevoir => "à revoir",
            State::Anomalie => "en anomalie",
            State::Refuse => "refusé",
        }
    }

    /// The CSS class of its badge.
    pub(crate) fn class(self) -> &'static str {
        match self {
            State::Conforme => "ok",
            State::ARevoir => "warn",
            State::Anomalie => "err",
            State::Refuse => "ref",
        }
    }
}

/// The store's UTC time as the agent's clock reads it: `02/12/2026 à 15:04`.
pub(crate) fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%d/%m/%Y à %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The local calendar day of a store time.
pub(crate) fn local_date(rfc3339: &str) -> Option<Date> {
    use chrono::Datelike;
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
    let d = t.with_timezone(&chrono::Local).date_naive();
    Date::new(d.year(), d.month(), d.day())
}

/// `2025-2026`.
pub(crate) fn year_label(year: i32) -> String {
    crate::workspace::school_year_label(year)
}
