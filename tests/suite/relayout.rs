//! The same data in a different layout gives the same T-C.24. Each test writes the sample unit's
//! anggaran/realisasi figures, exactly as read (valid numbers as numbers, malformed text as the
//! same text), in another layout a finance officer might have, then checks that the rebuilt
//! table is identical to the sample's: every code, name, location and figure, and so every
//! recomputed ratio, growth and total.

use std::path::{Path, PathBuf};

use renstra::model::BudgetLine;
use renstra::model::CellValue;
use renstra::pipeline::{self, Checked};
use renstra::tables::Shown;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::Workbook;

fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("input")
        .join("kecamatan-kanigaran")
}

fn check(unit: &Path) -> Checked {
    pipeline::check_unit(unit, &Default::default()).expect("unit reads")
}

/// A unit folder with the sample's configuration and nothing else.
fn empty_unit(dir: &Path) -> PathBuf {
    let unit = dir.join("unit");
    std::fs::create_dir_all(&unit).unwrap();
    std::fs::copy(sample_dir().join("renstra.toml"), unit.join("renstra.toml")).unwrap();
    unit
}

/// T-C.24 as comparable text, row by row: figures from the workbook exactly (whatever their
/// written scale, `1.000,00` = `1000`), derived figures to 12 decimal places.
fn signature(checked: &Checked) -> Vec<String> {
    let exact = |cells: &[Shown]| {
        cells
            .iter()
            .map(|c| shown(c, None))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let derived = |cells: &[Shown]| {
        cells
            .iter()
            .map(|c| shown(c, Some(12)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    checked
        .tc24
        .rows
        .iter()
        .map(|r| {
            format!(
                "{:?}|{:?}|{}|{:?}|{}|{}|{}|{}|{}",
                r.kind,
                r.kode,
                r.uraian,
                r.lokasi,
                exact(&r.anggaran),
                exact(&r.realisasi),
                derived(&r.rasio),
                shown(&r.growth_anggaran, Some(12)),
                shown(&r.growth_realisasi, Some(12)),
            )
        })
        .collect()
}

fn shown(cell: &Shown, places: Option<u32>) -> String {
    // A recomputed figure is marked against the workbook's own JUMLAH row, which the relaid
    // layouts leave out: the figure is what is compared.
    if let Shown::Recomputed { value, .. } = cell {
        return shown(&Shown::Value(*value), places);
    }
    if let Shown::Proposed { value, written } = cell {
        return format!(
            "Proposed({}, {written:?})",
            shown(&Shown::Value(*value), places)
        );
    }
    match (cell, places) {
        (Shown::Value(d), Some(p)) => d.round_dp(p).normalize().to_string(),
        (Shown::Value(d), None) => d.normalize().to_string(),
        (other, _) => format!("{other:?}"),
    }
}

/// Equal tables, reporting the first row that differs rather than the whole table; and, so the
/// comparison does not rest on renstra alone, one line's figures and ratio as the seed gives them.
fn assert_same_table(relaid: &Checked, original: &Checked) {
    let (a, b) = (signature(relaid), signature(original));
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "row {i} differs");
    }
    assert_eq!(a.len(), b.len(), "row count");
    assert_seed_line(relaid);
}

/// Seed line 636 (T-C.24, 2021): anggaran 872.900.400,00, realisasi 840.853.970,00; by hand
/// 840 853 970 / 872 900 400 × 100 = 96,3287415150…, printed 96,33.
fn assert_seed_line(checked: &Checked) {
    use rust_decimal_macros::dec;
    let name = "Kegiatan Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan";
    let row = checked
        .tc24
        .rows
        .iter()
        .find(|r| r.uraian == name)
        .expect("the seed's kegiatan koordinasi");
    let i = checked
        .tc24
        .years
        .iter()
        .position(|y| *y == 2021)
        .expect("2021 is evaluated");
    assert_eq!(row.anggaran[i].value(), Some(dec!(872900400)));
    assert_eq!(row.realisasi[i].value(), Some(dec!(840853970)));
    assert_eq!(
        row.rasio[i].value().map(|r| r.round_dp(10)),
        Some(dec!(96.3287415151))
    );
}

fn value(line: &BudgetLine, year: i32, anggaran: bool) -> CellValue {
    line.years
        .get(&year)
        .and_then(|y| {
            if anggaran {
                y.anggaran.as_ref()
            } else {
                y.realisasi.as_ref()
            }
        })
        .map(|s| s.value.clone())
        .unwrap_or(CellValue::Empty)
}

fn stated_ratio(line: &BudgetLine, year: i32) -> CellValue {
    line.years
        .get(&year)
        .and_then(|y| y.rasio_tertulis.as_ref())
        .map_or(CellValue::Empty, |s| s.value.clone())
}

fn write_xlsx_cell(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, value: &CellValue) {
    match value {
        CellValue::Empty => {}
        CellValue::Nil => {
            sheet.write_string(row, col, "-").unwrap();
        }
        CellValue::Number(d) => {
            sheet.write_number(row, col, d.to_f64().unwrap()).unwrap();
        }
        CellValue::Note(t) | CellValue::Invalid { raw: t, .. } => {
            sheet.write_string(row, col, t).unwrap();
        }
    }
}

/// Indonesian text for a CSV cell, with every decimal the value has.
fn csv_text(value: &CellValue) -> String {
    match value {
        CellValue::Empty => String::new(),
        CellValue::Nil => "-".into(),
        CellValue::Number(d) => crate::common::indonesian(*d, d.scale()),
        CellValue::Note(t) | CellValue::Invalid { raw: t, .. } => t.clone(),
    }
}

#[test]
fn columns_reordered_and_renamed_with_a_title_block() {
    let original = check(&sample_dir());
    let years = original.config.periode.evaluasi.clone();
    let dir = tempfile::tempdir().unwrap();
    let unit = empty_unit(dir.path());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "PEMERINTAH KOTA PROBOLINGGO")
        .unwrap();
    sheet
        .write_string(1, 0, "DATA PAGU DAN REALISASI KECAMATAN KANIGARAN")
        .unwrap();
    // Name first, code second, then per year the budget, the spending and the stated ratio
    // side by side (the ratios confirm the proposed readings of malformed amounts).
    sheet.write_string(3, 0, "Nama Program").unwrap();
    sheet.write_string(3, 1, "Kode Rekening").unwrap();
    sheet.write_string(3, 2, "Lokasi").unwrap();
    for (i, y) in years.iter().enumerate() {
        let col = 3 + 3 * i as u16;
        sheet
            .write_string(3, col, format!("Pagu Anggaran {y}"))
            .unwrap();
        sheet
            .write_string(3, col + 1, format!("Realisasi (Rp) {y}"))
            .unwrap();
        sheet
            .write_string(3, col + 2, format!("Rasio (%) {y}"))
            .unwrap();
    }
    for (r, line) in original.lines.iter().enumerate() {
        let row = 4 + r as u32;
        sheet.write_string(row, 0, &line.uraian).unwrap();
        if let Some(k) = &line.kode {
            sheet.write_string(row, 1, k.to_string()).unwrap();
        }
        if let Some(l) = &line.lokasi {
            sheet.write_string(row, 2, l).unwrap();
        }
        for (i, y) in years.iter().enumerate() {
            let col = 3 + 3 * i as u16;
            write_xlsx_cell(sheet, row, col, &value(line, *y, true));
            write_xlsx_cell(sheet, row, col + 1, &value(line, *y, false));
            write_xlsx_cell(sheet, row, col + 2, &stated_ratio(line, *y));
        }
    }
    book.save(unit.join("pagu-realisasi.xlsx")).unwrap();
    assert_same_table(&check(&unit), &original);
}

#[test]
fn one_sheet_per_year_is_merged_back_into_lines() {
    let original = check(&sample_dir());
    let dir = tempfile::tempdir().unwrap();
    let unit = empty_unit(dir.path());
    let mut book = Workbook::new();
    for year in &original.config.periode.evaluasi {
        let sheet = book.add_worksheet();
        sheet.set_name(year.to_string()).unwrap();
        for (c, h) in ["Kode", "Uraian", "Lokasi", "Anggaran", "Realisasi", "Rasio"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (r, line) in original.lines.iter().enumerate() {
            let row = 1 + r as u32;
            if let Some(k) = &line.kode {
                sheet.write_string(row, 0, k.to_string()).unwrap();
            }
            sheet.write_string(row, 1, &line.uraian).unwrap();
            if let Some(l) = &line.lokasi {
                sheet.write_string(row, 2, l).unwrap();
            }
            write_xlsx_cell(sheet, row, 3, &value(line, *year, true));
            write_xlsx_cell(sheet, row, 4, &value(line, *year, false));
            write_xlsx_cell(sheet, row, 5, &stated_ratio(line, *year));
        }
    }
    book.save(unit.join("anggaran-per-tahun.xlsx")).unwrap();
    let relaid = check(&unit);
    assert_same_table(&relaid, &original);
    assert!(
        !relaid
            .findings
            .iter()
            .any(|f| f.rule == renstra::model::Rule::FigureConflict),
        "no conflicts when merging"
    );
}

#[test]
fn semicolon_csv_in_windows_1252_with_a_two_row_header_and_location_suffixes() {
    let original = check(&sample_dir());
    let years = original.config.periode.evaluasi.clone();
    let dir = tempfile::tempdir().unwrap();
    let unit = empty_unit(dir.path());
    let n = years.len();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut top = vec!["Kode".to_string(), "Program/Kegiatan/Sub Kegiatan".into()];
    top.push("Anggaran".into());
    top.extend(std::iter::repeat_n(String::new(), n - 1));
    top.push("Realisasi Anggaran".into());
    top.extend(std::iter::repeat_n(String::new(), n - 1));
    // The stated ratios are data too: they confirm the proposed readings of malformed amounts.
    top.push("Rasio (%)".into());
    top.extend(std::iter::repeat_n(String::new(), n - 1));
    rows.push(top);
    let mut sub = vec![String::new(), String::new()];
    for _ in 0..3 {
        sub.extend(years.iter().map(|y| y.to_string()));
    }
    rows.push(sub);
    rows.push((1..=2 + 3 * n).map(|i| i.to_string()).collect());
    for line in &original.lines {
        let name = match &line.lokasi {
            Some(l) => format!("{} ({l})", line.uraian),
            None => line.uraian.clone(),
        };
        let mut row = vec![
            line.kode
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            name,
        ];
        row.extend(years.iter().map(|y| csv_text(&value(line, *y, true))));
        row.extend(years.iter().map(|y| csv_text(&value(line, *y, false))));
        row.extend(years.iter().map(|y| csv_text(&stated_ratio(line, *y))));
        rows.push(row);
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in &rows {
        w.write_record(r).unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy, "the sample's text fits Windows-1252");
    std::fs::write(unit.join("anggaran-realisasi.csv"), bytes).unwrap();
    assert_same_table(&check(&unit), &original);
}
