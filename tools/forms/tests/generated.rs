//! Checks of what `clas-forms` writes: valid packages, well-formed XML, byte-identical
//! regeneration, faithfulness to the seeds, golden files, and the rules each sample is
//! documented to respect or break.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use clas_forms::bilan::{Answer, BilanAnswers, FIELDS, FieldType};
use clas_forms::samples::{bilan_samples, generate, note_samples};
use clas_forms::xml::{Event, check_well_formed, events, paragraphs};
use serde_json::Value as Json;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("clas-forms-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn parts(docx: &Path) -> Vec<(String, String)> {
    let f = fs::File::open(docx).unwrap_or_else(|e| panic!("{}: {e}", docx.display()));
    let mut z =
        zip::ZipArchive::new(f).unwrap_or_else(|e| panic!("{}: not a zip: {e}", docx.display()));
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut s = String::new();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            e.read_to_string(&mut s)
                .unwrap_or_else(|err| panic!("{}:{name}: {err}", docx.display()));
            out.push((name, s));
        }
    }
    out
}

fn part(docx: &Path, name: &str) -> String {
    parts(docx)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{}: no {name}", docx.display()))
        .1
}

fn docx_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == "docx"));
    v.sort();
    v
}

#[test]
fn every_part_of_every_file_is_well_formed() {
    let dir = temp("wf");
    generate(&dir).unwrap();
    let mut files = Vec::new();
    for base in [dir.clone(), repo()] {
        files.extend(docx_files(&base.join("forms")));
        files.extend(docx_files(&base.join("samples")));
    }
    assert!(files.len() >= 2 * 14, "files: {files:?}");
    for f in &files {
        let ps = parts(f);
        let names: Vec<&str> = ps.iter().map(|(n, _)| n.as_str()).collect();
        for required in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
        ] {
            assert!(names.contains(&required), "{}: no {required}", f.display());
        }
        for (name, xml) in &ps {
            if let Err(e) = check_well_formed(xml) {
                panic!("{}:{name}: {e}", f.display());
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn regeneration_is_byte_identical_to_the_committed_files() {
    let dir = temp("regen");
    let written = generate(&dir).unwrap();
    for f in &written {
        let rel = f.strip_prefix(&dir).unwrap();
        let committed = repo().join(rel);
        let a = fs::read(f).unwrap();
        let b = fs::read(&committed)
            .unwrap_or_else(|e| panic!("{}: {e} (run clas-forms)", committed.display()));
        assert!(
            a == b,
            "{} differs from a fresh generation (run clas-forms)",
            rel.display()
        );
    }
    // Twice in a row gives the same bytes too.
    let again = temp("regen2");
    generate(&again).unwrap();
    for f in &written {
        let rel = f.strip_prefix(&dir).unwrap();
        assert_eq!(
            fs::read(f).unwrap(),
            fs::read(again.join(rel)).unwrap(),
            "{}",
            rel.display()
        );
    }
    // Nothing stale in the committed folders besides the LibreOffice re-save.
    for sub in ["forms", "samples"] {
        for e in fs::read_dir(repo().join(sub)).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(repo()).unwrap().to_path_buf();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            // Other tools may write other kinds of samples here (spreadsheets, PDF, the letter
            // template of src/letters): only .docx files and the JSON beside them are ours.
            let ours =
                (name.ends_with(".docx") && name != "relance.docx" && name != "verification.docx")
                    || (name.ends_with(".json") && p.with_extension("docx").exists());
            let known = written.iter().any(|w| w.strip_prefix(&dir).unwrap() == rel);
            assert!(
                !ours || known || name.contains("-libreoffice."),
                "unexpected file {}",
                rel.display()
            );
        }
    }
    let _ = fs::remove_dir_all(&dir);
    let _ = fs::remove_dir_all(&again);
}

/// Whitespace (not the no-break space) collapsed, trimmed.
fn norm(s: &str) -> String {
    s.split([' ', '\t', '\r'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn seed_lines(name: &str) -> Vec<String> {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/seeds")
            .join(name),
    )
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with("[bookmark:"))
        .map(|l| norm(l.trim_start_matches(['\t', ' ']).trim_start_matches("· ")))
        .filter(|l| !l.is_empty())
        .collect()
}

fn doc_lines(xml: &str, drop_checkboxes: bool) -> Vec<String> {
    paragraphs(xml)
        .unwrap()
        .iter()
        .flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>())
        .map(|l| {
            if drop_checkboxes {
                l.replace(" FORMCHECKBOX ", " ")
            } else {
                l
            }
        })
        .map(|l| norm(&l))
        .filter(|l| !l.is_empty())
        .collect()
}

fn assert_same_lines(what: &str, got: &[String], want: &[String]) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "{what}: line {i} differs");
    }
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: {} lines, seed has {}",
        got.len(),
        want.len()
    );
}

