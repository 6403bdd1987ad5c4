//! Whole workbooks through [`extract`]: the reference layout and its variants (month rows,
//! shifted tables, totals, summary sheets), and workbooks that are not attendance workbooks.
//! The small cell builders here serve the other modules' tests too.

use super::*;
use crate::document::{Format, Place};
use crate::extraction::Seance;

pub(super) fn t(s: &str) -> Cell {
    Cell::Text(s.into())
}
pub(super) fn n(x: f64) -> Cell {
    Cell::Number(x)
}
pub(super) fn d(y: i32, m: u32, day: u32) -> Date {
    Date::new(y, m, day).unwrap()
}
fn doc(sheets: Vec<(&str, Vec<Vec<Cell>>)>) -> Document {
    Document {
        format: Format::Spreadsheet,
        tables: sheets
            .into_iter()
            .map(|(name, rows)| Table {
                name: name.into(),
                rows,
            })
            .collect(),
        ..Document::default()
    }
}
fn row(cells: &[&str]) -> Vec<Cell> {
    cells
        .iter()
        .map(|s| if s.is_empty() { Cell::Empty } else { t(s) })
        .collect()
}
fn opts() -> Options {
    Options {
        duree_defaut_h: 1.5,
        annee_scolaire: Some(2030),
        ..Options::default()
    }
}

#[test]
fn reference_layout() {
    let x = extract(
        &doc(vec![
            (
                "Instructions",
                vec![row(&["Remplissez une feuille par collectif."])],
            ),
            (
                "Collectif A",
                vec![
                    row(&["Porteur :", "Association Les Petits Savants"]),
                    vec![t("Action N° :"), n(1.0)],
                    row(&["Collectif :", "CP-CE1"]),
                    row(&["Lieu :", "Salle des fêtes"]),
                    row(&["Accompagnateurs :", "Mme A, M. B"]),
                    vec![],
                    vec![
                        t("Nom"),
                        t("Prénom"),
                        t("Niveau"),
                        t("Établissement"),
                        Cell::Date(d(2026, 11, 2)),
                        Cell::Date(d(2026, 11, 5)),
                    ],
                    vec![
                        t("Durée (h)"),
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        n(2.0),
                    ],
                    row(&["Martin", "Léa", "CP", "École A", "P", "A"]),
                    row(&["Durand", "Hugo", "CE1", "École A", "E", "P"]),
                    vec![],
                    vec![],
                ],
            ),
        ]),
        &opts(),
    )
    .unwrap();
    assert_eq!(x.form, FormKind::Presence);
    assert_eq!(x.mapping, MAPPING);
    assert_eq!(
        x.value("porteur.nom").as_text(),
        Some("Association Les Petits Savants")
    );
    assert_eq!(x.value("action.numero").as_text(), Some("1"));
    let src = x.get("porteur.nom").unwrap().source.as_ref().unwrap();
    assert_eq!(
        src.place,
        Place::Cell {
            table: 2,
            row: 1,
            col: 2
        }
    );
    let c = &x.collectifs.as_ref().unwrap()[0];
    assert_eq!(
        x.collectifs.as_ref().unwrap().len(),
        1,
        "instructions are ignored"
    );
    assert_eq!(c.nom, "CP-CE1");
    assert_eq!(
        c.seances,
        vec![
            Seance {
                date: d(2026, 11, 2),
                duree_h: Some(2.0)
            },
            Seance {
                date: d(2026, 11, 5),
                duree_h: Some(1.5)
            },
        ]
    );
    assert_eq!(c.enfants.len(), 2);
    assert_eq!(
        (
            c.enfants[0].present,
            c.enfants[0].absent,
            c.enfants[0].excuse
        ),
        (1, 1, 0)
    );
    assert_eq!(
        (
            c.enfants[1].present,
            c.enfants[1].absent,
            c.enfants[1].excuse
        ),
        (1, 0, 1)
    );
    assert_eq!(c.enfants[1].niveau, "CE1");
    assert_eq!(c.enfants[1].etablissement, "École A");
    assert!(c.avertissements.is_empty(), "{:?}", c.avertissements);
}

