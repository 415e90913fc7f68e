//! The budget rules (T-C.24), run in parallel: hierarchy sums, stated totals, ratios,
//! realisasi against anggaran, and codes. Every finding names every cell involved.
use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::derive::{self, ratio, sum};
use crate::messages;
use crate::model::{BudgetLine, Sourced};
use crate::model::{CellValue, Finding, Level, Rule, Severity, SourceRef, format_id};
use crate::model::{Coverage, Derived};
use crate::model::{Figure, Role, StatedTotal};
use crate::tables::{RowKind, Tc24};

/// Runs every budget rule over `lines` for the evaluation `years`; `cov` counts the checks.
pub fn check(
    (lines, totals, tc24): (&[BudgetLine], &[StatedTotal], &Tc24),
    years: &[i32],
    cov: &mut Coverage,
) -> Vec<Finding> {
    let parents = derive::parents(lines);
    let with = |f: &dyn Fn(&mut Coverage) -> Vec<Finding>| {
        let mut c = Coverage::default();
        (f(&mut c), c)
    };
    let (((mut a, ca), (b, cb)), ((c, cc), (d, cd))) = rayon::join(
        || {
            (
                with(&|c| hierarchy((lines, Some(tc24)), &parents, years, c)),
                with(&|c| stated_totals(lines, (totals, tc24), years, c)),
            )
        },
        || {
            (
                with(&|c| ratios(lines, years, c)),
                with(&|c| codes(lines, &parents, c)),
            )
        },
    );
    for part in [ca, cb, cc, cd] {
        cov.merge(part);
    }
    a.extend(b);
    a.extend(c);
    a.extend(d);
    a.extend(ratio_precision(lines, years, cov));
    a
}

/// RATIO-PRECISION: the stated ratios of one table are written with one precision. Each year's
/// column has the precision most of its ratios carry (whole numbers such as 100 say nothing);
/// a column whose precision differs from most columns', and a ratio written with more decimals
/// than its own column (which no display format explains), are reported.
fn ratio_precision(lines: &[BudgetLine], years: &[i32], cov: &mut Coverage) -> Vec<Finding> {
    let mut columns: Vec<(i32, Vec<&Sourced>)> = Vec::new();
    for &year in years {
        let stated: Vec<&Sourced> = lines
            .iter()
            .filter_map(|l| figure(l, year, Role::Rasio))
            .filter(|s| s.value.number().is_some_and(|d| d.normalize().scale() > 0))
            .collect();
        if !stated.is_empty() {
            columns.push((year, stated));
        }
    }
    let mode = |scales: &mut dyn Iterator<Item = u32>| {
        let mut counts: std::collections::BTreeMap<u32, usize> = Default::default();
        for s in scales {
            *counts.entry(s).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|(s, n)| (*n, std::cmp::Reverse(*s)))
            .map(|(s, _)| s)
    };
    let scale = |s: &Sourced| s.value.number().map_or(0, |d| d.normalize().scale());
    let per_column: Vec<(i32, u32, &Vec<&Sourced>)> = columns
        .iter()
        .filter_map(|(y, cells)| Some((*y, mode(&mut cells.iter().map(|s| scale(s)))?, cells)))
        .collect();
    let Some(table) = mode(&mut per_column.iter().map(|(_, m, _)| *m)) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for (year, precision, cells) in &per_column {
        if *precision == table {
            cov.passed(Rule::RatioPrecision, false);
        } else {
            cov.failed(Rule::RatioPrecision, false);
            let mut f = Finding::new(
                Severity::Warning,
                Rule::RatioPrecision,
                cells[0].source.clone(),
                messages::findings::ratio_precision_column(*year, *precision, table),
            );
            f.sources
                .extend(cells[1..].iter().map(|s| s.source.clone()));
            findings.push(f);
        }
        for cell in cells.iter().filter(|s| scale(s) > *precision) {
            cov.failed(Rule::RatioPrecision, false);
            let d = cell.value.number().unwrap_or_default();
            findings.push(
                Finding::new(
                    Severity::Warning,
                    Rule::RatioPrecision,
                    cell.source.clone(),
                    messages::findings::ratio_precision_cell(*year, scale(cell), *precision),
                )
                .written(format_id(d, scale(cell))),
            );
        }
    }
    findings
}

fn figure(line: &BudgetLine, year: i32, role: Role) -> Option<&Sourced> {
    let y = line.years.get(&year)?;
    match role {
        Role::Anggaran => y.anggaran.as_ref(),
        Role::Realisasi => y.realisasi.as_ref(),
        _ => y.rasio_tertulis.as_ref(),
    }
}

/// The best-supported value of a figure: as parsed, else its confirmed proposal.
fn value_of(line: &BudgetLine, year: i32, role: Role) -> CellValue {
    figure(line, year, role).map_or(CellValue::Empty, Sourced::best)
}

/// The cells among `figures` whose value is a proposal, for a message to name.
fn proposed_cells<'a>(figures: impl IntoIterator<Item = Option<&'a Sourced>>) -> Vec<String> {
    figures
        .into_iter()
        .flatten()
        .filter(|s| s.proposed.is_some())
        .map(|s| s.source.a1())
        .collect()
}

