//! Stage 2a: give every budget row its place in the program tree and its location.
//!
//! Codes decide the level (program, kegiatan, sub kegiatan). Rows without a code take their level
//! from their wording ("Program …", "Kegiatan …") or, failing that, from the row before them, and
//! say so in a finding. Location suffixes such as `(Sub Unit Kelurahan Sukoharjo)` or `(KANIGARAN)`
//! become a location resolved against the unit's kelurahan list, not part of the name.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use compact_str::CompactString;
use serde::Serialize;

use crate::messages;
use crate::messages::findings::LevelReason;
use crate::model::{
    BudgetLine, BudgetRow, CellValue, Figure, Finding, Kode, Level, Record, Role, Rule, Severity,
    SheetKind, Sourced, money_value, parse_kode_cell,
};

/// How a location written in a name was matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationMatch {
    /// The canonical location ("Kelurahan Curahgrinting", "Kecamatan Kanigaran").
    pub lokasi: String,
    /// The spelling in the workbook, when it differed from the canonical one beyond case/space.
    pub written_as: Option<String>,
}

/// The unit facts normalization needs.
pub struct UnitContext<'a> {
    /// "Kecamatan Kanigaran".
    pub unit_name: &'a str,
    /// The unit's kelurahan, canonical spelling.
    pub kelurahan: &'a [String],
}

/// Turns ingested rows into lines, in order of first appearance. Rows describing the same line in
/// different sheets or files (one sheet per year, anggaran and realisasi in separate workbooks)
/// are merged into one line: the same code and location, or, without a code, the same name and
/// location, and the same occurrence within its sheet. A figure given twice with different values
/// is a conflict finding and neither value is used; two sheets that share figures are named as
/// versions of one another, in an order that does not depend on their names.
pub fn normalize_budget(rows: &[BudgetRow], unit: &UnitContext) -> (Vec<BudgetLine>, Vec<Finding>) {
    let mut lines: Vec<BudgetLine> = Vec::with_capacity(rows.len());
    let mut findings = Vec::new();
    let mut index: HashMap<LineKey, usize> = HashMap::new();
    let mut occurrences: HashMap<(Arc<str>, Arc<str>, LineKey), usize> = HashMap::new();
    let mut previous: HashMap<(Arc<str>, Arc<str>), Level> = HashMap::new();
    let mut overlaps = Overlaps::new();
    for row in rows {
        let sheet = (row.source.file.clone(), row.source.sheet.clone());
        let (uraian, lokasi) = locate(row, unit, &mut findings);
        let base = line_key(row, &uraian, lokasi.as_deref(), 0);
        let seen = occurrences
            .entry((sheet.0.clone(), sheet.1.clone(), base.clone()))
            .or_default();
        let key = line_key(row, &uraian, lokasi.as_deref(), *seen);
        *seen += 1;
        if let Some(&i) = index.get(&key) {
            merge_years(&mut lines[i], &row.figures, &mut findings, &mut overlaps);
            continue;
        }
        let (level, inferred) = decide_level(row, previous.get(&sheet).copied());
        if let Some(how) = inferred {
            findings.push(Finding::new(
                Severity::Info,
                Rule::LevelInferred,
                row.source.clone(),
                messages::findings::level_inferred(level.label(), how),
            ));
        }
        previous.insert(sheet, level);
        index.insert(key, lines.len());
        lines.push(BudgetLine {
            kode: row.kode.clone(),
            kode_source: row.kode_source.clone(),
            level,
            level_inferred: inferred.is_some(),
            uraian,
            lokasi,
            years: BTreeMap::new(),
            source: row.source.clone(),
        });
        let last = lines.len() - 1;
        merge_years(&mut lines[last], &row.figures, &mut findings, &mut overlaps);
    }
    findings.extend(version_findings(&overlaps));
    (lines, findings)
}

/// A sheet as a version of data: its file and name.
type SheetOf = (Arc<str>, Arc<str>);

/// For each pair of sheets (in sorted order) that filled the same line, year and figure: how
/// many figures they share and how many of those differ.
type Overlaps = BTreeMap<(SheetOf, SheetOf), (usize, usize)>;

