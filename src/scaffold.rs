//! `renstra init`: a new unit folder a finance officer can fill in without reading a manual — a
//! commented `renstra.toml`, one blank workbook per kind of data with the headers renstra
//! recognises, a note on every header cell explaining the column in Bahasa Indonesia, data
//! validation on the figure columns, and `naskah/` files with the chapter headings of the
//! systematics. `renstra build` succeeds on it at once; its findings say what to fill in.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, Note, Workbook,
};
use thiserror::Error;

use crate::config::CONFIG_FILE;
use crate::config::default_systematics;

/// Why the unit could not be created.
#[derive(Debug, Error)]
pub enum ScaffoldError {
    /// The folder already holds a unit.
    Exists(String),
    /// A file could not be written.
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A workbook could not be made.
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The kode bidang given is not a bidang urusan code (`1.02`).
    KodeBidang(String),
}

const EVALUATION: [i32; 5] = [2019, 2020, 2021, 2022, 2023];
const PLAN: [i32; 2] = [2025, 2026];

/// A column of a blank workbook: header, what it means, and whether it holds figures.
struct Col {
    header: String,
    help: String,
    figure: bool,
}

fn col(header: impl Into<String>, help: impl Into<String>, figure: bool) -> Col {
    Col {
        header: header.into(),
        help: help.into(),
        figure,
    }
}

fn text(header: &str, help: &str) -> Col {
    col(header, help, false)
}

