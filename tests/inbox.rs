//! The workspace, the store and the watched inbox: the real binary on temporary folders.
//!
//! The Word files are built here from the embedded mapping (every question of the bilan, each
//! with its answer on the same line), so that each test knows the porteur, the action number
//! and the school year of what it drops.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clas::store::{Status, Store};
use common::*;

// ---------------------------------------------------------------------------------------------
// Documents

/// A bilan: porteur, action number, start date (school year), children, and a free text that
/// makes two files of the same action differ.
fn bilan(porteur: &str, numero: &str, debut: &str, enfants: u32, libre: &str) -> Vec<u8> {
    let values: HashMap<&str, String> = [
        ("porteur.nom", porteur.to_string()),
        ("action.numero", numero.to_string()),
        ("calendrier.debut", debut.to_string()),
        ("enfants.total", enfants.to_string()),
        ("libre_expression", libre.to_string()),
    ]
    .into_iter()
    .collect();
    bilan_docx(&values)
}

// ---------------------------------------------------------------------------------------------
// Workspaces

struct Workspace {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Workspace {
    /// A workspace with a clas.toml that makes the watcher quick.
    fn new(stability: f64) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("espace");
        std::fs::create_dir_all(root.join("depot")).unwrap();
        std::fs::write(
            root.join("clas.toml"),
            format!(
                "[controle]\nannee_scolaire = \"2025-2026\"\n\n[surveillance]\nstabilite_secondes = {stability}\nrelecture_secondes = 5\n"
            ),
        )
        .unwrap();
        Workspace { _dir: dir, root }
    }

    fn depot(&self) -> PathBuf {
        self.root.join("depot")
    }

    /// Drops files in `depot/` at once: written beside it, then renamed in.
    fn drop_files(&self, files: &[(String, Vec<u8>)]) {
        let staging = self.root.join("preparation");
        std::fs::create_dir_all(&staging).unwrap();
        for (name, bytes) in files {
            std::fs::write(staging.join(name), bytes).unwrap();
        }
        for (name, _) in files {
            std::fs::rename(staging.join(name), self.depot().join(name)).unwrap();
        }
    }

    fn clas(&self) -> Command {
        let mut c = clas();
        c.arg("--workspace").arg(&self.root).current_dir(&self.root);
        c
    }

    /// `clas watch` until `depot/` has been empty for `idle` seconds.
    fn watch(&self, idle: f64) -> std::process::Output {
        self.clas()
            .args(["watch", "--exit-when-idle", &idle.to_string()])
            .output()
            .expect("clas watch runs")
    }

    fn spawn_watch(&self, idle: f64) -> Child {
        self.clas()
            .args(["watch", "--exit-when-idle", &idle.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("clas watch starts")
    }

    fn store(&self) -> Store {
        Store::open(&self.root.join("clas.db")).expect("the store opens")
    }

    /// Files under a folder (recursively), reports apart: (documents, reports).
    fn files(&self, folder: &str) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let mut all = Vec::new();
        list(&self.root.join(folder), &mut all);
        let is_report = |p: &PathBuf| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            let beside = |suffix: &str| {
                n.strip_suffix(suffix)
                    .is_some_and(|doc| p.with_file_name(doc).exists())
            };
            beside(".rapport.txt") || (folder == "rejets" && beside(".txt"))
        };
        all.into_iter().partition(|p| !is_report(p))
    }
}

fn list(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            list(&p, out);
        } else if !p.file_name().unwrap().to_string_lossy().starts_with('.') {
            out.push(p);
        }
    }
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

// ---------------------------------------------------------------------------------------------
// Tests

