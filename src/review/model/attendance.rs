//! Attendance, counts and rates only: per action, its collectifs, children, sessions and
//! presence rate from its attendance workbook. Never a child's name: only figures leave the
//! extraction here.

use crate::config::Config;
use crate::dictionary::FormKind;
use crate::store::{Store, StoreError};
use crate::synthesis::Figures;

pub(crate) struct Row {
    pub(crate) action_id: Option<i64>,
    pub(crate) porteur: String,
    pub(crate) numero: String,
    pub(crate) year: Option<i32>,
    pub(crate) collectifs: usize,
    pub(crate) figures: Figures,
}

pub(crate) struct Attendance {
    pub(crate) seuil: f64,
    pub(crate) rows: Vec<Row>,
    /// All actions together.
    pub(crate) total: Figures,
}

impl Attendance {
    pub(crate) fn read(config: &Config, store: &Store) -> Result<Attendance, StoreError> {
        let seuil = crate::findings::load_profile(&config.profile, Some(&config.rules_dir()))
            .map_or(0.5, |p| p.tolerances.assiduite);
        let mut rows = Vec::new();
        let mut total = Figures::default();
        store.for_each_current_action(|d| {
            if d.form != Some(FormKind::Presence) {
                return;
            }
            let Some(x) = d.extraction else { return };
            let Some(figures) = Figures::of_action(&x, seuil) else {
                return;
            };
            total.children += figures.children;
            total.sessions += figures.sessions;
            total.present += figures.present;
            total.absent += figures.absent;
            total.excused += figures.excused;
            total.under_threshold += figures.under_threshold;
            let (porteur, numero, action_id) = match &d.action {
                Some(a) => (a.porteur.clone(), a.numero.clone(), Some(a.id)),
                None => (d.file_name.clone(), String::new(), None),
            };
            rows.push(Row {
                action_id,
                porteur,
                numero,
                year: d.school_year,
                collectifs: x.collectifs.as_ref().map_or(0, Vec::len),
                figures,
            });
        })?;
        Ok(Attendance { seuil, rows, total })
    }
}
