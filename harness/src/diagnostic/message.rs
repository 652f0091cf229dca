//! One error that points into a file: what went wrong, where, and how to fix it.

use std::path::{Path, PathBuf};

use crate::span::Span;

/// An error about a place in a file, rendered by [`render`](super::render) the same way everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The headline after `error: `.
    pub title: String,
    /// The file as the user named it.
    pub path: PathBuf,
    /// Where the offending token starts; [`Span::UNKNOWN`] when the error has no position.
    pub span: Span,
    /// Printed after the caret (or as a `=` line when there is no source line to show).
    pub label: String,
    /// A fix, printed as `= help: ...`, e.g. "did you mean `AccessToken`?".
    pub help: Option<String>,
    /// Extra context, each printed as `= note: ...`.
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(
        title: impl Into<String>,
        path: &Path,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            title: title.into(),
            path: path.to_path_buf(),
            span,
            label: label.into(),
            help: None,
            notes: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help to "did you mean `x`?" when there is a suggestion.
    #[must_use]
    pub fn with_suggestion(mut self, suggestion: Option<&str>) -> Self {
        if let Some(s) = suggestion {
            self.help = Some(format!("did you mean `{s}`?"));
        }
        self
    }

    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}
