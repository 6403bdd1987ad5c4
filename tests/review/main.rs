//! The review page (`clas review`, and `clas` alone in a workspace): served by the real binary
//! in a scratch workspace, read with a plain HTTP client (`pages`: every page, the security
//! checks, children's names never shown) and driven in a real headless Chromium through
//! chromedriver (`browser`: skipped, saying so, when Debian's `chromium` and
//! `chromium-driver` are not installed).

#[path = "../common/mod.rs"]
mod common;

mod browser;
mod http;
mod pages;
mod webdriver;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A `clas` serving the page, stopped (SIGTERM, then killed) when dropped.
pub struct Served {
    pub child: Child,
    pub port: u16,
    pub url: String,
}

impl Served {
    /// `clas ARGS` in `dir`, waiting for the address on the first line of standard output.
    pub fn start(dir: &Path, args: &[&str]) -> Served {
        let mut child = common::clas()
            .args(args)
            .current_dir(dir)
            .env("CLAS_NO_BROWSER", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clas starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first.trim().to_string();
        let port = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|r| r.strip_suffix('/'))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("first line of stdout is the address: {first:?}"));
        Served { child, port, url }
    }

    /// SIGTERM, as a session's end or `kill` sends it; the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
        }
        #[cfg(not(unix))]
        {
            let _ = self.child.kill();
        }
        let status = self.child.wait().unwrap();
        std::mem::forget(self);
        status
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A workspace (`clas init`) with the given files ingested.
pub fn workspace(files: &[PathBuf]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = common::run(&["init", "."], dir.path());
    assert!(o.status.success(), "{}", common::stderr(&o));
    if !files.is_empty() {
        let mut args = vec!["ingest".to_string()];
        args.extend(files.iter().map(|f| f.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = common::run(&args, dir.path());
        // 2: a file refused (on purpose: a scan), the others read.
        assert!(o.status.code().unwrap_or(9) <= 2, "{}", common::stderr(&o));
        assert!(
            common::stderr(&o).contains("fichier(s) :"),
            "{}",
            common::stderr(&o)
        );
    }
    dir
}

/// A bilan of the samples' generator, action `numero` of `porteur`, with « une quinzaine »
/// written for the number of families.
pub fn quinzaine_bilan(dir: &Path, porteur: &str, numero: &str) -> PathBuf {
    let (mut answers, style) = clas_forms::synth::synthetic(7);
    answers
        .text("porteur.nom", porteur)
        .text("action.numero", numero)
        .raw("familles.nombre", "une quinzaine", serde_json::Value::Null);
    let path = dir.join(format!("bilan-{numero}.docx"));
    std::fs::write(&path, clas_forms::bilan::bilan_docx(&answers, &style)).unwrap();
    path
}

/// Where the screenshots go (`CLAS_REVIEW_SCREENSHOTS`), if anywhere.
pub fn screenshots() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("CLAS_REVIEW_SCREENSHOTS")?);
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}
