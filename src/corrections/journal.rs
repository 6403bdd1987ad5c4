//! The journal as agents read it: one [`Entry`] per correction, oldest first; with `--json`,
//! the line of docs/cli.md (« Corrections and the review page »).

use serde::Serialize;
use serde_json::Value as Json;

use super::{annee, status_label};
use crate::store::{CorrectionRow, Store, StoreError};

/// One correction of the journal. Serialised as the JSON line of docs/cli.md; the ids after
/// `status` are for the review page and are not serialised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// When: RFC 3339 with the offset of the computer that made it.
    pub at: String,
    pub author: String,
    pub porteur: String,
    /// The action number, as first received.
    pub action: String,
    /// The school year, `2021-2022`.
    pub annee: String,
    pub field: String,
    /// Typed as in `extract --json`: the value in force before, the value set.
    pub before: Json,
    pub after: Json,
    pub motif: String,
    /// `appliquée`, `à revoir` (a newer version of the document changed the value the
    /// correction was made against) or `remplacée` (a later correction of the field settled it).
    pub status: String,
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub action_id: i64,
    /// The document it was made against.
    #[serde(skip)]
    pub document_id: i64,
    #[serde(skip)]
    pub document_hash: String,
    /// The form's id (`bilan`, `presence`, `note-strategique`).
    #[serde(skip)]
    pub form: String,
    /// The document whose arrival put it « à revoir ».
    #[serde(skip)]
    pub review_document_id: Option<i64>,
}

pub(crate) fn entry(r: &CorrectionRow) -> Entry {
    let json = |t: &str| serde_json::from_str(t).unwrap_or(Json::Null);
    Entry {
        at: r.at.clone(),
        author: r.author.clone(),
        porteur: r.porteur.clone(),
        action: r.numero.clone(),
        annee: annee(r.school_year),
        field: r.field.clone(),
        before: json(&r.before),
        after: json(&r.after),
        motif: r.motif.clone(),
        status: status_label(&r.status).to_string(),
        id: r.id,
        action_id: r.action_id,
        document_id: r.document_id,
        document_hash: r.document_hash.clone(),
        form: r.form.clone(),
        review_document_id: r.review_document_id,
    }
}

/// Every correction, oldest first.
pub fn journal(store: &Store) -> Result<Vec<Entry>, StoreError> {
    Ok(store.correction_rows(None)?.iter().map(entry).collect())
}

/// The corrections of one action, oldest first (a field's history).
pub fn journal_of(store: &Store, action_id: i64) -> Result<Vec<Entry>, StoreError> {
    Ok(store
        .correction_rows(Some(action_id))?
        .iter()
        .map(entry)
        .collect())
}
