//! Fillable PDFs (AcroForm): every terminal field as a named [`FormField`], and every widget
//! on its page, so that its value or its tick joins the text where the respondent put it.

use std::collections::HashSet;

use lopdf::{Dictionary, Object, ObjectId};

use super::geometry::PageGeometry;
use super::layout::Float;
use super::objects::{deref, dict, get, name, number, text_string};
use super::shapes::Rect;
use crate::document::{CheckKind, FieldContent, FormField};

const MAX_FIELDS: usize = 20_000;
const MAX_DEPTH: usize = 32;
const MAX_ANNOTS_PER_PAGE: usize = 5_000;

/// Field flags (PDF 32000-1, 12.7.4).
const MULTILINE: i64 = 1 << 12;
const RADIO: i64 = 1 << 15;
const PUSHBUTTON: i64 = 1 << 16;

pub(crate) struct Form {
    pub fields: Vec<FormField>,
    pub widgets: Vec<Widget>,
    /// Strokes drawn with an ink annotation, per page (from 0): ticks made by hand.
    pub ink: Vec<(usize, Vec<(f64, f64)>)>,
}

pub(crate) struct Widget {
    /// Index of the page in the document (from 0).
    pub page: usize,
    /// In default user space.
    pub rect: Rect,
    pub value: WidgetValue,
}

pub(crate) enum WidgetValue {
    Check {
        checked: bool,
        name: Option<String>,
    },
    Text {
        text: String,
        size: f64,
        multiline: bool,
    },
}

/// What a field inherits from its ancestors.
#[derive(Default, Clone)]
struct Attrs<'a> {
    name: String,
    ft: Option<&'a [u8]>,
    flags: Option<i64>,
    v: Option<&'a Object>,
    da: Option<&'a [u8]>,
}

impl<'a> Attrs<'a> {
    /// These attributes, overridden by those the dictionary sets.
    fn with(&self, doc: &'a lopdf::Document, d: &'a Dictionary) -> Attrs<'a> {
        let mut a = self.clone();
        if let Some(t) = get(doc, d, b"T").and_then(|t| t.as_str().ok()) {
            let part = text_string(t);
            a.name = if a.name.is_empty() {
                part
            } else {
                format!("{}.{part}", a.name)
            };
        }
        if let Some(ft) = name(doc, d, b"FT") {
            a.ft = Some(ft);
        }
        if let Some(ff) = get(doc, d, b"Ff").and_then(|o| o.as_i64().ok()) {
            a.flags = Some(ff);
        }
        if let Some(v) = get(doc, d, b"V") {
            a.v = Some(v);
        }
        if let Some(da) = get(doc, d, b"DA").and_then(|o| o.as_str().ok()) {
            a.da = Some(da);
        }
        a
    }

    /// The attributes of a widget: walk up its `/Parent` chain, then apply from the top.
    fn of_widget(
        doc: &'a lopdf::Document,
        w: &'a Dictionary,
        form_da: Option<&'a [u8]>,
    ) -> Attrs<'a> {
        let mut chain = vec![w];
        let mut seen = HashSet::new();
        let mut d = w;
        while chain.len() < MAX_DEPTH {
            let Ok(p) = d.get(b"Parent") else { break };
            if let Ok(id) = p.as_reference()
                && !seen.insert(id)
            {
                break;
            }
            let Some(pd) = dict(doc, p) else { break };
            chain.push(pd);
            d = pd;
        }
        let mut a = Attrs {
            da: form_da,
            ..Default::default()
        };
        for d in chain.iter().rev() {
            a = a.with(doc, d);
        }
        a
    }

    fn flags(&self) -> i64 {
        self.flags.unwrap_or(0)
    }

    fn text_value(&self, doc: &lopdf::Document) -> String {
        let text = match self.v.and_then(|v| deref(doc, v)) {
            Some(Object::String(s, _)) => text_string(s),
            Some(Object::Array(items)) => items
                .iter()
                .filter_map(|o| deref(doc, o)?.as_str().ok())
                .map(text_string)
                .collect::<Vec<_>>()
                .join("\n"),
            Some(Object::Name(n)) => String::from_utf8_lossy(n).into_owned(),
            _ => String::new(),
        };
        text.replace("\r\n", "\n").replace('\r', "\n")
    }

    /// The value's name for a button (`/Oui`, `/Off`…).
    fn state(&self, doc: &lopdf::Document) -> Option<Vec<u8>> {
        match self.v.and_then(|v| deref(doc, v))? {
            Object::Name(n) => Some(n.clone()),
            Object::String(s, _) => Some(s.clone()),
            _ => None,
        }
    }

    fn font_size(&self) -> f64 {
        let Some(da) = self.da else { return 0.0 };
        let da = String::from_utf8_lossy(da);
        let tokens: Vec<&str> = da.split_whitespace().collect();
        tokens
            .iter()
            .position(|t| *t == "Tf")
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| tokens[i].parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0 && *s < 200.0)
            .unwrap_or(0.0)
    }
}

