//! Data reaches Typst as data, never as markup, and the Typst world cannot read outside the
//! templates and the unit folder. Each test builds a small unit in a temporary folder.

use std::path::{Path, PathBuf};

use renstra::pipeline;
use renstra::render::{self, RenderError};

fn templates() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates")
}

const CONFIG: &str = r#"
[perangkat_daerah]
nama = "Kecamatan Uji"
pemerintah_daerah = "Kota Uji"
kode_bidang = "7.01"

[periode]
awal = 2025
akhir = 2026
evaluasi = [2021, 2022, 2023]

[penandatangan]
jabatan = "Camat Uji"
nama = "NAMA UJI"
nip = "19700103 199503 1 001"

[dokumen]
tempat = "Uji"
tanggal = "2024"
kertas = "A4"
"#;

/// A unit whose only workbook is a `;`-separated CSV with the given rows under a one-row header.
fn unit_with_rows(dir: &Path, rows: &[&str]) -> PathBuf {
    let unit = dir.join("uji");
    std::fs::create_dir_all(unit.join("naskah")).unwrap();
    std::fs::write(unit.join("renstra.toml"), CONFIG).unwrap();
    let mut csv = String::from("Kode;Uraian;Anggaran 2022;Realisasi 2022\r\n");
    for row in rows {
        csv.push_str(row);
        csv.push_str("\r\n");
    }
    std::fs::write(unit.join("anggaran-2022.csv"), csv).unwrap();
    std::fs::write(
        unit.join("naskah").join("bab-2.typ"),
        "#import \"/templates/naskah.typ\": *\n= Gambaran Pelayanan\n#tabel(\"T-C.24\")\n",
    )
    .unwrap();
    unit
}

fn document_text(unit: &Path) -> Result<String, RenderError> {
    let checked = pipeline::check_unit(unit, &Default::default()).unwrap();
    let data = render::document_data(
        &checked.config,
        unit,
        &checked.tables,
        &checked.organisation,
        &checked.findings,
    );
    let doc = render::render_document(&templates(), unit, render::MAIN_TEMPLATE, &data)?;
    Ok(render::page_texts(&doc).join("\n"))
}

#[test]
fn markup_in_a_cell_prints_literally() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_with_rows(
        dir.path(),
        &[
            r#"7.01.02;#read("/etc/passwd") *tebal* $x$;1.000,00;500"#,
            r#"7.01.02.2.01;Kegiatan #sys.inputs;1.000,00;500"#,
            r#"7.01.02.2.01.0001;Sub ] _miring_ @ref <label> \ `kode`;1.000,00;500"#,
        ],
    );
    let text = document_text(&unit).unwrap();
    assert!(
        text.contains(r#"#read("/etc/passwd") *tebal* $x$"#),
        "{text}"
    );
    assert!(text.contains("Kegiatan #sys.inputs"));
    assert!(
        text.contains(r#"Sub ] _miring_ @ref <label> \ `kode`"#),
        "{text}"
    );
    assert!(!text.contains("root:x:0:0"));
    // The figures went through too: 500 / 1.000 × 100 = 50,00.
    assert!(text.contains("50,00"));
}

#[test]
fn narrative_cannot_read_outside_the_unit_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_with_rows(dir.path(), &["7.01.02;Program A;1.000,00;500"]);
    for attempt in [
        r#"#read("/etc/passwd")"#,
        r#"#read("../../../../../../etc/passwd")"#,
        r#"#read("/unit/../../secret.txt")"#,
    ] {
        std::fs::write(dir.path().join("secret.txt"), "rahasia").unwrap();
        std::fs::write(
            unit.join("naskah").join("bab-1.typ"),
            format!("= Pendahuluan\n{attempt}\n"),
        )
        .unwrap();
        match document_text(&unit) {
            Err(RenderError::Compile(messages)) => {
                assert!(
                    messages
                        .iter()
                        .any(|m| m.to_string().contains("naskah/bab-1.typ baris 2,")),
                    "the error points at the line: {messages:?}"
                );
            }
            Ok(text) => panic!("{attempt} was allowed: {text}"),
            Err(other) => panic!("unexpected error {other}"),
        }
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_unit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_with_rows(dir.path(), &["7.01.02;Program A;1.000,00;500"]);
    std::fs::write(dir.path().join("secret.txt"), "rahasia").unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), unit.join("tautan.txt")).unwrap();
    std::fs::write(
        unit.join("naskah").join("bab-1.typ"),
        "= Pendahuluan\n#read(\"/unit/tautan.txt\")\n",
    )
    .unwrap();
    assert!(matches!(document_text(&unit), Err(RenderError::Compile(_))));
}

