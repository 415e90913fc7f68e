//! Ingest behaviours that need real files: percent-formatted cells, formulas without a cached
//! result, hidden sheets, broken files next to good ones, zip bombs, and a sheet that fits no
//! known kind. Every fixture is written by the test itself (rust_xlsxwriter, zip, plain bytes).

use std::io::Write;
use std::path::{Path, PathBuf};

use renstra::ingest::{self, IngestOptions, isolate};
use renstra::model::{CellValue, Rule, Severity};
use rust_decimal_macros::dec;
use rust_xlsxwriter::{Format, Formula, Workbook};

fn options() -> IngestOptions {
    IngestOptions::default()
}

fn isolated() -> IngestOptions {
    IngestOptions {
        isolation: Some(isolate::Isolation {
            exe: PathBuf::from(env!("CARGO_BIN_EXE_renstra")),
            memory_limit: isolate::DEFAULT_MEMORY_LIMIT,
            timeout: isolate::DEFAULT_TIMEOUT,
        }),
        ..Default::default()
    }
}

fn budget_header(sheet: &mut rust_xlsxwriter::Worksheet) {
    for (c, h) in [
        "Kode",
        "Uraian",
        "Anggaran 2022",
        "Realisasi 2022",
        "Rasio 2022",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
}

#[test]
fn a_percent_formatted_ratio_is_read_as_the_percentage_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    budget_header(sheet);
    sheet.write_string(1, 0, "7.01.02").unwrap();
    sheet.write_string(1, 1, "Program A").unwrap();
    sheet.write_number(1, 2, 1000.0).unwrap();
    sheet.write_number(1, 3, 857.1).unwrap();
    // 0.8571 displayed as 85,71% — what the person typed and sees.
    let percent = Format::new().set_num_format("0.00%");
    sheet
        .write_number_with_format(1, 4, 0.8571, &percent)
        .unwrap();
    let path = dir.path().join("a.xlsx");
    book.save(&path).unwrap();
    for opts in [options(), isolated()] {
        let (_, part) = ingest::ingest_file(&path, "a.xlsx", None, &opts);
        let ratio = part.budget[0]
            .figures
            .iter()
            .find(|f| f.role == renstra::model::Role::Rasio)
            .unwrap();
        assert_eq!(ratio.value, CellValue::Number(dec!(85.71)));
    }
}

#[test]
fn a_formula_without_a_cached_result_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // Writers such as openpyxl store formulas without results; Excel never does.
    sheet.set_formula_result_default("");
    budget_header(sheet);
    sheet.write_string(1, 0, "7.01.02").unwrap();
    sheet.write_string(1, 1, "Program A").unwrap();
    sheet.write_formula(1, 2, Formula::new("=100+200")).unwrap();
    sheet.write_number(1, 3, 250.0).unwrap();
    let path = dir.path().join("rumus.xlsx");
    book.save(&path).unwrap();
    let (_, part) = ingest::ingest_file(&path, "rumus.xlsx", None, &options());
    let finding = part
        .findings
        .iter()
        .find(|f| f.rule == Rule::FormulaUncached)
        .expect("FORMULA-UNCACHED finding");
    assert_eq!(finding.sources[0].a1(), "C2");
    assert_eq!(finding.severity, Severity::Error);
    assert!(finding.message.contains("simpan ulang"));
}

#[test]
fn hidden_sheets_are_read_and_said_to_be_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "sampul").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Tersembunyi").unwrap();
    budget_header(sheet);
    sheet.write_string(1, 1, "Program A").unwrap();
    sheet.write_number(1, 2, 1000.0).unwrap();
    sheet.set_hidden(true);
    let path = dir.path().join("b.xlsx");
    book.save(&path).unwrap();
    let (report, part) = ingest::ingest_file(&path, "b.xlsx", None, &options());
    let hidden = report
        .sheets
        .iter()
        .find(|s| &*s.source.sheet == "Tersembunyi")
        .unwrap();
    assert!(hidden.hidden);
    assert!(hidden.used);
    assert_eq!(part.budget.len(), 1);
}

fn unit_with(dir: &Path, files: &[(&str, &[u8])]) -> PathBuf {
    let unit = dir.join("unit");
    std::fs::create_dir_all(&unit).unwrap();
    for (name, bytes) in files {
        std::fs::write(unit.join(name), bytes).unwrap();
    }
    unit
}

