//! Ligature glyphs (ﬀ ﬁ ﬂ ﬃ ﬄ) as the letters they stand for, and the broken ToUnicode entries
//! Ghostscript writes for them.
//!
//! Forms are searched letter by letter: « Difficulté » must read `Difficulté` whether the PDF
//! maps its ffi glyph to U+FB03, to `ffi`, or to what `gs -sDEVICE=pdfwrite` (and the « print
//! to PDF » drivers built on it) writes. Ghostscript 10 writes the letters of a ligature as
//! UTF-16 *little*-endian, and squeezes three letters into two units by adding the last two
//! bytes: `fi` becomes `<66006900>` (read as UTF-16BE: U+6600 U+6900, `昀椀`), `ffi`
//! becomes `<6600cf00>` (0x66 + 0x69 = 0xCF: `昀케`). A ligature's own code point written
//! byte-swapped (U+FB01 as U+01FB) is the same mistake on one unit.

/// The letters of a ligature character (U+FB00 to U+FB04).
pub(crate) fn letters(c: char) -> Option<&'static str> {
    Some(match c as u32 {
        0xFB00 => "ff",
        0xFB01 => "fi",
        0xFB02 => "fl",
        0xFB03 => "ffi",
        0xFB04 => "ffl",
        _ => return None,
    })
}

/// A ligature's code point written byte-swapped in a ToUnicode entry (U+FB01 as U+01FB).
/// U+00FB (û, a French letter) is never taken for a swapped ﬀ.
fn swapped(c: char) -> Option<&'static str> {
    match c as u32 {
        u @ 0x01FB..=0x04FB if u & 0xFF == 0xFB => letters(char::from_u32(0xFB00 | (u >> 8))?),
        _ => None,
    }
}

/// The letters a ToUnicode value stands for when it is a ligature (proper or broken as
/// described above); `None` for any other text, which is kept as it is.
pub(crate) fn repair(text: &str) -> Option<&'static str> {
    let mut it = text.chars();
    let first = it.next()?;
    match (first as u32, it.next(), it.next()) {
        (_, None, _) => letters(first).or_else(|| swapped(first)),
        // `f` written little-endian, then the rest of the ligature.
        (0x6600, Some(second), None) => Some(match second as u32 {
            0x6600 => "ff",
            0x6900 => "fi",
            0x6C00 => "fl",
            0xCF00 => "ffi",
            0xD200 => "ffl",
            _ => return None,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ghostscript_ligatures_become_letters() {
        for (broken, want) in [
            ("\u{6600}\u{6600}", "ff"),
            ("\u{6600}\u{6900}", "fi"),
            ("\u{6600}\u{6C00}", "fl"),
            ("\u{6600}\u{CF00}", "ffi"),
            ("\u{6600}\u{D200}", "ffl"),
            ("\u{FB01}", "fi"),
            ("\u{01FB}", "fi"),
            ("\u{FB03}", "ffi"),
        ] {
            assert_eq!(repair(broken), Some(want), "{broken}");
        }
    }

    #[test]
    fn other_text_is_kept() {
        // û (U+00FB) is a French letter, not a swapped ﬀ; real CJK text is not a ligature;
        // three units are not Ghostscript's two.
        for kept in [
            "û",
            "f",
            "fi",
            "昀",
            "\u{6600}\u{6100}",
            "\u{6600}\u{6900}\u{6900}",
            "日本",
        ] {
            assert_eq!(repair(kept), None, "{kept}");
        }
    }
}
