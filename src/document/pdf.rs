//! PDF reader (lopdf): the text layer in reading order, with check boxes — AcroForm widgets,
//! ☒/☐ glyphs and the small squares LibreOffice and Word draw for legacy check boxes — so that
//! the mappings written for Word read a PDF unchanged.
//!
//! Each page is interpreted (`content`, fonts decoded by `font` and `cmap` with the Adobe
//! tables of `encodings`, `glyph_names` and `font_metrics`): text runs with their positions
//! (`frag`), and the paths that may be check boxes or table borders (`shapes`); the object
//! tree is walked through `objects`, and page space is set by `geometry`.
//! Runs are grouped into lines by baseline (`layout`); check boxes, the values of fillable
//! fields and text typed with a viewer (`acroform`) are placed into the line they stand on.
//! Ruled tables become cells (`grid`, `page`), lines a paragraph was wrapped into are
//! joined again, and running headers and footers are dropped (`furniture`).
//!
//! A paragraph of the [`Document`] is a PDF paragraph as laid out: one line, or the lines of
//! one wrapped paragraph (`Place::Line` of its first line), or a table cell's paragraph.
//! Every lopdf call runs under `catch_unwind`, and every loop is bounded: a hostile PDF gives
//! an error, never a panic or a hang.

mod acroform;
mod cmap;
mod content;
mod encodings;
mod font;
mod font_metrics;
mod frag;
mod furniture;
mod geometry;
mod glyph_names;
mod grid;
mod layout;
mod legibility;
mod ligatures;
mod objects;
mod page;
mod shapes;

use std::cell::Cell as StdCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use lopdf::ObjectId;

use self::geometry::PageGeometry;
use self::objects::{MAX_STREAM, dict, inherited};
use super::{Document, Format, ReadError};

/// Largest PDF read.
const MAX_FILE: usize = 256 * 1024 * 1024;
/// Pages read at most; a bilan has a few.
const MAX_PAGES: usize = 500;
/// Content operators interpreted on one page, form XObjects included.
const MAX_OPS_PER_PAGE: usize = 2_000_000;
/// Content bytes inflated for the whole document.
const MAX_CONTENT_TOTAL: usize = 256 * 1024 * 1024;

pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    guarded(|| read_unguarded(bytes))
}

thread_local! {
    static QUIET: StdCell<usize> = const { StdCell::new(0) };
}

/// Runs `f`, turning a panic (in lopdf) into an error, without the panic message on stderr.
fn guarded<T>(f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| q.get()) == 0 {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(q.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    result.unwrap_or_else(|_| {
        Err(corrupt(
            "structure du PDF incohérente (la lecture a échoué) : ouvrez-le et enregistrez-le à nouveau en PDF",
        ))
    })
}

/// A PDF that cannot be read. `ReadError::Corrupt` speaks of a Word document, so the message
/// is carried whole.
fn corrupt(why: &str) -> ReadError {
    ReadError::Other(format!("le fichier n'est pas un PDF lisible : {why}"))
}

/// Objects, but no end of file: the file was cut.
fn truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    !tail.windows(5).any(|w| w == b"%%EOF") && memchr::memmem::find(bytes, b"endobj").is_some()
}

fn load_error(e: lopdf::Error, bytes: &[u8]) -> ReadError {
    match e {
        lopdf::Error::InvalidPassword
        | lopdf::Error::Decryption(_)
        | lopdf::Error::UnsupportedSecurityHandler(_) => ReadError::Encrypted,
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            ReadError::Other(format!(
                "PDF refusé : un de ses flux dépasse {} Mo une fois décompressé (fichier suspect)",
                MAX_STREAM / (1024 * 1024)
            ))
        }
        _ if truncated(bytes) => corrupt(
            "fichier tronqué (fin de fichier absente : téléchargement ou copie incomplète ?)",
        ),
        _ => corrupt("structure invalide (en-tête, table des objets ou objets illisibles)"),
    }
}

