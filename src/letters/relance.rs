//! Letters to porteurs whose bilan has errors or warnings: one letter per porteur, each
//! problem in plain French (which question, what was read, what is expected), what to send
//! back and by when. No child is named: the letters carry counts and rates only.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::fill::{FillValue, Template, Values};
use super::{LettersError, date_long, index, slug, tidy, unique_name};
use crate::dictionary::{self, FieldType};
use crate::extraction::{Extraction, Value};
use crate::findings::{Finding, Severity};
use crate::report::{section_title, value_text};
use crate::text::fold;
use crate::values::Date;

/// What `clas relance` needs besides the bilans and their findings.
#[derive(Debug, Clone, Default)]
pub struct RelanceParams {
    /// Date of the letters (default: today).
    pub today: Option<Date>,
    /// Date by which porteurs send back (default: 30 days after `today`).
    pub deadline: Option<Date>,
    /// « Caf de Lot-et-Garonne ».
    pub caf: Option<String>,
    pub ville_caf: Option<String>,
    /// Who porteurs may call or write to.
    pub contact: Option<String>,
    /// Who signs the letters.
    pub signataire: Option<String>,
    /// The bilans' school year, as written in the letter (« 2025-2026 »); default: from the
    /// bilans' dates.
    pub annee: Option<String>,
}

/// One letter written.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterOut {
    pub file: PathBuf,
    pub porteur: String,
    pub actions: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    /// Paragraphs of the problem list (unanswered yes/no questions of an action share one).
    pub points: usize,
    /// Placeholders of the template left as dotted lines.
    pub unfilled: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelanceReport {
    pub letters: Vec<LetterOut>,
    /// Bilans with nothing to ask (no error, no warning).
    pub in_order: usize,
    /// Bilans with problems but no porteur name: no letter can be addressed.
    pub skipped: Vec<String>,
    pub index: PathBuf,
    pub deadline: Date,
}

fn text(b: &Extraction, id: &str) -> Option<String> {
    b.value(id).as_text().map(tidy).filter(|t| !t.is_empty())
}

/// A porteur's name compared: folded, words only. No typo tolerance: a letter must never
/// mix two porteurs (« Centre social 1 » and « Centre social 2 »).
pub(crate) fn porteur_key(name: &str) -> String {
    fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn same_action_strict(a: &Extraction, b: &Extraction) -> bool {
    match (
        text(a, "porteur.nom"),
        text(b, "porteur.nom"),
        text(a, "action.numero"),
        text(b, "action.numero"),
    ) {
        (Some(pa), Some(pb), Some(na), Some(nb)) => {
            porteur_key(&pa) == porteur_key(&pb) && crate::findings::identity::same_number(&na, &nb)
        }
        _ => false,
    }
}

/// What the porteur is asked to do, by rule (the rule registry's advice).
fn expected(rule: &str) -> &'static str {
    crate::findings::registry::get(rule)
        .map_or(crate::findings::registry::DEFAULT_ADVICE, |r| r.advice)
}

/// « « Nombre total d'enfants » (Public concerné, réponse lue : 24) ».
fn questions(b: &Extraction, f: &Finding) -> Vec<String> {
    f.fields
        .iter()
        .filter_map(|id| {
            let def = dictionary::field(b.form, id)?;
            let v = b.value(id);
            // Free text may name people: never copied into a letter.
            let read = match (def.kind, v) {
                (FieldType::Text, Value::Text(_)) if !is_contact(id) => None,
                (FieldType::Table, _) => None,
                (kind, v) => Some(value_text(v, kind)),
            };
            let section = section_title(&def.section);
            Some(match read {
                Some(r) => format!("« {} » ({section}, réponse lue : {r})", def.label),
                None => format!("« {} » ({section})", def.label),
            })
        })
        .collect()
}

fn is_contact(id: &str) -> bool {
    matches!(id, "referent.email" | "referent.telephone")
}

