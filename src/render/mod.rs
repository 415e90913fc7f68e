//! Stage 4: typesetting the Renstra PDF with the Typst templates in `templates/`, in-process.
//!
//! The verified data reaches Typst as data (`/data.json`), never spliced into markup, so whatever a
//! cell says (even `#read("/etc/passwd")`) prints literally. Money is formatted here in Rust, the
//! Indonesian way, because Typst has no locale-aware number display.

mod charts;
pub mod diagnose;
pub mod fonts;
pub mod templates;
pub mod worker;

pub use charts::facts;
mod world;

use std::borrow::Cow;
use std::collections::BTreeMap;

use std::path::Path;

use serde::Serialize;
use thiserror::Error;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::{Tanggal, UnitConfig};
use crate::messages;
use crate::model::TableId;
use crate::model::{Finding, Severity};
use crate::tables::{Kind, RowStyle, Shown, Table};

pub use world::{DATA_PATH, RenstraWorld};

/// The template every Renstra is compiled from.
pub const MAIN_TEMPLATE: &str = "/templates/renstra.typ";

/// The template of the Berita Acara Hasil Verifikasi and its lampiran.
pub const BERITA_ACARA_TEMPLATE: &str = "/templates/berita-acara.typ";

pub use crate::naskah::TYPST_FILES as NASKAH_FILES;

/// The unit's narrative files that exist, as (`naskah/bab-2.typ`, text), in document order.
pub fn read_naskah(unit_dir: &Path) -> Vec<(String, String)> {
    crate::naskah::read_typst(unit_dir)
}

/// Why a PDF could not be produced; the messages point at template or narrative lines.
#[derive(Debug, Error)]
pub enum RenderError {
    /// The world could not be set up.
    Setup(String),
    /// The main template's path is not a path inside the world.
    MainPath {
        /// The virtual path asked for.
        path: String,
        /// Why it is not one.
        source: typst::syntax::PathError,
    },
    /// Typst reported errors: every one it found, and every syntax problem of every narrative
    /// file, placed at file, line and column.
    Compile(Vec<diagnose::Diagnostic>),
    /// The data could not be serialized.
    Data(#[from] serde_json::Error),
    /// Typesetting ran past its bound (time or memory) in its worker and was stopped.
    Bound(worker::Stopped),
}

/// The document data handed to the templates.
#[derive(Debug, Serialize)]
pub struct DocumentData<'a> {
    /// The unit's configuration, as written.
    pub config: &'a UnitConfig,
    /// "2025-2026".
    pub periode: String,
    /// Paper name for Typst (`a4` or `folio`-like size in mm).
    pub kertas: PaperData,
    /// Which narrative files exist, by name (`bab-1` …).
    pub naskah: Vec<&'static str>,
    /// The tables, by id (`T-C.24` …): each the path of its virtual file in [`Self::tables`].
    pub tabel: BTreeMap<String, String>,
    /// Each table's data, serialized once into its own virtual file (`/data/tabel-<n>.json`):
    /// a change in one table leaves the memoized work on every other table valid, and no
    /// table is held as a JSON tree (which took 230 MB for 30,000 lines).
    #[serde(skip)]
    pub tables: VirtualFiles,
    /// Whether the document is still a draft, and why: served as its own virtual file
    /// ([`STATUS_PATH`]), like the charts and the facts, so a change of the findings' counts
    /// leaves `/data.json` (which every page's show rule reads) and the memoized work on it valid.
    #[serde(skip)]
    pub status: Status,
    /// The document date, from the configuration (never the clock).
    pub tanggal: DateData,
    /// The series the charts draw, from the verified tables ([`CHARTS_PATH`]).
    #[serde(skip)]
    pub grafik: charts::Charts,
    /// Figures the narrative quotes, by name (`jumlah-pegawai` …), from the verified tables
    /// ([`FACTS_PATH`]).
    #[serde(skip)]
    pub fakta: BTreeMap<String, String>,
    /// The organisation charts `#struktur` draws, from the positions sheet.
    pub struktur: &'a [crate::derive::organisation::Chart],
    /// The path of the narrative document's virtual file ([`NASKAH_DOCUMENT_PATH`]) when the
    /// narrative is `naskah.docx`/`naskah.odt`; its blocks are data there, never markup.
    pub dokumen: Option<&'static str>,
}

