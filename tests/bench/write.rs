//! Writing `tabel-renstra.xlsx` (`cargo bench --bench write`): the sample unit's workbook, and a
//! generated T-C.24 of 20,000 lines, each against a baseline measured in the same run —
//! rust_xlsxwriter writing the same number of plain numbers, with no formulas, formats or notes.
//! Median of 5 runs.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use renstra::model::{BudgetLine, Sourced, YearFigures};
use renstra::model::{CellValue, Kode, SourceRef};
use renstra::{config::UnitConfig, export, pipeline, tables};
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

const RUNS: usize = 5;

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn baseline(rows: usize, cols: u16) -> Duration {
    median(|| {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for r in 0..rows as u32 {
            for c in 0..cols {
                sheet
                    .write_number(r, c, f64::from(r) + f64::from(c))
                    .unwrap();
            }
        }
        book.save_to_buffer().unwrap();
    })
}

fn generated_lines(n: usize, years: &[i32]) -> Vec<BudgetLine> {
    let file: Arc<str> = Arc::from("besar.xlsx");
    let sheet: Arc<str> = Arc::from("Rekap");
    (0..n)
        .map(|i| {
            let kode = Kode::parse(
                &format!("7.01.{:02}.2.{:02}.{:04}", 1 + i % 9, 1 + i % 7, i % 10_000),
                None,
            )
            .unwrap();
            let mut figures = BTreeMap::new();
            for (y, year) in years.iter().enumerate() {
                let a = Decimal::new((1_000_000 + i * 37 + y * 11) as i64, 2);
                let sourced = |v: Decimal, col: u32| {
                    Some(Sourced {
                        value: CellValue::Number(v),
                        source: SourceRef::at(&file, &sheet, i as u32, col),
                        proposed: None,
                    })
                };
                figures.insert(
                    *year,
                    Box::new(YearFigures {
                        anggaran: sourced(a, 3),
                        realisasi: sourced(a * Decimal::new(9, 1), 4),
                        rasio_tertulis: None,
                    }),
                );
            }
            BudgetLine {
                level: kode.level(),
                kode: Some(kode),
                kode_source: Some(SourceRef::at(&file, &sheet, i as u32, 0)),
                level_inferred: false,
                uraian: format!("Sub kegiatan {i}"),
                lokasi: None,
                years: figures,
                source: SourceRef::at(&file, &sheet, i as u32, 1),
            }
        })
        .collect()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let unit = root.join("input").join("kecamatan-kanigaran");
    let checked = pipeline::check_unit(&unit, &Default::default()).unwrap();
    let sample = median(|| {
        export::xlsx::workbook(&checked.config, &checked.tables, &checked.findings).unwrap();
    });
    let sample_rows: usize = checked.tables.iter().map(|t| t.rows.len()).sum();
    let sample_base = baseline(sample_rows + checked.findings.len(), 20);

    let config: UnitConfig = checked.config.clone();
    let years = config.periode.evaluasi.clone();
    let lines = generated_lines(20_000, &years);
    let table = tables::build_tc24(&lines, &[], &years).to_table(&config.perangkat_daerah.nama);
    let big = median(|| {
        export::xlsx::workbook(&config, std::slice::from_ref(&table), &[]).unwrap();
    });
    let big_base = baseline(table.rows.len(), 20);
    let show = |name: &str, d: Duration, base: Duration| {
        println!(
            "{name:<32} {:>8.3} s   baseline {:>8.3} s   {:.2}x",
            d.as_secs_f64(),
            base.as_secs_f64(),
            d.as_secs_f64() / base.as_secs_f64()
        );
    };
    show("sample tabel-renstra.xlsx", sample, sample_base);
    show("T-C.24 of 20,000 lines", big, big_base);
}
