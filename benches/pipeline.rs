//! `cargo bench --bench pipeline`: how fast clas is, on this machine, with figures anyone can
//! reproduce (see PERFORMANCE.md).
//!
//! 1. Each reader on its samples (Word, PDF, spreadsheets; a format whose sample folder is
//!    missing is skipped), in memory, on one core: read, read + extract, read + extract +
//!    validate. Times are CPU time of this thread (what the work costs, even on a machine
//!    where others compile) and wall time.
//! 2. A synthetic corpus: `CLAS_BENCH_DOCS` documents (10 000 by default), written by the
//!    samples' generator (`clas_forms::synth`, as `clas-forms --synth` does) for the Word
//!    bilans — one action per bilan, one in twenty sent twice — plus copies of the PDF and
//!    workbook samples made distinct (one document in ten).
//! 3. The whole pipeline on that corpus with the real binary: `clas ingest` into a fresh
//!    workspace (read, validate, store, archive, synthesis), then `clas validate --json` in
//!    batches of 1 000 files, one process and two processes at a time; wall time, CPU time and
//!    peak memory (`/usr/bin/time -v`, or the process's VmHWM).
//! 4. The straightforward Python script (tools/bench-python/extract_bilan.py: python-docx,
//!    openpyxl) on `CLAS_BENCH_PYTHON_DOCS` of the corpus's Word bilans (1 000 by default, 0 to
//!    skip), and `clas extract --json` on the same files in the same run: the ratio.
//!
//! `CLAS_BENCH_KEEP=DIR` writes the corpus and workspace there and keeps them.

use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clas::dictionary::FormKind;
use clas::findings::rules::{Context, check};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_clas"));
    let docs: usize = env_or("CLAS_BENCH_DOCS", 10_000);
    let python_docs: usize = env_or("CLAS_BENCH_PYTHON_DOCS", 1_000);
    let keep = std::env::var_os("CLAS_BENCH_KEEP").map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("temporary folder");
    let base = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    // A new workspace each time; the previous ones are removed after the measures: ext4 is
    // slow to create files while thousands of inodes were just freed (`recently_deleted` in
    // the kernel: 1 to 1.5 s more for 10 000 documents, measured).
    let previous: Vec<PathBuf> = std::fs::read_dir(&base)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("espace"))
                })
                .collect()
        })
        .unwrap_or_default();
    let ws = base.join(format!(
        "espace-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    ));

    println!("== Machine : {}", machine());
    readers(&root);

    let corpus = base.join("corpus");
    let started = Instant::now();
    let (bilans, others) = write_corpus(&root, &corpus, docs);
    // The corpus on disk before anything is timed: its writing must not be measured.
    let _ = Command::new("sync").status();
    println!(
        "\n== Corpus : {} documents ({} bilans Word synthétiques, {} PDF et classeurs) écrits en {:.1} s dans {}",
        bilans.len() + others.len(),
        bilans.len(),
        others.len(),
        started.elapsed().as_secs_f64(),
        corpus.display()
    );
    pipeline(&bin, &ws, &corpus, &bilans);
    python(&root, &bin, &base, &bilans, python_docs);
    for old in previous {
        let _ = std::fs::remove_dir_all(old);
    }
    if keep.is_some() {
        println!(
            "\n(corpus et espace de travail conservés dans {} et {})",
            corpus.display(),
            ws.display()
        );
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or("?".into(), |kb| format!("{:.1} Gio", kb as f64 / 1048576.0));
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    format!("{cpus} cœur(s), {model}, {mem} de mémoire, charge {load}")
}

/// CPU time of this thread so far (Linux), else `None`.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Mean (CPU, wall) time of one call in µs: rounds of calls until 0.3 s of wall time, the
/// round with the least CPU time kept.
fn time_us(mut f: impl FnMut()) -> (f64, f64) {
    for _ in 0..5 {
        f();
    }
    let mut best = (f64::MAX, f64::MAX);
    let until = Instant::now() + Duration::from_millis(300);
    while Instant::now() < until || best.0 == f64::MAX {
        let n = 20;
        let (c0, t0) = (thread_cpu(), Instant::now());
        for _ in 0..n {
            f();
        }
        let wall = t0.elapsed().as_secs_f64() * 1e6 / n as f64;
        let cpu = match (c0, thread_cpu()) {
            (Some(a), Some(b)) => (b - a).as_secs_f64() * 1e6 / n as f64,
            _ => wall,
        };
        if cpu < best.0 {
            best = (cpu, wall);
        }
    }
    best
}

// ---------------------------------------------------------------------------------------------
// 1. Readers

fn files(dir: &Path, exts: &[&str], skip_prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
                && !p
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(skip_prefix)
        })
        .collect();
    out.sort();
    out
}

