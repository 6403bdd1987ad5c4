//! The sheets of the synthesis workbook.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartPoint, ChartSolidFill, ChartType, Color,
    ConditionalFormatCell, ConditionalFormatCellRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, Formula, IgnoreError, Table, TableColumn, TableStyle, Workbook, Worksheet,
    XlsxError, column_number_to_name,
};
use serde_json::Value as Json;

use super::attendance::{Figures, Redactor};
use super::compact::{Answer, Bilan, CollectifFigures};
use super::{Action, Conformity, Input, SHEETS, Stamp};
use crate::dictionary::{self, FieldType, FormKind};
use crate::extraction::{Extraction, Value};
use crate::findings::{Finding, Severity};
use crate::pipeline;
use crate::report::section_title;
use crate::text::fold;

type R = Result<(), XlsxError>;

/// What writes one sheet.
type Build = fn(&mut Worksheet, &Ctx, &Formats) -> R;

const SYNTHESE: &str = SHEETS[0];
const ANOMALIES: &str = SHEETS[1];
const CONFORMITE: &str = SHEETS[2];
const TOTAUX: &str = SHEETS[3];
const ACTIVITES: &str = SHEETS[4];
const ASSIDUITE: &str = SHEETS[5];
const DISPOSITIFS: &str = SHEETS[6];
const REPONSES: &str = SHEETS[7];
const SOURCES: &str = SHEETS[8];

/// The rules of spec/rules.md that concern actions, in the spec's order: the columns of the
/// Conformité sheet (a rule id not listed here is added after them).
const ACTION_RULES: [(&str, &str); 24] = [
    ("collectif.taille", "Nombre d'enfants par collectif"),
    ("encadrement.minimum", "Intervenants par collectif"),
    ("duree.semaines", "Semaines d'activité dans l'année"),
    (
        "seances.frequence",
        "Séances par semaine (cahier de présence)",
    ),
    ("seances.duree", "Durée des séances (cahier de présence)"),
    ("calendrier.dates", "Dates de début et de fin"),
    (
        "calendrier.periode",
        "Période recommandée (Toussaint – 15 juin)",
    ),
    ("coherence.enfants", "Enfants par niveau et total"),
    (
        "coherence.intervenants",
        "Intervenants par catégorie et total",
    ),
    ("coherence.heures", "Heures par catégorie et total"),
    ("coherence.ratio", "Enfants par accompagnateur"),
    ("coherence.familles", "Familles et enfants"),
    ("reponse.manquante", "Réponse manquante"),
    ("reponse.contradictoire", "« oui » et « non » cochés"),
    ("reponse.illisible", "Réponse illisible"),
    ("ecart.justification", "Écart sans explication"),
    ("axe.enfants", "Objectifs obligatoires : enfants"),
    ("axe.parents", "Objectifs obligatoires : parents"),
    ("axe.ecole", "Concertation avec l'école"),
    ("axe.territoire", "Concertation avec le territoire"),
    ("format.contact", "Courriel ou téléphone du référent"),
    ("presence.effectif", "Effectifs du cahier de présence"),
    ("presence.semaines", "Semaines du cahier de présence"),
    ("presence.assiduite", "Enfants peu assidus"),
];

/// The columns of the note stratégique's dispositifs table (spec/note-strategique.md).
const DISPOSITIF_COLUMNS: [(&str, &str); 9] = [
    ("etude", "ETUDE"),
    ("ecole_ouverte", "ECOLE OUVERTE"),
    ("accompagnement_educatif", "ACCOMPAGNEMENT EDUCATIF"),
    ("stage_reussite", "STAGE DE REUSSITE"),
    ("pre", "PRE (nombre d'enfants)"),
    ("pre_qpv", "PRE dont issus QPV"),
    ("clas", "CLAS (nombre d'enfants)"),
    ("clas_qpv", "CLAS dont issus QPV"),
    ("autre", "AUTRE"),
];

const LEVELS: [(&str, &str); 3] = [
    ("elementaire", "Élémentaire"),
    ("college", "Collège"),
    ("lycee", "Lycée"),
];

/// Excel's limit for a cell's text, in UTF-16 units, with room for the ellipsis.
const MAX_TEXT: usize = 32_000;

// ---------------------------------------------------------------------------------------------
// The Synthèse columns

/// A column of the Synthèse sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syn {
    Field(&'static str),
    PerCollectif,
    Rate,
    Conformity,
    Errors,
    Warnings,
    Version,
    File,
    Received,
}

/// The Synthèse columns, in their fixed order.
const SYN: [Syn; 37] = [
    Syn::Field("porteur.nom"),
    Syn::Field("action.numero"),
    Syn::Field("action.lieu"),
    Syn::Field("etablissements"),
    Syn::Field("zonage.rep"),
    Syn::Field("zonage.pre"),
    Syn::Field("zonage.politique_ville"),
    Syn::Field("local.associatif"),
    Syn::Field("local.municipal"),
    Syn::Field("local.scolaire"),
    Syn::Field("calendrier.debut"),
    Syn::Field("calendrier.fin"),
    Syn::Field("calendrier.semaines"),
    Syn::Field("enfants.elementaire"),
    Syn::Field("enfants.college"),
    Syn::Field("enfants.lycee"),
    Syn::Field("enfants.autres"),
    Syn::Field("enfants.total"),
    Syn::Field("collectifs.nombre"),
    Syn::Field("familles.nombre"),
    Syn::Field("intervenants.salaries"),
    Syn::Field("intervenants.volontaires"),
    Syn::Field("intervenants.benevoles"),
    Syn::Field("intervenants.total"),
    Syn::Field("heures.salaries"),
    Syn::Field("heures.volontaires"),
    Syn::Field("heures.benevoles"),
    Syn::Field("heures.total"),
    Syn::Field("enfants.par_accompagnateur"),
    Syn::PerCollectif,
    Syn::Rate,
    Syn::Conformity,
    Syn::Errors,
    Syn::Warnings,
    Syn::Version,
    Syn::File,
    Syn::Received,
];

fn syn_col(c: Syn) -> u16 {
    SYN.iter()
        .position(|x| *x == c)
        .expect("colonne de la synthèse") as u16
}

fn field_col(id: &str) -> u16 {
    syn_col(Syn::Field(
        SYN.iter()
            .find_map(|c| match c {
                Syn::Field(f) if *f == id => Some(*f),
                _ => None,
            })
            .expect("champ de la synthèse"),
    ))
}

fn label(id: &str) -> &'static str {
    dictionary::field(FormKind::Bilan, id)
        .map(|d| d.label.as_str())
        .expect("champ du dictionnaire")
}

// ---------------------------------------------------------------------------------------------
// Formats and cells

struct Formats {
    header: Format,
    int: Format,
    dec: Format,
    ratio: Format,
    pct: Format,
    date: Format,
    datetime: Format,
    title: Format,
    caption: Format,
    note: Format,
    bad: Format,
    warn: Format,
    good: Format,
    muted: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            int: Format::new().set_num_format("#,##0"),
            dec: Format::new().set_num_format("#,##0.0#"),
            ratio: Format::new().set_num_format("0.0"),
            pct: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            datetime: Format::new().set_num_format("dd/mm/yyyy hh:mm"),
            title: Format::new().set_bold().set_font_size(14),
            caption: Format::new().set_bold().set_font_size(12),
            note: Format::new().set_italic().set_font_color("#595959"),
            bad: Format::new()
                .set_background_color("#FFC7CE")
                .set_font_color("#9C0006"),
            warn: Format::new()
                .set_background_color("#FFEB9C")
                .set_font_color("#9C5700"),
            good: Format::new()
                .set_background_color("#C6EFCE")
                .set_font_color("#006100"),
            muted: Format::new().set_font_color("#808080"),
        }
    }

    /// Every format above (a new one must be added here: the workbook numbers them in this
    /// order before the sheets are built in parallel).
    fn all(&self) -> [&Format; 14] {
        [
            &self.header,
            &self.int,
            &self.dec,
            &self.ratio,
            &self.pct,
            &self.date,
            &self.datetime,
            &self.title,
            &self.caption,
            &self.note,
            &self.bad,
            &self.warn,
            &self.good,
            &self.muted,
        ]
    }

    /// `#,##0` for a whole number, `#,##0.0#` otherwise.
    fn number(&self, x: f64) -> &Format {
        if x.fract() == 0.0 {
            &self.int
        } else {
            &self.dec
        }
    }
}

