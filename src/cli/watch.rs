//! `renstra watch`: rebuild the units whose files change, once they have stopped changing.
//!
//! A workbook being copied or saved arrives in many writes; Excel also drops `~$…` owner files
//! beside a workbook it has open. A unit is rebuilt only after its files have been quiet for the
//! quiet period and its file sizes and times are the same on two looks in a row, so a half-copied
//! workbook never triggers a build. A build that fails is reported and the watch goes on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use notify::{RecursiveMode, Watcher};

use super::{WatchArgs, batch_options, fail, warn};
use crate::batch;
use crate::messages::cli as say;
use crate::pipeline;
use crate::render::Worlds;

/// Sizes and modification times of a unit's files: equal on two looks means the copying is done.
type Snapshot = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut out = Snapshot::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(path),
                Ok(m) => {
                    out.insert(path, (m.len(), m.modified().ok()));
                }
                Err(_) => {}
            }
        }
    }
    out
}

/// True for files whose changes never trigger a build: Excel's owner files, hidden and temporary
/// files (LibreOffice's `.~lock…#`, editors' swap files).
fn ignored(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy())
        .is_some_and(|n| {
            n.starts_with("~$") || n.starts_with('.') || n.ends_with('~') || n.ends_with(".tmp")
        })
}

/// The unit folder a changed path belongs to: the first folder below `input` (or `input` itself
/// when it is a unit) that holds a renstra.toml.
fn unit_of(input: &Path, path: &Path) -> Option<PathBuf> {
    if input.join(crate::config::CONFIG_FILE).is_file() {
        return path.starts_with(input).then(|| input.to_path_buf());
    }
    let rel = path.strip_prefix(input).ok()?;
    let first = rel.components().next()?;
    let unit = input.join(first);
    unit.join(crate::config::CONFIG_FILE)
        .is_file()
        .then_some(unit)
}

struct Pending {
    last_event: Instant,
    seen: Option<Snapshot>,
    /// Since when a workbook of the unit has been quiet but incomplete (no zip end record).
    incomplete_since: Option<Instant>,
}

/// How long a quiet but incomplete workbook (a copy that stalled) is waited for before the unit
/// is built anyway, which reports the file as incomplete.
const INCOMPLETE_WAIT: Duration = Duration::from_secs(60);

/// True when a zip-format workbook directly in `unit` lacks its end record: still being
/// written, however quiet it has been.
fn has_incomplete_workbook(unit: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(unit) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        !ignored(&path)
            && crate::ingest::grid::ZIP_EXTENSIONS
                .contains(&crate::ingest::grid::extension(&path).as_str())
            && e.file_type().is_ok_and(|t| t.is_file())
            && crate::ingest::grid::zip_file_complete(&path).is_ok_and(|complete| !complete)
    })
}

/// Runs until Ctrl-C.
pub(super) fn run(args: &WatchArgs) -> ExitCode {
    let _lock = match pipeline::OutputLock::acquire(&args.folders.out) {
        Ok(lock) => lock,
        Err(e) => return fail(e),
    };
    if let Err(code) = super::recover(&args.folders.out) {
        return code;
    }
    let stop = stop_on_ctrl_c();
    let input = real_path(&args.folders.input);
    let out = real_path(&args.folders.out);
    let mut options = match batch_options(&args.folders, &args.templates, false) {
        Ok(options) => options,
        Err(code) => return code,
    };
    // A change touches one file: the unit's other workbooks are not parsed again.
    options.ingest.cache = Some(std::sync::Arc::new(crate::ingest::GridCache::default()));
    let mut builder = Rebuilder {
        options,
        people: say::People { verbose: false },
        worlds: BTreeMap::new(),
        recent: Vec::new(),
    };
    match pipeline::discover(&input) {
        Ok(found) => {
            found.units.iter().for_each(|u| builder.rebuild(u));
            for (unit, why) in &found.refused {
                print_line(&say::watch_failed(&pipeline::unit_name(unit), why));
            }
        }
        Err(e) => warn(say::input_unreadable(&input, &e)),
    }
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => return fail(say::watcher_failed(e)),
    };
    if let Err(e) = watcher.watch(&input, RecursiveMode::Recursive) {
        return fail(say::unwatchable(&input, e));
    }
    print_line(&say::watching(&input));
    let quiet = Duration::from_millis(args.quiet_ms);
    let mut pending: BTreeMap<PathBuf, Pending> = BTreeMap::new();
    while !stop.load(Ordering::SeqCst) {
        // Wake when the first pending unit's quiet period ends, not on a fixed tick.
        let wait = pending
            .values()
            .map(|p| quiet.saturating_sub(p.last_event.elapsed()))
            .min()
            .unwrap_or(Duration::from_millis(100))
            .clamp(Duration::from_millis(1), Duration::from_millis(100));
        match rx.recv_timeout(wait) {
            // Opening and reading a file (our own build reads every workbook) changes nothing.
            Ok(Ok(event)) if event.kind.is_access() => {}
            Ok(Ok(event)) => {
                for unit in units_touched(&event.paths, &input, &out) {
                    // The files as they are at the event: if the quiet period ends with the
                    // same sizes and times, the copy is over and the unit is built at once.
                    let seen = Some(snapshot(&unit));
                    let p = pending.entry(unit).or_insert(Pending {
                        last_event: Instant::now(),
                        seen: None,
                        incomplete_since: None,
                    });
                    p.last_event = Instant::now();
                    p.seen = seen;
                }
            }
            Ok(Err(e)) => warn(say::watch_error(e)),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        for unit in settled(&mut pending, quiet) {
            pending.remove(&unit);
            builder.rebuild(&unit);
        }
    }
    print_line(say::STOPPED);
    ExitCode::SUCCESS
}

