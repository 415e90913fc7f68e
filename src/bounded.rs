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

/// The memory a batch may use, shared by its units: a typesetting child (a few hundred MB for a
/// big unit, where the rest of a unit's build needs tens) starts only when its estimated peak
/// fits under the limit beside this process's own resident memory and the children already
/// running; otherwise its unit waits for one to end. So a batch on a small machine typesets one
/// big unit at a time instead of running out of memory, and on a large one nothing waits.
#[derive(Debug)]
pub struct MemoryBudget {
    limit: u64,
    reserved: std::sync::Mutex<u64>,
    released: std::sync::Condvar,
}

/// A child's share of a [`MemoryBudget`], given back when dropped (after the child has ended).
#[derive(Debug)]
pub struct Reservation<'a> {
    budget: &'a MemoryBudget,
    bytes: u64,
    /// How long it waited to be granted: zero when it fitted at once.
    pub waited: Duration,
}

impl MemoryBudget {
    /// A budget of `limit` bytes for this process and its children together.
    pub fn new(limit: u64) -> MemoryBudget {
        MemoryBudget {
            limit,
            reserved: std::sync::Mutex::new(0),
            released: std::sync::Condvar::new(),
        }
    }

    /// The default for a batch: three quarters of the memory the system says is available
    /// now (Linux's `MemAvailable`), leaving room for everything else on the machine; `None`
    /// where that cannot be read.
    pub fn of_available() -> Option<MemoryBudget> {
        let text = std::fs::read_to_string("/proc/meminfo").ok()?;
        Some(MemoryBudget::new(
            kib_field(&text, "MemAvailable:")? * 1024 / 4 * 3,
        ))
    }

    /// Waits until `bytes` more fit under the limit, beside what is reserved and this
    /// process's own resident memory, and reserves them. With nothing reserved it is granted
    /// at once, so a unit bigger than the whole limit is still built, alone.
    pub fn reserve(&self, bytes: u64) -> Reservation<'_> {
        let mut reserved = self.reserved.lock().unwrap_or_else(|e| e.into_inner());
        let mut waited = Duration::ZERO;
        let mut asked = None;
        while *reserved > 0 && *reserved + bytes + own_resident_bytes() > self.limit {
            let since = *asked.get_or_insert_with(Instant::now);
            // This process's memory changes without a child ending: look again now and then.
            reserved = self
                .released
                .wait_timeout(reserved, Duration::from_millis(50))
                .unwrap_or_else(|e| e.into_inner())
                .0;
            waited = since.elapsed();
        }
        *reserved += bytes;
        Reservation {
            budget: self,
            bytes,
            waited,
        }
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut reserved = self
            .budget
            .reserved
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *reserved = reserved.saturating_sub(self.bytes);
        self.budget.released.notify_all();
    }
}

/// Gives the memory this process has freed back to the system. glibc keeps freed memory in
/// its arenas (one per thread that allocated), so after a unit is done the batch process still
/// holds what that unit's build needed at its peak; that resident memory counts against the
/// [`MemoryBudget`] and in the machine's peak. Elsewhere the allocator decides.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn return_freed_memory() {
    // SAFETY: malloc_trim takes no pointer and only releases free pages of the allocator's own
    // arenas; it is safe to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// See the glibc version.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_freed_memory() {}

/// This process's resident memory (`VmRSS`), or 0 where it cannot be read.
fn own_resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|text| kib_field(&text, "VmRSS:"))
        .map_or(0, |kib| kib * 1024)
}

/// The value of a `Name:   123 kB` line of a `/proc` file, in KiB.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
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
    input: &[u8],
    timeout: Duration,
) -> Result<Vec<u8>, Failure> {
    run_then(exe, args, input, timeout, |bytes| bytes)
}

/// [`run`], with the child's stdout handed to `read` as soon as the child closes it: a child
/// that closes its stdout before it exits (the workbook reader does) has its reply decoded
/// while the system frees its memory, instead of after. What `read` made is returned only when
/// the child then ends successfully; from a child that failed it is dropped.
///
/// `read` runs on the calling thread, never on the pipe's: a caller on a rayon worker that
/// waited for a pipe thread whose `read` needed the rayon pool would deadlock the pool once
/// every worker did so. The pipes' threads are scoped, so `input` is written where it lies
/// (a workbook's megabytes are not copied for the writer), and every way out of here first
/// ends the child, so that they end too.
pub fn run_then<T>(
    exe: &Path,
    args: &[std::ffi::OsString],
    input: &[u8],
    timeout: Duration,
    read: impl FnOnce(Vec<u8>) -> T,
) -> Result<T, Failure> {
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| Failure::Crashed)?;
    let pipes = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) = pipes else {
        end(&mut child);
        return Err(Failure::Crashed);
    };
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let _ = stdin.write_all(input);
        });
        let (reply, replied) = std::sync::mpsc::channel();
        scope.spawn(move || {
            let mut buf = Vec::new();
            let _ = reply.send(stdout.read_to_end(&mut buf).map(|_| buf));
        });
        scope.spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
        });
        let started = Instant::now();
        let mut read = Some(read);
        let mut made = None;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(_) => {
                    end(&mut child);
                    return Err(Failure::Crashed);
                }
            }
            if started.elapsed() > timeout {
                end(&mut child);
                return Err(Failure::Timeout);
            }
            // The reply is complete once the child has closed its stdout, whether or not it
            // has exited yet.
            match replied.recv_timeout(Duration::from_millis(5)) {
                Ok(reply) => made = Some(reply.map(|bytes| read.take().map(|read| read(bytes)))),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                // The reply was taken (or its thread ended): wait for the exit alone.
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        };
        let made = match made {
            Some(made) => made,
            None => replied
                .recv()
                .map_err(|_| Failure::Crashed)?
                .map(|bytes| read.take().map(|read| read(bytes))),
        }
        .map_err(|_| Failure::Crashed)?;
        // invariant: `read` is taken once, by whichever of the two places above got the reply.
        let made = made.ok_or(Failure::Crashed)?;
        if status.success() {
            Ok(made)
        } else if ran_out_of_memory(&status) {
            Err(Failure::Memory)
        } else {
            Err(Failure::Crashed)
        }
    })
}

