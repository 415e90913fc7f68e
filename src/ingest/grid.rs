//! Reading any supported file into plain grids of cells, one per sheet.
//!
//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) go through calamine; CSV through the csv crate with its
//! delimiter sniffed and its encoding detected. After this step no code cares which format a cell
//! came from: numbers are exact decimals, text is text, and every cell knows its A1 position.

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use calamine::{Data, DataRef, Range, Reader, ReaderRef, SheetVisible, Sheets};
use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::amount::decimal_from_cell_number;

/// Rows per task where a pass over every cell of a sheet runs on every core: enough that a
/// task's cost is its cells, not its scheduling.
pub(crate) const ROWS_PER_TASK: usize = 4096;

/// Files larger than this are refused before parsing: no Renstra workbook comes near it, and a
/// bound keeps one hostile file from exhausting memory.
pub const MAX_INPUT_BYTES: u64 = 100 * 1024 * 1024;

/// One cell as read, before any meaning is given to it.
///
/// Texts are [`CompactString`]s: a text of up to 24 bytes (a code, a kelurahan, most names)
/// lies in the cell itself, so the million cells of a long sheet are made, sent from the
/// reader child and freed without a heap allocation each. On the wire a text is a string, as
/// before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RawCell {
    /// Nothing in the cell.
    Empty,
    /// Text, as typed.
    Text(CompactString),
    /// A number cell, as the exact decimal that was typed.
    Number(#[serde(with = "decimal_bytes")] Decimal),
    /// A number cell formatted as a percentage: the percent figure shown (0.8571 stored, 85.71
    /// here), as the person who typed it sees it.
    Percent(#[serde(with = "decimal_bytes")] Decimal),
    /// Anything else (a date, a boolean, an Excel error such as `#REF!`), as displayed.
    Other(CompactString),
    /// A formula whose result was never computed and stored (the file was not recalculated).
    UncachedFormula(CompactString),
}

impl RawCell {
    /// A text cell, or an empty one for blank text: what a reader makes of typed text.
    pub fn from_text(text: &str) -> RawCell {
        if text.trim().is_empty() {
            RawCell::Empty
        } else {
            RawCell::Text(text.into())
        }
    }

    /// The cell as text, for header matching and names (numbers in plain form).
    pub fn text(&self) -> String {
        self.text_view().into_owned()
    }

    /// [`RawCell::text`] without a copy for a text cell: what a check that only looks at the
    /// text (is this row a total?) reads, for every row of a long sheet.
    pub fn text_view(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self {
            RawCell::Empty => Cow::Borrowed(""),
            RawCell::Text(s) | RawCell::Other(s) => Cow::Borrowed(s.trim()),
            RawCell::Number(d) => Cow::Owned(d.normalize().to_string()),
            RawCell::Percent(d) => Cow::Owned(format!("{}%", d.normalize())),
            RawCell::UncachedFormula(f) => Cow::Owned(format!("={f}")),
        }
    }

    /// True for an empty cell or one holding only spaces.
    pub fn is_empty(&self) -> bool {
        match self {
            RawCell::Empty => true,
            RawCell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// Decimals cross the pipe from the isolated reader exactly, as their sign and scale in one
/// byte and their mantissa as a variable-length integer: an amount of a few billion takes 6
/// bytes instead of its 16-byte binary form (a 200,000-row sheet's numbers, 19 MB of the pipe
/// before). A value the reader could not have sent (a scale over 28, a mantissa over 96 bits) is
/// refused, never read as another number.
mod decimal_bytes {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    /// The flag byte's sign bit; its low bits are the scale (0-28).
    const NEGATIVE: u8 = 0x80;

    pub(super) fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        // The scale of a Decimal is at most 28, so it fits below the sign bit.
        let flags = d.scale() as u8 | if d.is_sign_negative() { NEGATIVE } else { 0 };
        serde::Serialize::serialize(&(flags, d.mantissa().unsigned_abs()), s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let (flags, mantissa) = <(u8, u128)>::deserialize(d)?;
        let scale = u32::from(flags & !NEGATIVE);
        if scale > 28 || mantissa >> 96 != 0 {
            return Err(serde::de::Error::custom("not a decimal"));
        }
        Ok(Decimal::from_parts(
            mantissa as u32,
            (mantissa >> 32) as u32,
            (mantissa >> 64) as u32,
            flags & NEGATIVE != 0,
            scale,
        ))
    }
}

/// A grid's rows cross the pipe from the isolated reader as blocks, each encoded on its own,
/// so the reader encodes and the parent decodes them on every core: decoding a 200,000-row
/// sheet's two million cells on one core took as long as reading its rows afterwards. The
/// blocks are joined in order; a block that does not decode is refused like any bad reply.
mod row_blocks {
    use rayon::prelude::*;
    use serde::de::{Error as _, SeqAccess, Visitor};
    use serde::ser::Error as _;
    use serde::{Deserializer, Serializer};

    use super::RawCell;

    /// Rows per block: small enough for a few blocks per core on a long sheet, large enough
    /// that a block's framing is nothing beside its cells.
    const ROWS: usize = 4096;

    /// One encoded block, sent as bytes (not as a sequence of numbers).
    struct Block<'a>(&'a [u8]);

    impl serde::Serialize for Block<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }

    pub(super) fn serialize<S: Serializer>(rows: &[Vec<RawCell>], s: S) -> Result<S::Ok, S::Error> {
        let blocks = rows
            .par_chunks(ROWS)
            .map(postcard::to_stdvec)
            .collect::<Result<Vec<_>, _>>()
            .map_err(S::Error::custom)?;
        s.collect_seq(blocks.iter().map(|b| Block(b)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<Vec<RawCell>>, D::Error> {
        let blocks = d.deserialize_seq(Blocks)?;
        let decoded = blocks
            .par_iter()
            .map(|b| postcard::from_bytes::<Vec<Vec<RawCell>>>(b))
            .collect::<Result<Vec<_>, _>>()
            .map_err(D::Error::custom)?;
        Ok(decoded.into_iter().flatten().collect())
    }

    /// The encoded blocks, borrowed where the reply is in memory.
    struct Blocks;

    impl<'de> Visitor<'de> for Blocks {
        type Value = Vec<BlockBytes<'de>>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("blocks of encoded rows")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut blocks = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(block) = seq.next_element::<BlockBytes<'de>>()? {
                blocks.push(block);
            }
            Ok(blocks)
        }
    }

    /// One block's bytes: lent by the reply when it can be, else copied.
    struct BlockBytes<'de>(std::borrow::Cow<'de, [u8]>);

    impl std::ops::Deref for BlockBytes<'_> {
        type Target = [u8];
        fn deref(&self) -> &[u8] {
            &self.0
        }
    }

    impl<'de> serde::Deserialize<'de> for BlockBytes<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Bytes;
            impl<'de> Visitor<'de> for Bytes {
                type Value = BlockBytes<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an encoded block")
                }
                fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Self::Value, E> {
                    Ok(BlockBytes(std::borrow::Cow::Borrowed(v)))
                }
                fn visit_bytes<E>(self, v: &[u8]) -> Result<Self::Value, E> {
                    Ok(BlockBytes(std::borrow::Cow::Owned(v.to_vec())))
                }
            }
            d.deserialize_bytes(Bytes)
        }
    }
}

