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
    #[error(
        "la synthèse {} n'a pas été remplacée : elle liste {before} document(s) reçu(s) (feuille Sources), et la base de données n'en connaît plus que {now}. La base a sans doute été supprimée ou remplacée : reconstruisez-la à partir des archives avec « clas rebuild », puis relancez la synthèse. Pour repartir vraiment de zéro, déplacez d'abord ce fichier ailleurs.",
        path.display()
    )]
    WouldShrink {
        path: PathBuf,
        before: usize,
        now: usize,
    },
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

/// `clas prefill --bilan`: next year's blank bilan for each porteur, identification filled.
pub fn blank_bilans(
    config: &Config,
    store: &Store,
    out: Option<&Path>,
) -> Result<Vec<PathBuf>, OutputError> {
    let bilans = current_bilans(store)?;
    let form = template(config, "bilan.docx", || BILAN.to_vec())?;
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| config.sorties_dir().join("bilans"));
    std::fs::create_dir_all(&out)
        .map_err(|e| OutputError::Letters(LettersError::Write(out.clone(), e)))?;
    let mut written = Vec::new();
    for b in &bilans {
        let porteur = b.value("porteur.nom").as_text().unwrap_or("porteur");
        let action = b.value("action.numero").as_text().unwrap_or("");
        let name = format!(
            "bilan-{}-action-{}.docx",
            letters::slug(porteur, 60),
            letters::slug(action, 10)
        );
        let path = out.join(name);
        let bytes = letters::prefill_bilan(b, &form)?;
        crate::files::write_atomically(&path, &bytes)
            .map_err(|e| OutputError::Letters(LettersError::Write(path.clone(), e)))?;
        written.push(path);
    }
    Ok(written)
}

/// `clas relance`: one letter per porteur whose current bilan has errors or warnings.
pub fn relances(
    config: &Config,
    store: &Store,
    out: Option<&Path>,
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
    let notes = guard_synthesis(&path, &input)?;
    let mut written = synthesis::write(&input, &path)?;
    if !written.dated_copy {
        synthesis::mark::write(&path, input.sources.len());
    }
    written.notes.splice(0..0, notes);
    Ok(written)
}

/// Before a synthesis replaces the one at `path`: never by one that lists fewer documents (the
/// store only grows; fewer means it was deleted or replaced), and never over a synthesis
/// edited by hand since clas wrote it, which is kept aside as a dated copy (what to say).
fn guard_synthesis(path: &Path, input: &synthesis::Input) -> Result<Vec<String>, OutputError> {
    let mut notes = Vec::new();
    if !path.is_file() {
        return Ok(notes);
    }
    let now = input.sources.len();
    let mark = synthesis::mark::read(path);
    let before = match &mark {
        Some(m) => Some(m.sources),
        // Written before clas kept marks: read only when the store knows nothing.
        None if now == 0 => synthesis::mark::sources_rows(path),
        None => None,
    };
    if let Some(before) = before.filter(|b| *b > now) {
        return Err(OutputError::WouldShrink {
            path: path.to_path_buf(),
            before,
            now,
        });
    }
    if let Some(m) = &mark
        && synthesis::mark::edited(path, m)
    {
        let dir = path.parent().unwrap_or(Path::new("."));
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "synthese".into());
        let kept = synthesis::dated_path(dir, &format!("{stem}-modifiee.xlsx"), input.generated);
        // Open in Excel (Windows refuses the rename): left as it is, the synthesis goes to a
        // dated copy, and the next one tries again.
        if std::fs::rename(path, &kept).is_ok() {
            notes.push(format!(
                "{} avait été modifié à la main depuis que clas l'a écrit : cette version est conservée dans {}. La synthèse est réécrite à chaque lot à partir des documents reçus : une valeur à corriger se corrige dans la page de relecture (« clas review »), qui la garde et en trace l'auteur, pas dans la synthèse.",
                path.display(),
                kept.display()
            ));
        }
    }
    Ok(notes)
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
