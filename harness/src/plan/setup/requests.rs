//! One builder per setup call: its operation and input, from the fixtures and what earlier answers
//! bound.

use serde_json::{json, Value as Json};

use super::{attributes, Plan, PlannedUser};
use crate::plan::Bindings;
use crate::scenario::ast::{ClientFixture, PoolFixture};

/// What earlier setup answers bound and later calls send.
pub(super) struct Ids<'a> {
    pool: &'a str,
    client: &'a str,
    vars: &'a Bindings,
}

impl<'a> From<&'a Bindings> for Ids<'a> {
    fn from(vars: &'a Bindings) -> Self {
        Ids {
            pool: vars.get_str("pool.id").unwrap_or_default(),
            client: vars.get_str("client.id").unwrap_or_default(),
            vars,
        }
    }
}

impl Ids<'_> {
    /// The user's access token from the sign-in call.
    pub(super) fn token(&self, user: &PlannedUser) -> String {
        self.vars
            .get_str(&format!("{}.access_token", user.name))
            .unwrap_or_default()
            .to_owned()
    }
}

pub(super) fn create_pool(plan: &Plan, pool: &PoolFixture) -> (&'static str, Json) {
    let mut input = json!({
        "PoolName": plan.pool_name,
        "UserPoolTags": {crate::aws::tags::RUN_ID_TAG: plan.run_id},
    });
    if let Some(tier) = &pool.tier {
        input["UserPoolTier"] = json!(tier);
    }
    if let Some(sending) = &pool.email_sending {
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

pub(super) fn set_pool_mfa_config(ids: &Ids<'_>, pool: &PoolFixture) -> (&'static str, Json) {
    let mut input = json!({
        "UserPoolId": ids.pool,
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

pub(super) fn create_client(ids: &Ids<'_>, client: &ClientFixture) -> (&'static str, Json) {
    (
        "CreateUserPoolClient",
        json!({
            "UserPoolId": ids.pool,
            "ClientName": "cognito-drift",
            "ExplicitAuthFlows": client.auth_flows,
        }),
    )
}

pub(super) fn create_user(ids: &Ids<'_>, user: &PlannedUser) -> (&'static str, Json) {
    (
        "AdminCreateUser",
        json!({
            "UserPoolId": ids.pool,
            "Username": user.username,
            "TemporaryPassword": user.temporary_password,
            "MessageAction": "SUPPRESS",
            "UserAttributes": attributes(&user.attributes),
        }),
    )
}

pub(super) fn confirm_password(ids: &Ids<'_>, user: &PlannedUser) -> (&'static str, Json) {
    (
        "AdminSetUserPassword",
        json!({"UserPoolId": ids.pool, "Username": user.username, "Password": user.password, "Permanent": true}),
    )
}

pub(super) fn sign_up(ids: &Ids<'_>, user: &PlannedUser) -> (&'static str, Json) {
    (
        "SignUp",
        json!({
            "ClientId": ids.client,
            "Username": user.username,
            "Password": user.password,
            "UserAttributes": attributes(&user.attributes),
        }),
    )
}

pub(super) fn read_sub(ids: &Ids<'_>, user: &PlannedUser) -> (&'static str, Json) {
    (
        "AdminGetUser",
        json!({"UserPoolId": ids.pool, "Username": user.username}),
    )
}

pub(super) fn sign_in(ids: &Ids<'_>, user: &PlannedUser) -> (&'static str, Json) {
    (
        "InitiateAuth",
        json!({
            "ClientId": ids.client,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": user.username, "PASSWORD": user.password},
        }),
    )
}

pub(super) fn associate_totp(token: &str) -> (&'static str, Json) {
    ("AssociateSoftwareToken", json!({"AccessToken": token}))
}

pub(super) fn verify_totp(token: &str) -> (&'static str, Json) {
    (
        "VerifySoftwareToken",
        json!({"AccessToken": token, "FriendlyDeviceName": "cognito-drift"}),
    )
}
