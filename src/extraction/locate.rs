//! Finding a form's wording in a document, however Word, LibreOffice or a PDF export left it.
//!
//! The document is flattened once into its text in reading order (paragraphs separated by
//! `\n`, each check box a marker char) and a folded copy of its significant chars (letters and
//! digits, lower case, no accents), so that a label split over runs, re-spaced, re-accented or
//! with ’ for ' is found by plain search; a label reworded slightly is found by an approximate
//! search (Myers' bit-parallel edit distance) within the part of the form it belongs to.

use crate::document::{Check, Document, Inline, Place};
pub use crate::text::BOX;
use crate::text::{fold_char, is_significant};

pub struct Flat {
    /// The document's text; paragraphs end with `\n`; check boxes are [`BOX`].
    pub text: Vec<char>,
    /// For each significant char of `text` (see [`Flat::norm_char`]), its index in `text`.
    pub norm_to_text: Vec<usize>,
    /// For each significant char, whether it is the first significant char of its paragraph.
    pub para_start: Vec<bool>,
    /// The check boxes, in order, with their index in `text`.
    pub checks: Vec<(usize, Check, Place)>,
    /// Start of each paragraph in `text`, with its place.
    pub paragraphs: Vec<(usize, Place)>,
    /// The folded significant chars one byte each, so that labels are searched in bytes: ASCII
    /// as itself, other chars (œ, °, ß…) numbered from 128 in order of appearance, all beyond
    /// the 127th as [`SHARED`] (a match on those is then checked on the chars).
    bytes: Vec<u8>,
    /// The non-ASCII folded chars: code `128 + i` is `others[i]`.
    others: Vec<char>,
}

/// For each ASCII byte, its folded form when significant (a letter, lower case, or a digit),
/// else 0: `fold_char` and `is_significant` in one look-up.
static ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = b.to_ascii_lowercase();
        }
        c += 1;
    }
    t
};

/// The code of every non-ASCII char beyond the 127th (never seen in real forms).
const SHARED: u8 = 255;

impl Flat {
    pub fn new(doc: &Document) -> Flat {
        let size: usize = doc
            .paragraphs
            .iter()
            .map(|p| {
                1 + p
                    .inlines
                    .iter()
                    .map(|i| match i {
                        Inline::Text(t) => t.len(),
                        Inline::Check(_) => 1,
                    })
                    .sum::<usize>()
            })
            .sum();
        // Written by index into buffers of the largest size they can need (one char per byte
        // of text at most), then cut: no capacity check per char as `push` would make.
        let mut text = vec!['\0'; size];
        let mut norm_to_text = vec![0usize; size];
        let mut para_start = vec![false; size];
        let mut bytes = vec![0u8; size];
        let (mut nt, mut nn) = (0, 0);
        let mut checks = Vec::new();
        let mut paragraphs = Vec::with_capacity(doc.paragraphs.len());
        let mut others = Vec::new();
        for p in &doc.paragraphs {
            paragraphs.push((nt, p.place));
            let mut first = true;
            for inline in &p.inlines {
                let t = match inline {
                    Inline::Text(t) => t,
                    Inline::Check(c) => {
                        checks.push((nt, c.clone(), p.place));
                        text[nt] = BOX;
                        nt += 1;
                        continue;
                    }
                };
                let b = t.as_bytes();
                let mut i = 0;
                while i < b.len() {
                    // ASCII folds to lower case, and only its letters and digits are
                    // significant (as `fold_char` and `is_significant` say); the dotted
                    // leaders, dashes, quotes and spaces of U+2000–U+206F never are.
                    let (c, code) = if b[i].is_ascii() {
                        let x = b[i];
                        i += 1;
                        let folded = ASCII_FOLD[x as usize];
                        (x as char, (folded != 0).then_some(folded))
                    } else {
                        let c = t[i..].chars().next().unwrap_or('\0');
                        i += c.len_utf8();
                        let code = if ('\u{2000}'..='\u{206F}').contains(&c) {
                            None
                        } else {
                            let folded = fold_char(c);
                            is_significant(folded).then(|| code_for(&mut others, folded))
                        };
                        (c, code)
                    };
                    if let Some(code) = code {
                        bytes[nn] = code;
                        norm_to_text[nn] = nt;
                        para_start[nn] = first;
                        nn += 1;
                        first = false;
                    }
                    text[nt] = c;
                    nt += 1;
                }
            }
            text[nt] = '\n';
            nt += 1;
        }
        text.truncate(nt);
        norm_to_text.truncate(nn);
        para_start.truncate(nn);
        bytes.truncate(nn);
        Flat {
            text,
            norm_to_text,
            para_start,
            checks,
            paragraphs,
            bytes,
            others,
        }
    }

