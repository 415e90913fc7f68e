//! Hostile and broken input through the real executable: what renstra refuses, within which
//! bounds, and that it never reads outside what it was given nor depends on thread scheduling.
//!
//! Bounds asserted here (each generous against this machine's timings so CI on 2 cores holds):
//! a sheet of a billion rows, a 10 MB cell and a 100 MB CSV are each refused with a finding
//! naming the file within 60 s; runaway Typst in the narrative stops with an error naming the
//! file and line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use crate::common::{SAMPLE, TEMPLATES, contents, copy_dir, summary};

fn build_env(input: &Path, out: &Path, env: &[(&str, &str)]) -> Output {
    crate::common::build_json_env(input, out, env)
}

fn build(input: &Path, out: &Path) -> Output {
    build_env(input, out, &[])
}

/// Every finding of a built unit, as the lines of its temuan.csv.
fn findings(out: &Path, unit: &str) -> String {
    std::fs::read_to_string(out.join(unit).join("temuan.csv")).unwrap()
}

#[test]
fn the_sample_builds_byte_identically_twice_and_on_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    let outs: Vec<PathBuf> = (0..3).map(|i| dir.path().join(format!("out{i}"))).collect();
    let input = Path::new(SAMPLE);
    assert_eq!(build(input, &outs[0]).status.code(), Some(0));
    assert_eq!(build(input, &outs[1]).status.code(), Some(0));
    assert_eq!(
        build_env(input, &outs[2], &[("RAYON_NUM_THREADS", "1")])
            .status
            .code(),
        Some(0)
    );
    let first = contents(&outs[0].join("kecamatan-kanigaran"));
    assert!(first.len() > 20, "{} files", first.len());
    for other in &outs[1..] {
        let again = contents(&other.join("kecamatan-kanigaran"));
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            again.keys().collect::<Vec<_>>()
        );
        for (file, bytes) in &first {
            assert!(again[file] == *bytes, "{} differs", file.display());
        }
    }
}

/// A one-unit input folder copied from the sample, with `extra` files added.
/// What `watch` relies on: a rebuild in the unit's kept Typst worlds after the narrative and the
/// document date changed gives exactly the bytes of a build from scratch, and the change shows.
#[test]
fn a_rebuild_in_kept_worlds_gives_the_bytes_of_a_fresh_build() {
    use renstra::pipeline;
    use renstra::render::Worlds;
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("kecamatan-kanigaran");
    copy_dir(Path::new(SAMPLE), &unit);
    let (kept_out, fresh_out) = (dir.path().join("kept"), dir.path().join("fresh"));
    let options = renstra::ingest::IngestOptions::default();
    let templates = Path::new(TEMPLATES);
    let mut worlds = Worlds::default();
    pipeline::build_unit_kept(&unit, &kept_out, templates, &options, &mut worlds).unwrap();
    let first = contents(&kept_out);

    let bab2 = unit.join("naskah/bab-2.typ");
    let mut text = std::fs::read_to_string(&bab2).unwrap();
    text.push_str("\nKalimat tambahan untuk uji pembangunan ulang.\n");
    std::fs::write(&bab2, text).unwrap();
    let toml = unit.join("renstra.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        config.replace("tanggal = \"2024\"", "tanggal = \"Maret 2024\""),
    )
    .unwrap();

    pipeline::build_unit_kept(&unit, &kept_out, templates, &options, &mut worlds).unwrap();
    pipeline::build_unit(&unit, &fresh_out, templates, &options).unwrap();
    let (kept, fresh) = (contents(&kept_out), contents(&fresh_out));
    assert_eq!(
        kept.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (file, bytes) in &kept {
        assert!(
            bytes == &fresh[file],
            "{} differs from a fresh build",
            file.display()
        );
    }
    let pdf = Path::new("renstra.pdf");
    assert_ne!(first[pdf], kept[pdf], "the change reached the PDF");
}

