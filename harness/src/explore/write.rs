//! Writing a confirmed finding as an ordinary scenario under `scenarios/found/`, with the model's
//! `expect:` blocks, and a pending snapshot (`.snap.new`) recorded by the normal runner on each
//! target, ready for review.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::group::Entry;
use super::lockstep::prepare;
use super::render::Header;
use crate::exchange::Client;
use crate::model;
use crate::run::ExecContext;
use crate::verdict::{SnapshotMode, Status, VerifyOptions};

/// A target to record a pending snapshot on.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub name: String,
    pub version: String,
    pub client: Arc<Client>,
}

/// What was written for one finding.
#[derive(Debug, Clone)]
pub struct Written {
    pub scenario: PathBuf,
    /// Per target: the pending snapshot, or why there is none.
    pub snapshots: Vec<(String, Result<PathBuf, String>)>,
}

/// Where files go and what snapshot headers record.
#[derive(Debug, Clone)]
pub struct WriteOptions<'a> {
    pub found_dir: &'a Path,
    pub snapshot_dir: &'a Path,
    pub seed: u64,
    pub today: &'a str,
}

/// Writes `entry`'s shrunk sequence as `<found>/<name>.yaml` and records it on every recorder at
/// once. A target that turns out not to support the scenario is left out of its `targets:`.
pub async fn write_finding(
    entry: &Entry,
    opts: &WriteOptions<'_>,
    recorders: &[Recorder],
    ctx: &ExecContext,
) -> std::io::Result<Written> {
    let seq = entry.shrunk.as_ref().unwrap_or(&entry.example);
    let name = entry.scenario_name();
    let header = Header {
        name: name.clone(),
        description: format!(
            "Found by `cognito-drift explore --seed {}` (sequence {}, in {} sequences), shrunk from {} to {} actions. {} finding: {}. At {} in state [{}]: {}. Review it and each pending snapshot: keep what is real (with a ledger entry where a target departs from a binding fact), or delete the files.",
            opts.seed,
            entry.first_sequence,
            entry.count,
            entry.example.actions.len(),
            seq.actions.len(),
            entry.signature.kind.as_str(),
            entry.signature.fact.as_deref().unwrap_or("targets differ"),
            entry.label,
            entry.predicate,
            entry.detail,
        ),
        targets: recorders.iter().map(|r| r.name.clone()).collect(),
    };
    let prepared = prepare(seq, &header).map_err(std::io::Error::other)?;
    std::fs::create_dir_all(opts.found_dir)?;
    let path = opts.found_dir.join(format!("{name}.yaml"));
    std::fs::write(&path, &prepared.text)?;
    let scenario = crate::scenario::load(&path, &prepared.text, model::cognito()).map_err(|d| {
        std::io::Error::other(format!(
            "the written scenario does not load: {}",
            d.first().map(|d| d.title.clone()).unwrap_or_default()
        ))
    })?;
    let scenario = Arc::new(scenario);
    // Each target records through the engine every command uses (execute, then judge), at once.
    let runs: Vec<_> = recorders
        .iter()
        .map(|r| {
            let (scenario, client, ctx) = (scenario.clone(), r.client.clone(), ctx.clone());
            let verify = VerifyOptions::new(
                opts.snapshot_dir.to_path_buf(),
                &r.name,
                &r.version,
                None,
                opts.today.to_owned(),
                SnapshotMode::Record { accept: false },
            );
            tokio::spawn(async move {
                crate::engine::run_confirmed(&scenario, &client, &ctx, &verify, &[], 0).await
            })
        })
        .collect();
    let mut snapshots = Vec::new();
    let mut unsupported = Vec::new();
    for (r, h) in recorders.iter().zip(runs) {
        let report = h.await.map_err(std::io::Error::other)?;
        if report.status == Status::Unsupported {
            unsupported.push(r.name.clone());
        }
        let result = match (report.pending_written, &report.fault) {
            (Some(p), _) => Ok(p),
            (None, Some(f)) => Err(format!("no snapshot: {}", f.message)),
            (None, None) => Err("no snapshot written: an identical one exists".to_owned()),
        };
        snapshots.push((r.name.clone(), result));
    }
    if !unsupported.is_empty() {
        let mut header = header;
        header.targets.retain(|t| !unsupported.contains(t));
        let text = prepare(seq, &header).map_err(std::io::Error::other)?.text;
        std::fs::write(&path, text)?;
    }
    Ok(Written {
        scenario: path,
        snapshots,
    })
}
