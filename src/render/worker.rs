//! Typesetting in a bounded child process. The narrative is Typst code the unit brings: a
//! `#for` over a billion, two nested loops or a hundred thousand pages would abort the process or
//! never end, and nothing in-process can stop it. The CLI typesets each document in
//! `renstra internal-typeset`, a child whose address space is limited and which is killed after
//! a timeout; the PDF comes back over a pipe, or the Typst problems, or the bound it hit with the
//! narrative's loops named as the likely cause.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::diagnose::Diagnostic;
use super::{DateData, RenderError, TemplateData};
use crate::bounded::{self, Failure};

/// The name of the hidden subcommand the child runs.
pub const TYPESET_COMMAND: &str = "internal-typeset";

/// Where the typesetting executable is and the bounds it runs under.
#[derive(Debug, Clone)]
pub struct Bounds {
    /// The `renstra` executable (it serves the hidden `internal-typeset` command).
    pub exe: PathBuf,
    /// Address-space limit of the child, in bytes.
    pub memory_limit: u64,
    /// Wall-clock limit per document.
    pub timeout: Duration,
    /// The batch's memory, shared by every unit's typesetting children (see
    /// [`bounded::MemoryBudget`]); `None` starts every child at once.
    pub budget: Option<std::sync::Arc<bounded::MemoryBudget>>,
}

/// A typesetting child's peak resident memory, estimated before it starts from the size of
/// its request (the data of the document): measured on the sample and on four generated units
/// (177 KB of data → 181 MB, 390 KB → 345 MB, 441 KB → 397 MB, 559 KB → 451 MB, 630 KB →
/// 502 MB above the process's first 20 MB), the peak is about 55 MB + 730 bytes per byte of
/// data. The estimate rounds both up (64 MiB + 800 per byte), above each of the five measured
/// peaks; it is an estimate all the same, so a limit is kept to within what one document more
/// or less than estimated takes (952 MiB at most on the province under `--memory 1024`).
pub fn estimated_peak(request_bytes: usize) -> u64 {
    64 * 1024 * 1024 + 800 * request_bytes as u64
}

/// Default bounds: 4 GiB of address space (the sample's 47 pages take under 300 MB; a unit of
/// 500 sub kegiatan under 1 GB) and 120 s (the sample takes under a second).
pub const DEFAULT_MEMORY_LIMIT: u64 = 4 * 1024 * 1024 * 1024;
/// See [`DEFAULT_MEMORY_LIMIT`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

impl Bounds {
    /// Typesetting through the running executable (the CLI's case), with the default bounds.
    pub fn current_exe() -> std::io::Result<Bounds> {
        Ok(Bounds {
            exe: std::env::current_exe()?,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            timeout: DEFAULT_TIMEOUT,
            budget: None,
        })
    }
}

/// Why typesetting was stopped: the bound it hit, and the loops of the narrative that are the
/// likely cause (`naskah/bab-1.typ baris 3`), for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    /// The bound.
    pub bound: Bound,
    /// The narrative's `#for` and `#while` loops, as `file:line`.
    pub loops: Vec<(String, usize)>,
}

/// The bound typesetting hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// It ran past this many seconds.
    Time(u64),
    /// It needed more than this many MiB.
    Memory(u64),
    /// The typesetting process ended without a result.
    Crashed,
}

/// What the parent sends the child on its stdin (the folders go as arguments: a path need not be
/// UTF-8).
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    main: String,
    /// `/data.json`, serialized once by the parent; the child never parses it (Typst does).
    data: Vec<u8>,
    /// The other virtual files (the tables).
    files: super::VirtualFiles,
    date: DateData,
}

/// What the child sends back.
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    Pdf(Vec<u8>),
    Compile(Vec<Diagnostic>),
    Other(String),
}

/// The parent's side: typesets `main` with `data` in a bounded child.
///
/// The time spent waiting for the batch's memory (see [`Bounds::budget`]) is added to `waited`.
pub fn render_bounded(
    bounds: &Bounds,
    (templates, unit_dir): (&Path, &Path),
    main: &str,
    data: &impl TemplateData,
    date: DateData,
    waited: &mut Duration,
) -> Result<Vec<u8>, RenderError> {
    let input = request_bytes(main, data, date)?;
    let args: Vec<std::ffi::OsString> = vec![
        TYPESET_COMMAND.into(),
        "--memory-limit".into(),
        bounds.memory_limit.to_string().into(),
        templates.into(),
        unit_dir.into(),
    ];
    let stopped = |bound| {
        RenderError::Bound(Stopped {
            bound,
            loops: narrative_loops(unit_dir),
        })
    };
    // The child's share of the batch's memory, held until it has ended.
    let share = bounds
        .budget
        .as_deref()
        .map(|budget| budget.reserve(estimated_peak(input.len())));
    *waited += share.as_ref().map_or(Duration::ZERO, |share| share.waited);
    let bytes = bounded::run(&bounds.exe, &args, &input, bounds.timeout).map_err(|f| match f {
        Failure::Timeout => stopped(Bound::Time(bounds.timeout.as_secs())),
        Failure::Memory => stopped(Bound::Memory(bounds.memory_limit / (1024 * 1024))),
        Failure::Crashed => stopped(Bound::Crashed),
    })?;
    reply_pdf(&bytes).unwrap_or_else(|| Err(stopped(Bound::Crashed)))
}

