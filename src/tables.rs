//! Stage 3a: the verified T-C tables, as data every output (xlsx, csv, PDF) renders the same way.
//!
//! A table here holds exact figures and, for every cell, whether it is a value, blank, a note or
//! unverifiable. Derived cells (ratios, growth, totals) are always renstra's own computation.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::{CellValue, Level, SourceRef, format_id};
use crate::normalize::BudgetLine;
use crate::reconcile::{self, Derived};

/// One cell of a verified table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Nothing to show.
    Blank,
    /// An exact figure.
    Value(Decimal),
    /// A note written where a figure belongs.
    Note(String),
    /// A figure from the workbook that is not a valid number: its raw text, shown marked.
    Unverified(String),
    /// A derived figure that cannot be computed because an input is unreadable; the reason is
    /// kept for people, the cell shows `?`, marked.
    Uncomputable(String),
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

    /// The figure, when there is one.
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Shown::Value(d) => Some(*d),
            _ => None,
        }
    }

    /// Text for people: Indonesian number format with `decimals` places, `-` for blank.
    pub fn display(&self, decimals: u32) -> String {
        match self {
            Shown::Blank => "-".into(),
            Shown::Value(d) => format_id(*d, decimals),
            Shown::Note(n) => n.clone(),
            Shown::Unverified(raw) => raw.clone(),
            Shown::Uncomputable(_) => "?".into(),
        }
    }

    /// Text for machines: plain decimal (`1234567.89`), empty for blank, the text otherwise.
    pub fn machine(&self) -> String {
        match self {
            Shown::Blank => String::new(),
            Shown::Value(d) => d.normalize().to_string(),
            Shown::Note(n) | Shown::Unverified(n) => n.clone(),
            Shown::Uncomputable(_) => "?".into(),
        }
    }

    /// The state name used by templates and the CSV (`nilai`, `kosong`, `catatan`, `tidak-terverifikasi`).
    pub fn state(&self) -> &'static str {
        match self {
            Shown::Blank => "kosong",
            Shown::Value(_) => "nilai",
            Shown::Note(_) => "catatan",
            Shown::Unverified(_) | Shown::Uncomputable(_) => "tidak-terverifikasi",
        }
    }
}

/// What kind of row a table row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A program, kegiatan or sub kegiatan line.
    Line(Level),
    /// The table's total, recomputed by renstra.
    Total,
}

/// A row of T-C.24.
#[derive(Debug, Clone)]
pub struct Tc24Row {
    /// Line or total.
    pub kind: RowKind,
    /// Canonical code, if any.
    pub kode: Option<String>,
    /// Name.
    pub uraian: String,
    /// Location.
    pub lokasi: Option<String>,
    /// Anggaran per evaluation year, as written.
    pub anggaran: Vec<Shown>,
    /// Realisasi per evaluation year, as written.
    pub realisasi: Vec<Shown>,
    /// Rasio per evaluation year, recomputed.
    pub rasio: Vec<Shown>,
    /// Average growth of anggaran, recomputed.
    pub growth_anggaran: Shown,
    /// Average growth of realisasi, recomputed.
    pub growth_realisasi: Shown,
    /// The row in the workbook (none for the total).
    pub source: Option<SourceRef>,
}

/// Tabel T-C.24: Anggaran dan Realisasi Pendanaan Pelayanan Perangkat Daerah.
#[derive(Debug, Clone)]
pub struct Tc24 {
    /// The evaluation years, from the unit's configuration.
    pub years: Vec<i32>,
    /// Lines in workbook order, then the total.
    pub rows: Vec<Tc24Row>,
}

/// Builds T-C.24 over `years` from the normalized lines.
pub fn build_tc24(lines: &[BudgetLine], years: &[i32]) -> Tc24 {
    let mut rows: Vec<Tc24Row> = lines.iter().map(|l| line_row(l, years)).collect();
    rows.push(total_row(lines, years));
    Tc24 {
        years: years.to_vec(),
        rows,
    }
}

fn figures(line: &BudgetLine, years: &[i32]) -> (Vec<CellValue>, Vec<CellValue>) {
    let pick = |y: &i32, anggaran: bool| {
        line.years
            .get(y)
            .and_then(|f| {
                if anggaran {
                    f.anggaran.as_ref()
                } else {
                    f.realisasi.as_ref()
                }
            })
            .map(|s| s.value.clone())
            .unwrap_or(CellValue::Empty)
    };
    (
        years.iter().map(|y| pick(y, true)).collect(),
        years.iter().map(|y| pick(y, false)).collect(),
    )
}

fn line_row(line: &BudgetLine, years: &[i32]) -> Tc24Row {
    let (anggaran, realisasi) = figures(line, years);
    derived_row(
        RowKind::Line(line.level),
        line.kode.as_ref().map(ToString::to_string),
        line.uraian.clone(),
        line.lokasi.clone(),
        &anggaran,
        &realisasi,
        Some(line.source.clone()),
    )
}

