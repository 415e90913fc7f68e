//! What renstra says about a unit's narrative document (`naskah.docx`, `naskah.odt`): what it
//! could not read, what it could not keep, and where (BAB and paragraph).

use crate::naskah::NaskahError;

/// Why the document could not be read, and what to do, for the finding on the file.
pub fn unreadable(file: &str, error: &NaskahError) -> String {
    let (why, todo) = match error {
        NaskahError::Io { source, .. } => (
            format!("berkas tidak dapat dibaca ({})", super::errors::io_reason(source)),
            "periksa izin berkas dan ruang disk, lalu susun ulang".to_string(),
        ),
        NaskahError::TooLarge { bytes, limit } => (
            format!(
                "berukuran {} byte, lebih dari batas {} byte",
                super::grouped(*bytes as usize),
                super::grouped(*limit as usize)
            ),
            "kecilkan gambar di dalamnya (Word: Format Gambar › Kompres Gambar)".to_string(),
        ),
        NaskahError::Encrypted => (
            "dokumen dilindungi kata sandi (terenkripsi)".to_string(),
            "buka di Word, hapus kata sandinya (File › Info › Lindungi Dokumen › Enkripsi dengan Kata Sandi, kosongkan), simpan, lalu susun ulang".to_string(),
        ),
        NaskahError::LegacyWord => (
            "berkas ini dokumen Word 97-2003 (.doc) yang diberi nama .docx".to_string(),
            "buka di Word dan simpan sebagai Dokumen Word (.docx)".to_string(),
        ),
        NaskahError::NotZip(_) => (
            "isinya bukan dokumen Word (.docx) atau Writer (.odt): berkasnya rusak atau bukan dokumen".to_string(),
            "buka dan simpan ulang di Word atau LibreOffice Writer".to_string(),
        ),
        NaskahError::NoDocument { part } => (
            format!("arsipnya tidak memuat {part}, bagian yang berisi teks dokumen"),
            "buka dan simpan ulang di Word atau LibreOffice Writer".to_string(),
        ),
        NaskahError::PartTooLarge { part, limit } => (
            format!(
                "bagian {part} di dalamnya terurai menjadi lebih dari {} byte",
                super::grouped(*limit as usize)
            ),
            "kecilkan gambar di dalamnya atau pecah dokumennya".to_string(),
        ),
        NaskahError::Unpack { part, .. } => (
            format!("bagian {part} di dalamnya tidak dapat diurai (arsip rusak)"),
            "buka dan simpan ulang di Word atau LibreOffice Writer".to_string(),
        ),
        NaskahError::TooDeep { part, limit } => (
            format!("bagian {part} di dalamnya bersarang lebih dari {limit} tingkat"),
            "buka dan simpan ulang di Word atau LibreOffice Writer".to_string(),
        ),
        NaskahError::Xml { part, source } => (
            format!("bagian {part} di dalamnya bukan XML yang utuh ({source})"),
            "buka dan simpan ulang di Word atau LibreOffice Writer".to_string(),
        ),
    };
    format!(
        "Naskah {file} tidak dapat dibaca: {why}. Renstra disusun tanpa narasi (bab-babnya kosong); tabel, lampiran dan Berita Acara tetap dibuat. Yang perlu dilakukan: {todo}."
    )
}

/// An embedded image that is not an image Typst can decode.
pub fn image_unreadable(name: &str, reason: &str) -> String {
    format!(
        "Gambar {name} di dalam naskah tidak dapat dibaca ({reason}); bingkai kosong dengan keterangannya dicetak di tempatnya. Sisipkan ulang gambarnya sebagai png atau jpg."
    )
}

/// An embedded image the document refers to but does not hold.
pub fn image_missing(name: &str) -> String {
    format!(
        "Gambar {name} dirujuk naskah tetapi tidak ada di dalam berkasnya (gambar tertaut, bukan tersisip); bingkai kosong dicetak di tempatnya. Sisipkan gambarnya ke dalam dokumen (Sisipkan › Gambar), bukan sebagai tautan."
    )
}

/// An embedded image larger than the bound.
pub fn image_too_large(name: &str, declared: u64, limit: u64) -> String {
    format!(
        "Gambar {name} di dalam naskah berukuran {} byte setelah diurai, lebih dari batas {} byte; bingkai kosong dicetak di tempatnya. Kecilkan gambarnya (Word: Format Gambar › Kompres Gambar) lalu susun ulang.",
        super::grouped(declared as usize),
        super::grouped(limit as usize)
    )
}

