//! Misbehaving targets: the real binary against a server that refuses, resets, hangs, drips, or answers
//! outside the protocol. Each must end as a target fault (exit 3) that names what went wrong, within a
//! small multiple of `--timeout`, without a panic, with the body cap respected; and a fault in one
//! scenario must not stop the others from running and being reported.
#![allow(clippy::unwrap_used)]

#[path = "common/binary.rs"]
mod binary;
mod common;
#[path = "common/faulty.rs"]
mod faulty;
#[path = "common/relay.rs"]
mod relay;

use std::time::Duration;

use faulty::Misbehaviour;
use rstest::rstest;

/// `--timeout` in these tests.
const TIMEOUT_SECS: u64 = 2;
/// `--max-body` in these tests.
const MAX_BODY: &str = "1048576";
/// A scenario without users: its first request (CreateUserPool) meets the fault.
const SCENARIO: &str = "scenarios/set-user-mfa-preference/garbage-token.yaml";

fn run_against(url: &str) -> binary::Ran {
    let snapshots = binary::temp_dir("faulty-snap");
    let ran = binary::run(
        &common::root(),
        &[
            "run",
            "--target",
            "moto",
            "--endpoint",
            url,
            "--timeout",
            &TIMEOUT_SECS.to_string(),
            "--max-body",
            MAX_BODY,
            "--snapshots",
            snapshots.to_str().unwrap(),
            SCENARIO,
        ],
        &[],
    );
    let written = std::fs::read_dir(&snapshots).unwrap().count();
    std::fs::remove_dir_all(&snapshots).unwrap();
    assert_eq!(written, 0, "a faulty run wrote snapshot files");
    ran
}

fn assert_fault(ran: &binary::Ran, kind: &str, bound: Duration) {
    let all = ran.all();
    assert_eq!(ran.code, Some(3), "target fault must exit 3:\n{all}");
    assert!(!all.contains("panicked"), "the harness panicked:\n{all}");
    assert!(
        ran.stdout
            .contains("target fault during `setup: CreateUserPool`"),
        "no target fault message:\n{all}"
    );
    assert!(
        ran.stdout.contains(kind),
        "the message should say `{kind}`:\n{all}"
    );
    assert!(
        ran.stderr.contains("FAULT"),
        "no FAULT progress line:\n{all}"
    );
    assert!(
        ran.stdout
            .contains("1 scenarios on moto: 0 passed, 1 target fault"),
        "summary:\n{all}"
    );
    assert!(
        ran.elapsed < bound,
        "took {:?} (bound {bound:?}):\n{all}",
        ran.elapsed
    );
}

/// Well past `--timeout` (connect + request) but far from a hang.
fn timeout_bound() -> Duration {
    Duration::from_secs(TIMEOUT_SECS * 4 + 5)
}

#[test]
fn refused_connection_is_a_target_fault() {
    let url = faulty::refused_url();
    let ran = run_against(&url);
    // Ports are volatile, so reports show loopback ports as `<port>`.
    let shown = url.rsplit_once(':').map(|(host, _)| host).unwrap_or(&url);
    assert_fault(
        &ran,
        &format!("connection refused by `{shown}:<port>/`"),
        timeout_bound(),
    );
}

#[rstest]
#[case::reset_mid_response(Misbehaviour::ResetMidResponse, "failed: connection reset")]
#[case::never_answers(Misbehaviour::Silent, "no complete answer from `")]
#[case::drips_one_byte_per_second(Misbehaviour::Drip, "no complete answer from `")]
#[case::html_500(
    Misbehaviour::Html500,
    "status 500 with a non-json body, content-type `text/html; charset=utf-8`: `<html><head><title>500 Internal Server Error"
)]
#[case::non_json_200(
    Misbehaviour::NotJson200,
    "status 200 with a non-json body, content-type `application/x-amz-json-1.1`: `OK, done`"
)]
#[case::hundred_mb_body(
    Misbehaviour::Huge,
    "response body larger than 1048576 bytes (--max-body)"
)]
#[case::hundred_mb_chunked_body(
    Misbehaviour::HugeChunked,
    "response body larger than 1048576 bytes (--max-body)"
)]
#[case::invalid_utf8(
    Misbehaviour::InvalidUtf8,
    "status 200 with a non-json body (invalid utf-8)"
)]
#[case::wrong_content_type(
    Misbehaviour::WrongContentType,
    "status 200 with content-type `text/html`, not json (expected `application/x-amz-json-1.1`)"
)]
fn misbehaving_target_is_a_target_fault(#[case] m: Misbehaviour, #[case] kind: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = rt.block_on(faulty::start(m));
    let ran = rt.block_on(async {
        let url = url.clone();
        tokio::task::spawn_blocking(move || run_against(&url))
            .await
            .unwrap()
    });
    assert_fault(&ran, kind, timeout_bound());
    if matches!(m, Misbehaviour::Huge | Misbehaviour::HugeChunked) {
        // 100 MB at loopback speed would still be quick; the cap must stop reading far sooner.
        assert!(
            ran.elapsed < Duration::from_secs(TIMEOUT_SECS),
            "{}",
            ran.all()
        );
    }
}

