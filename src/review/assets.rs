//! What the page loads besides itself, compiled into the binary: one style sheet. No script
//! (the forms work without), no font, no image: nothing is fetched from the internet.

/// The style sheet, served at [`STYLE_PATH`].
pub(crate) const STYLE: &str = include_str!("assets/style.css");

/// Its address; the version in it lets a browser keep it between runs of another clas.
pub(crate) const STYLE_PATH: &str = concat!("/assets/style-", env!("CARGO_PKG_VERSION"), ".css");
