//! `clas rebuild`: the store made again from the durable record, the files of `archives/` and
//! `rejets/` (each with its report beside it), when `clas.db` was deleted, replaced by an empty
//! one, or damaged. The store in place, if any, is set aside (renamed, never deleted); each
//! file is read again, checked and recorded where it lies, neither copied nor moved, oldest
//! reception first, so that of two versions of an action the later one is current again.
//! Duplicates are recorded as such; a file of `rejets/` is read again (a refusal may no
//! longer hold with this version of clas, but the file stays where it is).
//!
//! What the files cannot give back: the exact date and time of reception (the date of the
//! report, written when the file arrived, stands for it) and the documents refused or
//! duplicated whose copy was removed by hand.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::store::Store;

use super::{Inbox, InboxError};

/// What `clas rebuild` set aside before starting.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// The store that was in place, renamed (`clas.db.mise-de-cote-AAAAMMJJ-HHMMSS`).
    pub set_aside: Option<PathBuf>,
    /// The synthesis made from it, kept (`synthese-avant-reconstruction-AAAAMMJJ-HHMMSS.xlsx`):
    /// the rebuilt store may know fewer documents (files removed by hand from the archives),
    /// and its synthesis then replaces a longer one, which stays there to compare.
    pub synthesis_kept: Option<PathBuf>,
}

impl Inbox {
    /// The inbox of a workspace whose store is to be made again: the workspace's lock taken
    /// (no other clas at work), the store in place set aside, a new one created.
    pub fn open_for_rebuild(config: &Config) -> Result<(Inbox, Rebuild), InboxError> {
        let mut done = Rebuild::default();
        let mut inbox = Inbox::open_with(config, |config, lock: &mut File| {
            if let Err(std::fs::TryLockError::WouldBlock) = lock.try_lock() {
                return Err(InboxError::Rebuild(
                    "un autre clas travaille dans cet espace de travail : arrêtez « clas watch » (Ctrl+C) ou attendez la fin de « clas ingest », puis relancez « clas rebuild »".into(),
                ));
            }
            done.set_aside = set_aside(&config.store_path())?;
            done.synthesis_kept = keep_synthesis(&config.sorties_dir().join("synthese.xlsx"));
            Ok(Store::open(&config.store_path())?)
        })?;
        inbox.locked = true;
        inbox.in_place = true;
        Ok((inbox, done))
    }
}

/// Renames the store and its companion files (`-wal`, `-shm`, which go with it) out of the way.
fn set_aside(db: &Path) -> Result<Option<PathBuf>, InboxError> {
    if !db.exists() {
        return Ok(None);
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "clas.db".into());
    let aside = db.with_file_name(format!("{name}.mise-de-cote-{stamp}"));
    let with = |p: &Path, suffix: &str| {
        let mut s = p.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    // The companions first: a store found without its journal would lose what it holds.
    for suffix in ["-wal", "-shm"] {
        let from = with(db, suffix);
        if from.exists() {
            let to = with(&aside, suffix);
            std::fs::rename(&from, &to).map_err(|source| InboxError::Write { path: to, source })?;
        }
    }
    std::fs::rename(db, &aside).map_err(|source| InboxError::Write {
        path: aside.clone(),
        source,
    })?;
    Ok(Some(aside))
}

/// Renames the synthesis out of the way, and forgets clas's mark of it.
fn keep_synthesis(target: &Path) -> Option<PathBuf> {
    if !target.is_file() {
        return None;
    }
    let dir = target.parent()?;
    let kept = crate::synthesis::dated_path(
        dir,
        "synthese-avant-reconstruction.xlsx",
        crate::synthesis::Stamp::now(),
    );
    std::fs::rename(target, &kept).ok()?;
    crate::synthesis::mark::forget(target);
    Some(kept)
}

/// The files of `archives/` (in the folders of the school years) and of `rejets/`, without
/// their reports and without hidden or temporary files, oldest reception first.
pub fn rebuild_files(config: &Config) -> Vec<PathBuf> {
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    let mut add = |dir: &Path, suffix: &str| {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if !e.file_type().is_ok_and(|t| t.is_file())
                || name.starts_with('.')
                || super::ignored(&name)
                || is_report(&path, &name, suffix)
            {
                continue;
            }
            found.push((received(&path, suffix), path));
        }
    };
    let archives = config.archives_dir();
    if let Ok(years) = std::fs::read_dir(&archives) {
        let mut years: Vec<PathBuf> = years
            .flatten()
            .filter(|y| y.file_type().is_ok_and(|t| t.is_dir()))
            .map(|y| y.path())
            .collect();
        years.sort();
        for y in years {
            add(&y, ".rapport.txt");
        }
    }
    add(&config.rejets_dir(), ".txt");
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// `bilan.docx.rapport.txt` beside `bilan.docx`; in `rejets/`, `x.pdf.txt` beside `x.pdf`.
fn is_report(path: &Path, name: &str, suffix: &str) -> bool {
    name.strip_suffix(suffix)
        .is_some_and(|of| !of.is_empty() && path.with_file_name(of).is_file())
}

/// When a file of the archives was received: the date of its report (written when it
/// arrived), or its own date.
pub(crate) fn received(path: &Path, suffix: &str) -> std::time::SystemTime {
    let mut report = path.as_os_str().to_owned();
    report.push(suffix);
    [PathBuf::from(report), path.to_path_buf()]
        .iter()
        .find_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .unwrap_or(std::time::UNIX_EPOCH)
}
