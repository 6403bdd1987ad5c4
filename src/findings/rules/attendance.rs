//! The rules of the attendance workbook, alone and against its bilan.

use super::bilan::size_range;
use super::*;

/// Figures of one collectif (spec/presence.md).
struct Figures {
    /// Children with at least one mark.
    children: usize,
    /// Sessions per week with a session, by week (Monday, as days).
    weeks: BTreeMap<i64, usize>,
    /// Usual rhythm: median of sessions per week over the weeks without a public holiday.
    rhythm: Option<(f64, usize)>,
    /// Mean session length, over the sessions whose length is known, and how many.
    mean_length: Option<(f64, usize)>,
    /// Children under the attendance threshold, and children with marks.
    low_attendance: usize,
}

fn figures(c: &Collectif, threshold: f64) -> Figures {
    let marked: Vec<_> = c
        .enfants
        .iter()
        .filter(|e| e.present + e.absent + e.excuse > 0)
        .collect();
    let mut weeks: BTreeMap<i64, usize> = BTreeMap::new();
    for s in &c.seances {
        *weeks.entry(s.date.week_start()).or_default() += 1;
    }
    let counted: Vec<usize> = weeks
        .iter()
        .filter(|(w, _)| !week_has_weekday_holiday(**w))
        .map(|(_, n)| *n)
        .collect();
    let rhythm = median(&counted).map(|m| (m, counted.len()));
    let lengths: Vec<f64> = c
        .seances
        .iter()
        .filter_map(|s| s.duree_h)
        .filter(|h| h.is_finite())
        .collect();
    let mean_length = (!lengths.is_empty()).then(|| {
        (
            lengths.iter().sum::<f64>() / lengths.len() as f64,
            lengths.len(),
        )
    });
    let low_attendance = marked
        .iter()
        .filter(|e| {
            let rate = e.present as f64 / (e.present + e.absent + e.excuse) as f64;
            rate < threshold - EPS
        })
        .count();
    Figures {
        children: marked.len(),
        weeks,
        rhythm,
        mean_length,
        low_attendance,
    }
}

fn median(values: &[usize]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2] as f64),
        _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

pub(super) fn attendance_rules(
    presence: &Extraction,
    bilan: Option<&Extraction>,
    ctx: &Context,
    out: &mut Out,
) {
    let Some(collectifs) = presence.collectifs.as_ref() else {
        return;
    };
    let p = &ctx.profile;
    let figures: Vec<Figures> = collectifs
        .iter()
        .map(|c| figures(c, p.tolerances.assiduite))
        .collect();
    let (min, max, size_source) = size_range(ctx);

    for (c, f) in collectifs.iter().zip(&figures) {
        let name = format!("collectif « {} »", c.nom.trim());

        // collectif.taille, per collectif.
        if f.children > 0 || !c.seances.is_empty() {
            let n = f.children as f64;
            if n < min - EPS || n > max + EPS {
                out.push(
                    "collectif.taille",
                    Severity::Error,
                    &["collectifs"],
                    format!(
                        "{name} : {} dans le cahier de présence : {size_source}",
                        fr::count(n, "enfant", "enfants")
                    ),
                );
            }
        }

        // seances.frequence
        let (min_week, week_source) = if ctx.rural {
            (p.rural.par_semaine_min, &p.rural.source_seances)
        } else {
            (p.seances.par_semaine_min, &p.seances.source_frequence)
        };
        if let Some((rhythm, weeks)) = f.rhythm
            && rhythm < min_week - EPS
        {
            out.push(
                "seances.frequence",
                Severity::Error,
                &["collectifs"],
                format!(
                    "{name} : {} par semaine habituellement (médiane sur {} avec séance, hors semaines avec un jour férié) : {week_source}",
                    fr::count(rhythm, "séance", "séances"),
                    fr::count(weeks as f64, "semaine", "semaines")
                ),
            );
        }

        // seances.duree: in a rural collectif meeting once a week, the longer rural minimum.
        if let Some((mean, sessions)) = f.mean_length {
            let rhythm = f.rhythm.map(|r| r.0).or_else(|| {
                let all: Vec<usize> = f.weeks.values().copied().collect();
                median(&all)
            });
            let once_a_week = rhythm.is_some_and(|r| r < p.seances.par_semaine_min - EPS);
            let (min_len, source) = if ctx.rural && once_a_week {
                (p.rural.duree_min_h_une_seance, &p.rural.source_seances)
            } else {
                (p.seances.duree_min_h, &p.seances.source_duree)
            };
            if mean < min_len - EPS {
                out.push(
                    "seances.duree",
                    Severity::Error,
                    &["collectifs"],
                    format!(
                        "{name} : séances de {} en moyenne (sur {}) : {source}",
                        fr::hours(mean),
                        fr::count(sessions as f64, "séance", "séances")
                    ),
                );
            }
        }

        // presence.assiduite
        if f.low_attendance > 0 {
            let who = if f.low_attendance > 1 {
                "enfants présents"
            } else {
                "enfant présent"
            };
            out.push(
                "presence.assiduite",
                Severity::Info,
                &["collectifs"],
                format!(
                    "{name} : {} {who} sur {} à moins de {} des séances",
                    f.low_attendance,
                    f.children,
                    fr::percent(p.tolerances.assiduite)
                ),
            );
        }
    }

    let Some(b) = bilan else { return };

    // presence.effectif
    let children: f64 = figures.iter().map(|f| f.children as f64).sum();
    if let Some(total) = num(b, "enfants.total")
        && (children - total).abs() > p.tolerances.presence_effectif * total + EPS
    {
        let gap = if total > 0.0 {
            format!(
                " : écart de {}, au-delà de {}",
                fr::percent((children - total).abs() / total),
                fr::percent(p.tolerances.presence_effectif)
            )
        } else {
            String::new()
        };
        out.push(
            "presence.effectif",
            Severity::Warning,
            &["collectifs", "enfants.total"],
            format!(
                "{} dans le cahier de présence, {} déclarés dans le bilan{gap}",
                fr::count(children, "enfant", "enfants"),
                fr::num(total)
            ),
        );
    }
    if let Some(n) = num(b, "collectifs.nombre")
        && (collectifs.len() as f64 - n).abs() > EPS
    {
        out.push(
            "presence.effectif",
            Severity::Warning,
            &["collectifs", "collectifs.nombre"],
            format!(
                "{} dans le cahier de présence (une feuille par collectif), {} déclarés dans le bilan",
                fr::count(collectifs.len() as f64, "collectif", "collectifs"),
                fr::num(n)
            ),
        );
    }

    // presence.semaines
    let weeks: BTreeSet<i64> = figures
        .iter()
        .flat_map(|f| f.weeks.keys().copied())
        .collect();
    if !weeks.is_empty()
        && let Some(declared) = num(b, "calendrier.semaines")
        && (weeks.len() as f64 - declared).abs() > p.tolerances.presence_semaines + EPS
    {
        out.push(
            "presence.semaines",
            Severity::Warning,
            &["collectifs", "calendrier.semaines"],
            format!(
                "{} avec au moins une séance dans le cahier de présence, {} déclarées dans le bilan (écart admis : {})",
                fr::count(weeks.len() as f64, "semaine", "semaines"),
                fr::num(declared),
                fr::count(p.tolerances.presence_semaines, "semaine", "semaines")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[2, 1, 2]), Some(2.0));
        assert_eq!(median(&[1, 2]), Some(1.5));
    }
}