/// Text as Excel must receive it: line breaks as `\n`, no control characters, Excel's own
/// `_xHHHH_` escapes kept literal, within Excel's length limit.
fn clean(s: &str) -> Cow<'_, str> {
    let needs = s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
        || s.contains("_x")
        || s.len() > MAX_TEXT;
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut units = 0;
    while let Some(c) = chars.next() {
        let piece: Cow<str> = match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                "\n".into()
            }
            '\n' | '\t' => c.to_string().into(),
            c if c.is_control() => continue,
            '_' if is_excel_escape(chars.clone()) => "_x005F_".into(),
            c => c.to_string().into(),
        };
        let n: usize = piece.chars().map(char::len_utf16).sum();
        if units + n > MAX_TEXT {
            out.push('…');
            break;
        }
        units += n;
        out.push_str(&piece);
    }
    Cow::Owned(out)
}

/// Whether what follows an `_` is `xHHHH_`.
fn is_excel_escape(mut rest: impl Iterator<Item = char>) -> bool {
    rest.next() == Some('x')
        && (0..4).all(|_| rest.next().is_some_and(|c| c.is_ascii_hexdigit()))
        && rest.next() == Some('_')
}

/// A formula's cached result.
#[derive(Clone)]
enum Cached {
    Num(f64),
    Blank,
}

impl Cached {
    fn of(x: Option<f64>) -> Cached {
        match x {
            Some(v) if v.is_finite() => Cached::Num(v),
            _ => Cached::Blank,
        }
    }
    fn text(&self) -> String {
        match self {
            Cached::Num(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
            Cached::Num(x) => format!("{x}"),
            Cached::Blank => String::new(),
        }
    }
}

/// Writing cells: every text from a form goes through [`Cells::text`] (a string, never a
/// formula), every formula through [`Cells::formula`] (with its result).
struct Cells<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
}

impl Cells<'_> {
    fn text(&mut self, row: u32, col: u16, s: &str) -> R {
        if !s.is_empty() {
            self.ws.write_string(row, col, clean(s))?;
        }
        Ok(())
    }

    fn text_fmt(&mut self, row: u32, col: u16, s: &str, fmt: &Format) -> R {
        self.ws.write_string_with_format(row, col, clean(s), fmt)?;
        Ok(())
    }

    fn num(&mut self, row: u32, col: u16, x: f64, fmt: &Format) -> R {
        if x.is_finite() {
            self.ws.write_number_with_format(row, col, x, fmt)?;
        }
        Ok(())
    }

    fn opt(&mut self, row: u32, col: u16, x: Option<f64>, fmt: &Format) -> R {
        match x {
            Some(x) => self.num(row, col, x, fmt),
            None => Ok(()),
        }
    }

    fn count(&mut self, row: u32, col: u16, n: usize) -> R {
        let f = self.f;
        self.num(row, col, n as f64, &f.int)
    }

    fn formula(&mut self, row: u32, col: u16, formula: &str, result: Cached, fmt: &Format) -> R {
        let text = result.text();
        let blank = text.is_empty();
        let f = Formula::new(formula).set_result(text);
        self.ws.write_formula_with_format(row, col, f, fmt)?;
        if blank {
            // An empty result would be taken for « no result » and written as 0.
            self.ws.set_formula_result(row, col, "");
        }
        Ok(())
    }

    fn stamp(&mut self, row: u32, col: u16, s: &str) -> R {
        match Stamp::parse(s).and_then(excel_datetime) {
            Some((dt, has_time)) => {
                let fmt = if has_time {
                    &self.f.datetime
                } else {
                    &self.f.date
                };
                self.ws.write_datetime_with_format(row, col, &dt, fmt)?;
                Ok(())
            }
            None => self.text(row, col, s),
        }
    }

    /// A canonical value, typed: numbers and dates as such, yes/no as « oui » / « non ».
    fn value(&mut self, row: u32, col: u16, v: &Answer) -> R {
        let f = self.f;
        match v {
            Answer::Null => Ok(()),
            Answer::Text(t) => self.text(row, col, t),
            Answer::Integer(i) => self.num(row, col, *i as f64, &f.int),
            Answer::Decimal(d) => self.num(row, col, *d, f.number(*d)),
            Answer::Date(d) => {
                match ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8) {
                    Ok(dt) => {
                        self.ws.write_datetime_with_format(row, col, &dt, &f.date)?;
                        Ok(())
                    }
                    Err(_) => self.text(row, col, &d.to_string()),
                }
            }
            Answer::Bool(b) => self.text(row, col, if *b { "oui" } else { "non" }),
            Answer::Rows(n) => self.text(row, col, &format!("{n} ligne(s)")),
        }
    }
}

fn excel_datetime(s: Stamp) -> Option<(ExcelDateTime, bool)> {
    let d =
        ExcelDateTime::from_ymd(s.date.year as u16, s.date.month as u8, s.date.day as u8).ok()?;
    if s.has_time() {
        Some((
            d.and_hms(s.hour as u16, s.minute as u8, s.second as u8)
                .ok()?,
            true,
        ))
    } else {
        Some((d, false))
    }
}

/// A column of a table: header and width (in characters).
struct Col {
    header: String,
    width: f64,
}

fn col(header: impl Into<String>, width: f64) -> Col {
    Col {
        header: header.into(),
        width,
    }
}

/// Headers made unique as Excel tables require (case-insensitive): a repeated label gets its
/// section's title, then its id.
fn unique(headers: Vec<(String, String, String)>) -> Vec<String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for (h, _, _) in &headers {
        *count.entry(h.to_lowercase()).or_default() += 1;
    }
    let mut seen = HashSet::new();
    headers
        .into_iter()
        .map(|(h, section, id)| {
            let mut name = if count[&h.to_lowercase()] > 1 {
                format!("{h} ({section})")
            } else {
                h
            };
            if !seen.insert(name.to_lowercase()) {
                name = format!("{name} [{id}]");
                seen.insert(name.to_lowercase());
            }
            name
        })
        .collect()
}

/// Lays out an Excel table at `(top, 0)`: header from `cols`, `rows` data rows (at least one,
/// as Excel wants), widths, a header row tall enough for its labels.
fn table(ws: &mut Worksheet, f: &Formats, name: &str, top: u32, cols: &[Col], rows: usize) -> R {
    table_at(ws, f, name, top, 0, cols, rows)?;
    // Action numbers, phone numbers, postcodes are text on purpose: no green triangles.
    ws.ignore_error_range(
        top + 1,
        0,
        top + rows.max(1) as u32,
        cols.len() as u16 - 1,
        IgnoreError::NumberStoredAsText,
    )?;
    for (i, c) in cols.iter().enumerate() {
        ws.set_column_width(i as u16, c.width)?;
    }
    let lines = cols
        .iter()
        .map(|c| {
            let per_line = (c.width * 1.1).max(4.0);
            (c.header.chars().count() as f64 / per_line).ceil()
        })
        .fold(1.0, f64::max);
    ws.set_row_height(top, (lines * 15.0).clamp(30.0, 135.0))?;
    Ok(())
}

fn table_at(
    ws: &mut Worksheet,
    f: &Formats,
    name: &str,
    top: u32,
    left: u16,
    cols: &[Col],
    rows: usize,
) -> R {
    let columns: Vec<TableColumn> = cols
        .iter()
        .map(|c| {
            TableColumn::new()
                .set_header(c.header.as_str())
                .set_header_format(&f.header)
        })
        .collect();
    let t = Table::new()
        .set_name(name)
        .set_style(TableStyle::Medium2)
        .set_columns(&columns);
    ws.add_table(
        top,
        left,
        top + rows.max(1) as u32,
        left + cols.len() as u16 - 1,
        &t,
    )?;
    Ok(())
}