#[test]
fn blank_bilan_has_the_seed_text_in_order() {
    let doc = repo().join("forms/bilan-clas.docx");
    let mut got = doc_lines(&part(&doc, "word/document.xml"), false);
    got.extend(doc_lines(&part(&doc, "word/footer1.xml"), false));
    let mut want = seed_lines("003-bilan.txt");
    // The footer's PAGE field shows the page number: the seed was exported from page 2.
    assert_eq!(want.pop().as_deref(), Some("2"));
    assert_eq!(got.pop().as_deref(), Some("1"));
    assert_same_lines("bilan", &got, &want);
}

#[test]
fn blank_bilan_has_104_legacy_checkboxes_as_word_writes_them() {
    let xml = part(&repo().join("forms/bilan-clas.docx"), "word/document.xml");
    assert_eq!(xml.matches(" FORMCHECKBOX ").count(), 6 + 2 * 49);
    for n in 1..=104 {
        let field = format!(
            r#"<w:bookmarkStart w:id="{}" w:name="CaseACocher{n}"/><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="CaseACocher{n}"/><w:enabled/><w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/><w:default w:val="0"/></w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:bookmarkEnd w:id="{}"/>"#,
            n - 1,
            n - 1
        );
        assert!(xml.contains(&field), "CaseACocher{n}");
    }
    assert!(!xml.contains("w:checked"));
    for style in ["Titre1", "Titre2", "Titre", "Paragraphedeliste"] {
        assert!(
            xml.contains(&format!(r#"<w:pStyle w:val="{style}"/>"#)),
            "{style}"
        );
    }
    let styles = part(&repo().join("forms/bilan-clas.docx"), "word/styles.xml");
    assert!(styles.contains(r#"w:styleId="Titre1"><w:name w:val="heading 1"/>"#));
    assert!(styles.contains(r#"<w:name w:val="Titre 1 Car"/>"#));
    assert!(xml.contains(r#"mc:Ignorable="w14""#));
}

#[test]
fn blank_note_has_the_seed_text_in_order() {
    let doc = repo().join("forms/note-strategique.docx");
    let mut got = doc_lines(&part(&doc, "word/header1.xml"), true);
    got.extend(doc_lines(&part(&doc, "word/document.xml"), true));
    let want = seed_lines("002-note-strategique.txt");
    assert_same_lines("note", &got, &want);
}

#[test]
fn note_dispositifs_table_is_a_real_table() {
    let xml = part(
        &repo().join("forms/note-strategique.docx"),
        "word/document.xml",
    );
    let tables: Vec<&str> = xml.split("<w:tbl>").skip(1).collect();
    let disp = tables
        .iter()
        .find(|t| t.contains("TOTAL ELEMENTAIRE"))
        .expect("dispositifs table");
    let grid = disp
        .split("<w:tblGrid>")
        .nth(1)
        .unwrap()
        .split("</w:tblGrid>")
        .next()
        .unwrap();
    assert_eq!(grid.matches("<w:gridCol ").count(), 10);
    assert_eq!(disp.matches(r#"<w:gridSpan w:val="2"/>"#).count(), 2);
    assert_eq!(disp.matches(r#"<w:gridSpan w:val="10"/>"#).count(), 3);
    // Rows: header, then per level title + column headers + rows + total.
    let rows = disp
        .split("</w:tbl>")
        .next()
        .unwrap()
        .matches("<w:tr ")
        .count();
    assert_eq!(rows, 1 + 3 * 3 + 4 + 4 + 3);
    assert_eq!(xml.matches(" FORMCHECKBOX ").count(), 6);
}

#[test]
fn convention_is_the_seed_with_placeholders() {
    let doc = repo().join("forms/convention.docx");
    let xml = part(&doc, "word/document.xml");
    let got = doc_lines(&xml, false);
    let subst: &[(&str, &str)] = &[
        (
            "Année scolaire 2026/2027",
            "Année scolaire {{annee_scolaire}}",
        ),
        ("X (identification", "{{etablissement}} (identification"),
        ("Y (identification", "{{porteur}} (identification"),
        ("ville de Limoges (cf", "ville de {{territoire}} (cf"),
        ("commune de … (études", "commune de {{territoire}} (études"),
        (
            "arrivés à Limoges (à adapter)",
            "arrivés à {{territoire}} (à adapter)",
        ),
        (
            "du …………….. 2026 au ………………….2027",
            "du {{date_debut}} au {{date_fin}}",
        ),
        (
            "de ……..situés\u{a0}: ……………………",
            "de {{nature_locaux}} situés\u{a0}: {{adresse_locaux}}",
        ),
        ("Fait à ……….", "Fait à {{ville_caf}}"),
        ("Le……………….", "Le {{date_signature}}"),
        ("Xxxxxxxxxxxxx", "{{gestionnaire}}"),
        ("XXXXXXXXXXXXX", "{{signataire_ecole}}"),
        ("Xxxxxxxxx", "{{signataire_etablissement}}"),
    ];
    let want: Vec<String> = seed_lines("000-convention.txt")
        .into_iter()
        .map(|l| {
            for (from, to) in subst {
                if l.contains(from) {
                    return l.replacen(from, to, 1);
                }
            }
            l
        })
        .collect();
    assert_same_lines("convention", &got, &want);
    // Every placeholder is there; at least three are split across runs.
    let text = got.join("\n");
    let mut split = 0;
    for p in clas_forms::convention::PLACEHOLDERS {
        let ph = format!("{{{{{p}}}}}");
        assert!(text.contains(&ph), "{ph}");
        if !xml.contains(&ph) {
            split += 1;
        }
    }
    assert!(split >= 3, "{split} split placeholders");
    assert!(xml.contains("w:proofErr") && xml.contains("_Hlk"));
    let numbering = part(&doc, "word/numbering.xml");
    assert!(numbering.contains(r#"<w:numFmt w:val="bullet"/>"#));
}

fn dictionary() -> Vec<(String, String)> {
    let csv = fs::read_to_string(repo().join("dictionaries/bilan-fields.csv")).unwrap();
    csv.lines()
        .skip(1)
        .map(|l| {
            let mut it = l.splitn(3, ',');
            (
                it.next().unwrap().to_string(),
                it.next().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn fields_match_the_dictionary() {
    let dict = dictionary();
    assert_eq!(dict.len(), FIELDS.len());
    for ((id, kind), def) in dict.iter().zip(FIELDS) {
        assert_eq!(id, def.id);
        let k = match def.kind {
            FieldType::Text => "text",
            FieldType::Integer => "integer",
            FieldType::Decimal => "decimal",
            FieldType::Date => "date",
            FieldType::YesNo => "yesno",
            FieldType::Check => "check",
        };
        assert_eq!(kind, k, "{id}");
    }
}

fn read_json(p: &Path) -> Json {
    serde_json::from_str(&fs::read_to_string(p).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn golden_files_have_every_field_with_its_type() {
    let dict = dictionary();
    let mut n = 0;
    for f in fs::read_dir(repo().join("samples")).unwrap() {
        let p = f.unwrap().path();
        let docx = p.with_extension("docx");
        if p.extension().is_none_or(|e| e != "json") || !docx.exists() {
            continue;
        }
        let j = read_json(&p);
        assert_eq!(
            j["file"],
            Json::from(docx.file_name().unwrap().to_string_lossy().to_string())
        );
        let fields = j["fields"].as_object().unwrap();
        let raw = fs::read_to_string(&p).unwrap();
        match j["form"].as_str().unwrap() {
            "bilan" => {
                n += 1;
                assert_eq!(fields.len(), 98, "{}", p.display());
                // Dictionary order in the file.
                let mut last = 0;
                for (id, kind) in &dict {
                    let pos = raw
                        .find(&format!("\"{id}\":"))
                        .unwrap_or_else(|| panic!("{id}"));
                    assert!(pos > last, "{}: {id} out of order", p.display());
                    last = pos;
                    let v = &fields[id];
                    let ok = match kind.as_str() {
                        "text" => {
                            v.is_null()
                                || v.as_str().is_some_and(|s| !s.is_empty() && s.trim() == s)
                        }
                        "integer" => v.is_null() || v.is_i64(),
                        "decimal" => v.is_null() || v.is_f64(),
                        "date" => {
                            v.is_null()
                                || v.as_str()
                                    .is_some_and(|s| s.len() == 10 && s.as_bytes()[4] == b'-')
                        }
                        "yesno" => v.is_null() || v.is_boolean(),
                        // Null only where the boxes were deleted and no option of the
                        // part carries a typed mark.
                        "check" => {
                            v.is_boolean()
                                || (v.is_null() && p.to_string_lossy().contains("croix-tapees"))
                        }
                        _ => false,
                    };
                    assert!(ok, "{}: {id} = {v}", p.display());
                }
            }
            "note-strategique" => {
                assert_eq!(fields.len(), 12);
                let rows = fields["dispositifs"].as_array().unwrap();
                assert!(!rows.is_empty());
                for r in rows {
                    let o = r.as_object().unwrap();
                    assert_eq!(o.len(), 11);
                    assert!(
                        ["elementaire", "college", "lycee"]
                            .contains(&o["niveau"].as_str().unwrap())
                    );
                }
            }
            other => panic!("form {other}"),
        }
    }
    assert!(n >= 10, "{n} bilan goldens");
}

#[test]
fn typed_answers_are_in_the_documents() {
    for s in bilan_samples() {
        let doc = repo().join("samples").join(format!("{}.docx", s.slug));
        let text = paragraphs(&part(&doc, "word/document.xml"))
            .unwrap()
            .join("\n");
        for def in FIELDS {
            match s.answers.get(def.id) {
                Answer::Text(t) => {
                    for line in t.split('\n') {
                        assert!(
                            text.contains(line),
                            "{}: {} line {line:?} not in the document",
                            s.slug,
                            def.id
                        );
                    }
                }
                Answer::Raw { written, .. } => {
                    assert!(text.contains(written.as_str()), "{}: {}", s.slug, def.id)
                }
                _ => {}
            }
        }
        // Golden file = golden of the answers.
        let j = read_json(&repo().join("samples").join(format!("{}.json", s.slug)));
        for (id, v) in s.answers.golden() {
            assert_eq!(j["fields"][id], v, "{}: {id}", s.slug);
        }
    }
}

#[test]
fn checkbox_markup_is_present_as_documented() {
    let xml = |slug: &str| {
        part(
            &repo().join("samples").join(format!("{slug}.docx")),
            "word/document.xml",
        )
    };
    let a = xml("cartables-du-passage");
    for m in [
        r#"<w:checked/>"#,
        r#"<w:checked w:val="1"/>"#,
        r#"<w:checked w:val="true"/>"#,
        r#"<w:checked w:val="0"/>"#,
    ] {
        assert!(a.contains(m), "{m}");
    }
    let b = xml("centre-social-du-pin");
    assert!(b.contains("<w14:checkbox>") && !b.contains("FORMCHECKBOX"));
    assert!(b.contains("<w:br/>") && b.contains("w:proofErr") && b.contains("_Hlk"));
    let c = xml("foyer-rural-castelmoron");
    assert!(!c.contains("FORMCHECKBOX") && c.contains(r#"<w:t xml:space="preserve">oui </w:t>"#));
    let d = xml("maison-quartiers-marmande");
    assert!(d.contains(" oui   </w:t>") && !d.contains("FORMCHECKBOX"));
    let e = xml("trait-union-tonneins");
    assert!(e.contains(">Oui</w:t>") && e.contains(">Non</w:t>"));
    let f = xml("savoirs-partages-nerac");
    assert!(f.contains(r#"<w:default w:val="1"/></w:checkBox>"#));
    assert!(f.contains(r#"<w:default w:val="1"/><w:checked w:val="0"/>"#));
    let g = xml("espace-jeunes-fumel");
    assert!(g.contains("FORMCHECKBOX") && g.contains("<w14:checkbox>") && g.contains("1\u{a0}150"));
}

// ---------------------------------------------------------------------------------------
// The national rules (docs/rules.md), evaluated on what the respondent meant, to check that
// each sample respects or breaks exactly what it says.
// ---------------------------------------------------------------------------------------

fn broken_rules(a: &BilanAnswers) -> BTreeSet<&'static str> {
    let g: std::collections::HashMap<&str, Json> = a.golden().into_iter().collect();
    let num = |id: &str| g[id].as_f64();
    let b = |id: &str| g[id].as_bool();
    let mut out = BTreeSet::new();
    if let (Some(e), Some(c)) = (num("enfants.total"), num("collectifs.nombre"))
        && !(8.0..=12.0).contains(&(e / c))
    {
        out.insert("collectif.taille");
    }
    if let (Some(i), Some(c)) = (num("intervenants.total"), num("collectifs.nombre"))
        && i / c < 2.0
    {
        out.insert("encadrement.minimum");
    }
    if num("calendrier.semaines").is_some_and(|s| s < 30.0) {
        out.insert("duree.semaines");
    }
    let date = |id: &str| {
        g[id].as_str().map(|s| {
            let p: Vec<i64> = s.split('-').map(|x| x.parse().unwrap()).collect();
            clas_forms::french::days(p[0] as i32, p[1] as u32, p[2] as u32)
        })
    };
    if let (Some(d), Some(f)) = (date("calendrier.debut"), date("calendrier.fin")) {
        let fits = num("calendrier.semaines").is_none_or(|s| s <= ((f - d) / 7 + 1) as f64);
        if f <= d || !fits {
            out.insert("calendrier.dates");
        }
    }
    let sum = |ids: &[&str]| ids.iter().map(|i| num(i)).sum::<Option<f64>>();
    let mut coherence = |rule, parts: &[&str], total: &str| {
        if let (Some(s), Some(t)) = (sum(parts), num(total))
            && (s - t).abs() > 1e-9
        {
            out.insert(rule);
        }
    };
    coherence(
        "coherence.enfants",
        &[
            "enfants.elementaire",
            "enfants.college",
            "enfants.lycee",
            "enfants.autres",
        ],
        "enfants.total",
    );
    coherence(
        "coherence.intervenants",
        &[
            "intervenants.salaries",
            "intervenants.volontaires",
            "intervenants.benevoles",
        ],
        "intervenants.total",
    );
    coherence(
        "coherence.heures",
        &["heures.salaries", "heures.volontaires", "heures.benevoles"],
        "heures.total",
    );
    if let (Some(r), Some(e), Some(i)) = (
        num("enfants.par_accompagnateur"),
        num("enfants.total"),
        num("intervenants.total"),
    ) && (r - e / i).abs() > 0.2 * (e / i)
    {
        out.insert("coherence.ratio");
    }
    if let (Some(f), Some(e)) = (num("familles.nombre"), num("enfants.total"))
        && f > e
    {
        out.insert("coherence.familles");
    }
    let required = [
        "porteur.nom",
        "action.numero",
        "enfants.total",
        "collectifs.nombre",
        "intervenants.total",
        "calendrier.semaines",
    ];
    for def in FIELDS {
        let a = a.get(def.id);
        match a {
            Answer::Both => {
                out.insert("reponse.contradictoire");
            }
            Answer::Raw {
                meant: Json::Null, ..
            } => {
                out.insert("reponse.illisible");
            }
            Answer::Empty if def.kind == FieldType::YesNo || required.contains(&def.id) => {
                out.insert("reponse.manquante");
            }
            _ => {}
        }
    }
    for sec in [
        "calendrier",
        "frequentation",
        "activites",
        "ouverture_culturelle",
        "projet_parents",
        "ecole",
    ] {
        if b(&format!("{sec}.ecart")) == Some(true)
            && g[format!("{sec}.ecart_raisons").as_str()].is_null()
        {
            out.insert("ecart.justification");
        }
    }
    // A condition fails when it is known false (a missing input gives no finding).
    let any = |ids: &[&str]| {
        let v: Vec<Option<bool>> = ids.iter().map(|i| b(i)).collect();
        if v.contains(&Some(true)) {
            Some(true)
        } else if v.iter().all(|x| *x == Some(false)) {
            Some(false)
        } else {
            None
        }
    };
    let axes: [(&str, Vec<Vec<&str>>); 3] = [
        (
            "axe.enfants",
            vec![
                vec!["activite.methodologie", "activite.travail_personnel"],
                vec!["activite.sorties", "activite.culture_sport"],
                vec!["suivi.mesure_assiduite"],
            ],
        ),
        (
            "axe.parents",
            vec![
                vec!["parents.reunion_information"],
                vec!["parents.convivialite"],
                vec!["parents.codes_ecole"],
                vec!["parents.partenaires"],
                vec!["parents.rencontres_individuelles", "parents.outils_liaison"],
            ],
        ),
        (
            "axe.ecole",
            vec![
                vec!["ecole.partenariat_formalise", "ecole.partenariat_informel"],
                vec!["ecole.orientation"],
                vec!["ecole.rencontres"],
            ],
        ),
    ];
    for (rule, conds) in axes {
        if conds.iter().any(|c| any(c) == Some(false)) {
            out.insert(rule);
        }
    }
    if g["territoire.articulations"].is_null() && g["territoire.acteurs"].is_null() {
        out.insert("axe.territoire");
    }
    let email_ok = g["referent.email"].as_str().is_none_or(|e| {
        let parts: Vec<&str> = e.split('@').collect();
        parts.len() == 2 && !parts[0].is_empty() && parts[1].contains('.')
    });
    let phone_ok = g["referent.telephone"].as_str().is_none_or(|t| {
        let digits: String = t
            .replace("+33", "0")
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        digits.len() == 10 && digits.starts_with('0')
    });
    if !email_ok || !phone_ok {
        out.insert("format.contact");
    }
    out
}

#[test]
fn samples_respect_or_break_the_national_rules_as_documented() {
    let samples = bilan_samples();
    let conforming = samples.iter().filter(|s| s.breaks.is_empty()).count();
    assert!(conforming >= 2);
    assert!(samples.len() >= 9);
    for s in &samples {
        let got = broken_rules(&s.answers);
        let want: BTreeSet<&str> = s.breaks.iter().copied().collect();
        assert_eq!(got, want, "{}", s.slug);
        if s.breaks.is_empty() {
            assert_eq!(s.answers.annee, 2025);
            assert!(
                s.answers.golden().iter().all(|(id, v)| !v.is_null()
                    || id.ends_with("ecart_raisons")
                    || *id == "projet_parents.detail"),
                "{}",
                s.slug
            );
        }
    }
}

#[test]
fn note_samples_totals_are_as_documented() {
    for n in note_samples() {
        let mut wrong = false;
        for level in 0..3 {
            let written = n.answers.total_written(level);
            if written.iter().any(|v| v.is_some()) && written != n.answers.sums(level) {
                wrong = true;
            }
        }
        assert_eq!(wrong, n.breaks.contains(&"note.totaux"), "{}", n.slug);
        let j = read_json(&repo().join("samples").join(format!("{}.json", n.slug)));
        let rows: usize = n.answers.rows.iter().map(Vec::len).sum();
        assert_eq!(j["fields"]["dispositifs"].as_array().unwrap().len(), rows);
    }
}

/// The document text contains no stray control of the generator (e.g. a placeholder left
/// in a filled bilan) and paragraphs are not nested.
#[test]
fn paragraphs_are_never_nested() {
    for f in docx_files(&repo().join("samples"))
        .into_iter()
        .chain(docx_files(&repo().join("forms")))
    {
        let xml = part(&f, "word/document.xml");
        let mut depth = 0;
        for e in events(&xml).unwrap() {
            match e {
                Event::Start(n, _) if n == "w:p" => {
                    depth += 1;
                    assert_eq!(depth, 1, "{}", f.display());
                }
                Event::End(n) if n == "w:p" => depth -= 1,
                _ => {}
            }
        }
    }
}

/// Opt-in (`CLAS_FORMS_SOFFICE=1`, needs LibreOffice): every file converts to PDF.
#[test]
fn libreoffice_converts_every_file() {
    if std::env::var("CLAS_FORMS_SOFFICE").ok().as_deref() != Some("1") {
        return;
    }
    let out = temp("pdf");
    let mut files = docx_files(&repo().join("forms"));
    files.extend(docx_files(&repo().join("samples")));
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            out.join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .args(&files)
        .status()
        .expect("soffice");
    assert!(status.success());
    for f in files {
        let pdf = out.join(f.with_extension("pdf").file_name().unwrap());
        assert!(
            fs::metadata(&pdf).map(|m| m.len() > 1000).unwrap_or(false),
            "{}",
            pdf.display()
        );
    }
    let _ = fs::remove_dir_all(&out);
}

/// The states of the boxes, in document order, read from legacy fields (`w:checked`
/// overriding `w:default`).
fn legacy_states(xml: &str) -> Vec<bool> {
    let mut out = Vec::new();
    let mut in_box = false;
    let mut default = false;
    let mut checked: Option<bool> = None;
    for e in events(xml).unwrap() {
        match e {
            Event::Start(n, _) if n == "w:checkBox" => {
                in_box = true;
                default = false;
                checked = None;
            }
            Event::Start(n, a) | Event::Empty(n, a)
                if in_box && (n == "w:default" || n == "w:checked") =>
            {
                let v = a
                    .iter()
                    .find(|(k, _)| k == "w:val")
                    .map(|(_, v)| v.as_str());
                let on = !matches!(v, Some("0") | Some("false"));
                if n == "w:default" {
                    default = on;
                } else {
                    checked = Some(on);
                }
            }
            Event::End(n) if n == "w:checkBox" => {
                in_box = false;
                out.push(checked.unwrap_or(default));
            }
            _ => {}
        }
    }
    out
}

fn expected_states(a: &BilanAnswers) -> Vec<bool> {
    use clas_forms::bilan::{FORM, Item};
    let mut out = Vec::new();
    for item in FORM {
        match item {
            Item::Check { id, .. } => out.push(matches!(a.get(id), Answer::Check(true))),
            Item::YesNo { id, .. } => {
                let (o, n) = match a.get(id) {
                    Answer::Yes => (true, false),
                    Answer::No => (false, true),
                    Answer::Both => (true, true),
                    _ => (false, false),
                };
                out.push(o);
                out.push(n);
            }
            _ => {}
        }
    }
    out
}

#[test]
fn legacy_box_states_match_the_answers() {
    for s in bilan_samples() {
        if s.style.boxes != clas_forms::BoxStyle::Legacy || !s.style.section_boxes.is_empty() {
            continue;
        }
        let xml = part(
            &repo().join("samples").join(format!("{}.docx", s.slug)),
            "word/document.xml",
        );
        assert_eq!(
            legacy_states(&xml),
            expected_states(&s.answers),
            "{}",
            s.slug
        );
    }
}

#[test]
fn libreoffice_resave_keeps_the_answers() {
    let slug = clas_forms::samples::LIBREOFFICE_SOURCE;
    let lo = repo()
        .join("samples")
        .join(format!("{slug}-libreoffice.docx"));
    let xml = part(&lo, "word/document.xml");
    assert!(
        xml.contains("FORMCHECKBOX"),
        "not the legacy fields any more"
    );
    let s = bilan_samples()
        .into_iter()
        .find(|s| s.slug == slug)
        .unwrap();
    assert_eq!(legacy_states(&xml), expected_states(&s.answers));
    let text = paragraphs(&xml).unwrap().join("\n");
    for def in FIELDS {
        if let Answer::Text(t) = s.answers.get(def.id) {
            for line in t.split('\n') {
                assert!(text.contains(line), "{}: {line:?}", def.id);
            }
        }
    }
    let mut j = read_json(
        &repo()
            .join("samples")
            .join(format!("{slug}-libreoffice.json")),
    );
    let k = read_json(&repo().join("samples").join(format!("{slug}.json")));
    assert_eq!(j["file"], Json::from(format!("{slug}-libreoffice.docx")));
    j["file"] = k["file"].clone();
    assert_eq!(j, k);
}

/// Synthetic bilans: well-formed, their typed answers present, legacy states right,
/// and the same bytes from the same number.
#[test]
fn synthetic_bilans_are_consistent() {
    use clas_forms::bilan::bilan_docx;
    use clas_forms::synth::synthetic;
    let dir = temp("synth");
    for n in 1..=25 {
        let (a, s) = synthetic(n);
        let bytes = bilan_docx(&a, &s);
        assert_eq!(
            bytes,
            bilan_docx(&synthetic(n).0, &synthetic(n).1),
            "synthetic {n} not reproducible"
        );
        let path = dir.join(format!("synth-{n}.docx"));
        fs::write(&path, &bytes).unwrap();
        for (name, xml) in parts(&path) {
            check_well_formed(&xml).unwrap_or_else(|e| panic!("synthetic {n} {name}: {e}"));
        }
        let xml = part(&path, "word/document.xml");
        let text = paragraphs(&xml).unwrap().join("\n");
        for def in FIELDS {
            if let Answer::Text(t) = a.get(def.id) {
                for line in t.split('\n') {
                    assert!(text.contains(line), "synthetic {n}: {} {line:?}", def.id);
                }
            }
        }
        if s.boxes == clas_forms::BoxStyle::Legacy && s.section_boxes.is_empty() {
            assert_eq!(legacy_states(&xml), expected_states(&a), "synthetic {n}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
