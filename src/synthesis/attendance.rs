//! Attendance figures for the synthesis (docs/presence.md), counts and rates only, and the
//! masking of children's names in text that comes with an action.

use std::borrow::Cow;

use crate::extraction::{Collectif, Enfant, Extraction, presence};
use crate::text::fold_char;

/// What the synthesis shows of one collectif (or of a whole action, summed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Children with at least one mark (present, absent or excused).
    pub children: usize,
    pub sessions: usize,
    /// Distinct weeks (Monday to Sunday) with at least one session.
    pub weeks: usize,
    /// The usual rhythm: the median number of sessions over the weeks that have one.
    pub sessions_per_week: Option<f64>,
    /// Mean length of the sessions whose length is known, in hours.
    pub mean_length_h: Option<f64>,
    pub present: u64,
    pub absent: u64,
    pub excused: u64,
    /// Children present at less than the profile's attendance threshold
    /// (`tolerances.assiduite`) of their marked sessions.
    pub under_threshold: usize,
}

impl Figures {
    /// présent / (présent + absent + excusé).
    pub(crate) fn rate(&self) -> Option<f64> {
        let all = self.present + self.absent + self.excused;
        (all > 0).then(|| self.present as f64 / all as f64)
    }

    /// The figures of a collectif: those of [`presence::figures`] (one definition for the
    /// rules, the reports and the synthesis), plus the marks summed, which the department's
    /// rate is computed from.
    pub(crate) fn of(c: &Collectif, seuil_assiduite: f64) -> Figures {
        let p = presence::figures(c, seuil_assiduite);
        let mut f = Figures {
            children: p.nombre_enfants,
            sessions: p.nombre_seances,
            weeks: p.semaines_avec_seance,
            sessions_per_week: p.seances_par_semaine,
            mean_length_h: p.duree_moyenne_h,
            under_threshold: p.enfants_sous_seuil,
            ..Figures::default()
        };
        for e in &c.enfants {
            f.present += e.present as u64;
            f.absent += e.absent as u64;
            f.excused += e.excuse as u64;
        }
        f
    }

    /// The whole attendance workbook of an action: counts summed over its collectifs.
    pub(crate) fn of_action(presence: &Extraction, seuil_assiduite: f64) -> Option<Figures> {
        let collectifs = presence.collectifs.as_ref()?;
        let mut t = Figures::default();
        for f in collectifs.iter().map(|c| Figures::of(c, seuil_assiduite)) {
            t.children += f.children;
            t.sessions += f.sessions;
            t.present += f.present;
            t.absent += f.absent;
            t.excused += f.excused;
            t.under_threshold += f.under_threshold;
        }
        Some(t)
    }
}

/// Masks the children of an attendance workbook in text written beside it: « Prénom Nom » and
/// « Nom Prénom », compared without case or accents, as whole words. The rules do not quote
/// children; this is the safety net that keeps the promise if one ever does.
#[derive(Clone)]
pub(crate) struct Redactor {
    /// Folded names, longest first.
    names: Vec<Vec<char>>,
}

const MASK: &str = "(nom masqué)";

impl Redactor {
    /// The children of an action's attendance workbook.
    pub fn new(presence: Option<&Extraction>) -> Redactor {
        Redactor::of_children(
            presence
                .and_then(|p| p.collectifs.as_ref())
                .into_iter()
                .flatten()
                .flat_map(|c| c.enfants.iter()),
        )
    }

