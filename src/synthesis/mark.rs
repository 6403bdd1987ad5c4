//! What clas remembers of the synthesis it wrote, in a hidden file beside it
//! (`.synthese.xlsx.empreinte.json`): its size, date and SHA-256, and how many documents its
//! Sources sheet lists. From it, a synthesis edited by hand since (kept aside rather than
//! overwritten), and a store that lost documents (the store only ever grows: a synthesis
//! listing fewer documents than the last one means the store was deleted or replaced).

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Mark {
    pub sha256: String,
    pub size: u64,
    /// Modification time, in nanoseconds since 1970.
    pub modified: u128,
    /// Every document the store knew, all school years (the store only grows).
    pub sources: usize,
}

fn mark_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.empreinte.json"))
}

fn modified(m: &std::fs::Metadata) -> u128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn sha256(path: &Path) -> Option<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut f = std::fs::File::open(path).ok()?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(hex::encode(h.finalize()))
}

/// The mark of the last synthesis clas wrote at `target`, if any.
pub(crate) fn read(target: &Path) -> Option<Mark> {
    let text = std::fs::read_to_string(mark_path(target)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Remembers the synthesis just written at `target`. A mark that cannot be written only
/// costs the detection of a hand edit: not an error.
pub(crate) fn write(target: &Path, sources: usize) {
    let Ok(m) = std::fs::metadata(target) else {
        return;
    };
    let Some(sha256) = sha256(target) else {
        return;
    };
    let mark = Mark {
        sha256,
        size: m.len(),
        modified: modified(&m),
        sources,
    };
    if let Ok(json) = serde_json::to_vec(&mark) {
        let _ = crate::files::write_atomically(&mark_path(target), &json);
    }
}

/// Forgets the mark of `target` (its synthesis set aside).
pub(crate) fn forget(target: &Path) {
    let _ = std::fs::remove_file(mark_path(target));
}

/// Whether the file at `target` is no longer the one clas wrote (edited and saved by hand).
pub(crate) fn edited(target: &Path, mark: &Mark) -> bool {
    let Ok(m) = std::fs::metadata(target) else {
        return false;
    };
    if m.len() == mark.size && modified(&m) == mark.modified {
        return false;
    }
    sha256(target).is_some_and(|h| h != mark.sha256)
}

/// How many documents the Sources sheet of a synthesis lists (a synthesis written before
/// clas kept marks); None if it cannot be read.
pub(crate) fn sources_rows(target: &Path) -> Option<usize> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(target).ok()?;
    let range = book.worksheet_range("Sources").ok()?;
    Some(range.height().saturating_sub(1))
}
