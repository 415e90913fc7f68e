//! The command line: parsing (clap) and everything printed for people.
//!
//! The library returns data and typed errors; this module turns them into Bahasa Indonesia for the
//! finance officer at the terminal, and into exit codes for scripts. An error reaches the person
//! once, through one function (`fail`).

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod watch;

use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use rayon::prelude::*;

use crate::batch::{self, BatchOptions, BatchStatus, UnitSummary};
use crate::export;
use crate::ingest::IngestOptions;
use crate::ingest::isolate::{self, Isolation};
use crate::messages::cli as say;
use crate::messages::help;
use crate::model::Severity;
use crate::pipeline::{self, Checked, UnitError};
use crate::render;

/// renstra: turns a unit's budget workbooks into its verified Renstra (Permendagri 86/2017).
#[derive(Debug, Parser)]
#[command(
    name = "renstra",
    version,
    about = help::ABOUT,
    after_help = help::AFTER_HELP,
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true
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
    #[command(about = help::BUILD)]
    Build(BuildArgs),
    /// Read and verify only; exit 1 when an error-level finding exists.
    #[command(about = help::CHECK)]
    Check(CheckArgs),
    /// Build, then rebuild each unit whose files change, until Ctrl-C.
    #[command(about = help::WATCH)]
    Watch(WatchArgs),
    /// Create a new unit folder: renstra.toml, blank workbooks with their headers, narrative.
    #[command(about = help::INIT)]
    Init(InitArgs),
    /// Merge the `--json` summaries of a sharded build into one report.
    #[command(about = help::SUMMARY)]
    Summary(SummaryArgs),
    /// The narrative: `impor` writes a Word or Writer document as `naskah/*.typ`.
    #[command(about = help::NASKAH)]
    Naskah {
        #[command(subcommand)]
        perintah: NaskahCommand,
    },
    /// Help, for the whole program or one command; `help` is the same.
    #[command(about = help::HELP_COMMAND, alias = "help")]
    Bantuan {
        /// The command to explain.
        #[arg(help = help::HELP_WHICH, value_name = "PERINTAH")]
        perintah: Option<String>,
    },
    /// Internal: typeset one document from the request on stdin and write the PDF (or the
    /// problems) to stdout (runs in a bounded child).
    #[command(name = "internal-typeset", hide = true)]
    InternalTypeset {
        /// Address-space limit the typesetter sets on itself before typesetting, in bytes.
        #[arg(long)]
        memory_limit: Option<u64>,
        /// Stay and answer length-prefixed requests until stdin ends, keeping the worlds.
        #[arg(long)]
        kept: bool,
        /// The templates folder.
        templates: PathBuf,
        /// The unit folder.
        unit: PathBuf,
    },
    /// Internal: parse one workbook and write its grids to stdout (runs in a bounded child).
    #[command(name = "internal-read", hide = true)]
    InternalRead {
        /// How the bytes on stdin are read: the file's extension (`xlsx`, `xls`, `ods`, …).
        #[arg(long)]
        ext: String,
        /// Address-space limit the reader sets on itself before parsing, in bytes.
        #[arg(long)]
        memory_limit: Option<u64>,
    },
}

/// What `renstra naskah` does.
#[derive(Debug, Subcommand)]
enum NaskahCommand {
    /// Write the document's narrative as `naskah/*.typ` in its unit folder, once.
    #[command(about = help::NASKAH_IMPORT)]
    Impor {
        /// The Word (.docx) or Writer (.odt) document, in the unit folder.
        #[arg(value_name = "BERKAS", help = help::NASKAH_DOCUMENT)]
        berkas: PathBuf,
    },
}

/// Where the units are and where their outputs go: shared by build, check and watch.
#[derive(Debug, Args)]
struct Folders {
    /// A unit folder, or a folder of unit folders (each with a renstra.toml).
    #[arg(default_value = "input", hide_default_value = true, help = help::INPUT)]
    input: PathBuf,
    /// Where the outputs go: one folder per unit.
    #[arg(
        long,
        default_value = "output",
        hide_default_value = true,
        value_name = "FOLDER",
        help = help::OUT
    )]
    out: PathBuf,
}

