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