#[test]
fn five_hundred_files_dropped_at_once_are_all_processed_and_counted_once() {
    let ws = Workspace::new(0.3);
    // 125 actions; each file dropped four times under different names (380 duplicates).
    let distinct: Vec<Vec<u8>> = (0..125)
        .map(|i| {
            bilan(
                &format!("Association {}", &sha(format!("{i}").as_bytes())[..10]),
                &format!("{}", i % 3 + 1),
                "06/10/2025",
                10 + i,
                &format!("texte {i}"),
            )
        })
        .collect();
    let files: Vec<(String, Vec<u8>)> = (0..500)
        .map(|k| {
            let i = k % 125;
            let name = match k / 125 {
                0 => format!("bilan {i}.docx"),
                1 => format!("Bilan CLAS {i} (copie).docx"),
                2 => format!("RE_ bilan_{i}.docx"),
                _ => format!("pièce jointe {i}.docx"),
            };
            (name, distinct[i].clone())
        })
        .collect();
    ws.drop_files(&files);
    let t = Instant::now();
    let out = ws.watch(1.0);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    eprintln!("500 fichiers traités en {:.1} s", t.elapsed().as_secs_f64());

    assert_eq!(
        std::fs::read_dir(ws.depot()).unwrap().count(),
        0,
        "depot/ vidé"
    );
    let (archived, reports) = ws.files("archives");
    assert_eq!(archived.len(), 500, "chaque fichier est archivé");
    assert_eq!(reports.len(), 500, "chacun avec son rapport");
    assert!(
        archived
            .iter()
            .all(|p| p.starts_with(ws.root.join("archives/2025-2026")))
    );
    let (rejected, _) = ws.files("rejets");
    assert!(rejected.is_empty(), "{rejected:?}");

    let store = ws.store();
    let c = store.counts().unwrap();
    assert_eq!(c.received, 500);
    assert_eq!(c.archived, 125, "chaque contenu compté une fois");
    assert_eq!(c.duplicates, 375);
    assert_eq!(c.current, 125);
    assert_eq!(c.actions, 125);
    let current = store.current_actions().unwrap();
    assert_eq!(current.len(), 125);
    assert!(
        current
            .iter()
            .all(|d| d.extraction.is_some() && d.action.is_some())
    );
    // One log line per file.
    let log = std::fs::read_to_string(ws.root.join("clas.log")).unwrap();
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("archivé dans") || l.contains("déjà reçu"))
            .count(),
        500
    );
}

