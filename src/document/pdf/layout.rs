//! Text runs and check boxes into lines, in reading order: top to bottom by baseline, left to
//! right within a line, a space where the gap between two runs is wider than a fifth of an em.

use super::frag::Frag;
use super::shapes::Rect;
use crate::document::docx::glyph_state;
use crate::document::{Check, CheckKind, Inline};
use crate::text::BOX;

/// A check box, or a fillable field's value, placed into the line it stands on.
#[derive(Debug, Clone)]
pub(crate) struct Float {
    pub x0: f64,
    pub x1: f64,
    /// The height of its middle.
    pub anchor: f64,
    pub size: f64,
    pub item: FloatItem,
}

#[derive(Debug, Clone)]
pub(crate) enum FloatItem {
    Check(Check),
    Text(String),
}

impl Float {
    pub fn check(r: Rect, checked: bool, kind: CheckKind, name: Option<String>) -> Float {
        Float {
            x0: r.x0,
            x1: r.x1,
            anchor: r.cy(),
            size: r.h().clamp(4.0, 24.0),
            item: FloatItem::Check(Check {
                checked,
                kind,
                name,
            }),
        }
    }

    pub fn text(x0: f64, x1: f64, anchor: f64, size: f64, text: String) -> Float {
        Float {
            x0,
            x1,
            anchor,
            size,
            item: FloatItem::Text(text),
        }
    }

    fn is_widget_check(&self) -> bool {
        matches!(&self.item, FloatItem::Check(c) if c.kind == CheckKind::Widget)
    }
}

/// A square drawn on the page under a check box widget is the widget's frame.
pub(crate) fn drop_frames_under_widgets(floats: &mut Vec<Float>) {
    let widgets: Vec<(f64, f64, f64, f64)> = floats
        .iter()
        .filter(|f| f.is_widget_check())
        .map(|f| (f.x0, f.x1, f.anchor - f.size / 2.0, f.anchor + f.size / 2.0))
        .collect();
    if widgets.is_empty() {
        return;
    }
    floats.retain(|f| match &f.item {
        FloatItem::Check(c) if c.kind == CheckKind::Drawn => {
            let cx = (f.x0 + f.x1) / 2.0;
            !widgets.iter().any(|&(x0, x1, y0, y1)| {
                cx >= x0 - 2.0 && cx <= x1 + 2.0 && f.anchor >= y0 - 2.0 && f.anchor <= y1 + 2.0
            })
        }
        _ => true,
    });
}

enum Content {
    Text(String),
    Float(FloatItem),
}

struct Item {
    x0: f64,
    x1: f64,
    ink_x1: f64,
    word_end: Option<f64>,
    size: f64,
    content: Content,
}

struct Line {
    /// Baseline of the line's largest text.
    base: f64,
    size: f64,
    top: f64,
    items: Vec<Item>,
}

/// A line of text as laid out, with what tells a wrapped paragraph from separate ones.
#[derive(Debug, Clone)]
pub(crate) struct LineOut {
    pub base: f64,
    pub size: f64,
    pub x0: f64,
    pub x1: f64,
    /// Estimated width of the line's first word.
    pub first_word: f64,
    pub inlines: Vec<Inline>,
}

