//! Watch benchmark (a release bench binary, not a timed test): `renstra watch` on a copy of the
//! sample; one cell of a workbook is changed, and the time is measured from the file's change
//! to the new `renstra.pdf` in place, less the quiet period watch waits for. The median of
//! several changes is printed, with the first (cold) build for comparison, measured in the same
//! run.
//!
//! `cargo bench --bench watch`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The quiet period given to watch, in milliseconds.
const QUIET_MS: u64 = 100;
/// Changes measured.
const CHANGES: usize = 7;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn pdf_bytes(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path)
        .ok()
        .filter(|b| b.ends_with(b"%%EOF\n") || b.ends_with(b"%%EOF"))
}

/// Waits until `pdf` holds other bytes than `before`; the time it took.
fn wait_for_change(pdf: &Path, before: Option<&[u8]>, since: Instant) -> Duration {
    loop {
        if let Some(now) = pdf_bytes(pdf)
            && before != Some(now.as_slice())
        {
            return since.elapsed();
        }
        assert!(
            since.elapsed() < Duration::from_secs(120),
            "no new PDF after 120 s"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let exe = root.join("target/release/renstra");
    assert!(
        exe.is_file(),
        "build the release binary first: cargo build --release"
    );
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input");
    let unit = input.join("kecamatan-kanigaran");
    copy_dir(&root.join("input/kecamatan-kanigaran"), &unit);
    let out = work.path().join("output");
    let pdf = out.join("kecamatan-kanigaran").join("renstra.pdf");
    let started = Instant::now();
    let mut watch = Command::new(&exe)
        .arg("watch")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet-ms")
        .arg(QUIET_MS.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let cold = wait_for_change(&pdf, None, started);
    // Let the first build finish publishing everything before the first change.
    std::thread::sleep(Duration::from_millis(500));
    let csv = unit.join("kinerja-pelayanan-2019-2023.csv");
    let original = std::fs::read_to_string(&csv).unwrap();
    let mut times = Vec::new();
    for i in 0..CHANGES {
        // Realisasi 2023 of the first indicator: 82,75 → 82,6i (printed in T-C.23).
        let changed = original.replacen(";82,75;94,88", &format!(";82,6{i};94,88"), 1);
        assert_ne!(changed, original);
        let before = pdf_bytes(&pdf);
        let t = Instant::now();
        std::fs::write(&csv, changed).unwrap();
        let took = wait_for_change(&pdf, before.as_deref(), t);
        times.push(took.saturating_sub(Duration::from_millis(QUIET_MS)));
        std::thread::sleep(Duration::from_millis(300));
    }
    let _ = watch.kill();
    let _ = watch.wait();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "watch: the sample, one cell of a CSV changed, {CHANGES} changes, quiet period {QUIET_MS} ms"
    );
    println!(
        "  first build (cold, from the start of watch): {:.0} ms",
        cold.as_secs_f64() * 1e3
    );
    println!(
        "  change -> new renstra.pdf, less the quiet period: median {:.0} ms (min {:.0}, max {:.0}), {:.2}x of the cold build",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        median.as_secs_f64() / cold.as_secs_f64()
    );
}
