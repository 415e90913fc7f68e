//! `tabel-renstra.xlsx` and the table CSVs of the sample unit, read back as a user's tools read
//! them: with calamine (values as cached, formulas, merged ranges), with IronCalc (an independent
//! spreadsheet engine that recalculates every formula), and with Python's openpyxl when it is
//! installed (number formats). Expected figures come from the tidy export or are worked out in
//! the test itself, never from the table code under test.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use renstra::ingest::IngestOptions;
use renstra::pipeline;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One build of the sample (the bundled sample is trusted: read in-process).
use crate::common::{BUILT, read_csv};

fn out_dir() -> &'static Path {
    BUILT.0.path()
}

fn xlsx_path() -> PathBuf {
    out_dir().join("tabel-renstra.xlsx")
}

fn book() -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(xlsx_path()).expect("tabel-renstra.xlsx opens")
}

/// The sheets the issue lists, each with the header texts that identify its official layout.
const SHEETS: [(&str, &[&str]); 16] = [
    ("Tabel 1", &["Kategori", "Uraian", "L", "P", "Jumlah"]),
    ("Tabel 2", &["Jenis", "Jumlah", "Satuan"]),
    (
        "T-C.23",
        &[
            "Indikator Kinerja sesuai Tugas dan Fungsi Perangkat Daerah",
            "Target NSPK",
            "Target IKK",
            "Target Indikator Lainnya",
            "Target Renstra Perangkat Daerah Tahun",
            "Realisasi Capaian Tahun",
            "Rasio Capaian pada Tahun (%)",
        ],
    ),
    (
        "T-C.24",
        &[
            "Kode",
            "Uraian",
            "Lokasi",
            "Anggaran pada Tahun ke-",
            "Realisasi Anggaran pada Tahun ke-",
            "Rata-rata Pertumbuhan (%)",
        ],
    ),
    ("Tabel 10", &["Indikator Kinerja Utama"]),
    (
        "T-C.25",
        &[
            "Tujuan",
            "Sasaran",
            "Indikator Tujuan/Sasaran",
            "Target Kinerja Tujuan/Sasaran pada Tahun",
            "Target Akhir Renstra (2026)",
        ],
    ),
    ("Matriks SWOT", &["Kuadran", "Strategi"]),
    ("SWOT Kekuatan", &["NU", "BF", "NU x BF"]),
    ("SWOT Kelemahan", &["NU", "BF", "NU x BF"]),
    ("SWOT Peluang", &["NU", "BF", "NU x BF"]),
    ("SWOT Ancaman", &["NU", "BF", "NU x BF"]),
    ("Skor Strategi SWOT", &["Uraian", "Jumlah"]),
    (
        "T-C.26",
        &["Tujuan", "Sasaran", "Strategi", "Arah Kebijakan"],
    ),
    (
        "T-C.27",
        &[
            "Kode",
            "Program / Kegiatan / Sub Kegiatan",
            "Indikator Kinerja",
            "Data Capaian pada Tahun Awal Perencanaan",
            "Tahun 2025",
            "Tahun 2026",
            "Kondisi Kinerja pada Akhir Periode Renstra (2026)",
            "Unit Kerja Penanggung Jawab",
            "Lokasi",
        ],
    ),
    (
        "T-C.28",
        &[
            "Indikator",
            "Kondisi Kinerja pada Awal Periode",
            "Target Capaian Setiap Tahun",
            "Kondisi Kinerja pada Akhir Periode (2026)",
        ],
    ),
    (
        "Temuan",
        &["Tingkat", "Aturan", "Berkas", "Lembar", "Sel", "Pesan"],
    ),
];

