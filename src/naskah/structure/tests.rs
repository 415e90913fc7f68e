//! Structuring on flat blocks written out by hand, as the readers give them.

use super::*;
use crate::model::naskah::{Cell, ListMarker, PlacedCell};

fn p(role: ParagraphRole, text: &str, at: usize) -> Block {
    Block::Paragraph {
        role,
        inlines: vec![Inline::plain(text)],
        align: Alignment::Default,
        at,
    }
}

fn body(text: &str, at: usize) -> Block {
    p(ParagraphRole::Body, text, at)
}

fn h1(text: &str, at: usize) -> Block {
    p(ParagraphRole::Heading(1), text, at)
}

fn table(at: usize, figure: &str) -> Block {
    Block::Table {
        rows: vec![vec![Cell {
            blocks: vec![body(figure, at)],
            colspan: 1,
            rowspan: 1,
        }]],
        columns: 1,
        caption: None,
        at,
    }
}

fn known_tables() -> Vec<(TableId, String)> {
    vec![
        (TableId::Tabel1, "Jumlah Pegawai Kecamatan Kanigaran".into()),
        (
            TableId::Tabel2,
            "Sarana dan Prasarana Kecamatan Kanigaran".into(),
        ),
        (
            TableId::Tc24,
            "Anggaran dan Realisasi Pendanaan Pelayanan Kecamatan Kanigaran".into(),
        ),
    ]
}

fn run(blocks: Vec<Block>) -> Structured {
    let tables = known_tables();
    let facts: BTreeMap<String, String> = [("jumlah-pegawai".to_string(), "27".to_string())]
        .into_iter()
        .collect();
    structure(
        "naskah.docx",
        Read {
            blocks,
            ..Read::default()
        },
        &Known {
            tables: &tables,
            facts: &facts,
        },
    )
}

fn places(s: &Structured) -> Vec<(String, Rule, Severity)> {
    s.findings
        .iter()
        .map(|f| (f.sources[0].to_string(), f.rule, f.severity))
        .collect()
}

#[test]
fn chapters_come_from_bab_lines_with_the_title_on_the_same_line_or_the_next() {
    let s = run(vec![
        body("RENSTRA KECAMATAN KANIGARAN", 1),
        h1("DAFTAR ISI", 2),
        body("BAB I PENDAHULUAN ........ 1", 3),
        centred_bold("KATA PENGANTAR", 4),
        body("Puji syukur.", 5),
        // No Heading 1: the document's own style, centred and bold.
        centred_bold("BAB I PENDAHULUAN", 6),
        body("Isi bab satu.", 7),
        // The title on the next paragraph.
        centred_bold("BAB II", 8),
        p(ParagraphRole::Body, "GAMBARAN PELAYANAN", 9),
        body("Isi bab dua.", 10),
    ]);
    assert_eq!(
        s.document.kata_pengantar,
        Some(vec![body("Puji syukur.", 5)])
    );
    let chapters: Vec<(u8, &str, usize)> = s
        .document
        .chapters
        .iter()
        .map(|c| (c.number, c.title.as_str(), c.blocks.len()))
        .collect();
    assert_eq!(
        chapters,
        vec![(1, "PENDAHULUAN", 1), (2, "GAMBARAN PELAYANAN", 1)]
    );
    assert_eq!(
        s.document.chapters[1].blocks,
        vec![body("Isi bab dua.", 10)]
    );
    // The cover line, the typed table of contents heading and its line: 3 paragraphs.
    assert_eq!(
        places(&s),
        vec![(
            "naskah.docx › sebelum BAB I › paragraf 1".to_string(),
            Rule::NarrativeStructure,
            Severity::Info
        )]
    );
    assert!(
        s.findings[0].message.starts_with("3 paragraf"),
        "{}",
        s.findings[0].message
    );
}

fn centred_bold(text: &str, at: usize) -> Block {
    Block::Paragraph {
        role: ParagraphRole::Body,
        inlines: vec![Inline::Text {
            text: text.into(),
            bold: true,
            italic: false,
            underline: false,
        }],
        align: Alignment::Center,
        at,
    }
}

