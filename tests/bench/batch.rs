//! Batch benchmark (a release bench binary, not a timed test): a generated city-sized batch of 60
//! units (200-500 sub kegiatan each, five evaluation years, two plan years, every kind of sheet,
//! xlsx/csv/xls/ods mixed) built by the release `renstra` executable exactly as an operator runs
//! it: `renstra build <batch> --out <out> --force --json`.
//!
//! Reported: wall time, per-unit mean and max seconds, pages and pages per second, peak memory of
//! the build (the whole process tree at once: `renstra`, its workbook readers and its
//! typesetters; and the largest of each), and the share
//! of each stage (ingest, reconcile, xlsx/csv, PDF, Berita Acara, publish) summed over the units.
//! The sample unit built alone in the same run is the baseline for ratios.
//!
//! `cargo build --release && cargo bench --bench batch`
//! `RENSTRA_BENCH_PROVINCE=1 cargo bench --bench batch` also builds a 600-unit province batch.
//! `RENSTRA_BENCH_UNITS=<n>` changes the size of the city batch.
//! `RENSTRA_BENCH_MEMORY=<MiB>` builds each batch a second time under `--memory <MiB>`, and
//! gives its wall time against the first run's.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

#[path = "batch_gen.rs"]
#[allow(dead_code)]
mod batch_gen;

/// The city batch and the province batch.
const CITY: usize = 60;
const PROVINCE: usize = 600;

/// How often the process tree's memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(20);

/// Stage keys of the `tahap` object of `renstra build --json`, with their names here.
const STAGES: [(&str, &str); 7] = [
    ("baca", "ingest"),
    ("periksa", "reconcile"),
    ("tabel", "xlsx + csv"),
    ("pdf", "renstra.pdf"),
    ("berita_acara", "berita acara"),
    ("tunggu_memori", "memory wait"),
    ("tulis", "publish"),
];

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(exe) = renstra_exe(&root) else {
        eprintln!(
            "batch bench: target/release/renstra not found. Build it first: cargo build --release"
        );
        std::process::exit(1);
    };
    warn_if_stale(&exe, &root);
    let sample = root.join("input").join("kecamatan-kanigaran");
    let templates = root.join("templates");
    let scratch = tempfile::tempdir().expect("a temporary folder");
    println!("renstra: {}", exe.display());
    println!("machine: {} cores", cores());

    // Baseline: the sample unit alone (its first run warms the page cache, the second is timed).
    run_build(&exe, &sample, &scratch.path().join("warm"), &templates);
    let baseline = run_build(
        &exe,
        &sample,
        &scratch.path().join("sample-out"),
        &templates,
    );
    let base_unit = baseline.units.first().map_or(0.0, |u| u.seconds);
    println!(
        "\nbaseline: sample unit kecamatan-kanigaran alone: {:.2} s wall, {:.2} s in the unit, {} pages, peak RSS {}",
        baseline.wall.as_secs_f64(),
        base_unit,
        baseline.pages(),
        mib(baseline.memory.tree_kib)
    );

    let city = std::env::var("RENSTRA_BENCH_UNITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CITY);
    let mut sizes = vec![("city", city)];
    if std::env::var("RENSTRA_BENCH_PROVINCE").is_ok_and(|v| v == "1") {
        sizes.push(("province", PROVINCE));
    } else {
        println!("(set RENSTRA_BENCH_PROVINCE=1 to also build the {PROVINCE}-unit province batch)");
    }
    for (label, units) in sizes {
        let batch = scratch.path().join(format!("{label}-in"));
        let out = scratch.path().join(format!("{label}-out"));
        let started = Instant::now();
        let stats = batch_gen::generate_batch(&sample, &batch, units).expect("the batch");
        println!(
            "\n== {label} batch: {} units, {} sub kegiatan ({:.0} per unit), {} plan rows, {} deliberate mistakes, {:.1} MB of input, generated in {:.1} s",
            stats.units,
            stats.sub_kegiatan,
            stats.sub_kegiatan as f64 / stats.units.max(1) as f64,
            stats.plan_rows,
            stats.mistakes,
            stats.bytes as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
        // One generated unit alone: its cost without the batch around it.
        let alone = run_build(
            &exe,
            &batch.join(batch_gen::unit_folder(0)),
            &scratch.path().join(format!("{label}-alone")),
            &templates,
        );
        println!(
            "one generated unit ({}) alone: {:.2} s, {} pages, peak RSS {}",
            batch_gen::unit_folder(0),
            alone.wall.as_secs_f64(),
            alone.pages(),
            mib(alone.memory.tree_kib)
        );
        let run = run_build(&exe, &batch, &out, &templates);
        let base = Baseline {
            sample_unit: base_unit,
            sample_wall: baseline.wall.as_secs_f64(),
            unit_alone: alone.wall.as_secs_f64(),
        };
        report(&run, base);
        if let Some(limit) = memory_bound() {
            let _ = std::fs::remove_dir_all(&out);
            println!("\n-- the same {label} batch under --memory {limit}");
            let bounded = run_build_with(
                &exe,
                &batch,
                &out,
                &templates,
                &["--memory".into(), limit.to_string()],
            );
            report(&bounded, base);
            println!(
                "against the unbounded run: wall {:.2} x, peak of the whole tree {} against {}",
                bounded.wall.as_secs_f64() / run.wall.as_secs_f64().max(f64::EPSILON),
                mib(bounded.memory.tree_kib),
                mib(run.memory.tree_kib)
            );
        }
        // The outputs of a province take gigabytes: free them before the next batch.
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(&batch);
    }
}

/// `RENSTRA_BENCH_MEMORY`, in MiB.
fn memory_bound() -> Option<u64> {
    std::env::var("RENSTRA_BENCH_MEMORY").ok()?.parse().ok()
}

/// `target/release/renstra`, under `CARGO_TARGET_DIR` when set.
fn renstra_exe(root: &Path) -> Option<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_relative() { root.join(t) } else { t })
        .unwrap_or_else(|| root.join("target"));
    let exe = target.join("release").join("renstra");
    exe.is_file().then_some(exe)
}

