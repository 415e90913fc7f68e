//! Stage 1: read every workbook of a unit, whatever its layout, and account for every row.
//!
//! Files are read in parallel; each sheet is classified by its header words into the kinds of
//! data a Renstra needs. Nothing is dropped silently: a file or sheet that is not used appears in
//! the report with its reason, and every row of a used sheet is counted in its [`crate::model::RowAccounting`].

pub mod budget;
pub mod grid;
pub mod isolate;
pub mod layout;
pub mod records;

use std::collections::HashMap;
use std::path::Path;

use compact_str::CompactString;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

pub use grid::{Grid, RawCell, SUPPORTED_EXTENSIONS};
pub use isolate::Isolation;

use crate::config::CONFIG_FILE;
use crate::messages;
use crate::model::{
    BudgetRow, FileReport, Finding, Kode, Record, Role, Rule, Severity, SheetKind, SheetReport,
    SourceRef, StatedTotal,
};

/// The folder in a unit that holds the narrative, not data.
pub const NASKAH_DIR: &str = "naskah";

/// Everything read from a unit's workbooks.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Per-file reports, in file-name order.
    pub files: Vec<FileReport>,
    /// Anggaran/realisasi rows, in file, sheet and row order.
    pub budget: Vec<BudgetRow>,
    /// Stated total rows.
    pub totals: Vec<StatedTotal>,
    /// Rows of the other kinds of sheets (plan, indicators, SWOT …), in file, sheet, row order.
    pub records: Vec<Record>,
    /// Findings raised while reading.
    pub findings: Vec<Finding>,
}

impl Ingested {
    /// Adds what one file or sheet yielded, after what is already here.
    fn absorb(&mut self, part: Ingested) {
        append(&mut self.files, part.files);
        append(&mut self.budget, part.budget);
        append(&mut self.totals, part.totals);
        append(&mut self.records, part.records);
        append(&mut self.findings, part.findings);
    }
}

/// `more` after `into`, taken over whole when `into` is empty: the first sheet of a unit (often
/// its only long one) is not copied into a second vector of its hundreds of thousands of rows.
fn append<T>(into: &mut Vec<T>, more: Vec<T>) {
    if into.is_empty() {
        *into = more;
    } else {
        into.extend(more);
    }
}

/// How files are read.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Read workbooks in a bounded child process (the CLI does); `None` reads them in-process,
    /// which is only safe for trusted files such as the bundled sample and test fixtures.
    pub isolation: Option<Isolation>,
    /// When the unit's build must be over (see [`crate::bounded::Deadline`]): each reader gets no
    /// more than the time left, and files not yet read when it has passed are not read.
    pub deadline: crate::bounded::Deadline,
    /// The grids of files read before, by path and content (`watch` keeps one): a file whose
    /// bytes have not changed is not parsed again.
    pub cache: Option<std::sync::Arc<GridCache>>,
}

/// The grids of the workbooks read last, each under its path and the SHA-256 of the bytes it was
/// parsed from: the same bytes always parse to the same grids, so a hit is exactly what reading
/// the file again would give. Bounded by [`GridCache::MAX_CELLS`]; the least recently used file
/// goes first.
#[derive(Debug)]
pub struct GridCache {
    files: std::sync::Mutex<CachedFiles>,
    max_cells: usize,
}

impl Default for GridCache {
    fn default() -> GridCache {
        GridCache::holding(GridCache::MAX_CELLS)
    }
}

#[derive(Debug, Default)]
struct CachedFiles {
    /// Path → (SHA-256, grids, cells, last use).
    by_path: HashMap<std::path::PathBuf, (String, Vec<Grid>, usize, u64)>,
    cells: usize,
    clock: u64,
}

impl GridCache {
    /// Cells kept at most by default (some 100 MB): a few units' worth, the ones being worked on.
    pub const MAX_CELLS: usize = 2_000_000;

    /// A cache holding at most `max_cells` cells.
    pub fn holding(max_cells: usize) -> GridCache {
        GridCache {
            files: std::sync::Mutex::default(),
            max_cells,
        }
    }

