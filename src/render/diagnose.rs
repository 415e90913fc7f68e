//! What Typst said, turned into problems an officer can fix: which mark in the narrative opened
//! something it did not close, which `@` pointed at nothing, which `#` called an unknown command.
//!
//! Typst stops at the first narrative file whose syntax is broken, so a failed compilation is
//! followed by a parse of every narrative file: the officer gets every syntax problem of every
//! chapter in one run, not one per run. The sentences are written in [`crate::messages::errors`].

use std::collections::BTreeMap;

use typst::World;
use typst::WorldExt;
use typst::diag::SourceDiagnostic;
use typst::syntax::{LinkedNode, RootedPath, Side, Source, SyntaxKind, VirtualPath, VirtualRoot};
use typst_layout::PagedDocument;

use super::{NASKAH_FILES, RenstraWorld};

/// One problem Typst found, placed where the officer edits it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Where it is; `None` for a problem Typst could not place (rare: a font, a limit).
    pub place: Option<Place>,
    /// What is wrong.
    pub problem: Problem,
}

/// A position in a narrative or template file, with the text of its line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    /// The file as the officer sees it: `naskah/bab-2.typ`, `templates/renstra.typ`.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The whole line as written (without its line break).
    pub text: String,
}

/// A mark that opens something Typst expects to be closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Mark {
    /// `*`: bold.
    Strong,
    /// `_`: italic.
    Emph,
    /// `$`: mathematics.
    Math,
    /// `` ` ``: code text.
    Raw,
    /// `"` inside a `#` command.
    Quote,
    /// `<`: a label.
    Label,
    /// `/*`: a comment.
    Comment,
    /// `(`, `[` or `{`.
    Bracket(char),
}

/// What Typst found wrong, in terms of the mark that caused it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Problem {
    /// A mark opened something that never closes.
    Unclosed(Mark),
    /// A closing bracket (or `*/`) with nothing open.
    UnexpectedClosing(String),
    /// `@name` refers to a label nobody set (an e-mail address, most often).
    MissingLabel(String),
    /// `#name` calls something that does not exist.
    UnknownName(String),
    /// A name inside a `#` command that means nothing (`#fakta(pagu-renstra)` without quotes).
    UnknownNameInCommand(String),
    /// A file the narrative names (an image) that is not there; its file name.
    FileNotFound(String),
    /// A file outside the unit and the templates.
    AccessDenied,
    /// A file that cannot be read, and why.
    FileUnreadable(String),
    /// A `#` followed by no command (`# 5 orang`, `harga 5#`).
    BareHash,
    /// A `#` command Typst cannot read to its end; what it expected next, in Typst's words.
    BrokenCommand(String),
    /// Anything else, in Typst's own words.
    Other {
        /// Typst's message.
        message: String,
        /// Typst's hints.
        hints: Vec<String>,
    },
}

/// How many times the diagnosis recompiles after blanking the marks it has reported: syntax
/// problems of every file are found in the first round, each later round finds what Typst could
/// only see once the earlier marks were out of the way (an e-mail's `@` after a stray `*`).
const ROUNDS: usize = 12;

/// A problem found in one round, at a byte offset of the file it is in.
struct Found {
    /// The file's virtual path (`/unit/naskah/bab-2.typ`); `None` when Typst gave no place.
    vpath: Option<String>,
    offset: usize,
    problem: Problem,
}

