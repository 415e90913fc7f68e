//! The Permendagri 86/2017 forms whose columns are fixed by the regulation and whose years come
//! from the unit's configuration: T-C.23, T-C.25, T-C.27 and T-C.28. Each is built from the
//! records ingest read, whatever columns the source sheet had; a record's cells are found by
//! their header words.

use super::{Calc, Cell, Column, Kind, Row, RowStyle, Shown, Table};
use crate::config::UnitConfig;
use crate::repair::{Repairs, best_amount};
use std::collections::HashMap;

use crate::derive;
use crate::model::{
    BudgetLine, CellValue, Kode, Level, Malformed, Measure, NumberKind, Record, RecordCell,
    SheetKind, SourceRef, TableId, normalize_header, parse_measure, parse_number,
};
use crate::rules::targets::{self, Table as TargetTable};

/// Builds T-C.23, T-C.25, T-C.27 and T-C.28 for the unit (a form whose sheet is absent is
/// left out: the narrative says where it is missing).
pub fn build_forms(
    config: &UnitConfig,
    records: &[Record],
    plan_lines: &[BudgetLine],
    repairs: &Repairs,
) -> Vec<Table> {
    let mut tables = Vec::new();
    let rows = |kind: SheetKind, table: Option<TargetTable>| -> Vec<&Record> {
        records
            .iter()
            .filter(|r| r.kind == kind && !r.total)
            .filter(|r| table.is_none() || targets::table_of(r) == table)
            .collect()
    };
    let kinerja = rows(SheetKind::KinerjaPelayanan, None);
    if !kinerja.is_empty() {
        tables.push(tc23(config, &kinerja));
    }
    let tc25_rows = rows(SheetKind::TujuanSasaran, Some(TargetTable::Tc25));
    if !tc25_rows.is_empty() {
        tables.push(tc25(config, &tc25_rows));
    }
    let plan = rows(SheetKind::RencanaProgram, None);
    if !plan.is_empty() {
        tables.push(tc27(config, plan_lines, &plan, repairs));
    }
    let tc28_rows = rows(SheetKind::TujuanSasaran, Some(TargetTable::Tc28));
    if !tc28_rows.is_empty() {
        tables.push(tc28(config, &tc28_rows));
    }
    tables
}

/// The first cell whose header holds all of `words` and none of `not`.
fn field<'a>(record: &'a Record, words: &[&str], not: &[&str]) -> Option<&'a RecordCell> {
    record.cells.iter().find(|c| {
        let h = normalize_header(&c.header);
        let has = |w: &&str| h.split(' ').any(|x| x == *w);
        words.iter().all(has) && !not.iter().any(has)
    })
}

/// A text cell from a record cell.
fn text_cell(cell: Option<&RecordCell>) -> Cell {
    match cell {
        Some(c) => Cell::read(Shown::text(c.text.clone()), Some(c.source.clone())),
        None => Cell::blank(),
    }
}

/// A row number cell ("No"), a number when it is a whole number.
fn number_cell(cell: Option<&RecordCell>) -> Cell {
    match cell {
        Some(c) => Cell::read(
            c.number
                .map_or_else(|| Shown::row_number(&c.text), Shown::Value),
            Some(c.source.clone()),
        ),
        None => Cell::blank(),
    }
}

/// The unit of a row's measures: the first one written (`%`, `unit`, `orang`), empty for
/// indices and plain numbers.
fn row_unit<'a>(cells: impl IntoIterator<Item = Option<&'a RecordCell>>) -> String {
    cells
        .into_iter()
        .flatten()
        .find_map(|c| match parse_measure(&c.text) {
            Measure::Value { unit, .. } if !unit.is_empty() => Some(unit),
            _ => None,
        })
        .unwrap_or_default()
}

