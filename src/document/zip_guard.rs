//! The zip size guard of packages (.xlsx, .ods, and the zip every Office format is): every part is inflated (into nothing) up to
//! a limit before calamine inflates it into memory, and the shared strings' announced count,
//! which calamine reserves memory for, has to be believable. The part names this yields are
//! what [`crate::document::format`] tells an .xlsx from an .ods with, so the measure comes
//! first: a package too big to read is refused whatever it holds.

use std::io::{Cursor, Read};

use super::not_a_workbook;
use crate::document::ReadError;

/// No part of a real workbook comes near this once inflated.
pub(crate) const MAX_PART: u64 = 64 * 1024 * 1024;
const MAX_INFLATED: u64 = 256 * 1024 * 1024;
const MAX_ENTRIES: usize = 10_000;

/// A workbook package, opened.
pub(crate) type Package<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Opens a zip package and measures every part; returns the package and the names of its
/// parts, in order.
pub(crate) fn measure<'a>(
    bytes: &'a [u8],
    ext: &str,
) -> Result<(Package<'a>, Vec<String>), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        not_a_workbook(
            ext,
            "l'archive est illisible (fichier tronqué ou endommagé ?)",
        )
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(ReadError::TooLarge(format!(
            "{} éléments dans l'archive",
            zip.len()
        )));
    }
    let mut total: u64 = 0;
    let mut names = Vec::new();
    let mut encrypted = false;
    for i in 0..zip.len() {
        let entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("ncrypt") => {
                encrypted = true;
                continue;
            }
            Err(_) => {
                return Err(not_a_workbook(
                    ext,
                    "un élément de l'archive est illisible (fichier tronqué ou endommagé ?)",
                ));
            }
        };
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if entry.size() > MAX_PART {
            return Err(ReadError::TooLarge(format!(
                "{name} : {} octets",
                entry.size()
            )));
        }
        // The declared size can lie: inflate at most one byte past the limit to know.
        let mut limited = entry.take(MAX_PART + 1);
        let damaged = || {
            not_a_workbook(
                ext,
                &format!("l'élément {name} est endommagé (fichier tronqué ?)"),
            )
        };
        // The start of the shared strings says how many there are: calamine reserves that
        // much memory up front, so the count has to be believable.
        let mut head = Vec::new();
        if name.ends_with("sharedStrings.xml") {
            (&mut limited)
                .take(4096)
                .read_to_end(&mut head)
                .map_err(|_| damaged())?;
        }
        let n = head.len() as u64
            + std::io::copy(&mut limited, &mut std::io::sink()).map_err(|_| damaged())?;
        if let Some(count) = unique_count(&head)
            && count > n / 5 + 16
        {
            return Err(not_a_workbook(
                ext,
                &format!(
                    "{name} annonce {count} textes mais n'en contient pas autant (fichier endommagé ou piégé ?)"
                ),
            ));
        }
        if n > MAX_PART {
            return Err(ReadError::TooLarge(format!(
                "{name} dépasse {} Mo",
                MAX_PART >> 20
            )));
        }
        total += n;
        if total > MAX_INFLATED {
            return Err(ReadError::TooLarge(format!(
                "plus de {} Mo en tout",
                MAX_INFLATED >> 20
            )));
        }
        names.push(name);
    }
    if encrypted {
        return Err(ReadError::Encrypted);
    }
    Ok((zip, names))
}

/// `uniqueCount="…"` on the `sst` element.
fn unique_count(head: &[u8]) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let at = text.find("uniqueCount")?;
    let rest = &text[at + "uniqueCount".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.strip_prefix(['"', '\''])?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    // More digits than a u64 holds: calamine would not parse it either.
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lying_shared_string_count_is_refused() {
        assert_eq!(
            unique_count(br#"<sst xmlns="x" count="3" uniqueCount="2">"#),
            Some(2)
        );
        assert_eq!(unique_count(b"<sst uniqueCount = '7'>"), Some(7));
        assert_eq!(unique_count(b"<sst>"), None);
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            use std::io::Write;
            let mut zip = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            zip.start_file("xl/workbook.xml", o).unwrap();
            zip.write_all(b"<workbook/>").unwrap();
            zip.start_file("xl/sharedStrings.xml", o).unwrap();
            zip.write_all(br#"<sst uniqueCount="9000000000000"><si><t>a</t></si></sst>"#)
                .unwrap();
            zip.finish().unwrap();
        }
        let path = std::path::Path::new("classeur.xlsx");
        let e = crate::document::read_bytes(&buf.into_inner(), path)
            .unwrap_err()
            .to_string();
        assert!(e.contains("annonce 9000000000000 textes"), "{e}");
    }
}
