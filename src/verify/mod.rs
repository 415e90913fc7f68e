//! Stage 5: the Berita Acara Hasil Verifikasi. Every chapter and sub-chapter of the systematics
//! gets a verdict ("Sesuai" / "Kurang Sesuai") and a recommendation in Bahasa Indonesia, decided by
//! what a machine can check — the narrative's structure against the systematics, the legal basis
//! against the required regulations, content a sub-chapter must mention, and every error or
//! warning finding, mapped to the chapter whose table it concerns — then overridden row by row by
//! the verifier's own notes (`verifikasi.toml` in the unit folder).

pub mod lampiran;
pub mod narrative;
pub mod recommend;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use thiserror::Error;

use crate::config::{Bagian, Tanggal, Verifikasi};
use crate::messages;
use crate::model::naskah::{self, Block, Document, Naskah};
use crate::model::{Coverage, FileReport, Finding, Severity, SourceRef, TableId, Tally};
use crate::tables::Table;

/// The verifier's notes file in a unit folder.
pub const NOTES_FILE: &str = "verifikasi.toml";

/// A verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kesesuaian {
    /// Conforms.
    #[serde(rename = "Sesuai")]
    Sesuai,
    /// Needs work.
    #[serde(rename = "Kurang Sesuai")]
    KurangSesuai,
    /// Does not conform.
    #[serde(rename = "Tidak Sesuai")]
    TidakSesuai,
}

/// One row of the Berita Acara table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Baris {
    /// "I", "1.2" …
    pub nomor: String,
    /// The muatan substansi.
    pub judul: String,
    /// True for a chapter row.
    pub bab: bool,
    /// The verdict.
    pub kesesuaian: Kesesuaian,
    /// What to do, one item per reason; empty when conforming.
    pub rekomendasi: Vec<String>,
    /// True when the verifier's notes decided this row.
    pub oleh_verifikator: bool,
}

/// A finding as the lampiran lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LampiranTemuan {
    /// The chapter or sub-chapter it belongs to ("2.3"), or "-" when none.
    pub bagian: String,
    /// The table it concerns, or "-".
    pub tabel: String,
    /// Galat / peringatan / info.
    pub tingkat: String,
    /// Rule id.
    pub aturan: String,
    /// file › sheet › cell.
    pub letak: String,
    /// Value written.
    pub tertulis: String,
    /// Value expected.
    pub seharusnya: String,
    /// Message.
    pub pesan: String,
}

/// The decided Berita Acara with its first lampiran.
#[derive(Debug, Clone, Serialize)]
pub struct BeritaAcara {
    /// The table rows, in systematics order.
    pub baris: Vec<Baris>,
    /// Every finding, grouped by chapter and table (systematics order, then workbook order).
    pub temuan: Vec<LampiranTemuan>,
    /// Notes in the verifier's file that name no row of the systematics.
    pub catatan_tak_terpakai: Vec<String>,
}

/// The most error and warning findings Lampiran 1 of the Berita Acara PDF prints (about a
/// hundred landscape pages). A unit with more (a workbook whose every code is malformed) gets
/// the first ones and a line saying how many more there are and where: every finding is in
/// the lampiran workbook and in temuan.csv, and typesetting all of them (340,000 at the row
/// bound) ran past the typesetter's memory bound.
pub const MAX_PRINTED_FINDINGS: usize = 2_000;

/// The Berita Acara as its PDF prints it: Lampiran 1 bounded to [`MAX_PRINTED_FINDINGS`].
#[derive(Debug, Serialize)]
pub struct PrintedBeritaAcara<'a> {
    /// The table rows, in systematics order.
    pub baris: &'a [Baris],
    /// The error and warning findings printed, in the lampiran's order.
    pub temuan: Vec<&'a LampiranTemuan>,
    /// Error and warning findings beyond [`MAX_PRINTED_FINDINGS`], not printed.
    pub tidak_dicetak: usize,
    /// When some are not printed, the sentence under the table that says how many and where
    /// they are.
    pub catatan_batas: Option<String>,
    /// Info findings, which only the workbook lists.
    pub info: usize,
    /// Notes in the verifier's file that name no row of the systematics.
    pub catatan_tak_terpakai: &'a [String],
}

