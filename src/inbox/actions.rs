//! The actions already known, indexed so that a document finds its action among the few that
//! could match, not among every action of the département.

use std::collections::HashMap;

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