#[test]
fn the_word_samples_dropped_three_times_each_give_one_current_version_per_action() {
    let mut samples: Vec<PathBuf> = std::fs::read_dir(repo().join("samples"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx") && p.with_extension("json").exists())
        .collect();
    samples.sort();
    if samples.is_empty() {
        eprintln!("pas d'échantillons Word dans samples/ : test passé");
        return;
    }
    // Actions according to the golden files: (porteur or territory, number, school year).
    let golden: Vec<serde_json::Value> = samples
        .iter()
        .map(|p| {
            serde_json::from_str(&std::fs::read_to_string(p.with_extension("json")).unwrap())
                .unwrap()
        })
        .collect();
    let mut actions: Vec<(String, String, i32)> = Vec::new();
    let mut unidentified = 0;
    for g in &golden {
        let f = &g["fields"];
        let who = f["porteur.nom"].as_str().or(f["territoire.nom"].as_str());
        let number = match g["form"].as_str() {
            Some("note-strategique") => Some(String::new()),
            _ => f["action.numero"].as_str().map(str::to_string),
        };
        let date = f["calendrier.debut"]
            .as_str()
            .or(f["concertation.date"].as_str())
            .unwrap_or("2025-10-01");
        let (y, m): (i32, u32) = (date[..4].parse().unwrap(), date[5..7].parse().unwrap());
        let year = if m >= 9 { y } else { y - 1 };
        match (who, number) {
            (Some(w), Some(n)) => {
                let key = (w.to_lowercase(), n, year);
                if !actions.contains(&key) {
                    actions.push(key);
                }
            }
            _ => unidentified += 1,
        }
    }
    let ws = Workspace::new(0.3);
    let mut files = Vec::new();
    for p in &samples {
        let bytes = std::fs::read(p).unwrap();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        files.push((format!("{stem}.docx"), bytes.clone()));
        files.push((format!("RE {stem} (1).docx"), bytes.clone()));
        files.push((format!("Pièce jointe - {stem}.DOCX"), bytes));
    }
    ws.drop_files(&files);
    let out = ws.watch(1.0);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let (rejected, _) = ws.files("rejets");
    assert!(rejected.is_empty(), "{rejected:?}\n{}", stderr(&out));
    let (archived, reports) = ws.files("archives");
    assert_eq!((archived.len(), reports.len()), (files.len(), files.len()));
    let store = ws.store();
    let c = store.counts().unwrap();
    let n = samples.len() as u64;
    assert_eq!((c.received, c.archived, c.duplicates), (3 * n, n, 2 * n));
    assert_eq!(
        c.current as usize,
        actions.len() + unidentified,
        "une version en vigueur par action ({actions:?})"
    );
    for d in store.current_actions().unwrap() {
        let report = std::fs::read_to_string(ws.root.join(&d.report_path)).unwrap();
        assert!(report.contains("Contrôle (profil national"), "{report}");
    }
}

#[test]
fn a_bilan_and_its_attendance_workbook_are_checked_together() {
    let bilan = repo().join("samples/centre-social-du-pin.docx");
    let cahier = repo().join("samples/presence/centre-social-du-pin.xlsx");
    if !bilan.exists() || !cahier.exists() {
        eprintln!("échantillons absents : test passé");
        return;
    }
    let ws = Workspace::new(0.3);
    ws.drop_files(&[("bilan du Pin.docx".into(), std::fs::read(&bilan).unwrap())]);
    ws.watch(0.5);
    let year = ws.root.join("archives/2025-2026");
    let report = std::fs::read_to_string(year.join("bilan du Pin.docx.rapport.txt")).unwrap();
    assert!(report.contains("Contrôlé sans"), "{report}");
    ws.drop_files(&[("présences Pin.xlsx".into(), std::fs::read(&cahier).unwrap())]);
    let out = ws.watch(0.5);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));

    let store = ws.store();
    let current = store.current_actions().unwrap();
    assert_eq!(current.len(), 2, "le bilan et son cahier");
    assert_eq!(current[0].action, current[1].action, "une seule action");
    let presence = current
        .iter()
        .find(|d| d.form == Some(clas::dictionary::FormKind::Presence))
        .unwrap();
    let collectifs = presence
        .extraction
        .as_ref()
        .unwrap()
        .collectifs
        .as_ref()
        .unwrap();
    assert!(
        collectifs.iter().any(|c| !c.enfants.is_empty()),
        "les enfants sont dans la base"
    );
    // The bilan's report was written again: checked with the workbook.
    let report = std::fs::read_to_string(year.join("bilan du Pin.docx.rapport.txt")).unwrap();
    assert!(
        report.contains("Contrôlé avec : cahier de présence « présences Pin.xlsx »"),
        "{report}"
    );
    // Children's names stay in the store: not in the reports nor in the log.
    let workbook_report =
        std::fs::read_to_string(year.join("présences Pin.xlsx.rapport.txt")).unwrap();
    let log = std::fs::read_to_string(ws.root.join("clas.log")).unwrap();
    for c in collectifs {
        for e in &c.enfants {
            for text in [&report, &workbook_report, &log] {
                assert!(
                    !text.contains(&format!("{} {}", e.prenom, e.nom)),
                    "{}",
                    e.nom
                );
                assert!(
                    !text.contains(&format!("{} {}", e.nom, e.prenom)),
                    "{}",
                    e.nom
                );
            }
        }
    }
}