/// Where the narrative read from a Word or Writer document is served to the templates.
pub const NASKAH_DOCUMENT_PATH: &str = "/data/naskah.json";

impl DocumentData<'_> {
    /// The data with the narrative document's blocks (and its images) among its files.
    pub fn with_document(mut self, document: Option<&crate::model::naskah::Document>) -> Self {
        let Some(document) = document else {
            return self;
        };
        // Its text's unprintable characters are replaced as the cells' are.
        self.tables
            .insert(NASKAH_DOCUMENT_PATH.to_string(), json_of(document));
        for (path, bytes) in &document.images {
            self.tables.insert(path.clone(), bytes.clone());
        }
        self.dokumen = Some(NASKAH_DOCUMENT_PATH);
        self
    }
}

/// Draft status: while error-level findings remain, every page says DRAF and the cover says why.
#[derive(Debug, Serialize)]
pub struct Status {
    /// True while an error-level finding remains.
    pub draf: bool,
    /// Number of error-level findings.
    pub kesalahan: usize,
    /// Number of warnings.
    pub peringatan: usize,
}

/// A calendar date for the document's metadata.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct DateData {
    /// Year.
    pub tahun: i32,
    /// Month, 1-12.
    pub bulan: u8,
    /// Day, 1-31.
    pub hari: u8,
}

impl DateData {
    /// The document's date from the configuration (`24 Januari 2024`, `Januari 2024`, `2024`); a
    /// part that is not given is the first (1 January). Without a year, the year before the plan
    /// period.
    pub fn from_config(config: &UnitConfig) -> DateData {
        DateData::of(&config.dokumen.tanggal, config)
    }

    /// A configured date, completed the same way.
    pub fn of(tanggal: &Tanggal, config: &UnitConfig) -> DateData {
        DateData {
            tahun: tanggal.tahun.unwrap_or(config.periode.awal - 1),
            bulan: tanggal.bulan.unwrap_or(1),
            hari: tanggal.hari.unwrap_or(1),
        }
    }
}

/// Paper dimensions for the template.
#[derive(Debug, Serialize)]
pub struct PaperData {
    /// Width in millimetres.
    pub lebar_mm: u32,
    /// Height in millimetres.
    pub tinggi_mm: u32,
}

/// A table cell as the template sees it: text to print and its state.
#[derive(Debug, Serialize)]
pub struct CellData {
    /// `nilai`, `kosong`, `catatan`, `tidak-terverifikasi`, `usulan` or `dihitung-ulang`.
    pub s: &'static str,
    /// Text, already formatted the Indonesian way.
    pub t: String,
    /// For a proposed reading or a recomputed figure: its number among the table's marked cells
    /// and the source's text, which the note under the table prints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub w: Option<(usize, String)>,
}

impl CellData {
    fn of(shown: &Shown, decimals: u32, proposals: &mut usize) -> CellData {
        let w = shown.written().map(|w| {
            *proposals += 1;
            (*proposals, w.to_string())
        });
        CellData {
            t: printable_text(&shown.display(decimals)).into_owned(),
            s: shown.state(),
            w: w.map(|(n, text)| (n, printable_text(&text).into_owned())),
        }
    }
}