/// Appends to `message` which proposals the check used, if any.
fn noting_proposals(mut message: String, cells: &[String]) -> String {
    if !cells.is_empty() {
        message.push_str(&messages::findings::using_proposals(cells));
    }
    message
}

fn role_name(role: Role) -> &'static str {
    messages::findings::role_name(role == Role::Anggaran)
}

fn money(d: Decimal) -> String {
    format_id(d, 2)
}

/// Rule 1: a parent's figure is the sum of its children's, for each year and side.
pub(crate) fn hierarchy(
    (lines, tc24): (&[BudgetLine], Option<&Tc24>),
    parents: &[Option<usize>],
    years: &[i32],
    cov: &mut Coverage,
) -> Vec<Finding> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
    for (i, p) in parents.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    let mut findings = Vec::new();
    for (p, kids) in children.iter().enumerate().filter(|(_, k)| !k.is_empty()) {
        let parent = &lines[p];
        for &year in years {
            for role in [Role::Anggaran, Role::Realisasi] {
                let stated = value_of(parent, year, role);
                let parts: Vec<CellValue> = kids
                    .iter()
                    .map(|&k| value_of(&lines[k], year, role))
                    .collect();
                let expected = match sum(&parts) {
                    Derived::Value(expected) => expected,
                    Derived::Unverified(_) => {
                        cov.not_run(Rule::SumHierarchy);
                        findings.push(sum_not_checked(parent, year, role));
                        continue;
                    }
                    Derived::Blank => continue,
                };
                if stated.is_invalid() {
                    cov.not_run(Rule::SumHierarchy);
                    findings.push(sum_not_checked(parent, year, role));
                    continue;
                }
                let used = proposed_cells(
                    std::iter::once(figure(parent, year, role))
                        .chain(kids.iter().map(|&k| figure(&lines[k], year, role))),
                );
                let on_proposal = !used.is_empty();
                let Some(written) = stated.number() else {
                    // A parent left blank whose children have figures: its total is missing.
                    if stated.is_blank() && !expected.is_zero() {
                        cov.failed(Rule::SumHierarchy, on_proposal);
                        findings.push(blank_parent(parent, kids, lines, year, role, expected));
                    }
                    continue;
                };
                // A parent that is the sum of its leaves is right: the child that does not add up
                // is the one to fix, and its own finding says so.
                let right_at_the_leaves = leaves_sum(tc24, kids, year, role) == Some(written);
                let Some(at) = figure(parent, year, role)
                    .filter(|_| written != expected && !right_at_the_leaves)
                else {
                    cov.passed(Rule::SumHierarchy, on_proposal);
                    continue;
                };
                cov.failed(Rule::SumHierarchy, on_proposal);
                let mut f = Finding::new(
                    Severity::Error,
                    Rule::SumHierarchy,
                    at.source.clone(),
                    noting_proposals(
                        messages::findings::sum_hierarchy(
                            role_name(role),
                            parent.level.label(),
                            &parent.uraian,
                            year,
                            &money(written),
                            kids.len(),
                            lines[kids[0]].level.label(),
                            &money(expected),
                            &money(written - expected),
                        ),
                        &used,
                    ),
                )
                .written(money(written))
                .expected(money(expected));
                f.sources.extend(child_cells(kids, lines, year, role));
                findings.push(f);
            }
        }
    }
    findings
}

/// The sum of `kids`' figures as T-C.24 derives them from the leaves up (each child's own
/// children summed first), when every child has its row there.
fn leaves_sum(tc24: Option<&Tc24>, kids: &[usize], year: i32, role: Role) -> Option<Decimal> {
    let tc24 = tc24?;
    let i = tc24.years.iter().position(|y| *y == year)?;
    kids.iter()
        .map(|&k| {
            let row = tc24.rows.get(k).filter(|r| r.kind != RowKind::Total)?;
            let side = if role == Role::Anggaran {
                &row.anggaran
            } else {
                &row.realisasi
            };
            let shown = side.get(i)?;
            if shown.is_unverified() {
                return None;
            }
            Some(shown.value().unwrap_or_default())
        })
        .sum()
}

/// The cell of a line's figure for a year and role, or its name when the row has none.
fn cell_of(line: &BudgetLine, year: i32, role: Role) -> &SourceRef {
    figure(line, year, role).map_or(&line.source, |s| &s.source)
}

/// The cells of the children's figures for a year and role, for a sum finding to list.
fn child_cells<'a>(
    kids: &'a [usize],
    lines: &'a [BudgetLine],
    year: i32,
    role: Role,
) -> impl Iterator<Item = SourceRef> + 'a {
    kids.iter()
        .filter_map(move |&k| figure(&lines[k], year, role))
        .map(|s| s.source.clone())
}

/// An info finding: SUM-HIERARCHY could not run on this parent, year and role, because the
/// parent's figure or one of its children's is not a number (each has its AMOUNT-MALFORMED).
fn sum_not_checked(parent: &BudgetLine, year: i32, role: Role) -> Finding {
    let at = cell_of(parent, year, role);
    Finding::new(
        Severity::Info,
        Rule::SumHierarchy,
        at.clone(),
        messages::findings::sum_not_checked(
            role_name(role),
            parent.level.label(),
            &parent.uraian,
            year,
        ),
    )
}

