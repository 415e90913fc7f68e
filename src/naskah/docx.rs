//! Reading a Word 2007+ narrative (`naskah.docx`, WordprocessingML): the body's paragraphs with
//! their styles, Word's numbered and bulleted lists (numbering.xml), tables with merged cells,
//! embedded pictures, footnotes and page breaks.
//!
//! Word keeps a list as flat paragraphs that each name a numbering instance and a level; they
//! are nested here into [`Block::List`]s, numbered on from where the same instance stopped, as
//! Word numbers them.

use std::collections::BTreeMap;

use super::xml::{Element, Node, parse};
use super::{MAX_PART_BYTES, NaskahError, Note, Read, Style, push_text};
use crate::model::naskah::{Alignment, Block, Cell, Inline, ListMarker, ParagraphRole};

/// The part that holds the body.
const DOCUMENT_PART: &str = "word/document.xml";

/// At most this many rows of one table are kept; a note says when a table had more.
const MAX_TABLE_ROWS: usize = 10_000;

/// Reads a `.docx` into blocks in document order.
pub fn read(bytes: &[u8]) -> Result<Read, NaskahError> {
    let mut archive = super::open_zip(bytes)?;
    let document = super::read_part(&mut archive, DOCUMENT_PART, MAX_PART_BYTES)?.ok_or(
        NaskahError::NoDocument {
            part: DOCUMENT_PART,
        },
    )?;
    let optional = |archive: &mut zip::ZipArchive<_>, part: &str| -> Result<_, NaskahError> {
        super::read_part(archive, part, MAX_PART_BYTES)?
            .map(|bytes| parse(&bytes, part))
            .transpose()
    };
    let styles = optional(&mut archive, "word/styles.xml")?
        .map(|root| Styles::from_xml(&root))
        .unwrap_or_default();
    let numbering = optional(&mut archive, "word/numbering.xml")?
        .map(|root| Numbering::from_xml(&root))
        .unwrap_or_default();
    let relationships = optional(&mut archive, "word/_rels/document.xml.rels")?
        .map(|root| relationships(&root))
        .unwrap_or_default();
    let footnote_parts = [
        optional(&mut archive, "word/footnotes.xml")?,
        optional(&mut archive, "word/endnotes.xml")?,
    ];
    let root = parse(&document, DOCUMENT_PART)?;
    let body = root
        .child("w:body")
        .ok_or(NaskahError::NoDocument { part: "w:body" })?;
    let mut reader = Reader {
        archive: &mut archive,
        styles,
        numbering,
        relationships,
        notes_text: BTreeMap::new(),
        read: Read::default(),
        at: 0,
        images_kept: 0,
        counters: BTreeMap::new(),
    };
    for (kind, part) in ["w:footnote", "w:endnote"].iter().zip(&footnote_parts) {
        if let Some(part) = part {
            reader.read_notes(part, kind);
        }
    }
    let flat = reader.walk(body, Place::Body, 0);
    let blocks = reader.nest_lists(flat);
    let mut read = reader.read;
    read.blocks = blocks;
    Ok(read)
}

/// Where the walk is: the body numbers its blocks; a table cell or a footnote does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Body,
    Nested,
}

/// A block of the walk before lists are nested: list paragraphs carry their numbering.
#[derive(Debug)]
struct Flat {
    block: Block,
    list: Option<ListPlace>,
    indented: bool,
}

/// A list paragraph's numbering instance and level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListPlace {
    num: u32,
    level: u8,
}

struct Reader<'a, 'b> {
    archive: &'a mut zip::ZipArchive<std::io::Cursor<&'b [u8]>>,
    styles: Styles,
    numbering: Numbering,
    relationships: BTreeMap<String, Relationship>,
    notes_text: BTreeMap<(String, String), Vec<Block>>,
    read: Read,
    at: usize,
    images_kept: u64,
    /// Per numbering instance, the items numbered so far at each level.
    counters: BTreeMap<u32, [u32; 9]>,
}

impl Reader<'_, '_> {
    /// Footnotes (or endnotes) by id, read once so each reference takes its text.
    fn read_notes(&mut self, root: &Element, kind: &str) {
        for note in root.children_named(kind) {
            let special = note
                .attr("w:type")
                .is_some_and(|t| t != "normal" && !t.is_empty());
            let Some(id) = note.attr("w:id") else {
                continue;
            };
            if special {
                continue;
            }
            let flat = self.walk(note, Place::Nested, 1);
            let blocks = self.nest_lists(flat);
            self.notes_text
                .insert((kind.to_string(), id.to_string()), blocks);
        }
    }

