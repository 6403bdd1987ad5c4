//! The commands that read files given on the command line and print what clas makes of
//! them, storing nothing: `extract`, `validate`, `check-mapping`.

use std::io::Write;
use std::path::PathBuf;

use clas::config::Config;
use clas::extraction::Extraction;
use clas::findings::{Checker, Severity};
use clas::mapping::{self, Mapping};
use clas::pipeline::{self, FileError};
use clas::report;

use super::{BAD_INPUT, FINDINGS, OK};

pub(super) fn load_mappings(config: &Config) -> Result<Vec<Mapping>, i32> {
    mapping::load(Some(&config.mappings_dir())).map_err(|e| {
        eprintln!("clas : {e}");
        BAD_INPUT
    })
}

pub(super) fn extract(config: &Config, files: &[PathBuf], json: bool, explain: bool) -> i32 {
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
                report::extraction_json(&name, &x.extraction, None)
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
                    if let (true, FileError::NotRecognised(nr)) = (explain, &e)
                        && let Some(c) = &nr.closest
                    {
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

pub(super) fn validate(config: &Config, files: &[PathBuf], json: bool, explain: bool) -> i32 {
    let mappings = match load_mappings(config) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let checker = match Checker::new(config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    let presence = config.presence_options();
    let read = pipeline::on_every_core(files, |p| {
        pipeline::extract_file_with(p, &mappings, &presence).map(|x| x.extraction)
    });
    let mut status = OK;
    for (path, e) in files.iter().zip(&read) {
        if let Err(e) = e {
            eprintln!("{} : {e}", path.display());
            status = BAD_INPUT;
        }
    }
    let (names, docs): (Vec<String>, Vec<&Extraction>) = files
        .iter()
        .zip(&read)
        .filter_map(|(p, r)| Some((p.display().to_string(), r.as_ref().ok()?)))
        .unzip();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for ((name, x), findings) in names.iter().zip(&docs).zip(checker.check_together(&docs)) {
        if findings.iter().any(|f| f.severity == Severity::Error) && status == OK {
            status = FINDINGS;
        }
        let text = if json {
            report::extraction_json(name, x, Some(&findings))
        } else {
            let mut t = report::extraction_text(name, x, explain);
            t += &report::check_heading(checker.profile(), checker.is_rural(x));
            t += &report::findings_text(&findings);
            for note in checker.notes(x) {
                t += &format!("  Note : {note}\n");
            }
            t + "\n"
        };
        let _ = out.write_all(text.as_bytes());
    }
    status
}

pub(super) fn check_mapping(
    config: &Config,
    form: &std::path::Path,
    file: Option<&std::path::Path>,
) -> i32 {
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
