//! End-to-end checks on the bundled sample unit (Kecamatan Kanigaran), against figures worked out
//! by hand from the seed document `../shared/seed/000_e54ae1b2864c8105.txt` (Tabel TC.24, lines
//! 554-698) and cross-checked with Python's `decimal` module at 40 digits. Expected values are
//! never taken from renstra's own output.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use renstra::ingest::IngestOptions;
use renstra::model::{Rule, Severity};
use renstra::pipeline::{self, Checked};
use renstra::tables::{RowKind, Shown, Tc24Row};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const WORKBOOK: &str = "anggaran-realisasi-2019-2023.xlsx";
const SHEET: &str = "Rekap 2019-2023";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn unit_dir() -> PathBuf {
    root().join("input").join("kecamatan-kanigaran")
}

/// One build of the sample, shared by the tests below (the PDF takes a second to typeset).
use crate::common::BUILT;

fn checked() -> &'static Checked {
    &BUILT.1.checked
}

fn out_dir() -> &'static Path {
    BUILT.0.path()
}

fn row(uraian: &str) -> &'static Tc24Row {
    let rows: Vec<&Tc24Row> = checked()
        .tc24
        .rows
        .iter()
        .filter(|r| r.uraian == uraian)
        .collect();
    assert_eq!(rows.len(), 1, "exactly one T-C.24 row named {uraian:?}");
    rows[0]
}

fn year_index(year: i32) -> usize {
    checked()
        .tc24
        .years
        .iter()
        .position(|y| *y == year)
        .expect("year in the evaluation period")
}

/// The finding of `rule` at `file` › `cell` exists and says what was written and what is expected.
fn assert_finding(rule: Rule, file: &str, cell: &str, written: &str, expected: &str) {
    let f = checked()
        .findings
        .iter()
        .find(|f| f.rule == rule && &*f.sources[0].file == file && f.sources[0].a1() == cell)
        .unwrap_or_else(|| panic!("{} at {file} › {cell}", rule.id()));
    assert_eq!(
        (f.written.as_str(), f.expected.as_str()),
        (written, expected),
        "{file} › {cell}"
    );
}

fn value(cell: &Shown) -> Decimal {
    cell.value()
        .unwrap_or_else(|| panic!("a figure, found {cell:?}"))
}

#[test]
fn ratio_2021_of_kegiatan_koordinasi_matches_the_seed() {
    // Seed line 636: anggaran 2021 = 872.900.400,00, realisasi 2021 = 840.853.970,00, printed ratio
    // 96,33. By hand: 840 853 970 / 872 900 400 × 100 = 96,32874151506861… → 96,33.
    let r = row("Kegiatan Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan");
    let i = year_index(2021);
    assert_eq!(value(&r.anggaran[i]), dec!(872900400));
    assert_eq!(value(&r.realisasi[i]), dec!(840853970));
    let ratio = value(&r.rasio[i]);
    assert_eq!(ratio.round_dp(2), dec!(96.33));
    assert_eq!(ratio.round_dp(10), dec!(96.3287415151));
    assert_eq!(r.kind, RowKind::Line(renstra::model::Level::Kegiatan));
    assert_eq!(r.kode.as_deref(), Some("7.01.02.2.01"));
}

#[test]
fn ratio_2022_of_program_penyelenggaraan_matches_the_seed() {
    // Seed line 632: anggaran 2022 = 1.619.538.533,00, realisasi 2022 = 1.567.543.511,00, printed
    // ratio 96,790. By hand: 1 567 543 511 / 1 619 538 533 × 100 = 96,78951621461667… → 96,79.
    let r = row("PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK");
    let i = year_index(2022);
    assert_eq!(value(&r.anggaran[i]), dec!(1619538533));
    assert_eq!(value(&r.realisasi[i]), dec!(1567543511));
    assert_eq!(value(&r.rasio[i]).round_dp(2), dec!(96.79));
    // Seed 2021 on the same line: 1.445.415.574 / 1.599.788.220 × 100 = 90,3504… (printed 90,35).
    assert_eq!(value(&r.rasio[year_index(2021)]).round_dp(2), dec!(90.35));
}

#[test]
fn growth_is_the_mean_of_yearly_growth() {
    // Seed line 636, anggaran 2021-2023: 872 900 400 → 1 003 283 200 → 2 336 934 000.
    // Year-on-year: +14,93673… % and +132,92865… %; mean = 73,93269… % (by hand, Python decimal).
    let r = row("Kegiatan Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan");
    assert_eq!(value(&r.growth_anggaran).round_dp(2), dec!(73.93));
}

