//! One test per placeholder, both directions: two answers that differ only in a value within its shape
//! normalise to the same document (no drift), and a change of JSON type or shape is drift at its path.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use super::Normaliser;
use crate::observation::jwt::tests::make_jwt;
use crate::verdict::diff::diff;

/// The paths where two answers differ once each is normalised by a fresh run normaliser.
fn drift_with(register: impl Fn(&mut Normaliser, usize), a: &Value, b: &Value) -> Vec<String> {
    let (mut na, mut nb) = (Normaliser::new(), Normaliser::new());
    register(&mut na, 0);
    register(&mut nb, 1);
    diff(&na.value(a), &nb.value(b))
        .into_iter()
        .map(|d| d.path)
        .collect()
}

fn drift(a: &Value, b: &Value) -> Vec<String> {
    drift_with(|_, _| {}, a, b)
}

fn no_drift(a: Value, b: Value) {
    assert_eq!(drift(&a, &b), Vec::<String>::new(), "{a} vs {b}");
}

fn drift_at(a: Value, b: Value, path: &str) {
    assert_eq!(drift(&a, &b), [path], "{a} vs {b}");
}

#[test]
fn epoch_second_dates_stay_numbers_and_only_their_format_counts() {
    let date = |v: Value| json!({ "UserCreateDate": v });
    let normalised = Normaliser::new().value(&date(json!(1_796_213_740.402)));
    assert!(normalised["UserCreateDate"].is_number(), "{normalised}");
    no_drift(date(json!(1_796_213_740.402)), date(json!(1_700_000_000)));
    no_drift(
        date(json!(1.796_213_740_402e9)),
        date(json!(1_796_213_740.5)),
    );
    drift_at(
        date(json!(1_796_213_740.402)),
        date(json!("1796213740.402")),
        "$.UserCreateDate",
    );
    drift_at(
        date(json!(1_796_213_740.402)),
        date(json!("2026-12-02T10:15:40.402Z")),
        "$.UserCreateDate",
    );
    drift_at(
        date(json!(1_796_213_740.402)),
        date(json!(1_796_213_740_402_u64)),
        "$.UserCreateDate",
    );
}

#[test]
fn string_dates_keep_their_detected_format() {
    let date = |v: &str| json!({ "LastModifiedDate": v });
    no_drift(
        date("2026-12-02T10:00:00Z"),
        date("2020-01-01T00:00:00.5+02:00"),
    );
    no_drift(date("1796213740"), date("1700000000.25"));
    drift_at(
        date("2026-12-02T10:00:00Z"),
        date("2026-12-02"),
        "$.LastModifiedDate",
    );
    drift_at(
        date("2026-12-02T10:00:00Z"),
        date("1796213740"),
        "$.LastModifiedDate",
    );
    assert_eq!(
        Normaliser::new().value(&date("2026-12-02T10:00:00Z")),
        json!({"LastModifiedDate": "<date:iso8601>"})
    );
}

#[test]
fn jwt_time_claims_keep_their_type() {
    let token = |exp: Value| json!({ "IdToken": make_jwt(&json!({"alg": "RS256"}), &json!({"exp": exp, "token_use": "id"})) });
    no_drift(token(json!(1_714_561_200)), token(json!(1_800_000_000)));
    drift_at(
        token(json!(1_714_561_200)),
        token(json!("1714561200")),
        "$.IdToken.jwt.claims.exp",
    );
}

#[test]
fn totp_secrets_show_alphabet_case_and_length() {
    let code = |s: &str| json!({ "SecretCode": s });
    let base32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    no_drift(code(base32), code("KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"));
    drift_at(code(base32), code(&base32.to_lowercase()), "$.SecretCode");
    drift_at(code(base32), code(&base32[..16]), "$.SecretCode");
    drift_at(
        code(base32),
        code("0123456789abcdef0123456789abcdef"),
        "$.SecretCode",
    );
    drift_at(
        code(base32),
        code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX1"),
        "$.SecretCode",
    );
}

#[test]
fn registered_secrets_show_their_shape_under_their_label() {
    let secrets = [
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
    ];
    let same = |n: &mut Normaliser, i: usize| n.secret("totp-secret:alice", secrets[i]);
    let a = json!({ "SecretCode": secrets[0] });
    let b = json!({ "SecretCode": secrets[1] });
    assert_eq!(drift_with(same, &a, &b), Vec::<String>::new());
    let lower = secrets[0].to_lowercase();
    let other = |n: &mut Normaliser, i: usize| {
        n.secret(
            "totp-secret:alice",
            if i == 0 { secrets[0] } else { &lower },
        )
    };
    let c = json!({ "SecretCode": lower });
    assert_eq!(drift_with(other, &a, &c), ["$.SecretCode"]);
    let mut n = Normaliser::new();
    n.secret("totp-secret:alice", secrets[0]);
    assert_eq!(
        n.value(&a),
        json!({"SecretCode": "<totp-secret:alice~base32-upper/32>"})
    );
}

