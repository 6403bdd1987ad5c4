//! The rules of docs/rules.md, through the library API: one fully conforming bilan, then one
//! field changed at a time; each rule fires past its threshold and stays quiet at it.

use clas::dictionary::{FieldType, FormKind, fields};
use clas::extraction::{Collectif, Enfant, Extraction, LevelTotal, Problem, Seance};
use clas::findings::{
    Calendar, Context, Finding, RulesError, Severity, check, known_profiles, load_calendar,
    load_profile, notes, same_action,
};
use clas::values::Date;
use serde_json::{Map, Value as Json, json};

// ---------------------------------------------------------------------------------------------
// Building documents

/// A bilan that every profile accepts, rural or not: 20 children in 2 collectifs, 4
/// intervenants, 30 weeks from the end of the Toussaint holidays 2024 to 13 June 2025, every
/// yes/no answered, every mandatory objective met, no « écart ».
fn base() -> Map<String, Json> {
    let mut m = Map::new();
    for def in fields(FormKind::Bilan) {
        let v = match def.kind {
            FieldType::Yesno if def.id.ends_with(".ecart") => json!(false),
            FieldType::Yesno => json!(true),
            FieldType::Check => json!(false),
            _ => Json::Null,
        };
        m.insert(def.id.clone(), v);
    }
    let set = [
        ("porteur.nom", json!("Centre social des Minimes")),
        ("action.numero", json!("3")),
        ("referent.nom", json!("Martin Claire")),
        ("referent.telephone", json!("04 78 12 34 56")),
        ("referent.email", json!("referente@centre-minimes.fr")),
        ("action.lieu", json!("12 rue des Minimes, 69005 Lyon")),
        ("local.associatif", json!(true)),
        (
            "etablissements",
            json!("École Jean Jaurès, collège Jean Moulin"),
        ),
        ("calendrier.debut", json!("2024-11-04")),
        ("calendrier.fin", json!("2025-06-13")),
        ("calendrier.semaines", json!(30)),
        ("intervenants.salaries", json!(2)),
        ("heures.salaries", json!(120)),
        ("intervenants.volontaires", json!(0)),
        ("heures.volontaires", json!(0)),
        ("intervenants.benevoles", json!(2)),
        ("heures.benevoles", json!(90)),
        ("intervenants.total", json!(4)),
        ("heures.total", json!(210)),
        ("enfants.elementaire", json!(12)),
        ("enfants.college", json!(8)),
        ("enfants.lycee", json!(0)),
        ("enfants.autres", json!(0)),
        ("enfants.total", json!(20)),
        ("collectifs.nombre", json!(2)),
        ("familles.nombre", json!(16)),
        ("enfants.par_accompagnateur", json!(5)),
        (
            "territoire.articulations",
            json!("Comité local CLAS, PEDT de la ville"),
        ),
        (
            "territoire.acteurs",
            json!("Médiathèque, centre de loisirs, collège"),
        ),
        ("bilan.global", json!("Une année riche.")),
    ];
    for (k, v) in set {
        assert!(m.contains_key(k), "{k} n'est pas dans le dictionnaire");
        m.insert(k.to_string(), v);
    }
    m
}

fn bilan_of(m: &Map<String, Json>) -> Extraction {
    Extraction::from_json(FormKind::Bilan, "test", m)
}

/// The base bilan with some fields changed.
fn bilan_with(changes: &[(&str, Json)]) -> Extraction {
    let mut m = base();
    for (k, v) in changes {
        assert!(m.contains_key(*k), "{k} n'est pas dans le dictionnaire");
        m.insert(k.to_string(), v.clone());
    }
    bilan_of(&m)
}

fn ctx(profile: &str, rural: bool) -> Context {
    Context::load(profile, None, rural).unwrap()
}

fn d(y: i32, m: u32, dd: u32) -> Date {
    Date::new(y, m, dd).unwrap()
}

fn enfant(i: usize, present: u32, absent: u32, excuse: u32) -> Enfant {
    Enfant {
        nom: format!("NOM{i}"),
        prenom: format!("Prénom{i}"),
        niveau: "CM1".into(),
        etablissement: "École Jean Jaurès".into(),
        present,
        absent,
        excuse,
    }
}

/// `weeks` weeks of sessions from the week of `first_monday`, on the given weekdays (0 = Monday).
fn weekly(first_monday: Date, weeks: usize, weekdays: &[i64], duree: f64) -> Vec<Seance> {
    let mut out = Vec::new();
    for w in 0..weeks as i64 {
        for wd in weekdays {
            out.push(Seance {
                date: Date::from_days(first_monday.days() + 7 * w + wd),
                duree_h: Some(duree),
            });
        }
    }
    out
}

/// A collectif of `children` regular children (50 P, 5 A, 5 E).
fn collectif(nom: &str, children: usize, seances: Vec<Seance>) -> Collectif {
    Collectif {
        nom: nom.into(),
        seances,
        enfants: (0..children).map(|i| enfant(i, 50, 5, 5)).collect(),
        avertissements: Vec::new(),
    }
}

/// Twice a week (Tuesday, Thursday), 1 h 30, 30 weeks from the week of 4 November 2024.
fn standard_sessions() -> Vec<Seance> {
    weekly(d(2024, 11, 4), 30, &[1, 3], 1.5)
}

fn presence_of(collectifs: Vec<Collectif>) -> Extraction {
    let mut m = Map::new();
    m.insert("porteur.nom".into(), json!("CENTRE SOCIAL DES MINIMES"));
    m.insert("action.numero".into(), json!("N° 3"));
    let mut e = Extraction::from_json(FormKind::Presence, "test", &m);
    e.collectifs = Some(collectifs);
    e
}

fn base_presence() -> Extraction {
    presence_of(vec![
        collectif("CP-CE1", 10, standard_sessions()),
        collectif("CM1-CM2", 10, standard_sessions()),
    ])
}

fn set_problem(e: &mut Extraction, id: &str, problem: Problem) {
    let f = e.fields.iter_mut().find(|f| f.id == id).unwrap();
    f.value = clas::extraction::Value::Null;
    f.problem = Some(problem);
}

// ---------------------------------------------------------------------------------------------
// Looking at findings

fn run(b: &Extraction, c: &Context) -> Vec<Finding> {
    check(Some(b), None, None, c)
}

fn run_with_presence(b: Option<&Extraction>, p: &Extraction, c: &Context) -> Vec<Finding> {
    check(b, Some(p), None, c)
}

fn of<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

#[track_caller]
fn fires<'a>(findings: &'a [Finding], rule: &str) -> &'a Finding {
    let hits = of(findings, rule);
    assert!(!hits.is_empty(), "{rule} attendu, constats : {findings:#?}");
    hits[0]
}

#[track_caller]
fn quiet(findings: &[Finding], rule: &str) {
    let hits = of(findings, rule);
    assert!(hits.is_empty(), "{rule} inattendu : {hits:#?}");
}

const PROFILES: [&str; 2] = ["national", "rhone"];

