//! The configuration's errors in Bahasa Indonesia: TOML's and serde's English said again with
//! the line, the column and the expected form, and the values a Renstra cannot have.

use std::fmt::{self, Display, Formatter};

use crate::config::{ConfigError, Problem};

impl Display for ConfigError {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Read { path, source } => {
                write!(
                    f,
                    "{path} tidak dapat dibaca: {}",
                    super::errors::io_reason(source)
                )
            }
            ConfigError::Parse { path, text, source } => {
                write!(
                    f,
                    "{path} tidak sesuai: {}",
                    describe_toml_error(text, source)
                )
            }
            ConfigError::Invalid { path, at, problem } => match at {
                Some((line, column)) => {
                    write!(f, "{path}: baris {line}, kolom {column}: {problem}")
                }
                None => write!(f, "{path}: {problem}"),
            },
        }
    }
}

impl Display for Problem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Problem::PeriodReversed { awal, akhir } => write!(
                f,
                "periode.akhir ({akhir}) lebih awal dari periode.awal ({awal}); tulis mis. awal = 2025, akhir = 2026"
            ),
            Problem::YearOutOfRange { key, year } => write!(
                f,
                "{key}: tahun {year} di luar {}–{}; tulis tahun perencanaan yang sebenarnya, mis. 2025",
                crate::config::YEARS.start(),
                crate::config::YEARS.end()
            ),
            Problem::PeriodTooLong { awal, akhir } => write!(
                f,
                "periode {awal}–{akhir} lebih dari {} tahun; Renstra mencakup paling lama {} tahun (RPJMD lima tahun, masa transisi dua atau tiga tahun)",
                crate::config::MAX_PLAN_YEARS,
                crate::config::MAX_PLAN_YEARS
            ),
            Problem::TooManyEvaluationYears(n) => write!(
                f,
                "periode.evaluasi berisi {n} tahun; T-C.23 dan T-C.24 memuat paling banyak {} tahun (biasanya lima tahun sebelum periode rencana)",
                crate::config::MAX_EVALUATION_YEARS
            ),
            Problem::EvaluationNotBeforePlan { last, awal } => write!(
                f,
                "periode.evaluasi memuat {last}, padahal periode rencana mulai {awal}; tahun evaluasi adalah tahun-tahun sebelum periode rencana"
            ),
            Problem::NoEvaluationYears => f.write_str(
                "periode.evaluasi kosong: isi tahun-tahun evaluasi, mis. [2019, 2020, 2021, 2022, 2023]",
            ),
            Problem::EvaluationNotConsecutive => f.write_str(
                "periode.evaluasi harus tahun-tahun berurutan, mis. [2019, 2020, 2021]",
            ),
            Problem::NotABidang(written) => write!(
                f,
                "perangkat_daerah.kode_bidang \"{written}\" bukan kode bidang urusan (contoh: \"7.01\")"
            ),
            Problem::BadSection(written) => write!(
                f,
                "verifikasi.sistematika: nomor \"{written}\" bukan nomor bab (I … VIII) atau sub bab (mis. \"2.3\")"
            ),
            Problem::ImageMissing { key, written } => write!(
                f,
                "{key} \"{written}\" bukan berkas gambar di folder unit: taruh berkas png, jpg atau svg itu di samping renstra.toml dan tulis namanya saja (mis. \"lambang.png\"), atau hapus baris ini"
            ),
            Problem::ImageUnreadable { key, written, why } => write!(
                f,
                "{key} \"{written}\" tidak dapat dibaca sebagai gambar ({why}): simpan ulang gambarnya sebagai png atau jpg dari program pengolah gambar, atau hapus baris ini"
            ),
            Problem::BadDate { key, written, why } => write!(
                f,
                "{key} \"{written}\" bukan tanggal yang sah: {why}; tulis mis. \"24 Januari 2024\", \"Januari 2024\" atau \"2024\""
            ),
        }
    }
}

/// A TOML error for the finance officer: line and column, what is wrong in Bahasa Indonesia, and
/// the expected form (the serde messages are English and name Rust types).
pub fn describe_toml_error(text: &str, error: &toml::de::Error) -> String {
    let place = error.span().map(|span| line_column(text, span.start));
    let what = translate_serde_message(error.message());
    match place {
        Some((line, column)) => {
            let source = text.lines().nth(line - 1).unwrap_or("").trim_end();
            format!("baris {line}, kolom {column}: {what}\n    {line} | {source}")
        }
        None => what,
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// serde's English messages, said again in Bahasa Indonesia with the expected form.
fn translate_serde_message(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.trim_start_matches("one of ");
        return if expected.is_empty() {
            format!("kunci {field} tidak dikenal di sini; hapus atau periksa ejaannya")
        } else {
            format!(
                "kunci {field} tidak dikenal di sini; periksa ejaannya. Kunci yang dikenal: {expected}"
            )
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!(
            "kunci {field} wajib diisi tetapi tidak ada; tambahkan baris {} = …",
            field.trim_matches('`')
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "jenis nilai salah: tertulis {}, padahal yang diharapkan {}",
            describe_found(found),
            describe_expected(expected)
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (variant, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.trim_start_matches("one of ");
        return format!("nilai {variant} tidak dikenal; pilih salah satu dari {expected}");
    }
    format!(
        "penulisan TOML tidak sah ({message}); contoh penulisan yang benar: kunci = \"teks\", tahun = 2025, daftar = [2019, 2020]"
    )
}

fn describe_found(found: &str) -> String {
    let found = found.trim();
    if let Some(v) = found.strip_prefix("string ") {
        format!("teks {v}")
    } else if let Some(v) = found.strip_prefix("integer ") {
        format!("bilangan {v}")
    } else if let Some(v) = found.strip_prefix("floating point ") {
        format!("bilangan pecahan {v}")
    } else if let Some(v) = found.strip_prefix("boolean ") {
        format!("nilai {v}")
    } else if found == "sequence" {
        "sebuah daftar [ … ]".into()
    } else if found == "map" {
        "sebuah tabel".into()
    } else {
        found.to_string()
    }
}

fn describe_expected(expected: &str) -> String {
    let expected = expected.trim();
    match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" => {
            "bilangan bulat tanpa tanda kutip, mis. 2025".into()
        }
        "f32" | "f64" => "bilangan, mis. 2.5".into(),
        "a string" => "teks dalam tanda kutip, mis. \"Kecamatan Kanigaran\"".into(),
        "a boolean" => "true atau false".into(),
        "a sequence" => "daftar dalam kurung siku, mis. [2019, 2020, 2021]".into(),
        e if e.starts_with("struct ") || e == "a map" => {
            "sebuah tabel, mis. [periode] dengan kunci-kuncinya".into()
        }
        e => e.to_string(),
    }
}

/// The reason an image is refused: its format is none the typesetter knows.
pub const IMAGE_FORMAT_UNKNOWN: &str =
    "isinya bukan png, jpg, gif atau webp, walau namanya berakhiran demikian";

/// The reason an image is refused: larger than a logo can be.
pub fn image_too_large(size: u64, limit: u64) -> String {
    format!(
        "berukuran {} byte, lebih dari batas {} byte untuk sebuah lambang",
        super::grouped(size as usize),
        super::grouped(limit as usize)
    )
}
