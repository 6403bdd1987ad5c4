//! Rule profiles and the school calendar: data files a Caf can edit (`rules/*.toml`), compiled
//! in as defaults and overridable from a workspace folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::values::Date;

/// The profiles shipped with the binary: (name, TOML text).
pub(crate) const EMBEDDED_PROFILES: &[(&str, &str)] = &[
    ("national", include_str!("../../rules/national.toml")),
    ("rhone", include_str!("../../rules/rhone.toml")),
];

/// The school calendar shipped with the binary.
pub(crate) const EMBEDDED_CALENDAR: &str = include_str!("../../rules/calendrier.toml");

/// File name of the calendar inside a rules folder (not a profile).
pub(crate) const CALENDAR_FILE: &str = "calendrier.toml";

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("profil de règles inconnu « {name} » ; profils connus : {known}")]
    UnknownProfile { name: String, known: String },
    #[error("{file}, ligne {line} : fichier de règles mal formé : {message}")]
    Malformed {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file} : fichier de règles mal formé : {message}")]
    Invalid { file: String, message: String },
    #[error("{file} : lecture impossible : {}", crate::files::io_french(source))]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

/// A rule profile (docs/rules.md): the thresholds of one rule document.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The profile's name (`national`, `rhone`, or the file's name); not read from the file.
    #[serde(skip)]
    pub name: String,
    /// The document's title, e.g. « Référentiel national ».
    pub titre: String,
    #[serde(default)]
    pub regles_desactivees: Vec<String>,
    pub collectif: CollectifRule,
    pub encadrement: EncadrementRule,
    pub seances: SeancesRule,
    pub semaines: SemainesRule,
    pub periode: PeriodeRule,
    pub rural: RuralRule,
    pub axes: AxesRule,
    #[serde(default)]
    pub tolerances: Tolerances,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectifRule {
    pub enfants_min: f64,
    pub enfants_max: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncadrementRule {
    pub intervenants_min: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeancesRule {
    pub par_semaine_min: f64,
    pub source_frequence: String,
    /// Hours, decimal (1.5 = 1 h 30).
    pub duree_min_h: f64,
    pub source_duree: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SemainesRule {
    pub min: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodeRule {
    /// Last recommended day of the action, in year N+1 (15 June).
    pub fin_jour: u32,
    pub fin_mois: u32,
    pub source: String,
}

/// What changes for a rural action (commune under 5 000 inhabitants).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuralRule {
    pub enfants_min: f64,
    pub source_collectif: String,
    /// Intervenants per collectif when the collectif has fewer than `intervenants_seuil_enfants`.
    pub intervenants_min: f64,
    pub intervenants_seuil_enfants: f64,
    pub source_encadrement: String,
    pub par_semaine_min: f64,
    /// Minimum length of a session when the collectif meets once a week.
    pub duree_min_h_une_seance: f64,
    pub source_seances: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxesRule {
    pub source_enfants: String,
    pub source_parents: String,
    pub source_ecole: String,
    pub source_territoire: String,
}

/// Tolerances of the cross-checks (the project's, not the documents').
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tolerances {
    /// Relative gap allowed between the workbook's children and enfants.total.
    pub presence_effectif: f64,
    /// Weeks allowed between the workbook's weeks and calendrier.semaines.
    pub presence_semaines: f64,
    /// Relative gap allowed for enfants.par_accompagnateur.
    pub ratio: f64,
    /// Attendance rate under which a child counts as not regular.
    pub assiduite: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            presence_effectif: 0.10,
            presence_semaines: 2.0,
            ratio: 0.20,
            assiduite: 0.5,
        }
    }
}

impl Profile {
    /// Parses a profile from TOML; `file` names it in errors.
    pub fn from_toml(name: &str, text: &str, file: &str) -> Result<Profile, RulesError> {
        let mut profile: Profile = toml::from_str(text).map_err(|e| malformed(file, text, &e))?;
        profile.name = name.to_string();
        profile.validate(file, text)?;
        Ok(profile)
    }

    /// Whether the profile applies this rule (not listed in `regles_desactivees`).
    pub(crate) fn enabled(&self, rule: &str) -> bool {
        !self.regles_desactivees.iter().any(|r| r == rule)
    }

    fn validate(&self, file: &str, text: &str) -> Result<(), RulesError> {
        let err = |key: &str, message: String| match line_of_key(text, key) {
            Some(line) => RulesError::Malformed {
                file: file.to_string(),
                line,
                message,
            },
            None => RulesError::Invalid {
                file: file.to_string(),
                message,
            },
        };
        for rule in &self.regles_desactivees {
            if super::registry::get(rule).is_none() {
                return Err(err(
                    "regles_desactivees",
                    format!(
                        "règle inconnue « {rule} » dans regles_desactivees (règles connues : {})",
                        super::registry::ids().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        let numbers: [(&str, f64); 14] = [
            ("enfants_min", self.collectif.enfants_min),
            ("enfants_max", self.collectif.enfants_max),
            ("intervenants_min", self.encadrement.intervenants_min),
            ("par_semaine_min", self.seances.par_semaine_min),
            ("duree_min_h", self.seances.duree_min_h),
            ("min", self.semaines.min),
            ("enfants_min", self.rural.enfants_min),
            ("intervenants_min", self.rural.intervenants_min),
            (
                "intervenants_seuil_enfants",
                self.rural.intervenants_seuil_enfants,
            ),
            ("par_semaine_min", self.rural.par_semaine_min),
            ("duree_min_h_une_seance", self.rural.duree_min_h_une_seance),
            ("presence_effectif", self.tolerances.presence_effectif),
            ("presence_semaines", self.tolerances.presence_semaines),
            ("ratio", self.tolerances.ratio),
        ];
        for (key, v) in numbers {
            if !v.is_finite() || v < 0.0 {
                return Err(err(
                    key,
                    format!("{key} doit être un nombre positif (trouvé : {v})"),
                ));
            }
        }
        if !(0.0..=1.0).contains(&self.tolerances.assiduite) {
            return Err(err(
                "assiduite",
                "assiduite doit être un taux entre 0 et 1 (0.5 = 50 %)".into(),
            ));
        }
        if self.collectif.enfants_min > self.collectif.enfants_max {
            return Err(err(
                "enfants_max",
                format!(
                    "enfants_min ({}) est plus grand que enfants_max ({})",
                    self.collectif.enfants_min, self.collectif.enfants_max
                ),
            ));
        }
        if Date::new(2001, self.periode.fin_mois, self.periode.fin_jour).is_none() {
            return Err(err(
                "fin_jour",
                format!(
                    "fin_jour = {}, fin_mois = {} n'est pas une date",
                    self.periode.fin_jour, self.periode.fin_mois
                ),
            ));
        }
        Ok(())
    }
}

/// Names of the profiles available: the embedded ones and the `*.toml` of the workspace folder
/// (the calendar excepted), sorted.
pub fn known_profiles(workspace_rules_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = EMBEDDED_PROFILES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    if let Some(dir) = workspace_rules_dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml")
                && path.file_name().is_some_and(|f| f != CALENDAR_FILE)
                && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
                && valid_name(stem)
            {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Loads a profile: `<dir>/<name>.toml` when it exists, else the embedded profile of that name.
pub fn load_profile(name: &str, workspace_rules_dir: Option<&Path>) -> Result<Profile, RulesError> {
    let unknown = || RulesError::UnknownProfile {
        name: name.to_string(),
        known: known_profiles(workspace_rules_dir).join(", "),
    };
    if !valid_name(name) {
        return Err(unknown());
    }
    if let Some(dir) = workspace_rules_dir {
        let path = dir.join(format!("{name}.toml"));
        if path.is_file() {
            let text = read(&path)?;
            return Profile::from_toml(name, &text, &path.display().to_string());
        }
    }
    let (_, text) = EMBEDDED_PROFILES
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(unknown)?;
    Profile::from_toml(name, text, &format!("rules/{name}.toml (intégré)"))
}

/// The school calendar: for each school year N, the day classes resume after the Toussaint
/// holidays.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calendar {
    pub reprise_toussaint: BTreeMap<i32, Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    reprise_toussaint: BTreeMap<String, toml::Value>,
}

impl Calendar {
    /// The calendar compiled into the binary.
    pub fn embedded() -> Calendar {
        Calendar::from_toml(EMBEDDED_CALENDAR, "rules/calendrier.toml (intégré)")
            .expect("rules/calendrier.toml intégré invalide")
    }

    pub fn from_toml(text: &str, file: &str) -> Result<Calendar, RulesError> {
        let parsed: CalendarFile = toml::from_str(text).map_err(|e| malformed(file, text, &e))?;
        let mut reprise_toussaint = BTreeMap::new();
        for (key, value) in parsed.reprise_toussaint {
            let err = |message: String| match line_of_key(text, &key) {
                Some(line) => RulesError::Malformed {
                    file: file.to_string(),
                    line,
                    message,
                },
                None => RulesError::Invalid {
                    file: file.to_string(),
                    message,
                },
            };
            // A date's year is 1000..=9999 (Date::new): outside that range no reprise can
            // match, and `year + 1` below must not overflow.
            let year: i32 = key
                .trim()
                .parse()
                .ok()
                .filter(|y| (1000..=9999).contains(y))
                .ok_or_else(|| {
                    err(format!(
                        "« {key} » n'est pas une année scolaire (écrire 2025 pour 2025-2026)"
                    ))
                })?;
            let date = match &value {
                toml::Value::Datetime(dt) => dt
                    .date
                    .and_then(|d| Date::new(d.year as i32, d.month as u32, d.day as u32)),
                toml::Value::String(s) => crate::values::parse_date(s),
                _ => None,
            }
            .ok_or_else(|| {
                err(format!(
                    "{key} = {value} n'est pas une date (écrire {key}-11-04)"
                ))
            })?;
            if date.school_year() != year {
                return Err(err(format!(
                    "la reprise du {} n'est pas dans l'année scolaire {year}-{}",
                    date.french(),
                    year + 1
                )));
            }
            reprise_toussaint.insert(year, date);
        }
        Ok(Calendar { reprise_toussaint })
    }

    /// The day classes resume after the Toussaint holidays of school year `year`, if known.
    pub fn toussaint_end(&self, year: i32) -> Option<Date> {
        self.reprise_toussaint.get(&year).copied()
    }
}

/// Loads the calendar: `<dir>/calendrier.toml` when it exists, else the embedded one.
pub fn load_calendar(workspace_rules_dir: Option<&Path>) -> Result<Calendar, RulesError> {
    if let Some(dir) = workspace_rules_dir {
        let path = dir.join(CALENDAR_FILE);
        if path.is_file() {
            let text = read(&path)?;
            return Calendar::from_toml(&text, &path.display().to_string());
        }
    }
    Ok(Calendar::embedded())
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name != "calendrier"
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn read(path: &PathBuf) -> Result<String, RulesError> {
    std::fs::read_to_string(path).map_err(|source| RulesError::Io {
        file: path.display().to_string(),
        source,
    })
}

fn malformed(file: &str, text: &str, e: &toml::de::Error) -> RulesError {
    let (line, message) = crate::toml_error::describe(e, text);
    RulesError::Malformed {
        file: file.to_string(),
        line,
        message,
    }
}

/// The first line assigning `key` (for errors found after parsing).
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            !l.starts_with('#')
                && l.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_profiles_and_calendar_parse() {
        for (name, _) in EMBEDDED_PROFILES {
            let p = load_profile(name, None).unwrap();
            assert_eq!(&p.name, name);
        }
        let c = Calendar::embedded();
        assert_eq!(c.reprise_toussaint.len(), 8);
        assert_eq!(c.toussaint_end(2021), Date::new(2021, 11, 8));
        assert_eq!(c.toussaint_end(2027), None);
    }

    /// tests/fuzz-regressions/calendrier-annee-demesuree.toml: `year + 1` overflowed.
    #[test]
    fn calendar_year_out_of_range() {
        let e = Calendar::from_toml(
            "[reprise_toussaint]\n2147483647 = 2025-11-03\n",
            "calendrier.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("n'est pas une année scolaire"), "{e}");
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_of_key("# min = 1\n[x]\n  min = 3\n", "min"), Some(3));
    }
}
