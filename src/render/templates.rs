//! The Typst templates compiled into the binary, and where a build takes its templates from: a
//! folder the user names (`--templates`), a `templates/` folder beside the units, or the compiled
//! ones. The compiled ones are written once into a folder named by their content under the
//! system's temporary folder, so every stage reads templates the same way and the build key
//! (their content) does not depend on where they came from.

use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

mod compiled {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

/// The compiled templates: path under `templates/` and bytes.
pub fn embedded() -> &'static [(&'static str, &'static [u8])] {
    compiled::FILES
}

/// The SHA-256 of the compiled templates (paths and contents), in hex.
fn fingerprint() -> String {
    let mut h = Sha256::new();
    for (path, bytes) in embedded() {
        h.update(path.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// True when `dir` holds exactly the compiled templates' files with their contents.
fn holds_embedded(dir: &Path) -> bool {
    embedded()
        .iter()
        .all(|(rel, bytes)| std::fs::read(dir.join(rel)).is_ok_and(|b| b == *bytes))
}

/// A folder holding the compiled templates: the one named by their content under the temporary
/// folder when it holds them unchanged, else a fresh one written now (and moved into place in one
/// step, so another renstra running at the same time never sees half of it).
pub fn materialized() -> io::Result<PathBuf> {
    let base = std::env::temp_dir();
    let name = format!("renstra-templat-{}", &fingerprint()[..16]);
    let dir = base.join(&name);
    if holds_embedded(&dir) {
        return Ok(dir);
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let staging = base.join(format!("{name}.{}-{nanos}", std::process::id()));
    for (rel, bytes) in embedded() {
        let path = staging.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)?;
    }
    if std::fs::rename(&staging, &dir).is_ok() && holds_embedded(&dir) {
        return Ok(dir);
    }
    // Someone else's folder is in the way (or was changed): this run uses its own copy.
    if holds_embedded(&dir) {
        let _ = std::fs::remove_dir_all(&staging);
        return Ok(dir);
    }
    Ok(staging)
}

/// Where a build takes its templates from, in this order: the folder given with `--templates`
/// (an error when it does not exist), a `templates/` folder in the input folder, the compiled
/// templates.
pub fn choose(given: Option<&Path>, input: &Path) -> Result<PathBuf, TemplatesError> {
    if let Some(dir) = given {
        return if dir.join("renstra.typ").is_file() {
            Ok(dir.to_path_buf())
        } else {
            Err(TemplatesError::Missing(dir.to_path_buf()))
        };
    }
    let beside = input.join("templates");
    if beside.join("renstra.typ").is_file() {
        return Ok(beside);
    }
    materialized().map_err(TemplatesError::Write)
}

/// Why no templates could be chosen (worded in [`crate::messages::errors`]).
#[derive(Debug, thiserror::Error)]
pub enum TemplatesError {
    /// The folder given with `--templates` holds no `renstra.typ`.
    Missing(PathBuf),
    /// The compiled templates could not be written to the temporary folder.
    Write(#[source] io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_templates_are_the_repositorys() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        assert!(embedded().iter().any(|(p, _)| *p == "renstra.typ"));
        assert!(embedded().iter().any(|(p, _)| *p == "tabel/umum.typ"));
        for (rel, bytes) in embedded() {
            assert_eq!(std::fs::read(root.join(rel)).unwrap(), *bytes, "{rel}");
        }
        let dir = materialized().unwrap();
        assert!(holds_embedded(&dir));
    }
}
