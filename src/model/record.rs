//! Rows of the sheets that are not anggaran/realisasi (plan, indicators, tujuan/sasaran,
//! strategies, SWOT, staff, facilities, problems): each cell under its header, with its cell, so
//! the tables and rules read them by header name and a sheet's layout never leaks past ingest.

use std::sync::Arc;

use rust_decimal::Decimal;

use super::{SheetKind, SourceRef, normalize_header};

/// One cell of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCell {
    /// The column's header as written; with a two-row header, group and sub-header joined
    /// (`2025 Target`, `2025 Rp`).
    pub header: Arc<str>,
    /// The cell as text (numbers in plain form).
    pub text: String,
    /// The exact number of a number cell.
    pub number: Option<Decimal>,
    /// Where it was read.
    pub source: SourceRef,
}

/// One data row of a non-budget sheet.
#[derive(Debug, Clone)]
pub struct Record {
    /// What the sheet holds.
    pub kind: SheetKind,
    /// True for a stated total row (`Jumlah`, `Total`).
    pub total: bool,
    /// The row's non-empty cells, left to right.
    pub cells: Vec<RecordCell>,
    /// The row's first cell.
    pub source: SourceRef,
}

impl Record {
    /// A record from (header, text) pairs placed in columns A, B, … of sheet row `row` (1-based);
    /// empty texts are left out, as ingest leaves out empty cells. For callers that assemble
    /// records themselves, and for tests.
    pub fn from_cells(
        kind: SheetKind,
        file: &str,
        sheet: &str,
        row: u32,
        cells: &[(&str, &str)],
    ) -> Record {
        let (file, sheet): (Arc<str>, Arc<str>) = (Arc::from(file), Arc::from(sheet));
        let at = |col: usize| SourceRef::at(&file, &sheet, row.saturating_sub(1), col as u32);
        Record {
            kind,
            total: false,
            cells: cells
                .iter()
                .enumerate()
                .filter(|(_, (_, text))| !text.is_empty())
                .map(|(col, (header, text))| RecordCell {
                    header: Arc::from(*header),
                    text: (*text).to_string(),
                    number: None,
                    source: at(col),
                })
                .collect(),
            source: at(0),
        }
    }

    /// The first cell whose header, normalized, contains all of `words`.
    pub fn get(&self, words: &[&str]) -> Option<&RecordCell> {
        self.cells.iter().find(|c| {
            let h = normalize_header(&c.header);
            words.iter().all(|w| h.split(' ').any(|x| x == *w))
        })
    }
}
