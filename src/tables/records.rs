//! The tables whose columns are the unit's own: Tabel 1 (kepegawaian), Tabel 2 (sarana
//! prasarana), Tabel 8-10, T-C.26, the SWOT matrix, the quantitative SWOT tables and the strategy
//! scores. Each source sheet becomes a table with the sheet's headers in the sheet's column order;
//! the derived figures renstra knows how to compute (L + P, NU × BF, the stated totals) are
//! recomputed and carry their calculation.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::forms::as_value;
use super::{Calc, Cell, Column, Kind, Row, RowStyle, Shown, Table, sheet_name};
use rust_decimal::Decimal;

use crate::config::UnitConfig;
use crate::derive;
use crate::derive::swot::{StrategyScore, Swot};
use crate::model::{
    CellValue, NumberKind, Record, RecordCell, SheetKind, TableId, normalize_header, parse_number,
};
use crate::model::{Derived, format_id};
use crate::rules::targets;

/// Builds one table per source sheet of the unit's record sheets that no form covers (the SWOT
/// factors sheet gives one table per factor).
pub fn build_record_tables(config: &UnitConfig, records: &[Record], swot: &Swot) -> Vec<Table> {
    type SheetRows<'a> = ((Arc<str>, Arc<str>), Vec<&'a Record>);
    let mut sheets: Vec<SheetRows> = Vec::new();
    for r in records.iter().filter(|r| is_record_table(r)) {
        let key = (r.source.file.clone(), r.source.sheet.clone());
        match sheets.last_mut() {
            Some((k, rows)) if *k == key => rows.push(r),
            _ => sheets.push((key, vec![r])),
        }
    }
    let mut tables = Vec::new();
    for ((_, sheet), rows) in &sheets {
        tables.extend(sheet_tables(config, sheet, rows, swot));
    }
    // Two sheets that would give the same id keep both, the second numbered.
    let mut seen: BTreeMap<TableId, usize> = BTreeMap::new();
    for t in &mut tables {
        let n = seen.entry(t.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            t.id = TableId::from_name(&sheet_name(&format!("{} ({n})", t.id)));
        }
    }
    tables
}

fn is_record_table(r: &Record) -> bool {
    match r.kind {
        SheetKind::AnggaranRealisasi | SheetKind::KinerjaPelayanan | SheetKind::RencanaProgram => {
            false
        }
        SheetKind::TujuanSasaran => !matches!(
            targets::table_of(r),
            Some(targets::Table::Tc25 | targets::Table::Tc28)
        ),
        _ => true,
    }
}

/// The sheet column of a record's cell (every record cell is read at a cell).
fn column_of(cell: &RecordCell) -> u32 {
    cell.source.col().unwrap_or(0)
}

fn has_header(rows: &[&Record], words: &[&str]) -> bool {
    rows.iter().flat_map(|r| &r.cells).any(|c| {
        let h = normalize_header(&c.header);
        words.iter().all(|w| h.split(' ').any(|x| x == *w))
    })
}