fn all_contexts() -> Vec<Context> {
    PROFILES
        .iter()
        .flat_map(|p| [ctx(p, false), ctx(p, true)])
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The base

#[test]
fn conforming_base_gives_no_finding_in_any_profile() {
    for c in all_contexts() {
        let f = run(&bilan_of(&base()), &c);
        assert!(
            f.is_empty(),
            "{} rural={} : {f:#?}",
            c.profile.name,
            c.rural
        );
        let f = run_with_presence(Some(&bilan_of(&base())), &base_presence(), &c);
        assert!(
            f.is_empty(),
            "{} rural={} avec présence : {f:#?}",
            c.profile.name,
            c.rural
        );
        let f = run_with_presence(None, &base_presence(), &c);
        assert!(f.is_empty(), "présence seule : {f:#?}");
    }
}

// ---------------------------------------------------------------------------------------------
// collectif.taille

#[test]
fn collectif_taille_bilan_thresholds() {
    for p in PROFILES {
        let c = ctx(p, false);
        quiet(
            &run(&bilan_with(&[("enfants.total", json!(24))]), &c),
            "collectif.taille",
        );
        let f = run(&bilan_with(&[("enfants.total", json!(25))]), &c);
        let hit = fires(&f, "collectif.taille");
        assert_eq!(hit.severity, Severity::Error);
        assert_eq!(hit.fields, ["enfants.total", "collectifs.nombre"]);
        assert!(
            hit.message.contains("12,5 par collectif"),
            "{}",
            hit.message
        );
        quiet(
            &run(&bilan_with(&[("enfants.total", json!(16))]), &c),
            "collectif.taille",
        );
        fires(
            &run(&bilan_with(&[("enfants.total", json!(15))]), &c),
            "collectif.taille",
        );
    }
}

#[test]
fn collectif_taille_message_cites_the_source() {
    let f = run(
        &bilan_with(&[("enfants.total", json!(26))]),
        &ctx("national", false),
    );
    assert_eq!(
        fires(&f, "collectif.taille").message,
        "26 enfants pour 2 collectifs, soit 13 par collectif : Référentiel national : un collectif compte de 8 à 12 enfants"
    );
    let f = run(
        &bilan_with(&[("enfants.total", json!(26))]),
        &ctx("rhone", false),
    );
    assert!(
        fires(&f, "collectif.taille")
            .message
            .contains("Cahier des charges de la Caf du Rhône")
    );
}

#[test]
fn collectif_taille_rural() {
    for p in PROFILES {
        let rural = ctx(p, true);
        let one = |n: i64| {
            bilan_with(&[
                ("enfants.total", json!(n)),
                ("collectifs.nombre", json!(1)),
                ("intervenants.total", json!(2)),
            ])
        };
        quiet(&run(&one(5), &rural), "collectif.taille");
        let f = run(&one(4), &rural);
        assert!(
            fires(&f, "collectif.taille")
                .message
                .contains("milieu rural")
        );
        quiet(&run(&one(12), &rural), "collectif.taille");
        fires(&run(&one(13), &rural), "collectif.taille");
        // Not rural, 5 children is too few.
        fires(&run(&one(5), &ctx(p, false)), "collectif.taille");
    }
}

#[test]
fn collectif_taille_missing_input_gives_nothing() {
    let c = ctx("national", false);
    let f = run(&bilan_with(&[("enfants.total", Json::Null)]), &c);
    quiet(&f, "collectif.taille");
    fires(&f, "reponse.manquante");
    quiet(
        &run(&bilan_with(&[("collectifs.nombre", Json::Null)]), &c),
        "collectif.taille",
    );
}

#[test]
fn collectif_taille_with_attendance_names_the_collectif() {
    for p in PROFILES {
        let c = ctx(p, false);
        let b = bilan_of(&base());
        let ok = presence_of(vec![
            collectif("CP-CE1", 12, standard_sessions()),
            collectif("CM1-CM2", 8, standard_sessions()),
        ]);
        quiet(&run_with_presence(Some(&b), &ok, &c), "collectif.taille");
        let big = presence_of(vec![
            collectif("CP-CE1", 13, standard_sessions()),
            collectif("CM1-CM2", 7, standard_sessions()),
        ]);
        let f = run_with_presence(Some(&b), &big, &c);
        let hits = of(&f, "collectif.taille");
        assert_eq!(hits.len(), 2, "{f:#?}");
        assert!(hits[0].message.contains("« CP-CE1 »") && hits[0].message.contains("13 enfants"));
        assert!(hits[1].message.contains("« CM1-CM2 »") && hits[1].message.contains("7 enfants"));
        assert_eq!(hits[0].fields, ["collectifs"]);
        // The attendance workbook alone.
        assert_eq!(
            of(&run_with_presence(None, &big, &c), "collectif.taille").len(),
            2
        );
    }
}

#[test]
fn collectif_taille_with_attendance_rural() {
    let rural = ctx("national", true);
    let p5 = presence_of(vec![collectif(
        "Village",
        5,
        weekly(d(2024, 11, 4), 30, &[2], 2.0),
    )]);
    quiet(&run_with_presence(None, &p5, &rural), "collectif.taille");
    let p4 = presence_of(vec![collectif(
        "Village",
        4,
        weekly(d(2024, 11, 4), 30, &[2], 2.0),
    )]);
    fires(&run_with_presence(None, &p4, &rural), "collectif.taille");
}

#[test]
fn children_without_any_mark_are_not_counted() {
    let mut col = collectif("CP-CE1", 12, standard_sessions());
    col.enfants.push(enfant(99, 0, 0, 0));
    let f = run_with_presence(None, &presence_of(vec![col]), &ctx("national", false));
    quiet(&f, "collectif.taille");
}

// ---------------------------------------------------------------------------------------------
// encadrement.minimum

#[test]
fn encadrement_minimum_thresholds() {
    for p in PROFILES {
        let c = ctx(p, false);
        quiet(
            &run(&bilan_with(&[("intervenants.total", json!(4))]), &c),
            "encadrement.minimum",
        );
        let f = run(&bilan_with(&[("intervenants.total", json!(3))]), &c);
        let hit = fires(&f, "encadrement.minimum");
        assert_eq!(hit.severity, Severity::Error);
        assert!(
            hit.message
                .contains("3 intervenants pour 2 collectifs, soit 1,5 par collectif"),
            "{}",
            hit.message
        );
        assert!(hit.message.contains("2 intervenants"), "{}", hit.message);
        assert!(hit.fields.contains(&"intervenants.total".to_string()));
    }
}

#[test]
fn encadrement_minimum_rural() {
    for p in PROFILES {
        let rural = ctx(p, true);
        let one = |children: i64, iv: i64| {
            bilan_with(&[
                ("enfants.total", json!(children)),
                ("collectifs.nombre", json!(1)),
                ("intervenants.total", json!(iv)),
            ])
        };
        quiet(&run(&one(7, 1), &rural), "encadrement.minimum");
        let f = run(&one(8, 1), &rural);
        fires(&f, "encadrement.minimum");
        quiet(&run(&one(8, 2), &rural), "encadrement.minimum");
        // Not rural, one intervenant is never enough.
        fires(&run(&one(7, 1), &ctx(p, false)), "encadrement.minimum");
    }
}

// ---------------------------------------------------------------------------------------------
// duree.semaines

#[test]
fn duree_semaines_by_profile() {
    let weeks = |n: i64| bilan_with(&[("calendrier.semaines", json!(n))]);
    for rural in [false, true] {
        let national = ctx("national", rural);
        let rhone = ctx("rhone", rural);
        quiet(&run(&weeks(30), &national), "duree.semaines");
        let f = run(&weeks(29), &national);
        let hit = fires(&f, "duree.semaines");
        assert_eq!(hit.fields, ["calendrier.semaines"]);
        assert!(
            hit.message.contains("29 semaines") && hit.message.contains("30 semaines"),
            "{}",
            hit.message
        );
        fires(&run(&weeks(27), &national), "duree.semaines");
        quiet(&run(&weeks(27), &rhone), "duree.semaines");
        fires(&run(&weeks(26), &rhone), "duree.semaines");
    }
}

// ---------------------------------------------------------------------------------------------
// seances.frequence

fn one_collectif(seances: Vec<Seance>) -> Extraction {
    presence_of(vec![collectif("Les Lucioles", 10, seances)])
}

#[test]
fn seances_frequence_thresholds() {
    for p in PROFILES {
        let c = ctx(p, false);
        quiet(
            &run_with_presence(
                None,
                &one_collectif(weekly(d(2025, 1, 6), 20, &[1, 3], 1.5)),
                &c,
            ),
            "seances.frequence",
        );
        let f = run_with_presence(
            None,
            &one_collectif(weekly(d(2025, 1, 6), 20, &[2], 1.5)),
            &c,
        );
        let hit = fires(&f, "seances.frequence");
        assert_eq!(hit.severity, Severity::Error);
        assert!(hit.message.contains("« Les Lucioles »"), "{}", hit.message);
        assert!(
            hit.message.contains("1 séance par semaine"),
            "{}",
            hit.message
        );
        // Rural: once a week may do.
        let rural = ctx(p, true);
        quiet(
            &run_with_presence(
                None,
                &one_collectif(weekly(d(2025, 1, 6), 20, &[2], 2.0)),
                &rural,
            ),
            "seances.frequence",
        );
    }
}

#[test]
fn seances_frequence_is_the_median() {
    let c = ctx("national", false);
    // 3 weeks twice, 2 weeks once: median 2.
    let mut s = weekly(d(2025, 1, 6), 3, &[1, 3], 1.5);
    s.extend(weekly(d(2025, 1, 27), 2, &[1], 1.5));
    quiet(
        &run_with_presence(None, &one_collectif(s), &c),
        "seances.frequence",
    );
    // 2 weeks twice, 3 weeks once: median 1.
    let mut s = weekly(d(2025, 1, 6), 2, &[1, 3], 1.5);
    s.extend(weekly(d(2025, 1, 20), 3, &[1], 1.5));
    fires(
        &run_with_presence(None, &one_collectif(s), &c),
        "seances.frequence",
    );
}

#[test]
fn public_holiday_week_does_not_count_against_the_frequency() {
    let c = ctx("national", false);
    let s = |y, m, dd| Seance {
        date: d(y, m, dd),
        duree_h: Some(1.5),
    };
    // Two ordinary weeks twice a week, three weeks shortened by a public holiday once a week:
    // 11 novembre 2024 (Monday), lundi de Pâques 21 avril 2025, Ascension 29 mai 2025.
    let sessions = vec![
        s(2024, 11, 14),
        s(2024, 11, 19),
        s(2024, 11, 21),
        s(2024, 11, 26),
        s(2024, 11, 28),
        s(2025, 4, 24),
        s(2025, 5, 27),
    ];
    quiet(
        &run_with_presence(None, &one_collectif(sessions), &c),
        "seances.frequence",
    );
    // The same rhythm in ordinary weeks is once a week.
    let sessions = vec![
        s(2024, 11, 19),
        s(2024, 11, 21),
        s(2024, 11, 26),
        s(2024, 11, 28),
        s(2024, 12, 5),
        s(2025, 1, 9),
        s(2025, 1, 16),
    ];
    fires(
        &run_with_presence(None, &one_collectif(sessions), &c),
        "seances.frequence",
    );
}

// ---------------------------------------------------------------------------------------------
// seances.duree

#[test]
fn seances_duree_by_profile() {
    let twice = |h: f64| one_collectif(weekly(d(2025, 1, 6), 20, &[1, 3], h));
    let national = ctx("national", false);
    let rhone = ctx("rhone", false);
    quiet(
        &run_with_presence(None, &twice(1.0), &national),
        "seances.duree",
    );
    let f = run_with_presence(None, &twice(0.75), &national);
    let hit = fires(&f, "seances.duree");
    assert!(
        hit.message.contains("45 min") && hit.message.contains("« Les Lucioles »"),
        "{}",
        hit.message
    );
    let f = run_with_presence(None, &twice(1.0), &rhone);
    let hit = fires(&f, "seances.duree");
    assert!(
        hit.message.contains("1 h en moyenne") && hit.message.contains("1 h 30"),
        "{}",
        hit.message
    );
    quiet(
        &run_with_presence(None, &twice(1.5), &rhone),
        "seances.duree",
    );
    fires(
        &run_with_presence(None, &twice(1.45), &rhone),
        "seances.duree",
    );
}

#[test]
fn seances_duree_is_the_mean() {
    let rhone = ctx("rhone", false);
    let mut s = weekly(d(2025, 1, 6), 10, &[1], 1.0);
    s.extend(weekly(d(2025, 1, 6), 10, &[3], 2.0));
    quiet(
        &run_with_presence(None, &one_collectif(s), &rhone),
        "seances.duree",
    );
    let mut s = weekly(d(2025, 1, 6), 10, &[1], 1.0);
    s.extend(weekly(d(2025, 1, 6), 10, &[3], 1.5));
    fires(
        &run_with_presence(None, &one_collectif(s), &rhone),
        "seances.duree",
    );
}

#[test]
fn seances_duree_rural_once_a_week() {
    for p in PROFILES {
        let rural = ctx(p, true);
        let once = |h: f64| one_collectif(weekly(d(2025, 1, 6), 20, &[2], h));
        let f = run_with_presence(None, &once(2.0), &rural);
        quiet(&f, "seances.duree");
        quiet(&f, "seances.frequence");
        let f = run_with_presence(None, &once(1.5), &rural);
        assert!(fires(&f, "seances.duree").message.contains("2 h"), "{f:#?}");
        quiet(&f, "seances.frequence");
    }
    // Twice a week, a rural collectif keeps the profile's length.
    let twice = |h: f64| one_collectif(weekly(d(2025, 1, 6), 20, &[1, 3], h));
    quiet(
        &run_with_presence(None, &twice(1.0), &ctx("national", true)),
        "seances.duree",
    );
    fires(
        &run_with_presence(None, &twice(1.0), &ctx("rhone", true)),
        "seances.duree",
    );
}

#[test]
fn seances_duree_unknown_lengths_give_nothing() {
    let mut s = weekly(d(2025, 1, 6), 20, &[1, 3], 1.0);
    for x in &mut s {
        x.duree_h = None;
    }
    quiet(
        &run_with_presence(None, &one_collectif(s), &ctx("rhone", false)),
        "seances.duree",
    );
}

// ---------------------------------------------------------------------------------------------
// calendrier.dates

#[test]
fn calendrier_dates_order() {
    let c = ctx("national", false);
    let f = run(&bilan_with(&[("calendrier.fin", json!("2024-11-04"))]), &c);
    let hit = fires(&f, "calendrier.dates");
    assert_eq!(hit.severity, Severity::Error);
    assert!(hit.message.contains("04/11/2024"), "{}", hit.message);
    fires(
        &run(&bilan_with(&[("calendrier.fin", json!("2024-10-01"))]), &c),
        "calendrier.dates",
    );
    let f = run(
        &bilan_with(&[
            ("calendrier.fin", json!("2024-11-05")),
            ("calendrier.semaines", json!(1)),
        ]),
        &c,
    );
    quiet(&f, "calendrier.dates");
}

#[test]
fn calendrier_dates_weeks_that_fit() {
    let c = ctx("national", false);
    // 4 November 2024 (Monday) to 13 June 2025 (Friday): 32 weeks.
    quiet(
        &run(&bilan_with(&[("calendrier.semaines", json!(32))]), &c),
        "calendrier.dates",
    );
    let f = run(&bilan_with(&[("calendrier.semaines", json!(33))]), &c);
    let hit = fires(&f, "calendrier.dates");
    assert!(
        hit.message.contains("33 semaines") && hit.message.contains("32 semaines"),
        "{}",
        hit.message
    );
    assert!(hit.fields.contains(&"calendrier.semaines".to_string()));
    quiet(
        &run(&bilan_with(&[("calendrier.fin", Json::Null)]), &c),
        "calendrier.dates",
    );
}

// ---------------------------------------------------------------------------------------------
// calendrier.periode

#[test]
fn calendrier_periode_start() {
    for c in all_contexts() {
        quiet(&run(&bilan_of(&base()), &c), "calendrier.periode");
        let f = run(
            &bilan_with(&[("calendrier.debut", json!("2024-11-03"))]),
            &c,
        );
        let hit = fires(&f, "calendrier.periode");
        assert_eq!(hit.severity, Severity::Warning);
        assert_eq!(hit.fields, ["calendrier.debut"]);
        assert!(
            hit.message.contains("03/11/2024") && hit.message.contains("04/11/2024"),
            "{}",
            hit.message
        );
    }
}

#[test]
fn calendrier_periode_end() {
    let c = ctx("rhone", false);
    quiet(
        &run(&bilan_with(&[("calendrier.fin", json!("2025-06-15"))]), &c),
        "calendrier.periode",
    );
    let f = run(&bilan_with(&[("calendrier.fin", json!("2025-06-16"))]), &c);
    let hit = fires(&f, "calendrier.periode");
    assert_eq!(hit.fields, ["calendrier.fin"]);
    assert!(hit.message.contains("15/06/2025"), "{}", hit.message);
}

#[test]
fn calendrier_periode_year_from_end_when_start_missing() {
    let c = ctx("national", false);
    let f = run(
        &bilan_with(&[
            ("calendrier.debut", Json::Null),
            ("calendrier.fin", json!("2022-06-30")),
        ]),
        &c,
    );
    assert!(
        fires(&f, "calendrier.periode")
            .message
            .contains("15/06/2022")
    );
    let f = run(
        &bilan_with(&[
            ("calendrier.debut", Json::Null),
            ("calendrier.fin", json!("2022-06-15")),
        ]),
        &c,
    );
    quiet(&f, "calendrier.periode");
}

#[test]
fn calendrier_periode_other_years() {
    let c = ctx("national", false);
    // 2021-2022: classes resumed on 8 November 2021.
    let year = |debut: &str, fin: &str| {
        bilan_with(&[
            ("calendrier.debut", json!(debut)),
            ("calendrier.fin", json!(fin)),
            ("calendrier.semaines", json!(30)),
        ])
    };
    quiet(
        &run(&year("2021-11-08", "2022-06-10"), &c),
        "calendrier.periode",
    );
    fires(
        &run(&year("2021-11-05", "2022-06-10"), &c),
        "calendrier.periode",
    );
}

#[test]
fn calendar_year_missing_gives_no_finding_but_a_note() {
    let c = ctx("national", false);
    let b = bilan_with(&[
        ("calendrier.debut", json!("2030-09-15")),
        ("calendrier.fin", json!("2031-06-30")),
    ]);
    quiet(&run(&b, &c), "calendrier.periode");
    let n = notes(Some(&b), &c);
    assert_eq!(n.len(), 1);
    assert!(n[0].contains("2030-2031"), "{n:?}");
    assert!(notes(Some(&bilan_of(&base())), &c).is_empty());
}

#[test]
fn calendar_override_adds_a_year() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("calendrier.toml"),
        "[reprise_toussaint]\n2030 = 2030-11-04\n",
    )
    .unwrap();
    let calendar = load_calendar(Some(dir.path())).unwrap();
    assert_eq!(calendar.toussaint_end(2030), Some(d(2030, 11, 4)));
    let c = Context {
        profile: load_profile("national", None).unwrap(),
        calendar,
        rural: false,
    };
    let b = bilan_with(&[
        ("calendrier.debut", json!("2030-09-15")),
        ("calendrier.fin", json!("2031-06-13")),
    ]);
    fires(&run(&b, &c), "calendrier.periode");
}

