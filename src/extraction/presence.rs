//! Attendance workbooks (spec/presence.md): a spreadsheet [`Document`] becomes an
//! [`Extraction`] of form `presence`, one [`Collectif`] per sheet that holds an attendance
//! table, with the figures the rules and the synthesis use ([`figures`]).
//!
//! What is read, sheet by sheet:
//! - the header block, label then value on one row (`Porteur :`, `Action N° :`,
//!   `Collectif :`, `Lieu :`, `Accompagnateurs :`, `Année scolaire :`), anywhere above the
//!   table, labels compared without case, accents, spaces or colon;
//! - the table header row: `Nom`, `Prénom`, `Niveau`, `Établissement`, then one column per
//!   session headed by its date: a real date, a text date (`14/11/2026`, `lun. 14/11/2026`,
//!   `14/11`, `14 nov.`), or a day number under a month row (« novembre 2026 » over its days,
//!   merged or written once);
//! - an optional `Durée (h)` row under the header: each session's length (`1,5`, `1:30`,
//!   `1 h 30`, `90 min`), else [`Options::duree_defaut_h`];
//! - one row per child, a mark per session: `P`, `X`, `1`, `✓` (present), `A`, `0`, `abs`
//!   (absent), `E` (excused), empty (not registered), in any case.
//!
//! Blank rows and columns, a title, a total column or row, legends and trailing rows are
//! passed over. What cannot be read is not fatal: it is left out of the counts and said in the
//! collectif's `avertissements`, with the cell named as Excel does (`Collectif A!F7`). Those
//! messages never quote a child's name.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Collectif, Enfant, Extraction, FieldValue, Problem, Seance, Source, Value};
use crate::dictionary::{self, FormKind};
use crate::document::{Cell, Document, Place, Table};
use crate::text::fold;
use crate::values::{Date, parse_date, parse_number};

/// The mapping id of the reference layout and of every variant read the same way.
pub const MAPPING: &str = "presence-reference";

/// What the workbook does not say and configuration does.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Length of a session, in hours, when the sheet has no `Durée (h)` row or leaves a
    /// session's length empty.
    pub duree_defaut_h: f64,
    /// School year N (N/N+1) for dates written without a year (`14/11`, a month row without
    /// year) when the workbook itself does not say it. `None`: the current school year.
    pub annee_scolaire: Option<i32>,
    /// Today, whose school year is assumed when neither the workbook nor `annee_scolaire` says.
    pub today: Date,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            duree_defaut_h: 1.5,
            annee_scolaire: None,
            today: Date::today(),
        }
    }
}

/// The figures of one collectif (spec/presence.md), as rules and synthesis use them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    /// Children with at least one mark (present, absent or excused).
    pub nombre_enfants: usize,
    /// Sessions held.
    pub nombre_seances: usize,
    /// Distinct weeks (Monday to Sunday) with at least one session.
    pub semaines_avec_seance: usize,
    /// Usual rhythm: the median number of sessions over the weeks that have one.
    pub seances_par_semaine: Option<f64>,
    /// Mean session length in hours.
    pub duree_moyenne_h: Option<f64>,
    /// présent / (présent + absent + excusé), all children together.
    pub taux_presence: Option<f64>,
    /// Children with marks present at less than half of their marked sessions.
    pub enfants_moins_50: usize,
}

/// The figures of a collectif.
pub fn figures(c: &Collectif) -> Figures {
    let marked: Vec<&Enfant> = c
        .enfants
        .iter()
        .filter(|e| e.present + e.absent + e.excuse > 0)
        .collect();
    let weeks = sessions_by_week(c);
    let counts: Vec<usize> = weeks.iter().map(|(_, n)| *n).collect();
    let lengths: Vec<f64> = c
        .seances
        .iter()
        .filter_map(|s| s.duree_h)
        .filter(|h| h.is_finite())
        .collect();
    let present: u32 = marked.iter().map(|e| e.present).sum();
    let all: u32 = marked.iter().map(|e| e.present + e.absent + e.excuse).sum();
    Figures {
        nombre_enfants: marked.len(),
        nombre_seances: c.seances.len(),
        semaines_avec_seance: weeks.len(),
        seances_par_semaine: median(&counts),
        duree_moyenne_h: (!lengths.is_empty())
            .then(|| lengths.iter().sum::<f64>() / lengths.len() as f64),
        taux_presence: (all > 0).then(|| present as f64 / all as f64),
        enfants_moins_50: marked
            .iter()
            .filter(|e| 2 * e.present < e.present + e.absent + e.excuse)
            .count(),
    }
}

/// Sessions per week: the Monday of each week with a session, and how many it had.
pub fn sessions_by_week(c: &Collectif) -> Vec<(Date, usize)> {
    let mut weeks: BTreeMap<i64, usize> = BTreeMap::new();
    for s in &c.seances {
        *weeks.entry(s.date.week_start()).or_default() += 1;
    }
    weeks
        .into_iter()
        .map(|(monday, n)| (Date::from_days(monday), n))
        .collect()
}

fn median(values: &[usize]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

/// An attendance mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Present,
    Absent,
    Excuse,
}

/// A cell that holds something other than a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAMark;

/// Reads a mark: `Ok(None)` for an empty cell (not registered), `Err` for anything that is
/// not a mark.
pub fn parse_mark(cell: &Cell) -> Result<Option<Mark>, NotAMark> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) if *n == 1.0 => Ok(Some(Mark::Present)),
        Cell::Number(n) if *n == 0.0 => Ok(Some(Mark::Absent)),
        Cell::Bool(true) => Ok(Some(Mark::Present)),
        Cell::Bool(false) => Ok(Some(Mark::Absent)),
        Cell::Text(t) => {
            let f: String = fold(t)
                .chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '(' | ')' | '-' | '_'))
                .collect();
            match f.as_str() {
                "" => Ok(None),
                "p" | "x" | "1" | "✓" | "✔" | "✅" | "☑" | "present" | "presente" => {
                    Ok(Some(Mark::Present))
                }
                "a" | "0" | "abs" | "absent" | "absente" => Ok(Some(Mark::Absent)),
                "e" | "exc" | "excuse" | "excusee" | "ae" | "absexc" | "absexcuse"
                | "absentexcuse" | "absenteexcusee" | "absenceexcusee" => Ok(Some(Mark::Excuse)),
                _ => Err(NotAMark),
            }
        }
        _ => Err(NotAMark),
    }
}

/// A cell named as Excel does: `Collectif A!F7` (row and column from 0).
pub fn cell_ref(sheet: &str, row: usize, col: usize) -> String {
    format!("{sheet}!{}{}", column_letters(col), row + 1)
}

/// `A`, `Z`, `AA`… for a column index from 0.
pub fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Why a workbook is not an attendance workbook: how much of the reference layout its closest
/// sheet has, and what it lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct NotAttendance {
    /// Share of the reference layout's labels and column headings found (0 to 1).
    pub score: f64,
    /// The closest sheet, when there is one.
    pub sheet: Option<String>,
    /// What the closest sheet lacks, in French (« colonne « Nom » »).
    pub missing: Vec<String>,
}

impl std::fmt::Display for NotAttendance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ce classeur n'est pas un cahier de présence : aucune feuille n'a de tableau « Nom | Prénom | Niveau | Établissement » suivi des dates des séances"
        )?;
        if let Some(s) = &self.sheet
            && !self.missing.is_empty()
        {
            write!(
                f,
                " (feuille la plus proche « {s} » : manque {})",
                self.missing.join(", ")
            )?;
        }
        Ok(())
    }
}

