//! The command line's help and argument errors, in Bahasa Indonesia: what `renstra --help`,
//! `renstra bantuan <perintah>` and a mistyped argument print. Command and option names stay as
//! they are typed (`build`, `--out`); everything said about them is Indonesian.

use std::fmt::Write as _;

/// `renstra --help`: what renstra does, in one line.
pub const ABOUT: &str = "Menyusun Renstra perangkat daerah (Permendagri 86/2017) yang sudah diverifikasi dari buku kerja anggaran dan realisasinya";

/// How help is laid out: Indonesian headings around clap's lists.
pub const TEMPLATE: &str = "{about-with-newline}\nPenggunaan: {usage}\n\n{all-args}{after-help}";

/// The heading of the subcommand list.
pub const COMMANDS_HEADING: &str = "Perintah";
/// The heading of the positional arguments.
pub const ARGUMENTS_HEADING: &str = "Argumen";
/// The heading of the options.
pub const OPTIONS_HEADING: &str = "Pilihan";
/// The placeholder for a subcommand in the usage line.
pub const COMMAND_VALUE: &str = "PERINTAH";

/// After the main help: where to go next.
pub const AFTER_HELP: &str = "Tanpa perintah, renstra menjalankan build. Bantuan satu perintah: renstra bantuan <PERINTAH> (mis. renstra bantuan init).";

/// `build`.
pub const BUILD: &str = "Membaca, memeriksa dan menulis semua hasil setiap unit (perintah bawaan)";
/// `check`.
pub const CHECK: &str =
    "Hanya membaca dan memeriksa; keluar dengan kode 1 bila ada temuan tingkat kesalahan";
/// `watch`.
pub const WATCH: &str =
    "Menyusun, lalu menyusun ulang setiap unit yang berkasnya berubah, sampai Ctrl-C";
/// `init`.
pub const INIT: &str =
    "Membuat folder unit baru: renstra.toml, buku kerja kosong dengan judul kolomnya, dan naskah";
/// `summary`.
pub const SUMMARY: &str =
    "Menggabungkan ringkasan --json dari build yang dibagi (--shard) menjadi satu laporan";
/// `summary RINGKASAN...`.
pub const SUMMARY_FILES: &str =
    "Berkas ringkasan --json setiap bagian, mis. ringkasan-1.json ringkasan-2.json";
/// `summary --out`.
pub const SUMMARY_OUT: &str =
    "Folder hasil yang manifest.json unit-unitnya ikut dimuat di laporan --json (boleh berulang)";
/// `build --memory`.
pub const MEMORY: &str = "Batas memori seluruh penyusunan, dalam MiB (mis. 1024; paling sedikit 64): penataan huruf sebuah unit menunggu selama perkiraan memorinya tidak muat di samping unit lain yang sedang ditata. Bawaan: tiga perempat memori yang tersedia saat mulai";
/// `build --shard`.
pub const SHARD: &str = "Hanya menyusun bagian K dari N (mis. 2/3): unit dibagi menurut sidik nama foldernya, sama di setiap mesin, sehingga N mesin dengan masukan yang sama menyusun semua unit tepat sekali";
/// `naskah`.
pub const NASKAH: &str = "Naskah Renstra: impor menulis naskah Word (.docx) atau Writer (.odt) sebagai berkas naskah/*.typ";
/// `naskah impor`.
pub const NASKAH_IMPORT: &str = "Menulis isi naskah.docx/.odt sebagai naskah/*.typ (satu berkas per bab, gambar di naskah/gambar/) di folder unitnya, sekali";
/// `naskah impor BERKAS`.
pub const NASKAH_DOCUMENT: &str = "Dokumen Word (.docx) atau Writer (.odt) di folder unit, mis. input/kecamatan-kanigaran/naskah.docx";
/// `bantuan` / `help`.
pub const HELP_COMMAND: &str = "Menampilkan bantuan ini, atau bantuan satu perintah";
/// `bantuan`'s argument.
pub const HELP_WHICH: &str = "Perintah yang ingin dijelaskan (build, check, watch, init)";

