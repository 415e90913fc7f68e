//! Rules over the record sheets whose arithmetic the seed gets wrong: Tabel 1 (kepegawaian:
//! L + P = Jumlah, and categories that each cover all staff must agree) and the quantitative SWOT
//! (NU within 1-5, weights summing to 100, NU × BF, quadrant totals and strategy scores).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::derive::swot::{Swot, number, quadrant};
use crate::messages;
use crate::model::{Coverage, Finding, Rule, Severity, format_id};
use crate::model::{Record, SheetKind};

fn show(d: Decimal) -> String {
    format_id(d, 0)
}

/// Runs the staff and SWOT rules over all records of a unit.
pub fn check(records: &[Record], swot: &Swot, cov: &mut Coverage) -> Vec<Finding> {
    let staff: Vec<&Record> = records
        .iter()
        .filter(|r| r.kind == SheetKind::Kepegawaian)
        .collect();
    let swot_rows: Vec<&Record> = records
        .iter()
        .filter(|r| r.kind == SheetKind::Swot)
        .collect();
    let mut findings = staff_rules(&staff);
    findings.extend(swot_rules(&swot_rows, swot));
    tally_checks(records, swot, &findings, cov);
    findings
}

/// Counts the checks of this family: every row or total each rule compares, and the findings it
/// raised among them.
fn tally_checks(records: &[Record], swot: &Swot, findings: &[Finding], cov: &mut Coverage) {
    let staff = records.iter().filter(|r| r.kind == SheetKind::Kepegawaian);
    let swot_rows: Vec<&Record> = records
        .iter()
        .filter(|r| r.kind == SheetKind::Swot)
        .collect();
    let sums = staff
        .clone()
        .filter(|r| {
            [r.get(&["l"]), r.get(&["p"]), r.get(&["jumlah"])]
                .iter()
                .all(|c| number(*c).is_some())
        })
        .count();
    let categories = category_totals(&staff.collect::<Vec<_>>()).len();
    let factors = swot_rows
        .iter()
        .filter(|r| !r.total && quadrant(r).is_some())
        .filter(|r| number(r.get(&["nu"])).is_some() && number(r.get(&["bf"])).is_some())
        .count();
    let products = swot_rows
        .iter()
        .filter(|r| {
            !r.total && quadrant(r).is_some() && number(r.get(&["nu", "x", "bf"])).is_some()
        })
        .filter(|r| number(r.get(&["nu"])).is_some() && number(r.get(&["bf"])).is_some())
        .count();
    let totals: Vec<&&Record> = swot_rows
        .iter()
        .filter(|r| r.total && quadrant(r).is_some_and(|q| swot.quadrants.contains_key(&q)))
        .collect();
    let stated_totals = totals
        .iter()
        .filter(|r| number(r.get(&["nu", "x", "bf"])).is_some())
        .count();
    let strategies = swot_rows
        .iter()
        .filter(|r| {
            r.get(&["uraian"])
                .is_some_and(|c| swot.strategy_at(&c.source).is_some())
                && number(r.get(&["jumlah"])).is_some()
        })
        .count();
    let failed = |rule: Rule, pred: &dyn Fn(&Finding) -> bool| {
        findings
            .iter()
            .filter(|f| f.rule == rule && pred(f))
            .count()
    };
    let swot_score_failed = failed(Rule::SwotScore, &|_| true);
    let counts = [
        (Rule::StaffSum, sums, failed(Rule::StaffSum, &|_| true)),
        (
            Rule::StaffCategories,
            categories,
            failed(Rule::StaffCategories, &|_| true),
        ),
        (
            Rule::SwotUrgency,
            factors,
            failed(Rule::SwotUrgency, &|_| true),
        ),
        (
            Rule::SwotWeights,
            totals.len(),
            failed(Rule::SwotWeights, &|_| true),
        ),
        (
            Rule::SwotScore,
            products + stated_totals + strategies,
            swot_score_failed,
        ),
    ];
    for (rule, checks, failed) in counts {
        for i in 0..checks {
            if i < failed {
                cov.failed(rule, false);
            } else {
                cov.passed(rule, false);
            }
        }
    }
}

/// Categories whose rows each split the whole staff.
const PARTITIONS: [&str; 4] = ["pendidikan", "pangkat", "jabatan", "status"];

fn staff_rules(rows: &[&Record]) -> Vec<Finding> {
    let mut findings: Vec<Finding> = rows.iter().filter_map(|row| staff_sum(row)).collect();
    findings.extend(staff_categories(&category_totals(rows)));
    findings
}

/// STAFF-SUM on one row: L + P against its stated Jumlah.
fn staff_sum(row: &Record) -> Option<Finding> {
    let (l, p, jumlah) = (row.get(&["l"]), row.get(&["p"]), row.get(&["jumlah"]));
    let (lv, pv, jv) = (number(l)?, number(p)?, number(jumlah)?);
    let at = jumlah?;
    if lv + pv == jv {
        return None;
    }
    let name = row
        .get(&["uraian"])
        .map_or(String::new(), |c| c.text.clone());
    let mut f = Finding::new(
        Severity::Error,
        Rule::StaffSum,
        at.source.clone(),
        messages::findings::staff_sum(&name, &show(lv), &show(pv), &show(lv + pv), &show(jv)),
    )
    .written(show(jv))
    .expected(show(lv + pv));
    f.sources
        .extend([l, p].into_iter().flatten().map(|c| c.source.clone()));
    Some(f)
}