/// The Typst templates the documents are set with: shared by build and watch.
#[derive(Debug, Args)]
struct Templates {
    /// A Typst templates folder to use instead of the ones built into renstra (a `templates/`
    /// folder in the input folder is used without asking).
    #[arg(long, value_name = "FOLDER", help = help::TEMPLATES)]
    templates: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    folders: Folders,
    #[command(flatten)]
    templates: Templates,
    /// List every finding, warnings and info included.
    #[arg(short, long, conflicts_with = "quiet", help = help::VERBOSE)]
    verbose: bool,
    /// Print only the summary table (and failures).
    #[arg(short, long, help = help::QUIET)]
    quiet: bool,
    /// Print the summary as JSON on stdout, for scripts.
    #[arg(long, help = help::JSON)]
    json: bool,
    /// Rebuild even the units whose inputs have not changed.
    #[arg(long, help = help::FORCE)]
    force: bool,
    /// Exit 1 when a unit has an error-level finding (as `check` always does).
    #[arg(long, help = help::STRICT)]
    strict: bool,
    /// Build only shard K of N (units split by a stable hash of their folder name).
    #[arg(long, value_name = "K/N", help = help::SHARD)]
    shard: Option<batch::Shard>,
    /// The memory the whole build may take, in MiB: a unit's typesetting waits while its
    /// estimated peak does not fit beside the others'. Three quarters of the available memory
    /// when not given.
    #[arg(long, value_name = "MiB", value_parser = clap::value_parser!(u64).range(64..), help = help::MEMORY)]
    memory: Option<u64>,
}

#[derive(Debug, Args)]
struct SummaryArgs {
    /// The `--json` summaries of the shards.
    #[arg(value_name = "RINGKASAN", required = true, help = help::SUMMARY_FILES)]
    files: Vec<PathBuf>,
    /// Output folders whose units' manifest.json are added to the merged report.
    #[arg(long = "out", value_name = "FOLDER", help = help::SUMMARY_OUT)]
    outs: Vec<PathBuf>,
    /// Print the merged summary as JSON.
    #[arg(long, help = help::JSON)]
    json: bool,
    /// Exit 1 when a unit has an error-level finding.
    #[arg(long, help = help::STRICT)]
    strict: bool,
}

#[derive(Debug, Args)]
struct WatchArgs {
    #[command(flatten)]
    folders: Folders,
    #[command(flatten)]
    templates: Templates,
    /// How long files must stay unchanged before a rebuild, in milliseconds.
    #[arg(
        long,
        default_value_t = 1000,
        hide_default_value = true,
        value_name = "MILIDETIK",
        help = help::QUIET_MS
    )]
    quiet_ms: u64,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The new unit's folder, e.g. input/dinas-kesehatan.
    #[arg(value_name = "FOLDER", help = help::INIT_FOLDER)]
    folder: PathBuf,
    /// The unit's kode bidang urusan (Permendagri 90/2019), e.g. 1.02 for a dinas kesehatan.
    #[arg(long, value_name = "KODE", help = help::KODE_BIDANG)]
    kode_bidang: Option<String>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    folders: Folders,
    /// Also list info-level findings.
    #[arg(short, long, help = help::CHECK_VERBOSE)]
    verbose: bool,
}

/// Parses the arguments and runs the command; returns the process exit code.
pub fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => return argument_error(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return argument_error(&e),
    };
    match cli.command {
        Some(Command::Bantuan { perintah }) => show_help(perintah.as_deref()),
        Some(Command::Check(args)) => check(&args),
        Some(Command::Build(args)) => build(&args),
        Some(Command::Watch(args)) => watch::run(&args),
        Some(Command::Init(args)) => init(&args),
        Some(Command::Summary(args)) => summary(&args),
        Some(Command::Naskah {
            perintah: NaskahCommand::Impor { berkas },
        }) => import_naskah(&berkas),
        Some(Command::InternalRead { ext, memory_limit }) => {
            match isolate::serve(
                &ext,
                memory_limit,
                &mut std::io::stdin().lock(),
                isolate::stdout_handle(),
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(3),
            }
        }
        Some(Command::InternalTypeset {
            memory_limit,
            kept,
            templates,
            unit,
        }) => {
            let serve = if kept {
                render::worker::serve_kept
            } else {
                render::worker::serve
            };
            match serve(
                (&templates, &unit),
                memory_limit,
                &mut std::io::stdin().lock(),
                &mut std::io::stdout().lock(),
            ) {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(3),
            }
        }
        None => build(&cli.build),
    }
}

