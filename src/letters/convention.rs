//! Next year's conventions, one per (porteur, établissement scolaire), pre-filled from the
//! current bilans as docs/conventions.md says, with an index workbook of what the agent still
//! has to complete.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::fill::{FillValue, Template, Values};
use super::relance::porteur_key;
use super::schools::{School, dedupe_schools, parse_schools, same_school};
use super::{LettersError, date_long, index, slug, tidy, unique_name};
use crate::extraction::{Extraction, Value};
use crate::findings::Calendar;
use crate::text::fold;
use crate::values::Date;

/// The placeholders of the convention template, with what they stand for (as the index says).
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("annee_scolaire", "année scolaire"),
    ("etablissement", "établissement scolaire (X)"),
    ("porteur", "structure porteuse du CLAS (Y)"),
    (
        "territoire",
        "commune de l'action (contexte, objectifs, article 1)",
    ),
    ("date_debut", "date de début de l'action (article 6)"),
    ("date_fin", "date de fin de l'action (article 6)"),
    ("nature_locaux", "nature des locaux (article 6)"),
    ("adresse_locaux", "adresse des locaux (article 6)"),
    ("ville_caf", "« Fait à » (ville de la Caf)"),
    ("date_signature", "date de signature (« Le … »)"),
    (
        "signataire_etablissement",
        "signataire : responsable de l'établissement scolaire",
    ),
    ("signataire_ecole", "signataire : directeur de l'école"),
    ("gestionnaire", "signataire : gestionnaire Clas"),
];

/// What a placeholder stands for; `{{commune}}`, which a Caf's own template may use instead of
/// `{{territoire}}`, is the same value.
fn describe(name: &str) -> String {
    if name == "commune" {
        return "commune de l'action".into();
    }
    PLACEHOLDERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, d)| d.to_string())
        .unwrap_or_else(|| format!("{{{{{name}}}}}"))
}

/// A school of the reference table: its address and signatories, when the Caf knows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EtablissementRef {
    pub nom: String,
    pub adresse: Option<String>,
    /// « Le Responsable de l'établissement scolaire ».
    pub responsable: Option<String>,
    /// « Le Directeur de l'école élémentaire ou primaire ».
    pub directeur: Option<String>,
}

/// A porteur of the reference table: who signs for it (« Le gestionnaire Clas »).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PorteurRef {
    pub nom: String,
    pub gestionnaire: Option<String>,
}

/// The optional reference table of signatories.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signataires {
    pub etablissements: Vec<EtablissementRef>,
    pub porteurs: Vec<PorteurRef>,
}

impl Signataires {
    /// Reads the table from CSV as a spreadsheet saves it (`;`, `,` or tab separated, quoted
    /// or not). Columns by their header, in any order: `type` (`établissement` or
    /// `porteur`; without it every row is a school), `nom`, `adresse`, `responsable`,
    /// `directeur`, `gestionnaire`.
    ///
    /// ```text
    /// type;nom;adresse;responsable;directeur;gestionnaire
    /// établissement;École Jean Jaurès;3 rue de la Paix, 47000 Agen;;Mme Durand;
    /// porteur;Centre social Les Amis;;;;M. Martin
    /// ```
    pub fn from_csv(text: &str) -> Result<Signataires, LettersError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let Some(head) = lines.next() else {
            return Ok(Signataires::default());
        };
        let sep = [';', '\t', ',']
            .into_iter()
            .max_by_key(|s| head.matches(*s).count())
            .unwrap_or(';');
        let headers: Vec<String> = split_csv(head, sep)
            .iter()
            .map(|h| fold(h.trim()))
            .collect();
        let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let nom = col(&["nom", "etablissement", "name"]).ok_or_else(|| {
            LettersError::Signataires("colonne « nom » absente de la première ligne".into())
        })?;
        let kind = col(&["type"]);
        let adresse = col(&["adresse"]);
        let responsable = col(&["responsable", "signataire", "signataire etablissement"]);
        let directeur = col(&["directeur", "directrice", "signataire ecole"]);
        let gestionnaire = col(&["gestionnaire", "signataire porteur"]);
        let mut out = Signataires::default();
        for line in lines {
            let cells = split_csv(line, sep);
            let get = |c: Option<usize>| -> Option<String> {
                c.and_then(|c| cells.get(c))
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            let Some(name) = get(Some(nom)) else { continue };
            let is_porteur = get(kind).is_some_and(|k| fold(&k).starts_with("porteur"));
            if is_porteur {
                out.porteurs.push(PorteurRef {
                    nom: name,
                    gestionnaire: get(gestionnaire).or_else(|| get(responsable)),
                });
            } else {
                out.etablissements.push(EtablissementRef {
                    nom: name,
                    adresse: get(adresse),
                    responsable: get(responsable),
                    directeur: get(directeur),
                });
            }
        }
        Ok(out)
    }

