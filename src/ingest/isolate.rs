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

/// The child's side: parse `path` and write the result to `out` in the wire format.
pub fn serve(path: &Path, out: &mut impl Write) -> std::io::Result<()> {
    let result: Result<Vec<Grid>, String> = grid::read_file(path, "").map_err(|e| e.to_string());
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
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit_memory(&mut command, iso.memory_limit);
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
    let diagnostics = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(if diagnostics.contains("memory allocation") {
            ReadError::MemoryLimit(iso.memory_limit / (1024 * 1024))
        } else {
            ReadError::ParserCrashed
        });
    }
    let result: Result<Vec<Grid>, String> =
        postcard::from_bytes(&bytes).map_err(|_| ReadError::ParserCrashed)?;
    let mut grids = result.map_err(ReadError::Workbook)?;
    let rel: std::sync::Arc<str> = rel.into();
    for g in &mut grids {
        g.file = std::sync::Arc::clone(&rel);
    }
    Ok(grids)
}

#[cfg(unix)]
fn limit_memory(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: `setrlimit` is async-signal-safe and touches only the child's own limits; the
    // closure allocates nothing and runs between fork and exec as `pre_exec` requires.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn limit_memory(_command: &mut Command, _bytes: u64) {
    // Elsewhere only the timeout bounds the child.
}
