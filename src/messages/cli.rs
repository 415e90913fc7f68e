//! What the terminal says: the per-unit report (files and their row accounting, findings per
//! rule, the errors), the summary table of a batch, and the lines of `check`, `init` and `watch`.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::io::Write;
use std::path::Path;

use crate::batch::{self, UnitSummary};
use crate::model::{FileReport, Finding, Severity};
use crate::pipeline::{Built, Checked};

/// The per-unit reports of a batch, in Bahasa Indonesia.
pub struct People {
    /// List warnings and info-level findings too.
    pub verbose: bool,
}

impl batch::Report for People {
    fn built(&self, unit: &Path, out_dir: &Path, built: &Built) -> String {
        let mut text = Vec::new();
        report_unit(&mut text, unit, &built.checked, self.verbose);
        let _ = writeln!(text, "  Hasil di {}:", out_dir.display());
        for o in &built.outputs {
            let _ = writeln!(text, "    {}", o.display());
        }
        String::from_utf8_lossy(&text).into_owned()
    }

    fn unchanged(&self, unit: &Path, name: &str, out_dir: &Path) -> String {
        format!(
            "== {name} ({}): tidak ada yang berubah sejak penyusunan terakhir; hasil lama di {} tetap dipakai (--force untuk menyusun ulang).\n",
            unit.display(),
            out_dir.display()
        )
    }

    fn failed(&self, unit: &Path, why: &str) -> String {
        format!("GAGAL {}: {why}\n", unit.display())
    }
}

/// The summary table after a batch: a line per unit, then the units that failed.
pub fn summary_table(out: &mut impl Write, summaries: &[UnitSummary]) {
    let width = summaries
        .iter()
        .map(|s| s.unit.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:<width$}  {:<13} {:>9} {:>10} {:>8} {:>7}",
        "Unit", "Hasil", "Kesalahan", "Peringatan", "Halaman", "Detik"
    );
    for s in summaries {
        let _ = writeln!(
            out,
            "{:<width$}  {:<13} {:>9} {:>10} {:>8} {:>7.1}",
            s.unit,
            s.hasil.label(),
            s.kesalahan,
            s.peringatan,
            s.halaman,
            s.detik
        );
    }
    let failed: Vec<&str> = summaries
        .iter()
        .filter(|s| s.alasan.is_some())
        .map(|s| s.unit.as_str())
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(
            out,
            "Gagal disusun: {}. Lihat pesan GAGAL di atas, perbaiki, lalu jalankan lagi.",
            failed.join(", ")
        );
    }
}

/// The per-unit summary: files and their row accounting, finding counts, then the findings.
pub fn report_unit(out: &mut impl Write, unit: &Path, checked: &Checked, verbose: bool) {
    let _ = writeln!(
        out,
        "== {} ({})",
        checked.config.perangkat_daerah.nama,
        unit.display()
    );
    for file in &checked.files {
        report_file(out, file);
    }
    let _ = writeln!(
        out,
        "  Temuan: {} kesalahan, {} peringatan, {} info.",
        checked.count(Severity::Error),
        checked.count(Severity::Warning),
        checked.count(Severity::Info)
    );
    let mut per_rule: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for f in &checked.findings {
        *per_rule.entry((f.severity, f.rule.id())).or_default() += 1;
    }
    for ((severity, rule), n) in &per_rule {
        let _ = writeln!(out, "    {:<11} {rule:<18} {n}", severity.label());
    }
    let total = checked.coverage.total();
    let _ = writeln!(
        out,
        "  Cakupan: {} pemeriksaan dijalankan ({} lolos, {} gagal), {} tidak dapat dijalankan, {} memakai usulan bacaan renstra.",
        total.run(),
        total.passed,
        total.failed,
        total.not_run,
        total.on_proposal
    );
    for (rule, t) in checked.coverage.rows() {
        let _ = writeln!(
            out,
            "    {rule:<26} {:>5} dijalankan {:>5} lolos {:>4} gagal {:>4} tidak jalan {:>4} usulan",
            t.run(),
            t.passed,
            t.failed,
            t.not_run,
            t.on_proposal
        );
    }
    let shown: Vec<&Finding> = checked
        .findings
        .iter()
        .filter(|f| verbose || f.severity == Severity::Error)
        .collect();
    for f in &shown {
        let _ = writeln!(out, "  - {f}");
    }
    let hidden = checked.findings.len() - shown.len();
    if hidden > 0 {
        let _ = writeln!(
            out,
            "  ({hidden} temuan peringatan/info lainnya ada di temuan.csv; tampilkan di sini dengan --verbose)"
        );
    }
}

