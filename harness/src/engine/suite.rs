//! Running a set of scenarios against one target, several at a time and spread over the target's
//! instances: each is executed, judged, and confirmed by re-runs when its verdict claims the target
//! changed. Scenarios that must wait for fresh TOTP time steps start first, so their waits (during
//! which they give their place back) overlap the rest of the suite. Scenarios that may share a pool
//! do (one per instance and pool fixture, deleted when all are done) unless the run is isolated.

use std::sync::Arc;

use tokio::sync::{oneshot, Semaphore};
use tokio::task::JoinHandle;
use tracing::Instrument;

use super::config::RunConfig;
use super::confirm::run_confirmed_in;
use super::instances::Instances;
use super::load::applies_to;
use crate::exchange::Client;
use crate::observation::FaultKind;
use crate::run::{totp_waits, SharedPools, Slot};
use crate::scenario::ast::Scenario;
use crate::verdict::{ScenarioReport, Status};

/// Runs every scenario (at most `jobs` at once, each wholly on one of `clients`, the target's
/// instances: the least loaded when it starts) and returns reports in scenario order; `on_done` sees
/// each report in that order too, so output is deterministic whatever the concurrency. A drift or
/// contract verdict is re-run `confirm` times on a fresh pool before it is reported (0: never).
pub async fn run_all(
    scenarios: Vec<Scenario>,
    clients: &[Arc<Client>],
    config: &RunConfig,
    on_done: &(dyn Fn(&ScenarioReport) + Sync),
) -> Vec<ScenarioReport> {
    let mut config = config.clone();
    let pools = config.share.then(|| Arc::new(SharedPools::new()));
    config.exec.pools = pools.clone().or(config.exec.pools);
    let scenarios: Vec<Arc<Scenario>> = scenarios.into_iter().map(Arc::new).collect();
    let (senders, receivers): (Vec<_>, Vec<_>) =
        scenarios.iter().map(|_| oneshot::channel()).unzip();
    let scheduler = schedule(
        scenarios.clone(),
        senders,
        Arc::new(Instances::new(clients)),
        config.clone(),
    );
    // The scheduler starts scenarios as places free up; reports are collected meanwhile, in order.
    let scheduler = tokio::spawn(scheduler);
    let target = &config.verify.target;
    let mut reports = Vec::new();
    for (s, rx) in scenarios.iter().zip(receivers) {
        let report = match rx.await {
            Ok(handle) => match handle.await {
                Ok(r) => r,
                Err(e) => internal(s, target, &join_error_text(e)),
            },
            Err(_) => internal(s, target, "stopped before starting this scenario"),
        };
        on_done(&report);
        reports.push(report);
    }
    let _ = scheduler.await;
    if let Some(pools) = pools {
        for client in clients {
            for warning in pools.delete_on(client).await {
                tracing::warn!("{warning}");
            }
        }
        tracing::debug!(shared_pools = pools.made(), "shared pools deleted");
    }
    reports
}

/// Starts the scenarios in [`start_order`], each once a place (of `jobs`) is free, on the least
/// loaded instance, and hands each one's task to its receiver.
async fn schedule(
    scenarios: Vec<Arc<Scenario>>,
    senders: Vec<oneshot::Sender<JoinHandle<ScenarioReport>>>,
    instances: Arc<Instances>,
    config: RunConfig,
) {
    let semaphore = Arc::new(Semaphore::new(config.jobs.max(1)));
    let mut senders: Vec<_> = senders.into_iter().map(Some).collect();
    for i in start_order(&scenarios) {
        let s = scenarios[i].clone();
        let Some(sender) = senders[i].take() else {
            continue;
        };
        let span = tracing::info_span!("scenario", name = %s.name.value);
        let target = config.verify.target.clone();
        if !applies_to(&s, &target) {
            let _ = sender.send(tokio::spawn(
                async move {
                    tracing::debug!("skipped: `targets:` excludes this target");
                    skipped(&s, &target)
                }
                .instrument(span),
            ));
            continue;
        }
        let mut slot = Slot::take(semaphore.clone()).await;
        let Some(lease) = instances.lease() else {
            let _ = sender.send(tokio::spawn(async move {
                internal(&s, &target, "was given no instance of the target")
            }));
            continue;
        };
        let config = config.clone();
        let task = async move {
            tracing::debug!(instance = lease.index, "started");
            let c = &config;
            let mut report = run_confirmed_in(
                &s,
                lease.client(),
                &c.exec,
                &c.verify,
                &c.ledger,
                c.confirm,
                Some(&mut slot),
            )
            .await;
            report.instance = lease.index;
            log_outcome(&report);
            report
        };
        let _ = sender.send(tokio::spawn(task.instrument(span)));
    }
}

/// The order scenarios start in: those that wait for fresh TOTP time steps first (most waits first),
/// then the rest, each group in scenario order.
fn start_order(scenarios: &[Arc<Scenario>]) -> Vec<usize> {
    let mut order: Vec<(usize, usize)> = scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| (i, totp_waits(s)))
        .collect();
    order.sort_by_key(|&(i, waits)| (std::cmp::Reverse(waits), i));
    order.into_iter().map(|(i, _)| i).collect()
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

/// What happened to a scenario's task that did not hand back a report.
fn join_error_text(e: tokio::task::JoinError) -> String {
    if e.is_panic() {
        let payload = e.into_panic();
        let text = payload
            .downcast_ref::<&str>()
            .map(|m| (*m).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        format!("panicked: {text}")
    } else {
        format!("stopped: {e}")
    }
}

/// A scenario whose task panicked (`what` the harness did): the harness's bug, reported as such,
/// never as the target's fault.
fn internal(s: &Scenario, target: &str, what: &str) -> ScenarioReport {
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
        let r = internal(&s, "moto", &join_error_text(e));
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
