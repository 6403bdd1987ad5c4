//! Attendance workbooks (docs/presence.md): a spreadsheet [`Document`] becomes an
//! [`Extraction`] of form `presence`, one [`Collectif`] per sheet that holds an attendance
//! table, with the figures the rules and the synthesis use ([`figures`]).
//!
//! What is read, sheet by sheet:
//! - the header block, label then value on one row (`Porteur :`, `Action N° :`,
//!   `Collectif :`, `Lieu :`, `Accompagnateurs :`, `Année scolaire :`), anywhere above the
//!   table, labels compared without case, accents, spaces or colon;
//! - the table header row: `Nom`, `Prénom`, `Niveau`, `Établissement`, then one column per
//!   session headed by its date: a real date, a text date (`14/11/2026`, `lun. 14/11/2026`,
//!   `14/11`, `14 nov.`), or a day number under a month row (« novembre 2026 » over its days,
//!   merged or written once);
//! - an optional `Durée (h)` row under the header: each session's length (`1,5`, `1:30`,
//!   `1 h 30`, `90 min`), else [`Options::duree_defaut_h`];
//! - one row per child, a mark per session: `P`, `X`, `1`, `✓` (present), `A`, `0`, `abs`
//!   (absent), `E` (excused), empty (not registered), in any case.
//!
//! Blank rows and columns, a title, a total column or row, legends and trailing rows are
//! passed over. What cannot be read is not fatal: it is left out of the counts and said in the
//! collectif's `avertissements`, with the cell named as Excel does (`Collectif A!F7`). Those
//! messages never quote a child's name.

mod collectif;
mod figures;
mod headings;
mod layout;
mod marks;
#[cfg(test)]
mod tests;

use super::{Extraction, FieldValue, Problem, Source, Value};
use crate::dictionary::{self, FormKind};
use crate::document::{Cell, Document, Table};
use crate::text::fold;
use crate::values::Date;

pub use self::figures::{Figures, SEUIL_JSON, figures, sessions_by_week};
use self::layout::Layout;

/// The mapping id of the reference layout and of every variant read the same way.
pub(crate) const MAPPING: &str = "presence-reference";

/// What the workbook does not say and configuration does.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Length of a session, in hours, when the sheet has no `Durée (h)` row or leaves a
    /// session's length empty.
    pub duree_defaut_h: f64,
    /// School year N (N/N+1) for dates written without a year (`14/11`, a month row without
    /// year) when the workbook itself does not say it. `None`: the current school year.
    pub annee_scolaire: Option<i32>,
    /// Today, whose school year is assumed when neither the workbook nor `annee_scolaire` says.
    pub today: Date,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            duree_defaut_h: 1.5,
            annee_scolaire: None,
            today: Date::today(),
        }
    }
}

/// A cell named as Excel does: `Collectif A!F7` (row and column from 0).
pub(crate) fn cell_ref(sheet: &str, row: usize, col: usize) -> String {
    format!("{sheet}!{}{}", column_letters(col), row + 1)
}

/// `A`, `Z`, `AA`… for a column index from 0.
pub(crate) fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Why a workbook is not an attendance workbook: how much of the reference layout its closest
/// sheet has, and what it lacks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NotAttendance {
    /// Share of the reference layout's labels and column headings found (0 to 1).
    pub score: f64,
    /// The closest sheet, when there is one.
    pub sheet: Option<String>,
    /// What the closest sheet lacks, in French (« colonne « Nom » »).
    pub missing: Vec<String>,
}

impl std::fmt::Display for NotAttendance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ce classeur n'est pas un cahier de présence : aucune feuille n'a de tableau « Nom | Prénom | Niveau | Établissement » suivi des dates des séances"
        )?;
        if let Some(s) = &self.sheet
            && !self.missing.is_empty()
        {
            write!(
                f,
                " (feuille la plus proche « {s} » : manque {})",
                self.missing.join(", ")
            )?;
        }
        Ok(())
    }
}

