//! Files in a snapshot folder that belong to no scenario: old snapshots, pending ones, leftovers of
//! interrupted writes. Listed, never deleted.

use std::path::{Path, PathBuf};

use super::TEMP_SUFFIX;

/// What a file in a snapshot folder is, as far as orphan listing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Snapshot,
    /// A `.snap.new` waiting for review.
    Pending,
    /// A temporary file an interrupted write left behind.
    Leftover,
}

/// A snapshot-folder file no scenario accounts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    pub path: PathBuf,
    pub kind: FileKind,
}

/// Files under `dir/<target>/` that belong to no scenario in `scenarios` (by name), and leftover
/// temporary files. Lists only; never deletes. Other files (the ledger...) are not considered.
pub fn orphans(
    dir: &Path,
    scenarios: &std::collections::BTreeSet<String>,
) -> std::io::Result<Vec<Orphan>> {
    let mut out = Vec::new();
    let mut targets: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_dir())
        .collect();
    targets.sort();
    for target in targets {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&target)?
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (scenario, kind) = if name.starts_with('.') && name.ends_with(TEMP_SUFFIX) {
                (None, FileKind::Leftover)
            } else if let Some(s) = name.strip_suffix(".snap.new") {
                (Some(s), FileKind::Pending)
            } else if let Some(s) = name.strip_suffix(".snap") {
                (Some(s), FileKind::Snapshot)
            } else {
                continue;
            };
            if scenario.is_none_or(|s| !scenarios.contains(s)) {
                out.push(Orphan { path, kind });
            }
        }
    }
    Ok(out)
}
