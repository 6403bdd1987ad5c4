//! An action's page: its documents and their versions; of each current document, every field
//! by the form's sections with the value in force, where it was found, the findings about it,
//! its corrections and its history.

use super::{State, local_time};
use crate::config::Config;
use crate::dictionary::{self, FieldType, FormKind};
use crate::extraction::Problem;
use crate::findings::Finding;
use crate::report::{section_title, value_text};
use crate::review::edit::CorrectionView;
use crate::review::source::{Cache, Found};
use crate::store::{ActionRef, Status, Store, StoreError, StoredDocument};

pub(crate) struct ActionPage {
    /// `None`: a document whose porteur or action number could not be read, shown alone (it
    /// cannot be corrected until it belongs to an action).
    pub(crate) action: Option<ActionRef>,
    pub(crate) documents: Vec<DocumentRow>,
    pub(crate) forms: Vec<FormView>,
}

pub(crate) struct DocumentRow {
    pub(crate) id: i64,
    pub(crate) file_name: String,
    pub(crate) form: &'static str,
    pub(crate) received: String,
    pub(crate) mapping: String,
    /// « version en vigueur », « remplacée », « doublon », « refusé ».
    pub(crate) version: &'static str,
    pub(crate) state: State,
    /// Its copy may be downloaded (not an attendance workbook: children's names).
    pub(crate) downloadable: bool,
    /// Why it was refused.
    pub(crate) refusal: Option<String>,
}

/// One current document of the action (its bilan, its attendance workbook, a note).
pub(crate) struct FormView {
    pub(crate) document_id: i64,
    pub(crate) form: FormKind,
    pub(crate) file_name: String,
    /// Findings about no field in particular.
    pub(crate) general: Vec<Finding>,
    pub(crate) sections: Vec<SectionView>,
    /// Attendance workbooks: the figures of each collectif (counts and rates only).
    pub(crate) collectifs: Vec<(String, crate::synthesis::Figures)>,
}

pub(crate) struct SectionView {
    pub(crate) title: String,
    pub(crate) fields: Vec<FieldView>,
}

pub(crate) struct FieldView {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) kind: FieldType,
    /// The value in force, as agents read it.
    pub(crate) value: String,
    /// The same, as the edit box starts with it.
    pub(crate) input: String,
    pub(crate) empty: bool,
    /// What went wrong reading it.
    pub(crate) problem: Option<String>,
    pub(crate) found: Option<Found>,
    pub(crate) findings: Vec<Finding>,
    /// The corrections of this field, oldest first; the last applied one is in force.
    pub(crate) corrections: Vec<CorrectionView>,
    /// The value read in each earlier version of the document.
    pub(crate) history: Vec<(String, String)>,
}

impl FieldView {
    pub(crate) fn corrected(&self) -> bool {
        self.corrections.iter().any(|c| c.applied)
    }
    pub(crate) fn editable(&self) -> bool {
        self.kind != FieldType::Table
    }
}

impl ActionPage {
    /// The page of action `id`, `None` if there is none.
    pub(crate) fn read(
        config: &Config,
        store: &Store,
        sources: &mut Cache,
        id: i64,
        corrections: &[CorrectionView],
    ) -> Result<Option<ActionPage>, StoreError> {
        let history = store.history(id)?;
        let Some(action) = history.iter().find_map(|d| d.action.clone()) else {
            return Ok(None);
        };
        Ok(Some(ActionPage::build(
            config,
            sources,
            Some(action),
            &history,
            corrections,
        )))
    }

    /// The page of a document that belongs to no action, `None` if there is no such
    /// document; a document of an action gives the page of its action instead
    /// (`Err(action id)`).
    pub(crate) fn of_document(
        config: &Config,
        store: &Store,
        sources: &mut Cache,
        id: i64,
    ) -> Result<Option<Result<ActionPage, i64>>, StoreError> {
        let Some(mut doc) = store.document(id)? else {
            return Ok(None);
        };
        if let Some(a) = &doc.action {
            return Ok(Some(Err(a.id)));
        }
        doc.current = doc.is_archived() && doc.replaced_by.is_none();
        Ok(Some(Ok(ActionPage::build(
            config,
            sources,
            None,
            &[doc],
            &[],
        ))))
    }

