//! Permendagri 90/2019 codes (`7.01.02.2.01.0002`), always held in canonical form.
//!
//! Workbooks write the same code many ways (`7 01 02 2.01 0002`, `'7 01 05`, `7.01.02.2.01.00 02`,
//! `X XX 01 2.02.0001`). Parenthood in the program tree is decided by codes, so a [`Kode`] can only
//! be built through [`Kode::parse`], which either yields the canonical code or says why it cannot.

use std::fmt;

use serde::{Serialize, Serializer};
use thiserror::Error;

/// Digit widths of the segments: urusan, bidang, program, kegiatan class, kegiatan, sub kegiatan.
const WIDTHS: [usize; 6] = [1, 2, 2, 1, 2, 4];

/// A canonical Permendagri 90 code of 1, 2, 3, 5 or 6 segments.
///
/// The segments are held in place (unused ones zero), not on the heap: every budget row has a
/// code, and reading 200,000 rows spent a tenth of its time allocating and freeing them. With
/// the count after the segments, the derived order is the order of the segment lists (a code
/// before the codes under it), as it was with a vector.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kode {
    segments: [u16; 6],
    len: u8,
}

/// The level of a line in the program tree, derived from its code or, failing that, its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Urusan (1 segment), e.g. `7`.
    Urusan,
    /// Bidang urusan (2 segments), e.g. `7.01`.
    Bidang,
    /// Program (3 segments), e.g. `7.01.02`.
    Program,
    /// Kegiatan (5 segments), e.g. `7.01.02.2.01`.
    Kegiatan,
    /// Sub kegiatan (6 segments), e.g. `7.01.02.2.01.0002`.
    SubKegiatan,
}

impl Level {
    /// The machine name used in data files (`program`, `kegiatan`, `sub_kegiatan`).
    pub fn id(self) -> &'static str {
        match self {
            Level::Urusan => "urusan",
            Level::Bidang => "bidang",
            Level::Program => "program",
            Level::Kegiatan => "kegiatan",
            Level::SubKegiatan => "sub_kegiatan",
        }
    }
}

/// Why a text is not a Permendagri 90 code; shown to finance staff.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KodeError {
    /// The text holds no digits at all.
    Empty,
    /// A segment with the wrong number of digits, e.g. `7.01.06.2.01.00003`.
    BadSegment {
        /// Which segment, 1-based.
        position: usize,
        /// How many digits it must have.
        expected: usize,
        /// What was written.
        found: String,
    },
    /// More segments than a sub kegiatan has.
    TooLong,
    /// A code ending in the kegiatan class digit alone (`7.01.02.2`).
    Truncated,
    /// A character other than digits, spaces, dots or the `X XX` placeholder.
    StrayCharacter(String),
    /// `X XX` used, but the unit's bidang urusan is not configured.
    PlaceholderWithoutBidang,
}

impl Kode {
    /// Parses a code written in any of the spellings seen in practice. `bidang` replaces the
    /// `X XX` / `X.XX` placeholder of the shared supporting program (the unit's own bidang urusan,
    /// e.g. `7.01` for a kecamatan).
    pub fn parse(text: &str, bidang: Option<&Kode>) -> Result<Kode, KodeError> {
        let tokens = tokenize(text)?;
        let tokens = substitute_placeholder(tokens, bidang)?;
        let kode = group_segments(&tokens)?;
        match kode.len {
            0 => Err(KodeError::Empty),
            4 => Err(KodeError::Truncated),
            _ => Ok(kode),
        }
    }

    /// The segments, urusan first.
    fn segments(&self) -> &[u16] {
        &self.segments[..usize::from(self.len)]
    }

    /// The level this code names.
    pub fn level(&self) -> Level {
        match self.len {
            1 => Level::Urusan,
            2 => Level::Bidang,
            3 => Level::Program,
            5 => Level::Kegiatan,
            _ => Level::SubKegiatan,
        }
    }

    /// The code of the enclosing line (sub kegiatan → kegiatan → program → bidang → urusan).
    pub fn parent(&self) -> Option<Kode> {
        let len = match self.len {
            6 => 5,
            5 => 3,
            n if n > 1 => n - 1,
            _ => return None,
        };
        let mut segments = [0; 6];
        segments[..usize::from(len)].copy_from_slice(&self.segments[..usize::from(len)]);
        Some(Kode { segments, len })
    }

    /// True when `self` is `other` or one of its ancestors.
    pub fn is_prefix_of(&self, other: &Kode) -> bool {
        other.segments().starts_with(self.segments())
    }
}

impl fmt::Display for Kode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (seg, width)) in self.segments().iter().zip(WIDTHS).enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{seg:0width$}")?;
        }
        Ok(())
    }
}

impl Serialize for Kode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A run of digits as written, or one standing for the unit's urusan or bidang (`X`, `XX`).
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Digits(std::borrow::Cow<'a, str>),
    Placeholder,
}

