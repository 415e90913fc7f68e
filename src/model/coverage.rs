//! How many checks each rule ran, passed and failed, and how many it could not run: the measure
//! of how much of the workbooks a verdict rests on. A rule that silently skipped its inputs would
//! show here as checks missing; one that ran on proposed readings of malformed amounts says how
//! many.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Rule;

/// One rule's checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Checks that ran and found nothing wrong.
    pub passed: usize,
    /// Checks that ran and raised a finding.
    pub failed: usize,
    /// Checks that could not run (an input is not a number and has no confirmed reading); each
    /// is an info finding saying why.
    pub not_run: usize,
    /// Of the checks that ran, how many used a proposed reading of a malformed amount.
    pub on_proposal: usize,
}

impl Tally {
    /// Checks that ran: passed + failed.
    pub fn run(&self) -> usize {
        self.passed + self.failed
    }
}

/// The tally of every rule that checked something, in rule order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Coverage(BTreeMap<&'static str, Tally>);

impl Coverage {
    fn tally(&mut self, rule: Rule) -> &mut Tally {
        self.0.entry(rule.id()).or_default()
    }

    /// A check of `rule` ran and passed.
    pub fn passed(&mut self, rule: Rule, on_proposal: bool) {
        let t = self.tally(rule);
        t.passed += 1;
        t.on_proposal += usize::from(on_proposal);
    }

    /// A check of `rule` ran and failed.
    pub fn failed(&mut self, rule: Rule, on_proposal: bool) {
        let t = self.tally(rule);
        t.failed += 1;
        t.on_proposal += usize::from(on_proposal);
    }

    /// A check of `rule` ran: failed when `failed`, else passed (never on a proposal).
    pub fn record(&mut self, rule: Rule, failed: bool) {
        if failed {
            self.failed(rule, false);
        } else {
            self.passed(rule, false);
        }
    }

    /// A check of `rule` could not run.
    pub fn not_run(&mut self, rule: Rule) {
        self.tally(rule).not_run += 1;
    }

    /// Adds another family's tallies.
    pub fn merge(&mut self, other: Coverage) {
        for (rule, t) in other.0 {
            let mine = self.0.entry(rule).or_default();
            mine.passed += t.passed;
            mine.failed += t.failed;
            mine.not_run += t.not_run;
            mine.on_proposal += t.on_proposal;
        }
    }

    /// Each rule's id and tally, in rule order ([`Rule::ALL`]).
    pub fn rows(&self) -> Vec<(&'static str, Tally)> {
        Rule::ALL
            .iter()
            .filter_map(|r| self.0.get(r.id()).map(|t| (r.id(), *t)))
            .collect()
    }

    /// The tally of one rule (zeros when it checked nothing).
    pub fn of(&self, rule: Rule) -> Tally {
        self.0.get(rule.id()).copied().unwrap_or_default()
    }

    /// The sum over every rule.
    pub fn total(&self) -> Tally {
        let mut total = Tally::default();
        for t in self.0.values() {
            total.passed += t.passed;
            total.failed += t.failed;
            total.not_run += t.not_run;
            total.on_proposal += t.on_proposal;
        }
        total
    }
}
