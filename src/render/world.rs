//! The Typst world renstra compiles in: templates, the unit's narrative, data, and fonts.
//!
//! The world sees exactly three things: `/templates/…` (the template folder), `/unit/…` (the unit
//! folder, for its `naskah/` and images) and `/data.json` (the verified data, served from memory).
//! Every other path, and any path that escapes its folder (`..`, a symlink pointing outside), is
//! refused. Fonts are the ones compiled into the binary plus a unit's own `fonts/` folder, so a
//! bare machine renders the same PDF.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::files::{FileLoader, FileStore};
use typst_kit::fonts::FontStore;

use super::RenderError;

/// The virtual path of the data file.
pub const DATA_PATH: &str = "/data.json";

/// Serves files from the two allowed folders and the data from memory.
struct Loader {
    templates: PathBuf,
    unit: PathBuf,
    data: Bytes,
    /// Further virtual files under `/data/` (one per table), so a change in one table leaves the
    /// others' memoized layout valid.
    extra: std::collections::BTreeMap<String, Bytes>,
    /// Narrative files as patched by the diagnosis (a mark blanked so Typst reads on), served
    /// instead of the files on disk while it runs; empty otherwise.
    overlay: std::collections::BTreeMap<String, Bytes>,
}

impl Loader {
    /// Maps a virtual path to a real file inside its folder, refusing escapes (including through
    /// symlinks, which a lexical check alone would let through).
    fn resolve(&self, vpath: &VirtualPath) -> FileResult<PathBuf> {
        let full = vpath.get_with_slash();
        let (root, rest) = if let Some(rest) = full.strip_prefix("/templates/") {
            (&self.templates, rest)
        } else if let Some(rest) = full.strip_prefix("/unit/") {
            (&self.unit, rest)
        } else {
            return Err(FileError::AccessDenied);
        };
        let inner = VirtualPath::new(rest).map_err(|_| FileError::AccessDenied)?;
        let path = inner.realize(root).map_err(|_| FileError::AccessDenied)?;
        let real = path
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &path))?;
        let real_root = root
            .canonicalize()
            .map_err(|e| FileError::from_io(e, root))?;
        if real.starts_with(&real_root) {
            Ok(real)
        } else {
            Err(FileError::AccessDenied)
        }
    }
}

impl FileLoader for Loader {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        if *id.root() != VirtualRoot::Project {
            return Err(FileError::Other(Some(
                crate::messages::errors::NO_PACKAGES.into(),
            )));
        }
        let vpath = id.vpath().get_with_slash();
        if vpath == DATA_PATH {
            return Ok(self.data.clone());
        }
        if let Some(bytes) = self.overlay.get(vpath).or_else(|| self.extra.get(vpath)) {
            return Ok(bytes.clone());
        }
        let path = self.resolve(id.vpath())?;
        if path.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&path)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }
}

/// A compilation environment for one document.
pub struct RenstraWorld {
    library: LazyHash<Library>,
    fonts: FontStore,
    files: FileStore<Loader>,
    main: FileId,
    today: Option<Datetime>,
    /// The unit's own fonts as they were when they were loaded: a kept world whose unit changed
    /// its fonts is not reused.
    unit_fonts: FontsFingerprint,
}

/// Names, sizes and modification times of a unit's `fonts/` files.
type FontsFingerprint = Vec<(PathBuf, u64, Option<std::time::SystemTime>)>;

fn fonts_fingerprint(dir: &Path) -> FontsFingerprint {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: FontsFingerprint = entries
        .flatten()
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            Some((e.path(), m.len(), m.modified().ok()))
        })
        .collect();
    out.sort();
    out
}

impl RenstraWorld {
    /// A world whose main file is `main` (a virtual path such as `/templates/renstra.typ`).
    pub fn new(
        templates: &Path,
        unit: &Path,
        main: &str,
        data: Vec<u8>,
        extra: std::collections::BTreeMap<String, Vec<u8>>,
        today: Option<Datetime>,
    ) -> Result<RenstraWorld, RenderError> {
        let vpath = VirtualPath::new(main).map_err(|source| RenderError::MainPath {
            path: main.to_string(),
            source,
        })?;
        let main = RootedPath::new(VirtualRoot::Project, vpath).intern();
        let mut fonts = FontStore::new();
        fonts.extend(super::fonts::compiled());
        fonts.extend(unit_fonts(&unit.join("fonts")));
        let unit_fonts = fonts_fingerprint(&unit.join("fonts"));
        Ok(RenstraWorld {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            files: FileStore::new(Loader {
                templates: templates.to_path_buf(),
                unit: unit.to_path_buf(),
                data: Bytes::new(data),
                extra: extra.into_iter().map(|(k, v)| (k, Bytes::new(v))).collect(),
                overlay: std::collections::BTreeMap::new(),
            }),
            main,
            today,
            unit_fonts,
        })
    }
}

impl RenstraWorld {
    /// True when this world was made for these templates and this unit, and the unit's fonts
    /// are the ones it loaded: then it can be kept for the next render.
    pub fn serves(&self, templates: &Path, unit: &Path) -> bool {
        let loader = self.files.loader();
        loader.templates == templates
            && loader.unit == unit
            && self.unit_fonts == fonts_fingerprint(&unit.join("fonts"))
    }

    /// Replaces the document data and marks every file as possibly changed, keeping Typst's
    /// caches: a re-render after a small change (as `watch` does) recompiles only what depends on it.
    pub fn set_data(&mut self, data: Vec<u8>, extra: std::collections::BTreeMap<String, Vec<u8>>) {
        let loader = self.files.loader_mut();
        loader.data = Bytes::new(data);
        loader.extra = extra.into_iter().map(|(k, v)| (k, Bytes::new(v))).collect();
        self.files.reset();
    }

    /// Serves `texts` (by virtual path) instead of those files, until called again with an
    /// empty map: how the diagnosis reads past a mark it has already reported.
    pub fn set_overlay(&mut self, texts: std::collections::BTreeMap<String, String>) {
        let loader = self.files.loader_mut();
        loader.overlay = texts
            .into_iter()
            .map(|(k, v)| (k, Bytes::from_string(v)))
            .collect();
        self.files.reset();
    }
}

/// Fonts a unit adds in its `fonts/` folder (ttf, otf, ttc), in name order.
fn unit_fonts(dir: &Path) -> Vec<(Font, typst::text::FontInfo)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc"))
        })
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flat_map(|data| {
            Font::iter(Bytes::new(data))
                .map(|f| {
                    let info = f.info().clone();
                    (f, info)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

impl World for RenstraWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}
