//! `cargo bench --bench ingest`: the inbox at scale.
//!
//! 1. 1,000 Word files (800 distinct contents, 200 byte-identical copies) ingested in one
//!    run through the library, as `clas ingest` does: time, files per second, peak memory
//!    (VmHWM of this process, Linux).
//! 2. `clas watch` (the real binary): the delay from a file being complete in `depot/` (renamed
//!    in) to its being archived, with the default stability delay (2 s) and with 0.5 s.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let tmp = std::env::temp_dir().join(format!("clas-bench-ingest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();

    // 1. 1,000 files ingested.
    let sources = tmp.join("pieces");
    std::fs::create_dir_all(&sources).unwrap();
    let template = Template::load();
    let mut bytes_total = 0;
    for k in 0..1000 {
        let i = k % 800;
        let bytes = template.bilan(
            &format!("Association {}", hex_of(i)),
            &format!("{}", i % 4 + 1),
            if i % 2 == 0 {
                "06/10/2025"
            } else {
                "07/10/2024"
            },
            10 + i as u32 % 30,
        );
        bytes_total += bytes.len();
        std::fs::write(sources.join(format!("bilan {k}.docx")), bytes).unwrap();
    }
    let hwm_before = vm_hwm_kb();
    let config = clas::config::Config::new(tmp.join("espace"));
    let t = Instant::now();
    let mut inbox = clas::inbox::Inbox::open(&config).expect("workspace");
    inbox.lock().unwrap();
    inbox.reconcile().unwrap();
    let (files, _) = clas::inbox::collect_files(std::slice::from_ref(&sources), inbox.config());
    let mut statuses: HashMap<&'static str, usize> = HashMap::new();
    for f in &files {
        let r = inbox.ingest_file(f).expect("no critical error");
        let kind = match r.outcome {
            clas::inbox::Outcome::Archived { .. } => "archivés",
            clas::inbox::Outcome::Known { .. } | clas::inbox::Outcome::Duplicate { .. } => {
                "déjà reçus"
            }
            _ => "refusés",
        };
        *statuses.entry(kind).or_default() += 1;
    }
    clas::inbox::rebuild_outputs(inbox.config(), inbox.store()).unwrap();
    let elapsed = t.elapsed().as_secs_f64();
    let counts = inbox.store().counts().unwrap();
    drop(inbox);
    println!(
        "ingest : {} fichiers ({:.1} Mo) en {:.2} s, soit {:.0} fichiers/s ({:.2} ms par fichier) ; {:?}",
        files.len(),
        bytes_total as f64 / 1e6,
        elapsed,
        files.len() as f64 / elapsed,
        elapsed * 1000.0 / files.len() as f64,
        statuses
    );
    println!(
        "  base : {} reçus, {} archivés, {} actions en vigueur",
        counts.received, counts.archived, counts.current
    );
    println!(
        "  mémoire : pic (VmHWM) {} Mo (avant l'ingestion : {} Mo)",
        vm_hwm_kb().map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
        hwm_before.map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
    );

    // 2. The delay in watch mode.
    for stability in [2.0, 0.5] {
        let ws = tmp.join(format!("veille-{stability}"));
        std::fs::create_dir_all(ws.join("depot")).unwrap();
        std::fs::create_dir_all(ws.join("preparation")).unwrap();
        std::fs::write(
            ws.join("clas.toml"),
            format!("[surveillance]\nstabilite_secondes = {stability}\n"),
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_clas"))
            .arg("--workspace")
            .arg(&ws)
            .args(["watch", "--exit-when-idle", "5"])
            .stderr(Stdio::null())
            .spawn()
            .expect("clas watch");
        std::thread::sleep(Duration::from_millis(500));
        let mut delays = Vec::new();
        for k in 0..8 {
            let name = format!("bilan {k}.docx");
            let bytes = template.bilan(
                &format!("Centre {}", hex_of(10_000 + k)),
                "1",
                "06/10/2025",
                12,
            );
            let staged = ws.join("preparation").join(&name);
            let mut f = std::fs::File::create(&staged).unwrap();
            f.write_all(&bytes).unwrap();
            f.sync_all().unwrap();
            drop(f);
            let complete = Instant::now();
            std::fs::rename(&staged, ws.join("depot").join(&name)).unwrap();
            let archived = ws.join("archives/2025-2026").join(&name);
            while !archived.exists() && complete.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(5));
            }
            delays.push(complete.elapsed().as_secs_f64());
            std::thread::sleep(Duration::from_millis(300));
        }
        let _ = child.wait();
        delays.sort_by(f64::total_cmp);
        println!(
            "watch (stabilité {stability} s) : délai fichier complet → archivé : médiane {:.2} s, min {:.2} s, max {:.2} s (sur {})",
            delays[delays.len() / 2],
            delays[0],
            delays[delays.len() - 1],
            delays.len()
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

fn hex_of(i: usize) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(i.to_string().as_bytes()))[..10].to_string()
}

