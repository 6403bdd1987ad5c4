//! What a document's report says of the agents' corrections: the values corrected (the checks
//! are made on them), those waiting to be reviewed, and a manual record.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::{display_value, status_label};
use crate::dictionary::{self, FieldType};
use crate::extraction::Value;
use crate::store::{Store, StoreError, StoredDocument};

/// The lines of the report about corrections; empty when the document has none.
pub(crate) fn report_lines(store: &Store, doc: &StoredDocument) -> Result<String, StoreError> {
    let (Some(action), Some(form)) = (&doc.action, doc.form) else {
        return Ok(String::new());
    };
    if !doc.current {
        return Ok(String::new());
    }
    let rows = store.correction_rows(Some(action.id))?;
    let mut t = String::new();
    if store.is_manual(doc.id)? {
        t += "Saisie manuelle : clas n'a pas pu lire ce fichier ; ses valeurs ont été tapées par un agent.\n";
    }
    let mine: Vec<_> = rows.iter().filter(|r| r.form == form.id()).collect();
    let mut in_force = BTreeMap::new();
    for r in mine.iter().filter(|r| r.status == "applied") {
        in_force.insert(r.field.as_str(), *r);
    }
    let shown = |field: &str, json: &str| {
        let kind = dictionary::field(form, field)
            .map(|d| d.kind)
            .unwrap_or(FieldType::Text);
        let v = Value::from_json(kind, &serde_json::from_str(json).unwrap_or(Json::Null));
        if v == Value::Null {
            "(vide)".to_string()
        } else {
            display_value(kind, &v)
        }
    };
    let date = |at: &str| {
        crate::values::parse_date(at.get(..10).unwrap_or(at))
            .map(|d| d.french())
            .unwrap_or_else(|| at.to_string())
    };
    if !in_force.is_empty() {
        t += "Valeurs corrigées par un agent (les contrôles portent sur elles) :\n";
        for r in in_force.values() {
            t += &format!(
                "  {} : {} → {}, par {} le {} : {}\n",
                r.field,
                shown(&r.field, &r.before),
                shown(&r.field, &r.after),
                r.author,
                date(&r.at),
                r.motif
            );
        }
    }
    let review: Vec<_> = mine.iter().filter(|r| r.status == "review").collect();
    if !review.is_empty() {
        t += &format!(
            "Corrections {} : cette version dit autre chose que celle qui avait été corrigée ; la valeur lue s'applique tant qu'un agent n'a pas corrigé à nouveau le champ :\n",
            status_label("review")
        );
        for r in review {
            t += &format!(
                "  {} : corrigé en {} par {} le {} ({})\n",
                r.field,
                shown(&r.field, &r.after),
                r.author,
                date(&r.at),
                r.motif
            );
        }
    }
    Ok(t)
}
