//! Everyday drop-folder operation, end to end through the real `renstra` executable: a batch with
//! one broken unit, incremental builds, outputs kept intact by a failed build, the output lock,
//! `watch` on a folder a workbook is slowly copied into, `init` then `build`, and configuration
//! errors that say where they are.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{SAMPLE, TEMPLATES, contents, copy_dir, pdfinfo_pages, summary};

fn renstra() -> Command {
    Command::new(env!("CARGO_BIN_EXE_renstra"))
}

/// `renstra build <input> --out <out> [extra…]` with the project's templates.
fn build(input: &Path, out: &Path, extra: &[&str]) -> Output {
    build_with(input, out, Path::new(TEMPLATES), extra)
}

fn build_with(input: &Path, out: &Path, templates: &Path, extra: &[&str]) -> Output {
    build_by(
        Path::new(env!("CARGO_BIN_EXE_renstra")),
        input,
        out,
        templates,
        extra,
    )
}

/// `build` by the renstra executable `exe`.
fn build_by(exe: &Path, input: &Path, out: &Path, templates: &Path, extra: &[&str]) -> Output {
    Command::new(exe)
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--templates")
        .arg(templates)
        .args(extra)
        .output()
        .unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_broken_unit_fails_alone_and_the_others_are_built() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    let out = dir.path().join("output");
    copy_dir(Path::new(SAMPLE), &input.join("kecamatan-a"));
    copy_dir(Path::new(SAMPLE), &input.join("kecamatan-b"));
    copy_dir(Path::new(SAMPLE), &input.join("kecamatan-rusak"));
    // A narrative file with a Typst syntax error: the PDF of that unit cannot be typeset.
    std::fs::write(
        input.join("kecamatan-rusak/naskah/bab-3.typ"),
        "= Permasalahan\n#let x = (\n",
    )
    .unwrap();

    let output = build(&input, &out, &["--json"]);
    assert_eq!(output.status.code(), Some(2), "a failed unit gives exit 2");
    let units = summary(&output);
    assert_eq!(units.len(), 3);
    for good in ["kecamatan-a", "kecamatan-b"] {
        assert_eq!(units[good]["hasil"], "disusun", "{good}: {:?}", units[good]);
        let pdf = out.join(good).join("renstra.pdf");
        assert!(pdf.is_file());
        if let Some(pages) = pdfinfo_pages(&pdf) {
            assert_eq!(
                units[good]["halaman"], pages,
                "{good}: pages as poppler counts them"
            );
        }
    }
    let broken = &units["kecamatan-rusak"];
    assert_eq!(broken["hasil"], "gagal");
    let why = broken["alasan"].as_str().unwrap();
    assert!(why.contains("bab-3.typ"), "names the file: {why}");
    // Its findings and workbooks are written; only the documents Typst could not make are not.
    let rusak = out.join("kecamatan-rusak");
    assert!(rusak.join("temuan.csv").is_file() && rusak.join("tabel-renstra.xlsx").is_file());
    assert!(!rusak.join("renstra.pdf").exists());

    // The table for people names the failed unit too.
    let text = build(&input, &out, &[]);
    assert_eq!(text.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("Gagal disusun: kecamatan-rusak."),
        "{stdout}"
    );
    assert!(stdout.contains("GAGAL"), "{stdout}");
}

