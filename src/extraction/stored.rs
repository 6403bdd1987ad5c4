//! The stored form of an extraction: the JSON the store keeps of each document read, and the
//! extraction rebuilt from it.
//!
//! It lives with the extraction because it must follow every change of [`Extraction`]: a field
//! kept here and not there would be lost between reading a document and checking it again from
//! the store (rules, reports written again, synthesis). The store only keeps the text.

use serde_json::{Map, Value as Json, json};

use super::{Collectif, Enfant, Extraction, LevelTotal, Problem, Seance};
use crate::dictionary::FormKind;
use crate::document::Place;
use crate::values::Date;

/// An extraction as the store keeps it: the `fields` object of docs/cli.md, the collectifs,
/// the note's TOTAL rows, and what could not be read (the rules need it to check again).
pub fn extraction_to_json(x: &Extraction) -> Json {
    let problems: Map<String, Json> = x
        .fields
        .iter()
        .filter_map(|f| {
            let p = match f.problem.as_ref()? {
                Problem::Contradictory => json!({"kind": "contradictory"}),
                Problem::Unreadable(t) => json!({"kind": "unreadable", "text": t}),
                Problem::NotFound => json!({"kind": "not_found"}),
            };
            Some((f.id.clone(), p))
        })
        .collect();
    json!({
        "form": x.form.id(),
        "mapping": x.mapping,
        "fields": x.fields_json(),
        "collectifs": x.collectifs.as_ref().map(|c| serde_json::to_value(c).unwrap_or(Json::Null)),
        "totaux": serde_json::to_value(&x.totaux).unwrap_or(Json::Null),
        "problems": problems,
    })
}

/// Rebuilds an extraction stored by [`extraction_to_json`] (through
/// [`Extraction::from_json`]); where each value was found is not kept.
pub fn extraction_from_json(j: &Json) -> Option<Extraction> {
    let form = FormKind::from_id(j.get("form")?.as_str()?)?;
    let mapping = j.get("mapping").and_then(Json::as_str).unwrap_or("");
    let empty = Map::new();
    let fields = j.get("fields").and_then(Json::as_object).unwrap_or(&empty);
    let mut x = Extraction::from_json(form, mapping, fields);
    if let Some(problems) = j.get("problems").and_then(Json::as_object) {
        for f in &mut x.fields {
            if let Some(p) = problems.get(&f.id) {
                f.problem = match p.get("kind").and_then(Json::as_str) {
                    Some("contradictory") => Some(Problem::Contradictory),
                    Some("unreadable") => Some(Problem::Unreadable(
                        p.get("text")
                            .and_then(Json::as_str)
                            .unwrap_or("")
                            .to_string(),
                    )),
                    Some("not_found") => Some(Problem::NotFound),
                    _ => None,
                };
            }
        }
    }
    x.collectifs = j
        .get("collectifs")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(collectif_from_json).collect());
    x.totaux = j
        .get("totaux")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(total_from_json).collect())
        .unwrap_or_default();
    Some(x)
}

fn text(j: &Json, key: &str) -> String {
    j.get(key).and_then(Json::as_str).unwrap_or("").to_string()
}

fn count(j: &Json, key: &str) -> u32 {
    j.get(key).and_then(Json::as_u64).unwrap_or(0) as u32
}

fn collectif_from_json(j: &Json) -> Option<Collectif> {
    let seances = j
        .get("seances")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| {
                    Some(Seance {
                        date: s
                            .get("date")
                            .and_then(Json::as_str)
                            .and_then(parse_iso_date)?,
                        duree_h: s.get("duree_h").and_then(Json::as_f64),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let enfants = j
        .get("enfants")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .map(|e| Enfant {
                    nom: text(e, "nom"),
                    prenom: text(e, "prenom"),
                    niveau: text(e, "niveau"),
                    etablissement: text(e, "etablissement"),
                    present: count(e, "present"),
                    absent: count(e, "absent"),
                    excuse: count(e, "excuse"),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Collectif {
        nom: j.get("nom")?.as_str()?.to_string(),
        seances,
        enfants,
        avertissements: j
            .get("avertissements")
            .and_then(|a| a.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|w| w.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn parse_iso_date(s: &str) -> Option<Date> {
    let mut it = s.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Date::new(y, m, d)
}

fn total_from_json(j: &Json) -> Option<LevelTotal> {
    let values = j
        .get("values")?
        .as_array()?
        .iter()
        .filter_map(|pair| {
            let pair = pair.as_array()?;
            Some((pair.first()?.as_str()?.to_string(), pair.get(1)?.as_i64()))
        })
        .collect();
    Some(LevelTotal {
        niveau: j.get("niveau")?.as_str()?.to_string(),
        values,
        place: j.get("place").map(place_from_json).unwrap_or_default(),
    })
}

fn place_from_json(j: &Json) -> Place {
    let n = |v: &Json, k: &str| v.get(k).and_then(Json::as_u64).unwrap_or(0) as usize;
    if let Some(p) = j.get("Paragraph").and_then(Json::as_u64) {
        return Place::Paragraph(p as usize);
    }
    if let Some(c) = j.get("Cell") {
        return Place::Cell {
            table: n(c, "table"),
            row: n(c, "row"),
            col: n(c, "col"),
        };
    }
    if let Some(l) = j.get("Line") {
        return Place::Line {
            page: n(l, "page"),
            line: n(l, "line"),
        };
    }
    Place::Body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractions_round_trip_with_problems_and_collectifs() {
        let mut fields = Map::new();
        fields.insert("porteur.nom".into(), json!("Centre social"));
        fields.insert("enfants.total".into(), json!(24));
        let mut x = Extraction::from_json(FormKind::Bilan, "m", &fields);
        x.fields
            .iter_mut()
            .find(|f| f.id == "enfants.elementaire")
            .unwrap()
            .problem = Some(Problem::Unreadable("une quinzaine".into()));
        x.collectifs = Some(vec![Collectif {
            nom: "CP".into(),
            seances: vec![Seance {
                date: Date::new(2025, 11, 14).unwrap(),
                duree_h: Some(1.5),
            }],
            enfants: vec![Enfant {
                nom: "Martin".into(),
                prenom: "Léa".into(),
                niveau: "CP".into(),
                etablissement: "École Jaurès".into(),
                present: 3,
                absent: 1,
                excuse: 0,
            }],
            avertissements: vec!["CP!F9 : marque illisible « ? » : non comptée".into()],
        }]);
        x.totaux = vec![LevelTotal {
            niveau: "college".into(),
            values: vec![("etude".into(), Some(3)), ("clas_qpv".into(), None)],
            place: Place::Cell {
                table: 2,
                row: 5,
                col: 1,
            },
        }];
        let back = extraction_from_json(&extraction_to_json(&x)).unwrap();
        assert_eq!(back.fields_json(), x.fields_json());
        assert_eq!(back.collectifs, x.collectifs);
        assert_eq!(back.totaux, x.totaux);
        let problems = |e: &Extraction| -> Vec<_> {
            e.fields
                .iter()
                .map(|f| (f.id.clone(), f.problem.clone()))
                .collect()
        };
        assert_eq!(problems(&back), problems(&x));
    }
}
