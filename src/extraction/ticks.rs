//! Ticks typed as a letter. A porteur whose Word would not let them click the boxes deletes
//! the form fields and types `X` (or `x`) where the box was: « X oui   non », « oui  X non »,
//! « Associatif * X », or an `X` alone on the line under the label.
//!
//! Such a mark only means something where the mapping expects a box, so it is read here, in
//! the extraction, on the flattened text of a question's answer, and only when that answer
//! holds no real box (a box, ticked or not, always wins). A mark is an `X` or `x` standing
//! alone: no letter or digit touches it on either side, so the x of « deux » or « 3x » is
//! never a tick. Marks are then paired with « oui » / « non » exactly as boxes are.

use super::locate::Flat;
use super::{FieldValue, Value};
use crate::dictionary::FieldType;
use crate::document::{Check, CheckKind, Place};
use crate::mapping::Mapping;
use crate::text::is_alnum;

/// Whether the char at `i` of the text is a typed tick: `X` or `x` with no letter or digit
/// right before or after it.
pub(crate) fn is_mark(text: &[char], i: usize) -> bool {
    matches!(text[i], 'x' | 'X')
        && (i == 0 || !is_alnum(text[i - 1]))
        && text.get(i + 1).is_none_or(|c| !is_alnum(*c))
}

/// The typed ticks of `text[from..to)`, as ticked boxes at their place in the text.
pub(crate) fn marks(flat: &Flat, from: usize, to: usize) -> Vec<(usize, Check, Place)> {
    (from..to.min(flat.text.len()))
        .filter(|&i| is_mark(&flat.text, i))
        .map(|i| (i, typed_check(), flat.place_of(i)))
        .collect()
}

/// The first typed tick of `text[from..to)`.
pub(crate) fn first_mark(flat: &Flat, from: usize, to: usize) -> Option<(usize, Check, Place)> {
    (from..to.min(flat.text.len()))
        .find(|&i| is_mark(&flat.text, i))
        .map(|i| (i, typed_check(), flat.place_of(i)))
}

/// In a part of the form where some single box (« Associatif », « REP »…) was ticked with a
/// typed letter, the options of that part left without a mark are not ticked: `false`, as an
/// empty box. A part where no option carries a mark stays `null` (nothing was answered).
/// `typed[i]`: whether field `i` of the mapping was read from a typed tick.
pub(crate) fn unmarked_options(mapping: &Mapping, fields: &mut [FieldValue], typed: &[bool]) {
    let marked_sections: Vec<&str> = mapping
        .fields
        .iter()
        .zip(typed)
        .filter(|(f, t)| **t && f.kind == FieldType::Check)
        .map(|(f, _)| f.section.as_str())
        .collect();
    if marked_sections.is_empty() {
        return;
    }
    for (def, value) in mapping.fields.iter().zip(fields) {
        // Only a question whose label was found and where no box at all was seen.
        let unanswered = def.kind == FieldType::Check
            && value.value == Value::Null
            && value.problem.is_none()
            && value.source.is_some();
        if unanswered && marked_sections.contains(&def.section.as_str()) {
            value.value = Value::Bool(false);
        }
    }
}

/// A typed tick standing before a label in its paragraph (« X Associatif »).
pub(crate) fn mark_before(flat: &Flat, label_start: usize) -> Option<(usize, Check, Place)> {
    let mut i = label_start;
    while i > 0 {
        i -= 1;
        match flat.text[i] {
            '\n' => return None,
            c if is_alnum(c) => {
                return is_mark(&flat.text, i).then(|| (i, typed_check(), flat.place_of(i)));
            }
            _ => {}
        }
    }
    None
}

/// How many chars separate the mark at `at` from the nearest letter or digit before it and
/// after it on its line.
pub(crate) fn gaps(flat: &Flat, at: usize) -> (usize, usize) {
    let blank = |c: &char| *c != '\n' && !is_alnum(*c);
    let before = flat.text[..at]
        .iter()
        .rev()
        .take_while(|c| blank(c))
        .count();
    let after = flat.text[at + 1..].iter().take_while(|c| blank(c)).count();
    (before, after)
}