#[test]
fn a_file_written_slowly_is_not_read_before_it_is_complete() {
    let ws = Workspace::new(1.5);
    let bytes = bilan(
        "Centre social Lent",
        "1",
        "06/10/2025",
        12,
        "écrit lentement",
    );
    let mut child = ws.spawn_watch(4.0);
    std::thread::sleep(Duration::from_millis(300));
    // Eight chunks, 0.6 s apart: 4.2 s from first to last byte.
    let path = ws.depot().join("bilan lent.docx");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = bytes.len().div_ceil(8);
    for part in bytes.chunks(chunk) {
        f.write_all(part).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(600));
    }
    drop(f);
    let status = wait(&mut child, Duration::from_secs(60));
    assert_eq!(status, Some(1));
    let (rejected, _) = ws.files("rejets");
    assert!(
        rejected.is_empty(),
        "lu avant d'être complet : {rejected:?}"
    );
    let archived = ws.root.join("archives/2025-2026/bilan lent.docx");
    assert_eq!(
        sha(&std::fs::read(&archived).unwrap()),
        sha(&bytes),
        "archivé intact"
    );
    assert_eq!(ws.store().counts().unwrap().archived, 1);
}

#[test]
fn a_corrupt_file_is_set_aside_with_its_reason_and_the_others_go_on() {
    let ws = Workspace::new(0.3);
    let good: Vec<(String, Vec<u8>)> = (0..4)
        .map(|i| {
            (
                format!("bilan {i}.docx"),
                bilan(&format!("Porteur {i}"), "1", "06/10/2025", 10, ""),
            )
        })
        .collect();
    let mut truncated = good[0].1.clone();
    truncated.truncate(truncated.len() / 2);
    let mut files = good.clone();
    files.insert(2, ("bilan tronqué.docx".into(), truncated));
    files.push(("notes de réunion.txt".into(), b"rien a voir".to_vec()));
    files.push(("~$bilan 0.docx".into(), b"verrou de Word".to_vec()));
    ws.drop_files(&files);
    let out = ws.watch(1.0);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    let (archived, _) = ws.files("archives");
    assert_eq!(archived.len(), 4);
    let (rejected, reasons) = ws.files("rejets");
    let mut names: Vec<String> = rejected
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["bilan tronqué.docx", "notes de réunion.txt"]);
    assert_eq!(reasons.len(), 2);
    let why = std::fs::read_to_string(ws.root.join("rejets/bilan tronqué.docx.txt")).unwrap();
    assert!(
        why.contains("Pourquoi") && why.contains("Que faire"),
        "{why}"
    );
    let why = std::fs::read_to_string(ws.root.join("rejets/notes de réunion.txt.txt")).unwrap();
    assert!(why.contains("format"), "{why}");
    // The Office lock file is left alone.
    assert!(ws.depot().join("~$bilan 0.docx").exists());
    let c = ws.store().counts().unwrap();
    assert_eq!((c.archived, c.rejected), (4, 2));
    let log = stderr(&out);
    assert!(log.contains("bilan tronqué.docx : refusé"), "{log}");
}

#[test]
fn the_same_file_twice_and_a_corrected_version_give_one_current_version() {
    let ws = Workspace::new(0.3);
    let v1 = bilan("Centre social Jean-Jaurès", "N° 2", "06/10/2025", 20, "");
    let v2 = bilan(
        "CENTRE SOCIAL JEAN JAURES",
        "2",
        "06/10/2025",
        24,
        "corrigé",
    );
    ws.drop_files(&[("bilan.docx".into(), v1.clone())]);
    assert_eq!(ws.watch(0.5).status.code(), Some(1));
    ws.drop_files(&[("bilan (copie).docx".into(), v1.clone())]);
    assert_eq!(ws.watch(0.5).status.code(), Some(0));
    // The corrected version, under the same name as the first.
    ws.drop_files(&[("bilan.docx".into(), v2.clone())]);
    let out = ws.watch(0.5);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("remplace « bilan.docx »"),
        "{}",
        stderr(&out)
    );

    let year = ws.root.join("archives/2025-2026");
    for (name, bytes) in [
        ("bilan.docx", &v1),
        ("bilan (copie).docx", &v1),
        ("bilan (2).docx", &v2),
    ] {
        assert_eq!(
            sha(&std::fs::read(year.join(name)).unwrap()),
            sha(bytes),
            "{name}"
        );
    }
    let store = ws.store();
    let current = store.current_actions().unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].hash, sha(&v2));
    assert_eq!(
        current[0]
            .extraction
            .as_ref()
            .unwrap()
            .value("enfants.total")
            .as_f64(),
        Some(24.0)
    );
    let docs = store.documents().unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].replaced_by, Some(docs[2].id));
    assert_eq!(docs[1].status, Status::Duplicate { of: docs[0].id });
    let history = store
        .history(current[0].action.as_ref().unwrap().id)
        .unwrap();
    assert_eq!(history.len(), 3);
    let c = store.counts().unwrap();
    assert_eq!(
        (c.archived, c.duplicates, c.current, c.replaced),
        (2, 1, 1, 1)
    );
    // The first version's report now says it was replaced.
    let report = std::fs::read_to_string(year.join("bilan.docx.rapport.txt")).unwrap();
    // Named as archived (issue 15), with the name it was received under.
    assert!(
        report.contains("remplacée par « bilan (2).docx » (reçu sous le nom « bilan.docx »)"),
        "{report}"
    );
    let report = std::fs::read_to_string(year.join("bilan (copie).docx.rapport.txt")).unwrap();
    assert!(report.contains("même contenu"), "{report}");
}