/// Says so when a source file is newer than the executable (the figures would be of old code).
fn warn_if_stale(exe: &Path, root: &Path) {
    fn newest(dir: &Path, best: &mut SystemTime) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                newest(&path, best);
            } else if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
                *best = (*best).max(modified);
            }
        }
    }
    let mut source = SystemTime::UNIX_EPOCH;
    newest(&root.join("src"), &mut source);
    newest(&root.join("templates"), &mut source);
    let built = std::fs::metadata(exe).and_then(|m| m.modified());
    if built.is_ok_and(|b| b < source) {
        eprintln!(
            "batch bench: WARNING: {} is older than the sources; run `cargo build --release` first",
            exe.display()
        );
    }
}

/// One unit of the build's JSON summary.
struct UnitRun {
    seconds: f64,
    pages: u64,
    built: bool,
    errors: u64,
    warnings: u64,
    stages: [f64; STAGES.len()],
}

/// Peak memory of a build, in KiB.
#[derive(Default, Clone, Copy)]
struct Memory {
    /// Largest resident set of the renstra process itself (its VmHWM).
    parent_kib: u64,
    /// Largest resident set seen of a single workbook-reader child (sampled).
    child_sampled_kib: u64,
    /// Largest resident set seen of a single typesetting child (sampled).
    typesetter_kib: u64,
    /// Largest resident set of the renstra process or any descendant, from `wait4` (a child
    /// records the parent's peak when it execs, so this is at least the parent's peak).
    combined_kib: u64,
    /// Largest sum of the resident sets of the whole process tree at one moment (sampled).
    tree_kib: u64,
}

struct Run {
    wall: Duration,
    units: Vec<UnitRun>,
    memory: Memory,
    exit: i32,
}

impl Run {
    fn pages(&self) -> u64 {
        self.units.iter().map(|u| u.pages).sum()
    }
}

/// Runs `renstra build input --out out --templates templates --force --json`, sampling its memory.
fn run_build(exe: &Path, input: &Path, out: &Path, templates: &Path) -> Run {
    run_build_with(exe, input, out, templates, &[])
}

