//! The fonts compiled into renstra. Typst's own (Libertinus Serif for the text, New Computer
//! Modern, DejaVu Sans Mono) lack what Indonesian documents also meet: check marks and other
//! dingbats (✓ ✗), many arrows and geometric shapes, and Arabic script in names and quotations.
//! DejaVu Sans (regular and bold, `fonts/`, Bitstream Vera licence) covers those, and Typst
//! falls back to it for a character the text font lacks. CJK is left out: a CJK font is
//! 16 MB or more, a fifth of the binary again, for text a Renstra does not hold; such a
//! character prints as [`super::REPLACEMENT`] with a finding.

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};

/// DejaVu Sans, regular and bold.
const FALLBACK: [&[u8]; 2] = [
    include_bytes!("../../fonts/DejaVuSans.ttf"),
    include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
];

/// Every compiled font with its info: Typst's embedded ones first (they stay the first choice
/// for what they cover), then the fallback. Parsed once per process and shared by every world
/// (a font is a reference-counted handle, so each world's copy is cheap).
pub fn compiled() -> impl Iterator<Item = (Font, FontInfo)> {
    static COMPILED: std::sync::LazyLock<Vec<(Font, FontInfo)>> = std::sync::LazyLock::new(|| {
        typst_kit::fonts::embedded()
            .chain(FALLBACK.into_iter().flat_map(|data| {
                Font::iter(Bytes::new(data)).map(|font| {
                    let info = font.info().clone();
                    (font, info)
                })
            }))
            .collect()
    });
    COMPILED.iter().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_fonts_load_regular_and_bold() {
        let families: Vec<(String, u16)> = compiled()
            .filter(|(_, info)| info.family == "DejaVu Sans")
            .map(|(_, info)| (info.family.clone(), info.variant.weight.to_number()))
            .collect();
        assert_eq!(
            families,
            [
                ("DejaVu Sans".to_string(), 400),
                ("DejaVu Sans".to_string(), 700)
            ]
        );
    }
}
