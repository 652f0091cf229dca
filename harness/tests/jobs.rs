//! Scenarios are independent of each other: the suite gives the same verdicts and the same
//! normalised observations whether it runs one scenario at a time or eight at once.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use cognito_drift::engine::RunConfig;
use cognito_drift::run::ExecContext;
use cognito_drift::verdict::{ScenarioReport, SnapshotMode, VerifyOptions};
use serde_json::Value;

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

/// Per scenario: its status and its normalised observations (the snapshot body).
fn verdicts(reports: &[ScenarioReport]) -> BTreeMap<String, (String, Value)> {
    reports
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                (
                    r.status.as_str().to_owned(),
                    cognito_drift::verdict::snapshot_body(&r.steps),
                ),
            )
        })
        .collect()
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
    let (one, eight) = (verdicts(&one), verdicts(&eight));
    assert!(one.len() >= 10, "the whole suite ran: {}", one.len());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        eight.keys().collect::<Vec<_>>()
    );
    for (name, (status, body)) in &one {
        let (status8, body8) = &eight[name];
        assert_eq!(status, status8, "{name}: status with --jobs 1 vs --jobs 8");
        assert_eq!(
            body, body8,
            "{name}: observations with --jobs 1 vs --jobs 8"
        );
        assert_eq!(status, "pass", "{name} passes against its snapshot");
    }
}
