//! Which scenarios may share a pool, and with which others (pure; decided from the service model).
//!
//! A scenario may share when no step can read or change pool-level state: every step calls an
//! operation whose input names a user (`Username`, `AccessToken`) or a client (`ClientId`, which is
//! the scenario's own), never one that acts on the pool as a whole (`SetUserPoolMfaConfig`,
//! `DescribeUserPool`, `ListUsers`, `DeleteUserPool`, groups, ...) or on no pool at all
//! (`ListUserPools`). A raw step counts by its `operation:`; one that sets its own `target:` or
//! names no operation could be anything, so it keeps a pool of its own. Scenarios share a pool when
//! their pool fixtures ask for the same `CreateUserPool` and `SetUserPoolMfaConfig` inputs; each
//! keeps its own client and users, whose names are made unique within the pool at their own length
//! ([`unique_name`]): a token names its user, and a target that reports a byte position in a body
//! holding a token ("after JSON at position 952", cognito-local) would see a longer name move it.

use serde_json::Value as Json;

use super::setup::{Plan, SetupCall};
use super::Bindings;
use crate::model::Model;
use crate::scenario::ast::{Action, Scenario, TemplatePart, Value};

/// Why a scenario keeps a pool of its own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OwnPool {
    #[error("step `{step}` is a raw request without a known operation")]
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
            Action::Raw(raw) => match (&raw.operation, &raw.target_header) {
                (Some(operation), None) => scoped(model, &step.name.value, &operation.value)?,
                _ => {
                    return Err(OwnPool::Raw {
                        step: step.name.value.clone(),
                    })
                }
            },
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

/// How many users one shared pool can hold: the two base-36 digits [`unique_name`] writes.
pub const USERS_PER_SHARED_POOL: usize = 36 * 36;

/// `name` with its last two characters replaced by `n` (below [`USERS_PER_SHARED_POOL`]) in base 36:
/// names made with different `n` differ, and each keeps its fixture's length. `None` when `name` has
/// fewer than three characters or `n` is too large.
pub fn unique_name(name: &str, n: usize) -> Option<String> {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let len = name.chars().count();
    if len < 3 || n >= USERS_PER_SHARED_POOL {
        return None;
    }
    let mut out: String = name.chars().take(len - 2).collect();
    out.push(char::from(DIGITS[n / 36]));
    out.push(char::from(DIGITS[n % 36]));
    Some(out)
}

impl Plan {
    /// This plan in the shared pool `pool_id` (named `pool_name`): the pool's own calls are dropped
    /// and user `i` is named `unique_name(name, first + i)`. `None` when a name cannot be made
    /// unique so (the scenario then makes a pool of its own).
    pub fn in_shared_pool(mut self, pool_id: &str, pool_name: &str, first: usize) -> Option<Plan> {
        self.calls
            .retain(|c| !matches!(c, SetupCall::CreatePool | SetupCall::SetPoolMfaConfig));
        for (i, u) in self.users.iter_mut().enumerate() {
            u.username = unique_name(&u.name, first + i)?;
        }
        pool_name.clone_into(&mut self.pool_name);
        self.shared_pool = Some(pool_id.to_owned());
        Some(self)
    }

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
        assert!(shared_pool_key(&user_raw, m).is_ok());
    }

    #[test]
    fn unique_names_keep_their_length_and_never_repeat() {
        let names: Vec<String> = (0..USERS_PER_SHARED_POOL)
            .map(|n| unique_name("alice", n).unwrap())
            .collect();
        assert_eq!(names[0], "ali00");
        assert_eq!(names[37], "ali11");
        assert!(names.iter().all(|n| n.chars().count() == 5));
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert_eq!(unique_name("bob", 1_295).as_deref(), Some("bzz"));
        assert_eq!(unique_name("ünï", 3).as_deref(), Some("ü03"));
        assert_eq!(unique_name("al", 0), None);
        assert_eq!(unique_name("alice", USERS_PER_SHARED_POOL), None);
        // The plan: pool calls dropped, the users renamed in order.
        let s = scenario("fixtures:\n  users:\n    alice: {}\n    bob: {}\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: x }\n");
        let plan = Plan::new(&s, "r", "us-east-1", "k")
            .in_shared_pool("us-east-1_P", "shared", 40)
            .unwrap();
        assert!(plan.pool_calls().is_empty());
        let names: Vec<&str> = plan.users.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(names, ["ali14", "b15"]);
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
