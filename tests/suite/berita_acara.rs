//! The Berita Acara Hasil Verifikasi of the sample and of a clean unit: verdicts decided by the
//! checks, a verifier's note winning over the automatic verdict, and the lampiran naming exactly
//! the files checked (their SHA-256 recomputed here with the sha2 crate).

use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx, open_workbook};
use renstra::ingest::IngestOptions;
use renstra::pipeline;
use renstra::verify::{self, Kesesuaian};
use sha2::{Digest, Sha256};

use crate::common::copy_dir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> PathBuf {
    root().join("input").join("kecamatan-kanigaran")
}

use crate::common::BUILT;

fn decided(unit: &Path, notes: &[verify::Catatan]) -> verify::BeritaAcara {
    let c = &BUILT.1.checked;
    let narrative = verify::read_narrative(&renstra::model::naskah::Naskah::Typst(
        renstra::naskah::read_typst(unit),
    ));
    verify::decide(
        &c.config.verifikasi,
        &narrative,
        &c.tables,
        &c.findings,
        notes,
    )
}

fn row<'a>(ba: &'a verify::BeritaAcara, nomor: &str) -> &'a verify::Baris {
    ba.baris.iter().find(|b| b.nomor == nomor).unwrap()
}

#[test]
fn the_sample_is_marked_where_its_tables_are_wrong_and_nowhere_else() {
    let ba = decided(&sample(), &[]);
    // 2.3: T-C.24's malformed amounts (seed E81 `10.933,294.372,00`) and wrong ratios.
    let r23 = row(&ba, "2.3");
    assert_eq!(r23.kesesuaian, Kesesuaian::KurangSesuai);
    let text = r23.rekomendasi.join(" ");
    assert!(
        text.contains("Tabel T-C.24") && text.contains("anggaran-realisasi-2019-2023.xlsx"),
        "{text}"
    );
    // Worded like a verifier, the worst line first: the seed's row 81 (Kegiatan Administrasi
    // Keuangan Perangkat Daerah) has six amounts that do not read as numbers, anggaran and
    // realisasi 2021-2023 (E-G, J-L). Its readings, by hand from the seed's digits:
    // `10.933,294.372,00` → 10.933.294.372,00; `9.377.121,143,00` → 9.377.121.143,00;
    // `8.620.410,741,00` → 8.620.410.741,00; `2.876,265.085-` → 2.876.265.085,00.
    assert!(
        text.contains(
            "Perbaiki angka yang tidak terbaca sebagai angka pada 44 sel, antara lain \"Kegiatan Administrasi Keuangan Perangkat Daerah\", anggaran 2021–2023 dan realisasi 2021–2023 (sel E81–G81, J81–L81), usulan renstra 10.933.294.372,00 (E81)"
        ),
        "{text}"
    );
    for reading in [
        "9.377.121.143,00 (J81)",
        "8.620.410.741,00 (K81)",
        "2.876.265.085,00 (L81)",
    ] {
        assert!(text.contains(reading), "{reading} in {text}");
    }
    // A parent that is not the sum of its children, with the sum (2023 anggaran of 7.01.02:
    // G64 2.336.934.000 + 1.949.006.850 = 4.285.940.850, added by hand in sample_unit.rs).
    assert!(
        text.contains("\"PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK\", anggaran 2023 dan realisasi 2023 (sel G62, L62), jumlah rinciannya 4.285.940.850,00 (G62)"),
        "{text}"
    );
    // BAB VI: T-C.27's period totals and sums.
    let r6 = row(&ba, "VI");
    assert_eq!(r6.kesesuaian, Kesesuaian::KurangSesuai);
    assert!(
        r6.rekomendasi
            .join(" ")
            .contains("rencana-program-2025-2026.ods")
    );
    // Nothing is found in these: the seed's chapters are there, in order, with their content.
    for nomor in ["1.1", "1.3", "1.4", "2.1", "VIII"] {
        assert_eq!(row(&ba, nomor).kesesuaian, Kesesuaian::Sesuai, "{nomor}");
        assert!(row(&ba, nomor).rekomendasi.is_empty());
    }
    // Every error or warning finding is in lampiran 1, each under its chapter where it has one.
    let loud = BUILT.1.checked.findings.len();
    assert_eq!(ba.temuan.len(), loud);
    assert!(
        ba.temuan
            .iter()
            .any(|t| t.bagian == "2.3" && t.letak.ends_with("E81"))
    );
}

