//! Reading the sheets that are not anggaran/realisasi (plan, indicators, tujuan/sasaran,
//! strategies, SWOT, staff, facilities, problems) into records: one per data row, each cell
//! under its header, numbers exact, every row accounted for. The typed tables built from them
//! (T-C.23, T-C.25 … T-C.28, Tabel 1, 2, 8-10, SWOT) read records by header name, so a sheet's
//! layout never leaks past ingest.

use std::sync::Arc;

use super::grid::{Grid, RawCell};
use super::layout::{header_hits, header_row_for_classification};
use crate::model::{
    CellValue, NumberKind, Record, RecordCell, RowAccounting, SheetKind, SourceRef, is_total_label,
    parse_number, year_in,
};

/// The records of a sheet and the accounting of its rows.
#[derive(Debug, Default)]
pub struct RecordSheet {
    /// Data and total rows, in order.
    pub records: Vec<Record>,
    /// How every row was used.
    pub accounting: RowAccounting,
}

/// Reads a classified sheet into records. Returns `None` when no header row can be found.
pub fn read_records(grid: &Grid, kind: SheetKind) -> Option<RecordSheet> {
    let mut header_row = header_row_for_classification(grid)?;
    // The best-scoring row may be the second of two header rows ("Target | Rp" under "2025").
    if header_row > 0
        && is_header_like(grid, header_row - 1)
        && header_hits(grid, header_row - 1) >= 2
    {
        header_row -= 1;
    }
    // A second header row names header words or years ("Target | Rp", "2022 | 2023").
    let below = header_row + 1;
    let two_rows = is_header_like(grid, below)
        && (header_hits(grid, below) >= 1
            || grid.rows[below]
                .iter()
                .any(|c| year_in(&c.text()).is_some()));
    let headers = headers(grid, header_row, two_rows);
    let mut out = RecordSheet::default();
    let a = &mut out.accounting;
    a.read = grid.rows.len();
    for r in 0..header_row {
        if row_is_blank(grid, r) {
            a.blank += 1;
        } else {
            a.title += 1;
        }
    }
    let mut data_start = header_row + 1 + usize::from(two_rows);
    if super::layout::is_number_row(grid, data_start) {
        data_start += 1;
    }
    a.header = data_start.min(grid.rows.len()) - header_row;
    for r in data_start..grid.rows.len() {
        if row_is_blank(grid, r) {
            out.accounting.blank += 1;
            continue;
        }
        let record = record_of(grid, r, kind, &headers);
        if record.total {
            out.accounting.total += 1;
        } else {
            out.accounting.data += 1;
        }
        out.records.push(record);
    }
    Some(out)
}

fn row_is_blank(grid: &Grid, r: usize) -> bool {
    grid.rows
        .get(r)
        .is_none_or(|cells| cells.iter().all(RawCell::is_empty))
}

/// A header-like row: at least two cells, all short words or years, none a number.
fn is_header_like(grid: &Grid, row: usize) -> bool {
    let Some(cells) = grid.rows.get(row) else {
        return false;
    };
    let filled: Vec<&RawCell> = cells.iter().filter(|c| !c.is_empty()).collect();
    filled.len() >= 2
        && filled.iter().all(|c| match c {
            RawCell::Text(t) => {
                let t = t.trim();
                let numeric = matches!(
                    parse_number(t, NumberKind::Ratio).value,
                    CellValue::Number(_)
                );
                t.chars().count() <= 60 && (!numeric || year_in(t).is_some())
            }
            RawCell::Number(_) => year_in(&c.text()).is_some(),
            _ => false,
        })
}

/// Column headers; with two header rows, a group cell covers the sub-headers below it up to
/// the next group cell (merged or not).
fn headers(grid: &Grid, header_row: usize, two_rows: bool) -> Vec<Arc<str>> {
    let width = grid.top_width(header_row + 2);
    let mut group = String::new();
    (0..width)
        .map(|c| {
            let top = grid.at(header_row, c).text();
            if !top.is_empty() {
                group = top.clone();
            }
            let sub = if two_rows {
                grid.at(header_row + 1, c).text()
            } else {
                String::new()
            };
            let name = match (top.is_empty(), sub.is_empty()) {
                (_, true) => top,
                (true, false) => format!("{group} {sub}"),
                (false, false) => format!("{top} {sub}"),
            };
            Arc::from(name.as_str())
        })
        .collect()
}

fn record_of(grid: &Grid, r: usize, kind: SheetKind, headers: &[Arc<str>]) -> Record {
    let row = &grid.rows[r];
    let (first_row, first_col) = grid.sheet_pos(r, 0);
    let mut cells = Vec::new();
    for (c, cell) in row.iter().enumerate() {
        if cell.is_empty() {
            continue;
        }
        let header = headers
            .get(c)
            .cloned()
            .unwrap_or_else(|| Arc::from(format!("kolom {}", c + 1).as_str()));
        // A number beyond what a Renstra figure can be is kept as its text, which every reader
        // of records parses into a TooLarge finding instead of a figure.
        let number = match cell {
            RawCell::Number(d) | RawCell::Percent(d) if d.abs() <= crate::model::MAX_FIGURE => {
                Some(*d)
            }
            _ => None,
        };
        cells.push(RecordCell {
            header,
            text: cell.text(),
            number,
            source: SourceRef::at(&grid.file, &grid.sheet, first_row, first_col + c as u32),
        });
    }
    let total = cells.iter().take(3).any(|c| is_total_label(&c.text));
    Record {
        kind,
        total,
        cells,
        source: SourceRef::at(&grid.file, &grid.sheet, first_row, first_col),
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    fn t(s: &str) -> RawCell {
        RawCell::from_text(s)
    }

    #[test]
    fn a_plan_sheet_with_a_two_row_header_becomes_records() {
        let grid = Grid {
            file: "rencana.ods".into(),
            sheet: "Renstra".into(),
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows: vec![
                vec![t("RENCANA PROGRAM 2025-2026")],
                vec![],
                vec![
                    t("Kode"),
                    t("Program"),
                    t("Indikator"),
                    t("2025"),
                    t(""),
                    t("2026"),
                    t(""),
                ],
                vec![
                    t(""),
                    t(""),
                    t(""),
                    t("Target"),
                    t("Rp"),
                    t("Target"),
                    t("Rp"),
                ],
                vec![
                    t("7 01 03"),
                    t("PROGRAM A"),
                    t("Persentase X"),
                    t("84%"),
                    RawCell::Number(Decimal::from(2_000_000_000i64)),
                    t("84,5%"),
                    t("2.080.000.000,-"),
                ],
                vec![],
                vec![
                    t(""),
                    t("Jumlah"),
                    t(""),
                    t(""),
                    RawCell::Number(Decimal::from(5)),
                ],
            ],
        };
        let sheet = read_records(&grid, SheetKind::RencanaProgram).unwrap();
        let a = &sheet.accounting;
        assert_eq!(
            (a.read, a.title, a.blank, a.header, a.data, a.total),
            (7, 1, 2, 2, 1, 1)
        );
        assert!(a.balances());
        let rec = &sheet.records[0];
        assert_eq!(
            rec.get(&["2025", "rp"]).unwrap().number,
            Some(Decimal::from(2_000_000_000i64))
        );
        assert_eq!(rec.get(&["2026", "target"]).unwrap().text, "84,5%");
        assert_eq!(rec.get(&["2026", "rp"]).unwrap().source.a1(), "G5");
        assert!(sheet.records[1].total);
    }
}
