//! The CSV delimiter sniffer on arbitrary text: never panics, always answers one of the delimiters
//! renstra reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use renstra::ingest::grid::sniff_delimiter;

fuzz_target!(|text: &str| {
    let d = sniff_delimiter(text);
    assert!(matches!(d, b',' | b';' | b'\t'), "{d}");
});
