//! T-C.27 (Rencana Program, Kegiatan dan Pendanaan): the plan rows become lines like the budget's
//! (codes decide the tree, rows without codes their position), so program = Σ kegiatan and
//! kegiatan = Σ sub kegiatan are checked by the same rule; each row's end-of-period Rp must be the
//! sum of the plan years, and its end-of-period target the last year's (or, for counts, the sum).

use rust_decimal::Decimal;

use crate::ingest::{BudgetRow, Figure, Record, Role, SheetKind};
use crate::model::{
    CellValue, Finding, Kode, Measure, NumberKind, Rule, Severity, SourceRef, format_id,
    parse_measure, parse_number,
};
use crate::normalize::{self, UnitContext};

use super::budget;

/// Checks the plan records against the plan `years`.
pub fn check(
    records: &[Record],
    years: &[i32],
    bidang: Option<&Kode>,
    unit: &UnitContext,
) -> Vec<Finding> {
    let plan: Vec<&Record> = records
        .iter()
        .filter(|r| r.kind == SheetKind::RencanaProgram && !r.total)
        .collect();
    let mut findings = Vec::new();
    let rows: Vec<BudgetRow> = plan
        .iter()
        .filter_map(|r| to_row(r, years, bidang, &mut findings))
        .collect();
    let (lines, _) = normalize::normalize_budget(&rows, unit);
    let parents = budget::parents(&lines);
    findings.extend(budget::hierarchy(&lines, &parents, years));
    findings.extend(budget::codes(&lines, &parents));
    for record in &plan {
        period_total(record, years, &mut findings);
        period_target(record, years, &mut findings);
    }
    findings
}

/// The plan records' code and level as T-C.27 shows them, keyed by the record's first cell:
/// the canonical code where it parses, the level from the code or, for rows without one, from
/// their place in the tree (as the hierarchy check sees them).
pub fn plan_levels(
    records: &[Record],
    years: &[i32],
    bidang: Option<&Kode>,
    unit: &UnitContext,
) -> std::collections::HashMap<SourceRef, (Option<Kode>, crate::model::Level)> {
    let mut ignored = Vec::new();
    let rows: Vec<BudgetRow> = records
        .iter()
        .filter(|r| r.kind == SheetKind::RencanaProgram && !r.total)
        .filter_map(|r| to_row(r, years, bidang, &mut ignored))
        .collect();
    let (lines, _) = normalize::normalize_budget(&rows, unit);
    lines
        .into_iter()
        .map(|l| (l.source, (l.kode, l.level)))
        .collect()
}

fn money(text: &str, number: Option<Decimal>) -> CellValue {
    match number {
        Some(d) => CellValue::Number(d),
        None => parse_number(text, NumberKind::Money).value,
    }
}

/// A plan record as a budget row whose "anggaran" is the plan's Rp per year.
fn to_row(
    record: &Record,
    years: &[i32],
    bidang: Option<&Kode>,
    findings: &mut Vec<Finding>,
) -> Option<BudgetRow> {
    let uraian = record
        .get(&["program"])
        .or_else(|| record.get(&["kegiatan"]))?;
    let kode_cell = record.get(&["kode"]);
    let kode = kode_cell.and_then(|c| {
        crate::ingest::budget::parse_kode(&c.text, bidang, c.source.clone(), findings)
    });
    let mut figures = Vec::new();
    for year in years {
        let Some(cell) = record.get(&[&year.to_string(), "rp"]) else {
            continue;
        };
        let value = money(&cell.text, cell.number);
        if let CellValue::Invalid { raw, reason } = &value {
            findings.push(
                Finding::new(
                    Severity::Error,
                    Rule::AmountMalformed,
                    cell.source.clone(),
                    format!("Angka Rp {year} tidak sah: {reason}. Angka ini tidak dihitung; perbaiki selnya (contoh: 1.234.567,89)."),
                )
                .written(raw.clone()),
            );
        }
        figures.push(Figure {
            role: Role::Anggaran,
            year: *year,
            value,
            source: cell.source.clone(),
        });
    }
    Some(BudgetRow {
        kode_text: kode_cell.map(|c| c.text.clone()).unwrap_or_default(),
        kode,
        uraian: uraian.text.clone(),
        lokasi_text: record
            .get(&["lokasi"])
            .map(|c| c.text.clone())
            .unwrap_or_default(),
        keterangan: String::new(),
        figures,
        source: uraian.source.clone(),
    })
}

fn name(record: &Record) -> String {
    record
        .get(&["program"])
        .map_or_else(|| "baris".to_string(), |c| c.text.clone())
}

