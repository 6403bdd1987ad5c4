//! What the store produces for agents: conventions, pre-filled bilans and letters (and the
//! synthesis), from the current version of each action. Used by the commands and by `watch`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::dictionary::FormKind;
use crate::extraction::Extraction;
use crate::findings::{self, Finding};
use crate::letters::{
    self, LettersError, PrefillParams, PrefillReport, RelanceParams, RelanceReport, Signataires,
};
use crate::store::{Store, StoreError, StoredDocument};
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
    #[error("aucun document de l'année scolaire {}-{} dans le magasin (années présentes : {known})", year, year + 1)]
    NoSuchYear { year: i32, known: String },
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
    let mut ids: Vec<Option<i64>> = Vec::new();
    let actions: Vec<(Extraction, Vec<Finding>)> = current(store, FormKind::Bilan)?
        .into_iter()
        .filter_map(|d| {
            let id = d.action.as_ref().map(|a| a.id);
            d.extraction.map(|x| {
                ids.push(id);
                (x, d.findings)
            })
        })
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
    let report = letters::relance(
        &actions,
        &params,
        &template(config, "relance.docx", letters::default_relance_template)?,
        &out,
    )?;
    record_letters(store, &report, &actions, &ids, config.today)?;
    Ok(report)
}

/// Records in the store, for each action a letter was written about, the day and the reply
/// asked for (the synthesis's Suivi sheet shows them).
fn record_letters(
    store: &Store,
    report: &RelanceReport,
    actions: &[(Extraction, Vec<Finding>)],
    ids: &[Option<i64>],
    today: crate::values::Date,
) -> Result<(), OutputError> {
    use crate::letters::relance::porteur_key;
    let text = |x: &Extraction, id: &str| {
        x.value(id)
            .as_text()
            .map(|t| t.trim().replace('\n', " "))
            .unwrap_or_default()
    };
    for letter in &report.letters {
        let porteur = porteur_key(&letter.porteur);
        for (i, (x, _)) in actions.iter().enumerate() {
            let numero = text(x, "action.numero");
            if porteur_key(&text(x, "porteur.nom")) == porteur
                && letter.actions.iter().any(|n| n.trim() == numero)
                && let Some(id) = ids[i]
            {
                store.letter_sent(id, today, Some(report.deadline))?;
            }
        }
    }
    Ok(())
}

/// `clas synthesis [--annee AAAA-AAAA]` and every `watch` batch: the departmental workbook of
/// one school year, from the store. Without `annee`, the most recent year of the store (today's
/// when the store is empty). The most recent year's synthesis is `sorties/synthese.xlsx` (the
/// workspace contract); another year's is `sorties/synthese-AAAA-AAAA.xlsx`; `out` overrides.
pub fn synthesis(
    config: &Config,
    store: &Store,
    annee: Option<i32>,
    out: Option<&Path>,
) -> Result<synthesis::Written, OutputError> {
    let years = synthesis::from_store::years(store)?;
    let latest = years.last().copied();
    let year = match annee {
        Some(y) if !years.contains(&y) && !years.is_empty() => {
            return Err(OutputError::NoSuchYear {
                year: y,
                known: years
                    .iter()
                    .map(|y| crate::workspace::school_year_label(*y))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Some(y) => y,
        None => latest.unwrap_or_else(|| config.default_school_year()),
    };
    let input = synthesis::from_store::input(config, store, year)?;
    let path = match out {
        Some(p) => p.to_path_buf(),
        None if latest.is_none_or(|l| l == year) => config.sorties_dir().join("synthese.xlsx"),
        None => config.sorties_dir().join(format!(
            "synthese-{}.xlsx",
            crate::workspace::school_year_label(year)
        )),
    };
    // Every document the store knows, whatever its year: the store only grows, so a
    // synthesis written from fewer than the last one means the store lost documents.
    let mut known = 0;
    store.for_each_document_light(|_| known += 1)?;
    let notes = guard_synthesis(&path, known, input.generated)?;
    let mut written = synthesis::write(&input, &path)?;
    if !written.dated_copy {
        synthesis::mark::write(&path, known);
    }
    written.notes.splice(0..0, notes);
    Ok(written)
}

/// Before a synthesis replaces the one at `path`: never by one that lists fewer documents (the
/// store only grows; fewer means it was deleted or replaced), and never over a synthesis
/// edited by hand since clas wrote it, which is kept aside as a dated copy (what to say).
fn guard_synthesis(
    path: &Path,
    known: usize,
    generated: synthesis::Stamp,
) -> Result<Vec<String>, OutputError> {
    let mut notes = Vec::new();
    if !path.is_file() {
        return Ok(notes);
    }
    let now = known;
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
        let kept = synthesis::dated_path(dir, &format!("{stem}-modifiee.xlsx"), generated);
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
