//! From an execution record to a verdict: snapshot comparison, contract findings and the ledger.

use std::path::PathBuf;

use serde_json::Value as Json;

use super::body::snapshot_body_stopped;
use super::diff::{diff, render_value, Difference};
use super::findings::{apply_contract, deviations};
use super::ledger::Divergence;
use super::outcome::{ScenarioReport, Status};
use super::snapshot::{self, Provenance};
use crate::observation::{is_wire_detail, Execution, Fault, FaultKind};
use crate::scenario::ast::Scenario;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotMode {
    /// Compare; write `.snap.new` for a difference only when `write_pending` (never in CI).
    Verify { write_pending: bool },
    /// Write what was observed: `.snap.new`, or `.snap` directly with `accept`.
    Record { accept: bool },
}

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    pub snapshot_dir: PathBuf,
    pub target: String,
    pub target_version: String,
    /// The digest of the lock a managed target was installed from; `None` for an endpoint the user runs.
    pub target_lock: Option<String>,
    pub harness_version: String,
    pub model_version: String,
    /// `YYYY-MM-DD`, for provenance and ledger expiry.
    pub today: String,
    pub mode: SnapshotMode,
}

impl VerifyOptions {
    /// The options for `target` (`version`, and the `lock` digest of a managed install) with this
    /// build's harness and model versions: the one place they are put together.
    pub fn new(
        snapshot_dir: PathBuf,
        target: &str,
        version: &str,
        lock: Option<String>,
        today: String,
        mode: SnapshotMode,
    ) -> Self {
        VerifyOptions {
            snapshot_dir,
            target: target.to_owned(),
            target_version: version.to_owned(),
            target_lock: lock,
            harness_version: env!("CARGO_PKG_VERSION").to_owned(),
            model_version: format!("botocore {}", crate::model::cognito().source_version()),
            today,
            mode,
        }
    }
}

pub fn verify(
    scenario: &Scenario,
    exec: Execution,
    ledger: &[Divergence],
    opts: &VerifyOptions,
) -> ScenarioReport {
    let mut report = ScenarioReport::new(
        &scenario.name.value,
        &scenario.path,
        scenario.source.clone(),
        &opts.target,
        Status::Pass,
    );
    report.fault = exec.fault;
    report.notes = exec.warnings;
    report.elapsed = exec.elapsed;
    report.totp_wait = exec.totp_wait;
    report.shared_pool = exec.shared_pool;
    // A step the target does not support ends the run there, but the steps before it were observed:
    // they are verified like a whole scenario (the snapshot holds that prefix and where it stopped).
    if let Some(fault) = report.fault.as_ref().filter(|f| !f.is_partial()) {
        report.status = match fault.kind {
            FaultKind::Target => Status::TargetFault,
            FaultKind::Unsupported => Status::Unsupported,
        };
        report.steps = exec.steps;
        return report;
    }
    let body = snapshot_body_stopped(&exec.steps, report.fault.as_ref());
    report.steps = exec.steps;
    let path = snapshot::snapshot_path(&opts.snapshot_dir, &opts.target, &report.name);
    let stored = match snapshot::read(&path) {
        Ok(s) => s,
        Err(e) => {
            report.notes.push(e.to_string());
            None
        }
    };
    let mut wire_changed = false;
    let differs = match &stored {
        Some(snap) => {
            let (wire, drift): (Vec<_>, Vec<_>) = diff(&snap.body, &body)
                .into_iter()
                .partition(|d| is_wire_detail(&d.path));
            report.drift = drift;
            report.notes.extend(wire.iter().map(wire_note));
            wire_changed = !wire.is_empty();
            if let Some(v) = snap
                .target_version
                .as_deref()
                .filter(|v| opts.target_version != "unknown" && *v != opts.target_version)
            {
                report.notes.push(format!(
                    "snapshot recorded with {} {v}; this target is {} {}",
                    opts.target, opts.target, opts.target_version
                ));
            }
            if !report.drift.is_empty() {
                if let Some(note) = lock_note(snap.target_lock.as_deref(), opts) {
                    report.notes.push(note);
                }
            }
            !report.drift.is_empty()
        }
        None => true,
    };
    if differs {
        report.status = if stored.is_some() {
            Status::Drift
        } else {
            Status::New
        };
        write_snapshot(&mut report, scenario, &path, &body, opts);
    } else if wire_changed && matches!(opts.mode, SnapshotMode::Record { .. }) {
        // Recording takes the new wire form too; verifying only notes it.
        write_snapshot(&mut report, scenario, &path, &body, opts);
    }
    let deviations = deviations(scenario, &report.steps);
    apply_contract(&mut report, &deviations, ledger, &opts.today);
    report
}

