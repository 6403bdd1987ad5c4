//! A small toolkit over rust_xlsxwriter, so that every sheet of the synthesis writes its cells
//! the same way: the formats (registered once, in a fixed order, so the workbook does not
//! depend on which sheet is built first), text always written as a string and made safe for
//! Excel, formulas always with their computed result, Excel tables with their widths and
//! frozen header, and the cell references the formulas are made of.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ExcelDateTime, Format, FormatAlign, Formula,
    IgnoreError, Table, TableColumn, TableStyle, Worksheet, XlsxError, column_number_to_name,
};

use super::Stamp;
use super::compact::Answer;

/// What writing a sheet, or part of one, returns.
pub(super) type R = Result<(), XlsxError>;

/// Excel's limit for a cell's text, in UTF-16 units, with room for the ellipsis.
const MAX_TEXT: usize = 32_000;

pub(super) struct Formats {
    pub(super) header: Format,
    pub(super) int: Format,
    pub(super) dec: Format,
    pub(super) ratio: Format,
    pub(super) pct: Format,
    pub(super) date: Format,
    pub(super) datetime: Format,
    pub(super) title: Format,
    pub(super) caption: Format,
    pub(super) note: Format,
    pub(super) bad: Format,
    pub(super) warn: Format,
    pub(super) good: Format,
    pub(super) muted: Format,
    /// Text over several lines (addresses, lists of schools): wrapped, at the foot of its row
    /// like the other cells.
    pub(super) wrap: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            int: Format::new().set_num_format("#,##0"),
            dec: Format::new().set_num_format("#,##0.0#"),
            ratio: Format::new().set_num_format("0.0"),
            pct: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            datetime: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            title: Format::new().set_bold().set_font_size(14),
            caption: Format::new().set_bold().set_font_size(12),
            note: Format::new().set_italic().set_font_color("#595959"),
            bad: Format::new()
                .set_background_color("#FFC7CE")
                .set_font_color("#9C0006"),
            warn: Format::new()
                .set_background_color("#FFEB9C")
                .set_font_color("#9C5700"),
            good: Format::new()
                .set_background_color("#C6EFCE")
                .set_font_color("#006100"),
            muted: Format::new().set_font_color("#808080"),
            wrap: Format::new().set_text_wrap(),
        }
    }

    /// Every format above (a new one must be added here: the workbook numbers them in this
    /// order before the sheets are built in parallel).
    pub(super) fn all(&self) -> [&Format; 15] {
        [
            &self.header,
            &self.int,
            &self.dec,
            &self.ratio,
            &self.pct,
            &self.date,
            &self.datetime,
            &self.title,
            &self.caption,
            &self.note,
            &self.bad,
            &self.warn,
            &self.good,
            &self.muted,
            &self.wrap,
        ]
    }

    /// `#,##0` for a whole number, `#,##0.0#` otherwise.
    pub(super) fn number(&self, x: f64) -> &Format {
        if x.fract() == 0.0 {
            &self.int
        } else {
            &self.dec
        }
    }
}

/// Text as Excel must receive it: line breaks as `\n`, no control characters, Excel's own
/// `_xHHHH_` escapes kept literal, within Excel's length limit.
fn clean(s: &str) -> Cow<'_, str> {
    let needs = s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
        || s.contains("_x")
        || s.len() > MAX_TEXT;
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut units = 0;
    while let Some(c) = chars.next() {
        let piece: Cow<str> = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                "\n".into()
            }
            '\n' | '\t' => c.to_string().into(),
            c if c.is_control() => continue,
            '_' if is_excel_escape(chars.clone()) => "_x005F_".into(),
            c => c.to_string().into(),
        };
        let n: usize = piece.chars().map(char::len_utf16).sum();
        if units + n > MAX_TEXT {
            out.push('…');
            break;
        }
        units += n;
        out.push_str(&piece);
    }
    Cow::Owned(out)
}

/// Whether what follows an `_` is `xHHHH_`.
fn is_excel_escape(mut rest: impl Iterator<Item = char>) -> bool {
    rest.next() == Some('x')
        && (0..4).all(|_| rest.next().is_some_and(|c| c.is_ascii_hexdigit()))
        && rest.next() == Some('_')
}

/// A formula's cached result.
#[derive(Clone)]
pub(super) enum Cached {
    Num(f64),
    Blank,
}

