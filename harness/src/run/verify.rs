//! From an execution to a verdict: snapshot comparison, contract findings and the ledger.

use std::path::PathBuf;

use serde_json::{json, Value as Json};

use super::outcome::{Execution, Fault, FaultKind, Finding, ScenarioReport, Status, StepRecord};
use crate::observation::is_wire_detail;
use crate::scenario::ast::Scenario;
use crate::verdict::diff::{diff, render_value, Difference};
use crate::verdict::ledger::{self, Divergence};
use crate::verdict::snapshot::{self, Provenance};

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

/// The snapshot body of an execution (pure).
pub fn snapshot_body(steps: &[StepRecord]) -> Json {
    let steps: Vec<Json> = steps
        .iter()
        .map(|s| {
            let mut entry = json!({"step": s.name, "operation": s.operation});
            if let Some(reason) = &s.not_sent {
                entry["not_sent"] = json!(reason);
            } else if let (Json::Object(e), Ok(Json::Object(o))) =
                (&mut entry, serde_json::to_value(&s.observation))
            {
                e.extend(o);
            }
            entry
        })
        .collect();
    json!({ "steps": steps })
}

/// The snapshot body of a run that a step the target does not support ended: the observed steps,
/// then that step with what was refused. A target that later implements it shows up as a snapshot
/// change to review, never as silent coverage loss.
pub fn snapshot_body_stopped(steps: &[StepRecord], fault: Option<&Fault>) -> Json {
    let mut body = snapshot_body(steps);
    if let (Some(f), Some(Json::Array(list))) =
        (fault.filter(|f| f.is_partial()), body.get_mut("steps"))
    {
        list.push(json!({"step": f.during, "unsupported": f.message}));
    }
    body
}

pub fn verify(
    scenario: &Scenario,
    exec: Execution,
    ledger: &[Divergence],
    opts: &VerifyOptions,
) -> ScenarioReport {
    let mut report = ScenarioReport {
        name: scenario.name.value.clone(),
        path: scenario.path.clone(),
        source: scenario.source.clone(),
        target: opts.target.clone(),
        status: Status::Pass,
        steps: Vec::new(),
        drift: Vec::new(),
        findings: Vec::new(),
        gone: Vec::new(),
        fault: exec.fault,
        diagnostics: Vec::new(),
        notes: exec.warnings,
        pending_written: None,
        elapsed: exec.elapsed,
    };
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
    apply_contract(&mut report, ledger, &opts.today);
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

/// Sorts deviations into known (ledger), unconfirmed (MEDIUM/LOW) and binding ones; finds ledger entries
/// that no longer reproduce. Deviations and entries meet at JSON paths into the observation document.
fn apply_contract(report: &mut ScenarioReport, ledger: &[Divergence], today: &str) {
    let mut violated = false;
    for (index, step) in report.steps.iter().enumerate() {
        for dev in &step.deviations {
            let path = ledger::location_of(index, dev);
            let rule = dev.check.rule();
            let known = ledger::lookup(ledger, &report.name, &path, rule)
                .or_else(|| {
                    let (rule, body_path) = (rule?, dev.body_path.as_deref()?);
                    ledger::lookup_operation(ledger, &step.operation, body_path, rule)
                })
                .cloned();
            if let Some(k) = &known {
                if ledger::is_expired(k, today) {
                    report.notes.push(format!(
                        "divergence ledger entry (line {}) for `{}` passed its review-by date {}: check it again",
                        k.line,
                        k.path,
                        k.review_by.as_deref().unwrap_or_default()
                    ));
                }
            } else if dev.is_binding() {
                violated = true;
            }
            report.findings.push(Finding {
                step: step.name.clone(),
                path,
                deviation: dev.clone(),
                known,
            });
        }
    }
    for entry in ledger.iter().filter(|d| d.scenario == report.name) {
        let reproduces = report.findings.iter().any(|f| {
            f.deviation.check.rule() == entry.rule && ledger::covers(&entry.path, &f.path)
        });
        if !reproduces {
            report.gone.push(entry.clone());
            violated = true;
        }
    }
    if violated && report.status == Status::Pass {
        report.status = Status::ContractViolation;
    }
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
