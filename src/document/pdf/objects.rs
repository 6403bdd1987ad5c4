//! Small helpers over lopdf objects, lenient: a missing or mistyped entry is `None`, and a
//! stream is never inflated past [`MAX_STREAM`]. Every part of the reader walks the object
//! tree through these, so they sit below all of them.

use lopdf::{Dictionary, Object, Stream};

use super::encodings;

/// Largest stream once inflated (content, font, CMap).
pub(crate) const MAX_STREAM: usize = 32 * 1024 * 1024;

pub(crate) fn deref<'a>(doc: &'a lopdf::Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

pub(crate) fn get<'a>(
    doc: &'a lopdf::Document,
    d: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    deref(doc, d.get(key).ok()?)
}

pub(crate) fn dict<'a>(doc: &'a lopdf::Document, o: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, o)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub(crate) fn name<'a>(
    doc: &'a lopdf::Document,
    d: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [u8]> {
    get(doc, d, key)?.as_name().ok()
}

pub(crate) fn number(doc: &lopdf::Document, o: &Object) -> Option<f64> {
    match deref(doc, o)? {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(*r as f64),
        _ => None,
    }
}

/// An entry of a page, or of the first of its ancestors that has it.
pub(crate) fn inherited<'a>(
    doc: &'a lopdf::Document,
    page: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..32 {
        if let Some(o) = get(doc, d, key) {
            return Some(o);
        }
        d = get(doc, d, b"Parent").and_then(|p| p.as_dict().ok())?;
    }
    None
}

/// A stream's data, inflated within [`MAX_STREAM`].
pub(crate) fn bounded_stream(s: &Stream) -> Result<Vec<u8>, lopdf::Error> {
    s.get_plain_content_with_limit(MAX_STREAM)
}

/// A PDF text string: UTF-16BE or UTF-8 with their byte order mark, else PDFDocEncoding.
pub(crate) fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes
        .iter()
        .filter_map(|&b| match b {
            b'\r' | b'\n' | b'\t' => Some(b as char),
            _ => char::from_u32(encodings::PDF_DOC[b as usize] as u32).filter(|c| *c != '\0'),
        })
        .collect()
}
