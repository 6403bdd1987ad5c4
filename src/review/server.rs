//! The socket: clas serves the page itself on the loopback (127.0.0.1), one request at a time
//! (one agent, a page read from the store in a few milliseconds). Each request is checked
//! ([`super::security`]) before the routes see it, and every answer carries the security
//! headers.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::http::{Method, Request, Response, parse_pairs};
use super::security::{self, Refusal};
use super::{Context, ReviewError, pages, routes};

/// A form larger than this is refused (a correction is a few hundred bytes).
const MAX_BODY: u64 = 1 << 20;

/// Listens on 127.0.0.1 at `port` (0: any free port).
pub(crate) fn listen(port: u16) -> Result<(tiny_http::Server, u16), ReviewError> {
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| ReviewError::Listen {
        port,
        message: e.to_string(),
    })?;
    let bound = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| ReviewError::Listen {
            port,
            message: "adresse inconnue".into(),
        })?;
    Ok((server, bound))
}

/// Serves until `stop` is set (checked a few times a second).
pub(crate) fn run(
    server: &tiny_http::Server,
    ctx: &mut Context,
    stop: &AtomicBool,
) -> Result<(), ReviewError> {
    while !stop.load(Ordering::SeqCst) {
        let request = match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(e) => return Err(ReviewError::Serve(e.to_string())),
        };
        answer(ctx, request);
    }
    Ok(())
}

fn header<'a>(r: &'a tiny_http::Request, name: &'static str) -> Option<&'a str> {
    r.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// One request answered (a browser that went away meanwhile is not an error).
fn answer(ctx: &mut Context, mut request: tiny_http::Request) {
    let response = match read(ctx, &mut request) {
        Ok(req) => routes::handle(ctx, &req),
        Err(refusal) => refused(&refusal),
    };
    let mut out = tiny_http::Response::from_data(response.body).with_status_code(response.status);
    let mut add = |name: &str, value: &str| {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            out.add_header(h);
        }
    };
    add("Content-Type", response.content_type);
    for (name, value) in security::HEADERS {
        add(name, value);
    }
    for (name, value) in &response.headers {
        add(name, value);
    }
    let _ = request.respond(out);
}

/// The request as the routes see it, once its host (and for a change, its origin and token)
/// are checked.
fn read(ctx: &Context, request: &mut tiny_http::Request) -> Result<Request, Refusal> {
    security::check_host(header(request, "Host"), ctx.port)?;
    let method = match request.method() {
        tiny_http::Method::Get | tiny_http::Method::Head => Method::Get,
        tiny_http::Method::Post => Method::Post,
        _ => Method::Other,
    };
    let url = request.url().to_string();
    // A fragment is never sent by a browser; a client that sends one does not get a 404.
    let url = url.split('#').next().unwrap_or("");
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    let mut form = Vec::new();
    if method == Method::Post {
        let mut body = Vec::new();
        let _ = request.as_reader().take(MAX_BODY).read_to_end(&mut body);
        form = parse_pairs(&body);
        let token = form
            .iter()
            .find(|(k, _)| k == "jeton")
            .map(|(_, v)| v.as_str());
        security::check_change(header(request, "Origin"), token, &ctx.token, ctx.port)?;
    }
    Ok(Request {
        method,
        path,
        query: parse_pairs(query.as_bytes()),
        form,
    })
}

fn refused(refusal: &Refusal) -> Response {
    let status = match refusal {
        Refusal::Host(_) => 421,
        _ => 403,
    };
    Response::html(
        status,
        pages::layout::bare("Demande refusée", &refusal.to_string()),
    )
}
