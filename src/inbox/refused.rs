//! Refused files that change afterwards. A copy that paused longer than the stability window
//! may have been read half-written and refused; the copier then finishes it in `rejets/`. The
//! watcher remembers what each file it refused looked like (during the run, and across
//! restarts from the store: its size, and its content when its date is later than its
//! refusal), looks again at each full rescan, and takes back a refused file that changed: it
//! goes back to `depot/`, its reason file is removed, the store forgets the refusal, and the
//! file is read again like any file dropped (after the usual stability wait).
//!
//! Only files clas put in `rejets/` (known to the store, from `depot/`), never a file an agent
//! put there by hand, nor a refused document an agent typed in or corrected.
//!
//! The take-back is crash-safe like the rest of the inbox: the intent is written first (a
//! small journal, `.clas-reprise`, synced), then the store forgets the refusal, then the file
//! is renamed and its reason file removed, made durable, and the journal removed. A crash at
//! any point is finished at the next start ([`Inbox::finish_take_back`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::store::{Origin, Status};

use super::durable::{durable, read_and_hash};
use super::{Inbox, InboxError, file_name};

/// The journal of a take-back in progress, in the workspace.
const JOURNAL: &str = ".clas-reprise";

/// What a refused file looked like.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) struct Look {
    size: u64,
    modified: Option<SystemTime>,
}

pub(super) fn look(path: &Path) -> Option<Look> {
    let m = std::fs::symlink_metadata(path).ok()?;
    m.is_file().then(|| Look {
        size: m.len(),
        modified: m.modified().ok(),
    })
}

/// The refused files of `rejets/` watched, by path: their document, and what they looked like
/// when refused (`None`: already changed since, found so at start-up).
#[derive(Default)]
pub(super) struct Refused {
    files: HashMap<PathBuf, (i64, Option<Look>)>,
}

impl Refused {
    /// The refused files of the store still in `rejets/`, and whether they changed since
    /// their refusal (a size that differs; a date later than the refusal and another content).
    pub(super) fn load(inbox: &Inbox) -> Result<Refused, InboxError> {
        let rejets = inbox.config.rejets_dir();
        let mut docs = Vec::new();
        inbox.store.for_each_document_light(|d| {
            if matches!(d.status, Status::Rejected { .. }) && d.origin == Origin::Depot {
                docs.push(d);
            }
        })?;
        let mut files = HashMap::new();
        for d in docs {
            let path = inbox.config.workspace.join(&d.path);
            if !path.starts_with(&rejets) {
                continue;
            }
            let Some(now) = look(&path) else { continue };
            let refused_at = chrono::DateTime::parse_from_rfc3339(&d.received_at)
                .ok()
                .map(SystemTime::from);
            let later = match (now.modified, refused_at) {
                (Some(m), Some(r)) => m > r + std::time::Duration::from_secs(1),
                _ => true,
            };
            let changed = now.size != d.size
                || (later && read_and_hash(&path).is_ok_and(|(_, hash, _)| hash != d.hash));
            files.insert(path, (d.id, (!changed).then_some(now)));
        }
        Ok(Refused { files })
    }

    /// A file just refused (`path` relative to the workspace), as it is now.
    pub(super) fn remember(&mut self, workspace: &Path, id: i64, path: &Path) {
        let path = workspace.join(path);
        if let Some(now) = look(&path) {
            self.files.insert(path, (id, Some(now)));
        }
    }

    /// The refused files that changed since their refusal (those gone are forgotten).
    pub(super) fn changed(&mut self) -> Vec<(PathBuf, i64)> {
        let mut changed = Vec::new();
        self.files.retain(|path, (id, then)| match look(path) {
            None => false,
            Some(now) => {
                if Some(now) != *then {
                    changed.push((path.clone(), *id));
                }
                true
            }
        });
        changed.sort();
        changed
    }

    /// Not watched any more (taken back, or never to be).
    pub(super) fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }
}

/// What a take-back is about: the document, its file in `rejets/`, its reason file, and where
/// it goes in `depot/`.
struct TakeBack {
    id: i64,
    from: PathBuf,
    reason: PathBuf,
    to: PathBuf,
}

impl TakeBack {
    fn to_text(&self) -> String {
        serde_json::json!([
            self.id,
            self.from.to_string_lossy(),
            self.reason.to_string_lossy(),
            self.to.to_string_lossy()
        ])
        .to_string()
    }

    fn parse(text: &str) -> Option<TakeBack> {
        let (id, from, reason, to): (i64, String, String, String) =
            serde_json::from_str(text).ok()?;
        Some(TakeBack {
            id,
            from: from.into(),
            reason: reason.into(),
            to: to.into(),
        })
    }
}