fn sample_unit(root: &Path) -> PathBuf {
    let unit = root.join("input").join("kecamatan-kanigaran");
    copy_dir(Path::new(SAMPLE), &unit);
    unit
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_outside_the_unit_is_reported_and_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let unit = sample_unit(dir.path());
    let secret = dir.path().join("rahasia.csv");
    std::fs::write(
        &secret,
        "Kode;Uraian;Anggaran 2019;Realisasi 2019\n7.01.02;Program Rahasia;987.654.321,00;1,00\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, unit.join("tautan.csv")).unwrap();
    let out = dir.path().join("output");
    let built = build(&dir.path().join("input"), &out);
    assert_eq!(built.status.code(), Some(0), "{built:?}");

    let found = findings(&out, "kecamatan-kanigaran");
    let line = found
        .lines()
        .find(|l| l.contains("tautan.csv"))
        .unwrap_or_else(|| panic!("the link is reported: {found}"));
    assert!(line.contains("INPUT-UNREADABLE"), "{line}");
    assert!(line.contains("di luar folder unit"), "{line}");
    for (file, bytes) in contents(&out.join("kecamatan-kanigaran")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Program Rahasia") && !text.contains("987654321"),
            "{} holds the outside file's content",
            file.display()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_unit_folder_linked_from_outside_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    sample_unit(dir.path());
    let elsewhere = dir.path().join("di-luar");
    copy_dir(Path::new(SAMPLE), &elsewhere);
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("input").join("tautan-unit")).unwrap();
    let out = dir.path().join("output");
    let built = build(&dir.path().join("input"), &out);
    assert_eq!(built.status.code(), Some(2), "a refused unit is a failure");
    let units = summary(&built);
    assert_eq!(units["kecamatan-kanigaran"]["hasil"], "disusun");
    let refused = &units["tautan-unit"];
    assert_eq!(refused["hasil"], "gagal");
    assert!(
        refused["alasan"]
            .as_str()
            .unwrap()
            .contains("di luar folder masukan"),
        "{refused:?}"
    );
    assert!(!out.join("tautan-unit").exists());
}

#[cfg(unix)]
#[test]
fn odd_file_and_folder_names_stay_inside_the_output_folder() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    // A unit folder whose name is not UTF-8 (Latin-1 "Dinas Pendidikan é"), and a data file whose
    // name has dots, spaces and a non-UTF-8 byte.
    let unit = input.join(OsStr::from_bytes(b"dinas-\xe9..x"));
    copy_dir(Path::new(SAMPLE), &unit);
    std::fs::rename(
        unit.join("kinerja-pelayanan-2019-2023.csv"),
        unit.join(OsStr::from_bytes(b"kinerja \xff 2019..2023.csv")),
    )
    .unwrap();
    let out = dir.path().join("output");
    let built = build(&input, &out);
    assert_eq!(built.status.code(), Some(0), "{built:?}");

    let mut top: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["input", "output"], "nothing written beside them");
    let written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(written, ["dinas-\u{fffd}..x"], "one folder, inside output/");
    // The oddly named file was read, and is named as well as its bytes allow.
    let manifest = std::fs::read_to_string(out.join(&written[0]).join("manifest.json")).unwrap();
    assert!(
        manifest.contains("kinerja \u{fffd} 2019..2023.csv"),
        "{manifest}"
    );
    let found = findings(&out, &written[0]);
    assert!(!found.contains("INPUT-UNREADABLE"), "{found}");
}

/// A unit holding only `file` as data, beside the sample's configuration and narrative.
fn unit_with_file(root: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let unit = root.join("input").join("unit");
    std::fs::create_dir_all(unit.join("naskah")).unwrap();
    std::fs::copy(
        Path::new(SAMPLE).join("renstra.toml"),
        unit.join("renstra.toml"),
    )
    .unwrap();
    std::fs::write(unit.join(name), bytes).unwrap();
    unit
}

/// Builds `unit`, asserting it finished within `bound` with exit 0, and returns its findings.
fn build_within(unit: &Path, bound: Duration) -> String {
    let out = unit.parent().unwrap().parent().unwrap().join("output");
    let started = Instant::now();
    let built = build(unit, &out);
    let took = started.elapsed();
    assert_eq!(built.status.code(), Some(0), "{built:?}");
    assert!(took < bound, "took {took:?}, bound {bound:?}");
    findings(&out, "unit")
}

/// An xlsx whose sheet holds a cell in row `row` (beyond what Excel or rust_xlsxwriter write).
fn xlsx_with_cell_at_row(row: u64) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write(0, 0, "Kode").unwrap();
    sheet.write(0, 1, "Uraian").unwrap();
    sheet.write(0, 2, "Anggaran 2019").unwrap();
    sheet.write(1_048_575, 0, "jauh").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    // Move the far cell to `row` inside the sheet's XML.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut data).unwrap();
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(data)
                .unwrap()
                .replace("1048576", &row.to_string());
            data = text.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_sheet_claiming_a_billion_rows_is_refused_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_with_file(
        dir.path(),
        "miliar.xlsx",
        &xlsx_with_cell_at_row(1_000_000_000),
    );
    let found = build_within(&unit, Duration::from_secs(60));
    let line = found
        .lines()
        .find(|l| l.contains("miliar.xlsx") && l.contains("INPUT-UNREADABLE"))
        .unwrap_or_else(|| panic!("the file is reported: {found}"));
    assert!(
        line.contains("baris") || line.contains("memori"),
        "says why: {line}"
    );
}

