//! Where each value was found, and the text around it, as `clas extract --explain` tells it.
//!
//! The store keeps the values, not where they were read: the archived copy is read again
//! (a few milliseconds for a form), once per document — a stored document never changes, so
//! what was found is kept for the next requests. Attendance workbooks are never read here:
//! their text is children's names.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::dictionary::FormKind;
use crate::document::{Document, Place};
use crate::mapping::Mapping;
use crate::store::StoredDocument;

/// Documents whose sources are kept between requests (about 50 kB each).
const KEPT: usize = 64;
/// A paragraph shown beside a value is cut after this many characters.
const CONTEXT_CHARS: usize = 300;

/// Where one value was found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    /// How the mapping found it: « libellé « Nom du porteur de projet » ».
    pub(crate) locator: String,
    /// `tableau 2, ligne 3, colonne 2`, `page 1, ligne 12`.
    pub(crate) place: String,
    /// The text just before (the question, usually) and the text at that place.
    pub(crate) before: Option<String>,
    pub(crate) text: Option<String>,
}

pub(crate) type Sources = Arc<HashMap<String, Found>>;

#[derive(Default)]
pub(crate) struct Cache {
    mappings: Option<Arc<Vec<Mapping>>>,
    found: HashMap<i64, Sources>,
}

impl Cache {
    /// Where each field of `doc` was found (empty when the copy cannot be read again).
    pub(crate) fn of(&mut self, config: &Config, doc: &StoredDocument) -> Sources {
        if doc.form == Some(FormKind::Presence) || doc.form.is_none() {
            return Sources::default();
        }
        if let Some(s) = self.found.get(&doc.id) {
            return Arc::clone(s);
        }
        let mappings = match &self.mappings {
            Some(m) => Arc::clone(m),
            None => {
                let m = Arc::new(
                    crate::mapping::load(Some(&config.mappings_dir())).unwrap_or_default(),
                );
                self.mappings = Some(Arc::clone(&m));
                m
            }
        };
        let path = config.workspace.join(&doc.path);
        let found = match crate::pipeline::extract_file(&path, &mappings) {
            Ok(read) => locate(&read.document, &read.extraction),
            Err(_) => HashMap::new(),
        };
        if self.found.len() >= KEPT {
            self.found.clear();
        }
        let found = Arc::new(found);
        self.found.insert(doc.id, Arc::clone(&found));
        found
    }
}

fn locate(
    document: &Document,
    extraction: &crate::extraction::Extraction,
) -> HashMap<String, Found> {
    extraction
        .fields
        .iter()
        .filter_map(|f| {
            let s = f.source.as_ref()?;
            let (before, text) = around(document, s.place);
            Some((
                f.id.clone(),
                Found {
                    locator: s.locator.clone(),
                    place: s.place.to_string(),
                    before,
                    text,
                },
            ))
        })
        .collect()
}

/// The text at `place` and the last non-empty paragraph before it.
fn around(document: &Document, place: Place) -> (Option<String>, Option<String>) {
    let Some(at) = document.paragraphs.iter().position(|p| p.place == place) else {
        return (None, None);
    };
    let text: String = document.paragraphs[at..]
        .iter()
        .take_while(|p| p.place == place)
        .map(|p| p.text())
        .collect::<Vec<_>>()
        .join(" / ");
    let before = document.paragraphs[..at]
        .iter()
        .rev()
        .map(|p| p.text())
        .find(|t| !t.trim().is_empty());
    (
        before.map(|t| cut(&t)),
        Some(cut(&text)).filter(|t| !t.is_empty()),
    )
}

fn cut(t: &str) -> String {
    let t = t.trim();
    if t.chars().count() > CONTEXT_CHARS {
        let mut s: String = t.chars().take(CONTEXT_CHARS).collect();
        s.push('…');
        s
    } else {
        t.to_string()
    }
}