#[test]
fn where_heading_1_marks_the_chapters_a_bab_line_in_the_text_is_text() {
    // BAB I's Sistematika Penulisan lists the chapters, in bold.
    let s = run(vec![
        h1("BAB I PENDAHULUAN", 1),
        centred_bold("BAB II GAMBARAN PELAYANAN", 2),
        body("Bab ini memuat gambaran pelayanan.", 3),
        h1("BAB II", 4),
        h1("GAMBARAN PELAYANAN", 5),
        // A bare "BAB III" in the body style still starts its chapter.
        body("BAB III", 6),
        body("PERMASALAHAN", 7),
    ]);
    let chapters: Vec<(u8, &str, usize)> = s
        .document
        .chapters
        .iter()
        .map(|c| (c.number, c.title.as_str(), c.blocks.len()))
        .collect();
    assert_eq!(
        chapters,
        vec![
            (1, "PENDAHULUAN", 2),
            (2, "GAMBARAN PELAYANAN", 0),
            (3, "PERMASALAHAN", 0)
        ]
    );
    assert!(s.findings.is_empty(), "{:?}", s.findings);
}

#[test]
fn bab_lines_are_read_in_their_usual_spellings() {
    assert_eq!(bab("BAB II"), Some((2, String::new())));
    assert_eq!(
        bab("Bab IV. Tujuan dan Sasaran"),
        Some((4, "Tujuan dan Sasaran".into()))
    );
    assert_eq!(bab("BAB VIII – PENUTUP"), Some((8, "PENUTUP".into())));
    assert_eq!(bab("BAB 3 Permasalahan"), Some((3, "Permasalahan".into())));
    assert_eq!(bab("Babak baru"), None);
    assert_eq!(bab("BABI"), None);
}

#[test]
fn numbered_lines_and_heading_styles_become_sub_chapters_numbered_by_the_document() {
    let s = run(vec![
        h1("BAB II GAMBARAN PELAYANAN", 1),
        p(ParagraphRole::Heading(2), "2.1 Tugas dan Fungsi", 2),
        body("Kecamatan adalah perangkat daerah.", 3),
        // A numbered body line: a sub-chapter, typed 2.3 where the document prints 2.2.
        body("2.3 Kinerja Pelayanan", 4),
        body("2.3.1 Capaian", 5),
        // A sentence that starts with a number is no heading.
        body("2.5 juta warga dilayani pada tahun itu.", 6),
        p(ParagraphRole::Heading(3), "Rincian", 7),
    ]);
    let heading = |level, t: &str| Block::Heading {
        level,
        inlines: vec![Inline::plain(t)],
    };
    assert_eq!(
        s.document.chapters[0].blocks,
        vec![
            heading(2, "Tugas dan Fungsi"),
            body("Kecamatan adalah perangkat daerah.", 3),
            heading(2, "Kinerja Pelayanan"),
            heading(3, "Capaian"),
            body("2.5 juta warga dilayani pada tahun itu.", 6),
            heading(3, "Rincian"),
        ]
    );
    let found = places(&s);
    assert_eq!(
        found,
        vec![
            (
                "naskah.docx › BAB II › paragraf 3".to_string(),
                Rule::NarrativeStructure,
                Severity::Info
            ),
            (
                "naskah.docx › BAB II › paragraf 4".to_string(),
                Rule::NarrativeStructure,
                Severity::Info
            ),
        ]
    );
    assert!(
        s.findings[0]
            .message
            .contains("2.3 di naskah dicetak sebagai 2.2")
    );
    assert!(
        s.findings[1]
            .message
            .contains("2.3.1 di naskah dicetak sebagai 2.2.1")
    );
}