/// A table column for the template.
#[derive(Debug, Serialize)]
pub struct ColumnData<'a> {
    /// The merged group header above it, if any.
    pub grup: Option<Cow<'a, str>>,
    /// `text`, `money`, `number` or `percent`.
    pub jenis: Kind,
    /// Its header.
    pub judul: Cow<'a, str>,
    /// Relative width.
    pub lebar: u16,
    /// The longest texts of the column that must not break (a whole figure or code with the mark
    /// a cell prints before it, or the longest words of a name or of the header), at most
    /// [`WIDEST_CANDIDATES`] by character count: the template measures each, so the column is
    /// never narrower than its content whatever the letters' widths.
    pub terpanjang: Vec<Widest>,
}

/// A text a column must hold on one line, and the mark printed before it in superscript.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Widest {
    /// The text.
    pub t: String,
    /// `‡12`, `*3` or nothing.
    pub tanda: String,
}

/// A table row for the template.
#[derive(Debug, Serialize)]
pub struct RowData {
    /// `normal`, `strong` or `total`.
    pub gaya: RowStyle,
    /// Indent level of its name.
    pub inden: u8,
    /// One cell per column.
    pub sel: Vec<CellData>,
}

/// A table in template form (see [`table_data`]).
#[derive(Debug, Serialize)]
pub struct TableData<'a> {
    // Fields in name order: the JSON the templates read is the same, key for key, as when it
    // was a sorted map.
    /// The rows.
    pub baris: Vec<RowData>,
    /// `T-C.24`, `Tabel 1` …
    pub id: &'a TableId,
    /// Its title.
    pub judul: Cow<'a, str>,
    /// The rows grouped under a category, and the columns merged over a group (Tabel 1, 2).
    pub kelompok: Option<Grouping>,
    /// The columns.
    pub kolom: Vec<ColumnData<'a>>,
    /// Runs of columns under one merged header: first, last, the header if any.
    pub rentang: Vec<(usize, usize, Option<Cow<'a, str>>)>,
}

/// Which column defines a table's row groups, and which columns are merged over each group.
#[derive(Debug, Serialize)]
pub struct Grouping {
    /// The columns printed once over a group's rows.
    pub gabung: [usize; 2],
    /// The column whose equal values make a group.
    pub kolom: usize,
}

/// A table in template form: every figure already formatted the Indonesian way, every
/// character no font has already replaced (see [`printable_text`]).
pub fn table_data(table: &Table) -> TableData<'_> {
    let mut kolom: Vec<ColumnData> = table
        .columns
        .iter()
        .map(|c| ColumnData {
            grup: c.group.as_deref().map(printable_text),
            judul: printable_text(&c.header),
            jenis: c.kind,
            lebar: c.width,
            terpanjang: c
                .header
                .split_whitespace()
                .map(|w| Widest {
                    t: printable_text(w).into_owned(),
                    tanda: String::new(),
                })
                .collect(),
        })
        .collect();
    let mut proposals = 0;
    let baris: Vec<RowData> = table
        .rows
        .iter()
        .map(|r| RowData {
            gaya: r.style,
            inden: r.depth,
            sel: r
                .cells
                .iter()
                .zip(&table.columns)
                .map(|(cell, col)| {
                    let decimals = cell.shown.value().map_or(2, |v| col.kind.decimals(v));
                    CellData::of(&cell.shown, decimals, &mut proposals)
                })
                .collect(),
        })
        .collect();
    for row in &baris {
        for (cell, column) in row.sel.iter().zip(kolom.iter_mut()) {
            column.terpanjang.push(unbreakable(cell, column.jenis));
        }
    }
    for column in &mut kolom {
        keep_widest(&mut column.terpanjang);
    }
    TableData {
        id: &table.id,
        judul: printable_text(&table.title),
        kelompok: grouping(table),
        kolom,
        rentang: table
            .group_spans()
            .into_iter()
            .map(|(a, b, g)| (a, b, g.map(printable_text)))
            .collect(),
        baris,
    }
}

