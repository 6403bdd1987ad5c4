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
//! copy in progress holds it); Office lock files (`~$…`), `.tmp`, `.part`, `.crdownload` and
//! hidden files are ignored. After each batch the outputs are rebuilt once
//! ([`rebuild_outputs`]).

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock, mpsc};
use std::time::{Duration, Instant, SystemTime};

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::dictionary::FormKind;
use crate::extraction::{Extraction, presence};
use crate::findings::{self, Finding, Severity, rules::Context};
use crate::mapping::{self, Mapping};
use crate::pipeline::{self, FileError};
use crate::report;
use crate::store::{self, NewDocument, Origin, Status, Store, StoreError, StoredDocument};
use crate::workspace::{self, WorkspaceError, school_year_label};

/// Files larger than this are not forms: refused without being read into memory.
const MAX_FORM_BYTES: u64 = 64 * 1024 * 1024;

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
        "impossible d'écrire {} ({source}) : l'espace de travail n'est pas accessible en écriture ou le disque est plein.", path.display()
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("surveillance du dossier {} impossible : {message}", path.display())]
    Watch { path: PathBuf, message: String },
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

/// One file processed, for the log.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file's name as the agent knows it.
    pub name: String,
    pub source: PathBuf,
    pub outcome: Outcome,
    /// Finished after an interruption (the intent was recorded by an earlier run).
    pub recovered: bool,
}

impl FileReport {
    /// 2: the file could not be read; 1: read, with findings of severity error; 0: otherwise
    /// (spec/cli.md).
    pub fn status(&self) -> i32 {
        match &self.outcome {
            Outcome::Rejected { .. } | Outcome::Failed { .. } | Outcome::NotStored { .. } => 2,
            Outcome::Known {
                rejected: Some(_), ..
            } => 2,
            Outcome::Archived { errors, .. } | Outcome::Known { errors, .. } if *errors > 0 => 1,
            _ => 0,
        }
    }

    /// The French log line.
    pub fn line(&self) -> String {
        let p = |p: &Path| p.display().to_string();
        let mut line = format!("{} : ", self.name);
        match &self.outcome {
            Outcome::Archived {
                path,
                form,
                action,
                school_year,
                errors,
                warnings,
                replaces,
                ..
            } => {
                line += &format!("{} archivé dans {}", form.label(), p(path));
                line += &format!(" ({}", school_year_label(*school_year));
                if let Some(a) = action {
                    line += &format!(", {a}");
                }
                line += ")";
                if let Some(r) = replaces {
                    line += &format!(", nouvelle version qui remplace « {r} »");
                }
                line += &match (errors, warnings) {
                    (0, 0) => " ; aucune anomalie".to_string(),
                    (e, w) => format!(" ; {e} erreur(s), {w} point(s) à vérifier"),
                };
            }
            Outcome::Duplicate {
                path, of, of_path, ..
            } => {
                line += &format!(
                    "déjà reçu (même contenu que « {of} », {}) ; rangé dans {}, non compté une seconde fois",
                    p(of_path),
                    p(path)
                );
            }
            Outcome::Rejected { path, reason, .. } => {
                line += &format!(
                    "refusé, rangé dans {} (raison dans {}.txt) : {reason}",
                    p(path),
                    p(path)
                );
            }
            Outcome::Known {
                of, path, rejected, ..
            } => {
                line += &match rejected {
                    None => format!(
                        "déjà dans la base (« {of} », {}) ; rien de nouveau",
                        p(path)
                    ),
                    Some(r) => format!("déjà refusé (« {of} », {}) : {r}", p(path)),
                };
            }
            Outcome::Failed { reason } => {
                line += &format!("non traité, laissé en place : {reason}");
            }
            Outcome::NotStored { reason } => {
                line +=
                    &format!("non archivé, laissé en place (nouvel essai plus tard) : {reason}");
            }
            Outcome::Changed => {
                line += "modifié pendant sa lecture : laissé en place, il sera relu tel qu'il est \
                         maintenant"
            }
            Outcome::Vanished => line += "disparu avant d'avoir pu être lu",
        }
        if self.recovered {
            line += " [reprise après interruption]";
        }
        line
    }
}

/// The inbox of a workspace: its configuration, mappings, rules and store.
pub struct Inbox {
    config: Config,
    store: Store,
    /// Shared with the threads that read ahead.
    mappings: Arc<Vec<Mapping>>,
    ctx: Context,
    ctx_rural: Context,
    lock: File,
    locked: bool,
    failpoint: Option<(String, usize)>,
    /// Files written and not yet made durable ([`Inbox::sync_written`]).
    unsynced: Vec<PathBuf>,
    /// Copies waiting to be made durable and renamed: temporary name, final name, original to
    /// remove then.
    copies: Vec<(PathBuf, PathBuf, Option<PathBuf>)>,
}

