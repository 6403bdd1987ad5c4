//! The synthesis's input from the store, for one school year: the current version of each
//! action of that year (bilan and attendance workbook), its notes stratégiques and the
//! documents received; and the Suivi rows, every action expected that year — those of the
//! previous year's bilans (the conventions were made from them) and those that sent a bilan or
//! a cahier de présence this year — with where its file stands.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{Action, Attendance, Conformity, Correction, FollowUp, Input, Note, SourceDoc, Stamp};
use crate::config::Config;
use crate::dictionary::FormKind;
use crate::findings::{self, Finding, identity};
use crate::outputs::OutputError;
use crate::store::{LetterSent, Status, Store};
use crate::text::fold;
use crate::values::Date;
use crate::workspace::school_year_label;

/// The school years the store holds documents in force for, oldest first.
pub(crate) fn years(store: &Store) -> Result<Vec<i32>, OutputError> {
    Ok(store.school_years()?)
}

/// Where an action of the year stands, gathered from its documents.
#[derive(Default)]
struct Tracked {
    porteur: String,
    numero: String,
    bilan: Option<(String, String)>,
    presence: Option<String>,
    /// The bilan's, from its findings (those of its attendance workbook included); none
    /// without a bilan.
    conformity: Option<Conformity>,
    /// The bilan's place (« Lieu de déroulement de l'action et adresse ») and porteur, to tie
    /// a note stratégique to it.
    place: String,
}

