//! Applying a mapping to a document: recognise the form, locate each question, read its answer.

use serde_json::{Map, Value as Json};

use super::locate::{BOX, Flat, Match};
use super::ticks;
use super::{Extraction, FieldValue, LevelTotal, Problem, Source, Value};
use crate::dictionary::FieldType;
use crate::document::{Cell, Check, Document, FieldContent, Place};
use crate::mapping::{FieldLocator, Mapping, TableSpec};
use crate::text::{fold, fold_char, is_alnum, is_leader};
use crate::values::{Number, parse_date, parse_number};

/// Where a mapping's wording was found in one document.
pub struct Located<'m> {
    pub mapping: &'m Mapping,
    /// Per section of the mapping: its norm range, when its heading was found.
    pub sections: Vec<Option<(usize, usize)>>,
    /// Per field of the mapping: where its label was found, and which label.
    pub labels: Vec<Option<(Match, usize)>>,
    /// The recognition phrases that were not found.
    pub missing_phrases: Vec<String>,
    boundaries: Vec<usize>,
}

impl Located<'_> {
    /// Share of the fields with a label whose label was found.
    pub fn score(&self) -> f64 {
        let with_labels: Vec<_> = self
            .mapping
            .fields
            .iter()
            .zip(&self.labels)
            .filter(|(f, _)| !f.labels.is_empty())
            .collect();
        if with_labels.is_empty() {
            return 0.0;
        }
        with_labels.iter().filter(|(_, l)| l.is_some()).count() as f64 / with_labels.len() as f64
    }

    pub(crate) fn recognised(&self) -> bool {
        self.missing_phrases.is_empty() && self.score() >= self.mapping.min_labels
    }

    /// Labels of the mapping not found in the document.
    pub fn missing_labels(&self) -> Vec<(&str, &str)> {
        self.mapping
            .fields
            .iter()
            .zip(&self.labels)
            .filter(|(f, l)| l.is_none() && !f.labels.is_empty())
            .map(|(f, _)| (f.id.as_str(), f.labels[0].0.as_str()))
            .collect()
    }
}

/// Where the mapping's wording stands in the document. Unless `explain`, a mapping whose
/// recognition phrases are missing is not searched further.
pub fn locate<'m>(flat: &Flat, mapping: &'m Mapping, explain: bool) -> Located<'m> {
    let n = flat.norm_len();
    // Approximately only when some phrase is there exactly: another form is rejected fast.
    let exact: Vec<bool> = mapping
        .recognize
        .iter()
        .map(|(_, key)| flat.find_exact(key, 0, n).is_some())
        .collect();
    let any_exact = exact.contains(&true);
    let missing_phrases: Vec<String> = mapping
        .recognize
        .iter()
        .zip(&exact)
        .filter(|((_, key), found)| {
            !**found && (!any_exact || flat.find_approx(key, 0, n).is_none())
        })
        .map(|((text, _), _)| text.clone())
        .collect();
    if !missing_phrases.is_empty() && !explain {
        // Not this form: no need to look for its questions.
        let labels = vec![None; mapping.fields.len()];
        let sections = vec![None; mapping.sections.len()];
        return Located {
            mapping,
            sections,
            labels,
            missing_phrases,
            boundaries: Vec::new(),
        };
    }

    let mut boundaries = Vec::new();
    // Sections in order; a heading not found leaves its questions to the part before it.
    let mut starts: Vec<Option<Match>> = Vec::new();
    let mut cursor = 0;
    for (_, _, key) in &mapping.sections {
        if key.is_empty() {
            starts.push(Some(Match {
                start: cursor,
                end: cursor,
                exact: true,
            }));
            continue;
        }
        let m = flat.find(key, cursor, n);
        if let Some(m) = m {
            cursor = m.end;
            boundaries.push(m.start);
        }
        starts.push(m);
    }
    let sections: Vec<Option<(usize, usize)>> = (0..starts.len())
        .map(|i| {
            let m = starts[i]?;
            let end = starts[i + 1..]
                .iter()
                .flatten()
                .map(|s| s.start)
                .next()
                .unwrap_or(n);
            // From the heading's start: a question may be worded as its part's heading.
            Some((m.start, end))
        })
        .collect();
    let range_of = |section: &str| -> (usize, usize) {
        let i = mapping
            .sections
            .iter()
            .position(|s| s.0 == section)
            .unwrap_or(0);
        // A section whose heading is missing is searched from the last one found before it.
        (0..=i)
            .rev()
            .find_map(|j| sections[j])
            .map(|(s, _)| {
                (
                    s,
                    sections[i..]
                        .iter()
                        .flatten()
                        .map(|r| r.1)
                        .next()
                        .unwrap_or(n),
                )
            })
            .unwrap_or((0, n))
    };

    let mut labels = Vec::with_capacity(mapping.fields.len());
    let mut cursors: Vec<usize> = Vec::new();
    for field in &mapping.fields {
        let (s, e) = range_of(&field.section);
        let si = mapping
            .sections
            .iter()
            .position(|x| x.0 == field.section)
            .unwrap_or(0);
        if cursors.len() <= si {
            cursors.resize(mapping.sections.len(), 0);
        }
        let from = cursors[si].max(s);
        // In order from the previous question, then anywhere in its part, then approximately.
        let found = field.labels.iter().enumerate().find_map(|(li, (_, key))| {
            flat.find_exact(key, from, e)
                .or_else(|| flat.find_exact(key, s, e))
                .or_else(|| flat.find_approx(key, from, e))
                .map(|m| (m, li))
        });
        if let Some((m, _)) = found {
            cursors[si] = m.end;
            boundaries.push(m.start);
        }
        labels.push(found);
    }
    for stop in &mapping.stops {
        let mut from = 0;
        while let Some(m) = flat.find_exact(stop, from, n) {
            boundaries.push(m.start);
            from = m.end;
        }
    }
    boundaries.sort_unstable();
    Located {
        mapping,
        sections,
        labels,
        missing_phrases,
        boundaries,
    }
}

