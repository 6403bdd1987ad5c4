//! Documents generated from the bilans (issue 7): next year's conventions, letters to
//! porteurs, next year's pre-filled blank bilan. Each generated .docx is opened as a zip and
//! its XML read back; LibreOffice converts them to PDF when it is installed.

mod common;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Reader, Xlsx, open_workbook};
use clas::dictionary::{FieldType, FormKind};
use clas::extraction::{Collectif, Enfant, Extraction};
use clas::findings::{Calendar, Context, Finding, Severity, check};
use clas::letters::{
    self, DOTS, PrefillParams, RelanceParams, Signataires, Template, dedupe_schools,
    default_relance_template, parse_schools, prefill, prefill_bilan, relance,
};
use clas::values::Date;
use common::*;

// ---------------------------------------------------------------------------------------
// Helpers: a .docx opened as zip + XML
// ---------------------------------------------------------------------------------------

struct Docx {
    parts: BTreeMap<String, Vec<u8>>,
}

impl Docx {
    fn open(bytes: &[u8]) -> Docx {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip package");
        let mut parts = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            parts.insert(name, data);
        }
        Docx { parts }
    }
    fn read(path: &Path) -> Docx {
        Docx::open(&std::fs::read(path).unwrap())
    }
    fn xml(&self, name: &str) -> String {
        String::from_utf8(self.parts[name].clone()).unwrap()
    }
    fn document(&self) -> String {
        self.xml("word/document.xml")
    }
    /// Paragraph texts as the project's own Word reader sees them.
    fn paragraphs(&self) -> Vec<String> {
        clas::document::docx::parse_document_xml(&self.document())
            .expect("well-formed document.xml")
            .paragraphs
            .iter()
            .map(|p| p.text())
            .collect()
    }
    fn text(&self) -> String {
        self.paragraphs().join("\n")
    }
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

fn bilan_goldens() -> Vec<(String, Extraction)> {
    let mut out: Vec<(String, Extraction)> = with_golden(&repo().join("samples"), "docx")
        .into_iter()
        .filter(|(_, g)| g["form"] == "bilan")
        .map(|(p, g)| {
            let x = Extraction::from_json(
                FormKind::Bilan,
                "bilan-2021-lot-et-garonne",
                g["fields"].as_object().unwrap(),
            );
            (p.file_name().unwrap().to_string_lossy().into_owned(), x)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        out.len() >= 8,
        "au moins 8 bilans d'exemple ({} trouvés)",
        out.len()
    );
    out
}

fn bilans() -> Vec<Extraction> {
    bilan_goldens().into_iter().map(|(_, x)| x).collect()
}

fn convention_template() -> Vec<u8> {
    std::fs::read(repo().join("forms/convention.docx")).expect("forms/convention.docx")
}

fn params() -> PrefillParams {
    PrefillParams {
        territoire: Some("Agen".into()),
        ville_caf: Some("Agen".into()),
        calendar: Calendar::embedded(),
        ..Default::default()
    }
}

fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("soffice"))
        .find(|p| p.is_file())
}

