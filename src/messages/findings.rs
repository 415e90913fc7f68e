//! The message of every finding: what is wrong and what to do, in Bahasa Indonesia, for the
//! finance officer who opens temuan.csv. The rules decide what is wrong and format the figures;
//! the sentences are here, one function per kind of finding, in the order of the rule table.

// A sentence takes each value it places; grouping them into structs would only rename them.
#![allow(clippy::too_many_arguments)]

use std::fmt::Display;

// --- Reading amounts (AMOUNT-*, FORMULA-UNCACHED) ---

/// AMOUNT-MALFORMED: a figure in a budget column is not a valid number.
pub fn amount_malformed(column: impl Display, reason: impl Display) -> String {
    format!(
        "Angka {column} tidak sah: {reason}. Perbaiki selnya menjadi angka yang benar (contoh: 1.234.567,89)."
    )
}

/// AMOUNT-MALFORMED: a plan-year Rp of T-C.27 is not a valid number.
pub fn plan_amount_malformed(year: i32, reason: impl Display) -> String {
    format!("Angka Rp {year} tidak sah: {reason}. Perbaiki selnya (contoh: 1.234.567,89).")
}

/// AMOUNT-SCALE: an amount written a thousand times too small or too large.
pub fn amount_scale(
    role: &str,
    uraian: &str,
    year: i32,
    written: &str,
    stated_ratio: &str,
    ratio_cell: &str,
    computed: &str,
    corrected: &str,
) -> String {
    format!(
        "Angka {role} \"{uraian}\" tahun {year} ({written}) kemungkinan salah tulis 1.000 kali: rasio tertulis {stated_ratio} (sel {ratio_cell}) cocok bila angka ini {corrected}, sedangkan dari angka tertulis rasionya {computed}. Angka lain pada baris ini (tahun lain, sisi lain) seorde dengan {corrected}, bukan dengan {written}. Periksa dan perbaiki selnya; rasio dan pertumbuhan di tabel dihitung dari angka tertulis."
    )
}

/// AMOUNT-SCALE where the line has no other figure to tell which amount is off.
pub fn amount_scale_either(
    uraian: &str,
    year: i32,
    stated_ratio: &str,
    computed: &str,
    realisasi: (&str, &str),
    anggaran: (&str, &str),
) -> String {
    format!(
        "Rasio \"{uraian}\" tahun {year} tertulis {stated_ratio}, dari angka tertulis {computed}: selisihnya tepat 1.000 kali, jadi salah satu angkanya salah tulis: realisasi (sel {}) seharusnya {} atau anggaran (sel {}) seharusnya {}. Baris ini tidak punya angka lain untuk memastikan yang mana; periksa keduanya.",
        realisasi.0, realisasi.1, anggaran.0, anggaran.1
    )
}

/// AMOUNT-SPACES: spaces inside the digits, read without them.
pub fn amount_spaces(column: impl Display) -> String {
    format!(
        "Angka {column} memuat spasi di tengah digit (sisa salin-tempel); dibaca tanpa spasi. Hapus spasinya di berkas."
    )
}

/// AMOUNT-NOTE: words in a number column, kept as a note.
pub fn amount_note(column: impl Display) -> String {
    format!(
        "Kolom {column} berisi keterangan, bukan angka; dicatat sebagai keterangan dan dihitung kosong."
    )
}

/// FORMULA-UNCACHED: a formula without a stored result.
pub fn formula_uncached(column: impl Display) -> String {
    format!(
        "Sel {column} berisi rumus tanpa hasil tersimpan. Buka berkas di Excel atau LibreOffice, lalu simpan ulang agar hasil rumus ikut tersimpan."
    )
}

/// The name of a budget figure column: `Anggaran 2022`, `Realisasi 2022`, `Rasio 2022`.
pub fn figure_column(role: &str, year: i32) -> String {
    format!("{role} {year}")
}

// --- Codes and levels (KODE-*, LEVEL-INFERRED, LOCATION-SPELLING, FIGURE-CONFLICT) ---

/// KODE-MALFORMED: a code that is not a Permendagri 90/2019 code.
pub fn kode_malformed(why: impl Display) -> String {
    format!("Kode tidak sah: {why}. Perbaiki kode sesuai Kepmendagri 900.1.15.5-1317/2023.")
}

/// KODE-DUPLICATE: the same code and location twice.
pub fn kode_duplicate(kode: impl Display, uraian: &str, first: impl Display) -> String {
    format!(
        "Kode {kode} (\"{uraian}\") sudah dipakai baris lain di {first}. Satu kode hanya untuk satu baris per lokasi."
    )
}