impl Inbox {
    /// Takes a refused file that changed back into `depot/` (see the module documentation).
    /// Call with the lock held.
    pub(super) fn take_back(&mut self, id: i64, from: &Path) -> Result<Taken, InboxError> {
        let Some(doc) = self.store.document_light(id)? else {
            return Ok(Taken::NotRefused);
        };
        if !matches!(doc.status, Status::Rejected { .. })
            || self.config.workspace.join(&doc.path) != from
        {
            return Ok(Taken::NotRefused);
        }
        let depot = self.config.depot_dir();
        let take = TakeBack {
            id,
            from: from.to_path_buf(),
            reason: self.config.workspace.join(&doc.report_path),
            to: free_in(&depot, &doc.file_name),
        };
        let journal = self.config.workspace.join(JOURNAL);
        crate::files::write_atomically(&journal, take.to_text().as_bytes()).map_err(|source| {
            InboxError::Write {
                path: journal.clone(),
                source,
            }
        })?;
        self.finish(&take, &journal)
    }

    /// Finishes a take-back a crash interrupted (its journal left in the workspace); returns
    /// the name of the file put back in `depot/`, if any. Call with the lock held.
    pub(super) fn finish_take_back(&mut self) -> Result<Option<String>, InboxError> {
        let journal = self.config.workspace.join(JOURNAL);
        let Ok(text) = std::fs::read_to_string(&journal) else {
            return Ok(None);
        };
        let Some(take) = TakeBack::parse(&text) else {
            let _ = std::fs::remove_file(&journal);
            return Ok(None);
        };
        Ok(match self.finish(&take, &journal)? {
            Taken::Moved(to) => Some(file_name(&to)),
            _ => None,
        })
    }

    /// The steps after the intent: the store forgets the refusal and the file is renamed
    /// (the refusal forgotten only if the rename succeeds), its reason file removed, all made
    /// durable, the journal removed.
    fn finish(&mut self, take: &TakeBack, journal: &Path) -> Result<Taken, InboxError> {
        let known = self.store.document_light(take.id)?.is_some();
        if known {
            self.store.begin()?;
            if !self.store.forget_refused(take.id)? {
                // Typed in or corrected by an agent: stays refused.
                self.store.rollback();
                let _ = std::fs::remove_file(journal);
                return Ok(Taken::NotRefused);
            }
        }
        self.failpoint("reprise");
        let moved = take.to.exists()
            || (take.from.exists() && std::fs::rename(&take.from, &take.to).is_ok());
        if !moved {
            // Held by another program (a copy still writing it, on Windows), or gone.
            self.store.rollback();
            let _ = std::fs::remove_file(journal);
            return Ok(if take.from.exists() {
                Taken::Busy
            } else {
                Taken::NotRefused
            });
        }
        if let Err(e) = self.store.commit() {
            self.store.rollback();
            let _ = std::fs::rename(&take.to, &take.from);
            let _ = std::fs::remove_file(journal);
            return Err(e.into());
        }
        let _ = std::fs::remove_file(&take.reason);
        let _ = durable(&[take.to.clone(), take.reason.clone()]);
        let _ = std::fs::remove_file(journal);
        Ok(Taken::Moved(take.to.clone()))
    }
}

/// What became of a refused file to take back.
pub(super) enum Taken {
    /// In `depot/` now, at this path.
    Moved(PathBuf),
    /// Not (or no longer) a refused document of the store, or one an agent typed in or
    /// corrected: left alone, not watched any more.
    NotRefused,
    /// Could not be moved now (held by another program): tried again later.
    Busy,
}

/// `name` in `dir`, or `name (2)`, … if taken.
fn free_in(dir: &Path, name: &str) -> PathBuf {
    let name = Path::new(name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name.as_str(), ""),
    };
    (1..)
        .map(|n| match n {
            1 => dir.join(&name),
            n => dir.join(format!("{stem} ({n}){ext}")),
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_reads_back_what_was_written() {
        let t = TakeBack {
            id: 7,
            from: PathBuf::from("/e/rejets/a\nb.docx"),
            reason: PathBuf::from("/e/rejets/a b.docx.txt"),
            to: PathBuf::from("/e/depot/a b.docx"),
        };
        let back = TakeBack::parse(&t.to_text()).unwrap();
        assert_eq!(back.id, 7);
        assert_eq!(back.from, t.from);
        assert_eq!(back.reason, t.reason);
        assert_eq!(back.to, t.to);
        assert!(TakeBack::parse("x\n").is_none());
    }

    #[test]
    fn a_free_name_in_the_depot_gets_a_number_when_taken() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(free_in(dir.path(), "a.docx"), dir.path().join("a.docx"));
        std::fs::write(dir.path().join("a.docx"), b"x").unwrap();
        assert_eq!(free_in(dir.path(), "a.docx"), dir.path().join("a (2).docx"));
    }
}
