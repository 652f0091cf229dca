//! The `fixtures:` section: the pool, app client and users set up before the steps run.

use super::ast::{
    ClientFixture, EmailMfaFixture, EmailSendingFixture, Fixtures, MfaConfiguration, Node,
    PoolFixture, SmsMfaFixture, TotpEnrolment, UserFixture, UserStatus,
};
use super::reader::{is_identifier, Ctx};
use super::variables::BUILTIN_VARIABLES;
use super::yaml::{Yaml, YamlKind};
use crate::diagnostic::did_you_mean;
use crate::model::{Model, Shape};

pub(super) const FIXTURE_KEYS: &[&str] = &["pool", "client", "users"];
pub(super) const POOL_KEYS: &[&str] = &[
    "mfa",
    "tier",
    "software_token_mfa",
    "sms_mfa",
    "email_mfa",
    "email_sending",
];
pub(super) const EMAIL_SENDING_KEYS: &[&str] = &["source_arn", "from"];
pub(super) const SMS_KEYS: &[&str] = &["sns_caller_arn", "external_id", "message"];
pub(super) const EMAIL_KEYS: &[&str] = &["subject", "message"];
pub(super) const CLIENT_KEYS: &[&str] = &["auth_flows"];
pub(super) const USER_KEYS: &[&str] = &["attributes", "status", "sign_in", "totp"];

const MFA: &[(&str, MfaConfiguration)] = &[
    ("OFF", MfaConfiguration::Off),
    ("OPTIONAL", MfaConfiguration::Optional),
    ("ON", MfaConfiguration::On),
];
const TIERS: &[(&str, &str)] = &[
    ("LITE", "LITE"),
    ("ESSENTIALS", "ESSENTIALS"),
    ("PLUS", "PLUS"),
];
const STATUS: &[(&str, UserStatus)] = &[
    ("confirmed", UserStatus::Confirmed),
    ("unconfirmed", UserStatus::Unconfirmed),
    ("force_change_password", UserStatus::ForceChangePassword),
];
const TOTP: &[(&str, TotpEnrolment)] = &[
    ("none", TotpEnrolment::None),
    ("associated", TotpEnrolment::Associated),
    ("verified", TotpEnrolment::Verified),
];

pub(crate) fn fixtures(ctx: &mut Ctx<'_>, model: &Model, node: Option<&Yaml>) -> Fixtures {
    let mut fixtures = Fixtures::default();
    let Some(f) = node.and_then(|node| ctx.fields(node, "fixtures", "fixtures", FIXTURE_KEYS))
    else {
        return fixtures;
    };
    if let Some(pool) = f.get("pool") {
        fixtures.pool = self::pool(ctx, pool);
    }
    if let Some(client) = f.get("client") {
        fixtures.client = self::client(ctx, model, client);
    }
    if let Some(users) = f.get("users") {
        fixtures.users = self::users(ctx, users);
    }
    fixtures
}

fn pool(ctx: &mut Ctx<'_>, node: &Yaml) -> PoolFixture {
    let mut pool = PoolFixture {
        span: node.span,
        ..PoolFixture::default()
    };
    let Some(f) = ctx.fields(node, "pool", "pool fixture", POOL_KEYS) else {
        return pool;
    };
    if let Some(v) = f.get("mfa") {
        pool.mfa = ctx.choice("mfa", v, MFA).unwrap_or_default();
    }
    if let Some(v) = f.get("tier") {
        pool.tier = ctx.choice("tier", v, TIERS).map(str::to_owned);
    }
    if let Some(v) = f.get("software_token_mfa") {
        pool.software_token_mfa = ctx.boolean("software_token_mfa", v).unwrap_or_default();
    }
    if let Some(v) = f.get("sms_mfa") {
        if let Some(sms) = ctx.fields(v, "sms_mfa", "sms_mfa fixture", SMS_KEYS) {
            let arn = sms
                .required(ctx, "sns_caller_arn", "sms_mfa fixture")
                .and_then(|v| ctx.string("sns_caller_arn", v));
            pool.sms_mfa = Some(SmsMfaFixture {
                sns_caller_arn: arn.map(|n| n.value).unwrap_or_default(),
                external_id: sms
                    .get("external_id")
                    .and_then(|v| ctx.text("external_id", v))
                    .map(|n| n.value),
                message: sms
                    .get("message")
                    .and_then(|v| ctx.string("message", v))
                    .map(|n| n.value),
            });
        }
    }
    if let Some(v) = f.get("email_mfa") {
        if let Some(email) = ctx.fields(v, "email_mfa", "email_mfa fixture", EMAIL_KEYS) {
            pool.email_mfa = Some(EmailMfaFixture {
                subject: email
                    .get("subject")
                    .and_then(|v| ctx.string("subject", v))
                    .map(|n| n.value),
                message: email
                    .get("message")
                    .and_then(|v| ctx.string("message", v))
                    .map(|n| n.value),
            });
        }
    }
    if let Some(v) = f.get("email_sending") {
        pool.email_sending = email_sending(ctx, v);
    }
    pool
}

