//! Finding the table in a sheet: where its header is, what each column means, which year it holds.
//!
//! Real workbooks put title blocks above the table, split headers over two rows with merged group
//! cells ("Anggaran (Rp)" over five year columns), and add a row of column numbers. Header words are
//! matched case-, space- and punctuation-insensitively against one synonym table ([`SYNONYMS`]), so
//! that a new way of writing a header is one line added there.

use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;

use super::grid::{Grid, RawCell};
use crate::model::{Role, SheetKind, normalize_header, year_in};

/// How many rows from the top the header is searched in.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// The synonym table: every header spelling renstra recognises, in normalized form (lower case,
/// punctuation as spaces, year and filler words such as "tahun", "ke", "rp" removed).
pub const SYNONYMS: &[(Role, &[&str])] = &[
    (Role::Nomor, &["no", "nomor", "no urut"]),
    (
        Role::Kode,
        &[
            "kode",
            "kode rekening",
            "kode program",
            "kode kegiatan",
            "kode sub kegiatan",
            "kode program kegiatan",
            "kode rek",
            "kode akun",
            "kode rekeing",
        ],
    ),
    (
        Role::Uraian,
        &[
            "uraian",
            "program",
            "kegiatan",
            "sub kegiatan",
            "program kegiatan",
            "program kegiatan sub kegiatan",
            "program dan kegiatan",
            "program kegiatan dan sub kegiatan",
            "nama program",
            "nama kegiatan",
            "nama sub kegiatan",
            "uraian program kegiatan",
            "nama program kegiatan sub kegiatan",
            "nama akun",
            "nama rekening",
            "urusan bidang urusan pemerintahan daerah dan program kegiatan",
        ],
    ),
    (
        Role::Lokasi,
        &[
            "lokasi",
            "kelurahan",
            "sub unit",
            "lokasi kelurahan",
            "lokasi sub kegiatan",
        ],
    ),
    (
        Role::Anggaran,
        &[
            "anggaran",
            "pagu",
            "pagu anggaran",
            "anggaran setelah perubahan",
            "anggaran perubahan",
            "anggaran murni",
            "pagu indikatif",
            "anggaran sesudah perubahan",
            "anggaran sebelum perubahan",
            "setelah perubahan",
            "sesudah perubahan",
            "sebelum perubahan",
            "jumlah anggaran",
            "anggaran dpa",
            "nilai pagu",
            "total pagu",
            "pagu anggaran kegiatan",
            "pagu perubahan apbd",
            "dpa simda",
        ],
    ),
    (
        Role::Realisasi,
        &[
            "realisasi",
            "realisasi anggaran",
            "realisasi keuangan",
            "nilai realisasi",
            "total realisasi",
            "realisasi sipd",
            "realisasi simda",
            "realisasi belanja",
        ],
    ),
    (
        Role::Rasio,
        &[
            "rasio",
            "persentase",
            "persen",
            "capaian",
            "rasio antara realisasi dan anggaran",
            "rasio realisasi anggaran",
            "presentase",
            "persentase realisasi",
            "capaian penyerapan",
        ],
    ),
    (
        Role::Pertumbuhan,
        &[
            "rata rata pertumbuhan",
            "pertumbuhan",
            "rata rata pertumbuhan anggaran",
            "rata rata pertumbuhan realisasi",
        ],
    ),
    (
        Role::Keterangan,
        &[
            "keterangan",
            "ket",
            "catatan",
            "keterangan permasalahan",
            "penjelasan",
        ],
    ),
    (
        Role::Sisa,
        &[
            "sisa",
            "sisa anggaran",
            "sisa pagu",
            "selisih",
            "lebih kurang",
            "sisa pagu anggaran",
        ],
    ),
];

/// Words dropped before matching: they decorate headers without changing their meaning.
const FILLER: &[&str] = &["tahun", "ke", "pada", "rp", "th", "thn"];

/// The role a header names, if any.
pub fn role_of(header: &str) -> Option<Role> {
    let words: Vec<&str> = header.split(' ').collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| {
            let is_year = w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
            !(FILLER.contains(w) || is_year)
        })
        .collect();
    let key = kept.join(" ");
    let lookup = |key: &str| {
        SYNONYMS
            .iter()
            .find(|(_, names)| names.contains(&key))
            .map(|(role, _)| *role)
    };
    // "Rasio (%)": the percent sign only decorates a known header.
    lookup(&key).or_else(|| {
        let without_percent: Vec<&str> = kept.iter().copied().filter(|w| *w != "persen").collect();
        (!without_percent.is_empty())
            .then(|| lookup(&without_percent.join(" ")))
            .flatten()
    })
}

