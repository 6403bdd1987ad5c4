//! The rules of docs/rules.md: extractions in, findings out. One file per family of rules;
//! this one holds what they share (the context, the reading of values, the sorted output).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

mod answers;
mod attendance;
mod bilan;
mod contact;
mod note;

pub use contact::{is_email, is_french_phone};

use super::fr;
use super::profile::{Calendar, Profile, RulesError, load_calendar, load_profile};
use super::{Finding, Severity};
use crate::dictionary::{FieldType, FormKind};
use crate::extraction::{Extraction, Problem, Value};
use crate::values::Date;

/// Tolerance of float comparisons against thresholds (12 passes « at most 12 »).
pub(super) const EPS: f64 = 1e-9;

/// What the rules are checked against.
#[derive(Debug, Clone)]
pub struct Context {
    pub profile: Profile,
    pub calendar: Calendar,
    /// The action takes place in a rural commune (from configuration or `--rural`).
    pub rural: bool,
}

impl Context {
    /// Loads a profile and the calendar, each from `workspace_rules_dir` when it holds one.
    pub fn load(
        profile: &str,
        workspace_rules_dir: Option<&Path>,
        rural: bool,
    ) -> Result<Context, RulesError> {
        Ok(Context {
            profile: load_profile(profile, workspace_rules_dir)?,
            calendar: load_calendar(workspace_rules_dir)?,
            rural,
        })
    }
}

/// Fields whose absence is an error (docs/rules.md, `reponse.manquante`).
pub(crate) const REQUIRED: &[&str] = &[
    "porteur.nom",
    "action.numero",
    "enfants.total",
    "collectifs.nombre",
    "intervenants.total",
    "calendrier.semaines",
];

/// Checks the documents of one action (a bilan, its attendance workbook) or a note stratégique.
/// Any of them may be absent. Findings come sorted: errors, warnings, information, then by
/// rule id; within a rule, in the order of the documents.
pub fn check(
    bilan: Option<&Extraction>,
    presence: Option<&Extraction>,
    note: Option<&Extraction>,
    ctx: &Context,
) -> Vec<Finding> {
    let mut out = Out::default();
    if let Some(b) = bilan {
        answers::answers(b, "", &mut out);
        bilan::bilan_rules(b, ctx, &mut out);
        contact::contact(b, "referent.email", "referent.telephone", "", &mut out);
    }
    if let Some(p) = presence {
        answers::answers(p, "Cahier de présence : ", &mut out);
        attendance::attendance_rules(p, bilan, ctx, &mut out);
    }
    if let Some(n) = note {
        answers::answers(n, "Note stratégique : ", &mut out);
        note::note_totals(n, &mut out);
        contact::contact(
            n,
            "coordonnateur.email",
            "coordonnateur.telephone",
            "Note stratégique : ",
            &mut out,
        );
    }
    let mut findings: Vec<Finding> = Vec::new();
    for f in out.findings {
        if ctx.profile.enabled(&f.rule) && !findings.contains(&f) {
            findings.push(f);
        }
    }
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(&b.rule))
    });
    findings
}

/// What the report should say besides the findings: checks that could not be made for want of
/// data (a school year missing from the calendar). Never a finding, never a guess.
pub fn notes(bilan: Option<&Extraction>, ctx: &Context) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(b) = bilan
        && let Some(year) = school_year(b)
        && ctx.calendar.toussaint_end(year).is_none()
        && ctx.profile.enabled("calendrier.periode")
    {
        notes.push(format!(
            "Calendrier scolaire : la date de reprise après les vacances de la Toussaint de \
             l'année scolaire {year}-{} n'est pas dans les données (calendrier.toml) ; la période \
             de l'action (calendrier.periode) n'a pas été vérifiée.",
            year + 1
        ));
    }
    notes
}

#[derive(Default)]
pub(super) struct Out {
    findings: Vec<Finding>,
}

impl Out {
    pub(super) fn push(
        &mut self,
        rule: &str,
        severity: Severity,
        fields: &[&str],
        message: String,
    ) {
        // Every finding's rule is in the registry with this severity (a yes/no left
        // unanswered is the one lowered to a warning): the tests of every rule check it.
        debug_assert!(
            super::registry::get(rule).is_some_and(|r| r.severity == severity
                || (rule == "reponse.manquante" && severity == Severity::Warning)),
            "rule {rule} ({severity:?}) does not match the registry"
        );
        let mut chars = message.chars();
        let message = match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => message,
        };
        self.findings.push(Finding {
            rule: rule.to_string(),
            severity,
            fields: fields.iter().map(|f| f.to_string()).collect(),
            message,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Reading values

pub(super) fn num(e: &Extraction, id: &str) -> Option<f64> {
    e.value(id).as_f64().filter(|n| n.is_finite())
}

pub(super) fn date(e: &Extraction, id: &str) -> Option<Date> {
    e.value(id).as_date()
}

pub(super) fn yes(e: &Extraction, id: &str) -> bool {
    e.value(id).as_bool() == Some(true)
}

pub(super) fn filled(e: &Extraction, id: &str) -> bool {
    match e.value(id) {
        Value::Null => false,
        Value::Text(t) => !t.trim().is_empty(),
        Value::Table(rows) => !rows.is_empty(),
        _ => true,
    }
}

pub(super) fn has_problem(e: &Extraction, id: &str) -> bool {
    e.get(id).is_some_and(|f| {
        matches!(
            f.problem,
            Some(Problem::Contradictory | Problem::Unreadable(_))
        )
    })
}

pub(super) fn label(form: FormKind, id: &str) -> String {
    crate::dictionary::field(form, id)
        .map(|f| f.label.trim().to_string())
        .unwrap_or_else(|| id.to_string())
}

pub(super) fn answer_word(e: &Extraction, id: &str) -> &'static str {
    if e.get(id)
        .is_some_and(|f| f.problem == Some(Problem::Contradictory))
    {
        return "oui et non cochés";
    }
    match e.value(id) {
        Value::Bool(true) => "oui",
        Value::Bool(false) => "non",
        _ => "sans réponse",
    }
}

pub(super) fn school_year(b: &Extraction) -> Option<i32> {
    date(b, "calendrier.debut")
        .or_else(|| date(b, "calendrier.fin"))
        .map(Date::school_year)
}
