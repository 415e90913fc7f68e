//! The proposed readings of the sample's malformed T-C.24 amounts, each worked out by hand from
//! the workbook (values read with openpyxl; quotients with Python's `decimal`, 40 digits). A
//! reading is the written digits with a lost zero or digit put back into a short group, or with
//! a misplaced separator; it is proposed only when the other figures confirm it.

use renstra::model::{Rule, Severity};
use renstra::tables::Shown;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::common::BUILT;

const WORKBOOK: &str = "anggaran-realisasi-2019-2023.xlsx";

/// (cell, as written, the reading, why: the arithmetic that confirms it).
const CONFIRMED: &[(&str, &str, Decimal, &str)] = &[
    (
        "L41",
        "495.769540",
        dec!(495769540),
        "495 769 540 / 2 079 302 180 × 100 = 23,8431 → Q41 23.84",
    ),
    (
        "L42",
        "495.769540",
        dec!(495769540),
        "same figures, Q42 23.84",
    ),
    (
        "K49",
        "909.831.00,00",
        dec!(909831000),
        "909 831 000 / 1 739 150 840 × 100 = 52,3147 → P49 52.315",
    ),
    (
        "E50",
        "28.500.00,00",
        dec!(28500000),
        "28 050 000 / 28 500 000 × 100 = 98,4211 → O50 98.42",
    ),
    (
        "E51",
        "74.200.00,00",
        dec!(74200000),
        "E49 1 241 078 750 = 28 500 000 + 74 200 000 + 113 821 250 + 135 000 000 + 140 000 000 + \
         115 000 000 + 248 600 000 + 176 800 000 + 75 157 500 + 35 600 000 + 22 800 000 + 75 600 000",
    ),
    (
        "K56",
        "221.958.90,00",
        dec!(221958900),
        "221 958 900 / 224 499 900 × 100 = 98,8682 → P56 98.868; and K49 below",
    ),
    (
        "K57",
        "176.775.30,00",
        dec!(176775300),
        "176 775 300 / 179 749 740 × 100 = 98,3452 → P57 98.345",
    ),
    (
        "K58",
        "119.200.00,00",
        dec!(119200000),
        "119 200 000 / 125 000 000 × 100 = 95,36 → P58 95.36",
    ),
    (
        "E59",
        "35.600.00,00",
        dec!(35600000),
        "32 462 500 / 35 600 000 × 100 = 91,1868 → O59 91.19",
    ),
    (
        "K59",
        "55.580.00,00",
        dec!(55580000),
        "55 580 000 / 68 380 000 × 100 = 81,2811 → P59 81.281",
    ),
    (
        "E60",
        "22.800.00,00",
        dec!(22800000),
        "21 400 000 / 22 800 000 × 100 = 93,8596 → O60 93.86",
    ),
    (
        "K60",
        "145.525.00,00",
        dec!(145525000),
        "145 525 000 / 155 000 000 × 100 = 93,8871 → P60 93.887",
    ),
    (
        "E61",
        "75.600.00,00",
        dec!(75600000),
        "72 800 000 / 75 600 000 × 100 = 96,2963 → O61 96.3",
    ),
    (
        "K61",
        "190.791.80,00",
        dec!(190791800),
        "K49 909 831 000 = 221 958 900 + 176 775 300 + 119 200 000 + 55 580 000 + 145 525 000 + 190 791 800",
    ),
    (
        "E76",
        "58.200.00,00",
        dec!(58200000),
        "E74 270 726 000 − E75 212 526 000 = 58 200 000",
    ),
    (
        "E81",
        "10.933,294.372,00",
        dec!(10933294372),
        "9 377 121 143 / 10 933 294 372 × 100 = 85,7667 → O81 85.77",
    ),
    (
        "G81",
        "8.737,01.069,00",
        dec!(8737001069),
        "2 876 265 085 / 8 737 001 069 × 100 = 32,9205 → Q81 32.92",
    ),
    (
        "J81",
        "9.377.121,143,00",
        dec!(9377121143),
        "the same ratio, O81 85.77",
    ),
    (
        "K81",
        "8.620.410,741,00",
        dec!(8620410741),
        "K82 8 300 600 311 + K83 319 810 430 = 8 620 410 741",
    ),
    (
        "L81",
        "2.876,265.085-",
        dec!(2876265085),
        "the ratio of G81, Q81 32.92",
    ),
    (
        "E82",
        "10.358,55.092,00",
        dec!(10358555092),
        "E81 10 933 294 372 − E83 574 739 280 = 10 358 555 092",
    ),
    (
        "G82",
        "8.356,872.719,00",
        dec!(8356872719),
        "2 794 213 005 / 8 356 872 719 × 100 = 33,4361 → Q82 33.43 (truncated)",
    ),
    (
        "J82",
        "8.836.108,993,00",
        dec!(8836108993),
        "8 836 108 993 / 10 358 555 092 × 100 = 85,3025 → O82 85.3",
    ),
    (
        "K82",
        "8.300.600,311,00",
        dec!(8300600311),
        "K81 8 620 410 741 − K83 319 810 430",
    ),
    (
        "L82",
        "2.794,213.005,00",
        dec!(2794213005),
        "the ratio of G82, Q82 33.43",
    ),
    (
        "E83",
        "574.739,280,00",
        dec!(574739280),
        "541 012 150 / 574 739 280 × 100 = 94,1318 → O83 94.13",
    ),
    (
        "F83",
        "328,446.320,00",
        dec!(328446320),
        "319 810 430 / 328 446 320 × 100 = 97,3707 → P83 97.371",
    ),
    (
        "G83",
        "380.128,350,00",
        dec!(380128350),
        "82 052 080 / 380 128 350 × 100 = 21,5854 → Q83 21.58 (truncated)",
    ),
    (
        "K83",
        "319.810,430,00",
        dec!(319810430),
        "the ratio of F83, P83 97.371",
    ),
    (
        "F87",
        "4.616.00,00",
        dec!(4616000),
        "F86 9 616 000 − F88 5 000 000 = 4 616 000",
    ),
    (
        "F88",
        "5.000.00,00",
        dec!(5000000),
        "5 000 000 / 5 000 000 × 100 = 100 → P88 100",
    ),
    (
        "E89",
        "23.570.00,00",
        dec!(23570000),
        "21 724 000 / 23 570 000 × 100 = 92,1680 → O89 92.17",
    ),
    (
        "F92",
        "3.600.00,00",
        dec!(3600000),
        "3 600 000 / 3 600 000 × 100 = 100 → P92 100",
    ),
    (
        "G92",
        "3.500.00,00",
        dec!(3500000),
        "1 150 000 / 3 500 000 × 100 = 32,8571 → Q92 32.86",
    ),
    (
        "G93",
        "5.000.00,00",
        dec!(5000000),
        "2 884 000 / 5 000 000 × 100 = 57,68 → Q93 57.68",
    ),
    (
        "L93",
        "2.884.00,00",
        dec!(2884000),
        "the same ratio, Q93 57.68",
    ),
    (
        "E94",
        "23.570.00,00",
        dec!(23570000),
        "21 724 000 / 23 570 000 × 100 = 92,1680 → O94 92.17",
    ),
    (
        "G103",
        "23.760. .500,00",
        dec!(23760500),
        "12 097 500 / 23 760 500 × 100 = 50,9143 → Q103 50.91",
    ),
    (
        "E104",
        "16.500.00,00",
        dec!(16500000),
        "16 500 000 / 16 500 000 × 100 = 100 → O104 100",
    ),
    (
        "E106",
        "14.704.18.642,00",
        dec!(14704118642),
        "the programs 1 553 058 250 + 1 599 788 220 + 270 726 000 + 11 280 546 172",
    ),
];

