//! Which scenarios may share a pool, and with which others (pure; decided from the service model).
//!
//! A scenario may share when no step can read or change pool-level state: every step calls an
//! operation whose input names a user (`Username`, `AccessToken`) or a client (`ClientId`, which is
//! the scenario's own), never one that acts on the pool as a whole (`SetUserPoolMfaConfig`,
//! `DescribeUserPool`, `ListUsers`, `DeleteUserPool`, groups, ...) or on no pool at all
//! (`ListUserPools`). A raw step keeps a pool of its own: its bytes, and any position the target
//! reports in them ("after JSON at position 952"), depend on the lengths of the tokens in it, and a
//! token names its user, whose name is longer in a shared pool (seen on cognito-local). Scenarios
//! share a pool when their pool fixtures ask for the same `CreateUserPool` and `SetUserPoolMfaConfig`
//! inputs; each keeps its own client and users (usernames made unique within the pool).

use serde_json::Value as Json;

use super::setup::{Plan, SetupCall};
use super::Bindings;
use crate::model::Model;
use crate::scenario::ast::{Action, Scenario, TemplatePart, Value};

/// Why a scenario keeps a pool of its own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OwnPool {
    #[error(
        "step `{step}` is a raw request (its bytes depend on the lengths of the values in it)"
    )]
    Raw { step: String },
    #[error("step `{step}` calls {operation}, which acts on the whole pool")]
    PoolOperation { step: String, operation: String },
    /// A user's name written out instead of `${user.username}`: in a shared pool the user's name
    /// is made unique, so only the variable reaches the user.
    #[error("step `{step}` writes the username `{user}` out instead of `${{{user}.username}}`")]
    LiteralUsername { step: String, user: String },
}

/// The input members that tie an operation to one user or to the scenario's own client.
const USER_OR_CLIENT: [&str; 3] = ["Username", "AccessToken", "ClientId"];

/// Whether `operation`'s input (in `model`) names a user or the scenario's client. An operation the
/// model does not know acts, for all we know, on the whole pool.
pub fn user_scoped(model: &Model, operation: &str) -> bool {
    model
        .input_shape(operation)
        .is_some_and(|(_, shape)| shape.member_names().any(|m| USER_OR_CLIENT.contains(&m)))
}

/// The key of the pool this scenario may share (equal keys: the same pool fixture), or why it
/// needs a pool of its own.
pub fn shared_pool_key(scenario: &Scenario, model: &Model) -> Result<String, OwnPool> {
    for step in &scenario.steps {
        match &step.action {
            Action::Raw(_) => {
                return Err(OwnPool::Raw {
                    step: step.name.value.clone(),
                })
            }
            Action::Call { operation, input } => {
                scoped(model, &step.name.value, &operation.value)?;
                if let Some(user) = scenario
                    .fixtures
                    .users
                    .iter()
                    .find(|u| writes_out(input, &u.name.value))
                {
                    return Err(OwnPool::LiteralUsername {
                        step: step.name.value.clone(),
                        user: user.name.value.clone(),
                    });
                }
            }
        }
    }
    Ok(pool_key(scenario))
}

/// Whether `value` holds the plain string `name` somewhere (no `${}` in it).
fn writes_out(value: &Value, name: &str) -> bool {
    match value {
        Value::String(t) => matches!(t.parts.as_slice(), [TemplatePart::Literal(l)] if l == name),
        Value::List(items, _) => items.iter().any(|v| writes_out(v, name)),
        Value::Map(entries, _) => entries.iter().any(|(_, v)| writes_out(v, name)),
        Value::Null(_) | Value::Bool(..) | Value::Number(..) => false,
    }
}

fn scoped(model: &Model, step: &str, operation: &str) -> Result<(), OwnPool> {
    if user_scoped(model, operation) {
        Ok(())
    } else {
        Err(OwnPool::PoolOperation {
            step: step.to_owned(),
            operation: operation.to_owned(),
        })
    }
}

/// The pool's setup inputs without what names this run's pool: `PoolName`, the run tag, the id.
fn pool_key(scenario: &Scenario) -> String {
    let plan = Plan::new(scenario, "", "", "");
    let vars = Bindings::default();
    let mut parts: Vec<Json> = Vec::new();
    for call in plan.pool_calls() {
        let (operation, mut input) = plan.request(scenario, call, &vars);
        if let Some(obj) = input.as_object_mut() {
            for naming in ["PoolName", "UserPoolTags", "UserPoolId"] {
                obj.remove(naming);
            }
        }
        parts.push(Json::String(operation.to_owned()));
        parts.push(input);
    }
    Json::Array(parts).to_string()
}