impl BeritaAcara {
    /// What the PDF prints of it (see [`PrintedBeritaAcara`]).
    pub fn printed(&self) -> PrintedBeritaAcara<'_> {
        let signed: Vec<&LampiranTemuan> = self
            .temuan
            .iter()
            .filter(|t| t.tingkat != crate::model::Severity::Info.label())
            .collect();
        let info = self.temuan.len() - signed.len();
        let tidak_dicetak = signed.len().saturating_sub(MAX_PRINTED_FINDINGS);
        PrintedBeritaAcara {
            baris: &self.baris,
            temuan: signed.into_iter().take(MAX_PRINTED_FINDINGS).collect(),
            tidak_dicetak,
            catatan_batas: (tidak_dicetak > 0).then(|| {
                messages::berita_acara::findings_not_printed(MAX_PRINTED_FINDINGS, tidak_dicetak)
            }),
            info,
            catatan_tak_terpakai: &self.catatan_tak_terpakai,
        }
    }
}

/// A row of the verifier's notes file.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Catatan {
    /// "2.4", "IV" …
    pub bagian: String,
    /// The verdict.
    pub kesesuaian: Kesesuaian,
    /// The recommendation, if any.
    #[serde(default)]
    pub rekomendasi: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotesFile {
    #[serde(default)]
    catatan: Vec<Catatan>,
}

/// Why the verifier's notes could not be used.
#[derive(Debug, Error)]
pub enum NotesError {
    /// The file could not be read.
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has wrong keys or values.
    Invalid {
        /// The file.
        path: String,
        /// Its text, to show the line the error is on.
        text: String,
        /// What TOML and serde said (boxed: it is large, and rare).
        source: Box<toml::de::Error>,
    },
}

/// The verifier's notes of a unit, if it has a notes file.
pub fn load_notes(unit_dir: &Path) -> Result<Vec<Catatan>, NotesError> {
    let path = unit_dir.join(NOTES_FILE);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| NotesError::Read {
        path: shown.clone(),
        source,
    })?;
    match toml::from_str::<NotesFile>(&text) {
        Ok(file) => Ok(file.catatan),
        Err(source) => Err(NotesError::Invalid {
            path: shown,
            text,
            source: Box::new(source),
        }),
    }
}

/// The headings of the narrative: per chapter number, its level-1 heading and level-2 headings
/// with their text, as written in `naskah/bab-N.typ`.
#[derive(Debug, Default)]
pub struct Narrative {
    chapters: BTreeMap<usize, Chapter>,
}

#[derive(Debug, Default)]
struct Chapter {
    title: String,
    text: String,
    sections: Vec<(String, String)>,
}

fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The narrative's chapters for the structure and content checks, from `naskah/bab-N.typ` or
/// from the chapters of `naskah.docx`: the same titles, sub-chapter headings and text either
/// way. A chapter that is missing is simply absent (the systematics check reports it).
pub fn read_narrative(naskah: &Naskah) -> Narrative {
    match naskah {
        Naskah::None => Narrative::default(),
        Naskah::Typst(files) => narrative_of_typst(files),
        Naskah::Document(document) => narrative_of_document(document),
    }
}

fn narrative_of_typst(files: &[(String, String)]) -> Narrative {
    let mut narrative = Narrative::default();
    for n in 1..=8 {
        let rel = format!("naskah/bab-{n}.typ");
        let Some((_, text)) = files.iter().find(|(r, _)| *r == rel) else {
            continue;
        };
        let mut chapter = Chapter {
            text: squash(text),
            ..Chapter::default()
        };
        for line in text.lines() {
            let line = line.trim_start();
            if let Some(h) = line.strip_prefix("== ") {
                chapter.sections.push((squash(h), String::new()));
            } else if let Some(h) = line.strip_prefix("= ") {
                chapter.title = squash(h);
            } else if let Some((_, body)) = chapter.sections.last_mut() {
                body.push(' ');
                body.push_str(&line.to_lowercase());
            }
        }
        narrative.chapters.insert(n, chapter);
    }
    narrative
}

