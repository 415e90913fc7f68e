//! From a document's flat blocks to the Renstra's structure: the Kata Pengantar, the chapters
//! (BAB I … BAB VIII, from Heading 1 or a paragraph that starts with "BAB II" in the
//! document's own style, the title on that line or the next paragraph), their sub-chapters
//! (Heading 2/3, or a numbered line "2.3 Kinerja …"), the captions of tables and figures,
//! the verified tables in the place of the author's copies, and `{{fakta:…}}` markers.
//!
//! Whatever is not printed as written is a finding at its chapter and paragraph
//! ("naskah.docx › BAB II › paragraf 14").

use std::collections::BTreeMap;

use super::Read;
use crate::messages::naskah as say;
use crate::model::naskah::{
    Alignment, Block, Cell, Chapter, Document, Inline, ParagraphRole, PlacedCell, plain_text,
};
use crate::model::{Finding, Rule, Severity, SourceRef, TableId};

/// The highest chapter number a Renstra has.
pub const LAST_CHAPTER: u8 = 8;

/// What the structuring needs to know of the unit's verified data.
pub struct Known<'a> {
    /// The verified tables: id and full title (`Tabel 1`, `Jumlah Pegawai Kecamatan …`).
    pub tables: &'a [(TableId, String)],
    /// The names `{{fakta:…}}` may give.
    pub facts: &'a BTreeMap<String, String>,
}

/// A document structured, and what the structuring reports.
pub struct Structured {
    /// The document.
    pub document: Document,
    /// The findings, at their chapter and paragraph.
    pub findings: Vec<Finding>,
}

/// Cuts `read` (the blocks of the document `file`) into the Kata Pengantar and the chapters.
pub fn structure(file: &str, read: Read, known: &Known) -> Structured {
    let Read {
        blocks,
        images,
        notes,
    } = read;
    let mut out = Builder {
        file,
        places: BTreeMap::new(),
        counts: BTreeMap::new(),
        findings: Vec::new(),
        front: Front::BeforeKataPengantar,
        kata_pengantar: None,
        chapters: Vec::new(),
        title_pending: false,
        dropped_front: Vec::new(),
    };
    // When Heading 1 marks chapters, a "BAB II …" line in another style is text (the
    // Sistematika Penulisan lists every chapter so).
    let heading_chapters = blocks.iter().any(|b| {
        matches!(b, Block::Paragraph { role: ParagraphRole::Heading(1), inlines, .. }
            if bab(&plain_text(inlines)).is_some())
    });
    for block in blocks {
        out.place(&block);
        match out.chapter_start(&block, heading_chapters) {
            Start::Chapter(number, title) => {
                let title_pending = title.is_empty();
                out.open_chapter(number, title, &block);
                out.title_pending = title_pending;
                continue;
            }
            Start::KataPengantar => continue,
            Start::No => {}
        }
        if out.title_pending {
            out.title_pending = false;
            if let Some(title) = title_line(&block) {
                out.title_read(&block, title);
                continue;
            }
        }
        out.push(block);
    }
    out.report_front();
    for note in notes {
        out.finding_at(
            Severity::Warning,
            Rule::NarrativeNotKept,
            note.at,
            note.message,
        );
    }
    let Builder {
        kata_pengantar,
        mut chapters,
        mut findings,
        places,
        ..
    } = out;
    let mut kata_pengantar = kata_pengantar;
    if let Some(blocks) = &mut kata_pengantar {
        *blocks = finish(file, blocks, known, &places, &mut findings);
        drop_signature(file, say::KATA_PENGANTAR, blocks, &places, &mut findings);
    }
    for chapter in &mut chapters {
        chapter.blocks = finish(file, &chapter.blocks, known, &places, &mut findings);
        number_headings(file, chapter, &places, &mut findings);
        if chapter.number == LAST_CHAPTER {
            let label = say::chapter_label(LAST_CHAPTER);
            drop_signature(file, &label, &mut chapter.blocks, &places, &mut findings);
        }
    }
    findings.sort_by(|a, b| a.sources.cmp(&b.sources));
    Structured {
        document: Document {
            file: file.to_string(),
            kata_pengantar,
            chapters,
            images,
            places: places
                .iter()
                .map(|(at, (label, n))| {
                    let place = if *n == 0 {
                        label.clone()
                    } else {
                        format!("{label} › {}", say::paragraph(*n))
                    };
                    (*at, place)
                })
                .collect(),
        },
        findings,
    }
}