impl Plan {
    /// The calls that make and configure the pool itself (before the client and users).
    pub fn pool_calls(&self) -> Vec<SetupCall> {
        self.calls
            .iter()
            .copied()
            .filter(|c| matches!(c, SetupCall::CreatePool | SetupCall::SetPoolMfaConfig))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn scenario(body: &str) -> Scenario {
        crate::scenario::load(
            std::path::Path::new("s.yaml"),
            &format!("name: s\n{body}"),
            crate::model::cognito(),
        )
        .unwrap()
    }

    const USER: &str = "fixtures:\n  users:\n    alice: { sign_in: true }\n";

    #[test]
    fn user_and_client_operations_share_pool_operations_do_not() {
        let m = crate::model::cognito();
        for op in [
            "GetUser",
            "SetUserMFAPreference",
            "AdminSetUserMFAPreference",
            "InitiateAuth",
            "RespondToAuthChallenge",
            "AdminDeleteUser",
            "GlobalSignOut",
        ] {
            assert!(user_scoped(m, op), "{op}");
        }
        for op in [
            "SetUserPoolMfaConfig",
            "GetUserPoolMfaConfig",
            "DescribeUserPool",
            "ListUsers",
            "DeleteUserPool",
            "ListUserPools",
            "CreateGroup",
            "NoSuchOperation",
        ] {
            assert!(!user_scoped(m, op), "{op}");
        }
    }

    #[test]
    fn a_pool_operation_or_a_raw_step_keeps_a_pool_of_its_own() {
        let m = crate::model::cognito();
        let s = scenario(&format!("{USER}steps:\n  - name: a\n    call: GetUser\n    input: {{ AccessToken: \"${{alice.access_token}}\" }}\n  - name: b\n    call: DescribeUserPool\n    input: {{ UserPoolId: \"${{pool.id}}\" }}\n"));
        assert_eq!(
            shared_pool_key(&s, m),
            Err(OwnPool::PoolOperation {
                step: "b".into(),
                operation: "DescribeUserPool".into()
            })
        );
        let raw = scenario("steps:\n  - name: r\n    raw: { target: X.GetUser, json: {} }\n");
        assert!(matches!(shared_pool_key(&raw, m), Err(OwnPool::Raw { .. })));
        let user_raw = scenario("steps:\n  - name: r\n    raw: { operation: GetUser, json: {} }\n");
        assert!(matches!(
            shared_pool_key(&user_raw, m),
            Err(OwnPool::Raw { .. })
        ));
    }

    #[test]
    fn a_username_written_out_keeps_a_pool_of_its_own() {
        let m = crate::model::cognito();
        let step = |name: &str| {
            format!("{USER}steps:\n  - name: a\n    call: AdminGetUser\n    input: {{ UserPoolId: \"${{pool.id}}\", Username: {name} }}\n")
        };
        assert_eq!(
            shared_pool_key(&scenario(&step("alice")), m),
            Err(OwnPool::LiteralUsername {
                step: "a".into(),
                user: "alice".into()
            })
        );
        assert!(shared_pool_key(&scenario(&step("\"${alice.username}\"")), m).is_ok());
        // A name no fixture has is not one of the scenario's users: sharing cannot change its answer.
        assert!(shared_pool_key(&scenario(&step("nobody-here")), m).is_ok());
    }

    #[test]
    fn equal_pool_fixtures_give_equal_keys_whatever_the_users_and_steps() {
        let m = crate::model::cognito();
        let step = "steps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: x }\n";
        let a = scenario(&format!("{USER}{step}"));
        let b = scenario(&format!(
            "fixtures:\n  users:\n    bob: {{ status: unconfirmed }}\n{step}"
        ));
        let totp = scenario(&format!(
            "fixtures:\n  pool: {{ mfa: OPTIONAL, software_token_mfa: true }}\n{step}"
        ));
        assert_eq!(shared_pool_key(&a, m), shared_pool_key(&b, m));
        assert_ne!(shared_pool_key(&a, m), shared_pool_key(&totp, m));
        assert!(shared_pool_key(&totp, m)
            .unwrap()
            .contains("SetUserPoolMfaConfig"));
    }
}
