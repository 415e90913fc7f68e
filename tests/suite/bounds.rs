//! Issue 18: every promise holds under faults and bad input. One test per fault, each built on a
//! unit the test makes; each failed before its fix (the note says how it was seen to fail).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use renstra::batch::{self, BatchOptions, Report};
use renstra::pipeline::Built;
use renstra::render::worker::Bounds;

use crate::common::{SAMPLE, TEMPLATES, copy_dir, summary};

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_renstra"))
}

fn build_json(input: &Path, out: &Path) -> Output {
    crate::common::build_json_env(input, out, &[])
}

/// The sample copied to `dir/name`, its bab-1 replaced by `naskah` when given.
fn sample_unit(dir: &Path, name: &str, naskah: Option<&str>) -> PathBuf {
    let unit = dir.join(name);
    copy_dir(Path::new(SAMPLE), &unit);
    if let Some(text) = naskah {
        std::fs::write(
            unit.join("naskah").join("bab-1.typ"),
            format!("#import \"/templates/naskah.typ\": *\n{text}"),
        )
        .unwrap();
    }
    unit
}

/// The small fixture unit (one program of two kegiatan, `jumlah-induk`) copied to `dir/uji`.
fn small_unit(dir: &Path) -> PathBuf {
    let unit = dir.join("uji");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/units/jumlah-induk/unit"),
        &unit,
    );
    unit
}

/// The small fixture unit copied to `dir/uji` with its anggaran names changed as `renames` say
/// (each `(from, to)`), and a bab-2 that prints T-C.24, so those names reach the PDF.
fn small_unit_printing_tc24(dir: &Path, renames: &[(&str, &str)]) -> PathBuf {
    let unit = small_unit(dir);
    let csv = std::fs::read_to_string(unit.join("anggaran.csv")).unwrap();
    let csv = renames
        .iter()
        .fold(csv, |csv, (from, to)| csv.replace(from, to));
    std::fs::write(unit.join("anggaran.csv"), csv).unwrap();
    std::fs::create_dir_all(unit.join("naskah")).unwrap();
    std::fs::write(
        unit.join("naskah").join("bab-2.typ"),
        "#import \"/templates/naskah.typ\": *\n= Gambaran Pelayanan\n#tabel(\"T-C.24\")\n",
    )
    .unwrap();
    unit
}

/// Two loops of 100.000 each: ten billion iterations, hours of typesetting.
const ENDLESS_FOR: &str = "= Pendahuluan\n#for i in range(100000) { for j in range(100000) { } }\n";

/// Item 3 and the Done-means batch: of three units the middle one plans to the year 9999 and
/// its narrative loops without end. Before, the configuration made the process allocate until
/// it aborted (rc 134) and no summary printed; now the other two are built, the summary prints
/// with the middle one's reason at its key, and the exit is 2.
#[test]
fn a_batch_builds_around_a_unit_with_an_impossible_period_and_an_endless_narrative() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    sample_unit(&input, "a-pertama", None);
    let middle = sample_unit(&input, "b-tengah", Some(ENDLESS_FOR));
    let config = std::fs::read_to_string(middle.join("renstra.toml")).unwrap();
    std::fs::write(
        middle.join("renstra.toml"),
        config.replacen("akhir = 2026", "akhir = 9999", 1),
    )
    .unwrap();
    sample_unit(&input, "c-ketiga", None);
    let started = Instant::now();
    let built = build_json(&input, &dir.path().join("output"));
    assert!(started.elapsed() < Duration::from_secs(120));
    assert_eq!(built.status.code(), Some(2), "{built:?}");
    let units = summary(&built);
    assert_eq!(units["a-pertama"]["hasil"], "disusun");
    assert_eq!(units["c-ketiga"]["hasil"], "disusun");
    assert_eq!(units["b-tengah"]["hasil"], "gagal");
    let why = units["b-tengah"]["alasan"].as_str().unwrap();
    assert!(
        why.contains("periode.akhir") && why.contains("9999") && why.contains("baris"),
        "{why}"
    );
    for unit in ["a-pertama", "c-ketiga"] {
        assert!(
            dir.path()
                .join("output")
                .join(unit)
                .join("renstra.pdf")
                .is_file()
        );
    }
}

