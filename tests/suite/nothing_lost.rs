//! Nothing is lost, as a property: for 64 generated units per run — random trees of programs, kegiatan and
//! sub kegiatan, in random layouts among those ingest supports (xlsx with numbers or with
//! Indonesian number text, `;` or `,` CSV, title rows, shuffled columns), some cells made
//! malformed — every figure written is either in the tidy export with exactly its value, or in a
//! finding naming its cell with its raw text; every sheet's row accounting balances; and the
//! input files are unchanged (SHA-256 before and after).

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use renstra::pipeline;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const YEARS: [i32; 5] = [2019, 2020, 2021, 2022, 2023];

/// One generated line: code, name, and per year (anggaran, realisasi) as written.
#[derive(Debug, Clone)]
struct Line {
    kode: String,
    uraian: String,
    figures: Vec<(Cell, Cell)>,
}

/// A figure as written in the file.
#[derive(Debug, Clone)]
enum Cell {
    /// A valid amount.
    Amount(Decimal),
    /// Text that is not a valid amount, e.g. two decimal commas.
    Malformed(String),
}

#[derive(Debug, Clone, Copy)]
enum Format {
    XlsxNumbers,
    XlsxText,
    CsvSemicolon,
    CsvComma,
}

#[derive(Debug, Clone)]
struct Layout {
    format: Format,
    title_rows: usize,
    /// A permutation of the column indices (0 kode, 1 uraian, then anggaran/realisasi by year).
    order: Vec<usize>,
}

fn amount() -> impl Strategy<Value = Decimal> {
    (1_000i64..5_000_000_000, 0i64..100)
        .prop_map(|(rupiah, sen)| Decimal::new(rupiah * 100 + sen, 2))
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        12 => amount().prop_map(Cell::Amount),
        1 => (1u32..999, 1u32..999).prop_map(|(a, b)| Cell::Malformed(format!("{a},{b}.000,5,00"))),
    ]
}

fn figures() -> impl Strategy<Value = Vec<(Cell, Cell)>> {
    proptest::collection::vec((cell(), cell()), YEARS.len())
}

/// Programs → kegiatan → sub kegiatan, with distinct codes, in document order.
fn tree() -> impl Strategy<Value = Vec<Line>> {
    proptest::collection::vec(
        proptest::collection::vec(proptest::collection::vec(figures(), 1..4), 1..3),
        1..3,
    )
    .prop_flat_map(|shape| {
        let lines: usize = shape
            .iter()
            .map(|p| 1 + p.iter().map(|k| 1 + k.len()).sum::<usize>())
            .sum();
        (Just(shape), proptest::collection::vec(figures(), lines))
    })
    .prop_map(|(shape, mut extra)| {
        let mut out = Vec::new();
        for (p, kegiatan) in shape.iter().enumerate() {
            let p = p + 2;
            out.push(Line {
                kode: format!("7.01.{p:02}"),
                uraian: format!("PROGRAM NOMOR {p}"),
                figures: extra.pop().unwrap_or_default(),
            });
            for (k, subs) in kegiatan.iter().enumerate() {
                let k = k + 1;
                out.push(Line {
                    kode: format!("7.01.{p:02}.2.{k:02}"),
                    uraian: format!("Kegiatan {p}.{k}"),
                    figures: extra.pop().unwrap_or_default(),
                });
                for (s, figs) in subs.iter().enumerate() {
                    let s = s + 1;
                    out.push(Line {
                        kode: format!("7.01.{p:02}.2.{k:02}.{s:04}"),
                        uraian: format!("Sub kegiatan {p}.{k}.{s}"),
                        figures: figs.clone(),
                    });
                }
            }
        }
        out
    })
}