/// One blank sheet: its name and its columns.
type SheetSpec = (&'static str, Vec<Col>);

/// One blank workbook: its file name and its sheets.
type WorkbookSpec = (&'static str, Vec<SheetSpec>);

/// Every blank workbook `init` writes, with its sheets and their columns.
fn sheets() -> Vec<WorkbookSpec> {
    vec![
        ("anggaran-realisasi.xlsx", vec![("T-C.24", tc24_columns())]),
        ("kinerja-pelayanan.xlsx", vec![("T-C.23", tc23_columns())]),
        ("rencana-program.xlsx", vec![("T-C.27", tc27_columns())]),
        ("tujuan-sasaran.xlsx", tujuan_sasaran()),
        ("kepegawaian-sarpras.xlsx", kepegawaian_sarpras()),
        ("analisis-swot.xlsx", analisis_swot()),
        ("strategi-kebijakan.xlsx", strategi_kebijakan()),
        ("permasalahan-isu.xlsx", permasalahan_isu()),
    ]
}

/// T-C.24: code, name, location, then anggaran and realisasi per evaluation year.
fn tc24_columns() -> Vec<Col> {
    let mut tc24 = vec![
        text(
            "Kode",
            "Kode program/kegiatan/sub kegiatan menurut Permendagri 90/2019, mis. 7.01.02.2.01.0002. Program penunjang boleh ditulis X.XX.01.",
        ),
        text(
            "Uraian",
            "Nama program, kegiatan atau sub kegiatan seperti di DPA.",
        ),
        text(
            "Lokasi",
            "Kelurahan tempat sub kegiatan dilaksanakan (boleh kosong).",
        ),
    ];
    for y in EVALUATION {
        tc24.push(col(format!("Anggaran {y}"), format!("Pagu anggaran tahun {y} dalam rupiah, angka saja (mis. 1.234.567,89). Kosongkan bila tidak ada."), true));
    }
    for y in EVALUATION {
        tc24.push(col(
            format!("Realisasi {y}"),
            format!("Realisasi anggaran tahun {y} dalam rupiah."),
            true,
        ));
    }
    tc24
}

/// T-C.23: the indicator, then target, realisasi and rasio per evaluation year.
fn tc23_columns() -> Vec<Col> {
    let mut tc23 = vec![
        text("No", "Nomor urut."),
        text(
            "Indikator Kinerja",
            "Indikator kinerja sesuai tugas dan fungsi perangkat daerah.",
        ),
    ];
    for (word, help) in [
        ("Target", "Target Renstra"),
        ("Realisasi", "Realisasi capaian"),
        (
            "Rasio",
            "Rasio capaian (%) seperti tertulis; renstra menghitung ulang",
        ),
    ] {
        for y in EVALUATION {
            tc23.push(col(
                format!("{word} {y}"),
                format!("{help} tahun {y}."),
                true,
            ));
        }
    }
    tc23
}

/// T-C.27: tujuan to indicator, the baseline, target and Rp per plan year, the end of the period.
fn tc27_columns() -> Vec<Col> {
    let mut tc27 = vec![
        text("Tujuan", "Tujuan perangkat daerah."),
        text("Sasaran", "Sasaran perangkat daerah."),
        text(
            "Kode",
            "Kode program/kegiatan/sub kegiatan (Permendagri 90/2019).",
        ),
        text(
            "Program / Kegiatan / Sub Kegiatan",
            "Nama program, kegiatan atau sub kegiatan.",
        ),
        text(
            "Indikator Kinerja",
            "Indikator kinerja program (outcome) atau kegiatan (output).",
        ),
        col(
            "Data Capaian Awal 2024",
            "Capaian pada tahun awal perencanaan.",
            false,
        ),
    ];
    for y in PLAN {
        tc27.push(col(
            format!("{y} Target"),
            format!("Target kinerja tahun {y} (mis. 85%, 2 unit)."),
            false,
        ));
        tc27.push(col(
            format!("{y} Rp"),
            format!("Pagu indikatif tahun {y} dalam rupiah."),
            true,
        ));
    }
    tc27.push(col(
        "Kondisi Akhir Target",
        "Target pada akhir periode Renstra.",
        false,
    ));
    tc27.push(col(
        "Kondisi Akhir Rp",
        "Jumlah pagu seluruh tahun rencana; renstra menghitung ulang.",
        true,
    ));
    tc27.push(text(
        "Unit Kerja Penanggung Jawab",
        "Unit kerja yang bertanggung jawab.",
    ));
    tc27.push(text("Lokasi", "Lokasi kegiatan."));
    tc27
}

/// `first`, then a target per plan year, and the end-of-period target when `end` names it.
fn targets(first: Vec<Col>, end: Option<&str>) -> Vec<Col> {
    let mut c = first;
    for y in PLAN {
        c.push(col(
            format!("Target {y}"),
            format!("Target tahun {y} (mis. 85, 90%)."),
            false,
        ));
    }
    if let Some(e) = end {
        c.push(col(
            e,
            "Target pada akhir periode: sama dengan target tahun terakhir.",
            false,
        ));
    }
    c
}

/// T-C.25, IKU (Tabel 10) and T-C.28: indicators with a target per plan year.
fn tujuan_sasaran() -> Vec<SheetSpec> {
    vec![
        (
            "T-C.25",
            targets(
                vec![
                    text("No", "Nomor urut tujuan."),
                    text("Tujuan", "Tujuan perangkat daerah."),
                    text("Sasaran", "Sasaran perangkat daerah."),
                    text(
                        "Indikator Tujuan/Sasaran",
                        "Indikator tujuan atau sasaran; setiap tujuan dan sasaran perlu indikator dan target.",
                    ),
                ],
                Some("Target Akhir Renstra (2026)"),
            ),
        ),
        (
            "IKU (Tabel 10)",
            targets(
                vec![
                    text("No", "Nomor urut."),
                    text("Tujuan", "Tujuan."),
                    text("Sasaran", "Sasaran."),
                    text(
                        "Indikator Kinerja Utama",
                        "Indikator kinerja utama sesuai Perwali IKU; targetnya harus sama dengan T-C.25.",
                    ),
                ],
                None,
            ),
        ),
        (
            "T-C.28",
            targets(
                vec![
                    text("No", "Nomor urut."),
                    text(
                        "Indikator Kinerja",
                        "Indikator kinerja yang mengacu pada tujuan dan sasaran RPD/RPJMD.",
                    ),
                    col(
                        "Kondisi Awal 2024",
                        "Kondisi kinerja pada awal periode.",
                        false,
                    ),
                ],
                Some("Kondisi Akhir 2026"),
            ),
        ),
    ]
}

/// Tabel 1 (staff by category, L and P) and Tabel 2 (facilities).
fn kepegawaian_sarpras() -> Vec<SheetSpec> {
    vec![
        (
            "Tabel 1",
            vec![
                text("No", "Nomor urut kategori."),
                text(
                    "Kategori",
                    "Pendidikan Terakhir, Pangkat/Golongan, Jabatan, Status Kepegawaian, Diklat Penjenjangan.",
                ),
                text("Uraian", "Rincian kategori, mis. S1, III, Eselon IV-a."),
                col("L", "Jumlah pegawai laki-laki.", true),
                col("P", "Jumlah pegawai perempuan.", true),
                col("Jumlah", "L + P; renstra menghitung ulang.", true),
            ],
        ),
        (
            "Tabel 2",
            vec![
                text("No", "Nomor urut."),
                text("Kelompok", "SARANA atau PRASARANA."),
                text("Jenis", "Jenis barang, mis. Komputer."),
                col("Jumlah", "Banyaknya.", true),
                text("Satuan", "buah, unit, set, lokal …"),
                text("Keterangan", "Keterangan (boleh kosong)."),
            ],
        ),
        (
            "Struktur Organisasi",
            vec![
                text(
                    "Bagan",
                    "Nama bagan, mis. nama perangkat daerah; baris dengan Bagan lain menjadi bagan tersendiri (mis. Kelurahan). #struktur(\"nama bagan\") di naskah menggambarnya.",
                ),
                text(
                    "Jabatan",
                    "Nama jabatan atau unit kerja, mis. Seksi Pelayanan; satu baris per jabatan.",
                ),
                text(
                    "Atasan",
                    "Jabatan atasannya, ditulis persis seperti di kolom Jabatan; kosong untuk pimpinan.",
                ),
                text(
                    "Garis",
                    "komando (garis penuh, bila kosong) atau koordinasi (garis putus-putus).",
                ),
            ],
        ),
    ]
}

/// The SWOT factors with NU and BF, and the strategy scores.
fn analisis_swot() -> Vec<SheetSpec> {
    vec![
        (
            "Analisis SWOT",
            vec![
                text(
                    "Faktor",
                    "Kekuatan, Kelemahan, Peluang atau Ancaman; baris Jumlah di akhir setiap faktor.",
                ),
                text("No", "Nomor urut."),
                text("Uraian", "Uraian faktor."),
                col("NU", "Nilai urgensi 1-5.", true),
                col(
                    "BF",
                    "Bobot faktor; jumlahnya 100 untuk setiap faktor.",
                    true,
                ),
                col("NU x BF", "NU × BF; renstra menghitung ulang.", true),
            ],
        ),
        (
            "Skor Strategi",
            vec![
                text("No", "Nomor urut."),
                text("Uraian", "Strategi SO, WO, ST, WT."),
                text("Formula", "Mis. Hasil tabel S+O."),
                text("Hasil", "Mis. 485 + 405."),
                col("Jumlah", "Skor strategi.", true),
            ],
        ),
    ]
}

/// T-C.26 and the SWOT strategy matrix.
fn strategi_kebijakan() -> Vec<SheetSpec> {
    vec![
        (
            "T-C.26",
            vec![
                text("Tingkat", "Kota atau nama perangkat daerah."),
                text("Tujuan", "Tujuan."),
                text("Sasaran", "Sasaran."),
                text("Strategi", "Strategi."),
                text("Arah Kebijakan", "Arah kebijakan."),
            ],
        ),
        (
            "Matriks SWOT",
            vec![
                text("Kuadran", "S-O, W-O, S-T atau W-T."),
                text("Strategi", "Strategi pada kuadran itu."),
            ],
        ),
    ]
}

/// Tabel 8: problems and strategic issues.
fn permasalahan_isu() -> Vec<SheetSpec> {
    vec![(
        "Tabel 8",
        vec![
            text("No", "Nomor urut."),
            text("Urusan", "Urusan pemerintahan."),
            text("Permasalahan", "Permasalahan pelayanan."),
            text("Isu Strategis", "Isu strategis."),
        ],
    )]
}

/// The commented `renstra.toml` a new unit starts from; `{kode_bidang}` is its kode bidang line.
const CONFIG: &str = r#"# Identitas dan pengaturan unit untuk renstra. Ganti setiap nilai di bawah ini.

[perangkat_daerah]
nama = "Nama Perangkat Daerah"
pemerintah_daerah = "Kota/Kabupaten ..."
# Kode bidang urusan unit menurut Permendagri 90/2019 (mis. "1.02" untuk dinas kesehatan, "7.01"
# untuk kecamatan): menggantikan "X.XX" pada kode program penunjang.
{kode_bidang}
# Kelurahan di wilayah unit, ejaan baku (boleh dikosongkan: []).
kelurahan = []

[periode]
# Tahun awal dan akhir Renstra; judul kolom target di lembar kerja memakai tahun-tahun ini.
awal = 2025
akhir = 2026
# Tahun-tahun evaluasi Renstra sebelumnya (T-C.23 dan T-C.24), berurutan.
evaluasi = [2019, 2020, 2021, 2022, 2023]

[penandatangan]
jabatan = "Kepala ..."
nama = "NAMA KEPALA"
pangkat = "Pembina"
nip = "19700101 199501 1 001"

[dokumen]
tempat = "Nama Kota"
# Tanggal seperti dicetak, mis. "24 Januari 2025", "Januari 2025" atau "2025".
tanggal = "2025"
# Ukuran kertas: "A4" atau "F4" (folio 215 × 330 mm).
kertas = "F4"

# Berita Acara Hasil Verifikasi (diisi Bappeda). Selama tempat, tanggal atau nama penandatangan
# masih kosong, penyusunan memberi peringatan VERIFIKASI-INCOMPLETE yang menyebut isian mana.
[verifikasi]
# Kop surat kantor verifikator, satu baris per teks.
kop = []
# Lambang pemda di kiri kop: berkas gambar (png, jpg, svg) di folder unit; hapus tanda # di depannya.
# lambang = "lambang.png"
# Tempat dan tanggal penandatanganan, mis. tempat = "Probolinggo", tanggal = "24 Januari 2025".
tempat = ""
tanggal = ""

[verifikasi.verifikator]
jabatan = "Verifikator"
nama = ""
nip = ""

[verifikasi.perencana]
jabatan = "Fungsional Perencana"
nama = ""
nip = ""

[verifikasi.kepala]
jabatan = "Kepala Bappeda"
nama = ""
pangkat = ""
nip = ""
"#;

/// Writes `bytes` to a new file at `path`; `Ok(false)` when something is already there, which
/// is left exactly as it was (the check and the creation are one step, `create_new`).
fn write_new(path: &Path, bytes: &[u8]) -> Result<bool, ScaffoldError> {
    use std::io::Write;
    let io = |source| ScaffoldError::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => file.write_all(bytes).map(|()| true).map_err(io),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io(e)),
    }
}

