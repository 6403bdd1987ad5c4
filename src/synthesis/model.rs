//! What the sheets are made of: each action with its conformity, its findings worst first
//! and the figures every sheet asks of it, in the order of the workbook (porteur, then action
//! number); and the rules that make the columns of the Conformité sheet. Computed once, read
//! by every sheet.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::attendance::{Figures, Redactor};
use super::compact::{Bilan, CollectifFigures};
use super::{Action, Input};
use crate::dictionary::{self, FormKind};
use crate::extraction::{Extraction, Value};
use crate::findings::registry;
use crate::findings::{Finding, Severity};
use crate::text::fold;

/// An action's conformity, from its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Conformity {
    Conforme,
    AVerifier,
    NonConforme,
}

impl Conformity {
    /// « non conforme » with any error, « à vérifier » with any warning, else « conforme »
    /// (information findings do not count).
    pub(crate) fn of<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Conformity {
        match findings.into_iter().map(|f| f.severity).max() {
            Some(Severity::Error) => Conformity::NonConforme,
            Some(Severity::Warning) => Conformity::AVerifier,
            _ => Conformity::Conforme,
        }
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            Conformity::Conforme => "conforme",
            Conformity::AVerifier => "à vérifier",
            Conformity::NonConforme => "non conforme",
        }
    }
    pub(crate) const ALL: [Conformity; 3] = [
        Conformity::Conforme,
        Conformity::AVerifier,
        Conformity::NonConforme,
    ];
}

/// One action, with what every sheet needs of it.
pub(super) struct Act<'a> {
    pub(super) a: &'a Action,
    pub(super) conformity: Conformity,
    pub(super) errors: usize,
    pub(super) warnings: usize,
    /// Findings, worst first, in their order otherwise.
    pub(super) findings: Vec<&'a Finding>,
}

/// No attendance workbook: no collectif, nothing to mask.
static NO_REDACTOR: OnceLock<Redactor> = OnceLock::new();

impl<'a> Act<'a> {
    pub(super) fn new(a: &'a Action) -> Act<'a> {
        let mut findings: Vec<&Finding> = a.findings.iter().map(|f| &**f).collect();
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        Act {
            a,
            conformity: Conformity::of(findings.iter().copied()),
            errors: count(&findings, Severity::Error),
            warnings: count(&findings, Severity::Warning),
            findings,
        }
    }

    /// The attendance workbook, summed over its collectifs.
    pub(super) fn attendance(&self) -> Option<&'a Figures> {
        self.a.presence.as_ref().and_then(|p| p.total.as_ref())
    }

    /// Each collectif: its name (masked) and figures.
    pub(super) fn collectifs(&self) -> &'a [CollectifFigures] {
        self.a
            .presence
            .as_ref()
            .map(|p| p.collectifs.as_slice())
            .unwrap_or_default()
    }

    pub(super) fn redactor(&self) -> &'a Redactor {
        match &self.a.presence {
            Some(p) => &p.redactor,
            None => NO_REDACTOR.get_or_init(|| Redactor::new(None)),
        }
    }

    pub(super) fn porteur(&self) -> &'a str {
        bilan_text(&self.a.bilan, "porteur.nom")
            .or_else(|| self.a.presence.as_ref().and_then(|p| p.porteur.as_deref()))
            .unwrap_or("")
    }

    pub(super) fn numero(&self) -> &'a str {
        bilan_text(&self.a.bilan, "action.numero")
            .or_else(|| self.a.presence.as_ref().and_then(|p| p.numero.as_deref()))
            .unwrap_or("")
    }

    pub(super) fn num(&self, id: &str) -> Option<f64> {
        self.a.bilan.number(id).filter(|x| x.is_finite())
    }

    pub(super) fn per_collectif(&self) -> Option<f64> {
        match (self.num("enfants.total"), self.num("collectifs.nombre")) {
            (Some(e), Some(c)) if c > 0.0 => Some(e / c),
            _ => None,
        }
    }

    pub(super) fn version(&self) -> &str {
        if self.a.form_version.trim().is_empty() {
            &self.a.bilan.mapping
        } else {
            &self.a.form_version
        }
    }

    /// Never empty: the Réponses and Synthèse sheets count actions on this column.
    pub(super) fn file(&self) -> &str {
        if self.a.source_file.trim().is_empty() {
            "(fichier inconnu)"
        } else {
            &self.a.source_file
        }
    }
}

