//! Every rule clas knows, once: its id (docs/rules.md), what agents read instead of the id,
//! its severity, what a letter asks the porteur to do about it, and which documents it
//! speaks of. The profile check, the synthesis and the letters read this table; a new rule
//! touches the rule itself, this table and the profiles, nothing else (tested below and in
//! tests/rules.rs).

use super::Severity;

/// What a rule is about, which decides where its findings are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// A bilan, and through it the action (a column of the Conformité sheet).
    Action,
    /// The action's attendance workbook: its findings are also shown on the workbook's own
    /// report, and the letter points at the workbook.
    Attendance,
    /// Any answer of any form (missing, contradictory, unreadable): shown on the report of the
    /// document it was read in, the workbook's included.
    Answer,
    /// The note stratégique of a territory.
    Note,
}

/// One rule of docs/rules.md.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub id: &'static str,
    /// What the rule checks, in the agents' words (synthesis headers).
    pub label: &'static str,
    /// The severity of its findings (`reponse.manquante` lowers it for a yes/no question).
    pub severity: Severity,
    pub scope: Scope,
    /// What a letter asks the porteur to do, lower case, without final stop.
    pub advice: &'static str,
}

impl Rule {
    /// Findings of this rule are also reported on the attendance workbook's own report.
    pub(crate) fn concerns_attendance(&self) -> bool {
        matches!(self.scope, Scope::Attendance | Scope::Answer)
    }

    /// A column of the Conformité sheet (everything but the note stratégique).
    pub(crate) fn concerns_action(&self) -> bool {
        self.scope != Scope::Note
    }
}

const COMPLETE: &str = "merci de compléter cette réponse";
const SUMS: &str =
    "merci de corriger les chiffres pour que le total soit égal à la somme des catégories";
const AXES: &str = "merci d’indiquer les actions menées sur ce point, ou de nous expliquer pourquoi elles n’ont pas pu avoir lieu";
const WORKBOOK: &str =
    "merci de vérifier le cahier de présence et le bilan, et de corriger celui qui doit l’être";
/// For a rule a letter has nothing more precise to say about.
pub(crate) const DEFAULT_ADVICE: &str =
    "merci de vérifier ce point et de le corriger si nécessaire";

const fn rule(
    id: &'static str,
    label: &'static str,
    severity: Severity,
    scope: Scope,
    advice: &'static str,
) -> Rule {
    Rule {
        id,
        label,
        severity,
        scope,
        advice,
    }
}

use Scope::{Action, Answer, Attendance, Note};
use Severity::{Error, Info, Warning};

