//! Scenarios are independent of each other: the suite gives the same verdicts and the same
//! normalised observations whether it runs one scenario at a time or eight at once.

mod common;

use std::sync::Arc;

use cognito_drift::engine::RunConfig;
use cognito_drift::run::ExecContext;
use cognito_drift::verdict::{ScenarioReport, SnapshotMode, VerifyOptions};

async fn suite(url: &str, version: &str, jobs: usize, run_id: &str) -> Vec<ScenarioReport> {
    let root = common::root();
    let files =
        cognito_drift::scenario::discover(&[root.join("scenarios")]).expect("scenario files");
    let (scenarios, failed) = cognito_drift::engine::load_all(&files, "moto");
    assert!(failed.is_empty(), "every scenario loads");
    let ledger =
        cognito_drift::verdict::ledger::load(&root.join("snapshots"), "moto").expect("ledger");
    let exec = ExecContext {
        run_id: run_id.into(),
        region: "us-east-1".into(),
        secret: uuid::Uuid::new_v4().simple().to_string(),
    };
    let verify = VerifyOptions::new(
        root.join("snapshots"),
        "moto",
        version,
        None,
        "2026-11-27".into(),
        SnapshotMode::Verify {
            write_pending: false,
        },
    );
    let config = RunConfig {
        exec,
        verify,
        ledger: Arc::new(ledger),
        jobs,
        // No confirmation re-runs: the verdicts of one pass are compared as they are.
        confirm: 0,
    };
    let client = Arc::new(common::client(url));
    cognito_drift::engine::run_all(scenarios, &[client], &config, &|_| {}).await
}

#[test]
fn jobs_1_and_jobs_8_give_the_same_verdicts() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    // Both runs at once against the one shared moto: the scenario that waits for a fresh TOTP
    // time step then waits once, and the runs get in each other's way on purpose.
    let (one, eight) = rt.block_on(async {
        tokio::join!(
            suite(&moto.url, &moto.version, 1, "jobs1"),
            suite(&moto.url, &moto.version, 8, "jobs8"),
        )
    });
    common::assert_same_verdicts(&one, &eight, "--jobs 1", "--jobs 8");
}
