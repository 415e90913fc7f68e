//! Reading the narrative a planning officer keeps in Word (`naskah.docx`) or LibreOffice Writer
//! (`naskah.odt`): its paragraphs, styles, lists, tables, images and footnotes as data
//! ([`crate::model::naskah`]), never as Typst markup. Both formats are zipped XML; they are read
//! with `quick-xml` over the `zip` crate the workbook readers already use, with the same bounds
//! on what a zip may unpack to.
//!
//! The readers give a flat list of blocks in document order ([`Read`]); [`structure`] cuts it
//! into chapters and puts the verified tables in the place of the author's copies; [`markup`]
//! writes the equivalent `naskah/*.typ` for `renstra naskah impor`.

pub mod docx;
pub mod markup;
pub mod odt;
pub mod structure;
pub(crate) mod xml;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

use thiserror::Error;

use crate::messages;
use crate::model::naskah::{Block, Document, Inline, Naskah};
use crate::model::{Finding, Rule, Severity, SourceRef};

/// The document file names a unit folder may hold its narrative in, in order of preference.
pub const DOCUMENT_FILES: [&str; 2] = ["naskah.docx", "naskah.odt"];

/// At most this many bytes for a document file on disk.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// At most this many bytes for one XML part unpacked (`word/document.xml`, `content.xml`):
/// a 500-page Renstra's document.xml is about 10 MB, and the element tree of a part takes
/// several times its size.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// At most this many bytes for one embedded image unpacked; a larger one is not kept (a finding
/// says so, and a captioned frame is printed in its place). The same bound as the logo's.
pub const MAX_IMAGE_BYTES: u64 = crate::config::MAX_IMAGE_BYTES;

/// At most this many bytes for all the embedded images kept.
pub const MAX_IMAGES_BYTES: u64 = 200 * 1024 * 1024;

/// What a reader got from a document: its blocks in order, the images it embeds and what it
/// could not keep.
#[derive(Debug, Default)]
pub struct Read {
    /// The body's blocks, in document order. Headings are paragraphs with a
    /// [`crate::model::naskah::ParagraphRole::Heading`] role.
    pub blocks: Vec<Block>,
    /// The embedded images kept, by virtual path (`/naskah/gambar/1.png`).
    pub images: BTreeMap<String, Vec<u8>>,
    /// What could not be kept, each at the number of the block it concerns.
    pub notes: Vec<Note>,
}

/// Something of the document that could not be kept as written: a warning at its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The number of the block it concerns ([`Block::at`]).
    pub at: usize,
    /// What was not kept and what to do, for people.
    pub message: String,
}