/// The verdict on a scenario whose run never got going on `target` (the target did not start):
/// a target fault at `fault`, nothing observed.
pub fn not_run(scenario: &Scenario, target: &str, fault: Fault) -> ScenarioReport {
    let mut report = ScenarioReport::new(
        &scenario.name.value,
        &scenario.path,
        scenario.source.clone(),
        target,
        Status::TargetFault,
    );
    report.fault = Some(fault);
    report
}

/// A change in the raw wire form of a value whose normal form did not change: every client reads both
/// the same way, so it is reported, not failed.
fn wire_note(d: &Difference) -> String {
    format!(
        "wire form changed: {}: snapshot {}, actual {} (protocol-equivalent, not drift)",
        d.path,
        render_value(d.expected.as_ref()),
        render_value(d.actual.as_ref())
    )
}

fn write_snapshot(
    report: &mut ScenarioReport,
    scenario: &Scenario,
    path: &std::path::Path,
    body: &Json,
    opts: &VerifyOptions,
) {
    let (target_file, allowed) = match opts.mode {
        SnapshotMode::Verify { write_pending } => (snapshot::pending_path(path), write_pending),
        SnapshotMode::Record { accept: false } => (snapshot::pending_path(path), true),
        SnapshotMode::Record { accept: true } => (path.to_owned(), true),
    };
    if !allowed {
        return;
    }
    let provenance = Provenance {
        scenario_path: scenario.path.display().to_string(),
        scenario: report.name.clone(),
        target: opts.target.clone(),
        target_version: opts.target_version.clone(),
        target_lock: opts.target_lock.clone(),
        harness_version: opts.harness_version.clone(),
        model_version: opts.model_version.clone(),
        recorded: opts.today.clone(),
    };
    match snapshot::write_atomic(&target_file, &snapshot::format(&provenance, body)) {
        Ok(()) => report.pending_written = Some(target_file),
        Err(e) => report.notes.push(e.to_string()),
    }
}

/// Drift under another install than the snapshot's may come from the emulator's dependencies rather
/// than from the emulator: say so. Silent for an endpoint the user runs (its install is unknown).
fn lock_note(recorded: Option<&str>, opts: &VerifyOptions) -> Option<String> {
    let current = opts.target_lock.as_deref()?;
    match recorded {
        Some(r) if r == current => None,
        Some(r) => Some(format!(
            "snapshot recorded under another {} install (lock {}); this run's lock is {}: the drift may come from the emulator's dependencies",
            opts.target,
            short(r),
            short(current)
        )),
        None => Some(format!(
            "snapshot recorded before {} installs were locked; this run's lock is {}: the drift may come from the emulator's dependencies",
            opts.target,
            short(current)
        )),
    }
}

fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    &hex[..hex.len().min(12)]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn opts(lock: Option<&str>) -> VerifyOptions {
        VerifyOptions {
            snapshot_dir: PathBuf::new(),
            target: "moto".into(),
            target_version: "5.2.1".into(),
            target_lock: lock.map(str::to_owned),
            harness_version: String::new(),
            model_version: String::new(),
            today: String::new(),
            mode: SnapshotMode::Verify {
                write_pending: false,
            },
        }
    }

    #[test]
    fn drift_under_another_lock_says_so() {
        let current = "sha256:aaaaaaaaaaaa0000";
        assert_eq!(lock_note(Some(current), &opts(Some(current))), None);
        let other = lock_note(Some("sha256:bbbbbbbbbbbb1111"), &opts(Some(current))).unwrap();
        assert!(other.contains("lock bbbbbbbbbbbb"), "{other}");
        assert!(other.contains("this run's lock is aaaaaaaaaaaa"), "{other}");
        let before = lock_note(None, &opts(Some(current))).unwrap();
        assert!(
            before.contains("before moto installs were locked"),
            "{before}"
        );
        // A user's own endpoint has no known install: nothing to compare.
        assert_eq!(lock_note(Some(current), &opts(None)), None);
    }
}
