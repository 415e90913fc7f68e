//! `tabel-renstra.xlsx`: the verified tables in the official layouts, as a live workbook.
//!
//! Each sheet follows the Permendagri 86/2017 form: title, merged header groups, the row of column
//! numbers, figures as numbers with `#,##0.00` formats (so an Indonesian-locale Excel shows
//! `1.234.567,89`). Derived cells are formulas over the sheet's own cells with renstra's exact
//! result cached, so a verifier who changes a figure sees totals and ratios follow, and a viewer
//! that does not recalculate still shows the verified figure. Cells that could not be verified are
//! marked and carry the finding's message as a note. The sheet "Temuan" lists every finding, each
//! linked to the cell it concerns.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Url,
    Workbook, Worksheet,
};

use super::ExportError;
use crate::config::{Kertas, UnitConfig};
use crate::messages;
use crate::model::{Finding, SourceRef, a1};
use crate::tables::{Calc, Cell, CellKey, Kind, RowStyle, Shown, Table};

/// Rows above a table's header: three title lines and a blank.
const HEADER_ROW: u32 = 4;

/// Excel's limit on a formula's length; a longer one is written as its value only.
const MAX_FORMULA: usize = 8000;

/// Cell formats shared by the sheets.
struct Styles {
    title: Format,
    header: Format,
    number_row: Format,
    /// Text by [bold][depth].
    text: [[Format; 3]; 2],
    /// Figures by [kind][bold]: money, integer, decimal, percent.
    figures: [[Format; 2]; 4],
    unverified: Format,
    /// renstra's proposals by kind, like `figures`: their own colours, never a verified look.
    proposed: [Format; 4],
    legend: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_font_size(9)
            .set_align(FormatAlign::Top);
        let text = |bold: bool, depth: u8| {
            let f = cell.clone().set_text_wrap().set_indent(depth);
            if bold { f.set_bold() } else { f }
        };
        let figure = |format: &str, bold: bool| {
            let f = cell.clone().set_num_format(format);
            if bold { f.set_bold() } else { f }
        };
        let pair = |format: &str| [figure(format, false), figure(format, true)];
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_align(FormatAlign::Center),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E2F3)),
            number_row: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_italic()
                .set_background_color(Color::RGB(0xF2F2F2)),
            text: [
                [text(false, 0), text(false, 1), text(false, 2)],
                [text(true, 0), text(true, 1), text(true, 2)],
            ],
            figures: [
                pair("#,##0.00"),
                pair("#,##0"),
                pair("#,##0.00##"),
                pair("#,##0.00\"%\""),
            ],
            proposed: ["#,##0.00", "#,##0", "#,##0.00##", "#,##0.00\"%\""].map(|f| {
                cell.clone()
                    .set_num_format(f)
                    .set_italic()
                    .set_font_color(Color::RGB(0x1F4E79))
                    .set_background_color(Color::RGB(0xFFF2CC))
            }),
            unverified: cell
                .set_align(FormatAlign::Right)
                .set_font_color(Color::RGB(0x9C0006))
                .set_background_color(Color::RGB(0xFFC7CE)),
            legend: Format::new()
                .set_italic()
                .set_font_size(9)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
        }
    }

    fn text(&self, bold: bool, depth: u8) -> &Format {
        &self.text[usize::from(bold)][usize::from(depth.min(2))]
    }

    /// The number format of a figure: money always with cents; counts without decimals; other
    /// figures with their own decimals; percentages with a `%` sign (the value stays the
    /// percentage figure, 96.33 for 96,33 %).
    fn figure(&self, kind: Kind, shown: &Shown, bold: bool) -> &Format {
        let index = Styles::figure_index(kind, shown);
        if matches!(shown, Shown::Proposed { .. }) {
            return &self.proposed[index];
        }
        &self.figures[index][usize::from(bold)]
    }

    /// Which of the four figure formats a cell takes.
    fn figure_index(kind: Kind, shown: &Shown) -> usize {
        match kind {
            Kind::Money => 0,
            Kind::Percent => 3,
            Kind::Text | Kind::Number => match shown.value() {
                Some(d) if d.normalize().scale() > 0 => 2,
                _ => 1,
            },
        }
    }
}

