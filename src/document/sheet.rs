//! Spreadsheet reader (calamine): .xlsx, .xls, .ods, one [`Table`] per sheet.
//!
//! Cells are typed: dates become [`Cell::Date`] whatever the format stored them as (a serial
//! number with a date format in .xlsx and .xls, ISO text in .ods), whole numbers are
//! [`Cell::Number`] in every format, times and durations (`1:30`) become the text `01:30`,
//! formulas without a cached result and error values are empty. Row and column indices are
//! absolute: `rows[0][0]` is A1, so that messages can name cells as Excel does.
//!
//! Merged cells keep their value in the top-left cell; where the format records the merged
//! regions (.xlsx, .xls), a value merged over several columns is repeated in each of them, so a
//! month written once over its days reads the same in every column.
//!
//! Everything is bounded before calamine allocates: the zip parts are inflated (and thrown
//! away) up to a limit first, an .xls file's records and an .ods file's repeated rows and
//! columns are measured, and a sheet spanning more than [`MAX_CELLS`] cells is refused.
//! calamine itself runs under `catch_unwind`: a file that makes it panic is refused like any
//! corrupt file.

use std::cell::Cell as StdCell;
use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use calamine::{Data, DataRef, Dimensions, ExcelDateTime, Ods, Reader, SheetType, Xls, Xlsx};

use super::{Cell, Document, Format, ReadError, Table};
use crate::values::Date;

