//! The corrections as the page shows and makes them, through [`crate::corrections`]: the
//! corrections of an action (each field's history), the journal, those to check again in the
//! queue, and a new one from the page's form — after which the reports and the synthesis are
//! written again, as `clas correct` does.
//!
//! The values in force and the findings checked on them are the store's (the corrections
//! core keeps them beside each current document): the pages read them as any reader does.

use serde_json::Value as Json;

use super::Context;
use super::model::queue::{Item, Rank};
use crate::corrections::{self, Entry, Request};
use crate::dictionary::{self, FieldType, FormKind};

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
    pub(crate) motif: String,
    pub(crate) author: String,
    /// Local time, as agents read it.
    pub(crate) at: String,
    /// « appliquée », « à revoir » or « remplacée ».
    pub(crate) status: String,
    /// In force (not waiting to be checked again, not replaced by a later one).
    pub(crate) applied: bool,
}

/// Whether this build can record corrections (the page shows the edit forms then).
pub(crate) const AVAILABLE: bool = true;

fn view(e: &Entry) -> CorrectionView {
    let form = FormKind::from_id(&e.form);
    let def = form.and_then(|f| dictionary::field(f, &e.field));
    let kind = def.map_or(FieldType::Text, |d| d.kind);
    CorrectionView {
        action_id: e.action_id,
        porteur: e.porteur.clone(),
        numero: e.action.clone(),
        annee: e.annee.clone(),
        field: e.field.clone(),
        field_label: def.map_or_else(|| e.field.clone(), |d| d.label.clone()),
        before: json_text(&e.before, kind),
        after: json_text(&e.after, kind),
        motif: e.motif.clone(),
        author: e.author.clone(),
        at: chrono::DateTime::parse_from_rfc3339(&e.at)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%d/%m/%Y à %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| e.at.clone()),
        applied: e.status == "appliquée",
        status: e.status.clone(),
    }
}

/// A value of the journal (typed as `extract --json`) as agents read it.
fn json_text(v: &Json, kind: FieldType) -> String {
    match v {
        Json::Null => "(sans réponse)".into(),
        Json::Bool(b) => match (kind, b) {
            (FieldType::Check, true) => "coché".into(),
            (FieldType::Check, false) => "non coché".into(),
            (_, true) => "oui".into(),
            (_, false) => "non".into(),
        },
        Json::Number(n) => crate::values::format_number(n.as_f64().unwrap_or(0.0)),
        Json::String(s) if kind == FieldType::Date => {
            crate::values::parse_date(s).map_or_else(|| s.clone(), |d| d.french())
        }
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The corrections of one action, oldest first.
pub(crate) fn of_action(ctx: &Context, action_id: i64) -> Vec<CorrectionView> {
    corrections::journal_of(&ctx.store, action_id)
        .map(|j| j.iter().map(view).collect())
        .unwrap_or_default()
}

/// The whole journal, oldest first.
pub(crate) fn journal(ctx: &Context) -> Result<Vec<CorrectionView>, String> {
    corrections::journal(&ctx.store)
        .map(|j| j.iter().map(view).collect())
        .map_err(|e| e.to_string())
}

/// Corrections marked « à revoir », as items of the queue.
pub(crate) fn to_review(ctx: &Context) -> Vec<Item> {
    journal(ctx)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.status == "à revoir")
        .map(|c| Item {
            rank: Rank::Correction,
            porteur: c.porteur.clone(),
            numero: c.numero.clone(),
            action_id: Some(c.action_id),
            document_id: 0,
            file_name: String::new(),
            field: Some((c.field.clone(), c.field_label.clone())),
            title: "Correction à revoir".into(),
            message: format!(
                "une nouvelle version du document dit autre chose que celle corrigée le {} ({} : « {} » → « {} », motif : {}) ; la correction n'est plus appliquée",
                c.at, c.author, c.before, c.after, c.motif
            ),
        })
        .collect()
}

/// A correction from the page: `Ok` with the line to show, `Err` with why it was refused.
/// The reports and the synthesis are written again at once (the synthesis only if there is
/// one already), as `clas correct` does.
pub(crate) fn apply(
    ctx: &Context,
    action_id: i64,
    field: &str,
    value: &str,
    motif: &str,
) -> Result<String, String> {
    let req = Request {
        action_id,
        field: field.to_string(),
        value: value.to_string(),
        motif: motif.to_string(),
        author: corrections::default_author(&ctx.config),
    };
    let done = corrections::correct(&ctx.config, &ctx.store, &req).map_err(|e| e.to_string())?;
    after_change(ctx);
    Ok(format!(
        "{} : {} → {}",
        done.field,
        json_text(&done.before, FieldType::Text),
        json_text(&done.after, FieldType::Text)
    ))
}

/// The reports written again (when no other clas holds the workspace: the watcher then does
/// it at its next batch), and the synthesis.
fn after_change(ctx: &Context) {
    if let Ok(mut inbox) = crate::inbox::Inbox::open(&ctx.config)
        && matches!(inbox.try_lock(), Ok(true))
    {
        let _ = inbox.reconcile();
    }
    if ctx.config.sorties_dir().join("synthese.xlsx").exists() {
        let _ = crate::inbox::rebuild_outputs(&ctx.config, &ctx.store);
    }
}

/// A correction of a document that belongs to no action (porteur or number not read): it gets
/// an action of its own first. `Ok` with that action.
pub(crate) fn apply_document(
    ctx: &Context,
    document_id: i64,
    field: &str,
    value: &str,
    motif: &str,
) -> Result<i64, String> {
    let action =
        corrections::action_of_document(&ctx.store, document_id).map_err(|e| e.to_string())?;
    apply(ctx, action, field, value, motif)?;
    Ok(action)
}

/// A manual record for a refused document: `Ok` with its action.
pub(crate) fn manual(
    ctx: &Context,
    document_id: i64,
    form: FormKind,
    values: Vec<(String, String)>,
    motif: &str,
) -> Result<i64, String> {
    let req = corrections::ManualRequest {
        document_id,
        form,
        values,
        motif: motif.to_string(),
        author: corrections::default_author(&ctx.config),
    };
    let done =
        corrections::manual_entry(&ctx.config, &ctx.store, &req).map_err(|e| e.to_string())?;
    after_change(ctx);
    Ok(done.action_id)
}