/// Item 3: every year and range a Renstra cannot have is refused at its key, in words, before
/// anything is allocated for it.
#[test]
fn years_and_ranges_a_renstra_cannot_have_are_refused_at_their_key() {
    let dir = tempfile::tempdir().unwrap();
    let unit = sample_unit(dir.path(), "uji", None);
    let config = std::fs::read_to_string(unit.join("renstra.toml")).unwrap();
    let evaluation = "evaluasi = [2019, 2020, 2021, 2022, 2023]";
    assert!(config.contains(evaluation));
    let many: Vec<String> = (1..=3000).map(|y| y.to_string()).collect();
    for (from, to, says) in [
        ("akhir = 2026", "akhir = 9999", "di luar 2000–2100"),
        ("akhir = 2026", "akhir = 2040", "lebih dari 10 tahun"),
        (
            evaluation,
            &format!("evaluasi = [{}]", many.join(", ")),
            "di luar 2000–2100",
        ),
        (
            evaluation,
            "evaluasi = [2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]",
            "paling banyak 10 tahun",
        ),
        (
            evaluation,
            "evaluasi = [2022, 2023, 2024, 2025]",
            "sebelum periode rencana",
        ),
    ] {
        std::fs::write(unit.join("renstra.toml"), config.replacen(from, to, 1)).unwrap();
        let err = renstra::config::UnitConfig::load(&unit)
            .unwrap_err()
            .to_string();
        assert!(err.contains(says) && err.contains("baris"), "{to}: {err}");
    }
}

/// What the batch prints, discarded: the test reads the summary.
struct Quiet;

impl Report for Quiet {
    fn built(&self, _: &Path, _: &Path, _: &Built) -> String {
        String::new()
    }
    fn unchanged(&self, _: &Path, _: &str, _: &Path) -> String {
        String::new()
    }
    fn failed(&self, _: &Path, _: &str) -> String {
        String::new()
    }
}

/// Item 4: a narrative that never ends is stopped at the typesetting bound (here 5 s), the unit
/// fails with the bound and the narrative's loop (file and line), and its tables and findings are
/// still written. Before, the build ran for hours.
#[test]
fn an_endless_narrative_is_stopped_at_its_bound_naming_its_loop() {
    let dir = tempfile::tempdir().unwrap();
    let unit = sample_unit(dir.path(), "uji", Some(ENDLESS_FOR));
    let options = BatchOptions {
        out: dir.path().join("output"),
        templates: PathBuf::from(TEMPLATES),
        ingest: Default::default(),
        force: true,
        typeset: Some(Bounds {
            exe: exe(),
            memory_limit: renstra::render::worker::DEFAULT_MEMORY_LIMIT,
            timeout: Duration::from_secs(5),
            budget: None,
        }),
        unit_timeout: None,
    };
    let started = Instant::now();
    let s = batch::build_one(&unit, &options, &Quiet);
    assert!(started.elapsed() < Duration::from_secs(60));
    let why = s.alasan.unwrap_or_default();
    assert!(
        why.contains("dihentikan setelah 5 detik") && why.contains("naskah/bab-1.typ baris 3"),
        "{why}"
    );
    assert!(options.out.join("uji").join("tabel-renstra.xlsx").is_file());
    assert!(options.out.join("uji").join("temuan.csv").is_file());
}

/// Item 4: a narrative that allocates without bound (`range` of a billion) is stopped at the
/// memory bound instead of aborting the process, with its line.
#[test]
fn a_narrative_that_allocates_without_bound_is_stopped_at_the_memory_bound() {
    let dir = tempfile::tempdir().unwrap();
    let unit = sample_unit(
        dir.path(),
        "uji",
        Some("= Pendahuluan\n#for i in range(1000000000) { }\n"),
    );
    let built = build_json(&unit, &dir.path().join("output"));
    assert_eq!(built.status.code(), Some(2), "{built:?}");
    let why = summary(&built)["uji"]["alasan"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        why.contains("memori") && why.contains("naskah/bab-1.typ baris 3"),
        "{why}"
    );
}

/// Item 9: `renstra init` on a folder that already holds the user's workbook and narrative
/// creates only what is missing and lists what it left alone. Before, both were replaced by
/// blank ones.
#[test]
fn init_never_overwrites_the_users_files() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("d");
    std::fs::create_dir_all(unit.join("naskah")).unwrap();
    let workbook =
        std::fs::read(Path::new(SAMPLE).join("anggaran-realisasi-2019-2023.xlsx")).unwrap();
    std::fs::write(unit.join("anggaran-realisasi.xlsx"), &workbook).unwrap();
    std::fs::write(unit.join("naskah").join("bab-1.typ"), "= Naskah saya\n").unwrap();
    let out = Command::new(exe()).arg("init").arg(&unit).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        std::fs::read(unit.join("anggaran-realisasi.xlsx")).unwrap(),
        workbook
    );
    assert_eq!(
        std::fs::read_to_string(unit.join("naskah").join("bab-1.typ")).unwrap(),
        "= Naskah saya\n"
    );
    let said = String::from_utf8_lossy(&out.stdout);
    let (made, kept) = said
        .split_once("tidak diubah")
        .expect("a list of what was left alone");
    assert!(
        made.contains("renstra.toml") && made.contains("naskah/bab-2.typ"),
        "{said}"
    );
    assert!(!made.contains("anggaran-realisasi.xlsx"), "{said}");
    assert!(
        kept.contains("anggaran-realisasi.xlsx") && kept.contains("naskah/bab-1.typ"),
        "{said}"
    );
    assert!(unit.join("renstra.toml").is_file() && unit.join("naskah").join("bab-2.typ").is_file());
}

