//! The Berita Acara's recommendations: what a verifier would write in the REKOMENDASI column for
//! a chapter or sub-chapter that is not yet "Sesuai".

use std::fmt::Display;

use crate::model::Rule;

/// A chapter the narrative does not have.
pub fn chapter_missing(nomor: &str, judul: &str, n: usize) -> String {
    format!("Bab {nomor} {judul} belum ada: tulis naskahnya di naskah/bab-{n}.typ.")
}

/// A chapter whose heading is not the systematics'.
pub fn chapter_title(written: &str, expected: &str) -> String {
    format!("Judul bab \"{written}\" tidak sesuai sistematika; seharusnya \"{expected}\".")
}

/// A sub-chapter the narrative does not have.
pub fn section_missing(nomor: &str, judul: &str, n: usize) -> String {
    format!(
        "Sub bab {nomor} {judul} belum ada: tambahkan sub bab ini di naskah/bab-{n}.typ sesuai sistematika."
    )
}

/// A sub-chapter out of the systematics' order.
pub fn section_order(nomor: &str, judul: &str) -> String {
    format!("Sub bab {nomor} {judul} tidak berurutan: pindahkan sesuai urutan sistematika.")
}

/// A required regulation the legal basis does not cite.
pub fn regulation_missing(nama: &str) -> String {
    format!("Dapat ditambahkan dasar hukum: {nama}.")
}

/// A word a sub-chapter must mention.
pub fn content_missing(judul: &str, word: &str) -> String {
    format!("Bisa ditambahkan: {judul} belum menyebut \"{word}\".")
}

/// The first item of a table's REKOMENDASI: the table, its sheet, how many findings.
pub fn table_summary(table: &str, sheet: &str, count: usize, errors: usize) -> String {
    let errors = if errors > 0 {
        format!(", {errors} di antaranya kesalahan yang harus diperbaiki")
    } else {
        String::new()
    };
    format!("{table} ({sheet}) memuat {count} temuan{errors}; setiap sel dirinci di Lampiran 1.")
}

/// One rule's item: what to do, on how many cells, and its first lines.
/// `groups` says whether the findings are about groups of rows (Tabel 1's groupings) rather
/// than cells.
pub fn rule_advice(
    advice: &str,
    count: usize,
    groups: bool,
    examples: &[String],
    more: usize,
) -> String {
    let (unit, others) = if groups {
        ("kelompok", "kelompok lain")
    } else {
        ("sel", "baris lain")
    };
    let more = if more > 0 {
        format!("; dan {more} {others}")
    } else {
        String::new()
    };
    match examples {
        [] => format!("{advice} ({count} {unit})."),
        [one] if count == 1 => format!("{advice}: {one}."),
        _ => format!(
            "{advice} pada {count} {unit}, antara lain {}{more}.",
            examples.join("; ")
        ),
    }
}

/// A finding's cell with what it says and what fits, for a line's example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The cell (`E81`).
    pub cell: String,
    /// What it says, as written; may be empty.
    pub written: String,
    /// What fits; may be empty.
    pub expected: String,
}

/// One line of a rule's item: `"Kegiatan Administrasi Keuangan", anggaran 2021–2023 (sel
/// E81–G81), usulan renstra 10.933.294.372,00 (E81) dan 8.737.001.069,00 (G81)`; a single
/// cell also says what it holds.
pub fn line_example(
    line: &str,
    columns: &str,
    cells: &str,
    expected_label: &str,
    figures: &[Figures],
) -> String {
    let mut out = String::new();
    if !line.is_empty() {
        out.push_str(&format!("\"{line}\""));
    }
    if !columns.is_empty() {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(columns);
    }
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&format!("(sel {cells})"));
    let fitting: Vec<&Figures> = figures.iter().filter(|f| !f.expected.is_empty()).collect();
    match (figures, fitting.as_slice()) {
        ([one], _) => {
            if !one.written.is_empty() {
                out.push_str(&format!(" tertulis {}", one.written));
            }
            if !one.expected.is_empty() {
                out.push_str(&format!(", {expected_label} {}", one.expected));
            }
        }
        (_, []) => {}
        (_, many) => {
            let values: Vec<String> = many
                .iter()
                .map(|f| format!("{} ({})", f.expected, f.cell))
                .collect();
            out.push_str(&format!(", {expected_label} {}", and_list(&values)));
        }
    }
    out
}

