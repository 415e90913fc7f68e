//! The command line: parsing (clap) and everything printed for people.
//!
//! The library returns data and typed errors; this module turns them into Bahasa Indonesia for the
//! finance officer at the terminal, and into exit codes for scripts.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod watch;

use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::export;
use crate::ingest::IngestOptions;
use crate::ingest::isolate::{self, Isolation};
use crate::model::{FileReport, Finding, Severity};
use crate::pipeline::{self, Checked, UnitError};

/// renstra: turns a unit's budget workbooks into its verified Renstra (Permendagri 86/2017).
#[derive(Debug, Parser)]
#[command(
    name = "renstra",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    build: BuildArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read, verify and write every output for each unit (the default).
    Build(BuildArgs),
    /// Read and verify only; exit 1 when an error-level finding exists.
    Check(CheckArgs),
    /// Build, then rebuild each unit whose files change, until Ctrl-C.
    Watch(WatchArgs),
    /// Create a new unit folder: renstra.toml, blank workbooks with their headers, narrative.
    Init(InitArgs),
    /// Internal: parse one workbook and write its grids to stdout (runs in a bounded child).
    #[command(name = "internal-read", hide = true)]
    InternalRead {
        /// The workbook.
        path: PathBuf,
        /// Address-space limit the reader sets on itself before parsing, in bytes.
        #[arg(long)]
        memory_limit: Option<u64>,
    },
}

#[derive(Debug, Args)]
struct BuildArgs {
    /// A unit folder, or a folder of unit folders (each with a renstra.toml).
    #[arg(default_value = "input")]
    input: PathBuf,
    /// Where the outputs go: one folder per unit.
    #[arg(long, default_value = "output")]
    out: PathBuf,
    /// The Typst templates folder.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    /// List every finding, warnings and info included.
    #[arg(short, long, conflicts_with = "quiet")]
    verbose: bool,
    /// Print only the summary table (and failures).
    #[arg(short, long)]
    quiet: bool,
    /// Print the summary as JSON on stdout, for scripts.
    #[arg(long)]
    json: bool,
    /// Rebuild even the units whose inputs have not changed.
    #[arg(long)]
    force: bool,
    /// Exit 1 when a unit has an error-level finding (as `check` always does).
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Args)]
struct WatchArgs {
    /// A unit folder, or a folder of unit folders (each with a renstra.toml).
    #[arg(default_value = "input")]
    input: PathBuf,
    /// Where the outputs go: one folder per unit.
    #[arg(long, default_value = "output")]
    out: PathBuf,
    /// The Typst templates folder.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    /// How long files must stay unchanged before a rebuild, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    quiet_ms: u64,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The new unit's folder, e.g. input/dinas-kesehatan.
    folder: PathBuf,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// A unit folder, or a folder of unit folders (each with a renstra.toml).
    #[arg(default_value = "input")]
    input: PathBuf,
    /// Where each unit's temuan.csv is written (one folder per unit).
    #[arg(long, default_value = "output")]
    out: PathBuf,
    /// Also list info-level findings.
    #[arg(short, long)]
    verbose: bool,
}

/// Parses the arguments and runs the command; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check(args)) => check(&args),
        Some(Command::Build(args)) => build(&args),
        Some(Command::Watch(args)) => watch::run(&args),
        Some(Command::Init(args)) => init(&args),
        Some(Command::InternalRead { path, memory_limit }) => {
            match isolate::serve(&path, memory_limit, &mut std::io::stdout().lock()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(3),
            }
        }
        None => build(&cli.build),
    }
}

/// Workbooks are read in bounded child processes of this same executable.
fn ingest_options() -> IngestOptions {
    IngestOptions {
        isolation: Isolation::current_exe().ok(),
    }
}

/// The units under `input`, and the refused ones (links out of the input folder), or the exit
/// code when there is nothing to do.
fn units_or_exit(input: &Path) -> Result<pipeline::Discovered, ExitCode> {
    match pipeline::discover(input) {
        Ok(found) if !(found.units.is_empty() && found.refused.is_empty()) => Ok(found),
        Ok(_) => {
            eprintln!(
                "renstra: tidak ada unit di {}: sebuah unit adalah folder yang berisi renstra.toml.",
                input.display()
            );
            Err(ExitCode::from(2))
        }
        Err(e) => {
            eprintln!(
                "renstra: folder {} tidak dapat dibaca: {e}",
                input.display()
            );
            Err(ExitCode::from(2))
        }
    }
}

