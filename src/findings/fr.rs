//! Numbers, durations and plurals written for French readers: `12,5`, `1 250`, `1 h 30`.

/// A number rounded to two decimals, decimal comma, thousands grouped: `12,5`, `1 250`.
pub(crate) fn num(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let abs = rounded.abs();
    let int = abs.trunc() as u64;
    let cents = ((abs - abs.trunc()) * 100.0).round() as u64;
    let (int, cents) = if cents == 100 {
        (int + 1, 0)
    } else {
        (int, cents)
    };
    let digits = int.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    let mut out = String::new();
    if negative && (int > 0 || cents > 0) {
        out.push('-');
    }
    out.push_str(&grouped);
    if cents > 0 {
        let dec = format!("{cents:02}");
        out.push(',');
        out.push_str(dec.trim_end_matches('0'));
    }
    out
}

/// `3 enfants`, `1 enfant`, `0 enfant` (French singular for 0 and 1).
pub(crate) fn count(n: f64, singular: &str, plural: &str) -> String {
    let word = if n.abs() < 2.0 { singular } else { plural };
    format!("{} {word}", num(n))
}

/// A length in hours as people say it: `1 h 30`, `2 h`, `45 min`.
pub(crate) fn hours(h: f64) -> String {
    let total = (h * 60.0).round() as i64;
    let (hh, mm) = (total / 60, total % 60);
    match (hh, mm) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

/// A rate as a percentage: `25 %`, `12,5 %`.
pub(crate) fn percent(rate: f64) -> String {
    format!("{} %", num(rate * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers() {
        assert_eq!(num(13.0), "13");
        assert_eq!(num(12.5), "12,5");
        assert_eq!(num(1.0 / 3.0), "0,33");
        assert_eq!(num(1250.0), "1 250");
        assert_eq!(num(1234567.891), "1 234 567,89");
        assert_eq!(num(-2.5), "-2,5");
        assert_eq!(num(7.999), "8");
        assert_eq!(count(1.0, "enfant", "enfants"), "1 enfant");
        assert_eq!(count(26.0, "enfant", "enfants"), "26 enfants");
        assert_eq!(hours(1.5), "1 h 30");
        assert_eq!(hours(2.0), "2 h");
        assert_eq!(hours(0.75), "45 min");
        assert_eq!(hours(1.25), "1 h 15");
        assert_eq!(percent(0.25), "25 %");
    }
}
