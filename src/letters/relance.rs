//! Letters to porteurs whose bilan has errors: one letter per porteur, its points in short
//! tables by section of the bilan (which question, what was read, what is expected), what to
//! send back and by when. Points only to check (warnings) are left out, or, when the agent
//! asks for it, sent in a separate, softer letter. No child is named: the letters carry
//! counts and rates only.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::fill::{FillValue, Template, Values};
use super::{LettersError, date_long, french_spacing, index, points, slug, tidy, unique_name};
use crate::dictionary;
use crate::extraction::Extraction;
use crate::findings::{Finding, Severity};
use crate::text::fold;
use crate::values::Date;

/// What `clas relance` needs besides the bilans and their findings.
#[derive(Debug, Clone, Default)]
pub struct RelanceParams {
    /// Date of the letters (default: today).
    pub today: Option<Date>,
    /// Date by which porteurs send back (default: `delay_days` after `today`, moved to the
    /// next working day).
    pub deadline: Option<Date>,
    /// Days porteurs have to answer (default: 30).
    pub delay_days: Option<u32>,
    /// The template of the softer letters about points to check (warnings): when given, each
    /// porteur with such points gets one (`clas relance --avertissements`); otherwise
    /// warnings are left out of the letters.
    pub verification: Option<Vec<u8>>,
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

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    /// Errors to complete or correct before the bilan can be examined.
    Relance,
    /// Points to check only (warnings): a softer letter, asked for by the agent.
    Verification,
}

impl LetterKind {
    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Relance => "relance (erreurs)",
            LetterKind::Verification => "points à vérifier",
        }
    }
}

/// One letter written.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterOut {
    pub kind: LetterKind,
    pub file: PathBuf,
    pub porteur: String,
    pub actions: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    /// Rows of the letter's tables (each question once).
    pub points: usize,
    /// Placeholders of the template left as dotted lines.
    pub unfilled: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RelanceReport {
    pub letters: Vec<LetterOut>,
    /// Bilans with nothing to ask (no error, no warning).
    pub in_order: usize,
    /// Porteurs with points to check only, to whom no letter was written (warnings are
    /// written about only when asked for).
    pub warnings_only: Vec<String>,
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

/// One action's bilan and the findings a letter reports.
type ActionProblems<'a> = (&'a Extraction, Vec<&'a Finding>);

/// One porteur's actions and, for each, the findings of one letter.
type PorteurProblems<'a> = (String, Vec<ActionProblems<'a>>);