/// The sheet's header texts (rows 5-6) and its column-number row.
fn header_and_numbers(range: &calamine::Range<Data>, sheet: &str) -> (Vec<String>, Vec<Data>) {
    if sheet == "Temuan" {
        let h = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        return (h, Vec::new());
    }
    let rows: Vec<&[Data]> = range.rows().collect();
    // Title lines at rows 1-3, a blank, the header from row 5; the number row starts with 1.
    let numbers_at = rows
        .iter()
        .position(|r| r.first() == Some(&Data::Float(1.0)) && r.get(1) == Some(&Data::Float(2.0)))
        .unwrap_or_else(|| panic!("{sheet}: no column-number row"));
    let header = rows[4..numbers_at]
        .iter()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .filter(|t| !t.is_empty())
        .collect();
    (header, rows[numbers_at].to_vec())
}

#[test]
fn every_table_has_its_sheet_header_and_column_numbers() {
    let mut book = book();
    let names = book.sheet_names();
    for (sheet, headers) in SHEETS {
        assert!(
            names.contains(&sheet.to_string()),
            "sheet {sheet} missing: {names:?}"
        );
        assert!(sheet.len() <= 31);
        let range = book.worksheet_range(sheet).unwrap();
        let (header, numbers) = header_and_numbers(&range, sheet);
        for h in headers {
            assert!(
                header.iter().any(|x| x == h),
                "{sheet}: header {h:?} not in {header:?}"
            );
        }
        if sheet != "Temuan" {
            let width = range.width();
            let expected: Vec<Data> = (1..=width).map(|i| Data::Float(i as f64)).collect();
            assert_eq!(numbers, expected, "{sheet}: column numbers 1..{width}");
        }
    }
}

#[test]
fn header_groups_are_merged_over_their_years() {
    let mut book = book();
    let mut merges = |sheet: &str| -> Vec<(u32, u32, u32, u32)> {
        book.merge_cells_by_sheet_name(sheet)
            .unwrap()
            .iter()
            .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
            .collect()
    };
    // T-C.24: 3 text columns, then 5 years of anggaran over columns D-H (3..=7) in header row 5.
    let tc24 = merges("T-C.24");
    assert!(tc24.contains(&(4, 3, 4, 7)), "{tc24:?}");
    // "Kode" spans both header rows.
    assert!(tc24.contains(&(4, 0, 5, 0)), "{tc24:?}");
    // T-C.27: each plan year is a group of two columns (Target, Rp).
    let mut book2 = self::book();
    let range = book2.worksheet_range("T-C.27").unwrap();
    let col_2025 = range
        .rows()
        .nth(4)
        .unwrap()
        .iter()
        .position(|c| *c == "Tahun 2025")
        .unwrap() as u32;
    assert!(merges("T-C.27").contains(&(4, col_2025, 4, col_2025 + 1)));
    let sub = range.rows().nth(5).unwrap();
    assert_eq!(sub[col_2025 as usize].to_string(), "Target");
    assert_eq!(sub[col_2025 as usize + 1].to_string(), "Rp");
}

