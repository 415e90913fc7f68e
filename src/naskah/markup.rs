//! The Typst markup equivalent to a narrative document, for `renstra naskah impor`: one file
//! per chapter (`naskah/bab-2.typ`), written as a person would write it (`== Tugas`,
//! `*Camat*`, `+ item`), with every character of the author's text escaped so it prints as
//! written, and the embedded images as files beside them (`naskah/gambar/1.png`).

use crate::model::naskah::{
    Alignment, Block, Document, Inline, ListMarker, PlacedCell, plain_text,
};

/// The line every narrative file starts with: the functions it may call.
const IMPORT: &str = "#import \"/templates/naskah.typ\": *\n";

/// The files of the narrative in Typst, by path relative to the unit folder
/// (`naskah/bab-2.typ`, `naskah/gambar/1.png`), in order. A chapter given twice, or past
/// BAB VIII, is added to the file before it, so nothing of the document is left out.
pub fn typst_files(document: &Document) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, String)> = Vec::new();
    if let Some(blocks) = &document.kata_pengantar {
        files.push((
            "naskah/kata-pengantar.typ".into(),
            format!("{IMPORT}\n{}", blocks_markup(blocks)),
        ));
    }
    for chapter in &document.chapters {
        let body = format!(
            "= {}\n\n{}",
            escape(&chapter.title),
            blocks_markup(&chapter.blocks)
        );
        let number = chapter.number.clamp(1, 8);
        let name = format!("naskah/bab-{number}.typ");
        match files.iter_mut().find(|(n, _)| *n == name) {
            Some((_, text)) => {
                text.push('\n');
                text.push_str(&body);
            }
            None => files.push((name, format!("{IMPORT}\n{body}"))),
        }
    }
    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    for (path, bytes) in &document.images {
        out.push((image_file(path), bytes.clone()));
    }
    out
}

/// Where an image served at `/naskah/gambar/1.png` is written: `naskah/gambar/1.png`, which
/// `#gambar(…, "naskah/gambar/1.png")` reads from the unit folder.
fn image_file(path: &str) -> String {
    path.trim_start_matches('/').to_string()
}

