//! Word .docx reader: one pass over the package's main part with our own small XML tokenizer
//! ([`xml`]), namespaces resolved by a prefix table.
//!
//! docx-rs drops the state of legacy and content-control check boxes and reads nothing from a
//! file whose namespace prefix is not `w:`; this reader resolves namespaces and keeps every
//! check box where it stands in the text. quick-xml did the tokenizing before; the tokenizer of
//! [`xml`] does the same job for what OOXML uses, in about a quarter of the instructions, and
//! a test checks that both give the same document on every sample and on mutated ones.

pub mod xml;

use std::borrow::Cow;

use self::xml::{Chunk, ErrorKind, Token, Tokenizer};
use super::archive::Archive;
use super::{
    Cell, Check, CheckKind, Document, FieldContent, FormField, Format, Inline, Paragraph, Place,
    ReadError, Table,
};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const W14: &str = "http://schemas.microsoft.com/office/word/2010/wordml";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    let mut archive = Archive::open(bytes)?;
    let main = main_part(&mut archive)?;
    let xml = archive
        .bytes(&main)?
        .ok_or_else(|| ReadError::Corrupt(format!("partie principale {main} absente")))?;
    parse_document_xml(super::archive::utf8(&xml, &main)?)
}

fn malformed(e: &xml::XmlError) -> ReadError {
    match e.kind {
        ErrorKind::Doctype => ReadError::Corrupt(
            "déclaration DOCTYPE inattendue dans un document Word (entités XML refusées)".into(),
        ),
        _ => ReadError::Corrupt(format!("XML mal formé vers l'octet {} ({e})", e.offset)),
    }
}

/// The main document part named by the package relationships, as Word and LibreOffice may
/// name it differently.
fn main_part(archive: &mut Archive) -> Result<String, ReadError> {
    if let Some(rels) = archive.text("_rels/.rels")? {
        let mut tokens = Tokenizer::new(&rels);
        loop {
            match tokens.next() {
                Ok(Some(Token::Start { name, attrs, .. }))
                    if local_name(name) == "Relationship" =>
                {
                    let ty = attrs.get("Type").unwrap_or_default();
                    if ty.ends_with("/officeDocument")
                        && let Some(target) = attrs.get("Target")
                    {
                        return Ok(target.trim_start_matches('/').to_string());
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(ReadError::Corrupt(format!(
                        "_rels/.rels : XML mal formé vers l'octet {} ({e})",
                        e.offset
                    )));
                }
                _ => {}
            }
        }
    }
    if archive.has("word/document.xml") {
        Ok("word/document.xml".into())
    } else if archive.has("content.xml") {
        Err(ReadError::Unsupported(
            "document OpenDocument renommé en .docx".into(),
        ))
    } else {
        Err(ReadError::Corrupt(
            "ce n'est pas un document Word (pas de word/document.xml)".into(),
        ))
    }
}

/// `prefix:local` into its two parts (`""` for no prefix). Prefixes are short: a plain loop.
fn split_qname(qname: &str) -> (&str, &str) {
    match qname.bytes().position(|b| b == b':') {
        Some(i) => (&qname[..i], &qname[i + 1..]),
        None => ("", qname),
    }
}

fn local_name(qname: &str) -> &str {
    split_qname(qname).1
}

/// What the parser needs of an element's attributes.
trait Attributes {
    /// The decoded value of an attribute by its local name, whatever its prefix.
    fn get(&self, local: &str) -> Option<Cow<'_, str>>;
    /// Calls `f(qualified name, raw value)` for the attributes, when some may declare a
    /// namespace (elements without `xmlns` are not looked at).
    fn declarations(&self, f: impl FnMut(&str, &str));
}

impl Attributes for xml::Attrs<'_> {
    fn get(&self, local: &str) -> Option<Cow<'_, str>> {
        xml::Attrs::get(self, local)
    }

    fn declarations(&self, mut f: impl FnMut(&str, &str)) {
        if self.declares_namespaces() {
            for (k, v) in self.iter() {
                f(k, v);
            }
        }
    }
}

fn attr(e: &impl Attributes, local: &str) -> Option<String> {
    e.get(local).map(Cow::into_owned)
}

fn on_off(value: Option<Cow<str>>) -> bool {
    !matches!(value.as_deref(), Some("0" | "false" | "off"))
}

