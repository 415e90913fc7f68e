//! Reading an anggaran/realisasi sheet into rows, accounting for every row of the sheet.

use std::sync::Arc;

use compact_str::CompactString;

use super::grid::{Grid, RawCell};
use super::layout::{Layout, Unread};
use crate::messages;
use crate::model::{
    BudgetRow, CellValue, Figure, Finding, Kode, Malformed, NumberKind, Role, RowAccounting, Rule,
    Severity, SkippedRow, SourceRef, StatedTotal, is_total_label, parse_kode_cell, parse_number,
    year_in, years_in,
};

/// What a budget sheet yielded.
#[derive(Debug, Default)]
pub struct BudgetSheet {
    /// Data rows in sheet order.
    pub rows: Vec<BudgetRow>,
    /// Stated totals.
    pub totals: Vec<StatedTotal>,
    /// Row accounting.
    pub accounting: RowAccounting,
    /// Findings raised while reading.
    pub findings: Vec<Finding>,
}

/// Reads the data rows of a sheet whose layout has been detected as anggaran/realisasi.
pub fn read_budget_sheet(grid: &Grid, layout: &Layout, bidang: Option<&Kode>) -> BudgetSheet {
    let mut out = BudgetSheet::default();
    let fallback_year = fallback_year(grid, layout);
    out.accounting.read = grid.rows.len();
    for r in 0..layout.header_row {
        if row_is_blank(grid, r) {
            out.accounting.blank += 1;
        } else {
            out.accounting.title += 1;
        }
    }
    out.accounting.header = (layout.data_start() - layout.header_row).min(grid.rows.len());
    if figure_columns_lack_year(layout) && fallback_year.is_none() {
        out.findings.push(Finding::new(
            Severity::Error,
            Rule::InputUnreadable,
            SourceRef::sheet(&grid.file, &grid.sheet),
            messages::findings::YEAR_UNKNOWN,
        ));
    }
    // Rows are read independently, so a long sheet is read in blocks on every core and the
    // blocks joined in sheet order: the same rows, totals, findings and counts, in the same order.
    use rayon::prelude::*;
    let (start, end) = (layout.data_start(), grid.rows.len());
    let blocks: Vec<BudgetSheet> = (start..end)
        .step_by(ROWS_PER_BLOCK)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|first| {
            let mut block = BudgetSheet::default();
            let names = BlockNames::of(grid);
            for r in first..(first + ROWS_PER_BLOCK).min(end) {
                let row = RowAt {
                    grid,
                    names: &names,
                    r,
                };
                classify_row(&row, layout, fallback_year, bidang, &mut block);
            }
            block
        })
        .collect();
    // Room for every block's rows at once, so joining them copies each row once.
    out.rows
        .reserve_exact(blocks.iter().map(|b| b.rows.len()).sum());
    for block in blocks {
        out.append(block);
    }
    out
}

/// Rows read as one block: large enough that joining blocks costs nothing beside reading them.
const ROWS_PER_BLOCK: usize = 8192;

/// The file and sheet names a block's cell references share. Each block has its own copy: one
/// pair shared by every figure of every row, counted from every core at once, made the cores
/// contend for the cache line of its reference counts.
struct BlockNames {
    file: Arc<str>,
    sheet: Arc<str>,
}

impl BlockNames {
    fn of(grid: &Grid) -> BlockNames {
        BlockNames {
            file: Arc::from(&*grid.file),
            sheet: Arc::from(&*grid.sheet),
        }
    }
}

/// One row of a sheet being read, with the names its references share.
struct RowAt<'a> {
    grid: &'a Grid,
    names: &'a BlockNames,
    r: usize,
}

impl RowAt<'_> {
    /// A reference to this row's cell in column `col` of the grid.
    fn cell_ref(&self, col: usize) -> SourceRef {
        let (row, col) = self.grid.sheet_pos(self.r, col);
        SourceRef::at(&self.names.file, &self.names.sheet, row, col)
    }
}

