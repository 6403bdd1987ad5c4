//! Running headers and footers: a page number or a footer repeated on every page is not part
//! of the form, and left in the text it would end up inside the answer that runs over the
//! page break.

use std::collections::HashMap;

use super::page::{Block, PageOut};
use crate::document::Inline;

/// Part of the page's height, at its top and at its bottom, where headers and footers are.
const BAND: f64 = 0.07;

fn text(inlines: &[Inline]) -> Option<String> {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) => s.push_str(t),
            Inline::Check(_) => return None,
        }
    }
    Some(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The line with its numbers as `#`, so that « page 1/6 » and « page 2/6 » are one footer.
fn pattern(s: &str) -> String {
    let mut out = String::new();
    let mut digit = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !digit {
                out.push('#');
            }
            digit = true;
        } else {
            digit = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// « 2 », « - 2 - », « Page 2 », « 2/6 », « page 2 sur 6 ».
fn page_number(s: &str) -> bool {
    let p = pattern(s);
    let p = p.trim_matches(|c: char| !c.is_alphanumeric() && c != '#');
    let p = p.strip_prefix("page").unwrap_or(p).trim();
    matches!(p, "#" | "#/#" | "# / #" | "# sur #" | "#sur#")
}

fn in_band(page: &PageOut, y: f64) -> Option<bool> {
    let h = page.top - page.bottom;
    if h <= 0.0 {
        return None;
    }
    if y >= page.top - BAND * h {
        Some(true)
    } else if y <= page.bottom + BAND * h {
        Some(false)
    } else {
        None
    }
}

/// Removes page numbers, and lines of the header or footer bands repeated (numbers aside)
/// on at least two pages.
pub(crate) fn strip(pages: &mut [PageOut]) {
    let mut seen: HashMap<(bool, String), usize> = HashMap::new();
    for page in pages.iter() {
        let mut here: Vec<(bool, String)> = page
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Line(l) => Some((in_band(page, l.base)?, pattern(&text(&l.inlines)?))),
                Block::Table(_) => None,
            })
            .collect();
        here.sort();
        here.dedup();
        for k in here {
            *seen.entry(k).or_default() += 1;
        }
    }
    for page in pages.iter_mut() {
        let bands: Vec<Option<bool>> = page
            .blocks
            .iter()
            .map(|b| match b {
                Block::Line(l) => in_band(page, l.base),
                Block::Table(_) => None,
            })
            .collect();
        let mut i = 0;
        page.blocks.retain(|b| {
            let band = bands[i];
            i += 1;
            let Block::Line(l) = b else { return true };
            let (Some(band), Some(t)) = (band, text(&l.inlines)) else {
                return true;
            };
            let repeated = seen.get(&(band, pattern(&t))).is_some_and(|n| *n >= 2);
            !(repeated || page_number(&t))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for s in ["2", "- 2 -", "Page 2", "2/6", "page 2 sur 6", "Page 3 / 10"] {
            assert!(page_number(s), "{s}");
        }
        for s in ["24 enfants", "Total : 2", "2021/2022 bilan"] {
            assert!(!page_number(s), "{s}");
        }
    }
}