/// KODE-PARENT-MISSING: a kegiatan or sub kegiatan without its parent line; `parent_level` is
/// the level the missing line would have.
pub fn kode_parent_missing(
    level: &str,
    kode: impl Display,
    parent_code: impl Display,
    parent_level: &str,
) -> String {
    format!(
        "{level} {kode} tidak punya baris induk {parent_code}. Tambahkan baris {parent_level} induknya."
    )
}

/// KODE-OUT-OF-PLACE: a line under a parent whose code is not a prefix of its own.
pub fn kode_out_of_place(
    level: &str,
    kode: impl Display,
    parent_level: &str,
    parent_code: impl Display,
    parent_name: &str,
) -> String {
    format!(
        "{level} {kode} berada di bawah {parent_level} {parent_code} (\"{parent_name}\"), padahal kodenya bukan turunan kode itu. Pindahkan barisnya atau perbaiki kodenya."
    )
}

/// Why a line without a code got its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelReason {
    /// Its name starts with "Sub Kegiatan".
    NamedSubKegiatan,
    /// Its name starts with "Program".
    NamedProgram,
    /// Its name starts with "Kegiatan".
    NamedKegiatan,
    /// It stands at the level of the row above.
    SameAsAbove,
    /// It is the table's first row.
    FirstRow,
}

/// LEVEL-INFERRED: a line without a code and why it got its level.
pub fn level_inferred(level: &str, why: LevelReason) -> String {
    let how = match why {
        LevelReason::NamedSubKegiatan => "namanya diawali \"Sub Kegiatan\"",
        LevelReason::NamedProgram => "namanya diawali \"Program\"",
        LevelReason::NamedKegiatan => "namanya diawali \"Kegiatan\"",
        LevelReason::SameAsAbove => "posisinya setingkat dengan baris di atasnya",
        LevelReason::FirstRow => "ia baris pertama tabel",
    };
    format!("Baris tanpa kode; dianggap {level} karena {how}. Isi kodenya bila ada.")
}

/// LOCATION-SPELLING: a location matched to the nearest kelurahan.
pub fn location_spelling(written: &str, lokasi: &str) -> String {
    format!(
        "Lokasi \"{written}\" dibaca sebagai {lokasi} (ejaan berbeda dari daftar kelurahan di renstra.toml)."
    )
}

/// FIGURE-CONFLICT: one line's figure given twice with different values.
pub fn figure_conflict(
    uraian: &str,
    role: &str,
    year: i32,
    (here, here_value): (impl Display, &str),
    (there, there_value): (impl Display, &str),
) -> String {
    format!(
        "{role} baris \"{uraian}\" tahun {year} tertulis {here_value} di {here} tetapi {there_value} di {there}; tidak satu pun dipakai (tabel menandainya). Tentukan versi yang berlaku, lalu pindahkan berkas atau lembar yang lain keluar dari folder unit."
    )
}

/// FIGURE-CONFLICT, once per pair of sheets that give figures for the same lines and years: two
/// versions of one workbook (a copy and its revision), named both, whatever their names' order.
pub fn versions(
    first: impl Display,
    second: impl Display,
    shared: usize,
    differing: usize,
) -> String {
    if differing == 0 {
        format!(
            "{first} dan {second} memuat {shared} angka untuk baris dan tahun yang sama, semuanya sama: tampaknya dua salinan satu data, dibaca sekali. Simpan satu salinan saja di folder unit agar perubahan berikutnya tidak hanya masuk ke salah satunya."
        )
    } else {
        format!(
            "{first} dan {second} memuat {shared} angka untuk baris dan tahun yang sama, {differing} di antaranya berbeda: tampaknya dua versi satu buku kerja (mis. salinan lama dan revisinya). renstra tidak memilih salah satunya: angka yang berbeda tidak dipakai sampai hanya satu versi yang tersisa. Pindahkan versi yang tidak berlaku keluar dari folder unit."
        )
    }
}

// --- Sums and ratios (SUM-*, RATIO-*, REALISASI-*) ---

/// SUM-HIERARCHY: a parent's figure is not the sum of its children's.
pub fn sum_hierarchy(
    role: &str,
    level: &str,
    uraian: &str,
    year: i32,
    written: &str,
    children: usize,
    child_level: &str,
    expected: &str,
    difference: &str,
) -> String {
    format!(
        "{role} {level} \"{uraian}\" tahun {year} ({written}) tidak sama dengan jumlah {children} {child_level}-nya ({expected}); selisih {difference}. Periksa angka induk atau rinciannya."
    )
}

