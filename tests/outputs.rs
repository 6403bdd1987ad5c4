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

/// The synthesis of the store's rows of `sheet` (header excluded), as text.
fn sheet_rows(path: &std::path::Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn column(rows: &[Vec<String>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("pas de colonne « {header} » : {:?}", rows[0]))
}

/// A workspace holding two school years: each synthesis is one year, one row per action, its
/// year in its title; the Suivi sheet lists the action that sent only its cahier de présence
/// and last year's action whose bilan is still missing; a letter written shows in it.
#[test]
fn one_synthesis_per_school_year() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    assert!(run(&["init"], ws).status.success());
    let drop = tmp.path().join("reçus");
    std::fs::create_dir_all(&drop).unwrap();
    // This year (2025-2026): two bilans with their notes, a cahier alone.
    for f in [
        "centre-social-du-pin.docx",
        "coteaux-solidaires-duras.docx",
        "note-villeneuve-sur-lot.docx",
    ] {
        std::fs::copy(repo().join("samples").join(f), drop.join(f)).unwrap();
    }
    std::fs::copy(
        repo().join("samples/presence/espace-jeunes-fumel.xlsx"),
        drop.join("cahier-fumel.xlsx"),
    )
    .unwrap();
    // Last year (2024-2025): the Pin's previous bilan, and an action that sent nothing since.
    let last_year = |porteur: &str, numero: &str| {
        let values: std::collections::HashMap<&str, String> = [
            ("porteur.nom", porteur.to_string()),
            ("action.numero", numero.to_string()),
            ("calendrier.debut", "16/09/2024".to_string()),
            ("enfants.total", "12".to_string()),
        ]
        .into_iter()
        .collect();
        bilan_docx(&values)
    };
    std::fs::write(
        drop.join("pin-2024.docx"),
        last_year("Centre social du Pin", "1"),
    )
    .unwrap();
    std::fs::write(
        drop.join("gerland-2024.docx"),
        last_year("Soutien scolaire Gerland", "9"),
    )
    .unwrap();
    let out = run(&["ingest", drop.to_str().unwrap()], ws);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));

    let out = run(&["synthesis"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let current = ws.join("sorties/synthese.xlsx");
    assert!(
        stdout(&out).trim().ends_with("sorties/synthese.xlsx"),
        "{}",
        stdout(&out)
    );
    let totaux = sheet_rows(&current, "Totaux");
    assert!(totaux[0][0].contains("2025-2026"), "{:?}", totaux[0]);
    let actions = |rows: &[Vec<String>]| {
        rows.iter()
            .find(|r| r[0] == "Actions (version en vigueur)")
            .map(|r| r[1].clone())
            .unwrap()
    };
    assert_eq!(actions(&totaux), "2");
    let synthese = sheet_rows(&current, "Synthèse");
    let porteurs: Vec<&str> = synthese[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        porteurs,
        ["Association Les Coteaux Solidaires", "Centre social du Pin"]
    );

    let suivi = sheet_rows(&current, "Suivi");
    let row = |porteur: &str| {
        suivi
            .iter()
            .find(|r| r[0] == porteur)
            .unwrap_or_else(|| panic!("Suivi : pas de ligne {porteur} : {suivi:?}"))
            .clone()
    };
    let (bilan, cahier, from, note, next) = (
        column(&suivi, "Bilan"),
        column(&suivi, "Cahier de présence"),
        column(&suivi, "Attendue d'après"),
        column(&suivi, "Note stratégique du territoire"),
        column(&suivi, "Suite à donner"),
    );
    assert_eq!(suivi.len(), 1 + 4, "{suivi:?}");
    let fumel = row("Espace jeunes Les Tilleuls");
    assert_eq!(
        (fumel[bilan].as_str(), fumel[cahier].as_str()),
        ("manquant", "reçu")
    );
    assert_eq!(fumel[from], "cahier de présence reçu");
    let gerland = row("Soutien scolaire Gerland");
    assert_eq!(
        (gerland[bilan].as_str(), gerland[cahier].as_str()),
        ("manquant", "non reçu")
    );
    assert_eq!(gerland[from], "bilan 2024-2025");
    assert_eq!(gerland[next], "Réclamer le bilan");
    let pin = row("Centre social du Pin");
    assert_eq!(
        (pin[bilan].as_str(), pin[from].as_str()),
        ("reçu", "bilan 2024-2025")
    );
    assert_eq!(pin[note], "Villeneuve-sur-Lot");
    assert_eq!(
        row("Association Les Coteaux Solidaires")[from],
        "bilan reçu"
    );

    // Last year's synthesis, beside it.
    let out = run(&["synthesis", "--annee", "2024-2025"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let previous = ws.join("sorties/synthese-2024-2025.xlsx");
    assert!(
        stdout(&out)
            .trim()
            .ends_with("sorties/synthese-2024-2025.xlsx"),
        "{}",
        stdout(&out)
    );
    let totaux = sheet_rows(&previous, "Totaux");
    assert!(totaux[0][0].contains("2024-2025"), "{:?}", totaux[0]);
    assert_eq!(actions(&totaux), "2");
    assert_eq!(sheet_rows(&previous, "Synthèse").len(), 1 + 2);
    // The current synthesis is untouched by it.
    assert_eq!(sheet_rows(&current, "Synthèse").len(), 1 + 2);

    let out = run(&["synthesis", "--annee", "2019-2020"], ws);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("aucun document de l'année scolaire 2019-2020")
            && stderr(&out).contains("2024-2025, 2025-2026"),
        "{}",
        stderr(&out)
    );

    // A letter written is recorded and shows in the Suivi.
    let out = run(&["relance"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The index of the letters: counts are numbers (37 sorts after 6), the rest text.
    {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let mut wb: Xlsx<_> =
            open_workbook(ws.join("sorties/relances/index-relances.xlsx")).unwrap();
        let courriers = wb.worksheet_range("Courriers").unwrap();
        let header: Vec<String> = courriers
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let errors = header.iter().position(|h| h == "Erreurs").unwrap();
        let file = header.iter().position(|h| h == "Fichier").unwrap();
        let rows: Vec<&[Data]> = courriers.rows().skip(1).collect();
        assert!(!rows.is_empty());
        for r in rows {
            assert!(
                matches!(r[errors], Data::Float(_)),
                "Erreurs : {:?}",
                r[errors]
            );
            assert!(matches!(r[file], Data::String(_)));
        }
    }
    let out = run(&["synthesis"], ws);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let suivi = sheet_rows(&current, "Suivi");
    let sent = column(&suivi, "Relance écrite le");
    let reply = column(&suivi, "Réponse attendue le");
    let written: Vec<&Vec<String>> = suivi[1..].iter().filter(|r| !r[sent].is_empty()).collect();
    assert!(
        !written.is_empty(),
        "aucune relance dans le Suivi : {suivi:?}"
    );
    assert!(
        written
            .iter()
            .all(|r| !r[reply].is_empty() && r[bilan] == "reçu")
    );
}
