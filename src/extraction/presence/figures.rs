//! The figures of one collectif (docs/presence.md), derived from what its sheet says: the
//! one definition that the rules and the synthesis use, kept together so that a threshold or a
//! rate is changed in one place.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::extraction::{Collectif, Enfant};
use crate::holidays::week_has_weekday_holiday;
use crate::values::Date;

/// The attendance rate under which the JSON of a workbook counts a child as not regular
/// (`enfants_moins_50`, docs/presence.md). The rules and the synthesis take the profile's
/// `tolerances.assiduite` instead, through the same [`figures`].
pub const SEUIL_JSON: f64 = 0.5;

/// Two rates this close are equal (a child present at exactly half is not under half).
const EPS: f64 = 1e-9;

/// The figures of one collectif (docs/presence.md), as the JSON, the rules and the synthesis
/// use them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Children with at least one mark (present, absent or excused).
    pub nombre_enfants: usize,
    /// Sessions held.
    pub nombre_seances: usize,
    /// Distinct weeks (Monday to Sunday) with at least one session.
    pub semaines_avec_seance: usize,
    /// Usual rhythm: the median number of sessions over the weeks that have one.
    pub seances_par_semaine: Option<f64>,
    /// The usual rhythm the rules hold against the minimum: the median number of sessions over
    /// the weeks that have one and no weekday public holiday, and how many such weeks.
    pub rythme_habituel: Option<(f64, usize)>,
    /// Mean session length in hours.
    pub duree_moyenne_h: Option<f64>,
    /// Sessions whose length is known (the mean is over them).
    pub seances_avec_duree: usize,
    /// présent / (présent + absent + excusé), all children together.
    pub taux_presence: Option<f64>,
    /// The attendance rate [`figures`] was given: children under it are not regular.
    pub seuil_assiduite: f64,
    /// Children with marks present at less than `seuil_assiduite` of their marked sessions.
    pub enfants_sous_seuil: usize,
}

/// The figures of a collectif, children under `seuil_assiduite` (a rate, 0.5 = 50 %) counted
/// as not regular.
pub fn figures(c: &Collectif, seuil_assiduite: f64) -> Figures {
    let marked: Vec<&Enfant> = c
        .enfants
        .iter()
        .filter(|e| e.present + e.absent + e.excuse > 0)
        .collect();
    let weeks = sessions_by_week(c);
    let counts: Vec<usize> = weeks.iter().map(|(_, n)| *n).collect();
    // A week shortened by a public holiday does not count against the rhythm.
    let usual: Vec<usize> = weeks
        .iter()
        .filter(|(monday, _)| !week_has_weekday_holiday(monday.days()))
        .map(|(_, n)| *n)
        .collect();
    let lengths: Vec<f64> = c
        .seances
        .iter()
        .filter_map(|s| s.duree_h)
        .filter(|h| h.is_finite())
        .collect();
    let present: u32 = marked.iter().map(|e| e.present).sum();
    let all: u32 = marked.iter().map(|e| e.present + e.absent + e.excuse).sum();
    Figures {
        nombre_enfants: marked.len(),
        nombre_seances: c.seances.len(),
        semaines_avec_seance: weeks.len(),
        seances_par_semaine: median(&counts),
        rythme_habituel: median(&usual).map(|m| (m, usual.len())),
        duree_moyenne_h: (!lengths.is_empty())
            .then(|| lengths.iter().sum::<f64>() / lengths.len() as f64),
        seances_avec_duree: lengths.len(),
        taux_presence: (all > 0).then(|| present as f64 / all as f64),
        seuil_assiduite,
        enfants_sous_seuil: marked
            .iter()
            .filter(|e| {
                let rate = e.present as f64 / (e.present + e.absent + e.excuse) as f64;
                rate < seuil_assiduite - EPS
            })
            .count(),
    }
}

/// Sessions per week: the Monday of each week with a session, and how many it had.
pub fn sessions_by_week(c: &Collectif) -> Vec<(Date, usize)> {
    let mut weeks: BTreeMap<i64, usize> = BTreeMap::new();
    for s in &c.seances {
        *weeks.entry(s.date.week_start()).or_default() += 1;
    }
    weeks
        .into_iter()
        .map(|(monday, n)| (Date::from_days(monday), n))
        .collect()
}

pub(crate) fn median(values: &[usize]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extraction::Seance;
    use crate::extraction::presence::tests::d;

    fn enfant(p: u32, a: u32, e: u32) -> Enfant {
        Enfant {
            nom: "N".into(),
            prenom: "P".into(),
            niveau: String::new(),
            etablissement: String::new(),
            present: p,
            absent: a,
            excuse: e,
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[2, 1, 2]), Some(2.0));
        assert_eq!(median(&[1, 2]), Some(1.5));
    }

    #[test]
    fn figures_of_a_collectif() {
        let s = |day: u32, h: f64| Seance {
            date: d(2026, 11, day),
            duree_h: Some(h),
        };
        // Weeks: 2-8 Nov (2 sessions), 9-15 (1: 11 Nov), 16-22 (2), 23-29 (3).
        let c = Collectif {
            nom: "X".into(),
            seances: vec![
                s(2, 1.5),
                s(5, 1.5),
                s(9, 1.0),
                s(16, 2.0),
                s(19, 1.5),
                s(23, 1.5),
                s(24, 1.5),
                s(26, 1.5),
            ],
            enfants: vec![
                enfant(6, 2, 0),
                enfant(1, 2, 1),
                enfant(2, 2, 0),
                enfant(0, 0, 0),
            ],
            avertissements: Vec::new(),
        };
        let f = figures(&c, SEUIL_JSON);
        assert_eq!(f.nombre_enfants, 3, "a child without marks is not counted");
        assert_eq!(f.nombre_seances, 8);
        assert_eq!(f.semaines_avec_seance, 4);
        assert_eq!(f.seances_par_semaine, Some(2.0), "median of 1, 2, 2, 3");
        assert_eq!(f.duree_moyenne_h, Some(12.0 / 8.0));
        assert_eq!(f.taux_presence, Some(9.0 / 16.0));
        assert_eq!(f.enfants_sous_seuil, 1, "exactly 50 % is not under 50 %");
        assert_eq!(
            sessions_by_week(&c),
            vec![
                (d(2026, 11, 2), 2),
                (d(2026, 11, 9), 1),
                (d(2026, 11, 16), 2),
                (d(2026, 11, 23), 3)
            ]
        );
        let empty = figures(&Collectif::default(), SEUIL_JSON);
        assert_eq!(empty.seances_par_semaine, None);
        assert_eq!(empty.taux_presence, None);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["taux_presence"], serde_json::json!(0.5625));
        assert_eq!(json["seances_par_semaine"], serde_json::json!(2.0));
        assert!(json.get("avertissements").is_none());
    }
}
