//! Reading a workbook in a child process with a memory limit and a timeout.
//!
//! A spreadsheet parser can be made to allocate without bound (the corpus holds a 25 KB `.xls`
//! that does) or to loop; an allocation failure aborts a process and cannot be caught. The only
//! bound that keeps the rest of a run alive is one enforced outside the parsing code: the file is
//! parsed by `renstra internal-read` in a child process whose address space is limited
//! (`RLIMIT_AS`) and which is killed after a timeout. Its grids come back over a pipe.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::grid::{self, Grid, ReadError};

/// Where the reader executable is and the bounds it runs under.
#[derive(Debug, Clone)]
pub struct Isolation {
    /// The `renstra` executable (it serves the hidden `internal-read` command).
    pub exe: PathBuf,
    /// Address-space limit of the child, in bytes.
    pub memory_limit: u64,
    /// Wall-clock limit per file.
    pub timeout: Duration,
}

/// The name of the hidden subcommand the child runs.
pub const READER_COMMAND: &str = "internal-read";

/// Default bounds: 2 GiB of address space (a 200,000-row workbook needs under 300 MB) and 60 s.
pub const DEFAULT_MEMORY_LIMIT: u64 = 2 * 1024 * 1024 * 1024;
/// See [`DEFAULT_MEMORY_LIMIT`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

impl Isolation {
    /// Isolation through the running executable (the CLI's case), with the default bounds.
    pub fn current_exe() -> std::io::Result<Isolation> {
        Ok(Isolation {
            exe: std::env::current_exe()?,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            timeout: DEFAULT_TIMEOUT,
        })
    }
}

/// The child's side: bound its own address space to `memory_limit` bytes (before anything is
/// parsed), parse `path` and write the result to `out` in the wire format.
///
/// The child limits itself rather than the parent limiting it between fork and exec: a
/// `pre_exec` hook forces a real `fork`, which copies the page tables of a parent holding a
/// batch's typesetting caches (gigabytes) for every workbook read; without it the standard
/// library spawns with `posix_spawn`, which costs the same for any parent size.
pub fn serve(path: &Path, memory_limit: Option<u64>, out: &mut impl Write) -> std::io::Result<()> {
    if let Some(bytes) = memory_limit {
        crate::bounded::limit_own_memory(bytes)?;
    }
    let result: Result<Vec<Grid>, ReadError> = grid::read_file(path, "");
    let bytes = postcard::to_stdvec(&result).map_err(std::io::Error::other)?;
    // The process ends right after: freeing millions of cells one by one would only cost time.
    std::mem::forget(result);
    out.write_all(&bytes)?;
    out.flush()
}

/// The parent's side: read `path` in a bounded child process.
pub fn read_file_isolated(path: &Path, rel: &str, iso: &Isolation) -> Result<Vec<Grid>, ReadError> {
    let mut command = Command::new(&iso.exe);
    command
        .arg(READER_COMMAND)
        .arg("--memory-limit")
        .arg(iso.memory_limit.to_string())
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn()?;
    let mut stdout = child.stdout.take().ok_or(ReadError::ParserCrashed)?;
    let mut stderr = child.stderr.take().ok_or(ReadError::ParserCrashed)?;
    // Drain both pipes on threads so a large result never blocks the child.
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = stderr.read_to_string(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > iso.timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadError::Timeout(iso.timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let bytes = out_reader.join().map_err(|_| ReadError::ParserCrashed)??;
    // The child's stderr is drained so it never blocks; what it says is for a developer, the
    // kind of failure comes from its exit and its wire error.
    let _ = err_reader.join();
    if !status.success() {
        return Err(if crate::bounded::ran_out_of_memory(&status) {
            ReadError::MemoryLimit(iso.memory_limit / (1024 * 1024))
        } else {
            ReadError::ParserCrashed
        });
    }
    let result: Result<Vec<Grid>, ReadError> =
        postcard::from_bytes(&bytes).map_err(|_| ReadError::ParserCrashed)?;
    let mut grids = result?;
    let rel: std::sync::Arc<str> = rel.into();
    for g in &mut grids {
        g.file = std::sync::Arc::clone(&rel);
    }
    Ok(grids)
}
