//! A deterministic generator of batches of realistic units, for the batch benchmark
//! (`cargo bench --bench batch`) and the `gen-batch` example.
//!
//! Each unit is a copy of the sample unit (`input/kecamatan-kanigaran`) made distinct and big:
//!
//! * `renstra.toml` with its own name and bidang urusan code; `naskah/` copied as it is;
//! * a generated T-C.24 budget (`anggaran-realisasi-2019-2023`) of 200–500 sub kegiatan under
//!   5–10 programs, anggaran, realisasi and rasio for 2019–2023, in xlsx for even units and in
//!   semicolon CSV with Indonesian number formatting for odd ones;
//! * a generated T-C.27 plan (`rencana-program-2025-2026`) for 2025–2026 over the same codes, in
//!   the other format;
//! * the sample's other workbooks (T-C.23, SWOT, kepegawaian, permasalahan, strategi,
//!   tujuan-sasaran: csv, xls, ods and xlsx) copied byte for byte.
//!
//! The figures are consistent by construction (every parent the sum of its children, the stated
//! JUMLAH the sum of the programs, the ratios right), then a few deliberate mistakes are made per
//! unit, like the ones found in real workbooks, so the checks have something to find.
//!
//! Everything is derived from fixed seeds: the same number of units gives byte-identical files.
//! Money is held in [`Decimal`]; only the numeric cells of an xlsx are `f64`, because that is how
//! the format stores numbers.

use std::error::Error;
use std::path::Path;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet};

/// The result type of the generator.
pub(crate) type GenResult<T> = Result<T, Box<dyn Error + Send + Sync>>;

/// Evaluation years of T-C.24.
pub(crate) const YEARS: [i32; 5] = [2019, 2020, 2021, 2022, 2023];
/// Plan years of T-C.27.
pub(crate) const PLAN_YEARS: [i32; 2] = [2025, 2026];

/// Sample files that are copied into every unit as they are (the generated kinds excluded).
const COPIED: [&str; 7] = [
    "analisis-swot.csv",
    "kepegawaian-sarpras.xls",
    "kinerja-pelayanan-2019-2023.csv",
    "permasalahan-isu.ods",
    "skor-strategi-swot.csv",
    "strategi-kebijakan.xlsx",
    "tujuan-sasaran-iku.xlsx",
];

/// Kinds of unit with their bidang urusan code (Permendagri 90/2019).
const KINDS: [(&str, &str); 12] = [
    ("Dinas Pendidikan", "1.01"),
    ("Dinas Kesehatan", "1.02"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "1.03"),
    ("Dinas Perumahan dan Kawasan Permukiman", "1.04"),
    ("Satuan Polisi Pamong Praja", "1.05"),
    ("Dinas Sosial", "1.06"),
    ("Dinas Tenaga Kerja", "2.07"),
    ("Dinas Lingkungan Hidup", "2.11"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "2.12"),
    ("Dinas Perhubungan", "2.15"),
    ("Dinas Komunikasi dan Informatika", "2.16"),
    ("Kecamatan", "7.01"),
];

const TOPICS: [&str; 16] = [
    "Pelayanan Publik",
    "Pemberdayaan Masyarakat",
    "Pengelolaan Data dan Informasi",
    "Peningkatan Kapasitas Aparatur",
    "Sarana dan Prasarana Lingkungan",
    "Ketenteraman dan Ketertiban Umum",
    "Pembinaan Lembaga Kemasyarakatan",
    "Pengembangan Ekonomi Lokal",
    "Pengendalian Pencemaran",
    "Perlindungan Sosial",
    "Pembangunan Infrastruktur Dasar",
    "Penanggulangan Bencana",
    "Kesehatan Masyarakat",
    "Pendidikan Nonformal",
    "Kearsipan dan Dokumentasi",
    "Perencanaan dan Evaluasi Pembangunan",
];

