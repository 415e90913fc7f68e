//! A narrative read from a Word (`naskah.docx`) or LibreOffice Writer (`naskah.odt`) document:
//! its text as data, never as markup, so a paragraph that reads `#read("/etc/passwd")` prints
//! literally. The readers ([`crate::naskah`]) give a flat list of [`Block`]s in document order;
//! [`crate::naskah::structure`] cuts it into the Kata Pengantar and the chapters, replaces the
//! Word tables that are renstra's own by the verified ones and the `{{fakta:…}}` markers by
//! [`Inline::Fakta`]. The templates draw the result (`templates/naskah-dokumen.typ`).

use serde::Serialize;

/// A piece of a paragraph's text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Inline {
    /// Text in one style, exactly as written.
    Text {
        /// The characters.
        text: String,
        /// Bold (`w:b`, `fo:font-weight="bold"`).
        bold: bool,
        /// Italic.
        italic: bool,
        /// Underlined.
        underline: bool,
    },
    /// A line break inside the paragraph (Shift+Enter in Word).
    Break,
    /// A footnote at this place, with its own paragraphs.
    Footnote {
        /// The footnote's text.
        blocks: Vec<Block>,
    },
    /// A figure the verified data knows (`{{fakta:pagu-renstra}}` in the document): printed
    /// from the data, like `#fakta("pagu-renstra")`.
    Fakta {
        /// The fact's name.
        key: String,
    },
}

impl Inline {
    /// Plain text in the body style.
    pub fn plain(text: impl Into<String>) -> Inline {
        Inline::Text {
            text: text.into(),
            bold: false,
            italic: false,
            underline: false,
        }
    }
}

/// What a paragraph is, from its style or outline level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphRole {
    /// Body text.
    #[default]
    Body,
    /// A heading of this outline level (1 = Heading 1).
    Heading(u8),
    /// A caption (Word's "Caption" style, LibreOffice's "Table"/"Figure"/"Illustration").
    Caption,
    /// The document's title (Word's "Title").
    Title,
}

/// How a paragraph is aligned, when the author set it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alignment {
    /// The document's default (justified body text).
    #[default]
    Default,
    /// Left.
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// How a list's items are marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ListMarker {
    /// Bullets: the marker as written (`•`, `-`, `➤`).
    Bullet {
        /// The character(s) printed before each item.
        marker: String,
    },
    /// Numbered items, as a Typst numbering pattern: `1.`, `1)`, `a)`, `a.`, `i.`, `A.`,
    /// `(1)`.
    Numbered {
        /// The numbering pattern.
        pattern: String,
        /// The first item's number.
        start: u32,
    },
}

/// A table cell of an author's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The cell's paragraphs.
    pub blocks: Vec<Block>,
    /// Columns it spans (1 for a plain cell).
    pub colspan: u32,
    /// Rows it spans (1 for a plain cell).
    pub rowspan: u32,
}

/// A cell placed on its table's grid: the template gives Typst every cell's column and row,
/// so a row with fewer cells than the grid, or spans that would overlap, never shift the
/// cells after them (Typst would otherwise flow them into the gap, or refuse the table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedCell {
    /// The column, from 0.
    pub x: u32,
    /// The row, from 0.
    pub y: u32,
    /// Columns it spans, within the grid.
    pub colspan: u32,
    /// Rows it spans, within the table.
    pub rowspan: u32,
    /// The cell's paragraphs.
    pub blocks: Vec<Block>,
}