/// One sheet (or a whole CSV file) as a rectangle of cells with its position in the sheet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grid {
    /// File name relative to the unit folder.
    pub file: Arc<str>,
    /// Sheet name; empty for CSV.
    pub sheet: Arc<str>,
    /// True when the sheet is hidden in the workbook (it is still read).
    pub hidden: bool,
    /// 0-based sheet row of `rows[0]`.
    pub first_row: u32,
    /// 0-based sheet column of each row's first cell.
    pub first_col: u32,
    /// The cells, row by row; rows may differ in length.
    #[serde(with = "row_blocks")]
    pub rows: Vec<Vec<RawCell>>,
}

impl Grid {
    /// The cell at a grid position, `Empty` beyond the edges.
    pub fn at(&self, row: usize, col: usize) -> &RawCell {
        static EMPTY: RawCell = RawCell::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// The sheet's name as findings print it: `(CSV)` for a CSV file.
    pub fn sheet_label(&self) -> String {
        if self.sheet.is_empty() {
            "(CSV)".to_string()
        } else {
            self.sheet.to_string()
        }
    }

    /// Rows with at least one filled cell (counted on every core: a long sheet's rows are
    /// counted once in the reader and again for the unit).
    pub fn filled_rows(&self) -> usize {
        use rayon::prelude::*;
        self.rows
            .par_iter()
            .with_min_len(ROWS_PER_TASK)
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .count()
    }

    /// Cells held: each row's up to its last filled one (after [`Grid::trim_rows`]).
    pub fn cells(&self) -> usize {
        self.rows.iter().map(Vec::len).sum()
    }

    /// Drops each row's empty cells after its last filled one: a stray value far to the right
    /// makes a workbook's range as wide as the sheet, and nothing reads past a row's end
    /// ([`Grid::at`] is `Empty` there).
    pub fn trim_rows(&mut self) {
        use rayon::prelude::*;
        self.rows
            .par_iter_mut()
            .with_min_len(ROWS_PER_TASK)
            .for_each(|row| {
                let keep = row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
                row.truncate(keep);
                // Memory is given back where the cut is at least as large as what is kept (a
                // stray value far to the right); moving every row of a long sheet to free a
                // cell or two would cost more than it saves.
                if row.capacity() - keep >= keep {
                    row.shrink_to_fit();
                }
            });
    }

    /// The widest row's length.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The widest of the first `rows` rows: where titles and headers sit, without scanning a
    /// whole 200,000-row sheet for each header candidate.
    pub fn top_width(&self, rows: usize) -> usize {
        self.rows.iter().take(rows).map(Vec::len).max().unwrap_or(0)
    }

    /// The 0-based sheet coordinates of a grid position, for A1 references.
    pub fn sheet_pos(&self, row: usize, col: usize) -> (u32, u32) {
        (self.first_row + row as u32, self.first_col + col as u32)
    }
}

#[cfg(test)]
impl Grid {
    /// A sheet `Rekap` of `a.xlsx` whose first cell is A1: the grid most tests read.
    pub(crate) fn rekap(rows: Vec<Vec<RawCell>>) -> Grid {
        Grid {
            file: "a.xlsx".into(),
            sheet: "Rekap".into(),
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows,
        }
    }
}

/// Why a file could not be read at all. Shown to finance staff with the file's name. It crosses
/// the pipe from the isolated reader as it is (serde), so its kind survives the child.
#[derive(Debug, Error, Serialize, Deserialize)]
pub enum ReadError {
    /// The operating system refused (missing, permissions).
    Io(
        #[from]
        #[serde(with = "io_error_text")]
        std::io::Error,
    ),
    /// Over [`MAX_INPUT_BYTES`].
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// calamine could not parse it: corrupt, encrypted, or not really that format.
    Workbook(String),
    /// The parser crashed on this file; the crash is contained and reported.
    ParserCrashed,
    /// Reading took longer than the limit (a hostile or pathological file).
    Timeout(u64),
    /// Reading needed more memory than the limit (a hostile or pathological file).
    MemoryLimit(u64),
    /// A zip container (xlsx, ods) without its end (the central directory's end record): a file
    /// still being copied or saved, or cut short.
    Incomplete,
    /// A zip container (xlsx, ods) that would inflate far beyond any real workbook.
    ZipBomb {
        /// The size its zip directory declares once inflated, in bytes.
        uncompressed: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The sheet that takes the rows a unit brings (its files so far, in name order) past
    /// [`MAX_UNIT_ROWS`]: far beyond any perangkat daerah's Renstra, and every later stage
    /// would spend time and memory in proportion.
    TooManyRows {
        /// The sheet.
        sheet: String,
        /// The filled rows brought up to and including this sheet.
        rows: usize,
        /// The most filled rows a unit may bring.
        limit: usize,
    },
    /// The sheet that takes the cells a unit brings past [`MAX_UNIT_CELLS`] (see
    /// [`ReadError::TooManyRows`]).
    TooManyCells {
        /// The sheet.
        sheet: String,
        /// The cells brought up to and including this sheet.
        cells: usize,
        /// The most cells a unit may bring.
        limit: usize,
    },
    /// A cell longer than Excel allows in a cell.
    CellTooLong {
        /// The sheet.
        sheet: String,
        /// The cell, A1.
        cell: String,
        /// Its length in characters.
        chars: usize,
        /// The most characters a cell may hold.
        limit: usize,
    },
    /// The extension is not one renstra reads.
    Unsupported,
}

/// An `io::Error` crosses the pipe as its message (it is not serializable itself) and comes back
/// as an error of kind `Other` with that message.
mod io_error_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(e: &std::io::Error, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&e.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<std::io::Error, D::Error> {
        String::deserialize(d).map(std::io::Error::other)
    }
}

/// The most a zip-based workbook (xlsx, xlsm, xlsb, ods) may inflate to before it is refused
/// unread: far above any real Renstra workbook, far below what would exhaust a PC.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 1024 * 1024 * 1024;

/// File extensions read as workbooks or CSV.
pub const SUPPORTED_EXTENSIONS: [&str; 6] = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv"];

/// Reads every sheet of a file. `rel` is the name used in findings.
pub fn read_file(path: &Path, rel: &str) -> Result<Vec<Grid>, ReadError> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size,
            limit: MAX_INPUT_BYTES,
        });
    }
    read_bytes(&std::fs::read(path)?, &extension(path), rel)
}

