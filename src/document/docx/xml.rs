//! A small XML tokenizer for the parts of an OOXML package.
//!
//! Word and LibreOffice write plain, well-formed XML: no DTD, only the five predefined
//! entities and character references. This reader handles exactly that, in one pass over the
//! text (memchr to the next `<`), without allocating per element, and still refuses what is
//! not well formed:
//!
//! - a DOCTYPE, whatever it holds: no external entity is ever fetched and no entity bomb
//!   expanded, since no entity can be declared;
//! - an end tag that does not close the element open at that point (names are kept on a
//!   stack), an end tag with nothing open, an element still open at the end;
//! - a tag, comment, CDATA section or processing instruction cut by the end of the part;
//! - an attribute without `=` or without a quoted value, attributes not separated by spaces;
//! - a `&` without its `;` in text.
//!
//! Comments, processing instructions and the XML declaration are skipped. Text is returned
//! raw; [`text_chunks`] decodes it and [`Attrs::get`] decodes an attribute value.

use std::borrow::Cow;
use std::fmt;

use memchr::{memchr, memchr3, memmem};

/// Why a part is not well-formed XML, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// Byte offset in the part.
    pub offset: usize,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// `<!DOCTYPE …>`: refused, entities are never declared.
    Doctype,
    /// The part ends inside a tag, comment, CDATA section or processing instruction.
    UnexpectedEof,
    /// The part ends while this element is still open.
    Unclosed(String),
    /// `</found>` while `expected` is the open element.
    MismatchedEnd { expected: String, found: String },
    /// An end tag with no element open.
    UnexpectedEnd(String),
    /// `<` followed by something that is no tag (`< a>`, `<!x`, `<>`).
    BadMarkup,
    /// An attribute that is not `name="value"` or `name='value'`.
    BadAttribute,
    /// `&` with no `;` after it in the same text.
    DanglingAmp,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Doctype => write!(f, "déclaration DOCTYPE refusée"),
            ErrorKind::UnexpectedEof => write!(f, "fin du texte au milieu d'une balise"),
            ErrorKind::Unclosed(name) => write!(f, "élément <{name}> jamais fermé"),
            ErrorKind::MismatchedEnd { expected, found } => {
                write!(f, "</{found}> ferme <{expected}>")
            }
            ErrorKind::UnexpectedEnd(name) => write!(f, "</{name}> ne ferme aucun élément"),
            ErrorKind::BadMarkup => write!(f, "balise invalide"),
            ErrorKind::BadAttribute => write!(f, "attribut invalide"),
            ErrorKind::DanglingAmp => write!(f, "« & » sans « ; »"),
        }
    }
}

impl std::error::Error for XmlError {}

/// One piece of the document, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A start tag; `empty` for `<a/>`, which has no matching [`Token::End`].
    Start {
        name: &'a str,
        attrs: Attrs<'a>,
        empty: bool,
    },
    End {
        name: &'a str,
    },
    /// Character data as written: entities not decoded, line ends not normalised
    /// (see [`text_chunks`]). Never empty.
    Text(&'a str),
    /// The content of a CDATA section, line ends not normalised.
    CData(&'a str),
}

pub struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    open: Vec<&'a str>,
}

impl<'a> Tokenizer<'a> {
    pub fn new(src: &'a str) -> Self {
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Tokenizer {
            src,
            pos,
            open: Vec::with_capacity(32),
        }
    }

    /// Byte offset of the next token.
    pub fn offset(&self) -> usize {
        self.pos
    }

    fn err<T>(&self, offset: usize, kind: ErrorKind) -> Result<T, XmlError> {
        Err(XmlError { offset, kind })
    }

