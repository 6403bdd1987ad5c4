//! Synthetic bilans: random but plausible answers and filling styles from a seed, for
//! volume and robustness tests of the reader (`clas-forms --synth N DIR`).

use crate::Rng;
use crate::bilan::{
    Answer, BilanAnswers, BoxStyle, FIELDS, FieldType, FillStyle, Multiline, Placement,
};
use crate::docx::{LegacyBox, RPr};
use crate::french::{DateStyle, NumberStyle, Ymd};

const ASSOCIATIONS: &[&str] = &[
    "Association Les Petits Pas",
    "Centre social Les Acacias",
    "Foyer laïque du Bourg",
    "Association Entraide Scolaire",
    "Maison des jeunes et de la culture du Pont",
    "Association Lire et Grandir",
];
const TOWNS: &[(&str, &str)] = &[
    ("47000", "Agen"),
    ("47300", "Villeneuve-sur-Lot"),
    ("47200", "Marmande"),
    ("47600", "Nérac"),
    ("47400", "Tonneins"),
    ("47500", "Fumel"),
    ("47110", "Sainte-Livrade-sur-Lot"),
    ("47240", "Bon-Encontre"),
];
const FIRST: &[&str] = &[
    "Claire", "Julien", "Nadia", "Thomas", "Sophie", "Karim", "Élodie", "Marc",
];
const LAST: &[&str] = &[
    "Martin", "Dubois", "Lacroix", "Benoît", "Garcia", "Roussel", "Mercier", "Faure",
];
const STREETS: &[&str] = &[
    "rue des Écoles",
    "avenue de la Gare",
    "place du Marché",
    "rue Victor Hugo",
    "allée des Pins",
];
const SCHOOLS: &[&str] = &[
    "École Jules Ferry",
    "école Paul Bert",
    "école Jean Moulin",
    "collège Jean Rostand",
    "collège Marie Curie",
];
const SENTENCES: &[&str] = &[
    "Les enfants ont progressé dans l’organisation de leur travail.",
    "Les familles sont venues nombreuses aux temps de convivialité.",
    "Le partenariat avec les enseignants s’est renforcé cette année.",
    "Nous avons manqué de bénévoles au deuxième trimestre.",
    "Les sorties culturelles ont été très appréciées.",
    "Le recrutement d’un animateur a retardé le démarrage.",
    "Une formation sur l’accompagnement des collégiens serait utile.",
];

fn pick<'a>(rng: &mut Rng, v: &[&'a str]) -> &'a str {
    v[rng.below(v.len())]
}