/// Blocks as markup, each followed by a blank line.
fn blocks_markup(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        for line in block_lines(block) {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// A block as lines of markup (a list item's continuation lines are indented by the caller).
fn block_lines(block: &Block) -> Vec<String> {
    match block {
        Block::Paragraph { inlines, align, .. } => {
            let text = guard_line_start(inline_markup(inlines));
            vec![match align {
                Alignment::Center => format!("#align(center)[{text}]"),
                Alignment::Right => format!("#align(right)[{text}]"),
                Alignment::Left => format!("#par(justify: false)[{text}]"),
                Alignment::Default => text,
            }]
        }
        Block::Heading { level, inlines } => vec![format!(
            "{} {}",
            "=".repeat(usize::from(*level)),
            inline_markup(inlines)
        )],
        Block::List { marker, items } => list_lines(marker, items),
        Block::Grid {
            columns,
            cells,
            caption,
        } => grid_lines(*columns, cells, caption.as_deref()),
        Block::Table { .. } => Vec::new(),
        Block::Verified { table } => vec![format!("#tabel({})", string(table))],
        Block::Figure { image, caption, .. } => figure_lines(image.as_deref(), caption),
        Block::PageBreak => vec!["#pagebreak(weak: true)".into()],
    }
}

/// An embedded image as a figure with its caption as typed ("Gambar 2.1 …", not renumbered),
/// as the document prints it; an image that could not be kept is `#gambar` without a file,
/// which prints a frame and reminds with FIGURE-MISSING.
fn figure_lines(image: Option<&str>, caption: &[Inline]) -> Vec<String> {
    let Some(path) = image else {
        return vec![format!("#gambar({})", string(&plain_text(caption)))];
    };
    vec![
        "#figure(".into(),
        format!(
            "  image({}, width: 90%),",
            string(&format!("/unit/{}", image_file(path)))
        ),
        "  kind: image,".into(),
        "  numbering: none,".into(),
        "  supplement: none,".into(),
        format!("  caption: [{}],", inline_markup(caption)),
        ")".into(),
    ]
}

/// A list in markup: `+ ` or `- ` items, their further blocks indented under them; a marker
/// other than Typst's own is set for this list only.
fn list_lines(marker: &ListMarker, items: &[Vec<Block>]) -> Vec<String> {
    // A numbered list's first item carries its number ("1. "): two lists one after the other
    // would otherwise be one list to Typst, numbered on.
    let (first_bullet, bullet, setting) = match marker {
        ListMarker::Numbered { pattern, start } => {
            let setting =
                (pattern != "1.").then(|| format!("#set enum(numbering: {})", string(pattern)));
            (format!("{start}. "), "+ ", setting)
        }
        ListMarker::Bullet { marker } => {
            let setting =
                (marker != "•").then(|| format!("#set list(marker: [{}])", escape(marker)));
            ("- ".to_string(), "- ", setting)
        }
    };
    let mut lines = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let bullet = if n == 0 {
            first_bullet.as_str()
        } else {
            bullet
        };
        let mut first = true;
        for (i, block) in item.iter().enumerate() {
            // A paragraph after the item's first block is a paragraph of its own: a blank
            // line before it (a nested list follows its item's line directly).
            if i > 0 && !matches!(block, Block::List { .. }) {
                lines.push(String::new());
            }
            for line in block_lines(block) {
                if first {
                    lines.push(format!("{bullet}{line}"));
                    first = false;
                } else if line.is_empty() {
                    lines.push(line);
                } else {
                    lines.push(format!("  {line}"));
                }
            }
        }
        if first {
            lines.push(bullet.trim_end().to_string());
        }
    }
    match setting {
        None => lines,
        Some(setting) => {
            let mut wrapped = vec!["#[".to_string(), setting];
            wrapped.extend(lines);
            wrapped.push("]".into());
            wrapped
        }
    }
}

/// An author's table: every cell at its place on the grid, inside a captioned figure when it
/// has a caption.
fn grid_lines(columns: u32, cells: &[PlacedCell], caption: Option<&[Inline]>) -> Vec<String> {
    let plain = cells.iter().all(|c| c.colspan == 1 && c.rowspan == 1);
    let mut lines = vec!["table(".to_string(), format!("  columns: {columns},")];
    for cell in cells {
        let content = cell_markup(&cell.blocks);
        lines.push(if plain {
            format!("  [{content}],")
        } else {
            format!(
                "  table.cell(x: {}, y: {}, colspan: {}, rowspan: {})[{content}],",
                cell.x, cell.y, cell.colspan, cell.rowspan
            )
        });
    }
    lines.push(")".into());
    match caption {
        Some(caption) => {
            let mut out = vec![
                "#figure(".to_string(),
                "  kind: table,".into(),
                "  numbering: none,".into(),
                "  supplement: none,".into(),
                format!("  caption: [{}],", inline_markup(caption)),
                "  text(size: 9pt, ".into(),
            ];
            out.extend(lines.into_iter().map(|l| format!("    {l}")));
            out.push("  ),".into());
            out.push(")".into());
            out
        }
        None => {
            let mut out = vec!["#text(size: 9pt, ".to_string()];
            out.extend(lines.into_iter().map(|l| format!("  {l}")));
            out.push(")".into());
            out
        }
    }
}

/// A cell's or footnote's blocks on one line: paragraphs joined by `#parbreak()`.
fn cell_markup(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => {
                inline_markup(inlines)
            }
            other => {
                // A list or table inside a cell: as a content block of its own lines.
                let lines = block_lines(other);
                format!("#[\n{}\n]", lines.join("\n"))
            }
        })
        .collect::<Vec<_>>()
        .join(" #parbreak() ")
}

/// Inlines as markup: `*bold*`, `_italic_` where the style starts and ends at a word's edge
/// (`#strong[…]`, `#emph[…]` inside a word), `#underline[…]`, `#footnote[…]`, `#fakta("…")`.
fn inline_markup(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for (i, inline) in inlines.iter().enumerate() {
        // Right after `#fakta("…")` or `#footnote[…]`, a `;` would end the call, a `.` or `(`
        // would go on with it: such a character is escaped.
        if i > 0
            && !matches!(inlines[i - 1], Inline::Text { .. } | Inline::Break)
            && let Inline::Text { text, .. } = inline
            && text.starts_with([';', '.', '('])
        {
            out.push('\\');
        }
        match inline {
            Inline::Text {
                text,
                bold,
                italic,
                underline,
            } => {
                let core = text.trim();
                if core.is_empty() || !(*bold || *italic || *underline) {
                    out.push_str(&escape(text));
                    continue;
                }
                let lead = &text[..text.len() - text.trim_start().len()];
                let trail = &text[text.trim_end().len()..];
                out.push_str(&escape(lead));
                let next_is_word =
                    trail.is_empty() && inlines.get(i + 1).is_some_and(starts_with_word_char);
                let prev_is_word =
                    lead.is_empty() && out.chars().last().is_some_and(char::is_alphanumeric);
                let at_edges = !next_is_word && !prev_is_word;
                let mut styled = escape(core);
                if *underline {
                    styled = format!("#underline[{styled}]");
                }
                if *italic {
                    styled = if at_edges {
                        format!("_{styled}_")
                    } else {
                        format!("#emph[{styled}]")
                    };
                }
                if *bold {
                    styled = if at_edges {
                        format!("*{styled}*")
                    } else {
                        format!("#strong[{styled}]")
                    };
                }
                out.push_str(&styled);
                out.push_str(&escape(trail));
            }
            Inline::Break => out.push_str("\\ "),
            Inline::Footnote { blocks } => {
                out.push_str(&format!("#footnote[{}]", cell_markup(blocks)));
            }
            Inline::Fakta { key } => out.push_str(&format!("#fakta({})", string(key))),
        }
    }
    out
}

