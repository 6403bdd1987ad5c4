//! The Corrections sheet: the agents' corrections journal, oldest first; and the note that
//! marks a corrected value in the Synthèse and Réponses sheets (« Corrigé le … par … : motif »).

use rust_xlsxwriter::{Note, Worksheet};

use super::CORRECTIONS;
use crate::synthesis::model::{Act, Ctx};
use crate::synthesis::xlsx::{Cells, Formats, Print, R, col, sheet, table};

/// One correction of the journal, as the synthesis shows it.
#[derive(Debug, Clone, Default)]
pub struct Correction {
    /// When: RFC 3339 with the offset (`2026-12-02T10:15:00+01:00`).
    pub at: String,
    pub author: String,
    pub porteur: String,
    /// The action number.
    pub action: String,
    /// `2025-2026`.
    pub annee: String,
    pub field: String,
    /// The field's label in the dictionary.
    pub label: String,
    /// As an agent reads them (`15`, `17/11/2025`, `oui`; empty: no value).
    pub before: String,
    pub after: String,
    pub motif: String,
    /// `appliquée`, `à revoir`, `remplacée`.
    pub status: String,
    /// The bilan whose value it sets, when it is the value in force: its `source_file` and
    /// `received` as in [`crate::synthesis::Action`] (the cell to mark).
    pub marks: Option<(String, String)>,
}

pub(super) fn corrections(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, CORRECTIONS, 0, Print::Fit)?;
    let cols = [
        col("Date", 16.0),
        col("Auteur", 16.0),
        col("Porteur", 32.0),
        col("Action", 9.0),
        col("Année scolaire", 12.0),
        col("Champ", 36.0),
        col("Identifiant du champ", 22.0),
        col("Valeur lue ou précédente", 22.0),
        col("Valeur corrigée", 22.0),
        col("Motif", 40.0),
        col("Statut", 12.0),
    ];
    let list = &ctx.input.corrections;
    table(ws, f, "Corrections", 0, &cols, list.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    for (i, k) in list.iter().enumerate() {
        let r = i as u32 + 1;
        c.stamp(r, 0, local(&k.at))?;
        c.text(r, 1, &k.author)?;
        c.text(r, 2, &k.porteur)?;
        c.text(r, 3, &k.action)?;
        c.text(r, 4, &k.annee)?;
        c.text(r, 5, &k.label)?;
        c.text(r, 6, &k.field)?;
        c.text(
            r,
            7,
            if k.before.is_empty() {
                "(vide)"
            } else {
                &k.before
            },
        )?;
        c.text(
            r,
            8,
            if k.after.is_empty() {
                "(vide)"
            } else {
                &k.after
            },
        )?;
        c.text(r, 9, &k.motif)?;
        let fmt = match k.status.as_str() {
            "à revoir" => &f.warn,
            "remplacée" => &f.muted,
            _ => &f.good,
        };
        c.text_fmt(r, 10, &k.status, fmt)?;
    }
    Ok(())
}

/// The date and time of the agent's clock, without the offset (the sheet shows local time).
fn local(at: &str) -> &str {
    at.get(..19).unwrap_or(at)
}

/// The corrections in force of an action's bilan (few: looked up once per row).
pub(super) fn of_action<'c>(ctx: &'c Ctx, a: &Act) -> Vec<&'c Correction> {
    ctx.input
        .corrections
        .iter()
        .filter(|k| {
            k.marks.as_ref().is_some_and(|(file, received)| {
                *file == a.a.source_file && *received == a.a.received
            })
        })
        .collect()
}

/// Marks the cell of a corrected value with a note saying who corrected it, when and why.
pub(super) fn mark(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    field: &str,
    corrected: &[&Correction],
) -> R {
    let Some(k) = corrected.iter().rev().find(|k| k.field == field) else {
        return Ok(());
    };
    let date = crate::values::parse_date(local(&k.at))
        .map(|d| d.french())
        .unwrap_or_else(|| local(&k.at).to_string());
    let before = if k.before.is_empty() {
        "(vide)"
    } else {
        &k.before
    };
    let text = format!(
        "Corrigé le {date} par {} : {}\nValeur lue ou précédente : {before}",
        k.author, k.motif
    );
    ws.insert_note(row, col, &Note::new(text).set_author("clas"))?;
    Ok(())
}
