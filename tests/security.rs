//! Hostile input, run through the real binary on temporary files: XML external entities and
//! entity bombs, zip path traversal, zip bombs (high ratio, lying sizes, too many entries),
//! huge numbers, very long answers, file names that are not UTF-8. Every case ends with the
//! exit status of docs/cli.md (0, 1, or 2 with a French message naming the file), never a
//! panic, in bounded time and memory. (Formula injection in the synthesis is tested with the
//! synthesis.)

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A zip package holding the given parts, deflated.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        for (name, data) in parts {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

/// The parts of a sample, one of them replaced.
fn sample_with(sample: &str, part: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    let bytes = std::fs::read(repo().join(sample)).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    let mut edit = Some(edit);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if name == part {
            let text = String::from_utf8(data).unwrap();
            data = (edit.take().unwrap())(text).into_bytes();
        }
        parts.push((name, data));
    }
    let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (n.as_str(), &d[..])).collect();
    package(&refs)
}

struct Run {
    out: Output,
    elapsed: Duration,
    peak_mb: Option<f64>,
}

/// Runs clas, watching its peak memory (VmHWM) while it runs.
fn clas_run(args: &[&std::ffi::OsStr], dir: &Path) -> Run {
    let started = Instant::now();
    let mut child = clas()
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak: Option<f64> = None;
    // Read the pipes on threads so that a large output cannot block the child.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut so, &mut v).unwrap();
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut se, &mut v).unwrap();
        v
    });
    let exit = loop {
        if let Ok(s) = std::fs::read_to_string(&status)
            && let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        {
            peak = Some(peak.unwrap_or(0.0).max(kb / 1024.0));
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("clas {args:?} : plus d'une minute");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        out: Output {
            status: exit,
            stdout: t_out.join().unwrap(),
            stderr: t_err.join().unwrap(),
        },
        elapsed: started.elapsed(),
        peak_mb: peak,
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// `clas extract FILE` on bytes written under `name`: the exit status it must give, and what
/// the French message on stderr must say (besides naming the file).
fn expect_refused(dir: &Path, name: &str, bytes: &[u8], reason: &str) -> Run {
    std::fs::write(dir.join(name), bytes).unwrap();
    let r = clas_run(&[os("extract"), os(name)], dir);
    let err = stderr(&r.out);
    assert_eq!(r.out.status.code(), Some(2), "{name} : {err}");
    assert!(
        err.contains(name),
        "{name} : le message doit nommer le fichier : {err}"
    );
    assert!(
        err.contains(reason),
        "{name} : « {reason} » attendu : {err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{name} : {err}"
    );
    assert!(
        r.elapsed < Duration::from_secs(10),
        "{name} : {:?}",
        r.elapsed
    );
    if let Some(mb) = r.peak_mb {
        assert!(mb < 300.0, "{name} : {mb:.0} Mo de mémoire");
    }
    r
}

fn word(body: &str, prolog: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    );
    package(&[("word/document.xml", xml.as_bytes())])
}

#[test]
fn xml_external_entities_and_entity_bombs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "MOT-DE-PASSE-SECRET").unwrap();
    let xxe = format!(
        r#"<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{}">]>"#,
        secret.display()
    );
    let r = expect_refused(
        dir.path(),
        "xxe.docx",
        &word("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", &xxe),
        "DOCTYPE",
    );
    assert!(!stdout(&r.out).contains("SECRET") && !stderr(&r.out).contains("SECRET"));
    // The same declaration in the package relationships.
    let rels = format!(
        r#"<?xml version="1.0"?>{xxe}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="&xxe;"/></Relationships>"#
    );
    let doc = format!(r#"<w:document xmlns:w="{W}"><w:body><w:p/></w:body></w:document>"#);
    expect_refused(
        dir.path(),
        "xxe-rels.docx",
        &package(&[
            ("_rels/.rels", rels.as_bytes()),
            ("word/document.xml", doc.as_bytes()),
        ]),
        "DOCTYPE",
    );
    // Billion laughs, ten levels deep.
    let mut dtd = String::from(r#"<!DOCTYPE w:document [<!ENTITY l0 "ha">"#);
    for i in 1..10 {
        let prev = format!("&l{};", i - 1);
        dtd.push_str(&format!(r#"<!ENTITY l{i} "{}">"#, prev.repeat(10)));
    }
    dtd.push_str("]>");
    expect_refused(
        dir.path(),
        "rires.docx",
        &word("<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>", &dtd),
        "DOCTYPE",
    );
    // An undeclared entity without a DTD is left out, never fetched or expanded.
    std::fs::write(
        dir.path().join("entite.docx"),
        word("<w:p><w:r><w:t>a&xxe;b</w:t></w:r></w:p>", ""),
    )
    .unwrap();
    let r = clas_run(&[os("extract"), os("entite.docx")], dir.path());
    assert_eq!(r.out.status.code(), Some(2), "{}", stderr(&r.out));
    assert!(stderr(&r.out).contains("non reconnu"), "{}", stderr(&r.out));

    // In a workbook: the sheet reader does not expand entities either.
    let bomb_sheet = sample_with(
        "samples/presence/centre-social-du-pin.xlsx",
        "xl/sharedStrings.xml",
        |xml| {
            let body = xml
                .split_once("?>")
                .map_or(xml.as_str(), |(_, b)| b)
                .to_string();
            format!(
                "<?xml version=\"1.0\"?>{xxe}{}",
                body.replacen("<t>", "<t>&xxe;", 1)
            )
        },
    );
    std::fs::write(dir.path().join("xxe.xlsx"), &bomb_sheet).unwrap();
    let r = clas_run(&[os("extract"), os("--json"), os("xxe.xlsx")], dir.path());
    assert!(
        matches!(r.out.status.code(), Some(0..=2)),
        "{}",
        stderr(&r.out)
    );
    assert!(!stdout(&r.out).contains("SECRET") && !stderr(&r.out).contains("SECRET"));
    assert!(!stderr(&r.out).contains("panicked"), "{}", stderr(&r.out));
}

#[test]
fn zip_path_traversal_entries_are_never_written_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("espace");
    let init = run(&["init", ws.to_str().unwrap()], dir.path());
    assert!(init.status.success(), "{}", stderr(&init));
    let drop = dir.path().join("arrivee");
    std::fs::create_dir_all(&drop).unwrap();
    let good = std::fs::read(repo().join("samples/cartables-du-passage.docx")).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        parts.push((f.name().unwrap().to_string(), data));
    }
    let escape = format!("{}/evade.txt", dir.path().display());
    for name in [
        "../../evade.txt",
        "../evade.txt",
        escape.as_str(),
        "word/../../evade.txt",
    ] {
        parts.push((name.to_string(), b"ecrit hors de l'archive".to_vec()));
    }
    let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (n.as_str(), &d[..])).collect();
    std::fs::write(drop.join("traversee.docx"), package(&refs)).unwrap();
    let r = clas_run(
        &[
            os("ingest"),
            os("--workspace"),
            ws.as_os_str(),
            drop.as_os_str(),
        ],
        dir.path(),
    );
    let err = stderr(&r.out);
    // An invalid package (issue 14): refused, exit 2, nothing archived.
    assert_eq!(r.out.status.code(), Some(2), "{err}");
    assert!(err.contains("traversee.docx"), "{err}");
    assert!(err.contains("archive invalide"), "{err}");
    assert!(
        !ws.join("archives").exists()
            || std::fs::read_dir(ws.join("archives"))
                .unwrap()
                .next()
                .is_none(),
        "archivé"
    );
    assert!(!err.contains("panicked"), "{err}");
    for p in [
        dir.path().join("evade.txt"),
        dir.path().parent().unwrap().join("evade.txt"),
        ws.join("evade.txt"),
        ws.join("archives/evade.txt"),
        drop.join("evade.txt"),
    ] {
        assert!(!p.exists(), "{} écrit", p.display());
    }
}