/// Builds units for the watch, each in its own kept Typst worlds: a change re-renders through
/// Typst's memoization instead of from scratch (as typst-cli's watch does).
struct Rebuilder {
    options: batch::BatchOptions,
    people: say::People,
    worlds: BTreeMap<PathBuf, Worlds>,
    /// Units by their last rebuild, most recent first, whose typesetting child is kept.
    recent: Vec<PathBuf>,
}

/// Typesetting children kept at once by a watch: the units being worked on.
const KEPT_CHILDREN: usize = 2;

impl Rebuilder {
    /// Every look at a unit gets its line, `tidak-berubah` included: after a failed build,
    /// fixing the file back to its last good state is unchanged, and the user must still hear
    /// that all is well.
    fn rebuild(&mut self, unit: &Path) {
        let typeset = self.options.typeset.clone();
        let kept = self
            .worlds
            .entry(unit.to_path_buf())
            .or_insert_with(|| match typeset {
                Some(bounds) => Worlds::kept_child(bounds),
                None => Worlds::bounded(None),
            });
        let s = batch::build_one_kept(unit, &self.options, &self.people, kept);
        print_line(&say::watched(&s));
        self.keep_recent(unit);
    }

    /// Keeps the typesetting children of the units changed most recently only: each holds its
    /// worlds (a few hundred MB for the sample), and a province has hundreds of units.
    fn keep_recent(&mut self, unit: &Path) {
        self.recent.retain(|u| u != unit);
        self.recent.insert(0, unit.to_path_buf());
        for old in self.recent.split_off(KEPT_CHILDREN.min(self.recent.len())) {
            if let Some(worlds) = self.worlds.get_mut(&old) {
                worlds.release_child();
            }
        }
    }
}

/// A flag Ctrl-C sets: the watch finishes the build under way, then stops.
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        warn(say::no_ctrl_c(e));
    }
    stop
}

/// The folder as the file-system events name it (events carry absolute, resolved paths).
fn real_path(folder: &Path) -> PathBuf {
    folder
        .canonicalize()
        .unwrap_or_else(|_| folder.to_path_buf())
}

/// The units whose files an event touched, leaving out the outputs and files that never
/// trigger a build.
fn units_touched(paths: &[PathBuf], input: &Path, out: &Path) -> BTreeSet<PathBuf> {
    paths
        .iter()
        .filter(|p| !ignored(p) && !p.starts_with(out))
        .filter_map(|p| unit_of(input, p))
        .collect()
}

/// The pending units that have been quiet for `quiet` and whose files are the same on two
/// looks in a row, with no workbook still lacking its end (a stalled copy is waited for up to
/// [`INCOMPLETE_WAIT`]); a unit still changing is looked at again after another quiet period.
fn settled(pending: &mut BTreeMap<PathBuf, Pending>, quiet: Duration) -> Vec<PathBuf> {
    pending
        .iter_mut()
        .filter(|(_, p)| p.last_event.elapsed() >= quiet)
        .filter_map(|(unit, p)| {
            let now = snapshot(unit);
            if p.seen.as_ref() == Some(&now) {
                if has_incomplete_workbook(unit) {
                    let since = *p.incomplete_since.get_or_insert_with(Instant::now);
                    if since.elapsed() < INCOMPLETE_WAIT {
                        p.last_event = Instant::now();
                        return None;
                    }
                }
                Some(unit.clone())
            } else {
                p.seen = Some(now);
                p.last_event = Instant::now() - quiet + Duration::from_millis(300).min(quiet);
                None
            }
        })
        .collect()
}

/// One line on stdout, flushed at once (the reader may be a pipe); a closed stdout is not worth
/// dying for while the watch goes on.
fn print_line(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
