//! The Indonesian amount parser on arbitrary text: it never panics, and a number it accepts is
//! exactly what its own canonical form says (formatting it and parsing that gives it back).
#![no_main]

use libfuzzer_sys::fuzz_target;
use renstra::model::{CellValue, NumberKind, format_id, parse_number};
use rust_decimal::RoundingStrategy;

fuzz_target!(|text: &str| {
    for kind in [NumberKind::Money, NumberKind::Ratio] {
        let parsed = parse_number(text, kind);
        if let CellValue::Number(value) = parsed.value {
            let scale = value.scale().min(10);
            let shown = format_id(value, scale);
            let again = parse_number(&shown, NumberKind::Ratio).value;
            assert_eq!(
                again.number(),
                // format_id rounds half away from zero, as printed figures are rounded.
                Some(value.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero)),
                "{text:?} → {value} → {shown:?} → {again:?}"
            );
        }
    }
});
