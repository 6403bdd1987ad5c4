//! Reading parts of a zip package (OOXML, ODF) with bounds: a zip bomb or a huge part is
//! refused before it is inflated into memory.
//!
//! A part stored or deflated (all that Word and LibreOffice write) is inflated in one call
//! from the package's bytes into a buffer of its declared size, and its CRC checked; any other
//! method goes through the zip crate's reader.

use std::io::{Cursor, Read};

use zip::{CompressionMethod, ZipArchive};

use super::ReadError;

/// No part of a real form comes near this once inflated.
pub(crate) const MAX_PART: u64 = 64 * 1024 * 1024;
const MAX_ENTRIES: usize = 20_000;

pub(crate) struct Archive<'a> {
    bytes: &'a [u8],
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
        if let Some(bad) = zip.file_names().filter_map(|n| n.ok()).find(|n| escapes(n)) {
            return Err(ReadError::InvalidPackage(format!(
                "l'élément « {} » sort du dossier de l'archive (« .. » ou chemin absolu)",
                bad.chars().take(120).collect::<String>()
            )));
        }
        Ok(Archive { bytes, zip })
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// A part as UTF-8 text, `None` when the package has no such part.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, ReadError> {
        let Some(bytes) = self.bytes(name)? else {
            return Ok(None);
        };
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| not_utf8(name))
    }

    /// A part's bytes, inflated, `None` when the package has no such part.
    pub(crate) fn bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let corrupt = |e: zip::result::ZipError| ReadError::Corrupt(format!("{name} : {e}"));
        let entry = self.zip.by_index_raw(index).map_err(corrupt)?;
        let size = entry.size();
        if size > MAX_PART {
            return Err(ReadError::TooLarge(format!("{name} : {size} octets")));
        }
        let (method, encrypted, crc) = (entry.compression(), entry.encrypted(), entry.crc32());
        let data = entry.data_start().and_then(|start| {
            let start = usize::try_from(start).ok()?;
            let len = usize::try_from(entry.compressed_size()).ok()?;
            self.bytes.get(start..start.checked_add(len)?)
        });
        drop(entry);
        let out = match (method, encrypted, data) {
            (CompressionMethod::Stored, false, Some(data)) => {
                if data.len() as u64 != size {
                    return Err(ReadError::Corrupt(format!(
                        "{name} : taille déclarée inexacte"
                    )));
                }
                data.to_vec()
            }
            (CompressionMethod::Deflated, false, Some(data)) => inflate(data, size, name)?,
            (_, false, None) => {
                return Err(ReadError::Corrupt(format!(
                    "{name} : données hors de l'archive (fichier tronqué ?)"
                )));
            }
            _ => return self.read_with_zip(index, name).map(Some),
        };
        if crc32fast::hash(&out) != crc {
            return Err(ReadError::Corrupt(format!(
                "{name} : données compressées invalides (somme de contrôle CRC)"
            )));
        }
        Ok(Some(out))
    }

    /// Through the zip crate's reader (other methods, encrypted entries: it says why not).
    fn read_with_zip(&mut self, index: usize, name: &str) -> Result<Vec<u8>, ReadError> {
        let entry = self
            .zip
            .by_index(index)
            .map_err(|e| ReadError::Corrupt(format!("{name} : {e}")))?;
        // The declared size can lie: read at most one byte past the limit to know.
        let mut bytes = Vec::with_capacity(entry.size().min(MAX_PART) as usize);
        entry
            .take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                ReadError::Corrupt(format!("{name} : données compressées invalides ({e})"))
            })?;
        if bytes.len() as u64 > MAX_PART {
            return Err(too_large(name));
        }
        Ok(bytes)
    }
}

/// A part name with a `..` segment (`../x`, `word/../../x`, `..\\x`) or an absolute one
/// (`/tmp/x`, `C:\\x`): a package holding one is invalid, whatever else it holds.
pub(crate) fn escapes(name: &str) -> bool {
    name.starts_with(['/', '\\'])
        || name.as_bytes().get(1) == Some(&b':')
        || name.split(['/', '\\']).any(|segment| segment == "..")
}

fn too_large(name: &str) -> ReadError {
    ReadError::TooLarge(format!("{name} dépasse {} Mo", MAX_PART >> 20))
}

fn not_utf8(name: &str) -> ReadError {
    ReadError::Corrupt(format!("{name} n'est pas du texte UTF-8"))
}

