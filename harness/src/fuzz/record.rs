//! Writing found failures as scenarios under `scenarios/found/`, each with a pending snapshot recorded
//! by the normal runner, so one review turns it into a regression test.

use std::path::PathBuf;

use super::found::{scenario_name, scenario_yaml, FoundInfo};
use super::live::Found;
use crate::exchange::Client;
use crate::model;
use crate::run::ExecContext;
use crate::verdict::{SnapshotMode, VerifyOptions};

/// Where found scenarios and their pending snapshots go, and what the snapshot header records.
#[derive(Debug, Clone)]
pub struct FoundOptions {
    pub found_dir: PathBuf,
    pub snapshot_dir: PathBuf,
    pub target: String,
    pub target_version: String,
    pub target_lock: Option<String>,
    pub seed: u64,
    pub today: String,
}

/// One written scenario.
#[derive(Debug, Clone)]
pub struct Written {
    pub scenario: PathBuf,
    /// The `.snap.new` the runner recorded; `None` with a reason when it could not record one.
    pub pending_snapshot: Option<PathBuf>,
    pub note: Option<String>,
}

/// Writes the scenario file for `found`, loads it back with the normal loader, runs it once in record
/// mode (writing `<snapshots>/<target>/<name>.snap.new`).
pub async fn write_found(
    found: &Found,
    opts: &FoundOptions,
    client: &Client,
    ctx: &ExecContext,
) -> std::io::Result<Written> {
    let name = scenario_name(&found.payload, &found.failure.slug());
    let failure = found.failure.to_string();
    let outcome = found.class.to_string();
    let info = FoundInfo {
        target: &opts.target,
        seed: opts.seed,
        iteration: found.iteration,
        failure: &failure,
        outcome: &outcome,
        original_len: found.original_len,
    };
    let text = scenario_yaml(&name, &found.payload, &info);
    std::fs::create_dir_all(&opts.found_dir)?;
    let path = opts.found_dir.join(format!("{name}.yaml"));
    std::fs::write(&path, &text)?;
    let scenario = match crate::scenario::load(&path, &text, model::cognito()) {
        Ok(s) => s,
        Err(d) => {
            return Ok(Written {
                scenario: path,
                pending_snapshot: None,
                note: Some(format!(
                    "the written scenario does not load: {}",
                    first_title(&d)
                )),
            })
        }
    };
    let verify = VerifyOptions::new(
        opts.snapshot_dir.clone(),
        &opts.target,
        &opts.target_version,
        opts.target_lock.clone(),
        opts.today.clone(),
        SnapshotMode::Record { accept: false },
    );
    // The engine every command uses; no confirmation re-runs: the shrinker already replayed it.
    let report = crate::engine::run_confirmed(&scenario, client, ctx, &verify, &[], 0).await;
    let note = match (&report.pending_written, &report.fault) {
        (Some(_), _) => None,
        (None, Some(f)) => Some(format!(
            "no snapshot: the run is a target fault ({}), which `run` reports without one",
            f.message
        )),
        (None, None) => Some("no snapshot written: an identical one exists".to_owned()),
    };
    Ok(Written {
        scenario: path,
        pending_snapshot: report.pending_written,
        note,
    })
}

fn first_title(d: &[crate::diagnostic::Diagnostic]) -> String {
    d.first()
        .map_or_else(String::new, |d| format!("{} at {}", d.title, d.span))
}
