//! The departmental synthesis workbook (issue 6), through the library API: inputs built from
//! JSON extractions as the store keeps them, the workbook written to a temporary folder and
//! read back with calamine, its XML parts inspected, and LibreOffice asked to open it.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use clas::dictionary::{FieldType, FormKind, fields};
use clas::extraction::Extraction;
use clas::findings::{Finding, Severity};
use clas::synthesis::{
    self, Action, Attendance, Conformity, FollowUp, Input, Note, SHEETS, SourceDoc, Stamp, Written,
};
use serde_json::{Map, Value as Json, json};

// ---------------------------------------------------------------------------------------------
// Inputs

/// A bilan as `clas extract --json` gives its `fields`: every yes/no answered « oui » (the
/// « écarts » questions « non »), check boxes unticked, then `set` over it.
fn bilan_fields(set: &[(&str, Json)]) -> Map<String, Json> {
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
    for (k, v) in set {
        assert!(m.contains_key(*k), "{k} n'est pas dans le dictionnaire");
        m.insert(k.to_string(), v.clone());
    }
    m
}

fn finding(rule: &str, severity: Severity, message: &str) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        fields: vec!["enfants.total".into()],
        message: message.into(),
    }
}

/// A collectif as the store keeps it (JSON), sessions on the given days of November 2025,
/// 1 h 30 each.
fn collectif(nom: &str, days: &[u32], enfants: Vec<Json>) -> Json {
    let seances: Vec<Json> = days
        .iter()
        .map(|d| json!({"date": format!("2025-11-{d:02}"), "duree_h": 1.5}))
        .collect();
    json!({"nom": nom, "seances": seances, "enfants": enfants})
}

fn enfant(nom: &str, prenom: &str, present: u32, absent: u32, excuse: u32) -> Json {
    json!({
        "nom": nom, "prenom": prenom, "niveau": "CE2", "etablissement": "École Jean Jaurès",
        "present": present, "absent": absent, "excuse": excuse
    })
}

/// An attendance workbook's extraction, rebuilt from the store's JSON as the synthesis
/// command gets it.
fn presence(porteur: &str, numero: &str, collectifs: Vec<Json>) -> Extraction {
    let x = clas::store::extraction_from_json(&json!({
        "form": "presence",
        "mapping": "presence-reference",
        "fields": {"porteur.nom": porteur, "action.numero": numero},
        "collectifs": collectifs,
    }))
    .unwrap();
    assert_eq!(x.collectifs.as_ref().map(Vec::len), Some(collectifs.len()));
    x
}

/// Children of the attendance workbooks: (nom, prénom). None of these strings appears
/// anywhere else in the inputs.
const CHILDREN: [(&str, &str); 6] = [
    ("Marchetti", "Zoélie"),
    ("Quennec", "Anatolia"),
    ("Belkacem", "Yasmina"),
    ("Orsoni", "Pétronille"),
    ("Vandamme", "Théobald"),
    ("Kowalczyk", "Ermengarde"),
];

struct Sample {
    input: Input,
    /// The bilans' `fields`, as given, for computing expected totals independently.
    bilans: Vec<Map<String, Json>>,
}

fn stamp() -> Stamp {
    Stamp::parse("2026-01-15T10:32:07").unwrap()
}

fn action(
    fields: &Map<String, Json>,
    version: &str,
    presence: Option<Extraction>,
    findings: Vec<Finding>,
    file: &str,
    received: &str,
) -> Action {
    Action {
        bilan: Extraction::from_json(FormKind::Bilan, version, fields).into(),
        presence: presence.map(|x| Attendance::new(x, 0.5)),
        findings: findings.into_iter().map(Arc::new).collect(),
        source_file: file.into(),
        received: received.into(),
        form_version: version.into(),
    }
}

fn source(file: &str, form: &str, received: &str, current: bool) -> SourceDoc {
    SourceDoc {
        file: file.into(),
        hash: format!("{:064x}", file.len() * 7919),
        received: received.into(),
        form: form.into(),
        form_version: "bilan-2024-national".into(),
        status: "archivé".into(),
        current,
    }
}

