//! What the store produces for agents: conventions, pre-filled bilans and letters (and the
//! synthesis), from the current version of each action. Used by the commands and by `watch`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::dictionary::FormKind;
use crate::extraction::Extraction;
use crate::findings::{self, Finding};
use crate::letters::{
    self, LettersError, PrefillParams, PrefillReport, RelanceParams, RelanceReport, Signataires,
};
use crate::store::{Status, Store, StoreError, StoredDocument};
use crate::synthesis;

/// The forms shipped with clas; a workspace's `modeles/` folder replaces any of them. The
/// letter template is not among them: it is built by [`letters::default_relance_template`]
/// (`forms/relance.docx` is an export of it, for a Caf to copy into `modeles/` and edit).
const CONVENTION: &[u8] = include_bytes!("../forms/convention.docx");
const BILAN: &[u8] = include_bytes!("../forms/bilan-clas.docx");

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Letters(#[from] LettersError),
    #[error("{0}")]
    Rules(#[from] findings::RulesError),
    #[error("{} : lecture impossible ({})", path.display(), crate::files::io_french(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Synthesis(#[from] synthesis::SynthesisError),
    #[error("aucun bilan dans le magasin : déposez d'abord des bilans (clas ingest ou clas watch)")]
    NoBilan,
}

/// A template: the workspace's own (`modeles/<name>`) if there is one, else clas's own.
fn template(
    config: &Config,
    name: &str,
    default: impl FnOnce() -> Vec<u8>,
) -> Result<Vec<u8>, OutputError> {
    let own = config.workspace.join("modeles").join(name);
    if own.is_file() {
        return std::fs::read(&own).map_err(|e| OutputError::Read {
            path: own,
            source: e,
        });
    }
    Ok(default())
}

fn current(store: &Store, form: FormKind) -> Result<Vec<StoredDocument>, OutputError> {
    Ok(store
        .current_actions()?
        .into_iter()
        .filter(|d| d.form == Some(form) && d.extraction.is_some())
        .collect())
}

fn current_bilans(store: &Store) -> Result<Vec<Extraction>, OutputError> {
    let bilans: Vec<Extraction> = current(store, FormKind::Bilan)?
        .into_iter()
        .filter_map(|d| d.extraction)
        .collect();
    if bilans.is_empty() {
        return Err(OutputError::NoBilan);
    }
    Ok(bilans)
}

/// `clas prefill`: next year's conventions, one per (porteur, établissement).
pub fn conventions(
    config: &Config,
    store: &Store,
    annee: Option<i32>,
    out: Option<&Path>,
) -> Result<PrefillReport, OutputError> {
    let bilans = current_bilans(store)?;
    let signataires = match &config.signatories_csv {
        Some(p) => {
            let path = config.workspace.join(p);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| OutputError::Read { path, source: e })?;
            Signataires::from_csv(&text)?
        }
        None => Signataires::default(),
    };
    let params = PrefillParams {
        annee,
        territoire: Some(config.territory.clone()).filter(|t| !t.is_empty()),
        ville_caf: Some(config.caf_town.clone()).filter(|t| !t.is_empty()),
        calendar: findings::load_calendar(Some(&config.rules_dir()))?,
        signataires,
        today: Some(config.today),
        ..Default::default()
    };
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| config.sorties_dir().join("conventions"));
    Ok(letters::prefill(
        &bilans,
        &params,
        &template(config, "convention.docx", || CONVENTION.to_vec())?,
        &out,
    )?)
}

/// One pre-filled bilan for next year.
#[derive(Debug, Clone)]
pub struct BlankBilan {
    pub file: PathBuf,
    /// What the agent should know (a contact not carried over…), in French.
    pub notes: Vec<String>,
}

/// `clas prefill --bilan`: next year's blank bilan for each action, identification filled,
/// titled with the new school year, the return date of clas.toml printed; contacts the
/// rules found invalid are left to fill.
pub fn blank_bilans(
    config: &Config,
    store: &Store,
    out: Option<&Path>,
) -> Result<Vec<BlankBilan>, OutputError> {
    let actions: Vec<(Extraction, Vec<Finding>)> = current(store, FormKind::Bilan)?
        .into_iter()
        .filter_map(|d| d.extraction.map(|x| (x, d.findings)))
        .collect();
    if actions.is_empty() {
        return Err(OutputError::NoBilan);
    }
    let form = template(config, "bilan.docx", || BILAN.to_vec())?;
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| config.sorties_dir().join("bilans"));
    std::fs::create_dir_all(&out)
        .map_err(|e| OutputError::Letters(LettersError::Write(out.clone(), e)))?;
    let mut taken = HashSet::new();
    let mut written = Vec::new();
    for (b, findings) in &actions {
        let porteur = b.value("porteur.nom").as_text().unwrap_or("porteur");
        let action = b
            .value("action.numero")
            .as_text()
            .map(|a| letters::slug(a, 10))
            .filter(|a| !a.is_empty());
        let stem = match action {
            Some(a) => format!("bilan-{}-action-{a}", letters::slug(porteur, 60)),
            None => format!("bilan-{}", letters::slug(porteur, 60)),
        };
        let name = letters::unique_name(&mut taken, &stem, "docx");
        let path = out.join(name);
        let mut notes = Vec::new();
        let mut skip = Vec::new();
        for f in findings.iter().filter(|f| f.rule == "format.contact") {
            for id in &f.fields {
                if !skip.contains(id) {
                    skip.push(id.clone());
                    let what = crate::dictionary::field(FormKind::Bilan, id)
                        .map_or(id.as_str(), |d| d.label.as_str());
                    notes.push(format!(
                        "« {what} » : la réponse du bilan précédent n'est pas valide ; elle n'est pas reprise et reste à compléter par le porteur"
                    ));
                }
            }
        }
        let next = letters::NextBilan {
            annee: None,
            return_by: config.bilan_return,
            skip,
        };
        let bytes = letters::prefill_next_bilan(b, &form, &next)?;
        crate::files::write_atomically(&path, &bytes)
            .map_err(|e| OutputError::Letters(LettersError::Write(path.clone(), e)))?;
        written.push(BlankBilan { file: path, notes });
    }
    Ok(written)
}