    pub(crate) fn of_children<'e>(enfants: impl Iterator<Item = &'e Enfant>) -> Redactor {
        let mut names: Vec<Vec<char>> = Vec::new();
        for e in enfants {
            let (nom, prenom) = (e.nom.trim(), e.prenom.trim());
            if nom.chars().count() < 2 || prenom.chars().count() < 2 {
                continue;
            }
            for full in [format!("{prenom} {nom}"), format!("{nom} {prenom}")] {
                let folded: Vec<char> = squash(&full).chars().map(fold_char).collect();
                if !names.contains(&folded) {
                    names.push(folded);
                }
            }
        }
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        Redactor { names }
    }

    pub fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.names.is_empty() {
            return Cow::Borrowed(text);
        }
        let chars: Vec<char> = text.chars().collect();
        // Folded with runs of spaces kept one-to-one: compare on a copy where every
        // whitespace char is a plain space and a name's single spaces match a run.
        let folded: Vec<char> = chars
            .iter()
            .map(|c| {
                if c.is_whitespace() {
                    ' '
                } else {
                    fold_char(*c)
                }
            })
            .collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let mut changed = false;
        'scan: while i < chars.len() {
            let starts_word = i == 0 || !folded[i - 1].is_alphanumeric();
            if starts_word {
                for name in &self.names {
                    if let Some(end) = match_at(&folded, i, name)
                        && (end == folded.len() || !folded[end].is_alphanumeric())
                    {
                        out.push_str(MASK);
                        i = end;
                        changed = true;
                        continue 'scan;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        if changed {
            Cow::Owned(out)
        } else {
            Cow::Borrowed(text)
        }
    }
}

/// Where `name` (single spaces) matches `text` from `at` (a space in the name matches a run of
/// spaces), the end of the match.
fn match_at(text: &[char], at: usize, name: &[char]) -> Option<usize> {
    let mut i = at;
    for &c in name {
        if c == ' ' {
            if text.get(i) != Some(&' ') {
                return None;
            }
            while text.get(i) == Some(&' ') {
                i += 1;
            }
        } else {
            if text.get(i) != Some(&c) {
                return None;
            }
            i += 1;
        }
    }
    Some(i)
}

/// Whitespace runs to one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extraction::Seance;
    use crate::values::Date;

    fn enfant(nom: &str, prenom: &str, p: u32, a: u32, e: u32) -> Enfant {
        Enfant {
            nom: nom.into(),
            prenom: prenom.into(),
            niveau: "CM1".into(),
            etablissement: "École".into(),
            present: p,
            absent: a,
            excuse: e,
        }
    }

    #[test]
    fn figures_of_a_collectif() {
        // Weeks: 3-4 Nov (2 sessions), 10 Nov (1), 17-18-20 Nov (3): median 2.
        let c = Collectif {
            nom: "A".into(),
            seances: [3, 4, 10, 17, 18, 20]
                .iter()
                .map(|&d| Seance {
                    date: Date::new(2025, 11, d).unwrap(),
                    duree_h: Some(1.5),
                })
                .collect(),
            enfants: vec![
                enfant("A", "B", 5, 1, 0),
                enfant("C", "D", 2, 3, 1),
                enfant("E", "F", 0, 0, 0),
            ],
            ..Collectif::default()
        };
        let f = Figures::of(&c, 0.5);
        assert_eq!(f.children, 2);
        assert_eq!(f.sessions, 6);
        assert_eq!(f.weeks, 3);
        assert_eq!(f.sessions_per_week, Some(2.0));
        assert_eq!(f.mean_length_h, Some(1.5));
        assert_eq!(f.under_threshold, 1);
        assert_eq!((f.present, f.absent, f.excused), (7, 4, 1));
        assert_eq!(f.rate(), Some(7.0 / 12.0));
        assert_eq!(f.rate(), presence::figures(&c, 0.5).taux_presence);
    }

    #[test]
    fn names_are_masked() {
        let enfants = [
            enfant("Dupont", "Léa", 1, 0, 0),
            enfant("Li", "Bo", 1, 0, 0),
        ];
        let r = Redactor::of_children(enfants.iter());
        assert_eq!(
            r.apply("Lea  DUPONT absente ; dupont léa aussi ; Léa Dupontel non"),
            "(nom masqué) absente ; (nom masqué) aussi ; Léa Dupontel non"
        );
        assert_eq!(r.apply("Bo Li, Boli"), "(nom masqué), Boli");
        assert!(matches!(r.apply("rien"), Cow::Borrowed(_)));
    }
}
