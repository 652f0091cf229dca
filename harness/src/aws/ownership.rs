//! The wire-level guard for a real account: every request that names a user pool or app client must
//! name one this process created (or a sweep verified), and every pool created carries the harness's
//! name prefix and tags. Enforced in the exchange layer, so scenario steps and raw requests obey it too.

mod creation;
mod operation;
mod reference;
mod refusal;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use serde_json::{Map, Value as Json};
use time::OffsetDateTime;

use super::tags::{CREATED_AT_TAG, RUN_ID_TAG};
use crate::exchange::{RequestGuard, WireRequest, WireResponse};
use operation::effective_operation;
use reference::RESOURCE_KEYS;
use refusal::Refusal;

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

    /// Lets `req` through (re-serialised and stamped when it names a resource), or says which rule
    /// it breaks.
    fn check(&self, req: &WireRequest) -> Result<Option<WireRequest>, Refusal> {
        let Ok(Json::Object(body)) = serde_json::from_slice::<Json>(&req.body) else {
            // A body we cannot read may still be read by the service: it must not name a resource.
            let lower = String::from_utf8_lossy(&req.body).to_ascii_lowercase();
            if RESOURCE_KEYS
                .iter()
                .any(|k| lower.contains(&k.to_ascii_lowercase()))
            {
                return Err(Refusal::UnreadableNamesResource);
            }
            return Ok(None);
        };
        if let Some(k) = body.keys().find(|k| {
            RESOURCE_KEYS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(k) && r != k)
        }) {
            return Err(Refusal::UnusualCase(k.clone()));
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
}

fn is_our_tag(key: &str) -> bool {
    key == RUN_ID_TAG || key == CREATED_AT_TAG
}

impl RequestGuard for Ownership {
    fn admit(&self, req: &WireRequest) -> Result<Option<WireRequest>, String> {
        self.check(req).map_err(|refusal| refusal.to_string())
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