/// Item 6: a program whose name fills a whole cell (32,767 characters, Excel's limit) and whose
/// sum is wrong: the finding quotes the name, so its message is longer than a cell holds. Before,
/// tabel-renstra.xlsx could not be written and the unit failed; now the Temuan cell is cut with
/// a visible "…" and temuan.csv keeps the whole message.
#[test]
fn text_longer_than_a_cell_is_cut_visibly_in_the_workbook_and_kept_in_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit(dir.path());
    let name = format!("PROGRAM {}", "X".repeat(32_767 - 8));
    let csv = std::fs::read_to_string(unit.join("anggaran.csv")).unwrap();
    std::fs::write(
        unit.join("anggaran.csv"),
        csv.replace("PROGRAM PENYELENGGARAAN PEMERINTAHAN", &name),
    )
    .unwrap();
    let out = dir.path().join("output");
    let built = build_json(&unit, &out);
    assert_eq!(summary(&built)["uji"]["hasil"], "disusun", "{built:?}");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("uji").join("tabel-renstra.xlsx")).unwrap();
    use calamine::Reader;
    let temuan = book.worksheet_range("Temuan").unwrap();
    let message = temuan
        .rows()
        .map(|r| r[8].to_string())
        .find(|m| m.contains("PROGRAM XXX"))
        .expect("the SUM-HIERARCHY message");
    assert_eq!(message.chars().count(), 32_767);
    assert!(message.ends_with('…'));
    let csv = std::fs::read_to_string(out.join("uji").join("temuan.csv")).unwrap();
    assert!(csv.contains(&name), "the CSV keeps the whole name");
}

/// Item 1: three sub kegiatan of 5 × 10^28 under a kegiatan stated as 5 × 10^28 (number cells of
/// an xlsx). Their true sum, 1,5 × 10^29, is beyond what an exact decimal holds; before, the check
/// passed and the unit had no error. Now every figure beyond 10^18 rupiah is an AMOUNT-MALFORMED
/// error at its cell, and the document is a draft.
#[test]
fn figures_beyond_any_budget_are_findings_not_an_overflow_that_passes() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit(dir.path());
    std::fs::remove_file(unit.join("anggaran.csv")).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Kode", "Uraian", "Anggaran 2022", "Realisasi 2022"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        ("7.01.02", "PROGRAM A"),
        ("7.01.02.2.01", "Kegiatan A"),
        ("7.01.02.2.01.0001", "Sub A1"),
        ("7.01.02.2.01.0002", "Sub A2"),
        ("7.01.02.2.01.0003", "Sub A3"),
    ];
    for (r, (kode, uraian)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *kode).unwrap();
        sheet.write_string(r, 1, *uraian).unwrap();
        sheet.write_number(r, 2, 5e28).unwrap();
        sheet.write_number(r, 3, 1.0).unwrap();
    }
    book.save(unit.join("anggaran.xlsx")).unwrap();
    let checked = renstra::pipeline::check_unit(&unit, &Default::default()).unwrap();
    let too_large: Vec<String> = checked
        .findings
        .iter()
        .filter(|f| {
            f.rule == renstra::model::Rule::AmountMalformed
                && f.severity == renstra::model::Severity::Error
        })
        .map(|f| f.sources[0].a1())
        .collect();
    // The five anggaran cells, C2-C6.
    assert_eq!(
        too_large,
        ["C2", "C3", "C4", "C5", "C6"],
        "{:#?}",
        checked.findings
    );
    assert!(checked.count(renstra::model::Severity::Error) >= 5);
}