/// Converts with LibreOffice in a private profile; `None` (said loudly) without soffice.
fn convert(files: &[PathBuf], to: &str, out: &Path) -> Option<std::process::Output> {
    let Some(soffice) = soffice() else {
        eprintln!(
            "\n*** soffice absent du PATH : conversion LibreOffice NON TESTÉE ({} fichier(s)) ***\n",
            files.len()
        );
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(out)
        .args(files)
        .output()
        .expect("soffice runs");
    Some(output)
}

/// Number of (runs with bold, paragraphs in a list, title-style paragraphs) of a document.
fn formatting(xml: &str) -> (usize, usize, usize) {
    (
        count(xml, "<w:b/>"),
        count(xml, "<w:numPr>"),
        count(xml, "<w:pStyle w:val=\"Titre"),
    )
}

// ---------------------------------------------------------------------------------------
// Conventions
// ---------------------------------------------------------------------------------------

/// Schools per porteur in the samples, after deduplication.
const EXPECTED: &[(&str, &[&str])] = &[
    (
        "Association Les Cartables du Passage",
        &[
            "École élémentaire Jules Ferry",
            "École élémentaire Paul Bert",
            "Collège Jean Rostand",
        ],
    ),
    (
        "Centre social du Pin",
        &[
            "École Jean Macé",
            "École Louise Michel",
            "Collège Anatole Lebrun",
        ],
    ),
    (
        "Association Les Coteaux Solidaires",
        &["École primaire de Duras"],
    ),
    (
        "Espace jeunes Les Tilleuls",
        &[
            "Collège des Tilleuls",
            "Lycée professionnel de la Vallée du Lot",
        ],
    ),
    (
        "Foyer rural de Castelmoron-sur-Lot",
        &[
            "École primaire de Castelmoron-sur-Lot",
            "Collège de Sainte-Livrade-sur-Lot",
        ],
    ),
    (
        "Maison des quartiers Nord",
        &[
            "École Jean Jaurès",
            "École Victor Hugo",
            "Collège Léopold Sédar Senghor",
        ],
    ),
    (
        "Association Savoirs Partagés en Albret",
        &["École élémentaire des Tanneries", "Collège de la Baïse"],
    ),
    (
        "Amicale laïque de Casteljaloux",
        &["École élémentaire Jean Moulin", "Collège Jean Zay"],
    ),
    (
        "Centre social Les Passerelles",
        &[
            "École Marcel Pagnol",
            "École du Pont",
            "Collège Félix Lacombe",
        ],
    ),
    (
        "Association Trait d’Union",
        &[
            "Groupe scolaire Pierre et Marie Curie",
            "École Antoine de Saint-Exupéry",
        ],
    ),
];

#[test]
fn conventions_from_the_sample_bilans() {
    let dir = tempfile::tempdir().unwrap();
    let template = convention_template();
    let report = prefill(&bilans(), &params(), &template, dir.path()).unwrap();
    assert_eq!(
        report.annee, 2026,
        "bilans 2025-2026 → conventions 2026-2027"
    );

    // One convention per (porteur, school); the two copies of the Cartables bilan (Word and
    // LibreOffice) give one set; Horizon Boé names no school: one convention to complete.
    let expected: usize = EXPECTED.iter().map(|(_, s)| s.len()).sum::<usize>() + 1;
    assert_eq!(
        report.conventions.len(),
        expected,
        "{:#?}",
        report
            .conventions
            .iter()
            .map(|c| (&c.porteur, &c.etablissement))
            .collect::<Vec<_>>()
    );
    for (porteur, schools) in EXPECTED {
        let got: Vec<&str> = report
            .conventions
            .iter()
            .filter(|c| c.porteur == *porteur)
            .filter_map(|c| c.etablissement.as_deref())
            .collect();
        assert_eq!(&got, schools, "{porteur}");
    }
    let cartables: Vec<_> = report
        .conventions
        .iter()
        .filter(|c| c.porteur.contains("Cartables"))
        .collect();
    assert!(
        cartables
            .iter()
            .all(|c| c.spellings.len() == 1 && c.actions == vec!["2"])
    );

    let tpl = Docx::open(&template);
    let tpl_fmt = formatting(&tpl.document());
    let mut names = std::collections::HashSet::new();
    for c in &report.conventions {
        let name = c.file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("convention-") && name.ends_with(".docx"),
            "{name}"
        );
        assert!(
            name.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '.'),
            "nom de fichier sûr sous Windows : {name}"
        );
        assert!(names.insert(name.clone()), "{name} en double");

        let d = Docx::read(&c.file);
        let xml = d.document();
        let text = d.text();
        assert!(
            !xml.contains("{{") && !xml.contains("}}"),
            "{name} : balise restante"
        );
        assert!(text.contains("Année scolaire 2026/2027"), "{name}");
        assert!(text.contains(&c.porteur), "{name}");
        if let Some(e) = &c.etablissement {
            assert!(text.contains(e.as_str()), "{name} : {e}");
            assert!(
                !text.contains("(identification de l’établissement"),
                "{name}"
            );
        } else {
            assert!(
                text.contains(&format!(
                    "{DOTS} (identification de l’établissement scolaire)"
                )),
                "{name} : l'établissement inconnu reste en pointillés, avec sa note"
            );
            assert!(
                c.unfilled
                    .iter()
                    .any(|u| u.contains("établissement scolaire"))
            );
        }
        assert!(
            text.contains("L’action se déroule du 2 novembre 2026 au 15 juin 2027"),
            "{name}"
        );
        assert!(text.contains("Fait à Agen"), "{name}");
        // Notes next to the filled territory are gone; the other notes stay.
        for p in d.paragraphs() {
            if p.contains("Agen") {
                assert!(!p.contains("adapter"), "{name} : note restée dans « {p} »");
            }
        }
        assert!(text.contains("\n(à adapter)\n") && text.contains("\n( à adapter)\n"));
        assert_eq!(count(&text, "adapter"), 2, "{name}");
        assert!(!text.contains("de Limoges"));
        // What is not known stays visible as a dotted line, and is listed.
        assert!(
            text.contains(&format!("Le {DOTS}")),
            "{name} : date de signature"
        );
        for s in [
            "signataire : responsable",
            "signataire : directeur",
            "gestionnaire Clas",
            "date de signature",
        ] {
            assert!(
                c.unfilled.iter().any(|u| u.contains(s)),
                "{name} : « {s} » absent de {:?}",
                c.unfilled
            );
        }
        assert!(count(&text, DOTS) >= 4, "{name}");
        // Formatting survives: bold runs, list numbering, title styles, other parts untouched.
        assert_eq!(formatting(&xml), tpl_fmt, "{name}");
        for part in [
            "word/styles.xml",
            "word/numbering.xml",
            "word/footer1.xml",
            "word/settings.xml",
            "[Content_Types].xml",
        ] {
            assert_eq!(d.parts[part], tpl.parts[part], "{name} : {part} modifié");
        }
        assert_eq!(
            d.parts.keys().collect::<Vec<_>>(),
            tpl.parts.keys().collect::<Vec<_>>()
        );
    }

    // Premises: nature from the boxes, address from action.lieu (line breaks kept).
    let pin = report
        .conventions
        .iter()
        .find(|c| c.porteur == "Centre social du Pin")
        .unwrap();
    let pin_doc = Docx::read(&pin.file);
    let pin_text = pin_doc.text();
    assert!(
        pin_text.contains("Elle a lieu dans les locaux de la commune situés\u{a0}: Centre social du Pin\n3 place du Marché, 47300 Villeneuve-sur-Lot."),
        "{pin_text}"
    );
    assert!(pin_doc.document().contains("<w:br/>"));
    let boe = report
        .conventions
        .iter()
        .find(|c| c.porteur == "Association Horizon Boé")
        .unwrap();
    assert!(boe.unfilled.iter().any(|u| u.contains("nature des locaux")));

    // The index lists every convention and what is left to complete.
    let mut wb: Xlsx<_> = open_workbook(&report.index).unwrap();
    let sheet = wb.worksheet_range("Conventions").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), report.conventions.len() + 1);
    assert_eq!(rows[0][0], "Fichier");
    for (row, c) in rows[1..].iter().zip(&report.conventions) {
        assert_eq!(row[0], c.file.file_name().unwrap().to_string_lossy());
        assert_eq!(row[1], c.porteur);
        assert!(
            row[4].contains("signataire : directeur de l'école"),
            "{row:?}"
        );
    }
    let boe_row = rows
        .iter()
        .find(|r| r[1] == "Association Horizon Boé")
        .unwrap();
    assert_eq!(boe_row[2], "(à compléter)");
    assert!(boe_row[4].contains("établissement scolaire (X) (aucun établissement nommé"));
}

