//! `tabel-renstra.xlsx`: the verified T-C tables in the official layouts.
//!
//! Each sheet follows the Permendagri 86/2017 form: title, merged header groups, the row of column
//! numbers, figures as numbers with `#,##0.00` formats (so an Indonesian-locale Excel shows
//! `1.234.567,89`), and cells that could not be verified visibly marked with their raw text.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Url,
    Workbook, Worksheet,
};

use super::ExportError;
use crate::config::{Kertas, UnitConfig};
use crate::model::{Finding, Level, a1};
use crate::tables::{RowKind, Shown, Tc24};

const MONEY: &str = "#,##0.00";
const RATIO: &str = "#,##0.00";

/// Cell formats shared by the sheets.
struct Styles {
    title: Format,
    header: Format,
    number_row: Format,
    text: Format,
    text_bold: Format,
    money: Format,
    money_bold: Format,
    ratio: Format,
    ratio_bold: Format,
    unverified: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_font_size(9);
        let header = cell
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap()
            .set_background_color(Color::RGB(0xD9E2F3));
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_align(FormatAlign::Center),
            number_row: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_italic()
                .set_background_color(Color::RGB(0xF2F2F2)),
            header,
            text: cell.clone().set_text_wrap().set_align(FormatAlign::Top),
            text_bold: cell
                .clone()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_bold(),
            money: cell
                .clone()
                .set_num_format(MONEY)
                .set_align(FormatAlign::Top),
            money_bold: cell
                .clone()
                .set_num_format(MONEY)
                .set_align(FormatAlign::Top)
                .set_bold(),
            ratio: cell
                .clone()
                .set_num_format(RATIO)
                .set_align(FormatAlign::Top),
            ratio_bold: cell
                .clone()
                .set_num_format(RATIO)
                .set_align(FormatAlign::Top)
                .set_bold(),
            unverified: cell
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Right)
                .set_font_color(Color::RGB(0x9C0006))
                .set_background_color(Color::RGB(0xFFC7CE)),
        }
    }
}

/// Builds the workbook in memory.
pub fn workbook(
    config: &UnitConfig,
    tc24: &Tc24,
    findings: &[Finding],
) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    // A fixed creation date keeps the file byte-identical across runs of the same inputs.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("Tabel Renstra {}", config.perangkat_daerah.nama))
            .set_author("renstra")
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    let sheet = book.add_worksheet();
    write_tc24(sheet, config, tc24, &styles)?;
    let temuan = book.add_worksheet();
    write_findings(temuan, tc24, findings, &styles)?;
    Ok(book.save_to_buffer()?)
}

/// The first data row of T-C.24 in its sheet (0-based): title 3 rows, a blank, two header rows
/// and the column-number row.
const TC24_FIRST_DATA_ROW: u32 = 7;

/// Sheet "Temuan": every finding, with a link to the T-C.24 row it concerns where there is one
/// (a finding on a cell in the same workbook row as a T-C.24 line).
fn write_findings(
    sheet: &mut Worksheet,
    tc24: &Tc24,
    findings: &[Finding],
    s: &Styles,
) -> Result<(), ExportError> {
    sheet.set_name("Temuan")?;
    let headers = [
        "No",
        "Tingkat",
        "Aturan",
        "Berkas",
        "Lembar",
        "Sel",
        "Nilai tertulis",
        "Nilai seharusnya",
        "Pesan",
        "Di tabel",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &s.header)?;
    }
    let mut rows_by_source = std::collections::HashMap::new();
    for (i, row) in tc24.rows.iter().enumerate() {
        if let Some(src) = &row.source {
            let key = (src.file.clone(), src.sheet.clone(), row_digits(&src.cell));
            rows_by_source
                .entry(key)
                .or_insert(TC24_FIRST_DATA_ROW + i as u32);
        }
    }
    for (i, f) in findings.iter().enumerate() {
        let r = 1 + i as u32;
        let at = f.sources.first();
        let cells: Vec<&str> = f.sources.iter().map(|x| x.cell.as_str()).collect();
        sheet.write_number_with_format(r, 0, f64::from(r), &s.text)?;
        for (c, text) in [
            f.severity.label(),
            f.rule.id(),
            at.map_or("", |x| &*x.file),
            at.map_or("", |x| &*x.sheet),
            &cells.join(" "),
            &f.written,
            &f.expected,
            &f.message,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_string_with_format(r, 1 + c as u16, text, &s.text)?;
        }
        let target = at.and_then(|x| {
            rows_by_source
                .get(&(x.file.clone(), x.sheet.clone(), row_digits(&x.cell)))
                .copied()
        });
        if let Some(tr) = target {
            let cell = a1(tr, 1);
            let url =
                Url::new(format!("internal:'T-C.24'!{cell}")).set_text(format!("T-C.24 {cell}"));
            sheet.write_url(r, 9, url)?;
        }
    }
    sheet.set_column_width(0, 5)?;
    sheet.set_column_range_width(1, 2, 16)?;
    sheet.set_column_range_width(3, 4, 28)?;
    sheet.set_column_range_width(5, 7, 16)?;
    sheet.set_column_width(8, 90)?;
    sheet.set_column_width(9, 14)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, findings.len() as u32, 9)?;
    Ok(())
}

