//! Text runs and check boxes into lines, in reading order: top to bottom by baseline, left to
//! right within a line, a space where the gap between two runs is wider than a fifth of an em.

use super::content::Frag;
use super::shapes::Rect;
use crate::document::docx::glyph_state;
use crate::document::{Check, CheckKind, Inline};

/// A check box, or a fillable field's value, placed into the line it stands on.
#[derive(Debug, Clone)]
pub struct Float {
    pub x0: f64,
    pub x1: f64,
    /// The height of its middle.
    pub anchor: f64,
    pub size: f64,
    pub item: FloatItem,
}

#[derive(Debug, Clone)]
pub enum FloatItem {
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
pub fn drop_frames_under_widgets(floats: &mut Vec<Float>) {
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

/// The page's lines, top to bottom: their baseline and inlines; blank lines left out.
pub fn lines(mut frags: Vec<Frag>, floats: Vec<Float>) -> Vec<(f64, Vec<Inline>)> {
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
            let inlines = inlines(l.items);
            let blank = inlines.iter().all(|i| match i {
                Inline::Text(t) => t.trim().is_empty(),
                Inline::Check(_) => false,
            });
            (!blank).then_some((l.base, inlines))
        })
        .collect()
}

fn float_item(f: Float) -> Item {
    Item {
        x0: f.x0,
        x1: f.x1,
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