/// One column's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Grid column index.
    pub index: usize,
    /// What it holds.
    pub role: Role,
    /// The year of a figure column, when the header says it.
    pub year: Option<i32>,
}

/// The table found in a sheet.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Grid row of the (first) header row.
    pub header_row: usize,
    /// Number of header rows (1 or 2).
    pub header_rows: usize,
    /// True when a row of column numbers (1, 2, 3 …) follows the header.
    pub has_number_row: bool,
    /// Recognised columns.
    pub columns: Vec<Column>,
    /// Columns whose figures are not read (header not recognised, or a part-year realisasi):
    /// each becomes a finding, so nothing in the sheet is dropped without a word.
    pub unknown: Vec<UnreadColumn>,
}

/// A column of a budget sheet that renstra does not read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadColumn {
    /// Grid column index.
    pub index: usize,
    /// The header as written (group header and sub header joined by " / ").
    pub header: String,
    /// Why it is not read.
    pub why: Unread,
}

/// Why a budget sheet's column is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Its header names nothing renstra knows.
    Unrecognised,
    /// It holds a figure renstra computes itself (growth, sisa anggaran).
    Computed(Role),
    /// A realisasi up to a point before the year's end ("s.d. Triwulan III", "s.d. Juni"): not
    /// the year's realisasi.
    PartYear,
    /// The original budget beside the revised one for the same year.
    Superseded,
}

impl Layout {
    /// First grid row holding data.
    pub fn data_start(&self) -> usize {
        self.header_row + self.header_rows + usize::from(self.has_number_row)
    }

    /// The first column with this role.
    pub fn column(&self, role: Role) -> Option<&Column> {
        self.columns.iter().find(|c| c.role == role)
    }

    /// The roles present.
    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = self.columns.iter().map(|c| c.role).collect();
        roles.sort();
        roles.dedup();
        roles
    }
}

/// Finds the header row: the row among the first [`HEADER_SEARCH_ROWS`] that names the most
/// recognised roles (at least two). Returns `None` when no row looks like a header.
pub fn detect(grid: &Grid) -> Option<Layout> {
    let limit = grid.rows.len().min(HEADER_SEARCH_ROWS);
    let (header_row, score) = (0..limit)
        .map(|r| (r, header_score(grid, r)))
        .max_by_key(|&(r, s)| (s, std::cmp::Reverse(r)))?;
    if score < 2 {
        return None;
    }
    let two_rows = is_year_row(grid, header_row + 1);
    let header_rows = if two_rows { 2 } else { 1 };
    let (columns, unknown) = columns_of(grid, header_row, two_rows);
    let has_number_row = is_number_row(grid, header_row + header_rows);
    Some(Layout {
        header_row,
        header_rows,
        has_number_row,
        columns,
        unknown,
    })
}

fn header_score(grid: &Grid, row: usize) -> usize {
    let mut roles: Vec<Role> = (0..grid.top_width(HEADER_SEARCH_ROWS))
        .filter_map(|c| match grid.at(row, c) {
            RawCell::Text(t) => role_of(&normalize_header(t)),
            _ => None,
        })
        .collect();
    roles.sort();
    roles.dedup();
    roles.len()
}

/// A second header row holds years under merged group cells.
fn is_year_row(grid: &Grid, row: usize) -> bool {
    let Some(cells) = grid.rows.get(row) else {
        return false;
    };
    let years = cells.iter().filter(|c| cell_year(c).is_some()).count();
    years >= 2
}

fn cell_year(cell: &RawCell) -> Option<i32> {
    match cell {
        RawCell::Number(d) if d.fract().is_zero() => {
            d.to_i32().filter(|y| (1990..=2100).contains(y))
        }
        RawCell::Text(t) => year_in(t),
        _ => None,
    }
}

/// A row of column numbers: every non-empty cell an integer, starting at 1 and increasing.
pub fn is_number_row(grid: &Grid, row: usize) -> bool {
    let Some(cells) = grid.rows.get(row) else {
        return false;
    };
    let numbers: Vec<i64> = cells
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| c.text().parse::<i64>().ok())
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    numbers.len() >= 3 && numbers[0] == 1 && numbers.windows(2).all(|w| w[1] > w[0])
}