/// SUM-HIERARCHY: a parent left blank while its children have figures.
pub fn sum_hierarchy_blank(
    role: &str,
    level: &str,
    uraian: &str,
    year: i32,
    children: usize,
    child_level: &str,
    expected: &str,
) -> String {
    format!(
        "{role} {level} \"{uraian}\" tahun {year} kosong, padahal jumlah {children} {child_level}-nya {expected}. Isi angka induknya (jumlah rinciannya) atau periksa rinciannya."
    )
}

/// SUM-HIERARCHY could not be checked: a figure it needs is not a number.
pub fn sum_not_checked(role: &str, level: &str, uraian: &str, year: i32) -> String {
    format!(
        "Jumlah {role} {level} \"{uraian}\" tahun {year} tidak dapat diperiksa: angka induk atau salah satu rinciannya tidak terbaca (lihat temuan AMOUNT-MALFORMED). Perbaiki angka itu agar pemeriksaan ini berjalan."
    )
}

/// SUM-TOTAL: a stated total row is not the sum of the programs.
pub fn sum_total(
    label: &str,
    role: &str,
    year: i32,
    written: &str,
    programs: usize,
    expected: &str,
    difference: &str,
) -> String {
    format!(
        "Baris {label} {role} tahun {year} ({written}) tidak sama dengan jumlah {programs} program ({expected}); selisih {difference}."
    )
}

/// SUM-TOTAL: the table's JUMLAH from the leaves up, where it differs from the programs' sum.
pub fn sum_total_leaves(table: &str) -> String {
    format!(
        " Tabel renstra menjumlah dari rincian terbawah (program = jumlah kegiatan = jumlah sub kegiatan): {table}; lihat temuan SUM-HIERARCHY untuk program yang tidak sama dengan rinciannya."
    )
}

/// SUM-TOTAL: the table's JUMLAH is the programs' sum.
pub const SUM_TOTAL_TABLE: &str = " Tabel renstra memakai jumlah yang dihitung ulang.";

/// SUM-TOTAL could not be checked: the stated total or a program's figure is not a number.
pub fn sum_total_not_checked(label: &str, role: &str, year: i32) -> String {
    format!(
        "Baris {label} {role} tahun {year} tidak dapat diperiksa terhadap jumlah program: angkanya atau angka salah satu program tidak terbaca (lihat temuan AMOUNT-MALFORMED). Perbaiki angka itu agar pemeriksaan ini berjalan."
    )
}

/// The name of a budget figure in a sentence.
pub fn role_name(anggaran: bool) -> &'static str {
    if anggaran { "anggaran" } else { "realisasi" }
}

/// How a stated ratio or capaian differs from the computed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difference {
    /// Truncated instead of rounded (RATIO-ROUNDING).
    Truncated,
    /// Wrong (RATIO-MISMATCH).
    Wrong,
}

fn difference(how: Difference) -> &'static str {
    match how {
        Difference::Truncated => "terpotong, bukan dibulatkan",
        Difference::Wrong => "tidak sesuai hasil hitung",
    }
}

/// RATIO-MISMATCH / RATIO-ROUNDING: a stated ratio of T-C.24.
pub fn ratio_differs(uraian: &str, year: i32, how: Difference, computed: &str) -> String {
    format!(
        "Rasio \"{uraian}\" tahun {year} {}; hasil hitung {computed}. Tabel renstra memakai hasil hitung.",
        difference(how)
    )
}

/// RATIO-PRECISION: a year's ratios written with another precision than the table's.
pub fn ratio_precision_column(year: i32, precision: u32, table: u32) -> String {
    format!(
        "Rasio tahun {year} ditulis dengan {precision} angka desimal, sedangkan sebagian besar tahun lain {table}. Tulis semua rasio tabel ini dengan ketelitian yang sama; tabel renstra mencetak dua desimal."
    )
}

/// RATIO-PRECISION: one ratio written with more decimals than its column.
pub fn ratio_precision_cell(year: i32, decimals: u32, column: u32) -> String {
    format!(
        "Rasio tahun {year} ini ditulis dengan {decimals} angka desimal, sedangkan rasio lain di kolomnya {column}. Tulis seragam."
    )
}

/// RATIO-MISMATCH: a ratio stated where there is no anggaran to compute it from.
pub fn ratio_without_anggaran(uraian: &str, year: i32) -> String {
    format!(
        "Rasio \"{uraian}\" tahun {year} tertulis, tetapi tidak ada anggaran untuk menghitungnya."
    )
}