    /// The next token, `None` at the end of a well-formed text.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Token<'a>>, XmlError> {
        let src = self.src;
        let b = src.as_bytes();
        loop {
            let at = self.pos;
            if at >= b.len() {
                return match self.open.last() {
                    Some(name) => self.err(at, ErrorKind::Unclosed(name.to_string())),
                    None => Ok(None),
                };
            }
            if b[at] != b'<' {
                let end = find_byte(b, at, b'<').unwrap_or(b.len());
                self.pos = end;
                return Ok(Some(Token::Text(&src[at..end])));
            }
            match b.get(at + 1) {
                Some(b'/') => return self.end_tag(at).map(Some),
                Some(b'?') => {
                    // Processing instruction or XML declaration: skipped.
                    let Some(i) = memmem::find(&b[at + 2..], b"?>") else {
                        return self.err(at, ErrorKind::UnexpectedEof);
                    };
                    self.pos = at + 2 + i + 2;
                }
                Some(b'!') => {
                    let rest = &b[at..];
                    if rest.starts_with(b"<!--") {
                        let Some(i) = memmem::find(&b[at + 4..], b"-->") else {
                            return self.err(at, ErrorKind::UnexpectedEof);
                        };
                        self.pos = at + 4 + i + 3;
                    } else if rest.starts_with(b"<![CDATA[") {
                        let start = at + 9;
                        let Some(i) = memmem::find(&b[start..], b"]]>") else {
                            return self.err(at, ErrorKind::UnexpectedEof);
                        };
                        self.pos = start + i + 3;
                        return Ok(Some(Token::CData(&src[start..start + i])));
                    } else if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
                        return self.err(at, ErrorKind::Doctype);
                    } else if rest.len() < 9 && b"<!DOCTYPE".starts_with(rest) {
                        return self.err(at, ErrorKind::UnexpectedEof);
                    } else {
                        return self.err(at, ErrorKind::BadMarkup);
                    }
                }
                Some(_) => return self.start_tag(at).map(Some),
                None => return self.err(at, ErrorKind::UnexpectedEof),
            }
        }
    }

    fn end_tag(&mut self, at: usize) -> Result<Token<'a>, XmlError> {
        let b = self.src.as_bytes();
        // The common case: `</name>` closing the open element, compared in place.
        if let Some(&open) = self.open.last() {
            let end = at + 2 + open.len();
            if b.get(end) == Some(&b'>') && &b[at + 2..end] == open.as_bytes() {
                self.open.pop();
                self.pos = end + 1;
                return Ok(Token::End { name: open });
            }
        }
        let Some(i) = memchr(b'>', &b[at + 2..]) else {
            return self.err(at, ErrorKind::UnexpectedEof);
        };
        let gt = at + 2 + i;
        let name = self.src[at + 2..gt].trim_end_matches([' ', '\t', '\r', '\n']);
        if name.is_empty() || name.bytes().any(|c| is_space(c) || c == b'<') {
            return self.err(at, ErrorKind::BadMarkup);
        }
        match self.open.pop() {
            Some(open) if open == name => {}
            Some(open) => {
                return self.err(
                    at,
                    ErrorKind::MismatchedEnd {
                        expected: open.to_string(),
                        found: name.to_string(),
                    },
                );
            }
            None => return self.err(at, ErrorKind::UnexpectedEnd(name.to_string())),
        }
        self.pos = gt + 1;
        Ok(Token::End { name })
    }

    fn start_tag(&mut self, at: usize) -> Result<Token<'a>, XmlError> {
        let src = self.src;
        let b = src.as_bytes();
        let fail = |kind| Err(XmlError { offset: at, kind });
        let mut i = scan(b, at + 1, ENDS_TAG_NAME | BAD_IN_NAME);
        if i == at + 1 || (i < b.len() && class(b[i]) & BAD_IN_NAME != 0) {
            return fail(ErrorKind::BadMarkup);
        }
        let name = &src[at + 1..i];
        let attrs_start = i;
        let mut xmlns = false;
        let (attrs_end, empty) = loop {
            let spaced = i;
            i = skip_spaces(b, i);
            match b.get(i) {
                None => return fail(ErrorKind::UnexpectedEof),
                Some(b'>') => break (i, false),
                Some(b'/') => match b.get(i + 1) {
                    Some(b'>') => break (i, true),
                    None => return fail(ErrorKind::UnexpectedEof),
                    Some(_) => return fail(ErrorKind::BadMarkup),
                },
                Some(_) => {
                    if i == spaced {
                        return fail(ErrorKind::BadAttribute);
                    }
                    xmlns |= b[i..].starts_with(b"xmlns");
                    match attribute_end(b, i) {
                        Ok(end) => i = end,
                        Err(e) => return fail(e.into()),
                    }
                }
            }
        };
        self.pos = if empty { attrs_end + 2 } else { attrs_end + 1 };
        if !empty {
            self.open.push(name);
        }
        Ok(Token::Start {
            name,
            attrs: Attrs {
                raw: &src[attrs_start..attrs_end],
                xmlns,
            },
            empty,
        })
    }
}

