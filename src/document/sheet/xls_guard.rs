//! The .xls size guard: calamine lays a sheet out densely, from its first to its last used
//! cell, and reserves what a DIMENSIONS record declares, so a forged BIFF stream could make it
//! allocate gigabytes. The workbook stream is measured here, record by record, before calamine
//! sees it; an encrypted workbook (FILEPASS record) is refused on the way.

use super::{MAX_CELLS, MAX_SHEETS, MAX_WORKBOOK_CELLS, not_a_workbook, too_big};
use crate::document::ReadError;
use crate::document::cfb::Cfb;

/// Takes the workbook stream out of an .xls file (already recognised as one by
/// [`crate::document::format`]) and measures it.
pub(super) fn check(bytes: &[u8], ext: &str) -> Result<(), ReadError> {
    let damaged = || not_a_workbook(ext, "le conteneur OLE est endommagé (fichier tronqué ?)");
    let cfb = Cfb::open(bytes).ok_or_else(damaged)?;
    let entry = cfb
        .find("Workbook")
        .or_else(|| cfb.find("Book"))
        .ok_or_else(damaged)?;
    let stream = cfb.stream(entry).ok_or_else(damaged)?;
    check_biff(&stream)
}

/// Measures every sheet of a BIFF workbook stream and refuses an encrypted one: first in
/// stream order, then as calamine reads them, from the position each BOUNDSHEET record gives
/// (a forged file may point several sheets at one substream, or a sheet anywhere).
fn check_biff(stream: &[u8]) -> Result<(), ReadError> {
    check_biff_in_order(stream)?;
    let mut total = 0u64;
    for (n, start) in boundsheet_positions(stream).into_iter().enumerate() {
        if n >= MAX_SHEETS {
            return Err(too_big(format!("plus de {MAX_SHEETS} feuilles")));
        }
        let area = sheet_area(stream.get(start..).unwrap_or_default())?;
        total = total.saturating_add(area);
        if total > MAX_WORKBOOK_CELLS {
            return Err(too_big(format!(
                "plus de {MAX_WORKBOOK_CELLS} cellules en tout"
            )));
        }
    }
    Ok(())
}

/// BIFF records from the start of `stream`: (type, data).
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        if pos + 4 > stream.len() {
            return None;
        }
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        Some((typ, data))
    })
}

/// The sheet positions the workbook globals announce (BOUNDSHEET records, before the
/// globals' EOF).
fn boundsheet_positions(stream: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            0x0085 if data.len() >= 4 => {
                out.push(u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize)
            }
            0x000A => break,
            _ => {}
        }
    }
    out
}

/// The cells calamine would lay out densely for the sheet starting here (its cell and
/// formula ranges, from the lowest to the highest row and column), or an error when its
/// DIMENSIONS record alone would make calamine reserve too much.
fn sheet_area(sheet: &[u8]) -> Result<u64, ReadError> {
    let (mut min_r, mut max_r, mut min_c, mut max_c) = (u64::MAX, 0u64, u64::MAX, 0u64);
    let mut cell = |r: u64, c: u64| {
        min_r = min_r.min(r);
        max_r = max_r.max(r);
        min_c = min_c.min(c);
        max_c = max_c.max(c);
    };
    let (mut seen_bof, mut nested) = (false, 0usize);
    for (typ, data) in records(sheet) {
        if nested > 0 {
            match typ {
                0x0809 => nested += 1,
                0x000A => nested -= 1,
                _ => {}
            }
            continue;
        }
        let rc = (data.len() >= 4).then(|| {
            (
                u16::from_le_bytes([data[0], data[1]]) as u64,
                u16::from_le_bytes([data[2], data[3]]) as u64,
            )
        });
        match typ {
            0x0809 if seen_bof => nested += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 if data.len() >= 10 => {
                // calamine reserves (last row − first row + 1) × (last col − first col + 1).
                let (fr, lr, fc, lc) = if data.len() >= 14 {
                    (
                        u32::from_le_bytes(data[0..4].try_into().unwrap()) as u64,
                        u32::from_le_bytes(data[4..8].try_into().unwrap()) as u64,
                        u16::from_le_bytes([data[8], data[9]]) as u64,
                        u16::from_le_bytes([data[10], data[11]]) as u64,
                    )
                } else {
                    (
                        u16::from_le_bytes([data[0], data[1]]) as u64,
                        u16::from_le_bytes([data[2], data[3]]) as u64,
                        u16::from_le_bytes([data[4], data[5]]) as u64,
                        u16::from_le_bytes([data[6], data[7]]) as u64,
                    )
                };
                let rows = lr.wrapping_sub(fr).wrapping_add(1);
                let cols = lc.wrapping_sub(fc).wrapping_add(1);
                if rows.saturating_mul(cols) > MAX_CELLS {
                    return Err(too_big(format!(
                        "une feuille déclare {rows} lignes et {cols} colonnes"
                    )));
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let Some((r, c)) = rc {
                    cell(r, c);
                }
            }
            0x00BD if data.len() >= 6 => {
                if let Some((r, c)) = rc {
                    let last = u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]);
                    cell(r, c);
                    cell(r, last as u64);
                }
            }
            _ => {}
        }
    }
    if min_r == u64::MAX {
        return Ok(0);
    }
    let area = (max_r - min_r + 1).saturating_mul(max_c.saturating_sub(min_c) + 1);
    if area > MAX_CELLS {
        return Err(too_big(format!(
            "une feuille s'étend sur {} lignes et {} colonnes",
            max_r - min_r + 1,
            max_c.saturating_sub(min_c) + 1
        )));
    }
    Ok(area)
}