/// The summary of a unit folder refused before any work.
fn refused_summary(unit: &Path, why: &str) -> UnitSummary {
    UnitSummary {
        unit: pipeline::unit_name(unit),
        hasil: "gagal",
        kesalahan: 0,
        peringatan: 0,
        info: 0,
        halaman: 0,
        detik: 0.0,
        tahap: None,
        galat: Some(why.to_string()),
        laporan: format!("GAGAL {}: {why}\n", unit.display()),
    }
}

/// One unit's result, kept small so a batch of hundreds of units never holds their data at once.
#[derive(Debug, serde::Serialize)]
struct UnitSummary {
    unit: String,
    /// `dibangun`, `tidak-berubah` or `gagal`.
    hasil: &'static str,
    kesalahan: usize,
    peringatan: usize,
    info: usize,
    halaman: usize,
    detik: f64,
    /// Seconds spent in each stage, for units built in this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    tahap: Option<Stages>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    galat: Option<String>,
    /// The per-unit report for people.
    #[serde(skip)]
    laporan: String,
}

/// Seconds per stage of one unit's build ([`pipeline::Timings`]), as `--json` prints them.
#[derive(Debug, serde::Serialize)]
struct Stages {
    /// Reading the configuration and every workbook.
    baca: f64,
    /// Normalizing, reconciling and building the tables.
    periksa: f64,
    /// tabel-renstra.xlsx and the CSVs.
    tabel: f64,
    /// renstra.pdf.
    pdf: f64,
    /// berita-acara.pdf and its lampiran.
    berita_acara: f64,
    /// The build key, the manifest and putting the files in place.
    tulis: f64,
}

impl From<&pipeline::Timings> for Stages {
    fn from(t: &pipeline::Timings) -> Stages {
        Stages {
            baca: t.ingest.as_secs_f64(),
            periksa: t.reconcile.as_secs_f64(),
            tabel: t.xlsx_csv.as_secs_f64(),
            pdf: t.pdf.as_secs_f64(),
            berita_acara: t.berita_acara.as_secs_f64(),
            tulis: t.publish.as_secs_f64(),
        }
    }
}

fn build_one(
    unit: &Path,
    out: &Path,
    templates: &Path,
    options: &IngestOptions,
    force: bool,
    verbose: bool,
) -> UnitSummary {
    let started = std::time::Instant::now();
    let name = pipeline::unit_name(unit);
    let out_dir = out.join(&name);
    let mut summary = UnitSummary {
        unit: name,
        hasil: "gagal",
        kesalahan: 0,
        peringatan: 0,
        info: 0,
        halaman: 0,
        detik: 0.0,
        tahap: None,
        galat: None,
        laporan: String::new(),
    };
    match pipeline::build_unit_if_changed(unit, &out_dir, templates, options, force) {
        Ok(pipeline::Outcome::Built(built)) => {
            let mut text = Vec::new();
            report_unit(&mut text, unit, &built.checked, verbose);
            let _ = writeln!(text, "  Hasil di {}:", out_dir.display());
            for o in &built.outputs {
                let _ = writeln!(text, "    {}", o.display());
            }
            summary.laporan = String::from_utf8_lossy(&text).into_owned();
            summary.hasil = "dibangun";
            summary.kesalahan = built.checked.count(Severity::Error);
            summary.peringatan = built.checked.count(Severity::Warning);
            summary.info = built.checked.count(Severity::Info);
            summary.halaman = built.pages;
            summary.tahap = Some(Stages::from(&built.timings));
        }
        Ok(pipeline::Outcome::Unchanged(previous)) => {
            summary.hasil = "tidak-berubah";
            summary.kesalahan = previous.temuan.kesalahan;
            summary.peringatan = previous.temuan.peringatan;
            summary.info = previous.temuan.info;
            summary.halaman = previous.halaman;
            summary.laporan = format!(
                "== {} ({}): tidak ada yang berubah sejak penyusunan terakhir; hasil lama di {} tetap dipakai (--force untuk menyusun ulang).\n",
                summary.unit,
                unit.display(),
                out_dir.display()
            );
        }
        Err(e) => {
            summary.galat = Some(e.to_string());
            summary.laporan = format!("GAGAL {}: {e}\n", unit.display());
        }
    }
    summary.detik = started.elapsed().as_secs_f64();
    summary
}

