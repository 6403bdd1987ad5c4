//! The store's errors, and the one place where what SQLite says becomes French: every error of
//! the database reaches the agent as a sentence that says what happened and what to do, with
//! SQLite's own words in brackets for whoever helps them.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

use super::BUSY_WAIT;

/// Errors of the store. A store that cannot be opened stops a command (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "base de données {} : ouverture impossible ({}).",
        db(path),
        sql_french(source)
    )]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "base de données {} : elle a été créée par une version plus récente de clas (schéma {found}, cette version connaît le schéma {known}). Mettez clas à jour.",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "base de données {} verrouillée par un autre programme depuis plus de {} s : les fichiers restent où ils sont et seront traités au prochain passage",
        db(path), BUSY_WAIT.as_secs()
    )]
    Busy { path: PathBuf },
    #[error(
        "la base de données {} est endommagée ({detail}) : clas ne s'en sert pas, pour ne rien y écrire. Remettez la dernière sauvegarde de clas.db, ou reconstruisez la base à partir des documents archivés avec « clas rebuild » (la base endommagée est mise de côté, rien n'est perdu).",
        db(path)
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "disque plein : la base de données {} ne peut plus rien enregistrer. Libérez de la place sur ce disque (ou demandez-le au service informatique) ; les fichiers non enregistrés restent dans le dépôt et seront traités dès qu'il y aura de la place.",
        db(path)
    )]
    Full { path: PathBuf },
    #[error(
        "la base de données {} est en lecture seule ({detail}) : clas ne peut rien y enregistrer. Donnez le droit d'écriture sur clas.db, clas.db-wal et clas.db-shm et sur le dossier de l'espace de travail (Propriétés du fichier : décocher « Lecture seule », ou demandez-le au service informatique), puis relancez clas.",
        db(path)
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "la base de données {} ne connaît aucun document, alors que {} en contient {documents} : elle a sans doute été supprimée ou remplacée. clas s'arrête, pour ne pas traiter ces documents comme nouveaux ni écraser la synthèse. Reconstruisez la base à partir des archives avec « clas rebuild{} » (ou remettez la dernière sauvegarde de clas.db).",
        db(path), archives.display(), workspace_option(path)
    )]
    Orphaned {
        path: PathBuf,
        archives: PathBuf,
        documents: usize,
    },
    #[error("base de données : {}", sql_french(.0))]
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::classify(Path::new(""), e)
    }
}

impl StoreError {
    /// What SQLite said, sorted into what the agent can act on: a damaged file, a full disk, a
    /// read-only file, another program holding it; anything else as it is.
    pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
        let path = path.to_path_buf();
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Damaged {
                path,
                detail: e.to_string(),
            },
            Some(ErrorCode::DiskFull) => StoreError::Full { path },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
                path,
                detail: e.to_string(),
            },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
            _ if damaged_content(&e) => StoreError::Damaged {
                path,
                detail: e.to_string(),
            },
            _ => StoreError::Sql(e),
        }
    }

    /// The same error, naming the store's file.
    pub(crate) fn at(self, at: &Path) -> StoreError {
        let at = at.to_path_buf();
        match self {
            StoreError::Damaged { detail, .. } => StoreError::Damaged { path: at, detail },
            StoreError::Full { .. } => StoreError::Full { path: at },
            StoreError::ReadOnly { detail, .. } => StoreError::ReadOnly { path: at, detail },
            StoreError::Busy { .. } => StoreError::Busy { path: at },
            e => e,
        }
    }

    /// A fault of where the store lies, not of what it holds: nothing was recorded, the files
    /// stay where they are and are tried again later (another program holding the store, a
    /// full disk, rights taken away).
    pub(crate) fn retry_later(&self) -> bool {
        matches!(
            self,
            StoreError::Busy { .. } | StoreError::Full { .. } | StoreError::ReadOnly { .. }
        ) || matches!(self, StoreError::Open { source, .. }
            if matches!(source.sqlite_error_code(), Some(ErrorCode::DiskFull | ErrorCode::ReadOnly | ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)))
    }
}

/// A value read back that cannot be what clas wrote: bytes overwritten in the file.
fn damaged_content(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::Utf8Error(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..)
    )
}

fn db(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        "clas.db de l'espace de travail".into()
    } else {
        path.display().to_string()
    }
}

/// ` --workspace DOSSIER` when the store is not in the current folder.
fn workspace_option(path: &Path) -> String {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() && p != Path::new(".") => {
            format!(" --workspace {}", p.display())
        }
        _ => String::new(),
    }
}

/// What SQLite said, in French and with what to do, followed by its own words.
pub(crate) fn sql_french(e: &rusqlite::Error) -> String {
    let why = match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            "fichier endommagé : remettez la dernière sauvegarde de clas.db ou lancez « clas rebuild »"
        }
        Some(ErrorCode::DiskFull) => "disque plein : libérez de la place sur le disque",
        Some(ErrorCode::ReadOnly) => {
            "fichier en lecture seule : donnez le droit d'écriture sur clas.db, clas.db-wal, clas.db-shm et leur dossier"
        }
        Some(ErrorCode::CannotOpen) => {
            "fichier impossible à ouvrir : vérifiez que le dossier existe et que vous avez le droit d'y écrire"
        }
        Some(ErrorCode::PermissionDenied) => {
            "accès refusé : vérifiez vos droits sur clas.db et sur son dossier"
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "base occupée par un autre programme : réessayez dans un moment"
        }
        Some(ErrorCode::SystemIoFailure) => {
            "erreur de lecture ou d'écriture sur le disque : vérifiez le disque ou le partage réseau (connexion, place libre)"
        }
        Some(ErrorCode::OutOfMemory) => "mémoire insuffisante : fermez d'autres programmes",
        Some(ErrorCode::ConstraintViolation) => {
            "enregistrement incohérent refusé par la base : relancez clas ; si cela se répète, signalez-le avec le journal clas.log"
        }
        _ if damaged_content(e) => {
            "valeur illisible dans la base, qui est sans doute endommagée : remettez la dernière sauvegarde de clas.db ou lancez « clas rebuild »"
        }
        _ => {
            "erreur inattendue : relancez clas ; si cela se répète, signalez-le avec le journal clas.log"
        }
    };
    format!("{why} ({e})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn sqlite_errors_are_told_in_french_with_what_to_do() {
        let full = StoreError::from(sqlite(rusqlite::ffi::SQLITE_FULL));
        assert!(matches!(full, StoreError::Full { .. }));
        assert!(full.retry_later());
        assert!(full.to_string().starts_with("disque plein"), "{full}");
        let ro =
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_READONLY)).at(Path::new("w/clas.db"));
        assert!(
            ro.to_string().contains("w/clas.db est en lecture seule"),
            "{ro}"
        );
        let bad = StoreError::from(sqlite(rusqlite::ffi::SQLITE_CORRUPT));
        assert!(!bad.retry_later());
        assert!(bad.to_string().contains("endommagée") && bad.to_string().contains("clas rebuild"));
        let text = StoreError::from(rusqlite::Error::Utf8Error(
            String::from_utf8(vec![0xff]).unwrap_err().utf8_error(),
        ));
        assert!(matches!(text, StoreError::Damaged { .. }), "{text}");
        let other = sql_french(&sqlite(rusqlite::ffi::SQLITE_CONSTRAINT));
        assert!(other.starts_with("enregistrement incohérent"), "{other}");
        let open = sql_french(&sqlite(rusqlite::ffi::SQLITE_CANTOPEN));
        assert!(open.starts_with("fichier impossible à ouvrir"), "{open}");
    }
}
