//! Spreadsheet reader (calamine): .xlsx, .xls, .ods, one table per sheet.
use super::{Document, ReadError};

pub fn read(_bytes: &[u8], ext: &str) -> Result<Document, ReadError> {
    Err(ReadError::Unsupported(format!(".{ext} (lecture pas encore disponible)")))
}
