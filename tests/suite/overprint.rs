//! Nothing prints on top of anything else: in the sample's renstra.pdf and berita-acara.pdf no
//! two words overlap (their boxes as poppler's `pdftotext -bbox` reads them, an independent
//! reader), and in the laid-out Renstra no text run crosses a table's vertical rule (Typst's own
//! frames: every text run's box against every vertical line drawn on its page).

use std::path::{Path, PathBuf};

use renstra::render;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::visualize::Geometry;

use crate::common::BUILT;

/// A word's box on a page, in points: left, top, right, bottom, and the word.
type WordBox = (f64, f64, f64, f64, String);

/// Each page's words as poppler reads them, the DRAF watermark left out; `None` when poppler
/// is not installed (`.ci/run` installs it).
fn poppler_words(pdf: &Path) -> Option<Vec<Vec<WordBox>>> {
    let output = match std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => o,
        _ => {
            eprintln!("pdftotext (poppler-utils) is not installed: word overlaps not checked");
            return None;
        }
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let attribute = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let pages = text
        .split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .filter_map(|w| {
                    let (tag, rest) = w.split_once('>')?;
                    let word = rest.split_once("</word>")?.0.to_string();
                    let b = (
                        attribute(tag, "xMin"),
                        attribute(tag, "yMin"),
                        attribute(tag, "xMax"),
                        attribute(tag, "yMax"),
                        word,
                    );
                    // The watermark: large rotated letters.
                    (b.4 != "DRAF" && b.3 - b.1 <= 40.0).then_some(b)
                })
                .collect()
        })
        .collect();
    Some(pages)
}

/// Pairs of words on one page whose boxes share more than 15 % of the smaller one's area.
fn overlapping(words: &[WordBox]) -> Vec<(String, String)> {
    let mut hits = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            let ix = a.2.min(b.2) - a.0.max(b.0);
            let iy = a.3.min(b.3) - a.1.max(b.1);
            if ix <= 0.0 || iy <= 0.0 {
                continue;
            }
            let smaller = ((a.2 - a.0) * (a.3 - a.1)).min((b.2 - b.0) * (b.3 - b.1));
            if ix * iy / smaller.max(f64::EPSILON) > 0.15 {
                hits.push((a.4.clone(), b.4.clone()));
            }
        }
    }
    hits
}

fn assert_no_overlapping_words(pdf: &Path) {
    let Some(pages) = poppler_words(pdf) else {
        return;
    };
    assert!(!pages.is_empty(), "{} has pages", pdf.display());
    let mut problems = Vec::new();
    for (n, words) in pages.iter().enumerate() {
        for (a, b) in overlapping(words) {
            problems.push(format!("page {}: {a:?} on {b:?}", n + 1));
        }
    }
    assert!(
        problems.is_empty(),
        "{} overprints {} word pairs: {:#?}",
        pdf.display(),
        problems.len(),
        &problems[..problems.len().min(20)]
    );
}

#[test]
fn no_two_words_of_the_sample_renstra_pdf_overlap() {
    assert_no_overlapping_words(&BUILT.0.path().join("renstra.pdf"));
}

#[test]
fn no_two_words_of_the_sample_berita_acara_overlap() {
    assert_no_overlapping_words(&BUILT.0.path().join("berita-acara.pdf"));
}

/// A text run's box and a vertical line, in page coordinates (points).
#[derive(Default)]
struct Page {
    runs: Vec<(f64, f64, f64, f64, String)>,
    rules: Vec<(f64, f64, f64)>,
}

/// Collects the text runs and vertical lines of `frame`, placed by `at` (translation and scale
/// only: a rotated group, the watermark, is left out).
fn collect(frame: &Frame, at: Transform, page: &mut Page) {
    for (pos, item) in frame.items() {
        let here = at.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(g) if g.transform.kx.is_zero() && g.transform.ky.is_zero() => {
                collect(&g.frame, here.pre_concat(g.transform), page);
            }
            FrameItem::Text(t) => {
                let origin = Point::zero().transform(here);
                let end = Point::new(t.width(), Abs::zero()).transform(here);
                let size = t.size.to_pt() * here.sy.get();
                let (x0, x1) = (origin.x.to_pt(), end.x.to_pt());
                let baseline = origin.y.to_pt();
                page.runs.push((
                    x0,
                    baseline - 0.7 * size,
                    x1,
                    baseline + 0.15 * size,
                    t.text.to_string(),
                ));
            }
            FrameItem::Shape(shape, _) => {
                if let Geometry::Line(to) = &shape.geometry
                    && shape.stroke.is_some()
                    && to.x.to_pt().abs() < 0.01
                    && to.y.to_pt().abs() > 0.5
                {
                    let a = Point::zero().transform(here);
                    let b = to.transform(here);
                    let (y0, y1) = (a.y.to_pt().min(b.y.to_pt()), a.y.to_pt().max(b.y.to_pt()));
                    page.rules.push((a.x.to_pt(), y0, y1));
                }
            }
            _ => {}
        }
    }
}

