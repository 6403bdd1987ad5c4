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
    /// What else the agent must know (a lock file left by a crashed Excel, a hand-edited
    /// synthesis kept aside), in French.
    pub notes: Vec<String>,
}

impl Written {
    /// What to tell the agent, in French.
    pub fn message(&self) -> String {
        let mut m = if self.dated_copy {
            format!(
                "{} n'a pas pu être remplacé (ouvert dans Excel ou LibreOffice, ou en lecture seule ?) : la synthèse a été écrite dans {}. Fermez le fichier puis relancez la synthèse pour mettre {} à jour.",
                self.target.display(),
                self.path.display(),
                self.target.display()
            )
        } else {
            format!("Synthèse écrite dans {}.", self.path.display())
        };
        for n in &self.notes {
            m.push(' ');
            m.push_str(n);
        }
        m
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
            let (is_locked, notes) = locked(target, &dir, &name);
            if !is_locked && fs::rename(tmp, target).is_ok() {
                return Ok(Written {
                    path: target.to_path_buf(),
                    target: target.to_path_buf(),
                    dated_copy: false,
                    notes,
                });
            }
            let copy = dated_path(&dir, &name, stamp);
            fs::rename(tmp, &copy).map_err(io_err(&copy))?;
            Ok(Written {
                path: copy,
                target: target.to_path_buf(),
                dated_copy: true,
                notes,
            })
        },
        |e| io_err(&tmp)(e),
    )
}

/// Whether the target exists and must not or cannot be replaced: a folder, a read-only file
/// (which Windows refuses to replace and an agent set so on purpose), a file open in Excel or
/// LibreOffice (their lock file beside it: `~$synthese.xlsx`, `.~lock.synthese.xlsx#`), or a
/// file that cannot be opened for writing (Windows: a sharing violation). The rename may still
/// fail afterwards, which the caller treats the same way. With it, what to tell the agent about
/// the lock files.
///
/// A lock file is *stale* (left by an Excel or LibreOffice that crashed or was killed, which
/// makes every synthesis a dated copy forever) when the target can be opened for writing with
/// no sharing at all and, where the system cannot say whether another program has the file
/// open (anything but Windows, where Excel holds its file open while it shows it), when the
/// lock file is older than [`STALE_AFTER`]. A stale lock file is left where it is (it is not
/// clas's) and the target is replaced; the agent is told that it can be deleted.
fn locked(target: &Path, dir: &Path, name: &str) -> (bool, Vec<String>) {
    let owners: Vec<PathBuf> = [format!("~${name}"), format!(".~lock.{name}#")]
        .iter()
        .map(|lock| dir.join(lock))
        .filter(|lock| lock.exists())
        .collect();
    let mut notes = Vec::new();
    let is_locked = match fs::metadata(target) {
        Err(_) => false,
        Ok(m) if m.is_dir() => true,
        Ok(m) if m.permissions().readonly() => true,
        Ok(_) if !openable_alone(target) => true,
        Ok(_) if owners.is_empty() => false,
        Ok(_) => {
            let stale = owners.iter().all(|o| is_stale(o));
            let shown: Vec<String> = owners
                .iter()
                .map(|o| {
                    format!(
                        "« {} »",
                        o.file_name().unwrap_or_default().to_string_lossy()
                    )
                })
                .collect();
            let shown = shown.join(" et ");
            if stale {
                notes.push(format!(
                    "Le fichier caché {shown} dans {} est un reste d'Excel ou de LibreOffice fermé brutalement (il date de plus de {} h et {name} pouvait être remplacé) : {name} a été mis à jour quand même. Vous pouvez supprimer ce fichier caché.",
                    dir.display(),
                    STALE_AFTER.as_secs() / 3600
                ));
            } else {
                notes.push(format!(
                    "Le fichier caché {shown} dans {} dit que {name} est ouvert dans Excel ou LibreOffice. S'il n'est ouvert sur aucun poste (Excel fermé brutalement), supprimez ce fichier caché : la synthèse suivante remplacera {name}.",
                    dir.display()
                ));
            }
            !stale
        }
    };
    (is_locked, notes)
}

/// How old a lock file must be, where the system cannot say whether the file is open, to be
/// taken for the leftover of a crash: an agent rarely keeps the synthesis open overnight.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(12 * 3600);

fn is_stale(owner: &Path) -> bool {
    if cfg!(windows) {
        // The target opened alone ([`openable_alone`]): no Excel holds it.
        return true;
    }
    fs::metadata(owner)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().is_ok_and(|age| age >= STALE_AFTER))
}

/// Whether the target can be opened for writing by clas alone (Windows: no sharing, which
/// fails while Excel or another program has it open).
fn openable_alone(target: &Path) -> bool {
    let mut options = OpenOptions::new();
    options.append(true);
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        options.share_mode(0);
    }
    options.open(target).is_ok()
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
pub(crate) fn dated_path(dir: &Path, name: &str, stamp: Stamp) -> PathBuf {
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
