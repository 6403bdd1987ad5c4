//! Stage 2: a [`Document`](crate::document::Document) read through a
//! [`Mapping`](crate::mapping::Mapping) becomes an [`Extraction`]: every canonical field of the
//! form, typed, each with where it was found.

pub mod locate;

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::dictionary::{FieldType, FormKind};
use crate::values::Date;

/// What one file says, in canonical field ids.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub form: FormKind,
    /// The mapping that read it (form version), e.g. `bilan-2021-lot-et-garonne`.
    pub mapping: String,
    /// Every field of the form's dictionary, in dictionary order.
    pub fields: Vec<FieldValue>,
    /// Attendance workbooks only: one entry per collectif (sheet).
    pub collectifs: Option<Vec<Collectif>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldValue {
    pub id: String,
    pub kind: FieldType,
    pub value: Value,
    /// Where the value was read, for `--explain` and the reports.
    pub source: Option<Source>,
    /// What went wrong reading it; the rules turn this into findings.
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Value {
    Null,
    Text(String),
    Integer(i64),
    Decimal(f64),
    Date(Date),
    Bool(bool),
    Table(Vec<Map<String, Json>>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Decimal(d) => Some(*d),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
    pub fn as_date(&self) -> Option<Date> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// The JSON form fixed by spec/cli.md.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Text(t) => Json::String(t.clone()),
            Value::Integer(i) => Json::from(*i),
            Value::Decimal(d) => serde_json::Number::from_f64(*d)
                .map(Json::Number)
                .unwrap_or(Json::Null),
            Value::Date(d) => Json::String(d.to_string()),
            Value::Bool(b) => Json::Bool(*b),
            Value::Table(rows) => Json::Array(rows.iter().cloned().map(Json::Object).collect()),
        }
    }
}

/// Where a value came from: the place in the file and the mapping's locator that found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub place: crate::document::Place,
    /// e.g. « libellé « Nom du porteur de projet » » or « champ nommé « CaseACocher3 » ».
    pub locator: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Problem {
    /// Both « oui » and « non » ticked.
    Contradictory,
    /// Something is written but cannot be read as the field's type; keeps what was written.
    Unreadable(String),
    /// The mapping could not find the question in this file.
    NotFound,
}

/// One collectif of an attendance workbook (spec/presence.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Collectif {
    pub nom: String,
    pub seances: Vec<Seance>,
    pub enfants: Vec<Enfant>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seance {
    pub date: Date,
    pub duree_h: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enfant {
    pub nom: String,
    pub prenom: String,
    pub niveau: String,
    pub etablissement: String,
    pub present: u32,
    pub absent: u32,
    pub excuse: u32,
}

impl Extraction {
    pub fn get(&self, id: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The value of a field, `Null` when absent.
    pub fn value(&self, id: &str) -> &Value {
        self.get(id).map(|f| &f.value).unwrap_or(&Value::Null)
    }

    /// The `fields` object of spec/cli.md.
    pub fn fields_json(&self) -> Map<String, Json> {
        self.fields
            .iter()
            .map(|f| (f.id.clone(), f.value.to_json()))
            .collect()
    }
}