const ACTIONS: [&str; 12] = [
    "Penyediaan",
    "Fasilitasi",
    "Koordinasi",
    "Pembinaan",
    "Pemeliharaan",
    "Penyusunan",
    "Pelaksanaan",
    "Pengadaan",
    "Sosialisasi",
    "Monitoring dan Evaluasi",
    "Peningkatan",
    "Pengelolaan",
];

const OBJECTS: [&str; 12] = [
    "Dokumen Perencanaan",
    "Kelompok Masyarakat",
    "Sarana Kantor",
    "Data Kependudukan",
    "Jaringan Irigasi Kecil",
    "Posyandu dan Pos Kesehatan",
    "Lembaga Kemasyarakatan Kelurahan",
    "Pelaku Usaha Mikro",
    "Ruang Terbuka Hijau",
    "Sistem Informasi Pelayanan",
    "Kendaraan Dinas Operasional",
    "Forum Koordinasi Pimpinan",
];

/// The sample's kelurahan, spelled as in its `renstra.toml`.
const KELURAHAN: [&str; 6] = [
    "Kanigaran",
    "Kebonsari Kulon",
    "Kebonsari Wetan",
    "Curahgrinting",
    "Sukoharjo",
    "Tisnonegaran",
];

/// A small deterministic generator (a 64-bit LCG, as in the clean-unit test).
pub(crate) struct Lcg(u64);

impl Lcg {
    /// A generator from a seed.
    pub(crate) fn new(seed: u64) -> Lcg {
        let mut rng = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
        rng.next(2);
        rng
    }

    /// A number in `0..below`.
    pub(crate) fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }

    /// A number in `low..=high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next(high - low + 1)
    }

    /// True with probability `percent` / 100.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next(100) < percent
    }
}

/// What a generated batch holds.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct BatchStats {
    /// Units written.
    pub(crate) units: usize,
    /// Sub kegiatan over all units.
    pub(crate) sub_kegiatan: usize,
    /// Rows of T-C.27 over all units.
    pub(crate) plan_rows: usize,
    /// Deliberate mistakes made over all units.
    pub(crate) mistakes: usize,
    /// Bytes written.
    pub(crate) bytes: u64,
}

/// The folder name of unit `index` (0-based) of a batch.
pub(crate) fn unit_folder(index: usize) -> String {
    format!("unit-{:03}", index + 1)
}

/// Writes `units` units into `out` (created if needed), from the sample unit at `sample`.
pub(crate) fn generate_batch(sample: &Path, out: &Path, units: usize) -> GenResult<BatchStats> {
    std::fs::create_dir_all(out)?;
    let config = std::fs::read_to_string(sample.join("renstra.toml"))?;
    let mut stats = BatchStats::default();
    for index in 0..units {
        let unit = generate_unit(sample, &config, &out.join(unit_folder(index)), index)?;
        stats.units += 1;
        stats.sub_kegiatan += unit.sub_kegiatan;
        stats.plan_rows += unit.plan_rows;
        stats.mistakes += unit.mistakes;
        stats.bytes += unit.bytes;
    }
    Ok(stats)
}

/// One line of the program tree with its figures per evaluation year (`None`: blank cell).
#[derive(Debug, Clone)]
struct Line {
    kode: String,
    uraian: String,
    lokasi: String,
    level: Level,
    anggaran: [Option<Decimal>; 5],
    realisasi: [Option<Decimal>; 5],
    /// Cells written differently from the figure (deliberate mistakes), by column index.
    overrides: Vec<(usize, Cell)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Program,
    Kegiatan,
    Sub,
    Total,
}

/// A cell as written.
#[derive(Debug, Clone)]
enum Cell {
    Blank,
    Text(String),
    Money(Decimal),
    Ratio(Decimal),
}

