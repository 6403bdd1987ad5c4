//! The rules of the attendance workbook, alone and against its bilan.

use super::bilan::size_range;
use super::*;
use crate::extraction::presence::{Figures, figures, sessions_by_week};

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
        if f.nombre_enfants > 0 || !c.seances.is_empty() {
            let n = f.nombre_enfants as f64;
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
        if let Some((rhythm, weeks)) = f.rythme_habituel
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
        if let Some(mean) = f.duree_moyenne_h {
            let sessions = f.seances_avec_duree;
            let rhythm = f.rythme_habituel.map(|r| r.0).or(f.seances_par_semaine);
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
        if f.enfants_sous_seuil > 0 {
            let who = if f.enfants_sous_seuil > 1 {
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
                    f.enfants_sous_seuil,
                    f.nombre_enfants,
                    fr::percent(p.tolerances.assiduite)
                ),
            );
        }
    }

    let Some(b) = bilan else { return };

    // presence.effectif
    let children: f64 = figures.iter().map(|f| f.nombre_enfants as f64).sum();
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
    let weeks: BTreeSet<Date> = collectifs
        .iter()
        .flat_map(|c| sessions_by_week(c).into_iter().map(|(monday, _)| monday))
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
