//! `clas-forms`: writes the blank CLAS forms (`forms/`) and filled samples with their golden
//! JSON (`samples/`), reproducibly: the same code gives the same bytes on every run.
//!
//! The filled bilans are built from two values, [`BilanAnswers`] (what the respondent
//! meant) and [`FillStyle`] (how they wrote it in Word), so the same code can generate any
//! number of synthetic bilans: [`bilan_docx`] gives the .docx, [`golden_json`] what
//! `clas extract --json` must print for it.

pub mod bilan;
pub mod convention;
pub mod docx;
pub mod french;
pub mod note;
pub mod samples;
pub mod synth;
pub mod typed_samples;
pub mod xml;

pub use bilan::{
    Answer, BilanAnswers, BoxStyle, FillStyle, Multiline, Placement, bilan_docx, golden_json,
};
pub use docx::LegacyBox;
pub use french::{DateStyle, NumberStyle, Ymd};
pub use note::{NoteAnswers, golden_note_json, note_docx};

use serde_json::Value as Json;

/// The root rsid of every generated document (the session that « typed » the form).
pub const FORM_RSID: &str = "00B2170F";

/// Small deterministic generator (SplitMix64): variations without a dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den < num
    }
}

/// A value of the golden `fields` object.
#[derive(Clone, Debug, PartialEq)]
pub enum Golden {
    Scalar(Json),
    /// A table: one object per row, keys in the order given.
    Rows(Vec<Vec<(&'static str, Json)>>),
}

impl Golden {
    pub fn to_json(&self) -> Json {
        match self {
            Golden::Scalar(j) => j.clone(),
            Golden::Rows(rows) => Json::Array(
                rows.iter()
                    .map(|r| {
                        Json::Object(r.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
                    })
                    .collect(),
            ),
        }
    }
}

fn js(v: &Json) -> String {
    serde_json::to_string(v).expect("json")
}

/// The golden file: `{"file", "form", "fields"}` as docs/cli.md, fields in dictionary
/// order, one per line (table rows one per line too), ending with a newline.
pub fn write_golden(file: &str, form: &str, fields: &[(&str, Golden)]) -> String {
    let mut s = String::from("{\n");
    s.push_str(&format!("  \"file\": {},\n", js(&Json::from(file))));
    s.push_str(&format!("  \"form\": {},\n", js(&Json::from(form))));
    s.push_str("  \"fields\": {\n");
    for (i, (id, v)) in fields.iter().enumerate() {
        s.push_str(&format!("    {}: ", js(&Json::from(*id))));
        match v {
            Golden::Scalar(j) => s.push_str(&js(j)),
            Golden::Rows(rows) if rows.is_empty() => s.push_str("[]"),
            Golden::Rows(rows) => {
                s.push_str("[\n");
                for (k, row) in rows.iter().enumerate() {
                    let cells: Vec<String> = row
                        .iter()
                        .map(|(key, val)| format!("{}: {}", js(&Json::from(*key)), js(val)))
                        .collect();
                    s.push_str(&format!("      {{{}}}", cells.join(", ")));
                    s.push_str(if k + 1 < rows.len() { ",\n" } else { "\n" });
                }
                s.push_str("    ]");
            }
        }
        s.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
    }
    s.push_str("  }\n}\n");
    s
}
