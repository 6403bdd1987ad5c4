//! Faults under the watcher: the real binary on scratch workspaces whose archive folder is
//! read-only, whose disk is full, whose dropped files vanish, change, or may not be read, and
//! whose store is locked by another process.
//!
//! For each fault, clas must **report** it (a French message that names the file and the
//! reason), **keep** the file (it ends in exactly one place — still in `depot/`, or in
//! `archives/` or `rejets/` with its reason — never lost, never half-written under a final
//! name), **go on** with the other files, and, once the fault is gone, a later run must archive
//! the kept file, counted once. The exit status follows docs/cli.md.
//!
//! Every test first checks that the fault really took effect (a write really fails, the lock is
//! really held…), so that none passes because the fault was not produced. Mounts (tmpfs,
//! read-only bind mounts) need root: when `mount` is refused, the test says why and is not run,
//! except under CI (`CI` set), where it fails.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use clas::store::{Status, Store};
use common::*;

// ---------------------------------------------------------------------------------------------
// Documents

/// A bilan whose porteur, action number and school year are known (every question of the
/// embedded mapping, each with its answer on the same line), stored uncompressed so that two
/// bilans whose numbers of children have as many digits have the same size; `padding` bytes of noise are
/// added as an extra part (a big attachment).
fn bilan(porteur: &str, numero: &str, enfants: u32, padding: usize) -> Vec<u8> {
    use std::collections::HashMap;
    let values: HashMap<&str, String> = [
        ("porteur.nom", porteur.to_string()),
        ("action.numero", numero.to_string()),
        ("calendrier.debut", "06/10/2025".to_string()),
        ("enfants.total", enfants.to_string()),
    ]
    .into_iter()
    .collect();
    let paragraphs = bilan_paragraphs(&values);
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = paragraphs
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
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default());
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        if padding > 0 {
            zip.start_file("word/media/piece-jointe.bin", options)
                .unwrap();
            zip.write_all(&noise(padding, porteur.len() as u64))
                .unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// Incompressible bytes (xorshift).
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn sha_file(path: &Path) -> String {
    sha(&std::fs::read(path).unwrap_or_else(|e| panic!("{} devrait exister ({e})", path.display())))
}

// ---------------------------------------------------------------------------------------------
// Workspaces

const NOBODY: u32 = 65534;

struct Workspace {
    dir: tempfile::TempDir,
    root: PathBuf,
}

impl Workspace {
    /// A workspace whose watcher is quick; `extra` is added to clas.toml (e.g. `[dossiers]`).
    fn new(extra: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        // Traversable by the unprivileged user of the permission tests.
        set_mode(dir.path(), 0o755);
        let root = dir.path().join("espace");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(
            root.join("clas.toml"),
            format!(
                "[controle]\nannee_scolaire = \"2025-2026\"\n\n[surveillance]\nstabilite_secondes = 0.3\nrelecture_secondes = 1\n\n{extra}"
            ),
        )
        .unwrap();
        let ws = Workspace { dir, root };
        std::fs::create_dir_all(ws.depot()).unwrap();
        ws
    }

    /// A folder beside the workspace (another filesystem can be mounted there).
    fn beside(&self, name: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    /// Adds to clas.toml (e.g. a `[dossiers]` table).
    fn configure(&self, extra: &str) {
        let path = self.root.join("clas.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n{extra}")).unwrap();
    }

    /// A folder of `[dossiers]` as clas.toml sets it.
    fn folder(&self, key: &str) -> PathBuf {
        let text = std::fs::read_to_string(self.root.join("clas.toml")).unwrap();
        match text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key} = ")))
        {
            Some(p) => self.root.join(p.trim_matches('"')),
            None => self.root.join(key),
        }
    }

    fn depot(&self) -> PathBuf {
        self.folder("depot")
    }

    fn year(&self) -> PathBuf {
        self.folder("archives").join("2025-2026")
    }

    /// Drops files in `depot/` at once (written beside it, then renamed in), oldest first.
    fn drop_files(&self, files: &[(&str, &[u8])]) {
        let depot = self.depot();
        let staging = depot.parent().unwrap().join("preparation");
        std::fs::create_dir_all(&staging).unwrap();
        let t0 = SystemTime::now() - Duration::from_secs(60);
        for (i, (name, bytes)) in files.iter().enumerate() {
            let p = staging.join(name);
            std::fs::write(&p, bytes).unwrap();
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(t0 + Duration::from_secs(i as u64)).unwrap();
        }
        for (name, _) in files {
            std::fs::rename(staging.join(name), depot.join(name)).unwrap();
        }
    }

    fn clas(&self) -> Command {
        let mut c = clas();
        c.arg("--workspace").arg(&self.root).current_dir(&self.root);
        c
    }

    /// clas run as the unprivileged user `nobody` (root would bypass file permissions).
    fn clas_as_nobody(&self) -> Command {
        let mut c = Command::new("setpriv");
        c.args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
        ])
        .arg(env!("CARGO_BIN_EXE_clas"))
        .arg("--workspace")
        .arg(&self.root)
        .current_dir(&self.root);
        c
    }

    /// `clas watch` until `depot/` has been empty for a second, killed after `limit`.
    fn watch(&self, limit: Duration) -> Ran {
        let mut c = self.clas();
        c.args(["watch", "--exit-when-idle", "1"]);
        run_limited(c, limit)
    }

    fn store(&self) -> Store {
        Store::open(&self.root.join("clas.db")).expect("the store opens")
    }

    /// Intents recorded and not finished.
    fn pending(&self) -> i64 {
        let c = rusqlite::Connection::open(self.root.join("clas.db")).unwrap();
        c.query_row(
            "SELECT count(*) FROM documents WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// Every file under the workspace and the depot whose content is `hash` (temporary files
    /// included), relative paths.
    fn places_of(&self, hash: &str) -> Vec<PathBuf> {
        let mut all = Vec::new();
        list(&self.root, &mut all);
        for outside in [self.depot(), self.folder("archives")] {
            if !outside.starts_with(&self.root) {
                list(&outside, &mut all);
            }
        }
        let mut found: Vec<PathBuf> = all
            .into_iter()
            .filter(|p| std::fs::read(p).is_ok_and(|b| sha(&b) == hash))
            .collect();
        found.sort();
        found
    }

    /// Files of a folder whose name is not final: clas's temporary copies and reports.
    fn temporaries(&self, dir: &Path) -> Vec<PathBuf> {
        let mut all = Vec::new();
        list(dir, &mut all);
        all.into_iter()
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                n.starts_with('.') || n.ends_with(".clas-copie") || n.ends_with(".tmp")
            })
            .collect()
    }
}

