//! The corrections as the page shows and makes them, through [`crate::corrections`]: the
//! corrections of an action (the value in force), the journal, those to check again, and a new
//! one from the page's form.

use super::Context;
use super::model::queue;

/// One correction, as the page shows it.
#[derive(Debug, Clone)]
pub(crate) struct CorrectionView {
    pub(crate) action_id: i64,
    pub(crate) porteur: String,
    pub(crate) numero: String,
    pub(crate) annee: String,
    pub(crate) field: String,
    pub(crate) field_label: String,
    pub(crate) before: String,
    pub(crate) after: String,
    /// The value after, as typed back in the edit box.
    pub(crate) after_input: String,
    pub(crate) motif: String,
    pub(crate) author: String,
    /// Local time, as agents read it.
    pub(crate) at: String,
    /// « appliquée » or « à revoir ».
    pub(crate) status: String,
    /// In force (not waiting to be checked again).
    pub(crate) applied: bool,
}

/// Whether this build can record corrections (the page shows the edit forms then).
pub(crate) const AVAILABLE: bool = false;

/// The corrections of one action, oldest first.
pub(crate) fn of_action(_ctx: &Context, _action_id: i64) -> Vec<CorrectionView> {
    Vec::new()
}

/// The whole journal, oldest first.
pub(crate) fn journal(_ctx: &Context) -> Result<Vec<CorrectionView>, String> {
    Ok(Vec::new())
}

/// Corrections marked « à revoir », as items of the queue.
pub(crate) fn to_review(_ctx: &Context) -> Vec<queue::Item> {
    Vec::new()
}

/// A correction from the page: `Ok` with the line to show, `Err` with why it was refused.
pub(crate) fn apply(
    _ctx: &Context,
    _action_id: i64,
    _field: &str,
    _value: &str,
    _motif: &str,
) -> Result<String, String> {
    Err("les corrections ne sont pas encore disponibles dans cette version de clas".into())
}