fn narrative_of_document(document: &Document) -> Narrative {
    let mut narrative = Narrative::default();
    for c in document
        .chapters
        .iter()
        .filter(|c| (1..=8).contains(&c.number))
    {
        if narrative.chapters.contains_key(&usize::from(c.number)) {
            continue;
        }
        let mut chapter = Chapter {
            title: squash(&c.title),
            ..Chapter::default()
        };
        let mut all = c.title.clone();
        for block in &c.blocks {
            let text = block_text(block);
            all.push(' ');
            all.push_str(&text);
            match block {
                Block::Heading { level: 2, .. } => {
                    chapter.sections.push((squash(&text), String::new()));
                }
                _ => {
                    if let Some((_, body)) = chapter.sections.last_mut() {
                        body.push(' ');
                        body.push_str(&text.to_lowercase());
                    }
                }
            }
        }
        chapter.text = squash(&all);
        narrative.chapters.insert(usize::from(c.number), chapter);
    }
    narrative
}

/// All the text of a block, its lists, cells and footnotes included; a verified table by its
/// id, as `#tabel("T-C.24")` reads in a Typst chapter.
fn block_text(block: &Block) -> String {
    let inline_text = |inlines: &[naskah::Inline]| {
        let mut out = naskah::plain_text(inlines);
        for inline in inlines {
            if let naskah::Inline::Footnote { blocks } = inline {
                for b in blocks {
                    out.push(' ');
                    out.push_str(&block_text(b));
                }
            }
        }
        out
    };
    let join = |blocks: &mut dyn Iterator<Item = &Block>| {
        blocks.map(block_text).collect::<Vec<_>>().join(" ")
    };
    match block {
        Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => inline_text(inlines),
        Block::List { items, .. } => join(&mut items.iter().flatten()),
        Block::Grid { cells, caption, .. } => {
            let caption = caption.as_deref().map(inline_text).unwrap_or_default();
            caption + " " + &join(&mut cells.iter().flat_map(|c| &c.blocks))
        }
        Block::Table { rows, caption, .. } => {
            let caption = caption.as_deref().map(inline_text).unwrap_or_default();
            caption + " " + &join(&mut rows.iter().flatten().flat_map(|c| &c.blocks))
        }
        Block::Figure { caption, .. } => inline_text(caption),
        Block::Verified { table } => format!("#tabel(\"{table}\")"),
        Block::PageBreak => String::new(),
    }
}

fn matches_any(text: &str, words: &[String]) -> bool {
    words.iter().any(|w| text.contains(&w.to_lowercase()))
}

/// The table each workbook sheet feeds, for mapping findings to chapters.
fn tables_by_sheet(tables: &[Table]) -> BTreeMap<(String, String), TableId> {
    let mut map = BTreeMap::new();
    for t in tables {
        for row in &t.rows {
            if let Some(src) = &row.source {
                map.entry((src.file.to_string(), src.sheet.to_string()))
                    .or_insert_with(|| t.id.clone());
            }
        }
    }
    map
}

fn table_of(map: &BTreeMap<(String, String), TableId>, src: &SourceRef) -> Option<TableId> {
    map.get(&(src.file.to_string(), src.sheet.to_string()))
        .cloned()
}

