//! A new version of a document arrives: the corrections made against an earlier version stay
//! applied when the new one says the same as that version of the field (or already says the
//! corrected value); otherwise they are put « à revoir » and no longer applied, never dropped
//! nor applied silently. Then the action's values in force and findings are brought up to date.

use super::apply::{read_extraction, read_key, refresh};
use crate::findings::Checker;
use crate::store::{Status, Store, StoreError, StoredDocument};

/// Called by the inbox once a document is in place as the current version of its action (one
/// indexed query when its action has no correction, as nearly all). Returns whether its
/// findings were checked again on values in force.
pub(crate) fn new_version(
    store: &Store,
    checker: &Checker,
    doc: &StoredDocument,
) -> Result<bool, StoreError> {
    let (Some(action), Some(form), Status::Archived) = (&doc.action, doc.form, &doc.status) else {
        return Ok(false);
    };
    let rows = store.correction_rows(Some(action.id))?;
    if rows.is_empty() {
        return Ok(false);
    }
    store.in_transaction(|store| {
        let read = read_extraction(store, doc)?;
        for r in rows
            .iter()
            .filter(|r| r.form == form.id() && r.status == "applied" && r.document_id != doc.id)
        {
            let field = read.as_ref().and_then(|x| x.get(&r.field));
            let now_key = read_key(field);
            let after: serde_json::Value =
                serde_json::from_str(&r.after).unwrap_or(serde_json::Value::Null);
            let says_corrected =
                field.is_some_and(|f| f.problem.is_none() && f.value.to_json() == after);
            if now_key != r.read_key && !says_corrected {
                store.set_correction_status(r.id, "review", Some(doc.id))?;
            }
        }
        refresh(store, checker, action.id)
    })?;
    Ok(true)
}
