//! The database's tables and their migrations: the schema is versioned with
//! `PRAGMA user_version`, and a store is brought forward when opened, so that a workspace
//! made by an older clas keeps working; one made by a newer clas is refused rather than
//! misread.

use rusqlite::TransactionBehavior;

use super::{Store, StoreError};

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
    // 2: the agents' corrections (append-only journal) and the values in force.
    r#"
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        action_id INTEGER NOT NULL REFERENCES actions(id),
        -- the action as the agent saw it: porteur, action number, school year (first year)
        porteur TEXT NOT NULL,
        numero TEXT NOT NULL,
        school_year INTEGER NOT NULL,
        -- the document it was made against, and its content hash
        document_id INTEGER NOT NULL REFERENCES documents(id),
        document_hash TEXT NOT NULL,
        form TEXT NOT NULL,
        field TEXT NOT NULL,
        -- what that document said of the field (value, or what could not be read): a new
        -- version saying something else puts the correction to review
        read_key TEXT NOT NULL,
        -- typed JSON, as `extract --json`: the value in force then, and the one set
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        motif TEXT NOT NULL,
        author TEXT NOT NULL,
        -- RFC 3339 with the local offset
        at TEXT NOT NULL,
        -- the one column that changes: 'applied', 'review' (a newer version changed the value
        -- read), 'replaced' (a later correction of the field settled the review)
        status TEXT NOT NULL CHECK (status IN ('applied', 'review', 'replaced')),
        -- the document whose arrival put it to review
        review_document_id INTEGER REFERENCES documents(id)
    );
    CREATE INDEX corrections_action ON corrections(action_id);
    -- the extraction with the corrections in force (NULL: none), what every reader sees
    ALTER TABLE documents ADD COLUMN corrected TEXT;
    -- 1: a document clas could not read, whose values an agent typed (manual entry)
    ALTER TABLE documents ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;
    "#,
    // 3: the letters (relances) written for each action, for the synthesis's Suivi sheet.
    r#"
    CREATE TABLE letters (
        id INTEGER PRIMARY KEY,
        action_id INTEGER NOT NULL REFERENCES actions(id),
        -- ISO dates: when the letter was written, and the reply it asks for
        sent_on TEXT NOT NULL,
        reply_by TEXT
    );
    CREATE INDEX letters_action ON letters(action_id);
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

impl Store {
    pub(super) fn migrate(&mut self) -> Result<(), StoreError> {
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
    #[cfg(test)]
    pub(crate) fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_of_the_first_schema_is_brought_forward_with_its_documents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clas.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute_batch(
                "INSERT INTO documents (hash, file_name, source, origin, size, received_at, \
                 state, status, path, report_path, current) VALUES ('h', 'a.docx', 'a.docx', \
                 'ingest', 1, '2026-01-01T00:00:00Z', 'done', 'archived', 'archives/a.docx', \
                 'archives/a.docx.rapport.txt', 1)",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let docs = store.documents().unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].file_name, "a.docx");
        assert!(!store.is_manual(docs[0].id).unwrap());
        assert!(store.correction_rows(None).unwrap().is_empty());
    }
}
