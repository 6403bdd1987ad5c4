//! Finding a form's wording in a document, however Word, LibreOffice or a PDF export left it.
//!
//! The document is flattened once into its text in reading order (paragraphs separated by
//! `\n`, each check box a marker char) and a folded copy of its significant chars (letters and
//! digits, lower case, no accents), so that a label split over runs, re-spaced, re-accented or
//! with ’ for ' is found by plain search; a label reworded slightly is found by an approximate
//! search (Myers' bit-parallel edit distance) within the part of the form it belongs to.

use crate::document::{Check, Document, Inline, Place};
use crate::text::{fold_char, is_significant, key};

/// Stands for a check box in [`Flat::text`].
pub const BOX: char = '\u{E000}';

pub struct Flat {
    /// The document's text; paragraphs end with `\n`; check boxes are [`BOX`].
    pub text: Vec<char>,
    /// Folded significant chars of `text`.
    pub norm: Vec<char>,
    /// For each char of `norm`, its index in `text`.
    pub norm_to_text: Vec<usize>,
    /// For each char of `norm`, whether it is the first significant char of its paragraph.
    pub para_start: Vec<bool>,
    /// The check boxes, in order, with their index in `text`.
    pub checks: Vec<(usize, Check, Place)>,
    /// Start of each paragraph in `text`, with its place.
    pub paragraphs: Vec<(usize, Place)>,
}

impl Flat {
    pub fn new(doc: &Document) -> Flat {
        let mut f = Flat {
            text: Vec::new(),
            norm: Vec::new(),
            norm_to_text: Vec::new(),
            para_start: Vec::new(),
            checks: Vec::new(),
            paragraphs: Vec::with_capacity(doc.paragraphs.len()),
        };
        for p in &doc.paragraphs {
            f.paragraphs.push((f.text.len(), p.place));
            let mut first = true;
            for inline in &p.inlines {
                match inline {
                    Inline::Text(t) => {
                        for c in t.chars() {
                            let folded = fold_char(c);
                            if is_significant(folded) {
                                f.norm.push(folded);
                                f.norm_to_text.push(f.text.len());
                                f.para_start.push(first);
                                first = false;
                            }
                            f.text.push(c);
                        }
                    }
                    Inline::Check(c) => {
                        f.checks.push((f.text.len(), c.clone(), p.place));
                        f.text.push(BOX);
                    }
                }
            }
            f.text.push('\n');
        }
        f
    }

    /// The index in `norm` of the first significant char at or after `text` index `t`.
    pub fn norm_at(&self, t: usize) -> usize {
        self.norm_to_text.partition_point(|&x| x < t)
    }

    /// Text index just past the norm range ending before `norm_end`.
    pub fn text_end(&self, norm_end: usize) -> usize {
        if norm_end == 0 {
            0
        } else {
            self.norm_to_text[norm_end - 1] + 1
        }
    }

    pub fn place_of(&self, t: usize) -> Place {
        let i = self.paragraphs.partition_point(|(start, _)| *start <= t);
        self.paragraphs
            .get(i.saturating_sub(1))
            .map(|p| p.1)
            .unwrap_or_default()
    }

    /// Check boxes whose text index lies in `[from, to)`.
    pub fn checks_in(&self, from: usize, to: usize) -> &[(usize, Check, Place)] {
        let a = self.checks.partition_point(|c| c.0 < from);
        let b = self.checks.partition_point(|c| c.0 < to);
        &self.checks[a..b.max(a)]
    }

    /// Finds `label` in `norm[from..to)`: first where a paragraph starts with it, then
    /// anywhere, then approximately. Returns the norm range and how it matched.
    pub fn find(&self, label: &[char], from: usize, to: usize) -> Option<Match> {
        self.find_exact(label, from, to).or_else(|| self.find_approx(label, from, to))
    }

    /// Exact search, preferring a match that starts a paragraph.
    pub fn find_exact(&self, label: &[char], from: usize, to: usize) -> Option<Match> {
        let to = to.min(self.norm.len());
        if label.is_empty() || from >= to {
            return None;
        }
        let hay = &self.norm[from..to];
        let mut anywhere = None;
        let mut i = 0;
        while let Some(pos) = find_exact(&hay[i..], label) {
            let start = from + i + pos;
            if self.para_start[start] {
                return Some(Match { start, end: start + label.len(), exact: true });
            }
            anywhere.get_or_insert(Match { start, end: start + label.len(), exact: true });
            i += pos + 1;
        }
        anywhere
    }

