//! The text of a page as the interpreter leaves it: runs of glyphs on one baseline, placed in
//! page space. In a file of its own because every later stage takes it — the shapes (which
//! drop the glyphs that draw check boxes), the lines' layout and the page's assembly — and
//! none of them should depend on the content interpreter that makes it.

/// A run of text on one baseline, in page space (y upwards).
#[derive(Debug, Clone)]
pub(crate) struct Frag {
    pub x0: f64,
    pub x1: f64,
    /// End of its last glyph that is not a space.
    pub ink_x1: f64,
    /// End of its first word (where its first space starts), if it has a space.
    pub word_end: Option<f64>,
    /// Baseline.
    pub y: f64,
    /// Font size in page space.
    pub size: f64,
    pub text: String,
}