/// The head count each category that covers all staff (pendidikan, pangkat, jabatan, status)
/// adds up to, with the cells it was added from.
type CategoryTotals = BTreeMap<String, (Decimal, Vec<crate::model::SourceRef>)>;

fn category_totals(rows: &[&Record]) -> CategoryTotals {
    let mut per_category = CategoryTotals::new();
    for row in rows {
        let jumlah = row.get(&["jumlah"]);
        let category = row
            .get(&["kategori"])
            .map(|c| crate::model::normalize_header(&c.text))
            .unwrap_or_default();
        if let (Some(key), Some(jv), Some(at)) = (
            PARTITIONS
                .iter()
                .find(|k| category.split(' ').any(|w| w == **k)),
            number(jumlah),
            jumlah,
        ) {
            let slot = per_category.entry((*key).to_string()).or_default();
            slot.0 += jv;
            slot.1.push(at.source.clone());
        }
    }
    per_category
}

/// STAFF-CATEGORIES: the most common total is taken as the head count; the others are flagged.
fn staff_categories(per_category: &CategoryTotals) -> Vec<Finding> {
    let distinct: std::collections::BTreeSet<Decimal> =
        per_category.values().map(|v| v.0).collect();
    if distinct.len() <= 1 {
        return Vec::new();
    }
    let mut counts: BTreeMap<Decimal, usize> = BTreeMap::new();
    for v in per_category.values() {
        *counts.entry(v.0).or_default() += 1;
    }
    let head_count = counts
        .iter()
        .max_by_key(|(d, n)| (**n, **d))
        .map(|(d, _)| *d)
        .unwrap_or_default();
    let summary = per_category
        .iter()
        .map(|(k, v)| format!("{k} {}", show(v.0)))
        .collect::<Vec<_>>()
        .join(", ");
    per_category
        .iter()
        .filter(|(_, v)| v.0 != head_count)
        .map(|(category, (total, cells))| {
            let mut f = Finding::new(
                Severity::Warning,
                Rule::StaffCategories,
                cells[0].clone(),
                messages::findings::staff_categories(
                    category,
                    &show(*total),
                    &show(head_count),
                    &summary,
                ),
            )
            .written(show(*total))
            .expected(show(head_count));
            f.sources.extend(cells[1..].iter().cloned());
            f
        })
        .collect()
}

fn swot_rules(rows: &[&Record], swot: &Swot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for row in rows.iter().filter(|r| !r.total) {
        findings.extend(factor_row(row));
    }
    for row in rows.iter().filter(|r| r.total) {
        findings.extend(quadrant_total(row, swot));
    }
    findings.extend(strategy_scores(rows, swot));
    findings
}

/// One factor row: NU on the scale and the stated NU × BF.
fn factor_row(row: &Record) -> Vec<Finding> {
    let mut findings = Vec::new();
    if quadrant(row).is_none() {
        return findings;
    }
    let (nu_cell, bf_cell) = (row.get(&["nu"]), row.get(&["bf"]));
    let (Some(nu), Some(bf)) = (number(nu_cell), number(bf_cell)) else {
        return findings;
    };
    if !(Decimal::ONE..=Decimal::from(5)).contains(&nu)
        && let Some(at) = nu_cell
    {
        findings.push(
            Finding::new(
                Severity::Error,
                Rule::SwotUrgency,
                at.source.clone(),
                messages::findings::swot_urgency(&show(nu)),
            )
            .written(show(nu)),
        );
    }
    let product = row.get(&["nu", "x", "bf"]);
    if let (Some(stated), Some(at)) = (number(product), product)
        && stated != nu * bf
    {
        findings.push(
            Finding::new(
                Severity::Error,
                Rule::SwotScore,
                at.source.clone(),
                messages::findings::swot_product(
                    &show(stated),
                    &show(nu),
                    &show(bf),
                    &show(nu * bf),
                ),
            )
            .written(show(stated))
            .expected(show(nu * bf)),
        );
    }
    findings
}

/// A quadrant's stated total row: its weights sum to 100 and its NU × BF to the rows' sum.
fn quadrant_total(row: &Record, swot: &Swot) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(q) = quadrant(row) else {
        return findings;
    };
    let Some(sums) = swot.quadrants.get(&q) else {
        return findings;
    };
    if sums.weights != Decimal::ONE_HUNDRED {
        let at = row
            .get(&["bf"])
            .map_or(row.source.clone(), |c| c.source.clone());
        findings.push(
            Finding::new(
                Severity::Error,
                Rule::SwotWeights,
                at,
                messages::findings::swot_weights(q, &show(sums.weights)),
            )
            .written(show(sums.weights))
            .expected("100"),
        );
    }
    let product = row.get(&["nu", "x", "bf"]);
    if let (Some(stated), Some(at)) = (number(product), product)
        && stated != sums.score
    {
        findings.push(
            Finding::new(
                Severity::Error,
                Rule::SwotScore,
                at.source.clone(),
                messages::findings::swot_quadrant_total(q, &show(stated), &show(sums.score)),
            )
            .written(show(stated))
            .expected(show(sums.score)),
        );
    }
    findings
}

