//! Bilans whose porteur deleted the check boxes and typed `X` / `x` where they were
//! (samples/*-croix-tapees.docx, written by tools/forms): read through the real binary, as
//! Word files and as LibreOffice's PDF export of them, compared field by field to their
//! golden JSON; both options marked is `reponse.contradictoire`.

mod common;

use std::path::PathBuf;

use common::*;

fn typed_samples() -> Vec<(PathBuf, serde_json::Value)> {
    let samples: Vec<_> = with_golden(&repo().join("samples"), "docx")
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains("croix-tapees"))
        .collect();
    assert!(
        samples.len() >= 2,
        "au moins 2 bilans à croix tapées dans samples/ ({} trouvés)",
        samples.len()
    );
    samples
}

fn extract(path: &std::path::Path) -> serde_json::Value {
    let out = run(&["extract", "--json", path.to_str().unwrap()], &repo());
    assert!(
        out.status.success(),
        "{} : {}",
        path.display(),
        stderr(&out)
    );
    serde_json::from_str(stdout(&out).trim()).expect("one JSON object")
}

#[test]
fn typed_ticks_extract_to_the_golden_json() {
    let mut diffs = Vec::new();
    for (path, golden) in typed_samples() {
        let got = extract(&path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        diffs.extend(compare_fields(&name, &got["fields"], &golden["fields"]));
        // The 55 boxes of the form are answered by typed letters: nearly all read.
        let answered = got["fields"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(id, v)| {
                v.is_boolean()
                    && !id.starts_with("zonage.")
                    && golden["fields"][id.as_str()].is_boolean()
            })
            .count();
        assert!(answered >= 45, "{name} : {answered} cases lues seulement");
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn both_options_marked_is_contradictory() {
    let path = repo().join("samples/amicale-laique-casteljaloux-croix-tapees.docx");
    let out = run(&["validate", "--json", path.to_str().unwrap()], &repo());
    let text = stdout(&out);
    let got: serde_json::Value = serde_json::from_str(text.trim()).expect("JSON");
    let findings = got["findings"].as_array().expect("findings");
    let about = |rule: &str, field: &str| {
        findings
            .iter()
            .any(|f| f["rule"] == rule && f.to_string().contains(field))
    };
    assert!(
        about("reponse.contradictoire", "activite.jeux"),
        "activite.jeux marqué oui et non : {text}"
    );
    // A part without any mark is unanswered, not « non coché » and not contradictory.
    assert!(!about("reponse.contradictoire", "zonage."), "{text}");
    assert_eq!(got["fields"]["zonage.rep"], serde_json::Value::Null);
    assert_eq!(got["fields"]["local.municipal"], serde_json::json!(false));
}

/// With LibreOffice, the same bilans exported to PDF read the same: the letters are text of
/// the page, next to their option.
#[test]
fn typed_ticks_exported_to_pdf_by_libreoffice_extract_the_same() {
    let Some(soffice) = clas::document::convert::soffice() else {
        eprintln!(
            "!!! LibreOffice absent : test des bilans à croix tapées exportés en PDF NON exécuté (la CI l'installe)"
        );
        return;
    };
    let samples = typed_samples();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("pdf");
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
    assert!(status.success(), "LibreOffice n'a pas converti les bilans");
    let mut diffs = Vec::new();
    for (path, golden) in &samples {
        let pdf = out_dir.join(path.with_extension("pdf").file_name().unwrap());
        let got = extract(&pdf);
        let name = pdf.file_name().unwrap().to_string_lossy().to_string();
        diffs.extend(compare_fields(&name, &got["fields"], &golden["fields"]));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
