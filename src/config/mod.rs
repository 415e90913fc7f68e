//! A unit's identity and settings, from the `renstra.toml` in its folder.
//!
//! Everything that differs between units or years (names, periods, evaluation years, signatory,
//! paper) lives here, never in code, so the same binary serves every perangkat daerah.
//!
//! The file is read once into raw serde structs ([`RawConfig`], text as written) and validated
//! once into the typed [`UnitConfig`] (dates as [`Tanggal`], the bidang as a [`Kode`], years
//! checked against each other), the way ripgrep turns its low-level arguments into high-level
//! ones: nothing downstream parses a configuration string. An error names the key's line and
//! column in Bahasa Indonesia.

mod verifikasi;

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize, Serializer};
use thiserror::Error;

use crate::model::{Kode, Level};

pub use verifikasi::{
    Bagian, Pejabat, Regulasi, Verifikasi, default_regulations, default_systematics,
};

/// The name of the configuration file that marks a folder as a unit.
pub const CONFIG_FILE: &str = "renstra.toml";

/// The validated `renstra.toml`: every value typed and checked. Keys are in Bahasa Indonesia
/// because finance staff edit the file; it serializes back to the same keys for the templates.
#[derive(Debug, Clone, Serialize)]
pub struct UnitConfig {
    /// Who the unit is.
    pub perangkat_daerah: PerangkatDaerah<Option<Kode>>,
    /// The plan period and the evaluation years before it.
    pub periode: Periode,
    /// The head of the unit, who signs the document.
    pub penandatangan: Penandatangan,
    /// Place, date and paper of the document.
    pub dokumen: Dokumen<Tanggal>,
    /// Who verifies the document and against what (the Berita Acara); defaults to Permendagri
    /// 86/2017's systematics and legal basis.
    pub verifikasi: Verifikasi<Tanggal>,
}

/// `renstra.toml` as written: what TOML and serde accept, before renstra's own checks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// See [`UnitConfig::perangkat_daerah`].
    pub perangkat_daerah: PerangkatDaerah<Option<String>>,
    /// See [`UnitConfig::periode`].
    pub periode: Periode,
    /// See [`UnitConfig::penandatangan`].
    pub penandatangan: Penandatangan,
    /// See [`UnitConfig::dokumen`].
    pub dokumen: Dokumen<String>,
    /// See [`UnitConfig::verifikasi`].
    #[serde(default)]
    pub verifikasi: Verifikasi<String>,
}

/// The unit's identity; `K` is the bidang code, as written (raw) or parsed (validated).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PerangkatDaerah<K> {
    /// "Kecamatan Kanigaran".
    pub nama: String,
    /// "Kota Probolinggo".
    pub pemerintah_daerah: String,
    /// The unit's bidang urusan (`7.01` for a kecamatan): replaces `X.XX` in supporting-program codes.
    #[serde(default)]
    pub kode_bidang: K,
    /// The kelurahan (or desa) of the unit, to recognise locations written in line names.
    #[serde(default)]
    pub kelurahan: Vec<String>,
}

/// The plan period and the evaluation years.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Periode {
    /// First plan year (2025).
    pub awal: i32,
    /// Last plan year (2026).
    pub akhir: i32,
    /// The years evaluated in T-C.23 and T-C.24 (usually the five before the plan).
    pub evaluasi: Vec<i32>,
}

/// The signatory.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Penandatangan {
    /// "CAMAT KANIGARAN", as printed above the signature (may hold a line break).
    pub jabatan: String,
    /// Name with academic titles.
    pub nama: String,
    /// Rank ("Pembina Tk. I").
    #[serde(default)]
    pub pangkat: String,
    /// NIP, grouped as printed ("19700103 199503 1 001").
    pub nip: String,
}

/// Where and when the document is signed, and on what paper; `D` is the date, as written (raw)
/// or parsed (validated).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dokumen<D> {
    /// "Probolinggo".
    pub tempat: String,
    /// The date as printed after the place ("2024", or "24 Januari 2024").
    pub tanggal: D,
    /// Paper size.
    #[serde(default)]
    pub kertas: Kertas,
    /// The unit's logo for the cover: an image file (png, jpg, svg) in the unit folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

