//! The inbox's writes. A document is first recorded as an intent (`pending`), then its file
//! is moved, then it is marked done, each step in its own committed transaction (or savepoint
//! of a batch), so that a crash at any point leaves a store the next run can finish: see
//! [`crate::inbox`].

use rusqlite::{Connection, OptionalExtension, params};

use super::{Origin, Status, Store, StoreError};
use crate::dictionary::FormKind;
use crate::findings::Finding;

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
    /// The extraction as JSON text ([`extraction_to_json`](crate::extraction::stored::extraction_to_json)).
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

impl Store {
    /// Starts a transaction that the inbox's writes join until [`Store::commit`]: one commit
    /// (one sync of the journal) for a whole batch of files. A transaction left open by an
    /// interrupted batch is rolled back first.
    pub(crate) fn begin(&mut self) -> Result<(), StoreError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| StoreError::classify(&self.path, e))
    }

    /// Gives up the transaction in progress, if any (SQLite may already have rolled it back
    /// itself, after a full disk).
    pub(crate) fn rollback(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
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

    pub(crate) fn report_written(&self, id: i64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE documents SET report_dirty = 0 WHERE id = ?1")?
            .execute([id])?;
        Ok(())
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

impl Store {
    /// Forgets a refused document whose file the watcher takes back from `rejets/` to read it
    /// again (it changed after its refusal). Only a refused document in its place, that no
    /// correction or manual entry refers to; false if it is not one.
    pub(crate) fn forget_refused(&mut self, id: i64) -> Result<bool, StoreError> {
        let n = self
            .conn
            .prepare_cached(
                "DELETE FROM documents WHERE id = ?1 AND status = 'rejected' AND state = 'done' \
                 AND manual = 0 AND NOT EXISTS (SELECT 1 FROM corrections \
                 WHERE document_id = ?1 OR review_document_id = ?1)",
            )?
            .execute([id])
            .map_err(|e| StoreError::classify(&self.path, e))?;
        Ok(n == 1)
    }
}

/// A statement run through the connection's cache of prepared statements.
fn exec(c: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<usize> {
    c.prepare_cached(sql)?.execute(params)
}