/// The sum of the children's figures; blank when every child is blank.
fn sum_of(
    children: &[&Line],
    pick: impl Fn(&Line) -> [Option<Decimal>; 5],
) -> [Option<Decimal>; 5] {
    let mut out = [None; 5];
    for child in children {
        for (o, v) in out.iter_mut().zip(pick(child)) {
            if let Some(v) = v {
                *o = Some(o.unwrap_or(Decimal::ZERO) + v);
            }
        }
    }
    out
}

/// The ratio as a careful officer types it: realisasi / anggaran × 100, half-up to two places.
fn ratio(anggaran: Option<Decimal>, realisasi: Option<Decimal>) -> Option<Decimal> {
    match (anggaran, realisasi) {
        (Some(a), Some(r)) if !a.is_zero() => Some(
            (r / a * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        ),
        _ => None,
    }
}

/// Indonesian number formatting: `1.234.567,89` (decimals only when there are cents).
pub(crate) fn id_number(value: Decimal) -> String {
    let value = value.normalize();
    let negative = value.is_sign_negative() && !value.is_zero();
    let text = value.abs().to_string();
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if negative { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac:0<2}")
    }
}

struct UnitStats {
    sub_kegiatan: usize,
    plan_rows: usize,
    mistakes: usize,
    bytes: u64,
}

/// Rupiah between `low` and `high` thousand, in whole thousands.
fn thousands(rng: &mut Lcg, low: u64, high: u64) -> Decimal {
    Decimal::from(rng.between(low, high) * 1_000)
}

fn generate_unit(sample: &Path, config: &str, dir: &Path, index: usize) -> GenResult<UnitStats> {
    let mut rng = Lcg::new(1_000_003 * (index as u64 + 1));
    let (kind, bidang) = KINDS[index % KINDS.len()];
    let name = format!("{kind} Sintetis {:03}", index + 1);
    std::fs::create_dir_all(dir.join("naskah"))?;
    let mut bytes = 0u64;

    // renstra.toml: the sample's, with this unit's name and bidang urusan.
    let toml = config
        .replacen(
            "nama = \"Kecamatan Kanigaran\"",
            &format!("nama = \"{name}\""),
            1,
        )
        .replacen(
            "kode_bidang = \"7.01\"",
            &format!("kode_bidang = \"{bidang}\""),
            1,
        );
    std::fs::write(dir.join("renstra.toml"), &toml)?;
    bytes += toml.len() as u64;
    for file in COPIED {
        bytes += std::fs::copy(sample.join(file), dir.join(file))?;
    }
    let mut naskah: Vec<_> = std::fs::read_dir(sample.join("naskah"))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name())
        .collect();
    naskah.sort();
    for file in naskah {
        bytes += std::fs::copy(
            sample.join("naskah").join(&file),
            dir.join("naskah").join(&file),
        )?;
    }

    let subs_wanted = rng.between(200, 500) as usize;
    let mut lines = budget_tree(&mut rng, bidang, subs_wanted);
    let mut mistakes = budget_mistakes(&mut rng, &mut lines);
    let sub_kegiatan = lines.iter().filter(|l| l.level == Level::Sub).count();
    let budget = budget_grid(&name, &lines);
    let mut plan = plan_rows(&mut rng, &lines);
    mistakes += plan_mistakes(&mut rng, &mut plan);
    let plan_grid = plan_grid(&name, &plan);
    let (budget_ext, plan_ext) = if index.is_multiple_of(2) {
        ("xlsx", "csv")
    } else {
        ("csv", "xlsx")
    };
    bytes += write_grid(
        &dir.join(format!("anggaran-realisasi-2019-2023.{budget_ext}")),
        "Rekap 2019-2023",
        &budget,
    )?;
    bytes += write_grid(
        &dir.join(format!("rencana-program-2025-2026.{plan_ext}")),
        "Renstra 2025-2026",
        &plan_grid,
    )?;
    Ok(UnitStats {
        sub_kegiatan,
        plan_rows: plan.len(),
        mistakes,
        bytes,
    })
}

