//! The page read with a plain HTTP client: every page answers, in French; the security
//! checks refuse what they must; children's names never appear; a value from a form is
//! escaped; new documents show without a restart; `clas` alone runs the watcher and the page.

use crate::common::{self, repo};
use crate::http::{self, form, get, request};
use crate::{Served, quinzaine_bilan, workspace};

fn presence_samples() -> Vec<std::path::PathBuf> {
    ["coteaux-solidaires-duras", "centre-social-du-pin"]
        .iter()
        .flat_map(|s| {
            [
                repo().join(format!("samples/{s}.docx")),
                repo().join(format!("samples/presence/{s}.xlsx")),
            ]
        })
        .collect()
}

/// Every child of the attendance samples (their golden JSON), as « Prénom Nom » and « Nom
/// Prénom » (a referent of a bilan may share a child's surname: whole names are what must
/// never show).
fn children_names() -> Vec<String> {
    let mut names = Vec::new();
    for s in ["coteaux-solidaires-duras", "centre-social-du-pin"] {
        let text =
            std::fs::read_to_string(repo().join(format!("samples/presence/{s}.json"))).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        for c in json["collectifs"].as_array().unwrap() {
            for e in c["enfants"].as_array().unwrap() {
                let (nom, prenom) = (e["nom"].as_str().unwrap(), e["prenom"].as_str().unwrap());
                names.push(format!("{prenom} {nom}"));
                names.push(format!("{nom} {prenom}"));
            }
        }
    }
    assert!(names.len() > 10, "{names:?}");
    names
}

#[test]
fn every_page_answers_and_no_child_is_named() {
    let ws = workspace(&presence_samples());
    let page = Served::start(ws.path(), &["review", "--no-browser"]);
    let names = children_names();
    let mut seen = Vec::new();
    let mut check = |path: &str, a: &http::Answer| {
        let text = a.text();
        for n in &names {
            assert!(
                !text.contains(n.as_str()),
                "{path} : le nom d'enfant « {n} » apparaît dans la page"
            );
        }
        assert!(
            a.header("Content-Security-Policy")
                .is_some_and(|c| c.contains("default-src 'none'")),
            "{path}"
        );
        seen.push(path.to_string());
    };
    for (path, expect) in [
        ("/", "Documents reçus en"),
        ("/a-revoir", "Les plus graves d'abord"),
        ("/presence", "Taux de présence"),
        ("/journal", "Journal des corrections"),
    ] {
        let a = get(page.port, path);
        assert_eq!(a.status, 200, "{path}");
        assert!(a.text().contains(expect), "{path} : {}", a.text());
        assert!(a.text().contains("<html lang=\"fr\">"), "{path}");
        check(path, &a);
    }
    // Every action's page (the attendance workbooks' figures are on them).
    let queue = get(page.port, "/").text() + &get(page.port, "/presence").text();
    let mut actions: Vec<String> = queue
        .match_indices("href=\"/action/")
        .map(|(i, _)| queue[i + 6..].split(['"', '#']).next().unwrap().to_string())
        .collect();
    actions.sort();
    actions.dedup();
    assert!(actions.len() >= 2, "{actions:?}");
    for path in &actions {
        let a = get(page.port, path);
        assert_eq!(a.status, 200, "{path}");
        check(path, &a);
    }
    let presence = get(page.port, "/presence").text();
    assert!(presence.contains("Coteaux Solidaires"), "{presence}");
    assert!(presence.contains(" %</td>"), "rates: {presence}");
    // The style sheet is in the binary; an unknown page is a French 404.
    let html = get(page.port, "/").text();
    let css = html
        .split("href=\"")
        .find(|s| s.starts_with("/assets/"))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let a = get(page.port, &css);
    assert_eq!(a.status, 200);
    assert!(a.header("Content-Type").unwrap().starts_with("text/css"));
    assert!(a.text().contains("@media print"));
    let a = get(page.port, "/nulle-part");
    assert_eq!(a.status, 404);
    assert!(a.text().contains("Page introuvable"));
    // An attendance workbook is never offered for download (children's names).
    let a = get(page.port, "/fichier/2");
    assert!(a.status == 403 || !a.text().contains("PK"), "{}", a.status);
    assert!(seen.len() >= 6);
}

