//! The commands that work on the workspace: `init`, `ingest`, `watch` and `demo`. The library
//! does the work and reports each file; the log is written here.

use std::io::Write;
use std::path::PathBuf;

use clas::config::Config;

use super::outputs::open_store;
use super::{BAD_INPUT, OK};

/// `clas demo`: the whole pipeline on the samples, in a fresh workspace, and where it all is.
pub(super) fn demo(dir: &std::path::Path, samples: &std::path::Path) -> i32 {
    if !samples.is_dir() {
        eprintln!(
            "clas : dossier d'exemples {} introuvable : lancez la démonstration depuis le dossier du projet",
            samples.display()
        );
        return BAD_INPUT;
    }
    if dir.join("clas.toml").exists() {
        eprintln!(
            "clas : {} est déjà un espace de travail : les exemples y sont ajoutés et les documents produits y sont réécrits ; son clas.toml, ses archives et ses fichiers ne sont ni effacés ni modifiés.",
            dir.display()
        );
    } else if dir.exists() && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!(
            "clas : le dossier {} existe déjà : la démonstration y crée un espace de travail (dossiers depot, archives, rejets, sorties et clas.toml) sans rien effacer de ce qu'il contient.",
            dir.display()
        );
    }
    if !dir.join("clas.toml").exists()
        && let Err(e) = clas::workspace::init(dir)
    {
        eprintln!("clas : {e}");
        return BAD_INPUT;
    }
    let mut config = match clas::workspace::load_config(dir) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    // What a Caf would write in clas.toml, for the demonstration only.
    let default = |slot: &mut String, v: &str| {
        if slot.is_empty() {
            *slot = v.to_string();
        }
    };
    default(&mut config.territory, "Lot-et-Garonne");
    default(&mut config.caf, "Caf de Lot-et-Garonne");
    default(&mut config.caf_town, "Agen");
    default(
        &mut config.contact,
        "Service action sociale de la Caf, clas@caf47.example",
    );
    default(
        &mut config.signatory,
        "La responsable du service action sociale",
    );
    if config.rural_porteurs.is_empty() {
        config.rural_porteurs = vec![
            "Coteaux solidaires".into(),
            "Foyer rural de Castelmoron".into(),
        ];
    }
    eprintln!(
        "== 1. Lecture et contrôle des exemples de {}",
        samples.display()
    );
    let status = ingest(&config, &[samples.to_path_buf()]);
    let store = match open_store(&config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    eprintln!("\n== 2. Documents produits");
    match clas::inbox::rebuild_outputs(&config, &store) {
        Ok(rebuilt) => {
            rebuilt
                .written
                .iter()
                .for_each(|f| eprintln!("  {}", f.display()));
            rebuilt.notices.iter().for_each(|n| eprintln!("  {n}"));
        }
        Err(e) => eprintln!("  synthèse : {e}"),
    }
    match clas::outputs::conventions(&config, &store, None, None) {
        Ok(r) => eprintln!(
            "  {} convention(s) pré-remplie(s) : {}",
            r.conventions.len(),
            r.index.parent().unwrap_or(dir).display()
        ),
        Err(e) => eprintln!("  conventions : {e}"),
    }
    match clas::outputs::blank_bilans(&config, &store, None) {
        Ok(f) => eprintln!(
            "  {} bilan(s) vierge(s) pré-rempli(s) : {}",
            f.len(),
            config.sorties_dir().join("bilans").display()
        ),
        Err(e) => eprintln!("  bilans pré-remplis : {e}"),
    }
    match clas::outputs::relances(&config, &store, None, false) {
        Ok(r) => eprintln!(
            "  {} lettre(s) de relance : {}",
            r.letters.len(),
            r.index.parent().unwrap_or(dir).display()
        ),
        Err(e) => eprintln!("  relances : {e}"),
    }
    eprintln!("\n== 3. Où sont les résultats");
    eprintln!("  espace de travail : {}", dir.display());
    eprintln!(
        "  fichiers acceptés et leur rapport : {}",
        config.archives_dir().display()
    );
    eprintln!(
        "  fichiers refusés et la raison : {}",
        config.rejets_dir().display()
    );
    eprintln!(
        "  synthèse, conventions, relances : {}",
        config.sorties_dir().display()
    );
    eprintln!("  journal : {}", config.log_path().display());
    // The samples include unreadable and faulty forms on purpose: that is the demonstration.
    let _ = status;
    OK
}