    /// How many significant chars the text has (the range searched by labels).
    pub(crate) fn norm_len(&self) -> usize {
        self.norm_to_text.len()
    }

    /// The `i`-th significant char, folded.
    pub(crate) fn norm_char(&self, i: usize) -> char {
        fold_char(self.text[self.norm_to_text[i]])
    }

    fn norm_chars(&self, from: usize, to: usize) -> Vec<char> {
        (from..to).map(|i| self.norm_char(i)).collect()
    }

    /// Whether some code stands for several chars (then byte matches are checked on `norm`).
    fn shared(&self) -> bool {
        self.others.len() == 127
    }

    /// A label in the bytes of `norm`; `None` when one of its chars is nowhere in the
    /// document (so it cannot match exactly). A char absent from the document is coded
    /// [`SHARED`], which `bytes` then never holds (unless [`Flat::shared`]).
    fn encode(&self, label: &[char], out: &mut Vec<u8>) -> bool {
        out.clear();
        let mut present = true;
        for &c in label {
            out.push(if c.is_ascii() {
                c as u8
            } else {
                match self.others.iter().position(|&o| o == c) {
                    Some(i) => 128 + i as u8,
                    None => {
                        present &= self.shared();
                        SHARED
                    }
                }
            });
        }
        present
    }

    /// Text index just past the norm range ending before `norm_end`.
    pub(crate) fn text_end(&self, norm_end: usize) -> usize {
        if norm_end == 0 {
            0
        } else {
            self.norm_to_text[norm_end - 1] + 1
        }
    }

    pub(crate) fn place_of(&self, t: usize) -> Place {
        let i = self.paragraphs.partition_point(|(start, _)| *start <= t);
        self.paragraphs
            .get(i.saturating_sub(1))
            .map(|p| p.1)
            .unwrap_or_default()
    }

    /// Check boxes whose text index lies in `[from, to)`.
    pub(crate) fn checks_in(&self, from: usize, to: usize) -> &[(usize, Check, Place)] {
        let a = self.checks.partition_point(|c| c.0 < from);
        let b = self.checks.partition_point(|c| c.0 < to);
        &self.checks[a..b.max(a)]
    }

    /// Finds `label` in `norm[from..to)`: first where a paragraph starts with it, then
    /// anywhere, then approximately. Returns the norm range and how it matched.
    pub(crate) fn find(&self, label: &[char], from: usize, to: usize) -> Option<Match> {
        self.find_exact(label, from, to)
            .or_else(|| self.find_approx(label, from, to))
    }

    /// Exact search, preferring a match that starts a paragraph.
    pub(crate) fn find_exact(&self, label: &[char], from: usize, to: usize) -> Option<Match> {
        let to = to.min(self.norm_len());
        if label.is_empty() || from >= to || label.len() > to - from {
            return None;
        }
        let mut needle = Vec::with_capacity(label.len());
        if !self.encode(label, &mut needle) {
            return None;
        }
        let verify = self.shared() && needle.contains(&SHARED);
        let hay = &self.bytes[from..to];
        let finder = Horspool::new(&needle);
        let mut anywhere = None;
        let mut i = 0;
        // Every occurrence, overlapping ones included, until one starts a paragraph.
        while let Some(pos) = finder.find(&hay[i..]) {
            let start = from + i + pos;
            i += pos + 1;
            if verify && self.norm_chars(start, start + label.len()) != label {
                continue;
            }
            let m = Match {
                start,
                end: start + label.len(),
                exact: true,
            };
            if self.para_start[start] {
                return Some(m);
            }
            anywhere.get_or_insert(m);
        }
        anywhere
    }

