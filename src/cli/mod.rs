//! The `clas` command: the command line becomes one plain [`Config`] here (as fd's
//! `construct_config`), then each command calls the library, prints, and sums up the run in
//! the exit status of docs/cli.md. Nothing below `cli/` is seen by the library.

mod args;
mod corrections;
mod files;
mod inbox;
mod outputs;
mod review;

use std::path::PathBuf;

use clap::Parser;

use args::{Cli, Command};
use clas::config::Config;

/// Exit status of docs/cli.md.
pub(crate) const OK: i32 = 0;
pub(crate) const FINDINGS: i32 = 1;
pub(crate) const BAD_INPUT: i32 = 2;

pub fn run() -> i32 {
    // « clas help [COMMANDE] » is « clas [COMMANDE] --help »: clap's own help command speaks
    // English.
    let mut argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == "help" || a == "aide") {
        argv.remove(1);
        argv.push("--help".into());
    }
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                // clap's headings, with French spacing before the colon.
                let text = e
                    .render()
                    .to_string()
                    .replace("Commandes:", "Commandes :")
                    .replace("Options:", "Options :")
                    .replace("Arguments:", "Arguments :");
                if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    eprint!("{text}");
                } else {
                    print!("{text}");
                }
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
    let explicit = cli.workspace.is_some();
    let workspace = cli.workspace.unwrap_or_else(|| PathBuf::from("."));
    // No command: what a double-click on clas.exe in a workspace does.
    let Some(command) = cli.command else {
        return review::watch_and_review(&workspace);
    };
    match command {
        Command::Init { dir } => return inbox::init(dir.as_deref().unwrap_or(&workspace)),
        Command::Demo { dir, samples } => return inbox::demo(&dir, &samples),
        _ => {}
    }
    // clas.toml is read before anything is processed: a malformed one stops here.
    let config = match construct_config(&workspace, &command) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    // A command on the workspace runs only on one (a mistyped --workspace is not created);
    // one that reads the files it is given needs none, unless --workspace names it.
    let on_workspace = !matches!(
        command,
        Command::Extract { .. } | Command::Validate { .. } | Command::CheckMapping { .. }
    );
    if (on_workspace || explicit)
        && let Err(e) = clas::workspace::check_is_workspace(&workspace)
    {
        eprintln!("clas : {e}");
        return BAD_INPUT;
    }
    match command {
        Command::Init { .. } | Command::Demo { .. } => unreachable!("handled above"),
        Command::Review { port, no_browser } => review::review(&config, port, no_browser),
        Command::Rebuild => inbox::rebuild(&config),
        Command::Prefill { annee, out, bilan } => {
            outputs::prefill(&config, annee.as_deref(), out.as_deref(), bilan)
        }
        Command::Relance {
            out,
            avertissements,
        } => outputs::relance(&config, out.as_deref(), avertissements),
        Command::Synthesis { annee, out } => {
            outputs::synthesis(&config, annee.as_deref(), out.as_deref())
        }
        Command::Ingest { paths, .. } => inbox::ingest(&config, &paths),
        Command::Watch { exit_when_idle, .. } => inbox::watch(&config, exit_when_idle),
        Command::Validate {
            json,
            explain,
            files,
            ..
        } => files::validate(&config, &files, json, explain),
        Command::Extract {
            json,
            explain,
            files,
        } => files::extract(&config, &files, json, explain),
        Command::CheckMapping { form, mapping } => {
            files::check_mapping(&config, &form, mapping.as_deref())
        }
        Command::Correct {
            porteur,
            action,
            annee,
            champ,
            valeur,
            motif,
            fichier,
            formulaire,
        } => match fichier {
            Some(file) => corrections::manual(&config, &file, &formulaire, &champ, &valeur, &motif),
            None => corrections::correct(
                &config,
                &corrections::Target {
                    porteur: porteur.unwrap_or_default(),
                    action,
                    annee,
                },
                &champ,
                &valeur,
                &motif,
            ),
        },
        Command::Corrections { json } => corrections::journal(&config, json),
    }
}

/// The workspace's configuration (its defaults and clas.toml), with what the command line
/// says over it: the only place where options and clas.toml meet.
fn construct_config(
    workspace: &std::path::Path,
    command: &Command,
) -> Result<Config, clas::workspace::WorkspaceError> {
    let mut config = clas::workspace::load_config(workspace)?;
    let (profile, rural, poll) = match command {
        Command::Validate { profile, rural, .. } | Command::Ingest { profile, rural, .. } => {
            (profile, *rural, false)
        }
        Command::Watch {
            profile,
            rural,
            poll,
            ..
        } => (profile, *rural, *poll),
        _ => (&None, false, false),
    };
    if let Some(p) = profile {
        config.profile = p.clone();
    }
    config.rural |= rural;
    config.poll |= poll;
    Ok(config)
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
