//! Running a piece of work in a child process that cannot take the run down: its address space
//! is limited (`RLIMIT_AS`, which the child sets on itself) and it is killed after a timeout. An
//! allocation failure aborts a process and an endless loop never returns; neither can be caught
//! in-process, so the workbook reader and the typesetter run this way (see
//! [`crate::ingest::isolate`] and [`crate::render::worker`]).

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// When a unit's build must be over: every bounded child it starts (a workbook's reader, the
/// typesetter) gets no more than the time left, and the build stops at the next stage once it
/// has passed, so one unit can never hold a batch or a watch longer than its bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No deadline (a single trusted build, the tests' default).
    pub fn none() -> Deadline {
        Deadline(None)
    }

    /// A deadline `within` from now.
    pub fn after(within: Duration) -> Deadline {
        Deadline(Instant::now().checked_add(within))
    }

    /// True once the deadline has passed.
    pub fn passed(&self) -> bool {
        self.0.is_some_and(|at| Instant::now() >= at)
    }

    /// `bound`, or the time left when that is shorter.
    pub fn cap(&self, bound: Duration) -> Duration {
        match self.0 {
            None => bound,
            Some(at) => bound.min(at.saturating_duration_since(Instant::now())),
        }
    }
}

/// Why a bounded child gave no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// It ran past its timeout and was killed.
    Timeout,
    /// Its address-space limit refused an allocation (it aborted).
    Memory,
    /// It ended otherwise without success (a crash, a refused request).
    Crashed,
}

/// Runs `exe args…` with `input` on its stdin and returns its stdout, killing it after
/// `timeout`. Both pipes are drained on threads, so neither a large request nor a large result
/// blocks it.
pub fn run(
    exe: &Path,
    args: &[std::ffi::OsString],
    input: Vec<u8>,
    timeout: Duration,
) -> Result<Vec<u8>, Failure> {
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| Failure::Crashed)?;
    let mut stdin = child.stdin.take().ok_or(Failure::Crashed)?;
    let mut stdout = child.stdout.take().ok_or(Failure::Crashed)?;
    let mut stderr = child.stderr.take().ok_or(Failure::Crashed)?;
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(_) => return Err(Failure::Crashed),
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Failure::Timeout);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    let _ = err_reader.join();
    let bytes = out_reader
        .join()
        .map_err(|_| Failure::Crashed)?
        .map_err(|_| Failure::Crashed)?;
    if status.success() {
        Ok(bytes)
    } else if ran_out_of_memory(&status) {
        Err(Failure::Memory)
    } else {
        Err(Failure::Crashed)
    }
}

/// An allocation the address-space limit refuses makes the Rust runtime abort the child
/// (`SIGABRT`, after its "memory allocation failed" line); a panic would have unwound to an exit
/// code instead.
#[cfg(unix)]
pub fn ran_out_of_memory(status: &std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(libc::SIGABRT)
}

/// See the unix version; elsewhere an out-of-memory child is not told apart.
#[cfg(not(unix))]
pub fn ran_out_of_memory(_status: &std::process::ExitStatus) -> bool {
    false
}

/// Limits this process's own address space to `bytes` (the child's first step).
#[cfg(unix)]
pub fn limit_own_memory(bytes: u64) -> std::io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: plain FFI call with a valid pointer to a local struct; it changes only this
    // process's own limit.
    if unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Elsewhere only the timeout bounds the child.
#[cfg(not(unix))]
pub fn limit_own_memory(_bytes: u64) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_caps_a_bound_to_the_time_left() {
        let none = Deadline::none();
        assert!(!none.passed());
        assert_eq!(none.cap(Duration::from_secs(120)), Duration::from_secs(120));
        let soon = Deadline::after(Duration::from_secs(10));
        assert!(!soon.passed());
        let capped = soon.cap(Duration::from_secs(120));
        assert!(capped <= Duration::from_secs(10) && capped > Duration::from_secs(9));
        assert_eq!(soon.cap(Duration::from_secs(1)), Duration::from_secs(1));
        let gone = Deadline::after(Duration::ZERO);
        assert!(gone.passed());
        assert_eq!(gone.cap(Duration::from_secs(120)), Duration::ZERO);
    }
}
