//! T-C.27 (Rencana Program, Kegiatan dan Pendanaan): the plan rows become lines like the budget's
//! (codes decide the tree, rows without codes their position), so program = Σ kegiatan and
//! kegiatan = Σ sub kegiatan are checked by the same rule; each row's end-of-period Rp must be the
//! sum of the plan years, and its end-of-period target the last year's (or, for counts, the sum).

use rust_decimal::Decimal;

use crate::derive;
use crate::messages;
use crate::model::{
    BudgetLine, CellValue, Finding, Measure, Record, RecordCell, Rule, Severity, SheetKind,
    format_id, money_value, parse_measure,
};

use super::budget;
use crate::model::Coverage;
use crate::repair::{Repairs, best_amount};

/// Checks the plan against the plan `years`: `lines` are the plan's rows placed in the program
/// tree (by normalization), `records` the plan sheet's rows as read.
pub fn check(
    (records, repairs): (&[Record], &Repairs),
    lines: &[BudgetLine],
    years: &[i32],
    cov: &mut Coverage,
) -> Vec<Finding> {
    let plan = plan_records(records);
    let mut findings = Vec::new();
    let parents = derive::parents(lines);
    findings.extend(budget::hierarchy((lines, None), &parents, years, cov));
    findings.extend(budget::codes(lines, &parents, cov));
    for record in &plan {
        period_total(record, years, repairs, &mut findings, cov);
        period_target(record, years, &mut findings, cov);
    }
    findings
}

/// The plan's data rows (not its stated totals).
fn plan_records(records: &[Record]) -> Vec<&Record> {
    records
        .iter()
        .filter(|r| r.kind == SheetKind::RencanaProgram && !r.total)
        .collect()
}

fn name(record: &Record) -> String {
    record.get(&["program"]).map_or_else(
        || messages::findings::UNNAMED_ROW.to_string(),
        |c| c.text.clone(),
    )
}

/// PLAN-TOTAL could not run at `end`, for the reason `why`: counted, and said at info level.
fn not_run(end: &RecordCell, why: String, findings: &mut Vec<Finding>, cov: &mut Coverage) {
    cov.not_run(Rule::PlanTotal);
    findings.push(Finding::new(
        Severity::Info,
        Rule::PlanTotal,
        end.source.clone(),
        why,
    ));
}

/// Rp at the end of the period = the sum of the plan years' Rp.
fn period_total(
    record: &Record,
    years: &[i32],
    repairs: &Repairs,
    findings: &mut Vec<Finding>,
    cov: &mut Coverage,
) {
    let Some(end) = record.get(&["akhir", "rp"]) else {
        return;
    };
    // The malformed cell is reported whether or not a reading of it is confirmed.
    if let CellValue::Invalid { raw, reason } = money_value(&end.text, end.number) {
        findings.push(
            Finding::new(
                Severity::Error,
                Rule::AmountMalformed,
                end.source.clone(),
                messages::findings::plan_end_malformed(reason),
            )
            .written(raw),
        );
    }
    let (stated, proposed) = best_amount(end, repairs);
    let mut used: Vec<String> = proposed.then(|| end.source.a1()).into_iter().collect();
    let stated = match stated {
        CellValue::Number(d) => d,
        CellValue::Invalid { .. } => {
            let why = messages::findings::plan_end_not_checked(&name(record));
            return not_run(end, why, findings, cov);
        }
        _ => return,
    };
    let mut total = Decimal::ZERO;
    for year in years {
        let Some(cell) = record.get(&[&year.to_string(), "rp"]) else {
            return;
        };
        let (value, proposed) = best_amount(cell, repairs);
        if proposed {
            used.push(cell.source.a1());
        }
        let v = match value {
            CellValue::Number(v) => v,
            CellValue::Invalid { .. } => {
                let why = messages::findings::plan_total_not_checked(&name(record), *year);
                return not_run(end, why, findings, cov);
            }
            _ => return,
        };
        total += v;
    }
    let on_proposal = !used.is_empty();
    if stated == total {
        cov.passed(Rule::PlanTotal, on_proposal);
    } else {
        cov.failed(Rule::PlanTotal, on_proposal);
        findings.push(
            Finding::new(
                Severity::Error,
                Rule::PlanTotal,
                end.source.clone(),
                messages::findings::plan_total(
                    &name(record),
                    &format_id(stated, 0),
                    years.first().copied().unwrap_or_default(),
                    years.last().copied().unwrap_or_default(),
                    &format_id(total, 0),
                ) + &if on_proposal {
                    messages::findings::using_proposals(&used)
                } else {
                    String::new()
                },
            )
            .written(format_id(stated, 0))
            .expected(format_id(total, 0)),
        );
    }
}

/// Target at the end of the period = the last year's target for levels (percentages, indices);
/// for counts with a unit, the last year's or the sum of the years.
fn period_target(record: &Record, years: &[i32], findings: &mut Vec<Finding>, cov: &mut Coverage) {
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
    if fine {
        cov.passed(Rule::PlanTarget, false);
    } else {
        cov.failed(Rule::PlanTarget, false);
        findings.push(
            Finding::new(
                Severity::Warning,
                Rule::PlanTarget,
                end.source.clone(),
                messages::findings::plan_target(&name(record), &stated, last, is_count),
            )
            .written(stated.to_string())
            .expected(last.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules without their coverage, as most tests read them.
    fn check(records: &[Record], lines: &[BudgetLine], years: &[i32]) -> Vec<Finding> {
        super::check(
            (records, &Repairs::new()),
            lines,
            years,
            &mut Coverage::default(),
        )
    }

    use crate::normalize::{UnitContext, plan_lines};

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
            .map(|f| (f.rule, f.sources[0].a1()))
            .collect()
    }

    const YEARS: [i32; 2] = [2025, 2026];

    fn check_plan(rows: &[Record]) -> Vec<Finding> {
        let (lines, mut findings) = plan_lines(rows, &YEARS, None, &unit());
        findings.extend(check(rows, &lines, &YEARS));
        findings
    }

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
        assert!(check_plan(&rows).is_empty());
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
        let found = rules(&check_plan(&rows));
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