/// Writes, in `out_dir`, one letter per porteur whose bilan has errors, and, when
/// `params.verification` is given, one softer letter per porteur whose bilan has points to
/// check; `index-relances.xlsx` beside them. `actions` pairs each action's bilan with its
/// findings; an attendance workbook passed as an extraction only lends its children's names
/// to be kept out of the letters.
pub fn relance(
    actions: &[(Extraction, Vec<Finding>)],
    params: &RelanceParams,
    template: &[u8],
    out_dir: &Path,
) -> Result<RelanceReport, LettersError> {
    let relance_template = Template::parse(template)?;
    let verification_template = params
        .verification
        .as_deref()
        .map(Template::parse)
        .transpose()?;
    let today = params.today.unwrap_or_else(Date::today);
    let deadline = params.deadline.unwrap_or_else(|| {
        crate::holidays::working_day_on_or_after(Date::from_days(
            today.days() + i64::from(params.delay_days.unwrap_or(30)),
        ))
    });
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
    let mut errors_by_porteur: Vec<PorteurProblems> = Vec::new();
    let mut warnings_by_porteur: Vec<PorteurProblems> = Vec::new();
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
        let errors: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        let warnings: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .collect();
        if errors.is_empty() && warnings.is_empty() {
            in_order += 1;
            continue;
        }
        let Some(p) = text(b, "porteur.nom") else {
            skipped.push(format!(
                "Bilan de l'action {} : {} point(s) à corriger ou à vérifier, mais le nom du porteur est absent : aucun courrier adressé.",
                action_label(b),
                errors.len() + warnings.len()
            ));
            continue;
        };
        let p = p.replace('\n', " ");
        for (list, found) in [
            (&mut errors_by_porteur, errors),
            (&mut warnings_by_porteur, warnings),
        ] {
            if found.is_empty() {
                continue;
            }
            match list
                .iter_mut()
                .find(|(name, _)| porteur_key(name) == porteur_key(&p))
            {
                Some((_, l)) => l.push((b, found)),
                None => list.push((p.clone(), vec![(b, found)])),
            }
        }
    }
    let warnings_only: Vec<String> = warnings_by_porteur
        .iter()
        .filter(|(p, _)| {
            !errors_by_porteur
                .iter()
                .any(|(q, _)| porteur_key(q) == porteur_key(p))
        })
        .map(|(p, _)| p.clone())
        .collect();

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
    let mut plans: Vec<Values> = Vec::new();
    let mut batches: Vec<(LetterKind, &Template, &[PorteurProblems])> =
        vec![(LetterKind::Relance, &relance_template, &errors_by_porteur)];
    if let Some(t) = &verification_template {
        batches.push((LetterKind::Verification, t, &warnings_by_porteur));
    }
    let scrub_children = |s: &str| french_spacing(&scrub(s, &children));
    for (kind, template, porteurs) in batches {
        for (porteur, list) in porteurs {
            let several = list.len() > 1;
            let mut blocks = Vec::new();
            let mut send = Vec::new();
            let mut presence = false;
            let (mut errors, mut warnings) = (0, 0);
            for (b, findings) in list {
                let label = action_label(b);
                let prefix = several.then(|| format!("Action {label}"));
                for f in findings {
                    match f.severity {
                        Severity::Error => errors += 1,
                        _ => warnings += 1,
                    }
                    presence |= f.rule.starts_with("presence.") || f.rule.starts_with("seances.");
                }
                blocks.extend(points::tables(
                    b,
                    findings,
                    prefix.as_deref(),
                    &scrub_children,
                ));
                send.push(match kind {
                    LetterKind::Relance => {
                        format!("le bilan complété et corrigé de l’action {label}")
                    }
                    LetterKind::Verification => {
                        format!("votre confirmation, ou le bilan corrigé, pour l’action {label}")
                    }
                });
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
                    values.insert(k.to_string(), FillValue::Text(french_spacing(&v)));
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
            let points_count = blocks.iter().map(|b| b.rows.len()).sum();
            values.insert("problemes".into(), FillValue::Tables(blocks));
            values.insert(
                "a_renvoyer".into(),
                FillValue::List(send.iter().map(|s| french_spacing(s)).collect()),
            );

            let outcome = template.outcome(&values);
            let stem = match kind {
                LetterKind::Relance => format!("relance-{}", slug(porteur, 80)),
                LetterKind::Verification => format!("verification-{}", slug(porteur, 80)),
            };
            let path = out_dir.join(unique_name(&mut taken, &stem, "docx"));
            plans.push(values);
            letters.push(LetterOut {
                kind,
                file: path,
                porteur: porteur.clone(),
                actions: list
                    .iter()
                    .map(|(b, _)| text(b, "action.numero").unwrap_or_else(|| "?".into()))
                    .collect(),
                errors,
                warnings,
                points: points_count,
                unfilled: outcome.unfilled,
            });
        }
    }

    // Filled and written once everything kept is allocated, so that each letter's buffers
    // are reused for the next.
    for (l, values) in letters.iter().zip(&plans) {
        let template = match l.kind {
            LetterKind::Relance => &relance_template,
            LetterKind::Verification => verification_template
                .as_ref()
                .expect("verification letters only with their template"),
        };
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
                l.kind.label().to_string(),
            ]
        })
        .collect();
    let mut remarks = skipped.clone();
    if verification_template.is_none() {
        remarks.extend(warnings_only.iter().map(|p| {
            format!(
                "{p} : seulement des points à vérifier, aucun courrier écrit (clas relance --avertissements pour lui écrire)."
            )
        }));
    }
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
                    ("Courrier", 18.0),
                ],
                numeric: &[3, 4],
                rows,
            },
            index::Sheet {
                name: "Remarques",
                columns: &[("Remarque", 120.0)],
                numeric: &[],
                rows: remarks.iter().map(|s| vec![s.clone()]).collect(),
            },
        ],
    )?;
    Ok(RelanceReport {
        letters,
        in_order,
        warnings_only,
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