/// The largest sheet accepted, counted from A1 to its last used cell.
pub const MAX_CELLS: u64 = 1_000_000;
/// The largest workbook accepted, all sheets together.
pub const MAX_WORKBOOK_CELLS: u64 = 4_000_000;
/// No attendance workbook has this many sheets.
pub const MAX_SHEETS: usize = 500;
/// No part of a real workbook comes near this once inflated.
const MAX_PART: u64 = 64 * 1024 * 1024;
const MAX_INFLATED: u64 = 256 * 1024 * 1024;
const MAX_ENTRIES: usize = 10_000;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a workbook. `ext` (lower case, without the dot) only words the messages: the
/// container is recognised by its content, so a .xlsx renamed .xls still reads.
pub fn read(bytes: &[u8], ext: &str) -> Result<Document, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let kind = if bytes.starts_with(b"PK\x03\x04") {
        zip_kind(bytes, ext)?
    } else if bytes.starts_with(&OLE_MAGIC) {
        ole_kind(bytes, ext)?
    } else {
        return Err(not_a_workbook(
            ext,
            "ce n'est ni un classeur Excel ni un classeur LibreOffice (fichier tronqué, endommagé ou renommé ?)",
        ));
    };
    let tables = quietly(|| match kind {
        Kind::Xlsx => read_xlsx(bytes),
        Kind::Xls => read_xls(bytes),
        Kind::Ods => read_ods(bytes),
    })
    .unwrap_or_else(|| {
        Err(Failure::Read(not_a_workbook(
            ext,
            "sa structure interne est incohérente (fichier endommagé ?)",
        )))
    })
    .map_err(|e| match e {
        Failure::Read(e) => e,
        Failure::Calamine(reason) => not_a_workbook(ext, &reason),
    })?;
    Ok(Document {
        format: Format::Spreadsheet,
        tables,
        ..Document::default()
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Xls,
    Ods,
}

enum Failure {
    Read(ReadError),
    /// What calamine said, already in French.
    Calamine(String),
}

impl From<ReadError> for Failure {
    fn from(e: ReadError) -> Self {
        Failure::Read(e)
    }
}

fn not_a_workbook(ext: &str, why: &str) -> ReadError {
    let what = if ext.is_empty() {
        "classeur".to_string()
    } else {
        format!("classeur .{ext}")
    };
    ReadError::Other(format!("le fichier n'est pas un {what} lisible : {why}"))
}

fn too_big(what: String) -> ReadError {
    ReadError::Other(format!(
        "classeur démesuré ({what}) : un cahier de présence tient en bien moins de cellules ; supprimez les lignes et colonnes inutiles ou déposez le classeur d'origine"
    ))
}

// ---------------------------------------------------------------------------------------------
// Containers

/// Checks every part of a zip package by inflating it (into nothing) up to a limit, then says
/// whether it is an Office Open XML or an OpenDocument workbook.
fn zip_kind(bytes: &[u8], ext: &str) -> Result<Kind, ReadError> {
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
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") || names.iter().any(|n| n.ends_with("workbook.xml")) {
        return Ok(Kind::Xlsx);
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
            return Ok(Kind::Ods);
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

fn manifest_encrypted(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(m) = zip.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = String::new();
    let _ = m.take(MAX_PART).read_to_string(&mut text);
    text.contains("encryption-data")
}

/// An OLE compound file: an old Excel workbook, or an encrypted Office Open XML one.
fn ole_kind(bytes: &[u8], ext: &str) -> Result<Kind, ReadError> {
    let damaged = || not_a_workbook(ext, "le conteneur OLE est endommagé (fichier tronqué ?)");
    let cfb = Cfb::open(bytes).ok_or_else(damaged)?;
    if cfb.find("EncryptedPackage").is_some() || cfb.find("EncryptionInfo").is_some() {
        return Err(ReadError::Encrypted);
    }
    let Some(entry) = cfb.find("Workbook").or_else(|| cfb.find("Book")) else {
        if cfb.find("WordDocument").is_some() {
            return Err(not_a_workbook(ext, "c'est un document Word (.doc) renommé"));
        }
        return Err(not_a_workbook(
            ext,
            "le conteneur OLE ne contient pas de classeur Excel",
        ));
    };
    let stream = cfb.stream(entry).ok_or_else(damaged)?;
    check_biff(&stream)?;
    Ok(Kind::Xls)
}

// ---------------------------------------------------------------------------------------------
// calamine, one format at a time

type Sparse = Vec<(u32, u32, Cell)>;

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Table>, Failure> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => Failure::Read(ReadError::Encrypted),
        e => Failure::Calamine(calamine_reason(&e.to_string())),
    })?;
    let sheets: Vec<(String, SheetType)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ))
        .collect();
    check_sheet_count(sheets.len())?;
    let mut budget = MAX_WORKBOOK_CELLS;
    let mut tables = Vec::new();
    for (name, typ) in sheets {
        if typ != SheetType::WorkSheet {
            continue;
        }
        let mut cells: Sparse = Vec::new();
        {
            let mut reader = match wb.worksheet_cells_reader(&name) {
                Ok(r) => r,
                // A sheet that is not a worksheet after all (chart, dialog): nothing to read.
                Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(Failure::Calamine(calamine_reason(&e.to_string()))),
            };
            loop {
                let next = reader
                    .next_cell()
                    .map_err(|e| Failure::Calamine(calamine_reason(&e.to_string())))?;
                let Some(c) = next else { break };
                let cell = from_data_ref(c.get_value());
                if cell == Cell::Empty {
                    continue;
                }
                let (r, col) = c.get_position();
                cells.push((r, col, cell));
                if cells.len() as u64 > MAX_CELLS {
                    return Err(too_big(format!(
                        "la feuille « {name} » a plus de {MAX_CELLS} cellules remplies"
                    ))
                    .into());
                }
            }
        }
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        tables.push(build_table(name, cells, &merges, &mut budget)?);
    }
    Ok(tables)
}

fn read_xls(bytes: &[u8]) -> Result<Vec<Table>, Failure> {
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => Failure::Read(ReadError::Encrypted),
        e => Failure::Calamine(calamine_reason(&e.to_string())),
    })?;
    let sheets: Vec<(String, SheetType)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.typ))
        .collect();
    check_sheet_count(sheets.len())?;
    let mut budget = MAX_WORKBOOK_CELLS;
    let mut tables = Vec::new();
    for (name, typ) in sheets {
        if typ != SheetType::WorkSheet {
            continue;
        }
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => return Err(Failure::Calamine(calamine_reason(&e.to_string()))),
        };
        let merges = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
        tables.push(build_table(name, sparse(&range), &merges, &mut budget)?);
    }
    Ok(tables)
}