fn list(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            list(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn chown(p: &Path, uid: u32) {
    std::os::unix::fs::chown(p, Some(uid), Some(uid)).unwrap();
}

fn chown_all(p: &Path, uid: u32) {
    chown(p, uid);
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            chown_all(&e.path(), uid);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Processes

/// What a run of clas gave: its exit code (None: killed after its time limit) and its stderr.
struct Ran {
    code: Option<i32>,
    stderr: String,
    timed_out: bool,
}

impl Ran {
    /// The lines of stderr that name `file`.
    fn about(&self, file: &str) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.contains(file)).collect()
    }
}

/// A clas started in the background, its stderr read as it comes.
struct Running {
    child: Child,
    stderr: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

fn spawn(mut cmd: Command) -> Running {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clas starts");
    let pipe = child.stderr.take().unwrap();
    let stderr = Arc::new(Mutex::new(String::new()));
    let sink = stderr.clone();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    Running {
        child,
        stderr,
        reader: Some(reader),
    }
}

impl Running {
    /// Waits until stderr contains `text`; false after `limit`.
    fn wait_for(&self, text: &str, limit: Duration) -> bool {
        let t = Instant::now();
        while t.elapsed() < limit {
            if self.stderr.lock().unwrap().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits for the end (killed after `limit`).
    fn finish(mut self, limit: Duration) -> Ran {
        let t = Instant::now();
        let mut timed_out = false;
        let code = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s.code();
            }
            if t.elapsed() > limit {
                timed_out = true;
                let _ = self.child.kill();
                let _ = self.child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        Ran {
            code,
            stderr: self.stderr(),
            timed_out,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.reader.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn run_limited(cmd: Command, limit: Duration) -> Ran {
    spawn(cmd).finish(limit)
}

// ---------------------------------------------------------------------------------------------
// Faults

/// A mount, undone (lazily, even if something still uses it) when dropped, test failed or not.
struct Mounted {
    target: PathBuf,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.target).status();
    }
}

/// Runs `mount ARGS… TARGET`. When mounting is refused (not root, no CAP_SYS_ADMIN), says why
/// and returns None, or fails under CI, where these tests must run.
fn mount(args: &[&str], source: &str, target: &Path, test: &str) -> Option<Mounted> {
    let out = Command::new("mount")
        .args(args)
        .arg(source)
        .arg(target)
        .output();
    match out {
        Ok(o) if o.status.success() => Some(Mounted {
            target: target.to_path_buf(),
        }),
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
                Err(e) => e.to_string(),
            };
            let message = format!(
                "{test} : TEST NON EXÉCUTÉ, « mount {} {source} {} » refusé ({why}) ; \
                 il faut être root (ou avoir CAP_SYS_ADMIN) pour produire ce défaut",
                args.join(" "),
                target.display()
            );
            if std::env::var_os("CI").is_some() {
                panic!("{message}");
            }
            eprintln!("{message}");
            None
        }
    }
}

/// `dir` made read-only by a read-only bind mount on itself (root is refused too: EROFS).
fn read_only(dir: &Path, test: &str) -> Option<Mounted> {
    let bind = mount(&["--bind"], &dir.to_string_lossy(), dir, test)?;
    // Changes the bind mount itself (nothing stacked): one unmount undoes both.
    let ro = mount(
        &["-o", "remount,bind,ro"],
        &dir.to_string_lossy(),
        dir,
        test,
    )?;
    std::mem::forget(ro);
    Some(bind)
}

/// Checks that writing in `dir` really fails, with the error expected.
fn assert_write_fails(dir: &Path, len: usize, kind: std::io::ErrorKind) {
    let probe = dir.join("sonde-ecriture");
    let r = std::fs::write(&probe, vec![0u8; len]);
    let _ = std::fs::remove_file(&probe);
    match r {
        Err(e) => assert_eq!(e.kind(), kind, "{e}"),
        Ok(()) => panic!(
            "défaut non produit : l'écriture de {len} octets dans {} a réussi",
            dir.display()
        ),
    }
}

/// Whether `nobody` can read `path` (checked by the kernel, not by us).
fn nobody_can_read(path: &Path) -> bool {
    Command::new("setpriv")
        .args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
            "test",
            "-r",
        ])
        .arg(path)
        .status()
        .unwrap()
        .success()
}

fn is_root() -> bool {
    // The effective uid of this process, as the kernel says.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|u| u.split_whitespace().nth(1).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// The permission tests run clas as `nobody`, which needs root; same rule as mounts.
fn need_root(test: &str) -> bool {
    let ok = is_root() && Command::new("setpriv").arg("--version").output().is_ok();
    if !ok {
        let message = format!(
            "{test} : TEST NON EXÉCUTÉ, il faut être root et avoir setpriv pour lancer clas sous \
             un utilisateur sans privilège (root passe outre les permissions)"
        );
        if std::env::var_os("CI").is_some() {
            panic!("{message}");
        }
        eprintln!("{message}");
    }
    ok
}

/// Another process's write lock on the store: `BEGIN EXCLUSIVE` held until dropped.
struct StoreLock {
    conn: Option<rusqlite::Connection>,
}

impl StoreLock {
    fn take(db: &Path) -> StoreLock {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        StoreLock { conn: Some(conn) }
    }

    fn release(&mut self) {
        if let Some(c) = self.conn.take() {
            c.execute_batch("COMMIT").unwrap();
        }
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        self.release();
    }
}

/// Checks that another writer is really refused by the store right now.
fn assert_store_locked(db: &Path) {
    let other = rusqlite::Connection::open(db).unwrap();
    other.busy_timeout(Duration::from_millis(50)).unwrap();
    let r = other.execute_batch("BEGIN IMMEDIATE; COMMIT;");
    assert!(
        r.is_err(),
        "défaut non produit : la base n'est pas verrouillée"
    );
}

/// The workspace's `.clas.lock`, held as another clas holds it (`flock`), until dropped.
fn hold_workspace_lock(ws: &Workspace) -> std::fs::File {
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(ws.root.join(".clas.lock"))
        .unwrap();
    f.lock().unwrap();
    f
}

/// Whether another process holds the workspace's lock right now.
fn workspace_locked(ws: &Workspace) -> bool {
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(ws.root.join(".clas.lock"))
        .unwrap();
    match f.try_lock() {
        Ok(()) => {
            let _ = f.unlock();
            false
        }
        Err(_) => true,
    }
}

/// An empty workspace with its store created (a first run of the watcher).
fn initialised(extra: &str) -> Workspace {
    let ws = Workspace::new(extra);
    let r = ws.watch(Duration::from_secs(20));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    ws
}

/// After the fault is gone: `depot/` emptied, each file archived once with its content.
fn assert_archived_once(ws: &Workspace, files: &[(&str, &[u8])]) {
    for (name, bytes) in files {
        assert_eq!(
            ws.places_of(&sha(bytes)),
            vec![ws.year().join(name)],
            "{name} : archivé, et seulement là"
        );
        let report = std::fs::read_to_string(ws.year().join(format!("{name}.rapport.txt")))
            .unwrap_or_else(|e| panic!("{name} : pas de rapport ({e})"));
        assert!(report.contains(&sha(bytes)), "{report}");
    }
    let docs = ws.store().documents().unwrap();
    for (name, bytes) in files {
        let mine: Vec<_> = docs.iter().filter(|d| d.hash == sha(bytes)).collect();
        assert_eq!(mine.len(), 1, "{name} : compté une fois");
        assert_eq!(mine[0].status, Status::Archived, "{name}");
        assert_eq!(mine[0].file_name, *name);
    }
    assert_eq!(ws.pending(), 0, "aucune intention en suspens");
}

const LIMIT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// 1. The archive folder read-only

#[test]
fn read_only_archives_keep_the_file_in_depot_until_they_are_writable_again() {
    let ws = initialised("");
    let first = bilan("Club Déjà Là", "1", 12, 0);
    ws.drop_files(&[("déjà là.docx", &first)]);
    assert_eq!(ws.watch(LIMIT).code, Some(1));
    let a = bilan("Association Arc-en-ciel", "1", 12, 0);
    let files: [(&str, &[u8]); 1] = [("bilan A.docx", &a)];
    {
        let Some(_ro) = read_only(&ws.root.join("archives"), "archives en lecture seule") else {
            return;
        };
        assert_write_fails(&ws.year(), 10, std::io::ErrorKind::ReadOnlyFilesystem);
        ws.drop_files(&files);
        let r = ws.watch(LIMIT);
        assert!(!r.timed_out, "clas watch ne s'arrête pas\n{}", r.stderr);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        let about = r.about("bilan A.docx");
        assert!(
            about
                .iter()
                .any(|l| l.contains("Read-only file system") || l.contains("lecture seule")),
            "le message nomme le fichier et la raison\n{}",
            r.stderr
        );
        // Kept where it was, whole; nothing under a final name in the archives.
        assert_eq!(
            ws.places_of(&sha(&a)),
            vec![ws.depot().join("bilan A.docx")]
        );
        let c = ws.store().counts().unwrap();
        assert_eq!((c.received, c.archived), (1, 1), "rien de compté");
    }
    assert!(std::fs::write(ws.year().join("sonde"), b"x").is_ok());
    std::fs::remove_file(ws.year().join("sonde")).unwrap();
    let r = ws.watch(LIMIT);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(r.about("bilan A.docx").len(), 1, "{}", r.stderr);
    assert_archived_once(&ws, &[("déjà là.docx", &first), files[0]]);
    let c = ws.store().counts().unwrap();
    assert_eq!((c.received, c.archived, c.duplicates), (2, 2, 0));
    assert!(ws.temporaries(&ws.root.join("archives")).is_empty());
}

#[test]
fn read_only_archives_do_not_stop_the_other_files_of_the_batch() {
    let ws = initialised("");
    // The archive folder of 2025-2026 read-only; rejets/ writable.
    std::fs::create_dir_all(ws.year()).unwrap();
    let a = bilan("Association Arc-en-ciel", "1", 12, 0);
    let b = bilan("Bibliothèque de Boé", "1", 12, 0);
    let txt = b"pas un formulaire".to_vec();
    let files: [(&str, &[u8]); 3] = [
        ("bilan A.docx", &a),
        ("notes.txt", &txt),
        ("bilan B.docx", &b),
    ];
    {
        let Some(_ro) = read_only(&ws.year(), "archives en lecture seule") else {
            return;
        };
        assert_write_fails(&ws.year(), 10, std::io::ErrorKind::ReadOnlyFilesystem);
        ws.drop_files(&files);
        let r = ws.watch(LIMIT);
        assert!(!r.timed_out, "{}", r.stderr);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        for name in ["bilan A.docx", "bilan B.docx"] {
            assert!(!r.about(name).is_empty(), "{name} nommé\n{}", r.stderr);
        }
        assert_eq!(
            ws.places_of(&sha(&a)),
            vec![ws.depot().join("bilan A.docx")]
        );
        assert_eq!(
            ws.places_of(&sha(&b)),
            vec![ws.depot().join("bilan B.docx")]
        );
        // The refused file goes on to rejets/, with its reason.
        assert_eq!(
            ws.places_of(&sha(&txt)),
            vec![ws.root.join("rejets/notes.txt")],
            "{}",
            r.stderr
        );
        assert!(ws.root.join("rejets/notes.txt.txt").exists());
    }
    let r = ws.watch(LIMIT);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_archived_once(&ws, &[files[0], files[2]]);
    let c = ws.store().counts().unwrap();
    assert_eq!((c.received, c.archived, c.rejected), (3, 2, 1));
}

// ---------------------------------------------------------------------------------------------
// 2. Disk full

/// A workspace whose `archives/` is a small tmpfs (`size` bytes), the rest on the main disk:
/// moving a file there is a copy, which the full disk refuses.
fn with_small_archive_disk(size: &str, test: &str) -> Option<(Workspace, Mounted, PathBuf)> {
    let ws = Workspace::new("");
    let disk_dir = ws.beside("disque-archives");
    let disk = mount(
        &["-t", "tmpfs", "-o", &format!("size={size}")],
        "tmpfs",
        &disk_dir,
        test,
    )?;
    ws.configure(&format!(
        "[dossiers]\narchives = \"{}\"\n",
        disk_dir.display()
    ));
    let r = ws.watch(LIMIT);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    Some((ws, disk, disk_dir))
}

#[test]
fn a_full_archive_disk_keeps_the_file_in_depot_until_there_is_room() {
    let test = "disque des archives plein";
    let Some((ws, _disk, disk)) = with_small_archive_disk("1m", test) else {
        return;
    };
    let year = disk.join("2025-2026");
    let big = bilan("Grande Association", "1", 12, 3 << 20);
    // The fault: this file does not fit.
    assert_write_fails(&disk, big.len(), std::io::ErrorKind::StorageFull);
    let files: [(&str, &[u8]); 1] = [("gros bilan.docx", &big)];
    ws.drop_files(&files);
    let r = ws.watch(LIMIT);
    assert!(!r.timed_out, "{}", r.stderr);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.about("gros bilan.docx")
            .iter()
            .any(|l| l.contains("disque plein") || l.contains("disque est plein")),
        "{}",
        r.stderr
    );
    assert_eq!(
        ws.places_of(&sha(&big)),
        vec![ws.depot().join("gros bilan.docx")]
    );
    assert!(!year.join("gros bilan.docx").exists(), "rien sous son nom");
    assert!(
        ws.temporaries(&disk).is_empty(),
        "{:?}",
        ws.temporaries(&disk)
    );
    let c = ws.store().counts().unwrap();
    assert_eq!(c.received, 0);

    // Room again.
    let grown = Command::new("mount")
        .args(["-o", "remount,size=16m"])
        .arg(&disk)
        .status()
        .unwrap();
    assert!(grown.success());
    let r = ws.watch(LIMIT);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(ws.places_of(&sha(&big)), vec![year.join("gros bilan.docx")]);
    let docs = ws.store().documents().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(
        (docs[0].hash.as_str(), &docs[0].status),
        (sha(&big).as_str(), &Status::Archived)
    );
    assert_eq!(ws.pending(), 0);
}

#[test]
fn a_full_archive_disk_does_not_stop_the_files_that_fit() {
    let test = "disque des archives plein (lot)";
    let Some((ws, _disk, disk)) = with_small_archive_disk("1m", test) else {
        return;
    };
    let year = disk.join("2025-2026");
    let small1 = bilan("Maison de quartier Petit Un", "1", 12, 0);
    let big = bilan("Grande Association", "1", 12, 3 << 20);
    let small2 = bilan("Ludothèque Petit Deux", "1", 12, 0);
    assert_write_fails(&disk, big.len(), std::io::ErrorKind::StorageFull);
    let files: [(&str, &[u8]); 3] = [
        ("petit un.docx", &small1),
        ("gros bilan.docx", &big),
        ("petit deux.docx", &small2),
    ];
    ws.drop_files(&files);
    let r = ws.watch(LIMIT);
    assert!(!r.timed_out, "{}", r.stderr);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(!r.about("gros bilan.docx").is_empty(), "{}", r.stderr);
    assert_eq!(
        ws.places_of(&sha(&big)),
        vec![ws.depot().join("gros bilan.docx")]
    );
    for (name, bytes) in [files[0], files[2]] {
        assert_eq!(
            ws.places_of(&sha(bytes)),
            vec![year.join(name)],
            "{name}\n{}",
            r.stderr
        );
    }
    assert!(ws.temporaries(&disk).is_empty());
}

#[test]
fn a_full_disk_under_the_store_stops_before_any_file_and_keeps_it() {
    let test = "disque de l'espace de travail plein";
    let ws = Workspace::new("");
    // The workspace on a small tmpfs; depot/ on the main disk (it is often a share).
    let depot = ws.beside("depot-partage");
    ws.configure(&format!("[dossiers]\ndepot = \"{}\"\n", depot.display()));
    let toml = std::fs::read(ws.root.join("clas.toml")).unwrap();
    let Some(_disk) = mount(&["-t", "tmpfs", "-o", "size=2m"], "tmpfs", &ws.root, test) else {
        return;
    };
    std::fs::write(ws.root.join("clas.toml"), &toml).unwrap();
    let r = ws.watch(LIMIT);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // Fill it up.
    let filler = ws.root.join("remplissage");
    {
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 64 << 10];
        while f.write_all(&chunk).is_ok() {}
        let one = [0u8; 1];
        while f.write_all(&one).is_ok() {}
        let _ = f.sync_all();
    }
    assert_write_fails(&ws.root, 4096, std::io::ErrorKind::StorageFull);
    let a = bilan("Association Arc-en-ciel", "1", 12, 0);
    let files: [(&str, &[u8]); 1] = [("bilan A.docx", &a)];
    ws.drop_files(&files);
    let r = ws.watch(LIMIT);
    assert!(!r.timed_out, "{}", r.stderr);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("disque") && r.stderr.contains("plein"),
        "{}",
        r.stderr
    );
    assert_eq!(ws.places_of(&sha(&a)), vec![depot.join("bilan A.docx")]);

    std::fs::remove_file(&filler).unwrap();
    let r = ws.watch(LIMIT);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_archived_once(&ws, &files);
}