/// Reads an attendance workbook: one collectif per sheet with an attendance table.
pub fn extract(doc: &Document, options: &Options) -> Result<Extraction, NotAttendance> {
    let mut sheets: Vec<(usize, Layout)> = Vec::new();
    let mut closest = NotAttendance {
        score: 0.0,
        sheet: None,
        missing: Vec::new(),
    };
    for (i, table) in doc.tables.iter().enumerate() {
        match Layout::find(table, i) {
            Ok(layout) => sheets.push((i, layout)),
            Err(miss) if miss.score > closest.score || closest.sheet.is_none() => {
                closest = NotAttendance {
                    score: miss.score,
                    sheet: Some(table.name.clone()),
                    missing: miss.missing,
                };
            }
            Err(_) => {}
        }
    }
    // A summary sheet lists the children too (`Nom | Prénom | … | Total | Taux`) but has no
    // session column: it is not a collectif when other sheets have sessions.
    if sheets
        .iter()
        .any(|(i, l)| l.date_columns(&doc.tables[*i]) > 0)
    {
        sheets.retain(|(i, l)| l.date_columns(&doc.tables[*i]) > 0);
    }
    if sheets.is_empty() {
        if closest.sheet.is_none() {
            closest.missing = vec!["toute donnée (classeur vide)".into()];
        }
        return Err(closest);
    }

    // The school year, for dates written without one: the workbook's own word first.
    let year = sheets
        .iter()
        .find_map(|(i, l)| l.declared_year(&doc.tables[*i]))
        .or_else(|| {
            sheets
                .iter()
                .find_map(|(i, l)| l.first_full_date(&doc.tables[*i]))
                .map(|d| d.school_year())
        })
        .or(options.annee_scolaire);
    let (year, year_guessed) = match year {
        Some(y) => (y, false),
        None => (options.today.school_year(), true),
    };

    let mut porteur: Option<(String, Source)> = None;
    let mut action: Option<(String, Source)> = None;
    let mut collectifs = Vec::new();
    for (i, layout) in &sheets {
        let table = &doc.tables[*i];
        let (mut c, inferred) = layout.read(table, year, options);
        if year_guessed && inferred {
            c.avertissements.push(format!(
                "{} : dates sans année, année scolaire {}-{} supposée (indiquez « Année scolaire : » dans l'en-tête)",
                table.name,
                year,
                year + 1
            ));
        }
        for (slot, found, label) in [
            (&mut porteur, &layout.porteur, "porteur"),
            (&mut action, &layout.action, "numéro d'action"),
        ] {
            let Some((value, source)) = found else {
                continue;
            };
            match slot {
                None => *slot = Some((value.clone(), source.clone())),
                Some((first, _)) if fold(first).trim() != fold(value).trim() => {
                    c.avertissements.push(format!(
                        "{} : {label} « {value} », différent de « {first} » sur une autre feuille",
                        layout.header_ref(table, label)
                    ));
                }
                Some(_) => {}
            }
        }
        collectifs.push(c);
    }

    let fields = dictionary::fields(FormKind::Presence)
        .iter()
        .map(|def| {
            let found = match def.id.as_str() {
                "porteur.nom" => porteur.clone(),
                "action.numero" => action.clone(),
                _ => None,
            };
            let (value, source, problem) = match found {
                Some((v, s)) => (Value::Text(v), Some(s), None),
                None => (Value::Null, None, Some(Problem::NotFound)),
            };
            FieldValue {
                id: def.id.clone(),
                kind: def.kind,
                value,
                source: source.map(Box::new),
                problem,
            }
        })
        .collect();

    Ok(Extraction {
        form: FormKind::Presence,
        mapping: MAPPING.to_string(),
        fields,
        collectifs: Some(collectifs),
        totaux: Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------------
// Labels

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderLabel {
    Porteur,
    Action,
    Collectif,
    Lieu,
    Accompagnateurs,
    Annee,
}

/// Letters and digits only, folded: « Action N° : » → `actionn°`.
fn squash(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '°')
        .collect()
}

fn header_label(text: &str) -> Option<HeaderLabel> {
    let k = squash(text);
    if k.is_empty() || k.len() > 40 {
        return None;
    }
    let starts = |p: &[&str]| p.iter().any(|p| k.starts_with(p));
    if starts(&["porteur", "nomduporteur", "structureporteuse", "organisme"]) || k == "structure" {
        Some(HeaderLabel::Porteur)
    } else if (k.starts_with("action") && k.len() <= 14)
        || starts(&[
            "n°action",
            "n°daction",
            "numerodaction",
            "numeroaction",
            "noaction",
        ])
    {
        Some(HeaderLabel::Action)
    } else if starts(&["collectif", "nomducollectif", "groupe"]) {
        Some(HeaderLabel::Collectif)
    } else if starts(&["lieu"]) {
        Some(HeaderLabel::Lieu)
    } else if starts(&["accompagnat", "intervenant", "encadr", "animat", "benevole"]) {
        Some(HeaderLabel::Accompagnateurs)
    } else if starts(&["anneescolaire"]) || k == "annee" {
        Some(HeaderLabel::Annee)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Nom,
    NomPrenom,
    Prenom,
    Niveau,
    Etablissement,
}

fn column_label(text: &str) -> Option<Column> {
    let k = squash(text);
    let starts = |p: &[&str]| p.iter().any(|p| k.starts_with(p));
    if starts(&["nomprenom", "nometprenom", "nomsetprenoms", "nomsprenoms"]) {
        Some(Column::NomPrenom)
    } else if matches!(
        k.as_str(),
        "nom" | "noms" | "nomdelenfant" | "nomenfant" | "nomdefamille" | "nomdelelevequot"
    ) || k == "nomdeleleve"
    {
        Some(Column::Nom)
    } else if starts(&["prenom"]) {
        Some(Column::Prenom)
    } else if starts(&["niveau", "classe"]) {
        Some(Column::Niveau)
    } else if starts(&["etablissement", "ecole", "college", "lycee"]) {
        Some(Column::Etablissement)
    } else {
        None
    }
}

/// The first word of a text, folded: « Total présents » → `total`.
fn first_word(text: &str) -> String {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_string()
}

/// Totals, counts and rates written beside or under the table. Whole words only: a child
/// named Sommer or Tauxier is a child.
fn is_total(text: &str) -> bool {
    let w = first_word(text);
    matches!(
        w.as_str(),
        "total"
            | "totaux"
            | "soustotal"
            | "sous"
            | "nombre"
            | "nbre"
            | "nb"
            | "effectif"
            | "effectifs"
            | "moyenne"
            | "taux"
            | "cumul"
            | "somme"
            | "presences"
            | "presents"
            | "absences"
            | "absents"
            | "pourcentage"
    ) || text.trim() == "%"
}

fn is_legend(text: &str) -> bool {
    matches!(first_word(text).as_str(), "legende" | "code" | "codes") || text.contains('=')
}

fn is_duration_label(text: &str) -> bool {
    let k = squash(text);
    k.starts_with("duree") || k.starts_with("nombredheures") || k.starts_with("heures")
}

// ---------------------------------------------------------------------------------------------
// Dates in column headings

/// What a session column's heading says.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Heading {
    Date(Date),
    /// Day and month, the year to infer from the school year.
    DayMonth(u32, u32),
    /// A day number: the month comes from the month row.
    Day(u32),
    /// A month (and year): a month row, or a month heading over day numbers.
    Month(Option<i32>, u32),
    Other,
}

const WEEKDAYS: [&str; 14] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lun", "mar", "mer",
    "jeu", "ven", "sam", "dim",
];

const MONTHS: [&str; 12] = [
    "janvier",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "decembre",
];

fn month_of(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    if word == "juil" {
        return Some(7);
    }
    let hits: Vec<usize> = MONTHS
        .iter()
        .enumerate()
        .filter(|(_, m)| m.starts_with(word))
        .map(|(i, _)| i)
        .collect();
    match hits.as_slice() {
        [i] => Some(*i as u32 + 1),
        // « juin » and « juillet » share « jui ».
        _ => None,
    }
}

/// Reads a column heading.
fn heading(cell: &Cell) -> Heading {
    match cell {
        Cell::Date(d) => Heading::Date(*d),
        Cell::Number(n) if n.fract() == 0.0 && (1.0..=31.0).contains(n) => Heading::Day(*n as u32),
        // A date that lost its format: an Excel serial number (1955 to 2064).
        Cell::Number(n) if n.fract() == 0.0 && (20_000.0..60_000.0).contains(n) => {
            Heading::Date(Date::from_days(*n as i64 - 25_569))
        }
        Cell::Text(t) => text_heading(t),
        _ => Heading::Other,
    }
}

fn text_heading(t: &str) -> Heading {
    let folded = fold(t);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // Weekday names (« lun. », « mardi ») say nothing more than the date; « mar » would
    // otherwise read as « mars ».
    let words: Vec<&str> = words
        .into_iter()
        .filter(|w| !WEEKDAYS.contains(w))
        .collect();
    if words.is_empty() || words.len() > 4 {
        return Heading::Other;
    }
    let rest = words.join(" ");
    if let Some(d) = parse_date(&rest) {
        return Heading::Date(d);
    }
    let nums: Vec<u32> = words
        .iter()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 4)
        .filter_map(|w| w.parse().ok())
        .collect();
    let alpha: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let month_word = match alpha.as_slice() {
        [] => None,
        [w] => match month_of(w) {
            Some(m) => Some(m),
            None => {
                // « 1er » is a day; anything else is not a date heading.
                if *w == "1er" {
                    return Heading::Day(1);
                }
                return Heading::Other;
            }
        },
        _ => return Heading::Other,
    };
    match (nums.as_slice(), month_word) {
        ([d, m], None) if (1..=31).contains(d) && (1..=12).contains(m) => Heading::DayMonth(*d, *m),
        ([d], None) if (1..=31).contains(d) => Heading::Day(*d),
        ([d], Some(m)) if (1..=31).contains(d) => Heading::DayMonth(*d, m),
        ([y], Some(m)) if *y >= 1000 => Heading::Month(Some(*y as i32), m),
        ([], Some(m)) => Heading::Month(None, m),
        _ => Heading::Other,
    }
}