#[test]
fn a_table_whose_caption_names_a_renstra_table_is_replaced_by_the_verified_one() {
    let s = run(vec![
        h1("BAB II GAMBARAN PELAYANAN", 1),
        p(
            ParagraphRole::Caption,
            "Tabel T-C.24 Anggaran dan Realisasi Pendanaan Pelayanan",
            2,
        ),
        table(3, "98.765.432.101"),
        body("Tabel 2.1 Jumlah Pegawai Berdasarkan Status", 4),
        table(5, "7.777.001"),
        table(6, "tanpa judul"),
        p(
            ParagraphRole::Caption,
            "Tabel 2.9 Jadwal Pelayanan Kantor",
            7,
        ),
        table(8, "Senin"),
    ]);
    let blocks = &s.document.chapters[0].blocks;
    assert_eq!(
        blocks[..2],
        [
            Block::Verified {
                table: "T-C.24".into()
            },
            Block::Verified {
                table: "Tabel 1".into()
            },
        ]
    );
    // A table's caption is above it: the table at 6 has none, the one at 8 has "Tabel 2.9
    // Jadwal Pelayanan Kantor", no table of renstra's, kept as typed; both are laid out on
    // their one-cell grids.
    let grid = |caption: Option<&str>, figure: &str, at| Block::Grid {
        columns: 1,
        cells: vec![PlacedCell {
            x: 0,
            y: 0,
            colspan: 1,
            rowspan: 1,
            blocks: vec![body(figure, at)],
        }],
        caption: caption.map(|c| vec![Inline::plain(c)]),
    };
    assert_eq!(blocks[2], grid(None, "tanpa judul", 6));
    assert_eq!(
        blocks[3],
        grid(Some("Tabel 2.9 Jadwal Pelayanan Kantor"), "Senin", 8)
    );
    assert_eq!(
        places(&s),
        vec![
            (
                "naskah.docx › BAB II › paragraf 2".into(),
                Rule::NarrativeTable,
                Severity::Info
            ),
            (
                "naskah.docx › BAB II › paragraf 4".into(),
                Rule::NarrativeTable,
                Severity::Info
            ),
            (
                "naskah.docx › BAB II › paragraf 5".into(),
                Rule::NarrativeTable,
                Severity::Warning
            ),
            (
                "naskah.docx › BAB II › paragraf 7".into(),
                Rule::NarrativeTable,
                Severity::Warning
            ),
        ]
    );
}

#[test]
fn captions_are_matched_by_id_by_name_or_by_most_of_their_words() {
    let tables = known_tables();
    let m = |c: &str| match_table(c, &tables).map(|id| id.name().to_string());
    assert_eq!(m("Tabel T-C.24 Anggaran"), Some("T-C.24".into()));
    assert_eq!(m("Tabel T.C-23 Pencapaian Kinerja"), Some("T-C.23".into()));
    assert_eq!(
        m("Tabel 2.2 Sarana dan Prasarana Kantor"),
        Some("Tabel 2".into())
    );
    assert_eq!(m("Tabel 2.1 Jumlah Pegawai"), Some("Tabel 1".into()));
    assert_eq!(m("Tabel 2.9 Jadwal Pelayanan Kantor"), None);
    assert_eq!(m("Tabel 4.1 Jumlah Penduduk per Kelurahan"), None);
}

#[test]
fn fakta_markers_print_the_verified_figure_and_an_unknown_one_is_reported() {
    let s = run(vec![
        h1("BAB II GAMBARAN PELAYANAN", 1),
        body(
            "Pegawai {{fakta:jumlah-pegawai}} orang, {{ fakta : pagu }} dan {{lain}}.",
            2,
        ),
        Block::List {
            marker: ListMarker::Bullet { marker: "-".into() },
            items: vec![vec![body("{{fakta:jumlah-pegawai}}", 3)]],
        },
    ]);
    let fakta = |k: &str| Inline::Fakta { key: k.into() };
    assert_eq!(
        s.document.chapters[0].blocks,
        vec![
            Block::Paragraph {
                role: ParagraphRole::Body,
                inlines: vec![
                    Inline::plain("Pegawai "),
                    fakta("jumlah-pegawai"),
                    Inline::plain(" orang, "),
                    fakta("pagu"),
                    Inline::plain(" dan {{lain}}."),
                ],
                align: Alignment::Default,
                at: 2,
            },
            Block::List {
                marker: ListMarker::Bullet { marker: "-".into() },
                items: vec![vec![Block::Paragraph {
                    role: ParagraphRole::Body,
                    inlines: vec![fakta("jumlah-pegawai")],
                    align: Alignment::Default,
                    at: 3,
                }]],
            },
        ]
    );
    assert_eq!(
        places(&s),
        vec![(
            "naskah.docx › BAB II › paragraf 1".into(),
            Rule::FaktaUnknown,
            Severity::Warning
        )]
    );
    assert!(s.findings[0].message.contains("{{fakta:pagu}}"));
    assert!(s.findings[0].message.contains("jumlah-pegawai"));
}

