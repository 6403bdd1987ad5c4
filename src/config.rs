//! The one plain configuration the library sees, built at the edge (command line, clas.toml).

use std::path::PathBuf;
use std::time::Duration;

use crate::values::Date;

#[derive(Debug, Clone)]
pub struct Config {
    /// The workspace folder (docs/cli.md): `depot/`, `archives/`, `rejets/`, `sorties/`, `clas.db`.
    pub workspace: PathBuf,
    /// Rule profile name (`national`, `rhone`, or a workspace file).
    pub profile: String,
    /// Treat every action as rural (`--rural`).
    pub rural: bool,
    /// Where agents drop files (relative paths are taken from the workspace).
    pub depot: PathBuf,
    /// Accepted files, by school year.
    pub archives: PathBuf,
    /// Refused files, each with the reason.
    pub rejets: PathBuf,
    /// Generated documents (synthesis, conventions, letters).
    pub sorties: PathBuf,
    /// The school year assumed when a document gives none, as its first year (2025 for
    /// 2025-2026); `None`: the school year of today's date.
    pub school_year: Option<i32>,
    /// The territory (département) the Caf covers, as written in the outputs.
    pub territory: String,
    /// Porteurs whose actions are rural (tolerant match, see `findings::is_rural`).
    pub rural_porteurs: Vec<String>,
    /// Communes of less than 5,000 inhabitants: an action whose place names one is rural.
    pub rural_communes: Vec<String>,
    /// A dropped file is read once its size and modification time have not changed for this long.
    pub stability: Duration,
    /// Watch `depot/` by polling instead of system events (network shares).
    pub poll: bool,
    /// Polling interval when polling.
    pub poll_interval: Duration,
    /// `depot/` is read again from scratch this often, whatever the events say.
    pub rescan_interval: Duration,
    /// Length of a session, in hours, when an attendance workbook does not give it.
    pub session_hours: f64,
    /// The Caf, as it signs its letters (« Caf de Lot-et-Garonne »).
    pub caf: String,
    /// The Caf's town, for « Fait à … » in conventions and letters.
    pub caf_town: String,
    /// Who porteurs write to or call, printed in the letters.
    pub contact: String,
    /// Who signs the letters.
    pub signatory: String,
    /// Optional reference table of schools and their signatories (CSV), for the conventions.
    pub signatories_csv: Option<PathBuf>,
    /// Who signs the corrections made on this computer (`[revue] auteur`); empty: the
    /// computer's user name ([`crate::corrections::default_author`]).
    pub author: String,
    /// Today, read once for the whole run: the reader, the inbox and the letters agree on the
    /// date and the school year even around midnight.
    pub today: Date,
}

impl Config {
    /// How attendance workbooks are read in this workspace.
    pub fn presence_options(&self) -> crate::extraction::presence::Options {
        crate::extraction::presence::Options {
            duree_defaut_h: self.session_hours,
            annee_scolaire: self.school_year,
            today: self.today,
        }
    }

    /// The school year of a document that gives none: the configured one, else today's.
    pub fn default_school_year(&self) -> i32 {
        self.school_year.unwrap_or(self.today.school_year())
    }

    pub fn new(workspace: PathBuf) -> Config {
        Config {
            workspace,
            profile: "national".into(),
            rural: false,
            depot: "depot".into(),
            archives: "archives".into(),
            rejets: "rejets".into(),
            sorties: "sorties".into(),
            school_year: None,
            territory: String::new(),
            rural_porteurs: Vec::new(),
            rural_communes: Vec::new(),
            stability: Duration::from_secs(2),
            poll: false,
            poll_interval: Duration::from_secs(2),
            rescan_interval: Duration::from_secs(30),
            session_hours: 1.5,
            caf: String::new(),
            caf_town: String::new(),
            contact: String::new(),
            signatory: String::new(),
            signatories_csv: None,
            author: String::new(),
            today: Date::today(),
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

    /// `depot/`, resolved against the workspace.
    pub fn depot_dir(&self) -> PathBuf {
        self.workspace.join(&self.depot)
    }

    /// `archives/`, resolved against the workspace.
    pub fn archives_dir(&self) -> PathBuf {
        self.workspace.join(&self.archives)
    }

    /// `rejets/`, resolved against the workspace.
    pub fn rejets_dir(&self) -> PathBuf {
        self.workspace.join(&self.rejets)
    }

    /// `sorties/`, resolved against the workspace.
    pub fn sorties_dir(&self) -> PathBuf {
        self.workspace.join(&self.sorties)
    }

    /// The store.
    pub fn store_path(&self) -> PathBuf {
        self.workspace.join("clas.db")
    }

    /// The log file, one line per file processed.
    pub fn log_path(&self) -> PathBuf {
        self.workspace.join("clas.log")
    }

    /// The configuration file (optional).
    pub fn toml_path(&self) -> PathBuf {
        self.workspace.join("clas.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendance_workbooks_are_read_with_the_workspace_settings() {
        let mut c = Config::new(PathBuf::from("espace"));
        let o = c.presence_options();
        assert_eq!((o.duree_defaut_h, o.annee_scolaire), (1.5, None));
        c.session_hours = 2.0;
        c.school_year = Some(2024);
        let o = c.presence_options();
        assert_eq!((o.duree_defaut_h, o.annee_scolaire), (2.0, Some(2024)));
    }
}
