//! Stage 3a: the verified tables, as data every output (xlsx, csv, PDF) renders the same way.
//!
//! Every table of the Renstra (T-C.23 … T-C.28, Tabel 1, 2, 8, 9, 10, the SWOT tables) becomes a
//! [`Table`]: its official columns (with merged header groups), its rows, and for every cell what
//! it shows, where it was read and, for a derived cell, the calculation ([`Calc`]) behind it. The
//! figures of derived cells are always renstra's own exact computation; the writers turn a `Calc`
//! into a live spreadsheet formula and cache that figure as its result.

mod forms;
mod records;
mod tc24;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

pub use forms::build_forms;
pub use records::build_record_tables;
pub use tc24::{RowKind, Tc24, Tc24Row, build_tc24};

use crate::model::{CellValue, Derived, SourceRef, TableId, format_id};

/// A workbook cell: the key linking a finding to a table cell.
pub type CellKey = SourceRef;

/// One cell of a verified table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Nothing to show.
    Blank,
    /// An exact figure.
    Value(Decimal),
    /// Words in a text column (names, codes, units).
    Text(String),
    /// A note written where a figure belongs.
    Note(String),
    /// A figure from the workbook that is not a valid number: its raw text, shown marked.
    Unverified(String),
    /// A derived figure that cannot be computed because an input is unreadable; the reason is
    /// kept for people, the cell shows `?`, marked.
    Uncomputable(String),
    /// renstra's proposal, never a verified figure: the confirmed reading of a malformed amount
    /// (`written` holds what the cell said), or a figure derived from such a reading (`written`
    /// is `None`). Shown with its own mark, the written text in a note.
    Proposed {
        /// The proposed figure.
        value: Decimal,
        /// The source cell's text, for a reading of a malformed amount.
        written: Option<String>,
    },
    /// A figure renstra recomputed where the source states another (a strategy score, a ratio,
    /// a total): the recomputed figure, marked, with the source's text in a note.
    Recomputed {
        /// The recomputed figure.
        value: Decimal,
        /// What the source states.
        written: String,
    },
    /// A number with its unit in a column of words (a target of `100%` or `2 unit` among
    /// others): shown with its unit, stored as a number whose format carries the unit.
    Quantity {
        /// The number as written (`100%` is 100).
        value: Decimal,
        /// `%`, `unit`, `laporan`, …
        unit: String,
    },
    /// Words renstra rewrote from recomputed figures (a score table's `465 + 405`), marked,
    /// with the source's text in a note.
    Rewritten {
        /// The rewritten text.
        text: String,
        /// What the source states.
        written: String,
    },
}

/// A number and its unit as Renstra tables write them: `100%`, `2 unit`.
pub fn with_unit(number: &str, unit: &str) -> String {
    if unit == "%" {
        format!("{number}%")
    } else {
        format!("{number} {unit}")
    }
}

impl Shown {
    /// The cell as written in the workbook.
    pub fn from_cell(value: &CellValue) -> Shown {
        match value {
            CellValue::Empty | CellValue::Nil => Shown::Blank,
            CellValue::Number(d) => Shown::Value(*d),
            CellValue::Note(n) => Shown::Note(n.clone()),
            CellValue::Invalid { raw, .. } => Shown::Unverified(raw.clone()),
        }
    }

    /// A derived figure.
    pub fn from_derived(d: Derived) -> Shown {
        match d {
            Derived::Blank => Shown::Blank,
            Derived::Value(v) => Shown::Value(v),
            Derived::Unverified(why) => Shown::Uncomputable(why),
        }
    }

    /// A row number ("No") as written: a whole number is a number (stored as one in the
    /// workbook), anything else (`1.a`, `I`) its text.
    pub fn row_number(text: &str) -> Shown {
        let t = text.trim();
        match t.parse::<u32>() {
            Ok(n) if t.chars().all(|c| c.is_ascii_digit()) => Shown::Value(Decimal::from(n)),
            _ => Shown::text(t.to_string()),
        }
    }

    /// Text for a text column; empty text is blank.
    pub fn text(text: impl Into<String>) -> Shown {
        let text = text.into();
        if text.trim().is_empty() {
            Shown::Blank
        } else {
            Shown::Text(text)
        }
    }

