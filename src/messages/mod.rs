//! Every sentence renstra says to people, in Bahasa Indonesia, in one place: the findings'
//! messages ([`findings`]) and the words of the errors that end a unit's build (each stage's
//! error enum keeps what went wrong, where and why as data; its `Display` is written here).
//!
//! Code, identifiers and developer documentation are English; finance and planning staff read
//! only what this module writes. A new message goes here, next to the ones like it.

pub mod berita_acara;
pub mod cli;
pub mod config;
pub mod errors;
pub mod findings;
pub mod help;
pub mod naskah;
pub mod typst;
pub mod words;
pub mod workbook;

/// A count written the Indonesian way, dots grouping thousands (`250.000`), so a bound in a
/// message reads as a number and not as a string of digits.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands_with_dots() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(1000), "1.000");
        assert_eq!(super::grouped(250_000), "250.000");
        assert_eq!(super::grouped(5_000_000), "5.000.000");
    }
}