/// Reads every field of the mapping from the document.
pub(crate) fn extract(doc: &Document, flat: &Flat, located: &Located) -> Extraction {
    let mapping = located.mapping;
    let mut totaux = Vec::new();
    // Which fields were answered by a tick typed as a letter.
    let mut typed_ticks = vec![false; mapping.fields.len()];
    let mut fields: Vec<FieldValue> = mapping
        .fields
        .iter()
        .zip(&located.labels)
        .enumerate()
        .map(|(i, (field, label))| {
            if let Some(spec) = &field.table {
                let (rows, totals, place) = read_table(doc, spec);
                totaux = totals;
                return FieldValue {
                    id: field.id.clone(),
                    kind: field.kind,
                    value: Value::Table(rows),
                    source: place.map(|place| {
                        Box::new(Source {
                            place,
                            locator: format!("tableau à l'en-tête « {} »", spec.header),
                        })
                    }),
                    problem: None,
                };
            }
            if let Some(v) = by_name(doc, field) {
                return v;
            }
            match label {
                Some((m, li)) => {
                    let (value, typed) = read_answer(doc, flat, located, field, *m, *li);
                    typed_ticks[i] = typed;
                    value
                }
                None => FieldValue {
                    id: field.id.clone(),
                    kind: field.kind,
                    value: Value::Null,
                    source: None,
                    problem: Some(Problem::NotFound),
                },
            }
        })
        .collect();
    ticks::unmarked_options(mapping, &mut fields, &typed_ticks);
    Extraction {
        form: mapping.form,
        mapping: mapping.version.clone(),
        fields,
        collectifs: None,
        totaux,
    }
}

fn by_name(doc: &Document, field: &FieldLocator) -> Option<FieldValue> {
    if field.names.is_empty() {
        return None;
    }
    let get = |name: &str| {
        doc.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    };
    let (value, problem) = match field.kind {
        FieldType::Yesno => {
            let oui = get(&field.names[0])?;
            let non = field.names.get(1).and_then(|n| get(n));
            let checked = |f: Option<&crate::document::FormField>| {
                matches!(f.map(|f| &f.value), Some(FieldContent::Check(true)))
            };
            yes_no(checked(Some(oui)), checked(non))
        }
        _ => match &get(&field.names[0])?.value {
            FieldContent::Check(b) => (Value::Bool(*b), None),
            FieldContent::Text(t) => typed(field.kind, clean_text(&t.chars().collect::<Vec<_>>())),
        },
    };
    let locator = format!("champ nommé « {} »", field.names.join(" / "));
    let source = Some(Box::new(Source {
        place: Place::Body,
        locator,
    }));
    Some(FieldValue {
        id: field.id.clone(),
        kind: field.kind,
        value,
        source,
        problem,
    })
}

