//! Filling `{{placeholders}}` in a Word template's own XML.
//!
//! Only the `w:t` nodes a placeholder or a note touches are rewritten; runs, properties,
//! bookmarks, fields, numbering, headers, footers, images and every other part of the package
//! stay as they were. A placeholder is found in a paragraph's text even when Word split it
//! across runs (`w:proofErr`, bookmarks, rsids between); its value goes into the run where it
//! starts, so with that run's formatting. A list value repeats the paragraph once per item
//! (its numbering or bullet with it). The template's notes next to a filled value,
//! « (à adapter …) », « (identification de …) », « (Description des locaux …) » and « (cf : …)
//! ou autre territoire », are removed; an unfilled placeholder becomes a dotted line and is
//! reported. « de » and « à » before a value follow French (« d’Agen », « au Passage »).

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::LettersError;
use super::model::{Edit, Para, Part, Patch, apply, node_patches};
use super::package::Package;

/// What an unfilled place shows, for the agent to complete by hand.
pub const DOTS: &str = "……………";

/// The value of one placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum FillValue {
    /// Text; `\n` becomes a line break.
    Text(String),
    /// One paragraph per item: the placeholder's paragraph is repeated.
    List(Vec<String>),
    /// Titled tables: the placeholder's paragraph is replaced by them (see
    /// [`super::table`]); where a table cannot go, their text.
    Tables(Vec<super::table::TableBlock>),
}

impl FillValue {
    fn is_empty(&self) -> bool {
        match self {
            FillValue::Text(t) => t.trim().is_empty(),
            FillValue::List(items) => items.iter().all(|i| i.trim().is_empty()),
            FillValue::Tables(blocks) => blocks.iter().all(|b| b.is_empty()),
        }
    }
}

impl From<&str> for FillValue {
    fn from(s: &str) -> Self {
        FillValue::Text(s.to_string())
    }
}

impl From<String> for FillValue {
    fn from(s: String) -> Self {
        FillValue::Text(s)
    }
}

pub type Values = BTreeMap<String, FillValue>;

/// What filling did: placeholder names, each once, in the template's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FillOutcome {
    pub filled: Vec<String>,
    /// Left as a dotted line (no value, or an empty one).
    pub unfilled: Vec<String>,
}

fn placeholder_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\{\{[ \u{a0}]*([A-Za-z0-9_.\-]+)[ \u{a0}]*\}\}").expect("regex"))
}

fn note_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)[ \u{a0}]*\([ \u{a0}]*(?:(?:[àa][ \u{a0}]+adapter\b|identification\s+de\b|description\s+des\s+locaux\b)[^()\n]*\)|cf[ \u{a0}]*:[^()\n]*\)[ \u{a0}]*ou\s+autre\s+territoire\b)",
        )
        .expect("regex")
    })
}

#[derive(Debug, Clone)]
struct Occurrence {
    range: Range<usize>,
    name: String,
}

#[derive(Debug, Clone)]
struct ParaFill {
    para: usize,
    placeholders: Vec<Occurrence>,
    /// Each « (à adapter …) » note with the placeholder it goes with (the nearest before it
    /// in the paragraph, else the nearest after).
    notes: Vec<(Range<usize>, usize)>,
}

struct PartFill {
    name: String,
    part: Part,
    paras: Vec<ParaFill>,
}

/// A template read once, filled many times.
pub struct Template {
    package: Package,
    parts: Vec<PartFill>,
    names: Vec<String>,
}

/// Parts that can hold placeholders: the main document, headers, footers, notes.
fn fillable(name: &str, main: &str) -> bool {
    name == main
        || (name.starts_with("word/")
            && name.ends_with(".xml")
            && ["header", "footer", "footnotes", "endnotes"]
                .iter()
                .any(|p| name["word/".len()..].starts_with(p)))
}