fn malformed(cell: &str) -> &'static renstra::model::Finding {
    BUILT
        .1
        .checked
        .findings
        .iter()
        .find(|f| {
            f.rule == Rule::AmountMalformed
                && &*f.sources[0].file == WORKBOOK
                && f.sources[0].a1() == cell
        })
        .unwrap_or_else(|| panic!("an AMOUNT-MALFORMED finding at {cell}"))
}

/// Indonesian money with two decimals, by hand: 10933294372 → `10.933.294.372,00`.
fn rupiah(d: Decimal) -> String {
    let digits = d.trunc().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out + ",00"
}

#[test]
fn every_confirmed_reading_equals_the_hand_computation() {
    for (cell, written, reading, why) in CONFIRMED {
        let f = malformed(cell);
        assert_eq!(
            f.severity,
            Severity::Error,
            "{cell} stays an error: the cell is wrong"
        );
        assert_eq!(f.written, *written, "{cell}");
        assert_eq!(f.expected, rupiah(*reading), "{cell}: {why}");
        assert!(
            f.message.contains("Usulan renstra"),
            "{cell}: {}",
            f.message
        );
    }
    // E81's reasons name the arithmetic the issue asks for: its children and its ratio.
    let e81 = &malformed("E81").message;
    assert!(e81.contains("= jumlah rincian"), "{e81}");
    assert!(e81.contains("10.358.555.092,00 + 574.739.280,00"), "{e81}");
    assert!(e81.contains("85,77"), "{e81}");
}

