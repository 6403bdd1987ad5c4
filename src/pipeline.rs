//! The stages put together for one file: read → recognise → extract.

use std::path::Path;

use crate::document::{self, Document, ReadError};
use crate::extraction::Extraction;
use crate::extraction::apply::{self, Located};
use crate::extraction::locate::Flat;
use crate::extraction::presence;
use crate::mapping::Mapping;

/// Why a file gave no extraction. Shown to agents, so in French.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error("{0}")]
    NotRecognised(NotRecognised),
}

/// What the closest mapping missed, so that an agent (or whoever maintains the mappings)
/// sees why a form was not recognised instead of a silent failure.
#[derive(Debug)]
pub struct NotRecognised {
    pub closest: Option<Closest>,
    /// Said instead of the generic sentence when the format tells which form it had to be
    /// (a workbook can only be an attendance workbook).
    pub detail: Option<Box<str>>,
}

#[derive(Debug)]
pub struct Closest {
    pub description: String,
    pub version: String,
    pub score: f64,
    pub missing_phrases: Vec<String>,
    pub missing_labels: Vec<String>,
}

impl std::fmt::Display for NotRecognised {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(d) = &self.detail {
            return write!(f, "formulaire non reconnu : {d}");
        }
        write!(
            f,
            "formulaire non reconnu : ce document n'est ni un bilan CLAS, ni une note stratégique, ni un cahier de présence connus"
        )?;
        if let Some(c) = &self.closest {
            write!(
                f,
                " (le plus proche, « {} », n'y retrouve que {:.0} % de ses questions",
                c.description,
                c.score * 100.0
            )?;
            if !c.missing_phrases.is_empty() {
                write!(f, " ; absent : « {} »", c.missing_phrases.join(" », « "))?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// One file read and extracted, with what `--explain` shows.
pub struct Extracted {
    pub document: Document,
    pub extraction: Extraction,
}

/// Beyond this many significant chars, a document that no mapping recognises is not searched
/// question by question (a form is about 20,000).
const EXPLAIN_LIMIT: usize = 1_000_000;

/// `f` applied to every item on every core, the results in the items' order. Reading forms
/// is independent from one file to the next: a folder goes as many times faster as there are
/// cores.
pub fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = Vec::new();
    results.resize_with(items.len(), || None);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut got = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        got.push((i, f(item)));
                    }
                    got
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(got) => got.into_iter().for_each(|(i, r)| results[i] = Some(r)),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every item was taken by a worker"))
        .collect()
}

/// [`extract_file_with`] with the default settings for attendance workbooks.
pub fn extract_file(path: &Path, mappings: &[Mapping]) -> Result<Extracted, FileError> {
    extract_file_with(path, mappings, &presence::Options::default())
}

/// A file read and extracted: Word and PDF forms with the first mapping that recognises them,
/// workbooks as attendance workbooks (with `presence`: a session's default length, the school
/// year of dates written without one).
pub fn extract_file_with(
    path: &Path,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Result<Extracted, FileError> {
    let document = document::read(path)?;
    extract_document_with(document, mappings, presence)
}

/// [`extract_document_with`] with the default settings for attendance workbooks.
pub fn extract_document(document: Document, mappings: &[Mapping]) -> Result<Extracted, FileError> {
    extract_document_with(document, mappings, &presence::Options::default())
}

/// [`extract_file_with`] for a document already read.
pub(crate) fn extract_document_with(
    document: Document,
    mappings: &[Mapping],
    presence: &presence::Options,
) -> Result<Extracted, FileError> {
    // A workbook can only be an attendance workbook (docs/presence.md).
    if document.format == document::Format::Spreadsheet {
        return match presence::extract(&document, presence) {
            Ok(extraction) => Ok(Extracted {
                document,
                extraction,
            }),
            Err(not) => Err(FileError::NotRecognised(NotRecognised {
                closest: Some(Closest {
                    description: "cahier de présence".into(),
                    version: presence::MAPPING.into(),
                    score: not.score,
                    missing_phrases: Vec::new(),
                    missing_labels: not.missing.clone(),
                }),
                detail: Some(not.to_string().into()),
            })),
        };
    }
    let flat = Flat::new(&document);
    let located: Vec<Located> = mappings
        .iter()
        .map(|m| apply::locate(&flat, m, false))
        .collect();
    let best = located
        .iter()
        .filter(|l| l.recognised())
        .max_by(|a, b| a.score().total_cmp(&b.score()));
    match best {
        Some(l) => {
            let extraction = apply::extract(&document, &flat, l);
            Ok(Extracted {
                document,
                extraction,
            })
        }
        None => {
            // Only now is it worth searching every question of every mapping, to explain;
            // not approximately through megabytes of text that hold none of them.
            let explain = flat.norm_to_text.len() <= EXPLAIN_LIMIT;
            let located: Vec<Located> = mappings
                .iter()
                .map(|m| apply::locate(&flat, m, explain))
                .collect();
            Err(FileError::NotRecognised(NotRecognised {
                closest: closest(&located),
                detail: None,
            }))
        }
    }
}

fn closest(located: &[Located]) -> Option<Closest> {
    let l = located.iter().max_by(|a, b| {
        let key = |l: &Located| l.score() - l.missing_phrases.len() as f64;
        key(a).total_cmp(&key(b))
    })?;
    Some(Closest {
        description: l.mapping.description.clone(),
        version: l.mapping.version.clone(),
        score: l.score(),
        missing_phrases: l.missing_phrases.clone(),
        missing_labels: l
            .missing_labels()
            .iter()
            .map(|(id, label)| format!("{id} : « {label} »"))
            .collect(),
    })
}
