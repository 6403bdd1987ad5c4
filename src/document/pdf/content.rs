//! A page's content stream interpreted: text runs with their position on the page, and the
//! paths that may be check boxes. Form XObjects are followed, to a bounded depth.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Object};

use super::font::Font;
use super::frag::Frag;
use super::geometry::Matrix;
use super::objects::{bounded_stream, dict, get, name, number};
use super::shapes::{Rect, Shapes};

/// Form XObjects nested at most this deep.
const MAX_DEPTH: usize = 8;
/// Graphics states saved at most this deep (`q` without `Q`).
const MAX_SAVED: usize = 256;
/// Fonts loaded per document at most.
const MAX_FONTS: usize = 4096;

#[derive(Default)]
pub(crate) struct FontCache {
    fonts: HashMap<usize, Rc<Font>>,
    fallback: Option<Rc<Font>>,
}

impl FontCache {
    fn get(&mut self, doc: &lopdf::Document, d: &Dictionary) -> Rc<Font> {
        let key = d as *const Dictionary as usize;
        if let Some(f) = self.fonts.get(&key) {
            return f.clone();
        }
        if self.fonts.len() >= MAX_FONTS {
            return self.fallback();
        }
        let f = Rc::new(Font::load(doc, d));
        self.fonts.insert(key, f.clone());
        f
    }

    fn fallback(&mut self) -> Rc<Font> {
        self.fallback
            .get_or_insert_with(|| Rc::new(Font::fallback()))
            .clone()
    }
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
    rise: f64,
    fill_white: bool,
    /// The clipping rectangle (bounds of the `W` paths), on the page.
    clip: Option<Rect>,
}

pub(crate) struct Scanner<'d> {
    doc: &'d lopdf::Document,
    fonts: &'d mut FontCache,
    pub frags: Vec<Frag>,
    pub shapes: Shapes,
    pub over_budget: bool,
    ops_left: usize,
    gs: GState,
    saved: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    depth: usize,
}

