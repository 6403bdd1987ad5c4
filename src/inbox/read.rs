//! Reading the files of a batch, on every core: each read once into memory, hashed, and
//! extracted unless its content is already known. This part needs no store and no lock, so
//! that the next chunk is read while the previous one is recorded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use crate::extraction::{Extraction, presence};
use crate::files::io_french;
use crate::mapping::Mapping;
use crate::pipeline::{self, FileError};
use crate::report;
use crate::store::{self, Origin};

use super::durable::read_and_hash;
use super::{Outcome, file_name};

/// A file as the reading workers leave it: its hash, and its extraction unless its content is
/// already known; or what became of it when it could not be read.
pub(super) struct Arrival {
    /// As given.
    pub(super) path: PathBuf,
    pub(super) name: String,
    /// Where the store says it was read: as given in `depot/`, absolute for `clas ingest`.
    pub(super) source: PathBuf,
    pub(super) read: Result<Hashed, Outcome>,
}

pub(super) struct Hashed {
    pub(super) hash: String,
    pub(super) size: u64,
    pub(super) extracted: Option<Result<Extracted, FileError>>,
    /// For `clas ingest`, what was read and hashed: the archived copy is written from it
    /// rather than read again (its source is left where it is, and may change meanwhile).
    pub(super) content: Option<Vec<u8>>,
}

/// An extraction with what the store keeps of it, prepared by the reading workers.
pub(super) struct Extracted {
    pub(super) extraction: Extraction,
    pub(super) report_body: String,
    pub(super) json: String,
    /// The extension the file should bear when its name says another format (archived so).
    pub(super) right_extension: Option<&'static str>,
}

/// Reads, hashes and extracts files on every core: the part of a batch that needs no store.
/// Contents already archived (for `clas ingest`: already received) are read no further than
/// their hash.
pub(super) fn read_all(
    paths: &[PathBuf],
    origin: Origin,
    known: &RwLock<HashMap<String, bool>>,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Vec<Arrival> {
    let arrive = |path: &PathBuf| {
        // A reader that panics costs one file, not the batch.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            arrive(path, origin, known, mappings, presence)
        }))
        .unwrap_or_else(|_| Arrival {
            path: path.clone(),
            name: file_name(path),
            source: path.clone(),
            read: Err(Outcome::Failed {
                reason: "erreur interne pendant la lecture".into(),
            }),
        })
    };
    pipeline::on_every_core(paths, arrive)
}

fn arrive(
    path: &Path,
    origin: Origin,
    known: &RwLock<HashMap<String, bool>>,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Arrival {
    let name = file_name(path);
    let source = match origin {
        Origin::Depot => path.to_path_buf(),
        Origin::Ingest => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
    };
    let read = match read_and_hash(path) {
        Ok((bytes, hash, size)) => {
            let archived = known
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&hash)
                .copied();
            let seen = match archived {
                Some(archived) => archived || origin == Origin::Ingest,
                None => false,
            };
            let extracted = (!seen).then(|| match &bytes {
                None => Err(too_large(size)),
                Some(b) => prepare(b, path, &name, mappings, presence),
            });
            let copied = matches!(extracted, Some(Ok(_))) && origin == Origin::Ingest;
            Ok(Hashed {
                hash,
                size,
                extracted,
                content: bytes.filter(|_| copied),
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Outcome::Vanished),
        Err(e) => Err(Outcome::Failed {
            reason: format!("fichier illisible : {}", io_french(&e)),
        }),
    };
    Arrival {
        path: path.to_path_buf(),
        name,
        source,
        read,
    }
}

fn too_large(size: u64) -> FileError {
    FileError::Read(crate::document::ReadError::TooLarge(format!(
        "{} Mo",
        size / (1024 * 1024)
    )))
}

fn prepare(
    bytes: &[u8],
    path: &Path,
    name: &str,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Result<Extracted, FileError> {
    // The synthesis or another output of clas dropped back: not a form received.
    if let Some(what) = super::own_output::recognise(bytes) {
        return Err(FileError::Read(crate::document::ReadError::Other(what)));
    }
    let (document, right_extension) =
        crate::document::read_bytes_named(bytes, path).map_err(FileError::from)?;
    let x = pipeline::extract_document_with(document, mappings, presence)?.extraction;
    Ok(Extracted {
        right_extension,
        report_body: report::extraction_text(name, &x, false),
        json: store::extraction_to_json(&x).to_string(),
        extraction: x,
    })
}

/// The file read again and extracted, on this thread.
pub(super) fn extract(
    path: &Path,
    name: &str,
    size: u64,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Result<Extracted, FileError> {
    match read_and_hash(path) {
        Ok((Some(b), _, _)) => prepare(&b, path, name, mappings, presence),
        Ok((None, _, _)) => Err(too_large(size)),
        Err(e) => Err(FileError::Read(crate::document::ReadError::Io(e))),
    }
}
