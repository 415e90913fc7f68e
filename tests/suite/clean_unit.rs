//! On clean data renstra must stay silent: a generated unit whose sums, totals and ratios are
//! right by construction (600 sub kegiatan under 40 kegiatan under 8 programs, five years, cents
//! included) gives zero errors and zero warnings, and T-C.24 carries every line.

use std::path::PathBuf;

use renstra::model::Severity;
use renstra::pipeline;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_xlsxwriter::Workbook;

const YEARS: [i32; 5] = [2019, 2020, 2021, 2022, 2023];

/// A small deterministic generator (no dependency needed for a test fixture).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[derive(Clone)]
struct Line {
    kode: String,
    uraian: String,
    anggaran: [Decimal; 5],
    realisasi: [Decimal; 5],
}

fn sum(lines: &[Line], pick: impl Fn(&Line) -> [Decimal; 5]) -> [Decimal; 5] {
    let mut out = [Decimal::ZERO; 5];
    for l in lines {
        for (o, v) in out.iter_mut().zip(pick(l)) {
            *o += v;
        }
    }
    out
}

#[test]
fn a_consistent_unit_of_600_sub_kegiatan_raises_no_error_or_warning() {
    let mut rng = Lcg(2025);
    let mut rows: Vec<Line> = Vec::new();
    let mut programs: Vec<Line> = Vec::new();
    for p in 1..=8u32 {
        let mut kegiatan_lines: Vec<Line> = Vec::new();
        let mut block: Vec<Line> = Vec::new();
        for k in 1..=5u32 {
            let mut subs: Vec<Line> = Vec::new();
            for s in 1..=15u32 {
                let mut anggaran = [Decimal::ZERO; 5];
                let mut realisasi = [Decimal::ZERO; 5];
                for y in 0..5 {
                    let a = Decimal::new(
                        (1_000 + rng.next(900_000) as i64) * 1_000 + rng.next(100) as i64,
                        2,
                    );
                    let share = Decimal::new(50 + rng.next(51) as i64, 2); // 50 % … 100 %
                    anggaran[y] = a;
                    realisasi[y] = (a * share).round_dp(2);
                }
                subs.push(Line {
                    kode: format!("7.01.{p:02}.2.{k:02}.{s:04}"),
                    uraian: format!("Sub kegiatan {p}.{k}.{s}"),
                    anggaran,
                    realisasi,
                });
            }
            let kegiatan = Line {
                kode: format!("7.01.{p:02}.2.{k:02}"),
                uraian: format!("Kegiatan {p}.{k}"),
                anggaran: sum(&subs, |l| l.anggaran),
                realisasi: sum(&subs, |l| l.realisasi),
            };
            block.push(kegiatan.clone());
            block.extend(subs);
            kegiatan_lines.push(kegiatan);
        }
        let program = Line {
            kode: format!("7.01.{p:02}"),
            uraian: format!("PROGRAM {p}"),
            anggaran: sum(&kegiatan_lines, |l| l.anggaran),
            realisasi: sum(&kegiatan_lines, |l| l.realisasi),
        };
        rows.push(program.clone());
        rows.extend(block);
        programs.push(program);
    }
    let total = Line {
        kode: String::new(),
        uraian: "JUMLAH".into(),
        anggaran: sum(&programs, |l| l.anggaran),
        realisasi: sum(&programs, |l| l.realisasi),
    };

    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("bersih");
    std::fs::create_dir_all(&unit).unwrap();
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input/kecamatan-kanigaran");
    std::fs::copy(sample.join("renstra.toml"), unit.join("renstra.toml")).unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Kode").unwrap();
    sheet.write_string(0, 1, "Uraian").unwrap();
    for (i, y) in YEARS.iter().enumerate() {
        let c = 2 + i as u16;
        sheet.write_string(0, c, format!("Anggaran {y}")).unwrap();
        sheet
            .write_string(0, c + 5, format!("Realisasi {y}"))
            .unwrap();
        sheet.write_string(0, c + 10, format!("Rasio {y}")).unwrap();
    }
    for (r, line) in rows.iter().chain([&total]).enumerate() {
        let r = 1 + r as u32;
        sheet.write_string(r, 0, &line.kode).unwrap();
        sheet.write_string(r, 1, &line.uraian).unwrap();
        for y in 0..5 {
            let c = 2 + y as u16;
            sheet
                .write_number(r, c, line.anggaran[y].to_f64().unwrap())
                .unwrap();
            sheet
                .write_number(r, c + 5, line.realisasi[y].to_f64().unwrap())
                .unwrap();
            // The ratio as a careful officer types it: rounded half-up to two places.
            let ratio = (line.realisasi[y] / line.anggaran[y] * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            sheet
                .write_string(r, c + 10, ratio.to_string().replace('.', ","))
                .unwrap();
        }
    }
    book.save(unit.join("anggaran.xlsx")).unwrap();

    let checked = pipeline::check_unit(&unit, &Default::default()).unwrap();
    let loud: Vec<String> = checked
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(ToString::to_string)
        .collect();
    assert!(
        loud.is_empty(),
        "{} findings, first: {:?}",
        loud.len(),
        loud.first()
    );
    // 8 programs + 40 kegiatan + 600 sub kegiatan, then the recomputed JUMLAH.
    assert_eq!(checked.tc24.rows.len(), 8 + 40 + 600 + 1);
    let jumlah = checked.tc24.rows.last().unwrap();
    assert_eq!(jumlah.anggaran[4].value(), Some(total.anggaran[4]));

    // No error-level finding: the final document, without the DRAF watermark.
    let templates = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates");
    let data = renstra::render::document_data(
        &checked.config,
        &unit,
        &checked.tables,
        &checked.organisation,
        &checked.findings,
    );
    assert!(!data.status.draf);
    let doc =
        renstra::render::render_document(&templates, &unit, renstra::render::MAIN_TEMPLATE, &data)
            .unwrap();
    let pages = renstra::render::page_texts(&doc);
    assert!(pages.iter().all(|p| !p.contains("DRAF")), "{:?}", pages[0]);
}
