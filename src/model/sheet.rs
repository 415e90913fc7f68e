//! What a sheet holds and what each of its columns means: the vocabulary every stage after ingest
//! speaks about a workbook, without knowing its layout.

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Row number ("No").
    Nomor,
    /// Permendagri 90 code.
    Kode,
    /// Name of the program / kegiatan / sub kegiatan.
    Uraian,
    /// Location (kelurahan, sub unit).
    Lokasi,
    /// Budget (anggaran, pagu).
    Anggaran,
    /// Spending (realisasi).
    Realisasi,
    /// A ratio or percentage as stated in the workbook.
    Rasio,
    /// Average growth as stated (derived; recomputed by renstra).
    Pertumbuhan,
    /// Free remarks.
    Keterangan,
    /// Sisa anggaran as stated in a SIPD/SIMDA export (derived: anggaran − realisasi).
    Sisa,
}

impl Role {
    /// True for columns that hold figures.
    pub fn is_figure(self) -> bool {
        matches!(self, Role::Anggaran | Role::Realisasi | Role::Rasio)
    }
}

/// The kinds of data a Renstra needs, recognised from a sheet's header words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetKind {
    /// Anggaran and realisasi per program/kegiatan/sub kegiatan (T-C.24).
    AnggaranRealisasi,
    /// The plan with indicators, targets and Rp per plan year (T-C.27).
    RencanaProgram,
    /// Performance indicators with targets and realisasi (T-C.23).
    KinerjaPelayanan,
    /// Tujuan, sasaran, indicators and targets (T-C.25, T-C.28, Tabel 10).
    TujuanSasaran,
    /// Strategies and policies (T-C.26, the SWOT matrix).
    StrategiKebijakan,
    /// SWOT factors with NU and BF, or strategy scores.
    Swot,
    /// Staff counts (Tabel 1).
    Kepegawaian,
    /// Facilities (Tabel 2).
    SaranaPrasarana,
    /// Problems and strategic issues (Tabel 8, 9).
    PermasalahanIsu,
    /// Positions and their superiors, one organisation chart per `Bagan` (BAB II).
    StrukturOrganisasi,
}