/// A target or realisation: its number when its unit is the row's (or none), its text as
/// written otherwise, so `2 unit` in a `%` row is shown, not silently counted as 2 %.
fn measure_cell(cell: Option<&RecordCell>, unit: &str) -> Cell {
    let Some(c) = cell else {
        return Cell::blank();
    };
    if let Some(number) = c.number {
        return Cell::read(Shown::Value(number), Some(c.source.clone()));
    }
    let shown = match parse_measure(&c.text) {
        Measure::Blank => Shown::Blank,
        Measure::Value { value, unit: u } if u.is_empty() || u == unit => Shown::Value(value),
        Measure::Value { .. } | Measure::Note(_) => Shown::Note(c.text.clone()),
        Measure::Invalid(raw) => Shown::Unverified(raw),
    };
    Cell::read(shown, Some(c.source.clone()))
}

/// A cell as a value for renstra's own computations.
pub(super) fn as_value(shown: &Shown) -> CellValue {
    match shown {
        Shown::Value(d)
        | Shown::Proposed { value: d, .. }
        | Shown::Recomputed { value: d, .. }
        | Shown::Quantity { value: d, .. } => CellValue::Number(*d),
        Shown::Blank => CellValue::Empty,
        Shown::Text(t) | Shown::Note(t) | Shown::Rewritten { text: t, .. } => {
            CellValue::Note(t.clone())
        }
        Shown::Unverified(raw) | Shown::Uncomputable(raw) => CellValue::Invalid {
            raw: raw.clone(),
            reason: Malformed::NotANumber,
        },
    }
}

/// An amount of Rp: the number as written, exactly, or the raw text marked.
fn money_cell(cell: Option<&RecordCell>) -> Cell {
    let Some(c) = cell else {
        return Cell::blank();
    };
    let value = match c.number {
        Some(d) => CellValue::Number(d),
        None => parse_number(&c.text, NumberKind::Money).value,
    };
    Cell::read(Shown::from_cell(&value), Some(c.source.clone()))
}

/// A plan year's Rp: as [`money_cell`], or the confirmed reading of a malformed one, marked.
fn plan_money_cell(cell: Option<&RecordCell>, repairs: &Repairs) -> Cell {
    match cell {
        Some(c) => match best_amount(c, repairs) {
            (CellValue::Number(value), true) => Cell::read(
                Shown::Proposed {
                    value,
                    written: Some(c.text.trim().to_string()),
                },
                Some(c.source.clone()),
            ),
            _ => money_cell(cell),
        },
        None => money_cell(None),
    }
}

