//! The rules of spec/rules.md: extractions in, findings out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use super::fr;
use super::holidays::week_has_weekday_holiday;
use super::profile::{Calendar, Profile, RulesError, load_calendar, load_profile};
use super::{Finding, Severity};
use crate::dictionary::{FieldType, FormKind};
use crate::extraction::{Collectif, Extraction, Problem, Value};
use crate::values::Date;

/// Tolerance of float comparisons against thresholds (12 passes « at most 12 »).
const EPS: f64 = 1e-9;

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

/// Fields whose absence is an error (spec/rules.md, `reponse.manquante`).
pub const REQUIRED: &[&str] = &[
    "porteur.nom",
    "action.numero",
    "enfants.total",
    "collectifs.nombre",
    "intervenants.total",
    "calendrier.semaines",
];

/// The « écarts » questions whose « Si oui… » text must be filled, with what they are about.
const ECARTS: &[(&str, &str)] = &[
    (
        "calendrier",
        "le calendrier ou le nombre de semaines d'activité",
    ),
    ("frequentation", "la fréquentation"),
    ("activites", "les activités proposées aux enfants"),
    ("ouverture_culturelle", "le projet d'ouverture culturelle"),
    ("projet_parents", "le projet d'accompagnement des parents"),
    ("ecole", "la concertation avec l'école"),
];

/// A mandatory objective: met when one of its yes/no fields is answered oui.
struct Objective {
    fields: &'static [&'static str],
    what: &'static str,
}

const AXE_ENFANTS: &[Objective] = &[
    Objective {
        fields: &["activite.methodologie", "activite.travail_personnel"],
        what: "appui méthodologique ou aide au travail personnel",
    },
    Objective {
        fields: &["activite.sorties", "activite.culture_sport"],
        what: "sorties et visites, ou activités culturelles, artistiques ou sportives",
    },
    Objective {
        fields: &["suivi.mesure_assiduite"],
        what: "suivi de l'assiduité des enfants",
    },
];

const AXE_PARENTS: &[Objective] = &[
    Objective {
        fields: &["parents.reunion_information"],
        what: "réunion d'information des parents sur le CLAS",
    },
    Objective {
        fields: &["parents.convivialite"],
        what: "temps de convivialité avec les parents",
    },
    Objective {
        fields: &["parents.codes_ecole"],
        what: "accompagnement des parents dans la compréhension des codes de l'école",
    },
    Objective {
        fields: &["parents.partenaires"],
        what: "mise en relation des parents avec d'autres partenaires",
    },
    Objective {
        fields: &["parents.rencontres_individuelles", "parents.outils_liaison"],
        what: "rencontres individuelles ou outils de liaison avec les parents",
    },
];

