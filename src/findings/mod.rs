//! Stage 3: rules turn an [`Extraction`](crate::extraction::Extraction) into [`Finding`]s.
//! Findings are data, not errors: a non-conforming bilan is still a bilan.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Severity::Error => "erreur",
            Severity::Warning => "à vérifier",
            Severity::Info => "information",
        }
    }
}

/// One thing a rule has to say about a document (docs/rules.md).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub fields: Vec<String>,
    pub message: String,
}

pub mod check;
pub(crate) mod fr;
pub(crate) mod identity;
pub mod profile;
pub mod registry;
pub mod rules;

pub use check::{ActionFindings, Checker};
pub use identity::{is_rural, same_action};
pub use profile::{Calendar, Profile, RulesError, known_profiles, load_calendar, load_profile};
pub use rules::{Context, check, notes};
