//! Every sentence renstra says to people, in Bahasa Indonesia, in one place: the findings'
//! messages ([`findings`]) and the words of the errors that end a unit's build (each stage's
//! error enum keeps what went wrong, where and why as data; its `Display` is written here).
//!
//! Code, identifiers and developer documentation are English; finance and planning staff read
//! only what this module writes. A new message goes here, next to the ones like it.

pub mod berita_acara;
pub mod cli;
pub mod config;
pub mod errors;
pub mod findings;
pub mod help;
pub mod typst;
pub mod words;
pub mod workbook;