#[test]
fn month_row_written_once_over_day_numbers() {
    // As an .ods gives it: the merged month only in its first cell.
    let x = extract(
        &doc(vec![(
            "Groupe",
            vec![
                row(&["CAHIER DE PRÉSENCE"]),
                row(&["Porteur : MJC"]),
                row(&["Action n°", "2"]),
                vec![],
                row(&[
                    "",
                    "",
                    "",
                    "",
                    "novembre 2026",
                    "",
                    "décembre",
                    "",
                    "janvier",
                ]),
                vec![
                    t("Nom"),
                    t("Prénom"),
                    t("Niveau"),
                    t("Établissement"),
                    n(26.0),
                    n(30.0),
                    n(3.0),
                    t("7"),
                    n(4.0),
                    t("Total"),
                ],
                vec![
                    t("A"),
                    t("B"),
                    t("CP"),
                    t("X"),
                    t("P"),
                    t("P"),
                    t("P"),
                    t("A"),
                    t("P"),
                    n(4.0),
                ],
                vec![
                    t("Total présents"),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    n(1.0),
                    n(1.0),
                    n(1.0),
                    n(0.0),
                    n(1.0),
                ],
            ],
        )]),
        &opts(),
    )
    .unwrap();
    let c = &x.collectifs.as_ref().unwrap()[0];
    let dates: Vec<Date> = c.seances.iter().map(|s| s.date).collect();
    // « décembre » and « janvier » without a year: the year of the first full date.
    assert_eq!(
        dates,
        vec![
            d(2026, 11, 26),
            d(2026, 11, 30),
            d(2026, 12, 3),
            d(2026, 12, 7),
            d(2027, 1, 4)
        ]
    );
    assert_eq!(
        c.nom, "Groupe",
        "no « Collectif : » label: the sheet's name"
    );
    assert_eq!(c.enfants.len(), 1, "the total row is not a child");
    assert_eq!(c.enfants[0].present, 4);
    assert_eq!(x.value("porteur.nom").as_text(), Some("MJC"));
    assert_eq!(x.value("action.numero").as_text(), Some("2"));
    assert!(c.avertissements.is_empty(), "{:?}", c.avertissements);
}

#[test]
fn month_heading_in_the_header_row_with_days_below() {
    let x = extract(
        &doc(vec![(
            "S",
            vec![
                row(&["Porteur :", "P"]),
                row(&[
                    "Nom",
                    "Prénom",
                    "Niveau",
                    "Établissement",
                    "Novembre 2026",
                    "",
                    "Décembre 2026",
                ]),
                vec![
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    n(2.0),
                    n(5.0),
                    n(1.0),
                ],
                row(&["Durée (h)", "", "", "", "1:30", "1 h 30", "2"]),
                row(&["A", "B", "CM1", "X", "x", "abs", "E"]),
            ],
        )]),
        &opts(),
    )
    .unwrap();
    let c = &x.collectifs.as_ref().unwrap()[0];
    assert_eq!(
        c.seances,
        vec![
            Seance {
                date: d(2026, 11, 2),
                duree_h: Some(1.5)
            },
            Seance {
                date: d(2026, 11, 5),
                duree_h: Some(1.5)
            },
            Seance {
                date: d(2026, 12, 1),
                duree_h: Some(2.0)
            },
        ]
    );
    assert_eq!(
        (
            c.enfants[0].present,
            c.enfants[0].absent,
            c.enfants[0].excuse
        ),
        (1, 1, 1)
    );
}

#[test]
fn dates_without_year_take_the_declared_school_year() {
    let sheet = |year: Option<&str>| {
        let mut rows = vec![row(&["Porteur :", "P"]), row(&["Action N° :", "7"])];
        if let Some(y) = year {
            rows.push(row(&["Année scolaire :", y]));
        }
        rows.push(row(&[
            "Nom",
            "Prénom",
            "Niveau",
            "Établissement",
            "lun. 16/11",
            "jeu. 14/01",
        ]));
        rows.push(row(&["A", "B", "6e", "C", "P", "P"]));
        doc(vec![("S", rows)])
    };
    let dates = |x: &Extraction| -> Vec<Date> {
        x.collectifs.as_ref().unwrap()[0]
            .seances
            .iter()
            .map(|s| s.date)
            .collect()
    };
    let x = extract(&sheet(Some("2026-2027")), &opts()).unwrap();
    assert_eq!(dates(&x), vec![d(2026, 11, 16), d(2027, 1, 14)]);
    // Nothing in the workbook: the configured year.
    let x = extract(&sheet(None), &opts()).unwrap();
    assert_eq!(dates(&x), vec![d(2030, 11, 16), d(2031, 1, 14)]);
    assert!(x.collectifs.as_ref().unwrap()[0].avertissements.is_empty());
    // Nothing configured either: the current school year, said in a warning.
    let x = extract(&sheet(None), &Options::default()).unwrap();
    let c = &x.collectifs.as_ref().unwrap()[0];
    assert_eq!(c.seances.len(), 2);
    assert!(
        c.avertissements[0].contains("supposée"),
        "{:?}",
        c.avertissements
    );
}

