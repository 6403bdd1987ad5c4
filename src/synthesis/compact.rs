//! What the synthesis keeps of each action: a département's bilans and attendance workbooks
//! are most of what it holds in memory, so it keeps their values and figures only, not the
//! extractions (field ids, where each value was read, what went wrong reading it, the
//! children of the attendance workbooks).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::attendance::{Figures, Redactor};
use crate::dictionary::{self, FormKind};
use crate::extraction::{Extraction, Value};
use crate::values::Date;

/// A bilan as the synthesis keeps it: its mapping (form version) and one value per field of
/// the bilan dictionary, in dictionary order.
#[derive(Debug, Clone, PartialEq)]
pub struct Bilan {
    /// The mapping that read it, e.g. `bilan-2021-lot-et-garonne`.
    pub mapping: String,
    values: Box<[Answer]>,
}

/// A field's value, as [`Value`] without its table (the synthesis only counts its rows) and
/// with its text in a boxed `str`: 24 bytes instead of 32.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Answer {
    Null,
    Text(Box<str>),
    Integer(i64),
    Decimal(f64),
    Date(Date),
    Bool(bool),
    /// A table field: how many rows it has.
    Rows(usize),
}

impl Answer {
    fn of(v: Value) -> Answer {
        match v {
            Value::Null => Answer::Null,
            Value::Text(t) => Answer::Text(t.into_boxed_str()),
            Value::Integer(i) => Answer::Integer(i),
            Value::Decimal(d) => Answer::Decimal(d),
            Value::Date(d) => Answer::Date(d),
            Value::Bool(b) => Answer::Bool(b),
            Value::Table(rows) => Answer::Rows(rows.len()),
        }
    }

    /// As [`Value::as_f64`]: integers and decimals.
    pub(super) fn as_f64(&self) -> Option<f64> {
        match self {
            Answer::Integer(i) => Some(*i as f64),
            Answer::Decimal(d) => Some(*d),
            _ => None,
        }
    }

    /// As [`Value::as_text`].
    pub(super) fn as_text(&self) -> Option<&str> {
        match self {
            Answer::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// Position of each field in the bilan dictionary.
fn positions() -> &'static HashMap<&'static str, usize> {
    static POSITIONS: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    POSITIONS.get_or_init(|| {
        dictionary::fields(FormKind::Bilan)
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect()
    })
}

impl Bilan {
    /// A field's value (`Null` when the field is not in the bilan dictionary).
    pub(super) fn get(&self, id: &str) -> &Answer {
        positions()
            .get(id)
            .and_then(|&i| self.values.get(i))
            .unwrap_or(&Answer::Null)
    }

    /// Every value, in dictionary order.
    pub(super) fn answers(&self) -> &[Answer] {
        &self.values
    }

    /// A number (integer or decimal), as [`Value::as_f64`].
    pub(crate) fn number(&self, id: &str) -> Option<f64> {
        self.get(id).as_f64()
    }

    /// A text, as [`Value::as_text`].
    pub fn text(&self, id: &str) -> Option<&str> {
        self.get(id).as_text()
    }
}

impl From<Extraction> for Bilan {
    /// The values of a bilan's extraction, moved out of it; fields outside the bilan
    /// dictionary are left out (the synthesis has no column for them).
    fn from(x: Extraction) -> Bilan {
        let defs = dictionary::fields(FormKind::Bilan);
        let mut values = vec![Answer::Null; defs.len()];
        for (i, f) in x.fields.into_iter().enumerate() {
            // Extractions hold their fields in dictionary order; look up otherwise.
            let at = if defs.get(i).is_some_and(|d| d.id == f.id) {
                Some(i)
            } else {
                positions().get(f.id.as_str()).copied()
            };
            if let Some(at) = at {
                values[at] = Answer::of(f.value);
            }
        }
        Bilan {
            mapping: x.mapping,
            values: values.into_boxed_slice(),
        }
    }
}

/// An attendance workbook as the synthesis keeps it: counts and rates per collectif, the
/// collectifs' names with any child's name masked, and what masks the children's names in the
/// text written beside it. The children themselves are not kept.
#[derive(Clone)]
pub struct Attendance {
    pub(super) porteur: Option<String>,
    pub(super) numero: Option<String>,
    /// Each collectif: its name (masked) and figures.
    pub collectifs: Vec<CollectifFigures>,
    /// The whole workbook, summed over its collectifs (none when it has no collectif list).
    pub(super) total: Option<Figures>,
    pub(super) redactor: Redactor,
}

/// One collectif of an attendance workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectifFigures {
    /// Its name, any child's name masked.
    pub name: String,
    pub figures: Figures,
}

impl std::fmt::Debug for Attendance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attendance")
            .field("porteur", &self.porteur)
            .field("numero", &self.numero)
            .field("collectifs", &self.collectifs)
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

impl Attendance {
    /// The figures of the whole workbook, its collectifs summed.
    pub fn total(&self) -> Option<&Figures> {
        self.total.as_ref()
    }

    /// What the synthesis keeps of an attendance workbook, children under `seuil_assiduite`
    /// (the profile's `tolerances.assiduite`) counted as not regular.
    pub fn new(x: Extraction, seuil_assiduite: f64) -> Attendance {
        let redactor = Redactor::new(Some(&x));
        let collectifs = x
            .collectifs
            .iter()
            .flatten()
            .map(|c| CollectifFigures {
                name: redactor.apply(&c.nom).into_owned(),
                figures: Figures::of(c, seuil_assiduite),
            })
            .collect();
        let text = |id: &str| {
            x.value(id)
                .as_text()
                .filter(|t| !t.trim().is_empty())
                .map(String::from)
        };
        Attendance {
            porteur: text("porteur.nom"),
            numero: text("action.numero"),
            collectifs,
            total: Figures::of_action(&x, seuil_assiduite),
            redactor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, json};

    #[test]
    fn a_bilan_keeps_its_values() {
        let mut m = Map::new();
        m.insert("porteur.nom".into(), json!("Centre social"));
        m.insert("enfants.total".into(), json!(12));
        m.insert("inconnu".into(), json!("x"));
        let x = Extraction::from_json(FormKind::Bilan, "bilan-2024-national", &m);
        let want: Vec<Answer> = x
            .fields
            .iter()
            .map(|f| Answer::of(f.value.clone()))
            .collect();
        let b = Bilan::from(x);
        assert_eq!(b.mapping, "bilan-2024-national");
        assert_eq!(b.text("porteur.nom"), Some("Centre social"));
        assert_eq!(b.number("enfants.total"), Some(12.0));
        assert_eq!(b.get("inconnu"), &Answer::Null);
        assert_eq!(b.answers(), &want[..]);
        assert_eq!(std::mem::size_of::<Answer>(), 24);
    }
}
