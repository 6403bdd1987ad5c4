//! Where things are on an attendance sheet: the header block (`Porteur :`, `Action N° :`…,
//! label then value), the table's header row and its identity columns (`Nom`, `Prénom`,
//! `Niveau`, `Établissement`), the session columns to their right and the rows under them. A
//! sheet without that table says what it lacks, for the message that tells the agent why the
//! workbook is not an attendance workbook.

use super::headings::{ColumnMonth, Heading, day_and_month_rows, heading, school_year_in, year_of};
use super::{cell, cell_ref, text, width};
use crate::document::{Cell, Place, Table};
use crate::extraction::Source;
use crate::text::fold;
use crate::values::{Date, parse_number};

// ---------------------------------------------------------------------------------------------
// Labels

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeaderLabel {
    Porteur,
    Action,
    Collectif,
    Lieu,
    Accompagnateurs,
    Annee,
}

/// Letters and digits only, folded: « Action N° : » → `actionn°`.
pub(super) fn squash(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '°')
        .collect()
}

fn header_label(text: &str) -> Option<HeaderLabel> {
    let k = squash(text);
    if k.is_empty() || k.len() > 40 {
        return None;
    }
    let starts = |p: &[&str]| p.iter().any(|p| k.starts_with(p));
    if starts(&["porteur", "nomduporteur", "structureporteuse", "organisme"]) || k == "structure" {
        Some(HeaderLabel::Porteur)
    } else if (k.starts_with("action") && k.len() <= 14)
        || starts(&[
            "n°action",
            "n°daction",
            "numerodaction",
            "numeroaction",
            "noaction",
        ])
    {
        Some(HeaderLabel::Action)
    } else if starts(&["collectif", "nomducollectif", "groupe"]) {
        Some(HeaderLabel::Collectif)
    } else if starts(&["lieu"]) {
        Some(HeaderLabel::Lieu)
    } else if starts(&["accompagnat", "intervenant", "encadr", "animat", "benevole"]) {
        Some(HeaderLabel::Accompagnateurs)
    } else if starts(&["anneescolaire"]) || k == "annee" {
        Some(HeaderLabel::Annee)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Nom,
    NomPrenom,
    Prenom,
    Niveau,
    Etablissement,
}

fn column_label(text: &str) -> Option<Column> {
    let k = squash(text);
    let starts = |p: &[&str]| p.iter().any(|p| k.starts_with(p));
    if starts(&["nomprenom", "nometprenom", "nomsetprenoms", "nomsprenoms"]) {
        Some(Column::NomPrenom)
    } else if matches!(
        k.as_str(),
        "nom" | "noms" | "nomdelenfant" | "nomenfant" | "nomdefamille" | "nomdelelevequot"
    ) || k == "nomdeleleve"
    {
        Some(Column::Nom)
    } else if starts(&["prenom"]) {
        Some(Column::Prenom)
    } else if starts(&["niveau", "classe"]) {
        Some(Column::Niveau)
    } else if starts(&["etablissement", "ecole", "college", "lycee"]) {
        Some(Column::Etablissement)
    } else {
        None
    }
}

/// The first word of a text, folded: « Total présents » → `total`.
fn first_word(text: &str) -> String {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_string()
}

/// Totals, counts and rates written beside or under the table. Whole words only: a child
/// named Sommer or Tauxier is a child.
pub(super) fn is_total(text: &str) -> bool {
    let w = first_word(text);
    matches!(
        w.as_str(),
        "total"
            | "totaux"
            | "soustotal"
            | "sous"
            | "nombre"
            | "nbre"
            | "nb"
            | "effectif"
            | "effectifs"
            | "moyenne"
            | "taux"
            | "cumul"
            | "somme"
            | "presences"
            | "presents"
            | "absences"
            | "absents"
            | "pourcentage"
    ) || text.trim() == "%"
}

pub(super) fn is_legend(text: &str) -> bool {
    matches!(first_word(text).as_str(), "legende" | "code" | "codes") || text.contains('=')
}

pub(super) fn is_duration_label(text: &str) -> bool {
    let k = squash(text);
    k.starts_with("duree") || k.starts_with("nombredheures") || k.starts_with("heures")
}

// ---------------------------------------------------------------------------------------------
// One sheet

pub(super) struct Missing {
    pub(super) score: f64,
    pub(super) missing: Vec<String>,
}

/// Where things are on an attendance sheet.
pub(super) struct Layout {
    /// The row of `Nom | Prénom | …`.
    pub(super) header_row: usize,
    pub(super) nom: usize,
    pub(super) prenom: Option<usize>,
    pub(super) niveau: Option<usize>,
    pub(super) etablissement: Option<usize>,
    /// The last identity column: sessions are to its right.
    pub(super) last_identity: usize,
    /// The row holding each session's day (the header row, or the one under a month heading).
    pub(super) day_row: usize,
    /// Month row above the day row, per column (carried over merged or blank cells).
    pub(super) months: Vec<ColumnMonth>,
    pub(super) duration_row: Option<(usize, bool)>,
    pub(super) first_child_row: usize,
    pub(super) labels: Vec<(HeaderLabel, usize, usize, String)>,
    pub(super) porteur: Option<(String, Source)>,
    pub(super) action: Option<(String, Source)>,
}

impl Layout {
    pub(super) fn find(t: &Table, index: usize) -> Result<Layout, Missing> {
        let Some((header_row, cols)) = find_header_row(t) else {
            return Err(missing(t));
        };
        let get = |k: Column| cols.iter().find(|(c, _)| *c == k).map(|(_, i)| *i);
        let (nom, prenom) = match (
            get(Column::Nom),
            get(Column::Prenom),
            get(Column::NomPrenom),
        ) {
            (Some(n), p, _) => (n, p),
            (None, _, Some(np)) => (np, None),
            _ => return Err(missing(t)),
        };
        let niveau = get(Column::Niveau);
        let etablissement = get(Column::Etablissement);
        let last_identity = cols.iter().map(|(_, i)| *i).max().unwrap_or(nom);
        let (day_row, months) = day_and_month_rows(t, header_row, last_identity);

        // The `Durée (h)` row, right under the days (a blank row in between is tolerated).
        let mut duration_row = None;
        for r in day_row + 1..=day_row + 2 {
            let label = (0..=last_identity)
                .map(|c| text(t, r, c))
                .find(|s| !s.is_empty());
            if let Some(label) = label {
                if is_duration_label(&label) {
                    let k = squash(&label);
                    let minutes = k.contains("min") && !k.contains("h");
                    duration_row = Some((r, minutes));
                }
                break;
            }
        }
        let first_child_row = duration_row.map(|(r, _)| r + 1).unwrap_or(day_row + 1);

        let mut labels = Vec::new();
        for r in 0..header_row {
            let Some(c) = (0..t.rows[r].len()).find(|c| !text(t, r, *c).is_empty()) else {
                continue;
            };
            let first = text(t, r, c);
            // `Porteur : Association …` in one cell, or label then value.
            let (label, inline) = match first.split_once(':') {
                Some((l, v)) if !v.trim().is_empty() => (l.to_string(), Some(v.trim().to_string())),
                _ => (first.clone(), None),
            };
            let Some(kind) = header_label(&label) else {
                continue;
            };
            let value = match inline {
                Some(v) => Some((v, c)),
                None => (c + 1..t.rows[r].len())
                    .map(|cc| (text(t, r, cc), cc))
                    .find(|(s, _)| !s.is_empty()),
            };
            if let Some((v, vc)) = value {
                labels.push((kind, r, vc, v));
            } else {
                labels.push((kind, r, c, String::new()));
            }
        }
        let header_field = |kind: HeaderLabel, locator: &str| -> Option<(String, Source)> {
            labels
                .iter()
                .find(|l| l.0 == kind && !l.3.is_empty())
                .map(|(_, r, c, v)| {
                    (
                        v.clone(),
                        Source {
                            place: Place::Cell {
                                table: index + 1,
                                row: r + 1,
                                col: c + 1,
                            },
                            locator: format!(
                                "libellé « {locator} » ({})",
                                cell_ref(&t.name, *r, *c)
                            ),
                        },
                    )
                })
        };
        let porteur = header_field(HeaderLabel::Porteur, "Porteur :");
        let action = header_field(HeaderLabel::Action, "Action N° :");
        Ok(Layout {
            header_row,
            nom,
            prenom,
            niveau,
            etablissement,
            last_identity,
            day_row,
            months,
            duration_row,
            first_child_row,
            labels,
            porteur,
            action,
        })
    }

    pub(super) fn header_ref(&self, t: &Table, what: &str) -> String {
        let kind = if what == "porteur" {
            HeaderLabel::Porteur
        } else {
            HeaderLabel::Action
        };
        self.labels
            .iter()
            .find(|l| l.0 == kind)
            .map(|(_, r, c, _)| cell_ref(&t.name, *r, *c))
            .unwrap_or_else(|| t.name.clone())
    }

    /// `Année scolaire : 2026-2027`, or a school year in a title above the table.
    pub(super) fn declared_year(&self, t: &Table) -> Option<i32> {
        if let Some((_, _, _, v)) = self.labels.iter().find(|l| l.0 == HeaderLabel::Annee) {
            if let Some(y) = school_year_in(v) {
                return Some(y);
            }
            if let Some(crate::values::Number::Integer(y)) = parse_number(v)
                && (2000..2100).contains(&y)
            {
                return Some(y as i32);
            }
        }
        (0..self.header_row).find_map(|r| {
            t.rows[r]
                .iter()
                .filter_map(|c| match c {
                    Cell::Text(s) => school_year_in(s),
                    _ => None,
                })
                .next()
        })
    }

    pub(super) fn first_full_date(&self, t: &Table) -> Option<Date> {
        (self.last_identity + 1..width(t)).find_map(|c| match heading(cell(t, self.day_row, c)) {
            Heading::Date(d) => Some(d),
            _ => match self.months.get(c).copied().flatten() {
                Some((Some(y), m)) => Date::new(y, m, 1),
                _ => None,
            },
        })
    }

    /// Whether the sheet has sessions: a column headed by a date, a column of attendance
    /// marks under the children (`P`, `A`, `X`… and nothing else), or the reference layout's
    /// `Durée (h)` row (a blank cahier, its sessions still to come). A list of people
    /// (`Nom et prénom | Fonction | Téléphone`) has none of these: it is not a collectif.
    pub(super) fn has_sessions(&self, t: &Table) -> bool {
        if self.duration_row.is_some() || self.date_columns(t) > 0 {
            return true;
        }
        let rows = self.first_child_row..t.rows.len();
        (self.last_identity + 1..width(t)).any(|c| {
            if is_total(&text(t, self.day_row, c)) {
                return false;
            }
            let mut marks = 0;
            for r in rows.clone() {
                match super::marks::parse_mark(cell(t, r, c)) {
                    Ok(Some(_)) => marks += 1,
                    Ok(None) => {}
                    Err(_) => return false,
                }
            }
            marks > 0
        })
    }

    /// How many columns are headed by a date (or a day under a month).
    pub(super) fn date_columns(&self, t: &Table) -> usize {
        (self.last_identity + 1..width(t))
            .filter(|c| match heading(cell(t, self.day_row, *c)) {
                Heading::Date(_) | Heading::DayMonth(..) => true,
                Heading::Day(_) => self.months.get(*c).copied().flatten().is_some(),
                _ => false,
            })
            .count()
    }

    /// The date of a session column, if it is one.
    pub(super) fn column_date(
        &self,
        t: &Table,
        c: usize,
        year: i32,
    ) -> Result<Option<Date>, String> {
        let month = self.months.get(c).copied().flatten();
        let h = heading(cell(t, self.day_row, c));
        let h = match (h, month) {
            // Under a month row, a number is a day even where it could be a serial date.
            (Heading::Date(_), Some(_)) if matches!(cell(t, self.day_row, c), Cell::Number(_)) => {
                match cell(t, self.day_row, c) {
                    Cell::Number(n) => Heading::Day(*n as u32),
                    _ => h,
                }
            }
            _ => h,
        };
        let (y, m, d) = match h {
            Heading::Date(d) => return Ok(Some(d)),
            Heading::DayMonth(d, m) => (None, m, d),
            Heading::Day(d) => match month {
                Some((y, m)) => (y, m, d),
                None => return Ok(None),
            },
            Heading::Month(..) | Heading::Other => return Ok(None),
        };
        let y = y.unwrap_or_else(|| year_of(m, year));
        Date::new(y, m, d).map(Some).ok_or_else(|| {
            format!(
                "{} : « {} » n'est pas une date valide ({d}/{m}/{y}) : colonne ignorée",
                cell_ref(&t.name, self.day_row, c),
                text(t, self.day_row, c)
            )
        })
    }
}

/// The row `Nom | Prénom | …`, and where each of its columns is.
fn find_header_row(t: &Table) -> Option<(usize, Vec<(Column, usize)>)> {
    for (r, row) in t.rows.iter().enumerate() {
        let mut cols: Vec<(Column, usize)> = Vec::new();
        for (c, v) in row.iter().enumerate() {
            let Cell::Text(s) = v else { continue };
            if let Some(k) = column_label(s)
                && !cols.iter().any(|(x, _)| *x == k)
            {
                // The identity columns come before the sessions, close together.
                if let Some((_, last)) = cols.last()
                    && c > last + 3
                {
                    break;
                }
                if cols.is_empty() && !matches!(k, Column::Nom | Column::NomPrenom) {
                    continue;
                }
                cols.push((k, c));
            }
        }
        let has_name = cols
            .iter()
            .any(|(k, _)| matches!(k, Column::Nom | Column::NomPrenom));
        let has_first = cols.iter().any(|(k, _)| *k == Column::Prenom)
            || cols.iter().any(|(k, _)| *k == Column::NomPrenom);
        if has_name && has_first {
            return Some((r, cols));
        }
    }
    None
}

/// What a sheet that is not an attendance sheet lacks.
pub(super) fn missing(t: &Table) -> Missing {
    let mut found_labels = Vec::new();
    let mut found_cols = Vec::new();
    for row in &t.rows {
        for v in row {
            if let Cell::Text(s) = v {
                let label = s.split(':').next().unwrap_or(s);
                if let Some(l) = header_label(label)
                    && !found_labels.contains(&l)
                {
                    found_labels.push(l);
                }
                if let Some(c) = column_label(s)
                    && !found_cols.contains(&c)
                {
                    found_cols.push(c);
                }
            }
        }
    }
    let mut missing = Vec::new();
    for (l, name) in [
        (HeaderLabel::Porteur, "« Porteur : »"),
        (HeaderLabel::Action, "« Action N° : »"),
        (HeaderLabel::Collectif, "« Collectif : »"),
        (HeaderLabel::Lieu, "« Lieu : »"),
        (HeaderLabel::Accompagnateurs, "« Accompagnateurs : »"),
    ] {
        if !found_labels.contains(&l) {
            missing.push(name.to_string());
        }
    }
    for (c, name) in [
        (Column::Nom, "colonne « Nom »"),
        (Column::Prenom, "colonne « Prénom »"),
        (Column::Niveau, "colonne « Niveau »"),
        (Column::Etablissement, "colonne « Établissement »"),
    ] {
        if !found_cols.contains(&c) {
            missing.push(name.to_string());
        }
    }
    Missing {
        score: (9 - missing.len()) as f64 / 9.0,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_legends_are_whole_words() {
        for total in [
            "Total",
            "TOTAL présents",
            "Sous-total",
            "Nb présences",
            "Taux",
            "%",
            "Présents",
        ] {
            assert!(is_total(total), "{total}");
        }
        for name in ["Sommer", "Tauxier", "Nbaye", "Totti", "Présent-Martin"] {
            assert!(!is_total(name), "{name}");
        }
        assert!(is_legend("Légende : P = présent"));
        assert!(!is_legend("Codet"));
    }
}
