//! The default letter template of `clas relance`, written from scratch as a small real Word
//! document: styles, a bullet list, a footer with a page number field. A Caf edits it in Word
//! or LibreOffice; its placeholders are those of [`RELANCE_PLACEHOLDERS`].
//!
//! This is the template's only source: clas builds it here when a workspace has no
//! `modeles/relance.docx` of its own. `forms/relance.docx` is an export of it
//! (`cargo run -p clas-letters`), for a Caf to copy into `modeles/` and edit; clas never reads
//! it, so the library depends on no file a tool writes.

use super::package::write_new;

/// The placeholders a letter template may use, with what they stand for.
pub const RELANCE_PLACEHOLDERS: &[(&str, &str)] = &[
    ("caf", "nom de la Caf"),
    ("ville_caf", "ville de la Caf"),
    ("date_lettre", "date du courrier"),
    ("porteur", "structure porteuse"),
    ("referent", "personne référente de l'action"),
    ("actions", "action(s) concernée(s) : numéro et lieu"),
    ("annee_scolaire", "année scolaire des bilans"),
    (
        "problemes",
        "tableaux par partie du bilan : question, ce qui a été lu, ce qui est attendu",
    ),
    ("a_renvoyer", "liste : les documents à renvoyer"),
    ("date_limite", "date limite de retour"),
    ("contact", "personne à contacter à la Caf"),
    ("signataire", "signataire du courrier"),
];

const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

#[derive(Clone, Copy)]
enum P {
    Plain,
    Bold,
    Right,
    Justified,
    Bullet,
    Empty,
    /// Justified, kept on the page of the next paragraph (the closing with the signature).
    KeepNext,
    KeepNextEmpty,
}

/// Which default letter: the one about errors, or the softer one about points to check.
#[derive(Clone, Copy)]
enum Kind {
    Relance,
    Verification,
}

/// The letter's paragraphs. No-break spaces (`\u{a0}`) keep « : » and « » » with their words.
fn body(kind: Kind) -> Vec<(P, &'static str)> {
    let (object, intro, send, after) = match kind {
        Kind::Relance => (
            "Objet\u{a0}: bilan CLAS {{annee_scolaire}} – éléments à compléter ou à corriger",
            "Nous avons bien reçu le bilan de votre action d’accompagnement à la scolarité pour l’année scolaire {{annee_scolaire}} et nous vous en remercions. À sa lecture, les points suivants doivent être complétés ou corrigés avant que nous puissions l’instruire\u{a0}:",
            "Merci de nous faire parvenir au plus tard le {{date_limite}}\u{a0}:",
            "Vous pouvez corriger directement le bilan que vous nous avez envoyé. Pour toute question, n’hésitez pas à nous contacter\u{a0}: {{contact}}.",
        ),
        Kind::Verification => (
            "Objet\u{a0}: bilan CLAS {{annee_scolaire}} – quelques points à vérifier",
            "Nous avons bien reçu le bilan de votre action d’accompagnement à la scolarité pour l’année scolaire {{annee_scolaire}} et nous vous en remercions. Quelques réponses méritent une vérification de votre part\u{a0}; elles n’empêchent pas l’instruction de votre dossier\u{a0}:",
            "Si ces éléments sont exacts, une simple confirmation suffit. Merci de nous faire parvenir, si possible avant le {{date_limite}}\u{a0}:",
            "Vous pouvez corriger directement le bilan que vous nous avez envoyé. Pour toute question, n’hésitez pas à nous contacter\u{a0}: {{contact}}.",
        ),
    };
    vec![
        (P::Bold, "{{caf}}"),
        (P::Plain, "Accompagnement à la scolarité (CLAS)"),
        (P::Empty, ""),
        (P::Right, "{{porteur}}"),
        (P::Right, "À l’attention de {{referent}}"),
        (P::Empty, ""),
        (P::Right, "{{ville_caf}}, le {{date_lettre}}"),
        (P::Empty, ""),
        (P::Bold, object),
        (P::Plain, "Action concernée\u{a0}: {{actions}}"),
        (P::Empty, ""),
        (P::Plain, "Madame, Monsieur,"),
        (P::Justified, intro),
        (P::Plain, "{{problemes}}"),
        (P::Justified, send),
        (P::Bullet, "{{a_renvoyer}}"),
        (P::Justified, after),
        (
            P::KeepNext,
            "Nous vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.",
        ),
        (P::KeepNextEmpty, ""),
        (P::Right, "{{signataire}}"),
    ]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn run(text: &str, bold: bool) -> String {
    if text.is_empty() {
        return String::new();
    }
    let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    format!(
        r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

fn document_xml(letter: Kind) -> String {
    let mut body = String::new();
    for (kind, text) in self::body(letter) {
        let (ppr, bold) = match kind {
            P::KeepNext => (r#"<w:pPr><w:keepNext/><w:jc w:val="both"/></w:pPr>"#, false),
            P::KeepNextEmpty => ("<w:pPr><w:keepNext/></w:pPr>", false),
            P::Plain | P::Empty => ("", false),
            P::Bold => ("", true),
            P::Right => (r#"<w:pPr><w:jc w:val="right"/></w:pPr>"#, false),
            P::Justified => (r#"<w:pPr><w:jc w:val="both"/></w:pPr>"#, false),
            P::Bullet => (
                r#"<w:pPr><w:pStyle w:val="Paragraphedeliste"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:jc w:val="both"/></w:pPr>"#,
                false,
            ),
        };
        body.push_str(&format!("<w:p>{ppr}{}</w:p>", run(text, bold)));
    }
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<w:document {ns}><w:body>{body}"#,
            r#"<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>"#,
            r#"<w:pgSz w:w="11906" w:h="16838"/>"#,
            r#"<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/>"#,
            r#"</w:sectPr></w:body></w:document>"#
        ),
        ns = W_NS,
        body = body
    )
}

fn footer_xml() -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<w:ftr {ns}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>"#,
            r#"<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{{{{caf}}}} – bilan CLAS – page </w:t></w:r>"#,
            r#"<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>"#,
            r#"<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>"#,
            r#"<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>"#,
            r#"<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r>"#,
            r#"<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>"#,
            r#"</w:p></w:ftr>"#
        ),
        ns = W_NS
    )
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="fr-FR" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="Policepardfaut"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="paragraph" w:styleId="Paragraphedeliste"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/><w:qFormat/><w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Pieddepage"><w:name w:val="footer"/><w:basedOn w:val="Normal"/></w:style></w:styles>"#;

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Relance bilan CLAS</dc:title><dc:creator>Caf</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"#;

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>clas</Application></Properties>"#;

/// The default letter template as .docx bytes (the same bytes on every call).
pub fn default_relance_template() -> Vec<u8> {
    template(Kind::Relance)
}

/// The default template of the softer letter about points to check (`clas relance
/// --avertissements`); a workspace's `modeles/verification.docx` replaces it.
pub fn default_verification_template() -> Vec<u8> {
    template(Kind::Verification)
}

fn template(kind: Kind) -> Vec<u8> {
    write_new(&[
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", CORE.to_string()),
        ("docProps/app.xml", APP.to_string()),
        ("word/document.xml", document_xml(kind)),
        ("word/styles.xml", STYLES.to_string()),
        ("word/numbering.xml", NUMBERING.to_string()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/footer1.xml", footer_xml()),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
    ])
}
