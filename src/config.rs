//! The one plain configuration the library sees, built at the edge (command line, clas.toml).

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// The workspace folder (spec/cli.md): `depot/`, `archives/`, `rejets/`, `sorties/`, `clas.db`.
    pub workspace: PathBuf,
    /// Rule profile name (`national`, `rhone`, or a workspace file).
    pub profile: String,
    /// Treat every action as rural (`--rural`).
    pub rural: bool,
}

impl Config {
    pub fn new(workspace: PathBuf) -> Config {
        Config {
            workspace,
            profile: "national".into(),
            rural: false,
        }
    }

    /// Workspace mappings that complete or replace the embedded ones.
    pub fn mappings_dir(&self) -> PathBuf {
        self.workspace.join("mappings")
    }

    /// Workspace rule profiles and calendar that replace the embedded ones.
    pub fn rules_dir(&self) -> PathBuf {
        self.workspace.join("regles")
    }
}
