//! The store's queries: documents as [`StoredDocument`]s, with or without their extraction
//! (parsing the JSON of every row is what a report or a log line can do without), the
//! actions, the counts; and what the inbox asks before it writes.

use std::collections::HashMap;
use std::path::PathBuf;

use rusqlite::{OptionalExtension, Row, params};

use super::{ActionRef, Counts, Origin, Status, Store, StoreError, StoredDocument};
use crate::dictionary::FormKind;
use crate::extraction::stored::extraction_from_json;

/// The extraction is the one in force: with the agents' corrections when there are any
/// ([`crate::corrections`]), as read otherwise.
const COLUMNS: &str = "d.id, d.file_name, d.hash, d.size, d.received_at, d.origin, d.source, \
     d.status, d.reason, d.duplicate_of, d.current, d.replaced_by, d.form, d.mapping, \
     d.school_year, coalesce(d.corrected, d.extraction), d.findings, d.notes, d.path, \
     d.report_path, d.report_body, d.state, a.id, a.kind, a.school_year, a.porteur, a.numero";

/// The same columns without the stored extraction: what reports and log lines need, without
/// parsing a JSON document per row.
const COLUMNS_LIGHT: &str = "d.id, d.file_name, d.hash, d.size, d.received_at, d.origin, \
     d.source, d.status, d.reason, d.duplicate_of, d.current, d.replaced_by, d.form, d.mapping, \
     d.school_year, NULL, d.findings, d.notes, d.path, d.report_path, d.report_body, d.state, \
     a.id, a.kind, a.school_year, a.porteur, a.numero";

const FROM: &str = "documents d LEFT JOIN actions a ON a.id = d.action_id";

impl Store {
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
    pub(crate) fn for_each_current_action(
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
    pub(crate) fn for_each_document_light(
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
    pub(crate) fn actions(&self) -> Result<Vec<ActionRef>, StoreError> {
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
    pub(crate) fn by_hash(&self, hash: &str) -> Result<Option<StoredDocument>, StoreError> {
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

    /// One document, with its extraction (the values in force), whether or not it is in place.
    pub(crate) fn document(&self, id: i64) -> Result<Option<StoredDocument>, StoreError> {
        Ok(self
            .query_params(
                &format!("SELECT {COLUMNS} FROM {FROM} WHERE d.id = ?1"),
                params![id],
            )?
            .pop())
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
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
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