/// Item 10: each input is read once, and the bytes hashed for Lampiran 3 are the bytes parsed.
/// The file here is a FIFO whose writer hands out one version of the sheet on the first open and
/// another on the second: before, the hash came from the first read and the tables from the
/// second; now the one read gives both.
#[cfg(unix)]
#[test]
fn the_hash_and_the_tables_come_from_the_same_read_of_a_file() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anggaran.csv");
    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the FIFO.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let first =
        "Kode;Uraian;Anggaran 2022;Realisasi 2022\n7.01.02;Program Versi Pertama;1.000,00;500,00\n";
    let second =
        "Kode;Uraian;Anggaran 2022;Realisasi 2022\n7.01.02;Program Versi Kedua;2.000,00;900,00\n";
    let writer_path = path.clone();
    // Each open for writing waits for a reader; the second waits forever when nobody reads
    // again, and the thread is left behind.
    std::thread::spawn(move || {
        for text in [first, second] {
            std::fs::write(&writer_path, text).unwrap();
            // Let the reader see the end and close, so the next open is a new read.
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let (report, part) =
        renstra::ingest::ingest_file(&path, "anggaran.csv", None, &Default::default());
    assert_eq!(
        report.sha256,
        format!("{:x}", Sha256::digest(first.as_bytes()))
    );
    let names: Vec<&str> = part.budget.iter().map(|r| r.uraian.as_str()).collect();
    assert_eq!(names, ["Program Versi Pertama"]);
}

/// The hidden leftovers of killed runs in an output folder.
fn leftovers(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".lama-") || n.contains(".baru-"))
        .collect()
}

/// Item 7: a run killed between the swap's two renames leaves no published outputs, the
/// previous ones in `.<unit>.lama-PID` and the complete new ones (marked) in `.<unit>.baru-…`,
/// besides the unmarked staging folder of a run killed while writing. The state is made on disk
/// as such a kill leaves it; the next run completes the swap with the marked new outputs, or,
/// when none is complete, rolls back to the previous ones, and removes every leftover. Before,
/// the unit's folder stayed missing until rebuilt and the leftovers stayed for good.
#[test]
fn a_swap_cut_between_its_renames_is_completed_or_rolled_back_by_the_next_run() {
    for complete in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let unit = sample_unit(dir.path(), "uji", None);
        let out = dir.path().join("output");
        assert_eq!(build_json(&unit, &out).status.code(), Some(0));
        let published = out.join("uji");
        std::fs::write(published.join("penanda"), "versi-lama").unwrap();
        // The kill: the previous outputs renamed away, the new ones staged but not renamed in.
        let old = out.join(".uji.lama-4242");
        std::fs::rename(&published, &old).unwrap();
        let new = out.join(".uji.baru-Ab12Cd");
        copy_dir(&old, &new);
        std::fs::write(new.join("penanda"), "versi-baru").unwrap();
        if complete {
            std::fs::write(new.join(".lengkap"), "").unwrap();
        }
        // An earlier run killed while writing its staging folder.
        let stale = out.join(".uji.baru-Zz99Yy");
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join("renstra.pdf"), "setengah").unwrap();

        let again = build_json(&unit, &out);
        assert_eq!(again.status.code(), Some(0), "{again:?}");
        let said = String::from_utf8_lossy(&again.stderr);
        let expected = if complete { "versi-baru" } else { "versi-lama" };
        assert_eq!(
            std::fs::read_to_string(published.join("penanda")).unwrap(),
            expected,
            "{said}"
        );
        assert!(
            said.contains(if complete {
                "kini dipasang"
            } else {
                "keluaran lama dikembalikan"
            }),
            "{said}"
        );
        assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
        assert!(!published.join(".lengkap").exists());
        assert!(published.join("renstra.pdf").is_file());
    }
}

