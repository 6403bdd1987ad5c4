//! The commune of an action, read from its place (« 3 place du Marché, 47300
//! Villeneuve-sur-Lot »), and the French of a town name after « de » and « à » (« d'Agen »,
//! « du Passage », « au Passage »).

/// The commune of an address: the words after a five-digit postal code (without « Cedex »),
/// or the whole text when it is one short line that is only a town's name (« Boé »).
pub(crate) fn from_address(address: &str) -> Option<String> {
    let chars: Vec<char> = address.chars().collect();
    let mut i = 0;
    while i + 5 <= chars.len() {
        let code = chars[i..i + 5].iter().all(|c| c.is_ascii_digit());
        let bounded = (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 5).is_none_or(|c| !c.is_ascii_digit());
        if code && bounded {
            let rest: String = chars[i + 5..].iter().collect();
            let town = rest
                .split(['\n', ',', ';', '('])
                .next()
                .unwrap_or("")
                .trim();
            let town = strip_cedex(town);
            if town.chars().any(char::is_alphabetic) {
                return Some(town.to_string());
            }
        }
        i += 1;
    }
    let one = address.trim();
    let words = one.split_whitespace().count();
    let plain = !one.contains(['\n', ',', ';'])
        && !one.chars().any(|c| c.is_ascii_digit())
        && (1..=4).contains(&words)
        && one.chars().next().is_some_and(char::is_uppercase)
        && !crate::text::fold(one)
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| PLACE_WORDS.contains(&w));
    plain.then(|| one.to_string())
}

/// Words of a building, not of a town: « Salle des fêtes » is not a commune.
const PLACE_WORDS: &[&str] = &[
    "salle",
    "maison",
    "centre",
    "local",
    "espace",
    "ecole",
    "college",
    "lycee",
    "foyer",
    "mairie",
    "rue",
    "place",
    "avenue",
    "gymnase",
    "mediatheque",
    "bibliotheque",
];

fn strip_cedex(town: &str) -> &str {
    let lower = town.to_lowercase();
    match lower.find(" cedex") {
        Some(i) => town[..i].trim(),
        None => town,
    }
}

fn starts_with_vowel(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| "aeiouyàâäéèêëîïôöùûüAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ".contains(c))
}

/// How « <preposition> <value> » is written: `Some((preposition, value))` when French
/// changes them (« de Agen » → « d’Agen », « de Le Passage » → « du Passage », « à Les
/// Essarts » → « aux Essarts »); `None` when nothing changes.
pub(crate) fn contract(preposition: &str, value: &str) -> Option<(String, String)> {
    let de = match preposition {
        "de" | "De" => true,
        "à" | "À" => false,
        _ => return None,
    };
    let upper = preposition.starts_with(char::is_uppercase);
    let cap = |s: &str| -> String {
        if upper {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        } else {
            s.to_string()
        }
    };
    for (article, with_de, with_a) in [("Le ", "du", "au"), ("Les ", "des", "aux")] {
        if let Some(rest) = value.strip_prefix(article) {
            let p = if de { with_de } else { with_a };
            return Some((cap(p), rest.to_string()));
        }
    }
    if de && starts_with_vowel(value) {
        return Some((cap("d’"), value.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communes_from_addresses() {
        let c = |a: &str| from_address(a);
        assert_eq!(
            c("Centre social du Pin\n3 place du Marché, 47300 Villeneuve-sur-Lot").as_deref(),
            Some("Villeneuve-sur-Lot")
        );
        assert_eq!(
            c("Maison des associations, 14 rue des Tilleuls, 47520 Le Passage").as_deref(),
            Some("Le Passage")
        );
        assert_eq!(c("BP 12, 47000 AGEN CEDEX 9").as_deref(), Some("AGEN"));
        assert_eq!(c("Boé").as_deref(), Some("Boé"));
        assert_eq!(c("Salle des fêtes"), None);
        assert_eq!(c("12 rue Haute"), None);
        assert_eq!(
            c("tél. 0553123456"),
            None,
            "ten digits are not a postal code"
        );
    }

    #[test]
    fn elision_and_contraction() {
        let c = |p: &str, v: &str| contract(p, v);
        assert_eq!(c("de", "Agen"), Some(("d’".into(), "Agen".into())));
        assert_eq!(c("de", "Éauze"), Some(("d’".into(), "Éauze".into())));
        assert_eq!(c("de", "Le Passage"), Some(("du".into(), "Passage".into())));
        assert_eq!(c("à", "Le Passage"), Some(("au".into(), "Passage".into())));
        assert_eq!(
            c("à", "Les Essarts"),
            Some(("aux".into(), "Essarts".into()))
        );
        assert_eq!(c("De", "Agen"), Some(("D’".into(), "Agen".into())));
        assert_eq!(c("de", "Nérac"), None);
        assert_eq!(c("à", "Agen"), None);
        assert_eq!(c("de", "La Réole"), None);
        assert_eq!(c("pour", "Agen"), None);
    }
}
