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
    /// Sans commande, dans un espace de travail : la surveillance du dépôt et la page de
    /// relecture ensemble, dans le navigateur.
    #[command(subcommand)]
    pub(super) command: Option<Command>,
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
    /// Corrige une valeur lue (ou illisible) d'une action, avec un motif ; ou, avec --fichier,
    /// saisit les valeurs d'un document refusé (scan, PDF sans texte).
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
    Corrections {
        /// Un objet JSON par correction et par ligne.
        #[arg(long)]
        json: bool,
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
    /// Page de relecture dans le navigateur : voir, vérifier et corriger ce que clas a lu.
    Review {
        /// Port d'écoute sur 127.0.0.1 (par défaut : un port libre).
        #[arg(long, value_name = "N")]
        port: Option<u16>,
        /// N'ouvre pas le navigateur (l'adresse est affichée).
        #[arg(long)]
        no_browser: bool,
    },
}
