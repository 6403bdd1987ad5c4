//! The index workbooks that go with generated documents: one row per document, what the
//! agent still has to complete. Every cell is written as text (never a formula, even when a
//! name starts with `=`).

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::LettersError;

/// One sheet: a title, column headers with widths, rows of text.
pub(crate) struct Sheet<'a> {
    pub name: &'a str,
    pub columns: &'a [(&'a str, f64)],
    pub rows: Vec<Vec<String>>,
}

pub fn write(path: &Path, sheets: &[Sheet]) -> Result<(), LettersError> {
    let err = |e: XlsxError| LettersError::Index(path.to_path_buf(), e.to_string());
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("DDEBF7");
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name).map_err(err)?;
        for (c, (title, width)) in sheet.columns.iter().enumerate() {
            ws.set_column_width(c as u16, *width).map_err(err)?;
            ws.write_string_with_format(0, c as u16, *title, &header)
                .map_err(err)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                ws.write_string_with_format(r as u32 + 1, c as u16, value, &cell)
                    .map_err(err)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        if !sheet.rows.is_empty() && !sheet.columns.is_empty() {
            ws.autofilter(
                0,
                0,
                sheet.rows.len() as u32,
                sheet.columns.len() as u16 - 1,
            )
            .map_err(err)?;
        }
    }
    wb.save(path).map_err(err)
}
