//! Running a set of scenario files against one target, several at a time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tracing::Instrument;

use super::confirm::run_confirmed;
use super::execute::ExecContext;
use super::outcome::{FaultKind, ScenarioReport, Status};
use super::verify::VerifyOptions;
use crate::diagnostic::Diagnostic;
use crate::exchange::Client;
use crate::model;
use crate::scenario::{self, ast::Scenario};
use crate::verdict::ledger::{self, Divergence};

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

/// Loaded scenarios, and reports for the files that did not load.
pub fn load_all(files: &[PathBuf], target: &str) -> (Vec<Scenario>, Vec<ScenarioReport>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for f in files {
        // Read once: the text is loaded and, on failure, shown under the diagnostics.
        match scenario::read_source(f) {
            Ok(text) => match scenario::load(f, &text, model::cognito()) {
                Ok(s) => ok.push(s),
                Err(diags) => failed.push(error_report(f, text, target, diags)),
            },
            Err(diags) => failed.push(error_report(f, String::new(), target, diags)),
        }
    }
    let mut names: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
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
            failed.push(error_report(&s.path, s.source.clone(), target, vec![d]));
        } else {
            names.insert(s.name.value.clone(), s.path.clone());
            unique.push(s);
        }
    }
    (unique, failed)
}

fn error_report(
    path: &Path,
    source: String,
    target: &str,
    diagnostics: Vec<Diagnostic>,
) -> ScenarioReport {
    ScenarioReport {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.to_owned(),
        source,
        target: target.to_owned(),
        status: Status::ScenarioError,
        steps: Vec::new(),
        drift: Vec::new(),
        findings: Vec::new(),
        gone: Vec::new(),
        fault: None,
        diagnostics,
        notes: Vec::new(),
        pending_written: None,
        elapsed: std::time::Duration::ZERO,
    }
}

/// `snapshots/<target>/divergences.yaml`, or an empty ledger when there is none.
pub fn load_ledger(
    snapshot_dir: &Path,
    target: &str,
) -> Result<Vec<Divergence>, ledger::LedgerError> {
    let path = snapshot_dir.join(target).join("divergences.yaml");
    match std::fs::read_to_string(&path) {
        Ok(text) => ledger::parse(&path.display().to_string(), &text),
        Err(_) => Ok(Vec::new()),
    }
}

/// Whether a scenario's `targets:` list admits this target.
pub fn applies_to(s: &Scenario, target: &str) -> bool {
    s.targets
        .as_ref()
        .is_none_or(|t| t.iter().any(|n| n.value == target))
}

/// Runs every scenario (at most `jobs` at once) and returns reports in scenario order; `on_done` sees
/// each report in that order too, so output is deterministic whatever the concurrency. A drift or
/// contract verdict is re-run `confirm` times on a fresh pool before it is reported (0: never).
#[allow(clippy::too_many_arguments)]
pub async fn run_all(
    scenarios: Vec<Scenario>,
    client: Arc<Client>,
    exec: ExecContext,
    verify_opts: VerifyOptions,
    ledger: Arc<Vec<Divergence>>,
    jobs: usize,
    confirm: usize,
    on_done: &(dyn Fn(&ScenarioReport) + Sync),
) -> Vec<ScenarioReport> {
    let semaphore = Arc::new(tokio::sync::Semaphore::new(jobs.max(1)));
    let mut handles = Vec::new();
    for s in scenarios {
        let s = Arc::new(s);
        let (client, exec, opts, ledger, sem) = (
            client.clone(),
            exec.clone(),
            verify_opts.clone(),
            ledger.clone(),
            semaphore.clone(),
        );
        let task_scenario = s.clone();
        let span = tracing::info_span!("scenario", name = %s.name.value);
        let task = async move {
            let _permit = sem.acquire_owned().await;
            if !applies_to(&task_scenario, &opts.target) {
                tracing::debug!("skipped: `targets:` excludes this target");
                return skipped(&task_scenario, &opts.target);
            }
            tracing::debug!("started");
            let report =
                run_confirmed(&task_scenario, &client, &exec, &opts, &ledger, confirm).await;
            log_outcome(&report);
            report
        };
        let handle = tokio::spawn(task.instrument(span));
        handles.push((s, handle));
    }
    let mut reports = Vec::new();
    for (s, handle) in handles {
        let report = match handle.await {
            Ok(r) => r,
            Err(e) => {
                let mut r =
                    error_report(&s.path, s.source.clone(), &verify_opts.target, Vec::new());
                r.name = s.name.value.clone();
                r.status = Status::TargetFault;
                r.notes
                    .push(format!("internal error while running the scenario: {e}"));
                r
            }
        };
        on_done(&report);
        reports.push(report);
    }
    reports
}

/// One event per finished scenario; faults also at `warn`, with their already-normalised message.
fn log_outcome(r: &ScenarioReport) {
    let elapsed_ms = u64::try_from(r.elapsed.as_millis()).unwrap_or(u64::MAX);
    match r.fault.as_ref().filter(|f| f.kind == FaultKind::Target) {
        Some(f) => {
            tracing::warn!(scenario = %r.name, during = %f.during, message = %f.message, elapsed_ms, "target fault")
        }
        None => tracing::info!(status = r.status.as_str(), elapsed_ms, "finished"),
    }
}

fn skipped(s: &Scenario, target: &str) -> ScenarioReport {
    let mut r = error_report(&s.path, String::new(), target, Vec::new());
    r.name = s.name.value.clone();
    r.status = Status::Skipped;
    r
}
