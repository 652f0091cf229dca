//! The scenario suite against every managed target: one test per scenario file and target (so
//! `cargo test --test scenarios cognito_local` selects one target), verified against the committed
//! snapshots and the contract (known divergences come from each target's ledger). A scenario whose
//! `targets:` excludes a target passes without running there.

mod common;

use std::path::PathBuf;

use cognito_drift::emulator::TargetKind;
use cognito_drift::report::details;
use rstest::rstest;

#[rstest]
#[case::moto(TargetKind::Moto)]
#[case::cognito_local(TargetKind::CognitoLocal)]
#[case::ministack(TargetKind::Ministack)]
fn scenario(#[files("../scenarios/**/*.yaml")] path: PathBuf, #[case] kind: TargetKind) {
    let server = common::shared(kind);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(report) = rt.block_on(common::run_scenario_on(
        &path,
        kind.name(),
        &server.url,
        &server.version,
    )) else {
        return;
    };
    assert!(
        !report.status.is_failure(),
        "{} on {kind}: {}\n{}",
        report.name,
        report.status.as_str(),
        details(&report, false)
    );
}
