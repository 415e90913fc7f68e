//! Stage 4: the rules. Each family compares what the workbooks state with what the unit's model
//! and the derived figures ([`crate::derive`]) say, and turns every difference into a finding that
//! names every cell involved. A rule computes nothing of its own beyond the comparison.
//!
//! A family per file: `budget` (T-C.24), `plan` (T-C.27), `kinerja` (T-C.23), `targets` (T-C.25,
//! Tabel 10, T-C.28), `staff_swot` (Tabel 1, SWOT),
//! `organisation` (struktur organisasi). A new rule goes into its family's file, its
//! id into [`crate::model::Rule`], and its row into the README's rule table.

pub mod budget;
pub mod kinerja;
pub mod organisation;
pub mod plan;
pub mod staff_swot;
pub mod targets;

use crate::derive::organisation::Organisation;
use crate::derive::swot::Swot;
use crate::model::{BudgetLine, Coverage, Finding, Record, StatedTotal};
use crate::repair::Repairs;
use crate::tables::Tc24;

/// What the rules read: the unit's model after normalization.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The budget lines (T-C.24).
    pub lines: &'a [BudgetLine],
    /// The budget's stated total rows.
    pub totals: &'a [StatedTotal],
    /// The plan's rows placed in the program tree (T-C.27).
    pub plan_lines: &'a [BudgetLine],
    /// Every record of the non-budget sheets.
    pub records: &'a [Record],
    /// The evaluation years.
    pub evaluation_years: &'a [i32],
    /// The plan years.
    pub plan_years: &'a [i32],
    /// The SWOT as derived from its factor rows.
    pub swot: &'a Swot,
    /// The organisation charts as derived from the positions sheet.
    pub organisation: &'a Organisation,
    /// The proposed readings of malformed amounts (the budget's are also in the lines).
    pub repairs: &'a Repairs,
    /// T-C.24 as the tables derive it (subtotals from the leaves up), for findings to quote.
    pub tc24: &'a Tc24,
}

/// The findings of every family, kept apart so the unit lists them in a fixed order.
#[derive(Debug, Default)]
pub struct Findings {
    /// T-C.24.
    pub budget: Vec<Finding>,
    /// T-C.27.
    pub plan: Vec<Finding>,
    /// Tabel 1, SWOT and the organisation charts.
    pub staff_swot: Vec<Finding>,
    /// T-C.23, then T-C.25 / Tabel 10 / T-C.28.
    pub kinerja_targets: Vec<Finding>,
    /// How many checks each rule ran, passed, failed and could not run.
    pub coverage: Coverage,
}

/// Runs every family of rules, in parallel.
pub fn check(inputs: &Inputs) -> Findings {
    let counted = |f: &(dyn Fn(&mut Coverage) -> Vec<Finding> + Sync)| {
        let mut c = Coverage::default();
        (f(&mut c), c)
    };
    let (((budget, c1), (plan, c2)), ((staff_swot, c3), (kinerja_targets, c4))) = rayon::join(
        || {
            rayon::join(
                || {
                    counted(&|c| {
                        budget::check(
                            (inputs.lines, inputs.totals, inputs.tc24),
                            inputs.evaluation_years,
                            c,
                        )
                    })
                },
                || {
                    counted(&|c| {
                        plan::check(
                            (inputs.records, inputs.repairs),
                            inputs.plan_lines,
                            inputs.plan_years,
                            c,
                        )
                    })
                },
            )
        },
        || {
            rayon::join(
                || {
                    counted(&|c| {
                        let mut f = staff_swot::check(inputs.records, inputs.swot, c);
                        f.extend(organisation::check(inputs.organisation, c));
                        f
                    })
                },
                || {
                    counted(&|c| {
                        let mut f = kinerja::check(inputs.records, inputs.evaluation_years, c);
                        f.extend(targets::check(inputs.records, inputs.plan_years, c));
                        f
                    })
                },
            )
        },
    );
    let mut coverage = Coverage::default();
    for part in [c1, c2, c3, c4] {
        coverage.merge(part);
    }
    Findings {
        budget,
        plan,
        staff_swot,
        kinerja_targets,
        coverage,
    }
}
