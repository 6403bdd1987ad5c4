//! One page put together: ruled tables cell by cell, the other text line by line, in reading
//! order; then the document's paragraphs and tables.

use super::frag::Frag;
use super::grid::{self, Grid};
use super::layout::{self, Float, LineOut};
use crate::document::{Cell, Paragraph, Place, Table};

/// A table of the page: for each row, each cell's lines (`None` for a cell covered by the
/// one on its left).
pub(crate) struct TableOut {
    pub top: f64,
    /// Column boundaries.
    pub xs: Vec<f64>,
    pub cells: Vec<Vec<Option<Vec<LineOut>>>>,
}

pub(crate) enum Block {
    Line(LineOut),
    Table(TableOut),
}

impl Block {
    fn top(&self) -> f64 {
        match self {
            Block::Line(l) => l.base,
            Block::Table(t) => t.top,
        }
    }
}

pub(crate) struct PageOut {
    /// Top and bottom of the page, as displayed.
    pub top: f64,
    pub bottom: f64,
    pub blocks: Vec<Block>,
}

/// The page's text and boxes into blocks, top to bottom.
pub(crate) fn assemble(frags: Vec<Frag>, floats: Vec<Float>, rules: &[grid::Rule]) -> Vec<Block> {
    let grids = grid::detect(rules);
    if grids.is_empty() {
        return layout::lines(frags, floats)
            .into_iter()
            .map(Block::Line)
            .collect();
    }
    type CellItems = (Vec<Frag>, Vec<Float>);
    let mut cells: Vec<Vec<Vec<CellItems>>> = grids
        .iter()
        .map(|g| {
            (0..g.rows())
                .map(|_| (0..g.cols()).map(|_| (Vec::new(), Vec::new())).collect())
                .collect()
        })
        .collect();
    let mut used = vec![false; grids.len()];
    let locate = |x: f64, y: f64| -> Option<(usize, usize, usize)> {
        let gi = grids.iter().position(|g| g.contains(x, y))?;
        let (r, c) = grids[gi].cell(x, y);
        Some((gi, r, c))
    };
    let mut rest_frags = Vec::new();
    for f in frags {
        match locate(f.x0 + 1.0, f.y + 0.3 * f.size) {
            Some((g, r, c)) => {
                used[g] = true;
                cells[g][r][c].0.push(f);
            }
            None => rest_frags.push(f),
        }
    }
    let mut rest_floats = Vec::new();
    for f in floats {
        match locate((f.x0 + f.x1) / 2.0, f.anchor) {
            Some((g, r, c)) => {
                used[g] = true;
                cells[g][r][c].1.push(f);
            }
            None => rest_floats.push(f),
        }
    }
    let mut blocks: Vec<Block> = layout::lines(rest_frags, rest_floats)
        .into_iter()
        .map(Block::Line)
        .collect();
    for (gi, (g, rows)) in grids.iter().zip(cells).enumerate() {
        if !used[gi] {
            continue;
        }
        blocks.push(Block::Table(table(g, rows)));
    }
    blocks.sort_by(|a, b| b.top().total_cmp(&a.top()));
    blocks
}

fn table(g: &Grid, rows: Vec<Vec<(Vec<Frag>, Vec<Float>)>>) -> TableOut {
    let cells = rows
        .into_iter()
        .enumerate()
        .map(|(r, row)| {
            row.into_iter()
                .enumerate()
                .map(|(c, (frags, floats))| {
                    if g.joined[r][c] {
                        return None;
                    }
                    let lines = layout::lines(frags, floats);
                    // The cell's text runs between its padding, the same on both sides.
                    let mut end = c + 1;
                    while end < g.cols() && g.joined[r][end] {
                        end += 1;
                    }
                    let (left, right) = (g.xs[c], g.xs[end]);
                    let x0 = lines.iter().map(|l| l.x0).fold(right, f64::min);
                    let pad = (x0 - left).clamp(0.0, 20.0);
                    Some(layout::join_wrapped(lines, left + pad, right - pad, 0.0))
                })
                .collect()
        })
        .collect();
    TableOut {
        top: g.top(),
        xs: g.xs.clone(),
        cells,
    }
}

