//! Manual entry: a document clas could not read (a scan, a PDF without text) receives the
//! values an agent types from it, with a reason; it then counts as read everywhere (through
//! [`crate::corrections::manual_entry`]). Attendance workbooks are not typed by hand.

use maud::{Markup, html};

use crate::dictionary::{self, FieldType, FormKind};
use crate::report::section_title;

/// The manual entry form as it stands: which form, what was typed, why it was refused.
#[derive(Debug, Clone)]
pub(crate) struct Manual {
    pub(crate) form: FormKind,
    pub(crate) values: Vec<(String, String)>,
    pub(crate) error: Option<String>,
}

impl Default for Manual {
    fn default() -> Manual {
        Manual {
            form: FormKind::Bilan,
            values: Vec::new(),
            error: None,
        }
    }
}

/// The field names of the form: `v:` and the field id.
pub(crate) const PREFIX: &str = "v:";

pub(crate) fn render(document_id: i64, token: &str, m: &Manual) -> Markup {
    let value = |id: &str| {
        m.values
            .iter()
            .find(|(k, _)| k == id)
            .map_or("", |(_, v)| v.as_str())
    };
    let mut sections: Vec<(&str, Vec<&dictionary::FieldDef>)> = Vec::new();
    for def in dictionary::fields(m.form)
        .iter()
        .filter(|d| d.kind != FieldType::Table)
    {
        match sections.last_mut() {
            Some((s, v)) if *s == def.section.as_str() => v.push(def),
            _ => sections.push((def.section.as_str(), vec![def])),
        }
    }
    html! {
        section aria-labelledby="saisie" {
            h2 #saisie { "Saisie manuelle" }
            p {
                "Tapez les valeurs lues sur le document (laissez vide ce qui n'est pas rempli). "
                "Elles sont enregistrées comme des corrections, avec votre nom et le motif, et le document "
                "compte ensuite comme un document lu (synthèse, relances, conventions)."
            }
            form.filters method="get" action={ "/document/" (document_id) } {
                div {
                    label for="formulaire" { "Formulaire" }
                    select id="formulaire" name="formulaire" {
                        option value="bilan" selected[m.form == FormKind::Bilan] { "Bilan" }
                        option value="note-strategique" selected[m.form == FormKind::NoteStrategique] { "Note stratégique" }
                    }
                }
                div { button.secondary type="submit" { "Changer de formulaire" } }
            }
            @if let Some(e) = &m.error {
                p.notice.error role="alert" { "Saisie refusée : " (e) }
            }
            form method="post" action={ "/document/" (document_id) "/saisie" } {
                input type="hidden" name="jeton" value=(token);
                input type="hidden" name="formulaire" value=(m.form.id());
                @for (section, defs) in &sections {
                    fieldset.field {
                        legend { (section_title(section)) }
                        @for def in defs {
                            div {
                                label for={ "saisie-" (def.id) } { (def.label) }
                                input type="text" id={ "saisie-" (def.id) } name={ (PREFIX) (def.id) }
                                    value=(value(&def.id));
                            }
                        }
                    }
                }
                div {
                    label for="saisie-motif" { "Motif (obligatoire)" }
                    textarea id="saisie-motif" name="motif" required rows="2" {
                        (value("motif"))
                    }
                }
                p { button type="submit" { "Enregistrer la saisie" } }
            }
        }
    }
}
