//! Outcome classes: what of an answer the lockstep comparison looks at (status, error type, the MFA
//! members after normalisation), the output-shape check of a 2xx answer, and the label of an
//! action's input class.

use serde_json::Value as Json;

use super::action::{Action, Code, FactorSetting, MfaSettings};
use crate::observation::StepRecord;

/// The members of an answer that say something about MFA; everything else (ids, dates, messages)
/// differs between targets for no reason that matters here.
const MFA_FIELDS: &[&str] = &[
    "ChallengeName",
    "PreferredMfaSetting",
    "UserMFASettingList",
    "Status",
];
/// Operations that change no state: a difference there does not make later steps consequences.
const READ_ONLY: &[&str] = &["GetUser", "AdminGetUser"];

pub(super) fn read_only(step: &StepRecord) -> bool {
    READ_ONLY.contains(&step.operation.as_str())
}

/// Members whose presence, not value, is the outcome (their values are secrets or volatile).
const PRESENCE_FIELDS: &[(&str, &str)] = &[
    ("AuthenticationResult", "tokens"),
    ("SecretCode", "secret"),
    ("Session", "session"),
];

/// The outcome class of one step: status, error type, and the MFA members after normalisation.
pub fn class(step: &StepRecord) -> String {
    if step.not_sent.is_some() {
        return "not sent".to_owned();
    }
    let o = &step.observation;
    if let Some(e) = &o.error {
        return format!("{} {e}", o.status);
    }
    let mut parts = Vec::new();
    if let Json::Object(m) = &o.body {
        for f in MFA_FIELDS {
            if let Some(v) = m.get(*f) {
                let v = match v {
                    Json::Array(items) => {
                        let mut s: Vec<String> = items.iter().map(Json::to_string).collect();
                        s.sort();
                        format!("[{}]", s.join(","))
                    }
                    other => other.to_string(),
                };
                parts.push(format!("{f}={v}"));
            }
        }
        for (f, label) in PRESENCE_FIELDS {
            if m.contains_key(*f) {
                parts.push((*label).to_owned());
            }
        }
    }
    if parts.is_empty() {
        o.status.to_string()
    } else {
        format!("{} {{{}}}", o.status, parts.join(" "))
    }
}

/// The answer checked against the service model's output shape (`model::validate_output`, the same
/// check every scenario step gets): the first binding rule a 2xx body breaks, as `rule at path`,
/// a contract finding of fact M12. The body is the normalised one, so a value the normaliser
/// replaced (a `<totp-secret~…>` placeholder, a token decoded to `{"jwt": …}`) is not judged; members
/// outside the model are warnings there, and not findings here.
pub fn output_conformance(operation: &str, body: &Json) -> Option<String> {
    crate::model::validate_output(operation, body)
        .into_iter()
        .filter(|v| !v.is_warning())
        .find(|v| !is_placeholder_at(body, &v.path))
        .map(|v| format!("{} at {}", v.rule.as_str(), v.path))
}

fn is_placeholder_at(body: &Json, path: &str) -> bool {
    crate::scenario::JsonPath::parse(path)
        .ok()
        .and_then(|p| p.select(body).cloned())
        .map(|v| match &v {
            // A placeholder string, or a token the normaliser decoded into `{"jwt": …}`.
            Json::String(s) => s.starts_with('<') && s.ends_with('>'),
            Json::Object(o) => o.contains_key("jwt"),
            _ => false,
        })
        .unwrap_or(false)
}

/// The operation and the class of its input, e.g. `SetUserMFAPreference(SMS:on TOTP:partial)`.
pub fn action_label(a: &Action) -> String {
    let code = |c: Code| match c {
        Code::Right => "right code",
        Code::Wrong => "wrong code",
        Code::Reused => "reused code",
    };
    match a {
        Action::SetPreference { settings, .. } | Action::AdminSetPreference { settings, .. } => {
            format!("{}({})", a.kind(), settings_label(settings))
        }
        Action::Verify { code: c, .. } => format!("{}({})", a.kind(), code(*c)),
        Action::SignIn { code: c, .. } => format!("{}({})", a.kind(), code(*c)),
        Action::PoolConfig { mfa, totp } => {
            format!("{}({} totp={})", a.kind(), mfa.wire(), u8::from(*totp))
        }
        Action::AddContact { contact, .. } | Action::RemoveContact { contact, .. } => {
            format!("{}({})", a.kind(), contact.attribute())
        }
        _ => a.kind().to_owned(),
    }
}

/// Each factor's settings by what they ask for — `pref` (on and preferred), `on`, `off`,
/// `pref-off` (preferred but not enabled), `partial` (a member left out) — so that requests asking the
/// same share a signature.
fn settings_label(s: &MfaSettings) -> String {
    let class = |x: FactorSetting| match (x.enabled, x.preferred) {
        (Some(true), Some(true)) => "pref",
        (Some(true), Some(false)) => "on",
        (Some(false), Some(false)) => "off",
        (Some(false), Some(true)) => "pref-off",
        _ => "partial",
    };
    let f = |name: &str, x: Option<FactorSetting>| x.map(|x| format!("{name}:{}", class(x)));
    let mut parts: Vec<String> = [f("SMS", s.sms), f("TOTP", s.totp), f("EMAIL", s.email)]
        .into_iter()
        .flatten()
        .collect();
    match s.webauthn {
        Some(Some(true)) => parts.push("WEBAUTHN:on".to_owned()),
        Some(_) => parts.push("WEBAUTHN:off".to_owned()),
        None => {}
    }
    if parts.is_empty() {
        "nothing".to_owned()
    } else {
        parts.join(" ")
    }
}
