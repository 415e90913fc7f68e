//! Helpers shared by every integration test: the sample built once, copies of it, the outputs of
//! the real executable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::LazyLock;

use renstra::ingest::IngestOptions;
use renstra::ingest::isolate::{self, Isolation};
use renstra::pipeline::{self, Built};
use rust_decimal::{Decimal, RoundingStrategy};

/// The bundled sample unit.
pub(crate) const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/input/kecamatan-kanigaran");
/// The project's templates.
pub(crate) const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");

/// Copies a folder tree (the tests never modify the sample itself).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub(crate) fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

/// The `--json` summary of a build, unit name → its object.
pub(crate) fn summary(output: &Output) -> BTreeMap<String, serde_json::Value> {
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not the JSON summary ({e}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["unit"].as_str().unwrap().to_string(), u.clone()))
        .collect()
}

/// Workbooks read as the CLI reads them: in bounded child processes of the renstra binary.
pub(crate) fn isolated() -> IngestOptions {
    IngestOptions {
        isolation: Some(Isolation {
            exe: PathBuf::from(env!("CARGO_BIN_EXE_renstra")),
            memory_limit: isolate::DEFAULT_MEMORY_LIMIT,
            timeout: isolate::DEFAULT_TIMEOUT,
        }),
        ..Default::default()
    }
}

/// The sample unit built once for the whole suite, as the CLI builds it (workbooks read in
/// bounded child processes), into a temporary output folder that no test writes to.
pub(crate) static BUILT: LazyLock<(tempfile::TempDir, Built)> = LazyLock::new(|| {
    let out = tempfile::tempdir().expect("temporary folder");
    let built = pipeline::build_unit(
        Path::new(SAMPLE),
        out.path(),
        Path::new(TEMPLATES),
        &isolated(),
    )
    .expect("the sample unit builds");
    (out, built)
});

/// The test's own Indonesian number format, never renstra's: `1234567.891` with two places is
/// `1.234.567,89` (thousands with dots, decimals after a comma, half away from zero).
pub(crate) fn indonesian(value: Decimal, places: u32) -> String {
    let rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    let plain = format!("{:.*}", places as usize, rounded);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{fraction}")
    }
}

#[test]
fn the_tests_own_formatter_groups_and_rounds() {
    use rust_decimal_macros::dec;
    assert_eq!(indonesian(dec!(1234567.891), 2), "1.234.567,89");
    assert_eq!(indonesian(dec!(1234567.895), 2), "1.234.567,90");
    assert_eq!(indonesian(dec!(-840853970), 2), "-840.853.970,00");
    assert_eq!(indonesian(dec!(999), 0), "999");
    assert_eq!(indonesian(dec!(96.5), 1), "96,5");
}

/// The page count of a PDF as poppler's `pdfinfo` reads it (an independent reader), or `None`
/// with a line saying why when poppler-utils is not installed (`.ci/run` installs it).
pub(crate) fn pdfinfo_pages(pdf: &Path) -> Option<u64> {
    let output = match std::process::Command::new("pdfinfo").arg(pdf).output() {
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!(
            "pdfinfo refused {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => {
            eprintln!("pdfinfo (poppler-utils) is not installed: page count not cross-checked");
            return None;
        }
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let pages = text
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok());
    assert!(pages.is_some(), "pdfinfo names the page count: {text}");
    pages
}

/// Reads a CSV written by renstra (UTF-8 with BOM) into header → value, row by row.
pub(crate) fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(text);
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// `renstra build <input> --out <out> --templates <repo templates> --json` through the real
/// executable, with `env` set: the JSON summary on stdout (see [`summary`]).
pub(crate) fn build_json_env(input: &Path, out: &Path, env: &[(&str, &str)]) -> Output {
    build_json_with(input, out, env, &[])
}

/// [`build_json_env`] with more arguments after the folders (`--memory 64`).
pub(crate) fn build_json_with(
    input: &Path,
    out: &Path,
    env: &[(&str, &str)],
    more: &[&str],
) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_renstra"))
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--templates")
        .arg(TEMPLATES)
        .arg("--json")
        .args(more)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}