/// How a sheet prints: landscape, header repeated on each page, and…
#[derive(Clone, Copy, PartialEq)]
enum Print {
    /// …one page wide (A4).
    Fit,
    /// …one page wide on A3, for the wide tables.
    FitA3,
    /// …across as many pages as it takes (the hundred columns of the answers).
    Natural,
}

/// A data sheet (in constant memory mode: its rows go to a temporary file as they are
/// written, so they must be written in increasing order; strings are inline rather than
/// shared): named, header (and `freeze_cols` first columns) frozen.
fn sheet(ws: &mut Worksheet, name: &str, freeze_cols: u16, print: Print) -> R {
    ws.set_name(name)?;
    ws.set_freeze_panes(1, freeze_cols)?;
    ws.set_landscape();
    ws.set_repeat_rows(0, 0)?;
    if print != Print::Natural {
        ws.set_print_fit_to_pages(1, 0);
    }
    if print == Print::FitA3 {
        ws.set_paper_size(8);
    }
    Ok(())
}

/// `'Synthèse'!$P:$P`.
fn whole(sheet: &str, col: u16) -> String {
    let c = column_number_to_name(col);
    format!("{}!${c}:${c}", quoted(sheet))
}

fn quoted(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

fn cell(col: u16, row: u32) -> String {
    format!("{}{}", column_number_to_name(col), row + 1)
}

fn abs_cell(sheet: &str, col: u16, row: u32) -> String {
    format!(
        "{}!${}${}",
        quoted(sheet),
        column_number_to_name(col),
        row + 1
    )
}

/// Colours a range by the text of its cells: « non conforme » / « erreur » red, « à vérifier »
/// amber, « conforme » green, « information » and « remplacée » grey.
fn colour_by_text(ws: &mut Worksheet, f: &Formats, range: (u32, u16, u32, u16)) -> R {
    let (r1, c1, r2, c2) = range;
    for (text, fmt) in [
        ("non conforme", &f.bad),
        ("erreur", &f.bad),
        ("à vérifier", &f.warn),
        ("conforme", &f.good),
        ("information", &f.muted),
        ("remplacée", &f.muted),
        ("rejeté", &f.warn),
    ] {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(text))
            .set_format(fmt);
        ws.add_conditional_format(r1, c1, r2, c2, &cf)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// What the sheets are made of

/// One action, with what every sheet needs of it.
struct Act<'a> {
    a: &'a Action,
    conformity: Conformity,
    errors: usize,
    warnings: usize,
    /// Findings, worst first, in their order otherwise.
    findings: Vec<&'a Finding>,
}

/// No attendance workbook: no collectif, nothing to mask.
static NO_REDACTOR: OnceLock<Redactor> = OnceLock::new();

impl<'a> Act<'a> {
    fn new(a: &'a Action) -> Act<'a> {
        let mut findings: Vec<&Finding> = a.findings.iter().map(|f| &**f).collect();
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        Act {
            a,
            conformity: Conformity::of(findings.iter().copied()),
            errors: count(&findings, Severity::Error),
            warnings: count(&findings, Severity::Warning),
            findings,
        }
    }

    /// The attendance workbook, summed over its collectifs.
    fn attendance(&self) -> Option<&'a Figures> {
        self.a.presence.as_ref().and_then(|p| p.total.as_ref())
    }

    /// Each collectif: its name (masked) and figures.
    fn collectifs(&self) -> &'a [CollectifFigures] {
        self.a
            .presence
            .as_ref()
            .map(|p| p.collectifs.as_slice())
            .unwrap_or_default()
    }

    fn redactor(&self) -> &'a Redactor {
        match &self.a.presence {
            Some(p) => &p.redactor,
            None => NO_REDACTOR.get_or_init(|| Redactor::new(None)),
        }
    }

    fn porteur(&self) -> &'a str {
        bilan_text(&self.a.bilan, "porteur.nom")
            .or_else(|| self.a.presence.as_ref().and_then(|p| p.porteur.as_deref()))
            .unwrap_or("")
    }

    fn numero(&self) -> &'a str {
        bilan_text(&self.a.bilan, "action.numero")
            .or_else(|| self.a.presence.as_ref().and_then(|p| p.numero.as_deref()))
            .unwrap_or("")
    }

    fn num(&self, id: &str) -> Option<f64> {
        self.a.bilan.number(id).filter(|x| x.is_finite())
    }

    fn per_collectif(&self) -> Option<f64> {
        match (self.num("enfants.total"), self.num("collectifs.nombre")) {
            (Some(e), Some(c)) if c > 0.0 => Some(e / c),
            _ => None,
        }
    }

    fn version(&self) -> &str {
        if self.a.form_version.trim().is_empty() {
            &self.a.bilan.mapping
        } else {
            &self.a.form_version
        }
    }

    /// Never empty: the Réponses and Synthèse sheets count actions on this column.
    fn file(&self) -> &str {
        if self.a.source_file.trim().is_empty() {
            "(fichier inconnu)"
        } else {
            &self.a.source_file
        }
    }
}

fn count(findings: &[&Finding], s: Severity) -> usize {
    findings.iter().filter(|f| f.severity == s).count()
}

fn bilan_text<'x>(b: &'x Bilan, id: &str) -> Option<&'x str> {
    b.text(id).filter(|t| !t.trim().is_empty())
}

fn text_of<'x>(x: &'x Extraction, id: &str) -> Option<&'x str> {
    value(x, id).as_text().filter(|t| !t.trim().is_empty())
}

/// A field's value, straight at its dictionary position when the extraction holds its fields
/// in dictionary order (as it does), by search otherwise. The synthesis asks for a few hundred
/// thousand values: a search each time was a tenth of its time.
fn value<'x>(x: &'x Extraction, id: &str) -> &'x Value {
    static POSITIONS: OnceLock<[HashMap<&'static str, usize>; 3]> = OnceLock::new();
    let positions = POSITIONS.get_or_init(|| {
        [
            FormKind::Bilan,
            FormKind::NoteStrategique,
            FormKind::Presence,
        ]
        .map(|k| {
            dictionary::fields(k)
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id.as_str(), i))
                .collect()
        })
    });
    let form = match x.form {
        FormKind::Bilan => 0,
        FormKind::NoteStrategique => 1,
        FormKind::Presence => 2,
    };
    match positions[form].get(id).and_then(|&i| x.fields.get(i)) {
        Some(f) if f.id == id => &f.value,
        _ => x.value(id),
    }
}

/// Sort key: porteur (without case or accents), then action number as a number when it is
/// one, then file.
fn sort_key(a: &Act) -> (String, u64, String, String) {
    let numero = a.numero().trim();
    let n = numero
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(u64::MAX);
    (
        fold(a.porteur().trim()),
        n,
        fold(numero),
        a.a.source_file.clone(),
    )
}

struct Ctx<'a> {
    input: &'a Input,
    acts: Vec<Act<'a>>,
    /// Rule ids of the Conformité columns.
    rules: Vec<String>,
}

