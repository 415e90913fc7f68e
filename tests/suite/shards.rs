//! `renstra build --shard K/N` and `renstra summary`: the real executable on a generated batch,
//! as N machines would run it on the same input tree.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::{SAMPLE, TEMPLATES, summary};

fn renstra(args: &[&str], paths: &[&Path]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_renstra"));
    command.args(args);
    for p in paths {
        command.arg(p);
    }
    command.output().unwrap()
}

/// The fields of a unit's summary that do not depend on the machine's speed.
fn outcome(unit: &serde_json::Value) -> serde_json::Value {
    let mut unit = unit.clone();
    if let Some(object) = unit.as_object_mut() {
        object.remove("detik");
        object.remove("tahap");
        object.remove("manifest");
    }
    unit
}

#[test]
fn three_shards_build_each_unit_once_and_their_merged_summary_is_a_single_runs() {
    let batch = tempfile::tempdir().unwrap();
    crate::batch_gen::generate_batch(Path::new(SAMPLE), batch.path(), 5).unwrap();
    let single_out = tempfile::tempdir().unwrap();
    let single = renstra(
        &["build", "--json", "--templates", TEMPLATES, "--out"],
        &[single_out.path(), batch.path()],
    );
    let single = summary(&single);
    assert_eq!(single.len(), 5);
    // The three shards share one output folder, as on a cluster's shared disk.
    let out = tempfile::tempdir().unwrap();
    let mut seen = BTreeSet::new();
    let mut files = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let run = renstra(
            &[
                "build",
                "--json",
                "--shard",
                &shard,
                "--templates",
                TEMPLATES,
                "--out",
            ],
            &[out.path(), batch.path()],
        );
        let units = summary(&run);
        for (name, unit) in &units {
            assert_eq!(unit["hasil"], "disusun", "{name} in shard {shard}");
            assert!(seen.insert(name.clone()), "{name} built by two shards");
        }
        let file = out.path().join(format!("ringkasan-{k}.json"));
        std::fs::write(&file, &run.stdout).unwrap();
        files.push(file);
    }
    let all: BTreeSet<String> = single.keys().cloned().collect();
    assert_eq!(seen, all, "every unit built by exactly one shard");
    // A shard run again owns the same units: the split depends on the folder names only.
    let again = renstra(
        &[
            "build",
            "--json",
            "--shard",
            "2/3",
            "--templates",
            TEMPLATES,
            "--out",
        ],
        &[out.path(), batch.path()],
    );
    for unit in summary(&again).values() {
        assert_eq!(unit["hasil"], "tidak-berubah");
    }
    // The merged report: the same units with the same outcomes as the single run, each with
    // its manifest from the shared output folder.
    let mut args = vec!["summary".to_string(), "--json".into(), "--out".into()];
    args.push(out.path().display().to_string());
    args.extend(files.iter().map(|f| f.display().to_string()));
    let merged = Command::new(env!("CARGO_BIN_EXE_renstra"))
        .args(&args)
        .output()
        .unwrap();
    let merged = summary(&merged);
    assert_eq!(
        merged.keys().collect::<Vec<_>>(),
        single.keys().collect::<Vec<_>>()
    );
    for (name, unit) in &merged {
        assert_eq!(outcome(unit), outcome(&single[name]), "{name}");
        assert_eq!(unit["manifest"]["unit"], name.as_str());
        assert_eq!(unit["manifest"]["halaman"], single[name]["halaman"]);
    }
    // The same renstra.pdf, byte for byte, whichever machine built it.
    for name in single.keys() {
        let a = std::fs::read(single_out.path().join(name).join("renstra.pdf")).unwrap();
        let b = std::fs::read(out.path().join(name).join("renstra.pdf")).unwrap();
        assert!(
            a == b,
            "{name}: the shard's renstra.pdf differs from the single run's"
        );
    }
    // Two summaries of one shard are refused by the unit they share.
    let twice = renstra(&["summary"], &[&files[1], &files[1]]);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("ada di dua ringkasan"));
}

#[test]
fn a_shard_that_is_not_k_of_n_is_refused() {
    for wrong in ["0/3", "4/3", "2", "a/b", "1/0"] {
        let run = renstra(
            &["build", "--shard", wrong, "--out"],
            &[Path::new("/nonexistent")],
        );
        assert_eq!(run.status.code(), Some(2), "{wrong}");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains("--shard"),
            "{wrong}"
        );
    }
}
