//! `clas review`, and `clas` alone in a workspace (the watcher and the review page together):
//! the page's address first on standard output (docs/cli.md), the browser opened, until
//! Ctrl+C or SIGTERM.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clas::config::Config;
use clas::review::{self, Review};

use super::{BAD_INPUT, OK};

/// Set (to anything) in tests: the browser is never opened.
const NO_BROWSER_ENV: &str = "CLAS_NO_BROWSER";

fn not_a_workspace(dir: &Path) -> i32 {
    eprintln!(
        "clas : {} n'est pas un espace de travail (ni clas.toml ni clas.db). Créez-en un avec « clas init DOSSIER », \
         puis lancez clas depuis ce dossier (ou avec --workspace DOSSIER). « clas --help » liste les commandes.",
        std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .display()
    );
    BAD_INPUT
}

/// Listens, prints the address, opens the browser.
fn start(config: &Config, port: Option<u16>, no_browser: bool) -> Result<Review, i32> {
    let page = Review::bind(config, port).map_err(|e| {
        eprintln!("clas : {e}");
        BAD_INPUT
    })?;
    let url = page.url();
    println!("{url}");
    let _ = std::io::stdout().flush();
    if no_browser || std::env::var_os(NO_BROWSER_ENV).is_some() {
        eprintln!("clas : page de relecture sur {url} (Ctrl+C pour arrêter)");
    } else {
        match review::browser::open(&url) {
            Ok(()) => eprintln!(
                "clas : page de relecture ouverte dans le navigateur : {url} (Ctrl+C pour arrêter)"
            ),
            Err(e) => eprintln!("clas : {e} : {url}"),
        }
    }
    Ok(page)
}

fn stop_on_signal() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    stop
}

/// `clas review [--port N] [--no-browser]`.
pub(super) fn review(config: &Config, port: Option<u16>, no_browser: bool) -> i32 {
    if !review::is_workspace(&config.workspace) {
        return not_a_workspace(&config.workspace);
    }
    let page = match start(config, port, no_browser) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let stop = stop_on_signal();
    match page.run(&stop) {
        Ok(()) => {
            eprintln!("clas : page de relecture arrêtée");
            OK
        }
        Err(e) => {
            eprintln!("clas : {e}");
            BAD_INPUT
        }
    }
}

/// `clas` alone: in a workspace, the watcher and the review page together, the browser opened
/// on the page; elsewhere, how to make a workspace (exit 2).
pub(super) fn watch_and_review(workspace: &Path) -> i32 {
    if !review::is_workspace(workspace) {
        return not_a_workspace(workspace);
    }
    let config = match clas::workspace::load_config(workspace) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    let page = match start(&config, None, false) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let stop = stop_on_signal();
    let server = {
        let stop = stop.clone();
        std::thread::spawn(move || page.run(&stop))
    };
    let status = super::inbox::watch_until(&config, None, &stop);
    stop.store(true, Ordering::SeqCst);
    match server.join() {
        Ok(Ok(())) => status,
        Ok(Err(e)) => {
            eprintln!("clas : {e}");
            BAD_INPUT
        }
        Err(_) => BAD_INPUT,
    }
}
