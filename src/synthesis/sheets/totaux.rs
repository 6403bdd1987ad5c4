//! The Totaux sheet: the department's totals and means, actions by conformity, the most
//! frequent anomalies and the dispositifs by level, each figure a formula over the data
//! sheets (written with its result), and three charts of them. Small, with its charts: the one
//! sheet not written in constant memory mode.

use std::collections::HashMap;

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartPoint, ChartSolidFill, ChartType, Color, Worksheet,
    XlsxError,
};

use super::anomalies::ANOMALY_RULE_COL;
use super::assiduite::{ASS_CHILDREN, ASS_PRESENT, ASS_UNDER_THRESHOLD};
use super::conformite::CONF_FIRST_RULE;
use super::dispositifs::{DISP_FIRST, DISPOSITIF_COLUMNS, LEVELS, consolidate};
use super::synthese::{Syn, field_col, syn_col};
use super::{ANOMALIES, ASSIDUITE, CONFORMITE, DISPOSITIFS, SYNTHESE, TOTAUX, label};
use crate::findings::registry;
use crate::synthesis::Conformity;
use crate::synthesis::attendance::Figures;
use crate::synthesis::model::{Act, Ctx, mean};
use crate::synthesis::xlsx::{
    Cached, Cells, Formats, R, abs_cell, cell, col, colour_by_text, print_footer, ratio, table_at,
    whole,
};

/// How a figure of the Totaux sheet is shown.
#[derive(Clone, Copy)]
enum Kind {
    Count,
    Ratio,
    Percent,
}

/// One line of the Totaux table: a label and up to three formulas with their results.
struct Line {
    label: String,
    kind: Kind,
    total: Option<(String, Cached)>,
    mean: Option<(String, Cached)>,
    filled: Option<(String, Cached)>,
}

fn sum_line(ctx: &Ctx, id: &str) -> Line {
    let col = whole(SYNTHESE, field_col(id));
    let v = ctx.values(id);
    Line {
        label: label(id).to_string(),
        kind: Kind::Count,
        total: Some((format!("=SUM({col})"), Cached::Num(ctx.sum(id)))),
        mean: Some(mean_formula(&col, &v)),
        filled: Some((format!("=COUNT({col})"), Cached::Num(v.len() as f64))),
    }
}

fn mean_formula(col: &str, v: &[f64]) -> (String, Cached) {
    (
        format!("=IF(COUNT({col})=0,\"\",AVERAGE({col}))"),
        Cached::of(mean(v)),
    )
}

pub(super) fn totaux(ws: &mut Worksheet, ctx: &Ctx, f: &Formats) -> R {
    ws.set_name(TOTAUX)?;
    // The dashboard: the sheet the workbook opens on.
    ws.set_active(true);
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    print_footer(ws);
    ws.set_column_width(0, 58.0)?;
    for c in 1..=3 {
        ws.set_column_width(c, 16.0)?;
    }
    for c in 4..=10 {
        ws.set_column_width(c, 14.0)?;
    }
    let n = ctx.acts.len();
    let mut c = Cells { ws: &mut *ws, f };
    c.text_fmt(0, 0, &ctx.input.title, &f.title)?;
    c.text(
        1,
        0,
        &format!(
            "Établie le {} par clas, d'après la version en vigueur de chaque action ({}).",
            ctx.input.generated,
            crate::findings::fr::count(n as f64, "action", "actions")
        ),
    )?;
    c.text_fmt(
        2,
        0,
        "Les chiffres de cette feuille sont des formules sur les feuilles Synthèse, Conformité, Anomalies, Assiduité et Dispositifs : une correction faite dans ces feuilles est reportée ici.",
        &f.note,
    )?;
    let (lines, levels_first) = department_lines(ctx);
    let top = 4;
    let levels_rows = (
        top + 2 + levels_first as u32,
        top + 2 + levels_first as u32 + 3,
    );
    let actions_cell = abs_cell(TOTAUX, 1, top + 2);
    let top = lines_block(&mut c, top, &lines)?;
    let (conf_rows, top) = conformity_block(&mut c, ctx, top, &actions_cell)?;
    let (anomaly_rows, top) = anomalies_block(&mut c, ctx, top)?;
    // Below the charts, which take columns F and after down to row 52; printed on a page of
    // its own rather than its header at the foot of the first.
    let dispositifs_top = top.max(CHART_ROWS[2] + 17);
    c.ws.set_page_breaks(&[dispositifs_top])?;
    dispositifs_block(&mut c, ctx, dispositifs_top)?;
    charts(c.ws, levels_rows, conf_rows, anomaly_rows)?;
    Ok(())
}