impl<'a> Ctx<'a> {
    fn new(input: &'a Input) -> Ctx<'a> {
        let mut acts: Vec<Act> = input.actions.iter().map(Act::new).collect();
        acts.sort_by_cached_key(sort_key);
        let mut rules: Vec<String> = ACTION_RULES.iter().map(|(r, _)| r.to_string()).collect();
        let extra: std::collections::BTreeSet<&str> = acts
            .iter()
            .flat_map(|a| a.a.findings.iter().map(|f| f.rule.as_str()))
            .filter(|r| !ACTION_RULES.iter().any(|(id, _)| id == r))
            .collect();
        rules.extend(extra.into_iter().map(String::from));
        Ctx { input, acts, rules }
    }

    fn sum(&self, id: &str) -> f64 {
        self.acts.iter().filter_map(|a| a.num(id)).sum()
    }

    fn values(&self, id: &str) -> Vec<f64> {
        self.acts.iter().filter_map(|a| a.num(id)).collect()
    }
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

// ---------------------------------------------------------------------------------------------
// The workbook

pub(super) fn build(input: &Input) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let ctx = Ctx::new(input);
    let mut wb = Workbook::new();
    // Level 3: a quarter less CPU than the default for a file a fifth larger (measured on
    // 10 000 actions); the synthesis is written again after every batch.
    wb.set_zip_compression_level(3);
    let mut props = DocProperties::new()
        .set_title(input.title.as_str())
        .set_subject("Bilans CLAS : synthèse départementale")
        .set_author("clas")
        .set_company("Caf")
        .set_keywords("CLAS, bilan, synthèse, Caf")
        .set_comment(format!("Établie le {} par clas.", input.generated));
    if let Some((dt, _)) = excel_datetime(input.generated) {
        props = props.set_creation_datetime(&dt);
    }
    wb.set_properties(&props);

    // The sheets are independent: built on every core, the largest first, then added in the
    // order of SHEETS. All but Totaux (small, with its charts) are written row by row in
    // constant memory mode. Every format is known to the workbook before, so that its number
    // does not depend on which sheet used it first.
    for format in f.all() {
        wb.register_format(format);
    }
    let builds: [(&str, Build); 9] = [
        (REPONSES, reponses),
        (SYNTHESE, synthese),
        (ANOMALIES, anomalies),
        (CONFORMITE, conformite),
        (SOURCES, sources),
        (ASSIDUITE, assiduite),
        (ACTIVITES, activites),
        (DISPOSITIFS, dispositifs),
        (TOTAUX, totaux),
    ];
    let mut jobs = Vec::new();
    for (name, build) in builds {
        let ws = if name == TOTAUX {
            Worksheet::new()
        } else {
            wb.new_worksheet_with_constant_memory()?
        };
        jobs.push((name, build, Mutex::new(Some(ws))));
    }
    let built = pipeline::on_every_core(&jobs, |(name, build, ws)| {
        let mut ws = ws.lock().ok()?.take()?;
        Some(build(&mut ws, &ctx, &f).map(|()| (*name, ws)))
    });
    let mut sheets: HashMap<&str, Worksheet> = HashMap::new();
    for b in built {
        let (name, ws) = b.expect("each sheet is built once")?;
        sheets.insert(name, ws);
    }
    for name in SHEETS {
        wb.push_worksheet(sheets.remove(name).expect("every sheet is built"));
    }
    Ok(wb)
}

// Synthèse ------------------------------------------------------------------------------------

fn synthese(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, SYNTHESE, 2, Print::FitA3)?;
    ws.set_active(true);
    let cols: Vec<Col> = SYN
        .iter()
        .map(|c| match c {
            Syn::Field(id) => {
                let def = dictionary::field(FormKind::Bilan, id).expect("champ");
                let width = match (def.kind, *id) {
                    (_, "porteur.nom") => 32.0,
                    (_, "action.numero") => 9.0,
                    (FieldType::Text, _) => 36.0,
                    (FieldType::Date, _) => 12.0,
                    _ => 12.0,
                };
                col(def.label.as_str(), width)
            }
            Syn::PerCollectif => col("Enfants par collectif", 11.0),
            Syn::Rate => col("Taux d'assiduité (cahier de présence)", 12.0),
            Syn::Conformity => col("Conformité", 14.0),
            Syn::Errors => col("Erreurs", 9.0),
            Syn::Warnings => col("Points à vérifier", 9.0),
            Syn::Version => col("Version du formulaire", 26.0),
            Syn::File => col("Fichier source", 32.0),
            Syn::Received => col("Date de réception", 16.0),
        })
        .collect();
    let n = ctx.acts.len();
    table(ws, f, "Synthese", 0, &cols, n)?;
    let mut c = Cells { ws: &mut *ws, f };
    let enf = field_col("enfants.total");
    let coll = field_col("collectifs.nombre");
    for (i, a) in ctx.acts.iter().enumerate() {
        let r = i as u32 + 1;
        for (j, sc) in SYN.iter().enumerate() {
            let j = j as u16;
            match sc {
                Syn::Field(id) => {
                    c.value(r, j, a.a.bilan.get(id))?;
                }
                Syn::PerCollectif => {
                    let (e, k) = (cell(enf, r), cell(coll, r));
                    c.formula(
                        r,
                        j,
                        &format!("=IF(AND(ISNUMBER({e}),N({k})>0),{e}/{k},\"\")"),
                        Cached::of(a.per_collectif()),
                        &f.ratio,
                    )?;
                }
                Syn::Rate => c.opt(r, j, a.attendance().and_then(Figures::rate), &f.pct)?,
                Syn::Conformity => c.text(r, j, a.conformity.label())?,
                Syn::Errors => c.count(r, j, a.errors)?,
                Syn::Warnings => c.count(r, j, a.warnings)?,
                Syn::Version => c.text(r, j, a.version())?,
                Syn::File => c.text(r, j, a.file())?,
                Syn::Received => c.stamp(r, j, &a.a.received)?,
            }
        }
    }
    let last = n.max(1) as u32;
    let conf = syn_col(Syn::Conformity);
    colour_by_text(ws, f, (1, conf, last, conf))?;
    let err = syn_col(Syn::Errors);
    ws.add_conditional_format(
        1,
        err,
        last,
        syn_col(Syn::Warnings),
        &ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(0))
            .set_format(&f.bad),
    )?;
    Ok(())
}

// Anomalies -----------------------------------------------------------------------------------

/// Column of the rule id in the Anomalies sheet (counted by the Totaux sheet).
const ANOMALY_RULE_COL: u16 = 3;

fn anomalies(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, ANOMALIES, 0, Print::Fit)?;
    let cols = [
        col(label("porteur.nom"), 32.0),
        col(label("action.numero"), 9.0),
        col("Territoire (note stratégique)", 22.0),
        col("Règle", 22.0),
        col("Gravité", 12.0),
        col("Champs", 30.0),
        col("Message", 90.0),
        col("Fichier source", 32.0),
    ];
    let notes: Vec<_> = ctx
        .input
        .notes
        .iter()
        .map(|n| {
            let mut fs: Vec<&Finding> = n.findings.iter().collect();
            fs.sort_by_key(|f| std::cmp::Reverse(f.severity));
            (n, fs)
        })
        .collect();
    let n = ctx.acts.iter().map(|a| a.findings.len()).sum::<usize>()
        + notes.iter().map(|(_, fs)| fs.len()).sum::<usize>();
    table(ws, f, "Anomalies", 0, &cols, n)?;
    let mut c = Cells { ws: &mut *ws, f };
    let mut r = 1;
    for a in &ctx.acts {
        for x in &a.findings {
            c.text(r, 0, a.porteur())?;
            c.text(r, 1, a.numero())?;
            put_finding(&mut c, r, x, &a.redactor().apply(&x.message), a.file())?;
            r += 1;
        }
    }
    for (note, fs) in &notes {
        let territoire = text_of(&note.extraction, "territoire.nom").unwrap_or("");
        for x in fs {
            c.text(r, 2, territoire)?;
            put_finding(&mut c, r, x, &x.message, &note.source_file)?;
            r += 1;
        }
    }
    colour_by_text(ws, f, (1, 4, n.max(1) as u32, 4))?;
    Ok(())
}

fn put_finding(c: &mut Cells, r: u32, x: &Finding, message: &str, file: &str) -> R {
    c.text(r, ANOMALY_RULE_COL, &x.rule)?;
    c.text(r, 4, x.severity.label())?;
    c.text(r, 5, &x.fields.join(", "))?;
    c.text(r, 6, message)?;
    c.text(r, 7, file)
}

// Conformité ----------------------------------------------------------------------------------

/// First rule column of the Conformité sheet.
const CONF_FIRST_RULE: u16 = 3;

