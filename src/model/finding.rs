//! Findings: what is wrong in the workbooks, where, and what to do about it.
//!
//! A finding is the product as much as the tables are: every one names the rule that raised it,
//! every cell involved (file › sheet › cell), what was written, what was expected where that can be
//! computed, and a message in Bahasa Indonesia a finance officer can act on.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// Where a value came from: the workbook (relative to the unit folder), the sheet and the cell.
/// The cell is kept as numbers, so later stages compare rows and columns without parsing A1;
/// A1 is rendered for people at the edge ([`SourceRef::a1`], `Display`, the serialized form).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceRef {
    /// The file, relative to the unit folder (`anggaran-realisasi-2019-2023.xlsx`); shared, since
    /// every cell of a sheet names the same file and sheet.
    pub file: Arc<str>,
    /// The sheet name; empty for a CSV file, which has none.
    pub sheet: Arc<str>,
    /// The cell's 0-based (row, column), or `None` when the reference is to a whole sheet or
    /// file.
    pub position: Option<(u32, u32)>,
}

impl SourceRef {
    /// A reference to one cell, from 0-based row and column numbers.
    pub fn cell(file: &str, sheet: &str, row: u32, col: u32) -> Self {
        SourceRef::at(&Arc::from(file), &Arc::from(sheet), row, col)
    }

    /// A reference to one cell of a sheet whose names are already shared (the cheap way, for
    /// the many cells of one sheet).
    pub fn at(file: &Arc<str>, sheet: &Arc<str>, row: u32, col: u32) -> Self {
        SourceRef {
            file: Arc::clone(file),
            sheet: Arc::clone(sheet),
            position: Some((row, col)),
        }
    }

    /// A reference to a whole sheet (or a whole file when `sheet` is empty).
    pub fn sheet(file: &str, sheet: &str) -> Self {
        SourceRef {
            file: Arc::from(file),
            sheet: Arc::from(sheet),
            position: None,
        }
    }

    /// The cell's 0-based row, for a cell.
    pub fn row(&self) -> Option<u32> {
        self.position.map(|(row, _)| row)
    }

    /// The cell's 0-based column, for a cell.
    pub fn col(&self) -> Option<u32> {
        self.position.map(|(_, col)| col)
    }

    /// The cell as people write it (`C12`), or empty for a whole sheet or file.
    pub fn a1(&self) -> String {
        self.position
            .map_or_else(String::new, |(row, col)| a1(row, col))
    }
}

/// Serialized as people read it: `{file, sheet, cell}` with the cell in A1 form.
impl Serialize for SourceRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("SourceRef", 3)?;
        s.serialize_field("file", &*self.file)?;
        s.serialize_field("sheet", &*self.sheet)?;
        s.serialize_field("cell", &self.a1())?;
        s.end()
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        for part in [&*self.sheet, self.a1().as_str()] {
            if !part.is_empty() {
                write!(f, " › {part}")?;
            }
        }
        Ok(())
    }
}

/// The A1 reference of a 0-based (row, column): (0, 0) is `A1`, (11, 27) is `AB12`.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A figure is wrong or cannot be verified: the document must not go out like this.
    Error,
    /// Probably wrong, or repaired by renstra: look at it.
    Warning,
    /// Worth knowing; nothing to fix.
    Info,
}

