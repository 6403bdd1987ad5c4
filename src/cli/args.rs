//! The command line as clap reads it: commands, options and their French help.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "clas",
    version,
    about = "Lecture, contrôle et synthèse des formulaires CLAS (bilans, notes stratégiques, cahiers de présence)."
)]
pub(super) struct Cli {
    /// Espace de travail (par défaut : le dossier courant).
    #[arg(long, global = true, value_name = "DOSSIER")]
    pub(super) workspace: Option<PathBuf>,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
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
    /// Reconstruit la base (clas.db) à partir des documents archivés, quand elle a été
    /// supprimée, remplacée ou endommagée ; l'ancienne est mise de côté.
    Rebuild,
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
