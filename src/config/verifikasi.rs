//! The `[verifikasi]` table of `renstra.toml`: who verifies the document (the Berita Acara's
//! kop and signatories) and against what (the required regulations, the systematics with the
//! tables each chapter presents). Part of the unit's configuration, validated with the rest of
//! it; the Berita Acara stage only reads it.

use serde::{Deserialize, Serialize};

use crate::model::TableId;

/// A person who signs the Berita Acara.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Pejabat {
    /// Office, printed above the signature ("VERIFIKATOR", "KEPALA BAPPEDA LITBANG").
    #[serde(default)]
    pub jabatan: String,
    /// Name with titles.
    #[serde(default)]
    pub nama: String,
    /// Rank, when given.
    #[serde(default)]
    pub pangkat: String,
    /// NIP, when given.
    #[serde(default)]
    pub nip: String,
}

/// A regulation the legal basis (Dasar Hukum) must cite.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Regulasi {
    /// Its full name, as the recommendation quotes it.
    pub nama: String,
    /// The text that identifies it in the narrative (its number), matched ignoring case and
    /// spacing.
    pub kunci: String,
}

/// A chapter or sub-chapter of the systematics.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Bagian {
    /// "I" … "VIII" for chapters, "1.2" for sub-chapters.
    pub nomor: String,
    /// Its title as the Berita Acara prints it.
    pub judul: String,
    /// Words one of which the narrative's heading must contain.
    pub kunci: Vec<String>,
    /// The tables it presents; their findings decide its verdict.
    #[serde(default)]
    pub tabel: Vec<TableId>,
    /// Words its text must contain (the seed's verifier wanted "Masyarakat" among the kelompok
    /// sasaran).
    #[serde(default)]
    pub harus_memuat: Vec<String>,
    /// True for the section that lists the legal basis: it must cite every required regulation.
    #[serde(default)]
    pub dasar_hukum: bool,
}

impl Bagian {
    /// The chapter it belongs to, 1-based (`II` and `2.3` are both chapter 2); `None` for a
    /// number that is neither, which the configuration's validation refuses, so a validated
    /// systematics always has one.
    pub fn chapter(&self) -> Option<usize> {
        let roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"];
        match self.nomor.split_once('.') {
            None => roman.iter().position(|r| *r == self.nomor).map(|i| i + 1),
            Some((n, m)) => n
                .parse()
                .ok()
                .filter(|n| (1..=8).contains(n) && m.parse::<u32>().is_ok()),
        }
    }

    /// True for a chapter (`II`), false for a sub-chapter (`2.3`).
    pub fn is_chapter(&self) -> bool {
        !self.nomor.contains('.')
    }
}

/// Bappeda's check of the document: the office, its signatories, and what the document is
/// checked against; `D` is the date of signing, as written (raw) or parsed (validated).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(
    deny_unknown_fields,
    bound(deserialize = "D: Deserialize<'de> + Default")
)]
pub struct Verifikasi<D> {
    /// Letterhead lines: government, office, address, contacts, city.
    #[serde(default)]
    pub kop: Vec<String>,
    /// The pemda's lambang beside the letterhead: an image file (png, jpg, svg) in the unit
    /// folder.
    #[serde(default)]
    pub lambang: Option<String>,
    /// Place of signing.
    #[serde(default)]
    pub tempat: String,
    /// Date of signing, as printed.
    #[serde(default)]
    pub tanggal: D,
    /// The verifier.
    #[serde(default)]
    pub verifikator: Pejabat,
    /// The unit's functional planner.
    #[serde(default)]
    pub perencana: Pejabat,
    /// The head of Bappeda, who acknowledges.
    #[serde(default)]
    pub kepala: Pejabat,
    /// Regulations the legal basis must cite.
    #[serde(default = "default_regulations")]
    pub regulasi_wajib: Vec<Regulasi>,
    /// The chapters and sub-chapters the document must have, in order.
    #[serde(default = "default_systematics")]
    pub sistematika: Vec<Bagian>,
}

impl<D> Verifikasi<D> {
    /// The same verification with its date validated (or replaced).
    pub fn with_date<E>(self, tanggal: E) -> Verifikasi<E> {
        Verifikasi {
            kop: self.kop,
            lambang: self.lambang,
            tempat: self.tempat,
            tanggal,
            verifikator: self.verifikator,
            perencana: self.perencana,
            kepala: self.kepala,
            regulasi_wajib: self.regulasi_wajib,
            sistematika: self.sistematika,
        }
    }
}

