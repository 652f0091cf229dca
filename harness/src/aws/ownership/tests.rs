//! The guard as the exchange layer uses it: `admit` before a request, `observe` after its answer.

use super::*;
use serde_json::json;
use std::time::Duration;
use time::macros::datetime;

fn fixed() -> OffsetDateTime {
    datetime!(2026-11-27 12:00 UTC)
}

fn req(op: &str, body: Json) -> WireRequest {
    WireRequest::json(op, &body, true)
}

fn ok(body: Json) -> WireResponse {
    WireResponse {
        status: 200,
        headers: Vec::new(),
        body: serde_json::to_vec(&body).unwrap(),
        elapsed: Duration::ZERO,
    }
}

fn body(r: &WireRequest) -> Json {
    serde_json::from_slice(&r.body).unwrap()
}

/// A run guard that created pool `p1` and client `c1`.
fn with_pool() -> Ownership {
    let g = Ownership::for_run("run1").with_clock(fixed);
    let create = g
        .admit(&req(
            "CreateUserPool",
            json!({"PoolName": "cognito-drift-run1-a"}),
        ))
        .unwrap()
        .unwrap();
    g.observe(&create, &ok(json!({"UserPool": {"Id": "p1"}})));
    let client = req("CreateUserPoolClient", json!({"UserPoolId": "p1"}));
    assert!(g.admit(&client).is_ok());
    g.observe(&client, &ok(json!({"UserPoolClient": {"ClientId": "c1"}})));
    g
}

#[test]
fn created_pools_are_stamped_with_both_tags() {
    let g = Ownership::for_run("run1").with_clock(fixed);
    let sent = g
        .admit(&req(
            "CreateUserPool",
            json!({"PoolName": "cognito-drift-run1-x", "UserPoolTags": {"team": "a", RUN_ID_TAG: "forged"}}),
        ))
        .unwrap()
        .unwrap();
    assert_eq!(
        body(&sent)["UserPoolTags"],
        json!({"team": "a", RUN_ID_TAG: "run1", CREATED_AT_TAG: "2026-11-27T12:00:00Z"})
    );
    assert!(sent.sign);
}

#[test]
fn pools_outside_the_run_prefix_are_not_created() {
    let g = Ownership::for_run("run1");
    for name in ["customer", "cognito-drift-run2-x", "cognito-drift-run1x"] {
        let err = g
            .admit(&req("CreateUserPool", json!({"PoolName": name})))
            .unwrap_err();
        assert!(
            err.contains("must be named `cognito-drift-run1-…`"),
            "{err}"
        );
    }
    let err = Ownership::for_sweep()
        .admit(&req(
            "CreateUserPool",
            json!({"PoolName": "cognito-drift-a-b"}),
        ))
        .unwrap_err();
    assert_eq!(err, "a sweep never creates user pools");
}

#[test]
fn only_own_pools_and_clients_are_addressed() {
    let g = with_pool();
    assert!(g
        .admit(&req("AdminCreateUser", json!({"UserPoolId": "p1"})))
        .is_ok());
    assert!(g.admit(&req("SignUp", json!({"ClientId": "c1"}))).is_ok());
    assert_eq!(
        g.admit(&req("DeleteUserPool", json!({"UserPoolId": "p2"})))
            .unwrap_err(),
        "user pool `p2` was not created by this run"
    );
    assert_eq!(
        g.admit(&req("DeleteUserPool", json!({"UserPoolId": 7})))
            .unwrap_err(),
        "user pool `` was not created by this run"
    );
    assert_eq!(
        g.admit(&req("SignUp", json!({"ClientId": "c9"})))
            .unwrap_err(),
        "app client `c9` was not created by this run"
    );
    assert!(g
        .admit(&req(
            "ListTagsForResource",
            json!({"ResourceArn": "arn:aws:cognito-idp:us-east-1:1:userpool/p1"})
        ))
        .is_ok());
    assert!(g
        .admit(&req(
            "TagResource",
            json!({"ResourceArn": "arn:aws:cognito-idp:us-east-1:1:userpool/p9", "Tags": {}})
        ))
        .is_err());
    assert!(g
        .admit(&req("GetUser", json!({"AccessToken": "t"})))
        .unwrap()
        .is_none());
    assert_eq!(
        g.admit(&req("DeleteUserPool", json!({"userPoolId": "p9"})))
            .unwrap_err(),
        "resource key `userPoolId` in an unusual case"
    );
    assert!(g
        .admit(&req("ListUserPools", json!({"MaxResults": 60})))
        .is_ok());
    assert!(g
        .admit(&req("DescribeUserPool", json!({"UserPoolId": "p9"})))
        .is_ok());
}

