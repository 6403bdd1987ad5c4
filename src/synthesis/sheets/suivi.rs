//! The Suivi sheet: one row per action expected this school year — known from last year's
//! bilans, or from a bilan or a cahier de présence received this year — with what was
//! received, its conformity, the letter written and what to do next. A bilan still missing
//! shows as such.

use rust_xlsxwriter::{ConditionalFormatCell, ConditionalFormatCellRule, Worksheet};

use super::{SUIVI, label};
use crate::synthesis::model::Ctx;
use crate::synthesis::xlsx::{
    Cells, Formats, Print, R, col, colour_by_text, fit_row, sheet, table,
};

const BILAN: u16 = 3;
const PRESENCE: u16 = 6;
const CONFORMITY: u16 = 9;

pub(super) fn suivi(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, SUIVI, 2, Print::Fit)?;
    let cols = [
        col(label("porteur.nom"), 30.0),
        col(label("action.numero"), 9.0),
        col("Attendue d'après", 22.0),
        col("Bilan", 10.0),
        col("Version du bilan", 26.0),
        col("Bilan reçu le", 12.0),
        col("Cahier de présence", 11.0),
        col("Cahier reçu le", 12.0),
        col("Note stratégique du territoire", 18.0),
        col("Conformité", 13.0),
        col("Relance écrite le", 12.0),
        col("Réponse attendue le", 12.0),
        col("Suite à donner", 45.0),
    ];
    let rows = &ctx.input.follow_up;
    table(ws, f, "Suivi", 0, &cols, rows.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    for (i, a) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        fit_row(c.ws, r, &[(&a.next_step, cols[12].width)], 4)?;
        c.text(r, 0, &a.porteur)?;
        c.text(r, 1, &a.numero)?;
        c.text(r, 2, &a.expected_from)?;
        match &a.bilan {
            Some((version, received)) => {
                c.text(r, BILAN, "reçu")?;
                c.text(r, BILAN + 1, version)?;
                c.day(r, BILAN + 2, received)?;
            }
            None => c.text(r, BILAN, "manquant")?,
        }
        match &a.presence {
            Some(received) => {
                c.text(r, PRESENCE, "reçu")?;
                c.day(r, PRESENCE + 1, received)?;
            }
            None => c.text(r, PRESENCE, "non reçu")?,
        }
        c.text(r, 8, a.note.as_deref().unwrap_or(""))?;
        c.text(r, CONFORMITY, a.conformity.map_or("", |k| k.label()))?;
        c.day(r, 10, a.letter_sent.as_deref().unwrap_or(""))?;
        c.day(r, 11, a.reply_by.as_deref().unwrap_or(""))?;
        c.text_wrapped(r, 12, &a.next_step)?;
    }
    let last = rows.len().max(1) as u32;
    colour_by_text(ws, f, (1, CONFORMITY, last, CONFORMITY))?;
    for (text, fmt) in [
        ("manquant", &f.bad),
        ("non reçu", &f.warn),
        ("reçu", &f.good),
    ] {
        ws.add_conditional_format(
            1,
            BILAN,
            last,
            PRESENCE,
            &ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(text))
                .set_format(fmt),
        )?;
    }
    Ok(())
}
