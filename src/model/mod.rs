//! Domain types shared by every stage: exact amounts, canonical codes, findings and their sources.
//!
//! The types are built so that invalid states cannot be represented: a [`Kode`] exists only in
//! canonical form, an amount is either an exact [`rust_decimal::Decimal`] or says why it is not one.

pub mod amount;
pub mod finding;
pub mod kode;
pub mod measure;

pub use amount::{CellValue, Malformed, NumberKind, Parsed, format_id, parse_number};
pub use finding::{Finding, Rule, Severity, SourceRef, a1};
pub use kode::{Kode, KodeError, Level};
pub use measure::{Measure, parse_measure};