impl Inbox {
    /// Checks the workspace (folders created, writable), loads the mappings and the rule
    /// profile, opens the store. Everything that could stop a run fails here, before any file.
    pub fn open(config: &Config) -> Result<Inbox, InboxError> {
        workspace::ensure(config)?;
        let mut config = config.clone();
        if let Ok(abs) = std::fs::canonicalize(&config.workspace) {
            config.workspace = abs;
        }
        let mappings = Arc::new(mapping::load(Some(&config.mappings_dir()))?);
        let ctx = Context::load(&config.profile, Some(&config.rules_dir()), config.rural)?;
        let mut ctx_rural = ctx.clone();
        ctx_rural.rural = true;
        let store = Store::open_workspace(&config)?;
        let lock_path = config.workspace.join(".clas.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| InboxError::Write {
                path: lock_path,
                source,
            })?;
        Ok(Inbox {
            config,
            store,
            mappings,
            ctx,
            ctx_rural,
            lock,
            locked: false,
            failpoint: None,
            unsynced: Vec::new(),
            copies: Vec::new(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Tests of crash safety: the process aborts (as under `kill -9`) the `nth` time it reaches
    /// `step` (`intent`, `report`, `place`, `finish`: after each step of the protocol).
    #[doc(hidden)]
    pub fn set_failpoint(&mut self, step: &str, nth: usize) {
        self.failpoint = Some((step.to_string(), nth.max(1)));
    }

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
    pub fn unlock(&mut self) {
        if self.locked {
            let _ = self.lock.unlock();
            self.locked = false;
        }
    }

    /// Finishes what an interrupted run left (see the module documentation): pending documents
    /// and reports to write again. Call with the lock held, before reading new files.
    pub fn reconcile(&mut self) -> Result<Vec<FileReport>, InboxError> {
        let mut reports = Vec::new();
        for doc in self.store.pending()? {
            let name = doc.file_name.clone();
            let source = PathBuf::from(&doc.source);
            let outcome = self.complete(doc)?;
            reports.push(FileReport {
                name,
                source,
                outcome,
                recovered: true,
            });
        }
        self.write_dirty_reports()?;
        Ok(reports)
    }

    /// Processes one file of `depot/`: it is moved to `archives/` or `rejets/`.
    pub fn process_depot_file(&mut self, path: &Path) -> Result<FileReport, InboxError> {
        self.one(path, Origin::Depot)
    }

    /// Processes one file for `clas ingest`: read where it is, a copy kept by the store.
    pub fn ingest_file(&mut self, path: &Path) -> Result<FileReport, InboxError> {
        self.one(path, Origin::Ingest)
    }

    /// Processes files of `depot/` as a batch; `on_file` hears of each, in order.
    pub fn process_depot_files(
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

    /// The batch: files read on every core, then, [`CHUNK`] files at a time, the steps of the
    /// protocol each done for all of them at once (one transaction for the intents, one
    /// synchronisation of the disk for the files placed, one transaction to mark them done).
    fn process(
        &mut self,
        paths: &[PathBuf],
        origin: Origin,
        on_file: &mut dyn FnMut(FileReport),
    ) -> Result<(), InboxError> {
        let known = RwLock::new(self.store.known_hashes()?);
        let mut actions = ActionIndex::load(&self.store)?;
        let mappings = Arc::clone(&self.mappings);
        let presence = self.config.presence_options();
        std::thread::scope(|s| {
            // The next chunk is read on every core while this one is recorded.
            let (tx, rx) = mpsc::sync_channel(2);
            let (known, presence) = (&known, &presence);
            s.spawn(move || {
                for chunk in paths.chunks(CHUNK) {
                    if tx
                        .send(read_all(chunk, origin, known, &mappings, presence))
                        .is_err()
                    {
                        break;
                    }
                }
            });
            for arrivals in rx {
                let recorded = self.record(arrivals, origin, &mut actions, on_file)?;
                let mut known = known.write().unwrap_or_else(PoisonError::into_inner);
                for (hash, archived) in recorded {
                    *known.entry(hash).or_default() |= archived;
                }
            }
            Ok(())
        })
    }

    /// Steps 2 to 4 for files read. Returns the hashes recorded (and whether archived).
    fn record(
        &mut self,
        arrivals: Vec<Arrival>,
        origin: Origin,
        actions: &mut ActionIndex,
        on_file: &mut dyn FnMut(FileReport),
    ) -> Result<Vec<(String, bool)>, InboxError> {
        let names: Vec<(String, PathBuf)> = arrivals
            .iter()
            .map(|a| (a.name.clone(), a.path.clone()))
            .collect();
        let mut outcomes: Vec<Option<Outcome>> = vec![None; arrivals.len()];
        let mut recorded: Vec<Recorded> = Vec::new();
        let mut hashes = Vec::new();
        // What this chunk recorded, for the next files of the chunk: contents, and the latest
        // document of each action and form (its partner may come in the same chunk).
        let mut by_hash: HashMap<String, i64> = HashMap::new();
        let mut latest: HashMap<(i64, FormKind), usize> = HashMap::new();
        let mut per_action: HashMap<i64, usize> = HashMap::new();

        // Step 2: the intents, in one transaction.
        if let Err(e) = self.store.begin() {
            let StoreError::Busy { .. } = e else {
                return Err(e.into());
            };
            // Another program holds the store: nothing recorded, every file stays where it is.
            for (name, source) in names {
                on_file(FileReport {
                    name,
                    source,
                    outcome: Outcome::NotStored {
                        reason: e.to_string(),
                    },
                    recovered: false,
                });
            }
            return Ok(Vec::new());
        }
        for (i, arrival) in arrivals.into_iter().enumerate() {
            let Arrival {
                path,
                name,
                source,
                read,
            } = arrival;
            let read = match read {
                Ok(r) => r,
                Err(outcome) => {
                    outcomes[i] = Some(outcome);
                    continue;
                }
            };
            let previous = match by_hash.get(&read.hash) {
                Some(&id) => self.store.document_light(id)?,
                None => self.store.by_hash(&read.hash)?,
            };
            if origin == Origin::Ingest
                && let Some(prev) = &previous
            {
                outcomes[i] = Some(Outcome::Known {
                    of: prev.file_name.clone(),
                    path: prev.path.clone(),
                    rejected: match &prev.status {
                        Status::Rejected { reason } => Some(reason.clone()),
                        _ => None,
                    },
                    errors: prev.errors(),
                });
                continue;
            }
            let mut doc = NewDocument {
                hash: read.hash.clone(),
                file_name: name.clone(),
                source: source.to_string_lossy().into_owned(),
                origin,
                size: read.size,
                received_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                status: Status::Archived,
                form: None,
                mapping: None,
                school_year: None,
                action_id: None,
                extraction: None,
                findings: Vec::new(),
                notes: Vec::new(),
                report_body: String::new(),
                path: String::new(),
                report_path: String::new(),
            };
            let mut new_action = None;
            let mut kept = None;
            let mut body = String::new();
            let mut rural = false;
            let dir;
            let report_suffix;
            match previous.filter(|p| p.is_archived()) {
                Some(prev) => {
                    // The same content again: beside the first copy, not counted.
                    doc.status = Status::Duplicate { of: prev.id };
                    doc.action_id = prev.action.as_ref().map(|a| a.id);
                    doc.form = prev.form;
                    doc.school_year = prev.school_year;
                    dir = self
                        .config
                        .workspace
                        .join(prev.path.parent().unwrap_or(Path::new("")));
                    report_suffix = ".rapport.txt";
                }
                None => {
                    let extracted = match read.extracted {
                        Some(e) => e,
                        // Read no further than its hash, as a content already archived; the
                        // store says otherwise (it cannot while the lock is held): read it now.
                        None => extract(
                            &path,
                            &name,
                            read.size,
                            &self.mappings,
                            &self.config.presence_options(),
                        ),
                    };
                    match extracted {
                        Err(e) => {
                            doc.status = Status::Rejected {
                                reason: e.to_string(),
                            };
                            doc.report_body = advice(&e);
                            dir = self.config.rejets_dir();
                            report_suffix = ".txt";
                        }
                        Ok(read) => {
                            let x = read.extraction;
                            let year = document_year(&x).unwrap_or_else(|| self.default_year());
                            let mut partner = None;
                            if let Some((kind, porteur, numero)) = identity(&x) {
                                match actions.find(kind, year, &porteur, &numero) {
                                    Some(a) => {
                                        doc.action_id = Some(a);
                                        if let Some(other) = partner_form(x.form) {
                                            partner = match latest.get(&(a, other)) {
                                                Some(&k) => recorded[k].extraction.clone(),
                                                None => self
                                                    .store
                                                    .current_of(a, other)?
                                                    .and_then(|p| p.extraction),
                                            };
                                        }
                                    }
                                    None => new_action = Some((kind, year, porteur, numero)),
                                }
                            }
                            let (own, _) = self.check(&x, partner.as_ref());
                            doc.notes = findings::rules::notes(
                                Some(&x).filter(|x| x.form == FormKind::Bilan),
                                &self.ctx,
                            );
                            doc.findings = own;
                            doc.form = Some(x.form);
                            doc.mapping = Some(x.mapping.clone());
                            doc.school_year = Some(year);
                            // Not stored: the store keeps the extraction, from which the report
                            // is written again (half of each row's bytes saved).
                            body = read.report_body;
                            doc.extraction = Some(read.json);
                            rural = self.context(&x).rural;
                            kept = Some(x);
                            dir = self.config.archives_dir().join(school_year_label(year));
                            report_suffix = ".rapport.txt";
                        }
                    }
                }
            }
            if let Err(e) = std::fs::create_dir_all(&dir) {
                outcomes[i] = Some(not_stored(&dir, &e));
                continue;
            }
            let (dest, report_path) = self.free_name(&dir, &name, report_suffix)?;
            doc.path = self.relative(&dest);
            doc.report_path = self.relative(&report_path);
            let (id, action) = self.store.record_intent(
                &doc,
                new_action
                    .as_ref()
                    .map(|(k, y, p, n)| (*k, *y, p.as_str(), n.as_str())),
            )?;
            self.failpoint("intent");
            if let (Some((kind, year, porteur, numero)), Some(a)) = (&new_action, action) {
                actions.add(store::ActionRef {
                    id: a,
                    kind: kind.to_string(),
                    school_year: *year,
                    porteur: porteur.clone(),
                    numero: numero.clone(),
                });
            }
            if let Some(a) = action {
                *per_action.entry(a).or_default() += 1;
                if let (Some(form), true) = (doc.form, doc.status == Status::Archived) {
                    latest.insert((a, form), recorded.len());
                }
            }
            if !matches!(doc.status, Status::Duplicate { .. }) {
                by_hash.entry(doc.hash.clone()).or_insert(id);
                hashes.push((doc.hash.clone(), doc.status == Status::Archived));
            }
            // As the store now holds it (without the extraction, kept aside): what the reports
            // and log lines need, without reading it back.
            let stored = StoredDocument {
                id,
                file_name: doc.file_name,
                hash: doc.hash,
                size: doc.size,
                received_at: doc.received_at,
                origin,
                source: doc.source,
                status: doc.status,
                current: false,
                replaced_by: None,
                form: doc.form,
                mapping: doc.mapping,
                school_year: doc.school_year,
                action: action.and_then(|a| actions.refs.get(&a).cloned()),
                extraction: None,
                findings: doc.findings,
                notes: doc.notes,
                path: doc.path.into(),
                report_path: doc.report_path.into(),
                report_body: if body.is_empty() {
                    doc.report_body
                } else {
                    body
                },
                pending: true,
            };
            recorded.push(Recorded {
                arrival: i,
                doc: stored,
                extraction: kept,
                rural,
                content: read.content,
            });
        }
        self.store.commit()?;

        // Step 3: reports and files in place, then made durable together.
        let mut placed = Vec::new();
        for (k, r) in recorded.iter_mut().enumerate() {
            let content = r.content.take();
            match self.place_step(&mut r.doc, r.rural, true, content.as_deref())? {
                Some(outcome) => outcomes[r.arrival] = Some(outcome),
                None => placed.push(k),
            }
        }
        self.sync_written()?;

        // Step 4: done, in one transaction.
        self.store.begin()?;
        for k in placed {
            let Recorded {
                arrival: i,
                doc,
                extraction: x,
                ..
            } = &recorded[k];
            let outcome = self.finish_step(doc, x.as_ref())?;
            // Its report was written before the other documents of its action in this chunk
            // were in place: it is written again from the store.
            if doc.action.as_ref().is_some_and(|a| per_action[&a.id] > 1) {
                self.store.report_outdated(doc.id)?;
            }
            outcomes[*i] = Some(outcome);
        }
        self.store.commit()?;
        self.write_dirty_reports()?;

        for (i, outcome) in outcomes.into_iter().enumerate() {
            let (name, source) = &names[i];
            on_file(FileReport {
                name: name.clone(),
                source: source.clone(),
                outcome: outcome.unwrap_or(Outcome::Vanished),
                recovered: false,
            });
        }
        Ok(hashes)
    }

    /// Steps 3 and 4 of the protocol for one pending document, made durable at once (what
    /// [`Inbox::reconcile`] finishes).
    fn complete(&mut self, mut doc: StoredDocument) -> Result<Outcome, InboxError> {
        let rural = doc
            .extraction
            .as_ref()
            .is_some_and(|x| self.context(x).rural);
        if let Some(outcome) = self.place_step(&mut doc, rural, false, None)? {
            return Ok(outcome);
        }
        self.sync_written()?;
        let outcome = self.finish_step(&doc, doc.extraction.as_ref())?;
        self.write_dirty_reports()?;
        Ok(outcome)
    }

    /// Step 3 for a pending document: its report, then the file, in place (made durable by
    /// [`Inbox::sync_written`]). `None` once placed; otherwise what became of it (forgotten:
    /// gone from its source, or not movable). `hash_checked`: the source was just read and
    /// hashed by this run; `content`: what was read, when it is what goes in the archives.
    fn place_step(
        &mut self,
        doc: &mut StoredDocument,
        rural: bool,
        hash_checked: bool,
        content: Option<&[u8]>,
    ) -> Result<Option<Outcome>, InboxError> {
        let ws = self.config.workspace.clone();
        let mut dest = ws.join(&doc.path);
        let mut report_path = ws.join(&doc.report_path);
        let source = PathBuf::from(&doc.source);
        let source_ok =
            hash_checked || matches!(read_and_hash(&source), Ok((_, h, _)) if h == doc.hash);
        let dest_state = match read_and_hash(&dest) {
            Ok((_, h, _)) if h == doc.hash => Some(true),
            Ok(_) => Some(false),
            Err(_) => None,
        };
        match dest_state {
            Some(true) => {
                // Placed before the interruption; a copy across filesystems may have left the
                // original behind.
                if doc.origin == Origin::Depot && source_ok && source != dest {
                    let _ = std::fs::remove_file(&source);
                }
                self.unsynced.push(dest);
            }
            _ if !source_ok => {
                self.store.abandon(doc.id)?;
                return Ok(Some(Outcome::Vanished));
            }
            other => {
                if other == Some(false) {
                    // Someone put another file under the chosen name: choose again.
                    let dir = dest.parent().unwrap_or(&ws).to_path_buf();
                    let suffix = if doc.report_path.to_string_lossy().ends_with(".rapport.txt") {
                        ".rapport.txt"
                    } else {
                        ".txt"
                    };
                    (dest, report_path) = self.free_name(&dir, &doc.file_name, suffix)?;
                    let (p, r) = (self.relative(&dest), self.relative(&report_path));
                    self.store.relocate(doc.id, &p, &r)?;
                    (doc.path, doc.report_path) = (p.into(), r.into());
                }
                let text = self.report_text(doc, rural)?;
                let written = std::fs::create_dir_all(report_path.parent().unwrap_or(&ws))
                    .and_then(|()| write_unsynced(&report_path, text.as_bytes()));
                if let Err(e) = written {
                    self.store.abandon(doc.id)?;
                    return Ok(Some(not_stored(&report_path, &e)));
                }
                self.unsynced.push(report_path.clone());
                self.failpoint("report");
                let placed = place(&source, &dest, doc.origin, &doc.hash, content);
                if !matches!(placed, Ok(Placed::Moved | Placed::Copied { .. })) {
                    let _ = std::fs::remove_file(&report_path);
                    self.store.abandon(doc.id)?;
                }
                match placed {
                    Ok(Placed::Moved) => self.unsynced.push(dest),
                    Ok(Placed::Copied { tmp, remove }) => self.copies.push((tmp, dest, remove)),
                    Ok(Placed::Changed) => return Ok(Some(Outcome::Changed)),
                    Err(PlaceError::Source(e)) => {
                        return Ok(Some(Outcome::Failed {
                            reason: format!("impossible de le déplacer ({})", io_french(&e)),
                        }));
                    }
                    Err(PlaceError::Dest(e)) => return Ok(Some(not_stored(&dest, &e))),
                }
                self.failpoint("place");
            }
        }
        Ok(None)
    }

    /// Step 4 for a document in its place: the findings of the documents checked with it, then
    /// done (current version of its action).
    fn finish_step(
        &mut self,
        doc: &StoredDocument,
        x: Option<&Extraction>,
    ) -> Result<Outcome, InboxError> {
        let mut partner_findings = Vec::new();
        let mut replaces = None;
        if doc.status == Status::Archived
            && let (Some(action), Some(form), Some(x)) = (&doc.action, doc.form, x)
        {
            if let Some(prev) = self.store.current_of_light(action.id, form)? {
                replaces = Some(prev.file_name.clone());
            }
            if let Some(other) = partner_form(form)
                && let Some(p) = self.store.current_of(action.id, other)?
                && let Some(px) = p.extraction.as_ref()
            {
                // Its findings may change, and its report names what it was checked with.
                let (_, theirs) = self.check(x, Some(px));
                partner_findings.push((p.id, theirs));
            }
        }
        self.store.finish(doc.id, &partner_findings)?;
        self.failpoint("finish");
        // Its own status and findings are as recorded: finishing changes those of others.
        let done = doc;
        Ok(match &done.status {
            Status::Archived => Outcome::Archived {
                id: done.id,
                path: done.path.clone(),
                form: done.form.unwrap_or(FormKind::Bilan),
                action: done.action.as_ref().map(action_label),
                school_year: done.school_year.unwrap_or_else(|| self.default_year()),
                errors: count(&done.findings, Severity::Error),
                warnings: count(&done.findings, Severity::Warning),
                replaces,
            },
            Status::Duplicate { of } => {
                let first = self.store.document_light(*of)?;
                Outcome::Duplicate {
                    id: done.id,
                    path: done.path.clone(),
                    of: first
                        .as_ref()
                        .map(|f| f.file_name.clone())
                        .unwrap_or_default(),
                    of_path: first.map(|f| f.path).unwrap_or_default(),
                }
            }
            Status::Rejected { reason } => Outcome::Rejected {
                id: done.id,
                path: done.path.clone(),
                reason: reason.clone(),
            },
        })
    }

    /// Makes the files written since the last call durable, before the store says they are in
    /// place: the copies under their temporary names first, then renamed, then everything.
    fn sync_written(&mut self) -> Result<(), InboxError> {
        let copies = std::mem::take(&mut self.copies);
        let failed = |path: &Path, source| InboxError::Write {
            path: path.to_path_buf(),
            source,
        };
        if !copies.is_empty() {
            let tmps: Vec<PathBuf> = copies.iter().map(|(tmp, _, _)| tmp.clone()).collect();
            durable(&tmps).map_err(|e| failed(&tmps[0], e))?;
            for (tmp, dest, _) in &copies {
                std::fs::rename(tmp, dest).map_err(|e| failed(dest, e))?;
                self.unsynced.push(dest.clone());
            }
        }
        let written = std::mem::take(&mut self.unsynced);
        if let Some(first) = written.first() {
            durable(&written).map_err(|e| failed(first, e))?;
        }
        // The copy is whole under its final name; the original goes. If this fails, the next
        // start finds both and removes the original (same content).
        for remove in copies.into_iter().filter_map(|(_, _, r)| r) {
            let _ = std::fs::remove_file(remove);
        }
        Ok(())
    }

    /// Checks a document with the current document of the other form of its action: its own
    /// findings, and those of the other.
    fn check(&self, x: &Extraction, other: Option<&Extraction>) -> (Vec<Finding>, Vec<Finding>) {
        let (bilan, presence) = match x.form {
            FormKind::Bilan => (Some(x), other.filter(|o| o.form == FormKind::Presence)),
            FormKind::Presence => (other.filter(|o| o.form == FormKind::Bilan), Some(x)),
            FormKind::NoteStrategique => {
                return (
                    findings::check(None, None, Some(x), self.context(x)),
                    vec![],
                );
            }
        };
        let ctx = self.context(bilan.unwrap_or(x));
        let bilan_findings = bilan.map(|b| findings::check(Some(b), presence, None, ctx));
        let presence_findings = presence.map(|p| {
            findings::check(bilan, Some(p), None, ctx)
                .into_iter()
                .filter(|f| bilan.is_none() || is_attendance_rule(&f.rule))
                .collect::<Vec<_>>()
        });
        match x.form {
            FormKind::Bilan => (
                bilan_findings.unwrap_or_default(),
                presence_findings.unwrap_or_default(),
            ),
            _ => (
                presence_findings.unwrap_or_default(),
                bilan_findings.unwrap_or_default(),
            ),
        }
    }

    /// The rules' context: rural when configured so, or when the porteur or the place of the
    /// action is in the rural lists.
    fn context(&self, x: &Extraction) -> &Context {
        if self.config.rural
            || findings::is_rural(x, &self.config.rural_porteurs, &self.config.rural_communes)
        {
            &self.ctx_rural
        } else {
            &self.ctx
        }
    }

    fn default_year(&self) -> i32 {
        self.config.school_year.unwrap_or_else(current_school_year)
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

    /// Writes again the reports marked so (the store keeps the mark until they are durable).
    fn write_dirty_reports(&mut self) -> Result<(), InboxError> {
        let dirty = self.store.dirty_reports()?;
        if dirty.is_empty() {
            return Ok(());
        }
        for doc in &dirty {
            let rural = doc
                .extraction
                .as_ref()
                .is_some_and(|x| self.context(x).rural);
            let path = self.config.workspace.join(&doc.report_path);
            let text = self.report_text(doc, rural)?;
            write_unsynced(&path, text.as_bytes()).map_err(|source| InboxError::Write {
                path: path.clone(),
                source,
            })?;
            self.unsynced.push(path);
        }
        self.sync_written()?;
        self.store.begin()?;
        for doc in &dirty {
            self.store.report_written(doc.id)?;
        }
        self.store.commit()?;
        Ok(())
    }

    /// The report beside a stored file, in French, from what the store holds.
    fn report_text(&self, doc: &StoredDocument, rural: bool) -> Result<String, InboxError> {
        let mut t = String::new();
        let received = french_time(&doc.received_at);
        let how = match doc.origin {
            Origin::Depot => "déposé dans le dossier de dépôt".to_string(),
            Origin::Ingest => format!("lu par « clas ingest » dans {}", doc.source),
        };
        match &doc.status {
            Status::Rejected { reason } => {
                t += "clas : fichier refusé\n\n";
                t += &format!(
                    "Fichier : {}\nReçu le {received} ({how})\n\n",
                    doc.file_name
                );
                t += &format!("Pourquoi : {reason}.\n\n");
                t += &format!("Que faire : {}\n\n", doc.report_body);
                t += "Le fichier refusé est conservé ici, tel qu'il a été reçu. Une fois corrigé, \
                      déposez-le à nouveau dans le dossier de dépôt : il sera lu comme un nouveau \
                      fichier.\n";
                return Ok(t);
            }
            Status::Duplicate { of } => {
                t += "clas : fichier déjà reçu\n\n";
                t += &format!(
                    "Fichier : {}\nReçu le {received} ({how})\n\n",
                    doc.file_name
                );
                if let Some(first) = self.store.document_light(*of)? {
                    t += &format!(
                        "Ce fichier a exactement le même contenu que « {} », reçu le {} et rangé \
                         sous {}. Il est conservé ici mais n'est pas compté une seconde fois : \
                         voir le rapport de ce fichier-là ({}).\n",
                        first.file_name,
                        french_time(&first.received_at),
                        first.path.display(),
                        first.report_path.display()
                    );
                }
                t += &format!("\nEmpreinte SHA-256 : {}\n", doc.hash);
                return Ok(t);
            }
            Status::Archived => {}
        }
        t += "clas : rapport de lecture\n\n";
        t += &format!("Fichier : {}\nReçu le {received} ({how})\n", doc.file_name);
        t += &format!("Rangé sous : {}\n", doc.path.display());
        let year = doc.school_year.map(school_year_label).unwrap_or_default();
        match &doc.action {
            Some(a) => t += &format!("Action : {}, année scolaire {year}\n", action_label(a)),
            None => {
                t += &format!(
                    "Action : non identifiée (le nom du porteur ou le numéro d'action manque), \
                     année scolaire {year}\n"
                )
            }
        }
        // Replaced: by whom. In force: what it replaces (the last version archived before it).
        let replaced_by = match doc.replaced_by {
            Some(id) => self.store.document_light(id)?,
            None => None,
        };
        if let Some(by) = replaced_by {
            t += &format!(
                "Version : remplacée par « {} », reçu le {}\n",
                by.file_name,
                french_time(&by.received_at)
            );
        } else if doc.current || doc.pending {
            let previous = match (&doc.action, doc.form) {
                (Some(a), Some(form)) => self.store.previous_version(a.id, form, doc.id)?,
                _ => None,
            };
            match previous {
                Some(prev) => {
                    t += &format!(
                        "Version : en vigueur ; elle remplace « {} », reçu le {}\n",
                        prev.file_name,
                        french_time(&prev.received_at)
                    )
                }
                None => t += "Version : en vigueur (première reçue pour cette action)\n",
            }
        }
        if let (Some(a), Some(other)) = (&doc.action, doc.form.and_then(partner_form)) {
            match self.store.current_of_light(a.id, other)? {
                Some(p) => {
                    t += &format!(
                        "Contrôlé avec : {} « {} », reçu le {}\n",
                        other.label(),
                        p.file_name,
                        french_time(&p.received_at)
                    )
                }
                None => {
                    t += &format!(
                        "Contrôlé sans : aucun {} de cette action n'a encore été reçu\n",
                        other.label()
                    )
                }
            }
        }
        t += "\n";
        match &doc.extraction {
            // Archived since the store keeps the extraction only (before, its text too).
            Some(x) if doc.report_body.is_empty() => {
                t += &report::extraction_text(&doc.file_name, x, false)
            }
            _ => t += &doc.report_body,
        }
        t += &format!(
            "\n  Contrôle (profil {}{})\n",
            self.config.profile,
            if rural { ", exceptions rurales" } else { "" }
        );
        t += &report::findings_text(&doc.findings);
        for note in &doc.notes {
            t += &format!("  Note : {note}\n");
        }
        t += &format!("\nEmpreinte SHA-256 : {}\n", doc.hash);
        Ok(t)
    }
}

impl Drop for Inbox {
    fn drop(&mut self) {
        self.unlock();
    }
}

fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

fn action_label(a: &store::ActionRef) -> String {
    if a.kind == "territoire" {
        format!("territoire « {} »", a.porteur)
    } else {
        format!("« {} », action n° {}", a.porteur, a.numero)
    }
}

/// Rules that speak of the attendance workbook itself (as `clas validate`).
fn is_attendance_rule(rule: &str) -> bool {
    rule.starts_with("seances.")
        || rule.starts_with("presence.")
        || rule == "collectif.taille"
        || rule.starts_with("reponse.")
}

fn partner_form(form: FormKind) -> Option<FormKind> {
    match form {
        FormKind::Bilan => Some(FormKind::Presence),
        FormKind::Presence => Some(FormKind::Bilan),
        FormKind::NoteStrategique => None,
    }
}

/// What identifies the action of a document: kind, porteur (or territory), action number.
fn identity(x: &Extraction) -> Option<(&'static str, String, String)> {
    let text = |id: &str| {
        let v = x.value(id);
        v.as_text()
            .map(|t| t.trim().to_string())
            .or_else(|| v.as_f64().map(|n| n.to_string()))
            .filter(|t| !t.is_empty())
    };
    match x.form {
        FormKind::NoteStrategique => Some(("territoire", text("territoire.nom")?, String::new())),
        _ => Some(("action", text("porteur.nom")?, text("action.numero")?)),
    }
}

/// The school year a document is about: the start of the action (bilan), the first session
/// (attendance workbook), the meeting (note stratégique).
fn document_year(x: &Extraction) -> Option<i32> {
    let date = |id: &str| x.value(id).as_date();
    let d = match x.form {
        FormKind::Bilan => date("calendrier.debut").or_else(|| date("calendrier.fin")),
        FormKind::NoteStrategique => date("concertation.date"),
        FormKind::Presence => x
            .collectifs
            .iter()
            .flatten()
            .flat_map(|c| c.seances.iter().map(|s| s.date))
            .min(),
    };
    d.map(|d| d.school_year())
}

/// The school year of today's date.
pub fn current_school_year() -> i32 {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    }
}

fn french_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&chrono::Local)
            .format("%d/%m/%Y à %H:%M")
            .to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// What to do about a file that could not be read.
fn advice(e: &FileError) -> String {
    use crate::document::ReadError;
    match e {
        FileError::NotRecognised(_) => "vérifiez qu'il s'agit bien d'un bilan CLAS, d'une note \
            stratégique ou d'un cahier de présence. S'il s'agit d'une nouvelle version d'un de \
            ces formulaires, une correspondance doit lui être ajoutée (dossier mappings/ de \
            l'espace de travail, « clas check-mapping » pour la vérifier)."
            .into(),
        FileError::Read(ReadError::Encrypted) => "demandez au porteur le fichier sans mot de \
            passe, ou ouvrez-le et enregistrez-le sans mot de passe."
            .into(),
        FileError::Read(ReadError::Unsupported(_)) => "enregistrez le document au format Word \
            (.docx), PDF ou tableur (.xlsx, .ods), ou demandez-le au porteur dans l'un de ces \
            formats."
            .into(),
        FileError::Read(ReadError::TooLarge(_)) => "ce fichier n'est pas un formulaire CLAS \
            ordinaire ; ouvrez-le avec précaution et demandez au porteur un fichier simple."
            .into(),
        _ => "le fichier est peut-être incomplet ou endommagé (pièce jointe mal enregistrée, \
            téléchargement interrompu). Enregistrez à nouveau la pièce jointe, ou demandez au \
            porteur de renvoyer le fichier."
            .into(),
    }
}

/// Files read in one go before their intents are recorded together: enough for the
/// transactions and disk synchronisations to be shared by many files, few enough for their
/// extractions to sit in memory.
const CHUNK: usize = 256;

/// A file as the reading workers leave it: its hash, and its extraction unless its content is
/// already known; or what became of it when it could not be read.
struct Arrival {
    /// As given.
    path: PathBuf,
    name: String,
    /// Where the store says it was read: as given in `depot/`, absolute for `clas ingest`.
    source: PathBuf,
    read: Result<Hashed, Outcome>,
}

struct Hashed {
    hash: String,
    size: u64,
    extracted: Option<Result<Extracted, FileError>>,
    /// For `clas ingest`, what was read and hashed: the archived copy is written from it
    /// rather than read again (its source is left where it is, and may change meanwhile).
    content: Option<Vec<u8>>,
}

/// A document of a batch, recorded (its intent in the store) and to be placed.
struct Recorded {
    /// Its position in the batch.
    arrival: usize,
    doc: StoredDocument,
    extraction: Option<Extraction>,
    rural: bool,
    content: Option<Vec<u8>>,
}

/// An extraction with what the store keeps of it, prepared by the reading workers.
struct Extracted {
    extraction: Extraction,
    report_body: String,
    json: String,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads, hashes and extracts files on every core: the part of a batch that needs no store.
/// Contents already archived (for `clas ingest`: already received) are read no further than
/// their hash.
fn read_all(
    paths: &[PathBuf],
    origin: Origin,
    known: &RwLock<HashMap<String, bool>>,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Vec<Arrival> {
    let arrive = |path: &PathBuf| {
        // A reader that panics costs one file, not the batch.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            arrive(path, origin, known, mappings, presence)
        }))
        .unwrap_or_else(|_| Arrival {
            path: path.clone(),
            name: file_name(path),
            source: path.clone(),
            read: Err(Outcome::Failed {
                reason: "erreur interne pendant la lecture".into(),
            }),
        })
    };
    pipeline::on_every_core(paths, arrive)
}

fn arrive(
    path: &Path,
    origin: Origin,
    known: &RwLock<HashMap<String, bool>>,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Arrival {
    let name = file_name(path);
    let source = match origin {
        Origin::Depot => path.to_path_buf(),
        Origin::Ingest => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
    };
    let read = match read_and_hash(path) {
        Ok((bytes, hash, size)) => {
            let archived = known
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&hash)
                .copied();
            let seen = match archived {
                Some(archived) => archived || origin == Origin::Ingest,
                None => false,
            };
            let extracted = (!seen).then(|| match &bytes {
                None => Err(too_large(size)),
                Some(b) => prepare(b, path, &name, mappings, presence),
            });
            let copied = matches!(extracted, Some(Ok(_))) && origin == Origin::Ingest;
            Ok(Hashed {
                hash,
                size,
                extracted,
                content: bytes.filter(|_| copied),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Outcome::Vanished),
        Err(e) => Err(Outcome::Failed {
            reason: format!("fichier illisible ({})", io_french(&e)),
        }),
    };
    Arrival {
        path: path.to_path_buf(),
        name,
        source,
        read,
    }
}

/// A file that could not be stored because of where it goes (not because of what it is).
fn not_stored(path: &Path, e: &std::io::Error) -> Outcome {
    let why = match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
            "le disque est plein".to_string()
        }
        std::io::ErrorKind::ReadOnlyFilesystem => "le dossier est en lecture seule".to_string(),
        std::io::ErrorKind::PermissionDenied => "accès refusé".to_string(),
        _ => "écriture impossible".to_string(),
    };
    Outcome::NotStored {
        reason: format!("impossible d'écrire {} : {why} ({e})", path.display()),
    }
}

fn too_large(size: u64) -> FileError {
    FileError::Read(crate::document::ReadError::TooLarge(format!(
        "{} Mo",
        size / (1024 * 1024)
    )))
}

fn prepare(
    bytes: &[u8],
    path: &Path,
    name: &str,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Result<Extracted, FileError> {
    let x = crate::document::read_bytes(bytes, path)
        .map_err(FileError::from)
        .and_then(|d| pipeline::extract_document_with(d, mappings, presence))?
        .extraction;
    Ok(Extracted {
        report_body: report::extraction_text(name, &x, false),
        json: store::extraction_to_json(&x).to_string(),
        extraction: x,
    })
}

/// The file read again and extracted, on this thread.
fn extract(
    path: &Path,
    name: &str,
    size: u64,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Result<Extracted, FileError> {
    match read_and_hash(path) {
        Ok((Some(b), _, _)) => prepare(&b, path, name, mappings, presence),
        Ok((None, _, _)) => Err(too_large(size)),
        Err(e) => Err(FileError::Read(crate::document::ReadError::Io(e))),
    }
}

/// The actions known, grouped by what must match exactly ([`findings::identity::bucket`]),
/// with their porteur's folded name: a document is compared with the few actions of its
/// group, not with every action of the département.
struct ActionIndex {
    groups: HashMap<(i32, String), Vec<(i64, Vec<char>)>>,
    /// Every action known, as first received (what reports and log lines name).
    refs: HashMap<i64, store::ActionRef>,
}

impl ActionIndex {
    fn load(store: &Store) -> Result<ActionIndex, StoreError> {
        let mut all = store.actions()?;
        // Of two matching actions, the oldest wins.
        all.sort_by_key(|a| a.id);
        let mut index = ActionIndex {
            groups: HashMap::new(),
            refs: HashMap::new(),
        };
        for a in all {
            index.add(a);
        }
        Ok(index)
    }

    fn add(&mut self, a: store::ActionRef) {
        if let Some(group) = findings::identity::bucket(&a.kind, &a.porteur, &a.numero) {
            self.groups
                .entry((a.school_year, group))
                .or_default()
                .push((a.id, crate::text::key(&a.porteur)));
        }
        self.refs.insert(a.id, a);
    }

    fn find(&self, kind: &str, year: i32, porteur: &str, numero: &str) -> Option<i64> {
        let group = findings::identity::bucket(kind, porteur, numero)?;
        let key = crate::text::key(porteur);
        self.groups
            .get(&(year, group))?
            .iter()
            .find(|(_, k)| findings::identity::same_name_key(k, &key))
            .map(|(id, _)| *id)
    }
}

/// Writes a file under a temporary name then renames it, without waiting for the disk: the
/// caller makes it durable with the others ([`durable`]).
fn write_unsynced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}.{}.tmp", file_name(path), std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Makes files written (and renamed into place) durable. On Linux, one `syncfs` per
/// filesystem written to: one journal commit for a whole batch, however many files. Elsewhere,
/// each file then each folder is synchronised.
fn durable(paths: &[PathBuf]) -> std::io::Result<()> {
    let dirs: std::collections::BTreeSet<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;
        let mut devices = std::collections::HashSet::new();
        for dir in dirs {
            let d = File::open(dir)?;
            // SAFETY: syncfs only reads the descriptor, which `d` keeps open.
            if devices.insert(d.metadata()?.dev()) && unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        for p in paths {
            std::fs::OpenOptions::new()
                .write(true)
                .open(p)?
                .sync_all()?;
        }
        for dir in dirs {
            sync_dir(dir);
        }
        Ok(())
    }
}

/// Reads a file and its SHA-256 (a file too large to be a form is hashed without being kept).
fn read_and_hash(path: &Path) -> std::io::Result<(Option<Vec<u8>>, String, u64)> {
    let mut f = File::open(path)?;
    let size = f.metadata()?.len();
    if size > MAX_FORM_BYTES {
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut total = 0u64;
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            total += n as u64;
            hasher.update(&buf[..n]);
        }
        return Ok((None, hex::encode(hasher.finalize()), total));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    f.read_to_end(&mut bytes)?;
    let hash = hex::encode(Sha256::digest(&bytes));
    let size = bytes.len() as u64;
    Ok((Some(bytes), hash, size))
}

fn create_dir(dir: &Path) -> Result<(), InboxError> {
    std::fs::create_dir_all(dir).map_err(|source| InboxError::Write {
        path: dir.to_path_buf(),
        source,
    })
}

enum PlaceError {
    /// The source could not be read or removed: the file stays where it is.
    Source(std::io::Error),
    /// The destination could not be written: the workspace is not writable.
    Dest(std::io::Error),
}

/// How a file was put in its place.
enum Placed {
    /// Moved under its final name.
    Moved,
    /// Copied under a temporary name beside `dest`: renamed once the copy is durable, then the
    /// original (`remove`, a file of `depot/` on another filesystem) removed
    /// ([`Inbox::sync_written`]).
    Copied {
        tmp: PathBuf,
        remove: Option<PathBuf>,
    },
    /// Its content is no longer the one read (`hash`): left (or put back) at its source.
    Changed,
}

/// Puts the file at `dest`: moved (depot) or copied (ingest, or depot on another filesystem),
/// never half there under its final name, and only if it still holds the content read
/// (`hash`); for `clas ingest`, the copy is written from that `content` itself. `dest` does
/// not exist.
fn place(
    source: &Path,
    dest: &Path,
    origin: Origin,
    hash: &str,
    content: Option<&[u8]>,
) -> Result<Placed, PlaceError> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let mut cross_device = false;
    let mut rename_error = None;
    if origin == Origin::Depot {
        match std::fs::rename(source, dest) {
            Ok(()) => {
                // Replaced between its reading and now: put back, to be read again.
                return match read_and_hash(dest) {
                    Ok((_, h, _)) if h == hash => Ok(Placed::Moved),
                    _ => match std::fs::rename(dest, source) {
                        Ok(()) => Ok(Placed::Changed),
                        Err(e) => Err(PlaceError::Dest(e)),
                    },
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => cross_device = true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(PlaceError::Source(e));
            }
            // Either side may be the cause: the copy below tells which.
            Err(e) => rename_error = Some(e),
        }
    }
    let tmp = dir.join(format!(
        ".{}.{}.clas-copie",
        dest.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let copy = (|| -> Result<bool, PlaceError> {
        // `clas ingest`: what was read and hashed goes in the archives, as it was read.
        if let Some(bytes) = content.filter(|_| origin == Origin::Ingest) {
            let mut to = File::create(&tmp).map_err(PlaceError::Dest)?;
            to.write_all(bytes).map_err(PlaceError::Dest)?;
            return Ok(true);
        }
        let mut from = File::open(source).map_err(PlaceError::Source)?;
        let mut to = File::create(&tmp).map_err(PlaceError::Dest)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = from.read(&mut buf).map_err(PlaceError::Source)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            to.write_all(&buf[..n]).map_err(PlaceError::Dest)?;
        }
        Ok(hex::encode(hasher.finalize()) == hash)
    })();
    let same = match copy {
        Ok(same) => same,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    if let Some(e) = rename_error.filter(|_| !cross_device) {
        // The source could be read and the destination written: the source cannot be taken
        // out of depot/. Left there alone, not copied again at each look.
        let _ = std::fs::remove_file(&tmp);
        return Err(PlaceError::Source(e));
    }
    if !same {
        let _ = std::fs::remove_file(&tmp);
        return Ok(Placed::Changed);
    }
    Ok(Placed::Copied {
        tmp,
        remove: (origin == Origin::Depot).then(|| source.to_path_buf()),
    })
}

#[cfg(not(target_os = "linux"))]
fn sync_dir(_dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(_dir) {
        let _ = d.sync_all();
    }
}

// ---------------------------------------------------------------------------------------------
// Which files

/// Files that are not documents: Office lock files (`~$…`), temporary and partial downloads,
/// hidden files, our own temporary files.
pub fn ignored(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with("~$")
        || name.starts_with('.')
        || name.starts_with('~')
        || [
            ".tmp",
            ".temp",
            ".part",
            ".partial",
            ".crdownload",
            ".download",
            ".swp",
            ".clas-copie",
        ]
        .iter()
        .any(|s| lower.ends_with(s))
        || ["thumbs.db", "desktop.ini", "ehthumbs.db"].contains(&lower.as_str())
}

/// Extensions of the documents `clas` reads, for folders given to `clas ingest`.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "docx", "docm", "doc", "odt", "rtf", "pdf", "xlsx", "xlsm", "xls", "ods",
];

/// The files `clas ingest` reads: files named are taken as they are; folders are walked
/// (recursively) for documents, leaving aside ignored files and the workspace's own copies
/// (`archives/`, `rejets/`). Paths that cannot be read are returned with the reason.
pub fn collect_files(paths: &[PathBuf], config: &Config) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let skip: Vec<PathBuf> = [config.archives_dir(), config.rejets_dir()]
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &skip, &mut files, &mut errors),
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push((p.clone(), io_french(&e))),
        }
    }
    (files, errors)
}

