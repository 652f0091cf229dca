//! Flake control: a drift or contract verdict is re-run on a fresh pool before it is reported, and a
//! verdict the re-runs do not reproduce is reported as flaky with what each run saw.

use crate::exchange::Client;
use crate::run::{execute_in, ExecContext, Slot};
use crate::scenario::ast::Scenario;
use crate::verdict::ledger::Divergence;
use crate::verdict::{
    flaky, needs_confirmation, signature, verify, ScenarioReport, SnapshotMode, VerifyOptions,
};

/// Executes and verifies `scenario`; a drift or contract verdict is re-run `confirm` times first.
/// Snapshots are written only for a confirmed (or unconfirmable) verdict, never for a flaky one.
pub async fn run_confirmed(
    scenario: &Scenario,
    client: &Client,
    exec: &ExecContext,
    opts: &VerifyOptions,
    ledger: &[Divergence],
    confirm: usize,
) -> ScenarioReport {
    run_confirmed_in(scenario, client, exec, opts, ledger, confirm, None).await
}

/// [`run_confirmed`] holding one of the run's places, given back during TOTP waits.
pub(crate) async fn run_confirmed_in(
    scenario: &Scenario,
    client: &Client,
    exec: &ExecContext,
    opts: &VerifyOptions,
    ledger: &[Divergence],
    confirm: usize,
    mut slot: Option<&mut Slot>,
) -> ScenarioReport {
    let first = execute_in(scenario, client, exec, slot.as_deref_mut()).await;
    if confirm == 0 {
        return verify(scenario, first, ledger, opts);
    }
    let quiet = VerifyOptions {
        mode: SnapshotMode::Verify {
            write_pending: false,
        },
        ..opts.clone()
    };
    let report = verify(scenario, first.clone(), ledger, &quiet);
    if !needs_confirmation(report.status) {
        return verify(scenario, first, ledger, opts);
    }
    let verdict = signature(&report);
    let mut reruns = Vec::new();
    for attempt in 1..=confirm {
        tracing::info!(
            attempt,
            status = report.status.as_str(),
            "re-running to confirm the verdict"
        );
        let ctx = ExecContext {
            run_id: format!("{}r{attempt}", exec.run_id),
            ..exec.clone()
        };
        let again = verify(
            scenario,
            execute_in(scenario, client, &ctx, slot.as_deref_mut()).await,
            ledger,
            &quiet,
        );
        reruns.push((again.status, signature(&again)));
    }
    if reruns.iter().all(|(_, s)| *s == verdict) {
        tracing::info!(status = report.status.as_str(), "verdict confirmed");
        return verify(scenario, first, ledger, opts);
    }
    tracing::warn!(scenario = %report.name, status = report.status.as_str(), "re-runs disagree: flaky");
    flaky(report, verdict, &reruns)
}