impl BudgetSheet {
    /// Adds the rows, totals, findings and counts of `later`, which comes after these in the sheet.
    fn append(&mut self, later: BudgetSheet) {
        self.rows.extend(later.rows);
        self.totals.extend(later.totals);
        self.findings.extend(later.findings);
        // Every field named, so a new kind of row cannot be left out of the join; a block
        // counts only the rows it reads (the sheet's size and its title and header rows are
        // counted once, by the sheet).
        let RowAccounting {
            read: _,
            title: _,
            header: _,
            blank,
            data,
            total,
            skipped,
        } = later.accounting;
        let mine = &mut self.accounting;
        mine.blank += blank;
        mine.data += data;
        mine.total += total;
        mine.skipped.extend(skipped);
    }
}

fn classify_row(
    at: &RowAt<'_>,
    layout: &Layout,
    fallback_year: Option<i32>,
    bidang: Option<&Kode>,
    out: &mut BudgetSheet,
) {
    let (grid, r) = (at.grid, at.r);
    if row_is_blank(grid, r) {
        out.accounting.blank += 1;
        return;
    }
    let text_of = |role| {
        layout
            .column(role)
            .map(|c| CompactString::from(grid.at(r, c.index).text_view()))
            .unwrap_or_default()
    };
    let uraian = text_of(Role::Uraian);
    let kode_text = text_of(Role::Kode);
    let cell_ref = |role: Role| at.cell_ref(layout.column(role).map_or(0, |c| c.index));
    let row_ref = cell_ref(Role::Uraian);
    if let Some(label) = total_label(grid, layout, r) {
        let figures = read_figures(at, layout, fallback_year, &mut out.findings);
        out.totals.push(StatedTotal {
            label,
            figures,
            source: row_ref,
        });
        out.accounting.total += 1;
        return;
    }
    if uraian.is_empty() && kode_text.is_empty() {
        let reason = messages::findings::ROW_WITHOUT_NAME;
        out.findings.push(Finding::new(
            Severity::Warning,
            Rule::InputUnreadable,
            row_ref.clone(),
            reason,
        ));
        out.accounting.skipped.push(SkippedRow {
            at: row_ref,
            reason: reason.into(),
        });
        return;
    }
    let kode_source = layout.column(Role::Kode).map(|_| cell_ref(Role::Kode));
    let kode = parse_kode_cell(&kode_text, bidang, cell_ref(Role::Kode), &mut out.findings);
    let figures = read_figures(at, layout, fallback_year, &mut out.findings);
    out.rows.push(BudgetRow {
        kode_text,
        kode,
        kode_source,
        uraian,
        lokasi_text: text_of(Role::Lokasi),
        keterangan: text_of(Role::Keterangan),
        figures,
        source: row_ref,
    });
    out.accounting.data += 1;
}

/// One COLUMN-UNREAD finding per column the sheet's layout does not read, at its header cell,
/// saying what the column holds: nothing in the sheet is dropped without a word.
pub fn unread_columns(grid: &Grid, layout: &Layout) -> Vec<Finding> {
    layout
        .unknown
        .iter()
        .filter_map(|column| {
            let holds = column_holds(grid, layout, column.index);
            if column.header.is_empty() && holds.is_empty {
                return None;
            }
            let header = if column.header.is_empty() {
                messages::findings::NO_HEADER.to_string()
            } else {
                column.header.clone()
            };
            let column = &crate::ingest::layout::UnreadColumn {
                header,
                ..column.clone()
            };
            let (severity, message) = match column.why {
                Unread::Unrecognised if holds.is_empty => (
                    Severity::Info,
                    messages::findings::column_unrecognised(&column.header, &holds.text),
                ),
                Unread::Unrecognised => (
                    Severity::Warning,
                    messages::findings::column_unrecognised(&column.header, &holds.text),
                ),
                Unread::Computed(role) => (
                    Severity::Info,
                    messages::findings::column_computed(
                        &column.header,
                        &holds.text,
                        if role == Role::Sisa {
                            "sisa anggaran (anggaran − realisasi)"
                        } else {
                            "rata-rata pertumbuhan"
                        },
                    ),
                ),
                Unread::PartYear => (
                    Severity::Warning,
                    messages::findings::column_part_year(&column.header, &holds.text),
                ),
                Unread::Superseded => (
                    Severity::Info,
                    messages::findings::column_superseded(&column.header, &holds.text),
                ),
            };
            let header_row = if grid.at(layout.header_row, column.index).is_empty() {
                layout.header_row + 1
            } else {
                layout.header_row
            };
            let (row, col) = grid.sheet_pos(header_row, column.index);
            Some(Finding::new(
                severity,
                Rule::ColumnUnread,
                SourceRef::at(&grid.file, &grid.sheet, row, col),
                message,
            ))
        })
        .collect()
}