impl Template {
    pub fn parse(bytes: &[u8]) -> Result<Template, LettersError> {
        let package = Package::open(bytes)?;
        let main = package.main_part()?;
        if !package.has(&main) {
            return Err(LettersError::Template(format!(
                "partie principale {main} absente"
            )));
        }
        let mut parts = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for name in package.names.clone() {
            if !fillable(&name, &main) {
                continue;
            }
            let Some(xml) = package.text(&name)? else {
                continue;
            };
            if !xml.contains('{') && !xml.contains("adapter") {
                continue;
            }
            let part =
                Part::parse(xml).map_err(|e| LettersError::Template(format!("{name} : {e}")))?;
            let mut paras = Vec::new();
            for (pi, p) in part.paras.iter().enumerate() {
                let placeholders: Vec<Occurrence> = placeholder_re()
                    .captures_iter(&p.text)
                    .map(|c| Occurrence {
                        range: c.get(0).expect("match").range(),
                        name: c[1].to_string(),
                    })
                    .collect();
                if placeholders.is_empty() {
                    continue;
                }
                for o in &placeholders {
                    if !names.contains(&o.name) {
                        names.push(o.name.clone());
                    }
                }
                let notes = note_re()
                    .find_iter(&p.text)
                    .filter_map(|m| {
                        let owner = placeholders
                            .iter()
                            .rposition(|o| o.range.end <= m.start())
                            .or_else(|| {
                                placeholders.iter().position(|o| o.range.start >= m.end())
                            })?;
                        Some((m.range(), owner))
                    })
                    .collect();
                paras.push(ParaFill {
                    para: pi,
                    placeholders,
                    notes,
                });
            }
            if !paras.is_empty() {
                parts.push(PartFill { name, part, paras });
            }
        }
        Ok(Template {
            package,
            parts,
            names,
        })
    }

    /// Every placeholder of the template, each once, in order.
    pub fn placeholders(&self) -> &[String] {
        &self.names
    }

    /// What filling with these values fills and leaves, without filling.
    pub(crate) fn outcome(&self, values: &Values) -> FillOutcome {
        let mut outcome = FillOutcome::default();
        for n in &self.names {
            match values.get(n) {
                Some(v) if !v.is_empty() => outcome.filled.push(n.clone()),
                _ => outcome.unfilled.push(n.clone()),
            }
        }
        outcome
    }

    /// The filled document and what was filled.
    pub(crate) fn fill(&self, values: &Values) -> Result<(Vec<u8>, FillOutcome), LettersError> {
        let outcome = self.outcome(values);
        let mut replaced = BTreeMap::new();
        for pf in &self.parts {
            let mut patches = Vec::new();
            for para in &pf.paras {
                patches.extend(fill_para(&pf.part, para, values));
            }
            let xml = &pf.part.xml;
            replaced.insert(pf.name.clone(), apply(xml, 0, patches, 0..xml.len()));
        }
        Ok((self.package.rewrite(&replaced)?, outcome))
    }
}

/// Fills a template in one call (see [`Template`] to fill one template many times).
pub fn fill_docx(template: &[u8], values: &Values) -> Result<(Vec<u8>, FillOutcome), LettersError> {
    Template::parse(template)?.fill(values)
}

fn value_of<'v>(values: &'v Values, name: &str) -> Option<&'v FillValue> {
    values.get(name).filter(|v| !v.is_empty())
}

fn text_of(v: Option<&FillValue>) -> String {
    match v {
        Some(FillValue::Text(t)) => t.trim().to_string(),
        Some(FillValue::List(items)) => items
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        Some(FillValue::Tables(blocks)) => blocks
            .iter()
            .filter(|b| !b.is_empty())
            .map(|b| b.as_text())
            .collect::<Vec<_>>()
            .join("\n"),
        None => DOTS.to_string(),
    }
}