/// A workbook row as (file, sheet, 0-based row): the key linking a finding to a table row.
type RowKey = (std::sync::Arc<str>, std::sync::Arc<str>, Option<u32>);

/// Where each table landed in the workbook, for links from the findings.
struct Placed {
    sheet: String,
    first_data: u32,
    cells: BTreeMap<CellKey, (usize, usize)>,
    rows: HashMap<RowKey, usize>,
}

/// Builds the workbook in memory: one sheet per table, then "Temuan".
pub fn workbook(
    config: &UnitConfig,
    tables: &[Table],
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
    let notes = finding_notes(findings);
    let mut placed = Vec::new();
    for table in tables {
        let sheet = book.add_worksheet();
        placed.push(write_table(sheet, config, table, &styles, &notes)?);
    }
    let temuan = book.add_worksheet();
    write_findings(
        temuan,
        &placed,
        findings,
        &styles,
        (config.dokumen.kertas, &config.perangkat_daerah.nama),
    )?;
    Ok(book.save_to_buffer()?)
}

/// The message of the most serious finding on each cell, for the notes on unverified cells.
fn finding_notes(findings: &[Finding]) -> HashMap<&SourceRef, &str> {
    let mut notes = HashMap::new();
    for f in findings {
        for src in &f.sources {
            notes.entry(src).or_insert(f.message.as_str());
        }
    }
    notes
}

/// The first data row of a table in its sheet (0-based).
fn first_data_row(table: &Table) -> u32 {
    HEADER_ROW + if table.has_groups() { 2 } else { 1 } + 1
}

fn write_table(
    sheet: &mut Worksheet,
    config: &UnitConfig,
    table: &Table,
    s: &Styles,
    notes: &HashMap<&SourceRef, &str>,
) -> Result<Placed, ExportError> {
    let last_col = table.columns.len().saturating_sub(1) as u16;
    sheet.set_name(crate::tables::sheet_name(table.id.name()))?;
    // A formula whose verified result is "nothing" caches an empty string, not rust_xlsxwriter's
    // default 0, so viewers that do not recalculate show a blank as renstra does.
    sheet.set_formula_result_default("");
    let titles = [
        format!("Tabel {}", table.id.name().trim_start_matches("Tabel ")),
        table.title.clone(),
        format!("Pemerintah {}", config.perangkat_daerah.pemerintah_daerah),
    ];
    let first_data = first_data_row(table);
    let legend_row = first_data + table.rows.len() as u32 + 1;
    let widths: Vec<f64> = table.columns.iter().map(|c| f64::from(c.width)).collect();
    let naming = table
        .columns
        .iter()
        .take_while(|c| c.kind == Kind::Text)
        .count()
        .min(2) as u16;
    let group_starts: Vec<u16> = table
        .group_spans()
        .into_iter()
        .map(|(first, _, _)| first as u16)
        .collect();
    let layout = super::print::Layout {
        widths: &widths,
        last_row: legend_row,
        header_rows: Some((HEADER_ROW, first_data - 1)),
        naming_columns: naming,
        group_starts: &group_starts,
        paper: config.dokumen.kertas,
        footer: &config.perangkat_daerah.nama,
    };
    let plan = super::print::plan(&layout);
    // The titles over the first page's columns, so a sheet printed across pages shows them whole.
    let title_end = plan.first_page_last_column(table.columns.len());
    for (r, title) in titles.iter().enumerate() {
        merge_or_write(sheet, r as u32, 0, title_end, title, &s.title)?;
    }
    write_header(sheet, table, s)?;
    for col in 0..=last_col {
        sheet.write_number_with_format(first_data - 1, col, f64::from(col + 1), &s.number_row)?;
    }
    let mut row_at = HashMap::new();
    for (i, row) in table.rows.iter().enumerate() {
        let r = first_data + i as u32;
        let bold = row.style != RowStyle::Normal;
        if let Some(src) = &row.source {
            row_at
                .entry((src.file.clone(), src.sheet.clone(), src.row()))
                .or_insert(i);
        }
        for (c, cell) in row.cells.iter().enumerate() {
            let kind = table.columns[c].kind;
            let place = Place {
                row: r,
                col: c as u16,
                first_data,
            };
            write_cell(sheet, place, cell, kind, bold, row.depth, s, notes)?;
        }
    }
    // The legend wraps within the first page's columns, on as many lines as it needs there: a
    // single cell ran off the printed page.
    merge_or_write(
        sheet,
        legend_row,
        0,
        title_end,
        messages::workbook::LEGEND,
        &s.legend,
    )?;
    sheet.set_row_height(
        legend_row,
        legend_height(&widths[..=usize::from(title_end)]),
    )?;
    for (c, col) in table.columns.iter().enumerate() {
        sheet.set_column_width(c as u16, f64::from(col.width))?;
    }
    sheet.set_freeze_panes(first_data, 0)?;
    fit_rows(sheet, table, first_data, &widths)?;
    super::print::apply(sheet, &layout, &plan)?;
    Ok(Placed {
        sheet: crate::tables::sheet_name(table.id.name()),
        first_data,
        cells: table.cells_by_source(),
        rows: row_at,
    })
}

