//! A request as the pages see it (method, path, query, form fields) and the answer they give:
//! plain data, so that pages and routes are tested without a socket.

use maud::Markup;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Other,
}

#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: Method,
    /// Percent-decoded, without the query.
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    /// The fields of a form sent by POST (`application/x-www-form-urlencoded`).
    pub(crate) form: Vec<(String, String)>,
}

impl Request {
    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `a=1&b=%C3%A9` → pairs, `+` as a space.
pub(crate) fn parse_pairs(s: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(s)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Response {
    pub(crate) fn html(status: u16, page: Markup) -> Response {
        Response {
            status,
            content_type: "text/html; charset=utf-8",
            body: page.into_string().into_bytes(),
            headers: Vec::new(),
        }
    }

    pub(crate) fn bytes(content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status: 200,
            content_type,
            body,
            headers: Vec::new(),
        }
    }

    /// A file to save (the synthesis, a letter, the journal as CSV), under `name`.
    pub(crate) fn download(content_type: &'static str, body: Vec<u8>, name: &str) -> Response {
        let mut r = Response::bytes(content_type, body);
        r.headers
            .push(("Content-Disposition", content_disposition(name)));
        r
    }

    /// After a change: the browser goes to `location` (303: fetched with GET, so that
    /// reloading the page does not send the change again).
    pub(crate) fn see_other(location: String) -> Response {
        Response {
            status: 303,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            headers: vec![("Location", location)],
        }
    }

    pub(crate) fn empty(status: u16) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            headers: Vec::new(),
        }
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII name for old clients, the real
/// one (accents) for the others.
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String =
        percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The content type of a file served for download, by its extension.
pub(crate) fn content_type_of(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf" => "application/pdf",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "xls" => "application/vnd.ms-excel",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_file_names() {
        assert_eq!(
            parse_pairs(b"valeur=15&motif=appel+du+porteur+%C3%A9t%C3%A9"),
            vec![
                ("valeur".into(), "15".into()),
                ("motif".into(), "appel du porteur été".into())
            ]
        );
        let d = content_disposition("synthèse \"1\".xlsx");
        assert!(
            d.starts_with("attachment; filename=\"synth_se _1_.xlsx\""),
            "{d}"
        );
        assert!(d.contains("UTF-8''synth%C3%A8se%20%221%22%2Exlsx"), "{d}");
    }
}