/// What a column holds below its header, in words.
struct Holds {
    text: String,
    is_empty: bool,
}

fn column_holds(grid: &Grid, layout: &Layout, col: usize) -> Holds {
    let (mut numbers, mut texts) = (0, 0);
    let (mut first_number, mut first_text) = (None, None);
    for r in layout.data_start()..grid.rows.len() {
        match grid.at(r, col) {
            RawCell::Empty => {}
            RawCell::Number(d) | RawCell::Percent(d) => {
                numbers += 1;
                first_number.get_or_insert_with(|| crate::model::format_id(*d, d.scale().min(2)));
            }
            cell => {
                let text = cell.text();
                if matches!(
                    parse_number(&text, NumberKind::Money).value,
                    CellValue::Number(_)
                ) {
                    numbers += 1;
                    first_number.get_or_insert(text);
                } else {
                    texts += 1;
                    first_text.get_or_insert_with(|| text.chars().take(40).collect::<String>());
                }
            }
        }
    }
    Holds {
        text: messages::findings::column_holds(
            numbers,
            first_number.as_deref(),
            texts,
            first_text.as_deref(),
        ),
        is_empty: numbers + texts == 0,
    }
}

fn row_is_blank(grid: &Grid, r: usize) -> bool {
    grid.rows
        .get(r)
        .is_none_or(|cells| cells.iter().all(RawCell::is_empty))
}

/// A row whose name (or first text) is JUMLAH, TOTAL, JUMLAH TOTAL …
fn total_label(grid: &Grid, layout: &Layout, r: usize) -> Option<String> {
    let candidates = [Role::Uraian, Role::Kode, Role::Nomor];
    candidates
        .iter()
        .filter_map(|role| layout.column(*role))
        .map(|c| grid.at(r, c.index).text_view())
        .find(|t| is_total_label(t))
        .map(std::borrow::Cow::into_owned)
}

fn figure_columns_lack_year(layout: &Layout) -> bool {
    layout
        .columns
        .iter()
        .any(|c| c.role.is_figure() && c.year.is_none())
}

/// The year of a long-layout sheet (one sheet or file per year): from the sheet name, the file
/// name, or a title row above the header, whichever names exactly one year.
fn fallback_year(grid: &Grid, layout: &Layout) -> Option<i32> {
    year_in(&grid.sheet)
        .or_else(|| year_in(&grid.file))
        .or_else(|| {
            let mut years = Vec::new();
            for r in 0..layout.header_row {
                for c in 0..grid.top_width(layout.header_row) {
                    years.extend(years_in(&grid.at(r, c).text()));
                }
            }
            years.dedup();
            (years.len() == 1).then(|| years[0])
        })
}

fn read_figures(
    at: &RowAt<'_>,
    layout: &Layout,
    fallback_year: Option<i32>,
    findings: &mut Vec<Finding>,
) -> Vec<Figure> {
    let figure_columns = || layout.columns.iter().filter(|c| c.role.is_figure());
    // Room for the figures alone: the layout's other columns (code, name, location, remarks)
    // would make every row's figures half as large again, for nothing.
    let mut figures = Vec::with_capacity(figure_columns().count());
    for column in figure_columns() {
        let Some(year) = column.year.or(fallback_year) else {
            continue;
        };
        let source = at.cell_ref(column.index);
        let kind = if column.role == Role::Rasio {
            NumberKind::Ratio
        } else {
            NumberKind::Money
        };
        let value = cell_value(
            at.grid.at(at.r, column.index),
            kind,
            column.role,
            year,
            &source,
            findings,
        );
        figures.push(Figure {
            role: column.role,
            year,
            value,
            source,
            proposed: None,
        });
    }
    figures
}

fn column_label(role: Role, year: i32) -> String {
    let name = match role {
        Role::Anggaran => "Anggaran",
        Role::Realisasi => "Realisasi",
        Role::Rasio => "Rasio",
        _ => "angka",
    };
    messages::findings::figure_column(name, year)
}