// ---------------------------------------------------------------------------------------------
// 3. A file that vanishes or changes between detection and reading

/// The watcher has found the files stable and waits for the workspace's lock (held by the
/// test, as another clas would): the files change under it before it reads them.
#[test]
fn a_file_replaced_while_the_watcher_waits_is_read_as_it_is_then() {
    let ws = initialised("");
    // Same length, so that the replacement can also keep the size and the date.
    let before = bilan("Régie de quartier Rives", "1", 12, 0);
    let after = bilan("Régie de quartier Rives", "1", 13, 0);
    assert_eq!(before.len(), after.len());
    assert_ne!(sha(&before), sha(&after));
    let other = bilan("Secours populaire Sud", "1", 12, 0);
    let grown_before = bilan("Théâtre du Temple", "1", 12, 0);
    let grown_after = bilan("Théâtre du Temple", "1", 123, 0);
    ws.drop_files(&[
        ("remplacé.docx", &before),
        ("reste.docx", &other),
        ("grandi.docx", &grown_before),
    ]);
    let lock = hold_workspace_lock(&ws);
    let mut c = ws.clas();
    c.args(["watch", "--exit-when-idle", "1"]);
    let watch = spawn(c);
    assert!(
        watch.wait_for("en attente", LIMIT),
        "défaut non produit : le surveillant n'attend pas le verrou\n{}",
        watch.stderr()
    );
    // Same size and modification time: nothing tells the watcher.
    let target = ws.depot().join("remplacé.docx");
    let mtime = std::fs::metadata(&target).unwrap().modified().unwrap();
    let staging = ws.root.join("remplacement.docx");
    std::fs::write(&staging, &after).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&staging)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    std::fs::rename(&staging, &target).unwrap();
    std::fs::write(ws.depot().join("grandi.docx"), &grown_after).unwrap();
    drop(lock);
    let r = watch.finish(LIMIT);
    assert!(!r.timed_out, "{}", r.stderr);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    // What is archived is what was read: the new contents, with their own reports.
    assert_archived_once(
        &ws,
        &[
            ("remplacé.docx", &after),
            ("reste.docx", &other),
            ("grandi.docx", &grown_after),
        ],
    );
    for d in ws.store().documents().unwrap() {
        assert_eq!(sha_file(&ws.root.join(&d.path)), d.hash, "{}", d.file_name);
    }
    let c = ws.store().counts().unwrap();
    assert_eq!((c.received, c.archived), (3, 3));
}