fn check_biff_in_order(stream: &[u8]) -> Result<(), ReadError> {
    let mut pos = 0usize;
    let mut depth = 0usize;
    let (mut rows, mut cols) = (0u64, 0u64);
    let mut total = 0u64;
    let mut sheets = 0usize;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]) as usize;
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        let rc = |d: &[u8]| -> Option<(u64, u64)> {
            (d.len() >= 4).then(|| {
                (
                    u16::from_le_bytes([d[0], d[1]]) as u64,
                    u16::from_le_bytes([d[2], d[3]]) as u64,
                )
            })
        };
        match typ {
            0x002F => return Err(ReadError::Encrypted),
            0x0809 => {
                depth += 1;
                if depth == 1 {
                    rows = 0;
                    cols = 0;
                    sheets += 1;
                    if sheets > MAX_SHEETS {
                        return Err(too_big(format!("plus de {MAX_SHEETS} feuilles")));
                    }
                }
            }
            0x000A => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let area = rows.saturating_mul(cols);
                    if area > MAX_CELLS {
                        return Err(too_big(format!(
                            "une feuille s'étend sur {rows} lignes et {cols} colonnes"
                        )));
                    }
                    total += area;
                    if total > MAX_WORKBOOK_CELLS {
                        return Err(too_big(format!(
                            "plus de {MAX_WORKBOOK_CELLS} cellules en tout"
                        )));
                    }
                }
            }
            // The DIMENSIONS record: calamine reserves room for that many cells.
            0x0200 => {
                let (first_row, last_row, first_col, last_col) = match data.len() {
                    10 => (
                        u16::from_le_bytes([data[0], data[1]]) as u64,
                        u16::from_le_bytes([data[2], data[3]]) as u64,
                        u16::from_le_bytes([data[4], data[5]]) as u64,
                        u16::from_le_bytes([data[6], data[7]]) as u64,
                    ),
                    14 | 16 => (
                        u32::from_le_bytes(data[0..4].try_into().unwrap()) as u64,
                        u32::from_le_bytes(data[4..8].try_into().unwrap()) as u64,
                        u16::from_le_bytes([data[8], data[9]]) as u64,
                        u16::from_le_bytes([data[10], data[11]]) as u64,
                    ),
                    _ => continue,
                };
                // calamine restarts a column range past 255 or reversed at 0.
                let first_col = if first_col > 0xFF || last_col < first_col {
                    0
                } else {
                    first_col
                };
                let declared = if last_row >= 1 && last_col >= 1 {
                    if last_row - 1 < first_row {
                        u64::MAX
                    } else {
                        (last_row - first_row).saturating_mul(last_col - first_col)
                    }
                } else {
                    1
                };
                if declared > MAX_CELLS {
                    return Err(too_big(format!(
                        "une feuille déclare {last_row} lignes et {last_col} colonnes"
                    )));
                }
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let Some((r, c)) = rc(data) {
                    rows = rows.max(r + 1);
                    cols = cols.max(c + 1);
                }
            }
            0x00BD if data.len() >= 6 => {
                if let Some((r, _)) = rc(data) {
                    let last = u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]);
                    rows = rows.max(r + 1);
                    cols = cols.max(last as u64 + 1);
                }
            }
            _ => {}
        }
    }
    let area = rows.saturating_mul(cols);
    if area > MAX_CELLS || total.saturating_add(area) > MAX_WORKBOOK_CELLS {
        return Err(too_big(format!(
            "une feuille s'étend sur {rows} lignes et {cols} colonnes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn biff(records: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut s = Vec::new();
        for (typ, data) in records {
            s.extend_from_slice(&typ.to_le_bytes());
            s.extend_from_slice(&(data.len() as u16).to_le_bytes());
            s.extend_from_slice(data);
        }
        s
    }

    #[test]
    fn biff_sheets_are_measured_before_calamine() {
        let cell = |r: u16, c: u16| {
            let mut d = r.to_le_bytes().to_vec();
            d.extend_from_slice(&c.to_le_bytes());
            d.extend_from_slice(&[0; 10]);
            (0x00FDu16, d)
        };
        let bof = (0x0809u16, vec![0; 16]);
        let eof = (0x000Au16, vec![]);
        let small = biff(&[bof.clone(), cell(0, 0), cell(40, 60), eof.clone()]);
        assert!(check_biff(&small).is_ok());
        let huge = biff(&[bof.clone(), cell(0, 0), cell(65535, 255), eof.clone()]);
        let e = check_biff(&huge).unwrap_err().to_string();
        assert!(e.contains("démesuré") && e.contains("65536 lignes"), "{e}");
        // A DIMENSIONS record claiming the whole grid, or a reversed one.
        for dims in [
            [0u32.to_le_bytes(), u32::MAX.to_le_bytes()].concat(),
            [100u32.to_le_bytes(), 1u32.to_le_bytes()].concat(),
        ] {
            let mut d = dims;
            d.extend_from_slice(&[0, 0, 0xFF, 0, 0, 0]);
            let lying = biff(&[bof.clone(), (0x0200, d), eof.clone()]);
            let e = check_biff(&lying).unwrap_err().to_string();
            assert!(e.contains("démesuré"), "{e}");
        }
        let mut fine = [0u32.to_le_bytes(), 41u32.to_le_bytes()].concat();
        fine.extend_from_slice(&[0, 0, 61, 0, 0, 0]);
        assert!(check_biff(&biff(&[bof.clone(), (0x0200, fine), eof.clone()])).is_ok());
        let locked = biff(&[bof, (0x002F, vec![1, 0]), eof]);
        assert!(matches!(check_biff(&locked), Err(ReadError::Encrypted)));
    }
}
