//! One attendance sheet read into a [`Collectif`], once its [`Layout`] is known: which rows
//! are children, which columns are sessions, each child's marks counted, each session's
//! length. What cannot be read is left out of the counts and said in the collectif's
//! `avertissements`, the cell named as Excel does, never quoting a child's name.

use super::headings::{Heading, heading};
use super::layout::{HeaderLabel, Layout, is_duration_label, is_legend, is_total, squash};
use super::marks::{Mark, NotAMark, parse_mark};
use super::{Options, cell, cell_ref, text, width};
use crate::document::{Cell, Table};
use crate::extraction::{Collectif, Enfant, Seance};
use crate::text::fold;
use crate::values::Date;

impl Layout {
    /// The collectif of this sheet, and whether a date needed the inferred school year.
    pub(super) fn read(&self, t: &Table, year: i32, options: &Options) -> (Collectif, bool) {
        let mut warnings: Vec<String> = Vec::new();
        let w = width(t);
        let nom = self
            .labels
            .iter()
            .find(|l| l.0 == HeaderLabel::Collectif && !l.3.is_empty())
            .map(|l| l.3.clone())
            .unwrap_or_else(|| t.name.trim().to_string());

        // Children rows first: which rows are children decides which marks count.
        let mut child_rows = Vec::new();
        for r in self.first_child_row..t.rows.len() {
            let nom_t = text(t, r, self.nom);
            let prenom_t = self.prenom.map(|c| text(t, r, c)).unwrap_or_default();
            let first = (0..=self.last_identity)
                .map(|c| text(t, r, c))
                .find(|s| !s.is_empty())
                .unwrap_or_default();
            if nom_t.is_empty() && prenom_t.is_empty() {
                if first.is_empty() || is_total(&first) || is_legend(&first) {
                    // A blank row, a total row labelled elsewhere, a legend.
                    let marks = (self.last_identity + 1..w)
                        .filter(|c| matches!(parse_mark(cell(t, r, *c)), Ok(Some(_))))
                        .count();
                    if first.is_empty() && marks > 0 {
                        warnings.push(format!(
                            "{} : ligne {} : {marks} marque(s) sans nom d'enfant, non comptées",
                            t.name,
                            r + 1
                        ));
                    }
                }
                continue;
            }
            if is_total(&nom_t) || is_legend(&nom_t) || is_duration_label(&nom_t) {
                continue;
            }
            child_rows.push(r);
        }

        // Session columns.
        let mut uses_inferred = false;
        let mut sessions: Vec<(usize, Date)> = Vec::new();
        for c in self.last_identity + 1..w {
            let date = match self.column_date(t, c, year) {
                Ok(d) => d,
                Err(msg) => {
                    warnings.push(msg);
                    continue;
                }
            };
            let marks: Vec<(usize, Result<Option<Mark>, NotAMark>)> = child_rows
                .iter()
                .map(|r| (*r, parse_mark(cell(t, *r, c))))
                .collect();
            let valid = marks
                .iter()
                .filter(|(_, m)| matches!(m, Ok(Some(_))))
                .count();
            let head = text(t, self.day_row, c);
            let Some(date) = date else {
                let head_above = self
                    .months
                    .get(c)
                    .copied()
                    .flatten()
                    .is_some()
                    .then(String::new)
                    .unwrap_or_else(|| text(t, self.header_row, c));
                let label = if head.is_empty() { head_above } else { head };
                if valid > 0 && !is_total(&label) && squash(&label).is_empty() {
                    warnings.push(format!(
                        "{} : colonne sans date de séance mais avec {valid} marque(s) : colonne ignorée",
                        cell_ref(&t.name, self.day_row, c)
                    ));
                } else if valid > 0 && !is_total(&label) && looks_like_session(&label) {
                    warnings.push(format!(
                        "{} : en-tête « {} » : pas une date lisible, colonne ignorée",
                        cell_ref(&t.name, self.day_row, c),
                        short(&label)
                    ));
                }
                continue;
            };
            if !matches!(heading(cell(t, self.day_row, c)), Heading::Date(_))
                && !matches!(self.months.get(c).copied().flatten(), Some((Some(_), _)))
            {
                uses_inferred = true;
            }
            if valid == 0 {
                let written: Vec<String> = marks
                    .iter()
                    .filter(|(_, m)| m.is_err())
                    .map(|(r, _)| text(t, *r, c))
                    .collect();
                let why = match written.first() {
                    Some(s) => format!("aucune marque lisible (« {} »)", short(s)),
                    None => "aucune marque".to_string(),
                };
                if !child_rows.is_empty() {
                    warnings.push(format!(
                        "{} : séance du {} : {why}, séance non comptée",
                        cell_ref(&t.name, self.day_row, c),
                        date.french()
                    ));
                }
                continue;
            }
            for (r, m) in &marks {
                if m.is_err() {
                    warnings.push(format!(
                        "{} : marque illisible « {} » (attendu P, A, E ou vide) : non comptée",
                        cell_ref(&t.name, *r, c),
                        short(&text(t, *r, c))
                    ));
                }
            }
            sessions.push((c, date));
        }

        let seances = sessions
            .iter()
            .map(|(c, date)| {
                let duree = match self.duration_row {
                    Some((r, minutes)) => match cell(t, r, *c) {
                        Cell::Empty => options.duree_defaut_h,
                        v => parse_hours(v, minutes).unwrap_or_else(|| {
                            warnings.push(format!(
                                "{} : durée illisible « {} » : {} retenue",
                                cell_ref(&t.name, r, *c),
                                short(&v.text()),
                                crate::values::format_number(options.duree_defaut_h) + " h"
                            ));
                            options.duree_defaut_h
                        }),
                    },
                    None => options.duree_defaut_h,
                };
                Seance {
                    date: *date,
                    duree_h: Some(duree),
                }
            })
            .collect();

        let enfants = child_rows
            .iter()
            .map(|r| {
                let mut e = Enfant {
                    nom: text(t, *r, self.nom),
                    prenom: self.prenom.map(|c| text(t, *r, c)).unwrap_or_default(),
                    niveau: self.niveau.map(|c| text(t, *r, c)).unwrap_or_default(),
                    etablissement: self
                        .etablissement
                        .map(|c| text(t, *r, c))
                        .unwrap_or_default(),
                    present: 0,
                    absent: 0,
                    excuse: 0,
                };
                for (c, _) in &sessions {
                    match parse_mark(cell(t, *r, *c)) {
                        Ok(Some(Mark::Present)) => e.present += 1,
                        Ok(Some(Mark::Absent)) => e.absent += 1,
                        Ok(Some(Mark::Excuse)) => e.excuse += 1,
                        _ => {}
                    }
                }
                e
            })
            .collect();

        let mut avertissements = warnings;
        avertissements.dedup();
        (
            Collectif {
                nom,
                seances,
                enfants,
                avertissements,
            },
            uses_inferred,
        )
    }
}