/// What a block starts.
enum Start {
    /// The chapter of this number, with the title on the same line (or empty).
    Chapter(u8, String),
    /// The Kata Pengantar.
    KataPengantar,
    /// Nothing: it is text.
    No,
}

/// Whether every letter of the inlines is bold.
fn all_bold(inlines: &[Inline]) -> bool {
    let mut any = false;
    for inline in inlines {
        if let Inline::Text { text, bold, .. } = inline
            && !text.trim().is_empty()
        {
            if !bold {
                return false;
            }
            any = true;
        }
    }
    any
}

/// Where the front matter is: before "Kata Pengantar", in it, or past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Front {
    BeforeKataPengantar,
    InKataPengantar,
    Skipped,
}

struct Builder<'a> {
    file: &'a str,
    /// Each block number's place, for findings: (chapter label, paragraph in it).
    places: BTreeMap<usize, (String, usize)>,
    /// Paragraphs placed so far under each label.
    counts: BTreeMap<String, usize>,
    findings: Vec<Finding>,
    front: Front,
    kata_pengantar: Option<Vec<Block>>,
    chapters: Vec<Chapter>,
    title_pending: bool,
    /// Block numbers of the front matter that is not printed.
    dropped_front: Vec<usize>,
}

impl Builder<'_> {
    /// Records the block's place: the chapter it falls in and its paragraph number there.
    fn place(&mut self, block: &Block) {
        if let Block::List { items, .. } = block {
            for b in items.iter().flatten() {
                self.place(b);
            }
            return;
        }
        let Some(at) = block.at() else { return };
        if self.places.contains_key(&at) {
            return;
        }
        let label = match (self.chapters.last(), self.front) {
            (Some(chapter), _) => say::chapter_label(chapter.number),
            (None, Front::InKataPengantar) => say::KATA_PENGANTAR.to_string(),
            (None, _) => say::BEFORE_FIRST_CHAPTER.to_string(),
        };
        let count = self.counts.entry(label.clone()).or_insert(0);
        *count += 1;
        self.places.insert(at, (label, *count));
    }

    /// Makes the block at `at` a part of the chapter's heading (its paragraph 0): the paragraph
    /// after it is its paragraph 1.
    fn heading_place(&mut self, at: usize, label: String) {
        if let Some(place) = self.places.get_mut(&at)
            && place.1 > 0
        {
            if let Some(count) = self.counts.get_mut(&place.0) {
                *count -= 1;
            }
            *place = (label, 0);
        }
    }

    /// The chapter title read from the paragraph after a bare "BAB II".
    fn title_read(&mut self, block: &Block, title: String) {
        if let Some(chapter) = self.chapters.last_mut() {
            chapter.title = title;
            let label = say::chapter_label(chapter.number);
            if let Some(at) = block.at() {
                self.heading_place(at, label);
            }
        }
    }

    /// Whether the block starts a chapter or the Kata Pengantar. A "BAB II" line starts a
    /// chapter when it is a Heading 1, when it says nothing more than "BAB II", or, in a
    /// document whose chapters are not Heading 1, when it stands out as a heading does:
    /// centred, bold or the Title style.
    fn chapter_start(&mut self, block: &Block, heading_chapters: bool) -> Start {
        let Block::Paragraph {
            role,
            inlines,
            align,
            ..
        } = block
        else {
            return Start::No;
        };
        let text = plain_text(inlines);
        let heading = *role == ParagraphRole::Heading(1);
        let stands_out = heading
            || (!heading_chapters
                && (*role == ParagraphRole::Title
                    || *align == Alignment::Center
                    || all_bold(inlines)));
        // A bare "BAB II" on its own line is a chapter in any style: a list of chapters in the
        // text names their titles too.
        if let Some((number, title)) = bab(&text)
            && (stands_out || title.is_empty())
        {
            return Start::Chapter(number, title);
        }
        if self.chapters.is_empty() {
            if (heading || stands_out) && squash(&text) == "kata pengantar" {
                self.front = Front::InKataPengantar;
                self.kata_pengantar = Some(Vec::new());
                return Start::KataPengantar;
            }
            if heading && self.front == Front::InKataPengantar {
                self.front = Front::Skipped;
            }
        }
        Start::No
    }

    fn open_chapter(&mut self, number: u8, title: String, block: &Block) {
        let at = block.at().unwrap_or(0);
        self.heading_place(at, say::chapter_label(number));
        if let Some(last) = self.chapters.last()
            && number <= last.number
        {
            self.finding_at(
                Severity::Warning,
                Rule::NarrativeStructure,
                at,
                say::chapter_out_of_order(number, last.number),
            );
        }
        if number > LAST_CHAPTER {
            self.finding_at(
                Severity::Warning,
                Rule::NarrativeStructure,
                at,
                say::chapter_beyond(number),
            );
        }
        if self.front == Front::InKataPengantar {
            self.front = Front::Skipped;
        }
        self.chapters.push(Chapter {
            number,
            title,
            blocks: Vec::new(),
        });
    }

    /// Adds a block where the walk is: in the chapter, in the Kata Pengantar, or dropped
    /// with the front matter.
    fn push(&mut self, block: Block) {
        if let Some(chapter) = self.chapters.last_mut() {
            let block = match block {
                Block::Paragraph {
                    role: ParagraphRole::Heading(1),
                    inlines,
                    at,
                    ..
                } => {
                    let text = plain_text(&inlines);
                    let number = chapter.number;
                    self.finding_at(
                        Severity::Warning,
                        Rule::NarrativeStructure,
                        at,
                        say::heading_not_a_chapter(&text, number),
                    );
                    Block::Paragraph {
                        role: ParagraphRole::Heading(2),
                        inlines,
                        align: Alignment::Default,
                        at,
                    }
                }
                other => other,
            };
            if let Some(chapter) = self.chapters.last_mut() {
                chapter.blocks.push(block);
            }
            return;
        }
        match (&mut self.kata_pengantar, self.front) {
            (Some(blocks), Front::InKataPengantar) => blocks.push(block),
            _ => {
                if let Some(at) = block.at()
                    && !is_empty(&block)
                {
                    self.dropped_front.push(at);
                }
            }
        }
    }

    /// One finding for the front matter that is not printed (a cover, a typed table of
    /// contents): renstra makes its own.
    fn report_front(&mut self) {
        if let (Some(&first), count) = (self.dropped_front.first(), self.dropped_front.len()) {
            self.finding_at(
                Severity::Info,
                Rule::NarrativeStructure,
                first,
                say::front_matter_dropped(count),
            );
        }
        if self.chapters.is_empty() {
            self.findings.push(Finding::new(
                Severity::Warning,
                Rule::NarrativeStructure,
                SourceRef::sheet(self.file, ""),
                say::no_chapters(),
            ));
        }
    }

    fn finding_at(&mut self, severity: Severity, rule: Rule, at: usize, message: String) {
        self.findings.push(Finding::new(
            severity,
            rule,
            source(self.file, &self.places, at),
            message,
        ));
    }
}

