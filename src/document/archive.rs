//! Reading parts of a zip package (OOXML, ODF) with bounds: a zip bomb or a huge part is
//! refused before it is inflated into memory.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::ReadError;

/// No part of a real form comes near this once inflated.
pub const MAX_PART: u64 = 64 * 1024 * 1024;
const MAX_ENTRIES: usize = 20_000;

pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Archive<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Self, ReadError> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            ReadError::Corrupt(format!("archive zip illisible ({e}) : fichier tronqué ?"))
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(ReadError::TooLarge(format!(
                "{} éléments dans l'archive",
                zip.len()
            )));
        }
        Ok(Archive { zip })
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// A part as UTF-8 text, `None` when the package has no such part.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, ReadError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let entry = self
            .zip
            .by_index(index)
            .map_err(|e| ReadError::Corrupt(format!("{name} : {e}")))?;
        if entry.size() > MAX_PART {
            return Err(ReadError::TooLarge(format!(
                "{name} : {} octets",
                entry.size()
            )));
        }
        // The declared size can lie: read at most one byte past the limit to know.
        let mut bytes = Vec::with_capacity(entry.size().min(MAX_PART) as usize);
        entry
            .take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                ReadError::Corrupt(format!("{name} : données compressées invalides ({e})"))
            })?;
        if bytes.len() as u64 > MAX_PART {
            return Err(ReadError::TooLarge(format!(
                "{name} dépasse {} Mo",
                MAX_PART >> 20
            )));
        }
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| ReadError::Corrupt(format!("{name} n'est pas du texte UTF-8")))
    }
}