/// The calendar year of a month in school year N (September to August).
fn year_of(month: u32, school_year: i32) -> i32 {
    if month >= 9 {
        school_year
    } else {
        school_year + 1
    }
}

/// « 2026-2027 », « 2026/2027 », « 2026 - 2027 »: the school year N.
fn school_year_in(text: &str) -> Option<i32> {
    let digits: Vec<(usize, i32)> = {
        let mut out = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if i - start == 4 {
                    let s: String = chars[start..i].iter().collect();
                    if let Ok(y) = s.parse() {
                        out.push((start, y));
                    }
                }
            } else {
                i += 1;
            }
        }
        out
    };
    digits
        .windows(2)
        .find(|w| w[1].1 == w[0].1 + 1 && w[1].0 - w[0].0 <= 8)
        .map(|w| w[0].1)
}

// ---------------------------------------------------------------------------------------------
// Session lengths

/// A length in hours: `1,5`, `1.5 h`, `1:30`, `1 h 30`, `1h`, `90 min`. A bare number above 12
/// is minutes.
fn parse_hours(cell: &Cell, minutes: bool) -> Option<f64> {
    let h = match cell {
        Cell::Number(n) if minutes => n / 60.0,
        Cell::Number(n) if *n > 12.0 => n / 60.0,
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let f: String = fold(t).chars().filter(|c| !c.is_whitespace()).collect();
            let f = f.replace(',', ".");
            if let Some((h, m)) = f.split_once(':') {
                let h: f64 = h.parse().ok()?;
                let m: f64 = m.split(':').next()?.parse().ok()?;
                h + m / 60.0
            } else if let Some(m) = f
                .strip_suffix("minutes")
                .or_else(|| f.strip_suffix("min"))
                .or_else(|| f.strip_suffix("mn"))
            {
                m.parse::<f64>().ok()? / 60.0
            } else if let Some((h, rest)) = f.split_once('h') {
                let h: f64 = h.parse().ok()?;
                let m = rest
                    .trim_start_matches("eures")
                    .trim_start_matches("eure")
                    .trim_end_matches("min")
                    .trim_end_matches("mn");
                if m.is_empty() {
                    h
                } else {
                    h + m.parse::<f64>().ok()? / 60.0
                }
            } else {
                let n: f64 = f.parse().ok()?;
                if minutes || n > 12.0 { n / 60.0 } else { n }
            }
        }
        _ => return None,
    };
    (h.is_finite() && h > 0.0 && h <= 12.0).then_some(h)
}

// ---------------------------------------------------------------------------------------------
// One sheet

struct Missing {
    score: f64,
    missing: Vec<String>,
}

/// Where things are on an attendance sheet.
struct Layout {
    /// The row of `Nom | Prénom | …`.
    header_row: usize,
    nom: usize,
    prenom: Option<usize>,
    niveau: Option<usize>,
    etablissement: Option<usize>,
    /// The last identity column: sessions are to its right.
    last_identity: usize,
    /// The row holding each session's day (the header row, or the one under a month heading).
    day_row: usize,
    /// Month row above the day row, per column (carried over merged or blank cells).
    months: Vec<Option<(Option<i32>, u32)>>,
    duration_row: Option<(usize, bool)>,
    first_child_row: usize,
    labels: Vec<(HeaderLabel, usize, usize, String)>,
    porteur: Option<(String, Source)>,
    action: Option<(String, Source)>,
}

fn cell(t: &Table, r: usize, c: usize) -> &Cell {
    static EMPTY: Cell = Cell::Empty;
    t.rows.get(r).and_then(|row| row.get(c)).unwrap_or(&EMPTY)
}

fn text(t: &Table, r: usize, c: usize) -> String {
    cell(t, r, c).text().trim().to_string()
}

fn width(t: &Table) -> usize {
    t.rows.iter().map(|r| r.len()).max().unwrap_or(0)
}

