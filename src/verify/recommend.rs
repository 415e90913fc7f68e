//! The REKOMENDASI of a table, as a verifier writes it: per rule, what to do, how many cells, and
//! the first lines it concerns by their names (not their codes), the columns by their meaning
//! (`anggaran 2021–2023`), the cells, and the figure that fits. A finding's line and column come
//! from the verified table that shows its cell, so the words are the table's own.

use std::collections::BTreeMap;

use crate::messages::berita_acara as words;
use crate::model::{Finding, Rule, Severity, SourceRef};
use crate::tables::{Shown, Table};

/// How many lines each rule names before "and N more".
const EXAMPLES: usize = 2;

/// How many rules a table's recommendation spells out; the rest are named with their count.
const RULES_SPELLED_OUT: usize = 6;

/// Where a finding's cell sits in its table: the line's name and the column's key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Place {
    /// The table row, when the cell is on one.
    row: Option<usize>,
    line: String,
    column: Option<String>,
}

/// The names of the lines and columns of one table, by the workbook cells they show.
struct Index<'a> {
    cells: BTreeMap<&'a SourceRef, (usize, usize)>,
    rows: BTreeMap<(&'a str, &'a str, u32), usize>,
    table: &'a Table,
}

impl<'a> Index<'a> {
    fn new(table: &'a Table) -> Index<'a> {
        let mut cells = BTreeMap::new();
        let mut rows = BTreeMap::new();
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                if let Some(src) = &cell.source {
                    cells.entry(src).or_insert((r, c));
                    if let Some(at) = src.row() {
                        rows.entry((&*src.file, &*src.sheet, at)).or_insert(r);
                    }
                }
            }
            if let Some(src) = &row.source
                && let Some(at) = src.row()
            {
                rows.entry((&*src.file, &*src.sheet, at)).or_insert(r);
            }
        }
        Index { cells, rows, table }
    }

    /// The line and column of a cell; a cell the table does not show (a stated ratio renstra
    /// recomputes) is placed by its row alone.
    fn place(&self, at: &SourceRef) -> Place {
        if let Some(&(r, c)) = self.cells.get(at) {
            return Place {
                row: Some(r),
                line: self.line_name(r),
                column: self.table.columns.get(c).map(|col| col.key.clone()),
            };
        }
        match at
            .row()
            .and_then(|row| self.rows.get(&(&*at.file, &*at.sheet, row)))
        {
            Some(&r) => Place {
                row: Some(r),
                line: self.line_name(r),
                column: None,
            },
            None => Place::default(),
        }
    }

    /// A line's name: its first naming column with text (uraian, program, indikator, …), else
    /// its first text that is not a code.
    fn line_name(&self, r: usize) -> String {
        const NAMING: [&str; 8] = [
            "uraian",
            "program",
            "indikator",
            "jenis",
            "faktor",
            "strategi",
            "jabatan",
            "permasalahan",
        ];
        let row = &self.table.rows[r]; // invariant: r indexes this table's rows (Index::new)
        let text = |c: usize| match row.cells.get(c).map(|cell| &cell.shown) {
            Some(Shown::Text(t)) if !t.trim().is_empty() => Some(t.trim().to_string()),
            _ => None,
        };
        let naming = self.table.columns.iter().enumerate().find_map(|(c, col)| {
            let header = col.key.to_lowercase();
            NAMING
                .iter()
                .any(|w| header.contains(w))
                .then(|| text(c))
                .flatten()
        });
        let name = naming
            .or_else(|| {
                (0..row.cells.len())
                    .filter_map(text)
                    .find(|t| !t.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
            })
            .unwrap_or_default();
        // Sub kegiatan repeated per kelurahan are told apart by their location.
        let location = self
            .table
            .columns
            .iter()
            .position(|col| col.key.eq_ignore_ascii_case("lokasi"))
            .and_then(text);
        match location {
            Some(l) if !name.is_empty() => format!("{name} ({l})"),
            _ => name,
        }
    }
}

