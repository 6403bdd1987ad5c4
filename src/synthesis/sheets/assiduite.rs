//! The Assiduité sheet: one row per collectif of each attendance workbook, counts and rates
//! only (no child's name).

use rust_xlsxwriter::{ConditionalFormatCell, ConditionalFormatCellRule, Worksheet};

use super::{ASSIDUITE, label};
use crate::synthesis::compact::CollectifFigures;
use crate::synthesis::model::Ctx;
use crate::synthesis::xlsx::{Cells, Formats, Print, R, col, sheet, table};

// Columns the Totaux sheet sums (présences, absences and excused absences follow each other).
pub(super) const ASS_CHILDREN: u16 = 3;
pub(super) const ASS_PRESENT: u16 = 8;
pub(super) const ASS_UNDER_THRESHOLD: u16 = 12;

pub(super) fn assiduite(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, ASSIDUITE, 3, Print::Fit)?;
    let cols = [
        col(label("porteur.nom"), 32.0),
        col(label("action.numero"), 9.0),
        col("Collectif", 24.0),
        col("Enfants", 10.0),
        col("Séances", 10.0),
        col("Semaines avec séance", 11.0),
        col("Séances par semaine (médiane)", 12.0),
        col("Durée moyenne d'une séance (h)", 12.0),
        col("Présences", 11.0),
        col("Absences", 11.0),
        col("Absences excusées", 11.0),
        col("Taux d'assiduité", 11.0),
        col(ctx.input.under_threshold_label(), 14.0),
    ];
    let n: usize = ctx.acts.iter().map(|a| a.collectifs().len()).sum();
    table(ws, f, "Assiduite", 0, &cols, n)?;
    let mut c = Cells { ws: &mut *ws, f };
    let mut r = 1;
    for a in &ctx.acts {
        for CollectifFigures { name, figures: x } in a.collectifs() {
            c.text(r, 0, a.porteur())?;
            c.text(r, 1, a.numero())?;
            c.text(r, 2, name)?;
            c.count(r, ASS_CHILDREN, x.children)?;
            c.count(r, 4, x.sessions)?;
            c.count(r, 5, x.weeks)?;
            c.opt(r, 6, x.sessions_per_week, &f.ratio)?;
            c.opt(r, 7, x.mean_length_h, &f.dec)?;
            c.num(r, ASS_PRESENT, x.present as f64, &f.int)?;
            c.num(r, ASS_PRESENT + 1, x.absent as f64, &f.int)?;
            c.num(r, ASS_PRESENT + 2, x.excused as f64, &f.int)?;
            c.opt(r, 11, x.rate(), &f.pct)?;
            c.count(r, ASS_UNDER_THRESHOLD, x.under_threshold)?;
            r += 1;
        }
    }
    let last = n.max(1) as u32;
    ws.add_conditional_format(
        1,
        11,
        last,
        11,
        &ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::LessThan(0.5))
            .set_format(&f.warn),
    )?;
    Ok(())
}