/// The consistent budget tree: programs, each followed by its kegiatan, each followed by its sub
/// kegiatan, then the JUMLAH row.
fn budget_tree(rng: &mut Lcg, bidang: &str, subs_wanted: usize) -> Vec<Line> {
    let programs = rng.between(5, 10) as usize;
    // Kegiatan per program, then sub kegiatan spread over every kegiatan (at least one each).
    let kegiatan_per: Vec<usize> = (0..programs).map(|_| rng.between(3, 7) as usize).collect();
    let kegiatan_total: usize = kegiatan_per.iter().sum();
    let mut subs_per = vec![1usize; kegiatan_total];
    for _ in kegiatan_total..subs_wanted.max(kegiatan_total) {
        let k = rng.next(kegiatan_total as u64) as usize;
        subs_per[k] += 1;
    }

    let mut out = Vec::new();
    let mut program_rows = Vec::new();
    let mut k_index = 0;
    for (p, &kegiatan_count) in kegiatan_per.iter().enumerate() {
        let p = p + 1;
        // Program 01 is the supporting program, written with the X.XX placeholder as the
        // standard nomenclature prints it.
        let (prefix, program_name) = if p == 1 {
            (
                "X.XX.01".to_string(),
                "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA".to_string(),
            )
        } else {
            let topic = TOPICS[rng.next(TOPICS.len() as u64) as usize];
            (
                format!("{bidang}.{p:02}"),
                format!("PROGRAM {}", topic.to_uppercase()),
            )
        };
        let program_at = out.len();
        out.push(Line {
            kode: prefix.clone(),
            uraian: program_name,
            lokasi: String::new(),
            level: Level::Program,
            anggaran: [None; 5],
            realisasi: [None; 5],
            overrides: Vec::new(),
        });
        let mut kegiatan_rows = Vec::new();
        for k in 1..=kegiatan_count {
            let topic = TOPICS[rng.next(TOPICS.len() as u64) as usize];
            let kegiatan_at = out.len();
            out.push(Line {
                kode: format!("{prefix}.2.{k:02}"),
                uraian: format!("Kegiatan {topic} {k}"),
                lokasi: String::new(),
                level: Level::Kegiatan,
                anggaran: [None; 5],
                realisasi: [None; 5],
                overrides: Vec::new(),
            });
            // Sub kegiatan that began in 2021 (the new nomenclature) have no 2019-2020 figures.
            let since = if rng.chance(15) { 2 } else { 0 };
            let mut sub_rows = Vec::new();
            for s in 1..=subs_per[k_index] {
                let action = ACTIONS[rng.next(ACTIONS.len() as u64) as usize];
                let object = OBJECTS[rng.next(OBJECTS.len() as u64) as usize];
                let lokasi = if rng.chance(30) {
                    KELURAHAN[rng.next(KELURAHAN.len() as u64) as usize].to_string()
                } else {
                    String::new()
                };
                let mut anggaran = [None; 5];
                let mut realisasi = [None; 5];
                let base = rng.between(5_000, 900_000);
                for y in since..5 {
                    // A budget that moves by up to ±20 % a year, in whole thousands.
                    let a = Decimal::from((base * rng.between(80, 120) / 100) * 1_000);
                    // Realisasi 55-100 %, to the sen.
                    let share = Decimal::new(rng.between(5_500, 10_000) as i64, 4);
                    anggaran[y] = Some(a);
                    realisasi[y] = Some((a * share).round_dp(2));
                }
                sub_rows.push(out.len());
                out.push(Line {
                    kode: format!("{prefix}.2.{k:02}.{s:04}"),
                    uraian: format!("{action} {object}"),
                    lokasi,
                    level: Level::Sub,
                    anggaran,
                    realisasi,
                    overrides: Vec::new(),
                });
            }
            k_index += 1;
            let children: Vec<&Line> = sub_rows.iter().map(|&i| &out[i]).collect();
            let (a, r) = (
                sum_of(&children, |l| l.anggaran),
                sum_of(&children, |l| l.realisasi),
            );
            out[kegiatan_at].anggaran = a;
            out[kegiatan_at].realisasi = r;
            kegiatan_rows.push(kegiatan_at);
        }
        let children: Vec<&Line> = kegiatan_rows.iter().map(|&i| &out[i]).collect();
        let (a, r) = (
            sum_of(&children, |l| l.anggaran),
            sum_of(&children, |l| l.realisasi),
        );
        out[program_at].anggaran = a;
        out[program_at].realisasi = r;
        program_rows.push(program_at);
    }
    let children: Vec<&Line> = program_rows.iter().map(|&i| &out[i]).collect();
    let (a, r) = (
        sum_of(&children, |l| l.anggaran),
        sum_of(&children, |l| l.realisasi),
    );
    out.push(Line {
        kode: String::new(),
        uraian: "JUMLAH".into(),
        lokasi: String::new(),
        level: Level::Total,
        anggaran: a,
        realisasi: r,
        overrides: Vec::new(),
    });
    out
}

