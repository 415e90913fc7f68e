//! Writes a deterministic batch of generated units (see `tests/bench/batch_gen.rs`).
//!
//! `cargo run --release --example gen-batch -- <units> <folder>`, e.g. 60 for a city and 600 for a
//! province; then `renstra build <folder> --out <out>`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[path = "../tests/bench/batch_gen.rs"]
#[allow(dead_code)]
mod batch_gen;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(units), Some(out)) = (
        args.first().and_then(|n| n.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: gen-batch <units> <folder>   (e.g. gen-batch 60 /tmp/kota)");
        return ExitCode::from(2);
    };
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input/kecamatan-kanigaran");
    let started = Instant::now();
    match batch_gen::generate_batch(&sample, &PathBuf::from(out), units) {
        Ok(stats) => {
            println!(
                "{} units, {} sub kegiatan, {} plan rows, {} deliberate mistakes, {:.1} MB in {:.1} s: {out}",
                stats.units,
                stats.sub_kegiatan,
                stats.plan_rows,
                stats.mistakes,
                stats.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-batch: {e}");
            ExitCode::FAILURE
        }
    }
}