/// The input of the synthesis of `year` (its first year: 2025 for 2025-2026).
pub(crate) fn input(config: &Config, store: &Store, year: i32) -> Result<Input, OutputError> {
    // Row by row from the store, each extraction reduced at once to what the synthesis shows
    // of it (values, figures): a département's extractions and reports, all in memory, were
    // most of what the synthesis held.
    // Children under the profile's attendance threshold, as the rules count them.
    let seuil_assiduite = findings::load_profile(&config.profile, Some(&config.rules_dir()))?
        .tolerances
        .assiduite;
    let mut bilans: Vec<(Option<i64>, Action)> = Vec::new();
    let mut presences: HashMap<i64, Attendance> = HashMap::new();
    let mut notes = Vec::new();
    let mut said: HashSet<Arc<Finding>> = HashSet::new();
    // The Suivi: this year's actions by action id (a document without one is its own), and
    // last year's bilans.
    let mut tracked: HashMap<Key, Tracked> = HashMap::new();
    let mut last_year: Vec<(String, String)> = Vec::new();
    store.for_each_current_action(|d| {
        let doc_year = d.school_year.or(d.action.as_ref().map(|a| a.school_year));
        if doc_year == Some(year - 1) && d.form == Some(FormKind::Bilan) {
            if let Some(a) = &d.action {
                last_year.push((a.porteur.clone(), a.numero.clone()));
            }
            return;
        }
        if doc_year != Some(year) {
            return;
        }
        let Some(x) = d.extraction else { return };
        let key = match &d.action {
            Some(a) => Key::Action(a.id),
            None => Key::Document(d.id),
        };
        let received = local_time(&d.received_at);
        match d.form {
            Some(FormKind::Bilan) => {
                let t = tracked.entry(key).or_default();
                let text = |id: &str| x.value(id).as_text().unwrap_or("").trim().to_string();
                t.porteur = text("porteur.nom");
                t.numero = text("action.numero");
                t.place = format!("{} {}", text("action.lieu"), t.porteur);
                let version = d.mapping.clone().unwrap_or_default();
                t.bilan = Some((version, received.clone()));
                t.conformity = Some(Conformity::of(&d.findings));
                bilans.push((
                    d.action.as_ref().map(|a| a.id),
                    Action {
                        bilan: x.into(),
                        presence: None,
                        findings: d
                            .findings
                            .into_iter()
                            .map(|f| match said.get(&f) {
                                Some(shared) => Arc::clone(shared),
                                None => {
                                    let shared = Arc::new(f);
                                    said.insert(Arc::clone(&shared));
                                    shared
                                }
                            })
                            .collect(),
                        source_file: d.file_name,
                        received,
                        form_version: d.mapping.unwrap_or_default(),
                    },
                ))
            }
            // The store gives a bilan and its workbook the same action (same porteur and
            // number, compared as `findings::same_action` does).
            Some(FormKind::Presence) => {
                let t = tracked.entry(key).or_default();
                t.presence = Some(received);
                if t.porteur.is_empty() {
                    // Until its bilan names it (a workbook without an action row names itself).
                    let text = |id: &str| x.value(id).as_text().unwrap_or("").trim().to_string();
                    t.porteur = text("porteur.nom");
                    t.numero = text("action.numero");
                }
                if let Some(a) = &d.action {
                    presences.insert(a.id, Attendance::new(x, seuil_assiduite));
                }
            }
            Some(FormKind::NoteStrategique) => notes.push(Note {
                extraction: x,
                findings: d.findings,
                source_file: d.file_name,
            }),
            None => {}
        }
    })?;
    // An attendance workbook alone names its action as the store's action row does.
    for a in store.actions()? {
        if let Some(t) = tracked.get_mut(&Key::Action(a.id))
            && t.bilan.is_none()
        {
            t.porteur = a.porteur;
            t.numero = a.numero;
        }
    }
    // Which bilan each action's corrections mark: its file and date of reception.
    let bilan_files: HashMap<i64, (String, String)> = bilans
        .iter()
        .filter_map(|(id, a)| Some(((*id)?, (a.source_file.clone(), a.received.clone()))))
        .collect();
    let actions = bilans
        .into_iter()
        .map(|(action, mut a)| {
            a.presence = action.and_then(|id| presences.remove(&id));
            a
        })
        .collect();

    let latest = years(store)?.last().copied();
    let mut sources = Vec::new();
    store.for_each_document_light(|d| {
        // A refused file has no school year: listed with the most recent year.
        let keep = match d.school_year.or(d.action.as_ref().map(|a| a.school_year)) {
            Some(y) => y == year,
            None => latest.is_none_or(|l| l == year),
        };
        if !keep {
            return;
        }
        sources.push(SourceDoc {
            status: match &d.status {
                Status::Archived => "archivé".into(),
                Status::Rejected { .. } => "refusé".into(),
                Status::Duplicate { .. } => "doublon".into(),
            },
            file: d.file_name,
            hash: d.hash,
            received: local_time(&d.received_at),
            form: d.form.map(|f| f.id().to_string()).unwrap_or_default(),
            form_version: d.mapping.unwrap_or_default(),
            current: d.current,
        })
    })?;

    let territories: Vec<String> = notes
        .iter()
        .filter_map(|n| n.extraction.value("territoire.nom").as_text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let follow_up = follow_up(
        year,
        tracked,
        &last_year,
        &territories,
        &store.letters_sent()?,
        config.today,
    );

    let territory = if config.territory.is_empty() {
        String::new()
    } else {
        format!(" — {}", config.territory)
    };
    Ok(Input {
        corrections: corrections(store, year, &bilan_files)?,
        seuil_assiduite,
        title: format!(
            "Synthèse départementale CLAS {}{territory}",
            school_year_label(year)
        ),
        generated: Stamp::now(),
        actions,
        notes,
        sources,
        follow_up,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Action(i64),
    Document(i64),
}

/// The Suivi rows: this year's actions, and last year's that sent nothing yet, by porteur and
/// action number.
fn follow_up(
    year: i32,
    tracked: HashMap<Key, Tracked>,
    last_year: &[(String, String)],
    territories: &[String],
    letters: &HashMap<i64, LetterSent>,
    today: Date,
) -> Vec<FollowUp> {
    let previous = format!("bilan {}", school_year_label(year - 1));
    let mut seen_last_year = vec![false; last_year.len()];
    let mut rows: Vec<FollowUp> = Vec::new();
    for (key, t) in tracked {
        let known = last_year
            .iter()
            .position(|(p, n)| same(p, n, &t.porteur, &t.numero));
        if let Some(i) = known {
            seen_last_year[i] = true;
        }
        let expected_from = if known.is_some() {
            previous.clone()
        } else if t.bilan.is_some() {
            "bilan reçu".to_string()
        } else {
            "cahier de présence reçu".to_string()
        };
        let letter = match key {
            Key::Action(id) => letters.get(&id).copied(),
            Key::Document(_) => None,
        };
        let mut row = FollowUp {
            note: tie(&t.place, territories),
            porteur: t.porteur,
            numero: t.numero,
            expected_from,
            bilan: t.bilan,
            presence: t.presence,
            conformity: t.conformity,
            letter_sent: letter.map(|l| l.sent_on.to_string()),
            reply_by: letter.and_then(|l| l.reply_by).map(|d| d.to_string()),
            next_step: String::new(),
        };
        row.next_step = next_step(&row, letter, today);
        rows.push(row);
    }
    for (i, (porteur, numero)) in last_year.iter().enumerate() {
        // Two bilans of last year for one action this year: one row.
        if seen_last_year[i]
            || rows
                .iter()
                .any(|r| same(&r.porteur, &r.numero, porteur, numero))
        {
            continue;
        }
        let mut row = FollowUp {
            porteur: porteur.clone(),
            numero: numero.clone(),
            expected_from: previous.clone(),
            ..FollowUp::default()
        };
        row.next_step = next_step(&row, None, today);
        rows.push(row);
    }
    rows.sort_by_cached_key(|r| {
        let n: u64 = r
            .numero
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(u64::MAX);
        (fold(r.porteur.trim()), n, fold(&r.numero))
    });
    rows
}

/// Same action (tolerant porteur name, same number), as the store matches them.
fn same(pa: &str, na: &str, pb: &str, nb: &str) -> bool {
    identity::bucket("action", pa, na).is_some()
        && identity::bucket("action", pa, na) == identity::bucket("action", pb, nb)
        && identity::same_name(pa, pb)
}

/// The territory whose name appears, as whole words, in the action's place or porteur (the
/// longest when several do).
fn tie(place: &str, territories: &[String]) -> Option<String> {
    let words = |s: &str| -> Vec<String> {
        fold(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let place = words(place);
    territories
        .iter()
        .filter(|t| {
            let tw = words(t);
            !tw.is_empty() && place.windows(tw.len()).any(|w| w == tw.as_slice())
        })
        .max_by_key(|t| t.len())
        .cloned()
}

/// What the agent has to do next about an action.
fn next_step(row: &FollowUp, letter: Option<LetterSent>, today: Date) -> String {
    let answered = match (letter, &row.bilan) {
        (Some(l), Some((_, received))) => {
            Stamp::parse(received).is_some_and(|s| s.date > l.sent_on)
        }
        _ => false,
    };
    let late = |l: LetterSent| l.reply_by.is_some_and(|d| d < today);
    match (row.bilan.is_some(), row.conformity, letter) {
        (false, _, None) => "Réclamer le bilan".into(),
        (false, _, Some(l)) if late(l) => format!(
            "Bilan toujours attendu (réponse demandée pour le {}) : rappeler le porteur",
            l.reply_by.map(Date::french).unwrap_or_default()
        ),
        (false, _, Some(_)) => "Attendre le bilan demandé".into(),
        (true, Some(Conformity::NonConforme), None) => "Écrire au porteur (clas relance)".into(),
        (true, Some(Conformity::NonConforme), Some(_)) if answered => {
            "Nouvelle version reçue après la relance, toujours non conforme : voir les anomalies"
                .into()
        }
        (true, Some(Conformity::NonConforme), Some(l)) if late(l) => format!(
            "Sans réponse depuis le {} : rappeler le porteur",
            l.reply_by.map(Date::french).unwrap_or_default()
        ),
        (true, Some(Conformity::NonConforme), Some(_)) => "Attendre la réponse".into(),
        (true, Some(Conformity::AVerifier), _) => "Vérifier les points signalés".into(),
        _ => String::new(),
    }
}

/// The store keeps UTC; agents read local time.
fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The corrections journal of the year as the synthesis shows it: values as agents write them, and the
/// bilan cell each correction in force marks.
fn corrections(
    store: &Store,
    year: i32,
    bilan_files: &HashMap<i64, (String, String)>,
) -> Result<Vec<Correction>, OutputError> {
    // This year's actions only, as every sheet of the workbook.
    let annee = school_year_label(year);
    let entries: Vec<_> = crate::corrections::journal(store)?
        .into_iter()
        .filter(|e| e.annee == annee)
        .collect();
    // The correction in force of each field: the last one applied.
    let mut last: HashMap<(i64, &str, &str), i64> = HashMap::new();
    for e in entries.iter().filter(|e| e.status == "appliquée") {
        last.insert((e.action_id, e.form.as_str(), e.field.as_str()), e.id);
    }
    Ok(entries
        .iter()
        .map(|e| {
            let def =
                FormKind::from_id(&e.form).and_then(|f| crate::dictionary::field(f, &e.field));
            let kind = def
                .map(|d| d.kind)
                .unwrap_or(crate::dictionary::FieldType::Text);
            let shown = |j: &serde_json::Value| {
                crate::corrections::display_value(
                    kind,
                    &crate::extraction::Value::from_json(kind, j),
                )
            };
            let in_force = e.form == FormKind::Bilan.id()
                && last.get(&(e.action_id, e.form.as_str(), e.field.as_str())) == Some(&e.id);
            Correction {
                at: e.at.clone(),
                author: e.author.clone(),
                porteur: e.porteur.clone(),
                action: e.action.clone(),
                annee: e.annee.clone(),
                field: e.field.clone(),
                label: def.map(|d| d.label.clone()).unwrap_or_default(),
                before: shown(&e.before),
                after: shown(&e.after),
                motif: e.motif.clone(),
                status: e.status.clone(),
                marks: in_force
                    .then(|| bilan_files.get(&e.action_id).cloned())
                    .flatten(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_tied_by_whole_words() {
        let t = vec!["Agen".to_string(), "Villeneuve-sur-Lot".to_string()];
        assert_eq!(
            tie("12 rue de la Paix, 47000 AGEN Asso", &t).as_deref(),
            Some("Agen")
        );
        assert_eq!(
            tie("Collège, Villeneuve sur Lot", &t).as_deref(),
            Some("Villeneuve-sur-Lot")
        );
        // « Agenais » is not Agen.
        assert_eq!(tie("Pays agenais", &t), None);
    }

    #[test]
    fn last_years_actions_without_news_are_listed_as_missing() {
        let mut tracked = HashMap::new();
        tracked.insert(
            Key::Action(1),
            Tracked {
                porteur: "MJC Horizon".into(),
                numero: "2".into(),
                presence: Some("2026-01-10".into()),
                ..Tracked::default()
            },
        );
        let last = vec![
            ("MJC Horizon".to_string(), "N° 2".to_string()),
            ("Les Minimes".to_string(), "1".to_string()),
        ];
        let today = Date::new(2026, 3, 1).unwrap();
        let rows = follow_up(2025, tracked, &last, &[], &HashMap::new(), today);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].porteur, "Les Minimes");
        assert_eq!(rows[0].expected_from, "bilan 2024-2025");
        assert!(rows[0].bilan.is_none() && rows[0].presence.is_none());
        assert_eq!(rows[1].expected_from, "bilan 2024-2025");
        assert_eq!(rows[1].presence.as_deref(), Some("2026-01-10"));
        assert_eq!(rows[1].next_step, "Réclamer le bilan");
    }
}