// ---------------------------------------------------------------------------------------------
// coherence.*

#[test]
fn coherence_enfants() {
    let c = ctx("national", false);
    let f = run(&bilan_with(&[("enfants.elementaire", json!(13))]), &c);
    let hit = fires(&f, "coherence.enfants");
    assert_eq!(hit.severity, Severity::Error);
    assert!(
        hit.message.contains("21 enfants") && hit.message.contains("20"),
        "{}",
        hit.message
    );
    assert!(
        hit.fields.contains(&"enfants.total".to_string())
            && hit.fields.contains(&"enfants.elementaire".to_string())
    );
    // Parts left empty count as 0.
    quiet(
        &run(
            &bilan_with(&[
                ("enfants.lycee", Json::Null),
                ("enfants.autres", Json::Null),
            ]),
            &c,
        ),
        "coherence.enfants",
    );
    // Nothing to add up.
    let none = bilan_with(&[
        ("enfants.elementaire", Json::Null),
        ("enfants.college", Json::Null),
        ("enfants.lycee", Json::Null),
        ("enfants.autres", Json::Null),
    ]);
    quiet(&run(&none, &c), "coherence.enfants");
    quiet(
        &run(&bilan_with(&[("enfants.total", Json::Null)]), &c),
        "coherence.enfants",
    );
}