/// Minor items: `check` takes the output lock a build holds, and writes temuan.csv as readable
/// as a build's outputs (0644, not a temporary file's 0600).
#[cfg(unix)]
#[test]
fn check_takes_the_output_lock_and_writes_a_readable_temuan_csv() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let unit = sample_unit(dir.path(), "uji", None);
    let out = dir.path().join("output");
    let lock = renstra::pipeline::OutputLock::acquire(&out).unwrap();
    let refused = Command::new(exe())
        .arg("check")
        .arg(&unit)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(!out.join("uji").join("temuan.csv").exists());
    drop(lock);
    let checked = Command::new(exe())
        .arg("check")
        .arg(&unit)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(checked.status.code() != Some(2), "{checked:?}");
    let mode = std::fs::metadata(out.join("uji").join("temuan.csv"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}

/// Item 5 (in part): an emoji and a control character in workbook cells, and CJK text in
/// renstra.toml, which none of the compiled fonts can show. Before, the PDF/A export failed and
/// the unit had no PDF at all; now each prints as a white square, each cell is a
/// TEXT-UNPRINTABLE warning naming the characters, and both documents are built.
#[test]
fn a_character_no_font_has_prints_as_a_square_and_is_a_finding_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit_printing_tc24(
        dir.path(),
        &[
            ("Kegiatan Koordinasi", "Kegiatan Koordinasi \u{1F44D}"),
            ("Kegiatan Pembinaan", "Kegiatan\u{7} Pembinaan"),
        ],
    );
    let config = std::fs::read_to_string(unit.join("renstra.toml")).unwrap();
    std::fs::write(
        unit.join("renstra.toml"),
        config.replace("nama = \"Kecamatan Uji\"", "nama = \"Kecamatan Uji 测试\""),
    )
    .unwrap();
    let out = dir.path().join("output");
    let built = build_json(&unit, &out);
    let s = &summary(&built)["uji"];
    assert_eq!(s["hasil"], "disusun", "{built:?}");
    assert!(out.join("uji").join("renstra.pdf").is_file());
    assert!(out.join("uji").join("berita-acara.pdf").is_file());
    let temuan = std::fs::read_to_string(out.join("uji").join("temuan.csv")).unwrap();
    let unprintable: Vec<&str> = temuan
        .lines()
        .filter(|l| l.contains("TEXT-UNPRINTABLE"))
        .collect();
    // B3 (the emoji, U+1F44D, which no font has) and B4 (the bell, U+0007, a control
    // character replaced at ingest: its text as written shows where it was).
    assert_eq!(unprintable.len(), 2, "{temuan}");
    let at = |cell: &str| {
        unprintable
            .iter()
            .find(|l| l.contains(cell))
            .copied()
            .unwrap_or("")
    };
    assert!(at(",B3,").contains("U+1F44D"), "{temuan}");
    assert!(
        at(",B4,").contains("U+0007")
            && at(",B4,").contains("Kegiatan[U+0007] Pembinaan")
            && at(",B4,").contains("Kegiatan□ Pembinaan"),
        "{temuan}"
    );
    // The table's CSV holds the square too, not the control character.
    let csv_table =
        std::fs::read_to_string(out.join("uji").join("csv").join("T-C.24.csv")).unwrap_or_default();
    assert!(
        csv_table.contains("Kegiatan□ Pembinaan") && !csv_table.contains('\u{7}'),
        "{csv_table}"
    );
    if let Ok(text) = Command::new("pdftotext")
        .arg(out.join("uji").join("renstra.pdf"))
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("Koordinasi □"),
            "the square is printed: {text}"
        );
        assert!(
            text.contains("Kecamatan Uji □□"),
            "in the unit's name too: {text}"
        );
    }
}

/// The fonts compiled into renstra cover what Indonesian documents write: accented Latin, the
/// usual symbols, check marks and Arabic letters, and the replacement square itself; an emoji
/// and CJK are not covered.
#[test]
fn the_compiled_fonts_cover_indonesian_text_and_its_symbols() {
    use renstra::render::{REPLACEMENT, printable};
    for c in "AaÉéÑñ≥≤±²³°•–—“”‘’€%✓✗→محمد".chars() {
        assert!(printable(c), "{c}");
    }
    assert!(printable(REPLACEMENT));
    assert!(!printable('\u{1F44D}') && !printable('\u{7}') && !printable('测'));
}

/// Minor item: an empty CSV (not one byte) is named in a finding instead of passing silently.
#[test]
fn an_empty_csv_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit(dir.path());
    std::fs::write(unit.join("kosong.csv"), "").unwrap();
    let checked = renstra::pipeline::check_unit(&unit, &Default::default()).unwrap();
    let empty: Vec<String> = checked
        .findings
        .iter()
        .filter(|f| f.rule == renstra::model::Rule::InputUnreadable)
        .map(|f| format!("{} {}", f.sources[0], f.message))
        .collect();
    assert_eq!(empty.len(), 1, "{empty:?}");
    assert!(
        empty[0].starts_with("kosong.csv") && empty[0].contains("kosong"),
        "{empty:?}"
    );
}

/// Minor item: `--out` inside the unit folder. Before, the outputs of one build changed the
/// inputs' fingerprint, so every run rebuilt; now the second run leaves the unit as it was.
#[test]
fn an_output_folder_inside_the_unit_does_not_make_every_run_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let unit = sample_unit(dir.path(), "uji", None);
    let out = unit.join("keluaran");
    let first = build_json(&unit, &out);
    assert_eq!(summary(&first)["uji"]["hasil"], "disusun", "{first:?}");
    let second = build_json(&unit, &out);
    assert_eq!(
        summary(&second)["uji"]["hasil"],
        "tidak-berubah",
        "{second:?}"
    );
}

/// An ODS of about a kilobyte whose one data row is repeated 1,048,000 times (`number-rows-repeated`).
fn repeated_rows_ods(path: &Path) {
    use std::io::Write;
    let content = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Anggaran">"#,
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Kode</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Uraian</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Anggaran 2022</text:p></table:table-cell></table:table-row>"#,
        r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell office:value-type="string"><text:p>7.01.02.2.01.0001</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Sub</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1000"><text:p>1000</text:p></table:table-cell></table:table-row>"#,
        r#"</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file(
        "META-INF/manifest.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
        .unwrap();
    zip.finish().unwrap();
}

