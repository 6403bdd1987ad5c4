//! Keeping a convention's signature block with its heading: from the last « Article … »
//! heading before « Fait à {{ville_caf}} » to the end of the signature table, every paragraph
//! is kept with the next and no table row splits, so the block never starts a page alone.

use std::collections::BTreeMap;

use super::LettersError;
use super::model::Part;
use super::package::Package;
use crate::text::fold;

/// `<w:keepNext/>` in a paragraph's properties, after its style (the schema's order).
fn keep_next(p_xml: &str) -> String {
    if p_xml.contains("<w:keepNext/>") {
        return p_xml.to_string();
    }
    let Some(tag_end) = p_xml.find('>') else {
        return p_xml.to_string();
    };
    if p_xml[..tag_end].ends_with('/') {
        return p_xml.to_string();
    }
    let after_tag = tag_end + 1;
    if p_xml[after_tag..].starts_with("<w:pPr>") {
        let ppr = after_tag + "<w:pPr>".len();
        let at = if p_xml[ppr..].starts_with("<w:pStyle") {
            ppr + p_xml[ppr..].find("/>").map_or(0, |i| i + 2)
        } else {
            ppr
        };
        format!("{}<w:keepNext/>{}", &p_xml[..at], &p_xml[at..])
    } else {
        format!(
            "{}<w:pPr><w:keepNext/></w:pPr>{}",
            &p_xml[..after_tag],
            &p_xml[after_tag..]
        )
    }
}

/// The template with its signature block kept together; unchanged when it has no
/// `{{ville_caf}}` or no heading before it.
pub(crate) fn keep_signature_with_heading(template: &[u8]) -> Result<Vec<u8>, LettersError> {
    let package = Package::open(template)?;
    let main = package.main_part()?;
    let Some(xml) = package.text(&main)? else {
        return Ok(template.to_vec());
    };
    let part = Part::parse(xml.clone())?;
    let Some(fait) = part.paras.iter().position(|p| p.text.contains("ville_caf")) else {
        return Ok(template.to_vec());
    };
    let Some(heading) = part.paras[..fait]
        .iter()
        .rposition(|p| fold(p.text.trim()).starts_with("article"))
    else {
        return Ok(template.to_vec());
    };
    let start = part.paras[heading].span.start;
    let after_fait = part.paras[fait].span.end;
    let end = xml[after_fait..]
        .find("</w:tbl>")
        .map_or(after_fait, |i| after_fait + i + "</w:tbl>".len());
    let mut block = String::with_capacity(end - start + 1024);
    let mut at = start;
    for p in part
        .paras
        .iter()
        .filter(|p| p.span.start >= start && p.span.end <= end)
    {
        if p.span.start < at {
            continue;
        }
        block.push_str(&xml[at..p.span.start]);
        block.push_str(&keep_next(&xml[p.span.clone()]));
        at = p.span.end;
    }
    block.push_str(&xml[at..end]);
    // No row of the signature table split across pages.
    let row = regex::Regex::new(r"<w:tr(?:\s[^>]*)?>(<w:trPr>)?").expect("regex");
    let block = row.replace_all(&block, |c: &regex::Captures| {
        let tag = c[0].trim_end_matches("<w:trPr>");
        format!(
            "{tag}<w:trPr><w:cantSplit/>{}",
            if c.get(1).is_some() { "" } else { "</w:trPr>" }
        )
    });
    let out = format!("{}{block}{}", &xml[..start], &xml[end..]);
    let mut replaced = BTreeMap::new();
    replaced.insert(main, out);
    package.rewrite(&replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_next_goes_after_the_style() {
        assert_eq!(
            keep_next(r#"<w:p><w:pPr><w:pStyle w:val="T"/><w:jc w:val="left"/></w:pPr></w:p>"#),
            r#"<w:p><w:pPr><w:pStyle w:val="T"/><w:keepNext/><w:jc w:val="left"/></w:pPr></w:p>"#
        );
        assert_eq!(
            keep_next("<w:p><w:r><w:t>a</w:t></w:r></w:p>"),
            "<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:t>a</w:t></w:r></w:p>"
        );
        assert_eq!(keep_next("<w:p/>"), "<w:p/>");
    }

    #[test]
    fn the_shipped_convention_keeps_article_6_with_the_signatures() {
        let t = include_bytes!("../../forms/convention.docx");
        let out = keep_signature_with_heading(t).unwrap();
        let xml = Package::open(&out)
            .unwrap()
            .text("word/document.xml")
            .unwrap()
            .unwrap();
        let a6 = xml.find("Article 6").expect("article 6");
        let before = &xml[..a6];
        let p_start = before.rfind("<w:p>").max(before.rfind("<w:p ")).unwrap();
        assert!(
            xml[p_start..a6].contains("<w:keepNext/>"),
            "{}",
            &xml[p_start..a6]
        );
        let fait = xml.find("Fait à").unwrap();
        assert!(xml[..fait].rfind("<w:keepNext/>").unwrap() > a6);
        assert!(xml.contains("<w:cantSplit/>"));
    }
}
