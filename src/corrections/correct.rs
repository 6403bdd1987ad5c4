//! One correction: the value typed by the agent read by its field's type, appended to the
//! journal with the value in force before it, then the action's values in force and findings
//! brought up to date, in one transaction.

use serde::Serialize;
use serde_json::Value as Json;

use super::apply::{read_extraction, read_key, refresh};
use super::find::nearest_fields;
use super::{CorrectionError, annee, form_of_field, now, parse_value};
use crate::config::Config;
use crate::dictionary::{self, FormKind};
use crate::findings::Checker;
use crate::store::{CorrectionRow, Store, StoreError};

/// A correction asked for by an agent (the command line, the review page).
#[derive(Debug, Clone)]
pub struct Request {
    /// The store's action id.
    pub action_id: i64,
    /// The field id of the form's dictionary (`familles.nombre`).
    pub field: String,
    /// As the agent typed it (`15`, `1 250`, `17/11/2025`, `oui`, `coché`; `""` empties).
    pub value: String,
    /// Why (mandatory).
    pub motif: String,
    /// Who ([`super::default_author`]).
    pub author: String,
}

/// A correction made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied {
    pub porteur: String,
    /// The action number.
    pub action: String,
    /// `2021-2022`.
    pub annee: String,
    pub field: String,
    /// Typed as in `extract --json`.
    pub before: Json,
    pub after: Json,
    /// The journal entry's id.
    #[serde(skip)]
    pub id: i64,
    /// The document corrected.
    #[serde(skip)]
    pub document_id: i64,
}

/// Makes a correction: the value read by the rules of the field's type, the journal appended,
/// the values in force and the findings of the action checked again. Every output written
/// afterwards (synthesis, letters, conventions, reports) uses the new value.
pub fn correct(config: &Config, store: &Store, req: &Request) -> Result<Applied, CorrectionError> {
    let checker = Checker::new(config)?;
    correct_with(store, &checker, req)
}

pub(crate) fn correct_with(
    store: &Store,
    checker: &Checker,
    req: &Request,
) -> Result<Applied, CorrectionError> {
    let motif = req.motif.trim();
    if motif.is_empty() {
        return Err(CorrectionError::MissingMotif);
    }
    let action = store
        .actions()?
        .into_iter()
        .find(|a| a.id == req.action_id)
        .ok_or(CorrectionError::UnknownAction(req.action_id))?;
    let docs: Vec<_> = store
        .history(action.id)?
        .into_iter()
        .filter(|d| d.current && d.form.is_some())
        .collect();
    let label = format!("{} (action {})", action.porteur, action.numero);
    if docs.is_empty() {
        return Err(CorrectionError::NoDocument(label));
    }
    let mut forms: Vec<FormKind> = docs.iter().filter_map(|d| d.form).collect();
    forms.sort_by_key(|f| match f {
        FormKind::Bilan => 0,
        FormKind::Presence => 1,
        FormKind::NoteStrategique => 2,
    });
    let field = req.field.trim();
    let Some(form) = form_of_field(&forms, field) else {
        return Err(CorrectionError::UnknownField {
            field: field.to_string(),
            nearest: nearest_fields(&forms, field),
        });
    };
    let def = dictionary::field(form, field).expect("form_of_field found it");
    let value = parse_value(def.kind, &req.value).map_err(|reason| CorrectionError::WrongType {
        field: field.to_string(),
        reason,
    })?;
    let doc = docs
        .into_iter()
        .find(|d| d.form == Some(form))
        .expect("a current document of this form");
    let read = read_extraction(store, &doc)?;
    let before = doc
        .extraction
        .as_ref()
        .map(|x| x.value(field).to_json())
        .unwrap_or(Json::Null);
    let after = value.to_json();
    let row = CorrectionRow {
        id: 0,
        action_id: action.id,
        porteur: action.porteur.clone(),
        numero: action.numero.clone(),
        school_year: action.school_year,
        document_id: doc.id,
        document_hash: doc.hash.clone(),
        form: form.id().to_string(),
        field: field.to_string(),
        read_key: read_key(read.as_ref().and_then(|x| x.get(field))),
        before: before.to_string(),
        after: after.to_string(),
        motif: motif.to_string(),
        author: req.author.trim().to_string(),
        at: now(),
        status: "applied".into(),
        review_document_id: None,
    };
    let id = store.in_transaction(|s| {
        settle_reviews(s, action.id, form, field)?;
        let id = s.insert_correction(&row)?;
        refresh(s, checker, action.id)?;
        super::identity::settle_identity(s, checker, action.id)?;
        Ok(id)
    })?;
    Ok(Applied {
        porteur: action.porteur,
        action: action.numero,
        annee: annee(action.school_year),
        field: field.to_string(),
        before,
        after,
        id,
        document_id: doc.id,
    })
}

/// A new correction of a field settles the earlier ones put « à revoir »: they are replaced.
pub(crate) fn settle_reviews(
    store: &Store,
    action_id: i64,
    form: FormKind,
    field: &str,
) -> Result<(), StoreError> {
    for r in store.correction_rows(Some(action_id))? {
        if r.form == form.id() && r.field == field && r.status == "review" {
            store.set_correction_status(r.id, "replaced", r.review_document_id)?;
        }
    }
    Ok(())
}