    /// The grids parsed from the file at `path` when its bytes hashed to `sha256`.
    fn get(&self, path: &Path, sha256: &str) -> Option<Vec<Grid>> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.clock += 1;
        let now = files.clock;
        let (hash, grids, _, used) = files.by_path.get_mut(path)?;
        if hash != sha256 {
            return None;
        }
        *used = now;
        Some(grids.clone())
    }

    /// Keeps `grids`, parsed from `path` whose bytes hashed to `sha256`, dropping the least
    /// recently used files beyond the bound.
    fn put(&self, path: &Path, sha256: &str, grids: &[Grid]) {
        let cells: usize = grids.iter().map(Grid::cells).sum();
        if cells > self.max_cells {
            return;
        }
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.clock += 1;
        let now = files.clock;
        if let Some((_, _, old, _)) = files.by_path.remove(path) {
            files.cells -= old;
        }
        while files.cells + cells > self.max_cells {
            let oldest = files
                .by_path
                .iter()
                .min_by_key(|(_, (_, _, _, used))| *used)
                .map(|(p, _)| p.clone());
            let Some(oldest) = oldest else { break };
            if let Some((_, _, gone, _)) = files.by_path.remove(&oldest) {
                files.cells -= gone;
            }
        }
        files.cells += cells;
        files.by_path.insert(
            path.to_path_buf(),
            (sha256.to_string(), grids.to_vec(), cells, now),
        );
    }
}

/// Reads every data file directly in `unit_dir` (not `naskah/`, not `renstra.toml`).
pub fn ingest_unit(
    unit_dir: &Path,
    bidang: Option<&Kode>,
    options: &IngestOptions,
) -> std::io::Result<Ingested> {
    let files = data_files(unit_dir)?;
    let mut all = Ingested::default();
    let mut brought = grid::Brought::default();
    // As many files at once as there are threads, then counted against the unit's bounds in
    // name order: which file passes a bound never depends on which read finished first, and
    // no more than one round of files is held beyond what the unit keeps.
    for round in files.chunks(rayon::current_num_threads().max(1)) {
        let late = options.deadline.passed();
        let loaded: Vec<Loaded> = round
            .par_iter()
            .map(|file| match &file.refused {
                None if late => Loaded::Done(refused_file(
                    &file.name,
                    messages::findings::NOT_READ_IN_TIME,
                )),
                None => load_file(&file.path, &file.name, options),
                Some(reason) => Loaded::Done(refused_file(&file.name, reason)),
            })
            .collect();
        for file in loaded {
            let (report, part) = match file {
                Loaded::Done(done) => done,
                Loaded::Grids(report, grids) => match brought.take(&grids) {
                    Ok(()) => ingest_grids(report, grids, bidang),
                    Err(e) => unreadable(report, &e),
                },
            };
            all.files.push(report);
            all.absorb(part);
        }
    }
    Ok(all)
}

/// A file read into grids, or already settled (not data, unreadable, refused).
enum Loaded {
    Grids(FileReport, Vec<Grid>),
    Done((FileReport, Ingested)),
}

/// A file of the unit folder: the exact path to open (its name may not be UTF-8) and the name
/// shown to people, or why it is not opened at all.
struct DataFile {
    path: std::path::PathBuf,
    name: String,
    refused: Option<String>,
}

/// The files of a unit folder that hold data, sorted by name so runs are reproducible. Excel's
/// `~$` owner files and hidden files are not data. A symbolic link is followed only when it stays
/// inside the unit folder: renstra never reads what it was not given.
fn data_files(unit_dir: &Path) -> std::io::Result<Vec<DataFile>> {
    let root = unit_dir.canonicalize()?;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(unit_dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == CONFIG_FILE || name.starts_with("~$") || name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        let path = entry.path();
        let refused = if kind.is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&root) && target.is_file() => None,
                Ok(target) if target.is_dir() => continue,
                Ok(target) => Some(messages::findings::link_outside(target.display())),
                Err(_) => Some(messages::findings::LINK_BROKEN.into()),
            }
        } else if kind.is_file() {
            None
        } else {
            continue;
        };
        files.push(DataFile {
            path,
            name,
            refused,
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    Ok(files)
}

/// The report of a file refused unopened: it is listed, with the reason, and is an error finding.
fn refused_file(name: &str, reason: &str) -> (FileReport, Ingested) {
    let mut part = Ingested::default();
    part.findings.push(Finding::new(
        Severity::Error,
        Rule::InputUnreadable,
        SourceRef::sheet(name, ""),
        reason.to_string(),
    ));
    let report = FileReport {
        file: name.to_string(),
        bytes: 0,
        sha256: String::new(),
        sheets: Vec::new(),
        not_read: Some(reason.to_string()),
    };
    (report, part)
}

/// SHA-256 (hex) of bytes in memory.
fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Size and SHA-256 (hex) of a file, streamed.
pub fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let bytes = std::io::copy(&mut file, &mut hasher)?;
    let digest = hasher.finalize();
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((bytes, hex))
}

