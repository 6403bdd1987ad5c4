//! Answers of any form: missing (`reponse.manquante`), both boxes ticked
//! (`reponse.contradictoire`), unreadable (`reponse.illisible`).

use super::*;

pub(super) fn answers(e: &Extraction, prefix: &str, out: &mut Out) {
    for f in &e.fields {
        let name = label(e.form, &f.id);
        match &f.problem {
            Some(Problem::Contradictory) => out.push(
                "reponse.contradictoire",
                Severity::Error,
                &[&f.id],
                format!(
                    "{prefix}« {name} » : les cases « oui » et « non » sont toutes deux cochées"
                ),
            ),
            Some(Problem::Unreadable(written)) => {
                let kind = match f.kind {
                    FieldType::Integer | FieldType::Decimal => "un nombre",
                    FieldType::Date => "une date",
                    FieldType::Yesno | FieldType::Check => "une réponse oui ou non",
                    FieldType::Table => "un tableau",
                    FieldType::Text => "un texte",
                };
                out.push(
                    "reponse.illisible",
                    Severity::Warning,
                    &[&f.id],
                    format!(
                        "{prefix}« {name} » : « {} » ne se lit pas comme {kind}",
                        written.trim()
                    ),
                );
            }
            problem if f.value.is_null() => {
                let not_found = matches!(problem, Some(Problem::NotFound));
                let how = if not_found {
                    "question introuvable dans le document"
                } else {
                    "non renseigné"
                };
                if REQUIRED.contains(&f.id.as_str()) {
                    out.push(
                        "reponse.manquante",
                        Severity::Error,
                        &[&f.id],
                        format!("{prefix}« {name} » : {how} (réponse obligatoire)"),
                    );
                } else if f.kind == FieldType::Yesno && !not_asked(e, &f.id) {
                    let how = if not_found {
                        "question introuvable dans le document"
                    } else {
                        "ni « oui » ni « non » n'est coché"
                    };
                    out.push(
                        "reponse.manquante",
                        Severity::Warning,
                        &[&f.id],
                        format!("{prefix}« {name} » : {how}"),
                    );
                }
            }
            _ => {}
        }
    }
}

/// A yes/no that only applies when the question before it is answered oui: the « écarts » of a
/// project that was not carried out.
fn not_asked(e: &Extraction, id: &str) -> bool {
    let parent = match id {
        "ouverture_culturelle.ecart" => "ouverture_culturelle.realise",
        "projet_parents.ecart" => "projet_parents.realise",
        _ => return false,
    };
    e.value(parent).as_bool() == Some(false)
}