/// The signature block a document types at the end of its Kata Pengantar and of BAB VIII
/// (place and date, office, name, rank, "NIP …"): the template prints the signature from
/// renstra.toml there, so the typed one is left out, and an info finding quotes it.
fn drop_signature(
    file: &str,
    part: &str,
    blocks: &mut Vec<Block>,
    places: &BTreeMap<usize, (String, usize)>,
    findings: &mut Vec<Finding>,
) {
    let Some(start) = signature_start(blocks) else {
        return;
    };
    let dropped: Vec<String> = blocks[start..]
        .iter()
        .map(|b| b.plain_text().trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let at = blocks[start].at().unwrap_or(0);
    blocks.truncate(start);
    findings.push(Finding::new(
        Severity::Info,
        Rule::NarrativeStructure,
        source(file, places, at),
        say::signature_dropped(part, &dropped.join(" / ")),
    ));
}

/// Where a typed signature block starts: a paragraph starting "NIP" among the last eight,
/// and the short paragraphs before it (at most six: place and date, office, name, rank).
/// Only short paragraphs may follow it.
fn signature_start(blocks: &[Block]) -> Option<usize> {
    let short = |b: &Block| {
        matches!(b, Block::Paragraph { .. }) && b.plain_text().trim().chars().count() <= 80
    };
    let tail = blocks.len().saturating_sub(8);
    let nip = (tail..blocks.len()).rev().find(|&i| {
        short(&blocks[i])
            && blocks[i]
                .plain_text()
                .trim_start()
                .get(..3)
                .is_some_and(|h| h.eq_ignore_ascii_case("nip"))
    })?;
    if !blocks[nip + 1..].iter().all(short) {
        return None;
    }
    let mut start = nip;
    while start > 0 && nip - start < 6 && short(&blocks[start - 1]) {
        start -= 1;
    }
    Some(start)
}

/// The place of block `at` as a finding's source: `naskah.docx › BAB II › paragraf 14`.
fn source(file: &str, places: &BTreeMap<usize, (String, usize)>, at: usize) -> SourceRef {
    match places.get(&at) {
        Some((label, 0)) => SourceRef::sheet(file, label),
        Some((label, n)) => SourceRef::sheet(file, &format!("{label} › {}", say::paragraph(*n))),
        None => SourceRef::sheet(file, ""),
    }
}

/// "BAB II", "BAB II GAMBARAN PELAYANAN", "Bab IV. Tujuan": the chapter's number and the
/// title on the same line (empty when it is on the next paragraph).
pub fn bab(text: &str) -> Option<(u8, String)> {
    let text = text.trim();
    // A typed table of contents line ("BAB I PENDAHULUAN ...... 1") is no chapter.
    if text.contains("...") || text.contains('…') || text.contains('\t') {
        return None;
    }
    let rest = text
        .get(..3)
        .filter(|head| head.eq_ignore_ascii_case("bab"))
        .map(|_| &text[3..])?;
    let rest_trimmed = rest.trim_start();
    if rest_trimmed.len() == rest.len() {
        return None;
    }
    let numeral: String = rest_trimmed
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let number = roman(&numeral).or_else(|| numeral.parse::<u8>().ok().filter(|n| *n > 0))?;
    let title = rest_trimmed[numeral.len()..]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ':' | '-' | '–' | '—'))
        .trim();
    Some((number, title.to_string()))
}

