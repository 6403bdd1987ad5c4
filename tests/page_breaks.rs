//! Word bilans exported to PDF by LibreOffice on pages of other sizes, so that page breaks
//! fall everywhere: in the middle of a oui/non table row (the question's last line on the
//! next page, its oui/non cells empty there), through a table over three pages, between the
//! lines of a multi-line answer. Generated at run time from the committed samples, compared
//! field by field to their golden JSON. Needs LibreOffice (skipped without it, said so);
//! `pdftotext` (poppler), when present, proves that some page size did cut a table row.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::*;

/// `sample` with its page height set to `height` twips and, when `points` is given, its
/// default font size (a larger font wraps the table's questions on more lines).
fn resized(sample: &Path, height: u32, points: Option<u32>, out: &Path) {
    let file = std::fs::File::open(sample).unwrap();
    let mut zin = zip::ZipArchive::new(file).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zin.len() {
            let mut entry = zin.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            if name == "word/document.xml" {
                let xml = String::from_utf8(data).unwrap();
                assert!(xml.contains(r#"w:h="16838""#), "A4 attendu dans {name}");
                data = xml
                    .replace(r#"w:h="16838""#, &format!(r#"w:h="{height}""#))
                    .into_bytes();
            }
            if let (Some(pt), "word/styles.xml") = (points, name.as_str()) {
                let xml = String::from_utf8(data).unwrap();
                let default = r#"<w:sz w:val="22"/><w:szCs w:val="22"/>"#;
                assert!(xml.contains(default), "taille par défaut attendue");
                data = xml
                    .replacen(
                        default,
                        &format!(r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#, 2 * pt),
                        1,
                    )
                    .into_bytes();
            }
            zout.start_file(name, opts).unwrap();
            zout.write_all(&data).unwrap();
        }
        zout.finish().unwrap();
    }
    std::fs::write(out, buf.into_inner()).unwrap();
}

fn golden(slug: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo().join(format!("samples/{slug}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Whether a page of `pdf` ends with the first line of one of `questions` (poppler's
/// `pdftotext`; `None` without it).
fn cuts_a_question(pdf: &Path, questions: &[&str]) -> Option<bool> {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).replace('\u{a0}', " ");
    Some(text.split('\u{c}').any(|page| {
        let last = page
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.chars().all(|c| c.is_ascii_digit()));
        last.is_some_and(|l| {
            let l = l.split("  ").next().unwrap_or(l).trim();
            questions
                .iter()
                .any(|q| q.len() > l.len() + 2 && q.starts_with(l) && l.len() > 10)
        })
    }))
}

#[test]
fn page_breaks_through_tables_and_answers_read_the_same() {
    let Some(soffice) = clas::document::convert::soffice() else {
        eprintln!(
            "!!! LibreOffice absent : test des coupures de page NON exécuté (la CI l'installe)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let docx_dir = dir.path().join("docx");
    std::fs::create_dir_all(&docx_dir).unwrap();
    // (sample, page heights in twips, font size): the yes/no tables of trait-union in a
    // 15-point font on short pages (rows of two or three lines cut by the page break, the
    // parents' table over three pages); espace-jeunes on pages that end between the two
    // lines of « établissements ».
    let cases: [(&str, Vec<u32>, Option<u32>); 2] = [
        (
            "trait-union-tonneins",
            (0..10).map(|i| 9300 + 300 * i).collect(),
            Some(15),
        ),
        ("espace-jeunes-fumel", vec![12500, 12600], None),
    ];
    let mut files: Vec<(PathBuf, &str)> = Vec::new();
    for (slug, heights, points) in &cases {
        for h in heights {
            let out = docx_dir.join(format!("{slug}-{h}.docx"));
            resized(
                &repo().join(format!("samples/{slug}.docx")),
                *h,
                *points,
                &out,
            );
            files.push((out, slug));
        }
    }
    let pdf_dir = dir.path().join("pdf");
    let status = std::process::Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profil").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf_dir)
        .args(files.iter().map(|(p, _)| p))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "LibreOffice n'a pas converti les bilans");
    let parents = [
        "Contractualisation avec les parents/enfant/le jeune sur des engagements réciproques :",
        "Rencontres individuelles programmées entre les parents et les accompagnateurs (et éventuellement l’enfant et le jeune) :",
        "Mise en place d’outils de liaison et d’échange avec les parents :",
        "Accompagnement de parents lors de rencontres avec les enseignants :",
        "Participation des parents à des séances de CLAS :",
        "Rencontre avec les parents autour d’une thématique :",
        "En proposant aux parents un accompagnement à l’usage du numérique :",
        "Accompagnement des parents bers les associations de parents d’élèves :",
        "Information et accompagnement des parents à la compréhension des codes de l’école :",
        "Mise en relation des parents avec d’autres partenaires :",
        "Evaluez-vous les actions proposées aux parents :",
        "Réunion d’information sur le CLAS à destination des parents :",
    ];
    let mut diffs = Vec::new();
    let mut cut = None;
    for (docx, slug) in &files {
        let pdf = pdf_dir.join(docx.with_extension("pdf").file_name().unwrap());
        let name = pdf.file_name().unwrap().to_string_lossy().to_string();
        let out = run(&["extract", "--json", pdf.to_str().unwrap()], dir.path());
        if !out.status.success() {
            diffs.push(format!("{name} : {}", stderr(&out)));
            continue;
        }
        let got: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
        diffs.extend(compare_fields(
            &name,
            &got["fields"],
            &golden(slug)["fields"],
        ));
        if slug.starts_with("trait-union")
            && let Some(c) = cuts_a_question(&pdf, &parents)
        {
            cut = Some(cut.unwrap_or(false) || c);
        }
    }
    assert!(
        diffs.is_empty(),
        "{} différence(s) :\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    match cut {
        Some(cut) => assert!(cut, "aucune taille de page n'a coupé une ligne du tableau"),
        None => eprintln!("!!! pdftotext absent : coupure des lignes de tableau non vérifiée"),
    }
}
