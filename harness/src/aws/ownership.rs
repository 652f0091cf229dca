//! The wire-level guard for a real account: every request that names a user pool or app client must
//! name one this process created (or a sweep verified), and every pool created carries the harness's
//! name prefix and tags. Enforced in the exchange layer, so scenario steps and raw requests obey it too.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use serde_json::{Map, Value as Json};
use time::OffsetDateTime;

use super::tags::{created_at_value, run_prefix, CREATED_AT_TAG, RUN_ID_TAG};
use crate::exchange::{operation_of, RequestGuard, WireRequest, WireResponse};

/// Pools and clients this process may touch.
#[derive(Debug)]
pub struct Ownership {
    /// `None` for a sweep, which never creates pools.
    run_id: Option<String>,
    clock: fn() -> OffsetDateTime,
    state: Mutex<Owned>,
}

#[derive(Debug, Default)]
struct Owned {
    /// Pool id → its tags, re-applied whenever a request could replace them.
    pools: HashMap<String, Map<String, Json>>,
    clients: HashSet<String>,
}

impl Ownership {
    /// The guard of a run: it may create pools named `cognito-drift-<run_id>-…`.
    pub fn for_run(run_id: &str) -> Ownership {
        Ownership {
            run_id: Some(run_id.to_owned()),
            clock: OffsetDateTime::now_utc,
            state: Mutex::new(Owned::default()),
        }
    }

    /// The guard of a sweep: it creates nothing and touches only pools it [`adopt`](Self::adopt)s.
    pub fn for_sweep() -> Ownership {
        Ownership {
            run_id: None,
            clock: OffsetDateTime::now_utc,
            state: Mutex::new(Owned::default()),
        }
    }

    #[cfg(test)]
    fn with_clock(mut self, clock: fn() -> OffsetDateTime) -> Ownership {
        self.clock = clock;
        self
    }

    /// Marks a pool as deletable; the sweep calls this only after the tag-and-name rule said so.
    pub fn adopt(&self, pool_id: &str, tags: Map<String, Json>) {
        self.lock().pools.insert(pool_id.to_owned(), tags);
    }

