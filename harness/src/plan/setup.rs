//! The setup calls that build a scenario's fixtures, and how their answers become variables.

use serde_json::{json, Value as Json};

mod answers;
mod requests;

pub use answers::AbsorbError;

use super::bindings::{secret, volatile};
use super::{Bindings, Sensitivity};
use crate::scenario::ast::{Scenario, TotpEnrolment, UserStatus};

/// One fixture call. Its input depends on earlier answers, so it is built late by [`Plan::request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupCall {
    CreatePool,
    SetPoolMfaConfig,
    CreateClient,
    /// AdminCreateUser with the message suppressed and a temporary password.
    CreateUser(usize),
    /// AdminSetUserPassword(Permanent) to reach CONFIRMED.
    ConfirmPassword(usize),
    /// SignUp, leaving the user UNCONFIRMED.
    SignUp(usize),
    /// AdminGetUser to learn the user's `sub`.
    ReadSub(usize),
    SignIn(usize),
    AssociateTotp(usize),
    /// VerifySoftwareToken with a fresh RFC 6238 code (the runner fills `UserCode`).
    VerifyTotp(usize),
}

#[derive(Debug, Clone)]
pub struct PlannedUser {
    /// Fixture name: the variable prefix and, in a pool of the scenario's own, the username.
    pub name: String,
    /// The username sent to the target: the fixture name, or in a shared pool the fixture name made
    /// unique there (normalised back to the fixture name, so observations do not change).
    pub username: String,
    pub password: String,
    pub temporary_password: String,
    pub attributes: Vec<(String, String)>,
}

/// Everything needed to build a scenario's fixtures on a target.
#[derive(Debug, Clone)]
pub struct Plan {
    pub pool_name: String,
    /// Tagged on the pool (`cognito-drift:run-id`) so a sweep can tell this run's pools from others.
    pub run_id: String,
    pub region: String,
    pub users: Vec<PlannedUser>,
    pub calls: Vec<SetupCall>,
    /// The id of the pool shared with other scenarios that this plan joins instead of making one.
    pub shared_pool: Option<String>,
}

impl Plan {
    /// `run_id` and `secret` come from the caller so the plan stays pure and testable;
    /// `secret` must be unpredictable (it seeds the users' passwords).
    pub fn new(scenario: &Scenario, run_id: &str, region: &str, secret: &str) -> Plan {
        let fx = &scenario.fixtures;
        let mut calls = vec![SetupCall::CreatePool];
        let pool = &fx.pool;
        if pool.mfa.as_wire() != "OFF"
            || pool.software_token_mfa
            || pool.sms_mfa.is_some()
            || pool.email_mfa.is_some()
        {
            calls.push(SetupCall::SetPoolMfaConfig);
        }
        calls.push(SetupCall::CreateClient);
        let mut users = Vec::new();
        for (i, u) in fx.users.iter().enumerate() {
            match u.status {
                UserStatus::Confirmed => {
                    calls.extend([SetupCall::CreateUser(i), SetupCall::ConfirmPassword(i)])
                }
                UserStatus::ForceChangePassword => calls.push(SetupCall::CreateUser(i)),
                UserStatus::Unconfirmed => calls.push(SetupCall::SignUp(i)),
            }
            calls.push(SetupCall::ReadSub(i));
            if u.sign_in {
                calls.push(SetupCall::SignIn(i));
            }
            if u.totp != TotpEnrolment::None {
                calls.push(SetupCall::AssociateTotp(i));
            }
            if u.totp == TotpEnrolment::Verified {
                calls.push(SetupCall::VerifyTotp(i));
            }
            users.push(PlannedUser {
                name: u.name.value.clone(),
                username: u.name.value.clone(),
                password: password(secret, &u.name.value, "p"),
                temporary_password: password(secret, &u.name.value, "t"),
                attributes: u.attributes.clone(),
            });
        }
        let mut pool_name = format!("cognito-drift-{run_id}-{}", scenario.name.value);
        pool_name.truncate(128);
        Plan {
            pool_name,
            run_id: run_id.to_owned(),
            region: region.to_owned(),
            users,
            calls,
            shared_pool: None,
        }
    }

