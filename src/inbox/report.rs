//! What the agent reads about each file: the log line of `clas watch` and `clas ingest`, and
//! the report written beside each file archived or refused, in French, from what the store
//! holds (so that it can be written again when a later document changes it).

use std::path::{Path, PathBuf};

use crate::pipeline::FileError;
use crate::report;
use crate::store::{self, Origin, Status, StoredDocument};
use crate::workspace::school_year_label;

use super::actions::partner_form;
use super::{Inbox, InboxError, Outcome};

/// One file processed, for the log.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file's name as the agent knows it.
    pub name: String,
    pub source: PathBuf,
    pub outcome: Outcome,
    /// Finished after an interruption (the intent was recorded by an earlier run).
    pub recovered: bool,
}

impl FileReport {
    /// 2: the file could not be read; 1: read, with findings of severity error; 0: otherwise
    /// (docs/cli.md).
    pub fn status(&self) -> i32 {
        match &self.outcome {
            Outcome::Rejected { .. } | Outcome::Failed { .. } | Outcome::NotStored { .. } => 2,
            Outcome::Known {
                rejected: Some(_), ..
            } => 2,
            Outcome::Archived { errors, .. } | Outcome::Known { errors, .. } if *errors > 0 => 1,
            _ => 0,
        }
    }

    /// The French log line.
    pub fn line(&self) -> String {
        let p = |p: &Path| p.display().to_string();
        let mut line = format!("{} : ", self.name);
        match &self.outcome {
            Outcome::Archived {
                path,
                form,
                action,
                school_year,
                errors,
                warnings,
                replaces,
                ..
            } => {
                let e = if form.feminine() { "e" } else { "" };
                line += &format!("{} archivé{e} dans {}", form.label(), p(path));
                line += &format!(" ({}", school_year_label(*school_year));
                if let Some(a) = action {
                    line += &format!(", {a}");
                }
                line += ")";
                if let Some(r) = replaces {
                    line += &format!(", nouvelle version qui remplace « {r} »");
                }
                line += &match (errors, warnings) {
                    (0, 0) => " ; aucune anomalie".to_string(),
                    (e, w) => format!(" ; {e} erreur(s), {w} point(s) à vérifier"),
                };
            }
            Outcome::Duplicate {
                path,
                of,
                of_path,
                superseded_by,
                ..
            } => {
                line += &format!(
                    "déjà reçu (même contenu que « {of} », {}) ; rangé dans {}, non compté une seconde fois",
                    p(of_path),
                    p(path)
                );
                if let Some(newer) = superseded_by {
                    line += &format!(
                        " ; attention : c'est une ancienne version, remplacée depuis par « {newer} », qui reste en vigueur"
                    );
                }
            }
            Outcome::Rejected { path, reason, .. } => {
                line += &format!(
                    "refusé, rangé dans {} (raison dans {}.txt) : {reason}",
                    p(path),
                    p(path)
                );
            }
            Outcome::Known {
                of, path, rejected, ..
            } => {
                line += &match rejected {
                    None => format!(
                        "déjà dans la base (« {of} », {}) ; rien de nouveau",
                        p(path)
                    ),
                    Some(r) => format!("déjà refusé (« {of} », {}) : {r}", p(path)),
                };
            }
            Outcome::Failed { reason } => {
                line += &format!("non traité, laissé en place : {reason}");
            }
            Outcome::NotStored { reason } => {
                line +=
                    &format!("non archivé, laissé en place (nouvel essai plus tard) : {reason}");
            }
            Outcome::Changed => {
                line += "modifié pendant sa lecture : laissé en place, il sera relu tel qu'il est \
                         maintenant"
            }
            Outcome::Vanished => line += "disparu avant d'avoir pu être lu",
        }
        if matches!(
            self.outcome,
            Outcome::Archived { .. } | Outcome::Duplicate { .. } | Outcome::Rejected { .. }
        ) && super::names::fitting(&self.name) != self.name
        {
            line += " (nom de fichier trop long : raccourci pour l'archivage)";
        }
        if self.recovered {
            line += " [reprise après interruption]";
        }
        line
    }
}