/// The command line as people see it: clap's definition with Indonesian headings, usage lines,
/// and help and version flags, on every subcommand.
fn command() -> clap::Command {
    let root = localize(
        Cli::command(),
        "renstra [PILIHAN] [INPUT]\n       renstra <PERINTAH>",
    )
    .disable_version_flag(true)
    .arg(flag("version", 'V', ArgAction::Version, help::VERSION_FLAG));
    root.mut_subcommands(|sub| {
        let usage = match sub.get_name() {
            "init" => "renstra init [PILIHAN] <FOLDER>".to_string(),
            "bantuan" => "renstra bantuan [PERINTAH]".to_string(),
            "naskah" => "renstra naskah impor <BERKAS>".to_string(),
            "summary" => "renstra summary [PILIHAN] <RINGKASAN>...".to_string(),
            name => format!("renstra {name} [PILIHAN] [INPUT]"),
        };
        let sub = if sub.get_name() == "naskah" {
            sub.disable_help_subcommand(true)
                .mut_subcommand("impor", |impor| {
                    localize(impor, "renstra naskah impor <BERKAS>")
                })
        } else {
            sub
        };
        localize(sub, &usage)
    })
}

/// One command with Indonesian help: the template, headings, usage line and `-h`.
fn localize(command: clap::Command, usage: &str) -> clap::Command {
    command
        .help_template(help::TEMPLATE)
        .override_usage(usage.to_string())
        .subcommand_help_heading(help::COMMANDS_HEADING)
        .subcommand_value_name(help::COMMAND_VALUE)
        .disable_help_flag(true)
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                help::ARGUMENTS_HEADING
            } else {
                help::OPTIONS_HEADING
            };
            arg.help_heading(heading)
        })
        .arg(flag("help", 'h', ArgAction::Help, help::HELP_FLAG))
}

/// A `-x/--name` flag of clap's own (help, version) with Indonesian help, among the options.
fn flag(name: &'static str, short: char, action: ArgAction, text: &'static str) -> Arg {
    Arg::new(name)
        .short(short)
        .long(name)
        .action(action)
        .help(text)
        .help_heading(help::OPTIONS_HEADING)
}