/// Wrapped lines joined again into their paragraphs, on each page and over page breaks.
///
/// The rule: a line goes on into the next one when the writer did not break it, that is when
/// it reaches the right edge of the text column (the next line's first word would not have
/// fitted on it) and the next line follows at the usual spacing from the left margin. A line
/// much shorter than the column, an empty line between them (a new paragraph), a box or a
/// dotted line keep the break: a multi-line answer keeps its real line breaks.
///
/// The column's right edge is measured over the whole document (where its lines end, see
/// [`layout::text_edges`]): a page with few full lines (short answers, a table) would
/// otherwise take the end of its longest answer for the edge of the column, and join the next
/// line to it. A page whose lines tell no edge at all (a line or two) is left as it is.
pub(crate) fn join_lines(pages: &mut [PageOut]) {
    fn lines(p: &PageOut) -> Vec<&LineOut> {
        p.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some(l),
                _ => None,
            })
            .collect()
    }
    let all: Vec<&LineOut> = pages.iter().flat_map(|p| lines(p)).collect();
    let Some((_, edge)) = layout::text_edges(&all) else {
        return;
    };
    // Each page's column: its own left margin, the document's right edge.
    let columns: Vec<Option<(f64, f64)>> = pages
        .iter()
        .map(|p| layout::text_edges(&lines(p)).map(|(left, own)| (left, own.max(edge))))
        .collect();
    for (p, column) in pages.iter_mut().zip(&columns) {
        if let Some(column) = column {
            p.blocks = join(std::mem::take(&mut p.blocks), *column);
        }
    }
    join_across_pages(pages, &columns);
}

/// Wrapped lines joined again, within the text between tables.
fn join(blocks: Vec<Block>, (left, edge): (f64, f64)) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut run: Vec<LineOut> = Vec::new();
    for b in blocks {
        match b {
            Block::Line(l) => run.push(l),
            table => {
                out.extend(
                    layout::join_wrapped(std::mem::take(&mut run), left, edge, 0.6)
                        .into_iter()
                        .map(Block::Line),
                );
                out.push(table);
            }
        }
    }
    out.extend(
        layout::join_wrapped(run, left, edge, 0.6)
            .into_iter()
            .map(Block::Line),
    );
    out
}