/// The INPUT-UNREADABLE findings of a check, as (file, message).
fn unreadable(checked: &renstra::pipeline::Checked) -> Vec<(String, String)> {
    checked
        .findings
        .iter()
        .filter(|f| f.rule == renstra::model::Rule::InputUnreadable)
        .map(|f| (f.sources[0].file.to_string(), f.message.clone()))
        .collect()
}

/// Item 2: a sheet of a million rows (here the issue's ODS, one row repeated 1,048,000 times)
/// is refused at the unit's bound, naming the sheet and how many rows it brings. Before, the
/// reader expanded it, and the parent then spent over 300 s and 4.9 GB on it (seen with the
/// release binary of `55eb591`, stopped by `timeout 300`); now the check takes under a second.
#[test]
fn a_sheet_past_the_units_row_bound_is_refused_naming_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit(dir.path());
    repeated_rows_ods(&unit.join("ulang.ods"));
    let checked = renstra::pipeline::check_unit(&unit, &crate::common::isolated()).unwrap();
    let refused = unreadable(&checked);
    assert_eq!(refused.len(), 1, "{refused:#?}");
    let (file, message) = &refused[0];
    assert_eq!(file, "ulang.ods");
    // 1 header row + 1,048,000 repeated rows, written the Indonesian way; the bound 250.000.
    assert!(
        message.contains("lembar Anggaran")
            && message.contains("1.048.001 baris")
            && message.contains("250.000"),
        "{message}"
    );
    // The unit's own CSV is still read: the kegiatan sums of `jumlah-induk` are checked.
    assert!(
        checked
            .files
            .iter()
            .any(|f| f.file == "anggaran.csv" && f.not_read.is_none())
    );
}

/// `rows` CSV lines: a header, then sub kegiatan lines under one program (no kegiatan line,
/// so no line finds its parent by code and each looks back for the nearest higher line).
fn flat_csv(rows: usize) -> String {
    let mut csv = String::from("Kode;Uraian;Anggaran 2022;Realisasi 2022\n");
    csv.push_str("7.01.02;PROGRAM A;0,00;0,00\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "7.01.02.2.01.{:04};Sub {i};1000,00;900,00\n",
            i % 9999 + 1
        ));
    }
    csv
}

/// Item 2: the bound is the unit's, over its files in name order: two CSVs of 150,000 lines
/// each are 300,004 filled rows together, so the first is read and the second (the one that
/// passes 250,000) is refused, naming it and the unit's count at it.
#[test]
fn the_row_bound_counts_every_file_of_the_unit_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit(dir.path());
    std::fs::remove_file(unit.join("anggaran.csv")).unwrap();
    let csv = flat_csv(150_000);
    std::fs::write(unit.join("a-pertama.csv"), &csv).unwrap();
    std::fs::write(unit.join("b-kedua.csv"), &csv).unwrap();
    let checked = renstra::pipeline::check_unit(&unit, &Default::default()).unwrap();
    let refused = unreadable(&checked);
    assert_eq!(refused.len(), 1, "{refused:#?}");
    // Each file: a header, the program and 150,000 sub kegiatan = 150,002 rows; both 300,004.
    assert_eq!(refused[0].0, "b-kedua.csv");
    assert!(refused[0].1.contains("lembar (CSV)") && refused[0].1.contains("300.004 baris"));
    let read = checked
        .files
        .iter()
        .find(|f| f.file == "a-pertama.csv")
        .unwrap();
    assert!(read.not_read.is_none());
}

/// Item 2: every line looks for its parent in one pass. 200,000 sub kegiatan under a program
/// without their kegiatan: before, each line searched back to the program (quadratic; `check`
/// took 81.5 s on such a sheet with the release binary of `55eb591`), now it is linear (4.3 s;
/// `cargo bench --bench scale` prints the ratio to a tenth of the lines). Every line is still
/// placed under the program and checked: one KODE-PARENT-MISSING warning per line (their
/// kegiatan 7.01.02.2.01 has no line), 200,000 by count.
#[test]
fn two_hundred_thousand_lines_without_their_kegiatan_are_each_placed_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit(dir.path());
    std::fs::write(unit.join("anggaran.csv"), flat_csv(200_000)).unwrap();
    let checked = renstra::pipeline::check_unit(&unit, &Default::default()).unwrap();
    let missing = checked
        .findings
        .iter()
        .filter(|f| f.rule == renstra::model::Rule::KodeParentMissing)
        .count();
    assert_eq!(missing, 200_000);
    assert!(unreadable(&checked).is_empty());
}

