//! Drift detection end to end: the real binary runs committed scenarios against a real moto behind a
//! proxy that changes one behaviour. Each change a client would notice must be reported as drift (exit 1)
//! at its JSON path; a change no client can notice (a protocol-equivalent wire form) must pass with a
//! note; the unchanged proxy must pass, so a failure is the change's doing and not the proxy's.

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
/// A timestamp sent as an ISO-8601 string where awsJson1.1 sends epoch seconds as a number (M12).
fn date_as_string(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "AdminGetUser" && status == 200).then(|| {
        let mut b = body.clone();
        b["UserCreateDate"] = json!("2026-12-02T10:15:40.402Z");
        (status, b)
    })
}
/// The TOTP secret in another alphabet (upper case where moto sends lower case): an authenticator app
/// that wants RFC 4648 base32 (M13) sees the difference, so must the snapshot.
fn secret_in_other_alphabet(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "AssociateSoftwareToken" && status == 200).then(|| {
        let mut b = body.clone();
        let secret = b["SecretCode"].as_str().unwrap_or_default().to_uppercase();
        b["SecretCode"] = json!(secret);
        (status, b)
    })
}
/// The error type with a Smithy namespace, in the body and (by the proxy) the header: valid awsJson1.1
/// that every client strips (P1), so not drift.
fn namespaced_error_type(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "SetUserMFAPreference" && status == 400).then(|| {
        let mut b = body.clone();
        let name = b["__type"].as_str().unwrap_or_default().to_owned();
        b["__type"] = json!(format!("com.amazonaws.cognito#{name}"));
        (status, b)
    })
}
/// A timestamp in epoch milliseconds: still a number, but a client reading seconds lands in year 58000.
fn date_in_millis(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "AdminGetUser" && status == 200).then(|| {
        let mut b = body.clone();
        let seconds = b["UserCreateDate"].as_f64().unwrap_or_default();
        b["UserCreateDate"] = json!((seconds * 1000.0).round() as u64);
        (status, b)
    })
}
/// The error type with the `:` suffix real Cognito puts in its header (P2), in body and header.
fn error_type_with_a_colon(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "SetUserMFAPreference" && status == 400).then(|| {
        let mut b = body.clone();
        let name = b["__type"].as_str().unwrap_or_default().to_owned();
        b["__type"] = json!(format!("{name}:"));
        (status, b)
    })
}
/// The same members in the opposite order: one JSON value, so nothing a client can see.
fn members_reversed(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "GetUser" && status == 200).then(|| {
        let members = body.as_object().cloned().unwrap_or_default();
        (status, Value::Object(members.into_iter().rev().collect()))
    })
}
fn sign_out_revokes_nothing(op: &str) -> Option<(u16, Value)> {
    (op == "GlobalSignOut").then(|| (200, json!({})))
}

#[rstest]
#[case::unchanged("garbage-token", unchanged, forward_all, 0, None)]
#[case::unchanged_with_fixtures("revoked-by-global-sign-out", unchanged, forward_all, 0, None)]
#[case::namespaced_error_type_is_a_note(
    "garbage-token",
    namespaced_error_type,
    forward_all,
    0,
    Some("wire form changed: $.steps[0].wire")
)]
#[case::error_type_with_a_colon_is_a_note(
    "garbage-token",
    error_type_with_a_colon,
    forward_all,
    0,
    Some("wire form changed: $.steps[0].wire")
)]
#[case::member_order_is_not_drift(
    "sms-enabled-and-preferred",
    members_reversed,
    forward_all,
    0,
    None
)]
#[case::timestamp_in_milliseconds(
    "../admin-set-user-mfa-preference/admin-unconfirmed-user",
    date_in_millis,
    forward_all,
    1,
    Some("$.steps[1].body.UserCreateDate")
)]
#[case::timestamp_sent_as_a_string(
    "../admin-set-user-mfa-preference/admin-unconfirmed-user",
    date_as_string,
    forward_all,
    1,
    Some("$.steps[1].body.UserCreateDate")
)]
#[case::secret_in_another_alphabet(
    "pool-mfa-off",
    secret_in_other_alphabet,
    forward_all,
    1,
    Some("$.steps[0].body.SecretCode")
)]
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
                // --verbose: notes of passing scenarios (a wire form that changed) are shown.
                .args([
                    "run",
                    "--verbose",
                    "--target",
                    "moto",
                    "--endpoint",
                    &proxy.url,
                ])
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
            "the report should name {path}:\n{stdout}"
        );
        assert_eq!(
            stdout.contains("drift in step"),
            exit == 1,
            "drift is reported exactly when the run fails:\n{stdout}"
        );
    }
}
