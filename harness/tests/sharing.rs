//! Shared pools change no verdict and no observation: the whole suite on moto with sharing on and
//! with `--isolate` gives the same verdicts and the same normalised observations, scenario by
//! scenario; the scenarios the model lets share did share, and the others did not.

mod common;

use std::sync::Arc;

use common::SuiteRun;

#[test]
fn the_suite_with_shared_pools_gives_the_verdicts_and_observations_of_isolated_pools() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let client = [Arc::new(common::client(&moto.url))];
    let run = |run_id, share| SuiteRun {
        run_id,
        jobs: 4,
        share,
    };
    let (shared, isolated) = rt.block_on(async {
        tokio::join!(
            common::suite(&client, &moto.version, run("shared", true)),
            common::suite(&client, &moto.version, run("isolated", false)),
        )
    });

    // Which scenarios may share is the model's call (`plan::shared_pool_key`); each shared exactly
    // when it may, and enough of the suite may for sharing to matter.
    let files = cognito_drift::scenario::discover(&[common::root().join("scenarios")])
        .expect("scenario files");
    let (scenarios, _) = cognito_drift::engine::load_all(&files, "moto");
    let may_share: Vec<&str> = scenarios
        .iter()
        .filter(|s| cognito_drift::engine::applies_to(s, "moto"))
        .filter(|s| {
            cognito_drift::plan::shared_pool_key(s, cognito_drift::model::cognito()).is_ok()
        })
        .map(|s| s.name.value.as_str())
        .collect();
    let did_share: Vec<&str> = shared
        .iter()
        .filter(|r| r.shared_pool)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(did_share, may_share, "the scenarios that may share did");
    assert!(
        may_share.len() * 2 > scenarios.len(),
        "most of the suite shares: {} of {}",
        may_share.len(),
        scenarios.len()
    );
    assert!(
        isolated.iter().all(|r| !r.shared_pool),
        "--isolate shares nothing"
    );
    let timing = cognito_drift::report::terminal::timing(&shared).unwrap_or_default();
    assert!(timing.contains(" scenarios in shared pools"), "{timing}");

    common::assert_same_verdicts(&shared, &isolated, "shared pools", "--isolate");
}