/// The row number of an A1 reference (`E81` → `81`); empty for sheet-level references.
fn row_digits(cell: &str) -> String {
    cell.chars().filter(char::is_ascii_digit).collect()
}

fn page_setup(
    sheet: &mut Worksheet,
    config: &UnitConfig,
    header_last_row: u32,
) -> Result<(), ExportError> {
    sheet.set_landscape();
    sheet.set_paper_size(match config.dokumen.kertas {
        Kertas::A4 => 9,
        Kertas::F4 => 14,
    });
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, header_last_row)?;
    Ok(())
}

/// T-C.24: Kode | Uraian | Lokasi | Anggaran ×n | Realisasi ×n | Rasio ×n | Rata-rata pertumbuhan (2).
fn write_tc24(
    sheet: &mut Worksheet,
    config: &UnitConfig,
    table: &Tc24,
    s: &Styles,
) -> Result<(), ExportError> {
    let n = table.years.len() as u16;
    let last_col = 3 + 3 * n + 1;
    sheet.set_name("T-C.24")?;
    // A formula whose verified result is "nothing" caches an empty string, not rust_xlsxwriter's
    // default 0, so viewers that do not recalculate show a blank as renstra does.
    sheet.set_formula_result_default("");
    let pd = &config.perangkat_daerah;
    sheet.merge_range(0, 0, 0, last_col, "Tabel T-C.24", &s.title)?;
    sheet.merge_range(
        1,
        0,
        1,
        last_col,
        &format!(
            "Anggaran dan Realisasi Pendanaan Pelayanan Perangkat Daerah {}",
            pd.nama
        ),
        &s.title,
    )?;
    sheet.merge_range(
        2,
        0,
        2,
        last_col,
        &format!("Pemerintah {}", pd.pemerintah_daerah),
        &s.title,
    )?;

    let (h1, h2) = (4u32, 5u32);
    for (col, label) in [(0u16, "Kode"), (1, "Uraian"), (2, "Lokasi")] {
        sheet.merge_range(h1, col, h2, col, label, &s.header)?;
    }
    let groups = [
        "Anggaran pada Tahun ke-",
        "Realisasi Anggaran pada Tahun ke-",
        "Rasio antara Realisasi dan Anggaran Tahun ke-",
    ];
    for (g, label) in groups.iter().enumerate() {
        let first = 3 + g as u16 * n;
        merge_or_write(sheet, h1, first, first + n - 1, label, &s.header)?;
        for (i, year) in table.years.iter().enumerate() {
            sheet.write_number_with_format(h2, first + i as u16, f64::from(*year), &s.header)?;
        }
    }
    let growth = 3 + 3 * n;
    sheet.merge_range(
        h1,
        growth,
        h1,
        growth + 1,
        "Rata-rata Pertumbuhan (%)",
        &s.header,
    )?;
    sheet.write_string_with_format(h2, growth, "Anggaran", &s.header)?;
    sheet.write_string_with_format(h2, growth + 1, "Realisasi", &s.header)?;
    for col in 0..=last_col {
        sheet.write_number_with_format(6, col, f64::from(col + 1), &s.number_row)?;
    }

    let first_data = 7u32;
    let program_rows: Vec<u32> = table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, row)| row.kind == RowKind::Line(Level::Program))
        .map(|(i, _)| first_data + i as u32)
        .collect();
    let mut r = first_data;
    for row in &table.rows {
        let bold = matches!(row.kind, RowKind::Total | RowKind::Line(Level::Program));
        let text = if bold { &s.text_bold } else { &s.text };
        sheet.write_string_with_format(r, 0, row.kode.as_deref().unwrap_or(""), text)?;
        sheet.write_string_with_format(r, 1, indented(&row.uraian, row.kind), text)?;
        sheet.write_string_with_format(r, 2, row.lokasi.as_deref().unwrap_or(""), text)?;
        let (money, ratio) = if bold {
            (&s.money_bold, &s.ratio_bold)
        } else {
            (&s.money, &s.ratio)
        };
        let cols = Tc24Columns { n };
        for (i, cell) in row.anggaran.iter().chain(&row.realisasi).enumerate() {
            let col = 3 + i as u16;
            if row.kind == RowKind::Total {
                let formula = sum_formula(&program_rows, col);
                write_derived(sheet, r, col, cell, &formula, money, s)?;
            } else {
                write_shown(sheet, r, col, cell, money, s)?;
            }
        }
        for (i, cell) in row.rasio.iter().enumerate() {
            let col = cols.rasio(i);
            let formula = ratio_formula(r, cols.anggaran(i), cols.realisasi(i));
            write_derived(sheet, r, col, cell, &formula, ratio, s)?;
        }
        for (side, cell) in [&row.growth_anggaran, &row.growth_realisasi]
            .into_iter()
            .enumerate()
        {
            let first = if side == 0 {
                cols.anggaran(0)
            } else {
                cols.realisasi(0)
            };
            let formula = growth_formula(r, first, n);
            write_derived(sheet, r, cols.growth(side), cell, &formula, ratio, s)?;
        }
        r += 1;
    }
    sheet.write_string(
        r + 1,
        1,
        "Sel merah: angka di berkas sumber tidak sah (ditampilkan apa adanya) atau tidak dapat dihitung (?); rinciannya di temuan.csv. Rasio, rata-rata pertumbuhan dan JUMLAH dihitung ulang oleh renstra.",
    )?;

    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(2, 22)?;
    sheet.set_column_range_width(3, 3 + 2 * n - 1, 16)?;
    sheet.set_column_range_width(3 + 2 * n, last_col, 10)?;
    sheet.set_freeze_panes(7, 2)?;
    page_setup(sheet, config, 6)?;
    Ok(())
}

