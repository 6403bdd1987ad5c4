//! The one way an action is checked, for `clas validate`, the inbox and anything later (a
//! correction re-checks its action the same way): which rule context applies (the profile,
//! the rural exceptions from configuration), which documents are checked together (a bilan
//! with the attendance workbook of the same action), and which findings each document's own
//! report shows.

use super::registry;
use super::rules::{self, Context};
use super::{Finding, RulesError, identity};
use crate::config::Config;
use crate::dictionary::FormKind;
use crate::extraction::Extraction;

/// The rules as one workspace applies them: loaded once (profile and calendar compiled at
/// start-up, so a bad one fails before any document is read).
#[derive(Debug, Clone)]
pub struct Checker {
    ctx: Context,
    rural_ctx: Context,
    all_rural: bool,
    rural_porteurs: Vec<String>,
    rural_communes: Vec<String>,
}

/// What the check of one action says about each of its documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionFindings {
    /// The bilan's findings: every rule, the attendance ones included.
    pub bilan: Vec<Finding>,
    /// The attendance workbook's findings: all of them when it came alone, else those of the
    /// rules that concern the workbook (the others are the bilan's business).
    pub presence: Vec<Finding>,
    /// The rural exceptions applied.
    pub rural: bool,
}

impl Checker {
    /// The workspace's profile and calendar (from `regles/` when it has them) and its rural
    /// lists.
    pub fn new(config: &Config) -> Result<Checker, RulesError> {
        let ctx = Context::load(&config.profile, Some(&config.rules_dir()), config.rural)?;
        Ok(Checker::with_context(
            ctx,
            config.rural_porteurs.clone(),
            config.rural_communes.clone(),
        ))
    }

    /// A checker over a context already loaded; `ctx.rural` makes every action rural.
    pub(crate) fn with_context(
        ctx: Context,
        rural_porteurs: Vec<String>,
        rural_communes: Vec<String>,
    ) -> Checker {
        let mut rural_ctx = ctx.clone();
        rural_ctx.rural = true;
        Checker {
            all_rural: ctx.rural,
            ctx,
            rural_ctx,
            rural_porteurs,
            rural_communes,
        }
    }

    /// The profile's name, as reports say it.
    pub fn profile(&self) -> &str {
        &self.ctx.profile.name
    }

    /// Whether the rural exceptions apply to the action of this document: every action when
    /// configured so, else when its porteur or its place is in the rural lists.
    pub fn is_rural(&self, x: &Extraction) -> bool {
        self.all_rural || identity::is_rural(x, &self.rural_porteurs, &self.rural_communes)
    }

    fn context(&self, x: &Extraction) -> &Context {
        if self.is_rural(x) {
            &self.rural_ctx
        } else {
            &self.ctx
        }
    }

    /// Checks the documents of one action together. The rural decision is the bilan's, or
    /// the workbook's when it came alone.
    pub(crate) fn check_action(
        &self,
        bilan: Option<&Extraction>,
        presence: Option<&Extraction>,
    ) -> ActionFindings {
        let Some(first) = bilan.or(presence) else {
            return ActionFindings::default();
        };
        let ctx = self.context(first);
        let bilan_findings = bilan
            .map(|b| rules::check(Some(b), presence, None, ctx))
            .unwrap_or_default();
        let presence_findings = presence
            .map(|p| {
                rules::check(bilan, Some(p), None, ctx)
                    .into_iter()
                    .filter(|f| bilan.is_none() || concerns_attendance(&f.rule))
                    .collect()
            })
            .unwrap_or_default();
        ActionFindings {
            bilan: bilan_findings,
            presence: presence_findings,
            rural: ctx.rural,
        }
    }

    /// Checks a note stratégique (a territory's, not an action's).
    pub(crate) fn check_note(&self, note: &Extraction) -> Vec<Finding> {
        rules::check(None, None, Some(note), self.context(note))
    }

    /// Checks one document with the other document of its action if known (a bilan's
    /// workbook, a workbook's bilan): its own findings, then the other's.
    pub(crate) fn check_document(
        &self,
        x: &Extraction,
        other: Option<&Extraction>,
    ) -> (Vec<Finding>, Vec<Finding>) {
        match x.form {
            FormKind::NoteStrategique => (self.check_note(x), Vec::new()),
            FormKind::Bilan => {
                let a = self.check_action(Some(x), other.filter(|o| o.form == FormKind::Presence));
                (a.bilan, a.presence)
            }
            FormKind::Presence => {
                let a = self.check_action(other.filter(|o| o.form == FormKind::Bilan), Some(x));
                (a.presence, a.bilan)
            }
        }
    }

    /// Checks documents given together (`clas validate a.docx a.xlsx …`): each one with the
    /// document of the other form of the same action among them, if any. The findings of
    /// each, in the documents' order.
    pub fn check_together(&self, docs: &[&Extraction]) -> Vec<Vec<Finding>> {
        let partner = |x: &Extraction, form: FormKind| {
            docs.iter()
                .copied()
                .find(|o| o.form == form && identity::same_action(x, o))
        };
        docs.iter()
            .map(|x| {
                let other = match x.form {
                    FormKind::Bilan => partner(x, FormKind::Presence),
                    FormKind::Presence => partner(x, FormKind::Bilan),
                    FormKind::NoteStrategique => None,
                };
                self.check_document(x, other).0
            })
            .collect()
    }

    /// What a report says besides the findings (checks that could not be made).
    pub fn notes(&self, x: &Extraction) -> Vec<String> {
        match x.form {
            FormKind::Bilan => rules::notes(Some(x), self.context(x)),
            _ => Vec::new(),
        }
    }
}

/// Whether a rule's findings are also shown on the attendance workbook's report (an unknown
/// id, which no rule emits, is not).
fn concerns_attendance(rule: &str) -> bool {
    registry::get(rule).is_some_and(registry::Rule::concerns_attendance)
}
