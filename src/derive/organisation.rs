//! The organisation charts (struktur organisasi), derived once from the sheet of positions and
//! their superiors (`Bagan`, `Jabatan`, `Atasan`, `Garis`): each chart as a tree the templates
//! draw, and every row that does not fit a tree as a problem the rules report. Nothing is left
//! out of a chart: a position whose superior is unknown, or whose superiors go round in a loop,
//! is drawn at the top beside the head and reported.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Record, SheetKind, SourceRef};

/// How a position hangs from its superior.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    /// The line of command (a solid line): the default.
    Komando,
    /// Coordination only (a dashed line), as a kelurahan under its camat.
    Koordinasi,
}

/// One box of a chart and the boxes under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The position's name as written (`Seksi Pelayanan`).
    #[serde(rename = "jabatan")]
    pub name: String,
    /// How it hangs from its superior.
    #[serde(rename = "garis")]
    pub line: Line,
    /// Its subordinates, in sheet order.
    #[serde(rename = "bawahan")]
    pub subordinates: Vec<Position>,
    /// Its row's `Jabatan` cell.
    #[serde(skip)]
    pub source: SourceRef,
}

/// One organisation chart: its name (the `Bagan` column; empty when the sheet has none) and
/// its top positions (one, unless a row's superior could not be placed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    /// The chart's name as written (`Kecamatan Kanigaran`, `Kelurahan`).
    #[serde(rename = "nama")]
    pub name: String,
    /// The positions at the top.
    #[serde(rename = "puncak")]
    pub tops: Vec<Position>,
}

/// A row that does not fit its chart's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The `Atasan` names no position of the same chart; the position is drawn at the top.
    UnknownSuperior {
        /// The `Atasan` cell.
        at: SourceRef,
        /// The position.
        position: String,
        /// The superior as written.
        superior: String,
        /// The chart.
        chart: String,
    },
    /// A position named twice in one chart; the second row's subordinates hang from the first.
    Duplicate {
        /// The second `Jabatan` cell.
        at: SourceRef,
        /// The first one.
        first: SourceRef,
        /// The name.
        position: String,
    },
    /// Superiors that go round in a loop; the first of them in sheet order is drawn at the top.
    Loop {
        /// The `Jabatan` cell of the loop's first position in sheet order.
        at: SourceRef,
        /// The `Jabatan` cells of the others.
        also: Vec<SourceRef>,
        /// Their names, in the same order.
        positions: Vec<String>,
    },
    /// A row with a superior or a line but no position name: nothing to draw.
    Unnamed {
        /// The row's first cell.
        at: SourceRef,
    },
    /// A `Garis` that is neither komando nor koordinasi; drawn as komando.
    UnknownLine {
        /// The `Garis` cell.
        at: SourceRef,
        /// What it says.
        written: String,
    },
}

/// The charts of a unit and what did not fit them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organisation {
    /// The charts, in the order their first row appears.
    pub charts: Vec<Chart>,
    /// Rows that did not fit, in sheet order.
    pub problems: Vec<Problem>,
    /// How many position rows were read (each is one check of the rule).
    pub rows: usize,
}

impl Organisation {
    /// The chart named `name` (compared without case and surrounding space); with an empty name,
    /// the first chart.
    pub fn chart(&self, name: &str) -> Option<&Chart> {
        let wanted = name.trim().to_lowercase();
        if wanted.is_empty() {
            return self.charts.first();
        }
        self.charts
            .iter()
            .find(|c| c.name.trim().to_lowercase() == wanted)
    }
}

/// One position row as read.
struct Row {
    name: String,
    superior: String,
    superior_at: Option<SourceRef>,
    line: Line,
    source: SourceRef,
}

