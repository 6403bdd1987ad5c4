//! How a document is checked on arrival: with the current document of the other form of its
//! action, in the rules' context of its place, and which action and school year it belongs to.
//! Kept together, as one block, because a shared check service is to replace it whole.

use crate::dictionary::FormKind;
use crate::extraction::Extraction;
use crate::findings::{self, Finding, rules::Context};

use super::Inbox;

impl Inbox {
    /// Checks a document with the current document of the other form of its action: its own
    /// findings, and those of the other.
    pub(super) fn check(
        &self,
        x: &Extraction,
        other: Option<&Extraction>,
    ) -> (Vec<Finding>, Vec<Finding>) {
        let (bilan, presence) = match x.form {
            FormKind::Bilan => (Some(x), other.filter(|o| o.form == FormKind::Presence)),
            FormKind::Presence => (other.filter(|o| o.form == FormKind::Bilan), Some(x)),
            FormKind::NoteStrategique => {
                return (
                    findings::check(None, None, Some(x), self.context(x)),
                    vec![],
                );
            }
        };
        let ctx = self.context(bilan.unwrap_or(x));
        let bilan_findings = bilan.map(|b| findings::check(Some(b), presence, None, ctx));
        let presence_findings = presence.map(|p| {
            findings::check(bilan, Some(p), None, ctx)
                .into_iter()
                .filter(|f| bilan.is_none() || is_attendance_rule(&f.rule))
                .collect::<Vec<_>>()
        });
        match x.form {
            FormKind::Bilan => (
                bilan_findings.unwrap_or_default(),
                presence_findings.unwrap_or_default(),
            ),
            _ => (
                presence_findings.unwrap_or_default(),
                bilan_findings.unwrap_or_default(),
            ),
        }
    }

    /// The rules' context: rural when configured so, or when the porteur or the place of the
    /// action is in the rural lists.
    pub(super) fn context(&self, x: &Extraction) -> &Context {
        if self.config.rural
            || findings::is_rural(x, &self.config.rural_porteurs, &self.config.rural_communes)
        {
            &self.ctx_rural
        } else {
            &self.ctx
        }
    }
}

/// Rules that speak of the attendance workbook itself (as `clas validate`).
fn is_attendance_rule(rule: &str) -> bool {
    rule.starts_with("seances.")
        || rule.starts_with("presence.")
        || rule == "collectif.taille"
        || rule.starts_with("reponse.")
}

pub(super) fn partner_form(form: FormKind) -> Option<FormKind> {
    match form {
        FormKind::Bilan => Some(FormKind::Presence),
        FormKind::Presence => Some(FormKind::Bilan),
        FormKind::NoteStrategique => None,
    }
}

/// What identifies the action of a document: kind, porteur (or territory), action number.
pub(super) fn identity(x: &Extraction) -> Option<(&'static str, String, String)> {
    let text = |id: &str| {
        let v = x.value(id);
        v.as_text()
            .map(|t| t.trim().to_string())
            .or_else(|| v.as_f64().map(|n| n.to_string()))
            .filter(|t| !t.is_empty())
    };
    match x.form {
        FormKind::NoteStrategique => Some(("territoire", text("territoire.nom")?, String::new())),
        _ => Some(("action", text("porteur.nom")?, text("action.numero")?)),
    }
}

/// The school year a document is about: the start of the action (bilan), the first session
/// (attendance workbook), the meeting (note stratégique).
pub(super) fn document_year(x: &Extraction) -> Option<i32> {
    let date = |id: &str| x.value(id).as_date();
    let d = match x.form {
        FormKind::Bilan => date("calendrier.debut").or_else(|| date("calendrier.fin")),
        FormKind::NoteStrategique => date("concertation.date"),
        FormKind::Presence => x
            .collectifs
            .iter()
            .flatten()
            .flat_map(|c| c.seances.iter().map(|s| s.date))
            .min(),
    };
    d.map(|d| d.school_year())
}

/// The school year of today's date.
pub fn current_school_year() -> i32 {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    }
}