/// Strategy scores (S+O, W+O, S+T, W+T) as stated against the derived ones.
fn strategy_scores(rows: &[&Record], swot: &Swot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for row in rows {
        let Some(name) = row.get(&["uraian"]) else {
            continue;
        };
        let Some(strategy) = swot.strategy_at(&name.source) else {
            continue;
        };
        let [(a, x), (b, y)] = strategy.parts;
        let stated_cell = row.get(&["jumlah"]);
        if let (Some(stated), Some(at)) = (number(stated_cell), stated_cell)
            && stated != strategy.score
        {
            findings.push(
                Finding::new(
                    Severity::Error,
                    Rule::SwotScore,
                    at.source.clone(),
                    messages::findings::swot_strategy_score(
                        strategy.pair,
                        &show(stated),
                        a,
                        &show(x),
                        b,
                        &show(y),
                        &show(strategy.score),
                    ),
                )
                .written(show(stated))
                .expected(show(strategy.score)),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules with the SWOT derived from the same records, as the pipeline runs them.
    fn check(records: &[Record]) -> Vec<Finding> {
        super::check(
            records,
            &crate::derive::swot::derive(records),
            &mut Coverage::default(),
        )
    }

    fn record(kind: SheetKind, cells: &[(&str, &str)], total: bool) -> Record {
        let mut r = Record::from_cells(kind, "t.csv", "", 1, cells);
        r.total = total;
        r
    }

    fn staff(kategori: &str, l: &str, p: &str, j: &str) -> Record {
        record(
            SheetKind::Kepegawaian,
            &[
                ("Kategori", kategori),
                ("Uraian", "x"),
                ("L", l),
                ("P", p),
                ("Jumlah", j),
            ],
            false,
        )
    }

    fn rules(findings: &[Finding]) -> Vec<Rule> {
        findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn staff_rows_and_categories() {
        let good = [
            staff("Pendidikan", "2", "1", "3"),
            staff("Pangkat/Golongan", "2", "-", "2"),
            staff("Pangkat/Golongan", "0", "1", "1"),
        ];
        assert!(check(&good).is_empty());
        let bad = [
            staff("Pendidikan", "2", "1", "4"),
            staff("Pangkat/Golongan", "2", "1", "3"),
            staff("Jabatan", "2", "1", "3"),
        ];
        assert_eq!(
            rules(&check(&bad)),
            vec![Rule::StaffSum, Rule::StaffCategories]
        );
    }

    fn factor(q: &str, nu: &str, bf: &str, product: &str) -> Record {
        record(
            SheetKind::Swot,
            &[
                ("Faktor", q),
                ("Uraian", "f"),
                ("NU", nu),
                ("BF", bf),
                ("NU x BF", product),
            ],
            false,
        )
    }

    fn total(q: &str, bf: &str, product: &str) -> Record {
        record(
            SheetKind::Swot,
            &[
                ("Faktor", q),
                ("Uraian", "Jumlah"),
                ("BF", bf),
                ("NU x BF", product),
            ],
            true,
        )
    }

    #[test]
    fn swot_products_weights_totals_and_scores() {
        // Two strengths (given as NU, BF), one opportunity 3 × 100 = 300, stated totals 460 and
        // 300 and the stated S+O score 760: consistent for 5 × 60 + 4 × 40.
        let table = |first: (&str, &str), second: (&str, &str)| {
            [
                factor("Kekuatan", first.0, first.1, "300"),
                factor("Kekuatan", second.0, second.1, "160"),
                total("Kekuatan", "100", "460"),
                factor("Peluang", "3", "100", "300"),
                total("Peluang", "100", "300"),
                record(
                    SheetKind::Swot,
                    &[("Uraian", "Strategi SO"), ("Jumlah", "760")],
                    false,
                ),
            ]
        };
        assert!(check(&table(("5", "60"), ("4", "40"))).is_empty());
        let bad = table(("6", "60"), ("4", "30"));
        assert_eq!(
            rules(&check(&bad)),
            vec![
                Rule::SwotUrgency, // NU 6
                Rule::SwotScore,   // 6 x 60 = 360, not 300
                Rule::SwotScore,   // 4 x 30 = 120, not 160
                Rule::SwotWeights, // 60 + 30 = 90
                Rule::SwotScore,   // quadrant 360 + 120 = 480, not 460
                Rule::SwotScore,   // S+O = 480 + 300 = 780, not 760
            ]
        );
    }
}
