//! One XML part of a Word package seen as paragraphs of text, with the byte span of every
//! piece in the part's own XML, so that a change rewrites only the pieces it touches and
//! copies every other byte as it was.
//!
//! A paragraph's text is the concatenation of its `w:t` nodes, whatever runs, proofing marks
//! (`w:proofErr`), bookmarks or rsids Word put between them; a tab or a line break is a barrier
//! char that belongs to no node; a check box (legacy FORMCHECKBOX field or a hand-typed
//! ☐/☒ glyph) is the char [`BOX`](crate::extraction::locate::BOX).

use std::ops::Range;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::LettersError;
use crate::document::docx::glyph_state;
use crate::extraction::locate::BOX;

pub(crate) const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const W14: &str = "http://schemas.microsoft.com/office/word/2010/wordml";

/// A `w:t` element: its bytes in the part and its decoded text.
#[derive(Debug, Clone)]
pub(crate) struct TextNode {
    /// From `<w:t` to the end of `</w:t>`.
    pub span: Range<usize>,
    /// The element's prefix with its colon (`w:`), empty for a default namespace.
    pub prefix: String,
    pub text: String,
    /// Paragraph it belongs to, and its byte offset in that paragraph's text.
    pub para: usize,
    pub offset: usize,
}

/// A check box the part shows.
#[derive(Debug, Clone)]
pub(crate) enum CheckBox {
    /// A legacy form field: the `w:checkBox` element of its `w:ffData`.
    Legacy {
        /// The whole `w:checkBox` element (`<w:checkBox/>` when empty).
        span: Range<usize>,
        empty: bool,
        /// Where `</w:checkBox>` starts (insertion point of a new `w:checked`).
        close: usize,
        /// The `w:checked` element, when there is one.
        checked_span: Option<Range<usize>>,
        prefix: String,
        checked: bool,
    },
    /// ☐ or ☒ in a text node, at a byte offset in that node; inside a check-box content
    /// control, that control's `w14:checked` element and its prefix.
    Glyph {
        node: usize,
        at: usize,
        checked: bool,
        control: Option<(Range<usize>, String)>,
    },
}

impl CheckBox {
    pub(crate) fn checked(&self) -> bool {
        match self {
            CheckBox::Legacy { checked, .. } | CheckBox::Glyph { checked, .. } => *checked,
        }
    }
}

/// What a paragraph's text is made of, in order.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Item {
    Node(usize),
    /// Tab or line break: not part of any node's text.
    Barrier,
    Check(usize),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Para {
    /// From `<w:p` to the end of `</w:p>`.
    pub span: Range<usize>,
    /// The start tag `<w:p …>`.
    pub start_tag: Range<usize>,
    pub text: String,
    pub items: Vec<Item>,
    /// Bookmark marks inside it (dropped from copies of a repeated paragraph).
    pub bookmarks: Vec<Range<usize>>,
    pub has_sect_pr: bool,
    /// Holds other paragraphs (a text box): never repeated.
    pub has_nested: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Part {
    pub xml: String,
    pub paras: Vec<Para>,
    pub nodes: Vec<TextNode>,
    pub checks: Vec<CheckBox>,
}

fn is_w(ns: &ResolveResult) -> bool {
    matches!(ns, ResolveResult::Bound(n) if n.0 == W || n.0 == W_STRICT)
}

fn is_w14(ns: &ResolveResult) -> bool {
    matches!(ns, ResolveResult::Bound(n) if n.0 == W14)
}

fn prefix_of(e: &BytesStart) -> String {
    match e.name().prefix() {
        Some(p) => format!("{}:", p.as_ref()),
        None => String::new(),
    }
}

fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.to_string())
}

fn on(v: Option<String>) -> bool {
    !matches!(v.as_deref(), Some("0" | "false" | "off"))
}

/// A content control being read: whether it is a check box, and its state.
#[derive(Default)]
struct SdtState {
    in_pr: bool,
    in_content: bool,
    checkbox: bool,
    checked: Option<(Range<usize>, String, bool)>,
}

#[derive(Default)]
struct LegacyState {
    start: usize,
    checked_span: Option<Range<usize>>,
    checked: Option<bool>,
    default: bool,
    prefix: String,
}

