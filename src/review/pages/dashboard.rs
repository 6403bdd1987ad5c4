//! The dashboard: this school year's documents by state, what waits in `depot/`, the last
//! batch, the outputs to download.

use maud::{Markup, html};

use super::layout::size;
use crate::review::model::dashboard::Dashboard;
use crate::review::model::{State, local_time, year_label};

/// What a file name keeps as is in an address: letters, digits, `.`, `-`, `_`.
const NAME: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_');

/// The address of an output's download.
pub(crate) fn output_href(path: &str) -> String {
    let encoded: Vec<String> = path
        .split('/')
        .map(|p| percent_encoding::utf8_percent_encode(p, NAME).to_string())
        .collect();
    format!("/sorties/{}", encoded.join("/"))
}

pub(crate) fn render(d: &Dashboard) -> Markup {
    let states = [
        State::Conforme,
        State::ARevoir,
        State::Anomalie,
        State::Refuse,
    ];
    html! {
        section aria-labelledby="etat" {
            h2 #etat { "Documents reçus en " (year_label(d.year)) }
            p.lead { "Version en vigueur de chaque document reçu depuis le 1er septembre " (d.year) ", et fichiers refusés." }
            div.cards {
                @for s in states {
                    @let n = d.states[s as usize];
                    div class={ "card " (s.class()) } {
                        span.n { (n) }
                        @if s == State::ARevoir || s == State::Anomalie {
                            a href="/a-revoir" { (plural(n, s.label())) }
                        } @else {
                            (plural(n, s.label()))
                        }
                    }
                }
            }
            p.muted {
                (d.replaced) " ancienne(s) version(s) remplacée(s) par une plus récente ; "
                (d.duplicates) " fichier(s) reçu(s) deux fois (non comptés)."
            }
        }
        div.grid2 {
            section aria-labelledby="depot" {
                h2 #depot { "En attente dans le dépôt" }
                @if d.depot.is_empty() {
                    p { "Aucun fichier en attente : le dossier « depot » est vide." }
                } @else {
                    p { (d.depot.len()) " fichier(s) seront lus par la surveillance (« clas watch ») :" }
                    table {
                        thead { tr { th scope="col" { "Fichier" } th.num scope="col" { "Taille" } } }
                        tbody {
                            @for f in &d.depot {
                                tr { td { (f.name) } td.num { (size(f.size)) } }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="lot" {
                h2 #lot { "Dernier lot" }
                @match &d.last_batch {
                    None => p { "Aucun document reçu pour l'instant." },
                    Some(b) => {
                        p { (b.documents.len()) " document(s), le dernier reçu le " (local_time(&b.at)) "." }
                        table {
                            thead { tr { th scope="col" { "Fichier" } th scope="col" { "État" } } }
                            tbody {
                                @for doc in b.documents.iter().rev().take(15) {
                                    tr {
                                        td {
                                            @match doc.action_id {
                                                Some(id) => a href={ "/action/" (id) } { (doc.file_name) },
                                                None => a href={ "/document/" (doc.id) } { (doc.file_name) },
                                            }
                                        }
                                        td {
                                            @if doc.duplicate {
                                                span.badge { "déjà reçu" }
                                            } @else {
                                                span class={ "badge " (doc.state.class()) } { (doc.state.label()) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        @if b.documents.len() > 15 {
                            p.muted { "… et " (b.documents.len() - 15) " autre(s)." }
                        }
                    }
                }
            }
        }
        section aria-labelledby="sorties" {
            h2 #sorties { "Documents produits" }
            @if d.outputs.is_empty() {
                p { "Rien encore dans le dossier « sorties » : la synthèse est écrite après chaque lot." }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { "Fichier (à télécharger)" }
                        th scope="col" { "Mis à jour le" }
                        th.num scope="col" { "Taille" }
                    } }
                    tbody {
                        @for f in &d.outputs {
                            tr {
                                td { a href=(output_href(&f.path)) download { (f.path) } }
                                td { (f.modified.as_deref().unwrap_or("")) }
                                td.num { (size(f.size)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn plural(n: usize, label: &str) -> String {
    if n > 1 {
        // « à revoir » is invariable; the others take an s.
        match label {
            "à revoir" => "à revoir".into(),
            "en anomalie" => "en anomalie".into(),
            other => format!("{other}s"),
        }
    } else {
        label.to_string()
    }
}
