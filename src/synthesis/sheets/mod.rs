//! The sheets of the synthesis workbook: their names in workbook order, and the builder of
//! each, one file per sheet. Sheets refer to one another by name and column (the Totaux
//! formulas sum the columns of the data sheets), so the names live here, once.

mod activites;
mod anomalies;
mod assiduite;
mod conformite;
pub(super) mod corrections;
mod dispositifs;
mod reponses;
mod sources;
mod synthese;
mod totaux;

use rust_xlsxwriter::Worksheet;

use super::model::Ctx;
use super::xlsx::{Formats, R};
use crate::dictionary::{self, FormKind};

/// The sheets of the workbook, in order.
pub const SHEETS: [&str; 10] = [
    "Synthèse",
    "Anomalies",
    "Conformité",
    "Totaux",
    "Activités et parents",
    "Assiduité",
    "Dispositifs",
    "Réponses",
    "Sources",
    "Corrections",
];

const SYNTHESE: &str = SHEETS[0];
const ANOMALIES: &str = SHEETS[1];
const CONFORMITE: &str = SHEETS[2];
pub(super) const TOTAUX: &str = SHEETS[3];
const ACTIVITES: &str = SHEETS[4];
const ASSIDUITE: &str = SHEETS[5];
const DISPOSITIFS: &str = SHEETS[6];
const REPONSES: &str = SHEETS[7];
const SOURCES: &str = SHEETS[8];
const CORRECTIONS: &str = SHEETS[9];

/// What writes one sheet.
pub(super) type Build = fn(&mut Worksheet, &Ctx, &Formats) -> R;

/// The builder of each sheet, the largest first: they are started in this order on every
/// core, so the longest does not start last.
pub(super) const BUILDS: [(&str, Build); 10] = [
    (REPONSES, reponses::reponses),
    (SYNTHESE, synthese::synthese),
    (ANOMALIES, anomalies::anomalies),
    (CONFORMITE, conformite::conformite),
    (SOURCES, sources::sources),
    (ASSIDUITE, assiduite::assiduite),
    (ACTIVITES, activites::activites),
    (DISPOSITIFS, dispositifs::dispositifs),
    (TOTAUX, totaux::totaux),
    (CORRECTIONS, corrections::corrections),
];

/// A bilan field's label in the dictionary: the header of the columns that hold it.
fn label(id: &str) -> &'static str {
    dictionary::field(FormKind::Bilan, id)
        .map(|d| d.label.as_str())
        .expect("champ du dictionnaire")
}
