//! The queue « À revoir », most serious first.

use maud::{Markup, html};

use super::layout::action_name;
use crate::review::model::queue::{Item, Rank};

pub(crate) fn render(items: &[Item]) -> Markup {
    let count = |r: Rank| items.iter().filter(|i| i.rank == r).count();
    html! {
        p.lead {
            (count(Rank::Error)) " erreur(s), "
            (count(Rank::Refused)) " fichier(s) refusé(s), "
            (count(Rank::Correction)) " correction(s) à revoir, "
            (count(Rank::Warning)) " point(s) à vérifier. Les plus graves d'abord."
        }
        @if items.is_empty() {
            p.notice.success { "Rien à revoir : tous les documents en vigueur sont conformes." }
        } @else {
            table {
                caption.muted { "Choisissez « Corriger » pour ouvrir la fiche de l'action au bon champ." }
                thead { tr {
                    th scope="col" { "Gravité" }
                    th scope="col" { "Action" }
                    th scope="col" { "Champ" }
                    th scope="col" { "Constat" }
                    th scope="col" { span.noprint { "Ouvrir" } }
                } }
                tbody {
                    @for i in items {
                        tr {
                            td { span class={ "badge " (i.rank.class()) } { (i.rank.label()) } }
                            td {
                                (action_name(&i.porteur, &i.numero))
                                br;
                                span.muted { (i.file_name) }
                            }
                            td {
                                @if let Some((id, label)) = &i.field {
                                    (label) br; span.muted { (id) }
                                }
                            }
                            td { strong { (i.title) } " : " (i.message) }
                            td.noprint {
                                @match (i.action_id, &i.field) {
                                    (Some(a), Some((id, label))) => a href={ "/action/" (a) "#champ-" (id) }
                                        aria-label={ "Corriger « " (label) " » — " (action_name(&i.porteur, &i.numero)) } { "Corriger" },
                                    (Some(a), None) => a href={ "/action/" (a) } { "Voir l'action" },
                                    (None, _) => a href={ "/document/" (i.document_id) } { "Voir le fichier" },
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