/// A finding about a group of rows, in its own first sentence, with its cells.
pub fn group_example(message: &str, cells: &str) -> String {
    let first = message.split(". ").next().unwrap_or(message);
    let first = first.trim_end_matches('.');
    // A short lead naming the table ("Tabel 1: ") is said by the item already.
    let first = match first.split_once(": ") {
        Some((lead, rest)) if lead.chars().count() <= 24 => rest,
        _ => first,
    };
    format!("{first} (sel {cells})")
}

/// The rules a table's REKOMENDASI does not spell out, with their counts.
pub fn other_rules(list: &str) -> String {
    format!("Temuan lain di tabel ini: {list}.")
}

/// `a`, `a dan b`, `a, b dan c`.
pub fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} dan {last}", rest.join(", ")),
    }
}

/// What a verifier asks for, per rule, in the REKOMENDASI column.
pub fn advice(rule: Rule) -> &'static str {
    match rule {
        Rule::AmountMalformed => "Perbaiki angka yang tidak terbaca sebagai angka",
        Rule::AmountScale => {
            "Perbaiki angka yang salah ribuan (ditulis dalam ribuan atau kelebihan tiga nol)"
        }
        Rule::AmountSpaces => "Hapus spasi di tengah angka",
        Rule::AmountNote => "Pindahkan keterangan yang tertulis di kolom angka ke kolom Keterangan",
        Rule::FormulaUncached => {
            "Hitung ulang dan simpan kembali buku kerja yang rumusnya tanpa hasil tersimpan"
        }
        Rule::KodeMalformed => "Perbaiki kode yang tidak sesuai Permendagri 90/2019",
        Rule::KodeDuplicate => "Gabungkan atau bedakan baris dengan kode dan lokasi yang sama",
        Rule::KodeParentMissing => "Tambahkan baris program atau kegiatan induk yang belum ada",
        Rule::KodeOutOfPlace => "Pindahkan baris ke bawah induk yang kodenya sesuai",
        Rule::LevelInferred => "Lengkapi kode Permendagri 90/2019 pada baris tanpa kode",
        Rule::LocationSpelling => "Samakan ejaan lokasi dengan daftar kelurahan",
        Rule::FigureConflict => "Tetapkan satu angka di antara dua versi buku kerja yang berbeda",
        Rule::SumHierarchy => "Samakan angka induk dengan jumlah rinciannya",
        Rule::SumTotal => "Samakan baris JUMLAH dengan jumlah programnya",
        Rule::RatioMismatch => "Hitung ulang rasio dari angka-angkanya",
        Rule::RatioRounding => "Bulatkan rasio pada angka terakhirnya, bukan dipotong",
        Rule::RatioPrecision => "Samakan banyaknya angka desimal rasio",
        Rule::RealisasiOverAnggaran => "Periksa realisasi yang melebihi anggarannya",
        Rule::RealisasiWithoutAnggaran => {
            "Lengkapi anggaran untuk realisasi yang belum beranggaran"
        }
        Rule::PlanTotal => "Samakan Rp akhir periode dengan jumlah Rp tahun-tahun rencana",
        Rule::PlanTarget => "Samakan target akhir periode dengan target tahun terakhir",
        Rule::TargetMissing => "Lengkapi indikator dan target setiap tahun rencana",
        Rule::TargetMismatch => "Samakan target indikator dengan target yang sama di T-C.25",
        Rule::BaselineMismatch => "Samakan kondisi awal dengan realisasi terakhir di T-C.23",
        Rule::StaffSum => "Samakan Jumlah dengan laki-laki + perempuan",
        Rule::StaffCategories => {
            "Samakan jumlah setiap kelompok pegawai dengan pegawai yang dicakupnya"
        }
        Rule::SwotUrgency => "Isi nilai urgensi (NU) pada skala 1–5",
        Rule::SwotWeights => "Jadikan jumlah bobot faktor (BF) setiap kuadran 100",
        Rule::SwotScore => "Hitung ulang skor SWOT (NU × BF, jumlah kuadran, skor strategi)",
        Rule::ColumnUnread => "Periksa kolom yang tidak terbaca",
        Rule::OrgChart => "Perbaiki lembar struktur organisasi",
        Rule::TextUnprintable => "Ganti atau hapus karakter yang tidak dapat dicetak",
        Rule::FigureMissing => "Lengkapi gambar yang belum ada",
        Rule::NarrativeFigure => "Ganti angka di naskah dengan angka terverifikasi",
        Rule::NarrativeUnreadable => {
            "Simpan ulang naskah sebagai dokumen Word (.docx) tanpa kata sandi"
        }
        Rule::NarrativeNotKept => "Sisipkan ulang bagian naskah yang tidak tersalin",
        Rule::NarrativeTable => "Periksa tabel naskah yang tidak terverifikasi",
        Rule::NarrativeStructure => "Rapikan susunan bab naskah",
        Rule::FaktaUnknown => "Perbaiki nama fakta di naskah",
        Rule::VerifikasiIncomplete => "Lengkapi isian Berita Acara",
        Rule::InputUnreadable => "Perbaiki berkas atau lembar yang tidak terbaca",
        Rule::SheetEmpty => "Isi lembar yang masih kosong",
    }
}

