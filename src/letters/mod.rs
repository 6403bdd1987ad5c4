//! Documents the Caf writes from the bilans: next year's conventions ([`prefill`]), letters
//! asking porteurs to complete or correct their bilan ([`relance`]), and next year's blank
//! bilan with its identification already filled ([`prefill_bilan`]).
//!
//! Every document is made from a Word template by changing the template's own XML
//! ([`fill`]): the rest of the package (styles, numbering, headers, footers, fields, images)
//! is copied byte for byte, so a template a Caf agent edits in Word or LibreOffice keeps its
//! layout.

pub(crate) mod bilan;
pub(crate) mod commune;
pub mod convention;
pub(crate) mod fill;
pub(crate) mod index;
pub(crate) mod keep;
pub(crate) mod model;
pub mod package;
pub(crate) mod points;
pub mod relance;
pub(crate) mod schools;
pub mod table;
pub mod template;

use std::path::PathBuf;

pub use bilan::{IDENTIFICATION, NextBilan, prefill_bilan, prefill_next_bilan};
pub use convention::{
    ConventionOut, EtablissementRef, PorteurRef, PrefillParams, PrefillReport, Signataires,
    parse_annee, prefill,
};
pub use fill::{DOTS, FillOutcome, FillValue, Template, Values, fill_docx};
pub use relance::{LetterKind, LetterOut, RelanceParams, RelanceReport, relance};
pub use schools::{School, dedupe_schools, parse_schools, same_school};
pub use table::TableBlock;
pub use template::{default_relance_template, default_verification_template};

use crate::values::Date;

/// Why a document could not be made. Shown to agents, so in French.
#[derive(Debug, thiserror::Error)]
pub enum LettersError {
    #[error("modèle Word inutilisable : {0}")]
    Template(String),
    #[error("le formulaire vierge n'est pas un bilan CLAS reconnu : {0}")]
    NotABilan(String),
    #[error("impossible d'écrire {} : {}", .0.display(), crate::files::io_french(.1))]
    Write(PathBuf, std::io::Error),
    #[error("tableau des signataires illisible : {0}")]
    Signataires(String),
    #[error("index {0} : {1}")]
    Index(PathBuf, String),
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `2 novembre 2026`, `1er juin 2027`: a date as a letter writes it.
pub(crate) fn date_long(d: Date) -> String {
    let day = if d.day == 1 {
        "1er".to_string()
    } else {
        d.day.to_string()
    };
    format!("{day} {} {}", MONTHS[(d.month - 1) as usize], d.year)
}

/// French typography for text a letter prints: a no-break space inside « » and before
/// « : ; ! ? », and after « n° », so that no mark is left alone at the start or end of a
/// line.
pub(crate) fn french_spacing(s: &str) -> String {
    const NBSP: char = '\u{a0}';
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = out.chars().last();
        match c {
            ' ' if matches!(next, Some(':' | ';' | '!' | '?' | '»')) => out.push(NBSP),
            ' ' if matches!(prev, Some('«')) => out.push(NBSP),
            ' ' if out.ends_with("n°") || out.ends_with("N°") => out.push(NBSP),
            _ => out.push(c),
        }
    }
    out
}

/// Collapses runs of white space and trims, keeping line breaks.
pub(crate) fn tidy(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A file name part: ASCII letters and digits, dashes between words, lower case, bounded.
/// Safe on Windows (no reserved char, no trailing dot or space).
pub(crate) fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars().map(crate::text::fold_char) {
        let c = match c {
            'œ' => Some("oe"),
            'æ' => Some("ae"),
            'ß' => Some("ss"),
            _ => None,
        }
        .map(str::to_string)
        .unwrap_or_else(|| c.to_string());
        for c in c.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
    }
    let mut out = out.trim_matches('-').to_string();
    if out.len() > max {
        out.truncate(max);
        out = out.trim_end_matches('-').to_string();
    }
    out
}

/// A name unique in `taken` (case-insensitive, as Windows compares names): `a.docx`,
/// `a-2.docx`, …
pub(crate) fn unique_name(
    taken: &mut std::collections::HashSet<String>,
    stem: &str,
    ext: &str,
) -> String {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        if taken.insert(name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_windows_safe() {
        assert_eq!(
            slug("Centre social « Les Amis » / Agen", 60),
            "centre-social-les-amis-agen"
        );
        assert_eq!(slug("École Jean-Jaurès", 60), "ecole-jean-jaures");
        assert_eq!(slug("Œuvre CON: *?.", 60), "oeuvre-con");
        assert_eq!(slug("aaaa bbbb", 6), "aaaa-b");
        assert_eq!(slug("aaaa bbbb", 5), "aaaa");
    }

    #[test]
    fn french_spacing_keeps_marks_with_their_words() {
        assert_eq!(
            french_spacing("ni « oui » ni « non » : action n° 3 ; oui ?"),
            "ni «\u{a0}oui\u{a0}» ni «\u{a0}non\u{a0}»\u{a0}: action n°\u{a0}3\u{a0}; oui\u{a0}?"
        );
        assert_eq!(french_spacing("https://a.fr"), "https://a.fr");
    }

    #[test]
    fn long_dates() {
        assert_eq!(
            date_long(Date::new(2026, 11, 2).unwrap()),
            "2 novembre 2026"
        );
        assert_eq!(date_long(Date::new(2027, 6, 1).unwrap()), "1er juin 2027");
    }
}
