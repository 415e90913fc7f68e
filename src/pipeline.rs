//! The stages joined up for one unit: `check` (ingest, normalize, reconcile) and `build` (check,
//! then tables, exports and the PDF).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::config::{CONFIG_FILE, ConfigError, UnitConfig};
use crate::derive;
use crate::export::manifest::{Missing, OutputEntry};
use crate::export::{self, ExportError};
use crate::ingest::{self, IngestOptions};
use crate::messages;
use crate::model::naskah::Naskah;
use crate::model::{BudgetLine, Coverage, FileReport, Finding, Record, Severity, TableId};
use crate::naskah;
use crate::normalize::{self, UnitContext};
use crate::render::{self, RenderError};
use crate::repair;
use crate::rules;
use crate::tables::{self, Table, Tc24};
use crate::verify;

/// Why a unit could not be processed at all (as opposed to findings, which are part of the product).
#[derive(Debug, Error)]
pub enum UnitError {
    /// `renstra.toml` is missing or wrong.
    Config(#[from] ConfigError),
    /// A file or folder of the unit (or of the templates) could not be read.
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An output could not be put in place.
    Publish {
        /// The file or folder written.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An output could not be written.
    Export(#[from] ExportError),
    /// The PDF could not be typeset.
    Render(#[from] RenderError),
    /// The verifier's notes file is wrong.
    Notes(#[from] crate::verify::NotesError),
    /// The unit's build ran past its time bound ([`crate::bounded::Deadline`]) and was stopped
    /// before anything was published.
    Deadline {
        /// The stage it had reached.
        stage: Stage,
    },
}

/// A stage of a unit's build, named when the build is stopped at its time bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the workbooks and checking them.
    Check,
    /// Writing the tables, workbooks and typesetting the documents.
    Produce,
}

/// A unit after ingest, normalization and reconciliation.
#[derive(Debug)]
pub struct Checked {
    /// The unit's configuration.
    pub config: UnitConfig,
    /// What happened to each file.
    pub files: Vec<FileReport>,
    /// The budget lines.
    pub lines: Vec<BudgetLine>,
    /// The verified T-C.24.
    pub tc24: Tc24,
    /// Every verified table, in document order (T-C.24 among them).
    pub tables: Vec<Table>,
    /// The organisation charts, from the positions sheet.
    pub organisation: derive::organisation::Organisation,
    /// The narrative: `naskah/*.typ`, or `naskah.docx`/`naskah.odt` structured.
    pub naskah: Naskah,
    /// All findings, most serious first, otherwise in workbook order.
    pub findings: Vec<Finding>,
    /// How many checks each rule ran, passed, failed and could not run.
    pub coverage: Coverage,
}

impl Checked {
    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// What `build` produced for a unit.
#[derive(Debug)]
pub struct Built {
    /// The checked unit.
    pub checked: Checked,
    /// The files written, relative to the output folder of the unit.
    pub outputs: Vec<PathBuf>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Wall time of each stage of the build.
    pub timings: Timings,
    /// Pages of the Renstra PDF.
    pub pages: usize,
    /// The documents that could not be made, and why; every other output is written and current.
    pub missing: Vec<Missing>,
}

/// Where a unit's build spent its wall time, stage by stage (the stages run one after another,
/// so together they make up nearly all of [`Built::elapsed`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    /// Loading `renstra.toml` and reading every workbook (in bounded child processes when
    /// isolated).
    pub ingest: Duration,
    /// Normalizing the budget, reconciling every sheet and building the tables.
    pub reconcile: Duration,
    /// Writing `tabel-renstra.xlsx` and every CSV.
    pub xlsx_csv: Duration,
    /// Typesetting `renstra.pdf`.
    pub pdf: Duration,
    /// Waiting for the batch's memory before a document could be typeset (not counted in
    /// `pdf` or `berita_acara`); zero when the memory was there.
    pub memory_wait: Duration,
    /// The Berita Acara PDF and its lampiran workbook.
    pub berita_acara: Duration,
    /// Fingerprinting the inputs for the build key, the manifest, and putting the files in place.
    pub publish: Duration,
}

/// Finds the units under `input`: `input` itself when it holds a `renstra.toml`, otherwise each
/// sub-folder that does, in name order.
pub fn discover_units(input: &Path) -> std::io::Result<Vec<PathBuf>> {
    discover(input).map(|d| d.units)
}

/// The units under an input folder, and the folders that look like units but are refused.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Unit folders, sorted.
    pub units: Vec<PathBuf>,
    /// Folders with a `renstra.toml` that are links to somewhere outside the input folder, each
    /// with the reason in Bahasa Indonesia: renstra reads only what it was given.
    pub refused: Vec<(PathBuf, String)>,
}

/// [`discover_units`], also naming the refused folders so the user hears about them.
pub fn discover(input: &Path) -> std::io::Result<Discovered> {
    if input.join(CONFIG_FILE).is_file() {
        return Ok(Discovered {
            units: vec![input.to_path_buf()],
            refused: Vec::new(),
        });
    }
    let root = input.canonicalize()?;
    let mut found = Discovered::default();
    for entry in std::fs::read_dir(input)? {
        let path = entry?.path();
        if !(path.is_dir() && path.join(CONFIG_FILE).is_file()) {
            continue;
        }
        match path.canonicalize() {
            Ok(real) if real.starts_with(&root) => found.units.push(path),
            Ok(real) => found
                .refused
                .push((path, messages::errors::unit_link_outside(real.display()))),
            Err(e) => found
                .refused
                .push((path, messages::errors::unit_unreadable(&e))),
        }
    }
    found.units.sort();
    found.refused.sort();
    Ok(found)
}

/// The name of a unit's output folder: its input folder's name.
pub fn unit_name(unit_dir: &Path) -> String {
    unit_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "unit".into())
}

/// Ingest, normalize and reconcile one unit.
pub fn check_unit(unit_dir: &Path, options: &IngestOptions) -> Result<Checked, UnitError> {
    check_unit_timed(unit_dir, options, &mut Timings::default())
}

/// [`check_unit`], recording the time of ingest and of reconciliation in `timings`.
fn check_unit_timed(
    unit_dir: &Path,
    options: &IngestOptions,
    timings: &mut Timings,
) -> Result<Checked, UnitError> {
    let started = Instant::now();
    let config = UnitConfig::load(unit_dir)?;
    let ingested = ingest::ingest_unit(unit_dir, config.bidang(), options).map_err(|source| {
        UnitError::Read {
            path: unit_dir.to_path_buf(),
            source,
        }
    })?;
    timings.ingest = started.elapsed();
    let started = Instant::now();
    let context = UnitContext {
        unit_name: &config.perangkat_daerah.nama,
        kelurahan: &config.perangkat_daerah.kelurahan,
    };
    let (mut lines, normalize_findings) = normalize::normalize_budget(&ingested.budget, &context);
    let years = &config.periode.evaluasi;
    let mut totals = ingested.totals;
    let mut repairs = repair::propose(&lines, &totals, years);
    repair::apply(&repairs, &mut lines, &mut totals);
    let plan_years = config.plan_years();
    let records = &ingested.records;
    let (mut plan_lines, plan_read_findings) =
        normalize::plan_lines(records, &plan_years, config.bidang(), &context);
    let plan_repairs = repair::propose_plan(&plan_lines, records, &plan_years);
    repair::apply(&plan_repairs, &mut plan_lines, &mut []);
    repairs.extend(plan_repairs);
    let tc24 = tables::build_tc24(&lines, &totals, years);
    let swot = derive::swot::derive(records);
    let organisation = derive::organisation::derive(records);
    let checks = rules::check(&rules::Inputs {
        lines: &lines,
        totals: &totals,
        plan_lines: &plan_lines,
        records,
        evaluation_years: years,
        plan_years: &plan_years,
        swot: &swot,
        organisation: &organisation,
        repairs: &repairs,
        tc24: &tc24,
    });
    let mut findings = ingested.findings;
    findings.extend(normalize_findings);
    findings.extend(checks.budget);
    findings.extend(plan_read_findings);
    findings.extend(checks.plan);
    findings.extend(checks.staff_swot);
    findings.extend(checks.kinerja_targets);
    repair::annotate(&mut findings, &repairs);
    let tables = all_tables(&config, &tc24, records, (&plan_lines, &repairs), &swot);
    let facts = render::facts(&tables);
    let titles: Vec<(TableId, String)> = tables
        .iter()
        .map(|t| (t.id.clone(), t.title.clone()))
        .collect();
    let known = naskah::structure::Known {
        tables: &titles,
        facts: &facts,
    };
    let (narrative, narrative_findings) = naskah::read_unit(unit_dir, &known);
    findings.extend(narrative_findings);
    let quoted = verify::narrative::figures(&naskah::text_pieces(&narrative), &facts, &findings);
    findings.extend(quoted);
    if let Naskah::Typst(files) = &narrative {
        findings.extend(verify::narrative::missing_figures(files, &organisation));
    }
    findings.extend(verify::signature_gaps(&config.verifikasi));
    findings.extend(verify::unprintable(&tables));
    findings.extend(verify::unprintable_narrative(&narrative));
    // Stable: most serious first, workbook order within a severity.
    findings.sort_by_key(|f| f.severity);
    timings.reconcile = started.elapsed();
    Ok(Checked {
        config,
        files: ingested.files,
        lines,
        tc24,
        tables,
        organisation,
        naskah: narrative,
        findings,
        coverage: checks.coverage,
    })
}

/// Every table of the unit in the order the Renstra prints them: BAB II (Tabel 1, 2, T-C.23,
/// T-C.24), BAB III (Tabel 8-10), BAB IV (T-C.25), BAB V (SWOT, T-C.26), BAB VI-VII (T-C.27,
/// T-C.28), then any other sheet.
fn all_tables(
    config: &UnitConfig,
    tc24: &Tc24,
    records: &[Record],
    (plan_lines, repairs): (&[BudgetLine], &repair::Repairs),
    swot: &derive::swot::Swot,
) -> Vec<Table> {
    let mut tables = vec![tc24.to_table(&config.perangkat_daerah.nama)];
    tables.extend(tables::build_forms(config, records, plan_lines, repairs));
    tables.extend(tables::build_record_tables(config, records, swot));
    tables.sort_by_key(|t| t.id.document_position());
    tables
}

/// The Berita Acara PDF and its lampiran workbook, naming the hash of the Renstra PDF just made.
fn berita_acara(
    checked: &Checked,
    unit_dir: &Path,
    templates: &Path,
    files: &[(String, Vec<u8>)],
    worlds: &mut render::Worlds,
) -> Result<Vec<(String, Vec<u8>)>, UnitError> {
    let notes = verify::load_notes(unit_dir)?;
    let config = &checked.config;
    let narrative = verify::read_narrative(&checked.naskah);
    let ba = verify::decide(
        &config.verifikasi,
        &narrative,
        &checked.tables,
        &checked.findings,
        &notes,
    );
    let (sheets, inputs) = verify::inputs_record(&checked.files);
    let coverage = verify::coverage_record(&checked.coverage);
    let renstra_sha256 = files
        .iter()
        .find(|(rel, _)| rel == "renstra.pdf")
        .map(|(_, bytes)| export::manifest::sha256_hex(bytes))
        .unwrap_or_default();
    let date = render::DateData::of(&config.verifikasi.tanggal, config);
    let (lebar_mm, tinggi_mm) = config.dokumen.kertas.millimetres();
    let data = serde_json::json!({
        "config": config,
        "periode": format!("{}-{}", config.periode.awal, config.periode.akhir),
        "kertas": { "lebar_mm": lebar_mm, "tinggi_mm": tinggi_mm },
        "tanggal": date,
        "ba": ba.printed(),
        "akuntansi": sheets,
        "cakupan": coverage,
        "berkas": inputs,
        "renstra_sha256": renstra_sha256,
    });
    let pdf = worlds.render(
        templates,
        unit_dir,
        render::BERITA_ACARA_TEMPLATE,
        &data,
        date,
    )?;
    let printing = verify::lampiran::Printing {
        paper: checked.config.dokumen.kertas,
        unit: &checked.config.perangkat_daerah.nama,
    };
    let xlsx =
        verify::lampiran::workbook(&ba, &sheets, &coverage, &inputs, &renstra_sha256, printing)?;
    Ok(vec![
        ("berita-acara.pdf".into(), pdf),
        ("lampiran-berita-acara.xlsx".into(), xlsx),
    ])
}

/// Runs every stage for one unit and replaces its outputs in `out_dir` with the new ones, all at
/// once: the files are written into a staging folder beside `out_dir` and moved into place only
/// when every one of them succeeded, so a failed build leaves the previous outputs as they were.
pub fn build_unit(
    unit_dir: &Path,
    out_dir: &Path,
    templates: &Path,
    options: &IngestOptions,
) -> Result<Built, UnitError> {
    build_unit_kept(
        unit_dir,
        out_dir,
        templates,
        options,
        &mut render::Worlds::default(),
    )
}

/// [`build_unit`] typesetting in `worlds`, kept by the caller between builds of the same unit
/// (`watch` does): a rebuild after a small change reuses the loaded fonts and Typst's memoized
/// layout, and gives the same bytes as a build from scratch.
pub fn build_unit_kept(
    unit_dir: &Path,
    out_dir: &Path,
    templates: &Path,
    options: &IngestOptions,
    worlds: &mut render::Worlds,
) -> Result<Built, UnitError> {
    let started = Instant::now();
    let key = build_key(unit_dir, templates, out_dir)?;
    build_with_key(unit_dir, out_dir, templates, options, worlds, key, started)
}

/// The build itself, under a build key already computed (once: the incremental check has it).
fn build_with_key(
    unit_dir: &Path,
    out_dir: &Path,
    templates: &Path,
    options: &IngestOptions,
    worlds: &mut render::Worlds,
    key: String,
    started: Instant,
) -> Result<Built, UnitError> {
    let mut timings = Timings::default();
    let keyed = started.elapsed();
    let in_time = |stage| {
        if options.deadline.passed() {
            Err(UnitError::Deadline { stage })
        } else {
            Ok(())
        }
    };
    let checked = check_unit_timed(unit_dir, options, &mut timings)?;
    in_time(Stage::Check)?;
    worlds.set_deadline(options.deadline);
    let (files, missing) = produce(&checked, unit_dir, templates, &mut timings, worlds)?;
    in_time(Stage::Produce)?;
    let publishing = Instant::now();
    let pages = files
        .iter()
        .find(|(rel, _)| rel == "renstra.pdf")
        .map_or(0, |(_, pdf)| pdf_pages(pdf));
    let entries: Vec<OutputEntry> = files
        .iter()
        .map(|(rel, bytes)| OutputEntry::of(rel, bytes))
        .collect();
    // A build with a missing document records no key: the next run builds it again.
    let recorded_key = if missing.is_empty() { key.as_str() } else { "" };
    let manifest = export::manifest::manifest_json(
        &unit_name(unit_dir),
        (&checked.files, &entries, &missing),
        &checked.findings,
        &checked.coverage,
        recorded_key,
        pages,
    )?;
    let mut all = files;
    all.push(("manifest.json".into(), manifest));
    publish(out_dir, &all)?;
    timings.publish = keyed + publishing.elapsed();
    Ok(Built {
        checked,
        outputs: all.iter().map(|(rel, _)| PathBuf::from(rel)).collect(),
        elapsed: started.elapsed(),
        timings,
        pages,
        missing,
    })
}

/// What an incremental build did.
#[derive(Debug)]
pub enum Outcome {
    /// The unit was built.
    Built(Box<Built>),
    /// Nothing changed since the last build (same inputs, configuration, templates and version):
    /// the outputs were left as they are. The summary of that build, from its manifest.
    Unchanged(export::manifest::Summary),
}

/// Builds the unit unless its last build, recorded in `out_dir/manifest.json`, was made from the
/// same inputs, configuration, templates and renstra version; `force` builds regardless.
pub fn build_unit_if_changed(
    unit_dir: &Path,
    out_dir: &Path,
    templates: &Path,
    options: &IngestOptions,
    force: bool,
    worlds: &mut render::Worlds,
) -> Result<Outcome, UnitError> {
    let started = Instant::now();
    let key = build_key(unit_dir, templates, out_dir)?;
    if !force
        && let Some(previous) = export::manifest::read_summary(&out_dir.join("manifest.json"))
        && previous.kunci_build == key
        && previous.outputs_intact(out_dir)
    {
        return Ok(Outcome::Unchanged(previous));
    }
    build_with_key(unit_dir, out_dir, templates, options, worlds, key, started)
        .map(|b| Outcome::Built(Box::new(b)))
}

/// An output in memory: its path relative to the unit's output folder, and its bytes.
type Output = (String, Vec<u8>);

/// Every output of a unit, in memory, and the documents that could not be made; the time of each
/// kind of output goes into `timings`. The workbook and the CSVs are written on a thread of their
/// own while the documents are typeset (the typesetting waits on its child process), and the
/// outputs are listed in the same order whichever finishes first.
fn produce(
    checked: &Checked,
    unit_dir: &Path,
    templates: &Path,
    timings: &mut Timings,
    worlds: &mut render::Worlds,
) -> Result<(Vec<Output>, Vec<Missing>), UnitError> {
    let (tabulated, documents) = std::thread::scope(|scope| {
        let tabulated = scope.spawn(|| {
            let started = Instant::now();
            (table_outputs(checked), started.elapsed())
        });
        let documents = typeset(checked, unit_dir, templates, timings, worlds);
        (tabulated.join(), documents)
    });
    // A panic writing the tables is the unit's panic, as it was before it had its own thread.
    let (tabulated, elapsed) = tabulated.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    timings.xlsx_csv = elapsed;
    let mut files = tabulated?;
    let (documents, missing) = documents?;
    files.extend(documents);
    Ok((files, missing))
}

/// `tabel-renstra.xlsx`, a CSV per table, the tidy anggaran-realisasi CSV and `temuan.csv`.
fn table_outputs(checked: &Checked) -> Result<Vec<Output>, UnitError> {
    let mut files: Vec<Output> = vec![(
        "tabel-renstra.xlsx".into(),
        export::xlsx::workbook(&checked.config, &checked.tables, &checked.findings)?,
    )];
    for table in &checked.tables {
        files.push((
            format!("csv/{}.csv", tables::sheet_name(table.id.name())),
            export::csv::table_csv(table)?,
        ));
    }
    files.extend([
        (
            "data/anggaran-realisasi.csv".into(),
            export::csv::budget_tidy_csv(&checked.lines, &checked.config.periode.evaluasi)?,
        ),
        (
            "temuan.csv".into(),
            export::csv::findings_csv(&checked.findings)?,
        ),
    ]);
    Ok(files)
}

/// The Renstra PDF, then the Berita Acara and its lampiran (which name the PDF's hash), and the
/// documents that could not be made.
fn typeset(
    checked: &Checked,
    unit_dir: &Path,
    templates: &Path,
    timings: &mut Timings,
    worlds: &mut render::Worlds,
) -> Result<(Vec<Output>, Vec<Missing>), UnitError> {
    let started = Instant::now();
    let data = render::document_data(
        &checked.config,
        unit_dir,
        &checked.tables,
        &checked.organisation,
        &checked.findings,
    )
    .with_document(checked.naskah.document());
    let pdf = worlds.render(
        templates,
        unit_dir,
        render::MAIN_TEMPLATE,
        &data,
        data.tanggal,
    );
    timings.pdf = typesetting_time(started, worlds, timings);
    let missing_from = |first: usize, e: &dyn std::fmt::Display| -> Vec<Missing> {
        let why = e.to_string();
        DOCUMENTS[first..]
            .iter()
            .map(|f| Missing {
                berkas: (*f).into(),
                alasan: why.clone(),
            })
            .collect()
    };
    let pdf = match pdf {
        Ok(pdf) => pdf,
        // Without the Renstra PDF there is no Berita Acara (it names the PDF's hash); the
        // tables, workbooks and findings are still written, so none of them is left stale.
        Err(e) => return Ok((Vec::new(), missing_from(0, &e))),
    };
    let mut files: Vec<Output> = vec![("renstra.pdf".into(), pdf)];
    let started = Instant::now();
    let ba = berita_acara(checked, unit_dir, templates, &files, worlds);
    timings.berita_acara = typesetting_time(started, worlds, timings);
    match ba {
        Ok(ba) => {
            files.extend(ba);
            Ok((files, Vec::new()))
        }
        Err(e) => Ok((files, missing_from(1, &e))),
    }
}

/// The time since `started` spent typesetting: what typesetting waited for the batch's memory
/// is taken out and added to `timings.memory_wait`.
fn typesetting_time(
    started: Instant,
    worlds: &mut render::Worlds,
    timings: &mut Timings,
) -> Duration {
    let waited = worlds.take_waited();
    timings.memory_wait += waited;
    started.elapsed().saturating_sub(waited)
}

/// The documents typeset with Typst, in the order they are made.
const DOCUMENTS: [&str; 3] = [
    "renstra.pdf",
    "berita-acara.pdf",
    "lampiran-berita-acara.xlsx",
];

/// The number of pages of a PDF renstra wrote (the largest `/Count` of its page tree).
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let mut best = 0;
    for at in memchr::memmem::find_iter(pdf, b"/Count ") {
        let digits: Vec<u8> = pdf[at + 7..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        if let Some(n) = std::str::from_utf8(&digits)
            .ok()
            .and_then(|d| d.parse().ok())
        {
            best = best.max(n);
        }
    }
    best
}

/// A fingerprint of everything a unit's outputs depend on: renstra itself (its version and the
/// content of the running executable, so a renstra with new or changed checks rebuilds every
/// unit instead of showing the old findings as current) and every file of the unit folder and of
/// the templates, by relative path and content. The output folder `out_dir` belongs to the unit's
/// outputs, not its inputs: when it lies inside the unit folder (`--out` given there), its
/// output root is left out, or every build would change the key of the next.
pub fn build_key(unit_dir: &Path, templates: &Path, out_dir: &Path) -> Result<String, UnitError> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(renstra_fingerprint().as_bytes());
    let outputs = out_dir.parent().and_then(|root| root.canonicalize().ok());
    for (label, root) in [("unit", unit_dir), ("templates", templates)] {
        let mut files = Vec::new();
        collect_files(root, root, outputs.as_deref(), &mut files).map_err(|source| {
            UnitError::Read {
                path: root.to_path_buf(),
                source,
            }
        })?;
        files.sort();
        for (rel, path) in files {
            let bytes = std::fs::read(&path).map_err(|source| UnitError::Read {
                path: path.clone(),
                source,
            })?;
            hasher.update(format!("\n{label}/{rel}\n{}\n", bytes.len()).as_bytes());
            hasher.update(Sha256::digest(&bytes));
        }
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// The SHA-256 of the running executable, read once per process (an executable that cannot be
/// read contributes nothing: its version still does).
fn renstra_fingerprint() -> &'static str {
    static FINGERPRINT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        std::env::current_exe()
            .and_then(|exe| ingest::hash_file(&exe))
            .map(|(_, sha256)| sha256)
            .unwrap_or_default()
    });
    &FINGERPRINT
}