/// Budget columns: Kode, Uraian, Lokasi, then anggaran, realisasi and rasio for each year.
const ANGGARAN_COL: usize = 3;
const REALISASI_COL: usize = ANGGARAN_COL + 5;
const RASIO_COL: usize = REALISASI_COL + 5;

/// Two to five mistakes of the kinds real budget workbooks hold; returns how many were made.
fn budget_mistakes(rng: &mut Lcg, lines: &mut [Line]) -> usize {
    let count = rng.between(2, 5) as usize;
    let pick = |rng: &mut Lcg, lines: &[Line], level: Level, year: usize| -> Option<usize> {
        let candidates: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].level == level && lines[i].anggaran[year].is_some())
            .collect();
        (!candidates.is_empty()).then(|| candidates[rng.next(candidates.len() as u64) as usize])
    };
    let mut made = 0;
    for _ in 0..count {
        let year = rng.between(2, 4) as usize;
        match rng.next(5) {
            // A kegiatan's anggaran mistyped: it is no longer the sum of its sub kegiatan.
            0 => {
                if let Some(i) = pick(rng, lines, Level::Kegiatan, year) {
                    let wrong = lines[i].anggaran[year].unwrap_or_default()
                        + Decimal::from(rng.between(1, 99) * 100_000);
                    lines[i]
                        .overrides
                        .push((ANGGARAN_COL + year, Cell::Money(wrong)));
                    made += 1;
                }
            }
            // A stated ratio that does not follow from its row.
            1 => {
                if let Some(i) = pick(rng, lines, Level::Sub, year) {
                    let right = ratio(lines[i].anggaran[year], lines[i].realisasi[year]);
                    let wrong =
                        right.unwrap_or_default() + Decimal::new(rng.between(100, 900) as i64, 2);
                    lines[i]
                        .overrides
                        .push((RASIO_COL + year, Cell::Ratio(wrong)));
                    made += 1;
                }
            }
            // Thousands grouped wrongly, as typed by hand: "12.345.67,00".
            2 => {
                if let Some(i) = pick(rng, lines, Level::Sub, year) {
                    let value = lines[i].realisasi[year].unwrap_or_default().trunc();
                    let text = id_number(value);
                    let broken = match text.rfind('.') {
                        Some(at) => format!("{}{},00", &text[..at], &text[at..text.len() - 1]),
                        None => format!("{text}.0"),
                    };
                    lines[i]
                        .overrides
                        .push((REALISASI_COL + year, Cell::Text(broken)));
                    made += 1;
                }
            }
            // The stated JUMLAH off by a mistyped digit.
            3 => {
                if let Some(i) = pick(rng, lines, Level::Total, year) {
                    let wrong = lines[i].anggaran[year].unwrap_or_default()
                        + Decimal::from(rng.between(1, 9) * 1_000_000);
                    lines[i]
                        .overrides
                        .push((ANGGARAN_COL + year, Cell::Money(wrong)));
                    made += 1;
                }
            }
            // Realisasi above anggaran on a sub kegiatan (the parents follow it, as in SIPD).
            _ => {
                if let Some(i) = pick(rng, lines, Level::Sub, year) {
                    let wrong = lines[i].anggaran[year].unwrap_or_default()
                        + Decimal::from(rng.between(1, 50) * 10_000);
                    let delta = wrong - lines[i].realisasi[year].unwrap_or_default();
                    lines[i].realisasi[year] = Some(wrong);
                    // Keep the parents the sums: walk back to the kegiatan, the program and on
                    // to the JUMLAH.
                    let mut seen_kegiatan = false;
                    let mut seen_program = false;
                    for j in (0..i).rev() {
                        let level = lines[j].level;
                        if (level == Level::Kegiatan && !seen_kegiatan)
                            || (level == Level::Program && !seen_program)
                        {
                            if let Some(r) = lines[j].realisasi[year].as_mut() {
                                *r += delta;
                            }
                            seen_kegiatan |= level == Level::Kegiatan;
                            seen_program |= level == Level::Program;
                        }
                        if seen_program {
                            break;
                        }
                    }
                    if let Some(total) = lines.last_mut()
                        && let Some(r) = total.realisasi[year].as_mut()
                    {
                        *r += delta;
                    }
                    made += 1;
                }
            }
        }
    }
    made
}