/// Decides the Berita Acara of a unit.
pub fn decide(
    config: &Verifikasi<Tanggal>,
    narrative: &Narrative,
    tables: &[Table],
    findings: &[Finding],
    notes: &[Catatan],
) -> BeritaAcara {
    let sheet_tables = tables_by_sheet(tables);
    let finding_table: Vec<Option<TableId>> = findings
        .iter()
        .map(|f| f.sources.first().and_then(|s| table_of(&sheet_tables, s)))
        .collect();
    let mut baris = automatic_verdicts(config, narrative, (tables, findings, &finding_table));
    let unused = apply_notes(&mut baris, notes);
    BeritaAcara {
        baris,
        temuan: lampiran_findings(config, findings, &finding_table),
        catatan_tak_terpakai: unused,
    }
}

/// A row per chapter and sub-chapter of the systematics, "Sesuai" unless a check found a reason.
fn automatic_verdicts(
    config: &Verifikasi<Tanggal>,
    narrative: &Narrative,
    (tables, findings, finding_table): (&[Table], &[Finding], &[Option<TableId>]),
) -> Vec<Baris> {
    let mut last_position: BTreeMap<usize, usize> = BTreeMap::new();
    config
        .sistematika
        .iter()
        .map(|bagian| {
            let mut reasons = Vec::new();
            structure(bagian, narrative, &mut last_position, &mut reasons);
            if bagian.dasar_hukum {
                legal_basis(config, narrative, bagian, &mut reasons);
            }
            content(bagian, narrative, &mut reasons);
            table_findings(bagian, (tables, findings, finding_table), &mut reasons);
            Baris {
                nomor: bagian.nomor.clone(),
                judul: bagian.judul.clone(),
                bab: bagian.is_chapter(),
                kesesuaian: if reasons.is_empty() {
                    Kesesuaian::Sesuai
                } else {
                    Kesesuaian::KurangSesuai
                },
                rekomendasi: reasons.iter().map(|r| printable(&named_rules(r))).collect(),
                oleh_verifikator: false,
            }
        })
        .collect()
}

/// The verifier's notes decide their rows; a note for a row the systematics does not have is
/// returned as a sentence saying so.
fn apply_notes(baris: &mut [Baris], notes: &[Catatan]) -> Vec<String> {
    let mut unused = Vec::new();
    for note in notes {
        match baris.iter_mut().find(|b| b.nomor == note.bagian.trim()) {
            Some(row) => {
                row.kesesuaian = note.kesesuaian;
                row.rekomendasi = if note.rekomendasi.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![note.rekomendasi.trim().to_string()]
                };
                row.oleh_verifikator = true;
            }
            None => unused.push(messages::berita_acara::unused_note(&note.bagian)),
        }
    }
    unused
}

/// Lampiran 1: every finding with the section and table it belongs to, in the systematics' order.
fn lampiran_findings(
    config: &Verifikasi<Tanggal>,
    findings: &[Finding],
    finding_table: &[Option<TableId>],
) -> Vec<LampiranTemuan> {
    let section_of = |table: &TableId| {
        config
            .sistematika
            .iter()
            .find(|b| b.tabel.contains(table))
            .map(|b| b.nomor.clone())
    };
    let order = |f: &LampiranTemuan| {
        config
            .sistematika
            .iter()
            .position(|b| b.nomor == f.bagian)
            .unwrap_or(usize::MAX)
    };
    let mut temuan: Vec<LampiranTemuan> = findings
        .iter()
        .zip(finding_table)
        .map(|(f, t)| LampiranTemuan {
            bagian: t
                .as_ref()
                .and_then(section_of)
                .unwrap_or_else(|| "-".into()),
            tabel: t.as_ref().map_or_else(|| "-".into(), ToString::to_string),
            tingkat: f.severity.label().into(),
            aturan: f.rule.label().into(),
            letak: f
                .sources
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
            tertulis: f.written.clone(),
            seharusnya: f.expected.clone(),
            pesan: printable(&named_rules(&f.message)),
        })
        .collect();
    temuan.sort_by_key(|f| (order(f), f.tabel.clone()));
    temuan
}

