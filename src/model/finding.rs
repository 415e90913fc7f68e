//! Findings: what is wrong in the workbooks, where, and what to do about it.
//!
//! A finding is the product as much as the tables are: every one names the rule that raised it,
//! every cell involved (file › sheet › cell), what was written, what was expected where that can be
//! computed, and a message in Bahasa Indonesia a finance officer can act on.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// Where a value came from: the workbook (relative to the unit folder), the sheet and the cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SourceRef {
    /// The file, relative to the unit folder (`anggaran-realisasi-2019-2023.xlsx`); shared, since
    /// every cell of a sheet names the same file and sheet.
    pub file: Arc<str>,
    /// The sheet name; empty for a CSV file, which has none.
    pub sheet: Arc<str>,
    /// The A1 reference of the cell (`C12`), or empty when the finding concerns a whole sheet/file.
    pub cell: String,
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
            cell: a1(row, col),
        }
    }

    /// A reference to a whole sheet (or a whole file when `sheet` is empty).
    pub fn sheet(file: &str, sheet: &str) -> Self {
        SourceRef {
            file: Arc::from(file),
            sheet: Arc::from(sheet),
            cell: String::new(),
        }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        for part in [&*self.sheet, self.cell.as_str()] {
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

impl Severity {
    /// The word printed for people (Bahasa Indonesia).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "kesalahan",
            Severity::Warning => "peringatan",
            Severity::Info => "info",
        }
    }
}

/// Every rule renstra checks, with a stable id. The README's rule table is generated from the same
/// list, so the ids never drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Rule {
    /// A number cell holds text that is not a valid Indonesian number.
    AmountMalformed,
    /// A number had spaces inside its digits; accepted, but the cell should be cleaned.
    AmountSpaces,
    /// A number column holds words (`Mengalami Refocusing`); kept as a note.
    AmountNote,
    /// A formula cell without a cached value: the file was never recalculated.
    FormulaUncached,
    /// A code that is not a well-formed Permendagri 90 code.
    KodeMalformed,
    /// A line without a code whose level was taken from its wording or position.
    LevelInferred,
    /// A location spelled differently from the unit's kelurahan list, matched to the nearest one.
    LocationSpelling,
    /// The same figure given twice with different values (two sheets or files for one line).
    FigureConflict,
    /// A file or sheet that could not be read, or whose layout was not recognised.
    InputUnreadable,
    /// A sheet whose kind of data is recognised but not yet used by any table.
    SheetUnused,
}

impl Rule {
    /// All rules, in documentation order.
    pub const ALL: [Rule; 10] = [
        Rule::AmountMalformed,
        Rule::AmountSpaces,
        Rule::AmountNote,
        Rule::FormulaUncached,
        Rule::KodeMalformed,
        Rule::LevelInferred,
        Rule::LocationSpelling,
        Rule::FigureConflict,
        Rule::InputUnreadable,
        Rule::SheetUnused,
    ];

    /// The stable id written in `temuan.csv` and the Berita Acara.
    pub fn id(self) -> &'static str {
        match self {
            Rule::AmountMalformed => "AMOUNT-MALFORMED",
            Rule::AmountSpaces => "AMOUNT-SPACES",
            Rule::AmountNote => "AMOUNT-NOTE",
            Rule::FormulaUncached => "FORMULA-UNCACHED",
            Rule::KodeMalformed => "KODE-MALFORMED",
            Rule::LevelInferred => "LEVEL-INFERRED",
            Rule::LocationSpelling => "LOCATION-SPELLING",
            Rule::FigureConflict => "FIGURE-CONFLICT",
            Rule::InputUnreadable => "INPUT-UNREADABLE",
            Rule::SheetUnused => "SHEET-UNUSED",
        }
    }

    /// What the rule checks, for the documentation.
    pub fn describe(self) -> &'static str {
        match self {
            Rule::AmountMalformed => {
                "A number cell holds text that is not one valid Indonesian number (1.234.567,89)."
            }
            Rule::AmountSpaces => {
                "A number had spaces inside its digits (a copy-paste artefact); accepted as written without them."
            }
            Rule::AmountNote => {
                "A number column holds words; they are kept as a note, not a figure."
            }
            Rule::FormulaUncached => {
                "A formula cell carries no cached result (the file was never recalculated)."
            }
            Rule::KodeMalformed => {
                "A code is not a well-formed Permendagri 90/2019 code (U.BB.PP.K.KK.SSSS)."
            }
            Rule::LevelInferred => {
                "A line without a code got its level from its wording or its position."
            }
            Rule::LocationSpelling => {
                "A location spelled differently from the unit's kelurahan list was matched to the nearest one."
            }
            Rule::FigureConflict => {
                "The same figure of a line is given twice (two sheets or files) with different values."
            }
            Rule::InputUnreadable => {
                "A file or sheet could not be read, or its layout was not recognised."
            }
            Rule::SheetUnused => "A sheet's kind of data is recognised but no table uses it yet.",
        }
    }
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
    fn rule_ids_are_unique() {
        let mut ids: Vec<_> = Rule::ALL.iter().map(|r| r.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
