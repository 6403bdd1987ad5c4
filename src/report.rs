//! What agents read: extractions and findings as French text.

use std::fmt::Write;

use crate::dictionary::{self, FieldType};
use crate::extraction::{Extraction, Problem, Value};
use crate::findings::Finding;
use crate::values::format_number;

/// Titles of the dictionaries' sections, as the forms name them.
pub(crate) fn section_title(id: &str) -> &str {
    match id {
        "identification" => "Identification",
        "calendrier" => "Calendrier de mise en œuvre",
        "moyens_humains" => "Moyens humains",
        "public" => "Public concerné",
        "situations" => "Situations des enfants",
        "origine" => "Origine de l'inscription",
        "enfants" => "Intervention auprès des enfants",
        "bonification_enfant" => "Bonification de l'axe enfant",
        "parents" => "Intervention auprès des parents",
        "bonification_parent" => "Bonification de l'axe parent",
        "ecole" => "Concertation avec l'école",
        "territoire" => "Concertation avec les acteurs du territoire",
        "libre_expression" => "Libre expression",
        "reseau_departemental" => "Réseau départemental",
        "entete" => "En-tête",
        "coordonnateur" => "Coordonnateur",
        "inscription" => "Inscription des projets",
        "articulation" => "Articulation des dispositifs",
        "dispositifs" => "Dispositifs existants",
        "complements" => "Éléments complémentaires",
        other => other,
    }
}

/// A value as an agent reads it: « oui », « 1 250 », « 17/11/2025 », « (sans réponse) ».
pub(crate) fn value_text(v: &Value, kind: FieldType) -> String {
    match v {
        Value::Null => "(sans réponse)".into(),
        Value::Text(t) => t.replace('\n', " / "),
        Value::Integer(i) => format_number(*i as f64),
        Value::Decimal(d) => format_number(*d),
        Value::Date(d) => d.french(),
        Value::Bool(b) => match (kind, b) {
            (FieldType::Check, true) => "coché".into(),
            (FieldType::Check, false) => "non coché".into(),
            (_, true) => "oui".into(),
            (_, false) => "non".into(),
        },
        Value::Table(rows) => format!("{} ligne(s)", rows.len()),
    }
}

/// The extraction of one file, section by section, with where each value was found when
/// `explain` is set.
pub fn extraction_text(file: &str, x: &Extraction, explain: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{file} : {} (formulaire {})",
        x.form.label(),
        x.mapping
    );
    let mut section = "";
    for f in &x.fields {
        let def = dictionary::field(x.form, &f.id);
        let sec = def.map(|d| d.section.as_str()).unwrap_or("");
        if sec != section {
            section = sec;
            let _ = writeln!(out, "\n  {}", section_title(sec));
        }
        let label = def.map(|d| d.label.as_str()).unwrap_or(&f.id);
        let mut line = format!("    {label} : {}", value_text(&f.value, f.kind));
        match &f.problem {
            Some(Problem::Contradictory) => line.push_str(" [« oui » et « non » cochés]"),
            Some(Problem::Unreadable(t)) => {
                let _ = write!(line, " [illisible : « {t} »]");
            }
            Some(Problem::NotFound) => line.push_str(" [question introuvable dans le document]"),
            None => {}
        }
        let _ = writeln!(out, "{line}");
        if let Value::Table(rows) = &f.value {
            for r in rows {
                let cells: Vec<String> = r
                    .iter()
                    .filter(|(k, _)| *k != "niveau")
                    .map(|(k, v)| {
                        format!(
                            "{k}={}",
                            if v.is_null() {
                                "-".to_string()
                            } else {
                                v.to_string().trim_matches('"').to_string()
                            }
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "      [{}] {}",
                    r.get("niveau").and_then(|v| v.as_str()).unwrap_or(""),
                    cells.join(", ")
                );
            }
        }
        if explain {
            match &f.source {
                Some(s) => {
                    let _ = writeln!(
                        out,
                        "        ↳ {} ; trouvé par {} ({})",
                        f.id, s.locator, s.place
                    );
                }
                None => {
                    let _ = writeln!(out, "        ↳ {} ; non trouvé", f.id);
                }
            }
        }
    }
    if let Some(collectifs) = &x.collectifs {
        let _ = writeln!(out, "\n  Collectifs");
        for c in collectifs {
            let _ = writeln!(
                out,
                "    {} : {} enfant(s), {} séance(s)",
                c.nom,
                c.enfants.len(),
                c.seances.len()
            );
        }
    }
    out
}

/// One file's line of `extract --json` (and `validate --json` with its findings), as
/// docs/cli.md fixes it: `file`, `form`, `fields`, then `collectifs` for an attendance
/// workbook, then `findings`.
pub fn extraction_json(file: &str, x: &Extraction, findings: Option<&[Finding]>) -> String {
    let mut obj = serde_json::Map::new();
    obj.insert("file".into(), file.into());
    obj.insert("form".into(), x.form.id().into());
    obj.insert("fields".into(), x.fields_json().into());
    if let Some(c) = &x.collectifs {
        obj.insert(
            "collectifs".into(),
            serde_json::to_value(c).unwrap_or_default(),
        );
    }
    if let Some(f) = findings {
        obj.insert(
            "findings".into(),
            serde_json::to_value(f).unwrap_or_default(),
        );
    }
    format!("{}\n", serde_json::Value::Object(obj))
}

/// The heading of the findings in a report: which profile, and whether the rural
/// exceptions applied.
pub fn check_heading(profile: &str, rural: bool) -> String {
    format!(
        "\n  Contrôle (profil {profile}{})\n",
        if rural { ", exceptions rurales" } else { "" }
    )
}

pub fn findings_text(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "  Aucune anomalie.\n".into();
    }
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(out, "  [{}] {} : {}", f.severity.label(), f.rule, f.message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The store keeps the extraction, not its text: a report written again from the store
    /// must say what the first one said, for every sample of every format.
    #[test]
    fn extraction_text_survives_the_store() {
        let mappings = crate::mapping::load(None).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut checked = 0;
        for dir in [root.clone(), root.join("pdf"), root.join("presence")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if !["docx", "pdf", "xlsx", "ods", "xls"].contains(&ext) {
                    continue;
                }
                let Ok(read) = crate::pipeline::extract_file(&path, &mappings) else {
                    continue;
                };
                let x = read.extraction;
                let json = crate::store::extraction_to_json(&x).to_string();
                let back =
                    crate::store::extraction_from_json(&serde_json::from_str(&json).unwrap())
                        .unwrap();
                let name = path.file_name().unwrap().to_string_lossy();
                assert_eq!(
                    extraction_text(&name, &back, false),
                    extraction_text(&name, &x, false),
                    "{}",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 40, "{checked} samples");
    }
}