/// A file's extension in lower case, which says how its bytes are read.
pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Reads every sheet of a file's `bytes`, as its extension `ext` says (`xlsx`, `csv`, …): the
/// bytes a unit's file was read into once, so what is parsed is what was hashed.
pub fn read_bytes(bytes: &[u8], ext: &str, rel: &str) -> Result<Vec<Grid>, ReadError> {
    let size = bytes.len() as u64;
    if size > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size,
            limit: MAX_INPUT_BYTES,
        });
    }
    let grids = match ext {
        "csv" => read_csv(bytes, rel).map(|g| vec![g]),
        "xlsx" | "xlsm" | "xlsb" | "ods" => {
            if !zip_complete(bytes) {
                return Err(ReadError::Incomplete);
            }
            check_zip_size(bytes)?;
            read_workbook_guarded(bytes, ext, rel)
        }
        "xls" => read_workbook_guarded(bytes, ext, rel),
        _ => Err(ReadError::Unsupported),
    }?;
    let mut grids = grids;
    for grid in &mut grids {
        grid.trim_rows();
        check_cells(grid)?;
    }
    Brought::default().take(&grids)?;
    Ok(grids)
}

/// The most filled rows a unit may bring, over all its files and sheets. The largest dinas has a
/// few thousand sub kegiatan; a SIPD export per rekening a few tens of thousands of rows; a quarter
/// of a million is a whole pemda's export or a sheet of formatted blank-looking rows, which would
/// cost every later stage (and the PDF) time and memory in proportion.
pub const MAX_UNIT_ROWS: usize = 250_000;