fn conformite(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, CONFORMITE, 2, Print::FitA3)?;
    let mut cols = vec![
        col(label("porteur.nom"), 32.0),
        col(label("action.numero"), 9.0),
        col("Conformité", 14.0),
    ];
    cols.extend(ctx.rules.iter().map(|r| col(r.as_str(), 13.0)));
    let n = ctx.acts.len();
    table(ws, f, "Conformite", 0, &cols, n)?;
    let mut c = Cells { ws: &mut *ws, f };
    for (i, a) in ctx.acts.iter().enumerate() {
        let r = i as u32 + 1;
        c.text(r, 0, a.porteur())?;
        c.text(r, 1, a.numero())?;
        c.text(r, 2, a.conformity.label())?;
        let mut worst: HashMap<&str, Severity> = HashMap::new();
        for x in &a.a.findings {
            let w = worst.entry(x.rule.as_str()).or_insert(x.severity);
            *w = (*w).max(x.severity);
        }
        for (k, rule) in ctx.rules.iter().enumerate() {
            if let Some(s) = worst.get(rule.as_str()) {
                c.text(r, CONF_FIRST_RULE + k as u16, s.label())?;
            }
        }
    }
    let last_col = CONF_FIRST_RULE + ctx.rules.len() as u16 - 1;
    colour_by_text(ws, f, (1, 2, n.max(1) as u32, last_col))?;
    Ok(())
}

// Totaux --------------------------------------------------------------------------------------

/// How a figure of the Totaux sheet is shown.
#[derive(Clone, Copy)]
enum Kind {
    Count,
    Ratio,
    Percent,
}

/// One line of the Totaux table: a label and up to three formulas with their results.
struct Line {
    label: String,
    kind: Kind,
    total: Option<(String, Cached)>,
    mean: Option<(String, Cached)>,
    filled: Option<(String, Cached)>,
}

fn sum_line(ctx: &Ctx, id: &str) -> Line {
    let col = whole(SYNTHESE, field_col(id));
    let v = ctx.values(id);
    Line {
        label: label(id).to_string(),
        kind: Kind::Count,
        total: Some((format!("=SUM({col})"), Cached::Num(ctx.sum(id)))),
        mean: Some(mean_formula(&col, &v)),
        filled: Some((format!("=COUNT({col})"), Cached::Num(v.len() as f64))),
    }
}

fn mean_formula(col: &str, v: &[f64]) -> (String, Cached) {
    (
        format!("=IF(COUNT({col})=0,\"\",AVERAGE({col}))"),
        Cached::of(mean(v)),
    )
}

fn ratio(a: f64, b: f64) -> Cached {
    if b == 0.0 {
        Cached::Blank
    } else {
        Cached::Num(a / b)
    }
}

fn totaux(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    ws.set_name(TOTAUX)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 58.0)?;
    for c in 1..=3 {
        ws.set_column_width(c, 16.0)?;
    }
    for c in 4..=10 {
        ws.set_column_width(c, 14.0)?;
    }
    let n = ctx.acts.len();
    let mut c = Cells { ws: &mut *ws, f };
    c.text_fmt(0, 0, &ctx.input.title, &f.title)?;
    c.text(
        1,
        0,
        &format!(
            "Établie le {} par clas, d'après la version en vigueur de chaque action ({}).",
            ctx.input.generated,
            crate::findings::fr::count(n as f64, "action", "actions")
        ),
    )?;
    c.text_fmt(
        2,
        0,
        "Les chiffres de cette feuille sont des formules sur les feuilles Synthèse, Conformité, Anomalies, Assiduité et Dispositifs : une correction faite dans ces feuilles est reportée ici.",
        &f.note,
    )?;
    let (lines, levels_first) = department_lines(ctx);
    let top = 4;
    let levels_rows = (
        top + 2 + levels_first as u32,
        top + 2 + levels_first as u32 + 3,
    );
    let actions_cell = abs_cell(TOTAUX, 1, top + 2);
    let top = lines_block(&mut c, top, &lines)?;
    let (conf_rows, top) = conformity_block(&mut c, ctx, top, &actions_cell)?;
    let (anomaly_rows, top) = anomalies_block(&mut c, ctx, top)?;
    // Below the charts, which take columns F and after down to row 52.
    dispositifs_block(&mut c, ctx, top.max(CHART_ROWS[2] + 17))?;
    charts(c.ws, levels_rows, conf_rows, anomaly_rows)?;
    Ok(())
}

/// The department's totals and means, and where the four levels of children are among them.
fn department_lines(ctx: &Ctx) -> (Vec<Line>, usize) {
    let n = ctx.acts.len();
    let mut lines = Vec::new();
    let file = whole(SYNTHESE, syn_col(Syn::File));
    lines.push(Line {
        label: "Actions (version en vigueur)".into(),
        kind: Kind::Count,
        total: Some((format!("=COUNTA({file})-1"), Cached::Num(n as f64))),
        mean: None,
        filled: None,
    });
    let levels_first = lines.len();
    for id in [
        "enfants.elementaire",
        "enfants.college",
        "enfants.lycee",
        "enfants.autres",
    ] {
        lines.push(sum_line(ctx, id));
    }
    for id in [
        "enfants.total",
        "collectifs.nombre",
        "familles.nombre",
        "intervenants.salaries",
        "intervenants.volontaires",
        "intervenants.benevoles",
        "intervenants.total",
        "heures.salaries",
        "heures.volontaires",
        "heures.benevoles",
        "heures.total",
    ] {
        lines.push(sum_line(ctx, id));
    }
    let mut weeks = sum_line(ctx, "calendrier.semaines");
    weeks.total = None;
    lines.push(weeks);
    let (enf, coll, interv) = (
        whole(SYNTHESE, field_col("enfants.total")),
        whole(SYNTHESE, field_col("collectifs.nombre")),
        whole(SYNTHESE, field_col("intervenants.total")),
    );
    let per = whole(SYNTHESE, syn_col(Syn::PerCollectif));
    let per_values: Vec<f64> = ctx.acts.iter().filter_map(Act::per_collectif).collect();
    lines.push(Line {
        label: "Enfants par collectif".into(),
        kind: Kind::Ratio,
        total: Some((
            format!("=IF(SUM({coll})=0,\"\",SUM({enf})/SUM({coll}))"),
            ratio(ctx.sum("enfants.total"), ctx.sum("collectifs.nombre")),
        )),
        mean: Some(mean_formula(&per, &per_values)),
        filled: Some((
            format!("=COUNT({per})"),
            Cached::Num(per_values.len() as f64),
        )),
    });
    let acc = whole(SYNTHESE, field_col("enfants.par_accompagnateur"));
    let acc_values = ctx.values("enfants.par_accompagnateur");
    lines.push(Line {
        label: label("enfants.par_accompagnateur").into(),
        kind: Kind::Ratio,
        total: Some((
            format!("=IF(SUM({interv})=0,\"\",SUM({enf})/SUM({interv}))"),
            ratio(ctx.sum("enfants.total"), ctx.sum("intervenants.total")),
        )),
        mean: Some(mean_formula(&acc, &acc_values)),
        filled: Some((
            format!("=COUNT({acc})"),
            Cached::Num(acc_values.len() as f64),
        )),
    });
    // Attendance, from the Assiduité sheet (and the per-action rate of the Synthèse).
    let att: Vec<&Figures> = ctx.acts.iter().filter_map(Act::attendance).collect();
    let (p, a, e) = (
        att.iter().map(|x| x.present).sum::<u64>() as f64,
        att.iter().map(|x| x.absent).sum::<u64>() as f64,
        att.iter().map(|x| x.excused).sum::<u64>() as f64,
    );
    let (pc, ac, ec) = (
        whole(ASSIDUITE, ASS_PRESENT),
        whole(ASSIDUITE, ASS_PRESENT + 1),
        whole(ASSIDUITE, ASS_PRESENT + 2),
    );
    let rate = whole(SYNTHESE, syn_col(Syn::Rate));
    let rates: Vec<f64> = att.iter().filter_map(|x| x.rate()).collect();
    lines.push(Line {
        label: "Taux d'assiduité (cahier de présence)".into(),
        kind: Kind::Percent,
        total: Some((
            format!("=IF(SUM({pc})+SUM({ac})+SUM({ec})=0,\"\",SUM({pc})/(SUM({pc})+SUM({ac})+SUM({ec})))"),
            ratio(p, p + a + e),
        )),
        mean: Some(mean_formula(&rate, &rates)),
        filled: Some((format!("=COUNT({rate})"), Cached::Num(rates.len() as f64))),
    });
    let children = whole(ASSIDUITE, ASS_CHILDREN);
    lines.push(Line {
        label: "Enfants inscrits dans un cahier de présence".into(),
        kind: Kind::Count,
        total: Some((
            format!("=SUM({children})"),
            Cached::Num(att.iter().map(|x| x.children as f64).sum()),
        )),
        mean: None,
        filled: None,
    });
    let under = whole(ASSIDUITE, ASS_UNDER_HALF);
    lines.push(Line {
        label: "Enfants présents à moins de 50 % des séances".into(),
        kind: Kind::Count,
        total: Some((
            format!("=SUM({under})"),
            Cached::Num(att.iter().map(|x| x.under_half as f64).sum()),
        )),
        mean: None,
        filled: None,
    });

    (lines, levels_first)
}

