//! ORG-CHART: the organisation charts' rows that do not fit a tree, as the derive stage found
//! them ([`crate::derive::organisation`]). Each position row is one check.

use crate::derive::organisation::{Organisation, Problem};
use crate::messages;
use crate::model::{Coverage, Finding, Rule, Severity};

/// One warning per problem; every position row counts as one check.
pub fn check(organisation: &Organisation, cov: &mut Coverage) -> Vec<Finding> {
    let findings: Vec<Finding> = organisation.problems.iter().map(finding).collect();
    for _ in 0..organisation.rows.saturating_sub(findings.len()) {
        cov.passed(Rule::OrgChart, false);
    }
    for _ in &findings {
        cov.failed(Rule::OrgChart, false);
    }
    findings
}

fn finding(problem: &Problem) -> Finding {
    use messages::findings as m;
    let warn = |at: &crate::model::SourceRef, message: String| {
        Finding::new(Severity::Warning, Rule::OrgChart, at.clone(), message)
    };
    match problem {
        Problem::UnknownSuperior {
            at,
            position,
            superior,
            chart,
        } => warn(at, m::org_unknown_superior(position, superior, chart)),
        Problem::Duplicate {
            at,
            first,
            position,
        } => {
            let mut f = warn(at, m::org_duplicate(position, &first.to_string()));
            f.sources.push(first.clone());
            f
        }
        Problem::Loop {
            at,
            also,
            positions,
        } => {
            let mut f = warn(at, m::org_loop(positions));
            f.sources.extend(also.iter().cloned());
            f
        }
        Problem::Unnamed { at } => warn(at, m::ORG_UNNAMED.to_string()),
        Problem::UnknownLine { at, written } => warn(at, m::org_unknown_line(written)),
    }
}