/// Declares the rules once: the enum, the list, the stable ids and the descriptions cannot drift
/// apart. The README's rule table mirrors [`Rule::ALL`].
macro_rules! rules {
    ($( $(#[$doc:meta])* $name:ident => $id:literal, $describe:literal; )*) => {
        /// Every rule renstra checks, with a stable id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Rule {
            $( $(#[$doc])* $name, )*
        }

        impl Rule {
            /// All rules, in documentation order.
            pub const ALL: &'static [Rule] = &[$(Rule::$name),*];

            /// The stable id written in `temuan.csv` and the Berita Acara.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$name => $id,)* }
            }

            /// What the rule checks, for the documentation.
            pub fn describe(self) -> &'static str {
                match self { $(Rule::$name => $describe,)* }
            }
        }
    };
}

rules! {
    /// A number cell holds text that is not a valid Indonesian number.
    AmountMalformed => "AMOUNT-MALFORMED",
        "A number cell holds text that is not one valid Indonesian number (1.234.567,89).";
    /// An amount off by a factor of 1.000: the stated ratio fits it multiplied or divided.
    AmountScale => "AMOUNT-SCALE",
        "An amount is off by a factor of 1,000: the stated ratio fits it once multiplied or divided by 1,000, and the line's other figures say which cell (written in thousands, or with three zeros too many).";
    /// A number had spaces inside its digits; accepted, but the cell should be cleaned.
    AmountSpaces => "AMOUNT-SPACES",
        "A number had spaces inside its digits (a copy-paste artefact); accepted without them.";
    /// A number column holds words (`Mengalami Refocusing`); kept as a note.
    AmountNote => "AMOUNT-NOTE",
        "A number column holds words; they are kept as a note, not a figure.";
    /// A formula cell without a cached value: the file was never recalculated.
    FormulaUncached => "FORMULA-UNCACHED",
        "A formula cell carries no stored result (the file was never recalculated).";
    /// A code that is not a well-formed Permendagri 90 code.
    KodeMalformed => "KODE-MALFORMED",
        "A code is not a well-formed Permendagri 90/2019 code (U.BB.PP.K.KK.SSSS).";
    /// The same code and location on two lines of one sheet.
    KodeDuplicate => "KODE-DUPLICATE",
        "Two lines carry the same code and location.";
    /// A kegiatan or sub kegiatan whose enclosing code has no line.
    KodeParentMissing => "KODE-PARENT-MISSING",
        "A kegiatan or sub kegiatan whose program or kegiatan line is missing.";
    /// A line placed under a parent whose code is not a prefix of its own.
    KodeOutOfPlace => "KODE-OUT-OF-PLACE",
        "A line stands under a program or kegiatan whose code is not a prefix of its own.";
    /// A line without a code whose level was taken from its wording or position.
    LevelInferred => "LEVEL-INFERRED",
        "A line without a code got its level from its wording or its position.";
    /// A location spelled differently from the unit's kelurahan list, matched to the nearest one.
    LocationSpelling => "LOCATION-SPELLING",
        "A location spelled differently from the kelurahan list was matched to the nearest one (at most two letters apart).";
    /// The same figure given twice with different values (two sheets or files for one line).
    FigureConflict => "FIGURE-CONFLICT",
        "One line's figure is given twice (two sheets or files) with different values: neither is used, whatever the files' names; and each pair of sheets that share figures is named as two versions of one workbook.";
    /// A parent's figure is not the sum of its children's.
    SumHierarchy => "SUM-HIERARCHY",
        "A program's anggaran or realisasi is not the sum of its kegiatan, or a kegiatan's of its sub kegiatan, or is left blank while they have figures.";
    /// A stated total row is not the sum of the programs.
    SumTotal => "SUM-TOTAL",
        "A stated total (JUMLAH) is not the sum of the programs.";
    /// A stated ratio differs in substance from realisasi / anggaran × 100.
    RatioMismatch => "RATIO-MISMATCH",
        "A stated ratio differs from realisasi / anggaran × 100 by more than its last printed digit.";
    /// A stated ratio differs only in its last printed digit (truncated instead of rounded).
    RatioRounding => "RATIO-ROUNDING",
        "A stated ratio differs only in its last printed digit (truncated instead of rounded).";
    /// Stated ratios written with different precision in one table.
    RatioPrecision => "RATIO-PRECISION",
        "T-C.24: a year's stated ratios carry another number of decimals than most years', or one ratio more decimals than its column.";
    /// Realisasi above anggaran.
    RealisasiOverAnggaran => "REALISASI-OVER-ANGGARAN",
        "Realisasi is above anggaran for the same line and year: an error, a budget line cannot be overspent.";
    /// A figure of the narrative with neither data nor an image: it would print an empty frame.
    FigureMissing => "FIGURE-MISSING",
        "A #gambar of the narrative names no image file (and no chart or tree draws it from the data): the PDF prints an empty frame in its place.";
    /// A cell with a character no font of the document has.
    TextUnprintable => "TEXT-UNPRINTABLE",
        "A cell, or a paragraph of naskah.docx/odt, holds a character none of the document's fonts has (an emoji, CJK text, a control character); it prints as a white square, and the rest of the document is built.";
    /// A column of a budget sheet whose figures are not read.
    ColumnUnread => "COLUMN-UNREAD",
        "A column of an anggaran/realisasi sheet is not read: its header is not recognised, it holds what renstra computes itself (growth, sisa anggaran), or a realisasi up to a point before the year's end; the finding names the header cell and what the column holds.";
    /// Realisasi with no anggaran for the same line and year.
    RealisasiWithoutAnggaran => "REALISASI-WITHOUT-ANGGARAN",
        "A realisasi figure has no anggaran for the same line and year.";
    /// T-C.27: the end-of-period Rp is not the sum of the plan years.
    PlanTotal => "PLAN-TOTAL",
        "T-C.27: the end-of-period Rp is not the sum of the plan years' Rp.";
    /// T-C.27: the end-of-period target is neither the last year's (levels) nor the sum (counts).
    PlanTarget => "PLAN-TARGET",
        "T-C.27: the end-of-period target is not the last year's target (percentages, indices) nor, for counts, the last or the sum.";
    /// A tujuan or sasaran without an indicator or a target for a plan year.
    TargetMissing => "TARGET-MISSING",
        "T-C.25: a tujuan or sasaran without an indicator, or without a target for a plan year.";
    /// The same indicator with different targets in T-C.25 and Tabel 10 / T-C.28.
    TargetMismatch => "TARGET-MISMATCH",
        "An indicator's targets in Tabel 10 (IKU) or T-C.28 differ from the same indicator's in T-C.25.";
    /// T-C.28's kondisi awal is not T-C.23's last realisation of the same indicator.
    BaselineMismatch => "BASELINE-MISMATCH",
        "T-C.28: an indicator's kondisi awal differs from its last realisation in T-C.23 (the evaluation's final year with a figure).";
    /// Staff counts: L + P is not Jumlah.
    StaffSum => "STAFF-SUM",
        "Tabel 1: laki-laki + perempuan is not the stated Jumlah on a row.";
    /// Staff counts: a grouping does not add up to the staff it covers.
    StaffCategories => "STAFF-CATEGORIES",
        "Tabel 1: a grouping (education, rank, position) does not add up, L and P included, to the staff it covers: all staff by status, or the ASN row for position (and rank without a non-ASN row).";
    /// Struktur organisasi: a row that does not fit its chart's tree.
    OrgChart => "ORG-CHART",
        "Struktur organisasi: a position whose superior (Atasan) names no position of the same chart, a name given twice, superiors that go round in a loop, a row without a name, or a Garis that is neither komando nor koordinasi; the chart still draws every position (a misplaced one at the top) and the finding names the cell.";
    /// SWOT: NU outside 1-5.
    SwotUrgency => "SWOT-URGENCY",
        "SWOT: an urgency value (NU) outside the scale 1-5.";
    /// SWOT: the weights of a quadrant do not sum to 100.
    SwotWeights => "SWOT-WEIGHTS",
        "SWOT: the factor weights (BF) of a quadrant do not sum to 100.";
    /// SWOT: a stated NU × BF, or a quadrant's stated sum, is wrong.
    SwotScore => "SWOT-SCORE",
        "SWOT: a stated NU x BF, a quadrant total, or a strategy score (S+O, W+O, S+T, W+T) differs from the recomputed one.";
    /// The narrative quotes a stated figure the checks found wrong.
    NarrativeFigure => "NARRATIVE-FIGURE",
        "A number in naskah/*.typ equals a stated figure the checks found wrong; the #fakta that gives the verified figure is suggested.";
    /// The narrative document (naskah.docx, naskah.odt) cannot be read at all.
    NarrativeUnreadable => "NARRATIVE-UNREADABLE",
        "naskah.docx or naskah.odt cannot be read (not a document, encrypted, a Word 97-2003 file, broken XML, larger than its bound): the Renstra is built without its chapters, every other output as usual.";
    /// Something of the narrative document that cannot be kept as written.
    NarrativeNotKept => "NARRATIVE-NOT-KEPT",
        "Something of naskah.docx/odt cannot be printed as written (an image that is too large, linked or no image, an embedded object, a table past its row bound): a frame or the kept part is printed, and the warning names the chapter and paragraph.";
    /// A table of the narrative document: replaced by a verified one, or kept unmatched.
    NarrativeTable => "NARRATIVE-TABLE",
        "A Word table whose caption names one of renstra's tables is replaced by the verified table (info); one whose caption renstra cannot match is printed as the author wrote it (warning), unverified.";
    /// The chapters and sub-chapters of the narrative document.
    NarrativeStructure => "NARRATIVE-STRUCTURE",
        "The chapters of naskah.docx/odt: a BAB given twice or out of order, a level-1 heading that is no BAB, text before BAB I that is not the Kata Pengantar (not printed), a sub-chapter number the document renumbers, or both naskah/ and a document in the unit folder (naskah/ is used).";
    /// A `{{fakta:…}}` marker naming no figure the data knows.
    FaktaUnknown => "FAKTA-UNKNOWN",
        "A {{fakta:…}} marker of naskah.docx/odt names no figure the verified data gives; a red marker is printed in its place, and the warning lists the names there are.";
    /// The Berita Acara would print an empty place, date or signature block.
    VerifikasiIncomplete => "VERIFIKASI-INCOMPLETE",
        "renstra.toml's [verifikasi] leaves the Berita Acara's place, date or a signatory's name empty; the warning names the keys to fill.";
    /// A file or sheet that could not be read, or whose layout was not recognised.
    InputUnreadable => "INPUT-UNREADABLE",
        "A file or sheet could not be read, or its layout was not recognised.";
    /// A sheet whose kind of data is recognised but not yet used by any table.
    SheetEmpty => "SHEET-EMPTY",
        "A sheet's kind of data is recognised from its headers, but it holds no data rows yet.";
}

/// One thing wrong (or worth knowing) in the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// The rule that raised it.
    pub rule: Rule,
    /// Every cell involved; the first is the one to fix.
    pub sources: Vec<SourceRef>,
    /// What the cell says, as written.
    pub written: String,
    /// What it should say, where renstra can compute it.
    pub expected: String,
    /// What is wrong and what to do, in Bahasa Indonesia.
    pub message: String,
}

