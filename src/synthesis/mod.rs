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
//! One workbook is one school year: the caller gives the actions, notes and documents of that
//! year only ([`from_store`] does so for `clas synthesis --annee`).
//!
//! Sheets, in this order ([`SHEETS`]): Totaux (the dashboard, open first), Suivi, Synthèse,
//! Anomalies, Conformité, Activités et parents, Assiduité, Dispositifs, Réponses, Sources, Corrections (the journal of the agents' corrections).
//! What holds for all of them:
//! - every sheet prints in landscape, one page wide, its header repeated on each page;
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
mod compact;
pub(crate) mod from_store;
pub(crate) mod mark;
mod model;
mod output;
mod sheets;
mod stamp;
mod workbook;
mod xlsx;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::extraction::Extraction;
use crate::findings::Finding;

pub use attendance::Figures;
pub use compact::{Attendance, Bilan, CollectifFigures};
pub use model::Conformity;
pub use output::Written;
pub(crate) use output::dated_path;
pub use sheets::SHEETS;
pub use sheets::corrections::Correction;
pub use stamp::Stamp;

/// Everything the synthesis is built from.
#[derive(Debug, Clone)]
pub struct Input {
    /// Workbook title, e.g. « Synthèse départementale CLAS 2025-2026 — Lot-et-Garonne »: the
    /// first line of the first sheet.
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
    /// The agents' corrections, oldest first (the Corrections sheet; those in force mark
    /// their cell in Synthèse and Réponses).
    pub corrections: Vec<Correction>,
    /// The attendance rate under which a child is not regular (the profile's
    /// `tolerances.assiduite`): the figures were counted with it, the headers say it.
    pub seuil_assiduite: f64,
    /// The Suivi sheet: every action expected this year, in the order given.
    pub follow_up: Vec<FollowUp>,
}

/// One action expected this school year, and where its file stands (the Suivi sheet).
#[derive(Debug, Clone, Default)]
pub struct FollowUp {
    pub porteur: String,
    pub numero: String,
    /// Why it is expected: « bilan 2024-2025 », « bilan reçu », « cahier de présence reçu ».
    pub expected_from: String,
    /// The bilan in force: its form version and when it was received (ISO date or date and
    /// time); `None`: still missing.
    pub bilan: Option<(String, String)>,
    /// When the attendance workbook was received; `None`: not received.
    pub presence: Option<String>,
    /// The territory whose note stratégique covers the action, when one could be tied to it.
    pub note: Option<String>,
    /// The bilan's, from its findings; `None` without a bilan.
    pub conformity: Option<Conformity>,
    /// When the last letter (relance) about it was written (ISO date).
    pub letter_sent: Option<String>,
    /// The reply that letter asks for (ISO date).
    pub reply_by: Option<String>,
    /// What the agent has to do next, in a few words (empty: nothing).
    pub next_step: String,
}

impl Input {
    /// « Enfants présents à moins de 50 % des séances », with the threshold in force.
    pub(crate) fn under_threshold_label(&self) -> String {
        format!(
            "Enfants présents à moins de {} des séances",
            crate::findings::fr::percent(self.seuil_assiduite)
        )
    }
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
    let mut workbook = workbook::build(input)?;
    output::put_in_place(path, input.generated, |file| {
        workbook.save_to_writer(file)?;
        Ok(())
    })
}
