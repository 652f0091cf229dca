//! Drift detection end to end: the real binary runs committed scenarios against a real moto behind a
//! proxy that changes one behaviour. Each change must be reported as drift (exit 1) at its JSON path;
//! the unchanged proxy must pass, so a failure is the change's doing and not the proxy's.

mod common;

use std::process::Command;

use common::proxy::{self, Mutation, ShortCircuit};
use rstest::rstest;
use serde_json::{json, Value};

fn unchanged(_: &str, _: u16, _: &Value) -> Option<(u16, Value)> {
    None
}
fn forward_all(_: &str) -> Option<(u16, Value)> {
    None
}
fn other_message(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "SetUserMFAPreference" && status == 400).then(|| {
        let mut b = body.clone();
        b["message"] = json!("Invalid Access Token");
        (status, b)
    })
}
fn other_error_type(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "SetUserMFAPreference" && status == 400).then(|| {
        let mut b = body.clone();
        b["__type"] = json!("InvalidParameterException");
        (status, b)
    })
}
fn drop_mfa_list(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "GetUser" && status == 200).then(|| {
        let mut b = body.clone();
        b.as_object_mut().map(|o| o.remove("UserMFASettingList"));
        (status, b)
    })
}
fn sign_out_revokes_nothing(op: &str) -> Option<(u16, Value)> {
    (op == "GlobalSignOut").then(|| (200, json!({})))
}

#[rstest]
#[case::unchanged("garbage-token", unchanged, forward_all, 0, None)]
#[case::unchanged_with_fixtures("revoked-by-global-sign-out", unchanged, forward_all, 0, None)]
#[case::error_message(
    "garbage-token",
    other_message,
    forward_all,
    1,
    Some("$.steps[0].message")
)]
#[case::error_type(
    "garbage-token",
    other_error_type,
    forward_all,
    1,
    Some("$.steps[0].error")
)]
#[case::field_dropped_from_get_user(
    "sms-enabled-and-preferred",
    drop_mfa_list,
    forward_all,
    1,
    Some("$.steps[1].body.UserMFASettingList")
)]
#[case::token_valid_after_sign_out(
    "revoked-by-global-sign-out",
    unchanged,
    sign_out_revokes_nothing,
    1,
    Some("$.steps[2].status")
)]
fn changed_behaviour_is_drift(
    #[case] scenario: &str,
    #[case] mutate: Mutation,
    #[case] short: ShortCircuit,
    #[case] exit: i32,
    #[case] path: Option<&str>,
) {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let proxy = rt.block_on(proxy::start(moto.url.clone(), mutate, short));
    let file = common::root()
        .join("scenarios/set-user-mfa-preference")
        .join(format!("{scenario}.yaml"));
    let out = rt.block_on(async {
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_cognito-drift"))
                .current_dir(common::root())
                .args(["run", "--target", "moto", "--endpoint", &proxy.url])
                .arg(&file)
                .env("CI", "true")
                .env("NO_COLOR", "1")
                .output()
                .expect("binary runs")
        })
        .await
        .expect("join")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(exit),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    if let Some(path) = path {
        assert!(
            stdout.contains(path),
            "drift report should name {path}:\n{stdout}"
        );
        assert!(stdout.contains("drift in step"), "{stdout}");
    }
}
