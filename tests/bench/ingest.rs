//! Ingest throughput against bare calamine, on a generated anggaran/realisasi workbook of 200,000
//! rows (`cargo bench --bench ingest`). Both are measured in the same run, on the same file, as
//! the median of several runs; the figure that matters is the ratio.
//!
//! - calamine: open the workbook and read every sheet's cell values (`worksheet_range`), nothing
//!   else: the floor any calamine-based reader pays.
//! - renstra in-process: everything ingest does to the file: values, formula check, percent
//!   formats, header detection, exact decimals, row accounting, findings.
//! - renstra isolated: the same through the bounded child process the CLI uses.
//!
//! `RENSTRA_BENCH_DETAIL=1` also times each part (the child alone, decoding, layout, rows);
//! `RENSTRA_BENCH_KEEP=<path>` keeps a copy of the generated workbook there, for a profiler.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use calamine::{Reader, open_workbook_auto};
use renstra::ingest::{self, IngestOptions, isolate};
use rust_xlsxwriter::Workbook;

const ROWS: u32 = 200_000;
const RUNS: usize = 7;

fn generate(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Rekap").unwrap();
    let headers = [
        "Kode",
        "Uraian",
        "Lokasi",
        "Anggaran 2021",
        "Anggaran 2022",
        "Anggaran 2023",
        "Realisasi 2021",
        "Realisasi 2022",
        "Realisasi 2023",
        "Keterangan",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=ROWS {
        let i = r as u64;
        sheet
            .write_string(
                r,
                0,
                format!("7.01.{:02}.2.{:02}.{:04}", 1 + i % 5, 1 + i % 9, i % 10_000),
            )
            .unwrap();
        sheet
            .write_string(r, 1, format!("Sub kegiatan nomor {i}"))
            .unwrap();
        sheet.write_string(r, 2, "Kelurahan Kanigaran").unwrap();
        for c in 0..6u16 {
            // Cents on some rows, so decimals are exercised.
            let value = (i * 1_000 + u64::from(c) * 7) as f64
                + if i.is_multiple_of(3) { 0.25 } else { 0.0 };
            sheet.write_number(r, 3 + c, value).unwrap();
        }
        if i.is_multiple_of(50) {
            sheet.write_string(r, 9, "catatan").unwrap();
        }
    }
    book.save(path).unwrap();
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn once(f: impl Fn()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

fn time(mut f: impl FnMut()) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("besar.xlsx");
    let started = Instant::now();
    generate(&path);
    eprintln!(
        "generated {ROWS} rows x 10 columns ({} bytes) in {:.1?}",
        std::fs::metadata(&path).unwrap().len(),
        started.elapsed()
    );
    // A copy to profile the reader with (`perf record renstra internal-read --ext xlsx < copy`).
    if let Some(keep) = std::env::var_os("RENSTRA_BENCH_KEEP") {
        std::fs::copy(&path, &keep).unwrap();
    }

    if std::env::var_os("RENSTRA_BENCH_DETAIL").is_some() {
        let with_formula = time(|| {
            let mut book = open_workbook_auto(&path).unwrap();
            for name in book.sheet_names() {
                let _ = book.worksheet_range(&name).unwrap();
                let _ = book.worksheet_formula(&name).unwrap();
            }
        });
        let with_style = time(|| {
            let mut book = open_workbook_auto(&path).unwrap();
            if let calamine::Sheets::Xlsx(x) = &mut book {
                let _ = x.worksheet_style("Rekap").unwrap();
            }
        });
        let grids = time(|| {
            let _ = ingest::grid::read_file(&path, "besar.xlsx").unwrap();
        });
        let grid = ingest::grid::read_file(&path, "besar.xlsx")
            .unwrap()
            .remove(0);
        let layout_time = time(|| {
            let _ = ingest::layout::classify(&grid);
            let _ = ingest::layout::detect(&grid);
        });
        let layout = ingest::layout::detect(&grid).unwrap();
        let rows_time = time(|| {
            let _ = ingest::budget::read_budget_sheet(&grid, &layout, None);
        });
        let hash = time(|| {
            let _ = ingest::hash_file(&path).unwrap();
        });
        let exe = PathBuf::from(env!("CARGO_BIN_EXE_renstra"));
        let mut bytes = Vec::new();
        let file_bytes = std::fs::read(&path).unwrap();
        let child = time(|| {
            // The child reads the file's bytes on its stdin, as `isolate` sends them.
            let mut child = std::process::Command::new(&exe)
                .arg("internal-read")
                .arg("--ext")
                .arg("xlsx")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let input = file_bytes.clone();
            let writer = std::thread::spawn(move || stdin.write_all(&input));
            let out = child.wait_with_output().unwrap();
            writer.join().unwrap().unwrap();
            bytes = out.stdout;
        });
        let decode = time(|| {
            let _: Result<Vec<ingest::Grid>, String> = postcard::from_bytes(&bytes).unwrap();
        });
        eprintln!(
            "detail: child alone {child:.2?} ({} bytes out), decode {decode:.2?}",
            bytes.len()
        );
        eprintln!(
            "detail: range+formula {with_formula:.2?}, style alone {with_style:.2?}, grids {grids:.2?}, layout {layout_time:.2?}, rows {rows_time:.2?}, sha256 {hash:.2?}"
        );
    }
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_renstra"));
    let isolated_options = IngestOptions {
        isolation: Some(isolate::Isolation {
            exe,
            memory_limit: isolate::DEFAULT_MEMORY_LIMIT,
            timeout: isolate::DEFAULT_TIMEOUT,
        }),
        ..Default::default()
    };
    let bare = || {
        let mut book = open_workbook_auto(&path).unwrap();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).unwrap();
            assert!(range.height() > ROWS as usize);
        }
    };
    let in_process = || {
        let (_, part) = ingest::ingest_file(&path, "besar.xlsx", None, &IngestOptions::default());
        assert_eq!(part.budget.len(), ROWS as usize);
    };
    let isolated = || {
        let (_, part) = ingest::ingest_file(&path, "besar.xlsx", None, &isolated_options);
        assert_eq!(part.budget.len(), ROWS as usize);
    };
    // The three are timed in turn, round after round, and each round gives its own ratios: on
    // a machine whose speed drifts (a shared VM), a ratio of two times taken seconds apart
    // drifts with it, one of two times taken side by side much less.
    let mut rounds = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        rounds.push([once(bare), once(in_process), once(isolated)]);
    }
    let column = |i: usize| median(rounds.iter().map(|r| r[i]).collect());
    let ratio = |i: usize| {
        let mut ratios: Vec<f64> = rounds
            .iter()
            .map(|r| r[i].as_secs_f64() / r[0].as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios[ratios.len() / 2]
    };
    println!("{RUNS} rounds; medians of the times, and of each round's ratio to bare calamine");
    for (i, name) in ["bare calamine", "renstra in-process", "renstra isolated"]
        .iter()
        .enumerate()
    {
        println!(
            "{name:<20} {:>8.3} s   {:.2}x",
            column(i).as_secs_f64(),
            ratio(i)
        );
    }
}
