//! Putting the workbook in place: a temporary file in the target's folder, renamed over the
//! target; a dated copy beside it when the target cannot be replaced.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use super::{Stamp, SynthesisError};
use crate::files::{self, Temp};

/// Where the workbook went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file written: the target, or the dated copy beside it.
    pub path: PathBuf,
    /// The file asked for.
    pub target: PathBuf,
    /// The target could not be replaced (open in Excel, read-only…): `path` is a dated copy.
    pub dated_copy: bool,
}

impl Written {
    /// What to tell the agent, in French.
    pub fn message(&self) -> String {
        if self.dated_copy {
            format!(
                "{} n'a pas pu être remplacé (ouvert dans Excel ou LibreOffice, ou en lecture seule ?) : la synthèse a été écrite dans {}. Fermez le fichier puis relancez la synthèse pour mettre {} à jour.",
                self.target.display(),
                self.path.display(),
                self.target.display()
            )
        } else {
            format!("Synthèse écrite dans {}.", self.path.display())
        }
    }
}

/// Writes through `save` into a temporary file next to `target`, then renames it over
/// `target`, or to `<stem>-AAAAMMJJ-HHMMSS.<ext>` when the target is locked.
pub(super) fn put_in_place(
    target: &Path,
    stamp: Stamp,
    save: impl FnOnce(&mut BufWriter<File>) -> Result<(), SynthesisError>,
) -> Result<Written, SynthesisError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SynthesisError::Io { path, source }
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "synthese.xlsx".into());

    let tmp = temp_path(&dir, &name).map_err(io_err(&dir))?;
    let temp = Temp {
        path: &tmp,
        create_new: true,
        sync: true,
    };
    files::write_through_temp(
        &temp,
        save,
        |tmp| {
            if !locked(target, &dir, &name) && fs::rename(tmp, target).is_ok() {
                return Ok(Written {
                    path: target.to_path_buf(),
                    target: target.to_path_buf(),
                    dated_copy: false,
                });
            }
            let copy = dated_path(&dir, &name, stamp);
            fs::rename(tmp, &copy).map_err(io_err(&copy))?;
            Ok(Written {
                path: copy,
                target: target.to_path_buf(),
                dated_copy: true,
            })
        },
        |e| io_err(&tmp)(e),
    )
}

/// Whether the target exists and must not or cannot be replaced: a folder, a read-only file
/// (which Windows refuses to replace and an agent set so on purpose), a file open in Excel or
/// LibreOffice (their lock file beside it: `~$synthese.xlsx`, `.~lock.synthese.xlsx#`), or a
/// file that cannot be opened for writing (Windows: a sharing violation). The rename may still
/// fail afterwards, which the caller treats the same way.
fn locked(target: &Path, dir: &Path, name: &str) -> bool {
    let open_elsewhere = [format!("~${name}"), format!(".~lock.{name}#")]
        .iter()
        .any(|lock| dir.join(lock).exists());
    match fs::metadata(target) {
        Err(_) => false,
        Ok(_) if open_elsewhere => true,
        Ok(m) if m.is_dir() => true,
        Ok(m) if m.permissions().readonly() => true,
        Ok(_) => OpenOptions::new().append(true).open(target).is_err(),
    }
}

/// `.synthese.xlsx.<pid>-<n>.tmp`, a name no one else uses.
fn temp_path(dir: &Path, name: &str) -> io::Result<PathBuf> {
    let pid = std::process::id();
    for n in 0..1000 {
        let p = dir.join(format!(".{name}.{pid}-{n}.tmp"));
        if !p.exists() {
            return Ok(p);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "trop de fichiers temporaires",
    ))
}

/// `synthese-20260115-103207.xlsx`, or `…-2.xlsx` if that exists already.
pub(super) fn dated_path(dir: &Path, name: &str, stamp: Stamp) -> PathBuf {
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ".xlsx"),
    };
    let base = format!("{stem}-{}", stamp.compact());
    let mut p = dir.join(format!("{base}{ext}"));
    let mut n = 2;
    while p.exists() {
        p = dir.join(format!("{base}-{n}{ext}"));
        n += 1;
    }
    p
}
