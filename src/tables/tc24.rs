//! T-C.24 (Anggaran dan Realisasi Pendanaan Pelayanan): the budget lines with their ratios and
//! average growth recomputed, and the total over the programs.

use serde::Serialize;

use super::{Calc, Cell, Column, Kind, Row, RowStyle, Shown, Table};
use crate::derive;
use rust_decimal::Decimal;

use crate::model::{
    BudgetLine, CellValue, Derived, Level, Role, SourceRef, StatedTotal, TableId, format_id,
};

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
    /// The cell each anggaran and realisasi figure was read from (none for the total).
    pub figure_sources: Vec<Option<SourceRef>>,
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
pub fn build_tc24(lines: &[BudgetLine], totals: &[StatedTotal], years: &[i32]) -> Tc24 {
    let mut rows: Vec<Tc24Row> = lines.iter().map(|l| line_row(l, years)).collect();
    let mut total = total_row(lines, years);
    if let Some(stated) = totals.first() {
        mark_stated_total(&mut total, stated, years);
    }
    rows.push(total);
    Tc24 {
        years: years.to_vec(),
        rows,
    }
}

impl Tc24 {
    /// T-C.24 in its official layout: Kode | Uraian | Lokasi | Anggaran per year | Realisasi per
    /// year | Rasio per year | Rata-rata pertumbuhan (Anggaran, Realisasi).
    pub fn to_table(&self, unit_name: &str) -> Table {
        let programs: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == RowKind::Line(Level::Program))
            .map(|(i, _)| i)
            .collect();
        let n = self.years.len();
        Table {
            id: TableId::Tc24,
            title: format!("Anggaran dan Realisasi Pendanaan Pelayanan {unit_name}"),
            columns: columns(&self.years),
            rows: self
                .rows
                .iter()
                .map(|row| table_row(row, n, &programs))
                .collect(),
            landscape: true,
        }
    }
}

/// T-C.24's columns: Kode, Uraian, Lokasi; anggaran, realisasi and rasio per evaluation year;
/// the average growth of anggaran and of realisasi.
fn columns(years: &[i32]) -> Vec<Column> {
    let mut columns = vec![
        Column::new("Kode", Kind::Text, 18),
        Column::new("Uraian", Kind::Text, 60),
        Column::new("Lokasi", Kind::Text, 22),
    ];
    let groups = [
        ("Anggaran pada Tahun ke-", "Anggaran", Kind::Money, 16),
        (
            "Realisasi Anggaran pada Tahun ke-",
            "Realisasi",
            Kind::Money,
            16,
        ),
        (
            "Rasio antara Realisasi dan Anggaran Tahun ke- (%)",
            "Rasio",
            Kind::Percent,
            10,
        ),
    ];
    for (group, key, kind, width) in groups {
        for y in years {
            columns.push(Column::grouped(
                group,
                &y.to_string(),
                format!("{key} {y}"),
                kind,
                width,
            ));
        }
    }
    for side in ["Anggaran", "Realisasi"] {
        columns.push(Column::grouped(
            "Rata-rata Pertumbuhan (%)",
            side,
            format!("Pertumbuhan {side}"),
            Kind::Percent,
            10,
        ));
    }
    columns
}

/// One T-C.24 row as table cells: figures where they were read (the JUMLAH row's as sums of the
/// programs), ratios and growth as the calculations behind them; `n` evaluation years.
fn table_row(row: &Tc24Row, n: usize, programs: &[usize]) -> Row {
    let text = |t: Option<&str>, src: Option<SourceRef>| {
        Cell::read(Shown::text(t.unwrap_or_default()), src)
    };
    let mut cells = vec![
        text(row.kode.as_deref(), None),
        text(Some(&row.uraian), row.source.clone()),
        text(row.lokasi.as_deref(), None),
    ];
    for (i, shown) in row.anggaran.iter().chain(&row.realisasi).enumerate() {
        cells.push(if row.kind == RowKind::Total {
            Cell::derived(shown.clone(), Calc::SumRows(programs.to_vec()))
        } else {
            Cell::read(shown.clone(), row.figure_sources.get(i).cloned().flatten())
        });
    }
    for (i, shown) in row.rasio.iter().enumerate() {
        let calc = Calc::Ratio {
            part: 3 + n + i,
            whole: 3 + i,
        };
        cells.push(Cell::derived(shown.clone(), calc));
    }
    for (side, shown) in [&row.growth_anggaran, &row.growth_realisasi]
        .into_iter()
        .enumerate()
    {
        let calc = Calc::Growth {
            first: 3 + side * n,
            count: n,
        };
        cells.push(Cell::derived(shown.clone(), calc));
    }
    let (style, depth) = match row.kind {
        RowKind::Total => (RowStyle::Total, 0),
        RowKind::Line(Level::Program) => (RowStyle::Strong, 0),
        RowKind::Line(Level::SubKegiatan) => (RowStyle::Normal, 2),
        RowKind::Line(_) => (RowStyle::Normal, 1),
    };
    Row {
        cells,
        style,
        depth,
        source: row.source.clone(),
    }
}

