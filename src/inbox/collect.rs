//! Which files are documents: what the watcher and `clas ingest` leave aside (lock files,
//! partial downloads, our own temporary files), and the files `clas ingest` finds in the
//! folders it is given.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::files::io_french;

/// Files that are not documents, left alone without a word: Office and LibreOffice lock files
/// (`~$…`, `.~lock…#`), temporary and partial downloads (`*.tmp`, `*.part`…), the system's own
/// files (`Thumbs.db`, `desktop.ini`, `.DS_Store`, `._…`), hidden files that are not documents,
/// our own temporary files. A name that merely starts with `~` or `.` and ends like a document
/// (`~bilan provisoire.docx`) is a document.
pub fn ignored(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with("~$")
        || name.starts_with(".~lock")
        || name.starts_with("._")
        || (name.starts_with('.') && !has_document_extension(&lower))
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
        || ["thumbs.db", "desktop.ini", "ehthumbs.db", ".ds_store"].contains(&lower.as_str())
}

fn has_document_extension(lower: &str) -> bool {
    lower
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && DOCUMENT_EXTENSIONS.contains(&ext))
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
    let mut visited = std::collections::HashSet::new();
    walk_once(dir, skip, &mut visited, files, errors);
}

/// One folder of [`walk`]; `visited` holds the folders already walked (by their real path), so
/// that a symbolic link back to a parent folder is told once, not followed forever.
fn walk_once(
    dir: &Path,
    skip: &[PathBuf],
    visited: &mut std::collections::HashSet<PathBuf>,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<(PathBuf, String)>,
) {
    match std::fs::canonicalize(dir) {
        Ok(c) if skip.contains(&c) => return,
        Ok(c) => {
            if !visited.insert(c) {
                errors.push((
                    dir.to_path_buf(),
                    "lien symbolique vers un dossier déjà parcouru (boucle) : ignoré".into(),
                ));
                return;
            }
        }
        Err(e) => {
            errors.push((dir.to_path_buf(), io_french(&e)));
            return;
        }
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
        let meta = match std::fs::metadata(&p) {
            Ok(m) => m,
            Err(e) => {
                // A broken link, or one that leads to itself: told, and the others read.
                if std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
                    errors.push((
                        p,
                        "lien symbolique qui ne mène à aucun fichier (cible absente, ou lien qui \
                         renvoie à lui-même) : ignoré"
                            .into(),
                    ));
                } else {
                    errors.push((p, io_french(&e)));
                }
                continue;
            }
        };
        if meta.is_dir() {
            walk_once(&p, skip, visited, files, errors);
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
            "desktop.ini",
            ".DS_Store",
            "._bilan.docx",
            "~WRL0001.tmp",
        ] {
            assert!(ignored(n), "{n}");
        }
        for n in [
            "bilan.docx",
            "Bilan CLAS 2024 (2).pdf",
            "cahier.xlsx",
            "~bilan provisoire.docx",
            ".bilan caché.docx",
        ] {
            assert!(!ignored(n), "{n}");
        }
    }
}
