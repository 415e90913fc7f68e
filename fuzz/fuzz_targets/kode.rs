//! The Permendagri 90 code parser on arbitrary text: it never panics, and an accepted code's
//! canonical spelling parses to the same code at the same level.
#![no_main]

use libfuzzer_sys::fuzz_target;
use renstra::model::Kode;

fuzz_target!(|text: &str| {
    let bidang = Kode::parse("7.01", None).ok();
    for b in [None, bidang.as_ref()] {
        if let Ok(kode) = Kode::parse(text, b) {
            let canonical = kode.to_string();
            let again = Kode::parse(&canonical, None)
                .unwrap_or_else(|e| panic!("{text:?} → {canonical:?} refused: {e}"));
            assert_eq!(again, kode, "{text:?} → {canonical:?}");
            assert_eq!(again.level(), kode.level());
            let _ = kode.parent();
        }
    }
});
