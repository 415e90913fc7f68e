//! Which table a [`crate::tables::Table`] is: the Renstra's own tables by name, any other sheet
//! a unit brings by the name it gives it. One enum instead of strings, so a misspelt table name
//! is a compile error and the document order is written once.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A table of the Renstra.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    /// Tabel 1: staff counts (Kepegawaian).
    Tabel1,
    /// Tabel 2: facilities (Sarana dan Prasarana).
    Tabel2,
    /// T-C.23: Pencapaian Kinerja Pelayanan.
    Tc23,
    /// T-C.24: Anggaran dan Realisasi Pendanaan Pelayanan.
    Tc24,
    /// Tabel 8: Permasalahan dan Isu Strategis.
    Tabel8,
    /// Tabel 9: Tujuan dan Sasaran Kota serta Sasaran Perangkat Daerah.
    Tabel9,
    /// Tabel 10: Indikator Kinerja Utama.
    Tabel10,
    /// T-C.25: Tujuan dan Sasaran Jangka Menengah Pelayanan.
    Tc25,
    /// The SWOT strategy matrix.
    MatriksSwot,
    /// SWOT internal strengths with NU × BF.
    SwotKekuatan,
    /// SWOT internal weaknesses.
    SwotKelemahan,
    /// SWOT external opportunities.
    SwotPeluang,
    /// SWOT external threats.
    SwotAncaman,
    /// The scores of the SWOT strategy alternatives.
    SkorStrategiSwot,
    /// T-C.26: Tujuan, Sasaran, Strategi dan Arah Kebijakan.
    Tc26,
    /// T-C.27: Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan.
    Tc27,
    /// T-C.28: Indikator Kinerja yang mengacu pada Tujuan dan Sasaran RPJMD.
    Tc28,
    /// Any other sheet of the unit, by the name it is printed under (a sheet name, at most 31
    /// characters): `Permasalahan`, `Tabel 5`, …
    Other(String),
}

impl TableId {
    /// The Renstra's own tables in the order the document prints them: BAB II (Tabel 1, 2,
    /// T-C.23, T-C.24), BAB III (Tabel 8-10), BAB IV (T-C.25), BAB V (SWOT, T-C.26), BAB VI-VII
    /// (T-C.27, T-C.28). Other sheets follow them.
    pub const DOCUMENT_ORDER: [TableId; 17] = [
        TableId::Tabel1,
        TableId::Tabel2,
        TableId::Tc23,
        TableId::Tc24,
        TableId::Tabel8,
        TableId::Tabel9,
        TableId::Tabel10,
        TableId::Tc25,
        TableId::MatriksSwot,
        TableId::SwotKekuatan,
        TableId::SwotKelemahan,
        TableId::SwotPeluang,
        TableId::SwotAncaman,
        TableId::SkorStrategiSwot,
        TableId::Tc26,
        TableId::Tc27,
        TableId::Tc28,
    ];

    /// The table a name denotes: one of the Renstra's own when the name is exactly its name,
    /// otherwise a table of the unit's own.
    pub fn from_name(name: &str) -> TableId {
        TableId::DOCUMENT_ORDER
            .iter()
            .find(|id| id.name() == name)
            .cloned()
            .unwrap_or_else(|| TableId::Other(name.to_string()))
    }

    /// The name the table is printed and referred to by (`T-C.24`, `Tabel 1`, `SWOT Kekuatan`):
    /// the sheet name in `tabel-renstra.xlsx`, the CSV's name, the key `#tabel("…")` takes.
    pub fn name(&self) -> &str {
        match self {
            TableId::Tabel1 => "Tabel 1",
            TableId::Tabel2 => "Tabel 2",
            TableId::Tc23 => "T-C.23",
            TableId::Tc24 => "T-C.24",
            TableId::Tabel8 => "Tabel 8",
            TableId::Tabel9 => "Tabel 9",
            TableId::Tabel10 => "Tabel 10",
            TableId::Tc25 => "T-C.25",
            TableId::MatriksSwot => "Matriks SWOT",
            TableId::SwotKekuatan => "SWOT Kekuatan",
            TableId::SwotKelemahan => "SWOT Kelemahan",
            TableId::SwotPeluang => "SWOT Peluang",
            TableId::SwotAncaman => "SWOT Ancaman",
            TableId::SkorStrategiSwot => "Skor Strategi SWOT",
            TableId::Tc26 => "T-C.26",
            TableId::Tc27 => "T-C.27",
            TableId::Tc28 => "T-C.28",
            TableId::Other(name) => name,
        }
    }

    /// Its place in the document: the Renstra's own tables first, in [`Self::DOCUMENT_ORDER`].
    pub fn document_position(&self) -> usize {
        TableId::DOCUMENT_ORDER
            .iter()
            .position(|id| id == self)
            .unwrap_or(TableId::DOCUMENT_ORDER.len())
    }
}

impl fmt::Display for TableId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for TableId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// A table named in `renstra.toml` (the systematics' `tabel = ["T-C.24", …]`): any name is a
/// table, the Renstra's own by their exact names.
impl<'de> Deserialize<'de> for TableId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<TableId, D::Error> {
        String::deserialize(deserializer).map(|name| TableId::from_name(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_other_sheets_keep_theirs() {
        for id in TableId::DOCUMENT_ORDER {
            assert_eq!(TableId::from_name(id.name()), id);
        }
        assert_eq!(TableId::from_name("T-C.24"), TableId::Tc24);
        assert_eq!(
            TableId::from_name("Permasalahan"),
            TableId::Other("Permasalahan".into())
        );
        // Exact names only: a near spelling is the unit's own table, not T-C.24.
        assert_eq!(TableId::from_name("TC.24"), TableId::Other("TC.24".into()));
    }

    #[test]
    fn document_order_puts_other_sheets_last() {
        assert!(TableId::Tabel1.document_position() < TableId::Tc24.document_position());
        assert_eq!(
            TableId::Other("Permasalahan".into()).document_position(),
            TableId::DOCUMENT_ORDER.len()
        );
    }
}