#[test]
fn coherence_enfants_skips_an_unreadable_part() {
    let mut b = bilan_with(&[("enfants.college", Json::Null)]);
    set_problem(
        &mut b,
        "enfants.college",
        Problem::Unreadable("une huitaine".into()),
    );
    let f = run(&b, &ctx("national", false));
    quiet(&f, "coherence.enfants");
    fires(&f, "reponse.illisible");
}

#[test]
fn coherence_intervenants() {
    let c = ctx("rhone", false);
    fires(
        &run(&bilan_with(&[("intervenants.benevoles", json!(3))]), &c),
        "coherence.intervenants",
    );
    quiet(
        &run(&bilan_with(&[("intervenants.volontaires", Json::Null)]), &c),
        "coherence.intervenants",
    );
}

#[test]
fn coherence_heures() {
    let c = ctx("national", false);
    quiet(
        &run(
            &bilan_with(&[
                ("heures.salaries", json!(120.5)),
                ("heures.benevoles", json!(89.5)),
            ]),
            &c,
        ),
        "coherence.heures",
    );
    let f = run(&bilan_with(&[("heures.total", json!(210.5))]), &c);
    let hit = fires(&f, "coherence.heures");
    assert!(hit.message.contains("210,5"), "{}", hit.message);
}

#[test]
fn coherence_ratio_at_and_past_twenty_percent() {
    let c = ctx("national", false);
    // 20 children / 4 intervenants = 5.
    for ok in [5.0, 6.0, 4.0] {
        quiet(
            &run(
                &bilan_with(&[("enfants.par_accompagnateur", json!(ok))]),
                &c,
            ),
            "coherence.ratio",
        );
    }
    for bad in [6.1, 3.9] {
        let f = run(
            &bilan_with(&[("enfants.par_accompagnateur", json!(bad))]),
            &c,
        );
        let hit = fires(&f, "coherence.ratio");
        assert_eq!(hit.severity, Severity::Warning);
        assert!(
            hit.message.contains(&bad.to_string().replace('.', ",")),
            "{}",
            hit.message
        );
    }
    quiet(
        &run(
            &bilan_with(&[
                ("enfants.par_accompagnateur", Json::Null),
                ("intervenants.total", json!(4)),
            ]),
            &c,
        ),
        "coherence.ratio",
    );
}