fn is_off(state: &[u8]) -> bool {
    state.is_empty() || state == b"Off" || state == b"off" || state == b"OFF"
}

/// Whether a widget of a check box or radio button is ticked: its appearance state, else the
/// field's value when the widget can show it.
fn widget_checked(doc: &lopdf::Document, w: &Dictionary, attrs: &Attrs) -> bool {
    if let Some(state) = name(doc, w, b"AS") {
        return !is_off(state);
    }
    let Some(v) = attrs.state(doc) else {
        return false;
    };
    if is_off(&v) {
        return false;
    }
    let on_states = get(doc, w, b"AP")
        .and_then(|ap| dict(doc, ap))
        .and_then(|ap| get(doc, ap, b"N"))
        .and_then(|n| dict(doc, n));
    match on_states {
        Some(n) => n.has(&v),
        None => true,
    }
}

pub fn read(doc: &lopdf::Document, pages: &[ObjectId]) -> Form {
    let acroform = doc
        .catalog()
        .ok()
        .and_then(|c| get(doc, c, b"AcroForm"))
        .and_then(|a| dict(doc, a));
    let form_da = acroform
        .and_then(|a| get(doc, a, b"DA"))
        .and_then(|o| o.as_str().ok());
    let mut fields = Vec::new();
    if let Some(Object::Array(roots)) = acroform.and_then(|a| get(doc, a, b"Fields")) {
        let mut seen = HashSet::new();
        let base = Attrs {
            da: form_da,
            ..Default::default()
        };
        for root in roots.iter().take(MAX_FIELDS) {
            walk(doc, root, &base, 0, &mut seen, &mut fields);
        }
    }

    let mut widgets = Vec::new();
    let mut ink = Vec::new();
    for (index, &page_id) in pages.iter().enumerate() {
        let Ok(page) = doc.get_dictionary(page_id) else {
            continue;
        };
        let Some(Object::Array(annots)) = get(doc, page, b"Annots") else {
            continue;
        };
        for a in annots.iter().take(MAX_ANNOTS_PER_PAGE) {
            let Some(w) = dict(doc, a) else { continue };
            let flags = get(doc, w, b"F").and_then(|o| o.as_i64().ok()).unwrap_or(0);
            if flags & (2 | 32) != 0 {
                continue; // hidden, or not to be viewed
            }
            match name(doc, w, b"Subtype") {
                Some(b"Widget") => {}
                // Text typed on a PDF that has no fields (Acrobat's « Remplir et signer »,
                // macOS Aperçu): it stands where it was typed.
                Some(b"FreeText") => {
                    let text = get(doc, w, b"Contents")
                        .and_then(|o| o.as_str().ok())
                        .map(text_string)
                        .unwrap_or_default()
                        .replace("\r\n", "\n")
                        .replace('\r', "\n");
                    if let (Some(rect), false) = (rect(doc, w), text.trim().is_empty()) {
                        let attrs = Attrs {
                            da: get(doc, w, b"DA").and_then(|o| o.as_str().ok()),
                            ..Default::default()
                        };
                        widgets.push(Widget {
                            page: index,
                            rect,
                            value: WidgetValue::Text {
                                text,
                                size: attrs.font_size(),
                                multiline: false,
                            },
                        });
                    }
                    continue;
                }
                // A tick drawn by hand.
                Some(b"Ink") => {
                    if let Some(Object::Array(strokes)) = get(doc, w, b"InkList") {
                        for stroke in strokes.iter().take(256) {
                            let Some(Object::Array(pts)) = deref(doc, stroke) else {
                                continue;
                            };
                            let v: Vec<f64> = pts
                                .iter()
                                .take(4096)
                                .filter_map(|o| number(doc, o))
                                .collect();
                            let points = v.chunks_exact(2).map(|p| (p[0], p[1])).collect();
                            ink.push((index, points));
                        }
                    }
                    continue;
                }
                _ => continue,
            }
            let Some(rect) = rect(doc, w) else { continue };
            let attrs = Attrs::of_widget(doc, w, form_da);
            let value = match attrs.ft {
                Some(b"Btn") if attrs.flags() & PUSHBUTTON == 0 => WidgetValue::Check {
                    checked: widget_checked(doc, w, &attrs),
                    name: (!attrs.name.is_empty()).then(|| attrs.name.clone()),
                },
                Some(b"Tx") | Some(b"Ch") => {
                    let text = attrs.text_value(doc);
                    if text.trim().is_empty() {
                        continue;
                    }
                    WidgetValue::Text {
                        text,
                        size: attrs.font_size(),
                        multiline: attrs.flags() & MULTILINE != 0,
                    }
                }
                _ => continue,
            };
            widgets.push(Widget {
                page: index,
                rect,
                value,
            });
            if widgets.len() >= MAX_FIELDS {
                break;
            }
        }
    }
    Form {
        fields,
        widgets,
        ink,
    }
}

