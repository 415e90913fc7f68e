//! Many units at once: the scheduler behind `renstra build` and `renstra watch`.
//!
//! Units are built one per worker thread, each reduced to a small [`UnitSummary`] as soon as it is
//! done (a batch of hundreds never holds their data at once), and Typst's memo cache is trimmed
//! after each. One unit's failure never stops the others. What the summary says for people is
//! composed by the caller (the CLI), through [`Report`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::Serialize;

use crate::ingest::IngestOptions;
use crate::model::Severity;
use crate::pipeline::{self, Built, Outcome, Timings};
use crate::render::Worlds;

/// One of N disjoint parts of a batch (`build --shard K/N`): N machines given the same input
/// tree and each its own K build every unit exactly once between them, without talking to
/// each other. A unit belongs to the shard its folder name's SHA-256 picks, so the split is
/// the same on every machine, in every run, whatever order the folders are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K, from 1.
    pub index: u32,
    /// N, at least 1.
    pub count: u32,
}

/// Why a `--shard` value is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardError(pub String);

impl std::str::FromStr for Shard {
    type Err = ShardError;

    /// `K/N` with 1 ≤ K ≤ N.
    fn from_str(text: &str) -> Result<Shard, ShardError> {
        let wrong = || ShardError(text.to_string());
        let (k, n) = text.trim().split_once('/').ok_or_else(wrong)?;
        let index: u32 = k.trim().parse().map_err(|_| wrong())?;
        let count: u32 = n.trim().parse().map_err(|_| wrong())?;
        if index == 0 || count == 0 || index > count {
            return Err(wrong());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the unit folder `unit` (by its name) belongs to this shard.
    pub fn takes(self, unit: &Path) -> bool {
        self.takes_name(&pipeline::unit_name(unit))
    }

    /// Whether the unit named `name` (its folder's name) belongs to this shard.
    pub fn takes_name(self, name: &str) -> bool {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(name.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// The summaries of several shards' `--json` as one, by unit name; a unit given twice (two
/// shards that were not of one split, or one run counted twice) is refused by name.
pub fn merge_summaries(parts: Vec<Vec<UnitSummary>>) -> Result<Vec<UnitSummary>, String> {
    let mut by_unit: std::collections::BTreeMap<String, UnitSummary> =
        std::collections::BTreeMap::new();
    for summary in parts.into_iter().flatten() {
        if by_unit.contains_key(&summary.unit) {
            return Err(summary.unit);
        }
        by_unit.insert(summary.unit.clone(), summary);
    }
    Ok(by_unit.into_values().collect())
}

/// How one unit ended, as the summary table and `--json` print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Hasil {
    /// Built in this run.
    #[serde(rename = "disusun")]
    Disusun,
    /// Nothing changed since the last build; its outputs were kept.
    #[serde(rename = "tidak-berubah")]
    TidakBerubah,
    /// It could not be built.
    #[serde(rename = "gagal")]
    Gagal,
}

/// One unit's result, kept small so a batch of hundreds of units never holds their data at once.
/// Its fields are what `--json` prints, under these names (and what `renstra summary` reads
/// back).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct UnitSummary {
    /// The unit's folder name.
    pub unit: String,
    /// Built, unchanged or failed.
    pub hasil: Hasil,
    /// Error-level findings.
    pub kesalahan: usize,
    /// Warnings.
    pub peringatan: usize,
    /// Info-level findings.
    pub info: usize,
    /// Pages of the Renstra PDF.
    pub halaman: usize,
    /// Wall time of the unit, in seconds.
    pub detik: f64,
    /// Seconds spent in each stage, for units built in this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tahap: Option<Stages>,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alasan: Option<String>,
    /// The per-unit report for people, composed by the caller's [`Report`].
    #[serde(skip, default)]
    pub laporan: String,
}

impl UnitSummary {
    fn new(unit: String) -> UnitSummary {
        UnitSummary {
            unit,
            hasil: Hasil::Gagal,
            kesalahan: 0,
            peringatan: 0,
            info: 0,
            halaman: 0,
            detik: 0.0,
            tahap: None,
            alasan: None,
            laporan: String::new(),
        }
    }

    /// The summary of a unit folder refused before any work (a link out of the input folder).
    pub fn refused(unit: &Path, why: &str, report: &dyn Report) -> UnitSummary {
        let mut summary = UnitSummary::new(pipeline::unit_name(unit));
        summary.alasan = Some(why.to_string());
        summary.laporan = report.failed(unit, why);
        summary
    }
}

/// Seconds per stage of one unit's build ([`Timings`]), as `--json` prints them.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Stages {
    /// Reading the configuration and every workbook.
    pub baca: f64,
    /// Normalizing, reconciling and building the tables.
    pub periksa: f64,
    /// tabel-renstra.xlsx and the CSVs.
    pub tabel: f64,
    /// renstra.pdf.
    pub pdf: f64,
    /// berita-acara.pdf and its lampiran.
    pub berita_acara: f64,
    /// Waiting for the batch's memory before typesetting (`build --memory`).
    #[serde(default)]
    pub tunggu_memori: f64,
    /// The build key, the manifest and putting the files in place.
    pub tulis: f64,
}

impl From<&Timings> for Stages {
    fn from(t: &Timings) -> Stages {
        Stages {
            baca: t.ingest.as_secs_f64(),
            periksa: t.reconcile.as_secs_f64(),
            tabel: t.xlsx_csv.as_secs_f64(),
            pdf: t.pdf.as_secs_f64(),
            berita_acara: t.berita_acara.as_secs_f64(),
            tunggu_memori: t.memory_wait.as_secs_f64(),
            tulis: t.publish.as_secs_f64(),
        }
    }
}

/// What a batch says to people about each unit; the CLI implements it in Bahasa Indonesia.
pub trait Report: Sync {
    /// A unit built in this run, with its outputs in `out_dir`.
    fn built(&self, unit: &Path, out_dir: &Path, built: &Built) -> String;
    /// A unit left as it was because nothing changed.
    fn unchanged(&self, unit: &Path, name: &str, out_dir: &Path) -> String;
    /// A unit that could not be built, and why.
    fn failed(&self, unit: &Path, why: &str) -> String;
}

/// How a batch builds its units.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Where each unit's output folder goes.
    pub out: PathBuf,
    /// The Typst templates.
    pub templates: PathBuf,
    /// How workbooks are read.
    pub ingest: IngestOptions,
    /// Rebuild units whose inputs have not changed.
    pub force: bool,
    /// Typeset in a bounded child (the CLI does); `None` typesets in-process, which is only
    /// safe for a trusted narrative such as the bundled sample's.
    pub typeset: Option<crate::render::worker::Bounds>,
    /// How long one unit's build may take, from its start; `None` for no bound. The CLI
    /// gives [`UNIT_TIMEOUT`].
    pub unit_timeout: Option<std::time::Duration>,
}

/// How long one unit's build may take in the CLI: 15 minutes. A unit at the row bound (250,000
/// lines, 340,000 findings) builds in under a minute; its two documents may take 120 s each in
/// the typesetter and each workbook 60 s in its reader, so only a folder of many pathological
/// files reaches this.
pub const UNIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Builds one unit (unless it is unchanged) and reduces the result to its summary.
pub fn build_one(unit: &Path, options: &BatchOptions, report: &dyn Report) -> UnitSummary {
    build_one_kept(
        unit,
        options,
        report,
        &mut Worlds::bounded(options.typeset.clone()),
    )
}

/// [`build_one`] typesetting in the unit's kept `worlds` (`watch` keeps them between builds).
/// A panic while building the unit fails that unit only: its summary says so, and the batch,
/// its other units and its summary go on (the kept worlds are dropped, as they may be half
/// updated).
pub fn build_one_kept(
    unit: &Path,
    options: &BatchOptions,
    report: &dyn Report,
    worlds: &mut Worlds,
) -> UnitSummary {
    let started = Instant::now();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build_one_unguarded(unit, options, report, worlds)
    }));
    match caught {
        Ok(summary) => summary,
        Err(payload) => {
            *worlds = Worlds::bounded(options.typeset.clone());
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let why = crate::messages::cli::internal_failure(&detail);
            let mut summary = UnitSummary::new(pipeline::unit_name(unit));
            summary.laporan = report.failed(unit, &why);
            summary.alasan = Some(why);
            summary.detik = started.elapsed().as_secs_f64();
            summary
        }
    }
}

