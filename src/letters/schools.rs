//! Schools out of the free text of a bilan's `etablissements`, and the same school recognised
//! under its different spellings.
//!
//! « école Jean Jaurès », « Ecole élémentaire J. Jaurès » and « École Jean-Jaurès » are one
//! school: names are compared on their distinctive words (accents, case, hyphens and generic
//! words such as école, élémentaire, groupe scolaire left out), an initial matching a first
//! name. The kind of school is kept apart: « collège Jean Jaurès » is not « école Jean
//! Jaurès », nor the maternelle the élémentaire.

use crate::text::fold;

/// The kind of school a name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Not said.
    Unknown,
    /// « école », « primaire », « groupe scolaire »: maternelle or élémentaire.
    Ecole,
    Maternelle,
    Elementaire,
    College,
    Lycee,
}

impl Kind {
    fn compatible(self, other: Kind) -> bool {
        use Kind::*;
        match (self, other) {
            (Unknown, _) | (_, Unknown) => true,
            (Ecole, Maternelle | Elementaire | Ecole) | (Maternelle | Elementaire, Ecole) => true,
            (a, b) => a == b,
        }
    }
    fn rank(self) -> u8 {
        match self {
            Kind::Unknown => 0,
            Kind::Ecole => 1,
            _ => 2,
        }
    }
}

/// Generic words: what kind of school, never which one.
fn generic(word: &str) -> Option<Kind> {
    Some(match word {
        "ecole" | "ecoles" | "primaire" | "primaires" | "groupe" | "groupes" | "gs" | "ep" => {
            Kind::Ecole
        }
        "elementaire" | "elementaires" | "elem" | "ee" => Kind::Elementaire,
        "maternelle" | "maternelles" | "mat" | "em" => Kind::Maternelle,
        "college" | "colleges" | "clg" => Kind::College,
        "lycee" | "lycees" | "lp" | "lgt" => Kind::Lycee,
        // Neither kind nor name.
        "scolaire" | "scolaires" | "public" | "publique" | "publiques" | "prive" | "privee"
        | "privees" | "etablissement" | "etablissements" | "professionnel" | "general"
        | "technologique" | "polyvalent" | "de" | "du" | "des" | "la" | "le" | "les" | "l"
        | "d" | "rep" | "rep+" | "rrs" | "segpa" | "ulis" => Kind::Unknown,
        _ => return None,
    })
}

fn is_plural_kind(word: &str) -> bool {
    matches!(
        word,
        "ecoles" | "colleges" | "lycees" | "groupes" | "maternelles" | "elementaires" | "primaires"
    )
}

/// A school name, as compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub kind: Kind,
    /// Distinctive words, folded, in order.
    pub words: Vec<String>,
}

/// The words of a name: folded, split on anything not a letter or digit, parentheses left out.
fn words(name: &str) -> Vec<String> {
    let mut depth = 0usize;
    let mut cleaned = String::new();
    for c in fold(name).chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => cleaned.push(c),
            _ => {}
        }
    }
    cleaned
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "st" => "saint".to_string(),
            "ste" => "sainte".to_string(),
            w => w.to_string(),
        })
        .collect()
}

pub(crate) fn key(name: &str) -> Key {
    let mut kind = Kind::Unknown;
    let mut out = Vec::new();
    for w in words(name) {
        match generic(&w) {
            Some(k) => {
                if k.rank() > kind.rank() {
                    kind = k;
                }
            }
            None => out.push(w),
        }
    }
    Key { kind, words: out }
}

/// A single letter: an initial (« J. »), not a number.
fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next()), (Some(x), None) if x.is_alphabetic())
}

fn word_match(a: &str, b: &str) -> bool {
    a == b || (is_initial(a) && b.starts_with(a)) || (is_initial(b) && a.starts_with(b))
}

/// Whether two names designate the same school.
pub fn same_school(a: &str, b: &str) -> bool {
    keys_match(&key(a), &key(b), a, b)
}

fn keys_match(a: &Key, b: &Key, raw_a: &str, raw_b: &str) -> bool {
    if !a.kind.compatible(b.kind) {
        return false;
    }
    if a.words.is_empty() || b.words.is_empty() {
        // Nothing distinctive (« l'école ») : only the very same wording.
        return fold(raw_a.trim()) == fold(raw_b.trim());
    }
    if a.words.len() != b.words.len() {
        return false;
    }
    // The last word (a surname, a place) must be spelt out in both.
    let last_full = a.words.last().is_some_and(|w| !is_initial(w))
        && b.words.last().is_some_and(|w| !is_initial(w));
    last_full && a.words.iter().zip(&b.words).all(|(x, y)| word_match(x, y))
}