/// The most cells a unit may bring (a row's cells up to its last filled one), over all its files
/// and sheets: twenty columns of [`MAX_UNIT_ROWS`] rows.
pub const MAX_UNIT_CELLS: usize = 5_000_000;

/// What a unit's files have brought so far, against [`MAX_UNIT_ROWS`] and [`MAX_UNIT_CELLS`]:
/// one per unit, taking its files in name order (so the same files are refused on every run),
/// and one per file inside the reader, so no single file crosses the pipe beyond the bound.
#[derive(Debug, Default, Clone, Copy)]
pub struct Brought {
    rows: usize,
    cells: usize,
}

impl Brought {
    /// Counts `grids` in, or names the sheet where they would take the unit past a bound, in
    /// which case nothing of them is counted (the file is refused whole).
    pub fn take(&mut self, grids: &[Grid]) -> Result<(), ReadError> {
        let (mut rows, mut cells) = (self.rows, self.cells);
        for grid in grids {
            rows += grid.filled_rows();
            cells += grid.cells();
            if rows > MAX_UNIT_ROWS {
                return Err(ReadError::TooManyRows {
                    sheet: grid.sheet_label(),
                    rows,
                    limit: MAX_UNIT_ROWS,
                });
            }
            if cells > MAX_UNIT_CELLS {
                return Err(ReadError::TooManyCells {
                    sheet: grid.sheet_label(),
                    cells,
                    limit: MAX_UNIT_CELLS,
                });
            }
        }
        (self.rows, self.cells) = (rows, cells);
        Ok(())
    }
}

/// The most characters a cell may hold: Excel's own limit (32,767).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Refuses a sheet with a cell beyond Excel's own limit, naming the sheet and the cell: such a
/// file was not made by a person typing a Renstra table.
fn check_cells(grid: &Grid) -> Result<(), ReadError> {
    use rayon::prelude::*;
    // The first such cell in row order, looked for on every core.
    let too_long = grid
        .rows
        .par_iter()
        .with_min_len(ROWS_PER_TASK)
        .enumerate()
        .find_map_first(|(r, row)| {
            row.iter().enumerate().find_map(|(c, cell)| {
                let text = match cell {
                    RawCell::Text(s) | RawCell::Other(s) | RawCell::UncachedFormula(s) => s,
                    _ => return None,
                };
                // Bytes bound characters from above: count characters only for the long ones.
                (text.len() > MAX_CELL_CHARS)
                    .then(|| text.chars().count())
                    .filter(|chars| *chars > MAX_CELL_CHARS)
                    .map(|chars| (r, c, chars))
            })
        });
    let Some((r, c, chars)) = too_long else {
        return Ok(());
    };
    let row = u32::try_from(r + grid.first_row as usize).unwrap_or(u32::MAX);
    let col = u32::try_from(c + grid.first_col as usize).unwrap_or(u32::MAX);
    Err(ReadError::CellTooLong {
        sheet: grid.sheet_label(),
        cell: crate::model::a1(row, col),
        chars,
        limit: MAX_CELL_CHARS,
    })
}

/// True for the extensions read through calamine (as opposed to CSV).
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods"
        )
    })
}

/// The extensions of the workbook formats that are zip containers.
pub const ZIP_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xlsb", "ods"];

/// The most bytes from a zip's end its end record can start at: the record's 22 bytes and a
/// comment of at most 65,535.
const EOCD_WINDOW: usize = 22 + 65_535;

/// True when a zip container has its end record (`PK\x05\x06`) where the format puts it, in
/// its last 64 KiB: a file still being written has not got it yet.
pub fn zip_complete(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(EOCD_WINDOW)..];
    memchr::memmem::rfind(tail, b"PK\x05\x06").is_some_and(|at| tail.len() - at >= 22)
}

/// [`zip_complete`] on a file, reading only its last 64 KiB.
pub fn zip_file_complete(path: &Path) -> std::io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    file.seek(SeekFrom::Start(len.saturating_sub(EOCD_WINDOW as u64)))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    Ok(zip_complete(&tail))
}

/// Sums the uncompressed sizes the zip directory declares, refusing a zip bomb before parsing.
/// (Declared sizes can lie; the memory limit of isolated reading is the backstop.)
pub fn check_zip_size(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        // Not a zip: calamine will say what it is not.
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > MAX_UNCOMPRESSED_BYTES {
        return Err(ReadError::ZipBomb {
            uncompressed: total,
            limit: MAX_UNCOMPRESSED_BYTES,
        });
    }
    Ok(())
}

fn read_workbook_guarded(bytes: &[u8], ext: &str, rel: &str) -> Result<Vec<Grid>, ReadError> {
    catch_unwind(AssertUnwindSafe(|| read_workbook(bytes, ext, rel)))
        .unwrap_or(Err(ReadError::ParserCrashed))
}

/// What a cheap look inside an xlsx tells about the two costly extra passes: whether any sheet
/// may hold a formula without a stored result, and whether any percent format exists. Each
/// extra pass re-parses a whole sheet, so skipping them when they cannot find anything keeps
/// ingest close to calamine's own speed. `None` (not a zip, xlsb, ods, xls) means "do both".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct XlsxHints {
    uncached_formulas: bool,
    percent_formats: bool,
}

