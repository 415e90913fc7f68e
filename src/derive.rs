//! Stage 3: the arithmetic of verification, in exact decimals.
//!
//! Every derived figure of the Renstra tables (ratios, average growth, totals) is computed here
//! from the figures as written, never copied from the workbook; the rules ([`crate::rules`]) only
//! compare what is written with these results. Rounding happens only when a figure is shown, at
//! the edge.

pub mod organisation;
pub mod swot;

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::messages::findings;
use crate::model::{BudgetLine, CellValue, Derived};

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Rasio = realisasi / anggaran × 100 (T-C.24 columns 12-16). Blank when there is no anggaran or
/// it is zero; unverified when either figure is unreadable.
pub fn ratio(anggaran: &CellValue, realisasi: &CellValue) -> Derived {
    if anggaran.is_invalid() || realisasi.is_invalid() {
        return Derived::Unverified(findings::RATIO_UNREADABLE.into());
    }
    match (anggaran.number(), realisasi.number()) {
        (Some(a), Some(r)) if !a.is_zero() => match r.checked_div(a) {
            Some(q) => Derived::Value(q * HUNDRED),
            None => Derived::Unverified(findings::QUOTIENT_OUT_OF_RANGE.into()),
        },
        _ => Derived::Blank,
    }
}

/// True when a stated ratio is the exact one at its own precision, rounded half-up or truncated
/// (the tables mark a recomputed ratio only when the stated one differs beyond that).
pub fn agrees_with_stated(stated: Decimal, exact: Decimal) -> bool {
    use rust_decimal::RoundingStrategy::{MidpointAwayFromZero, ToZero};
    let places = stated.scale();
    exact.round_dp_with_strategy(places, MidpointAwayFromZero) == stated
        || exact.round_dp_with_strategy(places, ToZero) == stated
}

/// Average growth, the way the Permendagri 86 tables use it: the arithmetic mean of the
/// year-on-year growth rates, `mean over t of (X_t − X_{t−1}) / X_{t−1} × 100`, taken over every pair
/// of consecutive years that both have a figure and a non-zero base. Years without a figure are
/// skipped (no pair is formed across them). Blank when no pair qualifies; unverified when any
/// figure in the series is unreadable, since the mean would then silently leave it out.
pub fn average_growth(series: &[CellValue]) -> Derived {
    if series.iter().any(CellValue::is_invalid) {
        return Derived::Unverified(findings::GROWTH_UNREADABLE.into());
    }
    let rates: Vec<Decimal> = series
        .windows(2)
        .filter_map(|w| match (w[0].number(), w[1].number()) {
            (Some(prev), Some(next)) if !prev.is_zero() => {
                (next - prev).checked_div(prev).map(|g| g * HUNDRED)
            }
            _ => None,
        })
        .collect();
    if rates.is_empty() {
        return Derived::Blank;
    }
    let sum: Decimal = rates.iter().copied().sum();
    match sum.checked_div(Decimal::from(rates.len())) {
        Some(mean) => Derived::Value(mean),
        None => Derived::Unverified(findings::QUOTIENT_OUT_OF_RANGE.into()),
    }
}

/// The sum of figures; blank when none has a value, unverified when any is unreadable.
pub fn sum<'a>(values: impl IntoIterator<Item = &'a CellValue>) -> Derived {
    let mut total = Decimal::ZERO;
    let mut any = false;
    for v in values {
        if v.is_invalid() {
            return Derived::Unverified(findings::SUM_UNREADABLE.into());
        }
        if let Some(d) = v.number() {
            total = match total.checked_add(d) {
                Some(t) => t,
                None => return Derived::Unverified(findings::SUM_OUT_OF_RANGE.into()),
            };
            any = true;
        }
    }
    if any {
        Derived::Value(total)
    } else {
        Derived::Blank
    }
}