#[test]
fn shifted_layout_blank_columns_rows_and_totals() {
    let e = Cell::Empty;
    let x = extract(
        &doc(vec![(
            "Feuil1",
            vec![
                vec![e.clone(), t("CAHIER DE PRÉSENCE"), t("CAHIER DE PRÉSENCE")],
                vec![],
                vec![],
                vec![e.clone(), t("PORTEUR :"), t("Les Curieux")],
                vec![],
                vec![e.clone(), t("Action n°:"), t("3")],
                vec![],
                vec![],
                vec![
                    e.clone(),
                    t("Nom"),
                    t("Prénom"),
                    t("Niveau"),
                    t("Établissement"),
                    e.clone(),
                    t("02/11/2026"),
                    t("05/11/2026"),
                    t("09/11/2026"),
                    t("Total P"),
                ],
                vec![
                    e.clone(),
                    t("A"),
                    t("B"),
                    t("CP"),
                    t("X"),
                    e.clone(),
                    t("P"),
                    t("?"),
                    t("P"),
                    n(2.0),
                ],
                vec![],
                vec![
                    e.clone(),
                    t("C"),
                    t("D"),
                    t("CP"),
                    t("X"),
                    e.clone(),
                    t("A"),
                    t("P"),
                    t("férié"),
                    n(1.0),
                ],
                vec![
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    t("P"),
                ],
                vec![e.clone(), t("Légende : P = présent")],
            ],
        )]),
        &opts(),
    )
    .unwrap();
    let c = &x.collectifs.as_ref().unwrap()[0];
    assert_eq!(x.value("porteur.nom").as_text(), Some("Les Curieux"));
    assert_eq!(c.seances.len(), 3);
    assert_eq!(c.enfants.len(), 2);
    assert_eq!((c.enfants[0].present, c.enfants[0].absent), (2, 0));
    assert_eq!((c.enfants[1].present, c.enfants[1].absent), (1, 1));
    assert_eq!(c.avertissements.len(), 3, "{:?}", c.avertissements);
    assert!(c.avertissements[0].starts_with("Feuil1 : ligne 13 : 1 marque(s) sans nom"));
    assert!(c.avertissements[1].starts_with("Feuil1!H10 : marque illisible « ? »"));
    assert!(c.avertissements[2].starts_with("Feuil1!I12 : marque illisible « férié »"));
    for w in &c.avertissements {
        for name in ["A", "B", "C", "D"].map(|n| format!(" {n} ")) {
            assert!(!w.contains(&name), "a warning names a child: {w}");
        }
    }
}

#[test]
fn a_session_without_any_mark_is_not_counted() {
    let x = extract(
        &doc(vec![(
            "S",
            vec![
                row(&[
                    "Nom",
                    "Prénom",
                    "Niveau",
                    "Établissement",
                    "09/11/2026",
                    "11/11/2026",
                    "12/11/2026",
                ]),
                row(&["A", "B", "CP", "X", "P", "", "P"]),
                row(&["C", "D", "CP", "X", "A", "", "P"]),
            ],
        )]),
        &opts(),
    )
    .unwrap();
    let c = &x.collectifs.as_ref().unwrap()[0];
    assert_eq!(c.seances.len(), 2);
    assert_eq!(c.avertissements.len(), 1);
    assert!(
        c.avertissements[0].contains("11/11/2026"),
        "{:?}",
        c.avertissements
    );
    assert!(
        c.avertissements[0].starts_with("S!F1 "),
        "{:?}",
        c.avertissements
    );
}
#[test]
fn a_summary_sheet_is_not_a_collectif() {
    let x = extract(
        &doc(vec![
            (
                "Collectif A",
                vec![
                    row(&["Nom", "Prénom", "Niveau", "Établissement", "09/11/2026"]),
                    row(&["A", "B", "CP", "X", "P"]),
                ],
            ),
            (
                "Récapitulatif",
                vec![
                    row(&[
                        "Nom",
                        "Prénom",
                        "Niveau",
                        "Établissement",
                        "Présences",
                        "Taux",
                    ]),
                    vec![t("A"), t("B"), t("CP"), t("X"), n(1.0), n(1.0)],
                ],
            ),
        ]),
        &opts(),
    )
    .unwrap();
    let c = x.collectifs.unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].nom, "Collectif A");
}

#[test]
fn not_an_attendance_workbook() {
    let e = extract(
        &doc(vec![(
            "Budget",
            vec![row(&["Produit", "Prix"]), row(&["Pommes", "2,5"])],
        )]),
        &opts(),
    )
    .unwrap_err();
    assert_eq!(e.sheet.as_deref(), Some("Budget"));
    assert!(e.missing.contains(&"colonne « Nom »".to_string()));
    assert!(e.to_string().contains("n'est pas un cahier de présence"));
    let e = extract(&doc(vec![]), &opts()).unwrap_err();
    assert_eq!(e.score, 0.0);
}