/// Rp at the end of the period = the sum of the plan years' Rp.
fn period_total(record: &Record, years: &[i32], findings: &mut Vec<Finding>) {
    let Some(end) = record.get(&["akhir", "rp"]) else {
        return;
    };
    let Some(stated) = money(&end.text, end.number).number() else {
        return;
    };
    let mut total = Decimal::ZERO;
    for year in years {
        let Some(cell) = record.get(&[&year.to_string(), "rp"]) else {
            return;
        };
        let Some(v) = money(&cell.text, cell.number).number() else {
            return;
        };
        total += v;
    }
    if stated != total {
        findings.push(
            Finding::new(
                Severity::Error,
                Rule::PlanTotal,
                end.source.clone(),
                format!(
                    "Rp akhir periode \"{}\" tertulis {}, padahal jumlah Rp {}-{} = {}.",
                    name(record),
                    format_id(stated, 0),
                    years.first().copied().unwrap_or_default(),
                    years.last().copied().unwrap_or_default(),
                    format_id(total, 0)
                ),
            )
            .written(format_id(stated, 0))
            .expected(format_id(total, 0)),
        );
    }
}

/// Target at the end of the period = the last year's target for levels (percentages, indices);
/// for counts with a unit, the last year's or the sum of the years.
fn period_target(record: &Record, years: &[i32], findings: &mut Vec<Finding>) {
    let Some(end) = record.get(&["akhir", "target"]) else {
        return;
    };
    let stated = parse_measure(&end.text);
    let targets: Vec<Measure> = years
        .iter()
        .filter_map(|y| record.get(&[&y.to_string(), "target"]))
        .map(|c| parse_measure(&c.text))
        .collect();
    let (Some(last), Some(value)) = (targets.last(), stated.value()) else {
        return;
    };
    let Some(last_value) = last.value() else {
        return;
    };
    let is_count =
        matches!(&stated, Measure::Value { unit, .. } if !unit.is_empty() && unit != "%");
    let sum: Option<Decimal> = targets.iter().map(Measure::value).sum();
    let fine = value == last_value || (is_count && sum == Some(value));
    if !fine {
        findings.push(
            Finding::new(
                Severity::Warning,
                Rule::PlanTarget,
                end.source.clone(),
                format!(
                    "Target akhir periode \"{}\" tertulis {stated}, padahal target tahun terakhir {last}{}.",
                    name(record),
                    if is_count { " (atau jumlah target tahunan, untuk satuan yang kumulatif)" } else { "" }
                ),
            )
            .written(stated.to_string())
            .expected(last.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(row: u32, cells: &[(&str, &str)]) -> Record {
        Record::from_cells(SheetKind::RencanaProgram, "p.ods", "P", row, cells)
    }

    fn plan_row(row: u32, kode: &str, rp: [&str; 3], target: [&str; 3]) -> Record {
        record(
            row,
            &[
                ("Kode", kode),
                ("Program / Kegiatan", "x"),
                ("2025 Target", target[0]),
                ("2025 Rp", rp[0]),
                ("2026 Target", target[1]),
                ("2026 Rp", rp[1]),
                ("Kondisi Akhir Target", target[2]),
                ("Kondisi Akhir Rp", rp[2]),
            ],
        )
    }

    fn rules(findings: &[Finding]) -> Vec<(Rule, String)> {
        findings
            .iter()
            .map(|f| (f.rule, f.sources[0].cell.clone()))
            .collect()
    }

    const YEARS: [i32; 2] = [2025, 2026];

    fn unit() -> UnitContext<'static> {
        UnitContext {
            unit_name: "Kecamatan Uji",
            kelurahan: &[],
        }
    }

    #[test]
    fn consistent_plan_is_silent() {
        let rows = [
            plan_row(2, "7.01.02", ["100", "200", "300"], ["80%", "85%", "85%"]),
            plan_row(
                3,
                "7.01.02.2.01",
                ["100", "200", "300"],
                ["2 unit", "3 unit", "5 unit"],
            ),
        ];
        assert!(check(&rows, &YEARS, None, &unit()).is_empty());
    }

    #[test]
    fn period_totals_targets_and_sums() {
        let rows = [
            // Rp akhir 250 ≠ 100 + 200; target akhir 90% ≠ last year's 85%.
            plan_row(2, "7.01.02", ["100", "200", "250"], ["80%", "85%", "90%"]),
            // The kegiatan's Rp for 2025 (90) makes the program's 100 wrong.
            plan_row(
                3,
                "7.01.02.2.01",
                ["90", "200", "290"],
                ["2 unit", "3 unit", "3 unit"],
            ),
        ];
        let found = rules(&check(&rows, &YEARS, None, &unit()));
        assert_eq!(
            found,
            vec![
                (Rule::SumHierarchy, "D2".into()),
                (Rule::PlanTotal, "H2".into()),
                (Rule::PlanTarget, "G2".into()),
            ]
        );
    }
}
