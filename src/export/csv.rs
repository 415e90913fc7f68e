//! CSV outputs: the tables in machine form, and the findings for people.
//!
//! Every CSV is RFC 4180 (comma, UTF-8) and starts with a UTF-8 BOM, so Excel and LibreOffice
//! read `›` and `–` as written. The table CSVs and the tidy budget are machine form: numbers plain
//! (`1234567.89`) so other tools read them unambiguously; `temuan.csv` is for people.

use crate::derive;
use crate::messages;
use crate::model::{BudgetLine, CellValue, Derived, Finding, SourceRef, Sourced};
use crate::tables::{Kind, Shown, Table};

use super::ExportError;

/// Text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, carriage return at
/// the start) gets a leading apostrophe, so opening the CSV never evaluates a cell (CSV injection).
/// Numbers are written by the callers in plain form and never pass through here.
pub fn safe_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn machine(cell: &Shown) -> String {
    match cell {
        Shown::Value(_) | Shown::Blank => cell.machine(),
        _ => safe_text(&cell.machine()),
    }
}

/// A table as one header row (merged headers flattened: `Anggaran 2021`, `Rasio 2021`) and one
/// row per table row; figures read from workbooks exactly as written, derived percentages rounded
/// half-up to 2 places as printed. UTF-8 with a BOM so Excel opens it with the right encoding.
pub fn table_csv(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut w = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(table.columns.iter().map(|c| safe_text(&c.key)))?;
    for row in &table.rows {
        let record = row.cells.iter().zip(&table.columns).map(|(cell, col)| {
            if cell.calc.is_some() && col.kind == Kind::Percent {
                rounded(&cell.shown)
            } else {
                machine(&cell.shown)
            }
        });
        w.write_record(record)?;
    }
    into_bytes(w)
}

fn rounded(s: &Shown) -> String {
    match s.value() {
        Some(v) => v
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize()
            .to_string(),
        None => machine(s),
    }
}

/// The findings, one per row: tingkat, aturan, berkas, lembar, sel, nilai_tertulis,
/// nilai_seharusnya, pesan. Further cells of a finding follow the first in `sel`, space-separated.
pub fn findings_csv(findings: &[Finding]) -> Result<Vec<u8>, ExportError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::Writer::from_writer(&mut out);
        w.write_record([
            "tingkat",
            "aturan",
            "berkas",
            "lembar",
            "sel",
            "nilai_tertulis",
            "nilai_seharusnya",
            "pesan",
        ])?;
        for f in findings {
            let first = f.sources.first();
            let cells: Vec<String> = f.sources.iter().map(SourceRef::a1).collect();
            w.write_record([
                f.severity.label().to_string(),
                f.rule.id().to_string(),
                safe_text(first.map_or("", |s| &*s.file)),
                safe_text(first.map_or("", |s| &*s.sheet)),
                cells.join(" "),
                safe_text(&f.written),
                safe_text(&f.expected),
                safe_text(&f.message),
            ])?;
        }
        w.flush().map_err(|e| ExportError::Io {
            path: "temuan.csv".into(),
            source: e,
        })?;
    }
    Ok(out)
}

/// The budget in tidy form, for other tools and for a verifier to recompute everything: one row
/// per line and year, amounts exact in plain form (`1234567.89`), the recomputed ratio to two
/// places, and where each figure was read. An amount that is not a valid number is left empty
/// and its raw text given in `catatan`.
pub fn budget_tidy_csv(lines: &[BudgetLine], years: &[i32]) -> Result<Vec<u8>, ExportError> {
    let mut w = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record([
        "kode",
        "uraian",
        "tingkat",
        "lokasi",
        "tahun",
        "anggaran",
        "realisasi",
        "rasio",
        "sumber",
        "sumber_realisasi",
        "catatan",
        "anggaran_usulan",
        "realisasi_usulan",
    ])?;
    for line in lines {
        for year in years {
            let Some(fig) = line.years.get(year) else {
                continue;
            };
            let empty = CellValue::Empty;
            let value = |s: &Option<Sourced>| s.as_ref().map_or(&empty, |s| &s.value).clone();
            let (anggaran, realisasi) = (value(&fig.anggaran), value(&fig.realisasi));
            if anggaran == CellValue::Empty && realisasi == CellValue::Empty {
                continue;
            }
            let plain = |v: &CellValue| {
                v.number()
                    .map(|d| d.normalize().to_string())
                    .unwrap_or_default()
            };
            let rasio = match derive::ratio(&anggaran, &realisasi) {
                Derived::Value(r) => r
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                    .normalize()
                    .to_string(),
                _ => String::new(),
            };
            let notes: Vec<String> = [("anggaran", &anggaran), ("realisasi", &realisasi)]
                .iter()
                .filter_map(|(name, v)| match v {
                    CellValue::Invalid { raw, .. } => {
                        Some(messages::workbook::not_a_number(name, raw))
                    }
                    CellValue::Note(n) => Some(messages::workbook::note(name, n)),
                    _ => None,
                })
                .collect();
            let at = |s: &Option<Sourced>| s.as_ref().map(|s| s.source.to_string());
            // renstra's confirmed reading of a malformed amount, apart from the figure as read.
            let proposed = |s: &Option<Sourced>| {
                s.as_ref()
                    .and_then(|s| s.proposed)
                    .map(|d| d.normalize().to_string())
                    .unwrap_or_default()
            };
            w.write_record([
                line.kode
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                safe_text(&line.uraian),
                line.level.id().to_string(),
                safe_text(line.lokasi.as_deref().unwrap_or_default()),
                year.to_string(),
                plain(&anggaran),
                plain(&realisasi),
                rasio,
                at(&fig.anggaran).unwrap_or_else(|| line.source.to_string()),
                at(&fig.realisasi).unwrap_or_default(),
                safe_text(&notes.join("; ")),
                proposed(&fig.anggaran),
                proposed(&fig.realisasi),
            ])?;
        }
    }
    into_bytes(w)
}

fn into_bytes(w: ::csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    w.into_inner().map_err(|e| ExportError::Io {
        path: "csv".into(),
        source: e.into_error(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_a_spreadsheet_would_evaluate_is_neutralised() {
        assert_eq!(
            safe_text("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(safe_text("+62 812"), "'+62 812");
        assert_eq!(safe_text("-"), "'-");
        assert_eq!(safe_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_text("Program A"), "Program A");
    }
}