/// A grid of cells: rows of columns.
type Grid = Vec<Vec<Cell>>;

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn money(v: Option<Decimal>) -> Cell {
    v.map_or(Cell::Blank, Cell::Money)
}

fn budget_grid(name: &str, lines: &[Line]) -> Grid {
    let mut grid: Grid = vec![
        vec![text("PEMERINTAH KOTA SINTETIS")],
        vec![text(name.to_uppercase())],
        vec![text(
            "REKAPITULASI ANGGARAN DAN REALISASI PROGRAM, KEGIATAN DAN SUB KEGIATAN TAHUN 2019-2023",
        )],
        vec![],
    ];
    let mut header = vec![
        text("Kode"),
        text("Program / Kegiatan / Sub Kegiatan"),
        text("Lokasi"),
    ];
    for word in ["Anggaran", "Realisasi", "Rasio"] {
        header.extend(YEARS.iter().map(|y| text(format!("{word} {y}"))));
    }
    grid.push(header);
    for line in lines {
        let mut row = vec![text(&line.kode), text(&line.uraian), text(&line.lokasi)];
        row.extend(line.anggaran.iter().map(|v| money(*v)));
        row.extend(line.realisasi.iter().map(|v| money(*v)));
        row.extend(
            (0..5).map(|y| {
                ratio(line.anggaran[y], line.realisasi[y]).map_or(Cell::Blank, Cell::Ratio)
            }),
        );
        for (col, cell) in &line.overrides {
            row[*col] = cell.clone();
        }
        grid.push(row);
    }
    grid
}

/// One row of T-C.27.
#[derive(Debug, Clone)]
struct PlanRow {
    tujuan: String,
    sasaran: String,
    kode: String,
    uraian: String,
    indikator: String,
    awal: String,
    target: [String; 2],
    rp: [Decimal; 2],
    akhir_target: String,
    akhir_rp: Decimal,
    lokasi: String,
}

