//! The words of the errors that end a command or a unit's build, and of the reasons a file or a
//! code is refused. Each stage's error enum holds what went wrong, where and why (its cause as
//! `source()`); how that is said to the finance officer is written here, once.

use std::fmt::{self, Display, Formatter};

use crate::config::DateError;
use crate::export::ExportError;
use crate::ingest::grid::ReadError;
use crate::model::KodeError;
use crate::pipeline::{LockError, UnitError};
use crate::render::RenderError;
use crate::render::templates::TemplatesError;
use crate::scaffold::ScaffoldError;
use crate::verify::NotesError;

impl Display for ReadError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "berkas tidak dapat dibuka: {}", io_reason(e)),
            ReadError::TooLarge { size, limit } => write!(
                f,
                "berkas terlalu besar ({size} byte; batas {limit} byte). Pisahkan datanya ke beberapa berkas."
            ),
            ReadError::Workbook(why) => write!(
                f,
                "berkas rusak, terkunci kata sandi, atau bukan format yang diakui ({why}). Buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx."
            ),
            ReadError::ParserCrashed => f.write_str(
                "berkas tidak dapat dibaca (pembaca spreadsheet gagal di tengah jalan). Simpan ulang berkas sebagai .xlsx.",
            ),
            ReadError::Timeout(seconds) => write!(
                f,
                "pembacaan berkas melebihi batas waktu {seconds} detik; berkas kemungkinan rusak. Simpan ulang sebagai .xlsx."
            ),
            ReadError::MemoryLimit(megabytes) => write!(
                f,
                "pembacaan berkas memerlukan memori melebihi batas {megabytes} MB; berkas kemungkinan rusak atau dibuat untuk mengganggu. Simpan ulang sebagai .xlsx."
            ),
            ReadError::Incomplete => f.write_str(
                "berkas belum lengkap: bagian akhirnya tidak ada, mungkin masih disalin atau disimpan, atau terpotong. Tunggu sampai penyalinan selesai (atau simpan ulang dari Excel), lalu susun lagi.",
            ),
            ReadError::ZipBomb {
                uncompressed,
                limit,
            } => write!(
                f,
                "isi berkas setelah dibuka akan berukuran {uncompressed} byte (batas {limit} byte): kemungkinan \"zip bomb\". Berkas tidak dibaca."
            ),
            ReadError::TooManyRows { sheet, rows, limit } => write!(
                f,
                "sampai lembar {sheet}, data unit ini mencapai {} baris terisi, lebih dari batas {} baris per unit (Renstra perangkat daerah terbesar pun hanya beberapa ribu baris); berkas tidak dibaca. Buang baris yang bukan data unit ini (mis. ekspor seluruh pemda atau baris kosong yang berformat), atau simpan data unit lain di foldernya sendiri.",
                super::grouped(*rows),
                super::grouped(*limit)
            ),
            ReadError::TooManyCells {
                sheet,
                cells,
                limit,
            } => write!(
                f,
                "sampai lembar {sheet}, data unit ini mencapai {} sel, lebih dari batas {} sel per unit; berkas tidak dibaca. Buang kolom dan baris yang bukan data unit ini (mis. isian jauh di kanan tabel), atau simpan data unit lain di foldernya sendiri.",
                super::grouped(*cells),
                super::grouped(*limit)
            ),
            ReadError::CellTooLong {
                sheet,
                cell,
                chars,
                limit,
            } => write!(
                f,
                "sel {cell} di lembar {sheet} berisi {chars} karakter, lebih dari batas {limit} karakter per sel Excel; berkas tidak dibaca. Perbaiki sel itu."
            ),
            ReadError::Unsupported => f.write_str(
                "jenis berkas tidak didukung (yang didukung: xlsx, xlsm, xlsb, xls, ods, csv)",
            ),
        }
    }
}

impl Display for KodeError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            KodeError::Empty => f.write_str("kode kosong"),
            KodeError::BadSegment {
                position,
                expected,
                found,
            } => write!(
                f,
                "bagian ke-{position} kode harus {expected} angka (pola U.BB.PP.K.KK.SSSS), tertulis \"{found}\""
            ),
            KodeError::TooLong => f.write_str(
                "kode terlalu panjang: lebih dari enam bagian (pola U.BB.PP.K.KK.SSSS)",
            ),
            KodeError::Truncated => f.write_str(
                "kode berhenti di digit kelas kegiatan; lengkapi dengan nomor kegiatan (mis. 7.01.02.2.01)",
            ),
            KodeError::StrayCharacter(c) => {
                write!(f, "kode memuat karakter yang tidak dikenal: \"{c}\"")
            }
            KodeError::PlaceholderWithoutBidang => f.write_str(
                "kode memakai X.XX (program penunjang) tetapi kode bidang urusan unit belum diisi (kode_bidang di renstra.toml)",
            ),
        }
    }
}

