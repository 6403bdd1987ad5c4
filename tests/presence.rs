//! `clas extract --json` on attendance workbooks (docs/presence.md), running the real binary:
//! every sample against its golden JSON, the .ods and .xls twins against their .xlsx, the
//! blank template, and bad input.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value as Json;

const FIGURES: [&str; 7] = [
    "nombre_enfants",
    "nombre_seances",
    "semaines_avec_seance",
    "seances_par_semaine",
    "duree_moyenne_h",
    "taux_presence",
    "enfants_moins_50",
];

fn samples_dir() -> PathBuf {
    repo().join("samples/presence")
}

fn extract_json(path: &Path) -> Result<Json, String> {
    let out = run(&["extract", "--json", path.to_str().unwrap()], &repo());
    if !out.status.success() {
        return Err(format!("code {:?} : {}", out.status.code(), stderr(&out)));
    }
    serde_json::from_str(stdout(&out).trim()).map_err(|e| format!("JSON invalide : {e}"))
}

fn num_eq(a: &Json, b: &Json) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-3,
        _ => a == b,
    }
}

/// Differences between two collectifs, named by file, collectif and figure; children are
/// named by their row in the list, never by name.
fn compare_collectif(file: &str, got: &Json, want: &Json) -> Vec<String> {
    let mut diffs = Vec::new();
    let nom = want["nom"].as_str().unwrap_or("?");
    let at = format!("{file}, collectif « {nom} »");
    if got["nom"] != want["nom"] {
        diffs.push(format!("{at} : nom = {}", got["nom"]));
    }
    let (gs, ws) = (got["seances"].as_array(), want["seances"].as_array());
    match (gs, ws) {
        (Some(g), Some(w)) if g.len() == w.len() => {
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                if a["date"] != b["date"] || !num_eq(&a["duree_h"], &b["duree_h"]) {
                    diffs.push(format!("{at} : séance {} = {a}, attendu {b}", i + 1));
                }
            }
        }
        (g, w) => diffs.push(format!(
            "{at} : {} séances, attendu {}",
            g.map_or(0, |v| v.len()),
            w.map_or(0, |v| v.len())
        )),
    }
    match (got["enfants"].as_array(), want["enfants"].as_array()) {
        (Some(g), Some(w)) if g.len() == w.len() => {
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                for k in [
                    "nom",
                    "prenom",
                    "niveau",
                    "etablissement",
                    "present",
                    "absent",
                    "excuse",
                ] {
                    if !num_eq(&a[k], &b[k]) {
                        diffs.push(format!("{at} : enfant n° {} : {k} différent", i + 1));
                    }
                }
            }
        }
        (g, w) => diffs.push(format!(
            "{at} : {} enfants, attendu {}",
            g.map_or(0, |v| v.len()),
            w.map_or(0, |v| v.len())
        )),
    }
    for k in FIGURES {
        if !num_eq(&got[k], &want[k]) {
            diffs.push(format!("{at} : {k} = {}, attendu {}", got[k], want[k]));
        }
    }
    let warnings = |j: &Json| {
        j.get("avertissements")
            .cloned()
            .unwrap_or(Json::Array(vec![]))
    };
    if warnings(got) != warnings(want) {
        diffs.push(format!(
            "{at} : avertissements {}, attendu {}",
            warnings(got),
            warnings(want)
        ));
    }
    diffs
}

fn compare(file: &str, got: &Json, want: &Json) -> Vec<String> {
    let mut diffs = Vec::new();
    if got["form"] != "presence" {
        diffs.push(format!("{file} : formulaire {}", got["form"]));
    }
    diffs.extend(compare_fields(file, &got["fields"], &want["fields"]));
    match (got["collectifs"].as_array(), want["collectifs"].as_array()) {
        (Some(g), Some(w)) if g.len() == w.len() => {
            for (a, b) in g.iter().zip(w) {
                diffs.extend(compare_collectif(file, a, b));
            }
        }
        (g, w) => diffs.push(format!(
            "{file} : {} collectifs, attendu {}",
            g.map_or(0, |v| v.len()),
            w.map_or(0, |v| v.len())
        )),
    }
    diffs
}