/// Reads an attendance workbook: one collectif per sheet with an attendance table.
pub(crate) fn extract(doc: &Document, options: &Options) -> Result<Extraction, NotAttendance> {
    let mut sheets: Vec<(usize, Layout)> = Vec::new();
    let mut closest = NotAttendance {
        score: 0.0,
        sheet: None,
        missing: Vec::new(),
    };
    for (i, table) in doc.tables.iter().enumerate() {
        match Layout::find(table, i) {
            Ok(layout) => sheets.push((i, layout)),
            Err(miss) if miss.score > closest.score || closest.sheet.is_none() => {
                closest = NotAttendance {
                    score: miss.score,
                    sheet: Some(table.name.clone()),
                    missing: miss.missing,
                };
            }
            Err(_) => {}
        }
    }
    // A summary sheet lists the children too (`Nom | Prénom | … | Total | Taux`) but has no
    // session column: it is not a collectif when other sheets have sessions.
    if sheets
        .iter()
        .any(|(i, l)| l.date_columns(&doc.tables[*i]) > 0)
    {
        sheets.retain(|(i, l)| l.date_columns(&doc.tables[*i]) > 0);
    }
    // A list of people without sessions (`Contacts` : `Nom et prénom | Fonction`) is not a
    // collectif either; a workbook with no collectif is not an attendance workbook.
    sheets.retain(|(i, l)| {
        let table = &doc.tables[*i];
        let keep = l.has_sessions(table);
        if !keep && closest.score < 1.0 {
            closest = NotAttendance {
                score: layout::missing(table).score,
                sheet: Some(table.name.clone()),
                missing: vec![
                    "colonnes des séances (une date en tête de chaque colonne, des marques P, A ou E dessous)".into(),
                ],
            };
        }
        keep
    });
    if sheets.is_empty() {
        if closest.sheet.is_none() {
            closest.missing = vec!["toute donnée (classeur vide)".into()];
        }
        return Err(closest);
    }

    // The school year, for dates written without one: the workbook's own word first.
    let year = sheets
        .iter()
        .find_map(|(i, l)| l.declared_year(&doc.tables[*i]))
        .or_else(|| {
            sheets
                .iter()
                .find_map(|(i, l)| l.first_full_date(&doc.tables[*i]))
                .map(|d| d.school_year())
        })
        .or(options.annee_scolaire);
    let (year, year_guessed) = match year {
        Some(y) => (y, false),
        None => (options.today.school_year(), true),
    };

    let mut porteur: Option<(String, Source)> = None;
    let mut action: Option<(String, Source)> = None;
    let mut collectifs = Vec::new();
    for (i, layout) in &sheets {
        let table = &doc.tables[*i];
        let (mut c, inferred) = layout.read(table, year, options);
        if year_guessed && inferred {
            c.avertissements.push(format!(
                "{} : dates sans année, année scolaire {}-{} supposée (indiquez « Année scolaire : » dans l'en-tête)",
                table.name,
                year,
                year + 1
            ));
        }
        for (slot, found, label) in [
            (&mut porteur, &layout.porteur, "porteur"),
            (&mut action, &layout.action, "numéro d'action"),
        ] {
            let Some((value, source)) = found else {
                continue;
            };
            match slot {
                None => *slot = Some((value.clone(), source.clone())),
                Some((first, _)) if fold(first).trim() != fold(value).trim() => {
                    c.avertissements.push(format!(
                        "{} : {label} « {value} », différent de « {first} » sur une autre feuille",
                        layout.header_ref(table, label)
                    ));
                }
                Some(_) => {}
            }
        }
        collectifs.push(c);
    }

    let fields = dictionary::fields(FormKind::Presence)
        .iter()
        .map(|def| {
            let found = match def.id.as_str() {
                "porteur.nom" => porteur.clone(),
                "action.numero" => action.clone(),
                _ => None,
            };
            let (value, source, problem) = match found {
                Some((v, s)) => (Value::Text(v), Some(s), None),
                None => (Value::Null, None, Some(Problem::NotFound)),
            };
            FieldValue {
                id: def.id.clone(),
                kind: def.kind,
                value,
                source: source.map(Box::new),
                problem,
            }
        })
        .collect();

    Ok(Extraction {
        form: FormKind::Presence,
        mapping: MAPPING.to_string(),
        fields,
        collectifs: Some(collectifs),
        totaux: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------------
// Reading cells of a sheet, blank past its edges

fn cell(t: &Table, r: usize, c: usize) -> &Cell {
    static EMPTY: Cell = Cell::Empty;
    t.rows.get(r).and_then(|row| row.get(c)).unwrap_or(&EMPTY)
}

fn text(t: &Table, r: usize, c: usize) -> String {
    cell(t, r, c).text().trim().to_string()
}

fn width(t: &Table) -> usize {
    t.rows.iter().map(|r| r.len()).max().unwrap_or(0)
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn excel_references() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(51), "AZ");
        assert_eq!(column_letters(52), "BA");
        assert_eq!(cell_ref("Collectif A", 6, 5), "Collectif A!F7");
    }
}