    /// The figure, when there is one (a proposal's included: formulas and charts compute with
    /// it, the mark stays on the cell).
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Shown::Value(d)
            | Shown::Proposed { value: d, .. }
            | Shown::Recomputed { value: d, .. } => Some(*d),
            _ => None,
        }
    }

    /// The source's text behind a marked cell (a proposal, a recomputed figure, rewritten words).
    pub fn written(&self) -> Option<&str> {
        match self {
            Shown::Proposed {
                written: Some(w), ..
            }
            | Shown::Recomputed { written: w, .. }
            | Shown::Rewritten { written: w, .. } => Some(w),
            _ => None,
        }
    }

    /// `value`, marked as recomputed when the source states something else (`written`).
    pub fn recomputed(value: Decimal, written: Option<String>) -> Shown {
        match written {
            Some(written) => Shown::Recomputed { value, written },
            None => Shown::Value(value),
        }
    }

    /// The same figure marked as derived from a proposal, when `from_proposal`; otherwise itself.
    pub fn marked_proposed(self, from_proposal: bool) -> Shown {
        match self {
            Shown::Value(value) if from_proposal => Shown::Proposed {
                value,
                written: None,
            },
            other => other,
        }
    }

    /// True for a cell that is marked as not verified.
    pub fn is_unverified(&self) -> bool {
        matches!(self, Shown::Unverified(_) | Shown::Uncomputable(_))
    }

    /// Text for people: Indonesian number format with `decimals` places, `-` for blank.
    pub fn display(&self, decimals: u32) -> String {
        match self {
            Shown::Blank => "-".into(),
            Shown::Value(d)
            | Shown::Proposed { value: d, .. }
            | Shown::Recomputed { value: d, .. } => format_id(*d, decimals),
            Shown::Text(t) | Shown::Note(t) | Shown::Unverified(t) => t.clone(),
            Shown::Rewritten { text, .. } => text.clone(),
            Shown::Uncomputable(_) => "?".into(),
            Shown::Quantity { value, unit } => with_unit(&format_id(*value, value.scale()), unit),
        }
    }

    /// Text for machines: plain decimal (`1234567.89`), empty for blank, the text otherwise.
    pub fn machine(&self) -> String {
        match self {
            Shown::Blank => String::new(),
            Shown::Value(d) => d.normalize().to_string(),
            Shown::Text(t) | Shown::Note(t) | Shown::Unverified(t) => t.clone(),
            Shown::Uncomputable(_) => "?".into(),
            // A CSV cell carries no mark: it keeps what the source said, as for an unverified
            // cell; a figure derived from a proposal is the figure.
            Shown::Proposed {
                written: Some(w), ..
            } => w.clone(),
            Shown::Proposed { value, .. } | Shown::Recomputed { value, .. } => {
                value.normalize().to_string()
            }
            Shown::Rewritten { text, .. } => text.clone(),
            Shown::Quantity { value, unit } => with_unit(&value.normalize().to_string(), unit),
        }
    }

    /// The state name used by templates and the CSV (`nilai`, `teks`, `kosong`, `catatan`,
    /// `tidak-terverifikasi`, `usulan`, `dihitung-ulang`).
    pub fn state(&self) -> &'static str {
        match self {
            Shown::Blank => "kosong",
            Shown::Value(_) | Shown::Quantity { .. } => "nilai",
            Shown::Text(_) => "teks",
            Shown::Note(_) => "catatan",
            Shown::Unverified(_) | Shown::Uncomputable(_) => "tidak-terverifikasi",
            Shown::Proposed { .. } => "usulan",
            Shown::Recomputed { .. } | Shown::Rewritten { .. } => "dihitung-ulang",
        }
    }
}

/// How a column's cells are written and aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Words: names, codes, units; left-aligned and wrapped.
    Text,
    /// Rupiah, always two decimals (`1.234.567,00`).
    Money,
    /// Targets, counts, scores, indices: as many decimals as the figure has.
    Number,
    /// A percentage figure (`96,33` meaning 96,33 %), two decimals.
    Percent,
}

impl Kind {
    /// Decimals shown for a figure of this kind.
    pub fn decimals(self, value: Decimal) -> u32 {
        match self {
            Kind::Money | Kind::Percent => 2,
            Kind::Text | Kind::Number => value.normalize().scale(),
        }
    }
}

/// A leaf column: its header, the merged group above it (if any), its CSV name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The group header merged over consecutive columns (`Anggaran pada Tahun ke-`).
    pub group: Option<String>,
    /// The column's own header (`2021`, `Uraian`).
    pub header: String,
    /// The flat name used as the CSV header (`Anggaran 2021`).
    pub key: String,
    /// How its cells are written.
    pub kind: Kind,
    /// Width in characters, for the spreadsheet and as a relative width in the PDF.
    pub width: u16,
}

impl Column {
    /// A column without a group; its CSV name is its header.
    pub fn new(header: &str, kind: Kind, width: u16) -> Column {
        Column {
            group: None,
            header: header.into(),
            key: header.into(),
            kind,
            width,
        }
    }

    /// A column under a merged group header.
    pub fn grouped(group: &str, header: &str, key: String, kind: Kind, width: u16) -> Column {
        Column {
            group: Some(group.into()),
            header: header.into(),
            key,
            kind,
            width,
        }
    }
}