/// The REKOMENDASI items of one table: a summary naming the table and its sheet, then one item
/// per rule, errors first and the most frequent first.
pub fn for_table(table: &Table, findings: &[&Finding]) -> Vec<String> {
    let index = Index::new(table);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let sheet = findings
        .first()
        .and_then(|f| f.sources.first())
        .map_or(String::new(), |s| {
            if s.sheet.is_empty() {
                s.file.to_string()
            } else {
                format!("{} › {}", s.file, s.sheet)
            }
        });
    let name = words::table_name(&table.id);
    let mut items = vec![words::table_summary(&name, &sheet, findings.len(), errors)];
    let mut by_rule: BTreeMap<Rule, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.rule).or_default().push(f);
    }
    let mut rules: Vec<(Rule, Vec<&Finding>)> = by_rule.into_iter().collect();
    rules.sort_by_key(|(rule, list)| {
        let worst = list.iter().map(|f| f.severity).min();
        (worst, std::cmp::Reverse(list.len()), *rule)
    });
    for (rule, list) in rules.iter().take(RULES_SPELLED_OUT) {
        items.push(rule_item(*rule, list, &index));
    }
    let rest: Vec<String> = rules
        .iter()
        .skip(RULES_SPELLED_OUT)
        .map(|(rule, list)| format!("{} ({})", rule.label().to_lowercase(), list.len()))
        .collect();
    if !rest.is_empty() {
        items.push(words::other_rules(&rest.join(", ")));
    }
    items
}

/// What one example of a rule's item is about.
enum Example<'a> {
    /// Findings on one line of the table.
    Line(Place, Vec<&'a Finding>),
    /// A finding about a group of rows (a Tabel 1 grouping): said in its own words.
    Group(&'a Finding),
}

/// True for a finding about a group of rows rather than the line of its first cell: a Tabel 1
/// grouping that does not add up names every row of the group.
fn about_group(f: &Finding) -> bool {
    f.rule == Rule::StaffCategories
}

/// One rule's item: what to do, how many cells, and its first lines.
fn rule_item(rule: Rule, list: &[&Finding], index: &Index) -> String {
    let mut examples: Vec<Example> = Vec::new();
    for f in list {
        let Some(at) = f.sources.first() else {
            continue;
        };
        if about_group(f) {
            examples.push(Example::Group(f));
            continue;
        }
        let place = Place {
            column: None,
            ..index.place(at)
        };
        let same_line = examples.iter_mut().find_map(|e| match e {
            Example::Line(p, fs) if *p == place && place.row.is_some() && same_sheet(fs[0], f) => {
                Some(fs)
            }
            _ => None,
        });
        match same_line {
            Some(fs) => fs.push(f),
            None => examples.push(Example::Line(place, vec![f])),
        }
    }
    // The line with the most cells to fix first, as a verifier leads with the worst; otherwise
    // in sheet order (the sort is stable).
    examples.sort_by_key(|e| match e {
        Example::Line(_, fs) => std::cmp::Reverse(fs.len()),
        Example::Group(_) => std::cmp::Reverse(1),
    });
    let shown: Vec<String> = examples
        .iter()
        .take(EXAMPLES)
        .map(|e| match e {
            Example::Line(place, fs) => example(rule, place, fs, index),
            Example::Group(f) => words::group_example(
                &f.message,
                &cell_ranges(&f.sources.iter().collect::<Vec<_>>()),
            ),
        })
        .collect();
    let more = examples.len().saturating_sub(EXAMPLES);
    let groups = list.iter().all(|f| about_group(f));
    words::rule_advice(words::advice(rule), list.len(), groups, &shown, more)
}

fn same_sheet(a: &Finding, b: &Finding) -> bool {
    match (a.sources.first(), b.sources.first()) {
        (Some(x), Some(y)) => x.file == y.file && x.sheet == y.sheet,
        _ => false,
    }
}

/// One line of a rule's item: its name, the columns, the cells and the figures that fit.
fn example(rule: Rule, place: &Place, fs: &[&Finding], index: &Index) -> String {
    // Left to right, as the line reads.
    let mut fs = fs.to_vec();
    fs.sort_by_key(|f| f.sources.first().and_then(SourceRef::col));
    let cells: Vec<&SourceRef> = fs.iter().filter_map(|f| f.sources.first()).collect();
    let columns: Vec<String> = cells
        .iter()
        .filter_map(|at| index.place(at).column)
        .collect();
    let figures: Vec<words::Figures> = fs
        .iter()
        .filter_map(|f| {
            Some(words::Figures {
                cell: f.sources.first()?.a1(),
                written: f.written.clone(),
                expected: f.expected.clone(),
            })
        })
        .collect();
    words::line_example(
        &place.line,
        &describe_columns(&columns),
        &cell_ranges(&cells),
        words::expected_label(rule),
        &figures,
    )
}

/// Column keys as a reader says them: `Anggaran 2021`, `Anggaran 2022`, `Anggaran 2023`,
/// `Realisasi 2023` become `anggaran 2021–2023 dan realisasi 2023`.
fn describe_columns(keys: &[String]) -> String {
    let mut groups: Vec<(String, Vec<i32>)> = Vec::new();
    for key in keys {
        let (word, year) = match key.rsplit_once(' ') {
            Some((w, y)) if y.len() == 4 && y.parse::<i32>().is_ok() => (w, y.parse().ok()),
            _ => (key.as_str(), None),
        };
        let word = spoken(word);
        let i = match groups.iter().position(|(w, _)| *w == word) {
            Some(i) => i,
            None => {
                groups.push((word, Vec::new()));
                groups.len() - 1
            }
        };
        let slot = &mut groups[i].1;
        if let Some(y) = year
            && !slot.contains(&y)
        {
            slot.push(y);
        }
    }
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(word, mut years)| {
            years.sort_unstable();
            if years.is_empty() {
                word
            } else {
                format!("{word} {}", year_ranges(&years))
            }
        })
        .collect();
    words::and_list(&parts)
}