/// Four current actions (two with an attendance workbook), a bilan replaced by a later
/// version, two notes stratégiques.
fn sample() -> Sample {
    let minimes = bilan_fields(&[
        ("porteur.nom", json!("Centre social des Minimes")),
        ("action.numero", json!("3")),
        ("action.lieu", json!("12 rue des Minimes, 69005 Lyon")),
        (
            "etablissements",
            json!("École Jean Jaurès, collège Jean Moulin"),
        ),
        ("zonage.rep", json!(true)),
        ("local.associatif", json!(true)),
        ("calendrier.debut", json!("2025-11-03")),
        ("calendrier.fin", json!("2026-06-12")),
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
        ("parents.reunion_information", json!(true)),
        (
            "bilan.global",
            json!("Une année riche.\nLes familles sont venues."),
        ),
    ]);
    let horizon = bilan_fields(&[
        ("porteur.nom", json!("Association Horizon")),
        ("action.numero", json!("1")),
        (
            "action.lieu",
            json!("Maison de quartier, 3 place Bellecour"),
        ),
        ("zonage.politique_ville", json!(true)),
        ("local.municipal", json!(true)),
        ("calendrier.debut", json!("2025-10-06")),
        ("calendrier.fin", json!("2026-06-26")),
        ("calendrier.semaines", json!(28)),
        ("intervenants.salaries", json!(1)),
        ("heures.salaries", json!(200)),
        ("intervenants.volontaires", json!(1)),
        ("heures.volontaires", json!(50)),
        ("intervenants.benevoles", json!(3)),
        ("heures.benevoles", json!(60.5)),
        ("intervenants.total", json!(5)),
        ("heures.total", json!(310.5)),
        ("enfants.elementaire", json!(0)),
        ("enfants.college", json!(15)),
        ("enfants.lycee", json!(5)),
        ("enfants.autres", json!(2)),
        ("enfants.total", json!(22)),
        ("collectifs.nombre", json!(2)),
        ("familles.nombre", json!(20)),
        ("enfants.par_accompagnateur", json!(4.4)),
        ("parents.reunion_information", json!(false)),
    ]);
    let mjc = bilan_fields(&[
        ("porteur.nom", json!("MJC Croix-Rousse")),
        ("action.numero", json!("2")),
        ("local.scolaire", json!(true)),
        ("calendrier.semaines", json!(26)),
        ("intervenants.salaries", json!(3)),
        ("heures.salaries", json!(300)),
        ("intervenants.total", json!(3)),
        ("heures.total", json!(300)),
        ("enfants.elementaire", json!(30)),
        ("enfants.total", json!(30)),
        ("collectifs.nombre", json!(2)),
        ("familles.nombre", json!(25)),
        ("enfants.par_accompagnateur", json!(12)),
        ("parents.reunion_information", Json::Null),
    ]);
    let venissieux = bilan_fields(&[
        ("porteur.nom", json!("Ville de Vénissieux")),
        ("action.numero", json!("4 bis")),
        ("calendrier.semaines", json!(31)),
        ("intervenants.total", json!(2)),
        ("heures.total", json!(96)),
        ("enfants.elementaire", json!(10)),
        ("enfants.college", json!(1)),
        ("enfants.total", json!(11)),
        ("collectifs.nombre", json!(1)),
        ("familles.nombre", json!(9)),
    ]);
    // The first version of the Minimes' bilan, replaced: never counted.
    let minimes_v1 = bilan_fields(&[
        ("porteur.nom", json!("Centre social des Minimes")),
        ("action.numero", json!("3")),
        ("enfants.total", json!(500)),
    ]);
    let _ = Extraction::from_json(FormKind::Bilan, "bilan-2024-national", &minimes_v1);

    let p_minimes = presence(
        "Centre social des Minimes",
        "3",
        vec![
            collectif(
                "CE1-CE2 mardi jeudi",
                &[4, 6, 13, 18, 20],
                vec![
                    enfant(CHILDREN[0].0, CHILDREN[0].1, 5, 0, 0),
                    enfant(CHILDREN[1].0, CHILDREN[1].1, 1, 3, 1),
                    enfant(CHILDREN[2].0, CHILDREN[2].1, 4, 1, 0),
                ],
            ),
            collectif(
                "Collège lundi",
                &[3, 10, 17],
                vec![
                    enfant(CHILDREN[3].0, CHILDREN[3].1, 3, 0, 0),
                    enfant(CHILDREN[4].0, CHILDREN[4].1, 0, 0, 0),
                ],
            ),
        ],
    );
    let p_horizon = presence(
        "Association Horizon",
        "1",
        vec![collectif(
            "Lycée",
            &[3, 5, 10, 12],
            vec![enfant(CHILDREN[5].0, CHILDREN[5].1, 1, 2, 1)],
        )],
    );

    let actions = vec![
        action(
            &minimes,
            "bilan-2024-national",
            Some(p_minimes),
            vec![finding(
                "presence.assiduite",
                Severity::Info,
                // A rule does not quote children; if one ever did, the name is masked.
                &format!(
                    "collectif « CE1-CE2 mardi jeudi » : {} {} présente à 1 séance sur 5",
                    CHILDREN[1].1, CHILDREN[1].0
                ),
            )],
            "bilan-minimes-v2.docx",
            "2026-01-12T09:15:00",
        ),
        action(
            &horizon,
            "bilan-2024-national",
            Some(p_horizon),
            vec![finding(
                "calendrier.periode",
                Severity::Warning,
                "début le 06/10/2025, avant la fin des vacances de la Toussaint",
            )],
            "Bilan CLAS Horizon.pdf",
            "2026-01-10",
        ),
        action(
            &mjc,
            "bilan-2024-national",
            None,
            vec![
                finding(
                    "duree.semaines",
                    Severity::Error,
                    "26 semaines : au moins 30",
                ),
                finding(
                    "coherence.ratio",
                    Severity::Warning,
                    "12 déclarés, 10 calculés",
                ),
                finding(
                    "reponse.manquante",
                    Severity::Warning,
                    "question sans réponse",
                ),
            ],
            "mjc.docx",
            "2026-01-11",
        ),
        action(
            &venissieux,
            "bilan-2021-lot-et-garonne",
            None,
            vec![finding(
                "coherence.heures",
                Severity::Error,
                "heures par catégorie absentes",
            )],
            "venissieux.docx",
            "2026-01-09",
        ),
    ];

    let note = |territoire: &str, rows: Json, findings: Vec<Finding>, file: &str| {
        let mut m = Map::new();
        m.insert("territoire.nom".into(), json!(territoire));
        m.insert("dispositifs".into(), rows);
        Note {
            extraction: Extraction::from_json(FormKind::NoteStrategique, "note-2024", &m),
            findings,
            source_file: file.into(),
        }
    };
    let notes = vec![
        note(
            "Lyon 5e",
            json!([
                {"niveau": "elementaire", "etablissement": "École Jean Jaurès", "etude": 20, "ecole_ouverte": null, "accompagnement_educatif": 5, "stage_reussite": null, "pre": 4, "pre_qpv": 2, "clas": 12, "clas_qpv": 8, "autre": null},
                {"niveau": "elementaire", "etablissement": "École Gerson", "etude": 10, "ecole_ouverte": 3, "accompagnement_educatif": null, "stage_reussite": 2, "pre": null, "pre_qpv": null, "clas": 8, "clas_qpv": 5, "autre": 1},
                {"niveau": "college", "etablissement": "Collège Jean Moulin", "etude": 40, "ecole_ouverte": 15, "accompagnement_educatif": 30, "stage_reussite": 6, "pre": 3, "pre_qpv": 3, "clas": 8, "clas_qpv": 2, "autre": null}
            ]),
            vec![],
            "note-lyon5.docx",
        ),
        note(
            "Vénissieux",
            json!([
                {"niveau": "elementaire", "etablissement": "École Parilly", "etude": 15, "ecole_ouverte": null, "accompagnement_educatif": null, "stage_reussite": null, "pre": 6, "pre_qpv": 6, "clas": 11, "clas_qpv": 11, "autre": null},
                {"niveau": "lycee", "etablissement": "Lycée Jacques Brel", "etude": null, "ecole_ouverte": null, "accompagnement_educatif": 12, "stage_reussite": 4, "pre": null, "pre_qpv": null, "clas": 0, "clas_qpv": 0, "autre": 2}
            ]),
            vec![finding(
                "note.totaux",
                Severity::Error,
                "TOTAL élémentaire de la colonne CLAS : 12 écrit, 11 calculé",
            )],
            "note-venissieux.pdf",
        ),
    ];

    let sources = vec![
        source("bilan-minimes-v1.docx", "bilan", "2025-12-01", false),
        source(
            "bilan-minimes-v2.docx",
            "bilan",
            "2026-01-12T09:15:00",
            true,
        ),
        source("Bilan CLAS Horizon.pdf", "bilan", "2026-01-10", true),
        source("mjc.docx", "bilan", "2026-01-11", true),
        source("venissieux.docx", "bilan", "2026-01-09", true),
        source("presence-minimes.xlsx", "presence", "2026-01-12", true),
        source("presence-horizon.ods", "presence", "2026-01-10", true),
        source("note-lyon5.docx", "note-strategique", "2025-12-15", true),
        source(
            "note-venissieux.pdf",
            "note-strategique",
            "2025-12-16",
            true,
        ),
        SourceDoc {
            status: "rejeté".into(),
            ..source("scan illisible.jpg", "", "2026-01-13", false)
        },
    ];

    Sample {
        input: Input {
            corrections: Vec::new(),
            seuil_assiduite: 0.5,
            title: "Synthèse départementale CLAS 2025-2026".into(),
            generated: stamp(),
            actions,
            notes,
            sources,
            follow_up: follow_up(),
        },
        bilans: vec![minimes, horizon, mjc, venissieux],
    }
}

