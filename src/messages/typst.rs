//! What an officer reads when the narrative (`naskah/*.typ`) cannot be typeset: each problem in
//! terms of the mark they typed (`*`, `_`, `@`, `$`, `#`, `\`), how to write it so it prints as
//! typed, and the line it is on with a caret under the mark.

use std::fmt::{self, Display, Formatter};

use crate::render::diagnose::{Diagnostic, Mark, Place, Problem};

/// How many characters of a long line are shown on each side of the mark.
const CONTEXT_BEFORE: usize = 30;
const CONTEXT_AFTER: usize = 45;

/// The commands a narrative may call, for the message about an unknown `#name`.
const COMMANDS: &str = "#tabel(\"T-C.24\"), #fakta(\"pagu-renstra\"), #grafik(\"anggaran\"), #gambar(\"judul\"), #pohon(2025), #struktur(\"bagan\"), #alur-perencanaan()";

impl Display for Problem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unclosed(mark) => f.write_str(unclosed(*mark)),
            Problem::UnexpectedClosing(mark) => write!(
                f,
                "tanda {mark} menutup sesuatu yang tidak pernah dibuka; hapus, atau tulis \\{mark} bila tanda itu bagian dari teks"
            ),
            Problem::MissingLabel(label) => write!(
                f,
                "tanda @ merujuk ke label <{label}> yang tidak ada; bila ini alamat surel atau teks biasa, tulis \\@ (misalnya dinkes_kota\\@yahoo.co.id)"
            ),
            Problem::UnknownName(name) => write!(
                f,
                "tanda # memanggil perintah \"{name}\" yang tidak dikenal; perintah yang tersedia: {COMMANDS}; tulis \\# untuk tanda pagar biasa"
            ),
            Problem::UnknownNameInCommand(name) => write!(
                f,
                "\"{name}\" di dalam perintah # bukan nama yang dikenal; tulis nama tabel, fakta atau grafik di antara tanda petik, mis. #fakta(\"pagu-renstra\") atau #tabel(\"T-C.24\")"
            ),
            Problem::FileNotFound(name) => write!(
                f,
                "berkas {name} tidak ada; taruh berkas itu di folder unit (mis. gambar di samping renstra.toml) atau perbaiki namanya di naskah"
            ),
            Problem::AccessDenied => f.write_str(
                "naskah hanya dapat membaca berkas di folder unit dan di folder templat; berkas ini di luar keduanya",
            ),
            Problem::FileUnreadable(why) => write!(f, "berkas tidak dapat dibaca: {why}"),
            Problem::BareHash => f.write_str(
                "tanda # memulai perintah Typst, tetapi tidak diikuti nama perintah; tulis \\# untuk tanda pagar biasa",
            ),
            Problem::BrokenCommand(thing) => write!(
                f,
                "perintah # di sini tidak lengkap (Typst mengharapkan {}); tulis perintahnya seperti #tabel(\"T-C.24\"), dengan nama di antara tanda petik, atau tulis \\# bila ini teks biasa",
                expected_thing(thing)
            ),
            Problem::Other { message, hints } => {
                write!(
                    f,
                    "Typst tidak dapat membaca baris ini ({message}"
                )?;
                for hint in hints {
                    write!(f, "; {hint}")?;
                }
                f.write_str(
                    "); periksa tanda *, _, @, $, # dan \\ di dekatnya: tulis \\ di depan tanda yang harus tercetak apa adanya",
                )
            }
        }
    }
}

/// What Typst expected, in Indonesian where the word is one of its usual ones.
fn expected_thing(thing: &str) -> String {
    let word = match thing {
        "expression" => "sebuah nilai",
        "comma" => "tanda koma",
        "colon" => "titik dua",
        "semicolon or line break" => "titik koma atau baris baru",
        "argument list" => "daftar isian dalam kurung ( )",
        "identifier" => "sebuah nama",
        "block" => "isi dalam kurung [ ] atau { }",
        other => return format!("\"{other}\""),
    };
    word.to_string()
}

