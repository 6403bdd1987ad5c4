//! Ruled tables: horizontal and vertical border lines that cross make a grid; its rows and
//! columns are the bands between the lines, and a missing vertical line inside a row joins
//! two cells, as Word's merged cells (`gridSpan`).

/// A straight line drawn on the page, from one point to another.
pub(crate) type Rule = ((f64, f64), (f64, f64));

/// At most this many rules are looked at on a page.
const MAX_RULES: usize = 3000;
/// Lines this close are one.
const TOL: f64 = 1.5;

#[derive(Debug, Clone, Copy)]
struct H {
    y: f64,
    x0: f64,
    x1: f64,
}

#[derive(Debug, Clone, Copy)]
struct V {
    x: f64,
    y0: f64,
    y1: f64,
}

/// A table found on the page.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    /// Column boundaries, left to right.
    pub xs: Vec<f64>,
    /// Row boundaries, top to bottom (decreasing y).
    pub ys: Vec<f64>,
    /// For each row, for each column: whether the cell is joined to the one on its left.
    pub joined: Vec<Vec<bool>>,
}

impl Grid {
    pub(crate) fn top(&self) -> f64 {
        self.ys[0]
    }

    pub(crate) fn contains(&self, x: f64, y: f64) -> bool {
        x > self.xs[0]
            && x < self.xs[self.xs.len() - 1]
            && y < self.ys[0]
            && y > self.ys[self.ys.len() - 1]
    }

    /// The cell (row, first column of its span) at a point inside the grid.
    pub(crate) fn cell(&self, x: f64, y: f64) -> (usize, usize) {
        let row = self
            .ys
            .partition_point(|&b| b > y)
            .saturating_sub(1)
            .min(self.ys.len() - 2);
        let mut col = self
            .xs
            .partition_point(|&b| b < x)
            .saturating_sub(1)
            .min(self.xs.len() - 2);
        while col > 0 && self.joined[row][col] {
            col -= 1;
        }
        (row, col)
    }

    pub(crate) fn rows(&self) -> usize {
        self.ys.len() - 1
    }

    pub(crate) fn cols(&self) -> usize {
        self.xs.len() - 1
    }
}

fn cluster(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    let mut out: Vec<f64> = Vec::new();
    for x in v {
        match out.last() {
            Some(&l) if x - l <= TOL * 2.0 => {}
            _ => out.push(x),
        }
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The ruled tables among the page's long lines.
pub(crate) fn detect(rules: &[Rule]) -> Vec<Grid> {
    let mut hs: Vec<H> = Vec::new();
    let mut vs: Vec<V> = Vec::new();
    for &((ax, ay), (bx, by)) in rules.iter().take(MAX_RULES) {
        if (ay - by).abs() < 1.0 {
            hs.push(H {
                y: (ay + by) / 2.0,
                x0: ax.min(bx),
                x1: ax.max(bx),
            });
        } else if (ax - bx).abs() < 1.0 {
            vs.push(V {
                x: (ax + bx) / 2.0,
                y0: ay.min(by),
                y1: ay.max(by),
            });
        }
    }
    if hs.len() < 2 || vs.len() < 2 {
        return Vec::new();
    }
    // Collinear pieces of one border are one line.
    hs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut merged_h: Vec<H> = Vec::new();
    for h in hs {
        match merged_h.last_mut() {
            Some(m) if (m.y - h.y).abs() < TOL && h.x0 <= m.x1 + 2.0 => m.x1 = m.x1.max(h.x1),
            _ => merged_h.push(h),
        }
    }
    vs.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y0.total_cmp(&b.y0)));
    let mut merged_v: Vec<V> = Vec::new();
    for v in vs {
        match merged_v.last_mut() {
            Some(m) if (m.x - v.x).abs() < TOL && v.y0 <= m.y1 + 2.0 => m.y1 = m.y1.max(v.y1),
            _ => merged_v.push(v),
        }
    }
    let (hs, vs) = (merged_h, merged_v);
    // Lines that cross belong to one table.
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.x >= h.x0 - TOL && v.x <= h.x1 + TOL && h.y >= v.y0 - TOL && h.y <= v.y1 + TOL {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<H>, Vec<V>)> = Default::default();
    for (i, h) in hs.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        let r = find(&mut parent, hs.len() + j);
        groups.entry(r).or_default().1.push(*v);
    }
    let mut grids = Vec::new();
    for (_, (gh, gv)) in groups {
        if gh.len() < 2 || gv.len() < 2 {
            continue;
        }
        let xs = cluster(gv.iter().map(|v| v.x).collect());
        let mut ys = cluster(gh.iter().map(|h| h.y).collect());
        ys.reverse();
        if xs.len() < 2 || ys.len() < 2 || (xs.len() - 1) * (ys.len() - 1) < 2 {
            continue;
        }
        if xs.len() > 200 || ys.len() > 1000 {
            continue;
        }
        let joined = (0..ys.len() - 1)
            .map(|r| {
                let mid = (ys[r] + ys[r + 1]) / 2.0;
                (0..xs.len() - 1)
                    .map(|c| {
                        c > 0
                            && !gv.iter().any(|v| {
                                (v.x - xs[c]).abs() <= TOL * 2.0
                                    && v.y0 <= mid + TOL
                                    && v.y1 >= mid - TOL
                            })
                    })
                    .collect()
            })
            .collect();
        grids.push(Grid { xs, ys, joined });
    }
    grids.sort_by(|a, b| b.top().total_cmp(&a.top()));
    grids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ruled_table_with_a_merged_cell() {
        // Three rows, three columns; the top row's first two cells are merged.
        let mut rules = Vec::new();
        for y in [300.0, 280.0, 260.0, 240.0] {
            rules.push(((50.0, y), (350.0, y)));
        }
        rules.push(((50.0, 300.0), (50.0, 240.0)));
        rules.push(((150.0, 280.0), (150.0, 240.0)));
        rules.push(((250.0, 300.0), (250.0, 240.0)));
        rules.push(((350.0, 300.0), (350.0, 240.0)));
        let grids = detect(&rules);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!((g.rows(), g.cols()), (3, 3));
        assert_eq!(g.cell(200.0, 290.0), (0, 0));
        assert_eq!(g.cell(200.0, 270.0), (1, 1));
        assert_eq!(g.cell(300.0, 250.0), (2, 2));
    }
}
