//! Minimal XML helpers: escaping for the writer, and a small tokenizer used by the tests to
//! check that every part is well-formed and to read the text back (no XML dependency).

/// Escapes text content (`&`, `<`, `>`).
pub fn esc_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value (`&`, `<`, `>`, `"`).
pub fn esc_attr(s: &str) -> String {
    esc_text(s).replace('"', "&quot;")
}

/// One token of an XML document.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `<name attr="v">`; attributes unescaped.
    Start(String, Vec<(String, String)>),
    /// `<name/>`.
    Empty(String, Vec<(String, String)>),
    End(String),
    /// Character data, unescaped.
    Text(String),
}

fn unescape(s: &str, at: usize) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| format!("unterminated entity near byte {at}"))?;
        let name = &after[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if name.starts_with("#x") => u32::from_str_radix(&name[2..], 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad character reference &{name}; near byte {at}"))?,
            _ if name.starts_with('#') => name[1..]
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad character reference &{name}; near byte {at}"))?,
            _ => return Err(format!("unknown entity &{name}; near byte {at}")),
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.')
}

fn parse_tag(inner: &str, at: usize) -> Result<(String, Vec<(String, String)>), String> {
    let name_end = inner
        .find(|c: char| !is_name_char(c))
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
        return Err(format!("bad element name {name:?} near byte {at}"));
    }
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut rest = &inner[name_end..];
    loop {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            break;
        }
        if trimmed.len() == rest.len() {
            return Err(format!(
                "missing space before attribute in <{name}> near byte {at}"
            ));
        }
        let eq = trimmed
            .find('=')
            .ok_or_else(|| format!("attribute without value in <{name}> near byte {at}"))?;
        let aname = trimmed[..eq].trim_end();
        if aname.is_empty() || !aname.chars().all(is_name_char) {
            return Err(format!(
                "bad attribute name {aname:?} in <{name}> near byte {at}"
            ));
        }
        let after = trimmed[eq + 1..].trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(|| format!("unquoted attribute {aname} in <{name}> near byte {at}"))?;
        let close = after[1..]
            .find(quote)
            .ok_or_else(|| format!("unterminated attribute {aname} in <{name}> near byte {at}"))?;
        let raw = &after[1..1 + close];
        if raw.contains('<') {
            return Err(format!(
                "'<' in attribute {aname} of <{name}> near byte {at}"
            ));
        }
        if attrs.iter().any(|(n, _)| n == aname) {
            return Err(format!(
                "duplicate attribute {aname} in <{name}> near byte {at}"
            ));
        }
        attrs.push((aname.to_string(), unescape(raw, at)?));
        rest = &after[close + 2..];
    }
    Ok((name.to_string(), attrs))
}

/// Tokenizes a document, failing on any syntax error. Skips the declaration, processing
/// instructions and comments.
pub fn events(xml: &str) -> Result<Vec<Event>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    let bytes = xml.as_bytes();
    while pos < xml.len() {
        if bytes[pos] == b'<' {
            let rest = &xml[pos..];
            if rest.starts_with("<?") {
                let end = rest
                    .find("?>")
                    .ok_or("unterminated processing instruction")?;
                pos += end + 2;
            } else if rest.starts_with("<!--") {
                let end = rest.find("-->").ok_or("unterminated comment")?;
                pos += end + 3;
            } else if rest.starts_with("<![CDATA[") {
                let end = rest.find("]]>").ok_or("unterminated CDATA")?;
                out.push(Event::Text(rest[9..end].to_string()));
                pos += end + 3;
            } else if rest.starts_with("<!") {
                return Err(format!("unexpected declaration near byte {pos}"));
            } else {
                // Find the closing '>' outside quotes.
                let mut quote: Option<u8> = None;
                let mut end = None;
                for (i, &b) in rest.as_bytes().iter().enumerate().skip(1) {
                    match quote {
                        Some(q) if b == q => quote = None,
                        Some(_) => {}
                        None if b == b'"' || b == b'\'' => quote = Some(b),
                        None if b == b'<' => {
                            return Err(format!("'<' inside a tag near byte {}", pos + i));
                        }
                        None if b == b'>' => {
                            end = Some(i);
                            break;
                        }
                        None => {}
                    }
                }
                let end = end.ok_or_else(|| format!("unterminated tag near byte {pos}"))?;
                let inner = &rest[1..end];
                if let Some(name) = inner.strip_prefix('/') {
                    let name = name.trim_end();
                    if name.is_empty() || !name.chars().all(is_name_char) {
                        return Err(format!("bad end tag {inner:?} near byte {pos}"));
                    }
                    out.push(Event::End(name.to_string()));
                } else if let Some(inner) = inner.strip_suffix('/') {
                    let (n, a) = parse_tag(inner.trim_end(), pos)?;
                    out.push(Event::Empty(n, a));
                } else {
                    let (n, a) = parse_tag(inner, pos)?;
                    out.push(Event::Start(n, a));
                }
                pos += end + 1;
            }
        } else {
            let end = xml[pos..].find('<').map(|i| pos + i).unwrap_or(xml.len());
            let raw = &xml[pos..end];
            if raw.contains('>') && raw.contains("]]>") {
                return Err(format!("']]>' in text near byte {pos}"));
            }
            out.push(Event::Text(unescape(raw, pos)?));
            pos = end;
        }
    }
    Ok(out)
}

