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
                    println!("{}", f.file.display());
                    for n in &f.notes {
                        eprintln!("  {} : {n}", f.file.display());
                    }
                }
                eprintln!("{} bilan(s) pré-rempli(s) pour l'an prochain.", files.len());
                if config.bilan_return.is_none() {
                    eprintln!(
                        "la date de retour (« A RETOURNER POUR LE ») est laissée en pointillés : indiquez-la dans {} ([documents] date_retour_bilan).",
                        config.toml_path().display()
                    );
                }
                OK
            }
            Err(e) => {
                eprintln!("clas : {e}");
                BAD_INPUT
            }
        };
    }
    warn_missing_documents(config, "les conventions", &["ville_caf"]);
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

/// Says which `[documents]` keys of clas.toml are empty, before documents that print them
/// are written with dotted lines in their place.
fn warn_missing_documents(config: &Config, what: &str, keys: &[&str]) {
    let missing: Vec<&str> = clas::outputs::missing_document_keys(config)
        .into_iter()
        .filter(|k| keys.contains(k))
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "attention : la section [documents] de {} ne renseigne pas {} : {what} porteront des pointillés à ces endroits. Complétez clas.toml pour qu'elles soient prêtes à envoyer.",
            config.toml_path().display(),
            missing.join(", ")
        );
    }
}

/// `clas relance [--out DIR] [--avertissements]`.
pub(super) fn relance(config: &Config, out: Option<&std::path::Path>, warnings: bool) -> i32 {
    let store = match open_store(config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    warn_missing_documents(
        config,
        "les lettres",
        &["caf", "ville_caf", "contact", "signataire"],
    );
    match clas::outputs::relances(config, &store, out, warnings) {
        Ok(report) => {
            for l in &report.letters {
                println!("{}", l.file.display());
            }
            let (relances, checks): (Vec<_>, Vec<_>) = report
                .letters
                .iter()
                .partition(|l| l.kind == clas::letters::LetterKind::Relance);
            let mut summary = format!("{} lettre(s) de relance", relances.len());
            if warnings {
                summary.push_str(&format!(
                    " et {} lettre(s) de points à vérifier",
                    checks.len()
                ));
            }
            eprintln!(
                "{summary}, réponse attendue avant le {} ; {} action(s) sans anomalie ; récapitulatif : {}",
                report.deadline.french(),
                report.in_order,
                report.index.display()
            );
            if !warnings && !report.warnings_only.is_empty() {
                eprintln!(
                    "{} porteur(s) n'ont que des points à vérifier : aucune lettre ne leur est écrite (clas relance --avertissements pour leur écrire).",
                    report.warnings_only.len()
                );
            }
            OK
        }
        Err(e) => {
            eprintln!("clas : {e}");
            BAD_INPUT
        }
    }
}
