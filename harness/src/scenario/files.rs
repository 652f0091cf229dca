//! Finding scenario files and loading a set of them: every file is read once, and a scenario name
//! used twice is an error at the second file (snapshots are named after scenarios).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ast::Scenario;
use crate::diagnostic::Diagnostic;
use crate::model;

/// Every `*.yaml` / `*.yml` file under `paths` (files are taken as given), sorted, without duplicates.
pub fn discover(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// A file that did not load: its text (empty when it could not be read) and why.
#[derive(Debug, Clone)]
pub struct LoadFailure {
    pub path: PathBuf,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// The scenarios of `files` that loaded, with unique names, and the files that did not.
pub fn load_files(files: &[PathBuf]) -> (Vec<Scenario>, Vec<LoadFailure>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    let fail = |path: &Path, source: String, diagnostics| LoadFailure {
        path: path.to_owned(),
        source,
        diagnostics,
    };
    for f in files {
        // Read once: the text is loaded and, on failure, shown under the diagnostics.
        match super::read_source(f) {
            Ok(text) => match super::load(f, &text, model::cognito()) {
                Ok(s) => ok.push(s),
                Err(diags) => failed.push(fail(f, text, diags)),
            },
            Err(diags) => failed.push(fail(f, String::new(), diags)),
        }
    }
    let mut names: HashMap<String, PathBuf> = HashMap::new();
    let mut unique = Vec::new();
    for s in ok {
        if let Some(first) = names.get(&s.name.value) {
            let d = Diagnostic {
                severity: Default::default(),
                title: format!(
                    "scenario name `{}` is already used by {}",
                    s.name.value,
                    first.display()
                ),
                path: s.path.clone(),
                span: s.name.span,
                label: "snapshot files are named after scenarios, so names must be unique".into(),
                help: None,
                notes: Vec::new(),
            };
            failed.push(fail(&s.path, s.source.clone(), vec![d]));
        } else {
            names.insert(s.name.value.clone(), s.path.clone());
            unique.push(s);
        }
    }
    (unique, failed)
}
