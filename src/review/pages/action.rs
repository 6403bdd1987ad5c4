//! An action's page: its documents and versions, then each current document field by field,
//! by the form's sections: the value in force, where it was found, the findings about it, a
//! form to correct it (with a reason), its corrections and its history.

use maud::{Markup, html};

use super::layout::{action_name, percent};
use crate::dictionary::{FieldType, FormKind};
use crate::findings::{Finding, Severity};
use crate::review::edit;
use crate::review::model::action::{ActionPage, FieldView, FormView};
use crate::review::model::year_label;

/// What the agent just typed and why it was refused, shown again at its field.
pub(crate) struct Refused {
    pub(crate) field: String,
    pub(crate) value: String,
    pub(crate) motif: String,
    pub(crate) message: String,
}

pub(crate) fn title(p: &ActionPage) -> String {
    match &p.action {
        Some(a) => format!(
            "{} ({})",
            action_name(&a.porteur, &a.numero),
            year_label(a.school_year)
        ),
        None => p
            .documents
            .first()
            .map_or_else(String::new, |d| d.file_name.clone()),
    }
}

pub(crate) fn render(
    p: &ActionPage,
    token: &str,
    saved: Option<&str>,
    refused: Option<&Refused>,
    manual: &super::manual::Manual,
) -> Markup {
    html! {
        @if let Some(field) = saved {
            p.notice.success role="status" {
                "Correction enregistrée (" (field) ") : les constats et la synthèse en tiennent compte."
            }
        }
        @if let Some(r) = refused {
            p.notice.error role="alert" {
                "Correction refusée (" (r.field) ") : " (r.message) " "
                a href={ "#champ-" (r.field) } { "Revenir au champ" }
            }
        }
        section aria-labelledby="docs" {
            h2 #docs { "Documents et versions" }
            table {
                thead { tr {
                    th scope="col" { "Fichier" }
                    th scope="col" { "Formulaire" }
                    th scope="col" { "Reçu le" }
                    th scope="col" { "Version" }
                    th scope="col" { "État" }
                } }
                tbody {
                    @for d in &p.documents {
                        tr {
                            td {
                                @if d.downloadable {
                                    a href={ "/fichier/" (d.id) } download { (d.file_name) }
                                } @else {
                                    (d.file_name)
                                }
                                @if !d.mapping.is_empty() { br; span.muted { (d.mapping) } }
                            }
                            td { (d.form) }
                            td { (d.received) }
                            td { (d.version) }
                            td { span class={ "badge " (d.state.class()) } { (d.state.label()) } }
                        }
                    }
                }
            }
        }
        @if p.action.is_none() {
            @for d in &p.documents {
                @if let Some(r) = &d.refusal {
                    p.notice.error { "Fichier refusé : " (r) }
                    (super::manual::render(d.id, token, manual))
                } @else {
                    p.notice {
                        "Ce document n'est rattaché à aucune action : le porteur ou le numéro de l'action n'a pas pu être lu. "
                        "Corrigez-les ci-dessous (section Identification) : le document rejoint alors son action."
                    }
                }
            }
        }
        @for f in &p.forms {
            (form_view(p.action.as_ref().map(|a| a.id), f, token, saved, refused))
        }
    }
}

fn form_view(
    action_id: Option<i64>,
    f: &FormView,
    token: &str,
    saved: Option<&str>,
    refused: Option<&Refused>,
) -> Markup {
    let heading = format!("{} : {}", form_label(f.form), f.file_name);
    // A document of no action is corrected through its own address (it then gets one).
    let post = match action_id {
        Some(a) => format!("/action/{a}/corriger"),
        None => format!("/document/{}/corriger", f.document_id),
    };
    let anchor = format!("doc-{}", f.document_id);
    html! {
        section aria-labelledby=(anchor) {
            h2 id=(anchor) { (heading) }
            @if !f.general.is_empty() {
                div.notice {
                    strong { "Constats sur l'ensemble du document :" }
                    (findings_list(&f.general))
                }
            }
            @if f.form == FormKind::Presence {
                p.muted { "Cahier de présence : seuls les nombres et les taux sont montrés, jamais le nom d'un enfant." }
                @if !f.collectifs.is_empty() {
                    table {
                        thead { tr {
                            th scope="col" { "Collectif" }
                            th.num scope="col" { "Enfants" }
                            th.num scope="col" { "Séances" }
                            th.num scope="col" { "Semaines" }
                            th.num scope="col" { "Taux de présence" }
                            th.num scope="col" { "Enfants peu assidus" }
                        } }
                        tbody {
                            @for (nom, c) in &f.collectifs {
                                tr {
                                    td { (nom) }
                                    td.num { (c.children) }
                                    td.num { (c.sessions) }
                                    td.num { (c.weeks) }
                                    td.num { (percent(c.rate())) }
                                    td.num { (c.under_threshold) }
                                }
                            }
                        }
                    }
                }
            }
            @if f.sections.len() > 3 {
                nav aria-label={ "Sections de " (f.file_name) } {
                    ul.toc {
                        @for (i, s) in f.sections.iter().enumerate() {
                            li { a href={ "#s-" (f.document_id) "-" (i) } { (s.title) } }
                        }
                    }
                }
            }
            @for (i, s) in f.sections.iter().enumerate() {
                h3 id={ "s-" (f.document_id) "-" (i) } { (s.title) }
                @for field in &s.fields {
                    (field_view(
                        &post,
                        field,
                        token,
                        saved == Some(field.id.as_str()),
                        refused.filter(|r| r.field == field.id),
                    ))
                }
            }
        }
    }
}