#[derive(Default)]
struct Field {
    name: Option<String>,
    checkbox: bool,
    default: bool,
    checked: Option<bool>,
    in_result: bool,
    result: String,
    text_input: bool,
}

#[derive(Default)]
struct Sdt {
    tag: Option<String>,
    checkbox: Option<bool>,
    placeholder: bool,
    text: String,
}

struct TableState {
    index: usize,
    row: usize,
    col: usize,
    span: usize,
    cell_text: String,
}

#[derive(Default)]
struct Parser {
    doc: Document,
    paragraphs: Vec<Paragraph>,
    body_paragraphs: usize,
    tables: Vec<TableState>,
    fields: Vec<Field>,
    sdts: Vec<Sdt>,
    /// Depth inside elements whose content is not on the page (deletions, fallbacks).
    skip: usize,
    /// Depth inside the content of a check-box or placeholder content control.
    mute: usize,
    in_t: bool,
    in_instr: bool,
    in_run: usize,
    in_ffdata: bool,
    in_checkbox_def: bool,
    in_sdt_pr: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    W,
    W14,
    Mc,
    Other,
}

/// An element's namespace and local name. Borrowed: no allocation per element.
struct Tag<'a> {
    ns: Ns,
    local: &'a str,
}

/// Namespace prefixes as the document declares them. Word declares them all on the root;
/// a later declaration simply rebinds its prefix (no scoping: Word never shadows one).
/// Only the prefixes bound to a namespace this reader knows are kept: any other is `Other`.
#[derive(Default)]
struct Prefixes {
    /// (prefix, its first bytes and length packed by [`pack`], namespace).
    bound: Vec<(String, u64, Ns)>,
    /// The prefix `w` is bound to Word's namespace (as in every file Word writes).
    w_is_word: bool,
}

/// A prefix's first 7 bytes and its length in one word: most prefixes (`w`, `w14`, `mc`) are
/// then told apart by one comparison, without a call to `memcmp`.
fn pack(prefix: &str) -> u64 {
    let b = prefix.as_bytes();
    let mut key = (b.len().min(255) as u64) << 56;
    for (i, &c) in b.iter().take(7).enumerate() {
        key |= (c as u64) << (8 * i);
    }
    key
}

impl Prefixes {
    fn declare(&mut self, e: &impl Attributes) {
        let mut declared = false;
        // A prefix declared twice on one element (not well-formed): the first declaration
        // holds, as quick-xml reads it.
        let mut seen: Vec<String> = Vec::new();
        e.declarations(|key, value| {
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(p) => p,
                    None => return,
                },
                None => return,
            };
            if seen.iter().any(|p| p == prefix) {
                return;
            }
            seen.push(prefix.to_string());
            let ns = match value {
                W | W_STRICT => Ns::W,
                W14 => Ns::W14,
                MC => Ns::Mc,
                _ => Ns::Other,
            };
            self.bound.retain(|(p, _, _)| p != prefix);
            if ns != Ns::Other {
                self.bound.push((prefix.to_string(), pack(prefix), ns));
            }
            declared = true;
        });
        if declared {
            self.w_is_word = self.bound.iter().any(|(p, _, ns)| p == "w" && *ns == Ns::W);
        }
    }

    #[inline]
    fn tag<'a>(&self, qname: &'a str) -> Tag<'a> {
        // Nearly every element is `w:…`: one comparison when `w` is bound to Word's namespace.
        if self.w_is_word && qname.as_bytes().starts_with(b"w:") {
            return Tag {
                ns: Ns::W,
                local: &qname[2..],
            };
        }
        let (prefix, local) = split_qname(qname);
        let packed = pack(prefix);
        let ns = self
            .bound
            .iter()
            .find(|(p, k, _)| *k == packed && (prefix.len() <= 7 || p == prefix))
            .map_or(Ns::Other, |b| b.2);
        Tag { ns, local }
    }
}

