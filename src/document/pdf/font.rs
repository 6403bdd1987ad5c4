//! Fonts: from the bytes of a shown string to text and glyph widths.
//!
//! Text comes from the font's `/ToUnicode` CMap when it maps the code, else from its
//! `/Encoding` (`/Differences` over WinAnsi, MacRoman or Standard); composite (Type0) fonts
//! need their ToUnicode. Symbol fonts (Wingdings, ZapfDingbats, Symbol) are read through their
//! own tables so that a ticked box typed in Wingdings is still a ticked box.

use lopdf::{Dictionary, Document, Object};

use super::cmap::{CMap, glyph_name_text};
use super::objects::{bounded_stream, deref, dict, get, name, number};
use super::{encodings, font_metrics};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    None,
    Wingdings,
    Wingdings2,
    Zapf,
    Symbol,
}

#[derive(Debug)]
enum Widths {
    Simple(Box<[f32; 256]>),
    /// CID ranges (first, last, width) sorted by first CID, and the default width.
    Cid(Vec<(u32, u32, f32)>, f32),
}

#[derive(Debug)]
pub(crate) struct Font {
    composite: bool,
    /// Composite fonts: the embedded encoding CMap (none: Identity, two bytes a code).
    codes: Option<CMap>,
    to_unicode: Option<CMap>,
    /// Simple fonts: text of each code by the encoding, `'\0'` where undefined.
    table: Box<[char; 256]>,
    special: Special,
    widths: Widths,
    /// Glyph space to text space (1/1000, or a Type 3 font's matrix).
    scale: f64,
}

/// The widths of the standard fonts, chosen by name, for fonts that give none.
fn standard_widths(base: &str) -> Option<&'static [u16; 256]> {
    let b = base.to_ascii_lowercase();
    let bold = b.contains("bold") || b.contains("black") || b.contains("heavy");
    if b.contains("times") || b.contains("serif") && !b.contains("sans") || b.contains("georgia") {
        Some(if bold {
            &font_metrics::TIMES_BOLD
        } else {
            &font_metrics::TIMES_ROMAN
        })
    } else if b.contains("courier") || b.contains("mono") {
        None
    } else {
        Some(if bold {
            &font_metrics::HELVETICA_BOLD
        } else {
            &font_metrics::HELVETICA
        })
    }
}

fn table_chars(t: &[u16; 256]) -> Box<[char; 256]> {
    let mut out = Box::new(['\0'; 256]);
    for (i, c) in t.iter().enumerate() {
        out[i] = char::from_u32(*c as u32).unwrap_or('\0');
    }
    out
}

/// The base font's name without its subset prefix (« ABCDEF+Calibri » → « Calibri »).
fn base_font(d: &Dictionary) -> String {
    let n = d
        .get(b"BaseFont")
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    match n.split_once('+') {
        Some((prefix, rest)) if prefix.len() == 6 => rest.to_string(),
        _ => n,
    }
}

impl Font {
    /// A font with no dictionary (a `Tf` naming a missing font): text read as WinAnsi.
    pub(crate) fn fallback() -> Font {
        let mut widths = Box::new([0f32; 256]);
        for (i, w) in font_metrics::HELVETICA.iter().enumerate() {
            widths[i] = *w as f32;
        }
        Font {
            composite: false,
            codes: None,
            to_unicode: None,
            table: table_chars(&encodings::WIN_ANSI),
            special: Special::None,
            widths: Widths::Simple(widths),
            scale: 0.001,
        }
    }

    pub fn load(doc: &Document, d: &Dictionary) -> Font {
        let subtype = name(doc, d, b"Subtype").unwrap_or(b"");
        let base = base_font(d);
        let lower = base.to_ascii_lowercase();
        let special = if lower.contains("wingdings2") || lower.contains("wingdings-2") {
            Special::Wingdings2
        } else if lower.contains("wingdings") {
            Special::Wingdings
        } else if lower.contains("dingbats") || lower.ends_with("d050000l") {
            // D050000L: URW's ZapfDingbats, which Ghostscript and cairo embed in its place.
            Special::Zapf
        } else if lower.starts_with("symbol") {
            Special::Symbol
        } else {
            Special::None
        };
        let to_unicode = get(doc, d, b"ToUnicode")
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| bounded_stream(s).ok())
            .map(|data| CMap::parse(&data));
        if subtype == b"Type0" {
            return Font::composite(doc, d, to_unicode, special);
        }