/// Turns a raw cell into a value, raising the findings a person must see. A figure beyond
/// [`crate::model::MAX_FIGURE`] is no budget a unit can have: it is an AMOUNT-MALFORMED finding,
/// never a figure, so no sum of a unit's figures can leave what an exact decimal holds.
fn cell_value(
    cell: &RawCell,
    kind: NumberKind,
    role: Role,
    year: i32,
    at: &SourceRef,
    findings: &mut Vec<Finding>,
) -> CellValue {
    let value = cell_value_unbounded(cell, kind, role, year, at, findings);
    match value {
        CellValue::Number(d) if d.abs() > crate::model::MAX_FIGURE => invalid(
            &crate::model::format_id(d, d.scale().min(2)),
            Malformed::TooLarge,
            &column_label(role, year),
            at,
            findings,
        ),
        other => other,
    }
}

fn cell_value_unbounded(
    cell: &RawCell,
    kind: NumberKind,
    role: Role,
    year: i32,
    at: &SourceRef,
    findings: &mut Vec<Finding>,
) -> CellValue {
    let column = || column_label(role, year);
    match cell {
        RawCell::Empty => CellValue::Empty,
        RawCell::Number(d) | RawCell::Percent(d) => CellValue::Number(*d),
        RawCell::Other(s) => invalid(s, Malformed::NotANumber, &column(), at, findings),
        RawCell::UncachedFormula(f) => {
            findings.push(
                Finding::new(
                    Severity::Error,
                    Rule::FormulaUncached,
                    at.clone(),
                    messages::findings::formula_uncached(column()),
                )
                .written(format!("={f}")),
            );
            CellValue::Invalid {
                raw: format!("={f}"),
                reason: Malformed::UncachedFormula,
            }
        }
        RawCell::Text(t) => {
            let parsed = parse_number(t, kind);
            match &parsed.value {
                CellValue::Invalid { raw, reason } => {
                    return invalid(raw, *reason, &column(), at, findings);
                }
                CellValue::Note(note) => findings.push(
                    Finding::new(
                        Severity::Info,
                        Rule::AmountNote,
                        at.clone(),
                        messages::findings::amount_note(column()),
                    )
                    .written(note.clone()),
                ),
                CellValue::Number(d) if parsed.spaces_removed => findings.push(
                    Finding::new(
                        Severity::Warning,
                        Rule::AmountSpaces,
                        at.clone(),
                        messages::findings::amount_spaces(column()),
                    )
                    .written(t.trim())
                    .expected(crate::model::format_id(*d, d.scale().min(2))),
                ),
                _ => {}
            }
            parsed.value
        }
    }
}

