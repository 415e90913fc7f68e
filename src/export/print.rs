//! How a sheet prints: every sheet renstra writes gets a print area, the orientation its width
//! needs, its header rows on every page, a scale that fits the width without going below a
//! readable floor (a sheet too wide for it splits across pages at its column groups, the naming
//! columns repeated on each), margins, a footer with the unit and the page number, and row heights
//! that hold wrapped text (LibreOffice does not grow a row by itself).

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::config::Kertas;

/// The smallest print scale, in percent: below it 11-point text prints under 7 points.
pub const MIN_SCALE: u16 = 60;

/// Left and right margins, in inches.
const SIDE_MARGIN: f64 = 0.4;
/// Top and bottom margins (room for the footer), in inches.
const END_MARGIN: f64 = 0.6;
/// Header and footer margins, in inches.
const FURNITURE_MARGIN: f64 = 0.3;

/// How much of the printable width a sheet may fill: spreadsheet programs measure characters a
/// little wider than Excel's nominal width (LibreOffice's Carlito for Calibri), and a column that
/// overshoots the page by a point is pushed onto a page of its own.
const WIDTH_SAFETY: f64 = 0.92;

/// The height of one line of 11-point text in a row, in points (Excel's default row).
const LINE_HEIGHT: f64 = 15.0;

/// What the page setup of a sheet needs to know.
pub struct Layout<'a> {
    /// Column widths in Excel's character units, left to right.
    pub widths: &'a [f64],
    /// The last row with content (0-based).
    pub last_row: u32,
    /// The rows repeated at the top of every page (0-based, inclusive), if any.
    pub header_rows: Option<(u32, u32)>,
    /// How many leading columns name a row (Kode, Uraian): repeated on every page across.
    pub naming_columns: u16,
    /// Columns where a group starts (a page across may begin there), besides the first.
    pub group_starts: &'a [u16],
    /// The paper the unit prints on.
    pub paper: Kertas,
    /// The footer's left text: the unit's name.
    pub footer: &'a str,
}

/// How a sheet prints, decided from its layout alone (before its cells are written, so a title
/// can be merged over the first page's columns only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Landscape or portrait.
    pub landscape: bool,
    /// The print scale, in percent.
    pub scale: u16,
    /// The columns where a page across begins, after the first.
    pub breaks: Vec<u16>,
}

impl Plan {
    /// The last column of the first page across.
    pub fn first_page_last_column(&self, columns: usize) -> u16 {
        self.breaks
            .first()
            .map_or(columns.saturating_sub(1) as u16, |b| b.saturating_sub(1))
    }
}

/// A column's printed width in points: Excel's `width × 7 + 5` pixels at 96 dpi.
pub fn column_points(width: f64) -> f64 {
    (width * 7.0 + 5.0).trunc() * 0.75
}

/// The paper's short and long sides, in points.
fn paper_points(paper: Kertas) -> (f64, f64) {
    match paper {
        Kertas::A4 => (595.3, 841.9),
        Kertas::F4 => (609.4, 935.4),
    }
}

/// Chooses orientation, scale and the pages across for `layout`.
pub fn plan(layout: &Layout) -> Plan {
    let widths: Vec<f64> = layout.widths.iter().map(|w| column_points(*w)).collect();
    let total: f64 = widths.iter().sum();
    let (short, long) = paper_points(layout.paper);
    let margins = 2.0 * SIDE_MARGIN * 72.0;
    let landscape = total > (short - margins) * WIDTH_SAFETY;
    let printable = (if landscape { long } else { short } - margins) * WIDTH_SAFETY;
    let fit = (printable / total.max(1.0) * 100.0).floor();
    let scale = fit.clamp(f64::from(MIN_SCALE), 100.0) as u16;
    let breaks = if fit < f64::from(MIN_SCALE) {
        page_breaks(&widths, layout, printable * 100.0 / f64::from(scale))
    } else {
        Vec::new()
    };
    Plan {
        landscape,
        scale,
        breaks,
    }
}

