//! Check boxes drawn on the page: a small square (a stroked `re`, four lines, four thin
//! filled bars, or a filled frame) is a box; two diagonal strokes, a filled mark or a mark
//! glyph (✓, ✗, X) inside it tick it. LibreOffice exports a Word legacy check box this way
//! (`re S`, then two `m l S` diagonals when ticked), and so do printed fillable PDFs.

use super::frag::Frag;

/// Side of a check box, in points.
const MIN_SIDE: f64 = 5.0;
const MAX_SIDE: f64 = 16.5;
/// Shapes larger than this are page furniture (tables, frames), never boxes or marks.
const MAX_KEPT: f64 = 25.0;
/// Shapes kept per page at most (a page of hatching is not a form).
const MAX_SHAPES: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub(crate) fn of(points: &[(f64, f64)]) -> Rect {
        let mut r = Rect {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        };
        for &(x, y) in points {
            r.x0 = r.x0.min(x);
            r.y0 = r.y0.min(y);
            r.x1 = r.x1.max(x);
            r.y1 = r.y1.max(y);
        }
        r
    }
    pub(crate) fn intersect(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1).max(self.x0.max(o.x0)),
            y1: self.y1.min(o.y1).max(self.y0.max(o.y0)),
        }
    }
    /// Whether this rectangle is the frame of `o`: each side within `tol` of o's.
    fn frames(&self, o: &Rect, tol: f64) -> bool {
        (self.x0 - o.x0).abs() <= tol
            && (self.y0 - o.y0).abs() <= tol
            && (self.x1 - o.x1).abs() <= tol
            && (self.y1 - o.y1).abs() <= tol
    }
    /// Whether at most half of this shape's width or height shows through the clip `c`.
    fn mostly_clipped(&self, c: &Rect) -> bool {
        let seen = self.intersect(c);
        let tol = 2.0;
        seen.w() + tol < self.w() / 2.0 || seen.h() + tol < self.h() / 2.0
    }
    pub(crate) fn w(&self) -> f64 {
        self.x1 - self.x0
    }
    pub(crate) fn h(&self) -> f64 {
        self.y1 - self.y0
    }
    pub(crate) fn cx(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
    pub(crate) fn cy(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }
    fn contains(&self, x: f64, y: f64, margin: f64) -> bool {
        x >= self.x0 - margin
            && x <= self.x1 + margin
            && y >= self.y0 - margin
            && y <= self.y1 + margin
    }
    fn side(&self) -> f64 {
        self.w().max(self.h())
    }
    fn box_sized(&self) -> bool {
        let (w, h) = (self.w(), self.h());
        (MIN_SIDE..=MAX_SIDE).contains(&w)
            && (MIN_SIDE..=MAX_SIDE).contains(&h)
            && w / h > 0.75
            && w / h < 1.34
    }
}

#[derive(Debug, Clone, Copy)]
struct Seg {
    a: (f64, f64),
    b: (f64, f64),
}

impl Seg {
    /// The line a thin filled rectangle stands for (a bar drawn instead of a stroke): its
    /// centre line along its longer side.
    fn centre_line(r: Rect) -> Seg {
        if r.w() >= r.h() {
            Seg {
                a: (r.x0, r.cy()),
                b: (r.x1, r.cy()),
            }
        } else {
            Seg {
                a: (r.cx(), r.y0),
                b: (r.cx(), r.y1),
            }
        }
    }

    fn len(&self) -> f64 {
        ((self.b.0 - self.a.0).powi(2) + (self.b.1 - self.a.1).powi(2)).sqrt()
    }
    fn horizontal(&self) -> bool {
        (self.b.1 - self.a.1).abs() < 0.6 && (self.b.0 - self.a.0).abs() >= 0.6
    }
    fn vertical(&self) -> bool {
        (self.b.0 - self.a.0).abs() < 0.6 && (self.b.1 - self.a.1).abs() >= 0.6
    }
    fn diagonal(&self) -> bool {
        let (dx, dy) = ((self.b.0 - self.a.0).abs(), (self.b.1 - self.a.1).abs());
        let l = self.len();
        dx > 0.3 * l && dy > 0.3 * l
    }
    fn mid(&self) -> (f64, f64) {
        ((self.a.0 + self.b.0) / 2.0, (self.a.1 + self.b.1) / 2.0)
    }
}

#[derive(Default)]
struct Sub {
    pts: Vec<(f64, f64)>,
    curve: bool,
    closed: bool,
}

/// A check box found on the page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Drawn {
    pub rect: Rect,
    pub checked: bool,
}

