//! T-C.24 (Anggaran dan Realisasi Pendanaan Pelayanan): the budget lines with their ratios and
//! average growth recomputed, and the total over the programs.

use serde::Serialize;

use super::forms::as_value;
use super::{Calc, Cell, Column, Kind, Row, RowStyle, Shown, Table};
use crate::derive;
use rust_decimal::Decimal;

use crate::model::{
    BudgetLine, CellValue, Level, Role, SourceRef, StatedTotal, TableId, format_id,
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
    /// The rows of this line's children (kegiatan of a program, sub kegiatan of a kegiatan).
    pub children: Vec<usize>,
    /// For each anggaran then realisasi figure: true when it is the sum of the children's (the
    /// workbook's own figure kept in its note where it differs).
    pub summed: Vec<bool>,
    /// The ratio the workbook states per year, to mark a recomputed one that differs.
    pub stated_ratio: Vec<Option<Decimal>>,
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
    sum_up(&mut rows, &derive::parents(lines));
    let mut total = total_row(&rows, years);
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
    // Kode, Uraian, Lokasi; anggaran and realisasi per year; a ratio per year; two growths.
    let mut cells = Vec::with_capacity(3 + 3 * n + 2);
    cells.extend([
        text(row.kode.as_deref(), None),
        text(Some(&row.uraian), row.source.clone()),
        text(row.lokasi.as_deref(), None),
    ]);
    for (i, shown) in row.anggaran.iter().chain(&row.realisasi).enumerate() {
        cells.push(if row.kind == RowKind::Total {
            Cell {
                shown: shown.clone(),
                source: row.figure_sources.get(i).cloned().flatten(),
                calc: Some(Calc::SumRows(programs.to_vec())),
            }
        } else if row.summed.get(i).copied().unwrap_or(false) {
            // A subtotal is the live sum of its children; its cell still links to the workbook.
            Cell {
                shown: shown.clone(),
                source: row.figure_sources.get(i).cloned().flatten(),
                calc: Some(Calc::SumRows(row.children.clone())),
            }
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
    row.stated_ratio = years
        .iter()
        .map(|y| line.years.get(y)?.rasio_tertulis.as_ref()?.value.number())
        .collect();
    refresh_derived(&mut row);
    row
}

/// Program and kegiatan figures become the sums of their children's (children first, so a
/// program adds up its kegiatan's sums): one derivation that the ratios, the growth, the JUMLAH
/// and the workbook's live formulas all read. A figure is summed where some child has one and
/// none is unreadable; where the workbook states another, the sum is shown marked with the
/// stated figure in its note (SUM-HIERARCHY reports the line whose children do not add up).
fn sum_up(rows: &mut [Tc24Row], parents: &[Option<usize>]) {
    for (i, p) in parents.iter().enumerate() {
        if let Some(p) = p {
            rows[*p].children.push(i);
        }
    }
    for i in (0..rows.len()).rev() {
        if rows[i].children.is_empty() {
            continue;
        }
        let n = rows[i].anggaran.len();
        let mut changed = false;
        for k in 0..2 * n {
            let side = |r: &Tc24Row| {
                if k < n {
                    r.anggaran[k].clone()
                } else {
                    r.realisasi[k - n].clone()
                }
            };
            let parts: Vec<Shown> = rows[i].children.iter().map(|&c| side(&rows[c])).collect();
            if parts.iter().any(Shown::is_unverified) {
                continue;
            }
            let values: Vec<Decimal> = parts.iter().filter_map(Shown::value).collect();
            if values.is_empty() {
                continue;
            }
            let sum: Decimal = values.iter().copied().sum();
            let stated = side(&rows[i]);
            let shown = if stated.value() == Some(sum) {
                stated
            } else {
                Shown::recomputed(sum, Some(stated.display(2)))
            };
            let from_proposal = parts.iter().any(|p| matches!(p, Shown::Proposed { .. }));
            let shown = shown.marked_proposed(from_proposal);
            let row = &mut rows[i];
            if k < n {
                row.anggaran[k] = shown;
            } else {
                row.realisasi[k - n] = shown;
            }
            row.summed[k] = true;
            changed = true;
        }
        if changed {
            refresh_derived(&mut rows[i]);
        }
    }
}

/// The row's ratios and growth from its figures as shown, marked where they stand on a
/// proposal, and where a stated ratio differs.
fn refresh_derived(row: &mut Tc24Row) {
    let a: Vec<CellValue> = row.anggaran.iter().map(as_value).collect();
    let r: Vec<CellValue> = row.realisasi.iter().map(as_value).collect();
    let proposal = |s: &Shown| matches!(s, Shown::Proposed { .. });
    row.rasio = a
        .iter()
        .zip(&r)
        .enumerate()
        .map(|(i, (a, r))| {
            Shown::from_derived(derive::ratio(a, r))
                .marked_proposed(proposal(&row.anggaran[i]) || proposal(&row.realisasi[i]))
        })
        .collect();
    row.growth_anggaran = Shown::from_derived(derive::average_growth(&a))
        .marked_proposed(row.anggaran.iter().any(proposal));
    row.growth_realisasi = Shown::from_derived(derive::average_growth(&r))
        .marked_proposed(row.realisasi.iter().any(proposal));
    let stated = row.stated_ratio.clone();
    mark_stated_ratios(row, &stated);
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
    // The recomputed JUMLAH stands where the workbook states its own: findings about the
    // stated figures (SUM-TOTAL, AMOUNT-MALFORMED) link to these cells, and to the row.
    let source_of = |role: Role, year: i32| {
        stated
            .figures
            .iter()
            .find(|f| f.role == role && f.year == year)
            .map(|f| f.source.clone())
    };
    row.figure_sources = [Role::Anggaran, Role::Realisasi]
        .into_iter()
        .flat_map(|role| years.iter().map(move |&y| source_of(role, y)))
        .collect();
    row.source = Some(stated.source.clone());
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
        children: Vec::new(),
        summed: vec![false; 2 * anggaran.len()],
        stated_ratio: vec![None; anggaran.len()],
    }
}

/// The total: for each year, the sum of the program rows as shown (their own sums where they
/// have children), recomputed.
fn total_row(rows: &[Tc24Row], years: &[i32]) -> Tc24Row {
    let programs: Vec<&Tc24Row> = rows
        .iter()
        .filter(|r| r.kind == RowKind::Line(Level::Program))
        .collect();
    let sums = |anggaran: bool| -> Vec<Shown> {
        (0..years.len())
            .map(|i| {
                let column: Vec<&Shown> = programs
                    .iter()
                    .map(|p| {
                        if anggaran {
                            &p.anggaran[i]
                        } else {
                            &p.realisasi[i]
                        }
                    })
                    .collect();
                let values: Vec<CellValue> = column.iter().map(|s| as_value(s)).collect();
                let from_proposal = column.iter().any(|s| matches!(s, Shown::Proposed { .. }));
                // One that cannot be summed shows as "?", with its reason kept.
                Shown::from_derived(derive::sum(&values)).marked_proposed(from_proposal)
            })
            .collect()
    };
    let mut row = derived_row(RowKind::Total, None, "JUMLAH".into(), None, &[], &[], None);
    row.anggaran = sums(true);
    row.realisasi = sums(false);
    row.summed = vec![false; 2 * years.len()];
    row.stated_ratio = vec![None; years.len()];
    refresh_derived(&mut row);
    row
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
            years: years.into_iter().map(|(y, f)| (y, Box::new(f))).collect(),
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
