//! `manifest.json`: what a build read and wrote, each file with its SHA-256, and how every row
//! of every input was used. A verifier can check that the record names exactly what was checked.

use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::ExportError;
use crate::model::FileReport;
use crate::model::{Coverage, Finding, Severity};

/// One output file.
#[derive(Debug, Serialize)]
pub struct OutputEntry {
    /// Path relative to the unit's output folder.
    pub file: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content.
    pub sha256: String,
}

impl OutputEntry {
    /// Describes `bytes` written to `file`.
    pub fn of(file: &str, bytes: &[u8]) -> OutputEntry {
        OutputEntry {
            file: file.to_string(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

/// SHA-256 of bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An output the build could not make (a PDF Typst could not typeset), with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The output, relative to the unit's output folder.
    pub berkas: String,
    /// Why, for people.
    pub alasan: String,
}

#[derive(Serialize)]
struct Counts {
    kesalahan: usize,
    peringatan: usize,
    info: usize,
}

#[derive(Serialize)]
struct Manifest<'a> {
    renstra: &'static str,
    unit: &'a str,
    kunci_build: &'a str,
    halaman: usize,
    inputs: &'a [FileReport],
    outputs: &'a [OutputEntry],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tidak_dibuat: &'a [Missing],
    temuan: Counts,
    cakupan: Vec<CoverageRow>,
}

/// One rule's checks, as the manifest lists them.
#[derive(Serialize)]
struct CoverageRow {
    aturan: &'static str,
    dijalankan: usize,
    lolos: usize,
    gagal: usize,
    tidak_dapat_dijalankan: usize,
    memakai_usulan: usize,
}

/// The manifest as pretty JSON. It holds no timestamp, so identical inputs give identical bytes.
pub fn manifest_json(
    unit: &str,
    (inputs, outputs, missing): (&[FileReport], &[OutputEntry], &[Missing]),
    findings: &[Finding],
    coverage: &Coverage,
    build_key: &str,
    pages: usize,
) -> Result<Vec<u8>, ExportError> {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let manifest = Manifest {
        renstra: env!("CARGO_PKG_VERSION"),
        unit,
        kunci_build: build_key,
        halaman: pages,
        inputs,
        outputs,
        tidak_dibuat: missing,
        temuan: Counts {
            kesalahan: count(Severity::Error),
            peringatan: count(Severity::Warning),
            info: count(Severity::Info),
        },
        cakupan: coverage
            .rows()
            .into_iter()
            .map(|(aturan, t)| CoverageRow {
                aturan,
                dijalankan: t.run(),
                lolos: t.passed,
                gagal: t.failed,
                tidak_dapat_dijalankan: t.not_run,
                memakai_usulan: t.on_proposal,
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| ExportError::Io {
        path: "manifest.json".into(),
        source: e.into(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// What the summary of a run needs from a previous build's manifest.
#[derive(Debug, Clone, serde::Deserialize, PartialEq, Eq)]
pub struct Summary {
    /// The fingerprint of everything that build depended on.
    pub kunci_build: String,
    /// Pages of its Renstra PDF.
    pub halaman: usize,
    /// Its finding counts.
    pub temuan: SummaryCounts,
    /// The files it wrote, to tell whether they are still there as written.
    pub outputs: Vec<SummaryOutput>,
}

/// One output of a previous build.
#[derive(Debug, Clone, serde::Deserialize, PartialEq, Eq)]
pub struct SummaryOutput {
    /// Path relative to the unit's output folder.
    pub file: String,
    /// SHA-256 of the content as written.
    pub sha256: String,
}

impl Summary {
    /// True when every output the build wrote is still in `out_dir` with the same content: a
    /// deleted or edited output (say, the xlsx opened and saved in Excel) needs a rebuild.
    pub fn outputs_intact(&self, out_dir: &Path) -> bool {
        self.outputs.iter().all(|o| {
            std::fs::read(out_dir.join(&o.file)).is_ok_and(|bytes| sha256_hex(&bytes) == o.sha256)
        })
    }
}

/// Finding counts of a previous build.
#[derive(Debug, Clone, serde::Deserialize, PartialEq, Eq)]
pub struct SummaryCounts {
    /// Errors.
    pub kesalahan: usize,
    /// Warnings.
    pub peringatan: usize,
    /// Info.
    pub info: usize,
}

/// The summary of the build recorded in `path`, if there is a readable one.
pub fn read_summary(path: &Path) -> Option<Summary> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}
