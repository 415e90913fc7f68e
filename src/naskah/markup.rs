//! Typst markup of a document.
