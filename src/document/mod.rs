//! Stage 1: a file becomes a format-neutral [`Document`].
//!
//! A `Document` is what a person sees on the page, in reading order: paragraphs made of text
//! and check boxes, the tables, and the named form fields. Nothing here knows about CLAS.

pub(crate) mod archive;
mod cfb;
pub mod convert;
pub mod docx;
mod format;
pub(crate) mod pdf;
pub(crate) mod sheet;
mod zip_guard;

use std::fmt;
use std::path::Path;

use serde::Serialize;

/// A file read into text, check boxes, tables and named fields.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Document {
    pub format: Format,
    /// Paragraphs in reading order, including those inside table cells.
    pub paragraphs: Vec<Paragraph>,
    /// Tables (Word tables, spreadsheet sheets), cells as text.
    pub tables: Vec<Table>,
    /// Named form fields: legacy Word fields, content controls, PDF AcroForm fields.
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Format {
    #[default]
    Docx,
    Pdf,
    Spreadsheet,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Paragraph {
    pub place: Place,
    pub inlines: Vec<Inline>,
}

impl Paragraph {
    /// The paragraph's text, check boxes left out.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for inline in &self.inlines {
            if let Inline::Text(t) = inline {
                s.push_str(t);
            }
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Inline {
    Text(String),
    Check(Check),
}

/// A check box as the respondent left it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub checked: bool,
    pub kind: CheckKind,
    /// The field's name or tag, when the file gives one.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CheckKind {
    /// Word legacy form field (FORMCHECKBOX).
    LegacyField,
    /// Word content control (`w14:checkbox`).
    ContentControl,
    /// A ☒/☐ glyph typed in the text.
    Glyph,
    /// A square drawn on a PDF page.
    Drawn,
    /// A PDF AcroForm check box widget.
    Widget,
    /// A letter `X` typed where the box was (found by the extraction, never by a reader).
    Typed,
}

/// Where something stands in the source file, as a person would look for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Place {
    /// The n-th paragraph of the body (from 1).
    #[default]
    Body,
    Paragraph(usize),
    /// A table cell (all from 1).
    Cell {
        table: usize,
        row: usize,
        col: usize,
    },
    /// A line of a PDF page (from 1).
    Line {
        page: usize,
        line: usize,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Body => write!(f, "corps du document"),
            Place::Paragraph(n) => write!(f, "paragraphe {n}"),
            Place::Cell { table, row, col } => {
                write!(f, "tableau {table}, ligne {row}, colonne {col}")
            }
            Place::Line { page, line } => write!(f, "page {page}, ligne {line}"),
        }
    }
}

/// A table, or a spreadsheet sheet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    /// Sheet name for spreadsheets; empty for Word tables.
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub enum Cell {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    Date(crate::values::Date),
    Bool(bool),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => crate::values::format_number(*n),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_string(),
        }
    }
}

/// A named form field and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormField {
    pub name: String,
    pub value: FieldContent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FieldContent {
    Text(String),
    Check(bool),
}

/// Why a file could not be read. Messages are in French: agents read them.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("fichier illisible : {}", crate::files::io_french(.0))]
    Io(#[from] std::io::Error),
    #[error("fichier vide")]
    Empty,
    #[error(
        "format non pris en charge ({0}) : déposez un fichier Word (.docx, .doc, .odt), PDF ou tableur (.xlsx, .xls, .ods)"
    )]
    Unsupported(String),
    #[error("le fichier n'est pas un document Word valide : {0}")]
    Corrupt(String),
    #[error(
        "le fichier est trop volumineux une fois décompressé ({0}) : archive suspecte (bombe zip ?)"
    )]
    TooLarge(String),
    #[error(
        "document protégé par un mot de passe : enregistrez-le sans mot de passe puis déposez-le à nouveau"
    )]
    Encrypted,
    #[error("archive invalide : {0} ; ce fichier n'est pas un document ordinaire, il n'est pas lu")]
    InvalidPackage(String),
    #[error("{0}")]
    Other(String),
}

/// Reads any supported file, chosen by its content first and its extension second.
pub fn read(path: &Path) -> Result<Document, ReadError> {
    let bytes = std::fs::read(path)?;
    read_bytes(&bytes, path)
}

/// Reads a file's bytes: [`format::detect`] says what they are, one reader reads them.
pub fn read_bytes(bytes: &[u8], path: &Path) -> Result<Document, ReadError> {
    read_bytes_named(bytes, path).map(|(d, _)| d)
}

/// [`read_bytes`], and the extension the file should bear when its name says another format
/// than its content (a PDF named `.docx`: `Some("pdf")`), for the archived copy's name.
pub(crate) fn read_bytes_named(
    bytes: &[u8],
    path: &Path,
) -> Result<(Document, Option<&'static str>), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let kind = format::detect(bytes, &ext)?;
    read_kind(bytes, path, kind).map(|d| (d, kind.right_extension(&ext)))
}

fn read_kind(bytes: &[u8], path: &Path, kind: format::Kind) -> Result<Document, ReadError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match kind {
        format::Kind::Pdf => pdf::read(bytes),
        format::Kind::Docx => docx::read(bytes),
        format::Kind::Workbook(workbook) => sheet::read(bytes, workbook, &ext),
        format::Kind::Converted(ext) => {
            docx::read(&convert::to_docx(bytes, &path.with_extension(ext))?)
        }
    }
}

/// The message of a file named as a workbook that cannot be read as one, saying why.
pub(crate) fn not_a_workbook(ext: &str, why: &str) -> ReadError {
    let what = if ext.is_empty() {
        "classeur".to_string()
    } else {
        format!("classeur .{ext}")
    };
    ReadError::Other(format!("le fichier n'est pas un {what} lisible : {why}"))
}