fn read_answer(
    doc: &Document,
    flat: &Flat,
    located: &Located,
    field: &FieldLocator,
    m: Match,
    li: usize,
) -> (FieldValue, bool) {
    let label_text = flat.text_end(m.end);
    // (`boundaries` is sorted.)
    let next = located
        .boundaries
        .get(located.boundaries.partition_point(|&b| b < m.end))
        .copied();
    let mut region_end = next
        .map(|b| flat.norm_to_text[b])
        .unwrap_or(flat.text.len());
    // The next wording's own leading marks (« *Si vous avez… ») are not part of this answer.
    while region_end > 0
        && !matches!(flat.text[region_end - 1], '\n' | BOX)
        && !is_alnum(flat.text[region_end - 1])
    {
        region_end -= 1;
    }
    // A label that ends a paragraph may be followed by its answer on the next lines only up
    // to the next known wording; its own paragraph's start is where a box typed before it is.
    let label_start = flat.norm_to_text[m.start];
    let how = if m.exact { "" } else { " (approché)" };
    // (Built by hand: `format!` costs several times more, for every field of every file.)
    let label = &field.labels[li].0;
    let mut locator = String::with_capacity(label.len() + 24);
    locator.push_str("libellé « ");
    locator.push_str(label);
    locator.push_str(" »");
    locator.push_str(how);
    let mut typed_tick = false;
    let (value, problem, place) = match field.kind {
        FieldType::Check => {
            let before = box_before(flat, label_start);
            let after = flat.checks_in(label_text, region_end).first();
            match before.or(after) {
                Some((_, check, place)) => (Value::Bool(check.checked), None, *place),
                // No box at all: a tick typed as a letter, before the label or after it.
                None => match ticks::mark_before(flat, label_start)
                    .or_else(|| ticks::first_mark(flat, label_text, region_end))
                {
                    Some((_, _, place)) => {
                        typed_tick = true;
                        (Value::Bool(true), None, place)
                    }
                    None => (Value::Null, None, flat.place_of(label_start)),
                },
            }
        }
        FieldType::Yesno => {
            let mut boxes = flat.checks_in(label_text, region_end);
            // No box at all: ticks typed as a letter, paired with « oui » / « non » the same way.
            let marks;
            if boxes.is_empty() {
                marks = ticks::marks(flat, label_text, region_end);
                typed_tick = !marks.is_empty();
                boxes = &marks;
            }
            let (oui, non, place) =
                pair_yes_no(doc, flat, boxes, label_text, region_end, typed_tick);
            let (value, problem) = yes_no(oui, non);
            (
                value,
                problem,
                place.unwrap_or_else(|| flat.place_of(label_start)),
            )
        }
        kind => {
            // An answer written in the body does not run on into a table that follows it
            // (the « Oui / Non » header of the next questions is not part of it).
            let mut region_end = region_end;
            if !matches!(flat.place_of(label_start), Place::Cell { .. }) {
                // Paragraphs are in text order: the first one starting after the label.
                let after = flat
                    .paragraphs
                    .partition_point(|(start, _)| *start <= label_text);
                if let Some(t) = flat.paragraphs[after..]
                    .iter()
                    .take_while(|(start, _)| *start < region_end)
                    .find(|(_, place)| matches!(place, Place::Cell { .. }))
                {
                    region_end = t.0;
                }
            }
            let chars = &flat.text[label_text.min(region_end)..region_end];
            let text = clean_text(chars);
            let offset = chars.iter().position(|&c| is_alnum(c)).unwrap_or(0);
            let place = flat.place_of(label_text + offset);
            let (value, problem) = typed(kind, text);
            (value, problem, place)
        }
    };
    let value = FieldValue {
        id: field.id.clone(),
        kind: field.kind,
        value,
        source: Some(Box::new(Source { place, locator })),
        problem,
    };
    (value, typed_tick)
}

