//! renstra's integration tests, one crate so the sample is built once for all of them
//! ([`common::BUILT`]) and the suite links one binary.
//!
//! A module per concern: `sample_unit` (figures of the seed worked out by hand), `workbook` (the
//! xlsx re-read by calamine, recalculated by IronCalc, checked by openpyxl), `document` (the PDF as
//! laid out), `berita_acara`, `relayout` (the same figures in other layouts), `ingest_formats`,
//! `clean_unit`, `typst_safety`, `overprint` (no word on another, none across a table rule),
//! `drop_folder` and `hardening` (the real executable on temporary
//! folders), `nothing_lost` (property test over generated units), `corpus` (third-party files).
//! Add a test to the module of its concern, or a module here for a new one; expected values come
//! from the seed, a hand computation written in the test, or another program, never from
//! renstra's own output.

mod common;

/// The batch benchmark's generator of realistic units, shared with the overprint test.
#[allow(dead_code)]
#[path = "../bench/batch_gen.rs"]
mod batch_gen;

mod berita_acara;
mod bounds;
mod clean_unit;
mod corpus;
mod document;
mod drop_folder;
mod fixtures;
mod hardening;
mod ingest_formats;
mod memory;
mod naskah;
mod nothing_lost;
mod overprint;
mod relayout;
mod repairs;
mod sample_unit;
mod shards;
mod typst_safety;
mod workbook;
