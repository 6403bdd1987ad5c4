//! Whether a store can be trusted before anything is written into it: SQLite's quick check of
//! the file, the companion files that a change of rights left behind read-only, and the
//! documents of `archives/` that a store deleted or replaced no longer knows.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::StoreError;

/// SQLite's quick check (`PRAGMA quick_check`): the structure of every page, without the
/// costlier cross-check of the indexes against the tables that `integrity_check` adds. Run
/// once per process, when a command opens the store (the figure is in the README).
pub(super) fn quick_check(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let damaged = |detail: String| StoreError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let result: Result<String, rusqlite::Error> =
        conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0));
    match result {
        Ok(s) if s == "ok" => Ok(()),
        Ok(s) => Err(damaged(s.split_whitespace().collect::<Vec<_>>().join(" "))),
        Err(e) => Err(StoreError::classify(path, e)),
    }
}

/// `clas.db-wal` and `clas.db-shm` left read-only while `clas.db` itself is writable again
/// (rights fixed on the database only, or a copy that kept the read-only attribute): SQLite
/// would keep refusing every write. They are clas's own files: given back their write right
/// when clas may do so; otherwise the open fails and says which rights to fix.
pub(super) fn writable_companions(db: &Path) {
    let writable = |p: &Path| std::fs::metadata(p).is_ok_and(|m| !m.permissions().readonly());
    if !writable(db) {
        return;
    }
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let companion = PathBuf::from(name);
        if let Ok(m) = std::fs::metadata(&companion)
            && m.permissions().readonly()
        {
            let mut p = m.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            p.set_readonly(false);
            let _ = std::fs::set_permissions(&companion, p);
        }
        // Not ours to change (another user's): the index `-shm` is only a cache of the
        // journal, rebuilt by SQLite when no one has the database open; removed then.
        #[cfg(target_os = "linux")]
        if suffix == "-shm"
            && companion.exists()
            && std::fs::OpenOptions::new()
                .write(true)
                .open(&companion)
                .is_err()
            && !shm_in_use(&companion)
        {
            let _ = std::fs::remove_file(&companion);
        }
    }
}

/// Whether a connection has the database open: SQLite holds a shared lock on the « DMS » byte
/// of the `-shm` file (offset 128) for as long as it does.
#[cfg(target_os = "linux")]
fn shm_in_use(shm: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let Ok(f) = std::fs::File::open(shm) else {
        return true;
    };
    // SAFETY: a plain `struct flock` passed to F_GETLK on an open descriptor.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as libc::c_short;
    lock.l_whence = libc::SEEK_SET as libc::c_short;
    lock.l_start = 128;
    lock.l_len = 1;
    // SAFETY: `lock` is valid for the call, the descriptor is open.
    let r = unsafe { libc::fcntl(f.as_raw_fd(), libc::F_GETLK, &mut lock) };
    r != 0 || lock.l_type != libc::F_UNLCK as libc::c_short
}

/// How many documents `archives/` holds (files with their report beside them, in the folders
/// of the school years).
pub(super) fn archived_documents(archives: &Path) -> usize {
    let Ok(years) = std::fs::read_dir(archives) else {
        return 0;
    };
    years
        .flatten()
        .filter(|y| y.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|y| std::fs::read_dir(y.path()).ok())
        .flat_map(|files| files.flatten())
        .filter(|f| {
            let name = f.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && name.ends_with(".rapport.txt")
        })
        .count()
}

/// Removes a store this process just created (and its companions).
pub(super) fn remove_new_store(db: &Path) {
    for suffix in ["-wal", "-shm", ""] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}