fn xlsx_hints(bytes: &[u8], ext: &str) -> Option<XlsxHints> {
    if !matches!(ext, "xlsx" | "xlsm") {
        return None;
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut hints = XlsxHints {
        uncached_formulas: false,
        percent_formats: false,
    };
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).ok()?;
        let name = entry.name().ok()?.to_string();
        let is_sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        if !(is_sheet || name == "xl/styles.xml") {
            continue;
        }
        let mut xml = Vec::with_capacity(entry.size().min(MAX_UNCOMPRESSED_BYTES) as usize);
        entry.read_to_end(&mut xml).ok()?;
        if is_sheet {
            hints.uncached_formulas |= may_hold_uncached_formulas(&xml);
        } else {
            hints.percent_formats = may_hold_percent_formats(&xml);
        }
    }
    Some(hints)
}

/// A sheet's XML may hold a formula without a stored value when it has formulas and either a
/// formula is followed by no value (or an empty one), or the XML is laid out with whitespace
/// between tags (where the compact patterns below could miss one).
fn may_hold_uncached_formulas(xml: &[u8]) -> bool {
    use memchr::memmem::find;
    let has_formulas = find(xml, b"<f>").is_some() || find(xml, b"<f ").is_some();
    has_formulas
        && [
            &b"</f></c>"[..],
            b"</f><v></v>",
            b"</f><v/>",
            b"/></c>",
            b">\n<",
            b">\r\n<",
            b">  <",
        ]
        .iter()
        .any(|p| find(xml, p).is_some())
}

/// Percent formats: the built-in ones (ids 9 and 10) or any custom code with `%`.
fn may_hold_percent_formats(xml: &[u8]) -> bool {
    use memchr::memmem::find;
    [&b"numFmtId=\"9\""[..], b"numFmtId=\"10\"", b"%"]
        .iter()
        .any(|p| find(xml, p).is_some())
}

/// The workbook reader for `ext`, over the file's bytes in memory.
fn open_book<'a>(
    bytes: &'a [u8],
    ext: &str,
) -> Result<Sheets<std::io::Cursor<&'a [u8]>>, calamine::Error> {
    use calamine::open_workbook_from_rs as open;
    let data = std::io::Cursor::new(bytes);
    Ok(match ext {
        "xls" => Sheets::Xls(open(data)?),
        "xlsb" => Sheets::Xlsb(open(data)?),
        "ods" => Sheets::Ods(open(data)?),
        _ => Sheets::Xlsx(open(data)?),
    })
}

fn read_workbook(bytes: &[u8], ext: &str, rel: &str) -> Result<Vec<Grid>, ReadError> {
    // The look for the extra passes and the opening of the book (its shared strings, often a
    // third of the text) read different parts of the file: on two cores at once.
    let (hints, book) = rayon::join(|| xlsx_hints(bytes, ext), || open_book(bytes, ext));
    let check_formulas = hints.is_none_or(|h| h.uncached_formulas);
    let check_percents = hints.is_none_or(|h| h.percent_formats);
    let mut book = book.map_err(|e| ReadError::Workbook(e.to_string()))?;
    let sheets = book.sheets_metadata().to_vec();
    let mut grids = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        // Formula text lets an empty cached value be told apart from a truly empty cell.
        let formulas = if check_formulas {
            book.worksheet_formula(&sheet.name).ok()
        } else {
            None
        };
        let at = SheetAt {
            rel,
            name: &sheet.name,
            hidden: sheet.visible != SheetVisible::Visible,
            formulas: formulas.as_ref(),
        };
        // xlsx and xlsb lend their shared strings: each text is copied once, into its cell,
        // instead of into calamine's owned cell and again into ours.
        let mut grid = match &mut book {
            Sheets::Xlsx(xlsx) => lent_grid(xlsx, &at)?,
            Sheets::Xlsb(xlsb) => lent_grid(xlsb, &at)?,
            other => {
                let range = other
                    .worksheet_range(at.name)
                    .map_err(|e| ReadError::Workbook(e.to_string()))?;
                grid_from_range(&at, &range, raw_cell)
            }
        };
        if check_percents
            && let calamine::Sheets::Xlsx(xlsx) = &mut book
            && let Ok(styles) = xlsx.worksheet_style(&sheet.name)
        {
            mark_percentages(&mut grid, &styles);
        }
        grids.push(grid);
    }
    Ok(grids)
}

/// Which sheet a grid is read from, and its formulas (to tell an uncached formula from an empty
/// cell).
struct SheetAt<'a> {
    rel: &'a str,
    name: &'a str,
    hidden: bool,
    formulas: Option<&'a Range<String>>,
}