pub fn parse_document_xml(xml: &str) -> Result<Document, ReadError> {
    let mut tokens = Tokenizer::new(xml);
    let mut prefixes = Prefixes::default();
    let mut p = Parser::default();
    p.doc.format = Format::Docx;
    loop {
        let offset = tokens.offset();
        match tokens.next().map_err(|e| malformed(&e))? {
            Some(Token::Start { name, attrs, empty }) => {
                prefixes.declare(&attrs);
                let t = prefixes.tag(name);
                p.start(&t, &attrs, empty);
                if empty {
                    p.end(&t);
                }
            }
            Some(Token::End { name }) => p.end(&prefixes.tag(name)),
            Some(Token::Text(raw)) => p
                .raw_text(raw)
                .map_err(|kind| malformed(&xml::XmlError { offset, kind }))?,
            Some(Token::CData(s)) => p.text(&xml::normalize_eols(s)),
            None => break,
        }
    }
    p.finish()
}

impl Parser {
    fn finish(self) -> Result<Document, ReadError> {
        if self.body_paragraphs == 0 && self.doc.paragraphs.is_empty() {
            return Err(ReadError::Corrupt(
                "aucun paragraphe Word trouvé (document vide ou d'un autre type)".into(),
            ));
        }
        Ok(self.doc)
    }

    /// Character data as written: literal runs and references, each passed on as quick-xml
    /// passed its text and reference events (outside `w:t`, only a lone tab, line break or
    /// hyphen counts, so the pieces must be the same).
    fn raw_text(&mut self, raw: &str) -> Result<(), ErrorKind> {
        xml::text_chunks(raw, |chunk| match chunk {
            Chunk::Text(s) => self.text(&s),
            Chunk::Ref(Some(c)) => self.text(c.encode_utf8(&mut [0; 4])),
            Chunk::Ref(None) => {}
        })
    }

