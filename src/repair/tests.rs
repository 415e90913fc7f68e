//! The seed's malformed amounts (Renstra Kecamatan Kanigaran, T-C.24 lines 663-698 of the text),
//! their readings, and the proposals the other figures confirm, with the arithmetic by hand.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::model::{Figure, Kode, Malformed, Sourced, YearFigures};

fn readings(raw: &str) -> Vec<Decimal> {
    Written::parse(raw)
        .map(|w| w.readings())
        .unwrap_or_default()
}

#[test]
fn the_readings_a_malformed_amount_allows() {
    // A group that lost a zero, or a misplaced separator.
    assert_eq!(
        readings("28.500.00,00"),
        vec![dec!(2850000.00), dec!(28500000.00)]
    );
    // Commas for dots: one reading only.
    assert_eq!(readings("10.933,294.372,00"), vec![dec!(10933294372.00)]);
    // A short group padded in each place.
    assert_eq!(
        readings("221.958.90,00"),
        vec![dec!(22195890.00), dec!(221958090.00), dec!(221958900.00)]
    );
    // The no-cents mark twice; a lost separator; an empty group.
    assert_eq!(readings("500.000.000,-,-"), vec![dec!(500000000)]);
    assert_eq!(readings("495.769540"), vec![dec!(495769540)]);
    assert_eq!(
        readings("23.760. .500,00"),
        vec![dec!(23760500.00), dec!(23760000500.00)]
    );
    assert!(readings("Rp abc").is_empty());
}

#[test]
fn a_figure_the_digits_allow_may_add_only_what_the_short_groups_lack() {
    let w = Written::parse("10.358,55.092,00").expect("digits");
    // 10.358.555.092 = the written 1035855092 with one digit put into the short group `55`.
    assert!(w.allows(dec!(10358555092)));
    assert!(!w.allows(dec!(10358555093)), "a digit changed");
    assert!(
        !w.allows(dec!(103585550920)),
        "two digits added, one lacking"
    );
    assert!(!w.allows(dec!(10358555092.50)), "other cents");
}

fn src(cell: &str) -> SourceRef {
    let col = u32::from(cell.as_bytes()[0] - b'A');
    let row: u32 = cell[1..].parse().expect("a row number");
    SourceRef::at(&Arc::from("a.xlsx"), &Arc::from("Rekap"), row - 1, col)
}

fn value(text: &str) -> CellValue {
    crate::model::parse_number(text, crate::model::NumberKind::Money).value
}

fn sourced(text: &str, cell: &str) -> Option<Sourced> {
    Some(Sourced {
        value: value(text),
        source: src(cell),
        proposed: None,
    })
}

/// A line of row `row` with one year's anggaran (column E), realisasi (J) and stated ratio (O).
fn line(kode: &str, row: u32, a: &str, r: &str, ratio: &str) -> BudgetLine {
    let kode = Kode::parse(kode, None).expect("a code");
    let mut years = BTreeMap::new();
    years.insert(
        2021,
        YearFigures {
            anggaran: sourced(a, &format!("E{row}")),
            realisasi: sourced(r, &format!("J{row}")),
            rasio_tertulis: Some(Sourced {
                value: CellValue::Number(ratio.parse().expect("a ratio")),
                source: src(&format!("O{row}")),
                proposed: None,
            }),
        },
    );
    BudgetLine {
        level: kode.level(),
        kode: Some(kode),
        kode_source: None,
        level_inferred: false,
        uraian: format!("baris {row}"),
        lokasi: None,
        years: years.into_iter().map(|(y, f)| (y, Box::new(f))).collect(),
        source: src(&format!("B{row}")),
    }
}

fn confirmed(repairs: &Repairs, cell: &str) -> Option<Decimal> {
    repairs.get(&src(cell)).and_then(Repair::confirmed)
}

/// Seed lines 663-665 (workbook rows 81-83), 2021: Kegiatan Administrasi Keuangan and its two
/// sub kegiatan, every anggaran malformed and two of the realisasi.
fn administrasi_keuangan() -> Vec<BudgetLine> {
    vec![
        line("7.01.01", 77, "11280546172", "9712014733", "86.1"),
        line(
            "7.01.01.2.02",
            81,
            "10.933,294.372,00",
            "9.377.121,143,00",
            "85.77",
        ),
        line(
            "7.01.01.2.02.0001",
            82,
            "10.358,55.092,00",
            "8.836.108,993,00",
            "85.3",
        ),
        line(
            "7.01.01.2.02.0003",
            83,
            "574.739,280,00",
            "541012150",
            "94.13",
        ),
    ]
}

#[test]
fn a_chain_of_typos_resolves_from_its_readable_end() {
    let repairs = propose(&administrasi_keuangan(), &[], &[2021]);
    // E83's one reading 574.739.280 gives 541.012.150 / 574.739.280 × 100 = 94,1318 → 94,13.
    assert_eq!(confirmed(&repairs, "E83"), Some(dec!(574739280)));
    // E81's one reading and J81's: 9.377.121.143 / 10.933.294.372 × 100 = 85,7667 → 85,77.
    assert_eq!(confirmed(&repairs, "E81"), Some(dec!(10933294372)));
    assert_eq!(confirmed(&repairs, "J81"), Some(dec!(9377121143)));
    // E82: its zero-padded readings all give 85,3 with J82 (85,3066, 85,3029, 85,3026), so the
    // ratio alone picks none; its parent less its sibling does:
    // 10.933.294.372 − 574.739.280 = 10.358.555.092, the written digits with one 5 restored.
    let e82 = repairs.get(&src("E82")).expect("a repair for E82");
    let Outcome::Confirmed { value, basis } = &e82.outcome else {
        panic!("E82 confirmed: {e82:?}");
    };
    assert_eq!(*value, dec!(10358555092));
    assert!(basis.contains(&Basis::ParentLessSiblings {
        parent: (src("E81"), dec!(10933294372)),
        siblings: dec!(574739280),
    }));
    // 8.836.108.993 / 10.358.555.092 × 100 = 85,3025 → 85,3: the ratio agrees.
    assert!(basis.iter().any(|b| matches!(b, Basis::StatedRatio { .. })));
}