/// `clas init [DIR]`.
pub(super) fn init(dir: &std::path::Path) -> i32 {
    match clas::workspace::init(dir) {
        Ok(done) => {
            for p in &done.created {
                println!("dossier créé : {}", p.display());
            }
            let toml = dir.join("clas.toml");
            if done.wrote_config {
                println!(
                    "configuration écrite : {} (chaque réglage y est commenté avec sa valeur par défaut)",
                    toml.display()
                );
            } else {
                println!("configuration conservée : {} existait déjà", toml.display());
            }
            println!(
                "espace de travail prêt : déposez les fichiers dans {} puis lancez « clas watch »{}.",
                dir.join("depot").display(),
                if dir == std::path::Path::new(".") {
                    String::new()
                } else {
                    format!(" --workspace {}", dir.display())
                }
            );
            OK
        }
        Err(e) => {
            eprintln!("clas : {e}");
            BAD_INPUT
        }
    }
}

/// One line per file, on stderr (above the progress bar if any) and in the workspace's
/// `clas.log`.
struct Log {
    file: Option<std::fs::File>,
    bar: Option<indicatif::ProgressBar>,
    command: &'static str,
    /// Lines on stderr carry the time (a long-running `clas watch`).
    timed: bool,
}

impl Log {
    fn open(config: &Config, command: &'static str, timed: bool) -> Log {
        let path = config.log_path();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path);
        if let Err(e) = &file {
            eprintln!(
                "clas : journal {} impossible à écrire ({}) ; les messages ne s'affichent qu'ici",
                path.display(),
                clas::files::io_french(e)
            );
        }
        Log {
            file: file.ok(),
            bar: None,
            command,
            timed,
        }
    }

    fn line(&mut self, message: &str) {
        // A file name with a line break must not split the line (or forge another).
        let message = &clas::inbox::one_line(message);
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
        let text = if self.timed {
            format!("{now} {message}")
        } else {
            format!("clas : {message}")
        };
        match &self.bar {
            Some(bar) => bar.println(&text),
            None => eprintln!("{text}"),
        }
        if let Some(f) = &mut self.file {
            let _ = writeln!(f, "{now} {} : {message}", self.command);
        }
    }
}

/// `clas ingest PATH...`: exit 2 if a file could not be read, else 1 if a finding is an error.
pub(super) fn ingest(config: &Config, paths: &[PathBuf]) -> i32 {
    use clas::inbox::{self, Inbox, Outcome};
    use std::io::IsTerminal;

    let mut inbox = match Inbox::open(config) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    let mut log = Log::open(config, "ingest", false);
    if let Some(n) = inbox.leftovers_notice() {
        log.line(&n);
    }
    let mut status = OK;
    let (files, errors) = inbox::collect_files(paths, inbox.config());
    for (p, e) in errors {
        log.line(&format!("{} : {e}", p.display()));
        status = BAD_INPUT;
    }
    let critical = |log: &mut Log, e: clas::inbox::InboxError| {
        log.line(&format!("arrêt : {e}"));
        BAD_INPUT
    };
    match inbox.try_lock() {
        Ok(true) => {}
        Ok(false) => {
            log.line("en attente : un autre clas traite des fichiers dans cet espace de travail…");
            if let Err(e) = inbox.lock() {
                return critical(&mut log, e);
            }
        }
        Err(e) => return critical(&mut log, e),
    }
    match inbox.reconcile() {
        Ok(reports) => reports.iter().for_each(|r| log.line(&r.line())),
        Err(e) => return critical(&mut log, e),
    }
    if std::io::stderr().is_terminal() && files.len() > 1 {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} fichiers ({eta} restantes) {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        log.bar = Some(bar);
    }
    let (mut archived, mut known, mut rejected) = (0, 0, 0);
    let done = inbox.ingest_files(&files, &mut |report| {
        match report.outcome {
            Outcome::Archived { .. } => archived += 1,
            Outcome::Duplicate { .. } | Outcome::Known { rejected: None, .. } => known += 1,
            _ => rejected += 1,
        }
        status = status.max(report.status());
        // A path given to ingest that is gone before it could be read was not read: 2, as when
        // it is missing from the start (docs/cli.md). In depot/, a file taken back is not.
        if matches!(report.outcome, Outcome::Vanished | Outcome::Changed) {
            status = BAD_INPUT;
        }
        log.line(&report.line());
        if let Some(bar) = &log.bar {
            bar.inc(1);
        }
    });
    if let Err(e) = done {
        return critical(&mut log, e);
    }
    if let Some(bar) = log.bar.take() {
        bar.finish_and_clear();
    }
    match inbox::rebuild_outputs(inbox.config(), inbox.store()) {
        Ok(rebuilt) => {
            for p in rebuilt.written {
                log.line(&format!("écrit : {}", p.display()));
            }
            for n in rebuilt.notices {
                log.line(&n);
            }
        }
        // The files are processed and safe; only the synthesis could not be written.
        Err(e) => log.line(&format!("synthèse non mise à jour : {e}")),
    }
    log.line(&format!(
        "{} fichier(s) : {archived} archivé(s), {known} déjà reçu(s), {rejected} refusé(s) ou illisible(s)",
        files.len()
    ));
    status
}

/// `clas watch`: until Ctrl+C or SIGTERM (the file being read is finished first).
pub(super) fn watch(config: &Config, exit_when_idle: Option<f64>) -> i32 {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    watch_until(config, exit_when_idle, &stop)
}

