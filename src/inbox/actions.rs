//! Which action and school year a document belongs to, and the actions already known, indexed
//! so that a document finds its action among the few that could match, not among every action
//! of the département.

use std::collections::HashMap;

use crate::dictionary::FormKind;
use crate::extraction::Extraction;
use crate::findings;
use crate::store::{self, Store, StoreError};

/// An action's id and its porteur's folded name ([`crate::text::key`]).
type Keyed = (i64, Vec<char>);

/// The actions known, grouped by what must match exactly ([`findings::identity::bucket`]),
/// with their porteur's folded name: a document is compared with the few actions of its
/// group, not with every action of the département.
pub(super) struct ActionIndex {
    groups: HashMap<(i32, String), Vec<Keyed>>,
    /// Every action known, as first received (what reports and log lines name).
    pub(super) refs: HashMap<i64, store::ActionRef>,
}

impl ActionIndex {
    pub(super) fn load(store: &Store) -> Result<ActionIndex, StoreError> {
        let mut all = store.actions()?;
        // Of two matching actions, the oldest wins.
        all.sort_by_key(|a| a.id);
        let mut index = ActionIndex {
            groups: HashMap::new(),
            refs: HashMap::new(),
        };
        for a in all {
            index.add(a);
        }
        Ok(index)
    }

    pub(super) fn add(&mut self, a: store::ActionRef) {
        if let Some(group) = findings::identity::bucket(&a.kind, &a.porteur, &a.numero) {
            self.groups
                .entry((a.school_year, group))
                .or_default()
                .push((a.id, crate::text::key(&a.porteur)));
        }
        self.refs.insert(a.id, a);
    }

    pub(super) fn find(&self, kind: &str, year: i32, porteur: &str, numero: &str) -> Option<i64> {
        let group = findings::identity::bucket(kind, porteur, numero)?;
        let key = crate::text::key(porteur);
        self.groups
            .get(&(year, group))?
            .iter()
            .find(|(_, k)| findings::identity::same_name_key(k, &key))
            .map(|(id, _)| *id)
    }
}

pub(super) fn partner_form(form: FormKind) -> Option<FormKind> {
    match form {
        FormKind::Bilan => Some(FormKind::Presence),
        FormKind::Presence => Some(FormKind::Bilan),
        FormKind::NoteStrategique => None,
    }
}

/// What identifies the action of a document: kind, porteur (or territory), action number.
pub(crate) fn identity(x: &Extraction) -> Option<(&'static str, String, String)> {
    let text = |id: &str| {
        let v = x.value(id);
        v.as_text()
            .map(|t| t.trim().to_string())
            .or_else(|| v.as_f64().map(|n| n.to_string()))
            .filter(|t| !t.is_empty())
    };
    match x.form {
        FormKind::NoteStrategique => Some(("territoire", text("territoire.nom")?, String::new())),
        _ => Some(("action", text("porteur.nom")?, text("action.numero")?)),
    }
}

/// The school year a document is about: the start of the action (bilan), the first session
/// (attendance workbook), the meeting (note stratégique).
pub(crate) fn document_year(x: &Extraction) -> Option<i32> {
    let date = |id: &str| x.value(id).as_date();
    let d = match x.form {
        FormKind::Bilan => date("calendrier.debut").or_else(|| date("calendrier.fin")),
        FormKind::NoteStrategique => date("concertation.date"),
        FormKind::Presence => x
            .collectifs
            .iter()
            .flatten()
            .flat_map(|c| c.seances.iter().map(|s| s.date))
            .min(),
    };
    d.map(|d| d.school_year())
}