/// Checks that `xml` is a well-formed document: balanced tags, a single root, quoted and
/// unique attributes, known entities, and every namespace prefix declared in scope.
pub fn check_well_formed(xml: &str) -> Result<(), String> {
    if !xml.starts_with("<?xml ") {
        return Err("missing XML declaration".into());
    }
    let evs = events(xml)?;
    let mut stack: Vec<(String, Vec<String>)> = Vec::new();
    let mut roots = 0;
    for ev in &evs {
        match ev {
            Event::Start(name, attrs) | Event::Empty(name, attrs) => {
                if stack.is_empty() {
                    roots += 1;
                    if roots > 1 {
                        return Err(format!("second root element <{name}>"));
                    }
                }
                let declared: Vec<String> = attrs
                    .iter()
                    .filter_map(|(n, _)| n.strip_prefix("xmlns:").map(str::to_string))
                    .collect();
                let in_scope = |p: &str| {
                    p == "xml"
                        || declared.iter().any(|d| d == p)
                        || stack.iter().any(|(_, ds)| ds.iter().any(|d| d == p))
                };
                if let Some((p, _)) = name.split_once(':')
                    && !in_scope(p)
                {
                    return Err(format!("undeclared prefix in <{name}>"));
                }
                for (a, _) in attrs {
                    if let Some((p, _)) = a.split_once(':')
                        && p != "xmlns"
                        && !in_scope(p)
                    {
                        return Err(format!("undeclared prefix in attribute {a} of <{name}>"));
                    }
                }
                if matches!(ev, Event::Start(..)) {
                    stack.push((name.clone(), declared));
                } else if stack.is_empty() {
                    // An empty root element: nothing to close.
                }
            }
            Event::End(name) => match stack.pop() {
                Some((open, _)) if &open == name => {}
                Some((open, _)) => return Err(format!("</{name}> closes <{open}>")),
                None => return Err(format!("</{name}> without an open element")),
            },
            Event::Text(t) => {
                if stack.is_empty() && !t.trim().is_empty() {
                    return Err(format!("text outside the root element: {t:?}"));
                }
            }
        }
    }
    if let Some((open, _)) = stack.last() {
        return Err(format!("<{open}> is never closed"));
    }
    if roots == 0 {
        return Err("no root element".into());
    }
    Ok(())
}

/// The text of a WordprocessingML part, one string per paragraph, the way a plain-text
/// export shows it: `w:tab` as a tab, `w:br` as a line break, a legacy checkbox field as
/// ` FORMCHECKBOX `. Paragraphs of table cells come in document order.
pub fn paragraphs(xml: &str) -> Result<Vec<String>, String> {
    let evs = events(xml)?;
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut in_t = false;
    let mut in_instr = false;
    for ev in evs {
        match ev {
            Event::Start(n, _) if n == "w:p" => cur = Some(String::new()),
            Event::End(n) if n == "w:p" => {
                if let Some(p) = cur.take() {
                    out.push(p);
                }
            }
            Event::Start(n, _) if n == "w:t" => in_t = true,
            Event::End(n) if n == "w:t" => in_t = false,
            Event::Start(n, _) if n == "w:instrText" => in_instr = true,
            Event::End(n) if n == "w:instrText" => in_instr = false,
            Event::Empty(n, _) if n == "w:tab" => {
                if let Some(p) = cur.as_mut() {
                    p.push('\t');
                }
            }
            Event::Empty(n, _) if n == "w:br" => {
                if let Some(p) = cur.as_mut() {
                    p.push('\n');
                }
            }
            Event::Text(t) => {
                if let Some(p) = cur.as_mut() {
                    if in_t {
                        p.push_str(&t);
                    } else if in_instr && t.contains("FORMCHECKBOX") {
                        p.push_str(" FORMCHECKBOX ");
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_rejects() {
        let ok = r#"<?xml version="1.0"?><a xmlns:w="u"><w:b w:x="1 &amp; 2"/>t&#x2026;</a>"#;
        assert!(check_well_formed(ok).is_ok());
        for bad in [
            r#"<?xml version="1.0"?><a><b></a>"#,
            r#"<?xml version="1.0"?><a x=1/>"#,
            r#"<?xml version="1.0"?><a><w:b/></a>"#,
            r#"<?xml version="1.0"?><a>&nbsp;</a>"#,
            r#"<?xml version="1.0"?><a/><b/>"#,
            r#"<?xml version="1.0"?><a x="1" x="2"/>"#,
        ] {
            assert!(check_well_formed(bad).is_err(), "{bad}");
        }
    }
}