fn build_one_unguarded(
    unit: &Path,
    options: &BatchOptions,
    report: &dyn Report,
    worlds: &mut Worlds,
) -> UnitSummary {
    let started = Instant::now();
    let name = pipeline::unit_name(unit);
    let out_dir = options.out.join(&name);
    let mut summary = UnitSummary::new(name);
    let ingest = crate::ingest::IngestOptions {
        deadline: options.unit_timeout.map_or_else(
            crate::bounded::Deadline::none,
            crate::bounded::Deadline::after,
        ),
        ..options.ingest.clone()
    };
    let outcome = pipeline::build_unit_if_changed(
        unit,
        &out_dir,
        &options.templates,
        &ingest,
        options.force,
        worlds,
    );
    match outcome {
        Ok(Outcome::Built(built)) => {
            summary.laporan = report.built(unit, &out_dir, &built);
            summary.hasil = Hasil::Disusun;
            // A document Typst could not typeset fails the unit, though every other output
            // is written and current.
            if !built.missing.is_empty() {
                let why = crate::messages::cli::documents_missing(&built.missing);
                summary.laporan.push_str(&report.failed(unit, &why));
                summary.hasil = Hasil::Gagal;
                summary.alasan = Some(why);
            }
            summary.kesalahan = built.checked.count(Severity::Error);
            summary.peringatan = built.checked.count(Severity::Warning);
            summary.info = built.checked.count(Severity::Info);
            summary.halaman = built.pages;
            summary.tahap = Some(Stages::from(&built.timings));
        }
        Ok(Outcome::Unchanged(previous)) => {
            summary.hasil = Hasil::TidakBerubah;
            summary.kesalahan = previous.temuan.kesalahan;
            summary.peringatan = previous.temuan.peringatan;
            summary.info = previous.temuan.info;
            summary.halaman = previous.halaman;
            summary.laporan = report.unchanged(unit, &summary.unit, &out_dir);
        }
        Err(e) => {
            let why = e.to_string();
            summary.laporan = report.failed(unit, &why);
            summary.alasan = Some(why);
        }
    }
    summary.detik = started.elapsed().as_secs_f64();
    summary
}

