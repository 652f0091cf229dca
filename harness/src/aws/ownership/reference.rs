//! The reference rule: every pool, app client and resource ARN a request names must be one this
//! process owns, and the harness's own tags are neither removed nor replaced.

use serde_json::{Map, Value as Json};

use super::refusal::Refusal;
use super::{is_our_tag, Ownership};
use crate::exchange::WireRequest;

impl Ownership {
    /// Checks every pool and client reference, and keeps the tags on requests that could replace them.
    pub(super) fn admit_reference(
        &self,
        op: &str,
        mut body: Map<String, Json>,
    ) -> Result<Option<WireRequest>, Refusal> {
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
                return Err(Refusal::ForeignPool(id.to_owned()));
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
                return Err(Refusal::ForeignClient(id.to_owned()));
            }
        }
        if let Some(arn) = body.get("ResourceArn") {
            let arn = arn.as_str().unwrap_or_default();
            let pool = arn.rsplit('/').next().unwrap_or_default();
            if !arn.contains(":userpool/") || !owned.pools.contains_key(pool) {
                return Err(Refusal::ForeignResource(arn.to_owned()));
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
            return Err(Refusal::OurTags);
        }
        Ok(rewritten.then(|| json_request(op, &body)))
    }
}

/// Read-only calls allowed on any pool: the sweep reads a pool's tags before it may judge it.
const READ_ANY_POOL: &[&str] = &["DescribeUserPool"];

/// Keys that name (or, for `PoolName`, create) a resource in a Cognito request.
pub(super) const RESOURCE_KEYS: &[&str] = &["UserPoolId", "ClientId", "ResourceArn", "PoolName"];

fn json_request(op: &str, body: &Map<String, Json>) -> WireRequest {
    WireRequest::json(op, &Json::Object(body.clone()), true)
}