fn invalid(
    raw: &str,
    reason: Malformed,
    column: &str,
    at: &SourceRef,
    findings: &mut Vec<Finding>,
) -> CellValue {
    findings.push(
        Finding::new(
            Severity::Error,
            Rule::AmountMalformed,
            at.clone(),
            messages::findings::amount_malformed(column, reason),
        )
        .written(raw.trim()),
    );
    CellValue::Invalid {
        raw: raw.trim().to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::layout::detect;
    use rust_decimal_macros::dec;

    fn t(s: &str) -> RawCell {
        RawCell::from_text(s)
    }

    fn sample_grid() -> Grid {
        Grid {
            file: "a.xlsx".into(),
            sheet: "Anggaran 2022".into(),
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows: vec![
                vec![t("REKAP TAHUN 2022")],
                vec![],
                vec![t("Kode"), t("Uraian"), t("Pagu"), t("Realisasi")],
                vec![t("7.01.02"), t("Program A"), t("1.000,00"), t("500")],
                vec![
                    t("7.01.02.2.01"),
                    t("Kegiatan B"),
                    t("58.200.00,00"),
                    t("790. 000"),
                ],
                vec![],
                vec![t(""), t(""), t("12"), t("")],
                vec![
                    t("7.01.0x"),
                    t("Kegiatan C"),
                    t("Mengalami Refocusing"),
                    t("-"),
                ],
                vec![t(""), t("JUMLAH"), t("1.000,00"), t("500")],
            ],
        }
    }

    #[test]
    fn every_row_is_accounted_for() {
        let g = sample_grid();
        let layout = detect(&g).unwrap();
        let sheet = read_budget_sheet(&g, &layout, None);
        let a = &sheet.accounting;
        assert_eq!(a.read, 9);
        assert_eq!(
            (a.title, a.header, a.blank, a.data, a.total),
            (1, 1, 2, 3, 1)
        );
        assert_eq!(a.skipped.len(), 1);
        assert_eq!(a.skipped[0].at.a1(), "B7");
        assert!(a.balances());
    }

    /// A sheet of three blocks and a bit: every 1,000th data row blank, every 3,000th without a
    /// name, every 7,000th malformed, and a JUMLAH row at the end.
    #[test]
    fn a_sheet_read_in_blocks_keeps_sheet_order_and_every_count() {
        let n = 3 * ROWS_PER_BLOCK + 100;
        let mut rows = vec![vec![t("Kode"), t("Uraian"), t("Pagu 2022")]];
        for i in 1..=n {
            rows.push(if i % 1000 == 0 {
                vec![]
            } else if i % 3000 == 1 {
                vec![t(""), t(""), t("5")]
            } else if i % 7000 == 2 {
                vec![t("7.01.02"), t(&format!("Baris {i}")), t("1.2.3,4")]
            } else {
                vec![t("7.01.02"), t(&format!("Baris {i}")), t(&i.to_string())]
            });
        }
        rows.push(vec![t(""), t("JUMLAH"), t("1")]);
        let g = Grid::rekap(rows);
        let layout = detect(&g).unwrap();
        let sheet = read_budget_sheet(&g, &layout, None);
        // Counted by hand: n = 24,676 data lines; 24 multiples of 1,000; 9 lines 1, 3001, …,
        // 24001 without a name; the JUMLAH line; the rest are data rows.
        let (blank, unnamed) = (n / 1000, (n - 1) / 3000 + 1);
        let a = &sheet.accounting;
        assert_eq!((blank, unnamed), (24, 9));
        assert_eq!(a.read, n + 2);
        assert_eq!(
            (a.header, a.blank, a.total, a.skipped.len()),
            (1, blank, 1, unnamed)
        );
        assert_eq!(a.data, n - blank - unnamed);
        assert!(a.balances());
        // Rows and findings in sheet order: the sheet row of each is one past its data line.
        let lines: Vec<usize> = sheet
            .rows
            .iter()
            .map(|r| r.uraian["Baris ".len()..].parse().unwrap())
            .collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
        assert_eq!((lines[0], *lines.last().unwrap()), (2, n));
        let malformed: Vec<String> = sheet
            .findings
            .iter()
            .filter(|f| f.rule == Rule::AmountMalformed)
            .map(|f| f.sources[0].a1())
            .collect();
        // Lines 2, 7002, 14002 and 21002 sit on sheet rows 3, 7003, 14003 and 21003.
        assert_eq!(malformed, ["C3", "C7003", "C14003", "C21003"]);
    }

    #[test]
    fn long_layout_takes_the_year_from_the_sheet_name() {
        let g = sample_grid();
        let layout = detect(&g).unwrap();
        let sheet = read_budget_sheet(&g, &layout, None);
        let first = &sheet.rows[0];
        assert_eq!(first.kode.as_ref().unwrap().to_string(), "7.01.02");
        assert!(first.figures.iter().all(|f| f.year == 2022));
        assert_eq!(first.figures[0].value, CellValue::Number(dec!(1000)));
        assert_eq!(first.figures[0].source.a1(), "C4");
    }

    #[test]
    fn bad_cells_become_findings_with_their_cell() {
        let g = sample_grid();
        let layout = detect(&g).unwrap();
        let sheet = read_budget_sheet(&g, &layout, None);
        let by_rule = |rule| {
            sheet
                .findings
                .iter()
                .filter(|f| f.rule == rule)
                .map(|f| (f.sources[0].a1(), f.written.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            by_rule(Rule::AmountMalformed),
            vec![("C5".to_string(), "58.200.00,00".to_string())]
        );
        assert_eq!(
            by_rule(Rule::AmountSpaces),
            vec![("D5".to_string(), "790. 000".to_string())]
        );
        assert_eq!(
            by_rule(Rule::AmountNote),
            vec![("C8".to_string(), "Mengalami Refocusing".to_string())]
        );
        assert_eq!(
            by_rule(Rule::KodeMalformed),
            vec![("A8".to_string(), "7.01.0x".to_string())]
        );
        assert_eq!(sheet.totals.len(), 1);
        assert_eq!(sheet.totals[0].source.a1(), "B9");
    }
}