#[test]
fn a_foreign_host_and_a_change_without_the_token_are_refused() {
    let ws = workspace(&[]);
    let page = Served::start(ws.path(), &["review", "--no-browser"]);
    let p = page.port;
    // DNS rebinding: a site whose name resolves to 127.0.0.1 sends its own name.
    for host in [
        format!("evil.example:{p}"),
        "127.0.0.1".into(),
        format!("127.0.0.1:{}", p.wrapping_add(1)),
        String::new(),
    ] {
        let a = request(p, "GET", "/", &host, &[], b"");
        assert_eq!(a.status, 421, "Host « {host} »");
        assert!(a.text().contains("refusée"), "{}", a.text());
    }
    assert_eq!(
        request(p, "GET", "/", &format!("localhost:{p}"), &[], b"").status,
        200
    );
    let body = form(&[
        ("champ", "familles.nombre"),
        ("valeur", "15"),
        ("motif", "appel"),
    ]);
    let own = format!("127.0.0.1:{p}");
    let ctype = ("Content-Type", "application/x-www-form-urlencoded");
    // No token, a wrong token, a foreign origin: 403, nothing changed.
    let a = request(p, "POST", "/action/1/corriger", &own, &[ctype], &body);
    assert_eq!(a.status, 403);
    assert!(a.text().contains("jeton"), "{}", a.text());
    let mut with_token = body.clone();
    with_token.extend_from_slice(b"&jeton=0123456789abcdef");
    let a = request(p, "POST", "/action/1/corriger", &own, &[ctype], &with_token);
    assert_eq!(a.status, 403);
    let a = request(
        p,
        "POST",
        "/action/1/corriger",
        &own,
        &[ctype, ("Origin", "http://evil.example")],
        &with_token,
    );
    assert_eq!(a.status, 403);
    assert!(a.text().contains("origine"), "{}", a.text());
    let out = common::run(&["corrections", "--json"], ws.path());
    assert!(common::stdout(&out).trim().is_empty() || !out.status.success());
    // The port asked for is taken: a French message and exit 2.
    let o = common::run(
        &["review", "--no-browser", "--port", &p.to_string()],
        ws.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::stderr(&o).contains("impossible d'écouter"),
        "{}",
        common::stderr(&o)
    );
}

#[test]
fn form_text_is_escaped_and_new_documents_show_without_restart() {
    let scratch = tempfile::tempdir().unwrap();
    let ws = workspace(&[]);
    let page = Served::start(ws.path(), &["review", "--no-browser"]);
    let a = get(page.port, "/");
    assert!(a.text().contains("0</span>"), "an empty store");
    // A porteur that tries to be HTML, read while the page runs.
    let bilan = quinzaine_bilan(scratch.path(), "<script>alert(1)</script> & Cie", "3");
    let o = common::run(&["ingest", &bilan.display().to_string()], ws.path());
    assert!(o.status.code().unwrap_or(9) <= 1, "{}", common::stderr(&o));
    let queue = get(page.port, "/a-revoir").text();
    assert!(
        queue.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie"),
        "{queue}"
    );
    assert!(!queue.contains("<script>"));
    assert!(
        queue.contains("une quinzaine"),
        "the unreadable value is in the queue"
    );
    let action = queue
        .split("href=\"/action/")
        .nth(1)
        .and_then(|s| s.split(['"', '#']).next())
        .unwrap()
        .to_string();
    let a = get(page.port, &format!("/action/{action}"));
    assert_eq!(a.status, 200);
    let text = a.text();
    assert!(!text.contains("<script>"));
    // Where the value was found, as `clas extract --explain` says.
    assert!(text.contains("Trouvée par"), "{text}");
    assert!(text.contains("illisible : « une quinzaine »"), "{text}");
    // The synthesis is offered for download, and only files of sorties/.
    let a = get(page.port, "/sorties/synthese.xlsx");
    assert_eq!(a.status, 200);
    assert!(
        a.header("Content-Disposition")
            .unwrap()
            .contains("synthese.xlsx")
    );
    assert_eq!(&a.body[..2], b"PK");
    assert_eq!(get(page.port, "/sorties/../clas.db").status, 404);
    assert_eq!(get(page.port, "/sorties/%2e%2e/clas.db").status, 404);
    // The journal exports as CSV for a spreadsheet.
    let a = get(page.port, "/journal.csv");
    assert_eq!(a.status, 200);
    assert!(
        a.text().starts_with("\u{feff}Date;Auteur;Porteur"),
        "{}",
        a.text()
    );
}