/// A column's words in a sentence: `Anggaran` → `anggaran`, but `Rp` and `IKU` stay.
fn spoken(words: &str) -> String {
    words
        .split(' ')
        .map(|w| {
            if w.chars().count() > 2 && w.chars().any(char::is_lowercase) {
                w.to_lowercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sorted years as ranges: 2019, 2021, 2022, 2023 → `2019, 2021–2023`.
fn year_ranges(years: &[i32]) -> String {
    runs(years.iter().map(|&y| i64::from(y)))
        .into_iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Consecutive runs of sorted numbers, as (first, last).
fn runs(numbers: impl Iterator<Item = i64>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for n in numbers {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == n => *last = n,
            _ => out.push((n, n)),
        }
    }
    out
}

/// Cells as ranges: E81, F81, G81, J81 → `E81–G81, J81`; cells of one column down consecutive
/// rows → `F15–F19`.
fn cell_ranges(cells: &[&SourceRef]) -> String {
    let mut positions: Vec<(u32, u32)> = cells.iter().filter_map(|at| at.position).collect();
    positions.sort_unstable();
    positions.dedup();
    let loose = cells
        .iter()
        .filter(|at| at.position.is_none())
        .map(|at| at.to_string());
    let name = |row: i64, col: u32| crate::model::a1(row as u32, col);
    let mut parts = Vec::new();
    let one_column = positions.windows(2).all(|w| w[0].1 == w[1].1);
    if one_column && let Some(&(_, col)) = positions.first() {
        for (a, b) in runs(positions.iter().map(|&(r, _)| i64::from(r))) {
            parts.push(if a == b {
                name(a, col)
            } else {
                format!("{}–{}", name(a, col), name(b, col))
            });
        }
    } else {
        let mut by_row: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (row, col) in positions {
            by_row.entry(row).or_default().push(col);
        }
        for (row, cols) in by_row {
            for (a, b) in runs(cols.into_iter().map(i64::from)) {
                let cell = |c: i64| crate::model::a1(row, c as u32);
                parts.push(if a == b {
                    cell(a)
                } else {
                    format!("{}–{}", cell(a), cell(b))
                });
            }
        }
    }
    parts.extend(loose);
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_cells_are_said_the_way_a_reader_says_them() {
        let keys: Vec<String> = [
            "Anggaran 2021",
            "Anggaran 2022",
            "Anggaran 2023",
            "Realisasi 2021",
            "Realisasi 2023",
            "Rp Akhir",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            describe_columns(&keys),
            "anggaran 2021–2023, realisasi 2021, 2023 dan Rp akhir"
        );
        let cells: Vec<SourceRef> = [(80, 4), (80, 5), (80, 6), (80, 9), (80, 11), (3, 2)]
            .iter()
            .map(|&(r, c)| SourceRef::cell("a.xlsx", "S", r, c))
            .collect();
        let refs: Vec<&SourceRef> = cells.iter().collect();
        assert_eq!(cell_ranges(&refs), "C4, E81–G81, J81, L81");
        let column: Vec<SourceRef> = [14, 15, 16, 17, 18, 20]
            .iter()
            .map(|&r| SourceRef::cell("a.xlsx", "S", r, 5))
            .collect();
        let refs: Vec<&SourceRef> = column.iter().collect();
        assert_eq!(cell_ranges(&refs), "F15–F19, F21");
    }
}
