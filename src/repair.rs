//! Stage 3 (before the rules): proposed readings of malformed amounts.
//!
//! A malformed amount (`10.933,294.372,00`, `28.500.00,00`, `7.559.10.376,00`) is rarely noise: its
//! digits allow a few readings (separators moved or dropped, a group that lost a zero or a digit,
//! debris after the cents). This stage lists those readings and keeps the one that the unit's
//! other figures confirm: the sum of its children, its parent less its siblings, a stated total
//! less the other programs, the stated ratio with its partner cell. Figures confirmed here feed
//! the next round, so a chain of typos resolves from its readable end.
//!
//! A reading is only ever a proposal: the model keeps what the cell said ([`CellValue::Invalid`])
//! and the proposal beside it ([`crate::model::Sourced::proposed`]); checks run on the proposal
//! and say so, tables mark it, and the AMOUNT-MALFORMED finding names it as `seharusnya` with its
//! reasons. When two readings fit equally, both are listed and none is chosen.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::{Decimal, RoundingStrategy};

use crate::derive;
use crate::messages::findings;
use crate::model::{
    BudgetLine, CellValue, Finding, Level, Record, RecordCell, Role, Rule, SheetKind, SourceRef,
    StatedTotal, format_id, money_value,
};

/// At most this many combinations of readings are tried for one constraint; a family with more
/// unknowns than that waits for a later round (or stays unconfirmed).
const MAX_COMBINATIONS: usize = 4096;

/// Why a reading is confirmed: one constraint that only this reading satisfies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// The reading equals the sum of the line's children (or of the programs, for a stated
    /// total), all known.
    SumOfChildren {
        /// Each child's cell and figure (zero-valued children left out).
        parts: Vec<(SourceRef, Decimal)>,
    },
    /// The reading equals the parent's figure less the other children's.
    ParentLessSiblings {
        /// The parent's cell and figure.
        parent: (SourceRef, Decimal),
        /// The sum of the other children.
        siblings: Decimal,
    },
    /// Several children of one parent were malformed; this is the only combination of their
    /// readings that adds up to the parent.
    JointSum {
        /// The parent's cell.
        parent: SourceRef,
    },
    /// The reading, with its partner figure, gives the ratio the workbook states.
    StatedRatio {
        /// The stated ratio, as written.
        stated: Decimal,
        /// The stated ratio's cell.
        at: SourceRef,
        /// The partner cell (the realisasi for an anggaran, and the other way round).
        partner: SourceRef,
        /// True when the partner's figure is itself a proposal.
        partner_proposed: bool,
    },
}

/// What renstra proposes for one malformed amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// One reading the unit's other figures confirm, with every reason.
    Confirmed {
        /// The proposed figure.
        value: Decimal,
        /// Why.
        basis: Vec<Basis>,
    },
    /// Several readings fit equally well: listed, none chosen.
    Ambiguous(Vec<Decimal>),
    /// The readings the digits allow, none confirmed by another figure (possibly none at all).
    Unconfirmed(Vec<Decimal>),
}

/// A malformed amount, as written, and what renstra proposes for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The cell as written.
    pub written: String,
    /// The proposal.
    pub outcome: Outcome,
}

impl Repair {
    /// The confirmed figure, when there is one.
    pub fn confirmed(&self) -> Option<Decimal> {
        match &self.outcome {
            Outcome::Confirmed { value, .. } => Some(*value),
            _ => None,
        }
    }
}

/// Every malformed amount of a unit's budget, by cell.
pub type Repairs = BTreeMap<SourceRef, Repair>;

/// The digits of a malformed amount as written: the integer groups (split at dots and commas)
/// and the cents, when the text ends in two digits after a separator.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    groups: Vec<String>,
    cents: Option<String>,
}