#[test]
fn malformed_amounts_are_findings_at_their_cell() {
    // Seed line 663 (Kegiatan Administrasi Keuangan Perangkat Daerah) prints anggaran 2021 as
    // `10.933,294.372,00`: two decimal commas. It sits in E81 of the sample workbook.
    let f = checked()
        .findings
        .iter()
        .find(|f| f.written == "10.933,294.372,00")
        .expect("a finding for 10.933,294.372,00");
    assert_eq!(f.rule, Rule::AmountMalformed);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(&*f.sources[0].file, WORKBOOK);
    assert_eq!(&*f.sources[0].sheet, SHEET);
    assert_eq!(f.sources[0].a1(), "E81");
    // Its one reading, 10.933.294.372, is confirmed by the stated ratio O81 85,77 with J81
    // `9.377.121,143,00` (one reading, 9.377.121.143): by hand (Python decimal)
    // 9 377 121 143 / 10 933 294 372 × 100 = 85,7666575… → 85,77. The table shows the proposal,
    // marked, with the written text kept; the ratio computed from it is marked as derived.
    assert_eq!(f.expected, "10.933.294.372,00");
    let r = row("Kegiatan Administrasi Keuangan Perangkat Daerah");
    assert_eq!(
        r.anggaran[year_index(2021)],
        Shown::Proposed {
            value: dec!(10933294372),
            written: Some("10.933,294.372,00".into())
        }
    );
    let Shown::Proposed {
        value: ratio,
        written: None,
    } = r.rasio[year_index(2021)]
    else {
        panic!(
            "a ratio derived from proposals: {:?}",
            r.rasio[year_index(2021)]
        );
    };
    assert_eq!(ratio.round_dp(4), dec!(85.7667));
    // 2022's `9.177,12.814,00` (F81) has three readings that fit its ratio: none is proposed.
    assert_eq!(
        r.anggaran[year_index(2022)],
        Shown::Unverified("9.177,12.814,00".into())
    );
    assert!(matches!(r.rasio[year_index(2022)], Shown::Uncomputable(_)));
}

#[test]
fn every_malformed_amount_of_the_seed_is_reported() {
    // A sample of seed amounts that are not valid Indonesian numbers (seed lines 616-698).
    for raw in [
        "58.200.00,00",
        "9.177,12.814,00",
        "909.831.00,00",
        "495.769540",
        "2.876,265.085-",
        "14.704.18.642,00",
        "7.559.10.376,00",
        "23.760. .500,00",
    ] {
        assert!(
            checked()
                .findings
                .iter()
                .any(|f| f.written == raw && f.rule == Rule::AmountMalformed),
            "{raw} is reported"
        );
    }
}

