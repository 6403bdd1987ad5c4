//! The Activités et parents sheet: for each yes/no question of the bilan, how many actions
//! answered « oui », « non » or nothing, counted by formulas over the Réponses sheet.

use rust_xlsxwriter::Worksheet;

use super::reponses::reponses_file_col;
use super::{ACTIVITES, REPONSES};
use crate::dictionary::{self, FieldType, FormKind};
use crate::report::section_title;
use crate::synthesis::compact::Answer;
use crate::synthesis::model::Ctx;
use crate::synthesis::xlsx::{
    Cached, Cells, Formats, Print, R, cell, col, ratio, sheet, table, whole,
};

pub(super) fn activites(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, ACTIVITES, 0, Print::Fit)?;
    let cols = [
        col("Rubrique", 26.0),
        col("Question", 70.0),
        col("Identifiant", 26.0),
        col("Oui", 9.0),
        col("Non", 9.0),
        col("Sans réponse", 10.0),
        col("Part de oui", 10.0),
        col("Part de non", 10.0),
        col("Part sans réponse", 10.0),
    ];
    let fields: Vec<(usize, &dictionary::FieldDef)> = dictionary::fields(FormKind::Bilan)
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == FieldType::Yesno)
        .collect();
    table(ws, f, "ActivitesParents", 0, &cols, fields.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    let files = whole(REPONSES, reponses_file_col());
    let n = ctx.acts.len() as f64;
    for (i, (k, def)) in fields.iter().enumerate() {
        let r = i as u32 + 1;
        c.text(r, 0, section_title(&def.section))?;
        c.text(r, 1, &def.label)?;
        c.text(r, 2, &def.id)?;
        let answers = whole(REPONSES, *k as u16);
        let (mut yes, mut no) = (0.0, 0.0);
        for a in &ctx.acts {
            match a.a.bilan.get(&def.id) {
                Answer::Bool(true) => yes += 1.0,
                Answer::Bool(false) => no += 1.0,
                _ => {}
            }
        }
        let (d, e, g) = (cell(3, r), cell(4, r), cell(5, r));
        c.formula(
            r,
            3,
            &format!("=COUNTIF({answers},\"oui\")"),
            Cached::Num(yes),
            &f.int,
        )?;
        c.formula(
            r,
            4,
            &format!("=COUNTIF({answers},\"non\")"),
            Cached::Num(no),
            &f.int,
        )?;
        c.formula(
            r,
            5,
            &format!("=COUNTA({files})-1-{d}-{e}"),
            Cached::Num(n - yes - no),
            &f.int,
        )?;
        for (j, part) in [(6u16, yes), (7, no), (8, n - yes - no)] {
            let x = cell(j - 3, r);
            c.formula(
                r,
                j,
                &format!("=IF({d}+{e}+{g}=0,\"\",{x}/({d}+{e}+{g}))"),
                ratio(part, n),
                &f.pct,
            )?;
        }
    }
    Ok(())
}