impl Written {
    /// Reads the digit groups of `raw`; `None` when it holds anything but digits, separators,
    /// spaces, a currency prefix and a no-cents mark.
    fn parse(raw: &str) -> Option<Written> {
        let mut s = raw.trim();
        if s.len() >= 2 && s[..2].eq_ignore_ascii_case("rp") {
            s = s[2..].trim_start_matches('.').trim_start();
        }
        // `500.000.000,-,-`, `2.876,265.085-`: the no-cents mark, once or twice.
        let mut no_cents = false;
        loop {
            let t = s.trim_end();
            let next = t
                .strip_suffix(",-")
                .or_else(|| t.strip_suffix('-'))
                .unwrap_or(t);
            if next.len() == s.len() {
                break;
            }
            no_cents = true;
            s = next;
        }
        let tokens: Vec<&str> = s.split_whitespace().collect();
        // Debris after the cents (`332.00 6.000,00 0`): a lone short token after `,dd`.
        let tokens = match tokens.as_slice() {
            [rest @ .., before, last]
                if last.len() <= 2
                    && before.len() > 3
                    && before.as_bytes()[before.len() - 3] == b',' =>
            {
                let mut kept = rest.to_vec();
                kept.push(before);
                kept
            }
            _ => tokens,
        };
        let compact: String = tokens.concat();
        if compact.is_empty()
            || !compact
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        {
            return None;
        }
        let mut groups: Vec<String> = compact.split(['.', ',']).map(str::to_string).collect();
        // Cents are two digits after a final comma, unless the text says "no cents" (`,-`); two
        // digits after a final dot are a group that lost a digit (`869.000.00,-`).
        let last_separator = compact.rfind(['.', ',']).map(|i| &compact[i..=i]);
        let cents = match groups.as_slice() {
            [_, .., last] if last.len() == 2 && last_separator == Some(",") && !no_cents => {
                groups.pop()
            }
            _ => None,
        };
        if groups.iter().all(String::is_empty) {
            return None;
        }
        Some(Written { groups, cents })
    }

    /// The digits of the integer part, as written.
    fn digits(&self) -> String {
        self.groups.concat()
    }

    /// How many digits the groups after the first lack to have three each.
    fn shortfall(&self) -> usize {
        self.groups
            .iter()
            .skip(1)
            .map(|g| 3usize.saturating_sub(g.len()))
            .sum()
    }

    fn value_of(&self, integer_digits: &str) -> Option<Decimal> {
        let text = match &self.cents {
            Some(c) => format!("{integer_digits}.{c}"),
            None => integer_digits.to_string(),
        };
        text.parse::<Decimal>().ok().map(|d| d.normalize())
    }

    /// The readings the text allows on its own: the digits as they stand (a separator misplaced),
    /// and every way of giving each short group its missing zeros.
    fn readings(&self) -> Vec<Decimal> {
        let mut variants: Vec<String> = vec![String::new()];
        for (i, group) in self.groups.iter().enumerate() {
            let options = if i == 0 || group.len() >= 3 {
                vec![group.clone()]
            } else {
                zero_filled(group)
            };
            let mut next = Vec::new();
            for v in &variants {
                for o in &options {
                    next.push(format!("{v}{o}"));
                }
            }
            if next.len() > 64 {
                break;
            }
            variants = next;
        }
        let mut out: BTreeSet<Decimal> = variants.iter().filter_map(|v| self.value_of(v)).collect();
        if let Some(as_is) = self.value_of(&self.digits()) {
            out.insert(as_is);
        }
        out.into_iter().collect()
    }

    /// True when `value` is a reading the digits allow: the same cents, and the written digits in
    /// order within its integer digits, with no more digits added than the short groups lack.
    fn allows(&self, value: Decimal) -> bool {
        if value.is_sign_negative() {
            return false;
        }
        let cents = (value.fract() * Decimal::ONE_HUNDRED).normalize();
        let written_cents = self
            .cents
            .as_deref()
            .and_then(|c| c.parse::<Decimal>().ok())
            .unwrap_or_default();
        if cents != written_cents {
            return false;
        }
        let integer = value.trunc().normalize().to_string();
        let written = self.digits();
        let written = written.trim_start_matches('0');
        let added = integer.len().saturating_sub(written.len());
        integer.len() >= written.len()
            && added <= self.shortfall()
            && is_subsequence(written, &integer)
    }
}

