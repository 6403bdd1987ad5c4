//! What a file is, decided once, from its content: magic bytes first, then the part names of
//! a zip package or the stream names of an OLE compound file; the extension decides only
//! where the content cannot (a zip is a .docx or an .odt by its name) and words the messages.
//! [`super::read_bytes`] then hands the file to exactly one reader.
//!
//! A workbook named as one is recognised by its content, so an .xlsx renamed .xls still reads,
//! and a Word document renamed .xlsx is refused with a message that says so.

use std::io::Read;

use super::ReadError;
use super::cfb::{Cfb, OLE_MAGIC};
use super::not_a_workbook;
use super::zip_guard::{self, MAX_PART, Package};

/// What a file is, hence which reader reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pdf,
    Docx,
    Workbook(Workbook),
    /// .doc, .odt, .rtf: converted to .docx by LibreOffice, then read as Word.
    Converted,
}

/// A spreadsheet container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Workbook {
    Xlsx,
    Xls,
    Ods,
}

/// What `bytes` (not empty) are; `ext` is the file's extension, lower case, without the dot.
pub(crate) fn detect(bytes: &[u8], ext: &str) -> Result<Kind, ReadError> {
    if bytes.starts_with(b"%PDF-")
        || (ext == "pdf" && bytes.windows(5).take(1024).any(|w| w == b"%PDF-"))
    {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match ext {
            "docx" | "docm" | "dotx" | "" => Ok(Kind::Docx),
            "xlsx" | "xlsm" | "ods" | "xls" => workbook_in_zip(bytes, ext).map(Kind::Workbook),
            "odt" => Ok(Kind::Converted),
            other => Err(ReadError::Unsupported(format!(".{other}"))),
        };
    }
    // Old Excel and Word files are OLE compound documents.
    if bytes.starts_with(&OLE_MAGIC) {
        match ext {
            // (An encrypted .xlsx is an OLE file too.)
            "xls" | "xlsx" | "xlsm" | "ods" => {
                return workbook_in_ole(bytes, ext).map(Kind::Workbook);
            }
            "doc" | "dot" => return Ok(Kind::Converted),
            _ => {}
        }
    }
    if bytes.starts_with(b"{\\rtf") {
        return Ok(Kind::Converted);
    }
    // A spreadsheet name on something else.
    if matches!(ext, "xls" | "xlsx" | "xlsm" | "ods") {
        return Err(not_a_workbook(
            ext,
            "ce n'est ni un classeur Excel ni un classeur LibreOffice (fichier tronqué, endommagé ou renommé ?)",
        ));
    }
    if ext == "docx" {
        return Err(ReadError::Corrupt(
            "ce n'est pas une archive .docx (fichier tronqué ou renommé ?)".into(),
        ));
    }
    Err(ReadError::Unsupported(if ext.is_empty() {
        "sans extension".into()
    } else {
        format!(".{ext}")
    }))
}

/// A zip package named as a workbook: every part measured first (a package too big to read is
/// refused whatever it holds), then an Office Open XML or an OpenDocument workbook by its parts.
fn workbook_in_zip(bytes: &[u8], ext: &str) -> Result<Workbook, ReadError> {
    let (mut zip, names) = zip_guard::measure(bytes, ext)?;
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") || names.iter().any(|n| n.ends_with("workbook.xml")) {
        return Ok(Workbook::Xlsx);
    }
    if has("content.xml") {
        let mut mime = String::new();
        if let Ok(mut m) = zip.by_name("mimetype") {
            let _ = (&mut m).take(200).read_to_string(&mut mime);
        }
        if has("META-INF/manifest.xml") && manifest_encrypted(&mut zip) {
            return Err(ReadError::Encrypted);
        }
        if mime.is_empty() || mime.contains("spreadsheet") {
            return Ok(Workbook::Ods);
        }
        return Err(not_a_workbook(
            ext,
            "c'est un document OpenDocument, mais pas un classeur (texte ? présentation ?)",
        ));
    }
    if has("word/document.xml") {
        return Err(not_a_workbook(ext, "c'est un document Word renommé"));
    }
    if has("xl/workbook.bin") {
        return Err(not_a_workbook(
            ext,
            "c'est un classeur binaire Excel (.xlsb) : enregistrez-le au format .xlsx",
        ));
    }
    Err(not_a_workbook(
        ext,
        "l'archive ne contient pas de classeur (ni .xlsx ni .ods)",
    ))
}