/// The Suivi rows of the sample: its four actions, an action that sent only its cahier de
/// présence, and one of last year that sent nothing yet.
fn follow_up() -> Vec<FollowUp> {
    let row = |porteur: &str, numero: &str| FollowUp {
        porteur: porteur.into(),
        numero: numero.into(),
        expected_from: "bilan 2024-2025".into(),
        bilan: Some(("bilan-2024-national".into(), "2026-01-10T09:00:00".into())),
        conformity: Some(Conformity::Conforme),
        ..FollowUp::default()
    };
    vec![
        FollowUp {
            conformity: Some(Conformity::NonConforme),
            letter_sent: Some("2026-01-20".into()),
            reply_by: Some("2026-02-19".into()),
            next_step: "Attendre la réponse".into(),
            ..row("Association Horizon", "1")
        },
        row("Centre social des Minimes", "3"),
        FollowUp {
            expected_from: "cahier de présence reçu".into(),
            bilan: None,
            presence: Some("2026-01-14".into()),
            conformity: None,
            next_step: "Réclamer le bilan".into(),
            ..row("Les Cartables", "7")
        },
        row("MJC Croix-Rousse", "2"),
        FollowUp {
            bilan: None,
            conformity: None,
            next_step: "Réclamer le bilan".into(),
            ..row("Soutien scolaire Gerland", "5")
        },
        FollowUp {
            note: Some("Vénissieux".into()),
            ..row("Ville de Vénissieux", "4 bis")
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// Reading back

fn write(input: &Input) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sorties").join("synthese.xlsx");
    let w = synthesis::write(input, &path).unwrap();
    assert_eq!(
        w,
        Written {
            path: path.clone(),
            target: path.clone(),
            dated_copy: false,
            notes: Vec::new(),
        }
    );
    (dir, path)
}

struct Book {
    sheets: BTreeMap<String, Range<Data>>,
    names: Vec<String>,
}

fn read(path: &Path) -> Book {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let names = wb.sheet_names().to_vec();
    let sheets = names
        .iter()
        .map(|n| (n.clone(), wb.worksheet_range(n).unwrap()))
        .collect();
    Book { sheets, names }
}

impl Book {
    fn sheet(&self, name: &str) -> &Range<Data> {
        &self.sheets[name]
    }

    /// The header row (row 1) of a data sheet.
    fn header(&self, sheet: &str) -> Vec<String> {
        let r = self.sheet(sheet);
        (0..r.width() as u32)
            .map(|c| text(r.get_value((0, c))))
            .collect()
    }

    fn col(&self, sheet: &str, header: &str) -> u32 {
        self.header(sheet)
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("{sheet} : pas de colonne « {header} »")) as u32
    }

    /// The data rows of a data sheet (header excluded, empty rows excluded).
    fn rows(&self, sheet: &str) -> Vec<Vec<Data>> {
        self.sheet(sheet)
            .rows()
            .skip(1)
            .filter(|r| r.iter().any(|c| !matches!(c, Data::Empty)))
            .map(|r| r.to_vec())
            .collect()
    }

    /// The Totaux figure on the row whose first cell is `label`, column `col` (1: Total).
    fn totaux(&self, label: &str, col: u32) -> Option<f64> {
        self.totaux_by(0, label, col)
    }

    /// The Totaux figure on the row whose cell in column `key_col` is `key`, column `col`.
    fn totaux_by(&self, key_col: u32, key: &str, col: u32) -> Option<f64> {
        let r = self.sheet("Totaux");
        let row = (0..r.height() as u32)
            .find(|&i| text(r.get_value((i, key_col))) == key)
            .unwrap_or_else(|| panic!("Totaux : pas de ligne « {key} »"));
        num(r.get_value((row, col)))
    }
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn num(d: Option<&Data>) -> Option<f64> {
    match d {
        Some(Data::Float(x)) => Some(*x),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
}

fn label(id: &str) -> &'static str {
    clas::dictionary::field(FormKind::Bilan, id)
        .map(|d| d.label.as_str())
        .unwrap()
}

fn sum(bilans: &[Map<String, Json>], id: &str) -> f64 {
    bilans.iter().filter_map(|b| b[id].as_f64()).sum()
}

/// Every part of the xlsx, unzipped, as text.
fn parts(path: &Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (
                f.name().unwrap().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

/// The formulas (`<f>` elements) of every sheet, unescaped.
fn formulas(path: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, xml) in parts(path) {
        if !name.starts_with("xl/worksheets/") {
            continue;
        }
        let mut rest = xml.as_str();
        while let Some(i) = rest.find("<f") {
            rest = &rest[i + 2..];
            let Some(gt) = rest.find('>') else { break };
            if !rest[..gt].is_empty() && !rest[..gt].starts_with(' ') {
                continue; // another element (<font>, …)
            }
            let body = &rest[gt + 1..];
            let end = body.find("</f>").unwrap_or(0);
            out.push((
                name.clone(),
                body[..end]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&"),
            ));
            rest = &body[end..];
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn every_sheet_is_there_in_order() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let book = read(&path);
    assert_eq!(book.names, SHEETS);
    for name in SHEETS {
        assert!(
            !book.header(name).iter().all(String::is_empty),
            "{name} est vide"
        );
    }
}

/// The dashboard opens first, titled with the school year; the table of actions is behind it.
#[test]
fn the_dashboard_opens_first_with_the_year_in_its_title() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let book = read(&path);
    assert_eq!(&book.names[..3], ["Totaux", "Suivi", "Synthèse"]);
    assert_eq!(
        text(book.sheet("Totaux").get_value((0, 0))),
        "Synthèse départementale CLAS 2025-2026"
    );
    let xml: BTreeMap<String, String> = parts(&path).into_iter().collect();
    // The first sheet is the one selected (Excel opens on it), and only it.
    let selected: Vec<&String> = xml
        .iter()
        .filter(|(n, x)| n.starts_with("xl/worksheets/sheet") && x.contains("tabSelected=\"1\""))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(selected, ["xl/worksheets/sheet1.xml"]);
    assert!(
        !xml["xl/workbook.xml"].contains("activeTab=\"")
            || xml["xl/workbook.xml"].contains("activeTab=\"0\"")
    );
}

/// Every sheet prints in landscape, one page wide, and the tables repeat their header row.
#[test]
fn every_sheet_prints_landscape_and_fits_the_width() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let xml: BTreeMap<String, String> = parts(&path).into_iter().collect();
    for i in 1..=SHEETS.len() {
        let sheet = &xml[&format!("xl/worksheets/sheet{i}.xml")];
        let name = SHEETS[i - 1];
        assert!(
            sheet.contains("orientation=\"landscape\""),
            "{name} : pas en paysage"
        );
        assert!(
            sheet.contains("<oddFooter>"),
            "{name} : pas de pied de page"
        );
        if name != "Réponses" {
            assert!(
                sheet.contains("fitToWidth=\"1\"")
                    || sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
                "{name} : pas ajusté à la largeur"
            );
            assert!(
                sheet.contains("fitToHeight=\"0\""),
                "{name} : hauteur non libre"
            );
        }
    }
    let workbook = &xml["xl/workbook.xml"];
    for name in &SHEETS[1..] {
        assert!(
            workbook.contains(&format!("'{name}'!$1:$1"))
                || workbook.contains(&format!(">{name}!$1:$1")),
            "{name} : la ligne d'en-tête n'est pas répétée à l'impression"
        );
    }
    // A place written on two lines is wrapped, not shown on one.
    let wrap = xml["xl/styles.xml"].contains("wrapText=\"1\"");
    assert!(wrap);
}

/// The Conformité headers and the Anomalies sheet say what each rule checks; the rule's id is
/// only in the header's comment and in a technical column.
#[test]
fn agents_read_rule_labels_not_ids() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let book = read(&path);
    let header = book.header("Conformité");
    assert!(
        header.contains(&"Nombre d'enfants par collectif".to_string()),
        "{header:?}"
    );
    assert!(
        header.contains(&"Semaines d'activité dans l'année".to_string()),
        "{header:?}"
    );
    for h in &header {
        assert!(
            !h.contains('.') || h.contains(' '),
            "Conformité : en-tête technique « {h} »"
        );
    }
    let anomalies = book.rows("Anomalies");
    let what = book.col("Anomalies", "Point contrôlé") as usize;
    let id = book.col("Anomalies", "Identifiant de la règle") as usize;
    assert_eq!(
        id,
        book.header("Anomalies").len() - 1,
        "l'identifiant en dernière colonne"
    );
    let weeks = anomalies
        .iter()
        .find(|r| text(Some(&r[id])) == "duree.semaines")
        .expect("constat duree.semaines");
    assert_eq!(text(Some(&weeks[what])), "Semaines d'activité dans l'année");
    // The ids are in the Conformité headers' comments.
    let comments: String = parts(&path)
        .into_iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, x)| x)
        .collect();
    assert!(comments.contains("collectif.taille"), "{comments}");
}