/// A request to a typesetting child, encoded.
fn request_bytes(
    main: &str,
    data: &impl TemplateData,
    date: DateData,
) -> Result<Vec<u8>, RenderError> {
    let (data, files) = super::split_data(data)?;
    let request = Request {
        main: main.to_string(),
        data,
        files,
        date,
    };
    postcard::to_stdvec(&request).map_err(|e| RenderError::Setup(e.to_string()))
}

/// A child's reply decoded: the PDF or the problems; `None` when it is no reply (the child
/// broke off).
fn reply_pdf(bytes: &[u8]) -> Option<Result<Vec<u8>, RenderError>> {
    match postcard::from_bytes::<Reply>(bytes).ok()? {
        Reply::Pdf(pdf) => Some(Ok(pdf)),
        Reply::Compile(problems) => Some(Err(RenderError::Compile(problems))),
        Reply::Other(why) => Some(Err(RenderError::Setup(why))),
    }
}

/// The reply a child sends for a typesetting result, encoded.
fn reply_bytes(pdf: Result<Vec<u8>, RenderError>) -> std::io::Result<Vec<u8>> {
    let reply = match pdf {
        Ok(pdf) => Reply::Pdf(pdf),
        Err(RenderError::Compile(problems)) => Reply::Compile(problems),
        Err(other) => Reply::Other(other.to_string()),
    };
    postcard::to_stdvec(&reply).map_err(std::io::Error::other)
}

/// The child's side: bound its own address space, read the request from `input`, typeset with
/// the `templates` and `unit_dir` folders, and write the reply to `out`.
pub fn serve(
    (templates, unit_dir): (&Path, &Path),
    memory_limit: Option<u64>,
    input: &mut impl std::io::Read,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    if let Some(bytes) = memory_limit {
        bounded::limit_own_memory(bytes)?;
    }
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let request: Request = postcard::from_bytes(&bytes).map_err(std::io::Error::other)?;
    let pdf = super::prepared_world(
        templates,
        unit_dir,
        &request.main,
        request.data,
        request.files,
    )
    .and_then(|mut world| super::pdf_of(&mut world, request.date));
    let bytes = reply_bytes(pdf)?;
    out.write_all(&bytes)?;
    out.flush()
}

/// Every `for` and `while` loop of the unit's narrative files, as (`naskah/bab-1.typ`, line).
fn narrative_loops(unit_dir: &Path) -> Vec<(String, usize)> {
    use typst::syntax::{LinkedNode, Source, SyntaxKind};
    let mut out = Vec::new();
    let files = super::read_naskah(unit_dir);
    for (rel, text) in files {
        let source = Source::detached(text.as_str());
        let mut stack = vec![LinkedNode::new(source.root())];
        while let Some(node) = stack.pop() {
            if matches!(node.kind(), SyntaxKind::ForLoop | SyntaxKind::WhileLoop) {
                let line = source.lines().byte_to_line(node.offset()).unwrap_or(0) + 1;
                out.push((rel.clone(), line));
            }
            stack.extend(node.children());
        }
    }
    out.sort();
    out
}

/// A typesetting child kept between one unit's builds (`watch`): it keeps its Typst worlds, so
/// a re-render after one changed cell reuses Typst's memoized work on everything else, under
/// the same bounds as a one-off child (its address space limited by itself, each request
/// timed by the parent, which kills it past the bound; the next request starts a new one).
pub struct Kept {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    replies: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    templates: PathBuf,
    unit_dir: PathBuf,
}

