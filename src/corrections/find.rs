//! Which action and which field an agent means: the porteur matched as the inbox matches
//! porteurs ([`crate::findings::identity`]), and the nearest field ids to a mistyped one.

use crate::dictionary::{self, FormKind};
use crate::findings::identity::{same_name, same_number};
use crate::store::{ActionRef, Store, StoreError};
use crate::text::key;

/// The actions whose porteur (or territory) is `porteur` (accents, case, spacing and one small
/// typo tolerated), narrowed by action number and school year when given. A name contained in
/// the porteur's (« Haut-Agenais » for « Centre social du Haut-Agenais ») matches too, when no
/// porteur matches whole.
pub fn find_actions(
    store: &Store,
    porteur: &str,
    numero: Option<&str>,
    annee: Option<i32>,
) -> Result<Vec<ActionRef>, StoreError> {
    let narrowed: Vec<ActionRef> = store
        .actions()?
        .into_iter()
        .filter(|a| annee.is_none_or(|y| a.school_year == y))
        .filter(|a| numero.is_none_or(|n| same_number(&a.numero, n)))
        .collect();
    let whole: Vec<ActionRef> = narrowed
        .iter()
        .filter(|a| same_name(&a.porteur, porteur))
        .cloned()
        .collect();
    if !whole.is_empty() {
        return Ok(whole);
    }
    let wanted: String = key(porteur).into_iter().collect();
    if wanted.chars().count() < 4 {
        return Ok(Vec::new());
    }
    Ok(narrowed
        .into_iter()
        .filter(|a| {
            key(&a.porteur)
                .into_iter()
                .collect::<String>()
                .contains(&wanted)
        })
        .collect())
}

/// The actions nearest by name to `porteur` (at most `n`), for an agent whose name matched
/// none.
pub fn nearest_actions(
    store: &Store,
    porteur: &str,
    annee: Option<i32>,
    n: usize,
) -> Result<Vec<ActionRef>, StoreError> {
    let wanted = key(porteur);
    let mut all: Vec<(usize, ActionRef)> = store
        .actions()?
        .into_iter()
        .filter(|a| annee.is_none_or(|y| a.school_year == y))
        .map(|a| (distance(&key(&a.porteur), &wanted), a))
        .collect();
    all.sort_by(|(d1, a1), (d2, a2)| d1.cmp(d2).then(a1.id.cmp(&a2.id)));
    Ok(all.into_iter().take(n).map(|(_, a)| a).collect())
}

/// The field ids of these forms nearest to `field` (at most 5, the nearest first).
pub fn nearest_fields(forms: &[FormKind], field: &str) -> Vec<String> {
    let wanted: Vec<char> = field.to_lowercase().chars().collect();
    let mut ids: Vec<(usize, &str)> = forms
        .iter()
        .flat_map(|f| dictionary::fields(*f))
        .filter(|d| d.kind != dictionary::FieldType::Table)
        .map(|d| {
            let id: Vec<char> = d.id.chars().collect();
            // A prefix or a part of the id counts as near.
            let contained = d.id.contains(&field.to_lowercase()) && !field.is_empty();
            let dist = if contained { 1 } else { distance(&id, &wanted) };
            (dist, d.id.as_str())
        })
        .collect();
    ids.sort();
    ids.dedup_by(|a, b| a.1 == b.1);
    let best = ids.first().map(|(d, _)| *d).unwrap_or(0);
    ids.into_iter()
        .filter(|(d, _)| *d <= best.max(3) + 2)
        .take(5)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// Levenshtein distance.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_field_id_gives_the_nearest_ones() {
        let near = nearest_fields(&[FormKind::Bilan], "familles.nombr");
        assert_eq!(near.first().map(String::as_str), Some("familles.nombre"));
        assert!(nearest_fields(&[FormKind::Bilan], "zzzzzzzzzzzzzzzzzzzzzzzz").len() <= 5);
    }

    #[test]
    fn levenshtein() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(distance(&c("kitten"), &c("sitting")), 3);
        assert_eq!(distance(&c(""), &c("abc")), 3);
        assert_eq!(distance(&c("abc"), &c("abc")), 0);
    }
}
