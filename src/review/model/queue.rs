//! The queue « À revoir »: what needs an agent, most serious first — errors, refused files to
//! enter by hand, corrections to check again after a new version, then unreadable or missing
//! values and points to check.

use super::local_date;
use crate::config::Config;
use crate::dictionary;
use crate::findings::Severity;
use crate::store::{Status, Store, StoreError};

/// How serious an item is: the queue's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Rank {
    Error,
    Refused,
    Correction,
    Warning,
}

impl Rank {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Rank::Error => "Erreur",
            Rank::Refused => "Fichier refusé",
            Rank::Correction => "Correction à revoir",
            Rank::Warning => "À vérifier",
        }
    }
    pub(crate) fn class(self) -> &'static str {
        match self {
            Rank::Error => "err",
            Rank::Refused => "ref",
            Rank::Correction => "warn",
            Rank::Warning => "warn",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) rank: Rank,
    pub(crate) porteur: String,
    pub(crate) numero: String,
    pub(crate) action_id: Option<i64>,
    pub(crate) document_id: i64,
    pub(crate) file_name: String,
    /// The field concerned (the first one a finding names), and its question.
    pub(crate) field: Option<(String, String)>,
    /// What the rule (or the refusal) says.
    pub(crate) title: String,
    pub(crate) message: String,
}

/// The queue, most serious first, then by porteur and action.
pub(crate) fn read(
    config: &Config,
    store: &Store,
    corrections: Vec<Item>,
) -> Result<Vec<Item>, StoreError> {
    let year = config.today.school_year();
    let mut items = corrections;
    store.for_each_document_light(|d| {
        let (porteur, numero, action_id) = match &d.action {
            Some(a) => (a.porteur.clone(), a.numero.clone(), Some(a.id)),
            None => (String::new(), String::new(), None),
        };
        if let Status::Rejected { reason } = &d.status {
            // Refused this school year: a scan, an unreadable file, to enter by hand.
            if local_date(&d.received_at).is_some_and(|t| t.school_year() == year) {
                items.push(Item {
                    rank: Rank::Refused,
                    porteur,
                    numero,
                    action_id,
                    document_id: d.id,
                    file_name: d.file_name.clone(),
                    field: None,
                    title: "Saisie manuelle nécessaire".into(),
                    message: reason.clone(),
                });
            }
            return;
        }
        if !d.current {
            return;
        }
        for f in &d.findings {
            let rank = match f.severity {
                Severity::Error => Rank::Error,
                Severity::Warning => Rank::Warning,
                Severity::Info => continue,
            };
            let field = f.fields.first().map(|id| {
                let label = d
                    .form
                    .and_then(|form| dictionary::field(form, id))
                    .map_or_else(|| id.clone(), |def| def.label.clone());
                (id.clone(), label)
            });
            items.push(Item {
                rank,
                porteur: porteur.clone(),
                numero: numero.clone(),
                action_id,
                document_id: d.id,
                file_name: d.file_name.clone(),
                field,
                title: crate::findings::registry::get(&f.rule)
                    .map_or_else(|| f.rule.clone(), |r| r.label.to_string()),
                message: f.message.clone(),
            });
        }
    })?;
    items.sort_by(|a, b| {
        (a.rank, a.porteur.to_lowercase(), &a.numero, a.document_id).cmp(&(
            b.rank,
            b.porteur.to_lowercase(),
            &b.numero,
            b.document_id,
        ))
    });
    Ok(items)
}
