//! Ingest must survive the third-party robustness corpus (`../shared/corpus/`, 1,469 files from
//! other projects' test suites, some made to exhaust memory): every file is read or reported with
//! a clear finding, none panics, none takes over 5 s. Workbooks are read the way the CLI reads
//! them, in a bounded child process. Skipped, with a message, when the corpus is absent.
//!
//! Run with `--nocapture` to see the counts per extension.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use renstra::ingest::isolate::{self, Isolation};
use renstra::ingest::{self, IngestOptions};

const PER_FILE_LIMIT: Duration = Duration::from_secs(5);

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("corpus")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else if path
            .file_name()
            .is_some_and(|n| n != "README.md" && n != "MANIFEST.tsv")
        {
            files.push(path);
        }
    }
    files.sort();
    files
}

struct Outcome {
    extension: String,
    read: bool,
    elapsed: Duration,
    path: PathBuf,
}

#[test]
fn every_corpus_file_is_read_or_reported_quickly_without_panicking() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!("corpus test skipped: {} is absent", dir.display());
        return;
    }
    let options = IngestOptions {
        isolation: Some(Isolation {
            exe: PathBuf::from(env!("CARGO_BIN_EXE_renstra")),
            memory_limit: isolate::DEFAULT_MEMORY_LIMIT,
            timeout: PER_FILE_LIMIT,
        }),
        ..Default::default()
    };
    let files = files_under(&dir);
    assert!(files.len() > 1000, "the corpus holds {} files", files.len());
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let started = Instant::now();
            let (report, part) = ingest::ingest_file(path, &name, None, &options);
            let elapsed = started.elapsed();
            let read = report.not_read.is_none();
            if !read {
                // A file not read is reported: a finding for data files, a reason for the rest.
                let reason = report.not_read.as_deref().unwrap_or_default();
                assert!(!reason.is_empty(), "{name}: no reason");
                let is_data = ingest::SUPPORTED_EXTENSIONS
                    .iter()
                    .any(|e| name.to_ascii_lowercase().ends_with(&format!(".{e}")));
                assert!(
                    !is_data || !part.findings.is_empty(),
                    "{name}: not read and no finding"
                );
            }
            for sheet in &report.sheets {
                if let Some(a) = &sheet.accounting {
                    assert!(
                        a.balances(),
                        "{name} › {}: rows unaccounted",
                        sheet.source.sheet
                    );
                }
            }
            Outcome {
                extension: path
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_else(|| "(none)".into()),
                read,
                elapsed,
                path: path.clone(),
            }
        })
        .collect();

    let mut by_ext: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for o in &outcomes {
        let slot = by_ext.entry(&o.extension).or_default();
        if o.read { slot.0 += 1 } else { slot.1 += 1 }
    }
    eprintln!("corpus: {} files", outcomes.len());
    for (ext, (read, reported)) in &by_ext {
        eprintln!("  {ext:<7} read {read:>4}  reported {reported:>4}");
    }
    let slowest = outcomes.iter().max_by_key(|o| o.elapsed).unwrap();
    eprintln!(
        "  slowest: {} in {:?}",
        slowest.path.display(),
        slowest.elapsed
    );
    // The child's own timeout is the limit; allow for process start and scheduling on 2 cores.
    for o in &outcomes {
        assert!(
            o.elapsed < PER_FILE_LIMIT + Duration::from_millis(500),
            "{} took {:?}",
            o.path.display(),
            o.elapsed
        );
    }
}