/// Files under `dir`, by their path relative to `root` as text (for the key) and their exact path
/// (a name need not be UTF-8), skipping Excel's owner files (`~$…`) and hidden files.
fn collect_files(
    root: &Path,
    dir: &Path,
    skip: Option<&Path>,
    out: &mut Vec<(String, PathBuf)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("~$") || name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if skip.is_some_and(|s| path.canonicalize().is_ok_and(|p| p == s)) {
                continue;
            }
            collect_files(root, &path, skip, out)?;
        } else if kind.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((rel, path));
        }
    }
    Ok(())
}

/// The file that marks a staging folder as complete: every output written and on disk. Only a
/// marked staging folder is ever swapped in by [`recover_interrupted`].
const COMPLETE_MARK: &str = ".lengkap";

/// Writes `bytes` to `path` and waits until they are on disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Waits until a folder's entries (new names, renames) are on disk.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Elsewhere a folder cannot be opened to sync it; its files are synced.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Writes `files` into a staging folder beside `out_dir`, then swaps it in: the previous outputs
/// stay untouched until every new file is written and on disk, and no stale file of an earlier
/// build remains. A run killed between the swap's two renames leaves the previous outputs in
/// `.<unit>.lama-PID` and the complete new ones in `.<unit>.baru-…`; the next run completes the
/// swap ([`recover_interrupted`]).
fn publish(out_dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), UnitError> {
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |source| UnitError::Publish { path, source }
    };
    let parent = out_dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(at(parent))?;
    let name = unit_name(out_dir);
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.baru-"))
        .tempdir_in(parent)
        .map_err(at(parent))?;
    // A file that cannot be written is named where the user will look for it, in the output
    // folder, not in the hidden staging folder.
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(at(&out_dir.join(rel)))?;
        }
        write_synced(&path, bytes).map_err(at(&out_dir.join(rel)))?;
    }
    for dir in files
        .iter()
        .filter_map(|(rel, _)| staging.path().join(rel).parent().map(Path::to_path_buf))
        .collect::<std::collections::BTreeSet<_>>()
    {
        sync_dir(&dir).map_err(at(&dir))?;
    }
    let mark = staging.path().join(COMPLETE_MARK);
    write_synced(&mark, b"").map_err(at(&mark))?;
    sync_dir(staging.path()).map_err(at(staging.path()))?;
    let old = parent.join(format!(".{name}.lama-{}", std::process::id()));
    let had_previous = out_dir.exists();
    if had_previous {
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(at(&old))?;
        }
        std::fs::rename(out_dir, &old).map_err(at(out_dir))?;
    }
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, out_dir) {
        // Put the previous outputs back before reporting.
        if had_previous {
            let _ = std::fs::rename(&old, out_dir);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(at(out_dir)(e));
    }
    sync_dir(parent).map_err(at(parent))?;
    let _ = std::fs::remove_file(out_dir.join(COMPLETE_MARK));
    if had_previous {
        std::fs::remove_dir_all(&old).map_err(at(&old))?;
    }
    Ok(())
}

