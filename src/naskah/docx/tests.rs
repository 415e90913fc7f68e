//! The Word reader on documents zipped from hand-written WordprocessingML: every expected block
//! below is written out by hand from the XML it is read from.

use std::io::Write;

use super::*;
use crate::model::naskah::{Block, Inline, ListMarker, ParagraphRole};

/// A 1×1 grey PNG, written byte by byte (signature, IHDR, IDAT of one zlib-compressed row, IEND).
pub(crate) const PNG_1X1: [u8; 67] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
    0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x68, 0x00, 0x00, 0x00,
    0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main""#;

const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Judul2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Keterangan"><w:name w:val="caption"/></w:style>
<w:style w:type="paragraph" w:styleId="Tebal"><w:name w:val="Tebal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Miring"><w:name w:val="Miring"/><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
</w:styles>"#;

const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>
  <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>"#;

/// A .docx of `body` (the children of `w:body`) with the styles and numbering above and the
/// given extra parts.
fn docx(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("word/document.xml", document.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
        ("word/numbering.xml", NUMBERING.as_bytes()),
    ];
    parts.extend_from_slice(extra);
    zip_parts(&parts)
}

fn zip_parts(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, bytes) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish");
    out.into_inner()
}

fn p(style: &str, text: &str) -> String {
    let style = if style.is_empty() {
        String::new()
    } else {
        format!(r#"<w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#)
    };
    format!(r#"<w:p>{style}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

fn item(num: u32, level: u8, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn text(t: &str) -> Inline {
    Inline::plain(t)
}

fn styled(t: &str, bold: bool, italic: bool, underline: bool) -> Inline {
    Inline::Text {
        text: t.into(),
        bold,
        italic,
        underline,
    }
}

fn para(role: ParagraphRole, inlines: Vec<Inline>, at: usize) -> Block {
    Block::Paragraph {
        role,
        inlines,
        align: Alignment::Default,
        at,
    }
}

#[test]
fn headings_come_from_the_style_name_or_the_outline_level_whatever_the_style_id() {
    let body = [
        p("Heading1", "BAB I PENDAHULUAN"),
        p("Judul2", "1.1 Latar Belakang"),
        r#"<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>1.1.1 Rinci</w:t></w:r></w:p>"#
            .to_string(),
        p("Keterangan", "Tabel 2.1 Jumlah Pegawai"),
        p("", "Isi."),
        p("TOC1", "BAB I PENDAHULUAN ...... 1"),
    ]
    .concat();
    let read = read(&docx(&body, &[])).expect("reads");
    assert_eq!(
        read.blocks,
        vec![
            // The heading style's own bold is the heading's look, not the text's.
            para(
                ParagraphRole::Heading(1),
                vec![text("BAB I PENDAHULUAN")],
                1
            ),
            para(
                ParagraphRole::Heading(2),
                vec![text("1.1 Latar Belakang")],
                2
            ),
            para(ParagraphRole::Heading(3), vec![text("1.1.1 Rinci")], 3),
            para(
                ParagraphRole::Caption,
                vec![text("Tabel 2.1 Jumlah Pegawai")],
                4
            ),
            para(ParagraphRole::Body, vec![text("Isi.")], 5),
        ]
    );
}

#[test]
fn bold_italic_and_underline_come_from_runs_character_styles_and_the_paragraph_style() {
    let body = concat!(
        r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Camat</w:t></w:r>"#,
        r#"<w:r><w:t xml:space="preserve">, mempunyai </w:t></w:r>"#,
        r#"<w:r><w:rPr><w:rStyle w:val="Miring"/><w:u w:val="single"/></w:rPr><w:t>tugas</w:t></w:r>"#,
        r#"<w:r><w:rPr><w:u w:val="none"/></w:rPr><w:t xml:space="preserve"> pokok</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pStyle w:val="Tebal"/></w:pPr><w:r><w:t>semua </w:t></w:r>"#,
        r#"<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>kecuali ini</w:t></w:r></w:p>"#,
    );
    let read = read(&docx(body, &[])).expect("reads");
    assert_eq!(
        read.blocks,
        vec![
            para(
                ParagraphRole::Body,
                vec![
                    styled("Camat", true, false, false),
                    text(", mempunyai "),
                    styled("tugas", false, true, true),
                    text(" pokok"),
                ],
                1
            ),
            para(
                ParagraphRole::Body,
                vec![styled("semua ", true, false, false), text("kecuali ini")],
                2
            ),
        ]
    );
}

#[test]
fn a_paragraph_of_typst_markup_is_kept_as_text() {
    let body = p(
        "",
        "#read(\"/etc/passwd\") dan #set page(width: 1cm) = *x* $y$",
    );
    let read = read(&docx(&body, &[])).expect("reads");
    assert_eq!(
        read.blocks,
        vec![para(
            ParagraphRole::Body,
            vec![text(
                "#read(\"/etc/passwd\") dan #set page(width: 1cm) = *x* $y$"
            )],
            1
        )]
    );
}

#[test]
fn word_lists_are_nested_by_level_and_numbered_on_where_their_instance_stopped() {
    let body = [
        item(1, 0, "Camat"),
        item(1, 1, "koordinasi"),
        item(1, 1, "pelayanan"),
        item(1, 0, "Sekretaris"),
        p("", "Sekretaris, membawahi:"),
        item(1, 0, "Seksi Pemerintahan"),
        item(2, 0, "satu"),
        item(2, 1, "dua"),
        item(3, 0, "lima"),
    ]
    .concat();
    let read = read(&docx(&body, &[])).expect("reads");
    let numbered = |pattern: &str, start| ListMarker::Numbered {
        pattern: pattern.into(),
        start,
    };
    let bullet = |m: &str| ListMarker::Bullet { marker: m.into() };
    let item_para = |t: &str, at| para(ParagraphRole::Body, vec![text(t)], at);
    assert_eq!(
        read.blocks,
        vec![
            Block::List {
                marker: numbered("1.", 1),
                items: vec![
                    vec![
                        item_para("Camat", 1),
                        Block::List {
                            marker: numbered("a)", 1),
                            items: vec![
                                vec![item_para("koordinasi", 2)],
                                vec![item_para("pelayanan", 3)]
                            ],
                        }
                    ],
                    vec![item_para("Sekretaris", 4)],
                ],
            },
            item_para("Sekretaris, membawahi:", 5),
            // Word numbers the same instance on after the paragraph between: 3.
            Block::List {
                marker: numbered("1.", 3),
                items: vec![vec![item_para("Seksi Pemerintahan", 6)]],
            },
            Block::List {
                marker: bullet("-"),
                items: vec![vec![
                    item_para("satu", 7),
                    Block::List {
                        // U+F0B7 of the Symbol font is Word's round bullet.
                        marker: bullet("•"),
                        items: vec![vec![item_para("dua", 8)]],
                    }
                ]],
            },
            // An instance whose level starts over at 5.
            Block::List {
                marker: numbered("1.", 5),
                items: vec![vec![item_para("lima", 9)]],
            },
        ]
    );
}

#[test]
fn merged_cells_are_given_once_with_their_spans() {
    let cell = |props: &str, t: &str| {
        format!(r#"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"#)
    };
    let body = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
        <w:tr>{}{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>{}"#,
        cell("", "Hari"),
        cell("", "Jam"),
        cell("", "Ket"),
        cell(r#"<w:vMerge w:val="restart"/>"#, "Senin"),
        cell(r#"<w:gridSpan w:val="2"/>"#, "07.30-15.30"),
        cell("<w:vMerge/>", ""),
        cell("", "istirahat"),
        cell("", "12.00"),
        p("", "Sesudah tabel.")
    );
    let read = read(&docx(&body, &[])).expect("reads");
    let c = |t: &str, colspan, rowspan| Cell {
        blocks: vec![para(ParagraphRole::Body, vec![text(t)], 1)],
        colspan,
        rowspan,
    };
    assert_eq!(
        read.blocks,
        vec![
            Block::Table {
                rows: vec![
                    vec![c("Hari", 1, 1), c("Jam", 1, 1), c("Ket", 1, 1)],
                    vec![c("Senin", 1, 2), c("07.30-15.30", 2, 1)],
                    vec![c("istirahat", 1, 1), c("12.00", 1, 1)],
                ],
                columns: 3,
                caption: None,
                at: 1,
            },
            para(ParagraphRole::Body, vec![text("Sesudah tabel.")], 2),
        ]
    );
}

fn picture(rel: &str) -> String {
    format!(
        r#"<w:p><w:r><w:drawing><wp:inline xmlns:wp="x"><a:graphic><a:graphicData><pic:pic xmlns:pic="y"><pic:blipFill><a:blip r:embed="{rel}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

#[test]
fn embedded_pictures_are_kept_and_what_is_no_picture_is_a_note() {
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="image" Target="media/image1.png"/>
<Relationship Id="rId2" Type="image" Target="media/bukan.png"/>
<Relationship Id="rId3" Type="image" Target="http://contoh.go.id/a.png" TargetMode="External"/>
</Relationships>"#;
    let body = [
        picture("rId1"),
        p("Keterangan", "Gambar 2.1 Kantor"),
        picture("rId2"),
        picture("rId3"),
    ]
    .concat();
    let doc = docx(
        &body,
        &[
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/media/image1.png", &PNG_1X1),
            ("word/media/bukan.png", b"teks, bukan gambar"),
        ],
    );
    let read = read(&doc).expect("reads");
    let figure = |image: Option<&str>, at| Block::Figure {
        image: image.map(str::to_string),
        caption: Vec::new(),
        at,
    };
    assert_eq!(
        read.blocks,
        vec![
            figure(Some("/naskah/gambar/1.png"), 1),
            para(ParagraphRole::Caption, vec![text("Gambar 2.1 Kantor")], 2),
            figure(None, 3),
            figure(None, 4),
        ]
    );
    assert_eq!(read.images.len(), 1);
    assert_eq!(read.images["/naskah/gambar/1.png"], PNG_1X1.to_vec());
    assert_eq!(read.notes.len(), 2, "{:?}", read.notes);
    assert_eq!(read.notes[0].at, 3);
    assert!(
        read.notes[0].message.contains("bukan.png"),
        "{:?}",
        read.notes
    );
    assert_eq!(read.notes[1].at, 4);
    assert!(read.notes[1].message.contains("http://contoh.go.id/a.png"));
}

#[test]
fn footnotes_and_page_breaks_are_kept_where_the_author_put_them() {
    let footnotes = r#"<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Perwali 104/2016.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"#;
    let body = concat!(
        r#"<w:p><w:r><w:t>Tugas</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>"#,
        r#"<w:r><w:t xml:space="preserve"> camat.</w:t></w:r><w:r><w:br w:type="page"/></w:r>"#,
        r#"<w:r><w:t>Halaman baru.</w:t></w:r></w:p>"#,
        r#"<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Lagi.</w:t></w:r></w:p>"#,
    );
    let read = read(&docx(body, &[("word/footnotes.xml", footnotes.as_bytes())])).expect("reads");
    assert_eq!(
        read.blocks,
        vec![
            para(
                ParagraphRole::Body,
                vec![
                    text("Tugas"),
                    Inline::Footnote {
                        blocks: vec![para(
                            ParagraphRole::Body,
                            vec![text(" Perwali 104/2016.")],
                            1
                        )]
                    },
                    text(" camat."),
                ],
                1
            ),
            Block::PageBreak,
            para(ParagraphRole::Body, vec![text("Halaman baru.")], 1),
            Block::PageBreak,
            para(ParagraphRole::Body, vec![text("Lagi.")], 2),
        ]
    );
}

#[test]
fn what_is_not_a_word_document_is_told_apart() {
    assert!(matches!(read(b"bukan zip"), Err(NaskahError::NotZip(_))));
    let no_document = zip_parts(&[("word/styles.xml", STYLES.as_bytes())]);
    assert!(matches!(
        read(&no_document),
        Err(NaskahError::NoDocument {
            part: "word/document.xml"
        })
    ));
    let broken = zip_parts(&[("word/document.xml", b"<w:document><w:body></w:document>")]);
    assert!(matches!(read(&broken), Err(NaskahError::Xml { .. })));
    // The compound file signature, then the UTF-16 name of an encrypted package's stream.
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.extend(vec![0; 504]);
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    assert!(matches!(read(&encrypted), Err(NaskahError::Encrypted)));
    encrypted.truncate(512);
    assert!(matches!(read(&encrypted), Err(NaskahError::LegacyWord)));
}

#[test]
fn level_texts_become_typst_patterns_of_their_own_level() {
    assert_eq!(pattern("%1.", 0, "1"), "1.");
    assert_eq!(pattern("%2)", 1, "a"), "a)");
    assert_eq!(pattern("(%1)", 0, "1"), "(1)");
    assert_eq!(pattern("%1.%2.", 1, "1"), "1.");
    assert_eq!(pattern("", 0, "1"), "1.");
}

/// A few thousand corrupted copies of a document (bytes of its XML flipped, cut short,
/// elements duplicated) are each read or refused, never a panic; what is read is structured
/// without one too.
#[test]
fn corrupted_documents_are_read_or_refused_never_a_panic() {
    let body = [
        p("Heading1", "BAB I PENDAHULUAN"),
        item(1, 0, "satu"),
        item(1, 1, "dua"),
        r#"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:tcPr><w:gridSpan w:val="9"/><w:vMerge/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
        p("Keterangan", "Tabel T-C.24 {{fakta:a}} {{fakta"),
    ]
    .concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let bytes = document.as_bytes();
    let tables = vec![(crate::model::TableId::Tc24, "Anggaran".to_string())];
    let facts = std::collections::BTreeMap::new();
    let known = crate::naskah::structure::Known {
        tables: &tables,
        facts: &facts,
    };
    // A fixed linear congruential sequence: the same copies on every run.
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |below: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % below.max(1)
    };
    for _ in 0..3_000 {
        let mut copy = bytes.to_vec();
        match next(3) {
            0 => {
                for _ in 0..1 + next(4) {
                    let at = next(copy.len());
                    copy[at] = b"<>/=\"&;:w 0x"[next(12)];
                }
            }
            1 => copy.truncate(next(copy.len())),
            _ => {
                let (from, len) = (next(copy.len()), next(200));
                let piece: Vec<u8> = copy[from..(from + len).min(copy.len())].to_vec();
                let at = next(copy.len());
                copy.splice(at..at, piece);
            }
        }
        let zipped = zip_parts(&[
            ("word/document.xml", &copy),
            ("word/styles.xml", STYLES.as_bytes()),
            ("word/numbering.xml", NUMBERING.as_bytes()),
        ]);
        if let Ok(read) = read(&zipped) {
            let _ = crate::naskah::structure::structure("naskah.docx", read, &known);
        }
    }
}
