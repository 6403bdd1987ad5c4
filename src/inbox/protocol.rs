//! The batch protocol of the inbox (see the module documentation of [`super`]): files read,
//! then for each chunk their intents recorded in one transaction, placed and made durable
//! together, then marked done in one transaction; and the reconciliation that finishes what an
//! interrupted run left, so that a crash at any instant costs nothing and counts nothing twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, mpsc};

use crate::dictionary::FormKind;
use crate::extraction::Extraction;
use crate::files::{self, io_french};
use crate::findings::{Finding, Severity};
use crate::store::{self, NewDocument, Origin, Status, StoredDocument};
use crate::workspace::school_year_label;

use super::actions::ActionIndex;
use super::actions::{document_year, identity, partner_form};
use super::durable::{PlaceError, Placed, durable, place, read_and_hash};
use super::read::{Arrival, extract, read_all};
use super::report::{FileReport, action_label, advice};
use super::{Inbox, InboxError, Outcome};

impl Inbox {
    /// Finishes what an interrupted run left (see the documentation of `inbox`): pending documents
    /// and reports to write again. Call with the lock held, before reading new files.
    /// When the store cannot be written now (full disk, rights, another program), what is left
    /// is said and stays as it is, to be finished at the next batch.
    pub fn reconcile(&mut self) -> Result<Vec<FileReport>, InboxError> {
        let mut reports = Vec::new();
        for doc in self.store.pending()? {
            let name = doc.file_name.clone();
            let source = PathBuf::from(&doc.source);
            match self.complete(doc) {
                Ok(outcome) => reports.push(FileReport {
                    name,
                    source,
                    outcome,
                    recovered: true,
                }),
                Err(e) if e.retry_later() => {
                    self.store.rollback();
                    self.unsynced.clear();
                    self.copies.clear();
                    reports.push(not_recorded(name, source, &e, true));
                    return Ok(reports);
                }
                Err(e) => return Err(e),
            }
        }
        match self.write_dirty_reports() {
            Err(e) if e.retry_later() => self.store.rollback(),
            other => other?,
        }
        Ok(reports)
    }