/// What [`recover_interrupted`] did to one unit's outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// A swap cut between its renames was completed with the new, complete outputs.
    Completed(String),
    /// A swap cut between its renames was rolled back to the previous outputs (the new ones
    /// were not complete).
    RolledBack(String),
    /// Staging or previous-output folders of killed runs were removed.
    Cleaned(String),
}

/// Finds, under the output folder `out` (whose lock the caller holds), what killed runs left:
/// a swap cut between its two renames is completed when its new outputs are complete, else
/// rolled back to the previous outputs; every other staging and previous-output folder is
/// removed. Run at the start of `build` and `watch`.
pub fn recover_interrupted(out: &Path) -> Result<Vec<Recovered>, UnitError> {
    recover_interrupted_of(out, &|_| true)
}

/// [`recover_interrupted`] for the units `owns` names only: a shard sharing its output folder
/// with other shards (`build --shard`) never touches the staging folders of their units, which
/// may be in use.
pub fn recover_interrupted_of(
    out: &Path,
    owns: &dyn Fn(&str) -> bool,
) -> Result<Vec<Recovered>, UnitError> {
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |source| UnitError::Publish { path, source }
    };
    // Leftovers by unit name: (previous outputs, staging folders).
    let mut left: BTreeMap<String, (Vec<PathBuf>, Vec<PathBuf>)> = BTreeMap::new();
    let entries = match std::fs::read_dir(out) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(at(out)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(at(out))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(hidden) = file_name.strip_prefix('.') else {
            continue;
        };
        if let Some((unit, _)) = hidden.rsplit_once(".lama-") {
            left.entry(unit.to_string())
                .or_default()
                .0
                .push(entry.path());
        } else if let Some((unit, _)) = hidden.rsplit_once(".baru-") {
            left.entry(unit.to_string())
                .or_default()
                .1
                .push(entry.path());
        }
    }
    let mut done = Vec::new();
    for (unit, (previous, staged)) in left.into_iter().filter(|(unit, _)| owns(unit)) {
        let target = out.join(&unit);
        if !target.exists()
            && let Some(old) = previous.first()
        {
            match staged.iter().find(|s| s.join(COMPLETE_MARK).is_file()) {
                Some(new) => {
                    std::fs::rename(new, &target).map_err(at(new))?;
                    let _ = std::fs::remove_file(target.join(COMPLETE_MARK));
                    done.push(Recovered::Completed(unit.clone()));
                }
                None => {
                    std::fs::rename(old, &target).map_err(at(old))?;
                    done.push(Recovered::RolledBack(unit.clone()));
                }
            }
            sync_dir(out).map_err(at(out))?;
        }
        let mut cleaned = false;
        for stale in previous.iter().chain(&staged).filter(|p| p.exists()) {
            std::fs::remove_dir_all(stale).map_err(at(stale))?;
            cleaned = true;
        }
        if cleaned {
            done.push(Recovered::Cleaned(unit));
        }
    }
    Ok(done)
}

