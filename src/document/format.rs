//! What a file is, decided once, from its content: magic bytes first, then the part names of
//! a zip package or the stream names of an OLE compound file; the extension decides only
//! where the content cannot (a zip is a .docx or an .odt by its name) and words the messages.
//! [`super::read_bytes`] then hands the file to exactly one reader.
//!
//! A workbook named as one is recognised by its content, so an .xlsx renamed .xls still reads,
//! and a Word document renamed .xlsx is refused with a message that says so.

use std::io::Read;

use super::ReadError;
use super::archive::escapes;
use super::cfb::{Cfb, OLE_MAGIC};
use super::not_a_workbook;
use super::zip_guard::{self, MAX_PART, Package};

/// What a file is, hence which reader reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pdf,
    Docx,
    Workbook(Workbook),
    /// .doc, .odt, .rtf (the extension the content calls for): converted to .docx by
    /// LibreOffice, then read as Word.
    Converted(&'static str),
}

/// A spreadsheet container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Workbook {
    Xlsx,
    Xls,
    Ods,
}

impl Kind {
    /// The extension a file of this kind should bear, when `ext` (its name's, lower case)
    /// is not one of those it may bear: a PDF named `.docx` is `Some("pdf")`.
    pub(crate) fn right_extension(self, ext: &str) -> Option<&'static str> {
        let (usual, fits): (&'static str, &[&str]) = match self {
            Kind::Pdf => ("pdf", &["pdf"]),
            Kind::Docx => ("docx", &["docx", "docm", "dotx"]),
            Kind::Workbook(Workbook::Xlsx) => ("xlsx", &["xlsx", "xlsm"]),
            Kind::Workbook(Workbook::Xls) => ("xls", &["xls"]),
            Kind::Workbook(Workbook::Ods) => ("ods", &["ods"]),
            Kind::Converted("doc") => ("doc", &["doc", "dot"]),
            Kind::Converted(other) => (other, &[]),
        };
        (usual != ext && !fits.contains(&ext)).then_some(usual)
    }
}

/// What `bytes` (not empty) are; `ext` is the file's extension, lower case, without the dot.
pub(crate) fn detect(bytes: &[u8], ext: &str) -> Result<Kind, ReadError> {
    // A PDF may have a few bytes of junk before its header (viewers accept up to 1 Ko).
    if bytes.starts_with(b"%PDF-") || bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // The parts say what the package is, whatever its name; the name decides only for a
        // package whose parts say nothing (and words the messages).
        if let Some(kind) = package_kind(bytes, ext)? {
            return Ok(kind);
        }
        return match ext {
            "docx" | "docm" | "dotx" | "" => Ok(Kind::Docx),
            "xlsx" | "xlsm" | "ods" | "xls" => workbook_in_zip(bytes, ext).map(Kind::Workbook),
            "odt" => Ok(Kind::Converted("odt")),
            other => Err(misnamed(
                other,
                "une archive zip qui n'est ni un document Word ni un classeur",
            )),
        };
    }
    // Old Excel and Word files are OLE compound documents.
    if bytes.starts_with(&OLE_MAGIC) {
        match ext {
            // (An encrypted .xlsx is an OLE file too.)
            "xls" | "xlsx" | "xlsm" | "ods" => {
                return workbook_in_ole(bytes, ext).map(Kind::Workbook);
            }
            "doc" | "dot" => return Ok(Kind::Converted("doc")),
            // Misnamed: the streams say what it is.
            _ => {
                if let Some(cfb) = Cfb::open(bytes) {
                    if cfb.find("Workbook").or_else(|| cfb.find("Book")).is_some() {
                        return Ok(Kind::Workbook(Workbook::Xls));
                    }
                    if cfb.find("WordDocument").is_some() {
                        return Ok(Kind::Converted("doc"));
                    }
                }
            }
        }
    }
    if bytes.starts_with(b"{\\rtf") {
        return Ok(Kind::Converted("rtf"));
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
    // A name that promises a format we read, on something else.
    if matches!(ext, "pdf" | "doc" | "dot" | "odt" | "rtf" | "docm" | "dotx") {
        let what = if bytes.starts_with(&OLE_MAGIC) {
            "un fichier Office d'un autre type"
        } else if bytes.starts_with(b"PK\x03\x04") {
            "une archive zip"
        } else {
            "un contenu d'un autre format, ou endommagé"
        };
        return Err(misnamed(ext, what));
    }
    Err(ReadError::Unsupported(if ext.is_empty() {
        "sans extension".into()
    } else {
        format!(".{ext}")
    }))
}

/// What a zip package is by its parts: a Word document, a workbook (then measured, see
/// [`workbook_in_zip`]), an OpenDocument text; `None` when its parts say nothing known. A part
/// whose name climbs out of the package (`..`) makes it invalid, whatever else it holds.
fn package_kind(bytes: &[u8], ext: &str) -> Result<Option<Kind>, ReadError> {
    let Ok(zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        // Unreadable: the reader the name calls for says why, in its own words.
        return Ok(None);
    };
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    if let Some(bad) = names.iter().find(|n| escapes(n)) {
        return Err(ReadError::InvalidPackage(format!(
            "l'élément « {} » sort du dossier de l'archive (« .. » ou chemin absolu)",
            bad.chars().take(120).collect::<String>()
        )));
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("word/document.xml") {
        return Ok(Some(Kind::Docx));
    }
    if has("xl/workbook.xml") || has("xl/workbook.bin") {
        return workbook_in_zip(bytes, ext).map(|w| Some(Kind::Workbook(w)));
    }
    if has("content.xml") {
        let mut mime = String::new();
        if let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            && let Ok(m) = zip.by_name("mimetype")
        {
            let _ = m.take(200).read_to_string(&mut mime);
        }
        if mime.contains("opendocument.text") {
            return Ok(Some(Kind::Converted("odt")));
        }
        if mime.contains("spreadsheet") {
            return workbook_in_zip(bytes, ext).map(|w| Some(Kind::Workbook(w)));
        }
    }
    Ok(None)
}

/// A file named as a format it does not hold: the message says what it holds instead.
fn misnamed(ext: &str, what: &str) -> ReadError {
    ReadError::Other(format!(
        "le fichier est nommé .{ext} mais ce n'est pas un fichier .{ext} ({what}) : fichier endommagé ou renommé ? Demandez au porteur de l'enregistrer à nouveau"
    ))
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