    /// Approximate search: at most one edit in ten chars (labels of 12 chars or more only:
    /// « Mail » or « Autres » would be found by accident).
    pub(crate) fn find_approx(&self, label: &[char], from: usize, to: usize) -> Option<Match> {
        let to = to.min(self.norm_len());
        if label.len() < 12 || from >= to {
            return None;
        }
        let k = (label.len() / 10).clamp(1, 6);
        let pattern = &label[..label.len().min(64)];
        let (end, dist) = if self.shared() {
            myers_best(&self.norm_chars(from, to), pattern)?
        } else {
            // Chars absent from the document are coded SHARED, which `bytes` never holds.
            let mut codes = Vec::with_capacity(pattern.len());
            self.encode(pattern, &mut codes);
            myers_best_bytes(&self.bytes[from..to], &codes)?
        };
        if dist > k {
            return None;
        }
        // The end is known; the start is where the fewest edits begin, never earlier than
        // needed: a label whose letters were lost (a ligature unread) must not take the end
        // of the answer before it.
        let end = from + end + 1;
        let start = self.approx_start(pattern, end, k, from);
        let end = if label.len() > 64 {
            (start + label.len()).min(to)
        } else {
            end
        };
        Some(Match {
            start,
            end,
            exact: false,
        })
    }
}

impl Flat {
    /// Where an approximate match of `pattern` ending at `end` (norm index, exclusive) starts:
    /// of the starts within `k` edits of the pattern's length, the one with the fewest edits,
    /// the latest on a tie, moved to a paragraph's start when one lies within `k` chars after
    /// it (labels begin paragraphs; what comes before belongs to the previous answer).
    fn approx_start(&self, pattern: &[char], end: usize, k: usize, from: usize) -> usize {
        let m = pattern.len();
        let lo = end.saturating_sub(m + k).max(from);
        let hay = self.norm_chars(lo, end);
        // Edit distance of the pattern to each suffix of `hay`: DP from the end, both reversed.
        let n = hay.len();
        let mut prev: Vec<usize> = (0..=m).collect();
        let mut cur = vec![0; m + 1];
        let mut best = (usize::MAX, end);
        for j in 1..=n {
            let c = hay[n - j];
            cur[0] = j;
            for i in 1..=m {
                let sub = prev[i - 1] + usize::from(pattern[m - i] != c);
                cur[i] = sub.min(prev[i] + 1).min(cur[i - 1] + 1);
            }
            std::mem::swap(&mut prev, &mut cur);
            // `prev[m]`: the whole pattern against the last `j` chars.
            if j + k >= m && prev[m] < best.0 {
                best = (prev[m], end - j);
            }
        }
        let start = if best.0 == usize::MAX {
            end.saturating_sub(m).max(from)
        } else {
            best.1
        };
        let limit = (start + k + 1).min(end);
        (start..limit)
            .find(|&i| self.para_start[i])
            .unwrap_or(start)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub exact: bool,
}

/// The byte standing for a char of `norm`, numbering a new non-ASCII char in `others`.
fn code_for(others: &mut Vec<char>, c: char) -> u8 {
    if c.is_ascii() {
        return c as u8;
    }
    match others.iter().position(|&o| o == c) {
        Some(i) => 128 + i as u8,
        None if others.len() < 127 => {
            others.push(c);
            127 + others.len() as u8
        }
        None => SHARED,
    }
}

/// Boyer–Moore–Horspool search over the bytes of [`Flat`]: a 256-byte table to build (labels
/// are searched a few hundred times per document, each once, so a heavier searcher does not
/// pay for its set-up), then shifts of up to the label's length. (A memchr on the label's
/// rarest letter was tried: slower here, the letters of a French form being none of them rare
/// enough.)
struct Horspool<'n> {
    needle: &'n [u8],
    /// How far the window may move when this byte ends it (at most 255: shorter is safe).
    shift: [u8; 256],
}

impl<'n> Horspool<'n> {
    fn new(needle: &'n [u8]) -> Self {
        let m = needle.len();
        let mut shift = [m.min(255) as u8; 256];
        for (i, &b) in needle[..m.saturating_sub(1)].iter().enumerate() {
            shift[b as usize] = (m - 1 - i).min(255) as u8;
        }
        Horspool { needle, shift }
    }