/// An embedded object (a chart, an equation, a linked OLE object) that is no picture.
pub fn object_not_kept() -> String {
    "Objek tersemat di sini (grafik, persamaan atau objek OLE) bukan gambar dan tidak disalin; bingkai kosong dicetak di tempatnya. Tempelkan objeknya sebagai gambar (Tempel Khusus › Gambar) agar tercetak.".to_string()
}

/// A table with more rows than are kept.
pub fn table_capped(limit: usize) -> String {
    format!(
        "Tabel ini memuat lebih dari {} baris; hanya {} baris pertama yang dicetak. Pindahkan datanya ke buku kerja bila tabel ini data Renstra.",
        super::grouped(limit),
        super::grouped(limit)
    )
}

/// A chapter as findings name it: "BAB II".
pub fn chapter_label(number: u8) -> String {
    const NUMERALS: [&str; 20] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
    ];
    match NUMERALS.get(usize::from(number).wrapping_sub(1)) {
        Some(n) => format!("BAB {n}"),
        None => format!("BAB {number}"),
    }
}

/// The Kata Pengantar as findings name it.
pub const KATA_PENGANTAR: &str = "Kata Pengantar";

/// The text before the first chapter as findings name it.
pub const BEFORE_FIRST_CHAPTER: &str = "sebelum BAB I";

/// A paragraph as findings name it: "paragraf 14" (counted from the chapter's heading).
pub fn paragraph(n: usize) -> String {
    format!("paragraf {n}")
}

/// NARRATIVE-STRUCTURE: a chapter that comes after a higher or the same one.
pub fn chapter_out_of_order(number: u8, after: u8) -> String {
    format!(
        "{} muncul sesudah {}: urutan bab naskah tidak urut atau ada bab yang ditulis dua kali. Bab dicetak sesuai urutan di dokumen dan diberi nomor seperti yang tertulis; perbaiki urutannya di dokumen.",
        chapter_label(number),
        chapter_label(after)
    )
}

/// NARRATIVE-STRUCTURE: a chapter number past the Renstra's eight.
pub fn chapter_beyond(number: u8) -> String {
    format!(
        "{} melebihi sistematika Renstra (BAB I sampai BAB VIII, Permendagri 86/2017); bab ini tetap dicetak, tetapi tidak diperiksa dalam Berita Acara. Gabungkan isinya ke bab yang sesuai.",
        chapter_label(number)
    )
}

/// NARRATIVE-STRUCTURE: a level-1 heading inside a chapter that is no "BAB …".
pub fn heading_not_a_chapter(text: &str, chapter: u8) -> String {
    format!(
        "Judul \"{text}\" bergaya Heading 1 tetapi bukan BAB; dicetak sebagai sub-bab {}. Bila ini bab baru, awali dengan \"BAB\" dan nomornya; bila sub-bab, beri gaya Heading 2.",
        chapter_label(chapter)
    )
}

/// NARRATIVE-STRUCTURE: the front matter before BAB I that is not printed.
pub fn front_matter_dropped(count: usize) -> String {
    format!(
        "{} paragraf sebelum BAB I (sampul, daftar isi, daftar tabel, pengesahan) tidak dicetak: renstra menyusun sampul, daftar isi, daftar tabel dan gambar sendiri. Kata pengantar dicetak bila diawali judul \"KATA PENGANTAR\".",
        super::grouped(count)
    )
}

/// NARRATIVE-STRUCTURE: no chapter found at all.
pub fn no_chapters() -> String {
    "Naskah tidak memuat satu bab pun: tidak ada paragraf yang diawali \"BAB I\" … \"BAB VIII\" atau bergaya Heading 1. Beri judul setiap bab (misalnya \"BAB I PENDAHULUAN\") dengan gaya Heading 1.".to_string()
}

/// NARRATIVE-STRUCTURE: a sub-chapter whose typed number the document renumbers.
pub fn renumbered(typed: &str, printed: &str) -> String {
    format!(
        "Sub-bab bernomor {typed} di naskah dicetak sebagai {printed}: renstra menomori sub-bab menurut urutannya. Bila nomornya sengaja, periksa apakah ada sub-bab yang terlewat."
    )
}

/// NARRATIVE-TABLE (info): a Word table replaced by a verified one.
pub fn table_replaced(caption: &str, table: &str) -> String {
    format!(
        "Tabel naskah \"{caption}\" diganti dengan tabel terverifikasi {table} dari buku kerja; angka di tabel naskah tidak dicetak."
    )
}