/// Item 5: an Arabic name and a check mark in a cell print in the compiled fallback font,
/// DejaVu Sans, beside the serif text. Before, Typst found them only in DejaVu Sans Mono (the
/// Arabic set in a typewriter face) and New Computer Modern Math (the ✓), as `pdffonts` showed
/// for the same unit built with the release binary of `2550b28`; now those two are not used.
#[test]
fn arabic_names_and_check_marks_print_in_the_fallback_sans() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit_printing_tc24(
        dir.path(),
        &[("Kegiatan Koordinasi", "Kegiatan Koordinasi ✓ محمد")],
    );
    let out = dir.path().join("output");
    let built = build_json(&unit, &out);
    assert_eq!(summary(&built)["uji"]["hasil"], "disusun", "{built:?}");
    let temuan = std::fs::read_to_string(out.join("uji").join("temuan.csv")).unwrap();
    assert!(!temuan.contains("TEXT-UNPRINTABLE"), "{temuan}");
    let pdf = out.join("uji").join("renstra.pdf");
    let (Ok(text), Ok(fonts)) = (
        Command::new("pdftotext").arg(&pdf).arg("-").output(),
        Command::new("pdffonts").arg(&pdf).output(),
    ) else {
        eprintln!(
            "poppler-utils (pdftotext, pdffonts) is not installed: the fonts are not checked"
        );
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Koordinasi ✓") && text.contains("محمد"),
        "{text}"
    );
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("+DejaVuSans "), "{fonts}");
    assert!(
        !fonts.contains("DejaVuSansMono") && !fonts.contains("NewCMMath"),
        "{fonts}"
    );
}

/// Minor item: a `dokumen.logo` that names a file which is no image (here text saved as
/// `logo.png`, and a truncated png) is a configuration error at its line in renstra.toml,
/// before anything is built. Before, the unit failed at `templates/renstra.typ` line 22, the
/// template line placing the logo, with Typst's English decoder message (seen with the release
/// binary of `0a18321`).
#[test]
fn a_logo_that_is_no_image_is_refused_at_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit(dir.path());
    let config = std::fs::read_to_string(unit.join("renstra.toml")).unwrap();
    // The [dokumen] table is the last of the fixture's renstra.toml: the key lands in it.
    std::fs::write(
        unit.join("renstra.toml"),
        format!("{}\nlogo = \"logo.png\"\n", config.trim_end()),
    )
    .unwrap();
    let line = config.trim_end().lines().count() + 1;
    for bytes in [
        b"bukan gambar".as_slice(),
        &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0],
    ] {
        std::fs::write(unit.join("logo.png"), bytes).unwrap();
        let err = renstra::config::UnitConfig::load(&unit)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!("baris {line}"))
                && err.contains("dokumen.logo \"logo.png\" tidak dapat dibaca sebagai gambar")
                && !err.contains("templates/"),
            "{err}"
        );
    }
}

/// Item 2: the Berita Acara prints at most 2,000 error and warning findings in its Lampiran 1
/// and says how many more there are and where they are. 2,100 sub kegiatan with a malformed code
/// (segment `22` where a kegiatan has one digit) give 2,100 KODE-MALFORMED errors, and the
/// fixture's missing [verifikasi] one VERIFIKASI-INCOMPLETE warning: 2,101, so 101 are not
/// printed. Before, every finding was typeset: at the unit's row bound (340,000 findings) the
/// Berita Acara ran 51 s into the typesetter's 4 GiB bound and was not made.
#[test]
fn the_berita_acara_prints_the_first_two_thousand_findings_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let unit = small_unit(dir.path());
    let mut csv = String::from("Kode;Uraian;Anggaran 2022;Realisasi 2022\n");
    csv.push_str("7.01.02;PROGRAM A;0,00;0,00\n");
    for i in 1..=2_100 {
        csv.push_str(&format!("7.01.02.22.01.{i:04};Sub {i};0,00;0,00\n"));
    }
    std::fs::write(unit.join("anggaran.csv"), csv).unwrap();
    let out = dir.path().join("output");
    let built = build_json(&unit, &out);
    let s = &summary(&built)["uji"];
    assert_eq!(s["hasil"], "disusun", "{built:?}");
    assert_eq!(
        (s["kesalahan"].as_u64(), s["peringatan"].as_u64()),
        (Some(2_100), Some(1))
    );
    let Ok(text) = Command::new("pdftotext")
        .args(["-layout"])
        .arg(out.join("uji").join("berita-acara.pdf"))
        .arg("-")
        .output()
    else {
        eprintln!("poppler-utils (pdftotext) is not installed: the lampiran's text is not checked");
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains(
            "Lampiran ini mencetak 2.000 temuan pertama; 101 temuan tingkat kesalahan dan peringatan lainnya tidak dicetak di sini."
        ),
        "{}",
        &text[text.len().saturating_sub(3000)..]
    );
}

