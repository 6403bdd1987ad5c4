//! `clas correct` and `clas corrections` (docs/cli.md, « Corrections and the review page »).

use clas::config::Config;
use clas::corrections::{self, CorrectionError};
use clas::dictionary::{self, FieldType, FormKind};
use clas::extraction::Value;
use clas::store::{ActionRef, Status, Store};

use super::outputs::open_store;
use super::{BAD_INPUT, OK};

/// Which action `clas correct` is about, as the agent wrote it.
pub(super) struct Target {
    pub(super) porteur: String,
    pub(super) action: Option<String>,
    pub(super) annee: Option<String>,
}

/// `clas correct --porteur NOM [--action N] [--annee AAAA-AAAA] --champ ID --valeur V --motif T`.
pub(super) fn correct(
    config: &Config,
    target: &Target,
    champ: &[String],
    valeur: &[String],
    motif: &str,
) -> i32 {
    if champ.len() != 1 || valeur.len() != 1 {
        eprintln!(
            "clas : une correction porte sur un seul champ : donnez une fois --champ et une fois --valeur"
        );
        return BAD_INPUT;
    }
    let annee = match target.annee.as_deref() {
        Some(a) => match clas::letters::parse_annee(a) {
            Some(y) => Some(y),
            None => {
                eprintln!("clas : année scolaire « {a} » illisible : écrivez-la comme 2021-2022");
                return BAD_INPUT;
            }
        },
        None => None,
    };
    let store = match open_store(config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let found =
        match corrections::find_actions(&store, &target.porteur, target.action.as_deref(), annee) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("clas : {e}");
                return BAD_INPUT;
            }
        };
    // A document read without its action number belongs to no action yet: it gets its own.
    let unattached = if found.is_empty() && target.action.is_none() {
        corrections::unattached_documents(&store, &target.porteur).unwrap_or_default()
    } else {
        Vec::new()
    };
    let action_id = match (found.as_slice(), unattached.as_slice()) {
        ([one], _) => one.id,
        ([], [doc]) => match corrections::action_of_document(&store, doc.id) {
            Ok(id) => id,
            Err(e) => return refused(&e),
        },
        ([], [_, _, ..]) => {
            eprintln!(
                "clas : plusieurs documents sans numéro d'action correspondent au porteur « {} » :",
                target.porteur
            );
            for d in &unattached {
                eprintln!("  {}", d.path.display());
            }
            return BAD_INPUT;
        }
        ([], []) => {
            eprintln!(
                "clas : aucune action ne correspond au porteur « {} »{}{}.",
                target.porteur,
                target
                    .action
                    .as_ref()
                    .map(|a| format!(", action {a}"))
                    .unwrap_or_default(),
                target
                    .annee
                    .as_ref()
                    .map(|a| format!(", année {a}"))
                    .unwrap_or_default(),
            );
            let near = corrections::nearest_actions(&store, &target.porteur, annee, 10)
                .unwrap_or_default();
            if near.is_empty() {
                eprintln!("Le magasin ne contient encore aucune action.");
            } else {
                eprintln!("Les actions les plus proches :");
                for a in &near {
                    eprintln!("  {}", describe(a));
                }
            }
            return BAD_INPUT;
        }
        (many, _) => {
            eprintln!(
                "clas : {} actions correspondent au porteur « {} » ; précisez --action ou --annee :",
                many.len(),
                target.porteur
            );
            for a in many {
                eprintln!("  {}", describe(a));
            }
            return BAD_INPUT;
        }
    };
    let req = corrections::Request {
        action_id,
        field: champ[0].clone(),
        value: valeur[0].clone(),
        motif: motif.to_string(),
        author: corrections::default_author(config),
    };
    match corrections::correct(config, &store, &req) {
        Ok(applied) => {
            let kind = field_kind(&applied.field);
            println!(
                "{} — {} ({}) : {} : {} → {}",
                applied.porteur,
                numero(&applied.action),
                applied.annee,
                applied.field,
                shown(kind, &applied.before),
                shown(kind, &applied.after),
            );
            after_change(config, &store);
            OK
        }
        Err(e) => refused(&e),
    }
}

