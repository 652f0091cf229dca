//! The pool and signed-in user a benchmark needs, built by the same plan code as scenario
//! fixtures, and the benchmark requests, which are steps of an embedded scenario.

use std::path::Path;

use crate::exchange::wire::WireRequest;
use crate::exchange::{interpret, Client, Interpreted};
use crate::model::{self, Auth};
use crate::plan::{render_value, Bindings, Plan, Sensitivity};
use crate::scenario::ast::{Action, Scenario};

/// The operations `cognito-drift bench` can load, each a step of [`SCENARIO`].
pub const OPERATIONS: &[&str] = &["GetUser", "SetUserMFAPreference"];

/// One confirmed, signed-in user; SetUserMFAPreference turns SMS MFA off, which every target
/// accepts again and again without changing state. `bench/run.py` sends the same bodies with wrk.
const SCENARIO: &str = "\
name: bench
description: The requests `cognito-drift bench` sends in a loop.
fixtures:
  users:
    alice:
      sign_in: true
steps:
  - name: GetUser
    call: GetUser
    input:
      AccessToken: ${alice.access_token}
  - name: SetUserMFAPreference
    call: SetUserMFAPreference
    input:
      AccessToken: ${alice.access_token}
      SMSMfaSettings: { Enabled: false, PreferredMfa: false }
";

#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("unknown operation `{0}` (bench knows GetUser and SetUserMFAPreference)")]
    UnknownOperation(String),
    #[error("the embedded bench scenario does not load: {0}")]
    Scenario(String),
    #[error("setup: {operation} failed: {reason}")]
    Setup { operation: String, reason: String },
}

/// A pool and user on a target (or, offline, a stand-in token for the instant-reply server).
#[derive(Debug)]
pub struct Fixture {
    scenario: Scenario,
    vars: Bindings,
}

impl Fixture {
    /// Creates the pool, client and user on the target and signs the user in.
    pub async fn set_up(
        client: &Client,
        run_id: &str,
        region: &str,
        secret: &str,
    ) -> Result<Fixture, FixtureError> {
        let scenario = scenario()?;
        let plan = Plan::new(&scenario, run_id, region, secret);
        let mut vars = plan.initial_bindings();
        for &call in &plan.calls {
            let (operation, input) = plan.request(&scenario, call, &vars);
            let fail = |reason: String| FixtureError::Setup {
                operation: operation.to_owned(),
                reason,
            };
            let resp = client
                .send(&WireRequest::json(operation, &input, signed(operation)))
                .await
                .map_err(|e| fail(e.to_string()))?;
            // Only the status and error type are quoted: messages may echo secrets.
            let body = match interpret(&resp) {
                Interpreted::Success(body) => body,
                Interpreted::Error { error_type, .. } => {
                    return Err(fail(format!("{} {error_type}", resp.status)))
                }
                Interpreted::Fault(reason) => return Err(fail(reason)),
            };
            plan.absorb(call, &body, &mut vars)
                .map_err(|e| fail(e.to_string()))?;
        }
        Ok(Fixture { scenario, vars })
    }

    /// No target calls: a stand-in token, for servers that answer anything (the instant server).
    pub fn offline() -> Result<Fixture, FixtureError> {
        let mut vars = Bindings::default();
        vars.set_str(
            "alice.access_token",
            "bench-stand-in-token",
            Sensitivity::Plain,
        );
        Ok(Fixture {
            scenario: scenario()?,
            vars,
        })
    }

    /// The request `operation` sends in the loop, with the fixture's token in it.
    pub fn request(&self, operation: &str) -> Result<WireRequest, FixtureError> {
        let unknown = || FixtureError::UnknownOperation(operation.to_owned());
        let step = self
            .scenario
            .steps
            .iter()
            .find(|s| s.name.value == operation)
            .ok_or_else(unknown)?;
        let Action::Call { input, .. } = &step.action else {
            return Err(unknown());
        };
        let body =
            render_value(input, &self.vars).map_err(|e| FixtureError::Scenario(e.to_string()))?;
        Ok(WireRequest::json(operation, &body, signed(operation)))
    }

    /// Deletes the fixture's pool; best effort, as the target is about to be stopped anyway.
    pub async fn tear_down(&self, client: &Client) {
        if let Some(pool_id) = self.vars.get_str("pool.id") {
            let req = WireRequest::json(
                "DeleteUserPool",
                &serde_json::json!({ "UserPoolId": pool_id }),
                true,
            );
            let _ = client.send(&req).await;
        }
    }
}

fn scenario() -> Result<Scenario, FixtureError> {
    crate::scenario::load(Path::new("<bench>"), SCENARIO, model::cognito()).map_err(|diags| {
        FixtureError::Scenario(
            diags
                .iter()
                .map(|d| d.title.clone())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// SigV4 unless the model marks the operation noAuth, as the runner does.
fn signed(operation: &str) -> bool {
    model::cognito()
        .operation(operation)
        .is_none_or(|op| op.auth == Auth::SigV4)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::Value as Json;

    #[test]
    fn every_operation_is_a_step_of_the_embedded_scenario() {
        let f = Fixture::offline().unwrap();
        for op in OPERATIONS {
            let req = f.request(op).unwrap();
            assert_eq!(
                req.target.as_deref(),
                Some(format!("AWSCognitoIdentityProviderService.{op}").as_str())
            );
            assert!(!req.sign, "{op} is noAuth");
            let body: Json = serde_json::from_slice(&req.body).unwrap();
            assert_eq!(body["AccessToken"], "bench-stand-in-token");
        }
    }

    #[test]
    fn mfa_preference_body_turns_sms_off() {
        let req = Fixture::offline()
            .unwrap()
            .request("SetUserMFAPreference")
            .unwrap();
        let body: Json = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(
            body["SMSMfaSettings"],
            serde_json::json!({"Enabled": false, "PreferredMfa": false})
        );
    }

    #[test]
    fn unknown_operation_is_refused() {
        let err = Fixture::offline()
            .unwrap()
            .request("ListUsers")
            .unwrap_err();
        assert!(matches!(err, FixtureError::UnknownOperation(ref op) if op == "ListUsers"));
    }
}
