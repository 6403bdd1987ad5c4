//! Attendance: counts and rates only, per action and for the department. No child is named:
//! the figures are all this page is given.

use maud::{Markup, html};

use super::layout::{action_name, percent};
use crate::review::model::attendance::Attendance;
use crate::review::model::year_label;

pub(crate) fn render(a: &Attendance) -> Markup {
    html! {
        p.lead {
            "D'après les cahiers de présence en vigueur. Un enfant est peu assidu sous "
            (percent(Some(a.seuil))) " de présence. Aucun nom d'enfant n'est affiché ici."
        }
        @if a.rows.is_empty() {
            p { "Aucun cahier de présence reçu." }
        } @else {
            table {
                thead { tr {
                    th scope="col" { "Action" }
                    th scope="col" { "Année" }
                    th.num scope="col" { "Collectifs" }
                    th.num scope="col" { "Enfants" }
                    th.num scope="col" { "Séances" }
                    th.num scope="col" { "Taux de présence" }
                    th.num scope="col" { "Enfants peu assidus" }
                } }
                tbody {
                    @for r in &a.rows {
                        tr {
                            td {
                                @match r.action_id {
                                    Some(id) => a href={ "/action/" (id) } { (action_name(&r.porteur, &r.numero)) },
                                    None => (action_name(&r.porteur, &r.numero)),
                                }
                            }
                            td { (r.year.map(year_label).unwrap_or_default()) }
                            td.num { (r.collectifs) }
                            td.num { (r.figures.children) }
                            td.num { (r.figures.sessions) }
                            td.num { (percent(r.figures.rate())) }
                            td.num { (r.figures.under_threshold) }
                        }
                    }
                }
                tfoot {
                    tr {
                        th scope="row" colspan="3" { "Ensemble (" (a.rows.len()) " action(s))" }
                        td.num { strong { (a.total.children) } }
                        td.num { strong { (a.total.sessions) } }
                        td.num { strong { (percent(a.total.rate())) } }
                        td.num { strong { (a.total.under_threshold) } }
                    }
                }
            }
        }
    }
}
