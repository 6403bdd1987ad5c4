//! The Réponses sheet: every answer of every bilan, one column per field of the bilan
//! dictionary in its order, headers made unique as Excel tables require.

use rust_xlsxwriter::Worksheet;

use super::REPONSES;
use crate::dictionary::{self, FieldType, FormKind};
use crate::report::section_title;
use crate::synthesis::model::Ctx;
use crate::synthesis::xlsx::{Cells, Col, Formats, Print, R, col, sheet, table, unique};

pub(super) fn reponses_file_col() -> u16 {
    dictionary::fields(FormKind::Bilan).len() as u16 + 1
}

pub(super) fn reponses(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, REPONSES, 2, Print::Natural)?;
    let defs = dictionary::fields(FormKind::Bilan);
    let headers = unique(
        defs.iter()
            .map(|d| {
                (
                    d.label.clone(),
                    section_title(&d.section).to_string(),
                    d.id.clone(),
                )
            })
            .collect(),
    );
    let mut cols: Vec<Col> = defs
        .iter()
        .zip(headers)
        .map(|(d, h)| {
            let width = match (d.kind, d.id.as_str()) {
                (_, "porteur.nom") => 32.0,
                (_, "action.numero") => 9.0,
                (FieldType::Text, _) => 36.0,
                _ => 12.0,
            };
            col(h, width)
        })
        .collect();
    cols.push(col("Version du formulaire", 26.0));
    cols.push(col("Fichier source", 32.0));
    cols.push(col("Date de réception", 16.0));
    table(ws, f, "Reponses", 0, &cols, ctx.acts.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    let nf = defs.len() as u16;
    for (i, a) in ctx.acts.iter().enumerate() {
        let r = i as u32 + 1;
        // One value per field of the dictionary, in its order.
        let corrected = super::corrections::of_action(ctx, a);
        for (j, v) in a.a.bilan.answers().iter().enumerate() {
            c.value(r, j as u16, v)?;
            if !corrected.is_empty() {
                super::corrections::mark(c.ws, r, j as u16, &defs[j].id, &corrected)?;
            }
        }
        c.text(r, nf, a.version())?;
        c.text(r, nf + 1, a.file())?;
        c.stamp(r, nf + 2, &a.a.received)?;
    }
    Ok(())
}