/// The department's totals and means, and where the four levels of children are among them.
fn department_lines(ctx: &Ctx) -> (Vec<Line>, usize) {
    let n = ctx.acts.len();
    let mut lines = Vec::new();
    let file = whole(SYNTHESE, syn_col(Syn::File));
    lines.push(Line {
        label: "Actions (version en vigueur)".into(),
        kind: Kind::Count,
        total: Some((format!("=COUNTA({file})-1"), Cached::Num(n as f64))),
        mean: None,
        filled: None,
    });
    let levels_first = lines.len();
    for id in [
        "enfants.elementaire",
        "enfants.college",
        "enfants.lycee",
        "enfants.autres",
    ] {
        lines.push(sum_line(ctx, id));
    }
    for id in [
        "enfants.total",
        "collectifs.nombre",
        "familles.nombre",
        "intervenants.salaries",
        "intervenants.volontaires",
        "intervenants.benevoles",
        "intervenants.total",
        "heures.salaries",
        "heures.volontaires",
        "heures.benevoles",
        "heures.total",
    ] {
        lines.push(sum_line(ctx, id));
    }
    let mut weeks = sum_line(ctx, "calendrier.semaines");
    weeks.total = None;
    lines.push(weeks);
    let (enf, coll, interv) = (
        whole(SYNTHESE, field_col("enfants.total")),
        whole(SYNTHESE, field_col("collectifs.nombre")),
        whole(SYNTHESE, field_col("intervenants.total")),
    );
    let per = whole(SYNTHESE, syn_col(Syn::PerCollectif));
    let per_values: Vec<f64> = ctx.acts.iter().filter_map(Act::per_collectif).collect();
    lines.push(Line {
        label: "Enfants par collectif".into(),
        kind: Kind::Ratio,
        total: Some((
            format!("=IF(SUM({coll})=0,\"\",SUM({enf})/SUM({coll}))"),
            ratio(ctx.sum("enfants.total"), ctx.sum("collectifs.nombre")),
        )),
        mean: Some(mean_formula(&per, &per_values)),
        filled: Some((
            format!("=COUNT({per})"),
            Cached::Num(per_values.len() as f64),
        )),
    });
    let acc = whole(SYNTHESE, field_col("enfants.par_accompagnateur"));
    let acc_values = ctx.values("enfants.par_accompagnateur");
    lines.push(Line {
        label: label("enfants.par_accompagnateur").into(),
        kind: Kind::Ratio,
        total: Some((
            format!("=IF(SUM({interv})=0,\"\",SUM({enf})/SUM({interv}))"),
            ratio(ctx.sum("enfants.total"), ctx.sum("intervenants.total")),
        )),
        mean: Some(mean_formula(&acc, &acc_values)),
        filled: Some((
            format!("=COUNT({acc})"),
            Cached::Num(acc_values.len() as f64),
        )),
    });
    // Attendance, from the Assiduité sheet (and the per-action rate of the Synthèse).
    let att: Vec<&Figures> = ctx.acts.iter().filter_map(Act::attendance).collect();
    let (p, a, e) = (
        att.iter().map(|x| x.present).sum::<u64>() as f64,
        att.iter().map(|x| x.absent).sum::<u64>() as f64,
        att.iter().map(|x| x.excused).sum::<u64>() as f64,
    );
    let (pc, ac, ec) = (
        whole(ASSIDUITE, ASS_PRESENT),
        whole(ASSIDUITE, ASS_PRESENT + 1),
        whole(ASSIDUITE, ASS_PRESENT + 2),
    );
    let rate = whole(SYNTHESE, syn_col(Syn::Rate));
    let rates: Vec<f64> = att.iter().filter_map(|x| x.rate()).collect();
    lines.push(Line {
        label: "Taux d'assiduité (cahier de présence)".into(),
        kind: Kind::Percent,
        total: Some((
            format!("=IF(SUM({pc})+SUM({ac})+SUM({ec})=0,\"\",SUM({pc})/(SUM({pc})+SUM({ac})+SUM({ec})))"),
            ratio(p, p + a + e),
        )),
        mean: Some(mean_formula(&rate, &rates)),
        filled: Some((format!("=COUNT({rate})"), Cached::Num(rates.len() as f64))),
    });
    let children = whole(ASSIDUITE, ASS_CHILDREN);
    lines.push(Line {
        label: "Enfants inscrits dans un cahier de présence".into(),
        kind: Kind::Count,
        total: Some((
            format!("=SUM({children})"),
            Cached::Num(att.iter().map(|x| x.children as f64).sum()),
        )),
        mean: None,
        filled: None,
    });
    let under = whole(ASSIDUITE, ASS_UNDER_THRESHOLD);
    lines.push(Line {
        label: ctx.input.under_threshold_label(),
        kind: Kind::Count,
        total: Some((
            format!("=SUM({under})"),
            Cached::Num(att.iter().map(|x| x.under_threshold as f64).sum()),
        )),
        mean: None,
        filled: None,
    });

    (lines, levels_first)
}

