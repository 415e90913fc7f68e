//! The result of a derived figure (a ratio, a growth, a sum): a value, nothing to compute from,
//! or unverifiable because an input could not be read. Every table cell computed by renstra
//! carries one, so an unreadable input is never shown as if it were a figure.

use rust_decimal::Decimal;

/// What a derived figure came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Derived {
    /// Nothing to compute from (no figures, or a zero base).
    Blank,
    /// The exact result.
    Value(Decimal),
    /// An input could not be read, so the result cannot be verified; the reason is for people.
    Unverified(String),
}

impl Derived {
    /// The value, when there is one.
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Derived::Value(d) => Some(*d),
            _ => None,
        }
    }
}