#[test]
fn a_file_taken_away_while_the_watcher_waits_is_told_and_the_others_go_on() {
    let ws = initialised("");
    let gone = bilan("Patronage Pasteur", "1", 12, 0);
    let other = bilan("Secours populaire Sud", "1", 12, 0);
    ws.drop_files(&[("parti.docx", &gone), ("reste.docx", &other)]);
    let lock = hold_workspace_lock(&ws);
    let mut c = ws.clas();
    c.args(["watch", "--exit-when-idle", "1"]);
    let watch = spawn(c);
    assert!(
        watch.wait_for("en attente", LIMIT),
        "défaut non produit\n{}",
        watch.stderr()
    );
    std::fs::remove_file(ws.depot().join("parti.docx")).unwrap();
    drop(lock);
    let r = watch.finish(LIMIT);
    assert!(!r.timed_out, "{}", r.stderr);
    // Taken back by whoever dropped it: told, not an error; the status is that of the others.
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.about("parti.docx").iter().any(|l| l.contains("disparu")),
        "{}",
        r.stderr
    );
    assert_archived_once(&ws, &[("reste.docx", &other)]);
    assert!(ws.places_of(&sha(&gone)).is_empty());
    assert_eq!(ws.store().counts().unwrap().received, 1);
}

/// `clas ingest` lists its files, then waits for the workspace's lock: meanwhile one is
/// removed and one rewritten.
#[test]
fn ingest_of_files_that_vanish_or_change_before_they_are_read() {
    let ws = initialised("");
    let outside = ws.beside("courrier");
    let gone = bilan("Patronage Pasteur", "1", 12, 0);
    let before = bilan("Régie de quartier Rives", "1", 12, 0);
    let after = bilan("Régie de quartier Rives", "1", 1234, 0);
    let other = bilan("Secours populaire Sud", "1", 12, 0);
    for (n, b) in [
        ("parti.docx", &gone),
        ("changé.docx", &before),
        ("reste.docx", &other),
    ] {
        std::fs::write(outside.join(n), b).unwrap();
    }
    let lock = hold_workspace_lock(&ws);
    let mut c = ws.clas();
    c.arg("ingest")
        .arg(outside.join("parti.docx"))
        .arg(outside.join("changé.docx"))
        .arg(outside.join("reste.docx"));
    let ingest = spawn(c);
    assert!(
        ingest.wait_for("en attente", LIMIT),
        "défaut non produit\n{}",
        ingest.stderr()
    );
    std::fs::remove_file(outside.join("parti.docx")).unwrap();
    std::fs::write(outside.join("changé.docx"), &after).unwrap();
    drop(lock);
    let r = ingest.finish(LIMIT);
    assert!(!r.timed_out, "{}", r.stderr);
    assert!(
        r.about("parti.docx").iter().any(|l| l.contains("disparu")),
        "{}",
        r.stderr
    );
    // A file named on the command line that could not be read (docs/cli.md).
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_archived_once(&ws, &[("changé.docx", &after), ("reste.docx", &other)]);
    // ingest never moves nor removes what it reads.
    assert_eq!(sha_file(&outside.join("changé.docx")), sha(&after));
    assert_eq!(sha_file(&outside.join("reste.docx")), sha(&other));
}

