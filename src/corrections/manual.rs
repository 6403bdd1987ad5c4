//! A manual record: a document clas could not read (a scan, a PDF without text) receives the
//! values an agent types from it. They are kept as corrections over an empty reading (one
//! journal entry per value, with the motif), the document becomes the current version of its
//! action (its file stays where it lies, in `rejets/`), and from then on it flows everywhere
//! like a document read.

use serde_json::Map;

use super::apply::{read_key, refresh};
use super::correct::settle_reviews;
use super::find::nearest_fields;
use super::{CorrectionError, MANUAL_MAPPING, annee, now, parse_value};
use crate::config::Config;
use crate::dictionary::{self, FormKind};
use crate::extraction::Extraction;
use crate::extraction::stored::extraction_to_json;
use crate::findings::Checker;
use crate::findings::identity::{same_name, same_number};
use crate::inbox::actions::{document_year, identity};
use crate::store::{CorrectionRow, Status, Store};

/// The values an agent typed from a document clas could not read.
#[derive(Debug, Clone)]
pub struct ManualRequest {
    /// The refused document (its store id).
    pub document_id: i64,
    pub form: FormKind,
    /// Field id → the value as typed (read by the field's type, as [`super::correct`]).
    pub values: Vec<(String, String)>,
    pub motif: String,
    pub author: String,
}

/// A manual record made.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualApplied {
    pub action_id: i64,
    pub porteur: String,
    pub action: String,
    pub annee: String,
    /// How many values were recorded.
    pub values: usize,
}

/// Records the values typed for a refused document; it then counts as read (synthesis,
/// letters, conventions), its values being corrections in the journal.
pub fn manual_entry(
    config: &Config,
    store: &Store,
    req: &ManualRequest,
) -> Result<ManualApplied, CorrectionError> {
    let motif = req.motif.trim();
    if motif.is_empty() {
        return Err(CorrectionError::MissingMotif);
    }
    let checker = Checker::new(config)?;
    let doc = store
        .document_light(req.document_id)?
        .ok_or(CorrectionError::UnknownDocument(req.document_id))?;
    if !matches!(doc.status, Status::Rejected { .. }) {
        return Err(CorrectionError::NotRejected(doc.file_name));
    }
    if req.form == FormKind::Presence {
        return Err(CorrectionError::NotManual(req.form.label()));
    }
    let mut x = Extraction::from_json(req.form, MANUAL_MAPPING, &Map::new());
    let mut typed = Vec::new();
    for (field, text) in &req.values {
        let field = field.trim();
        let Some(def) = dictionary::field(req.form, field) else {
            return Err(CorrectionError::UnknownField {
                field: field.to_string(),
                nearest: nearest_fields(&[req.form], field),
            });
        };
        let value = parse_value(def.kind, text).map_err(|reason| CorrectionError::WrongType {
            field: field.to_string(),
            reason,
        })?;
        if value.is_null() {
            continue;
        }
        if let Some(fv) = x.fields.iter_mut().find(|f| f.id == field) {
            fv.value = value.clone();
        }
        typed.push((field.to_string(), value));
    }
    let Some((kind, porteur, numero)) = identity(&x) else {
        let what = match req.form {
            FormKind::NoteStrategique => "le territoire (territoire.nom)",
            _ => "le porteur et le numéro d'action (porteur.nom, action.numero)",
        };
        return Err(CorrectionError::MissingIdentity {
            file: doc.file_name,
            what: what.into(),
        });
    };
    let year = document_year(&x).unwrap_or_else(|| config.default_school_year());
    let existing = store.actions()?.into_iter().find(|a| {
        a.kind == kind
            && a.school_year == year
            && same_name(&a.porteur, &porteur)
            && (kind == "territoire" || same_number(&a.numero, &numero))
    });
    let (action_id, porteur, numero) = store.in_transaction(|s| {
        let (action, porteur, numero) = match &existing {
            Some(a) => (Ok(a.id), a.porteur.clone(), a.numero.clone()),
            None => (
                Err((kind, porteur.as_str(), numero.as_str())),
                porteur.clone(),
                numero.clone(),
            ),
        };
        let action_id = s.attach_manual_record(
            doc.id,
            req.form.id(),
            year,
            action,
            &extraction_to_json(&x).to_string(),
        )?;
        let at = now();
        for (field, value) in &typed {
            settle_reviews(s, action_id, req.form, field)?;
            s.insert_correction(&CorrectionRow {
                id: 0,
                action_id,
                porteur: porteur.clone(),
                numero: numero.clone(),
                school_year: year,
                document_id: doc.id,
                document_hash: doc.hash.clone(),
                form: req.form.id().to_string(),
                field: field.clone(),
                read_key: read_key(None),
                before: "null".into(),
                after: value.to_json().to_string(),
                motif: motif.to_string(),
                author: req.author.trim().to_string(),
                at: at.clone(),
                status: "applied".into(),
                review_document_id: None,
            })?;
        }
        refresh(s, &checker, action_id)?;
        Ok((action_id, porteur, numero))
    })?;
    Ok(ManualApplied {
        action_id,
        porteur,
        action: numero,
        annee: annee(year),
        values: typed.len(),
    })
}
