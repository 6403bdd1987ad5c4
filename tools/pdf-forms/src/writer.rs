//! Lays the form out on A4 pages (Helvetica, WinAnsiEncoding) and writes it with lopdf:
//! the text in the page content, the fields as AcroForm widgets with their appearances.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};

use crate::bilan::Block;

#[allow(dead_code)]
#[path = "../../../src/document/pdf/encodings.rs"]
mod encodings;
#[allow(dead_code)]
#[path = "../../../src/document/pdf/font_metrics.rs"]
mod font_metrics;

const PAGE_W: f64 = 595.0;
const PAGE_H: f64 = 842.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 539.0;
const TOP: f64 = 790.0;
const BOTTOM: f64 = 64.0;
const SIZE: f64 = 10.0;
const LEADING: f64 = 14.0;
/// Side of a check box.
const BOX: f64 = 9.0;

#[derive(Clone, Copy, PartialEq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }
    fn widths(self) -> &'static [u16; 256] {
        match self {
            Font::Regular => &font_metrics::HELVETICA,
            Font::Bold => &font_metrics::HELVETICA_BOLD,
        }
    }
}

/// WinAnsi bytes of a text; characters outside it become « ? ».
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| {
            encodings::WIN_ANSI
                .iter()
                .position(|&u| u as u32 == c as u32 && u != 0)
                .map(|i| i as u8)
                .unwrap_or(b'?')
        })
        .collect()
}

fn width(s: &str, font: Font, size: f64) -> f64 {
    win_ansi(s)
        .iter()
        .map(|&b| font.widths()[b as usize] as f64)
        .sum::<f64>()
        * size
        / 1000.0
}

