//! Corrections: an agent sets a value clas read, or could not read, with a reason; the store
//! keeps every correction in an append-only journal (who, when, why, the value before and
//! after, the document it was made against), and every output uses the values in force.
//!
//! - The value in force of a field is the last correction applied over the value read.
//!   Applying is done once, when a correction is made or a new version of a document arrives:
//!   the store keeps, beside each current document, its extraction with the corrections in
//!   force and its findings checked again on it ([`refresh`]), so that the synthesis, the
//!   letters, the conventions and the reports read the corrected values without knowing about
//!   corrections. The archived file and the extraction as read are never modified.
//! - A correction survives restarts, a new synthesis and the same file ingested again. When a
//!   new version of the document says something else of the field than the version the
//!   correction was made against, the correction is put « à revoir » and no longer applied
//!   ([`review`]); a later correction of the field settles it (« remplacée »).
//! - A document clas could not read (a scan) can receive a manual record ([`manual`]): the
//!   agent types its values, which become corrections over an empty reading, and the document
//!   then counts as a read one.
//!
//! One idea per file: `typed` (a value read by its field's type), `apply` (the values in force
//! and the findings on them), `correct` (one correction), `journal` (what the journal shows),
//! `find` (which action and which field an agent means), `identity` (documents read without
//! porteur or action number), `review` (a new version arrives),
//! `manual` (a manual record), `report` (what a document's report says of them).

mod apply;
mod correct;
mod find;
mod identity;
mod journal;
mod manual;
mod report;
mod review;
mod typed;

pub use apply::{DocumentInForce, InForce, in_force};
pub use correct::{Applied, Request, correct};
pub use find::{find_actions, nearest_actions, nearest_fields};
pub use identity::{action_of_document, unattached_documents};
pub use journal::{Entry, journal, journal_of};
pub use manual::{ManualApplied, ManualRequest, manual_entry};
pub(crate) use report::report_lines;
pub(crate) use review::new_version;
pub use typed::{display_value, parse_value};

use crate::dictionary::FormKind;
use crate::findings::RulesError;
use crate::store::StoreError;

/// The mapping name of a document whose values an agent typed.
pub const MANUAL_MAPPING: &str = "saisie-manuelle";

/// Why a correction was refused. Every message is French, for the agent.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    #[error("le motif de la correction est obligatoire : dites pourquoi la valeur change")]
    MissingMotif,
    #[error("action n° {0} inconnue du magasin")]
    UnknownAction(i64),
    #[error("l'action {0} n'a aucun document lu à corriger")]
    NoDocument(String),
    #[error("champ « {field} » inconnu{}", nearest_text(.nearest))]
    UnknownField { field: String, nearest: Vec<String> },
    #[error("champ {field} : {reason}")]
    WrongType { field: String, reason: String },
    #[error("document n° {0} inconnu du magasin")]
    UnknownDocument(i64),
    #[error(
        "{0} a été lu par clas : corrigez ses valeurs une à une (clas correct --porteur …) plutôt que de le saisir"
    )]
    NotRejected(String),
    #[error(
        "saisie manuelle de {file} : {what} est obligatoire pour rattacher le document à son action"
    )]
    MissingIdentity { file: String, what: String },
    #[error("saisie manuelle : le formulaire {0} ne se saisit pas à la main")]
    NotManual(&'static str),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Rules(#[from] RulesError),
}

fn nearest_text(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!(" ; les plus proches : {}", nearest.join(", "))
    }
}

/// Who corrects: `[revue] auteur` of clas.toml, else the computer's user name.
pub fn default_author(config: &crate::config::Config) -> String {
    if !config.author.trim().is_empty() {
        return config.author.trim().to_string();
    }
    ["USERNAME", "USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "agent".into())
}

/// The form a field id belongs to, of those given (in that order).
pub(crate) fn form_of_field(forms: &[FormKind], field: &str) -> Option<FormKind> {
    forms
        .iter()
        .copied()
        .find(|f| crate::dictionary::field(*f, field).is_some())
}

/// The school year as agents write it: `2021-2022`.
pub(crate) fn annee(year: i32) -> String {
    crate::workspace::school_year_label(year)
}

/// Now, on this computer's clock, with its offset: `2026-12-02T10:15:00+01:00`.
pub(crate) fn now() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The French word of a stored status.
pub(crate) fn status_label(status: &str) -> &'static str {
    match status {
        "review" => "à revoir",
        "replaced" => "remplacée",
        _ => "appliquée",
    }
}