impl Cached {
    pub(super) fn of(x: Option<f64>) -> Cached {
        match x {
            Some(v) if v.is_finite() => Cached::Num(v),
            _ => Cached::Blank,
        }
    }
    fn text(&self) -> String {
        match self {
            Cached::Num(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
            Cached::Num(x) => format!("{x}"),
            Cached::Blank => String::new(),
        }
    }
}

/// The cached result of `a / b`: blank when `b` is 0 (the formulas give "" then).
pub(super) fn ratio(a: f64, b: f64) -> Cached {
    if b == 0.0 {
        Cached::Blank
    } else {
        Cached::Num(a / b)
    }
}

/// Writing cells: every text from a form goes through [`Cells::text`] (a string, never a
/// formula), every formula through [`Cells::formula`] (with its result).
pub(super) struct Cells<'a> {
    pub(super) ws: &'a mut Worksheet,
    pub(super) f: &'a Formats,
}

impl Cells<'_> {
    /// Text on several lines is wrapped (an address prints as it was written).
    pub(super) fn text(&mut self, row: u32, col: u16, s: &str) -> R {
        if s.contains('\n') {
            return self.text_wrapped(row, col, s);
        }
        if !s.is_empty() {
            self.ws.write_string(row, col, clean(s))?;
        }
        Ok(())
    }

    /// Text wrapped in its column.
    pub(super) fn text_wrapped(&mut self, row: u32, col: u16, s: &str) -> R {
        if !s.is_empty() {
            let f = self.f;
            self.ws
                .write_string_with_format(row, col, clean(s), &f.wrap)?;
        }
        Ok(())
    }

    pub(super) fn text_fmt(&mut self, row: u32, col: u16, s: &str, fmt: &Format) -> R {
        self.ws.write_string_with_format(row, col, clean(s), fmt)?;
        Ok(())
    }

    pub(super) fn num(&mut self, row: u32, col: u16, x: f64, fmt: &Format) -> R {
        if x.is_finite() {
            self.ws.write_number_with_format(row, col, x, fmt)?;
        }
        Ok(())
    }

    pub(super) fn opt(&mut self, row: u32, col: u16, x: Option<f64>, fmt: &Format) -> R {
        match x {
            Some(x) => self.num(row, col, x, fmt),
            None => Ok(()),
        }
    }

    pub(super) fn count(&mut self, row: u32, col: u16, n: usize) -> R {
        let f = self.f;
        self.num(row, col, n as f64, &f.int)
    }

    pub(super) fn formula(
        &mut self,
        row: u32,
        col: u16,
        formula: &str,
        result: Cached,
        fmt: &Format,
    ) -> R {
        let text = result.text();
        let blank = text.is_empty();
        let f = Formula::new(formula).set_result(text);
        self.ws.write_formula_with_format(row, col, f, fmt)?;
        if blank {
            // An empty result would be taken for « no result » and written as 0.
            self.ws.set_formula_result(row, col, "");
        }
        Ok(())
    }

    pub(super) fn stamp(&mut self, row: u32, col: u16, s: &str) -> R {
        match Stamp::parse(s).and_then(excel_datetime) {
            Some((dt, has_time)) => {
                let fmt = if has_time {
                    &self.f.datetime
                } else {
                    &self.f.date
                };
                self.ws.write_datetime_with_format(row, col, &dt, fmt)?;
                Ok(())
            }
            None => self.text(row, col, s),
        }
    }

    /// The day of a date or date and time (`2026-01-15T10:32:00` → 15/01/2026).
    pub(super) fn day(&mut self, row: u32, col: u16, s: &str) -> R {
        let day = Stamp::parse(s).and_then(|s| {
            ExcelDateTime::from_ymd(s.date.year as u16, s.date.month as u8, s.date.day as u8).ok()
        });
        match day {
            Some(dt) => {
                let f = self.f;
                self.ws.write_datetime_with_format(row, col, &dt, &f.date)?;
                Ok(())
            }
            None => self.text(row, col, s),
        }
    }

    /// A canonical value, typed: numbers and dates as such, yes/no as « oui » / « non ».
    pub(super) fn value(&mut self, row: u32, col: u16, v: &Answer) -> R {
        let f = self.f;
        match v {
            Answer::Null => Ok(()),
            Answer::Text(t) => self.text(row, col, t),
            Answer::Integer(i) => self.num(row, col, *i as f64, &f.int),
            Answer::Decimal(d) => self.num(row, col, *d, f.number(*d)),
            Answer::Date(d) => {
                match ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8) {
                    Ok(dt) => {
                        self.ws.write_datetime_with_format(row, col, &dt, &f.date)?;
                        Ok(())
                    }
                    Err(_) => self.text(row, col, &d.to_string()),
                }
            }
            Answer::Bool(b) => self.text(row, col, if *b { "oui" } else { "non" }),
            Answer::Rows(n) => self.text(row, col, &format!("{n} ligne(s)")),
        }
    }
}

