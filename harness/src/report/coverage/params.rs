//! Which SetUserMFAPreference request members and values the scenarios send (pure): the settings
//! objects' Enabled × PreferredMfa combinations, WebAuthnMfaSettings.Enabled, and the kind of AccessToken.

use crate::scenario::ast::{Action, RawBody, Scenario, TemplatePart, Value};

pub const OPERATION: &str = "SetUserMFAPreference";
/// The settings objects with Enabled and PreferredMfa.
pub(crate) const SETTINGS: &[&str] = &[
    "SMSMfaSettings",
    "SoftwareTokenMfaSettings",
    "EmailMfaSettings",
];

/// One SetUserMFAPreference request in a scenario.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sent {
    pub scenario: String,
    pub step: usize,
    /// The JSON members as sent; `None` for a body that is not JSON.
    pub body: Option<Vec<(String, Value)>>,
    /// What earlier steps did to the user whose token is sent (or to the pool), if anything.
    pub after: Option<Event>,
}

/// Something an earlier step did that changes what a fixture user's access token is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    GlobalSignOut,
    AdminSignOut,
    Disabled,
    Deleted,
    PasswordReset,
    PoolDeleted,
}

impl Event {
    fn of(operation: &str) -> Option<Event> {
        Some(match operation {
            "GlobalSignOut" => Event::GlobalSignOut,
            "AdminUserGlobalSignOut" => Event::AdminSignOut,
            "AdminDisableUser" => Event::Disabled,
            "AdminDeleteUser" => Event::Deleted,
            "AdminResetUserPassword" => Event::PasswordReset,
            "DeleteUserPool" => Event::PoolDeleted,
            _ => return None,
        })
    }
}

/// Every SetUserMFAPreference request, `call:` and `raw:` alike, in scenario order.
pub fn requests(scenarios: &[Scenario]) -> Vec<Sent> {
    let mut out = Vec::new();
    for s in scenarios {
        // Per fixture user (`None`: the whole pool), the last event that changed their tokens.
        let mut events: Vec<(Option<String>, Event)> = Vec::new();
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
            if let Some(event) = op.and_then(Event::of) {
                let user = match event {
                    Event::PoolDeleted => None,
                    Event::GlobalSignOut => body.as_deref().and_then(|b| user_of(b, "AccessToken")),
                    _ => body.as_deref().and_then(|b| user_of(b, "Username")),
                };
                events.push((user, event));
            }
            if op == Some(OPERATION) {
                let user = body.as_deref().and_then(|b| user_of(b, "AccessToken"));
                let after = events
                    .iter()
                    .rev()
                    .find(|(u, _)| u.is_none() || *u == user)
                    .map(|(_, e)| *e);
                out.push(Sent {
                    scenario: s.name.value.clone(),
                    step: i,
                    body,
                    after,
                });
            }
        }
    }
    out
}

/// The fixture user a member names through a variable (`${alice.username}`, `${alice.access_token}`).
fn user_of(body: &[(String, Value)], name: &str) -> Option<String> {
    let Value::String(t) = member(body, name)? else {
        return None;
    };
    t.parts.iter().find_map(|p| match p {
        TemplatePart::Var { name, .. } => name.split('.').next().map(str::to_owned),
        TemplatePart::Literal(_) => None,
    })
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
pub(crate) fn combination(sent: &Sent, settings: &str) -> Option<(String, String)> {
    let body = sent.body.as_ref()?;
    let obj = member(body, settings)?;
    Some((flag(Some(obj), "Enabled"), flag(Some(obj), "PreferredMfa")))
}

/// `WebAuthnMfaSettings.Enabled`, or `None` when the object is not sent.
pub(crate) fn webauthn(sent: &Sent) -> Option<String> {
    let obj = member(sent.body.as_ref()?, "WebAuthnMfaSettings")?;
    Some(flag(Some(obj), "Enabled"))
}

/// The kinds of AccessToken the coverage page lists, in order; the last one needs an app client with
/// OAuth scopes, which no fixture makes yet, and so is never detected.
pub(crate) const TOKEN_KINDS: &[&str] = &[
    "access token of a signed-in user",
    "access token revoked by GlobalSignOut",
    "access token revoked by AdminUserGlobalSignOut",
    "access token of a disabled user",
    "access token of a deleted user",
    "access token of a user whose password was reset",
    "access token after its user pool was deleted",
    "ID token instead of the access token",
    "refresh token instead of the access token",
    "forged: alg none",
    "forged: corrupted signature",
    "forged: exp in the past (expired)",
    "forged: sub of another user",
    "pattern-valid string that is not a JWT",
    "string that breaks the token pattern",
    "empty string",
    "null",
    "number, boolean, list or map",
    "missing",
    "body that is not JSON",
    "access token without the aws.cognito.signin.user.admin scope",
];

/// Which of [`TOKEN_KINDS`] a request sends.
pub(crate) fn token_kind(sent: &Sent) -> &'static str {
    let Some(body) = &sent.body else {
        return "body that is not JSON";
    };
    let t = match member(body, "AccessToken") {
        None => return "missing",
        Some(Value::String(t)) => t,
        Some(Value::Null(_)) => return "null",
        Some(_) => return "number, boolean, list or map",
    };
    let var = t.parts.iter().find_map(|p| match p {
        TemplatePart::Var { name, .. } => Some(name.as_str()),
        TemplatePart::Literal(_) => None,
    });
    let Some(var) = var else {
        let text = literal(&t.parts);
        return if text.is_empty() {
            "empty string"
        } else if text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=.".contains(c))
        {
            "pattern-valid string that is not a JWT"
        } else {
            "string that breaks the token pattern"
        };
    };
    let (_, what) = var.split_once('.').unwrap_or((var, ""));
    match what {
        "access_token" => match sent.after {
            None => "access token of a signed-in user",
            Some(Event::GlobalSignOut) => "access token revoked by GlobalSignOut",
            Some(Event::AdminSignOut) => "access token revoked by AdminUserGlobalSignOut",
            Some(Event::Disabled) => "access token of a disabled user",
            Some(Event::Deleted) => "access token of a deleted user",
            Some(Event::PasswordReset) => "access token of a user whose password was reset",
            Some(Event::PoolDeleted) => "access token after its user pool was deleted",
        },
        "id_token" => "ID token instead of the access token",
        "refresh_token" => "refresh token instead of the access token",
        "forged.alg_none" => "forged: alg none",
        "forged.bad_signature" => "forged: corrupted signature",
        "forged.expired" => "forged: exp in the past (expired)",
        w if w.starts_with("forged.sub_of.") => "forged: sub of another user",
        _ => "pattern-valid string that is not a JWT",
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