/// Every problem behind a failed compilation of `world`'s document: the ones Typst reported,
/// every syntax problem of every narrative file, and what Typst reports once those marks are
/// blanked, each once, in document order. The world is left as it was.
pub fn diagnose(world: &mut RenstraWorld, errors: &[SourceDiagnostic]) -> Vec<Diagnostic> {
    let mut found: Vec<Found> = Vec::new();
    let mut patched: BTreeMap<String, String> = BTreeMap::new();
    let mut errors = errors.to_vec();
    for _ in 0..ROUNDS {
        let before = found.len();
        found.extend(errors.iter().map(|d| reported(world, d)));
        for name in NASKAH_FILES {
            let vpath = format!("/unit/naskah/{name}.typ");
            if let Some(source) = source_at(world, &vpath) {
                found.extend(
                    syntax_errors(&source)
                        .into_iter()
                        .map(|(offset, problem)| Found {
                            vpath: Some(vpath.clone()),
                            offset,
                            problem,
                        }),
                );
            }
        }
        let blanked = blank_marks(world, &found[before..], &mut patched);
        if !blanked {
            break;
        }
        world.set_overlay(patched.clone());
        errors = match typst::compile::<PagedDocument>(world).output {
            Ok(_) => Vec::new(),
            Err(errors) => errors.to_vec(),
        };
        if errors.is_empty() {
            break;
        }
    }
    // What the last round's compilation said, when the rounds ran out (repeats are dropped below).
    found.extend(errors.iter().map(|d| reported(world, d)));
    world.set_overlay(BTreeMap::new());
    let mut unique: Vec<Diagnostic> = Vec::with_capacity(found.len());
    for f in found {
        let place = f
            .vpath
            .as_deref()
            .and_then(|v| Some((v, source_at(world, v)?)))
            .and_then(|(v, source)| place_at(&source, f.offset, shown_path(v)));
        let d = Diagnostic {
            place,
            problem: f.problem,
        };
        if !unique.contains(&d) {
            unique.push(d);
        }
    }
    unique.sort_by_key(order_key);
    unique
}

/// A diagnostic Typst reported, at the start of its span.
fn reported(world: &RenstraWorld, d: &SourceDiagnostic) -> Found {
    let hints = d.hints.iter().map(|h| h.v.to_string()).collect();
    let located = d.span.id().and_then(|id| {
        let range = world.range(d.span)?;
        let source = world.source(id).ok()?;
        let at = source.text().get(range.clone())?.to_string();
        let before = char_before(source.text(), range.start);
        Some((
            id.vpath().get_with_slash().to_string(),
            range.start,
            at,
            before,
        ))
    });
    match located {
        Some((vpath, offset, at, before)) => {
            let problem = classify(&d.message, &at, before, hints);
            // Typst places an unknown name at the name; the officer typed the `#` before it.
            let offset = match problem {
                Problem::UnknownName(_) if offset > 0 && mark_before(world, &vpath, offset) => {
                    offset - 1
                }
                _ => offset,
            };
            Found {
                vpath: Some(vpath),
                offset,
                problem,
            }
        }
        None => Found {
            vpath: None,
            offset: 0,
            problem: classify(&d.message, "", None, hints),
        },
    }
}

/// Blanks, in `patched`, the mark behind each narrative problem that has one (a `*`, `_` or `$`
/// left open, an `@` or `#` that points at nothing) with a space, so offsets stay the same;
/// true when anything new was blanked.
fn blank_marks(
    world: &RenstraWorld,
    found: &[Found],
    patched: &mut BTreeMap<String, String>,
) -> bool {
    let mut blanked = false;
    for f in found {
        let Some(vpath) = f
            .vpath
            .as_deref()
            .filter(|v| v.starts_with("/unit/naskah/"))
        else {
            continue;
        };
        let text = match patched.get(vpath) {
            Some(text) => text.clone(),
            None => match source_at(world, vpath) {
                Some(source) => source.text().to_string(),
                None => continue,
            },
        };
        let range = match &f.problem {
            Problem::Unclosed(Mark::Strong | Mark::Emph | Mark::Math)
            | Problem::MissingLabel(_)
            | Problem::UnknownName(_) => text
                .as_bytes()
                .get(f.offset)
                .filter(|b| b"*_$@#".contains(b))
                .map(|_| f.offset..f.offset + 1),
            // A syntax problem without a mark to blank leaves the file as it is.
            Problem::Unclosed(_)
            | Problem::UnexpectedClosing(_)
            | Problem::BareHash
            | Problem::BrokenCommand(_) => None,
            // An evaluation error (an unknown name inside a command, a missing file): the
            // whole `#` command goes, so Typst reads on to the next one.
            _ => enclosing_command(&text, f.offset),
        };
        let Some(range) =
            range.filter(|r| text.get(r.clone()).is_some_and(|t| !t.trim().is_empty()))
        else {
            continue;
        };
        patched.insert(vpath.to_string(), blank(&text, range));
        blanked = true;
    }
    blanked
}

