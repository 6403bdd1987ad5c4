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
    /// Conventions de l'année scolaire suivante, une par porteur et établissement.
    Prefill {
        /// Année scolaire des conventions (par défaut : celle qui suit les bilans).
        #[arg(long, value_name = "AAAA-AAAA")]
        annee: Option<String>,
        /// Dossier de sortie (par défaut : sorties/conventions, ou sorties/bilans avec --bilan).
        #[arg(long, value_name = "DOSSIER")]
        out: Option<PathBuf>,
        /// Produit plutôt le bilan vierge de l'an prochain, identification déjà remplie.
        #[arg(long)]
        bilan: bool,
    },
    /// La synthèse départementale (classeur Excel) à partir du magasin.
    Synthesis {
        /// Fichier à écrire (par défaut : sorties/synthese.xlsx).
        #[arg(long, value_name = "FICHIER")]
        out: Option<PathBuf>,
    },
    /// Lettres aux porteurs dont le bilan comporte des erreurs ou des points à vérifier.
    Relance {
        /// Dossier de sortie (par défaut : sorties/relances).
        #[arg(long, value_name = "DOSSIER")]
        out: Option<PathBuf>,
    },
    /// Démonstration : traite les exemples de samples/ dans un espace de travail neuf et
    /// produit tous les documents.
    Demo {
        /// L'espace de travail de démonstration (par défaut : demo-clas).
        #[arg(value_name = "DOSSIER", default_value = "demo-clas")]
        dir: PathBuf,
        /// Le dossier des exemples à traiter.
        #[arg(long, value_name = "DOSSIER", default_value = "samples")]
        samples: PathBuf,
    },
    /// Crée un espace de travail : les dossiers et un clas.toml commenté.
    Init {
        /// Le dossier de l'espace de travail (par défaut : --workspace, ou le dossier courant).
        #[arg(value_name = "DOSSIER")]
        dir: Option<PathBuf>,
    },
    /// Traite une fois des fichiers ou des dossiers, laissés où ils sont (une copie est archivée).
    Ingest {
        /// Profil de règles : national, rhone, ou un profil de l'espace de travail.
        #[arg(long, value_name = "NOM")]
        profile: Option<String>,
        /// Applique les exceptions rurales à toutes les actions.
        #[arg(long)]
        rural: bool,
        #[arg(required = true, value_name = "CHEMIN")]
        paths: Vec<PathBuf>,
    },
    /// Surveille le dossier de dépôt et traite chaque fichier déposé, jusqu'à Ctrl+C.
    Watch {
        /// Regarde le dossier à intervalle régulier (partages réseau sans notifications).
        #[arg(long)]
        poll: bool,
        /// Profil de règles : national, rhone, ou un profil de l'espace de travail.
        #[arg(long, value_name = "NOM")]
        profile: Option<String>,
        /// Applique les exceptions rurales à toutes les actions.
        #[arg(long)]
        rural: bool,
        /// S'arrête quand le dépôt est resté vide ce nombre de secondes (tests).
        #[arg(long, hide = true, value_name = "SECONDES")]
        exit_when_idle: Option<f64>,
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
    let workspace = cli.workspace.unwrap_or_else(|| PathBuf::from("."));
    if let Command::Init { dir } = &cli.command {
        return init(dir.as_deref().unwrap_or(&workspace));
    }
    if let Command::Demo { dir, samples } = &cli.command {
        return demo(dir, samples);
    }
    // clas.toml is read before anything is processed: a malformed one stops here.
    let mut config = match clas::workspace::load_config(&workspace) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    match cli.command {
        Command::Init { .. } | Command::Demo { .. } => unreachable!("handled above"),
        Command::Prefill { annee, out, bilan } => {
            prefill(&config, annee.as_deref(), out.as_deref(), bilan)
        }
        Command::Relance { out } => relance(&config, out.as_deref()),
        Command::Synthesis { out } => synthesis(&config, out.as_deref()),
        Command::Ingest {
            profile,
            rural,
            paths,
        } => {
            if let Some(p) = profile {
                config.profile = p;
            }
            config.rural |= rural;
            ingest(&config, &paths)
        }
        Command::Watch {
            poll,
            profile,
            rural,
            exit_when_idle,
        } => {
            if let Some(p) = profile {
                config.profile = p;
            }
            config.rural |= rural;
            config.poll |= poll;
            watch(&config, exit_when_idle)
        }
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

fn open_store(config: &Config) -> Result<clas::store::Store, i32> {
    clas::store::Store::open_workspace(config).map_err(|e| {
        eprintln!("clas : {e}");
        BAD_INPUT
    })
}

/// `clas prefill [--annee AAAA-AAAA] [--out DIR] [--bilan]`.
fn prefill(
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

/// `clas synthesis [--out FICHIER]`.
fn synthesis(config: &Config, out: Option<&std::path::Path>) -> i32 {
    let store = match open_store(config) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match clas::outputs::synthesis(config, &store, out) {
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
fn relance(config: &Config, out: Option<&std::path::Path>) -> i32 {
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

/// `clas demo`: the whole pipeline on the samples, in a fresh workspace, and where it all is.
fn demo(dir: &std::path::Path, samples: &std::path::Path) -> i32 {
    if !samples.is_dir() {
        eprintln!(
            "clas : dossier d'exemples {} introuvable : lancez la démonstration depuis le dossier du projet",
            samples.display()
        );
        return BAD_INPUT;
    }
    if !dir.join("clas.toml").exists() {
        if let Err(e) = clas::workspace::init(dir) {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
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
    default(&mut config.territory, "Agen");
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
        Ok(files) => files.iter().for_each(|f| eprintln!("  {}", f.display())),
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
    match clas::outputs::relances(&config, &store, None) {
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
fn init(dir: &std::path::Path) -> i32 {
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
    let presence = config.presence_options();
    let mut status = OK;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Read and written out on every core, a few hundred files at a time, printed in the
    // order given: the main thread only prints.
    let render = |path: &PathBuf| {
        let name = path.display().to_string();
        pipeline::extract_file_with(path, &mappings, &presence).map(|x| {
            if json {
                let mut obj = serde_json::Map::new();
                obj.insert("file".into(), name.into());
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
            }
        })
    };
    for chunk in files.chunks(256) {
        for (path, result) in chunk.iter().zip(pipeline::on_every_core(chunk, render)) {
            match result {
                Ok(text) => {
                    let _ = out.write_all(text.as_bytes());
                }
                Err(e) => {
                    status = BAD_INPUT;
                    eprintln!("{} : {e}", path.display());
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
    let presence = config.presence_options();
    let ctx = match Context::load(&config.profile, Some(&config.rules_dir()), config.rural) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    let read: Vec<Read> = pipeline::on_every_core(files, |p| Read {
        name: p.display().to_string(),
        result: pipeline::extract_file_with(p, &mappings, &presence).map(|x| x.extraction),
    });
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
                findings::rules::check(Some(x), presence, None, &rural_for(&ctx, config, Some(x)))
            }
            FormKind::Presence => {
                let bilan = bilans
                    .iter()
                    .map(|&j| ok(&read[j]).unwrap())
                    .find(|b| findings::same_action(b, x));
                findings::rules::check(bilan, Some(x), None, &rural_for(&ctx, config, bilan))
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

/// The context for one action: rural by `--rural`, or by the lists of clas.toml.
fn rural_for(
    ctx: &clas::findings::rules::Context,
    config: &Config,
    bilan: Option<&clas::extraction::Extraction>,
) -> clas::findings::rules::Context {
    let mut ctx = ctx.clone();
    ctx.rural |= bilan.is_some_and(|b| {
        clas::findings::is_rural(b, &config.rural_porteurs, &config.rural_communes)
    });
    ctx
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

// ---------------------------------------------------------------------------------------------
// ingest and watch: the library does the work and reports each file; the log is written here.

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
                "clas : journal {} impossible à écrire ({e}) ; les messages ne s'affichent qu'ici",
                path.display()
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
fn ingest(config: &Config, paths: &[PathBuf]) -> i32 {
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
        // it is missing from the start (spec/cli.md). In depot/, a file taken back is not.
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
        Ok(written) => {
            for p in written {
                log.line(&format!("écrit : {}", p.display()));
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
fn watch(config: &Config, exit_when_idle: Option<f64>) -> i32 {
    use clas::inbox::{self, Event, Inbox, WatchOptions};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

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
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let mut log = Log::open(config, "watch", true);
    // As every command (spec/cli.md): 2 if a file could not be read, else 1 if a finding was
    // an error, over the files of this run.
    let mut status = OK;
    let result = inbox::watch(&mut inbox, &options, &stop, &mut |event| match event {
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