#[test]
fn a_cell_of_ten_megabytes_is_refused_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = b"Kode;Uraian;Anggaran 2019;Realisasi 2019\n7.01.02;".to_vec();
    csv.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    csv.extend(b";1.000,00;900,00\n");
    let unit = unit_with_file(dir.path(), "panjang.csv", &csv);
    let found = build_within(&unit, Duration::from_secs(60));
    let line = found
        .lines()
        .find(|l| l.contains("panjang.csv") && l.contains("INPUT-UNREADABLE"))
        .unwrap_or_else(|| panic!("the file is reported: {found}"));
    assert!(
        line.contains("sel B2") && line.contains("10485760 karakter"),
        "{line}"
    );
}

#[test]
fn a_csv_of_a_hundred_megabytes_is_refused_or_read_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    // 100,000,000 bytes: under the 100 MiB size limit, so the row limit must catch it.
    let mut csv = b"Kode;Uraian;Anggaran 2019;Realisasi 2019\n".to_vec();
    let line = b"7.01.02.2.01.0001;Sub kegiatan;1.000,00;900,00\n";
    while csv.len() + line.len() <= 100_000_000 {
        csv.extend_from_slice(line);
    }
    let unit = unit_with_file(dir.path(), "besar.csv", &csv);
    let found = build_within(&unit, Duration::from_secs(90));
    let line = found
        .lines()
        .find(|l| l.contains("besar.csv") && l.contains("INPUT-UNREADABLE"))
        .unwrap_or_else(|| panic!("the file is reported: {}", &found[..found.len().min(2000)]));
    // Reading stops at the first filled row past the unit's bound of 250,000: 250,001 rows.
    assert!(
        line.contains("250.001 baris") && line.contains("batas 250.000"),
        "{line}"
    );
}

/// Builds the sample with `bab-1.typ` replaced; returns the unit's error.
fn naskah_error(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let unit = sample_unit(dir.path());
    std::fs::write(unit.join("naskah").join("bab-1.typ"), text).unwrap();
    let started = Instant::now();
    let built = build(&unit, &dir.path().join("output"));
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(built.status.code(), Some(2), "{built:?}");
    summary(&built)["kecamatan-kanigaran"]["alasan"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn runaway_typst_in_the_narrative_stops_with_an_error_naming_the_line() {
    let recursion = naskah_error("= Pendahuluan\n#let f(n) = f(n + 1)\n#f(0)\n");
    assert!(
        recursion.contains("naskah/bab-1.typ baris 2"),
        "{recursion}"
    );

    let cycle = naskah_error("= Pendahuluan\n#include \"bab-1.typ\"\n");
    assert!(cycle.contains("naskah/bab-1.typ baris 2"), "{cycle}");

    let endless = naskah_error("= Pendahuluan\n#while true { }\n");
    assert!(endless.contains("naskah/bab-1.typ baris 2"), "{endless}");

    let deep = format!(
        "= Pendahuluan\n#{}1{}\n",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    let nested = naskah_error(&deep);
    assert!(nested.contains("naskah/bab-1.typ baris 2"), "{nested}");
}

/// Regression from the `ingest_file` fuzz target: an 11 KB `.xls` whose cells lie far apart makes
/// calamine allocate 134 GB for the sheet's range. Read as the CLI reads workbooks (in the bounded
/// child process) it is one finding, and the run goes on.
#[test]
fn the_fuzzers_far_cell_xls_is_a_finding_not_an_out_of_memory_kill() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/sel-jauh-oom.xls"),
    )
    .unwrap();
    let unit = unit_with_file(dir.path(), "sel-jauh.xls", &bytes);
    let found = build_within(&unit, Duration::from_secs(60));
    let line = found
        .lines()
        .find(|l| l.contains("sel-jauh.xls"))
        .unwrap_or_else(|| panic!("the file is reported: {found}"));
    assert!(line.contains("INPUT-UNREADABLE"), "{line}");
    assert!(
        line.contains("memori"),
        "says it needed too much memory: {line}"
    );
}
