//! The main part of a Word document, as text: the XML tokenizer and the docx reader on it,
//! then the extraction (the zip layer is fuzzed by the `docx` target).
#![no_main]

use clas::document::docx::xml::{Token, Tokenizer, text_chunks};
use libfuzzer_sys::fuzz_target;

/// The embedded mappings, compiled once.
fn mappings() -> &'static [clas::mapping::Mapping] {
    static M: std::sync::OnceLock<Vec<clas::mapping::Mapping>> = std::sync::OnceLock::new();
    M.get_or_init(|| clas::mapping::load(None).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    // The tokenizer alone: tokens lie inside the text, end tags close what was opened.
    let mut t = Tokenizer::new(xml);
    let mut depth = 0usize;
    loop {
        let token = match t.next() {
            Ok(Some(token)) => token,
            // A well-formed end: everything opened was closed.
            Ok(None) => {
                assert_eq!(depth, 0);
                break;
            }
            Err(_) => break,
        };
        match token {
            Token::Start { attrs, empty, .. } => {
                depth += usize::from(!empty);
                for (name, value) in attrs.iter() {
                    assert!(!name.is_empty());
                    let _ = clas::document::docx::xml::attr_value(value);
                }
            }
            Token::End { .. } => depth -= 1,
            Token::Text(raw) => {
                assert!(!raw.is_empty() && !raw.contains('<'));
                let _ = text_chunks(raw, |_| {});
            }
            Token::CData(_) => {}
        }
        assert!(t.offset() <= xml.len());
    }
    if let Ok(doc) = clas::document::docx::parse_document_xml(xml) {
        let _ = clas::pipeline::extract_document(doc, mappings());
    }
});