/// Item 2: a unit's whole build is bounded in time, from its own start: its typesetter gets no
/// more than the time the unit has left. Of three units the middle one's narrative never ends;
/// with a unit bound of 15 s and the typesetter's own bound of 120 s, the middle one is stopped
/// at its unit bound (before, only the typesetter's 120 s stopped it, with the typesetter's
/// message), nothing of it is published, and the other two are built.
#[test]
fn a_unit_past_its_time_bound_is_stopped_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    let units = [
        sample_unit(&input, "a-pertama", None),
        sample_unit(&input, "b-tengah", Some(ENDLESS_FOR)),
        sample_unit(&input, "c-ketiga", None),
    ];
    let options = BatchOptions {
        out: dir.path().join("output"),
        templates: PathBuf::from(TEMPLATES),
        ingest: Default::default(),
        force: true,
        typeset: Some(Bounds {
            exe: exe(),
            memory_limit: renstra::render::worker::DEFAULT_MEMORY_LIMIT,
            timeout: Duration::from_secs(120),
            budget: None,
        }),
        unit_timeout: Some(Duration::from_secs(15)),
    };
    let summaries = batch::build_all(&units, &options, &Quiet, &|| {});
    let results: Vec<(String, Option<&str>)> = summaries
        .iter()
        .map(|s| {
            (
                serde_json::to_string(&s.hasil).unwrap(),
                s.alasan.as_deref(),
            )
        })
        .collect();
    assert_eq!(results[0], ("\"disusun\"".into(), None), "{results:?}");
    assert_eq!(results[2], ("\"disusun\"".into(), None), "{results:?}");
    let (hasil, why) = &results[1];
    assert_eq!(hasil, "\"gagal\"");
    assert!(
        why.is_some_and(|w| w.contains("melewati batas waktunya (saat menyusun tabel dan dokumen)")),
        "{why:?}"
    );
    assert!(!options.out.join("b-tengah").exists());
}

/// Issue 20: `watch`'s typesetting child, kept between builds, gives the same bytes as a
/// one-off child, and keeps the same bound: an endless narrative is stopped at it and the child
/// killed; the unit's next build starts a new child and succeeds.
#[test]
fn a_kept_typesetting_child_gives_the_same_bytes_and_keeps_its_bound() {
    let dir = tempfile::tempdir().unwrap();
    let unit = sample_unit(dir.path(), "uji", None);
    let bounds = Bounds {
        exe: exe(),
        memory_limit: renstra::render::worker::DEFAULT_MEMORY_LIMIT,
        timeout: Duration::from_secs(5),
        budget: None,
    };
    let options = BatchOptions {
        out: dir.path().join("output"),
        templates: PathBuf::from(TEMPLATES),
        ingest: Default::default(),
        force: true,
        typeset: Some(bounds.clone()),
        unit_timeout: None,
    };
    let pdf = options.out.join("uji").join("renstra.pdf");
    let one_off = batch::build_one(&unit, &options, &Quiet);
    assert!(one_off.alasan.is_none(), "{:?}", one_off.alasan);
    let from_one_off = std::fs::read(&pdf).unwrap();
    let mut worlds = renstra::render::Worlds::kept_child(bounds);
    for round in 0..2 {
        let s = batch::build_one_kept(&unit, &options, &Quiet, &mut worlds);
        assert!(s.alasan.is_none(), "round {round}: {:?}", s.alasan);
        assert!(worlds.has_child());
        assert!(
            std::fs::read(&pdf).unwrap() == from_one_off,
            "round {round}: other bytes"
        );
    }
    std::fs::write(unit.join("naskah").join("bab-1.typ"), ENDLESS_FOR).unwrap();
    let started = Instant::now();
    let s = batch::build_one_kept(&unit, &options, &Quiet, &mut worlds);
    assert!(started.elapsed() < Duration::from_secs(60));
    let why = s.alasan.unwrap_or_default();
    assert!(why.contains("dihentikan setelah 5 detik"), "{why}");
    assert!(!worlds.has_child(), "the child that hit the bound is gone");
    std::fs::copy(
        Path::new(crate::common::SAMPLE)
            .join("naskah")
            .join("bab-1.typ"),
        unit.join("naskah").join("bab-1.typ"),
    )
    .unwrap();
    let s = batch::build_one_kept(&unit, &options, &Quiet, &mut worlds);
    assert!(s.alasan.is_none(), "{:?}", s.alasan);
    assert!(worlds.has_child());
}
