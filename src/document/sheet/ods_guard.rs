//! The .ods size guard: an OpenDocument sheet says how many times a row or a cell repeats,
//! and calamine expands the repetitions, so a few bytes can declare a sheet of billions of
//! cells. The extent of each sheet, repetitions included, is measured here before calamine
//! reads the file.

use super::{Failure, MAX_CELLS, MAX_WORKBOOK_CELLS, too_big};
use crate::document::archive::Archive;

pub(super) fn check_ods(bytes: &[u8]) -> Result<(), Failure> {
    use quick_xml::events::Event;
    let mut archive = Archive::open(bytes)?;
    let Some(content) = archive.text("content.xml")? else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_str(&content);
    let repeat = |e: &quick_xml::events::BytesStart<'_>, key: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| a.value.parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let has_value = |e: &quick_xml::events::BytesStart<'_>| {
        e.attributes()
            .flatten()
            .any(|a| a.key.as_ref() == "office:value-type")
    };
    let mut sheet = String::new();
    let (mut row, mut col) = (0u64, 0u64);
    let (mut rows, mut cols) = (0u64, 0u64);
    let mut row_repeat = 1u64;
    let mut row_used = false;
    let mut total = 0u64;
    let mut in_cell = false;
    let is_cell = |n: &str| matches!(n, "table:table-cell" | "table:covered-table-cell");
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            // A malformed content.xml is calamine's to report.
            Err(_) => return Ok(()),
        };
        match event {
            Event::Start(e) if is_cell(e.name().as_ref()) => {
                let n = repeat(&e, "table:number-columns-repeated");
                if has_value(&e) {
                    cols = cols.max(col + n);
                    row_used = true;
                }
                col += n;
                in_cell = true;
            }
            Event::Empty(e) if is_cell(e.name().as_ref()) => {
                let n = repeat(&e, "table:number-columns-repeated");
                if has_value(&e) {
                    cols = cols.max(col + n);
                    row_used = true;
                }
                col += n;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row += repeat(&e, "table:number-rows-repeated");
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                row_repeat = repeat(&e, "table:number-rows-repeated");
                col = 0;
                row_used = false;
            }
            Event::Start(e) if e.name().as_ref() == "text:p" && in_cell => {
                // Text in a cell without a value type still shows.
                cols = cols.max(col);
                row_used = true;
            }
            Event::End(e) if is_cell(e.name().as_ref()) => {
                in_cell = false;
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row += row_repeat;
                if row_used {
                    rows = rows.max(row);
                }
            }
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                sheet = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == "table:name")
                    .map(|a| a.value.to_string())
                    .unwrap_or_default();
                row = 0;
                rows = 0;
                cols = 0;
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                let area = rows.saturating_mul(cols);
                if area > MAX_CELLS {
                    return Err(too_big(format!(
                        "la feuille « {sheet} » s'étend sur {rows} lignes et {cols} colonnes"
                    ))
                    .into());
                }
                total = total.saturating_add(area);
                if total > MAX_WORKBOOK_CELLS {
                    return Err(
                        too_big(format!("plus de {MAX_WORKBOOK_CELLS} cellules en tout")).into(),
                    );
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}
