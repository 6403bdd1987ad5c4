//! Word tables written from scratch, for a placeholder whose value is a list of titled
//! tables (a letter's points, section by section): a heading kept with its table, a header
//! row repeated on each page, rows never split across pages.

/// One titled table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableBlock {
    /// The heading above the table (« Calendrier de mise en œuvre »).
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Column widths, in twentieths of a point; the table spans their sum.
    pub widths: Vec<u32>,
}

impl TableBlock {
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The block as plain lines, where a table cannot go (a placeholder inside a table or a
    /// paragraph holding other text).
    pub(crate) fn as_text(&self) -> String {
        let mut out = vec![self.title.clone()];
        for r in &self.rows {
            out.push(
                r.iter()
                    .map(|c| c.replace('\n', ", "))
                    .collect::<Vec<_>>()
                    .join(" – "),
            );
        }
        out.join("\n")
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A run of text; `\n` becomes a line break.
fn runs(text: &str, bold: bool, size: u32) -> String {
    let rpr = format!(
        "<w:rPr>{}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>",
        if bold { "<w:b/>" } else { "" }
    );
    let body = text
        .split('\n')
        .map(|l| format!(r#"<w:t xml:space="preserve">{}</w:t>"#, esc(l)))
        .collect::<Vec<_>>()
        .join("<w:br/>");
    format!("<w:r>{rpr}{body}</w:r>")
}

fn cell(text: &str, width: u32, header: bool) -> String {
    let shade = if header {
        r#"<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>"#
    } else {
        ""
    };
    format!(
        concat!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}</w:tcPr>"#,
            r#"<w:p><w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>{runs}</w:p></w:tc>"#
        ),
        w = width,
        shade = shade,
        runs = runs(text, header, 20),
    )
}

fn row(cells: &[String], widths: &[u32], header: bool) -> String {
    let trpr = if header {
        "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
    } else {
        "<w:trPr><w:cantSplit/></w:trPr>"
    };
    let tcs: String = widths
        .iter()
        .enumerate()
        .map(|(i, w)| cell(cells.get(i).map_or("", String::as_str), *w, header))
        .collect();
    format!("<w:tr>{trpr}{tcs}</w:tr>")
}

/// The blocks as body XML: for each, a bold heading kept with the next paragraph, then the
/// table, then an empty line.
pub(crate) fn blocks_xml(blocks: &[TableBlock]) -> String {
    let mut xml = String::new();
    for b in blocks.iter().filter(|b| !b.is_empty()) {
        xml.push_str(&format!(
            r#"<w:p><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/></w:pPr>{}</w:p>"#,
            runs(&b.title, true, 22)
        ));
        let total: u32 = b.widths.iter().sum();
        let grid: String = b
            .widths
            .iter()
            .map(|w| format!(r#"<w:gridCol w:w="{w}"/>"#))
            .collect();
        let border = |side: &str| {
            format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>"#)
        };
        let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
            .iter()
            .map(|s| border(s))
            .collect();
        xml.push_str(&format!(
            concat!(
                r#"<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>"#,
                r#"<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>"#,
                r#"<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>"#,
                r#"<w:tblGrid>{grid}</w:tblGrid>"#
            ),
            total = total,
            borders = borders,
            grid = grid
        ));
        xml.push_str(&row(&b.header, &b.widths, true));
        for r in &b.rows {
            xml.push_str(&row(r, &b.widths, false));
        }
        xml.push_str("</w:tbl>");
    }
    // Word wants a paragraph after a table before the next one; it also spaces the text that
    // follows.
    xml.push_str(r#"<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>"#);
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_a_heading_and_a_table_with_a_repeated_header() {
        let b = TableBlock {
            title: "Calendrier".into(),
            header: vec!["Question".into(), "Lu".into()],
            rows: vec![vec!["Début & fin".into(), "a\nb".into()]],
            widths: vec![100, 200],
        };
        let xml = blocks_xml(std::slice::from_ref(&b));
        assert!(xml.contains("<w:keepNext/>"));
        assert_eq!(xml.matches("<w:tr>").count(), 2);
        assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
        assert!(xml.contains("Début &amp; fin"));
        assert!(xml.contains(r#"a</w:t><w:br/><w:t xml:space="preserve">b"#));
        assert_eq!(b.as_text(), "Calendrier\nDébut & fin – a, b");
        assert!(!blocks_xml(&[]).contains("<w:tbl>"));
    }
}