impl<'d> Scanner<'d> {
    pub fn new(
        doc: &'d lopdf::Document,
        fonts: &'d mut FontCache,
        base: Matrix,
        max_ops: usize,
    ) -> Scanner<'d> {
        Scanner {
            doc,
            fonts,
            frags: Vec::new(),
            shapes: Shapes::default(),
            over_budget: false,
            ops_left: max_ops,
            gs: GState {
                ctm: base,
                font: None,
                size: 0.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                scale: 1.0,
                leading: 0.0,
                rise: 0.0,
                fill_white: false,
                clip: None,
            },
            saved: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            depth: 0,
        }
    }

    pub(crate) fn run(&mut self, data: &[u8], resources: Option<&'d Dictionary>) {
        let doc = self.doc;
        let saved_depth = self.saved.len();
        for op in Content::decode_iter(data) {
            let Ok(op) = op else { break };
            if self.ops_left == 0 {
                self.over_budget = true;
                break;
            }
            self.ops_left -= 1;
            let o = &op.operands;
            let num = |i: usize| o.get(i).and_then(|x| number(doc, x));
            match op.operator.as_str() {
                "q" if self.saved.len() < MAX_SAVED => {
                    self.saved.push(self.gs.clone());
                }
                "Q" => {
                    // A form's unbalanced `Q` does not restore its caller's state.
                    if self.saved.len() > saved_depth
                        && let Some(g) = self.saved.pop()
                    {
                        self.gs = g;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(doc, o) {
                        self.gs.ctm = m.then(self.gs.ctm);
                    }
                }
                "BT" => {
                    self.tm = Matrix::IDENTITY;
                    self.tlm = Matrix::IDENTITY;
                }
                "ET" => {}
                "Tf" => {
                    if let Some(size) = num(1) {
                        self.gs.size = size;
                    }
                    let font = o.first().and_then(|n| n.as_name().ok()).and_then(|n| {
                        let fonts = get(doc, resources?, b"Font").and_then(|f| dict(doc, f))?;
                        get(doc, fonts, n).and_then(|f| dict(doc, f))
                    });
                    self.gs.font = Some(match font {
                        Some(d) => self.fonts.get(doc, d),
                        None => self.fonts.fallback(),
                    });
                }
                "Tc" => self.gs.char_spacing = num(0).unwrap_or(0.0),
                "Tw" => self.gs.word_spacing = num(0).unwrap_or(0.0),
                "Tz" => self.gs.scale = num(0).unwrap_or(100.0) / 100.0,
                "TL" => self.gs.leading = num(0).unwrap_or(0.0),
                "Ts" => self.gs.rise = num(0).unwrap_or(0.0),
                "Td" => self.move_line(num(0).unwrap_or(0.0), num(1).unwrap_or(0.0)),
                "TD" => {
                    let ty = num(1).unwrap_or(0.0);
                    self.gs.leading = -ty;
                    self.move_line(num(0).unwrap_or(0.0), ty);
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_operands(doc, o) {
                        self.tm = m;
                        self.tlm = m;
                    }
                }
                "T*" => self.move_line(0.0, -self.gs.leading),
                "Tj" => {
                    if let Some(s) = o.first().and_then(|s| s.as_str().ok()) {
                        self.show(s);
                    }
                }
                "'" => {
                    self.move_line(0.0, -self.gs.leading);
                    if let Some(s) = o.first().and_then(|s| s.as_str().ok()) {
                        self.show(s);
                    }
                }
                "\"" => {
                    self.gs.word_spacing = num(0).unwrap_or(0.0);
                    self.gs.char_spacing = num(1).unwrap_or(0.0);
                    self.move_line(0.0, -self.gs.leading);
                    if let Some(s) = o.get(2).and_then(|s| s.as_str().ok()) {
                        self.show(s);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = o.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(s),
                                Object::Integer(_) | Object::Real(_) => {
                                    let n = number(doc, item).unwrap_or(0.0);
                                    let tx = -n / 1000.0 * self.gs.size * self.gs.scale;
                                    self.advance(tx);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                // Paths.
                "m" => {
                    if let (Some(x), Some(y)) = (num(0), num(1)) {
                        let p = self.gs.ctm.apply(x, y);
                        self.shapes.move_to(p);
                    }
                }
                "l" => {
                    if let (Some(x), Some(y)) = (num(0), num(1)) {
                        let p = self.gs.ctm.apply(x, y);
                        self.shapes.line_to(p);
                    }
                }
                "c" | "v" | "y" => {
                    let pts: Vec<(f64, f64)> = o
                        .chunks(2)
                        .filter_map(|c| {
                            let x = number(doc, c.first()?)?;
                            let y = number(doc, c.get(1)?)?;
                            Some(self.gs.ctm.apply(x, y))
                        })
                        .collect();
                    self.shapes.curve_to(&pts);
                }
                "h" => self.shapes.close(),
                "re" => {
                    if let (Some(x), Some(y), Some(w), Some(h)) = (num(0), num(1), num(2), num(3)) {
                        let m = self.gs.ctm;
                        self.shapes.rect([
                            m.apply(x, y),
                            m.apply(x + w, y),
                            m.apply(x + w, y + h),
                            m.apply(x, y + h),
                        ]);
                    }
                }
                "S" => self.shapes.paint(true, false, false, self.gs.clip),
                "s" => {
                    self.shapes.close();
                    self.shapes.paint(true, false, false, self.gs.clip);
                }
                "f" | "F" | "f*" => {
                    self.shapes
                        .paint(false, true, self.gs.fill_white, self.gs.clip)
                }
                "B" | "B*" => self
                    .shapes
                    .paint(true, true, self.gs.fill_white, self.gs.clip),
                "b" | "b*" => {
                    self.shapes.close();
                    self.shapes
                        .paint(true, true, self.gs.fill_white, self.gs.clip);
                }
                // A clip (applied from the next painting operator on: close enough).
                "W" | "W*" => {
                    if let Some(b) = self.shapes.bounds() {
                        self.gs.clip = Some(match self.gs.clip {
                            Some(c) => c.intersect(&b),
                            None => b,
                        });
                    }
                }
                "n" => self.shapes.clear(),
                // Fill colour: white fills are backgrounds, not marks.
                "g" => self.gs.fill_white = num(0).is_some_and(|v| v > 0.95),
                "rg" => {
                    self.gs.fill_white = (0..3).all(|i| num(i).is_some_and(|v| v > 0.95));
                }
                "k" => self.gs.fill_white = (0..4).all(|i| num(i).is_some_and(|v| v < 0.05)),
                "sc" | "scn" => {
                    let vals: Vec<f64> = o.iter().filter_map(|x| number(doc, x)).collect();
                    self.gs.fill_white = match vals.len() {
                        1 | 3 => vals.iter().all(|v| *v > 0.95),
                        4 => vals.iter().all(|v| *v < 0.05),
                        _ => false,
                    };
                }
                "cs" => self.gs.fill_white = false,
                "Do" => {
                    if let Some(n) = o.first().and_then(|n| n.as_name().ok()) {
                        self.form_xobject(n, resources);
                    }
                }
                _ => {}
            }
            if self.over_budget {
                break;
            }
        }
        // Balance what this stream left saved.
        if self.saved.len() > saved_depth {
            self.gs = self.saved[saved_depth].clone();
            self.saved.truncate(saved_depth);
        }
    }

    fn form_xobject(&mut self, n: &[u8], resources: Option<&'d Dictionary>) {
        let doc = self.doc;
        if self.depth >= MAX_DEPTH {
            return;
        }
        let Some(stream) = resources
            .and_then(|r| get(doc, r, b"XObject"))
            .and_then(|x| dict(doc, x))
            .and_then(|x| get(doc, x, n))
            .and_then(|s| s.as_stream().ok())
        else {
            return;
        };
        if name(doc, &stream.dict, b"Subtype") != Some(b"Form") {
            return;
        }
        let Ok(data) = bounded_stream(stream) else {
            return;
        };
        let matrix = match get(doc, &stream.dict, b"Matrix") {
            Some(Object::Array(m)) => Matrix::from_operands(doc, m).unwrap_or(Matrix::IDENTITY),
            _ => Matrix::IDENTITY,
        };
        let inner = get(doc, &stream.dict, b"Resources")
            .and_then(|r| dict(doc, r))
            .or(resources);
        let saved_gs = self.gs.clone();
        let (tm, tlm) = (self.tm, self.tlm);
        self.shapes.clear();
        self.gs.ctm = matrix.then(self.gs.ctm);
        self.depth += 1;
        self.run(&data, inner);
        self.depth -= 1;
        self.gs = saved_gs;
        self.tm = tm;
        self.tlm = tlm;
    }

    fn move_line(&mut self, tx: f64, ty: f64) {
        self.tlm = Matrix([1.0, 0.0, 0.0, 1.0, tx, ty]).then(self.tlm);
        self.tm = self.tlm;
    }

    fn advance(&mut self, tx: f64) {
        self.tm.0[4] += tx * self.tm.0[0];
        self.tm.0[5] += tx * self.tm.0[1];
    }

    fn show(&mut self, bytes: &[u8]) {
        let font = match &self.gs.font {
            Some(f) => f.clone(),
            None => self.fonts.fallback(),
        };
        let gs = &self.gs;
        let (size, th) = (gs.size, gs.scale);
        let (tc, tw, rise) = (gs.char_spacing, gs.word_spacing, gs.rise);
        let m = self.tm.then(gs.ctm);
        let [a, b, c, d, _, _] = m.0;
        // Only text running left to right on the page is read; rotated text is a margin note.
        let horizontal = a > 0.0 && b.abs() <= 0.2 * a && c.abs() <= 0.2 * d.abs().max(1e-9);
        let page_size = (size * (c * c + d * d).sqrt()).abs();
        let x_scale = a;
        let (ox, oy) = m.apply(0.0, rise);
        let mut dx = 0.0; // text space advance since the start of the string
        let frags = &mut self.frags;
        font.glyphs(bytes, |text, w, word_space| {
            let tx = (w * size + tc + if word_space { tw } else { 0.0 }) * th;
            if horizontal && page_size > 0.5 && !text.is_empty() {
                let x0 = ox + dx * x_scale;
                let x1 = x0 + w * size * th * x_scale;
                let y = oy + dx * b;
                push_glyph(frags, text, x0, x1.max(x0), y, page_size);
            }
            dx += tx;
        });
        self.advance(dx);
    }
}

fn push_glyph(frags: &mut Vec<Frag>, text: &str, x0: f64, x1: f64, y: f64, size: f64) {
    let space = text.chars().all(char::is_whitespace);
    if let Some(f) = frags.last_mut() {
        let gap = x0 - f.x1;
        if (y - f.y).abs() < 0.1 * size
            && (f.size - size).abs() < 0.25 * size
            && gap > -0.5 * size
            && gap < 0.2 * size
        {
            if space {
                if f.word_end.is_none() && !f.text.trim().is_empty() {
                    f.word_end = Some(x0);
                }
            } else {
                f.ink_x1 = f.ink_x1.max(x1);
            }
            f.text.push_str(text);
            f.x1 = f.x1.max(x1);
            return;
        }
    }
    frags.push(Frag {
        x0,
        x1,
        ink_x1: if space { x0 } else { x1 },
        word_end: None,
        y,
        size,
        text: text.to_string(),
    });
}
