//! Reading a workbook in a child process with a memory limit and a timeout.
//!
//! A spreadsheet parser can be made to allocate without bound (the corpus holds a 25 KB `.xls`
//! that does) or to loop; an allocation failure aborts a process and cannot be caught. The only
//! bound that keeps the rest of a run alive is one enforced outside the parsing code: the file is
//! parsed by `renstra internal-read` in a child process whose address space is limited
//! (`RLIMIT_AS`) and which is killed after a timeout. Its grids come back over a pipe.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

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
/// parsed), parse the file's bytes from `input` as its extension `ext` says, and write the
/// result to `out` in the wire format. `out` is dropped once written: given the process's
/// stdout as an owned handle ([`stdout_handle`]), that closes it, so the parent reads the end
/// of the reply before the system has freed this process's memory.
///
/// The child limits itself rather than the parent limiting it between fork and exec: a
/// `pre_exec` hook forces a real `fork`, which copies the page tables of a parent holding a
/// batch's typesetting caches (gigabytes) for every workbook read; without it the standard
/// library spawns with `posix_spawn`, which costs the same for any parent size.
pub fn serve(
    ext: &str,
    memory_limit: Option<u64>,
    input: &mut impl Read,
    mut out: impl Write,
) -> std::io::Result<()> {
    if let Some(bytes) = memory_limit {
        crate::bounded::limit_own_memory(bytes)?;
    }
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let result: Result<Vec<Grid>, ReadError> = grid::read_bytes(&bytes, ext, "");
    let wire = postcard::to_stdvec(&result).map_err(std::io::Error::other)?;
    // The process ends right after: freeing millions of cells one by one would only cost time.
    std::mem::forget(result);
    out.write_all(&wire)?;
    out.flush()?;
    // Closed before the reply and the input are freed, and before the process exits.
    drop(out);
    Ok(())
}

/// This process's stdout as a handle that closes it when dropped, for [`serve`]: only the
/// reader child calls it, and it writes nothing to stdout but through this handle.
#[cfg(unix)]
pub fn stdout_handle() -> impl Write {
    use std::os::fd::{AsRawFd, FromRawFd};
    let fd = std::io::stdout().as_raw_fd();
    // SAFETY: fd 1 is open for the whole process, and from here on only this handle uses it
    // (`serve` is the child's whole work; nothing prints to stdout after it).
    unsafe { std::fs::File::from_raw_fd(fd) }
}

/// See the unix version; elsewhere stdout closes at exit.
#[cfg(not(unix))]
pub fn stdout_handle() -> impl Write {
    std::io::stdout()
}

/// The parent's side: parse a file's `bytes` (read once by the caller, who hashed the same
/// bytes) in a bounded child process.
pub fn read_bytes_isolated(
    bytes: &[u8],
    ext: &str,
    rel: &str,
    iso: &Isolation,
) -> Result<Vec<Grid>, ReadError> {
    let args: Vec<std::ffi::OsString> = vec![
        READER_COMMAND.into(),
        "--memory-limit".into(),
        iso.memory_limit.to_string().into(),
        "--ext".into(),
        ext.into(),
    ];
    // The reply is decoded as soon as the child has written it (it closes its stdout before it
    // frees its memory and exits).
    let decode = |wire: Vec<u8>| -> Result<Result<Vec<Grid>, ReadError>, ReadError> {
        postcard::from_bytes(&wire).map_err(|_| ReadError::ParserCrashed)
    };
    let result = crate::bounded::run_then(&iso.exe, &args, bytes, iso.timeout, decode).map_err(
        |f| match f {
            crate::bounded::Failure::Timeout => ReadError::Timeout(iso.timeout.as_secs()),
            crate::bounded::Failure::Memory => {
                ReadError::MemoryLimit(iso.memory_limit / (1024 * 1024))
            }
            crate::bounded::Failure::Crashed => ReadError::ParserCrashed,
        },
    )?;
    let mut grids = result??;
    let rel: std::sync::Arc<str> = rel.into();
    for g in &mut grids {
        g.file = std::sync::Arc::clone(&rel);
    }
    Ok(grids)
}
