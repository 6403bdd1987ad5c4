//! `clas extract` on PDF files, through the real binary: fillable bilans filled by another
//! tool (pypdf), Word samples exported to PDF by LibreOffice, and PDFs that must be refused.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

#[test]
fn every_pdf_sample_extracts_to_its_golden_json() {
    let samples = with_golden(&repo().join("samples/pdf"), "pdf");
    assert!(
        samples.len() >= 4,
        "au moins 4 PDF avec leur JSON attendu dans samples/pdf ({} trouvés)",
        samples.len()
    );
    check_goldens(&samples, |p| p.to_path_buf());
}

#[test]
fn the_blank_fillable_bilan_is_recognised_and_empty() {
    let file = repo().join("forms/bilan-clas.pdf");
    let got = extract_json(&file, &repo()).unwrap();
    assert_eq!(got["form"], "bilan");
    let fields = got["fields"].as_object().unwrap();
    assert_eq!(fields.len(), 98);
    for (id, v) in fields {
        assert!(
            v.is_null() || *v == serde_json::json!(false),
            "{id} = {v} dans le formulaire vierge"
        );
    }
}

#[test]
fn the_fillable_bilan_has_a_widget_after_each_label() {
    let doc = clas::document::read(&repo().join("forms/bilan-clas.pdf")).unwrap();
    use clas::document::{FieldContent, Inline};
    let checks = doc
        .fields
        .iter()
        .filter(|f| matches!(f.value, FieldContent::Check(false)))
        .count();
    let texts = doc
        .fields
        .iter()
        .filter(|f| matches!(&f.value, FieldContent::Text(t) if t.is_empty()))
        .count();
    assert_eq!(checks, 6 + 49 * 2, "cases à cocher");
    assert_eq!(texts, 98 - 6 - 49, "champs texte");
    // Each « oui » and each « non » is followed by its box, in the text.
    let mut pairs = 0;
    for p in &doc.paragraphs {
        let t: Vec<String> = p
            .inlines
            .iter()
            .map(|i| match i {
                Inline::Text(t) => t.trim().to_string(),
                Inline::Check(_) => "☐".to_string(),
            })
            .collect();
        if t == ["oui", "☐", "non", "☐"] {
            pairs += 1;
        }
    }
    assert_eq!(pairs, 49, "lignes « oui ☐ non ☐ »");
}

fn refused(path: &Path, why: &[&str]) -> Option<String> {
    let start = Instant::now();
    let out = run(
        &["extract", "--json", path.to_str().unwrap()],
        path.parent().unwrap(),
    );
    let err = stderr(&out);
    let name = path.file_name().unwrap().to_string_lossy();
    let problem = if out.status.code() != Some(2) {
        Some(format!("code {:?} au lieu de 2", out.status.code()))
    } else if !err.contains(&*name) {
        Some("le message ne nomme pas le fichier".into())
    } else if !why.iter().any(|w| err.contains(w)) {
        Some(format!("le message ne dit pas {why:?}"))
    } else if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
        Some("panique".into())
    } else if start.elapsed() > Duration::from_secs(20) {
        Some(format!("trop lent : {:?}", start.elapsed()))
    } else {
        None
    };
    problem.map(|p| format!("{name} : {p}\n  {}", err.trim()))
}

/// A PDF written by hand: `objects` numbered from 1, the first the catalog.
fn raw_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    s.extend(data);
    s.extend(b"\nendstream");
    s
}

fn page_with(content: &[u8], resources: &str, extra: Vec<Vec<u8>>) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources {resources} >>"
        )
        .into_bytes(),
        stream("", content),
    ];
    objects.extend(extra);
    raw_pdf(&objects)
}

#[test]
fn unreadable_pdfs_exit_2_with_a_french_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut problems = Vec::new();
    let samples = repo().join("samples/pdf");
    for (file, why) in [
        (
            "refus-mot-de-passe.pdf",
            &["protégé par un mot de passe"][..],
        ),
        (
            "refus-scan.pdf",
            &["PDF sans texte (document scanné) : saisie manuelle nécessaire"],
        ),
        ("refus-pas-un-formulaire.pdf", &["formulaire non reconnu"]),
    ] {
        problems.extend(refused(&samples.join(file), why));
    }

    let form = std::fs::read(repo().join("forms/bilan-clas.pdf")).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = d.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let not_pdf = [
        "n'est pas un PDF lisible",
        "PDF refusé",
        "formulaire non reconnu",
    ];
    // Cut in the middle, as an interrupted download.
    problems.extend(refused(
        &write("tronque.pdf", &form[..form.len() / 2]),
        &["tronqué"],
    ));
    // Noise after the header.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut noise = b"%PDF-1.7\n".to_vec();
    for _ in 0..50_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise.push(x as u8);
    }
    problems.extend(refused(&write("bruit.pdf", &noise), &not_pdf));
    // The cross-reference table and trailer gone.
    let xref = form.windows(4).rposition(|w| w == b"xref").unwrap();
    problems.extend(refused(
        &write("sans-xref.pdf", &form[..xref]),
        &["tronqué", "table des objets"],
    ));
    // Only a header.
    problems.extend(refused(&write("entete.pdf", b"%PDF-1.4\n"), &not_pdf));
    // A form XObject drawing itself: bounded depth, no hang.
    let recursive = page_with(
        b"BT /F1 12 Tf 50 800 Td (Bonjour) Tj ET /X1 Do",
        "<< /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>",
        vec![
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
            stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 6 0 R >> >>",
                b"/X1 Do /X1 Do",
            ),
        ],
    );
    problems.extend(refused(&write("recursif.pdf", &recursive), &not_pdf));
    // Pages that point at each other.
    let cycle = raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>".to_vec(),
    ]);
    problems.extend(refused(&write("cycle.pdf", &cycle), &not_pdf));
    // A content stream that inflates to far more than a form's page (64 MiB of spaces).
    let mut bomb = lopdf::Stream::new(lopdf::Dictionary::new(), vec![b' '; 64 << 20]);
    bomb.compress().unwrap();
    let compressed = bomb.content.clone();
    let bomb_pdf = raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream("/Filter /FlateDecode", &compressed),
    ]);
    problems.extend(refused(&write("bombe.pdf", &bomb_pdf), &not_pdf));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// With LibreOffice installed, every Word sample printed to PDF reads like the Word file:
/// legacy check boxes become drawn squares, ruled tables keep their cells.
#[test]
fn word_samples_exported_to_pdf_by_libreoffice_extract_the_same() {
    let Some(soffice) = clas::document::convert::soffice() else {
        eprintln!(
            "!!! LibreOffice absent : test des échantillons Word exportés en PDF NON exécuté (la CI l'installe)"
        );
        return;
    };
    let samples = with_golden(&repo().join("samples"), "docx");
    assert!(!samples.is_empty(), "aucun échantillon Word");
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pdf");
    // One LibreOffice run for all the files: it takes seconds to start.
    let status = std::process::Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profil").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out_dir)
        .args(samples.iter().map(|(p, _)| p))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(
        status.success(),
        "LibreOffice n'a pas converti les échantillons"
    );
    check_goldens(&samples, |p| {
        out_dir.join(p.with_extension("pdf").file_name().unwrap())
    });
}