fn readers(root: &Path) {
    let mappings = clas::mapping::load(None).expect("embedded mappings");
    let ctx = Context::load("national", None, false).expect("embedded rules");
    let mut synth = Vec::new();
    for i in 1..=20u64 {
        let (answers, style) = clas_forms::synth::synthetic(i);
        synth.push((
            PathBuf::from(format!("synth-{i:05}.docx")),
            clas_forms::bilan::bilan_docx(&answers, &style),
        ));
    }
    let load = |paths: Vec<PathBuf>| -> Vec<(PathBuf, Vec<u8>)> {
        paths
            .into_iter()
            .map(|p| {
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect()
    };
    let mut docx = load(files(&root.join("samples"), &["docx"], "~"));
    docx.extend(load(files(&root.join("forms"), &["docx"], "convention")));
    type Files = Vec<(PathBuf, Vec<u8>)>;
    let sets: Vec<(&str, Files)> = vec![
        ("Word, échantillons", docx),
        ("Word, bilans synthétiques", synth),
        (
            "PDF",
            load(files(&root.join("samples/pdf"), &["pdf"], "refus-")),
        ),
        (
            "xlsx",
            load(files(&root.join("samples/presence"), &["xlsx"], "~")),
        ),
        (
            "ods",
            load(files(&root.join("samples/presence"), &["ods"], "~")),
        ),
        (
            "xls",
            load(files(&root.join("samples/presence"), &["xls"], "~")),
        ),
    ];
    println!(
        "\n== Lecteurs, en mémoire, un cœur (µs par document, temps CPU ; temps réel entre parenthèses)"
    );
    println!(
        "{:<28} {:>5} {:>7} {:>16} {:>18} {:>18} {:>10}",
        "format", "docs", "Ko moy", "lecture", "+ extraction", "+ contrôles", "docs/s"
    );
    for (name, set) in sets {
        if set.is_empty() {
            println!("{name:<28} (pas d'échantillons : ignoré)");
            continue;
        }
        let (mut read, mut extract, mut validate) = ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0));
        let mut bytes = 0;
        let mut n = 0;
        for (path, b) in &set {
            if clas::document::read_bytes(b, path).is_err() {
                println!("  {} : illisible, ignoré", path.display());
                continue;
            }
            n += 1;
            bytes += b.len();
            let add = |acc: &mut (f64, f64), t: (f64, f64)| {
                acc.0 += t.0;
                acc.1 += t.1;
            };
            add(
                &mut read,
                time_us(|| {
                    black_box(clas::document::read_bytes(black_box(b), path).ok());
                }),
            );
            add(
                &mut extract,
                time_us(|| {
                    let doc = clas::document::read_bytes(black_box(b), path).unwrap();
                    black_box(clas::pipeline::extract_document(doc, &mappings).ok());
                }),
            );
            add(
                &mut validate,
                time_us(|| {
                    let doc = clas::document::read_bytes(black_box(b), path).unwrap();
                    if let Ok(x) = clas::pipeline::extract_document(doc, &mappings) {
                        let x = &x.extraction;
                        black_box(match x.form {
                            FormKind::Bilan => check(Some(x), None, None, &ctx),
                            FormKind::Presence => check(None, Some(x), None, &ctx),
                            FormKind::NoteStrategique => check(None, None, Some(x), &ctx),
                        });
                    }
                }),
            );
        }
        if n == 0 {
            continue;
        }
        let per = |t: (f64, f64)| format!("{:.0} ({:.0})", t.0 / n as f64, t.1 / n as f64);
        println!(
            "{name:<28} {n:>5} {:>7.1} {:>16} {:>18} {:>18} {:>10.0}",
            bytes as f64 / n as f64 / 1024.0,
            per(read),
            per(extract),
            per(validate),
            1e6 * n as f64 / validate.0,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Corpus

/// Writes the corpus: synthetic Word bilans (with their golden JSON), and one document in ten
/// a copy of a PDF or workbook sample made distinct (so that the store does not take it for
/// a file already received). Returns (bilans, others).
fn write_corpus(root: &Path, dir: &Path, n: usize) -> (Vec<PathBuf>, Vec<PathBuf>) {
    std::fs::create_dir_all(dir).unwrap();
    let mut templates = files(&root.join("samples/pdf"), &["pdf"], "refus-");
    templates.extend(files(&root.join("samples/presence"), &["xlsx", "ods"], "~"));
    let templates: Vec<(PathBuf, Vec<u8>)> = templates
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    let n_others = if templates.is_empty() { 0 } else { n / 10 };
    let mut bilans = Vec::new();
    for i in 1..=(n - n_others) as u64 {
        let (mut answers, style) = clas_forms::synth::synthetic(i);
        // The generator draws porteurs from a short list: 10 000 bilans would be 50 actions of
        // 200 versions each. A département has one action per bilan, a few sent twice: the
        // porteur's name gets the action's number, written twice so that two numbers are
        // never one typo apart (the store would take them for the same porteur).
        let action = if i % 20 == 0 { i - 1 } else { i };
        if let clas_forms::bilan::Answer::Text(name) = answers.get("porteur.nom").clone() {
            answers.text("porteur.nom", &format!("{name} {action}-{action}"));
        }
        let file = format!("synth-{i:05}.docx");
        let path = dir.join(&file);
        if !path.exists() {
            std::fs::write(&path, clas_forms::bilan::bilan_docx(&answers, &style)).unwrap();
            std::fs::write(
                dir.join(format!("synth-{i:05}.json")),
                clas_forms::bilan::golden_json(&file, &answers),
            )
            .unwrap();
        }
        bilans.push(path);
    }
    let mut others = Vec::new();
    for i in 0..n_others {
        let (src, bytes) = &templates[i % templates.len()];
        let ext = src.extension().unwrap().to_string_lossy().to_string();
        let stem = src.file_stem().unwrap().to_string_lossy().to_string();
        let path = dir.join(format!("copie-{i:05}-{stem}.{ext}"));
        if !path.exists() {
            std::fs::write(&path, distinct(bytes, &ext, i)).unwrap();
        }
        others.push(path);
    }
    (bilans, others)
}

/// The same document with other bytes: a comment after the end of a PDF, one more small
/// entry in a zip package (spreadsheet readers ignore parts they do not know).
fn distinct(bytes: &[u8], ext: &str, i: usize) -> Vec<u8> {
    if ext == "pdf" {
        let mut b = bytes.to_vec();
        b.extend_from_slice(format!("\n%copie {i}\n").as_bytes());
        return b;
    }
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zout = zip::ZipWriter::new(&mut out);
        for k in 0..zin.len() {
            let entry = zin.by_index_raw(k).unwrap();
            zout.raw_copy_file(entry).unwrap();
        }
        zout.start_file(
            format!("bench/copie-{i}.txt"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zout.write_all(format!("copie {i}").as_bytes()).unwrap();
        zout.finish().unwrap();
    }
    out.into_inner()
}

// ---------------------------------------------------------------------------------------------
// 3. Whole pipeline

struct Run {
    wall: f64,
    user: f64,
    sys: f64,
    peak_mb: f64,
    status: Option<i32>,
    stderr_tail: String,
}

/// Runs a command, measured by `/usr/bin/time -v` when present, else by polling VmHWM.
fn measured(mut cmd: Command) -> Run {
    let time = Path::new("/usr/bin/time");
    if time.exists() {
        let prog = cmd.get_program().to_owned();
        let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
        let dir = cmd.get_current_dir().map(Path::to_path_buf);
        let mut timed = Command::new(time);
        timed.arg("-v").arg(prog).args(args);
        if let Some(d) = dir {
            timed.current_dir(d);
        }
        let started = Instant::now();
        let out = timed.stdout(Stdio::null()).output().expect("/usr/bin/time");
        let wall = started.elapsed().as_secs_f64();
        let err = String::from_utf8_lossy(&out.stderr);
        let field = |name: &str| -> f64 {
            err.lines()
                .find_map(|l| l.trim().strip_prefix(name))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0.0)
        };
        let report = err.find("\tCommand being timed").unwrap_or(err.len());
        let tail: Vec<&str> = err[..report].lines().rev().take(3).collect();
        return Run {
            wall,
            user: field("User time (seconds):"),
            sys: field("System time (seconds):"),
            peak_mb: field("Maximum resident set size (kbytes):") / 1024.0,
            status: out.status.code(),
            stderr_tail: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        };
    }
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("clas runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0.0f64;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(v) = s.lines().find_map(|l| l.strip_prefix("VmHWM:"))
        {
            peak_kb = peak_kb.max(
                v.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse()
                    .unwrap_or(0.0),
            );
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        wall: started.elapsed().as_secs_f64(),
        user: 0.0,
        sys: 0.0,
        peak_mb: peak_kb / 1024.0,
        status: status.code(),
        stderr_tail: String::new(),
    }
}

fn report(what: &str, docs: usize, r: &Run) {
    println!(
        "{what:<52} {:>8.2} s {:>8.0} docs/s   CPU {:>6.2} s ({:.0} µs/doc)   pic {:>6.1} Mo   code {:?}",
        r.wall,
        docs as f64 / r.wall,
        r.user + r.sys,
        (r.user + r.sys) * 1e6 / docs as f64,
        r.peak_mb,
        r.status
    );
}

fn pipeline(bin: &Path, ws: &Path, corpus: &Path, bilans: &[PathBuf]) {
    let all = std::fs::read_dir(corpus)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x != "json"))
        .count();
    println!("\n== Chaîne complète, binaire réel ({all} documents)");
    let init = Command::new(bin).arg("init").arg(ws).output().unwrap();
    assert!(init.status.success(), "clas init : {init:?}");
    let mut ingest = Command::new(bin);
    ingest.arg("ingest").arg(corpus).current_dir(ws);
    let r = measured(ingest);
    report(
        "clas ingest (lecture, contrôles, base, archives, synthèse)",
        all,
        &r,
    );
    if !r.stderr_tail.is_empty() {
        println!("    {}", r.stderr_tail.replace('\n', "\n    "));
    }

    // clas validate in batches of 1 000 bilans, one then two processes at a time.
    let batches: Vec<&[PathBuf]> = bilans.chunks(1000).collect();
    for parallel in [1usize, 2] {
        let started = Instant::now();
        let mut peak = 0.0f64;
        let mut cpu = 0.0;
        let mut worst = None;
        for group in batches.chunks(parallel) {
            let handles: Vec<_> = group
                .iter()
                .map(|batch| {
                    let mut cmd = Command::new(bin);
                    cmd.arg("validate")
                        .arg("--json")
                        .args(*batch)
                        .current_dir(ws);
                    std::thread::spawn(move || measured(cmd))
                })
                .collect();
            for h in handles {
                let r = h.join().unwrap();
                peak = peak.max(r.peak_mb);
                cpu += r.user + r.sys;
                worst = worst.max(r.status);
            }
        }
        let r = Run {
            wall: started.elapsed().as_secs_f64(),
            user: cpu,
            sys: 0.0,
            peak_mb: peak,
            status: worst,
            stderr_tail: String::new(),
        };
        report(
            &format!("clas validate --json, lots de 1 000, {parallel} processus"),
            bilans.len(),
            &r,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Python

fn python(root: &Path, bin: &Path, base: &Path, bilans: &[PathBuf], n: usize) {
    if n == 0 {
        return;
    }
    let script = root.join("tools/bench-python/extract_bilan.py");
    let ok = Command::new("python3")
        .args(["-c", "import docx, openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        println!(
            "\n== Python : python3 avec python-docx et openpyxl introuvable (pip install python-docx openpyxl) : comparaison NON faite"
        );
        return;
    }
    let n = n.min(bilans.len());
    let dir = base.join("python");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in &bilans[..n] {
        let name = f.file_name().unwrap();
        std::fs::copy(f, dir.join(name)).unwrap();
        let _ = std::fs::copy(
            f.with_extension("json"),
            dir.join(name).with_extension("json"),
        );
    }
    println!("\n== Python contre clas, mêmes {n} bilans Word, même exécution");
    let mut py = Command::new("python3");
    py.arg(&script).arg("--golden").arg(&dir);
    let rp = measured(py);
    report(
        "python3 extract_bilan.py (python-docx), 1 processus",
        n,
        &rp,
    );
    if !rp.stderr_tail.is_empty() {
        println!("    {}", rp.stderr_tail.replace('\n', "\n    "));
    }
    let files: Vec<PathBuf> = bilans[..n]
        .iter()
        .map(|f| dir.join(f.file_name().unwrap()))
        .collect();
    // clas takes a fraction of a second here: the median of five runs, not one at the mercy
    // of the machine's other work.
    let mut runs: Vec<Run> = (0..5)
        .map(|_| {
            let mut one = Command::new(bin);
            one.arg("extract").arg("--json").args(&files);
            measured(one)
        })
        .collect();
    runs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    let r1 = runs.swap_remove(2);
    // One process reads on every core (pipeline::on_every_core): the tool as an agent runs it.
    report("clas extract --json, 1 processus (tous les cœurs)", n, &r1);
    let (a, b) = files.split_at(n / 2);
    let started = Instant::now();
    let halves: Vec<_> = [a.to_vec(), b.to_vec()]
        .into_iter()
        .map(|part| {
            let mut cmd = Command::new(bin);
            cmd.arg("extract").arg("--json").args(part);
            std::thread::spawn(move || measured(cmd))
        })
        .collect();
    let runs: Vec<Run> = halves.into_iter().map(|h| h.join().unwrap()).collect();
    let r2 = Run {
        wall: started.elapsed().as_secs_f64(),
        user: runs.iter().map(|r| r.user + r.sys).sum(),
        sys: 0.0,
        peak_mb: runs.iter().map(|r| r.peak_mb).fold(0.0, f64::max),
        status: runs.iter().map(|r| r.status).max().flatten(),
        stderr_tail: String::new(),
    };
    report("clas extract --json, 2 processus", n, &r2);
    println!(
        "rapport de débit clas / Python : {:.1} × (un processus clas, tous les cœurs ; Python n'en \
         utilise qu'un), {:.1} × par cœur (temps CPU), {:.1} × avec deux processus clas",
        rp.wall / r1.wall,
        (rp.user + rp.sys) / (r1.user + r1.sys).max(1e-9),
        rp.wall / r2.wall
    );
}
