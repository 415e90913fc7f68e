//! The command line: parsing (clap) and everything printed for people.
//!
//! The library returns data and typed errors; this module turns them into Bahasa Indonesia for the
//! finance officer at the terminal, and into exit codes for scripts.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::export;
use crate::ingest::isolate::{self, Isolation};
use crate::ingest::{FileReport, IngestOptions};
use crate::model::{Finding, Severity};
use crate::pipeline::{self, Built, Checked, UnitError};

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
    /// Internal: parse one workbook and write its grids to stdout (runs in a bounded child).
    #[command(name = "internal-read", hide = true)]
    InternalRead {
        /// The workbook.
        path: PathBuf,
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
    /// Also list info-level findings.
    #[arg(short, long)]
    verbose: bool,
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
        Some(Command::InternalRead { path }) => {
            match isolate::serve(&path, &mut std::io::stdout().lock()) {
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

fn units_or_exit(input: &Path) -> Result<Vec<PathBuf>, ExitCode> {
    match pipeline::discover_units(input) {
        Ok(units) if !units.is_empty() => Ok(units),
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

fn build(args: &BuildArgs) -> ExitCode {
    let units = match units_or_exit(&args.input) {
        Ok(u) => u,
        Err(code) => return code,
    };
    let options = ingest_options();
    let results: Vec<(PathBuf, Result<Built, UnitError>)> = units
        .par_iter()
        .map(|unit| {
            let out = args.out.join(pipeline::unit_name(unit));
            let built = pipeline::build_unit(unit, &out, &args.templates, &options);
            (unit.clone(), built)
        })
        .collect();
    let mut failed = 0;
    let mut stdout = std::io::stdout().lock();
    for (unit, result) in &results {
        match result {
            Ok(built) => {
                let out = args.out.join(pipeline::unit_name(unit));
                report_unit(&mut stdout, unit, &built.checked, args.verbose);
                let _ = writeln!(stdout, "  Hasil di {}:", out.display());
                for o in &built.outputs {
                    let _ = writeln!(stdout, "    {}", o.display());
                }
                let _ = writeln!(
                    stdout,
                    "  Selesai dalam {:.1} detik.\n",
                    built.elapsed.as_secs_f64()
                );
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(stdout, "GAGAL {}: {e}\n", unit.display());
            }
        }
    }
    if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let units = match units_or_exit(&args.input) {
        Ok(u) => u,
        Err(code) => return code,
    };
    let options = ingest_options();
    let results: Vec<(PathBuf, Result<Checked, UnitError>)> = units
        .par_iter()
        .map(|unit| (unit.clone(), pipeline::check_unit(unit, &options)))
        .collect();
    let mut stdout = std::io::stdout().lock();
    let mut errors = 0;
    let mut failed = false;
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
