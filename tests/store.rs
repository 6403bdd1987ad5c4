//! The store and the outputs under what an office does to them: `clas.db` deleted while the
//! archives hold documents, bytes of it overwritten, its disk full under a running watcher, its
//! files made read-only, a mistyped workspace, a synthesis edited by hand or left « open » by
//! a crashed Excel. The real binary, on scratch workspaces; each test first checks that the
//! fault really took effect. Mounts (tmpfs) and runs as `nobody` need root: without it the
//! test says why and is not run, except under CI (`CI` set), where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

use calamine::Reader;
use clas::store::{Status, Store};
use common::*;

const NOBODY: u32 = 65534;

/// The samples: bilans (two versions of one action among them) and notes stratégiques.
fn samples() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(repo().join("samples"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn sha_file(p: &Path) -> String {
    sha(&std::fs::read(p).unwrap())
}

struct Workspace {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Workspace {
    /// A workspace made by `clas init`, with a quick watcher.
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        set_mode(dir.path(), 0o755);
        let root = dir.path().join("espace");
        std::fs::create_dir_all(&root).unwrap();
        Workspace::init_in(dir, root)
    }

    fn init_in(dir: tempfile::TempDir, root: PathBuf) -> Workspace {
        std::fs::write(
            root.join("clas.toml"),
            "[controle]\nannee_scolaire = \"2025-2026\"\n\n[surveillance]\nstabilite_secondes = 0.2\nrelecture_secondes = 1\n",
        )
        .unwrap();
        let ws = Workspace { _dir: dir, root };
        let out = ws.run(&["init"]);
        assert!(out.status.success(), "{}", stderr(&out));
        ws
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn clas(&self) -> Command {
        let mut c = clas();
        c.arg("--workspace").arg(&self.root).current_dir(&self.root);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.clas().args(args).output().unwrap()
    }

    /// `clas watch` until depot/ has been quiet for a second.
    fn watch(&self) -> Output {
        self.run(&["watch", "--exit-when-idle", "1"])
    }

    fn drop_files(&self, files: &[(String, Vec<u8>)]) {
        let staging = self.root.join("preparation");
        std::fs::create_dir_all(&staging).unwrap();
        for (name, bytes) in files {
            std::fs::write(staging.join(name), bytes).unwrap();
        }
        for (name, _) in files {
            std::fs::rename(staging.join(name), self.path("depot").join(name)).unwrap();
        }
    }

    fn store(&self) -> Store {
        Store::open(&self.path("clas.db")).expect("the store opens")
    }

    fn synthesis(&self) -> PathBuf {
        self.path("sorties/synthese.xlsx")
    }

    /// The workspace after the watcher has archived every sample.
    fn with_samples() -> Workspace {
        let ws = Workspace::new();
        ws.drop_files(&samples());
        let out = ws.watch();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        ws
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.path("clas.log")).unwrap_or_default()
    }
}

/// Data rows of a sheet of a workbook.
fn rows(path: &Path, sheet: &str) -> usize {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    book.worksheet_range(sheet).unwrap().height() - 1
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn chown_all(p: &Path, uid: u32) {
    std::os::unix::fs::chown(p, Some(uid), Some(uid)).unwrap();
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            chown_all(&e.path(), uid);
        }
    }
}

/// Says why a fault cannot be produced here; fails under CI, where it must be.
fn not_run(test: &str, why: &str) {
    let message = format!("{test} : TEST NON EXÉCUTÉ, {why}");
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    eprintln!("{message}");
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|u| u.split_whitespace().nth(1).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// A tmpfs mount, undone when dropped.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn tmpfs(target: &Path, size: &str, test: &str) -> Option<Mounted> {
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(target)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        not_run(test, "« mount -t tmpfs » refusé : il faut être root");
        return None;
    }
    Some(Mounted(target.to_path_buf()))
}

// ---------------------------------------------------------------------------------------------
// 1. clas.db deleted while archives/ holds documents