#[test]
fn tc24_figures_and_cached_ratios_equal_the_tidy_export() {
    let tidy = read_csv(&out_dir().join("data").join("anggaran-realisasi.csv"));
    let mut book = book();
    let range = book.worksheet_range("T-C.24").unwrap();
    let formulas = book.worksheet_formula("T-C.24").unwrap();
    let years = [2019, 2020, 2021, 2022, 2023];
    // Sheet rows by (kode, uraian, lokasi); only lines that occur once are compared.
    let mut by_key: HashMap<(String, String, String), Vec<u32>> = HashMap::new();
    for (i, r) in range.rows().enumerate().skip(7) {
        let key = (r[0].to_string(), r[1].to_string(), r[2].to_string());
        by_key.entry(key).or_default().push(i as u32);
    }
    let mut compared = 0;
    for t in &tidy {
        let key = (t["kode"].clone(), t["uraian"].clone(), t["lokasi"].clone());
        let Some([row]) = by_key.get(&key).map(Vec::as_slice) else {
            continue;
        };
        let year: i32 = t["tahun"].parse().unwrap();
        let y = years.iter().position(|x| *x == year).unwrap() as u32;
        let number = |col: u32| match range.get_value((*row, col)) {
            Some(Data::Float(f)) => Some(*f),
            _ => None,
        };
        // A malformed amount's confirmed reading is in the `_usulan` column; the sheet shows it
        // (marked) where the tidy figure is empty.
        // A program or kegiatan figure is the live sum of its children (checked by IronCalc in
        // an_independent_engine_recalculates_every_cached_value); the figures compared here are
        // the ones read from the workbook.
        let is_sum = |col: u32| {
            formulas
                .get_value((*row, col))
                .is_some_and(|f| f.contains("SUM("))
        };
        let tidy_number = |name: &str| {
            t[name]
                .parse::<f64>()
                .ok()
                .or_else(|| t[&format!("{name}_usulan")].parse::<f64>().ok())
        };
        if !is_sum(3 + y) {
            assert_eq!(
                number(3 + y),
                tidy_number("anggaran"),
                "{key:?} anggaran {year}"
            );
        }
        if !is_sum(8 + y) {
            assert_eq!(
                number(8 + y),
                tidy_number("realisasi"),
                "{key:?} realisasi {year}"
            );
        }
        // The ratio of the figures the sheet shows (a subtotal's are its sums).
        let shown_or_tidy = |col: u32, name: &str| {
            if is_sum(col) {
                number(col)
            } else {
                tidy_number(name)
            }
        };
        if let (Some(a), Some(r)) = (
            shown_or_tidy(3 + y, "anggaran"),
            shown_or_tidy(8 + y, "realisasi"),
        ) && a != 0.0
        {
            {
                let cached = number(13 + y).expect("a cached ratio");
                assert!((cached - r / a * 100.0).abs() < 1e-9 * cached.abs().max(1.0));
                let formula = formulas
                    .get_value((*row, 13 + y))
                    .cloned()
                    .unwrap_or_default();
                assert!(formula.contains("*100"), "{key:?} {year}: {formula}");
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} ratios compared");
}

/// Every formula cell of the workbook, recalculated by IronCalc, equals the value renstra cached.
#[test]
fn an_independent_engine_recalculates_every_cached_value() {
    let bytes = std::fs::read(xlsx_path()).unwrap();
    let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "tabel", "en", "UTC")
        .expect("IronCalc reads the workbook");
    let mut model = ironcalc::base::Model::from_workbook(workbook, "en").expect("model");
    model.evaluate();
    let mut book = book();
    let names = book.sheet_names();
    let mut compared = 0;
    for (index, name) in names.iter().enumerate() {
        let formulas = book.worksheet_formula(name).unwrap();
        let values = book.worksheet_range(name).unwrap();
        for (row, col, formula) in formulas.used_cells() {
            if formula.is_empty() {
                continue;
            }
            let (r, c) = (
                row as u32 + formulas.start().unwrap().0,
                col as u32 + formulas.start().unwrap().1,
            );
            let cached = values.get_value((r, c)).cloned().unwrap_or(Data::Empty);
            let recalculated = model
                .get_cell_value_by_index(index as u32, r as i32 + 1, c as i32 + 1)
                .unwrap();
            use ironcalc::base::cell::CellValue as V;
            match (&cached, &recalculated) {
                (Data::Float(a), V::Number(b)) => assert!(
                    (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                    "{name}!{}: cached {a}, recalculated {b} ({formula})",
                    renstra::model::a1(r, c)
                ),
                (Data::Empty, V::String(s)) | (Data::String(_), V::String(s)) if s.is_empty() => {}
                (Data::String(a), V::String(b)) => assert_eq!(a, b),
                other => panic!(
                    "{name}!{}: cached and recalculated differ: {other:?} ({formula})",
                    renstra::model::a1(r, c)
                ),
            }
            compared += 1;
        }
    }
    assert!(compared > 500, "only {compared} formulas compared");
}

#[test]
fn derived_cells_of_every_kind_are_formulas() {
    let mut book = book();
    let count = |book: &mut Xlsx<_>, sheet: &str, needle: &str| {
        book.worksheet_formula(sheet)
            .unwrap()
            .used_cells()
            .filter(|(_, _, f)| f.contains(needle))
            .count()
    };
    // T-C.23 capaian: realisasi / target × 100, one per indicator and year.
    assert!(count(&mut book, "T-C.23", "*100") >= 10);
    // T-C.27: the period's Rp as the sum of the years, and the JUMLAH row.
    assert!(count(&mut book, "T-C.27", "SUM(") >= 20);
    // T-C.25 and T-C.28: end targets follow the last year's.
    assert!(count(&mut book, "T-C.25", "ISNUMBER(") >= 5);
    assert!(count(&mut book, "T-C.28", "ISNUMBER(") >= 3);
    // Tabel 1: Jumlah = L + P; SWOT: NU × BF and the stated totals.
    assert!(count(&mut book, "Tabel 1", "SUM(") >= 15);
    assert!(count(&mut book, "SWOT Kekuatan", "*") >= 5);
    assert!(count(&mut book, "SWOT Kekuatan", "SUM(") >= 1);
}

#[test]
fn a_finding_links_to_the_exact_cell_it_concerns() {
    let mut book = book();
    let temuan = book.worksheet_range("Temuan").unwrap();
    // Seed TC.24 2022 anggaran of "Kegiatan Administrasi Keuangan": `9.177,12.814,00`, cell F81
    // (three readings fit its ratio, none is proposed, so the sheet keeps the text).
    let row = temuan
        .rows()
        .find(|r| r.get(5).is_some_and(|c| *c == "F81"))
        .expect("the finding on F81");
    let link = row[9].to_string();
    let cell = link.strip_prefix("T-C.24 ").expect("a link into T-C.24");
    let (col, r) = cell.split_at(cell.find(|c: char| c.is_ascii_digit()).unwrap());
    // Anggaran 2022 is the fourth anggaran column, G.
    assert_eq!(col, "G");
    let tc24 = book.worksheet_range("T-C.24").unwrap();
    let r: u32 = r.parse().unwrap();
    assert_eq!(
        tc24.get_value((r - 1, 6)),
        Some(&Data::String("9.177,12.814,00".into()))
    );
    // E81 of the same row, `10.933,294.372,00`, is proposed as 10.933.294.372 (see the repairs
    // tests): a number in the sheet, which the Temuan row links to as well.
    assert_eq!(
        tc24.get_value((r - 1, 5)),
        Some(&Data::Float(10_933_294_372.0))
    );
    assert_eq!(
        tc24.get_value((r - 1, 1)).map(|c| c.to_string()),
        Some("Kegiatan Administrasi Keuangan Perangkat Daerah".into())
    );
}

#[test]
fn every_table_has_a_csv_with_flat_headers_and_machine_numbers() {
    for (sheet, _) in SHEETS.iter().filter(|(s, _)| *s != "Temuan") {
        let path = out_dir().join("csv").join(format!("{sheet}.csv"));
        let bytes = std::fs::read(&path).unwrap_or_else(|_| panic!("{path:?}"));
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{sheet}: BOM");
    }
    let tc24 = read_csv(&out_dir().join("csv").join("T-C.24.csv"));
    let first = &tc24[0];
    for key in [
        "Anggaran 2021",
        "Realisasi 2021",
        "Rasio 2021",
        "Pertumbuhan Anggaran",
    ] {
        assert!(first.contains_key(key), "{key}");
    }
    // Numbers in machine form: no thousands dots, a decimal point.
    let kegiatan = tc24
        .iter()
        .find(|r| {
            r["Uraian"]
                == "Kegiatan Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan"
        })
        .unwrap();
    assert_eq!(kegiatan["Anggaran 2021"], "872900400");
    assert_eq!(kegiatan["Rasio 2021"], "96.33");
    let tc27 = read_csv(&out_dir().join("csv").join("T-C.27.csv"));
    assert!(tc27[0].contains_key("Rp 2025") && tc27[0].contains_key("Rp Akhir"));
}

/// Number formats, as openpyxl reports them (skipped with a message when python3 or openpyxl is
/// missing; `.ci/run` installs openpyxl).
#[test]
fn amounts_are_numbers_with_indonesian_ready_formats() {
    let script = r###"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["T-C.24"]
bad = []
money = 0
for row in ws.iter_rows(min_row=8, max_row=ws.max_row - 2):
    for cell in row[3:13]:
        if cell.value is None or cell.data_type == "s":
            continue
        money += 1
        if cell.number_format != "#,##0.00" or cell.data_type not in ("n", "f"):
            bad.append((cell.coordinate, cell.number_format, cell.data_type))
    for cell in row[13:20]:
        if cell.data_type == "f" and not cell.number_format.endswith('"%"'):
            bad.append((cell.coordinate, cell.number_format))
print(money, len(bad), bad[:5])
assert ws.page_setup.orientation == "landscape", ws.page_setup.orientation
assert ws.freeze_panes == "A8", ws.freeze_panes
assert ws.print_title_rows == "$5:$7", ws.print_title_rows
"###;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(xlsx_path())
        .output();
    let Ok(out) = out else {
        eprintln!("python3 not found: number formats not checked by openpyxl");
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'openpyxl'") {
        eprintln!("openpyxl not installed: number formats not checked");
        return;
    }
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut parts = stdout.split_whitespace();
    let money: usize = parts.next().unwrap().parse().unwrap();
    let bad: usize = parts.next().unwrap().parse().unwrap();
    // 98 lines × 10 amount columns, most of 2019 and all of 2020 blank in the seed.
    assert!(money > 200, "{stdout}");
    assert_eq!(bad, 0, "{stdout}");
}

#[test]
fn two_builds_give_byte_identical_workbooks_and_csvs() {
    let again = tempfile::tempdir().unwrap();
    pipeline::build_unit(
        &root().join("input").join("kecamatan-kanigaran"),
        again.path(),
        &root().join("templates"),
        &IngestOptions::default(),
    )
    .unwrap();
    let mut files = vec![PathBuf::from("tabel-renstra.xlsx")];
    for entry in std::fs::read_dir(out_dir().join("csv")).unwrap() {
        files.push(PathBuf::from("csv").join(entry.unwrap().file_name()));
    }
    assert!(files.len() >= 17);
    for f in files {
        let (a, b) = (
            std::fs::read(out_dir().join(&f)).unwrap(),
            std::fs::read(again.path().join(&f)).unwrap(),
        );
        assert!(a == b, "{f:?} differs between two builds");
    }
}

/// Each sheet of a workbook with its worksheet XML, in workbook order, and the workbook's
/// defined names (`name`, `localSheetId`), read straight from the file's zip.
/// A sheet's name and its worksheet XML.
type SheetXml = (String, String);
/// A defined name and the index of the sheet it belongs to.
type DefinedName = (String, usize);

fn sheet_xml(path: &Path) -> (Vec<SheetXml>, Vec<DefinedName>) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let workbook = read("xl/workbook.xml");
    let names: Vec<String> = workbook
        .split("<sheet ")
        .skip(1)
        .map(|s| {
            let start = s.find("name=\"").unwrap() + 6;
            s[start..start + s[start..].find('"').unwrap()].to_string()
        })
        .collect();
    let defined = workbook
        .split("<definedName ")
        .skip(1)
        .filter_map(|d| {
            let name_at = d.find("name=\"")? + 6;
            let name = d[name_at..name_at + d[name_at..].find('"')?].to_string();
            let id_at = d.find("localSheetId=\"")? + 14;
            let id = d[id_at..id_at + d[id_at..].find('"')?].parse().ok()?;
            Some((name, id))
        })
        .collect();
    let sheets = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| (name, read(&format!("xl/worksheets/sheet{}.xml", i + 1))))
        .collect();
    (sheets, defined)
}