/// `text` with the bytes of `range` made spaces (line breaks kept), so every offset and line of
/// the rest stays where it was.
fn blank(text: &str, range: std::ops::Range<usize>) -> String {
    let bytes: Vec<u8> = text
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            if range.contains(&i) && b != b'\n' {
                b' '
            } else {
                b
            }
        })
        .collect();
    // invariant: every byte of the range became an ASCII space or stayed a line break, and the
    // range starts and ends on character boundaries (it came from the syntax tree or is one
    // ASCII mark), so the text is still UTF-8.
    String::from_utf8(bytes).expect("blanking ASCII-bounded ranges keeps UTF-8")
}

/// The byte range of the `#` command of markup that contains `offset`: the `#` and the
/// expression after it.
fn enclosing_command(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let source = Source::detached(text);
    let root = LinkedNode::new(source.root());
    let mut node = root.leaf_at(offset, Side::After)?;
    loop {
        let parent = node.parent()?.clone();
        if parent.kind() == SyntaxKind::Markup {
            return if node.kind() == SyntaxKind::Hash {
                let expression = node.next_sibling()?;
                Some(node.offset()..expression.range().end)
            } else {
                let hash = node
                    .prev_sibling()
                    .filter(|h| h.kind() == SyntaxKind::Hash)?;
                Some(hash.offset()..node.range().end)
            };
        }
        node = parent;
    }
}

/// The character that ends just before byte `offset` of `text`.
fn char_before(text: &str, offset: usize) -> Option<char> {
    text.get(..offset)?.chars().next_back()
}

/// True when the byte before `offset` in `vpath` is a `#`.
fn mark_before(world: &RenstraWorld, vpath: &str, offset: usize) -> bool {
    source_at(world, vpath).is_some_and(|s| s.text().as_bytes().get(offset - 1) == Some(&b'#'))
}

/// The source at `vpath` as the world currently serves it.
fn source_at(world: &RenstraWorld, vpath: &str) -> Option<Source> {
    let vpath = VirtualPath::new(vpath).ok()?;
    world
        .source(RootedPath::new(VirtualRoot::Project, vpath).intern())
        .ok()
}

/// A virtual path as the officer sees it: `naskah/bab-2.typ`, `templates/renstra.typ`.
fn shown_path(vpath: &str) -> &str {
    vpath
        .strip_prefix("/unit/")
        .unwrap_or_else(|| vpath.trim_start_matches('/'))
}

/// Narrative files in document order, then templates; within a file, by position.
fn order_key(d: &Diagnostic) -> (usize, String, usize, usize) {
    match &d.place {
        Some(p) => {
            let chapter = NASKAH_FILES
                .iter()
                .position(|n| p.file == format!("naskah/{n}.typ"))
                .unwrap_or(NASKAH_FILES.len());
            (chapter, p.file.clone(), p.line, p.column)
        }
        None => (usize::MAX, String::new(), 0, 0),
    }
}

/// Every syntax error in `source`, placed in `shown` (the file's name as the officer sees it).
pub fn syntax_problems(source: &Source, shown: &str) -> Vec<Diagnostic> {
    syntax_errors(source)
        .into_iter()
        .map(|(offset, problem)| Diagnostic {
            place: place_at(source, offset, shown),
            problem,
        })
        .collect()
}

/// Every syntax error in `source`, at its byte offset.
fn syntax_errors(source: &Source) -> Vec<(usize, Problem)> {
    let mut out = Vec::new();
    collect_errors(&LinkedNode::new(source.root()), source, &mut out);
    out
}