/// What `init` did: the files it wrote, and those it found already there and left alone.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Initialised {
    /// Written, relative to the unit folder.
    pub written: Vec<PathBuf>,
    /// Already there and not touched, relative to the unit folder.
    pub kept: Vec<PathBuf>,
}

fn workbook(sheets: &[(&str, Vec<Col>)]) -> Result<Vec<u8>, ScaffoldError> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_author("renstra init")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let bold = Format::new().set_bold().set_text_wrap();
    for (name, cols) in sheets {
        let sheet = book.add_worksheet().set_name(*name)?;
        for (c, column) in cols.iter().enumerate() {
            let c = c as u16;
            sheet.write_string_with_format(0, c, &column.header, &bold)?;
            sheet.insert_note(0, c, &Note::new(&column.help).set_author("renstra"))?;
            sheet.set_column_width(c, if column.figure { 16 } else { 28 })?;
            if column.figure {
                let rule = DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                    .set_input_title("Angka")?
                    .set_input_message(column.help.chars().take(250).collect::<String>())?
                    .set_error_title("Bukan angka")?
                    .set_error_message("Isi angka saja (tanpa Rp atau teks), mis. 1234567,89.")?;
                sheet.add_data_validation(1, c, 1000, c, &rule)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    Ok(book.save_to_buffer()?)
}

/// How a narrative file is written, at the top of every file `init` makes: the marks that mean
/// something to Typst, how to print them as typed, and the commands that bring in verified data.
/// Lines that start with `//` are not printed.
const NARRATIVE_GUIDE: &str = "\
// PETUNJUK (baris yang diawali // tidak dicetak; hapus bila sudah tidak perlu)
// Tulis teks biasa apa adanya. Tanda berikut punya arti khusus:
//   = Judul Bab    == Sub Bab    - butir    + butir bernomor
//   *tebal*    _miring_    baris kosong = paragraf baru
// Agar tanda itu tercetak apa adanya, tulis \\ di depannya:
//   \\*  bintang, mis. \\*) Data sementara     \\_  garis bawah
//   \\@  a-keong, mis. dinkes_kota\\@yahoo.co.id  \\$  dolar
//   \\#  pagar                                 \\\\  garis miring terbalik
// Tabel, angka dan grafik diambil dari buku kerja yang sudah diperiksa; jangan diketik ulang:
//   #tabel(\"T-C.24\")          tabel yang sudah diverifikasi (T-C.23 ... T-C.28, Tabel 1, ...)
//   #fakta(\"pagu-renstra\")    satu angka: pagu-renstra, jumlah-pegawai, anggaran-2023, ...
//   #grafik(\"anggaran\")       grafik anggaran dan realisasi (\"kinerja\": capaian kinerja)
//   #gambar(\"Judul\", \"berkas.png\")  gambar dari berkas di folder unit (png, jpg, svg)
//   #pohon(2025)              pohon kinerja (cascading) tahun itu, digambar dari T-C.25 dan T-C.27
//   #struktur(\"Kelurahan\")    bagan struktur organisasi dari lembar Struktur Organisasi
// Contoh kalimat: Jumlah pegawai #fakta(\"jumlah-pegawai\") orang, rinciannya pada tabel berikut.

";

/// The verified tables each chapter of the default systematics shows, by the section they
/// belong under (its title's first word; `""` for the chapter itself), in the seed's places.
fn chapter_tables(number: usize) -> &'static [(&'static str, &'static str)] {
    match number {
        1 => &[("Latar", "#alur")],
        2 => &[
            ("Tugas", "#struktur"),
            ("Sumber", "Tabel 1"),
            ("Sumber", "Tabel 2"),
            ("Kinerja", "T-C.23"),
            ("Kinerja", "T-C.24"),
            ("Kinerja", "#grafik"),
        ],
        3 => &[
            ("Permasalahan", "Tabel 8"),
            ("Permasalahan", "Tabel 9"),
            ("Permasalahan", "Tabel 10"),
        ],
        4 => &[("", "T-C.25"), ("", "#pohon-2025"), ("", "#pohon-2026")],
        5 => &[
            ("", "Matriks SWOT"),
            ("", "Skor Strategi SWOT"),
            ("", "T-C.26"),
        ],
        6 => &[("", "T-C.27")],
        7 => &[("", "T-C.28")],
        _ => &[],
    }
}

/// The calls that place `section`'s tables (`section` is `""` for the chapter's own).
fn tables_under(number: usize, section: &str) -> String {
    chapter_tables(number)
        .iter()
        .filter(|(under, _)| {
            if under.is_empty() {
                section.is_empty()
            } else {
                section.split_whitespace().next() == Some(under)
            }
        })
        .map(|(_, table)| match *table {
            "#grafik" => "#grafik(\"anggaran\")\n\n".to_string(),
            "#alur" => "#alur-perencanaan()\n\n".to_string(),
            "#struktur" => "#struktur()\n\n".to_string(),
            "#pohon-2025" => "#pohon(2025)\n\n".to_string(),
            "#pohon-2026" => "#pohon(2026)\n\n".to_string(),
            table => format!("#tabel(\"{table}\")\n\n"),
        })
        .collect()
}

fn narrative(number: usize, title: &str, sections: &[String]) -> String {
    let mut text = String::from("#import \"/templates/naskah.typ\": *\n\n");
    text.push_str(NARRATIVE_GUIDE);
    text.push_str(&format!("= {title}\n\n"));
    if sections.is_empty() {
        text.push_str(&format!("(Tulis isi BAB {number} di sini.)\n\n"));
    }
    text.push_str(&tables_under(number, ""));
    for s in sections {
        text.push_str(&format!("== {s}\n\n(Tulis isi sub bab ini.)\n\n"));
        text.push_str(&tables_under(number, s));
    }
    text
}

/// Creates the unit in `folder` and returns the files written, relative to it.
/// `kode_bidang` is the unit's bidang urusan (`1.02`); without one the line is left commented for
/// the officer to fill, never another unit's code.
pub fn init_unit(folder: &Path, kode_bidang: Option<&str>) -> Result<Initialised, ScaffoldError> {
    if folder.join(CONFIG_FILE).exists() {
        return Err(ScaffoldError::Exists(folder.display().to_string()));
    }
    let bidang_line = match kode_bidang {
        Some(text) => {
            let kode = crate::model::Kode::parse(text, None)
                .ok()
                .filter(|k| k.level() == crate::model::Level::Bidang)
                .ok_or_else(|| ScaffoldError::KodeBidang(text.to_string()))?;
            format!("kode_bidang = \"{kode}\"")
        }
        None => "# kode_bidang = \"\"   <- isi kode bidang unit Anda, lalu hapus tanda # di depan"
            .into(),
    };
    let config = CONFIG.replace("{kode_bidang}", &bidang_line);
    let mut done = Initialised::default();
    let mut put = |rel: &str, bytes: &[u8]| -> Result<(), ScaffoldError> {
        if write_new(&folder.join(rel), bytes)? {
            done.written.push(PathBuf::from(rel));
        } else {
            done.kept.push(PathBuf::from(rel));
        }
        Ok(())
    };
    put(CONFIG_FILE, config.as_bytes())?;
    for (file, sheets) in sheets() {
        put(file, &workbook(&sheets)?)?;
    }
    put(
        "naskah/kata-pengantar.typ",
        format!(
            "#import \"/templates/naskah.typ\": *\n\n{NARRATIVE_GUIDE}(Tulis kata pengantar di sini.)\n"
        )
        .as_bytes(),
    )?;
    let systematics = default_systematics();
    let chapters: Vec<_> = systematics
        .iter()
        .filter(|b| !b.nomor.contains('.'))
        .collect();
    for (i, chapter) in chapters.iter().enumerate() {
        let prefix = format!("{}.", i + 1);
        let sections: Vec<String> = systematics
            .iter()
            .filter(|b| b.nomor.starts_with(&prefix))
            .map(|b| b.judul.clone())
            .collect();
        put(
            &format!("naskah/bab-{}.typ", i + 1),
            narrative(i + 1, &chapter.judul, &sections).as_bytes(),
        )?;
    }
    Ok(done)
}
