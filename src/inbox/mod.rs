//! The inbox: what happens to a file dropped in `depot/` (or given to `clas ingest`), batch by
//! batch, and the watcher of `clas watch`.
//!
//! # Lifecycle of a file
//! Each file read ends in exactly one place: `archives/<année scolaire>/` with
//! `<nom>.rapport.txt` beside it (what was extracted, section by section, and the findings), or
//! `rejets/` with `<nom>.txt` (why, and what to do). Nothing is deleted: a name already taken
//! gets a suffix (`bilan (2).docx`). A file whose content (SHA-256) was already archived is a
//! *duplicate*: it is put beside the first copy with a report saying so and is not counted
//! again. A new version of an action (same porteur, action number and school year) becomes its
//! current version; the old one stays archived, in the history. A bilan and the attendance
//! workbook of the same action are checked together: when the second arrives, the findings of
//! the first are computed again and its report rewritten.
//!
//! `clas ingest` does the same work on files left where they are: the store's copy is written
//! to `archives/` (or `rejets/`) and the original is never moved; a file already in the store
//! is only reported.
//!
//! # Crash safety
//! The store and the folders are tied by a write-ahead protocol; a crash or `kill -9` at any
//! instant leaves a state the next start completes, and no file is counted twice:
//!
//! 1. **Read**: the file is read once into memory, hashed, extracted and checked. Nothing is
//!    written yet; a crash here leaves the file in `depot/`, to be read again.
//! 2. **Intent**: one transaction records the document as `pending`, with its hash, its source
//!    path and the destination chosen for it (a free name), its extraction and findings, and
//!    its action (created if new). A pending document is not counted and is current of
//!    nothing.
//! 3. **Place**: the report is written (temporary file, fsync, rename), then the file: moved
//!    with `rename` (atomic on one filesystem), or across filesystems and for `ingest` copied
//!    to a temporary name in the destination folder, fsynced and renamed (then, for `depot/`,
//!    the original removed). The destination folder is fsynced. At every instant the whole
//!    file is at its source, at its destination, or both; never half of it under a final name.
//! 4. **Done**: one transaction marks it `done` and makes it the current version of its action
//!    (the previous one marked replaced) and updates the findings of the documents checked with
//!    it; the reports whose content changed are marked to be written again, then written.
//!
//! A batch runs under an exclusive lock on `.clas.lock` in the workspace, so that a `clas
//! ingest` and a `clas watch` on one workspace take turns. On taking the lock, the inbox
//! **reconciles**: each `pending` document is finished (its destination holds the content →
//! step 4, the source, if it is still there, is removed; the source still holds the content →
//! steps 3 and 4), or, when its file is neither at the source nor at the destination (taken
//! away before it could be moved), forgotten; reports marked to be written again are written.
//! Only then are new files read. A file that is still in `depot/` after a crash has therefore
//! either a pending intent (finished, not counted again) or none (read as new).
//! SQLite runs in WAL mode with `synchronous = FULL`, so a committed intent survives a power
//! cut too.
//!
//! # The watcher
//! `clas watch` listens to the system's events on `depot/` (or polls it, for network shares
//! whose events do not come), and reads the whole folder again every `rescan_interval` in any
//! case: an event only says « look again ». A file is read once its size and modification time
//! have not changed for `stability` and it can be opened (on Windows, opened exclusively: a
//! copy in progress holds it) and is not visibly cut short ([`incomplete`]); Office lock files
//! (`~$…`), `.tmp`, `.part`, `.crdownload` and hidden files that are not documents are ignored
//! ([`collect::ignored`]). After each batch the outputs are rebuilt once ([`rebuild_outputs`]).
//! One watcher runs per workspace ([`watch_lock`]); what killed runs left is removed on
//! opening ([`leftovers`]). A file it refused that changes afterwards in `rejets/` (a copy
//! finished after all) is taken back to `depot/` and read again ([`refused`]).

pub(crate) mod actions;
mod collect;
mod durable;
mod incomplete;
mod leftovers;
mod names;
mod own_output;
mod protocol;
mod read;
mod rebuild;
mod refused;
mod report;
mod watch;
mod watch_lock;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::dictionary::FormKind;
use crate::findings::{self, Checker};
use crate::mapping::{self, Mapping};
use crate::store::{Origin, Store, StoreError};
use crate::workspace::{self, WorkspaceError};

pub use collect::{collect_files, ignored};
pub use names::one_line;
pub use rebuild::{Rebuild, rebuild_files};
pub use report::FileReport;
pub use watch::{Event, WatchOptions, watch};