const SPACE: u8 = 1;
/// Ends an element name: a space, `/` or `>`.
const ENDS_TAG_NAME: u8 = 2;
/// Ends an attribute name: a space, `=`, `>`, `/`, a quote or `<`.
const ENDS_ATTR_NAME: u8 = 4;
/// Cannot be part of an element name.
const BAD_IN_NAME: u8 = 8;

static CLASSES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 4 {
        t[[b' ', b'\t', b'\r', b'\n'][i] as usize] = SPACE | ENDS_TAG_NAME | ENDS_ATTR_NAME;
        i += 1;
    }
    t[b'/' as usize] = ENDS_TAG_NAME | ENDS_ATTR_NAME;
    t[b'>' as usize] = ENDS_TAG_NAME | ENDS_ATTR_NAME;
    t[b'=' as usize] = ENDS_ATTR_NAME | BAD_IN_NAME;
    t[b'"' as usize] = ENDS_ATTR_NAME | BAD_IN_NAME;
    t[b'\'' as usize] = ENDS_ATTR_NAME | BAD_IN_NAME;
    t[b'<' as usize] = ENDS_ATTR_NAME | BAD_IN_NAME;
    t[b'&' as usize] = BAD_IN_NAME;
    t
};

fn class(b: u8) -> u8 {
    CLASSES[b as usize]
}

fn is_space(b: u8) -> bool {
    class(b) & SPACE != 0
}

/// The index of the first byte from `i` whose class has one of `stop`'s bits (or the end).
#[inline]
fn scan(b: &[u8], i: usize, stop: u8) -> usize {
    match b.get(i..) {
        Some(rest) => rest
            .iter()
            .position(|&c| class(c) & stop != 0)
            .map_or(b.len(), |j| i + j),
        None => b.len(),
    }
}

/// The index of the first byte from `i` that is not a space (or the end).
#[inline]
fn skip_spaces(b: &[u8], i: usize) -> usize {
    match b.get(i..) {
        Some(rest) => rest
            .iter()
            .position(|&c| !is_space(c))
            .map_or(b.len(), |j| i + j),
        None => b.len(),
    }
}

/// Why an attribute could not be read (small and `Copy`: returned in registers).
#[derive(Clone, Copy)]
enum AttrError {
    Eof,
    Bad,
}

impl From<AttrError> for ErrorKind {
    fn from(e: AttrError) -> ErrorKind {
        match e {
            AttrError::Eof => ErrorKind::UnexpectedEof,
            AttrError::Bad => ErrorKind::BadAttribute,
        }
    }
}

/// Parses one `name = "value"` starting at `i` (a non-space byte); returns the index just past
/// the closing quote.
#[inline]
fn attribute_end(b: &[u8], mut i: usize) -> Result<usize, AttrError> {
    let start = i;
    i = scan(b, i, ENDS_ATTR_NAME);
    if i == start {
        return Err(AttrError::Bad);
    }
    if b.get(i) != Some(&b'=') {
        i = skip_spaces(b, i);
    }
    match b.get(i) {
        Some(b'=') => i += 1,
        None => return Err(AttrError::Eof),
        Some(_) => return Err(AttrError::Bad),
    }
    if !matches!(b.get(i), Some(b'"' | b'\'')) {
        i = skip_spaces(b, i);
    }
    let quote = match b.get(i) {
        Some(&q @ (b'"' | b'\'')) => q,
        None => return Err(AttrError::Eof),
        Some(_) => return Err(AttrError::Bad),
    };
    closing(b, i + 1, quote).ok_or(AttrError::Eof)
}