fn derived_row(
    kind: RowKind,
    kode: Option<String>,
    uraian: String,
    lokasi: Option<String>,
    anggaran: &[CellValue],
    realisasi: &[CellValue],
    source: Option<SourceRef>,
) -> Tc24Row {
    Tc24Row {
        kind,
        kode,
        uraian,
        lokasi,
        anggaran: anggaran.iter().map(Shown::from_cell).collect(),
        realisasi: realisasi.iter().map(Shown::from_cell).collect(),
        rasio: anggaran
            .iter()
            .zip(realisasi)
            .map(|(a, r)| Shown::from_derived(reconcile::ratio(a, r)))
            .collect(),
        growth_anggaran: Shown::from_derived(reconcile::average_growth(anggaran)),
        growth_realisasi: Shown::from_derived(reconcile::average_growth(realisasi)),
        source,
    }
}

/// The total: for each year, the sum of the program lines, recomputed.
fn total_row(lines: &[BudgetLine], years: &[i32]) -> Tc24Row {
    let programs: Vec<(Vec<CellValue>, Vec<CellValue>)> = lines
        .iter()
        .filter(|l| l.level == Level::Program)
        .map(|l| figures(l, years))
        .collect();
    let year_sums = |side: usize| -> Vec<CellValue> {
        (0..years.len())
            .map(|i| {
                let column = programs
                    .iter()
                    .map(|p| if side == 0 { &p.0[i] } else { &p.1[i] });
                derived_to_cell(reconcile::sum(column))
            })
            .collect()
    };
    let (anggaran, realisasi) = (year_sums(0), year_sums(1));
    let mut row = derived_row(
        RowKind::Total,
        None,
        "JUMLAH".into(),
        None,
        &anggaran,
        &realisasi,
        None,
    );
    // The total's own figures are derived: one that cannot be summed shows as "?", with its
    // reason kept, not as if it were a raw cell from a workbook.
    let shown = |cells: &[CellValue]| -> Vec<Shown> {
        cells
            .iter()
            .map(|c| match c {
                CellValue::Invalid { raw, .. } => Shown::Uncomputable(raw.clone()),
                other => Shown::from_cell(other),
            })
            .collect()
    };
    row.anggaran = shown(&anggaran);
    row.realisasi = shown(&realisasi);
    row
}

/// A derived total fed back into ratio and growth computations (an unverifiable total makes
/// them unverifiable too).
fn derived_to_cell(d: Derived) -> CellValue {
    match d {
        Derived::Blank => CellValue::Empty,
        Derived::Value(v) => CellValue::Number(v),
        Derived::Unverified(why) => CellValue::Invalid {
            raw: why,
            reason: crate::model::Malformed::NotANumber,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use rust_decimal_macros::dec;

    use super::*;
    use crate::model::{Kode, Malformed};
    use crate::normalize::{Sourced, YearFigures};

    fn program(anggaran: CellValue) -> BudgetLine {
        let source = SourceRef::cell("a.xlsx", "S", 1, 1);
        let mut years = BTreeMap::new();
        years.insert(
            2022,
            YearFigures {
                anggaran: Some(Sourced {
                    value: anggaran,
                    source: source.clone(),
                }),
                realisasi: Some(Sourced {
                    value: CellValue::Number(dec!(50)),
                    source: source.clone(),
                }),
                rasio_tertulis: None,
            },
        );
        BudgetLine {
            kode: Some(Kode::parse("7.01.02", None).unwrap()),
            level: Level::Program,
            level_inferred: false,
            uraian: "Program".into(),
            lokasi: None,
            years,
            source,
        }
    }

    #[test]
    fn the_total_sums_programs_and_marks_what_it_cannot_sum() {
        let good = build_tc24(
            &[
                program(CellValue::Number(dec!(100))),
                program(CellValue::Number(dec!(300))),
            ],
            &[2022],
        );
        let total = good.rows.last().unwrap();
        assert_eq!(total.anggaran, vec![Shown::Value(dec!(400))]);
        assert_eq!(total.rasio, vec![Shown::Value(dec!(25))]);
        let bad = CellValue::Invalid {
            raw: "1.00,0".into(),
            reason: Malformed::BadGroup,
        };
        let table = build_tc24(
            &[program(CellValue::Number(dec!(100))), program(bad)],
            &[2022],
        );
        let total = table.rows.last().unwrap();
        assert!(matches!(total.anggaran[0], Shown::Uncomputable(_)));
        assert_eq!(total.anggaran[0].display(2), "?");
        assert!(matches!(total.rasio[0], Shown::Uncomputable(_)));
    }
}