/// Derives the charts from every struktur-organisasi record of a unit.
pub fn derive(records: &[Record]) -> Organisation {
    let mut by_chart: Vec<(String, Vec<Row>)> = Vec::new();
    let mut problems = Vec::new();
    let mut rows = 0;
    for record in records
        .iter()
        .filter(|r| r.kind == SheetKind::StrukturOrganisasi && !r.total)
    {
        rows += 1;
        let text = |words: &[&str]| record.get(words).map(|c| c.text.trim().to_string());
        let Some(name) = text(&["jabatan"]).filter(|n| !n.is_empty()) else {
            problems.push(Problem::Unnamed {
                at: record.source.clone(),
            });
            continue;
        };
        let chart = text(&["bagan"]).unwrap_or_default();
        let line = match record.get(&["garis"]) {
            None => Line::Komando,
            Some(cell) => line_of(&cell.text).unwrap_or_else(|| {
                problems.push(Problem::UnknownLine {
                    at: cell.source.clone(),
                    written: cell.text.clone(),
                });
                Line::Komando
            }),
        };
        let superior = record.get(&["atasan"]);
        let row = Row {
            name,
            superior: superior.map_or(String::new(), |c| c.text.trim().to_string()),
            superior_at: superior.map(|c| c.source.clone()),
            line,
            source: record
                .get(&["jabatan"])
                .map_or_else(|| record.source.clone(), |c| c.source.clone()),
        };
        match by_chart.iter_mut().find(|(c, _)| same(c, &chart)) {
            Some((_, list)) => list.push(row),
            None => by_chart.push((chart, vec![row])),
        }
    }
    let charts = by_chart
        .into_iter()
        .map(|(name, list)| chart_of(name, &list, &mut problems))
        .collect();
    Organisation {
        charts,
        problems,
        rows,
    }
}

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The line a `Garis` cell names; `None` for words that name neither.
fn line_of(text: &str) -> Option<Line> {
    let t = text.trim().to_lowercase();
    if t.is_empty() || t.contains("komando") || t.contains("lurus") || t == "garis" {
        Some(Line::Komando)
    } else if t.contains("koordinasi") || t.contains("putus") {
        Some(Line::Koordinasi)
    } else {
        None
    }
}

/// The tree of one chart's rows.
fn chart_of(name: String, rows: &[Row], problems: &mut Vec<Problem>) -> Chart {
    // The first row of each name is the position; a later row of the same name is reported and
    // its subordinates hang from the first.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let key = row.name.to_lowercase();
        match index.get(&key) {
            Some(&first) => problems.push(Problem::Duplicate {
                at: row.source.clone(),
                first: rows[first].source.clone(),
                position: row.name.clone(),
            }),
            None => {
                index.insert(key, i);
            }
        }
    }
    let primary: Vec<usize> = (0..rows.len())
        .filter(|&i| index.get(&rows[i].name.to_lowercase()) == Some(&i))
        .collect();
    // Each position's superior, by row index; `None` for a top position.
    let mut parent: BTreeMap<usize, usize> = BTreeMap::new();
    for &i in &primary {
        let row = &rows[i];
        if row.superior.is_empty() {
            continue;
        }
        match index.get(&row.superior.to_lowercase()) {
            Some(&p) if p != i => {
                parent.insert(i, p);
            }
            _ => problems.push(Problem::UnknownSuperior {
                at: row
                    .superior_at
                    .clone()
                    .unwrap_or_else(|| row.source.clone()),
                position: row.name.clone(),
                superior: row.superior.clone(),
                chart: name.clone(),
            }),
        }
    }
    break_loops(rows, &primary, &mut parent, problems);
    let tops = primary
        .iter()
        .filter(|i| !parent.contains_key(i))
        .map(|&i| subtree(rows, i, &parent))
        .collect();
    Chart { name, tops }
}

/// Cuts every loop of superiors at its first position in sheet order, which then stands at the
/// top, and reports the loop.
fn break_loops(
    rows: &[Row],
    primary: &[usize],
    parent: &mut BTreeMap<usize, usize>,
    problems: &mut Vec<Problem>,
) {
    for &start in primary {
        // Follow superiors from `start`; a position seen twice on the way closes a loop.
        let mut path = vec![start];
        let mut at = start;
        while let Some(&up) = parent.get(&at) {
            if let Some(pos) = path.iter().position(|&p| p == up) {
                let mut members: Vec<usize> = path[pos..].to_vec();
                members.sort_unstable();
                let first = members[0]; // invariant: path[pos..] holds `up`, so it is not empty
                parent.remove(&first);
                problems.push(Problem::Loop {
                    at: rows[first].source.clone(),
                    also: members[1..]
                        .iter()
                        .map(|&m| rows[m].source.clone())
                        .collect(),
                    positions: members.iter().map(|&m| rows[m].name.clone()).collect(),
                });
                break;
            }
            path.push(up);
            at = up;
        }
    }
}