/// Sets a row's height to show its wrapped cells whole (`cells`: text and column width, in
/// characters), up to `max_lines` lines; a row of one line keeps the default height. Viewers
/// do not all grow a row to fit on opening: LibreOffice draws the lines over the next row.
pub(super) fn fit_row(ws: &mut Worksheet, row: u32, cells: &[(&str, f64)], max_lines: usize) -> R {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            let per_line = (width * 1.2).max(4.0);
            text.split('\n')
                .map(|l| ((l.chars().count() as f64 / per_line).ceil() as usize).max(1))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1)
        .min(max_lines);
    if lines > 1 {
        ws.set_row_height(row, lines as f64 * 15.0)?;
    }
    Ok(())
}

pub(super) fn excel_datetime(s: Stamp) -> Option<(ExcelDateTime, bool)> {
    let d =
        ExcelDateTime::from_ymd(s.date.year as u16, s.date.month as u8, s.date.day as u8).ok()?;
    if s.has_time() {
        Some((
            d.and_hms(s.hour as u16, s.minute as u8, s.second as u8)
                .ok()?,
            true,
        ))
    } else {
        Some((d, false))
    }
}

/// A column of a table: header and width (in characters).
pub(super) struct Col {
    header: String,
    pub(super) width: f64,
}

pub(super) fn col(header: impl Into<String>, width: f64) -> Col {
    Col {
        header: header.into(),
        width,
    }
}

/// What a rule checks, in the agents' words (the registry's label; the id for a rule it does
/// not know).
pub(super) fn rule_label(id: &str) -> &str {
    crate::findings::registry::get(id).map_or(id, |r| r.label)
}

/// Headers made unique as Excel tables require (case-insensitive): a repeated label gets its
/// section's title, then its id.
pub(super) fn unique(headers: Vec<(String, String, String)>) -> Vec<String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for (h, _, _) in &headers {
        *count.entry(h.to_lowercase()).or_default() += 1;
    }
    let mut seen = HashSet::new();
    headers
        .into_iter()
        .map(|(h, section, id)| {
            let mut name = if count[&h.to_lowercase()] > 1 {
                format!("{h} ({section})")
            } else {
                h
            };
            if !seen.insert(name.to_lowercase()) {
                name = format!("{name} [{id}]");
                seen.insert(name.to_lowercase());
            }
            name
        })
        .collect()
}

/// Lays out an Excel table at `(top, 0)`: header from `cols`, `rows` data rows (at least one,
/// as Excel wants), widths, a header row tall enough for its labels.
pub(super) fn table(
    ws: &mut Worksheet,
    f: &Formats,
    name: &str,
    top: u32,
    cols: &[Col],
    rows: usize,
) -> R {
    table_at(ws, f, name, top, 0, cols, rows)?;
    // Action numbers, phone numbers, postcodes are text on purpose: no green triangles.
    ws.ignore_error_range(
        top + 1,
        0,
        top + rows.max(1) as u32,
        cols.len() as u16 - 1,
        IgnoreError::NumberStoredAsText,
    )?;
    for (i, c) in cols.iter().enumerate() {
        ws.set_column_width(i as u16, c.width)?;
    }
    let lines = cols
        .iter()
        .map(|c| {
            // Bold headers break between words: fewer characters a line than the width.
            let per_line = (c.width * 0.9).max(4.0);
            (c.header.chars().count() as f64 / per_line).ceil()
        })
        .fold(1.0, f64::max);
    ws.set_row_height(top, (lines * 15.0).clamp(30.0, 135.0))?;
    Ok(())
}