/// Tabel 1 and Tabel 2 list their rows under a category (Pendidikan Terakhir, SARANA), as the
/// seed prints them: the category and the row number are printed once, over the rows of their
/// group. The column that defines the groups and the columns merged over them.
fn grouping(table: &Table) -> Option<Grouping> {
    match table.id {
        TableId::Tabel1 | TableId::Tabel2 if table.columns.len() > 2 => Some(Grouping {
            kolom: 1,
            gabung: [0, 1],
        }),
        _ => None,
    }
}

/// How many of a column's longest texts the template measures.
pub const WIDEST_CANDIDATES: usize = 4;

/// The [`WIDEST_CANDIDATES`] distinct texts with the most characters, longest first (ties in
/// text order, so the data is the same for the same table).
fn keep_widest(texts: &mut Vec<Widest>) {
    let length = |w: &Widest| w.t.chars().count() + w.tanda.chars().count();
    texts.sort_by(|a, b| length(b).cmp(&length(a)).then_with(|| a.cmp(b)));
    texts.dedup();
    texts.truncate(WIDEST_CANDIDATES);
}

/// The longest whitespace-separated word of `text`.
fn longest_word(text: &str) -> String {
    text.split_whitespace()
        .max_by_key(|w| w.chars().count())
        .unwrap_or_default()
        .to_string()
}

/// What of a cell must stay on one line: a figure whole, with the mark printed before it
/// (`‡12`, `*3`); in a text column, or for words in a figure column, its longest word.
fn unbreakable(cell: &CellData, kind: Kind) -> Widest {
    let tanda = match (&cell.w, cell.s) {
        (Some((n, _)), "usulan") => format!("‡{n}"),
        (Some((n, _)), _) => format!("*{n}"),
        (None, "usulan") => "‡".into(),
        _ => String::new(),
    };
    let dagger = if cell.s == "tidak-terverifikasi" {
        "†"
    } else {
        ""
    };
    // Words (a note such as "Mengalami Refocusing") may wrap even in a figure column.
    if kind == Kind::Text || cell.s == "catatan" {
        Widest {
            t: format!("{}{dagger}", longest_word(&cell.t)),
            tanda,
        }
    } else {
        Widest {
            t: format!("{}{dagger}", cell.t),
            tanda,
        }
    }
}

/// A table's template data as JSON. Serializing plain structs into bytes cannot fail.
fn table_json(table: &Table) -> Vec<u8> {
    let data = table_data(table);
    // invariant: `TableData` holds strings, numbers, tuples and `Option`s only, with string
    // keys: serde_json serializes such values infallibly.
    serde_json::to_vec(&data).expect("table data serializes")
}

/// Data a template reads: `/data.json` is its serialization, and [`TemplateData::files`] any
/// virtual files besides it (the tables, each in its own).
pub trait TemplateData: Serialize {
    /// Virtual files besides `/data.json`, by path.
    fn files(&self) -> VirtualFiles {
        BTreeMap::new()
    }
}

/// Where [`DocumentData::status`] is served.
pub const STATUS_PATH: &str = "/data/status.json";
/// Where [`DocumentData::grafik`] is served.
pub const CHARTS_PATH: &str = "/data/grafik.json";
/// Where [`DocumentData::fakta`] is served.
pub const FACTS_PATH: &str = "/data/fakta.json";

impl TemplateData for DocumentData<'_> {
    fn files(&self) -> VirtualFiles {
        let mut files = self.tables.clone();
        files.insert(STATUS_PATH.into(), json_of(&self.status));
        files.insert(CHARTS_PATH.into(), json_of(&self.grafik));
        files.insert(FACTS_PATH.into(), json_of(&self.fakta));
        files
    }
}