/// The grid of a sheet read through the shared strings `book` lends (xlsx, xlsb).
fn lent_grid<RS, R>(book: &mut R, at: &SheetAt<'_>) -> Result<Grid, ReadError>
where
    RS: std::io::Read + std::io::Seek,
    R: ReaderRef<RS>,
    R::Error: std::fmt::Display,
{
    let range = book
        .worksheet_range_ref(at.name)
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    Ok(grid_from_range(at, &range, raw_cell_ref))
}

/// The grid of a sheet's cells, made on every core: a long sheet's millions of cells (each
/// decimal worked out from its float) cost a tenth of reading the sheet on one core.
fn grid_from_range<T: calamine::CellType + Sync>(
    at: &SheetAt<'_>,
    range: &Range<T>,
    raw_cell: impl Fn(&T, Option<&String>) -> RawCell + Sync,
) -> Grid {
    use rayon::prelude::*;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .collect::<Vec<_>>()
        .into_par_iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, data)| {
                    let abs = (first_row + r as u32, first_col + c as u32);
                    let formula = at
                        .formulas
                        .and_then(|f| f.get_value(abs))
                        .filter(|f| !f.is_empty());
                    raw_cell(data, formula)
                })
                .collect()
        })
        .collect();
    Grid {
        file: Arc::from(at.rel),
        sheet: Arc::from(at.name),
        hidden: at.hidden,
        first_row,
        first_col,
        rows,
    }
}

/// Numbers shown as percentages (`0.00%` formats) become the percent figure the reader sees.
fn mark_percentages(grid: &mut Grid, styles: &calamine::StyleRange) {
    let (first_row, first_col) = (grid.first_row, grid.first_col);
    for (r, row) in grid.rows.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            let RawCell::Number(d) = cell else { continue };
            let pos = (first_row + r as u32, first_col + c as u32);
            let is_percent = styles
                .get(pos)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code));
            if is_percent && let Some(p) = d.checked_mul(Decimal::ONE_HUNDRED) {
                *cell = RawCell::Percent(p.normalize());
            }
        }
    }
}

/// A number format shows a percentage when it has a `%` outside quoted text and escapes.
pub fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

fn raw_cell(data: &Data, formula: Option<&String>) -> RawCell {
    match data {
        // A formula whose stored result is empty (or an empty string) was never calculated.
        Data::Empty => match formula {
            Some(f) => RawCell::UncachedFormula(f.into()),
            None => RawCell::Empty,
        },
        Data::String(s) => text_cell(s, formula),
        Data::Int(i) => RawCell::Number(Decimal::from(*i)),
        // Whole numbers (most amounts) skip the text round trip.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
            RawCell::Number(Decimal::from(*f as i64))
        }
        Data::Float(f) => match decimal_from_cell_number(*f) {
            Some(d) => RawCell::Number(d),
            // As `Display` prints it (compact_str's own `to_compact_string` prints floats
            // otherwise).
            None => RawCell::Other(f.to_string().into()),
        },
        Data::Bool(b) => RawCell::Other(if *b { "TRUE" } else { "FALSE" }.into()),
        Data::DateTime(dt) => RawCell::Other(dt.to_string().into()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => RawCell::Other(s.into()),
        Data::Error(e) => RawCell::Other(e.to_string().into()),
    }
}

/// [`raw_cell`] for a cell whose text calamine lends.
fn raw_cell_ref(data: &DataRef<'_>, formula: Option<&String>) -> RawCell {
    match data {
        DataRef::SharedString(s) => text_cell(s, formula),
        DataRef::String(s) => text_cell(s, formula),
        // The other kinds own no text worth sparing: read them as calamine's owned cells.
        other => raw_cell(&Data::from(other.clone()), formula),
    }
}

/// A text cell; an empty text under a formula is a formula whose result was never computed.
fn text_cell(text: &str, formula: Option<&String>) -> RawCell {
    match formula {
        Some(f) if text.is_empty() => RawCell::UncachedFormula(f.into()),
        _ => RawCell::Text(text.into()),
    }
}

/// Reads a CSV file: encoding detected (UTF-8 with or without BOM, else Windows-1252), delimiter
/// sniffed among `;` (Indonesian-locale Excel), tab and `,`.
fn read_csv(bytes: &[u8], rel: &str) -> Result<Grid, ReadError> {
    let text = decode_text(bytes);
    let delimiter = sniff_delimiter(&text);
    let text = keep_blank_lines(&text, delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // One filled row past the unit's bound is enough to refuse the file (see `Brought`): the
    // rest is never held in memory.
    let mut filled = 0;
    let rows: Vec<Vec<RawCell>> = reader
        .records()
        .map(|rec| match rec {
            Ok(r) => r.iter().map(csv_cell).collect::<Vec<_>>(),
            Err(e) => vec![RawCell::Other(
                crate::messages::errors::csv_row_broken(e).into(),
            )],
        })
        .take_while(|row| {
            filled += usize::from(row.iter().any(|c| !c.is_empty()));
            filled <= MAX_UNIT_ROWS + 1
        })
        .collect();
    Ok(Grid {
        file: Arc::from(rel),
        sheet: Arc::from(""),
        hidden: false,
        first_row: 0,
        first_col: 0,
        rows,
    })
}

/// The csv crate skips blank lines, while Excel shows them as rows: a blank line outside quotes
/// becomes a line holding one delimiter (an empty record), so row numbers in findings are the
/// ones a person sees when opening the file.
fn keep_blank_lines(text: &str, delimiter: u8) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_quotes = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        if !in_quotes && body.trim().is_empty() {
            out.push(char::from(delimiter));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
        if body.matches('"').count() % 2 == 1 {
            in_quotes = !in_quotes;
        }
    }
    out
}