        // Simple fonts: the encoding.
        let base_table = match special {
            Special::Zapf => &encodings::ZAPF_DINGBATS,
            Special::Symbol => &encodings::SYMBOL,
            _ if subtype == b"Type1" && d.get(b"FontDescriptor").is_err() => &encodings::STANDARD,
            _ => &encodings::WIN_ANSI,
        };
        let mut table = table_chars(base_table);
        let named = |n: &[u8]| -> Option<&'static [u16; 256]> {
            match n {
                b"WinAnsiEncoding" => Some(&encodings::WIN_ANSI),
                b"MacRomanEncoding" => Some(&encodings::MAC_ROMAN),
                b"StandardEncoding" | b"MacExpertEncoding" => Some(&encodings::STANDARD),
                b"PDFDocEncoding" => Some(&encodings::PDF_DOC),
                _ => None,
            }
        };
        match get(doc, d, b"Encoding") {
            Some(Object::Name(n)) => {
                if let Some(t) = named(n) {
                    table = table_chars(t);
                }
            }
            Some(Object::Dictionary(e)) => {
                if let Some(t) = name(doc, e, b"BaseEncoding").and_then(named) {
                    table = table_chars(t);
                }
                if let Some(Object::Array(diff)) = get(doc, e, b"Differences") {
                    let mut code: i64 = 0;
                    for item in diff.iter().take(4096) {
                        match item {
                            Object::Integer(n) => code = *n,
                            Object::Real(n) => code = *n as i64,
                            Object::Name(g) => {
                                if (0..256).contains(&code)
                                    && let Some(c) =
                                        glyph_name_text(g).and_then(|t| single_char(&t))
                                {
                                    table[code as usize] = c;
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }

        // Widths.
        let mut scale = 0.001;
        if subtype == b"Type3"
            && let Some(Object::Array(m)) = get(doc, d, b"FontMatrix")
            && let Some(a) = m.first().and_then(|o| number(doc, o))
            && a.is_finite()
            && a.abs() < 10.0
        {
            scale = a;
        }
        let descriptor = get(doc, d, b"FontDescriptor").and_then(|o| o.as_dict().ok());
        let missing = descriptor
            .and_then(|fd| get(doc, fd, b"MissingWidth"))
            .and_then(|o| number(doc, o))
            .unwrap_or(0.0) as f32;
        let mut widths = Box::new([missing; 256]);
        let first = get(doc, d, b"FirstChar")
            .and_then(|o| number(doc, o))
            .unwrap_or(0.0) as i64;
        match get(doc, d, b"Widths") {
            Some(Object::Array(w)) if !w.is_empty() => {
                for (k, o) in w.iter().enumerate().take(256) {
                    let code = first + k as i64;
                    if (0..256).contains(&code)
                        && let Some(v) = number(doc, o)
                    {
                        widths[code as usize] = v as f32;
                    }
                }
            }
            _ => {
                // A standard font named without widths: the Adobe metrics.
                match standard_widths(&base) {
                    Some(std) if special == Special::None => {
                        for code in 0..256 {
                            let c = table[code];
                            let w = if c == '\0' {
                                0
                            } else {
                                encodings::WIN_ANSI
                                    .iter()
                                    .position(|&u| u as u32 == c as u32)
                                    .map(|i| std[i])
                                    .unwrap_or(500)
                            };
                            widths[code] = w as f32;
                        }
                    }
                    _ => widths.fill(if special == Special::None {
                        600.0
                    } else {
                        800.0
                    }),
                }
            }
        }
        Font {
            composite: false,
            codes: None,
            to_unicode,
            table,
            special,
            widths: Widths::Simple(widths),
            scale,
        }
    }

    fn composite(
        doc: &Document,
        d: &Dictionary,
        to_unicode: Option<CMap>,
        special: Special,
    ) -> Font {
        let codes = match get(doc, d, b"Encoding") {
            Some(Object::Stream(s)) => bounded_stream(s).ok().map(|data| CMap::parse(&data)),
            _ => None,
        };
        let descendant = match get(doc, d, b"DescendantFonts") {
            Some(Object::Array(a)) => a.first().and_then(|o| dict(doc, o)),
            _ => None,
        };
        let mut ranges: Vec<(u32, u32, f32)> = Vec::new();
        let mut default = 1000.0;
        if let Some(df) = descendant {
            if let Some(dw) = get(doc, df, b"DW").and_then(|o| number(doc, o)) {
                default = dw as f32;
            }
            if let Some(Object::Array(w)) = get(doc, df, b"W") {
                let mut i = 0;
                while i < w.len() && ranges.len() < 100_000 {
                    let Some(c1) = number(doc, &w[i]) else { break };
                    let c1 = c1.max(0.0) as u32;
                    match w.get(i + 1).map(|o| deref(doc, o)) {
                        Some(Some(Object::Array(list))) => {
                            for (k, o) in list.iter().enumerate().take(65_536) {
                                if let Some(v) = number(doc, o) {
                                    let c = c1 + k as u32;
                                    ranges.push((c, c, v as f32));
                                }
                            }
                            i += 2;
                        }
                        Some(Some(o)) => {
                            let c2 = number(doc, o).unwrap_or(0.0).max(0.0) as u32;
                            let v = w.get(i + 2).and_then(|o| number(doc, o)).unwrap_or(0.0);
                            if c2 >= c1 {
                                ranges.push((c1, c2, v as f32));
                            }
                            i += 3;
                        }
                        _ => break,
                    }
                }
            }
        }
        ranges.sort_by_key(|r| r.0);
        Font {
            composite: true,
            codes,
            to_unicode,
            table: Box::new(['\0'; 256]),
            special,
            widths: Widths::Cid(ranges, default),
            scale: 0.001,
        }
    }

    /// Calls `f(text, width, word_space)` for each glyph of a shown string: its text (maybe
    /// empty), its width in text space for a size of 1, and whether word spacing applies.
    pub(crate) fn glyphs(&self, bytes: &[u8], mut f: impl FnMut(&str, f64, bool)) {
        let mut buf = [0u8; 4];
        if !self.composite {
            for &b in bytes {
                let w = match &self.widths {
                    Widths::Simple(w) => w[b as usize] as f64,
                    Widths::Cid(..) => 0.0,
                };
                let width = w * self.scale;
                let mapped = self.to_unicode.as_ref().and_then(|c| c.text(1, b as u32));
                match self.special_text(b as u32, mapped) {
                    Some(t) => f(t, width, b == 32),
                    None => match mapped {
                        Some(t) => f(t, width, b == 32),
                        None => {
                            let c = self.table[b as usize];
                            let t = if c == '\0' {
                                ""
                            } else if let Some(letters) = super::ligatures::letters(c) {
                                letters
                            } else {
                                c.encode_utf8(&mut buf)
                            };
                            f(t, width, b == 32);
                        }
                    },
                }
            }
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            let n = match &self.codes {
                Some(c) => c.code_len(&bytes[i..], 2),
                None => 2.min(bytes.len() - i),
            };
            let code = bytes[i..i + n].iter().fold(0u32, |v, b| v << 8 | *b as u32);
            let cid = match &self.codes {
                Some(c) => c.cid(n, code),
                None => code,
            };
            let w = match &self.widths {
                Widths::Cid(ranges, default) => {
                    let k = ranges.partition_point(|r| r.0 <= cid);
                    match k.checked_sub(1).map(|k| ranges[k]) {
                        Some((_, hi, w)) if cid <= hi => w,
                        _ => *default,
                    }
                }
                Widths::Simple(_) => 1000.0,
            } as f64;
            let mapped = self.to_unicode.as_ref().and_then(|c| c.text(n, code));
            let t = match self.special_text(code & 0xFF, mapped) {
                Some(t) => t,
                // Without a ToUnicode, the CIDs of an Identity font say nothing of the text.
                None => mapped.unwrap_or("\u{FFFD}"),
            };
            f(t, w * self.scale, n == 1 && code == 32);
            i += n;
        }
    }

    /// The text of a code in a symbol font, when the font is one and the code means a box.
    fn special_text(&self, code: u32, mapped: Option<&str>) -> Option<&'static str> {
        if self.special == Special::None {
            return None;
        }
        // A ToUnicode into the private use area (U+F0xx, as Word writes) or into ASCII says
        // only which code of the symbol font it is.
        let code = match mapped.map(|t| t.chars().collect::<Vec<_>>()).as_deref() {
            Some([c]) if (0xF000..=0xF0FF).contains(&(*c as u32)) => *c as u32 & 0xFF,
            Some([c]) if (*c as u32) < 0x80 || self.composite => {
                if self.composite {
                    *c as u32 & 0xFF
                } else {
                    code
                }
            }
            Some(_) => return None,
            None => code,
        };
        let t = match self.special {
            Special::Wingdings => match code {
                0xFE | 0xFD | 0x78 | 0xFC => "☒",
                0xA8 | 0x6F | 0x71 => "☐",
                0x9F | 0x6C | 0xA7 | 0x77 => "•",
                _ => "",
            },
            Special::Wingdings2 => match code {
                0x4F..=0x54 => "☒",
                0xA3 | 0x2A | 0xA2 => "☐",
                _ => "",
            },
            Special::Zapf => zapf(code),
            Special::Symbol => symbol(code),
            Special::None => return None,
        };
        Some(t)
    }
}

fn zapf(code: u32) -> &'static str {
    match code {
        0x33 | 0x34 => "✔",
        0x35..=0x38 => "☒",
        0x6E => "■",
        0x6F..=0x72 => "☐",
        0x6C => "●",
        0x75 => "◆",
        0x20 => " ",
        _ => "",
    }
}

fn symbol(code: u32) -> &'static str {
    match code {
        0xB7 => "•",
        0xBC => "…",
        0xB0 => "°",
        0x20 => " ",
        _ => "",
    }
}

fn single_char(t: &str) -> Option<char> {
    let mut it = t.chars();
    let c = it.next()?;
    if it.next().is_none() { Some(c) } else { None }
}