impl Inbox {
    /// The report beside a stored file, in French, from what the store holds.
    pub(super) fn report_text(
        &self,
        doc: &StoredDocument,
        rural: bool,
    ) -> Result<String, InboxError> {
        let mut t = String::new();
        let received = french_time(&doc.received_at);
        let how = match doc.origin {
            Origin::Depot => "déposé dans le dossier de dépôt".to_string(),
            Origin::Ingest => format!("lu par « clas ingest » dans {}", doc.source),
        };
        match &doc.status {
            Status::Rejected { reason } => {
                t += "clas : fichier refusé\n\n";
                t += &format!(
                    "Fichier : {}\nReçu le {received} ({how})\n\n",
                    doc.file_name
                );
                t += &format!("Pourquoi : {reason}.\n\n");
                t += &format!("Que faire : {}\n\n", doc.report_body);
                t += "Le fichier refusé est conservé ici, tel qu'il a été reçu. Une fois corrigé, \
                      déposez-le à nouveau dans le dossier de dépôt : il sera lu comme un nouveau \
                      fichier.\n";
                return Ok(t);
            }
            Status::Duplicate { of } => {
                t += "clas : fichier déjà reçu\n\n";
                t += &format!(
                    "Fichier : {}\nReçu le {received} ({how})\n\n",
                    doc.file_name
                );
                if let Some(first) = self.store.document_light(*of)? {
                    t += &format!(
                        "Ce fichier a exactement le même contenu que « {} », reçu le {} et rangé \
                         sous {}. Il est conservé ici mais n'est pas compté une seconde fois : \
                         voir le rapport de ce fichier-là ({}).\n",
                        first.file_name,
                        french_time(&first.received_at),
                        first.path.display(),
                        first.report_path.display()
                    );
                }
                t += &format!("\nEmpreinte SHA-256 : {}\n", doc.hash);
                return Ok(t);
            }
            Status::Archived => {}
        }
        t += "clas : rapport de lecture\n\n";
        t += &format!("Fichier : {}\nReçu le {received} ({how})\n", doc.file_name);
        t += &format!("Rangé sous : {}\n", doc.path.display());
        let year = doc.school_year.map(school_year_label).unwrap_or_default();
        match &doc.action {
            Some(a) => t += &format!("Action : {}, année scolaire {year}\n", action_label(a)),
            None => {
                t += &format!(
                    "Action : non identifiée (le nom du porteur ou le numéro d'action manque), \
                     année scolaire {year}\n"
                )
            }
        }
        // Replaced: by whom. In force: what it replaces (the last version archived before it).
        let replaced_by = match doc.replaced_by {
            Some(id) => self.store.document_light(id)?,
            None => None,
        };
        if let Some(by) = replaced_by {
            t += &format!(
                "Version : remplacée par « {} »{}, reçu le {}\n",
                archived_name(&by),
                received_as(&by),
                french_time(&by.received_at)
            );
        } else if doc.current || doc.pending {
            let previous = match (&doc.action, doc.form) {
                (Some(a), Some(form)) => self.store.previous_version(a.id, form, doc.id)?,
                _ => None,
            };
            match previous {
                Some(prev) => {
                    t += &format!(
                        "Version : en vigueur ; elle remplace « {} »{}, reçu le {}\n",
                        archived_name(&prev),
                        received_as(&prev),
                        french_time(&prev.received_at)
                    )
                }
                None => t += "Version : en vigueur (première reçue pour cette action)\n",
            }
        }
        if let (Some(a), Some(other)) = (&doc.action, doc.form.and_then(partner_form)) {
            match self.store.current_of_light(a.id, other)? {
                Some(p) => {
                    t += &format!(
                        "Contrôlé avec : {} « {} », reçu le {}\n",
                        other.label(),
                        p.file_name,
                        french_time(&p.received_at)
                    )
                }
                None => {
                    t += &format!(
                        "Contrôlé sans : aucun {} de cette action n'a encore été reçu\n",
                        other.label()
                    )
                }
            }
        }
        t += &crate::corrections::report_lines(&self.store, doc)?;
        t += "\n";
        match &doc.extraction {
            // Archived since the store keeps the extraction only (before, its text too).
            Some(x) if doc.report_body.is_empty() => {
                t += &report::extraction_text(&doc.file_name, x, false)
            }
            _ => t += &doc.report_body,
        }
        t += &report::check_heading(&self.config.profile, rural);
        t += &report::findings_text(&doc.findings);
        for note in &doc.notes {
            t += &format!("  Note : {note}\n");
        }
        t += &format!("\nEmpreinte SHA-256 : {}\n", doc.hash);
        Ok(t)
    }
}

/// The name a document is archived under (`pin (2).docx`), which is what the agent finds in
/// archives/.
pub(super) fn archived_name(doc: &StoredDocument) -> String {
    doc.path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| doc.file_name.clone())
}

/// « (reçu sous le nom « pin.docx ») » when it was renamed on archiving.
fn received_as(doc: &StoredDocument) -> String {
    if archived_name(doc) == doc.file_name {
        String::new()
    } else {
        format!(" (reçu sous le nom « {} »)", doc.file_name)
    }
}

pub(super) fn action_label(a: &store::ActionRef) -> String {
    if a.kind == "territoire" {
        format!("territoire « {} »", a.porteur)
    } else {
        format!("« {} », action n° {}", a.porteur, a.numero)
    }
}

fn french_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&chrono::Local)
            .format("%d/%m/%Y à %H:%M")
            .to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// What to do about a file that could not be read.
pub(super) fn advice(e: &FileError) -> String {
    use crate::document::ReadError;
    match e {
        FileError::Read(ReadError::Other(m)) if m.starts_with(super::own_output::OWN_OUTPUT) => {
            "ce fichier a été écrit par clas lui-même (dossier sorties/ de l'espace de travail) : \
            il n'a pas à être déposé, clas le tient déjà à jour. Rien à faire ; vous pouvez \
            supprimer cette copie du dossier rejets/."
                .into()
        }
        FileError::NotRecognised(_) => "vérifiez qu'il s'agit bien d'un bilan CLAS, d'une note \
            stratégique ou d'un cahier de présence. S'il s'agit d'une nouvelle version d'un de \
            ces formulaires, une correspondance doit lui être ajoutée (dossier mappings/ de \
            l'espace de travail, « clas check-mapping » pour la vérifier)."
            .into(),
        FileError::Read(ReadError::Encrypted) => "demandez au porteur le fichier sans mot de \
            passe, ou ouvrez-le et enregistrez-le sans mot de passe."
            .into(),
        FileError::Read(ReadError::Unsupported(_)) => "enregistrez le document au format Word \
            (.docx), PDF ou tableur (.xlsx, .ods), ou demandez-le au porteur dans l'un de ces \
            formats."
            .into(),
        FileError::Read(ReadError::TooLarge(_) | ReadError::InvalidPackage(_)) => {
            "ce fichier n'est pas un formulaire CLAS \
            ordinaire ; ouvrez-le avec précaution et demandez au porteur un fichier simple."
                .into()
        }
        _ => "le fichier est peut-être incomplet ou endommagé (pièce jointe mal enregistrée, \
            téléchargement interrompu). Enregistrez à nouveau la pièce jointe, ou demandez au \
            porteur de renvoyer le fichier."
            .into(),
    }
}