fn read_unguarded(bytes: &[u8]) -> Result<Document, ReadError> {
    if bytes.len() > MAX_FILE {
        return Err(ReadError::Other(format!(
            "PDF trop volumineux ({} Mo) : un bilan en fait moins de {} Mo",
            bytes.len() / (1024 * 1024),
            MAX_FILE / (1024 * 1024)
        )));
    }
    let options = || lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM),
        ..Default::default()
    };
    let mut doc = lopdf::Document::load_mem_with_options(bytes, options())
        .map_err(|e| load_error(e, bytes))?;
    if doc.is_encrypted() {
        // lopdf opens a PDF whose user password is empty by itself; ask once more explicitly,
        // in case it did not, before giving up.
        let mut with_empty = options();
        with_empty.password = Some(String::new());
        match lopdf::Document::load_mem_with_options(bytes, with_empty) {
            Ok(d) if !d.is_encrypted() => doc = d,
            _ => return Err(ReadError::Encrypted),
        }
    }
    if doc.xref_recovery == Some(lopdf::xref::XrefRecovery::Reconstructed) {
        return Err(if truncated(bytes) {
            corrupt(
                "fichier tronqué (fin de fichier absente : téléchargement ou copie incomplète ?)",
            )
        } else {
            corrupt(
                "table des objets absente ou endommagée : ouvrez-le et enregistrez-le à nouveau en PDF",
            )
        });
    }
    let pages: Vec<ObjectId> = doc.page_iter().take(MAX_PAGES + 1).collect();
    if pages.len() > MAX_PAGES {
        return Err(ReadError::Other(format!(
            "PDF de plus de {MAX_PAGES} pages : ce n'est pas un formulaire CLAS"
        )));
    }
    if pages.is_empty() {
        return Err(corrupt("aucune page trouvée"));
    }

    let form = acroform::read(&doc, &pages);
    let mut fonts = content::FontCache::default();
    let mut budget = MAX_CONTENT_TOTAL;
    let mut paragraphs = Vec::new();
    let mut pages_out = Vec::with_capacity(pages.len());
    let mut legible = false;
    let mut text_seen = legibility::Legibility::default();
    let mut undecodable = false;
    for (index, &page_id) in pages.iter().enumerate() {
        let Ok(page) = doc.get_dictionary(page_id) else {
            pages_out.push(page::PageOut {
                top: 0.0,
                bottom: 0.0,
                blocks: Vec::new(),
            });
            continue;
        };
        let geometry = PageGeometry::of(&doc, page);
        let data = doc
            .get_page_content_with_limit(page_id, MAX_STREAM.min(budget))
            .map_err(|_| {
                ReadError::Other(format!(
                    "PDF refusé : le contenu de la page {} dépasse {} Mo une fois décompressé (fichier suspect)",
                    index + 1,
                    MAX_STREAM.min(budget) / (1024 * 1024)
                ))
            })?;
        budget = budget.saturating_sub(data.len());
        let resources = inherited(&doc, page, b"Resources").and_then(|o| dict(&doc, o));
        let mut scan = content::Scanner::new(&doc, &mut fonts, geometry.base, MAX_OPS_PER_PAGE);
        scan.run(&data, resources);
        if scan.over_budget {
            return Err(ReadError::Other(format!(
                "PDF refusé : la page {} est trop complexe (plus de {} opérations de dessin)",
                index + 1,
                MAX_OPS_PER_PAGE
            )));
        }
        let content::Scanner {
            mut frags,
            mut shapes,
            ..
        } = scan;
        for (_, stroke) in form.ink.iter().filter(|(p, _)| *p == index) {
            let mut points = stroke.iter().map(|&(x, y)| geometry.base.apply(x, y));
            if let Some(first) = points.next() {
                shapes.move_to(first);
                points.for_each(|p| shapes.line_to(p));
                shapes.paint(true, false, false, None);
            }
        }
        let boxes = shapes.finish(&mut frags);
        let mut floats: Vec<layout::Float> = boxes
            .into_iter()
            .map(|b| layout::Float::check(b.rect, b.checked, super::CheckKind::Drawn, None))
            .collect();
        for w in form.widgets.iter().filter(|w| w.page == index) {
            if let Some(f) = w.float(&geometry) {
                floats.push(f);
            }
        }
        // Drawn squares under a widget are the widget's frame: the widget tells its state.
        layout::drop_frames_under_widgets(&mut floats);
        for f in &frags {
            text_seen.add(&f.text);
            if f.text.chars().any(|c| c.is_alphanumeric()) {
                legible = true;
            } else if f.text.contains('\u{FFFD}') {
                undecodable = true;
            }
        }
        pages_out.push(page::PageOut {
            top: geometry.top,
            bottom: geometry.bottom,
            blocks: page::assemble(frags, floats, &shapes.rules()),
        });
    }
    furniture::strip(&mut pages_out);
    page::merge_across_pages(&mut pages_out);
    page::join_lines(&mut pages_out);
    let mut tables = Vec::new();
    page::emit(pages_out, &mut paragraphs, &mut tables);
    if text_seen.is_garbage() && form.fields.is_empty() {
        return Err(ReadError::Other(
            "texte du PDF illisible : saisie manuelle nécessaire (ses polices ne disent pas \
             quelles lettres elles dessinent, comme après une impression en PostScript)"
                .into(),
        ));
    }
    if !legible && form.fields.is_empty() {
        return Err(ReadError::Other(if undecodable {
            "PDF dont le texte n'est pas lisible (polices sans table Unicode) : saisie manuelle nécessaire".into()
        } else {
            "PDF sans texte (document scanné) : saisie manuelle nécessaire".into()
        }));
    }
    Ok(Document {
        format: Format::Pdf,
        paragraphs,
        tables,
        fields: form.fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Inline;

    use crate::document::{Check, CheckKind, FieldContent};
    use lopdf::{Dictionary, Object, Stream, dictionary};

    /// A one-page PDF: `fonts` (name, font dictionary) and `xobjects` in its resources,
    /// `annots` (widget dictionaries, also the AcroForm's fields) on it.
    fn one_page(
        mut doc: lopdf::Document,
        content: &str,
        fonts: Vec<(&str, Dictionary)>,
        xobjects: Vec<(&str, Stream)>,
        annots: Vec<Dictionary>,
    ) -> Vec<u8> {
        let pages_id = doc.new_object_id();
        let mut font_dict = Dictionary::new();
        for (n, f) in fonts {
            let id = doc.add_object(f);
            font_dict.set(n, id);
        }
        let mut xo = Dictionary::new();
        for (n, x) in xobjects {
            let id = doc.add_object(x);
            xo.set(n, id);
        }
        let content_id =
            doc.add_object(Stream::new(Dictionary::new(), content.as_bytes().to_vec()));
        let annot_ids: Vec<Object> = annots
            .into_iter()
            .map(|a| Object::Reference(doc.add_object(a)))
            .collect();
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content_id,
            "Resources" => dictionary! { "Font" => font_dict, "XObject" => xo },
            "Annots" => annot_ids.clone(),
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let acroform = doc.add_object(dictionary! { "Fields" => annot_ids });
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages_id, "AcroForm" => acroform,
        });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn new() -> lopdf::Document {
        lopdf::Document::with_version("1.7")
    }

    fn helvetica() -> Dictionary {
        dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        }
    }

    /// Each line as text, boxes as [X] / [ ] (their kind's initial after it).
    fn lines(bytes: &[u8]) -> Vec<String> {
        let doc = read(bytes).unwrap();
        doc.paragraphs
            .iter()
            .map(|p| {
                let mut s = String::new();
                for i in &p.inlines {
                    match i {
                        Inline::Text(t) => s.push_str(t),
                        Inline::Check(Check { checked, kind, .. }) => {
                            s.push_str(if *checked { "[X" } else { "[ " });
                            s.push(match kind {
                                CheckKind::Drawn => 'd',
                                CheckKind::Glyph => 'g',
                                CheckKind::Widget => 'w',
                                _ => '?',
                            });
                            s.push(']');
                        }
                    }
                }
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect()
    }

    #[test]
    fn libreoffice_legacy_check_boxes_are_drawn_squares() {
        // As LibreOffice exports a Word FORMCHECKBOX: `re S`, and two diagonals when ticked.
        let content = r"BT /F1 11 Tf 72.1 700 Td (Difficult\351 scolaire :) Tj ET
            BT /F1 11 Tf 72.1 680 Td (oui  ) Tj ET
            0 0 0 RG 96.25 677.9 11.8 11.8 re S
            96.25 689.7 m 108 677.95 l S 108 689.7 m 96.25 677.95 l S
            BT /F1 11 Tf 120 680 Td (non) Tj ET 150 677.9 11.8 11.8 re S";
        let got = lines(&one_page(
            new(),
            content,
            vec![("F1", helvetica())],
            vec![],
            vec![],
        ));
        assert_eq!(got, ["Difficulté scolaire :", "oui [Xd] non [ d]"]);
    }

    #[test]
    fn squares_of_four_strokes_or_bars_and_filled_marks() {
        let content = "BT /F1 10 Tf 50 700 Td (A) Tj ET
            60 697 m 70 697 l S 70 697 m 70 707 l S 70 707 m 60 707 l S 60 707 m 60 697 l S
            BT /F1 10 Tf 100 700 Td (B) Tj ET
            110 697 10 0.5 re f 110 706.5 10 0.5 re f 110 697 0.5 10 re f 119.5 697 0.5 10 re f
            112 699 6 6 re f
            BT /F1 10 Tf 150 700 Td (C) Tj ET
            160 697 10 10 re S BT /F1 10 Tf 162 699 Td (3) Tj ET";
        let got = lines(&one_page(
            new(),
            content,
            vec![("F1", helvetica())],
            vec![],
            vec![],
        ));
        // A square around a digit is a frame, not a box.
        assert_eq!(got, ["A [ d] B [Xd] C 3"]);
    }

    /// A fillable form flattened by a re-print: the fields' appearances are page content.
    #[test]
    fn flattened_form_fields_read_as_boxes_and_text() {
        let mut doc = new();
        // pdftocairo: the tick is « 4 » of URW's ZapfDingbats, its ToUnicode says « 4 ».
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <00> <FF> endcodespacerange
            1 beginbfchar <34> <0034> endbfchar endcmap end end"
            .to_vec();
        let to_unicode = doc.add_object(Stream::new(Dictionary::new(), cmap));
        let urw = dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "VLFXAK+D050000L",
            "Encoding" => "WinAnsiEncoding", "ToUnicode" => to_unicode,
            "FontDescriptor" => dictionary! { "FontName" => "VLFXAK+D050000L" },
        };
        // Ghostscript: a text field's border stroked with the clip its appearance left
        // pending, a box's border with the next field's clip, each under the widget's clip.
        let content = r"BT /F1 10 Tf 50 740 Td (Associatif) Tj ET
            BT /Z 5 Tf 107.2 740 Td (4) Tj ET
            BT /F1 10 Tf 50 720 Td (Municipal) Tj ET
            q 104.8 717.1 9 9 re W n 0.6 w 0 G 106.8 718.1 477 27 re 105.1 717.4 8.4 8.4 re S Q
            BT /F1 10 Tf 50 700 Td (Scolaire 4) Tj ET
            BT /F1 10 Tf 50 680 Td (Lieu :) Tj ET
            q 56 633 483 30 re W n 1 w 0.75 G 58 634 407.6 12 re 57 634 481 28 re S
            BT /F1 10 Tf 58 652.7 Td (Centre social du Pin) Tj 0 -11.6 Td (12 rue des Lilas) Tj ET
            Q
            BT /F1 10 Tf 50 600 Td (Fin.) Tj ET";
        let bytes = one_page(
            doc,
            content,
            vec![("F1", helvetica()), ("Z", urw)],
            vec![],
            vec![],
        );
        assert_eq!(
            lines(&bytes),
            [
                "Associatif [Xg]",
                "Municipal [ d]",
                // The same code in a text font is the digit.
                "Scolaire 4",
                "Lieu :",
                "Centre social du Pin 12 rue des Lilas",
                "Fin."
            ]
        );
        // The field's border and the leftover clip are not a table of two rows.
        assert!(read(&bytes).unwrap().tables.is_empty());
    }

    #[test]
    fn fonts_type0_to_unicode_differences_and_tj_spaces() {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            3 beginbfchar <0001> <004E> <0002> <006F> <0003> <006D> endbfchar
            endcmap end end"
            .to_vec();
        let mut doc = new();
        let to_unicode = doc.add_object(Stream::new(Dictionary::new(), cmap));
        let mut doc_fonts = vec![("F1", helvetica())];
        let type0 = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+Calibri",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+Calibri",
                "DW" => 500,
            })],
            "ToUnicode" => to_unicode,
        };
        doc_fonts.push(("F2", type0));
        doc_fonts.push((
            "F3",
            dictionary! {
                "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Times-Roman",
                "Encoding" => dictionary! {
                    "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                    "Differences" => vec![39.into(), "quoteright".into(), 200.into(), "eacute".into()],
                },
            },
        ));
        let content = r"BT /F2 12 Tf 50 700 Td <000100020003> Tj ET
            BT /F1 12 Tf 50 680 Td [(Lieu)-400(de)-60(rou)-20(lement)] TJ ET
            BT /F3 12 Tf 50 660 Td (l'action d\310j\340) Tj ET";
        let got = lines(&one_page(doc, content, doc_fonts, vec![], vec![]));
        assert_eq!(got, ["Nom", "Lieu deroulement", "l’action déjà"]);
    }

    #[test]
    fn symbol_fonts_and_form_xobjects() {
        let wingdings = dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Wingdings",
            "FirstChar" => 32, "LastChar" => 255,
        };
        let form = Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 500.into(), 50.into()],
                "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 0.into(), 600.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => helvetica() } },
            },
            b"BT /F1 11 Tf 50 10 Td (Dans un formulaire XObject) Tj ET".to_vec(),
        );
        let content = "BT /F1 11 Tf 50 700 Td (oui ) Tj /W 11 Tf <FE> Tj /F1 11 Tf ( non ) Tj /W 11 Tf <A8> Tj ET
            /X1 Do
            BT /F1 11 Tf 0 1 -1 0 20 400 Tm (Note en marge) Tj ET";
        let got = lines(&one_page(
            new(),
            content,
            vec![("F1", helvetica()), ("W", wingdings)],
            vec![("X1", form)],
            vec![],
        ));
        // Text turned sideways (a margin note) is left out.
        assert_eq!(got, ["oui [Xg] non [ g]", "Dans un formulaire XObject"]);
    }

    #[test]
    fn widgets_take_their_place_in_the_text() {
        let mut doc = new();
        let on = doc.add_object(Stream::new(Dictionary::new(), b"".to_vec()));
        let widget = |name: &str, x: f64, state: &str| {
            dictionary! {
                "Type" => "Annot", "Subtype" => "Widget", "FT" => "Btn",
                "T" => Object::string_literal(name),
                "Rect" => vec![Object::Real(x as f32), 698.into(), Object::Real(x as f32 + 9.0), 707.into()],
                "V" => Object::Name(state.as_bytes().to_vec()),
                "AS" => Object::Name(state.as_bytes().to_vec()),
                "AP" => dictionary! { "N" => dictionary! { "Oui" => on, "Off" => on } },
            }
        };
        let text = dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx",
            "T" => Object::string_literal("nom"),
            "Rect" => vec![180.into(), 716.into(), 500.into(), 731.into()],
            "V" => Object::String(b"\xFE\xFF\x00C\x00a\x00f\x00\xe9".to_vec(), lopdf::StringFormat::Literal),
            "DA" => Object::string_literal("/Helv 10 Tf 0 g"),
        };
        let content = "BT /F1 10 Tf 56 720 Td (Nom du porteur :) Tj ET
            BT /F1 10 Tf 76 700 Td (oui) Tj ET BT /F1 10 Tf 166 700 Td (non) Tj ET";
        let bytes = one_page(
            doc,
            content,
            vec![("F1", helvetica())],
            vec![],
            vec![
                text,
                widget("q_oui", 100.0, "Oui"),
                widget("q_non", 190.0, "Off"),
            ],
        );
        assert_eq!(
            lines(&bytes),
            ["Nom du porteur : Café", "oui [Xw] non [ w]"]
        );
        let doc = read(&bytes).unwrap();
        assert_eq!(doc.fields.len(), 3);
        assert_eq!(doc.fields[0].value, FieldContent::Text("Café".into()));
        assert_eq!(doc.fields[1].value, FieldContent::Check(true));
        assert_eq!(doc.fields[2].value, FieldContent::Check(false));
    }

    #[test]
    fn text_typed_and_ticks_drawn_on_a_flat_pdf() {
        // A PDF without fields filled with a viewer: a FreeText annotation after the label,
        // an ink tick in the printed box.
        let free_text = dictionary! {
            "Type" => "Annot", "Subtype" => "FreeText",
            "Rect" => vec![170.into(), 716.into(), 400.into(), 732.into()],
            "Contents" => Object::string_literal("Les Petits Savants"),
            "DA" => Object::string_literal("/Helv 11 Tf 0 g"),
        };
        let ink = dictionary! {
            "Type" => "Annot", "Subtype" => "Ink",
            "Rect" => vec![90.into(), 690.into(), 110.into(), 712.into()],
            "InkList" => vec![Object::Array(
                [(98.5, 703.0), (99.5, 701.5), (100.5, 700.0), (102.0, 702.0), (104.0, 705.0), (106.0, 708.0)]
                    .iter()
                    .flat_map(|&(x, y)| [Object::Real(x), Object::Real(y)])
                    .collect(),
            )],
        };
        let content = "BT /F1 10 Tf 56 720 Td (Nom du porteur :) Tj ET
            BT /F1 10 Tf 76 700 Td (oui) Tj ET 96 698 10 10 re S
            BT /F1 10 Tf 166 700 Td (non) Tj ET 186 698 10 10 re S";
        let bytes = one_page(
            new(),
            content,
            vec![("F1", helvetica())],
            vec![],
            vec![free_text, ink],
        );
        assert_eq!(
            lines(&bytes),
            ["Nom du porteur : Les Petits Savants", "oui [Xd] non [ d]"]
        );
    }

    #[test]
    fn running_footers_are_not_text() {
        let mut objects = Vec::new();
        for page in 1..=2 {
            objects.push(format!(
                "BT /F1 11 Tf 56 700 Td (Question {page}) Tj ET BT /F1 8 Tf 250 30 Td (Bilan CLAS - page {page}/2) Tj ET"
            ));
        }
        let mut doc = lopdf::Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(helvetica());
        let mut kids = Vec::new();
        for c in objects {
            let content = doc.add_object(Stream::new(Dictionary::new(), c.into_bytes()));
            kids.push(Object::Reference(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            })));
        }
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        assert_eq!(lines(&bytes), ["Question 1", "Question 2"]);
    }

    #[test]
    fn an_answer_over_a_page_break_is_one_paragraph() {
        let mut doc = new();
        let pages_id = doc.new_object_id();
        let font = doc.add_object(helvetica());
        let contents = [
            r"BT /F1 10 Tf 56 700 Td (Globalement, quel bilan ?) Tj ET
             BT /F1 10 Tf 56 686 Td (...............................................................................................................................) Tj ET
             BT /F1 10 Tf 56 80 Td (Une ann\351e riche en rencontres avec les familles et les \351coles du quartier, avec) Tj ET",
            r"BT /F1 10 Tf 56 780 Td (des sorties au mus\351e.) Tj ET
             BT /F1 10 Tf 56 760 Td (Quelles difficult\351s ?) Tj ET",
        ];
        let mut kids = Vec::new();
        for c in contents {
            let content = doc.add_object(Stream::new(Dictionary::new(), c.as_bytes().to_vec()));
            kids.push(Object::Reference(doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            })));
        }
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let got = lines(&bytes);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(
            got[2].ends_with("du quartier, avec des sorties au musée."),
            "{got:?}"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [
            &b"%PDF-1.4\n"[..],
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
            b"%PDF-1.4\n1 0 obj [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ endobj trailer << /Root 1 0 R >>\n%%EOF",
        ] {
            assert!(read(bytes).is_err());
        }
    }

    /// Reading speed: `PDF_TIME_DIR=dir cargo test --release --lib pdf_speed -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn pdf_speed() {
        let dir = std::env::var("PDF_TIME_DIR").expect("PDF_TIME_DIR=dir");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        files.sort();
        let (mut pages, mut bytes) = (0usize, 0usize);
        let t = std::time::Instant::now();
        for f in &files {
            let data = std::fs::read(f).unwrap();
            bytes += data.len();
            if let Ok(doc) = read(&data) {
                pages += doc
                    .paragraphs
                    .iter()
                    .filter_map(|p| match p.place {
                        crate::document::Place::Line { page, .. } => Some(page),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
            }
        }
        let e = t.elapsed();
        println!(
            "{} fichiers, {pages} pages, {} Ko : {:?}, {:.2} ms/page, {:.1} ms/fichier",
            files.len(),
            bytes / 1024,
            e,
            e.as_secs_f64() * 1000.0 / pages.max(1) as f64,
            e.as_secs_f64() * 1000.0 / files.len().max(1) as f64
        );
    }

    /// Shows what the reader makes of a PDF: `PDF_DUMP=file.pdf cargo test dump -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn dump() {
        let path = std::env::var("PDF_DUMP").expect("PDF_DUMP=file.pdf");
        let bytes = std::fs::read(path).unwrap();
        let t = std::time::Instant::now();
        let doc = read(&bytes);
        eprintln!("read in {:?}", t.elapsed());
        let doc = doc.unwrap();
        for p in &doc.paragraphs {
            let mut s = String::new();
            for i in &p.inlines {
                match i {
                    Inline::Text(t) => s.push_str(t),
                    Inline::Check(c) => s.push_str(if c.checked { "[X]" } else { "[ ]" }),
                }
            }
            println!("{}\t{s}", p.place);
        }
        for f in &doc.fields {
            println!("{} = {:?}", f.name, f.value);
        }
        for (i, t) in doc.tables.iter().enumerate() {
            println!("table {}", i + 1);
            for r in &t.rows {
                println!("  {:?}", r.iter().map(|c| c.text()).collect::<Vec<_>>());
            }
        }
    }
}