/// Starts with a kind word (« école », « Collège », « EE »…).
fn starts_with_kind(item: &str) -> bool {
    words(item)
        .first()
        .is_some_and(|w| matches!(generic(w), Some(k) if k != Kind::Unknown))
}

/// Plural kind words at the start, made singular: « écoles élémentaires » → « école élémentaire ».
fn singular_prefix(item: &str) -> Option<(String, String)> {
    let mut prefix = Vec::new();
    let mut rest = item.trim();
    loop {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        let folded = fold(word);
        if is_plural_kind(&folded) {
            prefix.push(word.strip_suffix('s').unwrap_or(word).to_string());
            rest = rest[end..].trim_start();
        } else {
            break;
        }
    }
    (!prefix.is_empty()).then(|| (prefix.join(" "), rest.to_string()))
}

fn strip_item(s: &str) -> String {
    let s = s.trim_matches(|c: char| {
        c.is_whitespace()
            || crate::text::is_leader(c)
            || matches!(c, '-' | '–' | '—' | '*' | '•' | '·' | ':' | '\u{E000}')
    });
    let s = s.strip_prefix("et ").unwrap_or(s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits `a et b` where `b` names a new school: it starts with a kind word, or the list began
/// with a plural kind (« écoles Jean Jaurès et Jules Ferry »); « Pierre et Marie Curie » stays.
fn split_et(segment: &str, plural: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = segment.to_string();
    loop {
        let folded = fold(&rest);
        // Byte positions coincide: fold maps each char to one char of the same class, but
        // not always of the same byte length, so search on chars.
        let chars: Vec<char> = folded.chars().collect();
        let orig: Vec<char> = rest.chars().collect();
        let mut cut = None;
        let mut i = 0;
        while i + 4 <= chars.len() {
            if chars[i].is_whitespace()
                && chars[i + 1] == 'e'
                && chars[i + 2] == 't'
                && chars[i + 3].is_whitespace()
            {
                let right: String = orig[i + 4..].iter().collect();
                if plural || starts_with_kind(&right) {
                    cut = Some((orig[..i].iter().collect::<String>(), right));
                    break;
                }
            }
            i += 1;
        }
        match cut {
            Some((left, right)) => {
                out.push(left);
                rest = right;
            }
            None => {
                out.push(rest);
                return out;
            }
        }
    }
}

/// The schools of an `etablissements` answer, as written (a kind given in the plural at the
/// start of a list is carried to the names after it).
pub fn parse_schools(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut carry: Option<String> = None;
    for line in text.split(['\n', '\r', ';']) {
        let mut parts = Vec::new();
        for seg in line.split([',', '•']) {
            for seg in seg.split(" / ") {
                parts.push(seg.to_string());
            }
        }
        for seg in parts {
            let seg = strip_item(&seg);
            if seg.is_empty() {
                continue;
            }
            let plural = singular_prefix(&seg).is_some() || carry.is_some();
            for item in split_et(&seg, plural) {
                let item = strip_item(&item);
                if item.is_empty() {
                    continue;
                }
                let item = match singular_prefix(&item) {
                    Some((kind, rest)) => {
                        carry = Some(kind.clone());
                        if rest.is_empty() {
                            continue;
                        }
                        format!("{kind} {rest}")
                    }
                    None if starts_with_kind(&item) => {
                        carry = None;
                        item
                    }
                    None => match &carry {
                        Some(kind) => format!("{kind} {item}"),
                        None => item,
                    },
                };
                // Only generic words: not a school name.
                if key(&item).words.is_empty() && starts_with_kind(&item) {
                    continue;
                }
                out.push(capitalize(&item));
            }
        }
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// One school and every way it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    /// The fullest spelling: first names rather than initials, accents, kind said.
    pub name: String,
    pub spellings: Vec<String>,
    pub key: Key,
}

fn score(name: &str) -> (usize, usize, usize, usize) {
    let k = key(name);
    let initials = k.words.iter().filter(|w| is_initial(w)).count();
    let accents = name
        .chars()
        .filter(|c| !c.is_ascii() && c.is_alphabetic())
        .count();
    let upper_start = name.chars().next().is_some_and(char::is_uppercase) as usize;
    (
        usize::MAX - initials,
        k.kind.rank() as usize * 10 + accents,
        upper_start,
        name.chars().count(),
    )
}

/// Groups names by school, in the order schools first appear.
pub fn dedupe_schools<I, S>(names: I) -> Vec<School>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut schools: Vec<School> = Vec::new();
    for name in names {
        let name = name.as_ref().trim();
        if name.is_empty() {
            continue;
        }
        let k = key(name);
        let found = schools.iter_mut().find(|s| {
            s.spellings
                .iter()
                .all(|sp| keys_match(&key(sp), &k, sp, name))
        });
        match found {
            Some(s) => {
                if !s.spellings.iter().any(|sp| sp == name) {
                    s.spellings.push(name.to_string());
                }
                if score(name) > score(&s.name) {
                    s.name = name.to_string();
                }
                if k.kind.rank() > s.key.kind.rank() {
                    s.key.kind = k.kind;
                }
                // Keep full first names over initials in the key.
                for (w, nw) in s.key.words.iter_mut().zip(&k.words) {
                    if nw.chars().count() > w.chars().count() {
                        *w = nw.clone();
                    }
                }
            }
            None => schools.push(School {
                name: name.to_string(),
                spellings: vec![name.to_string()],
                key: k,
            }),
        }
    }
    schools
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_spellings_of_the_issue_are_one_school() {
        let names = parse_schools(
            "école Jean Jaurès, Ecole élémentaire J. Jaurès\nÉcole Jean-Jaurès et collège Jean Jaurès",
        );
        assert_eq!(
            names,
            vec![
                "École Jean Jaurès",
                "Ecole élémentaire J. Jaurès",
                "École Jean-Jaurès",
                "Collège Jean Jaurès"
            ]
        );
        let schools = dedupe_schools(&names);
        assert_eq!(schools.len(), 2, "{schools:#?}");
        assert_eq!(schools[0].spellings.len(), 3);
        assert_eq!(schools[1].name, "Collège Jean Jaurès");
        // The fullest spelling is kept: first name, accents, kind.
        assert_eq!(schools[0].name, "École Jean Jaurès");
    }

    #[test]
    fn separators() {
        assert_eq!(
            parse_schools(
                "École A. Camus ; école Jules Ferry,Collège Paul Bert\r\n- Lycée Palissy…"
            ),
            vec![
                "École A. Camus",
                "École Jules Ferry",
                "Collège Paul Bert",
                "Lycée Palissy"
            ]
        );
        assert_eq!(
            parse_schools("école Jean Moulin et école Paul Langevin"),
            vec!["École Jean Moulin", "École Paul Langevin"]
        );
        // « et » inside a name stays.
        assert_eq!(
            parse_schools("École Pierre et Marie Curie"),
            vec!["École Pierre et Marie Curie"]
        );
        assert!(parse_schools("………………").is_empty());
        assert!(parse_schools("").is_empty());
    }

    #[test]
    fn a_plural_kind_is_carried() {
        assert_eq!(
            parse_schools(
                "écoles élémentaires Jean Jaurès, Jules Ferry et Paul Bert ; collège Joliot-Curie"
            ),
            vec![
                "École élémentaire Jean Jaurès",
                "École élémentaire Jules Ferry",
                "École élémentaire Paul Bert",
                "Collège Joliot-Curie"
            ]
        );
        assert_eq!(
            parse_schools("Écoles Pierre et Marie Curie"),
            vec!["École Pierre", "École Marie Curie"],
            "after a plural kind, « et » separates (documented limit)"
        );
    }

    #[test]
    fn same_school_rules() {
        assert!(same_school(
            "école Jean Jaurès",
            "Ecole élémentaire J. Jaurès"
        ));
        assert!(same_school(
            "EE Jean-Jaurès",
            "école élémentaire jean jaures"
        ));
        assert!(same_school("Ecole St Exupéry", "école Saint-Exupéry"));
        assert!(
            same_school("Jean Jaurès", "collège Jean Jaurès"),
            "kind not said"
        );
        assert!(same_school("Groupe scolaire du Centre", "école du centre"));
        assert!(same_school(
            "Collège Jean Jaurès (REP+)",
            "collège Jean Jaurès"
        ));
        assert!(!same_school("école Jean Jaurès", "collège Jean Jaurès"));
        assert!(!same_school(
            "école maternelle Jean Jaurès",
            "école élémentaire Jean Jaurès"
        ));
        assert!(!same_school("école Jean Jaurès", "école Jules Ferry"));
        assert!(!same_school("école J. Ferry", "école Jean Jaurès"));
        assert!(
            !same_school("école Jean J.", "école Jean Jaurès"),
            "last word spelt out"
        );
        assert!(
            !same_school("école Jaurès", "école Jean Jaurès"),
            "different word counts"
        );
        assert!(same_school("école J. Jaurès 2", "École Jean Jaurès 2"));
        assert!(
            !same_school("école 1", "école 10"),
            "a number is not an initial"
        );
    }

    #[test]
    fn dedupe_keeps_kinds_apart_even_through_an_unknown_kind() {
        let s = dedupe_schools([
            "école maternelle Jean Jaurès",
            "Jean Jaurès",
            "école élémentaire Jean Jaurès",
        ]);
        assert_eq!(s.len(), 2, "{s:#?}");
        assert_eq!(
            s[0].spellings,
            vec!["école maternelle Jean Jaurès", "Jean Jaurès"]
        );
    }
}
