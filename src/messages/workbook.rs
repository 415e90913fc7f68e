//! What the output workbooks and the tidy CSV say to the person reading them: the legend under
//! each table, the notes on unverifiable cells, the remarks of the tidy export.

use std::fmt::Display;

/// The legend under every table of tabel-renstra.xlsx.
pub const LEGEND: &str = "Sel merah: angka di berkas sumber tidak sah (ditampilkan apa adanya) atau tidak dapat dihitung (?); catatan sel dan lembar Temuan menjelaskan perbaikannya. Rasio, jumlah dan nilai turunan lain dihitung ulang oleh renstra dan tetap berupa rumus.";

/// The note on a derived cell that cannot be computed.
pub fn uncomputable(reason: impl Display) -> String {
    format!("Tidak dapat dihitung: {reason}.")
}

/// The note on a proposed reading of a malformed amount: what the source says, and why.
pub fn proposed(written: &str, why: Option<&str>) -> String {
    let mut note = format!(
        "Usulan renstra, bukan angka terverifikasi. Tertulis di berkas sumber: \"{written}\"."
    );
    if let Some(why) = why {
        note.push(' ');
        note.push_str(why);
    }
    note
}

/// The note on a figure renstra recomputed where the source states another.
pub fn recomputed(written: &str) -> String {
    format!(
        "Dihitung ulang oleh renstra. Tertulis di berkas sumber: \"{written}\"; lihat lembar Temuan."
    )
}

/// The note on a figure computed from a proposed reading.
pub const DERIVED_FROM_PROPOSAL: &str = "Dihitung dari usulan renstra untuk angka yang tidak sah di berkas sumber; bukan angka terverifikasi.";

/// The note on an unverifiable cell no finding speaks for.
pub const UNVERIFIED: &str =
    "Angka di berkas sumber tidak sah; lihat lembar Temuan untuk perbaikannya.";

/// The tidy export's remark on a figure that is not a valid number.
pub fn not_a_number(name: &str, raw: &str) -> String {
    format!("{name} tidak sah: {raw}")
}

/// The tidy export's remark on words written where a figure belongs.
pub fn note(name: &str, note: &str) -> String {
    format!("{name}: {note}")
}

/// A finding's cell list cut short in the Temuan sheet.
pub fn more_cells(first: &str, more: usize) -> String {
    format!("{first} … dan {more} sel lain")
}
