//! Which SetUserMFAPreference request members and values the scenarios send (pure): the settings
//! objects' Enabled × PreferredMfa combinations, WebAuthnMfaSettings.Enabled, and the kind of AccessToken.

use crate::scenario::ast::{Action, RawBody, Scenario, TemplatePart, Value};

pub const OPERATION: &str = "SetUserMFAPreference";
/// The settings objects with Enabled and PreferredMfa.
pub const SETTINGS: &[&str] = &[
    "SMSMfaSettings",
    "SoftwareTokenMfaSettings",
    "EmailMfaSettings",
];

/// One SetUserMFAPreference request in a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub scenario: String,
    pub step: usize,
    /// The JSON members as sent; `None` for a body that is not JSON.
    pub body: Option<Vec<(String, Value)>>,
    /// Whether an earlier step of the scenario signed the user out globally (the token is revoked).
    pub after_global_sign_out: bool,
}

/// Every SetUserMFAPreference request, `call:` and `raw:` alike, in scenario order.
pub fn requests(scenarios: &[Scenario]) -> Vec<Sent> {
    let mut out = Vec::new();
    for s in scenarios {
        let mut signed_out = false;
        for (i, step) in s.steps.iter().enumerate() {
            let (op, body) = match &step.action {
                Action::Call { operation, input } => {
                    (Some(operation.value.as_str()), members(input))
                }
                Action::Raw(raw) => (
                    raw.operation.as_ref().map(|o| o.value.as_str()),
                    match &raw.body {
                        RawBody::Json(v) => members(v),
                        RawBody::Text(_) | RawBody::Bytes(_) => None,
                    },
                ),
            };
            if op == Some("GlobalSignOut") {
                signed_out = true;
            }
            if op == Some(OPERATION) {
                out.push(Sent {
                    scenario: s.name.value.clone(),
                    step: i,
                    body,
                    after_global_sign_out: signed_out,
                });
            }
        }
    }
    out
}

fn members(v: &Value) -> Option<Vec<(String, Value)>> {
    match v {
        Value::Map(m, _) => Some(
            m.iter()
                .map(|(k, v)| (k.value.clone(), v.clone()))
                .collect(),
        ),
        _ => None,
    }
}

fn member<'a>(m: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    m.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// How a boolean member was sent: `true`, `false`, `absent`, or the literal of another type.
pub fn flag(settings: Option<&Value>, name: &str) -> String {
    let Some(Value::Map(m, _)) = settings else {
        return "absent".into();
    };
    match m.iter().find(|(k, _)| k.value == name).map(|(_, v)| v) {
        None => "absent".into(),
        Some(Value::Bool(b, _)) => b.to_string(),
        Some(Value::String(t)) => format!("string {:?}", literal(&t.parts)),
        Some(Value::Null(_)) => "null".into(),
        Some(Value::Number(n, _)) => format!("number {n}"),
        Some(_) => "other".into(),
    }
}

/// The `(Enabled, PreferredMfa)` pair a request sends for one settings object, or `None` when the
/// object is not sent at all.
pub fn combination(sent: &Sent, settings: &str) -> Option<(String, String)> {
    let body = sent.body.as_ref()?;
    let obj = member(body, settings)?;
    Some((flag(Some(obj), "Enabled"), flag(Some(obj), "PreferredMfa")))
}

/// `WebAuthnMfaSettings.Enabled`, or `None` when the object is not sent.
pub fn webauthn(sent: &Sent) -> Option<String> {
    let obj = member(sent.body.as_ref()?, "WebAuthnMfaSettings")?;
    Some(flag(Some(obj), "Enabled"))
}

/// The kinds of AccessToken the coverage page lists, in order; the last ones need fixtures that do not
/// exist yet and so are never detected.
pub const TOKEN_KINDS: &[&str] = &[
    "access token of a signed-in user",
    "access token revoked by GlobalSignOut",
    "ID token instead of the access token",
    "pattern-valid string that is not a JWT",
    "empty string",
    "missing",
    "body that is not JSON",
    "expired access token",
    "access token of a deleted user",
    "access token of a disabled user",
    "access token without the aws.cognito.signin.user.admin scope",
];

/// Which of [`TOKEN_KINDS`] a request sends.
pub fn token_kind(sent: &Sent) -> &'static str {
    let Some(body) = &sent.body else {
        return "body that is not JSON";
    };
    let Some(token) = member(body, "AccessToken") else {
        return "missing";
    };
    let Value::String(t) = token else {
        return "pattern-valid string that is not a JWT";
    };
    let var = t.parts.iter().find_map(|p| match p {
        TemplatePart::Var { name, .. } => Some(name.as_str()),
        TemplatePart::Literal(_) => None,
    });
    match var {
        Some(v) if v.ends_with(".access_token") && sent.after_global_sign_out => {
            "access token revoked by GlobalSignOut"
        }
        Some(v) if v.ends_with(".access_token") => "access token of a signed-in user",
        Some(v) if v.ends_with(".id_token") => "ID token instead of the access token",
        Some(_) => "pattern-valid string that is not a JWT",
        None if literal(&t.parts).is_empty() => "empty string",
        None => "pattern-valid string that is not a JWT",
    }
}

fn literal(parts: &[TemplatePart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            TemplatePart::Literal(s) => s.clone(),
            TemplatePart::Var { name, .. } => format!("${{{name}}}"),
        })
        .collect()
}
