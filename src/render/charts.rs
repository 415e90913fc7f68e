//! What the charts draw and the figures the narrative quotes, taken from the verified tables so
//! nothing is typed twice. Bar heights are `f64` because they are geometry, not money; every label
//! printed next to a bar is the exact figure formatted the Indonesian way.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::model::{TableId, format_id};
use crate::tables::{RowStyle, Shown, Table};

/// One year of anggaran against realisasi (T-C.24's JUMLAH row).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct YearBar {
    /// The year.
    pub tahun: i32,
    /// Bar heights (absent when the year has no figure).
    pub anggaran: Option<f64>,
    /// Bar heights (absent when the year has no figure).
    pub realisasi: Option<f64>,
    /// The exact figures, formatted.
    pub label_anggaran: String,
    /// The exact figures, formatted.
    pub label_realisasi: String,
}

/// Target against realisation of one T-C.23 indicator over the evaluation years.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorSeries {
    /// The indicator's name.
    pub indikator: String,
    /// Its unit, if any.
    pub satuan: String,
    /// The years with at least one figure.
    pub tahun: Vec<i32>,
    /// Target per year (bar heights).
    pub target: Vec<Option<f64>>,
    /// Realisation per year (bar heights).
    pub realisasi: Vec<Option<f64>>,
    /// Target per year, formatted.
    pub label_target: Vec<String>,
    /// Realisation per year, formatted.
    pub label_realisasi: Vec<String>,
    /// The value axis of this indicator's chart.
    pub sumbu: Vec<Tick>,
}

/// A line of a chart's value axis: its height (geometry) and its label, the Indonesian way.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tick {
    /// The value it marks, as a bar height.
    pub nilai: f64,
    /// The value as printed beside the axis (`2,5 M`, `500 jt`, `85`).
    pub label: String,
}

/// The series of both charts.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Charts {
    /// Anggaran and realisasi per evaluation year.
    pub anggaran: Vec<YearBar>,
    /// The anggaran chart's value axis, from 0 to at least its largest figure.
    pub sumbu_anggaran: Vec<Tick>,
    /// Performance targets against realisation.
    pub kinerja: Vec<IndicatorSeries>,
}

fn table(tables: &[Table], id: TableId) -> Option<&Table> {
    tables.iter().find(|t| t.id == id)
}

/// The column whose CSV name is `key`.
fn column(table: &Table, key: &str) -> Option<usize> {
    table.columns.iter().position(|c| c.key == key)
}

/// Years named by columns `<prefix> <year>`, in column order.
fn years(table: &Table, prefix: &str) -> Vec<i32> {
    table
        .columns
        .iter()
        .filter_map(|c| c.key.strip_prefix(prefix)?.trim().parse().ok())
        .collect()
}

fn height(shown: &Shown) -> Option<f64> {
    shown.value().and_then(|d| d.to_f64())
}

fn label(shown: &Shown, money: bool) -> String {
    match shown.value() {
        Some(d) if money => format_id(d, 0),
        Some(d) => format_id(d, d.normalize().scale()),
        None => shown.display(2),
    }
}

impl Charts {
    /// The chart series of a unit's tables (empty where a table is missing).
    pub fn from_tables(tables: &[Table]) -> Charts {
        let anggaran = table(tables, TableId::Tc24)
            .map(budget_bars)
            .unwrap_or_default();
        let sumbu_anggaran = axis(
            anggaran
                .iter()
                .flat_map(|b| [b.anggaran, b.realisasi])
                .flatten(),
            true,
        );
        Charts {
            anggaran,
            sumbu_anggaran,
            kinerja: table(tables, TableId::Tc23)
                .map(performance)
                .unwrap_or_default(),
        }
    }
}