#[derive(Default)]
pub(crate) struct Shapes {
    path: Vec<Sub>,
    /// Stroked squares of a box's size.
    boxes: Vec<Rect>,
    /// Filled squares of a box's size: (rect, white).
    filled: Vec<(Rect, bool)>,
    /// Short straight segments, stroked or thin filled bars.
    segs: Vec<Seg>,
    /// Other small painted shapes (curves, polygons, filled dots): possible tick marks.
    marks: Vec<Rect>,
    /// Long horizontal and vertical strokes: table borders.
    rules: Vec<Seg>,
    kept: usize,
}

impl Shapes {
    pub(crate) fn move_to(&mut self, p: (f64, f64)) {
        if self.path.len() >= 4096 {
            return;
        }
        self.path.push(Sub {
            pts: vec![p],
            ..Default::default()
        });
    }

    pub(crate) fn line_to(&mut self, p: (f64, f64)) {
        if let Some(s) = self.path.last_mut() {
            if s.pts.len() < 4096 {
                s.pts.push(p);
            }
        } else {
            self.move_to(p);
        }
    }

    pub(crate) fn curve_to(&mut self, pts: &[(f64, f64)]) {
        if self.path.is_empty()
            && let Some(p) = pts.first()
        {
            self.move_to(*p);
        }
        if let Some(s) = self.path.last_mut() {
            s.curve = true;
            if s.pts.len() < 4096 {
                s.pts.extend_from_slice(pts);
            }
        }
    }

    pub(crate) fn close(&mut self) {
        if let Some(s) = self.path.last_mut() {
            s.closed = true;
        }
    }

    pub(crate) fn rect(&mut self, corners: [(f64, f64); 4]) {
        if self.path.len() >= 4096 {
            return;
        }
        self.path.push(Sub {
            pts: corners.to_vec(),
            curve: false,
            closed: true,
        });
    }

    pub(crate) fn clear(&mut self) {
        self.path.clear();
    }

    /// The bounds of the path being built, if any.
    pub(crate) fn bounds(&self) -> Option<Rect> {
        self.path
            .iter()
            .map(|s| Rect::of(&s.pts))
            .filter(|r| r.x0.is_finite())
            .reduce(|a, b| Rect {
                x0: a.x0.min(b.x0),
                y0: a.y0.min(b.y0),
                x1: a.x1.max(b.x1),
                y1: a.y1.max(b.y1),
            })
    }

    /// Paints the path being built, under the clipping rectangle `clip`: what the clip hides
    /// (mostly) is not drawn. A form field printed by Ghostscript strokes its border together
    /// with the clip path its appearance left pending (`re W` without `n`): when one of the
    /// rectangles painted is the clip's own frame, the others inside it are that leftover.
    pub(crate) fn paint(&mut self, stroke: bool, fill: bool, white: bool, clip: Option<Rect>) {
        let mut path = std::mem::take(&mut self.path);
        if let Some(c) = clip {
            path.retain(|s| {
                let r = Rect::of(&s.pts);
                !r.x0.is_finite() || !r.mostly_clipped(&c)
            });
            let is_frame =
                |s: &Sub| s.closed && s.pts.len() == 4 && Rect::of(&s.pts).frames(&c, 2.5);
            if path.len() > 1 && path.iter().any(is_frame) {
                path.retain(|s| is_frame(s) || !s.closed);
            }
        }
        for sub in path {
            if self.kept >= MAX_SHAPES {
                break;
            }
            self.sub(sub, stroke, fill, white);
        }
    }

    fn sub(&mut self, mut sub: Sub, stroke: bool, fill: bool, white: bool) {
        if sub.pts.is_empty() {
            return;
        }
        let r = Rect::of(&sub.pts);
        if !r.x0.is_finite() || !r.y0.is_finite() {
            return;
        }
        if !sub.curve && r.side() > MAX_KEPT {
            self.rules_of(&sub, r, stroke, fill, white);
            return;
        }
        if sub.curve {
            if (stroke || fill && !white) && r.side() <= MAX_KEPT {
                self.marks.push(r);
                self.kept += 1;
            }
            return;
        }
        sub.pts
            .dedup_by(|a, b| (a.0 - b.0).abs() < 0.05 && (a.1 - b.1).abs() < 0.05);
        if sub.pts.len() > 2 {
            let (f, l) = (sub.pts[0], sub.pts[sub.pts.len() - 1]);
            if (f.0 - l.0).abs() < 0.3 && (f.1 - l.1).abs() < 0.3 {
                sub.pts.pop();
                sub.closed = true;
            }
        }
        let axis =
            |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 0.3 || (a.1 - b.1).abs() < 0.3;
        let n = sub.pts.len();
        let is_rect =
            n == 4 && (0..4).all(|i| axis(sub.pts[i], sub.pts[(i + 1) % 4])) && sub.closed;
        if is_rect {
            let thin = r.w().min(r.h()) < 1.6;
            if thin && r.side() <= MAX_KEPT && (stroke || !white) {
                // A bar: one side of a square drawn as a filled rectangle.
                self.segs.push(Seg::centre_line(r));
                self.kept += 1;
                return;
            }
            if r.box_sized() {
                if stroke {
                    self.boxes.push(r);
                }
                if fill {
                    self.filled.push((r, white));
                }
                self.kept += 1;
            }
            if fill && !white && r.side() <= MAX_SIDE {
                self.marks.push(r);
                self.kept += 1;
            }
            return;
        }
        if stroke {
            let edges = if sub.closed { n } else { n - 1 };
            for i in 0..edges {
                let s = Seg {
                    a: sub.pts[i],
                    b: sub.pts[(i + 1) % n],
                };
                if s.len() <= MAX_KEPT * 1.5 {
                    self.segs.push(s);
                    self.kept += 1;
                }
            }
        }
        // A polygon or a hand-drawn stroke (an ink tick) of a mark's size.
        if (fill && !white || stroke) && n > 2 && r.side() <= MAX_KEPT {
            self.marks.push(r);
            self.kept += 1;
        }
    }