/// A part's bytes as text, refused unless valid UTF-8 (checked with simdutf8, several times
/// faster than the standard library on a large part).
pub(crate) fn utf8<'b>(bytes: &'b [u8], name: &str) -> Result<&'b str, ReadError> {
    simdutf8::basic::from_utf8(bytes).map_err(|_| not_utf8(name))
}

/// Raw deflate data into exactly `size` bytes (at most [`MAX_PART`]), in one call: the data
/// must end where the declared size says. A part whose data inflates to more than its
/// declared size (a lying header, a zip bomb) is refused once the buffer is full.
fn inflate(data: &[u8], size: u64, name: &str) -> Result<Vec<u8>, ReadError> {
    use zlib_rs::ReturnCode;
    use zlib_rs::{InflateConfig, decompress_slice};
    // Zeroed pages cost nothing until written: a lying size commits no memory.
    let mut out = vec![0u8; size as usize];
    // Negative window bits: raw deflate, no zlib header (as in zip).
    let config = InflateConfig { window_bits: -15 };
    let (written, rc) = decompress_slice(&mut out, data, config);
    let written = written.len();
    match rc {
        ReturnCode::Ok if written as u64 == size => {
            out.truncate(written);
            Ok(out)
        }
        ReturnCode::Ok => Err(ReadError::Corrupt(format!(
            "{name} : taille déclarée inexacte ({written} octets au lieu de {size})"
        ))),
        // The buffer is full and the data goes on.
        ReturnCode::BufError if written as u64 == size => Err(if size >= MAX_PART {
            too_large(name)
        } else {
            ReadError::Corrupt(format!(
                "{name} : taille déclarée inexacte (plus de {size} octets une fois décompressé)"
            ))
        }),
        _ => Err(ReadError::Corrupt(format!(
            "{name} : données compressées invalides"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(parts: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        for (name, data, method) in parts {
            let opts = zip::write::SimpleFileOptions::default().compression_method(*method);
            zip.start_file(*name, opts).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn part_names_that_leave_the_package() {
        for bad in [
            "../x",
            "word/../../x",
            "..\\x",
            "a\\..\\..\\x",
            "/tmp/x",
            "\\x",
            "C:\\x",
        ] {
            assert!(escapes(bad), "{bad}");
        }
        for good in [
            "word/document.xml",
            "a..b/c",
            "..x",
            "x..",
            "[Content_Types].xml",
        ] {
            assert!(!escapes(good), "{good}");
        }
    }

    #[test]
    fn stored_and_deflated_parts_are_read() {
        let text = "é".repeat(5000);
        let bytes = zip_of(&[
            ("a.xml", text.as_bytes(), CompressionMethod::Deflated),
            ("b.xml", b"<b/>", CompressionMethod::Stored),
            ("empty.xml", b"", CompressionMethod::Deflated),
        ]);
        let mut a = Archive::open(&bytes).unwrap();
        assert_eq!(a.text("a.xml").unwrap().unwrap(), text);
        assert_eq!(a.text("b.xml").unwrap().unwrap(), "<b/>");
        assert_eq!(a.text("empty.xml").unwrap().unwrap(), "");
        assert!(a.text("c.xml").unwrap().is_none());
    }

    /// Sizes written in the central directory, changed after the fact.
    fn with_declared_size(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
        // Central directory header: signature PK\1\2, uncompressed size at offset 24.
        let at = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bytes[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
        bytes
    }

    #[test]
    fn lying_sizes_and_bad_data_are_refused() {
        let data = vec![b'a'; 100_000];
        let bytes = zip_of(&[("a.xml", &data, CompressionMethod::Deflated)]);
        for size in [10, 99_999, 100_001] {
            let lying = with_declared_size(bytes.clone(), size);
            let err = Archive::open(&lying).unwrap().text("a.xml").unwrap_err();
            assert!(err.to_string().contains("taille déclarée"), "{size}: {err}");
        }
        let huge = with_declared_size(bytes.clone(), u32::MAX - 1);
        let err = Archive::open(&huge).unwrap().text("a.xml").unwrap_err();
        assert!(matches!(err, ReadError::TooLarge(_)), "{err}");
        // One bit flipped in the compressed data.
        let mut flipped = bytes.clone();
        // Local header: 30 bytes, the name, the extra field (its length at offset 28).
        let extra = u16::from_le_bytes([flipped[28], flipped[29]]) as usize;
        flipped[30 + 5 + extra + 2] ^= 0x10;
        assert!(Archive::open(&flipped).unwrap().text("a.xml").is_err());
        let not_text = zip_of(&[("a.xml", b"\xff\xfe", CompressionMethod::Stored)]);
        let err = Archive::open(&not_text).unwrap().text("a.xml").unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }
}
