//! Whether a PDF's text layer says anything: a page printed through PostScript (`pdftops` then
//! `ps2pdf`, some « print to PDF » drivers) keeps its glyphs but loses what they mean, and its
//! text reads `!" # $!" % &&&`. Such a file is told like a scan (« saisie manuelle
//! nécessaire »), not as an unknown form.
//!
//! The measure: among the visible characters (spaces and leader dots, dashes and underscores
//! left out, since a blank form is mostly those), the share of letters. French prose and
//! form labels are about four letters in five, a table of figures still well over half;
//! the garbage of a lost encoding is punctuation and digits, under one in ten.

/// Letters and visible characters seen so far.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Legibility {
    letters: usize,
    visible: usize,
}

/// Fewer visible characters than this say too little to judge.
const MIN_VISIBLE: usize = 40;
/// More than this (a page or two of text) is enough to judge.
const ENOUGH: usize = 3_000;

impl Legibility {
    pub(crate) fn add(&mut self, text: &str) {
        // The first pages say enough; the rest of a long document is not looked at.
        if self.visible >= ENOUGH {
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() || matches!(c, '.' | '…' | '_' | '-' | '·' | '\u{FFFD}') {
                continue;
            }
            self.visible += 1;
            if c.is_alphabetic() {
                self.letters += 1;
            }
        }
    }

    /// True when there is text enough to judge and under a third of it is letters.
    pub(crate) fn is_garbage(&self) -> bool {
        self.visible >= MIN_VISIBLE && self.letters * 3 < self.visible
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(lines: &[&str]) -> Legibility {
        let mut l = Legibility::default();
        lines.iter().for_each(|t| l.add(t));
        l
    }

    #[test]
    fn postscript_garbage_is_garbage() {
        let l = of(&[
            "! \" ############################## $ % &",
            "$'()*! !+ ## ,-",
            "! - . / \" #### ",
            "###################  # 0 1 2",
            "!+ 3 \"  ## ####  ,",
            "$ \" #################   3 & 4 /",
        ]);
        assert!(l.is_garbage(), "{l:?}");
    }

    #[test]
    fn real_text_figures_and_blank_forms_are_not() {
        for lines in [
            // A short invoice (not a form, but readable).
            &[
                "Facture n° 2025-118",
                "Fournitures scolaires : 3 cartons de cahiers, 12 classeurs.",
                "Total TTC : 418,20 euros",
            ][..],
            // A blank form: labels and dotted lines.
            &[
                "Nom du porteur : ……………………………………………………………",
                "N° de téléphone : ..............................................",
                "Adresse : ______________________________________________",
            ],
            // A table of figures under its headings.
            &[
                "Niveau Établissement Étude CLAS PRE",
                "Élémentaire École Jean Macé 20 12 5",
                "Collège Collège Paul Bert 16 12 10",
                "Total 36 24 15",
            ],
        ] {
            assert!(!of(lines).is_garbage(), "{lines:?}");
        }
        // Too little to judge.
        assert!(!of(&["1 2 3 4 / 5"]).is_garbage());
    }
}