#[test]
fn killed_in_the_middle_of_a_batch_then_restarted_nothing_lost_nothing_counted_twice() {
    let ws = Workspace::new(0.2);
    let distinct: Vec<Vec<u8>> = (0..60)
        .map(|i| bilan(&format!("Maison des jeunes {i}"), "1", "06/10/2025", 15, ""))
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = (0..240)
        .map(|k| (format!("bilan {k}.docx"), distinct[k % 60].clone()))
        .collect();
    files.push(("abîmé.docx".into(), b"PK\x03\x04 pas un docx".to_vec()));
    ws.drop_files(&files);
    let dropped = files.len();

    // Killed three times while it works, then left to finish.
    let mut kills = 0;
    for _ in 0..3 {
        let mut child = ws.spawn_watch(30.0);
        let before = ws.files("archives").0.len();
        let t = Instant::now();
        while ws.files("archives").0.len() < before + 20 && t.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        if std::fs::read_dir(ws.depot()).unwrap().count() == 0 {
            break;
        }
    }
    assert!(kills > 0);
    let out = ws.watch(1.0);
    assert!(matches!(out.status.code(), Some(0..=2)), "{}", stderr(&out));

    assert_eq!(std::fs::read_dir(ws.depot()).unwrap().count(), 0);
    let (archived, reports) = ws.files("archives");
    let (rejected, reasons) = ws.files("rejets");
    assert_eq!(
        archived.len() + rejected.len(),
        dropped,
        "aucun fichier perdu ni copié deux fois"
    );
    assert_eq!(
        reports.len() + reasons.len(),
        dropped,
        "un rapport par fichier"
    );
    // Each content is where it should be, as many times as it was dropped.
    let mut by_hash: BTreeMap<String, usize> = BTreeMap::new();
    for p in &archived {
        *by_hash.entry(sha(&std::fs::read(p).unwrap())).or_default() += 1;
    }
    assert_eq!(by_hash.len(), 60);
    assert!(by_hash.values().all(|&n| n == 4));
    let c = ws.store().counts().unwrap();
    assert_eq!(c.received as usize, dropped);
    assert_eq!(
        (c.archived, c.duplicates, c.rejected, c.current),
        (60, 180, 1, 60)
    );
    // Nothing is left half done.
    let pending: i64 = rusqlite::Connection::open(ws.root.join("clas.db"))
        .unwrap()
        .query_row(
            "SELECT count(*) FROM documents WHERE state != 'done'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0);
    let log = std::fs::read_to_string(ws.root.join("clas.log")).unwrap();
    eprintln!(
        "{kills} arrêt(s) brutal(aux), {} reprise(s) après interruption",
        log.matches("reprise après interruption").count()
    );
}

// CLAS_FAILPOINT is read only with the feature (`cargo test --features clas/failpoints`).
#[cfg(feature = "failpoints")]
#[test]
fn a_crash_at_each_step_of_a_move_is_finished_on_restart() {
    for step in ["intent", "report", "place", "finish"] {
        let ws = Workspace::new(0.2);
        let v1 = bilan("Centre social Arc-en-ciel", "1", "06/10/2025", 10, "");
        let v2 = bilan(
            "Centre social Arc-en-ciel",
            "1",
            "06/10/2025",
            12,
            "corrigé",
        );
        let other = bilan("Foyer rural de Monflanquin", "2", "06/10/2025", 8, "");
        ws.drop_files(&[("bilan.docx".into(), v1.clone())]);
        assert_eq!(ws.watch(0.3).status.code(), Some(1));
        // Oldest first: the copy of v1, the other action, then v2 (the crash hits v2).
        for (name, bytes) in [
            ("copie.docx", &v1),
            ("autre.docx", &other),
            ("bilan v2.docx", &v2),
        ] {
            std::fs::write(ws.depot().join(name), bytes).unwrap();
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = ws
            .clas()
            .args(["watch", "--exit-when-idle", "0.3"])
            .env("CLAS_FAILPOINT", format!("{step}:3"))
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "{step} : interrompu");
        let out = ws.watch(0.3);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{step} : {}",
            stderr(&out)
        );

        assert_eq!(std::fs::read_dir(ws.depot()).unwrap().count(), 0, "{step}");
        let (archived, reports) = ws.files("archives");
        assert_eq!(archived.len(), 4, "{step} : {archived:?}");
        assert_eq!(reports.len(), 4, "{step} : {reports:?}");
        let store = ws.store();
        let c = store.counts().unwrap();
        assert_eq!(
            (c.received, c.archived, c.duplicates, c.current, c.replaced),
            (4, 3, 1, 2, 1),
            "{step}"
        );
        let current = store.current_actions().unwrap();
        assert!(current.iter().any(|d| d.hash == sha(&v2)), "{step}");
        let year = ws.root.join("archives/2025-2026");
        let report = std::fs::read_to_string(year.join("bilan.docx.rapport.txt")).unwrap();
        assert!(
            report.contains("remplacée par « bilan v2.docx »"),
            "{step} : {report}"
        );
        let report = std::fs::read_to_string(year.join("bilan v2.docx.rapport.txt")).unwrap();
        assert!(
            report.contains("elle remplace « bilan.docx »"),
            "{step} : {report}"
        );
    }
}