pub(super) fn table_at(
    ws: &mut Worksheet,
    f: &Formats,
    name: &str,
    top: u32,
    left: u16,
    cols: &[Col],
    rows: usize,
) -> R {
    let columns: Vec<TableColumn> = cols
        .iter()
        .map(|c| {
            TableColumn::new()
                .set_header(c.header.as_str())
                .set_header_format(&f.header)
        })
        .collect();
    let t = Table::new()
        .set_name(name)
        .set_style(TableStyle::Medium2)
        .set_columns(&columns);
    ws.add_table(
        top,
        left,
        top + rows.max(1) as u32,
        left + cols.len() as u16 - 1,
        &t,
    )?;
    Ok(())
}

/// How a sheet prints: landscape, header repeated on each page, and…
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Print {
    /// …one page wide (A4).
    Fit,
    /// …one page wide on A3, for the wide tables.
    FitA3,
    /// …across as many pages as it takes (the hundred columns of the answers).
    Natural,
}

/// A data sheet (in constant memory mode: its rows go to a temporary file as they are
/// written, so they must be written in increasing order; strings are inline rather than
/// shared): named, header (and `freeze_cols` first columns) frozen.
pub(super) fn sheet(ws: &mut Worksheet, name: &str, freeze_cols: u16, print: Print) -> R {
    ws.set_name(name)?;
    ws.set_freeze_panes(1, freeze_cols)?;
    ws.set_landscape();
    ws.set_repeat_rows(0, 0)?;
    if print != Print::Natural {
        ws.set_print_fit_to_pages(1, 0);
    }
    ws.set_paper_size(if print == Print::FitA3 { 8 } else { 9 });
    print_footer(ws);
    Ok(())
}

/// Every printed page says which sheet and page it is (`&A`: the sheet's name, `&P`/`&N`: the
/// page and the number of pages).
pub(super) fn print_footer(ws: &mut Worksheet) {
    ws.set_footer("&L&A&RPage &P");
}

/// `'Synthèse'!$P:$P`.
pub(super) fn whole(sheet: &str, col: u16) -> String {
    let c = column_number_to_name(col);
    format!("{}!${c}:${c}", quoted(sheet))
}

fn quoted(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

pub(super) fn cell(col: u16, row: u32) -> String {
    format!("{}{}", column_number_to_name(col), row + 1)
}

pub(super) fn abs_cell(sheet: &str, col: u16, row: u32) -> String {
    format!(
        "{}!${}${}",
        quoted(sheet),
        column_number_to_name(col),
        row + 1
    )
}

/// Colours a range by the text of its cells: « non conforme » / « erreur » red, « à vérifier »
/// amber, « conforme » green, « information » and « remplacée » grey.
pub(super) fn colour_by_text(ws: &mut Worksheet, f: &Formats, range: (u32, u16, u32, u16)) -> R {
    let (r1, c1, r2, c2) = range;
    for (text, fmt) in [
        ("non conforme", &f.bad),
        ("erreur", &f.bad),
        ("à vérifier", &f.warn),
        ("conforme", &f.good),
        ("information", &f.muted),
        ("remplacée", &f.muted),
        ("rejeté", &f.warn),
    ] {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(text))
            .set_format(fmt);
        ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::{self, FormKind};

    #[test]
    fn text_is_cleaned() {
        assert_eq!(clean("a\r\nb\rc\u{1}d\te"), "a\nb\ncd\te");
        assert_eq!(clean("_x0041_ et _x4_"), "_x005F_x0041_ et _x4_");
        let long = "é".repeat(40_000);
        let c = clean(&long);
        assert_eq!(c.chars().count(), MAX_TEXT + 1);
        assert!(c.ends_with('…'));
        assert!(matches!(clean("=1+1"), Cow::Borrowed("=1+1")));
    }

    #[test]
    fn headers_are_unique() {
        let h = unique(vec![
            ("Si oui".into(), "Calendrier".into(), "a".into()),
            ("Autre".into(), "X".into(), "b".into()),
            ("si oui".into(), "Public".into(), "c".into()),
            ("Si oui".into(), "Public".into(), "d".into()),
        ]);
        assert_eq!(
            h,
            [
                "Si oui (Calendrier)",
                "Autre",
                "si oui (Public)",
                "Si oui (Public) [d]"
            ]
        );
        let bilan = unique(
            dictionary::fields(FormKind::Bilan)
                .iter()
                .map(|d| (d.label.clone(), d.section.clone(), d.id.clone()))
                .collect(),
        );
        let set: HashSet<String> = bilan.iter().map(|h| h.to_lowercase()).collect();
        assert_eq!(set.len(), bilan.len());
    }
}
