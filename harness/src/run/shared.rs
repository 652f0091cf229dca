//! The pools one run's scenarios share: one per instance of the target and distinct pool fixture,
//! made by the first scenario that needs it and deleted when the run is over. Which scenarios may
//! share is decided, purely, by [`crate::plan::shared_pool_key`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::build::signed;
use super::execute::ExecContext;
use crate::exchange::wire::WireRequest;
use crate::exchange::Client;
use crate::observation::{observe, pool_is_gone};
use crate::plan::{shared_pool_key, Bindings, Plan};
use crate::scenario::ast::Scenario;

/// A shared pool once made.
#[derive(Debug)]
struct Pool {
    id: String,
    name: String,
    /// Users named in it so far: the next user's number for [`crate::plan::unique_name`].
    users: AtomicUsize,
}

/// Per (endpoint, pool key): the pool, or `None` when making it failed (its scenarios then make
/// pools of their own, and meet the failure as their own fault).
type Cell = Arc<OnceCell<Option<Pool>>>;

/// The shared pools of one run.
#[derive(Debug, Default)]
pub struct SharedPools {
    pools: Mutex<HashMap<(String, String), Cell>>,
    /// Numbers the shared pools' names.
    next: AtomicUsize,
}

impl SharedPools {
    pub fn new() -> Self {
        Self::default()
    }

    /// The plan for `scenario` on `client`: in the shared pool for its pool fixture when it may share
    /// (the pool made now if it is the first), else with a pool of its own.
    pub(crate) async fn plan(
        &self,
        scenario: &Scenario,
        client: &Client,
        ctx: &ExecContext,
    ) -> Plan {
        let own = Plan::new(scenario, &ctx.run_id, &ctx.region, &ctx.secret);
        let key = match shared_pool_key(scenario, crate::model::cognito()) {
            Ok(key) => key,
            Err(why) => {
                tracing::debug!(scenario = %scenario.name.value, reason = %why, "a pool of its own");
                return own;
            }
        };
        let cell = {
            let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
            pools
                .entry((client.endpoint().url.clone(), key))
                .or_default()
                .clone()
        };
        let pool = cell
            .get_or_init(|| self.make(&own, scenario, client, ctx))
            .await;
        let Some(pool) = pool else {
            return own;
        };
        let first = pool.users.fetch_add(own.users.len(), Ordering::Relaxed);
        match own.clone().in_shared_pool(&pool.id, &pool.name, first) {
            Some(shared) => shared,
            None => {
                tracing::debug!(scenario = %scenario.name.value, "a pool of its own: a username cannot be made unique in the shared pool");
                own
            }
        }
    }

    /// Makes a shared pool with `plan`'s pool calls under a name of its own.
    async fn make(
        &self,
        plan: &Plan,
        scenario: &Scenario,
        client: &Client,
        ctx: &ExecContext,
    ) -> Option<Pool> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mut plan = plan.clone();
        plan.pool_name = format!("cognito-drift-{}-shared-{n}", ctx.run_id);
        let mut vars = Bindings::default();
        for call in plan.pool_calls() {
            let (operation, input) = plan.request(scenario, call, &vars);
            let answer = match client
                .send(&WireRequest::json(operation, &input, signed(operation)))
                .await
            {
                Ok(resp) => observe(&resp).ok(),
                Err(_) => None,
            };
            let Some(answer) =
                answer.filter(|a| a.error.is_none() && (200..300).contains(&a.status))
            else {
                tracing::debug!(%operation, "the shared pool could not be made; its scenarios make their own");
                return None;
            };
            if plan.absorb(call, &answer.body, &mut vars).is_err() {
                return None;
            }
        }
        let id = vars.get_str("pool.id")?.to_owned();
        tracing::debug!(pool = %plan.pool_name, "shared pool made");
        Some(Pool {
            id,
            name: plan.pool_name,
            users: AtomicUsize::new(0),
        })
    }

    /// How many shared pools were made.
    pub fn made(&self) -> usize {
        self.cells()
            .iter()
            .filter(|(_, c)| c.get().is_some_and(Option::is_some))
            .count()
    }

    /// Deletes the shared pools made on `client`'s endpoint; what could not be deleted is returned
    /// as warnings (the pools carry the run's tag, so `cognito-drift aws cleanup` finds them).
    pub async fn delete_on(&self, client: &Client) -> Vec<String> {
        let mut warnings = Vec::new();
        for ((endpoint, _), cell) in self.cells() {
            let Some(Some(pool)) = cell.get() else {
                continue;
            };
            if endpoint != client.endpoint().url {
                continue;
            }
            let req = WireRequest::json(
                "DeleteUserPool",
                &serde_json::json!({"UserPoolId": pool.id}),
                true,
            );
            match client.send(&req).await {
                Ok(resp) if (200..300).contains(&resp.status) || pool_is_gone(&resp) => {}
                Ok(resp) => warnings.push(format!(
                    "teardown: DeleteUserPool of the shared pool {} answered {}",
                    pool.name, resp.status
                )),
                Err(e) => warnings.push(format!(
                    "teardown: DeleteUserPool of the shared pool {} failed: {e}",
                    pool.name
                )),
            }
        }
        warnings
    }

    fn cells(&self) -> Vec<((String, String), Cell)> {
        let pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
        pools.iter().map(|(k, c)| (k.clone(), c.clone())).collect()
    }
}