    /// Approximate search: at most one edit in ten chars (labels of 12 chars or more only:
    /// « Mail » or « Autres » would be found by accident).
    pub fn find_approx(&self, label: &[char], from: usize, to: usize) -> Option<Match> {
        let to = to.min(self.norm.len());
        if label.len() < 12 || from >= to {
            return None;
        }
        let hay = &self.norm[from..to];
        let k = (label.len() / 10).clamp(1, 6);
        let pattern = &label[..label.len().min(64)];
        let (end, dist) = myers_best(hay, pattern)?;
        if dist > k {
            return None;
        }
        // The end is known; its start is about the pattern's length before it.
        let end = from + end + 1;
        let start = end.saturating_sub(pattern.len()).max(from);
        let end = if label.len() > 64 { (start + label.len()).min(to) } else { end };
        Some(Match { start, end, exact: false })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub exact: bool,
}

fn find_exact(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    let first = needle[0];
    (0..=hay.len() - needle.len()).find(|&i| hay[i] == first && hay[i..i + needle.len()] == *needle)
}

/// Approximate substring search: the end position in `hay` where `pattern` (≤ 64 chars)
/// matches with the fewest edits, and that number of edits (Myers 1999).
fn myers_best(hay: &[char], pattern: &[char]) -> Option<(usize, usize)> {
    let m = pattern.len();
    if m == 0 || m > 64 {
        return None;
    }
    // Match bits per char: a table for ASCII, a short list for the rest (œ, ß, °…).
    let mut ascii = [0u64; 128];
    let mut other: Vec<(char, u64)> = Vec::new();
    for (i, &c) in pattern.iter().enumerate() {
        if c.is_ascii() {
            ascii[c as usize] |= 1 << i;
        } else {
            match other.iter_mut().find(|(pc, _)| *pc == c) {
                Some((_, bits)) => *bits |= 1 << i,
                None => other.push((c, 1 << i)),
            }
        }
    }
    let high = 1u64 << (m - 1);
    let (mut pv, mut mv, mut score) = (u64::MAX, 0u64, m);
    let mut best: Option<(usize, usize)> = None;
    for (j, c) in hay.iter().enumerate() {
        let eq = if c.is_ascii() { ascii[*c as usize] } else { other.iter().find(|(pc, _)| pc == c).map_or(0, |p| p.1) };
        let xv = eq | mv;
        let xh = (((eq & pv).wrapping_add(pv)) ^ pv) | eq;
        let mut ph = mv | !(xh | pv);
        let mut mh = pv & xh;
        if ph & high != 0 {
            score += 1;
        } else if mh & high != 0 {
            score -= 1;
        }
        ph <<= 1;
        mh <<= 1;
        pv = mh | !(xv | ph);
        mv = ph & xv;
        if best.is_none_or(|(_, d)| score < d) {
            best = Some((j, score));
        }
    }
    best
}

/// The folded key of a label, as searched.
pub fn label_key(label: &str) -> Vec<char> {
    key(label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{CheckKind, Paragraph};

    fn doc(paragraphs: &[&str]) -> Document {
        Document {
            paragraphs: paragraphs
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let mut inlines = Vec::new();
                    for (j, part) in t.split('#').enumerate() {
                        if j > 0 {
                            inlines.push(Inline::Check(Check {
                                checked: true,
                                kind: CheckKind::Glyph,
                                name: None,
                            }));
                        }
                        inlines.push(Inline::Text(part.to_string()));
                    }
                    Paragraph {
                        place: Place::Paragraph(i + 1),
                        inlines,
                    }
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn finds_labels_whatever_the_spacing_case_and_quotes() {
        let d = doc(&[
            "Lieu de déroulement de l’action et adresse : ……",
            "ACTION  N° 3,",
        ]);
        let f = Flat::new(&d);
        let m = f
            .find(
                &label_key("Lieu de deroulement de l'action et adresse"),
                0,
                f.norm.len(),
            )
            .unwrap();
        assert!(m.exact);
        assert_eq!(f.place_of(f.norm_to_text[m.start]), Place::Paragraph(1));
        assert!(f.find(&label_key("Action N°"), 0, f.norm.len()).is_some());
    }

    #[test]
    fn prefers_a_paragraph_that_starts_with_the_label() {
        let d = doc(&["Lieu : centre associatif", "Associatif #"]);
        let f = Flat::new(&d);
        let m = f.find(&label_key("Associatif"), 0, f.norm.len()).unwrap();
        assert_eq!(f.place_of(f.norm_to_text[m.start]), Place::Paragraph(2));
    }

    #[test]
    fn approximate_match_tolerates_a_typo() {
        let d = doc(&["Date de fin de mise en œuvre du projet : 12/06/2026"]);
        let f = Flat::new(&d);
        let m = f
            .find(
                &label_key("Date de fin de mise en œuvre du prohet"),
                0,
                f.norm.len(),
            )
            .unwrap();
        assert!(!m.exact);
        assert!(
            f.find(
                &label_key("Nombre total d'intervenants salariés"),
                0,
                f.norm.len()
            )
            .is_none()
        );
    }
}
