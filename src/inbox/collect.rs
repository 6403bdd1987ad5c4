//! Which files are documents: what the watcher and `clas ingest` leave aside (lock files,
//! partial downloads, our own temporary files), and the files `clas ingest` finds in the
//! folders it is given.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::files::io_french;

/// Files that are not documents: Office lock files (`~$…`), temporary and partial downloads,
/// hidden files, our own temporary files.
pub fn ignored(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with("~$")
        || name.starts_with('.')
        || name.starts_with('~')
        || [
            ".tmp",
            ".temp",
            ".part",
            ".partial",
            ".crdownload",
            ".download",
            ".swp",
            ".clas-copie",
        ]
        .iter()
        .any(|s| lower.ends_with(s))
        || ["thumbs.db", "desktop.ini", "ehthumbs.db"].contains(&lower.as_str())
}

/// Extensions of the documents `clas` reads, for folders given to `clas ingest`.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "docx", "docm", "doc", "odt", "rtf", "pdf", "xlsx", "xlsm", "xls", "ods",
];

/// The files `clas ingest` reads: files named are taken as they are; folders are walked
/// (recursively) for documents, leaving aside ignored files and the workspace's own copies
/// (`archives/`, `rejets/`). Paths that cannot be read are returned with the reason.
pub fn collect_files(paths: &[PathBuf], config: &Config) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let skip: Vec<PathBuf> = [config.archives_dir(), config.rejets_dir()]
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &skip, &mut files, &mut errors),
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push((p.clone(), io_french(&e))),
        }
    }
    (files, errors)
}

fn walk(
    dir: &Path,
    skip: &[PathBuf],
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<(PathBuf, String)>,
) {
    if let Ok(c) = std::fs::canonicalize(dir)
        && skip.contains(&c)
    {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push((dir.to_path_buf(), io_french(&e)));
            return;
        }
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if ignored(&name) {
            continue;
        }
        if p.is_dir() {
            walk(&p, skip, files, errors);
        } else {
            let ext = p
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if DOCUMENT_EXTENSIONS.contains(&ext.as_str()) {
                files.push(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_and_temporary_files_are_ignored() {
        for n in [
            "~$bilan.docx",
            ".~lock.bilan.docx#",
            "bilan.docx.part",
            "x.crdownload",
            "a.tmp",
            ".cache",
            "Thumbs.db",
        ] {
            assert!(ignored(n), "{n}");
        }
        for n in ["bilan.docx", "Bilan CLAS 2024 (2).pdf", "cahier.xlsx"] {
            assert!(!ignored(n), "{n}");
        }
    }
}