/// The Suivi sheet: one row per expected action, a cahier-only action and a missing bilan
/// among them, dates as dates.
#[test]
fn suivi_lists_every_expected_action() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let book = read(&path);
    let rows = book.rows("Suivi");
    assert_eq!(rows.len(), s.input.follow_up.len());
    let col = |h: &str| book.col("Suivi", h) as usize;
    let row = |porteur: &str| {
        rows.iter()
            .find(|r| text(Some(&r[0])) == porteur)
            .unwrap_or_else(|| panic!("Suivi : pas de ligne {porteur}"))
    };
    let cahier = row("Les Cartables");
    assert_eq!(text(Some(&cahier[col("Bilan")])), "manquant");
    assert_eq!(text(Some(&cahier[col("Cahier de présence")])), "reçu");
    assert!(matches!(cahier[col("Cahier reçu le")], Data::DateTime(_)));
    assert_eq!(
        text(Some(&cahier[col("Attendue d'après")])),
        "cahier de présence reçu"
    );
    let missing = row("Soutien scolaire Gerland");
    assert_eq!(text(Some(&missing[col("Bilan")])), "manquant");
    assert_eq!(text(Some(&missing[col("Cahier de présence")])), "non reçu");
    assert_eq!(
        text(Some(&missing[col("Suite à donner")])),
        "Réclamer le bilan"
    );
    assert_eq!(
        text(Some(&missing[col("Attendue d'après")])),
        "bilan 2024-2025"
    );
    let horizon = row("Association Horizon");
    assert_eq!(text(Some(&horizon[col("Conformité")])), "non conforme");
    assert!(matches!(
        horizon[col("Relance écrite le")],
        Data::DateTime(_)
    ));
    assert!(matches!(
        horizon[col("Réponse attendue le")],
        Data::DateTime(_)
    ));
    assert_eq!(
        text(Some(&horizon[col("Version du bilan")])),
        "bilan-2024-national"
    );
    assert_eq!(
        text(Some(
            &row("Ville de Vénissieux")[col("Note stratégique du territoire")]
        )),
        "Vénissieux"
    );
}

/// The sheets are built in parallel: the workbook must not depend on which was built first
/// (format numbers, table numbers, sheet order).
#[test]
fn the_same_input_gives_the_same_workbook() {
    let s = sample();
    let (_a, first) = write(&s.input);
    for _ in 0..3 {
        let (_b, again) = write(&s.input);
        let (x, y) = (parts(&first), parts(&again));
        assert_eq!(
            x.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            y.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
        for ((name, a), (_, b)) in x.iter().zip(&y) {
            assert!(a == b, "{name} diffère d'une écriture à l'autre");
        }
    }
}

#[test]
fn one_synthese_row_per_current_action_in_fixed_columns() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let book = read(&path);
    let rows = book.rows("Synthèse");
    assert_eq!(rows.len(), s.input.actions.len());

    // The canonical labels, in the fixed order, whatever the form version of each row.
    let header = book.header("Synthèse");
    assert_eq!(
        &header[..4],
        [
            label("porteur.nom"),
            label("action.numero"),
            label("action.lieu"),
            label("etablissements")
        ]
    );
    assert_eq!(header[17], label("enfants.total"));
    for h in [
        "Conformité",
        "Erreurs",
        "Points à vérifier",
        "Version du formulaire",
        "Fichier source",
        "Date de réception",
        "Taux d'assiduité (cahier de présence)",
    ] {
        assert!(header.iter().any(|x| x == h), "colonne « {h} » absente");
    }
    let version = book.col("Synthèse", "Version du formulaire") as usize;
    let versions: Vec<String> = rows.iter().map(|r| text(Some(&r[version]))).collect();
    assert!(versions.contains(&"bilan-2021-lot-et-garonne".to_string()));
    assert!(versions.contains(&"bilan-2024-national".to_string()));

    // Conformity from the findings: error > warning > info.
    let porteur = 0;
    let conf = book.col("Synthèse", "Conformité") as usize;
    let by_porteur: BTreeMap<String, String> = rows
        .iter()
        .map(|r| (text(Some(&r[porteur])), text(Some(&r[conf]))))
        .collect();
    assert_eq!(by_porteur["Centre social des Minimes"], "conforme");
    assert_eq!(by_porteur["Association Horizon"], "à vérifier");
    assert_eq!(by_porteur["MJC Croix-Rousse"], "non conforme");
    assert_eq!(by_porteur["Ville de Vénissieux"], "non conforme");

    // Numbers are numbers, dates are dates, yes/no are « oui » / « non ».
    let minimes = rows
        .iter()
        .find(|r| text(Some(&r[0])) == "Centre social des Minimes")
        .unwrap();
    let col = |h: &str| book.col("Synthèse", h) as usize;
    assert_eq!(num(Some(&minimes[col(label("enfants.total"))])), Some(20.0));
    assert!(matches!(
        minimes[col(label("calendrier.debut"))],
        Data::DateTime(_)
    ));
    assert!(matches!(
        minimes[col("Date de réception")],
        Data::DateTime(_)
    ));
    assert_eq!(text(Some(&minimes[col(label("zonage.rep"))])), "oui");
    assert_eq!(text(Some(&minimes[col(label("zonage.pre"))])), "non");
    assert_eq!(
        num(Some(&minimes[col("Enfants par collectif")])),
        Some(10.0)
    );
    // 13 present out of 18 marks (a child with no mark is not counted).
    let rate = num(Some(&minimes[col("Taux d'assiduité (cahier de présence)")])).unwrap();
    assert!((rate - 13.0 / 18.0).abs() < 1e-9, "{rate}");
}