/// Column meanings. With a two-row header, a group cell ("Anggaran (Rp)") covers the year cells
/// below it up to the next group cell, whether or not the file kept the merge.
fn columns_of(grid: &Grid, header_row: usize, two_rows: bool) -> (Vec<Column>, Vec<UnreadColumn>) {
    let mut columns = Vec::new();
    let mut unknown = Vec::new();
    let mut group: Option<(Role, String)> = None;
    let mut group_text = String::new();
    for c in 0..grid.top_width(header_row + 2) {
        let top = grid.at(header_row, c).text();
        let sub = if two_rows {
            grid.at(header_row + 1, c).text()
        } else {
            String::new()
        };
        let sub_year = if two_rows {
            cell_year(grid.at(header_row + 1, c))
        } else {
            None
        };
        let top_norm = normalize_header(&top);
        let period = realisasi_period(&top_norm);
        let top_role = match period {
            Some(Period::FullYear) => Some(Role::Realisasi),
            Some(Period::PartYear) => None,
            None => role_of(&top_norm),
        };
        if !top.is_empty() {
            group = top_role.map(|r| (r, top.clone()));
            group_text = top.clone();
        }
        let role = if top.is_empty() && sub_year.is_some() {
            group.as_ref().map(|(r, _)| *r)
        } else {
            top_role
        };
        let header = match (top.is_empty(), sub.is_empty()) {
            (false, _) => top.clone(),
            (true, false) if !group_text.is_empty() => format!("{group_text} / {sub}"),
            (true, false) => sub.clone(),
            (true, true) => String::new(),
        };
        match role {
            Some(role) if role.is_figure() || !COMPUTED.contains(&role) => columns.push(Column {
                index: c,
                role,
                year: sub_year.or_else(|| year_in(&top)),
            }),
            Some(role) => unknown.push(UnreadColumn {
                index: c,
                header,
                why: Unread::Computed(role),
            }),
            None if period == Some(Period::PartYear) => unknown.push(UnreadColumn {
                index: c,
                header,
                why: Unread::PartYear,
            }),
            // A column without a header is reported too when it holds anything (the finding
            // is left out for an empty one).
            None => unknown.push(UnreadColumn {
                index: c,
                header,
                why: Unread::Unrecognised,
            }),
        }
    }
    supersede_murni(grid, header_row, &mut columns, &mut unknown);
    (columns, unknown)
}

/// A SIPD/SIMDA export with both the original budget ("Anggaran Murni", "Sebelum Perubahan")
/// and the revised one ("Setelah Perubahan") for a year: the revised one is the year's anggaran,
/// and the original is reported as not read, instead of the two conflicting on every line.
fn supersede_murni(
    grid: &Grid,
    header_row: usize,
    columns: &mut Vec<Column>,
    unknown: &mut Vec<UnreadColumn>,
) {
    let header = |c: &Column| normalize_header(&grid.at(header_row, c.index).text());
    let revised = |h: &str| {
        h.contains("setelah perubahan")
            || h.contains("sesudah perubahan")
            || h == "anggaran perubahan"
    };
    let original = |h: &str| h.contains("murni") || h.contains("sebelum perubahan");
    let superseded: Vec<usize> = columns
        .iter()
        .filter(|c| c.role == Role::Anggaran && original(&header(c)))
        .filter(|c| {
            columns
                .iter()
                .any(|o| o.role == Role::Anggaran && o.year == c.year && revised(&header(o)))
        })
        .map(|c| c.index)
        .collect();
    for index in superseded {
        columns.retain(|c| c.index != index);
        unknown.push(UnreadColumn {
            index,
            header: grid.at(header_row, index).text(),
            why: Unread::Superseded,
        });
    }
    unknown.sort_by_key(|u| u.index);
}

/// Roles whose columns renstra recognises but does not read, because it computes them itself.
const COMPUTED: &[Role] = &[Role::Pertumbuhan, Role::Sisa];

/// How far a realisasi header's "s.d. …" reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    /// To the end of the year: s.d. Desember, s.d. Triwulan IV, s.d. Semester II.
    FullYear,
    /// To an earlier point: s.d. Triwulan III, s.d. Juni, s.d. Bulan Ini.
    PartYear,
}

