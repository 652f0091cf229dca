//! A sequence and its predictions as an ordinary scenario file: fixtures, `call:` steps with
//! `${alice.access_token}`-style templates, captures, and `expect:` blocks from the model. The
//! explorer loads this text with the normal loader and runs it with the normal runner, so requests
//! are built and checked by the same code as every scenario, and a finding is written out as is.

use std::fmt::Write as _;

use serde_json::{json, Map, Value as Json};

use super::action::{Action, Code, Contact, FactorSetting, MfaSettings, Sequence, USER_NAMES};
use super::model::{Expect, Predicted, Prediction, SecretRef, TokenRef};
use crate::fuzz::yaml_quoted;

/// Which action (and which part of it) a scenario step comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepOrigin {
    pub action: usize,
    /// The RespondToAuthChallenge step of a sign-in.
    pub answer: bool,
}

/// What goes into the file besides the sequence.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub name: String,
    pub description: String,
    pub targets: Vec<String>,
}

/// The scenario text and where each of its steps comes from.
pub fn scenario(
    header: &Header,
    seq: &Sequence,
    predicted: &[Predicted],
) -> (String, Vec<StepOrigin>) {
    let mut out = String::new();
    let _ = writeln!(out, "name: {}", header.name);
    if !header.description.is_empty() {
        let _ = writeln!(out, "description: {}", yaml_quoted(&header.description));
    }
    out.push_str("tags: [explore, found]\n");
    if !header.targets.is_empty() {
        let _ = writeln!(out, "targets: [{}]", header.targets.join(", "));
    }
    fixtures(&mut out, seq);
    out.push_str("steps:\n");
    let mut origins = Vec::new();
    for (i, (a, p)) in seq.actions.iter().zip(predicted).enumerate() {
        let user = a.user().map_or("pool", |u| USER_NAMES[u]);
        let name = format!("{} {} {user}", i + 1, a.kind());
        let (input, captures) = request(i, a, p);
        step(&mut out, &name, a.kind(), &input, &captures, &p.main);
        origins.push(StepOrigin {
            action: i,
            answer: false,
        });
        if p.respond {
            let input = answer(i, a, p);
            let captures = vec![(format!("a{i}_token"), "$.AuthenticationResult.AccessToken")];
            let name = format!("{} answer SOFTWARE_TOKEN_MFA {user}", i + 1);
            step(
                &mut out,
                &name,
                "RespondToAuthChallenge",
                &input,
                &captures,
                &p.answer,
            );
            origins.push(StepOrigin {
                action: i,
                answer: true,
            });
        }
    }
    (out, origins)
}

fn fixtures(out: &mut String, seq: &Sequence) {
    let s = &seq.setup;
    out.push_str("fixtures:\n  pool:\n");
    let _ = writeln!(
        out,
        "    mfa: {}",
        if s.optional { "OPTIONAL" } else { "\"OFF\"" }
    );
    let _ = writeln!(out, "    software_token_mfa: {}", s.pool_totp);
    out.push_str("  users:\n");
    for (i, u) in s.users.iter().enumerate() {
        let name = USER_NAMES[i];
        let _ = writeln!(out, "    {name}:");
        let mut attrs = Vec::new();
        if u.phone {
            attrs.push(format!(
                "phone_number: {}",
                yaml_quoted(&Contact::Phone.example(name))
            ));
        }
        if u.email {
            attrs.push(format!("email: {}", Contact::Email.example(name)));
        }
        if !attrs.is_empty() {
            let _ = writeln!(out, "      attributes: {{ {} }}", attrs.join(", "));
        }
        out.push_str("      sign_in: true\n");
        if u.totp_verified {
            out.push_str("      totp: verified\n");
        }
    }
}

fn step(
    out: &mut String,
    name: &str,
    op: &str,
    input: &Json,
    captures: &[(String, &str)],
    expects: &[Prediction],
) {
    let _ = writeln!(out, "  - name: {}", yaml_quoted(name));
    let _ = writeln!(out, "    call: {op}");
    let _ = writeln!(out, "    input: {input}");
    if !captures.is_empty() {
        out.push_str("    capture:\n");
        for (n, path) in captures {
            let _ = writeln!(out, "      {n}: {path}");
        }
    }
    if expects.is_empty() {
        return;
    }
    out.push_str("    expect:\n");
    for p in expects {
        expect_block(out, p);
    }
}

fn expect_block(out: &mut String, p: &Prediction) {
    let mut first = true;
    let mut line = |out: &mut String, text: String| {
        let _ = writeln!(out, "      {} {text}", if first { "-" } else { " " });
        first = false;
    };
    let mut body = Map::new();
    let (mut absent, mut present, mut unordered) = (Vec::new(), Vec::new(), Vec::new());
    for e in &p.expects {
        match e {
            Expect::Status(s) => line(out, format!("status: {s}")),
            Expect::Error(t) => line(out, format!("error: {t}")),
            Expect::Body(path, v) => match path.strip_prefix("$.") {
                Some(member) => {
                    if v.is_array() {
                        unordered.push(*path);
                    }
                    body.insert(member.to_owned(), v.clone());
                }
                None => {
                    if let Some(m) = v.as_object() {
                        body.extend(m.clone());
                    }
                }
            },
            Expect::Absent(path) => absent.push(*path),
            Expect::Present(path) => present.push(*path),
        }
    }
    if !body.is_empty() || p.expects.iter().any(|e| matches!(e, Expect::Body("$", _))) {
        line(out, format!("body: {}", Json::Object(body)));
    }
    for (key, list) in [
        ("absent", absent),
        ("present", present),
        ("unordered", unordered),
    ] {
        if !list.is_empty() {
            line(out, format!("{key}: [{}]", list.join(", ")));
        }
    }
    line(out, format!("source: {}", p.fact.id));
    if p.fact.confidence != crate::scenario::ast::Confidence::High {
        line(out, format!("confidence: {}", p.fact.confidence.as_str()));
    }
}