#[test]
fn totals_equal_the_sums_of_the_inputs() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let book = read(&path);
    let b = &s.bilans;
    assert_eq!(book.totaux("Actions (version en vigueur)", 1), Some(4.0));
    for id in [
        "enfants.elementaire",
        "enfants.college",
        "enfants.lycee",
        "enfants.autres",
        "enfants.total",
        "collectifs.nombre",
        "familles.nombre",
        "intervenants.salaries",
        "intervenants.volontaires",
        "intervenants.benevoles",
        "intervenants.total",
        "heures.salaries",
        "heures.volontaires",
        "heures.benevoles",
        "heures.total",
    ] {
        let got = book.totaux(label(id), 1);
        assert_eq!(got, Some(sum(b, id)), "total de {id}");
        let filled = b.iter().filter(|m| m[id].is_number()).count();
        assert_eq!(
            book.totaux(label(id), 3),
            Some(filled as f64),
            "{id} renseignés"
        );
        let mean = sum(b, id) / filled as f64;
        let got = book.totaux(label(id), 2).unwrap();
        assert!(
            (got - mean).abs() < 1e-9,
            "moyenne de {id} : {got} ≠ {mean}"
        );
    }
    assert_eq!(sum(b, "enfants.total"), 83.0);
    assert_eq!(sum(b, "heures.total"), 916.5);
    let weeks = book.totaux(label("calendrier.semaines"), 2).unwrap();
    assert!((weeks - 28.75).abs() < 1e-9);
    assert_eq!(book.totaux(label("calendrier.semaines"), 1), None);
    let per = book.totaux("Enfants par collectif", 1).unwrap();
    assert!((per - 83.0 / 7.0).abs() < 1e-9);

    // Conformity.
    assert_eq!(book.totaux("conforme", 1), Some(1.0));
    assert_eq!(book.totaux("à vérifier", 1), Some(1.0));
    assert_eq!(book.totaux("non conforme", 1), Some(2.0));
    assert_eq!(book.totaux("non conforme", 2), Some(0.5));

    // Most frequent anomalies: actions concerned and findings per rule.
    assert_eq!(book.totaux_by(1, "coherence.heures", 2), Some(1.0));
    assert_eq!(book.totaux_by(1, "duree.semaines", 3), Some(1.0));
    assert_eq!(book.totaux_by(1, "presence.assiduite", 3), Some(1.0));
    assert_eq!(
        book.totaux("Semaines d'activité dans l'année", 2),
        Some(1.0)
    );

    // Attendance: 4 children with marks in the Minimes' workbook, 1 at Horizon.
    assert_eq!(
        book.totaux("Enfants inscrits dans un cahier de présence", 1),
        Some(5.0)
    );
    // Under 50 %: Quennec (1/5) at the Minimes, Kowalczyk (1/4) at Horizon.
    assert_eq!(
        book.totaux("Enfants présents à moins de 50 % des séances", 1),
        Some(2.0)
    );
    let rate = book
        .totaux("Taux d'assiduité (cahier de présence)", 1)
        .unwrap();
    assert!((rate - 14.0 / 22.0).abs() < 1e-9, "{rate}");

    // Dispositifs by level: the notes' rows summed.
    let r = book.sheet("Totaux");
    let header_row = (0..r.height() as u32)
        .find(|&i| text(r.get_value((i, 0))) == "Niveau")
        .unwrap();
    let col_of = |h: &str| {
        (0..r.width() as u32)
            .find(|&c| text(r.get_value((header_row, c))) == h)
            .unwrap()
    };
    assert_eq!(
        book.totaux("Élémentaire", col_of("CLAS (nombre d'enfants)")),
        Some(31.0)
    );
    assert_eq!(book.totaux("Élémentaire", col_of("ETUDE")), Some(45.0));
    assert_eq!(
        book.totaux("Élémentaire", col_of("Établissements scolaires")),
        Some(3.0)
    );
    assert_eq!(book.totaux("Lycée", col_of("AUTRE")), Some(2.0));
    assert_eq!(book.totaux("Collège", col_of("ECOLE OUVERTE")), Some(15.0));

    // Yes/no answers: « oui », « non », and no answer.
    let act = book.rows("Activités et parents");
    let reunion = act
        .iter()
        .find(|r| text(Some(&r[2])) == "parents.reunion_information")
        .unwrap();
    assert_eq!(num(Some(&reunion[3])), Some(2.0)); // Minimes, Vénissieux
    assert_eq!(num(Some(&reunion[4])), Some(1.0)); // Horizon
    assert_eq!(num(Some(&reunion[5])), Some(1.0)); // MJC
    assert_eq!(num(Some(&reunion[6])), Some(0.5));
    assert_eq!(
        act.len(),
        fields(FormKind::Bilan)
            .iter()
            .filter(|d| d.kind == FieldType::Yesno)
            .count()
    );
}