impl Part {
    pub fn parse(xml: String) -> Result<Part, LettersError> {
        let mut part = Part {
            xml: String::new(),
            ..Default::default()
        };
        {
            let mut reader = NsReader::from_str(&xml);
            let mut open: Vec<usize> = Vec::new();
            let mut cell_depth = 0usize;
            // Depth inside deleted content (w:del, w:moveFrom): not on the page.
            let mut skip = 0usize;
            let mut node: Option<TextNode> = None;
            let mut in_ffdata = false;
            let mut legacy: Option<LegacyState> = None;
            let mut in_checkbox_def = false;
            let mut sdts: Vec<SdtState> = Vec::new();
            loop {
                let pos0 = reader.buffer_position() as usize;
                let (ns, event) = reader.read_resolved_event().map_err(|e| {
                    LettersError::Template(format!("XML mal formé vers l'octet {pos0} ({e})"))
                })?;
                let w = is_w(&ns);
                let w14 = is_w14(&ns);
                let pos1 = reader.buffer_position() as usize;
                match event {
                    Event::Start(e) => {
                        let local = e.local_name();
                        let local = local.as_ref();
                        if skip > 0 {
                            skip += 1;
                            continue;
                        }
                        if w14 {
                            if let Some(sd) = sdts.last_mut().filter(|s| s.in_pr) {
                                match local {
                                    "checkbox" => sd.checkbox = true,
                                    "checked" => {
                                        sd.checked =
                                            Some((pos0..pos1, prefix_of(&e), on(attr(&e, "val"))))
                                    }
                                    _ => {}
                                }
                            }
                            continue;
                        }
                        if !w {
                            continue;
                        }
                        match local {
                            "del" | "moveFrom" => skip = 1,
                            "p" => {
                                if let Some(&outer) = open.last() {
                                    part.paras[outer].has_nested = true;
                                }
                                part.paras.push(Para {
                                    span: pos0..pos0,
                                    start_tag: pos0..pos1,
                                    ..Default::default()
                                });
                                open.push(part.paras.len() - 1);
                            }
                            "tc" => cell_depth += 1,
                            "t" if !open.is_empty() => {
                                node = Some(TextNode {
                                    span: pos0..pos0,
                                    prefix: prefix_of(&e),
                                    text: String::new(),
                                    para: *open.last().unwrap(),
                                    offset: 0,
                                });
                            }
                            "sectPr" => {
                                if let Some(&p) = open.last() {
                                    part.paras[p].has_sect_pr = true;
                                }
                            }
                            "sdt" => sdts.push(SdtState::default()),
                            "sdtPr" => {
                                if let Some(sd) = sdts.last_mut() {
                                    sd.in_pr = true;
                                }
                            }
                            "sdtContent" => {
                                if let Some(sd) = sdts.last_mut() {
                                    sd.in_pr = false;
                                    sd.in_content = true;
                                }
                            }
                            "ffData" => in_ffdata = true,
                            "checkBox" if in_ffdata => {
                                in_checkbox_def = true;
                                legacy = Some(LegacyState {
                                    start: pos0,
                                    prefix: prefix_of(&e),
                                    ..Default::default()
                                });
                            }
                            "checked" if in_checkbox_def => {
                                if let Some(l) = legacy.as_mut() {
                                    l.checked = Some(on(attr(&e, "val")));
                                    l.checked_span = Some(pos0..pos0);
                                }
                            }
                            _ => {}
                        }
                    }
                    Event::Empty(e) => {
                        if skip > 0 {
                            continue;
                        }
                        let local = e.local_name();
                        if w14 {
                            if let Some(sd) = sdts.last_mut().filter(|s| s.in_pr) {
                                match local.as_ref() {
                                    "checkbox" => sd.checkbox = true,
                                    "checked" => {
                                        sd.checked =
                                            Some((pos0..pos1, prefix_of(&e), on(attr(&e, "val"))))
                                    }
                                    _ => {}
                                }
                            }
                            continue;
                        }
                        if !w {
                            continue;
                        }
                        match local.as_ref() {
                            "tab" | "br" | "cr" => {
                                if let Some(&p) = open.last() {
                                    let c = if local.as_ref() == "tab" { '\t' } else { '\n' };
                                    part.paras[p].items.push(Item::Barrier);
                                    part.paras[p].text.push(c);
                                }
                            }
                            "bookmarkStart" | "bookmarkEnd" => {
                                if let Some(&p) = open.last() {
                                    part.paras[p].bookmarks.push(pos0..pos1);
                                }
                            }
                            "checkBox" if in_ffdata => {
                                if let Some(&p) = open.last() {
                                    let i = part.checks.len();
                                    part.checks.push(CheckBox::Legacy {
                                        span: pos0..pos1,
                                        empty: true,
                                        close: pos0,
                                        checked_span: None,
                                        prefix: prefix_of(&e),
                                        checked: false,
                                    });
                                    part.paras[p].items.push(Item::Check(i));
                                    part.paras[p].text.push(BOX);
                                }
                            }
                            "default" if in_checkbox_def => {
                                if let Some(l) = legacy.as_mut() {
                                    l.default = on(attr(&e, "val"));
                                }
                            }
                            "checked" if in_checkbox_def => {
                                if let Some(l) = legacy.as_mut() {
                                    l.checked = Some(on(attr(&e, "val")));
                                    l.checked_span = Some(pos0..pos1);
                                }
                            }
                            _ => {}
                        }
                    }
                    Event::End(e) => {
                        if skip > 0 {
                            skip -= 1;
                            continue;
                        }
                        let (ns, local) = reader.resolver().resolve_element(e.name());
                        if !is_w(&ns) {
                            continue;
                        }
                        match local.as_ref() {
                            "p" => {
                                if let Some(p) = open.pop() {
                                    part.paras[p].span.end = pos1;
                                }
                            }
                            "tc" => cell_depth = cell_depth.saturating_sub(1),
                            "sdt" => {
                                sdts.pop();
                            }
                            "sdtPr" => {
                                if let Some(sd) = sdts.last_mut() {
                                    sd.in_pr = false;
                                }
                            }
                            "t" => {
                                if let Some(mut n) = node.take() {
                                    n.span.end = pos1;
                                    let p = &mut part.paras[n.para];
                                    n.offset = p.text.len();
                                    let i = part.nodes.len();
                                    // The glyph of a check-box content control shows its state.
                                    let control = sdts
                                        .iter()
                                        .rev()
                                        .find(|s| s.in_content && s.checkbox)
                                        .map(|s| s.checked.clone());
                                    // Hand-typed boxes are check boxes (same byte length as BOX).
                                    for (at, c) in n.text.char_indices() {
                                        match glyph_state(c) {
                                            Some(glyph) if c.len_utf8() == BOX.len_utf8() => {
                                                p.text.push(BOX);
                                                let ci = part.checks.len();
                                                let (checked, control) = match &control {
                                                    Some(Some((span, prefix, on))) => {
                                                        (*on, Some((span.clone(), prefix.clone())))
                                                    }
                                                    Some(None) => (false, None),
                                                    None => (glyph, None),
                                                };
                                                part.checks.push(CheckBox::Glyph {
                                                    node: i,
                                                    at,
                                                    checked,
                                                    control,
                                                });
                                                p.items.push(Item::Check(ci));
                                            }
                                            _ => p.text.push(c),
                                        }
                                    }
                                    p.items.push(Item::Node(i));
                                    part.nodes.push(n);
                                }
                            }
                            "ffData" => in_ffdata = false,
                            "checked" if in_checkbox_def => {
                                if let Some(l) = legacy.as_mut()
                                    && let Some(s) = l.checked_span.as_mut()
                                {
                                    s.end = pos1;
                                }
                            }
                            "checkBox" if in_checkbox_def => {
                                in_checkbox_def = false;
                                if let (Some(l), Some(&p)) = (legacy.take(), open.last()) {
                                    let i = part.checks.len();
                                    part.checks.push(CheckBox::Legacy {
                                        span: l.start..pos1,
                                        empty: false,
                                        close: pos0,
                                        checked_span: l.checked_span,
                                        prefix: l.prefix,
                                        checked: l.checked.unwrap_or(l.default),
                                    });
                                    part.paras[p].items.push(Item::Check(i));
                                    part.paras[p].text.push(BOX);
                                }
                            }
                            _ => {}
                        }
                    }
                    Event::Text(t) => {
                        if let Some(n) = node.as_mut() {
                            n.text.push_str(&t.xml10_content());
                        }
                    }
                    Event::CData(t) => {
                        if let Some(n) = node.as_mut() {
                            n.text.push_str(&t.xml10_content());
                        }
                    }
                    Event::GeneralRef(r) => {
                        if let Some(n) = node.as_mut() {
                            let c = match r.resolve_char_ref() {
                                Ok(Some(c)) => Some(c),
                                _ => match r.as_ref() {
                                    "amp" => Some('&'),
                                    "lt" => Some('<'),
                                    "gt" => Some('>'),
                                    "quot" => Some('"'),
                                    "apos" => Some('\''),
                                    _ => None,
                                },
                            };
                            if let Some(c) = c {
                                n.text.push(c);
                            }
                        }
                    }
                    Event::DocType(_) => {
                        return Err(LettersError::Template(
                            "déclaration DOCTYPE dans un modèle Word (entités XML refusées)".into(),
                        ));
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
        }
        part.xml = xml;
        Ok(part)
    }

    /// The byte range of a paragraph's text covered by a node.
    pub(crate) fn node_range(&self, n: usize) -> Range<usize> {
        let node = &self.nodes[n];
        node.offset..node.offset + node.text.len()
    }
}

/// Escapes text for an XML text node.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A run's content for a text: `w:t` pieces, `w:br` for line breaks, `w:tab` for tabs.
pub(crate) fn run_content(prefix: &str, text: &str) -> String {
    let mut out = String::new();
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut seg = String::new();
    let flush = |seg: &mut String, out: &mut String| {
        if !seg.is_empty() {
            out.push_str(&format!(
                "<{prefix}t xml:space=\"preserve\">{}</{prefix}t>",
                escape(seg)
            ));
            seg.clear();
        }
    };
    for c in text.chars() {
        match c {
            '\n' => {
                flush(&mut seg, &mut out);
                out.push_str(&format!("<{prefix}br/>"));
            }
            '\t' => {
                flush(&mut seg, &mut out);
                out.push_str(&format!("<{prefix}tab/>"));
            }
            c => seg.push(c),
        }
    }
    flush(&mut seg, &mut out);
    out
}

/// A byte-range replacement in a part.
#[derive(Debug, Clone)]
pub(crate) struct Patch {
    pub span: Range<usize>,
    pub with: String,
}

/// The part's XML with the patches applied (they must not overlap).
pub fn apply(xml: &str, base: usize, mut patches: Vec<Patch>, range: Range<usize>) -> String {
    patches.sort_by_key(|p| (p.span.start, p.span.end));
    let mut out = String::with_capacity(range.len() + 256);
    let mut cur = range.start;
    for p in patches {
        if p.span.start < cur || p.span.end > range.end {
            continue;
        }
        out.push_str(&xml[cur - base..p.span.start - base]);
        out.push_str(&p.with);
        cur = p.span.end;
    }
    out.push_str(&xml[cur - base..range.end - base]);
    out
}

/// An edit of a paragraph's text: the byte range replaced and what replaces it (placed in the
/// node where the range starts, so with that run's formatting).
#[derive(Debug, Clone)]
pub(crate) struct Edit {
    pub range: Range<usize>,
    pub with: String,
}

/// Patches that carry out edits of one paragraph's text, node by node.
pub(crate) fn node_patches(part: &Part, para: usize, edits: &[Edit]) -> Vec<Patch> {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| e.range.start);
    let mut out = Vec::new();
    for item in &part.paras[para].items {
        let Item::Node(n) = *item else { continue };
        let r = part.node_range(n);
        let node = &part.nodes[n];
        let touching: Vec<&&Edit> = edits
            .iter()
            .filter(|e| e.range.start < r.end && e.range.end > r.start)
            .collect();
        if touching.is_empty() {
            continue;
        }
        let mut text = String::new();
        let mut cur = r.start;
        for e in touching {
            let s = e.range.start.max(r.start).max(cur);
            text.push_str(&node.text[cur - r.start..s - r.start]);
            if e.range.start >= r.start {
                text.push_str(&e.with);
            }
            cur = e.range.end.min(r.end).max(cur);
        }
        text.push_str(&node.text[cur - r.start..]);
        out.push(Patch {
            span: node.span.clone(),
            with: run_content(&node.prefix, &text),
        });
    }
    out
}
