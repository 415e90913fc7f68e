//! The quantitative SWOT, derived once: each quadrant's Σ BF and Σ NU × BF over its factor rows,
//! and each strategy's score (S+O, W+O, S+T, W+T) from those sums. The rules compare the stated
//! figures with these; the score table, its `#fakta` and the Berita Acara read them, so the factor
//! tables, the strategy scores and the narrative cannot disagree.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::model::{CellValue, NumberKind, Record, RecordCell, SheetKind, SourceRef, parse_number};

/// A quadrant: `S`, `W`, `O` or `T`.
pub type Quadrant = char;

/// One quadrant's sums over its factor rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuadrantSums {
    /// Σ BF.
    pub weights: Decimal,
    /// Σ NU × BF.
    pub score: Decimal,
}

/// A strategy row of the score table, with its score recomputed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrategyScore {
    /// `SO`, `WO`, `ST` or `WT`.
    pub pair: &'static str,
    /// The two quadrants and their recomputed scores.
    pub parts: [(Quadrant, Decimal); 2],
    /// Their sum.
    pub score: Decimal,
    /// The row's name cell.
    pub row: SourceRef,
}

/// The SWOT of a unit, derived from its factor rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swot {
    /// Per quadrant, over the factor rows whose NU and BF both read as numbers.
    pub quadrants: BTreeMap<Quadrant, QuadrantSums>,
    /// Per strategy row of the score table whose two quadrants have factor rows.
    pub strategies: Vec<StrategyScore>,
}

impl Swot {
    /// The recomputed strategy of the row named at `row`, if it is one.
    pub fn strategy_at(&self, row: &SourceRef) -> Option<&StrategyScore> {
        self.strategies.iter().find(|s| &s.row == row)
    }
}

/// A record cell as a number: number cells as they are, text the Indonesian way.
pub fn number(cell: Option<&RecordCell>) -> Option<Decimal> {
    let cell = cell?;
    cell.number
        .or_else(|| match parse_number(&cell.text, NumberKind::Ratio).value {
            CellValue::Number(d) => Some(d),
            CellValue::Nil => Some(Decimal::ZERO),
            _ => None,
        })
}

/// The quadrant of a SWOT row, from its factor column.
pub fn quadrant(row: &Record) -> Option<Quadrant> {
    let text = row
        .get(&["faktor"])
        .or_else(|| row.cells.first())?
        .text
        .to_lowercase();
    [
        ("kekuatan", 'S'),
        ("strength", 'S'),
        ("kelemahan", 'W'),
        ("weakness", 'W'),
        ("peluang", 'O'),
        ("opportunit", 'O'),
        ("ancaman", 'T'),
        ("hambatan", 'T'),
        ("threat", 'T'),
    ]
    .iter()
    .find(|(w, _)| text.contains(w))
    .map(|(_, q)| *q)
}

/// The strategy a score-table row names (`Strategi SO`), if any.
pub fn strategy_pair(row: &Record) -> Option<&'static str> {
    let name = row.get(&["uraian"])?;
    let upper = name.text.to_uppercase();
    ["SO", "WO", "ST", "WT"]
        .into_iter()
        .find(|p| upper.split_whitespace().any(|w| w == *p))
}

/// Derives the SWOT from every SWOT record of a unit.
pub fn derive(records: &[Record]) -> Swot {
    let rows: Vec<&Record> = records
        .iter()
        .filter(|r| r.kind == SheetKind::Swot)
        .collect();
    let mut quadrants: BTreeMap<Quadrant, QuadrantSums> = BTreeMap::new();
    for row in rows.iter().filter(|r| !r.total) {
        let Some(q) = quadrant(row) else { continue };
        let (Some(nu), Some(bf)) = (number(row.get(&["nu"])), number(row.get(&["bf"]))) else {
            continue;
        };
        let slot = quadrants.entry(q).or_default();
        slot.weights += bf;
        slot.score += nu * bf;
    }
    let strategies = rows
        .iter()
        .filter_map(|row| {
            let pair = strategy_pair(row)?;
            let mut chars = pair.chars();
            let (a, b) = (chars.next()?, chars.next()?);
            let (x, y) = (quadrants.get(&a)?.score, quadrants.get(&b)?.score);
            Some(StrategyScore {
                pair,
                parts: [(a, x), (b, y)],
                score: x + y,
                row: row.get(&["uraian"])?.source.clone(),
            })
        })
        .collect();
    Swot {
        quadrants,
        strategies,
    }
}
