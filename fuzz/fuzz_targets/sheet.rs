//! A spreadsheet: the first byte says which name it arrives under (.xlsx, .ods, .xls), the rest
//! is the file; then the attendance extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The embedded mappings, compiled once.
fn mappings() -> &'static [clas::mapping::Mapping] {
    static M: std::sync::OnceLock<Vec<clas::mapping::Mapping>> = std::sync::OnceLock::new();
    M.get_or_init(|| clas::mapping::load(None).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, file)) = data.split_first() else {
        return;
    };
    let name = ["fuzz.xlsx", "fuzz.ods", "fuzz.xls"][which as usize % 3];
    if let Ok(doc) = clas::document::read_bytes(file, std::path::Path::new(name)) {
        let _ = clas::pipeline::extract_document(doc, mappings());
    }
});
