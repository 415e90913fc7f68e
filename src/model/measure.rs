//! Targets and realisations as Renstra tables write them: percentages (`85,71 %`), quantities with
//! a unit (`12 laporan`, `2 unit`, `175 orang`, `12 LKK`), plain index values (`84,25`), `-`, or a
//! note. The number is exact; the unit is kept, so `90%` and `90` stay distinguishable (the seed's
//! T-C.28 mixes them, and a verifier must see it).

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use super::amount::{CellValue, NumberKind, parse_number};
use super::format_id;

/// What a target or realisation cell says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum Measure {
    /// Nothing written (empty or `-`).
    Blank,
    /// A number, with its unit: `%` for percentages, a word for counts, none for indices.
    Value {
        /// The exact number as written (a percentage as its percent figure: `85,71 %` is 85.71).
        value: Decimal,
        /// `%`, `laporan`, `unit`, … or empty.
        unit: String,
    },
    /// Words only (`Mengalami Refocusing`).
    Note(String),
    /// Text that holds a number but not a valid one; kept raw.
    Invalid(String),
}

impl Measure {
    /// True for percentages.
    pub fn is_percent(&self) -> bool {
        matches!(self, Measure::Value { unit, .. } if unit == "%")
    }

    /// The number, if any.
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Measure::Value { value, .. } => Some(*value),
            _ => None,
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Measure::Blank => f.write_str("-"),
            Measure::Value { value, unit } => {
                let number = format_id(*value, value.scale());
                match unit.as_str() {
                    "" => f.write_str(&number),
                    "%" => write!(f, "{number}%"),
                    u => write!(f, "{number} {u}"),
                }
            }
            Measure::Note(t) | Measure::Invalid(t) => f.write_str(t),
        }
    }
}

/// Parses a target or realisation text. The number part follows the Indonesian rules of
/// [`parse_number`] (ratio kind: three decimals are fine); the rest is the unit.
pub fn parse_measure(text: &str) -> Measure {
    let trimmed = text.trim();
    let split = trimmed
        .char_indices()
        .find(|(_, c)| c.is_alphabetic() || *c == '%')
        .map_or(trimmed.len(), |(i, _)| i);
    let (number, unit) = trimmed.split_at(split);
    let unit = unit.trim();
    if number.trim().is_empty() {
        return match parse_number(trimmed, NumberKind::Ratio).value {
            CellValue::Empty | CellValue::Nil => Measure::Blank,
            _ => Measure::Note(trimmed.to_string()),
        };
    }
    let unit = if unit.starts_with('%') { "%" } else { unit };
    match parse_number(number, NumberKind::Ratio).value {
        CellValue::Number(value) => Measure::Value {
            value,
            unit: unit.to_string(),
        },
        CellValue::Empty | CellValue::Nil if unit.is_empty() => Measure::Blank,
        CellValue::Invalid { .. } => Measure::Invalid(trimmed.to_string()),
        _ => Measure::Note(trimmed.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn v(value: Decimal, unit: &str) -> Measure {
        Measure::Value {
            value,
            unit: unit.into(),
        }
    }

    #[test]
    fn percentages_keep_their_sign() {
        assert_eq!(parse_measure("85,71 %"), v(dec!(85.71), "%"));
        assert_eq!(parse_measure("217,93%"), v(dec!(217.93), "%"));
        assert_eq!(parse_measure("100%"), v(dec!(100), "%"));
        assert!(parse_measure("91 %").is_percent());
        assert!(!parse_measure("91").is_percent());
    }

    #[test]
    fn quantities_keep_their_unit() {
        assert_eq!(parse_measure("12 laporan"), v(dec!(12), "laporan"));
        assert_eq!(parse_measure("2 unit"), v(dec!(2), "unit"));
        assert_eq!(parse_measure("175 orang"), v(dec!(175), "orang"));
        assert_eq!(parse_measure("12 LKK"), v(dec!(12), "LKK"));
        assert_eq!(parse_measure("84,25"), v(dec!(84.25), ""));
    }

    #[test]
    fn blanks_notes_and_malformed_numbers() {
        assert_eq!(parse_measure("-"), Measure::Blank);
        assert_eq!(parse_measure(""), Measure::Blank);
        assert_eq!(
            parse_measure("Mengalami Refocusing"),
            Measure::Note("Mengalami Refocusing".into())
        );
        assert_eq!(
            parse_measure("9.768.53.880 unit"),
            Measure::Invalid("9.768.53.880 unit".into())
        );
    }

    #[test]
    fn display_round_trips() {
        for text in ["85,71%", "12 laporan", "84,25", "-"] {
            assert_eq!(parse_measure(text).to_string(), text);
        }
    }
}
