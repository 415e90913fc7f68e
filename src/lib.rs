//! renstra turns a regional government unit's budget workbooks into its verified strategic plan
//! (Renstra, Permendagri 86/2017): the T-C tables in XLSX and CSV, the typeset PDF, and a list of
//! every figure that does not add up, with the cell it sits in.
//!
//! The crate is a batch pipeline, one module per stage, data flowing one way:
//! [`ingest`] (read any workbook) → [`normalize`] (place every row in the program tree) →
//! [`derive`](mod@derive) (compute every derived figure exactly) and [`rules`] (compare what is
//! written with it) → [`tables`] (the verified T-C tables) → [`export`] (XLSX, CSV) and
//! [`render`] (Typst PDF) → [`verify`] (the Berita Acara). Every sentence for people is in
//! [`messages`]. What a later stage needs from an earlier one is part of the
//! unit's [`model`]; [`config`] is the unit's validated `renstra.toml`. [`pipeline`] joins the
//! stages for one unit, [`batch`] schedules many; [`cli`] is the thin command line on top.

pub mod batch;
pub mod bounded;
pub mod cli;
pub mod config;
pub mod derive;
pub mod export;
pub mod ingest;
pub mod messages;
pub mod model;
pub mod naskah;
pub mod normalize;
pub mod pipeline;
pub mod render;
pub mod repair;
pub mod rules;
pub mod scaffold;
pub mod tables;
pub mod verify;
