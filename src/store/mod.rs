//! The store: every document received, in SQLite (`clas.db` in the workspace).
//!
//! One row per file received (`documents`): its name, content hash (SHA-256), date, what
//! became of it (archived, rejected with the reason, or a duplicate of an earlier file), the
//! form and mapping version that read it, the extraction, the findings, and where the store's
//! copy lies (`archives/<année>/…` or `rejets/…`). Documents about the same action (same
//! porteur, action number and school year, compared tolerantly) share an `actions` row; of
//! each action, one document per form is *current*, the others are its history.
//!
//! The schema is versioned with `PRAGMA user_version` and migrated forward on opening. The
//! database runs in WAL mode with `synchronous = FULL` and a busy timeout, so that a crash at
//! any point leaves it as of its last committed transaction (see [`crate::inbox`] for how the
//! file moves are tied to it).
//!
//! Readers (the synthesis, the conventions) use [`Store::current_actions`],
//! [`Store::documents`], [`Store::history`] and [`Store::counts`]; the writes are the inbox's.
//! Children's names (attendance workbooks) are in the stored extractions and nowhere else.
//!
//! One idea per file: `schema` (the tables and their migrations), `read` (the queries),
//! `write` (the inbox's intents and their completion), `corrections` (the agents' corrections
//! journal and the values in force, see [`crate::corrections`]), `letters` (the relances
//! written, by action). The JSON kept of each extraction is [`crate::extraction::stored`]'s.

mod corrections;
mod errors;
mod health;
mod letters;
mod read;
mod schema;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::dictionary::FormKind;
use crate::extraction::Extraction;
use crate::findings::Finding;

// Where they were before the stored JSON moved to the extraction: tests and benches use them.
pub use crate::extraction::stored::{extraction_from_json, extraction_to_json};
pub use corrections::CorrectionRow;
pub use errors::StoreError;
pub use letters::LetterSent;
pub use schema::SCHEMA_VERSION;
pub(crate) use write::NewDocument;

/// How long a write waits for another program holding the database.
const BUSY_WAIT: Duration = Duration::from_secs(30);

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Dropped in `depot/` and moved by `clas watch`.
    Depot,
    /// Read in place by `clas ingest`; the store keeps a copy.
    Ingest,
}

impl Origin {
    fn id(self) -> &'static str {
        match self {
            Origin::Depot => "depot",
            Origin::Ingest => "ingest",
        }
    }
}

/// What became of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Read and kept in `archives/`.
    Archived,
    /// Refused (kept in `rejets/`), with the reason shown to agents.
    Rejected { reason: String },
    /// Same content as an earlier document: kept beside it, not counted again.
    Duplicate { of: i64 },
}

/// An action (bilan and attendance workbook) or, for notes stratégiques, a territory.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRef {
    pub id: i64,
    /// `action` or `territoire`.
    pub kind: String,
    pub school_year: i32,
    /// porteur.nom (territoire.nom for a note) as first received.
    pub porteur: String,
    /// action.numero as first received (empty for a territory).
    pub numero: String,
}

/// One document received, as the store keeps it.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub id: i64,
    /// The file's name when received.
    pub file_name: String,
    /// SHA-256 of the content, hexadecimal.
    pub hash: String,
    pub size: u64,
    /// When it was received: RFC 3339, UTC.
    pub received_at: String,
    pub origin: Origin,
    /// Where it was read.
    pub source: String,
    pub status: Status,
    /// The current version of its action (for its form). Rejected and duplicate documents
    /// never are.
    pub current: bool,
    /// The document that replaced it as current version.
    pub replaced_by: Option<i64>,
    pub form: Option<FormKind>,
    /// The mapping (form version) that read it.
    pub mapping: Option<String>,
    /// Its school year (first year: 2025 for 2025-2026).
    pub school_year: Option<i32>,
    pub action: Option<ActionRef>,
    /// The extraction, rebuilt from the stored JSON (fields, collectifs, what could not be
    /// read): the values in force, with the agents' corrections ([`crate::corrections`]; what
    /// was read from the file is [`crate::corrections::in_force`]'s `read`).
    pub extraction: Option<Extraction>,
    pub findings: Vec<Finding>,
    /// What the report says besides the findings (checks that could not be made).
    pub notes: Vec<String>,
    /// The store's copy, relative to the workspace (`archives/2025-2026/bilan.docx`).
    pub path: PathBuf,
    /// Its report, relative to the workspace.
    pub report_path: PathBuf,
    pub(crate) report_body: String,
    pub(crate) pending: bool,
}

impl StoredDocument {
    pub(crate) fn is_archived(&self) -> bool {
        self.status == Status::Archived
    }

    /// Findings of severity error.
    pub(crate) fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == crate::findings::Severity::Error)
            .count()
    }
}

/// How many documents the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Every file received, duplicates included.
    pub received: u64,
    /// Distinct contents read and archived.
    pub archived: u64,
    /// Files refused.
    pub rejected: u64,
    /// Files whose content had already been received.
    pub duplicates: u64,
    /// Current documents (one per action and form, plus those whose action is unknown).
    pub current: u64,
    /// Archived documents replaced by a newer version.
    pub replaced: u64,
    /// Actions and territories known.
    pub actions: u64,
}

/// The store, open on one database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating it if need be) and migrates the database at `path`. An existing
    /// database is checked first (SQLite's quick check): a damaged one is refused before
    /// anything is written into it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source: rusqlite::Error| match StoreError::classify(path, source) {
            StoreError::Sql(source) => StoreError::Open {
                path: path.to_path_buf(),
                source,
            },
            e => e,
        };
        let existed = path.exists();
        if existed {
            health::writable_companions(path);
        }
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_WAIT).map_err(open_err)?;
        if existed {
            health::quick_check(&conn, path)?;
        }
        // The inbox runs a dozen statements per file: prepared once each.
        conn.set_prepared_statement_cache_capacity(64);
        // WAL: readers never block the writer; FULL: a committed transaction survives a power
        // cut, so that a file is never moved on the strength of an intent that is then lost.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.migrate().map_err(|e| match e {
            StoreError::Sql(source) => open_err(source),
            e => e.at(path),
        })?;
        Ok(store)
    }

    /// Opens the store of a workspace. A store that knows no document while `archives/` holds
    /// some (deleted, or replaced by an empty one) is refused: the archives are the durable
    /// record, and `clas rebuild` makes the store again from them.
    pub fn open_workspace(config: &crate::config::Config) -> Result<Store, StoreError> {
        let path = config.store_path();
        let existed = path.exists();
        let store = Store::open(&path)?;
        if store.is_empty()? {
            let archives = config.archives_dir();
            let documents = health::archived_documents(&archives);
            if documents > 0 {
                drop(store);
                if !existed {
                    // Created by this very call: not left behind, empty, for the next one.
                    health::remove_new_store(&path);
                }
                return Err(StoreError::Orphaned {
                    path,
                    archives,
                    documents,
                });
            }
        }
        Ok(store)
    }

    /// Whether the store holds no document at all.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM documents)", [], |r| r.get(0))
            .map_err(|e| StoreError::from(e).at(&self.path))?;
        Ok(!any)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clas.db");
        let s = Store::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.counts().unwrap(), Counts::default());
        s.conn
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(s);
        let e = Store::open(&path).err().unwrap();
        assert!(e.to_string().contains("plus récente"), "{e}");
    }
}