#[test]
fn every_formula_has_its_result() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let mut missing = Vec::new();
    let mut n = 0;
    for (name, xml) in parts(&path) {
        if !name.starts_with("xl/worksheets/sheet") {
            continue;
        }
        // rust_xlsxwriter writes <c …><f>…</f><v>…</v></c>.
        for cell in xml.split("<c ").skip(1) {
            let cell = &cell[..cell.find("</c>").unwrap_or(cell.len())];
            if cell.contains("<f>") {
                n += 1;
                let v = cell
                    .split("<v>")
                    .nth(1)
                    .map(|v| &v[..v.find("</v>").unwrap()]);
                // A blank result is a string result (t="str"), never a 0 standing in for it.
                let ok = match v {
                    Some("") => cell.contains("t=\"str\""),
                    Some(_) => true,
                    None => false,
                };
                if !ok {
                    missing.push(format!("{name}: {cell}"));
                }
            }
        }
    }
    assert!(n > 100, "{n} formules seulement");
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn a_replaced_version_is_not_counted() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let book = read(&path);
    // The replaced bilan declared 500 children: the totals hold only the current versions.
    assert_eq!(book.totaux(label("enfants.total"), 1), Some(83.0));
    let files = book.col("Synthèse", "Fichier source") as usize;
    let in_synthese: Vec<String> = book
        .rows("Synthèse")
        .iter()
        .map(|r| text(Some(&r[files])))
        .collect();
    assert!(in_synthese.contains(&"bilan-minimes-v2.docx".to_string()));
    assert!(!in_synthese.contains(&"bilan-minimes-v1.docx".to_string()));
    // The Sources sheet lists it, replaced; the rejected file is there too.
    let sources = book.rows("Sources");
    assert_eq!(sources.len(), s.input.sources.len());
    let state = book.col("Sources", "État") as usize;
    let status = book.col("Sources", "Statut") as usize;
    let row = |file: &str| {
        sources
            .iter()
            .find(|r| text(Some(&r[0])) == file)
            .unwrap()
            .clone()
    };
    assert_eq!(
        text(Some(&row("bilan-minimes-v1.docx")[state])),
        "remplacée"
    );
    assert_eq!(
        text(Some(&row("bilan-minimes-v2.docx")[state])),
        "en vigueur"
    );
    assert_eq!(text(Some(&row("scan illisible.jpg")[status])), "rejeté");
    assert_eq!(text(Some(&row("note-lyon5.docx")[1])), "note stratégique");
}

#[test]
fn text_from_forms_never_becomes_a_formula() {
    let hostile = [
        "=HYPERLINK(\"http://x\",\"clic\")",
        "+33 1 23",
        "-5",
        "@SUM(A1)",
        "=1+1",
    ];
    let mut s = sample();
    for (i, a) in s.input.actions.iter_mut().enumerate() {
        let h = hostile[i % hostile.len()];
        // The sample's actions are its bilans, in the same order.
        let mut m = s.bilans[i].clone();
        m.insert("porteur.nom".into(), json!(h));
        m.insert(
            "action.lieu".into(),
            json!(hostile[(i + 1) % hostile.len()]),
        );
        m.insert(
            "bilan.global".into(),
            json!(hostile[(i + 2) % hostile.len()]),
        );
        a.bilan = Extraction::from_json(FormKind::Bilan, &a.bilan.mapping, &m).into();
        a.source_file = format!("{h}.docx");
        a.form_version = "=2+2".into();
        for f in &mut a.findings {
            Arc::make_mut(f).message = "=cmd|' /C calc'!A0".into();
        }
        if let Some(p) = &mut a.presence {
            for c in &mut p.collectifs {
                c.name = "@SUM(A1)".into();
            }
        }
    }
    s.input.actions.push(action(
        &bilan_fields(&[("porteur.nom", json!("=HYPERLINK(\"http://x\",\"clic\")"))]),
        "v",
        None,
        vec![],
        "x.docx",
        "-5",
    ));
    s.input.sources[0].file = "=HYPERLINK(\"http://x\",\"clic\")".into();
    s.input.notes[0]
        .extraction
        .fields
        .iter_mut()
        .find(|f| f.id == "territoire.nom")
        .unwrap()
        .value = clas::extraction::Value::Text("-2+3".into());
    let (_dir, path) = write(&s.input);
    let book = read(&path);

    let porteurs: Vec<String> = book
        .rows("Synthèse")
        .iter()
        .map(|r| text(Some(&r[0])))
        .collect();
    for h in &hostile[..4] {
        assert!(
            porteurs.contains(&h.to_string()),
            "{h} absent : {porteurs:?}"
        );
    }
    let reponses = book.rows("Réponses");
    assert!(
        reponses
            .iter()
            .any(|r| r.iter().any(|c| text(Some(c)) == "=1+1"))
    );
    let anomalies = book.rows("Anomalies");
    assert!(
        anomalies
            .iter()
            .any(|r| r.iter().any(|c| text(Some(c)) == "=cmd|' /C calc'!A0"))
    );
    assert!(
        book.rows("Assiduité")
            .iter()
            .all(|r| text(Some(&r[2])) == "@SUM(A1)")
    );
    assert!(
        book.rows("Dispositifs")
            .iter()
            .any(|r| text(Some(&r[0])) == "-2+3")
    );
    assert_eq!(
        text(Some(&book.rows("Sources")[0][0])),
        "=HYPERLINK(\"http://x\",\"clic\")"
    );

    // In the XML, every formula is one of ours: built on our own functions, and none holds
    // the forms' text.
    let ours = ["IF(", "SUM(", "COUNT(", "COUNTA(", "COUNTIF(", "SUMIF("];
    let all = formulas(&path);
    assert!(!all.is_empty());
    for (part, f) in &all {
        assert!(
            ours.iter().any(|o| f.starts_with(o)),
            "{part} : formule inattendue {f}"
        );
        for bad in ["HYPERLINK", "+33", "@SUM", "cmd|", "1+1", "2+2", "2+3"] {
            assert!(!f.contains(bad), "{part} : {f}");
        }
        assert_ne!(f, "-5");
    }
    // And the hostile text is there as strings: inline in the data sheets (written in constant
    // memory mode), shared in the others.
    let xml: String = parts(&path)
        .into_iter()
        .filter(|(n, _)| n == "xl/sharedStrings.xml" || n.starts_with("xl/worksheets/"))
        .map(|(_, x)| x)
        .collect();
    assert!(xml.contains("<is><t>=HYPERLINK(\"http://x\",\"clic\")</t></is>"));
    assert!(xml.contains("<is><t>@SUM(A1)</t></is>"));
    assert!(!xml.contains("<f>=HYPERLINK") && !xml.contains("<f>HYPERLINK"));
}

