//! The index workbooks that go with generated documents: one row per document, what the
//! agent still has to complete. Every cell is written as text (never a formula, even when a
//! name starts with `=`), but those of the columns a sheet declares numeric, written as
//! numbers so that they sort and sum as numbers. Every sheet prints in landscape, one page
//! wide, its header repeated on each page.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

use super::LettersError;

/// One sheet: a title, column headers with widths, rows of text.
pub(crate) struct Sheet<'a> {
    pub name: &'a str,
    pub columns: &'a [(&'a str, f64)],
    /// The columns (0-based) whose cells are counts: written as numbers.
    pub numeric: &'a [usize],
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
    let int = Format::new()
        .set_num_format("0")
        .set_align(FormatAlign::Top);
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
                let (r, c16) = (r as u32 + 1, c as u16);
                match number(sheet.numeric.contains(&c), value) {
                    Some(x) => ws.write_number_with_format(r, c16, x, &int),
                    None => ws.write_string_with_format(r, c16, value, &cell),
                }
                .map_err(err)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(err)?;
        ws.set_footer("&L&A&RPage &P");
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

/// A count as a number, for a numeric column; anything else stays text.
fn number(numeric: bool, value: &str) -> Option<f64> {
    let v = value.trim();
    if !numeric || v.is_empty() || !v.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    v.parse::<f64>().ok().filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_numbers_and_the_rest_text() {
        assert_eq!(number(true, "37"), Some(37.0));
        assert_eq!(number(true, " 6 "), Some(6.0));
        assert_eq!(number(true, "=1+1"), None);
        assert_eq!(number(true, "1, 2"), None);
        assert_eq!(number(false, "37"), None);
    }
}