/// NARRATIVE-TABLE: a captioned Word table renstra cannot match.
pub fn table_unmatched(caption: &str) -> String {
    format!(
        "Tabel naskah \"{caption}\" tidak cocok dengan tabel Renstra mana pun (T-C.23 … T-C.28, Tabel 1, 2, 8, 9, 10, tabel SWOT); dicetak apa adanya, angkanya tidak diperiksa. Bila ini salah satu tabel Renstra, tulis namanya di judul tabel (misalnya \"Tabel T-C.24 …\")."
    )
}

/// NARRATIVE-TABLE: a Word table without a caption.
pub fn table_without_caption() -> String {
    "Tabel naskah tanpa judul (paragraf \"Tabel …\" di atas atau di bawahnya) dicetak apa adanya, angkanya tidak diperiksa. Bila ini salah satu tabel Renstra, beri judul yang menyebut namanya (misalnya \"Tabel T-C.24 …\").".to_string()
}

/// FAKTA-UNKNOWN: a marker naming no fact.
pub fn fakta_unknown<'a>(key: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    format!(
        "Penanda {{{{fakta:{key}}}}} tidak dikenal; di PDF tercetak tanda merah di tempatnya. Nama yang tersedia: {}.",
        known.join(", ")
    )
}

/// NARRATIVE-STRUCTURE: both `naskah/` and a document in the unit folder.
pub fn both_sources(document: &str) -> String {
    format!(
        "Folder unit memuat naskah/ dan {document}; yang dipakai naskah/ (berkas .typ). Hapus atau pindahkan salah satunya agar jelas naskah mana yang berlaku."
    )
}

/// An embedded object (a chart, a formula, an OLE object) of a Writer document that is not
/// kept: nothing is printed in its place.
pub fn object_skipped(name: &str) -> String {
    let name = if name.is_empty() {
        String::new()
    } else {
        format!(" {name}")
    };
    format!(
        "Objek tersemat{name} di dalam naskah (bagan, rumus atau objek OLE) tidak dibawa; tidak ada yang dicetak di tempatnya. Salin objeknya lalu tempel sebagai gambar agar ikut tercetak."
    )
}

/// An author's table beyond the bounds (rows or cells repeated past them): only the part within
/// them is printed.
pub fn table_truncated(max_rows: usize, max_columns: usize) -> String {
    format!(
        "Tabel di dalam naskah melebihi batas {} baris atau {} kolom (baris dan sel yang berulang ikut dihitung); hanya bagian di dalam batas itu yang dicetak. Hapus baris dan kolom kosong di ujung tabel, atau pecah tabelnya.",
        super::grouped(max_rows),
        super::grouped(max_columns)
    )
}

impl std::fmt::Display for crate::pipeline::ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::pipeline::ImportError;
        match self {
            ImportError::Exists { dir } => write!(
                f,
                "{} sudah berisi berkas naskah (.typ); naskah yang ada tidak ditimpa. Pindahkan atau hapus folder itu dahulu bila naskah dari dokumen ini yang hendak dipakai.",
                dir.display()
            ),
            ImportError::Unit(e) => write!(f, "{e}"),
            ImportError::Read { file, source } => write!(f, "{}", unreadable(file, source)),
            ImportError::Write { path, source } => write!(
                f,
                "{} tidak dapat ditulis: {}. Tidak ada naskah/ yang setengah jadi: coba lagi sesudah masalahnya diatasi.",
                path.display(),
                super::errors::io_reason(source)
            ),
        }
    }
}

/// `renstra naskah impor` wrote the narrative: the files and what to do next.
pub fn naskah_imported(document: &std::path::Path, files: &[String]) -> String {
    let mut text = format!(
        "Naskah {} ditulis sebagai {} berkas:\n",
        document.display(),
        files.len()
    );
    for f in files {
        text.push_str(&format!("  {f}\n"));
    }
    text.push_str(&format!(
        "Mulai sekarang naskah/ yang dipakai; {} tidak lagi dibaca. Pindahkan dokumen itu dari folder unit agar tidak membingungkan, lalu susun ulang.\n",
        document.display()
    ));
    text
}

/// NARRATIVE-STRUCTURE (info): the signature typed at the end of the Kata Pengantar or BAB VIII
/// is left out for the one renstra prints.
pub fn signature_dropped(part: &str, typed: &str) -> String {
    format!(
        "Blok tanda tangan yang diketik di akhir {part} (\"{typed}\") tidak dicetak: di tempat itu renstra mencetak tanda tangan dari renstra.toml ([penandatangan]). Bila nama, pangkat atau NIP berbeda, perbaiki renstra.toml."
    )
}