fn layout() -> impl Strategy<Value = Layout> {
    let columns = 2 + 2 * YEARS.len();
    (
        prop_oneof![
            Just(Format::XlsxNumbers),
            Just(Format::XlsxText),
            Just(Format::CsvSemicolon),
            Just(Format::CsvComma),
        ],
        0usize..3,
        Just((0..columns).collect::<Vec<usize>>()).prop_shuffle(),
    )
        .prop_map(|(format, title_rows, order)| Layout {
            format,
            title_rows,
            order,
        })
}

fn header(column: usize) -> String {
    match column {
        0 => "Kode".into(),
        1 => "Uraian".into(),
        c => {
            let year = YEARS[(c - 2) / 2];
            if (c - 2) % 2 == 0 {
                format!("Anggaran {year}")
            } else {
                format!("Realisasi {year}")
            }
        }
    }
}

fn indonesian(d: Decimal) -> String {
    crate::common::indonesian(d, 2)
}

/// The text of column `column` of `line`, as the layout writes it.
fn text_of(line: &Line, column: usize, indonesian_numbers: bool) -> String {
    match column {
        0 => line.kode.clone(),
        1 => line.uraian.clone(),
        c => {
            let (a, r) = &line.figures[(c - 2) / 2];
            match if (c - 2) % 2 == 0 { a } else { r } {
                Cell::Amount(d) if indonesian_numbers => indonesian(*d),
                Cell::Amount(d) => d.to_string(),
                Cell::Malformed(t) => t.clone(),
            }
        }
    }
}

/// Writes the unit's budget file; returns its name and, per (kode, year, is_realisasi), the cell
/// (A1) where the figure was written.
fn write_unit(
    unit: &Path,
    lines: &[Line],
    layout: &Layout,
) -> (String, BTreeMap<(String, i32, bool), String>) {
    std::fs::create_dir_all(unit).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("input/kecamatan-kanigaran/renstra.toml"),
        unit.join("renstra.toml"),
    )
    .unwrap();
    let mut places = BTreeMap::new();
    let header_row = layout.title_rows;
    for (r, line) in lines.iter().enumerate() {
        let row = u32::try_from(header_row + 1 + r).unwrap();
        for (c, &column) in layout.order.iter().enumerate() {
            if column >= 2 {
                let year = YEARS[(column - 2) / 2];
                let is_realisasi = (column - 2) % 2 == 1;
                places.insert(
                    (line.kode.clone(), year, is_realisasi),
                    renstra::model::a1(row, u32::try_from(c).unwrap()),
                );
            }
        }
    }
    let name = match layout.format {
        Format::XlsxNumbers | Format::XlsxText => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet().set_name("Anggaran").unwrap();
            for t in 0..layout.title_rows {
                sheet
                    .write_string(
                        u32::try_from(t).unwrap(),
                        0,
                        format!("JUDUL TABEL BARIS {t}"),
                    )
                    .unwrap();
            }
            let hr = u32::try_from(header_row).unwrap();
            for (c, &column) in layout.order.iter().enumerate() {
                let c = u16::try_from(c).unwrap();
                sheet.write_string(hr, c, header(column)).unwrap();
                for (r, line) in lines.iter().enumerate() {
                    let row = hr + 1 + u32::try_from(r).unwrap();
                    let number = match column {
                        0 | 1 => None,
                        col => {
                            let (a, rl) = &line.figures[(col - 2) / 2];
                            match if (col - 2) % 2 == 0 { a } else { rl } {
                                Cell::Amount(d) if matches!(layout.format, Format::XlsxNumbers) => {
                                    Some(*d)
                                }
                                _ => None,
                            }
                        }
                    };
                    match number {
                        // Amounts with cents are exact in binary only to 15-17 digits; these
                        // (under 10^10 with two places) round-trip through f64's shortest form.
                        Some(d) => sheet.write_number(row, c, d.to_f64().unwrap()).map(|_| ()),
                        None => sheet
                            .write_string(row, c, text_of(line, column, true))
                            .map(|_| ()),
                    }
                    .unwrap();
                }
            }
            book.save(unit.join("anggaran.xlsx")).unwrap();
            "anggaran.xlsx".to_string()
        }
        Format::CsvSemicolon | Format::CsvComma => {
            let (delimiter, indonesian_numbers) = match layout.format {
                Format::CsvSemicolon => (b';', true),
                _ => (b',', false),
            };
            let mut w = csv::WriterBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .from_writer(Vec::new());
            for t in 0..layout.title_rows {
                w.write_record([format!("JUDUL TABEL BARIS {t}")]).unwrap();
            }
            w.write_record(layout.order.iter().map(|&c| header(c)))
                .unwrap();
            for line in lines {
                w.write_record(
                    layout
                        .order
                        .iter()
                        .map(|&c| text_of(line, c, indonesian_numbers)),
                )
                .unwrap();
            }
            std::fs::write(unit.join("anggaran.csv"), w.into_inner().unwrap()).unwrap();
            "anggaran.csv".to_string()
        }
    };
    (name, places)
}

