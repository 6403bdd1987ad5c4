//! The sample workbooks: fictional porteurs and children (test data), one workbook per
//! variant of docs/presence.md and per attendance rule of docs/rules.md. Four of them are the
//! attendance workbooks of bilan samples of `samples/` (same porteur, action, collectifs,
//! children count and period).

use crate::model::{Date, Group, Rng, calendar, children, registered_between, ymd};
use crate::sheets::{Dates, Duree, Marks, Style};

pub struct Sample {
    /// File name without extension.
    pub name: &'static str,
    pub porteur: &'static str,
    pub action: &'static str,
    pub groups: Vec<Group>,
    pub style: Style,
    pub instructions: bool,
    /// What it is there for.
    pub about: &'static str,
}

/// The school year of every sample, as the bilan samples.
pub const ANNEE: &str = "2025-2026";
pub const DEFAULT_H: f64 = 1.5;

/// Classes resume after the Toussaint holidays.
const RENTREE: Date = ymd(2025, 11, 3);
const END: Date = ymd(2026, 6, 12);
/// A shorter period for the layout variants: November to mid-January.
const SHORT_END: Date = ymd(2026, 1, 16);

const ECOLES: [&str; 3] = [
    "École élémentaire Jean Jaurès",
    "École élémentaire Jules Ferry",
    "École Pasteur",
];
const COLLEGES: [&str; 2] = ["Collège Victor Hugo", "Collège Louise Michel"];
const PRIMAIRE: [&str; 5] = ["CP", "CE1", "CE2", "CM1", "CM2"];
const COLLEGE: [&str; 4] = ["6e", "5e", "4e", "3e"];

fn regular(_: usize, rng: &mut Rng) -> f64 {
    0.78 + 0.2 * rng.unit()
}

struct G {
    sheet: &'static str,
    nom: &'static str,
    lieu: &'static str,
    accompagnateurs: &'static str,
    weekdays: &'static [u32],
    start: Date,
    end: Date,
    hours: Option<f64>,
    children: usize,
    college: bool,
}

fn group(rng: &mut Rng, g: G, attendance: impl Fn(usize, &mut Rng) -> f64) -> Group {
    let dates = calendar(g.start, g.end, g.weekdays);
    let (niveaux, etabs): (&[&str], &[&str]) = if g.college {
        (&COLLEGE, &COLLEGES)
    } else {
        (&PRIMAIRE, &ECOLES)
    };
    let kids = children(rng, g.children, niveaux, etabs, dates.len(), attendance);
    Group {
        sheet: g.sheet.to_string(),
        nom: g.nom.to_string(),
        lieu: g.lieu.to_string(),
        accompagnateurs: g.accompagnateurs.to_string(),
        durees: vec![g.hours; dates.len()],
        dates,
        children: kids,
    }
}

/// A collectif of `children`, 1 h 30 sessions on `weekdays` from the Toussaint to `end`.
fn g(sheet: &'static str, weekdays: &'static [u32], end: Date, children: usize) -> G {
    G {
        sheet,
        nom: sheet,
        lieu: "Salle municipale",
        accompagnateurs: "Mme Aubert, M. Keller",
        weekdays,
        start: RENTREE,
        end,
        hours: Some(1.5),
        children,
        college: false,
    }
}

const MON_THU: &[u32] = &[0, 3];
const TUE_THU: &[u32] = &[1, 3];