/// The lines, top to bottom; blank lines left out.
pub(crate) fn lines(mut frags: Vec<Frag>, floats: Vec<Float>) -> Vec<LineOut> {
    frags.retain(|f| !f.text.is_empty() && f.x0.is_finite() && f.y.is_finite());
    dedup_overprint(&mut frags);
    frags.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));

    let mut lines: Vec<Line> = Vec::new();
    for f in frags {
        let joins = lines
            .last()
            .is_some_and(|l| l.top - f.y <= 0.4 * l.size.max(f.size));
        if !joins {
            lines.push(Line {
                base: f.y,
                size: f.size,
                top: f.y,
                items: Vec::new(),
            });
        }
        let l = lines.last_mut().expect("pushed above");
        if f.size > l.size * 1.05 {
            l.size = f.size;
            l.base = f.y;
        }
        l.items.push(Item {
            x0: f.x0,
            x1: f.x1,
            ink_x1: f.ink_x1,
            word_end: f.word_end,
            size: f.size,
            content: Content::Text(f.text),
        });
    }

    // Check boxes and field values join the text line whose band holds their middle.
    let max_size = lines.iter().map(|l| l.size).fold(12.0, f64::max);
    let mut alone: Vec<Float> = Vec::new();
    for f in floats {
        if !f.anchor.is_finite() || !f.x0.is_finite() {
            continue;
        }
        let window = max_size * 1.5 + f.size;
        let from = lines.partition_point(|l| l.base > f.anchor + window);
        let best = lines[from..]
            .iter()
            .enumerate()
            .take_while(|(_, l)| l.base >= f.anchor - window)
            .filter_map(|(i, l)| {
                let d = (f.anchor - (l.base + 0.3 * l.size)).abs();
                (d <= 0.6 * l.size.max(f.size * 0.5)).then_some((from + i, d))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((i, _)) => lines[i].items.push(float_item(f)),
            None => alone.push(f),
        }
    }
    // The rest make lines of their own, side by side when at one height.
    alone.sort_by(|a, b| b.anchor.total_cmp(&a.anchor));
    let mut extra: Vec<Line> = Vec::new();
    for f in alone {
        let joins = extra
            .last()
            .is_some_and(|l| (l.top - f.anchor).abs() <= 0.5 * l.size.max(f.size));
        if !joins {
            extra.push(Line {
                base: f.anchor - 0.3 * f.size,
                size: f.size,
                top: f.anchor,
                items: Vec::new(),
            });
        }
        extra
            .last_mut()
            .expect("pushed above")
            .items
            .push(float_item(f));
    }
    if !extra.is_empty() {
        lines.extend(extra);
        lines.sort_by(|a, b| b.base.total_cmp(&a.base));
    }

    lines
        .into_iter()
        .filter_map(|mut l| {
            l.items.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let x0 = l.items.first().map_or(0.0, |i| i.x0);
            let x1 = l.items.iter().map(|i| i.ink_x1).fold(f64::MIN, f64::max);
            let first_word = match l.items.first() {
                Some(i) if matches!(i.content, Content::Text(_)) => {
                    i.word_end.unwrap_or(i.ink_x1) - i.x0
                }
                _ => 0.0,
            };
            let inlines = inlines(l.items);
            let blank = inlines.iter().all(|i| match i {
                Inline::Text(t) => t.trim().is_empty(),
                Inline::Check(_) => false,
            });
            (!blank).then_some(LineOut {
                base: l.base,
                size: l.size,
                x0,
                x1,
                first_word,
                inlines,
            })
        })
        .collect()
}

/// The left and right edges of the text of a page: where its lines start, and where the
/// longest end; none when too few lines tell.
pub(crate) fn text_edges(lines: &[&LineOut]) -> Option<(f64, f64)> {
    let mut ends: Vec<f64> = lines.iter().map(|l| l.x1).collect();
    ends.sort_by(|a, b| b.total_cmp(a));
    // The right margin is where at least two lines end, about (ragged text ends within an
    // em or so of it).
    let edge = ends.windows(2).find(|w| w[0] - w[1] <= 12.0)?[0];
    let left = lines.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
    Some((left, edge))
}

/// Lines of one paragraph wrapped by the layout are joined again: a line is continued by the
/// next when it reaches the right edge of the text (the next line's first word did not fit
/// on it), the next one follows at the usual spacing, and neither ends or starts with a box
/// or a dotted line.
pub(crate) fn join_wrapped(
    lines: Vec<LineOut>,
    left: f64,
    edge: f64,
    min_fill: f64,
) -> Vec<LineOut> {
    if lines.len() < 2 {
        return lines;
    }
    let mut out: Vec<LineOut> = Vec::with_capacity(lines.len());
    for l in lines {
        if let Some(prev) = out.last_mut()
            && continues(prev, &l, left, edge, min_fill)
        {
            append(prev, l);
            continue;
        }
        out.push(l);
    }
    out
}

/// `next` as the continuation of `line`'s paragraph.
pub(crate) fn append(line: &mut LineOut, next: LineOut) {
    let last = last_char(&line.inlines);
    let hyphen = matches!(last, Some('-' | '‐'));
    // Dots wrapped onto the next line go on without a space.
    let dots = matches!(last, Some('…' | '.' | '_'))
        && matches!(next.inlines.first(), Some(Inline::Text(t)) if t.starts_with(['…', '.', '_']));
    if !hyphen && !dots {
        push_space(&mut line.inlines);
    }
    for i in next.inlines {
        match i {
            Inline::Text(t) => push_str(&mut line.inlines, &t),
            c => line.inlines.push(c),
        }
    }
    // The joined line now ends where the next one ends.
    line.base = next.base;
    line.x1 = next.x1;
}

fn last_char(inlines: &[Inline]) -> Option<char> {
    match inlines.last()? {
        Inline::Text(t) => t.trim_end().chars().last(),
        Inline::Check(_) => Some(BOX),
    }
}