/// Column positions of T-C.24 (0-based): Kode, Uraian, Lokasi, then n years of anggaran,
/// realisasi and rasio, then the two growth columns.
struct Tc24Columns {
    n: u16,
}

impl Tc24Columns {
    fn anggaran(&self, year: usize) -> u16 {
        3 + year as u16
    }
    fn realisasi(&self, year: usize) -> u16 {
        3 + self.n + year as u16
    }
    fn rasio(&self, year: usize) -> u16 {
        3 + 2 * self.n + year as u16
    }
    fn growth(&self, side: usize) -> u16 {
        3 + 3 * self.n + side as u16
    }
}

/// `realisasi / anggaran × 100`, empty when there is no anggaran: the same rule as renstra's.
fn ratio_formula(row: u32, anggaran: u16, realisasi: u16) -> String {
    let (a, r) = (a1(row, u32::from(anggaran)), a1(row, u32::from(realisasi)));
    format!("=IF(AND(ISNUMBER({a}),ISNUMBER({r}),{a}<>0),{r}/{a}*100,\"\")")
}

/// The mean of year-on-year growth over consecutive years that both have a figure and a non-zero
/// base, written without array functions so every spreadsheet computes it the same way.
fn growth_formula(row: u32, first: u16, n: u16) -> String {
    let mut terms = Vec::new();
    let mut counts = Vec::new();
    for i in 1..n {
        let prev = a1(row, u32::from(first + i - 1));
        let next = a1(row, u32::from(first + i));
        let cond = format!("AND(ISNUMBER({prev}),ISNUMBER({next}),{prev}<>0)");
        terms.push(format!("IF({cond},({next}-{prev})/{prev}*100,0)"));
        counts.push(format!("IF({cond},1,0)"));
    }
    format!(
        "=IFERROR(({})/({}),\"\")",
        terms.join("+"),
        counts.join("+")
    )
}