const AXE_ECOLE: &[Objective] = &[
    Objective {
        fields: &["ecole.partenariat_formalise", "ecole.partenariat_informel"],
        what: "partenariat, formalisé ou informel, avec l'école",
    },
    Objective {
        fields: &["ecole.orientation"],
        what: "collaboration pour l'orientation des enfants",
    },
    Objective {
        fields: &["ecole.rencontres"],
        what: "rencontres et échanges d'information réguliers avec l'école",
    },
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
        answers(b, "", &mut out);
        bilan_rules(b, ctx, &mut out);
        contact(b, "referent.email", "referent.telephone", "", &mut out);
    }
    if let Some(p) = presence {
        answers(p, "Cahier de présence : ", &mut out);
        attendance_rules(p, bilan, ctx, &mut out);
    }
    if let Some(n) = note {
        answers(n, "Note stratégique : ", &mut out);
        note_totals(n, &mut out);
        contact(
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
struct Out {
    findings: Vec<Finding>,
}

impl Out {
    fn push(&mut self, rule: &str, severity: Severity, fields: &[&str], message: String) {
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

fn num(e: &Extraction, id: &str) -> Option<f64> {
    e.value(id).as_f64().filter(|n| n.is_finite())
}

fn date(e: &Extraction, id: &str) -> Option<Date> {
    e.value(id).as_date()
}

fn yes(e: &Extraction, id: &str) -> bool {
    e.value(id).as_bool() == Some(true)
}

fn filled(e: &Extraction, id: &str) -> bool {
    match e.value(id) {
        Value::Null => false,
        Value::Text(t) => !t.trim().is_empty(),
        Value::Table(rows) => !rows.is_empty(),
        _ => true,
    }
}

fn has_problem(e: &Extraction, id: &str) -> bool {
    e.get(id).is_some_and(|f| {
        matches!(
            f.problem,
            Some(Problem::Contradictory | Problem::Unreadable(_))
        )
    })
}

fn label(form: FormKind, id: &str) -> String {
    crate::dictionary::field(form, id)
        .map(|f| f.label.trim().to_string())
        .unwrap_or_else(|| id.to_string())
}

fn answer_word(e: &Extraction, id: &str) -> &'static str {
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

fn school_year(b: &Extraction) -> Option<i32> {
    date(b, "calendrier.debut")
        .or_else(|| date(b, "calendrier.fin"))
        .map(Date::school_year)
}

// ---------------------------------------------------------------------------------------------
// reponse.manquante, reponse.contradictoire, reponse.illisible

fn answers(e: &Extraction, prefix: &str, out: &mut Out) {
    for f in &e.fields {
        let name = label(e.form, &f.id);
        match &f.problem {
            Some(Problem::Contradictory) => out.push(
                "reponse.contradictoire",
                Severity::Error,
                &[&f.id],
                format!(
                    "{prefix}« {name} » : les cases « oui » et « non » sont toutes deux cochées"
                ),
            ),
            Some(Problem::Unreadable(written)) => {
                let kind = match f.kind {
                    FieldType::Integer | FieldType::Decimal => "un nombre",
                    FieldType::Date => "une date",
                    FieldType::Yesno | FieldType::Check => "une réponse oui ou non",
                    FieldType::Table => "un tableau",
                    FieldType::Text => "un texte",
                };
                out.push(
                    "reponse.illisible",
                    Severity::Warning,
                    &[&f.id],
                    format!(
                        "{prefix}« {name} » : « {} » ne se lit pas comme {kind}",
                        written.trim()
                    ),
                );
            }
            problem if f.value.is_null() => {
                let not_found = matches!(problem, Some(Problem::NotFound));
                let how = if not_found {
                    "question introuvable dans le document"
                } else {
                    "non renseigné"
                };
                if REQUIRED.contains(&f.id.as_str()) {
                    out.push(
                        "reponse.manquante",
                        Severity::Error,
                        &[&f.id],
                        format!("{prefix}« {name} » : {how} (réponse obligatoire)"),
                    );
                } else if f.kind == FieldType::Yesno && !not_asked(e, &f.id) {
                    let how = if not_found {
                        "question introuvable dans le document"
                    } else {
                        "ni « oui » ni « non » n'est coché"
                    };
                    out.push(
                        "reponse.manquante",
                        Severity::Warning,
                        &[&f.id],
                        format!("{prefix}« {name} » : {how}"),
                    );
                }
            }
            _ => {}
        }
    }
}

/// A yes/no that only applies when the question before it is answered oui: the « écarts » of a
/// project that was not carried out.
fn not_asked(e: &Extraction, id: &str) -> bool {
    let parent = match id {
        "ouverture_culturelle.ecart" => "ouverture_culturelle.realise",
        "projet_parents.ecart" => "projet_parents.realise",
        _ => return false,
    };
    e.value(parent).as_bool() == Some(false)
}

// ---------------------------------------------------------------------------------------------
// Bilan

fn bilan_rules(b: &Extraction, ctx: &Context, out: &mut Out) {
    let p = &ctx.profile;
    let enfants = num(b, "enfants.total");
    let collectifs = num(b, "collectifs.nombre");
    let intervenants = num(b, "intervenants.total");
    let semaines = num(b, "calendrier.semaines");

    // collectif.taille
    if let (Some(total), Some(n)) = (enfants, collectifs)
        && (n > 0.0 || total > 0.0)
    {
        let (min, max, source) = size_range(ctx);
        let per = if n > 0.0 { total / n } else { f64::INFINITY };
        if per < min - EPS || per > max + EPS {
            let tail = if n > 0.0 {
                format!(", soit {} par collectif", fr::num(per))
            } else {
                String::new()
            };
            out.push(
                "collectif.taille",
                Severity::Error,
                &["enfants.total", "collectifs.nombre"],
                format!(
                    "{} pour {}{tail} : {source}",
                    fr::count(total, "enfant", "enfants"),
                    fr::count(n, "collectif", "collectifs")
                ),
            );
        }
    }

    // encadrement.minimum
    if let (Some(iv), Some(n)) = (intervenants, collectifs)
        && n > 0.0
    {
        let per = iv / n;
        let small = enfants.map(|t| t / n < p.rural.intervenants_seuil_enfants - EPS);
        let (min, source) = match (ctx.rural, small) {
            (true, Some(true)) => (
                p.rural.intervenants_min,
                p.rural.source_encadrement.as_str(),
            ),
            // Rural, children unknown: only what no collectif size could excuse.
            (true, None) => (
                p.rural.intervenants_min.min(p.encadrement.intervenants_min),
                p.rural.source_encadrement.as_str(),
            ),
            _ => (
                p.encadrement.intervenants_min,
                p.encadrement.source.as_str(),
            ),
        };
        if per < min - EPS {
            let mut fields = vec!["intervenants.total", "collectifs.nombre"];
            let mut found = format!(
                "{} pour {}, soit {} par collectif",
                fr::count(iv, "intervenant", "intervenants"),
                fr::count(n, "collectif", "collectifs"),
                fr::num(per)
            );
            if let (true, Some(total)) = (ctx.rural, enfants) {
                fields.push("enfants.total");
                found.push_str(&format!(
                    " de {} en moyenne",
                    fr::count(total / n, "enfant", "enfants")
                ));
            }
            out.push(
                "encadrement.minimum",
                Severity::Error,
                &fields,
                format!("{found} : {source}"),
            );
        }
    }

    // duree.semaines
    if let Some(s) = semaines
        && s < p.semaines.min - EPS
    {
        out.push(
            "duree.semaines",
            Severity::Error,
            &["calendrier.semaines"],
            format!(
                "{} d'activité déclarées : {}",
                fr::count(s, "semaine", "semaines"),
                p.semaines.source
            ),
        );
    }

    // calendrier.dates
    let debut = date(b, "calendrier.debut");
    let fin = date(b, "calendrier.fin");
    if let (Some(d), Some(f)) = (debut, fin) {
        if f <= d {
            out.push(
                "calendrier.dates",
                Severity::Error,
                &["calendrier.debut", "calendrier.fin"],
                format!(
                    "fin de l'action le {}, qui n'est pas après son début le {} : la date de fin doit suivre la date de début",
                    f.french(),
                    d.french()
                ),
            );
        } else if let Some(s) = semaines {
            // Weeks touched by the period, counted generously (a started week counts).
            let fit = ((f.week_start() - d.week_start()) / 7 + 1) as f64;
            if s > fit + EPS {
                out.push(
                    "calendrier.dates",
                    Severity::Error,
                    &["calendrier.semaines", "calendrier.debut", "calendrier.fin"],
                    format!(
                        "{} d'activité déclarées, mais il n'y a que {} du {} au {}",
                        fr::count(s, "semaine", "semaines"),
                        fr::count(fit, "semaine", "semaines"),
                        d.french(),
                        f.french()
                    ),
                );
            }
        }
    }

    // calendrier.periode
    if let Some(year) = school_year(b)
        && let Some(reprise) = ctx.calendar.toussaint_end(year)
    {
        if let Some(d) = debut
            && d < reprise
        {
            out.push(
                "calendrier.periode",
                Severity::Warning,
                &["calendrier.debut"],
                format!(
                    "début de l'action le {}, avant la reprise des cours après les vacances de la Toussaint (le {}) : {}",
                    d.french(),
                    reprise.french(),
                    p.periode.source
                ),
            );
        }
        if let (Some(f), Some(last)) = (
            fin,
            Date::new(year + 1, p.periode.fin_mois, p.periode.fin_jour),
        ) && f > last
        {
            out.push(
                "calendrier.periode",
                Severity::Warning,
                &["calendrier.fin"],
                format!(
                    "fin de l'action le {}, après le {} : {}",
                    f.french(),
                    last.french(),
                    p.periode.source
                ),
            );
        }
    }

    // coherence.*
    sum_check(
        b,
        "coherence.enfants",
        &[
            ("enfants.elementaire", "élémentaire"),
            ("enfants.college", "collège"),
            ("enfants.lycee", "lycée"),
            ("enfants.autres", "autres"),
        ],
        "enfants.total",
        ("enfant", "enfants"),
        out,
    );
    sum_check(
        b,
        "coherence.intervenants",
        &[
            ("intervenants.salaries", "salariés"),
            ("intervenants.volontaires", "volontaires"),
            ("intervenants.benevoles", "bénévoles"),
        ],
        "intervenants.total",
        ("intervenant", "intervenants"),
        out,
    );
    sum_check(
        b,
        "coherence.heures",
        &[
            ("heures.salaries", "salariés"),
            ("heures.volontaires", "volontaires"),
            ("heures.benevoles", "bénévoles"),
        ],
        "heures.total",
        ("heure", "heures"),
        out,
    );

    if let (Some(par), Some(total), Some(iv)) =
        (num(b, "enfants.par_accompagnateur"), enfants, intervenants)
        && iv > 0.0
        && total > 0.0
    {
        let expected = total / iv;
        let tol = p.tolerances.ratio;
        if (par - expected).abs() > tol * expected + EPS {
            out.push(
                "coherence.ratio",
                Severity::Warning,
                &["enfants.par_accompagnateur", "enfants.total", "intervenants.total"],
                format!(
                    "{} enfants par accompagnateur déclarés, alors que {} pour {} font {} par intervenant : écart de {}, au-delà de la tolérance de {}",
                    fr::num(par),
                    fr::count(total, "enfant", "enfants"),
                    fr::count(iv, "intervenant", "intervenants"),
                    fr::num(expected),
                    fr::percent((par - expected).abs() / expected),
                    fr::percent(tol)
                ),
            );
        }
    }

    if let (Some(fam), Some(total)) = (num(b, "familles.nombre"), enfants)
        && fam > total + EPS
    {
        out.push(
            "coherence.familles",
            Severity::Warning,
            &["familles.nombre", "enfants.total"],
            format!(
                "{} différentes pour {} : chaque famille accueillie a au moins un enfant au CLAS",
                fr::count(fam, "famille", "familles"),
                fr::count(total, "enfant", "enfants")
            ),
        );
    }

    // ecart.justification
    for (x, topic) in ECARTS {
        let ecart = format!("{x}.ecart");
        let raisons = format!("{x}.ecart_raisons");
        if yes(b, &ecart) && !filled(b, &raisons) {
            out.push(
                "ecart.justification",
                Severity::Error,
                &[&ecart, &raisons],
                format!(
                    "écart entre le prévisionnel et le réel déclaré (oui) pour {topic}, sans les raisons : « {} » est vide",
                    label(b.form, &raisons)
                ),
            );
        }
    }

    // axe.*
    axis(
        b,
        "axe.enfants",
        "enfants et jeunes",
        AXE_ENFANTS,
        &p.axes.source_enfants,
        out,
    );
    axis(
        b,
        "axe.parents",
        "parents",
        AXE_PARENTS,
        &p.axes.source_parents,
        out,
    );
    axis(
        b,
        "axe.ecole",
        "école",
        AXE_ECOLE,
        &p.axes.source_ecole,
        out,
    );
    if !filled(b, "territoire.articulations") && !filled(b, "territoire.acteurs") {
        out.push(
            "axe.territoire",
            Severity::Error,
            &["territoire.articulations", "territoire.acteurs"],
            format!(
                "axe territoire : ni les articulations avec les acteurs du territoire ni ces acteurs ne sont décrits : {}",
                p.axes.source_territoire
            ),
        );
    }
}

/// The children per collectif allowed: (min, max, source).
fn size_range(ctx: &Context) -> (f64, f64, &str) {
    let p = &ctx.profile;
    if ctx.rural {
        (
            p.rural.enfants_min,
            p.collectif.enfants_max,
            &p.rural.source_collectif,
        )
    } else {
        (
            p.collectif.enfants_min,
            p.collectif.enfants_max,
            &p.collectif.source,
        )
    }
}

/// Parts that must add up to a total. Parts left empty count as 0; nothing is said when the
/// total or every part is missing, or when a part could not be read.
fn sum_check(
    b: &Extraction,
    rule: &str,
    parts: &[(&str, &str)],
    total_id: &str,
    unit: (&str, &str),
    out: &mut Out,
) {
    let Some(total) = num(b, total_id) else {
        return;
    };
    if parts.iter().any(|(id, _)| has_problem(b, id))
        || parts.iter().all(|(id, _)| num(b, id).is_none())
    {
        return;
    }
    let sum: f64 = parts.iter().filter_map(|(id, _)| num(b, id)).sum();
    if (sum - total).abs() > 0.005 {
        let detail: Vec<String> = parts
            .iter()
            .map(|(id, name)| match num(b, id) {
                Some(v) => format!("{name} {}", fr::num(v)),
                None => format!("{name} non renseigné"),
            })
            .collect();
        let mut fields: Vec<&str> = parts.iter().map(|(id, _)| *id).collect();
        fields.push(total_id);
        out.push(
            rule,
            Severity::Error,
            &fields,
            format!(
                "la somme par catégorie fait {} ({}), mais le total déclaré est {}",
                fr::count(sum, unit.0, unit.1),
                detail.join(", "),
                fr::num(total)
            ),
        );
    }
}

fn axis(
    b: &Extraction,
    rule: &str,
    name: &str,
    objectives: &[Objective],
    source: &str,
    out: &mut Out,
) {
    let unmet: Vec<&Objective> = objectives
        .iter()
        .filter(|o| !o.fields.iter().any(|f| yes(b, f)))
        .collect();
    if unmet.is_empty() {
        return;
    }
    let fields: Vec<&str> = unmet
        .iter()
        .flat_map(|o| o.fields.iter().copied())
        .collect();
    let described: Vec<String> = unmet
        .iter()
        .map(|o| {
            let answers: Vec<&str> = o.fields.iter().map(|f| answer_word(b, f)).collect();
            let word = if answers.len() > 1 {
                "réponses"
            } else {
                "réponse"
            };
            format!("{} ({word} : {})", o.what, answers.join(", "))
        })
        .collect();
    let what = if unmet.len() > 1 {
        "objectifs obligatoires non remplis"
    } else {
        "objectif obligatoire non rempli"
    };
    out.push(
        rule,
        Severity::Error,
        &fields,
        format!("axe {name}, {what} : {} : {source}", described.join(" ; ")),
    );
}

// ---------------------------------------------------------------------------------------------
// format.contact

fn contact(e: &Extraction, email_id: &str, phone_id: &str, prefix: &str, out: &mut Out) {
    if let Some(email) = e
        .value(email_id)
        .as_text()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        && !is_email(email)
    {
        out.push(
            "format.contact",
            Severity::Warning,
            &[email_id],
            format!("{prefix}adresse mail « {email} » : ce n'est pas une adresse électronique (attendu : nom@domaine.fr)"),
        );
    }
    let phone = match e.value(phone_id) {
        Value::Text(t) => Some(t.trim().to_string()),
        // A number typed in a spreadsheet loses its leading 0.
        Value::Integer(i) => Some(i.to_string()),
        _ => None,
    };
    if let Some(phone) = phone.filter(|s| !s.is_empty())
        && !is_french_phone(&phone)
    {
        out.push(
            "format.contact",
            Severity::Warning,
            &[phone_id],
            format!(
                "{prefix}numéro de téléphone « {phone} » : ce n'est pas un numéro français (attendu : 10 chiffres commençant par 0, ou +33 suivi de 9 chiffres)"
            ),
        );
    }
}

/// An e-mail address: something, @, a domain with a dot and a top-level part of letters.
pub fn is_email(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^[^\s@<>(),;:]+@(?:[[:alnum:]](?:[[:alnum:]-]*[[:alnum:]])?\.)+[[:alpha:]]{2,}$",
        )
        .unwrap()
    });
    re.is_match(s.trim())
}

/// A French telephone number: 10 digits starting with 0 (spaces, dots or dashes between them),
/// or +33 (or 0033), an optional (0), then 9 digits. Several numbers separated by « / », « ; »,
/// « , » or « ou » are each checked.
pub fn is_french_phone(s: &str) -> bool {
    let folded = crate::text::fold(s);
    let parts: Vec<&str> = folded
        .split(['/', ';', ','])
        .flat_map(|p| p.split(" ou "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    !parts.is_empty() && parts.iter().all(|p| one_phone(p))
}

fn one_phone(s: &str) -> bool {
    let allowed =
        |c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}');
    let (international, rest) = if let Some(r) = s.strip_prefix("+33") {
        (true, r)
    } else if let Some(r) = s.strip_prefix("0033") {
        (true, r)
    } else {
        (false, s)
    };
    let rest = if international {
        rest.trim_start().strip_prefix("(0)").unwrap_or(rest)
    } else {
        rest
    };
    if !rest.chars().all(allowed) {
        return false;
    }
    let digits: Vec<char> = rest.chars().filter(|c| c.is_ascii_digit()).collect();
    if international {
        digits.len() == 9 && digits[0] != '0'
    } else {
        digits.len() == 10 && digits[0] == '0' && digits[1] != '0'
    }
}

// ---------------------------------------------------------------------------------------------
// Attendance workbook

/// Figures of one collectif (spec/presence.md).
struct Figures {
    /// Children with at least one mark.
    children: usize,
    /// Sessions per week with a session, by week (Monday, as days).
    weeks: BTreeMap<i64, usize>,
    /// Usual rhythm: median of sessions per week over the weeks without a public holiday.
    rhythm: Option<(f64, usize)>,
    /// Mean session length, over the sessions whose length is known, and how many.
    mean_length: Option<(f64, usize)>,
    /// Children under the attendance threshold, and children with marks.
    low_attendance: usize,
}

fn figures(c: &Collectif, threshold: f64) -> Figures {
    let marked: Vec<_> = c
        .enfants
        .iter()
        .filter(|e| e.present + e.absent + e.excuse > 0)
        .collect();
    let mut weeks: BTreeMap<i64, usize> = BTreeMap::new();
    for s in &c.seances {
        *weeks.entry(s.date.week_start()).or_default() += 1;
    }
    let counted: Vec<usize> = weeks
        .iter()
        .filter(|(w, _)| !week_has_weekday_holiday(**w))
        .map(|(_, n)| *n)
        .collect();
    let rhythm = median(&counted).map(|m| (m, counted.len()));
    let lengths: Vec<f64> = c
        .seances
        .iter()
        .filter_map(|s| s.duree_h)
        .filter(|h| h.is_finite())
        .collect();
    let mean_length = (!lengths.is_empty()).then(|| {
        (
            lengths.iter().sum::<f64>() / lengths.len() as f64,
            lengths.len(),
        )
    });
    let low_attendance = marked
        .iter()
        .filter(|e| {
            let rate = e.present as f64 / (e.present + e.absent + e.excuse) as f64;
            rate < threshold - EPS
        })
        .count();
    Figures {
        children: marked.len(),
        weeks,
        rhythm,
        mean_length,
        low_attendance,
    }
}

fn median(values: &[usize]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

fn attendance_rules(
    presence: &Extraction,
    bilan: Option<&Extraction>,
    ctx: &Context,
    out: &mut Out,
) {
    let Some(collectifs) = presence.collectifs.as_ref() else {
        return;
    };
    let p = &ctx.profile;
    let figures: Vec<Figures> = collectifs
        .iter()
        .map(|c| figures(c, p.tolerances.assiduite))
        .collect();
    let (min, max, size_source) = size_range(ctx);

    for (c, f) in collectifs.iter().zip(&figures) {
        let name = format!("collectif « {} »", c.nom.trim());

        // collectif.taille, per collectif.
        if f.children > 0 || !c.seances.is_empty() {
            let n = f.children as f64;
            if n < min - EPS || n > max + EPS {
                out.push(
                    "collectif.taille",
                    Severity::Error,
                    &["collectifs"],
                    format!(
                        "{name} : {} dans le cahier de présence : {size_source}",
                        fr::count(n, "enfant", "enfants")
                    ),
                );
            }
        }

        // seances.frequence
        let (min_week, week_source) = if ctx.rural {
            (p.rural.par_semaine_min, &p.rural.source_seances)
        } else {
            (p.seances.par_semaine_min, &p.seances.source_frequence)
        };
        if let Some((rhythm, weeks)) = f.rhythm
            && rhythm < min_week - EPS
        {
            out.push(
                "seances.frequence",
                Severity::Error,
                &["collectifs"],
                format!(
                    "{name} : {} par semaine habituellement (médiane sur {} avec séance, hors semaines avec un jour férié) : {week_source}",
                    fr::count(rhythm, "séance", "séances"),
                    fr::count(weeks as f64, "semaine", "semaines")
                ),
            );
        }

        // seances.duree: in a rural collectif meeting once a week, the longer rural minimum.
        if let Some((mean, sessions)) = f.mean_length {
            let rhythm = f.rhythm.map(|r| r.0).or_else(|| {
                let all: Vec<usize> = f.weeks.values().copied().collect();
                median(&all)
            });
            let once_a_week = rhythm.is_some_and(|r| r < p.seances.par_semaine_min - EPS);
            let (min_len, source) = if ctx.rural && once_a_week {
                (p.rural.duree_min_h_une_seance, &p.rural.source_seances)
            } else {
                (p.seances.duree_min_h, &p.seances.source_duree)
            };
            if mean < min_len - EPS {
                out.push(
                    "seances.duree",
                    Severity::Error,
                    &["collectifs"],
                    format!(
                        "{name} : séances de {} en moyenne (sur {}) : {source}",
                        fr::hours(mean),
                        fr::count(sessions as f64, "séance", "séances")
                    ),
                );
            }
        }

        // presence.assiduite
        if f.low_attendance > 0 {
            let who = if f.low_attendance > 1 {
                "enfants présents"
            } else {
                "enfant présent"
            };
            out.push(
                "presence.assiduite",
                Severity::Info,
                &["collectifs"],
                format!(
                    "{name} : {} {who} sur {} à moins de {} des séances",
                    f.low_attendance,
                    f.children,
                    fr::percent(p.tolerances.assiduite)
                ),
            );
        }
    }

    let Some(b) = bilan else { return };

    // presence.effectif
    let children: f64 = figures.iter().map(|f| f.children as f64).sum();
    if let Some(total) = num(b, "enfants.total")
        && (children - total).abs() > p.tolerances.presence_effectif * total + EPS
    {
        let gap = if total > 0.0 {
            format!(
                " : écart de {}, au-delà de {}",
                fr::percent((children - total).abs() / total),
                fr::percent(p.tolerances.presence_effectif)
            )
        } else {
            String::new()
        };
        out.push(
            "presence.effectif",
            Severity::Warning,
            &["collectifs", "enfants.total"],
            format!(
                "{} dans le cahier de présence, {} déclarés dans le bilan{gap}",
                fr::count(children, "enfant", "enfants"),
                fr::num(total)
            ),
        );
    }
    if let Some(n) = num(b, "collectifs.nombre")
        && (collectifs.len() as f64 - n).abs() > EPS
    {
        out.push(
            "presence.effectif",
            Severity::Warning,
            &["collectifs", "collectifs.nombre"],
            format!(
                "{} dans le cahier de présence (une feuille par collectif), {} déclarés dans le bilan",
                fr::count(collectifs.len() as f64, "collectif", "collectifs"),
                fr::num(n)
            ),
        );
    }

    // presence.semaines
    let weeks: BTreeSet<i64> = figures
        .iter()
        .flat_map(|f| f.weeks.keys().copied())
        .collect();
    if !weeks.is_empty()
        && let Some(declared) = num(b, "calendrier.semaines")
        && (weeks.len() as f64 - declared).abs() > p.tolerances.presence_semaines + EPS
    {
        out.push(
            "presence.semaines",
            Severity::Warning,
            &["collectifs", "calendrier.semaines"],
            format!(
                "{} avec au moins une séance dans le cahier de présence, {} déclarées dans le bilan (écart admis : {})",
                fr::count(weeks.len() as f64, "semaine", "semaines"),
                fr::num(declared),
                fr::count(p.tolerances.presence_semaines, "semaine", "semaines")
            ),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Note stratégique

const NOTE_COLUMNS: &[(&str, &str)] = &[
    ("etude", "ÉTUDE"),
    ("ecole_ouverte", "ÉCOLE OUVERTE"),
    ("accompagnement_educatif", "ACCOMPAGNEMENT ÉDUCATIF"),
    ("stage_reussite", "STAGE DE RÉUSSITE"),
    ("pre", "PRE (nombre d'enfants)"),
    ("pre_qpv", "PRE dont issus QPV"),
    ("clas", "CLAS (nombre d'enfants)"),
    ("clas_qpv", "CLAS dont issus QPV"),
    ("autre", "AUTRE"),
];

fn note_totals(note: &Extraction, out: &mut Out) {
    let Value::Table(rows) = note.value("dispositifs") else {
        return;
    };
    for total in &note.totaux {
        let level = crate::text::fold(total.niveau.trim());
        let level_name = match level.as_str() {
            "elementaire" => "élémentaire",
            "college" => "collège",
            "lycee" => "lycée",
            other => other,
        };
        for (column, written) in &total.values {
            let Some(written) = written else { continue };
            let sum: f64 = rows
                .iter()
                .filter(|r| {
                    r.get("niveau")
                        .and_then(|v| v.as_str())
                        .map(|n| crate::text::fold(n.trim()))
                        == Some(level.clone())
                })
                .filter_map(|r| r.get(column.as_str()).and_then(json_number))
                .sum();
            if (sum - *written as f64).abs() > EPS {
                let column_name = NOTE_COLUMNS
                    .iter()
                    .find(|(k, _)| k == column)
                    .map(|(_, l)| *l)
                    .unwrap_or(column.as_str());
                out.push(
                    "note.totaux",
                    Severity::Error,
                    &["dispositifs"],
                    format!(
                        "niveau {level_name}, colonne « {column_name} » : la ligne TOTAL indique {}, mais la somme des établissements fait {}{}",
                        fr::num(*written as f64),
                        fr::num(sum),
                        match total.place {
                            crate::document::Place::Body => String::new(),
                            place => format!(" ({place})"),
                        }
                    ),
                );
            }
        }
    }
}

fn json_number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => match crate::values::parse_number(s) {
            Some(crate::values::Number::Integer(i)) => Some(i as f64),
            Some(crate::values::Number::Decimal(d)) => Some(d),
            None => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts() {
        assert!(is_email("referente@centre-minimes.fr"));
        assert!(is_email(" prenom.nom+clas@mairie.lyon.fr "));
        assert!(!is_email("referente@centre"));
        assert!(!is_email("referente centre@minimes.fr"));
        assert!(!is_email("referente.centre-minimes.fr"));
        for ok in [
            "04 78 12 34 56",
            "04.78.12.34.56",
            "04-78-12-34-56",
            "0478123456",
            "+33 4 78 12 34 56",
            "+33478123456",
            "+33 (0)4 78 12 34 56",
            "0033 6 12 34 56 78",
            "04 78 12 34 56 / 06 12 34 56 78",
        ] {
            assert!(is_french_phone(ok), "{ok}");
        }
        for bad in [
            "04 78 12 34 5",
            "4 78 12 34 56",
            "+33 04 78 12 34 56",
            "04 78 12 34 56 7",
            "tél. bureau",
            "00 00 00 00 00",
            "04 78 12 34 56 ou",
        ] {
            assert!(!is_french_phone(bad), "{bad}");
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[2, 1, 2]), Some(2.0));
        assert_eq!(median(&[1, 2]), Some(1.5));
    }
}