#[test]
fn no_child_name_anywhere() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let mut checked = 0;
    for (part, xml) in parts(&path) {
        let lower = xml.to_lowercase();
        for (nom, prenom) in CHILDREN {
            for name in [nom, prenom] {
                assert!(
                    !lower.contains(&name.to_lowercase()),
                    "« {name} » dans {part}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 10);
    // The counts are there.
    let book = read(&path);
    let rows = book.rows("Assiduité");
    assert_eq!(rows.len(), 3);
    let children: f64 = rows.iter().filter_map(|r| num(Some(&r[3]))).sum();
    assert_eq!(children, 5.0);
    // The finding that quoted a child is kept, the name masked.
    let anomalies = book.rows("Anomalies");
    assert!(anomalies.iter().any(|r| {
        text(Some(&r[6]))
            == "collectif « CE1-CE2 mardi jeudi » : (nom masqué) présente à 1 séance sur 5"
    }));
}

#[test]
fn attendance_figures_per_collectif() {
    let s = sample();
    let (_dir, path) = write(&s.input);
    let book = read(&path);
    let rows = book.rows("Assiduité");
    let col = |h: &str| book.col("Assiduité", h) as usize;
    let ce = rows
        .iter()
        .find(|r| text(Some(&r[2])) == "CE1-CE2 mardi jeudi")
        .unwrap();
    // 4, 6 | 13 | 18, 20 November: 3 weeks, sessions per week 2, 1, 2 → median 2.
    assert_eq!(num(Some(&ce[col("Enfants")])), Some(3.0));
    assert_eq!(num(Some(&ce[col("Séances")])), Some(5.0));
    assert_eq!(num(Some(&ce[col("Semaines avec séance")])), Some(3.0));
    assert_eq!(
        num(Some(&ce[col("Séances par semaine (médiane)")])),
        Some(2.0)
    );
    assert_eq!(
        num(Some(&ce[col("Durée moyenne d'une séance (h)")])),
        Some(1.5)
    );
    assert_eq!(
        num(Some(
            &ce[col("Enfants présents à moins de 50 % des séances")]
        )),
        Some(1.0)
    );
    let rate = num(Some(&ce[col("Taux d'assiduité")])).unwrap();
    assert!((rate - 10.0 / 15.0).abs() < 1e-9);
    // The child without a single mark is not counted.
    let college = rows
        .iter()
        .find(|r| text(Some(&r[2])) == "Collège lundi")
        .unwrap();
    assert_eq!(num(Some(&college[col("Enfants")])), Some(1.0));
}

#[test]
fn an_empty_department_still_makes_a_workbook() {
    let input = Input {
        corrections: Vec::new(),
        seuil_assiduite: 0.5,
        title: "Synthèse départementale CLAS 2025-2026".into(),
        generated: stamp(),
        actions: vec![],
        notes: vec![],
        sources: vec![],
        follow_up: vec![],
    };
    let (_dir, path) = write(&input);
    let book = read(&path);
    assert_eq!(book.names, SHEETS);
    assert!(book.rows("Synthèse").is_empty());
    assert_eq!(book.totaux("Actions (version en vigueur)", 1), Some(0.0));
    assert_eq!(book.totaux(label("enfants.total"), 1), Some(0.0));
    assert_eq!(book.totaux(label("enfants.total"), 2), None);
}

#[test]
fn a_locked_target_gets_a_dated_copy() {
    let s = sample();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("synthese.xlsx");

    // A first synthesis, then a second one over it: replaced, no temporary file left.
    synthesis::write(&s.input, &target).unwrap();
    let w = synthesis::write(&s.input, &target).unwrap();
    assert!(!w.dated_copy);
    assert_eq!(w.path, target);
    assert!(w.message().contains("synthese.xlsx"));
    let listing = || {
        let mut v: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(listing(), ["synthese.xlsx"]);

    // Locked (a read-only file here; on a Windows share, open in Excel): left as it is, the
    // synthesis goes to a dated copy beside it, and the message says so.
    std::fs::write(&target, b"ouvert dans Excel").unwrap();
    let mut perms = std::fs::metadata(&target).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&target, perms.clone()).unwrap();
    let w = synthesis::write(&s.input, &target).unwrap();
    assert!(w.dated_copy);
    assert_eq!(w.path, dir.path().join("synthese-20260115-103207.xlsx"));
    assert_eq!(w.target, target);
    let msg = w.message();
    assert!(
        msg.contains("synthese-20260115-103207.xlsx") && msg.contains("n'a pas pu être remplacé"),
        "{msg}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"ouvert dans Excel");
    assert_eq!(read(&w.path).names, SHEETS);

    // Again in the same second: a second copy, the first one kept.
    let w2 = synthesis::write(&s.input, &target).unwrap();
    assert_eq!(w2.path, dir.path().join("synthese-20260115-103207-2.xlsx"));
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&target, perms).unwrap();
    assert_eq!(
        listing(),
        [
            "synthese-20260115-103207-2.xlsx",
            "synthese-20260115-103207.xlsx",
            "synthese.xlsx"
        ]
    );

    // Open in LibreOffice (its lock file beside it) or Excel (`~$…`): not replaced either.
    let lo = dir.path().join("lo");
    std::fs::create_dir(&lo).unwrap();
    let open = lo.join("synthese.xlsx");
    std::fs::write(&open, b"ouvert").unwrap();
    std::fs::write(lo.join(".~lock.synthese.xlsx#"), b"agent,poste").unwrap();
    let w = synthesis::write(&s.input, &open).unwrap();
    assert!(w.dated_copy);
    assert_eq!(std::fs::read(&open).unwrap(), b"ouvert");
    std::fs::remove_file(lo.join(".~lock.synthese.xlsx#")).unwrap();
    std::fs::write(lo.join("~$synthese.xlsx"), b"agent").unwrap();
    assert!(synthesis::write(&s.input, &open).unwrap().dated_copy);
    std::fs::remove_file(lo.join("~$synthese.xlsx")).unwrap();
    assert!(!synthesis::write(&s.input, &open).unwrap().dated_copy);

    // A target that cannot be renamed over (here a folder in its place).
    let other = dir.path().join("autre");
    let blocked = other.join("synthese.xlsx");
    std::fs::create_dir_all(blocked.join("dedans")).unwrap();
    let w = synthesis::write(&s.input, &blocked).unwrap();
    assert!(w.dated_copy);
    assert_eq!(w.path, other.join("synthese-20260115-103207.xlsx"));
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_written_is_an_error_in_french() {
    use std::os::unix::fs::PermissionsExt;
    let s = sample();
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("lecture-seule");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(ro.join("essai"), b"x").is_ok() {
        eprintln!(
            "!!! a_folder_that_cannot_be_written_is_an_error_in_french : ignoré, les droits ne s'appliquent pas à cet utilisateur (root)"
        );
        return;
    }
    let err = synthesis::write(&s.input, &ro.join("synthese.xlsx")).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("accès refusé"), "{msg}");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0);
}

/// LibreOffice opens the workbook: converted to PDF; then every sheet to CSV twice, once as
/// saved (LibreOffice shows the cached results) and once recalculated by LibreOffice itself:
/// both must be identical, which proves every cached result is what the formula computes.
#[test]
fn libreoffice_opens_it_and_computes_the_same_figures() {
    let Some(soffice) = which("soffice").or_else(|| which("libreoffice")) else {
        eprintln!(
            "\n!!!!!!!!\n!!! libreoffice_opens_it_and_computes_the_same_figures : IGNORÉ, soffice n'est pas installé (la CI l'installe)\n!!!!!!!!\n"
        );
        return;
    };
    let s = sample();
    let (dir, path) = write(&s.input);
    // OOXMLRecalcMode: 0 recalculate on load, 1 never.
    let convert = |filter: &str, recalc: u8, out: &Path| {
        let profile = dir.path().join(format!("profil-lo-{recalc}"));
        std::fs::create_dir_all(profile.join("user")).unwrap();
        std::fs::write(
            profile.join("user/registrymodifications.xcu"),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{recalc}</value></prop></item>
</oor:items>
"#
            ),
        )
        .unwrap();
        let run = Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                filter,
                "--outdir",
            ])
            .arg(out)
            .arg(&path)
            .output()
            .expect("soffice se lance");
        assert!(
            run.status.success(),
            "soffice --convert-to {filter} : {}\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    };
    let pdf_dir = dir.path().join("pdf");
    convert("pdf", 1, &pdf_dir);
    let pdf = std::fs::metadata(pdf_dir.join("synthese.pdf")).expect("PDF écrit");
    assert!(pdf.len() > 10_000, "PDF de {} octets", pdf.len());

    // Every sheet (-1) to CSV: UTF-8, comma, raw values.
    let csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1";
    let (cached, recalculated) = (dir.path().join("cache"), dir.path().join("recalcul"));
    convert(csv, 1, &cached);
    convert(csv, 0, &recalculated);
    let files = |d: &Path| -> BTreeMap<String, String> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (files(&cached), files(&recalculated));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        SHEETS
            .iter()
            .map(|s| format!("synthese-{s}.csv"))
            .collect::<std::collections::BTreeSet<_>>()
            .iter()
            .collect::<Vec<_>>()
    );
    for (name, text) in &a {
        for (i, (x, y)) in text.lines().zip(b[name].lines()).enumerate() {
            assert_eq!(
                x,
                y,
                "{name}, ligne {} : résultat en cache ≠ recalcul",
                i + 1
            );
        }
        assert_eq!(text, &b[name], "{name}");
    }
    let totaux = &a["synthese-Totaux.csv"];
    assert!(
        totaux
            .lines()
            .any(|l| l.starts_with("Nombre total d'enfants,83,20.75,4")),
        "{totaux}"
    );
}

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(cmd))
        .find(|p| p.is_file())
}

