//! Tujuan, sasaran and IKU targets (T-C.25, Tabel 10, T-C.28): every tujuan and sasaran has an
//! indicator and a target for every plan year, and the same indicator carries the same targets
//! wherever it appears.

use crate::messages;
use crate::model::Coverage;
use crate::model::{Finding, Measure, Rule, Severity, parse_measure};
use crate::model::{Record, SheetKind};

/// Which table a tujuan/sasaran record belongs to, from its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// T-C.25: Tujuan | Sasaran | Indikator Tujuan/Sasaran | Target per year.
    Tc25,
    /// Tabel 10 (IKU): … | Indikator Kinerja Utama | Target per year.
    Iku,
    /// T-C.28: Indikator | Kondisi awal | Target per year | Kondisi akhir.
    Tc28,
}

pub(crate) fn table_of(record: &Record) -> Option<Table> {
    let has = |w: &[&str]| record.get(w).is_some() || header_exists(record, w);
    if has(&["indikator", "kinerja", "utama"]) {
        Some(Table::Iku)
    } else if has(&["kondisi"]) {
        Some(Table::Tc28)
    } else if (has(&["indikator", "tujuan"]) || has(&["indikator", "sasaran"])) && has(&["target"])
    {
        Some(Table::Tc25)
    } else {
        None
    }
}

/// Headers are only visible through non-empty cells; a record with an empty indicator still
/// belongs to its table, so the table is also recognised from the other cells' headers.
fn header_exists(record: &Record, words: &[&str]) -> bool {
    record.cells.iter().any(|c| {
        let h = crate::model::normalize_header(&c.header);
        words.iter().all(|w| h.split(' ').any(|x| x == *w))
    })
}

fn table_name(t: Table) -> &'static str {
    match t {
        Table::Tc25 => "T-C.25",
        Table::Iku => "Tabel 10 (IKU)",
        Table::Tc28 => "T-C.28",
    }
}

fn indicator(record: &Record) -> Option<&crate::model::RecordCell> {
    record
        .get(&["indikator", "kinerja", "utama"])
        .or_else(|| record.get(&["indikator"]))
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Runs both target rules over the tujuan/sasaran records for the plan `years`.
pub fn check(records: &[Record], years: &[i32], cov: &mut Coverage) -> Vec<Finding> {
    let rows: Vec<(Table, &Record)> = records
        .iter()
        .filter(|r| r.kind == SheetKind::TujuanSasaran && !r.total)
        .filter_map(|r| table_of(r).map(|t| (t, r)))
        .collect();
    let mut findings = Vec::new();
    for (_, row) in rows.iter().filter(|(t, _)| *t == Table::Tc25) {
        targets_present(row, years, &mut findings, cov);
    }
    let reference: Vec<&Record> = rows
        .iter()
        .filter(|(t, _)| *t == Table::Tc25)
        .map(|(_, r)| *r)
        .collect();
    for (table, row) in rows.iter().filter(|(t, _)| *t != Table::Tc25) {
        same_targets(*table, row, &reference, years, &mut findings, cov);
    }
    let realised: Vec<&Record> = records
        .iter()
        .filter(|r| r.kind == SheetKind::KinerjaPelayanan && !r.total)
        .collect();
    for (_, row) in rows.iter().filter(|(t, _)| *t == Table::Tc28) {
        baseline(row, &realised, &mut findings, cov);
    }
    findings
}

/// An indicator's name for matching across tables: `%` read as "persentase", a parenthesised
/// abbreviation (`(IKM)`) left out, letters and digits only.
fn indicator_key(name: &str) -> String {
    let without_abbreviation = match (name.find('('), name.rfind(')')) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &name[..a], &name[b + 1..]),
        _ => name.to_string(),
    };
    squash(&without_abbreviation.replace('%', "persentase"))
}

/// A cell's figure: a number cell as it is, text the Indonesian way (`85,71%`).
fn measure_of(cell: &crate::model::RecordCell) -> Option<rust_decimal::Decimal> {
    cell.number.or_else(|| parse_measure(&cell.text).value())
}