fn yes_no(oui: bool, non: bool) -> (Value, Option<Problem>) {
    match (oui, non) {
        (true, true) => (Value::Null, Some(Problem::Contradictory)),
        (true, false) => (Value::Bool(true), None),
        (false, true) => (Value::Bool(false), None),
        (false, false) => (Value::Null, None),
    }
}

/// A box standing alone before the label in its paragraph (« ☒ Associatif »).
fn box_before(flat: &Flat, label_start: usize) -> Option<&(usize, Check, Place)> {
    let mut i = label_start;
    while i > 0 {
        i -= 1;
        match flat.text[i] {
            BOX => return flat.checks_in(i, i + 1).first(),
            c if c == '\n' || is_alnum(c) => return None,
            _ => {}
        }
    }
    None
}

/// Which boxes of a question's answer are « oui » and which « non »: by the word just before
/// each box (« oui ☐ non ☐ »), or just after (« ☐ oui ☐ non »), whichever names more boxes;
/// failing both, by the column header when the boxes stand alone in table cells. Ticks typed
/// as a letter come alone (the other option has no mark): when the words before and after
/// name as many, the nearer word names the mark (« oui  X non » is non, « oui X  non » oui).
fn pair_yes_no(
    doc: &Document,
    flat: &Flat,
    boxes: &[(usize, Check, Place)],
    from: usize,
    to: usize,
    typed: bool,
) -> (bool, bool, Option<Place>) {
    // The first or last word of the folded text (words: runs of letters and digits).
    let word = |a: usize, b: usize, last: bool| -> Option<bool> {
        let chars = &flat.text[a..b];
        let in_word = |c: &char| is_alnum(fold_char(*c));
        let (s, e) = if last {
            let e = chars.iter().rposition(in_word)? + 1;
            let s = chars[..e]
                .iter()
                .rposition(|c| !in_word(c))
                .map_or(0, |i| i + 1);
            (s, e)
        } else {
            let s = chars.iter().position(in_word)?;
            let e = chars[s..]
                .iter()
                .position(|c| !in_word(c))
                .map_or(chars.len(), |i| s + i);
            (s, e)
        };
        let mut w = ['\0'; 3];
        if e - s > w.len() {
            return None;
        }
        for (k, c) in chars[s..e].iter().enumerate() {
            w[k] = fold_char(*c);
        }
        match &w[..e - s] {
            ['o', 'u', 'i'] | ['y', 'e', 's'] => Some(true),
            ['n', 'o', 'n'] | ['n', 'o'] => Some(false),
            _ => None,
        }
    };
    let mut before = Vec::new();
    let mut after = Vec::new();
    for (i, (at, _, _)) in boxes.iter().enumerate() {
        let prev = if i == 0 { from } else { boxes[i - 1].0 + 1 };
        let next = boxes.get(i + 1).map(|b| b.0).unwrap_or(to);
        // Only the line the box stands on, or the line before it, names it.
        before.push(word(line_start(flat, prev, *at), *at, true));
        after.push(word(*at + 1, line_end(flat, *at + 1, next), false));
    }
    let named = |v: &Vec<Option<bool>>| v.iter().flatten().count();
    let nearer_after = typed && named(&after) == named(&before) && {
        let (mut gap_before, mut gap_after) = (0, 0);
        for ((at, _, _), (b, a)) in boxes.iter().zip(before.iter().zip(&after)) {
            if b.is_some() && a.is_some() {
                let (gb, ga) = ticks::gaps(flat, *at);
                gap_before += gb;
                gap_after += ga;
            }
        }
        gap_after < gap_before
    };
    let mut names = if named(&after) > named(&before) || nearer_after {
        after
    } else {
        before
    };
    if names.iter().all(Option::is_none) {
        names = boxes
            .iter()
            .map(|(_, _, place)| column_header(doc, place))
            .collect();
    }
    let mut oui = false;
    let mut non = false;
    let mut place = None;
    for ((_, check, p), name) in boxes.iter().zip(&names) {
        match name {
            Some(true) => oui |= check.checked,
            Some(false) => non |= check.checked,
            None => continue,
        }
        if check.checked || place.is_none() {
            place = Some(*p);
        }
    }
    (oui, non, place)
}

