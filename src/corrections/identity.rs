//! Documents read without an identity (no porteur name or no action number): they belong to no
//! action, and a correction needs one. Such a document receives an action of its own when an
//! agent corrects it; once its porteur and number are corrected, that action takes them (the
//! next versions of the document then find it), or joins the action that already has them.

use super::CorrectionError;
use super::apply::refresh;
use crate::dictionary::FormKind;
use crate::findings::Checker;
use crate::findings::identity::{same_name, same_number};
use crate::inbox::actions::identity;
use crate::store::{Status, Store, StoreError, StoredDocument};
use crate::text::key;

/// The action of a current document, made for it when it has none (read without porteur or
/// action number). The review page and `clas correct` call it before correcting such a document.
pub fn action_of_document(store: &Store, doc_id: i64) -> Result<i64, CorrectionError> {
    let doc = store
        .documents()?
        .into_iter()
        .find(|d| d.id == doc_id)
        .ok_or(CorrectionError::UnknownDocument(doc_id))?;
    if let Some(a) = &doc.action {
        return Ok(a.id);
    }
    if doc.status != Status::Archived || !doc.current {
        return Err(CorrectionError::NoDocument(doc.file_name));
    }
    let text = |id: &str| {
        doc.extraction
            .as_ref()
            .and_then(|x| x.value(id).as_text().map(|t| t.trim().to_string()))
            .unwrap_or_default()
    };
    let (kind, porteur, numero) = match doc.form {
        Some(FormKind::NoteStrategique) => ("territoire", text("territoire.nom"), String::new()),
        _ => ("action", text("porteur.nom"), text("action.numero")),
    };
    let year = doc.school_year.unwrap_or_default();
    Ok(store.create_action_for(doc.id, kind, year, &porteur, &numero)?)
}

/// Current documents read without an identity whose porteur is `porteur` (tolerant, or
/// containing it).
pub fn unattached_documents(
    store: &Store,
    porteur: &str,
) -> Result<Vec<StoredDocument>, StoreError> {
    let wanted: String = key(porteur).into_iter().collect();
    Ok(store
        .current_actions()?
        .into_iter()
        .filter(|d| d.action.is_none() && d.status == Status::Archived)
        .filter(|d| {
            let name = d
                .extraction
                .as_ref()
                .and_then(|x| x.value("porteur.nom").as_text().map(str::to_string))
                .unwrap_or_default();
            same_name(&name, porteur)
                || (wanted.chars().count() >= 4
                    && key(&name).into_iter().collect::<String>().contains(&wanted))
        })
        .collect())
}

/// Once corrected, an action without a full identity takes the one its documents now give, or
/// joins the action that has it (when that one has no current document of the same forms).
/// Returns the action the documents now belong to.
pub(crate) fn settle_identity(
    store: &Store,
    checker: &Checker,
    action_id: i64,
) -> Result<i64, StoreError> {
    let actions = store.actions()?;
    let Some(action) = actions.iter().find(|a| a.id == action_id) else {
        return Ok(action_id);
    };
    if !action.porteur.trim().is_empty()
        && (action.kind == "territoire" || !action.numero.trim().is_empty())
    {
        return Ok(action_id);
    }
    let docs: Vec<StoredDocument> = store
        .history(action_id)?
        .into_iter()
        .filter(|d| d.current)
        .collect();
    let Some((kind, porteur, numero)) = docs
        .iter()
        .filter_map(|d| d.extraction.as_ref())
        .find_map(identity)
    else {
        return Ok(action_id);
    };
    let same = actions.iter().find(|a| {
        a.id != action_id
            && a.kind == kind
            && a.school_year == action.school_year
            && same_name(&a.porteur, &porteur)
            && (kind == "territoire" || same_number(&a.numero, &numero))
    });
    match same {
        Some(target) => {
            let taken = store
                .history(target.id)?
                .iter()
                .any(|t| t.current && docs.iter().any(|d| d.form == t.form));
            if taken {
                store.set_action_identity(action_id, &porteur, &numero)?;
                return Ok(action_id);
            }
            store.merge_action(action_id, target.id)?;
            refresh(store, checker, target.id)?;
            Ok(target.id)
        }
        None => {
            store.set_action_identity(action_id, &porteur, &numero)?;
            Ok(action_id)
        }
    }
}