/// Words into lines no wider than `max`.
fn wrap(s: &str, font: Font, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && width(&candidate, font, size) > max {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A PDF literal string.
fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![b'('];
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

struct Page {
    content: Vec<u8>,
    widgets: Vec<ObjectId>,
}

struct Writer {
    doc: Document,
    pages: Vec<Page>,
    page_ids: Vec<ObjectId>,
    fields: Vec<ObjectId>,
    /// Baseline of the next line.
    y: f64,
    helv: ObjectId,
    zadb: ObjectId,
}

impl Writer {
    fn new() -> Writer {
        let mut doc = Document::with_version("1.7");
        let helv = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let zadb = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "ZapfDingbats",
        });
        Writer {
            doc,
            pages: Vec::new(),
            page_ids: Vec::new(),
            fields: Vec::new(),
            y: 0.0,
            helv,
            zadb,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Page {
            content: Vec::new(),
            widgets: Vec::new(),
        });
        let id = self.doc.new_object_id();
        self.page_ids.push(id);
        self.y = TOP;
    }

    /// Room for `h` points below the current line, or a new page.
    fn ensure(&mut self, h: f64) {
        if self.pages.is_empty() || self.y - h < BOTTOM {
            self.new_page();
        }
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page")
    }

    fn show(&mut self, x: f64, y: f64, font: Font, size: f64, text: &str) {
        let mut op = format!(
            "BT /{} {} Tf {} {} Td ",
            font.resource(),
            num(size),
            num(x),
            num(y)
        )
        .into_bytes();
        op.extend(literal(&win_ansi(text)));
        op.extend(b" Tj ET\n");
        self.page().content.extend(op);
    }

    /// Wrapped text from `x`; returns where its last line ends. `y` is left on that line.
    fn text(&mut self, s: &str, x: f64, font: Font, size: f64) -> f64 {
        let lines = wrap(s, font, size, RIGHT - x);
        let mut end = x;
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.y -= LEADING;
            }
            self.ensure(0.0);
            let y = self.y;
            self.show(x, y, font, size, line);
            end = x + width(line, font, size);
        }
        end
    }

    fn next_line(&mut self) {
        self.y -= LEADING;
    }

    fn block(&mut self, b: &Block) {
        match *b {
            Block::Title(t) => {
                self.ensure(30.0);
                let w = width(t, Font::Bold, 15.0);
                let y = self.y;
                self.show((PAGE_W - w) / 2.0, y, Font::Bold, 15.0, t);
                self.y -= 22.0;
            }
            Block::Heading(t) => {
                self.ensure(LEADING * 3.0);
                self.y -= 4.0;
                self.text(t, LEFT, Font::Bold, 11.0);
                self.next_line();
            }
            Block::Text(t) => {
                self.ensure(LEADING);
                self.text(t, LEFT, Font::Regular, SIZE);
                self.next_line();
            }
            Block::Bullet(t) => {
                self.ensure(LEADING);
                let y = self.y;
                self.show(LEFT + 8.0, y, Font::Regular, SIZE, "·");
                self.text(t, LEFT + 20.0, Font::Regular, SIZE);
                self.next_line();
            }
            Block::Gap(h) => self.y -= h,
            Block::Field(label, name, lines) => {
                self.ensure(LEADING * (lines as f64 + 1.0));
                let end = self.text(label, LEFT, Font::Regular, SIZE);
                if lines <= 1 && RIGHT - end >= 150.0 {
                    let y = self.y;
                    self.text_field(name, [end + 6.0, y - 4.0, RIGHT, y + 11.0], false);
                    self.next_line();
                } else {
                    self.next_line();
                    let n = lines.max(1) as f64;
                    self.ensure(LEADING * n);
                    let top = self.y + 11.0;
                    let bottom = top - n * LEADING - 2.0;
                    self.text_field(name, [LEFT, bottom, RIGHT, top], lines > 1);
                    self.y -= n * LEADING + 4.0;
                }
            }
            Block::Check(label, name) => {
                self.ensure(LEADING);
                let end = self.text(label, LEFT, Font::Regular, SIZE);
                let x = if RIGHT - end >= 20.0 {
                    end + 6.0
                } else {
                    self.next_line();
                    self.ensure(0.0);
                    LEFT
                };
                let y = self.y;
                self.check_box(name, x, y);
                self.next_line();
            }
            Block::YesNo(label, name) => {
                self.ensure(LEADING * 2.0);
                self.text(label, LEFT, Font::Regular, SIZE);
                self.next_line();
                let y = self.y;
                let oui = LEFT + 20.0;
                self.show(oui, y, Font::Regular, SIZE, "oui");
                let after_oui = oui + width("oui", Font::Regular, SIZE) + 6.0;
                self.check_box(&format!("{name}_oui"), after_oui, y);
                let non = LEFT + 110.0;
                self.show(non, y, Font::Regular, SIZE, "non");
                let after_non = non + width("non", Font::Regular, SIZE) + 6.0;
                self.check_box(&format!("{name}_non"), after_non, y);
                self.y -= LEADING + 2.0;
            }
        }
    }

    fn appearance(&mut self, w: f64, h: f64, content: String, zapf: bool) -> ObjectId {
        let font = if zapf {
            dictionary! { "ZaDb" => self.zadb }
        } else {
            dictionary! { "Helv" => self.helv }
        };
        let dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), Object::Real(w as f32), Object::Real(h as f32)],
            "Resources" => dictionary! { "Font" => font },
        };
        self.doc.add_object(Stream::new(dict, content.into_bytes()))
    }

    fn text_field(&mut self, name: &str, r: [f64; 4], multiline: bool) {
        let (w, h) = (r[2] - r[0], r[3] - r[1]);
        let ap = self.appearance(
            w,
            h,
            format!(
                "0.75 G 0.5 w 0.25 0.25 {} {} re S /Tx BMC EMC",
                num(w - 0.5),
                num(h - 0.5)
            ),
            false,
        );
        let mut d = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Widget",
            "FT" => "Tx",
            "T" => Object::String(name.as_bytes().to_vec(), StringFormat::Literal),
            "F" => 4,
            "Rect" => rect(r),
            "DA" => Object::string_literal("/Helv 10 Tf 0 g"),
            "MK" => dictionary! { "BC" => vec![0.75.into(), 0.75.into(), 0.75.into()] },
            "AP" => dictionary! { "N" => ap },
        };
        if multiline {
            d.set("Ff", 4096);
        }
        self.widget(d);
    }

    /// A box whose middle is at the x-height of the line's text.
    fn check_box(&mut self, name: &str, x: f64, baseline: f64) {
        let y0 = baseline + 3.6 - BOX / 2.0;
        let r = [x, y0, x + BOX, y0 + BOX];
        let frame = format!(
            "0 G 0.6 w 0.3 0.3 {} {} re S",
            num(BOX - 0.6),
            num(BOX - 0.6)
        );
        let off = self.appearance(BOX, BOX, frame.clone(), true);
        let on = self.appearance(
            BOX,
            BOX,
            format!("{frame} BT /ZaDb 8 Tf 1 1.6 Td (4) Tj ET"),
            true,
        );
        let d = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Widget",
            "FT" => "Btn",
            "T" => Object::String(name.as_bytes().to_vec(), StringFormat::Literal),
            "F" => 4,
            "Rect" => rect(r),
            "V" => "Off",
            "AS" => "Off",
            "DA" => Object::string_literal("/ZaDb 0 Tf 0 g"),
            "MK" => dictionary! { "BC" => vec![0.into()], "CA" => Object::string_literal("4") },
            "AP" => dictionary! { "N" => dictionary! { "Oui" => on, "Off" => off } },
        };
        self.widget(d);
    }

    fn widget(&mut self, mut d: Dictionary) {
        let page = *self.page_ids.last().expect("a page");
        d.set("P", page);
        let id = self.doc.add_object(d);
        self.fields.push(id);
        self.page().widgets.push(id);
    }

    fn finish(mut self) -> Vec<u8> {
        let pages_id = self.doc.new_object_id();
        let regular = self.simple_font("Helvetica", Font::Regular);
        let bold = self.simple_font("Helvetica-Bold", Font::Bold);
        let resources = self.doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => regular, "F2" => bold },
        });
        let count = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        for (i, (page, id)) in pages.into_iter().zip(self.page_ids.clone()).enumerate() {
            let mut content = page.content;
            let footer = format!(
                "Bilan CLAS 2021/2022 – Caf de Lot-et-Garonne – page {}/{count}",
                i + 1
            );
            let w = width(&footer, Font::Regular, 8.0);
            let mut op = format!("BT /F1 8 Tf {} 36 Td ", num((PAGE_W - w) / 2.0)).into_bytes();
            op.extend(literal(&win_ansi(&footer)));
            op.extend(b" Tj ET\n");
            content.extend(op);
            // Not compressed: the bytes would depend on the deflate implementation the build
            // picked (cargo unifies flate2's features across the workspace).
            let content_id = self.doc.add_object(Stream::new(dictionary! {}, content));
            let annots: Vec<Object> = page.widgets.iter().map(|w| (*w).into()).collect();
            self.doc.objects.insert(
                id,
                Object::Dictionary(dictionary! {
                    "Type" => "Page",
                    "Parent" => pages_id,
                    "MediaBox" => vec![0.into(), 0.into(), Object::Real(PAGE_W as f32), Object::Real(PAGE_H as f32)],
                    "Contents" => content_id,
                    "Resources" => resources,
                    "Annots" => annots,
                }),
            );
        }
        let kids: Vec<Object> = self.page_ids.iter().map(|p| (*p).into()).collect();
        self.doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids,
                "Count" => count as i64,
            }),
        );
        let fields: Vec<Object> = self.fields.iter().map(|f| (*f).into()).collect();
        let acroform = self.doc.add_object(dictionary! {
            "Fields" => fields,
            "DR" => dictionary! { "Font" => dictionary! { "Helv" => self.helv, "ZaDb" => self.zadb } },
            "DA" => Object::string_literal("/Helv 0 Tf 0 g"),
        });
        let info = self.doc.add_object(dictionary! {
            "Title" => Object::string_literal("Bilan CLAS 2021/2022"),
            "Producer" => Object::string_literal("clas-pdf-forms"),
        });
        let catalog = self.doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
            "AcroForm" => acroform,
            "Lang" => Object::string_literal("fr-FR"),
        });
        self.doc.trailer.set("Root", catalog);
        self.doc.trailer.set("Info", info);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).expect("writing to memory");
        out
    }

    fn simple_font(&mut self, base: &str, font: Font) -> ObjectId {
        let widths: Vec<Object> = (32..=255)
            .map(|c| Object::Integer(font.widths()[c] as i64))
            .collect();
        self.doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => Object::Name(base.as_bytes().to_vec()),
            "Encoding" => "WinAnsiEncoding",
            "FirstChar" => 32,
            "LastChar" => 255,
            "Widths" => widths,
        })
    }
}

fn rect(r: [f64; 4]) -> Vec<Object> {
    r.iter()
        .map(|v| Object::Real(((v * 100.0).round() / 100.0) as f32))
        .collect()
}

/// The form as a fillable PDF.
pub fn bilan_pdf(blocks: &[Block]) -> Vec<u8> {
    let mut w = Writer::new();
    for b in blocks {
        w.block(b);
    }
    w.finish()
}