/// The watcher, until `stop` is set (`clas watch`, and `clas` alone beside the review page).
pub(super) fn watch_until(
    config: &Config,
    exit_when_idle: Option<f64>,
    stop: &std::sync::atomic::AtomicBool,
) -> i32 {
    use clas::inbox::{self, Event, Inbox, WatchOptions};
    use std::sync::atomic::Ordering;

    let mut inbox = match Inbox::open(config) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    let exit_when_idle = exit_when_idle.or_else(|| {
        std::env::var("CLAS_WATCH_EXIT_WHEN_IDLE")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    let options = WatchOptions {
        exit_when_idle: exit_when_idle
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(std::time::Duration::from_secs_f64),
    };
    // Tests of crash safety only (cargo feature `failpoints`): CLAS_FAILPOINT=place:3 aborts
    // at the third file moved.
    #[cfg(feature = "failpoints")]
    if let Ok(fp) = std::env::var("CLAS_FAILPOINT")
        && let Some((step, n)) = fp.split_once(':')
    {
        inbox.set_failpoint(step, n.parse().unwrap_or(1));
    }
    let mut log = Log::open(config, "watch", true);
    if let Some(n) = inbox.leftovers_notice() {
        log.line(&n);
    }
    // As every command (docs/cli.md): 2 if a file could not be read, else 1 if a finding was
    // an error, over the files of this run.
    let mut status = OK;
    let result = inbox::watch(&mut inbox, &options, stop, &mut |event| match event {
        Event::Watching { depot, how } => {
            log.line(&format!("surveillance de {} ({how})", depot.display()))
        }
        Event::Waiting => {
            log.line("en attente : un autre clas traite des fichiers dans cet espace de travail…")
        }
        Event::File(r) => {
            status = status.max(r.status());
            log.line(&r.line())
        }
        Event::Outputs(written) => {
            if written.is_empty() {
                log.line("lot terminé ; sorties à jour");
            }
            for p in written {
                log.line(&format!("écrit : {}", p.display()));
            }
        }
        Event::Notice(n) => log.line(&n),
    });
    match result {
        Ok(()) => {
            log.line(if stop.load(Ordering::SeqCst) {
                "arrêt demandé : surveillance terminée"
            } else {
                "dépôt vide : surveillance terminée"
            });
            status
        }
        Err(e) => {
            log.line(&format!("arrêt : {e}"));
            BAD_INPUT
        }
    }
}

/// `clas rebuild`: the store made again from `archives/` and `rejets/`; exit 2 if a file could
/// not be recorded.
pub(super) fn rebuild(config: &Config) -> i32 {
    use clas::inbox::{self, Inbox, Outcome};

    let (mut inbox, done) = match Inbox::open_for_rebuild(config) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    let mut log = Log::open(config, "rebuild", false);
    match &done.set_aside {
        Some(old) => log.line(&format!(
            "l'ancienne base est mise de côté (rien n'est supprimé) : {}",
            old.display()
        )),
        None => log.line("aucune base en place : une nouvelle est créée"),
    }
    if let Some(kept) = &done.synthesis_kept {
        log.line(&format!(
            "la synthèse précédente est conservée pour comparaison : {}",
            kept.display()
        ));
    }
    let files = inbox::rebuild_files(inbox.config());
    log.line(&format!(
        "reconstruction à partir de {} fichier(s) de {} et {}",
        files.len(),
        inbox.config().archives_dir().display(),
        inbox.config().rejets_dir().display()
    ));
    let mut status = OK;
    let (mut archived, mut duplicates, mut rejected, mut failed) = (0, 0, 0, 0);
    let done_files = inbox.ingest_files(&files, &mut |report| {
        match report.outcome {
            Outcome::Archived { .. } => archived += 1,
            Outcome::Duplicate { .. } => duplicates += 1,
            Outcome::Rejected { .. } => rejected += 1,
            _ => {
                failed += 1;
                status = BAD_INPUT;
            }
        }
        log.line(&report.line());
    });
    if let Err(e) = done_files {
        log.line(&format!("arrêt : {e}"));
        return BAD_INPUT;
    }
    match inbox::rebuild_outputs(inbox.config(), inbox.store()) {
        Ok(rebuilt) => {
            for p in rebuilt.written {
                log.line(&format!("écrit : {}", p.display()));
            }
            for n in rebuilt.notices {
                log.line(&n);
            }
        }
        Err(e) => log.line(&format!("synthèse non mise à jour : {e}")),
    }
    log.line(&format!(
        "base reconstruite : {archived} document(s) archivé(s), {duplicates} doublon(s), {rejected} refusé(s){}",
        if failed > 0 {
            format!(", {failed} non enregistré(s) (voir ci-dessus)")
        } else {
            String::new()
        }
    ));
    status
}
