//! The Conformité sheet: one row per action, one column per rule, the worst severity each
//! rule found in the action.

use std::collections::HashMap;

use rust_xlsxwriter::{Note, Worksheet};

use super::{CONFORMITE, label};
use crate::findings::Severity;
use crate::synthesis::model::Ctx;
use crate::synthesis::xlsx::{
    Cells, Formats, Print, R, col, colour_by_text, rule_label, sheet, table, unique,
};

/// First rule column of the Conformité sheet.
pub(super) const CONF_FIRST_RULE: u16 = 3;

pub(super) fn conformite(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, CONFORMITE, 2, Print::FitA3)?;
    let mut cols = vec![
        col(label("porteur.nom"), 32.0),
        col(label("action.numero"), 9.0),
        col("Conformité", 14.0),
    ];
    // Agents read what each rule checks; its id is in the header's comment.
    let headers = unique(
        ctx.rules
            .iter()
            .map(|r| (rule_label(r).to_string(), r.clone(), r.clone()))
            .collect(),
    );
    cols.extend(headers.into_iter().map(|h| col(h, 15.0)));
    let n = ctx.acts.len();
    table(ws, f, "Conformite", 0, &cols, n)?;
    for (k, rule) in ctx.rules.iter().enumerate() {
        let note = Note::new(format!("Identifiant de la règle : {rule}"))
            .set_author("clas")
            .add_author_prefix(false);
        ws.insert_note(0, CONF_FIRST_RULE + k as u16, &note)?;
    }
    let mut c = Cells { ws: &mut *ws, f };
    for (i, a) in ctx.acts.iter().enumerate() {
        let r = i as u32 + 1;
        c.text(r, 0, a.porteur())?;
        c.text(r, 1, a.numero())?;
        c.text(r, 2, a.conformity.label())?;
        let mut worst: HashMap<&str, Severity> = HashMap::new();
        for x in &a.a.findings {
            let w = worst.entry(x.rule.as_str()).or_insert(x.severity);
            *w = (*w).max(x.severity);
        }
        for (k, rule) in ctx.rules.iter().enumerate() {
            if let Some(s) = worst.get(rule.as_str()) {
                c.text(r, CONF_FIRST_RULE + k as u16, s.label())?;
            }
        }
    }
    let last_col = CONF_FIRST_RULE + ctx.rules.len() as u16 - 1;
    colour_by_text(ws, f, (1, 2, n.max(1) as u32, last_col))?;
    Ok(())
}