#[test]
fn an_unchanged_unit_is_not_rebuilt_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("kecamatan-kanigaran");
    let out = dir.path().join("output");
    copy_dir(Path::new(SAMPLE), &unit);

    let first = build(&unit, &out, &["--json"]);
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(summary(&first)["kecamatan-kanigaran"]["hasil"], "disusun");
    let pdf = out.join("kecamatan-kanigaran/renstra.pdf");
    let built_at = std::fs::metadata(&pdf).unwrap().modified().unwrap();
    let before = contents(&out.join("kecamatan-kanigaran"));

    let second = build(&unit, &out, &["--json"]);
    assert_eq!(second.status.code(), Some(0));
    let s = &summary(&second)["kecamatan-kanigaran"];
    assert_eq!(s["hasil"], "tidak-berubah");
    // The summary of an unchanged unit still reports its findings and pages from the manifest.
    if let Some(pages) = pdfinfo_pages(&pdf) {
        assert_eq!(s["halaman"], pages, "pages as poppler counts them");
    }
    assert!(s["kesalahan"].as_u64().unwrap() > 0);
    assert_eq!(
        std::fs::metadata(&pdf).unwrap().modified().unwrap(),
        built_at,
        "the PDF was not rewritten"
    );

    // An output deleted or edited since is written again, though the inputs did not change.
    std::fs::remove_file(out.join("kecamatan-kanigaran/berita-acara.pdf")).unwrap();
    let repaired = build(&unit, &out, &["--json"]);
    assert_eq!(
        summary(&repaired)["kecamatan-kanigaran"]["hasil"],
        "disusun"
    );
    assert_eq!(contents(&out.join("kecamatan-kanigaran")), before);

    let forced = build(&unit, &out, &["--json", "--force"]);
    assert_eq!(summary(&forced)["kecamatan-kanigaran"]["hasil"], "disusun");
    assert_eq!(
        contents(&out.join("kecamatan-kanigaran")),
        before,
        "a forced rebuild of the same inputs gives the same bytes"
    );

    // Changing a narrative file is a change: the unit is rebuilt.
    let bab8 = unit.join("naskah/bab-8.typ");
    let mut text = std::fs::read_to_string(&bab8).unwrap();
    text.push_str("\nDemikian.\n");
    std::fs::write(&bab8, text).unwrap();
    let changed = build(&unit, &out, &["--json"]);
    assert_eq!(summary(&changed)["kecamatan-kanigaran"]["hasil"], "disusun");
    let again = build(&unit, &out, &["--json"]);
    assert_eq!(
        summary(&again)["kecamatan-kanigaran"]["hasil"],
        "tidak-berubah"
    );

    // And so is an edited template (here a copy of the templates with a comment added).
    let templates = dir.path().join("templates");
    copy_dir(Path::new(TEMPLATES), &templates);
    let unchanged_copy = build_with(&unit, &out, &templates, &["--json"]);
    assert_eq!(
        summary(&unchanged_copy)["kecamatan-kanigaran"]["hasil"],
        "tidak-berubah",
        "the key is the templates' content, not their folder's name"
    );
    let style = templates.join("style.typ");
    let mut text = std::fs::read_to_string(&style).unwrap();
    text.push_str("\n// diubah\n");
    std::fs::write(&style, text).unwrap();
    let edited = build_with(&unit, &out, &templates, &["--json"]);
    assert_eq!(summary(&edited)["kecamatan-kanigaran"]["hasil"], "disusun");
}

