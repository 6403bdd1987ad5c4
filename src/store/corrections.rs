//! The corrections journal's rows and the values in force kept beside each document: the
//! store's side of [`crate::corrections`] (which decides what they mean).

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, StoreError};
use crate::findings::Finding;

/// One row of the corrections journal, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectionRow {
    pub id: i64,
    pub action_id: i64,
    pub porteur: String,
    pub numero: String,
    pub school_year: i32,
    pub document_id: i64,
    pub document_hash: String,
    /// The form's id (`bilan`, `presence`, `note-strategique`).
    pub form: String,
    pub field: String,
    /// What the document said of the field when the correction was made (see
    /// `corrections::apply::read_key`).
    pub read_key: String,
    /// Typed JSON text.
    pub before: String,
    pub after: String,
    pub motif: String,
    pub author: String,
    pub at: String,
    /// `applied`, `review` or `replaced`.
    pub status: String,
    pub review_document_id: Option<i64>,
}

const COLUMNS: &str = "id, action_id, porteur, numero, school_year, document_id, document_hash, \
     form, field, read_key, before, after, motif, author, at, status, review_document_id";

impl Store {
    /// Appends a correction (its `id` is ignored); returns its id.
    pub(crate) fn insert_correction(&self, c: &CorrectionRow) -> Result<i64, StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO corrections (action_id, porteur, numero, school_year, document_id, \
                 document_hash, form, field, read_key, before, after, motif, author, at, status, \
                 review_document_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![
                c.action_id,
                c.porteur,
                c.numero,
                c.school_year,
                c.document_id,
                c.document_hash,
                c.form,
                c.field,
                c.read_key,
                c.before,
                c.after,
                c.motif,
                c.author,
                c.at,
                c.status,
                c.review_document_id,
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The journal, oldest first: every correction, or those of one action.
    pub(crate) fn correction_rows(
        &self,
        action_id: Option<i64>,
    ) -> Result<Vec<CorrectionRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM corrections WHERE ?1 IS NULL OR action_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![action_id], correction_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Changes the status of a correction (the journal's one mutable column).
    pub(crate) fn set_correction_status(
        &self,
        id: i64,
        status: &str,
        review_document_id: Option<i64>,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE corrections SET status = ?2, review_document_id = ?3 WHERE id = ?1",
            )?
            .execute(params![id, status, review_document_id])?;
        Ok(())
    }

    /// The extraction of a document as read from its file (JSON text), without corrections;
    /// `None` for a document not read (refused).
    pub(crate) fn read_extraction_json(&self, id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT extraction FROM documents WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// Whether a document's values were typed by an agent (manual entry).
    pub(crate) fn is_manual(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT manual FROM documents WHERE id = ?1")?
            .query_row([id], |r| r.get::<_, i64>(0))
            .optional()?
            .unwrap_or(0)
            != 0)
    }

    /// Keeps the values in force of a document (`None`: as read) and its findings checked on
    /// them; its report is to be written again.
    pub(crate) fn set_in_force(
        &self,
        id: i64,
        corrected: Option<&str>,
        findings: &[Finding],
        notes: &[String],
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE documents SET corrected = ?2, findings = ?3, notes = ?4, \
                 report_dirty = 1 WHERE id = ?1",
            )?
            .execute(params![
                id,
                corrected,
                serde_json::to_string(findings).unwrap_or_else(|_| "[]".into()),
                serde_json::to_string(notes).unwrap_or_else(|_| "[]".into()),
            ])?;
        Ok(())
    }

    /// Gives a refused document the values an agent typed: it becomes an archived document of
    /// its action (the current version of its form), its file staying where it lies. Returns
    /// the action's id. Call it within [`Store::in_transaction`].
    pub(crate) fn attach_manual_record(
        &self,
        id: i64,
        form: &str,
        school_year: i32,
        action: Result<i64, (&str, &str, &str)>,
        corrected: &str,
    ) -> Result<i64, StoreError> {
        let tx = &self.conn;
        let action_id = match action {
            Ok(a) => a,
            Err((kind, porteur, numero)) => {
                tx.prepare_cached(
                    "INSERT INTO actions (kind, school_year, porteur, numero) \
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![kind, school_year, porteur, numero])?;
                tx.last_insert_rowid()
            }
        };
        tx.prepare_cached(
            "UPDATE documents SET current = 0, replaced_by = ?1, report_dirty = 1 \
             WHERE action_id = ?2 AND form = ?3 AND current = 1",
        )?
        .execute(params![id, action_id, form])?;
        tx.prepare_cached(
            "UPDATE documents SET status = 'archived', manual = 1, form = ?2, mapping = ?3, \
             school_year = ?4, action_id = ?5, corrected = ?6, current = 1, report_dirty = 1, \
             report_body = '' \
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            form,
            crate::corrections::MANUAL_MAPPING,
            school_year,
            action_id,
            corrected
        ])?;
        Ok(action_id)
    }

    /// Gives a document read without an identity (no porteur or no action number) an action of
    /// its own, so that it can be corrected; returns its id.
    pub(crate) fn create_action_for(
        &self,
        doc_id: i64,
        kind: &str,
        school_year: i32,
        porteur: &str,
        numero: &str,
    ) -> Result<i64, StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO actions (kind, school_year, porteur, numero) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![kind, school_year, porteur, numero])?;
        let id = self.conn.last_insert_rowid();
        self.conn
            .prepare_cached("UPDATE documents SET action_id = ?2 WHERE id = ?1")?
            .execute(params![doc_id, id])?;
        Ok(id)
    }

    /// The identity of an action made for a document without one, once corrected: its porteur
    /// and number as the corrections say, so that the next versions find it.
    pub(crate) fn set_action_identity(
        &self,
        action_id: i64,
        porteur: &str,
        numero: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE actions SET porteur = ?2, numero = ?3 WHERE id = ?1")?
            .execute(params![action_id, porteur, numero])?;
        Ok(())
    }

    /// Moves the documents and corrections of an action to another (the same action, once an
    /// identity was corrected), and forgets the first.
    pub(crate) fn merge_action(&self, from: i64, into: i64) -> Result<(), StoreError> {
        for sql in [
            "UPDATE documents SET action_id = ?2 WHERE action_id = ?1",
            "UPDATE corrections SET action_id = ?2 WHERE action_id = ?1",
            "DELETE FROM actions WHERE id = ?1 AND ?2 IS NOT NULL",
        ] {
            self.conn
                .prepare_cached(sql)?
                .execute(params![from, into])?;
        }
        Ok(())
    }

    /// Runs `f` in one transaction (its own, or a savepoint of the inbox's batch).
    pub(crate) fn in_transaction<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.conn.execute_batch("SAVEPOINT corrections")?;
        match f(self) {
            Ok(t) => {
                self.conn.execute_batch("RELEASE corrections")?;
                Ok(t)
            }
            Err(e) => {
                let _ = self
                    .conn
                    .execute_batch("ROLLBACK TO corrections; RELEASE corrections");
                Err(e)
            }
        }
    }
}

fn correction_row(r: &Row) -> rusqlite::Result<CorrectionRow> {
    Ok(CorrectionRow {
        id: r.get(0)?,
        action_id: r.get(1)?,
        porteur: r.get(2)?,
        numero: r.get(3)?,
        school_year: r.get(4)?,
        document_id: r.get(5)?,
        document_hash: r.get(6)?,
        form: r.get(7)?,
        field: r.get(8)?,
        read_key: r.get(9)?,
        before: r.get(10)?,
        after: r.get(11)?,
        motif: r.get(12)?,
        author: r.get(13)?,
        at: r.get(14)?,
        status: r.get(15)?,
        review_document_id: r.get(16)?,
    })
}