/// Row heights that hold the wrapped text of each row (text columns wrap; figures do not), and
/// of the header rows.
fn fit_rows(
    sheet: &mut Worksheet,
    table: &Table,
    first_data: u32,
    widths: &[f64],
) -> Result<(), ExportError> {
    let header_rows = first_data - 1 - HEADER_ROW;
    let headers = super::print::row_height(
        table
            .columns
            .iter()
            .zip(widths)
            .map(|(c, w)| (c.header.as_str(), *w)),
    );
    if let Some(height) = headers {
        sheet.set_row_height(HEADER_ROW + header_rows.saturating_sub(1), height)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let texts: Vec<(String, f64)> = row
            .cells
            .iter()
            .zip(&table.columns)
            .zip(widths)
            .filter(|((_, c), _)| c.kind == Kind::Text)
            .map(|((cell, _), w)| (cell.shown.display(2), *w))
            .collect();
        if let Some(height) = super::print::row_height(texts.iter().map(|(t, w)| (t.as_str(), *w)))
        {
            sheet.set_row_height(first_data + i as u32, height)?;
        }
    }
    Ok(())
}

/// The header: one row, or two when columns sit under merged groups (ungrouped columns then
/// span both rows).
fn write_header(sheet: &mut Worksheet, table: &Table, s: &Styles) -> Result<(), ExportError> {
    let grouped = table.has_groups();
    for (first, last, group) in table.group_spans() {
        let (first, last) = (first as u16, last as u16);
        match group {
            Some(g) => {
                merge_or_write(sheet, HEADER_ROW, first, last, g, &s.header)?;
                for c in first..=last {
                    let header = &table.columns[usize::from(c)].header;
                    sheet.write_string_with_format(HEADER_ROW + 1, c, header, &s.header)?;
                }
            }
            None => {
                let header = &table.columns[usize::from(first)].header;
                if grouped {
                    sheet.merge_range(
                        HEADER_ROW,
                        first,
                        HEADER_ROW + 1,
                        first,
                        header,
                        &s.header,
                    )?;
                } else {
                    sheet.write_string_with_format(HEADER_ROW, first, header, &s.header)?;
                }
            }
        }
    }
    Ok(())
}

/// A cell's position: its sheet row and column, and the sheet row of the table's first data row
/// (to turn row indexes of a calculation into sheet rows).
#[derive(Clone, Copy)]
struct Place {
    row: u32,
    col: u16,
    first_data: u32,
}

