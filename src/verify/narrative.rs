//! NARRATIVE-FIGURE: the narrative quoting a figure the checks found wrong. A number typed into
//! `naskah/*.typ` that equals a stated figure with an error-level finding (the SO score 890 where
//! the factor tables give 870) is reported at its file and line, with the `#fakta` that gives the
//! verified figure when there is one.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::derive::organisation::Organisation;
use crate::messages;
use crate::model::{Finding, NumberKind, Rule, Severity, SourceRef, parse_number};

/// FIGURE-MISSING: every `#gambar("…")` of the narrative files (see [`crate::render::read_naskah`]) that names no
/// image file, and every `#struktur("…")` whose chart the positions sheet does not hold, at its
/// file and line.
pub fn missing_figures(naskah: &[(String, String)], organisation: &Organisation) -> Vec<Finding> {
    use typst::syntax::{LinkedNode, SyntaxKind, ast};
    let mut out = Vec::new();
    for (rel, text) in naskah {
        let source = typst::syntax::Source::detached(text.as_str());
        let mut stack = vec![LinkedNode::new(source.root())];
        while let Some(node) = stack.pop() {
            if node.kind() == SyntaxKind::FuncCall
                && let Some(call) = node.get().cast::<ast::FuncCall>()
                && let ast::Expr::Ident(callee) = call.callee()
            {
                let positional: Vec<ast::Expr> = call
                    .args()
                    .items()
                    .filter_map(|a| match a {
                        ast::Arg::Pos(e) => Some(e),
                        _ => None,
                    })
                    .collect();
                let first_text = match positional.first() {
                    Some(ast::Expr::Str(s)) => s.get().to_string(),
                    _ => String::new(),
                };
                let message = match callee.as_str() {
                    "gambar" if positional.len() == 1 => {
                        Some(messages::findings::figure_missing(&first_text))
                    }
                    "struktur" if organisation.chart(&first_text).is_none() => {
                        Some(messages::findings::org_chart_missing(
                            &first_text,
                            &chart_names(organisation),
                        ))
                    }
                    _ => None,
                };
                if let Some(message) = message {
                    let line = source.lines().byte_to_line(node.offset()).unwrap_or(0) + 1;
                    out.push(Finding::new(
                        Severity::Warning,
                        Rule::FigureMissing,
                        SourceRef::sheet(rel, &messages::findings::narrative_line(line)),
                        message,
                    ));
                }
            }
            stack.extend(node.children());
        }
    }
    out.sort_by(|a, b| a.sources.cmp(&b.sources));
    out
}

fn chart_names(organisation: &Organisation) -> Vec<&str> {
    organisation
        .charts
        .iter()
        .map(|c| c.name.as_str())
        .collect()
}

/// The rules whose wrong figures a narrative typically quotes: totals and scores.
const QUOTED_RULES: [Rule; 5] = [
    Rule::SwotScore,
    Rule::SumTotal,
    Rule::StaffCategories,
    Rule::StaffSum,
    Rule::PlanTotal,
];

/// A wrong stated figure: its value, the verified one and where it was stated.
struct Wrong<'a> {
    written: Decimal,
    finding: &'a Finding,
}

/// Reports the numbers in the narrative's text (see [`crate::naskah::text_pieces`]: the lines
/// of `naskah/*.typ`, the paragraphs of `naskah.docx`) that equal a wrong stated figure of
/// `findings`; `facts` (the `#fakta` keys and their printed figures) name the replacement.
pub fn figures(
    pieces: &[crate::naskah::TextAt],
    facts: &BTreeMap<String, String>,
    findings: &[Finding],
) -> Vec<Finding> {
    let wrong: Vec<Wrong> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error && QUOTED_RULES.contains(&f.rule))
        .filter(|f| !f.expected.is_empty())
        .filter_map(|f| {
            let written = number(&f.written)?;
            Some(Wrong {
                written,
                finding: f,
            })
        })
        .collect();
    if wrong.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for piece in pieces {
        for token in number_tokens(&piece.text) {
            let Some(value) = number(token) else { continue };
            for w in wrong.iter().filter(|w| w.written == value) {
                out.push(finding(piece, token, w, facts));
            }
        }
    }
    out
}

fn finding(
    piece: &crate::naskah::TextAt,
    token: &str,
    w: &Wrong,
    facts: &BTreeMap<String, String>,
) -> Finding {
    let expected = number(&w.finding.expected);
    let fact = facts
        .iter()
        .find(|(_, printed)| expected.is_some() && number(printed) == expected)
        .map(|(key, _)| key.as_str());
    let stated_at = w
        .finding
        .sources
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut f = Finding::new(
        Severity::Warning,
        Rule::NarrativeFigure,
        SourceRef::sheet(&piece.file, &piece.place),
        messages::findings::narrative_figure(token, &stated_at, &w.finding.expected, fact),
    )
    .written(token)
    .expected(w.finding.expected.clone());
    f.sources.extend(w.finding.sources.first().cloned());
    f
}

/// A number as the narrative writes it (`890`, `12.175.561.324`, `96,79`); small numbers and
/// years are left alone, they are too common to be a quoted figure.
fn number(text: &str) -> Option<Decimal> {
    let d = parse_number(text.trim(), NumberKind::Money)
        .value
        .number()?;
    let year_like = !text.contains(['.', ',']) && (1900..=2100).contains(&d.trunc().mantissa());
    (d >= Decimal::ONE_HUNDRED && !year_like).then_some(d)
}

/// The runs of digits (with `.` or `,` between digits) of a line.
fn number_tokens(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit()
            || (i > 0
                && (bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'_' | b'-')))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || (matches!(bytes[i], b'.' | b',')
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            i += 1;
        }
        let after_letter = bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic());
        if !after_letter {
            out.push(&line[start..i]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_a_line() {
        // The sample's bab-5, line 73: "… Strategi ST dengan nilai 775, yang berarti …".
        let line = "Faktor lain yang mendukung yaitu Strategi ST dengan nilai 775, yang berarti";
        assert_eq!(number_tokens(line), vec!["775"]);
        assert_eq!(
            number_tokens("Rp 12.175.561.324,00 pada 2022; bab-5 x2"),
            vec!["12.175.561.324,00", "2022"]
        );
        assert_eq!(number("2022"), None, "a year");
        assert_eq!(number("99"), None, "too small to be a quoted total");
        assert_eq!(number("775"), Some(Decimal::from(775)));
    }
}
