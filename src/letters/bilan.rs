//! Next year's blank bilan with its identification already filled from last year's: each
//! answer typed after its label in place of the dotted leader, and the « nature du local »
//! and « zonage » boxes ticked in the form's own legacy check box fields, so that
//! `clas extract` reads the file back.
//!
//! Labels are found with the same mapping and the same search as extraction, in the form's
//! XML seen as text; a box is chosen by its position after its label, as extraction reads it,
//! never by the field's name (forms name them `CaseACocher12`, or not at all).

use std::collections::BTreeMap;

use super::LettersError;
use super::model::{CheckBox, Edit, Item, Part, Patch, apply, node_patches};
use super::package::Package;
use crate::dictionary::FormKind;
use crate::document::{Check, CheckKind, Document, Inline, Paragraph, Place};
use crate::extraction::apply::{Located, locate};
use crate::extraction::locate::{BOX, Flat};
use crate::extraction::{Extraction, Value};
use crate::text::is_leader;
use crate::values::Date;

/// The identification fields carried over to next year's form.
pub const IDENTIFICATION: &[&str] = &[
    "porteur.nom",
    "action.numero",
    "referent.nom",
    "referent.telephone",
    "referent.email",
    "action.lieu",
    "local.associatif",
    "local.municipal",
    "local.scolaire",
    "etablissements",
    "zonage.rep",
    "zonage.pre",
    "zonage.politique_ville",
];

/// The form as the extraction sees it, with where each char of its text comes from.
struct View {
    part: Part,
    doc: Document,
    /// Start of each paragraph in the flat text.
    para_start: Vec<usize>,
    /// The part's check box behind each box of the flat text, in order.
    boxes: Vec<usize>,
}

impl View {
    fn new(part: Part) -> View {
        let mut doc = Document::default();
        let mut para_start = Vec::with_capacity(part.paras.len());
        let mut boxes = Vec::new();
        let mut at = 0;
        for (i, p) in part.paras.iter().enumerate() {
            para_start.push(at);
            at += p.text.chars().count() + 1;
            let mut checks = p.items.iter().filter_map(|it| match it {
                Item::Check(c) => Some(*c),
                _ => None,
            });
            let mut inlines = Vec::new();
            let mut pieces = p.text.split(BOX).peekable();
            while let Some(piece) = pieces.next() {
                if !piece.is_empty() {
                    inlines.push(Inline::Text(piece.to_string()));
                }
                if pieces.peek().is_some() {
                    let c = checks.next().unwrap_or(usize::MAX);
                    boxes.push(c);
                    inlines.push(Inline::Check(Check {
                        checked: part.checks.get(c).is_some_and(CheckBox::checked),
                        kind: CheckKind::LegacyField,
                        name: None,
                    }));
                }
            }
            doc.paragraphs.push(Paragraph {
                place: Place::Paragraph(i + 1),
                inlines,
            });
        }
        View {
            part,
            doc,
            para_start,
            boxes,
        }
    }

    /// Paragraph and byte offset in its text of a flat text index.
    fn locate_char(&self, t: usize) -> (usize, usize) {
        let p = self
            .para_start
            .partition_point(|&s| s <= t)
            .saturating_sub(1);
        let c = t - self.para_start[p];
        let text = &self.part.paras[p].text;
        let byte = text
            .char_indices()
            .nth(c)
            .map(|(b, _)| b)
            .unwrap_or(text.len());
        (p, byte)
    }
}

fn leaderish(c: char) -> bool {
    is_leader(c) && !c.is_whitespace()
}

/// The dotted leader after `from` in a paragraph's text: its byte range.
fn leader_after(text: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let rest = &text[from..];
    let skip = rest
        .char_indices()
        .find(|(_, c)| !(c.is_whitespace() || matches!(c, ':' | '\u{a0}' | '\u{202f}')))
        .map(|(i, _)| i)?;
    let start = from + skip;
    let first = text[start..].chars().next()?;
    if !leaderish(first) {
        return None;
    }
    let mut last_dot_end = start;
    for (i, c) in text[start..].char_indices() {
        if leaderish(c) {
            last_dot_end = start + i + c.len_utf8();
        } else if !c.is_whitespace() {
            break;
        }
    }
    Some(start..last_dot_end)
}

fn only_leaders(text: &str) -> bool {
    text.chars().any(leaderish) && text.chars().all(|c| is_leader(c) || c.is_whitespace())
}

fn best_mapping<'m>(
    flat: &Flat,
    mappings: &'m [crate::mapping::Mapping],
    preferred: &str,
) -> Option<Located<'m>> {
    let mut located: Vec<Located> = mappings
        .iter()
        .filter(|m| m.form == FormKind::Bilan)
        .map(|m| locate(flat, m, false))
        .filter(|l| l.recognised())
        .collect();
    if let Some(i) = located.iter().position(|l| l.mapping.version == preferred) {
        return Some(located.swap_remove(i));
    }
    located
        .into_iter()
        .max_by(|a, b| a.score().total_cmp(&b.score()))
}