/// The id of a sheet's table: the T-C or Tabel number its name gives, else what it holds.
fn table_id(kind: SheetKind, sheet: &str, rows: &[&Record]) -> String {
    let lower = sheet.to_lowercase();
    if let Some(at) = lower.find("tabel") {
        let digits: String = lower[at + 5..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty() {
            return format!("Tabel {digits}");
        }
    }
    let squashed: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if let Some(at) = squashed.find("tc") {
        let digits: String = squashed[at + 2..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty() {
            return format!("T-C.{digits}");
        }
    }
    if has_header(rows, &["kuadran"]) {
        return "Matriks SWOT".into();
    }
    match kind {
        SheetKind::Kepegawaian => "Tabel 1".into(),
        SheetKind::SaranaPrasarana => "Tabel 2".into(),
        SheetKind::StrategiKebijakan => "T-C.26".into(),
        SheetKind::StrukturOrganisasi => "Struktur Organisasi".into(),
        SheetKind::Swot if has_header(rows, &["faktor"]) => "SWOT".into(),
        SheetKind::Swot => "Skor Strategi SWOT".into(),
        SheetKind::TujuanSasaran if has_header(rows, &["indikator", "kinerja", "utama"]) => {
            "Tabel 10".into()
        }
        _ => sheet_name(sheet.trim()),
    }
}

/// A record cell's number: number cells as they are, text read the Indonesian way; `-` is nil.
fn number_of(cell: &RecordCell) -> Option<CellValue> {
    if let Some(d) = cell.number {
        return Some(CellValue::Number(d));
    }
    match parse_number(&cell.text, NumberKind::Ratio).value {
        v @ (CellValue::Number(_) | CellValue::Nil) => Some(v),
        _ => None,
    }
}

fn sheet_tables(config: &UnitConfig, sheet: &str, rows: &[&Record], swot: &Swot) -> Vec<Table> {
    let Some(kind) = rows.first().map(|r| r.kind) else {
        return Vec::new();
    };
    let id = table_id(kind, sheet, rows);
    if id == "SWOT" {
        return swot_factor_tables(config, sheet, rows, swot);
    }
    vec![sheet_table(config, id, sheet, rows, None, swot)]
}

/// The quantitative SWOT sheet lists the four factors in one column; each becomes its own
/// table, as the Renstra prints them.
fn swot_factor_tables(
    config: &UnitConfig,
    sheet: &str,
    rows: &[&Record],
    swot: &Swot,
) -> Vec<Table> {
    let mut factors: Vec<(String, Vec<&Record>)> = Vec::new();
    for r in rows {
        let factor = r
            .cells
            .iter()
            .find(|c| normalize_header(&c.header) == "faktor")
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default();
        match factors
            .iter_mut()
            .find(|(f, _)| f.eq_ignore_ascii_case(&factor))
        {
            Some((_, list)) => list.push(r),
            None => factors.push((factor, vec![r])),
        }
    }
    factors
        .into_iter()
        .map(|(factor, list)| {
            let mut name = factor.to_lowercase();
            if let Some(first) = name.get(..1) {
                name = first.to_uppercase() + &name[1..];
            }
            let id = sheet_name(&format!("SWOT {name}"));
            sheet_table(config, id, sheet, &list, Some("faktor"), swot)
        })
        .collect()
}

fn sheet_table(
    config: &UnitConfig,
    id: String,
    sheet: &str,
    rows: &[&Record],
    drop_header: Option<&str>,
    swot: &Swot,
) -> Table {
    let order = column_order(rows, drop_header);
    let numeric: Vec<bool> = order
        .iter()
        .map(|(col, header)| is_numeric_column(rows, *col, header))
        .collect();
    let columns: Vec<Column> = order
        .iter()
        .zip(&numeric)
        .map(|((_, header), numeric)| sheet_column(rows, header, *numeric))
        .collect();
    let derived = DerivedColumns::of(&columns);
    let mut table_rows: Vec<Row> = Vec::new();
    let mut section_start = 0;
    for r in rows {
        let mut cells = read_cells(r, &order, &numeric);
        if r.total {
            // A stated total: every figure it states is recomputed over the rows above it.
            recompute_total(&mut cells, &numeric, &table_rows, section_start);
            section_start = table_rows.len() + 1;
        } else {
            derived.fill(&mut cells);
        }
        if let Some(strategy) = r.get(&["uraian"]).and_then(|c| swot.strategy_at(&c.source)) {
            show_strategy(&mut cells, &columns, strategy);
        }
        table_rows.push(Row {
            cells,
            style: if r.total {
                RowStyle::Total
            } else {
                RowStyle::Normal
            },
            depth: 0,
            source: Some(r.source.clone()),
        });
    }
    Table {
        title: title_of(&id, config, sheet),
        id: TableId::from_name(&id),
        columns,
        rows: table_rows,
    }
}

/// The sheet's columns, by their sheet column, in column order, with their headers
/// (`drop_header` left out).
fn column_order(rows: &[&Record], drop_header: Option<&str>) -> Vec<(u32, Arc<str>)> {
    let mut headers: BTreeMap<u32, Arc<str>> = BTreeMap::new();
    for c in rows.iter().flat_map(|r| &r.cells) {
        let h = normalize_header(&c.header);
        if drop_header.is_some_and(|d| h == d) {
            continue;
        }
        headers.entry(column_of(c)).or_insert(c.header.clone());
    }
    headers.into_iter().collect()
}

/// A column of figures: some cell holds a number and every cell reads as one (or nil); row
/// numbers and codes never are.
fn is_numeric_column(rows: &[&Record], col: u32, header: &str) -> bool {
    let h = normalize_header(header);
    if h == "no" || h.contains("kode") {
        return false;
    }
    let cells: Vec<&RecordCell> = rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| column_of(c) == col)
        .collect();
    cells
        .iter()
        .any(|c| matches!(number_of(c), Some(CellValue::Number(_))))
        && cells.iter().all(|c| number_of(c).is_some())
}

/// A column of the unit's own sheet: figures narrow, text as wide as its longest run of words
/// allows (a code or a quadrant stays narrow, a description takes the room).
fn sheet_column(rows: &[&Record], header: &str, numeric: bool) -> Column {
    let h = normalize_header(header);
    let longest = rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| normalize_header(&c.header) == h)
        .map(|c| c.text.chars().count())
        .chain([header.chars().count()])
        .max()
        .unwrap_or(4);
    let (kind, width) = if numeric {
        (Kind::Number, 9)
    } else if h == "no" {
        (Kind::Text, 5)
    } else {
        (Kind::Text, longest.clamp(6, 40) as u16)
    };
    Column::new(header, kind, width)
}

