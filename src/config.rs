//! A unit's identity and settings, from the `renstra.toml` in its folder.
//!
//! Everything that differs between units or years (names, periods, evaluation years, signatory,
//! paper) lives here, never in code, so the same binary serves every perangkat daerah.

use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::Kode;

/// The name of the configuration file that marks a folder as a unit.
pub const CONFIG_FILE: &str = "renstra.toml";

/// The parsed `renstra.toml`. Keys are in Bahasa Indonesia because finance staff edit the file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitConfig {
    /// Who the unit is.
    pub perangkat_daerah: PerangkatDaerah,
    /// The plan period and the evaluation years before it.
    pub periode: Periode,
    /// The head of the unit, who signs the document.
    pub penandatangan: Penandatangan,
    /// Place, date and paper of the document.
    pub dokumen: Dokumen,
    /// Who verifies the document and against what (the Berita Acara); defaults to Permendagri
    /// 86/2017's systematics and legal basis.
    #[serde(default)]
    pub verifikasi: crate::verify::Verifikasi,
}

/// The unit's identity.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PerangkatDaerah {
    /// "Kecamatan Kanigaran".
    pub nama: String,
    /// "Kota Probolinggo".
    pub pemerintah_daerah: String,
    /// The unit's bidang urusan (`7.01` for a kecamatan): replaces `X.XX` in supporting-program codes.
    #[serde(default)]
    pub kode_bidang: Option<String>,
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

/// Where and when the document is signed, and on what paper.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dokumen {
    /// "Probolinggo".
    pub tempat: String,
    /// The date as printed after the place ("2024", or "24 Januari 2024").
    pub tanggal: String,
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
    #[error("{path} tidak dapat dibaca: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    /// The file is not valid TOML or has wrong keys or types; the message gives line and column.
    #[error("{path} tidak sesuai: {message}")]
    Parse { path: String, message: String },
    /// The values contradict each other.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl UnitConfig {
    /// Reads and checks `renstra.toml` in `unit_dir`.
    pub fn load(unit_dir: &Path) -> Result<UnitConfig, ConfigError> {
        let path = unit_dir.join(CONFIG_FILE);
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: shown.clone(),
            source,
        })?;
        let config: UnitConfig = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        config.validate().map_err(|message| ConfigError::Invalid {
            path: shown,
            message,
        })?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        let p = &self.periode;
        if p.akhir < p.awal {
            return Err(format!(
                "periode.akhir ({}) lebih awal dari periode.awal ({})",
                p.akhir, p.awal
            ));
        }
        if p.evaluasi.is_empty() {
            return Err("periode.evaluasi kosong: isi tahun-tahun evaluasi, mis. [2019, 2020, 2021, 2022, 2023]".into());
        }
        if p.evaluasi.windows(2).any(|w| w[1] != w[0] + 1) {
            return Err(
                "periode.evaluasi harus tahun-tahun berurutan, mis. [2019, 2020, 2021]".into(),
            );
        }
        if let Some(b) = &self.perangkat_daerah.kode_bidang {
            self.bidang_kode()
                .filter(|k| k.level() == crate::model::Level::Bidang)
                .ok_or_else(|| {
                    format!("perangkat_daerah.kode_bidang \"{b}\" bukan kode bidang urusan (contoh: \"7.01\")")
                })?;
        }
        Ok(())
    }

    /// The unit's bidang urusan as a code, to substitute for `X.XX`.
    pub fn bidang_kode(&self) -> Option<Kode> {
        let text = self.perangkat_daerah.kode_bidang.as_deref()?;
        Kode::parse(text, None).ok()
    }

    /// The plan years, first to last.
    pub fn plan_years(&self) -> Vec<i32> {
        (self.periode.awal..=self.periode.akhir).collect()
    }
}
