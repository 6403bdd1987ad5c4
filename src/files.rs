//! Writing a file whole or not at all, and saying in French why a file could not be read or
//! written. One way for the whole crate: a crash or a full disk never leaves half a file under
//! its final name, whichever command wrote it, and the agent reads the same words for the same
//! failure wherever it happens.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A temporary file, written then renamed into place by [`write_through_temp`].
pub(crate) struct Temp<'a> {
    /// Beside the final file (a rename does not cross filesystems), hidden (a dot first: the
    /// watcher and `clas ingest` leave it aside).
    pub path: &'a Path,
    /// Created only if absent, for a name chosen free; otherwise one a crashed run left under
    /// the same name is replaced.
    pub create_new: bool,
    /// Synchronised before the rename; false when the caller makes a whole batch durable at
    /// once afterwards (the inbox, one `syncfs` per batch).
    pub sync: bool,
}

/// `.<name>.<pid>.tmp` beside `path`: hidden, and no other process's.
pub(crate) fn temp_beside(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes a file whole or not at all: a temporary file beside it ([`temp_beside`]), synced,
/// then renamed.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_bytes(path, bytes, true)
}

/// As [`write_atomically`], without waiting for the disk: the caller makes the file durable
/// afterwards, with the others of its batch.
pub(crate) fn write_atomically_unsynced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_bytes(path, bytes, false)
}

fn write_bytes(path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
    let tmp = temp_beside(path);
    let temp = Temp {
        path: &tmp,
        create_new: false,
        sync,
    };
    write_through_temp(
        &temp,
        |w| w.write_all(bytes),
        |tmp| std::fs::rename(tmp, path),
        |e| e,
    )
}

/// The one temporary-file writer: `write` fills the temporary file (through a buffer), which
/// is flushed and, if asked, synchronised; then `put` renames it where it goes (it may choose
/// where, once the content is safe). On any failure the temporary file is removed. `io_err`
/// turns an error on the temporary file into the caller's error.
pub(crate) fn write_through_temp<T, E>(
    temp: &Temp<'_>,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), E>,
    put: impl FnOnce(&Path) -> Result<T, E>,
    io_err: impl Fn(io::Error) -> E,
) -> Result<T, E> {
    let tmp = temp.path;
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true);
        if temp.create_new {
            options.create_new(true);
        } else {
            options.create(true).truncate(true);
        }
        let mut w = BufWriter::new(options.open(tmp).map_err(&io_err)?);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| io_err(e.into_error()))?;
        if temp.sync {
            file.sync_all().map_err(&io_err)?;
        }
        drop(file);
        put(tmp)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    result
}

/// Why a file operation failed, in French. The system's own words (English on most
/// systems) are added only when no French reason is known, with their code for support.
pub fn io_french(e: &io::Error) -> String {
    #[cfg(target_os = "linux")]
    let special = match e.raw_os_error() {
        Some(libc::ELOOP) => Some("boucle de liens symboliques"),
        Some(libc::ENAMETOOLONG) => Some("nom de fichier trop long"),
        _ => None,
    };
    #[cfg(not(target_os = "linux"))]
    let special: Option<&str> = None;
    let why = match e.kind() {
        _ if special.is_some() => special.unwrap_or_default(),
        io::ErrorKind::PermissionDenied => "accès refusé",
        io::ErrorKind::NotFound => "fichier ou dossier introuvable",
        io::ErrorKind::AlreadyExists => "le fichier existe déjà",
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => "disque plein",
        io::ErrorKind::ReadOnlyFilesystem => "support en lecture seule",
        io::ErrorKind::IsADirectory => "c'est un dossier, pas un fichier",
        io::ErrorKind::NotADirectory => "ce n'est pas un dossier",
        io::ErrorKind::InvalidData => "contenu illisible",
        io::ErrorKind::UnexpectedEof => "fichier tronqué",
        io::ErrorKind::Interrupted | io::ErrorKind::TimedOut => "opération interrompue",
        io::ErrorKind::ResourceBusy => "fichier utilisé par un autre programme",
        io::ErrorKind::InvalidFilename => "nom de fichier invalide",
        io::ErrorKind::FileTooLarge => "fichier trop volumineux",
        _ => return format!("erreur du système ({e})"),
    };
    why.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_neither_file_nor_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let tmp = temp_beside(&path);
        let temp = Temp {
            path: &tmp,
            create_new: false,
            sync: true,
        };
        let r: io::Result<()> = write_through_temp(
            &temp,
            |w| {
                w.write_all(b"half")?;
                Err(io::Error::other("interrupted"))
            },
            |tmp| std::fs::rename(tmp, &path),
            |e| e,
        );
        assert!(r.is_err());
        assert!(!path.exists() && !tmp.exists());
        write_atomically(&path, b"whole").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn errors_are_told_in_french_with_the_system_words() {
        let e = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(io_french(&e), "accès refusé");
        let e = std::fs::read("/nonexistent/clas").unwrap_err();
        assert_eq!(io_french(&e), "fichier ou dossier introuvable");
        assert!(!io_french(&e).contains("os error"));
        let e = io::Error::other("odd");
        assert_eq!(io_french(&e), "erreur du système (odd)");
    }
}