    /// The blocks of a container (the body, a cell, a footnote), in order.
    fn walk(&mut self, container: &Element, place: Place, depth: usize) -> Vec<Flat> {
        let mut out = Vec::new();
        if depth > super::xml::MAX_DEPTH {
            return out;
        }
        for child in container.elements() {
            match child.name.as_str() {
                "w:p" => self.paragraph(child, place, &mut out),
                "w:tbl" => {
                    let at = self.next_at(place);
                    let block = self.table(child, at, depth);
                    out.push(Flat {
                        block,
                        list: None,
                        indented: false,
                    });
                }
                "w:sdt" if is_table_of_contents(child) => {}
                "w:sdt" => {
                    if let Some(content) = child.child("w:sdtContent") {
                        out.extend(self.walk(content, place, depth + 1));
                    }
                }
                "w:customXml" | "w:ins" | "w:moveTo" | "w:smartTag" => {
                    out.extend(self.walk(child, place, depth + 1));
                }
                "mc:AlternateContent" => {
                    if let Some(choice) = alternate(child) {
                        out.extend(self.walk(choice, place, depth + 1));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn next_at(&mut self, place: Place) -> usize {
        if place == Place::Body {
            self.at += 1;
        }
        self.at.max(1)
    }

    /// A paragraph: its text, and the figures, page breaks and text boxes it holds.
    fn paragraph(&mut self, p: &Element, place: Place, out: &mut Vec<Flat>) {
        let properties = p.child("w:pPr");
        let style_id = properties
            .and_then(|pr| pr.child("w:pStyle"))
            .and_then(|s| s.attr("w:val"))
            .unwrap_or("");
        let style = self.styles.paragraph(style_id);
        if style.table_of_contents {
            return;
        }
        let own_outline = properties
            .and_then(|pr| pr.child("w:outlineLvl"))
            .and_then(|o| o.attr("w:val"))
            .and_then(|v| v.parse::<u8>().ok());
        let role = match (style.role, own_outline) {
            (ParagraphRole::Body, Some(level)) if level < 9 => ParagraphRole::Heading(level + 1),
            (role, _) => role,
        };
        let align = properties
            .and_then(|pr| pr.child("w:jc"))
            .and_then(|j| j.attr("w:val"))
            .map(alignment)
            .unwrap_or(style.align);
        let list = properties
            .and_then(|pr| pr.child("w:numPr"))
            .map(|n| {
                (
                    n.child("w:numId")
                        .and_then(|e| e.attr("w:val"))
                        .and_then(|v| v.parse::<u32>().ok()),
                    n.child("w:ilvl")
                        .and_then(|e| e.attr("w:val"))
                        .and_then(|v| v.parse::<u8>().ok()),
                )
            })
            .map(|(num, level)| (num, level.unwrap_or(0)))
            .or(style.list.map(|l| (Some(l.num), l.level)))
            .and_then(|(num, level)| num.filter(|n| *n != 0).map(|num| (num, level.min(8))))
            .map(|(num, level)| ListPlace { num, level });
        let indented = properties
            .and_then(|pr| pr.child("w:ind"))
            .and_then(|i| i.attr("w:left").or_else(|| i.attr("w:start")))
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|left| left > 0);
        if properties.is_some_and(|pr| on(pr.child("w:pageBreakBefore"))) || style.break_before {
            out.push(Flat {
                block: Block::PageBreak,
                list: None,
                indented: false,
            });
        }
        let base = if role == ParagraphRole::Body {
            style.run
        } else {
            RunStyle::default()
        };
        let mut pieces = Pieces::default();
        self.runs(p, base, &mut pieces, 0);
        let pieces = pieces.done();
        // A blank paragraph (an empty line the author left) is not counted: people do not
        // count it either when they look for "paragraf 14".
        let has_content = pieces.iter().any(|piece| match piece {
            Piece::Text(inlines) => !blank(inlines),
            Piece::Image(_) | Piece::Boxed(_) => true,
            Piece::PageBreak => false,
        });
        let at = if has_content {
            self.next_at(place)
        } else {
            self.at.max(1)
        };
        let mut first = true;
        for piece in pieces {
            match piece {
                Piece::Text(inlines) => {
                    if !blank(&inlines) {
                        out.push(Flat {
                            block: Block::Paragraph {
                                role,
                                inlines,
                                align,
                                at,
                            },
                            list: if first { list } else { None },
                            indented: indented || !first,
                        });
                    }
                    first = false;
                }
                Piece::PageBreak => out.push(Flat {
                    block: Block::PageBreak,
                    list: None,
                    indented: false,
                }),
                Piece::Image(rel) => {
                    let figure = self.figure(&rel, at);
                    out.push(Flat {
                        block: figure,
                        list: None,
                        indented: false,
                    });
                }
                Piece::Boxed(boxed) => {
                    for element in boxed {
                        let inner = self.walk(&element, Place::Nested, 1);
                        out.extend(inner.into_iter().map(|mut f| {
                            f.list = None;
                            f
                        }));
                    }
                }
            }
        }
    }

    /// The runs of a paragraph (or of a hyperlink, field or revision inside it).
    fn runs(&mut self, container: &Element, base: RunStyle, pieces: &mut Pieces, depth: usize) {
        if depth > super::xml::MAX_DEPTH {
            return;
        }
        for child in container.elements() {
            match child.name.as_str() {
                "w:r" => self.run(child, base, pieces),
                "w:hyperlink" | "w:ins" | "w:moveTo" | "w:smartTag" | "w:fldSimple"
                | "w:customXml" | "w:sdtContent" | "w:dir" | "w:bdo" => {
                    self.runs(child, base, pieces, depth + 1);
                }
                "w:sdt" => {
                    if let Some(content) = child.child("w:sdtContent") {
                        self.runs(content, base, pieces, depth + 1);
                    }
                }
                "mc:AlternateContent" => {
                    if let Some(choice) = alternate(child) {
                        self.runs(choice, base, pieces, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// One run: its text in its style, or a break, picture, footnote or text box.
    fn run(&mut self, r: &Element, base: RunStyle, pieces: &mut Pieces) {
        let style = self.run_style(r, base);
        for child in r.elements() {
            match child.name.as_str() {
                "w:t" => push_text(pieces.inlines(), &child.text(), style),
                "w:tab" | "w:ptab" => push_text(pieces.inlines(), "\t", style),
                "w:noBreakHyphen" => push_text(pieces.inlines(), "\u{2011}", style),
                "w:sym" => {
                    let symbol = child
                        .attr("w:char")
                        .and_then(|c| u32::from_str_radix(c, 16).ok())
                        .map(symbol_character)
                        .unwrap_or_default();
                    push_text(pieces.inlines(), &symbol, style);
                }
                "w:br" => match child.attr("w:type") {
                    Some("page") => pieces.page_break(),
                    Some("column") => pieces.inlines().push(Inline::Break),
                    _ => pieces.inlines().push(Inline::Break),
                },
                "w:cr" => pieces.inlines().push(Inline::Break),
                "w:footnoteReference" | "w:endnoteReference" => {
                    let kind = if child.name == "w:footnoteReference" {
                        "w:footnote"
                    } else {
                        "w:endnote"
                    };
                    let id = child.attr("w:id").unwrap_or_default().to_string();
                    let blocks = self
                        .notes_text
                        .get(&(kind.to_string(), id))
                        .cloned()
                        .unwrap_or_default();
                    pieces.inlines().push(Inline::Footnote { blocks });
                }
                "w:drawing" | "w:pict" | "w:object" => self.drawing(child, pieces),
                "mc:AlternateContent" => {
                    // The choice is a run's content: a drawing or a text box.
                    if let Some(choice) = alternate(child) {
                        for inner in choice.elements() {
                            if matches!(inner.name.as_str(), "w:drawing" | "w:pict") {
                                self.drawing(inner, pieces);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A picture (its relationship id) or a text box (its paragraphs) in a run.
    fn drawing(&mut self, drawing: &Element, pieces: &mut Pieces) {
        if let Some(text_box) = drawing.find("w:txbxContent") {
            pieces.boxed(copy(text_box));
            return;
        }
        let rel = drawing
            .find("a:blip")
            .and_then(|b| b.attr("r:embed").or_else(|| b.attr("r:link")))
            .or_else(|| drawing.find("v:imagedata").and_then(|i| i.attr("r:id")));
        match rel {
            Some(rel) => pieces.image(rel.to_string()),
            None => pieces.image(String::new()),
        }
    }

    /// A figure for the picture behind relationship `rel`: its image kept, or a note why not.
    fn figure(&mut self, rel: &str, at: usize) -> Block {
        let image = match self.relationships.get(rel) {
            Some(Relationship {
                external: false,
                target,
            }) => {
                let part = part_path(target);
                match super::read_image(self.archive, &part, self.images_kept) {
                    Ok(bytes) => {
                        let path = super::image_path(self.read.images.len() + 1, &part);
                        self.images_kept += bytes.len() as u64;
                        self.read.images.insert(path.clone(), bytes);
                        Some(path)
                    }
                    Err(message) => {
                        self.read.notes.push(Note { at, message });
                        None
                    }
                }
            }
            Some(Relationship { target, .. }) => {
                self.read.notes.push(Note {
                    at,
                    message: crate::messages::naskah::image_missing(target),
                });
                None
            }
            None => {
                self.read.notes.push(Note {
                    at,
                    message: crate::messages::naskah::object_not_kept(),
                });
                None
            }
        };
        Block::Figure {
            image,
            caption: Vec::new(),
            at,
        }
    }

    /// A run's style: the paragraph's, then the run's character style, then its own
    /// properties, each overriding what it sets.
    fn run_style(&self, r: &Element, base: RunStyle) -> Style {
        let properties = r.child("w:rPr");
        let mut style = base;
        if let Some(id) = properties
            .and_then(|pr| pr.child("w:rStyle"))
            .and_then(|s| s.attr("w:val"))
        {
            style = style.over(self.styles.character(id));
        }
        if let Some(pr) = properties {
            style = style.over(RunStyle::from_xml(pr));
        }
        style.resolved()
    }

    /// A table: its grid, its rows and cells (merged cells given once, with their spans).
    fn table(&mut self, tbl: &Element, at: usize, depth: usize) -> Block {
        let grid_columns = tbl
            .child("w:tblGrid")
            .map(|g| g.children_named("w:gridCol").count())
            .unwrap_or(0);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        // For each grid column, the (row, cell) a vertical merge started at.
        let mut merge_origin: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        let mut widest = 0;
        let mut capped = false;
        for tr in table_rows(tbl) {
            if rows.len() >= MAX_TABLE_ROWS {
                capped = true;
                break;
            }
            let row_index = rows.len();
            let mut row = Vec::new();
            let mut column = 0;
            for tc in row_cells(tr) {
                let properties = tc.child("w:tcPr");
                let span = properties
                    .and_then(|p| p.child("w:gridSpan"))
                    .and_then(|g| g.attr("w:val"))
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let merge = properties
                    .and_then(|p| p.child("w:vMerge"))
                    .map(|m| m.attr("w:val").unwrap_or("continue"));
                if merge == Some("continue")
                    && let Some(&(r, c)) = merge_origin.get(&column)
                    && let Some(origin) = rows.get_mut(r).and_then(|row| row.get_mut(c))
                {
                    origin.rowspan += 1;
                    column += span as usize;
                    continue;
                }
                let flat = self.walk(tc, Place::Nested, depth + 1);
                let blocks = self.nest_lists(flat);
                if merge == Some("restart") {
                    merge_origin.insert(column, (row_index, row.len()));
                } else {
                    merge_origin.remove(&column);
                }
                row.push(Cell {
                    blocks,
                    colspan: span,
                    rowspan: 1,
                });
                column += span as usize;
            }
            widest = widest.max(column);
            rows.push(row);
        }
        if capped {
            self.read.notes.push(Note {
                at,
                message: crate::messages::naskah::table_capped(MAX_TABLE_ROWS),
            });
        }
        Block::Table {
            rows,
            columns: grid_columns.max(widest).max(1) as u32,
            caption: None,
            at,
        }
    }

    /// Word's flat list paragraphs nested into lists, each numbered on from where its
    /// numbering instance stopped; an indented paragraph without numbering right after a list
    /// item stays in that item.
    fn nest_lists(&mut self, flat: Vec<Flat>) -> Vec<Block> {
        let mut out: Vec<Block> = Vec::new();
        let mut open: Vec<OpenList> = Vec::new();
        for item in flat {
            match item.list {
                Some(place) => {
                    while open.last().is_some_and(|l| l.level > place.level) {
                        close_one(&mut open, &mut out);
                    }
                    let continues = open
                        .last()
                        .is_some_and(|l| l.level == place.level && l.num == place.num);
                    if !continues {
                        if open.last().is_some_and(|l| l.level == place.level) {
                            close_one(&mut open, &mut out);
                        }
                        let start = self
                            .counters
                            .get(&place.num)
                            .map_or(0, |c| c[usize::from(place.level)])
                            + self.numbering.start(place);
                        open.push(OpenList {
                            num: place.num,
                            level: place.level,
                            marker: self.numbering.marker(place, start),
                            items: Vec::new(),
                        });
                    }
                    let counters = self.counters.entry(place.num).or_insert([0; 9]);
                    counters[usize::from(place.level)] += 1;
                    for deeper in &mut counters[usize::from(place.level) + 1..] {
                        *deeper = 0;
                    }
                    if let Some(list) = open.last_mut() {
                        list.items.push(vec![item.block]);
                    }
                }
                None if item.indented && !open.is_empty() => {
                    if let Some(last) = open.last_mut().and_then(|l| l.items.last_mut()) {
                        last.push(item.block);
                    }
                }
                None => {
                    while !open.is_empty() {
                        close_one(&mut open, &mut out);
                    }
                    out.push(item.block);
                }
            }
        }
        while !open.is_empty() {
            close_one(&mut open, &mut out);
        }
        out
    }
}

/// A list being gathered.
struct OpenList {
    num: u32,
    level: u8,
    marker: ListMarker,
    items: Vec<Vec<Block>>,
}

/// Closes the innermost open list: into the item of the list around it, or into `out`.
fn close_one(open: &mut Vec<OpenList>, out: &mut Vec<Block>) {
    let Some(list) = open.pop() else { return };
    let block = Block::List {
        marker: list.marker,
        items: list.items,
    };
    match open.last_mut() {
        Some(outer) => match outer.items.last_mut() {
            Some(item) => item.push(block),
            None => outer.items.push(vec![block]),
        },
        None => out.push(block),
    }
}

/// What a paragraph's runs make, in order: text, and the breaks, pictures and text boxes that
/// cut it.
#[derive(Default)]
struct Pieces {
    done: Vec<Piece>,
    current: Vec<Inline>,
}

enum Piece {
    Text(Vec<Inline>),
    PageBreak,
    Image(String),
    Boxed(Vec<Element>),
}

impl Pieces {
    fn inlines(&mut self) -> &mut Vec<Inline> {
        &mut self.current
    }

    fn cut(&mut self) {
        let text = std::mem::take(&mut self.current);
        self.done.push(Piece::Text(text));
    }

    fn page_break(&mut self) {
        self.cut();
        self.done.push(Piece::PageBreak);
    }

    fn image(&mut self, rel: String) {
        self.cut();
        self.done.push(Piece::Image(rel));
    }

    fn boxed(&mut self, element: Element) {
        self.cut();
        self.done.push(Piece::Boxed(vec![element]));
    }

    /// The pieces, empty text between two cuts dropped (the first piece of text is kept even
    /// when empty: it is the paragraph itself, and says where a list item is).
    fn done(mut self) -> Vec<Piece> {
        self.cut();
        let mut out = Vec::new();
        let mut first_text = true;
        for piece in self.done {
            match piece {
                Piece::Text(t) if !first_text && t.is_empty() => {}
                Piece::Text(t) => {
                    first_text = false;
                    out.push(Piece::Text(t));
                }
                other => out.push(other),
            }
        }
        out
    }
}

/// Whether a paragraph's text is blank: only spaces and line breaks, no footnote.
fn blank(inlines: &[Inline]) -> bool {
    crate::model::naskah::plain_text(inlines).trim().is_empty()
        && !inlines.iter().any(|i| matches!(i, Inline::Footnote { .. }))
}

/// A copy of an element, to walk a text box after its paragraph.
fn copy(e: &Element) -> Element {
    Element {
        name: e.name.clone(),
        attrs: e.attrs.clone(),
        children: e
            .children
            .iter()
            .map(|n| match n {
                Node::Element(e) => Node::Element(copy(e)),
                Node::Text(t) => Node::Text(t.clone()),
            })
            .collect(),
    }
}

/// The content of markup compatibility's choice Word took: `mc:Choice` (the richer one),
/// else `mc:Fallback`.
fn alternate(e: &Element) -> Option<&Element> {
    e.child("mc:Choice").or_else(|| e.child("mc:Fallback"))
}

/// Whether a content control is Word's table of contents: Typst makes its own.
fn is_table_of_contents(sdt: &Element) -> bool {
    sdt.child("w:sdtPr")
        .and_then(|p| p.find("w:docPartGallery"))
        .and_then(|g| g.attr("w:val"))
        .is_some_and(|v| v.to_ascii_lowercase().contains("table of contents"))
}

/// The rows of a table, including those Word wraps in revision or content-control elements.
fn table_rows(tbl: &Element) -> Vec<&Element> {
    let mut rows = Vec::new();
    for e in tbl.elements() {
        match e.name.as_str() {
            "w:tr" => rows.push(e),
            "w:sdt" | "w:customXml" | "w:ins" => {
                if let Some(content) = e.child("w:sdtContent") {
                    rows.extend(content.children_named("w:tr"));
                } else {
                    rows.extend(e.children_named("w:tr"));
                }
            }
            _ => {}
        }
    }
    rows
}

/// The cells of a row.
fn row_cells(tr: &Element) -> Vec<&Element> {
    let mut cells = Vec::new();
    for e in tr.elements() {
        match e.name.as_str() {
            "w:tc" => cells.push(e),
            "w:sdt" | "w:customXml" => {
                if let Some(content) = e.child("w:sdtContent") {
                    cells.extend(content.children_named("w:tc"));
                }
            }
            _ => {}
        }
    }
    cells
}

/// A relationship of the document part: where a picture is.
#[derive(Debug, Clone)]
struct Relationship {
    target: String,
    external: bool,
}

fn relationships(root: &Element) -> BTreeMap<String, Relationship> {
    root.elements()
        .filter(|e| e.name == "Relationship")
        .filter_map(|e| {
            Some((
                e.attr("Id")?.to_string(),
                Relationship {
                    target: e.attr("Target")?.to_string(),
                    external: e
                        .attr("TargetMode")
                        .is_some_and(|m| m.eq_ignore_ascii_case("External")),
                },
            ))
        })
        .collect()
}

/// A relationship target (`media/image1.png`, `/word/media/image1.png`) as a path in the zip.
fn part_path(target: &str) -> String {
    let target = target.replace('\\', "/");
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("word/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// A symbol font character (Symbol, Wingdings) as the Unicode character it shows, where it
/// has one: Word's list bullets are such characters.
fn symbol_character(code: u32) -> String {
    let code = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    match code {
        0xB7 => "•".into(),
        0xA7 => "▪".into(),
        0xD8 => "➢".into(),
        0xFC => "✓".into(),
        0x76 => "❖".into(),
        0x6E => "■".into(),
        0x71 => "❑".into(),
        c => char::from_u32(c).map(String::from).unwrap_or_default(),
    }
}

fn alignment(value: &str) -> Alignment {
    match value {
        "center" => Alignment::Center,
        "right" | "end" => Alignment::Right,
        "left" | "start" => Alignment::Left,
        _ => Alignment::Default,
    }
}

/// Whether an on/off property is on: present without a value, or `1`, `true`, `on`.
fn on(e: Option<&Element>) -> bool {
    e.is_some_and(|e| !matches!(e.attr("w:val"), Some("0" | "false" | "off" | "none")))
}

/// Character properties a style or run sets: `None` where it leaves them to what it is based
/// on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct RunStyle {
    bold: Option<bool>,
    italic: Option<bool>,
    underline: Option<bool>,
}

impl RunStyle {
    fn from_xml(pr: &Element) -> RunStyle {
        let flag = |name: &str| pr.child(name).map(|e| on(Some(e)));
        RunStyle {
            bold: flag("w:b"),
            italic: flag("w:i"),
            underline: pr.child("w:u").map(|u| u.attr("w:val") != Some("none")),
        }
    }

    /// `self` with what `other` sets.
    fn over(self, other: RunStyle) -> RunStyle {
        RunStyle {
            bold: other.bold.or(self.bold),
            italic: other.italic.or(self.italic),
            underline: other.underline.or(self.underline),
        }
    }

    fn resolved(self) -> Style {
        Style {
            bold: self.bold.unwrap_or(false),
            italic: self.italic.unwrap_or(false),
            underline: self.underline.unwrap_or(false),
        }
    }
}

/// What a paragraph style makes of its paragraphs, following its `basedOn` chain.
#[derive(Debug, Clone, Copy, Default)]
struct ParagraphStyle {
    role: ParagraphRole,
    align: Alignment,
    run: RunStyle,
    list: Option<ListPlace>,
    break_before: bool,
    table_of_contents: bool,
}

/// One style of styles.xml as written.
#[derive(Debug, Clone, Default)]
struct RawStyle {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    align: Option<Alignment>,
    run: RunStyle,
    list: Option<(Option<u32>, Option<u8>)>,
    break_before: Option<bool>,
}

/// The document's styles by id.
#[derive(Debug, Default)]
struct Styles {
    paragraph: BTreeMap<String, RawStyle>,
    character: BTreeMap<String, RawStyle>,
    default_paragraph: Option<String>,
}

impl Styles {
    fn from_xml(root: &Element) -> Styles {
        let mut styles = Styles::default();
        for s in root.children_named("w:style") {
            let Some(id) = s.attr("w:styleId") else {
                continue;
            };
            let p = s.child("w:pPr");
            let raw = RawStyle {
                name: s
                    .child("w:name")
                    .and_then(|n| n.attr("w:val"))
                    .unwrap_or(id)
                    .to_ascii_lowercase(),
                based_on: s
                    .child("w:basedOn")
                    .and_then(|b| b.attr("w:val"))
                    .map(str::to_string),
                outline: p
                    .and_then(|p| p.child("w:outlineLvl"))
                    .and_then(|o| o.attr("w:val"))
                    .and_then(|v| v.parse().ok()),
                align: p
                    .and_then(|p| p.child("w:jc"))
                    .and_then(|j| j.attr("w:val"))
                    .map(alignment),
                run: s.child("w:rPr").map(RunStyle::from_xml).unwrap_or_default(),
                list: p.and_then(|p| p.child("w:numPr")).map(|n| {
                    (
                        n.child("w:numId")
                            .and_then(|e| e.attr("w:val"))
                            .and_then(|v| v.parse().ok()),
                        n.child("w:ilvl")
                            .and_then(|e| e.attr("w:val"))
                            .and_then(|v| v.parse().ok()),
                    )
                }),
                break_before: p
                    .and_then(|p| p.child("w:pageBreakBefore"))
                    .map(|e| on(Some(e))),
            };
            match s.attr("w:type") {
                Some("character") => {
                    styles.character.insert(id.to_string(), raw);
                }
                Some("paragraph") | None => {
                    if s.attr("w:default").is_some_and(|d| d == "1" || d == "true") {
                        styles.default_paragraph = Some(id.to_string());
                    }
                    styles.paragraph.insert(id.to_string(), raw);
                }
                _ => {}
            }
        }
        styles
    }

    /// The chain of a style: itself, then what it is based on (at most 16, against loops).
    fn chain<'a>(map: &'a BTreeMap<String, RawStyle>, id: &str) -> Vec<&'a RawStyle> {
        let mut out = Vec::new();
        let mut next = Some(id.to_string());
        while let Some(id) = next {
            let Some(style) = map.get(&id) else { break };
            if out.len() >= 16 {
                break;
            }
            out.push(style);
            next = style.based_on.clone();
        }
        out
    }

    fn paragraph(&self, id: &str) -> ParagraphStyle {
        let id = if id.is_empty() {
            self.default_paragraph.as_deref().unwrap_or("")
        } else {
            id
        };
        let chain = Styles::chain(&self.paragraph, id);
        let mut style = ParagraphStyle::default();
        // The most derived style decides; walk from the base up.
        let mut run = RunStyle::default();
        let mut list: Option<(Option<u32>, Option<u8>)> = None;
        for raw in chain.iter().rev() {
            run = run.over(raw.run);
            if let Some(align) = raw.align {
                style.align = align;
            }
            if let Some((num, level)) = raw.list {
                let (old_num, old_level) = list.unwrap_or((None, None));
                list = Some((num.or(old_num), level.or(old_level)));
            }
            if let Some(b) = raw.break_before {
                style.break_before = b;
            }
        }
        style.run = run;
        style.list = list.and_then(|(num, level)| {
            num.filter(|n| *n != 0).map(|num| ListPlace {
                num,
                level: level.unwrap_or(0).min(8),
            })
        });
        style.role = chain
            .iter()
            .find_map(|raw| role_of_name(&raw.name))
            .or_else(|| {
                chain
                    .iter()
                    .find_map(|raw| raw.outline)
                    .filter(|level| *level < 9)
                    .map(|level| ParagraphRole::Heading(level + 1))
            })
            .unwrap_or_default();
        style.table_of_contents = chain
            .first()
            .is_some_and(|raw| raw.name.starts_with("toc ") || raw.name == "toc heading");
        style
    }

    fn character(&self, id: &str) -> RunStyle {
        Styles::chain(&self.character, id)
            .iter()
            .rev()
            .fold(RunStyle::default(), |acc, raw| acc.over(raw.run))
    }
}

/// The role a built-in style name gives (`heading 2`, `Title`, `Caption`); Word writes the
/// English name whatever the interface language.
fn role_of_name(name: &str) -> Option<ParagraphRole> {
    if let Some(level) = name.strip_prefix("heading ") {
        return level
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|l| (1..=9).contains(l))
            .map(ParagraphRole::Heading);
    }
    match name {
        "title" => Some(ParagraphRole::Title),
        "caption" => Some(ParagraphRole::Caption),
        _ => None,
    }
}

/// One level of a numbering definition.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// numbering.xml: the abstract definitions and the instances paragraphs name.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: BTreeMap<String, BTreeMap<u8, Level>>,
    /// Instance id → (abstract id, level start overrides).
    instances: BTreeMap<u32, (String, BTreeMap<u8, u32>)>,
}

impl Numbering {
    fn from_xml(root: &Element) -> Numbering {
        let mut numbering = Numbering::default();
        for abs in root.children_named("w:abstractNum") {
            let Some(id) = abs.attr("w:abstractNumId") else {
                continue;
            };
            let mut levels = BTreeMap::new();
            for lvl in abs.children_named("w:lvl") {
                let Some(ilvl) = lvl.attr("w:ilvl").and_then(|v| v.parse::<u8>().ok()) else {
                    continue;
                };
                let val = |name: &str| {
                    lvl.child(name)
                        .and_then(|e| e.attr("w:val"))
                        .map(str::to_string)
                };
                levels.insert(
                    ilvl,
                    Level {
                        start: val("w:start").and_then(|v| v.parse().ok()).unwrap_or(1),
                        format: val("w:numFmt").unwrap_or_else(|| "decimal".into()),
                        text: val("w:lvlText").unwrap_or_default(),
                    },
                );
            }
            numbering.abstracts.insert(id.to_string(), levels);
        }
        for num in root.children_named("w:num") {
            let Some(id) = num.attr("w:numId").and_then(|v| v.parse::<u32>().ok()) else {
                continue;
            };
            let Some(abs) = num.child("w:abstractNumId").and_then(|a| a.attr("w:val")) else {
                continue;
            };
            let overrides = num
                .children_named("w:lvlOverride")
                .filter_map(|o| {
                    let level = o.attr("w:ilvl")?.parse::<u8>().ok()?;
                    let start = o.child("w:startOverride")?.attr("w:val")?.parse().ok()?;
                    Some((level, start))
                })
                .collect();
            numbering.instances.insert(id, (abs.to_string(), overrides));
        }
        numbering
    }

    fn level(&self, place: ListPlace) -> Option<&Level> {
        let (abs, _) = self.instances.get(&place.num)?;
        self.abstracts.get(abs)?.get(&place.level)
    }

    /// The number a list of this instance and level starts at.
    fn start(&self, place: ListPlace) -> u32 {
        self.instances
            .get(&place.num)
            .and_then(|(_, overrides)| overrides.get(&place.level).copied())
            .or_else(|| self.level(place).map(|l| l.start))
            .unwrap_or(1)
    }

    /// How the items of this instance and level are marked, as a Typst pattern; `start` is the
    /// first item's number.
    fn marker(&self, place: ListPlace, start: u32) -> ListMarker {
        let Some(level) = self.level(place) else {
            return ListMarker::Bullet {
                marker: "•".into()
            };
        };
        let counter = match level.format.as_str() {
            "bullet" => {
                let marker: String = level
                    .text
                    .chars()
                    .map(|c| symbol_character(c as u32))
                    .collect();
                return ListMarker::Bullet {
                    marker: if marker.trim().is_empty() {
                        "•".into()
                    } else {
                        marker
                    },
                };
            }
            "none" => {
                return ListMarker::Bullet {
                    marker: String::new(),
                };
            }
            "lowerLetter" => "a",
            "upperLetter" => "A",
            "lowerRoman" => "i",
            "upperRoman" => "I",
            _ => "1",
        };
        ListMarker::Numbered {
            pattern: pattern(&level.text, place.level, counter),
            start: start.max(1),
        }
    }
}

/// A Word level text (`%1.`, `%2)`, `(%1)`, `%1.%2.`) as a Typst numbering pattern of its own
/// level only: other levels' numbers and the separator after them are dropped.
fn pattern(level_text: &str, level: u8, counter: &str) -> String {
    let own = format!("%{}", level + 1);
    let mut out = String::new();
    let mut rest = level_text;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let placeholder: String = rest[at..].chars().take(2).collect();
        rest = &rest[at + placeholder.len()..];
        if placeholder == own {
            out.push_str(counter);
        } else if let Some(c) = rest.chars().next()
            && matches!(c, '.' | ')' | '-')
            && rest[c.len_utf8()..].contains('%')
        {
            rest = &rest[c.len_utf8()..];
        }
    }
    out.push_str(rest);
    if !out.contains(counter) {
        return format!("{counter}.");
    }
    out
}

#[cfg(test)]
mod tests;