/// `INPUT`.
pub const INPUT: &str = "Folder satu unit, atau folder berisi folder-folder unit (masing-masing dengan renstra.toml) [bawaan: input]";
/// `--out`.
pub const OUT: &str = "Tempat hasil ditulis: satu folder per unit [bawaan: output]";
/// `--templates`.
pub const TEMPLATES: &str = "Folder templat Typst pengganti templat bawaan renstra (folder templates/ di folder masukan dipakai tanpa perlu pilihan ini)";
/// `--verbose`.
pub const VERBOSE: &str = "Tampilkan semua temuan, termasuk peringatan dan info";
/// `check --verbose`.
pub const CHECK_VERBOSE: &str = "Tampilkan juga temuan tingkat info";
/// `--quiet`.
pub const QUIET: &str = "Tampilkan hanya tabel ringkasan (dan kegagalan)";
/// `--json`.
pub const JSON: &str = "Tulis ringkasan sebagai JSON ke stdout, untuk skrip";
/// `--force`.
pub const FORCE: &str = "Susun ulang juga unit yang masukannya tidak berubah";
/// `--strict`.
pub const STRICT: &str =
    "Keluar dengan kode 1 bila ada unit dengan temuan tingkat kesalahan (seperti check)";
/// `--quiet-ms`.
pub const QUIET_MS: &str =
    "Berapa lama berkas harus tidak berubah sebelum disusun ulang, dalam milidetik [bawaan: 1000]";
/// `init FOLDER`.
pub const INIT_FOLDER: &str = "Folder unit baru, mis. input/dinas-kesehatan";
/// `--kode-bidang`.
pub const KODE_BIDANG: &str =
    "Kode bidang urusan unit (Permendagri 90/2019), mis. 1.02 untuk dinas kesehatan";
/// `--help`.
pub const HELP_FLAG: &str = "Tampilkan bantuan";
/// `--version`.
pub const VERSION_FLAG: &str = "Tampilkan versi";

/// What went wrong with the arguments, as clap classified it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgumentProblem {
    /// An option or argument renstra does not have.
    Unknown(String),
    /// A subcommand renstra does not have.
    UnknownCommand(String),
    /// A value an option cannot take.
    InvalidValue {
        /// The option.
        option: String,
        /// The value given.
        value: String,
    },
    /// A required argument left out.
    Missing(String),
    /// Two options that cannot be used together: the one given, and the one before it.
    Conflict(String, Option<String>),
    /// An option given a value it takes none of, or a value too many.
    TooMany(String),
    /// Anything else clap refused.
    Other,
}

/// The message for an argument error: what is wrong, a suggestion when clap has one, and how to
/// get help.
pub fn argument_error(problem: &ArgumentProblem, suggestion: Option<&str>, usage: &str) -> String {
    let mut out = String::from("renstra: ");
    let _ = match problem {
        ArgumentProblem::Unknown(arg) => write!(out, "pilihan atau argumen {arg} tidak dikenal"),
        ArgumentProblem::UnknownCommand(cmd) => write!(
            out,
            "perintah {cmd} tidak dikenal; perintah yang ada: build, check, watch, init, bantuan"
        ),
        ArgumentProblem::InvalidValue { option, value } => {
            write!(out, "nilai \"{value}\" tidak dapat dipakai untuk {option}")
        }
        ArgumentProblem::Missing(arg) => write!(out, "{arg} harus diisi"),
        ArgumentProblem::Conflict(arg, Some(prior)) => {
            write!(
                out,
                "{arg} tidak dapat dipakai bersama {prior}; pilih salah satu"
            )
        }
        ArgumentProblem::Conflict(arg, None) => {
            write!(
                out,
                "{arg} tidak dapat dipakai bersama pilihan lain yang diberikan"
            )
        }
        ArgumentProblem::TooMany(arg) => write!(out, "{arg} diberi nilai lebih dari yang diterima"),
        ArgumentProblem::Other => write!(out, "argumen tidak dapat dibaca"),
    };
    if let Some(s) = suggestion {
        let _ = write!(out, "; mungkin maksud Anda {s}");
    }
    let _ = write!(
        out,
        "\n\nPenggunaan: {usage}\n\nBantuan lengkap: renstra bantuan (atau renstra --help)"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_option_is_named_with_the_suggestion_and_the_way_to_help() {
        let text = argument_error(
            &ArgumentProblem::Unknown("--ot".into()),
            Some("--out"),
            "renstra build [PILIHAN] [INPUT]",
        );
        assert_eq!(
            text,
            "renstra: pilihan atau argumen --ot tidak dikenal; mungkin maksud Anda --out\n\nPenggunaan: renstra build [PILIHAN] [INPUT]\n\nBantuan lengkap: renstra bantuan (atau renstra --help)"
        );
    }
}
