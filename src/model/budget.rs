//! The budget as the unit's model holds it: rows as read from an anggaran/realisasi sheet (with
//! every figure's cell), stated totals, how every row of a sheet was used, and the lines those rows
//! become once placed in the program tree.

use std::collections::BTreeMap;

use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{CellValue, Kode, Level, Role, SourceRef};

/// One figure of a budget row: anggaran, realisasi or a stated ratio, for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Anggaran, Realisasi or Rasio.
    pub role: Role,
    /// The year it belongs to.
    pub year: i32,
    /// The value as read.
    pub value: CellValue,
    /// Where it was read.
    pub source: SourceRef,
    /// The reading of a malformed value that the unit's other figures confirm
    /// ([`crate::repair`]); never set for a value that parsed. Checks run on it; tables show it
    /// as a proposal.
    pub proposed: Option<Decimal>,
}

impl Figure {
    /// The best-supported value: the parsed one, else the confirmed proposal.
    pub fn best(&self) -> CellValue {
        best_of(&self.value, self.proposed)
    }
}

/// `value`, or the number `proposed` when a malformed value has a confirmed reading.
fn best_of(value: &CellValue, proposed: Option<Decimal>) -> CellValue {
    match (value, proposed) {
        (CellValue::Invalid { .. }, Some(d)) => CellValue::Number(d),
        _ => value.clone(),
    }
}

/// A data row of an anggaran/realisasi sheet, before its level and location are decided.
#[derive(Debug, Clone)]
pub struct BudgetRow {
    /// The code as written (may be empty).
    pub kode_text: CompactString,
    /// The code, when it parses.
    pub kode: Option<Kode>,
    /// The cell of the code, when the sheet has a code column: findings about the code point at
    /// it.
    pub kode_source: Option<SourceRef>,
    /// The name as written.
    pub uraian: CompactString,
    /// The location as written in a Lokasi column (may be empty).
    pub lokasi_text: CompactString,
    /// Remarks.
    pub keterangan: CompactString,
    /// The figures of the row.
    pub figures: Vec<Figure>,
    /// The cell of the name (or of the row's first cell), to point at the row.
    pub source: SourceRef,
}

/// A stated total row (JUMLAH, TOTAL): kept apart from data, for reconciliation.
#[derive(Debug, Clone)]
pub struct StatedTotal {
    /// The label as written.
    pub label: String,
    /// The stated figures.
    pub figures: Vec<Figure>,
    /// The cell of the label.
    pub source: SourceRef,
}

/// How every row read from a sheet was used. `read == title + header + blank + data + total +
/// skipped`, always; the summary prints it so nothing can disappear unnoticed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowAccounting {
    /// Rows in the sheet's used range.
    pub read: usize,
    /// Title rows above the header.
    pub title: usize,
    /// Header rows, including a column-number row.
    pub header: usize,
    /// Empty rows.
    pub blank: usize,
    /// Data rows used.
    pub data: usize,
    /// Stated total rows.
    pub total: usize,
    /// Rows not used, each with its reason.
    pub skipped: Vec<SkippedRow>,
}

impl RowAccounting {
    /// True when every row read is accounted for.
    pub fn balances(&self) -> bool {
        self.read
            == self.title + self.header + self.blank + self.data + self.total + self.skipped.len()
    }
}

/// A row that was read but not used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRow {
    /// The row's first cell.
    pub at: SourceRef,
    /// Why it was not used, in Bahasa Indonesia.
    pub reason: String,
}

/// A value with the cell it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced {
    /// The value.
    pub value: CellValue,
    /// Its cell.
    pub source: SourceRef,
    /// The confirmed reading of a malformed value ([`crate::repair`]), as on [`Figure`].
    pub proposed: Option<Decimal>,
}

impl Sourced {
    /// The best-supported value: the parsed one, else the confirmed proposal.
    pub fn best(&self) -> CellValue {
        best_of(&self.value, self.proposed)
    }
}

/// One year's figures of a line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearFigures {
    /// Anggaran as written.
    pub anggaran: Option<Sourced>,
    /// Realisasi as written.
    pub realisasi: Option<Sourced>,
    /// The ratio the workbook states (renstra recomputes it).
    pub rasio_tertulis: Option<Sourced>,
}

impl YearFigures {
    /// The anggaran (`true`) or the realisasi (`false`), as written.
    pub fn figure(&self, anggaran: bool) -> Option<&Sourced> {
        if anggaran {
            self.anggaran.as_ref()
        } else {
            self.realisasi.as_ref()
        }
    }
}

/// A program, kegiatan or sub kegiatan line with its figures per year.
#[derive(Debug, Clone)]
pub struct BudgetLine {
    /// The canonical code, when the row had a valid one.
    pub kode: Option<Kode>,
    /// The cell of the code, when there is a code column.
    pub kode_source: Option<SourceRef>,
    /// Program, kegiatan or sub kegiatan.
    pub level: Level,
    /// True when the level came from wording or position rather than a code.
    pub level_inferred: bool,
    /// The name, without its location suffix.
    pub uraian: String,
    /// The location (a kelurahan, or the kecamatan itself), when the name or a column gave one.
    pub lokasi: Option<String>,
    /// Figures by year. Boxed: a map node holds room for eleven entries, and unboxed those
    /// were 3.5 KB a line for the two or five years a line has (176 MB of a 50,000-line sheet).
    pub years: BTreeMap<i32, Box<YearFigures>>,
    /// The cell of the name.
    pub source: SourceRef,
}

impl BudgetLine {
    /// The cell a finding about this line's code points at: the code cell, else the name.
    pub fn kode_cell(&self) -> &SourceRef {
        self.kode_source.as_ref().unwrap_or(&self.source)
    }
}