    fn start(&mut self, t: &Tag, e: &impl Attributes, empty: bool) {
        if self.skip > 0 {
            if !empty {
                self.skip += 1;
            }
            return;
        }
        match t {
            Tag { ns: Ns::W, local } => match *local {
                "del" | "moveFrom" if !empty => {
                    self.skip = 1;
                }
                "p" => self.open_paragraph(),
                "r" => self.in_run += 1,
                "t" => self.in_t = true,
                "instrText" => self.in_instr = true,
                "tab" if self.in_run > 0 => self.text("\t"),
                "br" | "cr" if self.in_run > 0 => self.text("\n"),
                "noBreakHyphen" => self.text("-"),
                "sym" => self.sym(e),
                "fldChar" => match e.get("fldCharType").as_deref() {
                    Some("begin") => self.fields.push(Field::default()),
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            f.in_result = true;
                        }
                    }
                    Some("end") => self.close_field(),
                    _ => {}
                },
                "ffData" => self.in_ffdata = true,
                "name" if self.in_ffdata => {
                    if let Some(f) = self.fields.last_mut() {
                        f.name = attr(e, "val");
                    }
                }
                "checkBox" if self.in_ffdata => {
                    self.in_checkbox_def = !empty;
                    if let Some(f) = self.fields.last_mut() {
                        f.checkbox = true;
                    }
                }
                "textInput" if self.in_ffdata => {
                    if let Some(f) = self.fields.last_mut() {
                        f.text_input = true;
                    }
                }
                "default" if self.in_checkbox_def => {
                    if let Some(f) = self.fields.last_mut() {
                        f.default = on_off(e.get("val"));
                    }
                }
                "checked" if self.in_checkbox_def => {
                    if let Some(f) = self.fields.last_mut() {
                        f.checked = Some(on_off(e.get("val")));
                    }
                }
                "sdt" => self.sdts.push(Sdt::default()),
                "sdtPr" => self.in_sdt_pr = true,
                "tag" if self.in_sdt_pr => {
                    if let Some(s) = self.sdts.last_mut() {
                        s.tag = attr(e, "val");
                    }
                }
                "alias" if self.in_sdt_pr => {
                    if let Some(s) = self.sdts.last_mut() {
                        s.tag = s.tag.take().or_else(|| attr(e, "val"));
                    }
                }
                "showingPlcHdr" if self.in_sdt_pr => {
                    if let Some(s) = self.sdts.last_mut() {
                        s.placeholder = on_off(e.get("val"));
                    }
                }
                "sdtContent" => self.open_sdt_content(empty),
                "tbl" => {
                    self.doc.tables.push(Table::default());
                    self.tables.push(TableState {
                        index: self.doc.tables.len(),
                        row: 0,
                        col: 0,
                        span: 1,
                        cell_text: String::new(),
                    });
                }
                "tr" => {
                    if let Some(ts) = self.tables.last_mut() {
                        ts.row += 1;
                        ts.col = 0;
                        self.doc.tables[ts.index - 1].rows.push(Vec::new());
                    }
                }
                "tc" => {
                    if let Some(ts) = self.tables.last_mut() {
                        ts.col += 1;
                        ts.span = 1;
                        ts.cell_text.clear();
                    }
                }
                "gridSpan" => {
                    if let Some(ts) = self.tables.last_mut() {
                        ts.span = e
                            .get("val")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1)
                            .clamp(1, 64);
                    }
                }
                _ => {}
            },
            Tag { ns: Ns::W14, local } if self.in_sdt_pr => match *local {
                "checkbox" => {
                    if let Some(s) = self.sdts.last_mut() {
                        s.checkbox = Some(false);
                    }
                }
                "checked" => {
                    if let Some(s) = self.sdts.last_mut() {
                        s.checkbox = Some(on_off(e.get("val")));
                    }
                }
                _ => {}
            },
            // What Word can show is in mc:Choice; the fallback repeats it for older readers.
            Tag {
                ns: Ns::Mc,
                local: "Fallback",
            } if !empty => self.skip = 1,
            _ => {}
        }
    }

    fn end(&mut self, t: &Tag) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        if let Tag { ns: Ns::W, local } = t {
            match *local {
                "p" => self.close_paragraph(),
                "r" => self.in_run = self.in_run.saturating_sub(1),
                "t" => self.in_t = false,
                "instrText" => self.in_instr = false,
                "ffData" => self.in_ffdata = false,
                "checkBox" => self.in_checkbox_def = false,
                "sdtPr" => self.in_sdt_pr = false,
                "sdtContent" => self.mute = self.mute.saturating_sub(1),
                "sdt" => self.close_sdt(),
                "tc" => {
                    if let Some(ts) = self.tables.last_mut() {
                        let row = self.doc.tables[ts.index - 1].rows.last_mut();
                        if let Some(row) = row {
                            row.push(if ts.cell_text.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(std::mem::take(&mut ts.cell_text))
                            });
                            // A merged cell covers several grid columns: keep rows aligned on the grid.
                            for _ in 1..ts.span {
                                row.push(Cell::Empty);
                            }
                        }
                        ts.col += ts.span - 1;
                    }
                }
                "tbl" => {
                    self.tables.pop();
                }
                _ => {}
            }
        }
    }

    fn open_paragraph(&mut self) {
        let place = match self.tables.last() {
            Some(ts) => Place::Cell {
                table: ts.index,
                row: ts.row,
                col: ts.col,
            },
            None => {
                self.body_paragraphs += 1;
                Place::Paragraph(self.body_paragraphs)
            }
        };
        self.paragraphs.push(Paragraph {
            place,
            inlines: Vec::new(),
        });
    }

    fn close_paragraph(&mut self) {
        if let Some(paragraph) = self.paragraphs.pop() {
            if let Some(ts) = self.tables.last_mut() {
                if !ts.cell_text.is_empty() {
                    ts.cell_text.push('\n');
                }
                ts.cell_text.push_str(&paragraph.text());
                if ts.cell_text.trim().is_empty() {
                    ts.cell_text.clear();
                }
            }
            self.doc.paragraphs.push(paragraph);
        }
    }

    fn text(&mut self, s: &str) {
        if self.in_instr {
            return;
        }
        if !self.in_t && !matches!(s, "\t" | "\n" | "-") {
            return;
        }
        if self.mute > 0 {
            return;
        }
        if let Some(f) = self.fields.last_mut()
            && f.in_result
        {
            f.result.push_str(s);
        }
        if let Some(sdt) = self.sdts.last_mut() {
            sdt.text.push_str(s);
        }
        // Glyphs typed by hand are check boxes too.
        let mut rest = s;
        while let Some((i, c, checked)) = next_glyph(rest) {
            self.push_text(&rest[..i]);
            self.push_check(Check {
                checked,
                kind: CheckKind::Glyph,
                name: None,
            });
            rest = &rest[i + c.len_utf8()..];
        }
        self.push_text(rest);
    }

    fn push_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.paragraphs.is_empty() {
            // Text outside any paragraph (malformed but seen): give it one.
            self.open_paragraph();
        }
        let inlines = &mut self
            .paragraphs
            .last_mut()
            .expect("paragraph opened above")
            .inlines;
        match inlines.last_mut() {
            Some(Inline::Text(t)) => t.push_str(s),
            _ => inlines.push(Inline::Text(s.to_string())),
        }
    }

    fn push_check(&mut self, check: Check) {
        if self.paragraphs.is_empty() {
            self.open_paragraph();
        }
        self.paragraphs
            .last_mut()
            .expect("paragraph opened above")
            .inlines
            .push(Inline::Check(check));
    }

    /// Symbol fonts: Wingdings boxes as Word's « insert symbol » writes them.
    fn sym(&mut self, e: &impl Attributes) {
        let ch = e.get("char").unwrap_or_default().to_ascii_uppercase();
        let code = ch.trim_start_matches("F0");
        let checked = match code {
            "FE" | "FD" | "78" | "FC" => Some(true),
            "A8" | "6F" | "71" => Some(false),
            _ => None,
        };
        if let Some(checked) = checked
            && self.mute == 0
        {
            self.push_check(Check {
                checked,
                kind: CheckKind::Glyph,
                name: None,
            });
        }
    }

    fn close_field(&mut self) {
        let Some(f) = self.fields.pop() else { return };
        if f.checkbox {
            let checked = f.checked.unwrap_or(f.default);
            if let Some(name) = &f.name {
                self.doc.fields.push(FormField {
                    name: name.clone(),
                    value: FieldContent::Check(checked),
                });
            }
            if self.mute == 0 {
                self.push_check(Check {
                    checked,
                    kind: CheckKind::LegacyField,
                    name: f.name,
                });
            }
        } else if f.text_input
            && let Some(name) = f.name
        {
            let value = f.result.replace('\u{2002}', " ").trim().to_string();
            self.doc.fields.push(FormField {
                name,
                value: FieldContent::Text(value),
            });
        }
    }

    fn open_sdt_content(&mut self, empty: bool) {
        self.in_sdt_pr = false;
        let Some(sdt) = self.sdts.last() else { return };
        let (checkbox, placeholder, name) = (sdt.checkbox, sdt.placeholder, sdt.tag.clone());
        if let Some(checked) = checkbox {
            self.push_check(Check {
                checked,
                kind: CheckKind::ContentControl,
                name,
            });
        }
        // The glyph of a check-box control and a placeholder's prompt are not answers.
        if (checkbox.is_some() || placeholder) && !empty {
            self.mute += 1;
        }
    }

    fn close_sdt(&mut self) {
        let Some(sdt) = self.sdts.pop() else { return };
        if let Some(name) = sdt.tag {
            let value = match sdt.checkbox {
                Some(checked) => FieldContent::Check(checked),
                None if sdt.placeholder => FieldContent::Text(String::new()),
                None => FieldContent::Text(sdt.text.trim().to_string()),
            };
            self.doc.fields.push(FormField { name, value });
        }
    }
}