/// A part of the data as its own JSON file, its unprintable characters replaced as in
/// `/data.json` (see [`replace_unprintable`]).
fn json_of(value: &impl Serialize) -> Vec<u8> {
    // invariant: the parts served so (`Status`, `Charts`, a map with string keys, the narrative
    // document) hold numbers, strings, booleans, vectors and `Option`s only, with string keys:
    // serde_json serializes them infallibly, into a value and from one.
    let mut value = serde_json::to_value(value).expect("template data serializes");
    replace_unprintable(&mut value);
    serde_json::to_vec(&value).expect("template data serializes")
}

impl TemplateData for serde_json::Value {}

/// Assembles the data the templates read.
pub fn document_data<'a>(
    config: &'a UnitConfig,
    unit_dir: &Path,
    tables: &[Table],
    organisation: &'a crate::derive::organisation::Organisation,
    findings: &[Finding],
) -> DocumentData<'a> {
    let naskah = NASKAH_FILES
        .iter()
        .copied()
        .filter(|n| unit_dir.join("naskah").join(format!("{n}.typ")).is_file())
        .collect();
    let mut tabel = BTreeMap::new();
    let mut files = BTreeMap::new();
    for (i, t) in tables.iter().enumerate() {
        let path = format!("/data/tabel-{i}.json");
        files.insert(path.clone(), table_json(t));
        tabel.insert(t.id.to_string(), path);
    }
    let (lebar_mm, tinggi_mm) = config.dokumen.kertas.millimetres();
    DocumentData {
        config,
        periode: format!("{}-{}", config.periode.awal, config.periode.akhir),
        kertas: PaperData {
            lebar_mm,
            tinggi_mm,
        },
        naskah,
        tabel,
        tables: files,
        status: Status {
            draf: findings.iter().any(|f| f.severity == Severity::Error),
            kesalahan: findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count(),
            peringatan: findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .count(),
        },
        tanggal: DateData::from_config(config),
        grafik: charts::Charts::from_tables(tables),
        fakta: charts::facts(tables),
        struktur: &organisation.charts,
        dokumen: None,
    }
}

/// The Typst worlds of one unit, kept between its builds (as typst-cli's watch keeps its world):
/// the embedded fonts stay loaded, and a re-render resets the files and reuses Typst's memoized
/// work on everything that did not change. One world per document (the Renstra, the Berita
/// Acara); a world is made anew when the templates folder, the unit or its fonts changed.
/// With bounds ([`Worlds::bounded`]) every document is typeset in a bounded child instead
/// ([`worker`]), and nothing is kept.
#[derive(Default)]
pub struct Worlds {
    kept: BTreeMap<String, RenstraWorld>,
    bounds: Option<worker::Bounds>,
    deadline: crate::bounded::Deadline,
    /// With bounds, whether the typesetting child is kept between builds ([`Worlds::kept_child`]).
    keep_child: bool,
    child: Option<worker::Kept>,
    /// Time spent waiting for the batch's memory since [`Worlds::take_waited`] was last called.
    waited: std::time::Duration,
}

impl Worlds {
    /// Worlds that typeset in a bounded child when `bounds` is given (the CLI's case), in
    /// process otherwise.
    pub fn bounded(bounds: Option<worker::Bounds>) -> Worlds {
        Worlds {
            kept: BTreeMap::new(),
            bounds,
            deadline: crate::bounded::Deadline::none(),
            keep_child: false,
            child: None,
            waited: std::time::Duration::ZERO,
        }
    }

    /// How long typesetting waited for the batch's memory (see [`worker::Bounds::budget`])
    /// since the last call: the time a document's stage spent not typesetting.
    pub fn take_waited(&mut self) -> std::time::Duration {
        std::mem::take(&mut self.waited)
    }

    /// Worlds that typeset in one bounded child kept between builds (`watch`): the child keeps
    /// its Typst worlds, so a re-render after a change reuses the memoized work on everything
    /// that did not change, under the same bounds as a one-off child.
    pub fn kept_child(bounds: worker::Bounds) -> Worlds {
        Worlds {
            keep_child: true,
            ..Worlds::bounded(Some(bounds))
        }
    }