/// Errors that stop a command (exit 2): the workspace, the store, the configuration.
/// A file that cannot be read is not one of them: it is an [`Outcome`].
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error("{0}")]
    Workspace(#[from] WorkspaceError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Mapping(#[from] mapping::MappingError),
    #[error("{0}")]
    Rules(#[from] findings::RulesError),
    #[error(
        "impossible d'écrire {} : {}. {}", path.display(), crate::files::io_french(source), write_advice(source)
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("reconstruction de la base impossible : {0}")]
    Rebuild(String),
    #[error(
        "un autre « clas watch » surveille déjà l'espace de travail {} ({holder}) : celui-ci s'arrête. Un seul « clas watch » par espace de travail suffit ; arrêtez l'autre (Ctrl+C dans sa fenêtre) pour le relancer ici.", workspace.display()
    )]
    AlreadyWatched { workspace: PathBuf, holder: String },
    #[error("surveillance du dossier {} impossible : {message}", path.display())]
    Watch { path: PathBuf, message: String },
}

/// What to do when the workspace cannot be written, by what the system said.
fn write_advice(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "Libérez de la place sur ce disque (ou demandez-le au service informatique) : les fichiers restent dans le dépôt et seront traités ensuite."
        }
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            "Donnez le droit d'écriture sur ce dossier (ou demandez-le au service informatique), puis relancez clas."
        }
        ErrorKind::NotFound => {
            "Vérifiez que le dossier existe toujours (partage réseau déconnecté ?), puis relancez clas."
        }
        _ => "Vérifiez le disque ou le partage réseau, puis relancez clas.",
    }
}

impl InboxError {
    /// A fault of where the workspace lies, not of the files: a full disk, rights taken away,
    /// another program holding the store. Nothing more is recorded; the files stay where they
    /// are and are tried again later (the watcher goes on).
    pub(crate) fn retry_later(&self) -> bool {
        match self {
            InboxError::Store(e) => e.retry_later(),
            InboxError::Write { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
            ),
            _ => false,
        }
    }
}

/// What became of one file.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Read, checked and archived (`path`, relative to the workspace).
    Archived {
        id: i64,
        path: PathBuf,
        form: FormKind,
        /// porteur and action number (or territory), when read.
        action: Option<String>,
        school_year: i32,
        errors: usize,
        warnings: usize,
        /// The file name of the version it replaces.
        replaces: Option<String>,
    },
    /// Same content as a document already archived: kept beside it, not counted again.
    Duplicate {
        id: i64,
        path: PathBuf,
        of: String,
        of_path: PathBuf,
        /// When that first copy is an old version of its action: the archived name of the
        /// version in force (a newer one received since).
        superseded_by: Option<String>,
    },
    /// Refused: kept in `rejets/` with the reason.
    Rejected {
        id: i64,
        path: PathBuf,
        reason: String,
    },
    /// `clas ingest` of a content already in the store: nothing recorded again.
    Known {
        of: String,
        path: PathBuf,
        rejected: Option<String>,
        errors: usize,
    },
    /// Could not be read or moved: left where it was, not recorded.
    Failed { reason: String },
    /// Read, but could not be stored (archive folder not writable, disk full, store busy): left
    /// where it was, not recorded, tried again later.
    NotStored { reason: String },
    /// Changed while it was being read: left where it was, to be read again as it is now.
    Changed,
    /// Gone before it could be read.
    Vanished,
}

/// The inbox of a workspace: its configuration, mappings, rules and store.
pub struct Inbox {
    config: Config,
    store: Store,
    /// Shared with the threads that read ahead.
    mappings: Arc<Vec<Mapping>>,
    /// The rules as this workspace applies them.
    checker: Checker,
    lock: File,
    locked: bool,
    /// `clas rebuild`: each file is recorded where it lies (in `archives/` or `rejets/`, its
    /// report beside it), neither copied nor moved.
    in_place: bool,
    /// Where to abort, for the tests of crash safety ([`Inbox::set_failpoint`]).
    #[cfg(feature = "failpoints")]
    failpoint: Option<(String, usize)>,
    /// Files written and not yet made durable ([`Inbox::sync_written`]).
    unsynced: Vec<PathBuf>,
    /// Copies waiting to be made durable and renamed: temporary name, final name, original to
    /// remove then.
    copies: Vec<(PathBuf, PathBuf, Option<PathBuf>)>,
    /// Temporary files of killed runs removed on opening ([`Inbox::leftovers_removed`]).
    leftovers: Vec<PathBuf>,
}