fn is_supported(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SUPPORTED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads a file's `bytes` into grids, isolated when asked and the file is a workbook.
pub fn read_grids(
    bytes: &[u8],
    ext: &str,
    name: &str,
    options: &IngestOptions,
) -> Result<Vec<Grid>, grid::ReadError> {
    // The bounds on size, zip directory and end record are checked by `grid::read_bytes`, in
    // the child as in-process.
    match &options.isolation {
        Some(iso) if ext != "csv" && SUPPORTED_EXTENSIONS.contains(&ext) => {
            let iso = Isolation {
                timeout: options.deadline.cap(iso.timeout),
                ..iso.clone()
            };
            isolate::read_bytes_isolated(bytes, ext, name, &iso)
        }
        _ => grid::read_bytes(bytes, ext, name),
    }
}

/// A file's bytes, read once: refused unread beyond [`grid::MAX_INPUT_BYTES`].
fn read_once(path: &Path) -> Result<Vec<u8>, grid::ReadError> {
    let size = std::fs::metadata(path)?.len();
    if size > grid::MAX_INPUT_BYTES {
        return Err(grid::ReadError::TooLarge {
            size,
            limit: grid::MAX_INPUT_BYTES,
        });
    }
    Ok(std::fs::read(path)?)
}

/// Reads one file of a unit and reports what happened to it and its sheets; never panics on a
/// bad file (it becomes a finding).
pub fn ingest_file(
    path: &Path,
    name: &str,
    bidang: Option<&Kode>,
    options: &IngestOptions,
) -> (FileReport, Ingested) {
    match load_file(path, name, options) {
        Loaded::Done(done) => done,
        Loaded::Grids(report, grids) => ingest_grids(report, grids, bidang),
    }
}

/// Reads a file once into its grids: hashed, bounded and parsed from the same bytes.
fn load_file(path: &Path, name: &str, options: &IngestOptions) -> Loaded {
    let mut report = FileReport {
        file: name.to_string(),
        bytes: 0,
        sha256: String::new(),
        sheets: Vec::new(),
        not_read: None,
    };
    if !is_supported(name) {
        // Not data: hashed for Lampiran 3 as it is, never parsed.
        if let Ok((bytes, sha256)) = hash_file(path) {
            (report.bytes, report.sha256) = (bytes, sha256);
        }
        let narrative = crate::naskah::DOCUMENT_FILES
            .iter()
            .any(|d| d.eq_ignore_ascii_case(name));
        report.not_read = Some(if narrative {
            messages::findings::NARRATIVE_DOCUMENT.into()
        } else {
            messages::findings::NOT_DATA.into()
        });
        return Loaded::Done((report, Ingested::default()));
    }
    // Read once: the bytes hashed for Lampiran 3 are the bytes parsed, whatever happens to the
    // file meanwhile.
    let read = read_once(path).and_then(|bytes| {
        report.bytes = bytes.len() as u64;
        let ext = grid::extension(path);
        let Some(cache) = options.cache.as_deref() else {
            let (sha256, grids) =
                hash_while_reading(&bytes, || read_grids(&bytes, &ext, name, options));
            report.sha256 = sha256;
            return grids;
        };
        report.sha256 = sha256_hex(&bytes);
        if let Some(grids) = cache.get(path, &report.sha256) {
            return Ok(grids);
        }
        let grids = read_grids(&bytes, &ext, name, options)?;
        cache.put(path, &report.sha256, &grids);
        Ok(grids)
    });
    match read {
        Ok(grids) => Loaded::Grids(report, grids),
        Err(e) => Loaded::Done(unreadable(report, &e)),
    }
}

/// Files from this size on are hashed on a thread of their own while `read` parses them (the
/// parse mostly waits for the reader child): the hash of the ingest bench's 8.5 MB workbook
/// (6 ms) costs hundreds of times what starting a thread does, a small file's hash less than it.
const HASH_BESIDE_FROM_BYTES: usize = 1 << 20;

/// The SHA-256 (hex) of `bytes` and what `read` made of them, the hash taken beside the read
/// for a large file.
fn hash_while_reading<T>(bytes: &[u8], read: impl FnOnce() -> T) -> (String, T) {
    if bytes.len() < HASH_BESIDE_FROM_BYTES {
        return (sha256_hex(bytes), read());
    }
    std::thread::scope(|scope| {
        let hash = scope.spawn(|| sha256_hex(bytes));
        let made = read();
        let hash = hash
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (hash, made)
    })
}

/// A file that could not be read (or is refused at a bound): listed with the reason, an error
/// finding at the file.
fn unreadable(mut report: FileReport, e: &grid::ReadError) -> (FileReport, Ingested) {
    let mut part = Ingested::default();
    part.findings.push(Finding::new(
        Severity::Error,
        Rule::InputUnreadable,
        SourceRef::sheet(&report.file, ""),
        e.to_string(),
    ));
    report.not_read = Some(e.to_string());
    (report, part)
}

/// Recognises and reads every sheet of a file's grids.
fn ingest_grids(
    mut report: FileReport,
    mut grids: Vec<Grid>,
    bidang: Option<&Kode>,
) -> (FileReport, Ingested) {
    let mut part = Ingested::default();
    for grid in &mut grids {
        part.findings.extend(replace_control_characters(grid));
    }
    let name = report.file.clone();
    // A file with not one filled cell (an empty CSV, a workbook of blank sheets) is named: an
    // export or a copy that went wrong, or a file to remove.
    if grids
        .iter()
        .all(|g| g.rows.iter().all(|r| r.iter().all(RawCell::is_empty)))
    {
        part.findings.push(Finding::new(
            Severity::Warning,
            Rule::InputUnreadable,
            SourceRef::sheet(&name, ""),
            messages::findings::FILE_EMPTY,
        ));
    }
    let sheets: Vec<(SheetReport, Ingested)> =
        grids.par_iter().map(|g| ingest_sheet(g, bidang)).collect();
    for (sheet, sheet_part) in sheets {
        report.sheets.push(sheet);
        part.absorb(sheet_part);
    }
    (report, part)
}

/// A control character (a bell, a form feed, a C1 code: what copy and paste from other
/// programs leaves in a cell) is in no font and means nothing in a table: each becomes
/// [`crate::render::REPLACEMENT`] here, once, so every output (PDF, workbook, CSV) shows the same
/// visible square, and each such cell is a TEXT-UNPRINTABLE warning with its text as written.
/// Tabs and line breaks are text and stay.
fn replace_control_characters(grid: &mut Grid) -> Vec<Finding> {
    // A long sheet is scanned on every core, in blocks of rows kept in row order.
    const ROWS: usize = grid::ROWS_PER_TASK;
    let (file, sheet) = (grid.file.clone(), grid.sheet.clone());
    let (first_row, first_col) = (grid.first_row, grid.first_col);
    let per_block: Vec<Vec<Finding>> = grid
        .rows
        .par_chunks_mut(ROWS)
        .enumerate()
        .map(|(block, rows)| {
            let mut findings = Vec::new();
            for (r, row) in rows.iter_mut().enumerate() {
                for (c, cell) in row.iter_mut().enumerate() {
                    let (RawCell::Text(text)
                    | RawCell::Other(text)
                    | RawCell::UncachedFormula(text)) = cell
                    else {
                        continue;
                    };
                    if !has_control_character(text) {
                        continue;
                    }
                    let at = (first_row + (block * ROWS + r) as u32, first_col + c as u32);
                    findings.push(replace_in_cell(
                        text,
                        SourceRef::at(&file, &sheet, at.0, at.1),
                    ));
                }
            }
            findings
        })
        .collect();
    per_block.into_iter().flatten().collect()
}

/// A control character other than a tab or a line break: what [`replace_control_characters`]
/// replaces.
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `text` holds a control character. Every control character is a byte below 0x20,
/// 0x7F, or (U+0080 to U+009F) a two-byte sequence led by 0xC2: texts with none of these bytes,
/// nearly all, are passed over without decoding a character.
fn has_control_character(text: &str) -> bool {
    text.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) && text.chars().any(is_control)
}