/// The « Totaux du département » table at `top`; the row after it.
fn lines_block(c: &mut Cells, mut top: u32, lines: &[Line]) -> Result<u32, XlsxError> {
    let f = c.f;
    c.text_fmt(top, 0, "Totaux du département", &f.caption)?;
    top += 1;
    let cols = [
        col("Indicateur", 58.0),
        col("Total", 16.0),
        col("Moyenne par action", 16.0),
        col("Actions renseignées", 16.0),
    ];
    table_at(c.ws, f, "Totaux", top, 0, &cols, lines.len())?;
    c.ws.set_row_height(top, 30.0)?;
    for (i, l) in lines.iter().enumerate() {
        let r = top + 1 + i as u32;
        c.text(r, 0, &l.label)?;
        for (j, x) in [(1u16, &l.total), (2, &l.mean), (3, &l.filled)] {
            let Some((formula, cached)) = x else { continue };
            let fmt = match (l.kind, j, cached) {
                (_, 3, _) => &f.int,
                (Kind::Percent, _, _) => &f.pct,
                (Kind::Ratio, _, _) | (Kind::Count, 2, _) => &f.ratio,
                (Kind::Count, _, Cached::Num(x)) => f.number(*x),
                _ => &f.int,
            };
            c.formula(r, j, formula, cached.clone(), fmt)?;
        }
    }
    top += 1 + lines.len() as u32 + 2;

    Ok(top)
}