fn years_label(years: &[i32]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

/// T-C.23 Pencapaian Kinerja Pelayanan: No | Indikator | Satuan | Target NSPK | IKK | lainnya |
/// Target Renstra per evaluation year | Realisasi per year | Rasio per year (recomputed).
fn tc23(config: &UnitConfig, records: &[&Record]) -> Table {
    let years = &config.periode.evaluasi;
    Table {
        id: TableId::Tc23,
        title: format!(
            "Pencapaian Kinerja Pelayanan {} {}",
            config.perangkat_daerah.nama,
            years_label(years)
        ),
        columns: tc23_columns(years),
        rows: records.iter().map(|r| tc23_row(r, years)).collect(),
    }
}

/// T-C.23's columns: No, the indicator, its unit, the NSPK / IKK / other targets, then target,
/// realisasi and rasio per evaluation year.
fn tc23_columns(years: &[i32]) -> Vec<Column> {
    let mut columns = vec![
        Column::new("No", Kind::Text, 5),
        Column::new(
            "Indikator Kinerja sesuai Tugas dan Fungsi Perangkat Daerah",
            Kind::Text,
            40,
        ),
        Column::new("Satuan", Kind::Text, 8),
        Column::new("Target NSPK", Kind::Number, 9),
        Column::new("Target IKK", Kind::Number, 9),
        Column::new("Target Indikator Lainnya", Kind::Number, 9),
    ];
    let groups = [
        (
            "Target Renstra Perangkat Daerah Tahun",
            "Target",
            Kind::Number,
        ),
        ("Realisasi Capaian Tahun", "Realisasi", Kind::Number),
        ("Rasio Capaian pada Tahun (%)", "Rasio", Kind::Percent),
    ];
    for (group, key, kind) in groups {
        for y in years {
            let header = y.to_string();
            columns.push(Column::grouped(
                group,
                &header,
                format!("{key} {y}"),
                kind,
                9,
            ));
        }
    }
    columns
}

/// One indicator: its targets and realisasi in its unit, each year's capaian recomputed as
/// realisasi / target × 100 (a live formula).
fn tc23_row(r: &Record, years: &[i32]) -> Row {
    let n = years.len();
    let y = |word: &str, year: &i32| field(r, &[word, &year.to_string()], &[]);
    let measured: Vec<Option<&RecordCell>> = years
        .iter()
        .flat_map(|year| [y("target", year), y("realisasi", year)])
        .collect();
    let unit = row_unit(measured.iter().copied());
    let mut cells = vec![
        number_cell(field(r, &["no"], &[])),
        text_cell(field(r, &["indikator"], &[])),
        Cell::text(unit.clone()),
        measure_cell(field(r, &["nspk"], &[]), &unit),
        measure_cell(field(r, &["ikk"], &[]), &unit),
        measure_cell(field(r, &["lainnya"], &[]), &unit),
    ];
    let target: Vec<Cell> = years
        .iter()
        .map(|year| measure_cell(y("target", year), &unit))
        .collect();
    let real: Vec<Cell> = years
        .iter()
        .map(|year| measure_cell(y("realisasi", year), &unit))
        .collect();
    let ratios: Vec<Cell> = (0..n)
        .map(|i| {
            let exact = derive::ratio(&as_value(&target[i].shown), &as_value(&real[i].shown));
            Cell::derived(
                Shown::from_derived(exact),
                Calc::Ratio {
                    part: 6 + n + i,
                    whole: 6 + i,
                },
            )
        })
        .collect();
    cells.extend(target);
    cells.extend(real);
    cells.extend(ratios);
    record_row(cells, r)
}

/// A target column under `group` for each plan year.
fn yearly_targets<'a>(group: &'a str, years: &'a [i32]) -> impl Iterator<Item = Column> + 'a {
    years.iter().map(move |y| {
        Column::grouped(
            group,
            &y.to_string(),
            format!("Target {y}"),
            Kind::Number,
            9,
        )
    })
}

/// A plain row of a form, pointing at the record it was read from.
fn record_row(cells: Vec<Cell>, record: &Record) -> Row {
    Row {
        cells,
        style: RowStyle::Normal,
        depth: 0,
        source: Some(record.source.clone()),
    }
}

/// T-C.25 Tujuan dan Sasaran Jangka Menengah: No | Tujuan | Sasaran | Indikator | Satuan |
/// Target per plan year | Target akhir Renstra (= the last year's target).
fn tc25(config: &UnitConfig, records: &[&Record]) -> Table {
    let years = config.plan_years();
    let last = years.last().copied().unwrap_or(config.periode.akhir);
    let mut columns = vec![
        Column::new("No", Kind::Text, 5),
        Column::new("Tujuan", Kind::Text, 30),
        Column::new("Sasaran", Kind::Text, 30),
        Column::new("Indikator Tujuan/Sasaran", Kind::Text, 30),
        Column::new("Satuan", Kind::Text, 8),
    ];
    columns.extend(yearly_targets(
        "Target Kinerja Tujuan/Sasaran pada Tahun",
        &years,
    ));
    columns.push(Column::new(
        &format!("Target Akhir Renstra ({last})"),
        Kind::Number,
        10,
    ));
    let rows = records
        .iter()
        .map(|r| {
            let targets: Vec<Option<&RecordCell>> = years
                .iter()
                .map(|y| field(r, &["target", &y.to_string()], &["akhir"]))
                .collect();
            let unit = row_unit(targets.iter().copied());
            let mut cells = vec![
                number_cell(field(r, &["no"], &[])),
                text_cell(field(r, &["tujuan"], &["indikator", "sasaran"])),
                text_cell(field(r, &["sasaran"], &["indikator", "tujuan"])),
                text_cell(field(r, &["indikator"], &[])),
                Cell::text(unit.clone()),
            ];
            cells.extend(targets.iter().map(|t| measure_cell(*t, &unit)));
            cells.push(last_target(&cells, 5, years.len()));
            record_row(cells, r)
        })
        .collect();
    Table {
        id: TableId::Tc25,
        title: format!(
            "Tujuan dan Sasaran Jangka Menengah Pelayanan {}",
            config.perangkat_daerah.nama
        ),
        columns,
        rows,
    }
}

/// The end-of-period target of a rate, index or percentage: the last plan year's target.
fn last_target(cells: &[Cell], first: usize, count: usize) -> Cell {
    let Some(col) = (first + count).checked_sub(1).filter(|_| count > 0) else {
        return Cell::blank();
    };
    let shown = match &cells[col].shown {
        Shown::Value(d) => Shown::Value(*d),
        Shown::Blank => Shown::Blank,
        other => Shown::Uncomputable(format!(
            "target tahun terakhir bukan angka ({})",
            other.display(2)
        )),
    };
    Cell::derived(shown, Calc::Copy(col))
}

/// T-C.27 Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan: Tujuan | Sasaran | Kode |
/// Program/Kegiatan/Sub Kegiatan | Indikator | Satuan | Data capaian awal (per baseline year) |
/// Target and Rp per plan year | Kondisi akhir (Target, Rp = Σ years) | Unit kerja | Lokasi,
/// and a JUMLAH row over the programs.
fn tc27(
    config: &UnitConfig,
    plan_lines: &[BudgetLine],
    records: &[&Record],
    repairs: &Repairs,
) -> Table {
    let years = config.plan_years();
    // The code and level of each plan row, as the plan's tree (normalization) placed it.
    let levels: PlanLevels = plan_lines
        .iter()
        .map(|l| (&l.source, (&l.kode, l.level)))
        .collect();
    let baselines = tc27_baselines(records);
    let layout = Tc27Layout::new(config, &years, &baselines);
    let mut rows: Vec<Row> = records
        .iter()
        .map(|r| tc27_row(r, &layout, &levels, repairs))
        .collect();
    rows.push(tc27_total(&layout, &rows));
    Table {
        id: TableId::Tc27,
        title: format!(
            "Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan {} Tahun {}",
            config.perangkat_daerah.nama,
            years_label(&years)
        ),
        columns: layout.columns,
        rows,
    }
}

/// The code and level of each plan row, by the cell of its name.
type PlanLevels<'a> = HashMap<&'a SourceRef, (&'a Option<Kode>, Level)>;

/// T-C.27's baseline columns: every header that says "capaian … awal", in sheet order.
fn tc27_baselines(records: &[&Record]) -> Vec<String> {
    let mut baselines: Vec<String> = Vec::new();
    for r in records {
        for c in &r.cells {
            let h = normalize_header(&c.header);
            if h.contains("awal") && !baselines.contains(&c.header.to_string()) {
                baselines.push(c.header.to_string());
            }
        }
    }
    baselines
}

/// T-C.27's columns and where its figures sit: the baselines, a target and an Rp per plan year,
/// the end of the period.
struct Tc27Layout {
    columns: Vec<Column>,
    years: Vec<i32>,
    baselines: Vec<String>,
    /// The Rp column of each plan year.
    rp_cols: Vec<usize>,
    /// The end-of-period Rp column.
    rp_akhir: usize,
}

impl Tc27Layout {
    fn new(config: &UnitConfig, years: &[i32], baselines: &[String]) -> Tc27Layout {
        let mut columns = vec![
            Column::new("Tujuan", Kind::Text, 20),
            Column::new("Sasaran", Kind::Text, 20),
            Column::new("Kode", Kind::Text, 16),
            Column::new("Program / Kegiatan / Sub Kegiatan", Kind::Text, 34),
            Column::new("Indikator Kinerja", Kind::Text, 30),
            Column::new("Satuan", Kind::Text, 7),
        ];
        for b in baselines {
            let year = crate::model::year_in(b).map_or_else(|| b.clone(), |y| y.to_string());
            columns.push(Column::grouped(
                "Data Capaian pada Tahun Awal Perencanaan",
                &year,
                format!("Capaian Awal {year}"),
                Kind::Number,
                8,
            ));
        }
        let first_year_col = columns.len();
        for y in years {
            let group = format!("Tahun {y}");
            columns.push(Column::grouped(
                &group,
                "Target",
                format!("Target {y}"),
                Kind::Number,
                8,
            ));
            columns.push(Column::grouped(
                &group,
                "Rp",
                format!("Rp {y}"),
                Kind::Money,
                16,
            ));
        }
        let akhir = format!(
            "Kondisi Kinerja pada Akhir Periode Renstra ({})",
            years.last().copied().unwrap_or(config.periode.akhir)
        );
        columns.push(Column::grouped(
            &akhir,
            "Target",
            "Target Akhir".into(),
            Kind::Number,
            8,
        ));
        columns.push(Column::grouped(
            &akhir,
            "Rp",
            "Rp Akhir".into(),
            Kind::Money,
            16,
        ));
        columns.push(Column::new("Unit Kerja Penanggung Jawab", Kind::Text, 16));
        columns.push(Column::new("Lokasi", Kind::Text, 14));
        Tc27Layout {
            columns,
            years: years.to_vec(),
            baselines: baselines.to_vec(),
            rp_cols: (0..years.len())
                .map(|i| first_year_col + 2 * i + 1)
                .collect(),
            rp_akhir: first_year_col + 2 * years.len() + 1,
        }
    }
}

/// One plan row: its code as the tree placed it, its targets in their unit, its Rp per year and
/// the end-of-period Rp as the sum of the years (a live formula).
fn tc27_row(r: &Record, layout: &Tc27Layout, levels: &PlanLevels, repairs: &Repairs) -> Row {
    let name = field(r, &["program"], &[]).or_else(|| field(r, &["kegiatan"], &[]));
    let (kode, level) = name
        .and_then(|n| levels.get(&n.source))
        .map_or((None, None), |(k, l)| ((*k).clone(), Some(*l)));
    let kode_cell = match (field(r, &["kode"], &[]), kode) {
        (Some(c), Some(k)) => Cell::read(Shown::Text(k.to_string()), Some(c.source.clone())),
        (c, _) => text_cell(c),
    };
    let measured: Vec<Option<&RecordCell>> = layout
        .baselines
        .iter()
        .map(|b| r.cells.iter().find(|c| &*c.header == b))
        .chain(
            layout
                .years
                .iter()
                .map(|y| field(r, &[&y.to_string(), "target"], &[])),
        )
        .collect();
    let unit = row_unit(measured.iter().copied());
    let mut cells = vec![
        text_cell(field(r, &["tujuan"], &[])),
        text_cell(field(r, &["sasaran"], &[])),
        kode_cell,
        text_cell(name),
        text_cell(field(r, &["indikator"], &[])),
        Cell::text(unit.clone()),
    ];
    cells.extend(
        measured[..layout.baselines.len()]
            .iter()
            .map(|c| measure_cell(*c, &unit)),
    );
    for y in &layout.years {
        let y = y.to_string();
        cells.push(measure_cell(field(r, &[&y, "target"], &[]), &unit));
        cells.push(plan_money_cell(field(r, &[&y, "rp"], &[]), repairs));
    }
    cells.push(measure_cell(field(r, &["akhir", "target"], &[]), &unit));
    let values: Vec<CellValue> = layout
        .rp_cols
        .iter()
        .map(|c| as_value(&cells[*c].shown))
        .collect();
    let from_proposal = layout
        .rp_cols
        .iter()
        .any(|c| matches!(cells[*c].shown, Shown::Proposed { .. }));
    // The end-of-period Rp is renstra's sum; it stands where the sheet states its own, so a
    // finding about the stated figure (PLAN-TOTAL) links to this cell.
    let mut end = Cell::derived(
        Shown::from_derived(derive::sum(&values)).marked_proposed(from_proposal),
        Calc::SumCols(layout.rp_cols.clone()),
    );
    end.source = field(r, &["akhir", "rp"], &[]).map(|c| c.source.clone());
    cells.push(end);
    cells.push(text_cell(field(r, &["unit"], &[])));
    cells.push(text_cell(field(r, &["lokasi"], &[])));
    let (style, depth) = match level {
        Some(Level::Program) => (RowStyle::Strong, 0),
        Some(Level::SubKegiatan) => (RowStyle::Normal, 2),
        Some(_) => (RowStyle::Normal, 1),
        None => (RowStyle::Normal, 0),
    };
    Row {
        cells,
        style,
        depth,
        source: Some(r.source.clone()),
    }
}

/// T-C.27's JUMLAH row: every Rp column summed over the programs.
fn tc27_total(layout: &Tc27Layout, rows: &[Row]) -> Row {
    let programs: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.style == RowStyle::Strong)
        .map(|(i, _)| i)
        .collect();
    let mut total: Vec<Cell> = (0..layout.columns.len()).map(|_| Cell::blank()).collect();
    total[3] = Cell::text("JUMLAH");
    for col in layout.rp_cols.iter().copied().chain([layout.rp_akhir]) {
        let values: Vec<CellValue> = programs
            .iter()
            .map(|r| as_value(&rows[*r].cells[col].shown))
            .collect();
        total[col] = Cell::derived(
            Shown::from_derived(derive::sum(&values)),
            Calc::SumRows(programs.clone()),
        );
    }
    Row {
        cells: total,
        style: RowStyle::Total,
        depth: 0,
        source: None,
    }
}

/// T-C.28 Indikator Kinerja yang mengacu pada Tujuan dan Sasaran RPD/RPJMD: No | Indikator |
/// Satuan | Kondisi awal | Target per plan year | Kondisi akhir (= the last year's target).
fn tc28(config: &UnitConfig, records: &[&Record]) -> Table {
    let years = config.plan_years();
    let last = years.last().copied().unwrap_or(config.periode.akhir);
    let mut columns = vec![
        Column::new("No", Kind::Text, 5),
        Column::new("Indikator", Kind::Text, 40),
        Column::new("Satuan", Kind::Text, 8),
        Column::new("Kondisi Kinerja pada Awal Periode", Kind::Number, 12),
    ];
    columns.extend(yearly_targets("Target Capaian Setiap Tahun", &years));
    columns.push(Column::new(
        &format!("Kondisi Kinerja pada Akhir Periode ({last})"),
        Kind::Number,
        12,
    ));
    let rows = records
        .iter()
        .map(|r| {
            let awal = field(r, &["kondisi", "awal"], &[]);
            let targets: Vec<Option<&RecordCell>> = years
                .iter()
                .map(|y| field(r, &["target", &y.to_string()], &[]))
                .collect();
            let unit = row_unit(std::iter::once(awal).chain(targets.iter().copied()));
            let mut cells = vec![
                number_cell(field(r, &["no"], &[])),
                text_cell(field(r, &["indikator"], &[])),
                Cell::text(unit.clone()),
                measure_cell(awal, &unit),
            ];
            cells.extend(targets.iter().map(|t| measure_cell(*t, &unit)));
            cells.push(last_target(&cells, 4, years.len()));
            record_row(cells, r)
        })
        .collect();
    Table {
        id: TableId::Tc28,
        title: format!(
            "Indikator Kinerja {} yang Mengacu pada Tujuan dan Sasaran RPD/RPJMD",
            config.perangkat_daerah.nama
        ),
        columns,
        rows,
    }
}