/// The plan over the budget's codes: every program, kegiatan and sub kegiatan with a 2023 budget,
/// its Rp grown from 2023, kegiatan and programs the sums of their rows.
fn plan_rows(rng: &mut Lcg, lines: &[Line]) -> Vec<PlanRow> {
    let mut rows: Vec<PlanRow> = Vec::new();
    let mut levels: Vec<Level> = Vec::new();
    let mut first_program = true;
    for line in lines {
        if line.level == Level::Total || line.anggaran[4].is_none() {
            continue;
        }
        let (indikator, awal, target, akhir) = match line.level {
            Level::Sub => {
                let n = rng.between(1, 24);
                let unit =
                    ["laporan", "dokumen", "kegiatan", "kelompok", "unit"][rng.next(5) as usize];
                (
                    format!("Jumlah {} yang terlaksana", line.uraian),
                    format!("{n} {unit}"),
                    [format!("{n} {unit}"), format!("{n} {unit}")],
                    format!("{n} {unit}"),
                )
            }
            _ => {
                let start = rng.between(70, 90);
                let (t1, t2) = (start + 1, start + 2);
                (
                    format!("Persentase capaian {}", line.uraian.to_lowercase()),
                    format!("{start}%"),
                    [format!("{t1}%"), format!("{t2}%")],
                    format!("{t2}%"),
                )
            }
        };
        let (tujuan, sasaran) = if line.level == Level::Program && first_program {
            first_program = false;
            (
                "Meningkatnya kualitas penyelenggaraan urusan pemerintahan".to_string(),
                "Meningkatnya kinerja pelayanan perangkat daerah".to_string(),
            )
        } else {
            (String::new(), String::new())
        };
        let rp = if line.level == Level::Sub {
            let a2023 = line.anggaran[4].unwrap_or_default();
            let y1 = (a2023 * Decimal::new(rng.between(95, 115) as i64, 2) / Decimal::from(1_000))
                .round()
                * Decimal::from(1_000);
            let y2 = (y1 * Decimal::new(rng.between(100, 110) as i64, 2) / Decimal::from(1_000))
                .round()
                * Decimal::from(1_000);
            [y1, y2]
        } else {
            [Decimal::ZERO; 2]
        };
        levels.push(line.level);
        rows.push(PlanRow {
            tujuan,
            sasaran,
            kode: line.kode.clone(),
            uraian: line.uraian.clone(),
            indikator,
            awal,
            target,
            rp,
            akhir_target: akhir,
            akhir_rp: Decimal::ZERO,
            lokasi: line.lokasi.clone(),
        });
    }
    // Parents are the sums of the rows below them, back to front.
    let mut kegiatan_sum = [Decimal::ZERO; 2];
    let mut program_sum = [Decimal::ZERO; 2];
    for i in (0..rows.len()).rev() {
        match levels[i] {
            Level::Sub => {
                for (sum, rp) in kegiatan_sum.iter_mut().zip(rows[i].rp) {
                    *sum += rp;
                }
            }
            Level::Kegiatan => {
                rows[i].rp = kegiatan_sum;
                for (sum, rp) in program_sum.iter_mut().zip(kegiatan_sum) {
                    *sum += rp;
                }
                kegiatan_sum = [Decimal::ZERO; 2];
            }
            Level::Program => {
                rows[i].rp = program_sum;
                program_sum = [Decimal::ZERO; 2];
            }
            Level::Total => {}
        }
    }
    for row in &mut rows {
        row.akhir_rp = row.rp[0] + row.rp[1];
    }
    rows
}

/// One to three plan mistakes: an end-of-period Rp that is not the sum of the years, a kegiatan
/// that is not the sum of its sub kegiatan, an end-of-period target that is not the last year's.
fn plan_mistakes(rng: &mut Lcg, rows: &mut [PlanRow]) -> usize {
    if rows.is_empty() {
        return 0;
    }
    let count = rng.between(1, 3) as usize;
    for _ in 0..count {
        let i = rng.next(rows.len() as u64) as usize;
        match rng.next(3) {
            0 => rows[i].akhir_rp += Decimal::from(rng.between(1, 9) * 10_000_000),
            1 => {
                rows[i].rp[1] += Decimal::from(rng.between(1, 9) * 1_000_000);
                rows[i].akhir_rp = rows[i].rp[0] + rows[i].rp[1];
            }
            _ => rows[i].akhir_target = rows[i].target[0].clone(),
        }
    }
    count
}