/// Peak resident memory of this process, in KiB (Linux).
fn vm_hwm_kb() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Bilans built from the embedded mapping: every question, each answered on its line.
struct Template {
    /// (field id, label) or (None, section title), in order.
    lines: Vec<(Option<String>, String)>,
}

impl Template {
    fn load() -> Template {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mapping: toml::Table = toml::from_str(
            &std::fs::read_to_string(root.join("mappings/bilan-2021-lot-et-garonne.toml")).unwrap(),
        )
        .unwrap();
        let dictionary =
            std::fs::read_to_string(root.join("dictionaries/bilan-fields.csv")).unwrap();
        let section_of: HashMap<String, String> = dictionary
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut it = l.splitn(4, ',');
                Some((it.next()?.to_string(), it.nth(1)?.to_string()))
            })
            .collect();
        let fields = mapping["fields"].as_table().unwrap();
        let titles = mapping["sections"].as_table().unwrap();
        let mut lines = Vec::new();
        for section in mapping["section_order"].as_array().unwrap() {
            let section = section.as_str().unwrap();
            if let Some(t) = titles.get(section).and_then(|t| t.as_str())
                && !t.is_empty()
            {
                lines.push((None, t.to_string()));
            }
            for (id, spec) in fields {
                let (label, sec) = match spec {
                    toml::Value::String(l) => (l.clone(), section_of.get(id).cloned()),
                    toml::Value::Table(t) => (
                        t.get("label")
                            .and_then(|l| l.as_str())
                            .unwrap_or("")
                            .to_string(),
                        t.get("section")
                            .and_then(|s| s.as_str())
                            .map(str::to_string)
                            .or_else(|| section_of.get(id).cloned()),
                    ),
                    _ => continue,
                };
                if sec.as_deref() == Some(section) && !label.is_empty() {
                    lines.push((Some(id.clone()), label));
                }
            }
        }
        Template { lines }
    }

    fn bilan(&self, porteur: &str, numero: &str, debut: &str, enfants: u32) -> Vec<u8> {
        let value = |id: &str| match id {
            "porteur.nom" => porteur.to_string(),
            "action.numero" => numero.to_string(),
            "calendrier.debut" => debut.to_string(),
            "enfants.total" => enfants.to_string(),
            _ => String::new(),
        };
        let mut paragraphs =
            vec!["Contrat local d'accompagnement à la scolarité (CLAS)".to_string()];
        for (id, text) in &self.lines {
            paragraphs.push(match id {
                Some(id) => format!("{text} : {}", value(id)),
                None => text.clone(),
            });
        }
        let body: String = paragraphs
            .iter()
            .map(|p| {
                format!(
                    r#"<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
                    p.replace('&', "&amp;").replace('<', "&lt;")
                )
            })
            .collect();
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }
}