fn collect_errors(node: &LinkedNode, source: &Source, out: &mut Vec<(usize, Problem)>) {
    if node.kind().is_error() {
        let at = source.text().get(node.range()).unwrap_or_default();
        for error in node.get().errors_and_warnings().0 {
            let hints = error.hints.iter().map(|h| h.v.to_string()).collect();
            let before = char_before(source.text(), node.offset());
            out.push((node.offset(), classify(&error.message, at, before, hints)));
        }
        return;
    }
    for child in node.children() {
        if child.get().diagnosis().errors {
            collect_errors(&child, source, out);
        }
    }
}

/// What the officer did, from Typst's message and the text the error spans.
/// `before` is the character just before the problem's place (a `#` often explains it).
pub fn classify(message: &str, at: &str, before: Option<char>, hints: Vec<String>) -> Problem {
    let first = at.chars().next();
    if message == "expected expression" && before == Some('#') {
        return Problem::BareHash;
    }
    if message == "unclosed delimiter" {
        let mark = match first {
            Some('*') => Some(Mark::Strong),
            Some('_') => Some(Mark::Emph),
            Some('$') => Some(Mark::Math),
            Some('"') => Some(Mark::Quote),
            Some(c @ ('(' | '[' | '{')) => Some(Mark::Bracket(c)),
            _ => None,
        };
        if let Some(mark) = mark {
            return Problem::Unclosed(mark);
        }
    }
    match message {
        "unclosed raw text" => return Problem::Unclosed(Mark::Raw),
        "unclosed string" => return Problem::Unclosed(Mark::Quote),
        "unclosed label" => return Problem::Unclosed(Mark::Label),
        "unclosed block comment" => return Problem::Unclosed(Mark::Comment),
        "unexpected end of block comment" => {
            return Problem::UnexpectedClosing("*/".into());
        }
        _ => {}
    }
    if message.starts_with("unexpected closing")
        && let Some(c) = first
    {
        return Problem::UnexpectedClosing(c.to_string());
    }
    if let Some(label) = message
        .strip_prefix("label `<")
        .and_then(|rest| rest.split_once(">` does not exist"))
        .map(|(label, _)| label)
    {
        return Problem::MissingLabel(label.to_string());
    }
    if let Some(name) = message.strip_prefix("unknown variable: ") {
        return if before == Some('#') {
            Problem::UnknownName(name.to_string())
        } else {
            Problem::UnknownNameInCommand(name.to_string())
        };
    }
    if let Some(path) = message
        .strip_prefix("file not found (searched at ")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        let name = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
        return Problem::FileNotFound(name);
    }
    if message == "failed to load file (access denied)" {
        return Problem::AccessDenied;
    }
    if let Some(why) = message
        .strip_prefix("failed to load file (")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        return Problem::FileUnreadable(why.to_string());
    }
    if let Some(thing) = message.strip_prefix("expected ") {
        return Problem::BrokenCommand(thing.to_string());
    }
    Problem::Other {
        message: message.to_string(),
        hints,
    }
}