/// RATIO-MISMATCH could not be checked: the anggaran or the realisasi is not a number.
pub fn ratio_not_checked(uraian: &str, year: i32) -> String {
    format!(
        "Rasio \"{uraian}\" tahun {year} tidak dapat diperiksa: anggaran atau realisasinya tidak terbaca (lihat temuan AMOUNT-MALFORMED). Perbaiki angka itu agar pemeriksaan ini berjalan."
    )
}

/// RATIO-MISMATCH / RATIO-ROUNDING: a stated capaian of T-C.23.
pub fn capaian_differs(
    name: &str,
    year: impl Display,
    how: Difference,
    realisasi: &str,
    target: &str,
    computed: &str,
) -> String {
    format!(
        "Capaian \"{name}\" tahun {year} {}: realisasi {realisasi} ÷ target {target} × 100 = {computed}.",
        difference(how)
    )
}

/// REALISASI-OVER-ANGGARAN.
pub fn realisasi_over_anggaran(uraian: &str, year: i32, realisasi: &str, anggaran: &str) -> String {
    format!(
        "Realisasi \"{uraian}\" tahun {year} ({realisasi}) melebihi anggarannya ({anggaran}); belanja tidak boleh melampaui anggaran. Periksa apakah kedua angka tertukar atau salah ketik."
    )
}

/// REALISASI-WITHOUT-ANGGARAN.
pub fn realisasi_without_anggaran(uraian: &str, year: i32) -> String {
    format!(
        "Ada realisasi \"{uraian}\" tahun {year} tetapi tidak ada anggarannya. Isi anggarannya (di berkas ini atau berkas anggaran)."
    )
}

// --- The plan (PLAN-*) and targets (TARGET-*) ---

/// PLAN-TOTAL: the end-of-period Rp is not the sum of the plan years.
pub fn plan_total(name: &str, written: &str, first: i32, last: i32, total: &str) -> String {
    format!(
        "Rp akhir periode \"{name}\" tertulis {written}, padahal jumlah Rp {first}-{last} = {total}."
    )
}

/// AMOUNT-MALFORMED: T-C.27's end-of-period Rp is not a valid number.
pub fn plan_end_malformed(reason: impl Display) -> String {
    format!("Angka Rp akhir periode tidak sah: {reason}. Perbaiki selnya (contoh: 1.234.567,89).")
}

/// PLAN-TOTAL could not be checked: the end-of-period Rp itself is not a number.
pub fn plan_end_not_checked(name: &str) -> String {
    format!(
        "Rp akhir periode \"{name}\" tidak dapat diperiksa terhadap jumlah Rp tiap tahun: angkanya tidak terbaca (lihat temuan AMOUNT-MALFORMED). Perbaiki angka itu agar pemeriksaan ini berjalan."
    )
}

/// PLAN-TOTAL could not be checked: a plan year's Rp is not a number.
pub fn plan_total_not_checked(name: &str, year: i32) -> String {
    format!(
        "Rp akhir periode \"{name}\" tidak dapat diperiksa: Rp {year} tidak terbaca (lihat temuan AMOUNT-MALFORMED). Perbaiki angka itu agar pemeriksaan ini berjalan."
    )
}

/// PLAN-TARGET: the end-of-period target is not the last year's (nor, for counts, the sum).
pub fn plan_target(
    name: &str,
    written: impl Display,
    last: impl Display,
    is_count: bool,
) -> String {
    format!(
        "Target akhir periode \"{name}\" tertulis {written}, padahal target tahun terakhir {last}{}.",
        if is_count {
            " (atau jumlah target tahunan, untuk satuan yang kumulatif)"
        } else {
            ""
        }
    )
}

/// The name of a plan row when it has no program or kegiatan name.
pub const UNNAMED_ROW: &str = "baris";

/// TARGET-MISSING: a tujuan or sasaran without an indicator.
pub fn indicator_missing(subject: &str) -> String {
    format!("T-C.25: \"{subject}\" belum punya indikator. Isi indikator tujuan/sasarannya.")
}

/// TARGET-MISSING: a tujuan or sasaran without a target for a plan year.
pub fn target_missing(subject: &str, year: i32) -> String {
    format!("T-C.25: \"{subject}\" belum punya target tahun {year}. Isi targetnya.")
}

/// TARGET-MISMATCH: an indicator's target differs from T-C.25's.
pub fn target_mismatch(
    table: &str,
    year: i32,
    indicator: &str,
    written: impl Display,
    reference: impl Display,
    same_number: bool,
) -> String {
    format!(
        "{table}: target {year} indikator \"{indicator}\" tertulis {written}, di T-C.25 {reference}{}. Samakan target di semua tabel.",
        if same_number {
            " (angkanya sama, satuannya berbeda)"
        } else {
            ""
        }
    )
}