/// The chapter or sub-chapter exists in the narrative, in the systematics' order.
fn structure(
    bagian: &Bagian,
    narrative: &Narrative,
    last_position: &mut BTreeMap<usize, usize>,
    reasons: &mut Vec<String>,
) {
    let Some(n) = bagian.chapter() else {
        return;
    };
    let Some(chapter) = narrative.chapters.get(&n) else {
        if bagian.is_chapter() {
            reasons.push(messages::berita_acara::chapter_missing(
                &bagian.nomor,
                &bagian.judul,
                n,
            ));
        }
        return;
    };
    if bagian.is_chapter() {
        if !matches_any(&chapter.title, &bagian.kunci) {
            reasons.push(messages::berita_acara::chapter_title(
                &chapter.title,
                &bagian.judul,
            ));
        }
        return;
    }
    let found = chapter
        .sections
        .iter()
        .position(|(title, _)| matches_any(title, &bagian.kunci));
    match found {
        None => reasons.push(messages::berita_acara::section_missing(
            &bagian.nomor,
            &bagian.judul,
            n,
        )),
        Some(position) => {
            let last = last_position.entry(n).or_insert(0);
            if position < *last {
                reasons.push(messages::berita_acara::section_order(
                    &bagian.nomor,
                    &bagian.judul,
                ));
            }
            *last = (*last).max(position);
        }
    }
}

/// The legal basis cites every required regulation.
fn legal_basis(
    config: &Verifikasi<Tanggal>,
    narrative: &Narrative,
    bagian: &Bagian,
    reasons: &mut Vec<String>,
) {
    let text = bagian
        .chapter()
        .and_then(|n| narrative.chapters.get(&n))
        .map(|c| c.text.replace(' ', ""))
        .unwrap_or_default();
    for reg in &config.regulasi_wajib {
        let key = reg.kunci.to_lowercase().replace(' ', "");
        if !text.contains(&key) {
            reasons.push(messages::berita_acara::regulation_missing(&reg.nama));
        }
    }
}

/// The sub-chapter mentions what it must.
fn content(bagian: &Bagian, narrative: &Narrative, reasons: &mut Vec<String>) {
    if bagian.harus_memuat.is_empty() {
        return;
    }
    let Some(chapter) = bagian.chapter().and_then(|n| narrative.chapters.get(&n)) else {
        return;
    };
    let text = if bagian.is_chapter() {
        Some(chapter.text.clone())
    } else {
        chapter
            .sections
            .iter()
            .find(|(title, _)| matches_any(title, &bagian.kunci))
            .map(|(_, body)| body.clone())
    };
    let Some(text) = text else { return };
    for word in &bagian.harus_memuat {
        if !text.contains(&word.to_lowercase()) {
            reasons.push(messages::berita_acara::content_missing(&bagian.judul, word));
        }
    }
}

/// Every error or warning on the tables the section presents.
fn table_findings(
    bagian: &Bagian,
    (tables, findings, finding_table): (&[Table], &[Finding], &[Option<TableId>]),
    reasons: &mut Vec<String>,
) {
    for id in &bagian.tabel {
        let here: Vec<&Finding> = findings
            .iter()
            .zip(finding_table)
            .filter(|(f, t)| t.as_ref() == Some(id) && f.severity <= Severity::Warning)
            .map(|(f, _)| f)
            .collect();
        if here.is_empty() {
            continue;
        }
        if let Some(table) = tables.iter().find(|t| &t.id == id) {
            reasons.extend(recommend::for_table(table, &here));
        }
    }
}

/// One input sheet's row accounting, as Lampiran 2 lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AkuntansiLembar {
    /// The file.
    pub berkas: String,
    /// The sheet.
    pub lembar: String,
    /// What it holds, or why it was not used.
    pub jenis: String,
    /// Rows read, and how each was used.
    pub dibaca: usize,
    /// Title rows.
    pub judul: usize,
    /// Header rows.
    pub kepala: usize,
    /// Empty rows.
    pub kosong: usize,
    /// Data rows used.
    pub data: usize,
    /// Stated totals.
    pub jumlah: usize,
    /// Rows skipped, each reported as a finding or in the summary.
    pub dilewati: usize,
}

