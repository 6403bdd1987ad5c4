//! A value typed by an agent, read with the extraction's own rules for the field's type
//! (French numbers and dates, oui/non, coché/vide); `""` empties the field.

use crate::dictionary::FieldType;
use crate::extraction::Value;
use crate::text::fold;
use crate::values::{Number, parse_date, parse_number};

/// Reads `text` as a value of type `kind`; `Err` says, in French, what was expected.
pub fn parse_value(kind: FieldType, text: &str) -> Result<Value, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Value::Null);
    }
    match kind {
        FieldType::Text => Ok(Value::Text(t.to_string())),
        FieldType::Integer => match parse_number(t) {
            Some(Number::Integer(i)) => Ok(Value::Integer(i)),
            Some(Number::Decimal(d)) if d.fract() == 0.0 && d.abs() < 1e15 => {
                Ok(Value::Integer(d as i64))
            }
            Some(Number::Decimal(_)) => Err(format!(
                "« {t} » n'est pas un nombre entier ; ce champ attend un nombre entier, par exemple 15 ou 1 250"
            )),
            None => Err(format!(
                "« {t} » n'est pas un nombre ; ce champ attend un nombre entier écrit en chiffres, par exemple 15 ou 1 250"
            )),
        },
        FieldType::Decimal => match parse_number(t) {
            Some(Number::Integer(i)) => Ok(Value::Decimal(i as f64)),
            Some(Number::Decimal(d)) => Ok(Value::Decimal(d)),
            None => Err(format!(
                "« {t} » n'est pas un nombre ; ce champ attend un nombre écrit en chiffres, par exemple 312,5"
            )),
        },
        FieldType::Date => parse_date(t).map(Value::Date).ok_or_else(|| {
            format!("« {t} » n'est pas une date ; ce champ attend une date, par exemple 17/11/2025")
        }),
        FieldType::Yesno => match fold(t).trim() {
            "oui" => Ok(Value::Bool(true)),
            "non" => Ok(Value::Bool(false)),
            _ => Err(format!(
                "« {t} » n'est ni « oui » ni « non » ; ce champ attend oui ou non"
            )),
        },
        FieldType::Check => match fold(t).trim() {
            "coche" | "cochee" | "x" | "oui" => Ok(Value::Bool(true)),
            "vide" | "non coche" | "non cochee" | "non" => Ok(Value::Bool(false)),
            _ => Err(format!(
                "« {t} » n'est ni « coché » ni « vide » ; ce champ est une case à cocher : écrivez coché ou vide"
            )),
        },
        FieldType::Table => Err(
            "ce champ est un tableau : il ne se corrige pas valeur par valeur ; demandez au porteur un document corrigé"
                .into(),
        ),
    }
}

/// What an agent types for a value (the inverse of [`parse_value`]): `15`, `17/11/2025`,
/// `oui`, `coché`; empty for no value.
pub fn display_value(kind: FieldType, v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Text(t) => t.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(d) => crate::values::format_number(*d),
        Value::Date(d) => d.french(),
        Value::Bool(b) => match (kind, b) {
            (FieldType::Check, true) => "coché".into(),
            (FieldType::Check, false) => "vide".into(),
            (_, true) => "oui".into(),
            (_, false) => "non".into(),
        },
        Value::Table(rows) => format!("{} ligne(s)", rows.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Date;

    #[test]
    fn values_read_by_the_type_of_the_field() {
        assert_eq!(
            parse_value(FieldType::Integer, "15"),
            Ok(Value::Integer(15))
        );
        assert_eq!(
            parse_value(FieldType::Integer, "1 250"),
            Ok(Value::Integer(1250))
        );
        assert_eq!(
            parse_value(FieldType::Decimal, "312,5"),
            Ok(Value::Decimal(312.5))
        );
        assert_eq!(
            parse_value(FieldType::Date, "17/11/2025"),
            Ok(Value::Date(Date::new(2025, 11, 17).unwrap()))
        );
        assert_eq!(parse_value(FieldType::Yesno, "Oui"), Ok(Value::Bool(true)));
        assert_eq!(
            parse_value(FieldType::Check, "coché"),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            parse_value(FieldType::Check, "vide"),
            Ok(Value::Bool(false))
        );
        assert_eq!(parse_value(FieldType::Integer, ""), Ok(Value::Null));
        assert_eq!(
            parse_value(FieldType::Text, "  Centre social  "),
            Ok(Value::Text("Centre social".into()))
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_with_the_reason() {
        let e = parse_value(FieldType::Integer, "une quinzaine").unwrap_err();
        assert!(e.contains("n'est pas un nombre"), "{e}");
        let e = parse_value(FieldType::Integer, "12,5").unwrap_err();
        assert!(e.contains("entier"), "{e}");
        assert!(parse_value(FieldType::Date, "début novembre").is_err());
        assert!(parse_value(FieldType::Yesno, "peut-être").is_err());
        assert!(parse_value(FieldType::Check, "oui et non").is_err());
        assert!(parse_value(FieldType::Table, "x").is_err());
    }

    #[test]
    fn display_is_what_parse_reads_back() {
        for (kind, text) in [
            (FieldType::Integer, "1250"),
            (FieldType::Decimal, "312,5"),
            (FieldType::Date, "17/11/2025"),
            (FieldType::Yesno, "non"),
            (FieldType::Check, "coché"),
        ] {
            let v = parse_value(kind, text).unwrap();
            assert_eq!(display_value(kind, &v), text);
        }
    }
}
