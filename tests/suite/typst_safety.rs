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
    let data = render::document_data(&checked.config, unit, &checked.tables, &checked.findings);
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
                        .any(|m| m.contains("naskah/bab-1.typ baris 2,")),
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