/// `renstra bantuan [PERINTAH]`: the help of the program or of one command.
fn show_help(which: Option<&str>) -> ExitCode {
    let mut root = command();
    let printed = match which {
        None => root.print_help(),
        Some(name) => match root.find_subcommand_mut(name) {
            Some(sub) if !sub.is_hide_set() => sub.print_help(),
            _ => {
                eprintln!(
                    "{}",
                    help::argument_error(
                        &help::ArgumentProblem::UnknownCommand(name.to_string()),
                        None,
                        "renstra bantuan [PERINTAH]"
                    )
                );
                return ExitCode::from(2);
            }
        },
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// A clap error, said in Indonesian (help and version requests are printed as asked).
fn argument_error(error: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let context = |kind: ContextKind| -> Option<String> {
        match error.get(kind)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join(", ")),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::StyledStrs(v) => Some(
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            _ => None,
        }
    };
    let arg = || context(ContextKind::InvalidArg).unwrap_or_default();
    let problem = match error.kind() {
        ErrorKind::UnknownArgument => help::ArgumentProblem::Unknown(arg()),
        ErrorKind::InvalidSubcommand => help::ArgumentProblem::UnknownCommand(
            context(ContextKind::InvalidSubcommand).unwrap_or_default(),
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            help::ArgumentProblem::InvalidValue {
                option: arg(),
                value: context(ContextKind::InvalidValue).unwrap_or_default(),
            }
        }
        ErrorKind::MissingRequiredArgument | ErrorKind::MissingSubcommand => {
            help::ArgumentProblem::Missing(arg())
        }
        ErrorKind::ArgumentConflict => {
            help::ArgumentProblem::Conflict(arg(), context(ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::NoEquals => {
            help::ArgumentProblem::TooMany(arg())
        }
        _ => help::ArgumentProblem::Other,
    };
    let suggestion =
        context(ContextKind::SuggestedArg).or_else(|| context(ContextKind::SuggestedSubcommand));
    eprintln!(
        "{}",
        help::argument_error(&problem, suggestion.as_deref(), &usage_of_invocation())
    );
    ExitCode::from(2)
}

/// The usage line of the subcommand the person typed (the program's when none).
fn usage_of_invocation() -> String {
    let mut root = command();
    let typed = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let usage = match typed.as_deref().and_then(|n| root.find_subcommand_mut(n)) {
        Some(sub) => sub.render_usage().to_string(),
        None => root.render_usage().to_string(),
    };
    usage.trim_start_matches("Usage:").trim().to_string()
}

/// The one place an error that ends a command reaches the person: `renstra: <message>` on
/// stderr, and exit code 2.
fn fail(error: impl Display) -> ExitCode {
    warn(error);
    ExitCode::from(2)
}

/// A problem worth a line on stderr that does not end the command.
fn warn(error: impl Display) {
    eprintln!("renstra: {error}");
}

/// Workbooks are read in bounded child processes of this same executable.
fn ingest_options() -> IngestOptions {
    IngestOptions {
        isolation: Isolation::current_exe().ok(),
        // Each unit's own, set when its build starts (see `BatchOptions::unit_timeout`).
        deadline: crate::bounded::Deadline::none(),
        cache: None,
    }
}

/// The units under `input`, and the refused ones (links out of the input folder), or the exit
/// code when there is nothing to do.
fn units_or_exit(input: &Path) -> Result<pipeline::Discovered, ExitCode> {
    match pipeline::discover(input) {
        Ok(found) if !(found.units.is_empty() && found.refused.is_empty()) => Ok(found),
        Ok(_) => Err(fail(say::no_units(input))),
        Err(e) => Err(fail(say::input_unreadable(input, &e))),
    }
}

/// Completes or rolls back what killed runs left in the output folder (its lock held), saying
/// so on stderr.
pub(crate) fn recover(out: &Path) -> Result<(), ExitCode> {
    match pipeline::recover_interrupted(out) {
        Ok(done) => {
            for r in &done {
                eprintln!("{}", say::recovered(r));
            }
            Ok(())
        }
        Err(e) => Err(fail(e)),
    }
}

/// The batch's options, with the templates chosen once (see [`render::templates::choose`]).
fn batch_options(
    folders: &Folders,
    templates: &Templates,
    force: bool,
) -> Result<BatchOptions, ExitCode> {
    let templates =
        render::templates::choose(templates.templates.as_deref(), &folders.input).map_err(fail)?;
    Ok(BatchOptions {
        out: folders.out.clone(),
        templates,
        ingest: ingest_options(),
        force,
        typeset: render::worker::Bounds::current_exe().ok(),
        unit_timeout: Some(crate::batch::UNIT_TIMEOUT),
    })
}

fn build(args: &BuildArgs) -> ExitCode {
    let mut found = match units_or_exit(&args.folders.input) {
        Ok(u) => u,
        Err(code) => return code,
    };
    let lock = match args.shard {
        None => pipeline::OutputLock::acquire(&args.folders.out),
        Some(shard) => pipeline::OutputLock::acquire_shard(&args.folders.out, shard),
    };
    let _lock = match lock {
        Ok(lock) => lock,
        Err(e) => return fail(e),
    };
    if let Some(shard) = args.shard {
        found.units.retain(|u| shard.takes(u));
        found.refused.retain(|(u, _)| shard.takes(u));
    }
    let owns = |name: &str| args.shard.is_none_or(|shard| shard.takes_name(name));
    match pipeline::recover_interrupted_of(&args.folders.out, &owns) {
        Ok(done) => {
            for r in &done {
                eprintln!("{}", say::recovered(r));
            }
        }
        Err(e) => return fail(e),
    }
    let mut options = match batch_options(&args.folders, &args.templates, args.force) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let budget = match args.memory {
        Some(mib) => Some(crate::bounded::MemoryBudget::new(
            mib.saturating_mul(1024 * 1024),
        )),
        None => crate::bounded::MemoryBudget::of_available(),
    };
    if let Some(bounds) = &mut options.typeset {
        bounds.budget = budget.map(std::sync::Arc::new);
    }
    let people = say::People {
        verbose: args.verbose,
    };
    let bar = progress(found.units.len(), args.quiet || args.json);
    let mut summaries = batch::build_all(&found.units, &options, &people, &|| bar.inc(1));
    bar.finish_and_clear();
    summaries.extend(
        found
            .refused
            .iter()
            .map(|(unit, why)| UnitSummary::refused(unit, why, &people)),
    );
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let _ = serde_json::to_writer_pretty(&mut stdout, &summaries);
        let _ = writeln!(stdout);
    } else {
        for s in &summaries {
            if !args.quiet || s.alasan.is_some() {
                let _ = writeln!(stdout, "{}", s.laporan);
            }
        }
        say::summary_table(&mut stdout, &summaries);
    }
    match batch::status(&summaries, args.strict) {
        BatchStatus::Ok => ExitCode::SUCCESS,
        BatchStatus::Errors => ExitCode::from(1),
        BatchStatus::Failed => ExitCode::from(2),
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

fn init(args: &InitArgs) -> ExitCode {
    match crate::scaffold::init_unit(&args.folder, args.kode_bidang.as_deref()) {
        Ok(files) => {
            print!("{}", say::initialised(&args.folder, &files));
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// `renstra summary`: the shards' `--json` summaries as one table (or one JSON), with each
/// unit's manifest when its output folder is given.
fn summary(args: &SummaryArgs) -> ExitCode {
    let mut parts = Vec::new();
    for file in &args.files {
        let read = std::fs::read(file)
            .map_err(|e| say::summary_unreadable(file, &e.to_string()))
            .and_then(|bytes| {
                serde_json::from_slice::<Vec<UnitSummary>>(&bytes)
                    .map_err(|e| say::summary_unreadable(file, &e.to_string()))
            });
        match read {
            Ok(part) => parts.push(part),
            Err(message) => return fail(message),
        }
    }
    let summaries = match batch::merge_summaries(parts) {
        Ok(s) => s,
        Err(unit) => return fail(say::summary_twice(&unit)),
    };
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let merged: Vec<serde_json::Value> = summaries
            .iter()
            .map(|s| with_manifest(s, &args.outs))
            .collect();
        let _ = serde_json::to_writer_pretty(&mut stdout, &merged);
        let _ = writeln!(stdout);
    } else {
        say::summary_table(&mut stdout, &summaries);
    }
    match batch::status(&summaries, args.strict) {
        BatchStatus::Ok => ExitCode::SUCCESS,
        BatchStatus::Errors => ExitCode::from(1),
        BatchStatus::Failed => ExitCode::from(2),
    }
}

/// A unit's summary as JSON, with `manifest` (its manifest.json) from the first output folder
/// that has it.
fn with_manifest(summary: &UnitSummary, outs: &[PathBuf]) -> serde_json::Value {
    let mut value = serde_json::to_value(summary).unwrap_or(serde_json::Value::Null);
    let manifest = outs.iter().find_map(|out| {
        let bytes = std::fs::read(out.join(&summary.unit).join("manifest.json")).ok()?;
        serde_json::from_slice::<serde_json::Value>(&bytes).ok()
    });
    if let (Some(manifest), Some(object)) = (manifest, value.as_object_mut()) {
        object.insert("manifest".into(), manifest);
    }
    value
}

fn import_naskah(document: &Path) -> ExitCode {
    match pipeline::import_naskah(document) {
        Ok(files) => {
            print!(
                "{}",
                crate::messages::naskah::naskah_imported(document, &files)
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let found = match units_or_exit(&args.folders.input) {
        Ok(u) => u,
        Err(code) => return code,
    };
    // check writes temuan.csv into the output folder: it takes the same lock a build does.
    let _lock = match pipeline::OutputLock::acquire(&args.folders.out) {
        Ok(lock) => lock,
        Err(e) => return fail(e),
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
        let _ = writeln!(stdout, "{}", say::failed(unit, why));
    }
    for (unit, result) in &results {
        match result {
            Ok(checked) => {
                say::report_unit(&mut stdout, unit, checked, args.verbose);
                errors += checked.count(Severity::Error);
                let path = args
                    .folders
                    .out
                    .join(pipeline::unit_name(unit))
                    .join("temuan.csv");
                let written = export::csv::findings_csv(&checked.findings)
                    .and_then(|bytes| export::write_atomic(&path, &bytes));
                match written {
                    Ok(()) => {
                        let _ = writeln!(stdout, "{}", say::findings_written(&path));
                    }
                    Err(e) => {
                        failed = true;
                        let _ = writeln!(stdout, "{}", say::write_failed(&path, e));
                    }
                }
            }
            Err(e) => {
                failed = true;
                let _ = writeln!(stdout, "{}", say::failed(unit, e));
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else if errors > 0 {
        let _ = writeln!(stdout, "{}", say::errors_remain(errors));
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
