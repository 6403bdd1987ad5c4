//! `clas review`: the review page, a local web application served by clas itself on
//! 127.0.0.1, where an agent sees what clas read of each document, where it was found, what the
//! rules say about it, and corrects it (docs/cli.md, « Corrections and the review page »).
//!
//! Everything is in the binary (the style sheet; no script, nothing from the internet). The
//! page reads the store at each request, so it runs beside `clas watch` on the same workspace
//! and shows new documents without a restart (SQLite's WAL lets readers and the writer work
//! together).
//!
//! One idea per file: `server` (the socket and its loop), `security` (host, token, origin),
//! `http` (requests and answers as data), `routes` (which page answers which address),
//! `model` (what the pages show, read from the store), `pages/` (the HTML, through maud, which
//! escapes every value), `assets` (the style sheet), `csv` (the journal's export), `browser`
//! (opening the agent's browser), `edit` (the corrections, through [`crate::corrections`]).

pub(crate) mod assets;
pub mod browser;
pub(crate) mod csv;
pub(crate) mod edit;
pub(crate) mod http;
pub(crate) mod model;
pub(crate) mod pages;
pub(crate) mod routes;
pub(crate) mod security;
pub(crate) mod server;
pub(crate) mod source;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::config::Config;
use crate::store::{Store, StoreError};

/// Why the review page could not start or stopped (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error(
        "page de relecture : impossible d'écouter sur 127.0.0.1, port {port} ({message}). Choisissez un autre port avec --port, ou laissez clas en prendre un libre."
    )]
    Listen { port: u16, message: String },
    #[error("page de relecture : {0}")]
    Serve(String),
    #[error(
        "page de relecture : le système ne fournit pas de nombre aléatoire pour protéger la page"
    )]
    Random,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether `dir` is a workspace: it has a `clas.toml` or a store (`clas.db`).
pub fn is_workspace(dir: &Path) -> bool {
    dir.join("clas.toml").is_file() || dir.join("clas.db").is_file()
}

/// What one request needs: the workspace, its store (read at each request), the token of this
/// run, and what is kept between requests to answer faster.
pub(crate) struct Context {
    pub(crate) config: Config,
    pub(crate) store: Store,
    pub(crate) token: security::Token,
    pub(crate) port: u16,
    pub(crate) sources: source::Cache,
}

/// The page, listening, not yet serving: its address can be printed and the browser opened
/// before [`Review::run`].
pub struct Review {
    server: tiny_http::Server,
    ctx: Context,
}

impl Review {
    /// Opens the workspace's store and listens on 127.0.0.1 at `port` (`None`: any free port).
    pub fn bind(config: &Config, port: Option<u16>) -> Result<Review, ReviewError> {
        let store = Store::open_workspace(config)?;
        let token = security::Token::random().ok_or(ReviewError::Random)?;
        let (server, port) = server::listen(port.unwrap_or(0))?;
        Ok(Review {
            server,
            ctx: Context {
                config: config.clone(),
                store,
                token,
                port,
                sources: source::Cache::default(),
            },
        })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.ctx.port)
    }

    /// Serves until `stop` is set.
    pub fn run(mut self, stop: &AtomicBool) -> Result<(), ReviewError> {
        server::run(&self.server, &mut self.ctx, stop)
    }
}