    fn school(&self, name: &str) -> Option<&EtablissementRef> {
        self.etablissements
            .iter()
            .find(|e| same_school(&e.nom, name))
    }

    fn porteur(&self, name: &str) -> Option<&PorteurRef> {
        let k = porteur_key(name);
        self.porteurs.iter().find(|p| porteur_key(&p.nom) == k)
    }
}

fn split_csv(line: &str, sep: char) -> Vec<String> {
    let mut cols = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cols.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => cols.push(String::new()),
            c => cols.last_mut().unwrap().push(c),
        }
    }
    cols
}

/// What `clas prefill` needs besides the bilans.
#[derive(Debug, Clone, Default)]
pub struct PrefillParams {
    /// The school year of the conventions, as its first year (2027 for 2027-2028, see
    /// [`parse_annee`]); `None`: the year after the bilans'.
    pub annee: Option<i32>,
    /// Unused: the conventions name each action's own commune, read from its bilan (kept for
    /// callers that still set it).
    pub territoire: Option<String>,
    /// The Caf's town, for « Fait à ».
    pub ville_caf: Option<String>,
    /// School calendar (the first day after the Toussaint holidays of each year).
    pub calendar: Calendar,
    /// Optional reference table of schools and porteurs.
    pub signataires: Signataires,
    /// Date for « Le … »; usually left to the agent.
    pub date_signature: Option<Date>,
    /// Today, when the bilans say no year (default: the system date).
    pub today: Option<Date>,
}

/// `2027-2028`, `2027/2028`, `2027-28` or `2027` → 2027.
pub fn parse_annee(s: &str) -> Option<i32> {
    let s = s.trim();
    let digits: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let first: i32 = digits.first()?.parse().ok()?;
    if !(1990..=2200).contains(&first) || digits[0].len() != 4 {
        return None;
    }
    match digits.get(1) {
        None => Some(first),
        Some(second) => {
            let n: i32 = second.parse().ok()?;
            let ok = (second.len() == 4 && n == first + 1)
                || (second.len() == 2 && n == (first + 1) % 100);
            (ok && digits.len() == 2).then_some(first)
        }
    }
}

/// One convention written.
#[derive(Debug, Clone, PartialEq)]
pub struct ConventionOut {
    pub file: PathBuf,
    pub porteur: String,
    /// `None` when the bilans name no school: the place is left for the agent.
    pub etablissement: Option<String>,
    /// How the bilans wrote the school.
    pub spellings: Vec<String>,
    /// Numbers of the actions (bilans) it comes from.
    pub actions: Vec<String>,
    /// What could not be filled, in French, for the agent.
    pub unfilled: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrefillReport {
    /// First year of the conventions' school year.
    pub annee: i32,
    pub conventions: Vec<ConventionOut>,
    /// Bilans that gave no convention, and why.
    pub skipped: Vec<String>,
    pub index: PathBuf,
    /// Run-wide remarks (year guessed from today, calendar missing…).
    pub notes: Vec<String>,
}

fn text(b: &Extraction, id: &str) -> Option<String> {
    b.value(id).as_text().map(tidy).filter(|t| !t.is_empty())
}

/// The school year the bilans are about: the latest year of their start (or end) dates.
fn bilans_year(bilans: &[Extraction]) -> Option<i32> {
    bilans
        .iter()
        .filter_map(|b| {
            b.value("calendrier.debut")
                .as_date()
                .or_else(|| b.value("calendrier.fin").as_date())
                .map(Date::school_year)
        })
        .max()
}

/// The first day of the action: the Monday classes resume after the Toussaint holidays.
fn first_day(calendar: &Calendar, year: i32) -> Option<Date> {
    let d = calendar.toussaint_end(year)?;
    let to_monday = (7 - d.weekday() as i64) % 7;
    Some(Date::from_days(d.days() + to_monday))
}

/// Whether a school's name already says its town (« École primaire de Duras », « Collège de
/// Sainte-Livrade-sur-Lot »): then the action's commune is not added after it.
fn names_a_town(school: &str, commune: &str) -> bool {
    if fold(school).contains(&fold(commune)) {
        return true;
    }
    school
        .split(" de ")
        .skip(1)
        .any(|rest| rest.starts_with(char::is_uppercase))
}

struct Group<'b> {
    porteur: String,
    school: Option<School>,
    bilans: Vec<&'b Extraction>,
}