fn read_ods(bytes: &[u8]) -> Result<Vec<Table>, Failure> {
    check_ods(bytes)?;
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => Failure::Read(ReadError::Encrypted),
        e => Failure::Calamine(calamine_reason(&e.to_string())),
    })?;
    let names = wb.sheet_names();
    check_sheet_count(names.len())?;
    let mut budget = MAX_WORKBOOK_CELLS;
    let mut tables = Vec::new();
    for name in names {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => return Err(Failure::Calamine(calamine_reason(&e.to_string()))),
        };
        tables.push(build_table(name, sparse(&range), &[], &mut budget)?);
    }
    Ok(tables)
}

fn sparse(range: &calamine::Range<Data>) -> Sparse {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    range
        .used_cells()
        .filter_map(|(r, c, d)| {
            let cell = from_data(d);
            (cell != Cell::Empty).then(|| (r0 + r as u32, c0 + c as u32, cell))
        })
        .collect()
}

fn check_sheet_count(n: usize) -> Result<(), Failure> {
    if n > MAX_SHEETS {
        return Err(too_big(format!("{n} feuilles")).into());
    }
    Ok(())
}

/// calamine's message, for the rare reader who can act on it; the French sentence comes first.
fn calamine_reason(e: &str) -> String {
    let short: String = e.chars().take(160).collect();
    format!(
        "sa structure interne est incohérente, fichier endommagé ou tronqué ? (détail : {short})"
    )
}

/// Lays the cells out from A1, spreads merged values over their columns, checks the size.
fn build_table(
    name: String,
    mut cells: Sparse,
    merges: &[Dimensions],
    budget: &mut u64,
) -> Result<Table, Failure> {
    let rows = cells.iter().map(|c| c.0 as u64 + 1).max().unwrap_or(0);
    let cols = cells.iter().map(|c| c.1 as u64 + 1).max().unwrap_or(0);
    let area = rows * cols;
    if area > MAX_CELLS {
        return Err(too_big(format!(
            "la feuille « {name} » s'étend sur {rows} lignes et {cols} colonnes"
        ))
        .into());
    }
    if area > *budget {
        return Err(too_big(format!("plus de {MAX_WORKBOOK_CELLS} cellules en tout")).into());
    }
    *budget -= area;
    cells.sort_by_key(|c| (c.0, c.1));
    let mut grid: Vec<Vec<Cell>> = vec![Vec::new(); rows as usize];
    for (r, c, cell) in cells {
        let row = &mut grid[r as usize];
        if row.len() <= c as usize {
            row.resize(c as usize + 1, Cell::Empty);
        }
        row[c as usize] = cell;
    }
    for m in merges {
        let (r0, c0) = m.start;
        let (r1, c1) = m.end;
        if r1 < r0 || c1 <= c0 || r0 as u64 >= rows {
            continue;
        }
        let row = &mut grid[r0 as usize];
        let Some(value) = row.get(c0 as usize).filter(|v| **v != Cell::Empty).cloned() else {
            continue;
        };
        // Never grow the sheet: a merge running past the last used column stops there.
        let last = (c1 as u64).min(cols.saturating_sub(1)) as usize;
        if row.len() <= last {
            row.resize(last + 1, Cell::Empty);
        }
        for cell in row.iter_mut().take(last + 1).skip(c0 as usize + 1) {
            if *cell == Cell::Empty {
                *cell = value.clone();
            }
        }
    }
    Ok(Table { name, rows: grid })
}

// ---------------------------------------------------------------------------------------------
// Cell values

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => number(*f),
        Data::String(s) => text(s),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => from_excel_datetime(dt),
        Data::DateTimeIso(s) => from_iso(s),
        Data::DurationIso(s) => from_iso_duration(s),
        Data::Error(_) | Data::Empty => Cell::Empty,
    }
}

fn from_data_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => from_excel_datetime(dt),
        DataRef::DateTimeIso(s) => from_iso(s),
        DataRef::DurationIso(s) => from_iso_duration(s),
        DataRef::Error(_) | DataRef::Empty => Cell::Empty,
    }
}

fn number(f: f64) -> Cell {
    if f.is_finite() {
        Cell::Number(f)
    } else {
        Cell::Empty
    }
}