fn field_view(
    post: &str,
    f: &FieldView,
    token: &str,
    saved: bool,
    refused: Option<&Refused>,
) -> Markup {
    let error = f.findings.iter().any(|x| x.severity == Severity::Error);
    let finding = !f.findings.is_empty() || f.problem.is_some();
    let open = refused.is_some();
    html! {
        div.field.has-error[error].has-finding[finding && !error] id={ "champ-" (f.id) } {
            div {
                div.q { (f.label) }
                div.id { (f.id) }
                @if saved {
                    p.notice.success role="status" { "Correction enregistrée." }
                }
                @if let Some(r) = refused {
                    p.notice.error role="alert" { "Refusée : " (r.message) }
                }
            }
            div {
                div.v.empty[f.empty] {
                    (f.value)
                    @if f.corrected() { " " span.badge.fix { "corrigée" } }
                }
                @if let Some(p) = &f.problem {
                    div { span.badge.warn { "lecture" } " " (p) }
                }
                @if !f.findings.is_empty() {
                    (findings_list(&f.findings))
                }
                @if let Some(w) = &f.found {
                    div.where {
                        "Trouvée par " (w.locator) ", " (w.place)
                        @if let Some(b) = &w.before { br; "Texte avant : " q { (b) } }
                        @if let Some(t) = &w.text { br; "Texte lu : " q { (t) } }
                    }
                }
            }
            @if !f.corrections.is_empty() || !f.history.is_empty() {
                details {
                    summary { "Historique de ce champ" }
                    ul {
                        @for (version, value) in &f.history {
                            li { "Lu dans " (version) " : " (value) }
                        }
                        @for c in &f.corrections {
                            li {
                                (c.at) ", " (c.author) " : « " (c.before) " » → « " (c.after) " » — "
                                (c.motif) " "
                                span class={ "badge " (if c.applied { "fix" } else { "warn" }) } { (c.status) }
                            }
                        }
                    }
                }
            }
            @if edit::AVAILABLE && f.editable() {
                details.edit open[open] {
                    summary { "Corriger cette valeur" }
                    form.edit method="post" action=(post) {
                        input type="hidden" name="jeton" value=(token);
                        input type="hidden" name="champ" value=(f.id);
                        div {
                            label for={ "valeur-" (f.id) } { "Nouvelle valeur" }
                            input type="text" id={ "valeur-" (f.id) } name="valeur"
                                value=(refused.map_or(f.input.as_str(), |r| r.value.as_str()))
                                aria-describedby={ "aide-" (f.id) };
                            div.hint id={ "aide-" (f.id) } { (hint(f.kind)) }
                        }
                        div {
                            label for={ "motif-" (f.id) } { "Motif (obligatoire)" }
                            textarea id={ "motif-" (f.id) } name="motif" required rows="2" {
                                (refused.map_or("", |r| r.motif.as_str()))
                            }
                        }
                        div { button type="submit" { "Enregistrer la correction" } }
                    }
                }
            }
        }
    }
}

fn findings_list(findings: &[Finding]) -> Markup {
    html! {
        ul.findings {
            @for x in findings {
                li {
                    span class={ "badge " (severity_class(x.severity)) } { (x.severity.label()) }
                    " " (x.message)
                    " " span.muted { "(" (x.rule) ")" }
                }
            }
        }
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "err",
        Severity::Warning => "warn",
        Severity::Info => "ok",
    }
}

fn form_label(f: FormKind) -> &'static str {
    match f {
        FormKind::Bilan => "Bilan",
        FormKind::NoteStrategique => "Note stratégique",
        FormKind::Presence => "Cahier de présence",
    }
}

/// How to write a value of this type.
fn hint(kind: FieldType) -> &'static str {
    match kind {
        FieldType::Integer => {
            "Un nombre entier en chiffres, par exemple 15. Laissez vide pour effacer."
        }
        FieldType::Decimal => "Un nombre, par exemple 312,5. Laissez vide pour effacer.",
        FieldType::Date => "Une date, par exemple 17/11/2025. Laissez vide pour effacer.",
        FieldType::Yesno => "oui ou non. Laissez vide pour effacer.",
        FieldType::Check => "coché ou vide.",
        FieldType::Text | FieldType::Table => {
            "Le texte tel qu'il doit être lu. Laissez vide pour effacer."
        }
    }
}