/// A record's cells in the table's column order: figures as read, text as text.
fn read_cells(r: &Record, order: &[(u32, Arc<str>)], numeric: &[bool]) -> Vec<Cell> {
    order
        .iter()
        .zip(numeric)
        .map(
            |((col, header), numeric)| match r.cells.iter().find(|c| column_of(c) == *col) {
                None => Cell::blank(),
                Some(c) if normalize_header(header) == "no" && c.number.is_none() => {
                    Cell::read(Shown::row_number(&c.text), Some(c.source.clone()))
                }
                Some(c) if *numeric => {
                    let value = number_of(c).unwrap_or(CellValue::Empty);
                    Cell::read(Shown::from_cell(&value), Some(c.source.clone()))
                }
                // A number cell in a column of words (a target column that also says "100%"):
                // still a number, shown the Indonesian way (84,25) and stored as one.
                Some(c) if let Some(d) = c.number => Cell::read(
                    Shown::from_cell(&CellValue::Number(d)),
                    Some(c.source.clone()),
                ),
                Some(c) => Cell::read(text_or_quantity(&c.text), Some(c.source.clone())),
            },
        )
        .collect()
}

/// A cell of a column of words: a number with its unit (`100%`, `2 unit`) is stored as a number
/// and shown with its unit, when that shows exactly what the cell says (spaces aside); anything
/// else (`100% tercapai`, `3 Kecamatan dan 6 Kelurahan`) stays the words it is.
fn text_or_quantity(text: &str) -> Shown {
    use crate::model::{Measure, parse_measure};
    if let Measure::Value { value, unit } = parse_measure(text) {
        let word = unit == "%"
            || (!unit.is_empty() && unit.chars().all(|c| c.is_alphabetic() || c == ' '));
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let shown = Shown::Quantity { value, unit };
        if word && squeeze(&shown.display(0)) == squeeze(text) {
            return shown;
        }
    }
    Shown::text(text.to_string())
}

/// A strategy row of the score table shows the derived SWOT's figures: the two quadrant scores
/// (`465 + 405`) and their sum, each marked where the source states others.
fn show_strategy(cells: &mut [Cell], columns: &[Column], strategy: &StrategyScore) {
    let column = |name: &str| {
        columns
            .iter()
            .position(|c| normalize_header(&c.header) == name)
    };
    let [(_, x), (_, y)] = strategy.parts;
    if let Some(j) = column("jumlah") {
        let written = match cells[j].shown.value() {
            Some(stated) if stated == strategy.score => None,
            _ => Some(cells[j].shown.display(0)),
        };
        cells[j].shown = Shown::recomputed(strategy.score, written);
    }
    if let Some(h) = column("hasil") {
        let text = format!("{} + {}", format_id(x, 0), format_id(y, 0));
        let written = cells[h].shown.display(0);
        let stated: Vec<Decimal> = written
            .split('+')
            .filter_map(|part| parse_number(part.trim(), NumberKind::Ratio).value.number())
            .collect();
        cells[h].shown = if stated == [x, y] {
            Shown::Text(text)
        } else {
            Shown::Rewritten { text, written }
        };
    }
}

/// A stated total row: each figure it states becomes the sum of the rows since the last total.
fn recompute_total(cells: &mut [Cell], numeric: &[bool], rows: &[Row], section_start: usize) {
    let above: Vec<usize> = (section_start..rows.len()).collect();
    for (col, is_number) in numeric.iter().enumerate() {
        if let (true, Some(stated)) = (*is_number, cells[col].shown.value()) {
            let values: Vec<CellValue> = above
                .iter()
                .map(|i| as_value(&rows[*i].cells[col].shown))
                .collect();
            // A sum that differs from the stated one is marked, the stated one in its note.
            let shown = match derive::sum(&values) {
                Derived::Value(sum) if sum != stated => {
                    Shown::recomputed(sum, Some(cells[col].shown.display(stated.scale())))
                }
                other => Shown::from_derived(other),
            };
            cells[col] = Cell::derived(shown, Calc::SumRows(above.clone()));
        }
    }
}

/// The columns a row derives from others: Jumlah = L + P (Tabel 1), NU × BF (SWOT).
struct DerivedColumns {
    l: Option<usize>,
    p: Option<usize>,
    jumlah: Option<usize>,
    nu: Option<usize>,
    bf: Option<usize>,
    product: Option<usize>,
}

impl DerivedColumns {
    fn of(columns: &[Column]) -> DerivedColumns {
        let index = |words: &[&str]| {
            columns.iter().position(|c| {
                let h = normalize_header(&c.header);
                h.split(' ').collect::<Vec<_>>() == words
            })
        };
        DerivedColumns {
            l: index(&["l"]),
            p: index(&["p"]),
            jumlah: index(&["jumlah"]),
            nu: index(&["nu"]),
            bf: index(&["bf"]),
            product: index(&["nu", "x", "bf"]),
        }
    }

