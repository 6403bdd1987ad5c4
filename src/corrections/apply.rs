//! The values in force: the corrections applied over what each current document of an action
//! says, and the action's findings checked again on them, kept in the store for every reader.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::journal::{Entry, entry};
use super::{CorrectionError, MANUAL_MAPPING};
use crate::dictionary::FormKind;
use crate::extraction::stored::{extraction_from_json, extraction_to_json};
use crate::extraction::{Extraction, FieldValue, Problem, Value};
use crate::findings::Checker;
use crate::store::{ActionRef, CorrectionRow, Store, StoreError, StoredDocument};

/// An action as the agent's corrections leave it.
#[derive(Debug, Clone)]
pub struct InForce {
    pub action: ActionRef,
    /// Its current documents (one per form), oldest form first: bilan, workbook, note.
    pub documents: Vec<DocumentInForce>,
}

/// A current document with the values in force.
#[derive(Debug, Clone)]
pub struct DocumentInForce {
    /// The document; its `extraction` holds the values in force, its `findings` are checked
    /// on them.
    pub document: StoredDocument,
    /// What clas read in the file (`None` for a document whose values were typed by hand).
    pub read: Option<Extraction>,
    /// Its values were typed by an agent (manual entry).
    pub manual: bool,
    /// Field id → the correction in force for it.
    pub corrected: BTreeMap<String, Entry>,
    /// Corrections of its fields put « à revoir » by a newer version, not applied.
    pub to_review: Vec<Entry>,
}

/// What a document said of a field: its value, or what could not be read. A new version is
/// compared with the correction's document on this.
pub(crate) fn read_key(fv: Option<&FieldValue>) -> String {
    let Some(fv) = fv else {
        return "null".into();
    };
    let value = fv.value.to_json().to_string();
    match &fv.problem {
        Some(Problem::Unreadable(t)) => format!("{value}|illisible:{t}"),
        Some(Problem::Contradictory) => format!("{value}|contradictoire"),
        _ => value,
    }
}

/// The extraction of a document as read, or an empty reading of its form for a document whose
/// values are typed by hand (its corrections fill it).
pub(crate) fn read_extraction(
    store: &Store,
    doc: &StoredDocument,
) -> Result<Option<Extraction>, StoreError> {
    let read = store
        .read_extraction_json(doc.id)?
        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
        .and_then(|j| extraction_from_json(&j));
    Ok(match (read, doc.form) {
        (Some(x), _) => Some(x),
        (None, Some(form)) if store.is_manual(doc.id)? => {
            Some(Extraction::from_json(form, MANUAL_MAPPING, &Map::new()))
        }
        _ => None,
    })
}

/// `read` with the corrections applied (those of its form, with status applied, in order:
/// the last one of a field wins). Returns the corrections in force per field.
pub(crate) fn apply<'r>(
    read: &Extraction,
    rows: &'r [CorrectionRow],
) -> (Extraction, BTreeMap<String, &'r CorrectionRow>) {
    let mut x = read.clone();
    let mut in_force = BTreeMap::new();
    for row in rows
        .iter()
        .filter(|r| r.form == read.form.id() && r.status == "applied")
    {
        let Some(fv) = x.fields.iter_mut().find(|f| f.id == row.field) else {
            continue;
        };
        let after: Json = serde_json::from_str(&row.after).unwrap_or(Json::Null);
        fv.value = Value::from_json(fv.kind, &after);
        fv.problem = None;
        in_force.insert(row.field.clone(), row);
    }
    (x, in_force)
}

/// The current documents of an action, with their extraction as read.
fn current_documents(
    store: &Store,
    action_id: i64,
) -> Result<Vec<(StoredDocument, Option<Extraction>)>, StoreError> {
    let mut docs: Vec<StoredDocument> = store
        .history(action_id)?
        .into_iter()
        .filter(|d| d.current)
        .collect();
    docs.sort_by_key(|d| match d.form {
        Some(FormKind::Bilan) => 0,
        Some(FormKind::Presence) => 1,
        _ => 2,
    });
    docs.into_iter()
        .map(|d| {
            let read = read_extraction(store, &d)?;
            Ok((d, read))
        })
        .collect()
}

/// Applies the corrections of an action to its current documents and checks the action again
/// on the values in force; the store keeps both, and the reports are to be written again.
pub(crate) fn refresh(store: &Store, checker: &Checker, action_id: i64) -> Result<(), StoreError> {
    let rows = store.correction_rows(Some(action_id))?;
    let docs = current_documents(store, action_id)?;
    let mut forced: Vec<(i64, bool, Extraction)> = Vec::new();
    for (doc, read) in &docs {
        let Some(read) = read else { continue };
        let (x, in_force) = apply(read, &rows);
        let manual = read.mapping == MANUAL_MAPPING;
        forced.push((doc.id, !in_force.is_empty() || manual, x));
    }
    let find = |form: FormKind| forced.iter().find(|(_, _, x)| x.form == form);
    let bilan = find(FormKind::Bilan).map(|(_, _, x)| x);
    let presence = find(FormKind::Presence).map(|(_, _, x)| x);
    let checked = checker.check_action(bilan, presence);
    for (id, corrected, x) in &forced {
        let findings = match x.form {
            FormKind::Bilan => checked.bilan.clone(),
            FormKind::Presence => checked.presence.clone(),
            FormKind::NoteStrategique => checker.check_note(x),
        };
        let json = corrected.then(|| extraction_to_json(x).to_string());
        store.set_in_force(*id, json.as_deref(), &findings, &checker.notes(x))?;
    }
    Ok(())
}

/// An action's current documents with the values in force, what was read, and the corrections
/// that apply or wait to be reviewed.
pub fn in_force(store: &Store, action_id: i64) -> Result<InForce, CorrectionError> {
    let action = store
        .actions()?
        .into_iter()
        .find(|a| a.id == action_id)
        .ok_or(CorrectionError::UnknownAction(action_id))?;
    let rows = store.correction_rows(Some(action_id))?;
    let mut documents = Vec::new();
    for (document, read) in current_documents(store, action_id)? {
        let form = document.form.map(FormKind::id).unwrap_or_default();
        let manual = store.is_manual(document.id)?;
        let corrected = match &read {
            Some(r) => apply(r, &rows)
                .1
                .into_iter()
                .map(|(f, row)| (f, entry(row)))
                .collect(),
            None => BTreeMap::new(),
        };
        let to_review = rows
            .iter()
            .filter(|r| r.form == form && r.status == "review")
            .map(entry)
            .collect();
        documents.push(DocumentInForce {
            read: read.filter(|r| r.mapping != MANUAL_MAPPING),
            document,
            manual,
            corrected,
            to_review,
        });
    }
    Ok(InForce { action, documents })
}