/// How a rule's fitting figure is named after the cells.
pub fn expected_label(rule: Rule) -> &'static str {
    match rule {
        Rule::AmountMalformed | Rule::AmountScale => "usulan renstra",
        Rule::SumHierarchy => "jumlah rinciannya",
        Rule::SumTotal => "jumlah programnya",
        Rule::PlanTotal => "jumlah Rp tahun rencana",
        Rule::StaffSum => "laki-laki + perempuan",
        Rule::SwotScore => "hasil hitung ulang",
        _ => "seharusnya",
    }
}

/// A table's name in a sentence: `Tabel 1` as it is, `T-C.24` as `Tabel T-C.24`.
pub fn table_name(table: impl Display) -> String {
    let name = table.to_string();
    if name.starts_with("Tabel") {
        name
    } else {
        format!("Tabel {name}")
    }
}

/// A verifier's note for a section the systematics does not have.
pub fn unused_note(bagian: &str) -> String {
    format!(
        "Catatan untuk bagian \"{bagian}\" tidak dipakai: bagian itu tidak ada dalam sistematika."
    )
}

/// The last row of Lampiran 2's coverage table.
pub const COVERAGE_TOTAL: &str = "Jumlah";

/// VERIFIKASI-INCOMPLETE: what to fill in so the Berita Acara prints no empty block.
pub fn signature_gaps(keys: &[&str]) -> String {
    format!(
        "Berita Acara: isian [verifikasi] di renstra.toml belum lengkap ({}), sehingga tempat, tanggal atau blok tanda tangannya tercetak kosong. Isi nilainya (contoh ada di bagian [verifikasi] yang dibuat renstra init).",
        keys.join(", ")
    )
}

/// A message of the Berita Acara cut short.
pub fn cut_short(first: &str) -> String {
    format!("{first}… (selengkapnya di temuan.csv)")
}

/// Under Lampiran 1 when it is cut at its bound: how many findings it prints, how many it does
/// not, and where all of them are.
pub fn findings_not_printed(printed: usize, rest: usize) -> String {
    format!(
        "Lampiran ini mencetak {} temuan pertama; {} temuan tingkat kesalahan dan peringatan lainnya tidak dicetak di sini. Semua temuan ada di lembar \"Lampiran 1 Temuan\" pada lampiran-berita-acara.xlsx dan di temuan.csv.",
        super::grouped(printed),
        super::grouped(rest)
    )
}