fn plan_grid(name: &str, rows: &[PlanRow]) -> Grid {
    let mut grid: Grid = vec![
        vec![text(format!(
            "RENCANA PROGRAM, KEGIATAN DAN PENDANAAN {}",
            name.to_uppercase()
        ))],
        vec![text("PERIODE 2025-2026")],
        vec![],
    ];
    let mut header: Vec<Cell> = [
        "Tujuan",
        "Sasaran",
        "Kode",
        "Program / Kegiatan / Sub Kegiatan",
        "Indikator Kinerja",
        "Data Capaian Awal 2024",
    ]
    .into_iter()
    .map(text)
    .collect();
    for y in PLAN_YEARS {
        header.push(text(format!("{y} Target")));
        header.push(text(format!("{y} Rp")));
    }
    header.extend(
        [
            "Kondisi Akhir Target",
            "Kondisi Akhir Rp",
            "Unit Kerja Penanggung Jawab",
            "Lokasi",
        ]
        .into_iter()
        .map(text),
    );
    grid.push(header);
    for row in rows {
        grid.push(vec![
            text(&row.tujuan),
            text(&row.sasaran),
            text(&row.kode),
            text(&row.uraian),
            text(&row.indikator),
            text(&row.awal),
            text(&row.target[0]),
            Cell::Money(row.rp[0]),
            text(&row.target[1]),
            Cell::Money(row.rp[1]),
            text(&row.akhir_target),
            Cell::Money(row.akhir_rp),
            text("Sekretariat"),
            text(&row.lokasi),
        ]);
    }
    grid
}

/// Writes a grid as xlsx (numbers as numbers) or as semicolon CSV with a BOM (numbers in
/// Indonesian formatting), by the file's extension; returns the bytes written.
fn write_grid(path: &Path, sheet_name: &str, grid: &Grid) -> GenResult<u64> {
    let bytes = if path.extension().is_some_and(|e| e == "csv") {
        csv_bytes(grid)?
    } else {
        xlsx_bytes(sheet_name, grid)?
    };
    std::fs::write(path, &bytes)?;
    Ok(bytes.len() as u64)
}

fn csv_bytes(grid: &Grid) -> GenResult<Vec<u8>> {
    let mut out = String::from("\u{feff}");
    for row in grid {
        let fields: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Cell::Blank => String::new(),
                Cell::Text(t) if t.contains([';', '"', '\n']) => {
                    format!("\"{}\"", t.replace('"', "\"\""))
                }
                Cell::Text(t) => t.clone(),
                Cell::Money(v) | Cell::Ratio(v) => id_number(*v),
            })
            .collect();
        // An empty row stays an empty line, as a spreadsheet exports it.
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    Ok(out.into_bytes())
}

fn xlsx_bytes(sheet_name: &str, grid: &Grid) -> GenResult<Vec<u8>> {
    let mut book = Workbook::new();
    // A fixed creation date keeps the file byte-identical from run to run.
    book.set_properties(
        &DocProperties::new()
            .set_author("renstra gen-batch")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2024, 1, 2)?),
    );
    let sheet: &mut Worksheet = book.add_worksheet().set_name(sheet_name)?;
    for (r, row) in grid.iter().enumerate() {
        let r = r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Blank => {}
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) => {
                    sheet.write_string(r, c, t)?;
                }
                // xlsx stores numbers as doubles: the conversion happens here, at the file.
                Cell::Money(v) | Cell::Ratio(v) => {
                    let number = v.to_f64().ok_or("amount out of range")?;
                    sheet.write_number(r, c, number)?;
                }
            }
        }
    }
    Ok(book.save_to_buffer()?)
}