/// A roman numeral up to XX.
fn roman(text: &str) -> Option<u8> {
    const NUMERALS: [&str; 20] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
    ];
    let upper = text.to_ascii_uppercase();
    NUMERALS
        .iter()
        .position(|n| *n == upper)
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// The chapter title on the paragraph after a bare "BAB II": a short paragraph that is no
/// sub-chapter, list or table.
fn title_line(block: &Block) -> Option<String> {
    let Block::Paragraph { role, inlines, .. } = block else {
        return None;
    };
    if matches!(role, ParagraphRole::Heading(level) if *level > 1) {
        return None;
    }
    let text = plain_text(inlines).trim().to_string();
    (!text.is_empty() && text.chars().count() <= 200).then_some(text)
}

fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn is_empty(block: &Block) -> bool {
    matches!(block, Block::Paragraph { inlines, .. } if plain_text(inlines).trim().is_empty()
        && !inlines.iter().any(|i| matches!(i, Inline::Footnote { .. })))
}

/// The blocks of a chapter made printable: empty paragraphs dropped, spaces at a paragraph's
/// ends trimmed, numbered lines made sub-chapters, captions joined to their tables and
/// figures, renstra's tables put in the place of the author's, and fakta markers resolved.
fn finish(
    file: &str,
    blocks: &[Block],
    known: &Known,
    places: &BTreeMap<usize, (String, usize)>,
    findings: &mut Vec<Finding>,
) -> Vec<Block> {
    let blocks: Vec<Block> = blocks
        .iter()
        .filter(|b| !is_empty(b))
        .cloned()
        .map(|b| resolve_inlines(file, b, known, places, findings))
        .collect();
    // Captions first, each taken once: a table's from above, a figure's from below, then
    // the other side for those still without one.
    let mut used = vec![false; blocks.len()];
    let mut captions: BTreeMap<usize, Vec<Inline>> = BTreeMap::new();
    for preferred in [true, false] {
        for (i, block) in blocks.iter().enumerate() {
            let word = match block {
                Block::Table { .. } => "tabel",
                Block::Figure { .. } => "gambar",
                _ => continue,
            };
            if captions.contains_key(&i) {
                continue;
            }
            let above = (word == "tabel") == preferred;
            let j = if above { i.checked_sub(1) } else { Some(i + 1) };
            if let Some(j) = j
                && let Some(caption) = caption_at(&blocks, &used, j, word)
            {
                used[j] = true;
                captions.insert(i, caption);
            }
        }
    }
    let mut out = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        if used[i] {
            continue;
        }
        match block {
            Block::Table { at, .. } => {
                let caption = captions.remove(&i);
                out.push(table_in_place(
                    file, block, caption, known, places, findings, *at,
                ));
            }
            Block::Figure { image, at, .. } => {
                let caption = captions.remove(&i).unwrap_or_default();
                out.push(Block::Figure {
                    image: image.clone(),
                    caption,
                    at: *at,
                });
            }
            other => out.push(other.clone()),
        }
    }
    out.into_iter().map(laid_out).collect()
}