fn text(s: &str) -> Cell {
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

/// `01:30` for a time of day or a duration.
fn hours_minutes(fraction_of_day: f64) -> Cell {
    let minutes = (fraction_of_day * 24.0 * 60.0).round() as i64;
    Cell::Text(format!("{:02}:{:02}", minutes / 60, minutes % 60))
}

fn from_excel_datetime(dt: &ExcelDateTime) -> Cell {
    let v = dt.as_f64();
    if !v.is_finite() {
        return Cell::Empty;
    }
    if dt.is_duration() || (0.0..1.0).contains(&v) {
        return hours_minutes(v.max(0.0));
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    match Date::new(y as i32, m as u32, d as u32) {
        Some(date) => Cell::Date(date),
        None => Cell::Number(v),
    }
}

/// `2026-11-14`, `2026-11-14T00:00:00` (an .ods date), `PT01H30M00S` or `10:00:00` (a time).
fn from_iso(s: &str) -> Cell {
    let s = s.trim();
    let date_part = s.split('T').next().unwrap_or("");
    let mut parts = date_part.splitn(3, '-');
    let ymd = (
        parts.next().and_then(|p| p.parse::<i32>().ok()),
        parts.next().and_then(|p| p.parse::<u32>().ok()),
        parts.next().and_then(|p| p.parse::<u32>().ok()),
    );
    if let (Some(y), Some(m), Some(d)) = ymd
        && let Some(date) = Date::new(y, m, d)
    {
        return Cell::Date(date);
    }
    if s.starts_with("PT") || s.starts_with('P') {
        return from_iso_duration(s);
    }
    let hms: Vec<f64> = s
        .trim_start_matches('T')
        .split(':')
        .map_while(|p| p.parse::<f64>().ok())
        .collect();
    if hms.len() >= 2 {
        return hours_minutes((hms[0] * 60.0 + hms[1]) / (24.0 * 60.0));
    }
    text(s)
}

/// `PT01H30M00S` → `01:30`.
fn from_iso_duration(s: &str) -> Cell {
    let Some(rest) = s.trim().strip_prefix("PT") else {
        return text(s);
    };
    let mut minutes = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            'H' | 'M' | 'S' => {
                let n: f64 = number.parse().unwrap_or(0.0);
                minutes += match c {
                    'H' => n * 60.0,
                    'M' => n,
                    _ => n / 60.0,
                };
                number.clear();
            }
            _ => return text(s),
        }
    }
    hours_minutes(minutes / (24.0 * 60.0))
}

// ---------------------------------------------------------------------------------------------
// Panics

thread_local! {
    static QUIET: StdCell<bool> = const { StdCell::new(false) };
}

/// Runs `f`, turning a panic into `None` without printing anything: agents never see a
/// backtrace (spec/cli.md).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.ok()
}

// ---------------------------------------------------------------------------------------------
// .ods: the extent of each sheet, repeated rows and columns included, before calamine
// expands them.

