//! The words for renstra's own categories as people read them: severities, levels, kinds of
//! sheet, a unit's result, why a number is not one. Inherent methods written here so the types
//! stay free of wording and every caller still says `severity.label()`.

use std::fmt::{self, Display, Formatter};

use crate::batch::Hasil;
use crate::model::{Level, Malformed, Rule, Severity, SheetKind};

impl Severity {
    /// The word printed for people (Bahasa Indonesia).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "kesalahan",
            Severity::Warning => "peringatan",
            Severity::Info => "info",
        }
    }
}

impl Rule {
    /// The rule's name in the documents a verifier signs (the Berita Acara and its lampiran):
    /// what it checks, in Indonesian. The id (`AMOUNT-MALFORMED`) stays in temuan.csv and the
    /// terminal, for people who search for it.
    pub fn label(self) -> &'static str {
        match self {
            Rule::AmountMalformed => "Angka tidak sah",
            Rule::AmountScale => "Angka salah ribuan",
            Rule::AmountSpaces => "Spasi di dalam angka",
            Rule::AmountNote => "Keterangan di kolom angka",
            Rule::FormulaUncached => "Rumus tanpa hasil tersimpan",
            Rule::KodeMalformed => "Kode tidak sah",
            Rule::KodeDuplicate => "Kode ganda",
            Rule::KodeParentMissing => "Induk kode tidak ada",
            Rule::KodeOutOfPlace => "Kode di bawah induk yang salah",
            Rule::LevelInferred => "Tingkat ditentukan dari uraian",
            Rule::LocationSpelling => "Ejaan lokasi",
            Rule::FigureConflict => "Angka berbeda antarberkas",
            Rule::SumHierarchy => "Jumlah rincian tidak sesuai",
            Rule::SumTotal => "Jumlah total tidak sesuai",
            Rule::RatioMismatch => "Rasio tidak sesuai",
            Rule::RatioRounding => "Pembulatan rasio",
            Rule::RatioPrecision => "Ketelitian rasio tidak seragam",
            Rule::RealisasiOverAnggaran => "Realisasi melebihi anggaran",
            Rule::ColumnUnread => "Kolom tidak dibaca",
            Rule::FigureMissing => "Gambar tanpa isi",
            Rule::RealisasiWithoutAnggaran => "Realisasi tanpa anggaran",
            Rule::PlanTotal => "Jumlah pendanaan akhir periode",
            Rule::PlanTarget => "Target akhir periode",
            Rule::TargetMissing => "Indikator atau target kosong",
            Rule::TargetMismatch => "Target antartabel tidak sama",
            Rule::BaselineMismatch => "Kondisi awal tidak sama",
            Rule::StaffSum => "Jumlah pegawai",
            Rule::OrgChart => "Struktur organisasi",
            Rule::TextUnprintable => "Karakter tidak tercetak",
            Rule::StaffCategories => "Kelompok pegawai tidak sama",
            Rule::SwotUrgency => "Urgensi SWOT",
            Rule::SwotWeights => "Bobot SWOT",
            Rule::SwotScore => "Skor SWOT",
            Rule::NarrativeFigure => "Angka di naskah",
            Rule::NarrativeUnreadable => "Naskah tidak terbaca",
            Rule::NarrativeNotKept => "Bagian naskah tidak tersalin",
            Rule::NarrativeTable => "Tabel di naskah",
            Rule::NarrativeStructure => "Susunan bab naskah",
            Rule::FaktaUnknown => "Fakta tidak dikenal",
            Rule::VerifikasiIncomplete => "Isian Berita Acara kosong",
            Rule::InputUnreadable => "Berkas atau baris tidak terbaca",
            Rule::SheetEmpty => "Lembar kosong",
        }
    }

    /// The rule whose id is `id`.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl Level {
    /// The Indonesian name used in tables and messages.
    pub fn label(self) -> &'static str {
        match self {
            Level::Urusan => "urusan",
            Level::Bidang => "bidang urusan",
            Level::Program => "program",
            Level::Kegiatan => "kegiatan",
            Level::SubKegiatan => "sub kegiatan",
        }
    }
}

impl SheetKind {
    /// The Indonesian name used in the run summary.
    pub fn label(self) -> &'static str {
        match self {
            SheetKind::AnggaranRealisasi => "anggaran dan realisasi (T-C.24)",
            SheetKind::RencanaProgram => "rencana program dan pendanaan (T-C.27)",
            SheetKind::KinerjaPelayanan => "kinerja pelayanan (T-C.23)",
            SheetKind::TujuanSasaran => "tujuan, sasaran dan indikator (T-C.25, T-C.28, Tabel 10)",
            SheetKind::StrategiKebijakan => "strategi dan kebijakan (T-C.26)",
            SheetKind::Swot => "analisis SWOT",
            SheetKind::Kepegawaian => "kepegawaian (Tabel 1)",
            SheetKind::SaranaPrasarana => "sarana dan prasarana (Tabel 2)",
            SheetKind::PermasalahanIsu => "permasalahan dan isu strategis (Tabel 8, 9)",
            SheetKind::StrukturOrganisasi => "struktur organisasi (jabatan dan atasan)",
        }
    }
}

impl Hasil {
    /// The word printed for people.
    pub fn label(self) -> &'static str {
        match self {
            Hasil::Disusun => "disusun",
            Hasil::TidakBerubah => "tidak-berubah",
            Hasil::Gagal => "gagal",
        }
    }
}

impl Display for Malformed {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Malformed::SeveralCommas => "tanda koma desimal lebih dari satu",
            Malformed::BadGroup => "kelompok ribuan (dipisah titik) tidak berisi tepat tiga angka",
            Malformed::Ambiguous => {
                "tidak jelas apakah koma itu pemisah ribuan atau desimal (tulis 1.234 atau 1,23)"
            }
            Malformed::StrayCharacter => "memuat karakter yang bukan bagian dari angka",
            Malformed::TooLarge => "angka melebihi 10^18 (satu juta triliun), lebih besar dari anggaran mana pun",
            Malformed::NotANumber => {
                "sel berisi tanggal, nilai logika atau kode kesalahan Excel (#REF! dan sejenisnya), bukan angka"
            }
            Malformed::UncachedFormula => {
                "rumus tanpa hasil tersimpan; buka berkas di Excel/LibreOffice lalu simpan ulang"
            }
            Malformed::Conflict => {
                "dua berkas atau lembar memberi angka berbeda; tidak satu pun dipakai sampai hanya satu versi yang tersisa"
            }
        })
    }
}
