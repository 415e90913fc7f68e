//! Stage 3b: writing the verified tables and the findings to files people and machines open.
//!
//! Every file is written atomically (a temporary file beside it, then a rename), so a reader never
//! sees half a file and an interrupted run leaves the previous one intact; and every file is a pure
//! function of its inputs, so the same inputs give byte-identical outputs.

pub mod csv;
pub mod manifest;
pub mod print;
pub mod xlsx;

use std::io::Write;
use std::path::Path;

use thiserror::Error;

/// Why an output could not be written.
#[derive(Debug, Error)]
pub enum ExportError {
    /// The file system refused.
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The xlsx writer refused the content.
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The CSV writer failed.
    Csv(#[from] ::csv::Error),
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then renamed
/// over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    let io_err = |source| ExportError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_err)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".renstra-")
        .tempfile_in(dir)
        .map_err(io_err)?;
    tmp.write_all(bytes).map_err(io_err)?;
    // A temporary file is private (0600); an output is as readable as the build's (0644).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io_err)?;
    }
    tmp.as_file().sync_all().map_err(io_err)?;
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub").join("a.csv");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(target.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.csv")]);
    }
}

/// The most characters a spreadsheet cell (or a cell's note) holds: Excel's limit, which
/// rust_xlsxwriter enforces by refusing the string.
pub const CELL_CHARS: usize = 32_767;

/// `text` as a workbook cell can hold it: cut at [`CELL_CHARS`] with a visible `…` (the CSV
/// keeps the whole text).
pub fn cell_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= CELL_CHARS {
        std::borrow::Cow::Borrowed(text)
    } else {
        let mut cut: String = text.chars().take(CELL_CHARS - 1).collect();
        cut.push('…');
        std::borrow::Cow::Owned(cut)
    }
}

/// The cells of a finding as the Temuan sheet lists them: all of them up to 20, then the first
/// 20 and how many more (the CSV lists every one).
pub fn cell_list(cells: &[String]) -> String {
    const SHOWN: usize = 20;
    if cells.len() <= SHOWN {
        cells.join(" ")
    } else {
        crate::messages::workbook::more_cells(&cells[..SHOWN].join(" "), cells.len() - SHOWN)
    }
}

#[cfg(test)]
mod cell_tests {
    use super::*;

    #[test]
    fn a_cell_holds_at_most_excels_limit_and_says_where_it_was_cut() {
        let long = "a".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), 32_767);
        assert!(cut.ends_with('…'));
        assert_eq!(cell_text("pendek"), "pendek");
        let cells: Vec<String> = (1..=25).map(|r| format!("B{r}")).collect();
        let listed = cell_list(&cells);
        assert!(listed.starts_with("B1 B2 ") && listed.contains("B20") && !listed.contains("B21"));
        assert!(listed.ends_with("dan 5 sel lain"), "{listed}");
    }
}
