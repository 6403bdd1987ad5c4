//! `format.contact`: an e-mail address and a French telephone number that can be used.

use super::*;

pub(super) fn contact(e: &Extraction, email_id: &str, phone_id: &str, prefix: &str, out: &mut Out) {
    if let Some(email) = e
        .value(email_id)
        .as_text()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        && !is_email(email)
    {
        out.push(
            "format.contact",
            Severity::Warning,
            &[email_id],
            format!("{prefix}adresse mail « {email} » : ce n'est pas une adresse électronique (attendu : nom@domaine.fr)"),
        );
    }
    let phone = match e.value(phone_id) {
        Value::Text(t) => Some(t.trim().to_string()),
        // A number typed in a spreadsheet loses its leading 0.
        Value::Integer(i) => Some(i.to_string()),
        _ => None,
    };
    if let Some(phone) = phone.filter(|s| !s.is_empty())
        && !is_french_phone(&phone)
    {
        out.push(
            "format.contact",
            Severity::Warning,
            &[phone_id],
            format!(
                "{prefix}numéro de téléphone « {phone} » : ce n'est pas un numéro français (attendu : 10 chiffres commençant par 0, ou +33 suivi de 9 chiffres)"
            ),
        );
    }
}

/// An e-mail address: something, @, a domain with a dot and a top-level part of letters.
pub fn is_email(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^[^\s@<>(),;:]+@(?:[[:alnum:]](?:[[:alnum:]-]*[[:alnum:]])?\.)+[[:alpha:]]{2,}$",
        )
        .unwrap()
    });
    re.is_match(s.trim())
}

/// A French telephone number: 10 digits starting with 0 (spaces, dots or dashes between them),
/// or +33 (or 0033), an optional (0), then 9 digits. Several numbers separated by « / », « ; »,
/// « , » or « ou » are each checked.
pub fn is_french_phone(s: &str) -> bool {
    let folded = crate::text::fold(s);
    let parts: Vec<&str> = folded
        .split(['/', ';', ','])
        .flat_map(|p| p.split(" ou "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    !parts.is_empty() && parts.iter().all(|p| one_phone(p))
}

fn one_phone(s: &str) -> bool {
    let allowed =
        |c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}');
    let (international, rest) = if let Some(r) = s.strip_prefix("+33") {
        (true, r)
    } else if let Some(r) = s.strip_prefix("0033") {
        (true, r)
    } else {
        (false, s)
    };
    let rest = if international {
        rest.trim_start().strip_prefix("(0)").unwrap_or(rest)
    } else {
        rest
    };
    if !rest.chars().all(allowed) {
        return false;
    }
    let digits: Vec<char> = rest.chars().filter(|c| c.is_ascii_digit()).collect();
    if international {
        digits.len() == 9 && digits[0] != '0'
    } else {
        digits.len() == 10 && digits[0] == '0' && digits[1] != '0'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts() {
        assert!(is_email("referente@centre-minimes.fr"));
        assert!(is_email(" prenom.nom+clas@mairie.lyon.fr "));
        assert!(!is_email("referente@centre"));
        assert!(!is_email("referente centre@minimes.fr"));
        assert!(!is_email("referente.centre-minimes.fr"));
        for ok in [
            "04 78 12 34 56",
            "04.78.12.34.56",
            "04-78-12-34-56",
            "0478123456",
            "+33 4 78 12 34 56",
            "+33478123456",
            "+33 (0)4 78 12 34 56",
            "0033 6 12 34 56 78",
            "04 78 12 34 56 / 06 12 34 56 78",
        ] {
            assert!(is_french_phone(ok), "{ok}");
        }
        for bad in [
            "04 78 12 34 5",
            "4 78 12 34 56",
            "+33 04 78 12 34 56",
            "04 78 12 34 56 7",
            "tél. bureau",
            "00 00 00 00 00",
            "04 78 12 34 56 ou",
        ] {
            assert!(!is_french_phone(bad), "{bad}");
        }
    }
}