/// The « Totaux du département » table at `top`; the row after it.
fn lines_block(c: &mut Cells, mut top: u32, lines: &[Line]) -> Result<u32, XlsxError> {
    let f = c.f;
    c.text_fmt(top, 0, "Totaux du département", &f.caption)?;
    top += 1;
    let cols = [
        col("Indicateur", 58.0),
        col("Total", 16.0),
        col("Moyenne par action", 16.0),
        col("Actions renseignées", 16.0),
    ];
    table_at(c.ws, f, "Totaux", top, 0, &cols, lines.len())?;
    c.ws.set_row_height(top, 30.0)?;
    for (i, l) in lines.iter().enumerate() {
        let r = top + 1 + i as u32;
        c.text(r, 0, &l.label)?;
        for (j, x) in [(1u16, &l.total), (2, &l.mean), (3, &l.filled)] {
            let Some((formula, cached)) = x else { continue };
            let fmt = match (l.kind, j, cached) {
                (_, 3, _) => &f.int,
                (Kind::Percent, _, _) => &f.pct,
                (Kind::Ratio, _, _) | (Kind::Count, 2, _) => &f.ratio,
                (Kind::Count, _, Cached::Num(x)) => f.number(*x),
                _ => &f.int,
            };
            c.formula(r, j, formula, cached.clone(), fmt)?;
        }
    }
    top += 1 + lines.len() as u32 + 2;

    Ok(top)
}

/// The « Actions par conformité » table at `top`: its data rows, and the row after it.
fn conformity_block(
    c: &mut Cells,
    ctx: &Ctx,
    mut top: u32,
    actions_cell: &str,
) -> Result<((u32, u32), u32), XlsxError> {
    let (f, n) = (c.f, ctx.acts.len());
    // Actions par conformité.
    c.text_fmt(top, 0, "Actions par conformité", &f.caption)?;
    top += 1;
    table_at(
        c.ws,
        f,
        "TotauxConformite",
        top,
        0,
        &[
            col("Conformité", 0.0),
            col("Actions", 0.0),
            col("Part des actions", 0.0),
        ],
        3,
    )?;
    c.ws.set_row_height(top, 30.0)?;
    let conf = whole(SYNTHESE, syn_col(Syn::Conformity));
    for (i, k) in Conformity::ALL.iter().enumerate() {
        let r = top + 1 + i as u32;
        let m = ctx.acts.iter().filter(|a| a.conformity == *k).count() as f64;
        c.text(r, 0, k.label())?;
        c.formula(
            r,
            1,
            &format!("=COUNTIF({conf},\"{}\")", k.label()),
            Cached::Num(m),
            &f.int,
        )?;
        c.formula(
            r,
            2,
            &format!("=IF({actions_cell}=0,\"\",{}/{actions_cell})", cell(1, r)),
            ratio(m, n as f64),
            &f.pct,
        )?;
    }
    colour_by_text(c.ws, f, (top + 1, 0, top + 3, 0))?;
    let conf_rows = (top + 1, top + 3);
    top += 4 + 2;

    Ok((conf_rows, top))
}

/// The « Anomalies les plus fréquentes » table at `top`: the rows of the ten first (none:
/// empty), and the row after it.
fn anomalies_block(
    c: &mut Cells,
    ctx: &Ctx,
    mut top: u32,
) -> Result<(Option<(u32, u32)>, u32), XlsxError> {
    let f = c.f;
    // Anomalies les plus fréquentes.
    c.text_fmt(top, 0, "Anomalies les plus fréquentes", &f.caption)?;
    top += 1;
    let mut per_rule: Vec<(usize, &str, usize, usize)> = ctx
        .rules
        .iter()
        .enumerate()
        .map(|(k, rule)| {
            let actions = ctx
                .acts
                .iter()
                .filter(|a| a.a.findings.iter().any(|x| &x.rule == rule))
                .count();
            (k, rule.as_str(), actions, 0)
        })
        .filter(|x| x.2 > 0)
        .collect();
    let all_findings = ctx
        .acts
        .iter()
        .flat_map(|a| a.a.findings.iter().map(|f| &**f))
        .chain(ctx.input.notes.iter().flat_map(|n| n.findings.iter()));
    let mut by_rule: HashMap<&str, usize> = HashMap::new();
    for x in all_findings {
        *by_rule.entry(x.rule.as_str()).or_default() += 1;
    }
    for x in &mut per_rule {
        x.3 = by_rule.get(x.1).copied().unwrap_or(0);
    }
    per_rule.sort_by(|a, b| b.2.cmp(&a.2).then(b.3.cmp(&a.3)).then(a.0.cmp(&b.0)));
    table_at(
        c.ws,
        f,
        "TotauxAnomalies",
        top,
        0,
        &[
            col("Ce que la règle vérifie", 0.0),
            col("Règle", 0.0),
            col("Actions concernées", 0.0),
            col("Constats", 0.0),
        ],
        per_rule.len(),
    )?;
    c.ws.set_row_height(top, 30.0)?;
    for (i, (k, rule, actions, findings)) in per_rule.iter().enumerate() {
        let r = top + 1 + i as u32;
        let what = ACTION_RULES
            .iter()
            .find(|(id, _)| id == rule)
            .map(|(_, w)| *w)
            .unwrap_or(rule);
        c.text(r, 0, what)?;
        c.text(r, 1, rule)?;
        let rc = whole(CONFORMITE, CONF_FIRST_RULE + *k as u16);
        c.formula(
            r,
            2,
            &format!("=COUNTA({rc})-1"),
            Cached::Num(*actions as f64),
            &f.int,
        )?;
        c.formula(
            r,
            3,
            &format!(
                "=COUNTIF({},{})",
                whole(ANOMALIES, ANOMALY_RULE_COL),
                cell(1, r)
            ),
            Cached::Num(*findings as f64),
            &f.int,
        )?;
    }
    let anomaly_rows = (top + 1, top + per_rule.len().min(10) as u32);
    top += 1 + per_rule.len().max(1) as u32 + 2;

    Ok(((!per_rule.is_empty()).then_some(anomaly_rows), top))
}