#[test]
fn every_attendance_sample_extracts_to_its_golden_json() {
    let mut samples = Vec::new();
    for ext in ["xlsx", "ods", "xls"] {
        samples.extend(with_golden(&samples_dir(), ext));
    }
    assert!(
        samples.len() >= 13,
        "au moins 13 cahiers de présence avec leur JSON attendu ({} trouvés)",
        samples.len()
    );
    let mut diffs = Vec::new();
    for (path, golden) in &samples {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match extract_json(path) {
            Ok(got) => diffs.extend(compare(&name, &got, golden)),
            Err(e) => diffs.push(format!("{name} : {e}")),
        }
    }
    assert!(
        diffs.is_empty(),
        "{} différence(s) :\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn ods_and_xls_twins_give_the_same_figures_as_their_xlsx() {
    let samples = with_golden(&samples_dir(), "xlsx");
    assert!(!samples.is_empty());
    let mut diffs = Vec::new();
    let mut twins = 0;
    for (xlsx, golden) in &samples {
        for ext in ["ods", "xls"] {
            let twin = xlsx.with_extension(ext);
            let name = twin.file_name().unwrap().to_string_lossy().to_string();
            if !twin.exists() {
                diffs.push(format!(
                    "{name} : jumeau absent (cargo run -p clas-workbooks -- . --libreoffice)"
                ));
                continue;
            }
            twins += 1;
            let got = match extract_json(&twin) {
                Ok(g) => g,
                Err(e) => {
                    diffs.push(format!("{name} : {e}"));
                    continue;
                }
            };
            diffs.extend(compare_fields(&name, &got["fields"], &golden["fields"]));
            let (g, w) = (
                got["collectifs"].as_array().cloned().unwrap_or_default(),
                golden["collectifs"].as_array().cloned().unwrap_or_default(),
            );
            if g.len() != w.len() {
                diffs.push(format!(
                    "{name} : {} collectifs, attendu {}",
                    g.len(),
                    w.len()
                ));
                continue;
            }
            for (a, b) in g.iter().zip(&w) {
                for k in FIGURES {
                    if !num_eq(&a[k], &b[k]) {
                        diffs.push(format!(
                            "{name}, collectif « {} » : {k} = {}, le .xlsx donne {}",
                            b["nom"].as_str().unwrap_or("?"),
                            a[k],
                            b[k]
                        ));
                    }
                }
            }
            // Not only the figures: everything read is the same.
            diffs.extend(compare(&name, &got, golden));
        }
    }
    assert!(twins >= 26, "{twins} jumeaux seulement");
    assert!(
        diffs.is_empty(),
        "{} différence(s) :\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn the_template_is_an_empty_attendance_workbook() {
    let got = extract_json(&repo().join("forms/cahier-presence.xlsx")).unwrap();
    assert_eq!(got["form"], "presence");
    assert_eq!(got["fields"]["porteur.nom"], Json::Null);
    assert_eq!(got["fields"]["action.numero"], Json::Null);
    let collectifs = got["collectifs"].as_array().unwrap();
    assert_eq!(collectifs.len(), 2, "« Instructions » is not a collectif");
    for c in collectifs {
        assert_eq!(c["seances"], serde_json::json!([]));
        assert_eq!(c["enfants"], serde_json::json!([]));
        assert_eq!(c["nombre_seances"], 0);
        assert!(c.get("avertissements").is_none(), "{c}");
    }
}

#[test]
fn warnings_name_cells_never_children() {
    let path = samples_dir().join("marques-variees.xlsx");
    let got = extract_json(&path).unwrap();
    let c = &got["collectifs"][0];
    let warnings: Vec<&str> = c["avertissements"]
        .as_array()
        .expect("the sample has unreadable marks")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert_eq!(warnings.len(), 2);
    for w in &warnings {
        assert!(w.starts_with("Marques!"), "Excel reference expected: {w}");
        for e in c["enfants"].as_array().unwrap() {
            for k in ["nom", "prenom"] {
                let name = e[k].as_str().unwrap();
                assert!(!w.contains(name), "a warning names a child ({k}): {w}");
            }
        }
    }
    // The text output says nothing about children either.
    let out = run(&["extract", path.to_str().unwrap()], &repo());
    assert!(out.status.success());
    for e in c["enfants"].as_array().unwrap() {
        let name = format!(
            "{} {}",
            e["prenom"].as_str().unwrap(),
            e["nom"].as_str().unwrap()
        );
        assert!(!stdout(&out).contains(&name));
        assert!(!stderr(&out).contains(e["nom"].as_str().unwrap()));
    }
}

fn zip_package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

/// A minimal compound file holding one empty stream: how Office wraps an encrypted .xlsx.
fn compound_file(stream: &str) -> Vec<u8> {
    let mut f = vec![0u8; 512 * 3];
    let put = |f: &mut Vec<u8>, at: usize, v: &[u8]| f[at..at + v.len()].copy_from_slice(v);
    put(&mut f, 0, &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    put(&mut f, 0x18, &0x3Eu16.to_le_bytes());
    put(&mut f, 0x1A, &3u16.to_le_bytes());
    put(&mut f, 0x1C, &0xFFFEu16.to_le_bytes());
    put(&mut f, 0x1E, &9u16.to_le_bytes());
    put(&mut f, 0x20, &6u16.to_le_bytes());
    put(&mut f, 0x2C, &1u32.to_le_bytes());
    put(&mut f, 0x30, &1u32.to_le_bytes());
    put(&mut f, 0x38, &4096u32.to_le_bytes());
    put(&mut f, 0x3C, &0xFFFF_FFFEu32.to_le_bytes());
    put(&mut f, 0x44, &0xFFFF_FFFEu32.to_le_bytes());
    for i in 0..109 {
        let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
        put(&mut f, 0x4C + 4 * i, &v.to_le_bytes());
    }
    for i in 0..128 {
        let v: u32 = match i {
            0 => 0xFFFF_FFFD,
            1 => 0xFFFF_FFFE,
            _ => 0xFFFF_FFFF,
        };
        put(&mut f, 512 + 4 * i, &v.to_le_bytes());
    }
    for (k, (n, typ)) in [("Root Entry", 5u8), (stream, 2u8)].iter().enumerate() {
        let e = 1024 + 128 * k;
        let units: Vec<u16> = n.encode_utf16().chain([0]).collect();
        for (j, u) in units.iter().enumerate() {
            put(&mut f, e + 2 * j, &u.to_le_bytes());
        }
        put(&mut f, e + 64, &((units.len() * 2) as u16).to_le_bytes());
        f[e + 66] = *typ;
        put(&mut f, e + 116, &0xFFFF_FFFEu32.to_le_bytes());
    }
    f
}

/// An .ods whose one sheet repeats a filled row a million times.
fn ods_with_repeats() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Feuille1"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>P</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    zip_package(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

#[test]
fn bad_workbooks_exit_2_with_a_french_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read(samples_dir().join("regle-absences.xlsx")).unwrap();
    let sample_xls = std::fs::read(samples_dir().join("regle-absences.xls")).unwrap();

    // Not an attendance workbook: a budget.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Budget").unwrap();
    ws.write_string(0, 0, "Produit").unwrap();
    ws.write_string(0, 1, "Prix").unwrap();
    ws.write_string(1, 0, "Fournitures").unwrap();
    ws.write_number(1, 1, 125.5).unwrap();
    let budget = wb.save_to_buffer().unwrap();

    // A zip bomb: one sheet of 300 MB of spaces, a few hundred kB compressed.
    let mut bomb_xml = b"<worksheet><sheetData>".to_vec();
    bomb_xml.extend(std::iter::repeat_n(b' ', 300 * 1024 * 1024));
    bomb_xml.extend_from_slice(b"</sheetData></worksheet>");
    let bomb = zip_package(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", &bomb_xml),
    ]);

    // A sheet spanning A1 to XFD1048576.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Nom").unwrap();
    ws.write_string(1_048_575, 16_383, "P").unwrap();
    let huge = wb.save_to_buffer().unwrap();

    // The .xls sample with one cell moved to the last row and column.
    let mut huge_xls = sample_xls.clone();
    let at = huge_xls
        .windows(4)
        .position(|w| w == [0xFD, 0x00, 0x0A, 0x00])
        .expect("a LABELSST record");
    huge_xls[at + 4..at + 8].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("vide.xlsx", Vec::new(), "vide"),
        (
            "tronque.xlsx",
            sample[..sample.len() / 2].to_vec(),
            "tronqué",
        ),
        (
            "tronque.xls",
            sample_xls[..sample_xls.len() / 3].to_vec(),
            "classeur .xls",
        ),
        (
            "hasard.xls",
            (0..5000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
            "ni un classeur Excel",
        ),
        ("budget.xlsx", budget, "n'est pas un cahier de présence"),
        ("bombe.xlsx", bomb, "bombe zip"),
        ("immense.xlsx", huge, "démesuré"),
        ("immense.xls", huge_xls, "démesuré"),
        ("repetitions.ods", ods_with_repeats(), "démesuré"),
        (
            "protege.xlsx",
            compound_file("EncryptedPackage"),
            "mot de passe",
        ),
        ("document.xls", compound_file("WordDocument"), "Word"),
    ];
    for (name, bytes, reason) in &cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let started = Instant::now();
        let out = run(&["extract", "--json", name], dir.path());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name} : {err}");
        assert!(
            err.contains(name),
            "{name} : le message doit nommer le fichier : {err}"
        );
        assert!(
            err.contains(reason),
            "{name} : raison « {reason} » attendue : {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{name} : {err}"
        );
        assert!(
            stdout(&out).is_empty(),
            "{name} : rien sur la sortie standard"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name} : trop lent"
        );
    }
}