/// The `[documents]` keys of clas.toml the letters print and this workspace leaves empty:
/// said on the console before letters full of dotted lines are written.
pub fn missing_document_keys(config: &Config) -> Vec<&'static str> {
    [
        ("caf", &config.caf),
        ("ville_caf", &config.caf_town),
        ("contact", &config.contact),
        ("signataire", &config.signatory),
    ]
    .into_iter()
    .filter(|(_, v)| v.trim().is_empty())
    .map(|(k, _)| k)
    .collect()
}

/// `clas relance`: one letter per porteur whose current bilan has errors; with `warnings`,
/// a softer letter too for each porteur whose bilan has points to check.
pub fn relances(
    config: &Config,
    store: &Store,
    out: Option<&Path>,
    warnings: bool,
) -> Result<RelanceReport, OutputError> {
    let actions: Vec<(Extraction, Vec<Finding>)> = current(store, FormKind::Bilan)?
        .into_iter()
        .filter_map(|d| d.extraction.map(|x| (x, d.findings)))
        .collect();
    if actions.is_empty() {
        return Err(OutputError::NoBilan);
    }
    let text = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
    let params = RelanceParams {
        caf: text(&config.caf),
        ville_caf: text(&config.caf_town),
        contact: text(&config.contact),
        signataire: text(&config.signatory),
        today: Some(config.today),
        delay_days: Some(config.reply_days),
        verification: if warnings {
            Some(template(
                config,
                "verification.docx",
                letters::default_verification_template,
            )?)
        } else {
            None
        },
        ..Default::default()
    };
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| config.sorties_dir().join("relances"));
    Ok(letters::relance(
        &actions,
        &params,
        &template(config, "relance.docx", letters::default_relance_template)?,
        &out,
    )?)
}

/// `clas synthesis` and every `watch` batch: the departmental workbook from the store.
pub fn synthesis(
    config: &Config,
    store: &Store,
    out: Option<&Path>,
) -> Result<synthesis::Written, OutputError> {
    // Row by row from the store, each extraction reduced at once to what the synthesis shows
    // of it (values, figures): a département's extractions and reports, all in memory, were
    // most of what the synthesis held.
    // Children under the profile's attendance threshold, as the rules count them.
    let seuil_assiduite = findings::load_profile(&config.profile, Some(&config.rules_dir()))?
        .tolerances
        .assiduite;
    let mut bilans: Vec<(Option<i64>, synthesis::Action)> = Vec::new();
    let mut presences: HashMap<i64, synthesis::Attendance> = HashMap::new();
    let mut notes = Vec::new();
    let mut said: HashSet<Arc<Finding>> = HashSet::new();
    store.for_each_current_action(|d| {
        let Some(x) = d.extraction else { return };
        match d.form {
            Some(FormKind::Bilan) => bilans.push((
                d.action.as_ref().map(|a| a.id),
                synthesis::Action {
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
                    received: local_time(&d.received_at),
                    form_version: d.mapping.unwrap_or_default(),
                },
            )),
            // The store gives a bilan and its workbook the same action (same porteur and
            // number, compared as `findings::same_action` does).
            Some(FormKind::Presence) => {
                if let Some(a) = &d.action {
                    presences.insert(a.id, synthesis::Attendance::new(x, seuil_assiduite));
                }
            }
            Some(FormKind::NoteStrategique) => notes.push(synthesis::Note {
                extraction: x,
                findings: d.findings,
                source_file: d.file_name,
            }),
            None => {}
        }
    })?;
    let actions = bilans
        .into_iter()
        .map(|(action, mut a)| {
            a.presence = action.and_then(|id| presences.remove(&id));
            a
        })
        .collect();
    let mut sources = Vec::new();
    store.for_each_document_light(|d| {
        sources.push(synthesis::SourceDoc {
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
    let year = config
        .school_year
        .map(|y| format!(" {y}-{}", y + 1))
        .unwrap_or_default();
    let territory = if config.territory.is_empty() {
        String::new()
    } else {
        format!(" — {}", config.territory)
    };
    let input = synthesis::Input {
        seuil_assiduite,
        title: format!("Synthèse départementale CLAS{year}{territory}"),
        generated: synthesis::Stamp::now(),
        actions,
        notes,
        sources,
    };
    let path = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| config.sorties_dir().join("synthese.xlsx"));
    Ok(synthesis::write(&input, &path)?)
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
