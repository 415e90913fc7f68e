//! Typesetting benchmark (a release bench binary, not a timed test): the sample's Renstra PDF
//! typeset from scratch (a new Typst world each time), and re-rendered in a world kept alive after
//! one changed cell, as `watch` will do. Each figure is the median of several runs; the ratio is
//! against the from-scratch render measured in the same run.
//!
//! `cargo bench --bench render`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use renstra::render::{self, DATA_PATH};
use renstra::tables::Shown;

const RUNS: usize = 7;

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let unit = root.join("input").join("kecamatan-kanigaran");
    let templates = root.join("templates");
    let mut checked = renstra::pipeline::check_unit(&unit, &Default::default()).unwrap();
    let data = render::document_data(
        &checked.config,
        &unit,
        &checked.tables,
        &checked.organisation,
        &checked.findings,
    );
    // `/data.json` and the tables' own virtual files, as the world is given them.
    let data_bytes = serde_json::to_vec(&data).unwrap().len()
        + render::TemplateData::files(&data)
            .values()
            .map(Vec::len)
            .sum::<usize>();
    let date = data.tanggal;
    let mut pages = 0;
    let cold = median(|| {
        // Typst memoizes across worlds in one process: evict so each run starts cold.
        comemo::evict(0);
        let pdf =
            render::render_pdf(&templates, &unit, render::MAIN_TEMPLATE, &data, date).unwrap();
        pages = count_pages(&pdf);
    });

    // A world kept alive: the first render fills Typst's caches, then each run changes one
    // T-C.24 figure and renders again.
    // The whole build of the sample (ingest, checks, xlsx, CSVs, Renstra PDF, Berita Acara PDF and
    // lampiran), each run from a cold Typst cache.
    let out = tempfile::tempdir().unwrap();
    let whole = median(|| {
        comemo::evict(0);
        renstra::pipeline::build_unit(&unit, out.path(), &templates, &Default::default()).unwrap();
    });
    let ba_pages = count_pages(&std::fs::read(out.path().join("berita-acara.pdf")).unwrap());
    let unchanged = median(|| {
        render::render_pdf(&templates, &unit, render::MAIN_TEMPLATE, &data, date).unwrap();
    });
    let mut world = render::world_for(&templates, &unit, render::MAIN_TEMPLATE, &data).unwrap();
    render::pdf_of(&mut world, date).unwrap();
    let mut step = 0u32;
    let warm = median(|| {
        step += 1;
        let table = checked
            .tables
            .iter_mut()
            .find(|t| t.id == renstra::model::TableId::Tc24)
            .unwrap();
        table.rows[3].cells[5].shown = Shown::Value(rust_decimal::Decimal::from(1_000 + step));
        let data = render::document_data(
            &checked.config,
            &unit,
            &checked.tables,
            &checked.organisation,
            &checked.findings,
        );
        render::update_world(&mut world, &data).unwrap();
        render::pdf_of(&mut world, date).unwrap();
    });
    println!(
        "sample Renstra PDF: {pages} pages, {data_bytes} bytes of data ({DATA_PATH} and one file per table)"
    );
    println!(
        "from scratch          {:>8.3} s   {:>6.1} pages/s",
        cold.as_secs_f64(),
        f64::from(pages) / cold.as_secs_f64()
    );
    println!(
        "whole build + Berita Acara ({ba_pages} pages) {:>8.3} s   {:.2}x of the Renstra alone",
        whole.as_secs_f64(),
        whole.as_secs_f64() / cold.as_secs_f64()
    );
    println!(
        "unchanged, cache warm {:>8.3} s   {:.2}x of from scratch",
        unchanged.as_secs_f64(),
        unchanged.as_secs_f64() / cold.as_secs_f64()
    );
    println!(
        "one cell changed      {:>8.3} s   {:.2}x of from scratch",
        warm.as_secs_f64(),
        warm.as_secs_f64() / cold.as_secs_f64()
    );
}

/// Pages of a PDF, from its page tree's `/Count` (the largest one).
fn count_pages(pdf: &[u8]) -> u32 {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Count ")
        .filter_map(|(i, _)| {
            text[i + 7..]
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .max()
        .unwrap_or(0)
}