fn nature(bilans: &[&Extraction]) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for b in bilans {
        for (id, what) in [
            ("local.associatif", "l'association"),
            ("local.municipal", "la commune"),
            ("local.scolaire", "l'établissement scolaire"),
        ] {
            if b.value(id) == &Value::Bool(true) && !out.contains(&what) {
                out.push(what);
            }
        }
    }
    match out.len() {
        0 => None,
        1 => Some(out[0].to_string()),
        n => Some(format!("{} et {}", out[..n - 1].join(", "), out[n - 1])),
    }
}

/// Writes one convention per (porteur, établissement) of the bilans in `out_dir`, and
/// `index-conventions.xlsx` beside them.
pub fn prefill(
    bilans: &[Extraction],
    params: &PrefillParams,
    template: &[u8],
    out_dir: &Path,
) -> Result<PrefillReport, LettersError> {
    let template = Template::parse(&super::keep::keep_signature_with_heading(template)?)?;
    let mut notes = Vec::new();
    let annee = match params.annee {
        Some(a) => a,
        None => match bilans_year(bilans) {
            Some(n) => n + 1,
            None => {
                let today = params.today.unwrap_or_else(Date::today);
                let n = today.school_year() + 1;
                notes.push(format!(
                    "Aucun bilan ne donne ses dates : conventions préparées pour l'année scolaire {n}-{} (l'année qui suit celle d'aujourd'hui) ; précisez --annee au besoin.",
                    n + 1
                ));
                n
            }
        },
    };
    let debut = first_day(&params.calendar, annee);
    if debut.is_none() {
        notes.push(format!(
            "La date de reprise après les vacances de la Toussaint {annee} n'est pas dans le calendrier scolaire (calendrier.toml) : la date de début est laissée en pointillés ; ajoutez-la au calendrier pour qu'elle soit remplie."
        ));
    }
    let fin = Date::new(annee + 1, 6, 15);

    // Group bilans by porteur, then by school.
    let mut skipped = Vec::new();
    let mut porteurs: Vec<(String, Vec<&Extraction>)> = Vec::new();
    for b in bilans {
        let Some(p) = text(b, "porteur.nom") else {
            skipped.push(format!(
                "Bilan de l'action n° {} : nom du porteur absent, aucune convention préparée.",
                text(b, "action.numero").unwrap_or_else(|| "?".into())
            ));
            continue;
        };
        let p = p.replace('\n', " ");
        match porteurs
            .iter_mut()
            .find(|(name, _)| porteur_key(name) == porteur_key(&p))
        {
            Some((_, list)) => list.push(b),
            None => porteurs.push((p, vec![b])),
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for (porteur, list) in &porteurs {
        let mut names_by_bilan: Vec<(&Extraction, Vec<String>)> = Vec::new();
        for b in list {
            let names = text(b, "etablissements")
                .map(|t| parse_schools(&t))
                .unwrap_or_default();
            names_by_bilan.push((b, names));
        }
        let schools = dedupe_schools(names_by_bilan.iter().flat_map(|(_, n)| n.iter()));
        for school in schools {
            let members: Vec<&Extraction> = names_by_bilan
                .iter()
                .filter(|(_, names)| names.iter().any(|n| school.spellings.contains(n)))
                .map(|(b, _)| *b)
                .collect();
            groups.push(Group {
                porteur: porteur.clone(),
                school: Some(school),
                bilans: members,
            });
        }
        let without: Vec<&Extraction> = names_by_bilan
            .iter()
            .filter(|(_, n)| n.is_empty())
            .map(|(b, _)| *b)
            .collect();
        if !without.is_empty() {
            groups.push(Group {
                porteur: porteur.clone(),
                school: None,
                bilans: without,
            });
        }
    }

    std::fs::create_dir_all(out_dir).map_err(|e| LettersError::Write(out_dir.into(), e))?;
    let mut taken = HashSet::new();
    taken.insert("index-conventions.xlsx".to_string());
    let mut conventions = Vec::new();
    let mut plans: Vec<Values> = Vec::with_capacity(groups.len());
    for g in &groups {
        let mut values = Values::new();
        let mut why: BTreeMap<&str, String> = BTreeMap::new();
        let mut conv_notes = Vec::new();
        let set = |values: &mut Values, k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
                values.insert(k.to_string(), FillValue::Text(v));
            }
        };
        set(
            &mut values,
            "annee_scolaire",
            Some(format!("{annee}/{}", annee + 1)),
        );
        set(&mut values, "porteur", Some(g.porteur.clone()));
        let school_ref = g
            .school
            .as_ref()
            .and_then(|s| params.signataires.school(&s.name));
        // The action's commune, from its place (the first bilan that gives one).
        let communes: Vec<String> = g
            .bilans
            .iter()
            .filter_map(|b| text(b, "action.lieu"))
            .filter_map(|l| super::commune::from_address(&l))
            .fold(Vec::new(), |mut acc, c| {
                if !acc.iter().any(|x: &String| fold(x) == fold(&c)) {
                    acc.push(c);
                }
                acc
            });
        let commune = communes.first().cloned();
        if communes.len() > 1 {
            conv_notes.push(format!(
                "Actions dans plusieurs communes ({}) : la convention nomme {} ; vérifiez.",
                communes.join(", "),
                communes[0]
            ));
        }
        if let Some(s) = &g.school {
            let adresse = school_ref.and_then(|r| r.adresse.clone());
            let x = match (adresse, &commune) {
                (Some(a), _) => format!("{}, {}", s.name, a.replace('\n', ", ")),
                (None, Some(c)) if !names_a_town(&s.name, c) => format!("{}, {c}", s.name),
                (None, _) => s.name.clone(),
            };
            set(&mut values, "etablissement", Some(x));
            if s.spellings.len() > 1 {
                conv_notes.push(format!(
                    "Établissement écrit de {} façons dans les bilans : « {} ».",
                    s.spellings.len(),
                    s.spellings.join(" », « ")
                ));
            }
        } else {
            why.insert(
                "etablissement",
                "aucun établissement nommé dans le bilan".into(),
            );
        }
        set(&mut values, "territoire", commune.clone());
        set(&mut values, "commune", commune.clone());
        if commune.is_none() {
            for k in ["territoire", "commune"] {
                why.insert(
                    k,
                    "commune introuvable dans le lieu de l'action (code postal et commune)".into(),
                );
            }
        }
        set(&mut values, "date_debut", debut.map(date_long));
        if debut.is_none() {
            why.insert(
                "date_debut",
                format!("reprise après la Toussaint {annee} absente du calendrier scolaire"),
            );
        }
        set(&mut values, "date_fin", fin.map(date_long));
        let nat = nature(&g.bilans);
        if nat.is_none() {
            why.insert(
                "nature_locaux",
                "aucune case « Nature du local » cochée".into(),
            );
        }
        set(&mut values, "nature_locaux", nat);
        let mut lieux: Vec<String> = Vec::new();
        for b in &g.bilans {
            if let Some(l) = text(b, "action.lieu")
                && !lieux.iter().any(|x| fold(x) == fold(&l))
            {
                lieux.push(l);
            }
        }
        if lieux.len() > 1 {
            conv_notes.push(format!(
                "{} lieux différents dans les bilans : vérifiez l'adresse des locaux.",
                lieux.len()
            ));
        }
        if lieux.is_empty() {
            why.insert("adresse_locaux", "lieu de l'action absent du bilan".into());
        }
        set(&mut values, "adresse_locaux", Some(lieux.join("\n")));
        set(&mut values, "ville_caf", params.ville_caf.clone());
        if params.ville_caf.is_none() {
            why.insert("ville_caf", "ville de la Caf non configurée".into());
        }
        set(
            &mut values,
            "date_signature",
            params.date_signature.map(date_long),
        );
        set(
            &mut values,
            "signataire_etablissement",
            school_ref.and_then(|r| r.responsable.clone()),
        );
        set(
            &mut values,
            "signataire_ecole",
            school_ref.and_then(|r| r.directeur.clone()),
        );
        set(
            &mut values,
            "gestionnaire",
            params
                .signataires
                .porteur(&g.porteur)
                .and_then(|p| p.gestionnaire.clone()),
        );
        for k in [
            "signataire_etablissement",
            "signataire_ecole",
            "gestionnaire",
        ] {
            if !values.contains_key(k) {
                why.insert(k, "inconnu du tableau des signataires".into());
            }
        }

        let outcome = template.outcome(&values);
        let school_slug = match &g.school {
            Some(s) => slug(&s.name, 60),
            None => "etablissement-a-completer".into(),
        };
        let stem = format!("convention-{}-{}", slug(&g.porteur, 60), school_slug);
        let name = unique_name(&mut taken, stem.trim_end_matches('-'), "docx");
        let path = out_dir.join(&name);
        let unfilled = outcome
            .unfilled
            .iter()
            .map(|n| match why.get(n.as_str()) {
                Some(w) => format!("{} ({w})", describe(n)),
                None => describe(n),
            })
            .collect();
        let mut actions: Vec<String> = g
            .bilans
            .iter()
            .map(|b| text(b, "action.numero").unwrap_or_else(|| "?".into()))
            .collect();
        let mut seen = HashSet::new();
        actions.retain(|a| seen.insert(a.clone()));
        conventions.push(ConventionOut {
            file: path,
            porteur: g.porteur.clone(),
            etablissement: g.school.as_ref().map(|s| s.name.clone()),
            spellings: g
                .school
                .as_ref()
                .map(|s| s.spellings.clone())
                .unwrap_or_default(),
            actions,
            unfilled,
            notes: conv_notes,
        });
        plans.push(values);
    }
    // Documents are filled and written once everything kept is allocated: the allocator can
    // then reuse each document's buffers for the next one (a thousand conventions in a few
    // megabytes, not hundreds).
    for (c, values) in conventions.iter().zip(&plans) {
        let (bytes, _) = template.fill(values)?;
        std::fs::write(&c.file, &bytes).map_err(|e| LettersError::Write(c.file.clone(), e))?;
    }
    drop(plans);
    if !template.placeholders().iter().any(|p| p == "etablissement") {
        notes.push("Le modèle n'a pas de champ {{etablissement}} : les conventions ne nomment pas l'établissement.".into());
    }

    let index_path = out_dir.join("index-conventions.xlsx");
    let rows = conventions
        .iter()
        .map(|c| {
            vec![
                c.file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                c.porteur.clone(),
                c.etablissement
                    .clone()
                    .unwrap_or_else(|| "(à compléter)".into()),
                c.actions.join(", "),
                c.unfilled.join("\n"),
                c.spellings.join("\n"),
                c.notes.join("\n"),
            ]
        })
        .collect();
    let mut run_notes: Vec<Vec<String>> = notes.iter().map(|n| vec![n.clone()]).collect();
    run_notes.extend(skipped.iter().map(|s| vec![s.clone()]));
    index::write(
        &index_path,
        &[
            index::Sheet {
                name: "Conventions",
                columns: &[
                    ("Fichier", 45.0),
                    ("Structure porteuse", 30.0),
                    ("Établissement scolaire", 30.0),
                    ("Actions (n°)", 12.0),
                    ("À compléter à la main", 50.0),
                    ("Écritures de l'établissement dans les bilans", 35.0),
                    ("Remarques", 40.0),
                ],
                numeric: &[],
                rows,
            },
            index::Sheet {
                name: "Remarques",
                columns: &[("Remarque", 120.0)],
                numeric: &[],
                rows: run_notes,
            },
        ],
    )?;
    Ok(PrefillReport {
        annee,
        conventions,
        skipped,
        index: index_path,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years() {
        assert_eq!(parse_annee("2027-2028"), Some(2027));
        assert_eq!(parse_annee("2027/2028"), Some(2027));
        assert_eq!(parse_annee(" 2027-28 "), Some(2027));
        assert_eq!(parse_annee("2027"), Some(2027));
        assert_eq!(parse_annee("2027-2029"), None);
        assert_eq!(parse_annee("27-28"), None);
        assert_eq!(parse_annee("abc"), None);
    }

    #[test]
    fn first_day_is_the_monday_classes_resume() {
        let c = Calendar::embedded();
        assert_eq!(first_day(&c, 2026), Date::new(2026, 11, 2));
        assert_eq!(first_day(&c, 2025), Date::new(2025, 11, 3));
        assert_eq!(first_day(&c, 2099), None);
    }

    #[test]
    fn signataires_csv() {
        let s = Signataires::from_csv(
            "\u{feff}Type;Nom;Adresse;Responsable;Directeur;Gestionnaire\n\
             établissement;École Jean Jaurès;\"3 rue de la Paix; Agen\";;Mme Durand;\n\
             porteur;Centre social Les Amis;;;;M. Martin\n\n",
        )
        .unwrap();
        assert_eq!(s.etablissements.len(), 1);
        assert_eq!(
            s.etablissements[0].adresse.as_deref(),
            Some("3 rue de la Paix; Agen")
        );
        assert_eq!(s.etablissements[0].directeur.as_deref(), Some("Mme Durand"));
        assert_eq!(s.etablissements[0].responsable, None);
        assert_eq!(s.porteurs[0].gestionnaire.as_deref(), Some("M. Martin"));
        assert!(s.school("Ecole élémentaire J. Jaurès").is_some());
        assert!(s.porteur("CENTRE SOCIAL « les amis »").is_some());
        let plain = Signataires::from_csv("nom,directeur\nCollège Paul Bert,M. Roy").unwrap();
        assert_eq!(plain.etablissements[0].directeur.as_deref(), Some("M. Roy"));
        assert!(Signataires::from_csv("a;b\n1;2").is_err());
    }
}
