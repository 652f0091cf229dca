//! A short live fuzz session against the shared managed moto: the summary adds up, valid payloads
//! succeed with the real token, no token reaches a class, and every found scenario loads and gets its
//! pending snapshot where the runner can record one.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use cognito_drift::fuzz::{
    self, Budget, Fixture, FoundOptions, LiveOptions, MutationKind, OutcomeKind, Side, Var,
};
use cognito_drift::model;
use cognito_drift::run::ExecContext;

fn ctx() -> ExecContext {
    ExecContext {
        run_id: "fuzz-test".into(),
        region: "us-east-1".into(),
        secret: uuid::Uuid::new_v4().simple().to_string(),
        pools: None,
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cognito-drift-fuzz-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn options(iterations: u64, latency_bound: Duration) -> LiveOptions {
    LiveOptions {
        operation: "SetUserMFAPreference".into(),
        seed: 1,
        budget: Budget::Iterations(iterations),
        rate: None,
        latency_bound,
        shrink_budget: 60,
    }
}

#[test]
fn two_hundred_payloads_against_moto() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let client = common::client(&moto.url);
        let fixture = Fixture::create(&client, &ctx()).await.expect("fixture");
        let token = fixture.value(Var::AccessToken);
        assert!(token.starts_with("eyJ"), "the fixture user is signed in");
        let side = Side {
            client: &client,
            fixture: &fixture,
        };
        let mut progress_calls = 0;
        let summary = fuzz::fuzz(
            model::cognito(),
            side,
            None,
            &options(200, Duration::from_secs(10)),
            &mut |_| progress_calls += 1,
        )
        .await
        .expect("known operation");

        assert_eq!(summary.iterations, 200);
        assert_eq!(progress_calls, 200);
        let counted: u64 = summary.classes.values().map(|c| c.count).sum();
        assert_eq!(counted, 200, "every payload lands in one class");
        let kinds: BTreeSet<MutationKind> = summary.kinds.keys().copied().collect();
        assert_eq!(kinds, MutationKind::ALL.into_iter().collect());
        assert!(summary.requests >= 200);
        let success = summary
            .classes
            .keys()
            .find(|c| c.kind == OutcomeKind::Success)
            .expect("valid payloads with the real token succeed");
        assert_eq!(success.template, "{}");
        assert!(summary
            .classes
            .keys()
            .any(|c| c.error.as_deref() == Some("NotAuthorizedException")));
        for class in summary.classes.keys() {
            assert!(!class.to_string().contains(&token), "{class}");
        }

        let found_dir = scratch("found");
        let snapshots = scratch("snapshots");
        let opts = FoundOptions {
            found_dir: found_dir.clone(),
            snapshot_dir: snapshots.clone(),
            target: "moto".into(),
            target_version: moto.version.clone(),
            target_lock: None,
            seed: 1,
            today: "2026-11-27".into(),
        };
        for found in &summary.found {
            assert!(found.payload.len() <= found.original_len);
            let w = fuzz::write_found(found, &opts, &client, &ctx())
                .await
                .unwrap();
            let text = std::fs::read_to_string(&w.scenario).unwrap();
            assert!(!text.contains(&token));
            cognito_drift::scenario::load_file(&w.scenario, model::cognito())
                .unwrap_or_else(|d| panic!("{} does not load: {d:?}", w.scenario.display()));
            assert!(w.pending_snapshot.is_some() || w.note.is_some());
        }
        fixture.delete(&client).await.unwrap();
        let _ = std::fs::remove_dir_all(&found_dir);
        let _ = std::fs::remove_dir_all(&snapshots);
    });
}

/// With a zero latency bound every answer fails the response-time oracle, so a failure is found
/// whose replay is not a target fault: its scenario gets a pending snapshot from the normal runner.
#[test]
fn found_failure_gets_a_pending_snapshot() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let client = common::client(&moto.url);
        let fixture = Fixture::create(&client, &ctx()).await.expect("fixture");
        let side = Side {
            client: &client,
            fixture: &fixture,
        };
        let mut opts = options(3, Duration::ZERO);
        opts.shrink_budget = 20;
        let summary = fuzz::fuzz(model::cognito(), side, None, &opts, &mut |_| {})
            .await
            .unwrap();
        let found = summary
            .found
            .iter()
            .find(|f| f.class.kind != OutcomeKind::Fault)
            .expect("a slow answer that is not a fault");
        let found_dir = scratch("found-snap");
        let snapshots = scratch("snapshots-snap");
        let opts = FoundOptions {
            found_dir: found_dir.clone(),
            snapshot_dir: snapshots.clone(),
            target: "moto".into(),
            target_version: moto.version.clone(),
            target_lock: None,
            seed: 1,
            today: "2026-11-27".into(),
        };
        let w = fuzz::write_found(found, &opts, &client, &ctx())
            .await
            .unwrap();
        let pending = w.pending_snapshot.expect("a pending snapshot");
        assert!(pending.starts_with(snapshots.join("moto")));
        assert!(pending.to_string_lossy().ends_with(".snap.new"));
        let snap = std::fs::read_to_string(&pending).unwrap();
        assert!(snap.contains("\"step\": \"fuzz payload\""), "{snap}");
        assert!(!snap.contains(&fixture.value(Var::AccessToken)));
        cognito_drift::scenario::load_file(&w.scenario, model::cognito()).unwrap();
        fixture.delete(&client).await.unwrap();
        let _ = std::fs::remove_dir_all(&found_dir);
        let _ = std::fs::remove_dir_all(&snapshots);
    });
}
