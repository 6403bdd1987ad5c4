//! A PDF file: parser, text layer, AcroForm, then the extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The embedded mappings, compiled once.
fn mappings() -> &'static [clas::mapping::Mapping] {
    static M: std::sync::OnceLock<Vec<clas::mapping::Mapping>> = std::sync::OnceLock::new();
    M.get_or_init(|| clas::mapping::load(None).unwrap())
}

fuzz_target!(|data: &[u8]| {
    // RTF and old Word files go to LibreOffice for conversion: another program, not ours.
    if data.starts_with(b"{\\rtf") || data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return;
    }
    let path = std::path::Path::new("fuzz.pdf");
    if let Ok(doc) = clas::document::read_bytes(data, path) {
        let _ = clas::pipeline::extract_document(doc, mappings());
    }
});
