//! Spreadsheet reader (calamine): .xlsx, .xls, .ods, one [`Table`] per sheet. Which of the
//! three a file is was decided by [`super::format`]; this module only reads.
//!
//! Cells are typed ([`cells`]): dates become [`Cell::Date`] whatever the format stored them as
//! (a serial number with a date format in .xlsx and .xls, ISO text in .ods), whole numbers are
//! [`Cell::Number`] in every format, times and durations (`1:30`) become the text `01:30`,
//! formulas without a cached result and error values are empty. Row and column indices are
//! absolute: `rows[0][0]` is A1, so that messages can name cells as Excel does.
//!
//! Merged cells keep their value in the top-left cell; where the format records the merged
//! regions (.xlsx, .xls), a value merged over several columns is repeated in each of them, so a
//! month written once over its days reads the same in every column.
//!
//! Everything is bounded before calamine allocates: the zip parts are inflated (and thrown
//! away) up to a limit first ([`super::zip_guard`], as the format is told), an .xls file's records
//! ([`xls_guard`]) and an .ods file's repeated rows and columns ([`ods_guard`]) are measured,
//! and a sheet spanning more than [`MAX_CELLS`] cells is refused. calamine itself runs under
//! `catch_unwind`: a file that makes it panic is refused like any corrupt file.

mod cells;
mod ods_guard;
mod xls_guard;

use std::cell::Cell as StdCell;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use calamine::{Data, Dimensions, Ods, Reader, SheetType, Xls, Xlsx};

use self::cells::{from_data, from_data_ref};
use super::format::Workbook;
use super::not_a_workbook;
use super::{Cell, Document, Format, ReadError, Table};

/// The largest sheet accepted, counted from A1 to its last used cell.
pub(crate) const MAX_CELLS: u64 = 1_000_000;
/// The largest workbook accepted, all sheets together.
pub(crate) const MAX_WORKBOOK_CELLS: u64 = 4_000_000;
/// No attendance workbook has this many sheets.
pub(crate) const MAX_SHEETS: usize = 500;

/// Reads a workbook of the kind [`super::format::detect`] found. `ext` (lower case, without
/// the dot) only words the messages.
pub fn read(bytes: &[u8], workbook: Workbook, ext: &str) -> Result<Document, ReadError> {
    if workbook == Workbook::Xls {
        xls_guard::check(bytes, ext)?;
    }
    let tables = quietly(|| match workbook {
        Workbook::Xlsx => read_xlsx(bytes),
        Workbook::Xls => read_xls(bytes),
        Workbook::Ods => read_ods(bytes),
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

fn too_big(what: String) -> ReadError {
    ReadError::Other(format!(
        "classeur démesuré ({what}) : un cahier de présence tient en bien moins de cellules ; supprimez les lignes et colonnes inutiles ou déposez le classeur d'origine"
    ))
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
    ods_guard::check_ods(bytes)?;
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
// Panics

thread_local! {
    static QUIET: StdCell<bool> = const { StdCell::new(false) };
}

/// Runs `f`, turning a panic into `None` without printing anything: agents never see a
/// backtrace (docs/cli.md).
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::values::Date;

    /// Reads `bytes` as a file with extension `ext`, as `clas` does.
    fn read(bytes: &[u8], ext: &str) -> Result<Document, ReadError> {
        crate::document::read_bytes(bytes, Path::new(&format!("classeur.{ext}")))
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
}
