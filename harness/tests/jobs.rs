//! Scenarios are independent of each other: the suite gives the same verdicts and the same
//! normalised observations whether it runs one scenario at a time or eight at once.

mod common;

use std::sync::Arc;

use common::SuiteRun;

#[test]
fn jobs_1_and_jobs_8_give_the_same_verdicts() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let client = [Arc::new(common::client(&moto.url))];
    // Both runs at once against the one shared moto: the scenario that waits for a fresh TOTP
    // time step then waits once, and the runs get in each other's way on purpose.
    let (one, eight) = rt.block_on(async {
        tokio::join!(
            common::suite(
                &client,
                &moto.version,
                SuiteRun {
                    run_id: "jobs1",
                    jobs: 1,
                    share: true
                }
            ),
            common::suite(
                &client,
                &moto.version,
                SuiteRun {
                    run_id: "jobs8",
                    jobs: 8,
                    share: true
                }
            ),
        )
    });
    common::assert_same_verdicts(&one, &eight, "--jobs 1", "--jobs 8");
}
