//! Where things are on a page: the affine matrices of content streams, and the page's
//! rotation and vertical extent. Apart from the reader so that the interpreter and the
//! form-field reader share them without depending on the reader that drives them.

use lopdf::{Dictionary, Object};

use super::objects::{inherited, number};

/// A 2D affine matrix `[a b c d e f]`, row-vector convention as in the PDF specification.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix(pub [f64; 6]);

impl Matrix {
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other`: `self` applied first.
    pub(crate) fn then(self, o: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Matrix([
            a * oa + b * oc,
            a * ob + b * od,
            c * oa + d * oc,
            c * ob + d * od,
            e * oa + f * oc + oe,
            e * ob + f * od + of,
        ])
    }

    pub fn apply(self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    pub(crate) fn from_operands(doc: &lopdf::Document, ops: &[Object]) -> Option<Matrix> {
        if ops.len() < 6 {
            return None;
        }
        let mut m = [0.0; 6];
        for (k, o) in ops[..6].iter().enumerate() {
            m[k] = number(doc, o)?;
        }
        m.iter().all(|v| v.is_finite()).then_some(Matrix(m))
    }
}

/// The page as seen: its rotation, and the top and bottom of its box in the rotated space.
pub(crate) struct PageGeometry {
    /// Default user space → the page as displayed (rotation applied).
    pub base: Matrix,
    pub top: f64,
    pub bottom: f64,
}

impl PageGeometry {
    pub(crate) fn of(doc: &lopdf::Document, page: &Dictionary) -> PageGeometry {
        let rotate = inherited(doc, page, b"Rotate")
            .and_then(|o| number(doc, o))
            .unwrap_or(0.0) as i64;
        let base = match rotate.rem_euclid(360) {
            90 => Matrix([0.0, -1.0, 1.0, 0.0, 0.0, 0.0]),
            180 => Matrix([-1.0, 0.0, 0.0, -1.0, 0.0, 0.0]),
            270 => Matrix([0.0, 1.0, -1.0, 0.0, 0.0, 0.0]),
            _ => Matrix::IDENTITY,
        };
        let media = |key: &[u8]| -> Option<[f64; 4]> {
            let Object::Array(a) = inherited(doc, page, key)? else {
                return None;
            };
            let v: Vec<f64> = a.iter().filter_map(|o| number(doc, o)).collect();
            (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
        };
        let b = media(b"CropBox")
            .or_else(|| media(b"MediaBox"))
            .unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let (_, y0) = base.apply(b[0], b[1]);
        let (_, y1) = base.apply(b[2], b[3]);
        let (_, y2) = base.apply(b[0], b[3]);
        let (_, y3) = base.apply(b[2], b[1]);
        let ys = [y0, y1, y2, y3];
        PageGeometry {
            base,
            top: ys.iter().copied().fold(f64::MIN, f64::max),
            bottom: ys.iter().copied().fold(f64::MAX, f64::min),
        }
    }
}