fn check_ods(bytes: &[u8]) -> Result<(), Failure> {
    use quick_xml::events::Event;
    let mut archive = super::archive::Archive::open(bytes)?;
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

// ---------------------------------------------------------------------------------------------
// .xls: a minimal compound-file reader, enough to measure the sheets before calamine lays
// them out (it allocates the whole rectangle up to the last used cell).

struct Cfb<'a> {
    bytes: &'a [u8],
    sector_shift: u32,
    mini_shift: u32,
    mini_cutoff: u64,
    fat: Vec<u32>,
    minifat: Vec<u32>,
    /// (name, start sector, size)
    entries: Vec<(String, u32, u64)>,
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

impl<'a> Cfb<'a> {
    fn open(bytes: &'a [u8]) -> Option<Cfb<'a>> {
        if bytes.len() < 512 || !bytes.starts_with(&OLE_MAGIC) {
            return None;
        }
        let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]);
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap());
        let sector_shift = u16_at(0x1E) as u32;
        let mini_shift = u16_at(0x20) as u32;
        if !(7..=16).contains(&sector_shift) || mini_shift >= sector_shift {
            return None;
        }
        let mut cfb = Cfb {
            bytes,
            sector_shift,
            mini_shift,
            mini_cutoff: u32_at(0x38) as u64,
            fat: Vec::new(),
            minifat: Vec::new(),
            entries: Vec::new(),
        };
        let sector_size = 1usize << sector_shift;
        let max_sectors = bytes.len() / sector_size + 1;
        // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109)
            .map(|i| u32_at(0x4C + 4 * i))
            .filter(|s| *s < 0xFFFF_FFFA)
            .collect();
        let mut difat = u32_at(0x44);
        let mut guard = 0;
        while difat < 0xFFFF_FFFA && guard <= max_sectors {
            let s = cfb.sector(difat)?;
            let n = sector_size / 4 - 1;
            for i in 0..n {
                let v = u32::from_le_bytes(s[4 * i..4 * i + 4].try_into().ok()?);
                if v < 0xFFFF_FFFA {
                    fat_sectors.push(v);
                }
            }
            difat = u32::from_le_bytes(s[4 * n..4 * n + 4].try_into().ok()?);
            guard += 1;
        }
        if fat_sectors.len() > max_sectors {
            return None;
        }
        for s in fat_sectors {
            let data = cfb.sector(s)?;
            cfb.fat.extend(
                data.chunks_exact(4)
                    .map(|c| u32::from_le_bytes(c.try_into().unwrap())),
            );
        }
        let dir = cfb.chain(u32_at(0x30), None)?;
        let minifat = cfb.chain(u32_at(0x3C), None).unwrap_or_default();
        cfb.minifat = minifat
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        for e in dir.chunks_exact(128) {
            let len = (u16::from_le_bytes([e[64], e[65]]) as usize).min(64);
            let units: Vec<u16> = e[..len]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|u| *u != 0)
                .collect();
            let name = String::from_utf16_lossy(&units);
            let start = u32::from_le_bytes(e[116..120].try_into().unwrap());
            let size = u64::from_le_bytes(e[120..128].try_into().unwrap());
            let size = if sector_shift == 9 {
                size & 0xFFFF_FFFF
            } else {
                size
            };
            cfb.entries.push((name, start, size));
        }
        Some(cfb)
    }

    fn sector(&self, n: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.sector_shift;
        let start = (n as usize + 1).checked_mul(size)?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    /// A chain of sectors, at most `limit` bytes (else the whole chain, bounded by the file).
    fn chain(&self, mut s: u32, limit: Option<u64>) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let max = self.bytes.len() >> self.sector_shift;
        let mut steps = 0;
        while s != END_OF_CHAIN {
            if steps > max {
                return None;
            }
            out.extend_from_slice(self.sector(s)?);
            if limit.is_some_and(|l| out.len() as u64 >= l) {
                break;
            }
            s = *self.fat.get(s as usize)?;
            steps += 1;
        }
        if let Some(l) = limit {
            out.truncate(l as usize);
        }
        Some(out)
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.0 == name)
    }

    fn stream(&self, index: usize) -> Option<Vec<u8>> {
        let (_, start, size) = self.entries.get(index)?;
        if *size > self.bytes.len() as u64 {
            return None;
        }
        if *size >= self.mini_cutoff {
            return self.chain(*start, Some(*size));
        }
        // Small streams live in the mini stream, itself held by the root entry.
        let (_, root_start, root_size) = self.entries.first()?;
        let mini = self.chain(*root_start, Some(*root_size))?;
        let mini_size = 1usize << self.mini_shift;
        let mut out = Vec::new();
        let mut s = *start;
        let mut steps = 0;
        while s != END_OF_CHAIN && (out.len() as u64) < *size {
            if steps > self.minifat.len() {
                return None;
            }
            let from = (s as usize).checked_mul(mini_size)?;
            out.extend_from_slice(mini.get(from..from + mini_size)?);
            s = *self.minifat.get(s as usize)?;
            steps += 1;
        }
        out.truncate(*size as usize);
        Some(out)
    }
}

/// Measures every sheet of a BIFF workbook stream and refuses an encrypted one: first in
/// stream order, then as calamine reads them, from the position each BOUNDSHEET record gives
/// (a forged file may point several sheets at one substream, or a sheet anywhere).
fn check_biff(stream: &[u8]) -> Result<(), ReadError> {
    check_biff_in_order(stream)?;
    let mut total = 0u64;
    for (n, start) in boundsheet_positions(stream).into_iter().enumerate() {
        if n >= MAX_SHEETS {
            return Err(too_big(format!("plus de {MAX_SHEETS} feuilles")));
        }
        let area = sheet_area(stream.get(start..).unwrap_or_default())?;
        total = total.saturating_add(area);
        if total > MAX_WORKBOOK_CELLS {
            return Err(too_big(format!(
                "plus de {MAX_WORKBOOK_CELLS} cellules en tout"
            )));
        }
    }
    Ok(())
}