    /// The batch: files read on every core, then, [`CHUNK`] files at a time, the steps of the
    /// protocol each done for all of them at once (one transaction for the intents, one
    /// synchronisation of the disk for the files placed, one transaction to mark them done).
    pub(super) fn process(
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
                let names: Vec<(String, PathBuf)> = arrivals
                    .iter()
                    .map(|a| (a.name.clone(), a.path.clone()))
                    .collect();
                let recorded = match self.record(arrivals, origin, &mut actions, on_file) {
                    Ok(r) => r,
                    Err(e) if e.retry_later() => {
                        // A full disk, rights taken away, another program holding the store:
                        // what was recorded stays, the rest waits in its place.
                        self.store.rollback();
                        self.unsynced.clear();
                        for (name, source) in names {
                            on_file(not_recorded(name, source, &e, false));
                        }
                        // The index of actions may name actions rolled back.
                        actions = ActionIndex::load(&self.store)?;
                        continue;
                    }
                    Err(e) => return Err(e),
                };
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

        // Step 2: the intents, in one transaction. When the store cannot be written (another
        // program holds it, full disk), nothing is recorded and every file stays where it is.
        self.store.begin()?;
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
                && !self.in_place
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
            // A file whose name says another format than its content is archived under its
            // name plus the right extension (« bilan.docx.pdf »), so that it opens.
            let mut archived_name = None;
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
                            let year = document_year(&x)
                                .unwrap_or_else(|| self.config.default_school_year());
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
                            let (own, _) = self.checker.check_document(&x, partner.as_ref());
                            doc.notes = self.checker.notes(&x);
                            doc.findings = own;
                            doc.form = Some(x.form);
                            doc.mapping = Some(x.mapping.clone());
                            doc.school_year = Some(year);
                            // Not stored: the store keeps the extraction, from which the report
                            // is written again (half of each row's bytes saved).
                            archived_name = read.right_extension.map(|e| format!("{name}.{e}"));
                            body = read.report_body;
                            doc.extraction = Some(read.json);
                            rural = self.checker.is_rural(&x);
                            kept = Some(x);
                            dir = self.config.archives_dir().join(school_year_label(year));
                            report_suffix = ".rapport.txt";
                        }
                    }
                }
            }
            let (dest, report_path) = if self.in_place {
                // `clas rebuild`: where it lies, with the report it has.
                let suffix = if path.starts_with(self.config.rejets_dir()) {
                    ".txt"
                } else {
                    ".rapport.txt"
                };
                let received: chrono::DateTime<chrono::Utc> =
                    super::rebuild::received(&path, suffix).into();
                doc.received_at = received.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                let mut report = path.as_os_str().to_owned();
                report.push(suffix);
                (path.clone(), PathBuf::from(report))
            } else {
                if let Err(e) = std::fs::create_dir_all(&dir) {
                    outcomes[i] = Some(not_stored(&dir, &e));
                    continue;
                }
                self.free_name(
                    &dir,
                    archived_name.as_deref().unwrap_or(&name),
                    report_suffix,
                )?
            };
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
        match self.finish_all(&recorded, &placed, &per_action, &mut outcomes) {
            Ok(()) => {}
            Err(e) if e.retry_later() => {
                // The store cannot be written now (full disk…): the files it placed go back
                // where they came from, their intents stay pending; the next batch places
                // them again (see `reconcile`). Nothing leaves depot/ unrecorded.
                self.store.rollback();
                for &k in &placed {
                    let r = &recorded[k];
                    let (dest, source) = (
                        self.config.workspace.join(&r.doc.path),
                        PathBuf::from(&r.doc.source),
                    );
                    if r.doc.origin == Origin::Depot && !source.exists() && dest.exists() {
                        let _ = std::fs::rename(&dest, &source);
                    }
                    let (name, source) = names[r.arrival].clone();
                    outcomes[r.arrival] = Some(not_recorded(name, source, &e, false).outcome);
                }
            }
            Err(e) => return Err(e),
        }
        match self.write_dirty_reports() {
            Err(e) if e.retry_later() => self.store.rollback(),
            other => other?,
        }

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

    /// Step 4 for the documents of a chunk placed, in one transaction.
    fn finish_all(
        &mut self,
        recorded: &[Recorded],
        placed: &[usize],
        per_action: &HashMap<i64, usize>,
        outcomes: &mut [Option<Outcome>],
    ) -> Result<(), InboxError> {
        self.store.begin()?;
        self.full_at("finish")?;
        for &k in placed {
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
        Ok(())
    }

    /// Steps 3 and 4 of the protocol for one pending document, made durable at once (what
    /// [`Inbox::reconcile`] finishes).
    fn complete(&mut self, mut doc: StoredDocument) -> Result<Outcome, InboxError> {
        let rural = doc
            .extraction
            .as_ref()
            .is_some_and(|x| self.checker.is_rural(x));
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
                    .and_then(|()| files::write_atomically_unsynced(&report_path, text.as_bytes()));
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
                            reason: format!("impossible de le déplacer : {}", io_french(&e)),
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
                replaces = Some(super::report::archived_name(&prev));
            }
            if let Some(other) = partner_form(form)
                && let Some(p) = self.store.current_of(action.id, other)?
                && let Some(px) = p.extraction.as_ref()
            {
                // Its findings may change, and its report names what it was checked with.
                let (_, theirs) = self.checker.check_document(x, Some(px));
                partner_findings.push((p.id, theirs));
            }
        }
        self.store.finish(doc.id, &partner_findings)?;
        // The agents' corrections of its action: still in force, or to review.
        let rechecked = crate::corrections::new_version(&self.store, &self.checker, doc)?;
        self.failpoint("finish");
        // Its own status and findings are as recorded (finishing changes those of others),
        // unless the agents' corrections of its action were applied to it.
        let reread = match rechecked {
            true => self.store.document_light(doc.id)?,
            false => None,
        };
        let done = reread.as_ref().unwrap_or(doc);
        Ok(match &done.status {
            Status::Archived => Outcome::Archived {
                id: done.id,
                path: done.path.clone(),
                form: done.form.unwrap_or(FormKind::Bilan),
                action: done.action.as_ref().map(action_label),
                school_year: done
                    .school_year
                    .unwrap_or_else(|| self.config.default_school_year()),
                errors: count(&done.findings, Severity::Error),
                warnings: count(&done.findings, Severity::Warning),
                replaces,
            },
            Status::Duplicate { of } => {
                let first = self.store.document_light(*of)?;
                // The first copy replaced since: this is an old version dropped again.
                let superseded_by = match first.as_ref().and_then(|f| f.replaced_by) {
                    Some(by) => self
                        .store
                        .document_light(by)?
                        .map(|b| super::report::archived_name(&b)),
                    None => None,
                };
                Outcome::Duplicate {
                    superseded_by,
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
                .is_some_and(|x| self.checker.is_rural(x));
            let path = self.config.workspace.join(&doc.report_path);
            let text = self.report_text(doc, rural)?;
            files::write_atomically_unsynced(&path, text.as_bytes()).map_err(|source| {
                InboxError::Write {
                    path: path.clone(),
                    source,
                }
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
}

fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

/// Files read in one go before their intents are recorded together: enough for the
/// transactions and disk synchronisations to be shared by many files, few enough for their
/// extractions to sit in memory.
pub(super) const CHUNK: usize = 256;

/// A document of a batch, recorded (its intent in the store) and to be placed.
struct Recorded {
    /// Its position in the batch.
    arrival: usize,
    doc: StoredDocument,
    extraction: Option<Extraction>,
    rural: bool,
    content: Option<Vec<u8>>,
}

/// A file whose recording stopped on a fault of where the store lies (full disk, rights,
/// another program): still in its place, or already in the archives with its intent, which the
/// next batch finishes.
fn not_recorded(name: String, source: PathBuf, e: &InboxError, recovered: bool) -> FileReport {
    let reason = if source.exists() || recovered {
        format!("{e} Le fichier sera repris au prochain passage.")
    } else {
        format!(
            "{e} Le fichier est déjà rangé dans les archives ; son enregistrement sera terminé au prochain passage."
        )
    };
    FileReport {
        name,
        source,
        outcome: Outcome::NotStored { reason },
        recovered,
    }
}

/// A file that could not be stored because of where it goes (not because of what it is).
fn not_stored(path: &Path, e: &std::io::Error) -> Outcome {
    Outcome::NotStored {
        reason: format!("impossible d'écrire {} : {}", path.display(), io_french(e)),
    }
}
