//! The unit's model: the domain types every stage shares, at the floor of the crate.
//!
//! Data flows one way (ingest → normalize → derive, rules → tables → export, render, verify):
//! what a later stage needs from an earlier one is a type here, never the earlier stage's own. The
//! types are
//! built so that invalid states cannot be represented: a [`Kode`] exists only in canonical form,
//! an amount is either an exact [`rust_decimal::Decimal`] or says why it is not one, a table is
//! named by a [`TableId`].

pub mod amount;
pub mod budget;
pub mod coverage;
pub mod derived;
pub mod finding;
pub mod header;
pub mod kode;
pub mod measure;
pub mod naskah;
pub mod record;
pub mod report;
pub mod sheet;
pub mod table_id;

pub use amount::{
    CellValue, MAX_FIGURE, Malformed, NumberKind, Parsed, format_id, money_value, parse_number,
};
pub use budget::{
    BudgetLine, BudgetRow, Figure, RowAccounting, SkippedRow, Sourced, StatedTotal, YearFigures,
};
pub use coverage::{Coverage, Tally};
pub use derived::Derived;
pub use finding::{Finding, Rule, Severity, SourceRef, a1};
pub use header::{is_total_label, normalize_header, year_in, years_in};
pub use kode::{Kode, KodeError, Level, parse_kode_cell};
pub use measure::{Measure, parse_measure};
pub use record::{Record, RecordCell};
pub use report::{FileReport, SheetReport};
pub use sheet::{Role, SheetKind};
pub use table_id::TableId;