#[test]
fn a_verifiers_note_overrides_one_row_and_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(verify::NOTES_FILE),
        "[[catatan]]\nbagian = \"2.4\"\nkesesuaian = \"Kurang Sesuai\"\nrekomendasi = \"Bisa ditambahkan: Kelompok sasaran Masyarakat\"\n",
    )
    .unwrap();
    let notes = verify::load_notes(dir.path()).unwrap();
    let automatic = decided(&sample(), &[]);
    let ba = decided(&sample(), &notes);
    assert_eq!(row(&automatic, "2.4").kesesuaian, Kesesuaian::Sesuai);
    let r = row(&ba, "2.4");
    assert_eq!(r.kesesuaian, Kesesuaian::KurangSesuai);
    assert!(r.oleh_verifikator);
    assert_eq!(
        r.rekomendasi,
        vec!["Bisa ditambahkan: Kelompok sasaran Masyarakat".to_string()]
    );
    // Only that row changed.
    let changed = ba
        .baris
        .iter()
        .zip(&automatic.baris)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 1);
    // A wrong notes file is refused with its line and an example.
    std::fs::write(
        dir.path().join(verify::NOTES_FILE),
        "[[catatan]]\nbagian = 2.4\n",
    )
    .unwrap();
    let err = verify::load_notes(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("baris 2") && err.contains("kesesuaian = \"Kurang Sesuai\""),
        "{err}"
    );
}

