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

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde_json::{Map, Value as Json, json};

use crate::dictionary::FormKind;
use crate::document::Place;
use crate::extraction::{Collectif, Enfant, Extraction, LevelTotal, Problem, Seance};
use crate::findings::Finding;
use crate::values::Date;

/// Errors of the store. A store that cannot be opened stops a command (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "base de données {} : ouverture impossible ({source}). Vérifiez que le dossier est accessible en écriture et que le fichier n'est pas endommagé.",
        path.display()
    )]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "base de données {} : elle a été créée par une version plus récente de clas (schéma {found}, cette version connaît le schéma {known}). Mettez clas à jour.",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "base de données {} verrouillée par un autre programme depuis plus de {} s : les fichiers restent où ils sont et seront traités au prochain passage",
        path.display(), BUSY_WAIT.as_secs()
    )]
    Busy { path: PathBuf },
    #[error("base de données : {0}")]
    Sql(#[from] rusqlite::Error),
}

/// How long a write waits for another program holding the database.
const BUSY_WAIT: Duration = Duration::from_secs(30);

/// Schema migrations, in order: migration `i` brings `user_version` from `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: documents and actions.
    r#"
    CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        -- 'action' (bilan, cahier de présence) or 'territoire' (note stratégique)
        kind TEXT NOT NULL,
        school_year INTEGER NOT NULL,
        -- porteur.nom (territoire.nom for a note) and action.numero, as first received
        porteur TEXT NOT NULL,
        numero TEXT NOT NULL
    );
    CREATE INDEX actions_year ON actions(kind, school_year);
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL,
        file_name TEXT NOT NULL,
        -- where the file was read: the path in depot/ or the path given to ingest
        source TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('depot', 'ingest')),
        size INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        -- 'pending': intent recorded, the file is being moved; 'done': in its place
        state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
        status TEXT NOT NULL CHECK (status IN ('archived', 'rejected', 'duplicate')),
        reason TEXT,
        duplicate_of INTEGER REFERENCES documents(id),
        form TEXT,
        mapping TEXT,
        school_year INTEGER,
        action_id INTEGER REFERENCES actions(id),
        extraction TEXT,
        findings TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '[]',
        -- the extraction as the report shows it (with what could not be read)
        report_body TEXT NOT NULL DEFAULT '',
        -- the store's copy and its report, relative to the workspace
        path TEXT NOT NULL,
        report_path TEXT NOT NULL,
        current INTEGER NOT NULL DEFAULT 0,
        replaced_by INTEGER REFERENCES documents(id),
        report_dirty INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX documents_hash ON documents(hash);
    CREATE INDEX documents_pending ON documents(state) WHERE state = 'pending';
    CREATE INDEX documents_action ON documents(action_id);
    CREATE INDEX documents_dirty ON documents(report_dirty) WHERE report_dirty = 1;
    CREATE UNIQUE INDEX documents_path ON documents(path COLLATE NOCASE);
    CREATE UNIQUE INDEX documents_report_path ON documents(report_path COLLATE NOCASE);
    CREATE UNIQUE INDEX documents_current ON documents(action_id, form) WHERE current = 1;
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

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
    /// The extraction, rebuilt from the stored JSON (fields, collectifs, what could not be read).
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
    pub fn is_archived(&self) -> bool {
        self.status == Status::Archived
    }

    /// Findings of severity error.
    pub fn errors(&self) -> usize {
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

/// A document about to be recorded (the intent, before its file is moved).
#[derive(Debug, Clone)]
pub(crate) struct NewDocument {
    pub hash: String,
    pub file_name: String,
    pub source: String,
    pub origin: Origin,
    pub size: u64,
    pub received_at: String,
    pub status: Status,
    pub form: Option<FormKind>,
    pub mapping: Option<String>,
    pub school_year: Option<i32>,
    pub action_id: Option<i64>,
    /// The extraction as JSON text ([`extraction_to_json`]).
    pub extraction: Option<String>,
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    /// A refused document: what to do. An archived one: empty, its report is written from
    /// its extraction (older stores kept the extraction's text here, which their reports
    /// still use).
    pub report_body: String,
    pub path: String,
    pub report_path: String,
}

const COLUMNS: &str = "d.id, d.file_name, d.hash, d.size, d.received_at, d.origin, d.source, \
     d.status, d.reason, d.duplicate_of, d.current, d.replaced_by, d.form, d.mapping, \
     d.school_year, d.extraction, d.findings, d.notes, d.path, d.report_path, d.report_body, \
     d.state, a.id, a.kind, a.school_year, a.porteur, a.numero";

/// The same columns without the stored extraction: what reports and log lines need, without
/// parsing a JSON document per row.
const COLUMNS_LIGHT: &str = "d.id, d.file_name, d.hash, d.size, d.received_at, d.origin, \
     d.source, d.status, d.reason, d.duplicate_of, d.current, d.replaced_by, d.form, d.mapping, \
     d.school_year, NULL, d.findings, d.notes, d.path, d.report_path, d.report_body, d.state, \
     a.id, a.kind, a.school_year, a.porteur, a.numero";

const FROM: &str = "documents d LEFT JOIN actions a ON a.id = d.action_id";

impl Store {
    /// Opens (creating it if need be) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_WAIT).map_err(open_err)?;
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
            e => e,
        })?;
        Ok(store)
    }

    /// Opens the store of a workspace.
    pub fn open_workspace(config: &crate::config::Config) -> Result<Store, StoreError> {
        Store::open(&config.store_path())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Exclusive)?;
            // Another process may have migrated while we waited for the lock.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now > i as i64 {
                continue;
            }
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    // -----------------------------------------------------------------------------------------
    // Reading

    /// Every document received and in its place (not those being moved), in order of arrival.
    pub fn documents(&self) -> Result<Vec<StoredDocument>, StoreError> {
        self.query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE d.state = 'done' ORDER BY d.id"
        ))
    }

    /// The current version of each action, one document per action and form (a bilan, its
    /// attendance workbook, a note stratégique per territory), ordered by school year, porteur,
    /// action number and form. Documents whose porteur or action number could not be read are
    /// their own action and are included.
    pub fn current_actions(&self) -> Result<Vec<StoredDocument>, StoreError> {
        self.query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE d.state = 'done' AND d.current = 1 \
             ORDER BY d.school_year, a.porteur COLLATE NOCASE, a.numero, d.form, d.id"
        ))
    }

    /// [`Store::current_actions`] one row at a time, never all of them in memory at once (the
    /// synthesis of a large store keeps only what it needs of each).
    pub fn for_each_current_action(
        &self,
        mut f: impl FnMut(StoredDocument),
    ) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE d.state = 'done' AND d.current = 1 \
             ORDER BY d.school_year, a.porteur COLLATE NOCASE, a.numero, d.form, d.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        for row in stmt.query_map([], document_row)? {
            f(row?);
        }
        Ok(())
    }

    /// [`Store::documents_light`] one row at a time.
    pub fn for_each_document_light(
        &self,
        mut f: impl FnMut(StoredDocument),
    ) -> Result<(), StoreError> {
        let sql =
            format!("SELECT {COLUMNS_LIGHT} FROM {FROM} WHERE d.state = 'done' ORDER BY d.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        for row in stmt.query_map([], document_row)? {
            f(row?);
        }
        Ok(())
    }

    /// One document (whatever its state).
    pub fn document(&self, id: i64) -> Result<Option<StoredDocument>, StoreError> {
        Ok(self
            .query_params(
                &format!("SELECT {COLUMNS} FROM {FROM} WHERE d.id = ?1"),
                params![id],
            )?
            .pop())
    }

    /// The findings of one document.
    pub fn findings(&self, id: i64) -> Result<Vec<Finding>, StoreError> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT findings FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(text
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    /// Every document of an action, oldest first (its history), duplicates included.
    pub fn history(&self, action_id: i64) -> Result<Vec<StoredDocument>, StoreError> {
        self.query_params(
            &format!(
                "SELECT {COLUMNS} FROM {FROM} WHERE d.state = 'done' AND d.action_id = ?1 \
                 ORDER BY d.id"
            ),
            params![action_id],
        )
    }

    /// The actions (and territories) known, by school year.
    pub fn actions(&self) -> Result<Vec<ActionRef>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, school_year, porteur, numero FROM actions \
             ORDER BY school_year, porteur COLLATE NOCASE, numero",
        )?;
        let rows = stmt.query_map([], action_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many documents the store holds (those being moved are not counted).
    pub fn counts(&self) -> Result<Counts, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), \
                coalesce(sum(status = 'archived'), 0), \
                coalesce(sum(status = 'rejected'), 0), \
                coalesce(sum(status = 'duplicate'), 0), \
                coalesce(sum(current = 1), 0), \
                coalesce(sum(replaced_by IS NOT NULL), 0), \
                (SELECT count(*) FROM actions) \
             FROM documents WHERE state = 'done'",
            [],
            |r| {
                Ok(Counts {
                    received: r.get::<_, i64>(0)? as u64,
                    archived: r.get::<_, i64>(1)? as u64,
                    rejected: r.get::<_, i64>(2)? as u64,
                    duplicates: r.get::<_, i64>(3)? as u64,
                    current: r.get::<_, i64>(4)? as u64,
                    replaced: r.get::<_, i64>(5)? as u64,
                    actions: r.get::<_, i64>(6)? as u64,
                })
            },
        )?)
    }

    /// The first document received with this content that was read (archived), or refused
    /// (without its extraction).
    pub fn by_hash(&self, hash: &str) -> Result<Option<StoredDocument>, StoreError> {
        Ok(self
            .query_params(
                &format!(
                    "SELECT {COLUMNS_LIGHT} FROM {FROM} WHERE d.hash = ?1 AND d.state = 'done' \
                     AND d.status != 'duplicate' ORDER BY d.status = 'archived' DESC, d.id LIMIT 1"
                ),
                params![hash],
            )?
            .pop())
    }

    fn query(&self, sql: &str) -> Result<Vec<StoredDocument>, StoreError> {
        self.query_params(sql, params![])
    }

    fn query_params(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<StoredDocument>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, document_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// [`Store::document`] without its extraction (`extraction` is `None`).
    pub(crate) fn document_light(&self, id: i64) -> Result<Option<StoredDocument>, StoreError> {
        Ok(self
            .query_params(
                &format!("SELECT {COLUMNS_LIGHT} FROM {FROM} WHERE d.id = ?1"),
                params![id],
            )?
            .pop())
    }

    /// The version of a form of an action archived last before document `before` (without its
    /// extraction): what a report says its document replaces.
    pub(crate) fn previous_version(
        &self,
        action_id: i64,
        form: FormKind,
        before: i64,
    ) -> Result<Option<StoredDocument>, StoreError> {
        Ok(self
            .query_params(
                &format!(
                    "SELECT {COLUMNS_LIGHT} FROM {FROM} WHERE d.action_id = ?1 \
                     AND d.state = 'done' AND d.status = 'archived' AND d.form = ?2 \
                     AND d.id < ?3 ORDER BY d.id DESC LIMIT 1"
                ),
                params![action_id, form.id(), before],
            )?
            .pop())
    }

    /// The content hashes already read (archived, or refused), with whether they were archived:
    /// a batch reads these files no further than their hash.
    pub(crate) fn known_hashes(&self) -> Result<HashMap<String, bool>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT hash, MAX(status = 'archived') FROM documents \
             WHERE state = 'done' AND status != 'duplicate' GROUP BY hash",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    // -----------------------------------------------------------------------------------------
    // Writing (the inbox)

    /// Starts a transaction that the inbox's writes join until [`Store::commit`]: one commit
    /// (one sync of the journal) for a whole batch of files. A transaction left open by an
    /// interrupted batch is rolled back first.
    pub(crate) fn begin(&mut self) -> Result<(), StoreError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    StoreError::Busy {
                        path: self.path.clone(),
                    }
                }
                _ => StoreError::Sql(e),
            })
    }

    pub(crate) fn commit(&mut self) -> Result<(), StoreError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    /// Marks a document's report to be written again.
    pub(crate) fn report_outdated(&self, id: i64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE documents SET report_dirty = 1 WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }

    /// Documents whose intent was recorded but whose move was not marked done: what a crash
    /// left behind.
    pub(crate) fn pending(&self) -> Result<Vec<StoredDocument>, StoreError> {
        self.query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE d.state = 'pending' ORDER BY d.id"
        ))
    }

    /// Documents whose report must be written again (their findings or their status changed
    /// after they were archived).
    pub(crate) fn dirty_reports(&self) -> Result<Vec<StoredDocument>, StoreError> {
        self.query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE d.state = 'done' AND d.report_dirty = 1 \
             ORDER BY d.id"
        ))
    }

    pub(crate) fn report_written(&self, id: i64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE documents SET report_dirty = 0 WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }

    /// Whether a path (relative to the workspace) is already taken by a document.
    pub(crate) fn path_taken(&self, path: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM documents WHERE path = ?1 COLLATE NOCASE \
                 UNION ALL SELECT 1 FROM documents WHERE report_path = ?1 COLLATE NOCASE \
                 LIMIT 1",
            )?
            .query_row([path], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The current document of an action for a form.
    pub(crate) fn current_of(
        &self,
        action_id: i64,
        form: FormKind,
    ) -> Result<Option<StoredDocument>, StoreError> {
        self.current_of_with(action_id, form, COLUMNS)
    }

    /// [`Store::current_of`] without the extraction.
    pub(crate) fn current_of_light(
        &self,
        action_id: i64,
        form: FormKind,
    ) -> Result<Option<StoredDocument>, StoreError> {
        self.current_of_with(action_id, form, COLUMNS_LIGHT)
    }

    fn current_of_with(
        &self,
        action_id: i64,
        form: FormKind,
        columns: &str,
    ) -> Result<Option<StoredDocument>, StoreError> {
        Ok(self
            .query_params(
                &format!(
                    "SELECT {columns} FROM {FROM} WHERE d.action_id = ?1 AND d.form = ?2 \
                     AND d.current = 1"
                ),
                params![action_id, form.id()],
            )?
            .pop())
    }

    /// Records the intent: the document and where it will lie, in one transaction, with its
    /// action created if it is new. Returns the document's id and its action's.
    pub(crate) fn record_intent(
        &mut self,
        doc: &NewDocument,
        new_action: Option<(&str, i32, &str, &str)>,
    ) -> Result<(i64, Option<i64>), StoreError> {
        // A savepoint: its own transaction, or part of the inbox's batch (see `begin`).
        let tx = self.conn.savepoint()?;
        let action_id = match new_action {
            Some((kind, year, porteur, numero)) => {
                exec(
                    &tx,
                    "INSERT INTO actions (kind, school_year, porteur, numero) \
                     VALUES (?1, ?2, ?3, ?4)",
                    params![kind, year, porteur, numero],
                )?;
                Some(tx.last_insert_rowid())
            }
            None => doc.action_id,
        };
        let (status, reason, duplicate_of) = match &doc.status {
            Status::Archived => ("archived", None, None),
            Status::Rejected { reason } => ("rejected", Some(reason.as_str()), None),
            Status::Duplicate { of } => ("duplicate", None, Some(*of)),
        };
        exec(
            &tx,
            "INSERT INTO documents (hash, file_name, source, origin, size, received_at, state, \
             status, reason, duplicate_of, form, mapping, school_year, action_id, extraction, \
             findings, notes, report_body, path, report_path) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, \
             ?15, ?16, ?17, ?18, ?19)",
            params![
                doc.hash,
                doc.file_name,
                doc.source,
                doc.origin.id(),
                doc.size as i64,
                doc.received_at,
                status,
                reason,
                duplicate_of,
                doc.form.map(|f| f.id()),
                doc.mapping,
                doc.school_year,
                action_id,
                doc.extraction,
                serde_json::to_string(&doc.findings).unwrap_or_else(|_| "[]".into()),
                serde_json::to_string(&doc.notes).unwrap_or_else(|_| "[]".into()),
                doc.report_body,
                doc.path,
                doc.report_path,
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok((id, action_id))
    }

    /// Marks a document in its place, in one transaction: an archived document becomes the
    /// current version of its action (the previous one is marked replaced, its report to be
    /// written again), and the findings of the other documents of the action checked with it
    /// are updated.
    pub(crate) fn finish(
        &mut self,
        id: i64,
        partner_findings: &[(i64, Vec<Finding>)],
    ) -> Result<(), StoreError> {
        // A savepoint: its own transaction, or part of the inbox's batch (see `begin`).
        let tx = self.conn.savepoint()?;
        let (status, state, action_id, form): (String, String, Option<i64>, Option<String>) = tx
            .query_row(
                "SELECT status, state, action_id, form FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
        if state == "done" {
            return Ok(());
        }
        if status == "archived" {
            if let (Some(action), Some(form)) = (action_id, &form) {
                exec(
                    &tx,
                    "UPDATE documents SET current = 0, replaced_by = ?1, report_dirty = 1 \
                     WHERE action_id = ?2 AND form = ?3 AND current = 1",
                    params![id, action, form],
                )?;
            }
            exec(&tx, "UPDATE documents SET current = 1 WHERE id = ?1", [id])?;
            for (other, findings) in partner_findings {
                tx.prepare_cached(
                    "UPDATE documents SET findings = ?1, report_dirty = 1 WHERE id = ?2",
                )?
                .execute(params![
                    serde_json::to_string(findings).unwrap_or_else(|_| "[]".into()),
                    other
                ])?;
            }
        }
        exec(
            &tx,
            "UPDATE documents SET state = 'done' WHERE id = ?1",
            [id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Changes where a pending document will lie (its chosen name was taken meanwhile).
    pub(crate) fn relocate(
        &self,
        id: i64,
        path: &str,
        report_path: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE documents SET path = ?2, report_path = ?3 WHERE id = ?1 AND state = 'pending'",
            params![id, path, report_path],
        )?;
        Ok(())
    }

    /// Forgets a pending document whose file is gone (taken away before it could be moved),
    /// and its action if nothing else refers to it.
    pub(crate) fn abandon(&mut self, id: i64) -> Result<(), StoreError> {
        // A savepoint: its own transaction, or part of the inbox's batch (see `begin`).
        let tx = self.conn.savepoint()?;
        let action: Option<i64> = tx
            .query_row(
                "SELECT action_id FROM documents WHERE id = ?1 AND state = 'pending'",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        tx.prepare_cached("DELETE FROM documents WHERE id = ?1 AND state = 'pending'")?
            .execute([id])?;
        if let Some(a) = action {
            exec(
                &tx,
                "DELETE FROM actions WHERE id = ?1 \
                 AND NOT EXISTS (SELECT 1 FROM documents WHERE action_id = ?1)",
                [a],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// A statement run through the connection's cache of prepared statements.
fn exec(c: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    c.prepare_cached(sql)?.execute(params)
}

fn action_row(r: &Row) -> rusqlite::Result<ActionRef> {
    Ok(ActionRef {
        id: r.get(0)?,
        kind: r.get(1)?,
        school_year: r.get(2)?,
        porteur: r.get(3)?,
        numero: r.get(4)?,
    })
}

fn document_row(r: &Row) -> rusqlite::Result<StoredDocument> {
    let status = match r.get::<_, String>(7)?.as_str() {
        "rejected" => Status::Rejected {
            reason: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
        },
        "duplicate" => Status::Duplicate {
            of: r.get::<_, Option<i64>>(9)?.unwrap_or_default(),
        },
        _ => Status::Archived,
    };
    let form: Option<FormKind> = r
        .get::<_, Option<String>>(12)?
        .and_then(|f| FormKind::from_id(&f));
    let extraction = r
        .get::<_, Option<String>>(15)?
        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
        .and_then(|j| extraction_from_json(&j));
    let action = match r.get::<_, Option<i64>>(22)? {
        Some(id) => Some(ActionRef {
            id,
            kind: r.get(23)?,
            school_year: r.get(24)?,
            porteur: r.get(25)?,
            numero: r.get(26)?,
        }),
        None => None,
    };
    Ok(StoredDocument {
        id: r.get(0)?,
        file_name: r.get(1)?,
        hash: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        received_at: r.get(4)?,
        origin: if r.get::<_, String>(5)? == "ingest" {
            Origin::Ingest
        } else {
            Origin::Depot
        },
        source: r.get(6)?,
        status,
        current: r.get::<_, i64>(10)? != 0,
        replaced_by: r.get(11)?,
        form,
        mapping: r.get(13)?,
        school_year: r.get(14)?,
        extraction,
        findings: serde_json::from_str(&r.get::<_, String>(16)?).unwrap_or_default(),
        notes: serde_json::from_str(&r.get::<_, String>(17)?).unwrap_or_default(),
        path: PathBuf::from(r.get::<_, String>(18)?),
        report_path: PathBuf::from(r.get::<_, String>(19)?),
        report_body: r.get(20)?,
        pending: r.get::<_, String>(21)? == "pending",
        action,
    })
}

// ---------------------------------------------------------------------------------------------
// The stored form of an extraction

/// An extraction as the store keeps it: the `fields` object of spec/cli.md, the collectifs,
/// the note's TOTAL rows, and what could not be read (the rules need it to check again).
pub fn extraction_to_json(x: &Extraction) -> Json {
    let problems: Map<String, Json> = x
        .fields
        .iter()
        .filter_map(|f| {
            let p = match f.problem.as_ref()? {
                Problem::Contradictory => json!({"kind": "contradictory"}),
                Problem::Unreadable(t) => json!({"kind": "unreadable", "text": t}),
                Problem::NotFound => json!({"kind": "not_found"}),
            };
            Some((f.id.clone(), p))
        })
        .collect();
    json!({
        "form": x.form.id(),
        "mapping": x.mapping,
        "fields": x.fields_json(),
        "collectifs": x.collectifs.as_ref().map(|c| serde_json::to_value(c).unwrap_or(Json::Null)),
        "totaux": serde_json::to_value(&x.totaux).unwrap_or(Json::Null),
        "problems": problems,
    })
}

/// Rebuilds an extraction stored by [`extraction_to_json`] (through
/// [`Extraction::from_json`]); where each value was found is not kept.
pub fn extraction_from_json(j: &Json) -> Option<Extraction> {
    let form = FormKind::from_id(j.get("form")?.as_str()?)?;
    let mapping = j.get("mapping").and_then(Json::as_str).unwrap_or("");
    let empty = Map::new();
    let fields = j.get("fields").and_then(Json::as_object).unwrap_or(&empty);
    let mut x = Extraction::from_json(form, mapping, fields);
    if let Some(problems) = j.get("problems").and_then(Json::as_object) {
        for f in &mut x.fields {
            if let Some(p) = problems.get(&f.id) {
                f.problem = match p.get("kind").and_then(Json::as_str) {
                    Some("contradictory") => Some(Problem::Contradictory),
                    Some("unreadable") => Some(Problem::Unreadable(
                        p.get("text")
                            .and_then(Json::as_str)
                            .unwrap_or("")
                            .to_string(),
                    )),
                    Some("not_found") => Some(Problem::NotFound),
                    _ => None,
                };
            }
        }
    }
    x.collectifs = j
        .get("collectifs")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(collectif_from_json).collect());
    x.totaux = j
        .get("totaux")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(total_from_json).collect())
        .unwrap_or_default();
    Some(x)
}

fn text(j: &Json, key: &str) -> String {
    j.get(key).and_then(Json::as_str).unwrap_or("").to_string()
}

fn count(j: &Json, key: &str) -> u32 {
    j.get(key).and_then(Json::as_u64).unwrap_or(0) as u32
}

fn collectif_from_json(j: &Json) -> Option<Collectif> {
    let seances = j
        .get("seances")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| {
                    Some(Seance {
                        date: s
                            .get("date")
                            .and_then(Json::as_str)
                            .and_then(parse_iso_date)?,
                        duree_h: s.get("duree_h").and_then(Json::as_f64),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let enfants = j
        .get("enfants")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .map(|e| Enfant {
                    nom: text(e, "nom"),
                    prenom: text(e, "prenom"),
                    niveau: text(e, "niveau"),
                    etablissement: text(e, "etablissement"),
                    present: count(e, "present"),
                    absent: count(e, "absent"),
                    excuse: count(e, "excuse"),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Collectif {
        nom: j.get("nom")?.as_str()?.to_string(),
        seances,
        enfants,
        avertissements: j
            .get("avertissements")
            .and_then(|a| a.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|w| w.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn parse_iso_date(s: &str) -> Option<Date> {
    let mut it = s.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Date::new(y, m, d)
}

fn total_from_json(j: &Json) -> Option<LevelTotal> {
    let values = j
        .get("values")?
        .as_array()?
        .iter()
        .filter_map(|pair| {
            let pair = pair.as_array()?;
            Some((pair.first()?.as_str()?.to_string(), pair.get(1)?.as_i64()))
        })
        .collect();
    Some(LevelTotal {
        niveau: j.get("niveau")?.as_str()?.to_string(),
        values,
        place: j.get("place").map(place_from_json).unwrap_or_default(),
    })
}

fn place_from_json(j: &Json) -> Place {
    let n = |v: &Json, k: &str| v.get(k).and_then(Json::as_u64).unwrap_or(0) as usize;
    if let Some(p) = j.get("Paragraph").and_then(Json::as_u64) {
        return Place::Paragraph(p as usize);
    }
    if let Some(c) = j.get("Cell") {
        return Place::Cell {
            table: n(c, "table"),
            row: n(c, "row"),
            col: n(c, "col"),
        };
    }
    if let Some(l) = j.get("Line") {
        return Place::Line {
            page: n(l, "page"),
            line: n(l, "line"),
        };
    }
    Place::Body
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

    #[test]
    fn extractions_round_trip_with_problems_and_collectifs() {
        let mut fields = Map::new();
        fields.insert("porteur.nom".into(), json!("Centre social"));
        fields.insert("enfants.total".into(), json!(24));
        let mut x = Extraction::from_json(FormKind::Bilan, "m", &fields);
        x.fields
            .iter_mut()
            .find(|f| f.id == "enfants.elementaire")
            .unwrap()
            .problem = Some(Problem::Unreadable("une quinzaine".into()));
        x.collectifs = Some(vec![Collectif {
            nom: "CP".into(),
            seances: vec![Seance {
                date: Date::new(2025, 11, 14).unwrap(),
                duree_h: Some(1.5),
            }],
            enfants: vec![Enfant {
                nom: "Martin".into(),
                prenom: "Léa".into(),
                niveau: "CP".into(),
                etablissement: "École Jaurès".into(),
                present: 3,
                absent: 1,
                excuse: 0,
            }],
            avertissements: vec!["CP!F9 : marque illisible « ? » : non comptée".into()],
        }]);
        x.totaux = vec![LevelTotal {
            niveau: "college".into(),
            values: vec![("etude".into(), Some(3)), ("clas_qpv".into(), None)],
            place: Place::Cell {
                table: 2,
                row: 5,
                col: 1,
            },
        }];
        let back = extraction_from_json(&extraction_to_json(&x)).unwrap();
        assert_eq!(back.fields_json(), x.fields_json());
        assert_eq!(back.collectifs, x.collectifs);
        assert_eq!(back.totaux, x.totaux);
        let problems = |e: &Extraction| -> Vec<_> {
            e.fields
                .iter()
                .map(|f| (f.id.clone(), f.problem.clone()))
                .collect()
        };
        assert_eq!(problems(&back), problems(&x));
    }
}