#[allow(clippy::too_many_arguments)]
fn write_cell(
    sheet: &mut Worksheet,
    at: Place,
    cell: &Cell,
    kind: Kind,
    bold: bool,
    depth: u8,
    s: &Styles,
    notes: &HashMap<&SourceRef, &str>,
) -> Result<(), ExportError> {
    let format = match kind {
        Kind::Text => s.text(bold, if at.col <= 3 { depth } else { 0 }),
        _ => s.figure(kind, &cell.shown, bold),
    };
    if let Some(calc) = &cell.calc {
        let cached = match &cell.shown {
            Shown::Value(d)
            | Shown::Proposed { value: d, .. }
            | Shown::Recomputed { value: d, .. } => Some(d.normalize().to_string()),
            Shown::Blank => Some(String::new()),
            _ => None,
        };
        let formula = formula(calc, at);
        if let Some(cached) = cached.filter(|_| formula.len() <= MAX_FORMULA) {
            sheet.write_formula_with_format(
                at.row,
                at.col,
                Formula::new(formula).set_result(cached),
                format,
            )?;
            if matches!(cell.shown, Shown::Proposed { .. }) {
                let note =
                    Note::new(messages::workbook::DERIVED_FROM_PROPOSAL).set_author("renstra");
                sheet.insert_note(at.row, at.col, &note)?;
            }
            return Ok(());
        }
    }
    match &cell.shown {
        Shown::Blank => {
            sheet.write_blank(at.row, at.col, format)?;
        }
        // A proposal is a number (formulas above it compute with it) in its own colours, the
        // source's text and the finding's reasons in its note.
        Shown::Proposed { value, written } => {
            match value.to_f64() {
                Some(number) => sheet.write_number_with_format(at.row, at.col, number, format)?,
                None => {
                    sheet.write_string_with_format(at.row, at.col, value.to_string(), format)?
                }
            };
            let why = cell.source.as_ref().and_then(|src| notes.get(src)).copied();
            let note = match written {
                Some(w) => messages::workbook::proposed(w, why),
                None => messages::workbook::DERIVED_FROM_PROPOSAL.to_string(),
            };
            sheet.insert_note(
                at.row,
                at.col,
                &Note::new(super::cell_text(&note)).set_author("renstra"),
            )?;
        }
        // A recomputed figure is written like any figure; its note keeps what the source said.
        Shown::Recomputed { value, written } => {
            match value.to_f64() {
                Some(number) => sheet.write_number_with_format(at.row, at.col, number, format)?,
                None => {
                    sheet.write_string_with_format(at.row, at.col, value.to_string(), format)?
                }
            };
            let note = Note::new(super::cell_text(&messages::workbook::recomputed(written)))
                .set_author("renstra");
            sheet.insert_note(at.row, at.col, &note)?;
        }
        Shown::Rewritten { text, written } => {
            sheet.write_string_with_format(
                at.row,
                at.col,
                super::cell_text(text),
                s.text(bold, 0),
            )?;
            let note = Note::new(super::cell_text(&messages::workbook::recomputed(written)))
                .set_author("renstra");
            sheet.insert_note(at.row, at.col, &note)?;
        }
        // xlsx stores numbers as doubles: the conversion happens here, at the file-format edge.
        Shown::Value(d) => match d.to_f64() {
            Some(number) => {
                sheet.write_number_with_format(at.row, at.col, number, format)?;
            }
            // Never a silent 0: a figure with no double is written as its exact text.
            None => {
                sheet.write_string_with_format(at.row, at.col, d.to_string(), format)?;
            }
        },
        Shown::Text(text) | Shown::Note(text) => {
            sheet.write_string_with_format(
                at.row,
                at.col,
                super::cell_text(text),
                s.text(bold, 0),
            )?;
        }
        // A number with its unit: the number stored, the unit in its number format (`100%` is
        // 100 shown as `100%`, as the column's other percentages are percent figures).
        Shown::Quantity { value, unit } => {
            let format = s
                .figure(Kind::Number, &cell.shown, bold)
                .clone()
                .set_num_format(quantity_format(value.normalize().scale(), unit));
            match value.to_f64() {
                Some(number) => sheet.write_number_with_format(at.row, at.col, number, &format)?,
                None => sheet.write_string_with_format(
                    at.row,
                    at.col,
                    cell.shown.display(0),
                    s.text(bold, 0),
                )?,
            };
        }
        Shown::Unverified(_) | Shown::Uncomputable(_) => {
            sheet.write_string_with_format(
                at.row,
                at.col,
                super::cell_text(&cell.shown.display(2)),
                &s.unverified,
            )?;
            let why = match (
                &cell.shown,
                cell.source.as_ref().and_then(|src| notes.get(src)),
            ) {
                (Shown::Uncomputable(reason), _) => messages::workbook::uncomputable(reason),
                (_, Some(message)) => (*message).to_string(),
                _ => messages::workbook::UNVERIFIED.to_string(),
            };
            sheet.insert_note(
                at.row,
                at.col,
                &Note::new(super::cell_text(&why)).set_author("renstra"),
            )?;
        }
    }
    Ok(())
}