#[test]
fn coherence_familles() {
    let c = ctx("national", false);
    quiet(
        &run(&bilan_with(&[("familles.nombre", json!(20))]), &c),
        "coherence.familles",
    );
    let f = run(&bilan_with(&[("familles.nombre", json!(21))]), &c);
    assert_eq!(fires(&f, "coherence.familles").severity, Severity::Warning);
}

// ---------------------------------------------------------------------------------------------
// reponse.*

#[test]
fn reponse_manquante_required_fields_are_errors() {
    let c = ctx("national", false);
    for id in [
        "porteur.nom",
        "action.numero",
        "enfants.total",
        "collectifs.nombre",
        "intervenants.total",
        "calendrier.semaines",
    ] {
        let f = run(&bilan_with(&[(id, Json::Null)]), &c);
        let hits = of(&f, "reponse.manquante");
        assert_eq!(hits.len(), 1, "{id}: {f:#?}");
        assert_eq!(hits[0].severity, Severity::Error);
        assert_eq!(hits[0].fields, [id]);
    }
}

#[test]
fn reponse_manquante_unanswered_yes_no_is_a_warning() {
    let c = ctx("national", false);
    let f = run(&bilan_with(&[("situation.logement", Json::Null)]), &c);
    let hit = fires(&f, "reponse.manquante");
    assert_eq!(hit.severity, Severity::Warning);
    assert_eq!(hit.fields, ["situation.logement"]);
    assert!(
        hit.message.contains("Conditions de logement"),
        "{}",
        hit.message
    );
}

#[test]
fn reponse_manquante_not_for_other_empty_texts() {
    let c = ctx("national", false);
    for id in [
        "referent.email",
        "referent.nom",
        "bilan.global",
        "etablissements",
        "calendrier.debut",
        "familles.nombre",
    ] {
        quiet(
            &run(&bilan_with(&[(id, Json::Null)]), &c),
            "reponse.manquante",
        );
    }
    // A project not carried out has no « écarts » to answer.
    let b = bilan_with(&[
        ("ouverture_culturelle.realise", json!(false)),
        ("ouverture_culturelle.ecart", Json::Null),
    ]);
    quiet(&run(&b, &c), "reponse.manquante");
    let b = bilan_with(&[("ouverture_culturelle.ecart", Json::Null)]);
    fires(&run(&b, &c), "reponse.manquante");
}

#[test]
fn reponse_contradictoire() {
    let c = ctx("national", false);
    let mut b = bilan_of(&base());
    set_problem(&mut b, "situation.logement", Problem::Contradictory);
    let f = run(&b, &c);
    let hit = fires(&f, "reponse.contradictoire");
    assert_eq!(hit.severity, Severity::Error);
    assert_eq!(hit.fields, ["situation.logement"]);
    quiet(&f, "reponse.manquante");
    quiet(&run(&bilan_of(&base()), &c), "reponse.contradictoire");
}

#[test]
fn reponse_illisible() {
    let c = ctx("national", false);
    let mut b = bilan_of(&base());
    set_problem(
        &mut b,
        "enfants.total",
        Problem::Unreadable("une quinzaine".into()),
    );
    let f = run(&b, &c);
    let hit = fires(&f, "reponse.illisible");
    assert_eq!(hit.severity, Severity::Warning);
    assert_eq!(hit.fields, ["enfants.total"]);
    assert!(
        hit.message.contains("« une quinzaine »") && hit.message.contains("nombre"),
        "{}",
        hit.message
    );
    // Something is written: not a missing answer, and the rules that need it say nothing.
    quiet(&f, "reponse.manquante");
    quiet(&f, "collectif.taille");
    quiet(&f, "coherence.enfants");
    quiet(&run(&bilan_of(&base()), &c), "reponse.illisible");
}

// ---------------------------------------------------------------------------------------------
// ecart.justification