/// The sum of the program rows of a column; empty when no program has a figure, as renstra's
/// total is (a spreadsheet's SUM of nothing is 0, which would break the growth formula).
fn sum_formula(program_rows: &[u32], col: u16) -> String {
    let cells: Vec<String> = program_rows
        .iter()
        .map(|r| a1(*r, u32::from(col)))
        .collect();
    if cells.is_empty() {
        return "=\"\"".into();
    }
    let list = cells.join(",");
    format!("=IF(COUNT({list})=0,\"\",SUM({list}))")
}

/// A derived cell: a live formula carrying renstra's own result as its cached value, so viewers
/// that do not recalculate show the verified figure. A figure that cannot be computed is written
/// as marked text with a note instead (a formula would show an error or a wrong sum).
fn write_derived(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Shown,
    formula: &str,
    number: &Format,
    s: &Styles,
) -> Result<(), ExportError> {
    let cached = match cell {
        Shown::Value(d) => d.normalize().to_string(),
        Shown::Blank => String::new(),
        Shown::Note(_) | Shown::Unverified(_) | Shown::Uncomputable(_) => {
            return write_shown(sheet, row, col, cell, number, s);
        }
    };
    sheet.write_formula_with_format(row, col, Formula::new(formula).set_result(cached), number)?;
    Ok(())
}

fn merge_or_write(
    sheet: &mut Worksheet,
    row: u32,
    first: u16,
    last: u16,
    label: &str,
    format: &Format,
) -> Result<(), ExportError> {
    if first == last {
        sheet.write_string_with_format(row, first, label, format)?;
    } else {
        sheet.merge_range(row, first, row, last, label, format)?;
    }
    Ok(())
}

/// Kegiatan and sub kegiatan are indented under their program, as the printed forms do.
fn indented(uraian: &str, kind: RowKind) -> String {
    let depth = match kind {
        RowKind::Line(Level::Kegiatan) => 2,
        RowKind::Line(Level::SubKegiatan) => 4,
        _ => 0,
    };
    format!("{}{uraian}", " ".repeat(depth))
}

fn write_shown(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Shown,
    number: &Format,
    s: &Styles,
) -> Result<(), ExportError> {
    match cell {
        Shown::Blank => {
            sheet.write_blank(row, col, number)?;
        }
        // xlsx stores numbers as doubles: the conversion happens here, at the file-format edge.
        Shown::Value(d) => {
            sheet.write_number_with_format(row, col, d.to_f64().unwrap_or(0.0), number)?;
        }
        Shown::Note(text) => {
            sheet.write_string_with_format(row, col, text, &s.text)?;
        }
        Shown::Unverified(_) | Shown::Uncomputable(_) => {
            sheet.write_string_with_format(row, col, cell.display(2), &s.unverified)?;
            let why = match cell {
                Shown::Unverified(_) => {
                    "Angka di berkas sumber tidak sah; lihat temuan.csv untuk sel dan perbaikannya."
                        .to_string()
                }
                Shown::Uncomputable(reason) => format!("Tidak dapat dihitung: {reason}."),
                _ => String::new(),
            };
            sheet.insert_note(row, col, &Note::new(why).set_author("renstra"))?;
        }
    }
    Ok(())
}