    /// Ends the kept child, if any (its memory is returned; the next build starts a new one).
    pub fn release_child(&mut self) {
        self.child = None;
    }

    /// Whether a typesetting child is kept now.
    pub fn has_child(&self) -> bool {
        self.child.is_some()
    }

    /// Sets when the current unit's build must be over: a bounded typesetter gets no more than
    /// the time left (see [`crate::bounded::Deadline`]).
    pub fn set_deadline(&mut self, deadline: crate::bounded::Deadline) {
        self.deadline = deadline;
    }

    /// Compiles `main` with `data` into PDF bytes, in the kept world for `main` when it serves
    /// these folders.
    pub fn render(
        &mut self,
        templates: &Path,
        unit_dir: &Path,
        main: &str,
        data: &impl TemplateData,
        date: DateData,
    ) -> Result<Vec<u8>, RenderError> {
        if let Some(bounds) = &self.bounds {
            let bounds = worker::Bounds {
                timeout: self.deadline.cap(bounds.timeout),
                ..bounds.clone()
            };
            if self.keep_child {
                return worker::render_kept(
                    &mut self.child,
                    &bounds,
                    (templates, unit_dir),
                    main,
                    data,
                    date,
                );
            }
            return worker::render_bounded(
                &bounds,
                (templates, unit_dir),
                main,
                data,
                date,
                &mut self.waited,
            );
        }
        match self.kept.get_mut(main) {
            Some(world) if world.serves(templates, unit_dir) => {
                update_world(world, data)?;
                pdf_of(world, date)
            }
            _ => {
                let mut world = world_for(templates, unit_dir, main, data)?;
                let pdf = pdf_of(&mut world, date);
                self.kept.insert(main.to_string(), world);
                pdf
            }
        }
    }
}

/// Compiles `main` with `data` and returns the PDF bytes.
pub fn render_pdf(
    templates: &Path,
    unit_dir: &Path,
    main: &str,
    data: &impl TemplateData,
    date: DateData,
) -> Result<Vec<u8>, RenderError> {
    Worlds::default().render(templates, unit_dir, main, data, date)
}

/// Compiles the world's document and exports it as PDF/A-2b dated `date`: a fixed date and a
/// stable identifier make the same inputs give the same bytes.
pub fn pdf_of(world: &mut RenstraWorld, date: DateData) -> Result<Vec<u8>, RenderError> {
    let document = compile(world)?;
    let datetime = Datetime::from_ymd(date.tahun, date.bulan, date.hari)
        .ok_or_else(|| RenderError::Setup(messages::errors::bad_document_date(date)))?;
    let options = PdfOptions {
        ident: Smart::Custom("renstra".into()),
        timestamp: Some(Timestamp::new_utc(datetime)),
        standards: PdfStandards::new(&[PdfStandard::A_2b])
            .map_err(|e| RenderError::Setup(format!("{e:?}")))?,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| RenderError::Compile(diagnose::diagnose(world, &errors)))
}

/// Compiles `main` with `data` into a laid-out document (for inspection, e.g. by tests).
pub fn render_document(
    templates: &Path,
    unit_dir: &Path,
    main: &str,
    data: &impl TemplateData,
) -> Result<PagedDocument, RenderError> {
    compile(&mut world_for(templates, unit_dir, main, data)?)
}

/// A world for `main` with `data`, kept by callers that re-render after small changes.
pub fn world_for(
    templates: &Path,
    unit_dir: &Path,
    main: &str,
    data: &impl TemplateData,
) -> Result<RenstraWorld, RenderError> {
    let (json, tables) = split_data(data)?;
    prepared_world(templates, unit_dir, main, json, tables)
}

