//! `clas watch`: the folder `depot/` watched (the system's events, or polling), a file taken
//! once it has stopped changing, the files taken processed in batches, the outputs rebuilt
//! after each batch.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use super::collect::ignored;
use super::incomplete::{cut_short, patience};
use super::names;
use super::protocol::CHUNK;
use super::refused::{Refused, Taken};
use super::report::FileReport;
use super::{Inbox, InboxError, Outcome, file_name, rebuild_outputs};

/// After a batch: the outputs rebuilt, or why not. A failure here is told, not fatal: the
/// files themselves are processed and safe, and the next batch tries again.
fn outputs_event(inbox: &Inbox, on_event: &mut dyn FnMut(Event)) {
    match rebuild_outputs(&inbox.config, &inbox.store) {
        Ok(rebuilt) => {
            on_event(Event::Outputs(rebuilt.written));
            rebuilt
                .notices
                .into_iter()
                .for_each(|n| on_event(Event::Notice(n)));
        }
        Err(e) => on_event(Event::Notice(format!("synthèse non mise à jour : {e}"))),
    }
}

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
    /// The inode's change time and mode (Unix): rights given back to a file clas could not
    /// read change them, not its size or modification time.
    changed: Option<(i64, i64, u32)>,
}

/// Watches `depot/` until `stop` is set (the current file is finished first), processing the
/// files once complete, in batches.
pub fn watch(
    inbox: &mut Inbox,
    options: &WatchOptions,
    stop: &AtomicBool,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), InboxError> {
    // One watcher per workspace: a second one says where the first runs, and stops.
    let _watching = super::watch_lock::take(&inbox.config.workspace)?;
    let depot = inbox.config.depot_dir();
    let depot = std::fs::canonicalize(&depot).unwrap_or(depot);
    let (tx, rx) = mpsc::channel::<()>();
    let handler = move |res: notify::Result<notify::Event>| {
        // Opening or reading a file or folder changes nothing, and the watcher's own listing
        // of depot/ (and its reading of the files) would otherwise wake it again at once: a
        // busy loop of thousands of listings a second on an empty depot.
        if let Ok(e) = &res
            && matches!(
                e.kind,
                notify::EventKind::Access(
                    notify::event::AccessKind::Open(_)
                        | notify::event::AccessKind::Read
                        | notify::event::AccessKind::Close(notify::event::AccessMode::Read)
                        | notify::event::AccessKind::Close(notify::event::AccessMode::Execute)
                )
            )
        {
            return;
        }
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
        if let Some(name) = inbox.finish_take_back()? {
            on_event(Event::Notice(taken_back(&name)));
        }
        let recovered = inbox.reconcile()?;
        let any = !recovered.is_empty();
        for r in recovered {
            on_event(Event::File(r));
        }
        if any {
            outputs_event(inbox, on_event);
        }
        inbox.unlock();
    }
    // The files refused into rejets/, watched for a change (a copy finished after all).
    let mut refused = Refused::load(inbox)?;
    let workspace = inbox.config.workspace.clone();
    // Files seen, with what they looked like and since when.
    let mut observed: HashMap<PathBuf, (Seen, Instant)> = HashMap::new();
    // Files that could not be processed, not tried again until they change.
    let mut failed: HashMap<PathBuf, Seen> = HashMap::new();
    // Files that could not be stored (archives not writable, disk full, store busy): tried
    // again at the next full rescan.
    let mut retry: HashMap<PathBuf, Instant> = HashMap::new();
    // Of those, the ones still failing: trying them again is not activity (`exit_when_idle`).
    let mut retried: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    // Files visibly cut short (a copy that paused?): left in depot/ until they change, or read
    // (and refused with the reason) once they have stayed so for `patience`.
    let mut incomplete: HashMap<PathBuf, (Seen, Instant)> = HashMap::new();
    let patience = patience(inbox.config.stability);
    // Symbolic links already told of (told again if they come back).
    let mut links_told: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut last_scan: Option<Instant> = None;
    let mut idle_since = Instant::now();
    let mut dirty = true;
    let stability = inbox.config.stability;
    let tick = (stability / 4).clamp(Duration::from_millis(50), Duration::from_millis(500));
    while !stop.load(Ordering::SeqCst) {
        let rescan_due = last_scan.is_none_or(|t| t.elapsed() >= inbox.config.rescan_interval);
        if dirty || rescan_due || !observed.is_empty() {
            dirty = false;
            if rescan_due {
                // A refused file that changed since: back to depot/, listed below.
                take_back_changed(inbox, &mut refused, on_event)?;
            }
            last_scan = Some(Instant::now());
            let mut listing = Listing::default();
            list_depot(&depot, &mut listing);
            for (from, to) in &listing.renamed {
                on_event(Event::Notice(format!(
                    "« {from} » : nom de fichier mal encodé (caractères accentués d'un ancien système) ; renommé « {to} » dans le dépôt pour être lu"
                )));
            }
            links_told.retain(|p| listing.links.contains(p));
            for link in listing.links {
                if links_told.insert(link.clone()) {
                    on_event(Event::Notice(format!(
                        "« {} » : c'est un lien symbolique (raccourci), pas un fichier ; il n'est pas lu. Déposez le fichier lui-même dans le dépôt.",
                        names::decoded(link.file_name().unwrap_or_default())
                    )));
                }
            }
            let present = listing.files;
            let now = Instant::now();
            let mut still = HashMap::new();
            retry.retain(|_, since| since.elapsed() < inbox.config.rescan_interval);
            incomplete.retain(|p, (seen, _)| present.iter().any(|(q, s)| q == p && s == seen));
            for (path, seen) in present {
                if failed.get(&path) == Some(&seen) || retry.contains_key(&path) {
                    continue;
                }
                if incomplete
                    .get(&path)
                    .is_some_and(|(_, since)| since.elapsed() < patience)
                {
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
                    // Cut short: a copy that paused? Left in depot/ until it changes, for a
                    // while; then read, and refused with the reason if it is still so.
                    Some(now)
                        if now == seen && !incomplete.contains_key(&path) && cut_short(&path) =>
                    {
                        on_event(Event::Notice(format!(
                            "« {} » : fichier incomplet (en cours de copie ?) ; laissé dans le dépôt, il sera lu quand il sera complet (au plus tard dans {} s, tel qu'il sera alors)",
                            file_name(&path),
                            patience.as_secs()
                        )));
                        incomplete.insert(path, (seen, Instant::now()));
                    }
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
                        Outcome::Rejected { id, ref path, .. } => {
                            refused.remember(&workspace, id, path)
                        }
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
                outputs_event(inbox, on_event);
            }
            inbox.unlock();
            if progressed {
                idle_since = Instant::now();
            }
            continue;
        }
        if observed.keys().all(|p| retried.contains(p)) && incomplete.is_empty() {
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

/// Takes back into depot/ the refused files of rejets/ that changed since their refusal
/// ([`Refused`]), when the workspace is free (otherwise at the next rescan).
fn take_back_changed(
    inbox: &mut Inbox,
    refused: &mut Refused,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), InboxError> {
    let changed = refused.changed();
    if changed.is_empty() || !inbox.try_lock()? {
        return Ok(());
    }
    for (path, id) in changed {
        match inbox.take_back(id, &path) {
            Ok(Taken::Moved(_)) => {
                refused.forget(&path);
                on_event(Event::Notice(taken_back(&file_name(&path))));
            }
            Ok(Taken::NotRefused) => refused.forget(&path),
            Ok(Taken::Busy) => {}
            // The store cannot be written now (full disk…): at the next rescan.
            Err(e) if e.retry_later() => break,
            Err(e) => {
                inbox.unlock();
                return Err(e);
            }
        }
    }
    inbox.unlock();
    Ok(())
}

fn taken_back(name: &str) -> String {
    format!("« {name} » : modifié après son refus, relu")
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
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt;
        Some((m.ctime(), m.ctime_nsec(), m.mode()))
    };
    #[cfg(not(unix))]
    let changed = None;
    m.is_file().then(|| Seen {
        size: m.len(),
        modified: m.modified().ok(),
        changed,
    })
}

/// What a look at `depot/` found.
#[derive(Default)]
struct Listing {
    /// The files that may be documents, with their state.
    files: Vec<(PathBuf, Seen)>,
    /// Symbolic links: not read (what they point to is not the agent's deposit), but told.
    links: Vec<PathBuf>,
    /// Names that were not valid UTF-8, renamed (old name as decoded, new name).
    renamed: Vec<(String, String)>,
}

/// The files of `depot/` (and its subfolders) that may be documents, with their state. A name
/// that is not valid UTF-8 (an old share's Latin-1) could not be stored and found again: the
/// file is renamed in place to its decoded name first.
fn list_depot(dir: &Path, out: &mut Listing) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let raw = e.file_name();
        let name = names::decoded(&raw);
        if ignored(&name) {
            continue;
        }
        let mut path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => {
                // A subfolder's name too: the files under it are stored by their path.
                if names::not_utf8(&raw) {
                    match rename_decoded(&path, &name) {
                        Some(to) => {
                            out.renamed
                                .push((raw.to_string_lossy().into_owned(), file_name(&to)));
                            path = to;
                        }
                        None => continue,
                    }
                }
                list_depot(&path, out)
            }
            Ok(t) if t.is_file() => {
                if names::not_utf8(&raw) {
                    match rename_decoded(&path, &name) {
                        Some(to) => {
                            out.renamed
                                .push((raw.to_string_lossy().into_owned(), file_name(&to)));
                            path = to;
                        }
                        None => continue,
                    }
                }
                if let Some(seen) = stat(&path) {
                    out.files.push((path, seen));
                }
            }
            Ok(t) if t.is_symlink() => out.links.push(path),
            _ => {}
        }
    }
}

/// Renames `path` to `name` (or `name (2)`, …, if taken) in its folder.
fn rename_decoded(path: &Path, name: &str) -> Option<PathBuf> {
    let dir = path.parent()?;
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (1..100)
        .map(|n| match n {
            1 => dir.join(name),
            n => dir.join(format!("{stem} ({n}){ext}")),
        })
        .find(|to| !to.exists() && std::fs::rename(path, to).is_ok())
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
    match std::fs::File::open(path) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::PermissionDenied,
    }
}
