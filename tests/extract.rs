//! `clas extract` on real Word files: golden samples, bad input.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::*;

#[test]
fn every_word_sample_extracts_to_its_golden_json() {
    let samples = with_golden(&repo().join("samples"), "docx");
    assert!(
        samples.len() >= 8,
        "au moins 8 échantillons Word avec leur JSON attendu ({} trouvés)",
        samples.len()
    );
    let mut diffs = Vec::new();
    for (path, golden) in &samples {
        let out = run(&["extract", "--json", path.to_str().unwrap()], &repo());
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !out.status.success() {
            diffs.push(format!(
                "{name} : code {:?}, {}",
                out.status.code(),
                stderr(&out)
            ));
            continue;
        }
        let got: serde_json::Value =
            serde_json::from_str(stdout(&out).trim()).expect("one JSON object");
        assert_eq!(got["form"], golden["form"], "{name} : formulaire");
        diffs.extend(compare_fields(&name, &got["fields"], &golden["fields"]));
    }
    assert!(
        diffs.is_empty(),
        "{} différence(s) :\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn the_blank_forms_are_recognised_and_empty() {
    for (file, form) in [
        ("forms/bilan-clas.docx", "bilan"),
        ("forms/note-strategique.docx", "note-strategique"),
    ] {
        let out = run(&["extract", "--json", file], &repo());
        assert!(out.status.success(), "{file} : {}", stderr(&out));
        let got: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
        assert_eq!(got["form"], form);
        for (id, v) in got["fields"].as_object().unwrap() {
            let blank =
                v.is_null() || *v == serde_json::json!(false) || *v == serde_json::json!([]);
            assert!(blank, "{file} : {id} = {v} dans un formulaire vierge");
        }
    }
}

#[test]
fn check_mapping_finds_every_question_of_the_blank_forms() {
    for file in ["forms/bilan-clas.docx", "forms/note-strategique.docx"] {
        let out = run(&["check-mapping", file], &repo());
        assert!(
            out.status.success(),
            "{file} : {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert!(
            stdout(&out).contains("toutes les questions sont retrouvées"),
            "{}",
            stdout(&out)
        );
    }
}

/// A .docx package holding the given parts, written with the zip crate.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
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

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn word(body: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    );
    package(&[("word/document.xml", xml.as_bytes())])
}

#[test]
fn bad_input_exits_2_with_a_french_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read(repo().join("forms/bilan-clas.docx")).unwrap();
    let mut bomb_xml = format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>"#).into_bytes();
    bomb_xml.extend(std::iter::repeat_n(b'a', 80 * 1024 * 1024));
    let bomb = package(&[("word/document.xml", &bomb_xml)]);
    let entity_bomb = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("vide.docx", Vec::new(), "vide"),
        (
            "tronque.docx",
            sample[..sample.len() / 2].to_vec(),
            "tronqué",
        ),
        (
            "hasard.docx",
            (0..5000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
            "pas une archive",
        ),
        (
            "autre.docx",
            word("<w:p><w:r><w:t>Compte rendu du conseil d'administration</w:t></w:r></w:p>"),
            "non reconnu",
        ),
        ("bombe.docx", bomb, "volumineux"),
        (
            "malforme.docx",
            package(&[(
                "word/document.xml",
                b"<w:document xmlns:w=\"x\"><w:body><w:p></w:body>",
            )]),
            "XML",
        ),
        (
            "entites.docx",
            package(&[("word/document.xml", entity_bomb.as_bytes())]),
            "DOCTYPE",
        ),
        (
            "image.png",
            b"\x89PNG\r\n\x1a\n0000".to_vec(),
            "non pris en charge",
        ),
    ];
    for (name, bytes, reason) in &cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let started = Instant::now();
        let out = run(&["extract", name], dir.path());
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
        assert!(!err.contains("panicked"), "{name} : {err}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name} : trop lent"
        );
    }
    // One bad file among good ones: the good ones are still extracted, the status says 2.
    let out = run(
        &[
            "extract",
            "--json",
            "vide.docx",
            repo().join("forms/bilan-clas.docx").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn a_wrong_command_line_exits_2_in_french() {
    let out = run(&["extrait"], &repo());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ligne de commande incorrecte"),
        "{}",
        stderr(&out)
    );
}

/// LibreOffice, when installed, re-saves every Word sample (as .docx and as .odt): the same
/// answers must come out, whoever saved the file.
#[test]
fn files_resaved_by_libreoffice_extract_the_same() {
    let Some(soffice) = clas::document::convert::soffice() else {
        eprintln!(
            "!!! LibreOffice absent : test des fichiers réenregistrés par LibreOffice NON exécuté (la CI l'installe)"
        );
        return;
    };
    let samples = with_golden(&repo().join("samples"), "docx");
    let dir = tempfile::tempdir().unwrap();
    for (target, ext) in [("docx:MS Word 2007 XML", "docx"), ("odt", "odt")] {
        let out_dir = dir.path().join(ext);
        let status = std::process::Command::new(&soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.path().join("profil").display()
            ))
            .args(["--headless", "--convert-to", target, "--outdir"])
            .arg(&out_dir)
            .args(samples.iter().map(|(p, _)| p))
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let mut diffs = Vec::new();
        for (path, golden) in &samples {
            let resaved = out_dir.join(path.with_extension(ext).file_name().unwrap());
            let out = run(
                &["extract", "--json", resaved.to_str().unwrap()],
                dir.path(),
            );
            let name = format!(
                "{} (LibreOffice .{ext})",
                path.file_name().unwrap().to_string_lossy()
            );
            if !out.status.success() {
                diffs.push(format!("{name} : {}", stderr(&out)));
                continue;
            }
            let got: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
            diffs.extend(compare_fields(&name, &got["fields"], &golden["fields"]));
        }
        assert!(
            diffs.is_empty(),
            "{} différence(s) :\n{}",
            diffs.len(),
            diffs.join("\n")
        );
    }
}
