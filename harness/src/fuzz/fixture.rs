//! The fixture a fuzz session sends with: a pool, an app client and one signed-in user, built by the
//! same plan the scenario runner uses (from the same fixture block found scenarios carry), then deleted.

use std::path::Path;

use serde_json::json;

use super::doc::Var;
use super::found::FIXTURE_YAML;
use crate::exchange::wire::WireRequest;
use crate::exchange::{interpret, Client, Interpreted};
use crate::model::{self, Auth};
use crate::observation::Normaliser;
use crate::plan::{Bindings, Plan};
use crate::run::ExecContext;

/// A fixture setup call that did not succeed; the reason is normalised (no secrets).
#[derive(Debug, Clone, thiserror::Error)]
#[error("fixture setup failed at {operation}: {reason}")]
pub struct FixtureError {
    pub operation: String,
    pub reason: String,
}

/// A live fixture on one target.
#[derive(Debug, Clone)]
pub struct Fixture {
    vars: Bindings,
}

impl Fixture {
    /// Creates the pool, client and user, signing the user in.
    pub async fn create(client: &Client, ctx: &ExecContext) -> Result<Fixture, FixtureError> {
        let text = format!(
            "name: fuzz-session\n{FIXTURE_YAML}steps:\n  - name: probe\n    call: GetUser\n    input:\n      AccessToken: ${{alice.access_token}}\n"
        );
        let scenario =
            crate::scenario::load(Path::new("fuzz-session.yaml"), &text, model::cognito())
                .map_err(|d| FixtureError {
                    operation: "load".into(),
                    reason: format!("{d:?}"),
                })?;
        let plan = Plan::new(&scenario, &ctx.run_id, &ctx.region, &ctx.secret);
        let mut fixture = Fixture {
            vars: plan.initial_bindings(),
        };
        for &call in &plan.calls {
            let (operation, input) = plan.request(&scenario, call, &fixture.vars);
            let fail = |reason: String, f: &Fixture| FixtureError {
                operation: operation.to_owned(),
                reason: f.normaliser().text(&reason),
            };
            let req = WireRequest::json(operation, &input, signed(operation));
            let resp = match client.send(&req).await {
                Ok(r) => r,
                Err(e) => return Err(fail(e.to_string(), &fixture)),
            };
            match interpret(&resp) {
                Interpreted::Success(body) => plan
                    .absorb(call, &body, &mut fixture.vars)
                    .map_err(|e| fail(e.to_string(), &fixture))?,
                Interpreted::Error {
                    error_type,
                    message,
                    ..
                } => {
                    let reason = format!(
                        "{} {error_type}: {}",
                        resp.status,
                        message.unwrap_or_default()
                    );
                    return Err(fail(reason, &fixture));
                }
                Interpreted::Fault(reason) => return Err(fail(reason, &fixture)),
            }
        }
        Ok(fixture)
    }

    /// The live value of a fixture variable (empty when the target never returned it).
    pub fn value(&self, var: Var) -> String {
        self.vars.get_str(var.name()).unwrap_or_default().to_owned()
    }

    /// A normaliser that knows this fixture's secrets and run values.
    pub fn normaliser(&self) -> Normaliser {
        let mut n = Normaliser::new();
        crate::run::register(&mut n, &self.vars);
        n
    }

    /// Deletes the pool (and with it the client and user).
    pub async fn delete(&self, client: &Client) -> Result<(), String> {
        let pool = self.value(Var::PoolId);
        if pool.is_empty() {
            return Ok(());
        }
        let req = WireRequest::json("DeleteUserPool", &json!({"UserPoolId": pool}), true);
        match client.send(&req).await {
            Ok(r) if (200..300).contains(&r.status) => Ok(()),
            Ok(r) => Err(format!("DeleteUserPool answered {}", r.status)),
            Err(e) => Err(self.normaliser().text(&e.to_string())),
        }
    }
}

/// SigV4 unless the model marks the operation noAuth, as the SDKs do.
pub fn signed(operation: &str) -> bool {
    model::cognito()
        .operation(operation)
        .is_none_or(|op| op.auth == Auth::SigV4)
}