impl Kertas {
    /// Width and height in millimetres.
    pub fn millimetres(self) -> (u32, u32) {
        match self {
            Kertas::A4 => (210, 297),
            Kertas::F4 => (215, 330),
        }
    }
}

/// Indonesian month names in lower case, January first: the one list the configuration's date
/// check and the document's date share.
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "desember",
];

/// A printed date: `[day] [month] year` with an Indonesian month name (`24 Januari 2024`,
/// `Januari 2024`, `2024`), or nothing. Checked once when the configuration is read; it prints
/// as written and gives the document's metadata date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tanggal {
    text: String,
    /// The year, when given.
    pub tahun: Option<i32>,
    /// The month, 1-12, when given.
    pub bulan: Option<u8>,
    /// The day of the month, when given (it exists in that month).
    pub hari: Option<u8>,
}

/// Why a date in the configuration is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DateError {
    /// More than day, month and year.
    TooManyWords,
    /// The year is not a four-digit number.
    Year,
    /// The month is not an Indonesian month name.
    Month,
    /// The day is not a number.
    Day,
    /// The day does not exist in that month.
    DayOutOfRange(u32),
}

impl Tanggal {
    /// Parses a date as printed; empty text is no date.
    pub fn parse(text: &str) -> Result<Tanggal, DateError> {
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        let (day, month, year) = match words.as_slice() {
            [] => (None, None, None),
            [y] => (None, None, Some(y)),
            [m, y] => (None, Some(m), Some(y)),
            [d, m, y] => (Some(d), Some(m), Some(y)),
            _ => return Err(DateError::TooManyWords),
        };
        let tahun = year
            .map(|y| {
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1900..=2200).contains(y))
                    .ok_or(DateError::Year)
            })
            .transpose()?;
        let bulan = month
            .map(|m| {
                MONTHS
                    .iter()
                    .position(|x| x == m)
                    .map(|i| i as u8 + 1)
                    .ok_or(DateError::Month)
            })
            .transpose()?;
        let hari = match (day, tahun, bulan) {
            (Some(d), Some(y), Some(m)) => {
                let d: u32 = d.parse().map_err(|_| DateError::Day)?;
                let days = days_in_month(y, m);
                if !(1..=days).contains(&d) {
                    return Err(DateError::DayOutOfRange(days));
                }
                Some(d as u8)
            }
            _ => None,
        };
        Ok(Tanggal {
            text: text.to_string(),
            tahun,
            bulan,
            hari,
        })
    }

    /// The date as written in `renstra.toml`, for printing.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Tanggal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Printed as written: the templates show the date the way the officer typed it.
impl Serialize for Tanggal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

fn days_in_month(year: i32, month: u8) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The line and column (1-based) of `table.key` in a TOML text, for pointing at a value TOML
/// accepted but renstra cannot use.
fn locate(text: &str, dotted: &str) -> Option<(usize, usize)> {
    let (table, key) = dotted.rsplit_once('.')?;
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            current = name.trim().to_string();
            continue;
        }
        if current == table
            && let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let column = line.len() - line.trim_start().len() + 1;
            return Some((i + 1, column));
        }
    }
    None
}

/// Paper sizes Indonesian government documents use.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
pub enum Kertas {
    /// 210 × 297 mm.
    A4,
    /// Folio, 215 × 330 mm: the usual paper of kabupaten/kota documents.
    #[default]
    F4,
}

/// Why a configuration cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file could not be read.
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has wrong keys or types.
    Parse {
        /// The file.
        path: String,
        /// Its text, to show the line the error is on.
        text: String,
        /// What TOML and serde said (boxed: it is large, and rare).
        source: Box<toml::de::Error>,
    },
    /// A value TOML accepted but a Renstra cannot have.
    Invalid {
        /// The file.
        path: String,
        /// The key's line and column (1-based), when it can be found.
        at: Option<(usize, usize)>,
        /// What is wrong.
        problem: Problem,
    },
}

/// The years a Renstra can name: Permendagri 86/2017's planning system and this century's plans.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The longest plan period: a RPJMD's five years, with room for an extended one.
pub const MAX_PLAN_YEARS: i32 = 10;

/// The most evaluation years T-C.23 and T-C.24 show (usually the five before the plan).
pub const MAX_EVALUATION_YEARS: usize = 10;