fn looks_like_session(label: &str) -> bool {
    let k = squash(label);
    k.starts_with("seance")
        || k.starts_with("date")
        || k.starts_with("jour")
        || k.chars().any(|c| c.is_ascii_digit())
}

/// What a respondent wrote, cut short: warnings quote marks, never whole cells.
fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 20 {
        format!("{}…", s.chars().take(20).collect::<String>())
    } else {
        s.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Session lengths

/// A length in hours: `1,5`, `1.5 h`, `1:30`, `1 h 30`, `1h`, `90 min`. A bare number above 12
/// is minutes.
fn parse_hours(cell: &Cell, minutes: bool) -> Option<f64> {
    let h = match cell {
        Cell::Number(n) if minutes => n / 60.0,
        Cell::Number(n) if *n > 12.0 => n / 60.0,
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let f: String = fold(t).chars().filter(|c| !c.is_whitespace()).collect();
            let f = f.replace(',', ".");
            if let Some((h, m)) = f.split_once(':') {
                let h: f64 = h.parse().ok()?;
                let m: f64 = m.split(':').next()?.parse().ok()?;
                h + m / 60.0
            } else if let Some(m) = f
                .strip_suffix("minutes")
                .or_else(|| f.strip_suffix("min"))
                .or_else(|| f.strip_suffix("mn"))
            {
                m.parse::<f64>().ok()? / 60.0
            } else if let Some((h, rest)) = f.split_once('h') {
                let h: f64 = h.parse().ok()?;
                let m = rest
                    .trim_start_matches("eures")
                    .trim_start_matches("eure")
                    .trim_end_matches("min")
                    .trim_end_matches("mn");
                if m.is_empty() {
                    h
                } else {
                    h + m.parse::<f64>().ok()? / 60.0
                }
            } else {
                let n: f64 = f.parse().ok()?;
                if minutes || n > 12.0 { n / 60.0 } else { n }
            }
        }
        _ => return None,
    };
    (h.is_finite() && h > 0.0 && h <= 12.0).then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extraction::presence::tests::{n, t};

    #[test]
    fn session_lengths() {
        for (s, h) in [
            ("1,5", 1.5),
            ("1.5", 1.5),
            ("1:30", 1.5),
            ("01:30", 1.5),
            ("1 h 30", 1.5),
            ("1h30", 1.5),
            ("2 h", 2.0),
            ("2 heures", 2.0),
            ("90 min", 1.5),
            ("1,5 h", 1.5),
        ] {
            assert_eq!(parse_hours(&t(s), false), Some(h), "{s}");
        }
        assert_eq!(parse_hours(&n(1.5), false), Some(1.5));
        assert_eq!(parse_hours(&n(90.0), false), Some(1.5));
        assert_eq!(parse_hours(&n(90.0), true), Some(1.5));
        assert_eq!(parse_hours(&t("une heure"), false), None);
        assert_eq!(parse_hours(&n(0.0), false), None);
    }
}
