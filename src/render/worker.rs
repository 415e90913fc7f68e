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
pub fn render_bounded(
    bounds: &Bounds,
    templates: &Path,
    unit_dir: &Path,
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
    let input = postcard::to_stdvec(&request).map_err(|e| RenderError::Setup(e.to_string()))?;
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
    let bytes = bounded::run(&bounds.exe, &args, input, bounds.timeout).map_err(|f| match f {
        Failure::Timeout => stopped(Bound::Time(bounds.timeout.as_secs())),
        Failure::Memory => stopped(Bound::Memory(bounds.memory_limit / (1024 * 1024))),
        Failure::Crashed => stopped(Bound::Crashed),
    })?;
    match postcard::from_bytes::<Reply>(&bytes) {
        Ok(Reply::Pdf(pdf)) => Ok(pdf),
        Ok(Reply::Compile(problems)) => Err(RenderError::Compile(problems)),
        Ok(Reply::Other(why)) => Err(RenderError::Setup(why)),
        Err(_) => Err(stopped(Bound::Crashed)),
    }
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
    let reply = match pdf {
        Ok(pdf) => Reply::Pdf(pdf),
        Err(RenderError::Compile(problems)) => Reply::Compile(problems),
        Err(other) => Reply::Other(other.to_string()),
    };
    let bytes = postcard::to_stdvec(&reply).map_err(std::io::Error::other)?;
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
