//! The setup calls that build a scenario's fixtures, and how their answers become variables.

use serde_json::{json, Value as Json};

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
    /// Fixture name, also the username sent to the target (stable across runs, so no placeholder).
    pub name: String,
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
        }
    }

    /// The variables known before any call: names, passwords and the region.
    pub(crate) fn initial_bindings(&self) -> Bindings {
        let mut b = Bindings::default();
        b.set_str("pool.name", &self.pool_name, volatile("pool-name"));
        b.set_str("region", &self.region, Sensitivity::Plain);
        for u in &self.users {
            b.set_str(format!("{}.username", u.name), &u.name, Sensitivity::Plain);
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

    /// Operation name and input of a setup call, from the fixtures and what is bound so far.
    pub fn request(
        &self,
        scenario: &Scenario,
        call: SetupCall,
        vars: &Bindings,
    ) -> (&'static str, Json) {
        let pool_id = vars.get_str("pool.id").unwrap_or_default();
        let client_id = vars.get_str("client.id").unwrap_or_default();
        let user = |i: usize| &self.users[i];
        let token = |i: usize| {
            vars.get_str(&format!("{}.access_token", user(i).name))
                .unwrap_or_default()
                .to_owned()
        };
        match call {
            SetupCall::CreatePool => {
                let mut input = json!({
                    "PoolName": self.pool_name,
                    "UserPoolTags": {crate::aws::tags::RUN_ID_TAG: self.run_id},
                });
                if let Some(tier) = &scenario.fixtures.pool.tier {
                    input["UserPoolTier"] = json!(tier);
                }
                if let Some(sending) = &scenario.fixtures.pool.email_sending {
                    let mut cfg = json!({
                        "EmailSendingAccount": "DEVELOPER",
                        "SourceArn": sending.source_arn,
                    });
                    if let Some(from) = &sending.from {
                        cfg["From"] = json!(from);
                    }
                    input["EmailConfiguration"] = cfg;
                }
                ("CreateUserPool", input)
            }
            SetupCall::SetPoolMfaConfig => {
                let pool = &scenario.fixtures.pool;
                let mut input = json!({
                    "UserPoolId": pool_id,
                    "MfaConfiguration": pool.mfa.as_wire(),
                    "SoftwareTokenMfaConfiguration": {"Enabled": pool.software_token_mfa},
                });
                if let Some(sms) = &pool.sms_mfa {
                    let mut cfg = json!({"SnsCallerArn": sms.sns_caller_arn});
                    if let Some(id) = &sms.external_id {
                        cfg["ExternalId"] = json!(id);
                    }
                    let mut sms_cfg = json!({"SmsConfiguration": cfg});
                    if let Some(m) = &sms.message {
                        sms_cfg["SmsAuthenticationMessage"] = json!(m);
                    }
                    input["SmsMfaConfiguration"] = sms_cfg;
                }
                if let Some(email) = &pool.email_mfa {
                    let mut cfg = json!({});
                    if let Some(m) = &email.message {
                        cfg["Message"] = json!(m);
                    }
                    if let Some(s) = &email.subject {
                        cfg["Subject"] = json!(s);
                    }
                    input["EmailMfaConfiguration"] = cfg;
                }
                ("SetUserPoolMfaConfig", input)
            }
            SetupCall::CreateClient => (
                "CreateUserPoolClient",
                json!({
                    "UserPoolId": pool_id,
                    "ClientName": "cognito-drift",
                    "ExplicitAuthFlows": scenario.fixtures.client.auth_flows,
                }),
            ),
            SetupCall::CreateUser(i) => (
                "AdminCreateUser",
                json!({
                    "UserPoolId": pool_id,
                    "Username": user(i).name,
                    "TemporaryPassword": user(i).temporary_password,
                    "MessageAction": "SUPPRESS",
                    "UserAttributes": attributes(&user(i).attributes),
                }),
            ),
            SetupCall::ConfirmPassword(i) => (
                "AdminSetUserPassword",
                json!({"UserPoolId": pool_id, "Username": user(i).name, "Password": user(i).password, "Permanent": true}),
            ),
            SetupCall::SignUp(i) => (
                "SignUp",
                json!({
                    "ClientId": client_id,
                    "Username": user(i).name,
                    "Password": user(i).password,
                    "UserAttributes": attributes(&user(i).attributes),
                }),
            ),
            SetupCall::ReadSub(i) => (
                "AdminGetUser",
                json!({"UserPoolId": pool_id, "Username": user(i).name}),
            ),
            SetupCall::SignIn(i) => (
                "InitiateAuth",
                json!({
                    "ClientId": client_id,
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": user(i).name, "PASSWORD": user(i).password},
                }),
            ),
            SetupCall::AssociateTotp(i) => {
                ("AssociateSoftwareToken", json!({"AccessToken": token(i)}))
            }
            SetupCall::VerifyTotp(i) => (
                "VerifySoftwareToken",
                json!({"AccessToken": token(i), "FriendlyDeviceName": "cognito-drift"}),
            ),
        }
    }

    /// Binds what a successful setup answer tells us. `Err` names what was missing from the answer.
    pub(crate) fn absorb(
        &self,
        call: SetupCall,
        answer: &Json,
        vars: &mut Bindings,
    ) -> Result<(), String> {
        let field = |ptr: &str| {
            answer
                .pointer(ptr)
                .and_then(Json::as_str)
                .ok_or_else(|| format!("answer has no `{ptr}`"))
        };
        match call {
            SetupCall::CreatePool => {
                vars.set_str("pool.id", field("/UserPool/Id")?, volatile("user-pool-id"))
            }
            SetupCall::CreateClient => vars.set_str(
                "client.id",
                field("/UserPoolClient/ClientId")?,
                volatile("client-id"),
            ),
            SetupCall::ReadSub(i) => {
                let sub = answer
                    .get("UserAttributes")
                    .and_then(Json::as_array)
                    .and_then(|attrs| attrs.iter().find(|a| a.get("Name") == Some(&json!("sub"))))
                    .and_then(|a| a.get("Value"))
                    .and_then(Json::as_str)
                    .ok_or("answer has no `sub` attribute")?;
                vars.set_str(format!("{}.sub", self.users[i].name), sub, volatile("sub"));
            }
            SetupCall::SignIn(i) => {
                let name = &self.users[i].name;
                if let Some(challenge) = answer.get("ChallengeName").and_then(Json::as_str) {
                    return Err(format!(
                        "sign-in answered with the challenge {challenge} instead of tokens"
                    ));
                }
                for (var, ptr, kind) in [
                    (
                        "access_token",
                        "/AuthenticationResult/AccessToken",
                        "access-token",
                    ),
                    ("id_token", "/AuthenticationResult/IdToken", "id-token"),
                    (
                        "refresh_token",
                        "/AuthenticationResult/RefreshToken",
                        "refresh-token",
                    ),
                ] {
                    vars.set_str(format!("{name}.{var}"), field(ptr)?, secret(kind, name));
                }
            }
            SetupCall::AssociateTotp(i) => {
                let name = &self.users[i].name;
                vars.set_str(
                    format!("{name}.totp_secret"),
                    field("/SecretCode")?,
                    secret("totp-secret", name),
                );
            }
            SetupCall::VerifyTotp(_) => {
                if answer.get("Status").and_then(Json::as_str) != Some("SUCCESS") {
                    return Err(format!(
                        "VerifySoftwareToken answered {answer} instead of Status SUCCESS"
                    ));
                }
            }
            SetupCall::SetPoolMfaConfig
            | SetupCall::CreateUser(_)
            | SetupCall::ConfirmPassword(_)
            | SetupCall::SignUp(_) => {}
        }
        Ok(())
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
