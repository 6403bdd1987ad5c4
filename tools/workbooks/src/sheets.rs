//! Laying a [`Group`] out on a worksheet, in the reference layout or one of the variants that
//! porteurs make of it (docs/presence.md).

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::model::{Date, Group, Mark};

/// How session dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates {
    /// Real spreadsheet dates (`dd/mm/yyyy` format).
    Real,
    /// Text `16/11/2026`.
    Text,
    /// Text `lun. 16/11/2026`.
    Weekday,
    /// Text `16/11`: the year comes from `Année scolaire :`.
    DayMonth,
    /// A merged month row (« novembre 2026 ») above day numbers.
    MonthRow,
}

/// How marks are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// `P`, `A`, `E`.
    Reference,
    /// Every accepted spelling, in any case, numbers included.
    Varied,
}

/// The `Durée (h)` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duree {
    /// Numbers of hours (`1,5`).
    Hours,
    /// Text (`1 h 30`, `2 h`).
    Text,
    /// Excel times (`01:30`).
    Time,
    /// No row: the configured default applies.
    None,
}

#[derive(Debug, Clone)]
pub struct Style {
    pub dates: Dates,
    pub marks: Marks,
    pub duree: Duree,
    /// Title merged over two rows, header block moved down with blank rows, column A left
    /// blank, a blank column before the sessions, a blank row among the children, a legend.
    pub shifted: bool,
    /// A total column and a total row, then formatted empty rows.
    pub totals: bool,
    /// `Année scolaire : 2026-2027` in the header block.
    pub year_label: bool,
    /// `Action N°` written as a number rather than text.
    pub action_as_number: bool,
    /// Marks that are none of the accepted ones: (group, child, session, text).
    pub bad_marks: Vec<(usize, usize, usize, &'static str)>,
    /// A « Récapitulatif » sheet after the collectifs: the children and their totals, no
    /// session column (not a collectif).
    pub recap: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            dates: Dates::Real,
            marks: Marks::Reference,
            duree: Duree::Hours,
            shifted: false,
            totals: false,
            year_label: false,
            action_as_number: false,
            bad_marks: Vec::new(),
            recap: false,
        }
    }
}

/// Where everything goes on a sheet (rows and columns from 0).
pub struct Pos {
    pub col0: u16,
    pub labels: Vec<u32>,
    pub month_row: Option<u32>,
    pub header_row: u32,
    pub duree_row: Option<u32>,
    pub ident_cols: [u16; 4],
    pub session_cols: Vec<u16>,
    pub child_rows: Vec<u32>,
    pub total_col: Option<u16>,
    pub total_row: Option<u32>,
    pub legend_row: Option<u32>,
    pub end_row: u32,
}

pub fn layout(style: &Style, sessions: usize, children: usize) -> Pos {
    let col0: u16 = if style.shifted { 1 } else { 0 };
    let n_labels = if style.year_label { 6 } else { 5 };
    let labels: Vec<u32> = if style.shifted {
        // Title on rows 1-2, a blank row, two labels, a blank row, the others.
        (0..n_labels)
            .map(|i| 3 + i + if i >= 2 { 1 } else { 0 })
            .collect()
    } else {
        (0..n_labels).collect()
    };
    let after_labels = labels.last().unwrap() + if style.shifted { 3 } else { 2 };
    let (month_row, header_row) = if style.dates == Dates::MonthRow {
        (Some(after_labels), after_labels + 1)
    } else {
        (None, after_labels)
    };
    let duree_row = (style.duree != Duree::None).then_some(header_row + 1);
    let first_child = header_row + 1 + duree_row.is_some() as u32;
    let ident_cols = [col0, col0 + 1, col0 + 2, col0 + 3];
    let first_session = col0 + 4 + style.shifted as u16;
    let session_cols: Vec<u16> = (0..sessions as u16).map(|i| first_session + i).collect();
    let child_rows: Vec<u32> = (0..children as u32)
        .map(|i| first_child + i + if style.shifted && i >= 5 { 1 } else { 0 })
        .collect();
    let last_child = child_rows.last().copied().unwrap_or(first_child);
    let total_col = style.totals.then(|| first_session + sessions as u16);
    let total_row = style.totals.then_some(last_child + 2);
    let legend_row = style.shifted.then(|| total_row.unwrap_or(last_child) + 2);
    let end_row = legend_row.or(total_row).unwrap_or(last_child) + 1;
    Pos {
        col0,
        labels,
        month_row,
        header_row,
        duree_row,
        ident_cols,
        session_cols,
        child_rows,
        total_col,
        total_row,
        legend_row,
        end_row,
    }
}