/// Deflate data of `n` zero bytes, made without holding them all in memory.
fn zeros_deflated(n: usize) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).unwrap();
        let head = format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>"#);
        zip.write_all(head.as_bytes()).unwrap();
        let chunk = vec![b'0'; 1 << 20];
        for _ in 0..n >> 20 {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

/// Rewrites the uncompressed size of every entry, in the local and central headers.
fn lie_about_sizes(mut bytes: Vec<u8>, size: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 30 < bytes.len() {
        if &bytes[i..i + 4] == b"PK\x03\x04" {
            bytes[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            i += 30;
        } else if &bytes[i..i + 4] == b"PK\x01\x02" {
            bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            i += 46;
        } else {
            i += 1;
        }
    }
    bytes
}

#[test]
fn zip_bombs_are_refused_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 200 Mo of zeros in a few hundred Ko, size told honestly.
    let honest = zeros_deflated(200 << 20);
    assert!(honest.len() < 1 << 20);
    expect_refused(dir.path(), "bombe.docx", &honest, "volumineux");
    // The same, each header claiming 2 000 bytes: inflating stops where the claim ends.
    let lying = lie_about_sizes(honest.clone(), 2000);
    expect_refused(dir.path(), "bombe-menteuse.docx", &lying, "taille déclarée");
    // Claiming just under the limit: refused once 64 Mo are out, well before 200.
    let lying = lie_about_sizes(honest, 60 << 20);
    expect_refused(
        dir.path(),
        "bombe-menteuse-2.docx",
        &lying,
        "taille déclarée",
    );
    // 30 000 entries.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for i in 0..30_000 {
            zip.start_file(format!("x/{i}"), opts).unwrap();
        }
        zip.finish().unwrap();
    }
    expect_refused(dir.path(), "entrees.docx", &buf.into_inner(), "volumineux");
    // A workbook bomb: the spreadsheet reader bounds its parts too.
    let mut sheet = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut sheet);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let src = std::fs::read(repo().join("samples/presence/centre-social-du-pin.xlsx")).unwrap();
        let mut zin = zip::ZipArchive::new(std::io::Cursor::new(src)).unwrap();
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            zip.start_file(name.as_str(), opts).unwrap();
            if name == "xl/sharedStrings.xml" {
                let chunk = vec![b' '; 1 << 20];
                for _ in 0..200 {
                    zip.write_all(&chunk).unwrap();
                }
            } else {
                std::io::copy(&mut f, &mut zip).unwrap();
            }
        }
        zip.finish().unwrap();
    }
    std::fs::write(dir.path().join("bombe.xlsx"), sheet.into_inner()).unwrap();
    let r = clas_run(&[os("extract"), os("bombe.xlsx")], dir.path());
    let err = stderr(&r.out);
    assert_eq!(r.out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bombe.xlsx") && !err.contains("panicked"),
        "{err}"
    );
    assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
    if let Some(mb) = r.peak_mb {
        assert!(mb < 300.0, "{mb:.0} Mo");
    }
}