/// The period of a SIPD/SIMDA realisasi header ("Realisasi s.d. Desember", "Realisasi sampai
/// dengan Triwulan IV", "Realisasi Keuangan s/d Bulan Ini"), in normalized form; `None` for any
/// other header.
fn realisasi_period(normalized: &str) -> Option<Period> {
    let rest = normalized
        .strip_prefix("realisasi anggaran ")
        .or_else(|| normalized.strip_prefix("realisasi keuangan "))
        .or_else(|| normalized.strip_prefix("realisasi "))?;
    let until = rest
        .strip_prefix("s d ")
        .or_else(|| rest.strip_prefix("sd "))
        .or_else(|| rest.strip_prefix("sampai dengan "))
        .or_else(|| rest.strip_prefix("sampai "))?;
    let words: Vec<&str> = until
        .split(' ')
        .filter(|w| !matches!(*w, "bulan" | "akhir" | "tahun" | "ke"))
        .filter(|w| !(w.len() == 4 && w.chars().all(|c| c.is_ascii_digit())))
        .collect();
    let full = matches!(
        words.as_slice(),
        ["desember"]
            | ["des"]
            | ["12"]
            | ["triwulan" | "tw" | "trw", "iv" | "4"]
            | ["semester", "ii" | "2"]
    );
    Some(if full {
        Period::FullYear
    } else {
        Period::PartYear
    })
}

/// Words that appear in the header rows of the tables a Renstra needs; a row full of them is a
/// header row, whatever kind of table it heads.
const HEADER_VOCABULARY: &[&str] = &[
    "no",
    "kode",
    "uraian",
    "program",
    "kegiatan",
    "anggaran",
    "pagu",
    "realisasi",
    "rasio",
    "indikator",
    "target",
    "tujuan",
    "sasaran",
    "strategi",
    "kebijakan",
    "nu",
    "bf",
    "faktor",
    "kuadran",
    "jenis",
    "jumlah",
    "satuan",
    "l",
    "p",
    "permasalahan",
    "isu",
    "jabatan",
    "atasan",
    "bagan",
    "garis",
    "lokasi",
    "keterangan",
    "rp",
    "kondisi",
    "capaian",
    "urusan",
    "formula",
    "hasil",
    "kategori",
    "kelompok",
    "fungsi",
    "tingkat",
    "iku",
];

/// The row most likely to be the header of whatever table the sheet holds: the one, among the
/// first rows, with the most short cells naming a header word.
pub fn header_row_for_classification(grid: &Grid) -> Option<usize> {
    let limit = grid.rows.len().min(HEADER_SEARCH_ROWS);
    let (row, best) = (0..limit)
        .map(|r| (r, header_hits(grid, r)))
        .max_by_key(|&(r, h)| (h, std::cmp::Reverse(r)))?;
    (best >= 2).then_some(row)
}

/// How many short cells of a row name a header word.
pub fn header_hits(grid: &Grid, row: usize) -> usize {
    grid.rows.get(row).map_or(0, |cells| {
        cells
            .iter()
            .filter(|c| match c {
                RawCell::Text(t) => {
                    let n = normalize_header(t);
                    n.split(' ').count() <= 6
                        && n.split(' ').any(|w| HEADER_VOCABULARY.contains(&w))
                }
                _ => false,
            })
            .count()
    })
}