pub(crate) fn continues(
    prev: &LineOut,
    next: &LineOut,
    left: f64,
    edge: f64,
    min_fill: f64,
) -> bool {
    let width = edge - left;
    if width <= 0.0 {
        return false;
    }
    let size = prev.size.max(next.size);
    let spacing = prev.base - next.base;
    let last = last_char(&prev.inlines);
    let starts_with_box = matches!(next.inlines.first(), Some(Inline::Check(_)))
        || matches!(next.inlines.first(), Some(Inline::Text(t)) if t.trim().is_empty()
            && matches!(next.inlines.get(1), Some(Inline::Check(_))));
    let leader = |c: char| matches!(c, '…' | '.' | '_' | '·');
    let first_char = match next.inlines.first() {
        Some(Inline::Text(t)) => t.trim_start().chars().next(),
        _ => None,
    };
    // A paragraph goes on at its left margin; an indented line starts something else
    // (`min_fill` is 0 for a table cell, whose text is often centred).
    (min_fill == 0.0 || next.x0 <= left.max(prev.x0) + 0.5 * size)
        && (prev.size - next.size).abs() <= 0.2 * size
        && spacing > 0.5 * size
        && spacing < 1.7 * size
        && prev.x1 + 0.25 * size + next.first_word > edge - 1.0 - 0.1 * size
        && prev.x1 >= left + min_fill * width
        && last != Some(BOX)
        // A dotted line goes on only into more dots; a label after it starts anew.
        && (!last.is_some_and(leader) || first_char.is_some_and(leader))
        && !starts_with_box
}

fn float_item(f: Float) -> Item {
    Item {
        x0: f.x0,
        x1: f.x1,
        ink_x1: f.x1,
        word_end: None,
        size: f.size,
        content: Content::Float(f.item),
    }
}

/// Text printed twice at almost the same place (a fake bold) is read once.
fn dedup_overprint(frags: &mut Vec<Frag>) {
    if frags.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..frags.len()).collect();
    order.sort_by(|&a, &b| {
        frags[a]
            .text
            .cmp(&frags[b].text)
            .then(frags[a].y.total_cmp(&frags[b].y))
            .then(frags[a].x0.total_cmp(&frags[b].x0))
    });
    let mut drop = vec![false; frags.len()];
    for w in order.windows(2) {
        let (a, b) = (&frags[w[0]], &frags[w[1]]);
        if a.text == b.text
            && (a.y - b.y).abs() < 0.15 * a.size
            && (a.x0 - b.x0).abs() < 0.15 * a.size
        {
            drop[w[1]] = true;
        }
    }
    if drop.iter().any(|d| *d) {
        let mut i = 0;
        frags.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
    }
}

fn inlines(items: Vec<Item>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut prev: Option<(f64, f64, bool)> = None; // x1, size, was a float
    for item in items {
        let float = matches!(item.content, Content::Float(_));
        if let Some((x1, size, was_float)) = prev {
            let gap = item.x0 - x1;
            let spaced = gap > 0.2 * size.min(item.size) || float || was_float;
            if spaced {
                push_space(&mut out);
            }
        }
        match item.content {
            Content::Text(t) => push_text(&mut out, &t),
            Content::Float(FloatItem::Text(t)) => push_str(&mut out, &t),
            Content::Float(FloatItem::Check(c)) => out.push(Inline::Check(c)),
        }
        let x1 = prev.map_or(item.x1, |p| p.0.max(item.x1));
        prev = Some((x1, item.size, float));
    }
    out
}

fn push_space(out: &mut Vec<Inline>) {
    match out.last_mut() {
        Some(Inline::Text(t)) => {
            if !t.ends_with(char::is_whitespace) {
                t.push(' ');
            }
        }
        _ => out.push(Inline::Text(" ".into())),
    }
}

fn push_str(out: &mut Vec<Inline>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Inline::Text(t)) = out.last_mut() {
        if t.ends_with(char::is_whitespace) && s.starts_with(char::is_whitespace) {
            t.push_str(s.trim_start());
        } else {
            t.push_str(s);
        }
        return;
    }
    out.push(Inline::Text(s.to_string()));
}

/// Text with its typed boxes (☐, ☒) as check boxes.
fn push_text(out: &mut Vec<Inline>, s: &str) {
    let mut rest = s;
    while let Some((i, c)) = rest.char_indices().find(|(_, c)| glyph_state(*c).is_some()) {
        push_str(out, &rest[..i]);
        out.push(Inline::Check(Check {
            checked: glyph_state(c).unwrap_or(false),
            kind: CheckKind::Glyph,
            name: None,
        }));
        rest = &rest[i + c.len_utf8()..];
    }
    push_str(out, rest);
}