fn build(args: &BuildArgs) -> ExitCode {
    let found = match units_or_exit(&args.input) {
        Ok(u) => u,
        Err(code) => return code,
    };
    let units = &found.units;
    let _lock = match pipeline::OutputLock::acquire(&args.out) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("renstra: {e}");
            return ExitCode::from(2);
        }
    };
    let options = ingest_options();
    let bar = progress(units.len(), args.quiet || args.json);
    let mut summaries: Vec<UnitSummary> = for_each_unit(units, |unit| {
        let s = build_one(
            unit,
            &args.out,
            &args.templates,
            &options,
            args.force,
            args.verbose,
        );
        // Typst memoizes layouts in a process-wide cache: drop what no recent unit used, so a
        // batch of hundreds of units does not keep every unit's layout.
        typst::comemo::evict(UNIT_CACHE_AGE);
        bar.inc(1);
        s
    });
    bar.finish_and_clear();
    summaries.extend(
        found
            .refused
            .iter()
            .map(|(unit, why)| refused_summary(unit, why)),
    );
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let _ = serde_json::to_writer_pretty(&mut stdout, &summaries);
        let _ = writeln!(stdout);
    } else {
        for s in &summaries {
            if !args.quiet || s.galat.is_some() {
                let _ = writeln!(stdout, "{}", s.laporan);
            }
        }
        summary_table(&mut stdout, &summaries);
    }
    exit_code(&summaries, args.strict)
}

/// Evictions of Typst's cache (one per unit built) an unused entry survives: none. Units share
/// little beyond fonts and templates, and keeping one unit's layouts raised a 20-unit batch's
/// peak from 804 to 928 MiB at no gain in time.
const UNIT_CACHE_AGE: usize = 0;

/// Runs `f` on every unit, one unit per worker thread at a time, and returns the results in unit
/// order. Not a rayon `par_iter`: typesetting a unit uses rayon inside, and a rayon worker that
/// waits on it steals other tasks, so it would start unit after unit on top of the one it is
/// typesetting and hold many units in memory at once. Plain threads block instead, so at most
/// one unit per thread is in flight.
fn for_each_unit<T: Send>(units: &[PathBuf], f: impl Fn(&Path) -> T + Sync) -> Vec<T> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(units.len()));
    let workers = rayon::current_num_threads().clamp(1, units.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(unit) = units.get(index) else { break };
                    let result = f(unit);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((index, result));
                }
            });
        }
    });
    let mut done = results.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// 2 when a unit could not be built; with `strict`, 1 when one has an error-level finding.