fn starts_with_word_char(inline: &Inline) -> bool {
    matches!(inline, Inline::Text { text, .. } if text.chars().next().is_some_and(char::is_alphanumeric))
}

/// Text escaped for markup: every character that means something in Typst markup is
/// preceded by a backslash so it prints as written: always `#`, `*`, `_`, `$`, `` ` ``, `@`,
/// `<`, `>`, `[`, `]`, `\`, `~` and quotes (which Typst would curl); a hyphen that would make
/// a dash, a soft hyphen or a minus sign (`--`, `-?`, `-5`), a slash that would open a
/// comment, dots of an ellipsis, and `-`, `+`, `=` at the start. A hyphen inside a word
/// ("perundang-undangan") stays as it is, for the markup to stay readable.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let special = match c {
            '#' | '*' | '_' | '$' | '`' | '@' | '<' | '>' | '[' | ']' | '\\' | '~' | '"' | '\'' => {
                true
            }
            '-' => {
                i == 0
                    || matches!(next, Some('-' | '?'))
                    || next.is_some_and(|n| n.is_ascii_digit())
            }
            '/' => matches!(next, Some('/' | '*')),
            '.' => next == Some('.'),
            '=' | '+' => i == 0,
            _ => false,
        };
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if special => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A line whose text starts like a numbered item ("1. ", "2.3 ") keeps it as text.
fn guard_line_start(line: String) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with('.') {
        format!("{}\\{}", &line[..digits], &line[digits..])
    } else {
        line
    }
}

/// A Typst string literal of `text`.
fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::naskah::{Chapter, ParagraphRole};

    fn para(inlines: Vec<Inline>) -> Block {
        Block::Paragraph {
            role: ParagraphRole::Body,
            inlines,
            align: Alignment::Default,
            at: 1,
        }
    }

    fn bold(t: &str) -> Inline {
        Inline::Text {
            text: t.into(),
            bold: true,
            italic: false,
            underline: false,
        }
    }

    #[test]
    fn text_that_means_something_in_typst_is_escaped() {
        assert_eq!(
            escape("#read(\"/etc/passwd\") *x* $y$ a_b <l> @r [c] // -5 -- ... perundang-undangan"),
            "\\#read(\\\"/etc/passwd\\\") \\*x\\* \\$y\\$ a\\_b \\<l\\> \\@r \\[c\\] \\// \\-5 \\-- \\.\\.. perundang-undangan"
        );
    }

    #[test]
    fn a_chapter_reads_as_a_person_would_write_it() {
        let document = Document {
            file: "naskah.docx".into(),
            chapters: vec![Chapter {
                number: 2,
                title: "Gambaran Pelayanan".into(),
                blocks: vec![
                    Block::Heading {
                        level: 2,
                        inlines: vec![Inline::plain("Tugas")],
                    },
                    para(vec![
                        bold("Camat "),
                        Inline::plain("bertugas; "),
                        bold("Se"),
                        Inline::plain("kretaris"),
                    ]),
                    Block::List {
                        marker: ListMarker::Numbered {
                            pattern: "a)".into(),
                            start: 1,
                        },
                        items: vec![
                            vec![para(vec![Inline::plain("satu")])],
                            vec![
                                para(vec![Inline::plain("dua")]),
                                Block::List {
                                    marker: ListMarker::Bullet {
                                        marker: "•".into()
                                    },
                                    items: vec![vec![para(vec![Inline::Fakta {
                                        key: "jumlah-pegawai".into(),
                                    }])]],
                                },
                            ],
                        ],
                    },
                    Block::Verified {
                        table: "T-C.24".into(),
                    },
                ],
            }],
            ..Document::default()
        };
        let files = typst_files(&document);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "naskah/bab-2.typ");
        assert_eq!(
            String::from_utf8_lossy(&files[0].1),
            concat!(
                "#import \"/templates/naskah.typ\": *\n\n",
                "= Gambaran Pelayanan\n\n",
                "== Tugas\n\n",
                "*Camat* bertugas; #strong[Se]kretaris\n\n",
                "#[\n#set enum(numbering: \"a)\")\n",
                "1. satu\n",
                "+ dua\n",
                "  - #fakta(\"jumlah-pegawai\")\n",
                "]\n\n",
                "#tabel(\"T-C.24\")\n\n",
            )
        );
    }
}
