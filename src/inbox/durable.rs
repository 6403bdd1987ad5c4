//! Putting files on disk so that they survive a crash: each file whole under its final name or
//! not at all, and a whole batch made durable at once (one `syncfs` on Linux) before the store
//! says it is in place.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::store::Origin;

/// Files larger than this are not forms: refused without being read into memory.
const MAX_FORM_BYTES: u64 = 64 * 1024 * 1024;

/// Makes files written (and renamed into place) durable. On Linux, one `syncfs` per
/// filesystem written to: one journal commit for a whole batch, however many files. Elsewhere,
/// each file then each folder is synchronised.
pub(super) fn durable(paths: &[PathBuf]) -> std::io::Result<()> {
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
pub(super) fn read_and_hash(path: &Path) -> std::io::Result<(Option<Vec<u8>>, String, u64)> {
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

pub(super) enum PlaceError {
    /// The source could not be read or removed: the file stays where it is.
    Source(std::io::Error),
    /// The destination could not be written: the workspace is not writable.
    Dest(std::io::Error),
}

/// How a file was put in its place.
pub(super) enum Placed {
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
pub(super) fn place(
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