fn hashes(unit: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(unit)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let (_, sha) = renstra::ingest::hash_file(&path).unwrap();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                sha,
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_figure_is_in_the_tidy_export_or_in_a_finding(lines in tree(), layout in layout()) {
        let dir = tempfile::tempdir().unwrap();
        let unit = dir.path().join("unit");
        let (file, places) = write_unit(&unit, &lines, &layout);
        let before = hashes(&unit);

        let checked = pipeline::check_unit(&unit, &Default::default()).unwrap();
        prop_assert_eq!(hashes(&unit), before, "inputs unchanged");

        // Row accounting balances, and every data row is a line.
        let report = checked.files.iter().find(|f| f.file == file).unwrap();
        prop_assert!(report.not_read.is_none(), "{:?}", report.not_read);
        for sheet in &report.sheets {
            let a = sheet.accounting.as_ref().unwrap();
            prop_assert!(a.balances(), "{}: {:?}", sheet.source, a);
            prop_assert_eq!(a.title, layout.title_rows);
            prop_assert_eq!(a.data, lines.len(), "{:?}", a);
        }

        // The tidy export, (kode, year) → (anggaran, realisasi) as written there.
        let tidy = renstra::export::csv::budget_tidy_csv(&checked.lines, &YEARS).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(&tidy[3..]); // after the BOM
        let mut exported: BTreeMap<(String, i32), (String, String)> = BTreeMap::new();
        for record in reader.records() {
            let r = record.unwrap();
            exported.insert(
                (r[0].to_string(), r[4].parse().unwrap()),
                (r[5].to_string(), r[6].to_string()),
            );
        }

        for line in &lines {
            for (y, (a, r)) in line.figures.iter().enumerate() {
                let year = YEARS[y];
                for (is_realisasi, cell) in [(false, a), (true, r)] {
                    let place = &places[&(line.kode.clone(), year, is_realisasi)];
                    match cell {
                        Cell::Amount(d) => {
                            let (ea, er) = exported
                                .get(&(line.kode.clone(), year))
                                .unwrap_or_else(|| panic!("{} {year} not exported", line.kode));
                            let got = if is_realisasi { er } else { ea };
                            prop_assert_eq!(
                                got.parse::<Decimal>().ok(),
                                Some(*d),
                                "{} {} {} at {}", line.kode, year, is_realisasi, place
                            );
                        }
                        Cell::Malformed(raw) => {
                            let named = checked.findings.iter().any(|f| {
                                f.sources.iter().any(|s| *s.file == *file && s.a1() == *place)
                                    && f.written.contains(raw.as_str())
                            });
                            prop_assert!(named, "{raw:?} at {place} has no finding");
                        }
                    }
                }
            }
        }
    }
}