/// The « Actions par conformité » table at `top`: its data rows, and the row after it.
fn conformity_block(
    c: &mut Cells,
    ctx: &Ctx,
    mut top: u32,
    actions_cell: &str,
) -> Result<((u32, u32), u32), XlsxError> {
    let (f, n) = (c.f, ctx.acts.len());
    // Actions par conformité.
    c.text_fmt(top, 0, "Actions par conformité", &f.caption)?;
    top += 1;
    table_at(
        c.ws,
        f,
        "TotauxConformite",
        top,
        0,
        &[
            col("Conformité", 0.0),
            col("Actions", 0.0),
            col("Part des actions", 0.0),
        ],
        3,
    )?;
    c.ws.set_row_height(top, 30.0)?;
    let conf = whole(SYNTHESE, syn_col(Syn::Conformity));
    for (i, k) in Conformity::ALL.iter().enumerate() {
        let r = top + 1 + i as u32;
        let m = ctx.acts.iter().filter(|a| a.conformity == *k).count() as f64;
        c.text(r, 0, k.label())?;
        c.formula(
            r,
            1,
            &format!("=COUNTIF({conf},\"{}\")", k.label()),
            Cached::Num(m),
            &f.int,
        )?;
        c.formula(
            r,
            2,
            &format!("=IF({actions_cell}=0,\"\",{}/{actions_cell})", cell(1, r)),
            ratio(m, n as f64),
            &f.pct,
        )?;
    }
    colour_by_text(c.ws, f, (top + 1, 0, top + 3, 0))?;
    let conf_rows = (top + 1, top + 3);
    top += 4 + 2;

    Ok((conf_rows, top))
}

/// The « Anomalies les plus fréquentes » table at `top`: the rows of the ten first (none:
/// empty), and the row after it.
fn anomalies_block(
    c: &mut Cells,
    ctx: &Ctx,
    mut top: u32,
) -> Result<(Option<(u32, u32)>, u32), XlsxError> {
    let f = c.f;
    // Anomalies les plus fréquentes.
    c.text_fmt(top, 0, "Anomalies les plus fréquentes", &f.caption)?;
    top += 1;
    let mut per_rule: Vec<(usize, &str, usize, usize)> = ctx
        .rules
        .iter()
        .enumerate()
        .map(|(k, rule)| {
            let actions = ctx
                .acts
                .iter()
                .filter(|a| a.a.findings.iter().any(|x| &x.rule == rule))
                .count();
            (k, rule.as_str(), actions, 0)
        })
        .filter(|x| x.2 > 0)
        .collect();
    let all_findings = ctx
        .acts
        .iter()
        .flat_map(|a| a.a.findings.iter().map(|f| &**f))
        .chain(ctx.input.notes.iter().flat_map(|n| n.findings.iter()));
    let mut by_rule: HashMap<&str, usize> = HashMap::new();
    for x in all_findings {
        *by_rule.entry(x.rule.as_str()).or_default() += 1;
    }
    for x in &mut per_rule {
        x.3 = by_rule.get(x.1).copied().unwrap_or(0);
    }
    per_rule.sort_by(|a, b| b.2.cmp(&a.2).then(b.3.cmp(&a.3)).then(a.0.cmp(&b.0)));
    table_at(
        c.ws,
        f,
        "TotauxAnomalies",
        top,
        0,
        &[
            col("Ce que la règle vérifie", 0.0),
            col("Identifiant de la règle", 0.0),
            col("Actions concernées", 0.0),
            col("Constats", 0.0),
        ],
        per_rule.len(),
    )?;
    c.ws.set_row_height(top, 30.0)?;
    for (i, (k, rule, actions, findings)) in per_rule.iter().enumerate() {
        let r = top + 1 + i as u32;
        let what: &str = registry::get(rule).map_or(rule, |r| r.label);
        c.text(r, 0, what)?;
        c.text(r, 1, rule)?;
        let rc = whole(CONFORMITE, CONF_FIRST_RULE + *k as u16);
        c.formula(
            r,
            2,
            &format!("=COUNTA({rc})-1"),
            Cached::Num(*actions as f64),
            &f.int,
        )?;
        c.formula(
            r,
            3,
            &format!(
                "=COUNTIF({},{})",
                whole(ANOMALIES, ANOMALY_RULE_COL),
                cell(1, r)
            ),
            Cached::Num(*findings as f64),
            &f.int,
        )?;
    }
    let anomaly_rows = (top + 1, top + per_rule.len().min(10) as u32);
    top += 1 + per_rule.len().max(1) as u32 + 2;

    Ok(((!per_rule.is_empty()).then_some(anomaly_rows), top))
}

