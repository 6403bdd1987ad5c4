//! The journal of corrections as a CSV file for a spreadsheet: `;` between cells (what a
//! French Excel expects), UTF-8 with its mark (accents read right), every cell quoted when it
//! must be, and never a formula: a cell that starts with `=`, `+`, `-`, `@` (or a tab, a
//! carriage return) is prefixed with `'`, so that text from a form cannot run as a formula.

/// One cell, safe and quoted as needed.
pub(crate) fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([';', '"', '\n', '\r', ',']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A whole file: the header row, then the rows; lines end with CRLF.
pub(crate) fn file(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let line = |cells: &mut dyn Iterator<Item = String>| {
        let mut l = cells.collect::<Vec<_>>().join(";");
        l.push_str("\r\n");
        l
    };
    out.push_str(&line(&mut header.iter().map(|h| cell(h))));
    for r in rows {
        out.push_str(&line(&mut r.iter().map(|c| cell(c))));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_never_formulas() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+33 5 53"), "'+33 5 53");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("15"), "15");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("ligne 1\nligne 2"), "\"ligne 1\nligne 2\"");
        let f = String::from_utf8(file(
            &["champ", "motif"],
            &[vec!["x".into(), "=1+1".into()]],
        ))
        .unwrap();
        assert_eq!(f, "\u{feff}champ;motif\r\nx;'=1+1\r\n");
    }
}