/// One FIGURE-CONFLICT per pair of sheets that share figures: the two versions, named.
fn version_findings(overlaps: &Overlaps) -> Vec<Finding> {
    overlaps
        .iter()
        .map(|((a, b), &(shared, differing))| {
            let name = |s: &SheetOf| crate::model::SourceRef::sheet(&s.0, &s.1);
            Finding::new(
                if differing > 0 {
                    Severity::Warning
                } else {
                    Severity::Info
                },
                Rule::FigureConflict,
                name(b),
                messages::findings::versions(name(a), name(b), shared, differing),
            )
        })
        .collect()
}

/// The plan (T-C.27) rows placed in the program tree like the budget's, with each row's plan-year
/// Rp as its "anggaran": codes decide the tree, rows without codes their position. Computed once
/// per unit; the plan rules check its sums and T-C.27 shows its codes and levels. The findings are
/// those of reading the rows (malformed codes and Rp); the lines' own placement raises none here,
/// since the budget's normalization already speaks for it.
pub fn plan_lines(
    records: &[Record],
    years: &[i32],
    bidang: Option<&Kode>,
    unit: &UnitContext,
) -> (Vec<BudgetLine>, Vec<Finding>) {
    let mut findings = Vec::new();
    let rows: Vec<BudgetRow> = records
        .iter()
        .filter(|r| r.kind == SheetKind::RencanaProgram && !r.total)
        .filter_map(|r| to_row(r, years, bidang, &mut findings))
        .collect();
    let (lines, _) = normalize_budget(&rows, unit);
    (lines, findings)
}

/// A plan record as a budget row whose "anggaran" is the plan's Rp per year.
fn to_row(
    record: &Record,
    years: &[i32],
    bidang: Option<&Kode>,
    findings: &mut Vec<Finding>,
) -> Option<BudgetRow> {
    let uraian = record
        .get(&["program"])
        .or_else(|| record.get(&["kegiatan"]))?;
    let kode_cell = record.get(&["kode"]);
    let kode = kode_cell.and_then(|c| parse_kode_cell(&c.text, bidang, c.source.clone(), findings));
    let mut figures = Vec::new();
    for year in years {
        let Some(cell) = record.get(&[&year.to_string(), "rp"]) else {
            continue;
        };
        let value = money_value(&cell.text, cell.number);
        if let CellValue::Invalid { raw, reason } = &value {
            findings.push(
                Finding::new(
                    Severity::Error,
                    Rule::AmountMalformed,
                    cell.source.clone(),
                    messages::findings::plan_amount_malformed(*year, reason),
                )
                .written(raw.clone()),
            );
        }
        figures.push(Figure {
            role: Role::Anggaran,
            year: *year,
            value,
            source: cell.source.clone(),
            proposed: None,
        });
    }
    Some(BudgetRow {
        kode_text: kode_cell
            .map(|c| c.text.as_str().into())
            .unwrap_or_default(),
        kode_source: kode_cell.map(|c| c.source.clone()),
        kode,
        uraian: uraian.text.as_str().into(),
        lokasi_text: record
            .get(&["lokasi"])
            .map(|c| c.text.as_str().into())
            .unwrap_or_default(),
        keterangan: CompactString::default(),
        figures,
        source: uraian.source.clone(),
    })
}

/// What identifies a line across sheets: code (or, without one, the name squashed for matching),
/// location, and the how-many-th such row it is within its sheet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct LineKey {
    kode: String,
    name: String,
    lokasi: String,
    occurrence: usize,
}

fn line_key(row: &BudgetRow, uraian: &str, lokasi: Option<&str>, occurrence: usize) -> LineKey {
    let kode = row
        .kode
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    LineKey {
        name: if kode.is_empty() {
            squash(uraian)
        } else {
            String::new()
        },
        kode,
        lokasi: lokasi.map(squash).unwrap_or_default(),
        occurrence,
    }
}