impl Finding {
    /// A finding about one place, with nothing expected (yet); add more with the builder methods.
    pub fn new(severity: Severity, rule: Rule, at: SourceRef, message: impl Into<String>) -> Self {
        Finding {
            severity,
            rule,
            sources: vec![at],
            written: String::new(),
            expected: String::new(),
            message: message.into(),
        }
    }

    /// Records what the cell says.
    pub fn written(mut self, written: impl Into<String>) -> Self {
        self.written = written.into();
        self
    }

    /// Records what the cell should say.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = expected.into();
        self
    }

    /// The order findings are listed in: most serious first, then by place.
    pub fn sort_key(&self) -> (Severity, &[SourceRef], Rule) {
        (self.severity, &self.sources, self.rule)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self
            .sources
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        write!(
            f,
            "{} [{}] {}: {}",
            self.severity.label(),
            self.rule.id(),
            at,
            self.message
        )?;
        if !self.written.is_empty() {
            write!(f, " (tertulis: \"{}\"", self.written)?;
            if !self.expected.is_empty() {
                write!(f, "; seharusnya: \"{}\"", self.expected)?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 2), "C12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(4, 27), "AB5");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn source_refs_read_as_file_sheet_cell() {
        let s = SourceRef::cell("a.xlsx", "Rekap", 11, 2);
        assert_eq!(s.to_string(), "a.xlsx › Rekap › C12");
        assert_eq!(SourceRef::sheet("b.csv", "").to_string(), "b.csv");
    }

    #[test]
    fn the_readme_documents_every_rule() {
        let readme = include_str!("../../README.md");
        for rule in Rule::ALL {
            assert!(
                readme.contains(&format!("| `{}` |", rule.id())),
                "README lists {}",
                rule.id()
            );
        }
    }

    #[test]
    fn rule_ids_are_unique() {
        let mut ids: Vec<_> = Rule::ALL.iter().map(|r| r.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