fn tokenize(text: &str) -> Result<Vec<Token<'_>>, KodeError> {
    let trimmed = text.trim().trim_start_matches(['\'', '’', '`']);
    // A code has at most six groups; a few more before a stray one is refused.
    let mut tokens = Vec::with_capacity(8);
    for raw in trimmed.split(|c: char| c == '.' || c.is_whitespace() || c == '\u{a0}') {
        if raw.is_empty() {
            continue;
        }
        if raw.chars().all(|c| c.is_ascii_digit()) {
            tokens.push(Token::Digits(raw.into()));
        } else if raw.eq_ignore_ascii_case("x") || raw.eq_ignore_ascii_case("xx") {
            tokens.push(Token::Placeholder);
        } else {
            return Err(KodeError::StrayCharacter(raw.to_string()));
        }
    }
    Ok(tokens)
}

/// `X XX 01 …`: the two placeholder tokens stand for the unit's urusan and bidang.
fn substitute_placeholder<'a>(
    tokens: Vec<Token<'a>>,
    bidang: Option<&Kode>,
) -> Result<Vec<Token<'a>>, KodeError> {
    let placeholders = tokens.iter().filter(|t| **t == Token::Placeholder).count();
    if placeholders == 0 {
        return Ok(tokens);
    }
    let leading = tokens
        .iter()
        .take_while(|t| **t == Token::Placeholder)
        .count();
    if placeholders != leading || leading > 2 {
        return Err(KodeError::StrayCharacter("X".into()));
    }
    let bidang = bidang
        .filter(|b| b.len == 2)
        .ok_or(KodeError::PlaceholderWithoutBidang)?;
    let mut out: Vec<Token> = bidang
        .segments()
        .iter()
        .zip(WIDTHS)
        .map(|(s, w)| Token::Digits(format!("{s:0w$}").into()))
        .collect();
    out.extend(tokens.into_iter().skip(leading));
    Ok(out)
}

/// Joins tokens into segments of the expected widths, so that a group split by a stray space
/// (`00 02`) is rejoined, while a group of the wrong width is refused.
fn group_segments(tokens: &[Token]) -> Result<Kode, KodeError> {
    let mut kode = Kode {
        segments: [0; 6],
        len: 0,
    };
    // The digits of the segment being joined; a segment's digits are most often one token, so
    // this allocates only when a group was split (or is refused).
    let mut pending = String::new();
    for token in tokens {
        let Token::Digits(d) = token else {
            return Err(KodeError::StrayCharacter("X".into()));
        };
        let position = usize::from(kode.len);
        let Some(&expected) = WIDTHS.get(position) else {
            return Err(KodeError::TooLong);
        };
        let digits: &str = if pending.is_empty() && d.len() >= expected {
            d
        } else {
            pending.push_str(d);
            &pending
        };
        if digits.len() == expected {
            // invariant: `digits` is 1-4 ASCII digits, which always fits in u16.
            kode.segments[position] = digits.parse::<u16>().unwrap_or(0);
            kode.len += 1;
            pending.clear();
        } else if digits.len() > expected {
            return Err(KodeError::BadSegment {
                position: position + 1,
                expected,
                found: digits.to_string(),
            });
        }
    }
    if !pending.is_empty() {
        return Err(KodeError::BadSegment {
            position: usize::from(kode.len) + 1,
            expected: WIDTHS[usize::from(kode.len)],
            found: pending,
        });
    }
    Ok(kode)
}