/// Edits of a paragraph: placeholders by their values (`list` gives the item used for a
/// list placeholder), notes of filled placeholders removed.
fn edits(pf: &ParaFill, text: &str, values: &Values, list: Option<(&str, &str)>) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    for o in &pf.placeholders {
        let with = match list {
            Some((name, item)) if name == o.name => item.trim().to_string(),
            _ => text_of(value_of(values, &o.name)),
        };
        // « de {{x}} » with « Agen » is « d’Agen », with « Le Passage » « du Passage ».
        let before = &text[..o.range.start];
        let word_start = before
            .trim_end_matches([' ', '\u{a0}'])
            .rfind(|c: char| !c.is_alphabetic())
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let preposition = before[word_start..].trim_end_matches([' ', '\u{a0}']);
        let spaced = before.len() - word_start == preposition.len() + 1;
        if value_of(values, &o.name).is_some()
            && spaced
            && let Some((p, v)) = super::commune::contract(preposition, &with)
        {
            let sep = if p.ends_with('’') { "" } else { " " };
            out.push(Edit {
                range: word_start..o.range.end,
                with: format!("{p}{sep}{v}"),
            });
            continue;
        }
        out.push(Edit {
            range: o.range.clone(),
            with,
        });
    }
    for (range, owner) in &pf.notes {
        if value_of(values, &pf.placeholders[*owner].name).is_some() {
            out.push(Edit {
                range: range.clone(),
                with: String::new(),
            });
        }
    }
    out.sort_by_key(|e| e.range.start);
    // Overlaps cannot happen between a placeholder and a note (braces vs parentheses), but
    // stay safe: drop any edit starting inside the previous one.
    let mut kept: Vec<Edit> = Vec::with_capacity(out.len());
    for e in out {
        if kept.last().is_none_or(|k| e.range.start >= k.range.end) {
            kept.push(e);
        }
    }
    kept
}

fn fill_para(part: &Part, pf: &ParaFill, values: &Values) -> Vec<Patch> {
    let para: &Para = &part.paras[pf.para];
    let list = pf
        .placeholders
        .iter()
        .find_map(|o| match value_of(values, &o.name) {
            Some(FillValue::List(items)) => Some((o.name.as_str(), items)),
            _ => None,
        });
    let repeatable = !para.has_nested && !para.has_sect_pr;
    // Tables replace a paragraph that holds their placeholder alone.
    if repeatable
        && pf.placeholders.len() == 1
        && para.text.trim() == para.text[pf.placeholders[0].range.clone()].trim()
        && let Some(FillValue::Tables(blocks)) = value_of(values, &pf.placeholders[0].name)
    {
        return vec![Patch {
            span: para.span.clone(),
            with: super::table::blocks_xml(blocks),
        }];
    }
    match list {
        Some((name, items)) if repeatable => {
            let items: Vec<&String> = items.iter().filter(|i| !i.trim().is_empty()).collect();
            let mut xml = String::new();
            for (i, item) in items.iter().enumerate() {
                let e = edits(pf, &para.text, values, Some((name, item)));
                let mut patches = node_patches(part, pf.para, &e);
                if i > 0 {
                    // Copies must not repeat bookmarks or Word's paragraph ids.
                    for b in &para.bookmarks {
                        patches.push(Patch {
                            span: b.clone(),
                            with: String::new(),
                        });
                    }
                    patches.push(Patch {
                        span: para.start_tag.clone(),
                        with: strip_para_ids(&part.xml[para.start_tag.clone()]),
                    });
                }
                xml.push_str(&apply(&part.xml, 0, patches, para.span.clone()));
            }
            vec![Patch {
                span: para.span.clone(),
                with: xml,
            }]
        }
        _ => node_patches(part, pf.para, &edits(pf, &para.text, values, None)),
    }
}