/// What next year's bilan says besides last year's identification.
#[derive(Debug, Clone, Default)]
pub struct NextBilan {
    /// The new school year, as its first year (2026 for « Bilan 2026/2027 »); `None`: the
    /// year after the bilan's dates.
    pub annee: Option<i32>,
    /// « A RETOURNER POUR LE … »; `None`: left to fill.
    pub return_by: Option<Date>,
    /// Identification fields not carried over (a contact the rules found invalid).
    pub skip: Vec<String>,
}

/// Next year's blank bilan (`blank_form`, a .docx) with last year's identification filled
/// and the title's year moved to the next school year.
pub fn prefill_bilan(bilan: &Extraction, blank_form: &[u8]) -> Result<Vec<u8>, LettersError> {
    prefill_next_bilan(bilan, blank_form, &NextBilan::default())
}

/// As [`prefill_bilan`], with the year, the return date and the fields to leave blank.
pub fn prefill_next_bilan(
    bilan: &Extraction,
    blank_form: &[u8],
    next: &NextBilan,
) -> Result<Vec<u8>, LettersError> {
    let mappings = crate::mapping::load(None)
        .map_err(|e| LettersError::NotABilan(format!("correspondances intégrées : {e}")))?;
    prefill_bilan_with(bilan, blank_form, &mappings, next)
}

/// The school year after the bilan's (from its dates).
fn next_year(bilan: &Extraction) -> Option<i32> {
    bilan
        .value("calendrier.debut")
        .as_date()
        .or_else(|| bilan.value("calendrier.fin").as_date())
        .map(|d| d.school_year() + 1)
}

/// Edits of the form's own texts: « Bilan 2021/2022 arrêté au 30 avril 2022 » with the new
/// year, « A RETOURNER POUR LE ……… » with the return date.
fn heading_edits(part: &Part, annee: Option<i32>, return_by: Option<Date>) -> Vec<(usize, Edit)> {
    static TITLE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let title = TITLE.get_or_init(|| {
        regex::Regex::new(r"(?i)\bbilan\s+(\d{4})\s*[/-]\s*(\d{4})(?:\s+arr[êe]t[ée]\s+au\s+\S+\s+\S+\s+(\d{4}))?")
            .expect("regex")
    });
    let mut out = Vec::new();
    for (i, p) in part.paras.iter().enumerate() {
        if let Some(n) = annee
            && let Some(c) = title.captures(&p.text)
        {
            for (g, year) in [(1, n), (2, n + 1), (3, n + 1)] {
                if let Some(m) = c.get(g) {
                    out.push((
                        i,
                        Edit {
                            range: m.range(),
                            with: year.to_string(),
                        },
                    ));
                }
            }
        }
        if let Some(d) = return_by {
            let folded = crate::text::fold(&p.text);
            if let Some(at) = folded.find("retourner pour le") {
                // fold is one char for one char: the phrase's end, in chars, is the same.
                let chars = folded[..at + "retourner pour le".len()].chars().count();
                let end = p
                    .text
                    .char_indices()
                    .nth(chars)
                    .map_or(p.text.len(), |(b, _)| b);
                if let Some(r) = leader_after(&p.text, end) {
                    out.push((
                        i,
                        Edit {
                            range: r,
                            with: super::date_long(d),
                        },
                    ));
                }
            }
        }
    }
    out
}