/// SUM-HIERARCHY for a parent left blank in a year and role its children have figures for: the
/// finding points at the parent's cell (or its name when the row has no such cell) and expects
/// the children's sum.
fn blank_parent(
    parent: &BudgetLine,
    kids: &[usize],
    lines: &[BudgetLine],
    year: i32,
    role: Role,
    expected: Decimal,
) -> Finding {
    let at = cell_of(parent, year, role);
    let mut f = Finding::new(
        Severity::Error,
        Rule::SumHierarchy,
        at.clone(),
        messages::findings::sum_hierarchy_blank(
            role_name(role),
            parent.level.label(),
            &parent.uraian,
            year,
            kids.len(),
            lines[kids[0]].level.label(),
            &money(expected),
        ),
    )
    .expected(money(expected));
    f.sources.extend(child_cells(kids, lines, year, role));
    f
}

/// Rule 1 (end): a stated JUMLAH equals the sum of the programs.
fn stated_totals(
    lines: &[BudgetLine],
    (totals, tc24): (&[StatedTotal], &Tc24),
    years: &[i32],
    cov: &mut Coverage,
) -> Vec<Finding> {
    let programs: Vec<&BudgetLine> = lines.iter().filter(|l| l.level == Level::Program).collect();
    let mut findings = Vec::new();
    for total in totals {
        for f in total.figures.iter().filter(|f| years.contains(&f.year)) {
            if !matches!(f.role, Role::Anggaran | Role::Realisasi) {
                continue;
            }
            let parts: Vec<CellValue> = programs
                .iter()
                .map(|l| value_of(l, f.year, f.role))
                .collect();
            let best = f.best();
            let expected = sum(&parts);
            let (Some(written), Derived::Value(expected)) = (best.number(), &expected) else {
                // Unreadable on either side: say the check could not run.
                if best.is_invalid() || matches!(expected, Derived::Unverified(_)) {
                    cov.not_run(Rule::SumTotal);
                    findings.push(Finding::new(
                        Severity::Info,
                        Rule::SumTotal,
                        f.source.clone(),
                        messages::findings::sum_total_not_checked(
                            &total.label,
                            role_name(f.role),
                            f.year,
                        ),
                    ));
                }
                continue;
            };
            let expected = *expected;
            let mut used: Vec<String> = f.proposed.map(|_| f.source.a1()).into_iter().collect();
            used.extend(proposed_cells(
                programs.iter().map(|l| figure(l, f.year, f.role)),
            ));
            if written == expected {
                cov.passed(Rule::SumTotal, !used.is_empty());
            } else {
                cov.failed(Rule::SumTotal, !used.is_empty());
                findings.push(
                    Finding::new(
                        Severity::Error,
                        Rule::SumTotal,
                        f.source.clone(),
                        noting_proposals(
                            messages::findings::sum_total(
                                &total.label,
                                role_name(f.role),
                                f.year,
                                &money(written),
                                programs.len(),
                                &money(expected),
                                &money(written - expected),
                            ) + &leaves_note(tc24, f.year, f.role, expected),
                            &used,
                        ),
                    )
                    .written(money(written))
                    .expected(money(expected)),
                );
            }
        }
        total_ratios(total, years, &mut findings, cov);
    }
    findings
}

/// The sentence a SUM-TOTAL adds when T-C.24's JUMLAH, summed from the leaves up, differs from
/// the sum of the programs as written (a program that is not the sum of its kegiatan).
fn leaves_note(tc24: &Tc24, year: i32, role: Role, programs: Decimal) -> String {
    let Some(i) = tc24.years.iter().position(|y| *y == year) else {
        return String::new();
    };
    let total = tc24.rows.last().filter(|r| r.kind == RowKind::Total);
    let shown = total.and_then(|t| {
        let side = if role == Role::Anggaran {
            &t.anggaran
        } else {
            &t.realisasi
        };
        side.get(i)?.value()
    });
    match shown {
        Some(v) if v != programs => messages::findings::sum_total_leaves(&money(v)),
        _ => messages::findings::SUM_TOTAL_TABLE.to_string(),
    }
}

/// A stated total row's ratios against its own anggaran and realisasi, year by year, as a line's
/// are (its figures against the programs are SUM-TOTAL's).
fn total_ratios(
    total: &StatedTotal,
    years: &[i32],
    findings: &mut Vec<Finding>,
    cov: &mut Coverage,
) {
    let of = |year: i32, role: Role| {
        total
            .figures
            .iter()
            .find(|f| f.year == year && f.role == role)
    };
    for &year in years {
        let Some(stated) = of(year, Role::Rasio) else {
            continue;
        };
        let value = |role| of(year, role).map_or(CellValue::Empty, Figure::best);
        let computed = ratio(&value(Role::Anggaran), &value(Role::Realisasi));
        let used: Vec<String> = [Role::Anggaran, Role::Realisasi]
            .into_iter()
            .filter_map(|role| of(year, role))
            .filter(|f| f.proposed.is_some())
            .map(|f| f.source.a1())
            .collect();
        check_stated_ratio(
            (&total.label, &used),
            year,
            (&stated.value, &stated.source),
            &computed,
            findings,
            cov,
        );
    }
}

