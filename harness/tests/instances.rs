//! Several instances of one target: the suite spread over two moto processes gives the same verdicts
//! and the same normalised observations as on one, both processes serve scenarios, and the
//! scenarios that wait for a fresh TOTP time step report their wait.

mod common;

use std::sync::Arc;

use cognito_drift::emulator::{ManagedTarget, TargetKind};
use common::SuiteRun;

fn run(run_id: &str) -> SuiteRun<'_> {
    SuiteRun {
        run_id,
        jobs: 4,
        share: true,
    }
}

#[test]
fn two_instances_give_the_verdicts_of_one_and_both_serve() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut opts = common::managed_options(TargetKind::Moto);
    opts.log_file = Some(std::env::temp_dir().join(format!(
        "cognito-drift-test-moto-2-{}.log",
        std::process::id()
    )));
    let second = rt
        .block_on(ManagedTarget::start(TargetKind::Moto, &opts))
        .expect("a second moto starts");
    let first = Arc::new(common::client(&moto.url));
    let two = [
        first.clone(),
        Arc::new(common::client(second.endpoint_url())),
    ];
    // Both runs at once: the one-instance run shares the first moto with the two-instance run.
    let (one, spread) = rt.block_on(async {
        tokio::join!(
            common::suite(std::slice::from_ref(&first), &moto.version, run("inst1")),
            common::suite(&two, &moto.version, run("inst2")),
        )
    });
    drop(second);

    let served = |i: usize| spread.iter().filter(|r| r.instance == i).count();
    assert!(
        served(0) > 0 && served(1) > 0,
        "both instances served: {} + {}",
        served(0),
        served(1)
    );
    assert!(one.iter().all(|r| r.instance == 0));
    let waited: Vec<&str> = spread
        .iter()
        .filter(|r| !r.totp_wait.is_zero())
        .map(|r| r.name.as_str())
        .collect();
    assert!(
        waited.contains(&"token-totp-challenge-codes"),
        "the scenario that reuses a TOTP step reports its wait: {waited:?}"
    );
    let timing = cognito_drift::report::terminal::timing(&spread).unwrap_or_default();
    assert!(
        timing.starts_with("ran on 2 instances: ") && timing.contains("for fresh TOTP time steps"),
        "{timing}"
    );

    common::assert_same_verdicts(&one, &spread, "1 instance", "2 instances");
}