impl Display for DateError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            DateError::TooManyWords => f.write_str("terlalu banyak kata"),
            DateError::Year => f.write_str("tahunnya bukan angka empat digit"),
            DateError::Month => f.write_str("nama bulannya tidak dikenal"),
            DateError::Day => f.write_str("harinya bukan angka"),
            DateError::DayOutOfRange(days) => write!(f, "bulan itu hanya {days} hari"),
        }
    }
}

impl Display for ExportError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Io { path, source } => {
                write!(f, "{path} tidak dapat ditulis: {}", io_reason(source))
            }
            ExportError::Xlsx(e) => write!(f, "tabel-renstra.xlsx tidak dapat dibuat: {e}"),
            ExportError::Csv(e) => write!(f, "CSV tidak dapat dibuat: {e}"),
        }
    }
}

impl Display for UnitError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            UnitError::Config(e) => e.fmt(f),
            UnitError::Read { path, source } => {
                write!(
                    f,
                    "{} tidak dapat dibaca: {}",
                    path.display(),
                    io_reason(source)
                )
            }
            UnitError::Publish { path, source } => {
                write!(
                    f,
                    "hasil tidak dapat ditulis ke {}: {}. Hasil sebelumnya di folder keluaran tidak diubah.",
                    path.display(),
                    io_reason(source)
                )
            }
            UnitError::Export(e) => e.fmt(f),
            UnitError::Render(e) => e.fmt(f),
            UnitError::Notes(e) => e.fmt(f),
            UnitError::Deadline { stage } => write!(
                f,
                "penyusunan unit ini dihentikan karena melewati batas waktunya ({}); hasil sebelumnya di folder keluaran tidak diubah. Cari berkas yang sangat besar atau lama dibaca, atau perulangan panjang di naskah, lalu susun lagi.",
                match stage {
                    crate::pipeline::Stage::Check => "saat membaca dan memeriksa berkas",
                    crate::pipeline::Stage::Produce => "saat menyusun tabel dan dokumen",
                }
            ),
        }
    }
}

impl Display for LockError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            LockError::Busy(folder) => write!(
                f,
                "folder keluaran {folder} sedang dipakai oleh renstra lain; tunggu sampai proses itu selesai, lalu jalankan lagi"
            ),
            LockError::Io { path, source } => {
                write!(
                    f,
                    "folder keluaran {path} tidak dapat dikunci: {}",
                    io_reason(source)
                )
            }
        }
    }
}

impl Display for RenderError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Setup(why) => write!(f, "penyusunan PDF tidak dapat dimulai: {why}"),
            RenderError::MainPath { path, source } => {
                write!(f, "templat {path} tidak dapat dipakai: {source}")
            }
            RenderError::Compile(problems) => {
                write!(
                    f,
                    "penyusunan PDF gagal: {} masalah penulisan; perbaiki semuanya, lalu jalankan lagi:",
                    problems.len()
                )?;
                for problem in problems {
                    write!(f, "\n{problem}")?;
                }
                Ok(())
            }
            RenderError::Data(e) => write!(f, "data untuk PDF tidak dapat disusun: {e}"),
            RenderError::Bound(stopped) => f.write_str(&typesetting_stopped(stopped)),
        }
    }
}

impl Display for NotesError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            NotesError::Read { path, source } => {
                write!(f, "{path}: tidak dapat dibaca: {}", io_reason(source))
            }
            NotesError::Invalid { path, text, source } => write!(
                f,
                "{path}: {}\nContoh isi yang benar:\n[[catatan]]\nbagian = \"2.4\"\nkesesuaian = \"Kurang Sesuai\"\nrekomendasi = \"Tambahkan kelompok sasaran Masyarakat\"",
                super::config::describe_toml_error(text, source)
            ),
        }
    }
}

impl Display for TemplatesError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            TemplatesError::Missing(dir) => write!(
                f,
                "folder templat {} tidak ada atau tidak berisi renstra.typ; periksa --templates, atau hapus pilihan itu agar renstra memakai templat bawaannya",
                dir.display()
            ),
            TemplatesError::Write(e) => write!(
                f,
                "templat bawaan tidak dapat disiapkan di folder sementara ({e}); beri folder templat dengan --templates"
            ),
        }
    }
}

impl Display for ScaffoldError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ScaffoldError::Exists(folder) => write!(
                f,
                "{folder} sudah berisi renstra.toml; pilih folder lain agar isinya tidak tertimpa"
            ),
            ScaffoldError::Io { path, source } => {
                write!(f, "{path} tidak dapat ditulis: {}", io_reason(source))
            }
            ScaffoldError::Xlsx(e) => write!(f, "lembar kerja tidak dapat dibuat: {e}"),
            ScaffoldError::KodeBidang(text) => write!(
                f,
                "--kode-bidang {text} bukan kode bidang urusan; tulis seperti 1.02 (urusan 1, bidang 02)"
            ),
        }
    }
}