/// BASELINE-MISMATCH: T-C.28's kondisi awal of an indicator that T-C.23 measures is T-C.23's
/// last realisation of it (the evaluation's final year with a figure).
fn baseline(row: &Record, realised: &[&Record], findings: &mut Vec<Finding>, cov: &mut Coverage) {
    let (Some(ind), Some(awal)) = (indicator(row), row.get(&["awal"])) else {
        return;
    };
    let Some(stated) = measure_of(awal) else {
        return;
    };
    let key = indicator_key(&ind.text);
    let Some(source) = realised
        .iter()
        .filter_map(|r| {
            let i = indicator(r)?;
            Some((strsim::levenshtein(&indicator_key(&i.text), &key), *r))
        })
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
    else {
        return;
    };
    // The last realisation: the latest year whose realisasi holds a figure.
    let last = source
        .cells
        .iter()
        .filter(|c| crate::model::normalize_header(&c.header).contains("realisasi"))
        .filter_map(|c| Some((crate::model::year_in(&c.header)?, c, measure_of(c)?)))
        .max_by_key(|(year, _, _)| *year);
    let Some((year, cell, realisation)) = last else {
        return;
    };
    if stated == realisation {
        cov.passed(Rule::BaselineMismatch, false);
        return;
    }
    cov.failed(Rule::BaselineMismatch, false);
    let show = |d: rust_decimal::Decimal| crate::model::format_id(d, d.normalize().scale());
    let mut f = Finding::new(
        Severity::Warning,
        Rule::BaselineMismatch,
        awal.source.clone(),
        messages::findings::baseline_mismatch(
            &ind.text,
            &show(stated),
            year,
            &show(realisation),
            crate::model::year_in(&awal.header).filter(|y| *y < year),
        ),
    )
    .written(show(stated))
    .expected(show(realisation));
    f.sources.push(cell.source.clone());
    findings.push(f);
}

fn targets_present(row: &Record, years: &[i32], findings: &mut Vec<Finding>, cov: &mut Coverage) {
    let subject = row
        .get(&["sasaran"])
        .filter(|c| !crate::model::normalize_header(&c.header).contains("indikator"))
        .or_else(|| row.get(&["tujuan"]))
        .map_or_else(
            || messages::findings::UNNAMED_ROW.to_string(),
            |c| c.text.clone(),
        );
    if indicator(row).is_none() {
        cov.failed(Rule::TargetMissing, false);
        findings.push(Finding::new(
            Severity::Error,
            Rule::TargetMissing,
            row.source.clone(),
            messages::findings::indicator_missing(&subject),
        ));
        return;
    }
    for year in years {
        let target = row.get(&["target", &year.to_string()]);
        let missing = target.is_none_or(|c| parse_measure(&c.text) == Measure::Blank);
        if !missing {
            cov.passed(Rule::TargetMissing, false);
        }
        if missing {
            cov.failed(Rule::TargetMissing, false);
            findings.push(Finding::new(
                Severity::Error,
                Rule::TargetMissing,
                row.source.clone(),
                messages::findings::target_missing(&subject, *year),
            ));
        }
    }
}

