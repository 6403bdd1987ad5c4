//! Word .docx reader (quick-xml + zip).
use super::{Document, ReadError};
pub fn read(_bytes: &[u8]) -> Result<Document, ReadError> {
    Err(ReadError::Other("pas encore".into()))
}
