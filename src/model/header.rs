//! Header words in matching form, years named in headers and titles, and the labels of stated
//! total rows: how renstra reads the words people put above and beside their figures, shared by
//! ingest (finding columns) and the later stages (reading records by header name).

/// Header text in matching form: lower case, non-alphanumerics as single spaces, `%` kept as a word.
pub fn normalize_header(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if c == '%' {
            out.push_str(" persen ");
        } else {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A year written in a header or title (1990-2100).
pub fn year_in(text: &str) -> Option<i32> {
    let years = years_in(text);
    (years.len() == 1).then(|| years[0])
}

/// Every distinct year in a text, in order of appearance.
pub fn years_in(text: &str) -> Vec<i32> {
    let mut years = Vec::new();
    for word in normalize_header(text).split(' ') {
        if word.len() == 4
            && let Ok(y) = word.parse::<i32>()
            && (1990..=2100).contains(&y)
            && !years.contains(&y)
        {
            years.push(y);
        }
    }
    years
}

/// True for the labels of stated total rows.
pub fn is_total_label(text: &str) -> bool {
    let first = text
        .trim_start()
        .chars()
        .next()
        .map(|c| c.to_ascii_lowercase());
    if !matches!(first, Some('j' | 't' | 'g')) {
        return false;
    }
    let n = normalize_header(text);
    matches!(
        n.as_str(),
        "jumlah"
            | "total"
            | "jumlah total"
            | "grand total"
            | "total keseluruhan"
            | "jumlah seluruhnya"
            | "jumlah keseluruhan"
            | "jumlah anggaran"
            | "total anggaran"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_read_from_header_words() {
        assert_eq!(year_in("Anggaran Tahun 2022"), Some(2022));
        assert_eq!(year_in("Rekap 2019-2023"), None);
        assert_eq!(years_in("Rekap 2019-2023"), vec![2019, 2023]);
    }

    #[test]
    fn total_labels() {
        assert!(is_total_label("JUMLAH"));
        assert!(is_total_label(" Total "));
        assert!(is_total_label("Jumlah Total"));
        assert!(!is_total_label("Jumlah Pokmas yang dibina"));
        assert!(!is_total_label("Program A"));
    }
}
