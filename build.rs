//! Compiles the Typst templates into the binary: `OUT_DIR/templates.rs` lists every file under
//! `templates/` with its bytes (`include_bytes!`), so a single `renstra` typesets anywhere.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    // invariant: cargo sets CARGO_MANIFEST_DIR and OUT_DIR for every build script.
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let templates = root.join("templates");
    println!("cargo:rerun-if-changed=templates");
    let mut list = Vec::new();
    files(&templates, &mut list);
    let mut code =
        String::from("/// Every template file: its path under `templates/` and its bytes.\n");
    code.push_str("pub(super) static FILES: &[(&str, &[u8])] = &[\n");
    for path in &list {
        let rel = path
            .strip_prefix(&templates)
            // invariant: `files` only returns paths below the folder it walked.
            .expect("under templates/")
            .to_string_lossy()
            .replace('\\', "/");
        let _ = writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("templates.rs");
    // invariant: OUT_DIR is cargo's own writable folder; a build script can only fail loudly.
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