/// The line, column and line text of byte `offset` in `source`.
fn place_at(source: &Source, offset: usize, shown: &str) -> Option<Place> {
    let lines = source.lines();
    let (line, _) = lines.byte_to_line_column(offset)?;
    let start = lines.line_to_byte(line)?;
    let text = source.text();
    let line_text = text
        .get(start..)
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default();
    let column = text.get(start..offset).unwrap_or_default().chars().count();
    Some(Place {
        file: shown.to_string(),
        line: line + 1,
        column: column + 1,
        text: line_text.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(usize, usize, Problem)> {
        let source = Source::detached(text);
        syntax_problems(&source, "naskah/bab-1.typ")
            .into_iter()
            .map(|d| {
                let p = d.place.expect("syntax errors are placed");
                (p.line, p.column, d.problem)
            })
            .collect()
    }

    #[test]
    fn every_syntax_problem_of_a_file_is_found_with_its_mark() {
        // Bold and italic end at a blank line; an unclosed `$` runs to the end of the file, so
        // it comes last here (the world-level diagnosis reads past it by blanking it).
        let text = "= Bab\n\n*) Data sementara.\n\n_catatan tanpa penutup\n\nBiaya $5 per orang.\n";
        assert_eq!(
            problems(text),
            vec![
                (3, 1, Problem::Unclosed(Mark::Strong)),
                (5, 1, Problem::Unclosed(Mark::Emph)),
                (7, 7, Problem::Unclosed(Mark::Math)),
            ]
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // "Rp–" holds a three-byte dash: the `*` is the 5th character, the 7th byte.
        assert_eq!(
            problems("Rp– *tebal\n"),
            vec![(1, 5, Problem::Unclosed(Mark::Strong))]
        );
    }

    #[test]
    fn a_hash_without_a_command_is_named_as_such() {
        assert_eq!(problems("# 5 orang\n"), vec![(1, 2, Problem::BareHash)]);
        assert_eq!(problems("harga 5#\n"), vec![(1, 9, Problem::BareHash)]);
        assert_eq!(
            problems("#tabel(T-C.24)\n"),
            vec![(1, 11, Problem::BrokenCommand("comma".into()))]
        );
    }

    #[test]
    fn a_command_is_found_around_any_place_inside_it() {
        let text = "Teks #fakta(pagu-renstra) lagi #image(\"foto.png\") akhir.";
        // `pagu` starts at byte 12; the command runs from the `#` (byte 5) past its `)` (byte 24);
        // the second `#` is byte 31 and its 18 bytes end at 49.
        assert_eq!(enclosing_command(text, 12), Some(5..25));
        assert_eq!(enclosing_command(text, 5), Some(5..25));
        assert_eq!(&text[31..49], "#image(\"foto.png\")");
        assert_eq!(enclosing_command(text, 38), Some(31..49));
        assert_eq!(enclosing_command(text, 1), None);
        let blanked = blank(text, 5..25);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(&blanked[..31], "Teks                      lagi ");
    }

    #[test]
    fn a_line_without_marks_has_no_problem() {
        assert!(problems("Alamat dinkes_kota biasa, 5 \\* 3, \\$5, \\@x, \\#y.\n").is_empty());
    }

    #[test]
    fn typst_messages_are_classified_by_what_they_mean() {
        assert_eq!(
            classify(
                "label `<yahoo.co.id>` does not exist in the document",
                "@yahoo.co.id",
                Some('l'),
                vec![]
            ),
            Problem::MissingLabel("yahoo.co.id".into())
        );
        assert_eq!(
            classify("unknown variable: foo", "foo", Some('#'), vec![]),
            Problem::UnknownName("foo".into())
        );
        assert_eq!(
            classify("unknown variable: pagu", "pagu", Some('('), vec![]),
            Problem::UnknownNameInCommand("pagu".into())
        );
        assert_eq!(
            classify(
                "file not found (searched at /tmp/u/naskah/foto.png)",
                "\"foto.png\"",
                Some('('),
                vec![]
            ),
            Problem::FileNotFound("foto.png".into())
        );
        assert_eq!(
            classify("failed to load file (access denied)", "", None, vec![]),
            Problem::AccessDenied
        );
        assert_eq!(
            classify("unclosed raw text", "`kode", None, vec![]),
            Problem::Unclosed(Mark::Raw)
        );
        assert_eq!(
            classify("unexpected closing bracket", "]", Some(' '), vec![]),
            Problem::UnexpectedClosing("]".into())
        );
        assert_eq!(
            classify("expected expression", "", Some('#'), vec![]),
            Problem::BareHash
        );
        assert_eq!(
            classify("expected comma", "", Some('-'), vec![]),
            Problem::BrokenCommand("comma".into())
        );
        assert_eq!(
            classify("maximum parsing depth exceeded", "", None, vec!["h".into()]),
            Problem::Other {
                message: "maximum parsing depth exceeded".into(),
                hints: vec!["h".into()]
            }
        );
    }
}