#[test]
fn a_build_whose_pdf_cannot_be_typeset_still_writes_every_other_output_and_no_stale_document() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("kecamatan-kanigaran");
    let out = dir.path().join("output");
    copy_dir(Path::new(SAMPLE), &unit);
    assert_eq!(build(&unit, &out, &["--json"]).status.code(), Some(0));
    let before = contents(&out.join("kecamatan-kanigaran"));
    assert!(before.len() > 20, "{} files", before.len());

    // Change a workbook (so the tables and temuan.csv change) and break the PDF stage.
    std::fs::copy(
        unit.join("kinerja-pelayanan-2019-2023.csv"),
        unit.join("kinerja-salinan.csv"),
    )
    .unwrap();
    std::fs::write(
        unit.join("naskah/bab-5.typ"),
        "= Strategi\n#panic(\"naskah rusak\")\n",
    )
    .unwrap();
    let failed = build(&unit, &out, &["--json"]);
    assert_eq!(failed.status.code(), Some(2));
    let s = &summary(&failed)["kecamatan-kanigaran"];
    assert_eq!(s["hasil"], "gagal");
    let why = s["alasan"].as_str().unwrap();
    assert!(why.contains("bab-5.typ"), "{s:?}");
    assert!(
        why.contains("renstra.pdf"),
        "names the missing document: {why}"
    );

    // The findings and workbooks are the new ones (they read the copied CSV); the PDFs are gone
    // rather than left over from the previous build.
    let after = out.join("kecamatan-kanigaran");
    let temuan = std::fs::read_to_string(after.join("temuan.csv")).unwrap();
    assert!(
        temuan.contains("kinerja-salinan.csv"),
        "temuan.csv is current"
    );
    assert_ne!(
        std::fs::read(after.join("tabel-renstra.xlsx")).unwrap(),
        before[&std::path::PathBuf::from("tabel-renstra.xlsx")]
    );
    for document in [
        "renstra.pdf",
        "berita-acara.pdf",
        "lampiran-berita-acara.xlsx",
    ] {
        assert!(
            !after.join(document).exists(),
            "{document} is not left stale"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(after.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["tidak_dibuat"][0]["berkas"], "renstra.pdf");
    assert_eq!(manifest["kunci_build"], "", "the next run builds it again");
    assert_eq!(
        names_in(&out),
        vec![
            ".renstra.lock".to_string(),
            "kecamatan-kanigaran".to_string()
        ],
        "no staging folder is left behind"
    );
}

#[test]
fn a_second_build_on_the_same_output_folder_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("kecamatan-kanigaran");
    let out = dir.path().join("output");
    copy_dir(Path::new(SAMPLE), &unit);

    let lock = renstra::pipeline::OutputLock::acquire(&out).expect("the first lock is free");
    let refused = build(&unit, &out, &[]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("sedang dipakai"), "{stderr}");
    assert!(
        !out.join("kecamatan-kanigaran").exists(),
        "nothing was written while locked"
    );

    drop(lock);
    assert_eq!(build(&unit, &out, &[]).status.code(), Some(0));
}

/// The watcher process, killed if the test fails before stopping it.
struct Watcher(std::process::Child);

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Lines the watcher prints, as they come.
fn spawn_watch(input: &Path, out: &Path) -> (Watcher, mpsc::Receiver<String>) {
    let mut child = renstra()
        .arg("watch")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--templates")
        .arg(TEMPLATES)
        .args(["--quiet-ms", "800"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Watcher(child), rx)
}

fn wait_for(rx: &mpsc::Receiver<String>, seen: &mut Vec<String>, what: &str, within: Duration) {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            let found = line.contains(what);
            seen.push(line);
            if found {
                return;
            }
        }
    }
    panic!(
        "no line with {what:?} within {within:?}; saw:\n{}",
        seen.join("\n")
    );
}

/// The sample as `dir/input/kecamatan-kanigaran` without its `strategi-kebijakan.xlsx`, for a
/// test to copy in slowly: the input and output folders, the workbook's path and its bytes.
fn sample_without_a_workbook(dir: &Path) -> (PathBuf, PathBuf, PathBuf, Vec<u8>) {
    let input = dir.join("input");
    let unit = input.join("kecamatan-kanigaran");
    copy_dir(Path::new(SAMPLE), &unit);
    let workbook = unit.join("strategi-kebijakan.xlsx");
    let bytes = std::fs::read(&workbook).unwrap();
    std::fs::remove_file(&workbook).unwrap();
    (input, dir.join("output"), workbook, bytes)
}

