//! The rules a bilan is held to on its own: sizes, supervision, weeks, dates, sums, gaps
//! without explanation, the référentiel's mandatory objectives.

use super::*;

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

pub(super) fn bilan_rules(b: &Extraction, ctx: &Context, out: &mut Out) {
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
pub(super) fn size_range(ctx: &Context) -> (f64, f64, &str) {
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
