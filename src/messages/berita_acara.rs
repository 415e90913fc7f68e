//! The Berita Acara's recommendations: what a verifier would write in the REKOMENDASI column for
//! a chapter or sub-chapter that is not yet "Sesuai".

use std::fmt::Display;

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

/// Findings on a table the section presents: how many, where, the first cells.
pub fn table_findings(
    count: usize,
    errors: usize,
    table: &str,
    place: &str,
    cells: &str,
    more: usize,
) -> String {
    format!(
        "Perbaiki {count} temuan ({errors} kesalahan) pada {table}, {place}: sel {cells}{}. Rinciannya di Lampiran 1.",
        if more > 0 {
            format!(" dan {more} sel lain")
        } else {
            String::new()
        }
    )
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