/// Every sheet of both workbooks prints: a print area and repeated header rows, a page setup
/// with the unit's paper (F4, Excel's code 14), an orientation and a scale of at least 60 %,
/// margins, and a footer with the unit's name and the page number.
#[test]
fn every_sheet_of_both_workbooks_has_a_page_setup() {
    for file in ["tabel-renstra.xlsx", "lampiran-berita-acara.xlsx"] {
        let (sheets, defined) = sheet_xml(&out_dir().join(file));
        assert!(sheets.len() >= 5, "{file}: {} sheets", sheets.len());
        for (i, (name, xml)) in sheets.iter().enumerate() {
            let setup = xml
                .split("<pageSetup ")
                .nth(1)
                .unwrap_or_else(|| panic!("{file} › {name} has no page setup"));
            let setup = &setup[..setup.find("/>").unwrap()];
            assert!(
                setup.contains("paperSize=\"14\""),
                "{file} › {name}: {setup}"
            );
            assert!(setup.contains("orientation=\""), "{file} › {name}: {setup}");
            // Without a scale attribute a sheet prints at 100 % (ECMA-376, CT_PageSetup).
            let scale: u32 = setup
                .split(" scale=\"")
                .nth(1)
                .map_or(100, |s| s[..s.find('"').unwrap()].parse().unwrap());
            assert!(
                !setup.contains("fitToWidth"),
                "{file} › {name}: fit to pages, no floor"
            );
            assert!(
                (60..=100).contains(&scale),
                "{file} › {name}: scale {scale}"
            );
            assert!(xml.contains("<pageMargins "), "{file} › {name}: no margins");
            assert!(
                xml.contains("<oddFooter>&amp;LKecamatan Kanigaran&amp;RHalaman &amp;P dari &amp;N</oddFooter>"),
                "{file} › {name}: no footer"
            );
            for wanted in ["_xlnm.Print_Area", "_xlnm.Print_Titles"] {
                assert!(
                    defined.iter().any(|(n, id)| n == wanted && *id == i),
                    "{file} › {name} has no {wanted}"
                );
            }
        }
    }
}