    /// The first start of the needle in `hay`.
    fn find(&self, hay: &[u8]) -> Option<usize> {
        let n = self.needle;
        let m = n.len();
        if m == 0 || m > hay.len() {
            return None;
        }
        let last = n[m - 1];
        let mut i = 0;
        while i + m <= hay.len() {
            let b = hay[i + m - 1];
            if b == last && hay[i..i + m - 1] == n[..m - 1] {
                return Some(i);
            }
            i += self.shift[b as usize] as usize;
        }
        None
    }
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
    let eqs = hay.iter().map(|c| {
        if c.is_ascii() {
            ascii[*c as usize]
        } else {
            other.iter().find(|(pc, _)| pc == c).map_or(0, |p| p.1)
        }
    });
    myers_scan(m, eqs)
}

/// [`myers_best`] over the bytes of [`Flat`]: the same computation with a 256-entry table.
fn myers_best_bytes(hay: &[u8], pattern: &[u8]) -> Option<(usize, usize)> {
    let m = pattern.len();
    if m == 0 || m > 64 {
        return None;
    }
    let mut peq = [0u64; 256];
    for (i, &c) in pattern.iter().enumerate() {
        peq[c as usize] |= 1 << i;
    }
    myers_scan(m, hay.iter().map(|&c| peq[c as usize]))
}