/// A line's best-supported anggaran and realisasi per year (as parsed, else the confirmed
/// proposal), and for each the source's text where it is a proposal.
struct LineFigures {
    anggaran: Vec<CellValue>,
    realisasi: Vec<CellValue>,
    anggaran_written: Vec<Option<String>>,
    realisasi_written: Vec<Option<String>>,
}

fn figures(line: &BudgetLine, years: &[i32]) -> LineFigures {
    let sourced = |y: &i32, anggaran: bool| line.years.get(y).and_then(|f| f.figure(anggaran));
    let best = |anggaran: bool| -> Vec<CellValue> {
        years
            .iter()
            .map(|y| sourced(y, anggaran).map_or(CellValue::Empty, crate::model::Sourced::best))
            .collect()
    };
    let written = |anggaran: bool| -> Vec<Option<String>> {
        years
            .iter()
            .map(|y| {
                let s = sourced(y, anggaran)?;
                s.proposed?;
                match &s.value {
                    CellValue::Invalid { raw, .. } => Some(raw.clone()),
                    _ => None,
                }
            })
            .collect()
    };
    LineFigures {
        anggaran: best(true),
        realisasi: best(false),
        anggaran_written: written(true),
        realisasi_written: written(false),
    }
}

/// Marks the figures that are proposals, and every figure derived from one.
fn mark_proposals(row: &mut Tc24Row, anggaran: &[Option<String>], realisasi: &[Option<String>]) {
    let mark = |shown: &mut Vec<Shown>, written: &[Option<String>]| {
        for (cell, w) in shown.iter_mut().zip(written) {
            if let (Some(w), Some(value)) = (w, cell.value()) {
                *cell = Shown::Proposed {
                    value,
                    written: Some(w.clone()),
                };
            }
        }
    };
    mark(&mut row.anggaran, anggaran);
    mark(&mut row.realisasi, realisasi);
    for (i, cell) in row.rasio.iter_mut().enumerate() {
        let used = anggaran[i].is_some() || realisasi[i].is_some();
        *cell = std::mem::replace(cell, Shown::Blank).marked_proposed(used);
    }
    let any = |w: &[Option<String>]| w.iter().any(Option::is_some);
    row.growth_anggaran =
        std::mem::replace(&mut row.growth_anggaran, Shown::Blank).marked_proposed(any(anggaran));
    row.growth_realisasi =
        std::mem::replace(&mut row.growth_realisasi, Shown::Blank).marked_proposed(any(realisasi));
}

fn line_row(line: &BudgetLine, years: &[i32]) -> Tc24Row {
    let f = figures(line, years);
    let source_of = |y: &i32, anggaran: bool| {
        line.years
            .get(y)
            .and_then(|f| f.figure(anggaran))
            .map(|s| s.source.clone())
    };
    let figure_sources = years
        .iter()
        .map(|y| source_of(y, true))
        .chain(years.iter().map(|y| source_of(y, false)))
        .collect();
    let mut row = derived_row(
        RowKind::Line(line.level),
        line.kode.as_ref().map(ToString::to_string),
        line.uraian.clone(),
        line.lokasi.clone(),
        &f.anggaran,
        &f.realisasi,
        Some(line.source.clone()),
    );
    row.figure_sources = figure_sources;
    mark_proposals(&mut row, &f.anggaran_written, &f.realisasi_written);
    let stated: Vec<Option<Decimal>> = years
        .iter()
        .map(|y| line.years.get(y)?.rasio_tertulis.as_ref()?.value.number())
        .collect();
    mark_stated_ratios(&mut row, &stated);
    row
}

