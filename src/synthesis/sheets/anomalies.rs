//! The Anomalies sheet: every finding of every action (worst first), then those of the notes
//! stratégiques, with any child's name masked in the messages.

use rust_xlsxwriter::Worksheet;

use super::{ANOMALIES, label};
use crate::findings::Finding;
use crate::synthesis::model::{Ctx, text_of};
use crate::synthesis::xlsx::{
    Cells, Formats, Print, R, col, colour_by_text, fit_row, rule_label, sheet, table,
};

/// Column of the rule id in the Anomalies sheet (counted by the Totaux sheet): the last, a
/// technical column; agents read the rule's label in column D.
pub(super) const ANOMALY_RULE_COL: u16 = 8;

const MESSAGE_WIDTH: f64 = 80.0;

pub(super) fn anomalies(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, ANOMALIES, 0, Print::Fit)?;
    let cols = [
        col(label("porteur.nom"), 32.0),
        col(label("action.numero"), 9.0),
        col("Territoire (note stratégique)", 22.0),
        col("Point contrôlé", 30.0),
        col("Gravité", 12.0),
        col("Champs", 30.0),
        col("Message", MESSAGE_WIDTH),
        col("Fichier source", 32.0),
        col("Identifiant de la règle", 22.0),
    ];
    let notes: Vec<_> = ctx
        .input
        .notes
        .iter()
        .map(|n| {
            let mut fs: Vec<&Finding> = n.findings.iter().collect();
            fs.sort_by_key(|f| std::cmp::Reverse(f.severity));
            (n, fs)
        })
        .collect();
    let n = ctx.acts.iter().map(|a| a.findings.len()).sum::<usize>()
        + notes.iter().map(|(_, fs)| fs.len()).sum::<usize>();
    table(ws, f, "Anomalies", 0, &cols, n)?;
    let mut c = Cells { ws: &mut *ws, f };
    let mut r = 1;
    for a in &ctx.acts {
        for x in &a.findings {
            let message = a.redactor().apply(&x.message);
            fit(c.ws, r, x, &message)?;
            c.text(r, 0, a.porteur())?;
            c.text(r, 1, a.numero())?;
            put_finding(&mut c, r, x, &message, a.file())?;
            r += 1;
        }
    }
    for (note, fs) in &notes {
        let territoire = text_of(&note.extraction, "territoire.nom").unwrap_or("");
        for x in fs {
            fit(c.ws, r, x, &x.message)?;
            c.text(r, 2, territoire)?;
            put_finding(&mut c, r, x, &x.message, &note.source_file)?;
            r += 1;
        }
    }
    colour_by_text(ws, f, (1, 4, n.max(1) as u32, 4))?;
    Ok(())
}

/// The row as tall as its message (and its list of fields) needs.
fn fit(ws: &mut Worksheet, r: u32, x: &Finding, message: &str) -> R {
    let fields = x.fields.join(", ");
    fit_row(ws, r, &[(&fields, 30.0), (message, MESSAGE_WIDTH)], 8)
}

fn put_finding(c: &mut Cells, r: u32, x: &Finding, message: &str, file: &str) -> R {
    c.text(r, 3, rule_label(&x.rule))?;
    c.text(r, 4, x.severity.label())?;
    c.text_wrapped(r, 5, &x.fields.join(", "))?;
    c.text_wrapped(r, 6, message)?;
    c.text(r, 7, file)?;
    c.text(r, ANOMALY_RULE_COL, &x.rule)
}