/// Adds a row's figures to a line. An empty slot takes the figure; a slot holding a different
/// non-empty value takes neither: it becomes a conflict (both texts, at the earlier of the two
/// cells, so the order the files were read in changes nothing) and the conflict a finding.
fn merge_years(
    line: &mut BudgetLine,
    figures: &[Figure],
    findings: &mut Vec<Finding>,
    overlaps: &mut Overlaps,
) {
    for f in figures {
        let slot = line.years.entry(f.year).or_default();
        let (target, role) = match f.role {
            Role::Anggaran => (&mut slot.anggaran, "Anggaran"),
            Role::Realisasi => (&mut slot.realisasi, "Realisasi"),
            Role::Rasio => (&mut slot.rasio_tertulis, "Rasio"),
            _ => continue,
        };
        let incoming = Sourced {
            value: f.value.clone(),
            source: f.source.clone(),
            proposed: None,
        };
        match target {
            Some(existing) if existing.value.is_blank() => *target = Some(incoming),
            Some(_) if incoming.value.is_blank() => {}
            Some(existing) => {
                let same = existing.value == incoming.value;
                let (a, b) = sheets_in_order(&existing.source, &incoming.source);
                if a != b {
                    let entry = overlaps.entry((a, b)).or_default();
                    entry.0 += 1;
                    entry.1 += usize::from(!same);
                }
                if same {
                    continue;
                }
                let (first, second) = if existing.source <= incoming.source {
                    (existing.clone(), incoming)
                } else {
                    (incoming, existing.clone())
                };
                let (first_text, second_text) = (cell_text(&first.value), cell_text(&second.value));
                findings.push(
                    Finding::new(
                        Severity::Error,
                        Rule::FigureConflict,
                        second.source.clone(),
                        messages::findings::figure_conflict(
                            &line.uraian,
                            role,
                            f.year,
                            (&first.source, first_text.as_str()),
                            (&second.source, second_text.as_str()),
                        ),
                    )
                    .written(second_text.clone()),
                );
                *target = Some(Sourced {
                    value: CellValue::Invalid {
                        raw: format!("{first_text} / {second_text}"),
                        reason: crate::model::Malformed::Conflict,
                    },
                    source: first.source,
                    proposed: None,
                });
            }
            None => *target = Some(incoming),
        }
    }
}

/// The sheets of two cells, in sorted order.
fn sheets_in_order(x: &crate::model::SourceRef, y: &crate::model::SourceRef) -> (SheetOf, SheetOf) {
    let a = (x.file.clone(), x.sheet.clone());
    let b = (y.file.clone(), y.sheet.clone());
    if a <= b { (a, b) } else { (b, a) }
}

/// A figure as a conflict finding shows it to people: an amount the Indonesian way
/// (`1.234.567,00`), a note or malformed text as written.
fn cell_text(value: &CellValue) -> String {
    match value {
        CellValue::Empty => String::new(),
        CellValue::Nil => "-".into(),
        CellValue::Number(d) => crate::model::format_id(*d, 2),
        CellValue::Note(n) => n.clone(),
        CellValue::Invalid { raw, .. } => raw.clone(),
    }
}

/// The level from the code; else from the first word; else the same as the row before.
fn decide_level(row: &BudgetRow, previous: Option<Level>) -> (Level, Option<LevelReason>) {
    if let Some(k) = &row.kode {
        return (k.level(), None);
    }
    let lower = row.uraian.trim().to_lowercase();
    if lower.starts_with("sub kegiatan") {
        (Level::SubKegiatan, Some(LevelReason::NamedSubKegiatan))
    } else if lower.starts_with("program") {
        (Level::Program, Some(LevelReason::NamedProgram))
    } else if lower.starts_with("kegiatan") {
        (Level::Kegiatan, Some(LevelReason::NamedKegiatan))
    } else {
        match previous {
            Some(level) => (level, Some(LevelReason::SameAsAbove)),
            None => (Level::Program, Some(LevelReason::FirstRow)),
        }
    }
}

fn locate(
    row: &BudgetRow,
    unit: &UnitContext,
    findings: &mut Vec<Finding>,
) -> (String, Option<String>) {
    let (name, suffix) = split_location_suffix(&row.uraian, unit);
    let from_column = (!row.lokasi_text.trim().is_empty())
        .then(|| match_location(row.lokasi_text.trim(), unit, true));
    let chosen = from_column.flatten().or(suffix);
    if let Some(m) = &chosen
        && let Some(written) = &m.written_as
    {
        findings.push(
            Finding::new(
                Severity::Info,
                Rule::LocationSpelling,
                row.source.clone(),
                messages::findings::location_spelling(written, &m.lokasi),
            )
            .written(written.clone())
            .expected(m.lokasi.clone()),
        );
    }
    (name, chosen.map(|m| m.lokasi))
}