/// A value of `renstra.toml` that TOML accepted but a Renstra cannot have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `periode.akhir` before `periode.awal`.
    PeriodReversed {
        /// The first plan year.
        awal: i32,
        /// The last plan year.
        akhir: i32,
    },
    /// A plan or evaluation year outside what a Renstra can name.
    YearOutOfRange {
        /// `periode.awal`, `periode.akhir` or `periode.evaluasi`.
        key: &'static str,
        /// The year written.
        year: i32,
    },
    /// A plan period longer than a Renstra's (a RPJMD's five years, a transition's two or
    /// three).
    PeriodTooLong {
        /// The first plan year.
        awal: i32,
        /// The last plan year.
        akhir: i32,
    },
    /// More evaluation years than a Renstra evaluates.
    TooManyEvaluationYears(usize),
    /// An evaluation year in or after the plan period.
    EvaluationNotBeforePlan {
        /// The last evaluation year.
        last: i32,
        /// The first plan year.
        awal: i32,
    },
    /// `periode.evaluasi` is empty.
    NoEvaluationYears,
    /// `periode.evaluasi` has gaps or is out of order.
    EvaluationNotConsecutive,
    /// `perangkat_daerah.kode_bidang` is not a bidang urusan code.
    NotABidang(String),
    /// A chapter or sub-chapter of `[[verifikasi.sistematika]]` whose number is neither a
    /// chapter (`I` … `VIII`) nor a sub-chapter (`2.3`).
    BadSection(String),
    /// An image the configuration names (`dokumen.logo`, `verifikasi.lambang`) that is not an
    /// image file in the unit folder.
    ImageMissing {
        /// The key.
        key: &'static str,
        /// What was written.
        written: String,
    },
    /// An image file the configuration names that the typesetter cannot decode (not really a
    /// png, a truncated download, an svg with broken markup).
    ImageUnreadable {
        /// The key.
        key: &'static str,
        /// What was written.
        written: String,
        /// The decoder's reason.
        why: String,
    },
    /// A date that is not one.
    BadDate {
        /// `dokumen.tanggal` or `verifikasi.tanggal`.
        key: &'static str,
        /// What was written.
        written: String,
        /// Why it is not a date.
        why: DateError,
    },
}

impl Problem {
    /// The key (`table.key`) the problem is at.
    pub fn key(&self) -> &'static str {
        match self {
            Problem::PeriodReversed { .. } => "periode.akhir",
            Problem::NoEvaluationYears
            | Problem::EvaluationNotConsecutive
            | Problem::TooManyEvaluationYears(_)
            | Problem::EvaluationNotBeforePlan { .. } => "periode.evaluasi",
            Problem::YearOutOfRange { key, .. } => key,
            Problem::PeriodTooLong { .. } => "periode.akhir",
            Problem::NotABidang(_) => "perangkat_daerah.kode_bidang",
            Problem::BadSection(_) => "verifikasi.sistematika",
            Problem::BadDate { key, .. }
            | Problem::ImageMissing { key, .. }
            | Problem::ImageUnreadable { key, .. } => key,
        }
    }
}

impl UnitConfig {
    /// Reads and validates `renstra.toml` in `unit_dir`.
    pub fn load(unit_dir: &Path) -> Result<UnitConfig, ConfigError> {
        let path = unit_dir.join(CONFIG_FILE);
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let raw: RawConfig = match toml::from_str(&text) {
            Ok(raw) => raw,
            Err(source) => {
                return Err(ConfigError::Parse {
                    path: shown,
                    text,
                    source: Box::new(source),
                });
            }
        };
        raw.validate()
            .and_then(|config| config.images_exist(unit_dir))
            .map_err(|problem| ConfigError::Invalid {
                path: shown,
                at: locate(&text, problem.key()),
                problem,
            })
    }