/// The finding's message without the question's name it starts with (the letter names it).
fn message_body(b: &Extraction, f: &Finding) -> String {
    let mut m = f.message.trim().to_string();
    for id in &f.fields {
        if let Some(def) = dictionary::field(b.form, id) {
            for quote in [
                format!("« {} » : ", def.label),
                format!("« {} » :", def.label),
            ] {
                if let Some(rest) = m.strip_prefix(&quote) {
                    m = rest.trim().to_string();
                }
            }
        }
    }
    m.trim_end_matches('.').to_string()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One paragraph of the letter for one finding.
fn problem_text(b: &Extraction, f: &Finding, action_prefix: Option<&str>) -> String {
    let q = questions(b, f);
    let mut s = String::new();
    if let Some(a) = action_prefix {
        s.push_str(&format!("Action {a} – "));
    }
    match q.len() {
        0 => {}
        1 => s.push_str(&format!("Question {} : ", q[0])),
        _ => s.push_str(&format!("Questions {} : ", q.join(", "))),
    }
    let body = message_body(b, f);
    if s.is_empty() {
        s.push_str(&capitalize(&body));
    } else {
        s.push_str(&body);
    }
    s.push_str(". ");
    s.push_str(&capitalize(expected(&f.rule)));
    s.push('.');
    s
}

/// One action's bilan and the findings a letter reports.
type ActionProblems<'a> = (&'a Extraction, Vec<&'a Finding>);

/// An unanswered yes/no question (a warning): these are listed together.
fn is_unanswered_yes_no(f: &Finding) -> bool {
    f.rule == "reponse.manquante"
        && f.severity == Severity::Warning
        && f.message.contains("n'est coché")
}

fn unanswered_text(b: &Extraction, findings: &[&Finding], action_prefix: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(a) = action_prefix {
        s.push_str(&format!("Action {a} – "));
    }
    let names: Vec<String> = findings
        .iter()
        .flat_map(|f| f.fields.iter())
        .filter_map(|id| dictionary::field(b.form, id))
        .map(|def| format!("« {} » ({})", def.label, section_title(&def.section)))
        .collect();
    s.push_str(&format!(
        "{} questions sans réponse, ni « oui » ni « non » n’étant coché : {}. Merci de cocher « oui » ou « non » pour chacune.",
        names.len(),
        names.join(", ")
    ));
    s
}

/// Replaces the names of children (from attendance workbooks given along) by a neutral word.
fn scrub(text: &str, names: &[String]) -> String {
    let mut out = text.to_string();
    for n in names {
        let folded = fold(&out);
        let fname = fold(n);
        let chars: Vec<char> = out.chars().collect();
        let fchars: Vec<char> = folded.chars().collect();
        let nchars: Vec<char> = fname.chars().collect();
        let mut result = String::new();
        let mut i = 0;
        while i < chars.len() {
            let hit = i + nchars.len() <= fchars.len()
                && fchars[i..i + nchars.len()] == nchars[..]
                && (i == 0 || !fchars[i - 1].is_alphanumeric())
                && fchars
                    .get(i + nchars.len())
                    .is_none_or(|c| !c.is_alphanumeric());
            if hit {
                result.push_str("[nom retiré]");
                i += nchars.len();
            } else {
                result.push(chars[i]);
                i += 1;
            }
        }
        out = result;
    }
    out
}

fn action_label(b: &Extraction) -> String {
    let n = text(b, "action.numero").unwrap_or_else(|| "(numéro non indiqué)".into());
    let n = if n.starts_with('(') {
        n
    } else {
        format!("n° {n}")
    };
    match text(b, "action.lieu") {
        Some(l) => format!("{n} ({})", l.replace('\n', ", ")),
        None => n,
    }
}

/// Writes one letter per porteur whose bilan has errors or warnings in `out_dir`, and
/// `index-relances.xlsx` beside them. `actions` pairs each action's bilan with its findings;
/// an attendance workbook passed as an extraction only lends its children's names to be
/// kept out of the letters.
pub fn relance(
    actions: &[(Extraction, Vec<Finding>)],
    params: &RelanceParams,
    template: &[u8],
    out_dir: &Path,
) -> Result<RelanceReport, LettersError> {
    let template = Template::parse(template)?;
    let today = params.today.unwrap_or_else(Date::today);
    let deadline = params
        .deadline
        .unwrap_or_else(|| Date::from_days(today.days() + 30));
    let mut children: Vec<String> = Vec::new();
    for (x, _) in actions {
        for c in x.collectifs.iter().flatten() {
            for e in &c.enfants {
                for n in [&e.nom, &e.prenom] {
                    let n = n.trim();
                    if n.chars().count() >= 2 && !children.iter().any(|c| c == n) {
                        children.push(n.to_string());
                    }
                }
            }
        }
    }
    // Longest names first, so « Marie-Anne » goes before « Marie ».
    children.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));

    let mut in_order = 0;
    let mut skipped = Vec::new();
    let mut porteurs: Vec<(String, Vec<ActionProblems>)> = Vec::new();
    let mut seen: Vec<&Extraction> = Vec::new();
    for (b, findings) in actions {
        if b.form != dictionary::FormKind::Bilan {
            continue;
        }
        // The same action given twice (two copies of one bilan) gives one set of problems.
        // Names must be equal once folded: a porteur's problems never go to another one.
        if seen.iter().any(|s| same_action_strict(s, b)) {
            continue;
        }
        seen.push(b);
        let problems: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        if problems.is_empty() {
            in_order += 1;
            continue;
        }
        let Some(p) = text(b, "porteur.nom") else {
            skipped.push(format!(
                "Bilan de l'action {} : {} point(s) à corriger, mais le nom du porteur est absent : aucun courrier adressé.",
                action_label(b),
                problems.len()
            ));
            continue;
        };
        let p = p.replace('\n', " ");
        match porteurs
            .iter_mut()
            .find(|(name, _)| porteur_key(name) == porteur_key(&p))
        {
            Some((_, list)) => list.push((b, problems)),
            None => porteurs.push((p, vec![(b, problems)])),
        }
    }

    let annee = params.annee.clone().or_else(|| {
        actions
            .iter()
            .filter_map(|(b, _)| {
                b.value("calendrier.debut")
                    .as_date()
                    .or_else(|| b.value("calendrier.fin").as_date())
                    .map(Date::school_year)
            })
            .max()
            .map(|n| format!("{n}-{}", n + 1))
    });

    std::fs::create_dir_all(out_dir).map_err(|e| LettersError::Write(out_dir.into(), e))?;
    let mut taken = HashSet::new();
    taken.insert("index-relances.xlsx".to_string());
    let mut letters = Vec::new();
    let mut plans: Vec<Values> = Vec::with_capacity(porteurs.len());
    for (porteur, list) in &porteurs {
        let several = list.len() > 1;
        let mut problems = Vec::new();
        let mut send = Vec::new();
        let mut presence = false;
        let (mut errors, mut warnings) = (0, 0);
        for (b, findings) in list {
            let label = action_label(b);
            let prefix = several.then_some(label.as_str());
            // Errors first, then warnings, in the rules' order.
            let mut sorted: Vec<&&Finding> = findings.iter().collect();
            sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
            let mut unanswered = Vec::new();
            for f in sorted {
                match f.severity {
                    Severity::Error => errors += 1,
                    _ => warnings += 1,
                }
                presence |= f.rule.starts_with("presence.") || f.rule.starts_with("seances.");
                if is_unanswered_yes_no(f) {
                    unanswered.push(*f);
                    continue;
                }
                problems.push(scrub(&problem_text(b, f, prefix), &children));
            }
            match unanswered.len() {
                0 => {}
                1 => problems.push(scrub(&problem_text(b, unanswered[0], prefix), &children)),
                _ => problems.push(scrub(&unanswered_text(b, &unanswered, prefix), &children)),
            }
            send.push(format!("le bilan complété et corrigé de l’action {label}"));
        }
        if presence {
            send.push("le cahier de présence corrigé, s’il doit l’être".to_string());
        }
        let mut referents: Vec<String> = list
            .iter()
            .filter_map(|(b, _)| text(b, "referent.nom"))
            .collect();
        referents.dedup();
        let actions_text = list
            .iter()
            .map(|(b, _)| action_label(b))
            .collect::<Vec<_>>()
            .join(" ; ");

        let mut values = Values::new();
        let mut set = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
                values.insert(k.to_string(), FillValue::Text(v));
            }
        };
        set("caf", params.caf.clone());
        set("ville_caf", params.ville_caf.clone());
        set("date_lettre", Some(date_long(today)));
        set("porteur", Some(porteur.clone()));
        set("referent", Some(referents.join(", ").replace('\n', " ")));
        set("actions", Some(actions_text));
        set("annee_scolaire", annee.clone());
        set("date_limite", Some(date_long(deadline)));
        set("contact", params.contact.clone());
        set("signataire", params.signataire.clone());
        let problems_count = problems.len();
        values.insert("problemes".into(), FillValue::List(problems));
        values.insert("a_renvoyer".into(), FillValue::List(send));

        let outcome = template.outcome(&values);
        let name = unique_name(
            &mut taken,
            &format!("relance-{}", slug(porteur, 80)),
            "docx",
        );
        let path = out_dir.join(name);
        plans.push(values);
        letters.push(LetterOut {
            file: path,
            porteur: porteur.clone(),
            actions: list
                .iter()
                .map(|(b, _)| text(b, "action.numero").unwrap_or_else(|| "?".into()))
                .collect(),
            errors,
            warnings,
            points: problems_count,
            unfilled: outcome.unfilled,
        });
    }

    // Filled and written once everything kept is allocated, so that each letter's buffers
    // are reused for the next.
    for (l, values) in letters.iter().zip(&plans) {
        let (bytes, _) = template.fill(values)?;
        std::fs::write(&l.file, &bytes).map_err(|e| LettersError::Write(l.file.clone(), e))?;
    }
    drop(plans);

    let index_path = out_dir.join("index-relances.xlsx");
    let rows = letters
        .iter()
        .map(|l| {
            vec![
                l.file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                l.porteur.clone(),
                l.actions.join(", "),
                l.errors.to_string(),
                l.warnings.to_string(),
                l.unfilled
                    .iter()
                    .map(|u| format!("{{{{{u}}}}}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    index::write(
        &index_path,
        &[
            index::Sheet {
                name: "Courriers",
                columns: &[
                    ("Fichier", 45.0),
                    ("Structure porteuse", 30.0),
                    ("Actions (n°)", 12.0),
                    ("Erreurs", 9.0),
                    ("À vérifier", 10.0),
                    ("Champs du modèle non remplis", 40.0),
                ],
                numeric: &[3, 4],
                rows,
            },
            index::Sheet {
                name: "Remarques",
                columns: &[("Remarque", 120.0)],
                numeric: &[],
                rows: skipped.iter().map(|s| vec![s.clone()]).collect(),
            },
        ],
    )?;
    Ok(RelanceReport {
        letters,
        in_order,
        skipped,
        index: index_path,
        deadline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_whole_names_only() {
        let names = vec!["Marie-Anne".to_string(), "Léo".to_string()];
        assert_eq!(
            scrub("collectif de marie-anne et LEO, Léonard reste", &names),
            "collectif de [nom retiré] et [nom retiré], Léonard reste"
        );
    }
}