#[test]
fn ingest_reads_files_in_place_and_keeps_a_copy() {
    let ws = Workspace::new(0.3);
    let elsewhere = tempfile::tempdir().unwrap();
    let sub = elsewhere.path().join("courriels/mars");
    std::fs::create_dir_all(&sub).unwrap();
    let a = bilan("Porteur A", "1", "06/10/2025", 10, "");
    let b = bilan("Porteur B", "1", "07/10/2024", 10, "");
    std::fs::write(elsewhere.path().join("a.docx"), &a).unwrap();
    std::fs::write(sub.join("b.docx"), &b).unwrap();
    std::fs::write(sub.join("~$b.docx"), b"verrou").unwrap();
    std::fs::write(sub.join("photo.jpg"), b"jpeg").unwrap();
    let out = ws
        .clas()
        .arg("ingest")
        .arg(elsewhere.path())
        .output()
        .unwrap();
    // The bilans built here miss many answers: findings of severity error.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(elsewhere.path().join("a.docx").exists() && sub.join("b.docx").exists());
    assert!(ws.root.join("archives/2025-2026/a.docx").exists());
    assert!(ws.root.join("archives/2024-2025/b.docx").exists());
    // A corrupt file named on the command line: exit 2, the others still go on.
    std::fs::write(elsewhere.path().join("abîmé.docx"), b"PK\x03\x04").unwrap();
    let out = ws
        .clas()
        .arg("ingest")
        .arg(elsewhere.path().join("abîmé.docx"))
        .arg(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("déjà dans la base"),
        "{}",
        stderr(&out)
    );
    let c = ws.store().counts().unwrap();
    assert_eq!((c.received, c.archived, c.rejected), (3, 2, 1));
    assert!(ws.root.join("rejets/abîmé.docx.txt").exists());
    assert!(elsewhere.path().join("abîmé.docx").exists());
    let log = std::fs::read_to_string(ws.root.join("clas.log")).unwrap();
    assert!(log.contains("ingest : a.docx"), "{log}");
}