/// An old and a revised copy of one workbook side by side: renstra names both files, uses
/// neither of the figures they disagree on, and the outcome is the same whichever name sorts
/// first.
#[test]
fn two_versions_of_one_workbook_are_named_and_neither_is_used_silently() {
    const CONFIG: &str = "[perangkat_daerah]\nnama = \"Kecamatan Uji\"\npemerintah_daerah = \"Kota Uji\"\nkode_bidang = \"7.01\"\n\n[periode]\nawal = 2025\nakhir = 2026\nevaluasi = [2021, 2022, 2023]\n\n[penandatangan]\njabatan = \"Camat Uji\"\nnama = \"NAMA UJI\"\nnip = \"19700103 199503 1 001\"\n\n[dokumen]\ntempat = \"Uji\"\ntanggal = \"2024\"\nkertas = \"A4\"\n";
    let old = "Kode;Uraian;Anggaran 2022;Realisasi 2022\r\n7.01.02;Program A;1.000,00;500,00\r\n7.01.03;Program B;2.000,00;1.500,00\r\n";
    // The revision changed Program A's anggaran only.
    let revised = "Kode;Uraian;Anggaran 2022;Realisasi 2022\r\n7.01.02;Program A;1.200,00;500,00\r\n7.01.03;Program B;2.000,00;1.500,00\r\n";
    let outcome = |old_name: &str, revised_name: &str| {
        let dir = tempfile::tempdir().unwrap();
        let unit = dir.path().join("uji");
        std::fs::create_dir_all(&unit).unwrap();
        std::fs::write(unit.join("renstra.toml"), CONFIG).unwrap();
        std::fs::write(unit.join(old_name), old).unwrap();
        std::fs::write(unit.join(revised_name), revised).unwrap();
        let checked = pipeline::check_unit(&unit, &Default::default()).unwrap();
        let a = checked
            .lines
            .iter()
            .find(|l| l.uraian == "Program A")
            .unwrap();
        let anggaran = a.years[&2022].anggaran.clone().unwrap().value;
        let b = checked
            .lines
            .iter()
            .find(|l| l.uraian == "Program B")
            .unwrap();
        let b_anggaran = b.years[&2022].anggaran.clone().unwrap().value;
        let conflicts: Vec<(renstra::model::Severity, String)> = checked
            .findings
            .iter()
            .filter(|f| f.rule == renstra::model::Rule::FigureConflict)
            .map(|f| (f.severity, f.message.clone()))
            .collect();
        (anggaran, b_anggaran, conflicts)
    };
    for (old_name, revised_name) in [
        ("anggaran.csv", "anggaran (final) revisi 2.csv"),
        ("z anggaran lama.csv", "anggaran.csv"),
    ] {
        let (anggaran, b_anggaran, conflicts) = outcome(old_name, revised_name);
        // Neither 1.000,00 nor 1.200,00 is Program A's anggaran; Program B agrees and is read.
        assert!(
            matches!(
                &anggaran,
                renstra::model::CellValue::Invalid {
                    reason: renstra::model::Malformed::Conflict,
                    ..
                }
            ),
            "{anggaran:?}"
        );
        assert_eq!(
            b_anggaran,
            renstra::model::CellValue::Number(Decimal::from(2000))
        );
        let error = conflicts
            .iter()
            .find(|(s, _)| *s == renstra::model::Severity::Error)
            .expect("a FIGURE-CONFLICT error for Program A");
        assert!(
            error.1.contains("1.000,00") && error.1.contains("1.200,00"),
            "{}",
            error.1
        );
        assert!(
            error.1.contains(old_name) && error.1.contains(revised_name),
            "{}",
            error.1
        );
        // The two files are named as versions of one another: 4 figures shared, 1 differs.
        let versions = conflicts
            .iter()
            .find(|(s, _)| *s == renstra::model::Severity::Warning)
            .expect("the versions warning");
        assert!(
            versions.1.contains("memuat 4 angka") && versions.1.contains("1 di antaranya berbeda"),
            "{}",
            versions.1
        );
        assert!(
            versions.1.contains(old_name) && versions.1.contains(revised_name),
            "{}",
            versions.1
        );
    }
}