/// The marks an officer types in ordinary prose (`*)`, an e-mail address, `_`, `$`, a `#name`)
/// are all reported in one run, in Indonesian, each at its file, line and column with the fix,
/// even where one mark hides the next from Typst (the e-mail behind the open `_`).
#[test]
fn every_narrative_mark_problem_is_reported_at_once_in_indonesian_with_its_fix() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_with_rows(dir.path(), &["7.01.02;Program A;1.000,00;500"]);
    std::fs::write(
        unit.join("naskah").join("bab-1.typ"),
        "= Pendahuluan\n*) Data tahun 2024 bersifat sementara.\n\nSurel: dinkes_kota@yahoo.co.id atau _catatan.\n\nTarif $5 per orang.\n",
    )
    .unwrap();
    std::fs::write(
        unit.join("naskah").join("bab-3.typ"),
        "= Permasalahan\nLihat *tebal tanpa penutup.\n\nNilai #nilai_lama dicatat.\n",
    )
    .unwrap();
    // Errors Typst only meets while evaluating, one after the other in one file.
    std::fs::write(
        unit.join("naskah").join("bab-4.typ"),
        "#import \"/templates/naskah.typ\": *\n= Tujuan\nPagu #fakta(pagu-renstra) rupiah.\n\n#image(\"foto.png\")\n",
    )
    .unwrap();
    let Err(error) = document_text(&unit) else {
        panic!("the narrative compiled")
    };
    let RenderError::Compile(problems) = &error else {
        panic!("unexpected error {error}")
    };
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    // Columns counted by hand: "Surel: dinkes_kota" is 18 characters, so `@` is the 19th; "@yahoo.co.id
    // atau " runs to column 36, so `_` is the 37th.
    let expected = [
        (
            "naskah/bab-1.typ baris 2, kolom 1:",
            "tanda * membuka huruf tebal",
            "tulis \\*",
        ),
        (
            "naskah/bab-1.typ baris 4, kolom 19:",
            "tanda @ merujuk ke label <yahoo.co.id>",
            "tulis \\@",
        ),
        (
            "naskah/bab-1.typ baris 4, kolom 37:",
            "tanda _ membuka huruf miring",
            "tulis \\_",
        ),
        (
            "naskah/bab-1.typ baris 6, kolom 7:",
            "tanda $ membuka rumus matematika",
            "tulis \\$",
        ),
        (
            "naskah/bab-3.typ baris 2, kolom 7:",
            "tanda * membuka huruf tebal",
            "tulis \\*",
        ),
        (
            "naskah/bab-3.typ baris 4, kolom 7:",
            "tanda # memanggil perintah \"nilai_lama\"",
            "tulis \\#",
        ),
        // "Pagu #fakta(" is 12 characters: `pagu-renstra` is the 13th.
        (
            "naskah/bab-4.typ baris 3, kolom 13:",
            "\"pagu-renstra\" di dalam perintah #",
            "#fakta(\"pagu-renstra\")",
        ),
        (
            "naskah/bab-4.typ baris 5, kolom 8:",
            "berkas foto.png tidak ada",
            "taruh berkas itu di folder unit",
        ),
    ];
    assert_eq!(shown.len(), expected.len(), "{shown:#?}");
    for (line, (place, what, fix)) in shown.iter().zip(expected) {
        assert!(line.contains(&format!("{place} {what}")), "{line}");
        assert!(line.contains(fix), "{line}");
    }
    // The line is quoted with a caret under the mark: `@` is the 19th character of line 4.
    let email = &shown[1];
    let quoted: Vec<&str> = email.lines().skip(1).collect();
    assert_eq!(
        quoted[0],
        "      4 | Surel: dinkes_kota@yahoo.co.id atau _catatan."
    );
    assert_eq!(quoted[1].find('^'), quoted[0].find('@'));
    let whole = error.to_string();
    assert!(
        whole.starts_with("penyusunan PDF gagal: 8 masalah penulisan"),
        "{whole}"
    );
    for english in [
        "unclosed",
        "delimiter",
        "does not exist",
        "unknown variable",
        "hint",
    ] {
        assert!(!whole.contains(english), "English left in: {whole}");
    }
}

/// A figure of the narrative either shows the unit's image or is a FIGURE-MISSING warning at its
/// line, never a silent empty frame.
#[test]
fn a_figure_shows_its_image_or_says_what_to_supply() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_with_rows(dir.path(), &["7.01.02;Program A;1.000,00;500"]);
    std::fs::write(
        unit.join("struktur.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="navy"/></svg>"#,
    )
    .unwrap();
    std::fs::write(
        unit.join("naskah").join("bab-1.typ"),
        "#import \"/templates/naskah.typ\": *\n= Pendahuluan\n#gambar(\"Struktur Organisasi\", \"struktur.svg\")\n\n#gambar(\"Alur Perencanaan\")\n",
    )
    .unwrap();
    let checked = pipeline::check_unit(&unit, &Default::default()).unwrap();
    let missing: Vec<(String, String)> = checked
        .findings
        .iter()
        .filter(|f| f.rule == renstra::model::Rule::FigureMissing)
        .map(|f| (f.sources[0].to_string(), f.message.clone()))
        .collect();
    // Only the second figure (line 5) lacks its image.
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].0.contains("naskah/bab-1.typ") && missing[0].0.contains("baris 5"),
        "{missing:?}"
    );
    assert!(
        missing[0].1.contains("\"Alur Perencanaan\"") && missing[0].1.contains("#gambar("),
        "{missing:?}"
    );
    // The first prints its image: the laid-out document holds an image item, and one empty frame.
    let data = render::document_data(
        &checked.config,
        &unit,
        &checked.tables,
        &checked.organisation,
        &checked.findings,
    );
    let doc = render::render_document(&templates(), &unit, render::MAIN_TEMPLATE, &data).unwrap();
    fn images(frame: &typst::layout::Frame) -> usize {
        frame
            .items()
            .map(|(_, item)| match item {
                typst::layout::FrameItem::Group(g) => images(&g.frame),
                typst::layout::FrameItem::Image(..) => 1,
                _ => 0,
            })
            .sum()
    }
    let count: usize = doc.pages().iter().map(|p| images(&p.frame)).sum();
    assert!(count >= 1, "the unit's image is placed");
    let text = render::page_texts(&doc).join("\n");
    assert_eq!(text.matches("(gambar belum disertakan)").count(), 1);
}
