//! The TOML files a Caf may edit (mappings, rule profiles and the calendar, `clas.toml`) are
//! reported the same way when they do not parse: the line, and what is wrong in French. The
//! toml crate speaks English and points at byte offsets; agents read French and count lines.
//! Each caller puts its own words around these (which file, what kind of file).

/// The line (1-based) where `text` stopped parsing, and why, in French.
pub(crate) fn describe(e: &toml::de::Error, text: &str) -> (usize, String) {
    let line = e.span().map(|s| line_at(text, s.start)).unwrap_or(1);
    (line, french(e.message()))
}

/// 1-based line of a byte offset.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The toml crate's message in French: the common mistakes said plainly, anything else kept
/// as is after a French label.
fn french(message: &str) -> String {
    let m = message.trim();
    if let Some(rest) = m.strip_prefix("unknown field `") {
        let (field, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = rest
            .strip_prefix(", expected one of ")
            .or_else(|| rest.strip_prefix(", expected "))
            .map(|list| list.split(", ").map(|k| k.trim_matches('`')).collect())
            .unwrap_or_default();
        return if known.is_empty() {
            format!("clé inconnue « {field} » (vérifiez l'orthographe)")
        } else {
            format!(
                "clé inconnue « {field} » (vérifiez l'orthographe ; clés possibles ici : {})",
                known.join(", ")
            )
        };
    }
    if let Some(rest) = m.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return format!("champ obligatoire absent : « {field} »");
    }
    if m.starts_with("invalid type") {
        return format!(
            "valeur du mauvais type : {} est attendu",
            expected(m.rsplit("expected ").next().unwrap_or(""))
        );
    }
    if m.starts_with("invalid value") {
        return format!(
            "valeur invalide : {} est attendu",
            expected(m.rsplit("expected ").next().unwrap_or(""))
        );
    }
    if m.contains("duplicate key") {
        return "clé écrite deux fois".into();
    }
    if m.starts_with("string values must be quoted") {
        return "un texte s'écrit entre guillemets droits, par exemple \"…\"".into();
    }
    format!("syntaxe incorrecte ({m})")
}

/// What serde says it expected, as an agent would say it.
fn expected(e: &str) -> &str {
    match e {
        "a boolean" => "true ou false",
        "a string" => "un texte entre guillemets",
        "f32" | "f64" | "a float" | "i8" | "i16" | "i32" | "i64" | "an integer" => "un nombre",
        "u8" | "u16" | "u32" | "u64" | "usize" => "un nombre positif ou nul",
        e if e.contains("sequence") => "une liste entre crochets, par exemple [\"…\", \"…\"]",
        e => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        nom: String,
        actif: Option<bool>,
        seuil: Option<u32>,
        liste: Option<Vec<String>>,
    }

    fn problem(text: &str) -> (usize, String) {
        describe(&toml::from_str::<File>(text).unwrap_err(), text)
    }

    #[test]
    fn line_and_french_message() {
        let (line, m) = problem("nom = \"a\"\n\nnon = 3\n");
        assert_eq!(line, 3);
        assert!(m.starts_with("clé inconnue « non »"), "{m}");
        assert!(m.contains("nom, actif, seuil, liste"), "{m}");
        assert_eq!(
            problem("actif = true\n"),
            (1, "champ obligatoire absent : « nom »".into())
        );
        assert_eq!(
            problem("nom = \"a\"\nactif = \"oui\"\n"),
            (
                2,
                "valeur du mauvais type : true ou false est attendu".into()
            )
        );
        assert_eq!(
            problem("nom = \"a\"\nseuil = -1\n"),
            (
                2,
                "valeur invalide : un nombre positif ou nul est attendu".into()
            )
        );
        assert_eq!(
            problem("nom = \"a\"\nnom = \"b\"\n"),
            (2, "clé écrite deux fois".into())
        );
        assert_eq!(problem("nom = a\n").0, 1);
        let (line, m) = problem("nom = \"a\"\n[liste\n");
        assert_eq!(line, 2);
        assert!(m.starts_with("syntaxe incorrecte ("), "{m}");
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_at("a\nb\nc", 2), 2);
        assert_eq!(line_at("a\nb\nc", 99), 3);
    }
}
