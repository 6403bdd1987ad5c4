//! What a letter asks, as an agent would write it: a porteur's findings grouped by section of
//! the bilan into short tables (question, what was read, what is expected), each question
//! once, in plain words: the question's clean label, no rule source pasted after a colon, no
//! statistician's word.

use super::table::TableBlock;
use crate::dictionary::{self, FieldDef};
use crate::extraction::Extraction;
use crate::findings::{Finding, Severity};
use crate::report::section_title;

/// Column widths of a letter's tables (A4 with 2.5 cm margins: 9,072 twips).
const WIDTHS: [u32; 3] = [2700, 3000, 3372];

/// The table header.
pub(crate) fn header() -> Vec<String> {
    vec![
        "Question".into(),
        "Ce que nous avons lu".into(),
        "Ce qui est attendu".into(),
    ]
}

/// Misspellings of the forms themselves, which the dictionary keeps to find the questions
/// but a letter does not copy.
const FORM_TYPOS: &[(&str, &str)] = &[
    ("du prohet", "du projet"),
    ("parents bers les", "parents vers les"),
    ("Evaluez", "Évaluez"),
    ("Education", "Éducation"),
];

/// A question's label as a letter writes it: the form's wording, its typos corrected.
pub(crate) fn clean_label(def: &FieldDef) -> String {
    let mut s = def.label.trim().trim_end_matches(':').trim().to_string();
    for (typo, right) in FORM_TYPOS {
        s = s.replace(typo, right);
    }
    s
}

/// Where a finding's message quotes its rule's source (« … : Référentiel national : un
/// collectif compte de 8 à 12 enfants »): the message without it, and the source as
/// (origin, rule).
fn split_source(message: &str) -> (String, Option<(String, String)>) {
    const ORIGINS: [&str; 2] = ["Référentiel national", "Cahier des charges"];
    let starts = ORIGINS
        .iter()
        .filter_map(|o| message.find(&format!(" : {o}")))
        .min();
    match starts {
        Some(i) => {
            let before = message[..i].trim().to_string();
            let source = message[i + 3..].trim().trim_end_matches('.');
            let (origin, rule) = match source.find(" : ") {
                Some(j) => (source[..j].trim(), source[j + 3..].trim()),
                None => (source, ""),
            };
            (before, Some((origin.to_string(), rule.to_string())))
        }
        None => (message.trim().to_string(), None),
    }
}

