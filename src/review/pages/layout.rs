//! The frame of every page: the header with the navigation, a link to skip to the content
//! (keyboard users), the content, the footer.

use maud::{DOCTYPE, Markup, html};

use crate::review::assets::STYLE_PATH;

/// The sections of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nav {
    Dashboard,
    Queue,
    Journal,
    Attendance,
    None,
}

const ENTRIES: &[(Nav, &str, &str)] = &[
    (Nav::Dashboard, "/", "Tableau de bord"),
    (Nav::Queue, "/a-revoir", "À revoir"),
    (Nav::Journal, "/journal", "Journal des corrections"),
    (Nav::Attendance, "/presence", "Présence"),
];

/// A whole page.
pub(crate) fn page(title: &str, nav: Nav, workspace: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — relecture clas" }
                link rel="stylesheet" href=(STYLE_PATH);
            }
            body {
                a.skip href="#contenu" { "Aller au contenu" }
                header.top {
                    a.brand href="/" { "clas — relecture" }
                    nav aria-label="Navigation principale" {
                        ul {
                            @for (n, href, label) in ENTRIES {
                                li {
                                    a href=(href) aria-current=[(*n == nav).then_some("page")] {
                                        (label)
                                    }
                                }
                            }
                        }
                    }
                    span.ws { "Espace de travail : " (workspace) }
                }
                main #contenu tabindex="-1" {
                    h1 { (title) }
                    (content)
                }
            }
        }
    }
}

/// A page without navigation (a refused request, an error).
pub(crate) fn bare(title: &str, message: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                title { (title) " — relecture clas" }
                link rel="stylesheet" href=(STYLE_PATH);
            }
            body {
                main #contenu {
                    h1 { (title) }
                    p.notice.error role="alert" { (message) }
                    p { a href="/" { "Retour au tableau de bord" } }
                }
            }
        }
    }
}

/// A number of bytes as agents read it: « 12 ko », « 1,4 Mo ».
pub(crate) fn size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} o")
    } else if bytes < 1024 * 1024 {
        format!("{} ko", bytes.div_ceil(1024))
    } else {
        format!("{:.1} Mo", bytes as f64 / 1_048_576.0).replace('.', ",")
    }
}

/// A rate as a percentage: « 87 % ».
pub(crate) fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".into(), |r| format!("{:.0} %", r * 100.0))
}

/// « Porteur — action n° 3 ».
pub(crate) fn action_name(porteur: &str, numero: &str) -> String {
    let porteur = if porteur.is_empty() {
        "(porteur non lu)"
    } else {
        porteur
    };
    if numero.is_empty() {
        porteur.to_string()
    } else {
        format!("{porteur} — action n° {numero}")
    }
}