    fn build(
        config: &Config,
        sources: &mut Cache,
        action: Option<ActionRef>,
        history: &[StoredDocument],
        corrections: &[CorrectionView],
    ) -> ActionPage {
        let documents = history.iter().map(row).collect();
        let mut forms = Vec::new();
        for d in history.iter().filter(|d| d.current) {
            let (Some(form), Some(x)) = (d.form, &d.extraction) else {
                continue;
            };
            let found = sources.of(config, d);
            let older: Vec<&StoredDocument> = history
                .iter()
                .filter(|o| {
                    o.form == Some(form)
                        && o.id != d.id
                        && o.is_archived()
                        && o.extraction.is_some()
                })
                .collect();
            let mut sections: Vec<SectionView> = Vec::new();
            for f in &x.fields {
                let def = dictionary::field(form, &f.id);
                let title = section_title(def.map_or("", |d| d.section.as_str())).to_string();
                let mine: Vec<CorrectionView> = corrections
                    .iter()
                    .filter(|c| c.field == f.id)
                    .cloned()
                    .collect();
                // The store's extraction holds the values in force (corrections applied).
                let (value, input, empty) = (
                    value_text(&f.value, f.kind),
                    crate::corrections::display_value(f.kind, &f.value),
                    f.value.is_null(),
                );
                let view = FieldView {
                    id: f.id.clone(),
                    label: def.map_or_else(|| f.id.clone(), |d| d.label.clone()),
                    kind: f.kind,
                    value,
                    input,
                    empty,
                    problem: f.problem.as_ref().map(problem_text),
                    found: found.get(&f.id).cloned(),
                    findings: d
                        .findings
                        .iter()
                        .filter(|x| x.fields.contains(&f.id))
                        .cloned()
                        .collect(),
                    corrections: mine,
                    history: older
                        .iter()
                        .filter_map(|o| {
                            let v = o.extraction.as_ref()?.value(&f.id);
                            Some((
                                format!("{} ({})", o.file_name, local_time(&o.received_at)),
                                value_text(v, f.kind),
                            ))
                        })
                        .collect(),
                };
                match sections.last_mut() {
                    Some(s) if s.title == title => s.fields.push(view),
                    _ => sections.push(SectionView {
                        title,
                        fields: vec![view],
                    }),
                }
            }
            let ids: Vec<&str> = x.fields.iter().map(|f| f.id.as_str()).collect();
            let general = d
                .findings
                .iter()
                .filter(|f| !f.fields.iter().any(|id| ids.contains(&id.as_str())))
                .cloned()
                .collect();
            let seuil = crate::findings::load_profile(&config.profile, Some(&config.rules_dir()))
                .map_or(0.5, |p| p.tolerances.assiduite);
            let collectifs = x
                .collectifs
                .iter()
                .flatten()
                .map(|c| (c.nom.clone(), crate::synthesis::Figures::of(c, seuil)))
                .collect();
            forms.push(FormView {
                document_id: d.id,
                form,
                file_name: d.file_name.clone(),
                general,
                sections,
                collectifs,
            });
        }
        ActionPage {
            action,
            documents,
            forms,
        }
    }
}

fn row(d: &StoredDocument) -> DocumentRow {
    DocumentRow {
        id: d.id,
        file_name: d.file_name.clone(),
        form: d.form.map_or("non reconnu", |f| f.label()),
        received: local_time(&d.received_at),
        mapping: d.mapping.clone().unwrap_or_default(),
        version: match &d.status {
            Status::Rejected { .. } => "refusé",
            Status::Duplicate { .. } => "doublon",
            Status::Archived if d.current => "version en vigueur",
            Status::Archived => "remplacée",
        },
        state: State::of(d),
        downloadable: d.form != Some(FormKind::Presence),
        refusal: match &d.status {
            Status::Rejected { reason } => Some(reason.clone()),
            _ => None,
        },
    }
}

fn problem_text(p: &Problem) -> String {
    match p {
        Problem::Contradictory => "« oui » et « non » cochés".into(),
        Problem::Unreadable(t) => format!("illisible : « {t} »"),
        Problem::NotFound => "question introuvable dans le document".into(),
    }
}