/// T-C.24 is too wide for one page at a readable scale: by hand, its widths (18 + 60 + 22
/// characters of names, 10 × 16 of amounts, 7 × 10 of ratios) print at 0,75 × (7 × 330 + 5 × 20)
/// = 1.807,5 points, against the 877,8 points of an F4 landscape page less 0,8 inch of margins: it
/// would need 49 %. So it prints at 60 % in landscape, across pages that begin at a column group,
/// with Kode and Uraian repeated on each.
#[test]
fn tc24_prints_across_pages_at_a_readable_scale() {
    let (sheets, defined) = sheet_xml(&out_dir().join("tabel-renstra.xlsx"));
    let (i, (_, xml)) = sheets
        .iter()
        .enumerate()
        .find(|(_, (name, _))| name == "T-C.24")
        .unwrap();
    assert!(xml.contains("scale=\"60\"") && xml.contains("orientation=\"landscape\""));
    // Anggaran's five years are columns D-H (3-7): the second page starts at Realisasi, column 8.
    assert!(xml.contains("<colBreaks count=\"1\" manualBreakCount=\"1\"><brk id=\"8\""));
    assert!(
        defined
            .iter()
            .any(|(n, id)| n == "_xlnm.Print_Titles" && *id == i)
    );
    let workbook = {
        use std::io::Read;
        let file = std::fs::File::open(out_dir().join("tabel-renstra.xlsx")).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut text = String::new();
        zip.by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    // Kode and Uraian (A:B) on every page across; the title-less header rows 5-7 (two header
    // rows and the column numbers under the three title lines and a blank) on every page down.
    assert!(
        workbook.contains(&format!(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">'T-C.24'!$A:$B,'T-C.24'!$5:$7<"
        )),
        "the naming columns and the header rows repeat"
    );
}

/// Printed by LibreOffice (an independent program), T-C.24's text is at least 60 % of its
/// 11 points: poppler measures every word of its pages at least 6,5 points high.
#[test]
fn libreoffice_prints_tc24_at_a_readable_size() {
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "LibreOffice (soffice) is not installed: the printed scale of T-C.24 is not checked"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let converted = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(out_dir().join("tabel-renstra.xlsx"))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let pdf = dir.path().join("tabel-renstra.pdf");
    assert!(pdf.is_file(), "{converted:?}");
    let Ok(bbox) = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdf)
        .arg("-")
        .output()
    else {
        eprintln!("pdftotext (poppler-utils) is not installed: the printed scale is not checked");
        return;
    };
    let text = String::from_utf8_lossy(&bbox.stdout);
    let pages: Vec<&str> = text.split("<page ").skip(1).collect();
    let tc24: Vec<&&str> = pages
        .iter()
        .filter(|p| p.contains(">T-C.24<") || p.contains(">7.01.03.2.02.0002<"))
        .collect();
    assert!(!tc24.is_empty(), "T-C.24's pages are found");
    let mut heights: Vec<f64> = tc24
        .iter()
        .flat_map(|p| p.split("<word ").skip(1))
        .filter_map(|w| {
            let num = |name: &str| -> Option<f64> {
                let at = w.find(&format!("{name}=\""))? + name.len() + 2;
                w[at..at + w[at..].find('"')?].parse().ok()
            };
            Some(num("yMax")? - num("yMin")?)
        })
        .collect();
    heights.sort_by(f64::total_cmp);
    let smallest = heights[heights.len() / 20];
    assert!(
        smallest >= 6.5,
        "5 % of T-C.24's words are under {smallest:.2} points high"
    );
}