fn rect(doc: &lopdf::Document, w: &Dictionary) -> Option<Rect> {
    let Some(Object::Array(r)) = get(doc, w, b"Rect") else {
        return None;
    };
    let v: Vec<f64> = r.iter().filter_map(|o| number(doc, o)).collect();
    if v.len() != 4 {
        return None;
    }
    let r = Rect::of(&[(v[0], v[1]), (v[2], v[3])]);
    (r.w() > 0.0 && r.h() > 0.0 && r.w() < 5000.0 && r.h() < 5000.0).then_some(r)
}

/// Records the terminal fields under `o`. A field whose kids have no `/T` is terminal: its
/// kids are its widgets.
fn walk<'a>(
    doc: &'a lopdf::Document,
    o: &'a Object,
    parent: &Attrs<'a>,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    out: &mut Vec<FormField>,
) {
    if depth > MAX_DEPTH || out.len() >= MAX_FIELDS {
        return;
    }
    if let Ok(id) = o.as_reference()
        && !seen.insert(id)
    {
        return;
    }
    let Some(d) = dict(doc, o) else { return };
    let attrs = parent.with(doc, d);
    let kids: Vec<&Object> = match get(doc, d, b"Kids") {
        Some(Object::Array(k)) => k.iter().take(MAX_FIELDS).collect(),
        _ => Vec::new(),
    };
    let field_kids: Vec<&Object> = kids
        .iter()
        .copied()
        .filter(|k| dict(doc, k).is_some_and(|kd| kd.has(b"T") || kd.has(b"Kids")))
        .collect();
    if !field_kids.is_empty() {
        for k in field_kids {
            walk(doc, k, &attrs, depth + 1, seen, out);
        }
        return;
    }
    if attrs.name.is_empty() {
        return;
    }
    let value = match attrs.ft {
        Some(b"Tx") | Some(b"Ch") => FieldContent::Text(attrs.text_value(doc).trim().to_string()),
        Some(b"Btn") if attrs.flags() & PUSHBUTTON != 0 => return,
        Some(b"Btn") if attrs.flags() & RADIO != 0 => FieldContent::Text(match attrs.state(doc) {
            Some(s) if !is_off(&s) => String::from_utf8_lossy(&s).into_owned(),
            _ => String::new(),
        }),
        Some(b"Btn") => {
            let checked = match attrs.state(doc) {
                Some(s) => !is_off(&s),
                None => {
                    let widgets: Vec<&Dictionary> = if kids.is_empty() {
                        vec![d]
                    } else {
                        kids.iter().filter_map(|k| dict(doc, k)).collect()
                    };
                    widgets
                        .iter()
                        .any(|w| name(doc, w, b"AS").is_some_and(|s| !is_off(s)))
                }
            };
            FieldContent::Check(checked)
        }
        _ => return,
    };
    out.push(FormField {
        name: attrs.name,
        value,
    });
}

impl Widget {
    /// The widget as an item of the page's text: its tick, or its value where it is shown.
    pub(crate) fn float(&self, page: &PageGeometry) -> Option<Float> {
        let (ax, ay) = page.base.apply(self.rect.x0, self.rect.y0);
        let (bx, by) = page.base.apply(self.rect.x1, self.rect.y1);
        let r = Rect::of(&[(ax, ay), (bx, by)]);
        match &self.value {
            WidgetValue::Check { checked, name } => {
                Some(Float::check(r, *checked, CheckKind::Widget, name.clone()))
            }
            WidgetValue::Text {
                text,
                size,
                multiline,
            } => {
                let size = if *size > 0.0 {
                    *size
                } else {
                    (r.h() * 0.6).clamp(6.0, 12.0)
                };
                let lines = text.lines().count().max(1);
                let multiline = *multiline || lines > 1;
                // The first line's middle: at the top of a multi-line field, in the middle of
                // a single-line one.
                let anchor = if multiline && r.h() > 1.8 * size {
                    r.y1 - 2.0 - 0.6 * size
                } else {
                    r.cy()
                };
                Some(Float::text(r.x0 + 2.0, r.x1, anchor, size, text.clone()))
            }
        }
    }
}
