//! renstra turns a regional government unit's budget workbooks into its verified strategic plan
//! (Renstra, Permendagri 86/2017): the T-C tables in XLSX and CSV, the typeset PDF, and a list of
//! every figure that does not add up, with the cell it sits in.
//!
//! The crate is a batch pipeline, one module per stage:
//! [`ingest`] (read any workbook) → [`normalize`] (place every row in the program tree) →
//! [`reconcile`] (recompute every derived figure exactly) → [`tables`] (the verified T-C tables) →
//! [`export`] (XLSX, CSV) and [`render`] (Typst PDF). [`pipeline`] joins them for one unit;
//! [`cli`] is the thin command line on top.

pub mod cli;
pub mod config;
pub mod export;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod reconcile;
pub mod render;
pub mod scaffold;
pub mod tables;
pub mod verify;
