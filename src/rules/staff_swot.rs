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
    let mut findings = staff_rules(&staff, cov);
    findings.extend(swot_rules(&swot_rows, swot, cov));
    findings
}

/// Categories whose rows each split the whole staff.
const PARTITIONS: [&str; 4] = ["pendidikan", "pangkat", "jabatan", "status"];

fn staff_rules(rows: &[&Record], cov: &mut Coverage) -> Vec<Finding> {
    let mut findings: Vec<Finding> = rows.iter().filter_map(|row| staff_sum(row, cov)).collect();
    findings.extend(staff_categories(&category_totals(rows), cov));
    findings
}

/// STAFF-SUM on one row: L + P against its stated Jumlah.
fn staff_sum(row: &Record, cov: &mut Coverage) -> Option<Finding> {
    let (l, p, jumlah) = (row.get(&["l"]), row.get(&["p"]), row.get(&["jumlah"]));
    let (lv, pv, jv) = (number(l)?, number(p)?, number(jumlah)?);
    let at = jumlah?;
    cov.record(Rule::StaffSum, lv + pv != jv);
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

/// One grouping of Tabel 1 (pendidikan, pangkat, jabatan, status): its sums of laki-laki,
/// perempuan and jumlah (each row's stated Jumlah, else its L + P), whether
/// every row splits L and P, whether it covers ASN only, and the cells it was added from.
#[derive(Debug, Default)]
struct Grouping {
    l: Decimal,
    p: Decimal,
    jumlah: Decimal,
    split: bool,
    asn_only: bool,
    cells: Vec<crate::model::SourceRef>,
}

/// The groupings of Tabel 1 by their key word, in PARTITIONS order, and the ASN row of the
/// status grouping when there is one.
type Groupings = BTreeMap<&'static str, Grouping>;

fn is_non_asn(text: &str) -> bool {
    let t = crate::model::normalize_header(text);
    t.contains("non asn") || t.contains("non pns") || t.contains("honor") || t.contains("kontrak")
}

fn category_totals(rows: &[&Record]) -> (Groupings, Option<(Decimal, Decimal, Decimal)>) {
    let mut groups = Groupings::new();
    let mut asn = None;
    for row in rows {
        let category = row
            .get(&["kategori"])
            .map(|c| crate::model::normalize_header(&c.text))
            .unwrap_or_default();
        let Some(key) = PARTITIONS
            .iter()
            .find(|k| category.split(' ').any(|w| w == **k))
        else {
            continue;
        };
        let (l, p, jumlah) = (
            number(row.get(&["l"])),
            number(row.get(&["p"])),
            row.get(&["jumlah"]),
        );
        // The stated Jumlah where there is one (a row's own L + P against it is STAFF-SUM's), so
        // one wrong cell is reported once.
        let Some(count) = number(jumlah).or_else(|| l.zip(p).map(|(l, p)| l + p)) else {
            continue;
        };
        let name = row
            .get(&["uraian"])
            .map(|c| c.text.as_str())
            .unwrap_or_default();
        let g = groups.entry(*key).or_insert_with(|| Grouping {
            split: true,
            // Jabatan (eselon) is held by ASN only; a pangkat grouping without a non-ASN row
            // counts ASN only too; pendidikan covers everyone.
            asn_only: matches!(*key, "jabatan" | "pangkat"),
            ..Grouping::default()
        });
        if *key != "jabatan" && is_non_asn(name) {
            g.asn_only = false;
        }
        g.l += l.unwrap_or_default();
        g.p += p.unwrap_or_default();
        g.jumlah += count;
        g.split &= l.is_some() && p.is_some();
        if let Some(at) = jumlah.or_else(|| row.get(&["uraian"])) {
            g.cells.push(at.source.clone());
        }
        if *key == "status"
            && !is_non_asn(name)
            && crate::model::normalize_header(name).contains("asn")
        {
            asn = l.zip(p).map(|(l, p)| (l, p, l + p));
        }
    }
    if let Some(status) = groups.get_mut("status") {
        status.asn_only = false;
    }
    (groups, asn)
}

/// STAFF-CATEGORIES: each grouping adds up, L and P included, to the head count it covers: the
/// status grouping's total (all staff) or its ASN row (jabatan; pangkat without non-ASN rows).
/// Without a status grouping, the most common total of the others stands for all staff.
fn staff_categories(
    (groups, asn): &(Groupings, Option<(Decimal, Decimal, Decimal)>),
    cov: &mut Coverage,
) -> Vec<Finding> {
    let all = match groups.get("status") {
        Some(s) => Some((s.l, s.p, s.jumlah, s.split)),
        None => {
            let mut counts: BTreeMap<Decimal, usize> = BTreeMap::new();
            for g in groups.values().filter(|g| !g.asn_only) {
                *counts.entry(g.jumlah).or_default() += 1;
            }
            counts
                .iter()
                .max_by_key(|(d, n)| (**n, **d))
                .map(|(d, _)| (Decimal::ZERO, Decimal::ZERO, *d, false))
        }
    };
    let mut findings = Vec::new();
    for (key, g) in groups.iter().filter(|(k, _)| **k != "status") {
        let reference = if g.asn_only {
            asn.map(|(l, p, j)| (l, p, j, true))
        } else {
            all
        };
        let Some((l, p, j, split)) = reference else {
            continue;
        };
        let whom = messages::findings::staff_whom(g.asn_only);
        let mut compare = |what: &str, got: Decimal, want: Decimal| {
            cov.record(Rule::StaffCategories, got != want);
            if got != want {
                let mut f = Finding::new(
                    Severity::Warning,
                    Rule::StaffCategories,
                    g.cells[0].clone(),
                    messages::findings::staff_categories(key, what, &show(got), whom, &show(want)),
                )
                .written(show(got))
                .expected(show(want));
                f.sources.extend(g.cells[1..].iter().cloned());
                findings.push(f);
            }
        };
        compare(messages::findings::STAFF_TOTAL, g.jumlah, j);
        if g.split && split {
            compare(messages::findings::STAFF_MEN, g.l, l);
            compare(messages::findings::STAFF_WOMEN, g.p, p);
        }
    }
    findings
}

fn swot_rules(rows: &[&Record], swot: &Swot, cov: &mut Coverage) -> Vec<Finding> {
    let mut findings = Vec::new();
    for row in rows.iter().filter(|r| !r.total) {
        findings.extend(factor_row(row, cov));
    }
    for row in rows.iter().filter(|r| r.total) {
        findings.extend(quadrant_total(row, swot, cov));
    }
    findings.extend(strategy_scores(rows, swot, cov));
    findings
}

/// One factor row: NU on the scale and the stated NU × BF.
fn factor_row(row: &Record, cov: &mut Coverage) -> Vec<Finding> {
    let mut findings = Vec::new();
    if quadrant(row).is_none() {
        return findings;
    }
    let (nu_cell, bf_cell) = (row.get(&["nu"]), row.get(&["bf"]));
    let (Some(nu), Some(bf)) = (number(nu_cell), number(bf_cell)) else {
        return findings;
    };
    cov.record(
        Rule::SwotUrgency,
        !(Decimal::ONE..=Decimal::from(5)).contains(&nu),
    );
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
    if let Some(stated) = number(product) {
        cov.record(Rule::SwotScore, stated != nu * bf);
    }
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
fn quadrant_total(row: &Record, swot: &Swot, cov: &mut Coverage) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(q) = quadrant(row) else {
        return findings;
    };
    let Some(sums) = swot.quadrants.get(&q) else {
        return findings;
    };
    cov.record(Rule::SwotWeights, sums.weights != Decimal::ONE_HUNDRED);
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
    if let Some(stated) = number(product) {
        cov.record(Rule::SwotScore, stated != sums.score);
    }
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
fn strategy_scores(rows: &[&Record], swot: &Swot, cov: &mut Coverage) -> Vec<Finding> {
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
        if let Some(stated) = number(stated_cell) {
            cov.record(Rule::SwotScore, stated != strategy.score);
        }
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
        // A row whose Jumlah is not L + P is STAFF-SUM's; its grouping counts the stated Jumlah.
        let bad = [
            staff("Pendidikan", "2", "1", "4"),
            staff("Pangkat/Golongan", "2", "1", "3"),
        ];
        assert_eq!(rules(&check(&bad)), vec![Rule::StaffSum]);
    }

    #[test]
    fn each_grouping_adds_up_to_the_staff_it_covers() {
        // The seed's Tabel 1 (lines 447-471): status ASN 44 + 26 = 70, Non ASN 10 + 14 = 24, so
        // all staff 54 + 40 = 94. Jabatan (ASN only): L 1 + 1 + 6 + 10 + 23 = 41 (not 44),
        // P 0 + 0 + 4 + 18 + 7 = 29 (not 26), Jumlah 70 (right). Pangkat with its Non ASN row
        // (Jumlah only): 4 + 43 + 23 + 24 = 94 (right). Pendidikan here S2 12 + 4, S1 42 + 36 =
        // L 54, P 40, 94 (right).
        let rows = [
            staff("Pendidikan", "12", "4", "16"),
            staff("Pendidikan", "42", "36", "78"),
            staff("Pangkat/Golongan", "3", "1", "4"),
            staff("Pangkat/Golongan", "23", "20", "43"),
            staff("Pangkat/Golongan", "18", "5", "23"),
            record(
                SheetKind::Kepegawaian,
                &[
                    ("Kategori", "Pangkat/Golongan"),
                    ("Uraian", "Non ASN"),
                    ("Jumlah", "24"),
                ],
                false,
            ),
            staff("Jabatan", "1", "0", "1"),
            staff("Jabatan", "1", "0", "1"),
            staff("Jabatan", "6", "4", "10"),
            staff("Jabatan", "10", "18", "28"),
            staff("Jabatan", "23", "7", "30"),
            record(
                SheetKind::Kepegawaian,
                &[
                    ("Kategori", "Status Kepegawaian"),
                    ("Uraian", "ASN"),
                    ("L", "44"),
                    ("P", "26"),
                    ("Jumlah", "70"),
                ],
                false,
            ),
            record(
                SheetKind::Kepegawaian,
                &[
                    ("Kategori", "Status Kepegawaian"),
                    ("Uraian", "Non ASN"),
                    ("L", "10"),
                    ("P", "14"),
                    ("Jumlah", "24"),
                ],
                false,
            ),
        ];
        let findings = check(&rows);
        let got: Vec<(&str, &str)> = findings
            .iter()
            .map(|f| (f.written.as_str(), f.expected.as_str()))
            .collect();
        assert_eq!(got, vec![("41", "44"), ("29", "26")], "{findings:?}");
        assert!(findings.iter().all(|f| f.rule == Rule::StaffCategories));
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
