//! The Sources sheet: every document received, current or replaced, archived or rejected,
//! with its fingerprint.

use rust_xlsxwriter::Worksheet;

use super::SOURCES;
use crate::dictionary::FormKind;
use crate::synthesis::model::Ctx;
use crate::synthesis::xlsx::{Cells, Formats, Print, R, col, colour_by_text, sheet, table};
use crate::text::fold;

pub(super) fn sources(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, SOURCES, 1, Print::Fit)?;
    let cols = [
        col("Fichier", 40.0),
        col("Formulaire", 18.0),
        col("Version du formulaire", 26.0),
        col("Date de réception", 16.0),
        col("Statut", 12.0),
        col("État", 12.0),
        col("Empreinte (SHA-256)", 70.0),
    ];
    let docs = &ctx.input.sources;
    table(ws, f, "Sources", 0, &cols, docs.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    for (i, d) in docs.iter().enumerate() {
        let r = i as u32 + 1;
        c.text(r, 0, &d.file)?;
        let form = FormKind::from_id(d.form.trim())
            .map(|k| k.label())
            .unwrap_or(d.form.as_str());
        c.text(r, 1, form)?;
        c.text(r, 2, &d.form_version)?;
        c.stamp(r, 3, &d.received)?;
        c.text(r, 4, &d.status)?;
        let state = if d.current {
            "en vigueur"
        } else if fold(&d.status).starts_with("rejet") {
            ""
        } else {
            "remplacée"
        };
        c.text(r, 5, state)?;
        c.text(r, 6, &d.hash)?;
    }
    colour_by_text(ws, f, (1, 4, docs.len().max(1) as u32, 5))?;
    Ok(())
}
