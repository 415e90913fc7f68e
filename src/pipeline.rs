//! The stages joined up for one unit: `check` (ingest, normalize, reconcile) and `build` (check,
//! then tables, exports and the PDF).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::config::{CONFIG_FILE, ConfigError, UnitConfig};
use crate::export::manifest::OutputEntry;
use crate::export::{self, ExportError};
use crate::ingest::{self, FileReport, IngestOptions, Record};
use crate::model::{Finding, Severity};
use crate::normalize::{self, BudgetLine, UnitContext};
use crate::reconcile;
use crate::render::{self, RenderError};
use crate::tables::{self, Table, Tc24};
use crate::verify;

/// Why a unit could not be processed at all (as opposed to findings, which are part of the product).
#[derive(Debug, Error)]
pub enum UnitError {
    /// `renstra.toml` is missing or wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The unit folder could not be listed.
    #[error("folder unit tidak dapat dibaca: {0}")]
    Io(#[from] std::io::Error),
    /// An output could not be written.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The PDF could not be typeset.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The verifier's notes file is wrong.
    #[error(transparent)]
    Notes(#[from] crate::verify::NotesError),
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
    /// All findings, most serious first, otherwise in workbook order.
    pub findings: Vec<Finding>,
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
}

/// Finds the units under `input`: `input` itself when it holds a `renstra.toml`, otherwise each
/// sub-folder that does, in name order.
pub fn discover_units(input: &Path) -> std::io::Result<Vec<PathBuf>> {
    if input.join(CONFIG_FILE).is_file() {
        return Ok(vec![input.to_path_buf()]);
    }
    let mut units: Vec<PathBuf> = std::fs::read_dir(input)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.join(CONFIG_FILE).is_file())
        .collect();
    units.sort();
    Ok(units)
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
    let config = UnitConfig::load(unit_dir)?;
    let bidang = config.bidang_kode();
    let ingested = ingest::ingest_unit(unit_dir, bidang.as_ref(), options)?;
    let context = UnitContext {
        unit_name: &config.perangkat_daerah.nama,
        kelurahan: &config.perangkat_daerah.kelurahan,
    };
    let (lines, normalize_findings) = normalize::normalize_budget(&ingested.budget, &context);
    let tc24 = tables::build_tc24(&lines, &config.periode.evaluasi);
    let mut findings = ingested.findings;
    findings.extend(normalize_findings);
    let years = &config.periode.evaluasi;
    let plan_years = config.plan_years();
    let records = &ingested.records;
    let ((budget_findings, plan_findings), (record_findings, kinerja_findings)) = rayon::join(
        || {
            rayon::join(
                || reconcile::budget::check(&lines, &ingested.totals, years),
                || reconcile::plan::check(records, &plan_years, bidang.as_ref(), &context),
            )
        },
        || {
            rayon::join(
                || reconcile::staff_swot::check(records),
                || {
                    let mut f = reconcile::kinerja::check(records, years);
                    f.extend(reconcile::targets::check(records, &plan_years));
                    f
                },
            )
        },
    );
    findings.extend(budget_findings);
    findings.extend(plan_findings);
    findings.extend(record_findings);
    findings.extend(kinerja_findings);
    // Stable: most serious first, workbook order within a severity.
    findings.sort_by_key(|f| f.severity);
    let tables = all_tables(&config, &tc24, records);
    Ok(Checked {
        config,
        files: ingested.files,
        lines,
        tc24,
        tables,
        findings,
    })
}

/// Every table of the unit in the order the Renstra prints them: BAB II (Tabel 1, 2, T-C.23,
/// T-C.24), BAB III (Tabel 8-10), BAB IV (T-C.25), BAB V (SWOT, T-C.26), BAB VI-VII (T-C.27,
/// T-C.28), then any other sheet.
fn all_tables(config: &UnitConfig, tc24: &Tc24, records: &[Record]) -> Vec<Table> {
    let mut tables = vec![tc24.to_table(&config.perangkat_daerah.nama)];
    tables.extend(tables::build_forms(config, records));
    tables.extend(tables::build_record_tables(config, records));
    let order = [
        "Tabel 1",
        "Tabel 2",
        "T-C.23",
        "T-C.24",
        "Tabel 8",
        "Tabel 9",
        "Tabel 10",
        "T-C.25",
        "Matriks SWOT",
        "SWOT Kekuatan",
        "SWOT Kelemahan",
        "SWOT Peluang",
        "SWOT Ancaman",
        "Skor Strategi SWOT",
        "T-C.26",
        "T-C.27",
        "T-C.28",
    ];
    tables.sort_by_key(|t| order.iter().position(|o| *o == t.id).unwrap_or(order.len()));
    tables
}

/// The Berita Acara PDF and its lampiran workbook, naming the hash of the Renstra PDF just made.
fn berita_acara(
    checked: &Checked,
    unit_dir: &Path,
    templates: &Path,
    files: &[(String, Vec<u8>)],
) -> Result<Vec<(String, Vec<u8>)>, UnitError> {
    let notes = verify::load_notes(unit_dir)?;
    let config = &checked.config;
    let ba = verify::decide(
        &config.verifikasi,
        unit_dir,
        &checked.tables,
        &checked.findings,
        &notes,
    );
    let (sheets, inputs) = verify::inputs_record(&checked.files);
    let renstra_sha256 = files
        .iter()
        .find(|(rel, _)| rel == "renstra.pdf")
        .map(|(_, bytes)| export::manifest::sha256_hex(bytes))
        .unwrap_or_default();
    let date = render::DateData::from_text(&config.verifikasi.tanggal, config);
    let (lebar_mm, tinggi_mm) = config.dokumen.kertas.millimetres();
    let data = serde_json::json!({
        "config": config,
        "periode": format!("{}-{}", config.periode.awal, config.periode.akhir),
        "kertas": { "lebar_mm": lebar_mm, "tinggi_mm": tinggi_mm },
        "tanggal": date,
        "ba": ba,
        "akuntansi": sheets,
        "berkas": inputs,
        "renstra_sha256": renstra_sha256,
    });
    let pdf = render::render_pdf(
        templates,
        unit_dir,
        render::BERITA_ACARA_TEMPLATE,
        &data,
        date,
    )?;
    let xlsx = export::lampiran::workbook(&ba, &sheets, &inputs, &renstra_sha256)?;
    Ok(vec![
        ("berita-acara.pdf".into(), pdf),
        ("lampiran-berita-acara.xlsx".into(), xlsx),
    ])
}

/// Runs every stage for one unit and writes its outputs into `out_dir`.
pub fn build_unit(
    unit_dir: &Path,
    out_dir: &Path,
    templates: &Path,
    options: &IngestOptions,
) -> Result<Built, UnitError> {
    let started = Instant::now();
    let checked = check_unit(unit_dir, options)?;
    let data = render::document_data(
        &checked.config,
        unit_dir,
        &checked.tables,
        &checked.findings,
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "tabel-renstra.xlsx".into(),
        export::xlsx::workbook(&checked.config, &checked.tables, &checked.findings)?,
    )];
    for table in &checked.tables {
        files.push((
            format!("csv/{}.csv", tables::sheet_name(&table.id)),
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
        (
            "renstra.pdf".into(),
            render::render_pdf(
                templates,
                unit_dir,
                render::MAIN_TEMPLATE,
                &data,
                data.tanggal,
            )?,
        ),
    ]);
    files.extend(berita_acara(&checked, unit_dir, templates, &files)?);
    let mut entries = Vec::new();
    for (rel, bytes) in &files {
        export::write_atomic(&out_dir.join(rel), bytes)?;
        entries.push(OutputEntry::of(rel, bytes));
    }
    let manifest = export::manifest::manifest_json(
        &unit_name(unit_dir),
        &checked.files,
        &entries,
        &checked.findings,
    )?;
    export::write_atomic(&out_dir.join("manifest.json"), &manifest)?;
    let mut outputs: Vec<PathBuf> = files.iter().map(|(rel, _)| PathBuf::from(rel)).collect();
    outputs.push(PathBuf::from("manifest.json"));
    Ok(Built {
        checked,
        outputs,
        elapsed: started.elapsed(),
    })
}