/// A short group with its missing zeros put in every place: `90` → `090`, `900`, `900`.
fn zero_filled(group: &str) -> Vec<String> {
    let missing = 3 - group.len();
    let mut out = BTreeSet::new();
    let mut frontier = BTreeSet::from([group.to_string()]);
    for _ in 0..missing {
        let mut next = BTreeSet::new();
        for g in &frontier {
            for at in 0..=g.len() {
                let mut v = g.clone();
                v.insert(at, '0');
                next.insert(v);
            }
        }
        frontier = next;
    }
    out.extend(frontier);
    out.into_iter().collect()
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

/// A figure of the budget as this stage sees it.
#[derive(Debug, Clone)]
enum State {
    /// A number, or zero for a blank, a `-` or a note (as the sums count them).
    Known(Decimal),
    /// Blank or a note: contributes nothing to a sum, but cannot stand for a parent.
    Empty,
    /// Malformed, with its written digits.
    Malformed(Written),
    /// Malformed beyond any reading.
    Opaque,
}

#[derive(Debug, Clone)]
struct Node {
    at: SourceRef,
    raw: String,
    state: State,
}

#[derive(Debug, Clone)]
enum Constraint {
    Sum {
        parent: usize,
        children: Vec<usize>,
    },
    Ratio {
        anggaran: usize,
        realisasi: usize,
        stated: Decimal,
        at: SourceRef,
    },
}

/// Proposes a reading for every malformed anggaran and realisasi of `lines` and `totals` over
/// `years`; see the module documentation.
pub fn propose(lines: &[BudgetLine], totals: &[StatedTotal], years: &[i32]) -> Repairs {
    let mut graph = Graph::default();
    graph.add_lines(lines, years);
    graph.add_totals(lines, totals, years);
    graph.solve()
}

/// Proposes a reading for every malformed Rp of the plan (T-C.27): each line's year against its
/// children's and its parent's, and each row's end-of-period Rp against the sum of its years.
pub fn propose_plan(lines: &[BudgetLine], records: &[Record], years: &[i32]) -> Repairs {
    let mut graph = Graph::default();
    graph.add_lines(lines, years);
    graph.add_period_ends(lines, records, years);
    graph.solve()
}

/// The confirmed reading of a record cell's amount, as the plan's rules and table read it.
pub fn best_amount(cell: &RecordCell, repairs: &Repairs) -> (CellValue, bool) {
    match money_value(&cell.text, cell.number) {
        CellValue::Invalid { .. }
            if let Some(d) = repairs.get(&cell.source).and_then(Repair::confirmed) =>
        {
            (CellValue::Number(d), true)
        }
        other => (other, false),
    }
}

/// Writes every confirmed proposal of `repairs` beside its value in `lines` and `totals`.
pub fn apply(repairs: &Repairs, lines: &mut [BudgetLine], totals: &mut [StatedTotal]) {
    for line in lines {
        for year in line.years.values_mut() {
            for slot in [&mut year.anggaran, &mut year.realisasi]
                .into_iter()
                .flatten()
            {
                slot.proposed = repairs.get(&slot.source).and_then(Repair::confirmed);
            }
        }
    }
    for total in totals {
        for f in &mut total.figures {
            f.proposed = repairs.get(&f.source).and_then(Repair::confirmed);
        }
    }
}

#[derive(Debug, Default)]
struct Graph {
    nodes: Vec<Node>,
    constraints: Vec<Constraint>,
}

impl Graph {
    fn node(&mut self, value: &CellValue, at: &SourceRef) -> usize {
        let state = match value {
            CellValue::Number(d) => State::Known(*d),
            CellValue::Invalid { raw, .. } => {
                Written::parse(raw).map_or(State::Opaque, State::Malformed)
            }
            _ => State::Empty,
        };
        let raw = match value {
            CellValue::Invalid { raw, .. } => raw.clone(),
            _ => String::new(),
        };
        self.nodes.push(Node {
            at: at.clone(),
            raw,
            state,
        });
        self.nodes.len() - 1
    }

    /// Every node by the cell it stands for.
    fn by_cell(&self) -> BTreeMap<SourceRef, usize> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.at.clone(), i))
            .collect()
    }

    /// A node per line, year and side; a sum per parent; a ratio per stated ratio.
    fn add_lines(&mut self, lines: &[BudgetLine], years: &[i32]) {
        let parents = derive::parents(lines);
        for &year in years {
            for anggaran in [true, false] {
                let ids: Vec<Option<usize>> = lines
                    .iter()
                    .map(|l| {
                        let s = l.years.get(&year)?.figure(anggaran)?;
                        Some(self.node(&s.value, &s.source))
                    })
                    .collect();
                let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
                for (i, p) in parents.iter().enumerate() {
                    if let (Some(p), Some(id)) = (p, ids[i]) {
                        children.entry(*p).or_default().push(id);
                    }
                }
                for (p, kids) in children {
                    // A blank parent is SUM-HIERARCHY's finding, not a figure to read against.
                    if let Some(parent) =
                        ids[p].filter(|&n| !matches!(self.nodes[n].state, State::Empty))
                    {
                        self.constraints.push(Constraint::Sum {
                            parent,
                            children: kids,
                        });
                    }
                }
            }
        }
        // Ratios: the anggaran and realisasi nodes of a line-year were added in the order above;
        // find them again by cell.
        let by_cell = self.by_cell();
        for line in lines {
            for &year in years {
                let Some(y) = line.years.get(&year) else {
                    continue;
                };
                let (Some(a), Some(r), Some(stated)) =
                    (&y.anggaran, &y.realisasi, &y.rasio_tertulis)
                else {
                    continue;
                };
                if let (Some(&anggaran), Some(&realisasi), Some(value)) = (
                    by_cell.get(&a.source),
                    by_cell.get(&r.source),
                    stated.value.number(),
                ) {
                    self.constraints.push(Constraint::Ratio {
                        anggaran,
                        realisasi,
                        stated: value,
                        at: stated.source.clone(),
                    });
                }
            }
        }
    }

    /// A node per plan row's end-of-period Rp: the sum of its plan years' Rp, and (down the
    /// tree, like each year) the sum of its children's end-of-period Rp.
    fn add_period_ends(&mut self, lines: &[BudgetLine], records: &[Record], years: &[i32]) {
        let by_cell = self.by_cell();
        let mut ends: BTreeMap<SourceRef, usize> = BTreeMap::new();
        for record in records
            .iter()
            .filter(|r| r.kind == SheetKind::RencanaProgram && !r.total)
        {
            let Some(end) = record.get(&["akhir", "rp"]) else {
                continue;
            };
            let mut children = Vec::new();
            for year in years {
                let Some(cell) = record.get(&[&year.to_string(), "rp"]) else {
                    continue;
                };
                let id = match by_cell.get(&cell.source) {
                    Some(&id) => id,
                    None => self.node(&money_value(&cell.text, cell.number), &cell.source),
                };
                children.push(id);
            }
            let parent = self.node(&money_value(&end.text, end.number), &end.source);
            if !matches!(self.nodes[parent].state, State::Empty) {
                self.constraints.push(Constraint::Sum { parent, children });
            }
            if let Some(name) = record
                .get(&["program"])
                .or_else(|| record.get(&["kegiatan"]))
            {
                ends.insert(name.source.clone(), parent);
            }
        }
        let parents = derive::parents(lines);
        let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, p) in parents.iter().enumerate() {
            if let (Some(p), Some(&child)) = (p, ends.get(&lines[i].source)) {
                children.entry(*p).or_default().push(child);
            }
        }
        for (p, kids) in children {
            if let Some(&parent) = ends.get(&lines[p].source)
                && !matches!(self.nodes[parent].state, State::Empty)
            {
                self.constraints.push(Constraint::Sum {
                    parent,
                    children: kids,
                });
            }
        }
    }

    /// A node per stated total figure; the total is the sum of the programs; its ratio.
    fn add_totals(&mut self, lines: &[BudgetLine], totals: &[StatedTotal], years: &[i32]) {
        let by_cell = self.by_cell();
        for total in totals {
            for &year in years {
                let of = |role: Role| {
                    total
                        .figures
                        .iter()
                        .find(|f| f.year == year && f.role == role)
                };
                let mut side = |role: Role, anggaran: bool| -> Option<usize> {
                    let f = of(role)?;
                    let id = self.node(&f.value, &f.source);
                    let children: Vec<usize> = lines
                        .iter()
                        .filter(|l| l.level == Level::Program)
                        .filter_map(|l| l.years.get(&year)?.figure(anggaran))
                        .filter_map(|s| by_cell.get(&s.source).copied())
                        .collect();
                    self.constraints.push(Constraint::Sum {
                        parent: id,
                        children,
                    });
                    Some(id)
                };
                let a = side(Role::Anggaran, true);
                let r = side(Role::Realisasi, false);
                if let (Some(anggaran), Some(realisasi), Some(stated)) = (a, r, of(Role::Rasio))
                    && let Some(value) = stated.value.number()
                {
                    self.constraints.push(Constraint::Ratio {
                        anggaran,
                        realisasi,
                        stated: value,
                        at: stated.source.clone(),
                    });
                }
            }
        }
    }

    /// Rounds of confirmation until nothing new is confirmed, then the proposals.
    fn solve(self) -> Repairs {
        let mut known: Vec<Option<Decimal>> = self
            .nodes
            .iter()
            .map(|n| match n.state {
                State::Known(d) => Some(d),
                State::Empty => Some(Decimal::ZERO),
                _ => None,
            })
            .collect();
        let candidates: Vec<Vec<Decimal>> = self
            .nodes
            .iter()
            .map(|n| match &n.state {
                State::Malformed(w) => w.readings(),
                _ => Vec::new(),
            })
            .collect();
        let mut confirmed: BTreeMap<usize, (Decimal, Vec<Basis>)> = BTreeMap::new();
        let mut conflicting: BTreeMap<usize, Vec<Decimal>> = BTreeMap::new();
        loop {
            let found = self.round(&known, &candidates, &confirmed);
            let mut progressed = false;
            for (node, determined) in found.determined {
                if confirmed.contains_key(&node) || conflicting.contains_key(&node) {
                    continue;
                }
                let values: BTreeSet<Decimal> = determined.iter().map(|(v, _)| *v).collect();
                if values.len() == 1 {
                    let value = determined[0].0.normalize();
                    known[node] = Some(value);
                    let basis = determined.into_iter().map(|(_, b)| b).collect();
                    confirmed.insert(node, (value, basis));
                    progressed = true;
                } else {
                    conflicting.insert(node, values.into_iter().collect());
                }
            }
            if !progressed {
                self.corroborate(&mut confirmed, &known);
                return self.outcomes(confirmed, conflicting, &found.allowed, &candidates);
            }
        }
    }

    /// Adds to each confirmed reading every other constraint it satisfies once all is known
    /// (the ratio that agrees with a reading its parent determined, the children that add up to
    /// a reading its ratio determined), so the finding gives every reason.
    fn corroborate(
        &self,
        confirmed: &mut BTreeMap<usize, (Decimal, Vec<Basis>)>,
        known: &[Option<Decimal>],
    ) {
        for c in &self.constraints {
            if !satisfies(c, known) {
                continue;
            }
            match c {
                Constraint::Sum { parent, children } => {
                    for &node in std::iter::once(parent).chain(children) {
                        let Some((_, basis)) = confirmed.get_mut(&node) else {
                            continue;
                        };
                        let others: Decimal = children
                            .iter()
                            .filter(|&&k| k != node)
                            .filter_map(|&k| known[k])
                            .sum();
                        let extra = if node == *parent {
                            Basis::SumOfChildren {
                                parts: children
                                    .iter()
                                    .filter_map(|&k| Some((self.nodes[k].at.clone(), known[k]?)))
                                    .filter(|(_, v)| !v.is_zero())
                                    .collect(),
                            }
                        } else {
                            let Some(p) = known[*parent] else { continue };
                            Basis::ParentLessSiblings {
                                parent: (self.nodes[*parent].at.clone(), p),
                                siblings: others,
                            }
                        };
                        let joint = Basis::JointSum {
                            parent: self.nodes[*parent].at.clone(),
                        };
                        if !basis.contains(&extra) && !basis.contains(&joint) {
                            basis.push(extra);
                        }
                    }
                }
                Constraint::Ratio {
                    anggaran,
                    realisasi,
                    stated,
                    at,
                } => {
                    for (node, partner) in [(*anggaran, *realisasi), (*realisasi, *anggaran)] {
                        let partner_proposed = confirmed.contains_key(&partner);
                        let Some((_, basis)) = confirmed.get_mut(&node) else {
                            continue;
                        };
                        if !basis
                            .iter()
                            .any(|b| matches!(b, Basis::StatedRatio { at: a, .. } if a == at))
                        {
                            basis.push(Basis::StatedRatio {
                                stated: *stated,
                                at: at.clone(),
                                partner: self.nodes[partner].at.clone(),
                                partner_proposed,
                            });
                        }
                    }
                }
            }
        }
    }

    fn outcomes(
        &self,
        mut confirmed: BTreeMap<usize, (Decimal, Vec<Basis>)>,
        mut conflicting: BTreeMap<usize, Vec<Decimal>>,
        allowed: &BTreeMap<usize, BTreeSet<Decimal>>,
        candidates: &[Vec<Decimal>],
    ) -> Repairs {
        let mut out = Repairs::new();
        for (i, node) in self.nodes.iter().enumerate() {
            if !matches!(node.state, State::Malformed(_) | State::Opaque) {
                continue;
            }
            let outcome = if let Some((value, basis)) = confirmed.remove(&i) {
                Outcome::Confirmed { value, basis }
            } else if let Some(values) = conflicting.remove(&i) {
                Outcome::Ambiguous(values)
            } else {
                match allowed.get(&i) {
                    Some(values) if values.len() > 1 => {
                        Outcome::Ambiguous(values.iter().copied().collect())
                    }
                    _ => Outcome::Unconfirmed(candidates[i].clone()),
                }
            };
            out.insert(
                node.at.clone(),
                Repair {
                    written: node.raw.clone(),
                    outcome,
                },
            );
        }
        out
    }

    /// One round: every constraint with unknown members, tried over their readings.
    fn round(
        &self,
        known: &[Option<Decimal>],
        candidates: &[Vec<Decimal>],
        confirmed: &BTreeMap<usize, (Decimal, Vec<Basis>)>,
    ) -> Round {
        let mut round = Round::default();
        for c in &self.constraints {
            let members = match c {
                Constraint::Sum { parent, children } => {
                    let mut m = vec![*parent];
                    m.extend(children);
                    m
                }
                Constraint::Ratio {
                    anggaran,
                    realisasi,
                    ..
                } => vec![*anggaran, *realisasi],
            };
            if members
                .iter()
                .any(|&m| matches!(self.nodes[m].state, State::Opaque) && known[m].is_none())
            {
                continue;
            }
            let unknown: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&m| known[m].is_none())
                .collect();
            if unknown.is_empty() {
                continue;
            }
            if let Constraint::Sum { parent, children } = c
                && unknown.len() == 1
            {
                self.solve_sum(*parent, children, unknown[0], known, candidates, &mut round);
                continue;
            }
            let Some(fitting) = self.fitting(c, &unknown, known, candidates) else {
                continue;
            };
            for (k, &node) in unknown.iter().enumerate() {
                let values: BTreeSet<Decimal> = fitting.iter().map(|combo| combo[k]).collect();
                round
                    .allowed
                    .entry(node)
                    .or_default()
                    .extend(values.iter().copied());
                if values.len() != 1 {
                    continue;
                }
                let value = fitting[0][k];
                let basis = match c {
                    Constraint::Sum { parent, .. } => Basis::JointSum {
                        parent: self.nodes[*parent].at.clone(),
                    },
                    Constraint::Ratio {
                        anggaran,
                        realisasi,
                        stated,
                        at,
                    } => {
                        let partner = if node == *anggaran {
                            *realisasi
                        } else {
                            *anggaran
                        };
                        Basis::StatedRatio {
                            stated: *stated,
                            at: at.clone(),
                            partner: self.nodes[partner].at.clone(),
                            partner_proposed: confirmed.contains_key(&partner)
                                || unknown.contains(&partner),
                        }
                    }
                };
                round
                    .determined
                    .entry(node)
                    .or_default()
                    .push((value, basis));
            }
        }
        round
    }

    /// A sum with one unknown member: that member is the parent's figure less the others (or
    /// the children's sum, for the parent), when the digits allow it.
    fn solve_sum(
        &self,
        parent: usize,
        children: &[usize],
        node: usize,
        known: &[Option<Decimal>],
        candidates: &[Vec<Decimal>],
        round: &mut Round,
    ) {
        let State::Malformed(written) = &self.nodes[node].state else {
            return;
        };
        let others: Option<Decimal> = children
            .iter()
            .filter(|&&c| c != node)
            .map(|&c| known[c])
            .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v?));
        let Some(others) = others else { return };
        let (value, basis) = if node == parent {
            let parts = children
                .iter()
                .filter_map(|&c| Some((self.nodes[c].at.clone(), known[c]?)))
                .filter(|(_, v)| !v.is_zero())
                .collect();
            (Some(others), Basis::SumOfChildren { parts })
        } else {
            let Some(p) = known[parent] else { return };
            (
                p.checked_sub(others),
                Basis::ParentLessSiblings {
                    parent: (self.nodes[parent].at.clone(), p),
                    siblings: others,
                },
            )
        };
        let Some(value) = value else { return };
        if written.allows(value) || candidates[node].contains(&value) {
            round.allowed.entry(node).or_default().insert(value);
            round
                .determined
                .entry(node)
                .or_default()
                .push((value, basis));
        }
    }

    /// The combinations of the unknown members' readings that satisfy `c`; `None` when there
    /// are too many to try or a member has no reading.
    fn fitting(
        &self,
        c: &Constraint,
        unknown: &[usize],
        known: &[Option<Decimal>],
        candidates: &[Vec<Decimal>],
    ) -> Option<Vec<Vec<Decimal>>> {
        let mut combinations: usize = 1;
        for &u in unknown {
            combinations = combinations.checked_mul(candidates[u].len())?;
        }
        if combinations == 0 || combinations > MAX_COMBINATIONS {
            return None;
        }
        let mut fitting = Vec::new();
        let mut values: Vec<Option<Decimal>> = known.to_vec();
        let mut index = vec![0usize; unknown.len()];
        loop {
            for (k, &u) in unknown.iter().enumerate() {
                values[u] = Some(candidates[u][index[k]]);
            }
            if satisfies(c, &values) {
                fitting.push(
                    unknown
                        .iter()
                        .map(|&u| values[u].unwrap_or_default())
                        .collect(),
                );
            }
            // The next combination, odometer-wise.
            let mut k = 0;
            loop {
                if k == unknown.len() {
                    return Some(fitting);
                }
                index[k] += 1;
                if index[k] < candidates[unknown[k]].len() {
                    break;
                }
                index[k] = 0;
                k += 1;
            }
        }
    }
}

