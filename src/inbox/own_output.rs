//! clas's own outputs dropped back into `depot/` (the synthesis, the index workbooks of the
//! conventions and letters, a convention or a letter made from the built-in templates; not the
//! blank bilans of `clas prefill`, which porteurs fill in and send back): recognised by their content, whatever their name, and
//! refused with the reason, instead of being read as a form (the synthesis as an attendance
//! workbook).

use std::io::Read;

/// Said first in the reason of a refusal, and recognised by [`super::report::advice`].
pub(super) const OWN_OUTPUT: &str = "document produit par clas";

/// What the file is, when it is one of clas's outputs.
pub(super) fn recognise(bytes: &[u8]) -> Option<String> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut part = |name: &str| -> Option<String> {
        let f = zip.by_name(name).ok()?;
        let mut text = String::new();
        f.take(1 << 20).read_to_string(&mut text).ok()?;
        Some(text)
    };
    let core = part("docProps/core.xml").unwrap_or_default();
    if let Some(workbook) = part("xl/workbook.xml") {
        let sheets = sheet_names(&workbook);
        let has = |n: &str| sheets.iter().any(|s| s == n);
        let synthesis = crate::synthesis::SHEETS.iter().filter(|s| has(s)).count();
        if synthesis >= 5 || (core.contains("<dc:creator>clas</dc:creator>") && synthesis >= 2) {
            return Some(format!(
                "{OWN_OUTPUT} : c'est la synthèse départementale (dossier sorties/)"
            ));
        }
        if sheets.len() == 2 && has("Remarques") && (has("Conventions") || has("Courriers")) {
            let what = if has("Conventions") {
                "conventions"
            } else {
                "courriers de relance"
            };
            return Some(format!(
                "{OWN_OUTPUT} : c'est le tableau récapitulatif des {what} (dossier sorties/)"
            ));
        }
    }
    if core.contains("<dc:title>Convention de fonctionnement CLAS</dc:title>") {
        return Some(format!(
            "{OWN_OUTPUT} : c'est une convention pré-remplie (dossier sorties/)"
        ));
    }
    if core.contains("<dc:title>Relance bilan CLAS</dc:title>") {
        return Some(format!(
            "{OWN_OUTPUT} : c'est un courrier de relance (dossier sorties/)"
        ));
    }
    None
}

/// The names of the sheets of `xl/workbook.xml`, unescaped.
fn sheet_names(xml: &str) -> Vec<String> {
    xml.split("<sheet ")
        .skip(1)
        .filter_map(|s| {
            let start = s.find("name=\"")? + 6;
            let end = s[start..].find('"')? + start;
            Some(
                s[start..end]
                    .replace("&amp;", "&")
                    .replace("&apos;", "'")
                    .replace("&quot;", "\""),
            )
        })
        .collect()
}
