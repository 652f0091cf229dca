//! From an execution to a verdict: snapshot comparison, contract findings and the ledger.

use std::path::PathBuf;

use serde_json::{json, Value as Json};

use super::outcome::{Execution, FaultKind, Finding, ScenarioReport, Status, StepRecord};
use crate::scenario::ast::Scenario;
use crate::verdict::diff::diff;
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
    if let Some(fault) = &report.fault {
        report.status = match fault.kind {
            FaultKind::Target => Status::TargetFault,
            FaultKind::Unsupported => Status::Unsupported,
        };
        report.steps = exec.steps;
        return report;
    }
    let body = snapshot_body(&exec.steps);
    report.steps = exec.steps;
    let path = snapshot::snapshot_path(&opts.snapshot_dir, &opts.target, &report.name);
    let stored = match snapshot::read(&path) {
        Ok(s) => s,
        Err(e) => {
            report.notes.push(e.to_string());
            None
        }
    };
    let differs = match &stored {
        Some(snap) => {
            report.drift = diff(&snap.body, &body);
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
    }
    apply_contract(&mut report, ledger, &opts.today);
    report
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
        harness_version: opts.harness_version.clone(),
        model_version: opts.model_version.clone(),
        recorded: opts.today.clone(),
    };
    match snapshot::write_atomic(&target_file, &snapshot::format(&provenance, body)) {
        Ok(()) => report.pending_written = Some(target_file),
        Err(e) => report.notes.push(e.to_string()),
    }
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