    /// Long horizontal and vertical strokes, and long thin bars: table borders.
    fn rules_of(&mut self, sub: &Sub, r: Rect, stroke: bool, fill: bool, white: bool) {
        if self.rules.len() >= MAX_SHAPES {
            return;
        }
        if fill && !white && r.w().min(r.h()) < 1.6 {
            self.rules.push(Seg::centre_line(r));
            return;
        }
        if !stroke {
            return;
        }
        let n = sub.pts.len();
        let closed = sub.closed
            || n > 2 && {
                let (f, l) = (sub.pts[0], sub.pts[n - 1]);
                (f.0 - l.0).abs() < 0.3 && (f.1 - l.1).abs() < 0.3
            };
        let edges = if closed { n } else { n.saturating_sub(1) };
        for i in 0..edges.min(64) {
            let s = Seg {
                a: sub.pts[i],
                b: sub.pts[(i + 1) % n],
            };
            if (s.horizontal() || s.vertical()) && s.len() > MAX_KEPT {
                self.rules.push(s);
            }
        }
    }

    /// Long horizontal and vertical lines drawn on the page (table borders), as
    /// `((x0, y0), (x1, y1))`.
    pub fn rules(&self) -> Vec<super::grid::Rule> {
        self.rules.iter().map(|s| (s.a, s.b)).collect()
    }