/// The dispositifs of the notes stratégiques summed by level, at `top`.
fn dispositifs_block(c: &mut Cells, ctx: &Ctx, mut top: u32) -> R {
    let f = c.f;
    c.text_fmt(
        top,
        0,
        "Dispositifs du département par niveau (notes stratégiques)",
        &f.caption,
    )?;
    top += 1;
    let mut cols = vec![col("Niveau", 0.0), col("Établissements scolaires", 0.0)];
    cols.extend(DISPOSITIF_COLUMNS.iter().map(|(_, h)| col(*h, 0.0)));
    table_at(c.ws, f, "TotauxDispositifs", top, 0, &cols, LEVELS.len())?;
    c.ws.set_row_height(top, 45.0)?;
    let consolidated = consolidate(ctx);
    for (i, (key, name)) in LEVELS.iter().enumerate() {
        let r = top + 1 + i as u32;
        c.text(r, 0, name)?;
        for j in 0..=DISPOSITIF_COLUMNS.len() {
            let v: f64 = consolidated
                .iter()
                .filter(|d| d.level == *key)
                .map(|d| {
                    if j == 0 {
                        d.establishments as f64
                    } else {
                        d.values[j - 1].unwrap_or(0.0)
                    }
                })
                .sum();
            let src = whole(DISPOSITIFS, DISP_FIRST + j as u16);
            c.formula(
                r,
                1 + j as u16,
                &format!("=SUMIF({},{},{src})", whole(DISPOSITIFS, 1), cell(0, r)),
                Cached::Num(v),
                &f.int,
            )?;
        }
    }

    Ok(())
}

/// The three charts, right of the tables.
fn charts(
    ws: &mut Worksheet,
    levels_rows: (u32, u32),
    conf_rows: (u32, u32),
    anomaly_rows: Option<(u32, u32)>,
) -> R {
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("Enfants par niveau");
    chart.legend().set_hidden();
    chart
        .add_series()
        .set_name("Enfants")
        .set_categories((TOTAUX, levels_rows.0, 0, levels_rows.1, 0))
        .set_values((TOTAUX, levels_rows.0, 1, levels_rows.1, 1))
        .set_data_label(ChartDataLabel::new().show_value());
    ws_chart(ws, CHART_ROWS[0], &chart)?;

    let mut chart = Chart::new(ChartType::Pie);
    chart.title().set_name("Actions par conformité");
    let colours = ["#63BE7B", "#FFC000", "#E05A5A"];
    let points: Vec<ChartPoint> = colours
        .iter()
        .map(|c| {
            ChartPoint::new().set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(Color::from(*c))),
            )
        })
        .collect();
    chart
        .add_series()
        .set_name("Actions")
        .set_categories((TOTAUX, conf_rows.0, 0, conf_rows.1, 0))
        .set_values((TOTAUX, conf_rows.0, 1, conf_rows.1, 1))
        .set_points(&points)
        .set_data_label(ChartDataLabel::new().show_value().show_percentage());
    ws_chart(ws, CHART_ROWS[1], &chart)?;

    if let Some(anomaly_rows) = anomaly_rows {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .title()
            .set_name("Anomalies les plus fréquentes (actions concernées)");
        chart.legend().set_hidden();
        // Bar charts draw their categories bottom up: the most frequent on top.
        chart.y_axis().set_reverse();
        chart
            .add_series()
            .set_name("Actions concernées")
            .set_categories((TOTAUX, anomaly_rows.0, 0, anomaly_rows.1, 0))
            .set_values((TOTAUX, anomaly_rows.0, 2, anomaly_rows.1, 2))
            .set_data_label(ChartDataLabel::new().show_value());
        ws_chart(ws, CHART_ROWS[2], &chart)?;
    }
    Ok(())
}

/// Rows of the three charts of the Totaux sheet, in column F.
const CHART_ROWS: [u32; 3] = [4, 20, 36];

fn ws_chart(ws: &mut Worksheet, row: u32, chart: &Chart) -> R {
    ws.insert_chart_with_offset(row, 5, chart, 10, 0)?;
    Ok(())
}

// Activités et parents ------------------------------------------------------------------------

fn activites(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, ACTIVITES, 0, Print::Fit)?;
    let cols = [
        col("Rubrique", 26.0),
        col("Question", 70.0),
        col("Identifiant", 26.0),
        col("Oui", 9.0),
        col("Non", 9.0),
        col("Sans réponse", 10.0),
        col("Part de oui", 10.0),
        col("Part de non", 10.0),
        col("Part sans réponse", 10.0),
    ];
    let fields: Vec<(usize, &dictionary::FieldDef)> = dictionary::fields(FormKind::Bilan)
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == FieldType::Yesno)
        .collect();
    table(ws, f, "ActivitesParents", 0, &cols, fields.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    let files = whole(REPONSES, reponses_file_col());
    let n = ctx.acts.len() as f64;
    for (i, (k, def)) in fields.iter().enumerate() {
        let r = i as u32 + 1;
        c.text(r, 0, section_title(&def.section))?;
        c.text(r, 1, &def.label)?;
        c.text(r, 2, &def.id)?;
        let answers = whole(REPONSES, *k as u16);
        let (mut yes, mut no) = (0.0, 0.0);
        for a in &ctx.acts {
            match a.a.bilan.get(&def.id) {
                Answer::Bool(true) => yes += 1.0,
                Answer::Bool(false) => no += 1.0,
                _ => {}
            }
        }
        let (d, e, g) = (cell(3, r), cell(4, r), cell(5, r));
        c.formula(
            r,
            3,
            &format!("=COUNTIF({answers},\"oui\")"),
            Cached::Num(yes),
            &f.int,
        )?;
        c.formula(
            r,
            4,
            &format!("=COUNTIF({answers},\"non\")"),
            Cached::Num(no),
            &f.int,
        )?;
        c.formula(
            r,
            5,
            &format!("=COUNTA({files})-1-{d}-{e}"),
            Cached::Num(n - yes - no),
            &f.int,
        )?;
        for (j, part) in [(6u16, yes), (7, no), (8, n - yes - no)] {
            let x = cell(j - 3, r);
            c.formula(
                r,
                j,
                &format!("=IF({d}+{e}+{g}=0,\"\",{x}/({d}+{e}+{g}))"),
                ratio(part, n),
                &f.pct,
            )?;
        }
    }
    Ok(())
}

// Assiduité -----------------------------------------------------------------------------------

const ASS_CHILDREN: u16 = 3;
const ASS_PRESENT: u16 = 8;
const ASS_UNDER_HALF: u16 = 12;

fn assiduite(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, ASSIDUITE, 3, Print::Fit)?;
    let cols = [
        col(label("porteur.nom"), 32.0),
        col(label("action.numero"), 9.0),
        col("Collectif", 24.0),
        col("Enfants", 10.0),
        col("Séances", 10.0),
        col("Semaines avec séance", 11.0),
        col("Séances par semaine (médiane)", 12.0),
        col("Durée moyenne d'une séance (h)", 12.0),
        col("Présences", 11.0),
        col("Absences", 11.0),
        col("Absences excusées", 11.0),
        col("Taux d'assiduité", 11.0),
        col("Enfants présents à moins de 50 % des séances", 14.0),
    ];
    let n: usize = ctx.acts.iter().map(|a| a.collectifs().len()).sum();
    table(ws, f, "Assiduite", 0, &cols, n)?;
    let mut c = Cells { ws: &mut *ws, f };
    let mut r = 1;
    for a in &ctx.acts {
        for CollectifFigures { name, figures: x } in a.collectifs() {
            c.text(r, 0, a.porteur())?;
            c.text(r, 1, a.numero())?;
            c.text(r, 2, name)?;
            c.count(r, ASS_CHILDREN, x.children)?;
            c.count(r, 4, x.sessions)?;
            c.count(r, 5, x.weeks)?;
            c.opt(r, 6, x.sessions_per_week, &f.ratio)?;
            c.opt(r, 7, x.mean_length_h, &f.dec)?;
            c.num(r, ASS_PRESENT, x.present as f64, &f.int)?;
            c.num(r, ASS_PRESENT + 1, x.absent as f64, &f.int)?;
            c.num(r, ASS_PRESENT + 2, x.excused as f64, &f.int)?;
            c.opt(r, 11, x.rate(), &f.pct)?;
            c.count(r, ASS_UNDER_HALF, x.under_half)?;
            r += 1;
        }
    }
    let last = n.max(1) as u32;
    ws.add_conditional_format(
        1,
        11,
        last,
        11,
        &ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::LessThan(0.5))
            .set_format(&f.warn),
    )?;
    Ok(())
}

