//! What happened to every file and sheet of a unit: read or not (and why), its kind, and how its
//! rows were used. The manifest, the summary and the Berita Acara's lampiran print it.

use serde::Serialize;

use super::{RowAccounting, SheetKind, SourceRef};

/// What happened to one sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetReport {
    /// The sheet.
    pub source: SourceRef,
    /// True when the sheet is hidden in its workbook (it is read all the same).
    pub hidden: bool,
    /// The kind of data recognised, if any.
    pub kind: Option<SheetKind>,
    /// True when its rows went into the model; false when only recognised.
    pub used: bool,
    /// Row accounting for used sheets.
    pub accounting: Option<RowAccounting>,
    /// Rows in the sheet.
    pub rows: usize,
    /// Header texts not recognised.
    pub unknown_columns: Vec<String>,
}

/// What happened to one file of the unit folder.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Name relative to the unit folder.
    pub file: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, so a record names exactly what was read.
    pub sha256: String,
    /// Its sheets, when it could be read.
    pub sheets: Vec<SheetReport>,
    /// Why it was not read, when it was not.
    pub not_read: Option<String>,
}