/// As [`prefill_next_bilan`], with the workspace's mappings (a form of another year or Caf).
pub(crate) fn prefill_bilan_with(
    bilan: &Extraction,
    blank_form: &[u8],
    mappings: &[crate::mapping::Mapping],
    next: &NextBilan,
) -> Result<Vec<u8>, LettersError> {
    let package = Package::open(blank_form)?;
    let main = package.main_part()?;
    let xml = package
        .text(&main)?
        .ok_or_else(|| LettersError::Template(format!("partie {main} absente")))?;
    let view = View::new(Part::parse(xml)?);
    let flat = Flat::new(&view.doc);
    let located = best_mapping(&flat, mappings, &bilan.mapping).ok_or_else(|| {
        LettersError::NotABilan(
            "ses questions ne correspondent à aucune version connue du formulaire".into(),
        )
    })?;
    let label_starts: Vec<usize> = located
        .labels
        .iter()
        .flatten()
        .map(|(m, _)| flat.norm_to_text[m.start])
        .collect();

    let mut edits: BTreeMap<usize, Vec<Edit>> = BTreeMap::new();
    let mut patches: Vec<Patch> = Vec::new();
    for (field, label) in located.mapping.fields.iter().zip(&located.labels) {
        if !IDENTIFICATION.contains(&field.id.as_str()) || next.skip.contains(&field.id) {
            continue;
        }
        let Some((m, _)) = label else { continue };
        match bilan.value(&field.id) {
            Value::Text(v) => {
                let v = v.trim();
                if v.is_empty() {
                    continue;
                }
                let (p, at) = view.locate_char(flat.text_end(m.end));
                let text = &view.part.paras[p].text;
                let edit = match leader_after(text, at) {
                    Some(r) => {
                        // « téléphone :..…… » : a space between the colon and the answer.
                        let glued = text[..r.start]
                            .chars()
                            .next_back()
                            .is_some_and(|c| !c.is_whitespace());
                        let v = if glued {
                            format!(" {v}")
                        } else {
                            v.to_string()
                        };
                        (p, r, v)
                    }
                    None => {
                        let next = p + 1;
                        match view.part.paras.get(next) {
                            Some(np) if text[at..].trim().is_empty() && only_leaders(&np.text) => {
                                let r = leader_after(&np.text, 0).expect("leaders");
                                (next, r, v.to_string())
                            }
                            _ => {
                                // No dotted line: type after the label's last char.
                                let last = text[..at]
                                    .chars()
                                    .next_back()
                                    .map(char::len_utf8)
                                    .unwrap_or(0);
                                if last == 0 {
                                    continue;
                                }
                                let c = &text[at - last..at];
                                (p, at - last..at, format!("{c} {v}"))
                            }
                        }
                    }
                };
                edits.entry(edit.0).or_default().push(Edit {
                    range: edit.1,
                    with: edit.2,
                });
            }
            Value::Bool(want) => {
                let want = *want;
                let label_start = flat.norm_to_text[m.start];
                let label_end = flat.text_end(m.end);
                let before = {
                    let mut i = label_start;
                    let mut found = None;
                    while i > 0 {
                        i -= 1;
                        match flat.text[i] {
                            BOX => {
                                found = Some(i);
                                break;
                            }
                            c if c == '\n' || c.is_alphanumeric() => break,
                            _ => {}
                        }
                    }
                    found
                };
                let next_label = label_starts
                    .iter()
                    .copied()
                    .filter(|&s| s >= label_end)
                    .min()
                    .unwrap_or(flat.text.len());
                let after = flat
                    .checks
                    .iter()
                    .map(|c| c.0)
                    .find(|&t| t >= label_end && t < next_label);
                let Some(t) = before.or(after) else { continue };
                let Some(k) = flat.checks.iter().position(|c| c.0 == t) else {
                    continue;
                };
                let Some(&ci) = view.boxes.get(k) else {
                    continue;
                };
                match view.part.checks.get(ci) {
                    Some(CheckBox::Legacy {
                        span,
                        empty,
                        close,
                        checked_span,
                        prefix,
                        checked,
                    }) => {
                        if *checked == want {
                            continue;
                        }
                        let tag = if want {
                            format!("<{prefix}checked/>")
                        } else {
                            format!("<{prefix}checked {prefix}val=\"0\"/>")
                        };
                        patches.push(match (checked_span, empty) {
                            (Some(s), _) => Patch {
                                span: s.clone(),
                                with: tag,
                            },
                            (None, true) => Patch {
                                span: span.clone(),
                                with: format!(
                                    "<{prefix}checkBox><{prefix}sizeAuto/>{tag}</{prefix}checkBox>"
                                ),
                            },
                            (None, false) => Patch {
                                span: *close..*close,
                                with: tag,
                            },
                        });
                    }
                    Some(CheckBox::Glyph {
                        node,
                        at,
                        checked,
                        control,
                    }) => {
                        if *checked == want {
                            continue;
                        }
                        let n = &view.part.nodes[*node];
                        let start = n.offset + at;
                        edits.entry(n.para).or_default().push(Edit {
                            range: start..start + BOX.len_utf8(),
                            with: if want { "☒" } else { "☐" }.into(),
                        });
                        // A content control keeps its state in w14:checked.
                        if let Some((span, prefix)) = control {
                            patches.push(Patch {
                                span: span.clone(),
                                with: format!(
                                    "<{prefix}checked {prefix}val=\"{}\"/>",
                                    if want { 1 } else { 0 }
                                ),
                            });
                        }
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }
    for (p, e) in heading_edits(
        &view.part,
        next.annee.or_else(|| next_year(bilan)),
        next.return_by,
    ) {
        edits.entry(p).or_default().push(e);
    }
    for (p, e) in &mut edits {
        e.sort_by_key(|e| e.range.start);
        patches.extend(node_patches(&view.part, *p, e));
    }
    let xml = &view.part.xml;
    let out = apply(xml, 0, patches, 0..xml.len());
    let mut replaced = BTreeMap::new();
    replaced.insert(main, out);
    package.rewrite(&replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaders() {
        let t = "Nom du porteur de projet\u{a0}: ……………… ";
        let at = "Nom du porteur de projet".len();
        assert_eq!(&t[leader_after(t, at).unwrap()], "………………");
        let t = "N° de téléphone\u{a0}:..…….…………..";
        let at = "N° de téléphone".len();
        assert_eq!(&t[leader_after(t, at).unwrap()], "..…….…………..");
        let t = "ACTION  N° ……,";
        let at = "ACTION  N°".len();
        assert_eq!(&t[leader_after(t, at).unwrap()], "……");
        assert_eq!(leader_after("Lieu : déjà écrit", 4), None);
        assert!(only_leaders("……….………… ……"));
        assert!(!only_leaders("   "));
    }
}