fn report_file(out: &mut impl Write, file: &FileReport) {
    if let Some(reason) = &file.not_read {
        let _ = writeln!(out, "  {}: tidak dibaca — {reason}", file.file);
        return;
    }
    for sheet in &file.sheets {
        let kind = sheet.kind.map_or("tidak dikenali", |k| k.label());
        let hidden = if sheet.hidden { " [tersembunyi]" } else { "" };
        let _ = write!(out, "  {}{hidden}: {kind}", sheet.source);
        match &sheet.accounting {
            Some(a) => {
                let _ = writeln!(
                    out,
                    "; {} baris = {} judul + {} kepala + {} kosong + {} data + {} total + {} dilewati",
                    a.read,
                    a.title,
                    a.header,
                    a.blank,
                    a.data,
                    a.total,
                    a.skipped.len()
                );
            }
            None => {
                let _ = writeln!(out, "; {} baris, belum diolah", sheet.rows);
            }
        }
        if !sheet.unknown_columns.is_empty() {
            let _ = writeln!(
                out,
                "    kolom tidak dikenali: {}",
                sheet.unknown_columns.join(", ")
            );
        }
    }
}

/// No unit under the input folder.
pub fn no_units(input: &Path) -> String {
    format!(
        "tidak ada unit di {}: sebuah unit adalah folder yang berisi renstra.toml.",
        input.display()
    )
}

/// The input folder cannot be read.
pub fn input_unreadable(input: &Path, why: &std::io::Error) -> String {
    if why.kind() == std::io::ErrorKind::NotFound {
        format!(
            "folder {} tidak ada; tulis folder unit atau folder masukan yang ada, atau salah satu perintah: build, check, watch, init, bantuan",
            input.display()
        )
    } else {
        format!(
            "folder {} tidak dapat dibaca: {}",
            input.display(),
            super::errors::io_reason(why)
        )
    }
}

/// The documents a build could not make, and why; the other outputs are written.
pub fn documents_missing(missing: &[crate::export::manifest::Missing]) -> String {
    let files: Vec<&str> = missing.iter().map(|m| m.berkas.as_str()).collect();
    let why = missing.first().map_or("", |m| m.alasan.as_str());
    format!(
        "{} tidak dapat disusun. Tabel, buku kerja dan temuan.csv tetap ditulis dan sudah baru; dokumen lama dihapus agar tidak terbaca sebagai yang baru.\n{why}",
        files.join(", ")
    )
}

/// A unit that could not be built or checked, with a blank line after it.
pub fn failed(unit: &Path, why: impl Display) -> String {
    format!("GAGAL {}: {why}\n", unit.display())
}

/// `check` wrote the unit's temuan.csv.
pub fn findings_written(path: &Path) -> String {
    format!("  Temuan ditulis ke {}\n", path.display())
}

/// `check` could not write temuan.csv.
pub fn write_failed(path: &Path, why: impl Display) -> String {
    format!("GAGAL menulis {}: {why}\n", path.display())
}

/// `check` found error-level findings.
pub fn errors_remain(errors: usize) -> String {
    format!(
        "Ada {errors} temuan tingkat kesalahan. Perbaiki sel-sel yang disebut di temuan.csv, lalu periksa lagi."
    )
}

/// `init` made a unit: its files and the next step.
pub fn initialised(folder: &Path, done: &crate::scaffold::Initialised) -> String {
    let mut text = format!("Unit baru dibuat di {}:\n", folder.display());
    for f in &done.written {
        text.push_str(&format!("  {}\n", f.display()));
    }
    if !done.kept.is_empty() {
        text.push_str("Berkas yang sudah ada tidak diubah (renstra init tidak pernah menimpa):\n");
        for f in &done.kept {
            text.push_str(&format!("  {}\n", f.display()));
        }
    }
    text.push_str(&format!(
        "Langkah berikutnya: isi renstra.toml (termasuk kode_bidang bila belum diberikan dengan --kode-bidang, dan bagian [verifikasi]) dan lembar-lembar kerjanya, lalu jalankan `renstra build {}`; temuannya menunjukkan apa yang masih perlu diisi.\n",
        folder.display()
    ));
    text
}

