//! Command line → [`Config`] and the command to run (as fd's `construct_config`): the library
//! never sees clap.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use clas::config::Config;
use clas::mapping::{self, Mapping};
use clas::pipeline::{self, FileError};
use clas::report;

#[derive(Parser)]
#[command(
    name = "clas",
    version,
    about = "Lecture, contrôle et synthèse des formulaires CLAS (bilans, notes stratégiques, cahiers de présence)."
)]
struct Cli {
    /// Espace de travail (par défaut : le dossier courant).
    #[arg(long, global = true, value_name = "DOSSIER")]
    workspace: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lit chaque fichier, reconnaît le formulaire et affiche les valeurs extraites.
    Extract {
        /// Un objet JSON par fichier et par ligne.
        #[arg(long)]
        json: bool,
        /// Indique pour chaque champ où sa valeur a été trouvée.
        #[arg(long)]
        explain: bool,
        #[arg(required = true, value_name = "FICHIER")]
        files: Vec<PathBuf>,
    },
    /// Comme extract, puis contrôle chaque document au regard des règles du CLAS.
    Validate {
        #[arg(long)]
        json: bool,
        /// Indique pour chaque champ où sa valeur a été trouvée.
        #[arg(long)]
        explain: bool,
        /// Profil de règles : national, rhone, ou un profil de l'espace de travail.
        #[arg(long, value_name = "NOM")]
        profile: Option<String>,
        /// Applique les exceptions rurales (commune de moins de 5 000 habitants).
        #[arg(long)]
        rural: bool,
        #[arg(required = true, value_name = "FICHIER")]
        files: Vec<PathBuf>,
    },
    /// Vérifie qu'une correspondance retrouve toutes ses questions dans un formulaire vierge.
    CheckMapping {
        /// Le formulaire vierge (.docx, .pdf).
        #[arg(value_name = "FORMULAIRE")]
        form: PathBuf,
        /// Fichier de correspondance à vérifier (par défaut : celles intégrées et celles de l'espace de travail).
        #[arg(long, value_name = "FICHIER")]
        mapping: Option<PathBuf>,
    },
}

/// Exit status of spec/cli.md.
const OK: i32 = 0;
const FINDINGS: i32 = 1;
const BAD_INPUT: i32 = 2;

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    BAD_INPUT
                } else {
                    OK
                };
            }
            eprintln!(
                "clas : ligne de commande incorrecte ({}). « clas --help » liste les commandes.",
                french_clap_error(&e)
            );
            return BAD_INPUT;
        }
    };
    let mut config = Config::new(cli.workspace.unwrap_or_else(|| PathBuf::from(".")));
    match cli.command {
        Command::Validate {
            json,
            explain,
            profile,
            rural,
            files,
        } => {
            if let Some(p) = profile {
                config.profile = p;
            }
            config.rural |= rural;
            validate(&config, &files, json, explain)
        }
        Command::Extract {
            json,
            explain,
            files,
        } => extract(&config, &files, json, explain),
        Command::CheckMapping { form, mapping } => {
            check_mapping(&config, &form, mapping.as_deref())
        }
    }
}

fn french_clap_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let what = e
        .get(ContextKind::InvalidArg)
        .or_else(|| e.get(ContextKind::InvalidSubcommand))
        .map(|v| v.to_string())
        .unwrap_or_default();
    match e.kind() {
        ErrorKind::InvalidSubcommand => format!("commande inconnue {what}"),
        ErrorKind::UnknownArgument => format!("option inconnue {what}"),
        ErrorKind::MissingRequiredArgument => format!("argument manquant {what}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("valeur invalide pour {what}")
        }
        _ => e.kind().to_string(),
    }
}

fn load_mappings(config: &Config) -> Result<Vec<Mapping>, i32> {
    mapping::load(Some(&config.mappings_dir())).map_err(|e| {
        eprintln!("clas : {e}");
        BAD_INPUT
    })
}

fn extract(config: &Config, files: &[PathBuf], json: bool, explain: bool) -> i32 {
    let mappings = match load_mappings(config) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let mut status = OK;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in files {
        let name = path.display().to_string();
        match pipeline::extract_file(path, &mappings) {
            Ok(x) => {
                let text = if json {
                    let mut obj = serde_json::Map::new();
                    obj.insert("file".into(), name.clone().into());
                    obj.insert("form".into(), x.extraction.form.id().into());
                    obj.insert("fields".into(), x.extraction.fields_json().into());
                    if let Some(c) = &x.extraction.collectifs {
                        obj.insert(
                            "collectifs".into(),
                            serde_json::to_value(c).unwrap_or_default(),
                        );
                    }
                    format!("{}\n", serde_json::Value::Object(obj))
                } else {
                    report::extraction_text(&name, &x.extraction, explain) + "\n"
                };
                let _ = out.write_all(text.as_bytes());
            }
            Err(e) => {
                status = BAD_INPUT;
                eprintln!("{name} : {e}");
                if let (true, FileError::NotRecognised(nr)) = (explain, &e) {
                    if let Some(c) = &nr.closest {
                        eprintln!(
                            "  correspondance la plus proche : {} ({})",
                            c.description, c.version
                        );
                        for l in &c.missing_labels {
                            eprintln!("    question introuvable : {l}");
                        }
                    }
                }
            }
        }
    }
    status
}

/// One file read for validation, or why it could not be.
struct Read {
    name: String,
    result: Result<clas::extraction::Extraction, FileError>,
}