/// [`run_build`] with more arguments (`--memory 1024`).
fn run_build_with(exe: &Path, input: &Path, out: &Path, templates: &Path, more: &[String]) -> Run {
    let started = Instant::now();
    // Reaped below by wait4, which Child::wait cannot replace (it gives no rusage).
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(exe)
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--templates")
        .arg(templates)
        .arg("--force")
        .arg("--json")
        .args(more)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("renstra starts");
    let pid = child.id() as i32;
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || sample_memory(pid, &done))
    };
    // wait4 rather than Child::wait: it also gives the peak RSS of the process and of every
    // descendant it waited for.
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped; both pointers are valid for the call.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let mut memory = sampler.join().unwrap_or_default();
    let json = reader.join().unwrap_or_default();
    assert_eq!(reaped, pid, "wait4 on renstra failed");
    // ru_maxrss is in KiB on Linux.
    memory.combined_kib = usage.ru_maxrss.max(0) as u64;
    let exit = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Run {
        wall,
        units: parse_summary(&json),
        memory,
        exit,
    }
}

fn parse_summary(json: &str) -> Vec<UnitRun> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| {
        panic!(
            "renstra --json printed no JSON ({e}): {}",
            &json[..json.len().min(500)]
        )
    });
    let number = |v: &serde_json::Value, key: &str| v.get(key).and_then(|n| n.as_f64());
    value
        .as_array()
        .map(|units| {
            units
                .iter()
                .map(|u| {
                    let mut stages = [0.0; STAGES.len()];
                    if let Some(tahap) = u.get("tahap") {
                        for (slot, (key, _)) in stages.iter_mut().zip(STAGES) {
                            *slot = number(tahap, key).unwrap_or(0.0);
                        }
                    }
                    UnitRun {
                        seconds: number(u, "detik").unwrap_or(0.0),
                        pages: number(u, "halaman").unwrap_or(0.0) as u64,
                        built: u.get("hasil").and_then(|h| h.as_str()) == Some("disusun"),
                        errors: number(u, "kesalahan").unwrap_or(0.0) as u64,
                        warnings: number(u, "peringatan").unwrap_or(0.0) as u64,
                        stages,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Samples the memory of `pid` and its descendants until `done`: the parent's high-water mark,
/// the largest child high-water mark seen, and the largest sum of resident sets at one moment.
fn sample_memory(pid: i32, done: &AtomicBool) -> Memory {
    let mut memory = Memory::default();
    while !done.load(Ordering::SeqCst) {
        let mut tree = 0;
        if let Some((rss, hwm)) = rss_of(pid) {
            memory.parent_kib = memory.parent_kib.max(hwm);
            tree += rss;
        }
        for child in descendants(pid) {
            // Between fork and exec a child still shows the parent's memory: count a child only
            // once it runs `internal-read` (a workbook reader) or `internal-typeset`.
            let Ok(cmdline) = std::fs::read(format!("/proc/{child}/cmdline")) else {
                continue;
            };
            let runs = |name: &[u8]| cmdline.split(|b| *b == 0).any(|arg| arg == name);
            let (reading, typesetting) = (runs(b"internal-read"), runs(b"internal-typeset"));
            if !(reading || typesetting) {
                continue;
            }
            if let Some((rss, hwm)) = rss_of(child) {
                if reading {
                    memory.child_sampled_kib = memory.child_sampled_kib.max(hwm);
                } else {
                    memory.typesetter_kib = memory.typesetter_kib.max(hwm);
                }
                tree += rss;
            }
        }
        memory.tree_kib = memory.tree_kib.max(tree);
        std::thread::sleep(SAMPLE_EVERY);
    }
    memory
}

/// VmRSS and VmHWM of a process, in KiB.
fn rss_of(pid: i32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Every live descendant of `pid` (by each process's parent in `/proc/<n>/stat`).
fn descendants(pid: i32) -> Vec<i32> {
    let mut parent_of = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(n) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<i32>().ok())
            else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{n}/stat")) else {
                continue;
            };
            // "pid (comm) state ppid …": the command may hold spaces, so split after ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<i32>().ok());
            if let Some(ppid) = ppid {
                parent_of.push((n, ppid));
            }
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(n, _)| *n));
        i += 1;
    }
    found.remove(0);
    found
}

/// The cores the machine offers (1 when it cannot tell).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What a batch is measured against, each built alone in the same run: the sample unit (the
/// seconds of its unit, and its whole build's wall time) and one generated unit (wall time).
#[derive(Clone, Copy)]
struct Baseline {
    sample_unit: f64,
    sample_wall: f64,
    unit_alone: f64,
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

/// Prints a batch's figures, ending with the two ratios that say where it stands: against the
/// issue's aim (the batch in at most 0.75 × its units × the sample built alone), and against the
/// units each built alone spread perfectly over the cores (1.0: the scheduler loses nothing;
/// above it, time lost to waiting or to units slowing each other down; below it, what a batch
/// saves by starting the process and loading fonts once).
fn report(run: &Run, base: Baseline) {
    let base_unit = base.sample_unit;
    let wall = run.wall.as_secs_f64();
    let units = run.units.len();
    let built = run.units.iter().filter(|u| u.built).count();
    let seconds: Vec<f64> = run.units.iter().map(|u| u.seconds).collect();
    let sum: f64 = seconds.iter().sum();
    let mean = sum / units.max(1) as f64;
    let max = seconds.iter().copied().fold(0.0, f64::max);
    let pages = run.pages();
    let errors: u64 = run.units.iter().map(|u| u.errors).sum();
    let warnings: u64 = run.units.iter().map(|u| u.warnings).sum();
    println!(
        "built {built}/{units} units (exit code {}), {errors} errors and {warnings} warnings found",
        run.exit
    );
    println!(
        "wall time        {wall:>9.1} s    ({:.2} s per unit of wall time)",
        wall / units.max(1) as f64
    );
    println!(
        "per unit         {mean:>9.2} s mean, {max:.2} s max   (baseline sample unit {base_unit:.2} s: mean = {:.1}x)",
        mean / base_unit.max(f64::EPSILON)
    );
    println!(
        "pages            {pages:>9}      ({:.0} per unit), {:.1} pages/s",
        pages as f64 / units.max(1) as f64,
        pages as f64 / wall.max(f64::EPSILON)
    );
    let m = run.memory;
    println!(
        "peak RSS         whole tree at once {} (renstra and its reader and typesetting children, sampled every {SAMPLE_EVERY:?}); renstra alone {}, largest reader child {}, largest typesetting child {} (largest single process by wait4: {})",
        mib(m.tree_kib),
        mib(m.parent_kib),
        mib(m.child_sampled_kib),
        mib(m.typesetter_kib),
        mib(m.combined_kib)
    );
    let mut totals = [0.0; STAGES.len()];
    for u in &run.units {
        for (t, s) in totals.iter_mut().zip(u.stages) {
            *t += s;
        }
    }
    let staged: f64 = totals.iter().sum();
    println!(
        "where the time goes (summed over units: {staged:.1} s of {sum:.1} s unit time; units run in parallel):"
    );
    for ((_, name), t) in STAGES.iter().zip(totals) {
        println!(
            "  {name:<14} {t:>8.1} s  {:>5.1} %   {:.3} s per unit",
            100.0 * t / staged.max(f64::EPSILON),
            t / units.max(1) as f64
        );
    }
    let n = units as f64;
    println!(
        "against the sample wall = {:.2} x units x sample alone ({:.2} s; aim <= 0.75); a generated unit alone takes {:.2} x the sample",
        wall / (n * base.sample_wall).max(f64::EPSILON),
        base.sample_wall,
        base.unit_alone / base.sample_wall.max(f64::EPSILON)
    );
    println!(
        "parallel use     wall = {:.2} x (units x one generated unit alone / {} cores) ({:.2} s alone)",
        wall / (n * base.unit_alone / cores() as f64).max(f64::EPSILON),
        cores(),
        base.unit_alone
    );
}