/// The most characters a message of the Berita Acara prints: a PDF string holds at most 32,767
/// bytes (PDF/A), and a verifier reads a sentence, not a pasted page; the whole message stays in
/// temuan.csv.
const PRINTED_CHARS: usize = 1_000;

/// `text` cut at [`PRINTED_CHARS`] with a note that the rest is in temuan.csv.
fn printable(text: &str) -> String {
    if text.chars().count() <= PRINTED_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(PRINTED_CHARS).collect();
        messages::berita_acara::cut_short(&cut)
    }
}

/// TEXT-UNPRINTABLE: every table cell read from a workbook whose text holds a character none of
/// the document's fonts has, at its cell, naming the characters (as code points).
pub fn unprintable(tables: &[Table]) -> Vec<Finding> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for cell in tables.iter().flat_map(|t| &t.rows).flat_map(|r| &r.cells) {
        let Some(source) = &cell.source else { continue };
        let text = cell.shown.display(2);
        let bad: Vec<String> = text
            .chars()
            .filter(|c| !crate::render::printable(*c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if bad.is_empty() || !seen.insert(source.clone()) {
            continue;
        }
        out.push(
            Finding::new(
                Severity::Warning,
                crate::model::Rule::TextUnprintable,
                source.clone(),
                messages::findings::text_unprintable(&bad.join(", ")),
            )
            .written(text.clone())
            .expected(crate::render::printable_text(&text).into_owned()),
        );
    }
    out
}

/// TEXT-UNPRINTABLE for the narrative document's text (the pieces of
/// [`crate::naskah::text_pieces`]): a character no compiled font has prints as a square, and the
/// warning names the chapter and paragraph, as for a cell. `naskah/*.typ` is left to Typst's own
/// diagnostics.
pub fn unprintable_narrative(naskah: &Naskah) -> Vec<Finding> {
    if !matches!(naskah, Naskah::Document(_)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for piece in crate::naskah::text_pieces(naskah) {
        let bad: Vec<String> = piece
            .text
            .chars()
            .filter(|c| !crate::render::printable(*c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if bad.is_empty() {
            continue;
        }
        out.push(
            Finding::new(
                Severity::Warning,
                crate::model::Rule::TextUnprintable,
                SourceRef::sheet(&piece.file, &piece.place),
                messages::findings::text_unprintable(&bad.join(", ")),
            )
            .written(piece.text.clone())
            .expected(crate::render::printable_text(&piece.text).into_owned()),
        );
    }
    out
}

/// `text` with every rule id (`AMOUNT-MALFORMED`) written as the rule's Indonesian name in
/// quotes: the documents a verifier signs never show a code. Longer ids go first, so no id is
/// replaced inside another.
pub fn named_rules(text: &str) -> String {
    let mut rules: Vec<crate::model::Rule> = crate::model::Rule::ALL.to_vec();
    rules.sort_by_key(|r| std::cmp::Reverse(r.id().len()));
    rules.into_iter().fold(text.to_string(), |t, r| {
        if t.contains(r.id()) {
            t.replace(r.id(), &format!("\"{}\"", r.label()))
        } else {
            t
        }
    })
}

/// VERIFIKASI-INCOMPLETE: the `[verifikasi]` keys of `renstra.toml` the Berita Acara would print
/// empty (place, date, each signatory's name), named in one warning; none when all are filled.
pub fn signature_gaps(v: &Verifikasi<Tanggal>) -> Option<Finding> {
    let mut empty: Vec<&str> = Vec::new();
    if v.tempat.trim().is_empty() {
        empty.push("tempat");
    }
    if v.tanggal.to_string().trim().is_empty() {
        empty.push("tanggal");
    }
    for (key, who) in [
        ("verifikator.nama", &v.verifikator),
        ("perencana.nama", &v.perencana),
        ("kepala.nama", &v.kepala),
    ] {
        if who.nama.trim().is_empty() {
            empty.push(key);
        }
    }
    (!empty.is_empty()).then(|| {
        Finding::new(
            Severity::Warning,
            crate::model::Rule::VerifikasiIncomplete,
            SourceRef::sheet(crate::config::CONFIG_FILE, "[verifikasi]"),
            messages::berita_acara::signature_gaps(&empty),
        )
    })
}

/// One rule's checks, as Lampiran 2 lists them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CakupanAturan {
    /// The rule's id.
    pub aturan: &'static str,
    /// Checks that ran.
    pub dijalankan: usize,
    /// Checks that passed.
    pub lolos: usize,
    /// Checks that raised a finding.
    pub gagal: usize,
    /// Checks that could not run (each an info finding in Lampiran 1 saying why).
    pub tidak_dijalankan: usize,
    /// Checks that ran on a proposed reading of a malformed amount.
    pub memakai_usulan: usize,
}

/// Lampiran 2's coverage table: every rule that checked something, in rule order, then the sum.
pub fn coverage_record(coverage: &Coverage) -> Vec<CakupanAturan> {
    let row = |aturan, t: Tally| CakupanAturan {
        aturan,
        dijalankan: t.run(),
        lolos: t.passed,
        gagal: t.failed,
        tidak_dijalankan: t.not_run,
        memakai_usulan: t.on_proposal,
    };
    let mut rows: Vec<CakupanAturan> = coverage
        .rows()
        .into_iter()
        .map(|(id, t)| {
            row(
                crate::model::Rule::from_id(id).map_or(id, crate::model::Rule::label),
                t,
            )
        })
        .collect();
    rows.push(row(
        messages::berita_acara::COVERAGE_TOTAL,
        coverage.total(),
    ));
    rows
}

/// One input file as Lampiran 3 lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BerkasDiperiksa {
    /// Name relative to the unit folder.
    pub berkas: String,
    /// Size in bytes.
    pub ukuran: u64,
    /// SHA-256 of its content.
    pub sha256: String,
    /// Why it was not read, if it was not.
    pub catatan: String,
}

/// Lampiran 2 and 3 from the ingest reports.
pub fn inputs_record(files: &[FileReport]) -> (Vec<AkuntansiLembar>, Vec<BerkasDiperiksa>) {
    let mut sheets = Vec::new();
    let mut inputs = Vec::new();
    for f in files {
        inputs.push(BerkasDiperiksa {
            berkas: f.file.clone(),
            ukuran: f.bytes,
            sha256: f.sha256.clone(),
            catatan: f.not_read.clone().unwrap_or_default(),
        });
        for s in &f.sheets {
            let a = s.accounting.clone().unwrap_or_default();
            sheets.push(AkuntansiLembar {
                berkas: f.file.clone(),
                lembar: s.source.sheet.to_string(),
                jenis: match (s.kind, s.used) {
                    (Some(k), true) => k.label().to_string(),
                    (Some(k), false) => format!("{} (dikenali, belum dipakai)", k.label()),
                    (None, _) => "tidak dikenali".into(),
                },
                dibaca: if s.accounting.is_some() {
                    a.read
                } else {
                    s.rows
                },
                judul: a.title,
                kepala: a.header,
                kosong: a.blank,
                data: a.data,
                jumlah: a.total,
                dilewati: a.skipped.len(),
            });
        }
    }
    (sheets, inputs)
}

#[cfg(test)]
mod named_rule_tests {
    use super::named_rules;
    use crate::model::Rule;

    #[test]
    fn rule_ids_become_their_indonesian_names() {
        assert_eq!(
            named_rules("lihat temuan AMOUNT-MALFORMED dan SUM-HIERARCHY."),
            "lihat temuan \"Angka tidak sah\" dan \"Jumlah rincian tidak sesuai\"."
        );
        assert_eq!(named_rules("tanpa kode"), "tanpa kode");
    }

    #[test]
    fn every_rule_has_its_own_name() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.label()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
    }
}