#[test]
fn watch_rebuilds_once_after_a_slowly_copied_workbook_is_complete_and_stops_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out, workbook, bytes) = sample_without_a_workbook(dir.path());
    let unit = input.join("kecamatan-kanigaran");

    let (mut child, rx) = spawn_watch(&input, &out);
    let mut seen = Vec::new();
    wait_for(&rx, &mut seen, "Memantau", Duration::from_secs(60));
    let initial = seen
        .iter()
        .filter(|l| l.starts_with("kecamatan-kanigaran:"))
        .count();
    assert_eq!(initial, 1, "one initial build: {seen:?}");

    // Excel's owner file alone never triggers a build.
    std::fs::write(unit.join("~$strategi-kebijakan.xlsx"), b"owner").unwrap();
    // Copy the workbook in slowly: a chunk every 250 ms, each gap shorter than the quiet period.
    let mut file = std::fs::File::create(&workbook).unwrap();
    for chunk in bytes.chunks(bytes.len().div_ceil(8)) {
        file.write_all(chunk).unwrap();
        file.flush().unwrap();
        std::thread::sleep(Duration::from_millis(250));
    }
    drop(file);
    let copied_at = Instant::now();
    wait_for(
        &rx,
        &mut seen,
        "kecamatan-kanigaran:",
        Duration::from_secs(60),
    );
    assert!(
        copied_at.elapsed() >= Duration::from_millis(700),
        "the rebuild waited for the quiet period"
    );
    let result = seen.last().unwrap().clone();
    assert!(result.contains("disusun"), "{result}");
    // The rebuilt outputs read the whole workbook, not half of it.
    let manifest = std::fs::read_to_string(out.join("kecamatan-kanigaran/manifest.json")).unwrap();
    assert!(manifest.contains("strategi-kebijakan.xlsx"), "{manifest}");
    assert!(
        !result.contains("GAGAL"),
        "a half-written workbook was never read: {result}"
    );

    // Nothing else happens while nothing changes.
    std::thread::sleep(Duration::from_secs(3));
    while let Ok(line) = rx.try_recv() {
        seen.push(line);
    }
    let builds = seen
        .iter()
        .filter(|l| l.starts_with("kecamatan-kanigaran:"))
        .count();
    assert_eq!(
        builds, 2,
        "the initial build and exactly one rebuild: {seen:?}"
    );

    // A bad file is reported and the watch goes on; the next good change builds again.
    let bab2 = unit.join("naskah/bab-2.typ");
    let good = std::fs::read(&bab2).unwrap();
    std::fs::write(&bab2, "= Gambaran\n#let x = (\n").unwrap();
    wait_for(
        &rx,
        &mut seen,
        "kecamatan-kanigaran:",
        Duration::from_secs(60),
    );
    assert!(seen.last().unwrap().contains("GAGAL"), "{seen:?}");
    wait_for(
        &rx,
        &mut seen,
        "naskah/bab-2.typ baris 2",
        Duration::from_secs(5),
    );
    std::fs::write(&bab2, &good).unwrap();
    wait_for(
        &rx,
        &mut seen,
        "kecamatan-kanigaran:",
        Duration::from_secs(60),
    );
    // Back to the content of the last good build: the failed build wrote current findings and
    // workbooks without the documents, so the unit is built again, documents included.
    assert!(seen.last().unwrap().contains("disusun"), "{seen:?}");

    // Ctrl-C stops it cleanly.
    let pid = i32::try_from(child.0.id()).unwrap();
    // SAFETY: sending a signal to our own child process, whose pid we hold.
    unsafe {
        libc::kill(pid, libc::SIGINT);
    }
    wait_for(&rx, &mut seen, "Berhenti.", Duration::from_secs(10));
    let status = child.0.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{seen:?}");
}

