//! The command line as clap reads it: commands, options and their French help.

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand};

/// The help page, with French headings (clap's own are English).
pub(super) const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "clas",
    version,
    about = "Lecture, contrôle et synthèse des formulaires CLAS (bilans, notes stratégiques, cahiers de présence).",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Commandes",
    subcommand_value_name = "COMMANDE",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub(super) struct Cli {
    /// Espace de travail (par défaut : le dossier courant).
    #[arg(long, global = true, value_name = "DOSSIER")]
    pub(super) workspace: Option<PathBuf>,
    /// Afficher l'aide.
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Afficher la version.
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
    /// Sans commande, dans un espace de travail : la surveillance du dépôt et la page de
    /// relecture ensemble, dans le navigateur.
    #[command(subcommand)]
    pub(super) command: Option<Command>,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Lit chaque fichier, reconnaît le formulaire et affiche les valeurs extraites.
    #[command(help_template = HELP_TEMPLATE)]
    Extract {
        /// Un objet JSON par fichier et par ligne.
        #[arg(long)]
        json: bool,
        /// Indique pour chaque champ où sa valeur a été trouvée.
        #[arg(long)]
        explain: bool,
        /// Les fichiers à lire (.docx, .pdf, .xlsx, .xls, .ods).
        #[arg(required = true, value_name = "FICHIER")]
        files: Vec<PathBuf>,
    },
    /// Comme extract, puis contrôle chaque document au regard des règles du CLAS.
    #[command(help_template = HELP_TEMPLATE)]
    Validate {
        /// Un objet JSON par fichier et par ligne.
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
        /// Les fichiers à contrôler (.docx, .pdf, .xlsx, .xls, .ods).
        #[arg(required = true, value_name = "FICHIER")]
        files: Vec<PathBuf>,
    },
    /// Vérifie qu'une correspondance retrouve toutes ses questions dans un formulaire vierge.
    #[command(help_template = HELP_TEMPLATE)]
    CheckMapping {
        /// Le formulaire vierge (.docx, .pdf).
        #[arg(value_name = "FORMULAIRE")]
        form: PathBuf,
        /// Fichier de correspondance à vérifier (par défaut : celles intégrées et celles de l'espace de travail).
        #[arg(long, value_name = "FICHIER")]
        mapping: Option<PathBuf>,
    },
    /// Conventions de l'année scolaire suivante, une par porteur et établissement.
    #[command(help_template = HELP_TEMPLATE)]
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
    /// La synthèse départementale d'une année scolaire (classeur Excel) à partir du magasin.
    #[command(help_template = HELP_TEMPLATE)]
    Synthesis {
        /// Année scolaire de la synthèse (par défaut : la plus récente du magasin).
        #[arg(long, value_name = "AAAA-AAAA")]
        annee: Option<String>,
        /// Fichier à écrire (par défaut : sorties/synthese.xlsx pour l'année la plus récente,
        /// sorties/synthese-AAAA-AAAA.xlsx pour une autre).
        #[arg(long, value_name = "FICHIER")]
        out: Option<PathBuf>,
    },
    /// Lettres aux porteurs dont le bilan comporte des erreurs (et, avec --avertissements, des points à vérifier).
    #[command(help_template = HELP_TEMPLATE)]
    Relance {
        /// Dossier de sortie (par défaut : sorties/relances).
        #[arg(long, value_name = "DOSSIER")]
        out: Option<PathBuf>,
        /// Écrit aussi, à part, une lettre plus légère aux porteurs dont le bilan n'a que des
        /// points à vérifier (sans erreur).
        #[arg(long)]
        avertissements: bool,
    },
    /// Démonstration : traite les exemples de samples/ dans un espace de travail et produit
    /// tous les documents (un dossier existant est complété, rien n'y est effacé).
    #[command(help_template = HELP_TEMPLATE)]
    Demo {
        /// L'espace de travail de démonstration (par défaut : demo-clas).
        #[arg(value_name = "DOSSIER", default_value = "demo-clas")]
        dir: PathBuf,
        /// Le dossier des exemples à traiter.
        #[arg(long, value_name = "DOSSIER", default_value = "samples")]
        samples: PathBuf,
    },
    /// Crée un espace de travail : les dossiers et un clas.toml commenté.
    #[command(help_template = HELP_TEMPLATE)]
    Init {
        /// Le dossier de l'espace de travail (par défaut : --workspace, ou le dossier courant).
        #[arg(value_name = "DOSSIER")]
        dir: Option<PathBuf>,
    },
    /// Traite une fois des fichiers ou des dossiers, laissés où ils sont (une copie est archivée).
    #[command(help_template = HELP_TEMPLATE)]
    Ingest {
        /// Profil de règles : national, rhone, ou un profil de l'espace de travail.
        #[arg(long, value_name = "NOM")]
        profile: Option<String>,
        /// Applique les exceptions rurales à toutes les actions.
        #[arg(long)]
        rural: bool,
        /// Les fichiers ou dossiers à traiter.
        #[arg(required = true, value_name = "CHEMIN")]
        paths: Vec<PathBuf>,
    },
    /// Corrige une valeur lue (ou illisible) d'une action, avec un motif ; ou, avec --fichier,
    /// saisit les valeurs d'un document refusé (scan, PDF sans texte).
    #[command(help_template = HELP_TEMPLATE)]
    Correct {
        /// Le porteur de l'action (accents, majuscules et petites fautes tolérés).
        #[arg(long, value_name = "NOM", required_unless_present = "fichier")]
        porteur: Option<String>,
        /// Le numéro de l'action, quand le porteur en a plusieurs.
        #[arg(long, value_name = "N")]
        action: Option<String>,
        /// L'année scolaire, quand l'action existe sur plusieurs années.
        #[arg(long, value_name = "AAAA-AAAA")]
        annee: Option<String>,
        /// L'identifiant du champ (par exemple familles.nombre) ; répété avec --fichier.
        #[arg(long, value_name = "CHAMP", required = true)]
        champ: Vec<String>,
        /// La valeur (15, 1 250, 17/11/2025, oui/non, coché/vide ; "" vide le champ).
        #[arg(
            long,
            value_name = "VALEUR",
            required = true,
            allow_hyphen_values = true
        )]
        valeur: Vec<String>,
        /// Pourquoi la valeur change (obligatoire).
        #[arg(long, value_name = "TEXTE")]
        motif: String,
        /// Saisie manuelle : le fichier refusé (son nom dans rejets/) dont on tape les valeurs.
        #[arg(long, value_name = "NOM", conflicts_with_all = ["porteur", "action", "annee"])]
        fichier: Option<String>,
        /// Avec --fichier : le formulaire (bilan ou note-strategique).
        #[arg(
            long,
            value_name = "FORMULAIRE",
            default_value = "bilan",
            requires = "fichier"
        )]
        formulaire: String,
    },
    /// Le journal des corrections, de la plus ancienne à la plus récente.
    #[command(help_template = HELP_TEMPLATE)]
    Corrections {
        /// Un objet JSON par correction et par ligne.
        #[arg(long)]
        json: bool,
    },
    /// Reconstruit la base (clas.db) à partir des documents archivés, quand elle a été
    /// supprimée, remplacée ou endommagée ; l'ancienne est mise de côté.
    #[command(help_template = HELP_TEMPLATE)]
    Rebuild,
    /// Surveille le dossier de dépôt et traite chaque fichier déposé, jusqu'à Ctrl+C.
    #[command(help_template = HELP_TEMPLATE)]
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
    /// Page de relecture dans le navigateur : voir, vérifier et corriger ce que clas a lu.
    #[command(help_template = HELP_TEMPLATE)]
    Review {
        /// Port d'écoute sur 127.0.0.1 (par défaut : un port libre).
        #[arg(long, value_name = "N")]
        port: Option<u16>,
        /// N'ouvre pas le navigateur (l'adresse est affichée).
        #[arg(long)]
        no_browser: bool,
    },
}