/// What one round found: values each constraint alone determines, and every value some
/// satisfying combination used.
#[derive(Debug, Default)]
struct Round {
    determined: BTreeMap<usize, Vec<(Decimal, Basis)>>,
    allowed: BTreeMap<usize, BTreeSet<Decimal>>,
}

fn satisfies(c: &Constraint, values: &[Option<Decimal>]) -> bool {
    match c {
        Constraint::Sum { parent, children } => {
            let sum = children
                .iter()
                .try_fold(Decimal::ZERO, |acc, &k| acc.checked_add(values[k]?));
            sum.is_some() && sum == values[*parent]
        }
        Constraint::Ratio {
            anggaran,
            realisasi,
            stated,
            ..
        } => match (values[*anggaran], values[*realisasi]) {
            (Some(a), Some(r)) => ratio_fits(a, r, *stated),
            _ => false,
        },
    }
}

/// True when `r / a × 100`, rounded or truncated to the stated ratio's places, is the stated
/// ratio. A zero ratio or a zero base says nothing about the figures.
fn ratio_fits(a: Decimal, r: Decimal, stated: Decimal) -> bool {
    if a.is_zero() || stated.is_zero() {
        return false;
    }
    let Some(q) = r.checked_div(a) else {
        return false;
    };
    let exact = q * Decimal::ONE_HUNDRED;
    let places = stated.scale();
    exact.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero) == stated
        || exact.round_dp_with_strategy(places, RoundingStrategy::ToZero) == stated
}

