//! CMaps: `/ToUnicode` (codes → text, `bfchar`/`bfrange`) and the code space of an embedded
//! `/Encoding` CMap of a composite font (codes → CIDs, `cidchar`/`cidrange`).

use std::collections::HashMap;

use super::glyph_names;

/// At most this many codes are mapped from one CMap (a range may name 65,536 codes).
const MAX_ENTRIES: usize = 200_000;

#[derive(Debug, Default, Clone)]
pub(crate) struct CMap {
    /// Code space ranges: byte length, low and high bound of each byte.
    pub codespace: Vec<(usize, [u8; 4], [u8; 4])>,
    /// Code (its length in the high byte) → text.
    pub unicode: HashMap<u32, Box<str>>,
    /// Code ranges → CIDs: (length, low, high, first CID), and single codes.
    pub cid_ranges: Vec<(usize, u32, u32, u32)>,
    entries: usize,
}

enum Token<'a> {
    Hex(Vec<u8>),
    Int(i64),
    Name(&'a [u8]),
    Word(&'a [u8]),
    Open,
    Close,
}

struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let s = self.s;
        loop {
            while self.i < s.len() && is_space(s[self.i]) {
                self.i += 1;
            }
            if self.i >= s.len() {
                return None;
            }
            match s[self.i] {
                b'%' => {
                    while self.i < s.len() && s[self.i] != b'\n' && s[self.i] != b'\r' {
                        self.i += 1;
                    }
                }
                b'<' if s.get(self.i + 1) == Some(&b'<') => {
                    self.i += 2;
                    return Some(Token::Word(b"<<"));
                }
                b'>' if s.get(self.i + 1) == Some(&b'>') => {
                    self.i += 2;
                    return Some(Token::Word(b">>"));
                }
                b'<' => {
                    self.i += 1;
                    let mut bytes = Vec::new();
                    let mut hi: Option<u8> = None;
                    while self.i < s.len() && s[self.i] != b'>' {
                        if let Some(v) = hex_val(s[self.i]) {
                            match hi.take() {
                                Some(h) => bytes.push(h << 4 | v),
                                None => hi = Some(v),
                            }
                        }
                        self.i += 1;
                    }
                    if let Some(h) = hi {
                        bytes.push(h << 4);
                    }
                    self.i += 1;
                    return Some(Token::Hex(bytes));
                }
                b'(' => {
                    // Strings are not used by the maps we read: skip them, nested parentheses too.
                    let mut depth = 0usize;
                    while self.i < s.len() {
                        match s[self.i] {
                            b'\\' => self.i += 1,
                            b'(' => depth += 1,
                            b')' => {
                                depth -= 1;
                                if depth == 0 {
                                    self.i += 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                        self.i += 1;
                    }
                }
                b'[' => {
                    self.i += 1;
                    return Some(Token::Open);
                }
                b']' => {
                    self.i += 1;
                    return Some(Token::Close);
                }
                b'/' => {
                    let start = self.i + 1;
                    self.i = start;
                    while self.i < s.len() && !is_space(s[self.i]) && !is_delim(s[self.i]) {
                        self.i += 1;
                    }
                    return Some(Token::Name(&s[start..self.i]));
                }
                _ => {
                    let start = self.i;
                    while self.i < s.len() && !is_space(s[self.i]) && !is_delim(s[self.i]) {
                        self.i += 1;
                    }
                    if self.i == start {
                        self.i += 1;
                        continue;
                    }
                    let w = &s[start..self.i];
                    if let Some(n) = std::str::from_utf8(w).ok().and_then(|t| t.parse().ok()) {
                        return Some(Token::Int(n));
                    }
                    return Some(Token::Word(w));
                }
            }
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A code's key: its value, with its length in bytes in the high byte (so that `<20>` and
/// `<0020>` differ).
pub(crate) fn code_key(len: usize, value: u32) -> u32 {
    ((len as u32) << 24) | (value & 0x00FF_FFFF)
}

fn be(bytes: &[u8]) -> u32 {
    bytes.iter().take(4).fold(0u32, |v, b| v << 8 | *b as u32)
}

/// UTF-16BE text of a CMap destination; a lone byte is read as Latin-1.
fn utf16(bytes: &[u8]) -> String {
    if bytes.len() == 1 {
        return (bytes[0] as char).to_string();
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

impl CMap {
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let tokens: Vec<Token> = Lexer { s: data, i: 0 }.take(2_000_000).collect();
        let mut i = 0;
        while i < tokens.len() {
            let Token::Word(w) = &tokens[i] else {
                i += 1;
                continue;
            };
            i += 1;
            match *w {
                b"begincodespacerange" => {
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let n = lo.len().clamp(1, 4);
                        let mut l = [0u8; 4];
                        let mut h = [0xFFu8; 4];
                        for k in 0..n {
                            l[k] = *lo.get(k).unwrap_or(&0);
                            h[k] = *hi.get(k).unwrap_or(&0xFF);
                        }
                        if cmap.codespace.len() < 64 {
                            cmap.codespace.push((n, l, h));
                        }
                        i += 2;
                    }
                }
                b"beginbfchar" => {
                    while let (Some(Token::Hex(src)), Some(dst)) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let text = match dst {
                            Token::Hex(d) => utf16(d),
                            Token::Name(n) => glyph_name_text(n).unwrap_or_default(),
                            _ => break,
                        };
                        cmap.insert(code_key(src.len(), be(src)), text);
                        i += 2;
                    }
                }
                b"beginbfrange" => {
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let len = lo.len();
                        let (a, b) = (be(lo), be(hi));
                        i += 2;
                        match tokens.get(i) {
                            Some(Token::Hex(dst)) => {
                                i += 1;
                                if b < a || b - a > 0xFFFF || dst.is_empty() {
                                    continue;
                                }
                                let mut units: Vec<u16> = dst
                                    .chunks(2)
                                    .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                                    .collect();
                                let last = units.len() - 1;
                                let base = units[last];
                                for (k, code) in (a..=b).enumerate() {
                                    if cmap.entries >= MAX_ENTRIES {
                                        break;
                                    }
                                    units[last] = base.wrapping_add(k as u16);
                                    cmap.insert(
                                        code_key(len, code),
                                        String::from_utf16_lossy(&units),
                                    );
                                }
                            }
                            Some(Token::Open) => {
                                i += 1;
                                let mut code = a;
                                while let Some(t) = tokens.get(i) {
                                    i += 1;
                                    match t {
                                        Token::Hex(d) => {
                                            if code <= b {
                                                cmap.insert(code_key(len, code), utf16(d));
                                            }
                                            code = code.saturating_add(1);
                                        }
                                        Token::Name(n) => {
                                            if code <= b {
                                                let text = glyph_name_text(n).unwrap_or_default();
                                                cmap.insert(code_key(len, code), text);
                                            }
                                            code = code.saturating_add(1);
                                        }
                                        Token::Close => break,
                                        _ => break,
                                    }
                                }
                            }
                            _ => break,
                        }
                    }
                }
                b"begincidrange" => {
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi)), Some(Token::Int(cid))) =
                        (tokens.get(i), tokens.get(i + 1), tokens.get(i + 2))
                    {
                        if cmap.cid_ranges.len() < 5_000 {
                            cmap.cid_ranges
                                .push((lo.len(), be(lo), be(hi), (*cid).max(0) as u32));
                        }
                        i += 3;
                    }
                }
                b"begincidchar" => {
                    while let (Some(Token::Hex(src)), Some(Token::Int(cid))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if cmap.cid_ranges.len() < 5_000 {
                            let v = be(src);
                            cmap.cid_ranges
                                .push((src.len(), v, v, (*cid).max(0) as u32));
                        }
                        i += 2;
                    }
                }
                _ => {}
            }
        }
        cmap
    }

    fn insert(&mut self, key: u32, text: String) {
        if self.entries >= MAX_ENTRIES {
            return;
        }
        self.entries += 1;
        // A ligature glyph reads as its letters (and Ghostscript's broken entries are mended).
        let text = match super::ligatures::repair(&text) {
            Some(letters) => letters.into(),
            None => text.into_boxed_str(),
        };
        self.unicode.insert(key, text);
    }

    /// The text of a code, when mapped.
    pub fn text(&self, len: usize, code: u32) -> Option<&str> {
        self.unicode.get(&code_key(len, code)).map(|s| &**s)
    }

    /// The CID of a code through `cidrange`/`cidchar`; the code itself when unmapped.
    pub(crate) fn cid(&self, len: usize, code: u32) -> u32 {
        self.cid_ranges
            .iter()
            .rev()
            .find(|(l, lo, hi, _)| *l == len && (*lo..=*hi).contains(&code))
            .map(|(_, lo, _, cid)| cid + (code - lo))
            .unwrap_or(code)
    }

    /// How many bytes the code starting at `bytes[0]` takes, by the code space ranges;
    /// `default` when there are none.
    pub(crate) fn code_len(&self, bytes: &[u8], default: usize) -> usize {
        if self.codespace.is_empty() {
            return default.min(bytes.len()).max(1);
        }
        for n in 1..=4 {
            if n > bytes.len() {
                break;
            }
            let fits = self.codespace.iter().any(|(len, lo, hi)| {
                *len == n && (0..n).all(|k| lo[k] <= bytes[k] && bytes[k] <= hi[k])
            });
            if fits {
                return n;
            }
        }
        // Not in any range: take the shortest length of the code space, as viewers do.
        let shortest = self.codespace.iter().map(|c| c.0).min().unwrap_or(1);
        shortest.min(bytes.len()).max(1)
    }
}