/// Why a document could not be read at all. The rest of the unit is still built.
#[derive(Debug, Error)]
pub enum NaskahError {
    /// The file could not be read from disk.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    #[error("{bytes} bytes, more than {limit}")]
    TooLarge {
        /// Its size.
        bytes: u64,
        /// The bound.
        limit: u64,
    },
    /// An OLE compound file holding an encrypted package: a document saved with a password.
    #[error("the document is encrypted")]
    Encrypted,
    /// An OLE compound file without an encrypted package: a Word 97-2003 `.doc` renamed.
    #[error("the document is a Word 97-2003 file, not Word 2007+")]
    LegacyWord,
    /// Not a zip archive.
    #[error("not a zip archive")]
    NotZip(#[source] zip::result::ZipError),
    /// A zip without the part that holds the text (`word/document.xml`, `content.xml`).
    #[error("the archive has no {part}")]
    NoDocument {
        /// The part looked for.
        part: &'static str,
    },
    /// A part unpacks to more than its bound, or the archive declares more in all than
    /// the workbooks' bound ([`crate::ingest::grid::MAX_UNCOMPRESSED_BYTES`]).
    #[error("{part} unpacks to more than {limit} bytes")]
    PartTooLarge {
        /// The part.
        part: String,
        /// The bound.
        limit: u64,
    },
    /// A part could not be unpacked.
    #[error("cannot unpack {part}")]
    Unpack {
        /// The part.
        part: String,
        /// Why.
        source: std::io::Error,
    },
    /// A part nests elements deeper than [`xml::MAX_DEPTH`].
    #[error("{part} nests elements deeper than {limit}")]
    TooDeep {
        /// The part.
        part: String,
        /// The bound.
        limit: usize,
    },
    /// A part's XML is malformed.
    #[error("malformed XML in {part}")]
    Xml {
        /// The part.
        part: String,
        /// The parser's error.
        source: quick_xml::Error,
    },
}

/// The folder of a unit's narrative as Typst files.
pub const TYPST_DIR: &str = "naskah";

/// The narrative files a unit may provide in `naskah/`, in document order.
pub const TYPST_FILES: [&str; 9] = [
    "kata-pengantar",
    "bab-1",
    "bab-2",
    "bab-3",
    "bab-4",
    "bab-5",
    "bab-6",
    "bab-7",
    "bab-8",
];

/// The unit's narrative files in `naskah/` that exist, as (`naskah/bab-2.typ`, text), in
/// document order.
pub fn read_typst(unit_dir: &Path) -> Vec<(String, String)> {
    TYPST_FILES
        .iter()
        .filter_map(|name| {
            let rel = format!("{TYPST_DIR}/{name}.typ");
            let text = std::fs::read_to_string(unit_dir.join(&rel)).ok()?;
            Some((rel, text))
        })
        .collect()
}

/// Reads the unit's narrative: `naskah/*.typ` when the folder holds any (a document beside
/// them is then a warning), else `naskah.docx` or `naskah.odt`, structured against the
/// verified data. A document that cannot be read is an error finding, and the Renstra is
/// built without its chapters.
pub fn read_unit(unit_dir: &Path, known: &structure::Known) -> (Naskah, Vec<Finding>) {
    let typst = read_typst(unit_dir);
    let document = document_in(unit_dir);
    match (typst.is_empty(), document) {
        (false, Some(document)) => {
            let warning = Finding::new(
                Severity::Warning,
                Rule::NarrativeStructure,
                SourceRef::sheet(&document, ""),
                messages::naskah::both_sources(&document),
            );
            (Naskah::Typst(typst), vec![warning])
        }
        (false, None) => (Naskah::Typst(typst), Vec::new()),
        (true, None) => (Naskah::None, Vec::new()),
        (true, Some(document)) => match read_document(unit_dir, &document) {
            Ok(read) => {
                let structured = structure::structure(&document, read, known);
                (Naskah::Document(structured.document), structured.findings)
            }
            Err(e) => {
                let finding = Finding::new(
                    Severity::Error,
                    Rule::NarrativeUnreadable,
                    SourceRef::sheet(&document, ""),
                    messages::naskah::unreadable(&document, &e),
                );
                (Naskah::None, vec![finding])
            }
        },
    }
}

/// A piece of the narrative's text where a finding can name it: the file, the place in it
/// (`baris 73`, `BAB II › paragraf 14`) and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextAt {
    /// The file, relative to the unit folder.
    pub file: String,
    /// The place in it.
    pub place: String,
    /// The text there.
    pub text: String,
}

/// The narrative's text, line by line for Typst files (comments left out), paragraph by
/// paragraph for a document (list items, table cells and footnotes included).
pub fn text_pieces(naskah: &Naskah) -> Vec<TextAt> {
    match naskah {
        Naskah::None => Vec::new(),
        Naskah::Typst(files) => files
            .iter()
            .flat_map(|(rel, text)| {
                text.lines()
                    .enumerate()
                    .filter(|(_, line)| !line.trim_start().starts_with("//"))
                    .map(|(i, line)| TextAt {
                        file: rel.clone(),
                        place: messages::findings::narrative_line(i + 1),
                        text: line.to_string(),
                    })
            })
            .collect(),
        Naskah::Document(document) => {
            let mut out = Vec::new();
            let blocks = document
                .kata_pengantar
                .iter()
                .flatten()
                .chain(document.chapters.iter().flat_map(|c| &c.blocks));
            for block in blocks {
                document_text(document, block, 0, &mut out);
            }
            out
        }
    }
}