fn walk(
    dir: &Path,
    skip: &[PathBuf],
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<(PathBuf, String)>,
) {
    if let Ok(c) = std::fs::canonicalize(dir)
        && skip.contains(&c)
    {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push((dir.to_path_buf(), io_french(&e)));
            return;
        }
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if ignored(&name) {
            continue;
        }
        if p.is_dir() {
            walk(&p, skip, files, errors);
        } else {
            let ext = p
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if DOCUMENT_EXTENSIONS.contains(&ext.as_str()) {
                files.push(p);
            }
        }
    }
}

fn io_french(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "fichier ou dossier introuvable".into(),
        std::io::ErrorKind::PermissionDenied => "accès refusé".into(),
        _ => format!("lecture impossible ({e})"),
    }
}

// ---------------------------------------------------------------------------------------------
// The outputs

/// Rebuilds the outputs (`sorties/`) from the store, once per batch, each written to a
/// temporary file and renamed. THE place where the departmental synthesis (and later writers)
/// plug in; for now it writes nothing. Returns the files written.
pub fn rebuild_outputs(
    config: &Config,
    store: &Store,
) -> Result<Vec<PathBuf>, crate::outputs::OutputError> {
    let written = crate::outputs::synthesis(config, store, None)?;
    Ok(vec![written.path])
}