/// The block with every author's table in it (in cells, lists and footnotes too) laid out on
/// its grid.
fn laid_out(block: Block) -> Block {
    let deep = |blocks: Vec<Block>| blocks.into_iter().map(laid_out).collect::<Vec<_>>();
    match block {
        Block::Table {
            rows,
            columns,
            caption,
            ..
        } => {
            let rows = rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|mut cell| {
                            cell.blocks = deep(std::mem::take(&mut cell.blocks));
                            cell
                        })
                        .collect()
                })
                .collect();
            let (columns, cells) = place_cells(rows, columns);
            Block::Grid {
                columns,
                cells,
                caption,
            }
        }
        Block::List { marker, items } => Block::List {
            marker,
            items: items.into_iter().map(deep).collect(),
        },
        Block::Paragraph {
            role,
            inlines,
            align,
            at,
        } => Block::Paragraph {
            role,
            inlines: inlines
                .into_iter()
                .map(|i| match i {
                    Inline::Footnote { blocks } => Inline::Footnote {
                        blocks: deep(blocks),
                    },
                    other => other,
                })
                .collect(),
            align,
            at,
        },
        other => other,
    }
}

/// Places each cell on the grid as Word and Writer do: a row's cells fill its free columns
/// left to right, past those a merged cell above takes; a span is cut where it would overlap
/// another cell or leave the table; the grid is as wide as its widest row, and every place no
/// cell covers gets an empty cell, so the rules are drawn whole.
pub fn place_cells(rows: Vec<Vec<Cell>>, columns: u32) -> (u32, Vec<PlacedCell>) {
    let height = rows.len();
    let mut taken: Vec<Vec<bool>> = vec![Vec::new(); height];
    let is_taken =
        |taken: &[Vec<bool>], y: usize, x: usize| taken[y].get(x).copied().unwrap_or(false);
    let mut placed = Vec::new();
    for (y, row) in rows.into_iter().enumerate() {
        let mut x = 0;
        for cell in row {
            while is_taken(&taken, y, x) {
                x += 1;
            }
            // A span stops at the grid's declared edge; a cell past it still gets its column.
            let widest = (cell.colspan as usize).min((columns as usize).saturating_sub(x).max(1));
            let mut colspan = 1;
            while colspan < widest && !is_taken(&taken, y, x + colspan) {
                colspan += 1;
            }
            let mut rowspan = 1;
            while rowspan < cell.rowspan as usize
                && y + rowspan < height
                && (x..x + colspan).all(|c| !is_taken(&taken, y + rowspan, c))
            {
                rowspan += 1;
            }
            for line in &mut taken[y..y + rowspan] {
                if line.len() < x + colspan {
                    line.resize(x + colspan, false);
                }
                for place in &mut line[x..x + colspan] {
                    *place = true;
                }
            }
            placed.push(PlacedCell {
                x: x as u32,
                y: y as u32,
                colspan: colspan as u32,
                rowspan: rowspan as u32,
                blocks: cell.blocks,
            });
            x += colspan;
        }
    }
    let width = taken
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(columns as usize)
        .max(1);
    for (y, line) in taken.iter().enumerate() {
        for x in 0..width {
            if !line.get(x).copied().unwrap_or(false) {
                placed.push(PlacedCell {
                    x: x as u32,
                    y: y as u32,
                    colspan: 1,
                    rowspan: 1,
                    blocks: Vec::new(),
                });
            }
        }
    }
    placed.sort_by_key(|c| (c.y, c.x));
    (width as u32, placed)
}

/// The paragraph at `j` as a caption of a table or figure: in the Caption style or starting
/// with `word` ("Tabel", "Gambar"), short, and not taken yet.
fn caption_at(blocks: &[Block], used: &[bool], j: usize, word: &str) -> Option<Vec<Inline>> {
    if used.get(j).copied().unwrap_or(true) {
        return None;
    }
    let Some(Block::Paragraph { role, inlines, .. }) = blocks.get(j) else {
        return None;
    };
    let text = plain_text(inlines);
    let starts = text
        .trim_start()
        .get(..word.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(word));
    ((*role == ParagraphRole::Caption || starts) && text.chars().count() <= 300)
        .then(|| inlines.clone())
}

