//! The workspace of docs/cli.md: its folders, its optional `clas.toml`, and `clas init`.
//!
//! Every command works with no `clas.toml`: [`Config::new`] holds the defaults, and
//! [`load_config`] only overrides what the file says. A malformed file is an error naming the
//! file and the line, raised before anything is processed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::config::Config;
use crate::toml_error::line_at;

/// What can go wrong with the workspace itself. Shown to agents, so in French.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{}, ligne {line} : {message}", file.display())]
    Config {
        file: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "l'espace de travail {} n'est pas un dossier : indiquez un dossier avec --workspace.",
        path.display()
    )]
    NotAFolder { path: PathBuf },
    #[error("{}", not_a_workspace(path))]
    NotAWorkspace { path: PathBuf },
    #[error("{} : lecture impossible ({})", path.display(), crate::files::io_french(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", not_writable(path, source))]
    NotWritable {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn not_a_workspace(path: &Path) -> String {
    let shown = path.display();
    let what = if path.exists() {
        format!(
            "le dossier {shown} n'est pas un espace de travail clas (il n'y a ni clas.toml, ni clas.db, ni dossier depot)"
        )
    } else {
        format!("le dossier {shown} n'existe pas")
    };
    format!(
        "{what}. Vérifiez le chemin (une faute de frappe dans --workspace ?) ; pour créer un nouvel espace de travail à cet endroit, lancez « clas init {shown} »."
    )
}

/// Whether `dir` is a workspace: it has a `clas.toml`, a store (`clas.db`) or a `depot/`
/// folder. Every command but `init` and `demo` runs only on one, so that a mistyped
/// `--workspace` is said rather than created and watched.
pub fn check_is_workspace(dir: &Path) -> Result<(), WorkspaceError> {
    if dir.exists() && !dir.is_dir() {
        return Err(WorkspaceError::NotAFolder {
            path: dir.to_path_buf(),
        });
    }
    if ["clas.toml", "clas.db", "depot"]
        .iter()
        .any(|p| dir.join(p).exists())
    {
        return Ok(());
    }
    Err(WorkspaceError::NotAWorkspace {
        path: dir.to_path_buf(),
    })
}

/// Why the workspace cannot be written, and what to do: a full disk is not a question of rights.
fn not_writable(path: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => format!(
            "le disque de l'espace de travail est plein : impossible d'écrire {}. Libérez de la place sur ce disque (ou demandez-le au service informatique), puis relancez clas ; les fichiers déposés restent dans le dépôt.",
            path.display()
        ),
        ErrorKind::ReadOnlyFilesystem => format!(
            "l'espace de travail est sur un support en lecture seule : impossible d'écrire {}. Choisissez un dossier où l'on peut écrire avec --workspace.",
            path.display()
        ),
        _ => format!(
            "l'espace de travail n'est pas accessible en écriture : impossible d'écrire {} ({}). Vérifiez le dossier et vos droits, ou choisissez-en un autre avec --workspace.",
            path.display(),
            crate::files::io_french(e)
        ),
    }
}

/// The `clas.toml` that `clas init` writes: every key, commented, with its default.
pub const CLAS_TOML: &str = r#"# Configuration de clas pour cet espace de travail.
#
# Ce fichier est facultatif : sans lui, clas applique les valeurs par défaut indiquées
# ci-dessous. Pour changer une valeur, retirez le « # » au début de la ligne et modifiez-la.
# Les lignes qui commencent par « # » sont des commentaires.

[dossiers]
# Les chemins relatifs partent du dossier de ce fichier. Un dossier peut être sur un partage
# réseau (par exemple depot = '\\serveur\partage\clas\depot').

# Où les agents déposent les fichiers ; « clas watch » le vide au fur et à mesure.
# depot = "depot"

# Chaque fichier accepté, rangé par année scolaire, avec son rapport de lecture à côté.
# archives = "archives"

# Chaque fichier refusé, avec « <nom du fichier>.txt » qui dit pourquoi et quoi faire.
# rejets = "rejets"

# La synthèse départementale, les conventions pré-remplies, les lettres de relance.
# sorties = "sorties"

[controle]
# Profil de règles : « national » (référentiel national), « rhone », ou le nom d'un profil
# placé dans le dossier regles/ de l'espace de travail.
# profil = "national"

