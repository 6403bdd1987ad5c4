//! The workbook as a whole: its properties, and its sheets built on every core then put in
//! the order of [`SHEETS`], so that the file is the same whichever sheet is built first.

use std::collections::HashMap;
use std::sync::Mutex;

use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use super::Input;
use super::model::Ctx;
use super::sheets::{BUILDS, SHEETS, TOTAUX};
use super::xlsx::{Formats, excel_datetime};
use crate::pipeline;

/// The workbook of `input`, ready to be saved.
pub(super) fn build(input: &Input) -> Result<Workbook, XlsxError> {
    let f = Formats::new();
    let ctx = Ctx::new(input);
    let mut wb = Workbook::new();
    // Level 3: a quarter less CPU than the default for a file a fifth larger (measured on
    // 10 000 actions); the synthesis is written again after every batch.
    wb.set_zip_compression_level(3);
    let mut props = DocProperties::new()
        .set_title(input.title.as_str())
        .set_subject("Bilans CLAS : synthèse départementale")
        .set_author("clas")
        .set_company("Caf")
        .set_keywords("CLAS, bilan, synthèse, Caf")
        .set_comment(format!("Établie le {} par clas.", input.generated));
    if let Some((dt, _)) = excel_datetime(input.generated) {
        props = props.set_creation_datetime(&dt);
    }
    wb.set_properties(&props);

    // The sheets are independent: built on every core, the largest first, then added in the
    // order of SHEETS. All but Totaux (small, with its charts) are written row by row in
    // constant memory mode. Every format is known to the workbook before, so that its number
    // does not depend on which sheet used it first.
    for format in f.all() {
        wb.register_format(format);
    }
    let mut jobs = Vec::new();
    for (name, build) in BUILDS {
        let ws = if name == TOTAUX {
            Worksheet::new()
        } else {
            wb.new_worksheet_with_constant_memory()?
        };
        jobs.push((name, build, Mutex::new(Some(ws))));
    }
    let built = pipeline::on_every_core(&jobs, |(name, build, ws)| {
        let mut ws = ws.lock().ok()?.take()?;
        Some(build(&mut ws, &ctx, &f).map(|()| (*name, ws)))
    });
    let mut sheets: HashMap<&str, Worksheet> = HashMap::new();
    for b in built {
        let (name, ws) = b.expect("each sheet is built once")?;
        sheets.insert(name, ws);
    }
    for name in SHEETS {
        wb.push_worksheet(sheets.remove(name).expect("every sheet is built"));
    }
    Ok(wb)
}