#[test]
fn a_broken_file_is_one_finding_and_the_others_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = "Uraian;Anggaran 2022;Realisasi 2022\r\nProgram A;1.000,00;500\r\n".as_bytes();
    let unit = unit_with(
        dir.path(),
        &[
            ("rusak.xlsx", b"PK\x03\x04 this is not really a workbook"),
            ("terpotong.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
            ("baik.csv", good),
            ("catatan.docx", b"not data"),
            ("~$baik.xlsx", b"Excel owner file"),
        ],
    );
    for opts in [options(), isolated()] {
        let ingested = ingest::ingest_unit(&unit, None, &opts).unwrap();
        let unreadable: Vec<&str> = ingested
            .findings
            .iter()
            .filter(|f| f.rule == Rule::InputUnreadable)
            .map(|f| &*f.sources[0].file)
            .collect();
        assert_eq!(unreadable, vec!["rusak.xlsx", "terpotong.xls"]);
        assert_eq!(ingested.budget.len(), 1, "the good file is still read");
        let names: Vec<&str> = ingested.files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(
            names,
            vec!["baik.csv", "catatan.docx", "rusak.xlsx", "terpotong.xls"],
            "owner files are not data; everything else is listed"
        );
        let docx = ingested
            .files
            .iter()
            .find(|f| f.file == "catatan.docx")
            .unwrap();
        assert!(
            docx.not_read.is_some(),
            "a non-data file is listed with its reason"
        );
    }
}

#[test]
fn a_zip_bomb_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.xlsx");
    {
        let file = std::fs::File::create(&path).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..1100 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 5 * 1024 * 1024, "a small file ({size} bytes)");
    for opts in [options(), isolated()] {
        let (report, part) = ingest::ingest_file(&path, "bom.xlsx", None, &opts);
        assert!(report.not_read.as_deref().unwrap().contains("zip bomb"));
        assert_eq!(part.findings[0].rule, Rule::InputUnreadable);
    }
}

#[test]
fn a_sheet_that_fits_no_kind_is_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Catatan Rapat").unwrap();
    sheet
        .write_string(0, 0, "Rapat koordinasi tanggal 3 Maret")
        .unwrap();
    sheet.write_string(1, 0, "Hadir 12 orang").unwrap();
    let path = dir.path().join("c.xlsx");
    book.save(&path).unwrap();
    let (report, part) = ingest::ingest_file(&path, "c.xlsx", None, &options());
    assert_eq!(report.sheets[0].kind, None);
    let f = &part.findings[0];
    assert_eq!(f.rule, Rule::InputUnreadable);
    assert_eq!(&*f.sources[0].sheet, "Catatan Rapat");
}