/// A file named on the command line that vanishes before it is read could not be read: exit 2
/// (docs/cli.md), as when it is missing from the start.
#[test]
fn ingest_of_a_named_file_that_vanishes_exits_2() {
    let ws = initialised("");
    let outside = ws.beside("courrier");
    let gone = bilan("Patronage Pasteur", "1", 12, 0);
    std::fs::write(outside.join("parti.docx"), &gone).unwrap();
    // Missing from the start: 2.
    let mut c = ws.clas();
    c.arg("ingest").arg(outside.join("absent.docx"));
    let r = run_limited(c, LIMIT);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(!r.about("absent.docx").is_empty(), "{}", r.stderr);
    // Vanished while clas waited for the workspace: 2 as well.
    let lock = hold_workspace_lock(&ws);
    let mut c = ws.clas();
    c.arg("ingest").arg(outside.join("parti.docx"));
    let ingest = spawn(c);
    assert!(
        ingest.wait_for("en attente", LIMIT),
        "défaut non produit\n{}",
        ingest.stderr()
    );
    std::fs::remove_file(outside.join("parti.docx")).unwrap();
    drop(lock);
    let r = ingest.finish(LIMIT);
    assert!(
        r.about("parti.docx").iter().any(|l| l.contains("disparu")),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(ws.store().counts().unwrap().received, 0);
}

/// Read, then replaced before it is moved: the store is held by another process while clas
/// records what it read, and the file changes meanwhile.
#[test]
fn a_file_replaced_after_it_was_read_is_not_archived_under_the_old_reading() {
    let ws = initialised("");
    let before = bilan("Régie de quartier Rives", "1", 12, 0);
    let after = bilan("Quartiers Quinconces", "7", 13, 0);
    ws.drop_files(&[("bilan R.docx", &before)]);
    let db = ws.root.join("clas.db");
    let mut lock = StoreLock::take(&db);
    assert_store_locked(&db);
    let mut c = ws.clas();
    c.args(["watch", "--exit-when-idle", "1"]);
    let watch = spawn(c);
    // Found stable after 0.3 s, read at once, then waits for the store (30 s at most).
    std::thread::sleep(Duration::from_secs(4));
    std::fs::write(ws.depot().join("bilan R.docx"), &after).unwrap();
    lock.release();
    let r = watch.finish(LIMIT);
    assert!(!r.timed_out, "{}", r.stderr);
    let docs = ws.store().documents().unwrap();
    // The fault: the old content was read (it is in the store), or clas says the file changed.
    assert!(
        docs.iter().any(|d| d.hash == sha(&before))
            || r.about("bilan R.docx")
                .iter()
                .any(|l| l.contains("modifié") || l.contains("changé")),
        "ni l'ancien contenu dans la base ni de message sur le changement : soit le fichier \
         n'a pas été lu avant d'être remplacé (défaut non produit), soit le changement n'a pas \
         été signalé\n{}",
        r.stderr
    );
    // Every file archived is what its record (hash, extraction, report) says it is.
    for d in &docs {
        assert_eq!(
            sha_file(&ws.root.join(&d.path)),
            d.hash,
            "{} : le fichier archivé n'est pas celui qui a été lu",
            d.file_name
        );
    }
    // The new content is kept (archived as itself, or left to be read again), once.
    let r2 = ws.watch(LIMIT);
    assert!(matches!(r2.code, Some(0 | 1)), "{}", r2.stderr);
    assert_archived_once(&ws, &[("bilan R.docx", &after)]);
}

// ---------------------------------------------------------------------------------------------
// 4. Permission denied

/// A workspace owned by `nobody`, who runs clas.
fn nobodys_workspace() -> Workspace {
    let ws = Workspace::new("");
    chown_all(&ws.root, NOBODY);
    let r = run_limited(
        {
            let mut c = ws.clas_as_nobody();
            c.args(["watch", "--exit-when-idle", "0.5"]);
            c
        },
        LIMIT,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    ws
}

#[test]
fn ingest_of_a_file_clas_may_not_read_is_reported_and_the_others_go_on() {
    if !need_root("permission refusée (ingest)") {
        return;
    }
    let ws = nobodys_workspace();
    let outside = ws.beside("courrier");
    let secret = bilan("Centre social Secret", "1", 12, 0);
    let open = bilan("Foyer Ouvert", "1", 12, 0);
    std::fs::write(outside.join("secret.docx"), &secret).unwrap();
    std::fs::write(outside.join("ouvert.docx"), &open).unwrap();
    set_mode(&outside.join("secret.docx"), 0o600);
    assert!(
        !nobody_can_read(&outside.join("secret.docx")),
        "défaut non produit"
    );
    assert!(nobody_can_read(&outside.join("ouvert.docx")));
    let ingest = |ws: &Workspace| {
        let mut c = ws.clas_as_nobody();
        c.arg("ingest")
            .arg(outside.join("secret.docx"))
            .arg(outside.join("ouvert.docx"));
        run_limited(c, LIMIT)
    };
    let r = ingest(&ws);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.about("secret.docx")
            .iter()
            .any(|l| l.contains("Permission denied") || l.contains("accès refusé")),
        "{}",
        r.stderr
    );
    assert_eq!(sha_file(&outside.join("secret.docx")), sha(&secret));
    assert!(ws.places_of(&sha(&secret)).is_empty());
    assert_eq!(
        ws.places_of(&sha(&open)),
        vec![ws.year().join("ouvert.docx")]
    );
    // Readable now: ingested, and the other one only reported.
    set_mode(&outside.join("secret.docx"), 0o644);
    let r = ingest(&ws);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_archived_once(&ws, &[("secret.docx", &secret), ("ouvert.docx", &open)]);
}

#[test]
fn a_dropped_file_clas_may_not_read_is_reported_kept_and_read_once_allowed() {
    if !need_root("permission refusée (watch)") {
        return;
    }
    let ws = nobodys_workspace();
    let secret = bilan("Centre social Secret", "1", 12, 0);
    let open = bilan("Foyer Ouvert", "1", 12, 0);
    ws.drop_files(&[("secret.docx", &secret), ("ouvert.docx", &open)]);
    chown(&ws.depot().join("ouvert.docx"), NOBODY);
    set_mode(&ws.depot().join("secret.docx"), 0o600);
    assert!(
        !nobody_can_read(&ws.depot().join("secret.docx")),
        "défaut non produit"
    );
    let watch = |ws: &Workspace| {
        let mut c = ws.clas_as_nobody();
        c.args(["watch", "--exit-when-idle", "1"]);
        run_limited(c, LIMIT)
    };
    let r = watch(&ws);
    assert!(!r.timed_out, "clas watch ne s'arrête pas\n{}", r.stderr);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.about("secret.docx")
            .iter()
            .any(|l| l.contains("Permission denied") || l.contains("accès refusé")),
        "{}",
        r.stderr
    );
    assert_eq!(
        ws.places_of(&sha(&secret)),
        vec![ws.depot().join("secret.docx")]
    );
    assert_eq!(
        ws.places_of(&sha(&open)),
        vec![ws.year().join("ouvert.docx")]
    );
    chown(&ws.depot().join("secret.docx"), NOBODY);
    let r = watch(&ws);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_archived_once(&ws, &[("secret.docx", &secret), ("ouvert.docx", &open)]);
}

