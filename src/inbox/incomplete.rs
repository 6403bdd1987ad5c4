//! Whether a file of `depot/` is visibly cut short: a zip (Word, Excel, OpenDocument) without
//! its end-of-archive record, a PDF without `%%EOF`. Such a file is most often a copy that
//! paused (a network share stalling mid-file) rather than a broken file: the watcher leaves it
//! in `depot/` and reads it once it changes, and refuses it only after it has stayed so for a
//! long time ([`patience`]).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

/// How long a file cut short is waited for, unchanged, before it is read (and refused with the
/// reason): thirty times the stability window (a minute by default).
pub(super) fn patience(stability: Duration) -> Duration {
    stability * 30
}

/// The end of a zip: the end-of-central-directory record is within its last 64 KiB + 22 bytes.
const ZIP_TAIL: u64 = 65_557;
/// The end of a PDF: `%%EOF`, give or take what some writers add after it.
const PDF_TAIL: u64 = 4096;

/// True when the file starts as a zip or a PDF and its end is missing.
pub(super) fn cut_short(path: &Path) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = [0u8; 5];
    if f.read_exact(&mut head).is_err() {
        return false;
    }
    let (tail, marker): (u64, &[u8]) = if head.starts_with(b"PK\x03\x04") {
        (ZIP_TAIL, b"PK\x05\x06")
    } else if head.starts_with(b"%PDF-") {
        (PDF_TAIL, b"%%EOF")
    } else {
        return false;
    };
    let Ok(len) = f.metadata().map(|m| m.len()) else {
        return false;
    };
    let start = len.saturating_sub(tail);
    let mut buf = Vec::new();
    if f.seek(SeekFrom::Start(start)).is_err() || f.read_to_end(&mut buf).is_err() {
        return false;
    }
    !buf.windows(marker.len()).any(|w| w == marker)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_or_pdf_without_its_end_is_cut_short() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, b"PK\x03\x04 some data and no end").unwrap();
        assert!(cut_short(&p));
        std::fs::write(&p, b"PK\x03\x04 data PK\x05\x06 end record").unwrap();
        assert!(!cut_short(&p));
        std::fs::write(&p, b"%PDF-1.7\n1 0 obj").unwrap();
        assert!(cut_short(&p));
        std::fs::write(&p, b"%PDF-1.7\n1 0 obj\n%%EOF\n").unwrap();
        assert!(!cut_short(&p));
        std::fs::write(&p, b"plain text").unwrap();
        assert!(!cut_short(&p));
    }
}