/// A unit folder under the input that is a link to somewhere outside it: refused.
pub fn unit_link_outside(target: impl Display) -> String {
    format!(
        "folder ini tautan (symlink) ke {target} di luar folder masukan; renstra hanya membaca folder di dalamnya: salin unitnya ke sini"
    )
}

/// What an operating-system error means for the person who met it, in their words: a full disk,
/// a file another program holds, a missing permission; anything else with the system's own text.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let what = match e.kind() {
        ErrorKind::StorageFull => {
            "disk penuh: kosongkan ruang di disk itu, atau pilih folder keluaran di disk lain (--out)"
        }
        ErrorKind::QuotaExceeded => {
            "kuota disk Anda habis: hapus berkas yang tidak dipakai, atau minta kuota ditambah"
        }
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => {
            "sedang dipakai program lain (mis. terbuka di Excel atau penampil PDF): tutup programnya, lalu jalankan lagi"
        }
        ErrorKind::PermissionDenied => {
            "tidak ada izin: periksa hak akses berkas atau folder itu, atau pilih folder lain"
        }
        ErrorKind::ReadOnlyFilesystem => {
            "disk ini hanya bisa dibaca: pilih folder keluaran di disk lain (--out)"
        }
        ErrorKind::NotFound => "tidak ada (terhapus atau dipindahkan saat renstra berjalan?)",
        ErrorKind::FileTooLarge => "berkas melebihi ukuran yang diizinkan sistem berkas",
        ErrorKind::Interrupted | ErrorKind::TimedOut => {
            "terputus di tengah jalan (mis. folder jaringan): jalankan lagi"
        }
        _ => return e.to_string(),
    };
    match e.raw_os_error() {
        Some(code) => format!("{what} (kode sistem {code})"),
        None => what.to_string(),
    }
}

/// A unit folder that cannot be read.
pub fn unit_unreadable(why: &std::io::Error) -> String {
    format!("folder tidak dapat dibaca: {}", io_reason(why))
}

/// A narrative that imports a Typst Universe package, which cannot be downloaded.
pub const NO_PACKAGES: &str =
    "paket Typst Universe tidak tersedia; tulis yang diperlukan di templates/";

/// A document date the PDF metadata cannot hold.
pub fn bad_document_date(date: impl fmt::Debug) -> String {
    format!("tanggal dokumen tidak sah: {date:?}")
}

/// A CSV row the reader could not split into cells: kept as one cell saying so, so the row is
/// accounted for and its finding names it.
pub fn csv_row_broken(why: impl Display) -> String {
    format!("baris CSV rusak: {why}")
}

/// Typesetting stopped at its bound: which bound, and the narrative's loops as the likely cause.
pub fn typesetting_stopped(stopped: &crate::render::worker::Stopped) -> String {
    use crate::render::worker::Bound;
    let what = match stopped.bound {
        Bound::Time(seconds) => format!("penyusunan PDF dihentikan setelah {seconds} detik"),
        Bound::Memory(mib) => {
            format!("penyusunan PDF dihentikan karena memerlukan lebih dari {mib} MiB memori")
        }
        Bound::Crashed => "penyusunan PDF berhenti tanpa hasil".to_string(),
    };
    let cause = if stopped.loops.is_empty() {
        "periksa perintah # yang baru ditambahkan di naskah (mis. perulangan atau tabel yang sangat panjang)".to_string()
    } else {
        format!(
            "kemungkinan penyebabnya perulangan di {}; perkecil atau hapus perulangannya",
            stopped
                .loops
                .iter()
                .map(|(file, line)| format!("{file} baris {line}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!("{what}: {cause}. Keluaran lain unit ini tetap ditulis.")
}

#[cfg(test)]
mod tests {
    use super::io_reason;

    /// A full disk and a busy file, as Linux reports them (ENOSPC 28, EBUSY 16), say what
    /// happened and what to do in Indonesian, without the system's English text.
    #[test]
    fn a_full_disk_and_a_busy_file_are_said_in_the_users_words() {
        let full = io_reason(&std::io::Error::from_raw_os_error(28));
        assert!(
            full.starts_with("disk penuh") && full.contains("--out"),
            "{full}"
        );
        assert!(!full.contains("No space"), "{full}");
        let busy = io_reason(&std::io::Error::from_raw_os_error(16));
        assert!(busy.starts_with("sedang dipakai program lain"), "{busy}");
        assert!(!busy.contains("busy"), "{busy}");
        // What renstra has no words for keeps the system's text.
        let other = io_reason(&std::io::Error::other("sesuatu"));
        assert_eq!(other, "sesuatu");
    }
}