#[test]
fn ecart_justification_for_each_question() {
    let c = ctx("national", false);
    for x in [
        "calendrier",
        "frequentation",
        "activites",
        "ouverture_culturelle",
        "projet_parents",
        "ecole",
    ] {
        let ecart = format!("{x}.ecart");
        let raisons = format!("{x}.ecart_raisons");
        let f = run(&bilan_with(&[(ecart.as_str(), json!(true))]), &c);
        let hit = fires(&f, "ecart.justification");
        assert_eq!(hit.severity, Severity::Error);
        assert_eq!(hit.fields, [ecart.clone(), raisons.clone()]);
        fires(
            &run(
                &bilan_with(&[
                    (ecart.as_str(), json!(true)),
                    (raisons.as_str(), json!("  ")),
                ]),
                &c,
            ),
            "ecart.justification",
        );
        quiet(
            &run(
                &bilan_with(&[
                    (ecart.as_str(), json!(true)),
                    (raisons.as_str(), json!("Travaux dans les locaux")),
                ]),
                &c,
            ),
            "ecart.justification",
        );
        quiet(
            &run(&bilan_with(&[(ecart.as_str(), json!(false))]), &c),
            "ecart.justification",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// axe.*

#[test]
fn axe_enfants() {
    let c = ctx("national", false);
    quiet(
        &run(&bilan_with(&[("activite.methodologie", json!(false))]), &c),
        "axe.enfants",
    );
    quiet(
        &run(&bilan_with(&[("activite.sorties", json!(false))]), &c),
        "axe.enfants",
    );
    let f = run(
        &bilan_with(&[
            ("activite.methodologie", json!(false)),
            ("activite.travail_personnel", json!(false)),
        ]),
        &c,
    );
    let hit = fires(&f, "axe.enfants");
    assert_eq!(hit.severity, Severity::Error);
    assert_eq!(
        hit.fields,
        ["activite.methodologie", "activite.travail_personnel"]
    );
    assert!(
        hit.message.contains("Référentiel national"),
        "{}",
        hit.message
    );
    // Not answered counts as not met; one finding per axe lists every unmet objective.
    let f = run(
        &bilan_with(&[
            ("suivi.mesure_assiduite", Json::Null),
            ("activite.sorties", json!(false)),
            ("activite.culture_sport", json!(false)),
        ]),
        &c,
    );
    let hits = of(&f, "axe.enfants");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].fields,
        [
            "activite.sorties",
            "activite.culture_sport",
            "suivi.mesure_assiduite"
        ]
    );
    assert!(
        hits[0].message.contains("sans réponse"),
        "{}",
        hits[0].message
    );
}

#[test]
fn axe_parents() {
    let c = ctx("rhone", false);
    for id in [
        "parents.reunion_information",
        "parents.convivialite",
        "parents.codes_ecole",
        "parents.partenaires",
    ] {
        let f = run(&bilan_with(&[(id, json!(false))]), &c);
        assert_eq!(fires(&f, "axe.parents").fields, [id]);
    }
    quiet(
        &run(
            &bilan_with(&[("parents.rencontres_individuelles", json!(false))]),
            &c,
        ),
        "axe.parents",
    );
    let f = run(
        &bilan_with(&[
            ("parents.rencontres_individuelles", json!(false)),
            ("parents.outils_liaison", Json::Null),
        ]),
        &c,
    );
    fires(&f, "axe.parents");
    // An optional activity is not an objective.
    quiet(
        &run(&bilan_with(&[("parents.numerique", json!(false))]), &c),
        "axe.parents",
    );
}

#[test]
fn axe_ecole() {
    let c = ctx("national", false);
    quiet(
        &run(
            &bilan_with(&[("ecole.partenariat_formalise", json!(false))]),
            &c,
        ),
        "axe.ecole",
    );
    fires(
        &run(
            &bilan_with(&[
                ("ecole.partenariat_formalise", json!(false)),
                ("ecole.partenariat_informel", json!(false)),
            ]),
            &c,
        ),
        "axe.ecole",
    );
    fires(
        &run(&bilan_with(&[("ecole.orientation", json!(false))]), &c),
        "axe.ecole",
    );
    fires(
        &run(&bilan_with(&[("ecole.rencontres", Json::Null)]), &c),
        "axe.ecole",
    );
}

#[test]
fn axe_territoire() {
    let c = ctx("national", false);
    quiet(
        &run(&bilan_with(&[("territoire.articulations", Json::Null)]), &c),
        "axe.territoire",
    );
    quiet(
        &run(&bilan_with(&[("territoire.acteurs", Json::Null)]), &c),
        "axe.territoire",
    );
    let f = run(
        &bilan_with(&[
            ("territoire.articulations", Json::Null),
            ("territoire.acteurs", json!(" ")),
        ]),
        &c,
    );
    let hit = fires(&f, "axe.territoire");
    assert_eq!(
        hit.fields,
        ["territoire.articulations", "territoire.acteurs"]
    );
    quiet(&f, "reponse.manquante");
}

// ---------------------------------------------------------------------------------------------
// format.contact

#[test]
fn format_contact_email() {
    let c = ctx("national", false);
    for bad in [
        "referente@centre",
        "referente.centre-minimes.fr",
        "referente @centre-minimes.fr",
    ] {
        let f = run(&bilan_with(&[("referent.email", json!(bad))]), &c);
        let hit = fires(&f, "format.contact");
        assert_eq!(hit.severity, Severity::Warning);
        assert_eq!(hit.fields, ["referent.email"]);
        assert!(hit.message.contains(bad));
    }
    quiet(
        &run(
            &bilan_with(&[("referent.email", json!("Claire.Martin@mairie-lyon.fr"))]),
            &c,
        ),
        "format.contact",
    );
}

#[test]
fn format_contact_phone() {
    let c = ctx("national", false);
    for ok in [
        "04 78 12 34 56",
        "04.78.12.34.56",
        "04-78-12-34-56",
        "0478123456",
        "+33 4 78 12 34 56",
        "+33478123456",
    ] {
        quiet(
            &run(&bilan_with(&[("referent.telephone", json!(ok))]), &c),
            "format.contact",
        );
    }
    for bad in [
        "04 78 12 34 5",
        "4 78 12 34 56",
        "04 78 12 34 56 7",
        "+33 04 78 12 34 56",
        "+33 4 78 12 34 5",
    ] {
        let f = run(&bilan_with(&[("referent.telephone", json!(bad))]), &c);
        assert_eq!(
            fires(&f, "format.contact").fields,
            ["referent.telephone"],
            "{bad}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// presence.*

#[test]
fn presence_effectif_children() {
    let c = ctx("national", false);
    let b = bilan_of(&base());
    let with = |a: usize, bb: usize| {
        presence_of(vec![
            collectif("CP-CE1", a, standard_sessions()),
            collectif("CM1-CM2", bb, standard_sessions()),
        ])
    };
    quiet(
        &run_with_presence(Some(&b), &with(11, 11), &c),
        "presence.effectif",
    );
    let f = run_with_presence(Some(&b), &with(12, 11), &c);
    let hit = fires(&f, "presence.effectif");
    assert_eq!(hit.severity, Severity::Warning);
    assert!(
        hit.message.contains("23 enfants") && hit.message.contains("20"),
        "{}",
        hit.message
    );
    quiet(
        &run_with_presence(Some(&b), &with(9, 9), &c),
        "presence.effectif",
    );
    fires(
        &run_with_presence(Some(&b), &with(9, 8), &c),
        "presence.effectif",
    );
    // Without the bilan, nothing to compare.
    quiet(
        &run_with_presence(None, &with(12, 11), &c),
        "presence.effectif",
    );
}

#[test]
fn presence_effectif_collectifs() {
    let c = ctx("national", false);
    let b = bilan_with(&[
        ("enfants.total", json!(21)),
        ("collectifs.nombre", json!(2)),
    ]);
    let three = presence_of(vec![
        collectif("A", 7, standard_sessions()),
        collectif("B", 7, standard_sessions()),
        collectif("C", 7, standard_sessions()),
    ]);
    let f = run_with_presence(Some(&b), &three, &c);
    let hits = of(&f, "presence.effectif");
    assert_eq!(hits.len(), 1, "{f:#?}");
    assert!(hits[0].fields.contains(&"collectifs.nombre".to_string()));
    let b3 = bilan_with(&[
        ("enfants.total", json!(21)),
        ("collectifs.nombre", json!(3)),
    ]);
    quiet(
        &run_with_presence(Some(&b3), &three, &c),
        "presence.effectif",
    );
}

#[test]
fn presence_semaines() {
    let c = ctx("national", false);
    let b = bilan_of(&base()); // 30 weeks declared
    let weeks = |n: usize| {
        let s = || weekly(d(2024, 11, 4), n, &[1, 3], 1.5);
        presence_of(vec![
            collectif("CP-CE1", 10, s()),
            collectif("CM1-CM2", 10, s()),
        ])
    };
    quiet(
        &run_with_presence(Some(&b), &weeks(28), &c),
        "presence.semaines",
    );
    quiet(
        &run_with_presence(Some(&b), &weeks(32), &c),
        "presence.semaines",
    );
    let f = run_with_presence(Some(&b), &weeks(27), &c);
    let hit = fires(&f, "presence.semaines");
    assert_eq!(hit.severity, Severity::Warning);
    assert!(hit.message.contains("27 semaines"), "{}", hit.message);
    fires(
        &run_with_presence(Some(&b), &weeks(33), &c),
        "presence.semaines",
    );
}

#[test]
fn presence_assiduite_counts_per_collectif_without_names() {
    let c = ctx("national", false);
    let mut low = collectif("CM1-CM2", 10, standard_sessions());
    low.enfants[0] = enfant(0, 29, 20, 11); // 48 %
    low.enfants[1] = enfant(1, 30, 30, 0); // 50 %: not under
    let f = run_with_presence(
        None,
        &presence_of(vec![collectif("CP-CE1", 10, standard_sessions()), low]),
        &c,
    );
    let hits = of(&f, "presence.assiduite");
    assert_eq!(hits.len(), 1, "{f:#?}");
    assert_eq!(hits[0].severity, Severity::Info);
    assert!(
        hits[0].message.contains("« CM1-CM2 »")
            && hits[0].message.contains("1 enfant présent sur 10"),
        "{}",
        hits[0].message
    );
    assert!(!hits[0].message.contains("NOM0") && !hits[0].message.contains("Prénom0"));
    quiet(
        &run_with_presence(None, &base_presence(), &c),
        "presence.assiduite",
    );
}

/// A Caf that sets the attendance threshold to 60 %: the rule, the synthesis's figures and
/// its column header all count the same children under 60 %.
#[test]
fn presence_assiduite_threshold_from_the_profile_is_the_synthesis_one() {
    let mut c = ctx("national", false);
    c.profile.tolerances.assiduite = 0.6;
    let mut low = collectif("CM1-CM2", 10, standard_sessions());
    low.enfants[0] = enfant(0, 29, 20, 11); // 48 %
    low.enfants[1] = enfant(1, 33, 27, 0); // 55 %: under 60 %, not under 50 %
    low.enfants[2] = enfant(2, 36, 24, 0); // 60 %: not under
    let presence = presence_of(vec![low]);
    let f = run_with_presence(None, &presence, &c);
    let hits = of(&f, "presence.assiduite");
    assert_eq!(hits.len(), 1, "{f:#?}");
    assert!(
        hits[0].message.contains("2 enfants présents sur 10") && hits[0].message.contains("60 %"),
        "{}",
        hits[0].message
    );
    let synthesis = clas::synthesis::Attendance::new(presence.clone(), 0.6);
    let total = synthesis.total().expect("a workbook has figures");
    assert_eq!(total.under_threshold, 2);
    // The workbook's JSON keeps the documented 50 % figure.
    let json = serde_json::to_value(&presence.collectifs.as_ref().unwrap()[0]).unwrap();
    assert_eq!(json["enfants_moins_50"], json!(1));
}

// ---------------------------------------------------------------------------------------------
// note.totaux

/// A TOTAL row: level, then (column, value written).
type Total<'a> = (&'a str, Vec<(&'a str, Option<i64>)>);

fn note(rows: Json, totals: Vec<Total>) -> Extraction {
    let mut m = Map::new();
    m.insert("territoire.nom".into(), json!("Villefranche-sur-Saône"));
    m.insert(
        "coordonnateur.email".into(),
        json!("coordination@villefranche.fr"),
    );
    m.insert("coordonnateur.telephone".into(), json!("04 74 00 00 01"));
    for id in [
        "inscription.contrat_ville",
        "inscription.pedt",
        "inscription.ctg",
    ] {
        m.insert(id.into(), json!(true));
    }
    m.insert("dispositifs".into(), rows);
    let mut e = Extraction::from_json(FormKind::NoteStrategique, "test", &m);
    e.totaux = totals
        .into_iter()
        .map(|(niveau, values)| LevelTotal {
            niveau: niveau.into(),
            values: values
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            place: Default::default(),
        })
        .collect();
    e
}

fn note_rows() -> Json {
    json!([
        {"niveau": "elementaire", "etablissement": "École Jean Jaurès", "clas": 12, "clas_qpv": 8, "pre": null},
        {"niveau": "elementaire", "etablissement": "École Pasteur", "clas": 13, "clas_qpv": null, "pre": 4},
        {"niveau": "college", "etablissement": "Collège Jean Moulin", "clas": 10, "clas_qpv": 6, "pre": null}
    ])
}

#[test]
fn note_totaux() {
    let c = ctx("national", false);
    let ok = note(
        note_rows(),
        vec![
            (
                "elementaire",
                vec![("clas", Some(25)), ("clas_qpv", Some(8)), ("pre", Some(4))],
            ),
            ("college", vec![("clas", Some(10))]),
        ],
    );
    let f = check(None, None, Some(&ok), &c);
    assert!(f.is_empty(), "{f:#?}");
    let bad = note(
        note_rows(),
        vec![
            ("elementaire", vec![("clas", Some(26)), ("pre", None)]),
            ("college", vec![("clas", Some(10))]),
        ],
    );
    let f = check(None, None, Some(&bad), &c);
    let hits = of(&f, "note.totaux");
    assert_eq!(hits.len(), 1, "{f:#?}");
    assert_eq!(hits[0].severity, Severity::Error);
    assert_eq!(hits[0].fields, ["dispositifs"]);
    assert!(
        hits[0].message.contains("26")
            && hits[0].message.contains("25")
            && hits[0].message.contains("élémentaire"),
        "{}",
        hits[0].message
    );
    // An empty TOTAL is computed, not a finding.
    let empty = note(
        note_rows(),
        vec![
            ("elementaire", vec![("clas", None)]),
            ("lycee", vec![("clas", None)]),
        ],
    );
    quiet(&check(None, None, Some(&empty), &c), "note.totaux");
}

#[test]
fn note_answers_and_contacts() {
    let c = ctx("national", false);
    let mut n = note(note_rows(), vec![]);
    n.fields
        .iter_mut()
        .find(|f| f.id == "inscription.pedt")
        .unwrap()
        .value = clas::extraction::Value::Null;
    n.fields
        .iter_mut()
        .find(|f| f.id == "coordonnateur.telephone")
        .unwrap()
        .value = clas::extraction::Value::Text("04 74".into());
    let f = check(None, None, Some(&n), &c);
    assert_eq!(fires(&f, "reponse.manquante").fields, ["inscription.pedt"]);
    assert_eq!(
        fires(&f, "format.contact").fields,
        ["coordonnateur.telephone"]
    );
}

// ---------------------------------------------------------------------------------------------
// Order, determinism

#[test]
fn findings_sorted_errors_warnings_info_then_rule() {
    let c = ctx("national", false);
    let b = bilan_with(&[
        ("familles.nombre", json!(31)),
        ("referent.email", json!("x@y")),
        ("calendrier.semaines", json!(20)),
        ("enfants.total", json!(30)),
        ("situation.logement", Json::Null),
    ]);
    let mut low = collectif("CM1-CM2", 10, standard_sessions());
    low.enfants[0] = enfant(0, 1, 20, 0);
    let p = presence_of(vec![collectif("CP-CE1", 10, standard_sessions()), low]);
    let f = check(Some(&b), Some(&p), None, &c);
    let keys: Vec<(Severity, &str)> = f.iter().map(|x| (x.severity, x.rule.as_str())).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    assert_eq!(keys, sorted);
    assert_eq!(f.first().unwrap().severity, Severity::Error);
    assert_eq!(f.last().unwrap().severity, Severity::Info);
    assert!(keys.contains(&(Severity::Warning, "coherence.familles")));
    assert_eq!(f, check(Some(&b), Some(&p), None, &c));
}

// ---------------------------------------------------------------------------------------------
// Profiles

#[test]
fn embedded_profiles_parse_with_their_thresholds() {
    let national = load_profile("national", None).unwrap();
    assert_eq!(national.titre, "Référentiel national");
    assert_eq!(
        (
            national.collectif.enfants_min,
            national.collectif.enfants_max
        ),
        (8.0, 12.0)
    );
    assert_eq!(national.encadrement.intervenants_min, 2.0);
    assert_eq!(national.seances.par_semaine_min, 2.0);
    assert_eq!(national.seances.duree_min_h, 1.0);
    assert_eq!(national.semaines.min, 30.0);
    assert_eq!(national.rural.enfants_min, 5.0);
    assert_eq!(national.rural.duree_min_h_une_seance, 2.0);
    let rhone = load_profile("rhone", None).unwrap();
    assert_eq!(rhone.titre, "Cahier des charges de la Caf du Rhône");
    assert_eq!(rhone.seances.duree_min_h, 1.5);
    assert_eq!(rhone.semaines.min, 27.0);
    assert!(
        rhone
            .collectif
            .source
            .starts_with("Cahier des charges de la Caf du Rhône")
    );
    let cal = Calendar::embedded();
    for (y, day) in [
        (2019, 4),
        (2020, 2),
        (2021, 8),
        (2022, 7),
        (2023, 6),
        (2024, 4),
        (2025, 3),
        (2026, 2),
    ] {
        assert_eq!(cal.toussaint_end(y), Some(d(y, 11, day)));
    }
}

#[test]
fn unknown_profile_lists_the_known_ones() {
    let err = load_profile("gironde", None).unwrap_err();
    assert!(matches!(err, RulesError::UnknownProfile { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("gironde")
            && msg.contains("national")
            && msg.contains("rhone")
            && msg.contains("inconnu"),
        "{msg}"
    );
    assert!(load_profile("../national", None).is_err());
}

fn national_text() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/national.toml")).unwrap()
}

#[test]
fn override_file_in_workspace_wins() {
    let dir = tempfile::tempdir().unwrap();
    let text = national_text().replace("min = 30\n", "min = 25\n");
    std::fs::write(dir.path().join("national.toml"), text).unwrap();
    let p = load_profile("national", Some(dir.path())).unwrap();
    assert_eq!(p.semaines.min, 25.0);
    let c = Context {
        profile: p,
        calendar: Calendar::embedded(),
        rural: false,
    };
    quiet(
        &run(&bilan_with(&[("calendrier.semaines", json!(27))]), &c),
        "duree.semaines",
    );
    // The other embedded profile is still there, and a new one can be added.
    assert_eq!(
        load_profile("rhone", Some(dir.path()))
            .unwrap()
            .semaines
            .min,
        27.0
    );
    std::fs::write(
        dir.path().join("gironde.toml"),
        national_text().replace("Référentiel national", "Caf de la Gironde"),
    )
    .unwrap();
    assert_eq!(
        known_profiles(Some(dir.path())),
        ["gironde", "national", "rhone"]
    );
    let g = load_profile("gironde", Some(dir.path())).unwrap();
    assert_eq!(g.name, "gironde");
    assert!(g.collectif.source.starts_with("Caf de la Gironde"));
    // Context::load uses the same folder.
    let c = Context::load("gironde", Some(dir.path()), true).unwrap();
    assert!(c.rural);
}

#[test]
fn malformed_override_names_the_file_and_line_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let text = national_text().replace("enfants_max = 12", "enfants_max = douze");
    let line = text.lines().position(|l| l.contains("douze")).unwrap() + 1;
    let path = dir.path().join("national.toml");
    std::fs::write(&path, text).unwrap();
    let err = load_profile("national", Some(dir.path())).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, RulesError::Malformed { .. }), "{err:?}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains(&format!("ligne {line}")), "{msg}");
    assert!(msg.contains("mal formé"), "{msg}");

    // A missing threshold, a threshold that makes no sense, a rule id that does not exist.
    let missing = national_text().replace("duree_min_h = 1.0\n", "");
    std::fs::write(&path, missing).unwrap();
    let msg = load_profile("national", Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("champ obligatoire absent") && msg.contains("duree_min_h"),
        "{msg}"
    );
    let inverted = national_text().replace("enfants_min = 8", "enfants_min = 14");
    std::fs::write(&path, inverted).unwrap();
    let msg = load_profile("national", Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("enfants_min") && msg.contains("ligne"),
        "{msg}"
    );
    let unknown_rule = national_text().replace(
        "regles_desactivees = []",
        "regles_desactivees = [\"axe.lune\"]",
    );
    std::fs::write(&path, unknown_rule).unwrap();
    let msg = load_profile("national", Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("axe.lune"), "{msg}");

    // A broken calendar too.
    std::fs::write(
        dir.path().join("calendrier.toml"),
        "[reprise_toussaint]\n2024 = 2024-13-04\n",
    )
    .unwrap();
    let msg = load_calendar(Some(dir.path())).unwrap_err().to_string();
    assert!(
        msg.contains("calendrier.toml") && msg.contains("ligne 2"),
        "{msg}"
    );
}

#[test]
fn disabled_rules_give_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    let text = national_text().replace(
        "regles_desactivees = []",
        "regles_desactivees = [\"axe.territoire\"]",
    );
    std::fs::write(dir.path().join("national.toml"), text).unwrap();
    let c = Context::load("national", Some(dir.path()), false).unwrap();
    let b = bilan_with(&[
        ("territoire.articulations", Json::Null),
        ("territoire.acteurs", Json::Null),
    ]);
    quiet(&run(&b, &c), "axe.territoire");
    fires(&run(&b, &ctx("national", false)), "axe.territoire");
}

// ---------------------------------------------------------------------------------------------
// same_action

#[test]
fn same_action_is_tolerant() {
    let b = bilan_of(&base());
    assert!(same_action(&b, &base_presence()));
    let other = |porteur: &str, numero: &str| {
        let mut m = Map::new();
        m.insert("porteur.nom".into(), json!(porteur));
        m.insert("action.numero".into(), json!(numero));
        Extraction::from_json(FormKind::Presence, "test", &m)
    };
    assert!(same_action(&b, &other("centre-social des Minimes.", "03")));
    assert!(same_action(&b, &other("Centre socail des Minimes", "3")));
    assert!(same_action(&b, &other("Centre social des Minimess", "3")));
    assert!(!same_action(&b, &other("Centre social des Mimines", "3")));
    assert!(same_action(
        &b,
        &other("Centre  Social  dés Minimes", "Action n°3")
    ));
    assert!(!same_action(&b, &other("Centre social des Minimes", "4")));
    assert!(!same_action(&b, &other("Centre social de la Duchère", "3")));
    assert!(!same_action(
        &b,
        &bilan_with(&[("action.numero", Json::Null)])
    ));
}

/// A rule of the registry that no code emits, or a rule emitted that the registry lacks, is
/// a drift between what is documented, configured and implemented. Emitted findings are
/// checked against the registry as they are made (debug builds, so every test above); here,
/// every registry id must be emitted somewhere in the rules' code.
#[test]
fn every_rule_of_the_registry_is_implemented() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/findings/rules");
    let code: String = std::fs::read_dir(&dir)
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    for id in clas::findings::registry::ids() {
        assert!(
            code.contains(&format!("\"{id}\"")),
            "rule {id} is in the registry but no rule emits it"
        );
    }
}