// --- Struktur organisasi (ORG-CHART) ---

/// FIGURE-MISSING: `#struktur("…")` names a chart the positions sheet does not hold.
pub fn org_chart_missing(name: &str, charts: &[&str]) -> String {
    let named = if name.is_empty() {
        String::new()
    } else {
        format!(" \"{name}\"")
    };
    let known = if charts.is_empty() {
        "Belum ada baris jabatan di lembar struktur organisasi (kolom Bagan, Jabatan, Atasan dan Garis; renstra init membuatnya di kepegawaian-sarpras.xlsx): isi satu baris per jabatan, dengan atasan pimpinan dikosongkan.".to_string()
    } else {
        format!(
            "Bagan yang ada di lembar struktur organisasi: {}. Samakan namanya, atau tambahkan baris dengan Bagan ini.",
            charts
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!(
        "Bagan struktur organisasi{named} tidak dapat digambar: di PDF hanya tercetak catatan merah di tempatnya. {known}"
    )
}

/// ORG-CHART: the superior names no position of the chart.
pub fn org_unknown_superior(position: &str, superior: &str, chart: &str) -> String {
    let chart = if chart.is_empty() {
        String::new()
    } else {
        format!(" di bagan \"{chart}\"")
    };
    format!(
        "Struktur organisasi: atasan \"{superior}\" dari jabatan \"{position}\" tidak ada sebagai jabatan{chart}; jabatan ini digambar di puncak bagan, di samping pimpinan. Tulis nama atasan persis seperti di kolom Jabatan barisnya, atau tambahkan baris untuk atasan itu."
    )
}

/// ORG-CHART: a position named twice in one chart.
pub fn org_duplicate(position: &str, first: &str) -> String {
    format!(
        "Struktur organisasi: jabatan \"{position}\" sudah ada di {first}; baris ini tidak digambar dan bawahannya digantung pada baris pertama. Hapus baris ganda, atau beri nama yang membedakan (mis. \"Seksi Pelayanan Kelurahan A\")."
    )
}

/// ORG-CHART: superiors that go round in a loop.
pub fn org_loop(positions: &[String]) -> String {
    let first = positions.first().map_or("", String::as_str);
    format!(
        "Struktur organisasi: atasan jabatan {} saling menunjuk berputar, sehingga tidak ada yang di atas; \"{first}\" digambar di puncak bagan. Perbaiki kolom Atasan salah satunya.",
        positions
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// ORG-CHART: a row without a position name.
pub const ORG_UNNAMED: &str = "Struktur organisasi: baris ini tidak punya nama jabatan, jadi tidak digambar. Isi kolom Jabatan, atau hapus barisnya.";

/// ORG-CHART: a line that is neither komando nor koordinasi.
pub fn org_unknown_line(written: &str) -> String {
    format!(
        "Struktur organisasi: garis \"{written}\" tidak dikenal; digambar sebagai garis komando (garis penuh). Tulis \"komando\" atau \"koordinasi\" (garis putus-putus)."
    )
}

// --- Staff and SWOT (STAFF-*, SWOT-*) ---

/// STAFF-SUM: L + P is not the stated Jumlah.
pub fn staff_sum(name: &str, laki: &str, perempuan: &str, sum: &str, jumlah: &str) -> String {
    format!(
        "Tabel 1 \"{name}\": laki-laki {laki} + perempuan {perempuan} = {sum}, bukan {jumlah}. Perbaiki jumlahnya atau rinciannya."
    )
}

/// STAFF-CATEGORIES: a category covering all staff gives another head count.
pub fn staff_categories(category: &str, what: &str, got: &str, whom: &str, want: &str) -> String {
    format!(
        "Tabel 1: kelompok {category} berjumlah {got} {what}, padahal {whom} {want}. Setiap kelompok harus berjumlah sama dengan pegawai yang dicakupnya; periksa kelompok ini atau status kepegawaiannya."
    )
}

/// Whom a Tabel 1 grouping covers, in a sentence.
pub fn staff_whom(asn_only: bool) -> &'static str {
    if asn_only {
        "pegawai ASN (baris ASN pada status kepegawaian)"
    } else {
        "seluruh pegawai (status kepegawaian)"
    }
}

/// The parts of a head count a Tabel 1 grouping is compared on.
pub const STAFF_TOTAL: &str = "pegawai";
/// Men.
pub const STAFF_MEN: &str = "pegawai laki-laki";
/// Women.
pub const STAFF_WOMEN: &str = "pegawai perempuan";

/// SWOT-URGENCY: NU outside 1-5.
pub fn swot_urgency(nu: &str) -> String {
    format!("Nilai urgensi (NU) {nu} di luar skala 1-5.")
}

/// SWOT-SCORE: a stated NU × BF.
pub fn swot_product(written: &str, nu: &str, bf: &str, product: &str) -> String {
    format!("NU × BF tertulis {written}, padahal {nu} × {bf} = {product}.")
}

/// SWOT-WEIGHTS: a quadrant's weights do not sum to 100.
pub fn swot_weights(quadrant: impl Display, sum: &str) -> String {
    format!("Bobot faktor (BF) kuadran {quadrant} berjumlah {sum}, seharusnya 100.")
}

/// SWOT-SCORE: a quadrant's stated total.
pub fn swot_quadrant_total(quadrant: impl Display, written: &str, computed: &str) -> String {
    format!(
        "Jumlah NU × BF kuadran {quadrant} tertulis {written}, hasil hitung dari barisnya {computed}."
    )
}

/// SWOT-SCORE: a strategy's stated score.
pub fn swot_strategy_score(
    pair: &str,
    written: &str,
    a: impl Display,
    a_score: &str,
    b: impl Display,
    b_score: &str,
    computed: &str,
) -> String {
    format!(
        "Skor strategi {pair} tertulis {written}, hasil hitung {a} {a_score} + {b} {b_score} = {computed}. Strategi dominan ditentukan dari hasil hitung."
    )
}

/// BASELINE-MISMATCH: T-C.28's starting condition against T-C.23's last realisation.
pub fn baseline_mismatch(
    indicator: &str,
    stated: &str,
    year: i32,
    realisation: &str,
    header_year: Option<i32>,
) -> String {
    let older = header_year.map_or(String::new(), |y| {
        format!(" Kolomnya menyebut tahun {y}, padahal realisasi tahun {year} sudah tersedia.")
    });
    format!(
        "Kondisi awal indikator \"{indicator}\" di T-C.28 tertulis {stated}, padahal realisasi terakhirnya di T-C.23 (tahun {year}) {realisation}.{older} Kondisi awal Renstra adalah capaian terakhir; samakan keduanya atau jelaskan bedanya."
    )
}

// --- The narrative (NARRATIVE-FIGURE) ---

/// Where in a narrative file: its line.
pub fn narrative_line(line: usize) -> String {
    format!("baris {line}")
}

/// NARRATIVE-FIGURE: the narrative quotes a wrong stated figure.
pub fn narrative_figure(
    written: &str,
    stated_at: &str,
    expected: &str,
    fact: Option<&str>,
) -> String {
    let fix = match fact {
        Some(key) => format!(
            "Ganti angka itu dengan #fakta(\"{key}\"), yang selalu mencetak angka terverifikasi."
        ),
        None => format!("Perbaiki angkanya menjadi {expected}."),
    };
    format!(
        "Naskah menyebut {written}, angka yang tertulis salah di {stated_at} (hasil hitung: {expected}). {fix}"
    )
}

// --- Files and sheets (INPUT-UNREADABLE, SHEET-EMPTY) ---

/// A file that is not a workbook or CSV: listed, not read.
pub const NOT_DATA: &str = "bukan berkas data (bukan xlsx, xlsm, xlsb, xls, ods atau csv)";

/// Why the narrative document is not read as data: it is read as the narrative.
pub const NARRATIVE_DOCUMENT: &str =
    "naskah Renstra: dibaca sebagai narasi (bab-bab dokumen), bukan sebagai data";

/// A symbolic link out of the unit folder, not followed.
pub fn link_outside(target: impl Display) -> String {
    format!(
        "tautan (symlink) ke {target} di luar folder unit; renstra hanya membaca berkas di dalam folder unit: salin berkasnya ke sini"
    )
}

/// A symbolic link to nothing.
pub const LINK_BROKEN: &str =
    "tautan (symlink) yang tujuannya tidak ada; salin berkasnya ke folder unit";

/// A budget sheet whose figure columns name no year, with nowhere else to take it from.
pub const YEAR_UNKNOWN: &str = "kolom anggaran/realisasi tidak menyebut tahun, dan tahunnya tidak dapat diketahui dari nama lembar, nama berkas atau judul. Tulis tahunnya di judul kolom (mis. \"Anggaran 2022\") atau di nama lembar.";

/// A row with figures but neither name nor code: skipped, with this reason.
pub const ROW_WITHOUT_NAME: &str = "baris berisi angka tetapi tanpa uraian dan tanpa kode, sehingga tidak diketahui angka milik siapa. Beri uraian (atau tulis JUMLAH bila itu baris total).";

/// A sheet of a recognised kind whose header row was not found.
pub fn header_not_found(kind: &str) -> String {
    format!(
        "Lembar ini tampaknya data {kind}, tetapi baris judul kolomnya tidak ditemukan dalam 30 baris pertama. Isinya tidak dibaca."
    )
}

/// A sheet of no recognised kind.
pub const SHEET_UNRECOGNISED: &str = "Lembar ini tidak dikenali: tidak ada baris judul kolom yang memuat kata seperti Kode, Uraian, Anggaran, Realisasi, Indikator atau Target dalam 30 baris pertama. Isinya tidak dibaca.";

/// What an unread column holds, for COLUMN-UNREAD: "14 angka, mis. 1.250.000,00; 2 teks, mis.
/// "APBD"" or "kosong".
pub fn column_holds(
    numbers: usize,
    first_number: Option<&str>,
    texts: usize,
    first_text: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    if numbers > 0 {
        parts.push(match first_number {
            Some(n) => format!("{numbers} angka, mis. {n}"),
            None => format!("{numbers} angka"),
        });
    }
    if texts > 0 {
        parts.push(match first_text {
            Some(t) => format!("{texts} teks, mis. \"{t}\""),
            None => format!("{texts} teks"),
        });
    }
    if parts.is_empty() {
        "kosong".into()
    } else {
        parts.join("; ")
    }
}

/// COLUMN-UNREAD: a header renstra does not recognise.
pub fn column_unrecognised(header: &str, holds: &str) -> String {
    format!(
        "Kolom \"{header}\" tidak dikenali, jadi isinya tidak dibaca (isinya: {holds}). Bila kolom ini berisi anggaran, realisasi atau rasio, ubah judulnya menjadi mis. \"Anggaran 2023\", \"Realisasi 2023\" atau \"Rasio 2023\"; bila kolom ini memang tidak diperlukan, temuan ini hanya mencatatnya."
    )
}

/// COLUMN-UNREAD: a column of what renstra computes itself.
pub fn column_computed(header: &str, holds: &str, what: &str) -> String {
    format!(
        "Kolom \"{header}\" (isinya: {holds}) tidak dibaca: renstra menghitung {what} sendiri dari anggaran dan realisasi, sehingga angka kolom ini tidak dipakai dan tidak perlu diketik ulang."
    )
}

/// FIGURE-MISSING: a figure of the narrative with nothing to show.
pub fn figure_missing(caption: &str) -> String {
    format!(
        "Gambar \"{caption}\" belum berisi gambar: di PDF hanya tercetak bingkai kosong. Taruh berkas gambarnya (png, jpg atau svg) di folder unit dan tulis #gambar(\"{caption}\", \"nama-berkas.png\"); pohon kinerja dan grafik digambar dari data dengan #pohon(2025), #grafik(\"anggaran\") atau #grafik(\"kinerja\")."
    )
}

/// COLUMN-UNREAD: how a column without a header is named.
pub const NO_HEADER: &str = "(tanpa judul)";

/// COLUMN-UNREAD: the original budget beside the revised one.
pub fn column_superseded(header: &str, holds: &str) -> String {
    format!(
        "Kolom \"{header}\" (isinya: {holds}) adalah anggaran sebelum perubahan; lembar ini juga memuat anggaran setelah perubahan untuk tahun yang sama, dan itulah yang dipakai sebagai anggaran tahun itu."
    )
}

/// COLUMN-UNREAD: a realisasi to a point before the year's end.
pub fn column_part_year(header: &str, holds: &str) -> String {
    format!(
        "Kolom \"{header}\" (isinya: {holds}) berisi realisasi sampai sebelum akhir tahun, jadi tidak dipakai sebagai realisasi tahunan. Ekspor ulang laporan realisasi s.d. Desember (Triwulan IV), atau beri judul \"Realisasi\" dengan tahunnya bila angkanya sudah setahun penuh."
    )
}

/// SHEET-EMPTY: a recognised sheet with no data rows yet.
pub fn sheet_empty(kind: &str) -> String {
    format!(
        "Lembar ini dikenali sebagai data {kind} tetapi belum berisi baris data: isi baris-barisnya di bawah judul kolom (catatan pada judul kolom menjelaskan isinya)."
    )
}

// --- Why a derived figure cannot be verified (shown on the marked cell) ---

/// A ratio whose anggaran or realisasi is unreadable.
pub const RATIO_UNREADABLE: &str = "anggaran atau realisasi tahun ini tidak terbaca sebagai angka";

/// A growth whose series holds an unreadable figure.
pub const GROWTH_UNREADABLE: &str = "ada angka yang tidak terbaca pada deret tahun ini";

/// A sum with an unreadable part.
pub const SUM_UNREADABLE: &str = "salah satu angka penjumlahnya tidak terbaca";

/// A quotient beyond what exact decimals hold.
pub const QUOTIENT_OUT_OF_RANGE: &str = "hasil bagi di luar jangkauan";

/// A sum beyond what exact decimals hold.
pub const SUM_OUT_OF_RANGE: &str = "jumlah di luar jangkauan";

// --- Proposed readings of malformed amounts (crate::repair) ---

/// The reasons of a confirmed proposal, one clause each, for the AMOUNT-MALFORMED finding.
pub fn repair_confirmed(value: &str, reasons: &[String]) -> String {
    format!(
        " Usulan renstra: {value} ({}). Usulan ini dipakai untuk pemeriksaan lain dan ditandai sebagai usulan di tabel, bukan angka terverifikasi.",
        reasons.join("; ")
    )
}

/// A basis: the children's sum.
pub fn repair_children(parts: &[String]) -> String {
    if parts.len() <= 4 {
        format!("= jumlah rincian {}", parts.join(" + "))
    } else {
        format!("= jumlah {} rinciannya", parts.len())
    }
}

/// A basis: the parent less the other children.
pub fn repair_parent(parent: &str, cell: &str, siblings: &str) -> String {
    format!("= induk {parent} (sel {cell}) dikurangi rincian lainnya {siblings}")
}

/// A basis: the one combination of several malformed children that adds up to the parent.
pub fn repair_joint(cell: &str) -> String {
    format!("satu-satunya bacaan yang membuat induk di sel {cell} sama dengan jumlah rinciannya")
}

/// A basis: the stated ratio with the partner cell.
pub fn repair_ratio(stated: &str, at: &str, partner: &str, partner_proposed: bool) -> String {
    let usulan = if partner_proposed {
        ", yang juga usulan"
    } else {
        ""
    };
    format!("cocok dengan rasio tertulis {stated} (sel {at}) bersama sel {partner}{usulan}")
}

/// Several readings fit equally: listed, none chosen.
pub fn repair_ambiguous(readings: &[String]) -> String {
    format!(
        " Angka ini bisa dibaca {}; angka lain di tabel cocok dengan lebih dari satu bacaan, jadi renstra tidak memilih dan angka ini tidak dihitung.",
        readings.join(" atau ")
    )
}

/// Readings the digits allow, none confirmed.
pub fn repair_unconfirmed(readings: &[String]) -> String {
    if readings.is_empty() {
        return " Angka ini tidak dihitung.".into();
    }
    format!(
        " Angka ini tidak dihitung. Kemungkinan bacaan: {}; tidak ada angka lain (jumlah rincian, induk, rasio) yang menguatkannya.",
        readings.join(", ")
    )
}

/// A check that ran on proposed readings says which cells it used them for.
pub fn using_proposals(cells: &[String]) -> String {
    format!(
        " (Dihitung dengan usulan perbaikan renstra untuk sel {}.)",
        cells.join(", ")
    )
}

/// TEXT-UNPRINTABLE: a cell with characters no font has.
pub fn text_unprintable(chars: &str) -> String {
    format!(
        "Sel ini memuat karakter yang tidak ada di huruf dokumen ({chars}: mis. emoji, huruf Tionghoa atau karakter kendali dari salin-tempel); di PDF tercetak sebagai kotak putih □. Ganti atau hapus karakternya di berkas."
    )
}

/// TEXT-UNPRINTABLE: control characters in a cell, replaced at ingest.
pub fn control_characters(codes: &str) -> String {
    format!(
        "Sel ini memuat karakter kendali ({codes}), biasanya terbawa dari salin-tempel dari program lain; karakter itu tidak terlihat dan tidak bermakna, jadi renstra menggantinya dengan kotak putih □ di semua keluaran (PDF, buku kerja, CSV). Hapus karakternya di berkas."
    )
}

/// INPUT-UNREADABLE: a file not read because the unit's time bound had passed.
pub const NOT_READ_IN_TIME: &str = "Berkas ini tidak dibaca: batas waktu penyusunan unit sudah habis sebelum gilirannya (berkas sebelumnya terlalu lama dibaca). Perbaiki atau pindahkan berkas yang lama dibaca, lalu susun lagi.";

/// INPUT-UNREADABLE: a file with not one filled cell.
pub const FILE_EMPTY: &str = "Berkas ini kosong: tidak ada satu sel pun yang berisi. Bila berkas ini seharusnya berisi data, ekspor atau salin ulang; bila tidak, hapus dari folder unit.";