/// The start of the text to read before a box: not past `floor`, and not more than one line
/// back, so that « oui » at the end of an unrelated answer does not name a box.
fn line_start(flat: &Flat, floor: usize, at: usize) -> usize {
    let mut i = at;
    let mut lines = 0;
    while i > floor {
        if flat.text[i - 1] == '\n' {
            // Empty lines between a word and its box do not count.
            let blank = flat.text[floor.max(i.saturating_sub(1))..i]
                .iter()
                .all(|c| c.is_whitespace());
            if !blank || lines > 0 {
                lines += 1;
            }
            if lines > 1 {
                break;
            }
        }
        i -= 1;
    }
    i
}

fn line_end(flat: &Flat, from: usize, ceiling: usize) -> usize {
    (from..ceiling)
        .find(|&i| flat.text[i] == '\n')
        .unwrap_or(ceiling)
}

/// « Oui » / « Non » written at the head of the box's column, in a row above it.
fn column_header(doc: &Document, place: &Place) -> Option<bool> {
    let Place::Cell { table, row, col } = *place else {
        return None;
    };
    let rows = &doc.tables.get(table - 1)?.rows;
    rows[..row.saturating_sub(1).min(rows.len())]
        .iter()
        .rev()
        .find_map(|r| match fold(r.get(col - 1)?.text().trim()).as_str() {
            "oui" => Some(true),
            "non" => Some(false),
            _ => None,
        })
}

/// Text as the respondent meant it: no dotted leaders, no label punctuation, trimmed lines.
pub(crate) fn clean_text(chars: &[char]) -> Option<String> {
    let mut out = String::new();
    // The current line, runs of spaces made one (as `split_whitespace` + `join(" ")`).
    let mut line = String::new();
    let mut space = false;
    let end_line = |line: &mut String, out: &mut String| {
        let l = line
            .trim_start_matches([':', ',', ';', '.', '-', ' ', '?', ')', ']', '»'])
            .trim_end_matches([',', ';', ':', ' ']);
        if !l.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(l);
        }
        line.clear();
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        // Letters and digits, most of an answer, straight in.
        if c.is_ascii_alphanumeric() {
            if space && !line.is_empty() {
                line.push(' ');
            }
            space = false;
            line.push(c);
            continue;
        }
        let c = match c {
            BOX => continue,
            '\n' => {
                end_line(&mut line, &mut out);
                space = false;
                continue;
            }
            c if is_leader(c) && !c.is_whitespace() => {
                // A full stop that ends the respondent's sentence is not part of the leaders
                // after it.
                let ends_sentence = c == '.' && own_full_stop(chars, i - 1);
                let mut j = i;
                while j < chars.len() && is_leader(chars[j]) {
                    j += 1;
                }
                let run = &chars[i - 1..j];
                let leaders = !ends_sentence
                    && (run.iter().any(|c| matches!(c, '…' | '_'))
                        || run.iter().filter(|c| !c.is_whitespace()).count() >= 2);
                if leaders {
                    i = j;
                    ' '
                } else {
                    c
                }
            }
            c => c,
        };
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !line.is_empty() {
                line.push(' ');
            }
            space = false;
            line.push(c);
        }
    }
    end_line(&mut line, &mut out);
    if out.is_empty() { None } else { Some(out) }
}