/// The sentence for a mark left open.
fn unclosed(mark: Mark) -> &'static str {
    match mark {
        Mark::Strong => {
            "tanda * membuka huruf tebal yang tidak ditutup; tulis \\* untuk bintang biasa (misalnya \\*) Data sementara), atau tutup dengan * sesudah kata yang ditebalkan"
        }
        Mark::Emph => {
            "tanda _ membuka huruf miring yang tidak ditutup; tulis \\_ untuk garis bawah biasa, atau tutup dengan _ sesudah kata yang dimiringkan"
        }
        Mark::Math => {
            "tanda $ membuka rumus matematika yang tidak ditutup; tulis \\$ untuk tanda dolar biasa"
        }
        Mark::Raw => {
            "tanda ` membuka teks kode yang tidak ditutup; tulis \\` untuk tanda petik terbalik biasa"
        }
        Mark::Quote => {
            "tanda \" membuka teks di dalam perintah # yang tidak ditutup; tutup dengan \" sebelum kurung penutup perintah itu"
        }
        Mark::Label => {
            "tanda < membuka label yang tidak ditutup; tulis \\< untuk tanda lebih kecil biasa"
        }
        Mark::Comment => {
            "tanda /* membuka komentar yang tidak ditutup; tutup dengan */, atau tulis \\/* bila itu teks biasa"
        }
        Mark::Bracket('(') => {
            "kurung ( di dalam perintah # tidak ditutup; tambahkan ) pada akhir perintah itu"
        }
        Mark::Bracket('{') => {
            "kurung { di dalam perintah # tidak ditutup; tambahkan } pada akhir perintah itu"
        }
        Mark::Bracket(_) => {
            "kurung [ tidak ditutup; tambahkan ] pada akhir isinya, atau tulis \\[ bila kurung itu teks biasa"
        }
    }
}

impl Display for Diagnostic {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.place {
            None => write!(f, "  {}", self.problem),
            Some(place) => {
                write!(
                    f,
                    "  {} baris {}, kolom {}: {}",
                    place.file, place.line, place.column, self.problem
                )?;
                let (shown, caret) = excerpt(place);
                let number = place.line.to_string();
                let gutter = " ".repeat(number.len());
                write!(
                    f,
                    "\n      {number} | {shown}\n      {gutter} | {}^",
                    " ".repeat(caret)
                )
            }
        }
    }
}

/// The part of the line around the mark (a paragraph is often one long line), tabs as spaces,
/// and the caret's offset in it.
fn excerpt(place: &Place) -> (String, usize) {
    let chars: Vec<char> = place
        .text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let at = place.column.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(CONTEXT_BEFORE);
    let end = (at + CONTEXT_AFTER).min(chars.len());
    let mut shown = String::new();
    let mut caret = at - start;
    if start > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: &str, column: usize, problem: Problem) -> String {
        Diagnostic {
            place: Some(Place {
                file: "naskah/bab-2.typ".into(),
                line: 12,
                column,
                text: line.into(),
            }),
            problem,
        }
        .to_string()
    }

    #[test]
    fn the_line_is_shown_with_a_caret_under_the_mark() {
        let shown = at("*) Data sementara.", 1, Problem::Unclosed(Mark::Strong));
        assert_eq!(
            shown,
            "  naskah/bab-2.typ baris 12, kolom 1: tanda * membuka huruf tebal yang tidak ditutup; tulis \\* untuk bintang biasa (misalnya \\*) Data sementara), atau tutup dengan * sesudah kata yang ditebalkan\n      12 | *) Data sementara.\n         | ^"
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_mark() {
        let line = format!("{}$5{}", "a".repeat(100), "b".repeat(100));
        let shown = at(&line, 101, Problem::Unclosed(Mark::Math));
        let excerpt = shown.lines().nth(1).unwrap();
        // 30 characters before the mark, the mark, 44 after, an ellipsis each side.
        assert_eq!(
            excerpt,
            format!("      12 | …{}$5{}…", "a".repeat(30), "b".repeat(43))
        );
        let caret = shown.lines().nth(2).unwrap();
        assert_eq!(caret.find('^'), excerpt.chars().position(|c| c == '$'));
    }
}