// Dispositifs ---------------------------------------------------------------------------------

/// First figure column of the Dispositifs sheet (the count of establishments).
const DISP_FIRST: u16 = 2;

/// One territory and level of the notes stratégiques.
struct Consolidated {
    territory: String,
    level: &'static str,
    establishments: usize,
    values: Vec<Option<f64>>,
    files: Vec<String>,
}

/// The dispositifs tables summed by territory (same name without case or accents) and level.
fn consolidate(ctx: &Ctx) -> Vec<Consolidated> {
    let mut groups: BTreeMap<(String, usize), Consolidated> = BTreeMap::new();
    for note in &ctx.input.notes {
        let territory = text_of(&note.extraction, "territoire.nom")
            .unwrap_or("")
            .trim()
            .to_string();
        let Value::Table(rows) = value(&note.extraction, "dispositifs") else {
            continue;
        };
        for row in rows {
            let level = row.get("niveau").and_then(Json::as_str).unwrap_or("");
            let Some(li) = LEVELS.iter().position(|(k, _)| *k == level) else {
                continue;
            };
            let g = groups
                .entry((fold(&territory), li))
                .or_insert_with(|| Consolidated {
                    territory: territory.clone(),
                    level: LEVELS[li].0,
                    establishments: 0,
                    values: vec![None; DISPOSITIF_COLUMNS.len()],
                    files: Vec::new(),
                });
            g.establishments += 1;
            if !g.files.contains(&note.source_file) {
                g.files.push(note.source_file.clone());
            }
            for (k, (key, _)) in DISPOSITIF_COLUMNS.iter().enumerate() {
                if let Some(v) = row.get(*key).and_then(Json::as_f64) {
                    *g.values[k].get_or_insert(0.0) += v;
                }
            }
        }
    }
    groups.into_values().collect()
}

fn dispositifs(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, DISPOSITIFS, 2, Print::Fit)?;
    let mut cols = vec![
        col("Territoire", 30.0),
        col("Niveau", 13.0),
        col("Établissements scolaires", 14.0),
    ];
    cols.extend(DISPOSITIF_COLUMNS.iter().map(|(_, h)| col(*h, 14.0)));
    cols.push(col("Fichier source", 32.0));
    let rows = consolidate(ctx);
    table(ws, f, "Dispositifs", 0, &cols, rows.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    for (i, d) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        c.text(r, 0, &d.territory)?;
        let level = LEVELS.iter().find(|(k, _)| *k == d.level).map(|l| l.1);
        c.text(r, 1, level.unwrap_or(""))?;
        c.count(r, DISP_FIRST, d.establishments)?;
        for (k, v) in d.values.iter().enumerate() {
            c.opt(r, DISP_FIRST + 1 + k as u16, *v, &f.int)?;
        }
        c.text(
            r,
            DISP_FIRST + 1 + DISPOSITIF_COLUMNS.len() as u16,
            &d.files.join(", "),
        )?;
    }
    Ok(())
}

// Réponses ------------------------------------------------------------------------------------

fn reponses_file_col() -> u16 {
    dictionary::fields(FormKind::Bilan).len() as u16 + 1
}

fn reponses(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, REPONSES, 2, Print::Natural)?;
    let defs = dictionary::fields(FormKind::Bilan);
    let headers = unique(
        defs.iter()
            .map(|d| {
                (
                    d.label.clone(),
                    section_title(&d.section).to_string(),
                    d.id.clone(),
                )
            })
            .collect(),
    );
    let mut cols: Vec<Col> = defs
        .iter()
        .zip(headers)
        .map(|(d, h)| {
            let width = match (d.kind, d.id.as_str()) {
                (_, "porteur.nom") => 32.0,
                (_, "action.numero") => 9.0,
                (FieldType::Text, _) => 36.0,
                _ => 12.0,
            };
            col(h, width)
        })
        .collect();
    cols.push(col("Version du formulaire", 26.0));
    cols.push(col("Fichier source", 32.0));
    cols.push(col("Date de réception", 16.0));
    table(ws, f, "Reponses", 0, &cols, ctx.acts.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    let nf = defs.len() as u16;
    for (i, a) in ctx.acts.iter().enumerate() {
        let r = i as u32 + 1;
        // One value per field of the dictionary, in its order.
        for (j, v) in a.a.bilan.answers().iter().enumerate() {
            c.value(r, j as u16, v)?;
        }
        c.text(r, nf, a.version())?;
        c.text(r, nf + 1, a.file())?;
        c.stamp(r, nf + 2, &a.a.received)?;
    }
    Ok(())
}

// Sources -------------------------------------------------------------------------------------

fn sources(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    sheet(ws, SOURCES, 1, Print::Fit)?;
    let cols = [
        col("Fichier", 40.0),
        col("Formulaire", 18.0),
        col("Version du formulaire", 26.0),
        col("Date de réception", 16.0),
        col("Statut", 12.0),
        col("État", 12.0),
        col("Empreinte (SHA-256)", 70.0),
    ];
    let docs = &ctx.input.sources;
    table(ws, f, "Sources", 0, &cols, docs.len())?;
    let mut c = Cells { ws: &mut *ws, f };
    for (i, d) in docs.iter().enumerate() {
        let r = i as u32 + 1;
        c.text(r, 0, &d.file)?;
        let form = FormKind::from_id(d.form.trim())
            .map(|k| k.label())
            .unwrap_or(d.form.as_str());
        c.text(r, 1, form)?;
        c.text(r, 2, &d.form_version)?;
        c.stamp(r, 3, &d.received)?;
        c.text(r, 4, &d.status)?;
        let state = if d.current {
            "en vigueur"
        } else if fold(&d.status).starts_with("rejet") {
            ""
        } else {
            "remplacée"
        };
        c.text(r, 5, state)?;
        c.text(r, 6, &d.hash)?;
    }
    colour_by_text(ws, f, (1, 4, docs.len().max(1) as u32, 5))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cleaned() {
        assert_eq!(clean("a\r\nb\rc\u{1}d\te"), "a\nb\ncd\te");
        assert_eq!(clean("_x0041_ et _x4_"), "_x005F_x0041_ et _x4_");
        let long = "é".repeat(40_000);
        let c = clean(&long);
        assert_eq!(c.chars().count(), MAX_TEXT + 1);
        assert!(c.ends_with('…'));
        assert!(matches!(clean("=1+1"), Cow::Borrowed("=1+1")));
    }

    #[test]
    fn headers_are_unique() {
        let h = unique(vec![
            ("Si oui".into(), "Calendrier".into(), "a".into()),
            ("Autre".into(), "X".into(), "b".into()),
            ("si oui".into(), "Public".into(), "c".into()),
            ("Si oui".into(), "Public".into(), "d".into()),
        ]);
        assert_eq!(
            h,
            [
                "Si oui (Calendrier)",
                "Autre",
                "si oui (Public)",
                "Si oui (Public) [d]"
            ]
        );
        let bilan = unique(
            dictionary::fields(FormKind::Bilan)
                .iter()
                .map(|d| (d.label.clone(), d.section.clone(), d.id.clone()))
                .collect(),
        );
        let set: HashSet<String> = bilan.iter().map(|h| h.to_lowercase()).collect();
        assert_eq!(set.len(), bilan.len());
    }

    #[test]
    fn synthese_columns_exist() {
        for c in SYN {
            if let Syn::Field(id) = c {
                assert!(dictionary::field(FormKind::Bilan, id).is_some(), "{id}");
            }
        }
        let labels: HashSet<String> = SYN
            .iter()
            .filter_map(|c| match c {
                Syn::Field(id) => Some(label(id).to_lowercase()),
                _ => None,
            })
            .collect();
        assert_eq!(labels.len(), 29, "libellés en double dans la synthèse");
        assert_eq!(column_number_to_name(field_col("enfants.total")), "R");
        assert_eq!(whole("Synthèse", 0), "'Synthèse'!$A:$A");
    }
}