fn manifest_encrypted(zip: &mut Package<'_>) -> bool {
    let Ok(m) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = String::new();
    let _ = m.take(MAX_PART).read_to_string(&mut text);
    text.contains("encryption-data")
}

/// An OLE compound file: an old Excel workbook, or an encrypted Office Open XML one.
fn workbook_in_ole(bytes: &[u8], ext: &str) -> Result<Workbook, ReadError> {
    let damaged = || not_a_workbook(ext, "le conteneur OLE est endommagé (fichier tronqué ?)");
    let cfb = Cfb::open(bytes).ok_or_else(damaged)?;
    if cfb.find("EncryptedPackage").is_some() || cfb.find("EncryptionInfo").is_some() {
        return Err(ReadError::Encrypted);
    }
    if cfb.find("Workbook").or_else(|| cfb.find("Book")).is_none() {
        if cfb.find("WordDocument").is_some() {
            return Err(not_a_workbook(ext, "c'est un document Word (.doc) renommé"));
        }
        return Err(not_a_workbook(
            ext,
            "le conteneur OLE ne contient pas de classeur Excel",
        ));
    }
    // The workbook stream itself is measured by the reader, before calamine (xls_guard).
    Ok(Workbook::Xls)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::cfb::END_OF_CHAIN;
    use super::*;
    use crate::document::Document;

    /// Reads `bytes` as a file with extension `ext`, as `clas` does.
    fn read(bytes: &[u8], ext: &str) -> Result<Document, ReadError> {
        crate::document::read_bytes(bytes, Path::new(&format!("classeur.{ext}")))
    }

    /// A minimal compound file holding one empty stream named `name`.
    fn cfb_with(name: &str) -> Vec<u8> {
        let mut f = vec![0u8; 512 * 3];
        f[..8].copy_from_slice(&OLE_MAGIC);
        f[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
        f[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        f[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
        f[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        f[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        f[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
        f[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory in sector 1
        f[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        f[0x3C..0x40].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        f[0x44..0x48].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        for i in 0..109 {
            let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
            f[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        // FAT (sector 0): itself, then the directory's one-sector chain.
        let fat = 512;
        for i in 0..128 {
            let v: u32 = match i {
                0 => 0xFFFF_FFFD,
                1 => END_OF_CHAIN,
                _ => 0xFFFF_FFFF,
            };
            f[fat + 4 * i..fat + 4 * i + 4].copy_from_slice(&v.to_le_bytes());
        }
        let dir = 1024;
        for (k, (n, typ)) in [("Root Entry", 5u8), (name, 2u8)].iter().enumerate() {
            let e = dir + 128 * k;
            let units: Vec<u16> = n.encode_utf16().chain([0]).collect();
            for (j, u) in units.iter().enumerate() {
                f[e + 2 * j..e + 2 * j + 2].copy_from_slice(&u.to_le_bytes());
            }
            f[e + 64..e + 66].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
            f[e + 66] = *typ;
            f[e + 116..e + 120].copy_from_slice(&END_OF_CHAIN.to_le_bytes());
        }
        f
    }

    #[test]
    fn encrypted_office_files_say_so() {
        let e = read(&cfb_with("EncryptedPackage"), "xlsx").unwrap_err();
        assert!(matches!(e, ReadError::Encrypted), "{e}");
        let e = read(&cfb_with("WordDocument"), "xls")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Word"), "{e}");
    }

    #[test]
    fn garbage_is_refused_in_french() {
        for (bytes, ext) in [
            (&b"not a workbook at all"[..], "xls"),
            (&b"PK\x03\x04garbage"[..], "xlsx"),
            (&OLE_MAGIC[..], "xls"),
        ] {
            let e = read(bytes, ext).unwrap_err().to_string();
            assert!(e.contains("classeur"), "{e}");
        }
    }
}
