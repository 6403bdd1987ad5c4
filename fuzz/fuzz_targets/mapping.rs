//! A mapping file (TOML) as a workspace may hold: compiled, and if it compiles, applied to a
//! small document.
#![no_main]

use clas::document::{Document, Inline, Paragraph, Place};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mapping) = clas::mapping::Mapping::compile(source, "fuzz.toml") else {
        return;
    };
    let doc = Document {
        paragraphs: [
            "Nom du porteur de projet : Les Amis",
            "Nombre total d'enfants : 12",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| Paragraph {
            place: Place::Paragraph(i + 1),
            inlines: vec![Inline::Text(t.to_string())],
        })
        .collect(),
        ..Default::default()
    };
    let _ = clas::pipeline::extract_document(doc, &[mapping]);
});