fn csv_cell(field: &str) -> RawCell {
    RawCell::from_text(field)
}

/// UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, otherwise Windows-1252, which is what
/// older Excel writes for "CSV" on Indonesian Windows.
pub fn decode_text(bytes: &[u8]) -> String {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(body).0.into_owned(),
    }
}

/// Picks the delimiter that splits the first lines most consistently into more than one field.
pub fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b'\t', b','];
    let sample: String = text.lines().take(30).collect::<Vec<_>>().join("\n");
    let mut best = (0usize, b';');
    for candidate in CANDIDATES {
        let score = consistency(&sample, candidate);
        if score > best.0 {
            best = (score, candidate);
        }
    }
    best.1
}

/// How many lines share the most common field count (above one) under this delimiter.
fn consistency(sample: &str, delimiter: u8) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(sample.as_bytes());
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    for record in reader.records().flatten() {
        if record.len() > 1 {
            *counts.entry(record.len()).or_default() += 1;
        }
    }
    counts.values().copied().max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long grid comes back from the pipe's blocks as it went: the same cells in the same
    /// rows, and its names and position.
    #[test]
    fn a_long_grid_crosses_the_pipe_in_blocks_unchanged() {
        // 10,001 rows: two full blocks of 4,096 and one of 1,809, rows of different lengths.
        let rows: Vec<Vec<RawCell>> = (0..10_001u32)
            .map(|r| match r % 4 {
                0 => vec![RawCell::Text(format!("baris {r}").into()), RawCell::Empty],
                1 => vec![RawCell::Number(Decimal::new(i64::from(r) * 25, 2))],
                2 => vec![],
                _ => vec![
                    RawCell::Percent(Decimal::new(8571, 2)),
                    RawCell::Other("#REF!".into()),
                    RawCell::UncachedFormula("SUM(A1:A3)".into()),
                ],
            })
            .collect();
        let grid = Grid {
            file: Arc::from("a.xlsx"),
            sheet: Arc::from("Rekap"),
            hidden: true,
            first_row: 3,
            first_col: 1,
            rows: rows.clone(),
        };
        let wire = postcard::to_stdvec(&grid).unwrap();
        let back: Grid = postcard::from_bytes(&wire).unwrap();
        assert_eq!(back.rows.len(), 10_001);
        assert_eq!(back.rows, rows);
        assert_eq!((&*back.file, &*back.sheet), ("a.xlsx", "Rekap"));
        assert_eq!((back.hidden, back.first_row, back.first_col), (true, 3, 1));
        // Row 4,097 is in the second block: 4,097 % 4 = 1, a number row, 4,097 × 25 / 100.
        assert_eq!(
            back.rows[4_097],
            vec![RawCell::Number(Decimal::new(102_425, 2))]
        );
    }

    /// A reply whose block does not decode is refused, not read as other cells.
    #[test]
    fn a_damaged_block_is_refused() {
        let grid = Grid {
            file: Arc::from("a.xlsx"),
            sheet: Arc::from("Rekap"),
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows: vec![vec![RawCell::Text("Kecamatan".into())]],
        };
        let mut wire = postcard::to_stdvec(&grid).unwrap();
        // The last byte is inside the one block: the text's last letter becomes an invalid
        // UTF-8 byte.
        *wire.last_mut().unwrap() = 0xFF;
        assert!(postcard::from_bytes::<Grid>(&wire).is_err());
    }

    /// Trimming cuts every row after its last filled cell, and gives the memory back for a row
    /// a stray value far to the right made as wide as the sheet (16,384 columns, XFD).
    #[test]
    fn rows_are_cut_after_their_last_filled_cell() {
        let mut wide = vec![RawCell::Empty; 16_384];
        wide[2] = RawCell::Text("isi".into());
        let mut grid = Grid::rekap(vec![
            wide,
            vec![
                RawCell::Text("a".into()),
                RawCell::Empty,
                RawCell::Text("b".into()),
            ],
            vec![RawCell::Empty; 3],
        ]);
        grid.trim_rows();
        let lengths: Vec<usize> = grid.rows.iter().map(Vec::len).collect();
        assert_eq!(lengths, [3, 3, 0]);
        assert!(
            grid.rows[0].capacity() < 16_384 / 2,
            "{}",
            grid.rows[0].capacity()
        );
    }

    /// A cell past Excel's 32,767 characters refuses the sheet, naming the first such cell in
    /// row order however the rows are shared among the cores; a cell of more bytes but fewer
    /// characters (two-byte `é`s) passes.
    #[test]
    fn the_first_cell_past_excels_limit_is_named() {
        let mut rows = vec![vec![RawCell::Text("isi".into()); 4]; 9_000];
        rows[100][1] = RawCell::Text("é".repeat(20_000).into()); // 40,000 bytes, 20,000 chars
        rows[5_000][2] = RawCell::Text("é".repeat(32_768).into());
        rows[6_000][0] = RawCell::Other("x".repeat(40_000).into());
        let mut grid = Grid::rekap(rows);
        match check_cells(&grid) {
            // Row 5,000 from 0 is sheet row 5,001; column 2 is C.
            Err(ReadError::CellTooLong { cell, chars, .. }) => {
                assert_eq!((cell.as_str(), chars), ("C5001", 32_768));
            }
            other => panic!("{other:?}"),
        }
        grid.rows[5_000][2] = RawCell::Empty;
        assert!(matches!(
            check_cells(&grid),
            Err(ReadError::CellTooLong { cell, chars: 40_000, .. }) if cell == "A6001"
        ));
        grid.rows[6_000][0] = RawCell::Empty;
        assert!(check_cells(&grid).is_ok());
    }

    /// A text crosses the pipe as a plain string, whether it lies in the cell (up to 24 bytes)
    /// or on the heap: the variant's index (Text is the second, 1), the length, the UTF-8
    /// bytes; and it comes back the same.
    #[test]
    fn texts_cross_the_pipe_as_plain_strings() {
        let short = "Kelurahan Kanigaran"; // 19 bytes
        let long = "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik"; // 55 bytes
        for (text, len) in [(short, 19u8), (long, 55u8)] {
            assert_eq!(text.len(), usize::from(len));
            let cell = RawCell::Text(text.into());
            let wire = postcard::to_stdvec(&cell).unwrap();
            let mut expected = vec![1u8, len];
            expected.extend_from_slice(text.as_bytes());
            assert_eq!(wire, expected);
            assert_eq!(postcard::from_bytes::<RawCell>(&wire).unwrap(), cell);
        }
    }

    /// Every decimal crosses the pipe as exactly itself: its 16-byte form (sign of zero, scale,
    /// mantissa) is the same after the trip, and a few billion takes 1 + 5 bytes, not 16.
    #[test]
    fn decimals_cross_the_pipe_exactly_and_small() {
        let values = [
            Decimal::ZERO,
            Decimal::from_parts(0, 0, 0, true, 2), // -0.00
            Decimal::new(123_456_789_012, 2),      // 1.234.567.890,12
            Decimal::new(-5, 28),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::from_parts(1, 0, 0, false, 28),
        ];
        for d in values {
            let cell = RawCell::Number(d);
            let wire = postcard::to_stdvec(&cell).unwrap();
            let back: RawCell = postcard::from_bytes(&wire).unwrap();
            let RawCell::Number(e) = back else {
                panic!("{d} came back as {back:?}")
            };
            assert_eq!(e.serialize(), d.serialize(), "{d}");
        }
        // 4,500,000,000 = 0x1_0C38_8D00: 33 bits, five 7-bit groups; one byte for the variant.
        let wire = postcard::to_stdvec(&RawCell::Number(Decimal::from(4_500_000_000u64))).unwrap();
        assert_eq!(wire.len(), 1 + 1 + 5);
    }

    /// A mantissa over 96 bits or a scale over 28 is refused, not read as some other number.
    #[test]
    fn an_impossible_decimal_on_the_pipe_is_refused() {
        for (flags, mantissa) in [(29u8, 1u128), (0, 1u128 << 96), (0x80 | 40, 7)] {
            // RawCell::Number is variant 2 (after Empty and Text); then the flags and the
            // mantissa, as the reader writes them.
            let mut wire = vec![2u8];
            wire.extend(postcard::to_stdvec(&(flags, mantissa)).unwrap());
            assert!(
                postcard::from_bytes::<RawCell>(&wire).is_err(),
                "{flags} {mantissa}"
            );
        }
    }

    #[test]
    fn percent_formats_are_recognised() {
        assert!(is_percent_format("0.00%"));
        assert!(is_percent_format("0%"));
        assert!(!is_percent_format("#,##0.00"));
        assert!(!is_percent_format("0.00\"%\""));
        assert!(!is_percent_format("0\\%"));
    }

    #[test]
    fn sniffs_the_indonesian_semicolon() {
        let text = "Judul;;\n\nNo;Uraian;Anggaran\n1;Program A;1.234,50\n2;Program B;2.000,00\n";
        assert_eq!(sniff_delimiter(text), b';');
    }

    #[test]
    fn blank_csv_lines_keep_their_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(
            &path,
            "Judul;;\r\n\r\nKode;Uraian;\"Catatan\npanjang\"\r\n\r\n7.01;Program;x\r\n",
        )
        .unwrap();
        let grid = read_csv(&std::fs::read(&path).unwrap(), "a.csv").unwrap();
        let texts: Vec<String> = grid
            .rows
            .iter()
            .map(|r| r.first().map(RawCell::text).unwrap_or_default())
            .collect();
        // Lines 1 and 3 hold records, line 3's third field spans into line 4, line 5 is blank.
        assert_eq!(texts, vec!["Judul", "", "Kode", "", "7.01"]);
    }

    #[test]
    fn sniffs_tab_and_comma() {
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n"), b',');
    }

    #[test]
    fn decodes_bom_utf8_and_windows_1252() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFKode;Uraian"), "Kode;Uraian");
        // 0x96 is an en dash in Windows-1252 and invalid as UTF-8.
        assert_eq!(decode_text(b"2019\x962023"), "2019\u{2013}2023");
    }
}