/// A block of the narrative.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// What kind of paragraph, from its style; headings become [`Block::Heading`] once the
        /// document is structured.
        #[serde(skip)]
        role: ParagraphRole,
        /// Its text.
        inlines: Vec<Inline>,
        /// Its alignment.
        align: Alignment,
        /// Its number in the document (see [`Block::at`]).
        #[serde(skip)]
        at: usize,
    },
    /// A sub-chapter (level 2) or a section under it (level 3), numbered by the template.
    Heading {
        /// 2 or 3.
        level: u8,
        /// The title, without the number the author typed ("2.3").
        inlines: Vec<Inline>,
    },
    /// A bulleted or numbered list; an item may hold paragraphs and lists of its own.
    List {
        /// How its items are marked.
        marker: ListMarker,
        /// The items, each its blocks.
        items: Vec<Vec<Block>>,
    },
    /// An author's table laid out on its grid, as the template draws it (made from
    /// [`Block::Table`] when the document is structured).
    Grid {
        /// The number of columns.
        columns: u32,
        /// Every cell, with its place.
        cells: Vec<PlacedCell>,
        /// The caption, as typed ("Tabel 2.9 Jadwal Pelayanan").
        caption: Option<Vec<Inline>>,
    },
    /// A table of the author's that is not one of renstra's: printed as written.
    Table {
        /// The rows, each its cells (a cell spanning several columns or rows is given once).
        rows: Vec<Vec<Cell>>,
        /// The number of columns of the table's grid.
        columns: u32,
        /// The caption, from the paragraph above or below, when it has one.
        caption: Option<Vec<Inline>>,
        /// Its number in the document.
        #[serde(skip)]
        at: usize,
    },
    /// A verified table of renstra's, in the place of the author's copy of it.
    Verified {
        /// The table's id (`T-C.24`, `Tabel 1`).
        table: String,
    },
    /// An image embedded in the document, with its caption.
    Figure {
        /// The image's path among the template's virtual files; `None` when it could not be
        /// kept (too large, not an image): a captioned frame is printed instead.
        image: Option<String>,
        /// The caption, from the paragraph below or above the image.
        caption: Vec<Inline>,
        /// Its number in the document.
        #[serde(skip)]
        at: usize,
    },
    /// A page break the author put.
    PageBreak,
}

impl Block {
    /// The block's number in the document, counting paragraphs, tables and images of the body
    /// in order (the paragraphs inside a list count; a table's own paragraphs do not), from 1:
    /// what findings name it by.
    pub fn at(&self) -> Option<usize> {
        match self {
            Block::Paragraph { at, .. } | Block::Table { at, .. } | Block::Figure { at, .. } => {
                Some(*at)
            }
            _ => None,
        }
    }

    /// The text of a paragraph or heading, without styles.
    pub fn plain_text(&self) -> String {
        match self {
            Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => {
                plain_text(inlines)
            }
            _ => String::new(),
        }
    }
}

/// The text of inlines, without styles or footnotes; a line break is a space.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Break => out.push(' '),
            Inline::Fakta { key } => {
                out.push_str("{{fakta:");
                out.push_str(key);
                out.push_str("}}");
            }
            Inline::Footnote { .. } => {}
        }
    }
    out
}

/// A chapter of the narrative (BAB I … BAB VIII).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    /// 1 … 8.
    pub number: u8,
    /// The chapter's title, without "BAB II".
    pub title: String,
    /// Its blocks, in order.
    pub blocks: Vec<Block>,
}

/// A narrative read from a document, structured.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    /// The document's file name in the unit folder (`naskah.docx`).
    pub file: String,
    /// The text before BAB I when it is headed "Kata Pengantar".
    pub kata_pengantar: Option<Vec<Block>>,
    /// The chapters, in order.
    pub chapters: Vec<Chapter>,
    /// The images the document embeds, by their virtual path (`/naskah/gambar/1.png`): the
    /// template's files besides `/data.json`.
    #[serde(skip)]
    pub images: std::collections::BTreeMap<String, Vec<u8>>,
    /// Each block number's place as findings name it (`BAB II › paragraf 14`).
    #[serde(skip)]
    pub places: std::collections::BTreeMap<usize, String>,
}

/// The unit's narrative as it was given: Typst files in `naskah/`, a Word or Writer document,
/// or none.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Naskah {
    /// No narrative: the Renstra prints its chapters empty.
    #[default]
    None,
    /// `naskah/*.typ`, as (`naskah/bab-2.typ`, text), in document order.
    Typst(Vec<(String, String)>),
    /// `naskah.docx` or `naskah.odt`, structured.
    Document(Document),
}

impl Naskah {
    /// The document, when the narrative is one.
    pub fn document(&self) -> Option<&Document> {
        match self {
            Naskah::Document(d) => Some(d),
            _ => None,
        }
    }
}
