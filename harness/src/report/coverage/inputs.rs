//! Reading what the coverage page is made of from disk (the one part of coverage that does I/O).

use std::collections::BTreeMap;
use std::path::Path;

use super::render::CoverageInput;
use super::unreachable;
use crate::scenario;
use crate::verdict::ledger;
use crate::verdict::snapshot;

/// Scenarios under `scenarios`, every target folder under `snapshots` (with its `.snap` files and
/// ledger), and the reasons in `unreachable_file`. Errors are one line each, with file and line.
pub fn read(
    scenarios: &Path,
    snapshots: &Path,
    unreachable_file: &Path,
) -> Result<CoverageInput, String> {
    let files = scenario::discover(&[scenarios.to_owned()])
        .map_err(|e| format!("failed to list {}: {e}", scenarios.display()))?;
    let (loaded, failed) = scenario::load_files(&files);
    if let Some(f) = failed.first() {
        return Err(format!(
            "{} does not load: run `cognito-drift check`",
            f.path.display()
        ));
    }
    let model = crate::model::cognito();
    let exceptions = model
        .operation(super::params::OPERATION)
        .map(|o| o.errors.clone())
        .unwrap_or_default();
    let mut input = CoverageInput {
        scenarios: loaded,
        exceptions,
        ..CoverageInput::default()
    };
    let mut targets: Vec<_> = std::fs::read_dir(snapshots)
        .map_err(|e| format!("failed to read {}: {e}", snapshots.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    targets.sort();
    for dir in targets {
        let Some(target) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let mut bodies = BTreeMap::new();
        for s in &input.scenarios {
            let path = snapshot::snapshot_path(snapshots, &target, &s.name.value);
            if let Some(snap) = snapshot::read(&path).map_err(|e| e.to_string())? {
                bodies.insert(s.name.value.clone(), snap.body);
            }
        }
        if bodies.is_empty() {
            continue;
        }
        let ledger = ledger::load(snapshots, &target).map_err(|e| e.to_string())?;
        input.snapshots.insert(target.clone(), bodies);
        input.ledgers.insert(target, ledger);
    }
    let text = std::fs::read_to_string(unreachable_file)
        .map_err(|e| format!("failed to read {}: {e}", unreachable_file.display()))?;
    input.unreachable = unreachable::parse(
        &unreachable_file.display().to_string(),
        &text,
        &input.exceptions,
    )
    .map_err(|e| e.to_string())?;
    Ok(input)
}