/// A caption without the number the author typed ("Tabel 2.1 ", "Gambar 3: "), to match its
/// words against renstra's titles. (The author's tables and figures keep their captions as
/// typed: renstra's own tables are named by their ids, not numbered in sequence.)
fn strip_number(inlines: &[Inline], word: &str) -> Vec<Inline> {
    let mut out = inlines.to_vec();
    if let Some(Inline::Text { text, .. }) = out.first_mut() {
        let trimmed = text.trim_start();
        if trimmed
            .get(..word.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(word))
        {
            let rest = trimmed[word.len()..].trim_start();
            let number_len = rest
                .char_indices()
                .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                .map(|(i, c)| i + c.len_utf8())
                .last()
                .unwrap_or(0);
            let number = &rest[..number_len];
            if number.chars().any(|c| c.is_ascii_digit()) {
                *text = rest[number_len..]
                    .trim_start_matches(|c: char| {
                        c.is_whitespace() || matches!(c, '.' | ':' | '-' | '–')
                    })
                    .to_string();
            }
        }
    }
    if matches!(out.first(), Some(Inline::Text { text, .. }) if text.is_empty()) {
        out.remove(0);
    }
    out
}

/// The author's table, or the verified table its caption names.
fn table_in_place(
    file: &str,
    table: &Block,
    caption: Option<Vec<Inline>>,
    known: &Known,
    places: &BTreeMap<usize, (String, usize)>,
    findings: &mut Vec<Finding>,
    at: usize,
) -> Block {
    let Block::Table { rows, columns, .. } = table else {
        return table.clone();
    };
    let caption_text = caption.as_deref().map(plain_text).unwrap_or_default();
    let matched = (!caption_text.is_empty())
        .then(|| match_table(&caption_text, known.tables))
        .flatten();
    let place = source(file, places, at);
    match (matched, caption) {
        (Some(id), _) => {
            findings.push(Finding::new(
                Severity::Info,
                Rule::NarrativeTable,
                place,
                say::table_replaced(&caption_text, id.name()),
            ));
            Block::Verified {
                table: id.name().to_string(),
            }
        }
        (None, caption) => {
            findings.push(Finding::new(
                Severity::Warning,
                Rule::NarrativeTable,
                place,
                if caption_text.is_empty() {
                    say::table_without_caption()
                } else {
                    say::table_unmatched(&caption_text)
                },
            ));
            Block::Table {
                rows: rows.clone(),
                columns: *columns,
                caption,
                at,
            }
        }
    }
}

/// The verified table a caption names: by its T-C id ("Tabel T-C.24 …", "T.C-24"), or by the
/// words of its title ("Tabel 2.1 Jumlah Pegawai Berdasarkan Status" is Tabel 1, "Jumlah
/// Pegawai Kecamatan …"): at least two of the title's words and at least half of them, where
/// words most titles share (the unit's name) do not count.
pub fn match_table(caption: &str, tables: &[(TableId, String)]) -> Option<TableId> {
    if let Some(number) = tc_number(caption) {
        let name = format!("T-C.{number}");
        return Some(TableId::from_name(&name));
    }
    let titles: Vec<(&TableId, Vec<String>)> = tables
        .iter()
        .map(|(id, title)| (id, content_words(title)))
        .collect();
    let common_to_many = |word: &String| {
        let with = titles.iter().filter(|(_, w)| w.contains(word)).count();
        with >= 2 && with * 3 > titles.len()
    };
    let words: Vec<String> = content_words(&strip_number_text(caption))
        .into_iter()
        .filter(|w| !common_to_many(w))
        .collect();
    let mut best: Option<(usize, usize, &TableId)> = None;
    for (id, title_words) in &titles {
        let title_words: Vec<&String> = title_words.iter().filter(|w| !common_to_many(w)).collect();
        let common = title_words.iter().filter(|w| words.contains(w)).count();
        if common < 2 || common * 2 < title_words.len() {
            continue;
        }
        // The best covers the largest share of its title, then the most words.
        let better = best.is_none_or(|(c, len, _)| {
            common * len > c * title_words.len()
                || (common * len == c * title_words.len() && common > c)
        });
        if better {
            best = Some((common, title_words.len(), id));
        }
    }
    best.map(|(_, _, id)| id.clone())
}