fn token(t: Option<TokenRef>) -> Json {
    json!(match t {
        Some(TokenRef::Fixture(u)) => format!("${{{}.access_token}}", USER_NAMES[u]),
        Some(TokenRef::FixtureId(u)) => format!("${{{}.id_token}}", USER_NAMES[u]),
        Some(TokenRef::Captured(k)) => format!("${{a{k}_token}}"),
        Some(TokenRef::Garbage) | None => "WRONG_TOKEN".to_owned(),
    })
}

fn code(secret: Option<SecretRef>, c: Code) -> Json {
    let owner = match secret {
        Some(SecretRef::Fixture(u)) => USER_NAMES[u].to_owned(),
        Some(SecretRef::Captured(k)) => format!("a{k}_secret"),
        None => return json!("000000"),
    };
    json!(match c {
        Code::Right => format!("${{{owner}.totp_code}}"),
        Code::Reused => format!("${{{owner}.totp_code_last}}"),
        Code::Wrong => "000000".to_owned(),
    })
}

fn settings(into: &mut Map<String, Json>, s: &MfaSettings) {
    let obj = |f: FactorSetting| {
        let mut m = Map::new();
        if let Some(e) = f.enabled {
            m.insert("Enabled".into(), json!(e));
        }
        if let Some(p) = f.preferred {
            m.insert("PreferredMfa".into(), json!(p));
        }
        Json::Object(m)
    };
    for f in super::action::Factor::ALL {
        if let Some(x) = s.get(f) {
            into.insert(f.member().into(), obj(x));
        }
    }
    if let Some(w) = s.webauthn {
        let mut m = Map::new();
        if let Some(e) = w {
            m.insert("Enabled".into(), json!(e));
        }
        into.insert("WebAuthnMfaSettings".into(), Json::Object(m));
    }
}

/// The input and captures of an action's main step.
fn request(i: usize, a: &Action, p: &Predicted) -> (Json, Vec<(String, &'static str)>) {
    let admin = |u: usize| {
        let mut m = Map::new();
        m.insert("UserPoolId".into(), json!("${pool.id}"));
        m.insert(
            "Username".into(),
            json!(format!("${{{}.username}}", USER_NAMES[u])),
        );
        m
    };
    let access = || {
        let mut m = Map::new();
        m.insert("AccessToken".into(), token(p.token));
        m
    };
    let mut captures = Vec::new();
    let input = match *a {
        Action::SetPreference { settings: s, .. } => {
            let mut m = access();
            settings(&mut m, &s);
            Json::Object(m)
        }
        Action::AdminSetPreference { user, settings: s } => {
            let mut m = admin(user);
            settings(&mut m, &s);
            Json::Object(m)
        }
        Action::Associate { .. } => {
            captures.push((format!("a{i}_secret"), "$.SecretCode"));
            Json::Object(access())
        }
        Action::Verify { code: c, .. } => {
            let mut m = access();
            m.insert("UserCode".into(), code(p.secret, c));
            Json::Object(m)
        }
        Action::GetUser { .. } | Action::GlobalSignOut { .. } => Json::Object(access()),
        Action::AdminGetUser { user }
        | Action::AdminSignOut { user }
        | Action::Disable { user }
        | Action::Enable { user } => Json::Object(admin(user)),
        Action::SignIn { user, .. } => {
            if p.respond {
                captures.push((format!("a{i}_session"), "$.Session"));
            } else {
                captures.push((format!("a{i}_token"), "$.AuthenticationResult.AccessToken"));
            }
            let name = USER_NAMES[user];
            json!({
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": "${client.id}",
                "AuthParameters": {"USERNAME": format!("${{{name}.username}}"), "PASSWORD": format!("${{{name}.password}}")},
            })
        }
        Action::PoolConfig { mfa, totp } => json!({
            "UserPoolId": "${pool.id}",
            "MfaConfiguration": mfa.wire(),
            "SoftwareTokenMfaConfiguration": {"Enabled": totp},
        }),
        Action::AddContact { user, contact } => {
            let mut m = admin(user);
            m.insert(
                "UserAttributes".into(),
                json!([{"Name": contact.attribute(), "Value": contact.example(USER_NAMES[user])}]),
            );
            Json::Object(m)
        }
        Action::RemoveContact { user, contact } => {
            let mut m = admin(user);
            m.insert("UserAttributeNames".into(), json!([contact.attribute()]));
            Json::Object(m)
        }
    };
    (input, captures)
}

/// The RespondToAuthChallenge input answering a sign-in's SOFTWARE_TOKEN_MFA challenge.
fn answer(i: usize, a: &Action, p: &Predicted) -> Json {
    let (user, c) = match *a {
        Action::SignIn { user, code } => (user, code),
        _ => (0, Code::Right),
    };
    let name = USER_NAMES[user];
    json!({
        "ClientId": "${client.id}",
        "ChallengeName": "SOFTWARE_TOKEN_MFA",
        "Session": format!("${{a{i}_session}}"),
        "ChallengeResponses": {"USERNAME": format!("${{{name}.username}}"), "SOFTWARE_TOKEN_MFA_CODE": code(p.secret, c)},
    })
}