    /// The images the configuration names are image files inside the unit folder, so the
    /// templates never meet a missing one.
    fn images_exist(self, unit_dir: &Path) -> Result<UnitConfig, Problem> {
        for (key, file) in [
            ("dokumen.logo", self.dokumen.logo.as_deref()),
            ("verifikasi.lambang", self.verifikasi.lambang.as_deref()),
        ] {
            let Some(file) = file else { continue };
            let relative = Path::new(file);
            let inside = relative
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            let image = relative
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| {
                    ["png", "jpg", "jpeg", "svg", "gif", "webp"]
                        .contains(&e.to_lowercase().as_str())
                });
            if !inside || !image || !unit_dir.join(relative).is_file() {
                return Err(Problem::ImageMissing {
                    key,
                    written: file.to_string(),
                });
            }
            decodes(&unit_dir.join(relative)).map_err(|why| Problem::ImageUnreadable {
                key,
                written: file.to_string(),
                why,
            })?;
        }
        Ok(self)
    }

    /// The plan years, first to last.
    pub fn plan_years(&self) -> Vec<i32> {
        (self.periode.awal..=self.periode.akhir).collect()
    }

    /// The unit's bidang urusan, to substitute for `X.XX` in supporting-program codes.
    pub fn bidang(&self) -> Option<&Kode> {
        self.perangkat_daerah.kode_bidang.as_ref()
    }
}

/// The most bytes an image the configuration names may have: a logo is a few hundred kilobytes.
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// Whether the image at `path` decodes with the decoder the templates use (Typst's), so a file
/// that is no image is reported at its key in renstra.toml, not at the template line that
/// places it.
fn decodes(path: &Path) -> Result<(), String> {
    use typst::foundations::Bytes;
    use typst::visualize::{ExchangeFormat, RasterImage, SvgImage};
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_IMAGE_BYTES {
        return Err(crate::messages::config::image_too_large(
            size,
            MAX_IMAGE_BYTES,
        ));
    }
    let data = std::fs::read(path).map_err(|e| e.to_string())?;
    let svg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if svg {
        return SvgImage::new(Bytes::new(data))
            .map(drop)
            .map_err(|e| format!("{e:?}"));
    }
    let format = ExchangeFormat::detect(&data)
        .ok_or_else(|| crate::messages::config::IMAGE_FORMAT_UNKNOWN.to_string())?;
    RasterImage::plain(Bytes::new(data), format)
        .map(drop)
        .map_err(|e| e.to_string())
}