/// Every CSV renstra writes starts with a UTF-8 BOM, so a spreadsheet shows `›` as written
/// instead of `â€º`.
#[test]
fn every_csv_carries_a_utf8_bom() {
    let mut csvs = vec![
        out_dir().join("temuan.csv"),
        out_dir().join("data/anggaran-realisasi.csv"),
    ];
    for entry in std::fs::read_dir(out_dir().join("csv")).unwrap() {
        csvs.push(entry.unwrap().path());
    }
    assert!(csvs.len() > 10, "{} CSV files", csvs.len());
    for path in csvs {
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{} has no BOM",
            path.display()
        );
    }
}

/// A number in a column of words is still a number: Tabel 10's target 84,25 (a number cell in
/// `tujuan-sasaran-iku.xlsx`, beside targets written "100%") and its row number are stored as
/// numbers in the workbook and printed with the decimal comma in the PDF.
#[test]
fn numbers_in_mixed_columns_stay_numbers() {
    let mut book = book();
    let range = book.worksheet_range("Tabel 10").unwrap();
    let row = range
        .rows()
        .find(|r| r.iter().any(|c| *c == "Indeks Kepuasan Masyarakat"))
        .expect("the IKM row");
    assert_eq!(row[0], Data::Float(1.0));
    assert!(row.contains(&Data::Float(84.25)), "{row:?}");
    assert!(row.contains(&Data::Float(85.0)), "{row:?}");
    // The seed's Tabel 10 writes the administration indicator's targets as "100%": a number
    // (100, the percent figure as the column's 84,25 is) whose format carries the sign.
    let row = range
        .rows()
        .find(|r| {
            r.iter()
                .any(|c| c.to_string().starts_with("Persentase Capaian Pengelolaan"))
        })
        .expect("the administration row");
    assert_eq!(
        row.iter().filter(|c| **c == Data::Float(100.0)).count(),
        2,
        "{row:?}"
    );
    // Row numbers are numbers in every table that has a "No" column: T-C.25's first tujuan and
    // the SWOT factors (1, 2, …).
    for sheet in ["T-C.25", "SWOT Kekuatan", "T-C.28"] {
        let range = book.worksheet_range(sheet).unwrap();
        let numbers: Vec<&Data> = range
            .rows()
            .skip(7)
            .map(|r| &r[0])
            .filter(|c| !matches!(c, Data::Empty))
            // The legend under the table.
            .filter(|c| !c.to_string().starts_with("Sel merah"))
            .collect();
        assert!(
            !numbers.is_empty() && numbers.iter().all(|c| matches!(c, Data::Float(_))),
            "{sheet}: {numbers:?}"
        );
    }
    let script = r#"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Tabel 10"]
print(sorted({c.number_format for r in ws.iter_rows() for c in r if c.value == 100}))
"#;
    match std::process::Command::new("python3")
        .args(["-c", script])
        .arg(xlsx_path())
        .output()
    {
        Ok(out) if out.status.success() => {
            let formats = String::from_utf8_lossy(&out.stdout);
            assert_eq!(formats.trim(), r#"['#,##0"%"']"#);
        }
        _ => eprintln!("python3 with openpyxl not found: the percent format is not checked"),
    }
    let pdf = out_dir().join("renstra.pdf");
    if let Ok(out) = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("84,25") && !text.contains("84.25"));
        assert!(text.contains("100%"), "the percentage prints with its sign");
    } else {
        eprintln!(
            "pdftotext (poppler-utils) is not installed: the PDF's decimal comma not checked"
        );
    }
}