/// `clas correct --fichier NOM [--formulaire F] --champ ID --valeur V … --motif T`: the values of
/// a refused document, typed by the agent.
pub(super) fn manual(
    config: &Config,
    file: &str,
    formulaire: &str,
    champ: &[String],
    valeur: &[String],
    motif: &str,
) -> i32 {
    let form = match formulaire {
        "bilan" => FormKind::Bilan,
        "note-strategique" | "note" => FormKind::NoteStrategique,
        other => {
            eprintln!("clas : formulaire « {other} » inconnu : écrivez bilan ou note-strategique");
            return BAD_INPUT;
        }
    };
    if champ.len() != valeur.len() {
        eprintln!(
            "clas : donnez autant de --valeur que de --champ ({} champ(s), {} valeur(s))",
            champ.len(),
            valeur.len()
        );
        return BAD_INPUT;
    }
    let store = match open_store(config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let Some(document_id) = rejected_document(&store, file) else {
        return BAD_INPUT;
    };
    let req = corrections::ManualRequest {
        document_id,
        form,
        values: champ.iter().cloned().zip(valeur.iter().cloned()).collect(),
        motif: motif.to_string(),
        author: corrections::default_author(config),
    };
    match corrections::manual_entry(config, &store, &req) {
        Ok(m) => {
            println!(
                "{file} : saisie manuelle de {} valeur(s) — {}, action {} ({})",
                m.values, m.porteur, m.action, m.annee
            );
            after_change(config, &store);
            OK
        }
        Err(e) => refused(&e),
    }
}

/// The refused document of this name (or path under the workspace).
fn rejected_document(store: &Store, file: &str) -> Option<i64> {
    let docs = match store.documents() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("clas : {e}");
            return None;
        }
    };
    let wanted = file.replace('\\', "/");
    let name = wanted.rsplit('/').next().unwrap_or(&wanted).to_lowercase();
    let hits: Vec<_> = docs
        .iter()
        .filter(|d| {
            d.file_name.to_lowercase() == name
                || d.path.to_string_lossy().to_lowercase() == wanted.to_lowercase()
                || d.path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().to_lowercase() == name)
        })
        .collect();
    let rejected: Vec<_> = hits
        .iter()
        .filter(|d| matches!(d.status, Status::Rejected { .. }))
        .collect();
    match (rejected.as_slice(), hits.is_empty()) {
        ([one], _) => Some(one.id),
        ([], true) => {
            eprintln!(
                "clas : aucun document reçu ne s'appelle « {file} » ; les documents refusés :"
            );
            for d in docs
                .iter()
                .filter(|d| matches!(d.status, Status::Rejected { .. }))
            {
                eprintln!("  {}", d.path.display());
            }
            None
        }
        ([], false) => {
            eprintln!(
                "clas : « {file} » a été lu par clas : corrigez ses valeurs avec clas correct --porteur …"
            );
            None
        }
        (many, _) => {
            eprintln!(
                "clas : plusieurs documents refusés s'appellent « {file} » ; donnez son chemin :"
            );
            for d in many {
                eprintln!("  {}", d.path.display());
            }
            None
        }
    }
}

/// `clas corrections [--json]`.
pub(super) fn journal(config: &Config, json: bool) -> i32 {
    let store = match open_store(config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let entries = match corrections::journal(&store) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    if json {
        for e in &entries {
            println!("{}", serde_json::to_string(e).unwrap_or_default());
        }
        return OK;
    }
    if entries.is_empty() {
        eprintln!("Aucune correction.");
        return OK;
    }
    for e in &entries {
        let kind = field_kind(&e.field);
        println!(
            "{} · {} · {} — {} ({}) · {} : {} → {} · motif : {} · {}",
            e.at.replace('T', " "),
            e.author,
            e.porteur,
            numero(&e.action),
            e.annee,
            e.field,
            shown(kind, &e.before),
            shown(kind, &e.after),
            e.motif,
            e.status,
        );
    }
    let to_review = entries.iter().filter(|e| e.status == "à revoir").count();
    if to_review > 0 {
        eprintln!(
            "{to_review} correction(s) à revoir : une nouvelle version du document a changé la valeur corrigée ; corrigez à nouveau le champ pour confirmer ou remplacer."
        );
    }
    OK
}

/// After a change: the reports written again, and the synthesis if there is one.
fn after_change(config: &Config, store: &Store) {
    if let Ok(mut inbox) = clas::inbox::Inbox::open(config)
        && matches!(inbox.try_lock(), Ok(true))
        && let Err(e) = inbox.reconcile()
    {
        eprintln!("clas : rapports non réécrits : {e}");
    }
    let synthesis = config.sorties_dir().join("synthese.xlsx");
    if synthesis.exists() {
        match clas::inbox::rebuild_outputs(config, store) {
            Ok(rebuilt) => {
                for n in rebuilt.notices {
                    eprintln!("clas : {n}");
                }
                for f in rebuilt.written {
                    eprintln!("synthèse mise à jour : {}", f.display());
                }
            }
            Err(e) => eprintln!("clas : synthèse non mise à jour : {e}"),
        }
    }
}

fn refused(e: &CorrectionError) -> i32 {
    eprintln!("clas : correction refusée : {e}");
    BAD_INPUT
}

fn describe(a: &ActionRef) -> String {
    if a.kind == "territoire" {
        format!("{} (territoire, {})", a.porteur, school_year(a.school_year))
    } else {
        format!(
            "{} — {} ({})",
            a.porteur,
            numero(&a.numero),
            school_year(a.school_year)
        )
    }
}

/// « action 3 », or « action sans numéro ».
fn numero(n: &str) -> String {
    if n.trim().is_empty() {
        "action sans numéro".into()
    } else {
        format!("action {n}")
    }
}

fn school_year(y: i32) -> String {
    clas::workspace::school_year_label(y)
}

/// The type of a field id, in whichever dictionary has it.
fn field_kind(field: &str) -> FieldType {
    [
        FormKind::Bilan,
        FormKind::NoteStrategique,
        FormKind::Presence,
    ]
    .into_iter()
    .find_map(|f| dictionary::field(f, field))
    .map(|d| d.kind)
    .unwrap_or(FieldType::Text)
}

/// A typed JSON value as an agent reads it: `15`, `17/11/2025`, `oui`, « (vide) ».
fn shown(kind: FieldType, json: &serde_json::Value) -> String {
    let v = Value::from_json(kind, json);
    if v == Value::Null {
        return "(vide)".into();
    }
    corrections::display_value(kind, &v)
}