/// Replaces each control character of `text` with [`crate::render::REPLACEMENT`], and says so
/// at `source`: the codes found, the text as written with each shown as `[U+0007]`, and the
/// text as replaced, in one pass.
fn replace_in_cell(text: &mut CompactString, source: SourceRef) -> Finding {
    let (mut codes, mut written, mut replaced) = (Vec::new(), String::new(), String::new());
    for ch in text.chars() {
        if is_control(ch) {
            let code = format!("U+{:04X}", ch as u32);
            written.push_str(&format!("[{code}]"));
            codes.push(code);
            replaced.push(crate::render::REPLACEMENT);
        } else {
            written.push(ch);
            replaced.push(ch);
        }
    }
    let finding = Finding::new(
        Severity::Warning,
        Rule::TextUnprintable,
        source,
        messages::findings::control_characters(&codes.join(", ")),
    )
    .written(written)
    .expected(replaced.clone());
    *text = replaced.into();
    finding
}

fn ingest_sheet(grid: &Grid, bidang: Option<&Kode>) -> (SheetReport, Ingested) {
    let mut part = Ingested::default();
    let source = SourceRef::sheet(&grid.file, &grid.sheet);
    let kind = layout::classify(grid);
    let mut report = SheetReport {
        source: source.clone(),
        hidden: grid.hidden,
        kind,
        used: false,
        accounting: None,
        rows: grid.rows.len(),
        unknown_columns: Vec::new(),
    };
    // The budget layout is only looked for in sheets classified as anggaran/realisasi.
    let budget_layout = (kind == Some(SheetKind::AnggaranRealisasi))
        .then(|| layout::detect(grid))
        .flatten()
        .filter(|l| l.column(Role::Uraian).is_some());
    match (kind, budget_layout) {
        (Some(SheetKind::AnggaranRealisasi), Some(layout)) => {
            let sheet = budget::read_budget_sheet(grid, &layout, bidang);
            report.unknown_columns = layout.unknown.iter().map(|c| c.header.clone()).collect();
            report.used = true;
            report.accounting = Some(sheet.accounting);
            part.budget = sheet.rows;
            part.totals = sheet.totals;
            part.findings = sheet.findings;
            part.findings.extend(budget::unread_columns(grid, &layout));
        }
        (Some(kind), _) => match records::read_records(grid, kind) {
            Some(sheet) => {
                report.used = true;
                report.accounting = Some(sheet.accounting);
                part.records = sheet.records;
            }
            None => part.findings.push(Finding::new(
                Severity::Warning,
                Rule::InputUnreadable,
                source,
                messages::findings::header_not_found(kind.label()),
            )),
        },
        (None, _) if grid.rows.iter().all(|r| r.iter().all(RawCell::is_empty)) => {}
        (None, _) => part.findings.push(Finding::new(
            Severity::Warning,
            Rule::InputUnreadable,
            source,
            messages::findings::SHEET_UNRECOGNISED,
        )),
    }
    if let (Some(kind), Some(a)) = (kind, &report.accounting)
        && a.data == 0
    {
        part.findings.push(Finding::new(
            Severity::Warning,
            Rule::SheetEmpty,
            SourceRef::sheet(&grid.file, &grid.sheet),
            messages::findings::sheet_empty(kind.label()),
        ));
    }
    (report, part)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(file: &str, cells: usize) -> Grid {
        Grid {
            file: file.into(),
            sheet: "Rekap".into(),
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows: vec![vec![RawCell::Text("x".into()); cells]],
        }
    }

    /// A large file hashed beside its read and a small one hashed before it give the file's
    /// SHA-256 (the expected digests are Python's `hashlib.sha256` of 2 MiB and of 1,000 zero
    /// bytes) and what the read made.
    #[test]
    fn a_file_hashed_beside_its_read_has_its_own_sha256() {
        let large = vec![0u8; 2 << 20];
        assert!(large.len() >= HASH_BESIDE_FROM_BYTES);
        assert_eq!(
            hash_while_reading(&large, || 7),
            (
                "5647f05ec18958947d32874eeb788fa396a05d0bab7c1b71f112ceb7e9b31eee".to_string(),
                7
            )
        );
        assert_eq!(
            hash_while_reading(&large[..1000], || "kecil"),
            (
                "541b3e9daa09b20bf85fa273e5cbd3e80185aa4ec298e765db87742b70138a53".to_string(),
                "kecil"
            )
        );
    }

    /// The byte look that spares decoding misses no control character: every one, encoded
    /// alone and inside text, is found; text without one is not, even with a 0xC2-led letter.
    #[test]
    fn every_control_character_is_found_and_only_those() {
        let controls: Vec<char> = (0..=0x10ffff_u32)
            .filter_map(char::from_u32)
            .filter(|c| is_control(*c))
            .collect();
        // C0 without tab, line feed and carriage return (29), DEL, and C1 (32).
        assert_eq!(controls.len(), 29 + 1 + 32);
        for c in controls {
            assert!(has_control_character(&c.to_string()), "{:04X}", c as u32);
            assert!(has_control_character(&format!("Kegiatan{c} ¥")));
        }
        for text in [
            "Kegiatan Pembinaan",
            "baris\tkedua\r\nketiga",
            "\u{a0}©±¿",
            "Rp 1.000",
        ] {
            assert!(!has_control_character(text), "{text:?}");
        }
    }

    /// Cells in different blocks of rows are named at their own rows, in row order: 4,096 rows
    /// to a block, so sheet row 10 + 5,000 is the 904th row of the second block.
    #[test]
    fn control_characters_are_reported_in_row_order_at_their_cells() {
        let mut rows = vec![vec![RawCell::Text("bersih".into()), RawCell::Empty]; 9_000];
        rows[5_000][1] = RawCell::Text("a\u{7}b".into());
        rows[3][0] = RawCell::Other("\u{85}".into());
        rows[8_999][0] = RawCell::UncachedFormula("=A1\u{1b}".into());
        let mut sheet = Grid {
            first_row: 10,
            first_col: 2,
            rows,
            ..grid("a.xlsx", 0)
        };
        let findings = replace_control_characters(&mut sheet);
        let at: Vec<Option<(u32, u32)>> = findings.iter().map(|f| f.sources[0].position).collect();
        assert_eq!(
            at,
            [Some((13, 2)), Some((5_010, 3)), Some((9_009, 2))],
            "rows 3, 5,000 and 8,999 after the first row 10; columns 0 and 1 after column 2"
        );
        let square = crate::render::REPLACEMENT;
        assert_eq!(
            sheet.rows[5_000][1],
            RawCell::Text(format!("a{square}b").into())
        );
        assert_eq!(sheet.rows[3][0], RawCell::Other(square.to_string().into()));
        assert_eq!(sheet.rows[0][0], RawCell::Text("bersih".into()));
    }

    #[test]
    fn the_cache_gives_grids_back_only_for_the_same_bytes() {
        let cache = GridCache::holding(100);
        let path = Path::new("/unit/a.xlsx");
        cache.put(path, "aaaa", &[grid("a.xlsx", 3)]);
        let hit = cache.get(path, "aaaa").expect("the same bytes");
        assert_eq!(hit[0].cells(), 3);
        assert!(
            cache.get(path, "bbbb").is_none(),
            "other bytes are read again"
        );
        assert!(cache.get(Path::new("/unit/b.xlsx"), "aaaa").is_none());
    }

    #[test]
    fn the_cache_drops_the_least_recently_used_file_beyond_its_bound() {
        let cache = GridCache::holding(10);
        let (a, b, c) = (Path::new("/a"), Path::new("/b"), Path::new("/c"));
        cache.put(a, "1", &[grid("a", 4)]);
        cache.put(b, "1", &[grid("b", 4)]);
        // a is used again, so b is the least recently used when c (4 more cells) comes.
        assert!(cache.get(a, "1").is_some());
        cache.put(c, "1", &[grid("c", 4)]);
        assert!(cache.get(b, "1").is_none());
        assert!(cache.get(a, "1").is_some() && cache.get(c, "1").is_some());
        // A file larger than the whole bound is not kept at all.
        cache.put(b, "2", &[grid("b", 11)]);
        assert!(cache.get(b, "2").is_none());
        assert!(cache.get(a, "1").is_some() && cache.get(c, "1").is_some());
    }

    /// A unit read through the cache, first filling it and then from it, is read exactly as
    /// without one.
    #[test]
    fn a_unit_read_from_the_cache_is_read_as_without_it() {
        let unit = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/kecamatan-kanigaran");
        let plain = ingest_unit(&unit, None, &IngestOptions::default()).unwrap();
        let cached = IngestOptions {
            cache: Some(std::sync::Arc::new(GridCache::default())),
            ..Default::default()
        };
        let first = ingest_unit(&unit, None, &cached).unwrap();
        // Every data file of the sample, by the hash its report gives, is now in the cache
        // (so the second read below is served from it, not parsed again).
        let cache = cached.cache.as_deref().unwrap();
        let parsed: Vec<&FileReport> = first
            .files
            .iter()
            .filter(|f| f.not_read.is_none())
            .collect();
        assert!(parsed.len() >= 5, "the sample has its workbooks");
        for f in &parsed {
            assert!(
                cache.get(&unit.join(&f.file), &f.sha256).is_some(),
                "{} is cached",
                f.file
            );
        }
        let second = ingest_unit(&unit, None, &cached).unwrap();
        assert_eq!(format!("{plain:?}"), format!("{first:?}"));
        assert_eq!(format!("{plain:?}"), format!("{second:?}"));
    }
}