#[test]
fn sessions_and_opaque_tokens_show_their_format() {
    let session = |s: &str| json!({ "Session": s });
    no_drift(
        session("9414ddb8-6640-4b8f-8e8c-8f1950f0a76a"),
        session("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"),
    );
    drift_at(
        session("9414ddb8-6640-4b8f-8e8c-8f1950f0a76a"),
        session(&"AYABe".repeat(30)),
        "$.Session",
    );
    let refresh = |s: &str| json!({ "RefreshToken": s });
    let jwe =
        "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a2V5.aXY.Y2lwaGVy.dGFn";
    let jwe2 = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.b3RoZXI.aXY.eA.dGFn";
    no_drift(refresh(jwe), refresh(jwe2));
    drift_at(
        refresh(jwe),
        refresh("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"),
        "$.RefreshToken",
    );
}

#[test]
fn tokens_keep_their_algorithm_in_text() {
    let token = |alg: &str, sub: &str| make_jwt(&json!({"alg": alg}), &json!({"sub": sub}));
    let msg = |t: String| json!({ "message": format!("Invalid token {t}") });
    no_drift(msg(token("RS256", "a")), msg(token("RS256", "b")));
    drift_at(
        msg(token("RS256", "a")),
        msg(token("none", "a")),
        "$.message",
    );
    let named = |n: &mut Normaliser, i: usize| {
        n.secret(
            "access-token:alice",
            &token(if i == 0 { "RS256" } else { "HS256" }, "a"),
        );
    };
    let a = msg(token("RS256", "a"));
    let b = msg(token("HS256", "a"));
    assert_eq!(drift_with(named, &a, &b), ["$.message"]);
}

#[test]
fn known_ids_show_their_format() {
    let pools = [
        "us-east-1_AbC123xyz",
        "us-east-1_ZZZ999aaa",
        "us-east-1_0123456789abcdef0123456789abcdef",
    ];
    let register = |pick: [usize; 2]| {
        move |n: &mut Normaliser, i: usize| {
            n.known("user-pool-id", pools[pick[i]]);
        }
    };
    let body = |i: usize| json!({ "Id": pools[i] });
    assert_eq!(
        drift_with(register([0, 1]), &body(0), &body(1)),
        Vec::<String>::new()
    );
    assert_eq!(drift_with(register([0, 2]), &body(0), &body(2)), ["$.Id"]);
    let mut n = Normaliser::new();
    assert_eq!(
        n.known("user-pool-id", pools[0]),
        "<user-pool-id:1~region_9>"
    );
    assert_eq!(
        n.known("sub", "9a8b7c6d-1111-2222-3333-444455556666"),
        "<sub:1~uuid>"
    );
    assert_eq!(n.known("sub", "not-a-uuid"), "<sub:2~base64/10>");
}

#[test]
fn unregistered_uuids_keep_their_case() {
    let id = |s: &str| json!({ "Id": s });
    no_drift(
        id("aaaaaaaa-0000-0000-0000-000000000000"),
        id("bbbbbbbb-1111-1111-1111-111111111111"),
    );
    drift_at(
        id("aaaaaaaa-0000-0000-0000-000000000000"),
        id("AAAAAAAA-0000-0000-0000-00000000000B"),
        "$.Id",
    );
}

#[test]
fn token_header_and_hash_claims_keep_their_shape() {
    let token = |kid: &str, hash: &str| json!({ "IdToken": make_jwt(&json!({"alg": "RS256", "kid": kid}), &json!({"at_hash": hash})) });
    no_drift(
        token(
            "AbCdEfGh0123456789+/AbCdEfGh0123456789+/abc=",
            "hashA_hashA_hashA_hash",
        ),
        token(
            "ZyXwVuTs9876543210+/ZyXwVuTs9876543210+/xyz=",
            "hashB-hashB-hashB-hash",
        ),
    );
    drift_at(
        token("AbCdEfGh0123456789+/AbCdEfGh0123456789+/abc=", "h"),
        token("CognitoLocal", "h"),
        "$.IdToken.jwt.header.kid",
    );
}

#[test]
fn json_spelling_is_never_drift() {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap();
    no_drift(
        parse(r#"{"a":1.5e9,"b":[1,2],"c":{"x":null,"y":"s"}}"#),
        parse("{ \"c\" : {\"y\":\"s\", \"x\":null},\n \"b\" : [ 1 , 2 ],\n \"a\" : 1500000000.0 }"),
    );
    no_drift(parse(r#"{"v":"\u0041"}"#), parse(r#"{"v":"A"}"#));
    drift_at(parse(r#"{"n":3600}"#), parse(r#"{"n":3600.0}"#), "$.n");
    drift_at(parse(r#"{"n":3600}"#), parse(r#"{"n":"3600"}"#), "$.n");
    drift_at(
        parse(r#"{"l":["SMS_MFA"]}"#),
        parse(r#"{"l":"SMS_MFA"}"#),
        "$.l",
    );
    drift_at(parse(r#"{"l":null}"#), parse(r#"{}"#), "$.l");
}