    /// The check boxes of the page. Glyphs inside a box (✓, X, ☐…) are its mark and are
    /// removed from the text; a square around letters or digits is a frame, not a box.
    pub(crate) fn finish(&self, frags: &mut Vec<Frag>) -> Vec<Drawn> {
        let mut boxes = self.boxes.clone();
        boxes.extend(self.squares_from_segments());
        boxes.extend(self.frames());
        boxes.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        // The same square drawn twice, or a frame's outer and inner edges: one box.
        let mut unique: Vec<Rect> = Vec::new();
        for b in boxes {
            let dup = unique
                .iter_mut()
                .rev()
                .take_while(|u| b.x0 - u.x0 < 4.0)
                .find(|u| (u.cx() - b.cx()).abs() < 2.5 && (u.cy() - b.cy()).abs() < 2.5);
            match dup {
                Some(u) => {
                    if b.side() > u.side() {
                        *u = b;
                    }
                }
                None => unique.push(b),
            }
        }
        if unique.is_empty() {
            return Vec::new();
        }

        // Marks and glyphs by their centre's height, to find those inside a box quickly.
        let mut marks: Vec<(f64, Mark)> = Vec::new();
        for s in &self.segs {
            if s.diagonal() {
                marks.push((s.mid().1, Mark::Stroke(*s)));
            }
        }
        for r in &self.marks {
            marks.push((r.cy(), Mark::Shape(*r)));
        }
        for (i, f) in frags.iter().enumerate() {
            if !f.text.trim().is_empty() {
                marks.push((f.y + 0.3 * f.size, Mark::Text(i)));
            }
        }
        marks.sort_by(|a, b| a.0.total_cmp(&b.0));

        let mut drop = vec![false; frags.len()];
        let mut found = Vec::new();
        'boxes: for b in unique {
            let side = b.side();
            let from = marks.partition_point(|m| m.0 < b.y0 - 1.0);
            let mut checked = false;
            let mut consumed = Vec::new();
            for (_, m) in marks[from..].iter().take_while(|m| m.0 <= b.y1 + 1.0) {
                match *m {
                    Mark::Stroke(s) => {
                        let (x, y) = s.mid();
                        if b.contains(x, y, 0.5) && s.len() >= 0.35 * side && s.len() <= 1.6 * side
                        {
                            checked = true;
                        }
                    }
                    Mark::Shape(r) => {
                        if b.contains(r.cx(), r.cy(), 0.5)
                            && r.side() >= 0.25 * side
                            && r.side() <= 0.92 * side
                        {
                            checked = true;
                        }
                    }
                    Mark::Text(i) => {
                        let f = &frags[i];
                        let cx = (f.x0 + f.x1) / 2.0;
                        if !b.contains(cx, f.y + 0.3 * f.size, 0.5) {
                            continue;
                        }
                        let t = f.text.trim();
                        match t {
                            "x" | "X" | "✓" | "✔" | "✗" | "✘" | "☒" | "☑" | "■" | "●" | "◆"
                            | "•" => {
                                checked = true;
                                consumed.push(i);
                            }
                            "☐" | "□" => consumed.push(i),
                            _ if t.chars().any(|c| c.is_alphanumeric()) => continue 'boxes,
                            _ => {}
                        }
                    }
                }
            }
            for i in consumed {
                drop[i] = true;
            }
            found.push(Drawn { rect: b, checked });
        }
        if drop.iter().any(|d| *d) {
            let mut i = 0;
            frags.retain(|_| {
                i += 1;
                !drop[i - 1]
            });
        }
        found
    }

    /// Squares made of four separate strokes or bars.
    fn squares_from_segments(&self) -> Vec<Rect> {
        let norm = |s: &Seg| {
            let (a, b) = if (s.a.0, s.a.1) <= (s.b.0, s.b.1) {
                (s.a, s.b)
            } else {
                (s.b, s.a)
            };
            Seg { a, b }
        };
        let mut hs: Vec<Seg> = self
            .segs
            .iter()
            .filter(|s| s.horizontal() && (MIN_SIDE - 1.0..=MAX_SIDE + 1.0).contains(&s.len()))
            .map(norm)
            .take(4000)
            .collect();
        let mut vs: Vec<Seg> = self
            .segs
            .iter()
            .filter(|s| s.vertical() && (MIN_SIDE - 1.0..=MAX_SIDE + 1.0).contains(&s.len()))
            .map(|s| {
                let (a, b) = if s.a.1 <= s.b.1 {
                    (s.a, s.b)
                } else {
                    (s.b, s.a)
                };
                Seg { a, b }
            })
            .take(4000)
            .collect();
        if hs.len() < 2 || vs.len() < 2 {
            return Vec::new();
        }
        hs.sort_by(|a, b| a.a.0.total_cmp(&b.a.0));
        vs.sort_by(|a, b| a.a.0.total_cmp(&b.a.0));
        let has_vertical = |x: f64, y0: f64, y1: f64| {
            let from = vs.partition_point(|v| v.a.0 < x - 1.0);
            vs[from..]
                .iter()
                .take_while(|v| v.a.0 <= x + 1.0)
                .any(|v| v.a.1 <= y0 + 1.0 && v.b.1 >= y1 - 1.0)
        };
        let mut out = Vec::new();
        for (i, h1) in hs.iter().enumerate() {
            for h2 in hs[i + 1..].iter().take_while(|h| h.a.0 - h1.a.0 <= 1.0) {
                if (h2.b.0 - h1.b.0).abs() > 1.0 {
                    continue;
                }
                let (y0, y1) = (h1.a.1.min(h2.a.1), h1.a.1.max(h2.a.1));
                let r = Rect {
                    x0: h1.a.0.min(h2.a.0),
                    y0,
                    x1: h1.b.0.max(h2.b.0),
                    y1,
                };
                if r.box_sized() && has_vertical(r.x0, y0, y1) && has_vertical(r.x1, y0, y1) {
                    out.push(r);
                }
            }
        }
        out
    }

    /// A filled dark square with a white square just inside it: a box's frame.
    fn frames(&self) -> Vec<Rect> {
        let dark: Vec<Rect> = self
            .filled
            .iter()
            .filter(|f| !f.1)
            .map(|f| f.0)
            .take(4000)
            .collect();
        let mut out = Vec::new();
        if dark.is_empty() {
            return out;
        }
        for (w, _) in self.filled.iter().filter(|f| f.1).take(4000) {
            if let Some(d) = dark.iter().find(|d| {
                let m = [w.x0 - d.x0, w.y0 - d.y0, d.x1 - w.x1, d.y1 - w.y1];
                m.iter().all(|v| (0.2..=3.0).contains(v))
            }) {
                out.push(*d);
            }
        }
        out
    }
}

enum Mark {
    Stroke(Seg),
    Shape(Rect),
    Text(usize),
}
