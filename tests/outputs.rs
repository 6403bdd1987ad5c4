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
    assert!(!err.contains("déjà un espace de travail"), "{err}");
    // Again on the same folder: it says what it does with it.
    let out = clas()
        .args(["demo", ws.to_str().unwrap(), "--samples"])
        .arg(repo().join("samples"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("est déjà un espace de travail") && err.contains("ni effacés ni modifiés"),
        "{err}"
    );
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

    // File names: no « …-action-.docx » for a bilan without a number.
    let names: Vec<String> = std::fs::read_dir(ws.join("bilans-2026"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with("-action-.docx")),
        "{names:?}"
    );
    assert!(
        names.contains(&"bilan-maison-des-quartiers-nord.docx".to_string()),
        "{names:?}"
    );
    // The return date is not configured: said.
    assert!(
        stderr(&out).contains("date_retour_bilan"),
        "{}",
        stderr(&out)
    );
    // An invalid contact is not carried forward, and said.
    assert!(
        stderr(&out).contains("« Adresse mail » : la réponse du bilan précédent n'est pas valide"),
        "{}",
        stderr(&out)
    );

    let out = run(&["relance"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(docx_count(&ws.join("sorties/relances")) >= 3);
    // No [documents] in clas.toml: said before the letters are written.
    assert!(stderr(&out).contains("[documents]"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--avertissements"),
        "{}",
        stderr(&out)
    );
    let before = docx_count(&ws.join("sorties/relances"));
    let out = run(&["relance", "--avertissements"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(docx_count(&ws.join("sorties/relances")) > before);
    assert!(
        stdout(&out).contains("verification-centre-social-du-pin.docx"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_command_line_speaks_french() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    let out = run(&["--help"], ws);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    for want in [
        "Utilisation : clas",
        "Commandes :",
        "Options :",
        "Afficher l'aide",
        "Afficher la version",
    ] {
        assert!(help.contains(want), "{want} : {help}");
    }
    for english in [
        "Usage:",
        "Print help",
        "Print version",
        "Commands:",
        "Print this message",
    ] {
        assert!(!help.contains(english), "{english} : {help}");
    }
    // « clas help relance » is the command's help, in French.
    let out = run(&["help", "relance"], ws);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("--avertissements"),
        "{}",
        stdout(&out)
    );
    // Every argument of every command is described.
    for cmd in [
        "extract",
        "validate",
        "check-mapping",
        "prefill",
        "synthesis",
        "relance",
        "demo",
        "init",
        "ingest",
        "watch",
    ] {
        let out = run(&[cmd, "--help"], ws);
        assert_eq!(out.status.code(), Some(0), "{cmd}");
        let help = stdout(&out);
        assert!(help.contains("Afficher l'aide"), "{cmd}: {help}");
        assert!(!help.contains("Print help"), "{cmd}: {help}");
        let args = help
            .lines()
            .skip_while(|l| !(l.starts_with("Arguments") || l.starts_with("Options")));
        for l in args.filter(|l| l.starts_with("  ")) {
            // « --json  Un objet JSON… »: a name, then at least two spaces, then words.
            let t = l.trim();
            assert!(
                t.split("  ").filter(|p| !p.trim().is_empty()).count() >= 2,
                "{cmd} : argument sans description : {l}"
            );
        }
    }
    let out = run(&["--version"], ws);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("clas "));
}

#[test]
fn system_errors_are_told_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&["extract", "absent.docx"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("absent.docx") && err.contains("introuvable"),
        "{err}"
    );
    assert!(
        !err.contains("os error") && !err.contains("No such file"),
        "{err}"
    );
}