/// Exclusive use of an output folder for one run: a second renstra on the same folder is refused
/// with a clear message instead of mixing its files in. The lock is the operating system's, held
/// on `<out>/.renstra.lock`, so it is released even when a run is killed.
#[derive(Debug)]
pub struct OutputLock {
    _file: std::fs::File,
}

/// Why the output folder could not be locked.
#[derive(Debug, Error)]
pub enum LockError {
    /// Another run holds it.
    Busy(String),
    /// The lock file could not be made.
    Io {
        /// The folder.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

impl OutputLock {
    /// Locks `out` (creating it), or says who holds it.
    pub fn acquire(out: &Path) -> Result<OutputLock, LockError> {
        OutputLock::acquire_named(out, ".renstra.lock")
    }

    /// Locks `out` for one shard of a sharded build (`.renstra-2-dari-3.lock`): shards own
    /// disjoint units, so they share the folder, and a second run of the same shard is refused.
    pub fn acquire_shard(out: &Path, shard: crate::batch::Shard) -> Result<OutputLock, LockError> {
        OutputLock::acquire_named(
            out,
            &format!(".renstra-{}-dari-{}.lock", shard.index, shard.count),
        )
    }

    fn acquire_named(out: &Path, name: &str) -> Result<OutputLock, LockError> {
        let io = |source| LockError::Io {
            path: out.display().to_string(),
            source,
        };
        std::fs::create_dir_all(out).map_err(io)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(out.join(name))
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(OutputLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(LockError::Busy(out.display().to_string()))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
        }
    }
}

/// Why `renstra naskah impor` wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// The unit already has its narrative as Typst files: they are never overwritten.
    Exists {
        /// The `naskah/` folder.
        dir: PathBuf,
    },
    /// The unit folder could not be checked (its renstra.toml, its workbooks).
    Unit(Box<UnitError>),
    /// The document could not be read.
    Read {
        /// The document's file name.
        file: String,
        /// Why.
        source: naskah::NaskahError,
    },
    /// A file could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Exists { .. } => None,
            ImportError::Unit(e) => Some(e.as_ref()),
            ImportError::Read { source, .. } => Some(source),
            ImportError::Write { source, .. } => Some(source),
        }
    }
}