/// The number of a T-C table a caption names: `T-C.24`, `T.C-24`, `TC 24`, `T-C 24`.
fn tc_number(caption: &str) -> Option<u8> {
    let upper = caption.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    for (i, _) in upper.match_indices('T') {
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let rest = &upper[i + 1..];
        let rest = rest.trim_start_matches(['-', '.', ' ']);
        let Some(rest) = rest.strip_prefix('C') else {
            continue;
        };
        let rest = rest.trim_start_matches(['-', '.', ' ']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<u8>()
            && (23..=28).contains(&n)
        {
            return Some(n);
        }
    }
    None
}

/// A caption's text without "Tabel 2.1".
fn strip_number_text(caption: &str) -> String {
    plain_text(&strip_number(&[Inline::plain(caption)], "tabel"))
}

/// Lower-case words that say what a table holds (not "dan", "yang", "tahun").
fn content_words(text: &str) -> Vec<String> {
    const STOP: [&str; 16] = [
        "dan", "yang", "di", "ke", "dari", "pada", "serta", "atau", "untuk", "dengan", "tahun",
        "tabel", "per", "the", "of", "dalam",
    ];
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// `{{fakta:name}}` markers split out of the text as [`Inline::Fakta`]; an unknown name is a
/// finding. Headings and paragraphs in lists, tables and footnotes alike.
fn resolve_inlines(
    file: &str,
    block: Block,
    known: &Known,
    places: &BTreeMap<usize, (String, usize)>,
    findings: &mut Vec<Finding>,
) -> Block {
    let mut fix = |inlines: Vec<Inline>, at: usize| -> Vec<Inline> {
        split_markers(inlines, &mut |key| {
            if !known.facts.contains_key(key) {
                findings.push(Finding::new(
                    Severity::Warning,
                    Rule::FaktaUnknown,
                    source(file, places, at),
                    say::fakta_unknown(key, known.facts.keys().map(String::as_str)),
                ));
            }
        })
    };
    map_inlines(block, &mut fix, 0)
}

/// Applies `f` to every run of inlines in the block and the blocks inside it.
fn map_inlines(
    block: Block,
    f: &mut dyn FnMut(Vec<Inline>, usize) -> Vec<Inline>,
    at: usize,
) -> Block {
    let at = block.at().unwrap_or(at);
    let nested = |blocks: Vec<Block>, f: &mut dyn FnMut(Vec<Inline>, usize) -> Vec<Inline>| {
        blocks
            .into_iter()
            .map(|b| map_inlines(b, f, at))
            .collect::<Vec<_>>()
    };
    match block {
        Block::Paragraph {
            role,
            inlines,
            align,
            at,
        } => {
            let inlines = inlines
                .into_iter()
                .map(|i| match i {
                    Inline::Footnote { blocks } => Inline::Footnote {
                        blocks: blocks.into_iter().map(|b| map_inlines(b, f, at)).collect(),
                    },
                    other => other,
                })
                .collect();
            Block::Paragraph {
                role,
                inlines: trim(f(inlines, at)),
                align,
                at,
            }
        }
        Block::Heading { level, inlines } => Block::Heading {
            level,
            inlines: trim(f(inlines, at)),
        },
        Block::List { marker, items } => Block::List {
            marker,
            items: items.into_iter().map(|item| nested(item, f)).collect(),
        },
        Block::Table {
            rows,
            columns,
            caption,
            at,
        } => Block::Table {
            rows: rows
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|mut cell| {
                            cell.blocks = nested(std::mem::take(&mut cell.blocks), f);
                            cell
                        })
                        .collect()
                })
                .collect(),
            columns,
            caption: caption.map(|c| f(c, at)),
            at,
        },
        Block::Figure { image, caption, at } => Block::Figure {
            image,
            caption: f(caption, at),
            at,
        },
        other => other,
    }
}

