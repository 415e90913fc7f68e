//! Whether checking a unit grows in proportion to its lines (`cargo bench --bench scale`): the
//! same unit at 20,000 and at 200,000 lines, checked in-process, median of three runs each. The
//! figure that matters is the ratio of the two times: about 10 when every stage is linear, about
//! 100 when one is quadratic (the backward parent search was: 81.5 s at 200,000 lines).
//!
//! Two shapes are measured: lines that find their parent by code (a program, kegiatan of a
//! hundred sub kegiatan each), and lines that do not (sub kegiatan directly under their program,
//! so each looks back for the nearest higher line).

use std::path::Path;
use std::time::{Duration, Instant};

const SMALL: usize = 20_000;
const LARGE: usize = 200_000;
const RUNS: usize = 3;

const CONFIG: &str = r#"[perangkat_daerah]
nama = "Kecamatan Uji"
pemerintah_daerah = "Kota Uji"
kode_bidang = "7.01"
kelurahan = ["Satu", "Dua"]

[periode]
awal = 2025
akhir = 2026
evaluasi = [2022, 2023]

[penandatangan]
jabatan = "Camat Uji"
nama = "Nama Camat"
nip = "19700101 199501 1 001"

[dokumen]
tempat = "Uji"
tanggal = "2024"
"#;

/// The anggaran sheet of `lines` sub kegiatan: under kegiatan of a hundred when `nested`, else
/// directly under the program.
fn sheet(lines: usize, nested: bool) -> String {
    let mut csv =
        String::from("Kode;Uraian;Anggaran 2022;Realisasi 2022;Anggaran 2023;Realisasi 2023\n");
    csv.push_str("7.01.02;PROGRAM A;0,00;0,00;0,00;0,00\n");
    for i in 0..lines {
        let (kegiatan, sub) = (i / 100, i % 100 + 1);
        if nested && sub == 1 {
            csv.push_str(&format!(
                "7.01.02.{}.{:02};Kegiatan {kegiatan};0,00;0,00;0,00;0,00\n",
                2 + kegiatan / 99,
                kegiatan % 99 + 1
            ));
        }
        let kode = if nested {
            format!(
                "7.01.02.{}.{:02}.{sub:04}",
                2 + kegiatan / 99,
                kegiatan % 99 + 1
            )
        } else {
            format!("7.01.02.2.01.{:04}", i % 9999 + 1)
        };
        csv.push_str(&format!("{kode};Sub {i};1000,00;900,00;1000,00;900,00\n"));
    }
    csv
}

fn median_check(unit: &Path) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            renstra::pipeline::check_unit(unit, &Default::default()).expect("the unit checks");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (shape, nested) in [("by code", true), ("by position", false)] {
        let mut measured = Vec::new();
        for lines in [SMALL, LARGE] {
            let unit = dir.path().join(format!("u-{nested}-{lines}"));
            std::fs::create_dir_all(&unit).expect("unit folder");
            std::fs::write(unit.join("renstra.toml"), CONFIG).expect("config");
            std::fs::write(unit.join("anggaran.csv"), sheet(lines, nested)).expect("sheet");
            measured.push(median_check(&unit));
        }
        println!(
            "parents {shape:12} check {SMALL:>7} lines {:>8.3} s   {LARGE:>7} lines {:>8.3} s   ratio {:>5.1} (linear: {})",
            measured[0].as_secs_f64(),
            measured[1].as_secs_f64(),
            measured[1].as_secs_f64() / measured[0].as_secs_f64(),
            LARGE / SMALL
        );
    }
}
