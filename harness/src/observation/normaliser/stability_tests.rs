//! The normaliser is stable: normalising twice changes nothing, the same inputs give the same
//! output, tokens keep their kind, and the regressions fuzzing found stay fixed.
#![allow(clippy::unwrap_used)]

use super::tests::*;
use super::Normaliser;
use crate::observation::jwt::tests::make_jwt;
use serde_json::{json, Value};

fn samples() -> Vec<Value> {
    let token = access_token();
    vec![
        json!({"AuthenticationResult": {"AccessToken": token, "IdToken": make_jwt(
            &json!({"alg": "RS256", "kid": "k"}),
            &json!({"sub": SUB, "cognito:username": "alice", "at_hash": "h", "aud": CLIENT}),
        )}}),
        json!({"message": format!("Invalid token {token} for alice in {POOL}"), "Session": "opaque"}),
        json!({"Users": [{"Username": "alice", "UserCreateDate": 1.5, "Attributes": [
            {"Name": "sub", "Value": SUB}, {"Name": "email", "Value": "alice@example.com"}]}]}),
        json!({"<access-token:alice>": "<user-pool-id:1> <x> <uuid:7> <a", "SecretCode": "ABC"}),
        json!({"CreationDate": "2024-05-01", "Id": "aaaaaaaa-0000-0000-0000-000000000000", "n": null}),
        json!(format!(
            "alice {} bob",
            make_jwt(&json!({"alg": "none"}), &json!({}))
        )),
    ]
}

#[test]
fn normalising_twice_changes_nothing() {
    for input in samples() {
        let mut n = run_normaliser();
        let once = n.value(&input);
        assert_eq!(n.value(&once), once, "same normaliser, input {input}");
        assert_eq!(
            Normaliser::new().value(&once),
            once,
            "fresh normaliser, input {input}"
        );
        assert_eq!(
            run_normaliser().value(&once),
            once,
            "fresh run normaliser, input {input}"
        );
    }
}

#[test]
fn text_twice_changes_nothing() {
    let message = format!("token {} for alice (sub {SUB}) in {POOL}", access_token());
    let mut n = run_normaliser();
    let once = n.text(&message);
    assert_eq!(
        once,
        "token <access-token:alice~jwt-rs256> for <username:1~alnum-lower/5> (sub <uuid:1>) in \
         <user-pool-id:1~region_9>"
    );
    assert_eq!(n.text(&once), once);
    assert_eq!(Normaliser::new().text(&once), once);
}

#[test]
fn same_inputs_in_the_same_order_give_the_same_output() {
    let run = || {
        let mut n = run_normaliser();
        samples().iter().map(|v| n.value(v)).collect::<Vec<_>>()
    };
    assert_eq!(run(), run());
}

#[test]
fn tokens_that_are_not_jwts_are_redacted_by_their_key() {
    let mut n = Normaliser::new();
    let encrypted =
        "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a2V5.aXY.Y2lwaGVy.dGFn";
    let body = json!({"AuthenticationResult": {
        "RefreshToken": encrypted,
        "AccessToken": "opaque-token-value",
        "IdToken": "",
        "ExpiresIn": 3600
    }});
    let out = n.value(&body);
    assert_eq!(
        out["AuthenticationResult"]["RefreshToken"],
        json!("<refresh-token~jwe>")
    );
    assert_eq!(
        out["AuthenticationResult"]["AccessToken"],
        json!("<access-token~base64/18>")
    );
    assert_eq!(
        out["AuthenticationResult"]["IdToken"],
        json!(""),
        "an empty token stays visible as drift"
    );
    assert_eq!(out["AuthenticationResult"]["ExpiresIn"], json!(3600));
    n.secret("refresh-token:alice", encrypted);
    assert_eq!(
        n.value(&body)["AuthenticationResult"]["RefreshToken"],
        json!("<refresh-token:alice~jwe>")
    );
}

