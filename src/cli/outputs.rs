//! The commands that write documents from the store: `synthesis`, `prefill`, `relance`.

use clas::config::Config;

use super::{BAD_INPUT, OK};

pub(super) fn open_store(config: &Config) -> Result<clas::store::Store, i32> {
    clas::store::Store::open_workspace(config).map_err(|e| {
        eprintln!("clas : {e}");
        BAD_INPUT
    })
}

/// `clas prefill [--annee AAAA-AAAA] [--out DIR] [--bilan]`.
pub(super) fn prefill(
    config: &Config,
    annee: Option<&str>,
    out: Option<&std::path::Path>,
    bilan: bool,
) -> i32 {
    let annee = match annee.map(|a| (a, clas::letters::parse_annee(a))) {
        Some((a, None)) => {
            eprintln!("clas : année scolaire « {a} » illisible : écrivez-la comme 2027-2028");
            return BAD_INPUT;
        }
        Some((_, y)) => y,
        None => None,
    };
    let store = match open_store(config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if bilan {
        return match clas::outputs::blank_bilans(config, &store, out) {
            Ok(files) => {
                for f in &files {
                    println!("{}", f.display());
                }
                eprintln!("{} bilan(s) pré-rempli(s) pour l'an prochain.", files.len());
                OK
            }
            Err(e) => {
                eprintln!("clas : {e}");
                BAD_INPUT
            }
        };
    }
    match clas::outputs::conventions(config, &store, annee, out) {
        Ok(report) => {
            for c in &report.conventions {
                let missing = if c.unfilled.is_empty() {
                    String::new()
                } else {
                    format!(" (à compléter : {})", c.unfilled.join(", "))
                };
                println!("{}{missing}", c.file.display());
            }
            for s in &report.skipped {
                eprintln!("non produite : {s}");
            }
            eprintln!(
                "{} convention(s) {}-{} ; récapitulatif : {}",
                report.conventions.len(),
                report.annee,
                report.annee + 1,
                report.index.display()
            );
            OK
        }
        Err(e) => {
            eprintln!("clas : {e}");
            BAD_INPUT
        }
    }
}

/// `clas synthesis [--annee AAAA-AAAA] [--out FICHIER]`.
pub(super) fn synthesis(
    config: &Config,
    annee: Option<&str>,
    out: Option<&std::path::Path>,
) -> i32 {
    let annee = match annee.map(|a| (a, clas::letters::parse_annee(a))) {
        Some((a, None)) => {
            eprintln!("clas : année scolaire « {a} » illisible : écrivez-la comme 2025-2026");
            return BAD_INPUT;
        }
        Some((_, y)) => y,
        None => None,
    };
    let store = match open_store(config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match clas::outputs::synthesis(config, &store, annee, out) {
        Ok(written) => {
            println!("{}", written.path.display());
            eprintln!("{}", written.message());
            OK
        }
        Err(e) => {
            eprintln!("clas : {e}");
            BAD_INPUT
        }
    }
}

/// `clas relance [--out DIR]`.
pub(super) fn relance(config: &Config, out: Option<&std::path::Path>) -> i32 {
    let store = match open_store(config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match clas::outputs::relances(config, &store, out) {
        Ok(report) => {
            for l in &report.letters {
                println!("{}", l.file.display());
            }
            eprintln!(
                "{} lettre(s) de relance, réponse attendue avant le {} ; {} action(s) sans anomalie ; récapitulatif : {}",
                report.letters.len(),
                report.deadline.french(),
                report.in_order,
                report.index.display()
            );
            OK
        }
        Err(e) => {
            eprintln!("clas : {e}");
            BAD_INPUT
        }
    }
}
