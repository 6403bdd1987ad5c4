//! File names as the agent reads them and as the archives can hold them: a name that is not
//! valid UTF-8 (an old share's Latin-1 or Windows-1252) decoded rather than mangled, a name
//! too long for its report beside it shortened, a name with a line break made visible in the
//! log.

use std::ffi::OsStr;

/// The longest name (in bytes) given to an archived file, its extension included: room is left
/// for the report's suffix (`.rapport.txt`), a number (` (12)`) and the temporary names of the
/// protocol (`.<nom>.<pid>.clas-copie`) within the 255 bytes most file systems allow.
pub(crate) const MAX_NAME_BYTES: usize = 200;

/// A file name as text: as it is when valid UTF-8; otherwise each byte read as Windows-1252
/// (Latin-1 with the usual quotes, dashes and €), which is what old shares and zip files from
/// Windows hold, and which loses nothing of an accented French name.
pub(crate) fn decoded(name: &OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        name.as_bytes().iter().map(|&b| windows_1252(b)).collect()
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// Whether a name is not valid UTF-8 (it then cannot be stored and found again as it is).
pub(crate) fn not_utf8(name: &OsStr) -> bool {
    name.to_str().is_none()
}

#[cfg(unix)]
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// `name` shortened so that it holds in [`MAX_NAME_BYTES`], its extension kept: the stem is cut
/// (on a character boundary) and marked with `…`. A name that fits is returned as it is.
pub(crate) fn fitting(name: &str) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 16 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let room = MAX_NAME_BYTES - ext.len() - '…'.len_utf8();
    let mut cut = room.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…{ext}", stem[..cut].trim_end())
}

/// A text for one line of the log: line breaks and other control characters written as
/// `\n`, `\r`, `\t` or `\u{…}`, so that a file name cannot split a line or forge another.
pub fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_shortened_keeping_the_extension() {
        let long = format!("{}.docx", "é".repeat(150));
        let short = fitting(&long);
        assert!(short.len() <= MAX_NAME_BYTES, "{}", short.len());
        assert!(short.ends_with("….docx"), "{short}");
        assert_eq!(fitting("bilan.docx"), "bilan.docx");
    }

    #[cfg(unix)]
    #[test]
    fn latin1_names_are_decoded() {
        use std::os::unix::ffi::OsStrExt;
        let name = OsStr::from_bytes(b"bilan \xe9t\xe9 \x96 2025.docx");
        assert!(not_utf8(name));
        assert_eq!(decoded(name), "bilan été – 2025.docx");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(one_line("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(one_line("bilan.docx"), "bilan.docx");
    }
}
