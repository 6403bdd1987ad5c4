//! What keeps the review page the agent's alone: it listens on the loopback only (see
//! [`super::server`]); a request must name the page's own address in its `Host` header (a web
//! site that makes its name resolve to 127.0.0.1 — DNS rebinding — is refused); every change
//! (POST) carries the per-run token of the page's forms and, when the browser says where it
//! comes from (`Origin`), comes from the page itself (CSRF).

use std::fmt::Write;

/// The page's secret for this run: 32 random bytes, in hexadecimal, in a hidden field of every
/// form. Another site cannot read it (the same-origin policy), so it cannot forge a change.
#[derive(Clone)]
pub(crate) struct Token(String);

impl Token {
    /// A new token from the system's random source; `None` if it cannot give one (the page
    /// then refuses to start rather than run with a guessable token).
    pub(crate) fn random() -> Option<Token> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).ok()?;
        let mut s = String::with_capacity(64);
        for b in bytes {
            let _ = write!(s, "{b:02x}");
        }
        Some(Token(s))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Compared in constant time: how much of a guess is right does not show in the delay.
    pub(crate) fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// Why a request was refused, told to the agent (in French) with status 403 or 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    #[error(
        "adresse « {0} » refusée : la page de relecture ne répond qu'à l'adresse affichée au lancement de clas"
    )]
    Host(String),
    #[error("demande refusée : elle ne vient pas de la page de relecture (origine « {0} »)")]
    Origin(String),
    #[error(
        "demande refusée : le jeton de la page manque ou est périmé. Rechargez la page et recommencez."
    )]
    Token,
}

/// The `Host` header must be the page's own address: `127.0.0.1:PORT` or `localhost:PORT`.
pub(crate) fn check_host(host: Option<&str>, port: u16) -> Result<(), Refusal> {
    let host = host.unwrap_or("").trim();
    let ok = [format!("127.0.0.1:{port}"), format!("localhost:{port}")]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(host));
    if ok {
        Ok(())
    } else {
        Err(Refusal::Host(host.chars().take(100).collect()))
    }
}

/// A change: the token of this run, and the page's own origin when the browser gives one
/// (every current browser does for a form sent by POST).
pub(crate) fn check_change(
    origin: Option<&str>,
    token: Option<&str>,
    expected: &Token,
    port: u16,
) -> Result<(), Refusal> {
    if let Some(origin) = origin {
        let origin = origin.trim();
        let ok = [
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
        ]
        .iter()
        .any(|o| o.eq_ignore_ascii_case(origin));
        if !ok {
            return Err(Refusal::Origin(origin.chars().take(100).collect()));
        }
    }
    match token {
        Some(t) if expected.matches(t) => Ok(()),
        _ => Err(Refusal::Token),
    }
}

/// Headers of every answer: nothing loaded from elsewhere, no script at all, not shown in
/// another site's frame, no referrer sent elsewhere (`same-origin`: with `no-referrer` a
/// browser sends `Origin: null` with the page's own forms), nothing cached (the page shows
/// the store as it is now).
pub(crate) const HEADERS: &[(&str, &str)] = &[
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_page_s_own_host_is_served() {
        assert!(check_host(Some("127.0.0.1:8123"), 8123).is_ok());
        assert!(check_host(Some("LOCALHOST:8123"), 8123).is_ok());
        assert!(check_host(Some("127.0.0.1:8124"), 8123).is_err());
        assert!(check_host(Some("evil.example:8123"), 8123).is_err());
        assert!(check_host(Some("127.0.0.1"), 8123).is_err());
        assert!(check_host(None, 8123).is_err());
    }

    #[test]
    fn a_change_needs_the_token_and_the_page_s_origin() {
        let t = Token::random().unwrap();
        assert_eq!(t.as_str().len(), 64);
        assert!(Token::random().unwrap().as_str() != t.as_str());
        assert!(check_change(Some("http://127.0.0.1:9"), Some(t.as_str()), &t, 9).is_ok());
        assert!(check_change(None, Some(t.as_str()), &t, 9).is_ok());
        assert_eq!(
            check_change(Some("http://127.0.0.1:9"), None, &t, 9),
            Err(Refusal::Token)
        );
        assert_eq!(
            check_change(Some("http://127.0.0.1:9"), Some("0000"), &t, 9),
            Err(Refusal::Token)
        );
        assert!(matches!(
            check_change(Some("http://evil.example"), Some(t.as_str()), &t, 9),
            Err(Refusal::Origin(_))
        ));
        // The literal string "null" (a sandboxed frame, a file:// page) is not the page.
        assert!(check_change(Some("null"), Some(t.as_str()), &t, 9).is_err());
    }
}