#[test]
fn a_dropped_file_clas_may_not_remove_is_not_archived_again_and_again() {
    if !need_root("permission refusée (dépôt en lecture seule pour clas)") {
        return;
    }
    let ws = nobodys_workspace();
    let a = bilan("Association Arc-en-ciel", "1", 12, 0);
    ws.drop_files(&[("bilan A.docx", &a)]);
    // depot/ belongs to root: nobody reads the file but may not remove it.
    chown(&ws.depot(), 0);
    set_mode(&ws.depot(), 0o755);
    assert!(nobody_can_read(&ws.depot().join("bilan A.docx")));
    let removable = Command::new("setpriv")
        .args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
            "test",
            "-w",
        ])
        .arg(ws.depot())
        .status()
        .unwrap()
        .success();
    assert!(!removable, "défaut non produit");
    let mut c = ws.clas_as_nobody();
    c.args(["watch", "--exit-when-idle", "1"]);
    // Long enough for several full rescans (every second).
    let r = run_limited(c, Duration::from_secs(8));
    assert!(
        r.about("bilan A.docx")
            .iter()
            .any(|l| l.contains("Permission denied") || l.contains("accès refusé")),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    // In exactly one place: left in depot/ (it could not be moved), not copied again and again.
    assert_eq!(
        ws.places_of(&sha(&a)),
        vec![ws.depot().join("bilan A.docx")],
        "{}",
        r.stderr
    );
    chown(&ws.depot(), NOBODY);
    let mut c = ws.clas_as_nobody();
    c.args(["watch", "--exit-when-idle", "1"]);
    let r = run_limited(c, LIMIT);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_archived_once(&ws, &[("bilan A.docx", &a)]);
}

