//! Which documents belong to the same action, and whether an action is rural.

use crate::extraction::Extraction;
use crate::text::key;

/// Whether two documents (a bilan and its attendance workbook) are about the same action: same
/// porteur.nom and action.numero, whatever the accents, case, spacing and punctuation, and one
/// small typo allowed in the porteur's name (not in the number). A document missing either
/// value matches nothing.
pub fn same_action(a: &Extraction, b: &Extraction) -> bool {
    let text = |e: &Extraction, id: &str| {
        e.value(id).as_text().map(str::to_string).or_else(|| {
            // A number typed in a spreadsheet cell may come through as a number.
            e.value(id).as_f64().map(|n| n.to_string())
        })
    };
    let (Some(pa), Some(pb)) = (text(a, "porteur.nom"), text(b, "porteur.nom")) else {
        return false;
    };
    let (Some(na), Some(nb)) = (text(a, "action.numero"), text(b, "action.numero")) else {
        return false;
    };
    same_name(&pa, &pb) && same_number(&na, &nb)
}

/// Names equal once folded, or one edit apart (insertion, deletion, substitution or swap of two
/// neighbours) when long enough for one letter not to make another name.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    same_name_key(&key(a), &key(b))
}

/// [`same_name`] on names already folded with [`crate::text::key`] (the inbox keeps the keys of
/// the actions it knows).
pub(crate) fn same_name_key(ka: &[char], kb: &[char]) -> bool {
    if ka.is_empty() || kb.is_empty() {
        return false;
    }
    ka == kb || (ka.len().min(kb.len()) >= 5 && within_one_edit(ka, kb))
}

/// What two action identities must share exactly for [`same_name`] and [`same_number`] to
/// hold together: the normalised number (none for a territory) and the digits of the name
/// (« Maison des jeunes 12 » and « … 13 » are one typo apart but two porteurs). `None` when no
/// other identity can match (an action without a number).
pub(crate) fn bucket(kind: &str, porteur: &str, numero: &str) -> Option<String> {
    let digits: String = porteur.chars().filter(char::is_ascii_digit).collect();
    if kind == "territoire" {
        return Some(format!("{kind}|{digits}"));
    }
    let n = normalize_number(numero);
    (!n.is_empty()).then(|| format!("{kind}|{digits}|{n}"))
}

/// Action numbers equal once `Action`, `N°`, spacing and leading zeros are set aside:
/// `N° 03` = `3` = `action 3`.
pub(crate) fn same_number(a: &str, b: &str) -> bool {
    let (na, nb) = (normalize_number(a), normalize_number(b));
    !na.is_empty() && na == nb
}

fn normalize_number(s: &str) -> String {
    let folded: String = key(s).into_iter().filter(|c| *c != '°').collect();
    let mut k = folded.as_str();
    k = k.strip_prefix("action").unwrap_or(k);
    for prefix in ["numero", "num", "no", "n"] {
        if let Some(rest) = k.strip_prefix(prefix)
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            k = rest;
            break;
        }
    }
    while k.len() > 1 && k.starts_with('0') && k[1..].starts_with(|c: char| c.is_ascii_digit()) {
        k = &k[1..];
    }
    k.to_string()
}

/// Optimal string alignment distance at most 1 (equal, or one insertion, deletion,
/// substitution or swap of neighbours), in one pass.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let i = long.iter().zip(short).take_while(|(x, y)| x == y).count();
    match long.len() - short.len() {
        0 => {
            i == long.len()
                || long[i + 1..] == short[i + 1..]
                || (i + 1 < long.len()
                    && long[i] == short[i + 1]
                    && long[i + 1] == short[i]
                    && long[i + 2..] == short[i + 2..])
        }
        1 => long[i + 1..] == short[i..],
        _ => false,
    }
}

/// Whether an action is rural according to the Caf's lists: its porteur is listed (same name,
/// tolerant as [`same_action`]), or a listed commune appears as whole words in action.lieu.
pub fn is_rural(bilan: &Extraction, porteurs: &[String], communes: &[String]) -> bool {
    let porteur = bilan.value("porteur.nom").as_text().unwrap_or("");
    if !porteur.is_empty() && porteurs.iter().any(|p| same_name(p, porteur)) {
        return true;
    }
    let lieu = words(bilan.value("action.lieu").as_text().unwrap_or(""));
    communes.iter().any(|c| {
        let c = words(c);
        !c.is_empty() && lieu.windows(c.len()).any(|w| w == c.as_slice())
    })
}

fn words(s: &str) -> Vec<String> {
    crate::text::fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert!(same_name(
            "Centre social Jean-Jaurès",
            "CENTRE SOCIAL JEAN JAURES"
        ));
        assert!(same_name(
            "Centre social Jean Jaurès",
            "Centre socail Jean Jaurès"
        ));
        assert!(same_name(
            "Centre social Jean Jaurès",
            "Centre social Jean Jaures."
        ));
        assert!(!same_name(
            "Centre social Jean Jaurès",
            "Centre social Jean Moulin"
        ));
        assert!(!same_name("ALIS", "ALES"));
        assert!(same_number("N° 03", "3"));
        assert!(same_number("Action 3", "3"));
        assert!(same_number("12", "n°12"));
        assert!(!same_number("1", "2"));
        assert!(!same_number("12", "21"));
        assert!(same_number("0", "00"));
        assert!(!same_number("", ""));
    }

    /// The one-pass check against the full optimal string alignment distance, on every pair of
    /// short strings over a small alphabet (where swaps, repeats and near misses abound).
    #[test]
    fn one_edit_agrees_with_the_full_distance() {
        fn distance(a: &[char], b: &[char]) -> usize {
            let (n, m) = (a.len(), b.len());
            let mut d = vec![vec![0usize; m + 1]; n + 1];
            (0..=n).for_each(|i| d[i][0] = i);
            (0..=m).for_each(|j| d[0][j] = j);
            for i in 1..=n {
                for j in 1..=m {
                    let cost = usize::from(a[i - 1] != b[j - 1]);
                    let mut best = (d[i - 1][j] + 1)
                        .min(d[i][j - 1] + 1)
                        .min(d[i - 1][j - 1] + cost);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        best = best.min(d[i - 2][j - 2] + 1);
                    }
                    d[i][j] = best;
                }
            }
            d[n][m]
        }
        let mut words: Vec<Vec<char>> = vec![vec![]];
        for len in 1..=4 {
            for code in 0..3usize.pow(len) {
                let mut c = code;
                words.push(
                    (0..len)
                        .map(|_| {
                            let ch = ['a', 'b', 'c'][c % 3];
                            c /= 3;
                            ch
                        })
                        .collect(),
                );
            }
        }
        let mut near = 0;
        for a in &words {
            for b in &words {
                let expected = distance(a, b) <= 1;
                assert_eq!(within_one_edit(a, b), expected, "{a:?} {b:?}");
                near += usize::from(expected);
            }
        }
        assert!(near > words.len() * 2, "{near}");
    }
}