#[test]
fn readings_that_fit_equally_are_listed_and_none_is_proposed() {
    // F81 `9.177,12.814,00`: 8 620 410 741 over 9 177 012 814, 9 177 102 814 and 9 177 120 814
    // gives 93,93482, 93,93390 and 93,93372: all print P81's 93,934 (the first truncated), and
    // F82 (itself ambiguous) + F83 328 446 320 adds up to none, so none is proposed.
    for (cell, listed) in [
        (
            "F81",
            ["9.177.012.814,00", "9.177.102.814,00", "9.177.120.814,00"],
        ),
        // F82 `8.848,66.521,00`: 8 300 600 311 / 8 848 606 521 and / 8 848 660 521 × 100 give
        // 93,80686 and 93,80629: both print 93,806 (P82; the first truncated).
        (
            "F82",
            ["8.848.606.521,00", "8.848.660.521,00", "8.848.660.521,00"],
        ),
        // L106 `7.559.10.376,00`: 7 559 010 376 / 18 178 234 959 × 100 = 41,5829 and
        // 7 559 100 376 → 41,5834, both 41,58 (Q106); the programs' 5 142 806 733 fits neither.
        (
            "L106",
            ["7.559.010.376,00", "7.559.100.376,00", "7.559.100.376,00"],
        ),
    ] {
        let f = malformed(cell);
        assert!(f.expected.is_empty(), "{cell}: nothing proposed");
        for reading in listed {
            assert!(
                f.message.contains(reading),
                "{cell} lists {reading}: {}",
                f.message
            );
        }
    }
    // G88 `1.685.00,00`: its parent G86 (5 000 000) has no other child with a 2023 figure, and
    // 5 000 000 is not a reading of its digits; its ratio Q88 is 0. Nothing confirms a reading.
    let g88 = malformed("G88");
    assert!(g88.expected.is_empty());
    assert!(
        g88.message.contains("168.500,00, 1.685.000,00"),
        "{}",
        g88.message
    );
}

#[test]
fn a_proposal_is_shown_marked_and_the_checks_after_it_run() {
    let checked = &BUILT.1.checked;
    // 40 of the sample's 44 malformed T-C.24 amounts are proposed (the table above).
    let proposed = checked
        .findings
        .iter()
        .filter(|f| f.rule == Rule::AmountMalformed && &*f.sources[0].file == WORKBOOK)
        .filter(|f| !f.expected.is_empty())
        .count();
    assert_eq!(proposed, CONFIRMED.len());
    assert_eq!(CONFIRMED.len(), 40);
    // Penyediaan Gaji 2021 in T-C.24: the proposal, marked, with its written text.
    let row = checked
        .tc24
        .rows
        .iter()
        .find(|r| r.uraian == "Penyediaan Gaji dan Tunjangan ASN")
        .expect("the row");
    let i = checked.tc24.years.iter().position(|y| *y == 2021).unwrap();
    assert_eq!(
        row.anggaran[i],
        Shown::Proposed {
            value: dec!(10358555092),
            written: Some("10.358,55.092,00".into())
        }
    );
    // The program PENUNJANG's realisasi 2022 is summed on K81's proposal and found wrong:
    // K78 42 000 + K81 8 620 410 741 + K86 9 616 000 + K89 205 781 873 + K98 248 547 922 +
    // K101 78 560 500 = 9 162 959 036, written 9 214 907 036 in K77 (K84, K95 blank).
    let k77 = checked
        .findings
        .iter()
        .find(|f| f.rule == Rule::SumHierarchy && f.sources[0].a1() == "K77")
        .expect("a SUM-HIERARCHY finding at K77");
    assert_eq!(k77.severity, Severity::Error);
    assert_eq!(k77.expected, "9.162.959.036,00");
    assert!(
        k77.message
            .contains("usulan perbaikan renstra untuk sel K81"),
        "{}",
        k77.message
    );
}

