//! What is not a form is not accepted, and the content decides the format, not the name
//! (issue 14, items 7 and 8), through the real binary:
//! - a workbook whose sheets list people or figures but no sessions is « formulaire non
//!   reconnu » (exit 2), not a cahier de présence with « 0 séance »;
//! - a zip whose part names climb out of the package (`..`) is an invalid package: exit 2,
//!   and `clas ingest` archives nothing from it;
//! - a PDF named `.docx`, a Word document named `.pdf`, a workbook named `.docx` are read for
//!   what they are, and archived under their name plus the right extension;
//! - a file named as a format it does not hold says so, without telling the agent to send
//!   the format it was named as.

mod common;

use std::io::Write;
use std::path::Path;

use common::*;

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

/// Every part of a real package, plus `extra`.
fn with_part(package: &[u8], extra: (&str, &[u8])) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        parts.push((f.name().unwrap().to_string(), data));
    }
    let mut all: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    all.push(extra);
    zip_package(&all)
}

/// A `Contacts` sheet as a porteur keeps one: people, not children at sessions.
fn contacts(wb: &mut rust_xlsxwriter::Workbook) {
    let ws = wb.add_worksheet();
    ws.set_name("Contacts").unwrap();
    for (c, h) in ["Nom et prénom", "Fonction", "Téléphone", "Courriel"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in [
        [
            "Martin Claire",
            "Présidente",
            "05 53 00 00 01",
            "claire@example.org",
        ],
        [
            "Durand Paul",
            "Trésorier",
            "05 53 00 00 02",
            "paul@example.org",
        ],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
}

fn budget_and_contacts() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Budget").unwrap();
    ws.write_string(0, 0, "Produit").unwrap();
    ws.write_string(0, 1, "Montant").unwrap();
    ws.write_string(1, 0, "Subvention Caf").unwrap();
    ws.write_number(1, 1, 4200.0).unwrap();
    contacts(&mut wb);
    wb.save_to_buffer().unwrap()
}

/// The near miss: the same `Contacts` sheet beside a real collectif (dates and marks).
fn collectif_and_contacts() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Collectif A").unwrap();
    let rows: [&[&str]; 4] = [
        &["Porteur :", "Centre social du Pin"],
        &["Action N° :", "3"],
        &[
            "Nom",
            "Prénom",
            "Niveau",
            "Établissement",
            "14/11/2025",
            "21/11/2025",
        ],
        &["Alpha", "Léa", "CM1", "École Jasmin", "P", "A"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    contacts(&mut wb);
    wb.save_to_buffer().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    std::fs::write(dir.join(name), bytes).unwrap();
    name.to_string()
}

/// `clas extract` on `name` in `dir` exits 2 with a message naming it and saying `why`.
fn refused(dir: &Path, name: &str, why: &str, never: &[&str]) -> Option<String> {
    let out = run(&["extract", name], dir);
    let err = stderr(&out);
    let problem = if out.status.code() != Some(2) {
        Some(format!("code {:?} au lieu de 2", out.status.code()))
    } else if !err.contains(name) {
        Some("le message ne nomme pas le fichier".into())
    } else if !err.contains(why) {
        Some(format!("le message ne dit pas « {why} »"))
    } else if let Some(w) = never.iter().find(|w| err.contains(**w)) {
        Some(format!("le message dit « {w} »"))
    } else if err.contains("panicked") {
        Some("panique".into())
    } else {
        None
    };
    problem.map(|p| format!("{name} : {p}\n  {}", err.trim()))
}

#[test]
fn a_workbook_without_sessions_is_not_an_attendance_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let name = write(d, "budget-contacts.xlsx", &budget_and_contacts());
    let problems: Vec<String> =
        refused(d, &name, "formulaire non reconnu", &["enfant", "séance(s)"])
            .into_iter()
            .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let out = run(&["extract", "--explain", &name], d);
    assert!(
        stderr(&out).contains("colonnes des séances"),
        "ce qui manque : {}",
        stderr(&out)
    );

    // The near miss: a collectif beside the same contacts is read, contacts left out.
    let name = write(d, "collectif-contacts.xlsx", &collectif_and_contacts());
    let out = run(&["extract", "--json", &name], d);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(got["form"], "presence");
    let collectifs = got["collectifs"].as_array().unwrap();
    assert_eq!(collectifs.len(), 1, "{collectifs:?}");
    assert_eq!(collectifs[0]["nombre_seances"], 2);
}

#[test]
fn a_zip_with_dot_dot_parts_is_refused_and_nothing_is_written_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let docx = std::fs::read(repo().join("samples/horizon-boe.docx")).unwrap();
    let xlsx = std::fs::read(repo().join("samples/presence/espace-jeunes-fumel.xlsx")).unwrap();
    let inbox = d.join("recus");
    std::fs::create_dir(&inbox).unwrap();
    let cases = [
        (
            "evasion.docx",
            with_part(&docx, ("../../evasion.txt", b"x")),
        ),
        (
            "evasion.xlsx",
            with_part(&xlsx, ("xl/../../evasion.txt", b"x")),
        ),
        (
            "evasion-windows.docx",
            with_part(&docx, ("word\\..\\..\\evasion.txt", b"x")),
        ),
        (
            "evasion-nommee.pdf",
            with_part(&docx, ("../evasion.txt", b"x")),
        ),
        (
            "evasion-absolue.docx",
            with_part(&docx, ("/tmp/evasion.txt", b"x")),
        ),
    ];
    let mut problems = Vec::new();
    for (name, bytes) in &cases {
        write(&inbox, name, bytes);
        problems.extend(refused(&inbox, name, "archive invalide", &[]));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // `clas ingest`: every one refused, nothing archived, nothing written outside.
    let ws = d.join("espace");
    assert!(run(&["init", ws.to_str().unwrap()], d).status.success());
    let out = run(
        &[
            "ingest",
            "--workspace",
            ws.to_str().unwrap(),
            inbox.to_str().unwrap(),
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let archived: Vec<_> = walk(&ws.join("archives"));
    assert!(archived.is_empty(), "archivé : {archived:?}");
    assert!(!d.join("evasion.txt").exists() && !ws.join("evasion.txt").exists());
    for (name, _) in &cases {
        let reason = ws.join("rejets").join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&reason)
            .unwrap_or_else(|_| panic!("{name} : pas de {}", reason.display()));
        assert!(text.contains("archive invalide"), "{text}");
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn the_content_decides_the_format_not_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let inbox = d.join("recus");
    std::fs::create_dir(&inbox).unwrap();
    // (sample, its golden JSON, the misleading name, the extension it is archived with)
    let cases = [
        ("samples/pdf/bilan-mjc-nerac.pdf", "bilan-mjc.docx", "pdf"),
        ("samples/horizon-boe.docx", "horizon.pdf", "docx"),
        ("samples/trait-union-tonneins.docx", "tonneins.xlsx", "docx"),
        (
            "samples/presence/espace-jeunes-fumel.xlsx",
            "fumel.docx",
            "xlsx",
        ),
        (
            "samples/presence/savoirs-partages-nerac.xls",
            "nerac.docx",
            "xls",
        ),
        (
            "samples/presence/coteaux-solidaires-duras.ods",
            "duras.pdf",
            "ods",
        ),
    ];
    let mut diffs = Vec::new();
    for (sample, name, _) in &cases {
        let src = repo().join(sample);
        std::fs::copy(&src, inbox.join(name)).unwrap();
        let golden: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(src.with_extension("json")).unwrap())
                .unwrap();
        match extract_json(&inbox.join(name), &inbox) {
            Ok(got) => {
                if got["form"] != golden["form"] {
                    diffs.push(format!("{name} : formulaire {}", got["form"]));
                }
                diffs.extend(compare_fields(name, &got["fields"], &golden["fields"]));
            }
            Err(e) => diffs.push(format!("{name} : {e}")),
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));

    // Archived under the name it came with, plus the extension of what it is.
    let ws = d.join("espace");
    assert!(run(&["init", ws.to_str().unwrap()], d).status.success());
    let out = run(
        &[
            "ingest",
            "--workspace",
            ws.to_str().unwrap(),
            inbox.to_str().unwrap(),
        ],
        d,
    );
    assert!(out.status.code() != Some(2), "{}", stderr(&out));
    let archived: Vec<String> = walk(&ws.join("archives"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for (_, name, ext) in &cases {
        let want = format!("{name}.{ext}");
        assert!(archived.contains(&want), "{want} absent de {archived:?}");
    }

    // Named as a format it does not hold: said so, never « déposez … PDF » for a « .pdf ».
    let mut problems = Vec::new();
    for (name, bytes) in [
        ("texte.pdf", &b"Bonjour, voici notre bilan."[..]),
        ("texte.doc", b"Bonjour, voici notre bilan."),
        ("archive.pdf", &zip_package(&[("notes.txt", b"x")])),
    ] {
        write(d, name, bytes);
        let ext = name.rsplit('.').next().unwrap();
        problems.extend(refused(
            d,
            name,
            &format!("ce n'est pas un fichier .{ext}"),
            &["déposez", "non pris en charge"],
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