#[test]
fn clas_alone_runs_the_watcher_and_the_page_in_a_workspace_only() {
    let empty = tempfile::tempdir().unwrap();
    let o = common::run(&[], empty.path());
    assert_eq!(o.status.code(), Some(2));
    let err = common::stderr(&o);
    assert!(err.contains("clas init"), "{err}");
    assert!(err.contains("n'est pas un espace de travail"), "{err}");
    let o = common::run(&["review", "--no-browser"], empty.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        !empty.path().join("clas.db").exists(),
        "no store made outside a workspace"
    );

    let ws = workspace(&[]);
    let page = Served::start(ws.path(), &[]);
    assert_eq!(get(page.port, "/").status, 200);
    // The watcher is at work: a bilan dropped in depot/ shows on the page.
    let scratch = tempfile::tempdir().unwrap();
    let bilan = quinzaine_bilan(scratch.path(), "Centre social des Lilas", "2");
    std::fs::copy(&bilan, ws.path().join("depot/bilan-lilas.docx")).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if get(page.port, "/a-revoir")
            .text()
            .contains("Centre social des Lilas")
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the dropped bilan never showed"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let status = page.terminate();
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
}

/// The page's token, from the hidden field of its forms.
fn token(html: &str) -> String {
    html.split("name=\"jeton\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a form with the page's token")
        .to_string()
}

#[test]
fn a_correction_from_the_page_is_typed_needs_a_reason_and_goes_to_the_journal() {
    let scratch = tempfile::tempdir().unwrap();
    let bilan = quinzaine_bilan(scratch.path(), "Centre social des Lilas", "2");
    let ws = workspace(&[bilan]);
    let page = Served::start(ws.path(), &["review", "--no-browser"]);
    let p = page.port;
    let queue = get(p, "/a-revoir").text();
    let action = queue
        .split("#champ-familles.nombre")
        .next()
        .and_then(|s| s.rsplit("/action/").next())
        .unwrap()
        .to_string();
    let html = get(p, &format!("/action/{action}")).text();
    let jeton = token(&html);
    let own = format!("127.0.0.1:{p}");
    let origin = format!("http://127.0.0.1:{p}");
    let post = |valeur: &str, motif: &str| {
        request(
            p,
            "POST",
            &format!("/action/{action}/corriger"),
            &own,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", &origin),
            ],
            &form(&[
                ("jeton", &jeton),
                ("champ", "familles.nombre"),
                ("valeur", valeur),
                ("motif", motif),
            ]),
        )
    };
    // A value of the wrong type: refused with the reason, what was typed kept (escaped).
    let a = post("une <b>vingtaine</b>", "appel");
    assert_eq!(a.status, 400);
    let text = a.text();
    assert!(text.contains("Correction refusée"), "{text}");
    assert!(text.contains("nombre"), "{text}");
    assert!(
        text.contains("value=\"une &lt;b&gt;vingtaine&lt;/b&gt;\""),
        "{text}"
    );
    // No reason: refused.
    let a = post("15", "  ");
    assert_eq!(a.status, 400);
    assert!(a.text().contains("motif"), "{}", a.text());
    // Accepted: back to the field, the finding gone, the value in force, the journal written.
    let a = post("15", "=appel du porteur le 2 décembre");
    assert_eq!(a.status, 303, "{}", a.text());
    let location = a.header("Location").unwrap().to_string();
    assert!(location.contains("#champ-familles.nombre"), "{location}");
    let html = get(p, location.split('#').next().unwrap()).text();
    assert!(html.contains("Correction enregistrée"), "{html}");
    let field = html
        .split("id=\"champ-familles.nombre\"")
        .nth(1)
        .unwrap()
        .split("class=\"field")
        .next()
        .unwrap();
    assert!(
        field.contains(">15 <span class=\"badge fix\">corrigée"),
        "{field}"
    );
    assert!(!field.contains("reponse.illisible"), "{field}");
    assert!(!get(p, "/a-revoir").text().contains("une quinzaine"));
    let journal = get(p, "/journal?q=lilas").text();
    assert!(
        journal.contains("=appel du porteur le 2 décembre"),
        "{journal}"
    );
    assert!(
        journal.contains("1 correction(s) affichée(s) sur 1"),
        "{journal}"
    );
    assert!(
        get(p, "/journal?q=inconnu")
            .text()
            .contains("0 correction(s) affichée(s) sur 1")
    );
    // The CSV export never holds a formula.
    let csv = get(p, "/journal.csv?q=lilas").text();
    assert!(csv.contains(";'=appel du porteur le 2 décembre;"), "{csv}");
    // The command line sees the same journal.
    let out = common::run(&["corrections", "--json"], ws.path());
    let line: serde_json::Value =
        serde_json::from_str(common::stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(line["field"], "familles.nombre");
    assert_eq!(line["after"], 15);
}

