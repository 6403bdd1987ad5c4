//! Text folding for tolerant matching: case, accents, apostrophes, spacing and punctuation
//! differ between a form's wording and what Word, LibreOffice or a respondent leaves.

/// Stands for a check box in a document's flattened text (`extraction::locate::Flat`) and in
/// the paragraphs of a letter: a private-use char no form's wording holds, never significant.
/// Here, below both the readers and the extraction, because a reader (the PDF one, joining
/// wrapped lines) must know it too.
pub const BOX: char = '\u{E000}';

/// Lower case without accents; one char in, one char out (so positions survive).
pub(crate) fn fold_char(c: char) -> char {
    let c = match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'Ç' | 'ç' => 'c',
        'È' | 'É' | 'Ê' | 'Ë' | 'è' | 'é' | 'ê' | 'ë' => 'e',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ñ' | 'ñ' => 'n',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ý' | 'ý' | 'ÿ' | 'Ÿ' => 'y',
        'Œ' => 'œ',
        'Æ' => 'æ',
        '’' | '‘' | '`' | '´' | 'ʼ' => '\'',
        '«' | '»' | '“' | '”' => '"',
        '–' | '—' | '‑' | '‐' => '-',
        c => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// `fold_char` over a string.
pub(crate) fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Whether a char takes part in matching labels: letters and digits, plus the few signs that
/// tell questions apart (« N° »). Spaces and punctuation are left out, so that
/// « ACTION  N° », « Action N° : » and a label split over two runs all match.
pub(crate) fn is_significant(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '°' => true,
        // ASCII punctuation, and the dotted leaders and spaces of U+2000–U+206F, are the
        // common case: answer them without a Unicode table look-up.
        c if c.is_ascii() => false,
        '\u{2000}'..='\u{206F}' | BOX => false,
        c => c.is_alphanumeric(),
    }
}

/// `char::is_alphanumeric`, answered without a Unicode table look-up for ASCII, Latin-1 and
/// the punctuation block where the dotted leaders that fill forms live (U+2000–U+206F).
pub(crate) fn is_alnum(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        c if c.is_ascii() => false,
        '\u{C0}'..='\u{FF}' => c != '×' && c != '÷',
        '\u{2000}'..='\u{206F}' | BOX => false,
        c => c.is_alphanumeric(),
    }
}

/// The significant folded chars of a label, as matched against a document.
pub(crate) fn key(s: &str) -> Vec<char> {
    s.chars()
        .map(fold_char)
        .filter(|c| is_significant(*c))
        .collect()
}

/// True for dotted leaders and the like that stand for « write here ».
pub(crate) fn is_leader(c: char) -> bool {
    matches!(
        c,
        '…' | '.' | '_' | '·' | '\u{2002}' | '\u{2003}' | '\u{a0}' | '\u{202f}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_length_and_drops_accents() {
        assert_eq!(fold("Élémentaire d’École"), "elementaire d'ecole");
        assert_eq!(key("ACTION  N° :"), key("Action N°"));
        assert_eq!(
            key("Lieu de déroulement de l’action"),
            key("lieu de deroulement de l'action")
        );
    }

    #[test]
    fn fast_paths_answer_as_the_unicode_tables() {
        for c in ('\0'..='\u{3000}').chain('\u{E000}'..='\u{E001}') {
            assert_eq!(is_alnum(c), c.is_alphanumeric(), "{c:?}");
        }
        for c in '\0'..='\u{FF}' {
            let folded = fold_char(c);
            if c.is_ascii() {
                assert_eq!(is_significant(folded), c.is_ascii_alphanumeric(), "{c:?}");
                assert!(
                    !is_significant(folded) || folded == c.to_ascii_lowercase(),
                    "{c:?}"
                );
            }
        }
    }
}