/// The number format of a number with a unit: its own decimals, then the unit as literal text
/// (`#,##0"%"`, `#,##0.5" unit"`); a quote in the unit is left out, so the format stays valid.
fn quantity_format(decimals: u32, unit: &str) -> String {
    let number = if decimals == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(decimals as usize))
    };
    let unit: String = unit.chars().filter(|c| *c != '"').collect();
    if unit == "%" {
        format!("{number}\"%\"")
    } else {
        format!("{number}\" {unit}\"")
    }
}

/// The spreadsheet formula of a calculation, at the cell's position.
fn formula(calc: &Calc, at: Place) -> String {
    let here = |col: usize| a1(at.row, col as u32);
    match calc {
        Calc::SumRows(rows) => {
            let cells = row_ranges(rows, at);
            if cells.is_empty() {
                "=\"\"".into()
            } else {
                format!("=IF(COUNT({cells})=0,\"\",SUM({cells}))")
            }
        }
        Calc::SumCols(cols) => {
            let cells: Vec<String> = cols.iter().map(|c| here(*c)).collect();
            let list = cells.join(",");
            format!("=IF(COUNT({list})=0,\"\",SUM({list}))")
        }
        Calc::Ratio { part, whole } => {
            let (w, p) = (here(*whole), here(*part));
            format!("=IF(AND(ISNUMBER({w}),ISNUMBER({p}),{w}<>0),{p}/{w}*100,\"\")")
        }
        Calc::Product(a, b) => {
            let (a, b) = (here(*a), here(*b));
            format!("=IF(AND(ISNUMBER({a}),ISNUMBER({b})),{a}*{b},\"\")")
        }
        Calc::Copy(col) => {
            let c = here(*col);
            format!("=IF(ISNUMBER({c}),{c},\"\")")
        }
        Calc::Growth { first, count } => growth_formula(at.row, *first as u16, *count as u16),
    }
}

/// The rows of a column as a list of cells and ranges (`D8:D12,D20`), consecutive rows merged so
/// a long total stays within Excel's formula length.
fn row_ranges(rows: &[usize], at: Place) -> String {
    let col = u32::from(at.col);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let start = rows[i];
        let mut end = start;
        while i + 1 < rows.len() && rows[i + 1] == end + 1 {
            end += 1;
            i += 1;
        }
        let (a, b) = (at.first_data + start as u32, at.first_data + end as u32);
        parts.push(if a == b {
            a1(a, col)
        } else {
            format!("{}:{}", a1(a, col), a1(b, col))
        });
        i += 1;
    }
    parts.join(",")
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
    if terms.is_empty() {
        return "=\"\"".into();
    }
    format!(
        "=IFERROR(({})/({}),\"\")",
        terms.join("+"),
        counts.join("+")
    )
}