#[test]
fn a_scan_is_typed_by_hand_and_a_bilan_without_number_gets_its_action() {
    let ws = workspace(&[
        repo().join("samples/pdf/refus-scan.pdf"),
        repo().join("samples/maison-quartiers-marmande.docx"),
    ]);
    let page = Served::start(ws.path(), &["review", "--no-browser"]);
    let p = page.port;
    let queue = get(p, "/a-revoir").text();
    assert!(queue.contains("Saisie manuelle nécessaire"), "{queue}");
    let doc_link = |name: &str| {
        queue
            .split(name)
            .nth(1)
            .and_then(|s| s.split("/document/").nth(1))
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("a link to {name}"))
            .to_string()
    };
    let own = format!("127.0.0.1:{p}");
    let post = |path: &str, pairs: &[(&str, &str)]| {
        request(
            p,
            "POST",
            path,
            &own,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &form(pairs),
        )
    };
    // The scan: its page offers the manual entry of a bilan, every input labelled.
    let scan = doc_link("refus-scan.pdf");
    let html = get(p, &format!("/document/{scan}")).text();
    assert!(html.contains("Saisie manuelle"), "{html}");
    assert!(html.contains("for=\"saisie-familles.nombre\""), "{html}");
    let jeton = token(&html);
    let path = format!("/document/{scan}/saisie");
    let a = post(
        &path,
        &[
            ("jeton", &jeton),
            ("formulaire", "bilan"),
            ("v:porteur.nom", "Association du Scan"),
            ("v:action.numero", "9"),
            ("v:familles.nombre", "une dizaine"),
            ("motif", "bilan papier scanné"),
        ],
    );
    assert_eq!(a.status, 400, "a number in words is refused");
    assert!(
        a.text().contains("value=\"une dizaine\""),
        "what was typed is kept"
    );
    let a = post(
        &path,
        &[
            ("jeton", &jeton),
            ("formulaire", "bilan"),
            ("v:porteur.nom", "Association du Scan"),
            ("v:action.numero", "9"),
            ("v:familles.nombre", "12"),
            ("motif", "bilan papier scanné"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.text());
    let action = a.header("Location").unwrap().to_string();
    let html = get(p, &action).text();
    assert!(html.contains("Association du Scan"), "{html}");
    assert!(
        html.contains("saisie-manuelle"),
        "the manual record is the reading: {html}"
    );
    // The bilan without an action number: corrected from its document page, it joins an
    // action and the agent lands there.
    let marmande = doc_link("maison-quartiers-marmande.docx");
    let html = get(p, &format!("/document/{marmande}")).text();
    assert!(html.contains("aucune action"), "{html}");
    let a = post(
        &format!("/document/{marmande}/corriger"),
        &[
            ("jeton", &token(&html)),
            ("champ", "action.numero"),
            ("valeur", "6"),
            ("motif", "numéro donné par téléphone"),
        ],
    );
    assert_eq!(a.status, 303, "{}", a.text());
    let location = a.header("Location").unwrap().to_string();
    assert!(location.starts_with("/action/"), "{location}");
    let html = get(p, location.split('#').next().unwrap()).text();
    assert!(html.contains("action n° 6"), "{html}");
}