/// Classifies a sheet by the words of its title and header rows (never its data rows, whose
/// prose would mislead). Order matters: the plan table also names "Rp" and "target", so it is
/// tested before the plain budget table.
pub fn classify(grid: &Grid) -> Option<SheetKind> {
    let header = header_row_for_classification(grid)?;
    let last = if is_year_row(grid, header + 1) {
        header + 1
    } else {
        header
    };
    let mut words = BTreeMap::<String, ()>::new();
    let mut joined = String::new();
    for r in 0..=last {
        for c in 0..grid.top_width(last + 1) {
            if let RawCell::Text(t) = grid.at(r, c) {
                let n = normalize_header(t);
                joined.push_str(&n);
                joined.push(' ');
                for w in n.split(' ') {
                    words.insert(w.to_string(), ());
                }
            }
        }
    }
    let has = |w: &str| words.contains_key(w);
    if has("jabatan") && has("atasan") {
        Some(SheetKind::StrukturOrganisasi)
    } else if has("indikator") && has("target") && (has("rp") || has("pendanaan") || has("pagu")) {
        Some(SheetKind::RencanaProgram)
    } else if (has("anggaran") || has("pagu"))
        && (has("realisasi") || has("uraian") || has("program"))
    {
        Some(SheetKind::AnggaranRealisasi)
    } else if has("indikator") && has("target") && has("realisasi") {
        Some(SheetKind::KinerjaPelayanan)
    } else if has("indikator") && has("target") && has("kondisi") {
        // T-C.28 without a title row naming tujuan and sasaran.
        Some(SheetKind::TujuanSasaran)
    } else if (has("nu") && has("bf"))
        || has("kuadran")
        || joined.contains("strategi so")
        || has("formula")
    {
        Some(SheetKind::Swot)
    } else if has("strategi") || has("kebijakan") {
        Some(SheetKind::StrategiKebijakan)
    } else if has("permasalahan") || has("isu") {
        Some(SheetKind::PermasalahanIsu)
    } else if has("tujuan") || has("sasaran") || has("iku") {
        Some(SheetKind::TujuanSasaran)
    } else if has("l") && has("p") && has("jumlah") {
        Some(SheetKind::Kepegawaian)
    } else if has("sarana") || has("prasarana") || (has("jenis") && has("jumlah")) {
        Some(SheetKind::SaranaPrasarana)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn text(s: &str) -> RawCell {
        RawCell::from_text(s)
    }

    fn grid(rows: Vec<Vec<RawCell>>) -> Grid {
        Grid {
            file: "t.xlsx".into(),
            sheet: "S".into(),
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows,
        }
    }

    #[test]
    fn headers_match_regardless_of_case_space_and_punctuation() {
        for (header, role) in [
            ("Kode Rekening", Role::Kode),
            ("PROGRAM / KEGIATAN / SUB KEGIATAN", Role::Uraian),
            ("Anggaran (Rp)", Role::Anggaran),
            ("Pagu  Anggaran", Role::Anggaran),
            ("Anggaran pada Tahun ke-", Role::Anggaran),
            ("Realisasi Anggaran pada Tahun ke-", Role::Realisasi),
            ("Rasio (%)", Role::Rasio),
            ("%", Role::Rasio),
            ("Anggaran 2021", Role::Anggaran),
            ("Rata-rata pertumbuhan", Role::Pertumbuhan),
        ] {
            assert_eq!(role_of(&normalize_header(header)), Some(role), "{header}");
        }
        assert_eq!(role_of(&normalize_header("Sumber Dana")), None);
    }

    #[test]
    fn a_title_block_and_a_merged_two_row_header_are_found() {
        let n = |v: i64| RawCell::Number(Decimal::from(v));
        let g = grid(vec![
            vec![text("PEMERINTAH KOTA PROBOLINGGO")],
            vec![text("REKAP ANGGARAN 2019-2023")],
            vec![],
            vec![
                text("Kode"),
                text("Uraian"),
                text("Anggaran (Rp)"),
                text(""),
                text("Realisasi (Rp)"),
                text(""),
                text("Sumber"),
            ],
            vec![text(""), text(""), n(2021), n(2022), n(2021), n(2022)],
            vec![n(1), n(2), n(3), n(4), n(5), n(6), n(7)],
            vec![text("7.01.02"), text("Program X"), n(10), n(20), n(5), n(6)],
        ]);
        let layout = detect(&g).unwrap();
        assert_eq!(layout.header_row, 3);
        assert_eq!(layout.header_rows, 2);
        assert!(layout.has_number_row);
        assert_eq!(layout.data_start(), 6);
        let figures: Vec<_> = layout
            .columns
            .iter()
            .filter(|c| c.role.is_figure())
            .map(|c| (c.index, c.role, c.year))
            .collect();
        assert_eq!(
            figures,
            vec![
                (2, Role::Anggaran, Some(2021)),
                (3, Role::Anggaran, Some(2022)),
                (4, Role::Realisasi, Some(2021)),
                (5, Role::Realisasi, Some(2022)),
            ]
        );
        assert_eq!(
            layout.unknown,
            vec![UnreadColumn {
                index: 6,
                header: "Sumber".into(),
                why: Unread::Unrecognised
            }]
        );
        assert_eq!(classify(&g), Some(SheetKind::AnggaranRealisasi));
    }

    #[test]
    fn a_sheet_without_a_header_is_not_a_table() {
        let g = grid(vec![
            vec![text("catatan rapat")],
            vec![text("hadir 12 orang")],
        ]);
        assert!(detect(&g).is_none());
    }
}