/// A value axis from 0 past `values`' largest in four or five round steps (1, 2 or 5 times a
/// power of ten); money labelled in miliar (`M`) or juta (`jt`) when the steps are that large.
/// The steps are exact decimals; only the heights they mark are geometry.
fn axis(values: impl IntoIterator<Item = f64>, money: bool) -> Vec<Tick> {
    let largest = values.into_iter().fold(0.0_f64, f64::max);
    let Some(largest) = Decimal::from_f64_retain(largest).filter(|d| *d > Decimal::ZERO) else {
        return Vec::new();
    };
    let rough = largest / Decimal::from(4);
    // The power of ten at or below the rough step: 10^k ≤ rough < 10^(k+1).
    let mut power = Decimal::ONE;
    while power > rough {
        power /= Decimal::TEN;
    }
    while power * Decimal::TEN <= rough {
        power *= Decimal::TEN;
    }
    let step = [1, 2, 5, 10]
        .into_iter()
        .map(|m| power * Decimal::from(m))
        .find(|s| *s >= rough)
        .unwrap_or(power * Decimal::TEN);
    let count = (largest / step).ceil().to_u32().unwrap_or(0);
    (0..=count)
        .map(|i| {
            let value = step * Decimal::from(i);
            Tick {
                nilai: value.to_f64().unwrap_or(0.0),
                label: tick_label(value, step, money),
            }
        })
        .collect()
}

/// A tick's label: a round number the Indonesian way, in miliar or juta for large money.
fn tick_label(value: Decimal, step: Decimal, money: bool) -> String {
    if value.is_zero() {
        return "0".into();
    }
    let (miliar, juta) = (Decimal::from(1_000_000_000), Decimal::from(1_000_000));
    let (scaled, unit) = if money && step >= miliar {
        (value / miliar, " M")
    } else if money && step >= juta {
        (value / juta, " jt")
    } else {
        (value, "")
    };
    let scaled = scaled.normalize();
    format!("{}{unit}", format_id(scaled, scaled.scale()))
}

fn budget_bars(t: &Table) -> Vec<YearBar> {
    let Some(total) = t.rows.iter().find(|r| r.style == RowStyle::Total) else {
        return Vec::new();
    };
    let bars: Vec<YearBar> = years(t, "Anggaran")
        .into_iter()
        .filter_map(|y| {
            let a = &total.cells[column(t, &format!("Anggaran {y}"))?].shown;
            let r = &total.cells[column(t, &format!("Realisasi {y}"))?].shown;
            Some(YearBar {
                tahun: y,
                anggaran: height(a),
                realisasi: height(r),
                label_anggaran: label(a, true),
                label_realisasi: label(r, true),
            })
        })
        .collect();
    // A table with no figure yet (a new unit) draws no empty axes: the narrative says instead
    // that the chart has no data.
    let drawable = bars
        .iter()
        .any(|b| b.anggaran.is_some_and(|h| h > 0.0) || b.realisasi.is_some_and(|h| h > 0.0));
    if drawable { bars } else { Vec::new() }
}

fn performance(t: &Table) -> Vec<IndicatorSeries> {
    let all_years = years(t, "Target");
    t.rows
        .iter()
        .filter_map(|row| {
            let cell = |key: String| column(t, &key).map(|c| &row.cells[c].shown);
            let mut series = IndicatorSeries {
                indikator: row.cells.get(1)?.shown.display(0),
                satuan: cell("Satuan".into())
                    .map(|s| s.machine())
                    .unwrap_or_default(),
                tahun: Vec::new(),
                target: Vec::new(),
                realisasi: Vec::new(),
                label_target: Vec::new(),
                label_realisasi: Vec::new(),
                sumbu: Vec::new(),
            };
            for y in &all_years {
                let (Some(target), Some(real)) =
                    (cell(format!("Target {y}")), cell(format!("Realisasi {y}")))
                else {
                    continue;
                };
                // A year without either figure stays on the chart, marked "tidak ada data".
                series.tahun.push(*y);
                series.target.push(height(target));
                series.realisasi.push(height(real));
                series.label_target.push(label(target, false));
                series.label_realisasi.push(label(real, false));
            }
            series.sumbu = axis(
                series
                    .target
                    .iter()
                    .chain(&series.realisasi)
                    .flatten()
                    .copied(),
                false,
            );
            let any = series
                .target
                .iter()
                .chain(&series.realisasi)
                .any(Option::is_some);
            any.then_some(series)
        })
        .collect()
}

