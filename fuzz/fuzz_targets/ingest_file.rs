//! Whole-file ingest on arbitrary bytes, as each supported format (the first byte picks the
//! extension): the in-process reader never panics past its guard, and every outcome is either a
//! report of sheets with balanced row accounting or a file reported unread with a reason.
#![no_main]

use std::io::Write;
use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use renstra::ingest::{IngestOptions, ingest_file};

const EXTENSIONS: [&str; 6] = ["xlsx", "xls", "ods", "csv", "xlsb", "xlsm"];

static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // The reader guards calamine with catch_unwind; libFuzzer's hook would abort on a panic even
    // when it is caught, so keep the default silence. An uncaught panic still fails the run.
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let ext = EXTENSIONS[usize::from(pick) % EXTENSIONS.len()];
    let dir = std::env::temp_dir().join(format!("renstra-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let name = format!("masukan.{ext}");
    let path = dir.join(&name);
    let Ok(mut file) = std::fs::File::create(&path) else {
        return;
    };
    if file.write_all(body).is_err() {
        return;
    }
    drop(file);
    let options = IngestOptions { isolation: None };
    let (report, _) = ingest_file(&path, &name, None, &options);
    for sheet in &report.sheets {
        if let Some(a) = &sheet.accounting {
            assert!(a.balances(), "{name}: {} {a:?}", sheet.source);
        }
    }
});
