//! Reading a odt narrative.

use super::{NaskahError, Read};

/// Reads the document.
pub fn read(_bytes: &[u8]) -> Result<Read, NaskahError> {
    Ok(Read::default())
}
