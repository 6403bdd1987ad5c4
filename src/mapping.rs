//! Mappings: one declarative file per form and version, saying how the form is recognised and
//! where each canonical field is found. Defaults are compiled in; a workspace's `mappings/`
//! folder adds files or replaces a default of the same `version`. All are compiled once at
//! start-up, so a bad file is reported before any document is read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::dictionary::{self, FieldType, FormKind};
use crate::text::key;

/// The mappings shipped with clas.
const DEFAULTS: &[(&str, &str)] = &[
    (
        "bilan-2021-lot-et-garonne.toml",
        include_str!("../mappings/bilan-2021-lot-et-garonne.toml"),
    ),
    (
        "note-strategique-2026.toml",
        include_str!("../mappings/note-strategique-2026.toml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("fichier de correspondance {file} : {message}")]
    Invalid { file: String, message: String },
    /// Not TOML, or not the shape of a mapping: where it stopped parsing.
    #[error("fichier de correspondance {file}, ligne {line} : {message}")]
    Malformed {
        file: String,
        line: usize,
        message: String,
    },
    #[error("dossier des correspondances {} illisible : {}", .0.display(), crate::files::io_french(.1))]
    Io(PathBuf, std::io::Error),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    form: String,
    version: String,
    #[serde(default)]
    description: String,
    recognize: Recognize,
    #[serde(default)]
    stops: Vec<String>,
    #[serde(default)]
    sections: BTreeMap<String, String>,
    #[serde(default)]
    section_order: Vec<String>,
    fields: BTreeMap<String, FieldSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Recognize {
    all: Vec<String>,
    #[serde(default = "default_min_labels")]
    min_labels: f64,
}

fn default_min_labels() -> f64 {
    0.6
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FieldSpec {
    Label(String),
    Full(FieldSpecFull),
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FieldSpecFull {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    table: Option<TableSpec>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Text of the header cell that identifies the table(s).
    pub header: String,
    /// Row keys in column order; the first is the row's name.
    pub columns: Vec<String>,
    /// Level key → text of the row that opens that level's block.
    pub levels: BTreeMap<String, String>,
    /// Text that starts a TOTAL row.
    pub total: String,
}

/// A mapping ready to use: labels folded, sections ordered.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub form: FormKind,
    pub version: String,
    pub description: String,
    /// Where it came from: `intégré` or the override file's path.
    pub origin: String,
    pub recognize: Vec<(String, Vec<char>)>,
    pub min_labels: f64,
    pub stops: Vec<Vec<char>>,
    /// In document order: id, heading (folded; empty for « start of document »).
    pub sections: Vec<(String, String, Vec<char>)>,
    pub fields: Vec<FieldLocator>,
}

#[derive(Debug, Clone)]
pub struct FieldLocator {
    pub id: String,
    pub kind: FieldType,
    pub section: String,
    /// Wordings, as written in the mapping and folded.
    pub labels: Vec<(String, Vec<char>)>,
    /// Form field names or content-control tags.
    pub names: Vec<String>,
    pub table: Option<TableSpec>,
}

impl Mapping {
    pub fn compile(source: &str, origin: &str) -> Result<Mapping, MappingError> {
        let invalid = |message: String| MappingError::Invalid {
            file: origin.to_string(),
            message,
        };
        let file: MappingFile = toml::from_str(source).map_err(|e| {
            let (line, message) = crate::toml_error::describe(&e, source);
            MappingError::Malformed {
                file: origin.to_string(),
                line,
                message,
            }
        })?;
        let form = FormKind::from_id(&file.form).ok_or_else(|| {
            invalid(format!(
                "formulaire « {} » inconnu (bilan, note-strategique, presence)",
                file.form
            ))
        })?;
        let dict = dictionary::fields(form);
        let order: Vec<String> = if file.section_order.is_empty() {
            let mut o: Vec<String> = Vec::new();
            for d in dict {
                if !o.contains(&d.section) {
                    o.push(d.section.clone());
                }
            }
            o
        } else {
            file.section_order.clone()
        };
        let mut sections = Vec::new();
        for id in &order {
            let heading = file.sections.get(id).cloned().unwrap_or_default();
            sections.push((id.clone(), heading.clone(), key(&heading)));
        }
        for id in file.sections.keys() {
            if !order.contains(id) {
                return Err(invalid(format!(
                    "section « {id} » absente de section_order"
                )));
            }
        }
        for id in file.fields.keys() {
            if dictionary::field(form, id).is_none() {
                return Err(invalid(format!(
                    "champ « {id} » inconnu du dictionnaire {}",
                    form.id()
                )));
            }
        }
        let mut fields = Vec::new();
        for def in dict {
            let spec = match file.fields.get(&def.id) {
                Some(FieldSpec::Label(l)) => FieldSpecFull {
                    label: Some(l.clone()),
                    ..Default::default()
                },
                Some(FieldSpec::Full(f)) => FieldSpecFull {
                    label: f.label.clone(),
                    labels: f.labels.clone(),
                    names: f.names.clone(),
                    section: f.section.clone(),
                    table: f.table.clone(),
                },
                None => {
                    return Err(invalid(format!(
                        "le champ « {} » n'a pas de libellé",
                        def.id
                    )));
                }
            };
            let mut labels: Vec<String> = spec.label.into_iter().collect();
            labels.extend(spec.labels);
            if labels.is_empty() && spec.names.is_empty() && spec.table.is_none() {
                return Err(invalid(format!(
                    "le champ « {} » n'a ni libellé ni nom",
                    def.id
                )));
            }
            let section = spec.section.unwrap_or_else(|| def.section.clone());
            if !order.contains(&section) {
                return Err(invalid(format!(
                    "section « {section} » du champ « {} » inconnue",
                    def.id
                )));
            }
            fields.push(FieldLocator {
                id: def.id.clone(),
                kind: def.kind,
                section,
                labels: labels.iter().map(|l| (l.clone(), key(l))).collect(),
                names: spec.names,
                table: spec.table,
            });
        }
        Ok(Mapping {
            form,
            version: file.version,
            description: file.description,
            origin: origin.to_string(),
            recognize: file
                .recognize
                .all
                .iter()
                .map(|l| (l.clone(), key(l)))
                .collect(),
            min_labels: file.recognize.min_labels,
            stops: file
                .stops
                .iter()
                .map(|s| key(s))
                .filter(|k| !k.is_empty())
                .collect(),
            sections,
            fields,
        })
    }
}

/// The compiled defaults, replaced or completed by the `*.toml` files of `dir` if given.
pub fn load(dir: Option<&Path>) -> Result<Vec<Mapping>, MappingError> {
    let mut mappings = DEFAULTS
        .iter()
        .map(|(name, src)| Mapping::compile(src, &format!("{name} (intégré)")))
        .collect::<Result<Vec<_>, _>>()?;
    let Some(dir) = dir.filter(|d| d.is_dir()) else {
        return Ok(mappings);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| MappingError::Io(dir.to_path_buf(), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for path in files {
        let src = std::fs::read_to_string(&path).map_err(|e| MappingError::Io(path.clone(), e))?;
        let m = Mapping::compile(&src, &path.display().to_string())?;
        mappings.retain(|d| d.version != m.version);
        mappings.push(m);
    }
    Ok(mappings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_compile() {
        let all = load(None).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].fields.len(), 98);
    }

    #[test]
    fn errors_name_the_file() {
        let err = Mapping::compile("form = \"bilan\"\nversion = 3", "x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.toml"), "{err}");
        let err = Mapping::compile(
            "form = \"bilan\"\nversion = \"v\"\n[recognize]\nall = []\n[fields]\n\"porteur.inconnu\" = \"X\"",
            "y.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("porteur.inconnu"), "{err}");
    }

    #[test]
    fn a_malformed_mapping_names_the_line() {
        let src = "form = \"bilan\"\nversion = \"v\"\n\n[recognize]\nall = []\nmin_label = 0.5\n";
        let err = Mapping::compile(src, "z.toml").unwrap_err();
        assert!(
            matches!(err, MappingError::Malformed { line: 6, .. }),
            "{err:?}"
        );
        let err = err.to_string();
        assert!(
            err.starts_with(
                "fichier de correspondance z.toml, ligne 6 : clé inconnue « min_label »"
            ),
            "{err}"
        );
        let err = Mapping::compile("form = \"bilan\"\nversion = [\n", "z.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("z.toml, ligne "), "{err}");
    }

    #[test]
    fn an_override_replaces_the_default_of_the_same_version() {
        let dir = tempfile::tempdir().unwrap();
        let src = DEFAULTS[0]
            .1
            .replace("description = \"", "description = \"MODIFIÉ ");
        std::fs::write(dir.path().join("a.toml"), src).unwrap();
        let all = load(Some(dir.path())).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all.iter().any(|m| m.description.starts_with("MODIFIÉ")));
    }
}