/// BIFF records from the start of `stream`: (type, data).
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        if pos + 4 > stream.len() {
            return None;
        }
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        Some((typ, data))
    })
}

/// The sheet positions the workbook globals announce (BOUNDSHEET records, before the
/// globals' EOF).
fn boundsheet_positions(stream: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            0x0085 if data.len() >= 4 => {
                out.push(u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize)
            }
            0x000A => break,
            _ => {}
        }
    }
    out
}

/// The cells calamine would lay out densely for the sheet starting here (its cell and
/// formula ranges, from the lowest to the highest row and column), or an error when its
/// DIMENSIONS record alone would make calamine reserve too much.
fn sheet_area(sheet: &[u8]) -> Result<u64, ReadError> {
    let (mut min_r, mut max_r, mut min_c, mut max_c) = (u64::MAX, 0u64, u64::MAX, 0u64);
    let mut cell = |r: u64, c: u64| {
        min_r = min_r.min(r);
        max_r = max_r.max(r);
        min_c = min_c.min(c);
        max_c = max_c.max(c);
    };
    let (mut seen_bof, mut nested) = (false, 0usize);
    for (typ, data) in records(sheet) {
        if nested > 0 {
            match typ {
                0x0809 => nested += 1,
                0x000A => nested -= 1,
                _ => {}
            }
            continue;
        }
        let rc = (data.len() >= 4).then(|| {
            (
                u16::from_le_bytes([data[0], data[1]]) as u64,
                u16::from_le_bytes([data[2], data[3]]) as u64,
            )
        });
        match typ {
            0x0809 if seen_bof => nested += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 if data.len() >= 10 => {
                // calamine reserves (last row − first row + 1) × (last col − first col + 1).
                let (fr, lr, fc, lc) = if data.len() >= 14 {
                    (
                        u32::from_le_bytes(data[0..4].try_into().unwrap()) as u64,
                        u32::from_le_bytes(data[4..8].try_into().unwrap()) as u64,
                        u16::from_le_bytes([data[8], data[9]]) as u64,
                        u16::from_le_bytes([data[10], data[11]]) as u64,
                    )
                } else {
                    (
                        u16::from_le_bytes([data[0], data[1]]) as u64,
                        u16::from_le_bytes([data[2], data[3]]) as u64,
                        u16::from_le_bytes([data[4], data[5]]) as u64,
                        u16::from_le_bytes([data[6], data[7]]) as u64,
                    )
                };
                let rows = lr.wrapping_sub(fr).wrapping_add(1);
                let cols = lc.wrapping_sub(fc).wrapping_add(1);
                if rows.saturating_mul(cols) > MAX_CELLS {
                    return Err(too_big(format!(
                        "une feuille déclare {rows} lignes et {cols} colonnes"
                    )));
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let Some((r, c)) = rc {
                    cell(r, c);
                }
            }
            0x00BD if data.len() >= 6 => {
                if let Some((r, c)) = rc {
                    let last = u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]);
                    cell(r, c);
                    cell(r, last as u64);
                }
            }
            _ => {}
        }
    }
    if min_r == u64::MAX {
        return Ok(0);
    }
    let area = (max_r - min_r + 1).saturating_mul(max_c.saturating_sub(min_c) + 1);
    if area > MAX_CELLS {
        return Err(too_big(format!(
            "une feuille s'étend sur {} lignes et {} colonnes",
            max_r - min_r + 1,
            max_c.saturating_sub(min_c) + 1
        )));
    }
    Ok(area)
}