/// Builds every unit, in parallel, and returns their summaries in unit order; `done` is called
/// after each unit (for a progress bar).
pub fn build_all(
    units: &[PathBuf],
    options: &BatchOptions,
    report: &dyn Report,
    done: &(dyn Fn() + Sync),
) -> Vec<UnitSummary> {
    for_each_unit(units, |unit| {
        let summary = build_one(unit, options, report);
        // Typst memoizes layouts in a process-wide cache: drop what no recent unit used, so a
        // batch of hundreds of units does not keep every unit's layout.
        typst::comemo::evict(UNIT_CACHE_AGE);
        crate::bounded::return_freed_memory();
        done();
        summary
    })
}

/// Evictions of Typst's cache (one per unit built) an unused entry survives: none. Units share
/// little beyond fonts and templates, and keeping one unit's layouts raised a 20-unit batch's
/// peak from 804 to 928 MiB at no gain in time.
const UNIT_CACHE_AGE: usize = 0;

/// Runs `f` on every unit, one unit per worker thread at a time, and returns the results in unit
/// order. Not a rayon `par_iter`: typesetting a unit uses rayon inside, and a rayon worker that
/// waits on it steals other tasks, so it would start unit after unit on top of the one it is
/// typesetting and hold many units in memory at once. Plain threads block instead, so at most
/// one unit per thread is in flight.
pub fn for_each_unit<T: Send>(units: &[PathBuf], f: impl Fn(&Path) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, T)>> = Mutex::new(Vec::with_capacity(units.len()));
    let workers = rayon::current_num_threads().clamp(1, units.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(unit) = units.get(index) else { break };
                    let result = f(unit);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((index, result));
                }
            });
        }
    });
    let mut done = results.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The exit status of a batch: `Failed` when a unit could not be built; with `strict`,
/// `Errors` when one has an error-level finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchStatus {
    /// Every unit was built (or unchanged).
    Ok,
    /// Strict, and a unit has an error-level finding.
    Errors,
    /// A unit could not be built.
    Failed,
}

/// See [`BatchStatus`].
pub fn status(summaries: &[UnitSummary], strict: bool) -> BatchStatus {
    if summaries.iter().any(|s| s.alasan.is_some()) {
        BatchStatus::Failed
    } else if strict && summaries.iter().any(|s| s.kesalahan > 0) {
        BatchStatus::Errors
    } else {
        BatchStatus::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_is_k_of_n_with_k_from_one_to_n() {
        assert_eq!("2/3".parse(), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(" 1 / 1 ".parse(), Ok(Shard { index: 1, count: 1 }));
        for wrong in ["0/3", "4/3", "3", "1/0", "a/3", "-1/3", ""] {
            assert!(wrong.parse::<Shard>().is_err(), "{wrong}");
        }
    }

    #[test]
    fn every_unit_falls_in_exactly_one_shard_of_a_split() {
        for count in [1u32, 2, 3, 7, 40] {
            let shards: Vec<Shard> = (1..=count).map(|index| Shard { index, count }).collect();
            let mut sizes = vec![0usize; count as usize];
            for n in 0..2_000 {
                let name = format!("dinas-{n:04}");
                let owners: Vec<usize> = (0..shards.len())
                    .filter(|&i| shards[i].takes_name(&name))
                    .collect();
                assert_eq!(owners.len(), 1, "{name} in {count} shards");
                sizes[owners[0]] += 1;
            }
            // A hash spreads 2,000 names evenly: no shard is empty or holds twice its share.
            let share = 2_000 / count as usize;
            assert!(
                sizes.iter().all(|&s| s > 0 && s < 2 * share.max(1) + 10),
                "{sizes:?}"
            );
        }
    }

    #[test]
    fn a_unit_in_two_summaries_is_refused_by_name() {
        let unit = |name: &str| UnitSummary::new(name.to_string());
        let merged = merge_summaries(vec![vec![unit("b"), unit("a")], vec![unit("c")]]).unwrap();
        let names: Vec<&str> = merged.iter().map(|s| s.unit.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(
            merge_summaries(vec![vec![unit("a")], vec![unit("a")]]).unwrap_err(),
            "a"
        );
    }
}