/// Rule 2: stated ratios against realisasi / anggaran × 100; realisasi against anggaran.
fn ratios(lines: &[BudgetLine], years: &[i32], cov: &mut Coverage) -> Vec<Finding> {
    let mut findings = Vec::new();
    for line in lines {
        for &year in years {
            let anggaran = value_of(line, year, Role::Anggaran);
            let realisasi = value_of(line, year, Role::Realisasi);
            let on_proposal = !proposed_cells([
                figure(line, year, Role::Anggaran),
                figure(line, year, Role::Realisasi),
            ])
            .is_empty();
            if let (Some(a), Some(r)) = (anggaran.number(), realisasi.number()) {
                if r > a {
                    cov.failed(Rule::RealisasiOverAnggaran, on_proposal);
                } else {
                    cov.passed(Rule::RealisasiOverAnggaran, on_proposal);
                }
            }
            if realisasi.number().is_some_and(|r| !r.is_zero()) {
                if anggaran.is_blank() {
                    cov.failed(Rule::RealisasiWithoutAnggaran, on_proposal);
                } else {
                    cov.passed(Rule::RealisasiWithoutAnggaran, on_proposal);
                }
            }
            if let (Some(a), Some(r)) = (anggaran.number(), realisasi.number())
                && r > a
                && let Some(at) = figure(line, year, Role::Realisasi)
            {
                // A budget line cannot be overspent: an error, not a remark.
                findings.push(
                    Finding::new(
                        Severity::Error,
                        Rule::RealisasiOverAnggaran,
                        at.source.clone(),
                        messages::findings::realisasi_over_anggaran(
                            &line.uraian,
                            year,
                            &money(r),
                            &money(a),
                        ),
                    )
                    .written(money(r)),
                );
            }
            if realisasi.number().is_some_and(|r| !r.is_zero())
                && anggaran.is_blank()
                && let Some(at) = figure(line, year, Role::Realisasi)
            {
                findings.push(Finding::new(
                    Severity::Error,
                    Rule::RealisasiWithoutAnggaran,
                    at.source.clone(),
                    messages::findings::realisasi_without_anggaran(&line.uraian, year),
                ));
            }
            if let Some(stated) = figure(line, year, Role::Rasio) {
                if let Some(f) = scale_typo(line, year, stated) {
                    cov.failed(Rule::AmountScale, false);
                    findings.push(f);
                    continue;
                }
                let used = proposed_cells([
                    figure(line, year, Role::Anggaran),
                    figure(line, year, Role::Realisasi),
                ]);
                check_stated_ratio(
                    (&line.uraian, &used),
                    year,
                    (&stated.value, &stated.source),
                    &ratio(&anggaran, &realisasi),
                    &mut findings,
                    cov,
                );
            }
        }
    }
    findings
}

/// AMOUNT-SCALE: a stated ratio that the figures miss by exactly a factor of 1.000 (realisasi
/// 42.000 against anggaran 42.000.000 with a stated ratio of 100) is not a ratio of 0,10 but an
/// amount written in thousands. The cell to blame is the one whose corrected value sits with the
/// line's other figures (other years, the other side); the finding points at it and expects the
/// corrected amount.
fn scale_typo(line: &BudgetLine, year: i32, stated: &Sourced) -> Option<Finding> {
    let stated_ratio = stated.value.number()?;
    let (a_cell, r_cell) = (
        figure(line, year, Role::Anggaran)?,
        figure(line, year, Role::Realisasi)?,
    );
    let (a, r) = (a_cell.best().number()?, r_cell.best().number()?);
    // A stated ratio above 1.000 % is itself the typo (`54.940` for 54,94): RATIO-MISMATCH's.
    if a.is_zero() || r.is_zero() || stated_ratio.is_zero() || stated_ratio > Decimal::ONE_THOUSAND
    {
        return None;
    }
    let exact = r.checked_div(a)? * Decimal::ONE_HUNDRED;
    if derive::agrees_with_stated(stated_ratio, exact) {
        return None;
    }
    let thousand = Decimal::ONE_THOUSAND;
    // (the cell, its corrected value) for each direction the factor may go.
    let candidates = if derive::agrees_with_stated(stated_ratio, exact * thousand) {
        [
            (r_cell, r * thousand, Role::Realisasi),
            (a_cell, a / thousand, Role::Anggaran),
        ]
    } else if derive::agrees_with_stated(stated_ratio, exact / thousand) {
        [
            (r_cell, r / thousand, Role::Realisasi),
            (a_cell, a * thousand, Role::Anggaran),
        ]
    } else {
        return None;
    };
    let others: Vec<Decimal> = line
        .years
        .iter()
        .flat_map(|(y, f)| [(*y, &f.anggaran), (*y, &f.realisasi)])
        .filter(|(y, _)| *y != year)
        .filter_map(|(_, s)| s.as_ref()?.best().number())
        .filter(|v| !v.is_zero())
        .collect();
    let Some((cell, corrected, role)) = pick_by_neighbours(candidates, &others) else {
        // Nothing else on the line to tell which: both corrections, at the ratio's cell.
        let [(r_cell, r_fixed, _), (a_cell, a_fixed, _)] = candidates;
        let mut f = Finding::new(
            Severity::Error,
            Rule::AmountScale,
            stated.source.clone(),
            messages::findings::amount_scale_either(
                &line.uraian,
                year,
                &format_id(stated_ratio, stated_ratio.scale()),
                &format_id(exact, 2),
                (&r_cell.source.a1(), &money(r_fixed)),
                (&a_cell.source.a1(), &money(a_fixed)),
            ),
        )
        .written(format_id(stated_ratio, stated_ratio.scale()));
        f.sources
            .extend([r_cell.source.clone(), a_cell.source.clone()]);
        return Some(f);
    };
    Some(
        Finding::new(
            Severity::Error,
            Rule::AmountScale,
            cell.source.clone(),
            messages::findings::amount_scale(
                role_name(role),
                &line.uraian,
                year,
                &money(cell.best().number().unwrap_or_default()),
                &format_id(stated_ratio, stated_ratio.scale()),
                &stated.source.a1(),
                &format_id(exact, 2),
                &money(corrected),
            ),
        )
        .written(money(cell.best().number().unwrap_or_default()))
        .expected(money(corrected)),
    )
}

