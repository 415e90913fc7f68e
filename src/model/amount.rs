//! Exact numbers as Indonesian finance staff write them.
//!
//! Money in a Renstra is written `1.234.567,89` (dots group thousands, the comma marks decimals),
//! often with `Rp`, a trailing `,-` for "no cents", or `-` for "nothing". Documents retyped from PDFs
//! also carry artefacts such as `790.793. 250` (a line wrap inside a number) or `58.200.00,00` (a
//! digit lost). The parser here turns text into an exact [`Decimal`] only when the text says exactly
//! one number; anything ambiguous is reported with its reason, never guessed.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// What a number cell holds once read: a value, an explicit "nothing", a note, or text that is not
/// a valid number. Keeping the four apart lets every later stage say *why* a figure is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue {
    /// The cell is empty.
    Empty,
    /// The cell says "nothing" explicitly (`-`), as Renstra tables do for nil.
    Nil,
    /// An exact number, as written.
    Number(Decimal),
    /// Words in a number column (`Mengalami Refocusing`): kept as a note, not a figure.
    Note(String),
    /// Text that looks like a number but is not a valid one; the raw text and the reason are kept.
    Invalid {
        /// The cell's text, trimmed.
        raw: String,
        /// What is wrong with it.
        reason: Malformed,
    },
}

impl CellValue {
    /// The number, when the cell holds one.
    pub fn number(&self) -> Option<Decimal> {
        match self {
            CellValue::Number(d) => Some(*d),
            _ => None,
        }
    }

    /// True when the cell holds text that should have been a number: such a cell cannot be verified.
    pub fn is_invalid(&self) -> bool {
        matches!(self, CellValue::Invalid { .. })
    }

    /// True when the cell carries no figure and no text (empty or an explicit `-`).
    pub fn is_blank(&self) -> bool {
        matches!(self, CellValue::Empty | CellValue::Nil)
    }
}

/// Which kind of number a column holds; it decides how ambiguous text is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// Rupiah: `1,234` is ambiguous (a thousands comma or three decimals?) and rejected.
    Money,
    /// Ratios and percentages: three decimals after a comma (`98,602`) are ordinary.
    Ratio,
}

/// Why a text is not accepted as a number. The messages are shown to finance staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// More than one decimal comma, e.g. `10.933,294.372,00`.
    SeveralCommas,
    /// A thousands group without exactly three digits, e.g. `58.200.00,00`.
    BadGroup,
    /// `1,234` in a money column: thousands comma or decimal comma cannot be told apart.
    Ambiguous,
    /// A character that has no place in a number.
    StrayCharacter,
    /// More digits than an exact decimal can hold (28).
    TooLarge,
    /// A date, a boolean or an Excel error (`#REF!`) where a number belongs.
    NotANumber,
    /// A formula whose result was never stored: the file was not recalculated before saving.
    UncachedFormula,
    /// Two sheets or files give this figure different values (an old and a revised copy): the
    /// raw text holds both, and neither is used.
    Conflict,
}

/// The largest figure a Renstra table can hold: 10^18 rupiah (a million trillion; Indonesia's
/// whole state budget is about 3 × 10^15). Bounded there, the sum of every figure a unit may
/// bring (at most a few million cells) stays far inside what an exact decimal holds (about
/// 7.9 × 10^28), so no sum or product of the checks can overflow.
pub const MAX_FIGURE: Decimal = Decimal::from_parts(0xA764_0000, 0x0DE0_B6B3, 0, false, 0);

/// The outcome of parsing one text: the value plus whether a copy-paste artefact was repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// What the text says.
    pub value: CellValue,
    /// True when spaces inside the digits were removed (`790.793. 250`): the value is certain, but
    /// the cell should be cleaned, so callers report it as a warning.
    pub spaces_removed: bool,
}

