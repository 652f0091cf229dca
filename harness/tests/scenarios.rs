//! The scenario suite against a managed moto: one test per scenario file, verified against the
//! committed snapshots and the contract (known divergences come from the ledger).

mod common;

use std::path::PathBuf;

use cognito_drift::report::details;
use rstest::rstest;

#[rstest]
fn scenario(#[files("../scenarios/**/*.yaml")] path: PathBuf) {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let report = rt.block_on(common::run_scenario(&path, &moto.url, &moto.version));
    assert!(
        !report.status.is_failure(),
        "{} on moto: {}\n{}",
        report.name,
        report.status.as_str(),
        details(&report, false)
    );
}