#[test]
fn init_writes_a_commented_configuration_and_a_malformed_one_stops_everything() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("caf47");
    let out = clas().arg("init").arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for d in ["depot", "archives", "rejets", "sorties"] {
        assert!(root.join(d).is_dir(), "{d}");
    }
    let toml = std::fs::read_to_string(root.join("clas.toml")).unwrap();
    for key in [
        "# depot = \"depot\"",
        "# profil = \"national\"",
        "# stabilite_secondes = 2",
        "# communes = []",
        "# duree_seance_heures = 1.5",
    ] {
        assert!(toml.contains(key), "{key}");
    }
    // init again keeps the file.
    std::fs::write(root.join("clas.toml"), "[controle]\nprofil = \"rhone\"\n").unwrap();
    assert_eq!(
        clas().arg("init").arg(&root).status().unwrap().code(),
        Some(0)
    );
    assert!(
        std::fs::read_to_string(root.join("clas.toml"))
            .unwrap()
            .contains("rhone")
    );

    // A malformed clas.toml: exit 2, the file and line named, nothing processed.
    std::fs::write(
        root.join("clas.toml"),
        "[controle]\nprofil = \"national\"\n\n[surveillance]\nstabilite = 3\n",
    )
    .unwrap();
    let file = dir.path().join("a.docx");
    std::fs::write(&file, bilan("P", "1", "06/10/2025", 1, "")).unwrap();
    let out = clas()
        .args(["ingest", file.to_str().unwrap()])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(
        e.contains("clas.toml") && e.contains("ligne 5") && e.contains("stabilite"),
        "{e}"
    );
    assert!(!root.join("clas.db").exists(), "rien n'a été traité");
    let out = clas()
        .args(["watch", "--exit-when-idle", "0"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // With no clas.toml at all, the defaults, in the current folder (a workspace: its depot/).
    let bare = dir.path().join("nu");
    std::fs::create_dir_all(bare.join("depot")).unwrap();
    let out = clas()
        .args(["ingest", file.to_str().unwrap()])
        .current_dir(&bare)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(bare.join("archives/2025-2026/a.docx").exists());
    assert!(bare.join("depot").is_dir() && bare.join("clas.db").exists());
}

#[test]
fn an_unwritable_workspace_stops_with_a_french_message() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("fichier");
    std::fs::write(&not_a_folder, b"x").unwrap();
    let out = clas()
        .arg("--workspace")
        .arg(&not_a_folder)
        .args(["watch", "--exit-when-idle", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("n'est pas un dossier"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn watch_stops_gracefully_on_sigint_and_sigterm() {
    for signal in ["-INT", "-TERM"] {
        let ws = Workspace::new(0.2);
        let mut child = ws
            .clas()
            .arg("watch")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        ws.drop_files(&[(
            "bilan.docx".into(),
            bilan("Porteur S", "1", "06/10/2025", 5, ""),
        )]);
        let archived = ws.root.join("archives/2025-2026/bilan.docx");
        let t = Instant::now();
        while !archived.exists() && t.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(archived.exists());
        let kill = Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(kill.success());
        assert_eq!(
            wait(&mut child, Duration::from_secs(10)),
            Some(1),
            "{signal}"
        );
        let log = std::fs::read_to_string(ws.root.join("clas.log")).unwrap();
        assert!(log.contains("arrêt demandé"), "{log}");
    }
}

fn wait(child: &mut Child, limit: Duration) -> Option<i32> {
    let t = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code();
        }
        if t.elapsed() > limit {
            let _ = child.kill();
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