/// Completes each AMOUNT-MALFORMED finding with its proposal: `seharusnya` is the confirmed
/// reading, and the message gives its reasons, or the readings that fit equally, or the readings
/// the digits allow.
pub fn annotate(findings: &mut [Finding], repairs: &Repairs) {
    for f in findings
        .iter_mut()
        .filter(|f| f.rule == Rule::AmountMalformed)
    {
        let Some(repair) = f.sources.first().and_then(|at| repairs.get(at)) else {
            continue;
        };
        let amounts =
            |values: &[Decimal]| -> Vec<String> { values.iter().map(|v| money(*v)).collect() };
        let addition = match &repair.outcome {
            Outcome::Confirmed { value, basis } => {
                f.expected = money(*value);
                let reasons: Vec<String> = basis.iter().map(describe).collect();
                findings::repair_confirmed(&money(*value), &reasons)
            }
            Outcome::Ambiguous(values) => findings::repair_ambiguous(&amounts(values)),
            Outcome::Unconfirmed(values) => findings::repair_unconfirmed(&amounts(values)),
        };
        f.message.push_str(&addition);
    }
}

fn money(d: Decimal) -> String {
    format_id(d, 2)
}

fn describe(basis: &Basis) -> String {
    match basis {
        Basis::SumOfChildren { parts } => {
            let parts: Vec<String> = parts.iter().map(|(_, v)| money(*v)).collect();
            findings::repair_children(&parts)
        }
        Basis::ParentLessSiblings { parent, siblings } => {
            findings::repair_parent(&money(parent.1), &parent.0.a1(), &money(*siblings))
        }
        Basis::JointSum { parent } => findings::repair_joint(&parent.a1()),
        Basis::StatedRatio {
            stated,
            at,
            partner,
            partner_proposed,
        } => findings::repair_ratio(
            &format_id(*stated, stated.scale()),
            &at.a1(),
            &partner.a1(),
            *partner_proposed,
        ),
    }
}

#[cfg(test)]
mod tests;