/// Of two corrections, the one whose corrected value is nearer (by order of magnitude) to the
/// median of the line's other figures; none when the line has no other figure to judge by.
fn pick_by_neighbours<'a>(
    candidates: [(&'a Sourced, Decimal, Role); 2],
    others: &[Decimal],
) -> Option<(&'a Sourced, Decimal, Role)> {
    let mut sorted = others.to_vec();
    sorted.sort();
    let median = *sorted.get(sorted.len() / 2)?;
    let distance = |v: Decimal| {
        let (big, small) = if v > median { (v, median) } else { (median, v) };
        big.checked_div(small).unwrap_or(Decimal::MAX)
    };
    let [first, second] = candidates;
    let (d1, d2) = (distance(first.1), distance(second.1));
    // A clear winner only: within a factor of 10 of the others, and the other correction not.
    if d1 < Decimal::TEN && d2 >= Decimal::TEN * Decimal::TEN {
        Some(first)
    } else if d2 < Decimal::TEN && d1 >= Decimal::TEN * Decimal::TEN {
        Some(second)
    } else {
        None
    }
}

/// A stated ratio (of the line or total row `name`) against the one computed from the same
/// row's anggaran and realisasi.
fn check_stated_ratio(
    (name, used): (&str, &[String]),
    year: i32,
    (stated, at): (&CellValue, &SourceRef),
    computed: &Derived,
    findings: &mut Vec<Finding>,
    cov: &mut Coverage,
) {
    let Some(written) = stated.number() else {
        return;
    };
    let on_proposal = !used.is_empty();
    let Derived::Value(exact) = computed else {
        if matches!(computed, Derived::Unverified(_)) {
            cov.not_run(Rule::RatioMismatch);
            findings.push(Finding::new(
                Severity::Info,
                Rule::RatioMismatch,
                at.clone(),
                messages::findings::ratio_not_checked(name, year),
            ));
        }
        if matches!(computed, Derived::Blank) && !written.is_zero() {
            cov.failed(Rule::RatioMismatch, on_proposal);
            findings.push(
                Finding::new(
                    Severity::Warning,
                    Rule::RatioMismatch,
                    at.clone(),
                    messages::findings::ratio_without_anggaran(name, year),
                )
                .written(format_id(written, written.scale())),
            );
        }
        return;
    };
    let places = written.scale();
    let Some((severity, rule, how)) = super::kinerja::compare(written, *exact) else {
        cov.passed(Rule::RatioMismatch, on_proposal);
        return;
    };
    cov.failed(rule, on_proposal);
    findings.push(
        Finding::new(
            severity,
            rule,
            at.clone(),
            noting_proposals(
                messages::findings::ratio_differs(
                    name,
                    year,
                    how,
                    &format_id(*exact, places.max(2)),
                ),
                used,
            ),
        )
        .written(format_id(written, places))
        .expected(format_id(*exact, places.max(2))),
    );
}

/// Rule 8: duplicate codes, missing parents, lines under a parent of another code; each finding
/// points at the code cell that holds the wrong code (the name cell when the sheet has no code
/// column).
pub(crate) fn codes(
    lines: &[BudgetLine],
    parents: &[Option<usize>],
    cov: &mut Coverage,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen: HashMap<(String, String), &SourceRef> = HashMap::new();
    let known: std::collections::HashSet<String> = lines
        .iter()
        .filter_map(|l| l.kode.as_ref().map(ToString::to_string))
        .collect();
    let above = derive::nearest_above(lines);
    for (i, line) in lines.iter().enumerate() {
        let Some(kode) = &line.kode else { continue };
        let key = (kode.to_string(), line.lokasi.clone().unwrap_or_default());
        let duplicate = seen.contains_key(&key);
        cov.record(Rule::KodeDuplicate, duplicate);
        if let Some(first) = seen.get(&key) {
            let mut f = Finding::new(
                Severity::Warning,
                Rule::KodeDuplicate,
                line.kode_cell().clone(),
                messages::findings::kode_duplicate(kode, &line.uraian, first),
            )
            .written(kode.to_string());
            f.sources.push((*first).clone());
            findings.push(f);
        } else {
            seen.insert(key, line.kode_cell());
        }
        // A parent that stands above the line without a code is there: its missing code is
        // not this line's fault (the uncoded row has its own finding).
        let under_uncoded = parents[i].is_some_and(|p| lines[p].kode.is_none());
        let parent_code = kode
            .parent()
            .filter(|_| matches!(line.level, Level::Kegiatan | Level::SubKegiatan))
            .filter(|_| !under_uncoded);
        if let Some(parent_code) = &parent_code {
            cov.record(
                Rule::KodeParentMissing,
                !known.contains(&parent_code.to_string()),
            );
        }
        if let Some(parent_code) = parent_code
            && !known.contains(&parent_code.to_string())
        {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    Rule::KodeParentMissing,
                    line.kode_cell().clone(),
                    messages::findings::kode_parent_missing(
                        line.level.label(),
                        kode,
                        &parent_code,
                        if line.level == Level::Kegiatan {
                            Level::Program.label()
                        } else {
                            Level::Kegiatan.label()
                        },
                    ),
                )
                .written(kode.to_string()),
            );
        }
        // By position: the nearest earlier line of the level just above.
        let above = above[i];
        let out_of_place = above.is_some_and(|j| {
            lines[j]
                .kode
                .as_ref()
                .is_some_and(|pk| !pk.is_prefix_of(kode))
        });
        if above.is_some_and(|j| lines[j].kode.is_some()) {
            cov.record(Rule::KodeOutOfPlace, out_of_place);
        }
        if let Some(j) = above
            && let Some(pk) = &lines[j].kode
            && !pk.is_prefix_of(kode)
        {
            let mut f = Finding::new(
                Severity::Error,
                Rule::KodeOutOfPlace,
                line.kode_cell().clone(),
                messages::findings::kode_out_of_place(
                    line.level.label(),
                    kode,
                    lines[j].level.label(),
                    pk,
                    &lines[j].uraian,
                ),
            )
            .written(kode.to_string());
            f.sources.push(lines[j].kode_cell().clone());
            findings.push(f);
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    use super::*;

    /// The rules without their coverage, as most tests read them.
    fn check(lines: &[BudgetLine], totals: &[StatedTotal], years: &[i32]) -> Vec<Finding> {
        let tc24 = crate::tables::build_tc24(lines, totals, years);
        super::check((lines, totals, &tc24), years, &mut Coverage::default())
    }

    use crate::model::Figure;
    use crate::model::Kode;
    use crate::model::YearFigures;

    const YEARS: [i32; 2] = [2022, 2023];

    /// A cell of sheet `S` of `a.xlsx` by its A1 name (`C12`): single letters suffice here.
    fn src(cell: &str) -> SourceRef {
        let (letter, row) = cell.split_at(1);
        let col = u32::from(letter.as_bytes()[0] - b'A');
        let row: u32 = row.parse().expect("a row number");
        SourceRef::at(&Arc::from("a.xlsx"), &Arc::from("S"), row - 1, col)
    }

    fn sourced(d: Decimal, cell: String) -> Option<Sourced> {
        Some(Sourced {
            value: CellValue::Number(d),
            source: src(&cell),
            proposed: None,
        })
    }

    /// A line on sheet row `row` with anggaran / realisasi / stated ratio for 2022.
    fn line(kode: &str, row: u32, a: Decimal, r: Decimal, stated: Option<Decimal>) -> BudgetLine {
        let kode = Kode::parse(kode, None).unwrap();
        let mut years = BTreeMap::new();
        years.insert(
            2022,
            YearFigures {
                anggaran: sourced(a, format!("C{row}")),
                realisasi: sourced(r, format!("D{row}")),
                rasio_tertulis: stated.and_then(|s| sourced(s, format!("E{row}"))),
            },
        );
        BudgetLine {
            level: kode.level(),
            kode: Some(kode),
            kode_source: Some(src(&format!("A{row}"))),
            level_inferred: false,
            uraian: format!("baris {row}"),
            lokasi: None,
            years: years.into_iter().map(|(y, f)| (y, Box::new(f))).collect(),
            source: src(&format!("B{row}")),
        }
    }

    fn rules_of(findings: &[Finding]) -> Vec<(Rule, String)> {
        findings
            .iter()
            .map(|f| (f.rule, f.sources[0].a1()))
            .collect()
    }

    fn consistent() -> Vec<BudgetLine> {
        vec![
            line("7.01.02", 2, dec!(300), dec!(150), Some(dec!(50))),
            line("7.01.02.2.01", 3, dec!(300), dec!(150), None),
            line("7.01.02.2.01.0001", 4, dec!(100), dec!(50), None),
            line("7.01.02.2.01.0002", 5, dec!(200), dec!(100), None),
        ]
    }

    #[test]
    fn consistent_lines_raise_nothing() {
        assert!(check(&consistent(), &[], &YEARS).is_empty());
    }

    #[test]
    fn an_amount_written_in_thousands_is_named_not_its_ratio() {
        // Seed row 78 (Kegiatan Perencanaan …), 2022: anggaran 42.000.000, realisasi 42.000,
        // stated ratio 100. 42.000 / 42.000.000 × 100 = 0,1; × 1.000 = 100: a scale typo. The
        // line's 2023 anggaran 15.000.000 sits with 42.000.000 (realisasi × 1.000), not with
        // 42.000 (anggaran ÷ 1.000): the realisasi is the cell to fix.
        let mut l = line("7.01.01", 78, dec!(42000000), dec!(42000), Some(dec!(100)));
        l.years.insert(
            2023,
            Box::new(YearFigures {
                anggaran: sourced(dec!(15000000), "F78".into()),
                ..YearFigures::default()
            }),
        );
        let findings = check(&[l.clone()], &[], &YEARS);
        assert_eq!(rules_of(&findings), vec![(Rule::AmountScale, "D78".into())]);
        assert_eq!(findings[0].expected, "42.000.000,00");
        // Without another figure on the line, both corrections are named at the ratio's cell.
        l.years.remove(&2023);
        let findings = check(&[l], &[], &YEARS);
        assert_eq!(rules_of(&findings), vec![(Rule::AmountScale, "E78".into())]);
        assert!(
            findings[0].message.contains("42.000.000,00"),
            "{}",
            findings[0].message
        );
        assert!(
            findings[0].message.contains("42.000,00"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn ratios_written_with_another_precision_are_found() {
        // The sample's T-C.24 writes 2022's ratios with three decimals (P63 98,602, P65 93,838)
        // and the other years' with two (Q63 39,44, Q65 46,88). Here 2 / 3 × 100 = 66,666…:
        // 66,667 in 2022 and 66,67 in 2023 both agree with their figures.
        let mut lines = vec![
            line("7.01.02", 2, dec!(3), dec!(2), Some(dec!(66.667))),
            line("7.01.03", 3, dec!(3), dec!(2), Some(dec!(66.667))),
        ];
        for (l, row) in lines.iter_mut().zip([2, 3]) {
            l.years.insert(
                2023,
                Box::new(YearFigures {
                    anggaran: sourced(dec!(3), format!("F{row}")),
                    realisasi: sourced(dec!(2), format!("G{row}")),
                    rasio_tertulis: sourced(dec!(66.67), format!("H{row}")),
                }),
            );
        }
        let findings = check(&lines, &[], &YEARS);
        assert_eq!(
            rules_of(&findings),
            vec![(Rule::RatioPrecision, "E2".into())]
        );
        assert_eq!(findings[0].sources.len(), 2, "every cell of the column");
        // One ratio with more decimals than its column is named by itself.
        lines[1].years.get_mut(&2023).unwrap().rasio_tertulis = sourced(dec!(66.6667), "H3".into());
        let findings = check(&lines, &[], &YEARS);
        assert!(rules_of(&findings).contains(&(Rule::RatioPrecision, "H3".into())));
    }

    #[test]
    fn every_check_is_counted() {
        let mut cov = Coverage::default();
        let tc24 = crate::tables::build_tc24(&consistent(), &[], &YEARS);
        super::check((&consistent(), &[], &tc24), &YEARS, &mut cov);
        // 2022 only: the program = its kegiatan and the kegiatan = 100 + 200, each for anggaran
        // and realisasi: 4 sums; the program's stated ratio 50 = 150 / 300 × 100: 1 ratio.
        let sums = cov.of(Rule::SumHierarchy);
        assert_eq!((sums.passed, sums.failed, sums.not_run), (4, 0, 0));
        assert_eq!(cov.of(Rule::RatioMismatch).passed, 1);
        // One parent's realisasi unreadable: its sum and the ratio cannot run, and say so.
        let mut lines = consistent();
        lines[1].years.get_mut(&2022).unwrap().realisasi = Some(Sourced {
            value: CellValue::Invalid {
                raw: "150.00".into(),
                reason: crate::model::Malformed::BadGroup,
            },
            source: src("D3"),
            proposed: None,
        });
        let mut cov = Coverage::default();
        let tc24 = crate::tables::build_tc24(&lines, &[], &YEARS);
        let findings = super::check((&lines, &[], &tc24), &YEARS, &mut cov);
        let sums = cov.of(Rule::SumHierarchy);
        // The program's realisasi sum (its child is unreadable) and the kegiatan's own.
        assert_eq!((sums.passed, sums.not_run), (2, 2));
        let infos = findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count();
        assert_eq!(infos, 2);
    }

    #[test]
    fn a_parent_that_is_not_the_sum_of_its_children() {
        let mut lines = consistent();
        lines[1] = line("7.01.02.2.01", 3, dec!(310), dec!(150), None);
        let findings = check(&lines, &[], &YEARS);
        // The kegiatan is typed wrong (310 ≠ 100 + 200); the program's 300 is the sum of its
        // leaves (100 + 200), so the error is reported once, at the kegiatan.
        assert_eq!(rules_of(&findings), vec![(Rule::SumHierarchy, "C3".into())]);
        let f = &findings[0];
        assert_eq!(
            (f.written.as_str(), f.expected.as_str()),
            ("310,00", "300,00")
        );
        let cells: Vec<String> = f.sources.iter().map(SourceRef::a1).collect();
        assert_eq!(cells, vec!["C3", "C4", "C5"], "every cell involved");
        // A program that is wrong at its leaves too (310 against 100 + 200 under a kegiatan of
        // 300) is reported itself.
        let mut lines = consistent();
        lines[0] = line("7.01.02", 2, dec!(310), dec!(150), Some(dec!(48.39)));
        let findings = check(&lines, &[], &YEARS);
        assert_eq!(rules_of(&findings), vec![(Rule::SumHierarchy, "C2".into())]);
    }

    #[test]
    fn a_parent_left_blank_whose_children_have_figures() {
        let mut lines = consistent();
        // The kegiatan's anggaran 2022 left empty; its sub kegiatan hold 100 + 200 = 300.
        lines[1].years.get_mut(&2022).unwrap().anggaran = Some(Sourced {
            value: CellValue::Empty,
            source: src("C3"),
            proposed: None,
        });
        let findings = check(&lines, &[], &YEARS);
        let blank: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.sources[0].a1() == "C3")
            .collect();
        assert_eq!(blank.len(), 1, "{findings:?}");
        assert_eq!(blank[0].rule, Rule::SumHierarchy);
        assert_eq!(
            (blank[0].written.as_str(), blank[0].expected.as_str()),
            ("", "300,00")
        );
        // A parent left blank with children that are blank too says nothing.
        let mut quiet = consistent();
        for line in &mut quiet[1..] {
            line.years.get_mut(&2022).unwrap().anggaran = None;
        }
        assert!(
            !check(&quiet, &[], &YEARS)
                .iter()
                .any(|f| f.sources[0].a1() == "C3")
        );
    }

    #[test]
    fn a_stated_total_against_the_programs() {
        let total = |value: Decimal| StatedTotal {
            label: "JUMLAH".into(),
            figures: vec![Figure {
                role: Role::Anggaran,
                year: 2022,
                value: CellValue::Number(value),
                source: src("C9"),
                proposed: None,
            }],
            source: src("B9"),
        };
        assert!(check(&consistent(), &[total(dec!(300))], &YEARS).is_empty());
        let findings = check(&consistent(), &[total(dec!(301))], &YEARS);
        assert_eq!(rules_of(&findings), vec![(Rule::SumTotal, "C9".into())]);
    }

    #[test]
    fn a_stated_totals_ratio_against_its_own_figures() {
        let figure = |role, value: Decimal, cell: &str| Figure {
            role,
            year: 2022,
            value: CellValue::Number(value),
            source: src(cell),
            proposed: None,
        };
        // JUMLAH 300 anggaran, 150 realisasi: 150 / 300 × 100 = 50; written 49.
        let total = StatedTotal {
            label: "JUMLAH".into(),
            figures: vec![
                figure(Role::Anggaran, dec!(300), "C9"),
                figure(Role::Realisasi, dec!(150), "D9"),
                figure(Role::Rasio, dec!(49), "E9"),
            ],
            source: src("B9"),
        };
        let findings = check(&consistent(), &[total], &YEARS);
        assert_eq!(
            rules_of(&findings),
            vec![(Rule::RatioMismatch, "E9".into())]
        );
        assert_eq!(findings[0].expected, "50,00");
    }

    #[test]
    fn stated_ratios_rounded_truncated_or_wrong() {
        // 150 / 300 × 100 = 50 exactly; 2 / 3 × 100 = 66,666…
        let ok = line("7.01.02", 2, dec!(3), dec!(2), Some(dec!(66.67)));
        let truncated = line("7.01.03", 3, dec!(3), dec!(2), Some(dec!(66.66)));
        let wrong = line("7.01.04", 4, dec!(3), dec!(2), Some(dec!(67.67)));
        let findings = check(&[ok, truncated, wrong], &[], &YEARS);
        assert_eq!(
            rules_of(&findings),
            vec![
                (Rule::RatioRounding, "E3".into()),
                (Rule::RatioMismatch, "E4".into())
            ]
        );
        assert_eq!(findings[0].severity, Severity::Info);
        assert_eq!(findings[1].severity, Severity::Error);
        assert_eq!(findings[1].expected, "66,67");
    }

    #[test]
    fn realisasi_above_or_without_anggaran() {
        let over = line("7.01.02", 2, dec!(100), dec!(120), None);
        let mut without = line("7.01.03", 3, dec!(0), dec!(5), None);
        without.years.get_mut(&2022).unwrap().anggaran = None;
        let fine = line("7.01.04", 4, dec!(100), dec!(100), None);
        let findings = check(&[over, without, fine], &[], &YEARS);
        assert_eq!(
            rules_of(&findings),
            vec![
                (Rule::RealisasiOverAnggaran, "D2".into()),
                (Rule::RealisasiWithoutAnggaran, "D3".into())
            ]
        );
        // 120 spent of 100: a budget cannot be overspent, so it is an error.
        assert_eq!(findings[0].severity, Severity::Error);
    }

    #[test]
    fn duplicate_missing_parent_and_out_of_place_codes() {
        let lines = vec![
            line("7.01.02", 2, dec!(300), dec!(150), None),
            line("7.01.02.2.01", 3, dec!(300), dec!(150), None),
            // The seed's case: a sub kegiatan of 2.03 listed under kegiatan 2.02 … here 2.01.
            line("7.01.02.2.03.0003", 4, dec!(300), dec!(150), None),
            line("7.01.02.2.01", 5, dec!(300), dec!(150), None),
        ];
        let found = rules_of(&check(&lines, &[], &YEARS));
        // Each points at the code cell (column A of the rows built above), not the name (B).
        assert!(found.contains(&(Rule::KodeParentMissing, "A4".into())));
        assert!(found.contains(&(Rule::KodeOutOfPlace, "A4".into())));
        assert!(found.contains(&(Rule::KodeDuplicate, "A5".into())));
        assert_eq!(
            found
                .iter()
                .filter(|(r, _)| r.id().starts_with("KODE"))
                .count(),
            3
        );
    }
}