    fn fill(&self, cells: &mut [Cell]) {
        derive_in_row(cells, self.l, self.p, self.jumlah, Calc::SumCols);
        derive_in_row(cells, self.nu, self.bf, self.product, |cols| {
            Calc::Product(cols[0], cols[1])
        });
    }
}

/// Recomputes `target` from columns `a` and `b` of the same row (L + P, NU × BF) when the row
/// gives at least one of them; a row that gives neither keeps its written figure.
fn derive_in_row(
    cells: &mut [Cell],
    a: Option<usize>,
    b: Option<usize>,
    target: Option<usize>,
    calc: impl Fn(Vec<usize>) -> Calc,
) {
    let (Some(a), Some(b), Some(t)) = (a, b, target) else {
        return;
    };
    let (x, y) = (as_value(&cells[a].shown), as_value(&cells[b].shown));
    if x.number().is_none() && y.number().is_none() {
        return;
    }
    let calc = calc(vec![a, b]);
    let shown = match &calc {
        Calc::Product(..) => match (x.number(), y.number()) {
            _ if x.is_invalid() || y.is_invalid() => {
                Shown::Uncomputable("NU atau BF tidak terbaca sebagai angka".into())
            }
            (Some(p), Some(q)) => Shown::Value(p * q),
            _ => Shown::Blank,
        },
        _ => Shown::from_derived(derive::sum(&[x, y])),
    };
    let source = cells[t].source.clone();
    cells[t] = Cell {
        shown,
        source,
        calc: Some(calc),
    };
}

fn title_of(id: &str, config: &UnitConfig, sheet: &str) -> String {
    let unit = &config.perangkat_daerah.nama;
    match id {
        "Tabel 1" => format!("Jumlah Pegawai {unit}"),
        "Tabel 2" => format!("Sarana dan Prasarana {unit}"),
        "Tabel 8" => format!("Permasalahan dan Isu Strategis {unit}"),
        "Tabel 9" => format!("Tujuan dan Sasaran Kota serta Sasaran {unit}"),
        "Tabel 10" => format!("Indikator Kinerja Utama {unit}"),
        "T-C.26" => format!("Tujuan, Sasaran, Strategi dan Arah Kebijakan {unit}"),
        "Matriks SWOT" => "Matriks Strategi SWOT".into(),
        "Skor Strategi SWOT" => "Skor Alternatif Strategi".into(),
        other if other.starts_with("SWOT ") => {
            format!("Analisis Faktor {} (NU × BF)", &other[5..])
        }
        _ => sheet.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_with_its_unit_is_a_quantity_only_when_that_is_all_the_cell_says() {
        use rust_decimal_macros::dec;
        let q = |value, unit: &str| Shown::Quantity {
            value,
            unit: unit.into(),
        };
        assert_eq!(text_or_quantity("100%"), q(dec!(100), "%"));
        assert_eq!(text_or_quantity("85,71 %"), q(dec!(85.71), "%"));
        assert_eq!(text_or_quantity("2 unit"), q(dec!(2), "unit"));
        for words in [
            "100% tercapai",
            "3 Kecamatan dan 6 Kelurahan",
            "Eselon III-a",
            "S1",
        ] {
            assert_eq!(
                text_or_quantity(words),
                Shown::Text(words.into()),
                "{words}"
            );
        }
        assert_eq!(q(dec!(85.71), "%").display(0), "85,71%");
        assert_eq!(q(dec!(85.71), "%").machine(), "85.71%");
        assert_eq!(Shown::row_number(" 12 "), Shown::Value(dec!(12)));
        assert_eq!(Shown::row_number("1.a"), Shown::Text("1.a".into()));
    }

    #[test]
    fn ids_come_from_sheet_names_then_content() {
        assert_eq!(
            table_id(SheetKind::PermasalahanIsu, "Tabel 8", &[]),
            "Tabel 8"
        );
        assert_eq!(
            table_id(SheetKind::TujuanSasaran, "IKU (Tabel 10)", &[]),
            "Tabel 10"
        );
        assert_eq!(
            table_id(SheetKind::StrategiKebijakan, "T-C.26", &[]),
            "T-C.26"
        );
        assert_eq!(
            table_id(SheetKind::StrategiKebijakan, "TC 26 PD", &[]),
            "T-C.26"
        );
        assert_eq!(table_id(SheetKind::Kepegawaian, "Pegawai", &[]), "Tabel 1");
        assert_eq!(
            table_id(SheetKind::PermasalahanIsu, "Permasalahan", &[]),
            "Permasalahan"
        );
    }
}