fn document_text(document: &Document, block: &Block, at: usize, out: &mut Vec<TextAt>) {
    let at = block.at().unwrap_or(at);
    let push = |inlines: &[Inline], out: &mut Vec<TextAt>| {
        let text = crate::model::naskah::plain_text(inlines);
        if !text.trim().is_empty() {
            out.push(TextAt {
                file: document.file.clone(),
                place: document.places.get(&at).cloned().unwrap_or_default(),
                text,
            });
        }
        for inline in inlines {
            if let Inline::Footnote { blocks } = inline {
                for b in blocks {
                    document_text(document, b, at, out);
                }
            }
        }
    };
    match block {
        Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => push(inlines, out),
        Block::List { items, .. } => {
            for b in items.iter().flatten() {
                document_text(document, b, at, out);
            }
        }
        Block::Grid { cells, caption, .. } => {
            if let Some(caption) = caption {
                push(caption, out);
            }
            for b in cells.iter().flat_map(|c| &c.blocks) {
                document_text(document, b, at, out);
            }
        }
        Block::Table { rows, caption, .. } => {
            if let Some(caption) = caption {
                push(caption, out);
            }
            for b in rows.iter().flatten().flat_map(|c| &c.blocks) {
                document_text(document, b, at, out);
            }
        }
        Block::Figure { caption, .. } => push(caption, out),
        Block::Verified { .. } | Block::PageBreak => {}
    }
}

/// The narrative document of a unit folder, if it has one: `naskah.docx` before `naskah.odt`.
pub fn document_in(unit_dir: &Path) -> Option<String> {
    DOCUMENT_FILES
        .iter()
        .find(|name| unit_dir.join(name).is_file())
        .map(|name| (*name).to_string())
}

/// Reads the document `name` of `unit_dir` by its extension.
pub fn read_document(unit_dir: &Path, name: &str) -> Result<Read, NaskahError> {
    let path = unit_dir.join(name);
    let io = |source| NaskahError::Io {
        path: name.to_string(),
        source,
    };
    let bytes = read_bounded(&path, MAX_DOCUMENT_BYTES).map_err(io)?;
    let bytes = bytes.map_err(|bytes| NaskahError::TooLarge {
        bytes,
        limit: MAX_DOCUMENT_BYTES,
    })?;
    if name.to_ascii_lowercase().ends_with(".odt") {
        odt::read(&bytes)
    } else {
        docx::read(&bytes)
    }
}

/// A file's bytes, or its size when it is larger than `limit`.
fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    let size = std::fs::metadata(path)?.len();
    if size > limit {
        return Ok(Err(size));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

/// The OLE compound file signature: an encrypted Office document, or a Word 97-2003 one.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Opens a document's zip, telling an encrypted document or an old `.doc` from other non-zips,
/// and refusing a zip that declares more than the workbooks' bound in all.
pub(crate) fn open_zip(
    bytes: &[u8],
) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>, NaskahError> {
    if bytes.starts_with(&CFB_MAGIC) {
        // An encrypted OOXML package is a compound file with an `EncryptedPackage` stream,
        // whose name is stored in UTF-16LE in the directory.
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        return Err(if memchr::memmem::find(bytes, &name).is_some() {
            NaskahError::Encrypted
        } else {
            NaskahError::LegacyWord
        });
    }
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(NaskahError::NotZip)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    let limit = crate::ingest::grid::MAX_UNCOMPRESSED_BYTES;
    if total > limit {
        return Err(NaskahError::PartTooLarge {
            part: "(seluruh arsip)".into(),
            limit,
        });
    }
    Ok(archive)
}

/// A part of the zip unpacked, at most `limit` bytes whatever its header declares; `None` when
/// the archive has no such part.
pub(crate) fn read_part(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    part: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, NaskahError> {
    let mut entry = match archive.by_name(part) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(NaskahError::Unpack {
                part: part.to_string(),
                source: std::io::Error::other(e),
            });
        }
    };
    let too_large = || NaskahError::PartTooLarge {
        part: part.to_string(),
        limit,
    };
    if entry.size() > limit {
        return Err(too_large());
    }
    let mut out = Vec::with_capacity(entry.size() as usize);
    (&mut entry)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|source| NaskahError::Unpack {
            part: part.to_string(),
            source,
        })?;
    if out.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(Some(out))
}

