//! Corrections (docs/cli.md, « Corrections and the review page »): the real binary on a scratch
//! workspace holding the samples and bilans built here, corrected with `clas correct`, read
//! back through `clas corrections --json`, the reports, the synthesis (calamine), the letters
//! and the store.

mod common;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;

const PORTEUR: &str = "Centre social Les Tilleuls";
const FAMILLES: &str = "Nombre de familles différentes accueillies";

/// A bilan of the Tilleuls' action 7 (2025-2026): the number of families as written, and a
/// free text that makes two versions differ.
fn bilan(familles: &str, libre: &str) -> Vec<u8> {
    let values: HashMap<&str, String> = [
        ("porteur.nom", PORTEUR.to_string()),
        ("action.numero", "7".to_string()),
        ("calendrier.debut", "17/11/2025".to_string()),
        ("enfants.total", "24".to_string()),
        ("familles.nombre", familles.to_string()),
        ("libre_expression", libre.to_string()),
    ]
    .into_iter()
    .collect();
    bilan_docx(&values)
}

/// A workspace with the samples and the Tilleuls' bilan (« une quinzaine » families) ingested.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let incoming = dir.path().join("recus");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::create_dir_all(&incoming).unwrap();
    assert!(run(&["init"], &ws).status.success());
    let file = incoming.join("tilleuls.docx");
    std::fs::write(&file, bilan("une quinzaine", "première version")).unwrap();
    let samples = repo().join("samples");
    let out = run(
        &["ingest", samples.to_str().unwrap(), file.to_str().unwrap()],
        &ws,
    );
    // The samples hold three files refused on purpose (exit 2); the rest is archived.
    assert!(
        stderr(&out).contains("tilleuls.docx : bilan CLAS archivé"),
        "{}",
        stderr(&out)
    );
    (dir, file)
}

fn ws(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("ws")
}

