//! A Word package (zip) read with bounds and written back with every part we do not change
//! copied byte for byte (its compressed data, not re-compressed).

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::LettersError;
use crate::document::archive::MAX_PART;

const MAX_ENTRIES: usize = 20_000;

fn corrupt(e: impl std::fmt::Display) -> LettersError {
    LettersError::Template(format!("archive zip illisible ({e})"))
}

pub(crate) struct Package {
    pub bytes: Vec<u8>,
    /// Part names, in the archive's order.
    pub names: Vec<String>,
}

impl Package {
    pub fn open(bytes: &[u8]) -> Result<Package, LettersError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
        if zip.len() > MAX_ENTRIES {
            return Err(LettersError::Template(format!(
                "{} éléments dans l'archive : ce n'est pas un modèle Word",
                zip.len()
            )));
        }
        let mut ordered = Vec::with_capacity(zip.len());
        let mut zip = zip;
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(corrupt)?;
            ordered.push(f.name().map_err(corrupt)?.into_owned());
        }
        Ok(Package {
            bytes: bytes.to_vec(),
            names: ordered,
        })
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// A part as text, at most [`MAX_PART`] bytes once inflated.
    pub fn text(&self, name: &str) -> Result<Option<String>, LettersError> {
        let mut zip = ZipArchive::new(Cursor::new(&self.bytes[..])).map_err(corrupt)?;
        let Some(index) = zip.index_for_name(name) else {
            return Ok(None);
        };
        let entry = zip
            .by_index(index)
            .map_err(|e| LettersError::Template(format!("{name} : {e}")))?;
        if entry.size() > MAX_PART {
            return Err(LettersError::Template(format!(
                "{name} : {} octets une fois décompressé",
                entry.size()
            )));
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| LettersError::Template(format!("{name} : données invalides ({e})")))?;
        if bytes.len() as u64 > MAX_PART {
            return Err(LettersError::Template(format!("{name} : trop volumineux")));
        }
        // A byte-order mark is allowed before the XML declaration.
        let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => rest.to_vec(),
            None => bytes,
        };
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| LettersError::Template(format!("{name} n'est pas du texte UTF-8")))
    }

    /// The main document part, as the package relationships name it.
    pub(crate) fn main_part(&self) -> Result<String, LettersError> {
        if let Some(rels) = self.text("_rels/.rels")? {
            let re = regex::Regex::new(
                r#"<(?:\w+:)?Relationship\b[^>]*?Type="[^"]*/officeDocument"[^>]*>"#,
            )
            .expect("regex");
            let target = regex::Regex::new(r#"Target="([^"]*)""#).expect("regex");
            if let Some(m) = re.find(&rels)
                && let Some(t) = target.captures(m.as_str())
            {
                return Ok(t[1].trim_start_matches('/').to_string());
            }
        }
        if self.has("word/document.xml") {
            Ok("word/document.xml".into())
        } else {
            Err(LettersError::Template(
                "ce n'est pas un document Word (.docx) : pas de word/document.xml".into(),
            ))
        }
    }

    /// The package with some parts replaced; every other part is copied as stored.
    pub(crate) fn rewrite(
        &self,
        replaced: &BTreeMap<String, String>,
    ) -> Result<Vec<u8>, LettersError> {
        let mut zin = ZipArchive::new(Cursor::new(&self.bytes[..])).map_err(corrupt)?;
        let mut zout = ZipWriter::new(Cursor::new(Vec::with_capacity(self.bytes.len() + 4096)));
        let write_err =
            |e: zip::result::ZipError| LettersError::Template(format!("écriture : {e}"));
        for i in 0..zin.len() {
            let entry = zin.by_index_raw(i).map_err(corrupt)?;
            let name = entry.name().map_err(corrupt)?.into_owned();
            match replaced.get(&name) {
                Some(xml) => {
                    let mut options = SimpleFileOptions::default()
                        .compression_method(CompressionMethod::Deflated);
                    if let Some(t) = entry.last_modified() {
                        options = options.last_modified_time(t);
                    }
                    drop(entry);
                    zout.start_file(name, options).map_err(write_err)?;
                    zout.write_all(xml.as_bytes())
                        .map_err(|e| LettersError::Template(format!("écriture : {e}")))?;
                }
                None => zout.raw_copy_file(entry).map_err(write_err)?,
            }
        }
        Ok(zout.finish().map_err(write_err)?.into_inner())
    }
}

/// Writes a new package from parts (name, content), in order, with a fixed date so the same
/// input gives the same bytes.
pub fn write_new(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zout = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, content) in parts {
        zout.start_file(*name, options).expect("zip en mémoire");
        zout.write_all(content.as_bytes()).expect("zip en mémoire");
    }
    zout.finish().expect("zip en mémoire").into_inner()
}
