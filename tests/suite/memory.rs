//! `renstra build --memory MiB`: a batch whose memory cannot hold two typesetting children at
//! once typesets its units one after another, builds every one of them, and writes the same
//! documents as an unbounded build.

use std::path::Path;
use std::process::Output;

use crate::common::{SAMPLE, build_json_with, summary};

fn build(batch: &Path, out: &Path, more: &[&str]) -> Output {
    build_json_with(batch, out, &[], more)
}

#[test]
fn a_batch_under_a_small_memory_bound_builds_every_unit_as_an_unbounded_one_does() {
    let batch = tempfile::tempdir().unwrap();
    crate::batch_gen::generate_batch(Path::new(SAMPLE), batch.path(), 3).unwrap();
    let free_out = tempfile::tempdir().unwrap();
    // 1 TiB: nothing waits, whatever the machine has (the default is a share of its memory).
    let free = summary(&build(
        batch.path(),
        free_out.path(),
        &["--memory", "1048576"],
    ));
    // 64 MiB, the least accepted: below one generated unit's estimated typesetting peak
    // (64 MiB + 800 bytes per byte of its ~400-600 KB of data), so no child may start while
    // another runs; a child alone always may.
    let bounded_out = tempfile::tempdir().unwrap();
    let bounded = summary(&build(
        batch.path(),
        bounded_out.path(),
        &["--memory", "64"],
    ));
    assert_eq!(bounded.len(), 3);
    let mut waited = 0.0;
    for (name, unit) in &bounded {
        assert_eq!(unit["hasil"], "disusun", "{name}");
        assert_eq!(unit["halaman"], free[name]["halaman"], "{name}");
        waited += unit["tahap"]["tunggu_memori"].as_f64().unwrap();
        assert_eq!(free[name]["tahap"]["tunggu_memori"], 0.0, "{name}");
        for document in ["renstra.pdf", "berita-acara.pdf"] {
            let a = std::fs::read(free_out.path().join(name).join(document)).unwrap();
            let b = std::fs::read(bounded_out.path().join(name).join(document)).unwrap();
            assert!(a == b, "{name}: {document} differs under --memory");
        }
    }
    // With two units in flight (one per core), the second waits while the first typesets:
    // typesetting is most of a unit's time, and both reach it within tens of milliseconds.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores >= 2 {
        assert!(waited > 0.0, "no unit waited under --memory 64");
    }
}

#[test]
fn a_memory_bound_below_64_mib_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let run = build(Path::new(SAMPLE), out.path(), &["--memory", "10"]);
    assert!(!run.status.success());
    assert!(!out.path().join("kecamatan-kanigaran").exists());
}
