//! The Dispositifs sheet: the dispositifs tables of the notes stratégiques, summed by
//! territory and school level. The Totaux sheet sums them again by level.

use std::collections::BTreeMap;

use rust_xlsxwriter::Worksheet;
use serde_json::Value as Json;

use super::DISPOSITIFS;
use crate::extraction::Value;
use crate::synthesis::model::{Ctx, text_of, value};
use crate::synthesis::xlsx::{Cells, Formats, Print, R, col, sheet, table};
use crate::text::fold;

/// The columns of the note stratégique's dispositifs table (docs/note-strategique.md).
pub(super) const DISPOSITIF_COLUMNS: [(&str, &str); 9] = [
    ("etude", "ETUDE"),
    ("ecole_ouverte", "ECOLE OUVERTE"),
    ("accompagnement_educatif", "ACCOMPAGNEMENT EDUCATIF"),
    ("stage_reussite", "STAGE DE REUSSITE"),
    ("pre", "PRE (nombre d'enfants)"),
    ("pre_qpv", "PRE dont issus QPV"),
    ("clas", "CLAS (nombre d'enfants)"),
    ("clas_qpv", "CLAS dont issus QPV"),
    ("autre", "AUTRE"),
];

/// The school levels of the dispositifs tables: key, and name in the sheets.
pub(super) const LEVELS: [(&str, &str); 3] = [
    ("elementaire", "Élémentaire"),
    ("college", "Collège"),
    ("lycee", "Lycée"),
];

/// First figure column of the Dispositifs sheet (the count of establishments).
pub(super) const DISP_FIRST: u16 = 2;

/// One territory and level of the notes stratégiques.
pub(super) struct Consolidated {
    pub(super) territory: String,
    pub(super) level: &'static str,
    pub(super) establishments: usize,
    pub(super) values: Vec<Option<f64>>,
    pub(super) files: Vec<String>,
}

/// The dispositifs tables summed by territory (same name without case or accents) and level.
pub(super) fn consolidate(ctx: &Ctx) -> Vec<Consolidated> {
    let mut groups: BTreeMap<(String, usize), Consolidated> = BTreeMap::new();
    for note in &ctx.input.notes {
        let territory = text_of(&note.extraction, "territoire.nom")
            .unwrap_or("")
            .trim()
            .to_string();
        let Value::Table(rows) = value(&note.extraction, "dispositifs") else {
            continue;
        };
        for row in rows {
            let level = row.get("niveau").and_then(Json::as_str).unwrap_or("");
            let Some(li) = LEVELS.iter().position(|(k, _)| *k == level) else {
                continue;
            };
            let g = groups
                .entry((fold(&territory), li))
                .or_insert_with(|| Consolidated {
                    territory: territory.clone(),
                    level: LEVELS[li].0,
                    establishments: 0,
                    values: vec![None; DISPOSITIF_COLUMNS.len()],
                    files: Vec::new(),
                });
            g.establishments += 1;
            if !g.files.contains(&note.source_file) {
                g.files.push(note.source_file.clone());
            }
            for (k, (key, _)) in DISPOSITIF_COLUMNS.iter().enumerate() {
                if let Some(v) = row.get(*key).and_then(Json::as_f64) {
                    *g.values[k].get_or_insert(0.0) += v;
                }
            }
        }
    }
    groups.into_values().collect()
}

pub(super) fn dispositifs(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, DISPOSITIFS, 2, Print::Fit)?;
    let mut cols = vec![
        col("Territoire", 30.0),
        col("Niveau", 13.0),
        col("Établissements scolaires", 14.0),
    ];
    cols.extend(DISPOSITIF_COLUMNS.iter().map(|(_, h)| col(*h, 14.0)));
    cols.push(col("Fichier source", 32.0));
    let rows = consolidate(ctx);
    table(ws, f, "Dispositifs", 0, &cols, rows.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    for (i, d) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        c.text(r, 0, &d.territory)?;
        let level = LEVELS.iter().find(|(k, _)| *k == d.level).map(|l| l.1);
        c.text(r, 1, level.unwrap_or(""))?;
        c.count(r, DISP_FIRST, d.establishments)?;
        for (k, v) in d.values.iter().enumerate() {
            c.opt(r, DISP_FIRST + 1 + k as u16, *v, &f.int)?;
        }
        c.text(
            r,
            DISP_FIRST + 1 + DISPOSITIF_COLUMNS.len() as u16,
            &d.files.join(", "),
        )?;
    }
    Ok(())
}