/// How a derived cell is computed from other cells of its table; the writers turn it into a
/// spreadsheet formula, so a verifier who changes a figure sees the result follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Calc {
    /// Σ of the same column over these rows (indexes into [`Table::rows`]); blank when none
    /// has a figure.
    SumRows(Vec<usize>),
    /// Σ of these columns of the same row; blank when none has a figure.
    SumCols(Vec<usize>),
    /// `part / whole × 100` in the same row; blank when `whole` is blank or zero.
    Ratio {
        /// The realisation column.
        part: usize,
        /// The target or anggaran column.
        whole: usize,
    },
    /// The product of two columns of the same row (NU × BF).
    Product(usize, usize),
    /// The same figure as another column of the row (a period's end target is its last year's).
    Copy(usize),
    /// The mean of year-on-year growth over `count` consecutive columns from `first`.
    Growth {
        /// The first year's column.
        first: usize,
        /// The number of years.
        count: usize,
    },
}

/// One cell: what it shows, where it came from, how it is derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// What the cell shows.
    pub shown: Shown,
    /// The workbook cell it was read from, when it was read.
    pub source: Option<SourceRef>,
    /// The calculation behind a derived cell.
    pub calc: Option<Calc>,
}

impl Cell {
    /// A cell read from a workbook (or written by renstra when `source` is `None`).
    pub fn read(shown: Shown, source: Option<SourceRef>) -> Cell {
        Cell {
            shown,
            source,
            calc: None,
        }
    }

    /// Text with no source.
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::read(Shown::text(text), None)
    }

    /// A derived cell: renstra's figure and the calculation it comes from.
    pub fn derived(shown: Shown, calc: Calc) -> Cell {
        Cell {
            shown,
            source: None,
            calc: Some(calc),
        }
    }

    /// An empty cell.
    pub fn blank() -> Cell {
        Cell::read(Shown::Blank, None)
    }
}

/// How a row stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStyle {
    /// An ordinary line.
    Normal,
    /// A heading line (a program, a group of factors): bold.
    Strong,
    /// A total recomputed by renstra: bold, ruled.
    Total,
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// How it stands out.
    pub style: RowStyle,
    /// Indent level of its name (kegiatan 1, sub kegiatan 2).
    pub depth: u8,
    /// The workbook row it was read from.
    pub source: Option<SourceRef>,
}

/// A verified table in its official layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Its identifier: the sheet name in the workbook, the CSV file name, and the name narrative
    /// files use to place it (`T-C.24`, `Tabel 1`, `SWOT Kekuatan`). At most 31 characters.
    pub id: TableId,
    /// The table's full title (`Anggaran dan Realisasi Pendanaan Pelayanan …`).
    pub title: String,
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
}

impl Table {
    /// True when some column sits under a group header, so the header takes two rows.
    pub fn has_groups(&self) -> bool {
        self.columns.iter().any(|c| c.group.is_some())
    }

    /// Runs of consecutive columns sharing a group: (first, last, group text).
    pub fn group_spans(&self) -> Vec<(usize, usize, Option<&str>)> {
        let mut spans: Vec<(usize, usize, Option<&str>)> = Vec::new();
        for (i, col) in self.columns.iter().enumerate() {
            let group = col.group.as_deref();
            match spans.last_mut() {
                Some((_, last, g)) if group.is_some() && *g == group => *last = i,
                _ => spans.push((i, i, group)),
            }
        }
        spans
    }

    /// Every cell read from a workbook, by its source: (row, column) in this table.
    pub fn cells_by_source(&self) -> BTreeMap<CellKey, (usize, usize)> {
        let mut map = BTreeMap::new();
        for (r, row) in self.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                if let Some(src) = &cell.source {
                    map.entry(src.clone()).or_insert((r, c));
                }
            }
        }
        map
    }
}

/// A table id made safe as a sheet name: at most 31 characters, none of `[]:*?/\`.
pub fn sheet_name(id: &str) -> String {
    id.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_merge_only_consecutive_equal_headers() {
        let t = Table {
            id: TableId::Other("T".into()),
            title: "T".into(),
            columns: vec![
                Column::new("Uraian", Kind::Text, 10),
                Column::grouped("Anggaran", "2021", "Anggaran 2021".into(), Kind::Money, 10),
                Column::grouped("Anggaran", "2022", "Anggaran 2022".into(), Kind::Money, 10),
                Column::grouped("Rasio", "2021", "Rasio 2021".into(), Kind::Percent, 10),
                Column::new("Lokasi", Kind::Text, 10),
            ],
            rows: vec![],
        };
        assert_eq!(
            t.group_spans(),
            vec![
                (0, 0, None),
                (1, 2, Some("Anggaran")),
                (3, 3, Some("Rasio")),
                (4, 4, None)
            ]
        );
    }

    #[test]
    fn sheet_names_are_valid() {
        assert_eq!(sheet_name("IKU (Tabel 10)"), "IKU (Tabel 10)");
        assert_eq!(sheet_name("a/b:c"), "a-b-c");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }
}
