//! The letters (relances) written to porteurs: when each action was written to and by when
//! a reply is expected, for the synthesis's Suivi sheet.

use std::collections::HashMap;

use rusqlite::params;

use super::{Store, StoreError};
use crate::values::Date;

/// The last letter written about an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetterSent {
    pub sent_on: Date,
    pub reply_by: Option<Date>,
}

impl Store {
    /// Records that a letter about `action_id` was written on `date`, asking for a reply by
    /// `reply_by`.
    pub(crate) fn letter_sent(
        &self,
        action_id: i64,
        date: Date,
        reply_by: Option<Date>,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO letters (action_id, sent_on, reply_by) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![
                action_id,
                date.to_string(),
                reply_by.map(|d| d.to_string())
            ])?;
        Ok(())
    }

    /// The last letter written about each action, by action id.
    pub(crate) fn letters_sent(&self) -> Result<HashMap<i64, LetterSent>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT action_id, sent_on, reply_by FROM letters ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (action, sent, reply) = row?;
            let Some(sent_on) = crate::values::parse_date(&sent) else {
                continue;
            };
            out.insert(
                action,
                LetterSent {
                    sent_on,
                    reply_by: reply.as_deref().and_then(crate::values::parse_date),
                },
            );
        }
        Ok(out)
    }

    /// The school years of the documents in force (bilans, attendance workbooks, notes),
    /// oldest first.
    pub(crate) fn school_years(&self) -> Result<Vec<i32>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT school_year FROM documents \
             WHERE state = 'done' AND current = 1 AND school_year IS NOT NULL \
             ORDER BY school_year",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