fn sentences(rng: &mut Rng, max_lines: usize) -> String {
    let n = 1 + rng.below(max_lines);
    (0..n)
        .map(|_| pick(rng, SENTENCES))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Random answers: consistent figures most of the time, some questions unanswered or
/// ticked twice now and then.
pub fn random_answers(rng: &mut Rng) -> BilanAnswers {
    let mut a = BilanAnswers::new(2025);
    let (cp, town) = TOWNS[rng.below(TOWNS.len())];
    let first = pick(rng, FIRST);
    let last = pick(rng, LAST);
    a.text("porteur.nom", pick(rng, ASSOCIATIONS))
        .text("action.numero", &(1 + rng.below(6)).to_string())
        .text("referent.nom", &format!("{first} {last}"))
        .text(
            "referent.telephone",
            &format!(
                "05 53 {:02} {:02} {:02}",
                rng.below(100),
                rng.below(100),
                rng.below(100)
            ),
        )
        .text(
            "referent.email",
            &format!(
                "{}.{}@exemple-asso.fr",
                first.to_lowercase(),
                last.to_lowercase()
            )
            .replace('é', "e")
            .replace('ê', "e"),
        )
        .text(
            "action.lieu",
            &format!("{} {}, {cp} {town}", 1 + rng.below(40), pick(rng, STREETS)),
        )
        .text(
            "etablissements",
            &format!("{}, {}", pick(rng, &SCHOOLS[..3]), pick(rng, &SCHOOLS[3..])),
        );
    let local = rng.below(3);
    for (i, id) in ["local.associatif", "local.municipal", "local.scolaire"]
        .iter()
        .enumerate()
    {
        a.check(id, i == local);
    }
    for id in ["zonage.rep", "zonage.pre", "zonage.politique_ville"] {
        a.check(id, rng.chance(1, 2));
    }
    let start = Ymd(2025, 9, 15 + rng.below(14) as u32);
    let end = Ymd(2026, 6, 1 + rng.below(14) as u32);
    a.set("calendrier.debut", Answer::Date(start));
    a.set("calendrier.fin", Answer::Date(end));
    a.int("calendrier.semaines", 28 + rng.below(8) as i64);
    let collectifs = 1 + rng.below(3) as i64;
    let total = collectifs * (8 + rng.below(5) as i64);
    let college = rng.below(total as usize / 2) as i64;
    a.int("collectifs.nombre", collectifs)
        .int("enfants.total", total)
        .int("enfants.elementaire", total - college)
        .int("enfants.college", college)
        .int("enfants.lycee", 0)
        .int("enfants.autres", 0)
        .int("familles.nombre", total - rng.below(4) as i64);
    let sal = 1 + rng.below(2) as i64;
    let ben = 1 + rng.below(4) as i64;
    let vol = rng.below(2) as i64;
    let hs = 100.0 * sal as f64 + 20.0 * rng.below(10) as f64;
    let hb = 50.0 * ben as f64 + 12.5 * rng.below(4) as f64;
    let hv = 60.0 * vol as f64;
    a.int("intervenants.salaries", sal)
        .int("intervenants.volontaires", vol)
        .int("intervenants.benevoles", ben)
        .int("intervenants.total", sal + vol + ben)
        .dec("heures.salaries", hs)
        .dec("heures.volontaires", hv)
        .dec("heures.benevoles", hb)
        .dec("heures.total", hs + hv + hb)
        .dec(
            "enfants.par_accompagnateur",
            ((total as f64 / (sal + vol + ben) as f64) * 10.0).round() / 10.0,
        );
    for def in FIELDS {
        match def.kind {
            FieldType::YesNo => {
                let r = rng.below(40);
                let ans = match r {
                    0 => Answer::Empty,
                    1 => Answer::Both,
                    _ if r < 28 => Answer::Yes,
                    _ => Answer::No,
                };
                a.set(def.id, ans);
            }
            FieldType::Text if def.id.ends_with("ecart_raisons") => {}
            FieldType::Text if a.get(def.id) == &Answer::Empty && rng.below(5) > 0 => {
                a.text(def.id, &sentences(rng, 3));
            }
            _ => {}
        }
    }
    for id in ["moyens.ecart_raisons", "parents.ecart_raisons"] {
        if rng.chance(1, 3) {
            a.text(id, &sentences(rng, 2));
        }
    }
    for sec in [
        "calendrier",
        "frequentation",
        "activites",
        "ouverture_culturelle",
        "projet_parents",
        "ecole",
    ] {
        if a.get(&format!("{sec}.ecart")) == &Answer::Yes && rng.below(6) > 0 {
            a.text(&format!("{sec}.ecart_raisons"), &sentences(rng, 2));
        }
    }
    a
}

/// A random filling style.
pub fn random_style(rng: &mut Rng, seed: u64) -> FillStyle {
    let boxes = [
        BoxStyle::Legacy,
        BoxStyle::ContentControl,
        BoxStyle::GlyphAfterWord,
        BoxStyle::GlyphOneLine,
    ];
    let mut s = FillStyle {
        seed,
        author: "Synthèse",
        modified: "2026-06-01T12:00:00Z",
        revision: 2,
        ..FillStyle::blank()
    };
    s.boxes = boxes[rng.below(boxes.len())];
    for sec in ["situations", "origine", "enfants", "parents", "ecole"] {
        if rng.chance(1, 6) {
            s.section_boxes.push((sec, boxes[rng.below(boxes.len())]));
        }
        if rng.chance(1, 8) {
            s.table_sections.push(sec);
        }
    }
    let ticks = [
        LegacyBox::Checked,
        LegacyBox::CheckedVal1,
        LegacyBox::CheckedTrue,
        LegacyBox::DefaultOn,
    ];
    let unticks = [LegacyBox::Blank, LegacyBox::Unchecked0];
    s.ticked = (0..1 + rng.below(3))
        .map(|_| ticks[rng.below(ticks.len())])
        .collect();
    s.unticked = (0..1 + rng.below(2))
        .map(|_| unticks[rng.below(unticks.len())])
        .collect();
    let places = [
        Placement::Over,
        Placement::After,
        Placement::Middle,
        Placement::Before,
        Placement::Below,
        Placement::OnLabelLine,
    ];
    s.placements = (0..1 + rng.below(3))
        .map(|_| places[rng.below(places.len())])
        .collect();
    let numbers = [
        NumberStyle::Plain,
        NumberStyle::Grouped,
        NumberStyle::GroupedNbsp,
        NumberStyle::WithUnit,
    ];
    s.numbers = (0..1 + rng.below(2))
        .map(|_| numbers[rng.below(numbers.len())])
        .collect();
    let dates = [
        DateStyle::Slash,
        DateStyle::SlashShort,
        DateStyle::Dots,
        DateStyle::Long,
        DateStyle::LongWeekday,
    ];
    s.dates = (0..1 + rng.below(2))
        .map(|_| dates[rng.below(dates.len())])
        .collect();
    s.multiline = if rng.chance(1, 2) {
        Multiline::Paragraphs
    } else {
        Multiline::Breaks
    };
    s.split_labels = [0, 0, 1, 2, 3][rng.below(5)];
    s.split_answers = [0, 0, 1, 2][rng.below(4)];
    if rng.chance(1, 2) {
        s.answer_rpr = RPr {
            color: Some("1F497D"),
            ..RPr::default()
        };
    }
    s.glyph_font = [Some("MS Gothic"), Some("Segoe UI Symbol"), None][rng.below(3)];
    s
}

/// The synthetic bilan number `n`: answers and style, both from the seed.
pub fn synthetic(n: u64) -> (BilanAnswers, FillStyle) {
    let mut rng = Rng::new(0xC1A5_0000 + n);
    let a = random_answers(&mut rng);
    let s = random_style(&mut rng, 1000 + n);
    (a, s)
}
