//! The page in a real headless Chromium, driven through chromedriver: every page opened
//! (screenshots to `CLAS_REVIEW_SCREENSHOTS` when set, to look at), the keyboard reaches the
//! content, and an agent corrects « une quinzaine » to 15 with a reason: the finding goes and
//! the synthesis says 15. Skipped, with a message, without Debian's `chromium` and
//! `chromium-driver`.

use crate::common::repo;
use crate::http::get;
use crate::webdriver::{Browser, missing};
use crate::{Served, quinzaine_bilan, screenshots, workspace};

fn skip() -> bool {
    if let Some(why) = missing() {
        eprintln!("test du navigateur ignoré : {why}");
        return true;
    }
    false
}

#[test]
fn every_page_in_a_real_browser() {
    if skip() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let bilan = quinzaine_bilan(scratch.path(), "Maison des Lilas", "4");
    let ws = workspace(&[
        bilan,
        repo().join("samples/coteaux-solidaires-duras.docx"),
        repo().join("samples/presence/coteaux-solidaires-duras.xlsx"),
        repo().join("samples/espace-jeunes-fumel.docx"),
    ]);
    let page = Served::start(ws.path(), &["review", "--no-browser"]);
    let b = Browser::start();
    let shots = screenshots();
    let queue = get(page.port, "/a-revoir").text();
    // The Lilas bilan's action: the link of its first row in the queue.
    let action = queue
        .split("Maison des Lilas")
        .nth(1)
        .and_then(|s| s.split("/action/").nth(1))
        .and_then(|s| s.split(['#', '"']).next())
        .unwrap()
        .to_string();
    for (name, path, title) in [
        ("tableau-de-bord", "/".to_string(), "Tableau de bord"),
        ("a-revoir", "/a-revoir".to_string(), "À revoir"),
        ("action", format!("/action/{action}"), "Maison des Lilas"),
        ("journal", "/journal".to_string(), "Journal des corrections"),
        ("presence", "/presence".to_string(), "Présence"),
    ] {
        b.goto(&format!("{}{}", page.url, &path[1..]));
        assert!(b.title().contains(title), "{path} : {}", b.title());
        let h1 = b.find("h1");
        assert!(b.text_of(&h1).contains(title), "{path}");
        if let Some(dir) = &shots {
            b.screenshot(&dir.join(format!("{name}.png")));
            if name == "action" {
                b.print(&dir.join("action-imprimee.pdf"));
            }
        }
    }
    // The keyboard: the first Tab reaches the link that skips to the content, the next ones
    // the navigation.
    b.goto(&page.url);
    b.press("\u{E004}");
    let skip = b.active();
    assert_eq!(b.text_of(&skip), "Aller au contenu");
    b.press("\u{E004}");
    let brand = b.active();
    assert_eq!(b.attribute(&brand, "href").as_deref(), Some("/"));
    b.press("\u{E004}");
    b.press("\u{E004}");
    let queue_link = b.active();
    assert_eq!(b.text_of(&queue_link), "À revoir");
    b.press("\u{E007}");
    assert!(b.url().ends_with("/a-revoir"), "{}", b.url());
    // Every input of every form has its label.
    b.goto(&format!("{}action/{action}", page.url));
    let html = b.source();
    for input in html.split("<input").skip(1) {
        let tag = input.split('>').next().unwrap();
        if tag.contains("type=\"hidden\"") {
            continue;
        }
        let id = tag
            .split("id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("an input without id: {tag}"));
        assert!(html.contains(&format!("for=\"{id}\"")), "no label for {id}");
    }
}

#[test]
fn an_agent_corrects_une_quinzaine_and_the_synthesis_says_15() {
    if skip() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let bilan = quinzaine_bilan(scratch.path(), "Maison des Lilas", "4");
    let ws = workspace(&[bilan]);
    let page = Served::start(ws.path(), &["review", "--no-browser"]);
    let b = Browser::start();
    b.goto(&format!("{}a-revoir", page.url));
    assert!(b.source().contains("une quinzaine"));
    let link = b.find("a[href$='#champ-familles.nombre']");
    b.click(&link);
    let summary = b.find("[id='champ-familles.nombre'] details.edit summary");
    b.click(&summary);
    let value = b.find("[id='valeur-familles.nombre']");
    b.clear(&value);
    b.type_text(&value, "15");
    let motif = b.find("[id='motif-familles.nombre']");
    b.type_text(&motif, "Appel du porteur : 15 familles");
    let submit = b.find("[id='champ-familles.nombre'] button[type=submit]");
    b.click(&submit);
    let html = b.source();
    assert!(html.contains("Correction enregistrée"), "{html}");
    let field = b.find("[id='champ-familles.nombre']");
    let text = b.text_of(&field);
    assert!(text.contains("15"), "{text}");
    assert!(!text.contains("reponse.illisible"), "{text}");
    if let Some(dir) = screenshots() {
        b.screenshot(&dir.join("action-corrigee.png"));
    }
    b.goto(&format!("{}a-revoir", page.url));
    assert!(!b.source().contains("une quinzaine"));
    b.goto(&format!("{}journal", page.url));
    assert!(b.source().contains("Appel du porteur : 15 familles"));
    if let Some(dir) = screenshots() {
        b.screenshot(&dir.join("journal-rempli.png"));
    }
    // The synthesis, downloaded from the dashboard's link, says 15.
    b.goto(&page.url);
    let link = b.find("a[href='/sorties/synthese.xlsx']");
    let href = b.attribute(&link, "href").unwrap();
    let a = get(page.port, &href);
    assert_eq!(a.status, 200);
    let path = scratch.path().join("synthese.xlsx");
    std::fs::write(&path, &a.body).unwrap();
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(&path).unwrap();
    // The table of the actions (the dashboard, Totaux, opens first).
    let range = wb.worksheet_range("Synthèse").unwrap();
    let header = range.rows().find(|r| {
        r.iter()
            .any(|c| c.to_string().to_lowercase().contains("familles"))
    });
    let header = header.expect("a header naming the families");
    let col = header
        .iter()
        .position(|c| c.to_string().to_lowercase().contains("familles"))
        .unwrap();
    let row = range
        .rows()
        .find(|r| r.iter().any(|c| c.to_string().contains("Maison des Lilas")))
        .expect("the action's row");
    assert_eq!(row[col].to_string(), "15", "{row:?}");
}
