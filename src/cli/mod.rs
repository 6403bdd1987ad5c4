//! The `clas` command: the command line becomes one plain [`Config`] here (as fd's
//! `construct_config`), then each command calls the library, prints, and sums up the run in
//! the exit status of docs/cli.md. Nothing below `cli/` is seen by the library.

mod args;
mod files;
mod inbox;
mod outputs;

use std::path::PathBuf;

use clap::Parser;

use args::{Cli, Command};
use clas::config::Config;

/// Exit status of docs/cli.md.
pub(crate) const OK: i32 = 0;
pub(crate) const FINDINGS: i32 = 1;
pub(crate) const BAD_INPUT: i32 = 2;

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
    let explicit = cli.workspace.is_some();
    let workspace = cli.workspace.unwrap_or_else(|| PathBuf::from("."));
    match cli.command {
        Command::Init { dir } => return inbox::init(dir.as_deref().unwrap_or(&workspace)),
        Command::Demo { dir, samples } => return inbox::demo(&dir, &samples),
        _ => {}
    }
    // clas.toml is read before anything is processed: a malformed one stops here.
    let config = match construct_config(&workspace, &cli.command) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clas : {e}");
            return BAD_INPUT;
        }
    };
    // A command on the workspace runs only on one (a mistyped --workspace is not created);
    // one that reads the files it is given needs none, unless --workspace names it.
    let on_workspace = !matches!(
        cli.command,
        Command::Extract { .. } | Command::Validate { .. } | Command::CheckMapping { .. }
    );
    if (on_workspace || explicit)
        && let Err(e) = clas::workspace::check_is_workspace(&workspace)
    {
        eprintln!("clas : {e}");
        return BAD_INPUT;
    }
    match cli.command {
        Command::Init { .. } | Command::Demo { .. } => unreachable!("handled above"),
        Command::Rebuild => inbox::rebuild(&config),
        Command::Prefill { annee, out, bilan } => {
            outputs::prefill(&config, annee.as_deref(), out.as_deref(), bilan)
        }
        Command::Relance { out } => outputs::relance(&config, out.as_deref()),
        Command::Synthesis { out } => outputs::synthesis(&config, out.as_deref()),
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
