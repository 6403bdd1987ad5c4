//! The canonical field dictionaries (`dictionaries/*.csv`, described in docs/fields.md), compiled in.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FormKind {
    Bilan,
    NoteStrategique,
    Presence,
}

impl FormKind {
    pub fn id(self) -> &'static str {
        match self {
            FormKind::Bilan => "bilan",
            FormKind::NoteStrategique => "note-strategique",
            FormKind::Presence => "presence",
        }
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            FormKind::Bilan => "bilan CLAS",
            FormKind::NoteStrategique => "note stratégique",
            FormKind::Presence => "cahier de présence",
        }
    }
    /// Whether the form's French name is feminine (« note stratégique archivée »), for the
    /// agreement of the words said about it.
    pub(crate) fn feminine(self) -> bool {
        matches!(self, FormKind::NoteStrategique)
    }

    pub(crate) fn from_id(id: &str) -> Option<FormKind> {
        [
            FormKind::Bilan,
            FormKind::NoteStrategique,
            FormKind::Presence,
        ]
        .into_iter()
        .find(|k| k.id() == id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Integer,
    Decimal,
    Date,
    Yesno,
    Check,
    Table,
}

#[derive(Debug, Clone)]
pub struct FieldDef {
    pub id: String,
    pub kind: FieldType,
    pub section: String,
    /// The form's own wording of the question.
    pub label: String,
}

pub fn fields(form: FormKind) -> &'static [FieldDef] {
    static BILAN: OnceLock<Vec<FieldDef>> = OnceLock::new();
    static NOTE: OnceLock<Vec<FieldDef>> = OnceLock::new();
    static PRESENCE: OnceLock<Vec<FieldDef>> = OnceLock::new();
    match form {
        FormKind::Bilan => BILAN.get_or_init(|| parse(include_str!("../dictionaries/bilan-fields.csv"))),
        FormKind::NoteStrategique => NOTE.get_or_init(|| {
            parse(include_str!("../dictionaries/note-strategique-fields.csv"))
        }),
        FormKind::Presence => PRESENCE.get_or_init(|| {
            parse("id,type,section,label\nporteur.nom,text,entete,Porteur\naction.numero,text,entete,Action N°\n")
        }),
    }
}

pub fn field(form: FormKind, id: &str) -> Option<&'static FieldDef> {
    fields(form).iter().find(|f| f.id == id)
}

/// A minimal CSV reader: the dictionaries quote fields that hold commas, nothing more.
fn parse(csv: &str) -> Vec<FieldDef> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols = split_csv_line(line);
            let kind = match cols[1].as_str() {
                "text" => FieldType::Text,
                "integer" => FieldType::Integer,
                "decimal" => FieldType::Decimal,
                "date" => FieldType::Date,
                "yesno" => FieldType::Yesno,
                "check" => FieldType::Check,
                "table" => FieldType::Table,
                other => panic!("dictionnaire : type inconnu {other}"),
            };
            FieldDef {
                id: cols[0].clone(),
                kind,
                section: cols[2].clone(),
                label: cols[3].clone(),
            }
        })
        .collect()
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut cols = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cols.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cols.push(String::new()),
            _ => cols.last_mut().unwrap().push(c),
        }
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionaries_have_the_spec_counts() {
        assert_eq!(fields(FormKind::Bilan).len(), 98);
        let yesno = fields(FormKind::Bilan)
            .iter()
            .filter(|f| f.kind == FieldType::Yesno)
            .count();
        assert_eq!(yesno, 49);
        let checks = fields(FormKind::Bilan)
            .iter()
            .filter(|f| f.kind == FieldType::Check)
            .count();
        assert_eq!(checks, 6);
        assert_eq!(fields(FormKind::NoteStrategique).len(), 12);
        assert_eq!(
            field(FormKind::Bilan, "referent.nom").unwrap().label,
            "Nom, Prénom de la personne référente"
        );
    }
}