#[test]
fn several_malformed_children_resolve_together_against_their_parent() {
    // Seed rows 49-61, realisasi 2022 (column K here as J): Kegiatan Pemberdayaan Kelurahan
    // 909.831.00,00 (its ratio 52,315 with anggaran 1.739.150.840 confirms 909.831.000:
    // 909.831.000 / 1.739.150.840 × 100 = 52,3147) and six sub kegiatan each missing a zero.
    let mut lines = vec![line(
        "7.01.03.2.02",
        49,
        "1739150840",
        "909.831.00,00",
        "52.315",
    )];
    let subs = [
        ("221.958.90,00", "224499900", "98.868"),
        ("176.775.30,00", "179749740", "98.345"),
        ("119.200.00,00", "125000000", "95.36"),
        ("55.580.00,00", "68380000", "81.281"),
        ("145.525.00,00", "155000000", "93.887"),
        ("190.791.80,00", "192499800", "99.113"),
    ];
    for (i, (r, a, ratio)) in subs.iter().enumerate() {
        lines.push(line("7.01.03.2.02.0003", 56 + i as u32, a, r, ratio));
    }
    let repairs = propose(&lines, &[], &[2021]);
    assert_eq!(confirmed(&repairs, "J49"), Some(dec!(909831000)));
    // 221.958.900 + 176.775.300 + 119.200.000 + 55.580.000 + 145.525.000 + 190.791.800
    // = 909.831.000: the only combination of their readings that gives the parent.
    let expected = [
        dec!(221958900),
        dec!(176775300),
        dec!(119200000),
        dec!(55580000),
        dec!(145525000),
        dec!(190791800),
    ];
    for (i, e) in expected.iter().enumerate() {
        assert_eq!(
            confirmed(&repairs, &format!("J{}", 56 + i)),
            Some(*e),
            "J{}",
            56 + i
        );
    }
}

#[test]
fn two_readings_that_fit_equally_are_listed_and_none_is_chosen() {
    // Seed row 56 alone: 221.958.090 / 224.499.900 × 100 = 98,8678 and 221.958.900 gives
    // 98,8682; both print 98,868.
    let lines = vec![line(
        "7.01.03.2.02.0003",
        56,
        "224499900",
        "221.958.90,00",
        "98.868",
    )];
    let repairs = propose(&lines, &[], &[2021]);
    assert_eq!(
        repairs[&src("J56")].outcome,
        Outcome::Ambiguous(vec![dec!(221958090.00), dec!(221958900.00)])
    );
    // Nothing to check a reading against: the readings are listed as unconfirmed.
    let mut alone = line("7.01.03.2.02.0003", 56, "224499900", "221.958.90,00", "0");
    alone.years.get_mut(&2021).expect("2021").rasio_tertulis = None;
    let repairs = propose(&[alone], &[], &[2021]);
    assert!(matches!(repairs[&src("J56")].outcome, Outcome::Unconfirmed(ref v) if v.len() == 3));
}

#[test]
fn a_stated_total_reads_as_the_sum_of_the_programs() {
    // Seed line 698: JUMLAH 2021 `14.704.18.642,00`; the four programs' anggaran 2021 are
    // 1.553.058.250 + 1.599.788.220 + 270.726.000 + 11.280.546.172 = 14.704.118.642.
    let lines = vec![
        line("7.01.03", 40, "1553058250", "921279667.99", "59.32"),
        line("7.01.02", 62, "1599788220", "1445415574", "90.35"),
        line("7.01.05", 73, "270726000", "261356790", "96.54"),
        line("7.01.01", 77, "11280546172", "9712014733", "86.1"),
    ];
    let figure = |role, text: &str, cell: &str| Figure {
        role,
        year: 2021,
        value: value(text),
        source: src(cell),
        proposed: None,
    };
    let mut totals = vec![StatedTotal {
        label: "JUMLAH".into(),
        figures: vec![
            figure(Role::Anggaran, "14.704.18.642,00", "E106"),
            figure(Role::Realisasi, "12340066764.99", "J106"),
            figure(Role::Rasio, "83.92", "O106"),
        ],
        source: src("B106"),
    }];
    let repairs = propose(&lines, &totals, &[2021]);
    let Outcome::Confirmed { value, basis } = &repairs[&src("E106")].outcome else {
        panic!("{:?}", repairs[&src("E106")]);
    };
    assert_eq!(*value, dec!(14704118642));
    assert!(matches!(&basis[0], Basis::SumOfChildren { parts } if parts.len() == 4));
    // Applied, the model keeps what the cell said and the proposal beside it.
    let mut lines = lines;
    apply(&repairs, &mut lines, &mut totals);
    let e106 = &totals[0].figures[0];
    assert!(matches!(
        e106.value,
        CellValue::Invalid {
            reason: Malformed::BadGroup,
            ..
        }
    ));
    assert_eq!(e106.best(), CellValue::Number(dec!(14704118642)));
}
