//! WordprocessingML building blocks, written the way Word writes them, and the package
//! (zip) around a document body. Everything is deterministic: same input, same bytes.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::xml::{esc_attr, esc_text};

/// Namespace declarations of a Word 2010+ part root, with `w14` ignorable.
pub const ROOT_NS: &str = concat!(
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" "#,
    r#"mc:Ignorable="w14""#
);

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

/// Run properties, serialized in schema order.
#[derive(Clone, Default, Debug, PartialEq)]
pub struct RPr {
    pub font: Option<&'static str>,
    pub bold: bool,
    pub italic: bool,
    pub caps: bool,
    pub no_proof: bool,
    pub color: Option<&'static str>,
    /// Half-points.
    pub size: Option<u32>,
    pub highlight: Option<&'static str>,
    pub underline: bool,
    pub lang: Option<&'static str>,
}

impl RPr {
    pub fn bold() -> RPr {
        RPr {
            bold: true,
            ..RPr::default()
        }
    }
    pub fn italic() -> RPr {
        RPr {
            italic: true,
            ..RPr::default()
        }
    }
    pub fn font(font: &'static str) -> RPr {
        RPr {
            font: Some(font),
            ..RPr::default()
        }
    }
    pub fn is_empty(&self) -> bool {
        *self == RPr::default()
    }
    /// The inner elements, without the `w:rPr` wrapper.
    pub fn inner(&self) -> String {
        let mut s = String::new();
        if let Some(f) = self.font {
            if f == "MS Gothic" {
                s.push_str(r#"<w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/>"#);
            } else {
                s.push_str(&format!(
                    r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:cs="{f}"/>"#
                ));
            }
        }
        if self.bold {
            s.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            s.push_str("<w:i/><w:iCs/>");
        }
        if self.caps {
            s.push_str("<w:caps/>");
        }
        if self.no_proof {
            s.push_str("<w:noProof/>");
        }
        if let Some(c) = self.color {
            s.push_str(&format!(r#"<w:color w:val="{c}"/>"#));
        }
        if let Some(z) = self.size {
            s.push_str(&format!(r#"<w:sz w:val="{z}"/><w:szCs w:val="{z}"/>"#));
        }
        if let Some(h) = self.highlight {
            s.push_str(&format!(r#"<w:highlight w:val="{h}"/>"#));
        }
        if self.underline {
            s.push_str(r#"<w:u w:val="single"/>"#);
        }
        if let Some(l) = self.lang {
            s.push_str(&format!(r#"<w:lang w:val="{l}"/>"#));
        }
        s
    }
    pub fn xml(&self) -> String {
        if self.is_empty() {
            String::new()
        } else {
            format!("<w:rPr>{}</w:rPr>", self.inner())
        }
    }
}

/// Paragraph properties, serialized in schema order.
#[derive(Clone, Default, Debug)]
pub struct PPr {
    pub style: Option<&'static str>,
    pub keep_next: bool,
    /// (numId, ilvl)
    pub num: Option<(u32, u32)>,
    pub shade: Option<&'static str>,
    /// (kind, position in twips), e.g. ("left", 4536).
    pub tabs: Vec<(&'static str, u32)>,
    /// (before, after) in twips.
    pub spacing: Option<(u32, u32)>,
    pub ind_left: Option<u32>,
    pub jc: Option<&'static str>,
    /// Properties of the paragraph mark.
    pub mark: RPr,
}

impl PPr {
    pub fn style(style: &'static str) -> PPr {
        PPr {
            style: Some(style),
            ..PPr::default()
        }
    }
    pub fn xml(&self) -> String {
        let mut s = String::new();
        if let Some(st) = self.style {
            s.push_str(&format!(r#"<w:pStyle w:val="{st}"/>"#));
        }
        if self.keep_next {
            s.push_str("<w:keepNext/>");
        }
        if let Some((id, lvl)) = self.num {
            s.push_str(&format!(
                r#"<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{id}"/></w:numPr>"#
            ));
        }
        if let Some(f) = self.shade {
            s.push_str(&format!(
                r#"<w:shd w:val="clear" w:color="auto" w:fill="{f}"/>"#
            ));
        }
        if !self.tabs.is_empty() {
            s.push_str("<w:tabs>");
            for (k, p) in &self.tabs {
                s.push_str(&format!(r#"<w:tab w:val="{k}" w:pos="{p}"/>"#));
            }
            s.push_str("</w:tabs>");
        }
        if let Some((b, a)) = self.spacing {
            s.push_str(&format!(r#"<w:spacing w:before="{b}" w:after="{a}"/>"#));
        }
        if let Some(l) = self.ind_left {
            s.push_str(&format!(r#"<w:ind w:left="{l}"/>"#));
        }
        if let Some(j) = self.jc {
            s.push_str(&format!(r#"<w:jc w:val="{j}"/>"#));
        }
        if !self.mark.is_empty() {
            s.push_str(&self.mark.xml());
        }
        if s.is_empty() {
            s
        } else {
            format!("<w:pPr>{s}</w:pPr>")
        }
    }
}

fn push_t(out: &mut String, seg: &str) {
    if seg.is_empty() {
        return;
    }
    let preserve = seg.starts_with([' ', '\u{a0}']) || seg.ends_with([' ', '\u{a0}']);
    if preserve {
        out.push_str(r#"<w:t xml:space="preserve">"#);
    } else {
        out.push_str("<w:t>");
    }
    out.push_str(&esc_text(seg));
    out.push_str("</w:t>");
}

/// The content of a run: `\t` becomes `w:tab`, `\n` becomes `w:br`.
pub fn run_content(text: &str) -> String {
    let mut out = String::new();
    let mut seg = String::new();
    for c in text.chars() {
        match c {
            '\t' | '\n' => {
                push_t(&mut out, &seg);
                seg.clear();
                out.push_str(if c == '\t' { "<w:tab/>" } else { "<w:br/>" });
            }
            _ => seg.push(c),
        }
    }
    push_t(&mut out, &seg);
    out
}

/// A run of text.
pub fn run(text: &str, rpr: &RPr) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("<w:r>{}{}</w:r>", rpr.xml(), run_content(text))
}

/// A run of text typed in a given editing session (`w:rsidR`), as Word marks later edits.
pub fn run_rsid(text: &str, rpr: &RPr, rsid: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!(
        r#"<w:r w:rsidR="{rsid}">{}{}</w:r>"#,
        rpr.xml(),
        run_content(text)
    )
}

/// How a legacy checkbox form field (FORMCHECKBOX) stores its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegacyBox {
    /// `<w:default w:val="0"/>` only: unticked, as in the blank form.
    Blank,
    /// `<w:default w:val="0"/><w:checked/>`: ticked, as Word writes a click.
    Checked,
    /// `<w:checked w:val="1"/>`.
    CheckedVal1,
    /// `<w:checked w:val="true"/>`.
    CheckedTrue,
    /// `<w:default w:val="1"/>` without `w:checked`: ticked through the field's properties
    /// (« case activée »), as the form's own instructions say.
    DefaultOn,
    /// `<w:checked w:val="0"/>`: explicitly unticked.
    Unchecked0,
    /// `<w:default w:val="1"/><w:checked w:val="0"/>`: default ticked, then unticked.
    DefaultOnUnchecked,
}

impl LegacyBox {
    pub fn is_ticked(self) -> bool {
        matches!(
            self,
            LegacyBox::Checked
                | LegacyBox::CheckedVal1
                | LegacyBox::CheckedTrue
                | LegacyBox::DefaultOn
        )
    }
    fn inner(self) -> &'static str {
        match self {
            LegacyBox::Blank => r#"<w:default w:val="0"/>"#,
            LegacyBox::Checked => r#"<w:default w:val="0"/><w:checked/>"#,
            LegacyBox::CheckedVal1 => r#"<w:default w:val="0"/><w:checked w:val="1"/>"#,
            LegacyBox::CheckedTrue => r#"<w:default w:val="0"/><w:checked w:val="true"/>"#,
            LegacyBox::DefaultOn => r#"<w:default w:val="1"/>"#,
            LegacyBox::Unchecked0 => r#"<w:default w:val="0"/><w:checked w:val="0"/>"#,
            LegacyBox::DefaultOnUnchecked => r#"<w:default w:val="1"/><w:checked w:val="0"/>"#,
        }
    }
}

pub const BALLOT_CHECKED: char = '\u{2612}';
pub const BALLOT_EMPTY: char = '\u{2610}';

/// Cell of a table.
#[derive(Clone, Debug)]
pub struct Cell {
    pub width: u32,
    pub span: u32,
    pub shade: Option<&'static str>,
    pub center: bool,
    /// Paragraph XML; at least one paragraph.
    pub content: String,
}

/// Allocates ids and writes paragraphs, fields and tables.
pub struct Writer {
    pub body: String,
    next_bookmark: u32,
    next_para: u32,
    next_sdt: u32,
    salt: u32,
    /// rsid of the editing session that wrote the form.
    pub rsid: String,
}

impl Writer {
    pub fn new(salt: u32, rsid: &str) -> Writer {
        Writer {
            body: String::new(),
            next_bookmark: 0,
            next_para: 0,
            next_sdt: 0,
            salt,
            rsid: rsid.to_string(),
        }
    }

    /// Unique `w14:paraId` (Word requires it under 0x80000000).
    fn para_id(&mut self) -> u32 {
        self.next_para += 1;
        (self
            .next_para
            .wrapping_mul(0x2545_F491)
            .wrapping_add(self.salt))
            & 0x7FFF_FFFF
    }

    pub fn bookmark_id(&mut self) -> u32 {
        let id = self.next_bookmark;
        self.next_bookmark += 1;
        id
    }

    /// A paragraph as Word writes it (paraId, textId, rsids).
    pub fn para(&mut self, ppr: &PPr, content: &str) -> String {
        let id = self.para_id();
        format!(
            r#"<w:p w14:paraId="{id:08X}" w14:textId="77777777" w:rsidR="{r}" w:rsidRDefault="{r}">{}{content}</w:p>"#,
            ppr.xml(),
            r = self.rsid
        )
    }

    pub fn push(&mut self, xml: &str) {
        self.body.push_str(xml);
    }

    pub fn push_para(&mut self, ppr: &PPr, content: &str) {
        let p = self.para(ppr, content);
        self.body.push_str(&p);
    }

    /// A legacy checkbox form field wrapped in its bookmark, exactly as Word writes it.
    pub fn legacy_checkbox(&mut self, name: &str, state: LegacyBox) -> String {
        let id = self.bookmark_id();
        let name = esc_attr(name);
        format!(
            concat!(
                r#"<w:bookmarkStart w:id="{id}" w:name="{name}"/>"#,
                r#"<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/><w:enabled/><w:calcOnExit w:val="0"/>"#,
                r#"<w:checkBox><w:sizeAuto/>{inner}</w:checkBox></w:ffData></w:fldChar></w:r>"#,
                r#"<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>"#,
                r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
                r#"<w:bookmarkEnd w:id="{id}"/>"#
            ),
            id = id,
            name = name,
            inner = state.inner()
        )
    }

    /// A content-control checkbox (Word 2010+), showing ☒ or ☐ in MS Gothic.
    pub fn sdt_checkbox(&mut self, tag: &str, checked: bool) -> String {
        self.next_sdt += 1;
        // Word's ids are random signed 32-bit numbers; these are fixed.
        let id = (self
            .next_sdt
            .wrapping_mul(0x6C07_8965)
            .wrapping_add(self.salt) as i32)
            .wrapping_abs();
        let id = if self.next_sdt.is_multiple_of(2) {
            -id
        } else {
            id
        };
        let gothic = RPr::font("MS Gothic");
        format!(
            concat!(
                r#"<w:sdt><w:sdtPr>{rpr}<w:tag w:val="{tag}"/><w:id w:val="{id}"/>"#,
                r#"<w14:checkbox><w14:checked w14:val="{v}"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/>"#,
                r#"<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtEndPr/>"#,
                r#"<w:sdtContent>{run}</w:sdtContent></w:sdt>"#
            ),
            rpr = gothic.xml(),
            tag = esc_attr(tag),
            id = id,
            v = if checked { 1 } else { 0 },
            run = run(
                &(if checked {
                    BALLOT_CHECKED
                } else {
                    BALLOT_EMPTY
                })
                .to_string(),
                &gothic
            )
        )
    }

    /// A table. `grid` gives the column widths (twips); `bordered` uses the « Grille du
    /// tableau » style, otherwise borders are removed.
    pub fn table(
        &mut self,
        grid: &[u32],
        rows: &[Vec<Cell>],
        bordered: bool,
        header_rows: usize,
    ) -> String {
        let mut s = String::from("<w:tbl><w:tblPr>");
        s.push_str(r#"<w:tblStyle w:val="Grilledutableau"/><w:tblW w:w="0" w:type="auto"/>"#);
        if !bordered {
            s.push_str("<w:tblBorders>");
            for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                s.push_str(&format!(
                    r#"<w:{side} w:val="none" w:sz="0" w:space="0" w:color="auto"/>"#
                ));
            }
            s.push_str("</w:tblBorders>");
        }
        s.push_str(r#"<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>"#);
        s.push_str("</w:tblPr><w:tblGrid>");
        for g in grid {
            s.push_str(&format!(r#"<w:gridCol w:w="{g}"/>"#));
        }
        s.push_str("</w:tblGrid>");
        for (i, row) in rows.iter().enumerate() {
            s.push_str(&format!(
                r#"<w:tr w:rsidR="{r}" w:rsidTr="{r}">"#,
                r = self.rsid
            ));
            if i < header_rows {
                s.push_str("<w:trPr><w:tblHeader/></w:trPr>");
            }
            for c in row {
                s.push_str("<w:tc><w:tcPr>");
                s.push_str(&format!(r#"<w:tcW w:w="{}" w:type="dxa"/>"#, c.width));
                if c.span > 1 {
                    s.push_str(&format!(r#"<w:gridSpan w:val="{}"/>"#, c.span));
                }
                if let Some(f) = c.shade {
                    s.push_str(&format!(
                        r#"<w:shd w:val="clear" w:color="auto" w:fill="{f}"/>"#
                    ));
                }
                if c.center {
                    s.push_str(r#"<w:vAlign w:val="center"/>"#);
                }
                s.push_str("</w:tcPr>");
                s.push_str(&c.content);
                s.push_str("</w:tc>");
            }
            s.push_str("</w:tr>");
        }
        s.push_str("</w:tbl>");
        s
    }
}

/// docProps/core.xml values.
#[derive(Clone, Debug)]
pub struct Core {
    pub title: String,
    pub creator: String,
    pub last_modified_by: String,
    pub revision: u32,
    /// W3CDTF, e.g. `2021-09-06T08:12:00Z`.
    pub created: String,
    pub modified: String,
}

/// A document package: its body and what goes around it.
pub struct Package<'a> {
    /// Block-level content of `w:body` (paragraphs, tables), without `w:sectPr`.
    pub body: &'a str,
    /// Paragraph XML of the default header (`header1.xml`), if any.
    pub header: Option<&'a str>,
    pub core: Core,
    /// rsids of the editing sessions (the first is the document's root).
    pub rsids: &'a [&'a str],
    /// Page margins (twips).
    pub margin: u32,
}

fn content_types(header: bool) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#);
    s.push_str(r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#);
    s.push_str(r#"<Default Extension="xml" ContentType="application/xml"/>"#);
    let o = |part: &str, ct: &str| {
        format!(
            r#"<Override PartName="{part}" ContentType="application/vnd.openxmlformats-{ct}"/>"#
        )
    };
    s.push_str(&o(
        "/word/document.xml",
        "officedocument.wordprocessingml.document.main+xml",
    ));
    s.push_str(&o(
        "/word/numbering.xml",
        "officedocument.wordprocessingml.numbering+xml",
    ));
    s.push_str(&o(
        "/word/styles.xml",
        "officedocument.wordprocessingml.styles+xml",
    ));
    s.push_str(&o(
        "/word/settings.xml",
        "officedocument.wordprocessingml.settings+xml",
    ));
    if header {
        s.push_str(&o(
            "/word/header1.xml",
            "officedocument.wordprocessingml.header+xml",
        ));
    }
    s.push_str(&o(
        "/word/footer1.xml",
        "officedocument.wordprocessingml.footer+xml",
    ));
    s.push_str(&o(
        "/word/fontTable.xml",
        "officedocument.wordprocessingml.fontTable+xml",
    ));
    s.push_str(&o("/docProps/core.xml", "package.core-properties+xml"));
    s.push_str(&o(
        "/docProps/app.xml",
        "officedocument.extended-properties+xml",
    ));
    s.push_str("</Types>");
    s
}

fn root_rels() -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(concat!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
        r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
        r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
        "</Relationships>"
    ));
    s
}

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

fn document_rels(header: bool) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let r = |id: &str, kind: &str, target: &str| {
        format!(r#"<Relationship Id="{id}" Type="{REL}{kind}" Target="{target}"/>"#)
    };
    s.push_str(&r("rId1", "numbering", "numbering.xml"));
    s.push_str(&r("rId2", "styles", "styles.xml"));
    s.push_str(&r("rId3", "settings", "settings.xml"));
    if header {
        s.push_str(&r("rId4", "header", "header1.xml"));
    }
    s.push_str(&r("rId5", "footer", "footer1.xml"));
    s.push_str(&r("rId6", "fontTable", "fontTable.xml"));
    s.push_str("</Relationships>");
    s
}

fn document(p: &Package) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(&format!("<w:document {ROOT_NS}><w:body>"));
    s.push_str(p.body);
    s.push_str(&format!(r#"<w:sectPr w:rsidR="{}">"#, p.rsids[0]));
    if p.header.is_some() {
        s.push_str(r#"<w:headerReference w:type="default" r:id="rId4"/>"#);
    }
    s.push_str(r#"<w:footerReference w:type="default" r:id="rId5"/>"#);
    s.push_str(&format!(
        concat!(
            r#"<w:pgSz w:w="11906" w:h="16838"/>"#,
            r#"<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="567" w:footer="567" w:gutter="0"/>"#,
            r#"<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>"#
        ),
        m = p.margin
    ));
    s.push_str("</w:body></w:document>");
    s
}

fn header_part(paras: &str) -> String {
    format!("{XML_DECL}<w:hdr {ROOT_NS}>{paras}</w:hdr>")
}

fn footer_part() -> String {
    format!(
        concat!(
            "{decl}<w:ftr {ns}>",
            r#"<w:p w14:paraId="5B1E2D3A" w14:textId="77777777" w:rsidR="00B2170F" w:rsidRDefault="00B2170F">"#,
            r#"<w:pPr><w:pStyle w:val="Pieddepage"/><w:jc w:val="right"/></w:pPr>"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#,
            r#"<w:r><w:instrText xml:space="preserve"> PAGE   \* MERGEFORMAT </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"#,
            r#"<w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#
        ),
        decl = XML_DECL,
        ns = ROOT_NS
    )
}

fn settings(rsids: &[&str]) -> String {
    let mut s = format!("{XML_DECL}<w:settings {ROOT_NS}>");
    s.push_str(r#"<w:zoom w:percent="100"/><w:proofState w:spelling="clean" w:grammar="clean"/>"#);
    s.push_str(r#"<w:defaultTabStop w:val="708"/><w:hyphenationZone w:val="425"/>"#);
    s.push_str(r#"<w:characterSpacingControl w:val="doNotCompress"/>"#);
    s.push_str(concat!(
        "<w:compat>",
        r#"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>"#,
        r#"<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
        r#"<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
        r#"<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
        "</w:compat>"
    ));
    s.push_str(&format!(r#"<w:rsids><w:rsidRoot w:val="{}"/>"#, rsids[0]));
    let mut sorted: Vec<&str> = rsids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for r in sorted {
        s.push_str(&format!(r#"<w:rsid w:val="{r}"/>"#));
    }
    s.push_str("</w:rsids>");
    s.push_str(r#"<w:themeFontLang w:val="fr-FR"/>"#);
    s.push_str(concat!(
        r#"<w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1" w:accent2="accent2" "#,
        r#"w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6" w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>"#
    ));
    s.push_str(r#"<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>"#);
    s.push_str("</w:settings>");
    s
}

fn font_table() -> String {
    let mut s = format!("{XML_DECL}<w:fonts {ROOT_NS}>");
    let fonts: [(&str, &str, &str, &str, &str); 6] = [
        ("Calibri", "020F0502020204030204", "00", "swiss", "E4002EFF"),
        (
            "Times New Roman",
            "02020603050405020304",
            "00",
            "roman",
            "E0002EFF",
        ),
        ("Symbol", "05050102010706020507", "02", "roman", "00000000"),
        ("Arial", "020B0604020202020204", "00", "swiss", "E0002EFF"),
        (
            "MS Gothic",
            "020B0609070205080204",
            "80",
            "modern",
            "E00002FF",
        ),
        (
            "Segoe UI Symbol",
            "020B0502040204020203",
            "00",
            "swiss",
            "800001E3",
        ),
    ];
    for (name, panose, charset, family, usb0) in fonts {
        let pitch = if name == "MS Gothic" {
            "fixed"
        } else {
            "variable"
        };
        s.push_str(&format!(
            concat!(
                r#"<w:font w:name="{n}"><w:panose1 w:val="{p}"/><w:charset w:val="{c}"/>"#,
                r#"<w:family w:val="{f}"/><w:pitch w:val="{pi}"/>"#,
                r#"<w:sig w:usb0="{u}" w:usb1="00000000" w:usb2="00000000" w:usb3="00000000" w:csb0="00000001" w:csb1="00000000"/></w:font>"#
            ),
            n = name,
            p = panose,
            c = charset,
            f = family,
            pi = pitch,
            u = usb0
        ));
    }
    s.push_str("</w:fonts>");
    s
}

/// Styles as French Word writes them: localized style ids (`Titre1`, `Pieddepage`…), the
/// built-in name in `w:name` (`heading 1`), French names for the linked character styles.
fn styles() -> String {
    let mut s = format!("{XML_DECL}<w:styles {ROOT_NS}>");
    s.push_str(concat!(
        "<w:docDefaults><w:rPrDefault><w:rPr>",
        r#"<w:rFonts w:ascii="Calibri" w:eastAsia="Calibri" w:hAnsi="Calibri" w:cs="Times New Roman"/>"#,
        r#"<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="fr-FR" w:eastAsia="en-US" w:bidi="ar-SA"/>"#,
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>",
        r#"<w:spacing w:after="120" w:line="259" w:lineRule="auto"/>"#,
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    ));
    // (type, id, name, extra attributes/elements, pPr, rPr)
    let para = |id: &str, name: &str, head: &str, ppr: &str, rpr: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/>{head}{ppr}{rpr}</w:style>"#
        )
    };
    let chr = |id: &str, name: &str, link: &str, rpr: &str| {
        format!(
            concat!(
                r#"<w:style w:type="character" w:customStyle="1" w:styleId="{id}"><w:name w:val="{name}"/>"#,
                r#"<w:basedOn w:val="Policepardfaut"/><w:link w:val="{link}"/><w:uiPriority w:val="9"/><w:rPr>{rpr}</w:rPr></w:style>"#
            ),
            id = id,
            name = name,
            link = link,
            rpr = rpr
        )
    };
    s.push_str(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#);
    let h1_rpr = r#"<w:rPr><w:b/><w:bCs/><w:caps/><w:color w:val="1F3864"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>"#;
    let h2_rpr = r#"<w:rPr><w:b/><w:bCs/><w:color w:val="2F5496"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>"#;
    let title_rpr = r#"<w:rPr><w:b/><w:bCs/><w:smallCaps/><w:color w:val="1F3864"/><w:kern w:val="28"/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr>"#;
    let sub_rpr =
        r#"<w:rPr><w:color w:val="404040"/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr>"#;
    s.push_str(&para(
        "Titre1",
        "heading 1",
        r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="Titre1Car"/><w:uiPriority w:val="9"/><w:qFormat/>"#,
        r#"<w:pPr><w:keepNext/><w:keepLines/><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="1F3864"/></w:pBdr><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>"#,
        h1_rpr,
    ));
    s.push_str(&para(
        "Titre2",
        "heading 2",
        r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="Titre2Car"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>"#,
        r#"<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr>"#,
        h2_rpr,
    ));
    s.push_str(&para(
        "Titre",
        "Title",
        r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="TitreCar"/><w:uiPriority w:val="10"/><w:qFormat/>"#,
        r#"<w:pPr><w:spacing w:before="0" w:after="120"/><w:jc w:val="center"/></w:pPr>"#,
        title_rpr,
    ));
    s.push_str(&para(
        "Sous-titre",
        "Subtitle",
        r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:link w:val="Sous-titreCar"/><w:uiPriority w:val="11"/><w:qFormat/>"#,
        r#"<w:pPr><w:spacing w:after="240"/><w:jc w:val="center"/></w:pPr>"#,
        sub_rpr,
    ));
    s.push_str(&para(
        "Paragraphedeliste",
        "List Paragraph",
        r#"<w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/><w:qFormat/>"#,
        r#"<w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr>"#,
        "",
    ));
    s.push_str(&para(
        "En-tte",
        "header",
        r#"<w:basedOn w:val="Normal"/><w:link w:val="En-tteCar"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>"#,
        r#"<w:pPr><w:tabs><w:tab w:val="center" w:pos="4536"/><w:tab w:val="right" w:pos="9072"/></w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>"#,
        "",
    ));
    s.push_str(&para(
        "Pieddepage",
        "footer",
        r#"<w:basedOn w:val="Normal"/><w:link w:val="PieddepageCar"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>"#,
        r#"<w:pPr><w:tabs><w:tab w:val="center" w:pos="4536"/><w:tab w:val="right" w:pos="9072"/></w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>"#,
        "",
    ));
    s.push_str(concat!(
        r#"<w:style w:type="character" w:default="1" w:styleId="Policepardfaut"><w:name w:val="Default Paragraph Font"/>"#,
        r#"<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
        r#"<w:style w:type="table" w:default="1" w:styleId="TableauNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>"#,
        r#"<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>"#,
        r#"<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
        r#"<w:style w:type="numbering" w:default="1" w:styleId="Aucuneliste"><w:name w:val="No List"/><w:uiPriority w:val="99"/>"#,
        r#"<w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
        r#"<w:style w:type="table" w:styleId="Grilledutableau"><w:name w:val="Table Grid"/><w:basedOn w:val="TableauNormal"/>"#,
        r#"<w:uiPriority w:val="39"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr>"#,
        r#"<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        r#"<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        r#"<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        r#"</w:tblBorders></w:tblPr></w:style>"#
    ));
    s.push_str(&chr(
        "Titre1Car",
        "Titre 1 Car",
        "Titre1",
        r#"<w:b/><w:bCs/><w:caps/><w:color w:val="1F3864"/><w:sz w:val="28"/><w:szCs w:val="28"/>"#,
    ));
    s.push_str(&chr(
        "Titre2Car",
        "Titre 2 Car",
        "Titre2",
        r#"<w:b/><w:bCs/><w:color w:val="2F5496"/><w:sz w:val="24"/><w:szCs w:val="24"/>"#,
    ));
    s.push_str(&chr("TitreCar", "Titre Car", "Titre", r#"<w:b/><w:bCs/><w:smallCaps/><w:color w:val="1F3864"/><w:kern w:val="28"/><w:sz w:val="36"/><w:szCs w:val="36"/>"#));
    s.push_str(&chr(
        "Sous-titreCar",
        "Sous-titre Car",
        "Sous-titre",
        r#"<w:color w:val="404040"/><w:sz w:val="26"/><w:szCs w:val="26"/>"#,
    ));
    s.push_str(&chr("En-tteCar", "En-tête Car", "En-tte", ""));
    s.push_str(&chr("PieddepageCar", "Pied de page Car", "Pieddepage", ""));
    s.push_str("</w:styles>");
    s
}

/// numbering.xml: one bullet list (Symbol bullet, as Word's default bullet), numId 1.
fn numbering() -> String {
    let mut s = format!("{XML_DECL}<w:numbering {ROOT_NS}>");
    s.push_str(r#"<w:abstractNum w:abstractNumId="0">"#);
    s.push_str(r#"<w:nsid w:val="3A6D1F52"/><w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="040C000F"/>"#);
    let bullets = ['\u{F0B7}', 'o', '\u{F0A7}'];
    let fonts = ["Symbol", "Courier New", "Wingdings"];
    for lvl in 0..9u32 {
        let b = bullets[(lvl % 3) as usize];
        let f = fonts[(lvl % 3) as usize];
        let tplc = if lvl % 3 == 1 {
            "040C0003"
        } else if lvl % 3 == 2 {
            "040C0005"
        } else {
            "040C0001"
        };
        s.push_str(&format!(
            concat!(
                r#"<w:lvl w:ilvl="{l}" w:tplc="{t}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>"#,
                r#"<w:lvlText w:val="{b}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{ind}" w:hanging="360"/></w:pPr>"#,
                r#"<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:hint="default"/></w:rPr></w:lvl>"#
            ),
            l = lvl,
            t = tplc,
            b = esc_attr(&b.to_string()),
            ind = 720 + 720 * lvl,
            f = f
        ));
    }
    s.push_str("</w:abstractNum>");
    s.push_str(r#"<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#);
    s.push_str("</w:numbering>");
    s
}

fn core_part(c: &Core) -> String {
    format!(
        concat!(
            "{decl}",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:subject></dc:subject><dc:creator>{creator}</dc:creator>",
            "<cp:keywords></cp:keywords><dc:description></dc:description>",
            "<cp:lastModifiedBy>{last}</cp:lastModifiedBy><cp:revision>{rev}</cp:revision>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified>"#,
            "</cp:coreProperties>"
        ),
        decl = XML_DECL,
        title = esc_text(&c.title),
        creator = esc_text(&c.creator),
        last = esc_text(&c.last_modified_by),
        rev = c.revision,
        created = c.created,
        modified = c.modified
    )
}

fn app_part(body: &str) -> String {
    // Rough statistics from the text, as Word recomputes them on save.
    let paras = crate::xml::paragraphs(body).unwrap_or_default();
    let text: String = paras.join("\n");
    let words = text.split_whitespace().count();
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    let chars_sp = text.chars().filter(|c| *c != '\n').count();
    let lines = paras.len();
    let non_empty = paras.iter().filter(|p| !p.trim().is_empty()).count();
    let pages = 1 + chars_sp / 3000;
    format!(
        concat!(
            "{decl}",
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
            r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
            "<Template>Normal.dotm</Template><TotalTime>0</TotalTime><Pages>{pages}</Pages>",
            "<Words>{words}</Words><Characters>{chars}</Characters><Application>Microsoft Office Word</Application>",
            "<DocSecurity>0</DocSecurity><Lines>{lines}</Lines><Paragraphs>{paras}</Paragraphs>",
            "<ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate>",
            "<CharactersWithSpaces>{chars_sp}</CharactersWithSpaces><SharedDoc>false</SharedDoc>",
            "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>"
        ),
        decl = XML_DECL,
        pages = pages,
        words = words,
        chars = chars,
        lines = lines,
        paras = non_empty,
        chars_sp = chars_sp
    )
}

impl Package<'_> {
    /// The parts in the order Word writes them.
    pub fn parts(&self) -> Vec<(&'static str, String)> {
        let doc = document(self);
        let mut parts = vec![
            ("[Content_Types].xml", content_types(self.header.is_some())),
            ("_rels/.rels", root_rels()),
            ("word/document.xml", doc.clone()),
            (
                "word/_rels/document.xml.rels",
                document_rels(self.header.is_some()),
            ),
        ];
        if let Some(h) = self.header {
            parts.push(("word/header1.xml", header_part(h)));
        }
        parts.push(("word/footer1.xml", footer_part()));
        parts.push(("word/numbering.xml", numbering()));
        parts.push(("word/styles.xml", styles()));
        parts.push(("word/settings.xml", settings(self.rsids)));
        parts.push(("word/fontTable.xml", font_table()));
        parts.push(("docProps/core.xml", core_part(&self.core)));
        parts.push(("docProps/app.xml", app_part(&doc)));
        parts
    }

    /// The .docx bytes: deflated entries, all dated 1980-01-01 00:00 as Word does.
    pub fn to_bytes(&self) -> Vec<u8> {
        zip_parts(&self.parts())
    }
}

/// Zips parts deterministically.
pub fn zip_parts(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zw = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT);
    for (name, content) in parts {
        zw.start_file(*name, opts).expect("zip entry");
        zw.write_all(content.as_bytes()).expect("zip write");
    }
    zw.finish().expect("zip finish").into_inner()
}