#[test]
fn temuan_csv_lists_the_malformed_amounts_with_their_cells() {
    let bytes = std::fs::read(out_dir().join("temuan.csv")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let body = text.strip_prefix('\u{feff}').expect("UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        vec![
            "tingkat",
            "aturan",
            "berkas",
            "lembar",
            "sel",
            "nilai_tertulis",
            "nilai_seharusnya",
            "pesan"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let hit = rows
        .iter()
        .find(|r| &r[5] == "10.933,294.372,00")
        .expect("row for 10.933,294.372,00");
    assert_eq!((&hit[0], &hit[1]), ("kesalahan", "AMOUNT-MALFORMED"));
    assert_eq!((&hit[2], &hit[3], &hit[4]), (WORKBOOK, SHEET, "E81"));
    assert_eq!(rows.len(), checked().findings.len());
}

#[test]
fn every_row_of_the_workbook_is_accounted_for() {
    let report = checked()
        .files
        .iter()
        .find(|f| f.file == WORKBOOK)
        .expect("the workbook is read");
    let sheet = &report.sheets[0];
    let a = sheet.accounting.as_ref().expect("the sheet is used");
    assert!(a.balances(), "{a:?}");
    // Rows 1-3 title, 4 blank, 5-7 header (two header rows + column numbers), 8-105 data,
    // 106 JUMLAH (counted by opening the workbook and checking against the seed's 98 lines).
    assert_eq!(
        (a.title, a.blank, a.header, a.data, a.total),
        (3, 1, 3, 98, 1)
    );
}

#[test]
fn the_xlsx_has_the_tc24_sheet_with_verified_figures() {
    let mut book: Xlsx<_> = open_workbook(out_dir().join("tabel-renstra.xlsx")).unwrap();
    assert!(book.sheet_names().contains(&"T-C.24".to_string()));
    let range = book.worksheet_range("T-C.24").unwrap();
    let row = range
        .rows()
        .find(|r| {
            r.get(1).is_some_and(|c| {
                c.to_string().trim() == "Kegiatan Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan"
            })
        })
        .expect("the kegiatan row");
    // Columns: Kode, Uraian, Lokasi, Anggaran 2019-2023, Realisasi 2019-2023, Rasio 2019-2023 …
    // so Anggaran 2021 is column 5 and Rasio 2021 column 15.
    assert_eq!(row[5], Data::Float(872900400.0));
    match &row[15] {
        Data::Float(r) => assert!((r - 96.328741515).abs() < 1e-6, "{r}"),
        other => panic!("ratio is a number, found {other:?}"),
    }
}

#[test]
fn derived_xlsx_cells_are_live_formulas_caching_the_verified_figures() {
    let path = out_dir().join("tabel-renstra.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let values = book.worksheet_range("T-C.24").unwrap();
    let formulas = book.worksheet_formula("T-C.24").unwrap();
    let start = values.start().unwrap();
    let find_row = |name: &str| {
        values
            .rows()
            .position(|r| r.get(1).is_some_and(|c| c.to_string().trim() == name))
            .map(|i| start.0 + i as u32)
            .unwrap_or_else(|| panic!("row {name}"))
    };
    // Columns (0-based): 3-7 anggaran, 8-12 realisasi, 13-17 rasio 2019-2023, 18-19 growth.
    let row =
        find_row("Kegiatan Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan");
    let ratio_2021 = formulas.get_value((row, 15)).cloned().unwrap_or_default();
    let (a, r) = (format!("F{}", row + 1), format!("K{}", row + 1));
    assert!(ratio_2021.contains(&format!("{r}/{a}*100")), "{ratio_2021}");
    let growth = formulas.get_value((row, 18)).cloned().unwrap_or_default();
    assert!(growth.starts_with("IFERROR("), "{growth}");
    // Cached growth = the hand-computed 73,9327 (see growth_is_the_mean_of_yearly_growth).
    match values.get_value((row, 18)) {
        Some(Data::Float(g)) => assert!((g - 73.9326907098).abs() < 1e-6, "{g}"),
        other => panic!("cached growth, found {other:?}"),
    }
    // Every program and kegiatan figure is the live sum of its children, and the JUMLAH row the
    // sum of the programs. 2023 anggaran from the leaves up (sample column G, read with openpyxl;
    // G81-G83, G92, G93, G103 as proposed in tests/suite/repairs.rs):
    //   7.01.03: G42 2.079.302.180 + (G50..G61: 674.504.000 + 1.275.496.000 = 1.950.000.000)
    //            = 4.029.302.180 (the sheet states 3.859.344.000);
    //   7.01.02: G64 2.336.934.000 + (G66..G72 = 1.949.006.850) = 4.285.940.850 (states
    //            4.203.489.000);
    //   7.01.05: G75 424.178.770;
    //   X XX 01: 15.000.000 + (8.356.872.719 + 380.128.350) + 2.000.000 + 5.000.000 (G86 kept:
    //            its child G88 `1.685.00,00` has no reading) + 218.521.821 + 155.050.000 +
    //            292.951.780 + 129.118.500 = 9.554.643.170 (states 9.308.847.730);
    //   JUMLAH = 4.029.302.180 + 4.285.940.850 + 424.178.770 + 9.554.643.170 = 18.294.064.970.
    let total = find_row("JUMLAH");
    let sum = formulas.get_value((total, 7)).cloned().unwrap_or_default();
    assert!(
        sum.contains("SUM(") && sum.matches(',').count() >= 6,
        "{sum}"
    );
    assert_eq!(
        values.get_value((total, 7)),
        Some(&Data::Float(18_294_064_970.0))
    );
    let program = find_row("PROGRAM PEMERINTAHAN MASYARAKAT DESA DAN KELURAHAN");
    let subtotal = formulas
        .get_value((program, 7))
        .cloned()
        .unwrap_or_default();
    assert!(
        subtotal.contains("SUM("),
        "a program's figure is the sum of its kegiatan: {subtotal}"
    );
    assert_eq!(
        values.get_value((program, 7)),
        Some(&Data::Float(4_029_302_180.0))
    );
    // A ratio that cannot be computed is not a formula (it would show an error) but marked text:
    // 2022 of Kegiatan Administrasi Keuangan, whose anggaran `9.177,12.814,00` has no proposal.
    let keuangan = find_row("Kegiatan Administrasi Keuangan Perangkat Daerah");
    assert_eq!(
        values.get_value((keuangan, 16)),
        Some(&Data::String("?".into()))
    );
    // 2021's, computed from the proposals 9.377.121.143 / 10.933.294.372 × 100 = 85,7667 (by
    // hand), is a formula caching that figure.
    match values.get_value((keuangan, 15)) {
        Some(Data::Float(r)) => assert!((r - 85.766_657_55).abs() < 1e-6, "{r}"),
        other => panic!("cached ratio from proposals, found {other:?}"),
    }
    assert!(
        formulas
            .get_value((keuangan, 16))
            .is_none_or(|f| f.is_empty())
    );
    assert!(
        formulas
            .get_value((keuangan, 15))
            .is_some_and(|f| f.contains("*100")),
        "the 2021 ratio is live"
    );
}

#[test]
fn the_pdf_contains_the_table_and_program_names() {
    let pdf = std::fs::read(out_dir().join("renstra.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let data = renstra::render::document_data(
        &checked().config,
        &unit_dir(),
        &checked().tables,
        &checked().organisation,
        &checked().findings,
    );
    let doc = renstra::render::render_document(
        &root().join("templates"),
        &unit_dir(),
        renstra::render::MAIN_TEMPLATE,
        &data,
    )
    .unwrap();
    let text = renstra::render::page_texts(&doc).join("\n");
    for needle in [
        "T-C.24",
        "KATA PENGANTAR",
        "Kanigaran",
        "PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK",
        "96,33",
        "NOOR ALY",
    ] {
        assert!(text.contains(needle), "PDF text contains {needle:?}");
    }
}

#[test]
fn the_same_inputs_give_byte_identical_outputs() {
    let again = tempfile::tempdir().unwrap();
    // In-process this time: both ways of reading must give the same bytes.
    let in_process = IngestOptions::default();
    pipeline::build_unit(
        &unit_dir(),
        again.path(),
        &root().join("templates"),
        &in_process,
    )
    .unwrap();
    for file in [
        "renstra.pdf",
        "tabel-renstra.xlsx",
        "csv/T-C.24.csv",
        "temuan.csv",
    ] {
        let a = std::fs::read(out_dir().join(file)).unwrap();
        let b = std::fs::read(again.path().join(file)).unwrap();
        assert!(a == b, "{file} differs between two runs");
    }
}

#[test]
fn every_sheet_of_the_sample_is_read_and_every_row_accounted_for() {
    let mut sheets = 0;
    for file in &checked().files {
        assert!(file.not_read.is_none(), "{} was read", file.file);
        assert_eq!(file.sha256.len(), 64, "{} has a sha256", file.file);
        for sheet in &file.sheets {
            sheets += 1;
            assert!(sheet.kind.is_some(), "{} is classified", sheet.source);
            let a = sheet.accounting.as_ref().expect("rows accounted");
            assert!(a.balances(), "{}: {a:?}", sheet.source);
            assert_eq!(a.read, sheet.rows);
        }
    }
    // 10 files: 4 CSVs (one sheet each), and in the workbooks 1 (anggaran) + 2 (kepegawaian/sarpras) +
    // 2 (permasalahan/isu) + 1 (rencana) + 2 (strategi) + 4 (tujuan/sasaran/IKU) sheets, counted
    // by opening them: 16.
    assert_eq!(sheets, 16);
    // The plan (T-C.27) keeps its two-row header: "2025" over "Target" and "Rp".
    let plan = checked()
        .files
        .iter()
        .flat_map(|f| &f.sheets)
        .find(|s| s.source.file.starts_with("rencana-program"))
        .unwrap();
    assert_eq!(plan.accounting.as_ref().unwrap().header, 2);
}

/// The seed's own T-C.24 inconsistencies, each with its expected value worked out by hand from
/// the seed's printed figures (seed line numbers in ../shared/seed/000_e54ae1b2864c8105.txt) and
/// checked with Python's decimal module.
#[test]
fn the_seeds_tc24_inconsistencies_are_found() {
    let expected: [(Rule, &str, &str, &str); 10] = [
        // Line 601 vs 605 + 616, anggaran 2023: 2.079.302.180 + 1.950.000.000 = 4.029.302.180.
        (
            Rule::SumHierarchy,
            "G40",
            "3.859.344.000,00",
            "4.029.302.180,00",
        ),
        // Line 632 vs 636 + 638, anggaran 2023: 2.336.934.000 + 1.949.006.850 = 4.285.940.850.
        (
            Rule::SumHierarchy,
            "G62",
            "4.203.489.000,00",
            "4.285.940.850,00",
        ),
        // Line 632 vs 636 + 638, realisasi 2023: 921.724.040 + 913.828.585 = 1.835.552.625.
        (
            Rule::SumHierarchy,
            "L62",
            "1.104.079.718,00",
            "1.835.552.625,00",
        ),
        // Line 652 vs 653, realisasi 2022: the program says 327.517.078, its only kegiatan
        // 321.517.078, whose sub kegiatan (lines 654, 655 "-") sum to 327.517.078: the kegiatan
        // is typed wrong, and only it is reported (the program is the sum of its leaves; see
        // a_kegiatan_typed_wrong_is_reported_once below).
        (
            Rule::SumHierarchy,
            "K74",
            "321.517.078,00",
            "327.517.078,00",
        ),
        // Line 616 vs 626-631, realisasi 2023 (the six sarana rows are "-"):
        // 76.600.000 + 167.320.800 + 143.892.000 + 91.861.400 + 114.284.000 + 144.369.995.
        (
            Rule::SumHierarchy,
            "L49",
            "457.818.200,00",
            "738.328.195,00",
        ),
        // Line 698 (JUMLAH) anggaran 2023 vs the four programs (lines 601, 632, 652, 656):
        // 3.859.344.000 + 4.203.489.000 + 424.178.770 + 9.308.847.730 = 17.795.859.500.
        (
            Rule::SumTotal,
            "G106",
            "18.178.234.959,00",
            "17.795.859.500,00",
        ),
        // Line 601 ratio 2022 printed "54.940": 1.065.593.699 / 1.939.542.840 × 100 = 54,9405.
        (Rule::RatioMismatch, "P40", "54.940", "54,94"),
        // Line 656 ratio 2023 printed 33,39: 2.977.581.765 / 9.308.847.730 × 100 = 31,9866.
        (Rule::RatioMismatch, "Q77", "33,39", "31,99"),
        // Line 667 ratio 2023 printed 100%: 1.000.000 / 2.000.000 × 100 = 50.
        (Rule::RatioMismatch, "Q85", "100", "50,00"),
        // Line 595 ratio 2019 printed 33,52 while realisasi 346.393.462 > anggaran 116.111.088:
        // 346.393.462 / 116.111.088 × 100 = 298,3294 (the two amounts are swapped).
        (Rule::RatioMismatch, "M34", "33,52", "298,33"),
    ];
    for (rule, cell, written, should) in expected {
        assert_finding(rule, WORKBOOK, cell, written, should);
    }
    assert!(
        checked()
            .findings
            .iter()
            .any(|f| f.rule == Rule::RealisasiOverAnggaran
                && f.severity == Severity::Error
                && f.sources[0].a1() == "H34"),
        "H34: realisasi 346.393.462 above anggaran C34 116.111.088 (read with openpyxl) is an error"
    );
}

/// T-C.23, Tabel 1 and the SWOT tables of the seed (lines 545-550, 441-472 and 960-1010),
/// worked out by hand.
#[test]
fn the_seeds_staff_and_swot_inconsistencies_are_found() {
    let expected: [(Rule, &str, &str, &str, &str); 11] = [
        // Tabel 10 (seed line 807) targets "Persentase Kelompok dan Lembaga Kemasyarakatan yang
        // Difasilitasi" at 100% for 2025, where T-C.25 (seed line 846) says 90%.
        (
            Rule::TargetMismatch,
            "tujuan-sasaran-iku.xlsx",
            "F3",
            "100%",
            "90%",
        ),
        // T-C.27 (seed line 1080), Pemberdayaan Masyarakat di Kelurahan Curahgrinting: Rp 2025
        // 150.000.000 + Rp 2026 150.000.000 = 300.000.000, printed 100.000.000 at the period's end.
        (
            Rule::PlanTotal,
            "rencana-program-2025-2026.ods",
            "M14",
            "100.000.000",
            "300.000.000",
        ),
        // T-C.27 (seed lines 1146-1147), Penyusunan Dokumen Perencanaan: 50.000.000 + 50.000.000.
        (
            Rule::PlanTotal,
            "rencana-program-2025-2026.ods",
            "M52",
            "250.000.000",
            "100.000.000",
        ),
        // TC.23 (seed line 548), Indeks Kepuasan Masyarakat 2023: 82,75 / 84 × 100 = 98,5119,
        // printed 98,21. Cell T4: the CSV's fourth line (title, blank line, header, data).
        (
            Rule::RatioMismatch,
            "kinerja-pelayanan-2019-2023.csv",
            "T4",
            "98,21",
            "98,51",
        ),
        // Line 450, S1: 11 + 14 = 25, printed 30.
        (Rule::StaffSum, "kepegawaian-sarpras.xls", "F5", "30", "25"),
        // Line 452, SLTA/Sederajat: 16 + 7 = 23, printed 44.
        (Rule::StaffSum, "kepegawaian-sarpras.xls", "F7", "44", "23"),
        // Strength 4: NU 5 × BF 20 = 100, printed 120.
        (Rule::SwotScore, "analisis-swot.csv", "F5", "120", "100"),
        // Strengths: 150 + 80 + 60 + 100 + 75 = 465, printed 485.
        (Rule::SwotScore, "analisis-swot.csv", "F7", "485", "465"),
        // Threats: 80 + 60 + 30 + 50 + 50 = 270, printed 290.
        (Rule::SwotScore, "analisis-swot.csv", "F25", "290", "270"),
        // Strategy SO = S 465 + O 405 = 870, printed 890; ST = 465 + 270 = 735, printed 775.
        (
            Rule::SwotScore,
            "skor-strategi-swot.csv",
            "E2",
            "890",
            "870",
        ),
        (
            Rule::SwotScore,
            "skor-strategi-swot.csv",
            "E4",
            "775",
            "735",
        ),
    ];
    for (rule, file, cell, written, should) in expected {
        assert_finding(rule, file, cell, written, should);
    }
    // Tabel 1's groupings against the staff they cover (seed lines 447-471; a row counts its
    // stated Jumlah, the rows whose L + P differ being STAFF-SUM's): status: ASN 44 + 26 = 70,
    // Non ASN 10 + 14 = 24, all 54 + 40 = 94. Pendidikan (all staff): L 12 + 11 + 2 + 16 + 1 + 1
    // = 43 (not 54), P 4 + 14 + 0 + 7 + 0 + 0 = 25 (not 40), Jumlah 16 + 30 + 2 + 44 + 1 + 1 = 94
    // (right). Jabatan (ASN only): L 1 + 1 + 6 + 10 + 23 = 41 (not 44), P 0 + 0 + 4 + 18 + 7 =
    // 29 (not 26), 70 (right). Pangkat with its Non ASN row: 4 + 43 + 23 + 24 = 94 (right).
    let mut groupings: Vec<(String, &str, &str)> = checked()
        .findings
        .iter()
        .filter(|f| f.rule == Rule::StaffCategories)
        .map(|f| (f.sources[0].a1(), f.written.as_str(), f.expected.as_str()))
        .collect();
    groupings.sort();
    assert_eq!(
        groupings,
        vec![
            ("F15".to_string(), "29", "26"),
            ("F15".to_string(), "41", "44"),
            ("F4".to_string(), "25", "40"),
            ("F4".to_string(), "43", "54"),
        ]
    );
}

#[test]
fn the_plan_sub_kegiatan_under_the_wrong_kegiatan_is_found() {
    // Seed T-C.27 (line 1102): sub kegiatan `7.01.02.2.03.00 03` is listed under kegiatan
    // `7.01.02.2.02`; its code says it belongs to kegiatan 2.03.
    let f = checked()
        .findings
        .iter()
        .find(|f| f.rule == Rule::KodeOutOfPlace)
        .expect("KODE-OUT-OF-PLACE");
    assert_eq!(f.written, "7.01.02.2.03.0003");
    assert_eq!(&*f.sources[0].file, "rencana-program-2025-2026.ods");
    assert!(f.message.contains("7.01.02.2.02"));
    // The finding points at the code cells, read with odfpy: C34 holds `7.01.02.2.03.00 03` and
    // C33 the kegiatan's `7.01.02.2.02` (column D holds the names).
    let cells: Vec<String> = f.sources.iter().map(|s| s.a1()).collect();
    assert_eq!(cells, ["C34", "C33"]);
}

#[test]
fn duplicate_plan_codes_point_at_both_code_cells() {
    // The plan sheet repeats kegiatan `7 01 03 2.02` (C7, and again C20 under another name) and
    // sub kegiatan `7 01 03 2.02 0002` (C8, and C21 as `7 01 03 2.02.0002`), as odfpy reads it.
    let dupes: Vec<Vec<String>> = checked()
        .findings
        .iter()
        .filter(|f| f.rule == Rule::KodeDuplicate)
        .map(|f| f.sources.iter().map(|s| s.a1()).collect())
        .collect();
    assert_eq!(dupes, [["C20", "C7"], ["C21", "C8"]]);
}

#[test]
fn parents_left_blank_whose_children_have_figures_are_found() {
    // Read with openpyxl from the sample's Rekap 2019-2023 (F = anggaran 2022, K = realisasi
    // 2022, L = realisasi 2023), each parent row blank where its rows below hold figures:
    // L78 blank; L79 4460000 + L80 "-" (nil) = 4.460.000,00.
    // L84 blank; L85 "1.000.000,-" = 1.000.000,00.
    // F95 blank; F96 blank + F97 "10.000. 000,00" (read without the space) = 10.000.000,00.
    // K95 blank; K96 blank + K97 "9.990.000 ,00" = 9.990.000,00.
    for (cell, expected) in [
        ("L78", "4.460.000,00"),
        ("L84", "1.000.000,00"),
        ("F95", "10.000.000,00"),
        ("K95", "9.990.000,00"),
    ] {
        assert_finding(Rule::SumHierarchy, WORKBOOK, cell, "", expected);
    }
}

#[test]
fn a_malformed_end_of_period_rp_is_found_not_skipped() {
    // Read with odfpy from rencana-program-2025-2026.ods, column M (Kondisi Akhir Rp): M41 is
    // `500.000.000,-,-` (a second `,-`), M50 `9.768.53.880,-` (a thousands group of two digits).
    // M41's one reading, 500.000.000, is its only sub kegiatan's M42 (500.000.000,-): proposed,
    // and its PLAN-TOTAL then runs: I41 295.000.000 + K41 324.000.000 = 619.000.000, not 500.
    // M50 has four readings and its children's end-of-period Rp add up to none: none proposed.
    assert_finding(
        Rule::AmountMalformed,
        "rencana-program-2025-2026.ods",
        "M41",
        "500.000.000,-,-",
        "500.000.000,00",
    );
    assert_finding(
        Rule::PlanTotal,
        "rencana-program-2025-2026.ods",
        "M41",
        "500.000.000",
        "619.000.000",
    );
    assert_finding(
        Rule::AmountMalformed,
        "rencana-program-2025-2026.ods",
        "M50",
        "9.768.53.880,-",
        "",
    );
}

#[test]
fn a_check_that_cannot_run_says_so() {
    // Sample rows 81-82, read with openpyxl: Kegiatan Administrasi Keuangan writes anggaran 2022
    // as `9.177,12.814,00` (F81) and its sub kegiatan Penyediaan Gaji as `8.848,66.521,00` (F82).
    // Each has several readings that fit its stated ratio (P81 93.934 with K81 8.620.410.741; P82
    // 93.806 with K82 8.300.600.311) and no pair of them adds up with F83 328.446.320, so
    // neither is proposed: the kegiatan's sum 2022 (at F81) and the sub kegiatan's ratio 2022
    // (P82) cannot be checked, and say so, at info level.
    let info = |rule: Rule, cell: &str| {
        checked().findings.iter().any(|f| {
            f.rule == rule
                && f.severity == Severity::Info
                && &*f.sources[0].file == WORKBOOK
                && f.sources[0].a1() == cell
                && f.message.contains("tidak dapat diperiksa")
        })
    };
    assert!(info(Rule::SumHierarchy, "F81"));
    assert!(info(Rule::RatioMismatch, "P82"));
    // Rows 41-42 write realisasi 2023 as `495.769540` (L41, L42); its one reading 495.769.540 is
    // confirmed (495 769 540 / 2 079 302 180 × 100 = 23,8431… → Q41 23.84), so the kegiatan's
    // sum runs on it and says so instead of "cannot be checked".
    assert!(!info(Rule::SumHierarchy, "L41"));
}

#[test]
fn the_jumlah_rows_ratios_are_checked_against_its_own_figures() {
    // Sample row 106 (JUMLAH), read with openpyxl: 2022 anggaran F106 = 13697136044, realisasi
    // K106 = 12175561324, and the ratio column P106 holds 12175561324 again (an amount where the
    // ratio belongs). By hand (Python decimal, 40 digits): 12 175 561 324 / 13 697 136 044 × 100 =
    // 88,8912929307… → 88,89.
    assert_finding(
        Rule::RatioMismatch,
        WORKBOOK,
        "P106",
        "12.175.561.324",
        "88,89",
    );
    // 2021 (O106 = 83.92) stands beside an anggaran written `14.704.18.642,00` (E106), whose
    // proposal is the programs' sum 1.553.058.250 + 1.599.788.220 + 270.726.000 +
    // 11.280.546.172 = 14.704.118.642: 12 340 066 764,99 / 14 704 118 642 × 100 = 83,9225… →
    // 83,92, so the ratio is checked and passes. 2023 (Q106 = 41.58) stands beside a realisasi
    // `7.559.10.376,00` (L106) with two readings that fit and none proposed: it cannot be checked.
    assert!(
        !checked()
            .findings
            .iter()
            .any(|f| f.sources[0].a1() == "O106" && &*f.sources[0].file == WORKBOOK),
        "O106 is checked on the proposal and agrees"
    );
    assert!(
        checked()
            .findings
            .iter()
            .any(|f| f.rule == Rule::RatioMismatch
                && f.severity == Severity::Info
                && f.sources[0].a1() == "Q106"),
        "Q106 says it could not be checked"
    );
}

#[test]
fn the_plans_program_without_a_code_collects_its_kegiatan() {
    // rencana-program-2025-2026.ods, read with odfpy: row 50, "PROGRAM PENUNJANG URUSAN
    // PEMERINTAHAN DAERAH KABUPATEN/KOTA", has no code (C50 empty); its kegiatan below carry
    // `X XX 01 …` codes. 2025 (column I): 50.000.000 + 8,343,821,329 + 20.000.000 + 70.000.000 +
    // 245.000.000 + 150.000.000 + 921,888,000 + 285.000.000 = 10.085.709.329, which is what I50
    // states: checked now, and it passes. 2026 (column K) has K51 `50.00.000,-`, whose reading
    // 50.000.000 its only sub kegiatan K52 (50.000.000,-) confirms; on it K50's sum runs:
    // 50.000.000 + 8,365,623,931 + 20.000.000 + 70.000.000 + 245.000.000 + 150.000.000 +
    // 1.013.619.800 + 285.000.000 = 10.199.243.731, not K50's 10.107.511.931.
    let at = |cell: &str| {
        checked()
            .findings
            .iter()
            .filter(|f| {
                f.rule == Rule::SumHierarchy
                    && &*f.sources[0].file == "rencana-program-2025-2026.ods"
                    && f.sources[0].a1() == cell
            })
            .map(|f| f.severity)
            .collect::<Vec<_>>()
    };
    assert_eq!(at("I50"), []);
    assert_eq!(at("K50"), [Severity::Error]);
    let k50 = checked()
        .findings
        .iter()
        .find(|f| f.rule == Rule::SumHierarchy && f.sources[0].a1() == "K50")
        .expect("K50");
    assert_eq!(k50.expected, "10.199.243.731,00");
    assert!(
        k50.message.contains("K51"),
        "names the proposal it used: {}",
        k50.message
    );
}

#[test]
fn the_swot_tables_the_score_table_and_the_narrative_agree() {
    // By hand from analisis-swot.csv (NU × BF per row): S = 150 + 80 + 60 + 100 + 75 = 465
    // (stated 485), W = 30 + 30 + 30 + 60 + 50 = 200, O = 80 + 60 + 60 + 125 + 80 = 405,
    // T = 80 + 60 + 30 + 50 + 50 = 270 (stated 290). Strategies: SO 465 + 405 = 870,
    // WO 200 + 405 = 605, ST 465 + 270 = 735, WT 200 + 270 = 470.
    use renstra::model::TableId;
    let tables = &checked().tables;
    let table = |id: TableId| {
        tables
            .iter()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("table {id}"))
    };
    let total_of = |name: &str| {
        let t = table(TableId::from_name(name));
        let row = t.rows.last().expect("the jumlah row");
        row.cells.last().expect("NU × BF").shown.clone()
    };
    assert_eq!(
        total_of("SWOT Kekuatan"),
        Shown::Recomputed {
            value: dec!(465),
            written: "485".into()
        }
    );
    assert_eq!(total_of("SWOT Peluang").value(), Some(dec!(405)));
    assert_eq!(total_of("SWOT Ancaman").value(), Some(dec!(270)));
    let scores = table(TableId::SkorStrategiSwot);
    let expected = [
        ("Strategi SO", "465 + 405", dec!(870), Some("890")),
        ("Strategi WO", "200 + 405", dec!(605), None),
        ("Strategi ST", "465 + 270", dec!(735), Some("775")),
        ("Strategi WT", "200 + 270", dec!(470), Some("490")),
    ];
    for (row, (name, hasil, score, stated)) in scores.rows.iter().zip(expected) {
        let cells: Vec<String> = row.cells.iter().map(|c| c.shown.display(0)).collect();
        assert!(cells.contains(&name.to_string()), "{cells:?}");
        assert!(cells.contains(&hasil.to_string()), "{name}: {cells:?}");
        let last = &row.cells.last().expect("Jumlah").shown;
        assert_eq!(last.value(), Some(score), "{name}");
        assert_eq!(
            last.written(),
            stated,
            "{name}: marked with the stated score"
        );
    }
    // The narrative's fact and its literal 775 (bab-5, line 73).
    let quoted = checked()
        .findings
        .iter()
        .find(|f| f.rule == Rule::NarrativeFigure)
        .expect("a NARRATIVE-FIGURE finding");
    assert_eq!(&*quoted.sources[0].file, "naskah/bab-5.typ");
    assert_eq!(&*quoted.sources[0].sheet, "baris 73");
    assert_eq!(
        (quoted.written.as_str(), quoted.expected.as_str()),
        ("775", "735")
    );
    assert!(
        quoted.message.contains("#fakta(\"skor-strategi-st\")"),
        "{}",
        quoted.message
    );
}

#[test]
fn amounts_written_in_thousands_are_named_with_their_correction() {
    // Sample rows 78-80, 2022 (openpyxl): anggaran F78 42 000 000, F79 17 000 000,
    // F80 25 000 000; realisasi K78 42 000, K79 17 000, K80 25 000; stated ratios P78-P80 100.
    // 42 000 / 42 000 000 × 100 = 0,1 and × 1 000 = 100: the realisasi are in thousands.
    // Rows 78 and 79 have another figure (G78 15 000 000; G79 15 000 000, L79 4 460 000) of the
    // order of the corrected realisasi, so the realisasi is named; row 80 has none, so both
    // corrections are given at the ratio cell.
    let scale: Vec<(String, &str)> = checked()
        .findings
        .iter()
        .filter(|f| f.rule == Rule::AmountScale)
        .map(|f| (f.sources[0].a1(), f.expected.as_str()))
        .collect();
    assert_eq!(
        scale,
        vec![
            ("K78".to_string(), "42.000.000,00"),
            ("K79".to_string(), "17.000.000,00"),
            ("P80".to_string(), "")
        ]
    );
    // The ratio itself is not reported as 0,10.
    assert!(
        !checked()
            .findings
            .iter()
            .any(|f| f.rule == Rule::RatioMismatch
                && ["P78", "P79", "P80"].contains(&f.sources[0].a1().as_str()))
    );
}

#[test]
fn a_baseline_that_is_not_the_last_realisation_is_found() {
    // tujuan-sasaran-iku.xlsx, T-C.28 (openpyxl): "Kondisi Awal 2022" of "Persentase Kelompok
    // dan Lembaga Kemasayarakatan yang difasilitasi" is `85,71%` (C5); T-C.23
    // (kinerja-pelayanan-2019-2023.csv) realises "% Kelompok dan Lembaga Kemasyarakatan yang
    // Difasilitasi" 85,71 in 2022 and 86,35 in 2023 (O6). IKM starts at 82.75 (C6) and was
    // realised 82,75 in 2023: no finding.
    let found: Vec<(String, &str, &str)> = checked()
        .findings
        .iter()
        .filter(|f| f.rule == Rule::BaselineMismatch)
        .map(|f| (f.sources[0].a1(), f.written.as_str(), f.expected.as_str()))
        .collect();
    assert_eq!(found, vec![("C5".to_string(), "85,71", "86,35")]);
    let c = checked().coverage.of(Rule::BaselineMismatch);
    assert_eq!((c.passed, c.failed), (1, 1));
}

#[test]
fn a_ratio_column_written_with_another_precision_is_found() {
    // The sample's T-C.24 (openpyxl) writes 2022's ratios with three decimals (P63 98.602,
    // P65 93.838, P81 93.934: the seed prints them 98,602 / 93,838 / 93,934) and 2019, 2021 and
    // 2023 with two (M16 21.93, O63 96.33, Q63 39.44): one finding on column P.
    let found: Vec<String> = checked()
        .findings
        .iter()
        .filter(|f| f.rule == Rule::RatioPrecision)
        .map(|f| f.sources[0].a1())
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with('P'), "{found:?}");
}

#[test]
fn a_kegiatan_typed_wrong_is_reported_once() {
    // Sample rows 73-75, realisasi 2022 (openpyxl): program K73 327.517.078, its only kegiatan
    // K74 321.517.078, whose sub kegiatan K75 holds 327.517.078 (K76 "-"). The kegiatan is the
    // cell that does not add up; the program, equal to its leaves, raises no second error.
    let at = |cell: &str| {
        checked()
            .findings
            .iter()
            .filter(|f| f.rule == Rule::SumHierarchy && &*f.sources[0].file == WORKBOOK)
            .filter(|f| f.sources[0].a1() == cell)
            .count()
    };
    assert_eq!((at("K73"), at("K74")), (0, 1));
}