/// For each line, the index of the line it belongs to: by code (the nearest earlier line
/// with the parent code) when there is one, otherwise by position (the nearest earlier line
/// of a higher level).
pub fn parents(lines: &[BudgetLine]) -> Vec<Option<usize>> {
    let above = nearest_above(lines);
    let mut last_by_code: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let by_code = line
            .kode
            .as_ref()
            .and_then(|k| k.parent())
            .and_then(|p| last_by_code.get(&p.to_string()).copied());
        // Without a parent by code among the earlier lines, the nearest earlier line of a higher
        // level: a line without a code, a program written without its code collecting its coded
        // kegiatan, and a mistyped code all count where their position puts them
        // (KODE-OUT-OF-PLACE reports a code that contradicts its place).
        let parent = by_code.or(above[i]);
        out.push(parent.filter(|&p| lines[p].level < line.level));
        if let Some(k) = &line.kode {
            last_by_code.insert(k.to_string(), i);
        }
    }
    out
}

/// For each line, the nearest earlier line of a higher level on the same sheet (a kegiatan's
/// program, a sub kegiatan's kegiatan), in one pass: a stack of the latest line at each level
/// still open, so a sheet of 200,000 lines with no higher line is as quick as one of a hundred
/// (a backward search per line was quadratic there). A sheet's first lines belong to nothing
/// above them: the last program of another workbook is not where they stand.
pub fn nearest_above(lines: &[BudgetLine]) -> Vec<Option<usize>> {
    // Levels strictly rise from the bottom of the stack to its top: a line closes every open
    // line of its level or below, which no later line can belong to while it stands nearer.
    let mut open: Vec<usize> = Vec::new();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let same_sheet = |j: usize| {
            lines[j].source.file == line.source.file && lines[j].source.sheet == line.source.sheet
        };
        if open.last().is_some_and(|&j| !same_sheet(j)) {
            open.clear();
        }
        while open.last().is_some_and(|&j| lines[j].level >= line.level) {
            open.pop();
        }
        out.push(open.last().copied());
        open.push(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Malformed;
    use rust_decimal_macros::dec;

    fn n(d: Decimal) -> CellValue {
        CellValue::Number(d)
    }

    fn line(kode: Option<&str>, level: crate::model::Level, row: u32) -> BudgetLine {
        let source = crate::model::SourceRef::cell("a.xlsx", "S", row, 1);
        BudgetLine {
            kode: kode.map(|k| crate::model::Kode::parse(k, None).unwrap()),
            kode_source: None,
            level,
            level_inferred: kode.is_none(),
            uraian: format!("baris {row}"),
            lokasi: None,
            years: Default::default(),
            source,
        }
    }

    /// The one-pass stack gives what the backward search it replaces gave, on every sequence of
    /// levels of length 6 over program, kegiatan and sub kegiatan (729 sequences).
    #[test]
    fn the_nearest_higher_line_is_the_one_a_backward_search_finds() {
        use crate::model::Level;
        let levels = [Level::Program, Level::Kegiatan, Level::SubKegiatan];
        for code in 0..3usize.pow(6) {
            let lines: Vec<BudgetLine> = (0..6)
                .map(|i| line(None, levels[code / 3usize.pow(i) % 3], i))
                .collect();
            let searched: Vec<Option<usize>> = (0..lines.len())
                .map(|i| (0..i).rev().find(|&j| lines[j].level < lines[i].level))
                .collect();
            assert_eq!(nearest_above(&lines), searched, "levels {code}");
        }
    }

    /// A kegiatan at the top of a second workbook is under no line of the first.
    #[test]
    fn a_sheets_first_line_stands_under_nothing_of_another_sheet() {
        use crate::model::Level;
        let mut lines = vec![
            line(Some("7.01.02"), Level::Program, 1),
            line(Some("7.01.02.2.01"), Level::Kegiatan, 2),
            line(Some("7.01.03.2.01"), Level::Kegiatan, 1),
            line(Some("7.01.03.2.01.0001"), Level::SubKegiatan, 2),
        ];
        for l in &mut lines[2..] {
            l.source = crate::model::SourceRef::cell("b.csv", "", l.source.position.unwrap().0, 1);
        }
        assert_eq!(nearest_above(&lines), vec![None, Some(0), None, Some(2)]);
    }

    #[test]
    fn a_program_without_a_code_collects_its_coded_kegiatan() {
        use crate::model::Level;
        let lines = [
            line(None, Level::Program, 0),
            line(Some("7.01.01.2.01"), Level::Kegiatan, 1),
            line(Some("7.01.01.2.01.0001"), Level::SubKegiatan, 2),
            // A kegiatan whose parent code no line carries (mistyped: 7.01.05 for 7.01.02) counts
            // where its position puts it; KODE-OUT-OF-PLACE reports its code.
            line(Some("7.01.02"), Level::Program, 3),
            line(Some("7.01.05.2.01"), Level::Kegiatan, 4),
            // One whose parent code an earlier line carries belongs there, not to the line above.
            line(Some("7.01.02.2.01"), Level::Kegiatan, 5),
            line(Some("7.01.05"), Level::Program, 6),
            line(Some("7.01.02.2.02"), Level::Kegiatan, 7),
        ];
        assert_eq!(
            parents(&lines),
            vec![
                None,
                Some(0),
                Some(1),
                None,
                Some(3),
                Some(3),
                None,
                Some(3)
            ]
        );
    }

    #[test]
    fn ratio_is_realisasi_over_anggaran_times_hundred() {
        // Seed TC.24 line 636, 2021: 840.853.970 / 872.900.400 × 100 = 96,3287… → printed 96,33.
        let r = ratio(&n(dec!(872900400)), &n(dec!(840853970)));
        let v = r.value().unwrap();
        assert_eq!(v.round_dp(2), dec!(96.33));
        assert!(v > dec!(96.3287) && v < dec!(96.3288));
    }

    #[test]
    fn ratio_without_a_base_is_blank_and_with_bad_input_unverified() {
        assert_eq!(ratio(&n(dec!(0)), &n(dec!(5))), Derived::Blank);
        assert_eq!(ratio(&CellValue::Nil, &n(dec!(5))), Derived::Blank);
        let bad = CellValue::Invalid {
            raw: "58.200.00,00".into(),
            reason: Malformed::BadGroup,
        };
        assert!(matches!(ratio(&bad, &n(dec!(5))), Derived::Unverified(_)));
    }

    #[test]
    fn growth_is_the_mean_of_year_on_year_rates_over_years_with_values() {
        // 100 → 110 (+10 %) → 121 (+10 %): mean 10.
        let s = [CellValue::Empty, n(dec!(100)), n(dec!(110)), n(dec!(121))];
        assert_eq!(average_growth(&s), Derived::Value(dec!(10)));
        // 100 → 150 (+50 %) → 75 (−50 %): mean 0, though the compound rate would be negative.
        let s = [n(dec!(100)), n(dec!(150)), n(dec!(75))];
        assert_eq!(average_growth(&s), Derived::Value(dec!(0)));
        // A gap breaks the chain: no pair is formed across 2020.
        let s = [n(dec!(100)), CellValue::Empty, n(dec!(300))];
        assert_eq!(average_growth(&s), Derived::Blank);
    }

    #[test]
    fn sums_refuse_unreadable_parts() {
        assert_eq!(
            sum(&[n(dec!(1.5)), CellValue::Nil, n(dec!(2))]),
            Derived::Value(dec!(3.5))
        );
        assert_eq!(sum(&[CellValue::Empty]), Derived::Blank);
        let bad = CellValue::Invalid {
            raw: "x".into(),
            reason: Malformed::StrayCharacter,
        };
        assert!(matches!(sum(&[n(dec!(1)), bad]), Derived::Unverified(_)));
    }
}