impl Layout {
    fn find(t: &Table, index: usize) -> Result<Layout, Missing> {
        let Some((header_row, cols)) = find_header_row(t) else {
            return Err(missing(t));
        };
        let get = |k: Column| cols.iter().find(|(c, _)| *c == k).map(|(_, i)| *i);
        let (nom, prenom) = match (
            get(Column::Nom),
            get(Column::Prenom),
            get(Column::NomPrenom),
        ) {
            (Some(n), p, _) => (n, p),
            (None, _, Some(np)) => (np, None),
            _ => return Err(missing(t)),
        };
        let niveau = get(Column::Niveau);
        let etablissement = get(Column::Etablissement);
        let last_identity = cols.iter().map(|(_, i)| *i).max().unwrap_or(nom);
        let w = width(t);

        // Month headings in the header row itself: the days are on the next row.
        let in_header = (last_identity + 1..w)
            .filter(|c| matches!(heading(cell(t, header_row, *c)), Heading::Month(..)))
            .count();
        let day_row = if in_header > 0 {
            header_row + 1
        } else {
            header_row
        };
        // The month row: the header row (when it holds them) or one of the two rows above.
        let month_row = if in_header > 0 {
            Some(header_row)
        } else {
            (header_row.saturating_sub(2)..header_row).rev().find(|r| {
                (last_identity + 1..w)
                    .any(|c| matches!(heading(cell(t, *r, c)), Heading::Month(..)))
            })
        };
        let mut months = vec![None; w];
        if let Some(mr) = month_row {
            let mut current = None;
            for (c, slot) in months.iter_mut().enumerate().skip(last_identity + 1) {
                match heading(cell(t, mr, c)) {
                    Heading::Month(y, m) => current = Some((y, m)),
                    Heading::Date(d) => current = Some((Some(d.year), d.month)),
                    _ if *cell(t, mr, c) != Cell::Empty => current = None,
                    _ => {}
                }
                *slot = current;
            }
        }

        // The `Durée (h)` row, right under the days (a blank row in between is tolerated).
        let mut duration_row = None;
        for r in day_row + 1..=day_row + 2 {
            let label = (0..=last_identity)
                .map(|c| text(t, r, c))
                .find(|s| !s.is_empty());
            if let Some(label) = label {
                if is_duration_label(&label) {
                    let k = squash(&label);
                    let minutes = k.contains("min") && !k.contains("h");
                    duration_row = Some((r, minutes));
                }
                break;
            }
        }
        let first_child_row = duration_row.map(|(r, _)| r + 1).unwrap_or(day_row + 1);

        let mut labels = Vec::new();
        for r in 0..header_row {
            let Some(c) = (0..t.rows[r].len()).find(|c| !text(t, r, *c).is_empty()) else {
                continue;
            };
            let first = text(t, r, c);
            // `Porteur : Association …` in one cell, or label then value.
            let (label, inline) = match first.split_once(':') {
                Some((l, v)) if !v.trim().is_empty() => (l.to_string(), Some(v.trim().to_string())),
                _ => (first.clone(), None),
            };
            let Some(kind) = header_label(&label) else {
                continue;
            };
            let value = match inline {
                Some(v) => Some((v, c)),
                None => (c + 1..t.rows[r].len())
                    .map(|cc| (text(t, r, cc), cc))
                    .find(|(s, _)| !s.is_empty()),
            };
            if let Some((v, vc)) = value {
                labels.push((kind, r, vc, v));
            } else {
                labels.push((kind, r, c, String::new()));
            }
        }
        let header_field = |kind: HeaderLabel, locator: &str| -> Option<(String, Source)> {
            labels
                .iter()
                .find(|l| l.0 == kind && !l.3.is_empty())
                .map(|(_, r, c, v)| {
                    (
                        v.clone(),
                        Source {
                            place: Place::Cell {
                                table: index + 1,
                                row: r + 1,
                                col: c + 1,
                            },
                            locator: format!(
                                "libellé « {locator} » ({})",
                                cell_ref(&t.name, *r, *c)
                            ),
                        },
                    )
                })
        };
        let porteur = header_field(HeaderLabel::Porteur, "Porteur :");
        let action = header_field(HeaderLabel::Action, "Action N° :");
        Ok(Layout {
            header_row,
            nom,
            prenom,
            niveau,
            etablissement,
            last_identity,
            day_row,
            months,
            duration_row,
            first_child_row,
            labels,
            porteur,
            action,
        })
    }

    fn header_ref(&self, t: &Table, what: &str) -> String {
        let kind = if what == "porteur" {
            HeaderLabel::Porteur
        } else {
            HeaderLabel::Action
        };
        self.labels
            .iter()
            .find(|l| l.0 == kind)
            .map(|(_, r, c, _)| cell_ref(&t.name, *r, *c))
            .unwrap_or_else(|| t.name.clone())
    }

    /// `Année scolaire : 2026-2027`, or a school year in a title above the table.
    fn declared_year(&self, t: &Table) -> Option<i32> {
        if let Some((_, _, _, v)) = self.labels.iter().find(|l| l.0 == HeaderLabel::Annee) {
            if let Some(y) = school_year_in(v) {
                return Some(y);
            }
            if let Some(crate::values::Number::Integer(y)) = parse_number(v)
                && (2000..2100).contains(&y)
            {
                return Some(y as i32);
            }
        }
        (0..self.header_row).find_map(|r| {
            t.rows[r]
                .iter()
                .filter_map(|c| match c {
                    Cell::Text(s) => school_year_in(s),
                    _ => None,
                })
                .next()
        })
    }

    fn first_full_date(&self, t: &Table) -> Option<Date> {
        (self.last_identity + 1..width(t)).find_map(|c| match heading(cell(t, self.day_row, c)) {
            Heading::Date(d) => Some(d),
            _ => match self.months.get(c).copied().flatten() {
                Some((Some(y), m)) => Date::new(y, m, 1),
                _ => None,
            },
        })
    }

    /// How many columns are headed by a date (or a day under a month).
    fn date_columns(&self, t: &Table) -> usize {
        (self.last_identity + 1..width(t))
            .filter(|c| match heading(cell(t, self.day_row, *c)) {
                Heading::Date(_) | Heading::DayMonth(..) => true,
                Heading::Day(_) => self.months.get(*c).copied().flatten().is_some(),
                _ => false,
            })
            .count()
    }

    /// The date of a session column, if it is one.
    fn column_date(&self, t: &Table, c: usize, year: i32) -> Result<Option<Date>, String> {
        let month = self.months.get(c).copied().flatten();
        let h = heading(cell(t, self.day_row, c));
        let h = match (h, month) {
            // Under a month row, a number is a day even where it could be a serial date.
            (Heading::Date(_), Some(_)) if matches!(cell(t, self.day_row, c), Cell::Number(_)) => {
                match cell(t, self.day_row, c) {
                    Cell::Number(n) => Heading::Day(*n as u32),
                    _ => h,
                }
            }
            _ => h,
        };
        let (y, m, d) = match h {
            Heading::Date(d) => return Ok(Some(d)),
            Heading::DayMonth(d, m) => (None, m, d),
            Heading::Day(d) => match month {
                Some((y, m)) => (y, m, d),
                None => return Ok(None),
            },
            Heading::Month(..) | Heading::Other => return Ok(None),
        };
        let y = y.unwrap_or_else(|| year_of(m, year));
        Date::new(y, m, d).map(Some).ok_or_else(|| {
            format!(
                "{} : « {} » n'est pas une date valide ({d}/{m}/{y}) : colonne ignorée",
                cell_ref(&t.name, self.day_row, c),
                text(t, self.day_row, c)
            )
        })
    }

