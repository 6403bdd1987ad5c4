//! The committed template, samples and goldens are what the generator writes, byte for byte,
//! and it writes the same bytes on every run.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn generate(into: &Path) {
    let _ = std::fs::remove_dir_all(into);
    let status = Command::new(env!("CARGO_BIN_EXE_clas-workbooks"))
        .arg(into)
        .output()
        .expect("the generator runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "xlsx" || e == "json" || e == "md")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn committed_files_are_what_the_generator_writes() {
    let a = std::env::temp_dir().join(format!("clas-workbooks-a-{}", std::process::id()));
    let b = std::env::temp_dir().join(format!("clas-workbooks-b-{}", std::process::id()));
    generate(&a);
    generate(&b);
    let written = files(&a.join("samples/presence"));
    assert!(written.len() >= 27, "{} fichiers", written.len());
    let mut stale = Vec::new();
    for f in written
        .iter()
        .map(|p| p.strip_prefix(&a).unwrap().to_path_buf())
        .chain([PathBuf::from("forms/cahier-presence.xlsx")])
    {
        let bytes = std::fs::read(a.join(&f)).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(b.join(&f)).unwrap(),
            "{} : deux exécutions, deux résultats",
            f.display()
        );
        if std::fs::read(repo().join(&f)).ok().as_deref() != Some(&bytes[..]) {
            stale.push(f.display().to_string());
        }
        // Every .xlsx sample has its LibreOffice twins.
        if f.extension().is_some_and(|e| e == "xlsx") && f.starts_with("samples") {
            for ext in ["ods", "xls"] {
                let twin = repo().join(f.with_extension(ext));
                assert!(
                    twin.exists(),
                    "{} absent : cargo run -p clas-workbooks -- . --libreoffice",
                    twin.display()
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
    assert!(
        stale.is_empty(),
        "fichiers à régénérer (cargo run -p clas-workbooks --release -- . --libreoffice) : {}",
        stale.join(", ")
    );
}
