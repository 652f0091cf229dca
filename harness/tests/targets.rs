//! Every managed target's lifecycle against the real emulator: install (when missing), start, ready,
//! a Cognito round trip, reset, loopback-only listening, stop, and death with the harness.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::time::Instant;

use cognito_drift::emulator::{ManagedTarget, TargetKind};
use cognito_drift::exchange::{interpret, Interpreted, WireRequest};
use common::lifecycle::{port_is_closed, port_of, process_gone};
use rstest::rstest;
use serde_json::{json, Value};

async fn start(kind: TargetKind) -> ManagedTarget {
    let started = Instant::now();
    let server = ManagedTarget::start(kind, &common::managed_options(kind))
        .await
        .unwrap_or_else(|e| panic!("{kind} starts: {e}"));
    eprintln!(
        "{kind} {} ready at {} after {:?} (start call {:?})",
        server.version(),
        server.endpoint_url(),
        server.ready_after(),
        started.elapsed()
    );
    server
}

async fn call(url: &str, op: &str, body: Value) -> Value {
    let resp = common::client(url)
        .send(&WireRequest::json(op, &body, true))
        .await
        .unwrap();
    match interpret(&resp) {
        Interpreted::Success(v) => v,
        other => panic!("{op} failed: {} {other:?}", resp.status),
    }
}

async fn pool_ids(url: &str) -> Vec<String> {
    let listed = call(url, "ListUserPools", json!({"MaxResults": 60})).await;
    listed["UserPools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Id"].as_str().unwrap().to_owned())
        .collect()
}

#[rstest]
#[case::moto(TargetKind::Moto)]
#[case::cognito_local(TargetKind::CognitoLocal)]
#[case::ministack(TargetKind::Ministack)]
#[tokio::test]
async fn lifecycle(#[case] kind: TargetKind) {
    let mut server = start(kind).await;
    assert_eq!(server.kind(), kind);
    assert_eq!(server.version(), kind.pinned_version());
    assert!(server.endpoint_url().starts_with("http://127.0.0.1:"));
    assert_eq!(
        listening_addresses(server.pid()),
        [port_of(server.endpoint_url())]
    );

    let created = call(
        server.endpoint_url(),
        "CreateUserPool",
        json!({"PoolName": "lifecycle"}),
    )
    .await;
    let id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    assert_eq!(pool_ids(server.endpoint_url()).await, [id]);

    let started = Instant::now();
    server.reset().await.unwrap();
    eprintln!("{kind} reset took {:?}", started.elapsed());
    assert_eq!(pool_ids(server.endpoint_url()).await, Vec::<String>::new());

    let (port, pid) = (port_of(server.endpoint_url()), server.pid());
    let started = Instant::now();
    drop(server);
    eprintln!("{kind} stop took {:?}", started.elapsed());
    assert!(port_is_closed(port));
    assert!(process_gone(pid));
}

/// If the harness is killed outright (no Drop, no unwind), `PR_SET_PDEATHSIG` still takes the server down.
#[rstest]
#[case::cognito_local(TargetKind::CognitoLocal, "hard_death::case_1_cognito_local")]
#[case::ministack(TargetKind::Ministack, "hard_death::case_2_ministack")]
fn hard_death(#[case] kind: TargetKind, #[case] test_name: &str) {
    common::lifecycle::hard_death_kills_the_server(test_name, || start(kind));
}

/// The ports on which `pid` has a listening TCP socket, after checking that every one of them is bound
/// to 127.0.0.1 (from `/proc`, as `ss -ltnp` shows them).
fn listening_addresses(pid: u32) -> Vec<u16> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter_map(|l| {
            let l = l.to_string_lossy().into_owned();
            Some(l.strip_prefix("socket:[")?.strip_suffix(']')?.to_owned())
        })
        .collect();
    let mut ports = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let (local, state, inode) = (cols[1], cols[3], cols[9]);
            if state != "0A" || !inodes.iter().any(|i| i == inode) {
                continue;
            }
            let (addr, port) = local.split_once(':').unwrap();
            assert_eq!(
                addr, "0100007F",
                "{pid} listens on a non-loopback address: {line}"
            );
            ports.push(u16::from_str_radix(port, 16).unwrap());
        }
    }
    ports.sort_unstable();
    ports
}

const UNSUPPORTED_SCENARIO: &str = r#"
name: unsupported-operation
description: An operation neither cognito-local nor ministack implements.
fixtures:
  users:
    alice: {}
steps:
  - name: read log delivery
    call: GetLogDeliveryConfiguration
    input:
      UserPoolId: ${pool.id}
"#;

/// An emulator's "not implemented" answer ends the scenario as unsupported, which is not a failure.
#[rstest]
#[case::cognito_local(TargetKind::CognitoLocal)]
#[case::ministack(TargetKind::Ministack)]
fn unsupported_operation_is_reported_as_unsupported(#[case] kind: TargetKind) {
    use cognito_drift::observation::FaultKind;
    use cognito_drift::run::{self, ExecContext};
    use cognito_drift::verdict::{SnapshotMode, Status, VerifyOptions};
    let server = common::shared(kind);
    let path = std::path::Path::new("unsupported-operation.yaml");
    let scenario =
        cognito_drift::scenario::load(path, UNSUPPORTED_SCENARIO, cognito_drift::model::cognito())
            .unwrap_or_else(|d| panic!("{d:?}"));
    let exec = ExecContext {
        run_id: "unsup".into(),
        region: "us-east-1".into(),
        secret: "s3cret-seed".into(),
        pools: None,
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let execution = rt.block_on(run::execute(&scenario, &common::client(&server.url), &exec));
    let fault = execution.fault.clone().expect("the step is refused");
    assert_eq!(fault.kind, FaultKind::Unsupported, "{fault:?}");
    assert_eq!(fault.during, "read log delivery");
    assert!(
        fault.message.contains("GetLogDeliveryConfiguration"),
        "{}",
        fault.message
    );
    let opts = VerifyOptions::new(
        std::env::temp_dir().join("cognito-drift-no-snapshots"),
        kind.name(),
        &server.version,
        None,
        "2026-11-27".into(),
        SnapshotMode::Verify {
            write_pending: false,
        },
    );
    let report = cognito_drift::verdict::verify(&scenario, execution, &[], &opts);
    assert_eq!(report.status, Status::Unsupported);
    assert!(!report.status.is_failure());
    let line = cognito_drift::report::terminal::line(&report, false);
    assert!(
        line.contains("UNSUP") && line.contains("not supported"),
        "{line}"
    );
}
