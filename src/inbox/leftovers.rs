//! Temporary files a killed `clas` left behind, removed at start-up: the synthesis being
//! written (`sorties/.synthese.xlsx.<pid>-<n>.tmp`), a report (`.<nom>.rapport.txt.<pid>.tmp`),
//! a copy on its way to the archives (`archives/…/.<nom>.<pid>.clas-copie`), a conversion by
//! LibreOffice (`<temp>/clas-conversion-<pid>-<n>/`, which holds the document). Only names of
//! that form, and only when the process `<pid>` is gone: never a file of the agent, never the
//! work of a `clas` still running.

use crate::config::Config;
use std::path::{Path, PathBuf};

/// Removes what killed runs left in the workspace and in the system's temporary folder;
/// returns what was removed.
pub(super) fn remove(config: &Config) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for dir in [
        config.sorties_dir(),
        config.archives_dir(),
        config.rejets_dir(),
    ] {
        sweep(&dir, 0, &mut removed);
    }
    sweep_flat(&config.workspace, &mut removed);
    if let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = conversion_pid(&name)
                && gone(pid, &e.path())
                && std::fs::remove_dir_all(e.path()).is_ok()
            {
                removed.push(e.path());
            }
        }
    }
    removed
}

fn sweep(dir: &Path, depth: usize, removed: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        match e.file_type() {
            // archives/<année>/…, sorties/conventions/…: a few levels, no links followed.
            Ok(t) if t.is_dir() && depth < 4 => sweep(&path, depth + 1, removed),
            Ok(t) if t.is_file() => remove_if_leftover(&path, removed),
            _ => {}
        }
    }
}

fn sweep_flat(dir: &Path, removed: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_type().is_ok_and(|t| t.is_file()) {
            remove_if_leftover(&e.path(), removed);
        }
    }
}

fn remove_if_leftover(path: &Path, removed: &mut Vec<PathBuf>) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(pid) = temp_pid(&name)
        && gone(pid, path)
        && std::fs::remove_file(path).is_ok()
    {
        removed.push(path.to_path_buf());
    }
}

/// The process of a temporary name clas writes: `.<nom>.<pid>.tmp`, `.<nom>.<pid>-<n>.tmp`,
/// `.<nom>.<pid>.clas-copie`.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let rest = rest
        .strip_suffix(".tmp")
        .or_else(|| rest.strip_suffix(".clas-copie"))?;
    let (stem, tail) = rest.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    let pid = match tail.split_once('-') {
        Some((pid, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => pid,
        Some(_) => return None,
        None => tail,
    };
    digits(pid)
}

/// `clas-conversion-<pid>-<n>`.
fn conversion_pid(name: &str) -> Option<u32> {
    let (pid, n) = name.strip_prefix("clas-conversion-")?.split_once('-')?;
    digits(n)?;
    digits(pid)
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Whether the process that wrote `path` is gone. On Linux, from `/proc`; elsewhere, when the
/// file is more than a day old (no run of clas writes one file for that long).
fn gone(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        let _ = path;
        !Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        std::fs::metadata(path)
            .and_then(|m| m.modified())
            .is_ok_and(|t| {
                std::time::SystemTime::now()
                    .duration_since(t)
                    .is_ok_and(|age| age > std::time::Duration::from_secs(24 * 3600))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clas_temporary_names_are_recognised() {
        assert_eq!(temp_pid(".synthese.xlsx.4242-0.tmp"), Some(4242));
        assert_eq!(temp_pid(".bilan.docx.rapport.txt.17.tmp"), Some(17));
        assert_eq!(temp_pid(".bilan (2).docx.99.clas-copie"), Some(99));
        assert_eq!(conversion_pid("clas-conversion-12-1733150000"), Some(12));
        for name in [
            "bilan.docx",
            "~WRL0001.tmp",
            ".cache.tmp",
            ".bilan.docx.abc.tmp",
            "bilan.123.tmp",
            ".123.tmp",
        ] {
            assert_eq!(temp_pid(name), None, "{name}");
        }
        assert_eq!(conversion_pid("clas-conversion-x-1"), None);
    }
}