fn typed_check() -> Check {
    Check {
        checked: true,
        kind: CheckKind::Typed,
        name: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Inline, Paragraph};
    use crate::extraction::apply::{extract, locate};
    use crate::extraction::{Extraction, Problem};

    /// Extraction of a bilan typed line by line (no box anywhere).
    fn read(lines: &[&str]) -> Extraction {
        let mut d = Document::default();
        for (i, line) in lines.iter().enumerate() {
            d.paragraphs.push(Paragraph {
                place: Place::Paragraph(i + 1),
                inlines: vec![Inline::Text(line.to_string())],
            });
        }
        let m = crate::mapping::load(None).unwrap().remove(0);
        let flat = Flat::new(&d);
        let l = locate(&flat, &m, true);
        extract(&d, &flat, &l)
    }

    #[test]
    fn yes_no_ticked_with_a_typed_letter() {
        let x = read(&[
            "Les enfants/jeunes qui participent au CLAS sont concernés par les situations suivantes :",
            "Difficulté scolaire :",
            "X oui   non",
            "Conditions de logement et/ou environnement inadapté au travail scolaire (bruit, exiguïté des locaux) :",
            "oui  X non",
            "Accès limité à des activités socio-culturelles :",
            "oui X   non",
            "Disponibilité réduite des parents :",
            "oui\tx",
            "non",
            "Maîtrise difficile de la langue française par les parents :",
            "X oui  X non",
            "Parents en difficulté ou rupture avec l’école :",
            "oui   non   (deux fois par an, voir le texte)",
            "Qui est à l’origine de l’inscription des enfants/jeunes au CLAS ?",
            "La famille :",
            "oui   non x",
        ]);
        let v = |id: &str| x.value(id).clone();
        assert_eq!(v("situation.difficulte_scolaire"), Value::Bool(true));
        // One mark between the words: the nearer one names it.
        assert_eq!(v("situation.logement"), Value::Bool(false));
        assert_eq!(v("situation.acces_socioculturel"), Value::Bool(true));
        assert_eq!(v("origine.famille"), Value::Bool(false));
        assert_eq!(v("situation.disponibilite_parents"), Value::Bool(true));
        // Both marked: contradictory, as two ticked boxes.
        assert_eq!(v("situation.langue_parents"), Value::Null);
        assert_eq!(
            x.get("situation.langue_parents").unwrap().problem,
            Some(Problem::Contradictory)
        );
        // No mark (the x of « deux » and « texte » is no tick): unanswered.
        assert_eq!(v("situation.rupture_ecole"), Value::Null);
        assert_eq!(x.get("situation.rupture_ecole").unwrap().problem, None);
    }

    #[test]
    fn single_boxes_ticked_with_a_typed_letter() {
        let x = read(&[
            "Nom du porteur de projet : Foyer des jeunes",
            "Nature du local utilisé",
            "Associatif * X",
            "Municipal",
            "",
            "Scolaire",
            "",
            "*Pour cocher la case, double cliquer sur la case puis cocher « case activée »",
            "Etablissements scolaires concernés : École Jules Ferry, collège Max Linder",
            "Zonage :",
            "REP – Réseau d’éducation prioritaire   ",
            "PRE – Plateforme de réussite éducative",
            "",
            "Politique de la ville (si l’action se déroule sur un quartier prioritaire ou vécu et/ou si les établissements fréquentés par les enfants sont situés en quartier prioritaires ou vécus)   ",
            "DESCRIPTION DE LA MISE EN ŒUVRE REELLE DU PROJET",
        ]);
        let v = |id: &str| x.value(id).clone();
        // A mark in the part: the options without one are not ticked.
        assert_eq!(v("local.associatif"), Value::Bool(true));
        assert_eq!(v("local.municipal"), Value::Bool(false));
        assert_eq!(v("local.scolaire"), Value::Bool(false));
        // No mark in the whole part: unanswered, not « non coché ».
        assert_eq!(v("zonage.rep"), Value::Null);
        assert_eq!(v("zonage.pre"), Value::Null);
        assert_eq!(v("zonage.politique_ville"), Value::Null);

        let x = read(&[
            "Nature du local utilisé",
            "Associatif *",
            "Municipal",
            "x",
            "Scolaire",
            "Zonage :",
            "REP – Réseau d’éducation prioritaire   X",
            "PRE – Plateforme de réussite éducative",
            "X",
            "Politique de la ville (si l’action se déroule sur un quartier prioritaire ou vécu et/ou si les établissements fréquentés par les enfants sont situés en quartier prioritaires ou vécus)",
            "DESCRIPTION DE LA MISE EN ŒUVRE REELLE DU PROJET",
        ]);
        let v = |id: &str| x.value(id).clone();
        assert_eq!(v("local.associatif"), Value::Bool(false));
        assert_eq!(v("local.municipal"), Value::Bool(true));
        assert_eq!(v("local.scolaire"), Value::Bool(false));
        assert_eq!(v("zonage.rep"), Value::Bool(true));
        assert_eq!(v("zonage.pre"), Value::Bool(true));
        assert_eq!(v("zonage.politique_ville"), Value::Bool(false));
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn an_x_alone_is_a_mark_an_x_in_a_word_is_not() {
        let t = chars("X oui   non");
        assert!(is_mark(&t, 0));
        let t = chars("oui  x non");
        assert!(is_mark(&t, 5));
        let t = chars("Associatif * X");
        assert!(is_mark(&t, 13));
        for word in [
            "deux",
            "Xavier",
            "3x",
            "x2",
            "Max",
            "taxi",
            "xénophobie",
            "préfixé",
        ] {
            let t = chars(word);
            assert!(
                (0..t.len()).all(|i| !is_mark(&t, i)),
                "« {word} » n'est pas une croix"
            );
        }
        // Punctuation around it does not make it part of a word.
        let t = chars("(x)");
        assert!(is_mark(&t, 1));
    }
}