pub fn all() -> Vec<Sample> {
    let mut out = Vec::new();
    let mut rng = Rng::new(2025);

    // Bilan `centre-social-du-pin`: action 1, 24 children in 2 collectifs, 22/09/2025 to
    // 11/06/2026, 31 weeks declared.
    {
        let pin = |sheet, weekdays| G {
            start: ymd(2025, 9, 22),
            lieu: "Centre social du Pin",
            accompagnateurs: "Mme Roques, M. Delpech",
            ..g(sheet, weekdays, ymd(2026, 6, 11), 12)
        };
        let mut a = group(&mut rng, pin("CP-CE1", MON_THU), regular);
        let mut b = group(&mut rng, pin("CM1-CM2", TUE_THU), regular);
        // One child arrives in January, one leaves in March: empty cells before and after.
        let n = a.dates.len();
        registered_between(&mut a.children[11], 22, n);
        registered_between(&mut b.children[11], 0, 40);
        out.push(Sample {
            name: "centre-social-du-pin",
            porteur: "Centre social du Pin",
            action: "1",
            groups: vec![a, b],
            style: Style { year_label: true, ..Style::default() },
            instructions: true,
            about: "modèle de référence (feuille Instructions, vraies dates, ligne Durée (h), P/A/E), deux collectifs de 12 ; le cahier du bilan `centre-social-du-pin`",
        });
    }
    // Bilan `savoirs-partages-nerac`: action 2, 20 children in 2 collectifs, 01/12/2025 to
    // 15/06/2026 (26 weeks declared, 22 with a session here: a `presence.semaines` gap).
    {
        let albret = |sheet| G {
            start: ymd(2025, 12, 1),
            lieu: "Médiathèque de Nérac",
            college: true,
            ..g(sheet, TUE_THU, ymd(2026, 6, 15), 10)
        };
        out.push(Sample {
            name: "savoirs-partages-nerac",
            porteur: "Association Savoirs Partagés en Albret",
            action: "2",
            groups: vec![
                group(&mut rng, albret("Sixièmes"), regular),
                group(&mut rng, albret("Cinquièmes"), regular),
            ],
            style: Style { dates: Dates::Text, duree: Duree::Text, ..Style::default() },
            instructions: false,
            about: "dates écrites en texte (02/12/2025), durées en texte (1 h 30) ; le cahier du bilan `savoirs-partages-nerac` (22 semaines avec séance pour 26 déclarées : `presence.semaines`)",
        });
    }
    // Bilan `coteaux-solidaires-duras`: rural, action 1, 1 collectif of 6 children, from
    // 03/11/2025.
    out.push(Sample {
        name: "coteaux-solidaires-duras",
        porteur: "Association Les Coteaux Solidaires",
        action: "1",
        groups: vec![group(
            &mut rng,
            G {
                hours: Some(2.0),
                lieu: "Foyer de Duras",
                accompagnateurs: "Mme Lafon",
                ..g("Mercredi", &[2], END, 6)
            },
            regular,
        )],
        style: Style::default(),
        instructions: false,
        about: "règle : une séance par semaine (le mercredi), de 2 h, 6 enfants (action rurale) ; le cahier du bilan `coteaux-solidaires-duras`",
    });
    // Bilan `espace-jeunes-fumel`: action 5, 28 children in 2 collectifs of 14, from
    // 15/09/2025 to 05/06/2026.
    {
        let fumel = |sheet| G {
            start: ymd(2025, 9, 15),
            lieu: "Espace jeunes, Fumel",
            college: true,
            ..g(sheet, TUE_THU, ymd(2026, 6, 5), 14)
        };
        out.push(Sample {
            name: "espace-jeunes-fumel",
            porteur: "Espace jeunes Les Tilleuls",
            action: "5",
            groups: vec![
                group(&mut rng, fumel("Groupe 1"), regular),
                group(&mut rng, fumel("Groupe 2"), regular),
            ],
            style: Style::default(),
            instructions: true,
            about: "règle : collectifs de 14 enfants ; le cahier du bilan `espace-jeunes-fumel`",
        });
    }

    out.push(Sample {
        name: "dates-jour-semaine",
        porteur: "Maison de quartier du Parc",
        action: "3",
        groups: vec![group(&mut rng, g("Mardi-jeudi", TUE_THU, SHORT_END, 9), regular)],
        style: Style {
            dates: Dates::Weekday,
            duree: Duree::Time,
            action_as_number: true,
            ..Style::default()
        },
        instructions: false,
        about: "dates « mar. 04/11/2025 », durées en heures Excel (01:30), numéro d'action en nombre",
    });
    out.push(Sample {
        name: "dates-sans-annee",
        porteur: "Maison de quartier du Parc",
        action: "4",
        groups: vec![group(&mut rng, g("Lundi-jeudi", MON_THU, SHORT_END, 8), regular)],
        style: Style { dates: Dates::DayMonth, year_label: true, ..Style::default() },
        instructions: false,
        about: "dates « 03/11 » sans année : l'année vient de « Année scolaire : 2025-2026 » (janvier → 2026)",
    });
    out.push(Sample {
        name: "dates-mois-fusionnes",
        porteur: "Amicale laïque de Saint-Rémy",
        action: "1",
        groups: vec![
            group(&mut rng, g("Groupe A", MON_THU, SHORT_END, 9), regular),
            group(&mut rng, g("Groupe B", TUE_THU, SHORT_END, 8), regular),
        ],
        style: Style {
            dates: Dates::MonthRow,
            ..Style::default()
        },
        instructions: true,
        about: "une ligne de mois fusionnée (« novembre 2025 ») au-dessus des numéros de jour",
    });
    out.push(Sample {
        name: "marques-variees",
        porteur: "MJC Jean Vilar",
        action: "2",
        groups: vec![group(
            &mut rng,
            G { nom: "Les Explorateurs", ..g("Marques", MON_THU, SHORT_END, 10) },
            regular,
        )],
        style: Style {
            marks: Marks::Varied,
            bad_marks: vec![(0, 2, 3, "?"), (0, 5, 7, "R")],
            ..Style::default()
        },
        instructions: false,
        about: "marques en toutes casses : P p X x 1 ✓ présent, A a 0 abs ABS Abs., E e excusé ; deux marques illisibles (avertissements)",
    });
    out.push(Sample {
        name: "mise-en-page-libre",
        porteur: "MJC Jean Vilar",
        action: "3",
        groups: vec![group(
            &mut rng,
            G { nom: "Les Curieux", ..g("Feuil1", MON_THU, SHORT_END, 10) },
            regular,
        )],
        style: Style { shifted: true, year_label: true, ..Style::default() },
        instructions: false,
        about: "titre fusionné, en-tête descendu avec lignes vides, colonne A vide, colonne vide avant les séances, ligne vide entre les enfants, légende",
    });
    {
        let mut grp = group(
            &mut rng,
            G {
                nom: "Soutien 6e",
                college: true,
                ..g("Collectif", TUE_THU, SHORT_END, 9)
            },
            regular,
        );
        grp.durees.iter_mut().for_each(|d| *d = None);
        out.push(Sample {
            name: "totaux-sans-duree",
            porteur: "Association Coup d'Élan",
            action: "1",
            groups: vec![grp],
            style: Style { totals: true, duree: Duree::None, recap: true, ..Style::default() },
            instructions: false,
            about: "colonne et ligne de totaux (formules), lignes vides en fin de tableau, pas de ligne Durée : 1,5 h par défaut, feuille « Récapitulatif » (ignorée)",
        });
    }
    out.push(Sample {
        name: "regle-seances-1h",
        porteur: "Maison de quartier du Parc",
        action: "5",
        groups: vec![group(
            &mut rng,
            G {
                hours: Some(1.0),
                nom: "Petits lecteurs",
                ..g("Collectif 1", MON_THU, SHORT_END, 10)
            },
            regular,
        )],
        style: Style::default(),
        instructions: false,
        about: "règle : séances d'une heure",
    });
    out.push(Sample {
        name: "regle-absences",
        porteur: "Centre social Les Acacias",
        action: "3",
        groups: vec![group(
            &mut rng,
            G {
                nom: "Groupe du soir",
                ..g("Absences", MON_THU, SHORT_END, 10)
            },
            // One child in three comes less than half of the time.
            |i, rng| {
                if i % 3 == 0 {
                    0.2 + 0.15 * rng.unit()
                } else {
                    0.7 + 0.2 * rng.unit()
                }
            },
        )],
        style: Style::default(),
        instructions: false,
        about: "règle : beaucoup d'absences, des enfants présents à moins de 50 % des séances",
    });
    out.push(Sample {
        name: "regle-jour-ferie",
        porteur: "Centre social Les Acacias",
        action: "4",
        groups: vec![group(&mut rng, g("Mardi-jeudi", TUE_THU, ymd(2025, 12, 19), 9), regular)],
        style: Style::default(),
        instructions: false,
        about: "règle : deux séances par semaine (mardi, jeudi) ; la semaine du 11 novembre (férié, un mardi) n'en a qu'une",
    });
    out
}