#[test]
fn no_check_is_left_not_run_by_an_input_that_has_a_confirmed_reading() {
    use renstra::model::Rule::{PlanTotal, RatioMismatch, SumHierarchy, SumTotal};
    let checked = &BUILT.1.checked;
    // Every check the sample cannot run, with the malformed cell that stops it (read with
    // openpyxl from the workbooks): none of those cells has a confirmed reading.
    let expected: &[(Rule, &str, &[&str])] = &[
        // Program PENUNJANG 2022 anggaran: kegiatan F81 `9.177,12.814,00` (three readings fit).
        (SumHierarchy, "F77", &["F81"]),
        // Kegiatan Administrasi Keuangan 2022 anggaran: itself and F82 `8.848,66.521,00`.
        (SumHierarchy, "F81", &["F81", "F82"]),
        // Administrasi Kepegawaian 2023 anggaran: G88 `1.685.00,00` (nothing confirms a reading).
        (SumHierarchy, "G86", &["G88"]),
        (RatioMismatch, "P81", &["F81"]),
        (RatioMismatch, "P82", &["F82"]),
        (RatioMismatch, "Q88", &["G88"]),
        // JUMLAH 2023 realisasi `7.559.10.376,00` (two readings fit Q106's 41,58).
        (RatioMismatch, "Q106", &["L106"]),
        (SumTotal, "L106", &["L106"]),
    ];
    let not_run: Vec<(Rule, String)> = checked
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Info && f.message.contains("tidak dapat diperiksa"))
        .filter(|f| &*f.sources[0].file == WORKBOOK)
        .map(|f| (f.rule, f.sources[0].a1()))
        .collect();
    let mut want: Vec<(Rule, String)> = expected
        .iter()
        .map(|(r, c, _)| (*r, c.to_string()))
        .collect();
    let mut got = not_run.clone();
    want.sort_by_key(|(r, c)| (r.id(), c.clone()));
    got.sort_by_key(|(r, c)| (r.id(), c.clone()));
    assert_eq!(got, want);
    for (_, _, blockers) in expected {
        for cell in *blockers {
            assert!(
                malformed(cell).expected.is_empty(),
                "{cell} has no confirmed reading"
            );
        }
    }
    // The coverage counts the same: the T-C.24 rules' "not run" are exactly these; the plan's
    // malformed K20, K51 and M41 have confirmed readings (K20 = K6 2.080.000.000 − K7
    // 1.200.000.000 − K22 11.000.000 = 869.000.000; K51 = K52 50.000.000; M41 = M42
    // 500.000.000), so only M50 (no reading fits) stops a plan check.
    let c = &checked.coverage;
    assert_eq!(c.of(SumTotal).not_run, 1);
    assert_eq!(c.of(RatioMismatch).not_run, 4);
    assert_eq!(c.of(SumHierarchy).not_run, 3);
    assert_eq!(c.of(PlanTotal).not_run, 1);
    for (cell, reading) in [
        ("K20", "869.000.000,00"),
        ("K51", "50.000.000,00"),
        ("M41", "500.000.000,00"),
    ] {
        let f = checked
            .findings
            .iter()
            .find(|f| f.rule == Rule::AmountMalformed && f.sources[0].a1() == cell)
            .expect("the plan's malformed amount");
        assert_eq!(f.expected, reading, "{cell}");
    }
    // And checks ran on proposals: E82's ratio, Program PENUNJANG's sums, …
    assert!(c.of(SumHierarchy).on_proposal > 0 && c.of(RatioMismatch).on_proposal > 0);
}
