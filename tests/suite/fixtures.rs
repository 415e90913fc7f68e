//! Fixture folders: every `tests/fixtures/units/<case>/` holds a unit folder (`unit/`), what it
//! must produce (`temuan-harus.csv`: the findings, every one, with the level, rule, file, cell,
//! what is written and what it should be) and a README saying how the expected values were
//! worked out by hand. A new case is a new folder; this test needs no change.

use std::path::{Path, PathBuf};

use renstra::pipeline;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/units");

/// A finding as `temuan-harus.csv` writes it.
type Expected = (String, String, String, String, String, String);

fn expected(case: &Path) -> Vec<Expected> {
    let mut reader = csv::Reader::from_path(case.join("temuan-harus.csv"))
        .unwrap_or_else(|e| panic!("{}: temuan-harus.csv: {e}", case.display()));
    let mut out: Vec<Expected> = reader
        .deserialize()
        .map(|r| r.unwrap_or_else(|e| panic!("{}: {e}", case.display())))
        .collect();
    out.sort();
    out
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .expect("tests/fixtures/units")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("unit").is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_fixture_unit_gives_exactly_its_findings() {
    let cases = cases();
    assert!(cases.len() >= 3, "the fixture folders are there");
    for case in cases {
        let checked = pipeline::check_unit(&case.join("unit"), &Default::default())
            .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        let mut found: Vec<Expected> = checked
            .findings
            .iter()
            .map(|f| {
                let at = &f.sources[0];
                (
                    f.severity.label().to_string(),
                    f.rule.id().to_string(),
                    at.file.to_string(),
                    at.a1(),
                    f.written.clone(),
                    f.expected.clone(),
                )
            })
            .collect();
        found.sort();
        assert_eq!(found, expected(&case), "{}", case.display());
    }
}