/// Kills a child and reaps it: its pipes close, so the threads draining them end.
fn end(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
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

    /// Every worker of the global pool waits in `run_then` while each reply is read with the
    /// pool: the reply must be read on the waiting thread, or the pool has no worker left to
    /// read it (before the fix this test hung).
    #[cfg(unix)]
    #[test]
    fn a_reply_read_with_the_pool_does_not_deadlock_a_pool_whose_workers_all_wait() {
        use rayon::prelude::*;
        let sums = rayon::broadcast(|_| {
            run_then(
                Path::new("/bin/echo"),
                &["12345".into()],
                &[],
                Duration::from_secs(20),
                |bytes| bytes.par_iter().map(|b| u64::from(*b)).sum::<u64>(),
            )
        });
        // "12345\n": 49 + 50 + 51 + 52 + 53 + 10, on every worker.
        assert!(!sums.is_empty());
        assert!(sums.iter().all(|sum| *sum == Ok(265)), "{sums:?}");
    }

    /// `sh -c script` through [`run_then`], its reply read as text.
    #[cfg(unix)]
    fn shell(script: &str, timeout: Duration) -> Result<String, Failure> {
        run_then(
            Path::new("/bin/sh"),
            &["-c".into(), script.into()],
            b"masukan",
            timeout,
            |bytes| String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// The reply of a child that closes its stdout before it exits is what it wrote, its
    /// stdin is the input given; a failed child gives no reply, a child that aborts (as an
    /// allocation refused by its address-space bound makes it) is out of memory, and one that
    /// runs past its timeout is stopped there.
    #[cfg(unix)]
    #[test]
    fn a_child_is_read_or_named_for_how_it_ended() {
        assert_eq!(
            shell("cat; exec >&-; sleep 0.2", Duration::from_secs(20)),
            Ok("masukan".to_string())
        );
        assert_eq!(
            shell("echo sebagian; exit 3", Duration::from_secs(20)),
            Err(Failure::Crashed)
        );
        assert_eq!(
            shell("kill -ABRT $$", Duration::from_secs(20)),
            Err(Failure::Memory)
        );
        let started = Instant::now();
        assert_eq!(
            shell("exec sleep 30", Duration::from_millis(300)),
            Err(Failure::Timeout)
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        let started = Instant::now();
        assert_eq!(
            shell("exec >&-; exec sleep 30", Duration::from_millis(300)),
            Err(Failure::Timeout),
            "a child that has replied is still held to its timeout"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_reservation_waits_until_an_earlier_one_is_given_back() {
        // 1 GiB beside this test process's own few MB: two reservations of 600 MiB do not fit.
        let budget = MemoryBudget::new(1 << 30);
        let first = budget.reserve(600 << 20);
        let second_granted = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let _second = budget.reserve(600 << 20);
                second_granted.store(true, std::sync::atomic::Ordering::SeqCst);
            });
            std::thread::sleep(std::time::Duration::from_millis(200));
            assert!(!second_granted.load(std::sync::atomic::Ordering::SeqCst));
            drop(first);
        });
        assert_eq!(budget.reserve(1).waited, std::time::Duration::ZERO);
        assert!(second_granted.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(*budget.reserved.lock().unwrap(), 0);
    }

    #[test]
    fn what_fits_is_granted_at_once_and_a_lone_reservation_over_the_limit_too() {
        let budget = MemoryBudget::new(1 << 30);
        let small = budget.reserve(100 << 20);
        let also_small = budget.reserve(100 << 20);
        assert_eq!(*budget.reserved.lock().unwrap(), 200 << 20);
        drop((small, also_small));
        let huge = budget.reserve(5 << 30);
        assert_eq!(*budget.reserved.lock().unwrap(), 5 << 30);
        drop(huge);
    }

    #[test]
    fn a_proc_field_is_read_in_kib() {
        let status = "Name:\trenstra\nVmRSS:\t  123456 kB\nThreads:\t3\n";
        assert_eq!(kib_field(status, "VmRSS:"), Some(123_456));
        assert_eq!(kib_field(status, "VmHWM:"), None);
    }

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
