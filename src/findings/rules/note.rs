//! `note.totaux`: the TOTAL rows of a note stratégique's dispositifs table.

use super::*;

const NOTE_COLUMNS: &[(&str, &str)] = &[
    ("etude", "ÉTUDE"),
    ("ecole_ouverte", "ÉCOLE OUVERTE"),
    ("accompagnement_educatif", "ACCOMPAGNEMENT ÉDUCATIF"),
    ("stage_reussite", "STAGE DE RÉUSSITE"),
    ("pre", "PRE (nombre d'enfants)"),
    ("pre_qpv", "PRE dont issus QPV"),
    ("clas", "CLAS (nombre d'enfants)"),
    ("clas_qpv", "CLAS dont issus QPV"),
    ("autre", "AUTRE"),
];

pub(super) fn note_totals(note: &Extraction, out: &mut Out) {
    let Value::Table(rows) = note.value("dispositifs") else {
        return;
    };
    for total in &note.totaux {
        let level = crate::text::fold(total.niveau.trim());
        let level_name = match level.as_str() {
            "elementaire" => "élémentaire",
            "college" => "collège",
            "lycee" => "lycée",
            other => other,
        };
        for (column, written) in &total.values {
            let Some(written) = written else { continue };
            let sum: f64 = rows
                .iter()
                .filter(|r| {
                    r.get("niveau")
                        .and_then(|v| v.as_str())
                        .map(|n| crate::text::fold(n.trim()))
                        == Some(level.clone())
                })
                .filter_map(|r| r.get(column.as_str()).and_then(json_number))
                .sum();
            if (sum - *written as f64).abs() > EPS {
                let column_name = NOTE_COLUMNS
                    .iter()
                    .find(|(k, _)| k == column)
                    .map(|(_, l)| *l)
                    .unwrap_or(column.as_str());
                out.push(
                    "note.totaux",
                    Severity::Error,
                    &["dispositifs"],
                    format!(
                        "niveau {level_name}, colonne « {column_name} » : la ligne TOTAL indique {}, mais la somme des établissements fait {}{}",
                        fr::num(*written as f64),
                        fr::num(sum),
                        match total.place {
                            crate::document::Place::Body => String::new(),
                            place => format!(" ({place})"),
                        }
                    ),
                );
            }
        }
    }
}

fn json_number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => match crate::values::parse_number(s) {
            Some(crate::values::Number::Integer(i)) => Some(i as f64),
            Some(crate::values::Number::Decimal(d)) => Some(d),
            None => None,
        },
        _ => None,
    }
}