/// Parses Indonesian number text exactly. See the module documentation for the accepted forms.
pub fn parse_number(text: &str, kind: NumberKind) -> Parsed {
    let plain = |value| Parsed {
        value,
        spaces_removed: false,
    };
    let cleaned: String = text
        .chars()
        .map(|c| if is_space(c) { ' ' } else { c })
        .collect();
    let s = cleaned.trim();
    if s.is_empty() {
        return plain(CellValue::Empty);
    }
    if matches!(s, "-" | "–" | "—" | "--") {
        return plain(CellValue::Nil);
    }
    if !s.chars().any(|c| c.is_ascii_digit()) || has_words(s) {
        return plain(CellValue::Note(s.to_string()));
    }
    let (negative, body) = strip_sign(strip_currency(s));
    let body = strip_no_cents(body);
    let spaces_removed = body.contains(' ');
    let compact: String = body.chars().filter(|c| *c != ' ').collect();
    let value = match digits_to_decimal(&compact, kind) {
        Ok(d) if d > MAX_FIGURE => CellValue::Invalid {
            raw: s.to_string(),
            reason: Malformed::TooLarge,
        },
        Ok(d) => CellValue::Number(if negative { -d } else { d }),
        Err(reason) => CellValue::Invalid {
            raw: s.to_string(),
            reason,
        },
    };
    let spaces_removed = spaces_removed && matches!(value, CellValue::Number(_));
    Parsed {
        value,
        spaces_removed,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

/// Letters other than a currency prefix mean the cell holds words, not a number.
fn has_words(s: &str) -> bool {
    strip_currency(s).chars().any(|c| c.is_alphabetic())
}

fn strip_currency(s: &str) -> &str {
    let lower = s.get(..2).map(|p| p.eq_ignore_ascii_case("rp"));
    if lower == Some(true) {
        s[2..].trim_start_matches('.').trim_start()
    } else {
        s
    }
}

/// `(1.234)` and `-1.234` are negative; a trailing `-` is "no cents", handled separately.
fn strip_sign(s: &str) -> (bool, &str) {
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return (true, inner.trim());
    }
    if let Some(rest) = s.strip_prefix('-')
        && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
    {
        return (true, rest.trim_start());
    }
    (false, s)
}

/// `450.000.000,-` and `70.000.000-` both mean "no cents".
fn strip_no_cents(s: &str) -> &str {
    let s = s.trim_end();
    if let Some(rest) = s.strip_suffix(",-").or_else(|| s.strip_suffix(",–")) {
        return rest.trim_end();
    }
    if let Some(rest) = s.strip_suffix('-') {
        return rest.trim_end();
    }
    s
}

fn digits_to_decimal(s: &str, kind: NumberKind) -> Result<Decimal, Malformed> {
    if s.chars()
        .any(|c| !(c.is_ascii_digit() || c == '.' || c == ','))
    {
        return Err(Malformed::StrayCharacter);
    }
    if let Some(value) = machine_form(s) {
        return value;
    }
    let mut parts = s.split(',');
    let int_part = parts.next().unwrap_or_default();
    let frac_part = parts.next();
    if parts.next().is_some() {
        return Err(Malformed::SeveralCommas);
    }
    let int_digits = integer_digits(int_part)?;
    let frac_digits = match frac_part {
        None => "",
        Some(f) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => f,
        Some(f) if f.contains('.') => return Err(Malformed::BadGroup),
        Some(_) => return Err(Malformed::StrayCharacter),
    };
    let ambiguous = kind == NumberKind::Money
        && !int_part.contains('.')
        && frac_digits.len() == 3
        && !int_digits.starts_with('0');
    if ambiguous {
        return Err(Malformed::Ambiguous);
    }
    let literal = if frac_digits.is_empty() {
        int_digits.to_string()
    } else {
        format!("{int_digits}.{frac_digits}")
    };
    if int_digits.len() + frac_digits.len() > 28 {
        return Err(Malformed::TooLarge);
    }
    Decimal::from_str_exact(&literal).map_err(|_| Malformed::TooLarge)
}

/// A number in machine form, `1670649382.84`, as systems export it: one dot, no comma, and more
/// than three digits before the dot, so the dot cannot start a thousands grouping and can only
/// be the decimal point. `1.234` stays the Indonesian one thousand two hundred thirty-four, and
/// `582.00` (perhaps `582.000` with a digit lost) stays a finding.
fn machine_form(s: &str) -> Option<Result<Decimal, Malformed>> {
    if s.contains(',') {
        return None;
    }
    let (int_part, frac_part) = s.split_once('.')?;
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if int_part.len() <= 3 || !digits(int_part) || !digits(frac_part) {
        return None;
    }
    if int_part.len() + frac_part.len() > 28 {
        return Some(Err(Malformed::TooLarge));
    }
    Some(Decimal::from_str_exact(s).map_err(|_| Malformed::TooLarge))
}

/// The integer part: plain digits, or digit groups separated by dots (first 1-3, then exactly 3).
fn integer_digits(int_part: &str) -> Result<String, Malformed> {
    if int_part.is_empty() {
        return Err(Malformed::StrayCharacter);
    }
    if !int_part.contains('.') {
        return Ok(int_part.to_string());
    }
    let groups: Vec<&str> = int_part.split('.').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    if first_ok && rest_ok {
        Ok(groups.concat())
    } else {
        Err(Malformed::BadGroup)
    }
}

/// Turns the double a spreadsheet stores back into the decimal that was typed: the shortest
/// decimal that round-trips to the same double (what Excel itself displays), not its binary
/// expansion. `0.1` stays `0.1`.
pub fn decimal_from_cell_number(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    if let Some(d) = few_decimals(value) {
        return Some(d);
    }
    // Rust's `Display` for f64 prints the shortest round-tripping decimal, never in exponent form.
    // Into a buffer on the stack: a long sheet has a million such cells, and the text lives only
    // until it is parsed. The few doubles whose text is longer (1e300) take the heap.
    let mut short = arrayvec::ArrayString::<64>::new();
    if std::fmt::Write::write_fmt(&mut short, format_args!("{value}")).is_ok() {
        return Decimal::from_str(&short).ok();
    }
    Decimal::from_str(&format!("{value}")).ok()
}

/// The decimal of at most four places that round-trips to `value`, for a value below 10^10:
/// amounts with cents, ratios, percentages. It is the shortest round-tripping decimal, found
/// without printing: below 10^10 a double's spacing is under 2·10^-6, so at most one decimal of
/// a given number of places (up to four) rounds to it, and `m / 10^k`, computed exactly
/// rounded, equals `value` only when that decimal does. `None` beyond these bounds.
fn few_decimals(value: f64) -> Option<Decimal> {
    // 10^k for k = 1..=4 places.
    const POWERS: [f64; 4] = [10.0, 100.0, 1_000.0, 10_000.0];
    // Whole numbers are printed (no places, and the sign of a negative zero kept).
    if value.abs() >= 1e10 || value.fract() == 0.0 {
        return None;
    }
    (1..).zip(POWERS).find_map(|(places, power)| {
        let mantissa = (value * power).round();
        // The rounding of value·10^k is off by less than 0.1 here, so the nearest integer is
        // the only candidate of k places.
        (mantissa / power == value).then(|| Decimal::new(mantissa as i64, places))
    })
}

/// Formats an exact number the Indonesian way for people: `1.234.567,89`, with `decimals` places
/// (rounded half-up, the convention for displayed figures).
pub fn format_id(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 2);
    if negative {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// A money cell's value: its exact number when the cell held one, else its text parsed the
/// Indonesian way (`1.234.567,89`). Records keep both, and the plan's Rp is read through this.
pub fn money_value(text: &str, number: Option<Decimal>) -> CellValue {
    match number {
        Some(d) => CellValue::Number(d),
        None => parse_number(text, NumberKind::Money).value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn money(s: &str) -> CellValue {
        parse_number(s, NumberKind::Money).value
    }

    #[test]
    fn the_largest_figure_is_ten_to_the_eighteenth() {
        assert_eq!(MAX_FIGURE, Decimal::from(1_000_000_000_000_000_000u64));
        assert!(matches!(
            parse_number("1.000.000.000.000.000.001", NumberKind::Money).value,
            CellValue::Invalid {
                reason: Malformed::TooLarge,
                ..
            }
        ));
        assert_eq!(
            parse_number("1.000.000.000.000.000.000", NumberKind::Money).value,
            CellValue::Number(MAX_FIGURE)
        );
    }

    #[test]
    fn well_formed_indonesian_amounts_parse_exactly() {
        assert_eq!(money("1.234.567,89"), CellValue::Number(dec!(1234567.89)));
        assert_eq!(
            money("921.279.667,99"),
            CellValue::Number(dec!(921279667.99))
        );
        assert_eq!(money("3.859.344.000"), CellValue::Number(dec!(3859344000)));
        assert_eq!(money("Rp 1.234.567,-"), CellValue::Number(dec!(1234567)));
        assert_eq!(money("450.000.000,-"), CellValue::Number(dec!(450000000)));
        assert_eq!(money("70.000.000-"), CellValue::Number(dec!(70000000)));
        assert_eq!(money("(1.234.567)"), CellValue::Number(dec!(-1234567)));
        assert_eq!(money("\u{a0}1.000\u{a0}"), CellValue::Number(dec!(1000)));
        assert_eq!(money("0"), CellValue::Number(dec!(0)));
    }

    #[test]
    fn machine_form_with_a_long_integer_part_is_read_exactly() {
        assert_eq!(
            money("1670649382.84"),
            CellValue::Number(dec!(1670649382.84))
        );
        assert_eq!(money("1234.5"), CellValue::Number(dec!(1234.5)));
        assert_eq!(money("1234.567"), CellValue::Number(dec!(1234.567)));
        // Found by the `amount` fuzz target (its round-trip check, fixed there): kept exact.
        assert_eq!(
            money("16706.06469145845"),
            CellValue::Number(dec!(16706.06469145845))
        );
        // Three digits or fewer before the dot: Indonesian grouping, or a finding.
        assert_eq!(money("1.234"), CellValue::Number(dec!(1234)));
        assert!(money("582.00").is_invalid());
        assert!(money("1234.56.78").is_invalid());
    }

    #[test]
    fn nil_empty_and_notes_are_not_numbers() {
        assert_eq!(money(""), CellValue::Empty);
        assert_eq!(money("  "), CellValue::Empty);
        assert_eq!(money("-"), CellValue::Nil);
        assert_eq!(
            money("Mengalami Refocusing"),
            CellValue::Note("Mengalami Refocusing".into())
        );
    }

    #[test]
    fn a_space_inside_digits_is_repaired_and_flagged() {
        let p = parse_number("790.793. 250", NumberKind::Money);
        assert_eq!(p.value, CellValue::Number(dec!(790793250)));
        assert!(p.spaces_removed);
        assert!(!parse_number("790.793.250", NumberKind::Money).spaces_removed);
    }

    #[test]
    fn the_seeds_malformed_amounts_are_rejected_with_a_reason() {
        // Values printed in the seed's Tabel TC.24 (lines 663-698).
        let cases = [
            ("10.933,294.372,00", Malformed::SeveralCommas),
            ("58.200.00,00", Malformed::BadGroup),
            ("9.768.53.880,-", Malformed::BadGroup),
            ("9.377.121,143,00", Malformed::SeveralCommas),
            ("2.876,265.085-", Malformed::BadGroup),
            ("14.704.18.642,00", Malformed::BadGroup),
            ("23.760. .500,00", Malformed::BadGroup),
            ("1,234", Malformed::Ambiguous),
        ];
        for (raw, reason) in cases {
            assert_eq!(
                money(raw),
                CellValue::Invalid {
                    raw: raw.into(),
                    reason
                },
                "{raw}"
            );
        }
    }

    #[test]
    fn ratios_accept_three_decimals() {
        let r = parse_number("98,602", NumberKind::Ratio).value;
        assert_eq!(r, CellValue::Number(dec!(98.602)));
    }

    #[test]
    fn cell_doubles_become_the_typed_decimal() {
        assert_eq!(decimal_from_cell_number(0.1), Some(dec!(0.1)));
        assert_eq!(
            decimal_from_cell_number(921279667.99),
            Some(dec!(921279667.99))
        );
        assert_eq!(decimal_from_cell_number(1e15), Some(dec!(1000000000000000)));
        assert_eq!(decimal_from_cell_number(f64::NAN), None);
        // Past the stack buffer: 1e70 is 71 digits, more than a Decimal holds.
        assert_eq!(decimal_from_cell_number(1e70), None);
        assert_eq!(
            decimal_from_cell_number(-1e-28),
            Some(dec!(-0.0000000000000000000000000001))
        );
    }

    /// The decimal `Display` prints for a double: the reference the fast path must agree with.
    fn printed(value: f64) -> Option<Decimal> {
        Decimal::from_str(&format!("{value}")).ok()
    }

    #[test]
    fn few_place_doubles_read_as_the_printed_decimal() {
        // A fixed sequence (splitmix64), so a failure names a value that can be replayed.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        for _ in 0..300_000 {
            let bits = next();
            // Typed decimals of 1 to 6 places up to 10^11 (across the fast path's bound), of
            // either sign, and doubles of any bits.
            let places = (bits % 6 + 1) as i32;
            let magnitude = 10f64.powi((bits >> 8) as i32 % 12);
            let typed = ((bits >> 16) % 1_000_000_007) as f64 * magnitude / 10f64.powi(places);
            let typed = if bits & 1 == 1 { -typed } else { typed };
            let any = f64::from_bits(next());
            for value in [typed, typed + 0.1, any] {
                if value.is_finite() {
                    assert_eq!(decimal_from_cell_number(value), printed(value), "{value:e}");
                }
            }
        }
        for value in [
            0.1,
            0.25,
            -0.5,
            85.71,
            9_999_999_999.999_9,
            1e-5,
            0.1 + 0.2,
            -0.0,
        ] {
            assert_eq!(decimal_from_cell_number(value), printed(value), "{value:e}");
        }
    }

    #[test]
    fn formatting_uses_indonesian_separators_and_half_up() {
        assert_eq!(format_id(dec!(1234567.885), 2), "1.234.567,89");
        assert_eq!(format_id(dec!(96.3287), 2), "96,33");
        assert_eq!(format_id(dec!(-1000), 0), "-1.000");
        assert_eq!(format_id(dec!(999), 2), "999,00");
        assert_eq!(format_id(dec!(0.005), 2), "0,01");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;
        use rust_decimal::Decimal;

        proptest! {
            /// Any amount written the Indonesian way (dots for thousands, a comma for up to two
            /// decimals) parses back to the same exact value.
            #[test]
            fn money_written_the_indonesian_way_parses_back(mantissa in -10_000_000_000_000i64..10_000_000_000_000i64, scale in 0u32..=2) {
                let value = Decimal::new(mantissa, scale);
                let text = format_id(value, scale);
                prop_assert_eq!(parse_number(&text, NumberKind::Money).value, CellValue::Number(value));
            }

            /// Ratios may carry more decimals; they parse back too.
            #[test]
            fn ratios_with_any_decimals_parse_back(mantissa in 0i64..100_000_000_000, scale in 0u32..=6) {
                let value = Decimal::new(mantissa, scale);
                let text = format_id(value, scale);
                prop_assert_eq!(parse_number(&text, NumberKind::Ratio).value, CellValue::Number(value));
            }

            /// Whole rupiah with the usual decorations (`Rp`, `,-`, `-`) parse to the same value.
            #[test]
            fn decorated_whole_rupiah_parse_back(amount in 0i64..1_000_000_000_000, style in 0usize..4) {
                let plain = format_id(Decimal::from(amount), 0);
                let text = match style {
                    0 => format!("Rp {plain}"),
                    1 => format!("{plain},-"),
                    2 => format!("Rp. {plain},-"),
                    _ => format!("{plain}-"),
                };
                prop_assert_eq!(parse_number(&text, NumberKind::Money).value, CellValue::Number(Decimal::from(amount)));
            }

            /// Arbitrary text never panics the parser, and whatever it accepts as a number it
            /// accepts consistently.
            #[test]
            fn arbitrary_text_never_panics(text in ".{0,40}") {
                let first = parse_number(&text, NumberKind::Money);
                prop_assert_eq!(first, parse_number(&text, NumberKind::Money));
            }
        }
    }
}