#[test]
fn signatories_and_addresses_from_the_reference_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = params();
    p.signataires = Signataires::from_csv(
        "type;nom;adresse;responsable;directeur;gestionnaire\n\
         établissement;Ecole élémentaire J. Macé;12 rue Haute, 47300 Villeneuve-sur-Lot;M. Responsable;Mme Directrice;\n\
         porteur;CENTRE SOCIAL DU PIN;;;;M. Gestionnaire\n",
    )
    .unwrap();
    p.date_signature = Date::new(2026, 9, 15);
    let pin: Vec<Extraction> = bilans()
        .into_iter()
        .filter(|b| b.value("porteur.nom").as_text() == Some("Centre social du Pin"))
        .collect();
    let report = prefill(&pin, &p, &convention_template(), dir.path()).unwrap();
    assert_eq!(report.conventions.len(), 3);
    let mace = &report.conventions[0];
    assert_eq!(mace.etablissement.as_deref(), Some("École Jean Macé"));
    assert!(mace.unfilled.is_empty(), "{:?}", mace.unfilled);
    let text = Docx::read(&mace.file).text();
    for s in [
        "École Jean Macé, 12 rue Haute, 47300 Villeneuve-sur-Lot",
        "M. Responsable",
        "Mme Directrice",
        "M. Gestionnaire",
        "Le 15 septembre 2026",
    ] {
        assert!(text.contains(s), "{s} absent de :\n{text}");
    }
    assert!(!text.contains(DOTS), "{text}");
    // The other schools have no row: their school signatories stay to complete.
    let michel = &report.conventions[1];
    assert!(michel.unfilled.iter().any(|u| u.contains("directeur")));
    assert!(!michel.unfilled.iter().any(|u| u.contains("gestionnaire")));
}

#[test]
fn a_year_missing_from_the_calendar_leaves_the_start_date_dotted() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = params();
    p.annee = letters::parse_annee("2027-2028");
    let report = prefill(&bilans()[..1], &p, &convention_template(), dir.path()).unwrap();
    assert_eq!(report.annee, 2027);
    assert!(report.notes.iter().any(|n| n.contains("Toussaint 2027")));
    let c = &report.conventions[0];
    let text = Docx::read(&c.file).text();
    assert!(text.contains("Année scolaire 2027/2028"));
    assert!(
        text.contains(&format!("L’action se déroule du {DOTS} au 15 juin 2028")),
        "{text}"
    );
    assert!(
        c.unfilled
            .iter()
            .any(|u| u.starts_with("date de début") && u.contains("absente du calendrier"))
    );
}

#[test]
fn names_and_formulas_in_the_index_are_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = bilans().remove(0);
    for f in &mut b.fields {
        match f.id.as_str() {
            "porteur.nom" => f.value = clas::extraction::Value::Text("=HYPERLINK(\"x\")".into()),
            "etablissements" => {
                f.value = clas::extraction::Value::Text("école Jean <Moulin> & Cie".into())
            }
            _ => {}
        }
    }
    let report = prefill(&[b], &params(), &convention_template(), dir.path()).unwrap();
    let c = &report.conventions[0];
    assert!(
        Docx::read(&c.file)
            .text()
            .contains("École Jean <Moulin> & Cie")
    );
    let sheet = Docx::read(&report.index).xml("xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"), "aucune formule : {sheet}");
    let mut wb: Xlsx<_> = open_workbook(&report.index).unwrap();
    let range = wb.worksheet_range("Conventions").unwrap();
    assert_eq!(range.get((1, 1)).unwrap().to_string(), "=HYPERLINK(\"x\")");
}

#[test]
fn a_template_re_saved_by_libreoffice_still_fills() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("convention.docx");
    std::fs::write(&src, convention_template()).unwrap();
    let outdir = dir.path().join("lo");
    std::fs::create_dir_all(&outdir).unwrap();
    let Some(out) = convert(&[src], "docx:MS Word 2007 XML", &outdir) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let resaved = std::fs::read(outdir.join("convention.docx")).expect("converted file");
    assert_ne!(resaved, convention_template());
    let t = Template::parse(&resaved).unwrap();
    let mut names = t.placeholders().to_vec();
    names.sort();
    let mut expected: Vec<String> = letters::convention::PLACEHOLDERS
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "every placeholder is found after LibreOffice"
    );

    let gen_dir = dir.path().join("out");
    let report = prefill(&bilans(), &params(), &resaved, &gen_dir).unwrap();
    let lo = Docx::open(&resaved);
    let lo_fmt = formatting(&lo.document());
    for c in &report.conventions {
        let d = Docx::read(&c.file);
        let text = d.text();
        assert!(!d.document().contains("{{"), "{}", c.file.display());
        assert!(text.contains(&c.porteur));
        assert!(text.contains("du 2 novembre 2026 au 15 juin 2027"));
        for p in d.paragraphs() {
            if p.contains("Agen") {
                assert!(!p.contains("adapter"), "{p}");
            }
        }
        assert_eq!(formatting(&d.document()), lo_fmt);
    }
}