#[test]
fn a_deleted_store_is_said_and_rebuilt_from_the_archives() {
    let ws = Workspace::with_samples();
    let before = ws.store().counts().unwrap();
    assert!(before.archived >= 9, "{before:?}");
    let synthesis = ws.synthesis();
    let rows_before = rows(&synthesis, "Synthèse");
    let sources_before = rows(&synthesis, "Sources");
    assert!(rows_before >= 9, "{rows_before}");
    let kept = sha_file(&synthesis);

    for f in ["clas.db", "clas.db-wal", "clas.db-shm"] {
        let _ = std::fs::remove_file(ws.path(f));
    }
    // Every command that uses the store says it, in French, and proposes the rebuild.
    for args in [
        &["synthesis"][..],
        &["relance"],
        &["watch", "--exit-when-idle", "0"],
    ] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?} {}", stderr(&out));
        let e = stderr(&out);
        assert!(
            e.contains("ne connaît aucun document")
                && e.contains(&format!("en contient {}", before.archived))
                && e.contains("clas rebuild"),
            "{args:?} {e}"
        );
        assert!(
            !ws.path("clas.db").exists(),
            "{args:?} : pas de base vide laissée"
        );
    }
    // The synthesis is as it was; a file sent again is not archived as new.
    assert_eq!(sha_file(&synthesis), kept);
    let again = samples()
        .into_iter()
        .find(|(n, _)| n == "horizon-boe.docx")
        .unwrap();
    ws.drop_files(std::slice::from_ref(&again));
    let out = ws.watch();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(ws.path("depot/horizon-boe.docx").exists());

    // clas rebuild: the store as it was, from the archives.
    let out = ws.run(&["rebuild"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("base reconstruite"),
        "{}",
        stderr(&out)
    );
    let after = ws.store().counts().unwrap();
    assert_eq!(
        (after.archived, after.current, after.replaced, after.actions),
        (
            before.archived,
            before.current,
            before.replaced,
            before.actions
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(rows(&synthesis, "Synthèse"), rows_before);
    assert_eq!(rows(&synthesis, "Sources"), sources_before);
    // The synthesis of before is kept beside, to compare.
    let kept_copy: Vec<PathBuf> = std::fs::read_dir(ws.path("sorties"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("synthese-avant-reconstruction-")
        })
        .collect();
    assert_eq!(kept_copy.len(), 1, "{}", stderr(&out));
    assert_eq!(sha_file(&kept_copy[0]), kept);
    // Nothing copied or moved: each file is recorded where it lies.
    for d in ws.store().documents().unwrap() {
        assert!(ws.root.join(&d.path).is_file(), "{}", d.path.display());
        assert!(
            !d.path.to_string_lossy().contains(" (2)"),
            "{}",
            d.path.display()
        );
    }
    // The re-sent file is now known for what it is.
    let out = ws.watch();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let docs = ws.store().documents().unwrap();
    let mine: Vec<_> = docs.iter().filter(|d| d.hash == sha(&again.1)).collect();
    assert_eq!(mine.len(), 2, "{}", stderr(&out));
    assert!(
        mine.iter()
            .any(|d| matches!(d.status, Status::Duplicate { .. })),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_synthesis_is_never_replaced_by_one_that_lists_fewer_documents() {
    let ws = Workspace::with_samples();
    let synthesis = ws.synthesis();
    let kept = sha_file(&synthesis);
    let sources = rows(&synthesis, "Sources");
    // The store and the archives both gone (moved elsewhere): nothing says the store is
    // orphaned, but the synthesis would drop every row.
    for f in ["clas.db", "clas.db-wal", "clas.db-shm"] {
        let _ = std::fs::remove_file(ws.path(f));
    }
    std::fs::rename(ws.path("archives"), ws.path("archives-ailleurs")).unwrap();
    let out = ws.run(&["synthesis"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(
        e.contains("n'a pas été remplacée")
            && e.contains(&format!("liste {sources} document"))
            && e.contains("clas rebuild"),
        "{e}"
    );
    assert_eq!(sha_file(&synthesis), kept);
    // A synthesis written before clas kept its mark: read to count its documents.
    let mark = ws.path("sorties/.synthese.xlsx.empreinte.json");
    assert!(mark.exists());
    std::fs::remove_file(&mark).unwrap();
    let out = ws.run(&["synthesis"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(sha_file(&synthesis), kept);
    // Moved away on purpose: a new synthesis is written.
    std::fs::rename(&synthesis, ws.path("ancienne.xlsx")).unwrap();
    let out = ws.run(&["synthesis"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------------
// 2. A damaged store

#[test]
fn a_damaged_store_is_refused_in_french_never_written_and_rebuilt() {
    let ws = Workspace::with_samples();
    // And a file refused.
    ws.drop_files(&[("illisible.docx".into(), b"pas un document".to_vec())]);
    assert_eq!(ws.watch().status.code(), Some(2));
    assert!(ws.path("rejets/illisible.docx").exists());
    let sources = rows(&ws.synthesis(), "Sources");
    let db = ws.path("clas.db");
    let synthesis_before = sha_file(&ws.synthesis());
    // Bytes overwritten in the middle of the file (a page of the tables).
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
        f.seek(SeekFrom::Start(8192)).unwrap();
        f.write_all(&[0xA5; 3000]).unwrap();
    }
    let damaged = sha_file(&db);
    let c = rusqlite::Connection::open(&db).unwrap();
    let check: String = c
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .unwrap_or_else(|e| e.to_string());
    drop(c);
    assert_ne!(check, "ok", "défaut non produit");

    let again = samples()
        .into_iter()
        .find(|(n, _)| n == "horizon-boe.docx")
        .unwrap();
    let mut new = again.clone();
    new.0 = "nouveau.docx".into();
    ws.drop_files(std::slice::from_ref(&new));
    for args in [&["synthesis"][..], &["watch", "--exit-when-idle", "0"]] {
        let out = ws.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?} {}", stderr(&out));
        let e = stderr(&out);
        assert!(
            e.contains("est endommagée") && e.contains("clas rebuild") && e.contains("sauvegarde"),
            "{args:?} {e}"
        );
        assert!(!e.contains("malformed") || e.contains("endommagée"), "{e}");
    }
    assert_eq!(
        sha_file(&db),
        damaged,
        "rien n'est écrit dans une base endommagée"
    );
    assert!(ws.path("depot/nouveau.docx").exists());
    assert_eq!(sha_file(&ws.synthesis()), synthesis_before);

    // A refused file removed by hand from rejets/: the rebuilt store knows one document
    // less than the last synthesis listed, which does not stop the new synthesis.
    let refused: Vec<PathBuf> = std::fs::read_dir(ws.path("rejets"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    for p in &refused {
        std::fs::remove_file(p).unwrap();
    }
    // clas rebuild sets it aside and makes the store again.
    let out = ws.run(&["rebuild"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let aside: Vec<_> = std::fs::read_dir(&ws.root)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("clas.db.mise-de-cote-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "{}", stderr(&out));
    assert_eq!(sha_file(&aside[0].path()), damaged);
    assert!(ws.store().counts().unwrap().archived >= 9);
    assert!(
        !stderr(&out).contains("n'a pas été remplacée"),
        "{}",
        stderr(&out)
    );
    assert_eq!(rows(&ws.synthesis(), "Sources"), sources - 1);
    let out = ws.watch();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(!ws.path("depot/nouveau.docx").exists(), "{}", stderr(&out));
}

#[test]
fn a_store_whose_text_was_overwritten_is_said_damaged() {
    let ws = Workspace::with_samples();
    let db = ws.path("clas.db");
    // Bytes of a porteur's name overwritten: the pages are sound (the quick check passes), the
    // text is not UTF-8 any more.
    let mut bytes = std::fs::read(&db).unwrap();
    let needle = b"Centre social du Pin";
    let mut n = 0;
    let mut i = 0;
    while let Some(at) = bytes[i..].windows(needle.len()).position(|w| w == needle) {
        bytes[i + at + 2] = 0xFF;
        bytes[i + at + 3] = 0xFE;
        i += at + needle.len();
        n += 1;
    }
    assert!(n > 0, "défaut non produit");
    std::fs::write(&db, &bytes).unwrap();
    let out = ws.run(&["synthesis"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(
        e.contains("est endommagée") && e.contains("clas rebuild"),
        "{e}"
    );
    assert!(!e.starts_with("clas : base de données : Conversion"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// 3. A full disk under a running watcher

#[test]
fn a_full_disk_under_the_running_watcher_keeps_the_files_and_goes_on() {
    let test = "disque plein sous la base, surveillance en cours";
    if !is_root() {
        return not_run(test, "il faut être root pour monter un tmpfs");
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("espace");
    std::fs::create_dir_all(&root).unwrap();
    let depot = dir.path().join("depot-partage");
    std::fs::create_dir_all(&depot).unwrap();
    let Some(_disk) = tmpfs(&root, "2m", test) else {
        return;
    };
    let ws = Workspace::init_in(dir, root);
    let toml = ws.path("clas.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        format!("{text}\n[dossiers]\ndepot = \"{}\"\n", depot.display()),
    )
    .unwrap();
    let mut watcher = ws
        .clas()
        .arg("watch")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let log_has = |text: &str, limit: Duration| {
        let t = Instant::now();
        while t.elapsed() < limit {
            if ws.log().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    };
    assert!(
        log_has("surveillance de", Duration::from_secs(20)),
        "{}",
        ws.log()
    );
    // Fill the disk.
    let filler = ws.path("remplissage");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 64 << 10];
        while f.write_all(&chunk).is_ok() {}
        while f.write_all(&[0u8]).is_ok() {}
    }
    assert!(
        std::fs::write(ws.path("sonde"), vec![0u8; 8192]).is_err(),
        "défaut non produit"
    );
    let _ = std::fs::remove_file(ws.path("sonde"));
    let files: Vec<(String, Vec<u8>)> = samples().into_iter().take(3).collect();
    for (name, bytes) in &files {
        std::fs::write(depot.join(name), bytes).unwrap();
    }
    let full = log_has("disque plein", Duration::from_secs(20));
    let alive = watcher.try_wait().unwrap().is_none();
    let log = ws.log();
    assert!(full, "{log}");
    assert!(alive, "la surveillance continue : {log}");
    assert!(!log.contains("FOREIGN KEY"), "{log}");
    for (name, _) in &files {
        assert!(
            depot.join(name).exists()
                || ws
                    .store()
                    .documents()
                    .unwrap()
                    .iter()
                    .any(|d| &d.file_name == name),
            "{name} : ni dans le dépôt ni enregistré\n{log}"
        );
    }
    // Room again: the watcher goes on by itself.
    std::fs::remove_file(&filler).unwrap();
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(30) && files.iter().any(|(n, _)| depot.join(n).exists())
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill")
        .args(["-TERM", &watcher.id().to_string()])
        .status();
    let _ = watcher.wait();
    let log = ws.log();
    for (name, bytes) in &files {
        assert!(!depot.join(name).exists(), "{name}\n{log}");
        let docs = ws.store().documents().unwrap();
        let mine: Vec<_> = docs.iter().filter(|d| d.hash == sha(bytes)).collect();
        assert_eq!(mine.len(), 1, "{name} compté une fois\n{log}");
    }
    let c = rusqlite::Connection::open(ws.path("clas.db")).unwrap();
    let pending: i64 = c
        .query_row(
            "SELECT count(*) FROM documents WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0);
}

#[test]
fn a_full_disk_at_start_is_not_told_as_a_question_of_rights() {
    let test = "disque plein au démarrage";
    if !is_root() {
        return not_run(test, "il faut être root pour monter un tmpfs");
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("espace");
    std::fs::create_dir_all(&root).unwrap();
    let Some(_disk) = tmpfs(&root, "1m", test) else {
        return;
    };
    let ws = Workspace::init_in(dir, root);
    let out = ws.watch();
    assert!(out.status.success(), "{}", stderr(&out));
    {
        use std::io::Write;
        let mut f = std::fs::File::create(ws.path("remplissage")).unwrap();
        let chunk = vec![0u8; 64 << 10];
        while f.write_all(&chunk).is_ok() {}
        while f.write_all(&[0u8]).is_ok() {}
    }
    let out = ws.watch();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("disque") && e.contains("plein"), "{e}");
    assert!(!e.contains("droits"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// 4. A read-only store

#[test]
fn a_read_only_store_is_said_in_french_and_recovers_once_the_rights_are_fixed() {
    let test = "base en lecture seule";
    if !is_root() || Command::new("setpriv").arg("--version").output().is_err() {
        return not_run(
            test,
            "il faut être root et avoir setpriv pour lancer clas sous nobody",
        );
    }
    let ws = Workspace::new();
    chown_all(&ws.root, NOBODY);
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args([
                &format!("--reuid={NOBODY}"),
                &format!("--regid={NOBODY}"),
                "--clear-groups",
            ])
            .arg(env!("CARGO_BIN_EXE_clas"))
            .arg("--workspace")
            .arg(&ws.root)
            .args(args)
            .current_dir(&ws.root)
            .output()
            .unwrap()
    };
    let out = as_nobody(&["watch", "--exit-when-idle", "0"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The store made read-only (an agent's « Lecture seule », a copy from a CD…).
    set_mode(&ws.path("clas.db"), 0o444);
    let files: Vec<(String, Vec<u8>)> = samples().into_iter().take(1).collect();
    ws.drop_files(&files);
    chown_all(&ws.path("depot"), NOBODY);
    let out = as_nobody(&["watch", "--exit-when-idle", "1"]);
    let e = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(
        e.contains("est en lecture seule") && e.contains("droit d'écriture"),
        "{e}"
    );
    assert!(
        !e.lines()
            .any(|l| l.contains("attempt to write") && !l.contains("lecture seule")),
        "{e}"
    );
    assert!(ws.path("depot").join(&files[0].0).exists(), "{e}");
    // SQLite created its companion files read-only, like the database.
    let shm = ws.path("clas.db-shm");
    assert!(
        std::fs::metadata(&shm).is_ok_and(|m| m.permissions().readonly()),
        "défaut non produit : {:?}",
        std::fs::metadata(&shm).map(|m| m.permissions())
    );
    // The rights fixed on clas.db only, as an agent would: clas goes on.
    set_mode(&ws.path("clas.db"), 0o644);
    let out = as_nobody(&["watch", "--exit-when-idle", "1"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(
        !ws.path("depot").join(&files[0].0).exists(),
        "{}",
        stderr(&out)
    );
    assert_eq!(ws.store().counts().unwrap().archived, 1);
    // A `-shm` left read-only by another user (clas cannot change its rights), no one using
    // the store: clas goes on too.
    std::fs::write(&shm, vec![0u8; 32768]).unwrap();
    std::os::unix::fs::chown(&shm, Some(0), Some(0)).unwrap();
    set_mode(&shm, 0o444);
    let next: Vec<(String, Vec<u8>)> = samples().into_iter().skip(1).take(1).collect();
    ws.drop_files(&next);
    chown_all(&ws.path("depot"), NOBODY);
    let out = as_nobody(&["watch", "--exit-when-idle", "1"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(
        !ws.path("depot").join(&next[0].0).exists(),
        "{}",
        stderr(&out)
    );
    assert_eq!(ws.store().counts().unwrap().archived, 2);
}

// ---------------------------------------------------------------------------------------------
// 5. A mistyped workspace

#[test]
fn a_mistyped_workspace_is_said_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("CLSA");
    for args in [
        &["watch", "--exit-when-idle", "0"][..],
        &["synthesis"],
        &["ingest", "bilan.docx"],
        &["relance"],
        &["prefill"],
        &["rebuild"],
    ] {
        let out = clas()
            .arg("--workspace")
            .arg(&typo)
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = stderr(&out);
        assert!(
            e.contains("n'existe pas") && e.contains(&format!("clas init {}", typo.display())),
            "{args:?} {e}"
        );
        assert!(!typo.exists(), "{args:?} : rien n'est créé");
    }
    // An existing folder that is not a workspace (no clas.toml, no clas.db, no depot/).
    std::fs::create_dir(&typo).unwrap();
    let out = run(&["synthesis"], &typo);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(
        e.contains("n'est pas un espace de travail clas") && e.contains("clas init"),
        "{e}"
    );
    assert!(!e.contains("unable to open"), "{e}");
    assert_eq!(
        std::fs::read_dir(&typo).unwrap().count(),
        0,
        "rien n'est créé"
    );
    // A mistyped --workspace for a command on files is said too; without it, any folder.
    let file = repo().join("samples/horizon-boe.docx");
    let out = clas()
        .arg("--workspace")
        .arg(dir.path().join("CLAS-absent"))
        .arg("extract")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&["extract", file.to_str().unwrap()], &typo);
    assert!(out.status.success(), "{}", stderr(&out));
    // Once made by clas init, it is one.
    assert!(run(&["init"], &typo).status.success());
    let out = run(&["watch", "--exit-when-idle", "0"], &typo);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------------
// 6. The synthesis: a stale Excel lock file, a hand edit

fn age(path: &Path, hours: u64) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(hours * 3600))
        .unwrap();
}

#[test]
fn a_stale_excel_lock_file_is_explained_in_the_log_and_the_synthesis_updated() {
    let ws = Workspace::new();
    let mut files = samples().into_iter();
    ws.drop_files(&[files.next().unwrap()]);
    assert!(matches!(ws.watch().status.code(), Some(0 | 1)));
    let synthesis = ws.synthesis();
    assert_eq!(rows(&synthesis, "Sources"), 1);
    // Excel open on it right now (its owner file just written): a dated copy, and the log says
    // why and what to do if Excel is in fact closed.
    let owner = ws.path("sorties/~$synthese.xlsx");
    std::fs::write(&owner, b"agent").unwrap();
    ws.drop_files(&[files.next().unwrap()]);
    assert!(matches!(ws.watch().status.code(), Some(0 | 1)));
    assert_eq!(rows(&synthesis, "Sources"), 1);
    let log = ws.log();
    assert!(
        log.contains("n'a pas pu être remplacé") && log.contains("supprimez ce fichier caché"),
        "{log}"
    );
    // Left by an Excel that crashed two days ago: synthese.xlsx is updated, the log says so.
    age(&owner, 48);
    ws.drop_files(&[files.next().unwrap()]);
    assert!(matches!(ws.watch().status.code(), Some(0 | 1)));
    assert_eq!(rows(&synthesis, "Sources"), 3);
    let log = ws.log();
    assert!(
        log.contains("reste d'Excel ou de LibreOffice fermé brutalement")
            && log.contains("Vous pouvez supprimer ce fichier caché"),
        "{log}"
    );
    assert!(owner.exists(), "le fichier d'Excel n'est pas celui de clas");
}

#[test]
fn a_hand_edited_synthesis_is_kept_aside_and_the_agent_pointed_to_the_review_page() {
    let ws = Workspace::with_samples();
    let synthesis = ws.synthesis();
    // The agent corrects a cell in Excel and saves.
    let mut edited = std::fs::read(&synthesis).unwrap();
    edited.extend_from_slice(b"modifie");
    std::fs::write(&synthesis, &edited).unwrap();
    let out = ws.run(&["synthesis"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(
        e.contains("modifié à la main") && e.contains("clas review"),
        "{e}"
    );
    let kept: Vec<PathBuf> = std::fs::read_dir(ws.path("sorties"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("synthese-modifiee-")
        })
        .collect();
    assert_eq!(kept.len(), 1, "{e}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), edited);
    assert!(
        e.contains(&kept[0].file_name().unwrap().to_string_lossy().to_string()),
        "{e}"
    );
    assert_ne!(std::fs::read(&synthesis).unwrap(), edited);
    // Not edited since: replaced without a word, no other copy.
    let out = ws.run(&["synthesis"]);
    assert!(
        !stderr(&out).contains("modifié à la main"),
        "{}",
        stderr(&out)
    );
    let copies = std::fs::read_dir(ws.path("sorties"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("synthese-"))
        .count();
    assert_eq!(copies, 1);
    // In the watcher's log too.
    std::fs::write(&synthesis, b"tout autre chose").unwrap();
    ws.drop_files(&[("encore.docx".into(), samples()[0].1.clone())]);
    let _ = ws.watch();
    assert!(ws.log().contains("modifié à la main"), "{}", ws.log());
}

/// The disk fills between the moment the files are placed in `archives/` and the moment the
/// store marks them done (simulated: CLAS_FAILPOINT is read only with the feature
/// `failpoints`): the files go back to `depot/`, the watcher says it and goes on, and the next
/// pass archives each once.
#[cfg(feature = "failpoints")]
#[test]
fn a_disk_full_when_the_files_are_marked_done_sends_them_back_to_depot() {
    let ws = Workspace::new();
    let files: Vec<(String, Vec<u8>)> = samples().into_iter().take(3).collect();
    ws.drop_files(&files);
    let out = ws
        .clas()
        // Long enough for the files to be tried again (every `relecture_secondes`).
        .args(["watch", "--exit-when-idle", "4"])
        .env("CLAS_FAILPOINT", "finish-plein:1")
        .output()
        .unwrap();
    let e = stderr(&out);
    assert!(e.contains("disque plein"), "{e}");
    assert!(!e.contains("arrêt :"), "la surveillance continue : {e}");
    assert!(matches!(out.status.code(), Some(0..=2)), "{e}");
    let docs = ws.store().documents().unwrap();
    for (name, bytes) in &files {
        assert!(!ws.path("depot").join(name).exists(), "{name}\n{e}");
        let mine: Vec<_> = docs.iter().filter(|d| d.hash == sha(bytes)).collect();
        assert_eq!(mine.len(), 1, "{name} compté une fois\n{e}");
        assert_eq!(mine[0].status, Status::Archived);
        assert!(ws.root.join(&mine[0].path).is_file());
    }
    let c = rusqlite::Connection::open(ws.path("clas.db")).unwrap();
    let pending: i64 = c
        .query_row(
            "SELECT count(*) FROM documents WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0);
    // Between the two passes, the files were back in depot/.
    assert!(
        e.lines()
            .any(|l| l.contains("non archivé, laissé en place") && l.contains("disque plein")),
        "{e}"
    );
}