fn cell_text(cell: &Option<Vec<LineOut>>) -> Option<String> {
    let lines = cell.as_ref()?;
    let mut s = String::new();
    for l in lines {
        for i in &l.inlines {
            if let crate::document::Inline::Text(t) = i {
                s.push_str(t);
            }
        }
        s.push(' ');
    }
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn row_texts(row: &[Option<Vec<LineOut>>]) -> Vec<Option<String>> {
    row.iter().map(cell_text).collect()
}

/// A table that runs over a page break is one table: the part on the next page loses the
/// header rows Word repeats there, and a row cut by the break is one row again (the part on
/// the next page holds only the rest of the text of cells filled above it: a question whose
/// last line went over, its oui/non cells empty there, keeps the boxes of its first part).
///
/// Pages are taken from the last: a table over three pages or more, whose middle page holds
/// nothing else, is gathered from its end, each part into the one before it.
pub(crate) fn merge_across_pages(pages: &mut [PageOut]) {
    for p in (1..pages.len()).rev() {
        let (before, after) = pages.split_at_mut(p);
        let Some(Block::Table(a)) = before[p - 1].blocks.last_mut() else {
            continue;
        };
        let Some(Block::Table(b)) = after[0].blocks.first() else {
            continue;
        };
        let same_columns =
            a.xs.len() == b.xs.len() && a.xs.iter().zip(&b.xs).all(|(x, y)| (x - y).abs() < 2.0);
        if !same_columns {
            continue;
        }
        let Some(Block::Table(mut b)) = Some(after[0].blocks.remove(0)) else {
            continue;
        };
        let mut skip = 0;
        while skip < b.cells.len()
            && skip < a.cells.len()
            && row_texts(&b.cells[skip]) == row_texts(&a.cells[skip])
            && row_texts(&b.cells[skip]).iter().any(Option::is_some)
        {
            skip += 1;
        }
        b.cells.drain(..skip);
        if let (Some(last), Some(first)) = (a.cells.last_mut(), b.cells.first()) {
            let tail = row_texts(first);
            let head = row_texts(last);
            // A number, or a tick typed as a letter, answers its own row: it goes on nothing.
            let answer = |t: &String| {
                t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
                    || matches!(t.trim(), "x" | "X")
            };
            let boxes = first.iter().flatten().flatten().any(|l| {
                l.inlines
                    .iter()
                    .any(|i| matches!(i, crate::document::Inline::Check(_)))
            });
            let continues = !boxes
                && tail.len() == head.len()
                && tail.iter().any(Option::is_some)
                && tail.iter().zip(&head).all(|(t, h)| match t {
                    Some(t) => h.is_some() && !answer(t),
                    None => true,
                });
            if continues {
                let first = b.cells.remove(0);
                for (cell, rest) in last.iter_mut().zip(first) {
                    if let (Some(lines), Some(rest)) = (cell.as_mut(), rest) {
                        let mut rest = rest.into_iter();
                        if let (Some(end), Some(next)) = (lines.last_mut(), rest.next()) {
                            layout::append(end, next);
                        }
                        lines.extend(rest);
                    }
                }
            }
        }
        a.cells.extend(b.cells);
    }
}

/// A paragraph that runs over a page break is one paragraph: the last line of a page reaches
/// the right edge and the next page starts at the left margin.
fn join_across_pages(pages: &mut [PageOut], columns: &[Option<(f64, f64)>]) {
    for p in 1..pages.len() {
        let Some((left, edge)) = columns[p - 1] else {
            continue;
        };
        let next_left = pages[p]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some(l.x0),
                _ => None,
            })
            .fold(f64::MAX, f64::min);
        let (before, after) = pages.split_at_mut(p);
        let (Some(Block::Line(last)), Some(Block::Line(first))) =
            (before[p - 1].blocks.last_mut(), after[0].blocks.first())
        else {
            continue;
        };
        // As if the next page's line came right under the last one.
        let mut moved = first.clone();
        moved.base = last.base - 1.2 * last.size;
        moved.x0 = moved.x0 - next_left + left;
        if layout::continues(last, &moved, left, edge, 0.6) {
            layout::append(last, moved);
            after[0].blocks.remove(0);
        }
    }
}