#[test]
fn generated_documents_convert_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let conv = prefill(
        &bilans(),
        &params(),
        &convention_template(),
        &dir.path().join("c"),
    )
    .unwrap();
    let letters = relance(
        &with_findings(),
        &relance_params(),
        &default_relance_template(),
        &dir.path().join("r"),
    )
    .unwrap();
    let blank = std::fs::read(repo().join("forms/bilan-clas.docx")).unwrap();
    let pre = dir.path().join("bilan-prerempli.docx");
    std::fs::write(&pre, prefill_bilan(&bilans()[0], &blank).unwrap()).unwrap();
    let mut files: Vec<PathBuf> = conv
        .conventions
        .iter()
        .take(4)
        .map(|c| c.file.clone())
        .collect();
    files.extend(letters.letters.iter().take(3).map(|l| l.file.clone()));
    files.push(pre);
    let pdf = dir.path().join("pdf");
    std::fs::create_dir_all(&pdf).unwrap();
    let Some(out) = convert(&files, "pdf", &pdf) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in &files {
        let p = pdf.join(f.file_stem().unwrap()).with_extension("pdf");
        let bytes = std::fs::read(&p).unwrap_or_else(|_| {
            panic!(
                "{} non converti ; soffice : {} {}",
                f.display(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        assert!(
            bytes.starts_with(b"%PDF") && bytes.len() > 1000,
            "{}",
            p.display()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Letters
// ---------------------------------------------------------------------------------------

fn with_findings() -> Vec<(Extraction, Vec<Finding>)> {
    let ctx = Context::load("national", None, false).unwrap();
    bilans()
        .into_iter()
        .map(|b| {
            let f = check(Some(&b), None, None, &ctx);
            (b, f)
        })
        .collect()
}

fn relance_params() -> RelanceParams {
    RelanceParams {
        today: Date::new(2026, 3, 2),
        caf: Some("Caf de Lot-et-Garonne".into()),
        ville_caf: Some("Agen".into()),
        contact: Some("le service CLAS (05 53 00 00 00)".into()),
        signataire: Some("La responsable du service".into()),
        ..Default::default()
    }
}

/// The tables of a letter: each row's cells as text, header rows left out.
fn table_rows(d: &Docx) -> Vec<Vec<String>> {
    clas::document::docx::parse_document_xml(&d.document())
        .expect("well-formed document.xml")
        .tables
        .iter()
        .flat_map(|t| t.rows.iter().skip(1))
        .map(|r| r.iter().map(|c| c.text()).collect())
        .collect()
}

#[test]
fn letters_to_porteurs_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let actions = with_findings();
    let report = relance(
        &actions,
        &relance_params(),
        &default_relance_template(),
        dir.path(),
    )
    .unwrap();
    assert_eq!(
        report.deadline,
        Date::new(2026, 4, 1).unwrap(),
        "30 jours après la date du courrier (un mercredi ouvré)"
    );

    // One letter per porteur with at least one error; warnings are left out.
    let with_errors: Vec<&(Extraction, Vec<Finding>)> = actions
        .iter()
        .filter(|(_, f)| f.iter().any(|f| f.severity == Severity::Error))
        .collect();
    let mut porteurs: Vec<&str> = with_errors
        .iter()
        .filter_map(|(b, _)| b.value("porteur.nom").as_text())
        .collect();
    porteurs.sort();
    porteurs.dedup();
    assert_eq!(
        report.letters.len(),
        porteurs.len(),
        "un courrier par porteur ayant des erreurs"
    );
    let with_problems = actions
        .iter()
        .filter(|(_, f)| f.iter().any(|f| f.severity >= Severity::Warning))
        .count();
    assert_eq!(report.in_order + with_problems, actions.len());

    let tpl = Docx::open(&default_relance_template());
    for l in &report.letters {
        assert_eq!(l.kind, letters::LetterKind::Relance);
        assert_eq!(l.warnings, 0, "no warning in a relance");
        let d = Docx::read(&l.file);
        let text = d.text();
        let xml = d.document();
        assert!(!xml.contains("{{"), "{}", l.file.display());
        assert!(l.unfilled.is_empty(), "{:?}", l.unfilled);
        assert!(text.contains(&l.porteur));
        assert!(text.contains("Agen, le 2 mars 2026"));
        assert!(text.contains("au plus tard le 1er avril 2026\u{a0}:"));
        assert!(text.contains("Objet\u{a0}: bilan CLAS 2025-2026"));
        assert!(text.contains("n’hésitez pas à nous contacter\u{a0}: le service CLAS"));
        // The footer's placeholder is filled too, its page field kept.
        let footer = d.xml("word/footer1.xml");
        assert!(footer.contains("Caf de Lot-et-Garonne – bilan CLAS – page"));
        assert!(footer.contains(" PAGE "));
        let errors: Vec<&Finding> = {
            // Two copies of one action count once.
            let mut seen: Vec<&Extraction> = Vec::new();
            actions
                .iter()
                .filter(|(b, _)| b.value("porteur.nom").as_text() == Some(l.porteur.as_str()))
                .filter(|(b, _)| {
                    let dup = seen.iter().any(|s| clas::findings::same_action(s, b));
                    seen.push(b);
                    !dup
                })
                .flat_map(|(_, f)| f.iter().filter(|f| f.severity == Severity::Error))
                .collect()
        };
        assert_eq!(l.errors, errors.len());
        // The points: a table per section, a row per question (each question once), three
        // columns; the documents to send back as bullets.
        let rows = table_rows(&d);
        assert_eq!(rows.len(), l.points, "{}", l.file.display());
        assert!(rows.iter().all(|r| r.len() == 3));
        let tables = count(&xml, "<w:tbl>");
        assert!(tables >= 1);
        assert_eq!(count(&xml, "<w:tblHeader/>"), tables);
        assert_eq!(count(&xml, "<w:numPr>"), l.actions.len());
        assert_eq!(
            count(&xml, "<w:b/>"),
            count(&tpl.document(), "<w:b/>") + tables * 4,
            "bold: the template's, each table's heading and its three header cells"
        );
        assert_eq!(
            d.parts["word/numbering.xml"],
            tpl.parts["word/numbering.xml"]
        );
        // (no-break spaces before « ? » and « : » read as spaces)
        let questions: Vec<String> = rows.iter().map(|r| r[0].replace('\u{a0}', " ")).collect();
        for f in &errors {
            for id in &f.fields {
                if let Some(def) = clas::dictionary::field(FormKind::Bilan, id)
                    && def.kind != FieldType::Table
                {
                    let label = def.label.replace("prohet", "projet");
                    let n = questions.iter().filter(|q| q.contains(&label)).count();
                    assert_eq!(
                        n,
                        1,
                        "{} : question « {label} » : {n} fois",
                        l.file.display()
                    );
                }
            }
        }
        // No rule source pasted after a colon, no jargon, no form typo.
        for r in &rows {
            assert!(!r[1].contains("Référentiel"), "{r:?}");
            assert!(
                !r[1].contains("médiane") && !r[2].contains("médiane"),
                "{r:?}"
            );
        }
        assert!(!text.contains("prohet"));
        assert!(text.contains("Merci"), "{text}");
    }

    // A missing required answer reads as a plain French request.
    let marmande = report
        .letters
        .iter()
        .find(|l| l.porteur == "Maison des quartiers Nord")
        .unwrap();
    let d = Docx::read(&marmande.file);
    assert!(
        table_rows(&d).contains(&vec![
            "ACTION N°".to_string(),
            "Non renseigné (réponse obligatoire).".to_string(),
            "Merci de compléter cette réponse.".to_string()
        ]),
        "{:?}",
        table_rows(&d)
    );
    assert!(
        d.text()
            .contains("le bilan complété et corrigé de l’action (numéro non indiqué)")
    );
    // Unanswered yes/no questions are warnings: not in the relance.
    let boe = report
        .letters
        .iter()
        .find(|l| l.porteur == "Association Horizon Boé")
        .unwrap();
    assert!(!Docx::read(&boe.file).text().contains("Ni «"));

    let mut wb: Xlsx<_> = open_workbook(&report.index).unwrap();
    let range = wb.worksheet_range("Courriers").unwrap();
    assert_eq!(range.rows().count(), report.letters.len() + 1);
    let remarks = wb.worksheet_range("Remarques").unwrap();
    assert!(
        remarks
            .rows()
            .any(|r| r[0].to_string().contains("--avertissements")),
        "the porteurs left without a letter are listed"
    );
}

#[test]
fn warnings_get_a_softer_letter_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let actions = with_findings();
    let warning_only: Vec<&str> = actions
        .iter()
        .filter(|(_, f)| {
            f.iter().any(|f| f.severity == Severity::Warning)
                && !f.iter().any(|f| f.severity == Severity::Error)
        })
        .filter_map(|(b, _)| b.value("porteur.nom").as_text())
        .collect();
    assert!(
        warning_only.contains(&"Centre social du Pin"),
        "the Pin's only point is its start date: {warning_only:?}"
    );
    // By default: no letter to them.
    let report = relance(
        &actions,
        &relance_params(),
        &default_relance_template(),
        &dir.path().join("a"),
    )
    .unwrap();
    assert!(
        report
            .letters
            .iter()
            .all(|l| l.porteur != "Centre social du Pin")
    );
    assert!(
        report
            .warnings_only
            .contains(&"Centre social du Pin".to_string())
    );
    // Asked for: a separate, softer letter, warnings only.
    let params = RelanceParams {
        verification: Some(letters::default_verification_template()),
        ..relance_params()
    };
    let report = relance(
        &actions,
        &params,
        &default_relance_template(),
        &dir.path().join("b"),
    )
    .unwrap();
    let pin: Vec<&letters::LetterOut> = report
        .letters
        .iter()
        .filter(|l| l.porteur == "Centre social du Pin")
        .collect();
    assert_eq!(pin.len(), 1);
    assert_eq!(pin[0].kind, letters::LetterKind::Verification);
    assert!(
        pin[0]
            .file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("verification-")
    );
    let d = Docx::read(&pin[0].file);
    let text = d.text();
    assert!(text.contains("quelques points à vérifier"), "{text}");
    assert!(
        !text.contains("doivent être complétés ou corrigés"),
        "{text}"
    );
    let rows = table_rows(&d);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0][0].contains("Date de début de mise en œuvre du projet"));
    // The rule's source moves to what is expected, in words.
    assert!(!rows[0][1].contains("Référentiel"), "{rows:?}");
    assert!(rows[0][2].contains("(référentiel national)"), "{rows:?}");
    // Both kinds for a porteur with errors and warnings; every soft letter has no error.
    for l in &report.letters {
        match l.kind {
            letters::LetterKind::Relance => assert!(l.errors > 0 && l.warnings == 0),
            letters::LetterKind::Verification => assert!(l.errors == 0 && l.warnings > 0),
        }
    }
    // Unanswered yes/no questions: one row each, the marks kept with their words.
    let boe = report
        .letters
        .iter()
        .find(|l| {
            l.porteur == "Association Horizon Boé" && l.kind == letters::LetterKind::Verification
        })
        .unwrap();
    let rows = table_rows(&Docx::read(&boe.file));
    assert!(
        rows.iter()
            .any(|r| r[1] == "Ni «\u{a0}oui\u{a0}» ni «\u{a0}non\u{a0}» n'est coché."),
        "{rows:?}"
    );
    let mut questions: Vec<&String> = rows.iter().map(|r| &r[0]).collect();
    let n = questions.len();
    questions.sort();
    questions.dedup();
    assert_eq!(questions.len(), n, "each question once");
}

#[test]
fn the_reply_deadline_moves_off_weekends_and_holidays() {
    let dir = tempfile::tempdir().unwrap();
    let actions = with_findings();
    // 2 December 2026 + 30 days = Friday 1 January 2027, a holiday: Monday 4 January.
    let params = RelanceParams {
        today: Date::new(2026, 12, 2),
        ..relance_params()
    };
    let report = relance(
        &actions,
        &params,
        &default_relance_template(),
        &dir.path().join("a"),
    )
    .unwrap();
    assert_eq!(report.deadline, Date::new(2027, 1, 4).unwrap());
    let text = Docx::read(&report.letters[0].file).text();
    assert!(text.contains("au plus tard le 4 janvier 2027"), "{text}");
    // A delay of 4 days from Tuesday 3 March 2026 ends on a Saturday: Monday 9 March.
    let params = RelanceParams {
        today: Date::new(2026, 3, 3),
        delay_days: Some(4),
        ..relance_params()
    };
    let report = relance(
        &actions,
        &params,
        &default_relance_template(),
        &dir.path().join("b"),
    )
    .unwrap();
    assert_eq!(report.deadline, Date::new(2026, 3, 9).unwrap());
}

#[test]
fn letters_name_no_child() {
    let dir = tempfile::tempdir().unwrap();
    let b = bilans().remove(0);
    let presence = Extraction {
        form: FormKind::Presence,
        mapping: "presence".into(),
        fields: Vec::new(),
        collectifs: Some(vec![Collectif {
            nom: "CE1".into(),
            seances: Vec::new(),
            enfants: vec![Enfant {
                nom: "Durand".into(),
                prenom: "Lucas".into(),
                niveau: "CE1".into(),
                etablissement: "École Jules Ferry".into(),
                present: 3,
                absent: 20,
                excuse: 0,
            }],
            avertissements: Vec::new(),
        }]),
        totaux: Vec::new(),
    };
    let findings = vec![Finding {
        rule: "presence.effectif".into(),
        severity: Severity::Warning,
        fields: vec!["collectifs".into(), "enfants.total".into()],
        message: "collectif CE1 : Lucas DURAND absent 20 fois sur 23".into(),
    }];
    let params = RelanceParams {
        verification: Some(letters::default_verification_template()),
        ..relance_params()
    };
    let report = relance(
        &[(b, findings), (presence, Vec::new())],
        &params,
        &default_relance_template(),
        dir.path(),
    )
    .unwrap();
    assert_eq!(report.letters.len(), 1);
    let text = Docx::read(&report.letters[0].file).text();
    assert!(
        !text.contains("Lucas") && !text.contains("DURAND"),
        "{text}"
    );
    assert!(text.contains("[nom retiré] [nom retiré] absent 20 fois sur 23"));
    assert!(text.contains("le cahier de présence corrigé"));
}

#[test]
fn a_letter_template_edited_by_the_caf() {
    // The Caf's own wording, placeholders split by Word, an unknown placeholder.
    let t = default_relance_template();
    let d = Docx::open(&t);
    let xml = d.document().replace(
        "Madame, Monsieur,",
        "Madame, Monsieur, (réf. {{dossier}})",
    ).replace(
        "<w:t xml:space=\"preserve\">Action concernée\u{a0}: {{actions}}</w:t>",
        "<w:t xml:space=\"preserve\">Action concernée\u{a0}: {{act</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r><w:rPr><w:i/></w:rPr><w:t>ions}}</w:t>",
    );
    let edited = letters::package::write_new(
        &d.parts
            .iter()
            .map(|(n, b)| {
                let content = if n == "word/document.xml" {
                    xml.clone()
                } else {
                    String::from_utf8(b.clone()).unwrap()
                };
                (n.as_str(), content)
            })
            .collect::<Vec<_>>(),
    );
    let dir = tempfile::tempdir().unwrap();
    let report = relance(&with_findings(), &relance_params(), &edited, dir.path()).unwrap();
    let l = &report.letters[0];
    assert_eq!(l.unfilled, vec!["dossier"]);
    let text = Docx::read(&l.file).text();
    assert!(text.contains(&format!("(réf. {DOTS})")));
    assert!(text.contains("Action concernée\u{a0}: n°\u{a0}"), "{text}");
}

#[test]
fn the_letter_template_in_forms_is_the_generated_one() {
    let path = repo().join("forms/relance.docx");
    let on_disk = std::fs::read(&path).expect("forms/relance.docx (cargo run -p clas-letters)");
    assert!(
        on_disk == default_relance_template(),
        "forms/relance.docx n'est plus à jour : cargo run -p clas-letters -- ."
    );
    let t = Template::parse(&on_disk).unwrap();
    for (name, _) in letters::template::RELANCE_PLACEHOLDERS {
        assert!(t.placeholders().iter().any(|p| p == name), "{name}");
    }
}

// ---------------------------------------------------------------------------------------
// Next year's blank bilan
// ---------------------------------------------------------------------------------------

#[test]
fn prefilled_bilans_read_back_by_clas_extract() {
    let blank = std::fs::read(repo().join("forms/bilan-clas.docx")).expect("forms/bilan-clas.docx");
    let dir = tempfile::tempdir().unwrap();
    let goldens = bilan_goldens();
    let mut diffs = Vec::new();
    for (name, x) in &goldens {
        let bytes = prefill_bilan(x, &blank).unwrap_or_else(|e| panic!("{name} : {e}"));
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        // Only the main part changes.
        let (a, b) = (Docx::open(&blank), Docx::open(&bytes));
        for (part, data) in &a.parts {
            if part != "word/document.xml" {
                assert_eq!(&b.parts[part], data, "{name} : {part}");
            }
        }
        let out = run(&["extract", "--json", path.to_str().unwrap()], &repo());
        assert!(out.status.success(), "{name} : {}", stderr(&out));
        let got: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
        assert_eq!(got["form"], "bilan");
        for def in clas::dictionary::fields(FormKind::Bilan) {
            let g = &got["fields"][&def.id];
            if letters::IDENTIFICATION.contains(&def.id.as_str()) {
                let want = x.value(&def.id).to_json();
                let want = if def.kind == FieldType::Check && want.is_null() {
                    serde_json::json!(false)
                } else {
                    want
                };
                if *g != want {
                    diffs.push(format!("{name} : {} = {g}, attendu {want}", def.id));
                }
            } else {
                let empty =
                    g.is_null() || *g == serde_json::json!(false) || *g == serde_json::json!([]);
                if !empty {
                    diffs.push(format!("{name} : {} = {g}, attendu vide", def.id));
                }
            }
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn a_prefilled_bilan_ticks_the_boxes_in_the_forms_own_fields() {
    let blank = std::fs::read(repo().join("forms/bilan-clas.docx")).unwrap();
    let mut x = bilans().remove(0);
    for f in &mut x.fields {
        if f.id.starts_with("local.") || f.id.starts_with("zonage.") {
            f.value = clas::extraction::Value::Bool(true);
        }
    }
    let bytes = prefill_bilan(&x, &blank).unwrap();
    let (before, after) = (Docx::open(&blank).document(), Docx::open(&bytes).document());
    assert_eq!(
        count(&before, "FORMCHECKBOX"),
        count(&after, "FORMCHECKBOX")
    );
    assert_eq!(
        count(&after, "<w:checked/>") - count(&before, "<w:checked/>"),
        6
    );
    // The ticks sit inside the fields' own w:checkBox, after their default.
    assert_eq!(
        count(&after, "<w:checked/></w:checkBox>") - count(&before, "<w:checked/></w:checkBox>"),
        6
    );
    let doc = clas::document::docx::parse_document_xml(&after).unwrap();
    let checks: Vec<bool> = doc
        .paragraphs
        .iter()
        .flat_map(|p| p.inlines.iter())
        .filter_map(|i| match i {
            clas::document::Inline::Check(c) => Some(c.checked),
            _ => None,
        })
        .collect();
    assert_eq!(checks.iter().filter(|c| **c).count(), 6);
    assert!(
        checks[..6].iter().all(|c| *c),
        "the six identification boxes come first"
    );
}

// ---------------------------------------------------------------------------------------
// Schools out of the free text
// ---------------------------------------------------------------------------------------

#[test]
fn schools_of_the_samples_are_parsed_and_deduplicated() {
    let mut all = Vec::new();
    for b in bilans() {
        if let Some(t) = b.value("etablissements").as_text() {
            all.extend(parse_schools(t));
        }
    }
    let schools = dedupe_schools(&all);
    // The Cartables bilan is there twice (Word and LibreOffice copies).
    assert_eq!(all.len(), schools.len() + 3);
    let names: Vec<&str> = schools.iter().map(|s| s.name.as_str()).collect();
    for e in EXPECTED.iter().flat_map(|(_, s)| s.iter()) {
        assert!(names.contains(e), "{e} absent de {names:?}");
    }
}

#[test]
fn the_issue_spellings_give_one_convention() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = bilans()
        .into_iter()
        .find(|x| x.value("porteur.nom").as_text() == Some("Association Les Cartables du Passage"))
        .unwrap();
    let mut b = a.clone();
    let set = |x: &mut Extraction, id: &str, v: &str| {
        x.fields.iter_mut().find(|f| f.id == id).unwrap().value =
            clas::extraction::Value::Text(v.into());
    };
    set(
        &mut a,
        "etablissements",
        "école Jean Jaurès, Ecole élémentaire J. Jaurès",
    );
    set(
        &mut b,
        "etablissements",
        "École Jean-Jaurès\net collège Jean Jaurès",
    );
    set(&mut b, "action.numero", "7");
    set(&mut b, "action.lieu", "Gymnase, 1 rue du Stade");
    let report = prefill(&[a, b], &params(), &convention_template(), dir.path()).unwrap();
    let got: Vec<(&str, usize, &Vec<String>)> = report
        .conventions
        .iter()
        .map(|c| {
            (
                c.etablissement.as_deref().unwrap(),
                c.spellings.len(),
                &c.actions,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "École Jean Jaurès",
                3,
                &vec!["2".to_string(), "7".to_string()]
            ),
            ("Collège Jean Jaurès", 1, &vec!["7".to_string()]),
        ]
    );
    let jj = &report.conventions[0];
    assert!(jj.notes.iter().any(|n| n.contains("3 façons")));
    assert!(jj.notes.iter().any(|n| n.contains("2 lieux différents")));
    let text = Docx::read(&jj.file).text();
    assert!(text.contains(
        "Maison des associations, 14 rue des Tilleuls, 47520 Le Passage\nGymnase, 1 rue du Stade"
    ));
}

#[test]
fn a_blank_form_re_saved_by_libreoffice_is_prefilled_too() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("bilan-clas.docx");
    std::fs::copy(repo().join("forms/bilan-clas.docx"), &src).unwrap();
    let lo = dir.path().join("lo");
    std::fs::create_dir_all(&lo).unwrap();
    let Some(out) = convert(&[src], "docx:MS Word 2007 XML", &lo) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let blank = std::fs::read(lo.join("bilan-clas.docx")).unwrap();
    let (name, x) = bilan_goldens()
        .into_iter()
        .find(|(n, _)| n.starts_with("centre-social-du-pin"))
        .unwrap();
    let path = dir.path().join(&name);
    std::fs::write(&path, prefill_bilan(&x, &blank).unwrap()).unwrap();
    let out = run(&["extract", "--json", path.to_str().unwrap()], &repo());
    assert!(out.status.success(), "{}", stderr(&out));
    let got: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    for id in letters::IDENTIFICATION {
        let want = x.value(id).to_json();
        let want = if want.is_null() && (id.starts_with("local.") || id.starts_with("zonage.")) {
            serde_json::json!(false)
        } else {
            want
        };
        assert_eq!(got["fields"][id], want, "{id}");
    }
}

#[test]
fn porteurs_one_letter_apart_get_their_own_letters() {
    let dir = tempfile::tempdir().unwrap();
    let mut actions = with_findings();
    actions.truncate(1);
    let mut other = actions[0].clone();
    let mut renamed = other.0.clone();
    for f in &mut renamed.fields {
        if f.id == "porteur.nom" {
            let name = f.value.as_text().unwrap().to_string();
            f.value = clas::extraction::Value::Text(format!("{name}s"));
        }
    }
    other.0 = renamed;
    actions.push(other);
    // Warnings too, so that whatever the first sample's findings, each porteur gets letters.
    let with_warnings = RelanceParams {
        verification: Some(letters::default_verification_template()),
        ..relance_params()
    };
    let report = relance(
        &actions,
        &with_warnings,
        &default_relance_template(),
        dir.path(),
    )
    .unwrap();
    let porteurs: std::collections::BTreeSet<&str> =
        report.letters.iter().map(|l| l.porteur.as_str()).collect();
    assert_eq!(
        porteurs.len(),
        2,
        "a porteur's problems never go to another one"
    );
    assert_eq!(report.letters.len() % 2, 0, "the same letters for each");
    let conv = prefill(
        &actions.iter().map(|(b, _)| b.clone()).collect::<Vec<_>>(),
        &params(),
        &convention_template(),
        &dir.path().join("c"),
    )
    .unwrap();
    let porteurs: std::collections::BTreeSet<&str> = conv
        .conventions
        .iter()
        .map(|c| c.porteur.as_str())
        .collect();
    assert_eq!(porteurs.len(), 2);
}

#[test]
fn content_control_boxes_are_ticked_and_unticked_too() {
    // The Centre social du Pin sample answers with content-control check boxes (w14:checkbox,
    // ☒/☐): used as the form, its boxes are set from another bilan's answers.
    let form = std::fs::read(repo().join("samples/centre-social-du-pin.docx")).unwrap();
    let mut x = bilans().remove(0);
    let want = [
        ("local.associatif", true),
        ("local.municipal", false),
        ("local.scolaire", true),
        ("zonage.rep", false),
        ("zonage.pre", true),
        ("zonage.politique_ville", false),
    ];
    for f in &mut x.fields {
        if let Some((_, v)) = want.iter().find(|(id, _)| *id == f.id) {
            f.value = clas::extraction::Value::Bool(*v);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("controls.docx");
    std::fs::write(&path, prefill_bilan(&x, &form).unwrap()).unwrap();
    let out = run(&["extract", "--json", path.to_str().unwrap()], &repo());
    assert!(out.status.success(), "{}", stderr(&out));
    let got: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    for (id, v) in want {
        assert_eq!(got["fields"][id], serde_json::json!(v), "{id}");
    }
}

#[test]
fn conventions_name_the_actions_own_commune_in_french() {
    let dir = tempfile::tempdir().unwrap();
    // The département as « territoire » is never what a convention names.
    let p = PrefillParams {
        territoire: Some("Lot-et-Garonne".into()),
        ..params()
    };
    let mut all = bilans();
    // An action in Agen: « d’Agen », « à Agen ».
    let mut agen = all
        .iter()
        .find(|b| b.value("porteur.nom").as_text() == Some("Centre social du Pin"))
        .unwrap()
        .clone();
    for f in &mut agen.fields {
        match f.id.as_str() {
            "porteur.nom" => f.value = clas::extraction::Value::Text("Centre social d'Agen".into()),
            "action.lieu" => {
                f.value = clas::extraction::Value::Text(
                    "Salle Barbès\n2 rue Lamennais, 47000 Agen".into(),
                )
            }
            _ => {}
        }
    }
    all.push(agen);
    let report = prefill(&all, &p, &convention_template(), dir.path()).unwrap();
    for c in &report.conventions {
        let text = Docx::read(&c.file).text();
        assert!(!text.contains("Lot-et-Garonne"), "{}", c.file.display());
        assert!(
            !text.contains("de Agen") && !text.contains("de Le "),
            "{text}"
        );
        assert!(
            !text.contains("(cf"),
            "the template's note went with its value"
        );
        assert!(!text.contains("(Description des locaux"), "{text}");
    }
    let text_of = |porteur: &str| {
        let c = report
            .conventions
            .iter()
            .find(|c| c.porteur == porteur)
            .unwrap();
        Docx::read(&c.file).text()
    };
    let t = text_of("Centre social d'Agen");
    assert!(t.contains("politique de la ville d’Agen."), "{t}");
    assert!(t.contains("par la commune d’Agen ("), "{t}");
    assert!(t.contains("nouvellement arrivés à Agen maitrisant"), "{t}");
    let t = text_of("Association Les Cartables du Passage");
    assert!(t.contains("par la commune du Passage ("), "{t}");
    assert!(t.contains("arrivés au Passage maitrisant"), "{t}");
    // The school's town next to its name, unless the name says it.
    assert!(
        t.contains("École élémentaire Jules Ferry, Le Passage"),
        "{t}"
    );
    let t = text_of("Association Les Coteaux Solidaires");
    assert!(
        t.contains("École primaire de Duras\n") || t.contains("École primaire de Duras"),
        "{t}"
    );
    assert!(!t.contains("École primaire de Duras, Duras"), "{t}");
    // No commune in the bilan: left to fill, said in the index.
    let boe = report
        .conventions
        .iter()
        .find(|c| c.porteur == "Association Horizon Boé")
        .unwrap();
    assert!(Docx::read(&boe.file).text().contains("commune de Boé"));
}

#[test]
fn the_signature_block_stays_with_article_6() {
    let dir = tempfile::tempdir().unwrap();
    let report = prefill(&bilans(), &params(), &convention_template(), dir.path()).unwrap();
    let xml = Docx::read(&report.conventions[0].file).document();
    let a6 = xml.find("Article 6").unwrap();
    let fait = xml.find("Fait à").unwrap();
    let start = xml[..a6]
        .rfind("<w:p>")
        .max(xml[..a6].rfind("<w:p "))
        .unwrap();
    let block = &xml[start..xml[fait..].find("</w:tbl>").unwrap() + fait];
    let paras = block.matches("<w:p>").count() + block.matches("<w:p ").count();
    assert_eq!(
        block.matches("<w:keepNext/>").count(),
        paras,
        "every paragraph kept with the next"
    );
    assert!(block.contains("<w:cantSplit/>"));
    // After LibreOffice: Article 6 and the signatures on one page.
    let files = vec![report.conventions[0].file.clone()];
    let pdf = dir.path().join("pdf");
    std::fs::create_dir_all(&pdf).unwrap();
    let Some(out) = convert(&files, "pdf", &pdf) else {
        return;
    };
    assert!(out.status.success());
    let p = pdf
        .join(files[0].file_stem().unwrap())
        .with_extension("pdf");
    let Ok(text) = Command::new("pdftotext").arg(&p).arg("-").output() else {
        eprintln!("pdftotext absent : page non vérifiée");
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout);
    let page = text
        .split('\u{c}')
        .find(|pg| pg.contains("Fait à"))
        .unwrap();
    assert!(
        page.contains("ARTICLE 6") || page.contains("Article 6"),
        "{page}"
    );
}