/// Parses a code as written in a cell, turning a malformed one into a finding at `at`: ingest
/// reads budget codes with it, normalization the plan's.
pub fn parse_kode_cell(
    text: &str,
    bidang: Option<&Kode>,
    at: super::SourceRef,
    findings: &mut Vec<super::Finding>,
) -> Option<Kode> {
    if text.trim().is_empty() {
        return None;
    }
    match Kode::parse(text, bidang) {
        Ok(k) => Some(k),
        Err(e) => {
            findings.push(
                super::Finding::new(
                    super::Severity::Error,
                    super::Rule::KodeMalformed,
                    at,
                    crate::messages::findings::kode_malformed(e),
                )
                .written(text),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bidang() -> Kode {
        Kode::parse("7.01", None).unwrap()
    }

    fn canon(text: &str) -> String {
        Kode::parse(text, Some(&bidang())).unwrap().to_string()
    }

    #[test]
    fn every_spelling_in_the_seed_becomes_canonical() {
        assert_eq!(canon("7 01 02 2.01 0002"), "7.01.02.2.01.0002");
        assert_eq!(canon("'7 01 05"), "7.01.05");
        assert_eq!(canon("7.01.02.2.01.00 02"), "7.01.02.2.01.0002");
        assert_eq!(canon("X XX 01 2.02.0001"), "7.01.01.2.02.0001");
        assert_eq!(canon("X XX 01"), "7.01.01");
        assert_eq!(canon("7 01 03 2.02"), "7.01.03.2.02");
        assert_eq!(canon("  7.01.02  "), "7.01.02");
    }

    #[test]
    fn codes_sort_as_their_segment_lists_a_parent_before_its_children() {
        // The order of the Permendagri 90 tree, written out by hand: each code before the codes
        // under it, siblings by number, a 00 program after its bidang and before program 01.
        let tree = [
            "1",
            "1.02",
            "1.02.00",
            "1.02.01",
            "1.02.01.2.01",
            "1.02.01.2.01.0001",
            "1.02.01.2.01.0010",
            "1.02.01.2.02",
            "1.02.02",
            "1.03",
            "7",
            "7.01",
        ];
        let mut codes: Vec<Kode> = tree
            .iter()
            .rev()
            .map(|t| Kode::parse(t, None).unwrap())
            .collect();
        codes.sort();
        let sorted: Vec<String> = codes.iter().map(Kode::to_string).collect();
        assert_eq!(sorted, tree);
        let program = Kode::parse("1.02.00", None).unwrap();
        assert_ne!(program, Kode::parse("1.02", None).unwrap());
        assert!(Kode::parse("1.02", None).unwrap().is_prefix_of(&program));
        assert!(!program.is_prefix_of(&Kode::parse("1.02.01", None).unwrap()));
    }

    #[test]
    fn levels_and_parents_follow_the_segments() {
        let sub = Kode::parse("7.01.02.2.01.0002", None).unwrap();
        assert_eq!(sub.level(), Level::SubKegiatan);
        let keg = sub.parent().unwrap();
        assert_eq!(keg.to_string(), "7.01.02.2.01");
        assert_eq!(keg.level(), Level::Kegiatan);
        let prog = keg.parent().unwrap();
        assert_eq!(prog.to_string(), "7.01.02");
        assert_eq!(prog.level(), Level::Program);
        assert!(prog.is_prefix_of(&sub));
        assert!(!sub.is_prefix_of(&prog));
    }

    #[test]
    fn malformed_codes_say_why() {
        assert!(matches!(
            Kode::parse("7.01.06.2.01.00003", None),
            Err(KodeError::BadSegment { position: 6, .. })
        ));
        assert_eq!(Kode::parse("7.01.02.2", None), Err(KodeError::Truncated));
        assert_eq!(
            Kode::parse("X XX 01", None),
            Err(KodeError::PlaceholderWithoutBidang)
        );
        assert!(matches!(
            Kode::parse("7.A1", None),
            Err(KodeError::StrayCharacter(_))
        ));
        assert_eq!(Kode::parse("  ", None), Err(KodeError::Empty));
        assert_eq!(
            Kode::parse("7.01.02.2.01.0002.1", None),
            Err(KodeError::TooLong)
        );
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn canonical() -> impl Strategy<Value = String> {
            (
                0u16..10,
                0u16..100,
                0u16..100,
                1u16..3,
                0u16..100,
                0u16..10000,
                1usize..=5,
            )
                .prop_map(|(u, b, p, k, kk, s, depth)| {
                    let parts = [
                        format!("{u}"),
                        format!("{b:02}"),
                        format!("{p:02}"),
                        format!("{k}.{kk:02}"),
                        format!("{s:04}"),
                    ];
                    // parts[3] holds class digit and kegiatan together, so every depth is a
                    // real level: urusan, bidang, program, kegiatan, sub kegiatan.
                    parts[..depth].join(".")
                })
        }

        proptest! {
            /// Any canonical code survives re-spacing: separators as dots, spaces or both, a
            /// leading apostrophe, and the last group split by a stray space.
            #[test]
            fn canonical_codes_survive_respacing(code in canonical(), seps in proptest::collection::vec(0usize..4, 8), apostrophe in any::<bool>(), split_tail in any::<bool>()) {
                let separators = [".", " ", ". ", " . "];
                let groups: Vec<&str> = code.split('.').collect();
                let mut text = String::new();
                if apostrophe { text.push('\''); }
                for (i, g) in groups.iter().enumerate() {
                    if i > 0 { text.push_str(separators[seps[i % seps.len()]]); }
                    if split_tail && i == groups.len() - 1 && g.len() == 4 {
                        text.push_str(&g[..2]);
                        text.push(' ');
                        text.push_str(&g[2..]);
                    } else {
                        text.push_str(g);
                    }
                }
                let parsed = Kode::parse(&text, None).map(|k| k.to_string());
                prop_assert_eq!(parsed, Ok(code));
            }

            /// Arbitrary text never panics the code parser, and whatever it accepts it gives in a
            /// canonical form that reads back as the same code.
            #[test]
            fn accepted_text_reads_back_from_its_canonical_form(text in ".{0,30}") {
                if let Ok(kode) = Kode::parse(&text, None) {
                    let canonical = kode.to_string();
                    prop_assert_eq!(Kode::parse(&canonical, None), Ok(kode));
                    prop_assert!(canonical.split('.').all(|s| s.chars().all(|c| c.is_ascii_digit())));
                }
            }
        }
    }
}