impl Kept {
    /// Starts a kept child serving `templates` and `unit_dir`.
    fn start(bounds: &Bounds, templates: &Path, unit_dir: &Path) -> std::io::Result<Kept> {
        use std::io::Read;
        use std::process::{Command, Stdio};
        let mut child = Command::new(&bounds.exe)
            .arg(TYPESET_COMMAND)
            .arg("--memory-limit")
            .arg(bounds.memory_limit.to_string())
            .arg("--kept")
            .arg(templates)
            .arg(unit_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        let (send, replies) = std::sync::mpsc::channel();
        // Replies are read on their own thread, so the parent can stop waiting at the bound.
        std::thread::spawn(move || {
            loop {
                let mut length = [0u8; 8];
                let reply = stdout.read_exact(&mut length).and_then(|()| {
                    let mut bytes = vec![0; u64::from_le_bytes(length) as usize];
                    stdout.read_exact(&mut bytes).map(|()| bytes)
                });
                let end = reply.is_err();
                if send.send(reply).is_err() || end {
                    return;
                }
            }
        });
        Ok(Kept {
            child,
            stdin,
            replies,
            templates: templates.to_path_buf(),
            unit_dir: unit_dir.to_path_buf(),
        })
    }

    /// Whether this child serves these folders.
    fn serves(&self, templates: &Path, unit_dir: &Path) -> bool {
        self.templates == templates && self.unit_dir == unit_dir
    }

    /// One request: the reply's bytes, or why there is none (the child is then of no use).
    fn ask(&mut self, request: &[u8], timeout: Duration) -> Result<Vec<u8>, Bound> {
        use std::io::Write;
        let sent = self
            .stdin
            .write_all(&(request.len() as u64).to_le_bytes())
            .and_then(|()| self.stdin.write_all(request))
            .and_then(|()| self.stdin.flush());
        if sent.is_err() {
            return Err(self.ended());
        }
        match self.replies.recv_timeout(timeout) {
            Ok(Ok(bytes)) => Ok(bytes),
            Ok(Err(_)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(self.ended()),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Err(Bound::Time(timeout.as_secs()))
            }
        }
    }

    /// The child ended without a reply: out of memory (its bound is filled in by the caller),
    /// or it broke off.
    fn ended(&mut self) -> Bound {
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(status) if bounded::ran_out_of_memory(&status) => Bound::Memory(0),
            _ => Bound::Crashed,
        }
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Typesets `main` with `data` in the kept child of `kept` (started when there is none, or
/// when it serves other folders), under `bounds`. A child that hit a bound is dropped, so the
/// next request starts afresh.
pub fn render_kept(
    kept: &mut Option<Kept>,
    bounds: &Bounds,
    (templates, unit_dir): (&Path, &Path),
    main: &str,
    data: &impl TemplateData,
    date: DateData,
) -> Result<Vec<u8>, RenderError> {
    let input = request_bytes(main, data, date)?;
    if !kept.as_ref().is_some_and(|k| k.serves(templates, unit_dir)) {
        *kept = Some(
            Kept::start(bounds, templates, unit_dir)
                .map_err(|e| RenderError::Setup(e.to_string()))?,
        );
    }
    let stopped = |bound| {
        RenderError::Bound(Stopped {
            bound,
            loops: narrative_loops(unit_dir),
        })
    };
    let Some(child) = kept.as_mut() else {
        return Err(stopped(Bound::Crashed));
    };
    let bytes = match child.ask(&input, bounds.timeout) {
        Ok(bytes) => bytes,
        Err(bound) => {
            *kept = None;
            let bound = match bound {
                Bound::Memory(_) => Bound::Memory(bounds.memory_limit / (1024 * 1024)),
                other => other,
            };
            return Err(stopped(bound));
        }
    };
    reply_pdf(&bytes).unwrap_or_else(|| {
        *kept = None;
        Err(stopped(Bound::Crashed))
    })
}

/// The kept child's side: bound its own address space, then answer length-prefixed requests
/// from `input` until it ends, keeping one world per main template (Typst's memoized work on
/// what did not change is reused), and evicting memoized work older than a few requests.
pub fn serve_kept(
    (templates, unit_dir): (&Path, &Path),
    memory_limit: Option<u64>,
    input: &mut impl std::io::Read,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    if let Some(bytes) = memory_limit {
        bounded::limit_own_memory(bytes)?;
    }
    let mut worlds: std::collections::BTreeMap<String, super::RenstraWorld> =
        std::collections::BTreeMap::new();
    loop {
        let mut length = [0u8; 8];
        match input.read_exact(&mut length) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let mut bytes = vec![0; u64::from_le_bytes(length) as usize];
        input.read_exact(&mut bytes)?;
        let request: Request = postcard::from_bytes(&bytes).map_err(std::io::Error::other)?;
        let pdf = match worlds.remove(&request.main) {
            Some(mut world) => {
                world.set_data(request.data, request.files);
                let pdf = super::pdf_of(&mut world, request.date);
                worlds.insert(request.main.clone(), world);
                pdf
            }
            None => super::prepared_world(
                templates,
                unit_dir,
                &request.main,
                request.data,
                request.files,
            )
            .and_then(|mut world| {
                let pdf = super::pdf_of(&mut world, request.date);
                worlds.insert(request.main.clone(), world);
                pdf
            }),
        };
        typst::comemo::evict(KEPT_CACHE_AGE);
        let bytes = reply_bytes(pdf)?;
        out.write_all(&(bytes.len() as u64).to_le_bytes())?;
        out.write_all(&bytes)?;
        out.flush()?;
    }
}

/// Memoized work unused for this many requests is evicted in a kept child: the two documents
/// of a unit alternate, so four keeps both documents' work.
const KEPT_CACHE_AGE: usize = 4;
