//! One `clas watch` per workspace: the first holds `.clas-watch.lock` (an exclusive lock, and
//! in the file which process, on which computer, since when) for as long as it runs; a second
//! one says where the first runs and stops, instead of racing it for every file.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::Path;

use super::InboxError;

/// Held while `clas watch` runs; released (by the system, even after a kill) when it ends.
pub(super) struct WatchLock {
    _file: Option<File>,
}

/// Takes the watcher's lock of the workspace, or says who holds it.
pub(super) fn take(workspace: &Path) -> Result<WatchLock, InboxError> {
    let path = workspace.join(".clas-watch.lock");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|source| InboxError::Write {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            return Err(InboxError::AlreadyWatched {
                workspace: workspace.to_path_buf(),
                holder: describe(&holder),
            });
        }
        // A file system without locks (some network shares): go on without.
        Err(std::fs::TryLockError::Error(_)) => return Ok(WatchLock { _file: None }),
    }
    let since = chrono::Local::now().format("%d/%m/%Y à %H:%M:%S");
    let text = format!(
        "pid = {}\nordinateur = {}\ndepuis = {since}\n",
        std::process::id(),
        host()
    );
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(text.as_bytes()))
        .and_then(|()| file.flush());
    Ok(WatchLock { _file: Some(file) })
}

/// « le processus 1234 sur PC-ACCUEIL, depuis le 02/12/2026 à 09:01:12 », from the lock file.
fn describe(text: &str) -> String {
    let field = |key: &str| {
        text.lines()
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    match (field("pid"), field("ordinateur"), field("depuis")) {
        (Some(pid), host, since) => {
            let mut s = format!("processus {pid}");
            if let Some(h) = host {
                s += &format!(" sur l'ordinateur « {h} »");
            }
            if let Some(t) = since {
                s += &format!(", depuis le {t}");
            }
            s
        }
        _ => "processus inconnu".into(),
    }
}

/// This computer's name, as the agent knows it.
fn host() -> String {
    std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "inconnu".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_described_from_the_lock_file() {
        let d = describe("pid = 12\nordinateur = PC-1\ndepuis = 02/12/2026 à 09:00:00\n");
        assert_eq!(
            d,
            "processus 12 sur l'ordinateur « PC-1 », depuis le 02/12/2026 à 09:00:00"
        );
        assert_eq!(describe(""), "processus inconnu");
    }
}