/// Whether the `.` at `dot` ends the respondent's own sentence rather than starting the
/// dotted line after it: it follows a word or a closing bracket or quote (« …parentalité). »),
/// and is not the first of several dots. After a number, only when the number is not itself
/// dotted and a space follows: in « 05.36.49.33.07.………… » or « 12.……… » the dots after the
/// digits are the line's.
fn own_full_stop(chars: &[char], dot: usize) -> bool {
    let Some(&prev) = dot.checked_sub(1).and_then(|p| chars.get(p)) else {
        return false;
    };
    let next = chars.get(dot + 1).copied();
    if next == Some('.') {
        return false;
    }
    if prev.is_ascii_digit() {
        let word = chars[..dot]
            .iter()
            .rposition(|c| c.is_whitespace())
            .map_or(0, |s| s + 1);
        let dotted = chars[word..dot].contains(&'.');
        return !dotted && next.is_none_or(char::is_whitespace);
    }
    is_alnum(prev) || matches!(prev, ')' | ']' | '»' | '"' | '”' | '’' | '\'' | '!' | '?')
}

fn typed(kind: FieldType, text: Option<String>) -> (Value, Option<Problem>) {
    let Some(text) = text else {
        return (Value::Null, None);
    };
    let unreadable = |t: String| (Value::Null, Some(Problem::Unreadable(t)));
    match kind {
        FieldType::Integer => match parse_number(&text) {
            Some(Number::Integer(i)) => (Value::Integer(i), None),
            Some(Number::Decimal(d)) if d.fract() == 0.0 => (Value::Integer(d as i64), None),
            _ => unreadable(text),
        },
        FieldType::Decimal => match parse_number(&text) {
            Some(Number::Integer(i)) => (Value::Decimal(i as f64), None),
            Some(Number::Decimal(d)) => (Value::Decimal(d), None),
            None => unreadable(text),
        },
        FieldType::Date => match parse_date(&text) {
            Some(d) => (Value::Date(d), None),
            None => unreadable(text),
        },
        FieldType::Yesno | FieldType::Check => match fold(&text).trim() {
            "oui" | "x" => (Value::Bool(true), None),
            "non" => (Value::Bool(false), None),
            _ => unreadable(text),
        },
        _ => (Value::Text(text), None),
    }
}

/// The note stratégique's dispositifs grid: one row object per named establishment, and the
/// TOTAL row of each level as written.
fn read_table(
    doc: &Document,
    spec: &TableSpec,
) -> (Vec<Map<String, Json>>, Vec<LevelTotal>, Option<Place>) {
    let header = fold(&spec.header);
    let total = fold(&spec.total);
    let levels: Vec<(String, String)> = spec
        .levels
        .iter()
        .map(|(k, v)| (k.clone(), fold(v)))
        .collect();
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    let mut first_place = None;
    for (ti, table) in doc.tables.iter().enumerate() {
        let has_header = table
            .rows
            .iter()
            .any(|r| r.first().is_some_and(|c| fold(&c.text()).contains(&header)));
        if !has_header {
            continue;
        }
        first_place.get_or_insert(Place::Cell {
            table: ti + 1,
            row: 1,
            col: 1,
        });
        let mut level: Option<String> = None;
        for (ri, row) in table.rows.iter().enumerate() {
            let first = fold(row.first().map(|c| c.text()).unwrap_or_default().trim());
            if let Some((key, _)) = levels
                .iter()
                .find(|(_, title)| row.iter().any(|c| fold(&c.text()).contains(title.as_str())))
            {
                level = Some(key.clone());
                continue;
            }
            if first.contains(&header) || first.is_empty() {
                continue;
            }
            let Some(lvl) = level.clone() else { continue };
            let numbers: Vec<(String, Option<i64>)> = spec.columns[1..]
                .iter()
                .enumerate()
                .map(|(ci, key)| (key.clone(), row.get(ci + 1).and_then(cell_integer)))
                .collect();
            if first.starts_with(&total) {
                totals.push(LevelTotal {
                    niveau: lvl,
                    values: numbers,
                    place: Place::Cell {
                        table: ti + 1,
                        row: ri + 1,
                        col: 1,
                    },
                });
                continue;
            }
            let mut obj = Map::new();
            obj.insert("niveau".into(), Json::String(lvl));
            obj.insert(
                spec.columns[0].clone(),
                Json::String(row[0].text().trim().to_string()),
            );
            for (key, v) in numbers {
                obj.insert(key, v.map(Json::from).unwrap_or(Json::Null));
            }
            rows.push(obj);
        }
    }
    (rows, totals, first_place)
}