/// Every finding about a workbook cell links into the tables (only a finding about the narrative
/// has none), and a PLAN-TOTAL finding lands on T-C.27's end-of-period Rp, column N: after
/// Tujuan, Sasaran, Kode, Program, Indikator, Satuan (A-F), the baselines 2022-2023 (G-H), target
/// and Rp of 2025 (I-J) and 2026 (K-L), and the end-of-period target (M).
#[test]
fn every_finding_on_a_workbook_cell_links_to_its_table_cell() {
    let mut book = book();
    let temuan = book.worksheet_range("Temuan").unwrap();
    let mut plan_total = 0;
    for row in temuan.rows().skip(1) {
        let (rule, file, link) = (row[2].to_string(), row[3].to_string(), row[9].to_string());
        if file.starts_with("naskah/") || file == "renstra.toml" || file.is_empty() {
            continue;
        }
        if rule == "COLUMN-UNREAD" || rule == "INPUT-UNREADABLE" || rule == "SHEET-EMPTY" {
            continue;
        }
        assert!(
            !link.is_empty(),
            "{rule} at {file} › {} has no link",
            row[5]
        );
        if rule == "PLAN-TOTAL" {
            plan_total += 1;
            let cell = link.strip_prefix("T-C.27 ").expect("a link into T-C.27");
            assert!(
                cell.starts_with('N') && cell[1..].parse::<u32>().is_ok(),
                "{link}"
            );
        }
    }
    assert!(plan_total > 10, "{plan_total} PLAN-TOTAL findings");
}

/// The legend under a table wraps within the columns of its first printed page: Tabel 1 has six
/// columns (No, Kategori, Uraian, L, P, Jumlah, A-F) on one portrait page, so the legend's cell
/// is merged over A-F on its row. Before, it was one cell in column A that ran off the printed
/// page (seen in LibreOffice's printout of the sample: the sentence cut after "(?); satu").
#[test]
fn the_legend_wraps_within_the_first_pages_columns() {
    let mut book = book();
    let range = book.worksheet_range("Tabel 1").unwrap();
    let legend_row = range
        .rows()
        .position(|r| {
            r.first()
                .is_some_and(|c| c.to_string().starts_with("Sel merah"))
        })
        .expect("the legend") as u32;
    let merges: Vec<(u32, u32, u32, u32)> = book
        .merge_cells_by_sheet_name("Tabel 1")
        .unwrap()
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    assert!(
        merges.contains(&(legend_row, 0, legend_row, 5)),
        "{legend_row} {merges:?}"
    );
}