/// `[presence] duree_seance_heures` in clas.toml: the length of the sessions a workbook does
/// not give, for `clas extract` as for `clas ingest` (1.5 h elsewhere).
#[test]
fn the_workspace_sets_the_length_of_sessions_a_workbook_does_not_give() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("espace");
    assert!(
        run(&["init", ws.to_str().unwrap()], dir.path())
            .status
            .success()
    );
    let toml = ws.join("clas.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    assert!(text.contains("# duree_seance_heures = 1.5"), "{text}");
    let text = text.replace("# duree_seance_heures = 1.5", "duree_seance_heures = 2");
    std::fs::write(&toml, text).unwrap();
    let file = samples_dir().join("totaux-sans-duree.xlsx");
    let lengths = |collectifs: &Json| -> Vec<f64> {
        collectifs
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["seances"].as_array().unwrap().iter())
            .map(|s| s["duree_h"].as_f64().unwrap())
            .collect()
    };

    let elsewhere = extract_json(&file).unwrap();
    let default = lengths(&elsewhere["collectifs"]);
    assert!(
        !default.is_empty() && default.iter().all(|&h| h == 1.5),
        "{default:?}"
    );

    let out = run(&["extract", "--json", file.to_str().unwrap()], &ws);
    assert!(out.status.success(), "{}", stderr(&out));
    let here: Json = serde_json::from_str(stdout(&out).trim()).unwrap();
    let set = lengths(&here["collectifs"]);
    assert_eq!(set.len(), default.len());
    assert!(set.iter().all(|&h| h == 2.0), "{set:?}");

    let out = run(&["ingest", file.to_str().unwrap()], &ws);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let store = clas::store::Store::open(&ws.join("clas.db")).unwrap();
    let docs = store.documents().unwrap();
    let x = docs[0].extraction.as_ref().expect("cahier archivé");
    let stored: Vec<f64> = x
        .collectifs
        .iter()
        .flatten()
        .flat_map(|c| c.seances.iter())
        .map(|s| s.duree_h.unwrap())
        .collect();
    assert_eq!(stored.len(), default.len());
    assert!(stored.iter().all(|&h| h == 2.0), "{stored:?}");
}