/// Sheet "Temuan": every finding, with a link to the table cell it concerns: the exact cell when
/// the table shows it, else the row's name.
fn write_findings(
    sheet: &mut Worksheet,
    placed: &[Placed],
    findings: &[Finding],
    s: &Styles,
    (paper, unit): (Kertas, &str),
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
    let text = s.text(false, 0);
    for (i, f) in findings.iter().enumerate() {
        let r = 1 + i as u32;
        let at = f.sources.first();
        let cells: Vec<String> = f.sources.iter().map(SourceRef::a1).collect();
        sheet.write_number_with_format(r, 0, f64::from(r), text)?;
        for (c, value) in [
            f.severity.label(),
            f.rule.id(),
            at.map_or("", |x| &*x.file),
            at.map_or("", |x| &*x.sheet),
            &super::cell_list(&cells),
            &f.written,
            &f.expected,
            &f.message,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_string_with_format(r, 1 + c as u16, super::cell_text(value), text)?;
        }
        if let Some((name, cell)) = at.and_then(|src| link_target(placed, src)) {
            let url =
                Url::new(format!("internal:'{name}'!{cell}")).set_text(format!("{name} {cell}"));
            sheet.write_url(r, 9, url)?;
        }
    }
    for (c, width) in TEMUAN_WIDTHS.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, findings.len() as u32, 9)?;
    for (i, f) in findings.iter().enumerate() {
        let cells = [
            (f.message.as_str(), TEMUAN_WIDTHS[8]),
            (f.written.as_str(), TEMUAN_WIDTHS[6]),
            (f.expected.as_str(), TEMUAN_WIDTHS[7]),
        ];
        if let Some(height) = super::print::row_height(cells) {
            sheet.set_row_height(1 + i as u32, height)?;
        }
    }
    let layout = super::print::Layout {
        widths: &TEMUAN_WIDTHS,
        last_row: findings.len() as u32,
        header_rows: Some((0, 0)),
        naming_columns: 0,
        group_starts: &[],
        paper,
        footer: unit,
    };
    super::print::apply(sheet, &layout, &super::print::plan(&layout))?;
    Ok(())
}

/// The Temuan sheet's column widths, in characters.
const TEMUAN_WIDTHS: [f64; 10] = [5.0, 16.0, 16.0, 28.0, 28.0, 16.0, 16.0, 16.0, 90.0, 16.0];

/// The sheet and A1 cell a finding's source shows up at.
fn link_target(placed: &[Placed], src: &SourceRef) -> Option<(String, String)> {
    for p in placed {
        if let Some((r, c)) = p.cells.get(src) {
            return Some((p.sheet.clone(), a1(p.first_data + *r as u32, *c as u32)));
        }
    }
    let row = (src.file.clone(), src.sheet.clone(), src.row());
    placed.iter().find_map(|p| {
        p.rows
            .get(&row)
            .map(|r| (p.sheet.clone(), a1(p.first_data + *r as u32, 1)))
    })
}

/// The row number of an A1 reference (`E81` → `81`); empty for sheet-level references.
/// Height in points of the legend row over columns of `widths` (Excel character widths): its
/// characters at 9 pt italic take about 0.85 of a width unit each, a line 12 pt, plus a margin.
fn legend_height(widths: &[f64]) -> f64 {
    let per_line = (widths.iter().sum::<f64>() / 0.85).max(1.0);
    let chars = messages::workbook::LEGEND.chars().count() as f64;
    (chars / per_line).ceil() * 12.0 + 3.0
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_rows_become_ranges() {
        let at = Place {
            row: 30,
            col: 3,
            first_data: 7,
        };
        assert_eq!(row_ranges(&[0, 1, 2, 5, 7, 8], at), "D8:D10,D13,D15:D16");
        assert_eq!(row_ranges(&[], at), "");
    }

    #[test]
    fn growth_over_one_year_is_empty() {
        assert_eq!(growth_formula(7, 3, 1), "=\"\"");
        assert!(growth_formula(7, 3, 3).starts_with("=IFERROR("));
    }
}