#[test]
fn a_unit_made_by_init_builds_at_once_and_its_findings_say_what_to_fill_in() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("dinas-baru");
    let out = dir.path().join("output");
    let init = renstra().arg("init").arg(&unit).output().unwrap();
    assert_eq!(init.status.code(), Some(0), "{init:?}");
    assert!(unit.join("renstra.toml").is_file());
    assert!(unit.join("naskah/bab-1.typ").is_file());
    let workbooks = names_in(&unit)
        .into_iter()
        .filter(|n| n.ends_with(".xlsx"))
        .count();
    assert!(workbooks >= 6, "{workbooks} workbooks");
    // Every narrative file teaches the marks that matter and shows the three data commands.
    for name in names_in(&unit.join("naskah")) {
        let text = std::fs::read_to_string(unit.join("naskah").join(&name)).unwrap();
        for taught in [
            "\\*",
            "\\_",
            "\\@",
            "\\$",
            "\\#",
            "#tabel(\"",
            "#fakta(\"",
            "#grafik(\"",
        ] {
            assert!(text.contains(taught), "{name} does not show {taught}");
        }
    }

    let built = build(&unit, &out, &["--json"]);
    assert_eq!(built.status.code(), Some(0), "{built:?}");
    let s = &summary(&built)["dinas-baru"];
    assert_eq!(s["hasil"], "disusun");
    assert_eq!(s["kesalahan"], 0);
    assert!(
        s["peringatan"].as_u64().unwrap() > 0,
        "empty sheets are warned about"
    );
    let findings = std::fs::read_to_string(out.join("dinas-baru/temuan.csv")).unwrap();
    assert!(findings.contains("SHEET-EMPTY"), "{findings}");
    // The Berita Acara's empty place, date and signatures are named, not printed blank silently.
    assert!(findings.contains("VERIFIKASI-INCOMPLETE"), "{findings}");
    assert!(
        findings.contains("tempat, tanggal, verifikator.nama"),
        "{findings}"
    );
    assert!(out.join("dinas-baru/renstra.pdf").is_file());
    // Without --kode-bidang the line is left for the officer, never another unit's 7.01.
    let config = std::fs::read_to_string(unit.join("renstra.toml")).unwrap();
    assert!(!config.contains("kode_bidang = \"7.01\""), "{config}");
    assert!(config.contains("[verifikasi]"));

    // init refuses to overwrite an existing unit.
    let again = renstra().arg("init").arg(&unit).output().unwrap();
    assert_eq!(again.status.code(), Some(2));

    // --kode-bidang writes the unit's own code; one that is not a bidang is refused.
    let dinkes = dir.path().join("dinas-kesehatan");
    let init = renstra()
        .args(["init", "--kode-bidang", "1.02"])
        .arg(&dinkes)
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0), "{init:?}");
    let config = std::fs::read_to_string(dinkes.join("renstra.toml")).unwrap();
    assert!(config.contains("kode_bidang = \"1.02\""), "{config}");
    let wrong = renstra()
        .args(["init", "--kode-bidang", "1.02.03"])
        .arg(dir.path().join("salah"))
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("bukan kode bidang urusan"));
}

/// The sample's renstra.toml with one edit; returns the build's error text.
fn config_error(edit: impl Fn(&str) -> String) -> String {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("unit");
    copy_dir(Path::new(SAMPLE), &unit);
    let path = unit.join("renstra.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit applied");
    std::fs::write(&path, edited).unwrap();
    let output = build(&unit, &dir.path().join("output"), &["--json"]);
    assert_eq!(output.status.code(), Some(2));
    summary(&output)["unit"]["alasan"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The 1-based line of the first line containing `needle` in the sample's renstra.toml.
fn sample_line(needle: &str, after: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(SAMPLE).join("renstra.toml")).unwrap();
    let start = text.lines().position(|l| l.trim() == after).unwrap();
    start
        + 1
        + text
            .lines()
            .skip(start)
            .position(|l| l.contains(needle))
            .unwrap()
}

#[test]
fn configuration_errors_give_line_column_and_the_expected_form() {
    // An unknown key (a typo), on the line of `nama` in [perangkat_daerah].
    let line = sample_line("nama = ", "[perangkat_daerah]");
    let typo = config_error(|t| t.replacen("\nnama = ", "\nnamaa = ", 1));
    assert!(
        typo.contains(&format!(
            "baris {line}, kolom 1: kunci `namaa` tidak dikenal"
        )),
        "{typo}"
    );
    assert!(typo.contains("`nama`"), "lists the known keys: {typo}");

    // A wrong type: a year in quotes.
    let line = sample_line("awal = 2025", "[periode]");
    let quoted = config_error(|t| t.replacen("awal = 2025", "awal = \"2025\"", 1));
    assert!(
        quoted.contains(&format!("baris {line}, kolom 8: jenis nilai salah")),
        "{quoted}"
    );
    assert!(quoted.contains("bilangan bulat"), "{quoted}");

    // A date that does not exist.
    let line = sample_line("tanggal = ", "[verifikasi]");
    let date = config_error(|t| {
        t.replacen(
            "tanggal = \"24 Januari 2024\"",
            "tanggal = \"31 Februari 2024\"",
            1,
        )
    });
    assert!(
        date.contains(&format!(
            "baris {line}, kolom 1: verifikasi.tanggal \"31 Februari 2024\""
        )),
        "{date}"
    );
    assert!(
        date.contains("24 Januari 2024"),
        "gives the expected form: {date}"
    );
}

/// A different renstra (here the same program with one byte more, as a new build would differ)
/// rebuilds an unchanged unit instead of showing the old build's findings as current; the same
/// renstra again leaves it as it is.
#[test]
fn another_renstra_rebuilds_an_unchanged_unit() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("kecamatan-kanigaran");
    let out = dir.path().join("output");
    copy_dir(Path::new(SAMPLE), &unit);
    let other = dir.path().join("renstra-lain");
    let mut exe = std::fs::read(env!("CARGO_BIN_EXE_renstra")).unwrap();
    exe.push(0);
    std::fs::write(&other, exe).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = |exe: &Path| {
        let output = build_by(exe, &unit, &out, Path::new(TEMPLATES), &["--json"]);
        summary(&output)["kecamatan-kanigaran"]["hasil"].clone()
    };
    assert_eq!(run(Path::new(env!("CARGO_BIN_EXE_renstra"))), "disusun");
    assert_eq!(run(&other), "disusun", "another renstra rebuilds");
    assert_eq!(
        run(&other),
        "tidak-berubah",
        "the same renstra again does not"
    );
}