/// Text with `{{fakta:name}}` markers made [`Inline::Fakta`]; `seen` is told each name.
fn split_markers(inlines: Vec<Inline>, seen: &mut dyn FnMut(&str)) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let Inline::Text {
            text,
            bold,
            italic,
            underline,
        } = inline
        else {
            out.push(inline);
            continue;
        };
        let styled = |t: &str| Inline::Text {
            text: t.to_string(),
            bold,
            italic,
            underline,
        };
        let mut pending = String::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find("{{") {
            let Some(close) = rest[open..].find("}}").map(|c| open + c) else {
                break;
            };
            let key = rest[open + 2..close]
                .split_once(':')
                .filter(|(word, _)| word.trim().eq_ignore_ascii_case("fakta"))
                .map(|(_, key)| key.trim());
            match key {
                Some(key) => {
                    pending.push_str(&rest[..open]);
                    if !pending.is_empty() {
                        out.push(styled(&std::mem::take(&mut pending)));
                    }
                    seen(key);
                    out.push(Inline::Fakta {
                        key: key.to_string(),
                    });
                }
                None => pending.push_str(&rest[..close + 2]),
            }
            rest = &rest[close + 2..];
        }
        pending.push_str(rest);
        if !pending.is_empty() {
            out.push(styled(&pending));
        }
    }
    out
}

/// Spaces at the ends of a paragraph dropped: Word keeps them, a typeset paragraph does not.
fn trim(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text { text, .. }) = inlines.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text, .. }) = inlines.last_mut() {
        *text = text.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
    inlines
}

/// Sub-chapters: Heading 2/3 paragraphs, and body lines numbered like one ("2.3 Kinerja
/// Pelayanan"), become [`Block::Heading`]s without the typed number; a typed number that is
/// not the one the document prints is an info finding.
fn number_headings(
    file: &str,
    chapter: &mut Chapter,
    places: &BTreeMap<usize, (String, usize)>,
    findings: &mut Vec<Finding>,
) {
    let mut counters = [0u32; 8];
    for block in &mut chapter.blocks {
        let Block::Paragraph {
            role, inlines, at, ..
        } = block
        else {
            continue;
        };
        let text = plain_text(inlines);
        let typed = typed_number(&text);
        let level = match (*role, &typed) {
            (ParagraphRole::Heading(level), _) if level >= 2 => level,
            (ParagraphRole::Body, Some((numbers, _)))
                if numbers.first() == Some(&u32::from(chapter.number))
                    && (2..=3).contains(&numbers.len())
                    && text.chars().count() <= 150
                    && !text.trim_end().ends_with(['.', ':', ';', ',']) =>
            {
                numbers.len() as u8
            }
            _ => continue,
        };
        let depth = usize::from(level.clamp(2, 7)) - 1;
        counters[depth] += 1;
        for deeper in &mut counters[depth + 1..] {
            *deeper = 0;
        }
        let printed: Vec<u32> = std::iter::once(u32::from(chapter.number))
            .chain(counters[1..=depth].iter().copied())
            .collect();
        let mut new_inlines = inlines.clone();
        if let Some((numbers, len)) = typed {
            if numbers != printed {
                findings.push(Finding::new(
                    Severity::Info,
                    Rule::NarrativeStructure,
                    source(file, places, *at),
                    say::renumbered(&join(&numbers), &join(&printed)),
                ));
            }
            new_inlines = drop_prefix(new_inlines, len);
        }
        *block = Block::Heading {
            level: level.clamp(2, 7),
            inlines: trim(new_inlines),
        };
    }
}

fn join(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// The number a line starts with ("2.3 ", "2.3.1. ") and its length in bytes with the space
/// after it.
fn typed_number(text: &str) -> Option<(Vec<u32>, usize)> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let len = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let numbers: Vec<u32> = rest[..len]
        .split('.')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let after = &rest[len..];
    if numbers.len() < 2 || !after.starts_with(char::is_whitespace) {
        return None;
    }
    let spaces = after.len() - after.trim_start().len();
    Some((numbers, start + len + spaces))
}

/// Inlines without their first `len` bytes of text.
fn drop_prefix(mut inlines: Vec<Inline>, mut len: usize) -> Vec<Inline> {
    let mut out = Vec::new();
    for inline in inlines.drain(..) {
        match inline {
            Inline::Text {
                text,
                bold,
                italic,
                underline,
            } if len > 0 => {
                if text.len() <= len {
                    len -= text.len();
                } else {
                    let cut = (len..=text.len())
                        .find(|i| text.is_char_boundary(*i))
                        .unwrap_or(text.len());
                    len = 0;
                    out.push(Inline::Text {
                        text: text[cut..].to_string(),
                        bold,
                        italic,
                        underline,
                    });
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests;