fn check_biff_in_order(stream: &[u8]) -> Result<(), ReadError> {
    let mut pos = 0usize;
    let mut depth = 0usize;
    let (mut rows, mut cols) = (0u64, 0u64);
    let mut total = 0u64;
    let mut sheets = 0usize;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        let rc = |d: &[u8]| -> Option<(u64, u64)> {
            (d.len() >= 4).then(|| {
                (
                    u16::from_le_bytes([d[0], d[1]]) as u64,
                    u16::from_le_bytes([d[2], d[3]]) as u64,
                )
            })
        };
        match typ {
            0x002F => return Err(ReadError::Encrypted),
            0x0809 => {
                depth += 1;
                if depth == 1 {
                    rows = 0;
                    cols = 0;
                    sheets += 1;
                    if sheets > MAX_SHEETS {
                        return Err(too_big(format!("plus de {MAX_SHEETS} feuilles")));
                    }
                }
            }
            0x000A => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let area = rows.saturating_mul(cols);
                    if area > MAX_CELLS {
                        return Err(too_big(format!(
                            "une feuille s'étend sur {rows} lignes et {cols} colonnes"
                        )));
                    }
                    total += area;
                    if total > MAX_WORKBOOK_CELLS {
                        return Err(too_big(format!(
                            "plus de {MAX_WORKBOOK_CELLS} cellules en tout"
                        )));
                    }
                }
            }
            // The DIMENSIONS record: calamine reserves room for that many cells.
            0x0200 => {
                let (first_row, last_row, first_col, last_col) = match data.len() {
                    10 => (
                        u16::from_le_bytes([data[0], data[1]]) as u64,
                        u16::from_le_bytes([data[2], data[3]]) as u64,
                        u16::from_le_bytes([data[4], data[5]]) as u64,
                        u16::from_le_bytes([data[6], data[7]]) as u64,
                    ),
                    14 | 16 => (
                        u32::from_le_bytes(data[0..4].try_into().unwrap()) as u64,
                        u32::from_le_bytes(data[4..8].try_into().unwrap()) as u64,
                        u16::from_le_bytes([data[8], data[9]]) as u64,
                        u16::from_le_bytes([data[10], data[11]]) as u64,
                    ),
                    _ => continue,
                };
                // calamine restarts a column range past 255 or reversed at 0.
                let first_col = if first_col > 0xFF || last_col < first_col {
                    0
                } else {
                    first_col
                };
                let declared = if last_row >= 1 && last_col >= 1 {
                    if last_row - 1 < first_row {
                        u64::MAX
                    } else {
                        (last_row - first_row).saturating_mul(last_col - first_col)
                    }
                } else {
                    1
                };
                if declared > MAX_CELLS {
                    return Err(too_big(format!(
                        "une feuille déclare {last_row} lignes et {last_col} colonnes"
                    )));
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let Some((r, c)) = rc(data) {
                    rows = rows.max(r + 1);
                    cols = cols.max(c + 1);
                }
            }
            0x00BD if data.len() >= 6 => {
                if let Some((r, _)) = rc(data) {
                    let last = u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]);
                    rows = rows.max(r + 1);
                    cols = cols.max(last as u64 + 1);
                }
            }
            _ => {}
        }
    }
    let area = rows.saturating_mul(cols);
    if area > MAX_CELLS || total.saturating_add(area) > MAX_WORKBOOK_CELLS {
        return Err(too_big(format!(
            "une feuille s'étend sur {rows} lignes et {cols} colonnes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_values() {
        assert_eq!(
            from_iso("2026-11-14"),
            Cell::Date(Date::new(2026, 11, 14).unwrap())
        );
        assert_eq!(
            from_iso("2026-11-14T00:00:00"),
            Cell::Date(Date::new(2026, 11, 14).unwrap())
        );
        assert_eq!(from_iso_duration("PT01H30M00S"), Cell::Text("01:30".into()));
        assert_eq!(from_iso("PT2H"), Cell::Text("02:00".into()));
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

    fn biff(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut s = Vec::new();
        for (typ, data) in records {
            s.extend_from_slice(&typ.to_le_bytes());
            s.extend_from_slice(&(data.len() as u16).to_le_bytes());
            s.extend_from_slice(data);
        }
        s
    }

    #[test]
    fn biff_sheets_are_measured_before_calamine() {
        let cell = |r: u16, c: u16| {
            let mut d = r.to_le_bytes().to_vec();
            d.extend_from_slice(&c.to_le_bytes());
            d.extend_from_slice(&[0; 10]);
            (0x00FDu16, d)
        };
        let bof = (0x0809u16, vec![0; 16]);
        let eof = (0x000Au16, vec![]);
        let small = biff(&[bof.clone(), cell(0, 0), cell(40, 60), eof.clone()]);
        assert!(check_biff(&small).is_ok());
        let huge = biff(&[bof.clone(), cell(0, 0), cell(65535, 255), eof.clone()]);
        let e = check_biff(&huge).unwrap_err().to_string();
        assert!(e.contains("démesuré") && e.contains("65536 lignes"), "{e}");
        // A DIMENSIONS record claiming the whole grid, or a reversed one.
        for dims in [
            [0u32.to_le_bytes(), u32::MAX.to_le_bytes()].concat(),
            [100u32.to_le_bytes(), 1u32.to_le_bytes()].concat(),
        ] {
            let mut d = dims;
            d.extend_from_slice(&[0, 0, 0xFF, 0, 0, 0]);
            let lying = biff(&[bof.clone(), (0x0200, d), eof.clone()]);
            let e = check_biff(&lying).unwrap_err().to_string();
            assert!(e.contains("démesuré"), "{e}");
        }
        let mut fine = [0u32.to_le_bytes(), 41u32.to_le_bytes()].concat();
        fine.extend_from_slice(&[0, 0, 61, 0, 0, 0]);
        assert!(check_biff(&biff(&[bof.clone(), (0x0200, fine), eof.clone()])).is_ok());
        let locked = biff(&[bof, (0x002F, vec![1, 0]), eof]);
        assert!(matches!(check_biff(&locked), Err(ReadError::Encrypted)));
    }

    #[test]
    fn xlsx_cells_are_typed_and_merges_spread() {
        use rust_xlsxwriter::{ExcelDateTime as X, Format as F, Formula, Workbook};
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Collectif A").unwrap();
        let date = F::new().set_num_format("dd/mm/yyyy");
        let time = F::new().set_num_format("hh:mm");
        ws.write_string(0, 0, "Porteur :").unwrap();
        ws.write_number(1, 1, 1.0).unwrap();
        ws.write_number(1, 2, 2.5).unwrap();
        ws.write_datetime_with_format(2, 0, X::from_ymd(2026, 11, 14).unwrap(), &date)
            .unwrap();
        ws.write_datetime_with_format(2, 1, X::from_hms(1, 30, 0).unwrap(), &time)
            .unwrap();
        ws.write_boolean(2, 2, true).unwrap();
        ws.merge_range(3, 1, 3, 3, "novembre 2026", &F::new())
            .unwrap();
        ws.write_formula(4, 0, Formula::new("=1+1")).unwrap();
        ws.write_string(5, 4, "fin").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let doc = read(&bytes, "xlsx").unwrap();
        assert_eq!(doc.format, Format::Spreadsheet);
        let t = &doc.tables[0];
        assert_eq!(t.name, "Collectif A");
        assert_eq!(t.rows[0][0], Cell::Text("Porteur :".into()));
        assert_eq!(t.rows[1][1], Cell::Number(1.0));
        assert_eq!(t.rows[1][2], Cell::Number(2.5));
        assert_eq!(t.rows[2][0], Cell::Date(Date::new(2026, 11, 14).unwrap()));
        assert_eq!(t.rows[2][1], Cell::Text("01:30".into()));
        assert_eq!(t.rows[2][2], Cell::Bool(true));
        for c in 1..=3 {
            assert_eq!(
                t.rows[3][c],
                Cell::Text("novembre 2026".into()),
                "column {c}"
            );
        }
        // rust_xlsxwriter stores 0 as the formula's cached result.
        assert!(matches!(t.rows[4][0], Cell::Number(_) | Cell::Empty));
        assert_eq!(t.rows.len(), 6);
        assert_eq!(t.rows[5][4], Cell::Text("fin".into()));
    }

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
        let e = read(&buf.into_inner(), "xlsx").unwrap_err().to_string();
        assert!(e.contains("annonce 9000000000000 textes"), "{e}");
    }

    #[test]
    fn absurd_dimensions_are_refused() {
        use rust_xlsxwriter::Workbook;
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Nom").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        let e = read(&wb.save_to_buffer().unwrap(), "xlsx")
            .unwrap_err()
            .to_string();
        assert!(e.contains("démesuré"), "{e}");
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
