//! How French respondents write numbers and dates.

pub const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
pub const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

/// Days since 1970-01-01.
pub fn days(y: i32, m: u32, d: u32) -> i64 {
    let y = y as i64 - if m <= 2 { 1 } else { 0 };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// 0 = lundi … 6 = dimanche.
pub fn weekday(y: i32, m: u32, d: u32) -> usize {
    (days(y, m, d) + 3).rem_euclid(7) as usize
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd(pub i32, pub u32, pub u32);

impl Ymd {
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
    pub fn days(self) -> i64 {
        days(self.0, self.1, self.2)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateStyle {
    /// `17/11/2025`
    Slash,
    /// `17/11/25`
    SlashShort,
    /// `17.11.25`
    Dots,
    /// `17 novembre 2025`, `1er décembre 2025`
    Long,
    /// `lundi 17 novembre 2025`
    LongWeekday,
}

pub fn format_date(d: Ymd, style: DateStyle) -> String {
    let Ymd(y, m, day) = d;
    let long_day = if day == 1 {
        "1er".to_string()
    } else {
        day.to_string()
    };
    match style {
        DateStyle::Slash => format!("{day:02}/{m:02}/{y}"),
        DateStyle::SlashShort => format!("{day:02}/{m:02}/{:02}", y % 100),
        DateStyle::Dots => format!("{day:02}.{m:02}.{:02}", y % 100),
        DateStyle::Long => format!("{long_day} {} {y}", MONTHS[m as usize - 1]),
        DateStyle::LongWeekday => {
            format!(
                "{} {long_day} {} {y}",
                WEEKDAYS[weekday(y, m, day)],
                MONTHS[m as usize - 1]
            )
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberStyle {
    /// `1250`, `312,5`
    Plain,
    /// `1 250` (space between thousands)
    Grouped,
    /// `1 250` with a no-break space, as Word's French autocorrect or a copy from Excel gives
    GroupedNbsp,
    /// `24 enfants`, `2 collectifs`, `1 250 heures`
    WithUnit,
}

fn group(int: u64, sep: char) -> String {
    let digits = int.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Writes a number the French way. `unit` is (singular, plural), used by `WithUnit`.
pub fn format_number(v: f64, style: NumberStyle, unit: (&str, &str)) -> String {
    let neg = v < 0.0;
    let a = v.abs();
    let int = a.trunc() as u64;
    let frac = a - a.trunc();
    let sep = match style {
        NumberStyle::Plain => None,
        NumberStyle::GroupedNbsp => Some('\u{a0}'),
        NumberStyle::Grouped | NumberStyle::WithUnit => Some(' '),
    };
    let mut s = match sep {
        Some(c) => group(int, c),
        None => int.to_string(),
    };
    if frac > 1e-9 {
        let f = format!("{:.2}", frac);
        let f = f
            .trim_start_matches('0')
            .trim_start_matches('.')
            .trim_end_matches('0');
        if !f.is_empty() {
            s.push(',');
            s.push_str(f);
        }
    }
    if neg {
        s.insert(0, '-');
    }
    if style == NumberStyle::WithUnit && !unit.0.is_empty() {
        s.push(' ');
        s.push_str(if a > 1.0 || frac > 0.0 {
            unit.1
        } else {
            unit.0
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(weekday(2025, 11, 17), 0);
        assert_eq!(
            format_date(Ymd(2025, 11, 17), DateStyle::LongWeekday),
            "lundi 17 novembre 2025"
        );
        assert_eq!(
            format_date(Ymd(2025, 12, 1), DateStyle::Long),
            "1er décembre 2025"
        );
        assert_eq!(format_date(Ymd(2025, 11, 17), DateStyle::Dots), "17.11.25");
        assert_eq!(
            format_date(Ymd(2025, 11, 17), DateStyle::Slash),
            "17/11/2025"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            format_number(1250.0, NumberStyle::Grouped, ("", "")),
            "1 250"
        );
        assert_eq!(format_number(312.5, NumberStyle::Plain, ("", "")), "312,5");
        assert_eq!(
            format_number(24.0, NumberStyle::WithUnit, ("enfant", "enfants")),
            "24 enfants"
        );
        assert_eq!(
            format_number(1.0, NumberStyle::WithUnit, ("collectif", "collectifs")),
            "1 collectif"
        );
        assert_eq!(format_number(3.75, NumberStyle::Plain, ("", "")), "3,75");
        assert_eq!(
            format_number(1250.0, NumberStyle::GroupedNbsp, ("", "")),
            "1\u{a0}250"
        );
    }
}