/// `email_sending:`, the pool's `EmailConfiguration` through an SES identity (`DEVELOPER`).
fn email_sending(ctx: &mut Ctx<'_>, node: &Yaml) -> Option<EmailSendingFixture> {
    let f = ctx.fields(
        node,
        "email_sending",
        "email_sending fixture",
        EMAIL_SENDING_KEYS,
    )?;
    let arn = f
        .required(ctx, "source_arn", "email_sending fixture")
        .and_then(|v| ctx.string("source_arn", v))?;
    if !arn.value.starts_with("arn:") || !arn.value.contains(":ses:") {
        ctx.error(
            "`source_arn` is not an SES identity ARN",
            arn.span,
            "expected `arn:aws:ses:<region>:<account>:identity/<email or domain>`",
        );
    }
    Some(EmailSendingFixture {
        source_arn: arn.value,
        from: f
            .get("from")
            .and_then(|v| ctx.string("from", v))
            .map(|n| n.value),
    })
}

fn client(ctx: &mut Ctx<'_>, model: &Model, node: &Yaml) -> ClientFixture {
    let mut client = ClientFixture {
        span: node.span,
        ..ClientFixture::default()
    };
    let Some(f) = ctx.fields(node, "client", "client fixture", CLIENT_KEYS) else {
        return client;
    };
    let Some(flows) = f
        .get("auth_flows")
        .and_then(|v| ctx.string_list("auth_flows", v))
    else {
        return client;
    };
    let known = auth_flow_names(model);
    for flow in &flows {
        if !known.is_empty() && !known.contains(&flow.value.as_str()) {
            let d = ctx
                .diagnostic(
                    format!("unknown auth flow `{}`", flow.value),
                    flow.span,
                    "not an ExplicitAuthFlowsType value",
                )
                .with_suggestion(did_you_mean(&flow.value, known.iter().copied()));
            ctx.push(d);
        }
    }
    client.auth_flows = flows.into_iter().map(|n| n.value).collect();
    client
}

/// The `ExplicitAuthFlowsType` enum from the model, so fixture flows are checked against the real list.
fn auth_flow_names(model: &Model) -> Vec<&str> {
    match model.shape("ExplicitAuthFlowsType") {
        Some(Shape::String { enum_values, .. }) => enum_values.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    }
}

fn users(ctx: &mut Ctx<'_>, node: &Yaml) -> Vec<UserFixture> {
    let entries = match &node.kind {
        YamlKind::Map(entries) => entries,
        YamlKind::Null => return Vec::new(),
        _ => {
            ctx.wrong_type("users", "a map of user names to users", node);
            return Vec::new();
        }
    };
    let mut users: Vec<UserFixture> = Vec::new();
    for (key, value) in entries {
        let Some(name) = ctx.key(key) else { continue };
        if let Some(first) = users.iter().find(|u| u.name.value == name.value) {
            let d = ctx
                .diagnostic(
                    format!("duplicate user `{}`", name.value),
                    name.span,
                    "defined again here",
                )
                .with_note(format!(
                    "first defined at line {}, column {}",
                    first.name.span.line, first.name.span.column
                ));
            ctx.push(d);
            continue;
        }
        let reserved = BUILTIN_VARIABLES
            .iter()
            .any(|v| v.split('.').next() == Some(name.value.as_str()));
        if !is_identifier(&name.value) || reserved {
            ctx.error(
                format!("invalid user name `{}`", name.value),
                name.span,
                if reserved {
                    "this name is taken by built-in variables".to_owned()
                } else {
                    "expected a letter or `_`, then letters, digits, `_` or `-`".to_owned()
                },
            );
            continue;
        }
        let mut user = UserFixture {
            name,
            attributes: Vec::new(),
            status: UserStatus::default(),
            sign_in: false,
            totp: TotpEnrolment::default(),
        };
        if let Some(f) = ctx.fields(value, &user.name.value, "user fixture", USER_KEYS) {
            if let Some(attributes) = f.get("attributes") {
                user.attributes = self::attributes(ctx, attributes);
            }
            if let Some(v) = f.get("status") {
                user.status = ctx.choice("status", v, STATUS).unwrap_or_default();
            }
            if let Some(v) = f.get("sign_in") {
                user.sign_in = ctx.boolean("sign_in", v).unwrap_or_default();
            }
            if let Some(v) = f.get("totp") {
                user.totp = ctx.choice("totp", v, TOTP).unwrap_or_default();
                if user.totp != TotpEnrolment::None && !user.sign_in {
                    let d = ctx
                        .diagnostic(
                            "TOTP enrolment needs a signed-in user",
                            v.span,
                            "needs `sign_in: true`",
                        )
                        .with_help(format!("add `sign_in: true` to user `{}`", user.name.value));
                    ctx.push(d);
                }
            }
        }
        users.push(user);
    }
    users
}

fn attributes(ctx: &mut Ctx<'_>, node: &Yaml) -> Vec<(String, String)> {
    let entries = match &node.kind {
        YamlKind::Map(entries) => entries,
        YamlKind::Null => return Vec::new(),
        _ => {
            ctx.wrong_type("attributes", "a map of attribute names to values", node);
            return Vec::new();
        }
    };
    let mut attributes: Vec<(Node<String>, ())> = Vec::new();
    let mut values = Vec::new();
    for (key, value) in entries {
        let Some(name) = ctx.key(key) else { continue };
        if ctx.duplicate(&attributes, &name) {
            continue;
        }
        if let Some(text) = ctx.text(&name.value, value) {
            values.push((name.value.clone(), text.value));
        }
        attributes.push((name, ()));
    }
    values
}