/// The dispositifs of the notes stratégiques summed by level, at `top`.
fn dispositifs_block(c: &mut Cells, ctx: &Ctx, mut top: u32) -> R {
    let f = c.f;
    c.text_fmt(
        top,
        0,
        "Dispositifs du département par niveau (notes stratégiques)",
        &f.caption,
    )?;
    top += 1;
    let mut cols = vec![col("Niveau", 0.0), col("Établissements scolaires", 0.0)];
    cols.extend(DISPOSITIF_COLUMNS.iter().map(|(_, h)| col(*h, 0.0)));
    table_at(c.ws, f, "TotauxDispositifs", top, 0, &cols, LEVELS.len())?;
    c.ws.set_row_height(top, 45.0)?;
    let consolidated = consolidate(ctx);
    for (i, (key, name)) in LEVELS.iter().enumerate() {
        let r = top + 1 + i as u32;
        c.text(r, 0, name)?;
        for j in 0..=DISPOSITIF_COLUMNS.len() {
            let v: f64 = consolidated
                .iter()
                .filter(|d| d.level == *key)
                .map(|d| {
                    if j == 0 {
                        d.establishments as f64
                    } else {
                        d.values[j - 1].unwrap_or(0.0)
                    }
                })
                .sum();
            let src = whole(DISPOSITIFS, DISP_FIRST + j as u16);
            c.formula(
                r,
                1 + j as u16,
                &format!("=SUMIF({},{},{src})", whole(DISPOSITIFS, 1), cell(0, r)),
                Cached::Num(v),
                &f.int,
            )?;
        }
    }

    Ok(())
}

/// The three charts, right of the tables.
fn charts(
    ws: &mut Worksheet,
    levels_rows: (u32, u32),
    conf_rows: (u32, u32),
    anomaly_rows: Option<(u32, u32)>,
) -> R {
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("Enfants par niveau");
    chart.legend().set_hidden();
    chart
        .add_series()
        .set_name("Enfants")
        .set_categories((TOTAUX, levels_rows.0, 0, levels_rows.1, 0))
        .set_values((TOTAUX, levels_rows.0, 1, levels_rows.1, 1))
        .set_data_label(ChartDataLabel::new().show_value());
    ws_chart(ws, CHART_ROWS[0], &chart)?;

    let mut chart = Chart::new(ChartType::Pie);
    chart.title().set_name("Actions par conformité");
    let colours = ["#63BE7B", "#FFC000", "#E05A5A"];
    let points: Vec<ChartPoint> = colours
        .iter()
        .map(|c| {
            ChartPoint::new().set_format(
                ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(Color::from(*c))),
            )
        })
        .collect();
    chart
        .add_series()
        .set_name("Actions")
        .set_categories((TOTAUX, conf_rows.0, 0, conf_rows.1, 0))
        .set_values((TOTAUX, conf_rows.0, 1, conf_rows.1, 1))
        .set_points(&points)
        .set_data_label(ChartDataLabel::new().show_value().show_percentage());
    ws_chart(ws, CHART_ROWS[1], &chart)?;

    if let Some(anomaly_rows) = anomaly_rows {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .title()
            .set_name("Anomalies les plus fréquentes (actions concernées)");
        chart.legend().set_hidden();
        // Bar charts draw their categories bottom up: the most frequent on top.
        chart.y_axis().set_reverse();
        chart
            .add_series()
            .set_name("Actions concernées")
            .set_categories((TOTAUX, anomaly_rows.0, 0, anomaly_rows.1, 0))
            .set_values((TOTAUX, anomaly_rows.0, 2, anomaly_rows.1, 2))
            .set_data_label(ChartDataLabel::new().show_value());
        ws_chart(ws, CHART_ROWS[2], &chart)?;
    }
    Ok(())
}

/// Rows of the three charts of the Totaux sheet, in column F.
const CHART_ROWS: [u32; 3] = [4, 20, 36];

fn ws_chart(ws: &mut Worksheet, row: u32, chart: &Chart) -> R {
    ws.insert_chart_with_offset(row, 5, chart, 10, 0)?;
    Ok(())
}