#[test]
fn the_lampiran_hashes_are_the_files_sha256() {
    let out = BUILT.0.path();
    let mut book: Xlsx<_> = open_workbook(out.join("lampiran-berita-acara.xlsx")).unwrap();
    let range = book.worksheet_range("Lampiran 3 Berkas").unwrap();
    let hex = |bytes: &[u8]| format!("{:x}", Sha256::digest(bytes));
    let mut checked = 0;
    for r in range.rows().skip(1) {
        let (name, hash) = (r[0].to_string(), r[2].to_string());
        let path = if name.starts_with("renstra.pdf") {
            out.join("renstra.pdf")
        } else {
            sample().join(&name)
        };
        assert_eq!(hash, hex(&std::fs::read(&path).unwrap()), "{name}");
        checked += 1;
    }
    // The sample's ten input files (six workbooks, four CSVs) and the PDF.
    assert_eq!(checked, 11);
    let pdf = std::fs::read(out.join("berita-acara.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn a_clean_unit_is_sesuai_everywhere_with_an_empty_lampiran_1() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("bersih");
    std::fs::create_dir_all(unit.join("naskah")).unwrap();
    let config = std::fs::read_to_string(sample().join("renstra.toml")).unwrap();
    std::fs::write(unit.join("renstra.toml"), config).unwrap();
    // A consistent budget: program = Σ kegiatan = Σ sub kegiatan; ratios right.
    std::fs::write(
        unit.join("anggaran.csv"),
        "Kode;Uraian;Anggaran 2022;Realisasi 2022;Anggaran 2023;Realisasi 2023\r\n\
         7.01.02;PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK;1.000.000,00;900.000,00;2.000.000,00;1.500.000,00\r\n\
         7.01.02.2.01;Koordinasi Penyelenggaraan Kegiatan Pemerintahan di Tingkat Kecamatan;1.000.000,00;900.000,00;2.000.000,00;1.500.000,00\r\n\
         7.01.02.2.01.0002;Peningkatan Efektifitas Kegiatan Pemerintahan di Tingkat Kecamatan;1.000.000,00;900.000,00;2.000.000,00;1.500.000,00\r\n",
    )
    .unwrap();
    let chapters = [
        (
            "Pendahuluan",
            vec![
                "Latar Belakang",
                "Dasar Hukum",
                "Maksud dan Tujuan",
                "Sistematika Penulisan",
            ],
        ),
        (
            "Gambaran Pelayanan",
            vec![
                "Tugas, Fungsi dan Struktur",
                "Sumber Daya",
                "Kinerja Pelayanan",
                "Kelompok Sasaran Layanan",
            ],
        ),
        (
            "Permasalahan dan Isu Strategis",
            vec!["Permasalahan Pelayanan", "Isu Strategis"],
        ),
        ("Tujuan dan Sasaran", vec![]),
        ("Strategi dan Arah Kebijakan", vec![]),
        ("Rencana Program dan Kegiatan serta Pendanaan", vec![]),
        ("Kinerja Penyelenggaraan Bidang Urusan", vec![]),
        ("Penutup", vec![]),
    ];
    for (i, (title, sections)) in chapters.iter().enumerate() {
        let mut text = format!("#import \"/templates/naskah.typ\": *\n= {title}\n");
        for s in sections {
            text.push_str(&format!("== {s}\nIsi.\n"));
            if *s == "Dasar Hukum" {
                text.push_str("UU 23 Tahun 2014; Permendagri 86 Tahun 2017; Permendagri 90 Tahun 2019; Kepmendagri 900.1.15.5-1317 Tahun 2023.\n");
            }
            if *s == "Kelompok Sasaran Layanan" {
                text.push_str("Masyarakat di wilayah kecamatan.\n");
            }
        }
        std::fs::write(unit.join("naskah").join(format!("bab-{}.typ", i + 1)), text).unwrap();
    }
    let out = dir.path().join("out");
    let built = pipeline::build_unit(
        &unit,
        &out,
        &root().join("templates"),
        &IngestOptions::default(),
    )
    .unwrap();
    let c = &built.checked;
    assert!(
        c.findings.is_empty(),
        "{:?}",
        c.findings.first().map(ToString::to_string)
    );
    let narrative = verify::read_narrative(&c.naskah);
    let ba = verify::decide(
        &c.config.verifikasi,
        &narrative,
        &c.tables,
        &c.findings,
        &[],
    );
    for b in &ba.baris {
        assert_eq!(
            b.kesesuaian,
            Kesesuaian::Sesuai,
            "{} {:?}",
            b.nomor,
            b.rekomendasi
        );
    }
    assert!(ba.temuan.is_empty());
    // Lampiran 1 is present and says it is empty.
    let data = renstra::render::page_texts(
        &renstra::render::render_document(&root().join("templates"), &unit, renstra::render::BERITA_ACARA_TEMPLATE, &serde_json::json!({
            "config": c.config, "periode": "2025-2026", "kertas": {"lebar_mm": 215, "tinggi_mm": 330},
            "tanggal": {"tahun": 2024, "bulan": 1, "hari": 24}, "ba": ba.printed(), "akuntansi": [], "berkas": [],
            "renstra_sha256": "0",
        }))
        .unwrap(),
    )
    .join(" ");
    assert!(
        data.contains("Lampiran 1. Temuan Verifikasi Otomatis Setiap temuan"),
        "{data}"
    );
    assert!(data.contains("Tidak ada temuan."));
    assert!(
        out.join("berita-acara.pdf").is_file() && out.join("lampiran-berita-acara.xlsx").is_file()
    );
}

#[test]
fn a_missing_required_regulation_and_a_missing_required_word_are_kurang_sesuai() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("unit");
    copy_dir(&sample(), &unit);
    // The seed's own gap: BAB I without Kepmendagri 900.1.15.5-1317/2023.
    let bab1 = unit.join("naskah/bab-1.typ");
    let text = std::fs::read_to_string(&bab1)
        .unwrap()
        .replace("900.1.15.5-1317", "(nomor dihapus)");
    std::fs::write(&bab1, text).unwrap();
    // And BAB II without the word "Masyarakat" anywhere.
    let bab2 = unit.join("naskah/bab-2.typ");
    let text = std::fs::read_to_string(&bab2)
        .unwrap()
        .replace("masyarakat", "warga")
        .replace("Masyarakat", "Warga");
    std::fs::write(&bab2, text).unwrap();

    let before = decided(&sample(), &[]);
    assert_eq!(row(&before, "1.2").kesesuaian, verify::Kesesuaian::Sesuai);
    assert_eq!(row(&before, "2.4").kesesuaian, verify::Kesesuaian::Sesuai);

    let ba = decided(&unit, &[]);
    let legal = row(&ba, "1.2");
    assert_eq!(legal.kesesuaian, verify::Kesesuaian::KurangSesuai);
    assert!(
        legal
            .rekomendasi
            .iter()
            .any(|r| r.contains("900.1.15.5-1317 Tahun 2023")),
        "{:?}",
        legal.rekomendasi
    );
    let sasaran = row(&ba, "2.4");
    assert_eq!(sasaran.kesesuaian, verify::Kesesuaian::KurangSesuai);
    assert!(
        sasaran
            .rekomendasi
            .iter()
            .any(|r| r.contains("\"masyarakat\"")),
        "{:?}",
        sasaran.rekomendasi
    );
}

/// The documents a verifier signs name each rule in Indonesian, never by its code: no rule id
/// appears in the sample's berita-acara.pdf (as poppler reads it) or in any cell of
/// lampiran-berita-acara.xlsx (as calamine reads it).
#[test]
fn no_rule_code_appears_in_the_berita_acara_or_its_workbook() {
    use calamine::{Reader, open_workbook_auto};
    let out = crate::common::BUILT.0.path();
    let ids: Vec<&str> = renstra::model::Rule::ALL.iter().map(|r| r.id()).collect();
    let mut book = open_workbook_auto(out.join("lampiran-berita-acara.xlsx")).unwrap();
    let mut cells = 0;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for cell in range.cells() {
            let text = cell.2.to_string();
            cells += 1;
            for id in &ids {
                assert!(!text.contains(id), "{name}: {text}");
            }
        }
    }
    assert!(cells > 100, "{cells} cells read");
    match std::process::Command::new("pdftotext")
        .arg(out.join("berita-acara.pdf"))
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(text.contains("Angka tidak sah"), "the rules are named");
            for id in &ids {
                assert!(!text.contains(id), "{id} in the Berita Acara");
            }
        }
        _ => eprintln!("pdftotext (poppler-utils) is not installed: the PDF's words not checked"),
    }
}