fn strip_para_ids(tag: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"\s+[\w]+:(?:paraId|textId)="[^"]*""#).expect("regex"))
        .replace_all(tag, "")
        .into_owned()
}

/// The text of every paragraph of the main part (check boxes as `\u{E000}`), for checks.
#[cfg(test)]
pub(crate) fn paragraphs(docx: &[u8]) -> Result<Vec<String>, LettersError> {
    let package = Package::open(docx)?;
    let main = package.main_part()?;
    let xml = package
        .text(&main)?
        .ok_or_else(|| LettersError::Template(format!("partie {main} absente")))?;
    let part = Part::parse(xml)?;
    Ok(part.paras.iter().map(|p| p.text.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::package::write_new;

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml""#;

    fn docx(body: &str) -> Vec<u8> {
        write_new(&[
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.into(),
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.into(),
            ),
            (
                "word/document.xml",
                format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}</w:body></w:document>"#),
            ),
            ("word/media/image1.png", "\u{89}PNG not really".into()),
        ])
    }

    fn main_xml(bytes: &[u8]) -> String {
        Package::open(bytes)
            .unwrap()
            .text("word/document.xml")
            .unwrap()
            .unwrap()
    }

    fn vals(pairs: &[(&str, &str)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), FillValue::Text(v.to_string())))
            .collect()
    }

    #[test]
    fn a_placeholder_split_across_runs_takes_the_first_run_formatting() {
        let body = concat!(
            r#"<w:p w14:paraId="1A2B3C4D"><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Entre : {{eta</w:t></w:r>"#,
            r#"<w:proofErr w:type="spellStart"/><w:r w:rsidR="00C41E7A"><w:rPr><w:lang w:val="fr-FR"/></w:rPr><w:t>blisse</w:t></w:r>"#,
            r#"<w:bookmarkStart w:id="0" w:name="_Hlk1"/><w:r><w:t>ment}}</w:t></w:r><w:bookmarkEnd w:id="0"/><w:proofErr w:type="spellEnd"/>"#,
            r#"<w:r><w:t xml:space="preserve"> (identification) et {{ porteur }}.</w:t></w:r></w:p>"#
        );
        let t = Template::parse(&docx(body)).unwrap();
        assert_eq!(t.placeholders(), &["etablissement", "porteur"]);
        let (out, outcome) = t
            .fill(&vals(&[
                ("etablissement", "École A & B <1>"),
                ("porteur", "Les Amis"),
            ]))
            .unwrap();
        assert_eq!(outcome.filled, vec!["etablissement", "porteur"]);
        assert!(outcome.unfilled.is_empty());
        let xml = main_xml(&out);
        assert!(
            xml.contains(r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Entre : École A &amp; B &lt;1&gt;</w:t></w:r>"#),
            "{xml}"
        );
        // Marks between the pieces stay, emptied runs keep their properties.
        assert!(xml.contains(r#"<w:bookmarkStart w:id="0" w:name="_Hlk1"/>"#));
        assert!(
            xml.contains(r#"<w:r w:rsidR="00C41E7A"><w:rPr><w:lang w:val="fr-FR"/></w:rPr></w:r>"#)
        );
        assert!(xml.contains("et Les Amis."));
        assert!(!xml.contains("{{") && !xml.contains("}}"));
        assert_eq!(
            paragraphs(&out).unwrap(),
            vec!["Entre : École A & B <1> (identification) et Les Amis."]
        );
    }

    #[test]
    fn other_parts_are_copied_byte_for_byte() {
        let template = docx(r#"<w:p><w:r><w:t>{{x}}</w:t></w:r></w:p>"#);
        let (out, _) = fill_docx(&template, &vals(&[("x", "y")])).unwrap();
        let raw = |bytes: &[u8], name: &str| {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let f = z.by_name(name).unwrap();
            (f.compressed_size(), f.crc32(), f.compression())
        };
        for part in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/media/image1.png",
        ] {
            assert_eq!(raw(&template, part), raw(&out, part), "{part}");
        }
        let names = |b: &[u8]| Package::open(b).unwrap().names;
        assert_eq!(names(&template), names(&out), "same parts, same order");
    }

    #[test]
    fn unfilled_placeholders_become_dotted_lines_and_keep_their_notes() {
        let body = concat!(
            r#"<w:p><w:r><w:t xml:space="preserve">de {{territoire}} (cf : observatoire) ou autre (à adapter selon les territoires).</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">arrivés à {{territoire}} </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>(à </w:t></w:r><w:r><w:t>adapter)</w:t></w:r><w:r><w:t xml:space="preserve"> maitrisant</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>( à adapter)</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">Fait à {{ville}} (À adapter)</w:t></w:r></w:p>"#
        );
        let t = Template::parse(&docx(body)).unwrap();
        let (out, outcome) = t.fill(&vals(&[("territoire", "Agen")])).unwrap();
        assert_eq!(outcome.unfilled, vec!["ville"]);
        assert_eq!(
            paragraphs(&out).unwrap(),
            vec![
                "d’Agen (cf : observatoire) ou autre.",
                "arrivés à Agen maitrisant",
                "( à adapter)",
                "Fait à …………… (À adapter)",
            ]
        );
    }

    #[test]
    fn line_breaks_and_tabs_in_values() {
        let (out, _) = fill_docx(
            &docx(r#"<w:p><w:r><w:rPr><w:i/></w:rPr><w:t>Lieu : {{lieu}}.</w:t></w:r></w:p>"#),
            &vals(&[("lieu", "Salle des fêtes\n12 rue Haute\r\n47000 Agen")]),
        )
        .unwrap();
        let xml = main_xml(&out);
        assert!(
            xml.contains(r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">Lieu : Salle des fêtes</w:t><w:br/><w:t xml:space="preserve">12 rue Haute</w:t><w:br/><w:t xml:space="preserve">47000 Agen.</w:t></w:r>"#),
            "{xml}"
        );
        // The project's own reader sees the line breaks.
        let doc = crate::document::docx::parse_document_xml(&xml).unwrap();
        assert_eq!(
            doc.paragraphs[0].text(),
            "Lieu : Salle des fêtes\n12 rue Haute\n47000 Agen."
        );
    }

    #[test]
    fn a_list_repeats_its_paragraph_with_its_numbering() {
        let body = concat!(
            r#"<w:p w14:paraId="00000001" w14:textId="77777777"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>"#,
            r#"<w:bookmarkStart w:id="3" w:name="liste"/><w:r><w:t>{{pro</w:t></w:r><w:r><w:t>blemes}}</w:t></w:r><w:bookmarkEnd w:id="3"/></w:p>"#,
            r#"<w:p><w:r><w:t>Fin {{x}}</w:t></w:r></w:p>"#
        );
        let mut v = vals(&[("x", "ok")]);
        v.insert(
            "problemes".into(),
            FillValue::List(vec!["un".into(), "deux & trois".into(), " ".into()]),
        );
        let (out, outcome) = fill_docx(&docx(body), &v).unwrap();
        assert!(outcome.unfilled.is_empty());
        assert_eq!(
            paragraphs(&out).unwrap(),
            vec!["un", "deux & trois", "Fin ok"]
        );
        let xml = main_xml(&out);
        assert_eq!(xml.matches("<w:numId w:val=\"1\"/>").count(), 2, "{xml}");
        assert_eq!(
            xml.matches("w:bookmarkStart").count(),
            1,
            "bookmarks not repeated"
        );
        assert_eq!(
            xml.matches("w14:paraId").count(),
            1,
            "paragraph ids not repeated"
        );
        // An empty list is an unfilled place.
        v.insert("problemes".into(), FillValue::List(vec![]));
        let (out, outcome) = fill_docx(&docx(body), &v).unwrap();
        assert_eq!(outcome.unfilled, vec!["problemes"]);
        assert_eq!(paragraphs(&out).unwrap()[0], DOTS);
    }

    #[test]
    fn other_prefixes_deleted_text_and_field_codes() {
        let xml = r#"<?xml version="1.0"?><x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body><x:p><x:del><x:r><x:delText>{{a}}</x:delText></x:r></x:del><x:r><x:instrText> MERGEFIELD {{a}} </x:instrText></x:r><x:r><x:t>{{a}}</x:t></x:r></x:p></x:body></x:document>"#;
        let bytes = write_new(&[
            ("_rels/.rels", r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/main.xml"/></Relationships>"#.into()),
            ("word/main.xml", xml.into()),
        ]);
        let (out, _) = fill_docx(&bytes, &vals(&[("a", "A")])).unwrap();
        let xml = Package::open(&out)
            .unwrap()
            .text("word/main.xml")
            .unwrap()
            .unwrap();
        assert!(
            xml.contains(r#"<x:t xml:space="preserve">A</x:t>"#),
            "{xml}"
        );
        assert!(xml.contains("<x:delText>{{a}}</x:delText>"));
        assert!(xml.contains("MERGEFIELD {{a}}"));
    }

    #[test]
    fn not_a_docx() {
        assert!(matches!(
            Template::parse(b"PK\x03\x04 nope"),
            Err(LettersError::Template(_))
        ));
        let no_doc = write_new(&[("a.txt", "x".into())]);
        assert!(Template::parse(&no_doc).is_err());
    }
}