    /// The variables known before any call: names, passwords and the region.
    pub(crate) fn initial_bindings(&self) -> Bindings {
        let mut b = Bindings::default();
        b.set_str("pool.name", &self.pool_name, volatile("pool-name"));
        if let Some(id) = &self.shared_pool {
            b.set_str("pool.id", id, volatile("user-pool-id"));
        }
        b.set_str("region", &self.region, Sensitivity::Plain);
        for u in &self.users {
            let shown = if u.username == u.name {
                Sensitivity::Plain
            } else {
                Sensitivity::Alias {
                    shown: u.name.clone(),
                }
            };
            b.set_str(format!("{}.username", u.name), &u.username, shown);
            b.set_str(
                format!("{}.password", u.name),
                &u.password,
                secret("password", &u.name),
            );
            b.set_str(
                format!("{}.temporary_password", u.name),
                &u.temporary_password,
                secret("temporary-password", &u.name),
            );
        }
        b
    }

    /// Operation name and input of a setup call, from the fixtures and what is bound so far: each call
    /// has its own builder in [`requests`].
    pub fn request(
        &self,
        scenario: &Scenario,
        call: SetupCall,
        vars: &Bindings,
    ) -> (&'static str, Json) {
        let ids = requests::Ids::from(vars);
        let fx = &scenario.fixtures;
        match call {
            SetupCall::CreatePool => requests::create_pool(self, &fx.pool),
            SetupCall::SetPoolMfaConfig => requests::set_pool_mfa_config(&ids, &fx.pool),
            SetupCall::CreateClient => requests::create_client(&ids, &fx.client),
            SetupCall::CreateUser(i) => requests::create_user(&ids, &self.users[i]),
            SetupCall::ConfirmPassword(i) => requests::confirm_password(&ids, &self.users[i]),
            SetupCall::SignUp(i) => requests::sign_up(&ids, &self.users[i]),
            SetupCall::ReadSub(i) => requests::read_sub(&ids, &self.users[i]),
            SetupCall::SignIn(i) => requests::sign_in(&ids, &self.users[i]),
            SetupCall::AssociateTotp(i) => requests::associate_totp(&ids.token(&self.users[i])),
            SetupCall::VerifyTotp(i) => requests::verify_totp(&ids.token(&self.users[i])),
        }
    }

    /// Binds what a successful setup answer tells us; each call that yields something has its own
    /// reader in [`answers`]. `Err` says what the answer lacked.
    pub(crate) fn absorb(
        &self,
        call: SetupCall,
        answer: &Json,
        vars: &mut Bindings,
    ) -> Result<(), AbsorbError> {
        match call {
            SetupCall::CreatePool => answers::pool(answer, vars),
            SetupCall::CreateClient => answers::client(answer, vars),
            SetupCall::ReadSub(i) => answers::sub(answer, &self.users[i].name, vars),
            SetupCall::SignIn(i) => answers::tokens(answer, &self.users[i].name, vars),
            SetupCall::AssociateTotp(i) => answers::totp_secret(answer, &self.users[i].name, vars),
            SetupCall::VerifyTotp(_) => answers::verified(answer),
            SetupCall::SetPoolMfaConfig
            | SetupCall::CreateUser(_)
            | SetupCall::ConfirmPassword(_)
            | SetupCall::SignUp(_) => Ok(()),
        }
    }
}

fn attributes(attrs: &[(String, String)]) -> Json {
    Json::Array(
        attrs
            .iter()
            .map(|(k, v)| json!({"Name": k, "Value": v}))
            .collect(),
    )
}

/// A password that satisfies Cognito's default policy (upper, lower, digit, symbol, length ≥ 8),
/// derived from the run secret so no two runs share one.
fn password(secret: &str, user: &str, purpose: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (secret, user, purpose).hash(&mut h);
    format!(
        "Cd1!{:016x}{}",
        h.finish(),
        &secret
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(12)
            .collect::<String>()
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn email_sending_becomes_a_developer_email_configuration() {
        let src = "name: x\nfixtures:\n  pool:\n    email_sending: { source_arn: \"arn:aws:ses:us-east-1:123456789012:identity/example.com\", from: a@example.com }\nsteps:\n  - name: a\n    call: ListUserPools\n    input: { MaxResults: 1 }\n";
        let s = crate::scenario::load(std::path::Path::new("x.yaml"), src, crate::model::cognito())
            .unwrap();
        let plan = Plan::new(&s, "r", "us-east-1", "secret");
        let (op, input) = plan.request(&s, SetupCall::CreatePool, &Bindings::default());
        assert_eq!(op, "CreateUserPool");
        assert_eq!(
            input["EmailConfiguration"],
            json!({
                "EmailSendingAccount": "DEVELOPER",
                "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
                "From": "a@example.com",
            })
        );
    }
}
