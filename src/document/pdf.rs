//! PDF reader (lopdf): AcroForm fields and the text layer, with drawn check boxes.
use super::{Document, ReadError};

pub fn read(_bytes: &[u8]) -> Result<Document, ReadError> {
    Err(ReadError::Unsupported("PDF (lecture pas encore disponible)".into()))
}
