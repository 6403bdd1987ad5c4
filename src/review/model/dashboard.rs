//! The dashboard: the documents received this school year by state, what waits in `depot/`,
//! the last batch, and the outputs to download.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{State, local_date};
use crate::config::Config;
use crate::store::{Status, Store, StoreError};

/// Documents received within this long of the previous one belong to the same batch.
const BATCH_GAP_SECONDS: i64 = 120;

pub(crate) struct Dashboard {
    /// The school year, as its first year.
    pub(crate) year: i32,
    /// Current versions and refused files received this school year, by state, in the order of
    /// [`State`].
    pub(crate) states: [usize; 4],
    /// Older versions replaced by a newer one, and files received twice, this school year.
    pub(crate) replaced: usize,
    pub(crate) duplicates: usize,
    pub(crate) depot: Vec<DepotFile>,
    pub(crate) last_batch: Option<Batch>,
    pub(crate) outputs: Vec<OutputFile>,
}

pub(crate) struct DepotFile {
    pub(crate) name: String,
    pub(crate) size: u64,
}

pub(crate) struct Batch {
    /// When its last document arrived (store time).
    pub(crate) at: String,
    pub(crate) documents: Vec<BatchDocument>,
}

pub(crate) struct BatchDocument {
    pub(crate) id: i64,
    pub(crate) action_id: Option<i64>,
    pub(crate) file_name: String,
    pub(crate) state: State,
    pub(crate) duplicate: bool,
}

/// A file of `sorties/`, for download.
pub(crate) struct OutputFile {
    /// Its path under `sorties/`, with `/` (the address of its download).
    pub(crate) path: String,
    pub(crate) size: u64,
    pub(crate) modified: Option<String>,
}

impl Dashboard {
    pub(crate) fn read(config: &Config, store: &Store) -> Result<Dashboard, StoreError> {
        let year = config.today.school_year();
        let mut states = [0usize; 4];
        let (mut replaced, mut duplicates) = (0, 0);
        // (id, action, file, state, duplicate, received_at), newest last.
        let mut all = Vec::new();
        store.for_each_document_light(|d| {
            let this_year = local_date(&d.received_at).is_some_and(|t| t.school_year() == year);
            let state = State::of(&d);
            let duplicate = matches!(d.status, Status::Duplicate { .. });
            if this_year {
                if duplicate {
                    duplicates += 1;
                } else if d.replaced_by.is_some() {
                    replaced += 1;
                } else if d.current || state == State::Refuse || d.action.is_none() {
                    states[state as usize] += 1;
                }
            }
            all.push((
                d.id,
                d.action.as_ref().map(|a| a.id),
                d.file_name,
                state,
                duplicate,
                d.received_at,
            ));
        })?;
        let last_batch = last_batch(&all);
        Ok(Dashboard {
            year,
            states,
            replaced,
            duplicates,
            depot: depot_files(&config.depot_dir()),
            last_batch,
            outputs: output_files(&config.sorties_dir()),
        })
    }
}

type Row = (i64, Option<i64>, String, State, bool, String);

/// The documents received last, back to the first gap of more than [`BATCH_GAP_SECONDS`].
fn last_batch(all: &[Row]) -> Option<Batch> {
    let time = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.timestamp())
            .ok()
    };
    let mut sorted: Vec<&Row> = all.iter().collect();
    sorted.sort_by(|a, b| a.5.cmp(&b.5).then(a.0.cmp(&b.0)));
    let last = sorted.last()?;
    let mut start = sorted.len() - 1;
    while start > 0 {
        match (time(&sorted[start - 1].5), time(&sorted[start].5)) {
            (Some(a), Some(b)) if b - a <= BATCH_GAP_SECONDS => start -= 1,
            _ => break,
        }
    }
    Some(Batch {
        at: last.5.clone(),
        documents: sorted[start..]
            .iter()
            .map(|r| BatchDocument {
                id: r.0,
                action_id: r.1,
                file_name: r.2.clone(),
                state: r.3,
                duplicate: r.4,
            })
            .collect(),
    })
}

/// The files waiting in `depot/` (not those a program is still writing).
fn depot_files(depot: &Path) -> Vec<DepotFile> {
    let mut out: Vec<DepotFile> = std::fs::read_dir(depot)
        .map(|dir| {
            dir.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (!crate::inbox::ignored(&name)).then(|| DepotFile {
                        size: e.metadata().map_or(0, |m| m.len()),
                        name,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Every file of `sorties/` (three folders deep at most), by path.
pub(crate) fn output_files(sorties: &Path) -> Vec<OutputFile> {
    fn walk(dir: &Path, rel: &Path, depth: usize, out: &mut Vec<OutputFile>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if crate::inbox::ignored(&name) {
                continue;
            }
            let rel: PathBuf = rel.join(&name);
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() && depth < 3 {
                walk(&e.path(), &rel, depth + 1, out);
            } else if meta.is_file() {
                out.push(OutputFile {
                    path: rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/"),
                    size: meta.len(),
                    modified: meta.modified().ok().map(system_time),
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(sorties, Path::new(""), 0, &mut out);
    // The synthesis first, then folder by folder.
    out.sort_by(|a, b| (a.path.contains('/'), &a.path).cmp(&(b.path.contains('/'), &b.path)));
    out
}

fn system_time(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Local>::from(t)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// The file of `sorties/` at `rel` (as [`OutputFile::path`] gives it), if it is one: no way
/// out of the folder (`..`, an absolute path, a hidden file).
pub(crate) fn output_path(sorties: &Path, rel: &str) -> Option<PathBuf> {
    let mut path = sorties.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty()
            || part.starts_with('.')
            || part.contains(['\\', ':', '\0'])
            || crate::inbox::ignored(part)
        {
            return None;
        }
        path.push(part);
    }
    let real = std::fs::canonicalize(&path).ok()?;
    let root = std::fs::canonicalize(sorties).ok()?;
    (real.starts_with(&root) && real.is_file()).then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_of_sorties_are_served() {
        let dir = tempfile::tempdir().unwrap();
        let sorties = dir.path().join("sorties");
        std::fs::create_dir_all(sorties.join("relances")).unwrap();
        std::fs::write(sorties.join("synthese.xlsx"), b"x").unwrap();
        std::fs::write(sorties.join("relances/lettre.docx"), b"x").unwrap();
        std::fs::write(dir.path().join("clas.db"), b"x").unwrap();
        assert!(output_path(&sorties, "synthese.xlsx").is_some());
        assert!(output_path(&sorties, "relances/lettre.docx").is_some());
        assert!(output_path(&sorties, "../clas.db").is_none());
        assert!(output_path(&sorties, "relances/../../clas.db").is_none());
        assert!(output_path(&sorties, "/etc/passwd").is_none());
        assert!(output_path(&sorties, "relances").is_none());
        let files = output_files(&sorties);
        assert_eq!(files[0].path, "synthese.xlsx");
        assert_eq!(files[1].path, "relances/lettre.docx");
    }
}