/// The bit-parallel scan both searches share, over the match bits of each char of the
/// haystack (bit `i` set where the char equals the pattern's `i`-th) for a pattern of `m`
/// chars (1 to 64): the best end position and its number of edits.
fn myers_scan(m: usize, eqs: impl Iterator<Item = u64>) -> Option<(usize, usize)> {
    let high = 1u64 << (m - 1);
    let (mut pv, mut mv, mut score) = (u64::MAX, 0u64, m);
    let mut best: Option<(usize, usize)> = None;
    for (j, eq) in eqs.enumerate() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{CheckKind, Paragraph};
    use crate::text::key;

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
                &key("Lieu de deroulement de l'action et adresse"),
                0,
                f.norm_len(),
            )
            .unwrap();
        assert!(m.exact);
        assert_eq!(f.place_of(f.norm_to_text[m.start]), Place::Paragraph(1));
        assert!(f.find(&key("Action N°"), 0, f.norm_len()).is_some());
    }

    #[test]
    fn prefers_a_paragraph_that_starts_with_the_label() {
        let d = doc(&["Lieu : centre associatif", "Associatif #"]);
        let f = Flat::new(&d);
        let m = f.find(&key("Associatif"), 0, f.norm_len()).unwrap();
        assert_eq!(f.place_of(f.norm_to_text[m.start]), Place::Paragraph(2));
    }

    /// The searches as they were written before the byte encoding: on chars, plainly.
    fn reference(d: &Document) -> (Vec<char>, Vec<bool>) {
        let mut norm = Vec::new();
        let mut starts = Vec::new();
        for p in &d.paragraphs {
            let mut first = true;
            for i in &p.inlines {
                if let Inline::Text(t) = i {
                    for c in t.chars().map(fold_char).filter(|c| is_significant(*c)) {
                        norm.push(c);
                        starts.push(first);
                        first = false;
                    }
                }
            }
        }
        (norm, starts)
    }

    fn reference_exact(
        norm: &[char],
        starts: &[bool],
        label: &[char],
        from: usize,
        to: usize,
    ) -> Option<Match> {
        let to = to.min(norm.len());
        if label.is_empty() || from >= to || label.len() > to - from {
            return None;
        }
        let mut anywhere = None;
        for start in from..=to - label.len() {
            if norm[start..start + label.len()] == *label {
                let m = Match {
                    start,
                    end: start + label.len(),
                    exact: true,
                };
                if starts[start] {
                    return Some(m);
                }
                anywhere.get_or_insert(m);
            }
        }
        anywhere
    }

    /// Random documents, some with more than 127 distinct non-ASCII letters (so that codes are
    /// shared): the byte searches find what the plain char searches find.
    #[test]
    fn byte_searches_agree_with_char_searches() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let greek: Vec<char> = ('α'..='ω')
            .chain('а'..='я')
            .chain('ā'..='ž')
            .chain('一'..='丿')
            .collect();
        for round in 0..60 {
            let mut alphabet: Vec<char> = "abcé èÉœŒ°…’ 12.,".chars().collect();
            let wide = round % 3 == 0;
            if wide {
                alphabet.extend(&greek);
            }
            let mut lines: Vec<String> = (0..30)
                .map(|_| {
                    (0..next(60))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect()
                })
                .collect();
            if wide {
                lines.insert(next(30), greek.iter().collect());
            }
            let refs: Vec<&str> = lines.iter().map(|s| s.as_str()).collect();
            let d = doc(&refs);
            let f = Flat::new(&d);
            let (norm, starts) = reference(&d);
            assert_eq!(f.norm_len(), norm.len());
            assert!(norm.iter().enumerate().all(|(i, c)| f.norm_char(i) == *c));
            assert_eq!(f.para_start, starts);
            if wide {
                assert!(f.shared(), "{} others", f.others.len());
            }
            for _ in 0..200 {
                let n = norm.len().max(1);
                let (a, len) = (next(n), 1 + next(14));
                let mut label: Vec<char> =
                    norm[a.min(norm.len())..(a + len).min(norm.len())].to_vec();
                if next(3) == 0 && !label.is_empty() {
                    let i = next(label.len());
                    label[i] = alphabet[next(alphabet.len())];
                }
                let (from, to) = (next(n), next(n + 10));
                assert_eq!(
                    f.find_exact(&label, from, to),
                    reference_exact(&norm, &starts, &label, from, to),
                    "{label:?} {from}..{to}"
                );
                if label.len() >= 12 && from < to.min(norm.len()) {
                    let want = myers_best(&norm[from..to.min(norm.len())], &label);
                    let got = if f.shared() {
                        myers_best(&f.norm_chars(from, to.min(norm.len())), &label)
                    } else {
                        let mut codes = Vec::new();
                        f.encode(&label, &mut codes);
                        myers_best_bytes(&f.bytes[from..to.min(norm.len())], &codes)
                    };
                    assert_eq!(got, want, "{label:?}");
                }
            }
        }
    }

    #[test]
    fn horspool_finds_every_occurrence() {
        let hay = b"abababcabcababcabqxq9";
        for needle in [
            &b"ab"[..],
            b"abc",
            b"cab",
            b"b",
            b"abcabcab",
            b"x",
            b"q",
            b"qxq",
            b"bq",
            b"b9",
            b"abababcabcababcabqxq9",
        ] {
            let want: Vec<usize> = (0..=hay.len().saturating_sub(needle.len()))
                .filter(|&i| hay[i..].starts_with(needle))
                .collect();
            let s = Horspool::new(needle);
            let mut got = Vec::new();
            let mut i = 0;
            while let Some(p) = s.find(&hay[i..]) {
                got.push(i + p);
                i += p + 1;
            }
            assert_eq!(got, want, "{:?}", std::str::from_utf8(needle));
        }
    }

    /// A label whose ligature was read as garbage (`Di昀케culté`) is found approximately, and
    /// its match starts with its paragraph, not in the answer before it (`…besoin.`).
    #[test]
    fn approximate_match_never_takes_the_previous_answer() {
        for (previous, label_text) in [
            (
                "Ce sont ceux qui en ont le plus besoin.",
                "Di昀케culté scolaire des enfants accompagnés",
            ),
            (
                "Nous avons gardé le même local.",
                "E昀昀ectif moyen d'enfants par séance",
            ),
            (
                "Les familles viennent.",
                "Dificulté scolaire des enfants accompagnés",
            ),
        ] {
            let d = doc(&[previous, &format!("{label_text} : oui")]);
            let f = Flat::new(&d);
            let label = if label_text.starts_with('E') {
                key("Effectif moyen d'enfants par séance")
            } else {
                key("Difficulté scolaire des enfants accompagnés")
            };
            let m = f.find(&label, 0, f.norm_len()).unwrap();
            assert!(f.para_start[m.start], "{previous} / {label_text}: {m:?}");
            let before: String = f.text[..f.norm_to_text[m.start]].iter().collect();
            assert!(before.ends_with(&format!("{previous}\n")), "{before:?}");
        }
    }

    #[test]
    fn approximate_match_tolerates_a_typo() {
        let d = doc(&["Date de fin de mise en œuvre du projet : 12/06/2026"]);
        let f = Flat::new(&d);
        let m = f
            .find(
                &key("Date de fin de mise en œuvre du prohet"),
                0,
                f.norm_len(),
            )
            .unwrap();
        assert!(!m.exact);
        assert!(
            f.find(
                &key("Nombre total d'intervenants salariés"),
                0,
                f.norm_len()
            )
            .is_none()
        );
    }
}