/// The text a glyph name stands for: Adobe Glyph List names, `uniXXXX`, `uXXXX[XX]`.
pub(crate) fn glyph_name_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    // « a.sc », « e_acute » … : the part before a period names the glyph.
    let base = name.split('.').next().unwrap_or(name);
    if let Ok(i) = glyph_names::GLYPH_NAMES.binary_search_by(|(n, _)| n.cmp(&base)) {
        return char::from_u32(glyph_names::GLYPH_NAMES[i].1 as u32).map(String::from);
    }
    if let Some(hex) = base.strip_prefix("uni")
        && hex.len() >= 4
        && hex.len() % 4 == 0
    {
        let units: Option<Vec<u16>> = (0..hex.len() / 4)
            .map(|k| u16::from_str_radix(&hex[k * 4..k * 4 + 4], 16).ok())
            .collect();
        return units.map(|u| String::from_utf16_lossy(&u));
    }
    if let Some(hex) = base.strip_prefix('u')
        && (4..=6).contains(&hex.len())
    {
        return u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .map(String::from);
    }
    if base.contains('_') {
        // Ligatures: « f_f_i ».
        let parts: Option<Vec<String>> = base
            .split('_')
            .map(|p| glyph_name_text(p.as_bytes()))
            .collect();
        return parts.map(|p| p.concat());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_and_codespace() {
        let data = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <0000> <FFFF> endcodespacerange
            2 beginbfchar <0003> <0020> <0011> <00E9> endbfchar
            2 beginbfrange <0020> <0022> <0041> <0030> <0031> [<00660069> <2610>] endbfrange
            endcmap";
        let c = CMap::parse(data);
        assert_eq!(c.text(2, 3), Some(" "));
        assert_eq!(c.text(2, 0x11), Some("é"));
        assert_eq!(c.text(2, 0x22), Some("C"));
        assert_eq!(c.text(2, 0x30), Some("fi"));
        assert_eq!(c.text(2, 0x31), Some("☐"));
        assert_eq!(c.text(1, 0x31), None);
        assert_eq!(c.code_len(&[0, 3, 0, 4], 1), 2);
    }

    /// What `gs -sDEVICE=pdfwrite` writes for the ligatures of a TrueType font.
    #[test]
    fn ghostscript_ligatures_read_as_letters() {
        let data = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
            1 begincodespacerange <00><ff> endcodespacerange
            4 beginbfrange <33><33><0074> <34><34><66006600> <3d><3d><66006900>
            <4b><4b><6600cf00> endbfrange 1 beginbfchar <50> <01fb> endbfchar endcmap";
        let c = CMap::parse(data);
        assert_eq!(c.text(1, 0x33), Some("t"));
        assert_eq!(c.text(1, 0x34), Some("ff"));
        assert_eq!(c.text(1, 0x3d), Some("fi"));
        assert_eq!(c.text(1, 0x4b), Some("ffi"));
        assert_eq!(c.text(1, 0x50), Some("fi"));
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_text(b"eacute").as_deref(), Some("é"));
        assert_eq!(glyph_name_text(b"uni00E0").as_deref(), Some("à"));
        assert_eq!(glyph_name_text(b"u2612").as_deref(), Some("☒"));
        assert_eq!(glyph_name_text(b"f_i").as_deref(), Some("fi"));
        assert_eq!(glyph_name_text(b"quoteright").as_deref(), Some("’"));
        assert_eq!(glyph_name_text(b"g123"), None);
    }
}