/// Why an embedded image cannot be printed: too large, or not an image Typst can decode; for
/// people. `None` when it can.
pub(crate) fn image_problem(name: &str, bytes: &[u8]) -> Option<String> {
    use typst::foundations::Bytes;
    use typst::visualize::{ExchangeFormat, RasterImage, SvgImage};
    let svg = name.to_ascii_lowercase().ends_with(".svg");
    let decoded = if svg {
        SvgImage::new(Bytes::new(bytes.to_vec()))
            .map(drop)
            .map_err(|e| format!("{e:?}"))
    } else {
        match ExchangeFormat::detect(bytes) {
            None => Err(crate::messages::config::IMAGE_FORMAT_UNKNOWN.to_string()),
            Some(format) => RasterImage::plain(Bytes::new(bytes.to_vec()), format)
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    };
    decoded
        .err()
        .map(|reason| crate::messages::naskah::image_unreadable(name, &reason))
}

/// An embedded image unpacked, at most [`MAX_IMAGE_BYTES`], checked to decode: its bytes, or
/// why it is not kept.
pub(crate) fn read_image(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    part: &str,
    kept_so_far: u64,
) -> Result<Vec<u8>, String> {
    let shown = part.rsplit('/').next().unwrap_or(part);
    let limit = MAX_IMAGE_BYTES.min(MAX_IMAGES_BYTES.saturating_sub(kept_so_far));
    match read_part(archive, part, limit) {
        Ok(Some(bytes)) => match image_problem(shown, &bytes) {
            None => Ok(bytes),
            Some(problem) => Err(problem),
        },
        Ok(None) => Err(crate::messages::naskah::image_missing(shown)),
        Err(NaskahError::PartTooLarge { .. }) => {
            let declared = archive.by_name(part).map(|e| e.size()).unwrap_or(0);
            Err(crate::messages::naskah::image_too_large(
                shown, declared, limit,
            ))
        }
        Err(e) => Err(crate::messages::naskah::image_unreadable(
            shown,
            &e.to_string(),
        )),
    }
}

/// The virtual path an embedded image is served at: numbered in the order the document shows
/// them, keeping the extension Typst detects formats by.
pub(crate) fn image_path(number: usize, part: &str) -> String {
    let ext = part
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| e.len() <= 4 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".into());
    format!("/naskah/gambar/{number}.{ext}")
}

/// Splits the text of a run on the line's whitespace rules of XML text: the readers keep every
/// character as written (spaces included), and only a paragraph's leading and trailing spaces
/// are dropped by [`structure`].
pub(crate) fn push_text(inlines: &mut Vec<crate::model::naskah::Inline>, text: &str, style: Style) {
    use crate::model::naskah::Inline;
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text {
        text: last,
        bold,
        italic,
        underline,
    }) = inlines.last_mut()
        && (*bold, *italic, *underline) == (style.bold, style.italic, style.underline)
    {
        last.push_str(text);
        return;
    }
    inlines.push(Inline::Text {
        text: text.to_string(),
        bold: style.bold,
        italic: style.italic,
        underline: style.underline,
    });
}

/// A run's character style.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Style {
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}