#[test]
fn uuid_shaped_tokens_and_sessions_keep_their_kind() {
    let mut n = Normaliser::new();
    let body = json!({"Session": "9414ddb8-6640-4b8f-8e8c-8f1950f0a76a", "RefreshToken": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"});
    let out = n.value(&body);
    assert_eq!(
        out,
        json!({"Session": "<session~uuid>", "RefreshToken": "<refresh-token~uuid>"})
    );
    assert_eq!(n.value(&out), out, "normalising twice changes nothing");
}

#[test]
fn loopback_ports_in_issuers_are_replaced_and_stay_replaced() {
    let token = make_jwt(
        &json!({"alg": "RS256"}),
        &json!({"iss": format!("http://127.0.0.1:40767/{POOL}"), "token_use": "id"}),
    );
    let mut n = run_normaliser();
    let once = n.value(&json!({ "IdToken": token }));
    assert_eq!(
        once["IdToken"]["jwt"]["claims"]["iss"],
        "http://127.0.0.1:<port>/<user-pool-id:1~region_9>"
    );
    assert_eq!(n.value(&once), once);
    assert_eq!(
        n.text("see http://localhost:9229/x and 127.0.0.1:5"),
        "see http://localhost:<port>/x and 127.0.0.1:<port>"
    );
}

#[test]
fn node_internal_frames_in_error_pages_lose_their_position() {
    let mut n = run_normaliser();
    let page = "SyntaxError: Unexpected end of JSON input<br> &nbsp;at IncomingMessage.emit \
                (node:events:524:28)<br> &nbsp;at endReadableNT (node:internal/streams/readable:1698:12)";
    let once = n.text(page);
    assert_eq!(
        once,
        "SyntaxError: Unexpected end of JSON input<br> &nbsp;at IncomingMessage.emit \
         (node:events:<line>)<br> &nbsp;at endReadableNT (node:internal/streams/readable:<line>)"
    );
    assert_eq!(n.text(&once), once);
}

/// A run value spelled like a key of the decoded-token wrapper (`jwt`, `header`, `claims`) must not
/// rename that key on a second pass. Found by the `normalize` fuzz target (corpus file
/// `regression-jwt-run-value`): `normalise(normalise(x))` turned `{"jwt": …}` into `{"<username:2~…>": …}`.
#[test]
fn run_values_named_like_the_token_wrapper_leave_it_alone() {
    for name in ["jwt", "header", "claims"] {
        let token = make_jwt(
            &json!({"alg": "none"}),
            &json!({"username": "bob", "note": name}),
        );
        let registered = || {
            let mut n = run_normaliser();
            n.known("username", name);
            n
        };
        let mut n = registered();
        let once = n.value(&json!({"IdToken": token}));
        let claims = &once["IdToken"]["jwt"]["claims"];
        assert_eq!(claims["username"], "bob", "{once}");
        let note = claims["note"].as_str().unwrap();
        assert!(
            note.starts_with("<username:2~"),
            "a claim's value is still replaced: {once}"
        );
        assert_eq!(n.value(&once), once, "same normaliser, run value {name}");
        assert_eq!(
            registered().value(&once),
            once,
            "fresh normaliser, run value {name}"
        );
    }
}

/// A (pathological) secret inside a wrapper key is still replaced, and the result is still stable.
#[test]
fn a_secret_inside_a_wrapper_key_does_not_survive() {
    let mut n = run_normaliser();
    n.secret("password:bob", "aims");
    let token = make_jwt(&json!({"alg": "none"}), &json!({"a": 1}));
    let once = n.value(&json!({"IdToken": token}));
    let text = once.to_string();
    assert!(!text.contains("aims"), "{text}");
    assert_eq!(n.value(&once), once);
}

/// A rule whose match depends on its surroundings sees them as a second normalisation would:
/// a loopback port glued to a run value (`_________localhost:33`, `_________` registered) is
/// replaced once the run value is a placeholder, in the first normalisation; and a run value that
/// takes the host (`________localhost` in `_________localhost:33`) is replaced the same way twice.
/// Found by the `normalize` fuzz target (corpus files `regression-port-after-run-value` and
/// `regression-run-value-before-port`).
#[test]
fn rules_that_depend_on_their_surroundings_agree_with_a_second_pass() {
    for (value, kind, expected) in [
        (
            "_________",
            "username",
            "x <username:1~base64/9>localhost:<port> y",
        ),
        // The host is part of the run value, so no port is left to recognise.
        (
            "________localhost",
            "user-pool-id",
            "x _<user-pool-id:1~base64/17>:33 y",
        ),
    ] {
        let registered = || {
            let mut n = Normaliser::new();
            n.known(kind, value);
            n
        };
        let mut n = registered();
        let once = n.text("x _________localhost:33 y");
        assert_eq!(once, expected);
        assert_eq!(n.text(&once), once, "same normaliser");
        assert_eq!(registered().text(&once), once, "fresh normaliser");
    }
}
