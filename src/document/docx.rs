//! Word .docx reader: quick-xml over the package's main part, one pass.
//!
//! docx-rs drops the state of legacy and content-control check boxes and reads nothing from a
//! file whose namespace prefix is not `w:`; this reader resolves namespaces and keeps every
//! check box where it stands in the text.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{NsReader, Reader};

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
        .text(&main)?
        .ok_or_else(|| ReadError::Corrupt(format!("partie principale {main} absente")))?;
    parse_document_xml(&xml)
}

/// The main document part named by the package relationships, as Word and LibreOffice may
/// name it differently.
fn main_part(archive: &mut Archive) -> Result<String, ReadError> {
    if let Some(rels) = archive.text("_rels/.rels")? {
        let mut reader = NsReader::from_str(&rels);
        loop {
            match reader.read_event() {
                Ok(Event::Empty(e) | Event::Start(e))
                    if e.local_name().as_ref() == "Relationship" =>
                {
                    let ty = attr(&e, "Type").unwrap_or_default();
                    if ty.ends_with("/officeDocument") {
                        if let Some(target) = attr(&e, "Target") {
                            return Ok(target.trim_start_matches('/').to_string());
                        }
                    }
                }
                Ok(Event::Eof) => break,
                Err(e) => return Err(ReadError::Corrupt(format!("_rels/.rels : {e}"))),
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

/// The value of an attribute by its local name, whatever its prefix.
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn on_off(value: Option<String>) -> bool {
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
#[derive(Default)]
struct Prefixes {
    bound: Vec<(String, Ns)>,
}

impl Prefixes {
    fn declare(&mut self, e: &BytesStart) {
        if !e.attributes_raw().contains("xmlns") {
            return;
        }
        for a in e.attributes().flatten() {
            let key: &str = a.key.as_ref();
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(p) => p,
                    None => continue,
                },
                None => continue,
            };
            let ns = match a.value.as_ref() {
                W | W_STRICT => Ns::W,
                W14 => Ns::W14,
                MC => Ns::Mc,
                _ => Ns::Other,
            };
            self.bound.retain(|(p, _)| p != prefix);
            self.bound.push((prefix.to_string(), ns));
        }
    }

    fn tag<'a>(&self, qname: &'a str) -> Tag<'a> {
        let (prefix, local) = qname.split_once(':').unwrap_or(("", qname));
        let ns = self
            .bound
            .iter()
            .find(|(p, _)| p == prefix)
            .map_or(Ns::Other, |b| b.1);
        Tag { ns, local }
    }
}

pub fn parse_document_xml(xml: &str) -> Result<Document, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut prefixes = Prefixes::default();
    let mut p = Parser::default();
    p.doc.format = Format::Docx;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            ReadError::Corrupt(format!("XML mal formé vers l'octet {position} ({e})"))
        })?;
        match event {
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
            Event::Text(t) => {
                let s = t.xml10_content();
                p.text(&s);
            }
            Event::CData(t) => {
                let s = t.xml10_content();
                p.text(&s);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        // Entities declared in a DTD are never expanded (no entity bombs).
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    p.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::DocType(_) => {
                return Err(ReadError::Corrupt(
                    "déclaration DOCTYPE inattendue dans un document Word (entités XML refusées)"
                        .into(),
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if p.body_paragraphs == 0 && p.doc.paragraphs.is_empty() {
        return Err(ReadError::Corrupt(
            "aucun paragraphe Word trouvé (document vide ou d'un autre type)".into(),
        ));
    }
    Ok(p.doc)
}

impl Parser {
    fn start(&mut self, t: &Tag, e: &BytesStart, empty: bool) {
        if self.skip > 0 {
            if !empty {
                self.skip += 1;
            }
            return;
        }
        match t {
            Tag { ns: Ns::W, local } => match *local {
                "del" | "moveFrom" => {
                    if !empty {
                        self.skip = 1;
                    }
                }
                "p" => self.open_paragraph(),
                "r" => self.in_run += 1,
                "t" => self.in_t = true,
                "instrText" => self.in_instr = true,
                "ta" if self.in_run > 0 => self.text("\t"),
                "br" | "cr" if self.in_run > 0 => self.text("\n"),
                "noBreakHyphen" => self.text("-"),
                "sym" => self.sym(e),
                "fldChar" => match attr(e, "fldCharType").as_deref() {
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
                        f.default = on_off(attr(e, "val"));
                    }
                }
                "checked" if self.in_checkbox_def => {
                    if let Some(f) = self.fields.last_mut() {
                        f.checked = Some(on_off(attr(e, "val")));
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
                        s.placeholder = on_off(attr(e, "val"));
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
                        ts.span = attr(e, "val")
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
                        s.checkbox = Some(on_off(attr(e, "val")));
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
        match t {
            Tag { ns: Ns::W, local } => match *local {
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
            },
            _ => {}
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
        if let Some(f) = self.fields.last_mut() {
            if f.in_result {
                f.result.push_str(s);
            }
        }
        if let Some(sdt) = self.sdts.last_mut() {
            sdt.text.push_str(s);
        }
        // Glyphs typed by hand are check boxes too.
        let mut rest = s;
        while let Some((i, c)) = rest.char_indices().find(|(_, c)| glyph_state(*c).is_some()) {
            self.push_text(&rest[..i]);
            self.push_check(Check {
                checked: glyph_state(c).unwrap_or(false),
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
    fn sym(&mut self, e: &BytesStart) {
        let ch = attr(e, "char").unwrap_or_default().to_ascii_uppercase();
        let code = ch.trim_start_matches("F0");
        let checked = match code {
            "FE" | "FD" | "78" | "FC" => Some(true),
            "A8" | "6F" | "71" => Some(false),
            _ => None,
        };
        if let Some(checked) = checked {
            if self.mute == 0 {
                self.push_check(Check {
                    checked,
                    kind: CheckKind::Glyph,
                    name: None,
                });
            }
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
        } else if f.text_input {
            if let Some(name) = f.name {
                let value = f.result.replace('\u{2002}', " ").trim().to_string();
                self.doc.fields.push(FormField {
                    name,
                    value: FieldContent::Text(value),
                });
            }
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

/// Hand-typed check box glyphs.
pub fn glyph_state(c: char) -> Option<bool> {
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

    #[test]
    fn doctype_is_refused() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#;
        assert!(parse_document_xml(xml).is_err());
    }
}