/// `renstra naskah impor`: writes the narrative of the Word or Writer document at `document`
/// as `naskah/*.typ` (one file per chapter, images under `naskah/gambar/`) in the document's
/// unit folder, its tables matched against the unit's verified tables as a build matches
/// them. Writes into a hidden folder first and renames it into place, so a failure leaves no
/// half-written `naskah/`; an existing `naskah/` with narrative files is never touched.
/// Returns the files written, relative to the unit folder.
pub fn import_naskah(document: &Path) -> Result<Vec<String>, ImportError> {
    let unit_dir = match document.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let target = unit_dir.join(naskah::TYPST_DIR);
    if !naskah::read_typst(&unit_dir).is_empty() {
        return Err(ImportError::Exists { dir: target });
    }
    let file = document
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let checked = check_unit(&unit_dir, &IngestOptions::default())
        .map_err(|e| ImportError::Unit(Box::new(e)))?;
    let facts = render::facts(&checked.tables);
    let titles: Vec<(TableId, String)> = checked
        .tables
        .iter()
        .map(|t| (t.id.clone(), t.title.clone()))
        .collect();
    let known = naskah::structure::Known {
        tables: &titles,
        facts: &facts,
    };
    let read = naskah::read_document(&unit_dir, &file).map_err(|source| ImportError::Read {
        file: file.clone(),
        source,
    })?;
    let structured = naskah::structure::structure(&file, read, &known);
    let files = naskah::markup::typst_files(&structured.document);
    let staging = unit_dir.join(".naskah-impor");
    let write = |path: &Path, bytes: &[u8]| -> Result<(), ImportError> {
        let fail = |source| ImportError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        std::fs::write(path, bytes).map_err(fail)
    };
    let _ = std::fs::remove_dir_all(&staging);
    for (rel, bytes) in &files {
        let inner = rel.strip_prefix("naskah/").unwrap_or(rel);
        write(&staging.join(inner), bytes)?;
    }
    if target.is_dir() {
        // An empty (or image-only) naskah/ left by hand: its files stay, the new ones join.
        for (rel, bytes) in &files {
            write(&unit_dir.join(rel), bytes)?;
        }
        let _ = std::fs::remove_dir_all(&staging);
    } else {
        std::fs::rename(&staging, &target).map_err(|source| ImportError::Write {
            path: target.clone(),
            source,
        })?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}
