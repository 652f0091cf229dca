//! Loading scenario files into what the engine runs, and a verdict for each file that did not load.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::scenario::{self, ast::Scenario};
use crate::verdict::{ScenarioReport, Status};

/// Loaded scenarios, and a scenario-error verdict for each file that did not load, on `target`.
pub fn load_all(files: &[PathBuf], target: &str) -> (Vec<Scenario>, Vec<ScenarioReport>) {
    let (ok, failed) = scenario::load_files(files);
    let failed = failed
        .into_iter()
        .map(|f| error_report(&f.path, f.source, target, f.diagnostics))
        .collect();
    (ok, failed)
}

/// The verdict on a file that did not load: its diagnostics, named after the file.
fn error_report(
    path: &Path,
    source: String,
    target: &str,
    diagnostics: Vec<Diagnostic>,
) -> ScenarioReport {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut r = ScenarioReport::new(&name, path, source, target, Status::ScenarioError);
    r.diagnostics = diagnostics;
    r
}

/// Whether a scenario's `targets:` list admits this target.
pub fn applies_to(s: &Scenario, target: &str) -> bool {
    s.targets
        .as_ref()
        .is_none_or(|t| t.iter().any(|n| n.value == target))
}