/// Text runs of `doc` that cross a table's vertical rule, and how many rules were seen.
fn rule_crossings(doc: &typst_layout::PagedDocument) -> (Vec<String>, usize) {
    let mut crossings = Vec::new();
    let mut rules_seen = 0;
    for (n, p) in doc.pages().iter().enumerate() {
        let mut page = Page::default();
        collect(&p.frame, Transform::identity(), &mut page);
        rules_seen += page.rules.len();
        for (x0, y0, x1, y1, text) in &page.runs {
            // A rule strictly inside the run (more than a quarter point from either end),
            // over the run's height.
            for (x, r0, r1) in &page.rules {
                if *x > x0 + 0.25 && *x < x1 - 0.25 && *r0 < *y1 && *r1 > *y0 {
                    crossings.push(format!(
                        "page {}: {text:?} crosses the rule at x = {x:.1}",
                        n + 1
                    ));
                }
            }
        }
    }
    (crossings, rules_seen)
}

/// Fails when a text run of `doc` crosses a table rule, or when the check saw too few rules to
/// mean anything: T-C.24 alone draws its 21 column rules on each of its pages (about ten).
fn assert_no_rule_crossings(doc: &typst_layout::PagedDocument) {
    let (crossings, rules_seen) = rule_crossings(doc);
    assert!(rules_seen >= 200, "{rules_seen} vertical rules found");
    assert!(
        crossings.is_empty(),
        "{} text runs cross a rule: {:#?}",
        crossings.len(),
        &crossings[..crossings.len().min(20)]
    );
}

/// The sample's Renstra as Typst lays it out, once for the tests that read its frames.
static SAMPLE_DOC: std::sync::LazyLock<typst_layout::PagedDocument> =
    std::sync::LazyLock::new(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let unit = root.join("input").join("kecamatan-kanigaran");
        let checked = &BUILT.1.checked;
        let data = render::document_data(
            &checked.config,
            &unit,
            &checked.tables,
            &checked.organisation,
            &checked.findings,
        );
        render::render_document(&root.join("templates"), &unit, render::MAIN_TEMPLATE, &data)
            .unwrap()
    });

#[test]
fn no_text_of_the_sample_renstra_crosses_a_table_rule() {
    assert_no_rule_crossings(&SAMPLE_DOC);
}

/// A unit of the batch generator (a T-C.24 of 200–500 generated sub kegiatan and a generated
/// T-C.27, the sample's other workbooks) prints without overprinting either: no overlapping
/// words in its renstra.pdf or berita-acara.pdf, no text across a table rule.
#[test]
fn a_generated_unit_prints_without_overprinting() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let batch = tempfile::tempdir().unwrap();
    crate::batch_gen::generate_batch(&root.join("input/kecamatan-kanigaran"), batch.path(), 1)
        .unwrap();
    let unit = batch.path().join(crate::batch_gen::unit_folder(0));
    let out = tempfile::tempdir().unwrap();
    let built = renstra::pipeline::build_unit(
        &unit,
        out.path(),
        &root.join("templates"),
        &Default::default(),
    )
    .unwrap();
    assert_no_overlapping_words(&out.path().join("renstra.pdf"));
    assert_no_overlapping_words(&out.path().join("berita-acara.pdf"));
    let c = &built.checked;
    let data = render::document_data(&c.config, &unit, &c.tables, &c.organisation, &c.findings);
    let doc = render::render_document(&root.join("templates"), &unit, render::MAIN_TEMPLATE, &data)
        .unwrap();
    assert_no_rule_crossings(&doc);
}

/// Every text run of a page with its size, in points.
fn sized_runs(frame: &Frame, scale: f64, out: &mut Vec<(String, f64)>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => sized_runs(&g.frame, scale * g.transform.sy.get(), out),
            FrameItem::Text(t) => out.push((t.text.to_string(), t.size.to_pt() * scale)),
            _ => {}
        }
    }
}

/// A narrow table stays on a portrait page in the body text at 8 pt (T-C.25: eight columns, on
/// a landscape page at 6.5 pt before); only a table that needs it goes landscape, T-C.24 at no
/// less than 6.5 pt.
#[test]
fn a_table_is_portrait_or_landscape_by_its_width_at_a_readable_size() {
    let doc = &*SAMPLE_DOC;
    // (caption on the page, a cell of the table on it, portrait?, smallest size allowed)
    for (caption, cell, portrait, smallest) in [
        // T-C.25's 2025 target of Indeks Kepuasan Masyarakat (the seed's 84,25).
        ("T-C.25", "84,25", true, 8.0),
        // T-C.24's E81 as the seed writes it, printed as-is.
        ("T-C.24", "10.933,294.372,00", false, 6.5),
    ] {
        let page = doc
            .pages()
            .iter()
            .find(|p| {
                let mut runs = Vec::new();
                sized_runs(&p.frame, 1.0, &mut runs);
                runs.iter().any(|(t, _)| t.contains(caption))
                    && runs.iter().any(|(t, _)| t.contains(cell))
            })
            .unwrap_or_else(|| panic!("{caption} with {cell} is printed"));
        let size = page.frame.size();
        assert_eq!(size.y > size.x, portrait, "{caption}: portrait {portrait}");
        let mut runs = Vec::new();
        sized_runs(&page.frame, 1.0, &mut runs);
        // The largest run with the cell's text: the table's (the cascading tree on T-C.25's
        // page quotes the same target smaller).
        let at = runs
            .iter()
            .filter(|(t, _)| t.contains(cell))
            .map(|(_, s)| *s)
            .fold(0.0, f64::max);
        assert!(at >= smallest - 0.01, "{caption} prints at {at} pt");
    }
}