fn count(findings: &[&Finding], s: Severity) -> usize {
    findings.iter().filter(|f| f.severity == s).count()
}

fn bilan_text<'x>(b: &'x Bilan, id: &str) -> Option<&'x str> {
    b.text(id).filter(|t| !t.trim().is_empty())
}

pub(super) fn text_of<'x>(x: &'x Extraction, id: &str) -> Option<&'x str> {
    value(x, id).as_text().filter(|t| !t.trim().is_empty())
}

/// A field's value, straight at its dictionary position when the extraction holds its fields
/// in dictionary order (as it does), by search otherwise. The synthesis asks for a few hundred
/// thousand values: a search each time was a tenth of its time.
pub(super) fn value<'x>(x: &'x Extraction, id: &str) -> &'x Value {
    static POSITIONS: OnceLock<[HashMap<&'static str, usize>; 3]> = OnceLock::new();
    let positions = POSITIONS.get_or_init(|| {
        [
            FormKind::Bilan,
            FormKind::NoteStrategique,
            FormKind::Presence,
        ]
        .map(|k| {
            dictionary::fields(k)
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id.as_str(), i))
                .collect()
        })
    });
    let form = match x.form {
        FormKind::Bilan => 0,
        FormKind::NoteStrategique => 1,
        FormKind::Presence => 2,
    };
    match positions[form].get(id).and_then(|&i| x.fields.get(i)) {
        Some(f) if f.id == id => &f.value,
        _ => x.value(id),
    }
}

/// Sort key: porteur (without case or accents), then action number as a number when it is
/// one, then file.
fn sort_key(a: &Act) -> (String, u64, String, String) {
    let numero = a.numero().trim();
    let n = numero
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(u64::MAX);
    (
        fold(a.porteur().trim()),
        n,
        fold(numero),
        a.a.source_file.clone(),
    )
}

pub(super) struct Ctx<'a> {
    pub(super) input: &'a Input,
    pub(super) acts: Vec<Act<'a>>,
    /// Rule ids of the Conformité columns.
    pub(super) rules: Vec<String>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(input: &'a Input) -> Ctx<'a> {
        let mut acts: Vec<Act> = input.actions.iter().map(Act::new).collect();
        acts.sort_by_cached_key(sort_key);
        // The Conformité sheet's columns: the registry's rules about actions, in its order (a
        // rule id it lacks is added after them).
        let mut rules: Vec<String> = registry::RULES
            .iter()
            .filter(|r| r.concerns_action())
            .map(|r| r.id.to_string())
            .collect();
        let extra: std::collections::BTreeSet<&str> = acts
            .iter()
            .flat_map(|a| a.a.findings.iter().map(|f| f.rule.as_str()))
            .filter(|r| !rules.iter().any(|id| id == r))
            .collect();
        rules.extend(extra.into_iter().map(String::from));
        Ctx { input, acts, rules }
    }

    pub(super) fn sum(&self, id: &str) -> f64 {
        self.acts.iter().filter_map(|a| a.num(id)).sum()
    }

    pub(super) fn values(&self, id: &str) -> Vec<f64> {
        self.acts.iter().filter_map(|a| a.num(id)).collect()
    }
}

pub(super) fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conformity() {
        let f = |severity| Finding {
            rule: "x".into(),
            severity,
            fields: vec![],
            message: String::new(),
        };
        assert_eq!(Conformity::of(&[]), Conformity::Conforme);
        assert_eq!(Conformity::of(&[f(Severity::Info)]), Conformity::Conforme);
        assert_eq!(
            Conformity::of(&[f(Severity::Info), f(Severity::Warning)]),
            Conformity::AVerifier
        );
        assert_eq!(
            Conformity::of(&[f(Severity::Error), f(Severity::Warning)]),
            Conformity::NonConforme
        );
    }
}