/// Index just past the next `quote` from `i`.
#[inline]
fn closing(b: &[u8], i: usize, quote: u8) -> Option<usize> {
    find_byte(b, i, quote).map(|j| j + 1)
}

/// Index of the next `byte` from `i`. What is searched (a value's closing quote, the end of a
/// run's text) is usually a few bytes away: a plain loop first, memchr beyond.
#[inline]
fn find_byte(b: &[u8], i: usize, byte: u8) -> Option<usize> {
    let short = b.len().min(i + 16);
    if let Some(j) = b.get(i..short)?.iter().position(|&c| c == byte) {
        return Some(i + j);
    }
    memchr(byte, &b[short..]).map(|j| short + j)
}

/// The attributes of a start tag, as written (already checked by the tokenizer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attrs<'a> {
    raw: &'a str,
    /// Some attribute name starts with `xmlns`.
    xmlns: bool,
}

impl<'a> Attrs<'a> {
    /// Whether some attribute may declare a namespace (its name starts with `xmlns`).
    pub(crate) fn declares_namespaces(&self) -> bool {
        self.xmlns
    }

    /// `(qualified name, raw value)` pairs in order; values are not decoded.
    pub fn iter(&self) -> AttrIter<'a> {
        AttrIter {
            raw: self.raw,
            pos: 0,
        }
    }

    /// The decoded value of the first attribute with this local name, whatever its prefix;
    /// `None` when absent or when its value has an unknown entity or a bad reference.
    pub(crate) fn get(&self, local: &str) -> Option<Cow<'a, str>> {
        self.iter()
            .find(|(name, _)| {
                name.strip_suffix(local)
                    .is_some_and(|prefix| prefix.is_empty() || prefix.ends_with(':'))
            })
            .and_then(|(_, value)| attr_value(value))
    }
}

pub struct AttrIter<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> Iterator for AttrIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        // The tokenizer checked the syntax: a name, spaces, `=`, spaces, a quoted value.
        let b = self.raw.as_bytes();
        let mut i = self.pos;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let name_start = i;
        i = scan(b, i, ENDS_ATTR_NAME);
        let name = &self.raw[name_start..i];
        while i < b.len() && b[i] != b'"' && b[i] != b'\'' {
            i += 1;
        }
        let close = closing(b, i + 1, *b.get(i)?)?;
        self.pos = close;
        Some((name, &self.raw[i + 1..close - 1]))
    }
}

/// The character a reference stands for: the five predefined entities and `&#…;` / `&#x…;`
/// (not NUL, not a surrogate). Other names are never expanded: there is no DTD to declare them.
pub(crate) fn resolve_ref(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let (digits, radix) = match num.strip_prefix('x') {
                Some(hex) => (hex, 16),
                None => (num, 10),
            };
            if digits.is_empty() || !digits.bytes().all(|c| (c as char).is_digit(radix)) {
                return None;
            }
            let code = u32::from_str_radix(digits, radix).ok()?;
            if code == 0 {
                return None;
            }
            char::from_u32(code)
        }
    }
}

/// One piece of decoded character data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk<'a> {
    /// Literal text, line ends normalised (`\r\n` and `\r` become `\n`).
    Text(Cow<'a, str>),
    /// A reference: its character, or `None` for an unknown entity or a bad character
    /// reference (left out of the text, never an error).
    Ref(Option<char>),
}