/// The whole committed suite through a proxy to the shared moto that misbehaves only for the
/// `garbage-token` scenario's request: that scenario is a fault, every other one still passes.
#[rstest]
#[case::silent(Misbehaviour::Silent, "no complete answer from `")]
#[case::reset(Misbehaviour::ResetMidResponse, "connection reset")]
fn a_fault_in_one_scenario_leaves_the_others_running(#[case] m: Misbehaviour, #[case] kind: &str) {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let rules = relay::Rules {
        fault: Some(Box::new(move |_op: &str, body: &[u8]| {
            let text = String::from_utf8_lossy(body);
            text.contains("THIS_IS_NOT_VALID_TOKEN").then_some(m)
        })),
        rewrite: None,
    };
    let proxy = rt.block_on(relay::start(moto.url.clone(), rules));
    let ran = rt.block_on(async {
        let url = proxy.url.clone();
        tokio::task::spawn_blocking(move || {
            binary::run(
                &common::root(),
                &[
                    "run",
                    "--target",
                    "moto",
                    "--endpoint",
                    &url,
                    "--timeout",
                    "5",
                    "scenarios",
                ],
                &[],
            )
        })
        .await
        .unwrap()
    });
    let all = ran.all();
    assert_eq!(ran.code, Some(3), "{all}");
    assert!(
        ran.stdout.contains("target fault during `garbage token`"),
        "{all}"
    );
    assert!(ran.stdout.contains(kind), "{all}");
    let scenarios = yaml_files(&common::root().join("scenarios"));
    assert!(
        ran.stdout.contains(&format!(
            "{scenarios} scenarios on moto: {} passed, 1 target fault",
            scenarios - 1
        )),
        "{all}"
    );
    let fault_lines = ran.stderr.lines().filter(|l| l.contains("FAULT")).count();
    let pass_lines = ran.stderr.lines().filter(|l| l.contains("PASS")).count();
    assert_eq!((fault_lines, pass_lines), (1, scenarios - 1), "{all}");
}

/// A target that answers differently only the first time: with `--confirm` the drift is re-run on a
/// fresh pool, the re-run disagrees, and the scenario is reported `flaky` (exit 0) with what changed;
/// without re-runs it is drift (exit 1); a change every time stays drift however often it is re-run.
#[rstest]
#[case::first_answer_only_is_flaky(true, "1", Some(0), 2)]
#[case::no_confirmation_is_drift(true, "0", Some(1), 1)]
#[case::consistent_change_is_confirmed_drift(false, "2", Some(1), 3)]
fn confirm_reruns_separate_flakes_from_drift(
    #[case] first_only: bool,
    #[case] confirm: &str,
    #[case] exit: Option<i32>,
    #[case] calls: usize,
) {
    use std::sync::atomic::{AtomicBool, Ordering};

    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let changed = AtomicBool::new(false);
    let rules = relay::Rules {
        fault: None,
        rewrite: Some(Box::new(
            move |op: &str, status: u16, body: &mut serde_json::Value| {
                let due = op == "SetUserMFAPreference" && status == 400;
                if due && !(first_only && changed.swap(true, Ordering::SeqCst)) {
                    body["message"] = serde_json::json!("Something else entirely");
                    return true;
                }
                false
            },
        )),
    };
    let proxy = rt.block_on(relay::start(moto.url.clone(), rules));
    let ran = rt.block_on(async {
        let url = proxy.url.clone();
        let confirm = confirm.to_owned();
        tokio::task::spawn_blocking(move || {
            binary::run(
                &common::root(),
                &["run", "--endpoint", &url, "--confirm", &confirm, SCENARIO],
                &[],
            )
        })
        .await
        .unwrap()
    });
    let all = ran.all();
    assert_eq!(ran.code, exit, "{all}");
    let sent = proxy
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.operation == "SetUserMFAPreference")
        .count();
    assert_eq!(sent, calls, "runs of the scenario:\n{all}");
    if exit == Some(0) {
        assert!(ran.stderr.contains("FLAKY"), "{all}");
        assert!(
            ran.stdout
                .contains("1 scenarios on moto: 0 passed, 1 flaky"),
            "{all}"
        );
        assert!(
            ran.stdout.contains(
                "note: flaky: the first run said drift, 1 re-run on fresh pools did not agree"
            ),
            "{all}"
        );
        assert!(
            ran.stdout.contains(
                "changed $.steps[0].message: snapshot \"THIS_IS_NOT_VALID_TOKEN\", actual \"Something else entirely\""
            ),
            "{all}"
        );
        assert!(ran.stdout.contains("note: re-run 1: pass"), "{all}");
    } else {
        assert!(
            ran.stdout.contains("drift in step `garbage token`"),
            "{all}"
        );
        assert!(!all.contains("flaky"), "{all}");
    }
}

/// Scenario files under `dir`, at any depth.
fn yaml_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.is_dir() {
                yaml_files(&p)
            } else {
                usize::from(p.extension().is_some_and(|x| x == "yaml"))
            }
        })
        .sum()
}