/// Found by `cargo fuzz run sheet`: an .xls whose DIMENSION record claims 11 541 × 7 475
/// cells (calamine would build the dense range, 2,7 Go, before reading a cell), and one whose
/// claim made the allocation fail and the process abort: both are measured before calamine.
#[test]
fn an_xls_claiming_huge_dimensions_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let bytes =
        std::fs::read(repo().join("tests/fuzz-regressions/xls-dimensions-demesurees.xls")).unwrap();
    expect_refused(dir.path(), "dimensions.xls", &bytes, "démesuré");
    let bytes =
        std::fs::read(repo().join("tests/fuzz-regressions/xls-dimensions-abandon.xls")).unwrap();
    expect_refused(dir.path(), "abandon.xls", &bytes, "démesuré");
}

/// The cartables sample with the children total replaced by `total`.
fn with_total(total: &str) -> Vec<u8> {
    sample_with(
        "samples/cartables-du-passage.docx",
        "word/document.xml",
        |xml| {
            let at = xml.find("Nombre total d’enfants").unwrap();
            let rel = xml[at..].find("<w:t>22</w:t>").unwrap();
            let mut xml = xml;
            xml.replace_range(at + rel..at + rel + 13, &format!("<w:t>{total}</w:t>"));
            xml
        },
    )
}

#[test]
fn huge_numbers_are_unreadable_answers_not_overflows() {
    let dir = tempfile::tempdir().unwrap();
    for (i, total) in [
        "99999999999999999999",
        "-99999999999999999999",
        "18446744073709551617",
        "9223372036854775808",
        "1e308",
        "1 000 000 000 000 000 000 000 000",
        "340282366920938463463374607431768211456,5",
        &"9".repeat(5000),
    ]
    .iter()
    .enumerate()
    {
        let name = format!("nombre-{i}.docx");
        std::fs::write(dir.path().join(&name), with_total(total)).unwrap();
        let r = clas_run(&[os("validate"), os("--json"), os(&name)], dir.path());
        let err = stderr(&r.out);
        assert!(
            matches!(r.out.status.code(), Some(0 | 1)),
            "{total} : {err}"
        );
        assert!(!err.contains("panicked"), "{total} : {err}");
        let got: serde_json::Value = serde_json::from_str(stdout(&r.out).trim()).unwrap();
        let value = &got["fields"]["enfants.total"];
        // Either a number the respondent could mean, or null with reponse.illisible.
        if value.is_null() {
            let findings = got["findings"].as_array().unwrap();
            assert!(
                findings.iter().any(|f| f["rule"] == "reponse.illisible"
                    && f["fields"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|x| x == "enfants.total")),
                "{total} : {got}"
            );
        } else {
            assert!(value.is_number(), "{total} : {value}");
        }
        assert!(
            r.elapsed < Duration::from_secs(10),
            "{total} : {:?}",
            r.elapsed
        );
    }
}