fn validate(config: &Config, files: &[PathBuf], json: bool, explain: bool) -> i32 {
    use clas::dictionary::FormKind;
    use clas::findings::{self, Severity, rules::Context};

    let mappings = match load_mappings(config) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let ctx = match Context::load(&config.profile, Some(&config.rules_dir()), config.rural) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    let read: Vec<Read> = files
        .iter()
        .map(|p| Read {
            name: p.display().to_string(),
            result: pipeline::extract_file(p, &mappings).map(|x| x.extraction),
        })
        .collect();
    fn ok(r: &Read) -> Option<&clas::extraction::Extraction> {
        r.result.as_ref().ok()
    }
    let of_kind = |kind: FormKind| -> Vec<usize> {
        (0..read.len())
            .filter(|&i| ok(&read[i]).is_some_and(|x| x.form == kind))
            .collect()
    };
    let bilans = of_kind(FormKind::Bilan);
    let presences = of_kind(FormKind::Presence);
    let mut status = OK;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for r in &read {
        let x = match &r.result {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{} : {e}", r.name);
                status = BAD_INPUT;
                continue;
            }
        };
        // A bilan is checked with the attendance workbook of the same action, and back.
        let findings = match x.form {
            FormKind::Bilan => {
                let presence = presences
                    .iter()
                    .map(|&j| ok(&read[j]).unwrap())
                    .find(|p| findings::same_action(x, p));
                findings::rules::check(Some(x), presence, None, &ctx)
            }
            FormKind::Presence => {
                let bilan = bilans
                    .iter()
                    .map(|&j| ok(&read[j]).unwrap())
                    .find(|b| findings::same_action(b, x));
                findings::rules::check(bilan, Some(x), None, &ctx)
                    .into_iter()
                    .filter(|f| bilan.is_none() || is_attendance_rule(&f.rule))
                    .collect()
            }
            FormKind::NoteStrategique => findings::rules::check(None, None, Some(x), &ctx),
        };
        if findings.iter().any(|f| f.severity == Severity::Error) && status == OK {
            status = FINDINGS;
        }
        let text = if json {
            let mut obj = serde_json::Map::new();
            obj.insert("file".into(), r.name.clone().into());
            obj.insert("form".into(), x.form.id().into());
            obj.insert("fields".into(), x.fields_json().into());
            if let Some(c) = &x.collectifs {
                obj.insert(
                    "collectifs".into(),
                    serde_json::to_value(c).unwrap_or_default(),
                );
            }
            obj.insert(
                "findings".into(),
                serde_json::to_value(&findings).unwrap_or_default(),
            );
            format!("{}\n", serde_json::Value::Object(obj))
        } else {
            let mut t = report::extraction_text(&r.name, x, explain);
            t.push_str(&format!(
                "\n  Contrôle ({}{})\n",
                config.profile,
                if config.rural { ", rural" } else { "" }
            ));
            t.push_str(&report::findings_text(&findings));
            for note in findings::rules::notes(Some(x).filter(|x| x.form == FormKind::Bilan), &ctx)
            {
                t.push_str(&format!("  Note : {note}\n"));
            }
            t + "\n"
        };
        let _ = out.write_all(text.as_bytes());
    }
    status
}

/// Rules that speak of the attendance workbook itself, reported on its own line too.
fn is_attendance_rule(rule: &str) -> bool {
    rule.starts_with("seances.")
        || rule.starts_with("presence.")
        || rule == "collectif.taille"
        || rule.starts_with("reponse.")
}

fn check_mapping(config: &Config, form: &std::path::Path, file: Option<&std::path::Path>) -> i32 {
    let mappings = match file {
        Some(f) => match std::fs::read_to_string(f)
            .map_err(|e| e.to_string())
            .and_then(|src| {
                Mapping::compile(&src, &f.display().to_string()).map_err(|e| e.to_string())
            }) {
            Ok(m) => vec![m],
            Err(e) => {
                eprintln!("clas : {e}");
                return BAD_INPUT;
            }
        },
        None => match load_mappings(config) {
            Ok(m) => m,
            Err(code) => return code,
        },
    };
    let doc = match clas::document::read(form) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{} : {e}", form.display());
            return BAD_INPUT;
        }
    };
    let flat = clas::extraction::locate::Flat::new(&doc);
    let best = mappings
        .iter()
        .map(|m| clas::extraction::apply::locate(&flat, m, true))
        .max_by(|a, b| a.score().total_cmp(&b.score()));
    let Some(l) = best else {
        eprintln!("clas : aucune correspondance à vérifier");
        return BAD_INPUT;
    };
    println!(
        "{} : correspondance « {} » ({})",
        form.display(),
        l.mapping.description,
        l.mapping.version
    );
    println!("  questions retrouvées : {:.0} %", l.score() * 100.0);
    for p in &l.missing_phrases {
        println!("  phrase de reconnaissance absente : « {p} »");
    }
    for (i, s) in l.mapping.sections.iter().enumerate() {
        if l.sections[i].is_none() {
            println!("  titre de partie introuvable : {} « {} »", s.0, s.1);
        }
    }
    let missing = l.missing_labels();
    for (id, label) in &missing {
        println!("  question introuvable : {id} « {label} »");
    }
    if missing.is_empty() && l.missing_phrases.is_empty() {
        println!("  toutes les questions sont retrouvées.");
        OK
    } else {
        FINDINGS
    }
}
