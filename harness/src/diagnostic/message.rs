//! One error that points into a file: what went wrong, where, and how to fix it.

use std::path::{Path, PathBuf};

use crate::span::Span;

/// How serious a diagnostic is; it picks the headline word (`error:`, `warning:`, `note:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// Fails the run: a file error, drift, a contract violation, a target fault.
    #[default]
    Error,
    /// Worth a look but does not fail: an unconfirmed deviation, an unsupported operation.
    Warning,
    /// For information: a departure the ledger already knows.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// An error about a place in a file, rendered by [`render`](super::render) the same way everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The headline after `error: ` (or `warning: `, `note: `).
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
            severity: Severity::Error,
            title: title.into(),
            path: path.to_path_buf(),
            span,
            label: label.into(),
            help: None,
            notes: Vec::new(),
        }
    }

    #[must_use]
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help to "did you mean `x`?" when there is a suggestion.
    #[must_use]
    pub(crate) fn with_suggestion(mut self, suggestion: Option<&str>) -> Self {
        if let Some(s) = suggestion {
            self.help = Some(format!("did you mean `{s}`?"));
        }
        self
    }

    #[must_use]
    #[cfg(test)]
    pub(crate) fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    #[must_use]
    pub(crate) fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}