/// After a batch: the outputs rebuilt, or why not. A failure here is told, not fatal: the
/// files themselves are processed and safe, and the next batch tries again.
fn outputs_event(inbox: &Inbox, on_event: &mut dyn FnMut(Event)) {
    match rebuild_outputs(&inbox.config, &inbox.store) {
        Ok(written) => on_event(Event::Outputs(written)),
        Err(e) => on_event(Event::Notice(format!("synthèse non mise à jour : {e}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// The watcher

/// What `clas watch` tells as it goes; the command logs it.
#[derive(Debug)]
pub enum Event {
    /// Started: the folder watched and how.
    Watching {
        depot: PathBuf,
        how: String,
    },
    /// Waiting for another `clas` working on the workspace.
    Waiting,
    File(FileReport),
    /// A batch is over and the outputs were rebuilt (the files written).
    Outputs(Vec<PathBuf>),
    /// Something to tell that is not about one file (the watcher fell back to polling…).
    Notice(String),
}

/// How `clas watch` runs.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    /// Stop once `depot/` has had nothing to read for this long (tests, benchmarks).
    pub exit_when_idle: Option<Duration>,
}

#[derive(Clone, Copy, PartialEq)]
struct Seen {
    size: u64,
    modified: Option<SystemTime>,
}

/// Watches `depot/` until `stop` is set (the current file is finished first), processing the
/// files once complete, in batches.
pub fn watch(
    inbox: &mut Inbox,
    options: &WatchOptions,
    stop: &AtomicBool,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), InboxError> {
    let depot = inbox.config.depot_dir();
    let depot = std::fs::canonicalize(&depot).unwrap_or(depot);
    let (tx, rx) = mpsc::channel::<()>();
    let handler = move |_res: notify::Result<notify::Event>| {
        let _ = tx.send(());
    };
    let (_watcher, how) = start_watcher(
        &depot,
        inbox.config.poll,
        inbox.config.poll_interval,
        handler,
    )
    .map_err(|message| InboxError::Watch {
        path: depot.clone(),
        message,
    })?;
    on_event(Event::Watching {
        depot: depot.clone(),
        how: format!(
            "{how} ; relecture complète toutes les {} s ; un fichier est lu après {} s sans changement",
            inbox.config.rescan_interval.as_secs_f64(),
            inbox.config.stability.as_secs_f64()
        ),
    });
    // What an interrupted run left is finished first, even if depot/ is empty. If another clas
    // is at work, it does it (or the first batch here will, once the lock is ours): the files
    // arriving meanwhile are watched, not waited for blindly.
    if inbox.try_lock()? {
        let recovered = inbox.reconcile()?;
        let any = !recovered.is_empty();
        for r in recovered {
            on_event(Event::File(r));
        }
        if any {
            outputs_event(&inbox, on_event);
        }
        inbox.unlock();
    }
    // Files seen, with what they looked like and since when.
    let mut observed: HashMap<PathBuf, (Seen, Instant)> = HashMap::new();
    // Files that could not be processed, not tried again until they change.
    let mut failed: HashMap<PathBuf, Seen> = HashMap::new();
    // Files that could not be stored (archives not writable, disk full, store busy): tried
    // again at the next full rescan.
    let mut retry: HashMap<PathBuf, Instant> = HashMap::new();
    // Of those, the ones still failing: trying them again is not activity (`exit_when_idle`).
    let mut retried: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut last_scan: Option<Instant> = None;
    let mut idle_since = Instant::now();
    let mut dirty = true;
    let stability = inbox.config.stability;
    let tick = (stability / 4).clamp(Duration::from_millis(50), Duration::from_millis(500));
    while !stop.load(Ordering::SeqCst) {
        let rescan_due = last_scan.is_none_or(|t| t.elapsed() >= inbox.config.rescan_interval);
        if dirty || rescan_due || !observed.is_empty() {
            dirty = false;
            last_scan = Some(Instant::now());
            let mut present = Vec::new();
            list_depot(&depot, &mut present);
            let now = Instant::now();
            let mut still = HashMap::new();
            retry.retain(|_, since| since.elapsed() < inbox.config.rescan_interval);
            for (path, seen) in present {
                if failed.get(&path) == Some(&seen) || retry.contains_key(&path) {
                    continue;
                }
                failed.remove(&path);
                let since = match observed.get(&path) {
                    Some((before, since)) if *before == seen => *since,
                    _ => now,
                };
                still.insert(path, (seen, since));
            }
            observed = still;
        }
        let mut ready: Vec<(PathBuf, Seen)> = observed
            .iter()
            .filter(|(p, (seen, since))| {
                // An empty file is often a copy about to start: given more time.
                let needed = if seen.size == 0 {
                    stability * 5
                } else {
                    stability
                };
                since.elapsed() >= needed && openable(p)
            })
            .map(|(p, (seen, _))| (p.clone(), *seen))
            .collect();
        if !ready.is_empty() {
            // Oldest first, so that of two versions dropped together the newer one is current.
            ready.sort_by(|a, b| a.1.modified.cmp(&b.1.modified).then(a.0.cmp(&b.0)));
            if !inbox.try_lock()? {
                on_event(Event::Waiting);
                inbox.lock()?;
            }
            for r in inbox.reconcile()? {
                on_event(Event::File(r));
            }
            let mut batch = Vec::new();
            for (path, seen) in ready {
                observed.remove(&path);
                // Changed since it was found stable: observe it again.
                match stat(&path) {
                    Some(now) if now == seen => batch.push((path, seen)),
                    Some(_) => dirty = true,
                    None => on_event(Event::File(FileReport {
                        name: file_name(&path),
                        source: path,
                        outcome: Outcome::Vanished,
                        recovered: false,
                    })),
                }
            }
            let mut processed = 0;
            let mut progressed = false;
            for chunk in batch.chunks(CHUNK) {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let paths: Vec<PathBuf> = chunk.iter().map(|(p, _)| p.clone()).collect();
                let seen: HashMap<&PathBuf, Seen> = chunk.iter().map(|(p, s)| (p, *s)).collect();
                inbox.process_depot_files(&paths, &mut |report| {
                    match report.outcome {
                        Outcome::Failed { .. } => {
                            if let Some(s) = seen.get(&report.source) {
                                failed.insert(report.source.clone(), *s);
                            }
                        }
                        Outcome::NotStored { .. } => {
                            retry.insert(report.source.clone(), Instant::now());
                        }
                        Outcome::Changed => dirty = true,
                        _ => {}
                    }
                    if matches!(report.outcome, Outcome::NotStored { .. }) {
                        retried.insert(report.source.clone());
                    } else {
                        retried.remove(&report.source);
                        progressed = true;
                    }
                    processed += 1;
                    on_event(Event::File(report));
                })?;
            }
            if progressed {
                outputs_event(&inbox, on_event);
            }
            inbox.unlock();
            if progressed {
                idle_since = Instant::now();
            }
            continue;
        }
        if observed.keys().all(|p| retried.contains(p)) {
            if let Some(limit) = options.exit_when_idle
                && idle_since.elapsed() >= limit
            {
                break;
            }
        } else {
            idle_since = Instant::now();
        }
        let wait = if observed.is_empty() {
            let to_rescan = last_scan
                .map(|t| inbox.config.rescan_interval.saturating_sub(t.elapsed()))
                .unwrap_or_default();
            to_rescan.min(Duration::from_millis(250))
        } else {
            tick
        };
        match rx.recv_timeout(wait) {
            Ok(()) => {
                dirty = true;
                while rx.try_recv().is_ok() {}
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                on_event(Event::Notice(
                    "les notifications du système se sont arrêtées ; le dossier est relu à intervalle régulier".into(),
                ));
                std::thread::sleep(wait);
                dirty = true;
            }
        }
    }
    Ok(())
}

fn start_watcher(
    depot: &Path,
    poll: bool,
    interval: Duration,
    handler: impl notify::EventHandler + Clone,
) -> Result<(Box<dyn notify::Watcher>, String), String> {
    use notify::{RecursiveMode, Watcher};
    if !poll
        && let Ok(mut w) = notify::recommended_watcher(handler.clone())
        && w.watch(depot, RecursiveMode::Recursive).is_ok()
    {
        return Ok((Box::new(w), "notifications du système".to_string()));
    }
    let config = notify::Config::default().with_poll_interval(interval);
    let mut w = notify::PollWatcher::new(handler, config).map_err(|e| e.to_string())?;
    w.watch(depot, RecursiveMode::Recursive)
        .map_err(|e| e.to_string())?;
    Ok((
        Box::new(w),
        format!(
            "scrutation toutes les {} s{}",
            interval.as_secs_f64(),
            if poll {
                ""
            } else {
                " (notifications du système indisponibles)"
            }
        ),
    ))
}

fn stat(path: &Path) -> Option<Seen> {
    let m = std::fs::metadata(path).ok()?;
    m.is_file().then(|| Seen {
        size: m.len(),
        modified: m.modified().ok(),
    })
}

/// The files of `depot/` (and its subfolders) that may be documents, with their state.
fn list_depot(dir: &Path, out: &mut Vec<(PathBuf, Seen)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if ignored(&name) {
            continue;
        }
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => list_depot(&path, out),
            Ok(t) if t.is_file() => {
                if let Some(seen) = stat(&path) {
                    out.push((path, seen));
                }
            }
            _ => {}
        }
    }
}

/// Whether a file can be opened for reading; on Windows, exclusively (a copy in progress keeps
/// it open).
#[cfg(windows)]
fn openable(path: &Path) -> bool {
    use std::os::windows::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .share_mode(0)
        .open(path)
        .is_ok()
}

#[cfg(not(windows))]
fn openable(path: &Path) -> bool {
    // A file clas may not read is not going to become readable by waiting: it is taken, and
    // its reading tells why it cannot be processed.
    match File::open(path) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::PermissionDenied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_and_temporary_files_are_ignored() {
        for n in [
            "~$bilan.docx",
            ".~lock.bilan.docx#",
            "bilan.docx.part",
            "x.crdownload",
            "a.tmp",
            ".cache",
            "Thumbs.db",
        ] {
            assert!(ignored(n), "{n}");
        }
        for n in ["bilan.docx", "Bilan CLAS 2024 (2).pdf", "cahier.xlsx"] {
            assert!(!ignored(n), "{n}");
        }
    }
}