/// Splits `Name (Sub Unit Kelurahan X)` into the name and a location, when the last parenthesised
/// group names a location of the unit. Anything else in parentheses stays part of the name.
pub fn split_location_suffix(name: &str, unit: &UnitContext) -> (String, Option<LocationMatch>) {
    let trimmed = name.trim().trim_end_matches(['\'', '’']).trim_end();
    let Some(open) = last_group_start(trimmed) else {
        return (trimmed.to_string(), None);
    };
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    match match_location(inner, unit, false) {
        Some(m) => (trimmed[..open].trim_end().to_string(), Some(m)),
        None => (trimmed.to_string(), None),
    }
}

/// Byte index of the `(` that opens the group closing at the end of `s`.
fn last_group_start(s: &str) -> Option<usize> {
    if !s.ends_with(')') {
        return None;
    }
    let mut depth = 0i32;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Resolves a written location against the unit. `column` is true for a Lokasi column, whose
/// content is a location even when unknown.
fn match_location(written: &str, unit: &UnitContext, column: bool) -> Option<LocationMatch> {
    let words: Vec<String> = written
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let is_kecamatan = words.first().is_some_and(|w| w == "kecamatan");
    let mut rest: &[String] = &words;
    let mut had_marker = false;
    while let Some(first) = rest.first() {
        if matches!(
            first.as_str(),
            "sub" | "unit" | "kelurahan" | "kel" | "desa"
        ) {
            rest = &rest[1..];
            had_marker = true;
        } else {
            break;
        }
    }
    let key: String = rest.concat();
    if is_kecamatan && squash(unit.unit_name) == squash(written) {
        return Some(LocationMatch {
            lokasi: unit.unit_name.to_string(),
            written_as: None,
        });
    }
    if key.is_empty() {
        return None;
    }
    let exact = unit.kelurahan.iter().find(|k| squash(k) == key);
    if let Some(k) = exact {
        return Some(LocationMatch {
            lokasi: format!("Kelurahan {k}"),
            written_as: None,
        });
    }
    let near = unit
        .kelurahan
        .iter()
        .map(|k| (strsim::levenshtein(&squash(k), &key), k))
        .filter(|(d, k)| *d <= 2 && squash(k).len() >= 6)
        .min_by_key(|(d, _)| *d);
    if let Some((_, k)) = near {
        return Some(LocationMatch {
            lokasi: format!("Kelurahan {k}"),
            written_as: Some(written.trim().to_string()),
        });
    }
    (column || had_marker).then(|| LocationMatch {
        lokasi: written.trim().to_string(),
        written_as: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceRef;

    fn unit() -> UnitContext<'static> {
        static KEL: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            [
                "Kanigaran",
                "Kebonsari Kulon",
                "Kebonsari Wetan",
                "Curahgrinting",
                "Sukoharjo",
                "Tisnonegaran",
            ]
            .map(String::from)
            .to_vec()
        });
        UnitContext {
            unit_name: "Kecamatan Kanigaran",
            kelurahan: &KEL,
        }
    }

    fn split(name: &str) -> (String, Option<String>) {
        let (n, m) = split_location_suffix(name, &unit());
        (n, m.map(|m| m.lokasi))
    }

    #[test]
    fn sub_unit_suffixes_become_locations() {
        assert_eq!(
            split("Peningkatan Kapasitas Lembaga Kemasyarakatan (Sub Unit Kelurahan Sukoharjo)"),
            (
                "Peningkatan Kapasitas Lembaga Kemasyarakatan".into(),
                Some("Kelurahan Sukoharjo".into())
            )
        );
        assert_eq!(
            split("Pembangunan Sarana dan Prasarana Kelurahan (CURAH GRINTING)"),
            (
                "Pembangunan Sarana dan Prasarana Kelurahan".into(),
                Some("Kelurahan Curahgrinting".into())
            )
        );
        assert_eq!(
            split("Penyediaan Gaji dan Tunjangan ASN (Kecamatan Kanigaran)"),
            (
                "Penyediaan Gaji dan Tunjangan ASN".into(),
                Some("Kecamatan Kanigaran".into())
            )
        );
        assert_eq!(
            split("Peningkatan Kapasitas Lembaga Kemasyarakatan (Sub Unit Kelurahan Kelurahan Kebonsari Wetan)").1,
            Some("Kelurahan Kebonsari Wetan".into())
        );
    }

    #[test]
    fn misspelt_kelurahan_are_matched_and_reported() {
        let (_, m) = split_location_suffix(
            "Peningkatan Efektifitas Pelaksanaan Pelayanan (Sub Unit Curahgriting)",
            &unit(),
        );
        let m = m.unwrap();
        assert_eq!(m.lokasi, "Kelurahan Curahgrinting");
        assert_eq!(m.written_as.as_deref(), Some("Sub Unit Curahgriting"));
    }

    fn row(sheet: &str, kode: &str, anggaran: i64) -> BudgetRow {
        let source = SourceRef::cell("a.xlsx", sheet, 1, 1);
        BudgetRow {
            kode_text: kode.into(),
            kode: Some(Kode::parse(kode, None).unwrap()),
            kode_source: None,
            uraian: "Program A".into(),
            lokasi_text: CompactString::default(),
            keterangan: CompactString::default(),
            figures: vec![Figure {
                role: Role::Anggaran,
                year: 2022,
                value: CellValue::Number(anggaran.into()),
                source: SourceRef::cell("a.xlsx", sheet, 1, 2),
                proposed: None,
            }],
            source,
        }
    }

    #[test]
    fn rows_of_one_line_in_two_sheets_merge_and_conflicts_are_found() {
        let same = [row("2022", "7.01.02", 100), row("Revisi", "7.01.02", 100)];
        let (lines, findings) = normalize_budget(&same, &unit());
        assert_eq!(lines.len(), 1);
        // Two copies of the same figure: read once, and the copies named.
        assert_eq!(findings.len(), 1);
        assert_eq!(
            (findings[0].rule, findings[0].severity),
            (Rule::FigureConflict, Severity::Info)
        );
        assert!(
            findings[0]
                .message
                .contains("a.xlsx › 2022 dan a.xlsx › Revisi memuat 1 angka")
        );
        // `SourceRef::cell` counts from 0: row 1, column 2 is C2.
        let differ = [row("2022", "7.01.02", 100), row("Revisi", "7.01.02", 120)];
        let (lines, findings) = normalize_budget(&differ, &unit());
        assert_eq!(lines.len(), 1);
        let rules: Vec<_> = findings.iter().map(|f| (f.rule, f.severity)).collect();
        assert_eq!(
            rules,
            vec![
                (Rule::FigureConflict, Severity::Error),
                (Rule::FigureConflict, Severity::Warning)
            ]
        );
        assert!(
            findings[0].message.contains(
                "tertulis 100,00 di a.xlsx › 2022 › C2 tetapi 120,00 di a.xlsx › Revisi › C2"
            ),
            "{}",
            findings[0].message
        );
        // Neither value is used: the line holds the conflict, whichever sheet was read first.
        let conflict = |lines: &[BudgetLine]| lines[0].years[&2022].anggaran.clone().unwrap();
        let held = conflict(&lines);
        assert_eq!(
            held.value,
            CellValue::Invalid {
                raw: "100,00 / 120,00".into(),
                reason: crate::model::Malformed::Conflict
            }
        );
        let reversed = [row("Revisi", "7.01.02", 120), row("2022", "7.01.02", 100)];
        let (lines_reversed, findings_reversed) = normalize_budget(&reversed, &unit());
        assert_eq!(conflict(&lines_reversed), held);
        let messages = |f: &[Finding]| f.iter().map(|f| f.message.clone()).collect::<Vec<_>>();
        assert_eq!(messages(&findings_reversed), messages(&findings));
    }

    #[test]
    fn other_parentheses_stay_in_the_name() {
        let name = "Fasilitasi, Koordinasi dan Pembinaan (Bimtek, Sosialisasi)";
        assert_eq!(split(name), (name.into(), None));
    }
}