/// Figures the narrative may quote with `#fakta("…")`, each from a verified table:
/// `jumlah-pegawai` (Tabel 1, the rows of Status Kepegawaian), `strategi-terpilih` and
/// `skor-strategi-terpilih` (the highest score of the SWOT strategy table), `skor-strategi-so`,
/// `-wo`, `-st`, `-wt` (each strategy's score), `pagu-renstra` (T-C.27's JUMLAH over the period),
/// and `anggaran-<year>` / `realisasi-<year>` (T-C.24's JUMLAH).
pub fn facts(tables: &[Table]) -> BTreeMap<String, String> {
    let mut facts = BTreeMap::new();
    if let Some(t) = table(tables, TableId::Tabel1) {
        let (kategori, jumlah) = (column(t, "Kategori"), column(t, "Jumlah"));
        if let (Some(k), Some(j)) = (kategori, jumlah) {
            let total: Option<Decimal> = t
                .rows
                .iter()
                .filter(|r| r.cells[k].shown.machine().to_lowercase().contains("status"))
                .map(|r| r.cells[j].shown.value())
                .sum();
            if let Some(total) = total {
                facts.insert("jumlah-pegawai".into(), format_id(total, 0));
            }
        }
    }
    if let Some(t) = table(tables, TableId::SkorStrategiSwot) {
        let (uraian, jumlah) = (column(t, "Uraian"), column(t, "Jumlah"));
        if let (Some(u), Some(j)) = (uraian, jumlah) {
            let best = t
                .rows
                .iter()
                .filter_map(|r| Some((r.cells[j].shown.value()?, r.cells[u].shown.machine())))
                .max_by_key(|(score, _)| *score);
            if let Some((score, name)) = best {
                facts.insert("strategi-terpilih".into(), name);
                facts.insert("skor-strategi-terpilih".into(), format_id(score, 0));
            }
            for r in &t.rows {
                let name = r.cells[u].shown.machine().to_uppercase();
                let pair = ["SO", "WO", "ST", "WT"]
                    .into_iter()
                    .find(|p| name.split_whitespace().any(|w| w == *p));
                if let (Some(pair), Some(score)) = (pair, r.cells[j].shown.value()) {
                    let key = format!("skor-strategi-{}", pair.to_lowercase());
                    facts.insert(key, format_id(score, 0));
                }
            }
        }
    }
    if let Some(t) = table(tables, TableId::Tc27) {
        let total = t.rows.iter().find(|r| r.style == RowStyle::Total);
        if let (Some(total), Some(c)) = (total, column(t, "Rp Akhir")) {
            facts.insert("pagu-renstra".into(), total.cells[c].shown.display(2));
        }
    }
    if let Some(t) = table(tables, TableId::Tc24) {
        for bar in budget_bars(t) {
            facts.insert(format!("anggaran-{}", bar.tahun), bar.label_anggaran);
            facts.insert(format!("realisasi-{}", bar.tahun), bar.label_realisasi);
        }
    }
    facts
}

#[cfg(test)]
mod axis_tests {
    use super::*;

    #[test]
    fn an_axis_runs_in_round_steps_past_the_largest_figure() {
        // 11,28 miliar: a quarter is 2,82 miliar, so steps of 5 miliar up to 15 miliar.
        let labels: Vec<String> = axis([11_280_546_172.0, 9_806_048_671.0], true)
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels, ["0", "5 M", "10 M", "15 M"]);
        // A percentage of 99,35: a quarter is 24,8, so steps of 50 up to 100.
        let ticks = axis([99.35, 82.5], false);
        assert_eq!(
            ticks.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
            ["0", "50", "100"]
        );
        // 450 juta: steps of 200 juta.
        let labels: Vec<String> = axis([450_000_000.0], true)
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels, ["0", "200 jt", "400 jt", "600 jt"]);
        assert!(axis([0.0], true).is_empty());
    }
}
