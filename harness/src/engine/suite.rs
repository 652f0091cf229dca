//! Running a set of scenarios against one target, several at a time: each is executed, judged, and
//! confirmed by re-runs when its verdict claims the target changed.

use std::sync::Arc;

use tracing::Instrument;

use super::config::RunConfig;
use super::confirm::run_confirmed;
use super::load::applies_to;
use crate::exchange::Client;
use crate::observation::FaultKind;
use crate::scenario::ast::Scenario;
use crate::verdict::{ScenarioReport, Status};

/// Runs every scenario (at most `jobs` at once) and returns reports in scenario order; `on_done` sees
/// each report in that order too, so output is deterministic whatever the concurrency. A drift or
/// contract verdict is re-run `confirm` times on a fresh pool before it is reported (0: never).
pub async fn run_all(
    scenarios: Vec<Scenario>,
    client: Arc<Client>,
    config: &RunConfig,
    on_done: &(dyn Fn(&ScenarioReport) + Sync),
) -> Vec<ScenarioReport> {
    let (exec, verify_opts, ledger, confirm) =
        (&config.exec, &config.verify, &config.ledger, config.confirm);
    let semaphore = Arc::new(tokio::sync::Semaphore::new(config.jobs.max(1)));
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
            Err(e) => internal(&s, &verify_opts.target, e),
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
    ScenarioReport::new(
        &s.name.value,
        &s.path,
        String::new(),
        target,
        Status::Skipped,
    )
}

/// A scenario whose task panicked: the harness's bug, reported as such, never as the target's fault.
fn internal(s: &Scenario, target: &str, e: tokio::task::JoinError) -> ScenarioReport {
    let what = if e.is_panic() {
        let payload = e.into_panic();
        let text = payload
            .downcast_ref::<&str>()
            .map(|m| (*m).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        format!("panicked: {text}")
    } else {
        format!("stopped: {e}")
    };
    let mut r = ScenarioReport::new(
        &s.name.value,
        &s.path,
        s.source.clone(),
        target,
        Status::Internal,
    );
    r.notes.push(format!(
        "internal error: the harness {what}. This is a bug in cognito-drift, not in the target: please report it with the scenario file and the output of `cognito-drift --version`"
    ));
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_task_is_an_internal_error_not_a_target_fault() {
        let s = crate::scenario::load(
            std::path::Path::new("p.yaml"),
            "name: p\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: x }\n",
            crate::model::cognito(),
        )
        .unwrap();
        let e = tokio::spawn(async { panic!("boom at step 2") })
            .await
            .unwrap_err();
        let r = internal(&s, "moto", e);
        assert_eq!(r.status, Status::Internal);
        assert!(r.status.is_failure());
        assert_eq!(r.name, "p");
        assert!(
            r.notes[0].contains("panicked: boom at step 2"),
            "{:?}",
            r.notes
        );
        assert!(
            r.notes[0].contains("a bug in cognito-drift"),
            "{:?}",
            r.notes
        );
        assert_eq!(
            crate::exit::for_verdicts([Status::TargetFault, r.status], false),
            crate::exit::INTERNAL
        );
    }
}