/// Words of the rules' messages a porteur would not use, in plain French.
fn plain_words(s: &str) -> String {
    // « 1 séance par semaine habituellement (médiane sur 12 semaines avec séance, hors
    // semaines avec un jour férié) ».
    let mut out = s.to_string();
    if let Some(i) = out.find("(médiane sur ") {
        let rest = &out[i + "(médiane sur ".len()..];
        let weeks = rest
            .split([',', ')'])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if let Some(end) = out[i..].find(')') {
            let replacement = format!(
                "(nombre de séances d'une semaine ordinaire : autant de semaines en comptent moins que plus, sur {weeks} avec séance, hors semaines avec un jour férié)"
            );
            out.replace_range(i..i + end + 1, &replacement);
        }
    }
    for (from, to) in [
        ("(réponse : sans réponse)", "(sans réponse)"),
        ("(réponses : sans réponse, sans réponse)", "(sans réponse)"),
        (
            "(réponses : sans réponse, sans réponse, sans réponse)",
            "(sans réponse)",
        ),
        ("médiane", "valeur du milieu"),
    ] {
        out = out.replace(from, to);
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn sentence(s: &str) -> String {
    let s = capitalize(s.trim());
    if s.is_empty() || s.ends_with(['.', '!', '?', '…']) {
        s
    } else {
        format!("{s}.")
    }
}

/// What the porteur is asked to do, by rule (the rule registry's advice).
fn advice(rule: &str) -> &'static str {
    crate::findings::registry::get(rule)
        .map_or(crate::findings::registry::DEFAULT_ADVICE, |r| r.advice)
}

/// The finding's message without the question's name it starts with (the table names it).
fn message_body(defs: &[&FieldDef], f: &Finding) -> String {
    let mut m = f.message.trim().to_string();
    for def in defs {
        for quote in [
            format!("« {} » : ", def.label),
            format!("« {} » :", def.label),
        ] {
            if let Some(rest) = m.strip_prefix(&quote) {
                m = rest.trim().to_string();
            }
        }
    }
    m.trim_end_matches('.').to_string()
}

/// An unanswered yes/no question (a warning of `reponse.manquante`).
fn is_unanswered_yes_no(f: &Finding) -> bool {
    f.rule == "reponse.manquante"
        && f.severity == Severity::Warning
        && f.message.contains("n'est coché")
}

/// One row being built: the questions it names, what was read, what is expected.
struct Row {
    fields: Vec<String>,
    questions: Vec<String>,
    read: Vec<String>,
    expected: Vec<String>,
}

/// Several lines of a cell, each marked when there are more than one.
fn listed(lines: &[String]) -> String {
    if lines.len() < 2 {
        return lines.join("\n");
    }
    lines
        .iter()
        .map(|l| format!("– {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The points of one action's findings, by section of the bilan, each question once.
/// `scrub` removes children's names from every cell.
pub(crate) fn tables(
    b: &Extraction,
    findings: &[&Finding],
    title_prefix: Option<&str>,
    scrub: &dyn Fn(&str) -> String,
) -> Vec<TableBlock> {
    // Sections in the order of the form; findings without a question go last.
    let mut sections: Vec<(String, Vec<Row>)> = Vec::new();
    let mut sorted: Vec<&&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in sorted {
        let defs: Vec<&FieldDef> = f
            .fields
            .iter()
            .filter_map(|id| dictionary::field(b.form, id))
            .filter(|d| d.kind != dictionary::FieldType::Table || f.fields.len() == 1)
            .collect();
        let section = defs
            .first()
            .map(|d| section_title(&d.section).to_string())
            .unwrap_or_else(|| "Autres points".to_string());
        let (read, expected) = if is_unanswered_yes_no(f) {
            (
                "Ni « oui » ni « non » n'est coché.".to_string(),
                "Cocher « oui » ou « non ».".to_string(),
            )
        } else {
            let (body, source) = split_source(&message_body(&defs, f));
            let mut expected = String::new();
            if let Some((origin, rule)) = source.filter(|(_, r)| !r.is_empty()) {
                let origin = origin.replacen("Référentiel", "référentiel", 1);
                expected.push_str(&format!(
                    "{} ({origin}). ",
                    sentence(&rule).trim_end_matches('.')
                ));
            }
            expected.push_str(&sentence(advice(&f.rule)));
            (sentence(&plain_words(&body)), expected)
        };
        // A question already in a row, in any section: this finding goes with it.
        if let Some(row) = sections
            .iter_mut()
            .flat_map(|(_, rows)| rows.iter_mut())
            .find(|r| f.fields.iter().any(|id| r.fields.contains(id)))
        {
            for d in &defs {
                if !row.fields.contains(&d.id) {
                    row.fields.push(d.id.clone());
                    row.questions.push(clean_label(d));
                }
            }
            if !row.read.contains(&read) {
                row.read.push(read);
            }
            if !row.expected.contains(&expected) {
                row.expected.push(expected);
            }
            continue;
        }
        let rows = match sections.iter_mut().position(|(s, _)| *s == section) {
            Some(i) => &mut sections[i].1,
            None => {
                sections.push((section, Vec::new()));
                &mut sections.last_mut().expect("just pushed").1
            }
        };
        rows.push(Row {
            fields: defs.iter().map(|d| d.id.clone()).collect(),
            questions: if defs.is_empty() {
                vec!["Ensemble du bilan".into()]
            } else {
                defs.iter().map(|d| clean_label(d)).collect()
            },
            read: vec![read],
            expected: vec![expected],
        });
    }
    // Sections in the form's order.
    let order = |title: &str| {
        dictionary::fields(b.form)
            .iter()
            .position(|d| section_title(&d.section) == title)
            .unwrap_or(usize::MAX)
    };
    sections.sort_by_key(|(s, _)| order(s));
    sections
        .into_iter()
        .map(|(section, rows)| TableBlock {
            title: match title_prefix {
                Some(p) => format!("{p} – {section}"),
                None => section,
            },
            header: header(),
            rows: rows
                .into_iter()
                .map(|r| {
                    vec![
                        scrub(&listed(&r.questions)),
                        scrub(&r.read.join("\n")),
                        scrub(&r.expected.join("\n")),
                    ]
                })
                .collect(),
            widths: WIDTHS.to_vec(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_leaves_the_message_for_the_expected_column() {
        let (body, source) = split_source(
            "Collectif A : 1 séance par semaine habituellement : Référentiel national : deux séances hebdomadaires sont proposées",
        );
        assert_eq!(body, "Collectif A : 1 séance par semaine habituellement");
        assert_eq!(
            source,
            Some((
                "Référentiel national".into(),
                "deux séances hebdomadaires sont proposées".into()
            ))
        );
        let (body, source) = split_source("non renseigné (réponse obligatoire)");
        assert_eq!(body, "non renseigné (réponse obligatoire)");
        assert!(source.is_none());
    }

    #[test]
    fn no_median_in_a_letter() {
        let s = plain_words(
            "A : 1 séance par semaine habituellement (médiane sur 12 semaines avec séance, hors semaines avec un jour férié)",
        );
        assert!(!s.contains("médiane"), "{s}");
        assert!(s.contains("semaine ordinaire") && s.contains("sur 12 semaines avec séance"));
    }

    #[test]
    fn clean_labels() {
        let def = dictionary::field(dictionary::FormKind::Bilan, "calendrier.fin").unwrap();
        assert!(
            def.label.contains("prohet"),
            "the form's own typo is kept to read it"
        );
        assert_eq!(clean_label(def), "Date de fin de mise en œuvre du projet");
    }
}