fn subtree(rows: &[Row], at: usize, parent: &BTreeMap<usize, usize>) -> Position {
    let row = &rows[at];
    Position {
        name: row.name.clone(),
        line: row.line,
        subordinates: parent
            .iter()
            .filter(|&(_, &p)| p == at)
            .map(|(&child, _)| subtree(rows, child, parent))
            .collect(),
        source: row.source.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[[&str; 4]]) -> Vec<Record> {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Record::from_cells(
                    SheetKind::StrukturOrganisasi,
                    "s.csv",
                    "s",
                    i as u32 + 2,
                    &[
                        ("Bagan", c[0]),
                        ("Jabatan", c[1]),
                        ("Atasan", c[2]),
                        ("Garis", c[3]),
                    ],
                )
            })
            .collect()
    }

    fn names(p: &[Position]) -> Vec<String> {
        p.iter().map(|p| p.name.clone()).collect()
    }

    #[test]
    fn positions_hang_from_their_superiors_in_sheet_order_per_chart() {
        let org = derive(&rows(&[
            ["Kecamatan", "Camat", "", ""],
            ["Kecamatan", "Sekretaris", "Camat", ""],
            ["Kelurahan", "Lurah", "", ""],
            ["Kecamatan", "Sub Bagian Tata Usaha", "sekretaris", ""],
            ["Kecamatan", "Seksi Pelayanan", "Camat", ""],
            ["Kecamatan", "Kelurahan", "Camat", "Koordinasi"],
            ["Kelurahan", "Seksi Pemerintahan", "Lurah", "komando"],
        ]));
        assert!(org.problems.is_empty(), "{:?}", org.problems);
        assert_eq!(org.rows, 7);
        let kec = org.chart("kecamatan ").expect("the Kecamatan chart");
        assert_eq!(names(&kec.tops), ["Camat"]);
        let camat = &kec.tops[0];
        assert_eq!(
            names(&camat.subordinates),
            ["Sekretaris", "Seksi Pelayanan", "Kelurahan"]
        );
        assert_eq!(
            names(&camat.subordinates[0].subordinates),
            ["Sub Bagian Tata Usaha"]
        );
        assert_eq!(camat.subordinates[2].line, Line::Koordinasi);
        let kel = org.chart("Kelurahan").expect("the Kelurahan chart");
        assert_eq!(names(&kel.tops[0].subordinates), ["Seksi Pemerintahan"]);
        assert_eq!(org.chart("").map(|c| c.name.as_str()), Some("Kecamatan"));
    }

    #[test]
    fn what_does_not_fit_is_drawn_at_the_top_and_reported() {
        let org = derive(&rows(&[
            ["", "Kepala", "", ""],
            ["", "Seksi A", "Kepala Dinas", ""],
            ["", "Seksi B", "Seksi C", "putus-putus"],
            ["", "Seksi C", "Seksi B", "miring"],
            ["", "Seksi B", "Kepala", ""],
            ["", "", "Kepala", ""],
        ]));
        let tops = &org.charts[0].tops;
        // Seksi A's superior is unknown; Seksi B and C are a loop, cut at Seksi B (row 4).
        assert_eq!(names(tops), ["Kepala", "Seksi A", "Seksi B"]);
        assert_eq!(names(&tops[2].subordinates), ["Seksi C"]);
        let kinds: Vec<String> = org
            .problems
            .iter()
            .map(|p| match p {
                Problem::UnknownSuperior { at, superior, .. } => format!("atasan {superior} {at}"),
                Problem::Duplicate { at, first, .. } => format!("dua kali {at} {first}"),
                Problem::Loop { positions, .. } => format!("lingkar {}", positions.join("+")),
                Problem::Unnamed { at } => format!("tanpa nama {at}"),
                Problem::UnknownLine { written, .. } => format!("garis {written}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "garis miring",
                "tanpa nama s.csv › s › A7",
                "dua kali s.csv › s › B6 s.csv › s › B4",
                "atasan Kepala Dinas s.csv › s › C3",
                "lingkar Seksi B+Seksi C",
            ]
        );
    }
}