/// In the order of docs/rules.md, which is the order of the Conformité sheet's columns.
pub(crate) const RULES: &[Rule] = &[
    rule(
        "collectif.taille",
        "Nombre d'enfants par collectif",
        Error,
        Attendance,
        "merci de vérifier le nombre d’enfants et le nombre de collectifs ; s’ils sont exacts, merci de nous expliquer l’organisation retenue",
    ),
    rule(
        "encadrement.minimum",
        "Intervenants par collectif",
        Error,
        Action,
        "merci de vérifier le nombre d’intervenants ; s’il est exact, merci de nous expliquer l’encadrement des collectifs",
    ),
    rule(
        "duree.semaines",
        "Semaines d'activité dans l'année",
        Error,
        Action,
        "merci de vérifier le nombre de semaines d’activité ; s’il est exact, merci de nous en expliquer la raison",
    ),
    rule(
        "seances.frequence",
        "Séances par semaine (cahier de présence)",
        Error,
        Attendance,
        WORKBOOK,
    ),
    rule(
        "seances.duree",
        "Durée des séances (cahier de présence)",
        Error,
        Attendance,
        WORKBOOK,
    ),
    rule(
        "calendrier.dates",
        "Dates de début et de fin",
        Error,
        Action,
        "merci de vérifier les dates de début et de fin et le nombre de semaines d’activité",
    ),
    rule(
        "calendrier.periode",
        "Période recommandée (Toussaint – 15 juin)",
        Warning,
        Action,
        "merci de confirmer ou de corriger les dates de l’action",
    ),
    rule(
        "coherence.enfants",
        "Enfants par niveau et total",
        Error,
        Action,
        SUMS,
    ),
    rule(
        "coherence.intervenants",
        "Intervenants par catégorie et total",
        Error,
        Action,
        SUMS,
    ),
    rule(
        "coherence.heures",
        "Heures par catégorie et total",
        Error,
        Action,
        SUMS,
    ),
    rule(
        "coherence.ratio",
        "Enfants par accompagnateur",
        Warning,
        Action,
        "merci de vérifier le nombre moyen d’enfants par accompagnateur, le nombre d’enfants et celui des intervenants",
    ),
    rule(
        "coherence.familles",
        "Familles et enfants",
        Warning,
        Action,
        "merci de vérifier le nombre de familles : il ne peut pas dépasser le nombre d’enfants",
    ),
    rule(
        "reponse.manquante",
        "Réponse manquante",
        Error,
        Answer,
        COMPLETE,
    ),
    rule(
        "reponse.contradictoire",
        "« oui » et « non » cochés",
        Error,
        Answer,
        "merci de ne cocher qu’une seule case, « oui » ou « non »",
    ),
    rule(
        "reponse.illisible",
        "Réponse illisible",
        Warning,
        Answer,
        "merci d’écrire la réponse sous la forme attendue (un nombre en chiffres, une date, oui ou non)",
    ),
    rule(
        "ecart.justification",
        "Écart sans explication",
        Error,
        Action,
        "merci d’expliquer les raisons de cet écart dans la zone « Si oui… » prévue à cet effet",
    ),
    rule(
        "axe.enfants",
        "Objectifs obligatoires : enfants",
        Error,
        Action,
        AXES,
    ),
    rule(
        "axe.parents",
        "Objectifs obligatoires : parents",
        Error,
        Action,
        AXES,
    ),
    rule(
        "axe.ecole",
        "Concertation avec l'école",
        Error,
        Action,
        AXES,
    ),
    rule(
        "axe.territoire",
        "Concertation avec le territoire",
        Error,
        Action,
        AXES,
    ),
    rule(
        "format.contact",
        "Courriel ou téléphone du référent",
        Warning,
        Action,
        "merci de nous indiquer des coordonnées valides",
    ),
    rule(
        "presence.effectif",
        "Effectifs du cahier de présence",
        Warning,
        Attendance,
        WORKBOOK,
    ),
    rule(
        "presence.semaines",
        "Semaines du cahier de présence",
        Warning,
        Attendance,
        WORKBOOK,
    ),
    rule(
        "presence.assiduite",
        "Enfants peu assidus",
        Info,
        Attendance,
        WORKBOOK,
    ),
    rule(
        "note.totaux",
        "Totaux de la note stratégique",
        Error,
        Note,
        DEFAULT_ADVICE,
    ),
];

/// The rule of this id, if clas knows it.
pub(crate) fn get(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Every rule id, in the table's order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped_as_documented() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                RULES[..i].iter().all(|o| o.id != r.id),
                "{} listed twice",
                r.id
            );
            let (family, name) = r.id.split_once('.').expect("family.name");
            assert!(!family.is_empty() && !name.is_empty(), "{}", r.id);
            assert!(!r.label.is_empty() && !r.advice.is_empty(), "{}", r.id);
        }
    }

    /// Every rule a shipped profile names is a rule of the table, and every threshold section
    /// of a profile belongs to rules the table has (so that a profile, the registry and the
    /// implemented rules cannot drift apart; the implemented side is tested in tests/rules.rs).
    #[test]
    fn shipped_profiles_name_only_known_rules() {
        for (name, text) in super::super::profile::EMBEDDED_PROFILES {
            let profile = super::super::Profile::from_toml(name, text, name).unwrap();
            for r in &profile.regles_desactivees {
                assert!(get(r).is_some(), "{name}: unknown rule {r}");
            }
            let table: toml::Table = toml::from_str(text).unwrap();
            for section in table.keys().filter(|k| table[*k].is_table()) {
                let family = match section.as_str() {
                    "collectif" => "collectif.",
                    "encadrement" => "encadrement.",
                    "seances" => "seances.",
                    "semaines" => "duree.semaines",
                    "periode" => "calendrier.periode",
                    "axes" => "axe.",
                    "rural" => "collectif.",
                    "tolerances" => "presence.",
                    other => panic!("{name}: section [{other}] belongs to no rule"),
                };
                assert!(
                    ids().any(|id| id.starts_with(family)),
                    "{name}: [{section}] names no known rule"
                );
            }
        }
    }
}