/// `CLAS_SYNTHESE_SAMPLE=/tmp/synthese.xlsx cargo test --test synthesis sample`: writes the
/// sample workbook there, to look at it in Excel or LibreOffice.
#[test]
fn sample_workbook_for_review() {
    if let Some(path) = std::env::var_os("CLAS_SYNTHESE_SAMPLE") {
        let w = synthesis::write(&sample().input, Path::new(&path)).unwrap();
        eprintln!("{}", w.message());
    }
}

/// The real samples through the real pipeline (extraction, rules), as `clas synthesis` will
/// get them from the store: four bilans with their attendance workbooks, the other bilans,
/// the two notes stratégiques; a LibreOffice re-save of a bilan stands for a replaced version.
#[test]
fn the_samples_through_the_pipeline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mappings = clas::mapping::load(None).unwrap();
    let ctx = clas::findings::Context::load("national", None, false).unwrap();
    let extract = |p: &Path| {
        clas::pipeline::extract_file(p, &mappings)
            .unwrap_or_else(|e| panic!("{} : {e:?}", p.display()))
            .extraction
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    files.sort();
    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let mut input = Input {
        corrections: Vec::new(),
        seuil_assiduite: 0.5,
        title: "Synthèse départementale CLAS (échantillons)".into(),
        generated: stamp(),
        actions: vec![],
        notes: vec![],
        sources: vec![],
        follow_up: vec![],
    };
    // The actions' extractions (bilan, attendance workbook), for the checks.
    let mut extractions: Vec<(Extraction, Option<Extraction>)> = Vec::new();
    for p in &files {
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        let replaced = stem.ends_with("-libreoffice");
        let x = extract(p);
        let form = x.form.id().to_string();
        input.sources.push(SourceDoc {
            form_version: x.mapping.clone(),
            ..source(&name(p), &form, "2026-01-12", !replaced)
        });
        if replaced {
            continue;
        }
        if stem.starts_with("note-") {
            let findings = clas::findings::check(None, None, Some(&x), &ctx);
            input.notes.push(Note {
                extraction: x,
                findings,
                source_file: name(p),
            });
            continue;
        }
        let presence_path = root.join("presence").join(format!("{stem}.xlsx"));
        let presence = presence_path.exists().then(|| extract(&presence_path));
        if presence.is_some() {
            input.sources.push(source(
                &name(&presence_path),
                "presence",
                "2026-01-12",
                true,
            ));
        }
        let findings = clas::findings::check(Some(&x), presence.as_ref(), None, &ctx);
        extractions.push((x.clone(), presence.clone()));
        input.actions.push(Action {
            form_version: x.mapping.clone(),
            bilan: x.into(),
            presence: presence.map(|x| Attendance::new(x, 0.5)),
            findings: findings.into_iter().map(Arc::new).collect(),
            source_file: name(p),
            received: "2026-01-12T14:03:00".into(),
        });
    }
    let with_presence = input
        .actions
        .iter()
        .filter(|a| a.presence.is_some())
        .count();
    assert!(input.actions.len() >= 8 && with_presence >= 4 && input.notes.len() == 2);

    let (_dir, path) = write(&input);
    if let Some(keep) = std::env::var_os("CLAS_SYNTHESE_ECHANTILLONS") {
        std::fs::copy(&path, keep).unwrap();
    }
    let book = read(&path);
    assert_eq!(book.names, SHEETS);
    assert_eq!(book.rows("Synthèse").len(), input.actions.len());
    for id in ["enfants.total", "familles.nombre", "heures.total"] {
        let want: f64 = extractions
            .iter()
            .filter_map(|(b, _)| b.value(id).as_f64())
            .sum();
        assert_eq!(book.totaux(label(id), 1), Some(want), "{id}");
    }
    let collectifs: usize = extractions
        .iter()
        .filter_map(|(_, p)| p.as_ref()?.collectifs.as_ref().map(Vec::len))
        .sum();
    assert_eq!(book.rows("Assiduité").len(), collectifs);
    let findings: usize = input
        .actions
        .iter()
        .map(|a| a.findings.len())
        .sum::<usize>()
        + input.notes.iter().map(|n| n.findings.len()).sum::<usize>();
    assert_eq!(book.rows("Anomalies").len(), findings);

    // No child of the attendance workbooks: not their full names, and not their surnames
    // unless the bilans themselves use the word (a porteur, a street).
    let bilans_text = extractions
        .iter()
        .map(|(b, _)| serde_json::to_string(&b.fields_json()).unwrap())
        .collect::<String>()
        .to_lowercase();
    let mut names = Vec::new();
    for (_, presence) in &extractions {
        for c in presence.iter().flat_map(|p| p.collectifs.iter().flatten()) {
            for e in &c.enfants {
                names.push(format!("{} {}", e.prenom, e.nom).to_lowercase());
                names.push(format!("{} {}", e.nom, e.prenom).to_lowercase());
                if e.nom.chars().count() >= 3 && !bilans_text.contains(&e.nom.to_lowercase()) {
                    names.push(e.nom.to_lowercase());
                }
            }
        }
    }
    assert!(names.len() > 40, "{} noms seulement", names.len());
    for (part, xml) in parts(&path) {
        let xml = xml.to_lowercase();
        for n in &names {
            assert!(!xml.contains(n.as_str()), "« {n} » dans {part}");
        }
    }
}