fn journal(ws: &Path) -> Vec<serde_json::Value> {
    let out = run(&["corrections", "--json"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

fn correct(ws: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["correct"];
    all.extend_from_slice(args);
    run(&all, ws)
}

/// The Tilleuls' report (archives/2025-2026/tilleuls.docx.rapport.txt).
fn report(ws: &Path) -> String {
    std::fs::read_to_string(ws.join("archives/2025-2026/tilleuls.docx.rapport.txt")).unwrap()
}

/// The report of the Tilleuls' version in force.
fn current_report(ws: &Path) -> String {
    std::fs::read_dir(ws.join("archives/2025-2026"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("tilleuls") && name.ends_with(".rapport.txt")
        })
        .map(|p| std::fs::read_to_string(p).unwrap())
        .find(|t| t.contains("Version : en vigueur"))
        .expect("a report of the version in force")
}

/// The value in force of a field of the Tilleuls' current bilan, as the store gives it.
fn in_store(ws: &Path, field: &str) -> serde_json::Value {
    let store = clas::store::Store::open(&ws.join("clas.db")).unwrap();
    let doc = store
        .current_actions()
        .unwrap()
        .into_iter()
        .find(|d| d.action.as_ref().is_some_and(|a| a.porteur == PORTEUR))
        .expect("the Tilleuls' bilan");
    doc.extraction.unwrap().value(field).to_json()
}

/// A sheet of the synthesis as rows of text.
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The Tilleuls' number of families in the Réponses sheet.
fn familles_in_synthesis(ws: &Path) -> String {
    let rows = sheet(&ws.join("sorties/synthese.xlsx"), "Réponses");
    let col = rows[0]
        .iter()
        .position(|h| h == FAMILLES)
        .expect("a column for the number of families");
    let row = rows
        .iter()
        .find(|r| r.iter().any(|c| c == PORTEUR))
        .expect("the Tilleuls' row");
    row[col].clone()
}

/// The text of the Tilleuls' letters: the relance (errors) and the softer one for the points
/// to check (warnings, such as an unreadable answer).
fn letter(ws: &Path) -> String {
    let out = run(&["relance", "--avertissements"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = ws.join("sorties/relances");
    let mut letters = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "docx") {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            let mut xml = String::new();
            zip.by_name("word/document.xml")
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            // The text, without the XML around it.
            let mut text = String::new();
            let mut in_tag = false;
            for c in xml.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            if text.contains(PORTEUR) {
                letters.push(text);
            }
        }
    }
    assert!(
        !letters.is_empty(),
        "no letter for the Tilleuls in {}",
        dir.display()
    );
    letters.join("\n")
}

#[test]
fn a_correction_is_used_everywhere_and_survives() {
    let (dir, file) = workspace();
    let ws = ws(&dir);
    assert!(report(&ws).contains("reponse.illisible"));
    let before = letter(&ws);
    assert!(
        before.contains(FAMILLES),
        "the letter asks for it: {before}"
    );
    assert!(journal(&ws).is_empty());
    std::fs::write(ws.join("clas.toml"), "[revue]\nauteur = \"Marie Dupont\"\n").unwrap();

    let out = correct(
        &ws,
        &[
            "--porteur",
            "centre social les tilleul",
            "--champ",
            "familles.nombre",
            "--valeur",
            "15",
            "--motif",
            "Appel du porteur le 2 décembre",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let line = stdout(&out);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.contains("Centre social Les Tilleuls")
            && line.contains("action 7")
            && line.contains("familles.nombre : (vide) → 15"),
        "{line}"
    );

    // The journal, as docs/cli.md fixes it.
    let j = journal(&ws);
    assert_eq!(j.len(), 1);
    let e = &j[0];
    let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "at", "author", "porteur", "action", "annee", "field", "before", "after", "motif",
            "status"
        ]
    );
    assert_eq!(e["porteur"], PORTEUR);
    assert_eq!(e["action"], "7");
    assert_eq!(e["annee"], "2025-2026");
    assert_eq!(e["field"], "familles.nombre");
    assert_eq!(e["before"], serde_json::Value::Null);
    assert_eq!(e["after"], 15);
    assert_eq!(e["motif"], "Appel du porteur le 2 décembre");
    assert_eq!(e["status"], "appliquée");
    let at = e["at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(at).is_ok() && at.len() == 25,
        "date-time with offset: {at}"
    );
    assert_eq!(e["author"], "Marie Dupont", "[revue] auteur of clas.toml");

    // The findings are checked again on the value in force: the report, the letter.
    let text = report(&ws);
    assert!(!text.contains("reponse.illisible"), "{text}");
    assert!(
        text.contains("Valeurs corrigées par un agent")
            && text.contains("familles.nombre : (vide) → 15, par Marie Dupont"),
        "{text}"
    );
    let after = letter(&ws);
    assert!(
        !after.contains(FAMILLES),
        "the letter no longer asks: {after}"
    );
    assert_eq!(in_store(&ws, "familles.nombre"), 15);

    // The synthesis shows it, and its journal.
    let out = run(&["synthesis"], &ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(familles_in_synthesis(&ws), "15");
    let rows = sheet(&ws.join("sorties/synthese.xlsx"), "Corrections");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].contains(&"Appel du porteur le 2 décembre".to_string()));
    assert!(rows[1].contains(&"appliquée".to_string()));
    assert!(rows[1].contains(&"15".to_string()));

    // The corrected cells carry a note: who, when, why.
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(ws.join("sorties/synthese.xlsx")).unwrap())
            .unwrap();
    let mut notes = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if part.name().unwrap().starts_with("xl/comments") {
            part.read_to_string(&mut notes).unwrap();
        }
    }
    assert_eq!(
        notes.matches("Corrigé le").count(),
        2,
        "a note in Synthèse and in Réponses: {notes}"
    );
    assert!(notes.contains("Appel du porteur le 2 décembre"), "{notes}");

    // The same file again: known, the correction stays.
    let out = run(&["ingest", file.to_str().unwrap()], &ws);
    assert!(stderr(&out).contains("rien de nouveau"), "{}", stderr(&out));
    assert_eq!(journal(&ws)[0]["status"], "appliquée");
    assert_eq!(in_store(&ws, "familles.nombre"), 15);
    assert_eq!(familles_in_synthesis(&ws), "15");

    // A new version that says the same of the field: the correction still applies.
    std::fs::write(&file, bilan("une quinzaine", "deuxième version")).unwrap();
    let out = run(&["ingest", file.to_str().unwrap()], &ws);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(journal(&ws)[0]["status"], "appliquée");
    assert_eq!(in_store(&ws, "familles.nombre"), 15);

    // A new version that says something else: « à revoir », not applied, said.
    std::fs::write(&file, bilan("18", "troisième version")).unwrap();
    let out = run(&["ingest", file.to_str().unwrap()], &ws);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(journal(&ws)[0]["status"], "à revoir");
    assert_eq!(in_store(&ws, "familles.nombre"), 18);
    let current = current_report(&ws);
    assert!(current.contains("Corrections à revoir"), "{current}");
    assert!(
        current.contains("familles.nombre : corrigé en 15"),
        "{current}"
    );
    let out = run(&["corrections"], &ws);
    assert!(stdout(&out).contains("à revoir"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("1 correction(s) à revoir"),
        "{}",
        stderr(&out)
    );

    // Corrected again: the review is settled.
    let out = correct(
        &ws,
        &[
            "--porteur",
            PORTEUR,
            "--champ",
            "familles.nombre",
            "--valeur",
            "16",
            "--motif",
            "Chiffre définitif",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("18 → 16"), "{}", stdout(&out));
    let j = journal(&ws);
    assert_eq!(j[0]["status"], "remplacée");
    assert_eq!(j[1]["status"], "appliquée");
    assert_eq!(j[1]["before"], 18);
    assert_eq!(in_store(&ws, "familles.nombre"), 16);
}

#[test]
fn wrong_requests_exit_2_and_say_why() {
    let (dir, _) = workspace();
    let ws = ws(&dir);
    let base = |porteur: &str, champ: &str, valeur: &str| {
        vec![
            "--porteur".to_string(),
            porteur.to_string(),
            "--champ".into(),
            champ.into(),
            "--valeur".into(),
            valeur.into(),
            "--motif".into(),
            "essai".into(),
        ]
    };
    let go = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        correct(&ws, &args)
    };

    // No porteur of that name: the nearest are listed.
    let out = go(base("Centre social Les Peupliers", "familles.nombre", "15"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("aucune action"), "{}", stderr(&out));
    assert!(stderr(&out).contains(PORTEUR), "{}", stderr(&out));

    // Several actions: each listed, with its number.
    let out = go(base("Maison de quartier du Parc", "familles.nombre", "15"));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("3 actions correspondent"), "{err}");
    assert!(
        err.contains("action 4") && err.contains("action 5"),
        "{err}"
    );
    // … narrowed by --action.
    let mut narrowed = base("Maison de quartier du Parc", "familles.nombre", "15");
    narrowed.extend(["--action".into(), "9".into()]);
    assert_eq!(go(narrowed).status.code(), Some(2));

    // A field id that does not exist: the nearest ids.
    let out = go(base(PORTEUR, "familles.nombr", "15"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("familles.nombre"), "{}", stderr(&out));

    // A value of the wrong type, a missing motif.
    let out = go(base(PORTEUR, "familles.nombre", "une quinzaine"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("n'est pas un nombre"),
        "{}",
        stderr(&out)
    );
    let out = go(base(PORTEUR, "calendrier.debut", "début novembre"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("n'est pas une date"),
        "{}",
        stderr(&out)
    );
    let mut no_motif = base(PORTEUR, "familles.nombre", "15");
    no_motif[7] = "  ".into();
    let out = go(no_motif);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("motif"), "{}", stderr(&out));

    // Nothing was recorded; then a near miss that is right: a date, an empty value.
    assert!(journal(&ws).is_empty());
    let out = go(base(PORTEUR, "calendrier.debut", "lundi 3 novembre 2025"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = go(base(PORTEUR, "enfants.total", ""));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let j = journal(&ws);
    assert_eq!(j[0]["after"], "2025-11-03");
    assert_eq!(j[0]["before"], "2025-11-17");
    assert_eq!(j[1]["before"], 24);
    assert_eq!(j[1]["after"], serde_json::Value::Null);
}

#[test]
fn a_scanned_bilan_typed_by_hand_counts_as_read() {
    let (dir, _) = workspace();
    let ws = ws(&dir);
    let out = correct(
        &ws,
        &[
            "--fichier",
            "refus-scan.pdf",
            "--champ",
            "porteur.nom",
            "--valeur",
            "Amicale laïque de Bon-Encontre",
            "--champ",
            "action.numero",
            "--valeur",
            "9",
            "--champ",
            "calendrier.debut",
            "--valeur",
            "17/11/2025",
            "--champ",
            "enfants.total",
            "--valeur",
            "20",
            "--motif",
            "Saisie du bilan scanné",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("4 valeur(s)"), "{}", stdout(&out));
    let j = journal(&ws);
    assert_eq!(j.len(), 4);
    assert!(
        j.iter()
            .all(|e| e["porteur"] == "Amicale laïque de Bon-Encontre"
                && e["action"] == "9"
                && e["before"].is_null())
    );

    // It flows like a read bilan: the synthesis has its row.
    let out = run(&["synthesis"], &ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = sheet(&ws.join("sorties/synthese.xlsx"), "Réponses");
    let row = rows
        .iter()
        .find(|r| r.iter().any(|c| c == "Amicale laïque de Bon-Encontre"))
        .expect("the typed bilan in the synthesis");
    let col = rows[0]
        .iter()
        .position(|h| h.starts_with("Nombre total d'enfants"))
        .expect("children column");
    assert_eq!(row[col], "20");
    // Its report says what the rules say of the values typed, not why it was refused.
    let report = std::fs::read_to_string(ws.join("rejets/refus-scan.pdf.txt")).unwrap();
    assert!(
        report.contains("Amicale laïque de Bon-Encontre"),
        "{report}"
    );
    assert!(!report.contains("saisie manuelle nécessaire"), "{report}");
    assert!(
        report.contains("Saisie manuelle : clas n'a pas pu lire ce fichier"),
        "{report}"
    );
    assert!(report.contains("enfants.total : (vide) → 20"), "{report}");

    // A file clas read cannot be typed by hand; an unknown one lists the refused files.
    let out = correct(
        &ws,
        &[
            "--fichier",
            "tilleuls.docx",
            "--champ",
            "enfants.total",
            "--valeur",
            "3",
            "--motif",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = correct(
        &ws,
        &[
            "--fichier",
            "inconnu.pdf",
            "--champ",
            "enfants.total",
            "--valeur",
            "3",
            "--motif",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("refus-mot-de-passe.pdf"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn next_years_bilan_and_the_library_api_take_the_values_in_force() {
    let (dir, _) = workspace();
    let ws = ws(&dir);
    let out = correct(
        &ws,
        &[
            "--porteur",
            PORTEUR,
            "--action",
            "7",
            "--annee",
            "2025-2026",
            "--champ",
            "referent.telephone",
            "--valeur",
            "05 53 00 11 22",
            "--motif",
            "Nouveau numéro donné par le porteur",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Next year's bilan is filled with the corrected number.
    let out = run(&["prefill", "--bilan"], &ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = stdout(&out)
        .lines()
        .find(|l| l.contains("tilleuls"))
        .map(PathBuf::from)
        .expect("the Tilleuls' blank bilan");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(ws.join(&path)).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("05 53 00 11 22"), "the corrected number");

    // What the review page calls: the values in force, what was read, the correction.
    let store = clas::store::Store::open(&ws.join("clas.db")).unwrap();
    let action = clas::corrections::find_actions(&store, PORTEUR, Some("7"), Some(2025)).unwrap();
    assert_eq!(action.len(), 1);
    let state = clas::corrections::in_force(&store, action[0].id).unwrap();
    let bilan = &state.documents[0];
    assert!(!bilan.manual);
    let x = bilan.document.extraction.as_ref().unwrap();
    assert_eq!(x.value("referent.telephone").to_json(), "05 53 00 11 22");
    assert_ne!(
        bilan
            .read
            .as_ref()
            .unwrap()
            .value("referent.telephone")
            .to_json(),
        "05 53 00 11 22"
    );
    let k = &bilan.corrected["referent.telephone"];
    assert_eq!(k.motif, "Nouveau numéro donné par le porteur");
    assert!(bilan.to_review.is_empty());
    // « une quinzaine » is still unreadable there: its finding is still given.
    assert!(
        bilan
            .document
            .findings
            .iter()
            .any(|f| f.rule == "reponse.illisible")
    );

    // A correction through the library, as the page makes it.
    let config = clas::workspace::load_config(&ws).unwrap();
    let applied = clas::corrections::correct(
        &config,
        &store,
        &clas::corrections::Request {
            action_id: action[0].id,
            field: "familles.nombre".into(),
            value: "15".into(),
            motif: "Appel".into(),
            author: "Marie Dupont".into(),
        },
    )
    .unwrap();
    assert_eq!(applied.before, serde_json::Value::Null);
    assert_eq!(applied.after, 15);
    let state = clas::corrections::in_force(&store, action[0].id).unwrap();
    assert!(
        !state.documents[0]
            .document
            .findings
            .iter()
            .any(|f| f.rule == "reponse.illisible")
    );
    let j = clas::corrections::journal(&store).unwrap();
    assert_eq!(j.len(), 2);
    assert_eq!(j[1].author, "Marie Dupont");
}

#[test]
fn a_bilan_read_without_its_action_number_gets_it_by_a_correction() {
    let (dir, _) = workspace();
    let ws = ws(&dir);
    // samples/maison-quartiers-marmande.docx leaves « ACTION N° » empty: no action yet.
    let out = correct(
        &ws,
        &[
            "--porteur",
            "Maison des quartiers Nord",
            "--champ",
            "action.numero",
            "--valeur",
            "3",
            "--motif",
            "Numéro de la convention",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("action sans numéro (2025-2026) : action.numero : (vide) → 3"),
        "{}",
        stdout(&out)
    );
    // The action now has its number: found by it, and the report names it.
    let out = correct(
        &ws,
        &[
            "--porteur",
            "Maison des quartiers Nord",
            "--action",
            "3",
            "--champ",
            "familles.nombre",
            "--valeur",
            "15",
            "--motif",
            "Appel du porteur",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("— action 3 (2025-2026)"),
        "{}",
        stdout(&out)
    );
    let report = std::fs::read_to_string(
        ws.join("archives/2025-2026/maison-quartiers-marmande.docx.rapport.txt"),
    )
    .unwrap();
    assert!(
        report.contains("« Maison des quartiers Nord », action n° 3"),
        "{report}"
    );
    assert!(!report.contains("reponse.illisible"), "{report}");
}