    /// The collectif of this sheet, and whether a date needed the inferred school year.
    fn read(&self, t: &Table, year: i32, options: &Options) -> (Collectif, bool) {
        let mut warnings: Vec<String> = Vec::new();
        let w = width(t);
        let nom = self
            .labels
            .iter()
            .find(|l| l.0 == HeaderLabel::Collectif && !l.3.is_empty())
            .map(|l| l.3.clone())
            .unwrap_or_else(|| t.name.trim().to_string());

        // Children rows first: which rows are children decides which marks count.
        let mut child_rows = Vec::new();
        for r in self.first_child_row..t.rows.len() {
            let nom_t = text(t, r, self.nom);
            let prenom_t = self.prenom.map(|c| text(t, r, c)).unwrap_or_default();
            let first = (0..=self.last_identity)
                .map(|c| text(t, r, c))
                .find(|s| !s.is_empty())
                .unwrap_or_default();
            if nom_t.is_empty() && prenom_t.is_empty() {
                if first.is_empty() || is_total(&first) || is_legend(&first) {
                    // A blank row, a total row labelled elsewhere, a legend.
                    let marks = (self.last_identity + 1..w)
                        .filter(|c| matches!(parse_mark(cell(t, r, *c)), Ok(Some(_))))
                        .count();
                    if first.is_empty() && marks > 0 {
                        warnings.push(format!(
                            "{} : ligne {} : {marks} marque(s) sans nom d'enfant, non comptées",
                            t.name,
                            r + 1
                        ));
                    }
                }
                continue;
            }
            if is_total(&nom_t) || is_legend(&nom_t) || is_duration_label(&nom_t) {
                continue;
            }
            child_rows.push(r);
        }

        // Session columns.
        let mut uses_inferred = false;
        let mut sessions: Vec<(usize, Date)> = Vec::new();
        for c in self.last_identity + 1..w {
            let date = match self.column_date(t, c, year) {
                Ok(d) => d,
                Err(msg) => {
                    warnings.push(msg);
                    continue;
                }
            };
            let marks: Vec<(usize, Result<Option<Mark>, NotAMark>)> = child_rows
                .iter()
                .map(|r| (*r, parse_mark(cell(t, *r, c))))
                .collect();
            let valid = marks
                .iter()
                .filter(|(_, m)| matches!(m, Ok(Some(_))))
                .count();
            let head = text(t, self.day_row, c);
            let Some(date) = date else {
                let head_above = self
                    .months
                    .get(c)
                    .copied()
                    .flatten()
                    .is_some()
                    .then(String::new)
                    .unwrap_or_else(|| text(t, self.header_row, c));
                let label = if head.is_empty() { head_above } else { head };
                if valid > 0 && !is_total(&label) && squash(&label).is_empty() {
                    warnings.push(format!(
                        "{} : colonne sans date de séance mais avec {valid} marque(s) : colonne ignorée",
                        cell_ref(&t.name, self.day_row, c)
                    ));
                } else if valid > 0 && !is_total(&label) && looks_like_session(&label) {
                    warnings.push(format!(
                        "{} : en-tête « {} » : pas une date lisible, colonne ignorée",
                        cell_ref(&t.name, self.day_row, c),
                        short(&label)
                    ));
                }
                continue;
            };
            if !matches!(heading(cell(t, self.day_row, c)), Heading::Date(_))
                && !matches!(self.months.get(c).copied().flatten(), Some((Some(_), _)))
            {
                uses_inferred = true;
            }
            if valid == 0 {
                let written: Vec<String> = marks
                    .iter()
                    .filter(|(_, m)| m.is_err())
                    .map(|(r, _)| text(t, *r, c))
                    .collect();
                let why = match written.first() {
                    Some(s) => format!("aucune marque lisible (« {} »)", short(s)),
                    None => "aucune marque".to_string(),
                };
                if !child_rows.is_empty() {
                    warnings.push(format!(
                        "{} : séance du {} : {why}, séance non comptée",
                        cell_ref(&t.name, self.day_row, c),
                        date.french()
                    ));
                }
                continue;
            }
            for (r, m) in &marks {
                if m.is_err() {
                    warnings.push(format!(
                        "{} : marque illisible « {} » (attendu P, A, E ou vide) : non comptée",
                        cell_ref(&t.name, *r, c),
                        short(&text(t, *r, c))
                    ));
                }
            }
            sessions.push((c, date));
        }

        let seances = sessions
            .iter()
            .map(|(c, date)| {
                let duree = match self.duration_row {
                    Some((r, minutes)) => match cell(t, r, *c) {
                        Cell::Empty => options.duree_defaut_h,
                        v => parse_hours(v, minutes).unwrap_or_else(|| {
                            warnings.push(format!(
                                "{} : durée illisible « {} » : {} retenue",
                                cell_ref(&t.name, r, *c),
                                short(&v.text()),
                                crate::values::format_number(options.duree_defaut_h) + " h"
                            ));
                            options.duree_defaut_h
                        }),
                    },
                    None => options.duree_defaut_h,
                };
                Seance {
                    date: *date,
                    duree_h: Some(duree),
                }
            })
            .collect();

        let enfants = child_rows
            .iter()
            .map(|r| {
                let mut e = Enfant {
                    nom: text(t, *r, self.nom),
                    prenom: self.prenom.map(|c| text(t, *r, c)).unwrap_or_default(),
                    niveau: self.niveau.map(|c| text(t, *r, c)).unwrap_or_default(),
                    etablissement: self
                        .etablissement
                        .map(|c| text(t, *r, c))
                        .unwrap_or_default(),
                    present: 0,
                    absent: 0,
                    excuse: 0,
                };
                for (c, _) in &sessions {
                    match parse_mark(cell(t, *r, *c)) {
                        Ok(Some(Mark::Present)) => e.present += 1,
                        Ok(Some(Mark::Absent)) => e.absent += 1,
                        Ok(Some(Mark::Excuse)) => e.excuse += 1,
                        _ => {}
                    }
                }
                e
            })
            .collect();

        let mut avertissements = warnings;
        avertissements.dedup();
        (
            Collectif {
                nom,
                seances,
                enfants,
                avertissements,
            },
            uses_inferred,
        )
    }
}

fn looks_like_session(label: &str) -> bool {
    let k = squash(label);
    k.starts_with("seance")
        || k.starts_with("date")
        || k.starts_with("jour")
        || k.chars().any(|c| c.is_ascii_digit())
}