#[test]
fn a_five_megabyte_answer_is_read_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let long = "Les enfants ont progressé en lecture. ".repeat(5 * 1024 * 1024 / 38);
    let bytes = sample_with(
        "samples/cartables-du-passage.docx",
        "word/document.xml",
        |xml| {
            let old = "Année positive : les enfants ont gagné en autonomie";
            assert!(xml.contains(old));
            xml.replacen(old, &long, 1)
        },
    );
    std::fs::write(dir.path().join("long.docx"), bytes).unwrap();
    let r = clas_run(&[os("validate"), os("--json"), os("long.docx")], dir.path());
    let err = stderr(&r.out);
    assert!(matches!(r.out.status.code(), Some(0 | 1)), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let got: serde_json::Value = serde_json::from_str(stdout(&r.out).trim()).unwrap();
    let text = got["fields"]["bilan.global"].as_str().unwrap();
    assert!(text.len() > 5_000_000, "{}", text.len());
    assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
    if let Some(mb) = r.peak_mb {
        assert!(mb < 300.0, "{mb:.0} Mo");
    }
    // One paragraph of 5 Mo with no label in it at all.
    let body = format!(
        "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
        "é…".repeat(2_500_000)
    );
    std::fs::write(dir.path().join("mur.docx"), word(&body, "")).unwrap();
    let r = clas_run(&[os("extract"), os("mur.docx")], dir.path());
    assert_eq!(r.out.status.code(), Some(2), "{}", stderr(&r.out));
    assert!(stderr(&r.out).contains("mur.docx"), "{}", stderr(&r.out));
    // Bounded, not fast: tests run unoptimised, on a machine that may be busy.
    assert!(r.elapsed < Duration::from_secs(30), "{:?}", r.elapsed);
}

#[test]
fn file_names_that_are_not_utf8_are_still_named() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let good = std::ffi::OsStr::from_bytes(b"bilan-\xe9t\xe9.docx");
    let bad = std::ffi::OsStr::from_bytes(b"vide-\xff.docx");
    std::fs::copy(
        repo().join("samples/cartables-du-passage.docx"),
        dir.path().join(good),
    )
    .unwrap();
    std::fs::write(dir.path().join(bad), b"").unwrap();
    let r = clas_run(&[os("extract"), os("--json"), good], dir.path());
    assert!(r.out.status.success(), "{}", stderr(&r.out));
    let got: serde_json::Value = serde_json::from_str(stdout(&r.out).trim()).unwrap();
    assert!(got["file"].as_str().unwrap().starts_with("bilan-"), "{got}");
    let r = clas_run(&[os("extract"), bad], dir.path());
    let err = stderr(&r.out);
    assert_eq!(r.out.status.code(), Some(2), "{err}");
    assert!(err.contains("vide-") && err.contains("vide"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // Ingested: archived or refused, and reported by name.
    let ws = dir.path().join("espace");
    assert!(
        run(&["init", ws.to_str().unwrap()], dir.path())
            .status
            .success()
    );
    let drop: PathBuf = dir.path().join("arrivee");
    std::fs::create_dir_all(&drop).unwrap();
    std::fs::rename(dir.path().join(good), drop.join(good)).unwrap();
    std::fs::rename(dir.path().join(bad), drop.join(bad)).unwrap();
    let r = clas_run(
        &[
            os("ingest"),
            os("--workspace"),
            ws.as_os_str(),
            drop.as_os_str(),
        ],
        dir.path(),
    );
    let err = stderr(&r.out);
    assert!(matches!(r.out.status.code(), Some(0..=2)), "{err}");
    assert!(err.contains("bilan-") && err.contains("vide-"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let _ = Command::new("true").status();
}