impl RawConfig {
    /// Checks what TOML cannot (the values against each other, dates, the bidang code) and
    /// gives the typed configuration.
    pub fn validate(self) -> Result<UnitConfig, Problem> {
        let p = &self.periode;
        let years = [("periode.awal", p.awal), ("periode.akhir", p.akhir)]
            .into_iter()
            .chain(p.evaluasi.iter().map(|&y| ("periode.evaluasi", y)));
        for (key, year) in years {
            if !YEARS.contains(&year) {
                return Err(Problem::YearOutOfRange { key, year });
            }
        }
        if p.akhir < p.awal {
            return Err(Problem::PeriodReversed {
                awal: p.awal,
                akhir: p.akhir,
            });
        }
        if p.akhir - p.awal + 1 > MAX_PLAN_YEARS {
            return Err(Problem::PeriodTooLong {
                awal: p.awal,
                akhir: p.akhir,
            });
        }
        if p.evaluasi.is_empty() {
            return Err(Problem::NoEvaluationYears);
        }
        if p.evaluasi.len() > MAX_EVALUATION_YEARS {
            return Err(Problem::TooManyEvaluationYears(p.evaluasi.len()));
        }
        if let Some(&last) = p.evaluasi.iter().max()
            && last >= p.awal
        {
            return Err(Problem::EvaluationNotBeforePlan { last, awal: p.awal });
        }
        if p.evaluasi.windows(2).any(|w| w[1] != w[0] + 1) {
            return Err(Problem::EvaluationNotConsecutive);
        }
        let kode_bidang = match &self.perangkat_daerah.kode_bidang {
            None => None,
            Some(b) => Some(
                Kode::parse(b, None)
                    .ok()
                    .filter(|k| k.level() == Level::Bidang)
                    .ok_or_else(|| Problem::NotABidang(b.clone()))?,
            ),
        };
        let date = |key: &'static str, text: &str| {
            Tanggal::parse(text).map_err(|why| Problem::BadDate {
                key,
                written: text.to_string(),
                why,
            })
        };
        if let Some(bad) = self
            .verifikasi
            .sistematika
            .iter()
            .find(|b| b.chapter().is_none())
        {
            return Err(Problem::BadSection(bad.nomor.clone()));
        }
        let dokumen_tanggal = date("dokumen.tanggal", &self.dokumen.tanggal)?;
        let verifikasi_tanggal = date("verifikasi.tanggal", &self.verifikasi.tanggal)?;
        let RawConfig {
            perangkat_daerah,
            periode,
            penandatangan,
            dokumen,
            verifikasi,
        } = self;
        Ok(UnitConfig {
            perangkat_daerah: PerangkatDaerah {
                nama: perangkat_daerah.nama,
                pemerintah_daerah: perangkat_daerah.pemerintah_daerah,
                kode_bidang,
                kelurahan: perangkat_daerah.kelurahan,
            },
            periode,
            penandatangan,
            dokumen: Dokumen {
                tempat: dokumen.tempat,
                tanggal: dokumen_tanggal,
                kertas: dokumen.kertas,
                logo: dokumen.logo,
            },
            verifikasi: verifikasi.with_date(verifikasi_tanggal),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[perangkat_daerah]
nama = "Kecamatan Uji"
pemerintah_daerah = "Kota Uji"
kode_bidang = "7.01"

[periode]
awal = 2025
akhir = 2026
evaluasi = [2022, 2023]

[penandatangan]
jabatan = "Camat"
nama = "Nama"
nip = "1"

[dokumen]
tempat = "Uji"
tanggal = "24 Januari 2024"
"#;

    fn validated(text: &str) -> Result<UnitConfig, Problem> {
        toml::from_str::<RawConfig>(text).unwrap().validate()
    }

    #[test]
    fn dates_are_checked_once_into_their_parts() {
        let t = Tanggal::parse("24 Januari 2024").unwrap();
        assert_eq!((t.tahun, t.bulan, t.hari), (Some(2024), Some(1), Some(24)));
        assert_eq!(t.text(), "24 Januari 2024");
        let t = Tanggal::parse("Maret 2024").unwrap();
        assert_eq!((t.tahun, t.bulan, t.hari), (Some(2024), Some(3), None));
        assert_eq!(Tanggal::parse("").unwrap().tahun, None);
        // 2024 is a leap year (divisible by 4, not by 100): February has 29 days; 2023 has 28.
        assert_eq!(
            Tanggal::parse("31 Februari 2024"),
            Err(DateError::DayOutOfRange(29))
        );
        assert_eq!(
            Tanggal::parse("29 Februari 2023"),
            Err(DateError::DayOutOfRange(28))
        );
        assert_eq!(Tanggal::parse("1 Brumaire 2024"), Err(DateError::Month));
        assert_eq!(Tanggal::parse("24 Januari 24"), Err(DateError::Year));
    }

    #[test]
    fn a_validated_unit_holds_typed_values() {
        let config = validated(MINIMAL).unwrap();
        assert_eq!(
            config.bidang().map(ToString::to_string).as_deref(),
            Some("7.01")
        );
        assert_eq!(config.plan_years(), vec![2025, 2026]);
        assert_eq!(config.dokumen.tanggal.hari, Some(24));
        assert!(
            config
                .verifikasi
                .sistematika
                .iter()
                .all(|b| b.chapter().is_some())
        );
    }

    #[test]
    fn values_a_renstra_cannot_have_are_problems_at_their_key() {
        let reversed = MINIMAL.replace("akhir = 2026", "akhir = 2020");
        assert_eq!(
            validated(&reversed).unwrap_err(),
            Problem::PeriodReversed {
                awal: 2025,
                akhir: 2020
            }
        );
        let gap = MINIMAL.replace("[2022, 2023]", "[2021, 2023]");
        assert_eq!(
            validated(&gap).unwrap_err(),
            Problem::EvaluationNotConsecutive
        );
        let program = MINIMAL.replace("\"7.01\"", "\"7.01.02\"");
        assert_eq!(
            validated(&program).unwrap_err(),
            Problem::NotABidang("7.01.02".into())
        );
        let section = format!(
            "{MINIMAL}\n[[verifikasi.sistematika]]\nnomor = \"IX\"\njudul = \"Lampiran\"\nkunci = [\"lampiran\"]\n"
        );
        let problem = validated(&section).unwrap_err();
        assert_eq!(problem, Problem::BadSection("IX".into()));
        assert_eq!(problem.key(), "verifikasi.sistematika");
        assert_eq!(
            locate(&reversed, "periode.akhir"),
            Some((9, 1)),
            "MINIMAL opens with an empty line; [periode] is line 7, awal 8, akhir 9"
        );
    }
}