/// A world for `main` with data already serialized (`/data.json` and the other virtual files):
/// the typesetting worker receives it so.
pub(crate) fn prepared_world(
    templates: &Path,
    unit_dir: &Path,
    main: &str,
    json: Vec<u8>,
    files: VirtualFiles,
) -> Result<RenstraWorld, RenderError> {
    // A fixed "today" keeps output byte-identical; documents carry their own date in the config.
    let today = Datetime::from_ymd(2000, 1, 1);
    RenstraWorld::new(templates, unit_dir, main, json, files, today)
}

/// Replaces the data of a kept world (see [`world_for`]).
pub fn update_world(world: &mut RenstraWorld, data: &impl TemplateData) -> Result<(), RenderError> {
    let (json, tables) = split_data(data)?;
    world.set_data(json, tables);
    Ok(())
}

/// Virtual files by path, besides `/data.json`.
pub type VirtualFiles = BTreeMap<String, Vec<u8>>;

/// The data as `/data.json`, with each table of its `tabel` map moved to its own virtual file
/// (`/data/tabel-<n>.json`, the map then naming the file): a change in one table then leaves the
/// memoized work on every other table valid.
/// Data given as one JSON tree (tests build such) has its tables moved out the same way.
pub(crate) fn split_data(data: &impl TemplateData) -> Result<(Vec<u8>, VirtualFiles), RenderError> {
    let mut value = serde_json::to_value(data)?;
    replace_unprintable(&mut value);
    let mut files = data.files();
    if let Some(serde_json::Value::Object(tables)) = value.get_mut("tabel") {
        for (i, table) in tables.values_mut().enumerate() {
            if table.is_string() {
                continue;
            }
            let path = format!("/data/tabel-{i}.json");
            files.insert(path.clone(), serde_json::to_vec(table)?);
            *table = serde_json::Value::String(path);
        }
    }
    Ok((serde_json::to_vec(&value)?, files))
}

/// Whether one of the fonts compiled into renstra has a glyph for `c`: a character none has
/// (an emoji, CJK text, a control character) would fail the PDF/A export of the whole document.
pub fn printable(c: char) -> bool {
    static COVERAGE: std::sync::LazyLock<Vec<typst::text::Coverage>> =
        std::sync::LazyLock::new(|| {
            fonts::compiled()
                .map(|(_, info)| info.coverage.clone())
                .collect()
        });
    matches!(c, '\n' | '\t') || COVERAGE.iter().any(|cov| cov.contains(c as u32))
}

/// What prints in place of a character no font has: a white square, visible and printable.
pub const REPLACEMENT: char = '□';

/// `text` with every character no font has replaced by [`REPLACEMENT`].
pub fn printable_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(printable) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(
            text.chars()
                .map(|c| if printable(c) { c } else { REPLACEMENT })
                .collect(),
        )
    }
}

/// Every string of the data with its unprintable characters replaced, so one emoji in a cell,
/// a file name or renstra.toml prints as a square instead of failing the document (the
/// TEXT-UNPRINTABLE finding names the cell).
fn replace_unprintable(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let std::borrow::Cow::Owned(fixed) = printable_text(s) {
                *s = fixed;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(replace_unprintable),
        serde_json::Value::Object(map) => map.values_mut().for_each(replace_unprintable),
        _ => {}
    }
}

fn compile(world: &mut RenstraWorld) -> Result<PagedDocument, RenderError> {
    let output = typst::compile::<PagedDocument>(world).output;
    output.map_err(|errors| RenderError::Compile(diagnose::diagnose(world, &errors)))
}

/// The text of each page in layout order, whitespace collapsed: what a reader (or `pdftotext`)
/// sees, for checking content without an external tool.
pub fn page_texts(document: &PagedDocument) -> Vec<String> {
    fn walk(frame: &typst::layout::Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => walk(&g.frame, out),
                typst::layout::FrameItem::Text(t) => {
                    out.push_str(&t.text);
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    document
        .pages()
        .iter()
        .map(|page| {
            let mut text = String::new();
            walk(&page.frame, &mut text);
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}