/// Each word of `pdf`'s page `page` as poppler reads it: (word, bottom edge in points); `None`
/// when poppler is not installed (`.ci/run` installs it).
fn poppler_bottoms(pdf: &Path, page: usize) -> Option<Vec<(String, f64)>> {
    let n = page.to_string();
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", &n, "-l", &n])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    Some(
        text.split("<word ")
            .skip(1)
            .filter_map(|w| {
                let (tag, rest) = w.split_once('>')?;
                let word = rest.split_once("</word>")?.0.to_string();
                let at = tag.find("yMax=\"")? + 6;
                let y: f64 = tag[at..at + tag[at..].find('"')?].parse().ok()?;
                Some((word, y))
            })
            .collect(),
    )
}

/// The verifier's and the planner's names stand on one baseline although their positions take
/// one and two lines (the sample's "Verifikator" and "Fungsional Perencana / Kecamatan
/// Kanigaran"), as poppler reads the PDF.
#[test]
fn the_signature_names_share_one_baseline() {
    let pdf = BUILT.0.path().join("berita-acara.pdf");
    let pages = String::from_utf8_lossy(
        &std::process::Command::new("pdfinfo")
            .arg(&pdf)
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default(),
    )
    .lines()
    .find_map(|l| {
        l.strip_prefix("Pages:")
            .map(|n| n.trim().parse::<usize>().unwrap())
    });
    let Some(pages) = pages else {
        eprintln!("pdfinfo (poppler-utils) is not installed: signature baseline not checked");
        return;
    };
    let page = (1..=pages)
        .find(|&p| {
            poppler_bottoms(&pdf, p)
                .unwrap()
                .iter()
                .any(|(w, _)| w == "Mengetahui,")
        })
        .expect("the signature page");
    let words = poppler_bottoms(&pdf, page).unwrap();
    let bottom = |word: &str| {
        words
            .iter()
            .find(|(w, _)| w == word)
            .map(|(_, y)| *y)
            .unwrap_or_else(|| panic!("{word} on page {page}"))
    };
    // The names, from the sample's renstra.toml.
    let (verifier, planner) = (bottom("VINI"), bottom("Dwi"));
    assert!(
        (verifier - planner).abs() < 0.1,
        "{verifier} against {planner}"
    );
    // Their positions do not: the planner's takes two lines, so its first starts higher.
    assert!(bottom("VERIFIKATOR") > bottom("FUNGSIONAL") + 5.0);
}

/// A 1×1 PNG, written byte by byte (signature, IHDR, IDAT, IEND).
const PNG_1X1: [u8; 69] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `[verifikasi] lambang` puts the pemda's lambang on the kop of the Berita Acara's first page
/// (poppler's `pdfimages` lists it there); a lambang that is not in the unit folder is a
/// configuration error naming the key, before anything is built.
#[test]
fn the_kop_takes_the_lambang_the_configuration_names() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("uji");
    copy_dir(
        &root().join("tests/fixtures/units/jumlah-induk/unit"),
        &unit,
    );
    let config = std::fs::read_to_string(unit.join("renstra.toml")).unwrap();
    let with = |lambang: &str| {
        format!(
            "{config}\n[verifikasi]\nkop = [\"PEMERINTAH KOTA UJI\", \"BAPPEDA\"]\nlambang = \"{lambang}\"\n"
        )
    };
    std::fs::write(unit.join("renstra.toml"), with("tidak-ada.png")).unwrap();
    let err = renstra::config::UnitConfig::load(&unit)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("verifikasi.lambang")
            && err.contains("tidak-ada.png")
            && err.contains("bukan berkas gambar"),
        "{err}"
    );
    std::fs::write(unit.join("lambang.png"), PNG_1X1).unwrap();
    std::fs::write(unit.join("renstra.toml"), with("lambang.png")).unwrap();
    let out = dir.path().join("keluaran");
    pipeline::build_unit(
        &unit,
        &out,
        &root().join("templates"),
        &IngestOptions::default(),
    )
    .unwrap();
    let listing = match std::process::Command::new("pdfimages")
        .args(["-list", "-f", "1", "-l", "1"])
        .arg(out.join("berita-acara.pdf"))
        .output()
    {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).to_string(),
        _ => {
            eprintln!("pdfimages (poppler-utils) is not installed: the lambang is not checked");
            return;
        }
    };
    // A header, a rule, then one line per image.
    let images: Vec<&str> = listing.lines().skip(2).collect();
    assert_eq!(images.len(), 1, "{listing}");
    assert_eq!(
        images[0].split_whitespace().nth(2),
        Some("image"),
        "{listing}"
    );
}