/// A SIMDA Keuangan realisasi report and a SIPD-RI realisasi-per-akun export, with the header
/// wordings those systems print (collected from their published layouts: SIMDA's LRA and
/// pengawasan anggaran, SIPD-RI's "Kode Akun | Nama Akun | Pagu | Realisasi | Persen"): every
/// column is either read into the figures or reported as COLUMN-UNREAD at its header cell.
#[test]
fn a_sipd_or_simda_export_has_every_column_used_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let simda = book.add_worksheet().set_name("LRA SIMDA 2023").unwrap();
    let headers = [
        "Kode Rekening",
        "Uraian",
        "Anggaran Murni",
        "Anggaran Setelah Perubahan",
        "Realisasi s.d. Desember",
        "Realisasi s.d. Triwulan III",
        "Sisa Anggaran",
        "% Capaian",
        "Sumber Dana",
        "Realisasi Fisik ( % )",
        "Keterangan",
    ];
    for (c, h) in headers.iter().enumerate() {
        simda.write_string(0, c as u16, *h).unwrap();
    }
    simda.write_string(1, 0, "7.01.02").unwrap();
    simda
        .write_string(1, 1, "Program Penyelenggaraan Pemerintahan")
        .unwrap();
    for (c, v) in [
        (2, 900.0),
        (3, 1000.0),
        (4, 800.0),
        (5, 600.0),
        (6, 200.0),
        (7, 80.0),
    ] {
        simda.write_number(1, c, v).unwrap();
    }
    simda.write_string(1, 8, "APBD").unwrap();
    simda.write_number(1, 9, 95.0).unwrap();
    simda.write_string(1, 10, "sesuai").unwrap();
    // A figure with no header at all, in column L.
    simda.write_number(1, 11, 12.0).unwrap();
    let sipd = book.add_worksheet().set_name("SIPD 2023").unwrap();
    for (c, h) in [
        "No",
        "Kode Akun",
        "Nama Akun",
        "Pagu",
        "Realisasi",
        "Persen",
    ]
    .iter()
    .enumerate()
    {
        sipd.write_string(0, c as u16, *h).unwrap();
    }
    sipd.write_number(1, 0, 1.0).unwrap();
    sipd.write_string(1, 1, "7.01.03").unwrap();
    sipd.write_string(1, 2, "Program Pemberdayaan Masyarakat")
        .unwrap();
    sipd.write_number(1, 3, 500.0).unwrap();
    sipd.write_number(1, 4, 250.0).unwrap();
    sipd.write_number(1, 5, 50.0).unwrap();
    let path = dir.path().join("ekspor.xlsx");
    book.save(&path).unwrap();

    let (report, part) = ingest::ingest_file(&path, "ekspor.xlsx", None, &options());
    assert!(report.sheets.iter().all(|s| s.used), "{report:?}");
    let figures = |row: usize| -> Vec<(renstra::model::Role, i32, CellValue, String)> {
        part.budget[row]
            .figures
            .iter()
            .map(|f| (f.role, f.year, f.value.clone(), f.source.a1()))
            .collect()
    };
    use renstra::model::Role::{Anggaran, Rasio, Realisasi};
    // SIMDA: the revised budget (D), the full-year realisasi (E) and the stated % (H).
    assert_eq!(
        figures(0),
        vec![
            (Anggaran, 2023, CellValue::Number(dec!(1000)), "D2".into()),
            (Realisasi, 2023, CellValue::Number(dec!(800)), "E2".into()),
            (Rasio, 2023, CellValue::Number(dec!(80)), "H2".into()),
        ]
    );
    assert_eq!(part.budget[0].kode_text, "7.01.02");
    assert_eq!(part.budget[0].keterangan, "sesuai");
    // SIPD-RI: Pagu, Realisasi and Persen.
    assert_eq!(
        figures(1),
        vec![
            (Anggaran, 2023, CellValue::Number(dec!(500)), "D2".into()),
            (Realisasi, 2023, CellValue::Number(dec!(250)), "E2".into()),
            (Rasio, 2023, CellValue::Number(dec!(50)), "F2".into()),
        ]
    );
    assert_eq!(part.budget[1].uraian, "Program Pemberdayaan Masyarakat");
    // Every other SIMDA column is reported where its header is, with what it holds.
    let unread: Vec<(String, Severity, bool)> = part
        .findings
        .iter()
        .filter(|f| f.rule == Rule::ColumnUnread)
        .map(|f| {
            (
                format!("{} {}", f.sources[0].sheet, f.sources[0].a1()),
                f.severity,
                f.message.contains("isinya: 1 angka") || f.message.contains("isinya: 1 teks"),
            )
        })
        .collect();
    assert_eq!(
        unread,
        vec![
            ("LRA SIMDA 2023 C1".into(), Severity::Info, true),
            ("LRA SIMDA 2023 F1".into(), Severity::Warning, true),
            ("LRA SIMDA 2023 G1".into(), Severity::Info, true),
            ("LRA SIMDA 2023 I1".into(), Severity::Warning, true),
            ("LRA SIMDA 2023 J1".into(), Severity::Warning, true),
            ("LRA SIMDA 2023 L2".into(), Severity::Warning, true),
        ]
    );
    let message = |a1: &str| {
        part.findings
            .iter()
            .find(|f| f.rule == Rule::ColumnUnread && f.sources[0].a1() == a1)
            .map(|f| f.message.clone())
            .unwrap()
    };
    assert!(message("C1").contains("sebelum perubahan"));
    assert!(message("F1").contains("sampai sebelum akhir tahun"));
    assert!(message("G1").contains("sisa anggaran"));
    assert!(
        message("I1").contains("\"Sumber Dana\" tidak dikenali")
            && message("I1").contains("\"APBD\"")
    );
    assert!(message("L2").contains("(tanpa judul)"));
}
