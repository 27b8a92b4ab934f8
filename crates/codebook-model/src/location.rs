//! Where something stands in `codes.yaml`: the line and column every diagnostic and every
//! validated item carries, and how a parsed value's span becomes one.

use serde::Serialize;
use serde_saphyr::Spanned;

/// A line and column in `codes.yaml`, both 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Where a value stands in `codes.yaml`.
pub(crate) fn at<T>(spanned: &Spanned<T>) -> Location {
    Location { line: spanned.referenced.line() as u32, column: spanned.referenced.column() as u32 }
}
