//! Helpers shared by the integration tests: they run the real binary, as a user would.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn clas() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clas"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn run(args: &[&str], dir: &Path) -> Output {
    clas()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("clas runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Compares the `fields` of an extraction with a golden file, naming every field that differs.
pub fn compare_fields(
    file: &str,
    got: &serde_json::Value,
    want: &serde_json::Value,
) -> Vec<String> {
    let mut diffs = Vec::new();
    let (Some(got), Some(want)) = (got.as_object(), want.as_object()) else {
        return vec![format!("{file} : « fields » n'est pas un objet")];
    };
    for (id, w) in want {
        match got.get(id) {
            None => diffs.push(format!("{file} : champ {id} absent (attendu {w})")),
            Some(g) if !same(g, w) => diffs.push(format!("{file} : champ {id} = {g}, attendu {w}")),
            _ => {}
        }
    }
    for id in got.keys() {
        if !want.contains_key(id) {
            diffs.push(format!("{file} : champ {id} inattendu"));
        }
    }
    diffs
}

/// Equal JSON, numbers compared as numbers (1250 == 1250.0).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            (x.as_f64().unwrap_or(f64::NAN) - y.as_f64().unwrap_or(f64::NAN)).abs() < 1e-9
        }
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Object(x), Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The `*.docx` (or other extension) files of a folder that have a golden `.json` beside them.
pub fn with_golden(dir: &Path, ext: &str) -> Vec<(PathBuf, serde_json::Value)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|e| e == ext) {
            let golden = p.with_extension("json");
            if let Ok(text) = std::fs::read_to_string(&golden) {
                out.push((
                    p,
                    serde_json::from_str(&text).expect("golden JSON is valid"),
                ));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The paragraphs of a bilan built from the embedded mapping: every question, section by
/// section, each with its answer from `values` (empty when absent) on the same line.
pub fn bilan_paragraphs(values: &std::collections::HashMap<&str, String>) -> Vec<String> {
    use std::collections::HashMap;
    let root = repo();
    let mapping: toml::Table = toml::from_str(
        &std::fs::read_to_string(root.join("mappings/bilan-2021-lot-et-garonne.toml")).unwrap(),
    )
    .unwrap();
    let dictionary = std::fs::read_to_string(root.join("dictionaries/bilan-fields.csv")).unwrap();
    let section_of: HashMap<&str, &str> = dictionary
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.splitn(4, ',');
            Some((it.next()?, it.nth(1)?))
        })
        .collect();
    let fields = mapping["fields"].as_table().unwrap();
    let titles = mapping["sections"].as_table().unwrap();
    let mut paragraphs = vec![
        "Contrat local d'accompagnement à la scolarité (CLAS)".to_string(),
        "Bilan de l'action".to_string(),
    ];
    for section in mapping["section_order"].as_array().unwrap() {
        let section = section.as_str().unwrap();
        if let Some(t) = titles.get(section).and_then(|t| t.as_str())
            && !t.is_empty()
        {
            paragraphs.push(t.to_string());
        }
        for (id, spec) in fields {
            let (label, sec) = match spec {
                toml::Value::String(l) => (l.as_str(), section_of.get(id.as_str()).copied()),
                toml::Value::Table(t) => (
                    t.get("label").and_then(|l| l.as_str()).unwrap_or(""),
                    t.get("section")
                        .and_then(|s| s.as_str())
                        .or_else(|| section_of.get(id.as_str()).copied()),
                ),
                _ => continue,
            };
            if sec == Some(section) && !label.is_empty() {
                let value = values.get(id.as_str()).map(String::as_str).unwrap_or("");
                paragraphs.push(format!("{label} : {value}"));
            }
        }
    }
    paragraphs
}

/// A minimal Word file of the bilan built by [`bilan_paragraphs`] from `values`.
pub fn bilan_docx(values: &std::collections::HashMap<&str, String>) -> Vec<u8> {
    use std::io::Write;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = bilan_paragraphs(values)
        .iter()
        .map(|p| {
            format!(
                r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                escape(p)
            )
        })
        .collect();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// `clas extract --json FILE` run in `dir`: the extraction, or the exit code and message.
pub fn extract_json(path: &Path, dir: &Path) -> Result<serde_json::Value, String> {
    let out = run(&["extract", "--json", path.to_str().unwrap()], dir);
    if !out.status.success() {
        return Err(format!("code {:?}, {}", out.status.code(), stderr(&out)));
    }
    serde_json::from_str(stdout(&out).trim()).map_err(|e| format!("JSON illisible : {e}"))
}

/// Each PDF made from a sample by `read` extracts to the sample's golden JSON (form and
/// every field); all the differences are listed.
pub fn check_goldens(samples: &[(PathBuf, serde_json::Value)], read: impl Fn(&Path) -> PathBuf) {
    let mut diffs = Vec::new();
    for (path, golden) in samples {
        let pdf = read(path);
        let name = pdf.file_name().unwrap().to_string_lossy().to_string();
        match extract_json(&pdf, pdf.parent().unwrap()) {
            Ok(got) => {
                if got["form"] != golden["form"] {
                    diffs.push(format!(
                        "{name} : formulaire {}, attendu {}",
                        got["form"], golden["form"]
                    ));
                }
                diffs.extend(compare_fields(&name, &got["fields"], &golden["fields"]));
            }
            Err(e) => diffs.push(format!("{name} : {e}")),
        }
    }
    assert!(
        diffs.is_empty(),
        "{} différence(s) :\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