# Année scolaire retenue quand un document n'en indique aucune (pas de date de début).
# Par défaut : l'année scolaire en cours (« 2025-2026 » du 1er septembre 2025 au 31 août 2026).
# annee_scolaire = "2025-2026"

# Le territoire (département) couvert, tel qu'il doit apparaître dans les documents produits.
# territoire = ""

# Appliquer les exceptions rurales à toutes les actions (équivaut à --rural).
# toutes_rurales = false

[rural]
# Exceptions rurales (commune de moins de 5 000 habitants) : une action est rurale si son
# porteur figure dans cette liste (accents, majuscules et petites fautes de frappe tolérés)...
# porteurs = ["Centre social du Haut-Agenais", "Foyer rural de Castelmoron"]
# porteurs = []

# ... ou si le lieu de l'action nomme l'une de ces communes.
# communes = ["Castelmoron-sur-Lot", "Monflanquin"]
# communes = []

[surveillance]
# « clas watch » ne lit un fichier déposé que lorsque sa taille et sa date de modification
# n'ont pas changé depuis ce nombre de secondes (un fichier en cours de copie n'est jamais lu).
# stabilite_secondes = 2

# Sur un partage réseau, le système ne signale pas toujours les nouveaux fichiers : « true »
# fait regarder le dossier à intervalle régulier (équivaut à « clas watch --poll »).
# scrutation = false

# Intervalle de cette scrutation, en secondes.
# intervalle_scrutation_secondes = 2

# Dans tous les cas, le dossier de dépôt est relu entièrement à cet intervalle, en secondes.
# relecture_secondes = 30

[presence]
# Durée d'une séance, en heures, quand le cahier de présence ne la donne pas.
# duree_seance_heures = 1.5

[documents]
# Ce qui figure dans les conventions pré-remplies et les lettres de relance.
# Le nom de la Caf, tel qu'elle signe ses courriers.
# caf = "Caf de Lot-et-Garonne"
# La ville de la Caf (« Fait à … »).
# ville_caf = "Agen"
# Qui les porteurs peuvent contacter (nom, téléphone, adresse électronique).
# contact = "Service action sociale, 05 00 00 00 00, clas@caf.fr"
# Qui signe les lettres de relance.
# signataire = "La responsable du service action sociale"
# Tableau de référence des établissements et de leurs signataires (CSV : nom;adresse;
# responsable;directeur), facultatif. Chemin relatif au dossier de ce fichier.
# signataires = "etablissements.csv"
# Délai de réponse laissé aux porteurs dans les lettres de relance, en jours. La date limite
# tombant un samedi, un dimanche ou un jour férié est reportée au jour ouvré suivant.
# delai_reponse_jours = 30
# Date à laquelle le bilan de l'an prochain doit être retourné à la Caf, imprimée dans les
# bilans pré-remplis (clas prefill --bilan). Sans elle, la date est laissée à compléter.
# date_retour_bilan = "2027-07-15"