/// Splits raw character data into literal runs and references, in order. An `&` with no `;`
/// before the next `&` or the end is an error.
pub fn text_chunks<'a>(raw: &'a str, mut f: impl FnMut(Chunk<'a>)) -> Result<(), ErrorKind> {
    let b = raw.as_bytes();
    let mut pos = 0;
    while pos < b.len() {
        match memchr(b'&', &b[pos..]) {
            None => {
                f(Chunk::Text(normalize_eols(&raw[pos..])));
                return Ok(());
            }
            Some(i) => {
                if i > 0 {
                    f(Chunk::Text(normalize_eols(&raw[pos..pos + i])));
                }
                let amp = pos + i;
                match memchr3(b';', b'&', b'<', &b[amp + 1..]) {
                    Some(j) if b[amp + 1 + j] == b';' => {
                        f(Chunk::Ref(resolve_ref(&raw[amp + 1..amp + 1 + j])));
                        pos = amp + 1 + j + 1;
                    }
                    _ => return Err(ErrorKind::DanglingAmp),
                }
            }
        }
    }
    Ok(())
}

/// XML 1.0 line ends: `\r\n` and a lone `\r` become `\n`.
pub(crate) fn normalize_eols(s: &str) -> Cow<'_, str> {
    if memchr(b'\r', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// An attribute value as the XML rules read it: references decoded, `\t`, `\n`, `\r` and
/// `\r\n` each one space. `None` for an unknown entity, a bad reference or an `&` without `;`.
pub fn attr_value(raw: &str) -> Option<Cow<'_, str>> {
    let b = raw.as_bytes();
    if !b.iter().any(|&c| matches!(c, b'&' | b'\t' | b'\n' | b'\r')) {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'&' => {
                let j = memchr(b';', &b[i + 1..])?;
                out.push(resolve_ref(&raw[i + 1..i + 1 + j])?);
                i += j + 2;
            }
            b'\r' => {
                out.push(' ');
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            }
            b'\t' | b'\n' => {
                out.push(' ');
                i += 1;
            }
            _ => {
                // Copy up to the next byte that needs care, whole chars at a time.
                let next = b[i..]
                    .iter()
                    .position(|&c| matches!(c, b'&' | b'\t' | b'\n' | b'\r'))
                    .map_or(b.len(), |k| i + k);
                out.push_str(&raw[i..next]);
                i = next;
            }
        }
    }
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Result<Vec<String>, XmlError> {
        let mut t = Tokenizer::new(xml);
        let mut out = Vec::new();
        while let Some(tok) = t.next()? {
            out.push(match tok {
                Token::Start { name, attrs, empty } => {
                    let a: Vec<String> = attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!(
                        "<{name}{}{}>",
                        if a.is_empty() {
                            String::new()
                        } else {
                            format!(" {}", a.join(" "))
                        },
                        if empty { "/" } else { "" }
                    )
                }
                Token::End { name } => format!("</{name}>"),
                Token::Text(s) => format!("T:{s}"),
                Token::CData(s) => format!("C:{s}"),
            });
        }
        Ok(out)
    }

    fn kind(xml: &str) -> ErrorKind {
        tokens(xml).unwrap_err().kind
    }

    #[test]
    fn well_formed_documents_tokenize() {
        let xml = "\u{feff}<?xml version=\"1.0\" standalone=\"yes\"?>\n<!-- c -- > --><w:a x:y = 'v>1' z=\"\"><b/><c\tk=\"1\"\n/>t&amp;u<![CDATA[<x>&]]></w:a >";
        assert_eq!(
            tokens(xml).unwrap(),
            vec![
                "T:\n",
                "<w:a x:y=v>1 z=>",
                "<b/>",
                "<c k=1/>",
                "T:t&amp;u",
                "C:<x>&",
                "</w:a>"
            ]
        );
    }

    #[test]
    fn malformed_documents_are_errors() {
        assert_eq!(
            kind("<a><b></a>"),
            ErrorKind::MismatchedEnd {
                expected: "b".into(),
                found: "a".into()
            }
        );
        assert_eq!(kind("<a></a></b>"), ErrorKind::UnexpectedEnd("b".into()));
        assert_eq!(kind("<a><b/>"), ErrorKind::Unclosed("a".into()));
        assert_eq!(kind("<a"), ErrorKind::UnexpectedEof);
        assert_eq!(kind("<a x=\"1"), ErrorKind::UnexpectedEof);
        assert_eq!(kind("<a x=\"1\"/"), ErrorKind::UnexpectedEof);
        assert_eq!(kind("<a><!-- x"), ErrorKind::UnexpectedEof);
        assert_eq!(kind("<a><![CDATA[ x"), ErrorKind::UnexpectedEof);
        assert_eq!(kind("<?xml "), ErrorKind::UnexpectedEof);
        assert_eq!(kind("<"), ErrorKind::UnexpectedEof);
        assert_eq!(kind("<!DOC"), ErrorKind::UnexpectedEof);
        assert_eq!(kind("<a x></a>"), ErrorKind::BadAttribute);
        assert_eq!(kind("<a x=1></a>"), ErrorKind::BadAttribute);
        assert_eq!(kind("<a x=\"1\"y=\"2\"></a>"), ErrorKind::BadAttribute);
        assert_eq!(kind("<a =\"1\"></a>"), ErrorKind::BadAttribute);
        assert_eq!(kind("< a></a>"), ErrorKind::BadMarkup);
        assert_eq!(kind("<>"), ErrorKind::BadMarkup);
        assert_eq!(kind("<a/ >"), ErrorKind::BadMarkup);
        assert_eq!(kind("<a></ >"), ErrorKind::BadMarkup);
        assert_eq!(kind("<!foo>"), ErrorKind::BadMarkup);
        assert_eq!(
            kind("<!DOCTYPE a [<!ENTITY x \"y\">]><a/>"),
            ErrorKind::Doctype
        );
        assert_eq!(kind("<!doctype a><a/>"), ErrorKind::Doctype);
    }

    #[test]
    fn text_decodes_references_and_line_ends() {
        fn decode(raw: &str) -> Result<Vec<Chunk<'_>>, ErrorKind> {
            let mut v = Vec::new();
            text_chunks(raw, |c| v.push(c))?;
            Ok(v)
        }
        assert_eq!(
            decode("a\r\nb&lt;&#233;&#x263A;&foo;&#0;&#xD800;&#X41;c\r").unwrap(),
            vec![
                Chunk::Text("a\nb".into()),
                Chunk::Ref(Some('<')),
                Chunk::Ref(Some('é')),
                Chunk::Ref(Some('☺')),
                Chunk::Ref(None),
                Chunk::Ref(None),
                Chunk::Ref(None),
                Chunk::Ref(None),
                Chunk::Text("c\n".into()),
            ]
        );
        assert_eq!(
            decode("a & b;"),
            Ok(vec![Chunk::Text("a ".into()), Chunk::Ref(None)])
        );
        assert_eq!(decode("a & b"), Err(ErrorKind::DanglingAmp));
        assert_eq!(decode("a &amp &amp;"), Err(ErrorKind::DanglingAmp));
        assert_eq!(decode(""), Ok(vec![]));
    }

    #[test]
    fn attribute_values_are_decoded_and_normalised() {
        assert_eq!(attr_value("plain").unwrap(), "plain");
        assert_eq!(attr_value("a&amp;b&#x20;c\td\r\ne").unwrap(), "a&b c d e");
        assert_eq!(attr_value("&unknown;"), None);
        assert_eq!(attr_value("a&b"), None);
        let xml = r#"<w:fldChar w:fldCharType="begin" other:val="&quot;x&quot;"/>"#;
        let mut t = Tokenizer::new(xml);
        let Some(Token::Start { attrs, .. }) = t.next().unwrap() else {
            panic!()
        };
        assert_eq!(attrs.get("fldCharType").unwrap(), "begin");
        assert_eq!(attrs.get("val").unwrap(), "\"x\"");
        assert_eq!(attrs.get("missing"), None);
    }
}