/// The pages' blocks as the document's paragraphs and tables.
pub(crate) fn emit(pages: Vec<PageOut>, paragraphs: &mut Vec<Paragraph>, tables: &mut Vec<Table>) {
    for (index, page) in pages.into_iter().enumerate() {
        let mut line = 0;
        for block in page.blocks {
            match block {
                Block::Line(l) => {
                    line += 1;
                    paragraphs.push(Paragraph {
                        place: Place::Line {
                            page: index + 1,
                            line,
                        },
                        inlines: l.inlines,
                    });
                }
                Block::Table(t) => {
                    let number = tables.len() + 1;
                    let mut table = Table::default();
                    for (r, row) in t.cells.into_iter().enumerate() {
                        let mut out_row = Vec::with_capacity(row.len());
                        for (c, cell) in row.into_iter().enumerate() {
                            let Some(lines) = cell else {
                                out_row.push(Cell::Empty);
                                continue;
                            };
                            let mut text = String::new();
                            for l in lines {
                                let p = Paragraph {
                                    place: Place::Cell {
                                        table: number,
                                        row: r + 1,
                                        col: c + 1,
                                    },
                                    inlines: l.inlines,
                                };
                                if !text.is_empty() {
                                    text.push('\n');
                                }
                                text.push_str(&p.text());
                                paragraphs.push(p);
                            }
                            let text = text.trim().to_string();
                            out_row.push(if text.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(text)
                            });
                        }
                        table.rows.push(out_row);
                    }
                    tables.push(table);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Check, CheckKind, Inline};

    /// A line of 10-point text from `x0` to `x1` on baseline `base`.
    fn line(text: &str, x0: f64, x1: f64, base: f64) -> LineOut {
        let first = text.split_whitespace().next().unwrap_or("");
        LineOut {
            base,
            size: 10.0,
            x0,
            x1,
            first_word: 5.0 * first.chars().count() as f64,
            inlines: vec![Inline::Text(text.to_string())],
        }
    }

    fn page(blocks: Vec<Block>) -> PageOut {
        PageOut {
            top: 842.0,
            bottom: 0.0,
            blocks,
        }
    }

    fn texts(pages: &[PageOut]) -> Vec<String> {
        pages
            .iter()
            .flat_map(|p| &p.blocks)
            .filter_map(|b| match b {
                Block::Line(l) => Some(
                    l.inlines
                        .iter()
                        .map(|i| match i {
                            Inline::Text(t) => t.as_str(),
                            Inline::Check(_) => "☐",
                        })
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn wrapped_lines_are_one_paragraph_real_breaks_stay() {
        let l = |t: &str, x1: f64, base: f64| Block::Line(line(t, 57.0, x1, base));
        let mut pages = vec![
            // A page of short answers: its longest lines are not the column's edge.
            page(vec![
                l(
                    "Nom du porteur de projet : Association Les Cartables",
                    365.0,
                    760.0,
                ),
                l(
                    "Etablissements scolaires concernés : Collège des Tilleuls",
                    369.0,
                    746.0,
                ),
            ]),
            page(vec![
                l("Lycée professionnel de la Vallée du Lot", 260.0, 780.0),
                l(
                    "Globalement, quel bilan faites-vous de l'action menée cette année ?",
                    538.0,
                    760.0,
                ),
                // Wrapped by the layout: reaches the edge, goes on at the usual spacing.
                l(
                    "Une année riche en rencontres avec les familles et les écoles du quartier, avec",
                    537.0,
                    740.0,
                ),
                l("des sorties au musée.", 160.0, 728.0),
                // Broken by the writer: a short line, then the next one.
                l("Deux collectifs complets.", 180.0, 716.0),
                l(
                    "Quelles difficultés avez-vous rencontrées au cours de l'année ?",
                    536.0,
                    696.0,
                ),
            ]),
        ];
        join_lines(&mut pages);
        assert_eq!(
            texts(&pages),
            [
                "Nom du porteur de projet : Association Les Cartables",
                "Etablissements scolaires concernés : Collège des Tilleuls",
                "Lycée professionnel de la Vallée du Lot",
                "Globalement, quel bilan faites-vous de l'action menée cette année ?",
                "Une année riche en rencontres avec les familles et les écoles du quartier, avec des sorties au musée.",
                "Deux collectifs complets.",
                "Quelles difficultés avez-vous rencontrées au cours de l'année ?",
            ]
        );
    }

    /// A table part: its « Oui | Non » header, then rows of (question, oui box, non box);
    /// `None` for an empty cell.
    fn table(top: f64, rows: &[(&str, Option<bool>, Option<bool>)]) -> Block {
        let boxed = |b: Option<bool>, y: f64| {
            b.map(|checked| {
                let mut l = line("", 440.0, 450.0, y);
                l.inlines = vec![Inline::Check(Check {
                    checked,
                    kind: CheckKind::Drawn,
                    name: None,
                })];
                vec![l]
            })
        };
        let cells = rows
            .iter()
            .enumerate()
            .map(|(i, (q, oui, non))| {
                let y = top - 14.0 * (i as f64 + 1.0);
                let question = (!q.is_empty()).then(|| vec![line(q, 60.0, 420.0, y)]);
                vec![question, boxed(*oui, y), boxed(*non, y)]
            })
            .map(|row| {
                row.into_iter()
                    .map(|c| Some(c.unwrap_or_default()))
                    .collect()
            });
        // The header row Word repeats on every page.
        let header = vec![
            Some(Vec::new()),
            Some(vec![line("Oui", 445.0, 465.0, top - 2.0)]),
            Some(vec![line("Non", 500.0, 520.0, top - 2.0)]),
        ];
        let cells = std::iter::once(header).chain(cells).collect();
        Block::Table(TableOut {
            top,
            xs: vec![57.0, 428.8, 483.9, 538.9],
            cells,
        })
    }

    #[test]
    fn a_table_over_three_pages_is_one_table_and_a_cut_row_one_row() {
        let mut pages = vec![
            page(vec![table(
                300.0,
                &[
                    (
                        "Réunion d’information sur le CLAS :",
                        Some(true),
                        Some(false),
                    ),
                    (
                        "Accompagnement des parents vers les",
                        Some(false),
                        Some(true),
                    ),
                ],
            )]),
            // The middle page holds only the table: the rest of the cut row (its oui/non
            // cells empty), then a row of its own.
            page(vec![table(
                800.0,
                &[
                    ("associations de parents d’élèves :", None, None),
                    (
                        "Information et accompagnement des parents :",
                        Some(true),
                        Some(false),
                    ),
                ],
            )]),
            page(vec![table(
                800.0,
                &[(
                    "Evaluez-vous les actions proposées aux parents :",
                    Some(true),
                    Some(false),
                )],
            )]),
        ];
        merge_across_pages(&mut pages);
        let Some(Block::Table(t)) = pages[0].blocks.first() else {
            panic!("no table on the first page");
        };
        let questions: Vec<Option<String>> = t.cells.iter().map(|r| cell_text(&r[0])).collect();
        assert_eq!(
            questions,
            [
                None,
                Some("Réunion d’information sur le CLAS :".into()),
                Some(
                    "Accompagnement des parents vers les associations de parents d’élèves :".into()
                ),
                Some("Information et accompagnement des parents :".into()),
                Some("Evaluez-vous les actions proposées aux parents :".into()),
            ]
        );
        // The cut row keeps the boxes of its first part.
        let non = &t.cells[2][2].as_ref().unwrap()[0].inlines[0];
        assert!(matches!(non, Inline::Check(c) if c.checked));
        assert!(pages[1].blocks.is_empty() && pages[2].blocks.is_empty());
    }

    #[test]
    fn a_row_ticked_with_a_typed_letter_does_not_continue_the_one_before() {
        let typed = |q: &str, y: f64| {
            vec![
                Some(vec![line(q, 60.0, 420.0, y)]),
                Some(vec![line("X", 450.0, 456.0, y)]),
                Some(Vec::new()),
            ]
        };
        let part = |top: f64, q: &str| {
            Block::Table(TableOut {
                top,
                xs: vec![57.0, 428.8, 483.9, 538.9],
                cells: vec![typed(q, top - 14.0)],
            })
        };
        let mut pages = vec![
            page(vec![part(
                100.0,
                "Un partenariat formalisé existe avec l’école :",
            )]),
            page(vec![part(
                800.0,
                "Un partenariat informel est développé avec l’école :",
            )]),
        ];
        merge_across_pages(&mut pages);
        let Some(Block::Table(t)) = pages[0].blocks.first() else {
            panic!("no table");
        };
        assert_eq!(t.cells.len(), 2, "two rows, two questions");
    }
}