#[test]
fn our_tags_cannot_be_removed_or_replaced() {
    let g = with_pool();
    let arn = "arn:aws:cognito-idp:us-east-1:1:userpool/p1";
    for (op, extra) in [
        ("UntagResource", json!({"TagKeys": [RUN_ID_TAG]})),
        (
            "TagResource",
            json!({"Tags": {CREATED_AT_TAG: "2000-01-01T00:00:00Z"}}),
        ),
    ] {
        let mut b = extra;
        b["ResourceArn"] = json!(arn);
        assert!(g.admit(&req(op, b)).is_err(), "{op}");
    }
    let update = g
        .admit(&req("UpdateUserPool", json!({"UserPoolId": "p1"})))
        .unwrap()
        .unwrap();
    assert_eq!(
        body(&update)["UserPoolTags"],
        json!({RUN_ID_TAG: "run1", CREATED_AT_TAG: "2026-11-27T12:00:00Z"})
    );
}

#[test]
fn deleted_and_adopted_pools_are_tracked() {
    let g = with_pool();
    let delete = req("DeleteUserPool", json!({"UserPoolId": "p1"}));
    g.observe(&delete, &ok(json!({})));
    assert!(g.pools().is_empty());
    let sweep = Ownership::for_sweep();
    assert!(sweep.admit(&delete).is_err());
    sweep.adopt("p1", Map::new());
    assert!(sweep.admit(&delete).is_ok());
}

#[test]
fn unreadable_bodies_pass_only_when_they_name_no_resource() {
    let g = with_pool();
    let mut raw = req("DeleteUserPool", json!({}));
    for b in [&b"not json"[..], b"[1,2]", b"{\"a\":"] {
        raw.body = b.to_vec();
        assert!(g.admit(&raw).unwrap().is_none());
    }
    for b in [
        &b"\xef\xbb\xbf{\"UserPoolId\":\"p2\"}"[..],
        b"{\"userpoolid\": \"p2\"",
        b"[\"ClientId\"]",
    ] {
        raw.body = b.to_vec();
        assert!(g.admit(&raw).is_err(), "{}", String::from_utf8_lossy(b));
    }
}

#[test]
fn a_target_header_override_is_the_operation_that_counts() {
    let g = with_pool();
    let mut raw = req("GetUser", json!({"PoolName": "sneaky"}));
    raw.target = None;
    raw.headers = vec![(
        "X-Amz-Target".into(),
        "AWSCognitoIdentityProviderService.CreateUserPool".into(),
    )];
    assert!(g.admit(&raw).unwrap_err().contains("must be named"));
    raw.body = br#"{"PoolName": "cognito-drift-run1-ok"}"#.to_vec();
    let sent = g.admit(&raw).unwrap().unwrap();
    assert_eq!(body(&sent)["UserPoolTags"][RUN_ID_TAG], "run1");
    assert_eq!(sent.headers, raw.headers);
    g.observe(&sent, &ok(json!({"UserPool": {"Id": "p7"}})));
    assert!(g.pools().contains(&"p7".to_owned()));
    raw.headers.push(("x-amz-target".into(), "Other.Op".into()));
    assert_eq!(
        g.admit(&raw).unwrap_err(),
        "more than one X-Amz-Target header"
    );
}

#[test]
fn a_creation_body_cannot_carry_a_foreign_reference() {
    let g = with_pool();
    let sneaky = req(
        "DeleteUserPool",
        json!({"PoolName": "cognito-drift-run1-x", "UserPoolId": "p9"}),
    );
    assert_eq!(
        g.admit(&sneaky).unwrap_err(),
        "user pool `p9` was not created by this run"
    );
}

#[test]
fn checked_bodies_are_sent_re_serialised() {
    let g = with_pool();
    let mut raw = req("AdminGetUser", json!({}));
    raw.body = br#"{"UserPoolId":"p9","UserPoolId":"p1","Username":"a"}"#.to_vec();
    raw.headers = vec![("x-extra".into(), "1".into())];
    let sent = g.admit(&raw).unwrap().unwrap();
    assert_eq!(sent.body, br#"{"UserPoolId":"p1","Username":"a"}"#);
    assert_eq!(sent.headers, raw.headers);
    assert_eq!(sent.target, raw.target);
}
