//! Stage 2: a [`Document`](crate::document::Document) read through a
//! [`Mapping`](crate::mapping::Mapping) becomes an [`Extraction`]: every canonical field of the
//! form, typed, each with where it was found.

pub mod apply;
pub mod locate;
pub(crate) mod presence;
pub(crate) mod stored;
pub(crate) mod ticks;

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
    /// Note stratégique only: the TOTAL row of each level as written in the dispositifs table.
    pub totaux: Vec<LevelTotal>,
}

/// A TOTAL row of the note stratégique's dispositifs table, as the respondent wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelTotal {
    /// `elementaire`, `college` or `lycee`.
    pub niveau: String,
    /// Column key (`etude`, `clas_qpv`, …) → the total written (`None`: cell left empty).
    pub values: Vec<(String, Option<i64>)>,
    pub place: crate::document::Place,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldValue {
    pub id: String,
    pub kind: FieldType,
    pub value: Value,
    /// Where the value was read, for `--explain` and the reports (boxed: the store and the
    /// synthesis hold thousands of extractions without it).
    pub source: Option<Box<Source>>,
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
    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Decimal(d) => Some(*d),
            _ => None,
        }
    }
    pub(crate) fn as_bool(&self) -> Option<bool> {
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
    pub(crate) fn as_date(&self) -> Option<Date> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// A value of a field of type `kind` from its JSON form ([`Value::to_json`]).
    pub fn from_json(kind: FieldType, json: &Json) -> Value {
        match (kind, json) {
            (_, Json::Null) => Value::Null,
            (FieldType::Integer, Json::Number(n)) => n
                .as_i64()
                .map(Value::Integer)
                .unwrap_or_else(|| Value::Decimal(n.as_f64().unwrap_or(0.0))),
            (FieldType::Decimal, Json::Number(n)) => Value::Decimal(n.as_f64().unwrap_or(0.0)),
            (FieldType::Date, Json::String(s)) => crate::values::parse_date(s)
                .map(Value::Date)
                .unwrap_or(Value::Null),
            (FieldType::Yesno | FieldType::Check, Json::Bool(b)) => Value::Bool(*b),
            (FieldType::Table, Json::Array(rows)) => {
                Value::Table(rows.iter().filter_map(|r| r.as_object().cloned()).collect())
            }
            (_, Json::String(s)) => Value::Text(s.clone()),
            (_, other) => Value::Text(other.to_string()),
        }
    }

    /// The JSON form fixed by docs/cli.md.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Text(t) => Json::String(t.clone()),
            Value::Integer(i) => Json::from(*i),
            // 1250 rather than 1250.0: the same number, written as a person would.
            Value::Decimal(d) if d.fract() == 0.0 && d.abs() < 1e15 => Json::from(*d as i64),
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

/// One collectif of an attendance workbook (docs/presence.md).
///
/// Serialised with its figures ([`presence::figures`]) after `enfants`, then its
/// `avertissements` when there are any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collectif {
    pub nom: String,
    pub seances: Vec<Seance>,
    pub enfants: Vec<Enfant>,
    /// What could not be read on the sheet (a mark, a date, a length), in French, each with
    /// its cell (`Collectif A!F7`); never a child's name.
    pub avertissements: Vec<String>,
}

impl Serialize for Collectif {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        /// Rates and means to 4 decimals: the JSON is read by people and compared by tests.
        fn round(x: Option<f64>) -> Option<f64> {
            x.map(|v| (v * 10_000.0).round() / 10_000.0)
        }
        let f = presence::figures(self, presence::SEUIL_JSON);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("nom", &self.nom)?;
        m.serialize_entry("seances", &self.seances)?;
        m.serialize_entry("enfants", &self.enfants)?;
        m.serialize_entry("nombre_enfants", &f.nombre_enfants)?;
        m.serialize_entry("nombre_seances", &f.nombre_seances)?;
        m.serialize_entry("semaines_avec_seance", &f.semaines_avec_seance)?;
        m.serialize_entry("seances_par_semaine", &f.seances_par_semaine)?;
        m.serialize_entry("duree_moyenne_h", &round(f.duree_moyenne_h))?;
        m.serialize_entry("taux_presence", &round(f.taux_presence))?;
        m.serialize_entry("enfants_moins_50", &f.enfants_sous_seuil)?;
        if !self.avertissements.is_empty() {
            m.serialize_entry("avertissements", &self.avertissements)?;
        }
        m.end()
    }
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
    pub(crate) fn get(&self, id: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The value of a field, `Null` when absent.
    pub fn value(&self, id: &str) -> &Value {
        self.get(id).map(|f| &f.value).unwrap_or(&Value::Null)
    }

    /// Rebuilds an extraction from the `fields` object of docs/cli.md (the store, tests),
    /// typing each value by the dictionary. Unknown ids are ignored, missing ones are null.
    pub fn from_json(form: FormKind, mapping: &str, fields: &Map<String, Json>) -> Extraction {
        let fields = crate::dictionary::fields(form)
            .iter()
            .map(|def| {
                let json = fields.get(&def.id).unwrap_or(&Json::Null);
                let value = Value::from_json(def.kind, json);
                FieldValue {
                    id: def.id.clone(),
                    kind: def.kind,
                    value,
                    source: None,
                    problem: None,
                }
            })
            .collect();
        Extraction {
            form,
            mapping: mapping.to_string(),
            fields,
            collectifs: None,
            totaux: Vec::new(),
        }
    }

    /// The `fields` object of docs/cli.md.
    pub fn fields_json(&self) -> Map<String, Json> {
        self.fields
            .iter()
            .map(|f| (f.id.clone(), f.value.to_json()))
            .collect()
    }
}
