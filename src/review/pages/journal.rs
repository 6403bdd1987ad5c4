//! The journal of corrections, oldest first, filtered by a search and a status, and exported
//! as CSV with the same filters.

use maud::{Markup, html};

use super::layout::action_name;
use crate::review::edit::CorrectionView;

/// The journal's filters, from the address's query.
#[derive(Debug, Default, Clone)]
pub(crate) struct Filter {
    /// Words found in the porteur, the field, the motif or the author (without case).
    pub(crate) text: String,
    /// `appliquée`, `à revoir`, or empty for all.
    pub(crate) status: String,
}

impl Filter {
    pub(crate) fn keeps(&self, c: &CorrectionView) -> bool {
        let text = self.text.trim().to_lowercase();
        let hay = format!(
            "{} {} {} {} {} {}",
            c.porteur, c.numero, c.field, c.field_label, c.motif, c.author
        )
        .to_lowercase();
        (text.is_empty() || text.split_whitespace().all(|w| hay.contains(w)))
            && (self.status.is_empty() || self.status == c.status)
    }

    /// The query that gives these filters again (for the CSV link).
    pub(crate) fn query(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &self.text)
            .append_pair("statut", &self.status)
            .finish()
    }
}

pub(crate) const CSV_HEADER: &[&str] = &[
    "Date", "Auteur", "Porteur", "Action", "Année", "Champ", "Question", "Avant", "Après", "Motif",
    "Statut",
];

pub(crate) fn csv_row(c: &CorrectionView) -> Vec<String> {
    vec![
        c.at.clone(),
        c.author.clone(),
        c.porteur.clone(),
        c.numero.clone(),
        c.annee.clone(),
        c.field.clone(),
        c.field_label.clone(),
        c.before.clone(),
        c.after.clone(),
        c.motif.clone(),
        c.status.clone(),
    ]
}

pub(crate) fn render(all: usize, shown: &[&CorrectionView], filter: &Filter) -> Markup {
    html! {
        p.lead { "Chaque correction faite dans cet espace de travail, la plus ancienne d'abord. La valeur en vigueur est celle de la dernière correction appliquée." }
        form.filters method="get" action="/journal" role="search" {
            div {
                label for="q" { "Rechercher" }
                input type="search" id="q" name="q" value=(filter.text) placeholder="porteur, champ, motif, auteur";
            }
            div {
                label for="statut" { "Statut" }
                select id="statut" name="statut" {
                    option value="" selected[filter.status.is_empty()] { "Tous" }
                    option value="appliquée" selected[filter.status == "appliquée"] { "Appliquée" }
                    option value="à revoir" selected[filter.status == "à revoir"] { "À revoir" }
                }
            }
            div { button type="submit" { "Filtrer" } }
            div { a.button.secondary href={ "/journal.csv?" (filter.query()) } download { "Exporter (CSV)" } }
        }
        p { (shown.len()) " correction(s) affichée(s) sur " (all) "." }
        @if !shown.is_empty() {
            table {
                thead { tr {
                    th scope="col" { "Date" }
                    th scope="col" { "Action" }
                    th scope="col" { "Champ" }
                    th scope="col" { "Avant" }
                    th scope="col" { "Après" }
                    th scope="col" { "Motif" }
                    th scope="col" { "Auteur" }
                    th scope="col" { "Statut" }
                } }
                tbody {
                    @for c in shown {
                        tr {
                            td { (c.at) }
                            td { a href={ "/action/" (c.action_id) } { (action_name(&c.porteur, &c.numero)) } br; span.muted { (c.annee) } }
                            td { a href={ "/action/" (c.action_id) "#champ-" (c.field) } { (c.field_label) } br; span.muted { (c.field) } }
                            td { (c.before) }
                            td { (c.after) }
                            td { (c.motif) }
                            td { (c.author) }
                            td { span class={ "badge " (if c.applied { "fix" } else { "warn" }) } { (c.status) } }
                        }
                    }
                }
            }
        }
    }
}