/// Marks each recomputed ratio whose stated one differs beyond its last printed digit, the
/// stated one kept for the note.
fn mark_stated_ratios(row: &mut Tc24Row, stated: &[Option<Decimal>]) {
    for (cell, stated) in row.rasio.iter_mut().zip(stated) {
        if let (Shown::Value(exact), Some(stated)) = (&*cell, stated)
            && !derive::agrees_with_stated(*stated, *exact)
        {
            *cell = Shown::recomputed(*exact, Some(format_id(*stated, stated.scale())));
        }
    }
}

/// Marks the recomputed JUMLAH where the workbook's own JUMLAH row states other figures.
fn mark_stated_total(row: &mut Tc24Row, stated: &StatedTotal, years: &[i32]) {
    let of = |role: Role, year: i32| {
        stated
            .figures
            .iter()
            .find(|f| f.role == role && f.year == year)
            .and_then(|f| f.best().number())
    };
    for (i, &year) in years.iter().enumerate() {
        for (cells, role) in [
            (&mut row.anggaran, Role::Anggaran),
            (&mut row.realisasi, Role::Realisasi),
        ] {
            if let (Shown::Value(sum), Some(written)) = (&cells[i], of(role, year))
                && *sum != written
            {
                cells[i] = Shown::recomputed(*sum, Some(format_id(written, 2)));
            }
        }
    }
    let ratios: Vec<Option<Decimal>> = years.iter().map(|&y| of(Role::Rasio, y)).collect();
    mark_stated_ratios(row, &ratios);
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
            .map(|(a, r)| Shown::from_derived(derive::ratio(a, r)))
            .collect(),
        growth_anggaran: Shown::from_derived(derive::average_growth(anggaran)),
        growth_realisasi: Shown::from_derived(derive::average_growth(realisasi)),
        source,
        figure_sources: Vec::new(),
    }
}

/// The total: for each year, the sum of the program lines, recomputed.
fn total_row(lines: &[BudgetLine], years: &[i32]) -> Tc24Row {
    let programs: Vec<LineFigures> = lines
        .iter()
        .filter(|l| l.level == Level::Program)
        .map(|l| figures(l, years))
        .collect();
    let year_sums = |side: usize| -> Vec<CellValue> {
        (0..years.len())
            .map(|i| {
                let column = programs.iter().map(|p| {
                    if side == 0 {
                        &p.anggaran[i]
                    } else {
                        &p.realisasi[i]
                    }
                });
                derived_to_cell(derive::sum(column))
            })
            .collect()
    };
    // A year's total stands on a proposal when any program's figure of that year is one.
    let proposed_in = |side: usize| -> Vec<Option<String>> {
        (0..years.len())
            .map(|i| {
                programs
                    .iter()
                    .any(|p| {
                        let w = if side == 0 {
                            &p.anggaran_written
                        } else {
                            &p.realisasi_written
                        };
                        w[i].is_some()
                    })
                    .then(String::new)
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
    let (a, r) = (proposed_in(0), proposed_in(1));
    mark_proposals(&mut row, &a, &r);
    // The total's own figures are sums, not readings: marked as derived from a proposal.
    for cell in row.anggaran.iter_mut().chain(row.realisasi.iter_mut()) {
        if let Shown::Proposed { written, .. } = cell {
            *written = None;
        }
    }
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
    use crate::model::{Sourced, YearFigures};

    fn build_tc24_plain(lines: &[BudgetLine], years: &[i32]) -> Tc24 {
        build_tc24(lines, &[], years)
    }

    fn program(anggaran: CellValue) -> BudgetLine {
        let source = SourceRef::cell("a.xlsx", "S", 1, 1);
        let mut years = BTreeMap::new();
        years.insert(
            2022,
            YearFigures {
                anggaran: Some(Sourced {
                    value: anggaran,
                    source: source.clone(),
                    proposed: None,
                }),
                realisasi: Some(Sourced {
                    value: CellValue::Number(dec!(50)),
                    source: source.clone(),
                    proposed: None,
                }),
                rasio_tertulis: None,
            },
        );
        BudgetLine {
            kode: Some(Kode::parse("7.01.02", None).unwrap()),
            kode_source: None,
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
        let good = build_tc24_plain(
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
        let table = build_tc24_plain(
            &[program(CellValue::Number(dec!(100))), program(bad)],
            &[2022],
        );
        let total = table.rows.last().unwrap();
        assert!(matches!(total.anggaran[0], Shown::Uncomputable(_)));
        assert_eq!(total.anggaran[0].display(2), "?");
        assert!(matches!(total.rasio[0], Shown::Uncomputable(_)));
    }
}
