//! Source positions shared by every layer that points back into a scenario file.

use std::fmt;

/// A 1-based line and column in a scenario file; `Span::UNKNOWN` (0:0) when no position is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub line: u32,
    pub column: u32,
}

impl Span {
    pub const UNKNOWN: Span = Span { line: 0, column: 0 };

    pub fn new(line: u32, column: u32) -> Self {
        Span { line, column }
    }

    pub(crate) fn is_known(&self) -> bool {
        self.line > 0
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}
