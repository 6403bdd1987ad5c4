//! `cargo bench --bench review`: the review page on a department of `CLAS_BENCH_ACTIONS`
//! actions (500 by default): synthetic Word bilans (`clas_forms::synth`, as `clas-forms
//! --synth` writes them), one action each, ingested by the real binary; then `clas review`
//! serving each page (the time of a whole request, socket included, median and worst of
//! several), and corrections made through the page's form until the synthesis is written
//! again. The goals (issue 16): every page under 100 ms, a correction to an updated synthesis
//! under 2 s.
//!
//! `CLAS_BENCH_KEEP=DIR` keeps the corpus and workspace there.

#[path = "../tests/review/http.rs"]
#[allow(dead_code)]
mod http;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_clas"));
    let n: u64 = std::env::var("CLAS_BENCH_ACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let tmp = tempfile::tempdir().unwrap();
    let base = std::env::var_os("CLAS_BENCH_KEEP")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let corpus = base.join("corpus-revue");
    let ws = base.join("espace-revue");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&corpus).unwrap();
    for i in 1..=n {
        let path = corpus.join(format!("synth-{i:05}.docx"));
        if path.exists() {
            continue;
        }
        let (mut answers, style) = clas_forms::synth::synthetic(i);
        // One action per bilan (as benches/pipeline.rs): the porteur gets the number, twice.
        if let clas_forms::bilan::Answer::Text(name) = answers.get("porteur.nom").clone() {
            answers.text("porteur.nom", &format!("{name} {i}-{i}"));
        }
        std::fs::write(&path, clas_forms::bilan::bilan_docx(&answers, &style)).unwrap();
    }
    run(&bin, &["init", &ws.display().to_string()], &base);
    let started = Instant::now();
    run(&bin, &["ingest", &corpus.display().to_string()], &ws);
    println!(
        "== {n} bilans ingérés en {:.1} s (espace {})",
        started.elapsed().as_secs_f64(),
        ws.display()
    );

    let mut child = Command::new(&bin)
        .args(["review", "--no-browser"])
        .current_dir(&ws)
        .env("CLAS_NO_BROWSER", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port: u16 = first
        .trim()
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap();

    println!("\n== Pages (durée d'une requête entière, 15 fois : médiane / pire)");
    let actions: Vec<String> = (1..=n as i64)
        .step_by((n as usize / 5).max(1))
        .map(|i| format!("/action/{i}"))
        .collect();
    let mut worst = Duration::ZERO;
    for path in ["/", "/a-revoir", "/journal", "/presence", "/journal.csv"]
        .iter()
        .map(|s| s.to_string())
        .chain(actions.iter().cloned())
    {
        // An action's page reads its archived bilan once (where each value was found): the
        // first request is timed apart.
        let t = Instant::now();
        let a = http::get(port, &path);
        let cold = t.elapsed();
        assert_eq!(a.status, 200, "{path}");
        let mut times: Vec<Duration> = (0..15)
            .map(|_| {
                let t = Instant::now();
                let a = http::get(port, &path);
                assert_eq!(a.status, 200);
                t.elapsed()
            })
            .collect();
        times.sort();
        let max = *times.last().unwrap();
        worst = worst.max(max).max(cold);
        println!(
            "  {path:<16} {:>7.1} ms / {:>7.1} ms   (première : {:.1} ms, {} ko)",
            ms(times[times.len() / 2]),
            ms(max),
            ms(cold),
            a.body.len() / 1024
        );
    }
    println!(
        "  pire de toutes : {:.1} ms (objectif : moins de 100 ms)",
        ms(worst)
    );

    println!("\n== Corrections : du formulaire envoyé à la synthèse réécrite");
    let synthesis = ws.join("sorties/synthese.xlsx");
    let mut times = Vec::new();
    for (k, action) in actions.iter().enumerate() {
        let html = http::get(port, action).text();
        let token = html
            .split("name=\"jeton\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let before = std::fs::metadata(&synthesis)
            .and_then(|m| m.modified())
            .ok();
        let value = (20 + k).to_string();
        let t = Instant::now();
        let a = http::request(
            port,
            "POST",
            &format!("{action}/corriger"),
            &format!("127.0.0.1:{port}"),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &http::form(&[
                ("jeton", &token),
                ("champ", "familles.nombre"),
                ("valeur", &value),
                ("motif", "banc d'essai"),
            ]),
        );
        let took = t.elapsed();
        assert_eq!(a.status, 303, "{}", a.text());
        let after = std::fs::metadata(&synthesis)
            .and_then(|m| m.modified())
            .ok();
        assert!(after > before, "the synthesis was written again");
        println!("  {action:<16} {:>7.0} ms", ms(took));
        times.push(took);
    }
    times.sort();
    println!(
        "  médiane {:.0} ms, pire {:.0} ms (objectif : moins de 2 s)",
        ms(times[times.len() / 2]),
        ms(*times.last().unwrap())
    );
    let _ = child.kill();
    let _ = child.wait();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run(bin: &Path, args: &[&str], dir: &Path) {
    let o = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.code().unwrap_or(9) <= 1,
        "clas {args:?} : {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