/// `watch`: one unit looked at again.
pub fn watched(s: &UnitSummary) -> String {
    match &s.alasan {
        None => format!(
            "{}: {} — {} kesalahan, {} peringatan, {} halaman, {:.1} detik",
            s.unit,
            s.hasil.label(),
            s.kesalahan,
            s.peringatan,
            s.halaman,
            s.detik
        ),
        Some(e) => watch_failed(&s.unit, e),
    }
}

/// `watch`: a unit that failed or was refused.
pub fn watch_failed(unit: &str, why: impl Display) -> String {
    format!("{unit}: GAGAL — {why}")
}

/// `watch`: the folder is being watched.
pub fn watching(input: &Path) -> String {
    format!("Memantau {} (Ctrl-C untuk berhenti).", input.display())
}

/// `watch`: stopped by Ctrl-C.
pub const STOPPED: &str = "Berhenti.";

/// `watch`: Ctrl-C cannot be caught.
pub fn no_ctrl_c(why: impl Display) -> String {
    format!("Ctrl-C tidak dapat ditangkap: {why}")
}

/// `watch`: the file-system watcher cannot start.
pub fn watcher_failed(why: impl Display) -> String {
    format!("pemantauan folder tidak dapat dimulai: {why}")
}

/// `watch`: the input folder cannot be watched.
pub fn unwatchable(input: &Path, why: impl Display) -> String {
    format!("{} tidak dapat dipantau: {why}", input.display())
}

/// `watch`: an event the watcher reported as an error.
pub fn watch_error(why: impl Display) -> String {
    format!("pemantauan: {why}")
}

/// A unit whose build stopped on an internal error of renstra (a panic): the unit failed, the
/// others go on.
pub fn internal_failure(detail: &str) -> String {
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    };
    format!(
        "penyusunan unit ini terhenti karena kesalahan di dalam renstra{detail}; unit lain tetap disusun. Laporkan ke pengembang dengan menyertakan folder unit ini."
    )
}

/// What the start of a run did with the leftovers of a killed one.
pub fn recovered(r: &crate::pipeline::Recovered) -> String {
    use crate::pipeline::Recovered;
    match r {
        Recovered::Completed(unit) => format!(
            "{unit}: penyusunan sebelumnya terhenti saat mengganti keluaran; keluaran barunya sudah lengkap dan kini dipasang."
        ),
        Recovered::RolledBack(unit) => format!(
            "{unit}: penyusunan sebelumnya terhenti saat mengganti keluaran; keluaran lama dikembalikan."
        ),
        Recovered::Cleaned(unit) => {
            format!("{unit}: sisa folder sementara dari penyusunan yang terhenti dihapus.")
        }
    }
}

/// `renstra summary`: a summary file that cannot be read or is not a `--json` summary.
pub fn summary_unreadable(file: &Path, why: &str) -> String {
    format!(
        "{} bukan ringkasan --json dari renstra build ({why}). Buat ringkasannya dengan `renstra build --shard K/N --json > ringkasan-K.json`.",
        file.display()
    )
}

/// `renstra summary`: one unit in two summaries.
pub fn summary_twice(unit: &str) -> String {
    format!(
        "Unit {unit} ada di dua ringkasan: ringkasan-ringkasan itu bukan bagian dari satu pembagian --shard yang sama (atau satu bagian dimuat dua kali). Gabungkan hanya ringkasan dari --shard 1/N sampai N/N dengan N yang sama."
    )
}

impl std::fmt::Display for crate::batch::ShardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--shard harus berbentuk K/N dengan 1 ≤ K ≤ N, mis. 2/3 (tertulis: {})",
            self.0
        )
    }
}

impl std::error::Error for crate::batch::ShardError {}