// ---------------------------------------------------------------------------------------------
// 5. The store locked by another process

#[test]
fn a_store_locked_for_a_moment_by_another_process_is_waited_for() {
    let ws = initialised("");
    let db = ws.root.join("clas.db");
    let a = bilan("Association Arc-en-ciel", "1", 12, 0);
    let b = bilan("Bibliothèque de Boé", "1", 12, 0);
    let files: [(&str, &[u8]); 2] = [("bilan A.docx", &a), ("bilan B.docx", &b)];
    let mut lock = StoreLock::take(&db);
    assert_store_locked(&db);
    ws.drop_files(&files);
    let mut c = ws.clas();
    c.args(["watch", "--exit-when-idle", "1"]);
    let watch = spawn(c);
    std::thread::sleep(Duration::from_secs(3));
    // Nothing could be recorded, so nothing was moved.
    for (name, bytes) in files {
        assert_eq!(ws.places_of(&sha(bytes)), vec![ws.depot().join(name)]);
    }
    lock.release();
    let r = watch.finish(LIMIT);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_archived_once(&ws, &files);
}

/// `clas watch` on a store held by another process longer than clas waits for it (30 s,
/// store.rs): about 31 s.
fn watch_on_a_store_locked_too_long(ws: &Workspace, files: &[(&str, &[u8])]) -> Ran {
    let db = ws.root.join("clas.db");
    let lock = StoreLock::take(&db);
    assert_store_locked(&db);
    ws.drop_files(files);
    let r = ws.watch(Duration::from_secs(50));
    drop(lock);
    assert!(!r.timed_out, "{}", r.stderr);
    r
}