#[test]
fn the_binary_alone_typesets_from_any_folder_and_a_missing_template_folder_says_so() {
    // An officer's own folder: only the unit, no templates beside it, renstra run from there.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(SAMPLE), &dir.path().join("kanigaran"));
    let built = renstra()
        .current_dir(dir.path())
        .args(["build", "kanigaran", "--out", "hasil", "--quiet"])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let pdf = dir
        .path()
        .join("hasil")
        .join("kanigaran")
        .join("renstra.pdf");
    let bytes = std::fs::read(&pdf).expect("the Renstra PDF is written");
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(pages) = pdfinfo_pages(&pdf) {
        assert!(pages > 10, "the Renstra PDF is typeset: {pages} pages");
    }
    // The compiled templates are the repository's: the same PDF as with --templates templates/.
    let with_folder = build(
        &dir.path().join("kanigaran"),
        &dir.path().join("lagi"),
        &["--quiet"],
    );
    assert!(with_folder.status.success());
    let again = dir
        .path()
        .join("lagi")
        .join("kanigaran")
        .join("renstra.pdf");
    assert!(
        bytes == std::fs::read(&again).unwrap(),
        "same templates, same bytes"
    );
    // A --templates folder that is not there is named, in Indonesian, and nothing is built.
    let missing = renstra()
        .current_dir(dir.path())
        .args([
            "build",
            "kanigaran",
            "--out",
            "baru",
            "--templates",
            "tidak-ada",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let said = String::from_utf8_lossy(&missing.stderr);
    assert!(
        said.contains("folder templat tidak-ada tidak ada"),
        "{said}"
    );
    assert!(!dir.path().join("baru").join("kanigaran").exists());
}

/// Help, every subcommand's help and argument errors are Indonesian; `bantuan` and `help` are
/// the same command.
#[test]
fn help_and_argument_errors_speak_indonesian() {
    let run = |args: &[&str]| {
        let out = renstra().args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let english = [
        "Usage:",
        "Options:",
        "Arguments:",
        "Commands:",
        "Print help",
        "[default:",
        "error:",
        "tip:",
    ];
    let (code, main_help, _) = run(&["--help"]);
    assert_eq!(code, Some(0));
    for heading in [
        "Penggunaan:",
        "Perintah:",
        "Argumen:",
        "Pilihan:",
        "bantuan",
        "Tampilkan bantuan",
    ] {
        assert!(
            main_help.contains(heading),
            "{heading} missing: {main_help}"
        );
    }
    for sub in ["build", "check", "watch", "init"] {
        let (code, by_flag, _) = run(&[sub, "--help"]);
        assert_eq!(code, Some(0), "{sub} --help");
        let (_, by_bantuan, _) = run(&["bantuan", sub]);
        let (_, by_help, _) = run(&["help", sub]);
        assert_eq!(by_bantuan, by_flag, "bantuan {sub}");
        assert_eq!(by_help, by_flag, "help {sub}");
        assert!(
            by_flag.contains(&format!("Penggunaan: renstra {sub} [PILIHAN]")),
            "{by_flag}"
        );
        for word in english {
            assert!(
                !by_flag.contains(word),
                "{sub} --help says {word}: {by_flag}"
            );
        }
    }
    for word in english {
        assert!(!main_help.contains(word), "--help says {word}: {main_help}");
    }
    // A mistyped option: what is wrong, the usage line and where help is, exit 2.
    let (code, _, error) = run(&["build", "--keluar", "x"]);
    assert_eq!(code, Some(2));
    assert!(
        error.starts_with("renstra: pilihan atau argumen --keluar tidak dikenal"),
        "{error}"
    );
    assert!(
        error.contains("Penggunaan: renstra build [PILIHAN] [INPUT]"),
        "{error}"
    );
    assert!(error.contains("renstra bantuan"), "{error}");
    let (code, _, error) = run(&["init"]);
    assert_eq!(code, Some(2));
    assert!(error.contains("<FOLDER> harus diisi"), "{error}");
    let (code, _, error) = run(&["build", "-v", "-q"]);
    assert_eq!(code, Some(2));
    assert!(error.contains("tidak dapat dipakai bersama"), "{error}");
    for word in english {
        assert!(!error.contains(word), "{word} in {error}");
    }
}

/// The officer's whole path with nothing but the binary: from an empty folder (no templates
/// anywhere near), `init` a unit, fill in its configuration and its budget workbook under the
/// headers `init` wrote, write a line of narrative, `build`, and get the verified PDF.
#[test]
fn from_an_empty_folder_init_fill_and_build_give_the_pdf() {
    use calamine::{Reader, open_workbook_auto};
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    let run = |args: &[&str]| renstra().current_dir(here).args(args).output().unwrap();
    let init = run(&["init", "dinas-kesehatan", "--kode-bidang", "1.02"]);
    assert_eq!(init.status.code(), Some(0), "{init:?}");
    let unit = here.join("dinas-kesehatan");

    // The configuration, as the comments in it ask.
    let config = std::fs::read_to_string(unit.join("renstra.toml")).unwrap();
    let filled = config
        .replace(
            "nama = \"Nama Perangkat Daerah\"",
            "nama = \"Dinas Kesehatan\"",
        )
        .replace("\"Kota/Kabupaten ...\"", "\"Kota Uji\"")
        .replace(
            "jabatan = \"Kepala ...\"",
            "jabatan = \"Kepala Dinas Kesehatan\"",
        )
        .replace("tempat = \"\"", "tempat = \"Uji\"")
        .replace("tanggal = \"\"", "tanggal = \"24 Januari 2025\"")
        .replace("nama = \"\"", "nama = \"PETUGAS UJI\"")
        .replace("nip = \"\"", "nip = \"19800101 200501 1 001\"");
    std::fs::write(unit.join("renstra.toml"), filled).unwrap();

    // The budget workbook: init's own headers, four lines a year. By hand: the kegiatan and the
    // program are 100.000.000 + 50.000.000 = 150.000.000 of anggaran and 95.000.000 +
    // 40.000.000 = 135.000.000 of realisasi, a ratio of 135 / 150 × 100 = 90,00.
    let path = unit.join("anggaran-realisasi.xlsx");
    let mut blank = open_workbook_auto(&path).unwrap();
    let sheet_name = blank.sheet_names()[0].clone();
    let range = blank.worksheet_range(&sheet_name).unwrap();
    let headers: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    drop(blank);
    let lines = [
        (
            "1.02.01",
            "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
            150_000_000.0,
            135_000_000.0,
        ),
        (
            "1.02.01.2.01",
            "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
            150_000_000.0,
            135_000_000.0,
        ),
        (
            "1.02.01.2.01.0001",
            "Penyusunan Dokumen Perencanaan Perangkat Daerah",
            100_000_000.0,
            95_000_000.0,
        ),
        (
            "1.02.01.2.01.0002",
            "Koordinasi dan Penyusunan Dokumen RKA-SKPD",
            50_000_000.0,
            40_000_000.0,
        ),
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name(&sheet_name).unwrap();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, (kode, uraian, anggaran, realisasi)) in lines.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, h) in headers.iter().enumerate() {
            let c = c as u16;
            match h.split(' ').next().unwrap() {
                "Kode" => sheet.write_string(r, c, *kode).map(|_| ()),
                "Uraian" => sheet.write_string(r, c, *uraian).map(|_| ()),
                "Anggaran" => sheet.write_number(r, c, *anggaran).map(|_| ()),
                "Realisasi" => sheet.write_number(r, c, *realisasi).map(|_| ()),
                _ => Ok(()),
            }
            .unwrap();
        }
    }
    book.save(&path).unwrap();
    assert!(
        headers.iter().any(|h| h == "Anggaran 2023")
            && headers.iter().any(|h| h == "Realisasi 2019"),
        "{headers:?}"
    );

    // A line of narrative with an e-mail address, written as the file's own guide says.
    let bab2 = unit.join("naskah/bab-2.typ");
    let narrative = std::fs::read_to_string(&bab2).unwrap().replacen(
        "(Tulis isi sub bab ini.)",
        "Pertanyaan dapat dikirim ke dinkes_kota\\@yahoo.co.id; \\*) data sementara.",
        1,
    );
    std::fs::write(&bab2, narrative).unwrap();

    assert!(!here.join("templates").exists());
    let built = run(&["build", "dinas-kesehatan", "--json"]);
    assert_eq!(built.status.code(), Some(0), "{built:?}");
    let s = &summary(&built)["dinas-kesehatan"];
    assert_eq!(s["hasil"], "disusun", "{s}");
    assert_eq!(s["kesalahan"], 0, "{s}");
    let out = here.join("output/dinas-kesehatan");
    let pdf = out.join("renstra.pdf");
    assert!(pdf.is_file());
    assert!(out.join("berita-acara.pdf").is_file());
    if let Some(pages) = pdfinfo_pages(&pdf) {
        assert!(pages >= 5, "{pages} pages");
    }
    match std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
    {
        Ok(text) if text.status.success() => {
            let text = String::from_utf8_lossy(&text.stdout);
            for expected in [
                "Dinas Kesehatan",
                "1.02.01.2.01.0002",
                "150.000.000,00",
                "135.000.000,00",
                "90,00",
                "dinkes_kota@yahoo.co.id",
                "*) data sementara",
            ] {
                assert!(text.contains(expected), "the PDF lacks {expected}");
            }
        }
        _ => eprintln!("pdftotext (poppler-utils) is not installed: the PDF's text not checked"),
    }
}

/// Issue 18, item 8: a copy that stalls three seconds mid-file (longer than the quiet period) is
/// not built from: the half-written workbook has no zip end record, so the watch waits for the
/// rest and builds once, from the whole file. Before, the half file was built and published as
/// INPUT-UNREADABLE.
#[test]
fn watch_waits_for_a_stalled_copy_instead_of_building_from_half_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let (input, out, workbook, bytes) = sample_without_a_workbook(dir.path());

    let (_child, rx) = spawn_watch(&input, &out);
    let mut seen = Vec::new();
    wait_for(&rx, &mut seen, "Memantau", Duration::from_secs(60));
    let mut file = std::fs::File::create(&workbook).unwrap();
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    file.write_all(head).unwrap();
    file.flush().unwrap();
    std::thread::sleep(Duration::from_secs(3));
    while let Ok(line) = rx.try_recv() {
        seen.push(line);
    }
    let before = seen
        .iter()
        .filter(|l| l.starts_with("kecamatan-kanigaran:"))
        .count();
    assert_eq!(
        before, 1,
        "only the initial build while the copy stalls: {seen:?}"
    );
    file.write_all(tail).unwrap();
    drop(file);
    wait_for(
        &rx,
        &mut seen,
        "kecamatan-kanigaran:",
        Duration::from_secs(60),
    );
    let temuan = std::fs::read_to_string(out.join("kecamatan-kanigaran/temuan.csv")).unwrap();
    assert!(
        !temuan
            .lines()
            .any(|l| l.contains("INPUT-UNREADABLE") && l.contains("strategi-kebijakan")),
        "the whole workbook was read"
    );
    let manifest = std::fs::read_to_string(out.join("kecamatan-kanigaran/manifest.json")).unwrap();
    assert!(manifest.contains("strategi-kebijakan.xlsx"), "{manifest}");
}
