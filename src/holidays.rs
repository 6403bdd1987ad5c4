//! French public holidays (jours fériés, metropolitan list): a week shortened by one does not
//! count against a collectif's rhythm of sessions.

use crate::values::Date;

/// Easter Sunday of a year (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub(crate) fn easter(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date {
        year,
        month: month as u32,
        day: day as u32,
    }
}

/// The public holidays of a calendar year: 1 January, Easter Monday, 1 May, 8 May, Ascension,
/// Whit Monday, 14 July, 15 August, 1 November, 11 November, 25 December.
pub(crate) fn public_holidays(year: i32) -> Vec<Date> {
    let fixed = [
        (1, 1),
        (5, 1),
        (5, 8),
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ];
    let easter = easter(year).days();
    let mut days: Vec<Date> = fixed
        .iter()
        .filter_map(|&(m, d)| Date::new(year, m, d))
        .chain(
            [1, 39, 50]
                .iter()
                .map(|offset| Date::from_days(easter + offset)),
        )
        .collect();
    days.sort();
    days
}

pub(crate) fn is_public_holiday(date: Date) -> bool {
    public_holidays(date.year).contains(&date)
}

/// `date` itself if it is a working day, else the next one: no Saturday, Sunday or public
/// holiday (a letter's reply deadline).
pub(crate) fn working_day_on_or_after(date: Date) -> Date {
    let mut d = date;
    while d.weekday() >= 5 || is_public_holiday(d) {
        d = Date::from_days(d.days() + 1);
    }
    d
}

/// Whether the week starting on `week_start` (a Monday, as days) has a public holiday between
/// Monday and Friday.
pub(crate) fn week_has_weekday_holiday(week_start: i64) -> bool {
    (week_start..week_start + 5).any(|d| is_public_holiday(Date::from_days(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Date {
        Date::new(y, m, dd).unwrap()
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter(2022), d(2022, 4, 17));
        assert_eq!(easter(2024), d(2024, 3, 31));
        assert_eq!(easter(2025), d(2025, 4, 20));
        assert_eq!(easter(2026), d(2026, 4, 5));
    }

    #[test]
    fn movable_holidays_2025() {
        let h = public_holidays(2025);
        assert_eq!(h.len(), 11);
        assert!(h.contains(&d(2025, 4, 21))); // lundi de Pâques
        assert!(h.contains(&d(2025, 5, 29))); // Ascension
        assert!(h.contains(&d(2025, 6, 9))); // lundi de Pentecôte
        assert!(is_public_holiday(d(2025, 11, 11)));
        assert!(!is_public_holiday(d(2025, 11, 12)));
    }

    #[test]
    fn deadlines_move_to_the_next_working_day() {
        // 1er janvier 2027 is a Friday (holiday): Monday 4.
        assert_eq!(working_day_on_or_after(d(2027, 1, 1)), d(2027, 1, 4));
        // Saturday 2 January 2027 → Monday 4.
        assert_eq!(working_day_on_or_after(d(2027, 1, 2)), d(2027, 1, 4));
        // Easter Monday 2026 (6 April) → Tuesday 7.
        assert_eq!(working_day_on_or_after(d(2026, 4, 6)), d(2026, 4, 7));
        // Sunday 1 November 2026 (holiday too) → Monday 2.
        assert_eq!(working_day_on_or_after(d(2026, 11, 1)), d(2026, 11, 2));
        // A plain Tuesday stays.
        assert_eq!(working_day_on_or_after(d(2026, 12, 1)), d(2026, 12, 1));
    }

    #[test]
    fn holiday_weeks() {
        // 11 novembre 2024 is a Monday; 1er novembre 2025 is a Saturday.
        assert!(week_has_weekday_holiday(d(2024, 11, 11).week_start()));
        assert!(!week_has_weekday_holiday(d(2025, 10, 27).week_start()));
        assert!(!week_has_weekday_holiday(d(2025, 11, 17).week_start()));
    }
}