    /// Ids of the pools this process created or adopted.
    pub fn pools(&self) -> Vec<String> {
        let mut v: Vec<String> = self.lock().pools.keys().cloned().collect();
        v.sort();
        v
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Owned> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Holds a creation to the run's name prefix and stamps both tags on it.
    fn stamp_creation(&self, mut body: Map<String, Json>) -> Result<Map<String, Json>, String> {
        let Some(run_id) = &self.run_id else {
            return Err("a sweep never creates user pools".to_owned());
        };
        let prefix = run_prefix(run_id);
        let name = body.get("PoolName").and_then(Json::as_str).unwrap_or("");
        if !name.starts_with(&prefix) {
            return Err(format!(
                "on a real account, user pools must be named `{prefix}…` (got `{name}`)"
            ));
        }
        let tags = body
            .entry("UserPoolTags")
            .or_insert_with(|| Json::Object(Map::new()));
        let Json::Object(tags) = tags else {
            return Err("UserPoolTags is not an object".to_owned());
        };
        tags.insert(RUN_ID_TAG.to_owned(), Json::String(run_id.clone()));
        tags.insert(
            CREATED_AT_TAG.to_owned(),
            Json::String(created_at_value((self.clock)())),
        );
        Ok(body)
    }

    /// Checks every pool and client reference, and keeps the tags on requests that could replace them.
    fn admit_reference(
        &self,
        op: &str,
        mut body: Map<String, Json>,
    ) -> Result<Option<WireRequest>, String> {
        let owned = self.lock();
        // What was checked is what is sent: the parsed body goes out re-serialised, so duplicate keys
        // or odd escapes cannot make the service read another resource than the one checked here.
        let rewritten = RESOURCE_KEYS.iter().any(|k| body.contains_key(*k));
        if let Some(pool) = body
            .get("UserPoolId")
            .filter(|_| !READ_ANY_POOL.contains(&op))
        {
            let id = pool.as_str().unwrap_or_default();
            let Some(tags) = owned.pools.get(id) else {
                return Err(format!("user pool `{id}` was not created by this run"));
            };
            if op == "UpdateUserPool" {
                // UpdateUserPool resets what it is not given; re-send our tags so they survive.
                let entry = body
                    .entry("UserPoolTags")
                    .or_insert_with(|| Json::Object(Map::new()));
                if let Json::Object(t) = entry {
                    t.extend(tags.clone());
                }
            }
        }
        if let Some(client) = body.get("ClientId") {
            let id = client.as_str().unwrap_or_default();
            if !owned.clients.contains(id) {
                return Err(format!("app client `{id}` was not created by this run"));
            }
        }
        if let Some(arn) = body.get("ResourceArn") {
            let arn = arn.as_str().unwrap_or_default();
            let pool = arn.rsplit('/').next().unwrap_or_default();
            if !arn.contains(":userpool/") || !owned.pools.contains_key(pool) {
                return Err(format!("resource `{arn}` is not a pool of this run"));
            }
        }
        let touches_our_tags = |v: Option<&Json>| match v {
            Some(Json::Object(m)) => m.keys().any(|k| is_our_tag(k)),
            Some(Json::Array(a)) => a.iter().any(|k| k.as_str().is_some_and(is_our_tag)),
            _ => false,
        };
        if matches!(op, "TagResource" | "UntagResource")
            && (touches_our_tags(body.get("Tags")) || touches_our_tags(body.get("TagKeys")))
        {
            return Err("the cognito-drift tags of a pool may not be changed".to_owned());
        }
        Ok(rewritten.then(|| json_request(op, &body)))
    }
}

/// Read-only calls allowed on any pool: the sweep reads a pool's tags before it may judge it.
const READ_ANY_POOL: &[&str] = &["DescribeUserPool"];

/// Keys that name (or, for `PoolName`, create) a resource in a Cognito request.
const RESOURCE_KEYS: &[&str] = &["UserPoolId", "ClientId", "ResourceArn", "PoolName"];

fn is_our_tag(key: &str) -> bool {
    key == RUN_ID_TAG || key == CREATED_AT_TAG
}

/// The operation the service will see: an `X-Amz-Target` among the request's own headers replaces
/// the default one (as the client sends it), so it is the one that counts.
fn effective_operation(req: &WireRequest) -> Result<String, String> {
    let overrides: Vec<&str> = req
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"))
        .map(|(_, v)| v.as_str())
        .collect();
    let target = match overrides.as_slice() {
        [] => return Ok(operation_of(req).unwrap_or_default().to_owned()),
        [one] => *one,
        _ => return Err("more than one X-Amz-Target header".to_owned()),
    };
    Ok(target
        .trim()
        .strip_prefix(crate::exchange::wire::TARGET_PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or_default()
        .to_owned())
}

fn json_request(op: &str, body: &Map<String, Json>) -> WireRequest {
    WireRequest::json(op, &Json::Object(body.clone()), true)
}

impl RequestGuard for Ownership {
    fn admit(&self, req: &WireRequest) -> Result<Option<WireRequest>, String> {
        let Ok(Json::Object(body)) = serde_json::from_slice::<Json>(&req.body) else {
            // A body we cannot read may still be read by the service: it must not name a resource.
            let lower = String::from_utf8_lossy(&req.body).to_ascii_lowercase();
            if RESOURCE_KEYS
                .iter()
                .any(|k| lower.contains(&k.to_ascii_lowercase()))
            {
                return Err("a body that is not a JSON object may not name a resource".to_owned());
            }
            return Ok(None);
        };
        if let Some(k) = body.keys().find(|k| {
            RESOURCE_KEYS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(k) && r != k)
        }) {
            return Err(format!("resource key `{k}` in an unusual case"));
        }
        let op = effective_operation(req)?;
        let op = op.as_str();
        // Any body with a PoolName is held to the creation rule, whatever operation it claims to be.
        let body = if op == "CreateUserPool" || body.contains_key("PoolName") {
            self.stamp_creation(body)?
        } else {
            body
        };
        let amended = self.admit_reference(op, body)?;
        Ok(amended.map(|mut r| {
            r.target = req.target.clone();
            r.headers = req.headers.clone();
            r.sign = req.sign;
            r
        }))
    }

    fn observe(&self, req: &WireRequest, resp: &WireResponse) {
        if !(200..300).contains(&resp.status) {
            return;
        }
        let answer: Json = serde_json::from_slice(&resp.body).unwrap_or_default();
        let sent: Json = serde_json::from_slice(&req.body).unwrap_or_default();
        let mut owned = self.lock();
        match effective_operation(req).ok().as_deref() {
            Some("CreateUserPool") => {
                if let (Some(id), Some(Json::Object(tags))) = (
                    answer.pointer("/UserPool/Id").and_then(Json::as_str),
                    sent.get("UserPoolTags"),
                ) {
                    let ours = tags
                        .iter()
                        .filter(|(k, _)| is_our_tag(k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    owned.pools.insert(id.to_owned(), ours);
                }
            }
            Some("CreateUserPoolClient") => {
                if let Some(id) = answer
                    .pointer("/UserPoolClient/ClientId")
                    .and_then(Json::as_str)
                {
                    owned.clients.insert(id.to_owned());
                }
            }
            Some("DeleteUserPool") => {
                if let Some(id) = sent.get("UserPoolId").and_then(Json::as_str) {
                    owned.pools.remove(id);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
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
}