impl Inbox {
    /// Checks the workspace (folders created, writable), loads the mappings and the rule
    /// profile, opens the store. Everything that could stop a run fails here, before any file.
    pub fn open(config: &Config) -> Result<Inbox, InboxError> {
        Inbox::open_with(config, |config, _| Ok(Store::open_workspace(config)?))
    }

    /// As [`Inbox::open`], the store opened by `open_store` once the workspace is checked
    /// (given the workspace's lock file, for [`Inbox::open_for_rebuild`]).
    fn open_with(
        config: &Config,
        open_store: impl FnOnce(&Config, &mut File) -> Result<Store, InboxError>,
    ) -> Result<Inbox, InboxError> {
        workspace::ensure(config)?;
        let mut config = config.clone();
        if let Ok(abs) = std::fs::canonicalize(&config.workspace) {
            config.workspace = abs;
        }
        let mappings = Arc::new(mapping::load(Some(&config.mappings_dir()))?);
        let checker = Checker::new(&config)?;
        let leftovers = leftovers::remove(&config);
        let lock_path = config.workspace.join(".clas.lock");
        let mut lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| InboxError::Write {
                path: lock_path,
                source,
            })?;
        let store = open_store(&config, &mut lock)?;
        Ok(Inbox {
            config,
            store,
            mappings,
            checker,
            lock,
            locked: false,
            in_place: false,
            #[cfg(feature = "failpoints")]
            failpoint: None,
            unsynced: Vec::new(),
            copies: Vec::new(),
            leftovers,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The temporary files that killed runs had left (in the workspace and the system's
    /// temporary folder), removed when this inbox was opened.
    pub fn leftovers_removed(&self) -> &[PathBuf] {
        &self.leftovers
    }

    /// What to tell of [`Inbox::leftovers_removed`], if anything.
    pub fn leftovers_notice(&self) -> Option<String> {
        let first = self.leftovers.first()?;
        Some(format!(
            "{} fichier(s) temporaire(s) laissé(s) par un arrêt brutal de clas supprimé(s) (dont {})",
            self.leftovers.len(),
            first.display()
        ))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Tests of crash safety: the process aborts (as under `kill -9`) the `nth` time it reaches
    /// `step` (`intent`, `report`, `place`, `finish`: after each step of the protocol). Only
    /// with the cargo feature `failpoints`, so that a release build can never abort on purpose.
    #[cfg(feature = "failpoints")]
    #[doc(hidden)]
    pub fn set_failpoint(&mut self, step: &str, nth: usize) {
        self.failpoint = Some((step.to_string(), nth.max(1)));
    }

    #[cfg(feature = "failpoints")]
    fn failpoint(&mut self, step: &str) {
        if let Some((s, n)) = &mut self.failpoint
            && s == step
        {
            *n -= 1;
            if *n == 0 {
                std::process::abort();
            }
        }
    }

    /// Tests of a full disk at a given step (`finish-plein`): the store says it is full the
    /// `nth` time the step is reached, as SQLite does when the disk fills between two steps.
    #[cfg(feature = "failpoints")]
    fn full_at(&mut self, step: &str) -> Result<(), InboxError> {
        if let Some((s, n)) = &mut self.failpoint
            && s.strip_suffix("-plein") == Some(step)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.failpoint = None;
                return Err(InboxError::Store(StoreError::Full {
                    path: self.config.store_path(),
                }));
            }
        }
        Ok(())
    }

    #[cfg(not(feature = "failpoints"))]
    #[inline(always)]
    fn full_at(&mut self, _step: &str) -> Result<(), InboxError> {
        Ok(())
    }

    /// Without the feature `failpoints`, the steps of the protocol never stop the process.
    #[cfg(not(feature = "failpoints"))]
    #[inline(always)]
    fn failpoint(&mut self, _step: &str) {}

    /// Takes the workspace's lock without waiting; false if another `clas` holds it.
    pub fn try_lock(&mut self) -> Result<bool, InboxError> {
        if self.locked {
            return Ok(true);
        }
        match self.lock.try_lock() {
            Ok(()) => {
                self.locked = true;
                Ok(true)
            }
            Err(std::fs::TryLockError::WouldBlock) => Ok(false),
            // A filesystem without locks (some network shares): go on without.
            Err(std::fs::TryLockError::Error(_)) => {
                self.locked = true;
                Ok(true)
            }
        }
    }

    /// Takes the workspace's lock, waiting for another `clas` to finish its batch.
    pub fn lock(&mut self) -> Result<(), InboxError> {
        if !self.try_lock()? {
            let _ = self.lock.lock();
            self.locked = true;
        }
        Ok(())
    }

    /// Releases the workspace's lock (between batches).
    pub(crate) fn unlock(&mut self) {
        if self.locked {
            let _ = self.lock.unlock();
            self.locked = false;
        }
    }

    /// Processes one file for `clas ingest`: read where it is, a copy kept by the store.
    pub fn ingest_file(&mut self, path: &Path) -> Result<FileReport, InboxError> {
        self.one(path, Origin::Ingest)
    }

    /// Processes files of `depot/` as a batch; `on_file` hears of each, in order.
    pub(crate) fn process_depot_files(
        &mut self,
        paths: &[PathBuf],
        on_file: &mut dyn FnMut(FileReport),
    ) -> Result<(), InboxError> {
        self.process(paths, Origin::Depot, on_file)
    }

    /// Processes files for `clas ingest` as a batch; `on_file` hears of each, in order.
    pub fn ingest_files(
        &mut self,
        paths: &[PathBuf],
        on_file: &mut dyn FnMut(FileReport),
    ) -> Result<(), InboxError> {
        self.process(paths, Origin::Ingest, on_file)
    }

    fn one(&mut self, path: &Path, origin: Origin) -> Result<FileReport, InboxError> {
        let mut report = None;
        self.process(&[path.to_path_buf()], origin, &mut |r| report = Some(r))?;
        Ok(report.unwrap_or_else(|| FileReport {
            name: file_name(path),
            source: path.to_path_buf(),
            outcome: Outcome::Vanished,
            recovered: false,
        }))
    }

    /// A name free in `dir` for the file and its report, on disk and in the store:
    /// `bilan.docx`, `bilan (2).docx`, …
    fn free_name(
        &self,
        dir: &Path,
        name: &str,
        report_suffix: &str,
    ) -> Result<(PathBuf, PathBuf), InboxError> {
        create_dir(dir)?;
        // A name too long for its report (and temporary names) beside it: shortened.
        let fitted = names::fitting(name);
        let name = fitted.as_str();
        let (stem, ext) = match name.rfind('.') {
            Some(i) if i > 0 => (&name[..i], &name[i..]),
            _ => (name, ""),
        };
        for n in 1.. {
            let candidate = if n == 1 {
                name.to_string()
            } else {
                format!("{stem} ({n}){ext}")
            };
            let file = dir.join(&candidate);
            let report = dir.join(format!("{candidate}{report_suffix}"));
            if !file.exists()
                && !report.exists()
                && !self.store.path_taken(&self.relative(&file))?
                && !self.store.path_taken(&self.relative(&report))?
            {
                return Ok((file, report));
            }
        }
        unreachable!()
    }

    /// A path as the store keeps it: relative to the workspace, with `/`.
    fn relative(&self, path: &Path) -> String {
        match path.strip_prefix(&self.config.workspace) {
            Ok(rel) => rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => path.to_string_lossy().into_owned(),
        }
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        self.unlock();
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(names::decoded)
        .unwrap_or_else(|| path.display().to_string())
}

fn create_dir(dir: &Path) -> Result<(), InboxError> {
    std::fs::create_dir_all(dir).map_err(|source| InboxError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

// ---------------------------------------------------------------------------------------------
// The outputs

/// What a rebuild of the outputs wrote, and what the agent must be told about it (a
/// synthesis that went to a dated copy and why, a hand edit kept aside, a stale lock file).
#[derive(Debug, Default)]
pub struct Rebuilt {
    pub written: Vec<PathBuf>,
    pub notices: Vec<String>,
}

/// Rebuilds the outputs (`sorties/`) from the store, once per batch, each written to a
/// temporary file and renamed. THE place where the departmental synthesis (and later writers)
/// plug in. Returns the files written and what to tell.
pub fn rebuild_outputs(
    config: &Config,
    store: &Store,
) -> Result<Rebuilt, crate::outputs::OutputError> {
    let written = crate::outputs::synthesis(config, store, None, None)?;
    let mut notices = Vec::new();
    if written.dated_copy || !written.notes.is_empty() {
        notices.push(written.message());
    }
    Ok(Rebuilt {
        written: vec![written.path],
        notices,
    })
}