fn exit_code(summaries: &[UnitSummary], strict: bool) -> ExitCode {
    if summaries.iter().any(|s| s.galat.is_some()) {
        ExitCode::from(2)
    } else if strict && summaries.iter().any(|s| s.kesalahan > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A progress bar on the terminal (none when output is not a terminal, or quiet).
fn progress(units: usize, hidden: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if hidden || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(units as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} unit  {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

fn summary_table(out: &mut impl Write, summaries: &[UnitSummary]) {
    let width = summaries
        .iter()
        .map(|s| s.unit.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:<width$}  {:<13} {:>9} {:>10} {:>8} {:>7}",
        "Unit", "Hasil", "Kesalahan", "Peringatan", "Halaman", "Detik"
    );
    for s in summaries {
        let _ = writeln!(
            out,
            "{:<width$}  {:<13} {:>9} {:>10} {:>8} {:>7.1}",
            s.unit, s.hasil, s.kesalahan, s.peringatan, s.halaman, s.detik
        );
    }
    let failed: Vec<&str> = summaries
        .iter()
        .filter(|s| s.galat.is_some())
        .map(|s| s.unit.as_str())
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(
            out,
            "Gagal disusun: {}. Lihat pesan GAGAL di atas, perbaiki, lalu jalankan lagi.",
            failed.join(", ")
        );
    }
}

fn init(args: &InitArgs) -> ExitCode {
    match crate::scaffold::init_unit(&args.folder) {
        Ok(files) => {
            println!("Unit baru dibuat di {}:", args.folder.display());
            for f in files {
                println!("  {}", f.display());
            }
            println!(
                "Langkah berikutnya: isi renstra.toml dan lembar-lembar kerjanya, lalu jalankan `renstra build {}`; temuannya menunjukkan apa yang masih perlu diisi.",
                args.folder.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("renstra: {e}");
            ExitCode::from(2)
        }
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let found = match units_or_exit(&args.input) {
        Ok(u) => u,
        Err(code) => return code,
    };
    let units = &found.units;
    let options = ingest_options();
    let results: Vec<(PathBuf, Result<Checked, UnitError>)> = units
        .par_iter()
        .map(|unit| (unit.clone(), pipeline::check_unit(unit, &options)))
        .collect();
    let mut stdout = std::io::stdout().lock();
    let mut errors = 0;
    let mut failed = !found.refused.is_empty();
    for (unit, why) in &found.refused {
        let _ = writeln!(stdout, "GAGAL {}: {why}\n", unit.display());
    }
    for (unit, result) in &results {
        match result {
            Ok(checked) => {
                report_unit(&mut stdout, unit, checked, args.verbose);
                errors += checked.count(Severity::Error);
                let path = args.out.join(pipeline::unit_name(unit)).join("temuan.csv");
                let written = export::csv::findings_csv(&checked.findings)
                    .and_then(|bytes| export::write_atomic(&path, &bytes));
                match written {
                    Ok(()) => {
                        let _ = writeln!(stdout, "  Temuan ditulis ke {}\n", path.display());
                    }
                    Err(e) => {
                        failed = true;
                        let _ = writeln!(stdout, "GAGAL menulis {}: {e}\n", path.display());
                    }
                }
            }
            Err(e) => {
                failed = true;
                let _ = writeln!(stdout, "GAGAL {}: {e}\n", unit.display());
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else if errors > 0 {
        let _ = writeln!(
            stdout,
            "Ada {errors} temuan tingkat kesalahan. Perbaiki sel-sel yang disebut di temuan.csv, lalu periksa lagi."
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The per-unit summary: files and their row accounting, finding counts, then the findings.
fn report_unit(out: &mut impl Write, unit: &Path, checked: &Checked, verbose: bool) {
    let _ = writeln!(
        out,
        "== {} ({})",
        checked.config.perangkat_daerah.nama,
        unit.display()
    );
    for file in &checked.files {
        report_file(out, file);
    }
    let _ = writeln!(
        out,
        "  Temuan: {} kesalahan, {} peringatan, {} info.",
        checked.count(Severity::Error),
        checked.count(Severity::Warning),
        checked.count(Severity::Info)
    );
    let mut per_rule: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for f in &checked.findings {
        *per_rule.entry((f.severity, f.rule.id())).or_default() += 1;
    }
    for ((severity, rule), n) in &per_rule {
        let _ = writeln!(out, "    {:<11} {rule:<18} {n}", severity.label());
    }
    let shown: Vec<&Finding> = checked
        .findings
        .iter()
        .filter(|f| verbose || f.severity == Severity::Error)
        .collect();
    for f in &shown {
        let _ = writeln!(out, "  - {f}");
    }
    let hidden = checked.findings.len() - shown.len();
    if hidden > 0 {
        let _ = writeln!(
            out,
            "  ({hidden} temuan peringatan/info lainnya ada di temuan.csv; tampilkan di sini dengan --verbose)"
        );
    }
}

fn report_file(out: &mut impl Write, file: &FileReport) {
    if let Some(reason) = &file.not_read {
        let _ = writeln!(out, "  {}: tidak dibaca — {reason}", file.file);
        return;
    }
    for sheet in &file.sheets {
        let kind = sheet.kind.map_or("tidak dikenali", |k| k.label());
        let hidden = if sheet.hidden { " [tersembunyi]" } else { "" };
        let _ = write!(out, "  {}{hidden}: {kind}", sheet.source);
        match &sheet.accounting {
            Some(a) => {
                let _ = writeln!(
                    out,
                    "; {} baris = {} judul + {} kepala + {} kosong + {} data + {} total + {} dilewati",
                    a.read,
                    a.title,
                    a.header,
                    a.blank,
                    a.data,
                    a.total,
                    a.skipped.len()
                );
            }
            None => {
                let _ = writeln!(out, "; {} baris, belum diolah", sheet.rows);
            }
        }
        if !sheet.unknown_columns.is_empty() {
            let _ = writeln!(
                out,
                "    kolom tidak dikenali: {}",
                sheet.unknown_columns.join(", ")
            );
        }
    }
}