/// Applies `plan` to the sheet, with print area, repeated rows and columns, page breaks across,
/// margins and footer.
pub fn apply(sheet: &mut Worksheet, layout: &Layout, plan: &Plan) -> Result<(), XlsxError> {
    let Plan {
        landscape,
        scale,
        breaks,
    } = plan;
    let (landscape, scale) = (*landscape, *scale);
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_paper_size(match layout.paper {
        Kertas::A4 => 9,
        Kertas::F4 => 14,
    });
    sheet.set_print_scale(scale);
    sheet.set_margins(
        SIDE_MARGIN,
        SIDE_MARGIN,
        END_MARGIN,
        END_MARGIN,
        FURNITURE_MARGIN,
        FURNITURE_MARGIN,
    );
    sheet.set_footer(format!(
        "&L{}&RHalaman &P dari &N",
        layout.footer.replace('&', "&&")
    ));
    let last_col = layout.widths.len().saturating_sub(1) as u16;
    sheet.set_print_area(0, 0, layout.last_row, last_col)?;
    if let Some((first, last)) = layout.header_rows {
        sheet.set_repeat_rows(first, last)?;
    }
    if !breaks.is_empty() {
        if layout.naming_columns > 0 {
            sheet.set_repeat_columns(0, layout.naming_columns - 1)?;
        }
        sheet
            .set_vertical_page_breaks(&breaks.iter().map(|&c| u32::from(c)).collect::<Vec<_>>())?;
    }
    Ok(())
}

/// Where pages across begin, at group starts, so that each page's columns (with the naming
/// columns repeated) fit `room` points before scaling.
fn page_breaks(widths: &[f64], layout: &Layout, room: f64) -> Vec<u16> {
    let naming: f64 = widths.iter().take(usize::from(layout.naming_columns)).sum();
    let mut starts: Vec<u16> = layout
        .group_starts
        .iter()
        .copied()
        .filter(|&c| c > layout.naming_columns)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut breaks = Vec::new();
    let mut used = naming;
    let mut segment_start = layout.naming_columns;
    let bounds: Vec<u16> = starts
        .iter()
        .copied()
        .chain(std::iter::once(widths.len() as u16))
        .collect();
    for end in bounds {
        let group: f64 = widths[usize::from(segment_start)..usize::from(end)]
            .iter()
            .sum();
        if used + group > room && used > naming {
            breaks.push(segment_start);
            used = naming;
        }
        used += group;
        segment_start = end;
    }
    breaks
}

/// The height a row needs for `cells` (text and its column's width in character units), or
/// `None` for a row of one line.
pub fn row_height<'a>(cells: impl IntoIterator<Item = (&'a str, f64)>) -> Option<f64> {
    let lines = cells
        .into_iter()
        .map(|(text, width)| {
            // Letters are on average narrower than the digit a width unit measures.
            let per_line = ((width - 1.0) * 1.1).max(1.0);
            text.split('\n')
                .map(|line| (line.chars().count() as f64 / per_line).ceil().max(1.0))
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    (lines > 1.0).then_some(lines * LINE_HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_prints_as_excel_measures_it() {
        // Width 10: 10 × 7 + 5 = 75 pixels, 56,25 points.
        assert_eq!(column_points(10.0), 56.25);
    }

    #[test]
    fn wrapped_text_gets_the_lines_it_needs() {
        // 45 characters in a column of 16: (16 − 1) × 1,1 = 16,5 a line, 3 lines of 15 points.
        let text = "a".repeat(45);
        assert_eq!(row_height([(text.as_str(), 16.0)]), Some(45.0));
        assert_eq!(row_height([("a".repeat(33).as_str(), 16.0)]), Some(30.0));
        assert_eq!(row_height([("pendek", 16.0)]), None);
        assert_eq!(row_height([("satu\ndua", 16.0)]), Some(30.0));
    }

    #[test]
    fn a_wide_sheet_breaks_across_pages_at_its_groups() {
        // Naming columns of 100 points, then three groups of 200: with 450 points a page, each
        // page holds the naming columns and one group... and a second group would need 500.
        let widths = [50.0, 50.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0];
        let layout = Layout {
            widths: &[],
            last_row: 0,
            header_rows: None,
            naming_columns: 2,
            group_starts: &[2, 4, 6],
            paper: Kertas::A4,
            footer: "",
        };
        assert_eq!(page_breaks(&widths, &layout, 450.0), vec![4, 6]);
        assert_eq!(page_breaks(&widths, &layout, 500.0), vec![6]);
    }
}