fn cell_integer(cell: &Cell) -> Option<i64> {
    match cell {
        Cell::Number(n) => Some(*n as i64),
        Cell::Text(t) => match parse_number(t)? {
            Number::Integer(i) => Some(i),
            Number::Decimal(d) => Some(d.round() as i64),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{CheckKind, Inline, Paragraph, Table};
    use crate::mapping::Mapping;

    fn mapping() -> Mapping {
        crate::mapping::load(None).unwrap().remove(0)
    }

    /// Paragraphs from lines; `[x]` and `[ ]` are check boxes.
    fn doc(lines: &[&str]) -> Document {
        let mut d = Document::default();
        for (i, line) in lines.iter().enumerate() {
            let mut inlines = Vec::new();
            let mut rest = *line;
            while let Some(pos) = rest.find(['[']) {
                if rest[pos..].starts_with("[x]") || rest[pos..].starts_with("[ ]") {
                    if pos > 0 {
                        inlines.push(Inline::Text(rest[..pos].to_string()));
                    }
                    let checked = rest[pos..].starts_with("[x]");
                    inlines.push(Inline::Check(Check {
                        checked,
                        kind: CheckKind::Glyph,
                        name: None,
                    }));
                    rest = &rest[pos + 3..];
                } else {
                    inlines.push(Inline::Text(rest[..=pos].to_string()));
                    rest = &rest[pos + 1..];
                }
            }
            if !rest.is_empty() {
                inlines.push(Inline::Text(rest.to_string()));
            }
            d.paragraphs.push(Paragraph {
                place: Place::Paragraph(i + 1),
                inlines,
            });
        }
        d
    }

    fn run(d: &Document) -> Extraction {
        let m = mapping();
        let flat = Flat::new(d);
        let l = locate(&flat, &m, true);
        extract(d, &flat, &l)
    }

    #[test]
    fn yes_no_in_every_layout() {
        let x = run(&doc(&[
            "Difficulté scolaire :",
            "oui [x]",
            "",
            "non [ ]",
            "Disponibilité réduite des parents : [ ] oui [x] non",
            "Maîtrise difficile de la langue française par les parents",
            "oui [x]   non [x]",
            "Parents en difficulté ou rupture avec l’école :",
            "oui [ ] non [ ]",
        ]));
        assert_eq!(x.value("situation.difficulte_scolaire"), &Value::Bool(true));
        assert_eq!(
            x.value("situation.disponibilite_parents"),
            &Value::Bool(false)
        );
        assert_eq!(x.value("situation.langue_parents"), &Value::Null);
        assert_eq!(
            x.get("situation.langue_parents").unwrap().problem,
            Some(Problem::Contradictory)
        );
        assert_eq!(x.value("situation.rupture_ecole"), &Value::Null);
        assert_eq!(x.get("situation.rupture_ecole").unwrap().problem, None);
    }

    #[test]
    fn yes_no_in_a_table_with_column_headers() {
        let mut d = doc(&[
            "Les enfants/jeunes qui participent au CLAS sont concernés par les situations suivantes :",
        ]);
        let cells = [
            ["", "Oui", "Non"],
            ["Difficulté scolaire", "[x]", "[ ]"],
            ["Disponibilité réduite des parents", "[ ]", "[x]"],
        ];
        let mut table = Table::default();
        for (r, row) in cells.iter().enumerate() {
            table.rows.push(
                row.iter()
                    .map(|c| {
                        if c.starts_with('[') || c.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(c.to_string())
                        }
                    })
                    .collect(),
            );
            for (c, text) in row.iter().enumerate() {
                let mut p = doc(&[text]).paragraphs.remove(0);
                p.place = Place::Cell {
                    table: 1,
                    row: r + 1,
                    col: c + 1,
                };
                d.paragraphs.push(p);
            }
        }
        d.tables.push(table);
        let x = run(&d);
        assert_eq!(x.value("situation.difficulte_scolaire"), &Value::Bool(true));
        assert_eq!(
            x.value("situation.disponibilite_parents"),
            &Value::Bool(false)
        );
    }

    #[test]
    fn answers_over_after_and_under_the_dotted_lines() {
        let x = run(&doc(&[
            "Nom du porteur de projet : Association Les Petits Savants………",
            "ACTION  N° ……,",
            "2",
            "Nom, Prénom de la personne référente : ………….……",
            "Dupont Marie",
            "…………………………",
            "N° de téléphone :..…….…………..05 53 00 00 00",
            "Lieu de déroulement de l’action et adresse : Centre social,",
            "12 rue des Lilas, Agen",
            "Nature du local utilisé",
            "Associatif",
            "[x]",
            "Municipal [ ]",
            "[ ] Scolaire",
            "Calendrier de mise en œuvre",
            "Date de début de mise en œuvre du projet : lundi 17 novembre 2025",
            "Date de fin de mise en œuvre du prohet : 12.06.26",
            "Nombre de semaines d’activité réalisées dans l’année : une quinzaine",
            "DESCRIPTION DE LA MISE EN ŒUVRE REELLE DU PROJET",
        ]));
        assert_eq!(
            x.value("porteur.nom"),
            &Value::Text("Association Les Petits Savants".into())
        );
        assert_eq!(x.value("action.numero"), &Value::Text("2".into()));
        assert_eq!(x.value("referent.nom"), &Value::Text("Dupont Marie".into()));
        assert_eq!(
            x.value("referent.telephone"),
            &Value::Text("05 53 00 00 00".into())
        );
        assert_eq!(
            x.value("action.lieu"),
            &Value::Text("Centre social\n12 rue des Lilas, Agen".into())
        );
        assert_eq!(x.value("local.associatif"), &Value::Bool(true));
        assert_eq!(x.value("local.municipal"), &Value::Bool(false));
        assert_eq!(x.value("local.scolaire"), &Value::Bool(false));
        assert_eq!(
            x.value("calendrier.debut").as_date().unwrap().to_string(),
            "2025-11-17"
        );
        assert_eq!(
            x.value("calendrier.fin").as_date().unwrap().to_string(),
            "2026-06-12"
        );
        assert_eq!(x.value("calendrier.semaines"), &Value::Null);
        assert_eq!(
            x.get("calendrier.semaines").unwrap().problem,
            Some(Problem::Unreadable("une quinzaine".into()))
        );
        let src = x.get("porteur.nom").unwrap().source.as_ref().unwrap();
        assert_eq!(src.place, Place::Paragraph(1));
    }

    #[test]
    fn clean_text_drops_leaders_keeps_lines() {
        let c = |s: &str| clean_text(&s.chars().collect::<Vec<_>>());
        assert_eq!(c(" : ………… "), None);
        assert_eq!(c(" :..…….…………..12"), Some("12".into()));
        assert_eq!(
            c("Très bien.\n………\nMerci."),
            Some("Très bien.\nMerci.".into())
        );
        assert_eq!(c("3,"), Some("3".into()));
    }

    #[test]
    fn a_full_stop_before_dotted_leaders() {
        let c = |s: &str| clean_text(&s.chars().collect::<Vec<_>>());
        // The dot after a dotted number belongs to the dotted line.
        assert_eq!(c(" :05.36.49.33.07.………….."), Some("05.36.49.33.07".into()));
        assert_eq!(c(" : 12.06.26.……"), Some("12.06.26".into()));
        assert_eq!(c(" : 05 53 84 90 12.………"), Some("05 53 84 90 12".into()));
        // A sentence keeps its own final stop, whatever dotted line follows it.
        assert_eq!(
            c("Des ateliers (lecture, parentalité).………………"),
            Some("Des ateliers (lecture, parentalité).".into())
        );
        assert_eq!(
            c("Des ateliers (lecture, parentalité). ………………\n………………"),
            Some("Des ateliers (lecture, parentalité).".into())
        );
        assert_eq!(
            c("Aucun écart notable.…………"),
            Some("Aucun écart notable.".into())
        );
        assert_eq!(c("Il y en avait 12. ……"), Some("Il y en avait 12.".into()));
        // Not a stop: the first of several dots is the line's.
        assert_eq!(c("Merci..………"), Some("Merci".into()));
    }
}