/// `A`, `B`, … `AA` for a column from 0.
pub fn col_letters(col: u16) -> String {
    let mut n = col as u32 + 1;
    let mut s = Vec::new();
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

pub struct Formats {
    pub title: Format,
    pub label: Format,
    pub value: Format,
    pub head: Format,
    pub date: Format,
    pub month: Format,
    pub duree: Format,
    pub time: Format,
    pub cell: Format,
    pub mark: Format,
    pub total: Format,
    pub wrap: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: Format::new().set_bold(),
            value: Format::new().set_background_color(Color::RGB(0xFFF8DC)),
            head: border(
                Format::new()
                    .set_bold()
                    .set_background_color(Color::RGB(0xDDEBF7)),
            )
            .set_align(FormatAlign::Center),
            date: border(
                Format::new()
                    .set_bold()
                    .set_num_format("dd/mm/yyyy")
                    .set_background_color(Color::RGB(0xDDEBF7)),
            )
            .set_align(FormatAlign::Center),
            month: border(
                Format::new()
                    .set_bold()
                    .set_background_color(Color::RGB(0xBDD7EE)),
            )
            .set_align(FormatAlign::Center),
            duree: border(Format::new().set_italic().set_num_format("0.0#"))
                .set_align(FormatAlign::Center),
            time: border(Format::new().set_italic().set_num_format("hh:mm"))
                .set_align(FormatAlign::Center),
            cell: border(Format::new()),
            mark: border(Format::new()).set_align(FormatAlign::Center),
            total: border(Format::new().set_bold()).set_align(FormatAlign::Center),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

const MOIS: [&str; 12] = [
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
const JOURS: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];

fn excel_date(d: Date) -> ExcelDateTime {
    ExcelDateTime::from_ymd(d.year as u16, d.month as u8, d.day as u8).expect("valid date")
}

/// The text a mark is written as; `k` varies the spelling in [`Marks::Varied`].
fn mark_text(m: Mark, style: Marks, k: usize) -> MarkCell {
    use MarkCell::*;
    match (style, m) {
        (Marks::Reference, Mark::P) => T("P"),
        (Marks::Reference, Mark::A) => T("A"),
        (Marks::Reference, Mark::E) => T("E"),
        (Marks::Varied, Mark::P) => [
            T("P"),
            T("p"),
            T("X"),
            T("x"),
            T("1"),
            N(1.0),
            T("✓"),
            T("présent"),
        ][k % 8],
        (Marks::Varied, Mark::A) => [
            T("A"),
            T("a"),
            T("0"),
            T("abs"),
            T("ABS"),
            N(0.0),
            T("Abs."),
        ][k % 7],
        (Marks::Varied, Mark::E) => [T("E"), T("e"), T("excusé")][k % 3],
    }
}

#[derive(Clone, Copy)]
enum MarkCell {
    T(&'static str),
    N(f64),
}

pub struct Header<'a> {
    pub porteur: &'a str,
    pub action: &'a str,
    pub annee: &'a str,
}

/// Writes one collectif's sheet. Returns the warnings the reader must give for it.
pub fn write_group(
    wb: &mut Workbook,
    g: &Group,
    gi: usize,
    header: &Header<'_>,
    style: &Style,
    fm: &Formats,
) -> Result<Vec<String>, XlsxError> {
    let pos = layout(style, g.dates.len(), g.children.len());
    let ws = wb.add_worksheet();
    ws.set_name(&g.sheet)?;
    let c0 = pos.col0;
    ws.set_column_width(c0, 16)?;
    ws.set_column_width(c0 + 1, 14)?;
    ws.set_column_width(c0 + 2, 8)?;
    ws.set_column_width(c0 + 3, 26)?;
    for c in &pos.session_cols {
        ws.set_column_width(
            *c,
            if style.dates == Dates::MonthRow {
                5
            } else {
                12
            },
        )?;
    }

    if style.shifted {
        ws.merge_range(
            0,
            c0,
            1,
            c0 + 5,
            &format!("CAHIER DE PRÉSENCE – {}", g.nom.to_uppercase()),
            &fm.title,
        )?;
    }
    let labels: Vec<(&str, String)> = {
        let mut v = vec![
            (
                if style.shifted {
                    "PORTEUR :"
                } else {
                    "Porteur :"
                },
                header.porteur.to_string(),
            ),
            (
                if style.shifted {
                    "Action n° :"
                } else {
                    "Action N° :"
                },
                header.action.to_string(),
            ),
            (
                if style.shifted {
                    "Nom du collectif :"
                } else {
                    "Collectif :"
                },
                g.nom.clone(),
            ),
            ("Lieu :", g.lieu.clone()),
            ("Accompagnateurs :", g.accompagnateurs.clone()),
        ];
        if style.year_label {
            v.push(("Année scolaire :", header.annee.to_string()));
        }
        v
    };
    for ((label, value), row) in labels.iter().zip(&pos.labels) {
        ws.write_string_with_format(*row, c0, *label, &fm.label)?;
        match value.parse::<f64>() {
            Ok(n) if style.action_as_number && label.starts_with("Action") => {
                ws.write_number_with_format(*row, c0 + 1, n, &fm.value)?;
            }
            _ => {
                ws.write_string_with_format(*row, c0 + 1, value, &fm.value)?;
            }
        }
    }

    let hr = pos.header_row;
    for (i, h) in ["Nom", "Prénom", "Niveau", "Établissement"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(hr, pos.ident_cols[i], *h, &fm.head)?;
    }
    if let Some(mr) = pos.month_row {
        // One merged cell per month over its days.
        let mut i = 0;
        while i < g.dates.len() {
            let (y, m) = (g.dates[i].year, g.dates[i].month);
            let mut j = i;
            while j + 1 < g.dates.len() && g.dates[j + 1].year == y && g.dates[j + 1].month == m {
                j += 1;
            }
            let text = format!("{} {y}", MOIS[m as usize - 1]);
            if j > i {
                ws.merge_range(
                    mr,
                    pos.session_cols[i],
                    mr,
                    pos.session_cols[j],
                    &text,
                    &fm.month,
                )?;
            } else {
                ws.write_string_with_format(mr, pos.session_cols[i], &text, &fm.month)?;
            }
            i = j + 1;
        }
    }
    for (d, c) in g.dates.iter().zip(&pos.session_cols) {
        match style.dates {
            Dates::Real => {
                ws.write_datetime_with_format(hr, *c, excel_date(*d), &fm.date)?;
            }
            Dates::Text => {
                ws.write_string_with_format(
                    hr,
                    *c,
                    format!("{:02}/{:02}/{}", d.day, d.month, d.year),
                    &fm.head,
                )?;
            }
            Dates::Weekday => {
                let text = format!(
                    "{} {:02}/{:02}/{}",
                    JOURS[d.weekday() as usize],
                    d.day,
                    d.month,
                    d.year
                );
                ws.write_string_with_format(hr, *c, text, &fm.head)?;
            }
            Dates::DayMonth => {
                ws.write_string_with_format(
                    hr,
                    *c,
                    format!("{:02}/{:02}", d.day, d.month),
                    &fm.head,
                )?;
            }
            Dates::MonthRow => {
                ws.write_number_with_format(hr, *c, d.day as f64, &fm.head)?;
            }
        }
    }
    if let Some(dr) = pos.duree_row {
        ws.write_string_with_format(dr, pos.ident_cols[0], "Durée (h)", &fm.label)?;
        for (h, c) in g.durees.iter().zip(&pos.session_cols) {
            let Some(h) = h else {
                ws.write_blank(dr, *c, &fm.duree)?;
                continue;
            };
            match style.duree {
                Duree::Hours | Duree::None => {
                    ws.write_number_with_format(dr, *c, *h, &fm.duree)?;
                }
                Duree::Text => {
                    let whole = h.trunc() as u32;
                    let min = ((h - h.trunc()) * 60.0).round() as u32;
                    let text = if min == 0 {
                        format!("{whole} h")
                    } else {
                        format!("{whole} h {min:02}")
                    };
                    ws.write_string_with_format(dr, *c, text, &fm.duree)?;
                }
                Duree::Time => {
                    let dt = ExcelDateTime::from_hms(
                        h.trunc() as u16,
                        ((h - h.trunc()) * 60.0).round() as u8,
                        0,
                    )?;
                    ws.write_datetime_with_format(dr, *c, dt, &fm.time)?;
                }
            }
        }
    }

    let mut warnings = Vec::new();
    for (ci, (child, row)) in g.children.iter().zip(&pos.child_rows).enumerate() {
        let ids = [
            &child.nom,
            &child.prenom,
            &child.niveau,
            &child.etablissement,
        ];
        for (k, v) in ids.iter().enumerate() {
            ws.write_string_with_format(*row, pos.ident_cols[k], v.as_str(), &fm.cell)?;
        }
        for (si, (m, c)) in child.marks.iter().zip(&pos.session_cols).enumerate() {
            if let Some((.., bad)) = style
                .bad_marks
                .iter()
                .find(|b| b.0 == gi && b.1 == ci && b.2 == si)
            {
                ws.write_string_with_format(*row, *c, *bad, &fm.mark)?;
                warnings.push(format!(
                    "{}!{}{} : marque illisible « {bad} » (attendu P, A, E ou vide) : non comptée",
                    g.sheet,
                    col_letters(*c),
                    row + 1
                ));
                continue;
            }
            match m.map(|m| mark_text(m, style.marks, ci * 7 + si)) {
                None => ws.write_blank(*row, *c, &fm.mark)?,
                Some(MarkCell::T(t)) => ws.write_string_with_format(*row, *c, t, &fm.mark)?,
                Some(MarkCell::N(n)) => ws.write_number_with_format(*row, *c, n, &fm.mark)?,
            };
        }
    }

    if let (Some(tc), Some(first), Some(last)) = (
        pos.total_col,
        pos.session_cols.first(),
        pos.session_cols.last(),
    ) {
        ws.write_string_with_format(hr, tc, "Total P", &fm.head)?;
        for (child, row) in g.children.iter().zip(&pos.child_rows) {
            let n = child.marks.iter().filter(|m| **m == Some(Mark::P)).count();
            let f = Formula::new(format!(
                "=COUNTIF({}{}:{}{},\"P\")",
                col_letters(*first),
                row + 1,
                col_letters(*last),
                row + 1
            ))
            .set_result(n.to_string());
            ws.write_formula_with_format(*row, tc, f, &fm.total)?;
        }
    }
    if let Some(tr) = pos.total_row {
        ws.write_string_with_format(tr, pos.ident_cols[0], "Total présents", &fm.total)?;
        let (r0, r1) = (pos.child_rows[0] + 1, pos.child_rows.last().unwrap() + 1);
        for (si, c) in pos.session_cols.iter().enumerate() {
            let n = g
                .children
                .iter()
                .filter(|ch| ch.marks[si] == Some(Mark::P))
                .count();
            let l = col_letters(*c);
            let f =
                Formula::new(format!("=COUNTIF({l}{r0}:{l}{r1},\"P\")")).set_result(n.to_string());
            ws.write_formula_with_format(tr, *c, f, &fm.total)?;
        }
        // Rows prepared for more children, left empty.
        for r in pos.end_row + 1..pos.end_row + 16 {
            for c in pos.ident_cols.iter().chain(&pos.session_cols) {
                ws.write_blank(r, *c, &fm.cell)?;
            }
        }
    }
    if let Some(lr) = pos.legend_row {
        ws.write_string(
            lr,
            c0,
            "Légende : P = présent, A = absent, E = absent excusé",
        )?;
    }

    if let (Some(first_row), Some(first_col), Some(last_col)) = (
        pos.child_rows.first(),
        pos.session_cols.first(),
        pos.session_cols.last(),
    ) {
        let dv = marks_validation()?;
        ws.add_data_validation(
            *first_row,
            *first_col,
            *pos.child_rows.last().unwrap(),
            *last_col,
            &dv,
        )?;
        ws.set_freeze_panes(*first_row, *first_col)?;
    }
    Ok(warnings)
}

/// P, A or E offered in a list; anything else is let through after a note, as the reader
/// accepts other spellings.
pub fn marks_validation() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(&["P", "A", "E"])?
        .set_input_message(
            "P : présent, A : absent, E : absent excusé ; vide : pas (encore) inscrit",
        )?
        .set_error_title("Marque de présence")?
        .set_error_message("Utilisez P (présent), A (absent) ou E (absent excusé).")
        .map(|d| d.set_error_style(DataValidationErrorStyle::Information))
}

pub fn instructions(wb: &mut Workbook, fm: &Formats) -> Result<(), XlsxError> {
    let ws: &mut Worksheet = wb.add_worksheet();
    ws.set_name("Instructions")?;
    ws.set_column_width(0, 110)?;
    let lines = [
        ("Cahier de présence CLAS", true),
        ("", false),
        (
            "Le référentiel national des Clas demande un suivi régulier des présences des enfants. Ce classeur en est le modèle : la Caf le lit automatiquement.",
            false,
        ),
        ("", false),
        (
            "Une feuille par collectif. Dupliquez la feuille « Collectif 1 » pour chaque collectif de l'action (clic droit sur l'onglet, « Déplacer ou copier », « Créer une copie »), puis renommez-la.",
            false,
        ),
        (
            "En haut de chaque feuille, remplissez la colonne B : porteur, numéro d'action, nom du collectif, lieu, accompagnateurs, année scolaire.",
            false,
        ),
        (
            "Ligne des dates : une colonne par séance, la date de la séance (jj/mm/aaaa).",
            false,
        ),
        (
            "Ligne « Durée (h) » : la durée de chaque séance en heures (1,5 pour 1 h 30). Laissée vide, la durée retenue est celle configurée par la Caf (1 h 30 par défaut).",
            false,
        ),
        (
            "Une ligne par enfant : nom, prénom, niveau (CP … Terminale, CAP …), établissement scolaire.",
            false,
        ),
        (
            "Marques : P = présent, A = absent, E = absent excusé ; laissez vide quand l'enfant n'était pas (ou plus) inscrit.",
            false,
        ),
        (
            "Ne supprimez pas les libellés de la colonne A ni la ligne « Nom | Prénom | Niveau | Établissement » : ils permettent la lecture automatique.",
            false,
        ),
        ("", false),
        (
            "Données personnelles : les noms des enfants restent dans ce cahier et dans l'outil de la Caf ; la synthèse départementale ne contient que des nombres et des taux.",
            false,
        ),
    ];
    for (i, (text, bold)) in lines.iter().enumerate() {
        if *bold {
            ws.write_string_with_format(
                i as u32,
                0,
                *text,
                &fm.title.clone().set_align(FormatAlign::Left),
            )?;
        } else if !text.is_empty() {
            ws.write_string_with_format(i as u32, 0, *text, &fm.wrap)?;
        }
    }
    Ok(())
}

/// The blank reference template: instructions and two empty collectif sheets.
pub fn template(wb: &mut Workbook, fm: &Formats) -> Result<(), XlsxError> {
    instructions(wb, fm)?;
    let style = Style {
        year_label: true,
        ..Style::default()
    };
    const SESSIONS: u16 = 40;
    const CHILDREN: u32 = 15;
    for name in ["Collectif 1", "Collectif 2"] {
        let pos = layout(&style, SESSIONS as usize, CHILDREN as usize);
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        ws.set_column_width(0, 18)?;
        ws.set_column_width(1, 16)?;
        ws.set_column_width(2, 9)?;
        ws.set_column_width(3, 28)?;
        let labels = [
            "Porteur :",
            "Action N° :",
            "Collectif :",
            "Lieu :",
            "Accompagnateurs :",
            "Année scolaire :",
        ];
        for (label, row) in labels.iter().zip(&pos.labels) {
            ws.write_string_with_format(*row, 0, *label, &fm.label)?;
            ws.merge_range(*row, 1, *row, 3, "", &fm.value)?;
        }
        let hr = pos.header_row;
        for (i, h) in ["Nom", "Prénom", "Niveau", "Établissement"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(hr, i as u16, *h, &fm.head)?;
        }
        let dr = pos.duree_row.unwrap();
        ws.write_string_with_format(dr, 0, "Durée (h)", &fm.label)?;
        for c in &pos.session_cols {
            ws.set_column_width(*c, 11)?;
            ws.write_blank(hr, *c, &fm.date)?;
            ws.write_blank(dr, *c, &fm.duree)?;
        }
        let date_rule = DataValidation::new()
            .allow_date(rust_xlsxwriter::DataValidationRule::GreaterThan(
                ExcelDateTime::from_ymd(2000, 1, 1)?,
            ))
            .set_input_message("Date de la séance (jj/mm/aaaa)")?;
        let (c_first, c_last) = (pos.session_cols[0], *pos.session_cols.last().unwrap());
        ws.add_data_validation(hr, c_first, hr, c_last, &date_rule)?;
        let len_rule = DataValidation::new()
            .allow_decimal_number(rust_xlsxwriter::DataValidationRule::Between(0.25, 8.0))
            .set_input_message("Durée de la séance en heures (1,5 pour 1 h 30)")?;
        ws.add_data_validation(dr, c_first, dr, c_last, &len_rule)?;
        for r in &pos.child_rows {
            for c in 0..4 {
                ws.write_blank(*r, c, &fm.cell)?;
            }
            for c in &pos.session_cols {
                ws.write_blank(*r, *c, &fm.mark)?;
            }
        }
        let (r_first, r_last) = (pos.child_rows[0], *pos.child_rows.last().unwrap());
        ws.add_data_validation(r_first, c_first, r_last, c_last, &marks_validation()?)?;
        ws.set_freeze_panes(r_first, c_first)?;
    }
    Ok(())
}

/// A summary sheet: every child with their counts and rate, as porteurs add one.
pub fn recap(wb: &mut Workbook, groups: &[Group], fm: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Récapitulatif")?;
    ws.write_string_with_format(0, 0, "Récapitulatif des présences", &fm.label)?;
    let heads = [
        "Nom",
        "Prénom",
        "Niveau",
        "Établissement",
        "Collectif",
        "Présences",
        "Absences",
        "Excusées",
        "Taux",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &fm.head)?;
    }
    let mut r = 3;
    for g in groups {
        for ch in &g.children {
            let n = |m: Mark| ch.marks.iter().filter(|x| **x == Some(m)).count() as f64;
            let all = n(Mark::P) + n(Mark::A) + n(Mark::E);
            for (c, v) in [&ch.nom, &ch.prenom, &ch.niveau, &ch.etablissement, &g.nom]
                .iter()
                .enumerate()
            {
                ws.write_string_with_format(r, c as u16, v.as_str(), &fm.cell)?;
            }
            ws.write_number_with_format(r, 5, n(Mark::P), &fm.mark)?;
            ws.write_number_with_format(r, 6, n(Mark::A), &fm.mark)?;
            ws.write_number_with_format(r, 7, n(Mark::E), &fm.mark)?;
            if all > 0.0 {
                ws.write_number_with_format(r, 8, n(Mark::P) / all, &fm.mark)?;
            }
            r += 1;
        }
    }
    Ok(())
}
