//! What the watcher meets on an office PC (issue 15): copies that stall, odd names, files it
//! may not read, what killed runs left, links, a second watcher, clas's own outputs dropped
//! back, versions. The real binary on temporary workspaces.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn bilan(porteur: &str, numero: &str, libre: &str) -> Vec<u8> {
    let values: HashMap<&str, String> = [
        ("porteur.nom", porteur.to_string()),
        ("action.numero", numero.to_string()),
        ("calendrier.debut", "06/10/2025".to_string()),
        ("enfants.total", "12".to_string()),
        ("bilan.global", libre.to_string()),
    ]
    .into_iter()
    .collect();
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = bilan_paragraphs(&values)
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
        // Stored, not compressed: the file is large enough for half of it to be a real cut.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    out.into_inner()
}

struct Workspace {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Workspace {
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

    fn clas(&self) -> Command {
        let mut c = clas();
        c.arg("--workspace").arg(&self.root).current_dir(&self.root);
        c
    }

    fn watch(&self, idle: f64) -> Output {
        self.clas()
            .args(["watch", "--exit-when-idle", &idle.to_string()])
            .output()
            .expect("clas watch runs")
    }

    fn spawn_watch(&self, idle: f64) -> Child {
        self.clas()
            .args(["watch", "--exit-when-idle", &idle.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clas watch starts")
    }

    /// Dropped whole at once (written beside, renamed in).
    fn drop_file(&self, name: impl AsRef<std::ffi::OsStr>, bytes: &[u8]) {
        let staging = self.root.join("preparation");
        std::fs::create_dir_all(&staging).unwrap();
        let from = staging.join("fichier");
        std::fs::write(&from, bytes).unwrap();
        std::fs::rename(&from, self.depot().join(name.as_ref())).unwrap();
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.root.join("clas.log")).unwrap_or_default()
    }

    /// The names of the files under a folder of the workspace (recursively).
    fn names(&self, folder: &str) -> Vec<String> {
        let mut all = Vec::new();
        list(&self.root.join(folder), &mut all);
        all.iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    fn wait_for_log(&self, what: &str, limit: Duration) -> bool {
        let t = Instant::now();
        while t.elapsed() < limit {
            if self.log().contains(what) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
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

/// Ended normally: 0, or 1 when a form read has errors (the test forms leave most answers
/// empty).
fn done(out: &Output) -> bool {
    matches!(out.status.code(), Some(0 | 1))
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let t = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if t.elapsed() > limit {
            let _ = child.kill();
            panic!("clas watch did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------------------------
// Cost while idle

/// utime + stime of a process, in clock ticks (Linux).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f[11].parse::<u64>().ok()? + f[12].parse::<u64>().ok()?)
}

#[test]
fn an_idle_watcher_with_system_notifications_does_not_spin() {
    if !Path::new("/proc/self/stat").exists() {
        eprintln!("pas de /proc : test sauté");
        return;
    }
    let ws = Workspace::new(0.5);
    let mut child = ws
        .clas()
        .arg("watch")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(ws.wait_for_log("surveillance de", Duration::from_secs(20)));
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(child.id()).unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let after = cpu_ticks(child.id()).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    // 300 ticks (at 100 Hz) would be a whole core; a busy loop on its own listing used most
    // of one. Idle, it is a handful of wake-ups a second: well under 10 ticks, whatever the
    // load of the machine.
    assert!(
        after - before < 15,
        "{} ticks de processeur en 3 s de repos",
        after - before
    );
}

// ---------------------------------------------------------------------------------------------
// Copies that stall

#[test]
fn a_copy_that_stalls_past_the_stability_window_is_read_once_complete() {
    let ws = Workspace::new(0.3);
    let bytes = bilan("Association Relais", "1", "copie interrompue");
    let mut child = ws.spawn_watch(3.0);
    assert!(ws.wait_for_log("surveillance de", Duration::from_secs(20)));
    // A share pausing mid-file: half written, then nothing for well past the stability window.
    let path = ws.depot().join("bilan relais.docx");
    let mut f = std::fs::File::create(&path).unwrap();
    let half = bytes.len() / 2;
    f.write_all(&bytes[..half]).unwrap();
    f.flush().unwrap();
    assert!(
        ws.wait_for_log("incomplet (en cours de copie ?)", Duration::from_secs(10)),
        "{}",
        ws.log()
    );
    f.write_all(&bytes[half..]).unwrap();
    f.flush().unwrap();
    drop(f);
    let status = wait_exit(&mut child, Duration::from_secs(60));
    assert!(status.code().is_some(), "{}", ws.log());
    assert!(
        ws.names("archives")
            .contains(&"bilan relais.docx".to_string()),
        "{}",
        ws.log()
    );
    assert!(ws.names("rejets").is_empty(), "{:?}", ws.names("rejets"));
    assert!(!ws.log().contains("illisible"), "{}", ws.log());
}

#[test]
fn a_file_that_stays_cut_short_is_refused_in_the_end_with_the_reason() {
    // Stability 0.1 s: waited for 30 × 0.1 = 3 s, then read as it is.
    let ws = Workspace::new(0.1);
    let bytes = bilan("Association Relais", "1", "jamais finie");
    ws.drop_file("coupé.docx", &bytes[..bytes.len() / 2]);
    let t = Instant::now();
    let out = ws.watch(0.5);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(t.elapsed() >= Duration::from_secs(3), "{}", stderr(&out));
    let log = ws.log();
    assert!(log.contains("incomplet (en cours de copie ?)"), "{log}");
    assert!(log.contains("coupé.docx : refusé"), "{log}");
    assert!(ws.names("rejets").contains(&"coupé.docx".to_string()));
}

// ---------------------------------------------------------------------------------------------
// Names

#[test]
fn a_name_too_long_for_its_report_is_archived_under_a_shortened_name() {
    let ws = Workspace::new(0.2);
    let name = format!("{}.docx", "bilan très long ".repeat(14).trim_end());
    assert!(name.len() > 240 && name.len() < 256, "{}", name.len());
    ws.drop_file(&name, &bilan("Association Longue", "1", "nom long"));
    let out = ws.watch(1.0);
    assert!(done(&out), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(ws.depot()).unwrap().count(), 0);
    let archived: Vec<String> = ws
        .names("archives")
        .into_iter()
        .filter(|n| n.ends_with(".docx"))
        .collect();
    assert_eq!(archived.len(), 1, "{archived:?}");
    assert!(archived[0].len() <= 200 && archived[0].ends_with("….docx"));
    assert!(
        ws.names("archives")
            .contains(&format!("{}.rapport.txt", archived[0]))
    );
    assert!(ws.log().contains("nom de fichier trop long : raccourci"));
}

#[cfg(unix)]
#[test]
fn a_latin1_name_is_decoded_and_archived() {
    use std::os::unix::ffi::OsStrExt;
    let ws = Workspace::new(0.2);
    let raw = std::ffi::OsStr::from_bytes(b"bilan \xe9t\xe9.docx");
    ws.drop_file(raw, &bilan("Association Latine", "1", "latin"));
    // And a file under a subfolder whose name is Latin-1.
    let folder = ws
        .depot()
        .join(std::ffi::OsStr::from_bytes(b"re\xe7us de l'\xe9cole"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("bilan école.docx"),
        bilan("Association Latine", "2", "dossier"),
    )
    .unwrap();
    let out = ws.watch(1.0);
    assert!(done(&out), "{}", stderr(&out));
    assert!(ws.names("depot").is_empty(), "{:?}", ws.names("depot"));
    assert!(
        ws.names("archives")
            .contains(&"bilan école.docx".to_string()),
        "{}",
        ws.log()
    );
    assert!(
        ws.names("archives").contains(&"bilan été.docx".to_string()),
        "{:?}",
        ws.names("archives")
    );
    assert!(ws.log().contains("mal encodé"));
}

#[cfg(unix)]
#[test]
fn a_line_break_in_a_name_does_not_split_the_log_line() {
    let ws = Workspace::new(0.2);
    ws.drop_file("bilan\nfaux.docx", &bilan("Association Ligne", "1", "saut"));
    let out = ws.watch(1.0);
    assert!(done(&out), "{}", stderr(&out));
    let log = ws.log();
    assert!(
        log.contains("bilan\\nfaux.docx : bilan CLAS archivé"),
        "{log}"
    );
    // Every line of the log starts with its date.
    assert!(
        log.lines().all(|l| l.starts_with("20")),
        "une ligne du journal coupée : {log}"
    );
}

#[test]
fn a_name_starting_with_a_tilde_is_a_document_and_office_noise_is_left_alone() {
    let ws = Workspace::new(0.2);
    ws.drop_file(
        "~bilan provisoire.docx",
        &bilan("Association Tilde", "1", "tilde"),
    );
    for noise in [
        "~$bilan.docx",
        ".~lock.bilan.docx#",
        "Thumbs.db",
        "._bilan.docx",
    ] {
        std::fs::write(ws.depot().join(noise), b"bruit").unwrap();
    }
    let out = ws.watch(1.0);
    assert!(done(&out), "{}", stderr(&out));
    assert!(
        ws.names("archives")
            .contains(&"~bilan provisoire.docx".to_string())
    );
    let mut left = ws.names("depot");
    left.sort();
    assert_eq!(
        left,
        [
            "._bilan.docx",
            ".~lock.bilan.docx#",
            "Thumbs.db",
            "~$bilan.docx"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Rights

#[cfg(unix)]
#[test]
fn a_file_unreadable_for_lack_of_rights_is_read_once_the_rights_are_given() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new(0.2);
    let bytes = bilan("Association Droits", "1", "droits");
    let staging = ws.root.join("preparation");
    std::fs::create_dir_all(&staging).unwrap();
    let probe = staging.join("essai");
    std::fs::write(&probe, b"x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Rights do not apply to root: the watcher then runs as `nobody` (setpriv, util-linux).
    let as_root = std::fs::read(&probe).is_ok();
    if as_root && !Path::new("/usr/bin/setpriv").exists() {
        eprintln!("root sans setpriv : les droits ne s'appliquent pas, test sauté");
        return;
    }
    ws.drop_file("protégé.docx", &bytes);
    let path = ws.depot().join("protégé.docx");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut cmd = if as_root {
        std::fs::set_permissions(ws.root.parent().unwrap(), PermissionsExt::from_mode(0o755))
            .unwrap();
        for dir in [&ws.root, &ws.depot()] {
            std::fs::set_permissions(dir, PermissionsExt::from_mode(0o777)).unwrap();
        }
        let mut c = Command::new("/usr/bin/setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_clas"));
        c
    } else {
        clas()
    };
    let mut child = cmd
        .arg("--workspace")
        .arg(&ws.root)
        .args(["watch", "--exit-when-idle", "3"])
        .current_dir(&ws.root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        ws.wait_for_log("accès refusé", Duration::from_secs(20)),
        "{}",
        ws.log()
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    wait_exit(&mut child, Duration::from_secs(30));
    assert!(
        ws.names("archives").contains(&"protégé.docx".to_string()),
        "{}",
        ws.log()
    );
}

// ---------------------------------------------------------------------------------------------
// What killed runs left

#[test]
fn temporary_files_of_killed_runs_are_removed_at_start_up_and_nothing_else() {
    let ws = Workspace::new(0.2);
    let tmp = tempfile::tempdir().unwrap();
    // A pid no process has (above the usual pid_max of 4194304).
    let dead = 4_999_999;
    let live = std::process::id();
    let sorties = ws.root.join("sorties");
    let year = ws.root.join("archives/2025-2026");
    std::fs::create_dir_all(&sorties).unwrap();
    std::fs::create_dir_all(&year).unwrap();
    let gone = [
        sorties.join(format!(".synthese.xlsx.{dead}-0.tmp")),
        year.join(format!(".bilan.docx.{dead}.clas-copie")),
        year.join(format!(".bilan.docx.rapport.txt.{dead}.tmp")),
    ];
    let kept = [
        sorties.join(format!(".synthese.xlsx.{live}-0.tmp")),
        sorties.join(".mes notes.xlsx.tmp"),
        year.join("bilan.4999999.tmp"),
        sorties.join("notes.txt"),
    ];
    for p in gone.iter().chain(&kept) {
        std::fs::write(p, b"contenu").unwrap();
    }
    let conversion = tmp.path().join(format!("clas-conversion-{dead}-17"));
    std::fs::create_dir_all(&conversion).unwrap();
    std::fs::write(conversion.join("document.docx"), b"le document").unwrap();
    let other = tmp.path().join("clas-conversion-notes");
    std::fs::create_dir_all(&other).unwrap();

    let out = ws
        .clas()
        .args(["watch", "--exit-when-idle", "0.5"])
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    assert!(done(&out), "{}", stderr(&out));
    for p in &gone {
        assert!(!p.exists(), "{} resté", p.display());
    }
    assert!(!conversion.exists());
    for p in &kept {
        assert!(p.exists(), "{} supprimé à tort", p.display());
    }
    assert!(other.exists());
    assert!(
        ws.log()
            .contains("4 fichier(s) temporaire(s) laissé(s) par un arrêt brutal")
    );
}

// ---------------------------------------------------------------------------------------------
// Links

#[cfg(unix)]
#[test]
fn a_symlink_in_the_depot_is_told() {
    let ws = Workspace::new(0.2);
    let elsewhere = ws.root.join("ailleurs.docx");
    std::fs::write(&elsewhere, bilan("Association Lien", "1", "lien")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, ws.depot().join("raccourci.docx")).unwrap();
    let out = ws.watch(1.0);
    assert!(done(&out), "{}", stderr(&out));
    let log = ws.log();
    assert!(
        log.contains("« raccourci.docx » : c'est un lien symbolique"),
        "{log}"
    );
    assert_eq!(log.matches("lien symbolique").count(), 1, "dit une fois");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_a_folder_given_to_ingest_is_told_in_french_and_the_rest_read() {
    let ws = Workspace::new(0.2);
    let pieces = ws.root.join("pieces");
    std::fs::create_dir_all(pieces.join("sous")).unwrap();
    std::fs::write(
        pieces.join("sous/bilan.docx"),
        bilan("Association Boucle", "1", "boucle"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&pieces, pieces.join("sous/retour")).unwrap();
    std::os::unix::fs::symlink("soi.docx", pieces.join("soi.docx")).unwrap();
    let out = ws.clas().arg("ingest").arg(&pieces).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("Too many levels"), "{err}");
    assert!(err.contains("boucle"), "{err}");
    assert!(err.contains("bilan.docx : bilan CLAS archivé"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Two watchers

#[test]
fn a_second_watcher_on_the_same_workspace_says_where_the_first_runs_and_stops() {
    let ws = Workspace::new(0.2);
    let mut first = ws.spawn_watch(30.0);
    assert!(ws.wait_for_log("surveillance de", Duration::from_secs(20)));
    let t = Instant::now();
    let out = ws.watch(30.0);
    let _ = first.kill();
    let _ = first.wait();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(t.elapsed() < Duration::from_secs(20));
    let err = stderr(&out);
    assert!(
        err.contains("un autre « clas watch » surveille déjà"),
        "{err}"
    );
    assert!(err.contains(&format!("processus {}", first.id())), "{err}");
    assert!(err.contains("depuis le"), "{err}");
    let lock = std::fs::read_to_string(ws.root.join(".clas-watch.lock")).unwrap();
    assert!(lock.contains(&format!("pid = {}", first.id())), "{lock}");
}

// ---------------------------------------------------------------------------------------------
// clas's own outputs, versions

#[test]
fn the_synthesis_dropped_back_into_the_depot_is_refused_with_the_reason() {
    let ws = Workspace::new(0.2);
    ws.drop_file("bilan.docx", &bilan("Association Source", "1", "source"));
    let out = ws.watch(0.5);
    assert!(done(&out), "{}", stderr(&out));
    let synthesis = std::fs::read(ws.root.join("sorties/synthese.xlsx")).unwrap();
    ws.drop_file("cahier de présence.xlsx", &synthesis);
    let out = ws.watch(0.5);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let log = ws.log();
    assert!(
        log.contains("cahier de présence.xlsx : refusé")
            && log.contains("c'est la synthèse départementale"),
        "{log}"
    );
    let report =
        std::fs::read_to_string(ws.root.join("rejets/cahier de présence.xlsx.txt")).unwrap();
    assert!(report.contains("écrit par clas lui-même"), "{report}");
}

#[test]
fn versions_are_named_as_archived_and_an_old_version_dropped_again_is_said_to_be_old() {
    let ws = Workspace::new(0.2);
    let v1 = bilan("Association Pin", "1", "première version");
    let v2 = bilan("Association Pin", "1", "seconde version");
    ws.drop_file("pin.docx", &v1);
    assert!(done(&ws.watch(0.5)));
    ws.drop_file("pin.docx", &v2);
    assert!(done(&ws.watch(0.5)));
    let year = ws.root.join("archives/2025-2026");
    let old = std::fs::read_to_string(year.join("pin.docx.rapport.txt")).unwrap();
    assert!(
        old.contains("Version : remplacée par « pin (2).docx » (reçu sous le nom « pin.docx »)"),
        "{old}"
    );
    let new = std::fs::read_to_string(year.join("pin (2).docx.rapport.txt")).unwrap();
    assert!(new.contains("elle remplace « pin.docx »"), "{new}");
    assert!(
        ws.log()
            .contains("nouvelle version qui remplace « pin.docx »")
    );
    // The first version found again in a mailbox and dropped once more.
    ws.drop_file("pin ancien.docx", &v1);
    assert!(done(&ws.watch(0.5)));
    let log = ws.log();
    assert!(
        log.contains("pin ancien.docx : déjà reçu")
            && log.contains(
                "attention : c'est une ancienne version, remplacée depuis par « pin (2).docx », qui reste en vigueur"
            ),
        "{log}"
    );
}

#[test]
fn conventions_letters_and_index_workbooks_dropped_back_are_refused_as_clas_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("demo");
    let out = clas()
        .arg("demo")
        .arg(&ws)
        .arg("--samples")
        .arg(repo().join("samples"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = |dir: &str, ext: &str| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(ws.join("sorties").join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        files.sort();
        files.remove(0)
    };
    for (from, to) in [
        (first("conventions", "docx"), "convention.docx"),
        (first("conventions", "xlsx"), "tableau 1.xlsx"),
        (first("relances", "docx"), "courrier.docx"),
        (first("relances", "xlsx"), "tableau 2.xlsx"),
    ] {
        std::fs::copy(from, ws.join("depot").join(to)).unwrap();
    }
    let out = clas()
        .arg("--workspace")
        .arg(&ws)
        .args(["watch", "--exit-when-idle", "0.5"])
        .env("CLAS_WATCH_EXIT_WHEN_IDLE", "0.5")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for (name, what) in [
        ("convention.docx", "une convention pré-remplie"),
        ("tableau 1.xlsx", "tableau récapitulatif des conventions"),
        ("courrier.docx", "un courrier de relance"),
        (
            "tableau 2.xlsx",
            "tableau récapitulatif des courriers de relance",
        ),
    ] {
        assert!(
            err.lines().any(|l| l.contains(&format!("{name} : refusé"))
                && l.contains("document produit par clas")
                && l.contains(what)),
            "{name} : {err}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Refused files that change afterwards

/// A copy finished in rejets/ after its refusal: written beside, renamed over it.
fn replace_in_rejets(ws: &Workspace, name: &str, bytes: &[u8]) {
    let staging = ws.root.join("preparation");
    std::fs::create_dir_all(&staging).unwrap();
    let from = staging.join("fichier");
    std::fs::write(&from, bytes).unwrap();
    std::fs::rename(&from, ws.root.join("rejets").join(name)).unwrap();
}

#[test]
fn a_refused_file_completed_in_rejets_is_taken_back_and_archived_once() {
    let ws = Workspace::new(0.3);
    ws.drop_file("bilan relais.docx", b"pas encore un document Word");
    let mut child = ws.spawn_watch(8.0);
    assert!(
        ws.wait_for_log("bilan relais.docx : refusé", Duration::from_secs(20)),
        "{}",
        ws.log()
    );
    assert!(
        ws.names("rejets")
            .contains(&"bilan relais.docx.txt".to_string())
    );
    replace_in_rejets(
        &ws,
        "bilan relais.docx",
        &bilan("Association Relais", "1", "copie finie dans les rejets"),
    );
    let status = wait_exit(&mut child, Duration::from_secs(60));
    assert!(status.code().is_some(), "{}", ws.log());
    let log = ws.log();
    assert_eq!(
        log.matches("« bilan relais.docx » : modifié après son refus, relu")
            .count(),
        1,
        "{log}"
    );
    assert_eq!(
        log.matches("bilan relais.docx : refusé").count(),
        1,
        "{log}"
    );
    let archived = ws.names("archives");
    assert_eq!(
        archived
            .iter()
            .filter(|n| n.as_str() == "bilan relais.docx")
            .count(),
        1,
        "{archived:?}"
    );
    assert!(ws.names("rejets").is_empty(), "{:?}", ws.names("rejets"));
    assert!(ws.names("depot").is_empty(), "{:?}", ws.names("depot"));
    assert!(!ws.root.join(".clas-reprise").exists());
}

#[test]
fn a_refused_file_that_does_not_change_stays_refused_and_is_not_read_again() {
    let ws = Workspace::new(0.3);
    ws.drop_file("illisible.docx", b"jamais un document Word");
    // Idle for 12 s: two full rescans (every 5 s) after the refusal.
    let out = ws.watch(12.0);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let log = ws.log();
    assert_eq!(log.matches("illisible.docx : refusé").count(), 1, "{log}");
    assert!(!log.contains("modifié après son refus"), "{log}");
    let mut rejets = ws.names("rejets");
    rejets.sort();
    assert_eq!(rejets, ["illisible.docx", "illisible.docx.txt"]);
}

#[test]
fn a_refused_file_changed_while_no_watcher_ran_is_taken_back_at_start_and_a_hand_put_one_is_not() {
    let ws = Workspace::new(0.3);
    ws.drop_file("bilan soleil.docx", b"coupe avant la fin");
    let out = ws.watch(0.5);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        ws.names("rejets")
            .contains(&"bilan soleil.docx".to_string())
    );
    let good = bilan("Association Soleil", "2", "fini pendant la nuit");
    replace_in_rejets(&ws, "bilan soleil.docx", &good);
    // Put in rejets/ by an agent, never refused by clas: left alone.
    replace_in_rejets(
        &ws,
        "à la main.docx",
        &bilan("Association Lune", "3", "rangé à la main"),
    );
    let out = ws.watch(1.0);
    assert!(done(&out), "{}", stderr(&out));
    let log = ws.log();
    assert_eq!(
        log.matches("« bilan soleil.docx » : modifié après son refus, relu")
            .count(),
        1,
        "{log}"
    );
    assert!(
        ws.names("archives")
            .contains(&"bilan soleil.docx".to_string()),
        "{log}"
    );
    assert_eq!(ws.names("rejets"), ["à la main.docx"], "{log}");
    assert!(!log.contains("à la main"), "{log}");
}

/// CLAS_FAILPOINT is read only with the feature (`cargo test --features clas/failpoints`).
#[test]
fn a_take_back_killed_midway_is_finished_at_the_next_start() {
    let ws = Workspace::new(0.3);
    ws.drop_file("bilan nuit.docx", b"pas encore fini");
    let out = ws.watch(0.5);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    replace_in_rejets(
        &ws,
        "bilan nuit.docx",
        &bilan("Association Nuit", "4", "fini après le refus"),
    );
    // Killed after the intent, before the file is moved.
    let out = ws
        .clas()
        .args(["watch", "--exit-when-idle", "1"])
        .env("CLAS_FAILPOINT", "reprise:1")
        .output()
        .unwrap();
    if out.status.code().is_some() {
        eprintln!("sans la fonctionnalité failpoints : test sauté");
        return;
    }
    assert!(ws.root.join(".clas-reprise").exists());
    let out = ws.watch(1.0);
    assert!(done(&out), "{}", stderr(&out));
    let log = ws.log();
    assert_eq!(
        log.matches("« bilan nuit.docx » : modifié après son refus, relu")
            .count(),
        1,
        "{log}"
    );
    assert!(
        ws.names("archives")
            .contains(&"bilan nuit.docx".to_string()),
        "{log}"
    );
    assert!(ws.names("rejets").is_empty(), "{:?}", ws.names("rejets"));
    assert!(!ws.root.join(".clas-reprise").exists());
}
