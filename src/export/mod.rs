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