/// The first check box glyph of a text: its byte index, the glyph and its state. Every glyph
/// of [`glyph_state`] is in U+22xx or U+25xx–U+27xx: UTF-8 `E2 8A`, `E2 96`–`E2 9D`; the
/// dotted leaders (U+2026, `E2 80`) are passed over without decoding.
fn next_glyph(s: &str) -> Option<(usize, char, bool)> {
    let b = s.as_bytes();
    memchr::memchr_iter(0xE2, b).find_map(|i| {
        if !matches!(b.get(i + 1), Some(0x8A | 0x96..=0x9D)) {
            return None;
        }
        let c = s[i..].chars().next()?;
        glyph_state(c).map(|checked| (i, c, checked))
    })
}

/// Hand-typed check box glyphs.
pub(crate) fn glyph_state(c: char) -> Option<bool> {
    match c {
        '☐' | '□' | '❏' | '❑' => Some(false),
        '☒' | '☑' | '■' | '⊠' | '✓' | '✔' => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(body: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="{W}" xmlns:w14="{W14}"><w:body>{body}</w:body></w:document>"#
        )
    }

    fn checks(doc: &Document) -> Vec<bool> {
        doc.paragraphs
            .iter()
            .flat_map(|p| p.inlines.iter())
            .filter_map(|i| {
                if let Inline::Check(c) = i {
                    Some(c.checked)
                } else {
                    None
                }
            })
            .collect()
    }

    fn legacy(inner: &str) -> String {
        format!(
            r#"<w:p><w:r><w:t>oui</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="C1"/><w:checkBox><w:sizeAuto/>{inner}</w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#
        )
    }

    #[test]
    fn legacy_checkbox_states() {
        let cases = [
            (r#"<w:default w:val="0"/><w:checked/>"#, true),
            (r#"<w:default w:val="0"/><w:checked w:val="1"/>"#, true),
            (r#"<w:default w:val="0"/><w:checked w:val="true"/>"#, true),
            (r#"<w:default w:val="1"/><w:checked w:val="0"/>"#, false),
            (r#"<w:default w:val="1"/>"#, true),
            (r#"<w:default w:val="0"/>"#, false),
        ];
        for (inner, expected) in cases {
            let doc = parse_document_xml(&wrap(&legacy(inner))).unwrap();
            assert_eq!(checks(&doc), vec![expected], "{inner}");
            assert_eq!(doc.paragraphs[0].text(), "oui");
        }
    }

    #[test]
    fn other_prefix_and_content_control() {
        let xml = format!(
            r#"<x:document xmlns:x="{W}" xmlns:v="{W14}"><x:body><x:p><x:r><x:t>Nom :</x:t></x:r><x:r><x:t xml:space="preserve"> Les &amp; Amis</x:t></x:r></x:p>
            <x:p><x:sdt><x:sdtPr><x:tag x:val="q1"/><v:checkbox><v:checked v:val="1"/></v:checkbox></x:sdtPr><x:sdtContent><x:r><x:t>☒</x:t></x:r></x:sdtContent></x:sdt><x:r><x:t> oui ☐ non</x:t></x:r></x:p></x:body></x:document>"#
        );
        let doc = parse_document_xml(&xml).unwrap();
        assert_eq!(doc.paragraphs[0].text(), "Nom : Les & Amis");
        assert_eq!(checks(&doc), vec![true, false]);
        assert_eq!(
            doc.fields,
            vec![FormField {
                name: "q1".into(),
                value: FieldContent::Check(true)
            }]
        );
    }

    #[test]
    fn deleted_text_and_fallbacks_are_not_read() {
        let xml = wrap(
            r#"<w:p><w:del><w:r><w:delText>old</w:delText><w:t>gone</w:t></w:r></w:del><w:r><w:t>kept</w:t></w:r></w:p>"#,
        );
        let doc = parse_document_xml(&xml).unwrap();
        assert_eq!(doc.paragraphs[0].text(), "kept");
    }

    #[test]
    fn tables_follow_the_grid() {
        let xml = wrap(
            r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        );
        let doc = parse_document_xml(&xml).unwrap();
        assert_eq!(
            doc.tables[0].rows[0],
            vec![Cell::Text("A".into()), Cell::Empty, Cell::Text("B".into())]
        );
        assert_eq!(
            doc.paragraphs[1].place,
            Place::Cell {
                table: 1,
                row: 1,
                col: 3
            }
        );
    }

    /// The reader as it was with quick-xml: the same `Parser`, driven by quick-xml's events.
    mod quick {
        use std::borrow::Cow;

        use quick_xml::Reader;
        use quick_xml::events::{BytesStart, Event};

        use super::super::{Attributes, Parser, Prefixes};
        use crate::document::{Document, Format};

        impl Attributes for BytesStart<'_> {
            fn get(&self, local: &str) -> Option<Cow<'_, str>> {
                self.attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == local)
                    .and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| Cow::Owned(v.into_owned()))
                    })
            }

            fn declarations(&self, mut f: impl FnMut(&str, &str)) {
                if !self.attributes_raw().contains("xmlns") {
                    return;
                }
                for a in self.attributes().flatten() {
                    f(a.key.as_ref(), a.value.as_ref());
                }
            }
        }

        pub fn parse(xml: &str) -> Result<Document, String> {
            let mut reader = Reader::from_str(xml);
            let mut prefixes = Prefixes::default();
            let mut p = Parser::default();
            p.doc.format = Format::Docx;
            loop {
                match reader.read_event().map_err(|e| e.to_string())? {
                    Event::Start(e) => {
                        prefixes.declare(&e);
                        p.start(&prefixes.tag(e.name().as_ref()), &e, false);
                    }
                    Event::Empty(e) => {
                        prefixes.declare(&e);
                        let name = e.name();
                        let t = prefixes.tag(name.as_ref());
                        p.start(&t, &e, true);
                        p.end(&t);
                    }
                    Event::End(e) => p.end(&prefixes.tag(e.name().as_ref())),
                    Event::Text(t) => p.text(&t.xml10_content()),
                    Event::CData(t) => p.text(&t.xml10_content()),
                    Event::GeneralRef(r) => {
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
                            p.text(c.encode_utf8(&mut [0; 4]));
                        }
                    }
                    Event::DocType(_) => return Err("DOCTYPE".into()),
                    Event::Eof => break,
                    _ => {}
                }
            }
            p.finish().map_err(|e| e.to_string())
        }
    }

    fn sample_parts() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut parts = Vec::new();
        for dir in ["samples", "forms"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "docx"))
                .collect();
            files.sort();
            for f in files {
                let bytes = std::fs::read(&f).unwrap();
                let mut archive = Archive::open(&bytes).unwrap();
                let xml = archive.text("word/document.xml").unwrap().unwrap();
                parts.push((f.display().to_string(), xml));
            }
        }
        parts
    }

    /// Our tokenizer and quick-xml give the same document on every sample.
    #[test]
    fn same_documents_as_with_quick_xml() {
        let parts = sample_parts();
        assert!(parts.len() >= 10);
        for (name, xml) in &parts {
            let ours = parse_document_xml(xml).unwrap();
            let theirs = quick::parse(xml).unwrap();
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{name}");
        }
    }

    /// On mutated samples (markup chars put in, pieces cut out or repeated, text truncated):
    /// whatever quick-xml refused, we refuse; whatever both read, both read the same way.
    #[test]
    fn mutated_samples_agree_with_quick_xml() {
        let parts = sample_parts();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        };
        const MARKS: &[u8] = b"<>/&;\"'=!?[]- \r\nx:#";
        let (mut both_ok, mut both_err, mut stricter) = (0, 0, 0);
        for round in 0..1500 {
            let (name, xml) = &parts[round % parts.len()];
            let mut b = xml.clone().into_bytes();
            for _ in 0..1 + next(3) {
                let i = next(b.len());
                match next(4) {
                    // Only ASCII is replaced or inserted, and only at an ASCII position:
                    // the text stays UTF-8.
                    0 if b[i].is_ascii() => b[i] = MARKS[next(MARKS.len())],
                    1 => b.insert(i, MARKS[next(MARKS.len())]),
                    2 => {
                        let j = (i + 1 + next(40)).min(b.len());
                        if b[i..j].is_ascii() {
                            b.drain(i..j);
                        }
                    }
                    _ => {
                        let j = (i + 1 + next(80)).min(b.len());
                        let piece = b[i..j].to_vec();
                        b.splice(i..i, piece);
                    }
                }
            }
            let Ok(mutated) = String::from_utf8(b) else {
                continue;
            };
            match (parse_document_xml(&mutated), quick::parse(&mutated)) {
                (Ok(ours), Ok(theirs)) => {
                    assert_eq!(
                        format!("{ours:?}"),
                        format!("{theirs:?}"),
                        "{name} #{round}"
                    );
                    both_ok += 1;
                }
                (Ok(_), Err(e)) => panic!("{name} #{round}: quick-xml refuses ({e}), we read it"),
                (Err(_), Err(_)) => both_err += 1,
                (Err(_), Ok(_)) => stricter += 1,
            }
        }
        eprintln!("both read: {both_ok}, both refused: {both_err}, only we refuse: {stricter}");
        assert!(
            both_ok > 100 && both_err > 100,
            "{both_ok} {both_err} {stricter}"
        );
    }

    #[test]
    fn glyphs_are_found_whatever_surrounds_them() {
        for c in '\u{2000}'..='\u{2FFF}' {
            let text = format!("a…{c}b");
            let want = glyph_state(c).map(|checked| (4, c, checked));
            assert_eq!(next_glyph(&text), want, "{c:?}");
        }
        assert_eq!(next_glyph("……☐ oui ☒"), Some((6, '☐', false)));
        assert_eq!(next_glyph("plain text, é"), None);
    }

    #[test]
    fn doctype_is_refused() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#;
        assert!(parse_document_xml(xml).is_err());
    }
}