/// What a respondent wrote, cut short: warnings quote marks, never whole cells.
fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 20 {
        format!("{}…", s.chars().take(20).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The row `Nom | Prénom | …`, and where each of its columns is.
fn find_header_row(t: &Table) -> Option<(usize, Vec<(Column, usize)>)> {
    for (r, row) in t.rows.iter().enumerate() {
        let mut cols: Vec<(Column, usize)> = Vec::new();
        for (c, v) in row.iter().enumerate() {
            let Cell::Text(s) = v else { continue };
            if let Some(k) = column_label(s)
                && !cols.iter().any(|(x, _)| *x == k)
            {
                // The identity columns come before the sessions, close together.
                if let Some((_, last)) = cols.last()
                    && c > last + 3
                {
                    break;
                }
                if cols.is_empty() && !matches!(k, Column::Nom | Column::NomPrenom) {
                    continue;
                }
                cols.push((k, c));
            }
        }
        let has_name = cols
            .iter()
            .any(|(k, _)| matches!(k, Column::Nom | Column::NomPrenom));
        let has_first = cols.iter().any(|(k, _)| *k == Column::Prenom)
            || cols.iter().any(|(k, _)| *k == Column::NomPrenom);
        if has_name && has_first {
            return Some((r, cols));
        }
    }
    None
}

/// What a sheet that is not an attendance sheet lacks.
fn missing(t: &Table) -> Missing {
    let mut found_labels = Vec::new();
    let mut found_cols = Vec::new();
    for row in &t.rows {
        for v in row {
            if let Cell::Text(s) = v {
                let label = s.split(':').next().unwrap_or(s);
                if let Some(l) = header_label(label)
                    && !found_labels.contains(&l)
                {
                    found_labels.push(l);
                }
                if let Some(c) = column_label(s)
                    && !found_cols.contains(&c)
                {
                    found_cols.push(c);
                }
            }
        }
    }
    let mut missing = Vec::new();
    for (l, name) in [
        (HeaderLabel::Porteur, "« Porteur : »"),
        (HeaderLabel::Action, "« Action N° : »"),
        (HeaderLabel::Collectif, "« Collectif : »"),
        (HeaderLabel::Lieu, "« Lieu : »"),
        (HeaderLabel::Accompagnateurs, "« Accompagnateurs : »"),
    ] {
        if !found_labels.contains(&l) {
            missing.push(name.to_string());
        }
    }
    for (c, name) in [
        (Column::Nom, "colonne « Nom »"),
        (Column::Prenom, "colonne « Prénom »"),
        (Column::Niveau, "colonne « Niveau »"),
        (Column::Etablissement, "colonne « Établissement »"),
    ] {
        if !found_cols.contains(&c) {
            missing.push(name.to_string());
        }
    }
    Missing {
        score: (9 - missing.len()) as f64 / 9.0,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }
    fn n(x: f64) -> Cell {
        Cell::Number(x)
    }
    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }
    fn doc(sheets: Vec<(&str, Vec<Vec<Cell>>)>) -> Document {
        Document {
            format: Format::Spreadsheet,
            tables: sheets
                .into_iter()
                .map(|(name, rows)| Table {
                    name: name.into(),
                    rows,
                })
                .collect(),
            ..Document::default()
        }
    }
    fn row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|s| if s.is_empty() { Cell::Empty } else { t(s) })
            .collect()
    }
    fn opts() -> Options {
        Options {
            duree_defaut_h: 1.5,
            annee_scolaire: Some(2030),
            ..Options::default()
        }
    }

    #[test]
    fn marks_in_every_spelling() {
        for s in [
            "P",
            "p",
            "X",
            "x",
            "1",
            "✓",
            "✔",
            "présent",
            " P ",
            "Présente",
        ] {
            assert_eq!(parse_mark(&t(s)), Ok(Some(Mark::Present)), "{s}");
        }
        for s in ["A", "a", "0", "abs", "ABS", "Abs.", "absent", "Absente"] {
            assert_eq!(parse_mark(&t(s)), Ok(Some(Mark::Absent)), "{s}");
        }
        for s in ["E", "e", "excusé", "Excusée", "AE", "abs. exc."] {
            assert_eq!(parse_mark(&t(s)), Ok(Some(Mark::Excuse)), "{s}");
        }
        assert_eq!(parse_mark(&n(1.0)), Ok(Some(Mark::Present)));
        assert_eq!(parse_mark(&n(0.0)), Ok(Some(Mark::Absent)));
        assert_eq!(parse_mark(&Cell::Bool(true)), Ok(Some(Mark::Present)));
        assert_eq!(parse_mark(&Cell::Empty), Ok(None));
        for bad in [
            t("?"),
            t("R"),
            t("malade"),
            n(2.0),
            n(0.5),
            Cell::Date(d(2026, 11, 2)),
        ] {
            assert_eq!(parse_mark(&bad), Err(NotAMark), "{bad:?}");
        }
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(heading(&t("14/11/2026")), Heading::Date(d(2026, 11, 14)));
        assert_eq!(
            heading(&t("lun. 16/11/2026")),
            Heading::Date(d(2026, 11, 16))
        );
        // « mar. » is Tuesday, not March.
        assert_eq!(
            heading(&t("mar. 17/11/2026")),
            Heading::Date(d(2026, 11, 17))
        );
        assert_eq!(
            heading(&t("Mardi 17 novembre 2026")),
            Heading::Date(d(2026, 11, 17))
        );
        assert_eq!(heading(&t("17.11.26")), Heading::Date(d(2026, 11, 17)));
        assert_eq!(heading(&t("14/11")), Heading::DayMonth(14, 11));
        assert_eq!(heading(&t("jeu. 14/01")), Heading::DayMonth(14, 1));
        assert_eq!(heading(&t("14 nov.")), Heading::DayMonth(14, 11));
        assert_eq!(heading(&t("novembre 2026")), Heading::Month(Some(2026), 11));
        assert_eq!(heading(&t("Décembre")), Heading::Month(None, 12));
        assert_eq!(heading(&t("3")), Heading::Day(3));
        assert_eq!(heading(&n(3.0)), Heading::Day(3));
        assert_eq!(heading(&t("1er")), Heading::Day(1));
        assert_eq!(
            heading(&Cell::Date(d(2026, 11, 2))),
            Heading::Date(d(2026, 11, 2))
        );
        // An Excel serial number that lost its date format.
        assert_eq!(heading(&n(46328.0)), Heading::Date(d(2026, 11, 2)));
        for other in ["Total", "Total P", "Séance 1", "%", "Observations", ""] {
            assert_eq!(heading(&t(other)), Heading::Other, "{other}");
        }
        assert_eq!(year_of(11, 2026), 2026);
        assert_eq!(year_of(1, 2026), 2027);
        assert_eq!(school_year_in("Cahier de présence 2026-2027"), Some(2026));
        assert_eq!(school_year_in("année 2026 / 2027"), Some(2026));
        assert_eq!(school_year_in("2026"), None);
    }

    #[test]
    fn session_lengths() {
        for (s, h) in [
            ("1,5", 1.5),
            ("1.5", 1.5),
            ("1:30", 1.5),
            ("01:30", 1.5),
            ("1 h 30", 1.5),
            ("1h30", 1.5),
            ("2 h", 2.0),
            ("2 heures", 2.0),
            ("90 min", 1.5),
            ("1,5 h", 1.5),
        ] {
            assert_eq!(parse_hours(&t(s), false), Some(h), "{s}");
        }
        assert_eq!(parse_hours(&n(1.5), false), Some(1.5));
        assert_eq!(parse_hours(&n(90.0), false), Some(1.5));
        assert_eq!(parse_hours(&n(90.0), true), Some(1.5));
        assert_eq!(parse_hours(&t("une heure"), false), None);
        assert_eq!(parse_hours(&n(0.0), false), None);
    }

    #[test]
    fn excel_references() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(51), "AZ");
        assert_eq!(column_letters(52), "BA");
        assert_eq!(cell_ref("Collectif A", 6, 5), "Collectif A!F7");
    }

    fn enfant(p: u32, a: u32, e: u32) -> Enfant {
        Enfant {
            nom: "N".into(),
            prenom: "P".into(),
            niveau: String::new(),
            etablissement: String::new(),
            present: p,
            absent: a,
            excuse: e,
        }
    }

    #[test]
    fn figures_of_a_collectif() {
        let s = |day: u32, h: f64| Seance {
            date: d(2026, 11, day),
            duree_h: Some(h),
        };
        // Weeks: 2-8 Nov (2 sessions), 9-15 (1: 11 Nov), 16-22 (2), 23-29 (3).
        let c = Collectif {
            nom: "X".into(),
            seances: vec![
                s(2, 1.5),
                s(5, 1.5),
                s(9, 1.0),
                s(16, 2.0),
                s(19, 1.5),
                s(23, 1.5),
                s(24, 1.5),
                s(26, 1.5),
            ],
            enfants: vec![
                enfant(6, 2, 0),
                enfant(1, 2, 1),
                enfant(2, 2, 0),
                enfant(0, 0, 0),
            ],
            avertissements: Vec::new(),
        };
        let f = figures(&c);
        assert_eq!(f.nombre_enfants, 3, "a child without marks is not counted");
        assert_eq!(f.nombre_seances, 8);
        assert_eq!(f.semaines_avec_seance, 4);
        assert_eq!(f.seances_par_semaine, Some(2.0), "median of 1, 2, 2, 3");
        assert_eq!(f.duree_moyenne_h, Some(12.0 / 8.0));
        assert_eq!(f.taux_presence, Some(9.0 / 16.0));
        assert_eq!(f.enfants_moins_50, 1, "exactly 50 % is not under 50 %");
        assert_eq!(
            sessions_by_week(&c),
            vec![
                (d(2026, 11, 2), 2),
                (d(2026, 11, 9), 1),
                (d(2026, 11, 16), 2),
                (d(2026, 11, 23), 3)
            ]
        );
        let empty = figures(&Collectif::default());
        assert_eq!(empty.seances_par_semaine, None);
        assert_eq!(empty.taux_presence, None);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["taux_presence"], serde_json::json!(0.5625));
        assert_eq!(json["seances_par_semaine"], serde_json::json!(2.0));
        assert!(json.get("avertissements").is_none());
    }

    #[test]
    fn reference_layout() {
        let x = extract(
            &doc(vec![
                (
                    "Instructions",
                    vec![row(&["Remplissez une feuille par collectif."])],
                ),
                (
                    "Collectif A",
                    vec![
                        row(&["Porteur :", "Association Les Petits Savants"]),
                        vec![t("Action N° :"), n(1.0)],
                        row(&["Collectif :", "CP-CE1"]),
                        row(&["Lieu :", "Salle des fêtes"]),
                        row(&["Accompagnateurs :", "Mme A, M. B"]),
                        vec![],
                        vec![
                            t("Nom"),
                            t("Prénom"),
                            t("Niveau"),
                            t("Établissement"),
                            Cell::Date(d(2026, 11, 2)),
                            Cell::Date(d(2026, 11, 5)),
                        ],
                        vec![
                            t("Durée (h)"),
                            Cell::Empty,
                            Cell::Empty,
                            Cell::Empty,
                            n(2.0),
                        ],
                        row(&["Martin", "Léa", "CP", "École A", "P", "A"]),
                        row(&["Durand", "Hugo", "CE1", "École A", "E", "P"]),
                        vec![],
                        vec![],
                    ],
                ),
            ]),
            &opts(),
        )
        .unwrap();
        assert_eq!(x.form, FormKind::Presence);
        assert_eq!(x.mapping, MAPPING);
        assert_eq!(
            x.value("porteur.nom").as_text(),
            Some("Association Les Petits Savants")
        );
        assert_eq!(x.value("action.numero").as_text(), Some("1"));
        let src = x.get("porteur.nom").unwrap().source.as_ref().unwrap();
        assert_eq!(
            src.place,
            Place::Cell {
                table: 2,
                row: 1,
                col: 2
            }
        );
        let c = &x.collectifs.as_ref().unwrap()[0];
        assert_eq!(
            x.collectifs.as_ref().unwrap().len(),
            1,
            "instructions are ignored"
        );
        assert_eq!(c.nom, "CP-CE1");
        assert_eq!(
            c.seances,
            vec![
                Seance {
                    date: d(2026, 11, 2),
                    duree_h: Some(2.0)
                },
                Seance {
                    date: d(2026, 11, 5),
                    duree_h: Some(1.5)
                },
            ]
        );
        assert_eq!(c.enfants.len(), 2);
        assert_eq!(
            (
                c.enfants[0].present,
                c.enfants[0].absent,
                c.enfants[0].excuse
            ),
            (1, 1, 0)
        );
        assert_eq!(
            (
                c.enfants[1].present,
                c.enfants[1].absent,
                c.enfants[1].excuse
            ),
            (1, 0, 1)
        );
        assert_eq!(c.enfants[1].niveau, "CE1");
        assert_eq!(c.enfants[1].etablissement, "École A");
        assert!(c.avertissements.is_empty(), "{:?}", c.avertissements);
    }

    #[test]
    fn month_row_written_once_over_day_numbers() {
        // As an .ods gives it: the merged month only in its first cell.
        let x = extract(
            &doc(vec![(
                "Groupe",
                vec![
                    row(&["CAHIER DE PRÉSENCE"]),
                    row(&["Porteur : MJC"]),
                    row(&["Action n°", "2"]),
                    vec![],
                    row(&[
                        "",
                        "",
                        "",
                        "",
                        "novembre 2026",
                        "",
                        "décembre",
                        "",
                        "janvier",
                    ]),
                    vec![
                        t("Nom"),
                        t("Prénom"),
                        t("Niveau"),
                        t("Établissement"),
                        n(26.0),
                        n(30.0),
                        n(3.0),
                        t("7"),
                        n(4.0),
                        t("Total"),
                    ],
                    vec![
                        t("A"),
                        t("B"),
                        t("CP"),
                        t("X"),
                        t("P"),
                        t("P"),
                        t("P"),
                        t("A"),
                        t("P"),
                        n(4.0),
                    ],
                    vec![
                        t("Total présents"),
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        n(1.0),
                        n(1.0),
                        n(1.0),
                        n(0.0),
                        n(1.0),
                    ],
                ],
            )]),
            &opts(),
        )
        .unwrap();
        let c = &x.collectifs.as_ref().unwrap()[0];
        let dates: Vec<Date> = c.seances.iter().map(|s| s.date).collect();
        // « décembre » and « janvier » without a year: the year of the first full date.
        assert_eq!(
            dates,
            vec![
                d(2026, 11, 26),
                d(2026, 11, 30),
                d(2026, 12, 3),
                d(2026, 12, 7),
                d(2027, 1, 4)
            ]
        );
        assert_eq!(
            c.nom, "Groupe",
            "no « Collectif : » label: the sheet's name"
        );
        assert_eq!(c.enfants.len(), 1, "the total row is not a child");
        assert_eq!(c.enfants[0].present, 4);
        assert_eq!(x.value("porteur.nom").as_text(), Some("MJC"));
        assert_eq!(x.value("action.numero").as_text(), Some("2"));
        assert!(c.avertissements.is_empty(), "{:?}", c.avertissements);
    }

    #[test]
    fn month_heading_in_the_header_row_with_days_below() {
        let x = extract(
            &doc(vec![(
                "S",
                vec![
                    row(&["Porteur :", "P"]),
                    row(&[
                        "Nom",
                        "Prénom",
                        "Niveau",
                        "Établissement",
                        "Novembre 2026",
                        "",
                        "Décembre 2026",
                    ]),
                    vec![
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        Cell::Empty,
                        n(2.0),
                        n(5.0),
                        n(1.0),
                    ],
                    row(&["Durée (h)", "", "", "", "1:30", "1 h 30", "2"]),
                    row(&["A", "B", "CM1", "X", "x", "abs", "E"]),
                ],
            )]),
            &opts(),
        )
        .unwrap();
        let c = &x.collectifs.as_ref().unwrap()[0];
        assert_eq!(
            c.seances,
            vec![
                Seance {
                    date: d(2026, 11, 2),
                    duree_h: Some(1.5)
                },
                Seance {
                    date: d(2026, 11, 5),
                    duree_h: Some(1.5)
                },
                Seance {
                    date: d(2026, 12, 1),
                    duree_h: Some(2.0)
                },
            ]
        );
        assert_eq!(
            (
                c.enfants[0].present,
                c.enfants[0].absent,
                c.enfants[0].excuse
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn dates_without_year_take_the_declared_school_year() {
        let sheet = |year: Option<&str>| {
            let mut rows = vec![row(&["Porteur :", "P"]), row(&["Action N° :", "7"])];
            if let Some(y) = year {
                rows.push(row(&["Année scolaire :", y]));
            }
            rows.push(row(&[
                "Nom",
                "Prénom",
                "Niveau",
                "Établissement",
                "lun. 16/11",
                "jeu. 14/01",
            ]));
            rows.push(row(&["A", "B", "6e", "C", "P", "P"]));
            doc(vec![("S", rows)])
        };
        let dates = |x: &Extraction| -> Vec<Date> {
            x.collectifs.as_ref().unwrap()[0]
                .seances
                .iter()
                .map(|s| s.date)
                .collect()
        };
        let x = extract(&sheet(Some("2026-2027")), &opts()).unwrap();
        assert_eq!(dates(&x), vec![d(2026, 11, 16), d(2027, 1, 14)]);
        // Nothing in the workbook: the configured year.
        let x = extract(&sheet(None), &opts()).unwrap();
        assert_eq!(dates(&x), vec![d(2030, 11, 16), d(2031, 1, 14)]);
        assert!(x.collectifs.as_ref().unwrap()[0].avertissements.is_empty());
        // Nothing configured either: the current school year, said in a warning.
        let x = extract(&sheet(None), &Options::default()).unwrap();
        let c = &x.collectifs.as_ref().unwrap()[0];
        assert_eq!(c.seances.len(), 2);
        assert!(
            c.avertissements[0].contains("supposée"),
            "{:?}",
            c.avertissements
        );
    }

    #[test]
    fn shifted_layout_blank_columns_rows_and_totals() {
        let e = Cell::Empty;
        let x = extract(
            &doc(vec![(
                "Feuil1",
                vec![
                    vec![e.clone(), t("CAHIER DE PRÉSENCE"), t("CAHIER DE PRÉSENCE")],
                    vec![],
                    vec![],
                    vec![e.clone(), t("PORTEUR :"), t("Les Curieux")],
                    vec![],
                    vec![e.clone(), t("Action n°:"), t("3")],
                    vec![],
                    vec![],
                    vec![
                        e.clone(),
                        t("Nom"),
                        t("Prénom"),
                        t("Niveau"),
                        t("Établissement"),
                        e.clone(),
                        t("02/11/2026"),
                        t("05/11/2026"),
                        t("09/11/2026"),
                        t("Total P"),
                    ],
                    vec![
                        e.clone(),
                        t("A"),
                        t("B"),
                        t("CP"),
                        t("X"),
                        e.clone(),
                        t("P"),
                        t("?"),
                        t("P"),
                        n(2.0),
                    ],
                    vec![],
                    vec![
                        e.clone(),
                        t("C"),
                        t("D"),
                        t("CP"),
                        t("X"),
                        e.clone(),
                        t("A"),
                        t("P"),
                        t("férié"),
                        n(1.0),
                    ],
                    vec![
                        e.clone(),
                        e.clone(),
                        e.clone(),
                        e.clone(),
                        e.clone(),
                        e.clone(),
                        t("P"),
                    ],
                    vec![e.clone(), t("Légende : P = présent")],
                ],
            )]),
            &opts(),
        )
        .unwrap();
        let c = &x.collectifs.as_ref().unwrap()[0];
        assert_eq!(x.value("porteur.nom").as_text(), Some("Les Curieux"));
        assert_eq!(c.seances.len(), 3);
        assert_eq!(c.enfants.len(), 2);
        assert_eq!((c.enfants[0].present, c.enfants[0].absent), (2, 0));
        assert_eq!((c.enfants[1].present, c.enfants[1].absent), (1, 1));
        assert_eq!(c.avertissements.len(), 3, "{:?}", c.avertissements);
        assert!(c.avertissements[0].starts_with("Feuil1 : ligne 13 : 1 marque(s) sans nom"));
        assert!(c.avertissements[1].starts_with("Feuil1!H10 : marque illisible « ? »"));
        assert!(c.avertissements[2].starts_with("Feuil1!I12 : marque illisible « férié »"));
        for w in &c.avertissements {
            for name in ["A", "B", "C", "D"].map(|n| format!(" {n} ")) {
                assert!(!w.contains(&name), "a warning names a child: {w}");
            }
        }
    }

    #[test]
    fn a_session_without_any_mark_is_not_counted() {
        let x = extract(
            &doc(vec![(
                "S",
                vec![
                    row(&[
                        "Nom",
                        "Prénom",
                        "Niveau",
                        "Établissement",
                        "09/11/2026",
                        "11/11/2026",
                        "12/11/2026",
                    ]),
                    row(&["A", "B", "CP", "X", "P", "", "P"]),
                    row(&["C", "D", "CP", "X", "A", "", "P"]),
                ],
            )]),
            &opts(),
        )
        .unwrap();
        let c = &x.collectifs.as_ref().unwrap()[0];
        assert_eq!(c.seances.len(), 2);
        assert_eq!(c.avertissements.len(), 1);
        assert!(
            c.avertissements[0].contains("11/11/2026"),
            "{:?}",
            c.avertissements
        );
        assert!(
            c.avertissements[0].starts_with("S!F1 "),
            "{:?}",
            c.avertissements
        );
    }

    #[test]
    fn totals_and_legends_are_whole_words() {
        for total in [
            "Total",
            "TOTAL présents",
            "Sous-total",
            "Nb présences",
            "Taux",
            "%",
            "Présents",
        ] {
            assert!(is_total(total), "{total}");
        }
        for name in ["Sommer", "Tauxier", "Nbaye", "Totti", "Présent-Martin"] {
            assert!(!is_total(name), "{name}");
        }
        assert!(is_legend("Légende : P = présent"));
        assert!(!is_legend("Codet"));
    }

    #[test]
    fn a_summary_sheet_is_not_a_collectif() {
        let x = extract(
            &doc(vec![
                (
                    "Collectif A",
                    vec![
                        row(&["Nom", "Prénom", "Niveau", "Établissement", "09/11/2026"]),
                        row(&["A", "B", "CP", "X", "P"]),
                    ],
                ),
                (
                    "Récapitulatif",
                    vec![
                        row(&[
                            "Nom",
                            "Prénom",
                            "Niveau",
                            "Établissement",
                            "Présences",
                            "Taux",
                        ]),
                        vec![t("A"), t("B"), t("CP"), t("X"), n(1.0), n(1.0)],
                    ],
                ),
            ]),
            &opts(),
        )
        .unwrap();
        let c = x.collectifs.unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].nom, "Collectif A");
    }

    #[test]
    fn not_an_attendance_workbook() {
        let e = extract(
            &doc(vec![(
                "Budget",
                vec![row(&["Produit", "Prix"]), row(&["Pommes", "2,5"])],
            )]),
            &opts(),
        )
        .unwrap_err();
        assert_eq!(e.sheet.as_deref(), Some("Budget"));
        assert!(e.missing.contains(&"colonne « Nom »".to_string()));
        assert!(e.to_string().contains("n'est pas un cahier de présence"));
        let e = extract(&doc(vec![]), &opts()).unwrap_err();
        assert_eq!(e.score, 0.0);
    }
}