[revue]
# Le nom inscrit au journal des corrections pour chaque valeur corrigée sur cet ordinateur.
# Par défaut : le nom de la session Windows (ou de l'utilisateur).
# auteur = "Marie Dupont"
"#;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    dossiers: Dossiers,
    #[serde(default)]
    controle: Controle,
    #[serde(default)]
    rural: Rural,
    #[serde(default)]
    surveillance: Surveillance,
    #[serde(default)]
    presence: Presence,
    #[serde(default)]
    documents: Documents,
    #[serde(default)]
    revue: Revue,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Revue {
    auteur: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Documents {
    caf: Option<String>,
    ville_caf: Option<String>,
    contact: Option<String>,
    signataire: Option<String>,
    signataires: Option<PathBuf>,
    delai_reponse_jours: Option<Spanned<i64>>,
    date_retour_bilan: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Dossiers {
    depot: Option<PathBuf>,
    archives: Option<PathBuf>,
    rejets: Option<PathBuf>,
    sorties: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Controle {
    profil: Option<String>,
    annee_scolaire: Option<Spanned<toml::Value>>,
    territoire: Option<String>,
    toutes_rurales: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Rural {
    porteurs: Option<Vec<String>>,
    communes: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Surveillance {
    stabilite_secondes: Option<Spanned<f64>>,
    scrutation: Option<bool>,
    intervalle_scrutation_secondes: Option<Spanned<f64>>,
    relecture_secondes: Option<Spanned<f64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Presence {
    duree_seance_heures: Option<Spanned<f64>>,
}

/// The configuration of a workspace: the defaults, overridden by its `clas.toml` if any.
pub fn load_config(workspace: &Path) -> Result<Config, WorkspaceError> {
    if workspace.exists() && !workspace.is_dir() {
        return Err(WorkspaceError::NotAFolder {
            path: workspace.to_path_buf(),
        });
    }
    let mut config = Config::new(workspace.to_path_buf());
    let path = config.toml_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(config),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            return Err(WorkspaceError::Config {
                file: path,
                line: 1,
                message: "le fichier n'est pas du texte UTF-8 ; enregistrez-le en UTF-8".into(),
            });
        }
        Err(source) => return Err(WorkspaceError::Read { path, source }),
    };
    apply_toml(&mut config, &text, &path)?;
    Ok(config)
}

/// Applies the text of a `clas.toml` onto `config`.
pub fn apply_toml(config: &mut Config, text: &str, path: &Path) -> Result<(), WorkspaceError> {
    let err = |span: Option<std::ops::Range<usize>>, message: String| WorkspaceError::Config {
        file: path.to_path_buf(),
        line: span.map(|s| line_at(text, s.start)).unwrap_or(1),
        message,
    };
    let file: File = toml::from_str(text).map_err(|e| {
        let (line, message) = crate::toml_error::describe(&e, text);
        WorkspaceError::Config {
            file: path.to_path_buf(),
            line,
            message,
        }
    })?;
    let d = file.dossiers;
    for (slot, value) in [
        (&mut config.depot, d.depot),
        (&mut config.archives, d.archives),
        (&mut config.rejets, d.rejets),
        (&mut config.sorties, d.sorties),
    ] {
        if let Some(v) = value {
            *slot = v;
        }
    }
    let c = file.controle;
    if let Some(p) = c.profil {
        config.profile = p;
    }
    if let Some(y) = c.annee_scolaire {
        let span = y.span();
        config.school_year = Some(parse_school_year(y.get_ref()).ok_or_else(|| {
            err(
                Some(span),
                "annee_scolaire : écrivez l'année scolaire sous la forme \"2025-2026\"".into(),
            )
        })?);
    }
    if let Some(t) = c.territoire {
        config.territory = t;
    }
    let docs = file.documents;
    for (slot, value) in [
        (&mut config.caf, docs.caf),
        (&mut config.caf_town, docs.ville_caf),
        (&mut config.contact, docs.contact),
        (&mut config.signatory, docs.signataire),
    ] {
        if let Some(v) = value {
            *slot = v;
        }
    }
    if let Some(p) = docs.signataires {
        config.signatories_csv = Some(p);
    }
    if let Some(a) = file.revue.auteur {
        config.author = a;
    }
    if let Some(d) = docs.delai_reponse_jours {
        let n = *d.get_ref();
        if !(1..=365).contains(&n) {
            return Err(err(
                Some(d.span()),
                "delai_reponse_jours : un nombre de jours entre 1 et 365 est attendu".into(),
            ));
        }
        config.reply_days = n as u32;
    }
    if let Some(d) = docs.date_retour_bilan {
        let span = d.span();
        config.bilan_return = Some(parse_toml_date(d.get_ref()).ok_or_else(|| {
            err(
                Some(span),
                "date_retour_bilan : écrivez une date comme \"2027-07-15\" ou \"15/07/2027\""
                    .into(),
            )
        })?);
    }
    if let Some(r) = c.toutes_rurales {
        config.rural = r;
    }
    if let Some(p) = file.rural.porteurs {
        config.rural_porteurs = p;
    }
    if let Some(p) = file.rural.communes {
        config.rural_communes = p;
    }
    let s = file.surveillance;
    let seconds = |v: Option<Spanned<f64>>,
                   key: &str,
                   min: f64,
                   slot: &mut Duration|
     -> Result<(), WorkspaceError> {
        if let Some(v) = v {
            let x = *v.get_ref();
            if !(x.is_finite() && x >= min && x <= 86_400.0) {
                return Err(err(
                    Some(v.span()),
                    format!("{key} : un nombre de secondes entre {min} et 86400 est attendu"),
                ));
            }
            *slot = Duration::from_secs_f64(x);
        }
        Ok(())
    };
    seconds(
        s.stabilite_secondes,
        "stabilite_secondes",
        0.0,
        &mut config.stability,
    )?;
    seconds(
        s.intervalle_scrutation_secondes,
        "intervalle_scrutation_secondes",
        0.1,
        &mut config.poll_interval,
    )?;
    seconds(
        s.relecture_secondes,
        "relecture_secondes",
        1.0,
        &mut config.rescan_interval,
    )?;
    if let Some(p) = s.scrutation {
        config.poll = p;
    }
    if let Some(h) = file.presence.duree_seance_heures {
        let x = *h.get_ref();
        if !(x.is_finite() && x > 0.0 && x <= 12.0) {
            return Err(err(
                Some(h.span()),
                "duree_seance_heures : une durée en heures entre 0 et 12 est attendue (1.5 pour 1 h 30)"
                    .into(),
            ));
        }
        config.session_hours = x;
    }
    Ok(())
}

/// `2025-2026`, `2025/2026`, `2025` → 2025.
pub(crate) fn parse_school_year(v: &toml::Value) -> Option<i32> {
    match v {
        toml::Value::Integer(n) if (1990..=2200).contains(n) => Some(*n as i32),
        toml::Value::String(s) => {
            let parts: Vec<&str> = s.split(['-', '/', ' ']).filter(|p| !p.is_empty()).collect();
            let first: i32 = parts.first()?.trim().parse().ok()?;
            if !(1990..=2200).contains(&first) {
                return None;
            }
            match parts.get(1) {
                None => Some(first),
                Some(second) => {
                    let second: i32 = second.trim().parse().ok()?;
                    (second == first + 1 || second == (first + 1) % 100).then_some(first)
                }
            }
        }
        _ => None,
    }
}

/// A date of clas.toml: a TOML date (`2027-07-15`, unquoted) or text (`"2027-07-15"`,
/// `"15/07/2027"`).
fn parse_toml_date(v: &toml::Value) -> Option<crate::values::Date> {
    let text = match v {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let n = |s: &str| s.trim().parse::<i64>().ok();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            crate::values::Date::new(n(y)? as i32, n(m)? as u32, n(d)? as u32)
        }
        [d, m, y] if y.len() == 4 => {
            crate::values::Date::new(n(y)? as i32, n(m)? as u32, n(d)? as u32)
        }
        _ => None,
    }
}

/// `2025` → `2025-2026`, as folders and reports name a school year.
pub fn school_year_label(year: i32) -> String {
    format!("{year}-{}", year + 1)
}

/// What `clas init` did.
#[derive(Debug, Default)]
pub struct Init {
    /// Folders created (those already there are not listed).
    pub created: Vec<PathBuf>,
    /// Whether `clas.toml` was written (an existing one is never overwritten).
    pub wrote_config: bool,
}

/// `clas init [DIR]`: the folders of the workspace and a commented `clas.toml`, keeping
/// whatever is already there.
pub fn init(dir: &Path) -> Result<Init, WorkspaceError> {
    let mut done = Init::default();
    if !dir.exists() {
        create_dir(dir)?;
        done.created.push(dir.to_path_buf());
    }
    let toml_path = dir.join("clas.toml");
    // The folders the file names, if a clas.toml is already there and readable.
    let config = load_config(dir)?;
    if !toml_path.exists() {
        crate::files::write_atomically(&toml_path, CLAS_TOML.as_bytes()).map_err(|source| {
            WorkspaceError::NotWritable {
                path: toml_path.clone(),
                source,
            }
        })?;
        done.wrote_config = true;
    }
    for folder in folders(&config) {
        if !folder.is_dir() {
            create_dir(&folder)?;
            done.created.push(folder);
        }
    }
    Ok(done)
}

fn folders(config: &Config) -> [PathBuf; 4] {
    [
        config.depot_dir(),
        config.archives_dir(),
        config.rejets_dir(),
        config.sorties_dir(),
    ]
}

fn create_dir(path: &Path) -> Result<(), WorkspaceError> {
    std::fs::create_dir_all(path).map_err(|source| WorkspaceError::NotWritable {
        path: path.to_path_buf(),
        source,
    })
}

/// Creates the folders of the workspace that are missing and checks that it can be written.
pub(crate) fn ensure(config: &Config) -> Result<(), WorkspaceError> {
    create_dir(&config.workspace)?;
    for folder in folders(config) {
        create_dir(&folder)?;
    }
    let probe = config
        .workspace
        .join(format!(".clas-essai-ecriture-{}", std::process::id()));
    let result = std::fs::File::create(&probe).and_then(|mut f| f.write_all(b"ok"));
    let _ = std::fs::remove_file(&probe);
    result.map_err(|source| WorkspaceError::NotWritable {
        path: config.workspace.clone(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_to_the_defaults() {
        let mut c = Config::new(PathBuf::from("w"));
        apply_toml(&mut c, CLAS_TOML, Path::new("clas.toml")).unwrap();
        let d = Config::new(PathBuf::from("w"));
        assert_eq!(c.depot, d.depot);
        assert_eq!(c.stability, d.stability);
        assert_eq!(c.profile, d.profile);
        // Every key of the template, uncommented, parses too.
        let uncommented: String = CLAS_TOML
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if rest.split_once(" = ").is_some_and(|(k, _)| {
                        k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    }) && !rest.contains("[\"") =>
                {
                    rest.to_string()
                }
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut c = Config::new(PathBuf::from("w"));
        apply_toml(&mut c, &uncommented, Path::new("clas.toml")).unwrap();
        assert_eq!(c.stability, d.stability);
        assert!(c.school_year.is_some());
    }

    #[test]
    fn errors_name_the_line() {
        let mut c = Config::new(PathBuf::from("w"));
        let e = apply_toml(
            &mut c,
            "[controle]\nprofil = \"rhone\"\nprofl = 3\n",
            Path::new("clas.toml"),
        )
        .unwrap_err();
        let m = e.to_string();
        assert!(m.contains("ligne 3") && m.contains("profl"), "{m}");
        let e = apply_toml(
            &mut c,
            "[surveillance]\n\nstabilite_secondes = -1\n",
            Path::new("clas.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ligne 3"), "{e}");
        let e = apply_toml(&mut c, "[controle\n", Path::new("clas.toml")).unwrap_err();
        assert!(e.to_string().contains("ligne 1"), "{e}");
        let e = apply_toml(
            &mut c,
            "[controle]\nannee_scolaire = \"2025-2027\"\n",
            Path::new("clas.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ligne 2"), "{e}");
    }

    #[test]
    fn letter_keys() {
        let mut c = Config::new(PathBuf::from("w"));
        assert_eq!(c.reply_days, 30);
        apply_toml(
            &mut c,
            "[documents]\ndelai_reponse_jours = 21\ndate_retour_bilan = \"15/07/2027\"\n",
            Path::new("clas.toml"),
        )
        .unwrap();
        assert_eq!(c.reply_days, 21);
        assert_eq!(c.bilan_return, crate::values::Date::new(2027, 7, 15));
        apply_toml(
            &mut c,
            "[documents]\ndate_retour_bilan = 2027-07-16\n",
            Path::new("clas.toml"),
        )
        .unwrap();
        assert_eq!(c.bilan_return, crate::values::Date::new(2027, 7, 16));
        let e = apply_toml(
            &mut c,
            "[documents]\n\ndelai_reponse_jours = 0\n",
            Path::new("clas.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ligne 3"), "{e}");
        let e = apply_toml(
            &mut c,
            "[documents]\ndate_retour_bilan = \"juillet\"\n",
            Path::new("clas.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("date_retour_bilan"), "{e}");
    }

    #[test]
    fn school_years() {
        let s = |t: &str| parse_school_year(&toml::Value::String(t.into()));
        assert_eq!(s("2025-2026"), Some(2025));
        assert_eq!(s("2025/26"), Some(2025));
        assert_eq!(s("2025"), Some(2025));
        assert_eq!(s("2025-2027"), None);
        assert_eq!(s("vingt"), None);
    }
}
