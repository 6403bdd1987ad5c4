//! The documents agents receive, produced by the real binary from a workspace.

mod common;

use common::*;

fn docx_count(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "docx"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn demo_runs_the_whole_pipeline_on_the_samples() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("demo");
    let out = clas()
        .args(["demo", ws.to_str().unwrap(), "--samples"])
        .arg(repo().join("samples"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("Où sont les résultats"), "{err}");
    let sorties = ws.join("sorties");
    assert!(
        sorties.join("synthese.xlsx").is_file(),
        "synthèse absente : {err}"
    );
    assert!(docx_count(&sorties.join("conventions")) >= 8, "{err}");
    assert!(docx_count(&sorties.join("relances")) >= 1, "{err}");
    assert!(docx_count(&sorties.join("bilans")) >= 8, "{err}");
    assert!(sorties.join("conventions/index-conventions.xlsx").is_file());
    // Every sample file ended in exactly one place.
    let mut placed = 0;
    for dir in ["archives", "rejets"] {
        for e in walk(&ws.join(dir)) {
            let name = e.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".txt") {
                placed += 1;
            }
        }
    }
    let dropped = walk(&repo().join("samples"))
        .iter()
        .filter(|p| !p.extension().is_some_and(|e| e == "json" || e == "md"))
        .count();
    assert_eq!(placed, dropped, "{err}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p))
            } else {
                out.push(p)
            }
        }
    }
    out
}

#[test]
fn prefill_and_relance_from_an_ingested_workspace() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    assert!(run(&["init"], ws).status.success());
    // Before any bilan: a clear refusal.
    let out = run(&["prefill"], ws);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("aucun bilan"), "{}", stderr(&out));
    let samples: Vec<String> = with_golden(&repo().join("samples"), "docx")
        .into_iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    let mut args = vec!["ingest"];
    args.extend(samples.iter().map(String::as_str));
    let out = run(&args, ws);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));

    let out = run(&["prefill", "--annee", "2027-2028"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("2027-2028"), "{}", stderr(&out));
    assert!(docx_count(&ws.join("sorties/conventions")) >= 8);

    let out = run(&["prefill", "--annee", "l'an prochain"], ws);
    assert_eq!(out.status.code(), Some(2));

    let out = run(&["prefill", "--bilan", "--out", "bilans-2026"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = stdout(&out).lines().next().unwrap().to_string();
    // A pre-filled bilan is read back as a bilan by clas itself.
    let back = run(&["extract", "--json", &first], ws);
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));

    let out = run(&["relance"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(docx_count(&ws.join("sorties/relances")) >= 3);
}