/// This test takes about 31 s (the store's busy timeout).
#[test]
fn a_store_locked_longer_than_clas_waits_keeps_the_file_and_exits_2() {
    let ws = initialised("");
    let a = bilan("Association Arc-en-ciel", "1", 12, 0);
    let files: [(&str, &[u8]); 1] = [("bilan A.docx", &a)];
    let r = watch_on_a_store_locked_too_long(&ws, &files);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("locked") || r.stderr.contains("verrouillée"),
        "{}",
        r.stderr
    );
    assert_eq!(
        ws.places_of(&sha(&a)),
        vec![ws.depot().join("bilan A.docx")]
    );
    assert_eq!(ws.pending(), 0);
    let r = ws.watch(LIMIT);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_archived_once(&ws, &files);
}

/// A `clas ingest` holds the workspace's lock (it waits for the store, locked by a third
/// process); a `clas watch` started meanwhile waits its turn, then processes `depot/`.
#[test]
fn another_clas_holding_the_workspace_lock_is_waited_for() {
    let ws = initialised("");
    let db = ws.root.join("clas.db");
    let outside = ws.beside("courrier");
    let a = bilan("Association Arc-en-ciel", "1", 12, 0);
    let b = bilan("Bibliothèque de Boé", "1", 12, 0);
    std::fs::write(outside.join("bilan A.docx"), &a).unwrap();
    let mut store_lock = StoreLock::take(&db);
    let mut c = ws.clas();
    c.arg("ingest").arg(outside.join("bilan A.docx"));
    let ingest = spawn(c);
    let t = Instant::now();
    while !workspace_locked(&ws) && t.elapsed() < LIMIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        workspace_locked(&ws),
        "défaut non produit : clas ingest ne tient pas le verrou\n{}",
        ingest.stderr()
    );
    ws.drop_files(&[("bilan B.docx", &b)]);
    let mut c = ws.clas();
    c.args(["watch", "--exit-when-idle", "1"]);
    let watch = spawn(c);
    assert!(watch.wait_for("en attente", LIMIT), "{}", watch.stderr());
    assert_eq!(
        ws.places_of(&sha(&b)),
        vec![ws.depot().join("bilan B.docx")]
    );
    store_lock.release();
    let ri = ingest.finish(LIMIT);
    let rw = watch.finish(LIMIT);
    assert_eq!(ri.code, Some(1), "{}", ri.stderr);
    assert_eq!(rw.code, Some(1), "{}", rw.stderr);
    assert_archived_once(&ws, &[("bilan A.docx", &a), ("bilan B.docx", &b)]);
    // Turns taken: the ingest's file recorded first.
    let docs = ws.store().documents().unwrap();
    assert_eq!(docs[0].file_name, "bilan A.docx");
}

#[test]
fn a_store_locked_longer_than_clas_waits_is_told_in_french_naming_the_file() {
    let ws = initialised("");
    let a = bilan("Association Arc-en-ciel", "1", 12, 0);
    let r = watch_on_a_store_locked_too_long(&ws, &[("bilan A.docx", &a)]);
    assert!(
        r.about("bilan A.docx")
            .iter()
            .any(|l| l.contains("base de données") && !l.contains("database is locked")),
        "{}",
        r.stderr
    );
}