/// No `[verifikasi]` table: no kop or signatories, the default regulations and systematics.
impl Default for Verifikasi<String> {
    fn default() -> Self {
        Verifikasi {
            kop: Vec::new(),
            lambang: None,
            tempat: String::new(),
            tanggal: String::new(),
            verifikator: Pejabat::default(),
            perencana: Pejabat::default(),
            kepala: Pejabat::default(),
            regulasi_wajib: default_regulations(),
            sistematika: default_systematics(),
        }
    }
}

/// The regulations a Renstra PD of the 2025-2026 transition must cite by default.
pub fn default_regulations() -> Vec<Regulasi> {
    [
        ("Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah", "23 Tahun 2014"),
        (
            "Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017 tentang Tata Cara Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
            "86 Tahun 2017",
        ),
        (
            "Peraturan Menteri Dalam Negeri Nomor 90 Tahun 2019 tentang Klasifikasi, Kodefikasi, dan Nomenklatur Perencanaan Pembangunan dan Keuangan Daerah",
            "90 Tahun 2019",
        ),
        (
            "Keputusan Menteri Dalam Negeri Nomor 900.1.15.5-1317 Tahun 2023 tentang Perubahan atas Kepmendagri Nomor 050-5889 Tahun 2021",
            "900.1.15.5-1317",
        ),
    ]
    .into_iter()
    .map(|(nama, kunci)| Regulasi {
        nama: nama.into(),
        kunci: kunci.into(),
    })
    .collect()
}

/// The systematics of a Renstra PD (Permendagri 86/2017 as verifiers apply it to transition
/// documents, the seed's Berita Acara): chapters, sub-chapters, and the tables each presents.
pub fn default_systematics() -> Vec<Bagian> {
    let b = |nomor: &str, judul: &str, kunci: &[&str], tabel: &[&str], memuat: &[&str]| Bagian {
        nomor: nomor.into(),
        judul: judul.into(),
        kunci: kunci.iter().map(|s| (*s).into()).collect(),
        tabel: tabel.iter().map(|s| TableId::from_name(s)).collect(),
        harus_memuat: memuat.iter().map(|s| (*s).into()).collect(),
        dasar_hukum: nomor == "1.2",
    };
    vec![
        b("I", "Pendahuluan", &["pendahuluan"], &[], &[]),
        b("1.1", "Latar Belakang", &["latar"], &[], &[]),
        b("1.2", "Dasar Hukum Penyusunan", &["hukum"], &[], &[]),
        b("1.3", "Maksud dan Tujuan", &["maksud"], &[], &[]),
        b("1.4", "Sistematika Penulisan", &["sistematika"], &[], &[]),
        b(
            "II",
            "Gambaran Pelayanan Perangkat Daerah",
            &["gambaran"],
            &[],
            &[],
        ),
        b(
            "2.1",
            "Tugas, Fungsi dan Struktur Perangkat Daerah",
            &["tugas", "struktur"],
            &[],
            &[],
        ),
        b(
            "2.2",
            "Sumber Daya Perangkat Daerah",
            &["sumber"],
            &["Tabel 1", "Tabel 2"],
            &[],
        ),
        b(
            "2.3",
            "Kinerja Pelayanan Perangkat Daerah",
            &["kinerja"],
            &["T-C.23", "T-C.24"],
            &[],
        ),
        b(
            "2.4",
            "Kelompok Sasaran Layanan",
            &["sasaran", "tantangan"],
            &[],
            &["masyarakat"],
        ),
        b(
            "III",
            "Permasalahan dan Isu Strategis Perangkat Daerah",
            &["permasalahan"],
            &[],
            &[],
        ),
        b(
            "3.1",
            "Permasalahan Pelayanan Perangkat Daerah",
            &["permasalahan"],
            &["Permasalahan"],
            &[],
        ),
        b(
            "3.2",
            "Isu Strategis",
            &["isu"],
            &["Tabel 8", "Tabel 9", "Tabel 10"],
            &[],
        ),
        b("IV", "Tujuan dan Sasaran", &["tujuan"], &["T-C.25"], &[]),
        b(
            "V",
            "Strategi dan Arah Kebijakan",
            &["strategi"],
            &[
                "Matriks SWOT",
                "SWOT Kekuatan",
                "SWOT Kelemahan",
                "SWOT Peluang",
                "SWOT Ancaman",
                "Skor Strategi SWOT",
                "T-C.26",
            ],
            &[],
        ),
        b(
            "VI",
            "Rencana Program, Kegiatan dan Sub Kegiatan serta Pendanaan",
            &["rencana", "program"],
            &["T-C.27"],
            &[],
        ),
        b(
            "VII",
            "Kinerja Penyelenggaraan Bidang Urusan",
            &["penyelenggaraan"],
            &["T-C.28"],
            &[],
        ),
        b("VIII", "Penutup", &["penutup"], &[], &[]),
    ]
}
