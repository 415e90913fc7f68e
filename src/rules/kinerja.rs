//! T-C.23 (Pencapaian Kinerja Pelayanan): capaian = realisasi / target × 100 per evaluation year,
//! recomputed and compared with the stated ratio at its printed precision.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::messages;
use crate::messages::findings::Difference;
use crate::model::{Coverage, Finding, Measure, Rule, Severity, format_id, parse_measure};
use crate::model::{Record, SheetKind};

/// Checks every T-C.23 record for the evaluation `years`.
pub fn check(records: &[Record], years: &[i32], cov: &mut Coverage) -> Vec<Finding> {
    let mut findings = Vec::new();
    for row in records
        .iter()
        .filter(|r| r.kind == SheetKind::KinerjaPelayanan && !r.total)
    {
        let name = row
            .get(&["indikator"])
            .map_or_else(|| "indikator".to_string(), |c| c.text.clone());
        for year in years {
            let y = year.to_string();
            let measure = |word: &str| row.get(&[word, &y]).map(|c| (parse_measure(&c.text), c));
            let (Some((target, _)), Some((real, _)), Some((stated, at))) =
                (measure("target"), measure("realisasi"), measure("rasio"))
            else {
                continue;
            };
            let (Some(t), Some(r), Some(s)) = (target.value(), real.value(), stated.value()) else {
                continue;
            };
            if t.is_zero() {
                continue;
            }
            let Some(exact) = r.checked_div(t).map(|q| q * Decimal::ONE_HUNDRED) else {
                continue;
            };
            let outcome = compare(s, exact);
            match &outcome {
                None => cov.passed(Rule::RatioMismatch, false),
                Some((_, rule, _)) => cov.failed(*rule, false),
            }
            if let Some((severity, rule, how)) = outcome {
                let shown = |m: &Measure| m.to_string();
                findings.push(
                    Finding::new(
                        severity,
                        rule,
                        at.source.clone(),
                        messages::findings::capaian_differs(
                            &name,
                            year,
                            how,
                            &shown(&real),
                            &shown(&target),
                            &format_id(exact, 2),
                        ),
                    )
                    .written(stated.to_string())
                    .expected(format_id(exact, s.scale().max(2))),
                );
            }
        }
    }
    findings
}

/// How a stated ratio compares with the exact one at the stated precision: `None` when it is
/// the exact value rounded half-up; info when it is only truncated; an error otherwise. Shared
/// by every table that states a ratio (T-C.23 capaian, T-C.24 rasio).
pub fn compare(stated: Decimal, exact: Decimal) -> Option<(Severity, Rule, Difference)> {
    let places = stated.scale();
    let rounded = exact.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    if rounded == stated {
        return None;
    }
    let truncated = exact.round_dp_with_strategy(places, RoundingStrategy::ToZero);
    Some(if truncated == stated {
        (Severity::Info, Rule::RatioRounding, Difference::Truncated)
    } else {
        (Severity::Error, Rule::RatioMismatch, Difference::Wrong)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule without its coverage, as the tests read it.
    fn check(records: &[Record], years: &[i32]) -> Vec<Finding> {
        super::check(records, years, &mut Coverage::default())
    }

    fn row(cells: &[(&str, &str)]) -> Record {
        Record::from_cells(SheetKind::KinerjaPelayanan, "k.csv", "", 1, cells)
    }

    #[test]
    fn capaian_is_recomputed() {
        // Seed line 548, 2023: 82,75 / 84 × 100 = 98,5119 → printed 98,21 (wrong);
        // 2022: 82,75 / 83,5 × 100 = 99,1017 → printed 99,10 (right).
        let r = row(&[
            ("Indikator Kinerja", "IKM"),
            ("Target 2022", "83,5"),
            ("Realisasi 2022", "82,75"),
            ("Rasio 2022", "99,10"),
            ("Target 2023", "84"),
            ("Realisasi 2023", "82,75"),
            ("Rasio 2023", "98,21"),
        ]);
        let findings = check(&[r], &[2022, 2023]);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, Rule::RatioMismatch);
        assert_eq!(findings[0].expected, "98,51");
        // Seed line 549, 2019: 286,17 / 250 × 100 = 114,468 → printed 114,46% (truncated).
        let r = row(&[
            ("Indikator", "Nilai"),
            ("Target 2019", "250"),
            ("Realisasi 2019", "286,17"),
            ("Rasio 2019", "114,46%"),
        ]);
        let findings = check(&[r], &[2019]);
        assert_eq!(findings[0].rule, Rule::RatioRounding);
    }
}