#[test]
fn figures_take_their_caption_from_below_as_typed() {
    let s = run(vec![
        h1("BAB II GAMBARAN PELAYANAN", 1),
        Block::Figure {
            image: Some("/naskah/gambar/1.png".into()),
            caption: Vec::new(),
            at: 2,
        },
        p(ParagraphRole::Caption, "Gambar 2.1 Kantor Kecamatan", 3),
        body("Sesudahnya.", 4),
    ]);
    assert_eq!(
        s.document.chapters[0].blocks,
        vec![
            Block::Figure {
                image: Some("/naskah/gambar/1.png".into()),
                caption: vec![Inline::plain("Gambar 2.1 Kantor Kecamatan")],
                at: 2,
            },
            body("Sesudahnya.", 4),
        ]
    );
}

#[test]
fn a_document_without_chapters_and_chapters_out_of_order_are_reported() {
    let s = run(vec![body("Hanya teks.", 1)]);
    assert!(s.document.chapters.is_empty());
    assert!(
        s.findings
            .iter()
            .any(|f| f.rule == Rule::NarrativeStructure && f.severity == Severity::Warning)
    );
    let s = run(vec![
        h1("BAB III PERMASALAHAN", 1),
        h1("BAB II GAMBARAN", 2),
        h1("Lampiran", 3),
    ]);
    let found = places(&s);
    assert_eq!(
        found,
        vec![
            (
                "naskah.docx › BAB II".into(),
                Rule::NarrativeStructure,
                Severity::Warning
            ),
            (
                "naskah.docx › BAB II › paragraf 1".into(),
                Rule::NarrativeStructure,
                Severity::Warning
            ),
        ]
    );
}

#[test]
fn cells_are_placed_on_the_grid_around_merged_cells_and_gaps_are_filled() {
    let cell = |t: &str, colspan, rowspan| Cell {
        blocks: vec![body(t, 1)],
        colspan,
        rowspan,
    };
    // Row 0: A spans two rows, B two columns. Row 1: C goes past A's column, D would run past
    // the grid's 3 columns (cut to 1). Row 2: only E; its row's two other places are empty.
    let rows = vec![
        vec![cell("A", 1, 2), cell("B", 2, 1)],
        vec![cell("C", 1, 1), cell("D", 5, 1)],
        vec![cell("E", 1, 9)],
    ];
    let (columns, cells) = place_cells(rows, 3);
    let seen: Vec<(u32, u32, u32, u32, String)> = cells
        .iter()
        .map(|c| {
            let text = c.blocks.first().map(Block::plain_text).unwrap_or_default();
            (c.x, c.y, c.colspan, c.rowspan, text)
        })
        .collect();
    let e = |x, y, cs, rs, t: &str| (x, y, cs, rs, t.to_string());
    assert_eq!(columns, 3);
    assert_eq!(
        seen,
        vec![
            e(0, 0, 1, 2, "A"),
            e(1, 0, 2, 1, "B"),
            e(1, 1, 1, 1, "C"),
            e(2, 1, 1, 1, "D"),
            e(0, 2, 1, 1, "E"),
            e(1, 2, 1, 1, ""),
            e(2, 2, 1, 1, ""),
        ]
    );
}

#[test]
fn a_typed_signature_ending_the_kata_pengantar_is_left_for_renstras_own() {
    let s = run(vec![
        h1("KATA PENGANTAR", 1),
        body(
            "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas tersusunnya Renstra ini.",
            2,
        ),
        body("Probolinggo, Januari 2024", 3),
        body("CAMAT KANIGARAN", 4),
        body("NOOR ALY, SH, MM", 5),
        body("Pembina Tk. I", 6),
        body("NIP. 19700103 199503 1 001", 7),
        h1("BAB I PENDAHULUAN", 8),
        // Not a signature: "NIP" is followed by a long paragraph.
        body("NIP pegawai dicatat di lembar kepegawaian.", 9),
        body(
            "Paragraf panjang yang menjelaskan isi bab ini dan tidak termasuk tanda tangan apa pun, karena lebih dari delapan puluh huruf.",
            10,
        ),
    ]);
    assert_eq!(
        s.document.kata_pengantar,
        Some(vec![body(
            "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas tersusunnya Renstra ini.",
            2
        )])
    );
    assert_eq!(s.document.chapters[0].blocks.len(), 2);
    assert_eq!(
        places(&s),
        vec![(
            "naskah.docx › Kata Pengantar › paragraf 2".into(),
            Rule::NarrativeStructure,
            Severity::Info
        )]
    );
    assert!(
        s.findings[0]
            .message
            .contains("NOOR ALY, SH, MM / Pembina Tk. I")
    );
}