fn same_targets(
    table: Table,
    row: &Record,
    reference: &[&Record],
    years: &[i32],
    findings: &mut Vec<Finding>,
    cov: &mut Coverage,
) {
    let Some(ind) = indicator(row) else { return };
    let key = squash(&ind.text);
    let Some(base) = reference
        .iter()
        .filter_map(|r| indicator(r).map(|i| (strsim::levenshtein(&squash(&i.text), &key), *r)))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
    else {
        return;
    };
    for year in years {
        let y = year.to_string();
        let (Some(here), Some(there)) = (row.get(&["target", &y]), base.get(&["target", &y]))
        else {
            continue;
        };
        let (a, b) = (parse_measure(&here.text), parse_measure(&there.text));
        if a == b {
            cov.passed(Rule::TargetMismatch, false);
            continue;
        }
        cov.failed(Rule::TargetMismatch, false);
        let same_number = a.value().is_some() && a.value() == b.value();
        let mut f = Finding::new(
            if same_number {
                Severity::Warning
            } else {
                Severity::Error
            },
            Rule::TargetMismatch,
            here.source.clone(),
            messages::findings::target_mismatch(
                table_name(table),
                *year,
                &ind.text,
                &a,
                &b,
                same_number,
            ),
        )
        .written(a.to_string())
        .expected(b.to_string());
        f.sources.push(there.source.clone());
        findings.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules without their coverage, as the tests read them.
    fn check(records: &[Record], years: &[i32]) -> Vec<Finding> {
        super::check(records, years, &mut Coverage::default())
    }

    fn record(row: u32, cells: &[(&str, &str)]) -> Record {
        Record::from_cells(SheetKind::TujuanSasaran, "t.xlsx", "S", row, cells)
    }

    fn tc25(row: u32, ind: &str, t25: &str, t26: &str) -> Record {
        record(
            row,
            &[
                ("Tujuan", "Meningkatnya X"),
                ("Indikator Tujuan/Sasaran", ind),
                ("Target 2025", t25),
                ("Target 2026", t26),
            ],
        )
    }

    fn iku(row: u32, ind: &str, t25: &str, t26: &str) -> Record {
        record(
            row,
            &[
                ("Indikator Kinerja Utama", ind),
                ("Target 2025", t25),
                ("Target 2026", t26),
            ],
        )
    }

    #[test]
    fn a_baseline_is_the_last_realisation() {
        // The sample's T-C.28 rows and T-C.23 (kinerja-pelayanan-2019-2023.csv): IKM starts at
        // 82,75 and was realised 82,75 in 2023 (right); "% Kelompok dan Lembaga Kemasyarakatan
        // yang Difasilitasi" starts at 85,71, its 2022 realisation, while 2023's is 86,35.
        let tc28 = |row, ind: &str, awal: &str| {
            record(
                row,
                &[
                    ("Indikator", ind),
                    ("Kondisi Kinerja pada Awal Periode", awal),
                    ("Target 2025", "90"),
                    ("Target 2026", "91"),
                ],
            )
        };
        let tc23 = |row, ind: &str, r22: &str, r23: &str| {
            Record::from_cells(
                SheetKind::KinerjaPelayanan,
                "k.csv",
                "",
                row,
                &[
                    ("Indikator Kinerja", ind),
                    ("Realisasi 2022", r22),
                    ("Realisasi 2023", r23),
                ],
            )
        };
        let rows = [
            tc28(2, "Indeks Kepuasan Masyarakat (IKM)", "82,75"),
            tc28(
                3,
                "Persentase Kelompok dan Lembaga Kemasayarakatan yang difasilitasi",
                "85,71",
            ),
            tc23(4, "Indeks Kepuasan Masyarakat", "82,75", "82,75"),
            tc23(
                6,
                "% Kelompok dan Lembaga Kemasyarakatan yang Difasilitasi",
                "85,71",
                "86,35",
            ),
        ];
        let findings: Vec<Finding> = check(&rows, &[2025, 2026])
            .into_iter()
            .filter(|f| f.rule == Rule::BaselineMismatch)
            .collect();
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(
            (findings[0].written.as_str(), findings[0].expected.as_str()),
            ("85,71", "86,35")
        );
    }

    #[test]
    fn consistent_targets_are_silent() {
        let rows = [
            tc25(2, "Indeks Kepuasan Masyarakat", "84,25", "85"),
            iku(3, "Indeks Kepuasan Masyarakat", "84,25", "85"),
        ];
        assert!(check(&rows, &[2025, 2026]).is_empty());
    }

    #[test]
    fn missing_and_mismatched_targets() {
        let rows = [
            tc25(2, "Indeks Kepuasan Masyarakat", "84,25", ""),
            // One letter off ("Masyarakt"): still the same indicator; 2025 target differs.
            iku(3, "Indeks Kepuasan Masyarakt", "84", "85"),
        ];
        let found: Vec<(Rule, Severity)> = check(&rows, &[2025, 2026])
            .iter()
            .map(|f| (f.rule, f.severity))
            .collect();
        assert_eq!(
            found,
            vec![
                (Rule::TargetMissing, Severity::Error),
                (Rule::TargetMismatch, Severity::Error)
            ]
        );
    }
}
